//! The JSON API, told as the stories of the people who use it. Every test runs twice: on a
//! fresh SQLite file and on a fresh PostgreSQL database.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use common::{json, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

const AI1: &str = "Assessment and Intervention 1";
const AI2: &str = "Assessment and Intervention 2";

fn days_ago(n: i64) -> String {
    (harbour_app::Now::read().today() - jiff::Span::new().days(n)).to_string()
}

fn child(given: &str, nhs: &str) -> Value {
    json!({
        "given_name": given, "family_name": "Testcase", "date_of_birth": "2016-04-12", "gender": "female",
        "address": { "lines": ["1 Quay Road"], "postcode": "bh15 1aa" }, "nhs_number": nhs
    })
}

/// The hub records a child and opens a child-in-need episode allocated to `team`.
async fn child_allocated_to(app: &TestApp, team: &str, given: &str) -> (String, String) {
    let hub = app.token("mash.demo").await;
    let created = app.post("/api/v1/people", &hub, &child(given, "")).await;
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let person = json(created, 201).await;
    let id = person["id"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/api/v1/people/{id}"), "a creation says where the record is read");
    let body =
        json!({ "record_class": "child_in_need", "opened_on": days_ago(30), "team_id": app.team_id(team).await });
    let created = app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &body).await;
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let episode = json(created, 201).await;
    let episode_id = episode["id"].as_str().unwrap().to_string();
    assert_eq!(location, format!("/api/v1/episodes/{episode_id}"));
    (id, episode_id)
}

fn entry_body(app_source_user: &str) -> Value {
    json!({
        "kind": "meeting", "occurred_at": format!("{}T10:30:00", days_ago(1)), "location": "Family home",
        "subject": "Home visit", "detail": "Saw both children; the kitchen had food in it.",
        "source": { "kind": "staff", "user_id": app_source_user },
        "categories": ["family", "physical_or_mental_health"]
    })
}

both_backends!(only_health_and_sign_in_are_open_without_authentication, |app: TestApp| async move {
    let ok = app.client.get(format!("{}/healthz", app.base)).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let css = app.client.get(format!("{}/static/harbour.css", app.base)).send().await.unwrap();
    assert_eq!(css.status(), 200);
    for path in ["/api/v1/people?name=a", "/api/v1/openapi.json", "/api/v1/organisations", "/api/v1/nowhere"] {
        let resp = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
        let problem = json(resp, 401).await;
        assert_eq!(problem["status"], 401, "{path}");
    }
    let page = app.client.get(format!("{}/people", app.base)).send().await.unwrap();
    assert_eq!(page.status(), 401);
    assert!(page.text().await.unwrap().contains("Sign in"));
    let bad_token = app.get("/api/v1/me", "hbr_not-a-real-token").await;
    json(bad_token, 401).await;
});

