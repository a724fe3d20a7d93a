use super::*;

/// One redactor for every test: building one reads the name lists.
fn redactor() -> &'static Redactor {
    static REDACTOR: std::sync::OnceLock<Redactor> = std::sync::OnceLock::new();
    REDACTOR.get_or_init(Redactor::new)
}

fn kinds(text: &str, known: &[&str]) -> Vec<(String, Kind)> {
    let known: Vec<String> = known.iter().map(|s| (*s).to_string()).collect();
    let chars: Vec<char> = text.chars().collect();
    redactor().find(text, &known).into_iter().map(|s| (chars[s.start..s.end].iter().collect(), s.kind)).collect()
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
    assert_eq!(
        found("Mia (DOB 12/03/2015) attended"),
        [("Mia".to_string(), Kind::PossibleName), ("12/03/2015".to_string(), Kind::DateOfBirth)]
    );
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
    let named: Vec<&str> = got.iter().filter(|(_, k)| *k == Kind::Name).map(|(t, _)| t.as_str()).collect();
    assert_eq!(named, ["Mr Walker", "Jayden", "K. Walker"]);
    // Not a known person's name; the name model may still take it for someone else's.
    assert!(got.iter().all(|(t, k)| t != "Jaydenx" || *k == Kind::PossibleName));
    // Whole words only: a name inside another word is not a name.
    assert!(kinds("Walkerton Road", &known).iter().all(|(t, _)| t != "Walker"));
}

#[test]
fn offsets_count_characters_not_bytes() {
    let text = "Zoë’s worker — call 07700 900123";
    let spans = redactor().find(text, &[]);
    assert_eq!(spans.len(), 2);
    let chars: Vec<char> = text.chars().collect();
    let got: Vec<String> = spans.iter().map(|s| chars[s.start..s.end].iter().collect()).collect();
    assert_eq!(got, ["Zoë", "07700 900123"]);
    assert_eq!(apply(text, &spans), "[POSSIBLE_NAME]’s worker — call [PHONE]");
}

#[test]
fn overlapping_findings_become_one() {
    // The postcode inside an address line is kept apart (no overlap); a name inside an email
    // is part of the email.
    let got = kinds("email kerry.walker@example.org", &["Kerry Walker"]);
    assert_eq!(got, [("kerry.walker@example.org".to_string(), Kind::Email)]);
}

#[test]
fn names_not_in_the_record_are_possible_names() {
    let names = |text: &str| -> Vec<String> {
        found(text).into_iter().filter(|(_, k)| *k == Kind::PossibleName).map(|(t, _)| t).collect()
    };
    // A title and whatever name follows it, even a place word.
    assert_eq!(
        names("Seen with Mrs Okonkwo and Dr A. Mensah; PC Hill attended."),
        ["Mrs Okonkwo", "Dr A. Mensah", "PC Hill"]
    );
    assert_eq!(names("The grandmother, Mrs Church, offered respite."), ["Mrs Church"]);
    // Initials before a surname.
    assert_eq!(names("Referral from J. Thwaites and K Walker today."), ["J. Thwaites", "K Walker"]);
    // A given name from the list, with the capitalised words after it.
    assert_eq!(names("School said Olivia Przybylska and Harvey were fighting."), ["Olivia Przybylska", "Harvey"]);
    // Two words in no list, and a lone one where a person is likely.
    assert_eq!(names("Zbigniew Thwaites was present; a picture of Dariusz."), ["Zbigniew Thwaites", "Dariusz"]);
    // Kin words, "called", verbs of saying, possessives and "and" make a person context.
    assert_eq!(names("Her cousin Wairimu visited."), ["Wairimu"]);
    assert_eq!(names("She has a dog called Biscuit."), ["Biscuit"]);
    assert_eq!(names("Mum and Jitka, Ngozi and Olivia went."), ["Jitka", "Ngozi", "Olivia"]);
    // Possessives stay outside the name.
    assert_eq!(names("Kwabena's mum rang."), ["Kwabena"]);
}

