//! Issue 15: emergency access. A practitioner not working with a family opens the record by
//! saying why; it opens to them alone, for one shift, to read and record but never to share;
//! the teams working with the family and the data protection officer see the opening, and the
//! officer reviews it. Every other role is refused, and a refusal changes nothing. Through the
//! API and through the pages, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;
mod pages;

use common::{days, json, org, rationale, TestApp};
use serde_json::json;

const PASSWORD: &str = "out-of-hours-password";

/// A child with an open child-in-need episode of the first practitioner's team, an entry, and a
/// practitioner of another team (the out-of-hours worker) who cannot see it: (child, entry).
async fn setting(app: &TestApp) -> (String, String) {
    let hub = app.token("mash.demo").await;
    let p =
        json!({"given_name": "Esme", "family_name": "Nightshift", "date_of_birth": "2016-03-04", "gender": "female"});
    let child = json(app.post("/api/v1/people", &hub, &p).await, 201).await["id"].as_str().unwrap().to_string();
    let team = app.team_id("Assessment and Intervention 1").await;
    let ep = json!({"record_class": "child_in_need", "opened_on": days(-30), "team_id": team});
    let ep = json(app.post(&format!("/api/v1/people/{child}/episodes"), &hub, &ep).await, 201).await;
    let staff = app.user("mash.demo").await.id.to_string();
    let e = json!({"kind": "note", "occurred_at": format!("{}T10:00:00", days(-2)), "subject": "Esme's night note",
        "detail": "Seen at home.", "source": {"kind": "staff", "user_id": staff}, "categories": ["family"]});
    let path = format!("/api/v1/episodes/{}/entries", ep["id"].as_str().unwrap());
    let entry = json(app.post(&path, &hub, &e).await, 201).await["id"].as_str().unwrap().to_string();
    let ai2 = app.team_id("Assessment and Intervention 2").await;
    app.account(
        &json!({"username": "ooh.demo", "display_name": "Out of hours (test)", "organisation": "bcp-childrens",
        "team_id": ai2, "role": "practitioner", "password": PASSWORD}),
    )
    .await;
    (child, entry)
}

