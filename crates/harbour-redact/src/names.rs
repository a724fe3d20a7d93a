//! Names that are not in the record (issue 14 point 6): a small model that reads capitalised
//! words against public name lists (`data/SOURCES.md`) and the words around them.
//!
//! - A title before capitalised words is a name: "Mrs Okafor", "Dr A. Mensah", "PC Hill",
//!   "Mrs Church" (after a title even a place word is a surname).
//! - Initials before a surname, a given name or a word in no list: "J. Smith", "K Walker".
//! - A given name from the list ("Olivia"), with the capitalised words after it ("Olivia
//!   Przybylska", "Olivia Rose Smith"), anywhere in a sentence.
//! - A given name that is also an ordinary word, a month or a place ("Grace", "May", "Devon";
//!   `data/ambiguous_names.txt`) needs support: a surname after it ("Grace Thompson"), or a
//!   person context: a kin word or "called" before it ("her friend Grace"), a verb of saying
//!   after it ("Hope said"), a possessive and a person word after it ("Will's mum").
//! - A capitalised word in no list and no common-word list looks like a name ("Zbigniew",
//!   "Okonkwo"): two of them together, or one beside a name, or one with a person context, or
//!   one alone where a place is not likely (not after "in", "at", "to", an article...).
//! - Company, labels and lists of people are person contexts too: "friends with Art", "sits next
//!   to Radomir", "Chair: Jolanta.", "Attendees: ...; Joy - police" (not for ordinary words).
//! - An ordinary capitalised word or a lone surname is a name only with a person context ("a dog
//!   called Biscuit", "Smith said").
//! - A word beside a name with "and", "&" or a comma is a name too ("Olivia and Zephyrine"), and
//!   a word found as a name is a name wherever else it stands in the note.
//!
//! What stops it: places, streets and organisations after a name ("Grace Academy", "Jordan
//! Close", "St Mary's Hospital") or before it ("Canford Heath"), a month beside a number or a date
//! word ("in May", "4 June"), function words, kin and roles ("Mum", "Staff", "Monday"), words
//! that are nobody's name ("Somali", "Ofsted"; `data/not_names.txt`), all-capital acronyms.
//!
//! The known people's names are found apart, in `lib.rs`; where the two overlap the known
//! person's name wins.

use std::collections::HashSet;

const GIVEN: &str = include_str!("../data/given_names.txt");
const SURNAMES: &str = include_str!("../data/surnames.txt");
const AMBIGUOUS: &str = include_str!("../data/ambiguous_names.txt");
const ENGLISH: &str = include_str!("../data/english_words.txt");
const NOT_NAMES: &str = include_str!("../data/not_names.txt");

/// The endings the common-word list leaves for the model to take off (keep in step with
/// `data/SOURCES.md`): "lights" is "light", "referred" is "refer".
const SUFFIXES: &[(&str, &str)] = &[
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("er", ""),
    ("ers", ""),
    ("est", ""),
    ("ness", ""),
];

/// Titles that make the capitalised words after them a name.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "master", "prof", "professor", "rev", "revd", "sir", "dame", "pc", "sgt",
    "cllr", "judge", "nurse", "dc", "ds", "di", "dci", "dsi", "det", "pcso", "insp", "inspector", "detective", "sergeant",
    "constable",
];

/// Words that are never part of a name, however they are written: function words, kin and
/// roles, days, months that are not given names, and words of dates and school terms.
#[rustfmt::skip]
const STOP: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "if", "so", "as", "at", "by", "for", "from", "in", "into", "of", "on", "to",
    "with", "without", "about", "after", "before", "during", "since", "until", "while", "when", "where", "which", "who",
    "what", "why", "how", "this", "that", "these", "those", "there", "then", "than", "here", "he", "she", "it", "we",
    "they", "i", "you", "me", "him", "her", "us", "them", "his", "hers", "its", "our", "their", "my", "your", "no",
    "not", "yes", "ok", "all", "any", "both", "each", "every", "some", "many", "much", "more", "most", "few", "none",
    "nobody", "nothing", "everyone", "everybody", "someone", "somebody", "something", "anyone", "other", "others",
    "another", "also", "only", "just", "still", "yet", "already", "again", "however", "although", "though", "because",
    "whilst", "can", "said", "please", "thanks", "dear", "hi", "hello", "re", "mum", "mummy", "mam", "mother", "dad",
    "daddy", "father", "parent", "parents", "nan", "nanny", "gran", "granny", "grandma", "grandmother", "grandad",
    "granddad", "grandpa", "grandfather", "grandparents", "aunt", "auntie", "aunty", "uncle", "cousin", "brother",
    "sister", "sibling", "siblings", "son", "daughter", "child", "children", "kid", "kids", "boy", "girl", "man",
    "woman", "men", "women", "family", "friend", "friends", "partner", "boyfriend", "girlfriend", "husband", "wife",
    "neighbour", "neighbours", "carer", "carers", "foster", "teacher", "teachers", "headteacher", "head", "staff",
    "nurse", "doctor", "midwife", "officer", "officers", "worker", "workers", "manager", "professional",
    "professionals", "social", "visitor", "doctors", "nurses", "students", "pupils", "relatives", "paramedics",
    "colleagues", "witnesses", "residents", "members", "agencies", "partners", "practitioner", "therapist",
    "consultant", "solicitor", "advocate", "guardian", "chair", "nana", "traveller", "travellers", "teenager", "teen",
    "toddler", "youngster", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "christmas", "easter", "eid", "diwali", "halloween", "today", "tomorrow",
    "yesterday", "tonight", "morning", "afternoon", "evening", "night", "week", "weekend", "term", "half", "bank",
    "holiday", "holidays", "new", "year", "mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri",
    "im", "ive", "id", "youre", "theyre", "dont", "cant", "wont", "didnt", "baby", "babies", "hiya", "hey",
    "ta", "cheers", "regards",
];

/// Place and organisation words: a name followed by one of these is a place or a body.
#[rustfmt::skip]
const PLACES: &[&str] = &[
    "road", "rd", "street", "st", "avenue", "ave", "close", "crescent", "drive", "terrace", "mews", "gardens", "place",
    "square", "parade", "rise", "view", "walk", "row", "way", "court", "vale", "school", "academy", "college",
    "university", "nursery", "preschool", "primary", "secondary", "infant", "infants", "grammar", "council", "police",
    "hospital", "surgery", "practice", "clinic", "centre", "center", "unit", "ward", "service", "services", "trust",
    "team", "department", "office", "board", "authority", "partnership", "church", "chapel", "mosque", "temple",
    "synagogue", "library", "station", "club", "house", "home", "homes", "estate", "farm", "group", "project",
    "foundation", "charity", "ltd", "limited", "plc", "care", "tribunal", "magistrates", "county", "borough", "city",
    "town", "village", "district", "island", "beach", "harbour", "quay", "pier", "cafe", "shop", "store", "pharmacy",
    "hotel", "pub", "inn", "arms", "hub", "federation", "institute", "community", "medical", "health", "leisure",
    "sports", "football", "united", "rovers", "bournemouth", "dorset", "christchurch", "weymouth", "dorchester",
    "wimborne", "ferndown", "swanage", "wareham", "bridport", "sherborne", "boscombe", "southbourne", "kinson",
    "parkstone", "hamworthy", "broadstone", "verwood", "blandford", "shaftesbury", "lyme", "purbeck", "highcliffe",
    "westbourne", "southampton", "salisbury", "hampshire", "wiltshire", "somerset", "england", "wales", "scotland",
    "ireland", "britain", "europe", "tesco", "asda", "aldi", "lidl", "morrisons", "sainsbury", "primark", "housing",
    "education", "probation", "ofsted", "childline", "barnardos", "nspcc", "cafcass", "camhs", "law", "act",
];

