//! Turning the dictionary into the two tries the scanner walks.
//!
//! This module owns the matcher's data structures. Each distinct word of the dictionary (a
//! [`WordSpec`]: text plus how it may inflect) gets an id. The *word trie* is a byte trie over
//! every form of every word: walking a token's bytes through it yields the ids of all words the
//! token can be (its exact forms at the end of the walk, prefix stems along the way). The
//! *phrase trie* is a trie over word ids: its nodes are phrases, and a node that ends a pattern
//! carries what the pattern does ([`Effect`]).
//!
//! Every word of the input walks the word trie, so it is stored flat ([`WordTrie`]): one array
//! of small nodes, their children's bytes and targets side by side, a dense table for the first
//! byte. Only words that can start or continue a phrase reach the phrase trie.

use std::collections::HashMap;

use harbour_domain::DataCategory;

use crate::dictionary::{self, Guard};

/// How a dictionary word may appear in text (see the pattern syntax in [`crate::dictionary`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Inflect {
    Exact,
    Noun,
    Verb,
    Prefix,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct WordSpec {
    text: String,
    inflect: Inflect,
}

impl WordSpec {
    fn parse(alternative: &str) -> WordSpec {
        let (text, inflect) = if let Some(t) = alternative.strip_suffix('*') {
            (t, Inflect::Prefix)
        } else if let Some(t) = alternative.strip_suffix('+') {
            (t, Inflect::Verb)
        } else if let Some(t) = alternative.strip_suffix('=') {
            (t, Inflect::Exact)
        } else {
            (alternative, Inflect::Noun)
        };
        WordSpec { text: text.to_string(), inflect }
    }

    /// Every form the word matches exactly (empty for a prefix).
    fn forms(&self) -> Vec<String> {
        let w = self.text.as_str();
        let mut forms = vec![w.to_string()];
        if matches!(self.inflect, Inflect::Noun | Inflect::Verb) {
            forms.push(format!("{w}s"));
            forms.push(format!("{w}es"));
            if let Some(stem) = consonant_y_stem(w) {
                forms.push(format!("{stem}ies"));
            }
        }
        if self.inflect == Inflect::Verb {
            forms.push(format!("{w}ed"));
            forms.push(format!("{w}ing"));
            if let Some(stem) = w.strip_suffix('e') {
                forms.push(format!("{w}d"));
                forms.push(format!("{stem}ing"));
            }
            if let Some(stem) = consonant_y_stem(w) {
                forms.push(format!("{stem}ied"));
            }
        }
        if self.inflect == Inflect::Prefix {
            forms.clear();
        }
        forms
    }
}

/// "worry" → "worr" (so "worries", "worried"); "play" → None (a vowel before the y).
fn consonant_y_stem(w: &str) -> Option<&str> {
    let stem = w.strip_suffix('y')?;
    let before = stem.chars().last()?;
    (!matches!(before, 'a' | 'e' | 'i' | 'o' | 'u')).then_some(stem)
}

/// Splits a pattern into its words, each a list of alternatives.
pub(crate) fn pattern_words(pattern: &str) -> Vec<Vec<&str>> {
    pattern.split_whitespace().map(|w| w.split('|').filter(|a| !a.is_empty()).collect()).collect()
}

/// What a pattern does when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Suggests these categories (none: a harmless phrase), unless the guard says it is a name.
    Flag { categories: &'static [DataCategory], guard: Guard },
    /// One side of a context rule.
    Cue { rule: usize, side: Side },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    A,
    B,
}

/// A context rule as the scanner needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pair {
    pub categories: &'static [DataCategory],
    pub window: usize,
}

#[derive(Debug, Default)]
struct ByteNode {
    /// Sorted by byte.
    children: Vec<(u8, u32)>,
    /// Words whose exact forms end here.
    exact: Vec<u32>,
    /// Words that are a prefix ending here.
    prefix: Vec<u32>,
}

#[derive(Debug, Default)]
struct PhraseNode {
    /// Sorted by word id.
    children: Vec<(u32, u32)>,
    /// What the phrase ending here does; empty when no pattern ends here.
    effects: Vec<Effect>,
}

