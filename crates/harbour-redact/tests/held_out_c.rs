//! Held-out set C for the recognisers, names most of all: written after the model's third
//! version (person contexts of company, labels and lists of people; non-ASCII email local
//! parts), when sets A and B had both become development sets, and run once against it.
//!
//! Its generator, templates and name pools are its own, apart from `held_out.rs` and
//! `labelled.rs`: a child's own words and messages, school incident logs and concern forms, GP
//! letters, police log lines, contact-centre call notes, household composition lists, school
//! emails, contact plans, diaries. Each note has two people linked to the record (passed as
//! `known_people`: `NAME`) and third parties who are never passed (`POSSIBLE_NAME`), their
//! names drawn from many backgrounds, half inside the vendored lists (`data/`) and half outside
//! them (checked below), and given names that are also words ("Ivy", "Dawn", "Rose", "Sunday").
//! One template carries only what must stay: months, terms, school subjects, organisations
//! named with given-name words.
//!
//! Scored as the issue asks: entity recall (every character of an entity lies in some finding,
//! of whatever kind) and character precision (the share of redacted characters inside a
//! labelled entity), overall and per kind.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scoring;

use std::collections::HashSet;

use harbour_redact::Kind;
use scoring::{report, Note};

/// People linked to the record.
const CHILDREN: &[&str] = &["Oskar", "Amara", "Ishaan", "Lottie", "Zainab", "Rhys", "Niamh", "Kacper"];
const PARENTS: &[&str] = &["Gemma", "Ashley", "Farida", "Lukasz", "Precious", "Gareth"];
const FAMILIES: &[&str] = &["Abara", "Kowalczyk", "Rees", "Siddiqui", "Mahoney", "Tran"];

/// Third parties: given names inside the vendored list, outside it, and that are also words.
const GIVEN_IN: &[&str] = &[
    "Samuel",
    "Fatima",
    "Pedro",
    "Ingrid",
    "Hans",
    "Omar",
    "Leila",
    "Ivan",
    "Yolanda",
    "Rosa",
    "Tomas",
    "Agnes",
    "Siobhan",
    "Zofia",
    "Magdalena",
    "Aisha",
    "Nadia",
];
const GIVEN_OUT: &[&str] = &[
    "Kenji", "Priya", "Aoife", "Chiamaka", "Tendai", "Kwame", "Rukhsana", "Bartosz", "Anjali", "Sipho", "Ffion",
    "Eilidh", "Lwazi", "Mehmet", "Oksana", "José", "Søren", "Mustafa", "Hiroshi", "Gunnar",
];
const GIVEN_WORDS: &[&str] =
    &["Ivy", "Dawn", "Sky", "Rose", "Ray", "Penny", "Holly", "Reed", "Fern", "Sunday", "Rocky"];
const SURNAME_IN: &[&str] =
    &["Kumar", "Novak", "Schmidt", "Castillo", "Yamamoto", "Morales", "Singh", "Fitzgerald", "MacLeod", "Kovacs"];
const SURNAME_OUT: &[&str] = &[
    "Kaur",
    "Petrov",
    "Adebayo",
    "Chukwu",
    "Wiśniewska",
    "Nakashima",
    "Mahmood",
    "Iqbal",
    "Tshabalala",
    "Olawale",
    "Gunawardena",
    "Fernández",
    "Lindqvist",
    "Nowicka",
];
const TITLES: &[&str] = &["Mr", "Mrs", "Ms", "Miss", "Dr", "DC", "Sgt"];
const POSTCODES: &[&str] = &["BH9 2LP", "BH23 1QA", "DT1 3RZ", "BH15 4AN", "SP8 4TT"];
const STREETS: &[&str] = &["Kingfisher Crescent", "Beacon Road", "Heron Court", "Moordown Avenue", "Saxon Way"];

/// Xorshift64*: deterministic, and another generator than the other sets'.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() >> 33) as usize % xs.len()]
    }
    fn half(&mut self) -> bool {
        self.next() >> 63 == 1
    }
}

