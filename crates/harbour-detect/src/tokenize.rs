//! Splitting text into normalised words.
//!
//! This module owns what a "word" is, for both the input and the dictionary: a run of
//! alphanumeric characters, lowercased. Apostrophes inside a word are dropped and a
//! possessive `'s` is dropped with them ("Jehovah's" and "Jehovahs" both become
//! `jehovahs`/`jehovah`, see [`normalise_word`]); `&` between two alphanumerics is kept so
//! "A&E" is one word; hyphens, slashes and spaces separate words; clause punctuation
//! (`. , ; : ! ? ( ) [ ]` and line breaks) separates words *and* stops a phrase from
//! running across it.

/// One word of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte offsets of the word in the input (always on char boundaries).
    pub start: usize,
    pub end: usize,
    /// Byte range of the normalised word in the scratch buffer.
    pub norm_start: usize,
    pub norm_end: usize,
    /// Clause punctuation between the previous word and this one: phrases do not run across it.
    pub brk: bool,
    /// The word begins with an upper-case letter as written (used only to tell names apart).
    pub cap: bool,
}

/// Clause punctuation: a phrase never runs across one of these.
fn is_break(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '\n' | '\r' | '\t' | '•')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`')
}

fn push_lower(buf: &mut String, c: char) {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase());
    } else {
        buf.extend(c.to_lowercase());
    }
}

/// The char starting at byte `i` of `text` (`i` on a char boundary), and its length; ASCII
/// without decoding.
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b.is_ascii() {
        return Some((char::from(b), 1));
    }
    text[i..].chars().next().map(|c| (c, c.len_utf8()))
}

/// Splits `text` into words, appending normalised words to `buf` and tokens to `out` (both
/// are cleared first, so a caller can reuse them).
pub(crate) fn tokenize(text: &str, buf: &mut String, out: &mut Vec<Token>) {
    buf.clear();
    out.clear();
    let mut current: Option<Token> = None;
    let mut brk = false;
    let mut i = 0;
    while let Some((c, len)) = char_at(text, i) {
        let next = char_at(text, i + len);
        if c.is_alphanumeric() {
            let token = current.get_or_insert_with(|| Token {
                start: i,
                end: i,
                norm_start: buf.len(),
                norm_end: buf.len(),
                brk: std::mem::take(&mut brk),
                cap: c.is_uppercase(),
            });
            push_lower(buf, c);
            token.end = i + len;
            i += len;
            continue;
        }
        if let Some(token) = current.as_mut() {
            let next_is_word = next.is_some_and(|(n, _)| n.is_alphanumeric());
            if is_apostrophe(c) && next_is_word {
                // "mother's", "don't", "O'Brien": the apostrophe goes; a possessive 's goes too,
                // so "mother's" matches the dictionary's "mother". The span keeps the 's.
                let after_s =
                    next.and_then(|(n, n_len)| matches!(n, 's' | 'S').then(|| char_at(text, i + len + n_len)));
                if let Some(after) = after_s {
                    if !after.is_some_and(|(a, _)| a.is_alphanumeric()) {
                        token.end = i + len + 1;
                        i += len + 1;
                        continue;
                    }
                }
                i += len;
                continue;
            }
            if c == '&' && next_is_word {
                buf.push('&');
                i += len;
                continue;
            }
        }
        if let Some(mut token) = current.take() {
            token.norm_end = buf.len();
            out.push(token);
        }
        if is_break(c) {
            brk = true;
        }
        i += len;
    }
    if let Some(mut token) = current.take() {
        token.norm_end = buf.len();
        out.push(token);
    }
}

/// The normalised form of one word as the tokenizer would produce it, or `None` when `word`
/// is not exactly one word. The dictionary is written in normalised words; a test checks it.
#[cfg(test)]
pub(crate) fn normalise_word(word: &str) -> Option<String> {
    let mut buf = String::new();
    let mut tokens = Vec::new();
    tokenize(word, &mut buf, &mut tokens);
    match tokens.as_slice() {
        [only] => Some(buf[only.norm_start..only.norm_end].to_string()),
        _ => None,
    }
}
