//! Issue 15: the practitioner's record pages over plain HTTP, as a browser without JavaScript
//! uses them. Adding a person (every problem at once, nothing written until all are put right),
//! opening and closing an episode, adding a relationship and seeing it in the household view,
//! the chronology and its filters. Roles that may not do these are refused and nothing is
//! written; a form without the session's CSRF token is refused; the search for the other person
//! of a relationship never lists someone the practitioner may not read. (The same journey in a
//! real browser is in browser_person.rs.)
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;
mod pages;

use common::{days, json, TestApp};
use pages::{sign_in, Web};
use serde_json::json;

/// The error summary's links, in order: the ids of the fields it names.
fn summary_links(html: &str) -> Vec<String> {
    let Some(start) = html.find("id=\"error-summary\"") else { return Vec::new() };
    let summary = &html[start..html[start..].find("</div>").map_or(html.len(), |e| start + e)];
    summary.split("href=\"#").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
}

/// The day `n` days from today (UK) in the three boxes of a date: day, month, year.
fn dmy(n: i64) -> [String; 3] {
    let d: jiff::civil::Date = days(n).parse().unwrap();
    [d.day().to_string(), d.month().to_string(), d.year().to_string()]
}

/// A date as the pages write it: "7 November 2024".
fn uk(n: i64) -> String {
    let d: jiff::civil::Date = days(n).parse().unwrap();
    d.strftime("%-d %B %Y").to_string()
}

/// The part of a page from the element with `id` to the end of its table row.
fn row<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

/// Adds a person through the form; their id.
async fn add_person(app: &TestApp, web: &Web, given: &str, family: &str, dob: Option<i64>) -> String {
    let [d, m, y] = dob.map(dmy).unwrap_or_default();
    let fields = [
        ("given_name", given),
        ("family_name", family),
        ("gender", "female"),
        ("dob-day", &d),
        ("dob-month", &m),
        ("dob-year", &y),
    ];
    let (status, location, html) = web.post(app, "/people/new", &fields).await;
    assert_eq!(status, 303, "{html}");
    let id = location.strip_prefix("/people/").and_then(|l| l.strip_suffix("?done=person-added"));
    id.unwrap_or_else(|| panic!("redirected to {location}")).to_string()
}

/// Opens a child-in-need episode of `web`'s team through the form, `n` days ago; its id.
async fn open_episode(app: &TestApp, web: &Web, person: &str, team: &str, n: i64) -> String {
    let [d, m, y] = dmy(n);
    let fields = [
        ("record_class", "child_in_need"),
        ("opened-day", &d),
        ("opened-month", &m),
        ("opened-year", &y),
        ("team", team),
    ];
    let (status, location, html) = web.post(app, &format!("/people/{person}/episodes/new"), &fields).await;
    assert_eq!(status, 303, "{html}");
    let prefix = format!("/people/{person}?done=episode-opened#ep-");
    location.strip_prefix(&prefix).unwrap_or_else(|| panic!("redirected to {location}")).to_string()
}

async fn team_of(app: &TestApp, username: &str) -> String {
    app.user(username).await.team_id.unwrap().to_string()
}

