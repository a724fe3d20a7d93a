//! Special-category and criminal-offence content detection.
//!
//! Practitioners tick the data categories of what they write, and a missed tick means a
//! mother's bipolar diagnosis can be shared as if it were ordinary information. This crate reads
//! the text instead and suggests the categories it finds, with the words that triggered each,
//! so the practitioner can confirm them when writing and the sharing checks can see them when
//! disclosing. It covers the special categories of UK GDPR Art 9(1) and criminal-offence data
//! (Art 10): see [`CATEGORIES`].
//!
//! The engine is a dictionary of words and phrases (with plurals, verb forms and prefixes), a
//! guard against names ("Christian", "Mr Islam"), harmless phrases that hide a trigger
//! ("Church Road", "health visitor") and a few context rules ("police" near "punched"). It is
//! pure: no IO, no clock. What counts, how it was measured and what it misses:
//! `docs/detector.md`.
//!
//! ```
//! use harbour_detect::Detector;
//! use harbour_domain::DataCategory;
//!
//! let detector = Detector::shared(); // built once, on first use
//! let text = "Mum was diagnosed with bipolar disorder. Dad was arrested on Church Road.";
//! let findings = detector.detect(text);
//!
//! assert_eq!(findings.len(), 2);
//! assert_eq!(findings[0].category, DataCategory::PhysicalOrMentalHealth);
//! let words: Vec<&str> = findings[0].terms.iter().map(|t| t.text.as_str()).collect();
//! assert_eq!(words, ["diagnosed", "bipolar", "disorder"]);
//! assert_eq!(findings[1].category, DataCategory::CriminalOffence);
//! let arrested = &findings[1].terms[0];
//! assert_eq!(&text[arrested.start..arrested.end], "arrested");
//! ```

mod compile;
mod dictionary;
pub mod evaluate;
mod scan;
mod tokenize;

#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::OnceLock;

use harbour_domain::DataCategory;
use serde::Serialize;

use crate::compile::Compiled;
use crate::scan::{scan, with_scratch, Hit};

/// The categories the detector can suggest: the special categories and criminal-offence data,
/// in [`DataCategory`]'s order (which is the order of findings).
pub const CATEGORIES: [DataCategory; 8] = [
    DataCategory::SexualityOrSexualHealth,
    DataCategory::ReligiousOrPhilosophicalBeliefs,
    DataCategory::Ethnicity,
    DataCategory::PhysicalOrMentalHealth,
    DataCategory::TradeUnionMembership,
    DataCategory::PoliticalOpinions,
    DataCategory::GeneticOrBiometric,
    DataCategory::CriminalOffence,
];

/// One category found in a text, with the words that suggested it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub category: DataCategory,
    /// In text order; one per distinct wording (compared case-insensitively), at its first
    /// occurrence.
    pub terms: Vec<Term>,
}

/// Words of the input that suggested a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The words as written in the input (`&input[start..end]`).
    pub text: String,
    /// Byte offsets into the input, on char boundaries.
    pub start: usize,
    pub end: usize,
}

/// One category found in any of several fields of a record (see [`Detector::detect_fields`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldFinding<F> {
    pub category: DataCategory,
    /// In field order, then text order; one per distinct wording across all the fields.
    pub terms: Vec<FieldTerm<F>>,
}

/// Words of one field that suggested a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldTerm<F> {
    /// Which field, as the caller named it.
    pub field: F,
    pub text: String,
    /// Byte offsets into that field's text.
    pub start: usize,
    pub end: usize,
}

/// The compiled dictionary. Building one takes about a millisecond; share it (it is
/// `Send + Sync`), for example through [`Detector::shared`].
pub struct Detector {
    dict: Compiled,
}

impl Detector {
    /// Compiles the dictionary.
    pub fn new() -> Detector {
        Detector { dict: Compiled::build() }
    }

