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
    #[error("{field} contains {what} (U+{code:04X}), which is not accepted in text")]
    ForbiddenCharacter { field: &'static str, what: &'static str, code: u32 },
    #[error("{field} has no visible characters")]
    NothingVisible { field: &'static str },
    #[error("the episode cannot open on {opened}, before the person was born on {dob}")]
    EpisodeBeforeBirth { opened: Date, dob: Date },
    #[error("the episode cannot close on {closed}, before it opened on {opened}")]
    EpisodeClosedBeforeOpened { opened: Date, closed: Date },
    #[error("{what} date {date} is in the future")]
    DateInFuture { what: &'static str, date: Date },
    #[error("username {username:?} must be 2–50 characters of a–z, 0–9, '.', '_' and '-'")]
    InvalidUsername { username: String },
    #[error("a password must have at least {min} characters")]
    PasswordTooShort { min: usize },
    #[error("the episode is already closed")]
    EpisodeAlreadyClosed,
    #[error(
        "{person} is past the age for services ({upper_age}th birthday on {ended_on}); an override reason is required"
    )]
    PastEligibility { person: String, upper_age: i16, ended_on: Date },
    #[error("a person cannot be related to themselves")]
    SelfRelationship,
    #[error("a request that is {from} cannot become {to}")]
    RightsStatusMove { from: &'static str, to: &'static str },
    #[error("the identity or clarification cannot have arrived on {confirmed}, before the request on {received}")]
    ConfirmedBeforeReceived { received: Date, confirmed: Date },
    #[error("a request moves out of waiting only when the identity or clarification asked for has arrived: give confirmed_on")]
    ConfirmationMissing,
    #[error("an extension is decided within the first month: this request was due on {due}")]
    ExtensionTooLate { due: Date },
    #[error("a redaction from character {start} to {end} is not a stretch of the item's {chars} characters")]
    RedactionOutsideText { start: usize, end: usize, chars: usize },
    #[error("this request has already been extended")]
    AlreadyExtended,
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

/// Checks a required free-text field: trimmed, not empty, at most `max` characters, and only
/// characters that show (see [`optional_text`]). Line breaks and tabs are allowed.
pub fn required_text(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    required(field, value, max, Lines::Allowed)
}

/// Checks an optional free-text field; blank becomes `None`. The text may not hold control
/// characters (NUL and the like) other than line breaks and tabs, nor the bidirectional
/// embedding, override and isolate characters (U+202A–U+202E, U+2066–U+2069) that make text
/// display in another order than it is stored, and must have a visible character: text made
/// only of zero-width characters (U+200B–U+200D, U+2060, U+FEFF, …) is refused.
pub fn optional_text(field: &'static str, value: Option<&str>, max: usize) -> Result<Option<String>, DomainError> {
    optional(field, value, max, Lines::Allowed)
}

/// A required one-line field (a name, a reference): as [`required_text`], and without line
/// breaks or tabs.
pub fn required_line(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    required(field, value, max, Lines::Refused)
}

/// An optional one-line field: as [`optional_text`], and without line breaks or tabs.
pub fn optional_line(field: &'static str, value: Option<&str>, max: usize) -> Result<Option<String>, DomainError> {
    optional(field, value, max, Lines::Refused)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lines {
    Allowed,
    Refused,
}

fn required(field: &'static str, value: &str, max: usize, lines: Lines) -> Result<String, DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::Empty { field });
    }
    optional(field, Some(value), max, lines).map(|o| o.unwrap_or_default())
}

fn optional(field: &'static str, value: Option<&str>, max: usize, lines: Lines) -> Result<Option<String>, DomainError> {
    let v = match value.map(str::trim) {
        None | Some("") => return Ok(None),
        Some(v) => v,
    };
    if v.chars().count() > max {
        return Err(DomainError::TooLong { field, max });
    }
    for c in v.chars() {
        let line_break = matches!(c, '\n' | '\r' | '\t');
        let what = if line_break && lines == Lines::Refused {
            Some("a line break or tab")
        } else if c.is_control() && !line_break {
            Some("a control character")
        } else if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            Some("a bidirectional override character")
        } else {
            None
        };
        if let Some(what) = what {
            return Err(DomainError::ForbiddenCharacter { field, what, code: u32::from(c) });
        }
    }
    if !v.chars().any(|c| !c.is_whitespace() && !invisible(c)) {
        return Err(DomainError::NothingVisible { field });
    }
    Ok(Some(v.to_string()))
}

/// Characters that take no space and show nothing: zero-width spaces and joiners, the word
/// joiner and invisible operators, the byte-order mark, soft hyphen, variation selectors,
/// Hangul fillers, tag characters and the like (Unicode's default-ignorable code points).
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_what_shows_and_refuses_what_hides() {
        assert_eq!(required_text("name", "  Ava  ", 10).unwrap(), "Ava");
        assert_eq!(required_text("detail", "line one\r\nline two\tend", 100).unwrap(), "line one\r\nline two\tend");
        assert_eq!(required_line("name", "Zoë O\u{2019}Brien", 100).unwrap(), "Zoë O\u{2019}Brien");
        // Joiners inside visible text are fine (emoji sequences, Indic scripts).
        assert_eq!(required_line("name", "Ann\u{200D}a", 100).unwrap(), "Ann\u{200D}a");
        assert_eq!(required_text("name", "   ", 10), Err(DomainError::Empty { field: "name" }));
        for hidden in ["\u{200B}", "\u{200B}\u{200C}\u{200D}", " \u{2060} ", "\u{FEFF}", "\u{200B}\u{00AD}"] {
            assert_eq!(
                required_line("name", hidden, 10),
                Err(DomainError::NothingVisible { field: "name" }),
                "{hidden:?}"
            );
            assert_eq!(optional_text("name", Some(hidden), 10), Err(DomainError::NothingVisible { field: "name" }));
        }
        for (bad, what) in [
            ("A\0B", "a control character"),
            ("A\u{7}B", "a control character"),
            ("A\u{85}B", "a control character"),
            ("A\u{202E}B", "a bidirectional override character"),
            ("A\u{2066}B", "a bidirectional override character"),
            ("\u{202A}A", "a bidirectional override character"),
        ] {
            let err = required_text("name", bad, 10).unwrap_err();
            assert!(matches!(err, DomainError::ForbiddenCharacter { what: w, .. } if w == what), "{bad:?}: {err}");
        }
        assert!(matches!(
            required_line("name", "Ava\nSmith", 100),
            Err(DomainError::ForbiddenCharacter { what: "a line break or tab", .. })
        ));
        assert_eq!(optional_line("local id", Some(" "), 10), Ok(None));
        assert_eq!(required_text("name", "abcdef", 5), Err(DomainError::TooLong { field: "name", max: 5 }));
        assert!(required_text("name", "A\0", 10).unwrap_err().to_string().contains("U+0000"));
    }
}
