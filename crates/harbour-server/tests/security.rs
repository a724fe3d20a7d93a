//! Issue 12: the leaks an outside security test found, each a scenario on SQLite and
//! PostgreSQL that failed before. Auditors see metadata only; a decision about several
//! children shows each reader only their own; an administrator cannot give anyone access
//! alone; team managers and practitioners see only the notifications and requests about the
//! children they work with.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use common::{clean, days, json, org, rationale, TestApp};
use harbour_domain::{Entry, Person};
use serde_json::{json, Value};

const AI2: &str = "Assessment and Intervention 2";

/// A new child with an open child-in-need episode allocated to `team`, and one entry on it
/// whose subject is `subject`; made by the hub.
async fn child_of_team(app: &TestApp, team: &str, given: &str, subject: &str) -> (Person, Entry) {
    let hub = app.token("mash.demo").await;
    let person =
        json!({"given_name": given, "family_name": "Securitytest", "date_of_birth": "2016-02-03", "gender": "female"});
    let person = json(app.post("/api/v1/people", &hub, &person).await, 201).await;
    let id = person["id"].as_str().unwrap().to_string();
    let body = json!({"record_class": "child_in_need", "opened_on": days(-40), "team_id": app.team_id(team).await});
    let episode = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &body).await, 201).await;
    let hub_user = app.user("mash.demo").await.id.to_string();
    let entry = json!({"kind": "contact", "occurred_at": format!("{}T10:00:00", days(-2)), "subject": subject,
        "detail": "Visited at home; the children were well.", "source": {"kind": "staff", "user_id": hub_user},
        "categories": ["family"]});
    let entry = json(
        app.post(&format!("/api/v1/episodes/{}/entries", episode["id"].as_str().unwrap()), &hub, &entry).await,
        201,
    )
    .await;
    let pid: harbour_domain::PersonId = id.parse().unwrap();
    let entry =
        app.store.entries_of_person(pid).await.unwrap().into_iter().find(|e| e.id.to_string() == entry["id"]).unwrap();
    assert!(clean(&entry));
    (app.store.person(pid).await.unwrap(), entry)
}

/// A decision sharing each person's entry subject and name with the school, with free text a
/// test can look for.
fn share_with_school(people: &[(&Person, &Entry)], school: &str) -> Value {
    json!({
        "notice": "bcp-childrens-services",
        "people": people.iter().map(|(p, _)| p.id).collect::<Vec<_>>(),
        "recipients": [school], "purpose": "protecting-children", "basis": "6(1)(e)",
        "statute": "children-acts-1989-2004",
        "entries": people.iter().map(|(_, e)| json!({"entry_id": e.id, "fields": ["subject", "occurred_at"]})).collect::<Vec<_>>(),
        "person_fields": people.iter().map(|(p, _)| json!({"person_id": p.id, "fields": ["name"]})).collect::<Vec<_>>(),
        "consent": {"state": "refused", "from": "Uncle Quentin Refuser"},
        "without_consent_ground": "child-harm",
        "family": {"position": "told", "who": "Aunt Zelda Told", "when": days(0), "how": "a visit to Gull Crescent"},
        "rationale": rationale(), "urgency": "routine"
    })
}

// Item 1: auditors read the audit trail, never record content.
both_backends!(auditors_see_the_metadata_of_sharing_and_never_its_content, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let auditor = app.token("auditor.demo").await;
    let (child, entry) = child_of_team(&app, AI2, "Auda", "Auditor must not see this subject").await;
    let school = org(&app, "harbourside-academy").await;
    let d =
        json(app.post("/api/v1/sharing-decisions", &hub, &share_with_school(&[(&child, &entry)], &school)).await, 201)
            .await;
    let id = d["id"].as_str().unwrap();
    let secrets = [entry.subject.as_str(), "Uncle Quentin", "Aunt Zelda", "Gull Crescent", "The school needs to know"];
    let seen = json(app.get(&format!("/api/v1/sharing-decisions/{id}"), &auditor).await, 200).await;
    let text = seen.to_string();
    for s in secrets {
        assert!(!text.contains(s), "the auditor sees {s:?}: {text}");
    }
    assert_eq!(seen["recipients"], d["recipients"], "but who received it, and under which clause");
    assert_eq!(seen["clauses"], d["clauses"]);
    assert!(!seen["withheld"].as_array().unwrap().is_empty());
    let log = json(app.get(&format!("/api/v1/people/{}/disclosures", child.id), &auditor).await, 200).await;
    let text = log.to_string();
    for s in secrets {
        assert!(!text.contains(s), "the auditor's disclosure log shows {s:?}: {text}");
    }
    assert_eq!(log[0]["recipient"], "Harbourside Academy");
    // Whoever reads the record sees it all.
    let full = json(app.get(&format!("/api/v1/sharing-decisions/{id}"), &hub).await, 200).await;
    assert_eq!(full["family"]["who"], "Aunt Zelda Told");
    assert_eq!(full["withheld"], json!([]));
    let log = json(app.get(&format!("/api/v1/people/{}/disclosures", child.id), &hub).await, 200).await;
    assert!(log.to_string().contains("Auditor must not see this subject"));
});

