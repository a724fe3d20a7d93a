//! Retention on both databases: every episode has a retention class and a disposal date that
//! follows its trigger; the sweep only queues; holds keep files whatever their date; the
//! records manager approves, defers, holds or bulk-approves; and destruction leaves the
//! person's name nowhere in the database files.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use common::{json, TestApp};
use serde_json::{json, Value};

const AI1: &str = "Assessment and Intervention 1";

fn days_ago(n: i64) -> String {
    (harbour_app::Now::read().today() - jiff::Span::new().days(n)).to_string()
}

/// The hub records a person (born `dob`) with an episode of `class` opened and closed on the
/// given days; returns (person id, episode id).
async fn file(app: &TestApp, given: &str, family: &str, dob: &str, episode: Value) -> (String, String) {
    let hub = app.token("mash.demo").await;
    let body = json!({"given_name": given, "family_name": family, "date_of_birth": dob, "gender": "female",
                      "nhs_number": "943 476 5919"});
    let person = json(app.post("/api/v1/people", &hub, &body).await, 201).await;
    let id = person["id"].as_str().unwrap().to_string();
    let mut episode = episode;
    episode["team_id"] = json!(app.team_id(AI1).await);
    let ep = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &episode).await, 201).await;
    (id, ep["id"].as_str().unwrap().to_string())
}

/// A complaint closed in 2012: kept 10 years from closure, so due since 2022.
fn old_complaint() -> Value {
    json!({"record_class": "complaint", "opened_on": "2011-03-01", "closed_on": "2012-05-31"})
}

async fn sweep(app: &TestApp, token: &str, body: Value) -> Value {
    json(app.post("/api/v1/retention/sweep", token, &body).await, 200).await
}

/// The people a sweep report lists for one move (queued, held, left).
fn ids(v: &Value) -> Vec<String> {
    v["people"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

/// Corrects an episode's closing date.
async fn put_closure(app: &TestApp, token: &str, episode: &str, closed_on: &str) -> reqwest::Response {
    app.request(reqwest::Method::PUT, &format!("/api/v1/episodes/{episode}/closure"), token)
        .json(&json!({"closed_on": closed_on}))
        .send()
        .await
        .unwrap()
}

both_backends!(every_episode_has_a_retention_class_and_its_date_follows_the_trigger, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let (id, ep) = file(
        &app,
        "Rhea",
        "Dateline",
        "2014-02-28",
        json!({"record_class": "child_protection_plan", "opened_on": days_ago(400)}),
    )
    .await;
    let episode = json(app.get(&format!("/api/v1/episodes/{ep}"), &hub).await, 200).await;
    assert_eq!(episode["retention_class"], "bcp-childrens-services/child-protection-plan");
    // Open: the period has not started.
    let r = json(app.get(&format!("/api/v1/people/{id}/retention"), &hub).await, 200).await;
    assert_eq!(r["records"][0]["disposal"], json!({"state": "pending", "trigger": "case_closure"}));
    assert_eq!(r["records"][0]["period"], "Date of case closure +35 years");
    assert_eq!(r["verdict"]["verdict"], "pending");
    // Closed: closure + 35 years.
    let closed = days_ago(10);
    json(app.post(&format!("/api/v1/episodes/{ep}/close"), &hub, &json!({"closed_on": closed})).await, 200).await;
    let expect = |d: &str| {
        let d: jiff::civil::Date = d.parse().unwrap();
        harbour_retention::add_years(d, 35).to_string()
    };
    let r = json(app.get(&format!("/api/v1/people/{id}/retention"), &hub).await, 200).await;
    assert_eq!(r["records"][0]["disposal"], json!({"state": "on", "date": expect(&closed)}));
    assert_eq!(r["verdict"], json!({"verdict": "not_yet", "due_on": expect(&closed)}));
    // The closing date corrected: the disposal date moves with it.
    let corrected = days_ago(20);
    json(put_closure(&app, &hub, &ep, &corrected).await, 200).await;
    let r = json(app.get(&format!("/api/v1/people/{id}/retention"), &hub).await, 200).await;
    assert_eq!(r["records"][0]["disposal"]["date"], expect(&corrected));
    // Reopened: pending again; reopening an open episode is refused and changes nothing.
    json(app.post(&format!("/api/v1/episodes/{ep}/reopen"), &hub, &json!({})).await, 200).await;
    let r = json(app.get(&format!("/api/v1/people/{id}/retention"), &hub).await, 200).await;
    assert_eq!(r["records"][0]["disposal"]["state"], "pending");
    json(app.post(&format!("/api/v1/episodes/{ep}/reopen"), &hub, &json!({})).await, 422).await;
    json(put_closure(&app, &hub, &ep, &corrected).await, 422).await;

    // A record class no notice keeps (adoption) is kept under the law's own floor (Adoption
    // Agencies Regulations 2005, reg 41) unless a class is chosen; a wrong one is refused.
    let team = app.team_id(AI1).await;
    let before = app.count("episodes").await;
    let adoption = json!({"record_class": "adoption", "opened_on": days_ago(5), "team_id": team});
    let mut wrong = adoption.clone();
    wrong["retention_class"] = json!("bcp-childrens-services/lado");
    let p = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &wrong).await, 422).await;
    assert!(p["detail"].as_str().unwrap().contains("not for adoption"), "{p}");
    wrong["retention_class"] = json!("no-such/row");
    json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &wrong).await, 422).await;
    assert_eq!(app.count("episodes").await, before, "refusals write nothing");
    let ep = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &adoption).await, 201).await;
    assert_eq!(ep["retention_class"], "statutory/adoption");
    let mut chosen = adoption.clone();
    chosen["retention_class"] = json!("bcp-childrens-services/register-of-risk");
    let ep = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &chosen).await, 201).await;
    assert_eq!(ep["retention_class"], "bcp-childrens-services/register-of-risk");
    // Leaving school counts for the pupils row.
    let mut pupils = json!({"record_class": "send", "opened_on": days_ago(5), "team_id": team,
                            "retention_class": "bcp-childrens-services/pupils", "left_school_on": "2030-07-19"});
    json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &pupils).await, 422).await;
    pupils["left_school_on"] = json!("2024-07-19");
    let ep = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &pupils).await, 201).await;
    let r = json(app.get(&format!("/api/v1/people/{id}/retention"), &hub).await, 200).await;
    let pupil = r["records"].as_array().unwrap().iter().find(|x| x["episode_id"] == ep["id"]).unwrap().clone();
    assert_eq!(pupil["disposal"]["date"], "2031-07-19");
});

