//! Sharing decisions and disclosures, one scenario per sharing promise of seeds 000, 001, 002
//! and 004, on both databases, and every refusal path (each writes nothing).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use common::{clean, days, find_entry, json, only, org, rationale, TestApp};
use harbour_domain::{DataCategory, Entry, Person, RecordClass};
use reqwest::Method;
use serde_json::{json, Value};

/// The notice's ground for sharing without consent where a child would otherwise be harmed.
fn harm_ground(notice: &str) -> &'static str {
    match notice {
        "bcp-childrens-services" => "child-harm",
        "cse-sharing" => "prevent-serious-harm",
        _ => "risk-of-harm",
    }
}

/// A decision sharing the subject and date of one entry, and the person's name, with `to`,
/// without seeking consent because a child would otherwise be harmed.
fn decision(notice: &str, person: &Person, entry: &Entry, to: &str) -> Value {
    json!({
        "notice": notice,
        "people": [person.id],
        "recipients": [to],
        "purpose": "protecting-children",
        "basis": "6(1)(e)",
        "statute": "children-acts-1989-2004",
        "entries": [{"entry_id": entry.id, "fields": ["subject", "occurred_at"]}],
        "person_fields": [{"person_id": person.id, "fields": ["name"]}],
        "consent": {"state": "not_sought", "reason": "Asking would delay protecting the child."},
        "without_consent_ground": harm_ground(notice),
        "family": {"position": "told", "who": "mother", "when": days(0), "how": "phone call"},
        "rationale": rationale(),
        "urgency": "routine"
    })
}

const SHARING_TABLES: &[&str] =
    &["sharing_decisions", "decision_people", "decision_entries", "decision_recipients", "disclosures"];

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in SHARING_TABLES {
        out.push(app.count(t).await);
    }
    out
}

const SCHOOL_SAFE: &[DataCategory] = &[
    DataCategory::PersonalDetails,
    DataCategory::Family,
    DataCategory::AssessmentAndPlans,
    DataCategory::ChildProtection,
    DataCategory::EducationAndEarlyYears,
];

// Seed 002: "we will only share it when necessary" and only the relevant fields; the
// recipient sees exactly what was disclosed, and nobody else sees it at all.
both_backends!(a_minimal_share_is_seen_by_the_recipient_only_and_exactly, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let (child, entry) = find_entry(&app, "sw.demo", RecordClass::ChildProtectionPlan, only(SCHOOL_SAFE)).await;
    let school = org(&app, "harbourside-academy").await;
    let d = json(
        app.post("/api/v1/sharing-decisions", &sw, &decision("bcp-childrens-services", &child, &entry, &school)).await,
        201,
    )
    .await;
    assert_eq!(d["status"], "disclosed");
    assert!(d["clauses"][0].as_str().unwrap().contains("Who we may share your information with — Education"), "{d}");
    assert!(d["categories"].as_array().unwrap().contains(&json!("personal_details")));

    let school_user = app.token("school.demo").await;
    let inbox = json(app.get("/api/v1/received", &school_user).await, 200).await;
    assert_eq!(inbox.as_array().unwrap().len(), 1, "{inbox}");
    // The inbox says whom it is about (the name was shared) and who shared it.
    assert_eq!(inbox[0]["names"], json!([child.full_name()]), "{inbox}");
    assert_eq!(inbox[0]["from"], "BCP Council Children's Services");
    assert_eq!(inbox[0]["shared_by"], "Sam Walker (demo)");
    let log = app.store.audit_for_person(child.id).await.unwrap();
    assert!(log.iter().any(|e| e.action == "disclosure.listed"), "listing the name is in the child's log");
    let disclosure = inbox[0]["disclosure_id"].as_str().unwrap().to_string();
    let got = json(app.get(&format!("/api/v1/received/{disclosure}"), &school_user).await, 200).await;
    let entries = got["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["entry_id"], json!(entry.id));
    assert_eq!(entries[0]["subject"], json!(entry.subject));
    assert!(entries[0].get("detail").is_none(), "the detail was not disclosed: {got}");
    assert!(entries[0].get("location").is_none());
    assert_eq!(got["people"][0]["name"], json!(child.full_name()));
    assert!(got["people"][0].get("date_of_birth").is_none() && got["people"][0].get("nhs_number").is_none());
    let text = got.to_string();
    assert!(!text.contains(&entry.detail), "the detail text appears nowhere in what the school sees");

    // Every demo login: only the school's users may open it; partners see no case record.
    for (username, role) in harbour_app::demo::logins() {
        let token = app.token(username).await;
        let status = app.get(&format!("/api/v1/received/{disclosure}"), &token).await.status().as_u16();
        let expected = if username == "school.demo" { 200 } else { 403 };
        assert_eq!(status, expected, "{username} opening the school's disclosure");
        if role == harbour_domain::Role::PartnerPractitioner || role == harbour_domain::Role::DhrPanel {
            for path in [format!("/api/v1/people/{}", child.id), format!("/api/v1/people/{}/entries", child.id)] {
                assert_eq!(app.get(&path, &token).await.status().as_u16(), 403, "{username} {path}");
            }
            let theirs = json(app.get("/api/v1/received", &token).await, 200).await;
            let leaked = theirs.as_array().unwrap().iter().any(|r| r["disclosure_id"] == json!(disclosure));
            assert_eq!(leaked, username == "school.demo", "{username}'s inbox");
        }
    }

    // The disclosure log and "who has seen this record".
    let log = json(app.get(&format!("/api/v1/people/{}/disclosures", child.id), &sw).await, 200).await;
    assert_eq!(log[0]["recipient"], "Harbourside Academy");
    assert_eq!(log[0]["basis"], "6(1)(e)");
    assert!(log[0]["shared"].as_array().unwrap().iter().any(|s| s.as_str().unwrap().contains(&entry.subject)));
    let dpo = app.token("dpo.demo").await;
    let seen = json(app.get(&format!("/api/v1/people/{}/access-log", child.id), &dpo).await, 200).await;
    let views: Vec<&Value> = seen.as_array().unwrap().iter().filter(|l| l["action"] == "disclosure.view").collect();
    assert!(views.iter().any(|l| l["organisation"] == "Harbourside Academy" && l["outcome"] == "allowed"), "{seen}");
    assert!(seen.as_array().unwrap().iter().any(|l| l["action"] == "disclosure.create"));

    // Expiry: once the date passes the school loses access (time moved on by editing the row).
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE disclosures SET expires_on = $1 WHERE id = $2")
        .bind(days(0))
        .bind(&disclosure)
        .execute(&mut conn)
        .await
        .unwrap();
    let gone = json(app.get(&format!("/api/v1/received/{disclosure}"), &school_user).await, 410).await;
    assert!(gone["detail"].as_str().unwrap().contains("expired"));
    assert!(json(app.get("/api/v1/received", &school_user).await, 200).await.as_array().unwrap().is_empty());
});

