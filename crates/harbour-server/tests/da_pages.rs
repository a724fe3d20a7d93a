//! Issue 15: the domestic abuse notification journeys in the pages, over plain HTTP. A police
//! officer sends a notification through the form (checking the answers first) and lands on a
//! confirmation; the hub opens it from the dashboard, triages it and tells the school, and the
//! school's inbox then has it. Bad answers are named beside their fields and store nothing; a
//! form without the session's CSRF token is refused; roles whose work it is not are refused.
//! (The same journeys in a real browser are in browser_da.rs.)
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;
mod pages;

use common::{json, org, TestApp};
use pages::{sign_in, sign_in_with, unescape, Web};
use serde_json::{json, Value};

/// A page: its status and its text, unescaped.
async fn get(app: &TestApp, web: &Web, path: &str) -> (u16, String) {
    web.get(app, path).await
}

/// Posts a form as the browser does, with the session's CSRF token unless `csrf` is false.
async fn post(app: &TestApp, web: &Web, path: &str, fields: &[(String, String)], csrf: bool) -> reqwest::Response {
    let mut form: Vec<(String, String)> = fields.to_vec();
    if csrf {
        form.push(("csrf_token".into(), web.csrf.clone()));
    }
    app.client.post(format!("{}{path}", app.base)).header("cookie", &web.cookie).form(&form).send().await.unwrap()
}

async fn text(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    (status, unescape(&resp.text().await.unwrap()))
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()["location"].to_str().unwrap().to_string()
}

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Two hours ago, UK time.
fn two_hours_ago() -> jiff::civil::DateTime {
    harbour_domain::uk_local(jiff::Timestamp::now() - jiff::Span::new().hours(2))
}

/// A whole notification form as a police officer fills it in: two children, one of them there.
fn filled_form(reference: &str) -> Vec<(String, String)> {
    let at = two_hours_ago();
    let (day, month, year) = (at.day().to_string(), at.month().to_string(), at.year().to_string());
    let time = format!("{:02}:{:02}", at.hour(), at.minute());
    pairs(&[
        ("children", "2"),
        ("police-reference", reference),
        ("incident-day", &day),
        ("incident-month", &month),
        ("incident-year", &year),
        ("incident-time", &time),
        ("location", "22 Harbour View, Poole"),
        ("account", "Officers attended after a neighbour called. The adults were arguing loudly; one was taken away."),
        ("summary-for-school", "Police were called to a loud argument between the adults at home in the evening."),
        ("child-1-given-name", "Ellie"),
        ("child-1-family-name", "Formtest"),
        ("child-1-dob-day", "4"),
        ("child-1-dob-month", "5"),
        ("child-1-dob-year", "2016"),
        ("child-1-school", "Harbourside Academy"),
        ("child-1-present", "yes"),
        ("child-1-voice", "Ellie said she hid upstairs."),
        ("child-2-given-name", "Noah"),
        ("child-2-family-name", "Formtest"),
        ("child-2-dob-day", ""),
        ("child-2-dob-month", ""),
        ("child-2-dob-year", ""),
        ("child-2-school", ""),
        ("child-2-present", "no"),
        ("child-2-voice", ""),
    ])
}

/// A notification the police send over the API, naming one child.
async fn notify(app: &TestApp, reference: &str, given: &str) -> String {
    let police = app.token("police.demo").await;
    let at = two_hours_ago().round(jiff::Unit::Second).unwrap();
    let body = json!({
        "police_reference": reference, "incident_at": at.to_string(),
        "account": "Officers attended. An adult was arrested for assault.",
        "location": "3 Quay Street, Poole",
        "summary_for_school": "Police were called to the home after an argument between the adults.",
        "children": [{"given_name": given, "family_name": "Pagetest", "date_of_birth": "2015-09-01",
                      "school": "Harbourside Academy", "voice": "She said she was scared."}]
    });
    let n = json(app.post("/api/v1/da-notifications", &police, &body).await, 201).await;
    n["id"].as_str().unwrap().to_string()
}