// Item 2: a decision about several children shows each reader only the children they may read,
// and what was shown is logged against each.
both_backends!(a_decision_about_several_children_shows_each_reader_only_their_own, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let sw = app.token("sw.demo").await;
    let (a, entry_a) = child_of_team(&app, "Assessment and Intervention 1", "Alma", "Alma's visit").await;
    let (b, entry_b) = child_of_team(&app, AI2, "Bea", "Bea's private visit").await;
    let school = org(&app, "harbourside-academy").await;
    let body = share_with_school(&[(&a, &entry_a), (&b, &entry_b)], &school);
    let d = json(app.post("/api/v1/sharing-decisions", &hub, &body).await, 201).await;
    let id = d["id"].as_str().unwrap();
    json(app.get(&format!("/api/v1/people/{}", b.id), &sw).await, 403).await;
    let b_log_before = app.store.audit_for_person(b.id).await.unwrap().len();

    let seen = json(app.get(&format!("/api/v1/sharing-decisions/{id}"), &sw).await, 200).await;
    let text = seen.to_string();
    assert!(!text.contains(&b.id.to_string()) && !text.contains(&entry_b.id.to_string()), "{text}");
    assert_eq!(seen["people"], json!([a.id]));
    assert_eq!(seen["entries"].as_array().unwrap().len(), 1);
    assert!(seen["withheld"][0].as_str().unwrap().contains("1 of the 2 people"), "{seen}");
    assert_eq!(seen["family"]["who"], "(withheld)", "free text can speak of Bea");
    let log = json(app.get(&format!("/api/v1/people/{}/disclosures", a.id), &sw).await, 200).await;
    let text = log.to_string();
    assert!(text.contains("Alma's visit") && !text.contains("Bea's private visit"), "{text}");
    assert!(!text.contains(&b.id.to_string()));
    json(app.get(&format!("/api/v1/people/{}/disclosures", b.id), &sw).await, 403).await;
    // Alma's access log shows the look; Bea's shows only the refusals.
    let sw_id = app.user("sw.demo").await.id.to_string();
    let a_events = app.store.audit_for_person(a.id).await.unwrap();
    assert!(a_events.iter().any(|e| e.action == "sharing.read" && e.actor_id.as_deref() == Some(&sw_id)));
    let b_events = app.store.audit_for_person(b.id).await.unwrap();
    assert!(b_events[b_log_before..]
        .iter()
        .filter(|e| e.actor_id.as_deref() == Some(&sw_id))
        .all(|e| e.outcome == "denied"));
    // The families-to-tell list follows the same rule.
    let mut due = body.clone();
    due["family"] = json!({"position": "exempt", "exemption": "risk-of-harm", "review_on": days(10)});
    let due = json(app.post("/api/v1/sharing-decisions", &hub, &due).await, 201).await;
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url).await.unwrap();
    sqlx::query("UPDATE sharing_decisions SET review_on = $1 WHERE id = $2")
        .bind(days(-1))
        .bind(due["id"].as_str().unwrap())
        .execute(&mut conn)
        .await
        .unwrap();
    let list = json(app.get("/api/v1/notifications-due", &sw).await, 200).await;
    let mine = list.as_array().unwrap().iter().find(|d| d["id"] == due["id"]).expect("sw sees it for Alma");
    assert_eq!(mine["people"], json!([a.id]));
    assert!(!list.to_string().contains("Bea's private visit"));
});

