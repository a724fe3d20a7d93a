//! Issue 14: a father asks for his daughter's records. Her file names her mother, her mother's
//! new partner, her little sister and the refuge where she and her mother live, whose address
//! her social worker marked "do not disclose". The data protection officer collates the file,
//! reviews Harbour's proposed redactions (adding an exemption of her own), a second officer
//! approves, and the bundle is released: the PDF's extracted text (pdftotext) and the HTML copy
//! hold the child's own records and none of the others' names, the sister's date of birth or
//! the address. The release record's digest is in the ledger. Runs on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use common::{days, family, json, org, person, TestApp};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

async fn step(app: &TestApp, token: &str, request: &str, status: &str, code: u16) -> Value {
    let body = json!({"status": status});
    json(app.post(&format!("/api/v1/rights-requests/{request}/status"), token, &body).await, code).await
}

fn extracted_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian's poppler-utils; scripts/test installs it)");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

const ABSENT: &[&str] =
    &["Callum", "Ridley", "Ruby", "Joanne", "Darren Pike", "Kestrel", "BH12", "3QT", "2019", "07700", "900461"];

both_backends!(a_parents_request_releases_the_childs_records_and_nobody_elses, |app: TestApp| async move {
    let f = family(&app).await;
    let dpo = app.token("dpo.demo").await;
    let new = json!({"right": "access", "person_id": f.child, "subject_name": "Maisie Thornbury", "requester": "parent",
        "requester_name": "Mr D Pike", "channel": "letter", "received_on": days(-3), "detail": "All records about my daughter."});
    let r = json(app.post("/api/v1/rights-requests", &dpo, &new).await, 201).await;
    let id = r["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/rights-requests/{id}");
    // Not collated before the work starts.
    json(app.post(&format!("{base}/collate"), &dpo, &json!({})).await, 409).await;
    step(&app, &dpo, &id, "in_progress", 200).await;
    // A police request about her, by name and date of birth, and one about another child.
    let police = app.token("police.demo").await;
    for (given, detail) in [("Maisie", "Any reports about Maisie?"), ("Milly", "Any reports about Milly?")] {
        let r = json!({"notice": "cse-sharing", "purpose": "prevent-disrupt-detect", "ground": "detect-prevent-crime",
            "about": {"given_name": given, "family_name": "Thornbury", "date_of_birth": "2016-05-12"}, "detail": detail});
        json(app.post("/api/v1/information-requests", &police, &r).await, 201).await;
    }
    let review = json(app.post(&format!("{base}/collate"), &dpo, &json!({})).await, 200).await;
    let items = review["items"].as_array().unwrap();
    let asked: Vec<&str> =
        items.iter().filter(|i| i["kind"] == "information_request").map(|i| i["text"].as_str().unwrap()).collect();
    assert_eq!(asked, ["Any reports about Maisie?"], "the request naming her, not the one naming another child");
    let visit = items.iter().find(|i| i["heading"] == "Home visit at the refuge").unwrap();
    let released: String = visit["released"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().map_or_else(|| format!("[{}]", p["reason"].as_str().unwrap()), str::to_string))
        .collect();
    assert!(released.contains("Visited Maisie at [confidential_address], [confidential_address]."), "{released}");
    for gone in ABSENT {
        assert!(!released.contains(gone), "{gone} proposed for release: {released}");
    }
    assert!(review["art15"].as_array().unwrap().iter().any(|s| s["heading"] == "Complaints"));
    // Only the data protection officer collates or reviews.
    let sw = app.token("sw.demo").await;
    json(app.get(&format!("{base}/review"), &sw).await, 403).await;

    // The reviewer withholds a sentence under the serious-harm exemption, and cannot release a
    // proposal without saying why.
    let strategy = items.iter().find(|i| i["heading"] == "Strategy discussion").unwrap();
    let text = strategy["text"].as_str().unwrap();
    let start = text.chars().count() - "Maisie is safe and well.".chars().count() - 1;
    let fear = text.find("Maisie's mother").map(|b| text[..b].chars().count()).unwrap();
    let add = json!({"item": strategy["key"], "add": [{"start": fear, "end": start, "reason": "serious_harm",
        "note": "Would tell the father the family is in a refuge."}]});
    let reviewed = json(app.post(&format!("{base}/review"), &dpo, &add).await, 200).await;
    assert_eq!(reviewed["reviewed_by"], "Dana Price (demo)");
    let reject = json!({"item": visit["key"], "decisions": [{"index": 0, "accepted": false}]});
    json(app.post(&format!("{base}/review"), &dpo, &reject).await, 422).await;

    // A second person approves.
    step(&app, &dpo, &id, "in_review", 200).await;
    step(&app, &dpo, &id, "approved", 403).await;
    let team = app.user("dpo.demo").await.team_id.unwrap().to_string();
    app.account(
        &json!({"username": "dpo2.test", "display_name": "Second Officer (test)", "organisation": "bcp-childrens",
        "team_id": team, "role": "dpo", "password": null}),
    )
    .await;
    let dpo2 = app.token("dpo2.test").await;
    step(&app, &dpo2, &id, "approved", 200).await;

    let to = json!({"to": "Mr D Pike", "method": "post"});
    let view = json(app.post(&format!("{base}/release"), &dpo, &to).await, 200).await;
    assert_eq!(view["record"]["approved_by"], "Second Officer (test)");
    let pdf = app.get(&format!("{base}/bundle.pdf"), &dpo).await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap();
    let digest: String = Sha256::digest(&pdf).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(view["record"]["pdf_sha256"], digest, "the record names the bundle released");
    let text = extracted_text(&pdf);
    for present in ["Maisie Thornbury", "Home visit at the refuge", "wants to see her dad", "Information Commissioner"]
    {
        assert!(text.contains(present), "{present} missing from the bundle:\n{text}");
    }
    for absent in ABSENT.iter().chain(&["fears that", "come to the refuge"]) {
        assert!(!text.contains(absent), "{absent} is in the released PDF:\n{text}");
    }
    let html = app.get(&format!("{base}/bundle.html"), &dpo).await.text().await.unwrap();
    assert!(html.contains("Maisie Thornbury"));
    for absent in ABSENT {
        assert!(!html.contains(absent), "{absent} is in the HTML copy");
    }
    // The ledger names the release record's digest; the request is answered.
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url).await.unwrap();
    let named: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'rights.release' AND target_id = $1")
            .bind(view["record_sha256"].as_str().unwrap())
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(named, 1);
    assert_eq!(json(app.get(&base, &dpo).await, 200).await["status"], "released");
    // Nothing about the request is left to move, and the release is made once.
    json(app.post(&format!("{base}/release"), &dpo, &to).await, 409).await;

    // The flag also blocks the address from a share.
    let school = org(&app, "harbourside-academy").await;
    let share = json!({"notice": "bcp-childrens-services", "people": [f.child, f.mother], "recipients": [school],
        "purpose": "protecting-children", "basis": "6(1)(e)", "statute": "children-acts-1989-2004",
        "person_fields": [{"person_id": f.mother, "fields": ["name", "address"]}],
        "consent": {"state": "not_sought", "reason": "Asking would put the child at risk."}, "without_consent_ground": "child-harm",
        "family": {"position": "told", "who": "mother", "when": days(0), "how": "phone"}, "rationale": common::rationale(),
        "urgency": "routine"});
    let refused = app.post("/api/v1/sharing-decisions", &sw, &share).await;
    let status = refused.status().as_u16();
    let body = refused.text().await.unwrap();
    assert!(status >= 400 && body.contains("do not disclose"), "{status} {body}");
    let _ = f.episode;
});

