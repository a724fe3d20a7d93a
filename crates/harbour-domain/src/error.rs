use jiff::civil::Date;

/// A value or request that breaks one of the domain's rules. Each variant names the rule in
/// the words a practitioner would use, so the API can pass the message straight through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("'{value}' is not a valid NHS number: {reason}")]
    InvalidNhsNumber { value: String, reason: &'static str },
    #[error("'{value}' is not a valid unique pupil number: {reason}")]
    InvalidUpn { value: String, reason: &'static str },
    #[error("'{value}' is not a valid UK postcode")]
    InvalidPostcode { value: String },
    #[error("date of birth {dob} is in the future")]
    DateOfBirthInFuture { dob: Date },
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the episode cannot close on {closed}, before it opened on {opened}")]
    EpisodeClosedBeforeOpened { opened: Date, closed: Date },
    #[error("{what} date {date} is in the future")]
    DateInFuture { what: &'static str, date: Date },
    #[error("the episode is already closed")]
    EpisodeAlreadyClosed,
    #[error(
        "{person} is past the age for services ({upper_age}th birthday on {ended_on}); an override reason is required"
    )]
    PastEligibility { person: String, upper_age: i16, ended_on: Date },
    #[error("a person cannot be related to themselves")]
    SelfRelationship,
    #[error("entry occurred at {at}, before its episode opened on {opened}")]
    EntryBeforeEpisode { at: String, opened: Date },
    #[error("no fields of entry {entry} are chosen; leave the entry out or choose the fields to share")]
    NothingOfEntry { entry: String },
    #[error("person {person} is not one of the people the decision is about")]
    NotInDecision { person: String },
    #[error("{what} {id} is listed twice")]
    Duplicate { what: &'static str, id: String },
    #[error("share either the whole record (with its justification) or chosen entries, not both")]
    WholeRecordAndItems,
    #[error("nothing to share: choose entries and fields, a person's details, or justify sharing the whole record")]
    NothingToShare,
    #[error("the holiday ends on {ends}, which is before it starts on {starts}")]
    HolidayEndsBeforeItStarts { starts: Date, ends: Date },
    #[error("the expiry date {expiry} must be after today")]
    ExpiryNotAfterToday { expiry: Date },
    #[error("the hold cannot end on {ends}, before it starts on {starts}")]
    HoldEndsBeforeItStarts { starts: Date, ends: Date },
    #[error("the episode is not closed, so there is no closing date to correct or reopen")]
    EpisodeNotClosed,
    #[error(
        "consent given: cite the recorded consent (consent_ids); record the consent, and who it lets us share with, on the person's page first"
    )]
    ConsentNotCited,
    #[error("entry {entry} is not one of the entries shared, so there is nothing to confirm about it")]
    ConfirmedEntryNotShared { entry: String },
    #[error("a {role} account cannot belong to {organisation}: that role is for {wants}")]
    RoleDoesNotFit { role: &'static str, organisation: String, wants: &'static str },
    #[error("this consent was already withdrawn")]
    ConsentAlreadyWithdrawn,
    #[error("consent cannot be withdrawn on {withdrawn}, before it was given on {given}")]
    WithdrawnBeforeGiven { given: Date, withdrawn: Date },
    #[error("the date of death {died} is before the date of birth {dob}")]
    DeathBeforeBirth { died: Date, dob: Date },
    #[error("there is no NHS number to verify; give the number that was checked")]
    NoNhsNumberToVerify,
}

/// Checks a required free-text field: trimmed, not empty, at most `max` characters.
pub fn required_text(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(DomainError::Empty { field });
    }
    optional_text(field, Some(v), max).map(|o| o.unwrap_or_default())
}

/// Checks an optional free-text field; blank becomes `None`.
pub fn optional_text(field: &'static str, value: Option<&str>, max: usize) -> Result<Option<String>, DomainError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.chars().count() > max => Err(DomainError::TooLong { field, max }),
        Some(v) => Ok(Some(v.to_string())),
    }
}