/// Who and what a note is about.
struct Cast {
    child: String,
    parent: String,
    family: String,
    given: [String; 3],
    surname: [String; 3],
    word_name: String,
    title: String,
    phone: String,
    postcode: String,
    nhs: String,
    dob: String,
    born: String,
    address: String,
}

fn cast(rng: &mut Rng, i: usize) -> Cast {
    let mut given = || if rng.half() { rng.pick(GIVEN_IN) } else { rng.pick(GIVEN_OUT) }.to_string();
    let given = [given(), given(), given()];
    let mut surname = || if rng.half() { rng.pick(SURNAME_IN) } else { rng.pick(SURNAME_OUT) }.to_string();
    let surname = [surname(), surname(), surname()];
    Cast {
        child: rng.pick(CHILDREN).to_string(),
        parent: rng.pick(PARENTS).to_string(),
        family: rng.pick(FAMILIES).to_string(),
        given,
        surname,
        word_name: rng.pick(GIVEN_WORDS).to_string(),
        title: rng.pick(TITLES).to_string(),
        phone: if i.is_multiple_of(3) {
            format!("07700 900{:03}", i % 1000)
        } else {
            format!("0118 496 0{:03}", i % 1000)
        },
        postcode: rng.pick(POSTCODES).to_string(),
        nhs: nhs_number(6_100_000 + i as u64 * 104_729),
        dob: format!("{:02}.{:02}.20{:02}", 1 + i % 27, 1 + i % 12, 10 + i % 9),
        born: format!("{} {} 20{:02}", 1 + i % 28, ["February", "May", "September", "December"][i % 4], 9 + i % 10),
        address: format!("{} {}", 1 + i % 90, rng.pick(STREETS)),
    }
}

/// A ten-digit number whose modulus-11 check digit fits (skipping stems that have none).
fn nhs_number(mut stem: u64) -> String {
    loop {
        let digits: Vec<u64> = format!("{:09}", stem % 1_000_000_000).bytes().map(|b| u64::from(b - b'0')).collect();
        let sum: u64 = digits.iter().enumerate().map(|(k, d)| d * (10 - k as u64)).sum();
        let check = (11 - sum % 11) % 11;
        if check < 10 {
            let s: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
            return format!("{}{}{check}", &s[..3], &s[3..]);
        }
        stem += 1;
    }
}

type Template = fn(&mut Note, &Cast);

fn child_voice(n: &mut Note, c: &Cast) {
    n.say("In my own words: I live with mum and ").other(&c.given[0]).say(". My best friend is ").other(&c.word_name);
    n.say(" and we play Roblox. I don't like it when ").other(&format!("{} {}", c.given[1], c.surname[0]));
    n.say(" comes round because he shouts at ").name(&c.parent).say(".");
}

fn incident_log(n: &mut Note, c: &Cast) {
    n.say("INCIDENT LOG - Year 5 - Spring term\n12:40 ").name(&c.child).say(" and ");
    n.other(&format!("{} {}", c.given[0], c.surname[0])).say(" pushing in the lunch queue. ").other(&c.given[1]);
    n.say(" fell and hurt her wrist; First Aid given. Witness: ").other(&format!("{} {}", c.title, c.surname[1]));
    n.say(" (TA).");
}

fn gp_letter(n: &mut Note, c: &Cast) {
    n.say("Dear ").other(&format!("Dr {}", c.surname[0])).say(",\nRe: ").name(&format!("{} {}", c.child, c.family));
    n.say(", DOB ").mark(&c.dob, Kind::DateOfBirth).say(", NHS No ").mark(&c.nhs, Kind::NhsNumber);
    n.say("\nI reviewed ").name(&c.child).say(" in clinic today with mum. Yours sincerely,\n");
    n.other(&format!("Dr {} {}", c.given[1], c.surname[1])).say("\nSpecialty Registrar in Paediatrics");
}

