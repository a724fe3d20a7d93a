//! Special-category and criminal-offence content, found as well as tagged (issue 11). Entries
//! are scanned when written (the practitioner sees suggested categories and the words that
//! triggered them) and when shared (`sharing_check`: untagged content must be confirmed
//! first). The detector itself is `harbour-detect`; this module applies it to entries.

use harbour_detect::Detector;
use harbour_domain::{DataCategory, Entry, EntryField};
use serde::Serialize;
use utoipa::ToSchema;

/// A category Harbour's scan found in some text, and the words that triggered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Suggestion {
    pub category: DataCategory,
    /// The category in words, for people.
    pub label: &'static str,
    pub words: Vec<String>,
}

/// The special and criminal-offence categories found in `texts`, each with its words.
pub fn scan(texts: &[&str]) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = Vec::new();
    for text in texts {
        for f in Detector::shared().detect(text) {
            let words = f.terms.into_iter().map(|t| t.text);
            match out.iter_mut().find(|s| s.category == f.category) {
                Some(s) => s.words.extend(words),
                None => {
                    out.push(Suggestion { category: f.category, label: f.category.label(), words: words.collect() })
                }
            }
        }
    }
    for s in &mut out {
        let mut seen = std::collections::HashSet::new();
        s.words.retain(|w| seen.insert(w.to_lowercase()));
    }
    out.sort_by_key(|s| s.category);
    out
}

/// What the scan finds in the fields of an entry that are shared (its subject, detail and
/// location; the kind, date and source carry no free text).
pub fn scan_entry(entry: &Entry, fields: &[EntryField]) -> Vec<Suggestion> {
    let mut texts: Vec<&str> = Vec::new();
    if fields.contains(&EntryField::Subject) {
        texts.push(&entry.subject);
    }
    if fields.contains(&EntryField::Detail) {
        texts.push(&entry.detail);
    }
    if let (true, Some(location)) = (fields.contains(&EntryField::Location), entry.location.as_deref()) {
        texts.push(location);
    }
    scan(&texts)
}

/// Categories the scan finds in an entry that it is not tagged with: what the practitioner
/// is asked to consider when the entry is written.
pub fn untagged(entry: &Entry) -> Vec<Suggestion> {
    scan_entry(entry, &EntryField::ALL).into_iter().filter(|s| !entry.categories.contains(&s.category)).collect()
}
