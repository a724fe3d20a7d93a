use super::*;

const BCP_ALLOCATED: &str = "bcp-childrens-services/v3/access/allocated-team";

fn principal(role: Role, teams: Vec<TeamId>) -> Principal {
    Principal {
        id: UserId::new(),
        role,
        org: OrgId::new(),
        org_kind: OrgKind::ChildrensSocialCare,
        teams,
        active: true,
    }
}

fn person(teams: Vec<TeamId>, classes: Vec<RecordClass>) -> Resource {
    Resource::Person { id: PersonId::new(), teams, classes, restricted: false, emergency: vec![] }
}

fn authz() -> Authorizer {
    Authorizer::built_in().unwrap()
}

#[test]
fn the_built_in_packs_and_base_rules_validate_against_the_schema() {
    let a = authz();
    let ids = a.policy_ids();
    assert!(ids.contains(&BCP_ALLOCATED.to_string()));
    assert!(ids.contains(&"dorset-csp-dhr/v2/access/review-panel".to_string()));
    assert!(ids.contains(&"inactive-accounts".to_string()));
}

#[test]
fn a_policy_that_does_not_fit_the_schema_is_rejected() {
    let bad = r#"@id("bad") permit(principal, action == Harbour::Action::"read", resource is Harbour::Person) when { principal.shoe_size > 3 };"#;
    assert!(matches!(Authorizer::from_sources(SCHEMA, &[bad]), Err(PolicyError::Validation(_))));
    let no_id = r#"permit(principal, action, resource);"#;
    assert!(matches!(Authorizer::from_sources(SCHEMA, &[no_id]), Err(PolicyError::MissingId(_))));
}

#[test]
fn a_practitioner_reads_only_people_allocated_to_their_team_and_is_told_which_clause_allows_it() {
    let a = authz();
    let mine = TeamId::new();
    let other = TeamId::new();
    let sw = principal(Role::Practitioner, vec![mine]);
    let d = a.decide(&sw, Action::Read, &person(vec![mine, other], vec![RecordClass::ChildProtectionPlan]));
    assert!(d.allowed);
    assert_eq!(d.policy_ids, vec![BCP_ALLOCATED]);
    assert_eq!(d.pack_versions, vec!["bcp-childrens-services@3"]);
    assert!(
        d.explanation.starts_with("allowed: BCP Children's Services notice — Who can see your records"),
        "{}",
        d.explanation
    );
    let d = a.decide(&sw, Action::Write, &person(vec![other], vec![RecordClass::ChildProtectionPlan]));
    assert!(!d.allowed);
    assert!(d.policy_ids.is_empty());
    assert!(d.explanation.starts_with("refused: no notice clause lets a practitioner write"), "{}", d.explanation);
}

#[test]
fn the_narrower_notices_apply_only_to_their_own_records() {
    let a = authz();
    let team = TeamId::new();
    let sw = principal(Role::Practitioner, vec![team]);
    let da = a.decide(&sw, Action::Read, &person(vec![team], vec![RecordClass::DomesticAbuseNotification]));
    assert!(da.pack_versions.contains(&"domestic-abuse-sharing@2".to_string()), "{:?}", da.pack_versions);
    assert!(!da.pack_versions.contains(&"cse-sharing@2".to_string()));
    let cse = a.decide(&sw, Action::Read, &person(vec![team], vec![RecordClass::ChildSexualExploitation]));
    assert!(cse.pack_versions.contains(&"cse-sharing@2".to_string()));
    assert!(!cse.pack_versions.contains(&"domestic-abuse-sharing@2".to_string()));
}

#[test]
fn role_table() {
    let a = authz();
    let team = TeamId::new();
    let record = person(vec![team], vec![RecordClass::ChildInNeed]);
    // (role, action, resource, allowed)
    let cases = [
        (Role::Hub, Action::Write, &record, true),
        (Role::Dpo, Action::Read, &record, true),
        (Role::Dpo, Action::Write, &record, false),
        (Role::CaldicottGuardian, Action::Read, &record, true),
        (Role::RecordsManager, Action::Read, &record, true),
        (Role::PartnerPractitioner, Action::Read, &record, false),
        (Role::DhrPanel, Action::Read, &record, false),
        (Role::Auditor, Action::Read, &record, false),
        (Role::Admin, Action::Read, &record, false),
        (Role::Admin, Action::ManageUsers, &Resource::System, true),
        (Role::Practitioner, Action::ManageUsers, &Resource::System, false),
        (Role::Practitioner, Action::CreatePerson, &Resource::System, true),
        (Role::PartnerPractitioner, Action::CreatePerson, &Resource::System, false),
        (Role::Auditor, Action::ReadAudit, &Resource::System, true),
        (Role::Practitioner, Action::ReadDirectory, &Resource::System, true),
        (Role::Dpo, Action::Export { anonymised: true }, &Resource::System, true),
        (Role::Dpo, Action::Export { anonymised: false }, &Resource::System, false),
        (Role::Practitioner, Action::Export { anonymised: true }, &Resource::System, false),
    ];
    for (role, action, resource, allowed) in cases {
        // Everyone is in the record's team: the role alone decides.
        let p = principal(role, vec![team]);
        let label = format!("{role:?} {action:?}");
        assert_eq!(a.decide(&p, action, resource).allowed, allowed, "{label}");
    }
}

