//! Harbour's vocabulary: the people a children's services department keeps records about,
//! how they relate, the episodes of work with them, the dated entries in those episodes, and
//! the organisations and staff who do the work.
//!
//! This crate is pure: no IO, no SQL, no HTTP. Identifiers such as NHS numbers are validated
//! once, here, when a value is built, so every other layer holds only valid values.

mod error;
mod ids;
pub mod identifiers;
pub mod person;
pub mod episode;
pub mod entry;
pub mod organisation;
pub mod eligibility;

pub use error::{optional_text, required_text, DomainError};
pub use ids::*;
pub use identifiers::{NhsNumber, Postcode, Upn};
pub use person::{Address, Gender, NewPerson, Person, Relationship, RelationshipKind, NewRelationship};
pub use episode::{Episode, NewEpisode, RecordClass, EpisodeClosure};
pub use entry::{DataCategory, Entry, EntryKind, NewEntry, Source};
pub use organisation::{ControllerRole, OrgCategory, Organisation, Role, Team, User, NewOrganisation};
pub use eligibility::Eligibility;

/// Today's date in the UK, the calendar every date rule in Harbour uses.
pub fn today_uk() -> jiff::civil::Date {
    jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC))
        .date()
}