both_backends!(the_openapi_document_describes_the_api, |app: TestApp| async move {
    let token = app.token("sw.demo").await;
    let doc = json(app.get("/api/v1/openapi.json", &token).await, 200).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/people",
        "/api/v1/people/{id}",
        "/api/v1/episodes/{id}/entries",
        "/api/v1/organisations",
        "/api/v1/users",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing from the OpenAPI document");
    }
    assert!(doc["components"]["schemas"].get("Problem").is_some());

    // Every error is declared as the problem body it is, and each operation declares the errors
    // its shape can give (so schemathesis's conformance checks hold the server to them).
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            for (code, response) in responses {
                if code.starts_with('4') || code.starts_with('5') {
                    let types: Vec<&String> = response["content"].as_object().unwrap().keys().collect();
                    assert_eq!(types, ["application/problem+json"], "{method} {path} {code}");
                }
            }
            for code in ["401", "403", "503"] {
                assert!(responses.contains_key(code), "{method} {path} does not declare {code}");
            }
            if op.get("requestBody").is_some() {
                for code in ["400", "413", "415", "422"] {
                    assert!(responses.contains_key(code), "{method} {path} takes a body but does not declare {code}");
                }
            }
            if path.contains('{') {
                assert!(responses.contains_key("404"), "{method} {path} names a resource but does not declare 404");
            }
            assert!(responses["503"]["headers"].get("Retry-After").is_some(), "{method} {path}");
        }
    }
    assert!(operations > 50, "{operations}");
    // The retention queue's page is read from the query string, as the server reads it.
    let queue = &doc["paths"]["/api/v1/retention/queue"]["get"]["parameters"];
    for p in queue.as_array().unwrap() {
        assert_eq!(p["in"], "query", "{p}");
    }
    // Bodies are closed objects with the length limits the domain enforces.
    let schemas = &doc["components"]["schemas"];
    for (schema, field, max) in
        [("NewEntry", "subject", 200), ("NewEntry", "detail", 20_000), ("NewPerson", "given_name", 100)]
    {
        assert_eq!(schemas[schema]["additionalProperties"], false, "{schema}");
        assert_eq!(schemas[schema]["properties"][field]["maxLength"], max, "{schema}.{field}");
    }
    assert_eq!(schemas["Rationale"]["additionalProperties"], false);
    for created in [
        "/api/v1/people",
        "/api/v1/people/{id}/episodes",
        "/api/v1/agreements",
        "/api/v1/sharing-decisions",
        "/api/v1/da-notifications",
        "/api/v1/information-requests",
    ] {
        let headers = &doc["paths"][created]["post"]["responses"]["201"]["headers"];
        assert!(headers.get("Location").is_some(), "{created} does not declare Location");
    }
    assert_eq!(schemas["BulkApproval"]["properties"]["person_ids"]["uniqueItems"], true);
});

both_backends!(a_practitioner_reads_and_writes_only_people_allocated_to_their_team, |app: TestApp| async move {
    let (mine, my_episode) = child_allocated_to(&app, AI1, "Mina").await;
    let (theirs, their_episode) = child_allocated_to(&app, AI2, "Theo").await;
    let sw = app.token("sw.demo").await;
    let record = json(app.get(&format!("/api/v1/people/{mine}"), &sw).await, 200).await;
    assert_eq!(record["person"]["given_name"], "Mina");
    let access = record["access"].as_str().unwrap();
    assert!(access.starts_with("allowed: BCP Children's Services notice — Who can see your records"), "{access}");
    let refused = json(app.get(&format!("/api/v1/people/{theirs}"), &sw).await, 403).await;
    assert!(refused["detail"].as_str().unwrap().contains("no notice clause lets a practitioner read"), "{refused}");
    let user = app.user("sw.demo").await;
    json(
        app.post(&format!("/api/v1/episodes/{my_episode}/entries"), &sw, &entry_body(&user.id.to_string())).await,
        201,
    )
    .await;
    json(
        app.post(&format!("/api/v1/episodes/{their_episode}/entries"), &sw, &entry_body(&user.id.to_string())).await,
        403,
    )
    .await;
    // Search lists only the records the practitioner may see.
    let found = json(app.get("/api/v1/people?name=testcase", &sw).await, 200).await;
    let names: Vec<&str> = found.as_array().unwrap().iter().map(|p| p["given_name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Mina"]);
});

both_backends!(partner_users_see_nothing_until_something_is_disclosed_to_them, |app: TestApp| async move {
    let (id, episode) = child_allocated_to(&app, AI1, "Pia").await;
    for partner in ["police.demo", "school.demo", "panel.demo"] {
        let token = app.token(partner).await;
        json(app.get(&format!("/api/v1/people/{id}"), &token).await, 403).await;
        json(app.get(&format!("/api/v1/episodes/{episode}/entries"), &token).await, 403).await;
        let found = json(app.get("/api/v1/people?name=pia", &token).await, 200).await;
        assert_eq!(found, json!([]), "{partner} must not find anyone");
        json(app.post("/api/v1/people", &token, &child("Zed", "")).await, 403).await;
    }
});

