//! Every document's stats, kept from one build to the next.
//!
//! Analyzing the text of the documents is most of what an index costs. A
//! document's stats depend only on its entry file (every field, code and
//! alias of a document comes from it) and on how text is analyzed (errdex's
//! version, the language, the synonyms). A [`Store`] holds the stats of
//! each entry file by the digest of its text, terms as numbers in one
//! dictionary; [`Store::index`] analyzes only the files it does not hold.
//! `build` keeps the store in a file beside the output ([`Store::to_bytes`],
//! [`Store::from_bytes`]); `serve` keeps one in memory between rebuilds.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::Index;
use super::index::{self, ALL_BITS, Built, DocStats, FIELDS, Norms, SHORT_BITS, TermPostings};
use super::text::analyze;
use super::thesaurus::Thesaurus;
use crate::bytes::Reader;
use crate::site::{Site, SiteEntry};

/// The first bytes of a store's file; the number is its format.
const MAGIC: &[u8] = b"errdex search stats 2\n";

/// Entry files analyzed at a time: stats as text take several times the
/// memory of their records.
const WINDOW: usize = 1024;

/// The stats of the entry files of a site, and of those of its earlier
/// versions that are still in it.
#[derive(Debug, Default)]
pub struct Store {
    /// What the stats were made with (see [`analysis`]).
    analysis: u128,
    /// Terms by number.
    terms: Vec<Arc<str>>,
    /// Numbers by term.
    ids: FxHashMap<Arc<str>, u32>,
    /// By the digest of an entry file: its entry's record, then each variant's.
    files: FxHashMap<u128, Vec<Record>>,
    /// Whether the files held changed since the store was made or read.
    changed: bool,
}

/// One document's stats, its terms by number: see [`Record::encode`].
#[derive(Debug, Clone)]
struct Record {
    title_len: u8,
    message_len: u8,
    lengths: [u32; FIELDS],
    data: Box<[u8]>,
}

/// The source of the rules that make a document's stats from its entry: a
/// change to any of them (between builds of one version, as in
/// development) makes other stats.
const RULES: [&str; 6] = [
    include_str!("index.rs"),
    include_str!("shown.rs"),
    include_str!("text.rs"),
    include_str!("thesaurus.rs"),
    include_str!("../content/markdown.rs"),
    include_str!("../content/message.rs"),
];

