//! Issue 11, dates the law and the calendar get right, on both databases: a recorded death
//! moves the looked-after floor (CPPCR (England) Regulations 2010, reg 50); an adoption record
//! is kept 100 years from the order and says so (Adoption Agencies Regulations 2005, reg 41);
//! the NHS numbers CP-IS cannot use are listed for correction (rules.md rule 29); and the
//! domestic abuse notification deadline skips bank holidays (Easter 2027).
//!
//! Every date here is fixed, or far enough from today that the test holds whenever it runs.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use std::collections::BTreeSet;

use common::{json, TestApp};
use serde_json::{json, Value};
use sqlx::Connection;

const AI1: &str = "Assessment and Intervention 1";
const AI2: &str = "Assessment and Intervention 2";

fn days_ago(n: i64) -> String {
    (harbour_app::Now::read().today() - jiff::Span::new().days(n)).to_string()
}

async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.request(reqwest::Method::PUT, path, token).json(body).send().await.unwrap()
}

/// The hub records a child and opens an episode for them on `team`; returns (person, episode).
async fn child(
    app: &TestApp,
    given: &str,
    dob: &str,
    nhs: Option<&str>,
    team: &str,
    episode: Value,
) -> (String, String) {
    let hub = app.token("mash.demo").await;
    let mut body =
        json!({"given_name": given, "family_name": "Calendarcase", "date_of_birth": dob, "gender": "female"});
    if let Some(n) = nhs {
        body["nhs_number"] = json!(n);
    }
    let person = json(app.post("/api/v1/people", &hub, &body).await, 201).await;
    let id = person["id"].as_str().unwrap().to_string();
    let mut episode = episode;
    episode["team_id"] = json!(app.team_id(team).await);
    let ep = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &episode).await, 201).await;
    (id, ep["id"].as_str().unwrap().to_string())
}

async fn retention_of(app: &TestApp, token: &str, person: &str, episode: &str) -> Value {
    let r = json(app.get(&format!("/api/v1/people/{person}/retention"), token).await, 200).await;
    r["records"].as_array().unwrap().iter().find(|x| x["episode_id"] == episode).unwrap().clone()
}

async fn actions_about(app: &TestApp, person: &str) -> Vec<(String, Option<String>)> {
    let events = app.store.audit_for_person(person.parse().unwrap()).await.unwrap();
    events.into_iter().map(|e| (e.action, e.actor_id)).collect()
}

async fn count_deaths(app: &TestApp) -> i64 {
    let mut conn = sqlx::AnyConnection::connect(&app.database_url).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons WHERE date_of_death IS NOT NULL")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let _ = conn.close().await;
    n
}