// Seed 002 / issue point 3: every refusal names the clause and writes nothing.
both_backends!(every_refusal_names_the_clause_and_writes_nothing, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let dpo = app.token("dpo.demo").await;
    let (child, plain) = find_entry(&app, "sw.demo", RecordClass::ChildProtectionPlan, only(SCHOOL_SAFE)).await;
    let (cse_child, cse_entry) = find_entry(&app, "sw.demo", RecordClass::ChildSexualExploitation, |e| {
        e.categories.contains(&DataCategory::ChildSexualExploitation)
            && !e.categories.iter().any(|c| c.is_special())
            && clean(e)
    })
    .await;
    let (health_child, health) = find_entry(&app, "sw.demo", RecordClass::ChildSexualExploitation, |e| {
        e.categories.contains(&DataCategory::PhysicalOrMentalHealth) && clean(e)
    })
    .await;
    let school = org(&app, "harbourside-academy").await;
    let nhs = org(&app, "nhs").await;
    let dwp = org(&app, "dwp").await;
    let advocacy = org(&app, "advocacy-services").await;
    let council = org(&app, "bcp-childrens").await;
    let agreement = |reference: &str, starts: i64, ends: i64, parties: Vec<String>| {
        json!({
            "reference": reference, "title": "Advocacy for children in care", "parties": parties,
            "purposes": ["Independent advocacy"], "categories": ["personal_details"], "lawful_bases": ["6(1)(e)"],
            "starts_on": days(starts), "ends_on": days(ends), "review_on": days(starts)
        })
    };
    let current = json(
        app.post("/api/v1/agreements", &dpo, &agreement("PISA-ADV", -10, 300, vec![council.clone(), advocacy.clone()]))
            .await,
        201,
    )
    .await["id"]
        .clone();
    let expired = json(
        app.post("/api/v1/agreements", &dpo, &agreement("PISA-OLD", -400, -1, vec![council.clone(), advocacy.clone()]))
            .await,
        201,
    )
    .await["id"]
        .clone();
    let before = counts(&app).await;

    let base = decision("bcp-childrens-services", &child, &plain, &school);
    let with = |changes: Value| {
        let mut d = base.clone();
        for (k, v) in changes.as_object().unwrap() {
            d[k] = v.clone();
        }
        d
    };
    let mut cse_to_dwp = decision("cse-sharing", &cse_child, &cse_entry, &dwp);
    cse_to_dwp["purpose"] = json!("keep-safe");
    cse_to_dwp["statute"] = json!("children-act-2004-s10");
    let health_to_nhs = decision("bcp-childrens-services", &health_child, &health, &nhs);
    let cases: Vec<(Value, u16, &str)> = vec![
        (
            cse_to_dwp,
            422,
            "Department for Work and Pensions (DWP) (a government department) is not among \"Who we may share your information with\"",
        ),
        (health_to_nhs.clone(), 422, "needs one of its conditions"),
        (
            with(
                json!({"recipients": [advocacy], "agreement_id": current, "entries": [{"entry_id": plain.id, "fields": ["subject"]}]}),
            ),
            422,
            "does not cover",
        ),
        (with(json!({"recipients": [advocacy], "agreement_id": expired, "entries": []})), 422, "PISA-OLD expired on"),
        (with(json!({"agreement_id": current})), 422, "Harbourside Academy is not a party to agreement PISA-ADV"),
        (
            with(json!({"consent": {"state": "refused", "from": "father"}, "without_consent_ground": null})),
            422,
            "sharing without consent needs one of the notice's grounds",
        ),
        (
            with(
                json!({"consent": {"state": "not_sought", "reason": "urgent"}, "without_consent_ground": "convenience"}),
            ),
            422,
            "sharing without consent needs one of the notice's grounds",
        ),
        (
            with(json!({"family": {"position": "exempt", "exemption": "too-awkward", "review_on": days(30)}})),
            422,
            "is not one of the notice's reasons for not telling the family",
        ),
        (
            with(json!({"family": {"position": "exempt", "exemption": "risk-of-harm", "review_on": days(400)}})),
            422,
            "must be reviewed within 90 days",
        ),
        (
            with(
                json!({"notice": "domestic-abuse-sharing", "purpose": "keep-safe", "statute": "children-act-2004-s10"}),
            ),
            422,
            "covers only [\"domestic_abuse_notification\"] records",
        ),
        (with(json!({"purpose": "curiosity"})), 422, "purpose \"curiosity\" is not one of the notice's purposes"),
        (with(json!({"basis": "6(1)(f)"})), 422, "Art 6(1)(f) is not one of the notice's lawful bases"),
        (with(json!({"entries": [], "person_fields": []})), 422, "nothing to share"),
        (with(json!({"whole_record_justification": "all of it"})), 422, "either the whole record"),
        (
            with(
                json!({"rationale": {"necessary": "", "proportionate": "p", "relevant": "r", "adequate": "a", "accurate": "a", "timely": "t", "secure": "s"}}),
            ),
            422,
            "why sharing is necessary must not be empty",
        ),
        (with(json!({"recipients": [council]})), 422, "your own organisation"),
        (with(json!({"notice": "made-up"})), 422, "no notice \"made-up\" is in force"),
        (
            with(json!({"entries": [{"entry_id": cse_entry.id, "fields": ["subject"]}]})),
            422,
            "about someone the decision does not name",
        ),
    ];
    for (body, status, needle) in cases {
        let problem = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, status).await;
        assert!(problem["detail"].as_str().unwrap().contains(needle), "{needle}: {problem}");
    }
    // Neither telling the family nor an exemption: the decision cannot even be stated.
    let mut silent = base.clone();
    silent.as_object_mut().unwrap().remove("family");
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &silent).await, 400).await;
    assert!(problem["detail"].as_str().unwrap().contains("family"), "{problem}");
    // No working relationship: a practitioner of another team may not share.
    let ai2 = app.team_id("Assessment and Intervention 2").await;
    let body = json!({"username": "ai2.worker", "display_name": "Other team (test)", "organisation": "bcp-childrens",
        "team_id": ai2, "role": "practitioner", "password": null});
    app.account(&body).await;
    let stranger = app.token("ai2.worker").await;
    let problem = json(app.post("/api/v1/sharing-decisions", &stranger, &base).await, 403).await;
    assert!(problem["detail"].as_str().unwrap().contains("lets a practitioner read this person's record"), "{problem}");
    let panel = app.token("panel.demo").await;
    let problem = json(app.post("/api/v1/sharing-decisions", &panel, &base).await, 403).await;
    assert!(problem["detail"].as_str().unwrap().contains("refused"), "{problem}");
    assert_eq!(counts(&app).await, before, "no refusal wrote anything");
});

