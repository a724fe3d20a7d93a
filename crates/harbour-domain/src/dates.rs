//! Anniversaries: birthdays and "N years from" a date, the one piece of calendar arithmetic
//! that eligibility and retention share.

use jiff::civil::Date;

/// `date` plus `years` calendar years: the same month and day. An anniversary of 29 February
/// in a common year falls on 1 March, the first day on which the full number of years has
/// passed, so services end and records are disposed of no earlier than the notice says (a
/// retention period "+75 years" has not run on 28 February). None beyond the calendar's range
/// (year 9999) or before it.
pub fn anniversary(date: Date, years: i32) -> Option<Date> {
    let year = i16::try_from(i32::from(date.year()).checked_add(years)?).ok()?;
    match Date::new(year, date.month(), date.day()) {
        Ok(d) => Some(d),
        // Only 29 February can be missing from another year.
        Err(_) => Date::new(year, 3, 1).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_leap_day_anniversary_falls_on_1_march_in_common_years() {
        // (date, years, anniversary)
        for (from, years, expect) in [
            (date(2008, 2, 29), 19, Some(date(2027, 3, 1))),
            (date(2008, 2, 29), 24, Some(date(2032, 2, 29))),
            (date(2000, 2, 29), 100, Some(date(2100, 3, 1))), // 2100 is not a leap year
            (date(2000, 2, 29), 400, Some(date(2400, 2, 29))),
            (date(2023, 2, 28), 1, Some(date(2024, 2, 28))),
            (date(2023, 3, 1), 1, Some(date(2024, 3, 1))),
            (date(2026, 12, 31), 75, Some(date(2101, 12, 31))),
            (date(9990, 1, 1), 75, None),
        ] {
            assert_eq!(anniversary(from, years), expect, "{from} + {years}");
        }
    }
}
