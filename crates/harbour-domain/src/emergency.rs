//! Emergency access: a practitioner of the council without a legitimate relationship to a
//! record (the out-of-hours team at two in the morning) opens it by saying why. The opening
//! lasts one shift, the teams working with the family and the data protection officer are
//! told, and the officer reviews every use: justified, or not (with what was wrong).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{optional_text, required_text, DomainError};
use crate::{EmergencyAccessId, PersonId, UserId};

/// How long an emergency opening lasts: one out-of-hours shift.
pub const EMERGENCY_ACCESS_HOURS: i64 = 12;

/// The longest reason or review note.
const TEXT_MAX: usize = 4000;

/// A practitioner's request to open a record in an emergency.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmergencyAccess {
    /// Why the record must be opened now, by someone not working with the family.
    pub reason: String,
}

impl NewEmergencyAccess {
    pub fn validate(self) -> Result<Self, DomainError> {
        Ok(Self { reason: required_text("why the record must be opened in an emergency", &self.reason, TEXT_MAX)? })
    }
}

/// The data protection officer's review of one emergency opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EmergencyReview {
    pub reviewed_by: UserId,
    #[schema(value_type = String, format = DateTime)]
    pub reviewed_at: Timestamp,
    /// The opening was justified by the emergency given.
    pub justified: bool,
    /// What the officer found; required when the opening was not justified.
    pub note: Option<String>,
}

/// What the data protection officer decides about an opening.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmergencyReview {
    pub justified: bool,
    #[serde(default)]
    pub note: Option<String>,
}

impl NewEmergencyReview {
    pub fn validate(self) -> Result<Self, DomainError> {
        let note = optional_text("the review note", self.note.as_deref(), TEXT_MAX)?;
        if !self.justified && note.is_none() {
            return Err(DomainError::Empty { field: "what was wrong with the opening" });
        }
        Ok(Self { justified: self.justified, note })
    }
}

/// One emergency opening of a person's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EmergencyAccess {
    pub id: EmergencyAccessId,
    pub person_id: PersonId,
    pub user_id: UserId,
    pub reason: String,
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
    pub review: Option<EmergencyReview>,
}

impl EmergencyAccess {
    /// An opening from `now` for one shift.
    pub fn open(person_id: PersonId, user_id: UserId, new: NewEmergencyAccess, now: Timestamp) -> Self {
        let expires_at = now.checked_add(jiff::SignedDuration::from_hours(EMERGENCY_ACCESS_HOURS)).unwrap_or(now);
        Self {
            id: EmergencyAccessId::new(),
            person_id,
            user_id,
            reason: new.reason,
            opened_at: now,
            expires_at,
            review: None,
        }
    }

    /// The opening still lets its practitioner read the record.
    pub fn is_open(&self, now: Timestamp) -> bool {
        now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opening_needs_a_reason_and_lasts_one_shift() {
        assert!(NewEmergencyAccess { reason: "  ".into() }.validate().is_err());
        let new = NewEmergencyAccess { reason: " Police at the door; the allocated team is off duty. ".into() }
            .validate()
            .unwrap();
        assert_eq!(new.reason, "Police at the door; the allocated team is off duty.");
        let now: Timestamp = "2026-12-05T02:00:00Z".parse().unwrap();
        let a = EmergencyAccess::open(PersonId::new(), UserId::new(), new, now);
        assert!(a.is_open(now));
        assert!(a.is_open("2026-12-05T13:59:59Z".parse().unwrap()));
        assert!(!a.is_open("2026-12-05T14:00:00Z".parse().unwrap()), "twelve hours and no more");
    }

    #[test]
    fn an_unjustified_opening_says_what_was_wrong() {
        assert!(NewEmergencyReview { justified: true, note: None }.validate().is_ok());
        let err = NewEmergencyReview { justified: false, note: Some(" ".into()) }.validate().unwrap_err();
        assert!(err.to_string().contains("what was wrong"), "{err}");
        assert!(NewEmergencyReview { justified: false, note: Some("No emergency.".into()) }.validate().is_ok());
    }
}
