//! The index: every search document (an entry, or one variant of an entry),
//! field by field, as terms with postings.
//!
//! A document's fields are its codes, title, messages, tags, summary and
//! body. Each term of a document gets one posting in the term's list, with
//! a level from 0 to 7: the term's BM25F weight in the document (how often
//! it is in each field, each field boosted and normalized by its length)
//! after saturation, in eighths. A term in one of the short fields (code,
//! title, message, tags) gets a second posting, in the term's short list,
//! with a mask of those fields: ranking rewards a field that explains the
//! whole query. Adjacent words of the short fields and the summary are also
//! terms, as `word word` with a short posting only (its mask 0 when they are
//! side by side only in the summary), for the phrase bonus. Postings
//! are encoded as they are added (see [`Encoder`]): a large index stays a
//! fraction of the memory of integer lists.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::shown;
use super::text::{Analysis, analyze};
use super::thesaurus::Thesaurus;
use crate::content::entry::{Example, Solutions, Status, Steps, Variant};
use crate::content::{markdown, message};
use crate::site::{Site, SiteEntry};

/// The fields of a document, in the order of [`WEIGHTING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Its codes: an entry's code and aliases; a variant's type and its entry's code.
    Code,
    /// The title.
    Title,
    /// Each message, its placeholders left out.
    Message,
    /// Each tag.
    Tags,
    /// The summary.
    Summary,
    /// Description, causes, solutions and example titles.
    Body,
}

/// How many fields a document has.
pub const FIELDS: usize = 6;

/// The fields whose matches a short posting records, as bits of its mask:
/// code 1, title 2, message 4, tags 8.
pub const SHORT_FIELDS: usize = 4;

/// How much a field counts (`boost`) and how much its length dampens it
/// (`b`, 0 to 1), as in BM25F. A short field that names the error weighs
/// more than the body that explains it.
struct Weighting {
    boost: f64,
    b: f64,
}

const WEIGHTING: [Weighting; FIELDS] = [
    Weighting { boost: 6.0, b: 0.0 },
    Weighting { boost: 5.0, b: 0.5 },
    Weighting { boost: 5.0, b: 0.5 },
    Weighting { boost: 4.0, b: 0.3 },
    Weighting { boost: 2.5, b: 0.6 },
    Weighting {
        boost: 1.0,
        b: 0.75,
    },
];

/// BM25's saturation: how fast more occurrences stop adding.
const K1: f64 = 1.2;

/// The weight of each posting level, in percent: the middle of its eighth.
/// `static/search.js` reads it from the index.
pub const LEVELS: [u32; 8] = [6, 19, 31, 44, 56, 69, 81, 94];

/// One search document. Entries come first (an entry's document id is its
/// index), then every variant in entry order.
#[derive(Clone, Copy)]
pub enum SearchDoc<'a> {
    /// An entry.
    Entry(&'a SiteEntry),
    /// A variant of an entry.
    Variant(&'a SiteEntry, &'a Variant),
}

impl<'a> SearchDoc<'a> {
    /// The entry the document belongs to.
    pub fn entry(self) -> &'a SiteEntry {
        match self {
            SearchDoc::Entry(e) | SearchDoc::Variant(e, _) => e,
        }
    }
}

/// Every search document of `site`, in document order.
pub fn search_docs(site: &Site) -> Vec<SearchDoc<'_>> {
    let mut docs: Vec<SearchDoc<'_>> = site.entries.iter().map(SearchDoc::Entry).collect();
    for e in &site.entries {
        for v in e.entry.variants() {
            docs.push(SearchDoc::Variant(e, v));
        }
    }
    docs
}

/// Whether a document is found by its exact code only.
pub fn is_removed(doc: SearchDoc<'_>) -> bool {
    doc.entry().entry.status() == Status::Removed
}

/// The plain text of steps, one text per step.
fn steps_texts(out: &mut Vec<String>, causes: Option<&Steps>, solutions: Option<&Solutions>) {
    let groups = solutions.map(|s| s.groups()).unwrap_or_default();
    for list in causes.into_iter().chain(groups.into_iter().map(|(_, s)| s)) {
        for step in list.walk() {
            out.push(markdown::plain_text_unspaced(&step.text.value));
        }
    }
}

/// A document's messages: its `messages` (placeholders left out), then
/// those its description and examples quote in code ([`shown`]).
fn messages_of(
    list: Option<
        &crate::diagnostics::span::Spanned<Vec<crate::diagnostics::span::Spanned<String>>>,
    >,
    description: Option<&crate::diagnostics::span::Spanned<String>>,
    examples: &[Example],
) -> Vec<String> {
    let mut messages: Vec<String> = list
        .iter()
        .flat_map(|l| &l.value)
        .map(|m| message::literal_text(&m.value))
        .collect();
    if let Some(d) = description {
        shown::in_markdown(&d.value, &mut messages);
    }
    for example in examples {
        shown::in_code(&example.body.value, &mut messages);
    }
    messages
}