/// A fingerprint of how text is analyzed: errdex's version, the source of
/// its rules, the language, the thesaurus (built in and the site's
/// synonyms), and the terms of a sample that goes through splitting,
/// stemming (a dependency), the thesaurus and noise. Stats made under
/// another fingerprint are dropped, not trusted.
fn analysis(english: bool, thesaurus: &Thesaurus) -> u128 {
    const SAMPLE: &str = "TokenExpired: rate_limit_exceeded for billing.CardDeclined \
        (HTTP/1.1 429, status=503) - the requests were throttled; couldn't connect, \
        files not found at /var/tmp/a.txt 0x7ffd3a 550e8400-e29b-41d4-a716-446655440000 \
        intialisation recieve Überprüfung naïve";
    let mut text = format!("{}\n{english}\n", env!("CARGO_PKG_VERSION"));
    for rules in RULES {
        text.push_str(rules);
    }
    for (term, phrases) in &thesaurus.groups {
        text.push_str(term);
        for phrase in phrases {
            text.push('\t');
            text.push_str(&phrase.join(" "));
        }
        text.push('\n');
    }
    let sample = analyze(SAMPLE, english);
    for word in &sample.words {
        text.push_str(&word.term);
        text.push(if word.stop { '-' } else { ' ' });
    }
    for piece in &sample.pieces {
        text.push_str(&piece.whole);
        text.push('|');
    }
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

impl Store {
    /// The index of `site`, analyzing only the entry files the store does
    /// not hold; the store then holds those of `site` and no others.
    pub fn index(&mut self, site: &Site) -> Index {
        let english = site.config.is_english();
        let thesaurus = Thesaurus::new(english, &site.config.synonyms());
        let analysis = analysis(english, &thesaurus);
        if self.analysis != analysis {
            *self = Store {
                analysis,
                changed: true,
                ..Store::default()
            };
        }
        self.analyze_missing(site, english, &thesaurus);
        let present: FxHashSet<u128> = site.entries.iter().map(|e| e.source.digest).collect();
        let held = self.files.len();
        self.files.retain(|digest, _| present.contains(digest));
        self.changed |= self.files.len() != held;
        let docs = index::search_docs(site);
        let built = self.build(site, &docs);
        // Terms of files gone stay numbered until the dictionary is mostly
        // theirs (`serve` keeps a store for hours): then it is made again.
        if self.terms.len() > 2 * built.terms.len() + 4096 {
            let changed = self.changed;
            *self = Store::from_bytes(&self.to_bytes()).unwrap_or_default();
            self.changed = changed;
        }
        Index::assemble(site, &docs, thesaurus, built)
    }

    fn analyze_missing(&mut self, site: &Site, english: bool, thesaurus: &Thesaurus) {
        let mut seen = FxHashSet::default();
        // A file held with another number of documents than its entry has
        // is analyzed again: the records would not line up with the documents.
        let missing: Vec<&SiteEntry> = site
            .entries
            .iter()
            .filter(|e| {
                let held = self.files.get(&e.source.digest).map(Vec::len);
                held != Some(1 + e.entry.variants().len()) && seen.insert(e.source.digest)
            })
            .collect();
        for window in missing.chunks(WINDOW) {
            let analyzed: Vec<(u128, Vec<DocStats>)> = window
                .par_iter()
                .map(|e| (e.source.digest, index::entry_stats(e, english, thesaurus)))
                .collect();
            for (digest, stats) in analyzed {
                let records = stats.iter().map(|s| self.record(s)).collect();
                self.files.insert(digest, records);
                self.changed = true;
            }
        }
    }

    /// The number of `term`, given one if it has none.
    fn id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = u32::try_from(self.terms.len()).expect("fewer than 2^32 terms");
        let term: Arc<str> = Arc::from(term);
        self.terms.push(Arc::clone(&term));
        self.ids.insert(term, id);
        id
    }

    fn record(&mut self, stats: &DocStats) -> Record {
        let terms: Vec<(u32, [u16; FIELDS])> = stats
            .terms
            .iter()
            .map(|(term, counts)| (self.id(term), *counts))
            .collect();
        let bigrams: Vec<(u32, u8)> = stats
            .bigrams
            .iter()
            .map(|(bigram, mask)| (self.id(bigram), *mask))
            .collect();
        Record {
            title_len: stats.title_len,
            message_len: stats.message_len,
            lengths: stats.lengths,
            data: Record::encode(&terms, &bigrams),
        }
    }

    /// The postings of `docs` (the site's documents in order) from the records.
    fn build(&self, site: &Site, docs: &[index::SearchDoc<'_>]) -> Built {
        let records = self.records_in_order(site);
        // Every entry's file is held with as many records as it has
        // documents (`analyze_missing`), so the two line up.
        assert_eq!(records.len(), docs.len(), "a record for every document");
        let lengths: Vec<[u32; FIELDS]> = records.iter().map(|r| r.lengths).collect();
        let norms = Norms::of_lengths(&lengths);
        let mut postings = vec![TermPostings::default(); self.terms.len()];
        for (doc, record) in records.iter().enumerate() {
            let (doc, lengths) = (doc as u32, &record.lengths);
            let decoded = record.decode(self.terms.len(), |item| match item {
                Item::Term(id, counts) => {
                    let (level, mask) = index::weigh(&counts, lengths, &norms);
                    let list = &mut postings[id as usize];
                    list.all.push(doc, level, ALL_BITS);
                    if mask != 0 {
                        list.short.push(doc, mask, SHORT_BITS);
                    }
                }
                Item::Bigram(id, mask) => {
                    postings[id as usize]
                        .short
                        .push(doc, u32::from(mask), SHORT_BITS);
                }
            });
            // Records are made here or checked when read.
            debug_assert!(decoded.is_some(), "a record that does not decode");
        }
        let mut terms: Vec<(String, TermPostings)> = postings
            .into_iter()
            .zip(&self.terms)
            .filter(|(list, _)| !list.all.text.is_empty() || !list.short.text.is_empty())
            .map(|(list, term)| (term.to_string(), list))
            .collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Built {
            terms,
            title_lens: records.iter().map(|r| r.title_len).collect(),
            message_lens: records.iter().map(|r| r.message_len).collect(),
        }
    }

    /// The record of every document of `site`, in document order: each
    /// entry's, then each entry's variants'.
    fn records_in_order(&self, site: &Site) -> Vec<&Record> {
        let of = |e: &SiteEntry| {
            self.files
                .get(&e.source.digest)
                .map_or(&[][..], Vec::as_slice)
        };
        let entries = site.entries.iter().filter_map(|e| of(e).first());
        let variants = site.entries.iter().flat_map(|e| of(e).iter().skip(1));
        entries.chain(variants).collect()
    }

    /// Whether the store holds other files than when it was made or read.
    pub fn is_changed(&self) -> bool {
        self.changed
    }

    /// The store as a file: its terms sorted, numbered again from 0 (those
    /// no record uses are left out), its files by digest. The same store
    /// gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut used = vec![false; self.terms.len()];
        for record in self.files.values().flatten() {
            record.decode(self.terms.len(), |item| match item {
                Item::Term(id, _) | Item::Bigram(id, _) => used[id as usize] = true,
            });
        }
        let mut kept: Vec<u32> = (0..self.terms.len() as u32)
            .filter(|&id| used[id as usize])
            .collect();
        kept.sort_unstable_by(|&a, &b| self.terms[a as usize].cmp(&self.terms[b as usize]));
        let mut renumbered = vec![0u32; self.terms.len()];
        for (new, &old) in kept.iter().enumerate() {
            renumbered[old as usize] = new as u32;
        }
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&self.analysis.to_le_bytes());
        put(&mut out, kept.len() as u64);
        for &id in &kept {
            let term = self.terms[id as usize].as_bytes();
            put(&mut out, term.len() as u64);
            out.extend_from_slice(term);
        }
        let mut digests: Vec<&u128> = self.files.keys().collect();
        digests.sort_unstable();
        put(&mut out, digests.len() as u64);
        for digest in digests {
            let records = &self.files[digest];
            out.extend_from_slice(&digest.to_le_bytes());
            put(&mut out, records.len() as u64);
            for record in records {
                let (mut terms, mut bigrams) = (Vec::new(), Vec::new());
                record.decode(self.terms.len(), |item| match item {
                    Item::Term(id, counts) => terms.push((renumbered[id as usize], counts)),
                    Item::Bigram(id, mask) => bigrams.push((renumbered[id as usize], mask)),
                });
                let data = Record::encode(&terms, &bigrams);
                out.push(record.title_len);
                out.push(record.message_len);
                for length in record.lengths {
                    put(&mut out, u64::from(length));
                }
                put(&mut out, data.len() as u64);
                out.extend_from_slice(&data);
            }
        }
        out
    }

    /// The store in `bytes` ([`Store::to_bytes`]); none when they are not
    /// one whole, every record checked.
    pub fn from_bytes(bytes: &[u8]) -> Option<Store> {
        let mut reader = Reader::new(bytes);
        reader.take(MAGIC.len()).filter(|magic| *magic == MAGIC)?;
        let analysis = reader.u128_le()?;
        let count = reader.varint_count(1)?;
        // Nothing is reserved ahead: what a damaged count claims is never allocated.
        let mut store = Store {
            analysis,
            ..Store::default()
        };
        for id in 0..count {
            let len = reader.varint_count(1)?;
            let term: Arc<str> = Arc::from(std::str::from_utf8(reader.take(len)?).ok()?);
            store.terms.push(Arc::clone(&term));
            if store.ids.insert(term, u32::try_from(id).ok()?).is_some() {
                return None;
            }
        }
        for _ in 0..reader.varint_count(17)? {
            let digest = reader.u128_le()?;
            let docs = reader.varint_count(2 + FIELDS + 1)?;
            let mut records = Vec::with_capacity(docs);
            for _ in 0..docs {
                let title_len = reader.byte()?;
                let message_len = reader.byte()?;
                let mut lengths = [0u32; FIELDS];
                for length in &mut lengths {
                    *length = u32::try_from(reader.varint()?).ok()?;
                }
                let len = reader.varint_count(1)?;
                let record = Record {
                    title_len,
                    message_len,
                    lengths,
                    data: reader.take(len)?.into(),
                };
                record.decode(store.terms.len(), |_| ())?;
                records.push(record);
            }
            if docs == 0 || store.files.insert(digest, records).is_some() {
                return None;
            }
        }
        reader.is_done().then_some(store)
    }
}