fn police_log(n: &mut Note, c: &Cast) {
    n.say("23:14 ").other(&format!("PC {}", c.surname[0])).say(" attended ").mark(&c.address, Kind::Address);
    n.say(" after a 999 call from neighbour ").other(&format!("{} {}", c.given[0], c.surname[1])).say(". 23:40 ");
    n.name(&c.parent).say(" spoke to officers; ").name(&c.child).say(" asleep upstairs. Ref DP/2291/25.");
}

fn call_notes(n: &mut Note, c: &Cast) {
    n.say("Contact centre - inbound call. Caller: ").other(&c.given[0]).say(" (says she is ").name(&c.child);
    n.say("'s godmother), tel ").mark(&c.phone, Kind::Phone).say(". Advised to put concerns in writing. ");
    n.say("Transferred to duty worker ").other(&format!("{} {}", c.given[1], c.surname[0])).say(".");
}

fn household(n: &mut Note, c: &Cast) {
    n.say("Household composition:\n- ").name(&format!("{} {}", c.parent, c.family)).say(", mother\n- ");
    n.name(&c.child).say(", subject\n- ").other(&format!("{} {}", c.given[0], c.surname[0]));
    n.say(", mother's partner\n- ").other(&c.word_name).say(", lodger (surname not known)");
}

fn child_text(n: &mut Note, c: &Cast) {
    n.say("Screenshot of messages: \"me and ").other(&c.given[0]).say(" are going to the park after school, ");
    n.other(&c.word_name).say(" is buying chips\" - sent by ").name(&c.child).say(" at 15:32.");
}

fn school_email(n: &mut Note, c: &Cast) {
    n.say("Hi ").other(&c.given[0]).say(",\nJust to let you know ").name(&c.child).say(" was collected today by ");
    n.other(&format!("{} {}", c.given[1], c.surname[0])).say(", who is not on the collection list.\nThanks,\n");
    n.other(&c.word_name);
}

fn contact_plan(n: &mut Note, c: &Cast) {
    n.say("Contact plan: paternal grandmother ").other(&format!("{} {}", c.given[0], c.surname[0]));
    n.say(" every other Saturday at the Boscombe Family Centre; ").name(&c.child).say(" to be handed over by ");
    n.other(&format!("{} {}", c.word_name, c.surname[1])).say(".");
}

fn transport(n: &mut Note, c: &Cast) {
    n.say("Taxi escort ").other(&c.given[0]).say(" reported that ").name(&c.child);
    n.say(" cried on the way to Winton Academy and asked for ").other(&c.given[1]).say(".");
}

fn housing_call(n: &mut Note, c: &Cast) {
    n.say("Call ended 10:42. Spoke with ").other(&format!("{} {}", c.title, c.surname[0]));
    n.say(" at the housing office about the arrears; ").name(&c.parent).say(" to ring back on ");
    n.mark(&c.phone, Kind::Phone).say(".");
}

fn concern_form(n: &mut Note, c: &Cast) {
    n.say("Concern raised by: ").other(&format!("{} {}", c.given[0], c.surname[0]));
    n.say("\nRole: Lunchtime supervisor\nDetails: ").name(&c.child).say(" had a bruise on her arm and said ");
    n.other(&c.given[1]).say(" grabbed her.");
}

fn must_stay(n: &mut Note, c: &Cast) {
    n.say("Spring term report: Maths and English on track. Reception staff at Rose Garden Nursery sent photos of ");
    n.say("the Summer Fair and Sports Day in July. ").name(&c.child).say(" wants to join Brownies on Mondays.");
}

fn group_chat(n: &mut Note, c: &Cast) {
    n.say("msg from ").other(&c.given[0]).say(": can ").name(&c.child).say(" come to mine after school?? my mum ");
    n.other(&c.given[1]).say(" says its ok");
}

fn persons_present(n: &mut Note, c: &Cast) {
    n.say("Persons present at the address: ").other(&format!("{} {}", c.given[0], c.surname[0])).say(", ");
    n.other(&c.given[1]).say(", ").name(&c.parent).say(" and two children. Postcode ");
    n.mark(&c.postcode, Kind::Postcode).say(".");
}

