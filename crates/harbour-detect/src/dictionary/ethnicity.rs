//! Racial or ethnic origin (UK GDPR Art 9(1)).
//!
//! Counts: ethnic group (the census categories: "White British", "Black Caribbean", "mixed
//! heritage", "Gypsy or Irish Traveller", "Roma"…), heritage, origin or descent ("of Pakistani
//! heritage"), skin colour, racism experienced or expressed, and Jewish or Sikh identity (ethnic
//! groups in UK law as well as religions).
//!
//! Does not count: nationality or citizenship, immigration status, country of birth, language
//! spoken or the need for an interpreter, asylum, and words that only look racial ("Mr White",
//! "black eye", "whiteboard", "an Indian takeaway").

use harbour_domain::DataCategory;

use super::{Guard, PairRule, Table, ETHNICITY, NOTHING};

/// National and regional adjectives: ethnicity only with "heritage", "origin", "descent" and
/// the like (see [`PAIRS`]); alone they are nationality or language.
const ORIGINS: &[&str] = &[
    "pakistani",
    "bangladeshi",
    "indian",
    "chinese",
    "african",
    "caribbean",
    "somali",
    "nigerian",
    "ghanaian",
    "jamaican",
    "polish",
    "romanian",
    "irish",
    "turkish",
    "vietnamese",
    "afghan",
    "syrian",
    "eritrean",
    "iraqi",
    "iranian",
    "kurdish",
    "filipino",
    "european",
    "lithuanian",
    "latvian",
    "bulgarian",
    "portuguese",
    "italian",
    "greek",
    "albanian",
    "sudanese",
    "ethiopian",
    "congolese",
    "zimbabwean",
    "kenyan",
    "ugandan",
    "sri lankan",
    "tamil",
    "punjabi",
    "gujarati",
    "bengali",
    "yemeni",
    "moroccan",
    "egyptian",
    "brazilian",
    "colombian",
    "nepali",
    "japanese",
    "korean",
    "thai",
    "malaysian",
    "russian",
    "ukrainian",
    "scottish",
    "welsh",
    "english",
    "arab",
    "persian",
    "asian",
    "middle eastern",
    "east european",
    "eastern european",
];

pub(super) const TABLES: &[Table] = &[
    // Ethnic groups, heritage, skin colour, racism.
    Table {
        categories: ETHNICITY,
        guard: Guard::None,
        patterns: &[
            "ethnic*",
            "mixed race|heritage|parentage|background",
            "dual heritage",
            "bame",
            "bme",
            "racis*",
            "racial*",
            "race hate|related|relations",
            "skin colour|color|tone",
            "colour|color of his|her|their|my skin",
            "white british|irish|european|english|scottish|welsh|other|gypsy|romanian|polish",
            // "his mum is white": a person described by colour.
            "mum|dad|mother|father|parent|parents|family|carer|carers|he|she|they|child|children|boy|girl|man|woman is|are|was|were white|black|asian",
            "brown|black|white mum|mums|dad|dads|kid|kids|skin|skinned",
            // Ethnic groups that are not nationalities (a language of the same name is not).
            "kurdish",
            "kurds",
            "tamils",
            "pashtun*",
            "hazara*",
            "baloch*",
            "yoruba",
            "igbo",
            "hausa",
            "uyghur*",
            "rohingya",
            "white and black|asian",
            "white family|families|man|men|woman|women|boy|boys|girl|girls|people|peers|person|child|children|community|communities|mother|father|parent|parents",
            "black british|african|caribbean|family|families|man|men|woman|women|boy|boys|girl|girls|people|peers|person|child|children|community|communities|mother|father|parent|parents|heritage|young",
            "asian*",
            "hispanic",
            "latino",
            "latina",
            "latinx",
            "arab",
            "kurd",
            "berber*",
            "roma=",
            "romani",
            "romany",
            "gypsy",
            "gypsies",
            "gipsy",
            "traveller*",
            "travelling community|communities|family|families",
            "aboriginal",
            "people|person|woman|man|women|men|families|family of colour|color",
            "indigenous",
            "afro caribbean",
            "african caribbean",
        ],
    },
    // Jewish and Sikh: ethnic groups in UK law (Mandla v Dowell Lee; R(E) v JFS) and religions.
    Table {
        categories: &[DataCategory::ReligiousOrPhilosophicalBeliefs, DataCategory::Ethnicity],
        guard: Guard::None,
        patterns: &["jewish", "jew", "sikh*", "antisemit*", "anti semit*", "islamophob*"],
    },
    // Harmless phrases containing a word from above.
    Table {
        categories: NOTHING,
        guard: Guard::None,
        patterns: &[
            "black and white",
            "black and blue",
            "white board",
            "asian supermarket|shop|store",
            "speak+|spoke|spoken kurdish|yoruba|igbo|hausa|pashto",
            "kurdish|yoruba|igbo|hausa language|interpreter|interpreters|speaker|speakers|speaking",
        ],
    },
];

pub(super) const PAIRS: &[PairRule] = &[
    // "of Pakistani heritage", "British Bangladeshi", "Polish background": origin, not
    // nationality.
    PairRule {
        categories: ETHNICITY,
        window: 3,
        a: ORIGINS,
        b: &[
            "heritage",
            "origin",
            "origins",
            "descent",
            "background",
            "backgrounds",
            "british",
            "extraction",
            "roots",
            "mixed",
        ],
    },
];
