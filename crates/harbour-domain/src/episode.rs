//! Episodes: a period of work with one person under one record class, allocated to a team.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{DomainError, EpisodeId, PersonId, TeamId, UserId};

/// The kind of record an episode is. Each class later maps to a retention row of the
/// council's notice (seed 002), so the list follows that schedule's headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordClass {
    EarlyHelp,
    ChildInNeed,
    ChildProtectionPlan,
    LookedAfter,
    ChildSexualExploitation,
    DomesticAbuseNotification,
    /// Allegations against people who work with children (Local Authority Designated Officer).
    Lado,
    /// Special educational needs and disability.
    Send,
    Fostering,
    Adoption,
    Complaint,
}

impl RecordClass {
    pub const ALL: [RecordClass; 11] = [
        RecordClass::EarlyHelp,
        RecordClass::ChildInNeed,
        RecordClass::ChildProtectionPlan,
        RecordClass::LookedAfter,
        RecordClass::ChildSexualExploitation,
        RecordClass::DomesticAbuseNotification,
        RecordClass::Lado,
        RecordClass::Send,
        RecordClass::Fostering,
        RecordClass::Adoption,
        RecordClass::Complaint,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecordClass::EarlyHelp => "early_help",
            RecordClass::ChildInNeed => "child_in_need",
            RecordClass::ChildProtectionPlan => "child_protection_plan",
            RecordClass::LookedAfter => "looked_after",
            RecordClass::ChildSexualExploitation => "child_sexual_exploitation",
            RecordClass::DomesticAbuseNotification => "domestic_abuse_notification",
            RecordClass::Lado => "lado",
            RecordClass::Send => "send",
            RecordClass::Fostering => "fostering",
            RecordClass::Adoption => "adoption",
            RecordClass::Complaint => "complaint",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordClass::EarlyHelp => "Early help",
            RecordClass::ChildInNeed => "Child in need",
            RecordClass::ChildProtectionPlan => "Child protection plan",
            RecordClass::LookedAfter => "Looked after",
            RecordClass::ChildSexualExploitation => "Child sexual exploitation",
            RecordClass::DomesticAbuseNotification => "Domestic abuse notification",
            RecordClass::Lado => "LADO (allegation against staff)",
            RecordClass::Send => "Special educational needs and disability",
            RecordClass::Fostering => "Fostering",
            RecordClass::Adoption => "Adoption",
            RecordClass::Complaint => "Complaint",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Episode {
    pub id: EpisodeId,
    pub person_id: PersonId,
    pub record_class: RecordClass,
    #[schema(value_type = String, format = Date)]
    pub opened_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<Date>,
    pub team_id: TeamId,
    pub worker_id: Option<UserId>,
    /// Why the episode was opened for someone past the age for services, if they were.
    pub eligibility_override: Option<String>,
    /// NOTICE/ROW of the retention row the episode is kept under. Assigned when it is opened;
    /// None only for an episode recorded before retention classes, until its default is set.
    pub retention_class: Option<String>,
    /// When the child left school (for rows that count from it).
    #[schema(value_type = Option<String>, format = Date)]
    pub left_school_on: Option<Date>,
    /// When the report was published (for rows that count from it).
    #[schema(value_type = Option<String>, format = Date)]
    pub published_on: Option<Date>,
}

impl Episode {
    pub fn is_open(&self) -> bool {
        self.closed_on.is_none()
    }

    /// Closes the episode; it cannot close before it opened, nor twice.
    pub fn close(&mut self, on: Date, today: Date) -> Result<(), DomainError> {
        if self.closed_on.is_some() {
            return Err(DomainError::EpisodeAlreadyClosed);
        }
        check_dates(self.opened_on, Some(on), today)?;
        self.closed_on = Some(on);
        Ok(())
    }
}

/// Checks an episode's dates: neither in the future, closure not before opening.
pub fn check_dates(opened: Date, closed: Option<Date>, today: Date) -> Result<(), DomainError> {
    if opened > today {
        return Err(DomainError::DateInFuture { what: "opening", date: opened });
    }
    if let Some(closed) = closed {
        if closed < opened {
            return Err(DomainError::EpisodeClosedBeforeOpened { opened, closed });
        }
        if closed > today {
            return Err(DomainError::DateInFuture { what: "closing", date: closed });
        }
    }
    Ok(())
}

/// Checks an episode opens on or after the person's date of birth. Work with an unborn child
/// (no date of birth yet: pre-birth assessment) may open at any time.
pub fn check_opened_after_birth(opened: Date, date_of_birth: Option<Date>) -> Result<(), DomainError> {
    match date_of_birth {
        Some(dob) if opened < dob => Err(DomainError::EpisodeBeforeBirth { opened, dob }),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEpisode {
    pub record_class: RecordClass,
    #[schema(value_type = String, format = Date)]
    pub opened_on: Date,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<Date>,
    pub team_id: TeamId,
    #[serde(default)]
    pub worker_id: Option<UserId>,
    #[serde(default)]
    pub eligibility_override: Option<String>,
    /// NOTICE/ROW of the retention row to keep it under; by default the row of the council's
    /// schedule (or, failing that, another notice) that covers the record class.
    #[serde(default)]
    pub retention_class: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub left_school_on: Option<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub published_on: Option<Date>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EpisodeClosure {
    #[schema(value_type = String, format = Date)]
    pub closed_on: Date,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn record_class_codes_round_trip() {
        for c in RecordClass::ALL {
            assert_eq!(RecordClass::from_code(c.code()), Some(c));
        }
    }

    #[test]
    fn an_episode_cannot_close_before_it_opened() {
        let today = date(2026, 6, 1);
        assert!(matches!(
            check_dates(date(2026, 5, 1), Some(date(2026, 4, 30)), today),
            Err(DomainError::EpisodeClosedBeforeOpened { .. })
        ));
        assert!(check_dates(date(2026, 5, 1), Some(date(2026, 5, 1)), today).is_ok());
        assert!(check_dates(date(2026, 7, 1), None, today).is_err());
    }

    #[test]
    fn an_episode_cannot_open_before_the_person_was_born() {
        let dob = date(2020, 2, 29);
        assert_eq!(
            check_opened_after_birth(date(2020, 2, 28), Some(dob)),
            Err(DomainError::EpisodeBeforeBirth { opened: date(2020, 2, 28), dob })
        );
        assert_eq!(check_opened_after_birth(dob, Some(dob)), Ok(()), "on the day of birth");
        assert_eq!(check_opened_after_birth(date(2019, 1, 1), None), Ok(()), "an unborn child has no date of birth");
    }
}