both_backends!(an_emergency_opening_is_one_practitioners_for_one_shift_and_reviewed, |app: TestApp| async move {
    let (child, entry) = setting(&app).await;
    let ooh = app.token("ooh.demo").await;
    let sw = app.token("sw.demo").await;
    let dpo = app.token("dpo.demo").await;
    let open = format!("/api/v1/people/{child}/emergency-access");
    let reason = json!({"reason": "Police at the door at 2am; the allocated team cannot be reached."});

    // Not working with the family: refused, and nothing opened by a refusal.
    json(app.get(&format!("/api/v1/people/{child}"), &ooh).await, 403).await;
    json(app.post(&open, &ooh, &json!({"reason": "  "})).await, 422).await;
    for who in ["police.demo", "school.demo", "auditor.demo", "admin.demo", "dpo.demo", "panel.demo"] {
        let p = json(app.post(&open, &app.token(who).await, &reason).await, 403).await;
        assert!(p["detail"].as_str().unwrap().contains("refused"), "{who}: {p}");
    }
    // Someone who can already see it has nothing to open.
    json(app.post(&open, &sw, &reason).await, 409).await;
    json(app.post("/api/v1/people/00000000-0000-4000-8000-000000000000/emergency-access", &ooh, &reason).await, 404)
        .await;
    assert_eq!(app.count("emergency_access").await, 0, "no refusal opened anything");

    // Opened: for twelve hours, to this practitioner alone.
    let a = json(app.post(&open, &ooh, &reason).await, 201).await;
    let opened: jiff::Timestamp = a["opened_at"].as_str().unwrap().parse().unwrap();
    let expires: jiff::Timestamp = a["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires.duration_since(opened), jiff::SignedDuration::from_hours(12));
    let record = json(app.get(&format!("/api/v1/people/{child}"), &ooh).await, 200).await;
    assert!(record["access"].as_str().unwrap().contains("in an emergency"), "{record}");
    let entries = json(app.get(&format!("/api/v1/people/{child}/entries"), &ooh).await, 200).await;
    assert_eq!(entries[0]["id"], entry.as_str());
    // A colleague of the same team is not let in by it.
    app.account(&json!({"username": "ooh2.demo", "display_name": "Colleague (test)", "organisation": "bcp-childrens",
        "team_id": app.team_id("Assessment and Intervention 2").await, "role": "practitioner", "password": null}))
        .await;
    json(app.get(&format!("/api/v1/people/{child}"), &app.token("ooh2.demo").await).await, 403).await;
    // It lets them read and record, never share.
    let school = org(&app, "harbourside-academy").await;
    let share = json!({"notice": "bcp-childrens-services", "people": [child], "recipients": [school],
        "purpose": "protecting-children", "basis": "6(1)(e)", "statute": "children-acts-1989-2004",
        "entries": [{"entry_id": entry, "fields": ["subject"]}],
        "consent": {"state": "not_sought", "reason": "Asking would put the child at risk."},
        "without_consent_ground": "child-harm", "family": {"position": "told", "who": "mother", "when": days(0), "how": "phone"},
        "rationale": rationale(), "urgency": "routine"});
    json(app.post("/api/v1/sharing-decisions", &ooh, &share).await, 403).await;
    assert_eq!(app.count("sharing_decisions").await, 0);

    // The team working with the family and the officer see it, with who and why; those who
    // cannot read the record do not.
    for token in [&sw, &dpo, &ooh] {
        let list = json(app.get("/api/v1/emergency-access", token).await, 200).await;
        let item = list.as_array().unwrap().iter().find(|i| i["id"] == a["id"]).expect("listed");
        assert_eq!(item["person_name"], "Esme Nightshift");
        assert_eq!(item["opened_by"], "Out of hours (test)");
        assert_eq!(item["open_now"], true);
        assert!(item["reason"].as_str().unwrap().contains("Police at the door"));
    }
    for who in ["ooh2.demo", "police.demo", "school.demo", "auditor.demo", "admin.demo"] {
        let list = json(app.get("/api/v1/emergency-access", &app.token(who).await).await, 200).await;
        assert!(!list.to_string().contains("Nightshift"), "{who} sees {list}");
    }

    // The ledger says who opened it, when, under which clause, and each read it gave.
    let ledger = app.store.audit_for_person(child.parse().unwrap()).await.unwrap();
    let ooh_id = Some(app.user("ooh.demo").await.id.to_string());
    let open_event = ledger
        .iter()
        .find(|e| e.action == "emergency.open" && e.outcome == "allowed")
        .expect("the opening is in the ledger");
    assert_eq!(open_event.actor_id, ooh_id);
    assert_eq!(open_event.policy_ids, vec!["bcp-childrens-services/v3/access/emergency/open"]);
    assert!(ledger.iter().any(|e| e.action == "person.read"
        && e.actor_id == ooh_id
        && e.policy_ids == vec!["bcp-childrens-services/v3/access/emergency".to_string()]));
    assert!(ledger.iter().any(|e| e.action == "emergency.open" && e.outcome == "denied"), "refusals too");

    // The officer reviews it, once; nobody else can; "not justified" says what was wrong.
    let review = format!("/api/v1/emergency-access/{}/review", a["id"].as_str().unwrap());
    json(app.post(&review, &sw, &json!({"justified": true})).await, 403).await;
    json(app.post(&review, &ooh, &json!({"justified": true})).await, 403).await;
    json(app.post(&review, &dpo, &json!({"justified": false})).await, 422).await;
    let done =
        json(app.post(&review, &dpo, &json!({"justified": false, "note": "The team was on call."})).await, 200).await;
    assert_eq!(done["review"]["justified"], false);
    assert_eq!(done["review"]["note"], "The team was on call.");
    json(app.post(&review, &dpo, &json!({"justified": true})).await, 409).await;
    let list = json(app.get("/api/v1/emergency-access", &sw).await, 200).await;
    assert_eq!(list[0]["review"]["justified"], false, "the team sees the review too: {list}");

    // After the shift the record is closed to them again.
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE emergency_access SET expires_at = $1 WHERE id = $2")
        .bind(harbour_store::format_ts(jiff::Timestamp::now() - jiff::SignedDuration::from_secs(1)))
        .bind(a["id"].as_str().unwrap())
        .execute(&mut conn)
        .await
        .unwrap();
    json(app.get(&format!("/api/v1/people/{child}"), &ooh).await, 403).await;
    let list = json(app.get("/api/v1/emergency-access", &dpo).await, 200).await;
    assert_eq!(list.as_array().unwrap().iter().find(|i| i["id"] == a["id"]).unwrap()["open_now"], false);
});

both_backends!(a_refused_record_offers_the_emergency_opening_in_the_pages, |app: TestApp| async move {
    let (child, _) = setting(&app).await;
    let ooh = pages::sign_in_with(&app, "ooh.demo", PASSWORD).await;
    let (status, html) = ooh.get(&app, &format!("/people/{child}")).await;
    assert_eq!(status, 403);
    assert!(html.contains(&format!("href=\"/people/{child}/emergency-access\"")), "{html}");
    assert!(!html.contains("Nightshift"), "the refusal does not name the child");
    let (status, html) = ooh.get(&app, &format!("/people/{child}/emergency-access")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Opening a record is recorded and reviewed"));
    assert!(!html.contains("Nightshift"), "the form does not name the child");
    // Without a reason: the error, beside the field, and nothing opened.
    let path = format!("/people/{child}/emergency-access");
    let (status, _, html) = ooh.post(&app, &path, &[("reason", " ")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Say why the record must be opened now"), "{html}");
    assert!(html.contains("href=\"#reason\""));
    assert_eq!(app.count("emergency_access").await, 0);
    // Without the session's token: refused.
    let (status, _, _) = ooh.post_raw(&app, &path, &[("reason", "Police at the door.")]).await;
    assert_eq!(status, 403);
    assert_eq!(app.count("emergency_access").await, 0);
    let (status, location, _) = ooh.post(&app, &path, &[("reason", "Police at the door.")]).await;
    assert_eq!((status, location.as_str()), (303, format!("/people/{child}?done=emergency-opened").as_str()));
    let (status, html) = ooh.get(&app, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Record opened in an emergency"), "{html}");
    assert!(html.contains("Esme"));

    // The police are refused with no offer; the hub, who may see it anyway, gets no form.
    let police = pages::sign_in(&app, "police.demo").await;
    let (status, html) = police.get(&app, &format!("/people/{child}")).await;
    assert_eq!(status, 403);
    assert!(!html.contains("emergency-access"));
    let (status, _) = police.get(&app, &format!("/people/{child}/emergency-access")).await;
    assert_eq!(status, 403);
    let hub = pages::sign_in(&app, "mash.demo").await;
    assert_eq!(hub.get(&app, &format!("/people/{child}/emergency-access")).await.0, 403);

    // The officer's list: the opening, to review; a review without an answer is an error.
    let dpo = pages::sign_in(&app, "dpo.demo").await;
    let (status, html) = dpo.get(&app, "/emergency-access").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Esme Nightshift") && html.contains("Police at the door.") && html.contains("not yet reviewed")
    );
    assert!(html.contains("(UK time)"), "times are labelled");
    let id = html.split("/emergency-access/").nth(1).unwrap().split('/').next().unwrap().to_string();
    let review = format!("/emergency-access/{id}/review");
    let (status, _, html) = dpo.post(&app, &review, &[("note", "")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Say whether the opening was justified"));
    let (status, _, html) = dpo.post(&app, &review, &[("justified", "no"), ("note", "")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Say what was wrong with the opening"));
    let (status, location, _) = dpo.post(&app, &review, &[("justified", "yes"), ("note", "")]).await;
    assert_eq!((status, location.as_str()), (303, "/emergency-access?reviewed=1"));
    let (_, html) = dpo.get(&app, &location).await;
    assert!(html.contains("Review recorded") && html.contains("Justified, by"));
    // The practitioner's own list shows it, with no review form.
    let (status, html) = ooh.get(&app, "/emergency-access").await;
    assert_eq!(status, 200);
    assert!(html.contains("Esme Nightshift") && !html.contains("Record the review"));
    let (status, _, _) = ooh.post(&app, &review, &[("justified", "yes")]).await;
    assert_eq!(status, 403);
    // The record's access log says it in words, in UK time.
    let (status, html) = dpo.get(&app, &format!("/people/{child}/access-log")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Opened the record in an emergency") && html.contains("Out of hours (test)"), "{html}");
    assert!(html.contains("(UK time)") && !html.contains("emergency.open") && !html.contains("person.read"));
    assert!(html.contains("Refused"), "the refused attempts are there too");
});
