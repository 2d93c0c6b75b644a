//! How text becomes search terms. `static/search.js` implements the same rules
//! for queries; `tests/data/search-vectors.json` holds cases both must agree on.
//!
//! 1. Fold: Unicode NFD with combining marks removed, then lowercase
//!    (`Café` → `cafe`).
//! 2. Split on every character that is not a letter, a digit, `_`, `-` or `.`;
//!    trim `_-.` from both ends of each piece.
//! 3. Keep each piece whole, and also its parts: split at `_-.` and between
//!    letters and digits (`rate_limit_exceeded` → `rate`, `limit`,
//!    `exceeded`; `E0308` → `0308`). Parts of one letter are dropped.
//! 4. Drop stop words; stem words of letters longer than three.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Whether `word` is too common to help a search (a `match`, which compiles
/// to a few comparisons; `static/search.js` has the same list).
pub fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "been"
            | "by"
            | "do"
            | "does"
            | "for"
            | "from"
            | "how"
            | "i"
            | "in"
            | "is"
            | "it"
            | "its"
            | "me"
            | "my"
            | "of"
            | "on"
            | "or"
            | "our"
            | "that"
            | "the"
            | "this"
            | "to"
            | "was"
            | "we"
            | "were"
            | "what"
            | "when"
            | "why"
            | "with"
            | "you"
            | "your"
    )
}

/// Accents removed, lowercased.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '_' | '-' | '.')
}

/// A run of piece characters trimmed of `_-.`, unless nothing is left.
fn trimmed_piece(run: &str) -> Option<&str> {
    Some(run.trim_matches(is_joiner)).filter(|p| !p.is_empty())
}

/// The pieces of folded text: runs of letters, digits and `_-.`, trimmed of `_-.`.
pub fn pieces(folded: &str) -> Vec<&str> {
    if !folded.is_ascii() {
        return pieces_by_char(folded);
    }
    // The same split on bytes: an ASCII letter or digit is exactly an ASCII
    // `char` that is alphabetic or numeric. Catalogs are almost all ASCII,
    // and this spares decoding characters.
    let mut out = Vec::new();
    let mut start = None;
    for (i, &byte) in folded.as_bytes().iter().enumerate() {
        let inside = byte.is_ascii_alphanumeric() || is_joiner(char::from(byte));
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                out.extend(trimmed_piece(&folded[from..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        out.extend(trimmed_piece(&folded[from..]));
    }
    out
}

/// [`pieces`] for any text.
fn pieces_by_char(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !is_word_char(c) && !is_joiner(c))
        .filter_map(trimmed_piece)
        .collect()
}

/// Calls `f` with a piece and each of its parts (see the module documentation).
pub fn each_token<'a>(piece: &'a str, mut f: impl FnMut(&'a str)) {
    // Most pieces are plain words: nothing to split.
    if piece.bytes().all(|b| b.is_ascii_lowercase()) {
        f(piece);
        return;
    }
    for token in split_piece(piece) {
        f(token);
    }
}

/// The piece, then its segments between `_-.` and their letter and digit runs,
/// each once; parts of a single letter are dropped.
fn split_piece(piece: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for segment in piece.split(is_joiner).filter(|s| !s.is_empty()) {
        parts.push(segment);
        let mut start = 0;
        let mut previous: Option<bool> = None;
        for (i, c) in segment.char_indices() {
            let digit = c.is_numeric();
            if previous.is_some_and(|p| p != digit) {
                parts.push(&segment[start..i]);
                start = i;
            }
            previous = Some(digit);
        }
        if start > 0 {
            parts.push(&segment[start..]);
        }
    }
    let mut out = vec![piece];
    for part in parts {
        let keep = part.chars().nth(1).is_some() || part.chars().all(|c| c.is_numeric());
        if keep && !out.contains(&part) {
            out.push(part);
        }
    }
    out
}

/// Every search term of a text, in order, stemmed, stop words removed.
pub fn terms(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Vec::new();
    each_term(&folded, |term| out.push(term.into_owned()));
    out
}

/// Calls `f` with every term of already folded text, in order.
pub fn each_term<'a>(folded: &'a str, mut f: impl FnMut(Cow<'a, str>)) {
    for piece in pieces(folded) {
        each_token(piece, |token| {
            if !is_stop_word(token) {
                f(stem(token));
            }
        });
    }
}

/// A light English stemmer: enough for `limits`, `limited` and `limiting` to
/// meet at `limit`, and `expire`, `expired`, `expiration` at `expir`.
pub fn stem(word: &str) -> Cow<'_, str> {
    if !has_suffix(word) {
        return Cow::Borrowed(word);
    }
    let (long, letters) = if word.is_ascii() {
        (
            word.len() > 3,
            word.bytes().all(|b| b.is_ascii_alphabetic()),
        )
    } else {
        (
            word.chars().nth(3).is_some(),
            word.chars().all(char::is_alphabetic),
        )
    };
    if !long || !letters {
        return Cow::Borrowed(word);
    }
    let mut w = word.to_owned();
    let len = |w: &str| w.chars().count();
    if w.ends_with("ies") && len(&w) > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.truncate(w.len() - 1);
    }
    if w.ends_with("ied") && len(&w) > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with("ing") && len(&w) >= 6 {
        w.truncate(w.len() - 3);
        undouble(&mut w);
    } else if w.ends_with("ed") && len(&w) >= 5 {
        w.truncate(w.len() - 2);
        undouble(&mut w);
    } else if w.ends_with("ation") && len(&w) >= 8 {
        w.truncate(w.len() - 5);
    }
    if w.ends_with('e') && len(&w) >= 4 {
        w.truncate(w.len() - 1);
    }
    Cow::Owned(w)
}

