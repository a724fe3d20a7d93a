//! Held-out set D for the recognisers, names most of all. It was written after set C had been
//! run, by someone who had not read the name model's rules (`src/names.rs`, `src/lib.rs`
//! beyond the public API) or its hand-made word lists: only the crate's public API, the other
//! sets' test files (to keep away from their shapes and pools) and the vendored name lists
//! (`data/given_names.txt`, `data/surnames.txt`, to check the pools below). It was not scored
//! against the model while it was written; the model's author ran it once (the figures are
//! with its scoring test below), and it has been a development set since.
//!
//! Its generator (PCG32), seed, templates and name pools are its own, apart from sets A, B and
//! C: a social worker's visit record, strategy discussion minutes with their attendees, a
//! school's safeguarding chronology, a health visitor's new-birth visit, an emergency
//! department discharge summary, a CAMHS letter, a police domestic abuse notification, youth
//! justice and detached youth work notes, a foster carer's daily log, a child's own words in
//! lower case and misspelt, Snapchat and WhatsApp messages typed up, an email thread, a call
//! record, a MARAC referral, supervised contact, a housing officer's visit, Child in Need
//! actions, a court statement, a numbered list of household members, an Early Help request, a
//! councillor's enquiry, a missing episode, a GP summary with initials, and three notes that
//! carry only what must stay (organisations, places, apps and brands, school words, days,
//! months, festivals and events, mid-sentence too).
//!
//! Each note has two people linked to the record, a child and a parent (passed as
//! `known_people`: `NAME`), named by given name alone, by full name or before a possessive.
//! Third parties are never passed (`POSSIBLE_NAME`): professionals, relatives, neighbours,
//! friends. Their names stand at a sentence's start, after commas, in lists and numbered lists,
//! after greetings, alone on a sign-off line, after titles (Mr, Mrs, Ms, Miss, Dr, DC, DS, PC,
//! PCSO, Sgt, Cllr), before a possessive, as an initial and a surname, as a message's speaker,
//! as nicknames ("Gaz", "Smudge"), and in lower case in a child's words. Their given names and
//! surnames are drawn half from inside the vendored lists and half from outside them (checked
//! below): British, Irish, Welsh, Scottish, South Asian, West African, East European,
//! Caribbean, Chinese and Arabic names, hyphenated and with apostrophes, and given names that
//! are also ordinary words ("Willow", "Brook", "Pat", "Mercy", "Cliff").
//!
//! Labelled as a reviewer withholding other people's names would: the whole name with its
//! title ("DS Okoro", "Dr R. Patel") and never the role word ("Nanny", "paternal nan"); for a
//! possessive the name without its "'s"; dates of birth only where they are introduced as one
//! ("DOB", "born", "Date of birth"). Telephone numbers are in Ofcom's drama ranges, mail goes
//! to `example.*` domains, NHS numbers pass their check digit. Scored by `tests/scoring`, which
//! sets C and D share: entity recall and character precision, overall and per kind.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scoring;

use std::collections::{BTreeMap, HashSet};

use harbour_redact::Kind;
use scoring::{report, Note};

/// People linked to the record.
const CHILDREN: &[&str] =
    &["Kayden", "Tilly", "Aarav", "Bethany", "Mason", "Hafsa", "Corey", "Ellie-Mae", "Tyler", "Olamide"];
const PARENTS: &[&str] = &["Danielle", "Jordan", "Samira", "Justyna", "Abimbola", "Toni", "Shauna", "Leigh"];
const FAMILIES: &[&str] = &["Brennan", "O'Sullivan", "Pearce", "Kaczmarek", "Adeyinka", "Lloyd-Baptiste", "Rahimi"];

