//! Issue 15: the share wizard over plain HTTP, as a browser without JavaScript uses it. The
//! practitioner chooses the privacy notice first, then answers that notice's questions only:
//! its purposes, grounds and statutes, and the organisations it names. "Check" names every
//! problem at once, in plain words, each linked to its field, and works without JavaScript;
//! with htmx it answers the verdict alone. A save that fails keeps every answer and records
//! nothing; one that succeeds goes to the decision, which says it was recorded. (The same
//! journey in a real browser is `sharing_story` in browser.rs.)
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;
mod pages;

use common::{days, find_entry, only, org, TestApp};
use harbour_domain::{DataCategory as C, RecordClass};
use pages::{sign_in, unescape, Web};

const BCP: &str = "bcp-childrens-services";

/// A child on the practitioner's caseload with a child protection entry the school may have.
async fn child_and_entry(app: &TestApp) -> (String, String) {
    const SCHOOL_MAY_HAVE: &[C] =
        &[C::PersonalDetails, C::Family, C::AssessmentAndPlans, C::ChildProtection, C::EducationAndEarlyYears];
    let (child, entry) = find_entry(app, "sw.demo", RecordClass::ChildProtectionPlan, only(SCHOOL_MAY_HAVE)).await;
    (child.id.to_string(), entry.id.to_string())
}

/// The whole form as the practitioner fills it in to tell the school: the father refused
/// consent; the child would be harmed if the school did not know.
fn filled(school: &str, entry: &str) -> Vec<(&'static str, String)> {
    let mut form: Vec<(&'static str, String)> = vec![
        ("notice", BCP.into()),
        ("recipient", school.into()),
        ("purpose", "protecting-children".into()),
        ("basis", "6(1)(e)".into()),
        ("condition", String::new()),
        ("statute", "children-acts-1989-2004".into()),
        ("agreement", String::new()),
        ("entry", entry.into()),
        ("fields", "subject".into()),
        ("fields", "occurred_at".into()),
        ("person_fields", "name".into()),
        ("person_fields", "date_of_birth".into()),
        ("whole_record", String::new()),
        ("consent", "refused".into()),
        ("refused_by", "The father".into()),
        ("ground", "child-harm".into()),
        ("family", "told".into()),
        ("told_who", "The mother".into()),
        ("told_when", days(0)),
        ("told_how", "On a home visit".into()),
        ("urgency", "routine".into()),
        ("expires_on", String::new()),
    ];
    for k in ["necessary", "proportionate", "relevant", "adequate", "accurate", "timely", "secure"] {
        form.push((k, format!("Why it is {k}: the school keeps her safe during the day.")));
    }
    form
}

/// `form` with `name` set to `value` (every value of it replaced; empty removes it).
fn with(form: &[(&'static str, String)], name: &'static str, value: &str) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = form.iter().filter(|(k, _)| *k != name).cloned().collect();
    if !value.is_empty() {
        out.push((name, value.to_string()));
    }
    out
}

fn fields<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Posts the form with the session's CSRF token, as htmx does when `htmx`.
async fn post(app: &TestApp, web: &Web, path: &str, form: &[(&'static str, String)], htmx: bool) -> (u16, String) {
    let mut body = fields(form);
    body.push(("csrf_token", web.csrf.as_str()));
    let mut req = app.client.post(format!("{}{path}", app.base)).header("cookie", &web.cookie).form(&body);
    if htmx {
        req = req.header("HX-Request", "true");
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), unescape(&resp.text().await.unwrap()))
}

/// The error summary's (or the htmx verdict's) links, in order: the ids of the fields it names.
fn summary_links(html: &str) -> Vec<String> {
    let Some(start) = html.find("class=\"error-summary\"") else { return Vec::new() };
    let summary = &html[start..html[start..].find("</div>").map_or(html.len(), |e| start + e)];
    summary.split("href=\"#").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
}

/// The `<input>` tag of the control `name` with `value`.
fn input<'a>(html: &'a str, name: &str, value: &str) -> &'a str {
    let needle = format!("name=\"{name}\" value=\"{value}\"");
    let at = html.find(&needle).unwrap_or_else(|| panic!("no {name}={value} in the page"));
    let start = html[..at].rfind('<').unwrap();
    &html[start..at + html[at..].find('>').unwrap()]
}

