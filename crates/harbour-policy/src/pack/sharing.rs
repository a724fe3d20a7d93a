//! The checks a sharing decision must pass against a notice before anything is disclosed
//! (issues 5 and 11). Each refusal names the clause of the notice that is missing or broken,
//! and [`Refusal::clause_id`] gives it as an id for the ledger.
//!
//! What the notice binds:
//! - **Its own records only** (`[scope]`): a notice about reviews shares no case record; a
//!   notice about some record classes shares only entries from those classes, about people
//!   whose record it governs.
//! - **Named recipients only**: the organisation must be one an entry of the recipients
//!   table names, by kind or by name ([`PolicyPack::recipient_for`]); the decision records
//!   the entry and why it matched.
//! - **Agreements narrow, never widen**: an agreement in force can limit what a named
//!   recipient receives (its categories and bases), never add a recipient or a category.
//! - **Fixed data sets**: a recipient held to a minimum data set (CP-IS) receives no field
//!   outside it, and no whole record.
//!
//! This is the notice side only: whether the user may share at all is the authorizer's
//! `disclose` decision, whether cited consents exist and stand is the caller's (it needs the
//! store), and recording the decision is the caller's.

use std::collections::BTreeSet;

use harbour_domain::{
    Agreement, ConsentPosition, DataCategory, EntryField, FamilyPosition, Organisation, PersonField, PersonId,
    RecipientMatch, RecordClass,
};
use jiff::civil::Date;

use super::{CategoryKind, PolicyPack, RecipientGroup};

/// What a practitioner proposes to share with one organisation, in the notice's terms.
#[derive(Debug, Clone)]
pub struct ProposedShare<'a> {
    pub recipient: &'a Organisation,
    /// The agreement relied on, if any (its parties are checked by the caller).
    pub agreement: Option<&'a Agreement>,
    pub categories: Vec<DataCategory>,
    /// The record classes of the episodes the shared entries come from.
    pub record_classes: Vec<RecordClass>,
    /// Each person shared about, with the record classes their record is held under (their
    /// episodes and their relatives', as the authorizer sees them).
    pub people: Vec<(PersonId, Vec<RecordClass>)>,
    /// Every person field and entry field disclosed, and whether the whole record is.
    pub person_fields: Vec<PersonField>,
    pub entry_fields: Vec<EntryField>,
    pub whole_record: bool,
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
    /// When the recipient's access would end, as proposed.
    pub expires_on: Option<Date>,
}

/// What the notice says about an acceptable proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareCheck {
    /// The clauses the decision relies on, for the record.
    pub clauses: Vec<String>,
    /// The recipients table entry the organisation matched, and why.
    pub matched: RecipientMatch,
    /// Whether the notice says the Caldicott Guardian must approve it first.
    pub needs_guardian: bool,
    /// The latest day the recipient may keep access, where the notice limits it.
    pub access_until: Option<Date>,
}