both_backends!(a_practitioner_adds_a_person_after_seeing_every_problem_at_once, |app: TestApp| async move {
    let sw = sign_in(&app, "sw.demo").await;
    let (status, search) = sw.get(&app, "/people").await;
    assert_eq!(status, 200);
    assert!(search.contains("href=\"/people/new\""), "the search page offers to add a person");
    let (status, form) = sw.get(&app, "/people/new").await;
    assert_eq!(status, 200, "{form}");
    for field in [
        "id=\"given_name\"",
        "id=\"family_name\"",
        "id=\"dob-day\"",
        "id=\"gender\"",
        "id=\"nhs_number\"",
        "id=\"postcode\"",
    ] {
        assert!(form.contains(field), "{field} missing from the form");
    }
    assert!(form.contains("Not known") && form.contains("Non-binary"), "genders in words");

    let before = app.count("persons").await;
    let (status, _, html) = sw.post(&app, "/people/new", &[]).await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(summary_links(&html), ["given_name", "family_name", "gender"], "every problem, in the form's order");
    assert!(html.contains("id=\"given_name-error\"") && html.contains("id=\"gender-error\""), "beside each field");
    assert!(html.contains("<title>Error: Add a person"), "{html}");

    let [d, m, y] = dmy(3);
    let bad = [
        ("given_name", "Maisie"),
        ("family_name", " "),
        ("dob-day", d.as_str()),
        ("dob-month", m.as_str()),
        ("dob-year", y.as_str()),
        ("gender", "not_stated"),
        ("nhs_number", "943 476 5918"),
        ("postcode", "nowhere"),
    ];
    let (status, _, html) = sw.post(&app, "/people/new", &bad).await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["family_name", "dob-day", "nhs_number", "postcode"]);
    assert!(html.contains("The date of birth must be today or in the past."), "{html}");
    assert!(html.contains("Enter a real NHS number") && html.contains("the check digit does not match"));
    assert!(html.contains("Enter a real postcode"));
    assert!(html.contains("value=\"Maisie\"") && html.contains("value=\"943 476 5918\""), "what was typed is kept");
    assert!(html.contains("value=\"not_stated\" checked"), "what was chosen is kept");
    assert_eq!(app.count("persons").await, before, "nothing was written");

    let [d, m, y] = dmy(-3000);
    let good = [
        ("given_name", "Maisie"),
        ("family_name", "Thornbury"),
        ("dob-day", d.as_str()),
        ("dob-month", m.as_str()),
        ("dob-year", y.as_str()),
        ("gender", "unknown"),
        ("nhs_number", "943 476 5919"),
        ("address1", "7 Kestrel Close"),
        ("address2", "Poole"),
        ("postcode", "bh12 3qt"),
    ];
    let (status, location, _) = sw.post(&app, "/people/new", &good).await;
    assert_eq!(status, 303);
    assert_eq!(app.count("persons").await, before + 1);
    let (status, page) = sw.get(&app, &location).await;
    assert_eq!(status, 200, "the practitioner's team can read the person they added");
    assert!(page.contains("id=\"confirmation\"") && page.contains("Person added"), "{page}");
    assert!(page.contains("<dd id=\"gender\">Not known</dd>"), "gender in words");
    assert!(page.contains(&uk(-3000)), "the date of birth the UK way");
    assert!(page.contains("BH12 3QT") && page.contains("943 476 5919"));
    let (_, again) = sw.get(&app, location.split('?').next().unwrap()).await;
    assert!(!again.contains("Person added"), "the banner is for the save only");
});

both_backends!(roles_that_may_not_add_people_are_refused_and_nothing_is_written, |app: TestApp| async move {
    let before = app.count("persons").await;
    for who in ["school.demo", "auditor.demo"] {
        let web = sign_in(&app, who).await;
        let (_, search) = web.get(&app, "/people").await;
        assert!(!search.contains("href=\"/people/new\""), "{who} is not offered the form");
        let (status, html) = web.get(&app, "/people/new").await;
        assert_eq!(status, 403, "{who}: {html}");
        assert!(html.contains("You cannot see this"));
        let whole = [("given_name", "Ivy"), ("family_name", "Refused"), ("gender", "female")];
        assert_eq!(web.post(&app, "/people/new", &whole).await.0, 403, "{who}, a whole form");
        assert_eq!(web.post(&app, "/people/new", &[]).await.0, 403, "{who}, an empty form");
    }
    assert_eq!(app.count("persons").await, before, "nothing was written");
});