/// The texts of each field of a document.
fn field_texts(doc: SearchDoc<'_>) -> [Vec<String>; FIELDS] {
    let mut fields: [Vec<String>; FIELDS] = Default::default();
    match doc {
        SearchDoc::Entry(e) => {
            let entry = &e.entry;
            fields[Field::Code as usize] = std::iter::once(&e.code)
                .chain(&e.aliases)
                .cloned()
                .collect();
            fields[Field::Title as usize].push(e.title().to_owned());
            fields[Field::Message as usize] = messages_of(
                entry.messages.as_ref(),
                entry.description.as_ref(),
                entry.examples.as_ref().map_or(&[], |x| &x.value),
            );
            fields[Field::Tags as usize] = entry
                .tags
                .iter()
                .flat_map(|t| &t.value)
                .map(|t| t.value.clone())
                .collect();
            fields[Field::Summary as usize].push(entry.summary.value.clone());
            let body = &mut fields[Field::Body as usize];
            if let Some(d) = &entry.description {
                body.push(markdown::plain_text_unspaced(&d.value));
            }
            steps_texts(
                body,
                entry.causes.as_ref().map(|c| &c.value),
                entry.solutions.as_ref().map(|s| &s.value),
            );
            for example in entry.examples.iter().flat_map(|x| &x.value) {
                if let Some(title) = &example.title {
                    body.push(title.value.clone());
                }
            }
        }
        SearchDoc::Variant(e, v) => {
            fields[Field::Code as usize] = vec![v.kind.value.clone(), e.code.clone()];
            fields[Field::Title as usize].push(v.title.value.clone());
            fields[Field::Message as usize] =
                messages_of(v.messages.as_ref(), v.description.as_ref(), &[]);
            fields[Field::Summary as usize].push(v.summary.value.clone());
            let body = &mut fields[Field::Body as usize];
            if let Some(d) = &v.description {
                body.push(markdown::plain_text_unspaced(&d.value));
            }
            steps_texts(
                body,
                v.causes.as_ref().map(|c| &c.value),
                v.solutions.as_ref().map(|s| &s.value),
            );
        }
    }
    fields
}

/// The length of each field of a document in bytes of its source, which
/// normalizes term weights; the messages' length is that of their texts
/// (`texts`), as some come from the entry's code.
fn field_lengths(doc: SearchDoc<'_>, texts: &[Vec<String>; FIELDS]) -> [u32; FIELDS] {
    fn steps_len(causes: Option<&Steps>, solutions: Option<&Solutions>) -> usize {
        let groups = solutions.map(|s| s.groups()).unwrap_or_default();
        causes
            .into_iter()
            .chain(groups.into_iter().map(|(_, s)| s))
            .flat_map(|list| list.walk())
            .map(|step| step.text.value.len())
            .sum()
    }
    let list_len = |l: Option<
        &crate::diagnostics::span::Spanned<Vec<crate::diagnostics::span::Spanned<String>>>,
    >| {
        l.iter()
            .flat_map(|l| &l.value)
            .map(|m| m.value.len())
            .sum::<usize>()
    };
    let messages = texts[Field::Message as usize]
        .iter()
        .map(String::len)
        .sum::<usize>();
    let lengths = match doc {
        SearchDoc::Entry(e) => {
            let entry = &e.entry;
            [
                e.code.len() + e.aliases.iter().map(String::len).sum::<usize>(),
                e.title().len(),
                messages,
                list_len(entry.tags.as_ref()),
                entry.summary.value.len(),
                entry.description.as_ref().map_or(0, |d| d.value.len())
                    + steps_len(
                        entry.causes.as_ref().map(|c| &c.value),
                        entry.solutions.as_ref().map(|s| &s.value),
                    ),
            ]
        }
        SearchDoc::Variant(e, v) => [
            v.kind.value.len() + e.code.len(),
            v.title.value.len(),
            messages,
            0,
            v.summary.value.len(),
            v.description.as_ref().map_or(0, |d| d.value.len())
                + steps_len(
                    v.causes.as_ref().map(|c| &c.value),
                    v.solutions.as_ref().map(|s| &s.value),
                ),
        ],
    };
    lengths.map(|l| u32::try_from(l).unwrap_or(u32::MAX))
}

/// The average length of each field over the documents that have it.
#[derive(Debug, Clone, Copy)]
pub struct Norms([f64; FIELDS]);