/// Street words that are also common surnames ("Olivia Hill", but "Victoria Park"), and
/// Dorset places that are surnames too ("Mrs Poole", but "moved to Poole").
#[rustfmt::skip]
const WEAK_PLACES: &[&str] = &[
    "hill", "lane", "green", "park", "grove", "wood", "woods", "hall", "brook", "brooks", "marsh", "field", "fields",
    "ford", "bridge", "cross", "gate", "poole", "portland", "gillingham",
];

/// Kin and other person words before a name: "her friend Zephyrine", "a boy called Will".
#[rustfmt::skip]
const BEFORE: &[&str] = &[
    "friend", "brother", "sister", "mum", "mother", "dad", "father", "aunt", "auntie", "aunty", "uncle", "cousin",
    "nan", "nana", "nanny", "gran", "granny", "grandma", "grandmother", "grandad", "granddad", "grandpa", "grandfather",
    "partner", "boyfriend", "girlfriend", "neighbour", "son", "daughter", "niece", "nephew", "stepdad", "stepmum",
    "stepfather", "stepmother", "stepbrother", "stepsister", "half-brother", "half-sister", "carer", "husband", "wife",
    "sibling", "classmate", "baby", "called", "named", "nicknamed", "told", "asked", "contacted", "phoned", "rang",
    "texted", "met", "visited",
];

/// "spoke to Kwabena", "lives with Zephyrine".
#[rustfmt::skip]
const TALK: &[&str] = &[
    "spoke", "speak", "speaking", "talked", "talk", "talking", "lives", "living", "lived", "staying", "stays", "stayed",
    "spoken",
];

/// Company kept with a person: "friends with Art", "played with Storm", "sat with Radomir".
#[rustfmt::skip]
const COMPANY: &[&str] = &[
    "friends", "friend", "mates", "pals", "sat", "sit", "sits", "sitting", "played", "play", "plays", "playing",
    "argued", "argues", "arguing", "fought", "fights", "fighting", "fell", "falls", "walked", "walks", "walking",
    "hangs", "hanging", "hung", "went", "goes", "going", "came", "comes", "left", "leaves", "along", "together",
    "shares", "shared", "sharing", "dating", "seeing", "off",
];

/// A label before a colon that a person's name follows: "Chair: Jolanta", "By: Radomir".
#[rustfmt::skip]
const LABELS: &[&str] = &[
    "chair", "chaired", "chairperson", "minutes", "minuted", "minute-taker", "by", "present", "attendees",
    "attending", "attended", "apologies", "invited", "from", "to", "cc", "author", "signed", "worker", "caller",
    "referrer", "contact", "lead", "witness", "facilitator", "note-taker", "reporter", "officer", "teacher",
    "action", "actions", "owner", "name", "nickname", "alias", "aka", "mother", "father", "parent", "carer", "child",
    "subject", "dsl", "sw", "gp", "hv", "nurse", "supervisor", "manager", "attendee", "requester", "informant",
    "victim", "suspect", "perpetrator", "partner", "sibling", "siblings", "allocated", "keyworker", "mentor",
];

/// Labels of a line that lists people: "Present: ...", "Attendees: ...; Jolanta - DSL".
const LIST_LABELS: &[&str] = &["present:", "attendees:", "attending:", "apologies:", "invited:", "cc:"];

/// Kin and person words after a possessive: "Grace's mum", "Kwabena's teacher".
#[rustfmt::skip]
const AFTER_POSSESSIVE: &[&str] = &[
    "mum", "mother", "dad", "father", "brother", "sister", "aunt", "auntie", "uncle", "cousin", "nan", "nana", "gran",
    "grandma", "grandmother", "grandad", "grandfather", "partner", "boyfriend", "girlfriend", "friend", "friends",
    "son", "daughter", "baby", "children", "child", "sibling", "siblings", "stepdad", "stepmum", "carer", "husband",
    "wife", "teacher", "house", "home", "bedroom", "room", "school", "class", "nursery", "attendance", "behaviour",
    "care", "placement", "phone", "birthday", "party", "reading", "needs", "views", "wishes", "feelings", "safety",
    "health", "plan", "key", "social",
];

/// Verbs after a person's name: "Hope said", "Kwabena told me".
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "said", "says", "told", "tells", "stated", "states", "reported", "reports", "explained", "explains", "disclosed",
    "discloses", "asked", "asks", "added", "agreed", "agrees", "confirmed", "confirms", "denied", "denies", "admitted",
    "admits", "alleged", "shared", "mentioned", "described", "claimed", "claims", "complained", "wants", "wanted",
    "cried", "shouted", "texted", "messaged", "rang", "phoned", "replied", "insisted", "refused", "hit", "punched",
    "kicked", "threatened", "smacked", "lives", "lived",
];

/// Words before a place ("in Swanage", "moved to Tolpuddle").
#[rustfmt::skip]
const PLACE_WORDS: &[&str] = &[
    "in", "at", "to", "into", "near", "towards", "around", "across", "via", "outside", "inside", "through", "past",
    "beyond", "within", "visit", "visited", "moved", "lives", "live", "living",
];

/// Words before a thing, seldom before a person's name.
const ARTICLES: &[&str] = &["the", "a", "an", "this", "that", "these", "those", "every", "each", "any", "some", "no"];

/// Messages that come from people ("a text from Nkechi").
#[rustfmt::skip]
const MESSAGES: &[&str] = &[
    "call", "calls", "text", "texts", "message", "messages", "email", "emails", "letter", "letters", "visit",
    "referral", "msg", "msgs", "dm", "dms", "voicemail", "voicemails", "note", "notes", "card", "photo", "photos",
    "picture",
];

/// Words before a month that make it a date ("in May", "since June").
#[rustfmt::skip]
const DATE_WORDS: &[&str] = &[
    "in", "on", "of", "since", "until", "till", "by", "from", "during", "last", "next", "early", "late", "mid", "end",
    "this", "before", "after", "throughout",
];
const MONTHS: &[&str] = &["april", "may", "june", "august"];
/// Given names of the list that are also slang, drinks, flowers or common nouns in lower case.
#[rustfmt::skip]
const LOWER_NOT_NAMES: &[&str] = &[
    "john", "charlie", "molly", "jasmine", "tequila", "german", "pinkie", "mickey", "buster", "dixie", "bobby",
    "bailey", "billy", "johnny", "jimmy", "willie", "willy", "dick", "fanny", "jack", "tommy", "randy", "mack",
    "jerry", "nelly", "sonny", "tony", "trey", "dahlia", "camellia", "rosette", "novella", "meta", "viva", "vita",
    "lino", "lulu", "nana", "nanny", "mama", "papa", "mummy", "daddy", "babe", "baby", "honey", "angel", "dear",
    "love", "bruh", "bro", "sis", "mate", "lady", "king", "queen", "prince", "princess", "marquis", "emerita",
];
/// Kin and friends before a lower-case name in a child's words: "nanny river", "my mate kenji".
#[rustfmt::skip]
const LOWER_KIN: &[&str] = &[
    "nan", "nanny", "nana", "gran", "granny", "grandad", "grandma", "aunty", "auntie", "aunt", "uncle", "cousin",
    "brother", "sister", "stepdad", "stepmum", "mate", "bestie", "bff", "friend", "boyfriend", "girlfriend", "bf",
    "gf", "called", "named",
];