both_backends!(the_wizard_asks_the_notice_first_then_offers_only_what_that_notice_allows, |app: TestApp| async move {
    let (child, _) = child_and_entry(&app).await;
    let sw = sign_in(&app, "sw.demo").await;
    let path = format!("/people/{child}/share");

    // One thing first: which notice. Only those that govern case records are offered.
    let (status, first) = sw.get(&app, &path).await;
    assert_eq!(status, 200, "{first}");
    for notice in [BCP, "childrens-support-safeguarding", "domestic-abuse-sharing", "cse-sharing"] {
        assert!(first.contains(&format!("name=\"notice\" value=\"{notice}\"")), "{notice} is offered");
    }
    assert!(!first.contains("dorset-csp-dhr"), "a notice for Domestic Homicide Reviews governs no case record");
    assert!(!first.contains("name=\"purpose\""), "no questions of any notice yet");
    // Continue without choosing names the problem.
    let (status, none) = sw.get(&app, &format!("{path}?asked=1")).await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&none), ["notice"]);
    assert!(none.contains("id=\"notice\"") && none.contains("Choose the privacy notice this sharing falls under"));

    // The form for the notice chosen: its own choices and nothing of the other notices.
    let (status, form) = sw.get(&app, &format!("{path}?notice={BCP}")).await;
    assert_eq!(status, 200, "{form}");
    assert!(form.contains(&format!("name=\"notice\" value=\"{BCP}\"")), "the notice rides along in the form");
    assert!(form.contains(&format!("href=\"/people/{child}/share?current={BCP}\"")), "a link to change it");
    for own in ["protecting-children", "children-acts-1989-2004", "child-harm", "6(1)(e)"] {
        assert!(form.contains(&format!("value=\"{own}\"")), "{own} of the notice is offered");
    }
    // Purposes, statutes and grounds of the other notices.
    for other in ["best-support", "prevent-disrupt-detect", "crime-and-disorder-act-1998-s115", "court-order"] {
        assert!(!form.contains(&format!("value=\"{other}\"")), "{other} belongs to another notice");
    }
    // Recipients: only organisations the notice names, as checkboxes, never one's own.
    let school = org(&app, "harbourside-academy").await;
    let police = org(&app, "dorset-police").await;
    let csp = org(&app, "dorset-csp").await;
    let own = org(&app, "bcp-childrens").await;
    assert!(input(&form, "recipient", &school).contains("type=\"checkbox\""));
    assert!(form.contains(&format!("value=\"{police}\"")));
    assert!(!form.contains(&csp), "the notice names the Community Safety Partnership nowhere");
    assert!(!form.contains(&format!("value=\"{own}\"")), "not the practitioner's own organisation");
    assert!(form.contains("Dorset Community Safety Partnership"), "the page says who receives nothing");
    assert!(!form.contains("<select id=\"recipient\""), "no Ctrl-click list");
    // Every radio button and checkbox sits inside its label.
    for kind in ["radio", "checkbox"] {
        let all = form.matches(&format!("<input type=\"{kind}\"")).count();
        let labelled = form.matches(&format!("<label class=\"check\"><input type=\"{kind}\"")).count();
        assert!(all > 3 && all == labelled, "{labelled} of {all} {kind}es are inside their labels");
    }
    // Words, not codes.
    for words in ["When it happened", "Date of birth", "NHS number", "Routine"] {
        assert!(form.contains(&format!("<span>{words}</span>")), "{words}");
    }
    for code in ["occurred_at</", "date_of_birth</", "nhs_number</", ">routine<", "occurred at<"] {
        assert!(!form.contains(code), "{code} is shown as a code");
    }

    // Another notice: its own purposes and recipients, not those of the first.
    let (status, da) = sw.get(&app, &format!("{path}?notice=domestic-abuse-sharing")).await;
    assert_eq!(status, 200);
    assert!(da.contains("value=\"keep-safe\"") && !da.contains("value=\"protecting-children\""));
    assert!(!da.contains("value=\"child-harm\""), "grounds of the notice chosen only");
    let advocacy = org(&app, "advocacy-services").await;
    assert!(!da.contains(&advocacy), "the domestic abuse notice does not name Advocacy Services");
    assert!(da.contains(&format!("value=\"{police}\"")), "it names the police");

    // A notice that does not exist, or governs no case record, is not found.
    for bad in ["no-such-notice", "dorset-csp-dhr"] {
        let (status, page) = sw.get(&app, &format!("{path}?notice={bad}")).await;
        assert_eq!(status, 404, "{bad}: {page}");
        assert!(page.contains("Not found"));
    }
});