// Seed 002: health and sexual-health information shared without consent waits for the
// Caldicott Guardian; nothing is disclosed until approved; a rejection keeps its reasons.
both_backends!(the_caldicott_guardian_approves_or_rejects_before_anything_is_disclosed, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let cg = app.token("cg.demo").await;
    let admin = app.token("admin.demo").await;
    let created = app
        .post(
            "/api/v1/users",
            &admin,
            &json!({"username": "nhs.nurse", "display_name": "Nina Nurse (test)", "organisation": "nhs", "team_id": null, "role": "partner_practitioner", "password": null}),
        )
        .await;
    assert_eq!(created.status().as_u16(), 201);
    let nurse = app.token("nhs.nurse").await;
    let (child, health) = find_entry(&app, "sw.demo", RecordClass::ChildSexualExploitation, |e| {
        e.categories.contains(&DataCategory::PhysicalOrMentalHealth) && clean(e)
    })
    .await;
    let nhs = org(&app, "nhs").await;
    let mut body = decision("bcp-childrens-services", &child, &health, &nhs);
    body["condition"] = json!("safeguarding");
    body["consent"] = json!({"state": "not_sought", "reason": "Asking would alert the exploiting adults."});
    body["without_consent_ground"] = json!("child-harm");
    body["family"] = json!({"position": "exempt", "exemption": "police-investigation", "review_on": days(30)});
    body["urgency"] = json!("urgent");
    let waiting = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    assert_eq!(waiting["status"], "awaiting_guardian");
    assert_eq!(waiting["needs_guardian"], true);
    assert!(json(app.get("/api/v1/received", &nurse).await, 200).await.as_array().unwrap().is_empty(), "nothing yet");
    assert_eq!(app.count("disclosures").await, 0);
    let queue = json(app.get("/api/v1/guardian-queue", &cg).await, 200).await;
    assert_eq!(queue[0]["id"], waiting["id"]);
    assert_eq!(app.get("/api/v1/guardian-queue", &sw).await.status().as_u16(), 403);
    let id = waiting["id"].as_str().unwrap();
    let path = format!("/api/v1/sharing-decisions/{id}/guardian");
    assert_eq!(app.post(&path, &sw, &json!({"approve": true})).await.status().as_u16(), 403, "only the Guardian");
    let problem = json(app.post(&path, &cg, &json!({"approve": false})).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("reason for rejecting"));
    // Approving needs its reason as much (issue 15): nothing is disclosed without one.
    let problem = json(app.post(&path, &cg, &json!({"approve": true, "reason": "  "})).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("reason for approving"), "{problem}");
    assert_eq!(app.count("disclosures").await, 0);
    // Before ruling the Guardian sees all of it: the seven reasons, consent, the family.
    let before = json(app.get(&format!("/api/v1/sharing-decisions/{id}"), &cg).await, 200).await;
    assert_eq!(before["rationale"], body["rationale"], "the Guardian reads the reasons they rule on");
    assert_eq!(before["consent"]["reason"], "Asking would alert the exploiting adults.");
    assert!(before["withheld"].as_array().unwrap().is_empty(), "{before}");
    let approved =
        json(app.post(&path, &cg, &json!({"approve": true, "reason": "Necessary to protect her."})).await, 200).await;
    assert_eq!(approved["status"], "disclosed");
    let inbox = json(app.get("/api/v1/received", &nurse).await, 200).await;
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    json(app.post(&path, &cg, &json!({"approve": true})).await, 409).await;
    let shown = json(app.get(&format!("/api/v1/sharing-decisions/{id}"), &sw).await, 200).await;
    assert_eq!(shown["guardian"]["reason"], "Necessary to protect her.");

    let rejected = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    let rid = rejected["id"].as_str().unwrap();
    let ruled = json(
        app.post(
            &format!("/api/v1/sharing-decisions/{rid}/guardian"),
            &cg,
            &json!({"approve": false, "reason": "Ask the young person first."}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ruled["status"], "rejected");
    assert_eq!(ruled["guardian"]["reason"], "Ask the young person first.");
    assert_eq!(json(app.get("/api/v1/received", &nurse).await, 200).await.as_array().unwrap().len(), 1, "still one");
});

// Seed 000/001: "the parent or carer will normally be told … unless this could put someone at
// risk or undermine a police investigation": the exemption is reviewed, and once its date comes
// the decision is on the notification-due list until the family is told.
both_backends!(exemptions_come_due_and_leave_the_list_once_the_family_is_told, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let (child, entry) = find_entry(&app, "sw.demo", RecordClass::ChildProtectionPlan, only(SCHOOL_SAFE)).await;
    let school = org(&app, "harbourside-academy").await;
    let mut body = decision("bcp-childrens-services", &child, &entry, &school);
    body["consent"] = json!({"state": "not_sought", "reason": "The parents are the source of risk."});
    body["without_consent_ground"] = json!("child-harm");
    body["family"] = json!({"position": "exempt", "exemption": "risk-of-harm", "review_on": days(14)});
    let d = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    let id = d["id"].as_str().unwrap();
    assert!(json(app.get("/api/v1/notifications-due", &sw).await, 200).await.as_array().unwrap().is_empty());
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE sharing_decisions SET review_on = $1 WHERE id = $2")
        .bind(days(-1))
        .bind(id)
        .execute(&mut conn)
        .await
        .unwrap();
    let due = json(app.get("/api/v1/notifications-due", &sw).await, 200).await;
    assert_eq!(due[0]["id"], d["id"]);
    let school_user = app.token("school.demo").await;
    assert!(json(app.get("/api/v1/notifications-due", &school_user).await, 200).await.as_array().unwrap().is_empty());
    let family = format!("/api/v1/sharing-decisions/{id}/family");
    let problem = json(
        app.post(&family, &sw, &json!({"position": "exempt", "exemption": "risk-of-harm", "review_on": days(200)}))
            .await,
        422,
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("within 90 days"));
    json(
        app.post(&family, &sw, &json!({"position": "told", "who": "mother", "when": days(0), "how": "home visit"}))
            .await,
        200,
    )
    .await;
    assert!(json(app.get("/api/v1/notifications-due", &sw).await, 200).await.as_array().unwrap().is_empty());
    let log = json(app.get(&format!("/api/v1/people/{}/disclosures", child.id), &sw).await, 200).await;
    assert_eq!(log[0]["family"]["position"], "told");
});

