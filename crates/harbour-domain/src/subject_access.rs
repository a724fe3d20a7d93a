//! The deadline for answering a subject access request (or a request under another of the
//! rights), as the regulator calculates it (ICO, "Time limits for responding"):
//!
//! - the clock starts on the day the request is received, or — when the requester's identity
//!   or what they are asking for had to be confirmed — the day that confirmation is received;
//! - the answer is due on the corresponding calendar date one month later; where that month has
//!   no such date (the 31st, or 29–30 February), on the last day of that month;
//! - a complex request can be extended by up to two further months: due on the corresponding
//!   date three months after the start, found the same way;
//! - a date that falls on a weekend or an England and Wales bank holiday (Easter and the
//!   substitute days computed, plus any days the council adds) moves to the next working day.
//!
//! Pure date arithmetic: the caller says what day it is, nothing here reads a clock.

use jiff::civil::{Date, Weekday};
use jiff::Span;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::bank_holidays::bank_holiday_on;
use crate::{optional_text, required_text, DomainError, PersonId, RightsRequestId, UserId};

/// When a request's answer is due, and why it is that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SarDeadline {
    /// The day the clock started (the request, or the confirmation of identity or scope).
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    /// The corresponding date one month (three, if extended) later, before moving off
    /// non-working days.
    #[schema(value_type = String, format = Date)]
    pub corresponding: Date,
    /// The day the answer is due.
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    /// The days skipped to reach `due_on`, each with why it is not a working day.
    pub skipped: Vec<SkippedDay>,
}

/// A day the deadline skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SkippedDay {
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub why: String,
}

/// The deadline for a request received on `received`; `confirmed` is the day the identity or
/// clarification asked for arrived, if one was needed (the clock is stopped until then);
/// `extended` for a complex request; `extra_days_off` are days the council is closed that are
/// not bank holidays (e.g. a one-off public holiday declared late).
pub fn sar_deadline(received: Date, confirmed: Option<Date>, extended: bool, extra_days_off: &[Date]) -> SarDeadline {
    let starts_on = confirmed.map_or(received, |c| c.max(received));
    let months = if extended { 3 } else { 1 };
    // jiff keeps the day of the month where the month has it and takes the month's last day
    // where it does not (31 January + 1 month = 28 or 29 February), as the regulator does.
    let corresponding = starts_on.checked_add(Span::new().months(months)).unwrap_or(Date::MAX);
    let mut due_on = corresponding;
    let mut skipped = Vec::new();
    while let Some(why) = day_off(due_on, extra_days_off) {
        skipped.push(SkippedDay { date: due_on, why });
        match due_on.tomorrow() {
            Ok(next) => due_on = next,
            Err(_) => break,
        }
    }
    SarDeadline { starts_on, corresponding, due_on, skipped }
}

/// Why `d` is not a working day, if it is not one.
fn day_off(d: Date, extra: &[Date]) -> Option<String> {
    match d.weekday() {
        Weekday::Saturday => return Some("Saturday".into()),
        Weekday::Sunday => return Some("Sunday".into()),
        _ => {}
    }
    if let Some(h) = bank_holiday_on(d) {
        return Some(h.name);
    }
    extra.contains(&d).then(|| "a day the council is closed".into())
}

/// Which right a request is made under (UK GDPR Arts 15, 16, 18 and 21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    Access,
    Rectification,
    Restriction,
    Objection,
}

