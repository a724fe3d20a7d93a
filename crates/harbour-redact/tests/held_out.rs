//! Held-out labelled sets for the recognisers, names most of all: synthetic case notes from a
//! generator, templates and name pools of their own, written apart from `labelled.rs` (other
//! sentence shapes: minutes, chronologies, letters, a child's words, quotations, lists).
//!
//! Two sets, both development sets now:
//! - set A (630 notes, 18 templates) was written first and run once against the first name
//!   model (possible-name recall 0.7280, precision 1.0000); what it missed then shaped the
//!   model's second version (a common-word list, names repeated in a note, two words in no
//!   list), so it is no longer held out: it is kept as a development set;
//! - set B (612 notes, 18 further templates, pools of other names) was written after that and
//!   held out until what it missed shaped the model's third version (person contexts of
//!   company and of labels and lists of people; non-ASCII email local parts), so it is a
//!   development set too. The held-out set is now set C, in `held_out_c.rs`.
//!
//! Each note has two people linked to the record (passed as `known_people`: their names are
//! `NAME`) and third parties who are not (never passed: their names are `POSSIBLE_NAME`). The
//! third parties' names come from pools partly inside the vendored lists (`data/`), partly
//! outside them (checked below), and partly given names that are also ordinary words ("Grace",
//! "Will", "May"); the notes also carry what must stay: organisations and places named after
//! people, months, school terms, common words with capitals.
//!
//! Scored as the issue asks: entity recall (an entity counts as found when every character of
//! it lies in some finding, of whatever kind) and character precision (the share of redacted
//! characters inside a labelled entity), overall and per kind.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::collections::{BTreeMap, HashSet};

use harbour_redact::{Kind, Redactor};

/// Set A's pools.
/// People linked to the record.
const CHILDREN: &[&str] =
    &["Maisie", "Harvey", "Imogen", "Reggie", "Esme", "Kian", "Tegan", "Bradley", "Demi", "Dylan"];
const PARENTS: &[&str] = &["Keeley", "Darren", "Stacey", "Leanne", "Craig", "Kirsty", "Dwayne", "Jolene"];
const FAMILIES: &[&str] =
    &["Pilkington", "Ashworth", "Hargreaves", "Nowak", "Ferreira", "Hussain", "Whitworth", "Crabtree"];

/// Third parties: given names inside the vendored list, outside it, and that are also words.
const GIVEN_IN: &[&str] = &[
    "Kwabena",
    "Oluwaseun",
    "Tadhg",
    "Wojciech",
    "Tatenda",
    "Ioana",
    "Bogdan",
    "Mihai",
    "Ruairi",
    "Gethin",
    "Morwenna",
    "Kezia",
    "Ottilie",
    "Kasia",
    "Teodora",
    "Rhodri",
    "Cerys",
    "Marlon",
    "Beverley",
    "Mandy",
    "Kelvin",
    "Lorraine",
    "Shelby",
    "Grzegorz",
];
const GIVEN_OUT: &[&str] = &[
    "Zephyrine",
    "Agnieszka",
    "Chidi",
    "Ngozi",
    "Dariusz",
    "Peregrine",
    "Chinonso",
    "Fiifi",
    "Radek",
    "Jitka",
    "Wiesława",
    "Ebun",
    "Ijeoma",
    "Zbigniew",
    "Olusegun",
    "Babajide",
    "Efua",
    "Nkechi",
    "Wairimu",
    "Ysolde",
];
const GIVEN_WORDS: &[&str] = &["Grace", "Hope", "Summer", "Faith", "Will", "Mark", "Bill", "Amber", "Sunny", "May"];
/// Third parties' surnames: inside the vendored list and outside it.
const SURNAME_IN: &[&str] = &[
    "Przybylski",
    "Kowalski",
    "Wisniewski",
    "Nguyen",
    "Haddad",
    "Rahman",
    "McAllister",
    "Holloway",
    "Pemberton",
    "Dobson",
    "Greenhalgh",
    "Braithwaite",
    "Haworth",
    "Kavanagh",
    "Featherstone",
    "Clegg",
];
const SURNAME_OUT: &[&str] = &[
    "Thwaites",
    "Entwistle",
    "Okonkwo",
    "Mensah",
    "Adeyemi",
    "Oyelaran",
    "Popescu",
    "Ionescu",
    "Okafor",
    "Higginbottom",
    "Ramsbottom",
    "Trelawney",
    "Penhaligon",
    "Tregear",
    "Balogun",
    "Begum",
    "Choudhury",
    "O'Driscoll",
    "Postlethwaite",
    "Smith-Oldroyd",
];
const TITLES: &[&str] = &["Mr", "Mrs", "Ms", "Miss", "Dr", "PC", "Mx"];