both_backends!(a_practitioner_opens_and_closes_an_episode, |app: TestApp| async move {
    let sw = sign_in(&app, "sw.demo").await;
    let team = team_of(&app, "sw.demo").await;
    let child = add_person(&app, &sw, "Arlo", "Episode", Some(-3000)).await;
    let (_, page) = sw.get(&app, &format!("/people/{child}")).await;
    assert!(page.contains(&format!("href=\"/people/{child}/episodes/new\"")), "the page offers to open one");

    let path = format!("/people/{child}/episodes/new");
    let (status, form) = sw.get(&app, &path).await;
    assert_eq!(status, 200, "{form}");
    assert!(form.contains("Child protection plan") && form.contains("LADO (allegation against staff)"), "in words");
    assert!(!form.contains(">child_protection_plan<"), "no codes");
    assert!(form.contains(&format!("<option value=\"{team}\" selected>")), "their own team first");

    let before = app.count("episodes").await;
    let (status, _, html) = sw.post(&app, &path, &[]).await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["record_class", "opened-day", "team"]);
    let [d, m, y] = dmy(2);
    let future = [
        ("record_class", "looked_after"),
        ("opened-day", &d),
        ("opened-month", &m),
        ("opened-year", &y),
        ("team", &team),
    ];
    let (status, _, html) = sw.post(&app, &path, &future).await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"opened-day-error\"") && html.contains("must be today or in the past"), "{html}");
    assert!(html.contains("value=\"looked_after\" checked"), "what was chosen is kept");
    assert_eq!(app.count("episodes").await, before, "nothing was written");

    let episode = open_episode(&app, &sw, &child, &team, -20).await;
    assert_eq!(app.count("episodes").await, before + 1);
    let (_, page) = sw.get(&app, &format!("/people/{child}?done=episode-opened")).await;
    assert!(page.contains("Episode opened") && page.contains("Child in need"));
    assert!(page.contains(&format!("Opened {}", uk(-20))), "opened on, the UK way");

    // Closing: the confirmation says how long the record is then kept.
    let close = format!("/episodes/{episode}/close");
    let (status, confirm) = sw.get(&app, &close).await;
    assert_eq!(status, 200, "{confirm}");
    assert!(confirm.contains("id=\"retention-consequence\""), "{confirm}");
    // A child in need's record is kept from the date of birth (the notice's row), whenever the
    // episode closes.
    assert!(
        confirm.contains("Closing it does not change how long it is kept: it may be disposed of from"),
        "{confirm}"
    );
    let [d, m, y] = dmy(-21);
    let early = [("closed-day", d.as_str()), ("closed-month", &m), ("closed-year", &y)];
    let (status, _, html) = sw.post(&app, &close, &early).await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["closed-day"]);
    assert!(html.contains("id=\"closed-day-error\""), "beside the field");
    assert!(html.contains(&format!("after the day it opened, {}", uk(-20))), "{html}");
    let id = episode.parse().unwrap();
    assert_eq!(app.store.episode(id).await.unwrap().closed_on, None, "nothing changed");

    let [d, m, y] = dmy(0);
    let (status, location, _) =
        sw.post(&app, &close, &[("closed-day", &d), ("closed-month", &m), ("closed-year", &y)]).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/people/{child}?done=episode-closed#ep-{episode}"));
    assert_eq!(app.store.episode(id).await.unwrap().closed_on, Some(days(0).parse().unwrap()));
    let (_, page) = sw.get(&app, &location).await;
    assert!(page.contains("Episode closed") && page.contains(&format!("closed {}", uk(0))));
    assert_eq!(sw.get(&app, &close).await.0, 409, "an episode closes once");
});

