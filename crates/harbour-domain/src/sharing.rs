//! Sharing decisions: the record a practitioner makes before any of a person's information
//! leaves the council, in the terms of the information-sharing advice (the seven golden rules)
//! and of the notice that applies. What the notice allows is checked in `harbour-policy`;
//! this module holds the decision's shape and the rules that need no notice.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{optional_text, required_text};
use crate::{
    AgreementId, ConsentId, DataCategory, DecisionId, DomainError, EntryId, OrgId, PersonId, RequestId, UserId,
};

const TEXT_MAX: usize = 4000;

/// The fields of an entry that can be disclosed, one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryField {
    Kind,
    OccurredAt,
    Location,
    Subject,
    Detail,
    Source,
}

impl EntryField {
    pub const ALL: [EntryField; 6] = [
        EntryField::Kind,
        EntryField::OccurredAt,
        EntryField::Location,
        EntryField::Subject,
        EntryField::Detail,
        EntryField::Source,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryField::Kind => "kind",
            EntryField::OccurredAt => "occurred_at",
            EntryField::Location => "location",
            EntryField::Subject => "subject",
            EntryField::Detail => "detail",
            EntryField::Source => "source",
        }
    }

    /// The field in words, as the entry form names it.
    pub fn label(self) -> &'static str {
        match self {
            EntryField::Kind => "Kind of entry",
            EntryField::OccurredAt => "When it happened",
            EntryField::Location => "Where it happened",
            EntryField::Subject => "What it was about",
            EntryField::Detail => "What happened (the full account)",
            EntryField::Source => "Who gave the information",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// The fields of a person's details that can be disclosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonField {
    Name,
    DateOfBirth,
    Gender,
    Address,
    NhsNumber,
    Upn,
}

impl PersonField {
    pub const ALL: [PersonField; 6] = [
        PersonField::Name,
        PersonField::DateOfBirth,
        PersonField::Gender,
        PersonField::Address,
        PersonField::NhsNumber,
        PersonField::Upn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PersonField::Name => "name",
            PersonField::DateOfBirth => "date_of_birth",
            PersonField::Gender => "gender",
            PersonField::Address => "address",
            PersonField::NhsNumber => "nhs_number",
            PersonField::Upn => "upn",
        }
    }

    /// The field in words.
    pub fn label(self) -> &'static str {
        match self {
            PersonField::Name => "Name",
            PersonField::DateOfBirth => "Date of birth",
            PersonField::Gender => "Gender",
            PersonField::Address => "Address",
            PersonField::NhsNumber => "NHS number",
            PersonField::Upn => "Unique pupil number",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// One entry and the fields of it to disclose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosedEntry {
    pub entry_id: EntryId,
    pub fields: Vec<EntryField>,
}

/// One person and the fields of their details to disclose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisclosedPerson {
    pub person_id: PersonId,
    pub fields: Vec<PersonField>,
}

/// The consent position (given, refused, or not sought and why).
///
/// "Given" is checked, not claimed: it cites the recorded consents (`consent_ids`), which
/// must stand on the day of sharing, be about the people shared and name every recipient.
/// `from` is filled in from those records (who gave them); decisions recorded before
/// consents were cited keep the name that was typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "state", rename_all = "snake_case", deny_unknown_fields)]
pub enum ConsentPosition {
    Given {
        /// The consent records relied on (`/people/{id}/consents`).
        #[serde(default)]
        consent_ids: Vec<ConsentId>,
        /// Who gave them, from the records.
        #[serde(default)]
        from: Option<String>,
    },
    Refused {
        from: String,
    },
    NotSought {
        reason: String,
    },
}

impl ConsentPosition {
    pub fn code(&self) -> &'static str {
        match self {
            ConsentPosition::Given { .. } => "given",
            ConsentPosition::Refused { .. } => "refused",
            ConsentPosition::NotSought { .. } => "not_sought",
        }
    }
}