/// Set B's pools: other people, names in and out of the lists, other words that are names.
const CHILDREN_B: &[&str] = &["Alfie", "Poppy", "Freddie", "Evie", "Jenson", "Lacey", "Ruben", "Nevaeh"];
const PARENTS_B: &[&str] = &["Shannon", "Wayne", "Michelle", "Lee", "Nicola", "Jason"];
const FAMILIES_B: &[&str] = &["Bellamy", "Murray", "Jankowski", "Doherty", "Chapman", "Lockwood"];
const GIVEN_IN_B: &[&str] = &[
    "Tobias", "Florence", "Yusuf", "Anya", "Declan", "Mariana", "Hamza", "Sienna", "Callum", "Natalia", "Wiktoria",
    "Eoghan", "Caoimhe", "Adwoa", "Nnamdi",
];
const GIVEN_OUT_B: &[&str] =
    &["Jolanta", "Ogechi", "Thandeka", "Radomir", "Kwasi", "Dmytro", "Oleksandr", "Ludmila", "Folasade", "Yetunde"];
const GIVEN_WORDS_B: &[&str] = &["Hope", "Joy", "Star", "Rain", "Storm", "Chase", "Frank", "Art", "Autumn"];
const SURNAME_IN_B: &[&str] =
    &["Lowther", "Pritchard", "Tennant", "Sheldon", "Quigley", "Abernethy", "Kirkpatrick", "Gallagher", "Nakamura"];
const SURNAME_OUT_B: &[&str] = &[
    "Ogunleye",
    "Nwachukwu",
    "Dunkerley",
    "Heseltine",
    "Mountbatten",
    "Bhattacharya",
    "Wojciechowska",
    "Okoye",
    "Fairbrother",
    "Oyewole",
    "Szczepański",
];

/// The pools one set draws on.
struct Pools {
    children: &'static [&'static str],
    parents: &'static [&'static str],
    families: &'static [&'static str],
    given_in: &'static [&'static str],
    given_out: &'static [&'static str],
    given_words: &'static [&'static str],
    surname_in: &'static [&'static str],
    surname_out: &'static [&'static str],
}

const POOLS_A: Pools = Pools {
    children: CHILDREN,
    parents: PARENTS,
    families: FAMILIES,
    given_in: GIVEN_IN,
    given_out: GIVEN_OUT,
    given_words: GIVEN_WORDS,
    surname_in: SURNAME_IN,
    surname_out: SURNAME_OUT,
};

const POOLS_B: Pools = Pools {
    children: CHILDREN_B,
    parents: PARENTS_B,
    families: FAMILIES_B,
    given_in: GIVEN_IN_B,
    given_out: GIVEN_OUT_B,
    given_words: GIVEN_WORDS_B,
    surname_in: SURNAME_IN_B,
    surname_out: SURNAME_OUT_B,
};
const POSTCODES: &[&str] = &["BH12 3EF", "BH8 9QW", "DT2 7HB", "SP7 8NJ", "BH21 4RT", "DT11 9LG"];
const STREETS: &[&str] = &["Ferryman Way", "Tollgate Road", "Sandbanks Avenue", "Kittiwake Close", "Old Quarry Drive"];

/// SplitMix64: deterministic, and not the development set's generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// A note being written, with its labelled entities in characters.
#[derive(Default)]
struct Note {
    text: String,
    known: Vec<String>,
    gold: Vec<(usize, usize, Kind)>,
}

