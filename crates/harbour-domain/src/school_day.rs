//! School days, for the domestic abuse notification deadline (seed 000, in the manner of
//! Operation Encompass): the child's school hears before the start of the next school day.
//! Weekends, England and Wales bank holidays (built in, [`crate::bank_holidays`]) and the
//! configured school holidays are not school days.

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
    #[schema(max_length = 200)]
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

/// Why a day is not a school day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayOffKind {
    Weekend,
    /// Built in: an England and Wales bank holiday.
    BankHoliday,
    /// Configured: a school holiday or closure.
    SchoolHoliday,
}

/// A day that is not a school day, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DayOff {
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub kind: DayOffKind,
    /// "Saturday", the bank holiday's name, or the configured holiday's name.
    pub name: String,
}

/// The school calendar: weekdays, less the bank holidays and the configured holidays.
#[derive(Debug, Clone, Default)]
pub struct SchoolCalendar {
    /// The configured holidays; bank holidays are built in and need not be listed.
    pub holidays: Vec<Holiday>,
}

impl SchoolCalendar {
    pub fn new(holidays: Vec<Holiday>) -> Self {
        Self { holidays }
    }

    pub fn is_school_day(&self, d: Date) -> bool {
        self.day_off(d).is_none()
    }

    /// Why `d` is not a school day, or None if it is one. A weekend is named first, then a
    /// bank holiday, then a configured holiday (a bank holiday inside the Easter holidays is
    /// named as the bank holiday).
    pub fn day_off(&self, d: Date) -> Option<DayOff> {
        let off = |kind, name: &str| Some(DayOff { date: d, kind, name: name.to_string() });
        match d.weekday() {
            Weekday::Saturday => return off(DayOffKind::Weekend, "Saturday"),
            Weekday::Sunday => return off(DayOffKind::Weekend, "Sunday"),
            _ => {}
        }
        if let Some(b) = crate::bank_holidays::bank_holiday_on(d) {
            return off(DayOffKind::BankHoliday, &b.name);
        }
        self.holidays.iter().find(|h| h.contains(d)).and_then(|h| off(DayOffKind::SchoolHoliday, &h.name))
    }

    /// The days from `from` to `to` (inclusive) that are not school days.
    pub fn days_off(&self, from: Date, to: Date) -> Vec<DayOff> {
        let mut out = Vec::new();
        let mut day = from;
        while day <= to {
            out.extend(self.day_off(day));
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        out
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

    /// Bank holidays are skipped without being configured (gov.uk/bank-holidays for 2026 and
    /// 2027), and the configured holidays come on top.
    #[test]
    fn bank_holidays_are_not_school_days() {
        let bare = SchoolCalendar::default();
        // The demo data's Easter holidays, 2027-03-29 to 2027-04-09.
        let easter = SchoolCalendar::new(vec![Holiday {
            name: "Easter holidays".into(),
            starts_on: date(2027, 3, 29),
            ends_on: date(2027, 4, 9),
        }]);
        let cases = [
            // Thursday 25 March 2027, evening: Good Friday (26th), the weekend and Easter
            // Monday (29th) are bank holidays → Tuesday 30 March.
            (&bare, datetime(2027, 3, 25, 19, 0, 0, 0), datetime(2027, 3, 30, 8, 30, 0, 0)),
            // Good Friday itself, overnight → Tuesday, not that morning.
            (&bare, datetime(2027, 3, 26, 2, 0, 0, 0), datetime(2027, 3, 30, 8, 30, 0, 0)),
            // With the school's Easter holidays on top → Monday 12 April.
            (&easter, datetime(2027, 3, 25, 19, 0, 0, 0), datetime(2027, 4, 12, 8, 30, 0, 0)),
            // Friday 1 May 2026 evening: the early May bank holiday is Monday 4 May → Tuesday 5 May.
            (&bare, datetime(2026, 5, 1, 18, 0, 0, 0), datetime(2026, 5, 5, 8, 30, 0, 0)),
            // Thursday 24 December 2026: Christmas (Friday), the weekend, Boxing Day's substitute
            // (Monday 28) → Tuesday 29 December.
            (&bare, datetime(2026, 12, 24, 21, 0, 0, 0), datetime(2026, 12, 29, 8, 30, 0, 0)),
            // Thursday 31 December 2026 late: New Year's Day (Friday) and the weekend → Monday 4 January.
            (&bare, datetime(2026, 12, 31, 23, 0, 0, 0), datetime(2027, 1, 4, 8, 30, 0, 0)),
            // Sunday 30 May 2027: the spring bank holiday (Monday 31) → Tuesday 1 June.
            (&bare, datetime(2027, 5, 30, 12, 0, 0, 0), datetime(2027, 6, 1, 8, 30, 0, 0)),
        ];
        for (cal, received, due) in cases {
            assert_eq!(cal.deadline(received), due, "received {received}");
        }
    }

    #[test]
    fn each_day_off_says_why() {
        let cal = SchoolCalendar::new(vec![Holiday {
            name: "Easter holidays".into(),
            starts_on: date(2027, 3, 29),
            ends_on: date(2027, 4, 9),
        }]);
        let off = cal.days_off(date(2027, 3, 25), date(2027, 3, 30));
        let got: Vec<(Date, DayOffKind, &str)> = off.iter().map(|d| (d.date, d.kind, d.name.as_str())).collect();
        assert_eq!(
            got,
            [
                (date(2027, 3, 26), DayOffKind::BankHoliday, "Good Friday"),
                (date(2027, 3, 27), DayOffKind::Weekend, "Saturday"),
                (date(2027, 3, 28), DayOffKind::Weekend, "Sunday"),
                (date(2027, 3, 29), DayOffKind::BankHoliday, "Easter Monday"),
                (date(2027, 3, 30), DayOffKind::SchoolHoliday, "Easter holidays"),
            ]
        );
        assert!(cal.is_school_day(date(2027, 3, 25)));
    }

    #[test]
    fn a_holiday_must_end_after_it_starts_and_have_a_name() {
        let h = Holiday { name: "x".into(), starts_on: date(2026, 12, 21), ends_on: date(2026, 12, 20) };
        assert!(h.validate().unwrap_err().to_string().contains("which is before it starts"));
        let h = Holiday { name: " ".into(), starts_on: date(2026, 12, 21), ends_on: date(2027, 1, 1) };
        assert!(h.validate().is_err());
    }
}