    /// A detector built on first use and kept for the life of the process.
    pub fn shared() -> &'static Detector {
        static SHARED: OnceLock<Detector> = OnceLock::new();
        SHARED.get_or_init(Detector::new)
    }

    /// The categories suggested by `text`, one [`Finding`] per category in [`DataCategory`]'s
    /// order; empty when nothing was found.
    pub fn detect(&self, text: &str) -> Vec<Finding> {
        let mut hits = Vec::new();
        with_scratch(|scratch| scan(&self.dict, text, scratch, &mut hits));
        if hits.is_empty() {
            return Vec::new();
        }
        group(hits.into_iter().map(|h| (h, ())), |_| text)
            .into_iter()
            .map(|(category, terms)| Finding {
                category,
                terms: terms.into_iter().map(|t| Term { text: t.text, start: t.start, end: t.end }).collect(),
            })
            .collect()
    }

    /// Just the categories suggested by `text`, in [`DataCategory`]'s order.
    pub fn categories(&self, text: &str) -> Vec<DataCategory> {
        let mut hits = Vec::new();
        with_scratch(|scratch| scan(&self.dict, text, scratch, &mut hits));
        let mut categories: Vec<DataCategory> = hits.into_iter().map(|h| h.category).collect();
        categories.sort_unstable();
        categories.dedup();
        categories
    }

    /// Scans several fields of one record (an entry's subject and detail, say) as one: a
    /// category found in any field is one [`FieldFinding`], its terms naming their field.
    /// Fields are scanned separately, so a phrase or context rule never joins two fields.
    pub fn detect_fields<F: Copy>(&self, fields: &[(F, &str)]) -> Vec<FieldFinding<F>> {
        let mut hits = Vec::new();
        with_scratch(|scratch| {
            let mut field_hits = Vec::new();
            for (n, &(_, text)) in fields.iter().enumerate() {
                field_hits.clear();
                scan(&self.dict, text, scratch, &mut field_hits);
                hits.extend(field_hits.iter().map(|&h| (h, n)));
            }
        });
        group(hits, |&n| fields[n].1)
            .into_iter()
            .map(|(category, terms)| FieldFinding {
                category,
                terms: terms
                    .into_iter()
                    .map(|t| FieldTerm { field: fields[t.key].0, text: t.text, start: t.start, end: t.end })
                    .collect(),
            })
            .collect()
    }
}

impl Default for Detector {
    fn default() -> Self {
        Detector::new()
    }
}

impl fmt::Debug for Detector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Detector").finish_non_exhaustive()
    }
}

/// A term of a category, `key` saying which text it is in.
struct Located<K> {
    key: K,
    text: String,
    start: usize,
    end: usize,
}

/// Each category found, with its terms.
type Grouped<K> = Vec<(DataCategory, Vec<Located<K>>)>;

/// Groups hits (each tagged with which text it is in) by category in `DataCategory` order, each
/// category's terms in (key, position) order with repeated wordings dropped.
fn group<'t, K: Ord + Copy>(hits: impl IntoIterator<Item = (Hit, K)>, text_of: impl Fn(&K) -> &'t str) -> Grouped<K> {
    let mut hits: Vec<(Hit, K)> = hits.into_iter().collect();
    hits.sort_unstable_by_key(|&(h, k)| (h.category, k, h.start, h.end));
    hits.dedup_by_key(|&mut (h, k)| (h.category, k, h.start, h.end));
    let mut out: Grouped<K> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (hit, key) in hits {
        if out.last().is_none_or(|(c, _)| *c != hit.category) {
            out.push((hit.category, Vec::new()));
            seen.clear();
        }
        let text = &text_of(&key)[hit.start..hit.end];
        let folded = text.to_lowercase();
        if seen.contains(&folded) {
            continue;
        }
        seen.push(folded);
        if let Some((_, terms)) = out.last_mut() {
            terms.push(Located { key, text: text.to_string(), start: hit.start, end: hit.end });
        }
    }
    out
}