impl Note {
    fn say(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }
    fn mark(&mut self, s: &str, kind: Kind) -> &mut Self {
        let at = self.text.chars().count();
        self.text.push_str(s);
        self.gold.push((at, at + s.chars().count(), kind));
        self
    }
    fn name(&mut self, s: &str) -> &mut Self {
        self.mark(s, Kind::Name)
    }
    fn other(&mut self, s: &str) -> &mut Self {
        self.mark(s, Kind::PossibleName)
    }
}

/// Who and what a note is about.
struct Cast {
    child: String,
    parent: String,
    family: String,
    /// Third parties: given names and surnames, each drawn from the pools in or out of the lists.
    given: [String; 3],
    surname: [String; 3],
    word_name: String,
    title: String,
    phone: String,
    postcode: String,
    nhs: String,
    dob: String,
    /// A date of birth written out: "3rd July 2016".
    born: String,
    address: String,
}

fn cast(rng: &mut Rng, i: usize, pools: &Pools) -> Cast {
    let mut given = || if rng.below(2) == 0 { rng.pick(pools.given_in) } else { rng.pick(pools.given_out) }.to_string();
    let given = [given(), given(), given()];
    let mut surname =
        || if rng.below(2) == 0 { rng.pick(pools.surname_in) } else { rng.pick(pools.surname_out) }.to_string();
    let surname = [surname(), surname(), surname()];
    Cast {
        child: rng.pick(pools.children).to_string(),
        parent: rng.pick(pools.parents).to_string(),
        family: rng.pick(pools.families).to_string(),
        given,
        surname,
        word_name: rng.pick(pools.given_words).to_string(),
        title: rng.pick(TITLES).to_string(),
        phone: if i.is_multiple_of(2) {
            format!("07700 900{:03}", i % 1000)
        } else {
            format!("01632 960{:03}", i % 1000)
        },
        postcode: rng.pick(POSTCODES).to_string(),
        nhs: nhs_number(4_000_000 + i as u64 * 7919),
        dob: format!("{:02}/{:02}/20{:02}", 1 + i % 28, 1 + i % 12, 9 + i % 10),
        born: format!("{}th {} 20{:02}", 4 + i % 16, ["March", "July", "October", "January"][i % 4], 8 + i % 11),
        address: format!("{} {}", 2 + i % 140, rng.pick(STREETS)),
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
            return format!("{} {} {}{check}", &s[..3], &s[3..6], &s[6..]);
        }
        stem += 1;
    }
}

type Template = fn(&mut Note, &Cast);

fn minutes(n: &mut Note, c: &Cast) {
    n.say("Core group at Poole Civic Centre on Tuesday. Present: ").name(&format!("{} {}", c.parent, c.family));
    n.say(" (mother), ").other(&format!("{} {}", c.given[0], c.surname[0])).say(" (school nurse), ");
    n.other(&format!("{} {}", c.title, c.surname[1]))
        .say(" (police) and a minute-taker from the Safeguarding Partnership. ");
    n.say("Apologies from ").other(&format!("{} {}", c.given[1], c.surname[2])).say(".");
}

fn chronology(n: &mut Note, c: &Cast) {
    n.say("03/02/2025 - Telephone call from ").other(&format!("{} {}", c.given[0], c.surname[0]));
    n.say(", maternal aunt, who said ")
        .name(&c.child)
        .say(" had stayed with her over the May half term. Call back on ");
    n.mark(&c.phone, Kind::Phone).say(".");
}

fn child_words(n: &mut Note, c: &Cast) {
    n.name(&c.child).say(" said that her friend ").other(&c.given[0]).say(" told her not to tell anyone. ");
    n.say("She drew a picture of ").other(&c.given[1]).say(" and the dog.");
}

fn contact(n: &mut Note, c: &Cast) {
    n.say("Contact was supervised by ").other(&format!("{} {}", c.given[0], c.surname[0])).say(" and ");
    n.other(&c.given[1]).say(" at the Kinson Family Hub; ").name(&c.parent).say(" arrived twenty minutes late.");
}

fn letter(n: &mut Note, c: &Cast) {
    n.say("Dear ").other(&format!("{} {}", c.title, c.surname[0]));
    n.say(", thank you for attending the review at Bournemouth Library on 12 June. ").name(&c.parent);
    n.say(" has asked for a copy of the plan, which will be posted to ").mark(&c.postcode, Kind::Postcode).say(".");
}