impl Norms {
    /// The norms of documents whose field lengths are `lengths`.
    pub fn of_lengths(lengths: &[[u32; FIELDS]]) -> Self {
        let (sums, counts) = lengths
            .par_iter()
            .map(|lengths| {
                (
                    lengths.map(f64::from),
                    lengths.map(|l| f64::from(u8::from(l > 0))),
                )
            })
            .reduce(
                || ([0.0; FIELDS], [0.0; FIELDS]),
                |(a, b), (c, d)| {
                    (
                        std::array::from_fn(|i| a[i] + c[i]),
                        std::array::from_fn(|i| b[i] + d[i]),
                    )
                },
            );
        Norms(std::array::from_fn(|i| {
            if counts[i] > 0.0 {
                sums[i] / counts[i]
            } else {
                1.0
            }
        }))
    }
}

/// What one document holds, before weighing: each term's count in each
/// field, the bigrams of its titles and messages, its field lengths, and
/// how many distinct terms its title and its shortest message have.
#[derive(Debug, Clone, Default)]
pub struct DocStats {
    /// Each term and its count in each field.
    pub(super) terms: Vec<(String, [u16; FIELDS])>,
    /// Each bigram and its short-field mask.
    pub(super) bigrams: Vec<(String, u8)>,
    /// Each field's length (see [`field_lengths`]).
    pub(super) lengths: [u32; FIELDS],
    /// Distinct terms of the title.
    pub title_len: u8,
    /// Distinct terms of the shortest message (0: no message).
    pub message_len: u8,
}

/// Counts distinct terms, capped where the index stores them (one character).
fn distinct(terms: &[&str]) -> u8 {
    let mut sorted = terms.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.len().min(63) as u8
}

/// The terms of one analyzed text: non-stop words, whole compounds and concepts.
fn each_term(a: &Analysis, thesaurus: &Thesaurus, mut f: impl FnMut(&str)) {
    for piece in &a.pieces {
        for word in &a.words[piece.first..piece.end] {
            if !word.stop {
                f(&word.term);
            }
        }
        if piece.is_compound(&a.words) {
            f(&piece.whole);
        }
    }
    for (_, _, group) in thesaurus.find(&a.words) {
        f(&thesaurus.groups[group].0);
    }
}

/// The bigrams of an analyzed text: each word with the next, stop words left out.
pub fn bigrams(a: &Analysis) -> Vec<String> {
    let words: Vec<&str> = a
        .words
        .iter()
        .filter(|w| !w.stop)
        .map(|w| &*w.term)
        .collect();
    words
        .windows(2)
        .map(|w| {
            let mut bigram = String::with_capacity(w[0].len() + 1 + w[1].len());
            bigram.push_str(w[0]);
            bigram.push(' ');
            bigram.push_str(w[1]);
            bigram
        })
        .collect()
}

/// The stats of one document.
pub fn doc_stats(doc: SearchDoc<'_>, english: bool, thesaurus: &Thesaurus) -> DocStats {
    let texts = field_texts(doc);
    let mut counts: FxHashMap<String, [u16; FIELDS]> = FxHashMap::default();
    let mut bigram_masks: FxHashMap<String, u8> = FxHashMap::default();
    let mut title_len = 0;
    let mut message_len: Option<u8> = None;
    for (field, list) in texts.iter().enumerate() {
        for text in list {
            let a = analyze(text, english);
            each_term(&a, thesaurus, |term| {
                // Looked up before it is copied: most terms repeat.
                let count = match counts.get_mut(term) {
                    Some(count) => count,
                    None => counts.entry(term.to_owned()).or_default(),
                };
                count[field] = count[field].saturating_add(1);
            });
            let own: Vec<&str> = a
                .words
                .iter()
                .filter(|w| !w.stop)
                .map(|w| &*w.term)
                .collect();
            if field == Field::Title as usize {
                title_len = distinct(&own);
            }
            if field == Field::Message as usize && !own.is_empty() {
                let n = distinct(&own);
                message_len = Some(message_len.map_or(n, |m| m.min(n)));
            }
            // Words side by side count in the short fields and the
            // summary; the body's pairs would be most of the index.
            if field == Field::Body as usize {
                continue;
            }
            let bit = if field < SHORT_FIELDS { 1 << field } else { 0 };
            for bigram in bigrams(&a) {
                *bigram_masks.entry(bigram).or_default() |= bit;
            }
        }
    }
    // In the maps' order: each term gets one posting per document, so the
    // order they are added in changes nothing.
    DocStats {
        terms: counts.into_iter().collect(),
        bigrams: bigram_masks.into_iter().collect(),
        lengths: field_lengths(doc, &texts),
        title_len,
        message_len: message_len.unwrap_or(0),
    }
}