/// Third parties: given names inside the vendored list, outside it, and that are also words.
const GIVEN_IN: &[&str] = &[
    "Deirdre",
    "Brendan",
    "Maureen",
    "Trevor",
    "Gail",
    "Nigel",
    "Janice",
    "Ayesha",
    "Marta",
    "Daria",
    "Svetlana",
    "Winston",
    "Claudette",
    "Desmond",
    "Errol",
    "Neville",
    "Wei",
    "Mei",
    "Yasmin",
    "Mohammed",
    "Hassan",
    "Mariam",
];
const GIVEN_OUT: &[&str] = &[
    "Bronwen",
    "Dafydd",
    "Angharad",
    "Morag",
    "Hamish",
    "Lachlan",
    "Ciaran",
    "Saoirse",
    "Orla",
    "Padraig",
    "Roisin",
    "Harpreet",
    "Jaswinder",
    "Sunita",
    "Rajesh",
    "Imran",
    "Tariq",
    "Chinedu",
    "Emeka",
    "Adaeze",
    "Funmilayo",
    "Kofi",
    "Akosua",
    "Katarzyna",
    "Piotr",
    "Tomasz",
    "Vasile",
    "Oleksii",
    "Małgorzata",
    "Delroy",
    "Hyacinth",
    "Xiaoming",
    "Khalid",
    "Rania",
    "Yousef",
];
const GIVEN_WORDS: &[&str] = &[
    "Robin", "Jade", "Daisy", "Willow", "Brook", "Drew", "Pat", "Angel", "Heather", "Crystal", "Pearl", "Hazel",
    "Blessing", "Mercy", "Liberty", "River", "Sandy", "Cliff", "Glen", "Jack",
];
const NICKNAMES: &[&str] = &["Gaz", "Tash", "Jonno", "Bex", "Daz", "Kez", "Smudge", "Shaz", "Ozzy", "Jay"];
const SURNAME_IN: &[&str] = &[
    "Patel",
    "Shah",
    "Malik",
    "Gill",
    "Zielinski",
    "Lewandowski",
    "Horvath",
    "Campbell",
    "Reid",
    "Llewellyn",
    "Pryce",
    "McIntyre",
    "Sinclair",
    "O'Neill",
    "O'Brien",
    "Byrne",
    "Walsh",
    "Chen",
    "Wong",
    "Cheung",
    "Mansour",
    "Khoury",
    "Fenwick",
    "Ogilvie",
    "McGregor",
    "Rashid",
    "Huang",
];
const SURNAME_OUT: &[&str] = &[
    "Chaudhry",
    "Akhtar",
    "Bhatti",
    "Sandhu",
    "Grewal",
    "Dhillon",
    "Okoro",
    "Eze",
    "Asante",
    "Boateng",
    "Owusu",
    "Kowalska",
    "Wójcik",
    "Kamińska",
    "Popa",
    "Rusu",
    "Cadwaladr",
    "Al-Hassan",
    "Smith-Jones",
    "Clarke-Brown",
    "D'Souza",
    "Ogunbiyi",
    "Adeleke",
    "Nwosu",
    "Agyeman",
    "Antwi",
    "Kuznetsova",
    "Yilmaz",
    "Haque",
    "Uddin",
    "Miah",
];
const TITLES: &[&str] = &["Mr", "Mrs", "Ms", "Miss"];
const POLICE: &[&str] = &["DC", "DS", "PC", "PCSO", "Sgt"];
const POSTCODES: &[&str] = &["BH14 8JD", "DT4 7QP", "BH2 5RR", "SP6 1DB", "BH31 6AA", "DT6 3LN", "BH10 4BT", "DT3 5HW"];
const STREETS: &[&str] = &[
    "Alder Road",
    "Ringwood Road",
    "Coronation Avenue",
    "Fernside Close",
    "Kinson Grove",
    "Portland Terrace",
    "Mallard Drive",
    "Wessex Way",
];
const DOMAINS: &[&str] = &["example.org", "example.nhs.uk", "example.sch.uk", "example.gov.uk", "example.co.uk"];
const MONTHS: &[&str] = &["January", "March", "April", "June", "August", "October", "November", "December"];
const MON: &[&str] = &["Jan", "Feb", "Apr", "May", "Jul", "Sep", "Oct", "Dec"];

/// PCG32 (XSH RR): deterministic, and another generator than the other sets'.
struct Rng(u64);

impl Rng {
    fn seeded(seed: u64) -> Self {
        let mut rng = Rng(0);
        rng.next();
        rng.0 = rng.0.wrapping_add(seed);
        rng.next();
        rng
    }
    fn next(&mut self) -> u32 {
        let old = self.0;
        self.0 = old.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let shifted = (((old >> 18) ^ old) >> 27) as u32;
        shifted.rotate_right((old >> 59) as u32)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[((u64::from(self.next()) * xs.len() as u64) >> 32) as usize]
    }
    fn half(&mut self) -> bool {
        self.next() >> 31 == 1
    }
}

/// Who and what a note is about.
struct Cast {
    child: String,
    parent: String,
    family: String,
    given: [String; 4],
    surname: [String; 4],
    word: [String; 2],
    nick: String,
    title: String,
    police: String,
    domain: String,
    phone: String,
    phone2: String,
    postcode: String,
    nhs: String,
    dob: String,
    adult_dob: String,
    born: String,
    address: String,
}

