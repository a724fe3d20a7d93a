//! Redaction in a subject access bundle (issue 14): what is withheld from an item, and why.
//!
//! Each item collated for a request has its text and a list of redactions over it, offsets in
//! Unicode characters. A redaction is proposed by Harbour (a recogniser found another person's
//! name, an identifier, a confidential address) or added by the reviewer (an exemption), and the
//! reviewer accepts or rejects it. Proposals start accepted: what is not looked at is withheld.
//! [`parts`] cuts the text into what is released and what is withheld; the withheld characters
//! never leave this function, so the bundle cannot carry them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{optional_text, DomainError};

/// Why a stretch of text is withheld: the ground the bundle's reader is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RedactionReason {
    /// Another person's personal data: a family member, another child, the household
    /// (DPA 2018 Sch 2 para 16).
    ThirdParty,
    /// Another person's identifier: an NHS number, a phone number, an email, a postcode.
    ThirdPartyIdentifier,
    /// An address marked "do not disclose" (a person at risk lives there).
    ConfidentialAddress,
    /// Social work data whose disclosure would be likely to cause serious harm to anyone's
    /// physical or mental health (DPA 2018 Sch 3 Part 3 para 7).
    SeriousHarm,
    /// Disclosure would be likely to prejudice the prevention or detection of crime
    /// (DPA 2018 Sch 2 para 2).
    CrimePrevention,
    /// Legal professional privilege (DPA 2018 Sch 2 para 19).
    LegalPrivilege,
}

impl RedactionReason {
    pub const ALL: [RedactionReason; 6] = [
        RedactionReason::ThirdParty,
        RedactionReason::ThirdPartyIdentifier,
        RedactionReason::ConfidentialAddress,
        RedactionReason::SeriousHarm,
        RedactionReason::CrimePrevention,
        RedactionReason::LegalPrivilege,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RedactionReason::ThirdParty => "third_party",
            RedactionReason::ThirdPartyIdentifier => "third_party_identifier",
            RedactionReason::ConfidentialAddress => "confidential_address",
            RedactionReason::SeriousHarm => "serious_harm",
            RedactionReason::CrimePrevention => "crime_prevention",
            RedactionReason::LegalPrivilege => "legal_privilege",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What the reader of the bundle is told in place of the text.
    pub fn label(self) -> &'static str {
        match self {
            RedactionReason::ThirdParty => "information about another person",
            RedactionReason::ThirdPartyIdentifier => "another person's details",
            RedactionReason::ConfidentialAddress => "an address kept confidential",
            RedactionReason::SeriousHarm => "withheld: serious harm",
            RedactionReason::CrimePrevention => "withheld: prevention of crime",
            RedactionReason::LegalPrivilege => "withheld: legal privilege",
        }
    }

    /// The law relied on, for the cover letter.
    pub fn basis(self) -> &'static str {
        match self {
            RedactionReason::ThirdParty | RedactionReason::ThirdPartyIdentifier => {
                "UK GDPR Art 15(4) and DPA 2018 Sch 2 para 16: information about other people is not disclosed without \
                 their consent unless it is reasonable to do so"
            }
            RedactionReason::ConfidentialAddress => {
                "DPA 2018 Sch 2 para 16 and Sch 3 Part 3: an address is kept confidential to protect the person who lives \
                 there"
            }
            RedactionReason::SeriousHarm => {
                "DPA 2018 Sch 3 Part 3 para 7: disclosure would be likely to cause serious harm to someone's physical or \
                 mental health"
            }
            RedactionReason::CrimePrevention => {
                "DPA 2018 Sch 2 para 2: disclosure would be likely to prejudice the prevention or detection of crime"
            }
            RedactionReason::LegalPrivilege => "DPA 2018 Sch 2 para 19: legal professional privilege",
        }
    }
}

/// Who put a redaction there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RedactionOrigin {
    /// Found by Harbour's recognisers or from the record's structure.
    Proposed,
    /// Added by the reviewer.
    Reviewer,
}

/// A stretch of an item's text to withhold, in Unicode characters (start inclusive, end
/// exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Redaction {
    pub start: usize,
    pub end: usize,
    pub reason: RedactionReason,
    /// What was recognised (`NAME`, `POSTCODE`, `ADDRESS`, …) or `REVIEWER`.
    pub found: String,
    pub origin: RedactionOrigin,
    /// Withheld from the bundle. Proposals start accepted; the reviewer may reject them.
    pub accepted: bool,
    /// The reviewer's note (why an exemption applies, why a proposal was rejected).
    pub note: Option<String>,
}

/// A redaction the reviewer adds.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRedaction {
    #[serde(deserialize_with = "whole_number")]
    pub start: usize,
    #[serde(deserialize_with = "whole_number")]
    pub end: usize,
    pub reason: RedactionReason,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl NewRedaction {
    /// Checks it against the item's text (`chars` characters long).
    pub fn validate(self, chars: usize) -> Result<Redaction, DomainError> {
        if self.start >= self.end || self.end > chars {
            return Err(DomainError::RedactionOutsideText { start: self.start, end: self.end, chars });
        }
        Ok(Redaction {
            start: self.start,
            end: self.end,
            reason: self.reason,
            found: "REVIEWER".into(),
            origin: RedactionOrigin::Reviewer,
            accepted: true,
            note: optional_text("note", self.note.as_deref(), 2000)?,
        })
    }
}

