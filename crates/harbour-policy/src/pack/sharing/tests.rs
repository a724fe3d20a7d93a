use super::*;
use harbour_domain::{AgreementId, ConsentId, ControllerRole, OrgId, OrgKind};
use jiff::civil::date;

fn pack(id: &str) -> PolicyPack {
    crate::built_in_packs().unwrap().into_iter().find(|p| p.id() == id).unwrap()
}

fn org(slug: &str, kind: OrgKind) -> &'static Organisation {
    Box::leak(Box::new(Organisation {
        id: OrgId::new(),
        slug: slug.into(),
        name: format!("{slug} (test)"),
        kind,
        category: kind.category(),
        controller_role: ControllerRole::Controller,
        charter_signatory: true,
        operator: false,
    }))
}

fn given() -> ConsentPosition {
    ConsentPosition::Given { consent_ids: vec![ConsentId::new()], from: None }
}

fn base() -> ProposedShare<'static> {
    ProposedShare {
        recipient: org("nhs", OrgKind::HealthProvider),
        agreement: None,
        categories: vec![DataCategory::PersonalDetails],
        record_classes: vec![RecordClass::ChildInNeed],
        people: vec![(PersonId::new(), vec![RecordClass::ChildInNeed])],
        person_fields: vec![PersonField::Name],
        entry_fields: vec![EntryField::Subject],
        whole_record: false,
        purpose: "protecting-children".into(),
        statute: "children-acts-1989-2004".into(),
        basis: "6(1)(e)".into(),
        condition: None,
        consent: given(),
        without_consent_ground: None,
        family: FamilyPosition::Told { who: "mother".into(), when: date(2026, 11, 23), how: "phone".into() },
        on: date(2026, 11, 23),
        expires_on: None,
    }
}

