//! Subject access for a child whose file has 500 entries (each naming relatives, an address
//! and a phone number), on SQLite with the demo data: how long collating the file with Harbour's
//! proposed redactions takes, and releasing it (collating again, checking every item against the
//! review, making the PDF and HTML and sealing them), as ratios to a baseline measured in the
//! same run: the practitioner's authorized, audited read of the same 500 entries.
//!
//! Run: `scripts/bench` (or `cargo bench -p harbour-app --bench bundle -- 500`).
#![allow(clippy::unwrap_used)] // a benchmark that cannot unwrap has failed

use std::time::Instant;

use harbour_app::rights::StatusChange;
use harbour_app::subject_access::{RedactionDecisions, ReleaseMethod, ReleaseTo};
use harbour_app::{demo, Actor, App, Now};
use harbour_domain::{
    Channel, DataCategory, EntryKind, NewEntry, NewRightsRequest, Requester, Right, RightsStatus, Role, Source,
};
use harbour_store::{Keyring, Store};

async fn actor(store: &Store, username: &str) -> Actor {
    let user = store.user_by_username(username).await.unwrap();
    let org_kind = store.organisation(user.org_id).await.unwrap().kind;
    Actor { user, now: Now::read(), org_kind, purpose: None }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// `n` entries on the episode, each naming relatives, an address, a phone and a date of birth.
async fn fill(app: &App, store: &Store, sw: &Actor, episode: harbour_domain::EpisodeId, n: usize) {
    let opened = store.episode(episode).await.unwrap().opened_on;
    for i in 0..n {
        let at = opened.at(9, 0, 0, 0) + jiff::Span::new().minutes(i as i64);
        let entry = NewEntry {
            kind: EntryKind::Contact,
            occurred_at: at.min(Now::read().local),
            location: Some(format!("{} Harbour Road, BH15 1AA", i % 90 + 1)),
            subject: format!("Contact {i}"),
            detail: format!("Spoke to Mr Okafor on 07700 900{:03}. Jayden's aunt Priya Shah (DOB 04/05/1990) was there; the child said school was fine.", i % 1000),
            source: Source::Staff { user_id: sw.user.id },
            categories: vec![DataCategory::Family],
        };
        app.add_entry(sw, episode, entry).await.unwrap();
    }
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(500);
    let dir = tempfile::tempdir().unwrap();
    let mut store =
        Store::open(&Store::sqlite_url(dir.path()), Keyring::load_or_create(dir.path()).unwrap()).await.unwrap();
    demo::load(&store, Now::read().today()).await.unwrap();
    store.start_ledger(harbour_store::ledger_signer(dir.path()).unwrap()).await.unwrap();
    harbour_app::accounts::install_account(
        &store,
        "dpo2.bench",
        "Second Officer",
        "bcp-childrens",
        Some("Information Governance"),
        Role::Dpo,
        None,
    )
    .await
    .unwrap();
    let app = App::from_store(store.clone(), Now::read().today()).await.unwrap();
    let sw = actor(&store, "sw.demo").await;
    let (dpo, dpo2) = (actor(&store, "dpo.demo").await, actor(&store, "dpo2.bench").await);
    let (child, episode) = {
        let ep = store.open_episodes_of_team(sw.user.team_id.unwrap()).await.unwrap().remove(0);
        (ep.person_id, ep.id)
    };
    fill(&app, &store, &sw, episode, n).await;
    // Baseline: the practitioner reads the same entries, authorized and audited.
    let t = Instant::now();
    let read = app.person_entries(&sw, child).await.unwrap();
    let baseline = ms(t);
    let new = NewRightsRequest {
        right: Right::Access,
        person_id: Some(child),
        subject_name: "The child".into(),
        requester: Requester::Subject,
        requester_name: "The child".into(),
        channel: Channel::Email,
        received_on: Now::read().today(),
        detail: "My file".into(),
    };
    let id = app.record_rights_request(&dpo, new).await.unwrap().request.id;
    let step = |s| StatusChange { status: s, confirmed_on: None, note: None };
    app.move_rights_request(&dpo, id, step(RightsStatus::InProgress)).await.unwrap();
    let t = Instant::now();
    let review = app.collate(&dpo, id).await.unwrap();
    let collate = ms(t);
    let redactions: usize = review.items.iter().map(|i| i.redactions.len()).sum();
    let first = review.items[0].key.clone();
    app.decide_redactions(&dpo, id, RedactionDecisions { item: first, decisions: vec![], add: vec![] }).await.unwrap();
    app.move_rights_request(&dpo, id, step(RightsStatus::InReview)).await.unwrap();
    app.move_rights_request(&dpo2, id, step(RightsStatus::Approved)).await.unwrap();
    let t = Instant::now();
    let released =
        app.release(&dpo, id, ReleaseTo { to: "The child".into(), method: ReleaseMethod::Portal }).await.unwrap();
    let release = ms(t);
    let pdf = app.release_pdf(&dpo, id).await.unwrap();
    println!(
        "subject access, a file of {} entries ({} items, {redactions} redactions proposed):",
        read.len(),
        review.items.len()
    );
    println!("  baseline: the authorized read of the entries   {baseline:8.1} ms");
    println!(
        "  collate with proposed redactions               {collate:8.1} ms  ({:.1}x the baseline)",
        collate / baseline
    );
    println!(
        "  release (re-collate, check, PDF + HTML, seal)  {release:8.1} ms  ({:.1}x the baseline)",
        release / baseline
    );
    println!("  PDF {} KiB, record {}", pdf.len() / 1024, &released.record_sha256[..16]);
}