fn notification() -> Value {
    let incident = (jiff::Zoned::now().with_time_zone(jiff::tz::TimeZone::get("Europe/London").unwrap())
        - jiff::Span::new().hours(3))
    .datetime()
    .round(jiff::Unit::Second)
    .unwrap();
    json!({
        "police_reference": "DP/2026/4411",
        "incident_at": incident.to_string(),
        "account": "Officers attended after neighbours heard shouting. Adult male arrested for assault on his partner.",
        "location": "14 Quayside Close, Poole",
        "summary_for_school": "Officers were called to a loud argument between the adults at home late in the evening.",
        "children": [
            {"given_name": "Ellie", "family_name": "Testcase", "date_of_birth": "2016-05-04", "school": "Harbourside Academy",
             "voice": "Ellie told officers she hid upstairs and was frightened."},
            {"given_name": "Noah", "family_name": "Testcase", "date_of_birth": "2019-01-20", "present": false}
        ]
    })
}

// Seed 000 (Operation Encompass): police notify the hub; the hub triages and tells each child's
// school, minimally, before the next school day; missed deadlines show on the dashboard.
both_backends!(a_police_notification_reaches_each_school_before_the_next_school_day, |app: TestApp| async move {
    let police = app.token("police.demo").await;
    let hub = app.token("mash.demo").await;
    let school_user = app.token("school.demo").await;
    let admin = app.token("admin.demo").await;
    json(
        app.post(
            "/api/v1/school-holidays",
            &admin,
            &json!({"name": "Christmas", "starts_on": "2026-12-21", "ends_on": "2027-01-01"}),
        )
        .await,
        201,
    )
    .await;
    let before = app.count("da_notifications").await;
    for (who, body, status) in [
        (&school_user, notification(), 403),
        (
            &police,
            json!({"police_reference": "x", "incident_at": "2026-01-01T00:00:00", "account": "a", "children": []}),
            422,
        ),
        (
            &police,
            json!({"police_reference": "x", "incident_at": "2099-01-01T00:00:00", "account": "a", "children": [{"given_name": "A", "family_name": "B"}]}),
            422,
        ),
    ] {
        json(app.post("/api/v1/da-notifications", who, &body).await, status).await;
    }
    assert_eq!(app.count("da_notifications").await, before, "refusals write nothing");

    let n = json(app.post("/api/v1/da-notifications", &police, &notification()).await, 201).await;
    let id = n["id"].as_str().unwrap().to_string();
    assert_eq!(n["status"], "received");
    let received_at: jiff::Timestamp = n["received_at"].as_str().unwrap().parse().unwrap();
    let calendar = harbour_domain::SchoolCalendar::new(app.store.holidays().await.unwrap());
    assert_eq!(n["deadline"], json!(calendar.deadline(harbour_domain::uk_local(received_at)).to_string()));
    assert_eq!(n["missed_deadline"], false);
    let theirs = json(app.get("/api/v1/da-notifications", &police).await, 200).await;
    assert_eq!(theirs.as_array().unwrap().len(), 1, "the police see their own");
    assert_eq!(app.get("/api/v1/da-notifications", &school_user).await.status().as_u16(), 403);

    let school = org(&app, "harbourside-academy").await;
    let dwp = org(&app, "dwp").await;
    // Ellie is new to Harbour; Noah is linked to the record the hub already holds.
    let noah = app
        .store
        .search_people(&harbour_store::PersonQuery { name: Some("a".into()), limit: 1, ..Default::default() })
        .await
        .unwrap()
        .remove(0);
    let triage = |school_id: &str| {
        json!({"children": [
            {"new_person": {"given_name": "Ellie", "family_name": "Testcase", "date_of_birth": "2016-05-04", "gender": "female"}, "school_id": school_id},
            {"person_id": noah.id, "school_id": school_id}
        ]})
    };
    let share = json!({
        "consent": {"state": "not_sought", "reason": "Operation Encompass notices are shared to protect the child."},
        "without_consent_ground": "risk-of-harm",
        "family": {"position": "exempt", "exemption": "police-investigation", "review_on": days(28)},
        "rationale": rationale()
    });
    let persons = app.count("persons").await;
    json(app.post(&format!("/api/v1/da-notifications/{id}/share"), &hub, &share).await, 409).await;
    json(app.post(&format!("/api/v1/da-notifications/{id}/triage"), &hub, &json!({"children": []})).await, 422).await;
    json(app.post(&format!("/api/v1/da-notifications/{id}/triage"), &hub, &triage(&dwp)).await, 422).await;
    json(app.post(&format!("/api/v1/da-notifications/{id}/triage"), &police, &triage(&school)).await, 403).await;
    assert_eq!(app.count("persons").await, persons, "a refused triage creates nobody");

    let triaged =
        json(app.post(&format!("/api/v1/da-notifications/{id}/triage"), &hub, &triage(&school)).await, 200).await;
    assert_eq!(triaged["status"], "triaged");
    assert_eq!(app.count("persons").await, persons + 1, "one child created, one linked");
    assert_eq!(triaged["children"][1]["person_id"], json!(noah.id));
    let episodes = app.store.episodes_of(noah.id).await.unwrap();
    assert!(episodes.iter().any(|e| e.record_class == RecordClass::DomesticAbuseNotification && e.closed_on.is_none()));
    json(app.post(&format!("/api/v1/da-notifications/{id}/triage"), &hub, &triage(&school)).await, 409).await;
    let shared = json(app.post(&format!("/api/v1/da-notifications/{id}/share"), &hub, &share).await, 200).await;
    assert_eq!(shared["status"], "shared");
    assert_eq!(shared["missed_deadline"], false);

    let inbox = json(app.get("/api/v1/received", &school_user).await, 200).await;
    assert_eq!(inbox.as_array().unwrap().len(), 2, "one notice per child");
    let mut names = Vec::new();
    for line in inbox.as_array().unwrap() {
        let got = json(
            app.get(&format!("/api/v1/received/{}", line["disclosure_id"].as_str().unwrap()), &school_user).await,
            200,
        )
        .await;
        let text = got.to_string();
        assert!(text.contains("Operation Encompass notice for the school (police reference DP/2026/4411)"), "{text}");
        assert!(!text.contains("arrested"), "the police account is not shared with the school: {text}");
        assert_eq!(got["notice"], "domestic-abuse-sharing");
        // What the designated safeguarding lead needs (rules.md rule 30) and when access ends.
        let notice = &got["entries"][0];
        assert_eq!(notice["location"], "14 Quayside Close, Poole");
        let detail = notice["detail"].as_str().unwrap();
        assert!(detail.contains("Police reference DP/2026/4411"), "{detail}");
        assert!(detail.contains("What happened: Officers were called to a loud argument"), "{detail}");
        let name = got["people"][0]["name"].as_str().unwrap().to_string();
        if name.starts_with("Ellie") {
            assert!(detail.contains("Ellie was present.") && detail.contains("hid upstairs"), "{detail}");
        } else {
            assert!(detail.contains("was not present but lives in the household"), "{detail}");
            assert!(detail.contains("did not record"), "{detail}");
        }
        assert_eq!(got["expires_on"], json!(days(28)), "the school's access ends after the notice's 28 days");
        names.push(name);
    }
    names.sort();
    let mut expected = vec!["Ellie Testcase".to_string(), noah.full_name()];
    expected.sort();
    assert_eq!(names, expected, "each school notice names its own child");
    // The hub's dashboard shows a notification that missed its deadline.
    let late = json(app.post("/api/v1/da-notifications", &police, &notification()).await, 201).await;
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE da_notifications SET deadline = '2026-01-05T08:30:00' WHERE id = $1")
        .bind(late["id"].as_str().unwrap())
        .execute(&mut conn)
        .await
        .unwrap();
    let missed = json(app.get("/api/v1/da-notifications?missed=true", &hub).await, 200).await;
    assert_eq!(missed.as_array().unwrap().len(), 1);
    assert_eq!(missed[0]["id"], late["id"]);
});

