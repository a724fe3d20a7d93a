//! The privacy notices in the running server: public pages rendered from the pack version in
//! force, and versions that never rewrite history.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod common;

use common::{json, TestApp};
use harbour_app::{notices, Actor, App, Now};
use harbour_policy::pack;

const BCP: &str = include_str!("../../../packs/bcp-childrens-services.toml");

fn with_version(src: &str, version: u32, effective_from: &str) -> String {
    src.replacen("version = 3", &format!("version = {version}"), 1).replacen(
        "effective_from = \"2026-12-05\"",
        &format!("effective_from = \"{effective_from}\""),
        1,
    )
}

both_backends!(the_notices_are_public_pages_rendered_from_their_packs, |app: TestApp| async move {
    let index = app.client.get(format!("{}/privacy", app.base)).send().await.unwrap();
    assert_eq!(index.status(), 200);
    let index = index.text().await.unwrap();
    for id in [
        "bcp-childrens-services",
        "domestic-abuse-sharing",
        "cse-sharing",
        "dorset-csp-dhr",
        "childrens-support-safeguarding",
    ] {
        assert!(index.contains(&format!("/privacy/{id}")), "{id} not listed");
        let page = app.client.get(format!("{}/privacy/{id}", app.base)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{id}");
        let html = page.text().await.unwrap();
        assert!(html.contains("Information Commissioner"), "{id} says how to complain");
        // Issue 15: a contents list, links that are links, and no word of where the text came from.
        assert!(html.contains("<nav aria-labelledby=\"contents\">"), "{id} has a contents list");
        assert!(!html.contains("](http"), "{id} shows a Markdown link raw");
        assert!(!html.to_lowercase().contains("seed 0"), "{id} names its seed");
        assert!(html.contains(", in force from "), "{id}'s footer");
    }
    let page = app.client.get(format!("{}/privacy/bcp-childrens-services", app.base)).send().await.unwrap();
    let html = page.text().await.unwrap();
    let pack = pack::load("bcp", BCP).unwrap();
    assert_eq!(html, pack::render_html_linked(&pack, "/static/notice.css"), "the page is the pack, rendered");
    assert!(html.contains("Date of case closure +35 years"));
    let missing = app.client.get(format!("{}/privacy/no-such-notice", app.base)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let css = app.client.get(format!("{}/static/notice.css", app.base)).send().await.unwrap();
    assert_eq!(css.status(), 200);
});

both_backends!(a_new_notice_version_applies_from_its_date_and_never_rewrites_history, |app: TestApp| async move {
    // A practitioner reads a child allocated to their team under version 3 (the built-in one).
    let sw = app.token("sw.demo").await;
    let (child, _) = app.allocated_child("sw.demo").await;
    json(app.get(&format!("/api/v1/people/{}", child.id), &sw).await, 200).await;
    let v3 = "bcp-childrens-services/v3/access/allocated-team".to_string();
    let before = app.store.audit_for_person(child.id).await.unwrap();
    assert!(before.iter().any(|e| e.action == "person.read" && e.policy_ids.contains(&v3)));

    // The same version with different text is refused: history is never rewritten.
    let edited = BCP.replace("protecting children from abuse and harm", "protecting children");
    let err = notices::record(&app.store, "edited.toml", &edited).await.unwrap_err();
    assert!(err.to_string().contains("needs a new version"), "{err}");

    // Version 4 in force from a past date, version 5 only from next year.
    let (_, added) = notices::record(&app.store, "v4.toml", &with_version(BCP, 4, "2020-01-01")).await.unwrap();
    assert!(added);
    let next_year = (harbour_app::Now::read().today().year() + 1).to_string() + "-01-01";
    notices::record(&app.store, "v5.toml", &with_version(BCP, 5, &next_year)).await.unwrap();
    let state = App::from_store(app.store.clone(), Now::read().today()).await.unwrap();
    let bcp = state.notices().iter().find(|n| n.id() == "bcp-childrens-services").unwrap();
    assert_eq!(bcp.pack.version, 4, "version 5 is not in force until its date");

    let user = app.user("sw.demo").await;
    let actor = Actor { user, now: Now::read(), org_kind: harbour_domain::OrgKind::ChildrensSocialCare, purpose: None };
    let record = state.person_record(&actor, child.id).await.unwrap();
    assert!(record.access.starts_with("allowed: BCP Children's Services notice"));
    let after = app.store.audit_for_person(child.id).await.unwrap();
    let v4 = "bcp-childrens-services/v4/access/allocated-team".to_string();
    assert!(
        after.iter().any(|e| e.action == "person.read" && e.policy_ids.contains(&v4)),
        "new decisions cite version 4"
    );
    assert!(
        after.iter().any(|e| e.action == "person.read" && e.policy_ids.contains(&v3)),
        "old decisions still cite version 3"
    );
    let stored = app.store.pack_versions().await.unwrap();
    assert_eq!(stored.iter().filter(|p| p.pack_id == "bcp-childrens-services").count(), 3, "versions 3, 4 and 5");
});