fn weekend_diary(n: &mut Note, c: &Cast) {
    n.say("Sat: ").name(&c.child).say(" stayed at ").other(&c.given[0]).say("'s house. Sun: went bowling with ");
    n.other(&c.word_name).say(" and her dad. Mon: back to school.");
}

fn email_received(n: &mut Note, c: &Cast) {
    let address = format!("{}.{}@example.org", c.given[0], c.surname[0]).to_lowercase();
    n.say("Email received from ").other(&format!("{} {}", c.given[0], c.surname[0])).say(" <");
    n.mark(&address, Kind::Email).say("> asking about ").name(&c.child).say("'s school place; born ");
    n.mark(&c.born, Kind::DateOfBirth).say(".");
}

fn health_visitor(n: &mut Note, c: &Cast) {
    n.say("Health visitor ").other(&c.given[0]).say(" saw baby ").other(&c.given[1]).say(" at home; ");
    n.name(&c.parent).say(" says the father, ").other(&c.surname[0]).say(", has no contact.");
}

const SET_C: &[Template] = &[
    child_voice,
    incident_log,
    gp_letter,
    police_log,
    call_notes,
    household,
    child_text,
    school_email,
    contact_plan,
    transport,
    housing_call,
    concern_form,
    must_stay,
    group_chat,
    persons_present,
    weekend_diary,
    email_received,
    health_visitor,
];

fn notes(count: usize, seed: u64) -> Vec<Note> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|i| {
            let c = cast(&mut rng, i);
            let mut n = Note::default();
            SET_C[i % SET_C.len()](&mut n, &c);
            n.known = vec![format!("{} {}", c.child, c.family), format!("{} {}", c.parent, c.family)];
            n
        })
        .collect()
}

#[test]
fn the_pools_are_where_they_claim_to_be() {
    let list = |text: &str| -> HashSet<String> { text.lines().map(|l| l.trim().to_string()).collect() };
    let given = list(include_str!("../data/given_names.txt"));
    let surnames = list(include_str!("../data/surnames.txt"));
    let key = |s: &str| s.to_lowercase().replace('\'', "");
    assert!(GIVEN_IN.iter().all(|g| given.contains(&key(g))), "inside the given-name list");
    assert!(GIVEN_OUT.iter().all(|g| !given.contains(&key(g))), "outside the given-name list");
    assert!(SURNAME_IN.iter().all(|s| surnames.contains(&key(s))), "in the surname list");
    assert!(SURNAME_OUT.iter().all(|s| !surnames.contains(&key(s))), "outside the surname list");
}

/// Set C was held out. Its first and only run against the finished model (540 notes, 1,950
/// entities) gave entity recall 0.8959 (possible names 0.8120) at character precision 0.9566
/// (possible names 0.9222; every other kind 1.0000 / 1.0000). The target (entity recall
/// of 0.99 at character precision of 0.95 or more) is NOT met on it: precision is, recall is not. The
/// misses are given names that are also words with no support the rules read ("My best friend
/// is Reed", "Thanks,\nPenny", "- Holly, lodger", "Dawn is buying chips"), the police title "DC",
/// a name after "msg from" or "Hi" at a line's start, and a name at a list line's start ("- Mustafa
/// Novak, mother's partner"); the over-redactions are "Screenshot", "Mon" (a day cut short) and
/// "Summer Fair". Those were its figures while it was held out.
///
/// It has been a development set since: the model's fourth version mended those misses
/// (0.9964 / 1.0000, the rest "Sunday" as a name with no surname after it), and set D was the
/// next held-out set.
#[test]
fn set_c_scores_as_documented() {
    let (recall, precision, names) = report("set C (development)", &notes(540, 0x5E7C_0C0F_FEE5_2026));
    assert!(recall >= 0.995, "entity recall {recall:.4}");
    assert!(precision >= 0.99, "character precision {precision:.4}");
    assert!(names >= 0.99, "possible-name recall {names:.4}");
}