/// One item of a record.
enum Item {
    /// A term's number and its count in each field.
    Term(u32, [u16; FIELDS]),
    /// A bigram's number and its short-field mask.
    Bigram(u32, u8),
}

impl Record {
    /// The count of terms, then each term's number, a byte with a bit for
    /// each field it is in and its count in each of those; the count of
    /// bigrams, then each one's number and mask. Numbers are varints.
    fn encode(terms: &[(u32, [u16; FIELDS])], bigrams: &[(u32, u8)]) -> Box<[u8]> {
        let mut out = Vec::with_capacity(4 * terms.len() + 3 * bigrams.len() + 4);
        put(&mut out, terms.len() as u64);
        for (id, counts) in terms {
            put(&mut out, u64::from(*id));
            let fields = counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .fold(0u8, |bits, (f, _)| bits | 1 << f);
            out.push(fields);
            for count in counts.iter().filter(|c| **c > 0) {
                put(&mut out, u64::from(*count));
            }
        }
        put(&mut out, bigrams.len() as u64);
        for (id, mask) in bigrams {
            put(&mut out, u64::from(*id));
            out.push(*mask);
        }
        out.into_boxed_slice()
    }

    /// Hands each item to `f`; none when the record is malformed or names
    /// a term beyond `terms` (`f` may have seen some items by then).
    fn decode(&self, terms: usize, mut f: impl FnMut(Item)) -> Option<()> {
        let mut reader = Reader::new(&self.data);
        let id = |reader: &mut Reader<'_>| {
            u32::try_from(reader.varint()?)
                .ok()
                .filter(|&id| (id as usize) < terms)
        };
        for _ in 0..reader.varint_count(2)? {
            let id = id(&mut reader)?;
            let fields = reader.byte()?;
            if fields == 0 || fields >> FIELDS != 0 {
                return None;
            }
            let mut counts = [0u16; FIELDS];
            for (f, count) in counts.iter_mut().enumerate() {
                if fields & 1 << f != 0 {
                    *count = u16::try_from(reader.varint()?).ok().filter(|&c| c > 0)?;
                }
            }
            f(Item::Term(id, counts));
        }
        for _ in 0..reader.varint_count(2)? {
            let id = id(&mut reader)?;
            let mask = reader.byte()?;
            // A wider mask would spill into the document numbers.
            if u32::from(mask) >> SHORT_BITS != 0 {
                return None;
            }
            f(Item::Bigram(id, mask));
        }
        reader.is_done().then_some(())
    }
}

