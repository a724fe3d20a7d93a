//! How fast the redaction engine reads case notes: notes per second over the detector's
//! labelled case notes repeated to 50,000, each with two known people, against a baseline
//! measured in the same run on the same texts: counting their characters and splitting them
//! into words, the least any recogniser must do.
//!
//! Run: `cargo bench -p harbour-redact --bench redact` (or `scripts/bench`).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::hint::black_box;
use std::time::{Duration, Instant};

use harbour_redact::Redactor;

const NOTES: usize = 50_000;
const ROUNDS: usize = 5;

/// The median of `ROUNDS` timings of `f` over every text.
fn measure(texts: &[&str], mut f: impl FnMut(&str) -> usize) -> Duration {
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            let mut sink = 0;
            for text in texts {
                sink += f(black_box(text));
            }
            black_box(sink);
            start.elapsed()
        })
        .collect();
    times.sort();
    times[ROUNDS / 2]
}

fn main() {
    // The detector's labelled notes: `label<TAB>text` lines (comments start with '#').
    let corpus: Vec<&str> = include_str!("../../harbour-detect/data/labelled.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t').map(|(_, text)| text))
        .collect();
    assert!(!corpus.is_empty(), "the labelled notes are there");
    let texts: Vec<&str> = corpus.iter().copied().cycle().take(NOTES).collect();
    let known = vec!["Jayden Walker".to_string(), "Kerry Walker".to_string()];
    let start = Instant::now();
    let redactor = Redactor::new();
    let build = start.elapsed();
    let baseline = measure(&texts, |t| t.chars().count() + t.split_whitespace().count());
    let redact = measure(&texts, |t| redactor.find(t, &known).len());
    let per_sec = |d: Duration| NOTES as f64 / d.as_secs_f64();
    println!(
        "{NOTES} notes ({} distinct, {} bytes on average), median of {ROUNDS} rounds; built in {build:.1?}",
        corpus.len(),
        texts.iter().map(|t| t.len()).sum::<usize>() / NOTES
    );
    println!("{:<40} {:>10} {:>12}", "", "time", "notes/s");
    println!("{:<40} {:>10.1?} {:>12.0}", "baseline (count characters and words)", baseline, per_sec(baseline));
    println!("{:<40} {:>10.1?} {:>12.0}", "redaction recognisers", redact, per_sec(redact));
    println!("ratio to baseline: {:.1}x", redact.as_secs_f64() / baseline.as_secs_f64());
}