// Seed 001: police requests for prevention, disruption and detection are answered through the
// same decision flow, on the notice's crime-prevention ground.
both_backends!(
    a_police_request_about_exploitation_is_answered_on_the_crime_prevention_ground,
    |app: TestApp| async move {
        let police = app.token("police.demo").await;
        let sw = app.token("sw.demo").await;
        let (child, entry) = find_entry(&app, "sw.demo", RecordClass::ChildSexualExploitation, |e| {
            e.categories.contains(&DataCategory::CriminalOffence)
                && !e.categories.iter().any(|c| c.is_special())
                && clean(e)
        })
        .await;
        let ask = |ground: &str| {
            json!({
                "notice": "cse-sharing", "purpose": "prevent-disrupt-detect", "ground": ground,
                "about": {"given_name": child.given_name, "family_name": child.family_name, "date_of_birth": child.date_of_birth},
                "detail": "Vehicle seen collecting young people near the school; we ask for any reports of missing episodes."
            })
        };
        let before = app.count("information_requests").await;
        let problem = json(app.post("/api/v1/information-requests", &police, &ask("hunch")).await, 422).await;
        assert!(problem["detail"].as_str().unwrap().contains("grounds for sharing without consent"));
        json(app.post("/api/v1/information-requests", &sw, &ask("detect-prevent-crime")).await, 403).await;
        assert_eq!(app.count("information_requests").await, before);
        let request =
            json(app.post("/api/v1/information-requests", &police, &ask("detect-prevent-crime")).await, 201).await;
        let listed = json(app.get("/api/v1/information-requests", &sw).await, 200).await;
        assert!(listed.as_array().unwrap().iter().any(|r| r["id"] == request["id"]));

        let police_org = org(&app, "dorset-police").await;
        let mut answer = decision("cse-sharing", &child, &entry, &police_org);
        answer["request_id"] = request["id"].clone();
        answer["purpose"] = json!("prevent-disrupt-detect");
        answer["statute"] = json!("crime-and-disorder-act-1998-s115");
        answer["consent"] =
            json!({"state": "not_sought", "reason": "Seeking consent would prejudice the investigation."});
        answer["without_consent_ground"] = json!("detect-prevent-crime");
        answer["family"] = json!({"position": "exempt", "exemption": "police-investigation", "review_on": days(60)});
        let without_condition = json(app.post("/api/v1/sharing-decisions", &sw, &answer).await, 422).await;
        assert!(without_condition["detail"].as_str().unwrap().contains("criminal_offence"));
        answer["condition"] = json!("crime-prevention");
        let d = json(app.post("/api/v1/sharing-decisions", &sw, &answer).await, 201).await;
        assert_eq!(d["status"], "disclosed");
        // The ground is cited in the notice's words, not by its id.
        assert!(
            d["clauses"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c.as_str().unwrap().ends_with("sharing without consent — to detect or prevent crime")),
            "{d}"
        );
        let r = json(
            app.get(&format!("/api/v1/information-requests/{}", request["id"].as_str().unwrap()), &police).await,
            200,
        )
        .await;
        assert_eq!(r["status"], "answered");
        json(app.post("/api/v1/sharing-decisions", &sw, &answer).await, 409).await;
        let inbox = json(app.get("/api/v1/received", &police).await, 200).await;
        assert_eq!(inbox.as_array().unwrap().len(), 1);
    }
);

