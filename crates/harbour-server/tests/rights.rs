//! Issue 14: the register of requests under the rights. The data protection officer records a
//! parent's subject access request for a child; its answer is due a calendar month on, as the
//! regulator counts; waiting for proof of parental responsibility stops the clock and the proof
//! restarts it; a complex request is extended within its first month; a refusal names its
//! exemption; nobody else can see or move the register; every step is in the ledger, about the
//! child. Runs on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use common::{days, json, TestApp};
use serde_json::json;

fn due(received: &str, confirmed: Option<&str>, extended: bool) -> String {
    let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
    harbour_domain::sar_deadline(d(received), confirmed.map(d), extended, &[]).due_on.to_string()
}

both_backends!(a_subject_access_request_runs_its_course_on_time, |app: TestApp| async move {
    let dpo = app.token("dpo.demo").await;
    let (child, _) = app.allocated_child("sw.demo").await;
    let received = days(-10);
    let new = json!({"right": "access", "person_id": child.id, "subject_name": child.full_name(),
        "requester": "parent", "requester_name": "Sam Parent", "channel": "letter", "received_on": received,
        "detail": "Everything you hold about my son."});
    let resp = app.post("/api/v1/rights-requests", &dpo, &new).await;
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let r = json(resp, 201).await;
    let id = r["id"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/api/v1/rights-requests/{id}"));
    assert_eq!(r["status"], "received");
    assert_eq!(r["deadline"]["due_on"], due(&received, None, false));
    assert_eq!(r["paused"], false);

    // The names are sealed: the row does not hold them in clear.
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url).await.unwrap();
    let sealed: Vec<u8> = sqlx::query_scalar("SELECT sealed FROM rights_requests").fetch_one(&mut conn).await.unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("Sam Parent"));

    // Nobody but the data protection officer sees or moves the register.
    for who in ["sw.demo", "mash.demo", "admin.demo", "auditor.demo", "cg.demo", "police.demo"] {
        let t = app.token(who).await;
        assert_eq!(app.get("/api/v1/rights-requests", &t).await.status(), 403, "{who}");
        assert_eq!(app.get(&location, &t).await.status(), 403, "{who}");
        let moved = app.post(&format!("{location}/status"), &t, &json!({"status": "in_progress"})).await;
        assert_eq!(moved.status(), 403, "{who}");
    }

    // Waiting for proof of parental responsibility; leaving it needs the day it came.
    let moved = app
        .post(&format!("{location}/status"), &dpo, &json!({"status": "waiting", "note": "asked for proof of PR"}))
        .await;
    assert_eq!(json(moved, 200).await["paused"], true);
    let no_day = app.post(&format!("{location}/status"), &dpo, &json!({"status": "in_progress"})).await;
    json(no_day, 422).await;
    let proof = days(-2);
    let moved =
        app.post(&format!("{location}/status"), &dpo, &json!({"status": "in_progress", "confirmed_on": proof})).await;
    let r = json(moved, 200).await;
    assert_eq!(r["deadline"]["starts_on"], proof);
    assert_eq!(r["deadline"]["due_on"], due(&received, Some(&proof), false), "the clock restarts from the proof");

    // A move off the path, or a refusal without its exemption, changes nothing.
    json(app.post(&format!("{location}/status"), &dpo, &json!({"status": "released"})).await, 422).await;
    json(app.post(&format!("{location}/status"), &dpo, &json!({"status": "refused"})).await, 422).await;
    assert_eq!(json(app.get(&location, &dpo).await, 200).await["status"], "in_progress");

    // Complex: extended within the first month, once.
    let r = json(app.post(&format!("{location}/extend"), &dpo, &json!({"reason": "ten years of records"})).await, 200)
        .await;
    assert_eq!(r["deadline"]["due_on"], due(&received, Some(&proof), true));
    assert_eq!(r["extension_reason"], "ten years of records");
    json(app.post(&format!("{location}/extend"), &dpo, &json!({"reason": "again"})).await, 422).await;

    // Collated and reviewed; approved by a second officer; released with its bundle (never by
    // a status alone); then it is closed.
    let child_view = json!({"competent": false, "note": "Too young to understand the request."});
    json(app.post(&format!("{location}/child-view"), &dpo, &child_view).await, 200).await;
    let review = json(app.post(&format!("{location}/collate"), &dpo, &json!({})).await, 200).await;
    let first = json!({"item": review["items"][0]["key"], "decisions": []});
    json(app.post(&format!("{location}/review"), &dpo, &first).await, 200).await;
    json(app.post(&format!("{location}/status"), &dpo, &json!({"status": "in_review"})).await, 200).await;
    json(app.post(&format!("{location}/status"), &dpo, &json!({"status": "approved"})).await, 403).await;
    let team = app.user("dpo.demo").await.team_id.unwrap().to_string();
    app.account(&json!({"username": "dpo2.rights", "display_name": "Second Officer", "organisation": "bcp-childrens",
        "team_id": team, "role": "dpo", "password": null}))
        .await;
    let dpo2 = app.token("dpo2.rights").await;
    json(app.post(&format!("{location}/status"), &dpo2, &json!({"status": "approved"})).await, 200).await;
    json(app.post(&format!("{location}/status"), &dpo, &json!({"status": "released"})).await, 409).await;
    let to = json!({"to": "Sam Parent", "method": "post"});
    json(app.post(&format!("{location}/release"), &dpo, &to).await, 200).await;
    let list = json(app.get("/api/v1/rights-requests", &dpo).await, 200).await;
    let listed = list.as_array().unwrap().iter().find(|v| v["id"] == id.as_str()).unwrap();
    assert_eq!((listed["status"].as_str(), listed["overdue"].as_bool()), (Some("released"), Some(false)));

    // The dashboard counts it answered on time; only the DPO sees it.
    let board = json(app.get("/api/v1/rights-dashboard", &dpo).await, 200).await;
    assert_eq!((board["answered"].as_u64(), board["answered_on_time"].as_u64()), (Some(1), Some(1)));
    assert_eq!(board["on_time_rate"].as_f64(), Some(1.0));
    assert_eq!(board["open"].as_u64(), Some(0));
    assert_eq!(app.get("/api/v1/rights-dashboard", &app.token("sw.demo").await).await.status(), 403);

    // Every step is in the ledger, about the child.
    let actions: Vec<String> =
        app.store.audit_for_person(child.id).await.unwrap().into_iter().map(|e| e.action).collect();
    for step in [
        "rights.create",
        "rights.waiting",
        "rights.in_progress",
        "rights.extend",
        "rights.collate",
        "rights.review",
        "rights.approved",
        "rights.release",
    ] {
        assert!(actions.iter().any(|a| a == step), "{step} in {actions:?}");
    }
});

