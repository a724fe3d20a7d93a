//! The dictionary: which words and phrases suggest which category, as data.
//!
//! This module owns *what* is detected; [`crate::compile`] turns it into tries and
//! [`crate::scan`] runs them. Every table says in a comment what counts. The labelling guide in
//! `docs/detector.md` is the policy these tables implement.
//!
//! # Pattern syntax
//!
//! A pattern is words separated by spaces, each written in normalised form (lower case, no
//! punctuation but `&`; a test checks this). A word is one or more alternatives separated by
//! `|`; each alternative is
//!
//! - `word`: the word and its regular plurals (`word`, `words`, `wordes`, `-y` → `-ies`);
//! - `word+`: those and the regular verb forms (`-ed`, `-d`, `-ing`, `-e` dropped before
//!   `-ing`, `-y` → `-ied`); irregular forms are listed as alternatives (`stole|stolen`);
//! - `stem*`: any word beginning with `stem` (`diagnos*`: diagnosis, diagnosed, diagnoses);
//! - `word=`: that exact word only.
//!
//! Matching takes the longest phrase starting at the leftmost word, so a longer harmless
//! phrase ([`NOTHING`], e.g. "church road") hides a shorter trigger inside it ("church").

mod belief;
mod ethnicity;
mod genetic;
mod health;
mod offence;
mod politics;
mod sexuality;

use harbour_domain::DataCategory;

/// When a trigger word is not a trigger because it is someone's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Guard {
    /// Always a trigger.
    None,
    /// Not after a title: "Mrs Church", "Mr Temple".
    Title,
    /// Not after a title, and not when written with a capital unless a word before it shows
    /// it is used as an adjective or noun ("a Christian", "are Christian", "to Islam"): so
    /// "Christian and his sister", "Faith said", "Mr Islam" are names.
    Name,
}

/// Patterns that suggest `categories`. An empty `categories` is a harmless phrase: it
/// matches (hiding any trigger inside it) and suggests nothing.
pub(crate) struct Table {
    pub categories: &'static [DataCategory],
    pub guard: Guard,
    pub patterns: &'static [&'static str],
}

/// A context rule: a word from `a` with at most `window` words between it and a word from `b`
/// (either order) suggests `categories`, though neither does alone ("police" + "punched").
pub(crate) struct PairRule {
    pub categories: &'static [DataCategory],
    pub window: usize,
    pub a: &'static [&'static str],
    pub b: &'static [&'static str],
}

pub(crate) const NOTHING: &[DataCategory] = &[];
pub(crate) const HEALTH: &[DataCategory] = &[DataCategory::PhysicalOrMentalHealth];
pub(crate) const SEXUALITY: &[DataCategory] = &[DataCategory::SexualityOrSexualHealth];
pub(crate) const RELIGION: &[DataCategory] = &[DataCategory::ReligiousOrPhilosophicalBeliefs];
pub(crate) const ETHNICITY: &[DataCategory] = &[DataCategory::Ethnicity];
pub(crate) const TRADE_UNION: &[DataCategory] = &[DataCategory::TradeUnionMembership];
pub(crate) const POLITICAL: &[DataCategory] = &[DataCategory::PoliticalOpinions];
pub(crate) const GENETIC: &[DataCategory] = &[DataCategory::GeneticOrBiometric];
pub(crate) const OFFENCE: &[DataCategory] = &[DataCategory::CriminalOffence];

/// Words that, just before a guarded word, show it is not a name.
pub(crate) const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "master", "sir", "dame", "rev", "st"];

/// Words that, just before a capitalised guarded word, show it is used as a noun or adjective
/// ("a Christian", "are Christian", "converted to Islam", "her Faith").
pub(crate) const NOT_A_NAME_BEFORE: &[&str] = &[
    "a",
    "an",
    "the",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "as",
    "to",
    "of",
    "in",
    "into",
    "about",
    "devout",
    "practising",
    "practicing",
    "committed",
    "strict",
    "again",
    "non",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "family",
    "families",
    "christian",
    "muslim",
    "religious",
    "identify",
    "identifies",
    "identified",
    "describe",
    "describes",
    "described",
    "through",
    "its",
];

/// Every table, in no particular order (the engine does not depend on it).
pub(crate) fn tables() -> impl Iterator<Item = &'static Table> {
    [
        health::TABLES,
        sexuality::TABLES,
        belief::TABLES,
        ethnicity::TABLES,
        politics::TABLES,
        genetic::TABLES,
        offence::TABLES,
    ]
    .into_iter()
    .flatten()
}

/// Every context rule.
pub(crate) fn pair_rules() -> impl Iterator<Item = &'static PairRule> {
    [health::PAIRS, belief::PAIRS, ethnicity::PAIRS, politics::PAIRS, offence::PAIRS].into_iter().flatten()
}