both_backends!(an_administrator_manages_users_but_reads_no_case_records, |app: TestApp| async move {
    let (id, _) = child_allocated_to(&app, AI1, "Ada").await;
    let admin = app.token("admin.demo").await;
    let refused = json(app.get(&format!("/api/v1/people/{id}"), &admin).await, 403).await;
    assert_eq!(refused["policy_ids"], json!(["admin-reads-no-case-records"]));
    let team = app.team_id(AI2).await;
    let body = json!({ "username": "new.worker", "display_name": "New Worker", "organisation": "bcp-childrens",
                       "team_id": team, "role": "practitioner", "password": "correct horse battery" });
    let user = json(app.post("/api/v1/users", &admin, &body).await, 201).await;
    assert_eq!(user["role"], "practitioner");
    assert_eq!((user["active"].clone(), user["awaiting_approval"].clone()), (json!(false), json!(true)), "{user}");
    json(app.post("/api/v1/users", &admin, &body).await, 409).await;
    // The same rules as the command line's: a username of a–z, 0–9, '.', '_', '-'; a password of
    // at least 12 characters. Nothing is written when either is broken.
    let users = app.count("users").await;
    for (field, value, needle) in [
        ("username", json!("New Worker"), "must be 2–50 characters"),
        ("username", json!("x"), "must be 2–50 characters"),
        ("password", json!("too short"), "at least 12 characters"),
    ] {
        let mut bad = body.clone();
        bad["username"] = json!("other.worker");
        bad[field] = value;
        let problem = json(app.post("/api/v1/users", &admin, &bad).await, 422).await;
        assert!(problem["detail"].as_str().unwrap().contains(needle), "{field}: {problem}");
    }
    assert_eq!(app.count("users").await, users);
    let sw = app.token("sw.demo").await;
    let mut other = body.clone();
    other["username"] = json!("sneaky");
    json(app.post("/api/v1/users", &sw, &other).await, 403).await;
    json(app.get("/api/v1/users", &sw).await, 403).await;
});

both_backends!(every_read_and_write_of_case_data_is_audited, |app: TestApp| async move {
    let (id, episode) = child_allocated_to(&app, AI1, "Aud").await;
    let sw = app.token("sw.demo").await;
    let sw_user = app.user("sw.demo").await;
    json(app.get(&format!("/api/v1/people/{id}"), &sw).await, 200).await;
    json(app.get(&format!("/api/v1/episodes/{episode}/entries"), &sw).await, 200).await;
    json(
        app.post(&format!("/api/v1/episodes/{episode}/entries"), &sw, &entry_body(&sw_user.id.to_string())).await,
        201,
    )
    .await;
    let police = app.token("police.demo").await;
    json(app.get(&format!("/api/v1/people/{id}"), &police).await, 403).await;
    let trail = app.store.audit_for_person(id.parse().unwrap()).await.unwrap();
    let by = |actor: &str, action: &str, outcome: &str| {
        trail.iter().any(|e| e.actor_id.as_deref() == Some(actor) && e.action == action && e.outcome == outcome)
    };
    let sw_id = sw_user.id.to_string();
    assert!(by(&sw_id, "person.read", "allowed"));
    assert!(by(&sw_id, "entries.read", "allowed"));
    assert!(by(&sw_id, "entry.create", "allowed"));
    let police_id = app.user("police.demo").await.id.to_string();
    assert!(by(&police_id, "person.read", "denied"));
    let read = trail.iter().find(|e| e.action == "person.read" && e.actor_id.as_deref() == Some(&sw_id)).unwrap();
    assert!(
        read.policy_ids.contains(&"bcp-childrens-services/v3/access/allocated-team".to_string()),
        "{:?}",
        read.policy_ids
    );
    assert_eq!(read.purpose.as_deref(), Some("case work with the child and family"));
    // A purpose the user states is recorded instead of the role's usual one.
    let stated = app
        .request(Method::GET, &format!("/api/v1/people/{id}"), &sw)
        .header("Harbour-Purpose", "preparing the child protection conference report")
        .send()
        .await
        .unwrap();
    json(stated, 200).await;
    let trail = app.store.audit_for_person(id.parse().unwrap()).await.unwrap();
    assert!(trail.iter().any(|e| e.purpose.as_deref() == Some("preparing the child protection conference report")));
    // Auditors read the trail; practitioners do not.
    let auditor = app.token("auditor.demo").await;
    let recent = json(app.get("/api/v1/audit?limit=50", &auditor).await, 200).await;
    assert!(recent.as_array().unwrap().iter().any(|e| e["action"] == "entry.create"));
    json(app.get("/api/v1/audit", &sw).await, 403).await;
});

