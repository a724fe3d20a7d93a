//! Held-out set E for the recognisers, names most of all. It was written by someone who had not
//! read the model's rules (`src/` beyond the public API) or its hand-made word lists: only the
//! crate's public API, the shared scoring harness, sets C and D's files for their format (and
//! to keep away from their templates and pools) and the vendored name lists
//! (`data/given_names.txt`, `data/surnames.txt`, to check the pools below). It has not been
//! scored against the model while it was written; the model's author ran it once (the figures
//! are with its scoring test below), and it has been a development set since.
//!
//! Its generator (wyrand), seed, templates and name pools are its own, and it is set in West
//! Yorkshire rather than Dorset: a front-door contact record, a section 47 joint visit, core
//! group minutes with attendance and apologies, a child protection conference summary, an
//! Early Help assessment, a family network meeting, a private fostering notification, a return
//! home interview, an exploitation screening tool, an attendance officer's note with a UPN, a
//! nursery accident form, a child protection medical, an antenatal booking, a recovery
//! worker's letter, a MAPPA extract, court directions, a placement plan, a life story page, a
//! kinship viability assessment, text messages and an Instagram story typed up as written, a
//! voicemail transcribed, an email chain with greetings and sign-offs, a household table
//! flattened to text (with an NI number), a chronology, a police occurrence summary with
//! surnames in capitals, a child's account quoting nicknames, a child's "All About Me" sheet in
//! lower case, a visit with an interpreter, a LADO referral, a PEP review, a dental practice's
//! concern, an out-of-hours log, and five notes that carry only what must stay (services and
//! charities, school words, a clinic letter's headings and eponymous conditions, places, shops,
//! brands, TV and apps, and a panel's outcome list), with this set's word-names used as words
//! ("Wren Class", "Olive Branch", "Duke of Edinburgh", "Grant funding", "Chance UK").
//!
//! Each note has two people linked to the record, a child and a parent (passed as
//! `known_people`: `NAME`), named by given name, by full name, before a possessive, with the
//! surname in capitals, in lower case in the child's own writing and, once, as title and
//! surname ("Ms Whitlock"). Third parties are never passed (`POSSIBLE_NAME`): professionals,
//! relatives, carers, neighbours, friends, suspects. Their names stand at a sentence's start and
//! in its middle, after greetings, alone on sign-off lines, as a message's speaker, in lists and
//! in `Name: … |` tables, after titles (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Rev, DC, DS, DI, PC,
//! PCSO, Sgt, Cllr, Nurse, HHJ), as an initial and a surname, with the surname in capitals
//! ("Stefan MAZUR"), before a possessive (and without its apostrophe in text-speak: "at
//! linhs"), in speech marks, as nicknames ("Macca", "Tommo") and in lower case. Given names
//! and surnames are drawn half from inside the vendored lists and half from outside them
//! (checked below): British, Irish, Welsh, Scottish, South Asian, Somali, Ethiopian, Nigerian,
//! Ghanaian, Kenyan, Zimbabwean, Caribbean, Polish, Czech, Romanian and Roma, Albanian,
//! Chinese, Vietnamese, Arabic, Turkish and Kurdish names, hyphenated, with apostrophes,
//! Mc/Mac, and twenty given names that are also words ("Olive", "Wren", "Honey", "Grant",
//! "Duke", "Chance").
//!
//! Labelled as a careful reviewer withholding other people's names would: the whole name with
//! its title ("DI Zhao", "Nurse Baird", "Dr F. Hoang") and never the role word ("great-nan",
//! "Uncle"); for a possessive the name without its "'s" (or its bare "s"); dates of birth only
//! where introduced as one ("DOB", "D.O.B.", "born", "date of birth", a DOB column). Telephone
//! numbers are in Ofcom's drama ranges, mail goes to `example.*` domains, NHS numbers pass their
//! modulus 11 check, UPNs carry their DfE check letter, NI numbers have a valid prefix and
//! suffix. Scored by `tests/scoring`, which sets C, D and E share.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scoring;

use std::collections::{BTreeMap, HashSet};

use harbour_redact::Kind;
use scoring::{report, Note};

/// People linked to the record.
const CHILDREN: &[&str] =
    &["Jaxon", "Amelie", "Zayn", "Scarlett", "Riley", "Maryam", "Logan", "Kacey", "Dominik", "Nia"];
const MOTHERS: &[&str] = &["Kerry-Ann", "Nasreen", "Agata", "Chantal", "Sinead"];
const FATHERS: &[&str] = &["Lewis", "Ricky", "Tunde"];
const FAMILIES: &[&str] = &["Whitlock", "McCafferty", "Adebisi", "Dąbrowski", "Pennington", "Kelleher", "Ashdown-Reid"];

/// Third parties: given names inside the vendored list, outside it, and that are also words.
const GIVEN_IN: &[&str] = &[
    "Shirley",
    "Graham",
    "Geraldine",
    "Malcolm",
    "Bridget",
    "Moira",
    "Gwen",
    "Fiona",
    "Nisha",
    "Asha",
    "Abdul",
    "Amina",
    "Marcia",
    "Delia",
    "Carlton",
    "Jermaine",
    "Irina",
    "Danuta",
    "Stefan",
    "Minh",
    "Huong",
    "Linh",
    "Ming",
    "Layla",
    "Farah",
    "Ramona",
    "Zana",
];
const GIVEN_OUT: &[&str] = &[
    "Eamon",
    "Aisling",
    "Colm",
    "Mairead",
    "Rhian",
    "Owain",
    "Sioned",
    "Iain",
    "Catriona",
    "Euan",
    "Deepak",
    "Gurpreet",
    "Farzana",
    "Waqar",
    "Abdirahman",
    "Hodan",
    "Yonas",
    "Femi",
    "Chipo",
    "Wanjiku",
    "Lennox",
    "Andrzej",
    "Lenka",
    "Catalin",
    "Florica",
    "Jing",
    "Duc",
    "Youssef",
    "Emre",
    "Zeynep",
    "Rojin",
    "Hevin",
    "Gheorghe",
];
/// Given names that are also ordinary words, used where the note's roles want a woman or a man.
const WORDS_F: &[&str] =
    &["Olive", "Iris", "Ruby", "Wren", "Honey", "Destiny", "Harmony", "Patience", "Cherry", "Marina"];
const WORDS_M: &[&str] = &["Miles", "Grant", "Hunter", "Earl", "Duke", "Clay", "Rusty", "Chance", "Gift", "Sterling"];
const NICKNAMES: &[&str] = &["Macca", "Sully", "Tommo", "Fitzy", "Deano", "Benji", "Dex", "Lils", "Rach", "Moz"];
const SURNAME_IN: &[&str] = &[
    "Fletcher",
    "Holt",
    "Doyle",
    "Flanagan",
    "Vaughan",
    "Griffiths",
    "Prosser",
    "Munro",
    "Baird",
    "McKenzie",
    "MacLean",
    "McDermott",
    "MacAulay",
    "O'Connor",
    "O'Hara",
    "D'Arcy",
    "Joshi",
    "Osman",
    "Aziz",
    "Saleh",
    "Baptiste",
    "Hinds",
    "Whyte",
    "Mazur",
    "Wozniak",
    "Varga",
    "Zhao",
    "Pham",
    "Hoang",
    "Dang",
];
const SURNAME_OUT: &[&str] = &[
    "Hussein",
    "Sheikh",
    "Parekh",
    "Mistry",
    "Mohamud",
    "Warsame",
    "Mwangi",
    "Kamau",
    "Danso",
    "Appiah",
    "Ogundipe",
    "Akinola",
    "Yildiz",
    "Demir",
    "Öztürk",
    "Çelik",
    "Barzani",
    "Zebari",
    "Hawrami",
    "Stoica",
    "Dumitru",
    "Lupu",
    "Kowalczuk",
    "Gashi",
    "Krasniqi",
    "Forbes-Whyte",
    "Blake-Hamilton",
    "Hughes-Lloyd",
    "McGillivray",
    "McSorley",
];
/// Courtesy titles drawn per note, and police ranks; the others (Dr, Prof, Rev, Cllr, Nurse,
/// HHJ, Sgt, DI, Mx, Miss) are written into the templates.
const TITLES: &[&str] = &["Mr", "Mrs", "Ms", "Miss", "Mx"];
const POLICE: &[&str] = &["DC", "DS", "DI", "PC", "PCSO", "Sgt"];
const TITLE_WORDS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Rev", "Cllr", "Nurse", "HHJ", "DC", "DS", "DI", "PC", "PCSO", "Sgt",
];