impl Right {
    pub fn code(self) -> &'static str {
        match self {
            Right::Access => "access",
            Right::Rectification => "rectification",
            Right::Restriction => "restriction",
            Right::Objection => "objection",
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Requester {
    /// The person the information is about.
    Subject,
    /// A parent with parental responsibility, for a child.
    Parent,
    /// Someone with the person's written authority (a solicitor, an advocate).
    Representative,
}

/// How the request arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Letter,
    Email,
    Phone,
    InPerson,
    Web,
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RightsStatus {
    Received,
    /// Waiting for the identity or clarification asked for: the clock is stopped.
    Waiting,
    InProgress,
    InReview,
    Approved,
    Released,
    /// Refused under an exemption (the note says which).
    Refused,
    Withdrawn,
}

impl RightsStatus {
    pub fn code(self) -> &'static str {
        match self {
            RightsStatus::Received => "received",
            RightsStatus::Waiting => "waiting",
            RightsStatus::InProgress => "in_progress",
            RightsStatus::InReview => "in_review",
            RightsStatus::Approved => "approved",
            RightsStatus::Released => "released",
            RightsStatus::Refused => "refused",
            RightsStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        use RightsStatus::*;
        [Received, Waiting, InProgress, InReview, Approved, Released, Refused, Withdrawn]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// Still to be answered.
    pub fn is_open(self) -> bool {
        !matches!(self, RightsStatus::Released | RightsStatus::Refused | RightsStatus::Withdrawn)
    }

    /// The moves a request can make: received → waiting (for ID or clarification) → in progress
    /// → in review → approved → released; back from review to progress; refused or withdrawn
    /// from any open status but approved.
    pub fn can_move_to(self, next: RightsStatus) -> bool {
        use RightsStatus::*;
        matches!(
            (self, next),
            (Received, Waiting | InProgress)
                | (Waiting, InProgress)
                | (InProgress, InReview)
                | (InReview, Approved | InProgress)
                | (Approved, Released)
                | (Received | Waiting | InProgress | InReview, Refused | Withdrawn)
        )
    }
}

/// A request as staff record it (by letter, email, phone or in person).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRightsRequest {
    pub right: Right,
    /// The person's record, if they are known to Harbour.
    pub person_id: Option<PersonId>,
    /// Who the information is about, as the request names them.
    #[schema(max_length = 200)]
    pub subject_name: String,
    pub requester: Requester,
    #[schema(max_length = 200)]
    pub requester_name: String,
    pub channel: Channel,
    /// The day it arrived (the clock starts that day, whatever day of the week).
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    /// What is asked for, in the requester's words.
    #[schema(max_length = 4000)]
    pub detail: String,
}

impl NewRightsRequest {
    pub fn validate(self, today: Date) -> Result<Self, DomainError> {
        if self.received_on > today {
            return Err(DomainError::DateInFuture { what: "received", date: self.received_on });
        }
        Ok(NewRightsRequest {
            subject_name: required_text("subject name", &self.subject_name, 200)?,
            requester_name: required_text("requester name", &self.requester_name, 200)?,
            detail: required_text("detail", &self.detail, 4000)?,
            ..self
        })
    }
}

/// The age from which a child is presumed able to understand their rights (ICO: "in Scotland
/// a child of 12 is presumed mature enough; elsewhere this is a reasonable starting point").
pub const CHILD_COMPETENCE_AGE: i16 = 12;

/// What the data protection officer found about a child of 12 or over whose parent asks for
/// the child's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChildView {
    /// The child understands what the request is and what it means to them.
    pub competent: bool,
    /// For a competent child: whether they agree to the parent having their records.
    pub consents: Option<bool>,
    /// How this was found out (who spoke to the child, when).
    #[schema(max_length = 2000)]
    pub note: String,
}

impl ChildView {
    pub fn validate(self) -> Result<Self, DomainError> {
        if self.competent && self.consents.is_none() {
            return Err(DomainError::Empty { field: "consents (a competent child's answer)" });
        }
        Ok(ChildView {
            consents: if self.competent { self.consents } else { None },
            note: required_text("note", &self.note, 2000)?,
            ..self
        })
    }

    /// The parent may have the records: the child is not competent, or agrees.
    pub fn lets_parent_see(&self) -> bool {
        !self.competent || self.consents == Some(true)
    }
}

/// The data protection officer's decision on an objection (UK GDPR Art 21): upheld (the
/// processing stops: the record is restricted until it is erased or the objection reconsidered),
/// or not, because there are compelling legitimate grounds, which the reason gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ObjectionDecision {
    pub upheld: bool,
    pub reason: String,
    #[schema(value_type = String, format = Date)]
    pub decided_on: Date,
}

/// An objection decided.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObjectionDecision {
    pub upheld: bool,
    #[schema(max_length = 2000)]
    pub reason: String,
}

impl NewObjectionDecision {
    pub fn validate(self, today: Date) -> Result<ObjectionDecision, DomainError> {
        Ok(ObjectionDecision {
            upheld: self.upheld,
            reason: required_text("reason", &self.reason, 2000)?,
            decided_on: today,
        })
    }
}

/// A request made on the public page, by anyone, without signing in. The answer is the same
/// whatever Harbour holds.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PublicRequest {
    /// The requester's name.
    pub your_name: String,
    /// `subject` (about me), `parent` (about my child), `representative` (for someone who
    /// authorised me in writing).
    pub requester: Requester,
    /// Who the information is about (the requester's own name when it is about them).
    pub subject_name: String,
    /// Their date of birth, if given (YYYY-MM-DD).
    #[serde(default)]
    pub subject_date_of_birth: String,
    /// An email or postal address to reply to.
    pub contact: String,
    /// What is asked for.
    pub detail: String,
}