/// One node of the flat word trie.
#[derive(Debug, Clone, Copy, Default)]
struct WordNode {
    /// Index of the first child in `child_bytes`/`child_nodes`.
    first_child: u32,
    /// Index in `ids` of this node's exact ids, followed by its prefix ids.
    first_id: u32,
    children: u16,
    exact: u16,
    prefix: u16,
}

/// The word trie, flattened from the builder's [`ByteNode`]s.
#[derive(Debug)]
struct WordTrie {
    nodes: Vec<WordNode>,
    child_bytes: Vec<u8>,
    child_nodes: Vec<u32>,
    ids: Vec<u32>,
    /// The root's child for each first byte (0: none; the root is never a child).
    root: Box<[u32; 256]>,
}

impl WordTrie {
    fn flatten(bytes: &[ByteNode]) -> WordTrie {
        let mut trie = WordTrie {
            nodes: Vec::with_capacity(bytes.len()),
            child_bytes: Vec::new(),
            child_nodes: Vec::new(),
            ids: Vec::new(),
            root: Box::new([0; 256]),
        };
        for node in bytes {
            // Node counts and id counts are far below u16/u32::MAX (a few thousand words).
            trie.nodes.push(WordNode {
                first_child: trie.child_bytes.len() as u32,
                first_id: trie.ids.len() as u32,
                children: node.children.len() as u16,
                exact: node.exact.len() as u16,
                prefix: node.prefix.len() as u16,
            });
            trie.child_bytes.extend(node.children.iter().map(|&(b, _)| b));
            trie.child_nodes.extend(node.children.iter().map(|&(_, n)| n));
            trie.ids.extend_from_slice(&node.exact);
            trie.ids.extend_from_slice(&node.prefix);
        }
        if let Some(root) = bytes.first() {
            for &(b, n) in &root.children {
                trie.root[b as usize] = n;
            }
        }
        trie
    }

    fn child(&self, node: &WordNode, byte: u8) -> Option<u32> {
        let from = node.first_child as usize;
        let bytes = &self.child_bytes[from..from + node.children as usize];
        bytes.iter().position(|&b| b == byte).map(|i| self.child_nodes[from + i])
    }
}

/// The compiled dictionary.
#[derive(Debug)]
pub(crate) struct Compiled {
    words: WordTrie,
    phrases: Vec<PhraseNode>,
    /// The phrase-trie root's child for each word id (0: none). Every dictionary word of the
    /// input, "the" and "his" included, steps from the root, so this is a table, not a search.
    root: Vec<u32>,
    pub pairs: Vec<Pair>,
}

pub(crate) const ROOT: u32 = 0;

impl Compiled {
    pub fn build() -> Compiled {
        let mut builder = Builder::default();
        for table in dictionary::tables() {
            for pattern in table.patterns {
                builder.add(pattern, Effect::Flag { categories: table.categories, guard: table.guard });
            }
        }
        let mut pairs = Vec::new();
        for (rule, pair) in dictionary::pair_rules().enumerate() {
            for pattern in pair.a {
                builder.add(pattern, Effect::Cue { rule, side: Side::A });
            }
            for pattern in pair.b {
                builder.add(pattern, Effect::Cue { rule, side: Side::B });
            }
            pairs.push(Pair { categories: pair.categories, window: pair.window });
        }
        builder.finish(pairs)
    }

    /// Appends to `out` the ids of every dictionary word `word` (normalised) can be.
    pub fn word_ids(&self, word: &[u8], out: &mut Vec<u32>) {
        let trie = &self.words;
        let Some((&first, rest)) = word.split_first() else { return };
        let mut node = match trie.root[first as usize] {
            0 => return,
            n => &trie.nodes[n as usize],
        };
        for &b in rest {
            if node.prefix != 0 {
                let from = (node.first_id + u32::from(node.exact)) as usize;
                out.extend_from_slice(&trie.ids[from..from + node.prefix as usize]);
            }
            match trie.child(node, b) {
                Some(n) => node = &trie.nodes[n as usize],
                None => return,
            }
        }
        let from = node.first_id as usize;
        out.extend_from_slice(&trie.ids[from..from + node.exact as usize + node.prefix as usize]);
    }

