use super::*;

fn kinds(text: &str, known: &[&str]) -> Vec<(String, Kind)> {
    let known: Vec<String> = known.iter().map(|s| (*s).to_string()).collect();
    let chars: Vec<char> = text.chars().collect();
    Redactor::new().find(text, &known).into_iter().map(|s| (chars[s.start..s.end].iter().collect(), s.kind)).collect()
}

fn found(text: &str) -> Vec<(String, Kind)> {
    kinds(text, &[])
}

#[test]
fn nhs_numbers_are_found_only_when_their_check_digit_fits() {
    assert_eq!(found("NHS no 943 476 5919 on file"), [("943 476 5919".to_string(), Kind::NhsNumber)]);
    assert_eq!(found("NHS 9434765919."), [("9434765919".to_string(), Kind::NhsNumber)]);
    // Wrong check digit, and a placeholder of equal digits: not NHS numbers.
    assert!(found("ref 943 476 5918").is_empty());
    assert!(found("ref 000 000 0000").is_empty());
}

#[test]
fn national_insurance_numbers_skip_the_prefixes_never_issued() {
    assert_eq!(found("NI AB 12 34 56 C."), [("AB 12 34 56 C".to_string(), Kind::NiNumber)]);
    assert_eq!(found("ni ab123456c"), [("ab123456c".to_string(), Kind::NiNumber)]);
    assert!(found("GB 12 34 56 A").is_empty(), "GB is never issued");
    assert!(found("DA 12 34 56 A").is_empty(), "D is never a first letter");
}

#[test]
fn postcodes_emails_and_phones() {
    assert_eq!(found("moved to BH1 1AA last week"), [("BH1 1AA".to_string(), Kind::Postcode)]);
    assert_eq!(found("write to jo.bloggs+x@example.org."), [("jo.bloggs+x@example.org".to_string(), Kind::Email)]);
    assert_eq!(found("call 07700 900123 after six"), [("07700 900123".to_string(), Kind::Phone)]);
    assert_eq!(found("call +44 7700 900123"), [("+44 7700 900123".to_string(), Kind::Phone)]);
    assert_eq!(found("ring 01202 123456"), [("01202 123456".to_string(), Kind::Phone)]);
    assert_eq!(found("ring +44 (0)1202 123456"), [("+44 (0)1202 123456".to_string(), Kind::Phone)]);
    // Not a UK range, or too few digits.
    assert!(found("case 05123 456789").is_empty());
    assert!(found("call 0770 900").is_empty());
}

#[test]
fn a_date_is_a_date_of_birth_only_when_the_text_says_so() {
    assert_eq!(found("Mia (DOB 12/03/2015) attended"), [("12/03/2015".to_string(), Kind::DateOfBirth)]);
    assert_eq!(found("She was born on 4th July 2016."), [("4th July 2016".to_string(), Kind::DateOfBirth)]);
    assert_eq!(found("date of birth: 2015-03-12"), [("2015-03-12".to_string(), Kind::DateOfBirth)]);
    assert!(found("Home visit on 12/03/2025 at 10:00.").is_empty(), "an ordinary date stays");
}

#[test]
fn street_addresses() {
    assert_eq!(found("lives at 14 Oak Tree Road with"), [("14 Oak Tree Road".to_string(), Kind::Address)]);
    assert_eq!(
        found("now at Flat 3, 27 Harbour View, BH1 1AA"),
        [("Flat 3, 27 Harbour View".to_string(), Kind::Address), ("BH1 1AA".to_string(), Kind::Postcode)]
    );
}

#[test]
fn known_people_are_found_with_titles_initials_and_possessives() {
    let known = ["Jayden Walker", "Kerry Walker"];
    let got = kinds("Mr Walker said Jayden's aunt and K. Walker were there; Jaydenx is not a name.", &known);
    let got: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(got, ["Mr Walker", "Jayden", "K. Walker"]);
    // Whole words only: a name inside another word is not a name.
    assert!(kinds("Walkerton Road", &known).iter().all(|(t, _)| t != "Walker"));
}

#[test]
fn offsets_count_characters_not_bytes() {
    let text = "Zoë’s worker — call 07700 900123";
    let spans = Redactor::new().find(text, &[]);
    assert_eq!(spans.len(), 1);
    let chars: Vec<char> = text.chars().collect();
    let s = spans[0];
    assert_eq!(chars[s.start..s.end].iter().collect::<String>(), "07700 900123");
    assert_eq!(apply(text, &spans), "Zoë’s worker — call [PHONE]");
}

#[test]
fn overlapping_findings_become_one() {
    // The postcode inside an address line is kept apart (no overlap); a name inside an email
    // is part of the email.
    let got = kinds("email kerry.walker@example.org", &["Kerry Walker"]);
    assert_eq!(got, [("kerry.walker@example.org".to_string(), Kind::Email)]);
}