// Seed 004: "we will only share your details with these organisations if we have your
// consent. However, we will share … if a child would be harmed".
both_backends!(without_consent_only_if_a_child_would_be_harmed, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let (child, entry) = find_entry(&app, "sw.demo", RecordClass::ChildInNeed, |e| {
        e.categories.iter().all(|c| {
            [DataCategory::Family, DataCategory::AssessmentAndPlans, DataCategory::ChildProtection].contains(c)
        }) && clean(e)
    })
    .await;
    let advocacy = org(&app, "advocacy-services").await;
    let mut body = decision("childrens-support-safeguarding", &child, &entry, &advocacy);
    body["purpose"] = json!("best-support");
    body["statute"] = json!("children-act-1989-s17");
    body["consent"] = json!({"state": "refused", "from": "father"});
    body.as_object_mut().unwrap().remove("without_consent_ground");
    let problem = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("sharing without consent needs one of the notice's grounds"));
    body["without_consent_ground"] = json!("risk-of-harm");
    let d = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    assert_eq!(d["status"], "disclosed");
    // With consent: the recorded consent, naming the organisation, is cited.
    let consent = json(
        app.post(
            &format!("/api/v1/people/{}/consents", child.id),
            &sw,
            &json!({"service": "Independent advocacy", "given_by": "mother", "given_on": days(-3), "share_with": [advocacy]}),
        )
        .await,
        201,
    )
    .await;
    body["consent"] = json!({"state": "given", "consent_ids": [consent["id"]]});
    body.as_object_mut().unwrap().remove("without_consent_ground");
    let d = json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    assert_eq!(d["consent"]["from"], "mother", "who gave it comes from the record: {d}");
    assert_eq!(d["consent"]["consent_ids"][0], consent["id"]);
});