impl Cast {
    fn child_full(&self) -> String {
        format!("{} {}", self.child, self.family)
    }
    fn parent_full(&self) -> String {
        format!("{} {}", self.parent, self.family)
    }
    /// Third party `k` by given name and surname.
    fn full(&self, k: usize) -> String {
        format!("{} {}", self.given[k], self.surname[k])
    }
    /// Third party `k` by initial and surname: "R. Patel".
    fn initialled(&self, k: usize) -> String {
        format!("{}. {}", self.given[k].chars().next().unwrap(), self.surname[k])
    }
    /// Third party `k` by title and surname: "Mrs Patel".
    fn titled(&self, k: usize) -> String {
        format!("{} {}", self.title, self.surname[k])
    }
    /// Third party `k` by police rank and surname: "DS Okoro".
    fn officer(&self, k: usize) -> String {
        format!("{} {}", self.police, self.surname[k])
    }
    /// Third party `k`'s work address, "given.surname@…" folded to ASCII.
    fn email(&self, k: usize) -> String {
        format!("{}.{}@{}", ascii(&self.given[k]), ascii(&self.surname[k]), self.domain)
    }
}

/// A name as a mailbox would spell it: lower case, ASCII, no apostrophes.
fn ascii(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            c => c,
        })
        .collect()
}

fn cast(rng: &mut Rng, i: usize) -> Cast {
    let mut given = || if rng.half() { rng.pick(GIVEN_IN) } else { rng.pick(GIVEN_OUT) }.to_string();
    let given = [given(), given(), given(), given()];
    let mut surname = || if rng.half() { rng.pick(SURNAME_IN) } else { rng.pick(SURNAME_OUT) }.to_string();
    let surname = [surname(), surname(), surname(), surname()];
    let (day, year) = (1 + i % 28, 9 + i % 15);
    Cast {
        child: rng.pick(CHILDREN).to_string(),
        parent: rng.pick(PARENTS).to_string(),
        family: rng.pick(FAMILIES).to_string(),
        given,
        surname,
        word: [rng.pick(GIVEN_WORDS).to_string(), rng.pick(GIVEN_WORDS).to_string()],
        nick: rng.pick(NICKNAMES).to_string(),
        title: rng.pick(TITLES).to_string(),
        police: rng.pick(POLICE).to_string(),
        domain: rng.pick(DOMAINS).to_string(),
        phone: phone(i, i),
        phone2: phone(i + 3, (i * 7 + 500) % 1000),
        postcode: rng.pick(POSTCODES).to_string(),
        nhs: nhs_number(401_000_000 + i as u64 * 797_003, i),
        dob: match i % 3 {
            0 => format!("{day:02}/{:02}/20{year:02}", 1 + i % 12),
            1 => format!("{day} {} 20{year:02}", MON[i % MON.len()]),
            _ => format!("{day:02}-{:02}-20{year:02}", 1 + (i / 3) % 12),
        },
        adult_dob: format!("{:02}/{:02}/19{}", 1 + (i * 5) % 28, 1 + (i * 7) % 12, 78 + i % 21),
        born: format!("{}{} {} 19{}", day, ordinal(day), MONTHS[(i / 2) % MONTHS.len()], 80 + i % 19),
        address: format!("{} {}", 2 + (i * 13) % 97, rng.pick(STREETS)),
    }
}

fn ordinal(day: usize) -> &'static str {
    match day {
        1 | 21 | 31 => "st",
        2 | 22 => "nd",
        3 | 23 => "rd",
        _ => "th",
    }
}

/// A number in one of Ofcom's drama ranges, written one of the ways people write them.
fn phone(style: usize, n: usize) -> String {
    let n = n % 1000;
    match style % 6 {
        0 => format!("07700 900{n:03}"),
        1 => format!("07700900{n:03}"),
        2 => format!("01632 960{n:03}"),
        3 => format!("0118 496 0{n:03}"),
        4 => format!("020 7946 0{n:03}"),
        _ => format!("+44 7700 900{n:03}"),
    }
}

/// A ten-digit number whose modulus-11 check digit fits (skipping stems that have none),
/// mostly written 3-3-4.
fn nhs_number(mut stem: u64, i: usize) -> String {
    loop {
        let digits: Vec<u64> = format!("{:09}", stem % 1_000_000_000).bytes().map(|b| u64::from(b - b'0')).collect();
        let sum: u64 = digits.iter().enumerate().map(|(k, d)| d * (10 - k as u64)).sum();
        let check = (11 - sum % 11) % 11;
        if check < 10 {
            let s: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
            return if i.is_multiple_of(4) {
                format!("{s}{check}")
            } else {
                format!("{} {} {}{check}", &s[..3], &s[3..6], &s[6..])
            };
        }
        stem += 1;
    }
}

