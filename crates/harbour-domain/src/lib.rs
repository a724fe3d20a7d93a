//! Harbour's vocabulary: the people a children's services department keeps records about,
//! how they relate, the episodes of work with them, the dated entries in those episodes, and
//! the organisations and staff who do the work.
//!
//! This crate is pure: no IO, no SQL, no HTTP. Identifiers such as NHS numbers are validated
//! once, here, when a value is built, so every other layer holds only valid values.

pub mod agreement;
pub mod bank_holidays;
pub mod consent;
mod dates;
pub mod eligibility;
pub mod emergency;
pub mod entry;
pub mod episode;
mod error;
pub mod hold;
pub mod identifiers;
mod ids;
pub mod intake;
pub mod organisation;
pub mod person;
pub mod redaction;
pub mod school_day;
pub mod sharing;
pub mod subject_access;

pub use agreement::{Agreement, AgreementError, AgreementId, NewAgreement};
pub use bank_holidays::{bank_holiday_on, bank_holidays, BankHoliday};
pub use consent::{Consent, NewConsent, NewWithdrawal, Withdrawal};
pub use dates::anniversary;
pub use eligibility::Eligibility;
pub use emergency::{EmergencyAccess, EmergencyReview, NewEmergencyAccess, NewEmergencyReview, EMERGENCY_ACCESS_HOURS};
pub use entry::{DataCategory, Entry, EntryKind, NewEntry, Source};
pub use episode::{Episode, EpisodeClosure, NewEpisode, RecordClass};
pub use error::{optional_line, optional_text, required_line, required_text, DomainError};
pub use hold::{HoldScope, LegalHold, NewHold};
pub use identifiers::{NhsNumber, Postcode, Upn};
pub use ids::*;
pub use intake::{
    InformationRequest, NamedChild, NewNotification, NewRequest, Notification, NotificationChild, NotificationStatus,
    RequestSubject, Triage, TriageChild,
};
pub use organisation::{
    check_password, check_username, ControllerRole, NewOrganisation, OrgCategory, OrgKind, Organisation, Role, Team,
    User, PASSWORD_MIN_CHARS,
};
pub use person::{
    Address, Gender, NewDeath, NewPerson, NewRelationship, NhsNumberProblem, NhsNumberUpdate, NhsVerification, Person,
    Relationship, RelationshipKind,
};
pub use redaction::{parts, whole_number, NewRedaction, Part, Redaction, RedactionOrigin, RedactionReason};
pub use school_day::{DayOff, DayOffKind, Holiday, SchoolCalendar};
pub use sharing::{
    ConfirmedCategories, ConsentPosition, Decision, DecisionStatus, DisclosedEntry, DisclosedPerson, EntryField,
    FamilyPosition, GuardianRuling, NewDecision, PersonField, Rationale, RecipientMatch, Urgency,
};
pub use subject_access::{
    sar_deadline, Channel, ChildView, NewObjectionDecision, NewRightsRequest, ObjectionDecision, PublicRequest,
    Requester, Right, RightsRequest, RightsStatus, SarDeadline, SkippedDay, CHILD_COMPETENCE_AGE,
};

/// The time zone of every date and time rule in Harbour (deadlines, "today", school days).
pub fn uk_time_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC)
}

/// An instant as UK local time.
pub fn uk_local(ts: jiff::Timestamp) -> jiff::civil::DateTime {
    ts.to_zoned(uk_time_zone()).datetime()
}

#[cfg(test)]
mod tests {
    #[test]
    fn uk_time_is_london_time_not_utc() {
        // Built with jiff's bundled time zone database, so this holds on any machine.
        let summer: jiff::Timestamp = "2026-07-01T12:00:00Z".parse().unwrap();
        assert_eq!(super::uk_local(summer).to_string(), "2026-07-01T13:00:00");
        let winter: jiff::Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        assert_eq!(super::uk_local(winter).to_string(), "2026-12-01T12:00:00");
    }
}
