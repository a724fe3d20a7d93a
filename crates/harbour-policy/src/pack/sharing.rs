//! The checks a sharing decision must pass against a notice before anything is disclosed
//! (issue 5, point 3). Each refusal names the clause of the notice that is missing or broken.
//! This is the notice side only: whether the user may share at all is the authorizer's
//! `disclose` decision, and recording the decision is the caller's.

use harbour_domain::{Agreement, ConsentPosition, DataCategory, FamilyPosition, OrgCategory, RecordClass};
use jiff::civil::Date;

use super::{CategoryKind, PolicyPack};

/// What a practitioner proposes to share, in the notice's terms.
#[derive(Debug, Clone)]
pub struct ProposedShare<'a> {
    pub recipient: OrgCategory,
    /// The agreement relied on, if any (its parties are checked by the caller).
    pub agreement: Option<&'a Agreement>,
    pub categories: Vec<DataCategory>,
    /// The record classes of the episodes the shared entries come from.
    pub record_classes: Vec<RecordClass>,
    /// The notice's purpose id.
    pub purpose: String,
    /// The notice's statute id.
    pub statute: String,
    /// UK GDPR Art 6 basis, e.g. "6(1)(e)".
    pub basis: String,
    /// The notice's condition id for special-category or criminal-offence data.
    pub condition: Option<String>,
    pub consent: ConsentPosition,
    /// The notice's ground for sharing without consent (`[[sharing.without_consent]]` id).
    pub without_consent_ground: Option<String>,
    pub family: FamilyPosition,
    pub on: Date,
}

/// What the notice says about an acceptable proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareCheck {
    /// The clauses the decision relies on, for the record.
    pub clauses: Vec<String>,
    /// Whether the notice says the Caldicott Guardian must approve it first.
    pub needs_guardian: bool,
}