async fn api_notification(app: &TestApp, id: &str) -> Value {
    let hub = app.token("mash.demo").await;
    json(app.get(&format!("/api/v1/da-notifications/{id}"), &hub).await, 200).await
}

/// The dashboard's row for one notification.
fn row<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("id=\"notification-{id}\"")).unwrap_or_else(|| panic!("no row for {id}: {page}"));
    let end = page[start..].find("</tr>").unwrap() + start;
    &page[start..end]
}

both_backends!(the_police_send_a_notification_through_the_form_and_the_hub_sees_it, |app: TestApp| async move {
    // The police land on their force's notifications, not on an empty search.
    let police = sign_in(&app, "police.demo").await;
    let home = app.client.get(format!("{}/", app.base)).header("cookie", &police.cookie).send().await.unwrap();
    assert_eq!(location(&home), "/da-notifications/sent");
    let (status, landing) = get(&app, &police, "/da-notifications/sent").await;
    assert_eq!(status, 200);
    assert!(landing.contains("id=\"submit-notification\"") && landing.contains("href=\"/da-notifications/new\""));
    assert!(landing.contains("id=\"nav-da-new\"") && landing.contains("id=\"sent-empty\""), "{landing}");
    assert!(!landing.contains("id=\"nav-da\""), "the police are not offered the hub's dashboard");
    let sw = sign_in(&app, "sw.demo").await;
    let home = app.client.get(format!("{}/", app.base)).header("cookie", &sw.cookie).send().await.unwrap();
    assert_eq!(location(&home), "/people", "a social worker still lands on people");
    assert!(!get(&app, &sw, "/people").await.1.contains("nav-da-new"), "only the police are offered the form");

    let (status, form) = get(&app, &police, "/da-notifications/new").await;
    assert_eq!(status, 200);
    for field in ["police-reference", "incident-day", "incident-time", "location", "account", "summary-for-school"] {
        assert!(form.contains(&format!("id=\"{field}\"")) && form.contains(&format!("for=\"{field}\"")), "{field}");
    }
    assert!(form.contains("id=\"child-1-given-name\"") && !form.contains("id=\"child-2-given-name\""));
    // "Add another child" keeps what was typed and makes room for one more.
    let mut typed = pairs(&[("children", "1"), ("police-reference", "DP/2026/7001"), ("action", "add-child")]);
    let (status, more) = text(post(&app, &police, "/da-notifications/new", &typed, true).await).await;
    assert_eq!(status, 200);
    assert!(more.contains("id=\"child-2-given-name\"") && more.contains("value=\"DP/2026/7001\""), "{more}");
    typed.retain(|(k, _)| k != "action");

    // Continue: the answers to check, nothing stored yet.
    let before = app.count("da_notifications").await;
    let answers = filled_form("DP/2026/7001");
    let (status, check) = text(post(&app, &police, "/da-notifications/new", &answers, true).await).await;
    assert_eq!(status, 200, "{check}");
    assert!(check.contains("Check your answers"), "{check}");
    for shown in ["DP/2026/7001", "22 Harbour View, Poole", "Child 1: Ellie Formtest", "4 May 2016", "(UK time)"] {
        assert!(check.contains(shown), "{shown}: {check}");
    }
    assert!(check.contains("No, but lives in the household"), "{check}");
    assert!(check.contains("value=\"change:police-reference\""), "each answer can be changed");
    assert_eq!(app.count("da_notifications").await, before, "checking the answers stores nothing");
    // "Change" goes back to the form with every answer kept.
    let mut change = answers.clone();
    change.push(("action".into(), "change:location".into()));
    let (status, back) = text(post(&app, &police, "/da-notifications/new", &change, true).await).await;
    assert_eq!(status, 200);
    assert!(back.contains("value=\"22 Harbour View, Poole\"") && back.contains("value=\"Noah\""), "{back}");
    // "Remove" takes a child out and moves the next one up.
    let mut remove = answers.clone();
    remove.push(("action".into(), "remove-child-1".into()));
    let (status, fewer) = text(post(&app, &police, "/da-notifications/new", &remove, true).await).await;
    assert_eq!(status, 200);
    assert!(fewer.contains("id=\"child-1-given-name\" name=\"child-1-given-name\" value=\"Noah\""), "{fewer}");
    assert!(!fewer.contains("id=\"child-2-given-name\"") && !fewer.contains("value=\"Ellie\""), "{fewer}");

    // Send it: a confirmation with the reference and what happens next.
    let sent = post(&app, &police, "/da-notifications/new/submit", &answers, true).await;
    assert_eq!(sent.status(), 303);
    let confirmation = location(&sent);
    let id = confirmation.strip_prefix("/da-notifications/").unwrap().strip_suffix("/sent").unwrap().to_string();
    assert_eq!(app.count("da_notifications").await, before + 1);
    let (status, page) = get(&app, &police, &confirmation).await;
    assert_eq!(status, 200);
    assert!(page.contains("Notification sent") && page.contains("DP/2026/7001"), "{page}");
    assert!(page.contains("before the next school day starts") && page.contains("(UK time)"), "{page}");
    assert!(page.contains("Ellie Formtest, Noah Formtest") && page.contains("Waiting for the hub"), "{page}");
    let (_, landing) = get(&app, &police, "/da-notifications/sent").await;
    assert!(landing.contains(&format!("href=\"/da-notifications/{id}/sent\"")), "{landing}");
    assert!(landing.contains("Not yet triaged, due by"), "{landing}");

    // What the use case stored is what was typed.
    let n = api_notification(&app, &id).await;
    assert_eq!(n["police_reference"], "DP/2026/7001");
    assert_eq!(n["location"], "22 Harbour View, Poole");
    let field = |name: &str| answers.iter().find(|(k, _)| k == name).unwrap().1.clone();
    let typed = jiff::civil::date(
        field("incident-year").parse().unwrap(),
        field("incident-month").parse().unwrap(),
        field("incident-day").parse().unwrap(),
    );
    let expected = format!("{typed}T{}", field("incident-time"));
    assert!(n["incident_at"].as_str().unwrap().starts_with(&expected), "{} is {expected}", n["incident_at"]);
    assert_eq!(n["children"][0]["named"]["date_of_birth"], "2016-05-04");
    assert_eq!(n["children"][0]["named"]["voice"], "Ellie said she hid upstairs.");
    assert_eq!(n["children"][1]["named"]["present"], false);
    assert_eq!(n["children"][1]["named"]["date_of_birth"], Value::Null);

    // The hub sees it on the dashboard; the row opens the triage page and says what it is.
    let hub = sign_in(&app, "mash.demo").await;
    let (status, dashboard) = get(&app, &hub, "/da-notifications").await;
    assert_eq!(status, 200);
    let line = row(&dashboard, &id);
    assert!(line.contains(&format!("href=\"/da-notifications/{id}\"")), "{line}");
    assert!(line.contains("Not yet triaged, due by") && line.contains("(UK time)"), "{line}");
    assert!(!line.contains("on time"), "nobody has touched it: {line}");
    assert!(line.contains("Ellie Formtest, Noah Formtest"), "{line}");
    let (status, triage) = get(&app, &hub, &format!("/da-notifications/{id}")).await;
    assert_eq!(status, 200);
    assert!(triage.contains("Ellie Formtest") && triage.contains("Noah Formtest"), "{triage}");
    assert!(triage.contains("Tell the school by") && triage.contains("(UK time)"), "{triage}");
    assert!(triage.contains("id=\"triage-form\""), "{triage}");
    assert!(triage.contains("Officers attended after a neighbour called"), "the hub reads the police account");
});