#[test]
fn given_names_that_are_also_words_need_support() {
    let names = |text: &str| -> Vec<String> {
        found(text).into_iter().filter(|(_, k)| *k == Kind::PossibleName).map(|(t, _)| t).collect()
    };
    for text in [
        "Will you confirm the plan? May is busy.",
        "The Summer holiday club at Grace Academy has places.",
        "We hope to start in May, after the Hope House open day.",
        "The RAG rating is Amber and the case moved to Devon.",
        "Family are Christian and attend church in Jersey.",
        "The next review is on 4 June 2026; Faith groups were invited.",
    ] {
        assert!(names(text).is_empty(), "{text}: {:?}", names(text));
    }
    assert_eq!(names("Grace Thompson said so."), ["Grace Thompson"]);
    assert_eq!(names("Her new partner is called Faith. Later Faith shouted."), ["Faith", "Faith"]);
    assert_eq!(names("Will's mum and Hope said it was Summer Okafor."), ["Will", "Hope", "Summer Okafor"]);
    assert_eq!(names("Mrs May and Miss Summer were there."), ["Mrs May", "Miss Summer"]);
}

#[test]
fn places_organisations_and_common_words_are_not_names() {
    for text in [
        "Visit to the flat in Hamworthy near Kings Park; Dorset Police were told on Friday.",
        "Referral passed to the Julia's House hospice team and St Mary's Hospital.",
        "Jordan Close and Kerry Street are both in Poole; the family moved to Bournemouth.",
        "She watched Peppa Pig, ate at the Co-op and had a C-section in March.",
        "Staff said the NHS and CAMHS had written. Mum said Nana was poorly.",
        "Ethnicity recorded as White British; they speak Polish and Somali at home.",
        "Young person was tested for STIs after a party at Canford Heath.",
        "She went with Social Care to the Co-op and sat next to the window; played with Lego.",
        "Minutes: Approved. Present: Social Care, Dorset Police and Health Visiting.",
        "Chair: Head of Service. By: Email. To: Poole Hospital.",
        "Children are of dual heritage (White English and Black Caribbean).",
    ] {
        let got = found(text);
        assert!(got.iter().all(|(_, k)| *k != Kind::PossibleName), "{text}: {got:?}");
    }
}

#[test]
fn a_known_person_wins_over_a_possible_name() {
    // "Kerry Smith": Kerry is in the record, Smith is not; the whole is the known person's name.
    let got = kinds("Kerry Smith rang; Kerry's friend Ngozi was there.", &["Kerry Walker"]);
    assert_eq!(
        got,
        [
            ("Kerry Smith".to_string(), Kind::Name),
            ("Kerry".to_string(), Kind::Name),
            ("Ngozi".to_string(), Kind::PossibleName)
        ]
    );
    assert_eq!(Kind::PossibleName.code(), "POSSIBLE_NAME");
}

#[test]
fn odd_text_never_breaks_the_name_model() {
    #[rustfmt::skip]
    let pieces = [
        "Mr", "Mrs.", "J.", "A", "I", "’s", "'s", "'", "’", "-", "Zoë", "O'Brien", "Smith-Jones", "MAY", "May", "4",
        "\n", ". ", ", ", " and ", "&", "said", "friend", "called", "🙂", "Ölçer", "ß", "İ", "DOB", "St", "Road",
        "Kerry",
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..2000 {
        let mut text = String::new();
        for _ in 0..(seed % 12) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            if seed.is_multiple_of(3) {
                text.push(' ');
            }
        }
        let spans = redactor().find(&text, &["Kerry Walker".to_string()]);
        let len = text.chars().count();
        assert!(spans.iter().all(|s| s.start < s.end && s.end <= len), "{text:?}: {spans:?}");
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start), "{text:?}: {spans:?}");
    }
}