/// Whether the stemmer could change `word` at all: it ends in `s`, `d`, `g`, `n` or `e`.
fn has_suffix(word: &str) -> bool {
    word.ends_with(['s', 'd', 'g', 'n', 'e'])
}

/// `runn` → `run`: a doubled final consonant left by `-ing`/`-ed` (but `ll`, `ss`, `zz` stay).
fn undouble(word: &mut String) {
    let mut chars = word.chars().rev();
    if let (Some(a), Some(b)) = (chars.next(), chars.next())
        && a == b
        && !"aeiouylsz".contains(a)
    {
        word.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Vectors {
        fold: Vec<(String, String)>,
        stem: Vec<(String, String)>,
        terms: Vec<(String, Vec<String>)>,
    }

    fn vectors() -> Vectors {
        let text = include_str!("../../../tests/data/search-vectors.json");
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn ascii_text_splits_into_the_same_pieces_on_bytes_as_on_characters() {
        let texts = [
            "",
            "...",
            "a",
            "rate_limit_exceeded: retry in 30s.",
            "--x--  _y_ .z. e0308",
            "see `max_tokens` (or \"n\"), then GET /v1/files?id=42&x=1",
            "a..b\tc\nd\r\n-e- 1.5.0",
            "{\"error\": {\"code\": \"quota.exceeded\"}}",
        ];
        for text in texts {
            assert_eq!(pieces(text), pieces_by_char(text), "{text:?}");
        }
        let all_ascii: String = (0u8..128).map(char::from).collect();
        assert_eq!(pieces(&all_ascii), pieces_by_char(&all_ascii));
    }

    #[test]
    fn folding_matches_the_shared_vectors() {
        for (input, expected) in vectors().fold {
            assert_eq!(fold(&input), expected, "fold({input:?})");
        }
    }

    #[test]
    fn stemming_matches_the_shared_vectors() {
        for (input, expected) in vectors().stem {
            assert_eq!(stem(&input), expected, "stem({input:?})");
        }
    }

    #[test]
    fn terms_match_the_shared_vectors() {
        for (input, expected) in vectors().terms {
            assert_eq!(terms(&input), expected, "terms({input:?})");
        }
    }
}