/// Telling the family: told (who, when, how) or the notice's exemption with a review date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "position", rename_all = "snake_case", deny_unknown_fields)]
pub enum FamilyPosition {
    Told {
        who: String,
        #[schema(value_type = String, format = Date)]
        when: Date,
        how: String,
    },
    Exempt {
        exemption: String,
        #[schema(value_type = String, format = Date)]
        review_on: Date,
    },
}

/// The seven golden rules of information sharing: a written reason for each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rationale {
    #[schema(max_length = 4000)]
    pub necessary: String,
    #[schema(max_length = 4000)]
    pub proportionate: String,
    #[schema(max_length = 4000)]
    pub relevant: String,
    #[schema(max_length = 4000)]
    pub adequate: String,
    #[schema(max_length = 4000)]
    pub accurate: String,
    #[schema(max_length = 4000)]
    pub timely: String,
    #[schema(max_length = 4000)]
    pub secure: String,
}

impl Rationale {
    fn validate(self) -> Result<Self, DomainError> {
        Ok(Rationale {
            necessary: required_text("rationale: why sharing is necessary", &self.necessary, TEXT_MAX)?,
            proportionate: required_text("rationale: why it is proportionate", &self.proportionate, TEXT_MAX)?,
            relevant: required_text("rationale: why it is relevant", &self.relevant, TEXT_MAX)?,
            adequate: required_text("rationale: why it is adequate", &self.adequate, TEXT_MAX)?,
            accurate: required_text("rationale: why it is accurate", &self.accurate, TEXT_MAX)?,
            timely: required_text("rationale: why it is timely", &self.timely, TEXT_MAX)?,
            secure: required_text("rationale: how it is shared securely", &self.secure, TEXT_MAX)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Routine,
    Urgent,
    Immediate,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Routine, Urgency::Urgent, Urgency::Immediate];

    pub fn code(self) -> &'static str {
        match self {
            Urgency::Routine => "routine",
            Urgency::Urgent => "urgent",
            Urgency::Immediate => "immediate",
        }
    }

    /// The urgency in words.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Routine => "Routine",
            Urgency::Urgent => "Urgent",
            Urgency::Immediate => "Immediate",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Urgency::ALL.into_iter().find(|u| u.code() == code)
    }
}

/// Categories a practitioner confirms an entry holds, where Harbour's scan found special
/// category or criminal offence content the entry was not tagged with. Confirmed categories
/// count as shared: the notice's conditions and Caldicott Guardian rules apply to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmedCategories {
    pub entry_id: EntryId,
    pub categories: Vec<DataCategory>,
}

/// Which entry of the notice's recipients table an organisation was shared with under, and
/// why it matched (its kind, or being named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RecipientMatch {
    pub organisation: OrgId,
    /// The `[[recipients]]` entry id in the notice.
    pub entry: String,
    /// The clause: notice, section and the entry's heading.
    pub clause: String,
    /// Why the organisation is one the entry names, e.g. "Dorset Police is a police force".
    pub reason: String,
}

/// A proposed sharing decision, as a practitioner submits it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    /// The notice (policy pack id) the sharing falls under, e.g. "bcp-childrens-services".
    #[schema(max_length = 100)]
    pub notice: String,
    /// The people the information is about.
    pub people: Vec<PersonId>,
    /// The information request being answered; none when the sharing is proactive.
    #[serde(default)]
    pub request_id: Option<RequestId>,
    pub recipients: Vec<OrgId>,
    /// The notice's purpose id.
    #[schema(max_length = 100)]
    pub purpose: String,
    /// UK GDPR Art 6 basis, e.g. "6(1)(e)".
    #[schema(max_length = 20)]
    pub basis: String,
    /// The notice's condition id for special-category or criminal-offence data.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub condition: Option<String>,
    /// The notice's statute id.
    #[schema(max_length = 100)]
    pub statute: String,
    #[serde(default)]
    pub agreement_id: Option<AgreementId>,
    /// Exactly which entries, and which of their fields.
    #[serde(default)]
    pub entries: Vec<DisclosedEntry>,
    /// Which of each person's details.
    #[serde(default)]
    pub person_fields: Vec<DisclosedPerson>,
    /// Set to disclose every entry of the people in full: a written justification.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub whole_record_justification: Option<String>,
    pub consent: ConsentPosition,
    /// The notice's ground for sharing without consent.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub without_consent_ground: Option<String>,
    pub family: FamilyPosition,
    pub rationale: Rationale,
    pub urgency: Urgency,
    /// After this date the recipients lose access.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
    /// Special-category or criminal-offence content Harbour found in an entry that was not
    /// tagged with it, confirmed by the practitioner (see `ConfirmedCategories`).
    #[serde(default)]
    pub confirmed_categories: Vec<ConfirmedCategories>,
}