type Template = fn(&mut Note, &Cast);

fn home_visit(n: &mut Note, c: &Cast) {
    n.say("Home visit (unannounced), 16:10. Seen: ").name(&c.child_full()).say(", alone in the bedroom; ");
    n.name(&c.parent).say(" in the kitchen. Also present: ").other(&c.full(0));
    n.say(", who said he was \"just a mate\" of ").name(&c.parent).say("'s. ").name(&c.child);
    n.say(" showed me the Xbox and said ").other(&c.word[0]).say(" from next door lets her walk the dog. ");
    n.say("Fridge stocked. Next visit within 10 working days.");
}

fn strategy_minutes(n: &mut Note, c: &Cast) {
    n.say("STRATEGY DISCUSSION (s47)\nDate: 11/03/2025, via Teams\nChair: ").other(&c.full(0));
    n.say(", Team Manager\nAttendees:\n").other(&c.officer(1)).say(" - Dorset Police CSU\n").other(&c.full(2));
    n.say(" - Named Nurse for Safeguarding\n").other(&format!("Dr {}", c.initialled(3)));
    n.say(" - Community Paediatrician (apologies)\nChild: ").name(&c.child_full()).say(", DOB ");
    n.mark(&c.dob, Kind::DateOfBirth).say("\nOutcome: threshold met for a joint s47 enquiry.\nAction: ");
    n.other(&c.given[0]).say(" to inform ").name(&c.parent).say(" today.");
}

fn dsl_chronology(n: &mut Note, c: &Cast) {
    n.say("Chronology (CPOMS export)\n04/02 - ").name(&c.child);
    n.say(" arrived 25 mins late, no coat, said mum was \"still in bed\". Logged by ").other(&c.initialled(0));
    n.say(".\n06/02 - ").name(&c.child).say("'s nan rang to say ").name(&c.child);
    n.say(" will stay with her this week. Logged by ").other(&c.initialled(0)).say(".\n10/02 - Discussed with ");
    n.other(&c.titled(1)).say(" (DSL); MASH referral made. ").other(&c.given[2]).say(" in the office to ring ");
    n.name(&c.parent).say(".");
}

fn new_birth_visit(n: &mut Note, c: &Cast) {
    n.say("HV new birth visit, day 12. Baby ")
        .other(&c.given[0])
        .say(" feeding well, weight 3.6kg. Baby's NHS number ");
    n.mark(&c.nhs, Kind::NhsNumber).say(". ").name(&c.parent).say(" is tearful and says ").other(&c.full(1));
    n.say(", the baby's father, has gone back to Romania. Maternal grandmother ").other(&c.word[0]);
    n.say(" is staying for a fortnight. Plan: EPDS at 6 weeks; ").name(&c.child);
    n.say(" (older sibling) to be offered a place at Little Stars playgroup.");
}

fn discharge_summary(n: &mut Note, c: &Cast) {
    n.say("EMERGENCY DEPARTMENT - DISCHARGE SUMMARY\nPatient: ").name(&c.child_full()).say("   DOB: ");
    n.mark(&c.dob, Kind::DateOfBirth).say("   NHS No: ").mark(&c.nhs, Kind::NhsNumber).say("\nAddress: ");
    n.mark(&c.address, Kind::Address).say(", ").mark(&c.postcode, Kind::Postcode).say("\nBrought in by: ");
    n.name(&c.parent).say(" (mother) and ").other(&c.full(0)).say(" (mother's partner)\nSeen by: ");
    n.other(&format!("Dr {}", c.full(1))).say(" (ST4)\nDiagnosis: soft tissue injury, left wrist. Safeguarding ");
    n.say("checklist completed; discussed with Liaison HV ").other(&c.given[2]).say(". GP informed: ");
    n.other(&format!("Dr {}", c.surname[3])).say(", Hamworthy Medical Practice.");
}

fn camhs_letter(n: &mut Note, c: &Cast) {
    n.say("Dear ").name(&c.parent).say(",\n\nRe: ").name(&c.child_full()).say(" (DOB ");
    n.mark(&c.dob, Kind::DateOfBirth).say(")\n\nThank you for coming to the Choice appointment with ").name(&c.child);
    n.say(" on Thursday. We have added ").name(&c.child).say(" to the waiting list for the Neurodevelopmental ");
    n.say("Pathway; in the meantime the Mental Health Support Team at school can offer sessions with ");
    n.other(&c.given[0]).say(". If things get worse, please ring the duty line on ").mark(&c.phone, Kind::Phone);
    n.say(".\n\nYours sincerely\n\n").other(&c.full(1)).say("\nClinical Psychologist, Dorset CAMHS\ncc: ");
    n.other(&format!("Dr {}", c.surname[2])).say(" (GP); ").other(&c.titled(3)).say(" (SENCo)");
}