fn words_not_names(n: &mut Note, c: &Cast) {
    n.say("Will you confirm whether the Summer holiday club at Grace Academy still has a place for ").name(&c.child);
    n.say("? May is busy; we hope to start in June, after the Hope House open day. Amber rating agreed.");
}

fn word_names(n: &mut Note, c: &Cast) {
    n.name(&c.parent).say("'s new partner is called ").other(&c.word_name).say(". ").name(&c.child);
    n.say(" said ").other(&c.word_name).say(" shouts when he has been drinking.");
}

fn initials(n: &mut Note, c: &Cast) {
    let initial: String = c.given[0].chars().take(1).collect();
    n.say("Referral received from ").other(&format!("{initial}. {}", c.surname[0])).say(" (health visitor) about ");
    n.name(&c.child).say(" (DOB ").mark(&c.dob, Kind::DateOfBirth).say("). Concerns about home conditions at ");
    n.mark(&c.address, Kind::Address).say(".");
}

fn quoted(n: &mut Note, c: &Cast) {
    n.say("\"").other(&c.given[0]).say(" is my best mate,\" ").name(&c.child).say(" told the worker. ");
    n.other(&c.given[0]).say("'s mum drives them both to school.");
}

fn places_not_people(n: &mut Note, c: &Cast) {
    n.say("Visit to the flat in Hamworthy; neighbours near Kings Park and the Oakdale youth club reported noise. ");
    n.say("The Dorset Police safeguarding hub was told on Friday 14 March. ").name(&c.child);
    n.say(" watched Peppa Pig with ").name(&c.parent).say(".");
}

fn email(n: &mut Note, c: &Cast) {
    let address = format!("{}.{}@example.net", c.given[0], c.surname[0]).to_lowercase().replace(['\'', ' '], "");
    n.say("Email from the school's family support worker, ").other(&format!("{} {}", c.given[0], c.surname[0]));
    n.say(" (").mark(&address, Kind::Email).say("): ").name(&c.child).say(" has missed four days this half term.");
}

fn neighbour(n: &mut Note, c: &Cast) {
    n.name(&c.parent).say(" reported that her neighbour, ").other(&format!("{} {}", c.title, c.surname[0]));
    n.say(", has been shouting at the children from the landing.");
}

fn visitor(n: &mut Note, c: &Cast) {
    n.other(&format!("{} {}", c.given[0], c.surname[0])).say(" was present at the home visit and declined to give a ");
    n.say("date of birth. ").name(&c.parent).say(" described him as a friend of the family.");
}

fn gp(n: &mut Note, c: &Cast) {
    n.say("The GP, ")
        .other(&format!("Dr {}", c.surname[0]))
        .say(", confirmed NHS number ")
        .mark(&c.nhs, Kind::NhsNumber);
    n.say(" for ").name(&c.child).say(" and will write to ").other(&format!("{} {}", c.given[1], c.surname[1]));
    n.say(" at the surgery.");
}

fn organisations(n: &mut Note, c: &Cast) {
    n.say("Referral passed to the Julia's House hospice team and St Aldhelm's Academy. ").name(&c.child);
    n.say(" has a place at Harbour Lights Nursery from September; ").name(&format!("Mrs {}", c.family));
    n.say(" will take her on Mondays.");
}

fn word_name_and_surname(n: &mut Note, c: &Cast) {
    n.other(&format!("{} {}", c.word_name, c.surname[0])).say(", who lives upstairs, has been looking after ");
    n.name(&c.child).say(" after school. ").name(&format!("Mrs {}", c.family)).say(" was not aware of this.");
}

fn siblings(n: &mut Note, c: &Cast) {
    n.name(&c.child).say(", ").other(&c.given[0]).say(" and ").other(&c.given[1]);
    n.say(" were seen together at the park on Saturday.");
}

fn text_message(n: &mut Note, c: &Cast) {
    n.say("Text from ").other(&c.given[0]).say(" on ").mark(&c.phone, Kind::Phone).say(" asking whether ");
    n.name(&c.child).say(" can stay over at the weekend.");
}

