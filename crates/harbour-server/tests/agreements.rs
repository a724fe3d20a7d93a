//! Partners and agreements: the DPO records Personal Information Sharing Agreements; one that
//! has expired or not yet started cannot be relied on.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use common::{json, TestApp};
use serde_json::json;

fn days(n: i64) -> String {
    (harbour_app::Now::read().today() + jiff::Span::new().days(n)).to_string()
}

async fn pisa(app: &TestApp, reference: &str, starts: i64, ends: i64) -> serde_json::Value {
    let council = app.store.organisation_by_slug("bcp-childrens").await.unwrap().id.to_string();
    let school = app.store.organisation_by_slug("harbourside-academy").await.unwrap().id.to_string();
    json!({
        "reference": reference, "title": "Domestic abuse notifications to schools",
        "parties": [council, school], "purposes": ["Support children affected by domestic abuse at school"],
        "categories": ["personal_details", "child_protection"], "lawful_bases": ["6(1)(e)"],
        "starts_on": days(starts), "ends_on": days(ends), "review_on": days(starts)
    })
}

both_backends!(the_dpo_records_agreements_and_only_valid_ones_can_be_relied_on, |app: TestApp| async move {
    let dpo = app.token("dpo.demo").await;
    let current = json(app.post("/api/v1/agreements", &dpo, &pisa(&app, "PISA-1", -30, 300).await).await, 201).await;
    assert_eq!(current["in_force"], true);
    assert_eq!(current["review_due"], true, "its review date was its start");
    let expired = json(app.post("/api/v1/agreements", &dpo, &pisa(&app, "PISA-2", -400, -1).await).await, 201).await;
    assert_eq!(expired["in_force"], false);
    assert!(expired["not_in_force_because"].as_str().unwrap().contains("PISA-2 expired on"));
    let future = json(app.post("/api/v1/agreements", &dpo, &pisa(&app, "PISA-3", 10, 400).await).await, 201).await;
    assert!(future["not_in_force_because"].as_str().unwrap().contains("PISA-3 starts on"));
    let sw = app.token("sw.demo").await;
    let listed = json(app.get("/api/v1/agreements", &sw).await, 200).await;
    assert_eq!(listed.as_array().unwrap().len(), 3, "everyone can see the agreements");
    let one = json(app.get(&format!("/api/v1/agreements/{}", current["id"].as_str().unwrap()), &sw).await, 200).await;
    assert_eq!(one["parties"].as_array().unwrap().len(), 2);
});

both_backends!(a_bad_agreement_is_refused_and_writes_nothing, |app: TestApp| async move {
    let dpo = app.token("dpo.demo").await;
    let before = app.count("agreements").await;
    let mut one_party = pisa(&app, "PISA-X", -1, 10).await;
    one_party["parties"] = json!([one_party["parties"][0]]);
    let mut backwards = pisa(&app, "PISA-Y", 5, 1).await;
    backwards["review_on"] = json!(days(5));
    let mut stranger = pisa(&app, "PISA-Z", -1, 10).await;
    stranger["parties"][1] = json!("0b0e7d5e-0000-4000-8000-000000000000");
    let mut no_basis = pisa(&app, "PISA-W", -1, 10).await;
    no_basis["lawful_bases"] = json!(["6(1)(z)"]);
    for (body, needle) in [
        (one_party, "at least two parties"),
        (backwards, "before it starts"),
        (stranger, "does not exist"),
        (no_basis, "not a UK GDPR Article 6 basis"),
    ] {
        let problem = json(app.post("/api/v1/agreements", &dpo, &body).await, 422).await;
        assert!(problem["detail"].as_str().unwrap().contains(needle), "{needle}: {problem}");
    }
    let mut unknown = pisa(&app, "PISA-V", -1, 10).await;
    unknown["categories"] = json!(["shoe_size"]);
    json(app.post("/api/v1/agreements", &dpo, &unknown).await, 400).await;
    assert_eq!(app.count("agreements").await, before);
    json(app.post("/api/v1/agreements", &dpo, &pisa(&app, "PISA-1", -1, 10).await).await, 201).await;
    json(app.post("/api/v1/agreements", &dpo, &pisa(&app, "PISA-1", -1, 10).await).await, 409).await;
    let sw = app.token("sw.demo").await;
    json(app.post("/api/v1/agreements", &sw, &pisa(&app, "PISA-2", -1, 10).await).await, 403).await;
});