fn domestic_abuse(n: &mut Note, c: &Cast) {
    n.say("DA notification (DASH: medium). Officers attended ").mark(&c.address, Kind::Address);
    n.say(" at 02:15 on Sunday following a 999 call by ").name(&c.parent).say(". The suspect, ").other(&c.full(0));
    n.say(", had left before police arrived. ").name(&c.child).say(" (9) was awake and told ").other(&c.officer(1));
    n.say(" that \"").other(&c.given[0]).say(" smashed the telly\". Attending: ").other(&c.officer(1));
    n.say(" and ").other(&format!("PCSO {}", c.surname[2])).say(". OIC: ").other(&format!("DS {}", c.full(3)));
    n.say(".");
}

fn youth_justice(n: &mut Note, c: &Cast) {
    n.say("YJS session at the Youth Justice Service office, Bournemouth. Met ").name(&c.child);
    n.say(" to go over the Referral Order. We talked through the shoplifting at Tesco with co-accused ");
    n.other(&c.full(0)).say(" and an older lad they call \"").other(&c.nick).say("\". ").name(&c.child);
    n.say(" says they are both blocked on Snapchat now. Next appointment Tuesday at 4pm with ").other(&c.given[1]);
    n.say(", the ETE worker.");
}

fn foster_log(n: &mut Note, c: &Cast) {
    n.say("Daily log - Wednesday\nAM: ").name(&c.child).say(" up at 7, toast and juice, school run done.\n");
    n.say("PM: collected 3.15. Upset because ").other(&c.given[0]).say(" in class called them a \"care kid\". ");
    n.say("Phone call with ").name(&c.parent).say(" at 6pm went OK but ").name(&c.child);
    n.say(" cried after.\nBed 8.30, asleep by 9.\nRecorded by: ");
    n.other(&format!("{} {}", c.word[0], c.surname[0])).say(" (foster carer)");
}

fn worry_book(n: &mut Note, c: &Cast) {
    n.name(&c.child).say(" wrote this in the worry book (copied as written): \"i dont like going to dads wen ");
    n.other(&c.given[0].to_lowercase()).say(" is ther she shouts at me and ").other(&c.given[1].to_lowercase());
    n.say(" hides under the bed. i want to stay with nanny ").other(&c.word[0].to_lowercase());
    n.say(" for ever and ever\"");
}

fn snapchat(n: &mut Note, c: &Cast) {
    n.say("Snapchat messages ").name(&c.child).say(" showed me (typed up):\n").other(&c.nick);
    n.say(": u comin out 2nite??\n").name(&c.child).say(": cant mums bein weird\n").other(&c.nick);
    n.say(": tell her ur at ").other(&c.given[0]).say("s lol\n").other(&c.nick).say(": ");
    n.other(&c.given[1]).say(" will pick u up from the Co-op at 9");
}

fn whatsapp_group(n: &mut Note, c: &Cast) {
    n.say("WhatsApp group \"Year 9 lot\" (screenshots from school):\n[21:04] ").other(&c.given[0]);
    n.say(": has anyone seen ").name(&c.child).say("?? not answering\n[21:06] ").other(&c.full(1));
    n.say(": last saw them with ").other(&c.word[0]).say(" and them boys at the skatepark\n[21:07] ");
    n.other(&c.given[0]).say(": omg\n[21:15] ").name(&c.child).say(": im fine stop messaging my mum");
}

fn email_thread(n: &mut Note, c: &Cast) {
    n.say("On Tue, 4 Mar 2025 at 10:02, ").other(&c.full(0)).say(" <").mark(&c.email(0), Kind::Email);
    n.say("> wrote:\n> Hi ").other(&c.given[1]).say(",\n> Could you send me the notes from Friday's TAF ");
    n.say("meeting for ").name(&c.child).say("?\n> Thanks,\n> ").other(&c.given[0]).say("\n\nHi ");
    n.other(&c.given[0]).say(",\nAttached. Please don't share them with ").name(&c.parent).say("'s ex, ");
    n.other(&c.full(2)).say(".\nBest wishes,\n").other(&c.given[1]);
}