/// The words of messages that are in no word list: never names.
#[rustfmt::skip]
const TEXT_SPEAK: &[&str] = &[
    "wiv", "gona", "gonna", "gunna", "wanna", "pls", "plz", "innit", "cuz", "coz", "tbh", "idk", "omg", "lol", "lmao",
    "ngl", "wat", "dat", "dis", "dem", "ting", "peng", "wagwan", "bruv", "fam", "nah", "yeah", "okay", "soz", "thx",
    "hun", "abt", "sum", "wen", "tho", "luv", "cos", "bcos", "bcoz", "nite", "2moro", "tmrw", "srsly", "hmu", "ily",
    "ther", "thier", "wot", "dont", "cant", "wont", "didnt", "doesnt", "isnt", "wasnt", "ive", "theyre", "youre",
    "alot", "becuz", "becos", "skool", "freind", "frend", "realy", "sumthing", "nothink", "summat", "aint", "dunno",
    "comin", "goin", "bein", "doin", "nothin", "somethin", "mums", "dads", "nans", "ppl", "sumone", "evry",
];

/// Quotation marks around a nickname: the group called "Smudge".
const QUOTES: &[char] = &['"', '\'', '“', '”', '‘', '’'];

const COLOURS: &[&str] = &["white", "black", "brown", "green", "grey", "gray", "red", "mixed"];
const PEOPLES: &[&str] =
    &["english", "welsh", "irish", "scottish", "british", "african", "caribbean", "asian", "other"];
#[rustfmt::skip]
const DAY_DATE_WORDS: &[&str] = &[
    "on", "last", "next", "this", "every", "each", "until", "till", "since", "from", "before", "after", "during", "of",
];
const DAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Words of `ambiguous_names.txt` that a capital letter in mid-sentence does not make a name:
/// places ("moved to Devon"), faiths and peoples ("is Christian"), titles ("the Queen"),
/// colours ("rated Amber" is kept apart below) and things ("Channel 4").
#[rustfmt::skip]
const CAPITAL_NOT_ENOUGH: &[&str] = &[
    "devon", "india", "paris", "london", "brooklyn", "sydney", "lincoln", "chester", "milan", "vienna", "kendal",
    "memphis", "arizona", "asia", "cairo", "eden", "sahara", "skye", "iona", "arran", "kenya", "israel", "zion",
    "dallas", "victoria", "jersey", "china", "dakota", "christian", "islam", "messiah", "saint", "amen", "genesis",
    "king", "prince", "princess", "queen", "lady", "duke", "earl", "baby", "papa", "junior", "marshal", "sheikh",
    "sultan", "emir", "roma", "romany", "gypsy", "pagan", "echo", "channel", "link", "cash", "ford", "blue", "red",
    "grey", "gray", "navy", "silver", "heaven", "karma", "zen", "praise", "art", "drama", "music", "grant",
];

/// Seasons, which are dates after a date word ("over Summer") or before a word of the school
/// year ("Summer term").
const SEASONS: &[&str] = &["spring", "summer", "autumn", "winter"];
const SCHOOL_YEAR: &[&str] = &["term", "terms", "holiday", "holidays", "half", "break", "camp", "fair", "fete", "show"];

/// Words before a colour that make it a rating ("RAG rated Amber").
const RATED: &[&str] = &["rated", "rating", "rag", "graded", "grade", "level", "status", "flagged", "marked", "risk"];

/// Verbs and auxiliaries straight after a sentence's first word that make it a person: "Dawn
/// is buying chips", "Reed was upset".
#[rustfmt::skip]
const AUX: &[&str] = &[
    "is", "was", "has", "had", "isn't", "wasn't", "hasn't", "would", "could", "did", "didn't", "does", "doesn't",
    "went", "goes", "came", "comes", "got", "gets", "gave", "gives", "took", "takes", "seemed", "seems", "looked",
    "looks", "appeared", "appears", "started", "stayed", "stays", "arrived", "attended", "attends", "called", "visited",
    "became", "needs", "needed", "likes", "liked", "loves", "loved", "hates", "hated", "felt", "feels", "thinks",
    "thought", "knows", "knew", "saw", "sees", "showed", "tried", "ran", "walked", "plays", "played", "left", "works",
    "worked", "lives", "lived", "picked", "collected", "brought", "met", "became", "spent", "helped", "helps",
];

/// Greetings before a name: "Hi Dawn,", "Dear Penny", "Thanks Reed".
const GREETINGS: &[&str] = &["hi", "hello", "hiya", "hey", "dear", "morning", "afternoon", "thanks", "cheers", "bye"];
/// The informal ones, which even an ordinary word follows only as a name ("Hi Clover,").
const INFORMAL_GREETINGS: &[&str] = &["hi", "hello", "hiya", "hey", "thanks", "cheers", "bye"];

/// The last word of a letter's or an email's closing line, before the name on the next line.
#[rustfmt::skip]
const CLOSINGS: &[&str] = &[
    "thanks", "thank", "you", "regards", "wishes", "sincerely", "faithfully", "cheers", "love", "best", "care",
    "soon", "warmly", "respectfully", "again", "x", "xx", "xxx",
];

/// Kin and role words after a name and a comma: "Holly, lodger", "Penny, mother's partner".
#[rustfmt::skip]
const APPOSITION: &[&str] = &[
    "mother", "father", "mum", "dad", "brother", "sister", "aunt", "auntie", "uncle", "cousin", "nan", "gran",
    "grandmother", "grandfather", "grandma", "grandad", "stepfather", "stepmother", "stepdad", "stepmum", "partner",
    "boyfriend", "girlfriend", "husband", "wife", "son", "daughter", "niece", "nephew", "lodger", "tenant", "landlord",
    "landlady", "neighbour", "friend", "childminder", "babysitter", "godmother", "godfather", "carer", "sibling",
    "half-brother", "half-sister", "maternal", "paternal", "family", "ex-partner", "mother's", "father's", "mum's",
    "dad's", "subject", "age", "aged",
];

/// Kin after an ordinary word's possessive: "Poppy's mum" (but "School's attendance").
#[rustfmt::skip]
const KIN: &[&str] = &[
    "mum", "mother", "dad", "father", "brother", "sister", "aunt", "auntie", "uncle", "cousin", "nan", "nana", "gran",
    "grandma", "grandad", "partner", "boyfriend", "girlfriend", "friend", "baby", "stepdad", "stepmum",
];

/// What a capitalised word is to the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Title,
    Stop,
    Place,
    WeakPlace,
    Given,
    Ambiguous,
    Surname,
    /// A place, people, faith or brand that is no one's name ("Canford", "Somali", "Ofsted").
    NotName,
    /// An ordinary English word ("Harbour", "Lights") that is in neither name list.
    Word,
    /// A word in no list at all: it looks like a name ("Zbigniew", "Okonkwo").
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Lower,
    Cap,
    Upper,
    Initial,
    Number,
}