both_backends!(organisations_are_updated_and_deleted_only_when_nothing_refers_to_them, |app: TestApp| async move {
    let admin = app.token("admin.demo").await;
    let dpo = app.token("dpo.demo").await;
    let police = org(&app, "dorset-police").await;
    let rename = json!({"slug": "dorset-police", "name": "Dorset Police (renamed)", "kind": "police_force", "controller_role": "controller", "charter_signatory": true});
    let updated = json(
        app.request(Method::PUT, &format!("/api/v1/organisations/{police}"), &admin)
            .json(&rename)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(updated["name"], "Dorset Police (renamed)");
    json(
        app.request(Method::PUT, &format!("/api/v1/organisations/{police}"), &dpo).json(&rename).send().await.unwrap(),
        403,
    )
    .await;
    let in_use = json(
        app.request(Method::DELETE, &format!("/api/v1/organisations/{police}"), &admin).send().await.unwrap(),
        409,
    )
    .await;
    assert!(in_use["detail"].as_str().unwrap().contains("cannot be deleted"));
    let new = json(app.post("/api/v1/organisations", &admin, &json!({"slug": "pop-up-club", "name": "Pop-up Youth Club", "kind": "voluntary_organisation", "controller_role": "controller"})).await, 201).await;
    let id = new["id"].as_str().unwrap();
    let resp = app.request(Method::DELETE, &format!("/api/v1/organisations/{id}"), &admin).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    json(app.request(Method::DELETE, &format!("/api/v1/organisations/{id}"), &admin).send().await.unwrap(), 404).await;
});

// Issue 14: an address marked "do not disclose" after it was shared is no longer shown to the
// recipient, and cannot be shared again.
both_backends!(an_address_marked_confidential_after_a_share_is_no_longer_shown, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let (child, entry) = find_entry(&app, "sw.demo", RecordClass::ChildProtectionPlan, only(SCHOOL_SAFE)).await;
    assert!(child.address.is_some(), "the demo child has an address");
    let school = org(&app, "harbourside-academy").await;
    let mut body = decision("bcp-childrens-services", &child, &entry, &school);
    body["person_fields"] = json!([{"person_id": child.id, "fields": ["name", "address"]}]);
    json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    let school_user = app.token("school.demo").await;
    let inbox = json(app.get("/api/v1/received", &school_user).await, 200).await;
    let path = format!("/api/v1/received/{}", inbox[0]["disclosure_id"].as_str().unwrap());
    let got = json(app.get(&path, &school_user).await, 200).await;
    assert!(got["people"][0]["address"].is_string(), "{got}");
    let flag = format!("/api/v1/people/{}/address-confidential", child.id);
    let flagged = app.request(reqwest::Method::PUT, &flag, &sw).json(&json!({"confidential": true})).send().await;
    json(flagged.unwrap(), 200).await;
    let got = json(app.get(&path, &school_user).await, 200).await;
    assert!(got["people"][0]["address"].is_null(), "{got}");
    assert!(got["people"][0]["name"].is_string());
    let before = counts(&app).await;
    let again = app.post("/api/v1/sharing-decisions", &sw, &body).await;
    assert!(again.status().is_client_error());
    assert!(again.text().await.unwrap().contains("do not disclose"));
    assert_eq!(counts(&app).await, before, "nothing written");
});

both_backends!(the_inbox_names_a_person_only_where_their_name_was_shared, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let (child, entry) = find_entry(&app, "sw.demo", RecordClass::ChildProtectionPlan, only(SCHOOL_SAFE)).await;
    let school = org(&app, "harbourside-academy").await;
    let mut body = decision("bcp-childrens-services", &child, &entry, &school);
    body["person_fields"] = json!([]);
    json(app.post("/api/v1/sharing-decisions", &sw, &body).await, 201).await;
    let inbox = json(app.get("/api/v1/received", &app.token("school.demo").await).await, 200).await;
    assert_eq!(inbox[0]["names"], json!([]), "{inbox}");
    assert_eq!(inbox[0]["people"], 1);
    assert!(!inbox.to_string().contains(&child.family_name), "{inbox}");
    let log = app.store.audit_for_person(child.id).await.unwrap();
    assert!(!log.iter().any(|e| e.action == "disclosure.listed"), "no name was listed");
});