impl NewDecision {
    /// The rules that need no notice: someone to share about and with, something to share
    /// (the minimum, or the whole record with a reason), reasons written down, dates that
    /// make sense. Returns the cleaned decision.
    pub fn validate(mut self, today: Date) -> Result<Self, DomainError> {
        if self.people.is_empty() {
            return Err(DomainError::Empty { field: "people" });
        }
        if self.recipients.is_empty() {
            return Err(DomainError::Empty { field: "recipients" });
        }
        dedup(&mut self.people);
        dedup(&mut self.recipients);
        self.notice = required_text("notice", &self.notice, 100)?;
        self.purpose = required_text("purpose", &self.purpose, 100)?;
        self.basis = required_text("basis", &self.basis, 20)?;
        self.statute = required_text("statute", &self.statute, 100)?;
        self.condition = optional_text("condition", self.condition.as_deref(), 100)?;
        self.without_consent_ground =
            optional_text("ground for sharing without consent", self.without_consent_ground.as_deref(), 100)?;
        self.whole_record_justification =
            optional_text("whole-record justification", self.whole_record_justification.as_deref(), TEXT_MAX)?;
        self.clean_items()?;
        self.consent = self.consent.cleaned()?;
        self.family = self.family.cleaned(today)?;
        for c in &mut self.confirmed_categories {
            dedup(&mut c.categories);
            if self.whole_record_justification.is_none() && !self.entries.iter().any(|e| e.entry_id == c.entry_id) {
                return Err(DomainError::ConfirmedEntryNotShared { entry: c.entry_id.to_string() });
            }
        }
        self.rationale = self.rationale.validate()?;
        if let Some(expiry) = self.expires_on {
            if expiry <= today {
                return Err(DomainError::ExpiryNotAfterToday { expiry });
            }
        }
        Ok(self)
    }

