//! Issue 12: who may do what, as a table. Every role (and a practitioner of another team) ×
//! every API endpoint, against a child of the first practitioner's team and a child of
//! another team, a decision about one of them and a decision about both, a disclosure to
//! the school and none to the police. Each row says who is let in; everyone else is refused
//! (403, or 404 where the endpoint does not admit the thing exists). For reads that filter,
//! the rows say what each reader must never see. Runs on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;
mod pages;

use common::{days, json, org, rationale, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

/// The people asking: each demo role, and a practitioner of another team.
const WHO: &[(&str, &str)] = &[
    ("sw", "sw.demo"),
    ("sw2", "ai2.matrix"),
    ("tm", "tm.demo"),
    ("hub", "mash.demo"),
    ("dpo", "dpo.demo"),
    ("cg", "cg.demo"),
    ("records", "records.demo"),
    ("police", "police.demo"),
    ("school", "school.demo"),
    ("panel", "panel.demo"),
    ("auditor", "auditor.demo"),
    ("admin", "admin.demo"),
];

/// The other team's practitioner's password, to sign in through the form.
const MATRIX_PASSWORD: &str = "matrix-other-team-password";

const ALL: &[&str] =
    &["sw", "sw2", "tm", "hub", "dpo", "cg", "records", "police", "school", "panel", "auditor", "admin"];
const STAFF_READING_A: &[&str] = &["sw", "tm", "hub", "dpo", "cg", "records"];
const WRITING_A: &[&str] = &["sw", "tm", "hub"];

struct Row {
    method: Method,
    path: String,
    body: Option<Value>,
    allowed: Vec<&'static str>,
    /// Those who may look for such things but not this one: the endpoint does not admit it
    /// exists (404). Everyone else is refused (403).
    hidden: Vec<&'static str>,
}

fn row(method: Method, path: String, body: Option<Value>, allowed: &[&'static str]) -> Row {
    Row { method, path, body, allowed: allowed.to_vec(), hidden: Vec::new() }
}

fn get(path: String, allowed: &[&'static str]) -> Row {
    row(Method::GET, path, None, allowed)
}

/// A child with an open child-in-need episode of `team` and one entry; (person, episode, entry) ids.
async fn child(app: &TestApp, team: &str, given: &str) -> (String, String, String) {
    let hub = app.token("mash.demo").await;
    let p = json!({"given_name": given, "family_name": "Matrix", "date_of_birth": "2015-06-07", "gender": "male"});
    let p = json(app.post("/api/v1/people", &hub, &p).await, 201).await;
    let id = p["id"].as_str().unwrap().to_string();
    let ep = json!({"record_class": "child_in_need", "opened_on": days(-60), "team_id": app.team_id(team).await});
    let ep = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &ep).await, 201).await;
    let ep = ep["id"].as_str().unwrap().to_string();
    let staff = app.user("mash.demo").await.id.to_string();
    let e = json!({"kind": "note", "occurred_at": format!("{}T11:00:00", days(-3)), "subject": format!("{given}'s matrix note"),
        "detail": "Seen at school.", "source": {"kind": "staff", "user_id": staff}, "categories": ["family"]});
    let e = json(app.post(&format!("/api/v1/episodes/{ep}/entries"), &hub, &e).await, 201).await;
    (id, ep, e["id"].as_str().unwrap().to_string())
}

both_backends!(who_may_do_what_for_every_role_and_endpoint, |app: TestApp| async move {
    let ai2 = app.team_id("Assessment and Intervention 2").await;
    app.account(
        &json!({"username": "ai2.matrix", "display_name": "Other team (matrix)", "organisation": "bcp-childrens",
        "team_id": ai2, "role": "practitioner", "password": MATRIX_PASSWORD}),
    )
    .await;
    let mut tokens = std::collections::HashMap::new();
    for (who, username) in WHO {
        tokens.insert(*who, app.token(username).await);
    }
    let hub = &tokens["hub"];
    let (a, ep_a, e_a) = child(&app, "Assessment and Intervention 1", "Arlo").await;
    let (b, _, e_b) = child(&app, "Assessment and Intervention 2", "Bram").await;
    let school = org(&app, "harbourside-academy").await;
    let decision = |people: &[&str], entries: &[&str]| {
        json!({"notice": "bcp-childrens-services", "people": people, "recipients": [school], "purpose": "protecting-children",
            "basis": "6(1)(e)", "statute": "children-acts-1989-2004",
            "entries": entries.iter().map(|e| json!({"entry_id": e, "fields": ["subject"]})).collect::<Vec<_>>(),
            "consent": {"state": "not_sought", "reason": "Asking would put the child at risk."}, "without_consent_ground": "child-harm",
            "family": {"position": "told", "who": "mother", "when": days(0), "how": "phone"}, "rationale": rationale(), "urgency": "routine"})
    };
    let one = json(app.post("/api/v1/sharing-decisions", hub, &decision(&[&a], &[&e_a])).await, 201).await;
    let both = json(app.post("/api/v1/sharing-decisions", hub, &decision(&[&a, &b], &[&e_a, &e_b])).await, 201).await;
    let (one, both) = (one["id"].as_str().unwrap().to_string(), both["id"].as_str().unwrap().to_string());
    let inbox = json(app.get("/api/v1/received", &tokens["school"]).await, 200).await;
    let disclosure = inbox[0]["disclosure_id"].as_str().unwrap().to_string();
    let police = &tokens["police"];
    let n = json!({"police_reference": "DP/M/1", "incident_at": format!("{}T21:00:00", days(-1)), "account": "Argument.",
        "location": "1 Matrix Way", "summary_for_school": "Officers called to the home.",
        "children": [{"given_name": "Arlo", "family_name": "Matrix"}]});
    let n = json(app.post("/api/v1/da-notifications", police, &n).await, 201).await;
    let n = n["id"].as_str().unwrap().to_string();
    let triage = json!({"children": [{"person_id": a, "school_id": school}]});
    json(app.post(&format!("/api/v1/da-notifications/{n}/triage"), hub, &triage).await, 200).await;
    let r = json!({"notice": "cse-sharing", "purpose": "prevent-disrupt-detect", "ground": "detect-prevent-crime",
        "about": {"given_name": "Arlo", "family_name": "Matrix", "date_of_birth": "2015-06-07"}, "detail": "Any reports?"});
    let r = json(app.post("/api/v1/information-requests", police, &r).await, 201).await;
    let r = r["id"].as_str().unwrap().to_string();
    let pending = json(
        app.post(
            "/api/v1/users",
            &tokens["admin"],
            &json!({"username": "pending.matrix", "display_name": "Pending",
            "organisation": "bcp-childrens", "team_id": null, "role": "hub", "password": null}),
        )
        .await,
        201,
    )
    .await;
    let pending = pending["id"].as_str().unwrap().to_string();
    let police_org = org(&app, "dorset-police").await;
    let future = "2099-01-01";
    let sar = json!({"right": "access", "person_id": a, "subject_name": "Arlo Matrix", "requester": "parent",
        "requester_name": "A Parent", "channel": "letter", "received_on": days(-3), "detail": "Arlo's records"});
    let sar = json(app.post("/api/v1/rights-requests", &tokens["dpo"], &sar).await, 201).await;
    let sar = sar["id"].as_str().unwrap().to_string();

    let mut rows = vec![
        get("/api/v1/me".into(), ALL),
        get("/api/v1/openapi.json".into(), ALL),
        get("/api/v1/people?name=matrix".into(), ALL),
        row(
            Method::POST,
            "/api/v1/people".into(),
            Some(json!({"given_name": " ", "family_name": "X", "gender": "male"})),
            &["sw", "sw2", "tm", "hub"],
        ),
        get(format!("/api/v1/people/{a}"), STAFF_READING_A),
        get(format!("/api/v1/people/{b}"), &["sw2", "hub", "dpo", "cg", "records"]),
        get(format!("/api/v1/people/{a}/relationships"), STAFF_READING_A),
        get(format!("/api/v1/people/{a}/episodes"), STAFF_READING_A),
        get(format!("/api/v1/people/{a}/entries"), STAFF_READING_A),
        get(format!("/api/v1/people/{b}/entries"), &["sw2", "hub", "dpo", "cg", "records"]),
        row(
            Method::POST,
            format!("/api/v1/people/{a}/episodes"),
            Some(json!({"record_class": "child_in_need", "opened_on": future, "team_id": ai2})),
            WRITING_A,
        ),
        get(format!("/api/v1/episodes/{ep_a}"), STAFF_READING_A),
        get(format!("/api/v1/episodes/{ep_a}/entries"), STAFF_READING_A),
        row(
            Method::POST,
            format!("/api/v1/episodes/{ep_a}/entries"),
            Some(json!({"kind": "note", "occurred_at": "2099-01-01T10:00:00", "subject": "s", "detail": "d",
                "source": {"kind": "staff", "user_id": app.user("sw.demo").await.id}, "categories": []})),
            WRITING_A,
        ),
        row(Method::POST, format!("/api/v1/episodes/{ep_a}/close"), Some(json!({"closed_on": future})), WRITING_A),
        row(Method::POST, format!("/api/v1/entries/{e_a}/categories"), Some(json!({"categories": []})), WRITING_A),
        get("/api/v1/organisations".into(), ALL),
        get("/api/v1/teams".into(), ALL),
        row(
            Method::POST,
            "/api/v1/organisations".into(),
            Some(json!({"slug": "Not A Slug", "name": "x", "kind": "school", "controller_role": "controller"})),
            &["admin"],
        ),
        row(
            Method::PUT,
            format!("/api/v1/organisations/{police_org}"),
            Some(json!({"slug": "Not A Slug", "name": "x", "kind": "police_force", "controller_role": "controller"})),
            &["admin"],
        ),
        get("/api/v1/users".into(), &["admin", "dpo"]),
        row(
            Method::POST,
            "/api/v1/users".into(),
            Some(
                json!({"username": "X!", "display_name": "x", "organisation": "bcp-childrens", "team_id": null, "role": "hub", "password": null}),
            ),
            &["admin"],
        ),
        row(Method::POST, format!("/api/v1/users/{pending}/reject"), Some(json!({})), &["dpo"]),
        get("/api/v1/audit".into(), &["dpo", "auditor"]),
        get("/api/v1/rights-requests".into(), &["dpo"]),
        get("/api/v1/rights-dashboard".into(), &["dpo"]),
        row(
            Method::POST,
            "/api/v1/rights-requests".into(),
            Some(json!({"right": "access", "person_id": null, "subject_name": " ", "requester": "subject",
                "requester_name": "x", "channel": "letter", "received_on": days(-1), "detail": "x"})),
            &["dpo"],
        ),
        get(format!("/api/v1/rights-requests/{sar}"), &["dpo"]),
        row(
            Method::POST,
            format!("/api/v1/rights-requests/{sar}/status"),
            Some(json!({"status": "released"})),
            &["dpo"],
        ),
        row(Method::POST, format!("/api/v1/rights-requests/{sar}/extend"), Some(json!({"reason": " "})), &["dpo"]),
        get("/api/v1/ledger/sth".into(), ALL),
        get("/api/v1/ledger/entries/0".into(), &["dpo", "auditor"]),
        get(format!("/api/v1/people/{a}/access-log"), &["dpo", "auditor"]),
        get("/api/v1/agreements".into(), ALL),
        row(Method::POST, "/api/v1/sharing-decisions".into(), Some(decision(&[&a], &[&e_a])), WRITING_A),
        get(format!("/api/v1/sharing-decisions/{one}"), &["sw", "tm", "hub", "dpo", "cg", "records", "auditor"]),
        get(
            format!("/api/v1/sharing-decisions/{both}"),
            &["sw", "sw2", "tm", "hub", "dpo", "cg", "records", "auditor"],
        ),
        row(Method::POST, format!("/api/v1/sharing-decisions/{one}/guardian"), Some(json!({"approve": true})), &["cg"]),
        row(
            Method::POST,
            format!("/api/v1/sharing-decisions/{both}/family"),
            Some(json!({"position": "told", "who": "mother", "when": future, "how": "phone"})),
            &["hub"],
        ),
        row(
            Method::POST,
            format!("/api/v1/sharing-decisions/{one}/family"),
            Some(json!({"position": "told", "who": "mother", "when": future, "how": "phone"})),
            WRITING_A,
        ),
        get("/api/v1/guardian-queue".into(), &["cg"]),
        get("/api/v1/notifications-due".into(), ALL),
        get("/api/v1/received".into(), ALL),
        get(format!("/api/v1/received/{disclosure}"), &["school"]),
        get(format!("/api/v1/people/{a}/disclosures"), &["sw", "tm", "hub", "dpo", "cg", "records", "auditor"]),
        get("/api/v1/da-notifications".into(), &["tm", "hub", "dpo", "police"]),
        get(format!("/api/v1/da-notifications/{n}"), &["tm", "hub", "dpo", "police"]),
        row(
            Method::POST,
            "/api/v1/da-notifications".into(),
            Some(
                json!({"police_reference": "x", "incident_at": "2026-01-01T00:00:00", "account": "a", "children": []}),
            ),
            &["police"],
        ),
        row(Method::POST, format!("/api/v1/da-notifications/{n}/triage"), Some(json!({"children": []})), &["hub"]),
        get("/api/v1/information-requests".into(), &["sw", "sw2", "tm", "hub", "police", "school"]),
        Row {
            hidden: vec!["sw2", "school"],
            ..get(format!("/api/v1/information-requests/{r}"), &["sw", "tm", "hub", "police"])
        },
        row(
            Method::POST,
            "/api/v1/information-requests".into(),
            Some(json!({"notice": "cse-sharing", "purpose": "prevent-disrupt-detect",
                "about": {"given_name": " ", "family_name": "Y"}, "detail": "d"})),
            &["police", "school"],
        ),
        get("/api/v1/school-holidays".into(), ALL),
        row(
            Method::POST,
            "/api/v1/school-holidays".into(),
            Some(json!({"name": " ", "starts_on": "2027-01-02", "ends_on": "2027-01-01"})),
            &["admin"],
        ),
        get(format!("/api/v1/people/{a}/retention"), STAFF_READING_A),
        get("/api/v1/legal-holds".into(), &["records"]),
        get("/api/v1/retention/queue".into(), &["records"]),
        get("/api/v1/retention/destructions".into(), &["records"]),
        get(format!("/api/v1/people/{a}/consents"), STAFF_READING_A),
        row(
            Method::POST,
            format!("/api/v1/people/{a}/consents"),
            Some(json!({"service": "x", "given_by": "mother", "given_on": future})),
            WRITING_A,
        ),
        row(Method::POST, format!("/api/v1/people/{a}/death"), Some(json!({"date_of_death": future})), WRITING_A),
        get("/api/v1/data-quality/nhs-numbers".into(), ALL),
        // Opening a record in an emergency: practitioners and team managers of the council, of
        // a record they cannot already see (sw and tm can: 409). The reason is blank (422).
        row(
            Method::POST,
            format!("/api/v1/people/{a}/emergency-access"),
            Some(json!({"reason": " "})),
            &["sw", "sw2", "tm"],
        ),
        get("/api/v1/emergency-access".into(), ALL),
        row(
            Method::POST,
            "/api/v1/emergency-access/00000000-0000-4000-8000-000000000000/review".into(),
            Some(json!({"justified": false})),
            &["dpo"],
        ),
    ];
    // Reads that filter: what each reader must never see in a 200.
    let never: Vec<(&str, String, Vec<&str>)> = vec![
        ("/api/v1/people?name=matrix", b.clone(), vec!["sw", "tm"]),
        ("/api/v1/people?name=matrix", a.clone(), vec!["sw2", "police", "school", "panel", "auditor", "admin"]),
        ("/api/v1/notifications-due", "Arlo".into(), ALL.to_vec()),
        ("/api/v1/received", disclosure.clone(), ALL.iter().copied().filter(|w| *w != "school").collect()),
        ("/api/v1/data-quality/nhs-numbers", "Matrix".into(), ALL.to_vec()),
    ];
    let decision_never: Vec<(String, String, Vec<&str>)> = vec![
        (format!("/api/v1/sharing-decisions/{both}"), b.clone(), vec!["sw", "tm"]),
        (format!("/api/v1/sharing-decisions/{both}"), e_b.clone(), vec!["sw", "tm"]),
        (format!("/api/v1/sharing-decisions/{both}"), a.clone(), vec!["sw2"]),
        (format!("/api/v1/sharing-decisions/{one}"), "Arlo's matrix note".into(), vec!["auditor"]),
        (format!("/api/v1/people/{a}/disclosures"), "Bram's matrix note".into(), STAFF_READING_A.to_vec()),
        (format!("/api/v1/people/{a}/disclosures"), "Arlo's matrix note".into(), vec!["auditor"]),
    ];

    let mut failures = Vec::new();
    let mut checked = 0;
    for r in rows.drain(..) {
        for (who, _) in WHO {
            let mut req = app.request(r.method.clone(), &r.path, &tokens[who]);
            if let Some(body) = &r.body {
                req = req.json(body);
            }
            let status = req.send().await.unwrap().status().as_u16();
            checked += 1;
            let allowed = r.allowed.contains(who);
            let denied = if r.hidden.contains(who) { 404 } else { 403 };
            let ok = if allowed { ![401, 403, 404].contains(&status) } else { status == denied };
            if !ok {
                let expected = if allowed { "let in".to_string() } else { denied.to_string() };
                failures.push(format!("{} {} as {who}: {status}, expected {expected}", r.method, r.path));
            }
        }
    }
    let read = |path: String, needle: String, readers: Vec<&'static str>| {
        let tokens = &tokens;
        let app = &app;
        async move {
            let mut out = Vec::new();
            for who in readers {
                let resp = app.get(&path, &tokens[who]).await;
                if resp.status() == 200 && resp.text().await.unwrap().contains(&needle) {
                    out.push(format!("GET {path} as {who} shows {needle:?}"));
                }
            }
            out
        }
    };
    for (path, needle, readers) in never {
        failures.extend(read(path.to_string(), needle, readers).await);
        checked += 1;
    }
    for (path, needle, readers) in decision_never {
        failures.extend(read(path, needle, readers).await);
        checked += 1;
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 600, "the matrix is {checked} checks");
    println!("authorization matrix: {checked} checks");

    // The same people through the pages, signed in with the form (a page's refusal is a page
    // saying so, with the same 403 or 404). Forms post with the session's CSRF token, so a
    // refusal here is the use case's, not the token's.
    let mut web = std::collections::HashMap::new();
    for (who, username) in WHO {
        let password = if *who == "sw2" { MATRIX_PASSWORD } else { "demo" };
        web.insert(*who, pages::sign_in_with(&app, username, password).await);
    }
    let page_rows = vec![
        get("/".into(), ALL),
        get(format!("/people/{a}"), STAFF_READING_A),
        get(format!("/people/{b}"), &["sw2", "hub", "dpo", "cg", "records"]),
        get(format!("/people/{a}/share"), WRITING_A),
        get(format!("/people/{a}/access-log"), &["dpo", "auditor"]),
        get(format!("/episodes/{ep_a}/entries/new"), WRITING_A),
        get(format!("/sharing-decisions/{one}"), &["sw", "tm", "hub", "dpo", "cg", "records", "auditor"]),
        get("/guardian".into(), &["cg"]),
        get("/received".into(), ALL),
        get(format!("/received/{disclosure}"), &["school"]),
        get("/notifications-due".into(), ALL),
        // The hub's dashboard and triage; the police have their own list and confirmation.
        get("/da-notifications".into(), &["tm", "hub", "dpo"]),
        get("/da-notifications/new".into(), &["police"]),
        get("/da-notifications/sent".into(), &["police"]),
        get(format!("/da-notifications/{n}"), &["tm", "hub", "dpo"]),
        get(format!("/da-notifications/{n}/sent"), &["police"]),
        get("/retention".into(), &["records"]),
        get(format!("/retention/{a}/confirm"), &["records"]),
        get("/retention/destroyed?count=1".into(), &["records"]),
        get("/users".into(), &["admin", "dpo"]),
        get("/users/new".into(), &["admin"]),
        get("/organisations".into(), ALL),
        get("/organisations/new".into(), &["admin"]),
        get(format!("/organisations/{police_org}"), &["admin"]),
        get("/agreements".into(), ALL),
        get("/agreements/new".into(), &["dpo"]),
        get("/rights".into(), &["dpo"]),
        get(format!("/rights/{sar}"), &["dpo"]),
        // The public's form for asking for a copy: anyone, signed in or not.
        get("/subject-access".into(), ALL),
        get("/data-quality/nhs-numbers".into(), ALL),
        get("/emergency-access".into(), ALL),
        get(format!("/people/{a}/emergency-access"), &["sw2"]),
        get("/audit".into(), &["dpo", "auditor"]),
        // Forms that change nothing for anyone let in: the decision is not awaiting the
        // Guardian (409); the day the family was told is in the future (422).
        row(Method::POST, format!("/sharing-decisions/{one}/guardian"), None, &["cg"]),
        row(Method::POST, format!("/notifications-due/{one}/told"), None, WRITING_A),
    ];
    let form_fields: &[(&str, &str)] =
        &[("approve", "yes"), ("reason", "Matrix."), ("who", "mother"), ("when", future), ("how", "phone")];
    let mut page_checks = 0;
    for r in page_rows {
        for (who, _) in WHO {
            let w = &web[who];
            let status = if r.method == Method::GET {
                w.get(&app, &r.path).await.0
            } else {
                w.post(&app, &r.path, form_fields).await.0
            };
            page_checks += 1;
            let allowed = r.allowed.contains(who);
            let ok =
                if allowed { ![401, 403, 404].contains(&status) && status < 500 } else { [403, 404].contains(&status) };
            if !ok {
                let expected = if allowed { "let in" } else { "403 or 404" };
                failures.push(format!("page {} {} as {who}: {status}, expected {expected}", r.method, r.path));
            }
        }
    }
    // Nothing the refused posts could have changed has changed.
    let d = json(app.get(&format!("/api/v1/sharing-decisions/{one}"), hub).await, 200).await;
    assert_eq!(d["family"]["position"], "told", "{d}");
    assert_eq!(d["family"]["when"], days(0), "the family's told date is as the hub recorded it: {d}");
    assert!(failures.is_empty(), "{} of {page_checks} page checks failed:\n{}", failures.len(), failures.join("\n"));
    println!("pages: {page_checks} checks");
});