// Item 3: roles fit organisations, and an account that can read records needs the data
// protection officer's approval before it can sign in.
both_backends!(an_administrator_cannot_give_anyone_access_alone, |app: TestApp| async move {
    let admin = app.token("admin.demo").await;
    let dpo = app.token("dpo.demo").await;
    let sw = app.token("sw.demo").await;
    let (child, _) = app.allocated_child("sw.demo").await;
    let users = app.count("users").await;
    for (organisation, role) in [
        ("dorset-police", "hub"),
        ("dorset-police", "practitioner"),
        ("harbourside-academy", "dpo"),
        ("bcp-childrens", "partner_practitioner"),
        ("dorset-police", "dhr_panel"),
    ] {
        let body = json!({"username": "self.grant", "display_name": "Sneaky", "organisation": organisation,
            "team_id": null, "role": role, "password": null});
        let problem = json(app.post("/api/v1/users", &admin, &body).await, 422).await;
        assert!(
            problem["detail"].as_str().unwrap().contains("account cannot belong to"),
            "{organisation} {role}: {problem}"
        );
    }
    assert_eq!(app.count("users").await, users, "refusals create nobody");
    // A hub account for the council waits, inactive, for the DPO.
    let body = json!({"username": "new.hub", "display_name": "New Hub (test)", "organisation": "bcp-childrens",
        "team_id": null, "role": "hub", "password": null});
    let pending = json(app.post("/api/v1/users", &admin, &body).await, 201).await;
    assert_eq!((pending["active"].clone(), pending["awaiting_approval"].clone()), (json!(false), json!(true)));
    let token = app.token("new.hub").await;
    json(app.get(&format!("/api/v1/people/{}", child.id), &token).await, 401).await;
    let approve = format!("/api/v1/users/{}/approve", pending["id"].as_str().unwrap());
    json(app.post(&approve, &admin, &json!({})).await, 403).await;
    json(app.post(&approve, &sw, &json!({})).await, 403).await;
    json(app.post("/api/v1/users", &dpo, &body).await, 403).await;
    let approved = json(app.post(&approve, &dpo, &json!({})).await, 200).await;
    assert_eq!(approved["active"], true);
    json(app.get(&format!("/api/v1/people/{}", child.id), &token).await, 200).await;
    json(app.post(&approve, &dpo, &json!({})).await, 409).await;
    // Both steps are in the ledger, by two different people.
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url).await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, actor_id FROM audit_events WHERE target_id = $1 AND action LIKE 'user.%' ORDER BY seq",
    )
    .bind(pending["id"].as_str().unwrap())
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let admin_id = app.user("admin.demo").await.id.to_string();
    let dpo_id = app.user("dpo.demo").await.id.to_string();
    assert_eq!(rows, vec![("user.create".into(), admin_id), ("user.approve".into(), dpo_id)]);
    // A refused one stays inactive; a partner account needs no approval.
    let body = json!({"username": "other.hub", "display_name": "Other Hub (test)", "organisation": "bcp-childrens",
        "team_id": null, "role": "hub", "password": null});
    let other = json(app.post("/api/v1/users", &admin, &body).await, 201).await;
    let rejected =
        json(app.post(&format!("/api/v1/users/{}/reject", other["id"].as_str().unwrap()), &dpo, &json!({})).await, 200)
            .await;
    assert_eq!(rejected["active"], false);
    json(app.get("/api/v1/me", &app.token("other.hub").await).await, 401).await;
    let partner = json!({"username": "pc.new", "display_name": "New officer (test)", "organisation": "dorset-police",
        "team_id": null, "role": "partner_practitioner", "password": null});
    let partner = json(app.post("/api/v1/users", &admin, &partner).await, 201).await;
    assert_eq!(partner["active"], true);
    json(app.get(&format!("/api/v1/people/{}", child.id), &app.token("pc.new").await).await, 403).await;
});