const POSTCODES: &[&str] = &[
    "LS9 7TF", "LS11 5DN", "LS28 6AR", "BD3 9QT", "WF1 2HQ", "LS7 4PL", "HX1 5BB", "LS14 1EW", "LS12 3RT", "WF17 8LD",
];
const STREETS: &[&str] = &[
    "Tannery Walk",
    "Stonegate Road",
    "Beckside Gardens",
    "Millstone Close",
    "Calder View",
    "Weaver Street",
    "Hollin Drive",
    "Canal Wharf",
    "Bramble Rise",
    "Foundry Lane",
];
const SCHOOLS: &[&str] = &[
    "Beckfield Primary School",
    "Park View Academy",
    "Hollin Lane Primary",
    "Calder High School",
    "St Bede's Catholic Primary",
    "Millbrook Academy",
];
const DOMAINS: &[&str] =
    &["example.gov.uk", "example.nhs.uk", "example.sch.uk", "example.org.uk", "example.police.uk", "example.com"];
const LANGUAGES: &[&str] = &["Polish", "Romanian", "Kurdish Sorani", "Tigrinya", "Czech", "Vietnamese"];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const NI_PREFIXES: &[&str] = &["JH", "NP", "SE", "WL", "AB", "CE", "PX", "RK", "YT", "ML"];

/// Wyrand: deterministic, and another generator than the other sets'.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0xA076_1D64_78BD_642F);
        let t = u128::from(self.0) * u128::from(self.0 ^ 0xE703_7ED1_A0B4_28DB);
        ((t >> 64) ^ t) as u64
    }
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn coin(&mut self) -> bool {
        self.next() >> 63 == 1
    }
}

/// Who and what a note is about.
struct Cast {
    /// Which of its template's notes this is, for the small variations inside a template.
    v: usize,
    child: String,
    parent: String,
    mum: bool,
    family: String,
    given: [String; 5],
    surname: [String; 5],
    word_f: String,
    word_m: String,
    nick: [String; 2],
    title: String,
    police: String,
    domain: String,
    school: String,
    language: String,
    phone: String,
    phone2: String,
    postcode: String,
    address: String,
    nhs: String,
    ni: String,
    upn: String,
    dob: String,
    dob_long: String,
    dob2: String,
    adult_dob: String,
    born: String,
}

impl Cast {
    fn child_full(&self) -> String {
        format!("{} {}", self.child, self.family)
    }
    fn parent_full(&self) -> String {
        format!("{} {}", self.parent, self.family)
    }
    fn child_caps(&self) -> String {
        format!("{} {}", self.child, self.family.to_uppercase())
    }
    fn parent_caps(&self) -> String {
        format!("{} {}", self.parent, self.family.to_uppercase())
    }
    /// The parent by title and family name: "Ms Whitlock".
    fn parent_titled(&self) -> String {
        format!("{} {}", if self.mum { "Ms" } else { "Mr" }, self.family)
    }
    fn mum(&self) -> &'static str {
        if self.mum {
            "mum"
        } else {
            "dad"
        }
    }
    fn mummy(&self) -> &'static str {
        if self.mum {
            "mummy"
        } else {
            "daddy"
        }
    }
    fn mother(&self) -> &'static str {
        if self.mum {
            "mother"
        } else {
            "father"
        }
    }
    fn her(&self) -> &'static str {
        if self.mum {
            "her"
        } else {
            "him"
        }
    }
    fn she(&self) -> &'static str {
        if self.mum {
            "she"
        } else {
            "he"
        }
    }
    /// Third party `k` by given name and surname.
    fn full(&self, k: usize) -> String {
        format!("{} {}", self.given[k], self.surname[k])
    }
    /// Third party `k` as a police log writes them: "Stefan MAZUR".
    fn caps(&self, k: usize) -> String {
        format!("{} {}", self.given[k], self.surname[k].to_uppercase())
    }
    /// Third party `k` by initial and surname: "F. Hoang".
    fn initialled(&self, k: usize) -> String {
        format!("{}. {}", self.given[k].chars().next().unwrap(), self.surname[k])
    }
    /// Third party `k` by courtesy title and surname: "Mrs Baird".
    fn titled(&self, k: usize) -> String {
        format!("{} {}", self.title, self.surname[k])
    }
    /// Third party `k` by police rank and surname: "DI Zhao".
    fn officer(&self, k: usize) -> String {
        format!("{} {}", self.police, self.surname[k])
    }
    /// Third party `k`'s work address, in one of the shapes mailboxes take.
    fn email(&self, k: usize) -> String {
        let (g, s) = (ascii(&self.given[k]), ascii(&self.surname[k]));
        match self.v % 3 {
            0 => format!("{g}.{s}@{}", self.domain),
            1 => format!("{}{s}@{}", &g[..1], self.domain),
            _ => format!("{s}.{g}@{}", self.domain),
        }
    }
}

/// A name as a mailbox would spell it: lower case, ASCII, no apostrophes.
fn ascii(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| match c {
            'ö' => 'o',
            'ç' => 'c',
            'ą' => 'a',
            c => c,
        })
        .collect()
}

fn cast(rng: &mut Rng, i: usize, templates: usize) -> Cast {
    let given = distinct(rng, GIVEN_IN, GIVEN_OUT);
    let surname = distinct(rng, SURNAME_IN, SURNAME_OUT);
    let mum = rng.below(5) < 3;
    let parent = if mum { rng.pick(MOTHERS) } else { rng.pick(FATHERS) }.to_string();
    let first = rng.below(NICKNAMES.len());
    let second = (first + 1 + rng.below(NICKNAMES.len() - 1)) % NICKNAMES.len();
    let (day, month, year) = (1 + (i * 7) % 28, 1 + (i * 5) % 12, 2009 + (i * 3) % 14);
    Cast {
        v: i / templates,
        child: rng.pick(CHILDREN).to_string(),
        parent,
        mum,
        family: rng.pick(FAMILIES).to_string(),
        given,
        surname,
        word_f: rng.pick(WORDS_F).to_string(),
        word_m: rng.pick(WORDS_M).to_string(),
        nick: [NICKNAMES[first].to_string(), NICKNAMES[second].to_string()],
        title: rng.pick(TITLES).to_string(),
        police: rng.pick(POLICE).to_string(),
        domain: rng.pick(DOMAINS).to_string(),
        school: rng.pick(SCHOOLS).to_string(),
        language: rng.pick(LANGUAGES).to_string(),
        phone: phone(i, i * 3),
        phone2: phone(i + 2, i * 11 + 407),
        postcode: rng.pick(POSTCODES).to_string(),
        address: format!("{}{} {}", 1 + (i * 17) % 120, if i % 9 == 4 { "a" } else { "" }, rng.pick(STREETS)),
        nhs: nhs_number(412_000_000 + i as u64 * 1_234_577, i),
        ni: ni_number(i),
        upn: upn(i),
        dob: date(i % 5, day, month, year),
        dob_long: date(1, day, month, year),
        dob2: date((i + 2) % 5, 1 + (i * 11) % 28, 1 + (i * 7) % 12, 2004 + i % 16),
        adult_dob: date(i % 2, 1 + (i * 13) % 28, 1 + (i * 3) % 12, 1972 + i % 27),
        born: date(2, 1 + (i * 19) % 28, 1 + (i * 11) % 12, 1968 + (i * 7) % 30),
    }
}

