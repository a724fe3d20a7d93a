//! Measuring the detector against a labelled set.
//!
//! This module owns the labelled-set format and the figures reported in `docs/detector.md`.
//! A labelled set is plain text, one entry a line: `categories<TAB>text`, where categories are
//! [`DataCategory`] codes separated by commas, or `-` for none. Blank lines and lines starting
//! with `#` are skipped. The crate's own sets are `data/labelled.tsv` (development: the
//! dictionary was tuned on it) and `data/heldout.tsv` (written first, never tuned on).

use std::fmt;

use harbour_domain::DataCategory;

use crate::{Detector, CATEGORIES};

/// One labelled entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// 1-based line number in the set, for reporting.
    pub line: usize,
    /// The categories a careful reader would tick (only those in [`CATEGORIES`]).
    pub categories: Vec<DataCategory>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("line {line}: expected `categories<TAB>text`")]
    NoTab { line: usize },
    #[error("line {line}: `{code}` is not a category the detector suggests")]
    UnknownCategory { line: usize, code: String },
    #[error("line {line}: the text is empty")]
    EmptyText { line: usize },
}

/// Reads a labelled set.
pub fn parse(set: &str) -> Result<Vec<Labelled>, LabelError> {
    let mut entries = Vec::new();
    for (n, raw) in set.lines().enumerate() {
        let line = n + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let (codes, text) = raw.split_once('\t').ok_or(LabelError::NoTab { line })?;
        let text = text.trim();
        if text.is_empty() {
            return Err(LabelError::EmptyText { line });
        }
        let mut categories = Vec::new();
        for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty() && *c != "-") {
            match DataCategory::from_code(code) {
                Some(c) if CATEGORIES.contains(&c) => categories.push(c),
                _ => return Err(LabelError::UnknownCategory { line, code: code.to_string() }),
            }
        }
        categories.sort_unstable();
        categories.dedup();
        entries.push(Labelled { line, categories, text: text.to_string() });
    }
    Ok(entries)
}

/// The figures for one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryScore {
    pub category: DataCategory,
    /// Entries labelled with the category.
    pub labelled: usize,
    /// Of those, the entries the detector flagged with it.
    pub detected: usize,
    /// Entries not labelled with the category.
    pub negatives: usize,
    /// Of those, the entries the detector flagged with it.
    pub false_alarms: usize,
}

impl CategoryScore {
    pub fn recall(&self) -> f64 {
        ratio(self.detected, self.labelled)
    }

    pub fn false_alarm_rate(&self) -> f64 {
        ratio(self.false_alarms, self.negatives)
    }
}

/// A mistake, for tuning and for the docs' "known limits".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub line: usize,
    pub category: DataCategory,
    /// True: labelled but not flagged; false: flagged but not labelled.
    pub missed: bool,
    pub text: String,
}

/// The detector's figures on a labelled set.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub entries: usize,
    /// One per category of [`CATEGORIES`].
    pub per_category: Vec<CategoryScore>,
    /// Entries with no label at all.
    pub unlabelled: usize,
    /// Of those, the entries flagged with any category.
    pub unlabelled_flagged: usize,
    pub mistakes: Vec<Miss>,
}

impl Evaluation {
    /// Of all labelled (entry, category) pairs, the fraction detected.
    pub fn recall(&self) -> f64 {
        let sum = |f: fn(&CategoryScore) -> usize| self.per_category.iter().map(f).sum::<usize>();
        ratio(sum(|c| c.detected), sum(|c| c.labelled))
    }

    /// Of all (entry, category) pairs not labelled, the fraction flagged, over all categories.
    pub fn false_alarm_rate(&self) -> f64 {
        let sum = |f: fn(&CategoryScore) -> usize| self.per_category.iter().map(f).sum::<usize>();
        ratio(sum(|c| c.false_alarms), sum(|c| c.negatives))
    }

    /// Of the entries with no label at all, the fraction flagged with anything.
    pub fn entry_false_alarm_rate(&self) -> f64 {
        ratio(self.unlabelled_flagged, self.unlabelled)
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Runs the detector over a labelled set.
pub fn evaluate(detector: &Detector, set: &[Labelled]) -> Evaluation {
    let mut per_category: Vec<CategoryScore> = CATEGORIES
        .iter()
        .map(|&category| CategoryScore { category, labelled: 0, detected: 0, negatives: 0, false_alarms: 0 })
        .collect();
    let (mut unlabelled, mut unlabelled_flagged) = (0, 0);
    let mut mistakes = Vec::new();
    for entry in set {
        let found = detector.categories(&entry.text);
        if entry.categories.is_empty() {
            unlabelled += 1;
            unlabelled_flagged += usize::from(!found.is_empty());
        }
        for score in &mut per_category {
            let labelled = entry.categories.contains(&score.category);
            let flagged = found.contains(&score.category);
            if labelled {
                score.labelled += 1;
                score.detected += usize::from(flagged);
            } else {
                score.negatives += 1;
                score.false_alarms += usize::from(flagged);
            }
            if labelled != flagged {
                mistakes.push(Miss {
                    line: entry.line,
                    category: score.category,
                    missed: labelled,
                    text: entry.text.clone(),
                });
            }
        }
    }
    Evaluation { entries: set.len(), per_category, unlabelled, unlabelled_flagged, mistakes }
}

/// A table of the figures, as in `docs/detector.md`.
impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| category | labelled | detected | recall | not labelled | false alarms | false-alarm rate |")?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|---:|")?;
        for c in &self.per_category {
            writeln!(
                f,
                "| {} | {} | {} | {:.3} | {} | {} | {:.3} |",
                c.category.code(),
                c.labelled,
                c.detected,
                c.recall(),
                c.negatives,
                c.false_alarms,
                c.false_alarm_rate()
            )?;
        }
        let sum = |g: fn(&CategoryScore) -> usize| self.per_category.iter().map(g).sum::<usize>();
        writeln!(
            f,
            "| **all** | {} | {} | **{:.3}** | {} | {} | **{:.3}** |",
            sum(|c| c.labelled),
            sum(|c| c.detected),
            self.recall(),
            sum(|c| c.negatives),
            sum(|c| c.false_alarms),
            self.false_alarm_rate()
        )?;
        write!(
            f,
            "\n{} entries; {} with no category, of which {} flagged: entry-level false-alarm rate {:.3}",
            self.entries,
            self.unlabelled,
            self.unlabelled_flagged,
            self.entry_false_alarm_rate()
        )
    }
}
