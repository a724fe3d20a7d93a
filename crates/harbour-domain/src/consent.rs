//! Consent: given to one service by the person (or a parent for a young child), and withdrawn
//! at any time. Withdrawal stops what rested on that consent; it never shortens how long the
//! council must keep the child's record (seed 002, "Consent"), and it does not stop work done
//! on another basis, such as enquiries under section 47 of the Children Act 1989.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{ConsentId, DomainError, OrgId, PersonId};

/// Consent as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Consent {
    pub id: ConsentId,
    pub person_id: PersonId,
    /// The service it is for, in the council's words (e.g. "Early help", "Short breaks").
    pub service: String,
    /// Who gave it: the person, or who gave it for them (e.g. "mother").
    pub given_by: String,
    #[schema(value_type = String, format = Date)]
    pub given_on: Date,
    /// The organisations the person agreed their information may go to for this service
    /// (seed 002: "We will only share your details with these organisations if we have your
    /// consent"). Consent covers sharing with these and no others.
    #[serde(default)]
    pub share_with: Vec<OrgId>,
    pub withdrawn: Option<Withdrawal>,
}

impl Consent {
    /// Whether it stands on `day`.
    pub fn stands_on(&self, day: Date) -> bool {
        self.given_on <= day && self.withdrawn.as_ref().is_none_or(|w| day < w.withdrawn_on)
    }

    /// Whether it covers sharing with `org`.
    pub fn covers(&self, org: OrgId) -> bool {
        self.share_with.contains(&org)
    }
}

/// A withdrawal as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Withdrawal {
    #[schema(value_type = String, format = Date)]
    pub withdrawn_on: Date,
    /// Who withdrew it (e.g. "mother, by telephone to the allocated worker").
    pub withdrawn_by: String,
    pub note: Option<String>,
}

/// Consent as asked to be recorded.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    #[schema(max_length = 200)]
    pub service: String,
    #[schema(max_length = 200)]
    pub given_by: String,
    #[schema(value_type = String, format = Date)]
    pub given_on: Date,
    /// The organisations the consent lets the council share with for this service.
    #[serde(default)]
    pub share_with: Vec<OrgId>,
}

impl NewConsent {
    pub fn validate(self, person_id: PersonId, today: Date) -> Result<Consent, DomainError> {
        let service = crate::required_text("service", &self.service, 200)?;
        let given_by = crate::required_text("given by", &self.given_by, 200)?;
        if self.given_on > today {
            return Err(DomainError::DateInFuture { what: "consent", date: self.given_on });
        }
        let mut share_with = self.share_with;
        share_with.sort();
        share_with.dedup();
        Ok(Consent {
            id: ConsentId::new(),
            person_id,
            service,
            given_by,
            given_on: self.given_on,
            share_with,
            withdrawn: None,
        })
    }
}

/// A withdrawal as asked to be recorded.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWithdrawal {
    #[schema(value_type = String, format = Date)]
    pub withdrawn_on: Date,
    #[schema(max_length = 200)]
    pub withdrawn_by: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl NewWithdrawal {
    /// Checks the withdrawal against the consent it ends.
    pub fn validate(self, consent: &Consent, today: Date) -> Result<Withdrawal, DomainError> {
        if consent.withdrawn.is_some() {
            return Err(DomainError::ConsentAlreadyWithdrawn);
        }
        let withdrawn_by = crate::required_text("withdrawn by", &self.withdrawn_by, 200)?;
        let note = crate::optional_text("note", self.note.as_deref(), 2000)?;
        if self.withdrawn_on > today {
            return Err(DomainError::DateInFuture { what: "withdrawal", date: self.withdrawn_on });
        }
        if self.withdrawn_on < consent.given_on {
            return Err(DomainError::WithdrawnBeforeGiven { given: consent.given_on, withdrawn: self.withdrawn_on });
        }
        Ok(Withdrawal { withdrawn_on: self.withdrawn_on, withdrawn_by, note })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn given() -> Consent {
        NewConsent {
            service: " Early help ".into(),
            given_by: "mother".into(),
            given_on: date(2026, 3, 1),
            share_with: vec![],
        }
        .validate(PersonId::new(), date(2026, 6, 1))
        .unwrap()
    }

    fn withdrawal(on: Date) -> NewWithdrawal {
        NewWithdrawal { withdrawn_on: on, withdrawn_by: "mother, by telephone".into(), note: None }
    }

    #[test]
    fn consent_stands_from_the_day_given_until_the_day_withdrawn() {
        let mut c = given();
        assert_eq!(c.service, "Early help");
        assert!(!c.stands_on(date(2026, 2, 28)));
        assert!(c.stands_on(date(2026, 3, 1)));
        c.withdrawn = Some(withdrawal(date(2026, 4, 1)).validate(&c, date(2026, 6, 1)).unwrap());
        assert!(c.stands_on(date(2026, 3, 31)));
        assert!(!c.stands_on(date(2026, 4, 1)));
    }

    #[test]
    fn bad_consents_and_withdrawals_are_refused() {
        let future = NewConsent {
            service: "Early help".into(),
            given_by: "mother".into(),
            given_on: date(2026, 7, 1),
            share_with: vec![],
        };
        assert!(matches!(future.validate(PersonId::new(), date(2026, 6, 1)), Err(DomainError::DateInFuture { .. })));
        let nobody = NewConsent {
            service: "Early help".into(),
            given_by: " ".into(),
            given_on: date(2026, 3, 1),
            share_with: vec![],
        };
        assert_eq!(nobody.validate(PersonId::new(), date(2026, 6, 1)), Err(DomainError::Empty { field: "given by" }));
        let c = given();
        assert_eq!(
            withdrawal(date(2026, 2, 1)).validate(&c, date(2026, 6, 1)),
            Err(DomainError::WithdrawnBeforeGiven { given: date(2026, 3, 1), withdrawn: date(2026, 2, 1) })
        );
        assert!(matches!(
            withdrawal(date(2026, 7, 1)).validate(&c, date(2026, 6, 1)),
            Err(DomainError::DateInFuture { .. })
        ));
        let mut done = c.clone();
        done.withdrawn = Some(withdrawal(date(2026, 4, 1)).validate(&c, date(2026, 6, 1)).unwrap());
        assert_eq!(
            withdrawal(date(2026, 5, 1)).validate(&done, date(2026, 6, 1)),
            Err(DomainError::ConsentAlreadyWithdrawn)
        );
    }
}