    /// The phrase-trie node reached from `node` by word `id`.
    pub fn step(&self, node: u32, id: u32) -> Option<u32> {
        if node == ROOT {
            return self.root.get(id as usize).copied().filter(|&n| n != ROOT);
        }
        let children = &self.phrases[node as usize].children;
        children.binary_search_by_key(&id, |&(w, _)| w).ok().map(|i| children[i].1)
    }

    pub fn effects(&self, node: u32) -> &[Effect] {
        &self.phrases[node as usize].effects
    }
}

#[derive(Default)]
struct Builder {
    ids: HashMap<WordSpec, u32>,
    bytes: Vec<ByteNode>,
    phrases: Vec<PhraseNode>,
}

impl Builder {
    fn word_id(&mut self, spec: WordSpec) -> u32 {
        if let Some(&id) = self.ids.get(&spec) {
            return id;
        }
        let id = self.ids.len() as u32;
        if self.bytes.is_empty() {
            self.bytes.push(ByteNode::default());
        }
        if spec.inflect == Inflect::Prefix {
            let node = self.byte_path(spec.text.as_bytes());
            self.bytes[node].prefix.push(id);
        }
        for form in spec.forms() {
            let node = self.byte_path(form.as_bytes());
            if !self.bytes[node].exact.contains(&id) {
                self.bytes[node].exact.push(id);
            }
        }
        self.ids.insert(spec, id);
        id
    }

    /// The byte-trie node for `word`, creating it.
    fn byte_path(&mut self, word: &[u8]) -> usize {
        let mut node = ROOT as usize;
        for &b in word {
            node = match self.bytes[node].children.binary_search_by_key(&b, |&(c, _)| c) {
                Ok(i) => self.bytes[node].children[i].1 as usize,
                Err(i) => {
                    let next = self.bytes.len();
                    self.bytes.push(ByteNode::default());
                    self.bytes[node].children.insert(i, (b, next as u32));
                    next
                }
            };
        }
        node
    }

    /// Adds every expansion of `pattern`'s alternatives to the phrase trie.
    fn add(&mut self, pattern: &str, effect: Effect) {
        if self.phrases.is_empty() {
            self.phrases.push(PhraseNode::default());
        }
        let words: Vec<Vec<u32>> = pattern_words(pattern)
            .into_iter()
            .map(|alts| alts.into_iter().map(|a| self.word_id(WordSpec::parse(a))).collect())
            .collect();
        if words.is_empty() || words.iter().any(Vec::is_empty) {
            return;
        }
        let mut frontier = vec![ROOT as usize];
        for alternatives in &words {
            let mut next = Vec::with_capacity(frontier.len() * alternatives.len());
            for &node in &frontier {
                for &id in alternatives {
                    next.push(self.phrase_child(node, id));
                }
            }
            frontier = next;
        }
        for node in frontier {
            if !self.phrases[node].effects.contains(&effect) {
                self.phrases[node].effects.push(effect);
            }
        }
    }

    fn phrase_child(&mut self, node: usize, id: u32) -> usize {
        match self.phrases[node].children.binary_search_by_key(&id, |&(w, _)| w) {
            Ok(i) => self.phrases[node].children[i].1 as usize,
            Err(i) => {
                let next = self.phrases.len();
                self.phrases.push(PhraseNode::default());
                self.phrases[node].children.insert(i, (id, next as u32));
                next
            }
        }
    }

    fn finish(mut self, pairs: Vec<Pair>) -> Compiled {
        if self.bytes.is_empty() {
            self.bytes.push(ByteNode::default());
        }
        if self.phrases.is_empty() {
            self.phrases.push(PhraseNode::default());
        }
        let mut root = vec![ROOT; self.ids.len()];
        for &(id, node) in &self.phrases[ROOT as usize].children {
            root[id as usize] = node;
        }
        Compiled { words: WordTrie::flatten(&self.bytes), phrases: self.phrases, root, pairs }
    }
}