    /// What is shared: each entry with at least one field, person fields only for people in the
    /// decision, nothing twice, and either the whole record (with its reason) or some items.
    fn clean_items(&mut self) -> Result<(), DomainError> {
        for e in &mut self.entries {
            dedup(&mut e.fields);
            if e.fields.is_empty() {
                return Err(DomainError::NothingOfEntry { entry: e.entry_id.to_string() });
            }
        }
        for p in &mut self.person_fields {
            dedup(&mut p.fields);
            if !self.people.contains(&p.person_id) {
                return Err(DomainError::NotInDecision { person: p.person_id.to_string() });
            }
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = self.entries.iter().find(|e| !seen.insert(e.entry_id)) {
            return Err(DomainError::Duplicate { what: "entry", id: dup.entry_id.to_string() });
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = self.person_fields.iter().find(|p| !seen.insert(p.person_id)) {
            return Err(DomainError::Duplicate { what: "person", id: dup.person_id.to_string() });
        }
        if self.whole_record_justification.is_some() && !self.entries.is_empty() {
            return Err(DomainError::WholeRecordAndItems);
        }
        if self.whole_record_justification.is_none() && self.entries.is_empty() && self.person_fields.is_empty() {
            return Err(DomainError::NothingToShare);
        }
        Ok(())
    }
}

impl ConsentPosition {
    /// Consent cited by its records (at least one), or refused or not sought with who and why.
    fn cleaned(self) -> Result<Self, DomainError> {
        Ok(match self {
            ConsentPosition::Given { mut consent_ids, .. } => {
                if consent_ids.is_empty() {
                    return Err(DomainError::ConsentNotCited);
                }
                dedup(&mut consent_ids);
                ConsentPosition::Given { consent_ids, from: None }
            }
            ConsentPosition::Refused { from } => {
                ConsentPosition::Refused { from: required_text("consent refused by", &from, 200)? }
            }
            ConsentPosition::NotSought { reason } => {
                ConsentPosition::NotSought { reason: required_text("why consent was not sought", &reason, TEXT_MAX)? }
            }
        })
    }
}

impl FamilyPosition {
    /// Told (who, when — not in the future — and how), or an exemption named.
    fn cleaned(self, today: Date) -> Result<Self, DomainError> {
        Ok(match self {
            FamilyPosition::Told { who, when, how } => {
                if when > today {
                    return Err(DomainError::DateInFuture { what: "family told", date: when });
                }
                FamilyPosition::Told {
                    who: required_text("who in the family was told", &who, 200)?,
                    when,
                    how: required_text("how the family was told", &how, 200)?,
                }
            }
            FamilyPosition::Exempt { exemption, review_on } => {
                FamilyPosition::Exempt { exemption: required_text("exemption", &exemption, 100)?, review_on }
            }
        })
    }
}

fn dedup<T: Ord>(v: &mut Vec<T>) {
    v.sort();
    v.dedup();
}

/// Where a decision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    /// Waiting for the Caldicott Guardian; nothing has been disclosed.
    AwaitingGuardian,
    /// Disclosed to the recipients.
    Disclosed,
    /// The Guardian rejected it; nothing was disclosed.
    Rejected,
}

impl DecisionStatus {
    pub fn code(self) -> &'static str {
        match self {
            DecisionStatus::AwaitingGuardian => "awaiting_guardian",
            DecisionStatus::Disclosed => "disclosed",
            DecisionStatus::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [DecisionStatus::AwaitingGuardian, DecisionStatus::Disclosed, DecisionStatus::Rejected]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// The Guardian's ruling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GuardianRuling {
    pub by: UserId,
    #[schema(value_type = String)]
    pub at: jiff::Timestamp,
    pub approved: bool,
    pub reason: String,
}

/// A recorded sharing decision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Decision {
    pub id: DecisionId,
    /// The notice and its version the decision was checked against.
    pub notice: String,
    pub notice_version: u32,
    pub status: DecisionStatus,
    pub people: Vec<PersonId>,
    pub request_id: Option<RequestId>,
    pub recipients: Vec<OrgId>,
    pub purpose: String,
    pub basis: String,
    pub condition: Option<String>,
    pub statute: String,
    pub agreement_id: Option<AgreementId>,
    pub entries: Vec<DisclosedEntry>,
    pub person_fields: Vec<DisclosedPerson>,
    pub whole_record_justification: Option<String>,
    /// The data categories disclosed, worked out from what is shared.
    pub categories: Vec<DataCategory>,
    pub consent: ConsentPosition,
    pub without_consent_ground: Option<String>,
    pub family: FamilyPosition,
    pub rationale: Rationale,
    pub urgency: Urgency,
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
    /// The notice clauses relied on.
    pub clauses: Vec<String>,
    /// For each recipient, the notice's entry it matched and why.
    #[serde(default)]
    pub recipient_matches: Vec<RecipientMatch>,
    /// Special-category or criminal-offence content found untagged and confirmed.
    #[serde(default)]
    pub confirmed_categories: Vec<ConfirmedCategories>,
    pub needs_guardian: bool,
    pub guardian: Option<GuardianRuling>,
    pub decided_by: UserId,
    #[schema(value_type = String)]
    pub decided_at: jiff::Timestamp,
}

impl Decision {
    /// The exemption's review date, if the family has not been told.
    pub fn review_on(&self) -> Option<Date> {
        match &self.family {
            FamilyPosition::Exempt { review_on, .. } => Some(*review_on),
            FamilyPosition::Told { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn proposal() -> NewDecision {
        NewDecision {
            notice: "bcp-childrens-services".into(),
            people: vec![PersonId::new()],
            request_id: None,
            recipients: vec![OrgId::new()],
            purpose: "protecting-children".into(),
            basis: "6(1)(e)".into(),
            condition: None,
            statute: "children-act-1989".into(),
            agreement_id: None,
            entries: vec![DisclosedEntry { entry_id: EntryId::new(), fields: vec![EntryField::Subject] }],
            person_fields: vec![],
            whole_record_justification: None,
            consent: ConsentPosition::Given { consent_ids: vec![ConsentId::new()], from: None },
            without_consent_ground: None,
            family: FamilyPosition::Told { who: "mother".into(), when: date(2026, 11, 20), how: "phone".into() },
            rationale: Rationale {
                necessary: "n".into(),
                proportionate: "p".into(),
                relevant: "r".into(),
                adequate: "a".into(),
                accurate: "a".into(),
                timely: "t".into(),
                secure: "s".into(),
            },
            urgency: Urgency::Routine,
            expires_on: None,
            confirmed_categories: vec![],
        }
    }

    #[test]
    fn a_complete_proposal_validates() {
        assert!(proposal().validate(date(2026, 11, 23)).is_ok());
    }

    #[test]
    fn each_missing_part_is_named() {
        let today = date(2026, 11, 23);
        let cases: Vec<(NewDecision, &str)> = vec![
            (NewDecision { people: vec![], ..proposal() }, "people must not be empty"),
            (NewDecision { recipients: vec![], ..proposal() }, "recipients must not be empty"),
            (NewDecision { entries: vec![], ..proposal() }, "nothing to share"),
            (
                NewDecision {
                    entries: vec![DisclosedEntry { entry_id: EntryId::new(), fields: vec![] }],
                    ..proposal()
                },
                "no fields of entry",
            ),
            (
                NewDecision { whole_record_justification: Some("everything is relevant".into()), ..proposal() },
                "either the whole record",
            ),
            (
                NewDecision { consent: ConsentPosition::NotSought { reason: " ".into() }, ..proposal() },
                "why consent was not sought must not be empty",
            ),
            (
                NewDecision { rationale: Rationale { proportionate: "".into(), ..proposal().rationale }, ..proposal() },
                "why it is proportionate must not be empty",
            ),
            (
                NewDecision {
                    family: FamilyPosition::Told { who: "mother".into(), when: date(2026, 12, 1), how: "x".into() },
                    ..proposal()
                },
                "in the future",
            ),
            (NewDecision { expires_on: Some(today), ..proposal() }, "expiry"),
            (
                NewDecision { consent: ConsentPosition::Given { consent_ids: vec![], from: None }, ..proposal() },
                "cite the recorded consent",
            ),
            (
                NewDecision {
                    consent: ConsentPosition::Given { consent_ids: vec![], from: Some("mother".into()) },
                    ..proposal()
                },
                "cite the recorded consent",
            ),
            (
                NewDecision {
                    confirmed_categories: vec![ConfirmedCategories {
                        entry_id: EntryId::new(),
                        categories: vec![DataCategory::PhysicalOrMentalHealth],
                    }],
                    ..proposal()
                },
                "is not one of the entries shared",
            ),
            (
                NewDecision {
                    person_fields: vec![DisclosedPerson { person_id: PersonId::new(), fields: vec![] }],
                    ..proposal()
                },
                "not one of the people",
            ),
        ];
        for (p, needle) in cases {
            let err = p.validate(today).unwrap_err().to_string();
            assert!(err.contains(needle), "{needle}: {err}");
        }
    }

    #[test]
    fn a_whole_record_needs_only_its_justification() {
        let p = NewDecision {
            entries: vec![],
            whole_record_justification: Some("the court ordered the full record".into()),
            ..proposal()
        };
        assert!(p.validate(date(2026, 11, 23)).is_ok());
    }
}