both_backends!(a_file_that_changes_after_approval_is_not_released_until_reviewed_again, |app: TestApp| async move {
    let f = family(&app).await;
    let dpo = app.token("dpo.demo").await;
    let new = json!({"right": "access", "person_id": f.child, "subject_name": "Maisie Thornbury", "requester": "subject",
        "requester_name": "Maisie Thornbury", "channel": "email", "received_on": days(-1), "detail": "My file."});
    let id = json(app.post("/api/v1/rights-requests", &dpo, &new).await, 201).await["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/rights-requests/{id}");
    step(&app, &dpo, &id, "in_progress", 200).await;
    let review = json(app.post(&format!("{base}/collate"), &dpo, &json!({})).await, 200).await;
    let key = review["items"][0]["key"].clone();
    json(app.post(&format!("{base}/review"), &dpo, &json!({"item": key, "decisions": []})).await, 200).await;
    step(&app, &dpo, &id, "in_review", 200).await;
    let team = app.user("dpo.demo").await.team_id.unwrap().to_string();
    app.account(
        &json!({"username": "dpo3.test", "display_name": "Third Officer (test)", "organisation": "bcp-childrens",
        "team_id": team, "role": "dpo", "password": null}),
    )
    .await;
    let dpo3 = app.token("dpo3.test").await;
    step(&app, &dpo3, &id, "approved", 200).await;
    // A new entry after approval: the bundle would hold text nobody reviewed.
    let sw = app.token("sw.demo").await;
    let sw_id = app.user("sw.demo").await.id.to_string();
    let body = json!({"kind": "meeting", "occurred_at": format!("{}T09:00:00", days(-1)), "subject": "Late visit",
        "detail": "Saw Maisie.", "source": {"kind": "staff", "user_id": sw_id}, "categories": ["family"]});
    json(app.post(&format!("/api/v1/episodes/{}/entries", f.episode), &sw, &body).await, 201).await;
    let refused =
        json(app.post(&format!("{base}/release"), &dpo, &json!({"to": "Maisie", "method": "in_person"})).await, 409)
            .await;
    assert!(refused["detail"].as_str().unwrap().contains("Late visit"), "{refused}");
    assert_eq!(app.count("rights_releases").await, 0);
    assert_eq!(json(app.get(&base, &dpo).await, 200).await["status"], "approved");
});

