//! How long one authorization decision takes with every built-in policy pack loaded, as p50
//! and p99 over many decisions, against a baseline measured in the same run: the base rules
//! with the council's notice alone. (A custom harness: criterion and divan report means and
//! medians but not the 99th percentile the issue asks for.)
//!
//! Run: `cargo bench -p harbour-policy --bench decide` (or `scripts/bench`).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::hint::black_box;
use std::time::{Duration, Instant};

use harbour_domain::{DataCategory, OrgId, OrgKind, PersonId, RecordClass, Role, TeamId, UserId};
use harbour_policy::{built_in_packs, Action, Authorizer, Principal, Resource};

const SAMPLES: usize = 20_000;

fn percentiles(mut d: Vec<Duration>) -> (Duration, Duration) {
    d.sort();
    (d[d.len() / 2], d[d.len() * 99 / 100])
}

fn measure(authz: &Authorizer, cases: &[(Principal, Action, Resource)]) -> (Duration, Duration) {
    for (p, a, r) in cases.iter().cycle().take(2_000) {
        black_box(authz.decide(p, a.clone(), r));
    }
    let mut times = Vec::with_capacity(SAMPLES);
    for (p, a, r) in cases.iter().cycle().take(SAMPLES) {
        let start = Instant::now();
        black_box(authz.decide(black_box(p), a.clone(), black_box(r)));
        times.push(start.elapsed());
    }
    percentiles(times)
}

fn main() {
    let packs = built_in_packs().expect("built-in packs load");
    let all = Authorizer::from_packs(&packs).unwrap();
    let bcp_only = Authorizer::from_packs(&packs[..1]).unwrap();
    let team = TeamId::new();
    let who = |role| Principal {
        id: UserId::new(),
        role,
        org: OrgId::new(),
        org_kind: OrgKind::ChildrensSocialCare,
        teams: vec![team],
        active: true,
    };
    let child = |classes| Resource::Person {
        id: PersonId::new(),
        teams: vec![team, TeamId::new()],
        classes,
        restricted: false,
        emergency: vec![],
    };
    let cases = vec![
        (who(Role::Practitioner), Action::Read, child(vec![RecordClass::ChildInNeed])),
        (who(Role::Practitioner), Action::Write, child(vec![RecordClass::DomesticAbuseNotification])),
        (who(Role::Hub), Action::Read, child(vec![RecordClass::ChildSexualExploitation])),
        (who(Role::PartnerPractitioner), Action::Read, child(vec![RecordClass::ChildInNeed])),
        (
            who(Role::Practitioner),
            Action::Disclose {
                notice: "bcp-childrens-services".into(),
                recipient: "nhs".into(),
                kind: OrgKind::HealthProvider,
                categories: vec![DataCategory::PersonalDetails, DataCategory::PhysicalOrMentalHealth],
                basis: "6(1)(e)".into(),
            },
            child(vec![RecordClass::ChildProtectionPlan]),
        ),
    ];
    let (b50, b99) = measure(&bcp_only, &cases);
    let (a50, a99) = measure(&all, &cases);
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("Cedar decision, {SAMPLES} decisions over {} request shapes", cases.len());
    println!("{:<44} {:>10} {:>10}", "policy set", "p50", "p99");
    println!(
        "{:<44} {:>10.1?} {:>10.1?}",
        format!("baseline: base + BCP pack ({} policies)", bcp_only.policy_ids().len()),
        b50,
        b99
    );
    println!("{:<44} {:>10.1?} {:>10.1?}", format!("all five packs ({} policies)", all.policy_ids().len()), a50, a99);
    println!("ratio all five / baseline: p50 {:.2}x, p99 {:.2}x", ratio(a50, b50), ratio(a99, b99));
}