#[test]
fn disclosures_follow_the_notices_sharing_tables() {
    let a = authz();
    let team = TeamId::new();
    let sw = principal(Role::Practitioner, vec![team]);
    let record = person(vec![team], vec![RecordClass::ChildProtectionPlan]);
    let to = |notice: &str, slug: &str, kind: OrgKind, categories: Vec<DataCategory>| Action::Disclose {
        notice: notice.into(),
        recipient: slug.into(),
        kind,
        categories,
        basis: "6(1)(e)".into(),
    };
    let bcp = "bcp-childrens-services";
    let d = a.decide(&sw, to(bcp, "nhs", OrgKind::HealthProvider, vec![DataCategory::PhysicalOrMentalHealth]), &record);
    assert!(d.allowed, "{}", d.explanation);
    assert!(d.policy_ids.contains(&"bcp-childrens-services/v3/recipients/health".to_string()));
    assert!(
        d.explanation.contains("BCP Children's Services notice — Who we may share your information with — Health"),
        "{}",
        d.explanation
    );
    let housing = to(bcp, "housing-associations", OrgKind::HousingAssociation, vec![DataCategory::CriminalOffence]);
    let d = a.decide(&sw, housing, &record);
    assert!(!d.allowed);
    assert!(
        d.explanation.contains("no clause of the bcp-childrens-services notice lists housing-associations (a housing association) as a recipient of [criminal_offence]"),
        "{}",
        d.explanation
    );
    // Only the notice the decision is made under decides: the CSE notice's "Police" does not
    // cover a child protection record, nor the DBS or a court for any record.
    let cse = "cse-sharing";
    let cse_record = person(vec![team], vec![RecordClass::ChildSexualExploitation]);
    let police = |kind| to(cse, "dorset-police", kind, vec![DataCategory::CriminalOffence]);
    assert!(a.decide(&sw, police(OrgKind::PoliceForce), &cse_record).allowed);
    assert!(!a.decide(&sw, police(OrgKind::PoliceForce), &record).allowed, "not a CSE record");
    for kind in [OrgKind::BarringService, OrgKind::CourtService, OrgKind::Probation, OrgKind::SupportedLodgings] {
        let d = a.decide(&sw, to(cse, "x", kind, vec![DataCategory::CriminalOffence]), &cse_record);
        assert!(!d.allowed, "{kind:?}: {}", d.explanation);
    }
    // The named councils in seed 001 are those two councils, not every local authority body.
    let dorset =
        to(cse, "dorset-county-council-social-care", OrgKind::ChildrensSocialCare, vec![DataCategory::CriminalOffence]);
    assert!(a.decide(&sw, dorset, &cse_record).allowed);
    let other =
        to(cse, "somewhere-else-social-care", OrgKind::ChildrensSocialCare, vec![DataCategory::CriminalOffence]);
    assert!(!a.decide(&sw, other, &cse_record).allowed);
    // Someone without a working relationship to the record cannot share it, whatever the notice says.
    let partner = principal(Role::PartnerPractitioner, vec![TeamId::new()]);
    let d = a.decide(&partner, to(bcp, "nhs", OrgKind::HealthProvider, vec![DataCategory::PersonalDetails]), &record);
    assert!(!d.allowed);
    assert_eq!(d.policy_ids, vec!["disclose-needs-a-working-relationship"]);
}

#[test]
fn forbids_win_and_are_named() {
    let a = authz();
    let team = TeamId::new();
    let mut p = principal(Role::Practitioner, vec![team]);
    p.active = false;
    let d = a.decide(&p, Action::Read, &person(vec![team], vec![]));
    assert!(!d.allowed);
    assert_eq!(d.policy_ids, vec!["inactive-accounts"]);
    let admin = principal(Role::Admin, vec![]);
    let d = a.decide(&admin, Action::Read, &person(vec![], vec![]));
    assert_eq!(d.policy_ids, vec!["admin-reads-no-case-records"]);
}

