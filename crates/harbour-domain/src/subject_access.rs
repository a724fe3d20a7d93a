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
use serde::Serialize;

use crate::bank_holidays::bank_holiday_on;

/// When a request's answer is due, and why it is that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SarDeadline {
    /// The day the clock started (the request, or the confirmation of identity or scope).
    pub starts_on: Date,
    /// The corresponding date one month (three, if extended) later, before moving off
    /// non-working days.
    pub corresponding: Date,
    /// The day the answer is due.
    pub due_on: Date,
    /// The days skipped to reach `due_on`, each with why it is not a working day.
    pub skipped: Vec<(Date, String)>,
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
        skipped.push((due_on, why));
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
        let names: Vec<&str> = d.skipped.iter().map(|(_, why)| why.as_str()).collect();
        assert_eq!(names[0], "Christmas Day");
        assert_eq!(names[1], "Saturday");
        assert_eq!(names[2], "Sunday");
        assert!(names[3].contains("Boxing Day"), "{names:?}");
        // A day the council closes moves the deadline on by one more working day.
        let closed = sar_deadline(date(2026, 11, 25), None, false, &[date(2026, 12, 29)]);
        assert_eq!(closed.due_on, date(2026, 12, 30));
    }
}