fn call_record(n: &mut Note, c: &Cast) {
    n.say("Telephone call record\nTime: 14:20   Direction: incoming\nCaller: ").other(&c.titled(0));
    n.say(" (Housing Solutions), ").mark(&c.phone, Kind::Phone).say("\nRe: ").name(&c.child_full()).say("\n");
    n.other(&c.titled(0)).say(" said the family's room at the Travelodge ends on Friday. ").name(&c.parent);
    n.say(" already knows. Action: SW to email ").other(&c.given[1]).say(" in Housing Options and ring ");
    n.name(&c.parent).say(" back on ").mark(&c.phone2, Kind::Phone).say(".");
}

fn marac(n: &mut Note, c: &Cast) {
    n.say("MARAC referral (extract)\nVictim: ").name(&c.parent_full()).say(", DOB ");
    n.mark(&c.adult_dob, Kind::DateOfBirth).say("\nPerpetrator: ").other(&c.full(0)).say(", born ");
    n.mark(&c.born, Kind::DateOfBirth).say("\nChildren in household: ").name(&c.child).say(" (8) and ");
    n.other(&c.given[1]).say(" (3)\nRisk: high; strangulation reported 2 March.\nReferrer: ").other(&c.full(2));
    n.say(", IDVA, You First\nEmail: ").mark(&c.email(2), Kind::Email);
}

fn supervised_contact(n: &mut Note, c: &Cast) {
    n.say("Supervised contact, Poole Family Centre, 10:00-11:30.\nPresent: ").name(&c.child).say(", father ");
    n.other(&c.full(0)).say(", paternal nan ").other(&c.word[1]).say(" and contact worker ").other(&c.full(1));
    n.say(".\n").other(&c.given[0]).say(" arrived 15 minutes late and smelt of cannabis; brought McDonald's ");
    n.say("and a Spider-Man toy. At 11:20 ").other(&c.given[0]).say(" whispered to ").name(&c.child);
    n.say(", who later said: \"Daddy said don't tell ").name(&c.parent).say("\".");
}

fn housing_visit(n: &mut Note, c: &Cast) {
    n.other(&c.full(0)).say(", Housing Officer (BCP Council), visited ").mark(&c.address, Kind::Address);
    n.say(" with ").name(&c.parent).say(" on 3 March. Black mould in both bedrooms; ").name(&c.child);
    n.say(" has been sleeping on the sofa. The neighbour, ").other(&c.titled(1));
    n.say(", has complained about noise from a party at Christmas. Repairs raised with Sovereign; ref HSG/4471.");
}

fn cin_actions(n: &mut Note, c: &Cast) {
    n.say("Child in Need review - actions\n- ").name(&c.parent).say(" to register ").name(&c.child);
    n.say(" with ").other(&format!("Dr {}", c.surname[0])).say(" at Kinson Road Surgery\n- ");
    n.other(&c.given[1]).say(" (school) to make an Early Help referral\n- ").other(&c.full(2));
    n.say(" to chase the EHCP with the SEND team\n- Next review: 8 April, chaired by ").other(&c.full(3));
}

fn court_statement(n: &mut Note, c: &Cast) {
    n.say("IN THE FAMILY COURT AT BOURNEMOUTH\nCase No: BH25C00412\nRe: ").name(&c.child_full());
    n.say(" (a child)\nStatement of ").other(&c.full(0)).say(", social worker\n1. I am a registered social worker ");
    n.say("employed by Dorset Council.\n2. The mother, ").name(&c.parent).say(", has told me that ").name(&c.child);
    n.say("'s father is ").other(&c.full(1)).say(", who has not seen ").name(&c.child);
    n.say(" since 2021.\n3. The maternal grandmother, ").other(&format!("{} {}", c.word[0], c.surname[2]));
    n.say(", has asked to be assessed as a kinship carer.");
}

fn household_members(n: &mut Note, c: &Cast) {
    n.say("Household members:\n1. ").name(&c.child_full()).say(" (subject), DOB ").mark(&c.dob, Kind::DateOfBirth);
    n.say("\n2. ").name(&c.parent_full()).say(" (mother)\n3. ").other(&c.full(0)).say(" (mother's partner), born ");
    n.mark(&c.born, Kind::DateOfBirth).say("\n4. ").other(&c.word[1]).say(" (half-sister, 15)\n");
    n.say("Visits often: maternal uncle ").other(&c.nick).say(" (real name not known).");
}

fn early_help_request(n: &mut Note, c: &Cast) {
    n.say("EARLY HELP REQUEST\nReferrer: ").other(&format!("{} {}", c.title, c.full(0)));
    n.say("\nRole: Pastoral Lead, Poole High School\nChild: ").name(&c.child_full()).say("\nDate of birth: ");
    n.mark(&c.dob, Kind::DateOfBirth).say("\nNHS number: ").mark(&c.nhs, Kind::NhsNumber).say("\nParent/carer: ");
    n.name(&c.parent).say(", mobile ").mark(&c.phone, Kind::Phone).say("\nPostcode: ");
    n.mark(&c.postcode, Kind::Postcode).say("\nReason: weight loss and missed dental appointments; mum agrees.");
}