/// Why the notice does not allow a proposal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{notice}: {recipient} organisations are not among \"{clause}\" and no agreement in force covers them")]
    RecipientNotListed { notice: String, clause: String, recipient: String },
    #[error(transparent)]
    AgreementNotInForce(#[from] harbour_domain::AgreementError),
    #[error("agreement {agreement} does not cover {categories:?}")]
    OutsideAgreement { agreement: String, categories: Vec<&'static str> },
    #[error("{notice}: {recipient} organisations may not receive {categories:?} under \"{clause}\"")]
    CategoriesNotForRecipient { notice: String, clause: String, recipient: String, categories: Vec<&'static str> },
    #[error("{notice} covers only {covered:?} records; entries from {class} records fall under another notice")]
    ClassNotCovered { notice: String, class: &'static str, covered: Vec<String> },
    #[error("{notice}: {what} {id:?} is not one of the notice's {what}s ({allowed:?})")]
    NotInNotice { notice: String, what: &'static str, id: String, allowed: Vec<String> },
    #[error("{notice}: Art {basis} is not one of the notice's lawful bases")]
    BasisNotInNotice { notice: String, basis: String },
    #[error("{notice}: {category} is special-category or criminal-offence data and needs one of its conditions ({allowed:?})")]
    ConditionMissing { notice: String, category: &'static str, allowed: Vec<String> },
    #[error("{notice}: sharing without consent needs one of the notice's grounds ({allowed:?})")]
    NoGroundWithoutConsent { notice: String, allowed: Vec<String> },
    #[error("{notice}: {exemption:?} is not one of the notice's reasons for not telling the family ({allowed:?})")]
    UnknownExemption { notice: String, exemption: String, allowed: Vec<String> },
    #[error("{notice}: the exemption {exemption:?} must be reviewed within {days} days, by {latest}")]
    ReviewTooLate { notice: String, exemption: String, days: u32, latest: Date },
}

fn codes(cs: &[DataCategory]) -> Vec<&'static str> {
    cs.iter().map(|c| c.code()).collect()
}

/// Checks a proposal against the notice. Refusals are in the order a practitioner would fix
/// them: who to, what, on what basis, consent, the family.
pub fn check_share(pack: &PolicyPack, p: &ProposedShare<'_>) -> Result<ShareCheck, Refusal> {
    let notice = pack.pack.short_name.clone();
    let covered = pack.record_classes();
    if !covered.is_empty() {
        if let Some(c) = p.record_classes.iter().find(|c| !covered.contains(c.code())) {
            return Err(Refusal::ClassNotCovered { notice, class: c.code(), covered: covered.into_iter().collect() });
        }
    }
    let not_in = |what: &'static str, id: &str, allowed: Vec<String>| -> Result<(), Refusal> {
        if allowed.iter().any(|a| a == id) {
            Ok(())
        } else {
            Err(Refusal::NotInNotice { notice: notice.clone(), what, id: id.to_string(), allowed })
        }
    };
    not_in("purpose", &p.purpose, pack.purposes.iter().map(|x| x.id.get_ref().clone()).collect())?;
    not_in("statute", &p.statute, pack.statutes.iter().map(|x| x.id.get_ref().clone()).collect())?;
    if let Some(c) = &p.condition {
        not_in("condition", c, pack.conditions.iter().map(|x| x.id.get_ref().clone()).collect())?;
    }
    let recipients_clause = pack.heading("recipients");
    let mut clauses = Vec::new();
    let group = pack.recipients.iter().find(|r| r.category.get_ref() == p.recipient.code());
    match (group, p.agreement) {
        (_, Some(agreement)) => {
            agreement.in_force(p.on)?;
            let outside: Vec<DataCategory> =
                p.categories.iter().copied().filter(|c| !agreement.categories.contains(c)).collect();
            if !outside.is_empty() {
                return Err(Refusal::OutsideAgreement {
                    agreement: agreement.reference.clone(),
                    categories: codes(&outside),
                });
            }
            clauses.push(format!("agreement {}", agreement.reference));
        }
        (Some(g), None) => {
            let allowed = pack.recipient_codes(g);
            let outside: Vec<DataCategory> =
                p.categories.iter().copied().filter(|c| !allowed.contains(c.code())).collect();
            if !outside.is_empty() {
                return Err(Refusal::CategoriesNotForRecipient {
                    notice,
                    clause: format!("{recipients_clause} — {}", g.heading),
                    recipient: p.recipient.label().into(),
                    categories: codes(&outside),
                });
            }
            clauses.push(format!("{notice} — {recipients_clause} — {}", g.heading));
        }
        (None, None) => {
            return Err(Refusal::RecipientNotListed {
                notice,
                clause: recipients_clause,
                recipient: p.recipient.label().into(),
            })
        }
    }
    if !pack.lawful_bases.iter().any(|b| b.article == p.basis) {
        return Err(Refusal::BasisNotInNotice { notice, basis: p.basis.clone() });
    }
    for c in &p.categories {
        let Some(cat) = pack
            .categories
            .iter()
            .find(|k| k.kind != CategoryKind::Ordinary && k.harbour.iter().any(|h| h.get_ref() == c.code()))
        else {
            continue;
        };
        let allowed: Vec<String> = cat.conditions.iter().map(|x| x.get_ref().clone()).collect();
        if !p.condition.as_ref().is_some_and(|given| allowed.contains(given)) {
            return Err(Refusal::ConditionMissing { notice, category: c.code(), allowed });
        }
    }
    let without_consent = !matches!(p.consent, ConsentPosition::Given { .. });
    if without_consent {
        let allowed: Vec<String> = pack.sharing.without_consent.iter().map(|g| g.id.get_ref().clone()).collect();
        match &p.without_consent_ground {
            Some(g) if allowed.contains(g) => clauses.push(format!("{notice} — sharing without consent — {g}")),
            _ => return Err(Refusal::NoGroundWithoutConsent { notice, allowed }),
        }
    }
    if let FamilyPosition::Exempt { exemption, review_on } = &p.family {
        let allowed: Vec<String> = pack.telling_the_family.exemptions.iter().map(|e| e.id.get_ref().clone()).collect();
        let Some(e) = pack.telling_the_family.exemptions.iter().find(|e| e.id.get_ref() == exemption) else {
            return Err(Refusal::UnknownExemption { notice, exemption: exemption.clone(), allowed });
        };
        let latest = p.on + jiff::Span::new().days(i64::from(e.review_days));
        if *review_on > latest || *review_on < p.on {
            return Err(Refusal::ReviewTooLate { notice, exemption: exemption.clone(), days: e.review_days, latest });
        }
        clauses.push(format!("{notice} — telling the family — exemption {exemption}"));
    }
    let needs_guardian = pack.guardian_approval.iter().any(|rule| {
        (!rule.without_consent || without_consent)
            && pack
                .harbour_codes(rule.categories.iter().map(|c| c.get_ref().as_str()))
                .iter()
                .any(|code| p.categories.iter().any(|c| c.code() == code))
    });
    Ok(ShareCheck { clauses, needs_guardian })
}

#[cfg(test)]
mod tests {
    use super::*;
    use harbour_domain::{AgreementId, OrgId};
    use jiff::civil::date;

    fn bcp() -> PolicyPack {
        crate::built_in_packs().unwrap().into_iter().find(|p| p.id() == "bcp-childrens-services").unwrap()
    }

    fn base() -> ProposedShare<'static> {
        ProposedShare {
            recipient: OrgCategory::Health,
            agreement: None,
            categories: vec![DataCategory::PersonalDetails],
            record_classes: vec![RecordClass::ChildInNeed],
            purpose: "protecting-children".into(),
            statute: "children-acts-1989-2004".into(),
            basis: "6(1)(e)".into(),
            condition: None,
            consent: ConsentPosition::Given { from: "mother".into() },
            without_consent_ground: None,
            family: FamilyPosition::Told { who: "mother".into(), when: date(2026, 11, 23), how: "phone".into() },
            on: date(2026, 11, 23),
        }
    }

    #[test]
    fn a_proper_share_passes_and_names_its_clauses() {
        let ok = check_share(&bcp(), &base()).unwrap();
        assert_eq!(
            ok.clauses,
            vec!["BCP Children's Services notice — Who we may share your information with — Health"]
        );
        assert!(!ok.needs_guardian);
    }

    #[test]
    fn every_refusal_names_what_is_missing() {
        let pack = bcp();
        let cases: Vec<(ProposedShare<'static>, &str)> = vec![
            (
                ProposedShare {
                    categories: vec![DataCategory::CriminalOffence],
                    recipient: OrgCategory::FinancialAndHousing,
                    ..base()
                },
                "may not receive [\"criminal_offence\"]",
            ),
            (
                ProposedShare { basis: "6(1)(f)".into(), ..base() },
                "Art 6(1)(f) is not one of the notice's lawful bases",
            ),
            (
                ProposedShare { categories: vec![DataCategory::PhysicalOrMentalHealth], ..base() },
                "needs one of its conditions",
            ),
            (
                ProposedShare {
                    categories: vec![DataCategory::PhysicalOrMentalHealth],
                    condition: Some("made-up".into()),
                    ..base()
                },
                "condition \"made-up\" is not one of the notice's conditions",
            ),
            (ProposedShare { purpose: "curiosity".into(), ..base() }, "purpose \"curiosity\" is not one of"),
            (ProposedShare { statute: "magna-carta".into(), ..base() }, "statute \"magna-carta\" is not one of"),
            (
                ProposedShare { consent: ConsentPosition::Refused { from: "father".into() }, ..base() },
                "sharing without consent needs one of the notice's grounds",
            ),
            (
                ProposedShare {
                    consent: ConsentPosition::NotSought { reason: "urgent".into() },
                    without_consent_ground: Some("because".into()),
                    ..base()
                },
                "sharing without consent needs",
            ),
            (
                ProposedShare {
                    family: FamilyPosition::Exempt { exemption: "inconvenient".into(), review_on: date(2026, 12, 1) },
                    ..base()
                },
                "is not one of the notice's reasons for not telling the family",
            ),
            (
                ProposedShare {
                    family: FamilyPosition::Exempt { exemption: "risk-of-harm".into(), review_on: date(2027, 6, 1) },
                    ..base()
                },
                "must be reviewed within 90 days",
            ),
        ];
        for (proposal, needle) in cases {
            let refusal = check_share(&pack, &proposal).unwrap_err().to_string();
            assert!(refusal.contains(needle), "{needle}: {refusal}");
            assert!(refusal.starts_with("BCP Children's Services notice"), "{refusal}");
        }
    }

    #[test]
    fn a_recipient_the_notice_does_not_list_is_refused() {
        let da = crate::built_in_packs().unwrap().into_iter().find(|p| p.id() == "domestic-abuse-sharing").unwrap();
        let p = ProposedShare {
            recipient: OrgCategory::GovernmentDepartments,
            record_classes: vec![RecordClass::DomesticAbuseNotification],
            purpose: "keep-safe".into(),
            statute: "children-act-2004-s10".into(),
            ..base()
        };
        let refusal = check_share(&da, &p).unwrap_err();
        assert!(matches!(refusal, Refusal::RecipientNotListed { .. }));
        assert!(refusal.to_string().contains("Government Departments organisations are not among"), "{refusal}");
        let child_in_need =
            ProposedShare { recipient: OrgCategory::Legal, record_classes: vec![RecordClass::ChildInNeed], ..p };
        let refusal = check_share(&da, &child_in_need).unwrap_err().to_string();
        assert!(
            refusal.contains("covers only [\"domestic_abuse_notification\"] records; entries from child_in_need"),
            "{refusal}"
        );
    }

    #[test]
    fn health_data_without_consent_waits_for_the_caldicott_guardian() {
        let pack = bcp();
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
        let with_consent = ProposedShare {
            consent: ConsentPosition::Given { from: "the young person".into() },
            without_consent_ground: None,
            ..p
        };
        assert!(!check_share(&pack, &with_consent).unwrap().needs_guardian, "with consent the Guardian is not needed");
    }

    #[test]
    fn an_agreement_covers_only_its_term_and_its_categories() {
        let pack = bcp();
        let agreement = Agreement {
            id: AgreementId::new(),
            reference: "PISA-7".into(),
            title: "t".into(),
            parties: vec![OrgId::new(), OrgId::new()],
            purposes: vec!["p".into()],
            categories: vec![DataCategory::PersonalDetails, DataCategory::CriminalOffence],
            lawful_bases: vec!["6(1)(e)".into()],
            starts_on: date(2026, 1, 1),
            ends_on: Some(date(2026, 6, 30)),
            review_on: date(2026, 3, 1),
        };
        let agreement: &'static Agreement = Box::leak(Box::new(agreement));
        let within = ProposedShare {
            recipient: OrgCategory::OtherServices,
            agreement: Some(agreement),
            on: date(2026, 3, 1),
            ..base()
        };
        assert_eq!(check_share(&pack, &within).unwrap().clauses, vec!["agreement PISA-7"]);
        let expired = ProposedShare { on: date(2026, 11, 23), ..within.clone() };
        assert!(check_share(&pack, &expired).unwrap_err().to_string().contains("PISA-7 expired on 2026-06-30"));
        let outside = ProposedShare { categories: vec![DataCategory::Ethnicity], ..within };
        assert!(check_share(&pack, &outside).unwrap_err().to_string().contains("does not cover [\"ethnicity\"]"));
    }
}