both_backends!(check_names_every_problem_at_once_with_or_without_javascript, |app: TestApp| async move {
    let (child, entry) = child_and_entry(&app).await;
    let school = org(&app, "harbourside-academy").await;
    let sw = sign_in(&app, "sw.demo").await;
    let check = format!("/people/{child}/share/check");
    let before = app.count("sharing_decisions").await;

    // An empty form, without JavaScript: the whole page, every problem in the summary, each
    // a link to its field and said again beside it.
    let empty = vec![("notice", BCP.to_string())];
    let (status, page) = post(&app, &sw, &check, &empty, false).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("id=\"share-form\""), "the whole page");
    let links = summary_links(&page);
    for field in ["recipient", "purpose", "basis", "statute", "entry", "consent", "family", "necessary", "secure"] {
        assert!(links.contains(&field.to_string()), "{field} is named: {links:?}");
        assert!(page.contains(&format!("id=\"{field}\"")), "the link to {field} goes to a field");
        assert!(page.contains(&format!("id=\"{field}-error\"")), "the problem is beside {field}");
    }
    for words in ["Choose who receives it", "Choose why you are sharing it", "Say why sharing is proportionate"] {
        assert!(page.contains(words), "{words}");
    }
    assert!(!page.contains("must not be empty"), "no developer's words");
    // The button is a real submit button; htmx is only an enhancement.
    assert!(
        page.contains(&format!("formaction=\"/people/{child}/share/check\"")) && page.contains("formmethod=\"post\"")
    );

    // The same with htmx: the verdict alone.
    let (status, fragment) = post(&app, &sw, &check, &empty, true).await;
    assert_eq!(status, 200);
    assert!(fragment.starts_with("<div class=\"error-summary\" role=\"alert\" id=\"verdict\""), "{fragment}");
    assert!(!fragment.contains("<html") && !fragment.contains("share-form"));
    assert_eq!(summary_links(&fragment), links, "the same problems");

    // The answers that depend on another: who refused, the ground, the family's date.
    let form = filled(&school, &entry);
    let form = with(&with(&with(&form, "refused_by", ""), "ground", ""), "told_when", "");
    let (_, page) = post(&app, &sw, &check, &form, false).await;
    assert_eq!(summary_links(&page), ["refused_by", "ground", "told_when"]);
    assert!(page.contains("Say who refused consent") && page.contains("Give the date the family was told"));
    let exempt = with(&filled(&school, &entry), "family", "exempt");
    let (_, page) = post(&app, &sw, &check, &exempt, false).await;
    assert_eq!(summary_links(&page), ["exemption"]);
    assert!(page.contains("Choose the exemption and the date to review it"));

    // A complete form, without JavaScript: the page with the verdict and every answer kept.
    let form = filled(&school, &entry);
    let (status, page) = post(&app, &sw, &check, &form, false).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"share-form\"") && page.contains("id=\"verdict\""), "{page}");
    assert!(page.contains("Harbour would accept this") && page.contains("Education"), "{page}");
    assert!(summary_links(&page).is_empty());
    assert!(input(&page, "recipient", &school).contains(" checked"));
    assert!(input(&page, "entry", &entry).contains(" checked"));
    assert!(input(&page, "consent", "refused").contains(" checked"));
    assert!(input(&page, "ground", "child-harm").contains(" checked"));
    assert!(page.contains("value=\"The father\"") && page.contains(">Why it is necessary: the school keeps her safe"));
    // With htmx: only the verdict.
    let (status, fragment) = post(&app, &sw, &check, &form, true).await;
    assert_eq!(status, 200);
    assert!(fragment.contains("id=\"verdict\"") && fragment.contains("Harbour would accept this"), "{fragment}");
    assert!(!fragment.contains("share-form"));

    // The notice's own refusal, against the field it is about, without its codes: the
    // school's entry in the recipients table does not rely on consent.
    let on_consent = with(&form, "basis", "6(1)(a)");
    let (_, page) = post(&app, &sw, &check, &on_consent, false).await;
    assert_eq!(summary_links(&page), ["recipient"], "{page}");
    assert!(page.contains("Sharing with Harbourside Academy refused: Art 6(1)(a) is not one of the bases"), "{page}");
    assert!(!page.contains("([") && !page.contains("notice: Art"), "{page}");
    let wrong_notice = with(&form, "notice", "childrens-support-safeguarding");
    let (_, fragment) = post(&app, &sw, &check, &wrong_notice, true).await;
    assert!(summary_links(&fragment).contains(&"purpose".to_string()), "the purpose is not that notice's: {fragment}");

    assert_eq!(app.count("sharing_decisions").await, before, "checking records nothing");
});