both_backends!(bad_input_is_refused_with_a_problem_and_writes_nothing, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let before = app.count("persons").await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (child("Bad", "943 476 5918"), 422, "NHS number"),
        (
            json!({"given_name": "A", "family_name": "B", "date_of_birth": "2099-01-01", "gender": "male"}),
            422,
            "future",
        ),
        (json!({"given_name": "A", "family_name": "B", "gender": "male", "shoe_size": 9}), 400, "unknown field"),
        (json!({"given_name": 7, "family_name": "B", "gender": "male"}), 400, "invalid type"),
        (json!({"given_name": "A", "family_name": "B", "gender": "sometimes"}), 400, "unknown variant"),
        (json!({"given_name": " ", "family_name": "B", "gender": "male"}), 422, "must not be empty"),
        (
            json!({"given_name": "A", "family_name": "B", "gender": "male", "address": {"postcode": "QA1 1AA"}}),
            422,
            "postcode",
        ),
    ];
    for (body, status, needle) in cases {
        let problem = json(app.post("/api/v1/people", &hub, &body).await, status).await;
        assert!(problem["detail"].as_str().unwrap().contains(needle), "{needle}: {problem}");
    }
    let malformed = app
        .request(Method::POST, "/api/v1/people", &hub)
        .header("content-type", "application/json")
        .body("{\"given_name\": ")
        .send()
        .await
        .unwrap();
    json(malformed, 400).await;
    let not_json = app.request(Method::POST, "/api/v1/people", &hub).body("given_name=A").send().await.unwrap();
    json(not_json, 415).await;
    let huge = format!("{{\"given_name\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let too_big = app
        .request(Method::POST, "/api/v1/people", &hub)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    json(too_big, 413).await;
    assert_eq!(app.count("persons").await, before, "a refused request must write nothing");
    json(app.get("/api/v1/people/0b0e7d5e-0000-4000-8000-000000000000", &hub).await, 404).await;
    json(app.get("/api/v1/people/not-an-id", &hub).await, 400).await;
    json(app.get("/api/v1/episodes/0b0e7d5e-0000-4000-8000-000000000000/entries", &hub).await, 404).await;
    json(app.get("/api/v1/people?dob=yesterday", &hub).await, 400).await;
    json(app.get("/api/v1/people", &hub).await, 422).await;
    // An API client says exactly what it means: an empty date or a limit out of range is refused.
    json(app.get("/api/v1/people?name=smith&dob=", &hub).await, 400).await;
    for limit in ["0", "-5", "201"] {
        json(app.get(&format!("/api/v1/people?name=smith&limit={limit}"), &hub).await, 400).await;
    }
    json(app.get("/api/v1/people?name=smith&limit=200", &hub).await, 200).await;
    let delete = app.request(Method::DELETE, "/api/v1/people", &hub).send().await.unwrap();
    json(delete, 405).await;
});