#[test]
fn company_labels_and_lists_of_people_are_person_contexts() {
    let names = |text: &str| -> Vec<String> {
        found(text).into_iter().filter(|(_, k)| *k == Kind::PossibleName).map(|(t, _)| t).collect()
    };
    assert_eq!(names("She is friends with Art and sits next to Radomir."), ["Art", "Radomir"]);
    assert_eq!(names("He played with Storm, then sat with Hope at lunch."), ["Storm", "Hope"]);
    assert_eq!(names("Minutes taken.\nChair: Jolanta."), ["Jolanta"]);
    assert_eq!(names("Review held.\nMinutes: Radomir"), ["Radomir"]);
    assert_eq!(names("Attendees: Kwasi Okoye - DSL; Joy - police; Bogdan."), ["Kwasi Okoye", "Joy", "Bogdan"]);
    assert_eq!(
        found("email ludmila.szczepański@example.com"),
        [("ludmila.szczepański@example.com".to_string(), Kind::Email)]
    );
}

#[test]
fn where_a_name_stands_makes_a_word_a_name() {
    let names = |text: &str| -> Vec<String> {
        found(text).into_iter().filter(|(_, k)| *k == Kind::PossibleName).map(|(t, _)| t).collect()
    };
    // A capital letter in mid-sentence is the name's, not the sentence's.
    assert_eq!(names("My best friend is Reed and we play out."), ["Reed"]);
    assert_eq!(names("we went to the park after school, Dawn is buying chips"), ["Dawn"]);
    // A verb straight after a sentence's first word.
    assert_eq!(names("Holly was upset when she arrived."), ["Holly"]);
    // Greetings, sign-offs and the lines of a list.
    assert_eq!(names("Hi Penny,\nThe meeting has moved.\nKind regards,\nIvy"), ["Penny", "Ivy"]);
    assert_eq!(names("Household:\n- Holly, lodger\n2. Rocky (uncle)"), ["Holly", "Rocky"]);
    // "Penny, mother's partner": a kin word after a comma.
    assert_eq!(names("She was collected by Penny, mother's partner."), ["Penny"]);
    // Police ranks are titles; two name-list words together in mid-sentence are a name.
    assert_eq!(names("DC Price and DS Okafor attended."), ["DC Price", "DS Okafor"]);
    assert_eq!(names("Transferred to duty worker Mustafa Yamamoto."), ["Mustafa Yamamoto"]);
    // A day of the week is a name only where a person's certainly stands.
    assert_eq!(names("Handed over by Sunday Adeyemi. Hi Sunday,"), ["Sunday Adeyemi", "Sunday"]);
}

#[test]
fn a_capital_letter_alone_does_not_make_a_word_a_name() {
    let names = |text: &str| -> Vec<String> {
        found(text).into_iter().filter(|(_, k)| *k == Kind::PossibleName).map(|(t, _)| t).collect()
    };
    for text in [
        "Photos of the Summer Fair and Sports Day were sent home.",
        "Reception staff at Rose Garden Nursery wrote on Sunday morning.",
        "Over Summer the family moved; in the Summer term she settled.",
        "The case is RAG rated Amber. The family is Christian and moved to Jersey.",
        "Children are White British and Black Caribbean; they watch Sky at the weekend.",
        "Mon: school. Tues: dentist. Screenshot of the messages attached.",
        "May was busy. Summer is a hard time for the family.",
        "Kind regards,\nChildren's Services",
        "Dear Colleague,\nPlease see the attached.",
    ] {
        assert!(names(text).is_empty(), "{text}: {:?}", names(text));
    }
}

#[test]
fn lower_case_and_capital_names_are_names_too() {
    let names = |text: &str| -> Vec<String> {
        found(text).into_iter().filter(|(_, k)| *k == Kind::PossibleName).map(|(t, _)| t).collect()
    };
    assert_eq!(names("me and olivia went to nanny river's"), ["olivia", "river"]);
    assert_eq!(names("my mate kenji said its ok"), ["kenji"]);
    assert_eq!(names("Suspect John SMITH was arrested; Mr KOWALCZYK was present."), ["John SMITH", "Mr KOWALCZYK"]);
    for text in [
        "me and mum went to the shop lol, charlie was there innit",
        "Referred to CAMHS and the MARAC; DSL aware.",
        "will u come 2moro? my nan said gonna be late",
    ] {
        assert!(names(text).is_empty(), "{text}: {:?}", names(text));
    }
}
