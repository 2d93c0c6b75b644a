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

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

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

/// The Snowball English stem of a folded word of letters.
pub fn stem(word: &str) -> String {
    static STEMMER: OnceLock<rust_stemmers::Stemmer> = OnceLock::new();
    STEMMER
        .get_or_init(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English))
        .stem(word)
        .into_owned()
}

/// What a word as written becomes.
#[derive(Debug, Clone)]
struct Known {
    folded: Arc<str>,
    term: Arc<str>,
    stop: bool,
    keep: bool,
}

/// Words remembered per thread: a catalog repeats its words, and folding
/// and stemming them is most of indexing. Emptied when it holds this many.
const WORD_CACHE: usize = 100_000;

/// What `word` becomes, from the thread's memory when it met it before.
fn known(word: &str, english: bool) -> Known {
    thread_local! {
        static WORDS: RefCell<[FxHashMap<Box<str>, Known>; 2]> = RefCell::default();
    }
    WORDS.with_borrow_mut(|maps| {
        let map = &mut maps[usize::from(english)];
        if let Some(known) = map.get(word) {
            return known.clone();
        }
        let folded = fold(word);
        let known = Known {
            keep: keep_word(&folded),
            stop: is_stop_word(&folded),
            term: term_of(&folded, english).into(),
            folded: folded.into(),
        };
        if map.len() >= WORD_CACHE {
            map.clear();
        }
        map.insert(word.into(), known.clone());
        known
    })
}

/// One word of a text, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Folded.
    pub folded: Arc<str>,
    /// What is indexed and looked up: the stem on English sites (for words
    /// of letters), the folded word otherwise.
    pub term: Arc<str>,
    /// A stop word: in the sequence, never a term of its own.
    pub stop: bool,
    /// The piece it comes from (an index into [`Analysis::pieces`]).
    pub piece: usize,
}

/// A run of letters, digits and joiners, and the words it was split into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The piece folded, joiners kept.
    pub whole: Arc<str>,
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
            1 => *words[self.first].folded != *self.whole,
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
/// trimmed of joiners, apostrophes between letters dropped. A piece is a
/// slice of `text` unless an apostrophe was dropped from it.
pub fn pieces(text: &str) -> Vec<Cow<'_, str>> {
    // About one piece for every seven bytes of prose.
    let mut out = Vec::with_capacity(text.len() / 7 + 1);
    // Where the current piece starts, and the piece so far once an
    // apostrophe was dropped from it.
    let mut start: Option<usize> = None;
    let mut owned: Option<String> = None;
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_word_char(c) || is_joiner(c) {
            start.get_or_insert(i);
            if let Some(piece) = owned.as_mut() {
                piece.push(c);
            }
        } else if is_apostrophe(c)
            && previous.is_some_and(char::is_alphabetic)
            && chars.peek().is_some_and(|&(_, n)| n.is_alphabetic())
        {
            // The letter before it began the piece.
            owned.get_or_insert_with(|| text[start.unwrap_or(i)..i].to_owned());
        } else {
            push_piece(&mut out, text, start.take(), i, owned.take());
        }
        previous = Some(c);
    }
    push_piece(&mut out, text, start.take(), text.len(), owned.take());
    out
}

/// Ends the piece that began at `start` (or was copied into `owned`) at `end`.
fn push_piece<'t>(
    out: &mut Vec<Cow<'t, str>>,
    text: &'t str,
    start: Option<usize>,
    end: usize,
    owned: Option<String>,
) {
    match (owned, start) {
        (Some(piece), _) => {
            let trimmed = piece.trim_matches(is_joiner);
            if !trimmed.is_empty() {
                out.push(Cow::Owned(trimmed.to_owned()));
            }
        }
        (None, Some(start)) => {
            let trimmed = text[start..end].trim_matches(is_joiner);
            if !trimmed.is_empty() {
                out.push(Cow::Borrowed(trimmed));
            }
        }
        (None, None) => {}
    }
}

/// Where a segment (a piece between joiners) splits: between a lowercase
/// and an uppercase letter, before the last capital of a run of capitals
/// followed by a lowercase letter, and between letters and digits. Each
/// word goes to `word`.
fn split_words<'s>(segment: &'s str, mut word: impl FnMut(&'s str)) {
    let mut chars = segment.char_indices();
    let Some((_, mut p)) = chars.next() else {
        return;
    };
    let mut start = 0;
    let mut current = chars.next();
    while let Some((i, c)) = current {
        let next = chars.next();
        let n = next.map(|(_, n)| n);
        let boundary = (p.is_numeric() != c.is_numeric())
            || (p.is_lowercase() && c.is_uppercase())
            || (p.is_uppercase() && c.is_uppercase() && n.is_some_and(char::is_lowercase));
        if boundary {
            word(&segment[start..i]);
            start = i;
        }
        p = c;
        current = next;
    }
    word(&segment[start..]);
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
    let pieces = pieces(text);
    let mut analysis = Analysis {
        pieces: Vec::with_capacity(pieces.len()),
        words: Vec::with_capacity(pieces.len() + pieces.len() / 4),
    };
    for raw in pieces {
        let index = analysis.pieces.len();
        let first = analysis.words.len();
        for segment in raw.split(is_joiner).filter(|s| !s.is_empty()) {
            split_words(segment, |word| {
                let known = known(word, english);
                if known.keep {
                    analysis.words.push(Word {
                        term: known.term,
                        stop: known.stop,
                        folded: known.folded,
                        piece: index,
                    });
                }
            });
        }
        let end = analysis.words.len();
        // A piece of one word is most often that word, folded: no copy.
        let whole = match &analysis.words[first..end] {
            [only] if raw.is_ascii() && raw.eq_ignore_ascii_case(&only.folded) => {
                Arc::clone(&only.folded)
            }
            _ => fold(&raw).into(),
        };
        analysis.pieces.push(Piece { whole, first, end });
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
                    out.push(word.term.to_string());
                }
            }
            if piece.is_compound(&a.words) {
                out.push(piece.whole.to_string());
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
                .map(|w| w.folded.to_string())
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
        let wholes: Vec<&str> = a.pieces.iter().map(|p| &*p.whole).collect();
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