both_backends!(an_episode_past_the_age_for_services_needs_a_reason, |app: TestApp| async move {
    let sw = sign_in(&app, "sw.demo").await;
    let team = team_of(&app, "sw.demo").await;
    let adult = add_person(&app, &sw, "Rhys", "Leaver", Some(-365 * 21)).await;
    let path = format!("/people/{adult}/episodes/new");
    let (_, form) = sw.get(&app, &path).await;
    assert!(form.contains("id=\"eligibility_override\""), "the reason is asked for");
    let [d, m, y] = dmy(-1);
    let mut fields = vec![
        ("record_class", "early_help"),
        ("opened-day", &d),
        ("opened-month", &m),
        ("opened-year", &y),
        ("team", &team),
    ];
    let before = app.count("episodes").await;
    let (status, _, html) = sw.post(&app, &path, &fields).await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["eligibility_override"]);
    assert!(html.contains("Rhys Leaver was past the age for services"), "{html}");
    assert_eq!(app.count("episodes").await, before);
    fields.push(("eligibility_override", "Leaving-care duty to a former relevant child."));
    assert_eq!(sw.post(&app, &path, &fields).await.0, 303);
    assert_eq!(app.count("episodes").await, before + 1);
});

both_backends!(a_relationship_added_shows_in_the_household_view, |app: TestApp| async move {
    let sw = sign_in(&app, "sw.demo").await;
    let child = add_person(&app, &sw, "Maisie", "Householder", Some(-3000)).await;
    let mother = add_person(&app, &sw, "Joanne", "Householder", None).await;
    let partner = add_person(&app, &sw, "Callum", "Ridley", None).await;
    let path = format!("/people/{child}/relationships/new");

    let (status, html) = sw.get(&app, &format!("{path}?name=Householder")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(&format!("href=\"{path}?to={mother}\"")), "the mother is listed: {html}");
    assert!(!html.contains(&format!("?to={child}\"")), "not the child herself");
    let (status, html) = sw.get(&app, &format!("{path}?to={mother}")).await;
    assert_eq!(status, 200);
    assert!(html
        .contains("Joanne Householder is Maisie Householder\u{2019}s parent or carer, with parental responsibility"));

    let before = app.count("relationships").await;
    let (status, _, html) = sw.post(&app, &path, &[("to", &mother)]).await;
    assert_eq!(status, 422);
    assert_eq!(summary_links(&html), ["kind"]);
    assert!(html.contains("Select how they are related."));
    assert_eq!(app.count("relationships").await, before, "nothing was written");

    let (status, location, _) = sw.post(&app, &path, &[("to", &mother), ("kind", "parent_pr")]).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/people/{child}?done=relationship-added#household"));
    assert_eq!(sw.post(&app, &path, &[("to", &partner), ("kind", "household")]).await.0, 303);
    assert_eq!(app.count("relationships").await, before + 2);

    let (_, page) = sw.get(&app, &location).await;
    assert!(page.contains("Relationship added"));
    let joanne = row(&page, &format!("member-{mother}"));
    assert!(
        joanne.contains("Maisie\u{2019}s parent or carer") && joanne.contains("Has parental responsibility for Maisie"),
        "{joanne}"
    );
    let callum = row(&page, &format!("member-{partner}"));
    assert!(callum.contains("Lives in Maisie\u{2019}s household") && callum.contains("<td>Yes</td>"), "{callum}");
    assert!(callum.contains("Not a parent or carer"), "{callum}");
    // The same link, seen from the mother's record.
    let (_, page) = sw.get(&app, &format!("/people/{mother}")).await;
    let maisie = row(&page, &format!("member-{child}"));
    assert!(maisie.contains("Joanne has parental responsibility for them"), "{maisie}");
});

/// A child of `team` with an open child-in-need episode, made by the hub; their id.
async fn child_of_team(app: &TestApp, team: &str, given: &str) -> String {
    let hub = app.token("mash.demo").await;
    let p = json!({"given_name": given, "family_name": "Elsewhere", "date_of_birth": "2015-06-07", "gender": "male"});
    let id = json(app.post("/api/v1/people", &hub, &p).await, 201).await["id"].as_str().unwrap().to_string();
    let ep = json!({"record_class": "child_in_need", "opened_on": days(-60), "team_id": app.team_id(team).await});
    json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &ep).await, 201).await;
    id
}