fn cpoms_email(n: &mut Note, c: &Cast) {
    n.say("Morning ").other(&c.word[0]).say(",\n\nQuick one before Parents' Evening - ").name(&c.child);
    n.say(" told ").other(&format!("Miss {}", c.surname[0])).say(" at break that mum left them with cousin ");
    n.other(&c.given[1]).say(" overnight again. I've logged it on CPOMS under Neglect.\n\nKind regards,\n");
    n.other(&c.full(2)).say("\nDeputy DSL | Year 4 teacher");
}

fn witness_statement(n: &mut Note, c: &Cast) {
    n.say("Statement taken by ").other(&c.officer(0)).say(" from witness ").other(&c.full(1)).say(" (DOB ");
    n.mark(&c.adult_dob, Kind::DateOfBirth).say("), of ").mark(&c.address, Kind::Address).say(", ");
    n.mark(&c.postcode, Kind::Postcode).say(": \"I saw ").name(&c.parent);
    n.say(" dragging the boy by his arm outside the Co-op. ").other(&c.given[2]);
    n.say(" from the flats was filming it on her phone.\"");
}

fn detached_youth_work(n: &mut Note, c: &Cast) {
    n.say("Detached youth work, Friday 9pm, Slades Farm skatepark. Spoke to about 12 young people. ").name(&c.child);
    n.say(" was with ").other(&c.given[0]).say(", ").other(&c.given[1]).say(", ").other(&c.word[1]);
    n.say(" and an older male the group called \"").other(&c.nick).say("\", who drives a black Audi. ");
    n.other(&c.given[0])
        .say(" said they get vapes from ")
        .other(&c.nick)
        .say("'s car. Passed to the Exploitation team.");
}

fn member_enquiry(n: &mut Note, c: &Cast) {
    n.say("Member enquiry: ").other(&format!("Cllr {}", c.surname[0])).say(" on behalf of a constituent, ");
    n.name(&c.parent_full()).say(", about the delay to ").name(&c.child).say("'s EHCP. Reply drafted by ");
    n.other(&c.full(1)).say(" for signing by the Director of Children's Services, ").other(&c.full(2)).say(".");
}

fn missing_episode(n: &mut Note, c: &Cast) {
    n.say("Missing episode 3 of 2025. ").name(&c.child).say(" was reported missing by residential worker ");
    n.other(&c.full(0)).say(" at 22:30. Found 01:10 at the address of ").other(&c.full(1)).say(" in Weymouth by ");
    n.other(&c.officer(2)).say(". Return home interview offered by ").other(&c.given[3]);
    n.say(" from Barnardo's; ").name(&c.child).say(" declined.");
}

fn gp_summary(n: &mut Note, c: &Cast) {
    n.say("Summary from Hamworthy Medical Practice: ").name(&c.child).say(" seen by ");
    n.other(&format!("Dr {}", c.initialled(0))).say(" on 3/3 for a chest infection; ").name(&c.parent);
    n.say(" attended. Previously seen by ").other(&c.initialled(1)).say(" (practice nurse) and referred to ");
    n.other(&format!("Mr {}", c.initialled(2))).say(" (ENT) at Poole Hospital.");
}

fn must_stay_school(n: &mut Note, _: &Cast) {
    n.say("Newsletter notes: Year 6 SATs are 12-15 May. Maths and Science booster groups run in the library ");
    n.say("after school; PE moves to Thursday. Ofsted visited in March. The Christmas Fayre raised £640 for ");
    n.say("Barnardo's, and World Book Day is on Thursday 6 March. Reception and Year 1 go to Monkey World in June.");
}

fn must_stay_services(n: &mut Note, _: &Cast) {
    n.say("Signposted to Citizens Advice for the Universal Credit claim and to the NSPCC helpline. Early Help ");
    n.say("and Children's Social Care agreed to step down at the Monday panel; the Youth Justice Service will close ");
    n.say("its case in April. The follow-up at Poole Hospital moves to after Eid, as the family are fasting during ");
    n.say("Ramadan.");
}

fn must_stay_online(n: &mut Note, _: &Cast) {
    n.say("Online safety session with Year 8: most use Snapchat, TikTok and Roblox, and several play Fortnite on ");
    n.say("Xbox until midnight. Places they hang out: Tesco Extra in Weymouth, McDonald's at Canford Heath, the ");
    n.say("beach by Bournemouth Pier. CEOP leaflets went home with the Autumn term report.");
}