#[test]
fn a_restricted_record_is_stored_and_nothing_else_until_the_restriction_is_lifted() {
    let a = authz();
    let team = TeamId::new();
    let sw = principal(Role::Practitioner, vec![team]);
    let restricted = Resource::Person {
        id: PersonId::new(),
        teams: vec![team],
        classes: vec![RecordClass::ChildProtectionPlan],
        restricted: true,
        emergency: vec![],
    };
    let share = Action::Disclose {
        notice: "bcp-childrens-services".into(),
        recipient: "nhs".into(),
        kind: OrgKind::HealthProvider,
        categories: vec![DataCategory::PhysicalOrMentalHealth],
        basis: "6(1)(e)".into(),
    };
    for action in [Action::Read, Action::Write, share.clone()] {
        let d = a.decide(&sw, action, &restricted);
        assert!(!d.allowed);
        assert_eq!(d.policy_ids, vec!["restricted-records-are-only-stored"]);
        assert!(d.explanation.contains("Art 18"), "{}", d.explanation);
    }
    // Lifted, the same team works with it again.
    let lifted = person(vec![team], vec![RecordClass::ChildProtectionPlan]);
    assert!(a.decide(&sw, Action::Read, &lifted).allowed);
    assert!(a.decide(&sw, share, &lifted).allowed);
}

#[test]
fn an_emergency_opening_lets_its_practitioner_read_and_record_but_not_share_and_no_one_else() {
    let a = authz();
    let allocated = TeamId::new();
    let out_of_hours = principal(Role::Practitioner, vec![TeamId::new()]);
    let colleague = principal(Role::Practitioner, vec![TeamId::new()]);
    let record = |emergency: Vec<UserId>, restricted: bool| Resource::Person {
        id: PersonId::new(),
        teams: vec![allocated],
        classes: vec![RecordClass::ChildProtectionPlan],
        restricted,
        emergency,
    };
    // Before opening: refused, but the notice's clause lets a practitioner open it.
    let closed = record(vec![], false);
    assert!(!a.decide(&out_of_hours, Action::Read, &closed).allowed);
    let open = a.decide(&out_of_hours, Action::OpenInEmergency, &closed);
    assert!(open.allowed, "{}", open.explanation);
    assert_eq!(open.policy_ids, vec!["bcp-childrens-services/v3/access/emergency/open"]);
    assert!(open.explanation.contains("in an emergency"), "{}", open.explanation);
    // Opened: the opener reads and records under the emergency clause; nobody else does.
    let opened = record(vec![out_of_hours.id], false);
    for action in [Action::Read, Action::Write] {
        let d = a.decide(&out_of_hours, action.clone(), &opened);
        assert!(d.allowed);
        assert_eq!(d.policy_ids, vec!["bcp-childrens-services/v3/access/emergency"]);
        assert!(!a.decide(&colleague, action, &opened).allowed);
    }
    let share = Action::Disclose {
        notice: "bcp-childrens-services".into(),
        recipient: "dorset-police".into(),
        kind: OrgKind::PoliceForce,
        categories: vec![DataCategory::PersonalDetails],
        basis: "6(1)(e)".into(),
    };
    assert!(!a.decide(&out_of_hours, share, &opened).allowed, "an opening never lets its holder share");
    // Roles outside the clause cannot open, and a restricted record cannot be opened at all.
    for role in [Role::PartnerPractitioner, Role::Auditor, Role::Admin, Role::DhrPanel, Role::Dpo] {
        let d = a.decide(&principal(role, vec![]), Action::OpenInEmergency, &closed);
        assert!(!d.allowed, "{role:?}");
        assert!(d.explanation.contains("open a record in an emergency"), "{}", d.explanation);
    }
    let d = a.decide(&out_of_hours, Action::OpenInEmergency, &record(vec![], true));
    assert_eq!(d.policy_ids, vec!["restricted-records-are-only-stored"]);
    assert!(!a.decide(&out_of_hours, Action::Read, &record(vec![out_of_hours.id], true)).allowed);
    // Only the data protection officer reviews openings.
    assert!(a.decide(&principal(Role::Dpo, vec![]), Action::ReviewEmergencyAccess, &Resource::System).allowed);
    assert!(!a.decide(&out_of_hours, Action::ReviewEmergencyAccess, &Resource::System).allowed);
}