both_backends!(the_sweep_only_queues_and_a_hold_keeps_a_due_file, |app: TestApp| async move {
    let rm = app.token("records.demo").await;
    let (due, _) = file(&app, "Opal", "Duefile", "2000-01-01", old_complaint()).await;
    let (held, held_ep) = file(&app, "Iris", "Heldfile", "2000-01-01", old_complaint()).await;
    let (recent, _) = file(
        &app,
        "Nell",
        "Recentfile",
        "2000-01-01",
        json!({"record_class": "complaint", "opened_on": "2011-03-01", "closed_on": days_ago(30)}),
    )
    .await;
    // Only the records manager runs the schedule.
    let sw = app.token("sw.demo").await;
    json(app.post("/api/v1/retention/sweep", &sw, &json!({})).await, 403).await;
    let hold = json!({"scope": {"kind": "episode", "episode_id": held_ep}, "reason": "Civil claim against the council",
                      "authorised_by": "Head of Legal Services", "starts_on": "2024-01-01"});
    json(app.post("/api/v1/legal-holds", &sw, &hold).await, 403).await;

    // A hold on one episode, and a bad hold refused.
    let bad = json!({"scope": {"kind": "episode", "episode_id": held_ep}, "reason": "Litigation", "authorised_by": "Head of Legal",
                     "starts_on": "2024-01-02", "ends_on": "2024-01-01"});
    json(app.post("/api/v1/legal-holds", &rm, &bad).await, 422).await;
    let unknown = json!({"scope": {"kind": "person", "person_id": "0b0e7d5e-0000-4000-8000-000000000000"}, "reason": "x",
                         "authorised_by": "y", "starts_on": "2024-01-01"});
    json(app.post("/api/v1/legal-holds", &rm, &unknown).await, 422).await;
    assert_eq!(app.count("legal_holds").await, 0);
    let hold = json(app.post("/api/v1/legal-holds", &rm, &hold).await, 201).await;

    // A dry run changes nothing.
    let people_before = app.count("persons").await;
    let dry = sweep(&app, &rm, json!({"dry_run": true})).await;
    assert!(ids(&dry["queued"]).contains(&due));
    assert_eq!(app.count("retention_reviews").await, 0);
    let report = sweep(&app, &rm, json!({})).await;
    assert!(ids(&report["queued"]).contains(&due), "{report}");
    assert!(ids(&report["held"]).contains(&held), "{report}");
    assert!(!ids(&report["queued"]).contains(&recent));
    assert_eq!(app.count("persons").await, people_before, "a sweep never destroys");
    let queue = json(app.get("/api/v1/retention/queue", &rm).await, 200).await;
    let line = |id: &str| queue["items"].as_array().unwrap().iter().find(|q| q["person_id"] == id).cloned();
    // The queue comes a page at a time, by due date, with its size.
    let total = queue["total"].as_u64().unwrap();
    assert!(total >= 2 && total == queue["items"].as_array().unwrap().len() as u64, "{queue}");
    let mut paged = Vec::new();
    for offset in 0..total {
        let one = json(app.get(&format!("/api/v1/retention/queue?offset={offset}&limit=1"), &rm).await, 200).await;
        assert_eq!(one["total"].as_u64(), Some(total));
        paged.push(one["items"][0].clone());
    }
    assert_eq!(Value::Array(paged), queue["items"], "pages of one give the whole queue in order");
    for bad in ["limit=0", "limit=1001", "limit=many", "offset=-1", "page=2"] {
        json(app.get(&format!("/api/v1/retention/queue?{bad}"), &rm).await, 400).await;
    }
    assert_eq!(line(&due).unwrap()["status"], "due");
    assert_eq!(line(&due).unwrap()["name"], "Opal Duefile");
    assert_eq!(line(&due).unwrap()["due_on"], "2022-05-31");
    assert_eq!(line(&held).unwrap()["status"], "held");
    assert!(line(&held).unwrap()["reason"].as_str().unwrap().contains(hold["id"].as_str().unwrap()));
    assert!(line(&recent).is_none());

    // A held file is never destroyed, whatever its date.
    let p = json(app.post(&format!("/api/v1/retention/queue/{held}/approve"), &rm, &json!({})).await, 409).await;
    assert!(p["detail"].as_str().unwrap().contains("held"), "{p}");
    assert!(app.store.person_exists(held.parse().unwrap()).await.unwrap());
    // A class hold (the IICSA moratorium in the manner of 2015) holds every complaint too.
    let iicsa = json!({"scope": {"kind": "record_class", "record_class": "complaint"}, "reason": "Inquiry moratorium",
                       "authorised_by": "Chief Executive", "starts_on": "2015-06-23"});
    let iicsa = json(app.post("/api/v1/legal-holds", &rm, &iicsa).await, 201).await;
    let report = sweep(&app, &rm, json!({})).await;
    assert!(ids(&report["held"]).contains(&due));
    json(app.post(&format!("/api/v1/retention/queue/{due}/approve"), &rm, &json!({})).await, 409).await;
    // The holds end: the files are due again and may be destroyed.
    for h in [&hold, &iicsa] {
        let end = json!({"ends_on": days_ago(1)});
        json(app.post(&format!("/api/v1/legal-holds/{}/end", h["id"].as_str().unwrap()), &rm, &end).await, 200).await;
    }
    let report = sweep(&app, &rm, json!({})).await;
    assert!(ids(&report["queued"]).contains(&due) && ids(&report["queued"]).contains(&held), "{report}");

    // Deferred: stays in the queue, not destroyable, not re-queued by a sweep before its date.
    let p = json(
        app.post(
            &format!("/api/v1/retention/queue/{held}/defer"),
            &rm,
            &json!({"until": days_ago(1), "reason": "Check with legal"}),
        )
        .await,
        422,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("later day"));
    let later = (harbour_app::Now::read().today() + jiff::Span::new().days(30)).to_string();
    let d = json(
        app.post(
            &format!("/api/v1/retention/queue/{held}/defer"),
            &rm,
            &json!({"until": later, "reason": "Check with legal"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(d["status"], "deferred");
    json(app.post(&format!("/api/v1/retention/queue/{held}/approve"), &rm, &json!({})).await, 409).await;
    let report = sweep(&app, &rm, json!({})).await;
    assert!(!ids(&report["queued"]).contains(&held));
    assert_eq!(app.store.review(held.parse().unwrap()).await.unwrap().unwrap().status, "deferred");

    // Bulk approval: one file that may not go stops them all.
    let bulk = json!({"person_ids": [due, held]});
    json(app.post("/api/v1/retention/queue/approve", &rm, &bulk).await, 409).await;
    assert!(app.store.person_exists(due.parse().unwrap()).await.unwrap(), "nothing was destroyed");
    json(app.post("/api/v1/retention/queue/approve", &rm, &json!({"person_ids": [due, due]})).await, 400).await;
    let done = json(app.post("/api/v1/retention/queue/approve", &rm, &json!({"person_ids": [due]})).await, 200).await;
    assert_eq!(done.as_array().unwrap().len(), 1);
    assert!(!app.store.person_exists(due.parse().unwrap()).await.unwrap());

    // Reopening a case takes its file out of the queue.
    let hub = app.token("mash.demo").await;
    let (back, back_ep) = file(&app, "Una", "Reopened", "2000-01-01", old_complaint()).await;
    let report = sweep(&app, &rm, json!({})).await;
    assert!(ids(&report["queued"]).contains(&back));
    json(app.post(&format!("/api/v1/episodes/{back_ep}/reopen"), &hub, &json!({})).await, 200).await;
    let report = sweep(&app, &rm, json!({})).await;
    assert!(ids(&report["left"]).contains(&back), "{report}");
    assert!(app.store.review(back.parse().unwrap()).await.unwrap().is_none());
});

both_backends!(withdrawing_consent_never_shortens_the_retention_period, |app: TestApp| async move {
    // Seed 002, "Consent": withdrawal "does not affect our legal obligation to retain the
    // child's record". A child protection plan closed last month, and a complaint (due).
    let hub = app.token("mash.demo").await;
    let (id, _) = file(
        &app,
        "Wren",
        "Withdrawn",
        "2008-02-29",
        json!({"record_class": "child_protection_plan", "opened_on": days_ago(400), "closed_on": days_ago(30)}),
    )
    .await;
    let team = app.team_id(AI1).await;
    let mut complaint = old_complaint();
    complaint["team_id"] = json!(team);
    json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &complaint).await, 201).await;
    let consents = format!("/api/v1/people/{id}/consents");
    let given = json!({"service": "Early help", "given_by": "mother", "given_on": days_ago(60)});
    let consents_before = app.count("consents").await;

    // Bad consents are refused and write nothing; only those who may write the record record one.
    for bad in [
        json!({"service": " ", "given_by": "mother", "given_on": days_ago(60)}),
        json!({"service": "Early help", "given_by": "mother", "given_on": days_ago(-3)}),
    ] {
        json(app.post(&consents, &hub, &bad).await, 422).await;
    }
    let mut unknown = given.clone();
    unknown["scope"] = json!("everything");
    let r = app.post(&consents, &hub, &unknown).await;
    assert!(r.status().is_client_error(), "{}", r.status());
    json(app.post(&consents, &app.token("school.demo").await, &given).await, 403).await;
    assert_eq!(app.count("consents").await, consents_before);
    let consent = json(app.post(&consents, &hub, &given).await, 201).await;
    let cid = consent["id"].as_str().unwrap().to_string();

    let retention = format!("/api/v1/people/{id}/retention");
    let before = json(app.get(&retention, &hub).await, 200).await;
    assert_eq!(before["verdict"]["verdict"], "not_yet", "{before}");
    let episodes_before = app.count("episodes").await;
    let entries_before = app.count("entries").await;

    // A withdrawal dated before the consent, or in the future, is refused.
    let withdraw = format!("/api/v1/consents/{cid}/withdraw");
    for bad in [
        json!({"withdrawn_on": days_ago(61), "withdrawn_by": "mother"}),
        json!({"withdrawn_on": days_ago(-1), "withdrawn_by": "mother"}),
        json!({"withdrawn_on": days_ago(1), "withdrawn_by": ""}),
    ] {
        json(app.post(&withdraw, &hub, &bad).await, 422).await;
    }
    let outcome = json(
        app.post(
            &withdraw,
            &hub,
            &json!({"withdrawn_on": days_ago(1), "withdrawn_by": "mother, by telephone", "note": "No longer wants early help"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(outcome["consent"]["withdrawn"]["withdrawn_by"], "mother, by telephone");
    // The answer says, in the notice's words, what withdrawal does not stop...
    let clauses = outcome["withdrawal_does_not_stop"].as_array().unwrap();
    assert!(
        clauses.iter().any(|c| c["notice"] == "bcp-childrens-services"
            && c["text"].as_str().unwrap().contains("legal obligation to retain the child")),
        "{outcome}"
    );
    // ...and the retention, unchanged: same classes, same dates, same verdict.
    assert_eq!(outcome["retention"], before);
    assert_eq!(json(app.get(&retention, &hub).await, 200).await, before);
    assert_eq!(app.count("episodes").await, episodes_before, "no episode closed or removed");
    assert_eq!(app.count("entries").await, entries_before);
    // A sweep does not bring the file forward: it is not due until the plan's date.
    let rm = app.token("records.demo").await;
    let report = sweep(&app, &rm, json!({"dry_run": true})).await;
    assert!(!ids(&report["queued"]).contains(&id), "{report}");
    // Withdrawn once only; the list shows it withdrawn.
    json(app.post(&withdraw, &hub, &json!({"withdrawn_on": days_ago(1), "withdrawn_by": "mother"})).await, 422).await;
    let listed = json(app.get(&consents, &hub).await, 200).await;
    assert_eq!(listed["consents"][0]["withdrawn"]["withdrawn_on"], days_ago(1));
    json(app.get(&consents, &app.token("school.demo").await).await, 403).await;
    json(
        app.post(
            "/api/v1/consents/0b0e7d5e-0000-4000-8000-000000000000/withdraw",
            &hub,
            &json!({"withdrawn_on": days_ago(1), "withdrawn_by": "mother"}),
        )
        .await,
        404,
    )
    .await;
});

both_backends!(names_written_before_names_were_sealed_are_sealed_when_the_store_opens, |app: TestApp| async move {
    use sqlx::Connection;
    let hub = app.token("mash.demo").await;
    let (id, _) = file(&app, "Pre", "Sealing", "2000-01-01", old_complaint()).await;
    // As an earlier version wrote the row: the name in clear columns and no search tokens.
    let mut conn = sqlx::AnyConnection::connect(&app.database_url).await.unwrap();
    sqlx::query(
        "UPDATE persons SET given_name = 'Olderow', family_name = 'Legacy', search_name = 'olderow legacy' WHERE id = $1",
    )
    .bind(&id)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query("DELETE FROM person_name_tokens WHERE person_id = $1").bind(&id).execute(&mut conn).await.unwrap();
    // ...and listed for sealing, as migration 0008 lists the rows it finds.
    sqlx::query("INSERT INTO names_to_seal (person_id) VALUES ($1)").bind(&id).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    assert!(all_rows(&app).await.contains("Olderow"));
    // Opened again, as after an upgrade: the name is sealed and the clear columns emptied.
    let keys = harbour_store::Keyring::load_or_create(app.dir.path()).unwrap();
    let reopened = harbour_store::Store::open(&app.database_url, keys).await.unwrap();
    reopened.close().await;
    let rows = all_rows(&app).await;
    assert!(!rows.contains("Olderow") && !rows.contains("Legacy"), "a clear name survived the upgrade");
    if app.backend == common::Backend::Sqlite {
        assert!(!contains(&sqlite_files(&app), "Olderow"), "the clear name survives in the SQLite file");
    }
    let person = json(app.get(&format!("/api/v1/people/{id}"), &hub).await, 200).await;
    assert_eq!(
        (&person["person"]["given_name"], &person["person"]["family_name"]),
        (&json!("Olderow"), &json!("Legacy"))
    );
    let found = json(app.get("/api/v1/people?name=olde%20leg", &hub).await, 200).await;
    assert!(found.to_string().contains(&id), "{found}");
    let gone = json(app.get("/api/v1/people?name=sealing", &hub).await, 200).await;
    assert!(!gone.to_string().contains(&id), "the old name's tokens went: {gone}");
});

/// Opens a copy of a SQLite backup with the app's master key and vault as they are now, as
/// `harbour backup restore` does (the directory is removed when dropped).
async fn restore_with_todays_keys(
    app: &TestApp,
    backup: &std::path::Path,
) -> (tempfile::TempDir, harbour_store::Store) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("keys")).unwrap();
    for f in ["master.key", "vault.db"] {
        std::fs::copy(app.dir.path().join("keys").join(f), dir.path().join("keys").join(f)).unwrap();
    }
    std::fs::copy(backup, dir.path().join("harbour.db")).unwrap();
    let keys = harbour_store::Keyring::load_or_create(dir.path()).unwrap();
    let store = harbour_store::Store::open(&harbour_store::Store::sqlite_url(dir.path()), keys).await.unwrap();
    (dir, store)
}

/// The justification a decision records (golden rule 6).
fn rationale() -> Value {
    json!({
        "necessary": "The police asked for what we hold to prevent further offences.",
        "proportionate": "Only the subject and date are shared, not the detail.",
        "relevant": "It concerns the incident the police are investigating.",
        "adequate": "Enough for the officer to act.",
        "accurate": "Checked against the case record today.",
        "timely": "Answered the day it was asked.",
        "secure": "Through Harbour; the officer signs in to see it."
    })
}

async fn police_org_id(app: &TestApp) -> String {
    app.store.organisation_by_slug("dorset-police").await.unwrap().id.to_string()
}

both_backends!(records_kept_for_a_file_go_with_it, |app: TestApp| async move {
    let police = app.token("police.demo").await;
    let hub = app.token("mash.demo").await;
    let rm = app.token("records.demo").await;
    let school = app.store.organisation_by_slug("harbourside-academy").await.unwrap().id;
    // A police notification naming one child, born long enough ago that the notifications row
    // (date of birth + 25 years) has passed; and a second naming her and a child still kept.
    let marisol = json!({"given_name": "Marisol", "family_name": "Oldnotice", "date_of_birth": "1995-05-04"});
    let notify = |children: Value| {
        json!({"police_reference": "DP/2005/0042", "incident_at": "2005-06-01T21:00:00",
               "account": "Officers attended a disturbance at the family home.", "location": "12 Anchor Close, Poole",
               "summary_for_school": "Officers were called to a disturbance at the family home.", "children": children})
    };
    let first = json(app.post("/api/v1/da-notifications", &police, &notify(json!([marisol]))).await, 201).await;
    let first = first["id"].as_str().unwrap().to_string();
    let mut new_person = marisol.clone();
    new_person["gender"] = json!("female");
    let triage = json!({"children": [{"new_person": new_person, "school_id": school}]});
    let t = json(app.post(&format!("/api/v1/da-notifications/{first}/triage"), &hub, &triage).await, 200).await;
    let id = t["children"][0]["person_id"].as_str().unwrap().to_string();
    let kept = app
        .store
        .search_people(&harbour_store::PersonQuery { name: Some("a".into()), limit: 1, ..Default::default() })
        .await
        .unwrap()
        .remove(0);
    let other = json!({"given_name": kept.given_name, "family_name": kept.family_name});
    let second = json(app.post("/api/v1/da-notifications", &police, &notify(json!([marisol, other]))).await, 201).await;
    let second = second["id"].as_str().unwrap().to_string();
    let triage =
        json!({"children": [{"person_id": id, "school_id": school}, {"person_id": kept.id, "school_id": school}]});
    json(app.post(&format!("/api/v1/da-notifications/{second}/triage"), &hub, &triage).await, 200).await;

    // The police ask about her under the exploitation notice, and are answered.
    let request = json!({"notice": "cse-sharing", "purpose": "prevent-disrupt-detect", "ground": "detect-prevent-crime",
        "about": {"given_name": "Marisol", "family_name": "Oldnotice", "date_of_birth": "1995-05-04"},
        "detail": "We ask for any reports about Marisol Oldnotice."});
    let request = json(app.post("/api/v1/information-requests", &police, &request).await, 201).await;
    let pid: harbour_domain::PersonId = id.parse().unwrap();
    // What the police are answered from: an exploitation episode of hers closed in 2012.
    let team = app.user("mash.demo").await.team_id.unwrap();
    let cse = json!({"record_class": "child_sexual_exploitation", "opened_on": "2010-01-01", "team_id": team});
    let cse = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &cse).await, 201).await;
    let cse = cse["id"].as_str().unwrap().to_string();
    let entry = json!({"kind": "information_received", "occurred_at": "2011-04-01T10:00:00",
        "subject": "Seen with older males", "detail": "Reported by a neighbour.",
        "source": {"kind": "organisation", "organisation_id": police_org_id(&app).await}, "categories": ["criminal_offence"]});
    let entry = json(app.post(&format!("/api/v1/episodes/{cse}/entries"), &hub, &entry).await, 201).await;
    json(app.post(&format!("/api/v1/episodes/{cse}/close"), &hub, &json!({"closed_on": "2012-01-01"})).await, 200)
        .await;
    let police_org = app.store.organisation_by_slug("dorset-police").await.unwrap().id;
    let answer = json!({
        "notice": "cse-sharing", "people": [id], "recipients": [police_org], "purpose": "prevent-disrupt-detect",
        "basis": "6(1)(e)", "statute": "crime-and-disorder-act-1998-s115", "condition": "crime-prevention",
        "entries": [{"entry_id": entry["id"], "fields": ["subject", "occurred_at"]}],
        "person_fields": [{"person_id": id, "fields": ["name"]}],
        "consent": {"state": "not_sought", "reason": "Seeking consent would prejudice the investigation."},
        "without_consent_ground": "detect-prevent-crime",
        "family": {"position": "exempt", "exemption": "police-investigation",
                   "review_on": (harbour_app::Now::read().today() + jiff::Span::new().days(60)).to_string()},
        "rationale": rationale(), "urgency": "routine", "request_id": request["id"]
    });
    json(app.post("/api/v1/sharing-decisions", &hub, &answer).await, 201).await;

    // Her notification episodes closed: her file is due.
    for ep in app.store.episodes_of(pid).await.unwrap().into_iter().filter(|e| e.closed_on.is_none()) {
        // Date of birth + 25 years, by the council's schedule (born 1995: passed in 2020).
        assert_eq!(ep.retention_class.as_deref(), Some("bcp-childrens-services/all-other-records"));
        let close = json!({"closed_on": harbour_app::Now::read().today().to_string()});
        json(app.post(&format!("/api/v1/episodes/{}/close", ep.id), &hub, &close).await, 200).await;
    }
    let keys_before = app.store.vault().count().await.unwrap();
    let backup = app.dir.path().join("before.db");
    if app.backend == common::Backend::Sqlite {
        app.store.backup_into(&backup).await.unwrap();
    }
    sweep(&app, &rm, json!({})).await;
    let d = json(app.post(&format!("/api/v1/retention/queue/{id}/approve"), &rm, &json!({})).await, 200).await;
    // The first notification and the answered request were kept for her file alone: they go
    // with it, on the certificate, and their keys are shredded. The second still names a child
    // Harbour keeps, so it stays.
    let records = d["records"].as_array().unwrap();
    let line = |id: &str| records.iter().find(|r| r["record_id"] == id).cloned();
    let notification = line(&first).expect("the notification is on the certificate");
    assert_eq!(notification["record_kind"], "record");
    assert_eq!(notification["record_class"], "domestic_abuse_notification");
    assert_eq!(notification["retention_class"], "bcp-childrens-services/all-other-records");
    assert_eq!(line(request["id"].as_str().unwrap()).expect("the request too")["record_class"], "information_request");
    assert!(line(&second).is_none(), "{d}");
    assert_eq!(app.store.vault().count().await.unwrap(), keys_before - 3, "her key and the two records' keys");
    json(app.get(&format!("/api/v1/da-notifications/{first}"), &hub).await, 404).await;
    json(app.get(&format!("/api/v1/information-requests/{}", request["id"].as_str().unwrap()), &police).await, 404)
        .await;
    let still = json(app.get(&format!("/api/v1/da-notifications/{second}"), &hub).await, 200).await;
    assert_eq!(still["children"][0]["person_id"], Value::Null, "her link is gone");
    assert_eq!(still["children"][1]["person_id"], json!(kept.id));

    // A backup from before, restored with today's vault, drops them again; the second stays.
    if app.backend == common::Backend::Sqlite {
        let (_restored_dir, restored) = restore_with_todays_keys(&app, &backup).await;
        let has = |table: &'static str, id: String| {
            let restored = restored.clone();
            async move {
                let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1"))
                    .bind(id)
                    .fetch_one(restored.pool())
                    .await
                    .unwrap();
                n == 1
            }
        };
        let request_id = request["id"].as_str().unwrap().to_string();
        assert!(has("da_notifications", first.clone()).await && has("information_requests", request_id.clone()).await);
        assert_eq!(restored.drop_files_without_keys().await.unwrap(), vec![pid]);
        assert!(!has("da_notifications", first).await, "the restore dropped the notification");
        assert!(!has("information_requests", request_id).await, "and the request");
        assert!(has("da_notifications", second).await, "the notification still kept stays");
        restored.close().await;
    }
});

both_backends!(a_sweep_finds_the_same_whatever_its_page_size, |app: TestApp| async move {
    // The demo's families (parents kept by their children's records) and two old complaints.
    file(&app, "Opal", "Duefile", "2000-01-01", old_complaint()).await;
    file(&app, "Iris", "Duefile", "2000-01-01", old_complaint()).await;
    let state = harbour_app::App::from_store(app.store.clone(), harbour_app::Now::read().today()).await.unwrap();
    // Far enough ahead that most of the demo's closed files are due too.
    let as_of = jiff::civil::date(2080, 1, 1);
    let whole = state.sweep_paged(None, as_of, true, 100_000, |_| {}).await.unwrap();
    assert!(whole.counts.due >= 2 && whole.counts.people > whole.counts.due, "{whole:?}");
    assert!(app.count("relationships").await > 0, "the demo relates people");
    for size in [1, 2, 3, 7] {
        let mut seen = Vec::new();
        let paged = state.sweep_paged(None, as_of, true, size, |n| seen.push(n)).await.unwrap();
        assert_eq!(paged, whole, "pages of {size} find what one page finds");
        assert_eq!(seen.last(), Some(&whole.counts.people), "progress reaches every person");
        assert!(seen.len() as u64 >= whole.counts.people.div_ceil(u64::from(size)));
    }
    assert_eq!(app.count("retention_reviews").await, 0, "dry runs write nothing");
    // Written a page at a time, the queue holds exactly the due and held files; a second
    // sweep finds nothing to change.
    let swept = state.sweep_paged(None, as_of, false, 2, |_| {}).await.unwrap();
    assert_eq!(swept.counts, whole.counts);
    assert_eq!(swept.queued.count, whole.counts.due);
    assert_eq!(app.count("retention_reviews").await as u64, whole.counts.due + whole.counts.held);
    let again = state.sweep(None, as_of, false, |_| {}).await.unwrap();
    assert_eq!((again.queued.count, again.left.count), (0, 0), "{again:?}");
    // A page of no one is refused.
    assert!(state.sweep_paged(None, as_of, true, 0, |_| {}).await.is_err());
});

/// Every value in every table of the app's database, as text.
async fn all_rows(app: &TestApp) -> String {
    rows_of(&app.database_url, app.backend).await
}

async fn rows_of(url: &str, backend: common::Backend) -> String {
    use sqlx::{Connection, Row};
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let tables: Vec<String> = match backend {
        common::Backend::Sqlite => sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table'"),
        common::Backend::Postgres => sqlx::query("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'"),
    }
    .fetch_all(&mut conn)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect();
    let mut out = String::new();
    for t in tables {
        let sql = if backend == common::Backend::Sqlite {
            // quote() takes one value: read every column with a per-column quote.
            let cols: Vec<String> = sqlx::query(&format!("SELECT name FROM pragma_table_info('{t}')"))
                .fetch_all(&mut conn)
                .await
                .unwrap()
                .iter()
                .map(|r| format!("quote({})", r.get::<String, _>(0)))
                .collect();
            format!("SELECT {} FROM {t}", cols.join(" || ' ' || "))
        } else {
            format!("SELECT row_to_json({t})::text FROM {t}")
        };
        for r in sqlx::query(&sql).fetch_all(&mut conn).await.unwrap() {
            out.push_str(&r.get::<String, _>(0));
            out.push('\n');
        }
    }
    let _ = conn.close().await;
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The SQLite database file and its write-ahead log, as bytes.
fn sqlite_files(app: &TestApp) -> Vec<u8> {
    let mut out = Vec::new();
    for name in ["harbour.db", "harbour.db-wal"] {
        if let Ok(bytes) = std::fs::read(app.dir.path().join(name)) {
            out.extend(bytes);
        }
    }
    out
}

both_backends!(destruction_is_approved_in_the_ledger_and_leaves_no_name_behind, |app: TestApp| async move {
    let rm = app.token("records.demo").await;
    let hub = app.token("mash.demo").await;
    let open = json!({"record_class": "complaint", "opened_on": "2011-03-01"});
    let (id, ep) = file(&app, "Zephyrine", "Quillfeather", "2001-02-03", open).await;
    let entry = json!({"kind": "meeting", "occurred_at": "2011-04-01T10:00:00", "subject": "Complaint meeting",
        "detail": "Discussed Zephyrine's complaint about the review.", "source": {"kind": "organisation",
        "organisation_id": app.store.organisation_by_slug("bcp-childrens").await.unwrap().id}, "categories": ["personal_details"]});
    json(app.post(&format!("/api/v1/episodes/{ep}/entries"), &hub, &entry).await, 201).await;
    json(app.post(&format!("/api/v1/episodes/{ep}/close"), &hub, &json!({"closed_on": "2012-05-31"})).await, 200).await;
    // A sibling with no episodes of their own: the complaint keeps their file too.
    let sibling = json!({"given_name": "Quentin", "family_name": "Quillfeather", "date_of_birth": "2003-03-03", "gender": "male"});
    let sibling = json(app.post("/api/v1/people", &hub, &sibling).await, 201).await;
    let rel = json!({"to": sibling["id"], "relationship": {"kind": "sibling"}});
    json(app.post(&format!("/api/v1/people/{id}/relationships"), &hub, &rel).await, 201).await;

    let consent = json!({"service": "Short breaks", "given_by": "Zephyrine Quillfeather", "given_on": "2011-03-01"});
    json(app.post(&format!("/api/v1/people/{id}/consents"), &hub, &consent).await, 201).await;
    // Before: the file is in the tables (and, on SQLite, in the database file), so the checks
    // below can fail; Harbour reads the names, but they are sealed, in no table in clear.
    let before = all_rows(&app).await;
    assert!(before.contains(&id) && before.contains("Short breaks"));
    let person = json(app.get(&format!("/api/v1/people/{id}"), &hub).await, 200).await;
    assert_eq!(person["person"]["given_name"], "Zephyrine", "{person}");
    let found = json(app.get("/api/v1/people?name=zeph%20quill", &hub).await, 200).await;
    assert!(found.to_string().contains(&id), "search finds sealed names: {found}");
    for name in ["Zephyrine", "Quillfeather"] {
        assert!(!before.contains(name), "{name} is in a table in clear");
    }
    if app.backend == common::Backend::Sqlite {
        let bytes = sqlite_files(&app);
        assert!(contains(&bytes, &id) && !contains(&bytes, "Zephyrine") && !contains(&bytes, "Quillfeather"));
    }
    // A backup taken before destruction (SQLite: Harbour's own; it holds no keys): it holds the
    // file, sealed, and no name anyone could read without the person's key.
    let backup = app.dir.path().join("before.db");
    if app.backend == common::Backend::Sqlite {
        app.store.backup_into(&backup).await.unwrap();
        assert!(app.store.backup_into(&backup).await.is_err(), "a backup never overwrites a file");
        let raw = std::fs::read(&backup).unwrap();
        assert!(contains(&raw, &id));
        for name in ["Zephyrine", "Quillfeather", "9434765919", "943 476 5919"] {
            assert!(!contains(&raw, name), "the backup holds {name} in clear");
        }
    } else {
        assert!(app.store.backup_into(&backup).await.is_err(), "PostgreSQL is backed up with pg_dump");
    }
    let keys_before = app.store.vault().count().await.unwrap();
    sweep(&app, &rm, json!({})).await;
    let d = json(app.post(&format!("/api/v1/retention/queue/{id}/approve"), &rm, &json!({})).await, 200).await;
    let certificate = d["certificate"].as_str().unwrap().to_string();
    // The log: one line for the episode and one for the person; no personal data.
    let records = d["records"].as_array().unwrap();
    assert_eq!(records.len(), 2, "{d}");
    assert_eq!(records[0]["record_kind"], "episode");
    assert_eq!(records[0]["record_class"], "complaint");
    assert_eq!(records[0]["retention_class"], "bcp-childrens-services/complaints");
    assert_eq!(records[0]["trigger_date"], "2012-05-31");
    assert_eq!(records[0]["disposal_date"], "2022-05-31");
    assert_eq!(records[1]["record_kind"], "person");
    let text = d.to_string();
    for personal in ["Zephyrine", "Quillfeather", "2001-02-03", "9434765919"] {
        assert!(!text.contains(personal), "the destruction log holds {personal}");
    }
    // The approval is in the ledger.
    let index = d["ledger_index"].as_i64().expect("the approval is sequenced before the answer");
    let entry =
        json(app.get(&format!("/api/v1/ledger/entries/{index}"), &app.token("dpo.demo").await).await, 200).await;
    assert_eq!(entry["event"]["action"], "retention.approve");
    assert_eq!(entry["event"]["target_id"], certificate);
    // The certificate names no one.
    let resp = app.get(&format!("/api/v1/retention/destructions/{certificate}/certificate"), &rm).await;
    assert_eq!(resp.status(), 200);
    let cert = resp.text().await.unwrap();
    assert!(
        cert.contains(&certificate) && cert.contains("complaint") && cert.contains(&format!("ledger entry {index}"))
    );
    assert!(!cert.contains("Quillfeather"));

    // After: gone from the API, from every table and, on SQLite, from the file and its WAL.
    json(app.get(&format!("/api/v1/people/{id}"), &hub).await, 404).await;
    let rows = all_rows(&app).await;
    assert!(!rows.contains("Zephyrine"), "the name survives in a table");
    assert!(!app
        .store
        .search_people(&harbour_store::PersonQuery {
            identifier: Some("9434765919".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .iter()
        .any(|p| p.given_name == "Zephyrine"));
    assert_eq!(app.store.vault().count().await.unwrap(), keys_before - 1, "the person's key was shredded");
    if app.backend == common::Backend::Sqlite {
        let bytes = sqlite_files(&app);
        assert!(!contains(&bytes, "Zephyrine"), "the name survives in the SQLite file or its WAL");
    }
    // The sibling was not approved, so stays (now kept by no record: the next sweep takes them
    // out of the queue for someone to decide about).
    assert!(app.store.person_exists(sibling["id"].as_str().unwrap().parse().unwrap()).await.unwrap());
    assert_eq!(app.store.person(sibling["id"].as_str().unwrap().parse().unwrap()).await.unwrap().given_name, "Quentin");
    // Approving again is refused: nothing left to destroy.
    json(app.post(&format!("/api/v1/retention/queue/{id}/approve"), &rm, &json!({})).await, 409).await;
    let log = json(app.get("/api/v1/retention/destructions", &rm).await, 200).await;
    assert_eq!(log.as_array().unwrap().len(), 1);

    // Restoring the earlier backup (with today's vault and master key) cannot bring them back:
    // their sealed fields no longer open, and the restore drops their file.
    if app.backend == common::Backend::Sqlite {
        let (_restored_dir, restored) = restore_with_todays_keys(&app, &backup).await;
        let pid: harbour_domain::PersonId = id.parse().unwrap();
        assert!(restored.person_exists(pid).await.unwrap(), "the backup held the row");
        assert!(restored.person(pid).await.is_err(), "their sealed fields cannot be opened");
        assert!(restored.entries_of_person(pid).await.is_err(), "nor their entries");
        assert_eq!(restored.drop_files_without_keys().await.unwrap(), vec![pid]);
        assert!(!restored.person_exists(pid).await.unwrap(), "the restore dropped them");
        // Everyone else comes back whole.
        let quentin = restored.person(sibling["id"].as_str().unwrap().parse().unwrap()).await.unwrap();
        assert_eq!(quentin.given_name, "Quentin");
        restored.close().await;
    }
});

both_backends!(an_open_request_under_the_rights_holds_the_file_it_names, |app: TestApp| async move {
    // Issue 14: nothing in scope of an open subject access request may be destroyed.
    let rm = app.token("records.demo").await;
    let dpo = app.token("dpo.demo").await;
    let (asked, _) = file(&app, "Opal", "Asksfile", "2000-01-01", old_complaint()).await;
    let (other, _) = file(&app, "Iris", "Quietfile", "2000-01-01", old_complaint()).await;
    let sar = json!({"right": "access", "person_id": asked, "subject_name": "Opal Asksfile", "requester": "subject",
        "requester_name": "Opal Asksfile", "channel": "email", "received_on": days_ago(3), "detail": "a copy of my file"});
    let sar = json(app.post("/api/v1/rights-requests", &dpo, &sar).await, 201).await;
    let sar_id = sar["id"].as_str().unwrap().to_string();

    let report = sweep(&app, &rm, json!({})).await;
    assert!(ids(&report["held"]).contains(&asked), "{report}");
    assert!(ids(&report["queued"]).contains(&other), "a file no request names is due as ever");
    let queue = json(app.get("/api/v1/retention/queue", &rm).await, 200).await;
    let line = queue["items"].as_array().unwrap().iter().find(|q| q["person_id"] == asked.as_str()).unwrap().clone();
    assert_eq!(line["status"], "held");
    let reason = line["reason"].as_str().unwrap();
    assert!(reason.contains("open access request") && reason.contains(&sar_id), "the queue says why: {reason}");
    let refused = json(app.post(&format!("/api/v1/retention/queue/{asked}/approve"), &rm, &json!({})).await, 409).await;
    assert!(refused["detail"].as_str().unwrap().contains("held"), "{refused}");
    assert!(app.store.person_exists(asked.parse().unwrap()).await.unwrap());

    // Answered (here, withdrawn): the hold ends with it and the file is due again.
    let withdrawn = json!({"status": "withdrawn", "note": "the requester withdrew by email"});
    json(app.post(&format!("/api/v1/rights-requests/{sar_id}/status"), &dpo, &withdrawn).await, 200).await;
    let report = sweep(&app, &rm, json!({})).await;
    assert!(ids(&report["queued"]).contains(&asked), "{report}");
});