/// A CSE record's alleged-offence entry, proposed under the CSE notice (seed 001).
fn cse_offence(to: &'static Organisation) -> ProposedShare<'static> {
    ProposedShare {
        recipient: to,
        categories: vec![DataCategory::CriminalOffence],
        record_classes: vec![RecordClass::ChildSexualExploitation],
        people: vec![(PersonId::new(), vec![RecordClass::ChildSexualExploitation])],
        purpose: "prevent-disrupt-detect".into(),
        statute: "crime-and-disorder-act-1998-s115".into(),
        condition: Some("crime-prevention".into()),
        ..base()
    }
}

#[test]
fn a_proper_share_passes_and_says_which_entry_named_the_recipient_and_why() {
    let ok = check_share(&pack("bcp-childrens-services"), &base()).unwrap();
    assert_eq!(ok.clauses, vec!["BCP Children's Services notice — Who we may share your information with — Health"]);
    assert_eq!(ok.matched.entry, "health");
    assert_eq!(
        ok.matched.reason,
        "nhs (test) is a health service providing care (NHS, GP, health visiting, midwifery, school nursing), which the entry \"Health\" covers"
    );
    assert!(!ok.needs_guardian);
}

// Finding 1: the CSE notice names Police, Health, two named councils' social care, local
// authority housing and education. Nobody else is covered, whatever seed 002's row they sit in.
#[test]
fn the_cse_notice_reaches_only_the_partners_it_names() {
    let cse = pack("cse-sharing");
    for (slug, kind) in [
        ("supported-lodgings", OrgKind::SupportedLodgings),
        ("secure-accommodation", OrgKind::SecureAccommodation),
        ("dbs", OrgKind::BarringService),
        ("hmcts", OrgKind::CourtService),
        ("legal-services", OrgKind::LegalServices),
        ("probation", OrgKind::Probation),
        ("childrens-homes", OrgKind::ChildrensHome),
        ("other-council-social-care", OrgKind::ChildrensSocialCare),
        ("new-org", OrgKind::Unclassified),
    ] {
        let refusal = check_share(&cse, &cse_offence(org(slug, kind))).unwrap_err();
        assert!(matches!(refusal, Refusal::RecipientNotListed { .. }), "{slug}: {refusal}");
        assert_eq!(refusal.clause_id(&cse), "cse-sharing/v2/recipients");
    }
    let police = check_share(&cse, &cse_offence(org("dorset-police", OrgKind::PoliceForce))).unwrap();
    assert_eq!(police.matched.entry, "police");
    let named = org("dorset-county-council-social-care", OrgKind::ChildrensSocialCare);
    let dorset = check_share(&cse, &cse_offence(named)).unwrap();
    assert_eq!(dorset.matched.entry, "dorset-social-care");
    assert!(dorset.matched.reason.contains("is named in the entry \"Dorset County Council Social Care\""));
}

// Finding 1, seed 000: the police account goes to the police, not to courts, the DBS or a
// children's home.
#[test]
fn the_domestic_abuse_notice_keeps_the_police_account_with_the_police() {
    let da = pack("domestic-abuse-sharing");
    let p = |to| ProposedShare {
        recipient: to,
        categories: vec![DataCategory::CriminalOffence, DataCategory::ChildProtection],
        record_classes: vec![RecordClass::DomesticAbuseNotification],
        people: vec![(PersonId::new(), vec![RecordClass::DomesticAbuseNotification])],
        purpose: "keep-safe".into(),
        statute: "children-act-2004-s10".into(),
        condition: Some("crime-safeguarding".into()),
        ..base()
    };
    for (slug, kind) in [
        ("court-services", OrgKind::CourtService),
        ("dbs", OrgKind::BarringService),
        ("childrens-homes", OrgKind::ChildrensHome),
    ] {
        assert!(matches!(check_share(&da, &p(org(slug, kind))), Err(Refusal::RecipientNotListed { .. })), "{slug}");
    }
    assert!(check_share(&da, &p(org("british-transport-police", OrgKind::PoliceForce))).is_ok());
}

// Finding 2: an agreement narrows what a named recipient receives; it never adds one.
#[test]
fn an_agreement_never_widens_the_notice() {
    let cse = pack("cse-sharing");
    let dwp = org("dwp", OrgKind::GovernmentDepartment);
    let fraud = Agreement {
        id: AgreementId::new(),
        reference: "PISA-FRAUD".into(),
        title: "t".into(),
        parties: vec![OrgId::new(), dwp.id],
        purposes: vec!["fraud".into()],
        categories: vec![DataCategory::PersonalDetails, DataCategory::CriminalOffence],
        lawful_bases: vec!["6(1)(e)".into()],
        starts_on: date(2026, 1, 1),
        ends_on: None,
        review_on: date(2026, 6, 1),
    };
    let fraud: &'static Agreement = Box::leak(Box::new(fraud));
    let refusal = check_share(&cse, &ProposedShare { agreement: Some(fraud), ..cse_offence(dwp) }).unwrap_err();
    assert!(matches!(refusal, Refusal::RecipientNotListed { .. }), "{refusal}");
    assert!(refusal.to_string().contains("an agreement cannot add a recipient"), "{refusal}");

    // With a named recipient the agreement applies on top of the notice.
    let police = org("dorset-police", OrgKind::PoliceForce);
    let narrow =
        Agreement { reference: "PISA-NARROW".into(), categories: vec![DataCategory::PersonalDetails], ..fraud.clone() };
    let narrow: &'static Agreement = Box::leak(Box::new(narrow));
    let refusal =
        check_share(&cse, &ProposedShare { agreement: Some(narrow), ..cse_offence(police) }).unwrap_err().to_string();
    assert!(refusal.contains("PISA-NARROW does not cover [\"criminal_offence\"]"), "{refusal}");
    let within = ProposedShare {
        agreement: Some(narrow),
        categories: vec![DataCategory::PersonalDetails],
        ..cse_offence(police)
    };
    let ok = check_share(&cse, &within).unwrap();
    assert_eq!(ok.clauses[0], "CSE sharing notice — Who we may share your information with — Police");
    assert!(ok.clauses.contains(&"agreement PISA-NARROW".to_string()));
    // An agreement cannot add a category the notice does not give the recipient either.
    let housing = org("la-housing-services", OrgKind::LaHousing);
    let refusal = check_share(&cse, &ProposedShare { agreement: Some(fraud), ..cse_offence(housing) }).unwrap_err();
    assert!(matches!(refusal, Refusal::CategoriesNotForRecipient { .. }), "{refusal}");
    let expired = Agreement { ends_on: Some(date(2026, 6, 30)), ..narrow.clone() };
    let expired: &'static Agreement = Box::leak(Box::new(expired));
    let late = ProposedShare { agreement: Some(expired), ..within };
    assert!(check_share(&cse, &late).unwrap_err().to_string().contains("PISA-NARROW expired on 2026-06-30"));
}

// Finding 6: a notice decides only for its own processing.
#[test]
fn the_review_notice_shares_no_case_record_and_narrow_notices_only_their_own() {
    let dhr = pack("dorset-csp-dhr");
    let p = ProposedShare {
        recipient: org("dorset-police", OrgKind::PoliceForce),
        record_classes: vec![RecordClass::ChildProtectionPlan],
        people: vec![(PersonId::new(), vec![RecordClass::ChildProtectionPlan])],
        purpose: "establish-lessons".into(),
        statute: "dvcva-2004-s9".into(),
        family: FamilyPosition::Exempt {
            exemption: "compelling-reasons-not-to-publish".into(),
            review_on: date(2026, 12, 1),
        },
        ..base()
    };
    let refusal = check_share(&dhr, &p).unwrap_err();
    assert!(matches!(refusal, Refusal::ReviewsOnly { .. }), "{refusal}");
    assert_eq!(refusal.clause_id(&dhr), "dorset-csp-dhr/v2/scope");

    // The domestic abuse notice: not a child in need entry, and not about someone whose record
    // it does not hold, even for their name alone.
    let da = pack("domestic-abuse-sharing");
    let police = org("dorset-police", OrgKind::PoliceForce);
    let da_share = |classes: Vec<RecordClass>, people: Vec<RecordClass>| ProposedShare {
        recipient: police,
        record_classes: classes,
        people: vec![(PersonId::new(), people)],
        purpose: "keep-safe".into(),
        statute: "children-act-2004-s10".into(),
        ..base()
    };
    let refusal = check_share(&da, &da_share(vec![RecordClass::ChildInNeed], vec![RecordClass::ChildInNeed]));
    assert!(matches!(refusal, Err(Refusal::ClassNotCovered { .. })));
    let refusal = check_share(&da, &da_share(vec![], vec![RecordClass::ChildInNeed])).unwrap_err();
    assert!(matches!(refusal, Refusal::PersonNotHeld { .. }), "{refusal}");
    let held = da_share(vec![], vec![RecordClass::ChildInNeed, RecordClass::DomesticAbuseNotification]);
    assert!(check_share(&da, &held).is_ok());
}

// Finding 6: CP-IS carries a flag, never a worker's analysis, an address or a pupil number.
#[test]
fn cp_is_never_receives_more_than_its_data_set() {
    let bcp = pack("bcp-childrens-services");
    let cpis = org("cp-is", OrgKind::CpIs);
    let flag = ProposedShare {
        recipient: cpis,
        record_classes: vec![],
        categories: vec![DataCategory::PersonalDetails],
        person_fields: vec![PersonField::Name, PersonField::DateOfBirth, PersonField::NhsNumber],
        entry_fields: vec![],
        ..base()
    };
    let ok = check_share(&bcp, &flag).unwrap();
    assert!(ok.clauses.iter().any(|c| c.ends_with("fixed data set cp-is")), "{:?}", ok.clauses);
    for (change, excess) in [
        (ProposedShare { person_fields: vec![PersonField::Address], ..flag.clone() }, "the person's address"),
        (ProposedShare { person_fields: vec![PersonField::Upn], ..flag.clone() }, "the person's upn"),
        (
            ProposedShare {
                entry_fields: vec![EntryField::Detail],
                categories: vec![DataCategory::AssessmentAndPlans],
                ..flag.clone()
            },
            "an entry's detail",
        ),
        (ProposedShare { whole_record: true, ..flag.clone() }, "the whole record"),
    ] {
        let refusal = check_share(&bcp, &change).unwrap_err();
        assert!(matches!(refusal, Refusal::OutsideDataSet { .. }), "{refusal}");
        assert!(refusal.to_string().contains(excess), "{excess}: {refusal}");
    }
    // The rest of the "Children's" row is not held to CP-IS's set.
    let cafcass = ProposedShare {
        recipient: org("cafcass", OrgKind::Cafcass),
        person_fields: vec![PersonField::Address],
        ..flag
    };
    assert!(check_share(&bcp, &cafcass).is_ok());
}

#[test]
fn a_school_keeps_a_domestic_abuse_notice_only_for_the_set_period() {
    let da = pack("domestic-abuse-sharing");
    let school = ProposedShare {
        recipient: org("harbourside-academy", OrgKind::School),
        categories: vec![DataCategory::PersonalDetails, DataCategory::ChildProtection],
        record_classes: vec![RecordClass::DomesticAbuseNotification],
        people: vec![(PersonId::new(), vec![RecordClass::DomesticAbuseNotification])],
        purpose: "keep-safe".into(),
        statute: "children-act-2004-s10".into(),
        ..base()
    };
    let ok = check_share(&da, &school).unwrap();
    assert_eq!(ok.access_until, Some(date(2026, 12, 21)), "28 days from 23 November");
    let long = ProposedShare { expires_on: Some(date(2027, 1, 31)), ..school };
    let refusal = check_share(&da, &long).unwrap_err().to_string();
    assert!(refusal.contains("keep access for 28 days; the expiry must be on or before 2026-12-21"), "{refusal}");
}

#[test]
fn every_refusal_names_what_is_missing() {
    let pack = pack("bcp-childrens-services");
    let housing = org("housing-associations", OrgKind::HousingAssociation);
    let cases: Vec<(ProposedShare<'static>, &str, &str)> = vec![
        (
            ProposedShare { categories: vec![DataCategory::CriminalOffence], recipient: housing, ..base() },
            "housing-associations (test) may not receive [\"criminal_offence\"]",
            "recipients",
        ),
        (ProposedShare { basis: "6(1)(f)".into(), ..base() }, "Art 6(1)(f) is not one of the notice's lawful bases", "lawful_bases"),
        (
            ProposedShare { basis: "6(1)(a)".into(), recipient: org("dorset-police", OrgKind::PoliceForce), ..base() },
            "Art 6(1)(a) is not one of the bases \"BCP Children's Services notice — Who we may share your information with — Legal\"",
            "recipients",
        ),
        (
            ProposedShare {
                basis: "6(1)(a)".into(),
                recipient: org("nspcc", OrgKind::ChildrensCharity),
                consent: ConsentPosition::NotSought { reason: "x".into() },
                without_consent_ground: Some("child-harm".into()),
                ..base()
            },
            "sharing on that basis needs consent given",
            "lawful_bases",
        ),
        (
            ProposedShare { categories: vec![DataCategory::PhysicalOrMentalHealth], ..base() },
            "needs one of its conditions",
            "conditions",
        ),
        (
            ProposedShare {
                categories: vec![DataCategory::PhysicalOrMentalHealth],
                condition: Some("made-up".into()),
                ..base()
            },
            "condition \"made-up\" is not one of the notice's conditions",
            "conditions",
        ),
        (ProposedShare { purpose: "curiosity".into(), ..base() }, "purpose \"curiosity\" is not one of", "purposes"),
        (ProposedShare { statute: "magna-carta".into(), ..base() }, "statute \"magna-carta\" is not one of", "statutes"),
        (
            ProposedShare { consent: ConsentPosition::Refused { from: "father".into() }, ..base() },
            "sharing without consent needs one of the notice's grounds",
            "sharing/without_consent",
        ),
        (
            ProposedShare {
                consent: ConsentPosition::NotSought { reason: "urgent".into() },
                without_consent_ground: Some("because".into()),
                ..base()
            },
            "sharing without consent needs",
            "sharing/without_consent",
        ),
        (
            ProposedShare {
                family: FamilyPosition::Exempt { exemption: "inconvenient".into(), review_on: date(2026, 12, 1) },
                ..base()
            },
            "is not one of the notice's reasons for not telling the family",
            "telling_the_family",
        ),
        (
            ProposedShare {
                family: FamilyPosition::Exempt { exemption: "risk-of-harm".into(), review_on: date(2027, 6, 1) },
                ..base()
            },
            "must be reviewed within 90 days",
            "telling_the_family",
        ),
    ];
    for (proposal, needle, part) in cases {
        let refusal = check_share(&pack, &proposal).unwrap_err();
        let text = refusal.to_string();
        assert!(text.contains(needle), "{needle}: {text}");
        assert!(text.starts_with("BCP Children's Services notice"), "{text}");
        assert_eq!(refusal.clause_id(&pack), format!("bcp-childrens-services/v3/{part}"), "{text}");
    }
}

#[test]
fn health_data_without_consent_waits_for_the_caldicott_guardian() {
    let pack = pack("bcp-childrens-services");
    let p = ProposedShare {
        categories: vec![DataCategory::PhysicalOrMentalHealth],
        condition: Some("safeguarding".into()),
        consent: ConsentPosition::NotSought { reason: "would prejudice the child's protection".into() },
        without_consent_ground: Some("child-harm".into()),
        family: FamilyPosition::Exempt { exemption: "risk-of-harm".into(), review_on: date(2027, 1, 15) },
        ..base()
    };
    let ok = check_share(&pack, &p).unwrap();
    assert!(ok.needs_guardian);
    assert_eq!(ok.clauses.len(), 3, "{:?}", ok.clauses);
    let with_consent = ProposedShare { consent: given(), without_consent_ground: None, ..p };
    assert!(!check_share(&pack, &with_consent).unwrap().needs_guardian, "with consent the Guardian is not needed");
}
