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

use unicode_normalization::UnicodeNormalization;

/// Words too common to help a search.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "do", "does", "for", "from", "how",
    "i", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our", "that", "the", "this", "to",
    "was", "we", "were", "what", "when", "why", "with", "you", "your",
];

/// Accents removed, lowercased.
pub fn fold(text: &str) -> String {
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

/// The pieces of folded text: runs of letters, digits and `_-.`, trimmed of `_-.`.
pub fn pieces(folded: &str) -> Vec<&str> {
    folded
        .split(|c: char| !is_word_char(c) && !is_joiner(c))
        .map(|p| p.trim_matches(is_joiner))
        .filter(|p| !p.is_empty())
        .collect()
}

/// A piece and its parts, as described in the module documentation.
pub fn tokens_of_piece(piece: &str) -> Vec<String> {
    let mut out = vec![piece.to_owned()];
    let mut push = |part: &str| {
        let keep = part.chars().count() > 1 || part.chars().all(|c| c.is_numeric());
        if keep && !part.is_empty() && !out.iter().any(|t| t == part) {
            out.push(part.to_owned());
        }
    };
    for segment in piece.split(is_joiner).filter(|s| !s.is_empty()) {
        push(segment);
        let mut start = 0;
        let mut previous: Option<bool> = None;
        for (i, c) in segment.char_indices() {
            let digit = c.is_numeric();
            if previous.is_some_and(|p| p != digit) {
                push(&segment[start..i]);
                start = i;
            }
            previous = Some(digit);
        }
        if start > 0 {
            push(&segment[start..]);
        }
    }
    out
}

/// Every search term of a text, in order, stemmed, stop words removed.
pub fn terms(text: &str) -> Vec<String> {
    let folded = fold(text);
    pieces(&folded)
        .into_iter()
        .flat_map(tokens_of_piece)
        .filter(|t| !STOP_WORDS.contains(&t.as_str()))
        .map(|t| stem(&t))
        .collect()
}

/// A light English stemmer: enough for `limits`, `limited` and `limiting` to
/// meet at `limit`, and `expire`, `expired`, `expiration` at `expir`.
pub fn stem(word: &str) -> String {
    if word.chars().count() <= 3 || !word.chars().all(char::is_alphabetic) {
        return word.to_owned();
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
    w
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
        let text = include_str!("../../tests/data/search-vectors.json");
        serde_json::from_str(text).unwrap()
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