const SET_D: &[Template] = &[
    home_visit,
    strategy_minutes,
    dsl_chronology,
    new_birth_visit,
    discharge_summary,
    camhs_letter,
    domestic_abuse,
    youth_justice,
    foster_log,
    worry_book,
    snapchat,
    whatsapp_group,
    email_thread,
    call_record,
    marac,
    supervised_contact,
    housing_visit,
    cin_actions,
    court_statement,
    household_members,
    early_help_request,
    cpoms_email,
    witness_statement,
    detached_youth_work,
    member_enquiry,
    missing_episode,
    gp_summary,
    must_stay_school,
    must_stay_services,
    must_stay_online,
];

/// How many notes set D has, and its seed.
const COUNT: usize = 630;
const SEED: u64 = 0xD0D0_5E7D_2026_0B17;

fn notes(count: usize, seed: u64) -> Vec<Note> {
    let mut rng = Rng::seeded(seed);
    (0..count)
        .map(|i| {
            let c = cast(&mut rng, i);
            let mut n = Note::default();
            SET_D[i % SET_D.len()](&mut n, &c);
            n.known = vec![c.child_full(), c.parent_full()];
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
    // After set D's one run "hyacinth" joined `ambiguous_names.txt` (and so the given-name list):
    // the one name of the pool that has moved inside since the set was written.
    let moved = ["Hyacinth"];
    assert!(
        GIVEN_OUT.iter().filter(|g| !moved.contains(g)).all(|g| !given.contains(&key(g))),
        "outside the given-name list"
    );
    assert!(SURNAME_IN.iter().all(|s| surnames.contains(&key(s))), "in the surname list");
    assert!(SURNAME_OUT.iter().all(|s| !surnames.contains(&key(s))), "outside the surname list");
    let known: HashSet<&str> = CHILDREN.iter().chain(PARENTS).chain(FAMILIES).copied().collect();
    let third = [GIVEN_IN, GIVEN_OUT, GIVEN_WORDS, NICKNAMES, SURNAME_IN, SURNAME_OUT].concat();
    assert!(third.iter().all(|t| !known.contains(t)), "no third party shares a name with the record's people");
}

/// Every label is a stretch of its note, in order, apart from the others, with nothing but the
/// name or identifier in it; the set is as large and as varied as its doc says.
#[test]
fn the_labels_are_well_formed() {
    let notes = notes(COUNT, SEED);
    assert!(notes.len() >= 600 && SET_D.len() >= 24);
    let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    for n in &notes {
        let chars: Vec<char> = n.text.chars().collect();
        let mut end = 0;
        for &(s, e, kind) in &n.gold {
            assert!(end <= s && s < e && e <= chars.len(), "{:?}", n.text);
            let label: String = chars[s..e].iter().collect();
            let loose = |c: char| c.is_whitespace() || ",.;:!?\"'()<>".contains(c);
            assert_eq!(label.trim_matches(loose), label, "{:?}", n.text);
            end = e;
            *by_kind.entry(kind).or_default() += 1;
        }
        assert_eq!(n.known.len(), 2);
    }
    println!("set D: {} notes, {} templates, entities {by_kind:?}", notes.len(), SET_D.len());
}

/// Set D was held out until its one run against the model's fourth version (set C's misses
/// mended: capitals in mid-sentence, greetings, sign-offs, lists, police ranks, lower-case
/// names): entity recall 0.9793 (possible names 0.9611) at character precision 0.9709
/// (possible names 0.9461), every other kind 1.0000 / 1.0000 — the target not met.
/// The misses were possessives without an apostrophe ("ur at Maureens"), "Hyacinth" (a given
/// name the common-word list holds), chat speakers ("Jay: u comin out"), names in a child's
/// lower-case words ("wen khalid is ther", "nanny jack"), a nickname in quotes; the
/// over-redactions "Referrer:" and "Reason:" labels, "Discussed" (a word the list derives
/// twice), "Baby" before a name, "I've", "Audi", "Online", "Fridge", "Christmas Fayre", "World
/// Book Day". It has been a development set since (the fifth version mends those), and holds
/// the model to what it now does; set E is the held-out set.
#[test]
fn set_d_scores_as_documented() {
    let (recall, precision, names) = report("set D (development)", &notes(COUNT, SEED));
    println!("possible-name recall {names:.4}");
    assert!(recall >= 0.995, "entity recall {recall:.4}");
    assert!(precision >= 0.99, "character precision {precision:.4}");
    assert!(names >= 0.99, "possible-name recall {names:.4}");
}