both_backends!(the_relationship_search_never_lists_a_person_the_practitioner_may_not_read, |app: TestApp| async move {
    let other_team = child_of_team(&app, "Assessment and Intervention 2", "Bram").await;
    let own = child_of_team(&app, "Assessment and Intervention 1", "Arlo").await;
    let sw = sign_in(&app, "sw.demo").await;
    let path = format!("/people/{own}/relationships/new");
    let (status, html) = sw.get(&app, &format!("{path}?name=Elsewhere")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("0 people you can see"), "{html}");
    assert!(!html.contains(&other_team) && !html.contains("Bram"), "the other team's child is not listed");
    // The hub reads both: the same search lists Bram, so it is the filter that hides him.
    let hub = sign_in(&app, "mash.demo").await;
    let (_, html) = hub.get(&app, &format!("{path}?name=Elsewhere")).await;
    assert!(html.contains(&format!("?to={other_team}\"")) && html.contains("Bram Elsewhere"), "{html}");
    // Naming him by hand does not get round it either.
    assert_eq!(sw.get(&app, &format!("{path}?to={other_team}")).await.0, 403);
    let before = app.count("relationships").await;
    let (status, _, html) = sw.post(&app, &path, &[("to", &other_team), ("kind", "sibling")]).await;
    assert_eq!(status, 403, "{html}");
    assert!(!html.contains("Bram"));
    assert_eq!(app.count("relationships").await, before, "nothing was written");
});

both_backends!(the_chronology_lists_every_entry_newest_first_and_filters, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let hub_name = app.user("mash.demo").await.display_name;
    let hub_id = app.user("mash.demo").await.id.to_string();
    let police = common::org(&app, "dorset-police").await;
    let p =
        json!({"given_name": "Ruby", "family_name": "Chronicle", "date_of_birth": "2016-02-03", "gender": "female"});
    let child = json(app.post("/api/v1/people", &hub, &p).await, 201).await["id"].as_str().unwrap().to_string();
    let team = app.team_id("Assessment and Intervention 1").await;
    let mut episodes = Vec::new();
    for class in ["child_in_need", "early_help"] {
        let ep = json!({"record_class": class, "opened_on": days(-60), "team_id": team});
        let ep = json(app.post(&format!("/api/v1/people/{child}/episodes"), &hub, &ep).await, 201).await;
        episodes.push(ep["id"].as_str().unwrap().to_string());
    }
    for (ep, kind, n, subject, source) in [
        (0, "meeting", -30, "Strategy meeting", json!({"kind": "staff", "user_id": hub_id})),
        (1, "assessment", -20, "Early help assessment", json!({"kind": "staff", "user_id": hub_id})),
        (
            0,
            "information_received",
            -10,
            "Police attended the home",
            json!({"kind": "organisation", "organisation_id": police}),
        ),
        (0, "contact", -3, "School contact", json!({"kind": "staff", "user_id": hub_id})),
    ] {
        let e = json!({"kind": kind, "occurred_at": format!("{}T10:30:00", days(n)), "subject": subject,
            "detail": "Recorded for the chronology test.", "source": source, "categories": []});
        json(app.post(&format!("/api/v1/episodes/{}/entries", episodes[ep]), &hub, &e).await, 201).await;
    }
    let sw = sign_in(&app, "sw.demo").await;
    let (_, page) = sw.get(&app, &format!("/people/{child}")).await;
    assert!(page.contains(&format!("href=\"/people/{child}/chronology\"")), "the person page links to it");
    let path = format!("/people/{child}/chronology");
    let (status, html) = sw.get(&app, &path).await;
    assert_eq!(status, 200, "{html}");
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing: {html}"));
    assert!(at("School contact") < at("Police attended") && at("Police attended") < at("Early help assessment"));
    assert!(at("Early help assessment") < at("Strategy meeting"), "newest first");
    assert!(
        html.contains("Date (UK time)") && html.contains(&format!("{}, 10:30", uk(-10))),
        "dates labelled, the UK way"
    );
    assert!(
        html.contains("<td>Information received</td>") && html.contains("<td>Early help</td>"),
        "kinds and records in words"
    );
    assert!(html.contains("Dorset Police") && html.contains(&hub_name), "who gave the information");
    assert!(html.contains("4 entries."));

    let subjects = |html: &str| -> Vec<&str> {
        ["School contact", "Police attended the home", "Early help assessment", "Strategy meeting"]
            .into_iter()
            .filter(|s| html.contains(&format!(">{s}</a>")))
            .collect()
    };
    let (status, html) = sw.get(&app, &format!("{path}?kind=meeting&class=&from=&to=")).await;
    assert_eq!(status, 200);
    assert_eq!(subjects(&html), ["Strategy meeting"]);
    assert!(html.contains("1 of 4 entries match") && html.contains("<option value=\"meeting\" selected>"));
    let (_, html) = sw.get(&app, &format!("{path}?kind=&class=&from={}&to={}", days(-15), days(-5))).await;
    assert_eq!(subjects(&html), ["Police attended the home"]);
    let (_, html) = sw.get(&app, &format!("{path}?kind=&class=early_help&from=&to=")).await;
    assert_eq!(subjects(&html), ["Early help assessment"]);
    let (_, html) = sw.get(&app, &format!("{path}?from={}", days(-20))).await;
    assert_eq!(
        subjects(&html),
        ["School contact", "Police attended the home", "Early help assessment"],
        "from the day itself"
    );

    let (status, html) = sw.get(&app, &format!("{path}?from=last+tuesday")).await;
    assert_eq!(status, 400);
    assert_eq!(summary_links(&html), ["from"]);
    assert!(subjects(&html).is_empty());
    let (status, html) = sw.get(&app, &format!("{path}?from={}&to={}", days(-1), days(-20))).await;
    assert_eq!(status, 400);
    assert!(html.contains("The last date must be the same as or after the first date."));
    assert_eq!(sw.get(&app, &format!("{path}?kind=gossip")).await.0, 400);
    // Someone who may not read the record reads none of its chronology.
    let school = sign_in(&app, "school.demo").await;
    let (status, html) = school.get(&app, &path).await;
    assert_eq!(status, 403);
    assert!(!html.contains("Strategy meeting"));
});