both_backends!(a_request_that_cannot_be_recorded_writes_nothing, |app: TestApp| async move {
    let dpo = app.token("dpo.demo").await;
    let before = app.count("rights_requests").await;
    let base = json!({"right": "access", "person_id": null, "subject_name": "Ava Example", "requester": "subject",
        "requester_name": "Ava Example", "channel": "email", "received_on": days(0), "detail": "a copy of my records"});
    let mut unknown_person = base.clone();
    unknown_person["person_id"] = json!(harbour_domain::PersonId::new());
    json(app.post("/api/v1/rights-requests", &dpo, &unknown_person).await, 422).await;
    let mut future = base.clone();
    future["received_on"] = json!(days(1));
    json(app.post("/api/v1/rights-requests", &dpo, &future).await, 422).await;
    let mut blank = base.clone();
    blank["requester_name"] = json!("  ");
    json(app.post("/api/v1/rights-requests", &dpo, &blank).await, 422).await;
    let mut unknown_right = base.clone();
    unknown_right["right"] = json!("erasure_of_everything");
    assert_eq!(app.post("/api/v1/rights-requests", &dpo, &unknown_right).await.status(), 400);
    assert_eq!(app.count("rights_requests").await, before);
    // An answer for someone not known to Harbour is recorded without a person.
    json(app.post("/api/v1/rights-requests", &dpo, &base).await, 201).await;
    assert_eq!(app.count("rights_requests").await, before + 1);
    // Received today: open, due in about a month, not yet counted as answered.
    let board = json(app.get("/api/v1/rights-dashboard", &dpo).await, 200).await;
    assert_eq!((board["open"].as_u64(), board["overdue"].as_u64()), (Some(1), Some(0)));
    assert_eq!((board["answered"].as_u64(), board["on_time_rate"].clone()), (Some(0), serde_json::Value::Null));
});