const SET_A: &[Template] = &[
    minutes,
    chronology,
    child_words,
    contact,
    letter,
    words_not_names,
    word_names,
    initials,
    quoted,
    places_not_people,
    email,
    neighbour,
    visitor,
    gp,
    organisations,
    word_name_and_surname,
    siblings,
    text_message,
];

fn attendees(n: &mut Note, c: &Cast) {
    n.say("Strategy discussion 14/05/2025. Attendees: ").other(&format!("{} {}", c.given[0], c.surname[0]));
    n.say(" - DSL; ").other(&format!("{} {}", c.title, c.surname[1])).say(" - police; ");
    n.other(&format!("{} {}", c.given[1], c.surname[2])).say(" - health visitor. Chair: ").other(&c.given[2]).say(".");
}

fn first_person(n: &mut Note, c: &Cast) {
    n.name(&c.child).say(" told me: \"").other(&c.given[0]).say(" hits me when mum is out.\" ").name(&c.child);
    n.say(" also named ").other(&c.given[1]).say(" as someone she trusts.");
}

fn lodger(n: &mut Note, c: &Cast) {
    n.say("TUESDAY 3 JUNE: home visit. ").name(&c.parent).say(" introduced her lodger, ");
    n.other(&format!("{} {}", c.given[0], c.surname[0])).say(", who sleeps on the sofa.");
}

fn sign_off(n: &mut Note, c: &Cast) {
    n.say("Thank you for your letter about ").name(&c.child).say(". Yours sincerely, ");
    n.other(&format!("{} {}", c.given[0], c.surname[0])).say(", Team Manager, Children's Services, BCP Council.");
}

fn youth_club(n: &mut Note, c: &Cast) {
    n.other(&c.given[0]).say("'s older brother collects ").name(&c.child).say(" from the youth club on Thursdays; ");
    n.other(&c.given[0]).say("'s mum knows about it.");
}

fn services(n: &mut Note, c: &Cast) {
    n.say("Plan agreed at the Early Help Hub in Boscombe: Family Group Conference in April, Triple P course with ");
    n.say("Action for Children, Freedom Programme at the Hope Centre. ").name(&c.parent);
    n.say(" will take ")
        .name(&c.child)
        .say(" to the Oakdale Children's Centre on Wednesdays. No concerns from Ofsted.");
}

fn grandfather(n: &mut Note, c: &Cast) {
    n.say("Maternal grandfather ").other(&format!("{} {}", c.given[0], c.surname[0])).say(" can be contacted on ");
    n.mark(&c.phone, Kind::Phone).say("; he lives in Weymouth at ").mark(&c.address, Kind::Address).say(", ");
    n.mark(&c.postcode, Kind::Postcode).say(".");
}

fn classmate(n: &mut Note, c: &Cast) {
    n.name(&c.child).say(" is friends with ").other(&c.word_name).say(", who is in her class, and sits next to ");
    n.other(&c.given[0]).say(" at lunch.");
}

fn housing(n: &mut Note, c: &Cast) {
    n.other(&format!("{} {} {}", c.title, c.word_name, c.surname[0])).say(" from the housing association visited ");
    n.name(&format!("{} {}", c.parent, c.family)).say(" about the damp.");
}

fn initials_present(n: &mut Note, c: &Cast) {
    let (a, b): (String, String) = (c.given[0].chars().take(1).collect(), c.given[1].chars().take(1).collect());
    n.say("Present: ").other(&format!("{a}. {}", c.surname[0])).say(", ").other(&format!("{b}. {}", c.surname[1]));
    n.say(" and ").name(&c.parent).say(" (").name(&c.child).say("'s mother).");
}

fn threat(n: &mut Note, c: &Cast) {
    n.name(&c.parent).say(" said that ").other(&format!("{} {}", c.given[0], c.surname[0]));
    n.say(" threatened to \"sort her out\" if she spoke to the police.");
}

fn found_late(n: &mut Note, c: &Cast) {
    n.other(&c.given[0]).say(" and ").name(&c.child).say(" were found at the Lansdowne shops at 11pm by ");
    n.other(&format!("PC {}", c.surname[0])).say(".");
}

