//! School days, for the domestic abuse notification deadline (seed 000, in the manner of
//! Operation Encompass): the child's school hears before the start of the next school day.
//! Weekends and the configured school holidays are not school days.

use jiff::civil::{Date, DateTime, Time, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{required_text, DomainError};

/// When the school day starts (the designated safeguarding lead must know by then).
pub const SCHOOL_DAY_STARTS: Time = Time::constant(8, 30, 0, 0);

/// A school holiday or closure, first and last day inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub name: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[schema(value_type = String, format = Date)]
    pub ends_on: Date,
}

impl Holiday {
    pub fn validate(self) -> Result<Self, DomainError> {
        if self.ends_on < self.starts_on {
            return Err(DomainError::HolidayEndsBeforeItStarts { starts: self.starts_on, ends: self.ends_on });
        }
        Ok(Holiday { name: required_text("holiday name", &self.name, 200)?, ..self })
    }

    fn contains(&self, d: Date) -> bool {
        self.starts_on <= d && d <= self.ends_on
    }
}

/// The school calendar: weekdays, less the holidays.
#[derive(Debug, Clone, Default)]
pub struct SchoolCalendar {
    pub holidays: Vec<Holiday>,
}

impl SchoolCalendar {
    pub fn new(holidays: Vec<Holiday>) -> Self {
        Self { holidays }
    }

    pub fn is_school_day(&self, d: Date) -> bool {
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && !self.holidays.iter().any(|h| h.contains(d))
    }

    /// The start of the first school day that begins after `received` (UK local time): the
    /// same morning for a notification received overnight before 08:30 on a school day,
    /// otherwise the next school day's 08:30.
    pub fn deadline(&self, received: DateTime) -> DateTime {
        let mut day = received.date();
        if !(self.is_school_day(day) && received.time() < SCHOOL_DAY_STARTS) {
            day = day.tomorrow().unwrap_or(day);
            // A calendar of ten years' holidays is a configuration mistake; stop there.
            for _ in 0..3660 {
                if self.is_school_day(day) {
                    break;
                }
                day = day.tomorrow().unwrap_or(day);
            }
        }
        day.to_datetime(SCHOOL_DAY_STARTS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, datetime};

    fn half_term() -> SchoolCalendar {
        SchoolCalendar::new(vec![Holiday {
            name: "October half term".into(),
            starts_on: date(2026, 10, 26),
            ends_on: date(2026, 10, 30),
        }])
    }

    #[test]
    fn the_deadline_is_the_start_of_the_next_school_day() {
        let cal = half_term();
        let cases = [
            // Monday night → Tuesday morning.
            (datetime(2026, 11, 23, 22, 15, 0, 0), datetime(2026, 11, 24, 8, 30, 0, 0)),
            // Tuesday 02:00 (overnight) → the same morning.
            (datetime(2026, 11, 24, 2, 0, 0, 0), datetime(2026, 11, 24, 8, 30, 0, 0)),
            // Exactly at the start of the day → the next day.
            (datetime(2026, 11, 24, 8, 30, 0, 0), datetime(2026, 11, 25, 8, 30, 0, 0)),
            // Friday evening → Monday, the weekend skipped.
            (datetime(2026, 11, 27, 19, 0, 0, 0), datetime(2026, 11, 30, 8, 30, 0, 0)),
            // Saturday → Monday.
            (datetime(2026, 11, 28, 11, 0, 0, 0), datetime(2026, 11, 30, 8, 30, 0, 0)),
            // Friday before half term → the Monday after it.
            (datetime(2026, 10, 23, 20, 0, 0, 0), datetime(2026, 11, 2, 8, 30, 0, 0)),
            // During half term → the Monday after it.
            (datetime(2026, 10, 28, 7, 0, 0, 0), datetime(2026, 11, 2, 8, 30, 0, 0)),
        ];
        for (received, due) in cases {
            assert_eq!(cal.deadline(received), due, "received {received}");
        }
    }

    #[test]
    fn a_holiday_must_end_after_it_starts_and_have_a_name() {
        let h = Holiday { name: "x".into(), starts_on: date(2026, 12, 21), ends_on: date(2026, 12, 20) };
        assert!(h.validate().unwrap_err().to_string().contains("which is before it starts"));
        let h = Holiday { name: " ".into(), starts_on: date(2026, 12, 21), ends_on: date(2027, 1, 1) };
        assert!(h.validate().is_err());
    }
}
