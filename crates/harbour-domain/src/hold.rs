//! Legal holds: a hold (an inquiry's moratorium, litigation, a subject access request, a
//! review) overrides every disposal date it covers for as long as it lasts.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{DomainError, EpisodeId, HoldId, PersonId, RecordClass};

/// What a legal hold covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum HoldScope {
    /// Every record of a class (the IICSA moratorium held child protection and CSE material).
    RecordClass { record_class: RecordClass },
    /// Everything about one person.
    Person { person_id: PersonId },
    /// One episode (and so the file of the person it is about).
    Episode { episode_id: EpisodeId },
}

impl HoldScope {
    pub fn code(&self) -> &'static str {
        match self {
            HoldScope::RecordClass { .. } => "record_class",
            HoldScope::Person { .. } => "person",
            HoldScope::Episode { .. } => "episode",
        }
    }
}

/// A legal hold as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LegalHold {
    pub id: HoldId,
    pub scope: HoldScope,
    pub reason: String,
    /// Who authorised it (a name or role, e.g. "Head of Legal Services").
    pub authorised_by: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Date>,
}

impl LegalHold {
    pub fn active_on(&self, day: Date) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|end| day <= end)
    }
}

/// A hold as asked for.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHold {
    pub scope: HoldScope,
    #[schema(max_length = 2000)]
    pub reason: String,
    #[schema(max_length = 200)]
    pub authorised_by: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Date>,
}

impl NewHold {
    pub fn validate(self) -> Result<LegalHold, DomainError> {
        let reason = crate::required_text("reason", &self.reason, 2000)?;
        let authorised_by = crate::required_text("authorised by", &self.authorised_by, 200)?;
        if let Some(end) = self.ends_on {
            if end < self.starts_on {
                return Err(DomainError::HoldEndsBeforeItStarts { starts: self.starts_on, ends: end });
            }
        }
        Ok(LegalHold {
            id: HoldId::new(),
            scope: self.scope,
            reason,
            authorised_by,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        })
    }
}