/// Five different names, each drawn from inside the vendored list or outside it on a coin toss.
fn distinct(rng: &mut Rng, inside: &[&str], outside: &[&str]) -> [String; 5] {
    let mut names: Vec<String> = Vec::new();
    while names.len() < 5 {
        let name = if rng.coin() { rng.pick(inside) } else { rng.pick(outside) };
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names.try_into().unwrap()
}

/// A date written one of the ways records write them.
fn date(style: usize, day: usize, month: usize, year: usize) -> String {
    let name = MONTHS[month - 1];
    match style {
        0 => format!("{day:02}/{month:02}/{year}"),
        1 => format!("{day} {name} {year}"),
        2 => format!("{day}{} {name} {year}", ordinal(day)),
        3 => format!("{day:02}.{month:02}.{:02}", year % 100),
        _ => format!("{year}-{month:02}-{day:02}"),
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
    match style % 7 {
        0 => format!("07700 900{n:03}"),
        1 => format!("07700900{n:03}"),
        2 => format!("0113 496 0{n:03}"),
        3 => format!("07700 900 {n:03}"),
        4 => format!("01632 960{n:03}"),
        5 => format!("+44 7700 900{n:03}"),
        _ => format!("020 7946 0{n:03}"),
    }
}

/// A ten-digit number whose modulus-11 check digit fits (skipping stems that have none),
/// written 3-3-4 with spaces, run together, or with hyphens.
fn nhs_number(mut stem: u64, i: usize) -> String {
    loop {
        let digits: Vec<u32> =
            format!("{:09}", stem % 1_000_000_000).chars().map(|c| c.to_digit(10).unwrap()).collect();
        let sum: u32 = digits.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
        let check = (11 - sum % 11) % 11;
        if check < 10 {
            let s: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            return match i % 5 {
                3 => format!("{s}{check}"),
                4 => format!("{}-{}-{}{check}", &s[..3], &s[3..6], &s[6..]),
                _ => format!("{} {} {}{check}", &s[..3], &s[3..6], &s[6..]),
            };
        }
        stem += 1;
    }
}

/// A National Insurance number with an allowed prefix and suffix, spaced or not.
fn ni_number(i: usize) -> String {
    let (p, d, s) = (NI_PREFIXES[i % NI_PREFIXES.len()], (i * 7919 + 104_729) % 1_000_000, ['A', 'B', 'C', 'D'][i % 4]);
    let d = format!("{d:06}");
    if i.is_multiple_of(2) {
        format!("{p} {} {} {} {s}", &d[..2], &d[2..4], &d[4..])
    } else {
        format!("{p}{d}{s}")
    }
}

/// A Leeds (383) Unique Pupil Number with its check letter: digits 2 to 13 weighted by their
/// position, the sum modulo 23 indexing A-Z without I, O and S.
fn upn(i: usize) -> String {
    let digits = format!("383{:04}{:02}{:03}", 2000 + (i * 37) % 6000, 10 + i % 14, (i * 53) % 1000);
    let sum: u32 = digits.chars().zip(2..).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    let letter = char::from(b"ABCDEFGHJKLMNPQRTUVWXYZ"[(sum % 23) as usize]);
    format!("{letter}{digits}")
}

type Template = fn(&mut Note, &Cast);

fn front_door(n: &mut Note, c: &Cast) {
    n.say("FRONT DOOR - CONTACT RECORD\nContact received: 09:47, Tuesday 11 February 2025\nSource: Education\n");
    n.say("Referrer: ").other(&c.titled(0)).say(", Attendance and Welfare Officer, ").say(&c.school).say(", tel ");
    n.mark(&c.phone, Kind::Phone)
        .say("\nChild: ")
        .name(&c.child_full())
        .say("    DOB: ")
        .mark(&c.dob, Kind::DateOfBirth);
    n.say("\nHome address: ").mark(&c.address, Kind::Address).say(", Leeds ").mark(&c.postcode, Kind::Postcode);
    n.say("\nParent/carer: ").name(&c.parent_full()).say(" (").say(c.mother()).say(")\nReason for contact: ");
    n.name(&c.child).say(" has missed 14 sessions since half term. On Friday ").name(&c.child).say(" told ");
    n.other(&c.given[1])
        .say(" (teaching assistant) that ")
        .say(c.mum())
        .say(" \"sleeps all day\" and that someone called ");
    n.other(&c.nick[0]).say(" stays over most nights.\nConsent: discussed with ").name(&c.parent);
    n.say(" by phone; agreed.\nDecision (").other(&c.full(2)).say(", Team Manager): progress to a Child and Family ");
    n.say("Assessment.");
}

fn section_47_visit(n: &mut Note, c: &Cast) {
    n.say("s47 enquiry - joint visit with ").other(&c.officer(0)).say(" (Child Protection Unit), 14:30.\n");
    n.name(&c.parent).say(" answered the door and at first would not let us in. ").name(&c.child);
    n.say(" was seen alone in the bedroom and showed a bruise on the upper arm, saying \"").other(&c.word_m);
    n.say(" did it when I wouldn't go to bed\". ").name(&c.parent).say(" said ").other(&c.word_m);
    n.say(" is an ex-partner who has not been round since Christmas. A family friend, ").other(&c.full(1));
    n.say(", arrived during the visit and offered to have ").name(&c.child).say(" stay at ").other(&c.given[1]);
    n.say("'s house in Seacroft tonight; ").other(&c.officer(0)).say(" agreed this as a safety plan. ");
    n.say("Child protection medical booked with ").other(&format!("Dr {}", c.initialled(2)));
    n.say(" at the LGI tomorrow at 10am.");
}

fn core_group(n: &mut Note, c: &Cast) {
    n.say("Core Group Meeting - minutes\nThursday 6 March 2025, 10:00, Chapeltown Family Hub\n\nPresent:\n");
    n.name(&c.parent_full()).say(" - ").say(c.mother()).say("\n").other(&c.full(0)).say(" - Social Worker (chair)\n");
    n.other(&format!("Mx {}", c.surname[1])).say(" - Family Support Worker\n");
    n.other(&format!("Nurse {}", c.surname[2])).say(" - School Nurse\n\nApologies:\n");
    n.other(&format!("Dr {}", c.full(3))).say(" - GP\n").other(&c.full(4)).say(" - Class Teacher, ").say(&c.school);
    n.say("\n\n1. Update from ")
        .other(&c.given[0])
        .say(": home conditions improved; new beds delivered by Zarach.\n2. ");
    n.other(&format!("Nurse {}", c.surname[2])).say(" weighed ").name(&c.child);
    n.say(" in school: back on the 25th centile.\n3. ").name(&c.parent);
    n.say(" asked for help with the gas arrears; signposted to the Local Welfare Support Scheme.\n");
    n.say("Next core group: Thursday 3 April.");
}

fn conference_report(n: &mut Note, c: &Cast) {
    n.say("INITIAL CHILD PROTECTION CONFERENCE - CHAIR'S SUMMARY\nChild: ").name(&c.child_full()).say(" (DOB ");
    n.mark(&c.dob, Kind::DateOfBirth).say(")\nIndependent Chair: ").other(&c.full(0)).say("\nMinutes: ");
    n.other(&c.full(1)).say("\n\nThe conference heard from ").other(&format!("Dr {}", c.full(2)));
    n.say(", Consultant Paediatrician, that the fracture was not consistent with the account given. ");
    n.name(&c.parent).say(" said the only other adult who looked after ").name(&c.child);
    n.say(" was the childminder, ").other(&c.word_f).say(".\nThe child's voice: ").name(&c.child);
    n.say(" told the social worker \"I miss ").other(&c.word_f).say(", she lets me feed the ducks\".\n");
    n.say("Decision: Child Protection Plan, category Physical Abuse. Lead social worker: ").other(&c.titled(3));
    n.say(".\nDissent: ").name(&c.parent_full()).say(" does not agree with the decision.");
}

fn early_help(n: &mut Note, c: &Cast) {
    n.say("EARLY HELP ASSESSMENT\nLead practitioner: ").other(&c.full(0));
    n.say(", Family Support Worker, Seacroft Family Hub\n\nWho is in the family?\n- ").name(&c.parent);
    n.say(" (").say(c.mum()).say("), works nights at Asda\n- ").name(&c.child).say(", Year 4 at ").say(&c.school);
    n.say("\n- ").other(&c.given[1]).say(", half-sibling, 17, lives with their grandparents in Bradford\n\n");
    n.say("What is working well? ").name(&c.child).say(" goes to Cubs on Mondays with ").other(&c.word_m);
    n.say(" from next door.\nWhat are we worried about? ").name(&c.parent).say(" says ").other(&c.full(2));
    n.say(", ").name(&c.child).say("'s other parent, sends abusive texts late at night.\n");
    n.say("What needs to happen? A referral to the Domestic Violence Service; ").other(&c.given[0]);
    n.say(" to complete the Family Star Plus with ").name(&c.parent).say(" on Wednesday.");
}

fn family_network(n: &mut Note, c: &Cast) {
    n.say("Family Network Meeting, Saturday 8 March, at great-nan ").other(&c.word_f).say("'s house\nCo-ordinator: ");
    n.other(&c.full(0)).say(" (Family Group Conference service)\nWho came: ").name(&c.parent_full()).say("; ");
    n.name(&c.child).say("; great-nan ").other(&c.word_f).say("; cousin ").other(&c.full(1)).say("; family friend ");
    n.other(&c.titled(2)).say("; ").other(&format!("Rev {}", c.full(3))).say(" from St Aidan's.\n");
    n.say("Private family time: 45 minutes.\nThe family's plan: ").other(&c.given[1]);
    n.say(" does the school run on Tuesdays and Thursdays; ").other(&c.titled(2)).say(" has ").name(&c.child);
    n.say(" on Friday nights; if ").name(&c.parent).say(" misses a day, ").other(&c.word_f).say(" rings ");
    n.other(&c.given[0]).say(" on ").mark(&c.phone, Kind::Phone).say(".");
}

fn private_fostering(n: &mut Note, c: &Cast) {
    n.say("PRIVATE FOSTERING NOTIFICATION\nNotified by: ").other(&c.full(0)).say(", DSL at ").say(&c.school);
    n.say(", on 17 January\nChild: ").name(&c.child_full()).say(", born ").mark(&c.dob_long, Kind::DateOfBirth);
    n.say("\nPrivate foster carer: ").other(&format!("{} {}", c.title, c.full(1))).say(", date of birth ");
    n.mark(&c.adult_dob, Kind::DateOfBirth).say("\nCarer's address: ").mark(&c.address, Kind::Address).say(", ");
    n.mark(&c.postcode, Kind::Postcode).say("\nRelationship: family friend, not a relative\nParent: ");
    n.name(&c.parent_full()).say(", working in Dublin until the summer\nOthers in the household: ");
    n.other(&c.full(2)).say(" (carer's partner) and ").other(&c.given[3]).say(" (carer's adult child, 19)\n");
    n.say("Action: visit within 7 working days; DBS checks on all adults.");
}

fn return_interview(n: &mut Note, c: &Cast) {
    n.say("Return Home Interview - ").other(&c.full(0)).say(", Missing Children's Worker\n");
    n.say("Episode: missing from 19:00 Saturday to 11:15 Sunday; reported by ").name(&c.parent).say(".\n");
    n.say("Where were you? \"At ").other(&c.nick[0]).say("'s flat in Harehills, then at ").other(&c.given[1]);
    n.say("'s cousin's.\"\nWho were you with? \"").other(&c.given[1]).say(" and a lad called ").other(&c.given[2]);
    n.say(" from Bradford. ").other(&c.nick[0]).say(" drove us in a mate's Golf.\"\n");
    n.say("Did anyone give you anything? \"Weed, and food from Maccies.\"\nWhat would help? \"If ");
    n.other(&c.full(3)).say(" wasn't living at ours.\" (").name(&c.child).say("'s ").say(c.mum());
    n.say("'s partner)\nShared with: ").other(&c.officer(4)).say(", Missing from Home co-ordinator.");
}

fn exploitation_screen(n: &mut Note, c: &Cast) {
    n.say("CHILD EXPLOITATION SCREENING TOOL\nYoung person: ").name(&c.child_full()).say("   D.O.B. ");
    n.mark(&c.dob, Kind::DateOfBirth).say("\nCompleted by: ").other(&c.full(0)).say(", Youth Worker\n");
    n.say("1. Missing episodes: YES - three since New Year.\n2. Unexplained money or gifts: YES - a North Face ");
    n.say("coat; says ").other(&c.given[1]).say(" bought it.\n3. Older associates: YES - \"").other(&c.nick[0]);
    n.say("\", early 20s, real name believed to be ").other(&c.caps(2)).say(".\n");
    n.say("4. Second phone: YES - a contact saved as \"").other(&c.nick[1]).say("\" on ");
    n.mark(&c.phone2, Kind::Phone).say(".\n5. Substance use: not known.\n");
    n.say("Overall: significant risk. To the Child Exploitation panel on Wednesday; intelligence form sent to ");
    n.other(&c.officer(3)).say(".");
}

fn attendance_officer(n: &mut Note, c: &Cast) {
    n.say("Attendance note - ").say(&c.school).say("\nPupil: ").name(&c.child_full()).say("   UPN: ");
    n.mark(&c.upn, Kind::Upn).say("   Year 8\nAttendance this term: 71.4% (persistent absence)\n");
    n.say("Home visit 08:40 with Learning Mentor ")
        .other(&c.full(0))
        .say(". No answer. A neighbour, who gave the name ");
    n.other(&c.full(1)).say(", said the family \"go to ").other(&c.given[2]);
    n.say("'s in Keighley most weekends\". Letter left. Rang ").name(&c.parent).say(" on ");
    n.mark(&c.phone, Kind::Phone).say(" - voicemail full.\nNext: Attendance Panel; ").other(&c.titled(3));
    n.say(" (Head of Year) to attend. Warning of a Fixed Penalty Notice sent first class.");
}

fn nursery_accident(n: &mut Note, c: &Cast) {
    n.say("ACCIDENT / INCIDENT RECORD - Little Acorns Day Nursery\nChild's name: ").name(&c.child);
    n.say("    Room: Pre-school\nDate and time: 12/03/2025, 10.20am\nWhat happened: ").name(&c.child);
    n.say(" tripped over a trike in the garden and grazed the left knee. Seen by ").other(&c.given[0]);
    n.say(" (practitioner) and ").other(&c.full(1)).say(" (student on placement).\nFirst aid given by: ");
    n.other(&c.full(2)).say(", paediatric first aider - cleaned, plaster.\n");
    n.say("Existing injury noted on arrival: bruise to right cheek; ").name(&c.child).say(" said \"Uncle ");
    n.other(&c.word_m).say(" pushed me\".\nParent informed: ").name(&c.parent);
    n.say(" at collection, 5.45pm; signed.\nPassed to the DSL, ").other(&c.titled(4)).say(", the same day.");
}

fn paediatric_report(n: &mut Note, c: &Cast) {
    n.say("Extract - Child Protection Medical Report\nName: ").name(&c.child_full()).say("   NHS No: ");
    n.mark(&c.nhs, Kind::NhsNumber).say("   DOB: ").mark(&c.dob, Kind::DateOfBirth).say("\nExamining doctor: ");
    n.other(&format!("Dr {}", c.full(0))).say(", Specialty Doctor, Community Paediatrics\nAlso present: ");
    n.name(&c.parent).say(" (").say(c.mother()).say("), social worker ").other(&c.full(1));
    n.say(", and interpreter ").other(&c.full(2)).say(" (").say(&c.language).say(").\nHistory: ").name(&c.parent);
    n.say(" reports that on Sunday ").name(&c.child).say(" fell from the sofa while being looked after by ");
    n.other(&c.given[3]).say(", a friend.\nFindings: three parallel linear bruises to the left thigh, 2-4 cm.\n");
    n.say("Opinion: the pattern is more in keeping with a slap than a fall.\nSigned: ");
    n.other(&format!("Dr {}", c.initialled(0))).say("    Countersigned: ").other(&format!("Prof {}", c.initialled(4)));
}

fn midwife_booking(n: &mut Note, c: &Cast) {
    n.say("Antenatal booking - Community Midwife ").other(&c.full(0)).say("\nWoman: ");
    if c.mum {
        n.name(&c.parent_full());
    } else {
        n.other(&format!("{} {}", c.word_f, c.surname[1]));
    }
    n.say("    DOB ").mark(&c.adult_dob, Kind::DateOfBirth).say("    NHS No ").mark(&c.nhs, Kind::NhsNumber);
    n.say("\nG3 P2 at 11+4 weeks; EDD 02/09/2025.\nPartner: ");
    if c.mum {
        n.other(&c.full(1));
    } else {
        n.name(&c.parent_full());
    }
    n.say(". Other children: ").name(&c.child).say(" (lives at home) and ").other(&c.given[2]);
    n.say(" (lives with maternal grandparents in Dundee).\nRoutine enquiry about domestic abuse: asked alone; ");
    n.say("disclosed past controlling behaviour by ").other(&c.given[3]).say(", a previous partner.\n");
    n.say("Referred to the Specialist Midwife for vulnerable women, ").other(&c.full(4)).say(", and to the GP, ");
    n.other(&format!("Dr {}", c.surname[3])).say(".");
}

fn recovery_letter(n: &mut Note, c: &Cast) {
    n.say("Dear ").other(&c.given[0]).say(",\n\nRe: ").name(&c.parent_full()).say(", D.O.B. ");
    n.mark(&c.adult_dob, Kind::DateOfBirth).say("\n\nI am ").name(&c.parent);
    n.say("'s recovery co-ordinator at Turning Point. Since January ").name(&c.parent);
    n.say(" has attended 9 of 10 key-work sessions and the last three oral fluid tests were negative for opiates ");
    n.say("and cocaine. ").name(&c.parent).say(" has started the SMART Recovery group on Thursdays, where ");
    n.other(&c.full(1)).say(" is a peer mentor. I would support overnight contact with ").name(&c.child);
    n.say(" being looked at again.\n\nPlease ring me on ").mark(&c.phone, Kind::Phone).say(" or email ");
    n.mark(&c.email(2), Kind::Email).say(".\n\nMany thanks\n").other(&c.given[2]);
    n.say("\nRecovery Co-ordinator, Turning Point Leeds");
}

fn mappa_extract(n: &mut Note, c: &Cast) {
    n.say("MAPPA Level 2 meeting - extract shared with Children's Social Care\nNominal: ").other(&c.caps(0));
    n.say("    DOB: ").mark(&c.adult_dob, Kind::DateOfBirth).say("\nOffender Manager: ").other(&c.full(1));
    n.say(", Probation Service (Leeds North)\nRelevance to children: ").other(&c.surname[0].to_uppercase());
    n.say(" has been seen at ").name(&c.parent).say("'s address three times since release. ").name(&c.child);
    n.say(" (9) is believed to know this person as \"").other(&c.nick[0]).say("\".\nActions:\n- ");
    n.other(&format!("DI {}", c.surname[2])).say(" to consider a disclosure to ").name(&c.parent);
    n.say("\n- OM to remind ").other(&c.surname[0].to_uppercase());
    n.say(" of licence condition 7 (no unsupervised contact with under-18s)\n- Social worker ").other(&c.full(3));
    n.say(" to see ").name(&c.parent).say(" this week.");
}

fn court_order(n: &mut Note, c: &Cast) {
    n.say("IN THE FAMILY COURT SITTING AT LEEDS\nCase number: LS25C0").say(&format!("{:04}", 100 + c.v * 37));
    n.say("\nTHE CHILDREN ACT 1989\nThe child: ").name(&c.child_full()).say("\nBefore ");
    n.other(&format!("HHJ {}", c.surname[0])).say(" sitting in private on 21 March 2025\nUPON hearing ");
    n.other(&c.titled(1)).say(", counsel for the Local Authority, ").other(&c.full(2)).say(", solicitor for the ");
    n.say(c.mother()).say(", and the Children's Guardian, ").other(&c.full(3)).say("\nIT IS ORDERED THAT:\n");
    n.say("1. The Local Authority shall file a viability assessment of the maternal aunt, ");
    n.other(&format!("{} {}", c.word_f, c.surname[4])).say(", by 4pm on 4 April 2025.\n2. The ").say(c.mother());
    n.say(", ").name(&c.parent_titled()).say(", shall file and serve a statement by 11 April 2025.\n");
    n.say("3. Issues Resolution Hearing: 9 May 2025 at 10:30, time estimate 2 hours.");
}

fn placement_plan(n: &mut Note, c: &Cast) {
    n.say("PLACEMENT PLAN - Part 1\nChild: ").name(&c.child).say(" (DOB ").mark(&c.dob, Kind::DateOfBirth);
    n.say(")\nPlacement: with foster carers ").other(&c.given[0]).say(" and ").other(&c.full(1));
    n.say(", Foster Care Leeds. The carers' address is not to be shared with the birth family.\n");
    n.say("Supervising social worker: ").other(&c.full(2)).say(", ").mark(&c.phone, Kind::Phone);
    n.say("\nFamily time: with ")
        .name(&c.parent)
        .say(" on Wednesdays 4-5.30pm at the Family Time centre, supervised by ");
    n.other(&c.given[3]).say("; with older brother ").other(&c.word_m).say(" every other Saturday.\n");
    n.say("Education: stays at ").say(&c.school).say("; taxi and escort arranged by Passenger Transport.\n");
    n.say("Health: Initial Health Assessment with ").other(&format!("Dr {}", c.surname[4])).say(" on 2 April.");
}

fn life_story(n: &mut Note, c: &Cast) {
    n.say("Life story book, page 4 (draft, written for ").name(&c.child);
    n.say(")\n\nYou were born at St James's Hospital in Leeds on ").mark(&c.dob_long, Kind::DateOfBirth);
    n.say(". Your ").say(c.mummy()).say(", ").name(&c.parent_full());
    n.say(", chose your name because it was the name of a song on the radio. Your nana ").other(&c.word_f);
    n.say(" knitted you a yellow blanket, which you still have. When you were two you went to live with ");
    n.other(&c.given[0]).say(" and ").other(&c.given[1]).say(", your first foster carers. ").other(&c.given[0]);
    n.say(" remembers you splashing in every puddle in Roundhay Park. Your social worker then was ");
    n.other(&c.full(2)).say(", and now it is me, ").other(&c.given[3]).say(".");
}

fn kinship_viability(n: &mut Note, c: &Cast) {
    n.say("Kinship viability assessment\nApplicants: ").other(&c.full(0)).say(" and ").other(&c.full(1));
    n.say(", ").name(&c.child).say("'s godparents\nThe applicants have known ").name(&c.parent_full());
    n.say(" since school. Their household: the two applicants and their daughter ").other(&c.word_f);
    n.say(" (14).\nChecks: DBS clear for ").other(&c.given[0]).say("; a 2016 caution for possession for ");
    n.other(&c.given[1]).say(", discussed openly.\nReferees: ").other(&format!("Rev {}", c.initialled(2)));
    n.say(" and ").other(&format!("Cllr {}", c.surname[3]));
    n.say(".\nRecommendation: progress to a full assessment, to be completed by ").other(&c.full(4));
    n.say(" (Kinship Care Team).");
}

fn phone_messages(n: &mut Note, c: &Cast) {
    n.say("Messages on ").name(&c.child).say("'s phone, typed exactly as shown (screenshots from ").name(&c.parent);
    n.say("):\n").other(&c.given[0]).say(": where r u\n").name(&c.child).say(": at ");
    n.other(&c.given[1].to_lowercase()).say("s\n").other(&c.given[0]).say(": is ");
    n.other(&c.nick[0].to_lowercase()).say(" there\n").name(&c.child).say(": ye hes gettin us food\n");
    n.other(&c.given[0]).say(": tell ").other(&c.given[2].to_lowercase()).say(" i want my charger bak\n");
    n.name(&c.child).say(": k\n").other(&c.given[0]).say(": ur mum rang mine btw");
}

fn instagram_post(n: &mut Note, c: &Cast) {
    n.say("Post on ").name(&c.child).say("'s Instagram story, screenshot sent in by ").other(&c.titled(0));
    n.say(" (Head of Year 9):\n\"cant believe ").other(&c.given[1]);
    n.say(" grassed on me to the teachers. watch urself monday. ").other(&c.given[2].to_lowercase()).say(" n ");
    n.other(&c.nick[0].to_lowercase()).say(" know where u live\"\nReplies:\n").other(&c.full(3));
    n.say(": leave it its not worth it\n").other(&c.given[1]).say(": whatever\n").other(&c.nick[1]).say(": ");
    n.other(&c.given[1].to_lowercase()).say("s a snake\nAction: ").name(&c.parent);
    n.say(" informed; post removed the same evening.");
}

fn voicemail(n: &mut Note, c: &Cast) {
    n.say("Voicemail on the duty line, left 17:42 Friday (typed up by ").other(&c.given[0]);
    n.say(", duty admin):\n\"Hiya, it's ")
        .other(&c.given[1])
        .say(" from the Family Hub on Boggart Hill, just ringing about ");
    n.name(&c.child_full()).say(". ").say(if c.mum { "Mum's" } else { "Dad's" }).say(" been in touch and ");
    n.say(c.she())
        .say("'s not coping, the ex, ")
        .other(&c.given[2])
        .say(", has turned up again. Can someone ring me back on ");
    n.mark(&c.phone, Kind::Phone).say("? Or I'm on ").mark(&c.phone2, Kind::Phone).say(" till six. Cheers, bye.\"");
}

fn email_chain(n: &mut Note, c: &Cast) {
    const HELLO: &[&str] = &["Morning all,", "Hi both,", "Afternoon all,", "Hello everyone,"];
    const BYE: &[&str] = &["Cheers, ", "Thanks,\n", "Ta\n", "Many thanks\n", "Speak soon,\n", "Thanks - "];
    n.say("From: ").other(&c.full(0)).say(" <").mark(&c.email(0), Kind::Email);
    n.say(">\nSent: 12 March 2025 08:14\nTo: ").other(&c.full(1)).say("; ").other(&c.full(2)).say("\nCc: ");
    n.other(&c.full(4)).say("\nSubject: ").name(&c.child).say(" - TAF moved\n\n").say(HELLO[c.v % HELLO.len()]);
    n.say("\n\nJust to let you know ").name(&c.child).say("'s TAF has moved to Thursday at 2. ").other(&c.given[1]);
    n.say(", could you bring the attendance figures?\n\n").say(BYE[c.v % BYE.len()]).other(&c.given[0]);
    n.say("\n\n-----\n\nHiya ").other(&c.given[0]).say(",\n\nNo problem. FYI ").name(&c.parent);
    n.say(" rang me yesterday - ").other(&c.given[3]).say(" has moved back in.\n\nBest,\n");
    n.other(&format!("Dr {}", c.initialled(2)));
}

fn household_table(n: &mut Note, c: &Cast) {
    n.say("Household composition (from the Child and Family Assessment)\nName: ").name(&c.child_full());
    n.say(" | Relationship: subject | DOB: ").mark(&c.dob, Kind::DateOfBirth).say(" | School: ").say(&c.school);
    n.say("\nName: ").name(&c.parent_full()).say(" | Relationship: ").say(c.mother()).say(" | DOB: ");
    n.mark(&c.adult_dob, Kind::DateOfBirth).say(" | NI No: ").mark(&c.ni, Kind::NiNumber).say("\nName: ");
    n.other(&c.full(0)).say(" | Relationship: ").say(c.mother()).say("'s partner | DOB: not known\nName: ");
    n.other(&format!("{} {}", c.word_f, c.surname[0])).say(" | Relationship: half-sister | DOB: ");
    n.mark(&c.dob2, Kind::DateOfBirth).say("\nNot living here: ").other(&c.full(1)).say(" (").name(&c.child);
    n.say("'s other parent), address not known.");
}

fn chronology(n: &mut Note, c: &Cast) {
    n.say("CHRONOLOGY OF SIGNIFICANT EVENTS\n03/01/2025 09:15 - Call from ").other(&format!("Nurse {}", c.surname[0]));
    n.say(" (school nurse): ").name(&c.child).say(" has head lice again and a dental abscess.\n07/01/2025 16:40 - ");
    n.name(&c.child).say(" told ").other(&c.given[1]).say(" (learning mentor) that there was \"a fight\" at home.\n");
    n.say("15/01/2025 - Strategy discussion chaired by ").other(&c.full(2)).say("; ").other(&c.officer(3));
    n.say(" attending.\n22/01/2025 11:00 - Unannounced visit. ").name(&c.parent).say(" out; neighbour ");
    n.other(&c.word_m).say(" said the children had been left with a teenager.\n02/02/2025 - Letter sent to ");
    n.mark(&c.address, Kind::Address).say(", ").mark(&c.postcode, Kind::Postcode).say(".");
}

fn police_occurrence(n: &mut Note, c: &Cast) {
    n.say("OCCURRENCE SUMMARY - Domestic incident\nVictim: ").name(&c.parent_caps()).say(" (DOB ");
    n.mark(&c.adult_dob, Kind::DateOfBirth).say(")\nSuspect: ").other(&c.caps(0)).say(" (born ");
    n.mark(&c.born, Kind::DateOfBirth).say(")\nWitness: ").other(&c.caps(1)).say(", neighbour\nChild present: ");
    n.name(&c.child_caps()).say(" (aged 8)\nNarrative: Officers attended at 23:20. ").name(&c.parent);
    n.say(" had a cut lip and said ").other(&c.given[0]).say(" had pushed ").say(c.her());
    n.say(" into the door frame. ").other(&c.surname[0].to_uppercase()).say(" was found at ").other(&c.given[2]);
    n.say("'s flat on Beckett Street and arrested for assault (s39). DASH: high. MARAC referral submitted.\nOIC: ");
    n.other(&c.officer(3)).say("    Supervisor: ").other(&format!("Sgt {}", c.surname[4]));
}

fn childs_account(n: &mut Note, c: &Cast) {
    n.say("What ").name(&c.child).say(" said (written down straight after the visit, word for word):\n\"Me and ");
    n.other(&c.nick[0]).say(" and ").other(&c.given[0]).say(" was at the park. ").other(&c.nick[0]);
    n.say("'s cousin, the one they call '").other(&c.nick[1]);
    n.say("', said if I don't hold the bag they'll tell ").other(&c.given[1]).say(" about my ");
    n.say(c.mum()).say(". ").other(&c.word_m).say(" was there an' all, he just laughed. I told ");
    n.other(&format!("Miss {}", c.surname[2])).say(" at school cos she's safe.\"");
}

fn all_about_me(n: &mut Note, c: &Cast) {
    n.name(&c.child).say("'s \"All About Me\" sheet, copied as written:\n\"my name is ").name(&c.child.to_lowercase());
    n.say(". i live with my ").say(c.mum()).say(" and my cat biscuit. my best frend is ");
    n.other(&c.given[0].to_lowercase()).say(". i dont like it wen ").other(&c.word_m.to_lowercase());
    n.say(" comes round he shouts and bangs the door. on saturdays i go to nana ").other(&c.word_f.to_lowercase());
    n.say("s she makes pancaks. wen i grow up i want to be a vet like ").other(&c.given[1].to_lowercase());
    n.say(" from my class\"");
}

fn asylum_visit(n: &mut Note, c: &Cast) {
    n.say("Visit to ")
        .name(&c.parent)
        .say(" and ")
        .name(&c.child)
        .say(" at the contingency hotel, 15:00. Interpreter: ");
    n.other(&c.titled(0)).say(" (Kurdish Sorani), booked through the Big Word.\n").name(&c.parent);
    n.say(" described the journey from Erbil through Turkey and Calais. ").name(&c.child).say("'s cousin, ");
    n.other(&c.full(1))
        .say(", is believed to be living in Manchester. The Migrant Help caseworker, ")
        .other(&c.full(2));
    n.say(", will chase the Home Office about dispersal accommodation. ").name(&c.child);
    n.say(" has a school place at ").say(&c.school).say(" from Monday; uniform from the Uniform Exchange. ");
    n.say("Next visit Thursday, with ").other(&c.titled(0)).say(" interpreting again.");
}

fn lado_referral(n: &mut Note, c: &Cast) {
    n.say("LADO REFERRAL\nPerson the allegation is about: ").other(&c.full(0));
    n.say(", volunteer coach, Rothwell Juniors FC\nReferrer: ").other(&c.full(1)).say(", Club Welfare Officer, ");
    n.mark(&c.email(1), Kind::Email).say("\nAllegation: ").name(&c.child).say(" told ").other(&c.given[2]);
    n.say(", a teammate's parent, that ").other(&c.given[0]);
    n.say(" had been messaging on Snapchat after midnight and offering lifts home. ").name(&c.parent);
    n.say(" has seen the messages.\nLADO: ").other(&c.full(3)).say(". Police: ").other(&c.officer(4));
    n.say(", Safeguarding Unit. Strategy meeting Friday 10:00. ").other(&c.surname[0]);
    n.say(" has been stood down from coaching by the county FA meanwhile.");
}

fn pep_review(n: &mut Note, c: &Cast) {
    n.say("Personal Education Plan review - Summer term\nChild: ").name(&c.child_full()).say("    UPN: ");
    n.mark(&c.upn, Kind::Upn).say("\nDesignated Teacher: ").other(&c.titled(0)).say("\nVirtual School adviser: ");
    n.other(&c.full(1)).say("\nCarer: ").other(&format!("{} {}", c.word_f, c.surname[2])).say(" (foster carer)\n");
    n.say("Views: ").name(&c.child).say(" likes Art and PE and wants to stop sitting next to ").other(&c.given[3]);
    n.say(" in Maths.\nPupil Premium Plus: £600 for tutoring with ").other(&c.given[4]);
    n.say(" from the Tutor Trust.\nBirth parent's views: ").name(&c.parent).say(" was invited but did not attend.");
}

fn dental_concern(n: &mut Note, c: &Cast) {
    n.say("Safeguarding concern from Kirkstall Dental Practice\nPatient: ").name(&c.child_full());
    n.say(", date of birth ").mark(&c.dob, Kind::DateOfBirth).say("\nDentist: ").other(&format!("Dr {}", c.full(0)));
    n.say("    Dental nurse: ").other(&c.given[1]).say("\n").name(&c.child);
    n.say(" has six decayed teeth and has been in pain for weeks. Three appointments missed since October. ");
    n.name(&c.parent).say(" said the car had broken down and that ").other(&c.given[2]);
    n.say(", who usually drives them, is away. Referred to the Community Dental Service for extractions under ");
    n.say("general anaesthetic.\nContact: ").mark(&c.phone, Kind::Phone).say(", ").mark(&c.email(0), Kind::Email);
}

fn edt_log(n: &mut Note, c: &Cast) {
    n.say("Emergency Duty Team - Saturday night\n23:05 Call from ").other(&format!("Sgt {}", c.surname[0]));
    n.say(", control room: ").name(&c.child_full()).say(" found walking on the ring road near the Armley gyratory.\n");
    n.say("23:40 ")
        .other(&c.full(1))
        .say(" (EDT SW) spoke to ")
        .name(&c.parent)
        .say(" on ")
        .mark(&c.phone, Kind::Phone);
    n.say(", who thought ").name(&c.child).say(" was at ").other(&c.given[2]).say("'s for a sleepover.\n");
    n.say("00:30 ").name(&c.child).say(" placed overnight with emergency foster carer ");
    n.other(&format!("{} {}", c.word_f, c.surname[3])).say(".\n08:00 Handover to the day team (");
    n.other(&c.given[4]).say(").");
}

fn must_stay_services(n: &mut Note, _: &Cast) {
    n.say("Next steps agreed at the Team Around the Family meeting:\n");
    n.say("- Citizens Advice to look at the Universal Credit deductions and the Council Tax arrears.\n");
    n.say("- Women's Aid to offer the Freedom Programme on Tuesday mornings at the Family Hub.\n");
    n.say("- Home-Start to match a volunteer before Easter.\n");
    n.say("- Relate for parenting-after-separation sessions; Turning Point to keep the alcohol support open ");
    n.say("until June.\n- Chance UK has a mentoring place from September; Barnardo's will start the Young Carers ");
    n.say("group in the autumn.\n");
    n.say(
        "Outcome: step down to Early Help, in line with Working Together 2023.\nRisk: reducing. The Signs of Safety ",
    );
    n.say("mapping will be reviewed in April.\nGrant funding from the Household Support Fund paid for a cooker, and ");
    n.say("Job Centre Plus have agreed a budgeting advance. The Youth Justice Service closed its case in March.");
}

fn must_stay_school(n: &mut Note, _: &Cast) {
    n.say("Year 9 Options Evening, Thursday 20 February. GCSE choices include Geography, History, French, Spanish, ");
    n.say("Religious Studies, Computer Science, Food Preparation and Nutrition, and Design and Technology. English ");
    n.say("Language, English Literature, Maths and Combined Science stay compulsory. The Duke of Edinburgh Award ");
    n.say("(Bronze) expedition is in the Yorkshire Dales in May. Wren Class and Ruby Class lead the Diwali assembly; ");
    n.say(
        "the Christmas Fair and the Eid party both raised money for Martin House. PSHE this half term covers consent ",
    );
    n.say("and healthy relationships. Ofsted rated the school Good in November. Year 6 transfers to Ralph Thoresby ");
    n.say("School are confirmed for September, and the EHCP annual review is on the Tuesday after half term.");
}

fn must_stay_clinic(n: &mut Note, _: &Cast) {
    n.say("Paediatric Outpatients, Leeds Children's Hospital\nClinic: Child Development Centre, Monday 14 April\n\n");
    n.say("Dear Colleague,\n\nDiagnosis: Autism Spectrum Condition; Attention Deficit Hyperactivity Disorder ");
    n.say(
        "(combined type); Osgood-Schlatter disease of the left knee.\nMedication: Melatonin 2mg at night; Movicol as ",
    );
    n.say(
        "needed.\nPlan: Speech and Language Therapy, Occupational Therapy and Audiology referrals made. Review in the ",
    );
    n.say(
        "Neurodevelopmental Clinic in six months. Please continue Healthy Start vitamins. The family were given the ",
    );
    n.say("Cherry Tree Surgery number and a leaflet for the Olive Branch parenting course; the practice is an IRIS ");
    n.say("practice.\n\nYours sincerely\n\nConsultant Community Paediatrician\nDictated but not checked");
}

fn must_stay_weekend(n: &mut Note, _: &Cast) {
    n.say("Weekend activities (from the family's plan): Saturday football with Rothwell Juniors at Soldiers Field, ");
    n.say("then Kirkgate Market and the White Rose Centre for Primark, JD Sports and Greggs. Sunday at Roundhay Park ");
    n.say("and Tropical World, and tea at Nando's. Screen time: Match of the Day on BBC One, Bluey and Hey Duggee on ");
    n.say("CBeebies, Love Island on ITV2; apps are TikTok, Snapchat, Roblox and Minecraft, and FIFA on the ");
    n.say(
        "PlayStation. Shopping is done at Morrisons and Sainsbury's, or Aldi when money is tight. The Vauxhall Corsa ",
    );
    n.say("failed its MOT at Kwik Fit. New Hunter wellies for the Honey Bees room's trip to Temple Newsam.");
}

fn must_stay_panel(n: &mut Note, _: &Cast) {
    n.say("RESOURCE AND ACCESS PANEL - Monday 3 March\nRequest: Special Guardianship Order support plan.\n");
    n.say("Outcome: Agreed in principle.\nRisk: Medium; the Public Law Outline letter has already been issued.\n");
    n.say("Next steps: Legal Gateway Meeting in April; the Independent Reviewing Officer to be told; Care Plan ");
    n.say("updated on Mosaic before Friday.\nDecision: Section 20 accommodation not supported.\n");
    n.say("Notes: a Clare's Law disclosure was made by West Yorkshire Police in January; MARAC on Wednesday; ");
    n.say("Sure Start Maternity Grant refused. Destiny Church runs a holiday club at Easter, Whitsun and in August.");
}

const SET_E: &[Template] = &[
    front_door,
    section_47_visit,
    core_group,
    conference_report,
    early_help,
    family_network,
    private_fostering,
    return_interview,
    exploitation_screen,
    attendance_officer,
    nursery_accident,
    paediatric_report,
    midwife_booking,
    recovery_letter,
    mappa_extract,
    court_order,
    placement_plan,
    life_story,
    kinship_viability,
    phone_messages,
    instagram_post,
    voicemail,
    email_chain,
    household_table,
    chronology,
    police_occurrence,
    childs_account,
    all_about_me,
    asylum_visit,
    lado_referral,
    pep_review,
    dental_concern,
    edt_log,
    must_stay_services,
    must_stay_school,
    must_stay_clinic,
    must_stay_weekend,
    must_stay_panel,
];

/// The templates that carry only what must stay.
const MUST_STAY: usize = 5;

/// How many notes set E has (seventeen from each template), and its seed.
const COUNT: usize = 646;
const SEED: u64 = 0xE5E7_0F1E_ED5A_2026;

fn notes(count: usize, seed: u64) -> Vec<Note> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|i| {
            let c = cast(&mut rng, i, SET_E.len());
            let mut n = Note::default();
            SET_E[i % SET_E.len()](&mut n, &c);
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
    for g in GIVEN_IN {
        assert!(given.contains(&key(g)), "{g} is in the given-name list");
    }
    for g in GIVEN_OUT {
        assert!(!given.contains(&key(g)), "{g} is outside the given-name list");
    }
    for s in SURNAME_IN {
        assert!(surnames.contains(&key(s)), "{s} is in the surname list");
    }
    for s in SURNAME_OUT {
        assert!(!surnames.contains(&key(s)), "{s} is outside the surname list");
    }
    let known: HashSet<String> = [CHILDREN, MOTHERS, FATHERS, FAMILIES].concat().iter().map(|s| key(s)).collect();
    let third = [GIVEN_IN, GIVEN_OUT, WORDS_F, WORDS_M, NICKNAMES, SURNAME_IN, SURNAME_OUT].concat();
    for t in &third {
        assert!(!known.contains(&key(t)), "{t} shares a name with the record's people");
    }
    let distinct: HashSet<String> = third.iter().map(|s| key(s)).collect();
    assert_eq!(distinct.len(), third.len(), "each third-party name is in one pool once");
}

/// Whole-word places where `word` stands in `lower` (a note in lower case, a character for a
/// character), in characters.
fn occurrences(lower: &[char], word: &str) -> Vec<usize> {
    let word: Vec<char> = word.chars().map(|c| c.to_lowercase().next().unwrap()).collect();
    let edge = |k: Option<&char>| k.is_none_or(|c| !c.is_alphanumeric());
    (0..lower.len().saturating_sub(word.len() - 1))
        .filter(|&s| lower[s..s + word.len()] == word[..])
        .filter(|&s| edge(s.checked_sub(1).and_then(|p| lower.get(p))) && edge(lower.get(s + word.len())))
        .collect()
}

/// A labelled name is made only of title words, initials and names from its pools.
fn made_of(label: &str, names: &HashSet<String>) -> bool {
    label.split_whitespace().all(|w| {
        let w = w.trim_end_matches('.');
        TITLE_WORDS.contains(&w)
            || (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
            || names.contains(&w.to_lowercase())
    })
}

/// Every label is a stretch of its note, in order, apart from the others, with nothing but the
/// name or identifier in it; every name from the pools that a note mentions is labelled (the
/// word-names excepted, which the must-stay notes use as words); identifiers are well formed;
/// the set is as large and as varied as its doc says.
#[test]
fn the_labels_are_well_formed() {
    let notes = notes(COUNT, SEED);
    assert!(notes.len() >= 600 && SET_E.len() - MUST_STAY >= 24 && MUST_STAY >= 4);
    assert!(COUNT.is_multiple_of(SET_E.len()), "every template has as many notes");
    let lower = |xs: &[&[&str]]| -> HashSet<String> { xs.concat().iter().map(|s| s.to_lowercase()).collect() };
    let known = lower(&[CHILDREN, MOTHERS, FATHERS, FAMILIES]);
    let third = lower(&[GIVEN_IN, GIVEN_OUT, WORDS_F, WORDS_M, NICKNAMES, SURNAME_IN, SURNAME_OUT]);
    let watched: Vec<&str> =
        [CHILDREN, MOTHERS, FATHERS, FAMILIES, GIVEN_IN, GIVEN_OUT, NICKNAMES, SURNAME_IN, SURNAME_OUT].concat();
    let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    for (i, n) in notes.iter().enumerate() {
        let chars: Vec<char> = n.text.chars().collect();
        let mut end = 0;
        for &(s, e, kind) in &n.gold {
            assert!(end <= s && s < e && e <= chars.len(), "{:?}", n.text);
            let label: String = chars[s..e].iter().collect();
            let loose = |c: char| c.is_whitespace() || ",.;:!?\"'()<>".contains(c);
            assert_eq!(label.trim_matches(loose), label, "{:?}", n.text);
            match kind {
                Kind::Name => assert!(made_of(&label, &known), "{label:?} in {:?}", n.text),
                Kind::PossibleName => assert!(made_of(&label, &third), "{label:?} in {:?}", n.text),
                Kind::Postcode => assert!(POSTCODES.contains(&label.as_str()), "{label:?}"),
                Kind::Email => assert!(label.contains("@example."), "{label:?}"),
                Kind::NhsNumber | Kind::Phone | Kind::Upn | Kind::NiNumber => {
                    assert!(label.chars().filter(char::is_ascii_digit).count() >= 6, "{label:?}");
                }
                _ => {}
            }
            end = e;
            *by_kind.entry(kind).or_default() += 1;
        }
        let lowered: Vec<char> = chars.iter().map(|c| c.to_lowercase().next().unwrap()).collect();
        for w in &watched {
            for s in occurrences(&lowered, w) {
                let inside = n.gold.iter().any(|&(gs, ge, _)| gs <= s && s + w.chars().count() <= ge);
                assert!(inside, "{w:?} unlabelled in {:?}", n.text);
            }
        }
        if i % SET_E.len() >= SET_E.len() - MUST_STAY {
            assert!(n.gold.is_empty(), "{:?}", n.text);
        }
        assert_eq!(n.known.len(), 2);
    }
    println!("set E: {} notes, {} templates, entities {by_kind:?}", notes.len(), SET_E.len());
}

/// The identifiers' check characters are right: NHS numbers under modulus 11, UPNs under
/// modulus 23.
#[test]
fn the_identifiers_check() {
    for n in notes(COUNT, SEED) {
        let chars: Vec<char> = n.text.chars().collect();
        for &(s, e, kind) in &n.gold {
            let digits: Vec<u32> = chars[s..e].iter().filter_map(|c| c.to_digit(10)).collect();
            match kind {
                Kind::NhsNumber => {
                    assert_eq!(digits.len(), 10);
                    let sum: u32 = digits[..9].iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
                    assert_eq!((11 - sum % 11) % 11, digits[9]);
                }
                Kind::Upn => {
                    assert_eq!(digits.len(), 12);
                    let sum: u32 = digits.iter().zip(2..).map(|(d, w)| d * w).sum();
                    assert_eq!(b"ABCDEFGHJKLMNPQRTUVWXYZ"[(sum % 23) as usize], chars[s] as u8);
                }
                _ => {}
            }
        }
    }
}

/// Set E was held out until its one run against the model's fifth version (set D's misses
/// mended): entity recall **0.9286** (possible names 0.8879) at character precision **0.9347**
/// (possible names 0.8924; the record's own people 0.9872 / 0.9832; dates of birth and
/// addresses 0.9412 recall; every other kind 1.0000 / 1.0000). The target (0.99 at
/// 0.95) is not met on it. Missed: surnames in capitals standing alone ("PAREKH", "SHEIKH",
/// police and MAPPA style), "HHJ" (a judge's title), given names that are words in contexts the
/// rules do not read ("Duke", "Grant", "Earl", "Sterling", "Hunter", "Clay"), nicknames
/// ("Sully", "benji"), Irish names at a line's start ("Aisling", "Mairead"), lower-case names in
/// a child's sheet ("harmony", "rusty", "iris"), the record's people in capitals
/// ("Tunde DĄBROWSKI"), dates of birth with no "born"/"DOB" before them ("on 8 February 2018" in
/// a life story book), an address on a "Wharf". Over-redacted: towns and districts that are
/// names in the lists or in no list ("Bradford", "Seacroft", "Chapeltown"), health words
/// ("Specialty", "Audiology", "Antenatal", "Movicol", "Osgood-Schlatter"), "Hiya" before a
/// name, "Best," before a sign-off, days before a name ("Friday Jaxon"), "Art" and "Grant" as
/// words, "Home-Start", "Yorkshire Dale", "Whitsun", "Bluey", "Ralph" of "Ralph Thoresby
/// School". After it only general mends went in (greetings and days, no list across a line's
/// end, towns and health words in `not_names.txt`); the thresholds hold the model to what it
/// does now on it, as a development set.
#[test]
fn set_e_scores_as_documented() {
    let (recall, precision, names) = report("set E (development)", &notes(COUNT, SEED));
    println!("possible-name recall {names:.4}");
    assert!(recall >= 0.925, "entity recall {recall:.4}");
    assert!(precision >= 0.955, "character precision {precision:.4}");
    assert!(names >= 0.885, "possible-name recall {names:.4}");
}