both_backends!(a_failed_save_keeps_every_answer_and_records_nothing, |app: TestApp| async move {
    let (child, entry) = child_and_entry(&app).await;
    let school = org(&app, "harbourside-academy").await;
    let sw = sign_in(&app, "sw.demo").await;
    let save = format!("/people/{child}/share");
    let before = app.count("sharing_decisions").await;

    // Forgot who refused and why it is proportionate.
    let form = with(&with(&filled(&school, &entry), "refused_by", ""), "proportionate", "");
    let form = with(&form, "necessary", "The school must know today to keep her safe.");
    let (status, page) = post(&app, &sw, &save, &form, false).await;
    assert_eq!(status, 422, "{page}");
    assert_eq!(summary_links(&page), ["refused_by", "proportionate"]);
    assert!(page.contains("Say why sharing is proportionate"));
    assert!(page.contains(">The school must know today to keep her safe.</textarea>"), "what was typed is kept");
    assert!(input(&page, "recipient", &school).contains(" checked"), "what was ticked is kept");
    assert!(input(&page, "entry", &entry).contains(" checked"));
    assert!(input(&page, "purpose", "protecting-children").contains(" checked"));
    assert!(page.contains("value=\"children-acts-1989-2004\" selected"));
    assert!(page.contains("id=\"share-submit\""), "the form, not a dead end");

    // Refused by the notice: the same.
    let (status, page) = post(&app, &sw, &save, &with(&filled(&school, &entry), "basis", "6(1)(a)"), false).await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&page), ["recipient"]);
    assert!(input(&page, "basis", "6(1)(a)").contains(" checked"));
    assert!(page.contains("value=\"The father\""));

    assert_eq!(app.count("sharing_decisions").await, before, "nothing was recorded");
});

both_backends!(a_complete_save_goes_to_the_decision_which_says_it_was_recorded, |app: TestApp| async move {
    let (child, entry) = child_and_entry(&app).await;
    let school = org(&app, "harbourside-academy").await;
    let sw = sign_in(&app, "sw.demo").await;
    let before = app.count("sharing_decisions").await;
    let form = filled(&school, &entry);
    let mut body = fields(&form);
    body.push(("csrf_token", sw.csrf.as_str()));
    let (status, location, _) = sw.post_raw(&app, &format!("/people/{child}/share"), &body).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/sharing-decisions/") && location.ends_with("?recorded=1"), "{location}");
    assert_eq!(app.count("sharing_decisions").await, before + 1);
    let (status, page) = sw.get(&app, &location).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"recorded\"") && page.contains("Decision recorded"), "{page}");
    assert!(page.contains("It has gone to Harbourside Academy"), "{page}");
    // Without the flag, no banner.
    let (_, plain) = sw.get(&app, location.trim_end_matches("?recorded=1")).await;
    assert!(!plain.contains("id=\"recorded\""));
});

both_backends!(the_wizard_refuses_forms_without_the_token_and_people_who_do_no_case_work, |app: TestApp| async move {
    let (child, entry) = child_and_entry(&app).await;
    let school = org(&app, "harbourside-academy").await;
    let sw = sign_in(&app, "sw.demo").await;
    let before = app.count("sharing_decisions").await;
    let form = filled(&school, &entry);
    let mut forged = fields(&form);
    for path in [format!("/people/{child}/share"), format!("/people/{child}/share/check")] {
        assert_eq!(sw.post_raw(&app, &path, &forged).await.0, 403, "{path} without a token");
    }
    forged.push(("csrf_token", "forged"));
    for path in [format!("/people/{child}/share"), format!("/people/{child}/share/check")] {
        assert_eq!(sw.post_raw(&app, &path, &forged).await.0, 403, "{path} with a forged token");
    }
    assert_eq!(app.count("sharing_decisions").await, before);

    // A notice that is not one to share case records under, posted: not found.
    let (status, _) =
        post(&app, &sw, &format!("/people/{child}/share"), &with(&form, "notice", "dorset-csp-dhr"), false).await;
    assert_eq!(status, 404);
    let (status, _) =
        post(&app, &sw, &format!("/people/{child}/share/check"), &with(&form, "notice", "nope"), true).await;
    assert_eq!(status, 404);
    // A person who does not exist.
    let (status, _) = sw.get(&app, &format!("/people/not-a-person/share?notice={BCP}")).await;
    assert_eq!(status, 404);

    // Those who read the record but do no case work on it are not offered the wizard.
    for username in ["dpo.demo", "cg.demo", "school.demo"] {
        let web = sign_in(&app, username).await;
        for path in [format!("/people/{child}/share"), format!("/people/{child}/share?notice={BCP}")] {
            let (status, _) = web.get(&app, &path).await;
            assert!([403, 404].contains(&status), "{username} {path}: {status}");
        }
        let (status, _) = post(&app, &web, &format!("/people/{child}/share"), &form, false).await;
        assert!([403, 404].contains(&status), "{username} saves: {status}");
    }
    assert_eq!(app.count("sharing_decisions").await, before);
});