// CPPCR (England) Regulations 2010, reg 50: a looked-after child's record is kept to the 75th
// birthday or, if the child dies before 18, 15 years from the death, whatever row it was given.
both_backends!(recording_a_death_moves_the_looked_after_floor, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    // Born on a leap day; kept under a shorter row (date of birth + 25 years) chosen for it.
    let (id, ep) = child(
        &app,
        "Lark",
        "2012-02-29",
        None,
        AI1,
        json!({"record_class": "looked_after", "opened_on": "2020-01-10", "closed_on": "2024-06-30",
               "retention_class": "bcp-childrens-services/child-health-and-disability"}),
    )
    .await;
    let r = retention_of(&app, &hub, &id, &ep).await;
    // The row's date would be 2037-03-01 (29 February + 25 years is 1 March); the law's floor,
    // the 75th birthday (1 March 2087), is later and is named.
    assert_eq!(r["disposal"], json!({"state": "on", "date": "2087-03-01", "floor": "seventy_fifth_birthday"}));
    assert!(r["statutory_floor"].as_str().unwrap().contains("reg 50"), "{r}");

    // Refused, and nothing written: in the future, before birth, an unknown field, no such
    // person, someone who may not write the record.
    let death = format!("/api/v1/people/{id}/death");
    for (who, body, status) in [
        (&hub, json!({"date_of_death": days_ago(-3)}), 422),
        (&hub, json!({"date_of_death": "2012-02-28"}), 422),
        (&hub, json!({"date_of_death": "2025-06-01", "cause": "x"}), 400),
        (&app.token("school.demo").await, json!({"date_of_death": "2025-06-01"}), 403),
        (&app.token("auditor.demo").await, json!({"date_of_death": "2025-06-01"}), 403),
    ] {
        json(app.post(&death, who, &body).await, status).await;
    }
    let nobody = format!("/api/v1/people/{}/death", harbour_domain::PersonId::new());
    json(app.post(&nobody, &hub, &json!({"date_of_death": "2025-06-01"})).await, 404).await;
    assert_eq!(count_deaths(&app).await, 0, "refusals write nothing");

    // Died aged 13: the floor is 15 years from the death, later than the row's 2037.
    let recorded = json(app.post(&death, &hub, &json!({"date_of_death": "2025-06-01"})).await, 200).await;
    assert_eq!(recorded["date_of_death"], "2025-06-01");
    let mine = recorded["retention"]["records"].as_array().unwrap().iter().find(|x| x["episode_id"] == ep).unwrap();
    assert_eq!(mine["disposal"], json!({"state": "on", "date": "2040-06-01", "floor": "fifteen_years_from_death"}));
    assert_eq!(retention_of(&app, &hub, &id, &ep).await["disposal"]["date"], "2040-06-01");
    let person = json(app.get(&format!("/api/v1/people/{id}"), &hub).await, 200).await;
    assert_eq!(person["person"]["date_of_death"], "2025-06-01");
    assert!(actions_about(&app, &id).await.iter().any(|(a, _)| a == "person.death.record"));

    // Corrected to an earlier death: 15 years from it (2035) is before the row's date, so the
    // row decides and no floor is named.
    json(app.post(&death, &hub, &json!({"date_of_death": "2020-01-01"})).await, 200).await;
    assert_eq!(retention_of(&app, &hub, &id, &ep).await["disposal"], json!({"state": "on", "date": "2037-03-01"}));

    // Under the notice's own looked-after row (the 75th birthday) the row is longer than the
    // floor after a death, so the row decides.
    let team = app.team_id(AI1).await;
    let default_row = json!({"record_class": "looked_after", "opened_on": "2020-02-01", "closed_on": "2024-06-30",
                             "team_id": team});
    let ep2 = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &default_row).await, 201).await;
    let r = retention_of(&app, &hub, &id, ep2["id"].as_str().unwrap()).await;
    assert_eq!(r["retention_class"], "bcp-childrens-services/looked-after");
    assert_eq!(r["disposal"], json!({"state": "on", "date": "2087-03-01"}));
});

// Adoption Agencies Regulations 2005, reg 41: at least 100 years from the adoption order, read
// as the adoption episode's closing date. No notice has an adoption row, so adoption episodes
// are kept under the law's own row by default.
both_backends!(the_adoption_floor_names_itself, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let (id, ep) = child(
        &app,
        "Ada",
        "2015-04-01",
        None,
        AI1,
        json!({"record_class": "adoption", "opened_on": "2018-01-01", "closed_on": "2019-07-15"}),
    )
    .await;
    let r = retention_of(&app, &hub, &id, &ep).await;
    assert_eq!(r["retention_class"], "statutory/adoption");
    assert!(r["period"].as_str().unwrap().contains("Adoption Agencies Regulations 2005, reg 41"), "{r}");
    assert_eq!(r["disposal"], json!({"state": "on", "date": "2119-07-15", "floor": "adoption_order"}));
    assert!(r["statutory_floor"].as_str().unwrap().contains("100 years from the adoption order"), "{r}");

    // A shorter row chosen for an adoption record (admissions: 7 years from creation) is raised
    // to the floor; an open adoption episode waits for the order.
    let team = app.team_id(AI1).await;
    let short = json!({"record_class": "adoption", "opened_on": "2019-08-01", "closed_on": "2020-01-31",
                       "team_id": team, "retention_class": "bcp-childrens-services/admissions"});
    let ep2 = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &short).await, 201).await;
    let r = retention_of(&app, &hub, &id, ep2["id"].as_str().unwrap()).await;
    assert_eq!(r["disposal"], json!({"state": "on", "date": "2120-01-31", "floor": "adoption_order"}));
    let open = json!({"record_class": "adoption", "opened_on": days_ago(10), "team_id": team});
    let ep3 = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &open).await, 201).await;
    let r = retention_of(&app, &hub, &id, ep3["id"].as_str().unwrap()).await;
    assert_eq!(r["disposal"], json!({"state": "pending", "trigger": "case_closure"}));
});

