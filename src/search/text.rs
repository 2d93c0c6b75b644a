//! How text becomes search terms, for the index and for queries alike.
//! `static/search.js` implements the same rules; `tests/data/search-vectors.json`
//! holds cases both must agree on, and a test compares the two stemmers on
//! every word of the relevance catalogs.
//!
//! 1. Pieces: runs of letters, digits and the joiners `_`, `-` and `.`,
//!    trimmed of joiners; an apostrophe between two letters is dropped
//!    (`doesn't` → `doesnt`).
//! 2. Words: each piece split at its joiners, between a lowercase and an
//!    uppercase letter (`TokenExpired`), before the last capital of a run of
//!    capitals followed by lowercase (`HTTPServer` → `HTTP`, `Server`), and
//!    between letters and digits (`E0308` → `E`, `0308`). Words of one
//!    letter are dropped; numbers are kept.
//! 3. Folding: Unicode NFD with combining marks removed, then lowercase.
//! 4. Terms: on English sites, words of letters are stemmed with the
//!    Snowball English (Porter2) stemmer; other words are their folded form.
//!    Stop words stay in the sequence (phrases like "does not exist" need
//!    them) but are marked.
//!
//! A piece that is more than its one word is also a term whole
//! (`rate_limit_exceeded`, `tokenexpired`, `e0308`), folded and unstemmed,
//! so an identifier typed whole meets itself before its words.

use std::cell::RefCell;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

/// Whether `word` (folded) is too common to help a search. `static/search.js`
/// has the same list. Negations (`no`, `not`) are not stop words: an error's
/// meaning often turns on them.
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
    let bare: String = text
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect();
    bare.to_lowercase()
}

/// Stems remembered per thread: a catalog repeats its words, and stemming
/// is the larger part of indexing them. Emptied when it holds this many.
const STEM_CACHE: usize = 100_000;

/// The Snowball English stem of a folded word of letters.
pub fn stem(word: &str) -> String {
    static STEMMER: OnceLock<rust_stemmers::Stemmer> = OnceLock::new();
    thread_local! {
        static STEMS: RefCell<FxHashMap<String, String>> = RefCell::new(FxHashMap::default());
    }
    STEMS.with_borrow_mut(|stems| {
        if let Some(stem) = stems.get(word) {
            return stem.clone();
        }
        let stem = STEMMER
            .get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
            .stem(word)
            .into_owned();
        if stems.len() >= STEM_CACHE {
            stems.clear();
        }
        stems.insert(word.to_owned(), stem.clone());
        stem
    })
}

/// One word of a text, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Folded.
    pub folded: String,
    /// What is indexed and looked up: the stem on English sites (for words
    /// of letters), the folded word otherwise.
    pub term: String,
    /// A stop word: in the sequence, never a term of its own.
    pub stop: bool,
    /// The piece it comes from (an index into [`Analysis::pieces`]).
    pub piece: usize,
}

/// A run of letters, digits and joiners, and the words it was split into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The piece folded, joiners kept.
    pub whole: String,
    /// Its words: `words[first..end]` of the analysis.
    pub first: usize,
    /// One past its last word.
    pub end: usize,
}

impl Piece {
    /// Whether the piece is more than its one word (`rate_limit`,
    /// `TokenExpired`, `E0308`), so that its whole is a term of its own.
    pub fn is_compound(&self, words: &[Word]) -> bool {
        match self.end - self.first {
            0 => false,
            1 => words[self.first].folded != self.whole,
            _ => true,
        }
    }
}

/// A text as pieces and words.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// Every piece, in order (pieces that left no word included).
    pub pieces: Vec<Piece>,
    /// Every word, in order.
    pub words: Vec<Word>,
}

fn is_joiner(c: char) -> bool {
    matches!(c, '_' | '-' | '.')
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// The pieces of `text` as written: runs of word characters and joiners,
/// trimmed of joiners, apostrophes between letters dropped.
pub fn pieces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if is_word_char(c) || is_joiner(c) {
            current.push(c);
            continue;
        }
        let between_letters = is_apostrophe(c)
            && i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
        if between_letters {
            continue;
        }
        push_piece(&mut out, &mut current);
    }
    push_piece(&mut out, &mut current);
    out
}

fn push_piece(out: &mut Vec<String>, current: &mut String) {
    let trimmed = current.trim_matches(is_joiner);
    if !trimmed.is_empty() {
        out.push(trimmed.to_owned());
    }
    current.clear();
}