/// Why the notice does not allow a proposal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{notice} governs the records of Domestic Homicide Reviews (Domestic Abuse Related Death Reviews), not case records; share a case record under the notice that governs it")]
    ReviewsOnly { notice: String },
    #[error("{notice} covers only {covered:?} records; entries from {class} records fall under another notice")]
    ClassNotCovered { notice: String, class: &'static str, covered: Vec<String> },
    #[error("{notice} covers only {covered:?} records, and person {person} has none: their record is not held under this notice")]
    PersonNotHeld { notice: String, person: PersonId, covered: Vec<String> },
    #[error("{notice}: {what} {id:?} is not one of the notice's {what}s ({allowed:?})")]
    NotInNotice { notice: String, what: &'static str, id: String, allowed: Vec<String> },
    #[error("{notice}: {recipient} ({kind}) is not among \"{clause}\": no entry names it or its kind, and an agreement cannot add a recipient")]
    RecipientNotListed { notice: String, clause: String, recipient: String, kind: &'static str },
    #[error("{notice}: {recipient} may not receive {categories:?} under \"{clause}\"")]
    CategoriesNotForRecipient { notice: String, clause: String, recipient: String, categories: Vec<&'static str> },
    #[error("{notice}: Art {basis} is not one of the bases \"{clause}\" relies on ({allowed:?})")]
    BasisNotForRecipient { notice: String, clause: String, basis: String, allowed: Vec<String> },
    #[error(transparent)]
    AgreementNotInForce(#[from] harbour_domain::AgreementError),
    #[error("agreement {agreement} does not cover {categories:?}")]
    OutsideAgreement { agreement: String, categories: Vec<&'static str> },
    #[error("agreement {agreement} does not rely on Art {basis} ({allowed:?})")]
    BasisOutsideAgreement { agreement: String, basis: String, allowed: Vec<String> },
    #[error("{notice}: {recipient} receives only its fixed data set ({set}); {excess} is more than that")]
    OutsideDataSet { notice: String, recipient: String, set: String, excess: String },
    #[error("{notice}: Art {basis} is not one of the notice's lawful bases")]
    BasisNotInNotice { notice: String, basis: String },
    #[error("{notice}: Art 6(1)(a) is consent; sharing on that basis needs consent given, cited from the record")]
    ConsentBasisWithoutConsent { notice: String },
    #[error("{notice}: {category} is special-category or criminal-offence data and needs one of its conditions ({allowed:?})")]
    ConditionMissing { notice: String, category: &'static str, allowed: Vec<String> },
    #[error("{notice}: sharing without consent needs one of the notice's grounds ({allowed:?})")]
    NoGroundWithoutConsent { notice: String, allowed: Vec<String> },
    #[error("{notice}: {exemption:?} is not one of the notice's reasons for not telling the family ({allowed:?})")]
    UnknownExemption { notice: String, exemption: String, allowed: Vec<String> },
    #[error("{notice}: the exemption {exemption:?} must be reviewed within {days} days, by {latest}")]
    ReviewTooLate { notice: String, exemption: String, days: u32, latest: Date },
    #[error(
        "{notice}: \"{clause}\" lets recipients keep access for {days} days; the expiry must be on or before {latest}"
    )]
    AccessTooLong { notice: String, clause: String, days: u32, latest: Date },
}

impl Refusal {
    /// The part of the notice that refused, as an id under the pack's version (for the
    /// ledger): e.g. `cse-sharing/v1/recipients`, `bcp-childrens-services/v1/conditions`.
    pub fn clause_id(&self, pack: &PolicyPack) -> String {
        let part = match self {
            Refusal::ReviewsOnly { .. } | Refusal::ClassNotCovered { .. } | Refusal::PersonNotHeld { .. } => "scope",
            Refusal::NotInNotice { what, .. } => match *what {
                "purpose" => "purposes",
                "statute" => "statutes",
                _ => "conditions",
            },
            Refusal::RecipientNotListed { .. }
            | Refusal::CategoriesNotForRecipient { .. }
            | Refusal::BasisNotForRecipient { .. }
            | Refusal::OutsideDataSet { .. }
            | Refusal::AccessTooLong { .. } => "recipients",
            Refusal::AgreementNotInForce(_)
            | Refusal::OutsideAgreement { .. }
            | Refusal::BasisOutsideAgreement { .. } => "agreement",
            Refusal::BasisNotInNotice { .. } | Refusal::ConsentBasisWithoutConsent { .. } => "lawful_bases",
            Refusal::ConditionMissing { .. } => "conditions",
            Refusal::NoGroundWithoutConsent { .. } => "sharing/without_consent",
            Refusal::UnknownExemption { .. } | Refusal::ReviewTooLate { .. } => "telling_the_family",
        };
        format!("{}/v{}/{part}", pack.id(), pack.pack.version)
    }
}

fn codes(cs: &[DataCategory]) -> Vec<&'static str> {
    cs.iter().map(|c| c.code()).collect()
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &String) -> Vec<String> {
    items.iter().map(|x| id(x).clone()).collect()
}

/// Checks a proposal against the notice. Refusals are in the order a practitioner would fix
/// them: which notice, who to, what, on what basis, consent, the family.
pub fn check_share(pack: &PolicyPack, p: &ProposedShare<'_>) -> Result<ShareCheck, Refusal> {
    let notice = pack.pack.short_name.clone();
    check_scope(pack, p)?;
    check_notice_terms(pack, p, &notice)?;
    let recipients_clause = pack.heading("recipients");
    let org = p.recipient;
    let Some((group, reason)) = pack.recipient_for(org) else {
        return Err(Refusal::RecipientNotListed {
            notice,
            clause: recipients_clause,
            recipient: org.name.clone(),
            kind: org.kind.label(),
        });
    };
    let clause = format!("{notice} — {recipients_clause} — {}", group.heading);
    // A fixed data set is the most specific limit: say so first.
    let data_set = pack.data_set_for(group, org);
    if let Some(set) = data_set {
        check_data_set(pack, p, set)?;
    }
    let allowed = pack.recipient_codes(group);
    let outside: Vec<DataCategory> = p.categories.iter().copied().filter(|c| !allowed.contains(c.code())).collect();
    if !outside.is_empty() {
        return Err(Refusal::CategoriesNotForRecipient {
            notice,
            clause,
            recipient: org.name.clone(),
            categories: codes(&outside),
        });
    }
    let group_bases = recipient_bases(pack, group);
    if !group_bases.contains(&p.basis) {
        return Err(Refusal::BasisNotForRecipient { notice, clause, basis: p.basis.clone(), allowed: group_bases });
    }
    let mut clauses = vec![clause.clone()];
    if let Some(set) = data_set {
        clauses.push(format!("{clause} — fixed data set {}", set.id.get_ref()));
    }
    if let Some(agreement) = p.agreement {
        check_agreement(p, agreement)?;
        clauses.push(format!("agreement {}", agreement.reference));
    }
    let access_until = group.access_days.map(|days| p.on + jiff::Span::new().days(i64::from(days)));
    if let (Some(latest), Some(days)) = (access_until, group.access_days) {
        if p.expires_on.is_some_and(|e| e > latest) {
            return Err(Refusal::AccessTooLong { notice, clause, days, latest });
        }
    }
    let given = matches!(p.consent, ConsentPosition::Given { .. });
    check_consent(pack, p, &notice, given, &mut clauses)?;
    check_family(pack, p, &notice, &mut clauses)?;
    let needs_guardian = needs_guardian(pack, p, given);
    let matched = RecipientMatch { organisation: org.id, entry: group.id.get_ref().clone(), clause, reason };
    Ok(ShareCheck { clauses, matched, needs_guardian, access_until })
}

/// The proposal's purpose, statute, condition and lawful basis must be ones the notice
/// lists.
fn check_notice_terms(pack: &PolicyPack, p: &ProposedShare<'_>, notice: &str) -> Result<(), Refusal> {
    let not_in = |what: &'static str, id: &str, allowed: Vec<String>| -> Result<(), Refusal> {
        if allowed.iter().any(|a| a == id) {
            Ok(())
        } else {
            Err(Refusal::NotInNotice { notice: notice.to_string(), what, id: id.to_string(), allowed })
        }
    };
    not_in("purpose", &p.purpose, ids(&pack.purposes, |x| x.id.get_ref()))?;
    not_in("statute", &p.statute, ids(&pack.statutes, |x| x.id.get_ref()))?;
    if let Some(c) = &p.condition {
        not_in("condition", c, ids(&pack.conditions, |x| x.id.get_ref()))?;
    }
    if !pack.lawful_bases.iter().any(|b| b.article == p.basis) {
        return Err(Refusal::BasisNotInNotice { notice: notice.to_string(), basis: p.basis.clone() });
    }
    Ok(())
}

/// The articles of the lawful bases a recipient group may receive under: the ones it lists,
/// or all the notice's when it lists none.
fn recipient_bases(pack: &PolicyPack, group: &RecipientGroup) -> Vec<String> {
    if group.bases.is_empty() {
        pack.lawful_bases.iter().map(|b| b.article.clone()).collect()
    } else {
        let wanted: BTreeSet<&str> = group.bases.iter().map(|b| b.get_ref().as_str()).collect();
        pack.lawful_bases
            .iter()
            .filter(|b| wanted.contains(b.id.get_ref().as_str()))
            .map(|b| b.article.clone())
            .collect()
    }
}

/// An agreement relied on must be in force and can only narrow: every category shared and
/// the basis must be ones it covers.
fn check_agreement(p: &ProposedShare<'_>, agreement: &Agreement) -> Result<(), Refusal> {
    agreement.in_force(p.on)?;
    let outside: Vec<DataCategory> =
        p.categories.iter().copied().filter(|c| !agreement.categories.contains(c)).collect();
    if !outside.is_empty() {
        return Err(Refusal::OutsideAgreement { agreement: agreement.reference.clone(), categories: codes(&outside) });
    }
    if !agreement.lawful_bases.is_empty() && !agreement.lawful_bases.contains(&p.basis) {
        return Err(Refusal::BasisOutsideAgreement {
            agreement: agreement.reference.clone(),
            basis: p.basis.clone(),
            allowed: agreement.lawful_bases.clone(),
        });
    }
    Ok(())
}

/// Consent as the basis needs consent given; special-category and criminal-offence data
/// needs one of its conditions; sharing without consent needs one of the notice's grounds,
/// whose clause is added to `clauses`.
fn check_consent(
    pack: &PolicyPack,
    p: &ProposedShare<'_>,
    notice: &str,
    given: bool,
    clauses: &mut Vec<String>,
) -> Result<(), Refusal> {
    if p.basis == "6(1)(a)" && !given {
        return Err(Refusal::ConsentBasisWithoutConsent { notice: notice.to_string() });
    }
    for c in &p.categories {
        let Some(cat) = pack
            .categories
            .iter()
            .find(|k| k.kind != CategoryKind::Ordinary && k.harbour.iter().any(|h| h.get_ref() == c.code()))
        else {
            continue;
        };
        let allowed: Vec<String> = ids(&cat.conditions, |x| x.get_ref());
        if !p.condition.as_ref().is_some_and(|given| allowed.contains(given)) {
            return Err(Refusal::ConditionMissing { notice: notice.to_string(), category: c.code(), allowed });
        }
    }
    if !given {
        let allowed: Vec<String> = ids(&pack.sharing.without_consent, |g| g.id.get_ref());
        match &p.without_consent_ground {
            // The clause in the notice's words, as the other clauses are.
            Some(g) if allowed.contains(g) => {
                let text =
                    pack.sharing.without_consent.iter().find(|x| x.id.get_ref() == g).map_or(g.as_str(), |x| &x.text);
                clauses.push(format!("{notice} — sharing without consent — {text}"));
            }
            _ => return Err(Refusal::NoGroundWithoutConsent { notice: notice.to_string(), allowed }),
        }
    }
    Ok(())
}

/// Not telling the family needs one of the notice's exemptions, reviewed within its days;
/// the exemption's clause is added to `clauses`.
fn check_family(
    pack: &PolicyPack,
    p: &ProposedShare<'_>,
    notice: &str,
    clauses: &mut Vec<String>,
) -> Result<(), Refusal> {
    if let FamilyPosition::Exempt { exemption, review_on } = &p.family {
        let allowed: Vec<String> = ids(&pack.telling_the_family.exemptions, |e| e.id.get_ref());
        let Some(e) = pack.telling_the_family.exemptions.iter().find(|e| e.id.get_ref() == exemption) else {
            return Err(Refusal::UnknownExemption {
                notice: notice.to_string(),
                exemption: exemption.clone(),
                allowed,
            });
        };
        let latest = p.on + jiff::Span::new().days(i64::from(e.review_days));
        if *review_on > latest || *review_on < p.on {
            return Err(Refusal::ReviewTooLate {
                notice: notice.to_string(),
                exemption: exemption.clone(),
                days: e.review_days,
                latest,
            });
        }
        clauses.push(format!("{notice} — telling the family — not told: {}", e.text));
    }
    Ok(())
}

/// Whether a guardian approval rule of the notice covers a category shared (rules for
/// sharing without consent only count when consent is not given).
fn needs_guardian(pack: &PolicyPack, p: &ProposedShare<'_>, given: bool) -> bool {
    pack.guardian_approval.iter().any(|rule| {
        (!rule.without_consent || !given)
            && pack
                .harbour_codes(rule.categories.iter().map(|c| c.get_ref().as_str()))
                .iter()
                .any(|code| p.categories.iter().any(|c| c.code() == code))
    })
}

/// A notice decides only for its own processing.
fn check_scope(pack: &PolicyPack, p: &ProposedShare<'_>) -> Result<(), Refusal> {
    let notice = pack.pack.short_name.clone();
    if pack.scope.reviews() {
        return Err(Refusal::ReviewsOnly { notice });
    }
    let covered = pack.record_classes();
    if covered.is_empty() {
        return Ok(());
    }
    if let Some(c) = p.record_classes.iter().find(|c| !covered.contains(c.code())) {
        return Err(Refusal::ClassNotCovered { notice, class: c.code(), covered: covered.into_iter().collect() });
    }
    if let Some((person, _)) = p.people.iter().find(|(_, classes)| !classes.iter().any(|c| covered.contains(c.code())))
    {
        return Err(Refusal::PersonNotHeld { notice, person: *person, covered: covered.into_iter().collect() });
    }
    Ok(())
}

/// A recipient held to a fixed data set gets no field outside it, and never a whole record.
fn check_data_set(pack: &PolicyPack, p: &ProposedShare<'_>, set: &super::DataSet) -> Result<(), Refusal> {
    let refuse = |excess: String| Refusal::OutsideDataSet {
        notice: pack.pack.short_name.clone(),
        recipient: p.recipient.name.clone(),
        set: set.text.clone(),
        excess,
    };
    if p.whole_record {
        return Err(refuse("the whole record".into()));
    }
    let allowed_person: Vec<&str> = set.person_fields.iter().map(|f| f.get_ref().as_str()).collect();
    let extra: Vec<&str> = p.person_fields.iter().map(|f| f.code()).filter(|f| !allowed_person.contains(f)).collect();
    if !extra.is_empty() {
        return Err(refuse(format!("the person's {}", extra.join(", "))));
    }
    let allowed_entry: Vec<&str> = set.entry_fields.iter().map(|f| f.get_ref().as_str()).collect();
    let extra: Vec<&str> = p.entry_fields.iter().map(|f| f.code()).filter(|f| !allowed_entry.contains(f)).collect();
    if !extra.is_empty() {
        return Err(refuse(format!("an entry's {}", extra.join(", "))));
    }
    if !set.categories.is_empty() {
        let allowed = pack.harbour_codes(set.categories.iter().map(|c| c.get_ref().as_str()));
        let extra: Vec<&str> = p.categories.iter().map(|c| c.code()).filter(|c| !allowed.contains(*c)).collect();
        if !extra.is_empty() {
            return Err(refuse(extra.join(", ")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