both_backends!(
    a_bad_notification_form_names_its_fields_keeps_the_answers_and_stores_nothing,
    |app: TestApp| async move {
        let police = sign_in(&app, "police.demo").await;
        let before = app.count("da_notifications").await;
        let bad = pairs(&[
            ("children", "1"),
            ("police-reference", "  "),
            ("incident-day", "31"),
            ("incident-month", "2"),
            ("incident-year", "2026"),
            ("incident-time", ""),
            ("location", ""),
            ("account", "Typed before the mistake was noticed."),
            ("summary-for-school", "A loud argument at home."),
            ("child-1-given-name", ""),
            ("child-1-family-name", "Keptname"),
        ]);
        for path in ["/da-notifications/new", "/da-notifications/new/submit"] {
            let (status, page) = text(post(&app, &police, path, &bad, true).await).await;
            assert_eq!(status, 422, "{path}");
            assert!(page.contains("There is a problem") && page.contains("<title>Error: "), "{page}");
            for (field, words) in [
                ("police-reference", "Enter the police reference"),
                ("incident-day", "must be a real date"),
                ("incident-time", "Enter the time of the incident"),
                ("location", "Enter where the incident happened"),
                ("child-1-given-name", "Enter child 1's first name"),
                ("child-1-present", "Select whether child 1 was there"),
            ] {
                assert!(page.contains(&format!("href=\"#{field}\"")), "the summary links to {field}: {page}");
                assert!(page.contains(&format!("id=\"{field}-error\"")), "{field} has its error beside it");
                assert!(page.contains(words), "{words}: {page}");
            }
            assert!(page.contains("Typed before the mistake was noticed.") && page.contains("value=\"Keptname\""));
            assert!(!page.contains("must not be empty"), "words, not codes: {page}");
        }
        // An incident in the future is refused, as the use case refuses it.
        let mut future = filled_form("DP/2026/7002");
        let next_year = (two_hours_ago().year() + 1).to_string();
        future.iter_mut().filter(|(k, _)| k == "incident-year").for_each(|(_, v)| *v = next_year.clone());
        let (status, page) = text(post(&app, &police, "/da-notifications/new/submit", &future, true).await).await;
        assert_eq!(status, 422);
        assert!(page.contains("must be in the past"), "{page}");
        assert_eq!(app.count("da_notifications").await, before, "nothing bad is stored");

        // Without the session's CSRF token, or with another, the form is refused.
        let good = filled_form("DP/2026/7003");
        for path in ["/da-notifications/new", "/da-notifications/new/submit"] {
            assert_eq!(post(&app, &police, path, &good, false).await.status(), 403, "{path} without a token");
            let mut forged = good.clone();
            forged.push(("csrf_token".into(), "forged".into()));
            assert_eq!(post(&app, &police, path, &forged, false).await.status(), 403, "{path} with another token");
        }
        // Only police officers send notifications.
        let school = sign_in(&app, "school.demo").await;
        assert_eq!(get(&app, &school, "/da-notifications/new").await.0, 403);
        assert_eq!(post(&app, &school, "/da-notifications/new/submit", &good, true).await.status(), 403);
        assert_eq!(app.count("da_notifications").await, before, "refusals store nothing");
        // The same form from the police is taken.
        assert_eq!(post(&app, &police, "/da-notifications/new/submit", &good, true).await.status(), 303);
        assert_eq!(app.count("da_notifications").await, before + 1);
    }
);