/// The public page's form cookie and token.
async fn public_form(app: &TestApp) -> (String, String) {
    let page = app.client.get(format!("{}/subject-access", app.base)).send().await.unwrap();
    assert_eq!(page.status(), 200, "the page is open without signing in");
    let cookie = page.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let html = page.text().await.unwrap();
    let marker = "name=\"csrf_token\" value=\"";
    let at = html.find(marker).unwrap() + marker.len();
    let token = html[at..].split('"').next().unwrap().to_string();
    (cookie, token)
}

async fn send_public(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let resp = app
        .client
        .post(format!("{}/subject-access", app.base))
        .header("cookie", cookie)
        .form(fields)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

both_backends!(anyone_can_ask_on_the_public_page_and_the_answer_reveals_nothing, |app: TestApp| async move {
    let (cookie, token) = public_form(&app).await;
    let held = app.allocated_child("sw.demo").await.0;
    let held_name = held.full_name();
    let ask = |name: &'static str| {
        vec![
            ("csrf_token", token.as_str()),
            ("your_name", "Sam Asker"),
            ("requester", "parent"),
            ("subject_name", name),
            ("subject_date_of_birth", ""),
            ("contact", "sam@example.org"),
            ("detail", "Everything you hold."),
        ]
    };
    // Without the form's token: refused, nothing recorded.
    let before = app.count("rights_requests").await;
    let mut forged = ask("Nobody Atall");
    forged[0] = ("csrf_token", "forged");
    assert_eq!(send_public(&app, &cookie, &forged).await.0, 403);
    // An empty name: the form again with the message, nothing recorded.
    let mut empty = ask("Nobody Atall");
    empty[1] = ("your_name", " ");
    let (status, html) = send_public(&app, &cookie, &empty).await;
    assert!(status == 422 && html.contains("your name"), "{status} {html}");
    assert_eq!(app.count("rights_requests").await, before);

    let held_fields: Vec<(&str, &str)> = ask("placeholder")
        .into_iter()
        .map(|(k, v)| if k == "subject_name" { (k, held_name.as_str()) } else { (k, v) })
        .collect();
    let (s1, known) = send_public(&app, &cookie, &held_fields).await;
    let (s2, unknown) = send_public(&app, &cookie, &ask("Nobody Atall")).await;
    assert_eq!((s1, s2), (200, 200));
    let strip = |html: &str| {
        let at = html.find("id=\"reference\">").unwrap() + 15;
        format!("{}{}", &html[..at], &html[at + 36..])
    };
    assert_eq!(strip(&known), strip(&unknown), "the answer is the same whether Harbour holds the person or not");
    assert!(!known.contains(&held_name));
    assert_eq!(app.count("rights_requests").await, before + 2);
    // The register shows them, about no record yet, received on the web.
    let dpo = app.token("dpo.demo").await;
    let list = json(app.get("/api/v1/rights-requests", &dpo).await, 200).await;
    let web: Vec<&Value> = list.as_array().unwrap().iter().filter(|r| r["channel"] == "web").collect();
    assert_eq!(web.len(), 2);
    assert!(web.iter().all(|r| r["person_id"].is_null() && r["recorded_by"].is_null()));
    // A third from the same address is still taken; a fourth within the hour is not.
    assert_eq!(send_public(&app, &cookie, &ask("Third Person")).await.0, 200);
    let (status, html) = send_public(&app, &cookie, &ask("Fourth Person")).await;
    assert!(status == 429 && html.contains("Too many requests"), "{status}");
    assert_eq!(app.count("rights_requests").await, before + 3);
});

