use super::*;

fn principal(role: Role, teams: Vec<TeamId>) -> Principal {
    Principal { id: UserId::new(), role, org: OrgId::new(), teams, active: true }
}

#[test]
fn the_foundation_policies_validate_against_the_schema() {
    let a = Authorizer::foundation().unwrap();
    assert!(a.policy_ids().contains(&"allocated-team".to_string()));
}

#[test]
fn a_policy_that_does_not_fit_the_schema_is_rejected() {
    let bad = r#"@id("bad") permit(principal, action == Harbour::Action::"read", resource is Harbour::Person) when { principal.shoe_size > 3 };"#;
    assert!(matches!(Authorizer::from_sources(SCHEMA, &[bad]), Err(PolicyError::Validation(_))));
    let no_id = r#"permit(principal, action, resource);"#;
    assert!(matches!(Authorizer::from_sources(SCHEMA, &[no_id]), Err(PolicyError::MissingId(_))));
}

#[test]
fn a_practitioner_reads_only_people_allocated_to_their_team() {
    let a = Authorizer::foundation().unwrap();
    let mine = TeamId::new();
    let other = TeamId::new();
    let sw = principal(Role::Practitioner, vec![mine]);
    let allocated = Resource::Person { id: PersonId::new(), teams: vec![mine, other] };
    let elsewhere = Resource::Person { id: PersonId::new(), teams: vec![other] };
    let d = a.decide(&sw, Action::Read, &allocated);
    assert!(d.allowed);
    assert_eq!(d.policy_ids, vec!["allocated-team"]);
    assert!(d.explanation.contains("allocated to their team"));
    let d = a.decide(&sw, Action::Write, &elsewhere);
    assert!(!d.allowed);
    assert!(d.policy_ids.is_empty());
    assert!(d.explanation.starts_with("refused: no rule"));
}

#[test]
fn role_table() {
    let a = Authorizer::foundation().unwrap();
    let team = TeamId::new();
    let person = Resource::Person { id: PersonId::new(), teams: vec![team] };
    // (role, action, resource, allowed)
    let cases = [
        (Role::Hub, Action::Write, &person, true),
        (Role::Dpo, Action::Read, &person, true),
        (Role::Dpo, Action::Write, &person, false),
        (Role::CaldicottGuardian, Action::Read, &person, true),
        (Role::RecordsManager, Action::Read, &person, true),
        (Role::PartnerPractitioner, Action::Read, &person, false),
        (Role::DhrPanel, Action::Read, &person, false),
        (Role::Auditor, Action::Read, &person, false),
        (Role::Admin, Action::Read, &person, false),
        (Role::Admin, Action::ManageUsers, &Resource::System, true),
        (Role::Practitioner, Action::ManageUsers, &Resource::System, false),
        (Role::Practitioner, Action::CreatePerson, &Resource::System, true),
        (Role::PartnerPractitioner, Action::CreatePerson, &Resource::System, false),
        (Role::Auditor, Action::ReadAudit, &Resource::System, true),
        (Role::Practitioner, Action::ReadDirectory, &Resource::System, true),
    ];
    for (role, action, resource, allowed) in cases {
        // An admin in the same team still may not read: the forbid wins.
        let p = principal(role, vec![team]);
        assert_eq!(a.decide(&p, action, resource).allowed, allowed, "{role:?} {action:?}");
    }
}

#[test]
fn forbids_win_and_are_named() {
    let a = Authorizer::foundation().unwrap();
    let team = TeamId::new();
    let mut p = principal(Role::Practitioner, vec![team]);
    p.active = false;
    let d = a.decide(&p, Action::Read, &Resource::Person { id: PersonId::new(), teams: vec![team] });
    assert!(!d.allowed);
    assert_eq!(d.policy_ids, vec!["inactive-accounts"]);
    let admin = principal(Role::Admin, vec![]);
    let d = a.decide(&admin, Action::Read, &Resource::Person { id: PersonId::new(), teams: vec![] });
    assert_eq!(d.policy_ids, vec!["admin-reads-no-case-records"]);
}