/// A word of the text: bytes `start..end` (without a possessive 's), `raw_end` with it.
#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    raw_end: usize,
    shape: Shape,
    class: Class,
    possessive: bool,
    /// The first word of the text, of a line or of a sentence.
    sentence_start: bool,
    /// Only one or two spaces since the word before (its possessive included).
    spaced: bool,
    /// Spaced, and the word before is no possessive; or a title's or initial's full stop.
    joined: bool,
    /// A full stop right after it ("J.").
    dotted: bool,
}

/// The name lists, read once.
pub(crate) struct NameModel {
    given: HashSet<&'static str>,
    surnames: HashSet<&'static str>,
    ambiguous: HashSet<&'static str>,
    english: HashSet<&'static str>,
    not_names: HashSet<&'static str>,
    titles: HashSet<&'static str>,
    stop: HashSet<&'static str>,
    places: HashSet<&'static str>,
    weak_places: HashSet<&'static str>,
}

fn list(text: &'static str) -> HashSet<&'static str> {
    text.lines().filter(|l| !l.trim_start().starts_with('#')).flat_map(str::split_whitespace).collect()
}

fn set(words: &[&'static str]) -> HashSet<&'static str> {
    words.iter().copied().collect()
}

fn one_of(word: &str, words: &[&str]) -> bool {
    words.iter().any(|w| w.eq_ignore_ascii_case(word))
}

impl NameModel {
    pub(crate) fn new() -> Self {
        NameModel {
            given: list(GIVEN),
            surnames: list(SURNAMES),
            ambiguous: list(AMBIGUOUS),
            english: list(ENGLISH),
            not_names: list(NOT_NAMES),
            titles: set(TITLES),
            stop: set(STOP),
            places: set(PLACES),
            weak_places: set(WEAK_PLACES),
        }
    }

    /// The byte ranges of the names in `text` that the model finds; `anchors` are the byte
    /// ranges of names already known (the record's people), which count as names for "and".
    pub(crate) fn find(&self, text: &str, anchors: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let toks = self.tokens(text);
        let mut named: Vec<bool> =
            toks.iter().map(|t| anchors.iter().any(|&(s, e)| s < t.end && t.start < e)).collect();
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            match self.name_at(text, &toks, i) {
                Some(last) => {
                    found.push((i, last));
                    named[i..=last].iter_mut().for_each(|n| *n = true);
                    i = last + 1;
                }
                None => i += 1,
            }
        }
        // Names joined to a name: "Olivia and Zephyrine", "Ruby, Grace and Olivia".
        for _ in 0..4 {
            let before = found.len();
            for i in 0..toks.len() {
                if named[i] || !joined_to_a_name(text, &toks, &named, i) {
                    continue;
                }
                if let Some(last) = self.joined_name_at(&toks, i) {
                    found.push((i, last));
                    named[i..=last].iter_mut().for_each(|n| *n = true);
                }
            }
            if found.len() == before {
                break;
            }
        }
        self.same_names_again(text, &toks, &mut named, &mut found);
        found.into_iter().map(|(a, b)| (toks[a].start, toks[b].end)).collect()
    }

    /// A word found as a name is a name wherever else it stands in the note ("called Faith
    /// ... said Faith shouts"), unless it is a month in a date there.
    fn same_names_again(&self, text: &str, toks: &[Tok], named: &mut [bool], found: &mut Vec<(usize, usize)>) {
        let could_be = |t: &Tok| {
            t.shape == Shape::Cap
                && matches!(t.class, Class::Given | Class::Ambiguous | Class::Surname | Class::Unknown | Class::Word)
        };
        let names: Vec<&str> = found
            .iter()
            .flat_map(|&(a, b)| a..=b)
            .filter(|&k| could_be(&toks[k]))
            .map(|k| word(text, &toks[k]))
            .collect();
        for i in 0..toks.len() {
            let t = &toks[i];
            let again = names.iter().any(|n| n.eq_ignore_ascii_case(word(text, t)));
            if named[i] || !could_be(t) || !again || month_in_a_date(text, toks, i) {
                continue;
            }
            let last = chain(toks, i, t.class == Class::Ambiguous).unwrap_or(i);
            found.push((i, last));
            named[i..=last].iter_mut().for_each(|n| *n = true);
        }
    }

    /// The words of `text`, each classed.
    fn tokens(&self, text: &str) -> Vec<Tok> {
        let mut toks: Vec<Tok> = Vec::new();
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let number = c.is_ascii_digit();
            if !(c.is_alphabetic() || number) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(at, d)) = chars.peek() {
                let inner = !number
                    && matches!(d, '\'' | '’' | '-')
                    && text[at + d.len_utf8()..].starts_with(char::is_alphabetic);
                if (number && d.is_ascii_digit()) || (!number && d.is_alphabetic()) || inner {
                    end = at + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            toks.push(self.token(text, &toks, start, end, number));
        }
        toks
    }

    fn token(&self, text: &str, before: &[Tok], start: usize, raw_end: usize, number: bool) -> Tok {
        let word = &text[start..raw_end];
        let bare = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).filter(|w| w.len() > 1);
        let end = bare.map_or(raw_end, |b| start + b.len());
        let after = &text[raw_end..];
        let bare_apostrophe = word.ends_with('s')
            && (after.starts_with('\'') || after.starts_with('’'))
            && !after.trim_start_matches(['\'', '’']).starts_with(char::is_alphabetic);
        let word = &text[start..end];
        let shape = shape(word, number);
        let class = match shape {
            Shape::Cap => self.class(word),
            Shape::Upper if self.titles.contains(word.to_ascii_lowercase().as_str()) => Class::Title,
            // Police write surnames in capitals ("John SMITH"): a name of the lists, or a word in
            // none, keeps its class; acronyms of no list ("CAMHS") stay apart in `continues`.
            Shape::Upper if word.chars().count() >= 3 => match self.class(word) {
                c @ (Class::Given | Class::Surname | Class::Unknown) => c,
                _ => Class::Stop,
            },
            _ => Class::Stop,
        };
        let prev = before.last();
        let gap = prev.map_or("", |p| &text[p.raw_end..start]);
        let after_abbreviation = prev.is_some_and(|p| p.shape == Shape::Initial || p.class == Class::Title);
        let sentence_start = prev.is_none()
            || gap.contains('\n')
            || (gap.contains(['!', '?', ':', ';', '•']))
            || (gap.contains('.') && !(after_abbreviation && gap.trim_end() == "."));
        let spaced = !gap.is_empty() && gap.len() <= 2 && gap.bytes().all(|b| b == b' ');
        let joined =
            prev.is_some_and(|p| !p.possessive) && (spaced || (after_abbreviation && matches!(gap, ". " | ".")));
        // "ur at Maureens": the name is "Maureen", its "s" a possessive without an apostrophe.
        let plain_possessive = shape == Shape::Cap
            && class == Class::Given
            && bare.is_none()
            && word.ends_with('s')
            && !self.given.contains(word.to_lowercase().as_str());
        let end = if plain_possessive { end - 1 } else { end };
        Tok {
            start,
            end,
            raw_end,
            shape,
            class,
            possessive: bare.is_some() || bare_apostrophe || plain_possessive,
            sentence_start,
            spaced,
            joined,
            dotted: after.starts_with('.'),
        }
    }

    /// What a capitalised word is: the lists are lower-case, without apostrophes.
    fn class(&self, word: &str) -> Class {
        let key: String = word.chars().filter(|c| !matches!(c, '\'' | '’')).flat_map(char::to_lowercase).collect();
        let key = key.as_str();
        let first = key.split('-').next().unwrap_or(key);
        let last = key.rsplit('-').next().unwrap_or(key);
        if self.titles.contains(key) {
            Class::Title
        } else if self.stop.contains(key) || key.strip_suffix('s').is_some_and(|k| self.stop.contains(k)) {
            Class::Stop
        } else if self.places.contains(key) {
            Class::Place
        } else if self.ambiguous.contains(key) && key != "ford" {
            // "Brook", "Brooks": a name of the list before a street's word.
            Class::Ambiguous
        } else if self.weak_places.contains(key) {
            Class::WeakPlace
        } else if self.given.contains(key) || self.given.contains(first) {
            Class::Given
        } else if self.surnames.contains(key) || self.surnames.contains(last) {
            Class::Surname
        } else if self.not_names.contains(key) {
            Class::NotName
        } else if key
            .strip_suffix('s')
            .is_some_and(|s| self.given.contains(s) && !self.english.contains(key) && !self.ambiguous.contains(s))
        {
            // "ur at Maureens": a given name's possessive written without its apostrophe.
            Class::Given
        } else if self.is_english(key) {
            Class::Word
        } else {
            Class::Unknown
        }
    }

    /// An English word, or one with an ending the list leaves off.
    fn is_english(&self, key: &str) -> bool {
        self.english_within(key, 2)
    }

    /// An English word within `depth` endings of the list: "discussed" is "discuss", which the
    /// list leaves out as "discus" and an "s".
    fn english_within(&self, key: &str, depth: usize) -> bool {
        self.english.contains(key)
            || (depth > 0
                && SUFFIXES.iter().any(|(suffix, put)| {
                    key.strip_suffix(suffix).is_some_and(|stem| {
                        let word = format!("{stem}{put}");
                        // "Kings", "Mondays": a word made from a listed word is a word.
                        stem.len() >= 3 && (self.is_listed(&word) || self.english_within(&word, depth - 1))
                    })
                }))
    }

    fn is_listed(&self, key: &str) -> bool {
        self.given.contains(key) || self.surnames.contains(key) || self.stop.contains(key)
    }

    /// Where a name starting at word `i` ends, if one does.
    fn name_at(&self, text: &str, toks: &[Tok], i: usize) -> Option<usize> {
        let t = &toks[i];
        match (t.shape, t.class) {
            (Shape::Cap | Shape::Upper, Class::Title) => title_name(toks, i),
            (Shape::Initial, _) => initial_name(text, toks, i),
            // A child's own words and messages are often all lower case: "me and olivia".
            (Shape::Lower, _) => {
                (self.lower_case_name(text, t) || self.lower_case_in_context(text, toks, i)).then_some(i)
            }
            (Shape::Cap, Class::Given) => {
                if inside_a_place(text, toks, i) {
                    return None;
                }
                chain(toks, i, false)
            }
            (Shape::Cap, Class::Ambiguous) => {
                if month_in_a_date(text, toks, i) || inside_a_place(text, toks, i) {
                    return None;
                }
                let last = chain(toks, i, true)?;
                // Supported by a surname or another name after it ("Grace Thompson"), though
                // at a sentence's start "Will Olivia ..." is a question, not a name.
                let after = &toks[i + 1..=last];
                // A name seldom takes an article: "the Summer Fair", "the Rose Bowl".
                let season = one_of(word(text, t), SEASONS);
                let article = i.checked_sub(1).is_some_and(|p| one_of(word(text, &toks[p]), ARTICLES));
                let named = |t: &Tok| matches!(t.class, Class::Surname | Class::Unknown | Class::Given);
                let supported =
                    after.iter().any(named) && !(t.sentence_start && after[0].class == Class::Given) && !article;
                let dateish = one_of(word(text, t), MONTHS) || season;
                let standing = capital_in_mid_sentence(text, toks, i, last)
                    || (t.sentence_start && !dateish && verb_after(text, toks, last))
                    || (t.possessive && !one_of(word(text, t), MONTHS));
                (supported || standing || person_context(text, toks, i, last)).then_some(last)
            }
            (Shape::Cap, Class::Surname) => {
                let last = chain(toks, i, false)?;
                (person_context(text, toks, i, last) || name_pair(text, toks, i, last)).then_some(last)
            }
            // A day is a name only where a person's certainly stands: "Sunday Adeyemi", "Hi
            // Sunday,", "- Sunday, lodger", "her best friend is Sunday".
            (Shape::Cap, Class::Stop) if one_of(word(text, t), DAYS) => {
                let last = chain(toks, i, true)?;
                // "on Friday", "last Sunday"; and at a sentence's start "Friday Jaxon went" is a
                // date before a name, not a name.
                let dated = i.checked_sub(1).is_some_and(|p| one_of(word(text, &toks[p]), DAY_DATE_WORDS));
                let surname = !t.sentence_start
                    && !dated
                    && toks[i + 1..=last]
                        .iter()
                        .any(|t| matches!(t.class, Class::Surname | Class::Unknown | Class::Given));
                let placed = greeting(text, toks, i, last, GREETINGS)
                    || sign_off(text, toks, i, last)
                    || list_item(text, toks, i, last)
                    || before_context(text, toks, i);
                (surname || (!dated && placed)).then_some(last)
            }
            (Shape::Cap, Class::Unknown) => {
                let last = chain(toks, i, true)?;
                // Two words in no list ("Zbigniew Thwaites"), or one with a name or a person
                // context beside it, or one alone where a place is not likely.
                let found = last > i || person_context(text, toks, i, last) || lone_name(text, toks, i);
                (word_len(text, t) > 1 && found).then_some(last)
            }
            // An ordinary word is a name only where a person is named: "a dog called Biscuit".
            // An ordinary word is a name only where a person is named: "a dog called Biscuit",
            // "Poppy's mum", "Hi Clover,".
            (Shape::Cap, Class::Word) => {
                let kin_after = t.possessive && toks.get(i + 1).is_some_and(|n| one_of(word(text, n), KIN));
                (before_context(text, toks, i) || kin_after || greeting(text, toks, i, i, INFORMAL_GREETINGS))
                    .then_some(i)
            }
            _ => None,
        }
    }

    /// A given name from the list written in lower case ("me and olivia went"): four letters
    /// or more, not an ambiguous one ("will", "grace"), not a word the list shares with slang
    /// or common nouns ("charlie", "molly", "nan").
    fn lower_case_name(&self, text: &str, t: &Tok) -> bool {
        let w = word(text, t);
        w.len() >= 4
            && w.chars().all(|c| c.is_ascii_lowercase())
            && self.given.contains(w)
            && !self.ambiguous.contains(w)
            && !self.stop.contains(w)
            && !one_of(w, LOWER_NOT_NAMES)
    }

    /// A lower-case word that a child's words put where a person stands ("nanny river", "my
    /// mate kenji", "me and rocky"): a name of the lists or a word in none.
    fn lower_case_in_context(&self, text: &str, toks: &[Tok], i: usize) -> bool {
        let w = word(text, &toks[i]);
        let key = w.to_lowercase();
        if w.chars().count() < 3 || self.stop.contains(key.as_str()) || one_of(w, TEXT_SPEAK) {
            return false;
        }
        let listed = self.given.contains(key.as_str())
            || self.ambiguous.contains(key.as_str())
            || self.surnames.contains(key.as_str())
            || self.class(w) == Class::Unknown;
        if !listed {
            return false;
        }
        let close = |a: usize, b: usize| text[toks[a].raw_end..toks[b].start].trim().is_empty();
        let at = |k: usize| word(text, &toks[k]);
        let kin_before = i >= 1 && close(i - 1, i) && !toks[i - 1].possessive && one_of(at(i - 1), LOWER_KIN);
        let me_and = i >= 2 && close(i - 1, i) && at(i - 1) == "and" && at(i - 2).eq_ignore_ascii_case("me");
        let and_me = i + 2 < toks.len() && close(i, i + 1) && at(i + 1) == "and" && at(i + 2) == "me";
        let common = one_of(w, LOWER_NOT_NAMES);
        // "wen khalid is ther": a word in no list before a verb.
        let subject = self.class(w) == Class::Unknown
            && i + 1 < toks.len()
            && close(i, i + 1)
            && (one_of(at(i + 1), AUX) || one_of(at(i + 1), VERBS) || one_of(at(i + 1), &["hides", "shouts", "hits"]));
        kin_before || ((me_and || and_me) && !common) || subject
    }

    /// A name beside another name ("and", "&", a comma): any capitalised word that could be one.
    fn joined_name_at(&self, toks: &[Tok], i: usize) -> Option<usize> {
        let t = &toks[i];
        let could_be = matches!(t.class, Class::Given | Class::Ambiguous | Class::Surname | Class::Unknown);
        if t.shape != Shape::Cap || !could_be {
            return None;
        }
        chain(toks, i, t.class == Class::Ambiguous)
    }
}

fn shape(word: &str, number: bool) -> Shape {
    if number {
        return Shape::Number;
    }
    // "STIs", "GPs": two capitals first make an acronym, whatever follows.
    if word.chars().take(2).filter(|c| c.is_uppercase()).count() == 2 {
        return Shape::Upper;
    }
    let mut chars = word.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    let rest: Vec<char> = chars.filter(|c| c.is_alphabetic()).collect();
    match (first_upper, rest.is_empty(), rest.iter().any(|c| c.is_lowercase())) {
        (true, true, _) => Shape::Initial,
        (true, false, true) => Shape::Cap,
        (true, false, false) => Shape::Upper,
        _ => Shape::Lower,
    }
}

fn word<'a>(text: &'a str, t: &Tok) -> &'a str {
    &text[t.start..t.end]
}