/// The stats of an entry's document, then of each of its variants'.
pub fn entry_stats(e: &SiteEntry, english: bool, thesaurus: &Thesaurus) -> Vec<DocStats> {
    std::iter::once(SearchDoc::Entry(e))
        .chain(e.entry.variants().iter().map(|v| SearchDoc::Variant(e, v)))
        .map(|doc| doc_stats(doc, english, thesaurus))
        .collect()
}

/// A term's posting level (0–7) and short-field mask in a document.
pub(super) fn weigh(counts: &[u16; FIELDS], lengths: &[u32; FIELDS], norms: &Norms) -> (u32, u32) {
    let mut weight = 0.0;
    let mut mask = 0;
    for (f, w) in WEIGHTING.iter().enumerate() {
        if counts[f] == 0 {
            continue;
        }
        let length = 1.0 - w.b + w.b * f64::from(lengths[f]) / norms.0[f];
        weight += w.boost * f64::from(counts[f]) / length.max(0.1);
        if f < SHORT_FIELDS {
            mask |= 1 << f;
        }
    }
    let saturated = weight / (K1 + weight);
    ((saturated * 8.0).floor().clamp(0.0, 7.0) as u32, mask)
}

/// The alphabet of encoded postings: 64 characters that need no escaping in JSON.
pub const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The value of a character of [`ALPHABET`].
pub fn digit_of(b: u8) -> u32 {
    u32::from(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'-' => 62,
        _ => 63,
    })
}

/// Postings as text: each `(doc, payload)` as the gap from the previous
/// document shifted left by `bits`, or'd with the payload, written as a
/// varint of 5 bits a character, the sixth bit set on all but the last.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Encoder {
    /// The encoded postings.
    pub text: String,
    last: u32,
}

impl Encoder {
    fn write(&mut self, mut value: u32) {
        loop {
            let low = value & 31;
            value >>= 5;
            if value == 0 {
                self.text.push(ALPHABET[low as usize] as char);
                break;
            }
            self.text.push(ALPHABET[(low | 32) as usize] as char);
        }
    }

    /// Adds a posting; documents come in ascending order.
    pub fn push(&mut self, doc: u32, payload: u32, bits: u32) {
        self.write(((doc - self.last) << bits) | payload);
        self.last = doc;
    }
}

/// Decodes postings written with `bits` of payload: `[doc, payload, ...]`.
pub fn decode(text: &str, bits: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(text.len());
    let (mut value, mut shift, mut doc) = (0u32, 0, 0u32);
    for b in text.bytes() {
        let digit = digit_of(b);
        value |= (digit & 31) << shift;
        shift += 5;
        if digit < 32 {
            doc += value >> bits;
            out.push(doc);
            out.push(value & ((1 << bits) - 1));
            value = 0;
            shift = 0;
        }
    }
    out
}

/// Payload bits of the two lists.
pub const ALL_BITS: u32 = 3;
/// Payload bits of short lists.
pub const SHORT_BITS: u32 = 4;

/// A term's two posting lists.
#[derive(Debug, Default, Clone)]
pub struct TermPostings {
    /// Every document with the term, and its level.
    pub all: Encoder,
    /// The documents with the term in a short field, and the fields' mask.
    pub short: Encoder,
}

/// Everything the index holds besides the text of its documents' cards.
pub struct Built {
    /// Term → postings, terms sorted.
    pub terms: Vec<(String, TermPostings)>,
    /// Each document's title length in terms.
    pub title_lens: Vec<u8>,
    /// Each document's shortest message length in terms.
    pub message_lens: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip() {
        let mut a = Encoder::default();
        for (doc, level) in [(3, 7), (4, 0), (1000, 2), (123_456, 5)] {
            a.push(doc, level, ALL_BITS);
        }
        assert!(a.text.bytes().all(|c| ALPHABET.contains(&c)));
        assert_eq!(decode(&a.text, ALL_BITS), [3, 7, 4, 0, 1000, 2, 123_456, 5]);
        let mut s = Encoder::default();
        s.push(2, 9, SHORT_BITS);
        assert_eq!(decode(&s.text, SHORT_BITS), [2, 9]);
    }

    #[test]
    fn a_title_word_outweighs_a_body_word() {
        let norms = Norms([10.0, 20.0, 40.0, 10.0, 80.0, 800.0]);
        let lengths = [5, 20, 0, 0, 80, 800];
        let mut title = [0; FIELDS];
        title[Field::Title as usize] = 1;
        let mut body = [0; FIELDS];
        body[Field::Body as usize] = 1;
        let (t, tm) = weigh(&title, &lengths, &norms);
        let (b, bm) = weigh(&body, &lengths, &norms);
        assert!(t > b, "{t} {b}");
        assert_eq!((tm, bm), (2, 0));
    }
}