both_backends!(a_child_of_twelve_or_over_is_asked_before_a_parent_sees_their_records, |app: TestApp| async move {
    let dpo = app.token("dpo.demo").await;
    let hub = app.token("mash.demo").await;
    let thirteen = (jiff::Zoned::now().date() - jiff::Span::new().years(13).days(10)).to_string();
    let child = person(
        &app,
        &hub,
        json!({"given_name": "Tegan", "family_name": "Osei", "gender": "female",
        "date_of_birth": thirteen}),
    )
    .await;
    let new = json!({"right": "access", "person_id": child, "subject_name": "Tegan Osei", "requester": "parent",
        "requester_name": "Kofi Osei", "channel": "phone", "received_on": days(-1), "detail": "Her records."});
    let id = json(app.post("/api/v1/rights-requests", &dpo, &new).await, 201).await["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/rights-requests/{id}");
    step(&app, &dpo, &id, "in_progress", 200).await;
    let asked = json(app.post(&format!("{base}/collate"), &dpo, &json!({})).await, 409).await;
    assert!(asked["detail"].as_str().unwrap().contains("record whether they understand"), "{asked}");
    // A competent child must say whether she agrees.
    json(
        app.post(&format!("{base}/child-view"), &dpo, &json!({"competent": true, "note": "Spoke to Tegan."})).await,
        422,
    )
    .await;
    let no = json!({"competent": true, "consents": false, "note": "Spoke to Tegan at school on Monday."});
    json(app.post(&format!("{base}/child-view"), &dpo, &no).await, 200).await;
    json(app.post(&format!("{base}/collate"), &dpo, &json!({})).await, 409).await;
    let yes = json!({"competent": true, "consents": true, "note": "Tegan changed her mind, with her advocate."});
    let r = json(app.post(&format!("{base}/child-view"), &dpo, &yes).await, 200).await;
    assert_eq!(r["child_view"]["consents"], true);
    json(app.post(&format!("{base}/collate"), &dpo, &json!({})).await, 200).await;
});

async fn other_right(app: &TestApp, dpo: &str, right: &str, person: &str) -> String {
    let new = json!({"right": right, "person_id": person, "subject_name": "The person", "requester": "subject",
        "requester_name": "The person", "channel": "letter", "received_on": days(-1), "detail": "Please act."});
    let id = json(app.post("/api/v1/rights-requests", dpo, &new).await, 201).await["id"].as_str().unwrap().to_string();
    step(app, dpo, &id, "in_progress", 200).await;
    id
}

both_backends!(restriction_and_objection_stop_everything_but_storage_until_lifted, |app: TestApp| async move {
    let dpo = app.token("dpo.demo").await;
    let sw = app.token("sw.demo").await;
    let (child, _) = app.allocated_child("sw.demo").await;
    let record = format!("/api/v1/people/{}", child.id);
    json(app.get(&record, &sw).await, 200).await;
    let id = other_right(&app, &dpo, "restriction", &child.id.to_string()).await;
    let base = format!("/api/v1/rights-requests/{id}");
    // Only the officer restricts; an access request cannot be used to.
    json(app.post(&format!("{base}/restriction"), &sw, &json!({"restricted": true})).await, 403).await;
    json(app.post(&format!("{base}/restriction"), &dpo, &json!({"restricted": true})).await, 200).await;
    let refused = json(app.get(&record, &sw).await, 403).await;
    assert!(refused["detail"].as_str().unwrap().contains("Art 18"), "{refused}");
    json(app.get(&format!("{record}/entries"), &sw).await, 403).await;
    let search = json(app.get(&format!("/api/v1/people?name={}", child.family_name), &sw).await, 200).await;
    assert!(search.as_array().unwrap().iter().all(|p| p["id"] != child.id.to_string()), "not even listed");
    // Lifted, the team works with it again.
    json(app.post(&format!("{base}/restriction"), &dpo, &json!({"restricted": false})).await, 200).await;
    json(app.get(&record, &sw).await, 200).await;

    // An objection not upheld changes nothing; one upheld restricts the record.
    let id = other_right(&app, &dpo, "objection", &child.id.to_string()).await;
    let base = format!("/api/v1/rights-requests/{id}");
    json(app.post(&format!("{base}/objection"), &dpo, &json!({"upheld": false, "reason": " "})).await, 422).await;
    let decided = json!({"upheld": false, "reason": "Compelling grounds: the child is on a protection plan."});
    let r = json(app.post(&format!("{base}/objection"), &dpo, &decided).await, 200).await;
    assert_eq!(r["objection"]["upheld"], false);
    json(app.get(&record, &sw).await, 200).await;
    let upheld = json!({"upheld": true, "reason": "The processing for early help has no grounds left."});
    json(app.post(&format!("{base}/objection"), &dpo, &upheld).await, 200).await;
    json(app.get(&record, &sw).await, 403).await;
    let actions: Vec<String> =
        app.store.audit_for_person(child.id).await.unwrap().into_iter().map(|e| e.action).collect();
    for a in ["rights.restrict", "rights.restriction_lifted", "rights.objection.not_upheld", "rights.objection.upheld"]
    {
        assert!(actions.iter().any(|x| x == a), "{a} in the ledger");
    }
});