fn word_len(text: &str, t: &Tok) -> usize {
    word(text, t).chars().count()
}

/// A word that can carry on a name: a capitalised word of a name's kind, or an initial.
fn continues(t: &Tok, ambiguous_head: bool, first: bool) -> bool {
    match (t.shape, t.class) {
        (Shape::Cap, Class::Given | Class::Ambiguous | Class::Surname | Class::Unknown) => true,
        (Shape::Cap, Class::WeakPlace) => !(ambiguous_head && first),
        (Shape::Cap, Class::Word) => false,
        (Shape::Initial, _) => t.dotted,
        (Shape::Upper, Class::Given | Class::Surname) => true,
        _ => false,
    }
}

/// The last word of the name that starts at `i`: up to three capitalised words after it. A
/// name followed by a place or organisation word is that place or body ("Grace Academy",
/// "Jordan Close"): unless the words that lead to it are not names themselves ("Olivia Social
/// Services" keeps "Olivia"), there is no name.
fn chain(toks: &[Tok], i: usize, ambiguous_head: bool) -> Option<usize> {
    let mut last = i;
    while !toks[last].possessive && last - i < 3 {
        match toks.get(last + 1) {
            Some(next) if next.joined && continues(next, ambiguous_head, last == i) => last += 1,
            _ => break,
        }
    }
    while last > i && toks[last].shape == Shape::Initial {
        last -= 1; // an initial ends no name
    }
    let place_after = toks.get(last + 1).is_some_and(|n| n.spaced && n.shape == Shape::Cap && n.class == Class::Place);
    if !place_after {
        return Some(last);
    }
    let mut keep = last;
    while keep > i && toks[keep].class == Class::Unknown && !toks[keep].possessive {
        keep -= 1;
    }
    (keep < last).then_some(keep)
}