both_backends!(episodes_keep_their_dates_and_the_age_rules, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let team = app.team_id(AI1).await;
    let adult = json!({"given_name": "Old", "family_name": "Enough", "date_of_birth": "1990-01-01", "gender": "male"});
    let adult = json(app.post("/api/v1/people", &hub, &adult).await, 201).await;
    let id = adult["id"].as_str().unwrap();
    let before = app.count("episodes").await;
    let past_age = json!({"record_class": "child_in_need", "opened_on": days_ago(3), "team_id": team});
    let problem = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &past_age).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("override reason"));
    let backwards = json!({"record_class": "child_in_need", "opened_on": days_ago(3), "closed_on": days_ago(5), "team_id": team,
                           "eligibility_override": "court-ordered assessment"});
    let problem = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &backwards).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("before it opened"));
    let unknown_team = json!({"record_class": "child_in_need", "opened_on": days_ago(3), "team_id": "0b0e7d5e-0000-4000-8000-000000000000",
                              "eligibility_override": "x"});
    json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &unknown_team).await, 422).await;
    assert_eq!(app.count("episodes").await, before);
    let mut with_reason = past_age.clone();
    with_reason["eligibility_override"] = json!("Parent of a child on a plan; assessment of parenting capacity");
    let ep = json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &with_reason).await, 201).await;
    assert!(ep["eligibility_override"].as_str().unwrap().contains("parenting capacity"));
    let ep_id = ep["id"].as_str().unwrap();
    let problem = json(
        app.post(&format!("/api/v1/episodes/{ep_id}/close"), &hub, &json!({"closed_on": days_ago(10)})).await,
        422,
    )
    .await;
    assert!(problem["detail"].as_str().unwrap().contains("before it opened"));
    let closed =
        json(app.post(&format!("/api/v1/episodes/{ep_id}/close"), &hub, &json!({"closed_on": days_ago(1)})).await, 200)
            .await;
    assert_eq!(closed["closed_on"], json!(days_ago(1)));
    json(app.post(&format!("/api/v1/episodes/{ep_id}/close"), &hub, &json!({"closed_on": days_ago(0)})).await, 422)
        .await;
    // No entries on a closed episode.
    let hub_user = app.user("mash.demo").await.id.to_string();
    json(app.post(&format!("/api/v1/episodes/{ep_id}/entries"), &hub, &entry_body(&hub_user)).await, 409).await;
});

both_backends!(entries_always_name_their_source_and_come_back_as_written, |app: TestApp| async move {
    let (id, episode) = child_allocated_to(&app, AI1, "Eve").await;
    let sw = app.token("sw.demo").await;
    let sw_id = app.user("sw.demo").await.id.to_string();
    let mut body = entry_body(&sw_id);
    body["source"] = json!({"kind": "organisation", "organisation_id": "0b0e7d5e-0000-4000-8000-000000000000"});
    let before = app.count("entries").await;
    json(app.post(&format!("/api/v1/episodes/{episode}/entries"), &sw, &body).await, 422).await;
    let mut no_source = entry_body(&sw_id);
    no_source.as_object_mut().unwrap().remove("source");
    json(app.post(&format!("/api/v1/episodes/{episode}/entries"), &sw, &no_source).await, 400).await;
    let mut future = entry_body(&sw_id);
    future["occurred_at"] = json!("2099-01-01T09:00:00");
    json(app.post(&format!("/api/v1/episodes/{episode}/entries"), &sw, &future).await, 422).await;
    assert_eq!(app.count("entries").await, before);
    let police = app.store.organisation_by_slug("dorset-police").await.unwrap();
    body["source"] = json!({"kind": "organisation", "organisation_id": police.id.to_string()});
    body["categories"] = json!(["criminal_offence", "family", "criminal_offence"]);
    let made = json(app.post(&format!("/api/v1/episodes/{episode}/entries"), &sw, &body).await, 201).await;
    assert_eq!(made["categories"], json!(["family", "criminal_offence"]));
    let listed = json(app.get(&format!("/api/v1/people/{id}/entries"), &sw).await, 200).await;
    assert_eq!(listed[0]["detail"], body["detail"]);
    assert_eq!(listed[0]["source"]["organisation_id"], json!(police.id.to_string()));
});