both_backends!(the_hub_triages_and_tells_the_school_and_the_school_has_it, |app: TestApp| async move {
    let id = notify(&app, "DP/2026/7010", "Maya").await;
    let hub = sign_in(&app, "mash.demo").await;
    let path = format!("/da-notifications/{id}");
    let (status, page) = get(&app, &hub, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Maya Pagetest") && page.contains("1 September 2015"), "{page}");
    assert!(page.contains("She said she was scared."), "{page}");
    let school_id = org(&app, "harbourside-academy").await;
    assert!(page.contains(&format!("value=\"{school_id}\" selected")), "the school the police named is chosen");

    // Bad answers are named beside their fields; nothing is written.
    let persons = app.count("persons").await;
    let bad = pairs(&[("child-1-record", ""), ("child-1-school", ""), ("summary-for-school", "A row at home.")]);
    let (status, page) = text(post(&app, &hub, &format!("{path}/triage"), &bad, true).await).await;
    assert_eq!(status, 422);
    for field in ["child-1-record", "child-1-school"] {
        assert!(
            page.contains(&format!("href=\"#{field}\"")) && page.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
    }
    assert!(page.contains("A row at home."), "the typed summary is kept");
    let new_child = pairs(&[
        ("child-1-record", "new"),
        ("child-1-given-name", "Maya"),
        ("child-1-family-name", "Pagetest"),
        ("child-1-dob-day", "1"),
        ("child-1-dob-month", "9"),
        ("child-1-dob-year", "2015"),
        ("child-1-gender", ""),
        ("child-1-school", &school_id),
        ("summary-for-school", "Police were called to the home after an argument between the adults."),
    ]);
    let (status, page) = text(post(&app, &hub, &format!("{path}/triage"), &new_child, true).await).await;
    assert_eq!(status, 422);
    assert!(page.contains("Select child 1's gender"), "{page}");
    assert_eq!(post(&app, &hub, &format!("{path}/triage"), &new_child, false).await.status(), 403, "no CSRF token");
    assert_eq!(app.count("persons").await, persons, "nothing was written");
    assert_eq!(api_notification(&app, &id).await["status"], "received");

    // Triage: a new record for Maya, her school chosen.
    let mut triage = new_child.clone();
    triage.iter_mut().filter(|(k, _)| k == "child-1-gender").for_each(|(_, v)| *v = "female".into());
    let done = post(&app, &hub, &format!("{path}/triage"), &triage, true).await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), format!("{path}?done=triaged#done"));
    assert_eq!(app.count("persons").await, persons + 1);
    let n = api_notification(&app, &id).await;
    assert_eq!(n["status"], "triaged");
    let maya = n["children"][0]["person_id"].as_str().unwrap().to_string();
    let (_, page) = get(&app, &hub, &format!("{path}?done=triaged")).await;
    assert!(page.contains("Triage saved") && page.contains(&format!("href=\"/people/{maya}\"")), "{page}");
    assert!(page.contains("id=\"share-form\"") && page.contains("About Maya Pagetest: to Harbourside Academy"));

    // Tell the school: a missing answer is named, what was typed is kept.
    let mut share = pairs(&[
        ("consent", "not_sought"),
        ("consent-reason", "Operation Encompass: telling the family first could put the child at risk."),
        ("ground", "risk-of-harm"),
        ("family", ""),
        ("exemption", "police-investigation"),
        ("rationale-necessary", "Typed reason: the school must know today."),
    ]);
    let review = harbour_app::Now::read().today() + jiff::Span::new().days(28);
    for (k, v) in [
        ("review-day", review.day().to_string()),
        ("review-month", review.month().to_string()),
        ("review-year", review.year().to_string()),
    ] {
        share.push((k.into(), v));
    }
    for key in ["proportionate", "relevant", "adequate", "accurate", "timely", "secure"] {
        share.push((format!("rationale-{key}"), format!("The {key} reason.")));
    }
    let (status, page) = text(post(&app, &hub, &format!("{path}/share"), &share, true).await).await;
    assert_eq!(status, 422);
    assert!(page.contains("href=\"#family\"") && page.contains("Select whether the family has been told"), "{page}");
    assert!(page.contains("Typed reason: the school must know today."), "{page}");
    share.iter_mut().filter(|(k, _)| k == "family").for_each(|(_, v)| *v = "exempt".into());
    assert_eq!(post(&app, &hub, &format!("{path}/share"), &share, false).await.status(), 403, "no CSRF token");
    assert_eq!(api_notification(&app, &id).await["status"], "triaged");
    let done = post(&app, &hub, &format!("{path}/share"), &share, true).await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), format!("{path}?done=shared#done"));
    let (_, page) = get(&app, &hub, &format!("{path}?done=shared")).await;
    assert!(page.contains("The school has been told"), "{page}");
    assert!(page.contains("What was sent, and to whom"), "{page}");
    assert!(page.contains("about <strong>Maya Pagetest</strong> was sent to <strong>Harbourside Academy</strong>"));
    let n = api_notification(&app, &id).await;
    assert_eq!(n["status"], "shared");
    let decision = n["children"][0]["decision_id"].as_str().unwrap();
    assert!(page.contains(&format!("href=\"/sharing-decisions/{decision}\"")), "{page}");
    let (_, dashboard) = get(&app, &hub, "/da-notifications").await;
    assert!(row(&dashboard, &id).contains("School told on time, on"), "{}", row(&dashboard, &id));

    // The school's inbox has it: the notice names the child and who shared it, and never the
    // police account.
    let school = sign_in(&app, "school.demo").await;
    let (status, inbox) = get(&app, &school, "/received").await;
    assert_eq!(status, 200);
    let start = inbox.find("href=\"/received/").expect("a line in the inbox") + "href=\"".len();
    let link = inbox[start..].split('"').next().unwrap().to_string();
    let (status, notice) = get(&app, &school, &link).await;
    assert_eq!(status, 200);
    assert!(notice.contains("Maya Pagetest"), "the child is named: {notice}");
    assert!(notice.contains("Shared by BCP Council Children's Services"), "who shared it: {notice}");
    assert!(notice.contains("Police reference DP/2026/7010"), "{notice}");
    assert!(!notice.contains("arrested"), "the police account is not the school's: {notice}");
});

