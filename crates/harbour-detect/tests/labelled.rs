//! The detector's recall and false-alarm rates on the crate's labelled sets.
//!
//! `data/labelled.tsv` is the development set the dictionary was tuned on; `data/heldout.tsv`
//! was written before the detector and never tuned on. Run with `-- --nocapture` to see the
//! tables (they are the figures in `docs/detector.md`) and every mistake.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use harbour_detect::evaluate::{evaluate, parse, Evaluation};
use harbour_detect::{Detector, CATEGORIES};

const DEV: &str = include_str!("../data/labelled.tsv");
const HELD_OUT: &str = include_str!("../data/heldout.tsv");

fn report(name: &str, set: &str) -> Evaluation {
    let entries = match parse(set) {
        Ok(entries) => entries,
        Err(e) => panic!("{name}: {e}"),
    };
    let evaluation = evaluate(Detector::shared(), &entries);
    println!("== {name}\n{evaluation}\n");
    for m in &evaluation.mistakes {
        let what = if m.missed { "missed" } else { "false alarm" };
        println!("  line {:>3} {what:<11} {:<36} {}", m.line, m.category.code(), m.text);
    }
    println!();
    evaluation
}

#[test]
fn development_set_is_large_varied_and_mostly_right() {
    let entries = parse(DEV).unwrap();
    assert!(entries.len() >= 240, "{} entries", entries.len());
    let unlabelled = entries.iter().filter(|e| e.categories.is_empty()).count();
    assert!(unlabelled * 10 >= entries.len() * 4, "{unlabelled} of {} entries unlabelled", entries.len());
    for category in CATEGORIES {
        let n = entries.iter().filter(|e| e.categories.contains(&category)).count();
        assert!(n >= 8, "{} labelled only {n} times", category.code());
    }

    let evaluation = report("development set (data/labelled.tsv)", DEV);
    assert!(evaluation.recall() >= 0.95, "recall {:.3}", evaluation.recall());
    assert!(
        evaluation.entry_false_alarm_rate() <= 0.05,
        "entry false alarms {:.3}",
        evaluation.entry_false_alarm_rate()
    );
}

#[test]
fn held_out_set_stays_above_floors() {
    let entries = parse(HELD_OUT).unwrap();
    assert!(entries.len() >= 60, "{} entries", entries.len());

    let evaluation = report("held-out set (data/heldout.tsv)", HELD_OUT);
    assert!(evaluation.recall() >= 0.85, "recall {:.3}", evaluation.recall());
    assert!(evaluation.false_alarm_rate() <= 0.05, "false alarms {:.3}", evaluation.false_alarm_rate());
    assert!(
        evaluation.entry_false_alarm_rate() <= 0.20,
        "entry false alarms {:.3}",
        evaluation.entry_false_alarm_rate()
    );
}
