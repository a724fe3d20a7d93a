//! England and Wales bank holidays, computed for any year, so the school-day calendar (the
//! domestic abuse notification deadline, seed 000) never depends on someone remembering to
//! type Good Friday in.
//!
//! The rules are those of the Banking and Financial Dealings Act 1971 and the royal
//! proclamations under it, as published at gov.uk/bank-holidays: New Year's Day, Good Friday,
//! Easter Monday, the early May bank holiday (first Monday in May, since 1978), the spring bank
//! holiday (last Monday in May), the summer bank holiday (last Monday in August), Christmas Day
//! and Boxing Day, each with a substitute weekday when it falls at a weekend; plus the days
//! moved or added by proclamation, listed in [`MOVED`] and [`ONE_OFF`]. The list is complete
//! from 1978 (the first early May bank holiday); a day proclaimed in future is not known here
//! and is added as a configured school holiday until this table has it.

use jiff::civil::{Date, Weekday};
use serde::Serialize;
use utoipa::ToSchema;

/// One bank holiday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BankHoliday {
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    /// As gov.uk names it, e.g. "Christmas Day (substitute day)".
    pub name: String,
}

/// A day as (year, month, day), for the tables.
type Ymd = (i16, i8, i8);

/// Regular bank holidays moved by proclamation: (year, the usual holiday's name, the day it
/// was moved to, the name the day was given).
const MOVED: &[(i16, &str, Ymd, &str)] = &[
    // 50th anniversary of VE Day.
    (1995, EARLY_MAY, (1995, 5, 8), "Early May bank holiday (VE day)"),
    // Golden, Diamond and Platinum Jubilees: the spring bank holiday moved to June.
    (2002, SPRING, (2002, 6, 4), SPRING),
    (2012, SPRING, (2012, 6, 4), SPRING),
    (2022, SPRING, (2022, 6, 2), SPRING),
    // 75th anniversary of VE Day.
    (2020, EARLY_MAY, (2020, 5, 8), "Early May bank holiday (VE day)"),
];

/// Extra bank holidays proclaimed for one year only.
const ONE_OFF: &[(Ymd, &str)] = &[
    ((1981, 7, 29), "Royal wedding"),
    ((1999, 12, 31), "Millennium celebrations"),
    ((2002, 6, 3), "Golden Jubilee bank holiday"),
    ((2011, 4, 29), "Royal wedding"),
    ((2012, 6, 5), "Diamond Jubilee bank holiday"),
    ((2022, 6, 3), "Platinum Jubilee bank holiday"),
    ((2022, 9, 19), "Bank holiday for the State Funeral of Queen Elizabeth II"),
    ((2023, 5, 8), "Bank holiday for the coronation of King Charles III"),
];

const NEW_YEAR: &str = "New Year's Day";
const EARLY_MAY: &str = "Early May bank holiday";
const SPRING: &str = "Spring bank holiday";
const SUMMER: &str = "Summer bank holiday";
const CHRISTMAS: &str = "Christmas Day";
const BOXING: &str = "Boxing Day";

fn day(y: i16, m: i8, d: i8) -> Option<Date> {
    Date::new(y, m, d).ok()
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus, as in Meeus,
/// *Astronomical Algorithms*, ch. 8). Always between 22 March and 25 April.
pub fn easter_sunday(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let dom = (h + l - 7 * m + 114) % 31 + 1;
    // month is 3 or 4 and dom 1..=31, so both fit.
    day(year, month as i8, dom as i8)
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The first Monday on or after `d`.
fn monday_on_or_after(d: Date) -> Option<Date> {
    let back = d.weekday().to_monday_zero_offset();
    let ahead = (7 - back) % 7;
    d.checked_add(jiff::Span::new().days(i64::from(ahead))).ok()
}

/// The last Monday of the month `d` is in.
fn last_monday_of(d: Date) -> Option<Date> {
    let last = d.last_of_month();
    let back = last.weekday().to_monday_zero_offset();
    last.checked_sub(jiff::Span::new().days(i64::from(back))).ok()
}

fn plus_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().days(n)).ok()
}