/// The ids the data-quality list gives `token`.
async fn listed(app: &TestApp, token: &str) -> BTreeSet<String> {
    let list = json(app.get("/api/v1/data-quality/nhs-numbers", token).await, 200).await;
    list.as_array().unwrap().iter().map(|x| x["person_id"].as_str().unwrap().to_string()).collect()
}

/// Everyone CP-IS would share (a child protection plan or looked-after episode open, or closed
/// within 365 days) whose NHS number is missing or unverified, worked out here from the rows.
async fn expected_to_correct(app: &TestApp) -> BTreeSet<String> {
    let since = days_ago(365);
    let mut conn = sqlx::AnyConnection::connect(&app.database_url).await.unwrap();
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT person_id FROM episodes").fetch_all(&mut conn).await.unwrap();
    let _ = conn.close().await;
    let mut out = BTreeSet::new();
    for id in ids {
        let p = app.store.person(id.parse().unwrap()).await.unwrap();
        let eps = app.store.episodes_of(p.id).await.unwrap();
        let shared = eps.iter().any(|e| {
            matches!(
                e.record_class,
                harbour_domain::RecordClass::ChildProtectionPlan | harbour_domain::RecordClass::LookedAfter
            ) && e.closed_on.is_none_or(|c| c.to_string() >= since)
        });
        if shared && (p.nhs_number.is_none() || p.nhs_number_verified.is_none()) {
            out.insert(id);
        }
    }
    out
}

