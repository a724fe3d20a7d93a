//! Identifiers validated once, at the boundary: NHS number, unique pupil number, postcode.

use std::fmt;
use std::sync::OnceLock;

use crate::DomainError;

/// A 10-digit NHS number whose modulus-11 check digit is right.
///
/// NHS Data Dictionary (rules.md rule 35): multiply digits 1–9 by weights 10..2, sum, take
/// the remainder mod 11; check = 11 − remainder; 11 becomes 0; 10 means the number is invalid.
/// A number of ten equal digits (`000 000 0000`, `111 111 1111`, …) passes that check but is
/// never issued: it is a placeholder typed where the number was not known, and is refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NhsNumber(String);

impl NhsNumber {
    /// A number as given by a user or a partner: ten digits whose check digit fits, and not a
    /// placeholder of ten equal digits.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let n = Self::check_digit(input)?;
        if n.0.bytes().all(|b| b == n.0.as_bytes()[0]) {
            return Err(DomainError::InvalidNhsNumber {
                value: input.to_string(),
                reason: "all ten digits are the same, which is a placeholder and never issued",
            });
        }
        Ok(n)
    }

    /// Ten digits whose modulus-11 check digit fits. Numbers already stored are read back
    /// through this (a placeholder recorded before placeholders were refused stays readable,
    /// so it can be corrected); new numbers go through [`NhsNumber::parse`].
    fn check_digit(input: &str) -> Result<Self, DomainError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let bad = |reason| DomainError::InvalidNhsNumber { value: input.to_string(), reason };
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("it must have exactly 10 digits"));
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
        let check = match 11 - (sum % 11) {
            11 => 0,
            10 => return Err(bad("its check digit would be 10, which is never issued")),
            c => c,
        };
        if check != d[9] {
            return Err(bad("the check digit does not match"));
        }
        Ok(Self(digits))
    }

    /// The ten digits without spaces, as stored and compared.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NhsNumber {
    /// Shown in the NHS's 3-3-4 grouping.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

impl TryFrom<String> for NhsNumber {
    type Error = DomainError;
    /// Deserialising reads stored numbers back, so it checks only the check digit.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::check_digit(&s)
    }
}

impl From<NhsNumber> for String {
    fn from(n: NhsNumber) -> Self {
        n.to_string()
    }
}

/// A 13-character unique pupil number: a check letter, then the 3-digit LA number, the
/// 4-digit establishment number, 2 digits of the year allocated and a 3-character serial.
///
/// DfE "Unique Pupil Numbers (UPN)" guidance [R]: weight characters 2–13 by their position
/// (2..13), sum, take mod 23 and read the check letter from `ABCDEFGHJKLMNPQRTUVWXYZ`.
/// A temporary UPN ends in a letter, which counts by its index in that alphabet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Upn(String);

const UPN_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

impl Upn {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = input.trim().to_ascii_uppercase();
        let bad = |reason| DomainError::InvalidUpn { value: input.to_string(), reason };
        let b = s.as_bytes();
        if b.len() != 13 {
            return Err(bad("it must have 13 characters"));
        }
        if !b[1..12].iter().all(u8::is_ascii_digit) {
            return Err(bad("characters 2 to 12 must be digits"));
        }
        let last = b[12];
        let last_value = if last.is_ascii_digit() {
            u32::from(last - b'0')
        } else if let Some(i) = UPN_LETTERS.iter().position(|&l| l == last) {
            i as u32
        } else {
            return Err(bad("the last character must be a digit or a UPN letter"));
        };
        let sum: u32 = b[1..12].iter().enumerate().map(|(i, &c)| u32::from(c - b'0') * (i as u32 + 2)).sum::<u32>()
            + last_value * 13;
        if UPN_LETTERS[(sum % 23) as usize] != b[0] {
            return Err(bad("the check letter does not match"));
        }
        Ok(Self(s))
    }

    /// Makes a valid UPN from its 12 trailing characters (used for synthetic demo data).
    pub fn with_check_letter(tail12: &str) -> Result<Self, DomainError> {
        Self::parse(&format!("A{tail12}")).or_else(|_| {
            UPN_LETTERS
                .iter()
                .find_map(|&l| Self::parse(&format!("{}{tail12}", l as char)).ok())
                .ok_or(DomainError::InvalidUpn { value: tail12.to_string(), reason: "no check letter fits" })
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Upn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Upn {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Upn> for String {
    fn from(n: Upn) -> Self {
        n.0
    }
}

/// A UK postcode in its normal form: upper case, one space before the inward code.
/// Format only (rules.md rule 36, BS7666); whether it exists needs the PAF.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

fn postcode_pattern() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"^([A-PR-UWYZ][0-9][0-9A-HJKSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?) ?[0-9][ABD-HJLNP-UW-Z]{2}$",
        )
        .expect("postcode pattern compiles")
    })
}