/// "Mrs Okafor", "Dr A. Mensah", "Mr J Smith": a title and the name after it.
fn title_name(toks: &[Tok], i: usize) -> Option<usize> {
    let next = toks.get(i + 1)?;
    let starts = match next.shape {
        // "Mrs Church", "Mr Hall": after a title even a place word is a surname.
        Shape::Cap => next.class != Class::Stop && next.class != Class::Title,
        Shape::Upper => matches!(next.class, Class::Given | Class::Surname | Class::Unknown),
        Shape::Initial => true,
        _ => false,
    };
    if !(next.joined && starts) {
        return None;
    }
    let mut j = i + 1;
    while toks[j].shape == Shape::Initial {
        match toks.get(j + 1) {
            Some(n) if n.joined && matches!(n.shape, Shape::Cap | Shape::Initial) => j += 1,
            _ => return None,
        }
    }
    chain(toks, j, false)
}

/// "J. Smith", "J. R. Smith", "K Walker": initials and a surname or an unknown word.
fn initial_name(text: &str, toks: &[Tok], i: usize) -> Option<usize> {
    let mut j = i;
    while toks[j].shape == Shape::Initial {
        let n = toks.get(j + 1)?;
        if !n.joined || !matches!(n.shape, Shape::Cap | Shape::Initial) {
            return None;
        }
        j += 1;
    }
    let dotted = toks[i].dotted;
    // "A" and "I" are words before they are initials.
    let article = matches!(word(text, &toks[i]), "A" | "I");
    let fits = match toks[j].class {
        Class::Surname | Class::WeakPlace | Class::Given => dotted || !article,
        Class::Unknown => dotted,
        _ => false,
    };
    if !fits {
        return None;
    }
    chain(toks, j, false)
}

/// "St Mary", "Canford Heath", "Poole Hospital": a capitalised place or unknown word joined
/// before the given name makes it part of a place's or a body's name.
fn inside_a_place(text: &str, toks: &[Tok], i: usize) -> bool {
    if !toks[i].joined || i == 0 {
        return false;
    }
    let prev = &toks[i - 1];
    let saint = one_of(word(text, prev), &["st", "saint", "saints"]);
    // A sentence's first word is often an adverb ("Later Olivia said"), not a place.
    let place_word = match prev.class {
        Class::Place | Class::WeakPlace | Class::NotName => true,
        Class::Unknown => !prev.sentence_start,
        _ => false,
    };
    saint || (prev.shape == Shape::Cap && place_word)
}

/// "in May", "4 June", "August 2025": a month, not a name.
fn month_in_a_date(text: &str, toks: &[Tok], i: usize) -> bool {
    if !one_of(word(text, &toks[i]), MONTHS) {
        return false;
    }
    let prev = i.checked_sub(1).map(|p| &toks[p]);
    let next = toks.get(i + 1);
    prev.is_some_and(|p| p.shape == Shape::Number || one_of(word(text, p), DATE_WORDS))
        || next.is_some_and(|n| n.shape == Shape::Number)
}