both_backends!(a_rectification_is_a_new_version_and_the_old_one_is_kept_and_marked, |app: TestApp| async move {
    let f = family(&app).await;
    let dpo = app.token("dpo.demo").await;
    let sw = app.token("sw.demo").await;
    let entries = json(app.get(&format!("/api/v1/people/{}/entries", f.child), &sw).await, 200).await;
    let strategy = entries.as_array().unwrap().iter().find(|e| e["subject"] == "Strategy discussion").unwrap();
    let entry = strategy["id"].as_str().unwrap().to_string();
    let id = other_right(&app, &dpo, "rectification", &f.child).await;
    let base = format!("/api/v1/rights-requests/{id}");
    // Not an entry of this record: refused, nothing changed.
    let team = app.user("sw.demo").await.team_id.unwrap();
    let episodes = app.store.open_episodes_of_team(team).await.unwrap();
    let other = episodes.iter().find(|e| e.person_id.to_string() != f.child).unwrap().person_id;
    let theirs = app.store.entries_of_person(other).await.unwrap();
    let wrong =
        json!({"entry_id": theirs.first().expect("the demo child has entries").id, "subject": "x", "detail": "y"});
    json(app.post(&format!("{base}/rectify"), &dpo, &wrong).await, 422).await;
    assert!(app.store.entry_versions(theirs[0].id).await.unwrap().is_empty());
    let fixed = json!({"entry_id": entry, "subject": "Strategy discussion",
        "detail": "Maisie's mother is worried about contact. Maisie is safe and well."});
    let versions = json(app.post(&format!("{base}/rectify"), &dpo, &fixed).await, 200).await;
    assert_eq!(versions.as_array().unwrap().len(), 1);
    assert!(versions[0]["detail"].as_str().unwrap().contains("fears that"), "the earlier text is kept");
    assert_eq!(versions[0]["request_id"], id.as_str());
    let now = json(app.get(&format!("/api/v1/people/{}/entries", f.child), &sw).await, 200).await;
    let now = now.as_array().unwrap().iter().find(|e| e["id"] == entry.as_str()).unwrap().clone();
    assert!(now["detail"].as_str().unwrap().contains("worried about contact"));
    let kept = json(app.get(&format!("/api/v1/entries/{entry}/versions"), &sw).await, 200).await;
    assert_eq!(kept, versions);
    json(app.get(&format!("/api/v1/entries/{entry}/versions"), &app.token("police.demo").await).await, 403).await;
    // The earlier version is still held, so a subject access request shows it, marked.
    let sar = json!({"right": "access", "person_id": f.child, "subject_name": "Maisie Thornbury", "requester": "subject",
        "requester_name": "Maisie Thornbury", "channel": "email", "received_on": days(0), "detail": "My file."});
    let sar =
        json(app.post("/api/v1/rights-requests", &dpo, &sar).await, 201).await["id"].as_str().unwrap().to_string();
    step(&app, &dpo, &sar, "in_progress", 200).await;
    let review = json(app.post(&format!("/api/v1/rights-requests/{sar}/collate"), &dpo, &json!({})).await, 200).await;
    let headings: Vec<&str> =
        review["items"].as_array().unwrap().iter().map(|i| i["heading"].as_str().unwrap()).collect();
    assert!(headings.contains(&"Earlier version of: Strategy discussion"), "{headings:?}");
});
