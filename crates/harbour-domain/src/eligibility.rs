//! Who Harbour's services are for, by age (seed 002, "What we do and who we are": "from early
//! pregnancy up until the young person reaches the age of 19 years and for some children and
//! care experienced young people, including those who have a disability, up to the age of 25").

use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

use crate::Person;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Eligibility {
    /// 19, or 25 for care-experienced or disabled young people.
    pub upper_age: i16,
    /// The birthday on which services end; `None` when the date of birth is not known.
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<Date>,
    /// Whether services can be given on the date asked about.
    pub eligible: bool,
}

impl Eligibility {
    pub fn of(person: &Person, on: Date) -> Self {
        let upper_age: i16 = if person.care_experienced || person.disability { 25 } else { 19 };
        let ends_on = person.date_of_birth.map(|dob| birthday(dob, upper_age));
        // Without a date of birth (an unborn child, a parent whose age is unknown) Harbour
        // cannot say services have ended, so it does not block the episode.
        let eligible = ends_on.is_none_or(|end| on < end);
        Self { upper_age, ends_on, eligible }
    }
}

/// The `years`th birthday. Someone born on 29 February has it on 1 March in common years: on
/// 28 February they are not yet that age, so services do not end before the notice says
/// (issue 11). Past the calendar's end it is the calendar's last day.
pub fn birthday(dob: Date, years: i16) -> Date {
    crate::anniversary(dob, i32::from(years)).unwrap_or(Date::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Gender, PersonId};
    use jiff::civil::date;

    fn person(dob: Date, care_experienced: bool, disability: bool) -> Person {
        Person {
            id: PersonId::new(),
            given_name: "T".into(),
            family_name: "Test".into(),
            date_of_birth: Some(dob),
            gender: Gender::NotStated,
            address: None,
            nhs_number: None,
            upn: None,
            local_id: None,
            care_experienced,
            disability,
            date_of_death: None,
            nhs_number_verified: None,
        }
    }

    #[test]
    fn services_run_to_the_19th_birthday_or_the_25th() {
        let dob = date(2007, 5, 10);
        // (on, care_experienced, disability, eligible)
        for (on, ce, dis, ok) in [
            (date(2026, 5, 9), false, false, true),
            (date(2026, 5, 10), false, false, false), // the 19th birthday itself: services have ended
            (date(2026, 5, 10), true, false, true),
            (date(2026, 5, 10), false, true, true),
            (date(2032, 5, 9), true, false, true),
            (date(2032, 5, 10), true, false, false),
        ] {
            assert_eq!(Eligibility::of(&person(dob, ce, dis), on).eligible, ok, "{on} {ce} {dis}");
        }
    }

    #[test]
    fn a_leap_day_birthday_falls_on_1_march_in_common_years() {
        // Born 29 February 2008: 19 on 1 March 2027 (2027 has no 29 February); 24 on
        // 29 February 2032, a leap year.
        assert_eq!(birthday(date(2008, 2, 29), 19), date(2027, 3, 1));
        assert_eq!(birthday(date(2008, 2, 29), 24), date(2032, 2, 29));
        let p = person(date(2008, 2, 29), false, false);
        // Still eligible on 28 February 2027; services end on 1 March.
        assert!(Eligibility::of(&p, date(2027, 2, 28)).eligible);
        assert!(!Eligibility::of(&p, date(2027, 3, 1)).eligible);
        assert_eq!(Eligibility::of(&p, date(2027, 3, 1)).ends_on, Some(date(2027, 3, 1)));
    }
}