both_backends!(forms_without_the_session_token_are_refused_and_write_nothing, |app: TestApp| async move {
    let sw = sign_in(&app, "sw.demo").await;
    let team = team_of(&app, "sw.demo").await;
    let child = add_person(&app, &sw, "Nell", "Token", Some(-3000)).await;
    let other = add_person(&app, &sw, "Ned", "Token", None).await;
    let episode = open_episode(&app, &sw, &child, &team, -5).await;
    let counts =
        || async { (app.count("persons").await, app.count("episodes").await, app.count("relationships").await) };
    let before = counts().await;
    let [d, m, y] = dmy(-1);
    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/people/new".into(), vec![("given_name", "Forged"), ("family_name", "Token"), ("gender", "male")]),
        (
            format!("/people/{child}/episodes/new"),
            vec![
                ("record_class", "early_help"),
                ("opened-day", &d),
                ("opened-month", &m),
                ("opened-year", &y),
                ("team", &team),
            ],
        ),
        (format!("/episodes/{episode}/close"), vec![("closed-day", &d), ("closed-month", &m), ("closed-year", &y)]),
        (format!("/people/{child}/relationships/new"), vec![("to", &other), ("kind", "sibling")]),
    ];
    for (path, fields) in &forms {
        let (status, _, html) = sw.post_raw(&app, path, fields).await;
        assert_eq!(status, 403, "{path} without a token: {html}");
        let mut forged = fields.clone();
        forged.push(("csrf_token", "forged"));
        assert_eq!(sw.post_raw(&app, path, &forged).await.0, 403, "{path} with a forged token");
    }
    assert_eq!(counts().await, before, "nothing was written");
    assert_eq!(app.store.episode(episode.parse().unwrap()).await.unwrap().closed_on, None);
});