/// Appends `value` as a varint: 7 bits a byte, the high bit on all but the last.
fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Store {
        let mut store = Store {
            analysis: 7,
            ..Store::default()
        };
        let mut counts = [0u16; FIELDS];
        counts[1] = 2;
        counts[5] = 300;
        let stats = DocStats {
            terms: vec![("token".into(), counts), ("expir".into(), counts)],
            bigrams: vec![("token expir".into(), 3)],
            lengths: [1, 20, 0, 0, 100, 70_000],
            title_len: 2,
            message_len: 0,
        };
        let record = store.record(&stats);
        store.files.insert(42, vec![record.clone(), record]);
        store
    }

    #[test]
    fn a_store_reads_back_what_it_wrote() {
        let store = sample();
        let bytes = store.to_bytes();
        let read = Store::from_bytes(&bytes).expect("reads");
        assert_eq!(read.analysis, 7);
        assert_eq!(read.to_bytes(), bytes);
        let mut items = Vec::new();
        read.files[&42][0].decode(read.terms.len(), |item| {
            items.push(match item {
                Item::Term(id, counts) => (read.terms[id as usize].to_string(), counts[5]),
                Item::Bigram(id, mask) => (read.terms[id as usize].to_string(), u16::from(mask)),
            });
        });
        items.sort();
        assert_eq!(
            items,
            [
                ("expir".into(), 300),
                ("token".into(), 300),
                ("token expir".into(), 3)
            ]
        );
    }

    #[test]
    fn damaged_bytes_read_as_nothing_never_a_panic() {
        let bytes = sample().to_bytes();
        for end in 0..bytes.len() {
            assert!(Store::from_bytes(&bytes[..end]).is_none(), "cut at {end}");
        }
        // Every byte changed in turn, every value: no panic, and no record
        // that names a term the dictionary lacks.
        for at in MAGIC.len()..bytes.len() {
            for value in 0..=255u8 {
                let mut damaged = bytes.clone();
                damaged[at] = value;
                if let Some(store) = Store::from_bytes(&damaged) {
                    for record in store.files.values().flatten() {
                        assert!(record.decode(store.terms.len(), |_| ()).is_some());
                    }
                }
            }
        }
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&[0; 16]);
        huge.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
        assert!(Store::from_bytes(&huge).is_none());
    }
}