// Rules.md rule 29: CP-IS cannot flag a child without a verified NHS number.
both_backends!(the_nhs_list_shows_exactly_the_unverified_cp_is_children, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let sw = app.token("sw.demo").await;
    let tm = app.token("tm.demo").await;
    let sw_id = app.user("sw.demo").await.id.to_string();
    // The demo data has a few children on a plan or in care with no checked number.
    let demo = listed(&app, &hub).await;
    assert!(!demo.is_empty(), "the demo list is not empty");
    assert_eq!(demo, expected_to_correct(&app).await);

    let cp = |opened: &str| json!({"record_class": "child_protection_plan", "opened_on": opened});
    let (checked, _) = child(&app, "Cora", "2016-05-01", Some("943 476 5919"), AI1, cp(&days_ago(200))).await;
    let (unchecked, _) = child(&app, "Dora", "2017-05-01", Some("401 023 2137"), AI1, cp(&days_ago(200))).await;
    let looked_after = json!({"record_class": "looked_after", "opened_on": days_ago(200)});
    let (missing, _) = child(&app, "Flora", "2018-05-01", None, AI1, looked_after).await;
    let cin = json!({"record_class": "child_in_need", "opened_on": days_ago(200)});
    let (not_cp_is, _) = child(&app, "Nora", "2018-06-01", None, AI1, cin).await;
    let long_ago =
        json!({"record_class": "child_protection_plan", "opened_on": days_ago(900), "closed_on": days_ago(800)});
    let (ended_long_ago, _) = child(&app, "Petra", "2014-05-01", None, AI1, long_ago).await;
    let lately =
        json!({"record_class": "child_protection_plan", "opened_on": days_ago(300), "closed_on": days_ago(60)});
    let (ended_lately, _) = child(&app, "Rosa", "2014-06-01", None, AI1, lately).await;
    let (elsewhere, _) = child(&app, "Gina", "2015-05-01", None, AI2, cp(&days_ago(200))).await;

    // Cora's number is checked: she leaves the list; the record says who checked it and when.
    let verify = json!({"nhs_number": "943 476 5919", "verified": true});
    let before = harbour_app::Now::read().today().to_string();
    let v = json(put(&app, &format!("/api/v1/people/{checked}/nhs-number"), &sw, &verify).await, 200).await;
    let after = harbour_app::Now::read().today().to_string();
    assert_eq!(v["nhs_number_verified"]["verified_by"], sw_id.as_str());
    // Today, in UK time (either side of midnight if the test runs across it).
    let on = v["nhs_number_verified"]["verified_on"].as_str().unwrap().to_string();
    assert!(before <= on && on <= after, "{on}");
    let person = json(app.get(&format!("/api/v1/people/{checked}"), &sw).await, 200).await;
    assert_eq!(person["person"]["nhs_number_verified"], v["nhs_number_verified"]);
    assert!(actions_about(&app, &checked)
        .await
        .iter()
        .any(|(a, by)| a == "person.nhs_number.verify" && by.as_deref() == Some(sw_id.as_str())));

    let all = listed(&app, &hub).await;
    assert_eq!(all, expected_to_correct(&app).await);
    for id in [&unchecked, &missing, &ended_lately, &elsewhere] {
        assert!(all.contains(id), "{id} is listed");
    }
    for id in [&checked, &not_cp_is, &ended_long_ago] {
        assert!(!all.contains(id), "{id} is not listed");
    }
    let list = json(app.get("/api/v1/data-quality/nhs-numbers", &hub).await, 200).await;
    let line = |id: &str| list.as_array().unwrap().iter().find(|x| x["person_id"] == id).unwrap().clone();
    assert_eq!(line(&unchecked)["problem"], "not_verified");
    assert_eq!(line(&unchecked)["nhs_number"], "401 023 2137");
    assert_eq!(line(&missing)["problem"], "missing");
    assert_eq!(line(&missing)["episodes"][0]["record_class"], "looked_after");

    // The team sees only the people it works with, each listing audited as theirs; partners and
    // auditors read no case records and get nothing.
    for token in [&sw, &tm] {
        let theirs = listed(&app, token).await;
        assert!(theirs.contains(&unchecked) && theirs.contains(&missing), "{theirs:?}");
        assert!(!theirs.contains(&elsewhere), "Gina's plan is with another team");
    }
    let listed_by_sw = |events: &[(String, Option<String>)]| {
        events.iter().any(|(a, by)| a == "person.listed" && by.as_deref() == Some(sw_id.as_str()))
    };
    assert!(listed_by_sw(&actions_about(&app, &unchecked).await));
    assert!(!listed_by_sw(&actions_about(&app, &elsewhere).await));
    for who in ["school.demo", "police.demo", "auditor.demo", "admin.demo"] {
        assert!(listed(&app, &app.token(who).await).await.is_empty(), "{who} sees nothing");
    }

    // Bad numbers and someone who may not write the record are refused and change nothing.
    let dora = format!("/api/v1/people/{unchecked}/nhs-number");
    for (who, body, status) in [
        (&hub, json!({"nhs_number": "943 476 5918", "verified": true}), 422),
        (&hub, json!({"nhs_number": " ", "verified": true}), 422),
        (&hub, json!({"nhs_number": "401 023 2137", "verified": "yes"}), 400),
        (&app.token("school.demo").await, json!({"nhs_number": "401 023 2137", "verified": true}), 403),
    ] {
        json(put(&app, &dora, who, &body).await, status).await;
    }
    let p = app.store.person(unchecked.parse().unwrap()).await.unwrap();
    assert_eq!((p.nhs_number.unwrap().digits(), p.nhs_number_verified), ("4010232137", None));

    // Flora's number recorded and checked; Cora's changed without a check loses her verification.
    let flora = json!({"nhs_number": "4010232137", "verified": true});
    json(put(&app, &format!("/api/v1/people/{missing}/nhs-number"), &tm, &flora).await, 200).await;
    let changed = json!({"nhs_number": "401 023 2137"});
    let v = json(put(&app, &format!("/api/v1/people/{checked}/nhs-number"), &sw, &changed).await, 200).await;
    assert_eq!(v["nhs_number_verified"], Value::Null);
    let now = listed(&app, &hub).await;
    assert!(now.contains(&checked) && !now.contains(&missing));
    assert_eq!(now, expected_to_correct(&app).await);
    // The changed number is what a search by it finds.
    let found = json(app.get("/api/v1/people?identifier=4010232137", &hub).await, 200).await;
    assert!(found.as_array().unwrap().iter().any(|x| x["id"] == checked.as_str()));
});