/// A count or an offset from JSON: JSON Schema's `integer` admits `3.0` as well as `3`, so a
/// whole number written with a fraction of zero is taken; anything else is refused.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    struct Whole;
    impl serde::de::Visitor<'_> for Whole {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a whole number of zero or more")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<usize, E> {
            usize::try_from(v).map_err(|_| E::custom("the number is too large"))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<usize, E> {
            usize::try_from(v).map_err(|_| E::custom("the number must not be negative"))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<usize, E> {
            // serde_json's fast float parser is not always correctly rounded: it reads
            // 2078612664581599.0 as …599.2. A fraction within the last bits of the number's
            // precision is that rounding, not a fraction anyone wrote.
            let whole = (v - v.round()).abs() <= v.abs() * 1e-12;
            if !whole || v < 0.0 || v.is_nan() {
                return Err(E::custom("expected a whole number of zero or more"));
            }
            // Past usize's range it is simply too large (the caller's range check refuses it).
            Ok(v.round().min(usize::MAX as f64) as usize)
        }
    }
    d.deserialize_any(Whole)
}

/// A piece of an item as released: text, or the reason in place of withheld text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Part {
    Text { text: String },
    Withheld { reason: RedactionReason },
}

/// The text cut into released and withheld parts by the accepted redactions. Overlapping or
/// touching redactions make one withheld part (under the first one's reason).
pub fn parts(text: &str, redactions: &[Redaction]) -> Vec<Part> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize, RedactionReason)> = redactions
        .iter()
        .filter(|r| r.accepted && r.start < r.end)
        .map(|r| (r.start.min(chars.len()), r.end.min(chars.len()), r.reason))
        .collect();
    spans.sort();
    let mut merged: Vec<(usize, usize, RedactionReason)> = Vec::new();
    for (s, e, why) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e, why)),
        }
    }
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e, reason) in merged {
        if s > at {
            out.push(Part::Text { text: chars[at..s].iter().collect() });
        }
        out.push(Part::Withheld { reason });
        at = e;
    }
    if at < chars.len() {
        out.push(Part::Text { text: chars[at..].iter().collect() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: usize, end: usize, accepted: bool) -> Redaction {
        Redaction {
            start,
            end,
            reason: RedactionReason::ThirdParty,
            found: "NAME".into(),
            origin: RedactionOrigin::Proposed,
            accepted,
            note: None,
        }
    }

    fn released(parts: &[Part]) -> String {
        parts
            .iter()
            .map(|p| match p {
                Part::Text { text } => text.clone(),
                Part::Withheld { .. } => "#".into(),
            })
            .collect()
    }

    #[test]
    fn accepted_redactions_take_their_text_out_and_rejected_ones_leave_it() {
        let text = "Zoë saw Liam Hart at 4 Elm Road.";
        let p = parts(text, &[r(8, 17, true), r(21, 31, false)]);
        assert_eq!(released(&p), "Zoë saw # at 4 Elm Road.");
        assert!(!format!("{p:?}").contains("Liam"), "the withheld text is not in any part");
    }

    #[test]
    fn overlapping_and_touching_redactions_make_one_withheld_part() {
        let text = "abcdefghij";
        let p = parts(text, &[r(2, 5, true), r(4, 7, true), r(7, 8, true), r(0, 1, true)]);
        assert_eq!(released(&p), "#b#ij");
        // Offsets past the end are cut to it; an empty stretch withholds nothing.
        assert_eq!(released(&parts(text, &[r(8, 99, true), r(3, 3, true)])), "abcdefgh#");
    }

    #[test]
    fn a_reviewer_redaction_must_lie_within_the_text() {
        let add = |start, end| NewRedaction { start, end, reason: RedactionReason::SeriousHarm, note: None };
        assert!(add(0, 5).validate(5).is_ok());
        assert!(add(0, 6).validate(5).is_err());
        assert!(add(3, 3).validate(5).is_err());
        let ok = add(1, 2).validate(5).unwrap();
        assert_eq!((ok.origin, ok.accepted, ok.found.as_str()), (RedactionOrigin::Reviewer, true, "REVIEWER"));
    }

    #[test]
    fn offsets_read_as_whole_numbers_written_either_way() {
        let read = |json: &str| serde_json::from_str::<NewRedaction>(json).map(|r| (r.start, r.end));
        assert_eq!(read(r#"{"start": 3, "end": 5.0, "reason": "serious_harm"}"#).unwrap(), (3, 5));
        assert_eq!(read(r#"{"start": 1e300, "end": 5, "reason": "serious_harm"}"#).unwrap(), (usize::MAX, 5));
        // Read by serde_json as 2078612664581599.2 (its float parser's rounding).
        let big = read(r#"{"start": 2078612664581599.0, "end": 5, "reason": "serious_harm"}"#).unwrap();
        assert_eq!(big, (2_078_612_664_581_599, 5));
        for bad in ["2.5", "-1", "-1.0", "\"3\""] {
            assert!(read(&format!(r#"{{"start": {bad}, "end": 5, "reason": "serious_harm"}}"#)).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_reason_has_a_code_that_reads_back() {
        for r in RedactionReason::ALL {
            assert_eq!(RedactionReason::from_code(r.code()), Some(r));
            assert!(!r.label().is_empty() && r.basis().contains("DPA 2018"));
        }
    }
}