both_backends!(a_link_between_people_needs_access_to_both, |app: TestApp| async move {
    let (mine, _) = child_allocated_to(&app, AI1, "Lia").await;
    let (theirs, _) = child_allocated_to(&app, AI2, "Lou").await;
    let sw = app.token("sw.demo").await;
    let rel = json!({"to": theirs, "relationship": {"kind": "sibling"}});
    json(app.post(&format!("/api/v1/people/{mine}/relationships"), &sw, &rel).await, 403).await;
    // Still no way in to the other child's record.
    json(app.get(&format!("/api/v1/people/{theirs}"), &sw).await, 403).await;
    // A parent the practitioner records is theirs to link.
    let parent = json!({"given_name": "Pat", "family_name": "Testcase", "gender": "not_stated"});
    let parent = json(app.post("/api/v1/people", &sw, &parent).await, 201).await;
    let pid = parent["id"].as_str().unwrap();
    let link = json!({"to": mine, "relationship": {"kind": "parent_carer", "parental_responsibility": true}});
    json(app.post(&format!("/api/v1/people/{pid}/relationships"), &sw, &link).await, 201).await;
    json(app.post(&format!("/api/v1/people/{pid}/relationships"), &sw, &link).await, 409).await;
    let record = json(app.get(&format!("/api/v1/people/{mine}"), &sw).await, 200).await;
    assert_eq!(record["relationships"][0]["description"], "parent/carer (with parental responsibility)");
    assert_eq!(record["relationships"][0]["other"]["name"], "Pat Testcase");
    let self_link = json!({"to": pid, "relationship": {"kind": "sibling"}});
    json(app.post(&format!("/api/v1/people/{pid}/relationships"), &sw, &self_link).await, 422).await;
    // The hub can link across teams.
    let hub = app.token("mash.demo").await;
    json(app.post(&format!("/api/v1/people/{mine}/relationships"), &app.token("mash.demo").await, &rel).await, 201)
        .await;
    let _ = hub;
});

both_backends!(people_are_found_by_name_date_of_birth_or_identifier, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let made = json(app.post("/api/v1/people", &hub, &child("Searchable", "401 023 2137")).await, 201).await;
    let id = made["id"].as_str().unwrap();
    for q in [
        "name=searchable",
        "name=SEARCH%20testcase",
        "dob=2016-04-12&name=searchable",
        "identifier=4010232137",
        "identifier=401%20023%202137",
    ] {
        let found = json(app.get(&format!("/api/v1/people?{q}"), &hub).await, 200).await;
        assert!(found.as_array().unwrap().iter().any(|p| p["id"] == id), "{q}");
    }
    let none = json(app.get("/api/v1/people?name=searchable&dob=2016-04-13", &hub).await, 200).await;
    assert_eq!(none, json!([]));
    let wildcard = json(app.get("/api/v1/people?name=%25", &hub).await, 200).await;
    assert_eq!(wildcard, json!([]), "LIKE wildcards in a name are taken literally");
});

both_backends!(identifiers_and_entry_text_are_sealed_at_rest, |app: TestApp| async move {
    let (_, episode) = child_allocated_to(&app, AI1, "Sealed").await;
    let hub = app.token("mash.demo").await;
    json(app.post("/api/v1/people", &hub, &child("Nina", "401 023 2137")).await, 201).await;
    let sw = app.token("sw.demo").await;
    let mut body = entry_body(&app.user("sw.demo").await.id.to_string());
    body["detail"] = json!("Disclosed a very particular phrase zqxjv-marker");
    json(app.post(&format!("/api/v1/episodes/{episode}/entries"), &sw, &body).await, 201).await;
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url).await.unwrap();
    for (table, column) in [("persons", "sealed"), ("entries", "sealed")] {
        let blobs: Vec<Vec<u8>> =
            sqlx::query_scalar(&format!("SELECT {column} FROM {table}")).fetch_all(&mut conn).await.unwrap();
        for b in blobs {
            let text = String::from_utf8_lossy(&b);
            assert!(!text.contains("4010232137") && !text.contains("zqxjv-marker") && !text.contains("Quay Road"));
        }
    }
    if app.backend == common::Backend::Sqlite {
        drop(conn);
        for file in ["harbour.db", "harbour.db-wal"] {
            if let Ok(bytes) = std::fs::read(app.dir.path().join(file)) {
                let hay = String::from_utf8_lossy(&bytes);
                assert!(!hay.contains("4010232137") && !hay.contains("zqxjv-marker"), "{file} holds clear text");
            }
        }
    }
});