both_backends!(only_those_who_watch_the_deadlines_see_the_hubs_pages, |app: TestApp| async move {
    let id = notify(&app, "DP/2026/7020", "Isla").await;
    let path = format!("/da-notifications/{id}");
    for who in ["sw.demo", "auditor.demo", "school.demo", "police.demo"] {
        let web = sign_in(&app, who).await;
        let (status, page) = get(&app, &web, &path).await;
        assert_eq!(status, 403, "{who} may not open the triage page");
        assert!(!page.contains("Isla Pagetest"), "{who} is shown no child");
        let (status, page) = get(&app, &web, "/da-notifications").await;
        assert_eq!(status, 403, "{who} may not open the hub's dashboard");
        assert!(!page.contains("DP/2026/7020"));
    }
    let police = sign_in(&app, "police.demo").await;
    let school_id = org(&app, "harbourside-academy").await;
    let triage = pairs(&[
        ("child-1-record", "new"),
        ("child-1-given-name", "Isla"),
        ("child-1-family-name", "Pagetest"),
        ("child-1-gender", "female"),
        ("child-1-school", &school_id),
        ("summary-for-school", "Police were called to the home after an argument between the adults."),
    ]);
    let persons = app.count("persons").await;
    assert_eq!(post(&app, &police, &format!("{path}/triage"), &triage, true).await.status(), 403);
    assert_eq!(app.count("persons").await, persons);
    assert_eq!(api_notification(&app, &id).await["status"], "received");
    // The police see their own notification on their own pages, and the hub does not use them.
    assert_eq!(get(&app, &police, &format!("{path}/sent")).await.0, 200);
    let hub = sign_in(&app, "mash.demo").await;
    assert_eq!(get(&app, &hub, &format!("{path}/sent")).await.0, 403);
    assert_eq!(get(&app, &hub, "/da-notifications/sent").await.0, 403);
    // An officer of another force does not see Dorset Police's.
    app.account(&json!({"username": "btp.officer", "display_name": "Transport Officer", "organisation": "british-transport-police",
        "role": "partner_practitioner", "password": "a long enough passphrase"}))
        .await;
    let other = sign_in_with(&app, "btp.officer", "a long enough passphrase").await;
    assert_eq!(get(&app, &other, &format!("{path}/sent")).await.0, 404);
    let (status, theirs) = get(&app, &other, "/da-notifications/sent").await;
    assert_eq!(status, 200);
    assert!(!theirs.contains("DP/2026/7020"), "{theirs}");
    // The data protection officer watches the deadlines: the page, without the hub's forms.
    let dpo = sign_in(&app, "dpo.demo").await;
    let (status, page) = get(&app, &dpo, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Isla Pagetest") && !page.contains("id=\"triage-form\""), "{page}");
});