impl PublicRequest {
    /// The request as the register keeps it: received today, on the web, about no record yet.
    pub fn into_request(self, today: Date) -> Result<RightsRequest, DomainError> {
        let your_name = required_text("your name", &self.your_name, 200)?;
        let subject_name = match self.requester {
            Requester::Subject if self.subject_name.trim().is_empty() => your_name.clone(),
            _ => required_text("who the information is about", &self.subject_name, 200)?,
        };
        let dob = optional_text("date of birth", Some(&self.subject_date_of_birth), 20)?;
        if let Some(d) = &dob {
            let parsed: Date = d.parse().map_err(|_| DomainError::Empty { field: "date of birth (as YYYY-MM-DD)" })?;
            if parsed > today {
                return Err(DomainError::DateInFuture { what: "birth", date: parsed });
            }
        }
        let contact = required_text("how to reply to you", &self.contact, 500)?;
        let detail = required_text("what you are asking for", &self.detail, 4000)?;
        let dob_line = dob.map(|d| format!("\nDate of birth given: {d}")).unwrap_or_default();
        Ok(RightsRequest {
            id: RightsRequestId::new(),
            right: Right::Access,
            person_id: None,
            subject_name,
            requester: self.requester,
            requester_name: your_name,
            channel: Channel::Web,
            received_on: today,
            confirmed_on: None,
            extension_reason: None,
            status: RightsStatus::Received,
            note: None,
            detail: format!("{detail}\n\nReply to: {contact}{dob_line}"),
            recorded_by: None,
            child_view: None,
            objection: None,
            closed_on: None,
        })
    }
}

/// A request and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RightsRequest {
    pub id: RightsRequestId,
    pub right: Right,
    /// The record it is about; absent until one is found. (Absent rather than null: a client
    /// following ids, schemathesis's link analysis among them, finds no id rather than a null.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<PersonId>,
    pub subject_name: String,
    pub requester: Requester,
    pub requester_name: String,
    pub channel: Channel,
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    /// The day the identity or clarification asked for arrived, if one was asked for.
    #[schema(value_type = Option<String>, format = Date)]
    pub confirmed_on: Option<Date>,
    /// Why the request was extended by two months, if it was.
    pub extension_reason: Option<String>,
    pub status: RightsStatus,
    /// Why it stands as it does (the exemption for a refusal, what was asked for while waiting).
    pub note: Option<String>,
    pub detail: String,
    /// Who recorded it; absent for a request made on the public page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<UserId>,
    /// For a parent's request about a child of 12 or over: whether the child can understand
    /// their rights and whether they agree to the parent seeing their records.
    #[serde(default)]
    pub child_view: Option<ChildView>,
    /// For an objection: the data protection officer's decision and its reason.
    #[serde(default)]
    pub objection: Option<ObjectionDecision>,
    /// The day it was released, refused or withdrawn.
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<Date>,
}

impl RightsRequest {
    /// When the answer is due, as things stand.
    pub fn deadline(&self, extra_days_off: &[Date]) -> SarDeadline {
        sar_deadline(self.received_on, self.confirmed_on, self.extension_reason.is_some(), extra_days_off)
    }

    /// Moves the request on: `confirmed_on` is needed to leave waiting; `note` says why (the
    /// exemption for a refusal, what was asked for when waiting).
    pub fn move_to(
        &mut self,
        next: RightsStatus,
        confirmed_on: Option<Date>,
        note: Option<&str>,
        today: Date,
    ) -> Result<(), DomainError> {
        if !self.status.can_move_to(next) {
            return Err(DomainError::RightsStatusMove { from: self.status.code(), to: next.code() });
        }
        if let Some(c) = confirmed_on {
            if c > today {
                return Err(DomainError::DateInFuture { what: "confirmed", date: c });
            }
            if c < self.received_on {
                return Err(DomainError::ConfirmedBeforeReceived { received: self.received_on, confirmed: c });
            }
            self.confirmed_on = Some(c);
        } else if self.status == RightsStatus::Waiting && next == RightsStatus::InProgress {
            return Err(DomainError::ConfirmationMissing);
        }
        let note = optional_text("note", note, 2000)?;
        // A refusal says, in its own step, which exemption it relies on.
        if next == RightsStatus::Refused && note.is_none() {
            return Err(DomainError::Empty { field: "note (the exemption the refusal relies on)" });
        }
        if note.is_some() {
            self.note = note;
        }
        self.status = next;
        if !next.is_open() {
            self.closed_on = Some(today);
        }
        Ok(())
    }