impl Postcode {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let compact: String = input.split_whitespace().collect::<String>().to_ascii_uppercase();
        if compact == "GIR0AA" {
            return Ok(Self("GIR 0AA".into()));
        }
        if !postcode_pattern().is_match(&compact) || compact.len() < 5 {
            return Err(DomainError::InvalidPostcode { value: input.to_string() });
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        Ok(Self(format!("{outward} {inward}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Postcode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Postcode> for String {
    fn from(n: Postcode) -> Self {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // rules.md rule 35 (NHS Data Dictionary).
    #[test]
    fn nhs_numbers_are_checked_with_modulus_11() {
        for (input, valid) in [
            ("943 476 5919", true),  // NHS Data Dictionary example
            ("4010232137", true),    // rules.md example
            ("943 476 5918", false), // wrong check digit
            ("999 123 4560", false), // check digit would be 10
            ("94347659", false),     // too short
            ("943476591A", false),   // not digits
            ("0000000000", false),   // passes modulus 11, but a placeholder
            ("111 111 1111", false), // likewise
            ("9999999999", false),   // likewise
        ] {
            assert_eq!(NhsNumber::parse(input).is_ok(), valid, "{input}");
        }
        assert_eq!(NhsNumber::parse("9434765919").unwrap().to_string(), "943 476 5919");
    }

    #[test]
    fn numbers_of_ten_equal_digits_are_refused() {
        // 000 000 0000 and 111 111 1111 pass modulus 11; every such number is a placeholder.
        for d in 0..=9 {
            let n = d.to_string().repeat(10);
            let err = NhsNumber::parse(&n).unwrap_err();
            assert!(matches!(err, DomainError::InvalidNhsNumber { .. }), "{n}");
        }
        assert!(NhsNumber::parse("000 000 0000").unwrap_err().to_string().contains("placeholder"));
        // One recorded before they were refused can still be read back, and corrected.
        let stored: NhsNumber = serde_json::from_str("\"000 000 0000\"").unwrap();
        assert_eq!(stored.digits(), "0000000000");
    }

    #[test]
    fn a_check_digit_of_eleven_becomes_zero() {
        // 000 000 001 → sum 2, 11 − 2 = 9; search for a number whose remainder is 0.
        let n = (0..1000u32)
            .map(|i| format!("{:09}", 100_000_000 + i))
            .find(|p| {
                let s: u32 = p.bytes().zip((2..=10).rev()).map(|(b, w)| u32::from(b - b'0') * w).sum();
                s.is_multiple_of(11)
            })
            .unwrap();
        assert!(NhsNumber::parse(&format!("{n}0")).is_ok());
    }

    #[test]
    fn upns_carry_a_check_letter() {
        let upn = Upn::with_check_letter("835123425001").unwrap();
        assert!(Upn::parse(upn.as_str()).is_ok());
        let mut wrong = upn.as_str().to_string();
        let first = if wrong.starts_with('A') { "B" } else { "A" };
        wrong.replace_range(0..1, first);
        assert!(Upn::parse(&wrong).is_err());
        assert!(Upn::parse("A12345").is_err());
    }

    // rules.md rule 36: cases tested against the BS7666 pattern.
    #[test]
    fn postcodes_are_normalised_and_checked() {
        for (input, ok) in [
            ("BH15 1AA", true),
            ("dt1 1xj", true),
            ("W1A 1HQ", true),
            ("EC1A1BB", true),
            ("QA1 1AA", false),
            ("BH15 1AC", false),
            ("", false),
        ] {
            assert_eq!(Postcode::parse(input).is_ok(), ok, "{input}");
        }
        assert_eq!(Postcode::parse("ec1a1bb").unwrap().as_str(), "EC1A 1BB");
    }
}
