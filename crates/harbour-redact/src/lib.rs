//! The redaction engine's recognisers (issue 14): what in a piece of free text a subject access
//! bundle must not show unless the reviewer decides otherwise.
//!
//! - UK identifiers, each with its own check: NHS numbers (modulus 11, never a placeholder of
//!   ten equal digits), National Insurance numbers (the prefixes HMRC never issues refused),
//!   unique pupil numbers (their check letter), postcodes (the formats Royal Mail uses);
//! - UK telephone numbers (national or +44, landline and mobile ranges) and email addresses;
//! - dates of birth: a date said to be one ("born", "DOB", "date of birth"), not every date;
//! - street addresses: a house number or name and a street of a recognised kind;
//! - the names of everyone linked to the record (`known_people`): full names, given and family
//!   names on their own, with titles ("Mr Walker"), initials ("J. Walker") and possessives
//!   ("Jayden's aunt" marks "Jayden");
//! - names that are not in the record (`POSSIBLE_NAME`, a guess for a reviewer to confirm): a
//!   model of capitalised words read against public given-name and surname lists and the words
//!   around them (see `names`).
//!
//! Offsets are in Unicode characters (not bytes), start inclusive, end exclusive. Overlapping
//! findings are merged: a known person's name wins over a possible name, otherwise the longer
//! finding wins.

use std::fmt;

use regex::Regex;
use serde::Serialize;

mod names;

/// What a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Kind {
    NhsNumber,
    NiNumber,
    Upn,
    Postcode,
    Phone,
    Email,
    DateOfBirth,
    Address,
    /// A name of someone linked to the record.
    Name,
    /// What the name model takes for the name of someone not linked to the record: a third
    /// party's name, shown to the reviewer as a guess.
    PossibleName,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::NhsNumber => "NHS_NUMBER",
            Kind::NiNumber => "NI_NUMBER",
            Kind::Upn => "UPN",
            Kind::Postcode => "POSTCODE",
            Kind::Phone => "PHONE",
            Kind::Email => "EMAIL",
            Kind::DateOfBirth => "DATE_OF_BIRTH",
            Kind::Address => "ADDRESS",
            Kind::Name => "NAME",
            Kind::PossibleName => "POSSIBLE_NAME",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A stretch of text to redact, in Unicode characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// The compiled recognisers. Build one and reuse it: compiling takes milliseconds, scanning a
/// note microseconds.
pub struct Redactor {
    nhs: Regex,
    ni: Regex,
    upn: Regex,
    postcode: Regex,
    phone: Regex,
    email: Regex,
    dob: Regex,
    address: Regex,
    names: names::NameModel,
}

const MONTHS: &str = "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?";
const STREETS: &str = "Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Gardens|Place|Court|Terrace|Grove|Hill|Rise|Walk|Mews|Square|Row|Parade|View|Park|Green|Vale";
const TITLES: &[&str] = &["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Master"];

impl Default for Redactor {
    fn default() -> Self {
        Self::new()
    }
}

/// Compiles one of the patterns below, which are fixed and tested.
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("a built-in pattern compiles: {e}"))
}