both_backends!(text_that_hides_or_reorders_itself_is_refused_and_writes_nothing, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let (person, episode) = child_allocated_to(&app, AI1, "Nia").await;
    let (persons, entries) = (app.count("persons").await, app.count("entries").await);
    let named = |given: &str| json!({"given_name": given, "family_name": "Testcase", "gender": "female"});
    for (given, needle) in [
        ("\u{200B}", "no visible characters"),
        (" \u{200B}\u{200C}\u{200D}\u{FEFF} ", "no visible characters"),
        ("\u{2060}", "no visible characters"),
        ("Ava\u{0}", "a control character (U+0000)"),
        ("Ava\u{7}", "a control character"),
        ("Ava\u{202E}htimS", "a bidirectional override character (U+202E)"),
        ("\u{2066}Ava\u{2069}", "a bidirectional override character"),
        ("Ava\nSmith", "a line break"),
    ] {
        let problem = json(app.post("/api/v1/people", &hub, &named(given)).await, 422).await;
        assert!(problem["detail"].as_str().unwrap().contains(needle), "{given:?}: {problem}");
        let mut family = named("Ava");
        family["family_name"] = json!(given);
        json(app.post("/api/v1/people", &hub, &family).await, 422).await;
    }
    // Every free-text field: an entry's subject and detail (whose line breaks are kept).
    let sw_user = app.user("mash.demo").await.id.to_string();
    for (field, text) in [("subject", "Visit\u{202D}"), ("detail", "Saw her.\u{0}"), ("detail", "\u{200B}\u{200B}")] {
        let mut body = entry_body(&sw_user);
        body[field] = json!(text);
        json(app.post(&format!("/api/v1/episodes/{episode}/entries"), &hub, &body).await, 422).await;
    }
    let mut body = entry_body(&sw_user);
    body["detail"] = json!("Saw her.\r\nShe was well.");
    let written = json(app.post(&format!("/api/v1/episodes/{episode}/entries"), &hub, &body).await, 201).await;
    assert_eq!(written["detail"], "Saw her.\r\nShe was well.");
    // NHS numbers of ten equal digits pass modulus 11 but are placeholders.
    for nhs in ["0000000000", "000 000 0000", "111 111 1111", "9999999999"] {
        let problem = json(app.post("/api/v1/people", &hub, &child("Zero", nhs)).await, 422).await;
        assert!(problem["detail"].as_str().unwrap().contains("placeholder"), "{nhs}: {problem}");
        let update = json!({"nhs_number": nhs, "verified": true});
        let put = app.request(Method::PUT, &format!("/api/v1/people/{person}/nhs-number"), &hub).json(&update);
        json(put.send().await.unwrap(), 422).await;
    }
    assert_eq!(app.count("persons").await, persons, "a refused request must write nothing");
    assert_eq!(app.count("entries").await, entries + 1);
    let record = json(app.get(&format!("/api/v1/people/{person}"), &hub).await, 200).await;
    assert_eq!(record["person"]["nhs_number"], Value::Null);
});

