//! What the held-out sets share: a note written with its labelled entities, and the scoring the
//! issue asks for: entity recall (every character of an entity lies in some finding, of whatever
//! kind) and character precision (the share of redacted characters inside a labelled entity),
//! overall and per kind.
//!
//! Each test binary that uses it says `mod scoring;`; an item one of them does not use is
//! allowed to be dead there.

use std::collections::BTreeMap;

use harbour_redact::{Kind, Redactor};

/// A note being written, with its labelled entities in characters.
#[allow(dead_code)]
#[derive(Default)]
pub struct Note {
    pub text: String,
    pub known: Vec<String>,
    pub gold: Vec<(usize, usize, Kind)>,
}

#[allow(dead_code)]
impl Note {
    pub fn say(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }
    pub fn mark(&mut self, s: &str, kind: Kind) -> &mut Self {
        let at = self.text.chars().count();
        self.text.push_str(s);
        self.gold.push((at, at + s.chars().count(), kind));
        self
    }
    /// A name of someone linked to the record.
    pub fn name(&mut self, s: &str) -> &mut Self {
        self.mark(s, Kind::Name)
    }
    /// A name of someone who is not.
    pub fn other(&mut self, s: &str) -> &mut Self {
        self.mark(s, Kind::PossibleName)
    }
}

/// Per kind: entities, entities covered; characters redacted, characters inside an entity.
#[allow(dead_code)]
#[derive(Default)]
pub struct Tally {
    pub entities: usize,
    pub covered: usize,
    pub redacted: usize,
    pub correct: usize,
}

/// Runs the redactor over the notes: the tally per kind, the entities missed and the findings
/// that reach outside every entity, each with its note.
#[allow(dead_code)]
pub fn score(notes: &[Note]) -> (BTreeMap<Kind, Tally>, Vec<String>, Vec<String>) {
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
                let got: String = chars[f.start..f.end].iter().collect();
                wrong.push(format!("{}: {got:?} in {:?}", f.kind, n.text));
            }
        }
    }
    (by_kind, misses, wrong)
}

#[allow(dead_code)]
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores the set, prints its table (headed by `label`) with the first misses and
/// over-redactions, and gives its entity recall and character precision, and the recall of the
/// names not in the record.
#[allow(dead_code)]
pub fn report(label: &str, notes: &[Note]) -> (f64, f64, f64) {
    let (by_kind, misses, wrong) = score(notes);
    println!("{label}: {} notes", notes.len());
    println!("{:<16} {:>8} {:>8} {:>10} {:>10}", "kind", "entities", "recall", "redacted", "precision");
    let mut all = Tally::default();
    for (kind, t) in &by_kind {
        let (r, p) = (ratio(t.covered, t.entities), ratio(t.correct, t.redacted));
        println!("{:<16} {:>8} {r:>8.4} {:>10} {p:>10.4}", kind.code(), t.entities, t.redacted);
        (all.entities, all.covered) = (all.entities + t.entities, all.covered + t.covered);
        (all.redacted, all.correct) = (all.redacted + t.redacted, all.correct + t.correct);
    }
    let (recall, precision) = (ratio(all.covered, all.entities), ratio(all.correct, all.redacted));
    println!("{:<16} {:>8} {recall:>8.4} {:>10} {precision:>10.4}", "all", all.entities, all.redacted);
    println!("misses ({}):\n  {}", misses.len(), misses.iter().take(40).cloned().collect::<Vec<_>>().join("\n  "));
    println!(
        "over-redactions ({}):\n  {}",
        wrong.len(),
        wrong.iter().take(40).cloned().collect::<Vec<_>>().join("\n  ")
    );
    assert!(notes.len() >= 500, "{} notes", notes.len());
    let others = &by_kind[&Kind::PossibleName];
    (recall, precision, ratio(others.covered, others.entities))
}