impl Redactor {
    pub fn new() -> Self {
        let date = format!(
            r"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?,?\s+\d{{4}})"
        );
        Redactor {
            nhs: re(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b"),
            ni: re(r"(?i)\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"),
            upn: re(r"\b[A-Z]\d{11}[0-9A-Z]\b"),
            postcode: re(r"(?i)\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"),
            phone: re(r"(?:\+44\s?\(0\)\s?|\+44\s?|\b0)\d(?:[\s-]?\d){8,9}\b"),
            email: re(r"(?i)\b[\w.%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}\b"),
            dob: re(&format!(r"(?i)\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth(?:\s+is)?)\s*[:\-]?\s*({date})")),
            address: re(&format!(
                r"\b(?:(?:Flat|Apartment)\s+\d+[A-Za-z]?,?\s+)?\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){{1,3}}(?:{STREETS})\b"
            )),
            names: names::NameModel::new(),
        }
    }

    /// What to redact in `text`, given the names of the people linked to the record.
    pub fn find(&self, text: &str, known_people: &[String]) -> Vec<Span> {
        let mut found: Vec<(usize, usize, Kind)> = Vec::new();
        let mut push = |m: regex::Match<'_>, kind| found.push((m.start(), m.end(), kind));
        for m in self.nhs.find_iter(text) {
            if harbour_domain::NhsNumber::parse(m.as_str()).is_ok() {
                push(m, Kind::NhsNumber);
            }
        }
        for m in self.ni.find_iter(text) {
            if ni_prefix_issued(m.as_str()) {
                push(m, Kind::NiNumber);
            }
        }
        for m in self.upn.find_iter(text) {
            if harbour_domain::Upn::parse(m.as_str()).is_ok() {
                push(m, Kind::Upn);
            }
        }
        for m in self.postcode.find_iter(text) {
            if harbour_domain::Postcode::parse(m.as_str()).is_ok() {
                push(m, Kind::Postcode);
            }
        }
        for m in self.phone.find_iter(text) {
            if uk_phone(m.as_str()) {
                push(m, Kind::Phone);
            }
        }
        for m in self.email.find_iter(text) {
            push(m, Kind::Email);
        }
        for c in self.dob.captures_iter(text) {
            if let Some(m) = c.get(1) {
                push(m, Kind::DateOfBirth);
            }
        }
        for m in self.address.find_iter(text) {
            push(m, Kind::Address);
        }
        let known = names(text, known_people);
        let anchors: Vec<(usize, usize)> = known.iter().map(|&(s, e, _)| (s, e)).collect();
        found.extend(self.names.find(text, &anchors).into_iter().map(|(s, e)| (s, e, Kind::PossibleName)));
        found.extend(known);
        to_chars(text, merge(found))
    }
}

/// HMRC never issues these prefixes (nor D, F, I, Q, U, V first, or D, F, I, O, Q, U, V second,
/// which the pattern already excludes).
fn ni_prefix_issued(s: &str) -> bool {
    let prefix: String = s.chars().filter(|c| !c.is_whitespace()).take(2).collect::<String>().to_ascii_uppercase();
    !matches!(prefix.as_str(), "BG" | "GB" | "NK" | "KN" | "TN" | "NT" | "ZZ")
}

/// A UK number: 10 digits after the leading 0 (or +44), in the landline (01, 02, 03), mobile
/// (07) or non-geographic (08) ranges.
fn uk_phone(s: &str) -> bool {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.strip_prefix("440") {
        Some(rest) if s.contains("(0)") => format!("0{rest}"),
        _ => match digits.strip_prefix("44") {
            Some(rest) if s.trim_start().starts_with('+') => format!("0{rest}"),
            _ => digits,
        },
    };
    let b = national.as_bytes();
    (national.len() == 11 || (national.len() == 10 && b.get(1) == Some(&b'1')))
        && b.first() == Some(&b'0')
        && matches!(b.get(1), Some(b'1' | b'2' | b'3' | b'7' | b'8'))
}

/// The known people's names wherever they stand: the whole name, each part of it on its own
/// (with a title, an initial before the family name, or a possessive after), as whole words.
fn names(text: &str, known_people: &[String]) -> Vec<(usize, usize, Kind)> {
    let mut out = Vec::new();
    for person in known_people {
        let parts: Vec<&str> = person.split_whitespace().filter(|p| p.chars().count() > 1).collect();
        let mut forms: Vec<String> = Vec::new();
        if parts.len() > 1 {
            forms.push(parts.join(" "));
        }
        if let (Some(first), Some(last)) = (parts.first(), parts.last()) {
            if parts.len() > 1 {
                let initial: String = first.chars().take(1).collect();
                forms.push(format!("{initial}. {last}"));
                forms.push(format!("{initial} {last}"));
            }
            for title in TITLES {
                forms.push(format!("{title} {last}"));
                forms.push(format!("{title}. {last}"));
            }
        }
        forms.extend(parts.iter().map(|p| (*p).to_string()));
        for form in forms {
            for (at, _) in text.match_indices(&form) {
                let end = at + form.len();
                if word_boundary_before(text, at) && word_boundary_after(text, end) {
                    out.push((at, end, Kind::Name));
                }
            }
        }
    }
    out
}

fn word_boundary_before(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
}

/// A word ends here: at the end, before a non-letter, or before a possessive ('s, ’s, or a
/// bare apostrophe after an s).
fn word_boundary_after(text: &str, end: usize) -> bool {
    text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric())
}

/// Overlapping findings become one. A known person's name and a possible name make a known
/// person's name ("Kerry Smith" where Kerry is in the record); otherwise, where kinds differ,
/// the longer finding's wins.
fn merge(mut found: Vec<(usize, usize, Kind)>) -> Vec<(usize, usize, Kind)> {
    found.sort_by_key(|&(s, e, k)| (s, std::cmp::Reverse(e), k));
    let mut out: Vec<(usize, usize, Kind)> = Vec::new();
    for (s, e, k) in found {
        match out.last_mut() {
            Some(last) if s < last.1 => {
                let names = [last.2, k];
                if names.contains(&Kind::Name) && names.contains(&Kind::PossibleName) {
                    last.2 = Kind::Name;
                } else if e - s > last.1 - last.0 {
                    last.2 = k;
                }
                last.1 = last.1.max(e);
            }
            _ => out.push((s, e, k)),
        }
    }
    out
}

/// Byte offsets to Unicode character offsets.
fn to_chars(text: &str, found: Vec<(usize, usize, Kind)>) -> Vec<Span> {
    let char_at = |byte: usize| text[..byte].chars().count();
    found.into_iter().map(|(s, e, kind)| Span { start: char_at(s), end: char_at(e), kind }).collect()
}

/// The text with every span replaced by `[KIND]`, for people to read.
pub fn apply(text: &str, spans: &[Span]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for s in spans {
        out.extend(&chars[at.min(s.start)..s.start]);
        out.push_str(&format!("[{}]", s.kind));
        at = s.end;
    }
    out.extend(&chars[at.min(chars.len())..]);
    out
}

#[cfg(test)]
mod tests;