/// Words around a name that say it is a person: a kin word or "called" before it, a
/// possessive and a kin word after it, or a verb of saying after it.
fn person_context(text: &str, toks: &[Tok], first: usize, last: usize) -> bool {
    before_context(text, toks, first)
        || after_context(text, toks, last)
        || company_context(text, toks, first)
        || label_context(text, toks, first)
        || greeting(text, toks, first, last, GREETINGS)
        || sign_off(text, toks, first, last)
        || list_item(text, toks, first, last)
}

/// A word of `ambiguous_names.txt` capitalised in mid-sentence and standing alone ("my best
/// friend is Reed", "after school, Dawn is buying chips"): there the capital letter is the
/// name's, not the sentence's. Not in a run of capitalised words ("Summer Fair", "Rose Garden
/// Nursery", "Christmas Eve"), after an article or a place's preposition, as a season in a date
/// or a colour in a rating, or for the words that are places, faiths and titles as often.
fn capital_in_mid_sentence(text: &str, toks: &[Tok], i: usize, last: usize) -> bool {
    let t = &toks[i];
    let w = word(text, t);
    if t.sentence_start || one_of(w, CAPITAL_NOT_ENOUGH) {
        return false;
    }
    let Some(prev) = i.checked_sub(1).map(|p| &toks[p]) else { return false };
    if t.joined && matches!(prev.shape, Shape::Cap | Shape::Upper) {
        return false;
    }
    let p = word(text, prev);
    let next = toks.get(last + 1);
    let close_next = next.filter(|n| text[toks[last].raw_end..n.start].trim().is_empty());
    if one_of(p, ARTICLES) || one_of(p, &["in", "at", "into", "near", "towards", "via", "outside", "inside"]) {
        return false;
    }
    if one_of(w, SEASONS)
        && (one_of(p, DATE_WORDS)
            || one_of(p, &["over", "every", "each"])
            || close_next.is_some_and(|n| one_of(word(text, n), SCHOOL_YEAR)))
    {
        return false;
    }
    // "watch Sky", "on Sky": the broadcaster.
    if w.eq_ignore_ascii_case("sky")
        && one_of(p, &["watch", "watched", "watches", "watching", "on", "got", "has", "have"])
    {
        return false;
    }
    let rated = toks[i.saturating_sub(3)..i].iter().any(|r| one_of(word(text, r), RATED));
    if one_of(w, &["amber", "ruby", "scarlet", "olive", "hazel", "violet"]) && rated {
        return false;
    }
    let proper_noun_run = next.is_some_and(|n| {
        n.joined
            && n.shape == Shape::Cap
            && matches!(n.class, Class::Word | Class::Place | Class::NotName | Class::WeakPlace | Class::Stop)
    });
    !proper_noun_run
}

/// Two or three words of the name lists together in mid-sentence, the first a surname that is
/// also a given name somewhere ("by Mustafa Yamamoto", "worker Ali Hassan"): a name, unless an
/// article or a place's preposition comes before it.
fn name_pair(text: &str, toks: &[Tok], i: usize, last: usize) -> bool {
    let t = &toks[i];
    if last == i || t.sentence_start {
        return false;
    }
    let listed = toks[i..=last].iter().all(|t| matches!(t.class, Class::Surname | Class::Given | Class::Unknown));
    // "White English", "Black Caribbean": an ethnicity, not a name.
    let ethnicity = one_of(word(text, t), COLOURS) || toks[i..=last].iter().any(|t| one_of(word(text, t), PEOPLES));
    let before = &toks[i - 1];
    let run = t.joined && matches!(before.shape, Shape::Cap | Shape::Upper);
    let prev = word(text, before);
    listed && !ethnicity && !run && !one_of(prev, ARTICLES) && !one_of(prev, PLACE_WORDS)
}

/// A verb straight after a sentence's first word: "Dawn is buying chips", "Reed said".
fn verb_after(text: &str, toks: &[Tok], last: usize) -> bool {
    let Some(next) = toks.get(last + 1) else { return false };
    let gap = &text[toks[last].raw_end..next.start];
    gap.trim().is_empty()
        && next.shape == Shape::Lower
        && (one_of(word(text, next), AUX) || one_of(word(text, next), VERBS))
}

/// A name after a greeting and before a comma, a full stop, an exclamation or the line's end:
/// "Hi Dawn,", "Dear Penny", "Thanks Reed!", "thank you Holly".
fn greeting(text: &str, toks: &[Tok], first: usize, last: usize, greetings: &[&str]) -> bool {
    let Some(p) = first.checked_sub(1) else { return false };
    if !text[toks[p].raw_end..toks[first].start].trim().is_empty() || toks[p].possessive {
        return false;
    }
    let greeted = one_of(word(text, &toks[p]), greetings)
        || (p >= 1 && word(text, &toks[p]).eq_ignore_ascii_case("you") && one_of(word(text, &toks[p - 1]), &["thank"]));
    let rest = text[toks[last].raw_end..].trim_start_matches([' ', '\t']);
    greeted && (rest.is_empty() || rest.starts_with([',', '.', '!', '\n', '\r', '-', '–']))
}

/// The line of text that holds byte `at`: its start and end.
fn line_of(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    (start, end)
}

/// A name on the line after a letter's or an email's closing ("Thanks,\nPenny", "Kind
/// regards,\nReed Kaur (DSL)"): the name starts its line, and nothing but a role follows it.
fn sign_off(text: &str, toks: &[Tok], first: usize, last: usize) -> bool {
    let (start, end) = line_of(text, toks[first].start);
    if !text[start..toks[first].start].trim().is_empty() || start == 0 {
        return false;
    }
    let rest = text[toks[last].raw_end..end].trim();
    if !(rest.is_empty() || rest.starts_with([',', '(', '-', '–'])) {
        return false;
    }
    let before = text[..start].trim_end();
    let closing = &before[before.rfind('\n').map_or(0, |n| n + 1)..];
    let closing = closing.trim().trim_end_matches([',', '.', '!']);
    let last_word = closing.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    closing.split_whitespace().count() <= 4 && one_of(last_word, CLOSINGS)
}

/// A name that starts a line of a list ("- Holly, lodger", "2. Reed Kaur (uncle)", "* Penny:
/// school nurse"): after a bullet or a number, and before a comma, a bracket, a dash or a colon.
fn list_item(text: &str, toks: &[Tok], first: usize, last: usize) -> bool {
    let (start, end) = line_of(text, toks[first].start);
    let bullet = text[start..toks[first].start].trim();
    let numbered =
        bullet.strip_suffix(['.', ')']).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    // "[21:04] Kayla:", "04/02 - ": a time or a date before the name, as in a chat or a log.
    let stamped = bullet.bytes().any(|b| b.is_ascii_digit())
        && bullet.bytes().all(|b| b.is_ascii_digit() || b" :[]()-./".contains(&b));
    let bulleted = matches!(bullet, "" | "-" | "*" | "•" | "–" | "·" | "o") || numbered || stamped;
    let rest = text[toks[last].raw_end..end].trim_start();
    // A line's first words before a colon speak in a chat ("Jay: u comin out"); a list's
    // item goes on after a comma, a bracket or a dash.
    let speaker = rest.starts_with(':') && rest.len() > 1 && speaks(text, toks, first, rest);
    let item = !bullet.is_empty() && (rest.starts_with([',', '(', '-', '–']) || rest.is_empty());
    bulleted && (speaker || item)
}

