//! What the record forms (a new person, an episode opened or closed, a relationship) share: a
//! date typed in three boxes, as the GOV.UK Design System asks for it, and a refusal of the
//! domain's in words beside the field it is about.

use harbour_domain::DomainError;
use jiff::civil::Date;

use crate::pages::{sentence, FormErrors};

/// A date typed in three boxes: day, month and year. The boxes' ids are `{prefix}-day`,
/// `{prefix}-month` and `{prefix}-year`; `ids` names them, for the error summary's links.
pub struct DateBoxes<'a> {
    pub ids: [&'static str; 3],
    pub day: &'a str,
    pub month: &'a str,
    pub year: &'a str,
}

impl DateBoxes<'_> {
    /// The date, `Ok(None)` when all three boxes are empty and it is optional; otherwise the
    /// problem, added to `errors` under the box to fix. `what` names the date in a sentence
    /// ("the date of birth").
    pub fn read(&self, errors: &mut FormErrors, what: &str, required: bool) -> Option<Date> {
        let parts = [self.day.trim(), self.month.trim(), self.year.trim()];
        if parts.iter().all(|p| p.is_empty()) {
            if required {
                errors.add(self.ids[0], format!("Enter {what}."));
            }
            return None;
        }
        for (i, name) in ["day", "month", "year"].iter().enumerate() {
            if parts[i].is_empty() {
                errors.add(self.ids[i], sentence(&format!("{what} must include a {name}")));
                return None;
            }
        }
        let number = |s: &str| s.parse::<i16>().ok();
        let date = match (number(parts[0]), number(parts[1]), number(parts[2])) {
            (Some(d), Some(m), Some(y)) if parts[2].len() == 4 => {
                i8::try_from(d).ok().zip(i8::try_from(m).ok()).and_then(|(d, m)| Date::new(y, m, d).ok())
            }
            _ => None,
        };
        if date.is_none() {
            errors.add(self.ids[0], sentence(&format!("{what} must be a real date, for example 27 3 2019")));
        }
        date
    }
}

/// A date's three boxes filled in, to offer a date already known (today, as a start).
pub fn date_parts(d: Date) -> [String; 3] {
    [d.day().to_string(), d.month().to_string(), d.year().to_string()]
}

/// A date as people in the UK write it: "7 November 2024" (the pages' own words for dates).
pub use crate::pages::uk_date as uk;

/// A refusal of a text field in words: `label` is how the form names the field ("their first
/// name").
pub fn text_problem(e: &DomainError, label: &str) -> String {
    match e {
        DomainError::Empty { .. } | DomainError::NothingVisible { .. } => format!("Enter {label}."),
        DomainError::TooLong { max, .. } => sentence(&format!("{label} must be {max} characters or fewer")),
        DomainError::ForbiddenCharacter { what, .. } => {
            sentence(&format!("{label} must not contain {what}; type it again without it"))
        }
        other => sentence(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(day: &str, month: &str, year: &str, required: bool) -> (Option<Date>, String) {
        let mut errors = FormErrors::default();
        let boxes = DateBoxes { ids: ["d-day", "d-month", "d-year"], day, month, year };
        let date = boxes.read(&mut errors, "the date", required);
        (date, if errors.is_empty() { String::new() } else { format!("{errors:?}") })
    }

    #[test]
    fn a_date_in_three_boxes_is_read_or_named_for_what_is_wrong() {
        assert_eq!(read("7", "11", "2024", true).0, Some(jiff::civil::date(2024, 11, 7)));
        assert_eq!(read("", " ", "", false), (None, String::new()));
        assert!(read("", "", "", true).1.contains(r#""d-day", "Enter the date.""#));
        assert!(read("7", "", "2024", true).1.contains(r#""d-month", "The date must include a month.""#));
        assert!(read("31", "2", "2024", true).1.contains(r#""d-day", "The date must be a real date"#));
        assert!(read("1", "2", "24", true).1.contains("real date"), "a year has four digits");
    }
}
