use std::collections::{HashMap, HashSet};

use harbour_domain::{parts, Address, Gender, NhsNumber, Part, Person, PersonId, Postcode, RedactionReason};

use super::*;

fn person(given: &str, family: &str, dob: &str, address: Option<(&str, &str)>) -> Person {
    Person {
        id: PersonId::new(),
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: Some(dob.parse().unwrap()),
        gender: Gender::Unknown,
        address: address
            .map(|(line, pc)| Address { lines: vec![line.into()], postcode: Some(Postcode::parse(pc).unwrap()) }),
        nhs_number: None,
        upn: None,
        local_id: None,
        care_experienced: false,
        disability: false,
        date_of_death: None,
        nhs_number_verified: None,
    }
}

fn released(text: &str, p: &Proposer) -> String {
    parts(text, &p.propose(text))
        .into_iter()
        .map(|part| match part {
            Part::Text { text } => text,
            Part::Withheld { reason } => format!("[{}]", reason.code()),
        })
        .collect()
}

fn family(confidential_subject: bool) -> People {
    let mut subject = person("Ava", "Walker", "2015-03-04", Some(("12 Harbour View", "BH15 1AA")));
    subject.nhs_number = Some(NhsNumber::parse("943 476 5919").unwrap());
    let sibling = person("Leo", "Walker", "2018-07-09", Some(("12 Harbour View", "BH15 1AA")));
    let partner = person("Connor", "Briggs", "1990-01-01", Some(("3 Mill Lane", "BH14 8AB")));
    let subject_id = subject.id;
    let others: HashMap<PersonId, Person> = [sibling, partner].into_iter().map(|p| (p.id, p)).collect();
    let confidential: HashSet<PersonId> = if confidential_subject { [subject_id].into() } else { HashSet::new() };
    People { subject, others, confidential, extra_names: vec!["Mia Cole".into()], restricted: false }
}

#[test]
fn other_people_and_their_details_are_proposed_and_the_subjects_own_are_not() {
    let p = Proposer::new(&family(false), &[]);
    let text = "Ava Walker (NHS 943 476 5919, born 04/03/2015) said Connor Briggs shouted. Leo's DOB: 09/07/2018. \
                Mr Briggs rang from 07700 900123. Mia Cole was there.";
    let out = released(text, &p);
    assert!(out.starts_with("Ava Walker (NHS 943 476 5919, born 04/03/2015) said [third_party] shouted."), "{out}");
    for gone in ["Connor", "Briggs", "Leo", "09/07/2018", "07700 900123", "Mia Cole"] {
        assert!(!out.contains(gone), "{gone} is released: {out}");
    }
    // Ava's own address is hers to see, unless it is confidential.
    assert_eq!(released("Visit at 12 Harbour View, BH15 1AA.", &p), "Visit at 12 Harbour View, BH15 1AA.");
}

#[test]
fn a_confidential_address_is_withheld_wherever_it_appears_even_from_its_own_file() {
    let people = family(true);
    let p = Proposer::new(&people, &[]);
    let out = released("Moved to 12 Harbour View (postcode bh15 1aa) on Monday.", &p);
    assert!(!out.to_lowercase().contains("harbour view") && !out.to_lowercase().contains("bh15"), "{out}");
    assert!(out.contains(RedactionReason::ConfidentialAddress.code()), "{out}");
    // The details item withholds it by its structure as well.
    let item = details(&people, &p);
    let shown: String = parts(&item.text, &item.proposed)
        .into_iter()
        .filter_map(|x| match x {
            Part::Text { text } => Some(text),
            Part::Withheld { .. } => None,
        })
        .collect();
    assert!(shown.contains("Ava Walker") && !shown.contains("Harbour View") && !shown.contains("BH15"), "{shown}");
}

#[test]
fn the_digest_changes_with_the_text_and_only_with_it() {
    let p = Proposer::new(&family(false), &[]);
    let mut t = ItemText::new();
    t.line("same");
    let a = t.item("k".into(), ItemKind::Entry, "h".into(), vec![], &p).digest;
    let mut t = ItemText::new();
    t.line("same");
    assert_eq!(t.item("k".into(), ItemKind::Entry, "h".into(), vec![], &p).digest, a);
    let mut t = ItemText::new();
    t.line("same.");
    assert_ne!(t.item("k".into(), ItemKind::Entry, "h".into(), vec![], &p).digest, a);
    let mut t = ItemText::new();
    t.line("same");
    assert_ne!(t.item("k".into(), ItemKind::Entry, "h".into(), vec!["m".into()], &p).digest, a);
}

#[test]
fn names_not_in_the_record_are_proposed_but_the_staff_acting_in_their_role_are_not() {
    let staff = vec!["Priya Raman (demo)".to_string()];
    let p = Proposer::new(&family(false), &staff);
    let out = released("Ava told Priya Raman that her friend Zbigniew Okonkwo hit her. Ava is safe.", &p);
    assert_eq!(out, "Ava told Priya Raman that her friend [third_party] hit her. Ava is safe.");
    let found: Vec<String> = p.propose("Her friend Zbigniew Okonkwo").iter().map(|r| r.found.clone()).collect();
    assert_eq!(found, ["POSSIBLE_NAME"], "shown to the reviewer as a guess");
}