both_backends!(an_episode_cannot_open_before_the_person_was_born, |app: TestApp| async move {
    let hub = app.token("mash.demo").await;
    let team = app.team_id(AI1).await;
    let baby = json!({"given_name": "Newly", "family_name": "Born", "date_of_birth": days_ago(10), "gender": "male"});
    let baby = json(app.post("/api/v1/people", &hub, &baby).await, 201).await;
    let id = baby["id"].as_str().unwrap();
    let before = app.count("episodes").await;
    let opened = |on: String| json!({"record_class": "child_in_need", "opened_on": on, "team_id": team});
    let problem =
        json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &opened(days_ago(11))).await, 422).await;
    assert!(problem["detail"].as_str().unwrap().contains("before the person was born"), "{problem}");
    assert_eq!(app.count("episodes").await, before, "nothing written");
    json(app.post(&format!("/api/v1/people/{id}/episodes"), &hub, &opened(days_ago(10))).await, 201).await;
    // An unborn child (pre-birth assessment) has no date of birth yet.
    let unborn = json!({"given_name": "Baby", "family_name": "Unborn", "gender": "unknown"});
    let unborn = json(app.post("/api/v1/people", &hub, &unborn).await, 201).await;
    let unborn = unborn["id"].as_str().unwrap();
    json(app.post(&format!("/api/v1/people/{unborn}/episodes"), &hub, &opened(days_ago(40))).await, 201).await;
});

both_backends!(api_responses_are_never_cached, |app: TestApp| async move {
    let sw = app.token("sw.demo").await;
    let no_store = |resp: &reqwest::Response| {
        resp.headers().get("cache-control").and_then(|v| v.to_str().ok()).map(str::to_string)
    };
    for (resp, status) in [
        (app.get("/api/v1/me", &sw).await, 200),
        (app.get("/api/v1/openapi.json", &sw).await, 200),
        (app.get("/api/v1/people/0b0e7d5e-0000-4000-8000-000000000000", &sw).await, 404),
        (app.get("/api/v1/people/not-an-id", &sw).await, 400),
        (app.get("/api/v1/me", "hbr_wrong").await, 401),
        (app.post("/api/v1/people", &sw, &json!({"given_name": ""})).await, 400),
        (app.request(Method::DELETE, "/api/v1/people", &sw).send().await.unwrap(), 405),
    ] {
        assert_eq!(resp.status().as_u16(), status, "{}", resp.url());
        assert_eq!(no_store(&resp).as_deref(), Some("no-store"), "{} {status}", resp.url());
    }
    let page = app.client.get(format!("{}/login", app.base)).send().await.unwrap();
    assert_eq!(no_store(&page).as_deref(), Some("no-store"));
    let css = app.client.get(format!("{}/static/harbour.css", app.base)).send().await.unwrap();
    assert_eq!(no_store(&css).as_deref(), Some("max-age=3600"), "static assets may be cached");
});

both_backends!(a_database_outage_is_a_503_with_retry_after, |app: TestApp| async move {
    let body = json!({"given_name": "Out", "family_name": "Age", "gender": "female"});
    let refused = |resp: reqwest::Response| async move {
        let retry = resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
        let problem = json(resp, 503).await;
        assert_eq!(retry.as_deref(), Some("5"), "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains("try again"), "{problem}");
    };
    match app.backend {
        common::Backend::Sqlite => {
            // Another process holds the database's write lock past the busy timeout.
            let hub = app.token("mash.demo").await;
            let before = app.count("persons").await;
            let mut other = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url).await.unwrap();
            sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.unwrap();
            refused(app.post("/api/v1/people", &hub, &body).await).await;
            sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
            assert_eq!(app.count("persons").await, before, "nothing written");
        }
        common::Backend::Postgres => {
            // The server goes away: open connections drop and new ones are refused.
            let relay = common::Relay::start().await;
            let config =
                harbour_server::ServerConfig { secure_cookies: false, demo: true, client_address_header: None };
            let app = common::spawn_app_on(app.backend, config, |url| relay.url(&url)).await;
            let hub = app.token("mash.demo").await;
            json(app.get("/api/v1/me", &hub).await, 200).await;
            let before = app.count("persons").await;
            relay.cut();
            refused(app.get("/api/v1/me", &hub).await).await;
            refused(app.post("/api/v1/people", &hub, &body).await).await;
            assert_eq!(app.count("persons").await, before, "nothing written");
        }
    }
});
