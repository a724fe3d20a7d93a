//! Issue 11: who each notice names, walked for every notice and every organisation of the demo
//! directory, and compared with the table written down in docs/recipients.md. The same walk
//! asks the authorizer, which must agree with the notice's table for every organisation.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use harbour_domain::{DataCategory, OrgKind, PersonId, RecordClass, Role, TeamId, UserId};
use harbour_policy::{built_in_packs, pack, Action, Authorizer, Principal, Resource};

const DOC: &str = include_str!("../../../docs/recipients.md");
const BEGIN: &str = "<!-- table: begin -->\n";
const END: &str = "<!-- table: end -->";

#[test]
fn the_written_down_table_is_what_the_notices_enforce() {
    let packs = built_in_packs().unwrap();
    let directory = harbour_app::demo::organisations();
    let table: Vec<String> = packs.iter().map(|p| pack::recipients_table(p, &directory)).collect();
    let table = table.join("\n");
    let start = DOC.find(BEGIN).expect("docs/recipients.md has the table markers") + BEGIN.len();
    let end = DOC.find(END).expect("docs/recipients.md has the table markers");
    assert!(
        DOC[start..end] == table,
        "docs/recipients.md is out of date; the notices now give (run `harbour notice recipients` on the demo \
         data):\n{table}"
    );
}

#[test]
fn the_authorizer_agrees_with_the_table_for_every_notice_and_organisation() {
    let packs = built_in_packs().unwrap();
    let authz = Authorizer::from_packs(&packs).unwrap();
    let team = TeamId::new();
    let sw = Principal {
        id: UserId::new(),
        role: Role::Practitioner,
        org: harbour_domain::OrgId::new(),
        org_kind: OrgKind::ChildrensSocialCare,
        teams: vec![team],
        active: true,
    };
    let mut checked = 0;
    for p in &packs {
        // A record every notice's scope covers.
        let record = Resource::Person {
            id: PersonId::new(),
            teams: vec![team],
            classes: RecordClass::ALL.to_vec(),
            restricted: false,
            emergency: vec![],
        };
        for org in harbour_app::demo::organisations() {
            let entry = p.recipient_for(&org).map(|(g, _)| g);
            let named = entry.is_some() && !p.scope.reviews();
            // A basis the entry relies on (any of the notice's for an organisation it names not).
            let basis = entry
                .and_then(|g| g.bases.first())
                .and_then(|id| p.lawful_bases.iter().find(|b| b.id.get_ref() == id.get_ref()))
                .or(p.lawful_bases.first())
                .map(|b| b.article.clone())
                .unwrap();
            let action = Action::Disclose {
                notice: p.id().to_string(),
                recipient: org.slug.clone(),
                kind: org.kind,
                categories: vec![DataCategory::PersonalDetails],
                basis,
            };
            let d = authz.decide(&sw, action, &record);
            assert_eq!(d.allowed, named, "{} → {} ({:?}): {}", p.id(), org.slug, org.kind, d.explanation);
            checked += 1;
        }
    }
    assert!(checked > 5 * 60, "every notice against every organisation: {checked}");
}