fn email_from(n: &mut Note, c: &Cast) {
    let address = format!("{}.{}@example.com", c.given[0], c.surname[0]).to_lowercase();
    n.say("From: ").other(&format!("{} {}", c.given[0], c.surname[0])).say(" <").mark(&address, Kind::Email);
    n.say(">. Subject: ").name(&c.child).say(" - missed appointment.");
}

fn baby(n: &mut Note, c: &Cast) {
    n.say("The baby has been named ").other(&c.given[0]).say("; ").name(&c.parent);
    n.say(" has not registered the birth yet.");
}

fn registration(n: &mut Note, c: &Cast) {
    n.name(&c.child).say("'s NHS number is ").mark(&c.nhs, Kind::NhsNumber).say(", born on ");
    n.mark(&c.born, Kind::DateOfBirth).say(", registered with ").other(&format!("Dr {}", c.surname[0]));
    n.say(" at the Talbot Medical Centre.");
}

fn conference(n: &mut Note, c: &Cast) {
    n.say("Review Child Protection Conference - Chaired by ").other(&format!("{} {}", c.given[0], c.surname[0]));
    n.say(". Decision: ").name(&c.child).say(" to remain subject to a Child Protection Plan under Neglect.");
}

fn neighbours(n: &mut Note, c: &Cast) {
    n.say("Neighbours ").other(&c.given[0]).say(" and ").other(&format!("{} {}", c.given[1], c.surname[0]));
    n.say(" complained to the council about the dog barking at night.");
}

fn half_siblings(n: &mut Note, c: &Cast) {
    n.other(&c.given[0]).say(" & ").other(&c.given[1]).say(" (half-siblings) attend Hillbourne Primary with ");
    n.name(&c.child).say(".");
}

const SET_B: &[Template] = &[
    attendees,
    first_person,
    lodger,
    sign_off,
    youth_club,
    services,
    grandfather,
    classmate,
    housing,
    initials_present,
    threat,
    found_late,
    email_from,
    baby,
    registration,
    conference,
    neighbours,
    half_siblings,
];

fn notes(templates: &[Template], pools: &Pools, count: usize, seed: u64) -> Vec<Note> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|i| {
            let c = cast(&mut rng, i, pools);
            let mut n = Note::default();
            templates[i % templates.len()](&mut n, &c);
            n.known = vec![format!("{} {}", c.child, c.family), format!("{} {}", c.parent, c.family)];
            n
        })
        .collect()
}

/// Per kind: entities, entities covered; characters redacted, characters inside an entity.
#[derive(Default)]
struct Tally {
    entities: usize,
    covered: usize,
    redacted: usize,
    correct: usize,
}