    /// Extends a complex request by two months: decided within the first month, once.
    pub fn extend(&mut self, reason: &str, today: Date) -> Result<(), DomainError> {
        if self.extension_reason.is_some() {
            return Err(DomainError::AlreadyExtended);
        }
        if !self.status.is_open() {
            return Err(DomainError::RightsStatusMove { from: self.status.code(), to: "extended" });
        }
        let due = self.deadline(&[]).due_on;
        if today > due {
            return Err(DomainError::ExtensionTooLate { due });
        }
        self.extension_reason = Some(required_text("reason for the extension", reason, 2000)?);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn due(received: Date, confirmed: Option<Date>, extended: bool) -> Date {
        sar_deadline(received, confirmed, extended, &[]).due_on
    }

    #[test]
    fn a_month_is_the_corresponding_date_or_the_months_last_day() {
        let cases = [
            // An ordinary month: 2 September → Friday 2 October.
            (date(2026, 9, 2), date(2026, 10, 2)),
            // 31 January: no 31 February, so the last day of February; 2026's is a Saturday.
            (date(2026, 1, 31), date(2026, 3, 2)),
            // A leap year: 29 February 2028 is a Tuesday.
            (date(2028, 1, 31), date(2028, 2, 29)),
            (date(2028, 1, 29), date(2028, 2, 29)),
            // 30 January 2027: 28 February 2027 is a Sunday → Monday 1 March.
            (date(2027, 1, 30), date(2027, 3, 1)),
            // 31 March → 30 April (2026: a Thursday).
            (date(2026, 3, 31), date(2026, 4, 30)),
            // Christmas Day 2026 is a Friday; Boxing Day a Saturday, so its substitute is Monday
            // 28 December: due on Tuesday 29 December.
            (date(2026, 11, 25), date(2026, 12, 29)),
            // Easter 2027: 28 March is Easter Sunday, 29 March Easter Monday → Tuesday 30 March.
            (date(2027, 2, 28), date(2027, 3, 30)),
            // Easter Monday 2026 (6 April) on its own → Tuesday 7 April.
            (date(2026, 3, 6), date(2026, 4, 7)),
            // Received on a weekend or a bank holiday: the clock still starts that day.
            (date(2026, 12, 25), date(2027, 1, 25)),
        ];
        for (received, expected) in cases {
            assert_eq!(due(received, None, false), expected, "received {received}");
        }
    }

    #[test]
    fn waiting_for_identity_stops_the_clock_until_it_arrives() {
        let received = date(2026, 3, 1);
        assert_eq!(due(received, None, false), date(2026, 4, 1));
        // Identity arrives on 10 March: due 10 April 2026 (a Friday).
        let d = sar_deadline(received, Some(date(2026, 3, 10)), false, &[]);
        assert_eq!((d.starts_on, d.due_on), (date(2026, 3, 10), date(2026, 4, 10)));
        // A confirmation dated before the request does not start the clock earlier.
        assert_eq!(due(received, Some(date(2026, 2, 20)), false), date(2026, 4, 1));
    }

    #[test]
    fn an_extension_runs_three_months_from_the_start_not_two_from_the_deadline() {
        // 31 January 2026 → 30 April 2026 (the corresponding date three months on, clamped),
        // not 28 February + 2 months = 28 April.
        assert_eq!(due(date(2026, 1, 31), None, true), date(2026, 4, 30));
        // Extended from a confirmation: 10 March → 10 June 2026 (a Wednesday).
        assert_eq!(due(date(2026, 3, 1), Some(date(2026, 3, 10)), true), date(2026, 6, 10));
    }

    #[test]
    fn the_days_skipped_are_named_and_the_council_can_add_its_own() {
        let d = sar_deadline(date(2026, 11, 25), None, false, &[]);
        assert_eq!(d.corresponding, date(2026, 12, 25));
        let names: Vec<&str> = d.skipped.iter().map(|s| s.why.as_str()).collect();
        assert_eq!(names[0], "Christmas Day");
        assert_eq!(names[1], "Saturday");
        assert_eq!(names[2], "Sunday");
        assert!(names[3].contains("Boxing Day"), "{names:?}");
        // A day the council closes moves the deadline on by one more working day.
        let closed = sar_deadline(date(2026, 11, 25), None, false, &[date(2026, 12, 29)]);
        assert_eq!(closed.due_on, date(2026, 12, 30));
    }
}

#[cfg(test)]
mod request_tests {
    use jiff::civil::date;

