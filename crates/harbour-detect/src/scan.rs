//! Running the compiled dictionary over one text.
//!
//! This module owns the matching rules: leftmost-longest phrase matching over the tokens, the
//! name guards, and the context rules (two cues within a window of words). It produces raw
//! [`Hit`]s; `lib.rs` groups them into findings.

use std::cell::RefCell;

use harbour_domain::DataCategory;

use crate::compile::{Compiled, Effect, Side, ROOT};
use crate::dictionary::{Guard, NOT_A_NAME_BEFORE, TITLES};
use crate::tokenize::{tokenize, Token};

/// One matched span suggesting one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub category: DataCategory,
    pub start: usize,
    pub end: usize,
}

/// One side of a context rule, found at tokens `first..last`.
#[derive(Debug, Clone, Copy)]
struct Cue {
    rule: usize,
    side: Side,
    first: usize,
    last: usize,
}

/// Working memory for one scan, reused across scans on a thread (see [`with_scratch`]) so a
/// scan allocates nothing but its results.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    buf: String,
    tokens: Vec<Token>,
    /// Word ids of every token, flattened; `ranges[i]` is token `i`'s slice of it.
    ids: Vec<u32>,
    ranges: Vec<(usize, usize)>,
    cues: Vec<Cue>,
    stack: Vec<(u32, usize)>,
    best: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch memory (or a fresh one if it is somehow in use).
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Appends to `hits` every category suggestion in `text`, in no particular order.
pub(crate) fn scan(dict: &Compiled, text: &str, s: &mut Scratch, hits: &mut Vec<Hit>) {
    tokenize(text, &mut s.buf, &mut s.tokens);
    s.ids.clear();
    s.ranges.clear();
    s.cues.clear();
    for t in &s.tokens {
        let from = s.ids.len();
        dict.word_ids(&s.buf.as_bytes()[t.norm_start..t.norm_end], &mut s.ids);
        s.ranges.push((from, s.ids.len()));
    }
    let mut i = 0;
    while i < s.tokens.len() {
        let end = longest(dict, s, i);
        if end == 0 {
            i += 1;
            continue;
        }
        for &node in &s.best {
            for effect in dict.effects(node) {
                match *effect {
                    Effect::Flag { categories, guard } => {
                        if categories.is_empty() || is_a_name(guard, &s.tokens, &s.buf, i) {
                            continue;
                        }
                        let (from, to) = (s.tokens[i].start, s.tokens[end - 1].end);
                        hits.extend(categories.iter().map(|&category| Hit { category, start: from, end: to }));
                    }
                    Effect::Cue { rule, side } => s.cues.push(Cue { rule, side, first: i, last: end }),
                }
            }
        }
        i = end;
    }
    pair_up(dict, s, hits);
}

/// The end (exclusive token index) of the longest phrase starting at token `i`, or 0; the
/// phrase-trie nodes of every phrase of that length are left in `s.best`.
fn longest(dict: &Compiled, s: &mut Scratch, i: usize) -> usize {
    s.best.clear();
    let (from, to) = s.ranges[i];
    if from == to {
        return 0;
    }
    let mut best_end = 0;
    s.stack.clear();
    s.stack.push((ROOT, i));
    while let Some((node, j)) = s.stack.pop() {
        // A phrase never runs past the text or across clause punctuation.
        if j >= s.tokens.len() || (j > i && s.tokens[j].brk) {
            continue;
        }
        let (from, to) = s.ranges[j];
        for &id in &s.ids[from..to] {
            let Some(child) = dict.step(node, id) else { continue };
            if !dict.effects(child).is_empty() {
                if j + 1 > best_end {
                    best_end = j + 1;
                    s.best.clear();
                }
                if j + 1 == best_end && !s.best.contains(&child) {
                    s.best.push(child);
                }
            }
            s.stack.push((child, j + 1));
        }
    }
    best_end
}

/// Whether the guarded word at token `i` is being used as someone's name.
fn is_a_name(guard: Guard, tokens: &[Token], buf: &str, i: usize) -> bool {
    let prev = i.checked_sub(1).map(|p| &buf[tokens[p].norm_start..tokens[p].norm_end]);
    let after_title = prev.is_some_and(|p| TITLES.contains(&p));
    match guard {
        Guard::None => false,
        Guard::Title => after_title,
        Guard::Name => {
            // A capital not explained by a word such as "a", "are" or "to" just before it (in the
            // same clause) reads as a name: "Christian said", "Mum and Faith".
            let explained = !tokens[i].brk && prev.is_some_and(|p| NOT_A_NAME_BEFORE.contains(&p));
            after_title || (tokens[i].cap && !explained)
        }
    }
}

/// Turns context-rule cues into hits: each side within the rule's window of the other.
fn pair_up(dict: &Compiled, s: &Scratch, hits: &mut Vec<Hit>) {
    for a in s.cues.iter().filter(|c| c.side == Side::A) {
        for b in s.cues.iter().filter(|c| c.side == Side::B && c.rule == a.rule) {
            // Words strictly between the two cues (0 when they touch or overlap).
            let gap = if a.first >= b.last { a.first - b.last } else { b.first.saturating_sub(a.last) };
            let pair = dict.pairs[a.rule];
            if gap > pair.window {
                continue;
            }
            for cue in [a, b] {
                let (start, end) = (s.tokens[cue.first].start, s.tokens[cue.last - 1].end);
                hits.extend(pair.categories.iter().map(|&category| Hit { category, start, end }));
            }
        }
    }
}