fn score(notes: &[Note]) -> (BTreeMap<Kind, Tally>, Vec<String>, Vec<String>) {
    let redactor = Redactor::new();
    let mut by_kind: BTreeMap<Kind, Tally> = BTreeMap::new();
    let (mut misses, mut wrong) = (Vec::new(), Vec::new());
    for n in notes {
        let found = redactor.find(&n.text, &n.known);
        let chars: Vec<char> = n.text.chars().collect();
        for &(s, e, kind) in &n.gold {
            let t = by_kind.entry(kind).or_default();
            t.entities += 1;
            if (s..e).all(|c| found.iter().any(|f| f.start <= c && c < f.end)) {
                t.covered += 1;
            } else {
                misses.push(format!("{kind}: {:?} in {:?}", chars[s..e].iter().collect::<String>(), n.text));
            }
        }
        for f in &found {
            let t = by_kind.entry(f.kind).or_default();
            let inside = (f.start..f.end).filter(|&c| n.gold.iter().any(|&(s, e, _)| s <= c && c < e)).count();
            t.redacted += f.end - f.start;
            t.correct += inside;
            if inside < f.end - f.start {
                wrong.push(format!(
                    "{}: {:?} in {:?}",
                    f.kind,
                    chars[f.start..f.end].iter().collect::<String>(),
                    n.text
                ));
            }
        }
    }
    (by_kind, misses, wrong)
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The pools were written against an earlier given-name list (the ONS's England and Wales baby
/// names); the model now reads the 1990 US census lists (see data/SOURCES.md), so some names
/// drawn as "in the list" are outside it. The notes are unchanged; this checks the surname
/// pools, and that the given-name pools still mix names in and out of the list.
#[test]
fn the_pools_are_where_they_claim_to_be() {
    let list = |text: &str| -> HashSet<String> { text.lines().map(|l| l.trim().to_string()).collect() };
    let given = list(include_str!("../data/given_names.txt"));
    let surnames = list(include_str!("../data/surnames.txt"));
    let key = |s: &str| s.to_lowercase().replace('\'', "");
    for pools in [&POOLS_A, &POOLS_B] {
        let inside = pools.given_in.iter().chain(pools.given_out).filter(|g| given.contains(&key(g))).count();
        let all = pools.given_in.len() + pools.given_out.len();
        assert!(inside > 0 && inside < all, "{inside} of {all} given names are in the list");
        assert!(pools.given_out.iter().all(|g| !given.contains(&key(g))), "outside the given-name list");
        assert!(pools.surname_in.iter().all(|s| surnames.contains(&key(s))), "in the surname list");
        assert!(pools.surname_out.iter().all(|s| !surnames.contains(&key(s))), "outside the surname list");
    }
}

/// Scores a set, prints its table, and gives its entity recall and character precision, and the
/// recall of the names not in the record.
fn report(name: &str, notes: &[Note]) -> (f64, f64, f64) {
    let (by_kind, misses, wrong) = score(notes);
    println!(
        "{name}: {} notes\n{:<16} {:>8} {:>8} {:>10} {:>10}",
        notes.len(),
        "kind",
        "entities",
        "recall",
        "redacted",
        "precision"
    );
    let mut all = Tally::default();
    for (kind, t) in &by_kind {
        println!(
            "{:<16} {:>8} {:>8.4} {:>10} {:>10.4}",
            kind.code(),
            t.entities,
            ratio(t.covered, t.entities),
            t.redacted,
            ratio(t.correct, t.redacted)
        );
        (all.entities, all.covered) = (all.entities + t.entities, all.covered + t.covered);
        (all.redacted, all.correct) = (all.redacted + t.redacted, all.correct + t.correct);
    }
    let (recall, precision) = (ratio(all.covered, all.entities), ratio(all.correct, all.redacted));
    println!("{:<16} {:>8} {recall:>8.4} {:>10} {precision:>10.4}", "all", all.entities, all.redacted);
    println!("misses ({}):\n  {}", misses.len(), misses.iter().take(25).cloned().collect::<Vec<_>>().join("\n  "));
    println!(
        "over-redactions ({}):\n  {}",
        wrong.len(),
        wrong.iter().take(25).cloned().collect::<Vec<_>>().join("\n  ")
    );
    assert!(notes.len() >= 500, "{} notes", notes.len());
    let others = &by_kind[&Kind::PossibleName];
    (recall, precision, ratio(others.covered, others.entities))
}

/// Set A shaped the model: it meets the targets, as a development set should.
#[test]
fn set_a_scores_as_documented() {
    let (recall, precision, names) = report("set A (development)", &notes(SET_A, &POOLS_A, 630, 0x005E_ED0F_4E1D_0017));
    assert!(recall >= 0.99, "entity recall {recall:.4}");
    assert!(precision >= 0.95, "character precision {precision:.4}");
    assert!(names >= 0.99, "possible-name recall {names:.4}");
}

/// Set B was held out: its first run (with the ONS given-name list) gave entity recall 0.9614
/// (possible names 0.9281) at character precision 1.0000, and 0.9475 (possible names 0.9020)
/// with the US census list. Its misses ("friends with Art", "next to Radomir", "Chair:
/// Jolanta.", a non-ASCII email local part) then shaped the model's third version, so it is a
/// development set now: entity recall 1.0000 (possible names 1.0000) at precision 1.0000.
#[test]
fn set_b_scores_as_documented() {
    let (recall, precision, names) = report("set B (development)", &notes(SET_B, &POOLS_B, 612, 0xB0B5_EED5_0000_2026));
    assert!(recall >= 0.99, "entity recall {recall:.4}");
    assert!(precision >= 0.99, "character precision {precision:.4}");
    assert!(names >= 0.99, "possible-name recall {names:.4}");
}