    use super::*;

    fn request() -> RightsRequest {
        RightsRequest {
            id: RightsRequestId::new(),
            right: Right::Access,
            person_id: None,
            subject_name: "Ava Example".into(),
            requester: Requester::Parent,
            requester_name: "Sam Example".into(),
            channel: Channel::Letter,
            received_on: date(2026, 3, 1),
            confirmed_on: None,
            extension_reason: None,
            status: RightsStatus::Received,
            note: None,
            detail: "everything you hold about my daughter".into(),
            recorded_by: Some(UserId::new()),
            child_view: None,
            objection: None,
            closed_on: None,
        }
    }

    #[test]
    fn a_request_moves_only_along_its_path() {
        let today = date(2026, 3, 20);
        let mut r = request();
        assert!(r.move_to(RightsStatus::Released, None, None, today).is_err(), "not straight to released");
        r.move_to(RightsStatus::Waiting, None, Some("asked for proof of parental responsibility"), today).unwrap();
        assert_eq!(r.deadline(&[]).due_on, date(2026, 4, 1), "waiting: the clock counts from receipt until told");
        assert!(matches!(
            r.move_to(RightsStatus::InProgress, None, None, today),
            Err(DomainError::ConfirmationMissing)
        ));
        assert!(r.move_to(RightsStatus::InProgress, Some(date(2026, 2, 1)), None, today).is_err());
        assert!(r.move_to(RightsStatus::InProgress, Some(date(2026, 3, 21)), None, today).is_err());
        r.move_to(RightsStatus::InProgress, Some(date(2026, 3, 10)), None, today).unwrap();
        assert_eq!(r.deadline(&[]).due_on, date(2026, 4, 10), "the clock restarts from the proof");
        r.move_to(RightsStatus::InReview, None, None, today).unwrap();
        r.move_to(RightsStatus::InProgress, None, None, today).unwrap();
        r.move_to(RightsStatus::InReview, None, None, today).unwrap();
        r.move_to(RightsStatus::Approved, None, None, today).unwrap();
        assert!(r.move_to(RightsStatus::Withdrawn, None, None, today).is_err(), "approved goes to released");
        assert_eq!(r.closed_on, None);
        r.move_to(RightsStatus::Released, None, None, today).unwrap();
        assert!(!r.status.is_open());
        assert_eq!(r.closed_on, Some(today), "the day it was answered");
        assert!(r.move_to(RightsStatus::InProgress, None, None, today).is_err(), "released is the end");
    }

    #[test]
    fn a_refusal_names_its_exemption() {
        let today = date(2026, 3, 20);
        let mut r = request();
        r.move_to(RightsStatus::Waiting, None, Some("asked for proof of identity"), today).unwrap();
        assert!(r.move_to(RightsStatus::Refused, None, None, today).is_err(), "the earlier note is not an exemption");
        r.move_to(RightsStatus::Refused, None, Some("DPA 2018 Sch 3 Part 3: serious harm"), today).unwrap();
        assert_eq!(r.status, RightsStatus::Refused);
    }

    #[test]
    fn an_extension_is_decided_in_the_first_month_and_once() {
        let mut r = request();
        assert!(matches!(r.extend("complex", date(2026, 4, 2)), Err(DomainError::ExtensionTooLate { .. })));
        r.extend("records from four teams over ten years", date(2026, 3, 25)).unwrap();
        assert_eq!(r.deadline(&[]).due_on, date(2026, 6, 1), "1 June 2026 (1 March + 3 months)");
        assert!(matches!(r.extend("again", date(2026, 3, 26)), Err(DomainError::AlreadyExtended)));
    }

    #[test]
    fn a_new_request_is_checked() {
        let new = NewRightsRequest {
            right: Right::Access,
            person_id: None,
            subject_name: "Ava Example".into(),
            requester: Requester::Subject,
            requester_name: "Ava Example".into(),
            channel: Channel::Email,
            received_on: date(2026, 3, 1),
            detail: "a copy of my records".into(),
        };
        assert!(new.clone().validate(date(2026, 2, 28)).is_err(), "not received in the future");
        assert!(NewRightsRequest { subject_name: " ".into(), ..new.clone() }.validate(date(2026, 3, 1)).is_err());
        assert!(new.validate(date(2026, 3, 1)).is_ok());
    }
}
