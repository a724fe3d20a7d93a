//! How fast the detector reads case notes: entries per second and MB/s over the labelled sets'
//! texts repeated to 100,000 entries, against a baseline measured in the same run on the same
//! texts: lowercasing each and splitting it into words, the least any word-based detector must
//! do. (A custom harness like `harbour-policy`'s `decide`, printing the ratio the docs quote.)
//!
//! Run: `cargo bench -p harbour-detect --bench detect` (or `scripts/bench`).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::hint::black_box;
use std::time::{Duration, Instant};

use harbour_detect::evaluate::parse;
use harbour_detect::Detector;

const ENTRIES: usize = 100_000;
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
    let mut corpus = Vec::new();
    for set in [include_str!("../data/labelled.tsv"), include_str!("../data/heldout.tsv")] {
        corpus.extend(parse(set).expect("labelled sets parse").into_iter().map(|e| e.text));
    }
    let texts: Vec<&str> = corpus.iter().map(String::as_str).cycle().take(ENTRIES).collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();

    let start = Instant::now();
    let detector = Detector::new();
    let build = start.elapsed();

    let baseline =
        measure(&texts, |t| t.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count());
    let detect = measure(&texts, |t| detector.detect(t).len());
    let categories = measure(&texts, |t| detector.categories(t).len());

    let per_sec = |d: Duration| ENTRIES as f64 / d.as_secs_f64();
    let mb_per_sec = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64();
    println!(
        "{ENTRIES} entries ({} distinct, {:.1} MB, {} bytes on average), median of {ROUNDS} rounds; detector built in {build:.1?}",
        corpus.len(),
        bytes as f64 / 1e6,
        bytes / ENTRIES
    );
    println!("{:<44} {:>10} {:>14} {:>10}", "", "time", "entries/s", "MB/s");
    for (name, d) in [
        ("baseline: lowercase and split into words", baseline),
        ("detect: categories with their terms", detect),
        ("categories only", categories),
    ] {
        println!("{name:<44} {:>10.1?} {:>14.0} {:>10.1}", d, per_sec(d), mb_per_sec(d));
    }
    println!("ratio detect / baseline: {:.2}x the time", detect.as_secs_f64() / baseline.as_secs_f64());
}