/// Whether a name before a colon at a line's start speaks in a chat: a given name ("Jay: u
/// comin out"), or a word in no list ("Daz:") where the words after it are lower case and
/// another line is said the same way; never a form's label ("Referrer:", "Reason:").
fn speaks(text: &str, toks: &[Tok], first: usize, rest: &str) -> bool {
    let t = &toks[first];
    if one_of(word(text, t), LABELS) {
        return false;
    }
    match t.class {
        Class::Given | Class::Ambiguous => true,
        Class::Unknown => {
            let said = |after: &str| after.trim_start().starts_with(|c: char| c.is_lowercase());
            let chat_lines = text
                .lines()
                .filter(|l| {
                    l.split_once(':').is_some_and(|(who, after)| who.split_whitespace().count() <= 3 && said(after))
                })
                .count();
            said(&rest[1..]) && chat_lines >= 2
        }
        _ => false,
    }
}

/// "friends with Art", "sits next to Radomir", "played with Storm", "beside Kwasi".
fn company_context(text: &str, toks: &[Tok], first: usize) -> bool {
    let close = |k: usize| text[toks[k].raw_end..toks[k + 1].start].trim().is_empty();
    if first >= 1 && close(first - 1) && one_of(word(text, &toks[first - 1]), &["beside", "alongside"]) {
        return true;
    }
    if first < 2 || !close(first - 1) || !close(first - 2) || toks[first - 2].possessive {
        return false;
    }
    let (a, b) = (word(text, &toks[first - 2]), word(text, &toks[first - 1]));
    (one_of(a, COMPANY) && b.eq_ignore_ascii_case("with"))
        || (a.eq_ignore_ascii_case("next") && b.eq_ignore_ascii_case("to"))
}

/// "Chair: Jolanta.", "By: Radomir", or a word after a separator in a line that lists people
/// ("Attendees: Kwasi Okoye - DSL; Jolanta - police").
fn label_context(text: &str, toks: &[Tok], first: usize) -> bool {
    let Some(p) = first.checked_sub(1) else { return false };
    let gap = text[toks[p].raw_end..toks[first].start].trim();
    if gap == ":" && one_of(word(text, &toks[p]), LABELS) {
        return true;
    }
    let separated = matches!(gap, ":" | ";" | "," | "&") || one_of(word(text, &toks[p]), &["and"]);
    if !separated {
        return false;
    }
    let start = toks[first].start;
    let line = &text[text[..start].rfind('\n').map_or(0, |n| n + 1)..start];
    let line = line.rsplit(". ").next().unwrap_or(line).to_lowercase();
    LIST_LABELS.iter().any(|l| line.contains(l))
}

/// "her friend Zephyrine", "a boy called Will", "known as Bo", "spoke to Kwabena".
fn before_context(text: &str, toks: &[Tok], first: usize) -> bool {
    let prev = first.checked_sub(1).map(|p| &toks[p]);
    let close_before = prev.is_some_and(|p| {
        let gap = text[p.raw_end..toks[first].start].trim_matches(|c: char| c.is_whitespace() || QUOTES.contains(&c));
        gap.is_empty() || gap == ","
    });
    // "her friend Ngozi", but "Mother's National Insurance number".
    if close_before && prev.is_some_and(|p| !p.possessive && one_of(word(text, p), BEFORE)) {
        return true;
    }
    if first >= 2 && close_before {
        let (a, b) = (word(text, &toks[first - 2]), word(text, &toks[first - 1]));
        if (a.eq_ignore_ascii_case("known") || a.eq_ignore_ascii_case("named")) && b.eq_ignore_ascii_case("as") {
            return true;
        }
        if a.eq_ignore_ascii_case("name") && b.eq_ignore_ascii_case("is") {
            return true;
        }
        // "her best friend is Reed", "mum's partner was Lee"
        if one_of(b, &["is", "was"]) && one_of(a, KIN) && !toks[first - 2].possessive {
            return true;
        }
        if one_of(a, TALK) && one_of(b, &["to", "with"]) {
            return true;
        }
    }
    false
}

/// "Grace's mum", "Kwabena said".
fn after_context(text: &str, toks: &[Tok], last: usize) -> bool {
    let Some(next) = toks.get(last + 1) else { return false };
    let gap = &text[toks[last].raw_end..next.start];
    let close_after = gap.trim().is_empty() || gap.trim() == ",";
    let lower = next.shape == Shape::Lower;
    // "Holly, lodger", "Penny, mother's partner"
    let apposition = gap.trim() == "," && !toks[last].possessive && one_of(&text[next.start..next.raw_end], APPOSITION);
    close_after
        && lower
        && ((toks[last].possessive && one_of(word(text, next), AFTER_POSSESSIVE))
            || (!toks[last].possessive && one_of(word(text, next), VERBS))
            || apposition)
}

/// One capitalised word in no list, standing alone: a name unless a place is likely ("in
/// Swanage", "moved to Tolpuddle") or, at a sentence's start, no verb follows it.
fn lone_name(text: &str, toks: &[Tok], i: usize) -> bool {
    let t = &toks[i];
    let next_lower = toks.get(i + 1).is_some_and(|n| n.shape == Shape::Lower);
    if t.sentence_start {
        return t.possessive || next_lower;
    }
    let Some(prev) = i.checked_sub(1).map(|p| &toks[p]) else { return true };
    let p = word(text, prev);
    // "Christmas Fayre", "Tesco Extra": the end of a run of capitalised words that are not names.
    let run = t.joined
        && prev.shape == Shape::Cap
        && matches!(prev.class, Class::Stop | Class::Word | Class::Place | Class::NotName | Class::WeakPlace);
    if run {
        return false;
    }
    // "the Co-op", "a Santa hat": names seldom take an article.
    if one_of(p, PLACE_WORDS) || one_of(p, ARTICLES) {
        return false;
    }
    // "a call from Nkechi", but "moved from Swanage".
    let message = i >= 2 && one_of(word(text, &toks[i - 2]), MESSAGES);
    !p.eq_ignore_ascii_case("from") || message
}

/// A capitalised word beside a name, joined by "and", "or", "&" or a comma.
fn joined_to_a_name(text: &str, toks: &[Tok], named: &[bool], i: usize) -> bool {
    let t = &toks[i];
    if t.shape != Shape::Cap
        || matches!(t.class, Class::Stop | Class::NotName | Class::Place | Class::WeakPlace | Class::Title)
    {
        return false;
    }
    let link = |a: usize, b: usize| -> bool {
        // Not across a line's end: "Best,\nDr A. Okafor" is a sign-off, not a list.
        let gap = &text[toks[a].raw_end..toks[b].start];
        !gap.contains('\n') && matches!(gap.trim(), "," | "&")
    };
    let and = |k: usize| one_of(word(text, &toks[k]), &["and", "or"]) && toks[k].shape == Shape::Lower;
    let left = (i >= 1 && named[i - 1] && link(i - 1, i) && !t.sentence_start)
        || (i >= 2 && named[i - 2] && and(i - 1) && toks[i - 1].joined && toks[i].joined);
    let right = (i + 1 < toks.len() && named[i + 1] && link(i, i + 1) && !toks[i].possessive)
        || (i + 2 < toks.len() && named[i + 2] && and(i + 1) && toks[i + 1].joined && toks[i + 2].joined);
    left || right
}