// Item 8: team managers see the domestic abuse notifications about their teams' children, and
// practitioners the partners' requests about people they work with (the hub sees all).
both_backends!(notifications_and_requests_reach_only_those_working_with_the_child, |app: TestApp| async move {
    let police = app.token("police.demo").await;
    let hub = app.token("mash.demo").await;
    let tm = app.token("tm.demo").await;
    let sw = app.token("sw.demo").await;
    let (known, _) = app.allocated_child("tm.demo").await;
    let notify = |children: Value| {
        json!({"police_reference": "DP/2026/5150", "incident_at": format!("{}T20:00:00", days(-1)),
            "account": "Officers attended an argument.", "location": "5 Heron Way, Poole",
            "summary_for_school": "Officers were called to the home.", "children": children})
    };
    let stranger = json!({"given_name": "Nell", "family_name": "Unknown", "date_of_birth": "2014-01-01"});
    let both = json(
        app.post(
            "/api/v1/da-notifications",
            &police,
            &notify(json!([{"given_name": known.given_name, "family_name": known.family_name}, stranger])),
        )
        .await,
        201,
    )
    .await;
    let other = json(app.post("/api/v1/da-notifications", &police, &notify(json!([stranger]))).await, 201).await;
    let school = org(&app, "harbourside-academy").await;
    let new_nell = json!({"new_person": {"given_name": "Nell", "family_name": "Unknown", "date_of_birth": "2014-01-01", "gender": "female"}, "school_id": school});
    let triage = json!({"children": [{"person_id": known.id, "school_id": school}, new_nell]});
    json(
        app.post(&format!("/api/v1/da-notifications/{}/triage", both["id"].as_str().unwrap()), &hub, &triage).await,
        200,
    )
    .await;
    json(
        app.post(
            &format!("/api/v1/da-notifications/{}/triage", other["id"].as_str().unwrap()),
            &hub,
            &json!({"children": [new_nell]}),
        )
        .await,
        200,
    )
    .await;
    let list = json(app.get("/api/v1/da-notifications", &tm).await, 200).await;
    let ids: Vec<&Value> = list.as_array().unwrap().iter().map(|n| &n["id"]).collect();
    assert!(ids.contains(&&both["id"]) && !ids.contains(&&other["id"]), "{list}");
    let shown =
        json(app.get(&format!("/api/v1/da-notifications/{}", both["id"].as_str().unwrap()), &tm).await, 200).await;
    assert_eq!(shown["children"].as_array().unwrap().len(), 1, "only the child the team works with: {shown}");
    assert!(!shown.to_string().contains("Nell"));
    json(app.get(&format!("/api/v1/da-notifications/{}", other["id"].as_str().unwrap()), &tm).await, 404).await;
    let all = json(app.get("/api/v1/da-notifications", &hub).await, 200).await;
    assert!(all.as_array().unwrap().len() >= 2);

    let ask = |given: &str, family: &str, dob: Option<jiff::civil::Date>| {
        json!({"notice": "cse-sharing", "purpose": "prevent-disrupt-detect", "ground": "detect-prevent-crime",
            "about": {"given_name": given, "family_name": family, "date_of_birth": dob},
            "detail": "We ask for any reports of missing episodes."})
    };
    let (mine, _) = app.allocated_child("sw.demo").await;
    let about_mine = json(
        app.post(
            "/api/v1/information-requests",
            &police,
            &ask(&mine.given_name, &mine.family_name, mine.date_of_birth),
        )
        .await,
        201,
    )
    .await;
    let about_other =
        json(app.post("/api/v1/information-requests", &police, &ask("Orla", "Nobodysknown", None)).await, 201).await;
    let listed = json(app.get("/api/v1/information-requests", &sw).await, 200).await;
    let ids: Vec<&Value> = listed.as_array().unwrap().iter().map(|r| &r["id"]).collect();
    assert!(ids.contains(&&about_mine["id"]) && !ids.contains(&&about_other["id"]), "{listed}");
    json(app.get(&format!("/api/v1/information-requests/{}", about_other["id"].as_str().unwrap()), &sw).await, 404)
        .await;
    let hub_list = json(app.get("/api/v1/information-requests", &hub).await, 200).await;
    assert!(hub_list.as_array().unwrap().iter().any(|r| r["id"] == about_other["id"]));
    let events = app.store.audit_for_person(mine.id).await.unwrap();
    assert!(events.iter().any(|e| e.action == "request.listed"), "the request shown is logged against the child");
});
