//! Statutory floors: the least time the law keeps some records, whatever a notice's row says
//! (rules.md rule 31, issue 11). A record's disposal date is the later of its row's date and
//! its floor's, and names the floor when the floor decides; the floor applies whichever row the
//! record was given, so a shorter row chosen by mistake cannot shorten what the law requires.

use harbour_domain::{anniversary, RecordClass};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{add_years, Disposal, Facts, Trigger};

/// Which statutory floor set a record's disposal date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Floor {
    /// Adoption case records: at least 100 years from the adoption order.
    AdoptionOrder,
    /// A looked-after child's case record: until their 75th birthday.
    SeventyFifthBirthday,
    /// A looked-after child who died before 18: 15 years from the death.
    FifteenYearsFromDeath,
}

impl Floor {
    /// What the law requires, in words.
    pub fn rule(self) -> &'static str {
        match self {
            Floor::AdoptionOrder => "at least 100 years from the adoption order",
            Floor::SeventyFifthBirthday => "until the 75th birthday",
            Floor::FifteenYearsFromDeath => "15 years from the death of a child who died before 18",
        }
    }

    /// Where the law says so.
    pub fn source(self) -> &'static str {
        match self {
            Floor::AdoptionOrder => "Adoption Agencies Regulations 2005, reg 41",
            Floor::SeventyFifthBirthday | Floor::FifteenYearsFromDeath => {
                "Care Planning, Placement and Case Review (England) Regulations 2010, reg 50"
            }
        }
    }

    /// "statutory floor: until the 75th birthday (Care Planning, … reg 50)".
    pub fn describe(self) -> String {
        format!("statutory floor: {} ({})", self.rule(), self.source())
    }
}

/// One row of the table of floors: the record class the law keeps, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloorRule {
    pub record_class: RecordClass,
    /// The floors that can apply to it (the looked-after rule has two limbs).
    pub floors: &'static [Floor],
}

/// The statutory floors by record class (rules.md rule 31). Child protection's 35 years is
/// common practice, not statute, and is the notice's row alone; foster carers' 10 years is
/// shorter than the fostering row (75 years from the fostered child's birth), so it never decides.
pub const FLOORS: &[FloorRule] = &[
    // Adoption Agencies Regulations 2005, reg 41: case records "for at least 100 years from the
    // date of the adoption order".
    FloorRule { record_class: RecordClass::Adoption, floors: &[Floor::AdoptionOrder] },
    // CPPCR (England) Regulations 2010, reg 50: "until the 75th anniversary of the date of birth
    // of the child or, if the child dies before attaining the age of 18, for a period of 15
    // years beginning with the date of death".
    FloorRule {
        record_class: RecordClass::LookedAfter,
        floors: &[Floor::SeventyFifthBirthday, Floor::FifteenYearsFromDeath],
    },
];

/// Where a record's floor falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloorDate {
    On {
        date: Date,
        floor: Floor,
    },
    /// The floor cannot be dated until this is known (the adoption order; a date of birth).
    Unknown {
        trigger: Trigger,
    },
}

/// The floor for a record of `class` whose dates are `facts`; None when the law sets none.
///
/// The adoption order's date is read as the adoption episode's closing date: the agency's work
/// in the case ends when the court makes the order, and nothing else in the record dates it.
pub fn floor_for(class: RecordClass, facts: &Facts) -> Option<FloorDate> {
    Some(match class {
        RecordClass::Adoption => match facts.closed {
            Some(order) => FloorDate::On { date: add_years(order, 100), floor: Floor::AdoptionOrder },
            None => FloorDate::Unknown { trigger: Trigger::CaseClosure },
        },
        RecordClass::LookedAfter => match facts.date_of_birth {
            None => FloorDate::Unknown { trigger: Trigger::DateOfBirth },
            Some(dob) => {
                let eighteenth = anniversary(dob, 18).unwrap_or(Date::MAX);
                match facts.died.filter(|d| *d < eighteenth) {
                    Some(died) => FloorDate::On { date: add_years(died, 15), floor: Floor::FifteenYearsFromDeath },
                    None => FloorDate::On { date: add_years(dob, 75), floor: Floor::SeventyFifthBirthday },
                }
            }
        },
        _ => return None,
    })
}

/// The later of a row's disposal and a floor: a permanent row stays permanent, a row waiting
/// for its trigger keeps waiting, a floor that cannot be dated yet keeps the record pending, and
/// a floor later than the row's date replaces it and is named. On a tie the row decides.
pub fn apply_floor(row: Disposal, floor: Option<FloorDate>) -> Disposal {
    match (row, floor) {
        (Disposal::On { date, floor: named }, Some(FloorDate::On { date: floor_date, floor })) => {
            if floor_date > date {
                Disposal::On { date: floor_date, floor: Some(floor) }
            } else {
                Disposal::On { date, floor: named }
            }
        }
        (Disposal::On { .. }, Some(FloorDate::Unknown { trigger })) => Disposal::Pending { trigger },
        (row, _) => row,
    }
}