// Seed 000 (Operation Encompass): the school hears before the start of the next school day;
// Good Friday and Easter Monday are bank holidays whether or not anyone configured them.
both_backends!(the_notification_deadline_skips_easter_2027, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let deadline = |at: &str| format!("/api/v1/school-calendar/deadline?received_at={at}");
    // Thursday 25 March 2027, evening: Good Friday, the weekend, Easter Monday, then the demo
    // schools' Easter holidays (29 March to 9 April) and another weekend → Monday 12 April.
    let d = json(app.get(&deadline("2027-03-25T19:00"), &hub).await, 200).await;
    assert_eq!(d["deadline"], "2027-04-12T08:30:00");
    let skipped: Vec<(String, String)> = d["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["date"].as_str().unwrap().to_string(), x["kind"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(skipped[0], ("2027-03-26".to_string(), "bank_holiday".to_string()));
    assert_eq!(skipped[3], ("2027-03-29".to_string(), "bank_holiday".to_string()));
    assert_eq!(skipped[4], ("2027-03-30".to_string(), "school_holiday".to_string()));
    assert_eq!(skipped.len(), 17, "26 March to 11 April");
    assert_eq!(d["skipped"][0]["name"], "Good Friday");
    // Christmas 2027 falls on a Saturday and no school holiday is configured: the substitute
    // days (Monday 27 and Tuesday 28 December) are skipped all the same.
    let d = json(app.get(&deadline("2027-12-24T18:00:00"), &hub).await, 200).await;
    assert_eq!(d["deadline"], "2027-12-29T08:30:00");
    // The calendar lists each day off and why.
    let cal = json(app.get("/api/v1/school-calendar?from=2027-03-25&to=2027-03-30", &hub).await, 200).await;
    let names: Vec<&str> = cal["days_off"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Good Friday", "Saturday", "Sunday", "Easter Monday", "Easter holidays"]);
    // Not a date: 400; dates the range rule refuses: 422.
    for bad in [deadline("tomorrow"), "/api/v1/school-calendar?from=2027-13-01".to_string()] {
        json(app.get(&bad, &hub).await, 400).await;
    }
    for refused in ["from=2027-03-30&to=2027-03-25", "from=2027-01-01&to=2029-01-01"] {
        json(app.get(&format!("/api/v1/school-calendar?{refused}"), &hub).await, 422).await;
    }

    // A notification submitted now gets the deadline the calendar gives for its receipt.
    let police = app.token("police.demo").await;
    let incident = (jiff::Zoned::now().with_time_zone(jiff::tz::TimeZone::get("Europe/London").unwrap())
        - jiff::Span::new().hours(2))
    .datetime()
    .round(jiff::Unit::Minute)
    .unwrap();
    let body = json!({"police_reference": "DP/2027/0325", "incident_at": incident.to_string(),
                      "account": "Officers attended a domestic incident.", "location": "2 Ferry Approach, Poole",
                      "summary_for_school": "Officers were called to the home in the evening.",
                      "children": [{"given_name": "Ivy", "family_name": "Eastercase", "date_of_birth": "2017-04-01"}]});
    let n = json(app.post("/api/v1/da-notifications", &police, &body).await, 201).await;
    let received: jiff::Timestamp = n["received_at"].as_str().unwrap().parse().unwrap();
    let local = harbour_domain::uk_local(received);
    let d = json(app.get(&deadline(&local.to_string()), &hub).await, 200).await;
    assert_eq!(n["deadline"], d["deadline"]);
});

/// A signed-in browser session: its cookie and CSRF token (as tests/web.rs signs in).
async fn sign_in(app: &TestApp, username: &str) -> (String, String) {
    fn hidden(html: &str, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = html.find(&marker).unwrap_or_else(|| panic!("no hidden {name} in page")) + marker.len();
        html[start..].split('"').next().unwrap().to_string()
    }
    fn cookie(resp: &reqwest::Response, name: &str) -> String {
        let set = resp.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok());
        let found = set.into_iter().find(|v| v.starts_with(&format!("{name}="))).expect("cookie set");
        found.split(';').next().unwrap().to_string()
    }
    let page = app.client.get(format!("{}/login", app.base)).send().await.unwrap();
    let login_cookie = cookie(&page, "harbour_login_csrf");
    let token = hidden(&page.text().await.unwrap(), "csrf_token");
    let resp = app
        .client
        .post(format!("{}/login", app.base))
        .header("cookie", login_cookie)
        .form(&[("username", username), ("password", "demo"), ("csrf_token", &token), ("next", "/people")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "sign-in redirects");
    let session = cookie(&resp, "harbour_session");
    let page = app.client.get(format!("{}/people", app.base)).header("cookie", &session).send().await.unwrap();
    let csrf = hidden(&page.text().await.unwrap(), "csrf_token");
    (session, csrf)
}

// The hub's page of NHS numbers to correct, with a form on each line to record the check.
both_backends!(the_hub_corrects_nhs_numbers_on_a_page, |app: TestApp| async move {
    let cp = json!({"record_class": "child_protection_plan", "opened_on": days_ago(100)});
    let (id, _) = child(&app, "Tess", "2016-09-01", Some("401 023 2137"), AI1, cp).await;
    let (session, csrf) = sign_in(&app, "mash.demo").await;
    let page = app
        .client
        .get(format!("{}/data-quality/nhs-numbers", app.base))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"nav-nhs\"") && html.contains(&format!("id=\"nhs-{id}\"")), "the child is listed");
    let post = |form: Vec<(&'static str, String)>| {
        app.client.post(format!("{}/people/{id}/nhs-number", app.base)).header("cookie", &session).form(&form).send()
    };
    let number = "401 023 2137".to_string();
    let forged =
        post(vec![("csrf_token", "forged".into()), ("nhs_number", number.clone()), ("verified", "yes".into())]);
    assert_eq!(forged.await.unwrap().status(), 403);
    let done =
        post(vec![("csrf_token", csrf.clone()), ("nhs_number", number), ("verified", "yes".into())]).await.unwrap();
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], "/data-quality/nhs-numbers");
    let p = app.store.person(id.parse().unwrap()).await.unwrap();
    assert_eq!(p.nhs_number_verified.map(|v| v.verified_by), Some(app.user("mash.demo").await.id));
    let bad = post(vec![("csrf_token", csrf), ("nhs_number", "943 476 5918".into()), ("verified", "yes".into())]);
    let bad = bad.await.unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("not a valid NHS number"));
});
