//! Personal Information Sharing Agreements (PISAs): which organisations share what, why, on
//! which lawful basis, and for how long. Sharing may rely on an agreement only while it is in
//! force (seed 003: partners sign the Information Sharing Charter, and a PISA "gives further
//! detail regarding the type of personal information requested and how it will be used").

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::required_text;
use crate::{DataCategory, OrgId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = Uuid)]
pub struct AgreementId(pub uuid::Uuid);

impl AgreementId {
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

impl Default for AgreementId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for AgreementId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for AgreementId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s).map(Self)
    }
}

/// Why an agreement cannot be relied on, or cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    #[error("agreement {agreement} expired on {ended}; it cannot be relied on on {on}")]
    AgreementExpired { agreement: String, ended: Date, on: Date },
    #[error("agreement {agreement} starts on {starts}; it cannot be relied on on {on}")]
    AgreementNotYetValid { agreement: String, starts: Date, on: Date },
    #[error("an agreement needs at least two parties")]
    TooFewParties,
    #[error("an agreement must name at least one {0}")]
    Missing(&'static str),
    #[error("the agreement cannot end on {ends}, before it starts on {starts}")]
    EndsBeforeItStarts { starts: Date, ends: Date },
    #[error("the review date {review} must fall between the start {starts} and the end of the agreement")]
    ReviewOutsideTerm { review: Date, starts: Date },
    #[error("{0:?} is not a UK GDPR Article 6 basis (use 6(1)(a) to 6(1)(f))")]
    UnknownBasis(String),
    #[error(transparent)]
    Invalid(#[from] crate::DomainError),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Agreement {
    pub id: AgreementId,
    /// The agreement's own reference, e.g. "PISA-2026-014".
    pub reference: String,
    pub title: String,
    pub parties: Vec<OrgId>,
    pub purposes: Vec<String>,
    /// The data categories the parties may share under it.
    pub categories: Vec<DataCategory>,
    /// UK GDPR Article 6 bases relied on, e.g. "6(1)(e)".
    pub lawful_bases: Vec<String>,
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Date>,
    #[schema(value_type = String, format = Date)]
    pub review_on: Date,
}

impl Agreement {
    /// Whether the agreement can be relied on on `on`.
    pub fn in_force(&self, on: Date) -> Result<(), AgreementError> {
        if on < self.starts_on {
            return Err(AgreementError::AgreementNotYetValid {
                agreement: self.reference.clone(),
                starts: self.starts_on,
                on,
            });
        }
        match self.ends_on {
            Some(ended) if on > ended => {
                Err(AgreementError::AgreementExpired { agreement: self.reference.clone(), ended, on })
            }
            _ => Ok(()),
        }
    }

    /// Whether its review date has passed on `on`.
    pub fn review_due(&self, on: Date) -> bool {
        on >= self.review_on
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgreement {
    pub reference: String,
    pub title: String,
    pub parties: Vec<OrgId>,
    pub purposes: Vec<String>,
    pub categories: Vec<DataCategory>,
    pub lawful_bases: Vec<String>,
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Date>,
    #[schema(value_type = String, format = Date)]
    pub review_on: Date,
}

/// The UK GDPR Article 6(1) bases an agreement may rely on, each with its name.
pub const LAWFUL_BASES: [(&str, &str); 6] = [
    ("6(1)(a)", "Consent"),
    ("6(1)(b)", "Contract"),
    ("6(1)(c)", "Legal obligation"),
    ("6(1)(d)", "Vital interests"),
    ("6(1)(e)", "Public task"),
    ("6(1)(f)", "Legitimate interests"),
];

impl NewAgreement {
    pub fn validate(self) -> Result<Agreement, AgreementError> {
        let mut parties = self.parties;
        parties.sort();
        parties.dedup();
        if parties.len() < 2 {
            return Err(AgreementError::TooFewParties);
        }
        let purposes: Vec<String> =
            self.purposes.iter().map(|p| required_text("purpose", p, 500)).collect::<Result<_, _>>()?;
        if purposes.is_empty() {
            return Err(AgreementError::Missing("purpose"));
        }
        let mut categories = self.categories;
        categories.sort();
        categories.dedup();
        if categories.is_empty() {
            return Err(AgreementError::Missing("data category"));
        }
        if self.lawful_bases.is_empty() {
            return Err(AgreementError::Missing("lawful basis"));
        }
        if let Some(bad) = self.lawful_bases.iter().find(|b| !LAWFUL_BASES.iter().any(|(code, _)| code == b)) {
            return Err(AgreementError::UnknownBasis(bad.clone()));
        }
        if let Some(ends) = self.ends_on {
            if ends < self.starts_on {
                return Err(AgreementError::EndsBeforeItStarts { starts: self.starts_on, ends });
            }
        }
        if self.review_on < self.starts_on || self.ends_on.is_some_and(|e| self.review_on > e) {
            return Err(AgreementError::ReviewOutsideTerm { review: self.review_on, starts: self.starts_on });
        }
        Ok(Agreement {
            id: AgreementId::new(),
            reference: required_text("reference", &self.reference, 50)?,
            title: required_text("title", &self.title, 200)?,
            parties,
            purposes,
            categories,
            lawful_bases: self.lawful_bases,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            review_on: self.review_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn new() -> NewAgreement {
        NewAgreement {
            reference: "PISA-2026-001".into(),
            title: "Domestic abuse notifications to schools".into(),
            parties: vec![OrgId::new(), OrgId::new()],
            purposes: vec!["Support children affected by domestic abuse".into()],
            categories: vec![DataCategory::PersonalDetails, DataCategory::ChildProtection],
            lawful_bases: vec!["6(1)(e)".into()],
            starts_on: date(2026, 1, 1),
            ends_on: Some(date(2027, 12, 31)),
            review_on: date(2026, 12, 1),
        }
    }

    #[test]
    fn an_agreement_is_relied_on_only_within_its_term() {
        let a = new().validate().unwrap();
        // (date, in force?)
        for (on, ok) in [
            (date(2025, 12, 31), false), // not yet valid
            (date(2026, 1, 1), true),    // first day
            (date(2027, 12, 31), true),  // last day
            (date(2028, 1, 1), false),   // expired
        ] {
            assert_eq!(a.in_force(on).is_ok(), ok, "{on}");
        }
        assert!(matches!(a.in_force(date(2028, 1, 1)), Err(AgreementError::AgreementExpired { .. })));
        assert!(matches!(a.in_force(date(2025, 1, 1)), Err(AgreementError::AgreementNotYetValid { .. })));
        assert!(!a.review_due(date(2026, 11, 30)) && a.review_due(date(2026, 12, 1)));
    }

    #[test]
    fn a_bad_agreement_is_refused() {
        let one = OrgId::new();
        let mut n = new();
        n.parties = vec![one, one];
        assert_eq!(n.validate(), Err(AgreementError::TooFewParties));
        let mut n = new();
        n.ends_on = Some(date(2025, 6, 1));
        assert!(matches!(n.validate(), Err(AgreementError::EndsBeforeItStarts { .. })));
        let mut n = new();
        n.lawful_bases = vec!["6(1)(z)".into()];
        assert!(matches!(n.validate(), Err(AgreementError::UnknownBasis(_))));
        let mut n = new();
        n.categories.clear();
        assert_eq!(n.validate(), Err(AgreementError::Missing("data category")));
        let mut n = new();
        n.review_on = date(2028, 6, 1);
        assert!(matches!(n.validate(), Err(AgreementError::ReviewOutsideTerm { .. })));
    }
}