/// Where a segment (a piece between joiners) splits: between a lowercase
/// and an uppercase letter, before the last capital of a run of capitals
/// followed by a lowercase letter, and between letters and digits.
fn split_words(segment: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = segment.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for k in 1..chars.len() {
        let (i, c) = chars[k];
        let p = chars[k - 1].1;
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let boundary = (p.is_numeric() != c.is_numeric())
            || (p.is_lowercase() && c.is_uppercase())
            || (p.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase));
        if boundary {
            out.push(&segment[start..i]);
            start = i;
        }
    }
    out.push(&segment[start..]);
    out
}

/// Whether a folded word is kept: two characters or more, or a number.
fn keep_word(folded: &str) -> bool {
    folded.chars().nth(1).is_some() || folded.chars().all(char::is_numeric)
}

/// The term of a folded word.
pub fn term_of(folded: &str, english: bool) -> String {
    if english && folded.chars().all(char::is_alphabetic) {
        stem(folded)
    } else {
        folded.to_owned()
    }
}

/// Splits `text` into pieces and words (see the module documentation).
pub fn analyze(text: &str, english: bool) -> Analysis {
    let mut analysis = Analysis::default();
    for raw in pieces(text) {
        let index = analysis.pieces.len();
        let first = analysis.words.len();
        for segment in raw.split(is_joiner).filter(|s| !s.is_empty()) {
            for word in split_words(segment) {
                let folded = fold(word);
                if !keep_word(&folded) {
                    continue;
                }
                analysis.words.push(Word {
                    term: term_of(&folded, english),
                    stop: is_stop_word(&folded),
                    folded,
                    piece: index,
                });
            }
        }
        analysis.pieces.push(Piece {
            whole: fold(&raw),
            first,
            end: analysis.words.len(),
        });
    }
    analysis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Vectors {
        fold: Vec<(String, String)>,
        terms: Vec<(String, Vec<String>)>,
    }

    fn vectors() -> Vectors {
        let text = include_str!("../../tests/data/search-vectors.json");
        serde_json::from_str(text).unwrap()
    }

    /// The terms of a text as the vectors list them: each non-stop word's
    /// term, and after the words of a compound piece, its whole.
    pub(crate) fn terms(text: &str) -> Vec<String> {
        let a = analyze(text, true);
        let mut out = Vec::new();
        for piece in &a.pieces {
            for word in &a.words[piece.first..piece.end] {
                if !word.stop {
                    out.push(word.term.clone());
                }
            }
            if piece.is_compound(&a.words) {
                out.push(piece.whole.clone());
            }
        }
        out
    }

    #[test]
    fn identifiers_split_at_case_joiners_and_digits() {
        let words = |text: &str| -> Vec<String> {
            analyze(text, false)
                .words
                .into_iter()
                .map(|w| w.folded)
                .collect()
        };
        assert_eq!(words("TokenExpired"), ["token", "expired"]);
        assert_eq!(words("HTTPServerError"), ["http", "server", "error"]);
        assert_eq!(
            words("rate_limit-exceeded.v2"),
            ["rate", "limit", "exceeded", "2"]
        );
        assert_eq!(words("E0308"), ["0308"]);
        assert_eq!(words("doesn't exist"), ["doesnt", "exist"]);
        assert_eq!(
            words("getHTTPResponse2xx"),
            ["get", "http", "response", "2", "xx"]
        );
        let a = analyze("error[E0502]: (CardDeclined)", true);
        let wholes: Vec<&str> = a.pieces.iter().map(|p| p.whole.as_str()).collect();
        assert_eq!(wholes, ["error", "e0502", "carddeclined"]);
    }

    #[test]
    fn folding_matches_the_shared_vectors() {
        for (input, expected) in vectors().fold {
            assert_eq!(fold(&input), expected, "fold({input:?})");
        }
    }

    #[test]
    fn terms_match_the_shared_vectors() {
        for (input, expected) in vectors().terms {
            assert_eq!(terms(&input), expected, "terms({input:?})");
        }
    }

    #[test]
    fn stems_are_snowball_english() {
        for (word, stem_) in [
            ("expired", "expir"),
            ("expiry", "expiri"),
            ("limiting", "limit"),
            ("throttled", "throttl"),
            ("throttling", "throttl"),
            ("generously", "generous"),
        ] {
            assert_eq!(stem(word), stem_, "{word}");
        }
    }
}