/// Every England and Wales bank holiday of `year`, in date order. Empty for a year at the
/// calendar's ends where the dates cannot be formed.
pub fn bank_holidays(year: i16) -> Vec<BankHoliday> {
    let mut out: Vec<(Option<Date>, &str)> = Vec::new();
    let mut push = |d: Option<Date>, name: &'static str| out.push((d, name));

    // New Year's Day; at a weekend the next Monday is the substitute.
    let new_year = day(year, 1, 1);
    match new_year {
        Some(d) if is_weekend(d) => push(monday_on_or_after(d), "New Year's Day (substitute day)"),
        d => push(d, NEW_YEAR),
    }
    let easter = easter_sunday(year);
    push(easter.and_then(|e| plus_days(e, -2)), "Good Friday");
    push(easter.and_then(|e| plus_days(e, 1)), "Easter Monday");
    // The three Monday holidays, unless proclaimed onto another day that year.
    let regular: [(&'static str, Option<Date>); 3] = [
        (EARLY_MAY, day(year, 5, 1).and_then(monday_on_or_after)),
        (SPRING, day(year, 5, 1).and_then(last_monday_of)),
        (SUMMER, day(year, 8, 1).and_then(last_monday_of)),
    ];
    for (name, date) in regular {
        match MOVED.iter().find(|(y, n, _, _)| *y == year && *n == name) {
            Some((_, _, (y, m, d), moved_name)) => push(day(*y, *m, *d), moved_name),
            None => push(date, name),
        }
    }
    // Christmas and Boxing Day: a holiday at a weekend moves to the next weekday that is not
    // already a holiday (Christmas on Saturday: Monday 27 and Tuesday 28; on Sunday: Boxing
    // Day on Monday 26 and Christmas's substitute on Tuesday 27; Boxing Day on Saturday: Monday 28).
    if let (Some(christmas), Some(boxing)) = (day(year, 12, 25), day(year, 12, 26)) {
        match christmas.weekday() {
            Weekday::Saturday => {
                push(plus_days(christmas, 2), "Christmas Day (substitute day)");
                push(plus_days(christmas, 3), "Boxing Day (substitute day)");
            }
            Weekday::Sunday => {
                push(Some(boxing), BOXING);
                push(plus_days(christmas, 2), "Christmas Day (substitute day)");
            }
            Weekday::Friday => {
                push(Some(christmas), CHRISTMAS);
                push(plus_days(christmas, 3), "Boxing Day (substitute day)");
            }
            _ => {
                push(Some(christmas), CHRISTMAS);
                push(Some(boxing), BOXING);
            }
        }
    }
    for ((y, m, d), name) in ONE_OFF.iter().filter(|((y, _, _), _)| *y == year) {
        push(day(*y, *m, *d), name);
    }
    let mut days: Vec<BankHoliday> =
        out.into_iter().filter_map(|(d, name)| Some(BankHoliday { date: d?, name: name.to_string() })).collect();
    days.sort_by_key(|h| h.date);
    days
}

/// The bank holiday falling on `d`, if any.
pub fn bank_holiday_on(d: Date) -> Option<BankHoliday> {
    bank_holidays(d.year()).into_iter().find(|h| h.date == d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn listed(year: i16) -> Vec<(Date, String)> {
        bank_holidays(year).into_iter().map(|h| (h.date, h.name)).collect()
    }

    fn dates(year: i16) -> Vec<Date> {
        bank_holidays(year).into_iter().map(|h| h.date).collect()
    }

    /// The published lists at gov.uk/bank-holidays (England and Wales), year by year.
    #[test]
    #[allow(clippy::too_many_lines)] // a table of the published lists, year by year
    fn the_published_lists() {
        let cases: &[(i16, &[Ymd])] = &[
            // gov.uk 2020: VE day moved the early May bank holiday to Friday 8 May; Christmas on
            // Friday, so Boxing Day (Saturday) is substituted on Monday 28 December.
            (
                2020,
                &[
                    (2020, 1, 1),
                    (2020, 4, 10),
                    (2020, 4, 13),
                    (2020, 5, 8),
                    (2020, 5, 25),
                    (2020, 8, 31),
                    (2020, 12, 25),
                    (2020, 12, 28),
                ],
            ),
            // gov.uk 2021: Christmas on Saturday: Monday 27 and Tuesday 28 December.
            (
                2021,
                &[
                    (2021, 1, 1),
                    (2021, 4, 2),
                    (2021, 4, 5),
                    (2021, 5, 3),
                    (2021, 5, 31),
                    (2021, 8, 30),
                    (2021, 12, 27),
                    (2021, 12, 28),
                ],
            ),
            // gov.uk 2022: New Year's Day on Saturday (Monday 3 January), spring bank holiday on
            // Thursday 2 June and the Platinum Jubilee on Friday 3 June, the State Funeral on
            // 19 September, Christmas on Sunday (Boxing Day 26, Christmas substitute 27).
            (
                2022,
                &[
                    (2022, 1, 3),
                    (2022, 4, 15),
                    (2022, 4, 18),
                    (2022, 5, 2),
                    (2022, 6, 2),
                    (2022, 6, 3),
                    (2022, 8, 29),
                    (2022, 9, 19),
                    (2022, 12, 26),
                    (2022, 12, 27),
                ],
            ),
            // gov.uk 2023: New Year's Day on Sunday (Monday 2 January); the coronation on 8 May.
            (
                2023,
                &[
                    (2023, 1, 2),
                    (2023, 4, 7),
                    (2023, 4, 10),
                    (2023, 5, 1),
                    (2023, 5, 8),
                    (2023, 5, 29),
                    (2023, 8, 28),
                    (2023, 12, 25),
                    (2023, 12, 26),
                ],
            ),
            // gov.uk 2026: Christmas on Friday, Boxing Day substituted on Monday 28 December.
            (
                2026,
                &[
                    (2026, 1, 1),
                    (2026, 4, 3),
                    (2026, 4, 6),
                    (2026, 5, 4),
                    (2026, 5, 25),
                    (2026, 8, 31),
                    (2026, 12, 25),
                    (2026, 12, 28),
                ],
            ),
            // gov.uk 2027: Good Friday 26 March, Easter Monday 29 March; Christmas on Saturday.
            (
                2027,
                &[
                    (2027, 1, 1),
                    (2027, 3, 26),
                    (2027, 3, 29),
                    (2027, 5, 3),
                    (2027, 5, 31),
                    (2027, 8, 30),
                    (2027, 12, 27),
                    (2027, 12, 28),
                ],
            ),
            // 2012 (gov.uk archive): New Year's Day on Sunday; spring bank holiday moved to
            // Monday 4 June and the Diamond Jubilee on Tuesday 5 June.
            (
                2012,
                &[
                    (2012, 1, 2),
                    (2012, 4, 6),
                    (2012, 4, 9),
                    (2012, 5, 7),
                    (2012, 6, 4),
                    (2012, 6, 5),
                    (2012, 8, 27),
                    (2012, 12, 25),
                    (2012, 12, 26),
                ],
            ),
            // 2011: the royal wedding on 29 April; Christmas on Sunday.
            (
                2011,
                &[
                    (2011, 1, 3),
                    (2011, 4, 22),
                    (2011, 4, 25),
                    (2011, 4, 29),
                    (2011, 5, 2),
                    (2011, 5, 30),
                    (2011, 8, 29),
                    (2011, 12, 26),
                    (2011, 12, 27),
                ],
            ),
            // 2002: the Golden Jubilee on Monday 3 June, spring bank holiday moved to Tuesday 4 June.
            (
                2002,
                &[
                    (2002, 1, 1),
                    (2002, 3, 29),
                    (2002, 4, 1),
                    (2002, 5, 6),
                    (2002, 6, 3),
                    (2002, 6, 4),
                    (2002, 8, 26),
                    (2002, 12, 25),
                    (2002, 12, 26),
                ],
            ),
            // 1999: Christmas on Saturday, and the millennium on Friday 31 December.
            (
                1999,
                &[
                    (1999, 1, 1),
                    (1999, 4, 2),
                    (1999, 4, 5),
                    (1999, 5, 3),
                    (1999, 5, 31),
                    (1999, 8, 30),
                    (1999, 12, 27),
                    (1999, 12, 28),
                    (1999, 12, 31),
                ],
            ),
            // 1995: the early May bank holiday moved to Monday 8 May for VE day's 50th anniversary.
            (
                1995,
                &[
                    (1995, 1, 2),
                    (1995, 4, 14),
                    (1995, 4, 17),
                    (1995, 5, 8),
                    (1995, 5, 29),
                    (1995, 8, 28),
                    (1995, 12, 25),
                    (1995, 12, 26),
                ],
            ),
        ];
        for (year, expected) in cases {
            let expected: Vec<Date> = expected.iter().map(|&(y, m, d)| date(y, m, d)).collect();
            assert_eq!(dates(*year), expected, "{year}: {:?}", listed(*year));
        }
    }

    #[test]
    fn each_day_is_named_as_gov_uk_names_it() {
        let y2027 = listed(2027);
        assert_eq!(y2027[1], (date(2027, 3, 26), "Good Friday".to_string()));
        assert_eq!(y2027[6], (date(2027, 12, 27), "Christmas Day (substitute day)".to_string()));
        assert_eq!(y2027[7], (date(2027, 12, 28), "Boxing Day (substitute day)".to_string()));
        let y2022 = listed(2022);
        assert_eq!(y2022[0].1, "New Year's Day (substitute day)");
        assert_eq!(y2022[4].1, "Spring bank holiday");
        assert_eq!(y2022[5].1, "Platinum Jubilee bank holiday");
        assert_eq!(y2022[8].1, "Boxing Day");
        assert_eq!(y2022[9].1, "Christmas Day (substitute day)");
        assert_eq!(listed(2020)[3].1, "Early May bank holiday (VE day)");
        assert_eq!(
            bank_holiday_on(date(2023, 5, 8)).unwrap().name,
            "Bank holiday for the coronation of King Charles III"
        );
        assert_eq!(bank_holiday_on(date(2027, 3, 30)), None);
    }

    /// Easter Sunday against published tables (e.g. the Church of England's and the US Naval
    /// Observatory's lists), including the earliest (22 March) and latest (25 April) dates.
    #[test]
    fn easter_by_the_gregorian_computus() {
        for (year, m, d) in [
            (1818, 3, 22),
            (1943, 4, 25),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2038, 4, 25),
            (2285, 3, 22),
        ] {
            assert_eq!(easter_sunday(year), Some(date(year, m, d)), "{year}");
        }
    }

    #[test]
    fn every_year_has_eight_holidays_on_weekdays_unless_proclaimed_otherwise() {
        for year in 1978..=2100 {
            let days = bank_holidays(year);
            let extra = ONE_OFF.iter().filter(|((y, _, _), _)| *y == year).count();
            assert_eq!(days.len(), 8 + extra, "{year}");
            assert!(days.iter().all(|h| !is_weekend(h.date)), "{year}: {days:?}");
            assert!(days.windows(2).all(|w| w[0].date < w[1].date), "{year}: distinct and in order");
        }
    }
}
