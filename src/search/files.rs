//! The index as the files `static/search.js` loads.
//!
//! Small sites get one file, `search-index.js`. Larger ones get that file
//! with the code table and what ranking needs of every document, plus term
//! shards (by the first two characters of a term) and document shards,
//! which the page loads with `<script>` tags only when a query needs them,
//! so search works from `file://` too and a reader downloads little before
//! the first result.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::SerializeSeq;

use super::index::{ALPHABET, LEVELS, TermPostings};
use super::{Card, INDEX_VERSION, Index};

/// Documents per document shard.
pub const DOCS_PER_SHARD: usize = 64;

/// A term shard whose file is larger than this many bytes is split into one
/// file per third character of its terms, so that a common first two
/// letters (`re`: request, retry, resource) do not make every query that
/// needs one of them download all of them.
pub const SPLIT_ABOVE: usize = 48 * 1024;

/// The index file every page loads first.
pub const INDEX_FILE: &str = "search-index.js";

/// A card as the index writes it: `[code, title, summary, category, aliases, anchor]`.
struct CardJson<'a>(&'a Card);

impl Serialize for CardJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        (
            &c.code, &c.title, &c.summary, c.category, &c.aliases, &c.anchor,
        )
            .serialize(serializer)
    }
}

/// Cards as a JSON array.
struct Cards<'a>(&'a [Card]);

impl Serialize for Cards<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for card in self.0 {
            seq.serialize_element(&CardJson(card))?;
        }
        seq.end()
    }
}

/// A term's postings: the all-list alone, or `[all, short]`.
struct PostingsJson<'a>(&'a TermPostings);

impl Serialize for PostingsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let p = self.0;
        if p.short.text.is_empty() {
            p.all.text.serialize(serializer)
        } else {
            (&p.all.text, &p.short.text).serialize(serializer)
        }
    }
}

/// Terms with their postings, in sorted order: a JSON object.
struct TermMap<'a>(Vec<&'a (String, TermPostings)>);

impl Serialize for TermMap<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(term, p)| (term, PostingsJson(p))))
    }
}

/// Numbers from 0 to 63 as one character each.
fn small_numbers(values: &[u8]) -> String {
    values
        .iter()
        .map(|&v| ALPHABET[usize::from(v.min(63))] as char)
        .collect()
}

#[derive(Serialize)]
struct Meta<'a> {
    v: u32,
    /// Number of documents.
    n: usize,
    english: bool,
    categories: &'a [String],
    fallback: Option<usize>,
    fallback_steps: &'a [String],
    /// Weight of each posting level.
    weights: [u32; 8],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    redirects: &'a BTreeMap<String, usize>,
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    removed: &'a [usize],
    /// Title lengths, one character per document.
    tl: String,
    /// Shortest message lengths, one character per document.
    ml: String,
    /// `[term, [[word term, ...], ...]]` for each concept.
    thesaurus: &'a [(String, Vec<Vec<String>>)],
    #[serde(skip_serializing_if = "Option::is_none")]
    docs: Option<Cards<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    terms: Option<TermMap<'a>>,
    /// Sharded indexes: primary codes in document order, aliases, shard keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    codes: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aliases: Option<BTreeMap<&'a str, usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shards: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    docs_per_shard: Option<usize>,
    /// Sharded indexes: each document's category (filters and ties need
    /// it before the document's card is loaded).
    #[serde(skip_serializing_if = "Option::is_none")]
    cat: Option<Vec<usize>>,
    /// Sharded indexes: the first characters of vocabulary files (`search/v-*.js`).
    #[serde(skip_serializing_if = "Option::is_none")]
    vocabulary: Option<Vec<String>>,
}

/// The key of the term shard holding `term`: its first two characters,
/// `_` standing for a missing one.
pub fn shard_key(term: &str) -> String {
    let mut chars = term.chars();
    let a = chars.next().unwrap_or('_');
    let b = chars.next().unwrap_or('_');
    format!("{a}{b}")
}

/// The key of the file holding `term` when its shard is split: its first
/// three characters, `_` standing for a missing one.
pub fn split_key(term: &str) -> String {
    let mut key = shard_key(term);
    key.push(term.chars().nth(2).unwrap_or('_'));
    key
}

/// Whether a term is a word of the vocabulary typos are corrected to:
/// three letters or more (no digits, phrases or concepts).
pub fn is_vocabulary(term: &str) -> bool {
    term.chars().nth(2).is_some() && term.chars().all(char::is_alphabetic)
}

/// A shard key as a file name: its UTF-8 bytes in hex.
fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

fn script(call: &str, json: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(call.len() + json.len() + 17);
    out.extend_from_slice(b"errdexSearch.");
    out.extend_from_slice(call.as_bytes());
    out.push(b'(');
    out.extend_from_slice(json.as_bytes());
    out.extend_from_slice(b");\n");
    out
}

/// A term shard as a file.
struct ShardFile {
    key: String,
    path: String,
    bytes: Vec<u8>,
}

fn shard_file(key: &str, terms: &[&(String, TermPostings)]) -> ShardFile {
    let json = serde_json::to_string(&(key, TermMap(terms.to_vec()))).expect("a shard serializes");
    ShardFile {
        key: key.to_owned(),
        path: format!("search/t-{}.js", hex(key)),
        bytes: script("shard", &json[1..json.len() - 1]),
    }
}

impl Index {
    /// Every file of the index: (path, bytes). Sites with more than
    /// `shard_above` entries get a sharded index.
    pub fn files(&self, shard_above: usize) -> Vec<(String, Vec<u8>)> {
        self.files_split(shard_above, SPLIT_ABOVE)
    }

    /// [`Index::files`], with term shards over `split_above` bytes split.
    pub fn files_split(&self, shard_above: usize, split_above: usize) -> Vec<(String, Vec<u8>)> {
        let entries = self.cards.iter().filter(|c| c.anchor.is_empty()).count();
        let mut meta = Meta {
            v: INDEX_VERSION,
            n: self.cards.len(),
            english: self.english,
            categories: &self.categories,
            fallback: self.fallback,
            fallback_steps: &self.fallback_steps,
            weights: LEVELS,
            redirects: &self.redirects,
            removed: &self.removed,
            tl: small_numbers(&self.title_lens),
            ml: small_numbers(&self.message_lens),
            thesaurus: &self.thesaurus.groups,
            docs: None,
            terms: None,
            codes: None,
            aliases: None,
            shards: None,
            docs_per_shard: None,
            cat: None,
            vocabulary: None,
        };
        if entries <= shard_above {
            meta.docs = Some(Cards(&self.cards));
            meta.terms = Some(TermMap(self.terms.iter().collect()));
            let json = serde_json::to_string(&meta).expect("the index serializes");
            return vec![(INDEX_FILE.to_owned(), script("load", &json))];
        }
        // Terms of one shard are not always side by side in sorted order
        // (`a`, `a_b` and `a0`), so they are grouped by key; each group
        // keeps the sorted order.
        let mut grouped: BTreeMap<String, Vec<&(String, TermPostings)>> = BTreeMap::new();
        for term in &self.terms {
            grouped.entry(shard_key(&term.0)).or_default().push(term);
        }
        let shards: Vec<Vec<ShardFile>> = grouped
            .into_par_iter()
            .map(|(key, terms)| {
                let whole = shard_file(&key, &terms);
                if whole.bytes.len() <= split_above {
                    return vec![whole];
                }
                let mut split: BTreeMap<String, Vec<&(String, TermPostings)>> = BTreeMap::new();
                for term in terms {
                    split.entry(split_key(&term.0)).or_default().push(term);
                }
                split
                    .iter()
                    .map(|(key, terms)| shard_file(key, terms))
                    .collect()
            })
            .collect();
        let mut keys: Vec<String> = Vec::new();
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for shard in shards.into_iter().flatten() {
            keys.push(shard.key);
            files.push((shard.path, shard.bytes));
        }
        files.par_extend(
            self.cards
                .par_chunks(DOCS_PER_SHARD)
                .enumerate()
                .map(|(n, chunk)| {
                    let json =
                        serde_json::to_string(&(n, Cards(chunk))).expect("a shard serializes");
                    (
                        format!("search/d-{n}.js"),
                        script("docs", &json[1..json.len() - 1]),
                    )
                }),
        );
        // The vocabulary typos are corrected to, by first character.
        let mut words: BTreeMap<char, Vec<&str>> = BTreeMap::new();
        for (term, _) in &self.terms {
            if is_vocabulary(term) {
                let first = term.chars().next().expect("terms are not empty");
                words.entry(first).or_default().push(term);
            }
        }
        files.par_extend(words.par_iter().map(|(first, list)| {
            let key = first.to_string();
            let json = serde_json::to_string(&(&key, list)).expect("a list serializes");
            (
                format!("search/v-{}.js", hex(&key)),
                script("vocab", &json[1..json.len() - 1]),
            )
        }));
        meta.vocabulary = Some(words.keys().map(char::to_string).collect());
        meta.cat = Some(self.cards.iter().map(|c| c.category).collect());
        meta.codes = Some(self.codes().collect());
        meta.aliases = Some(self.aliases());
        meta.shards = Some(keys.iter().map(String::as_str).collect());
        meta.docs_per_shard = Some(DOCS_PER_SHARD);
        let json = serde_json::to_string(&meta).expect("the index serializes");
        files.insert(0, (INDEX_FILE.to_owned(), script("load", &json)));
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_keys_are_the_first_two_characters() {
        assert_eq!(shard_key("limit"), "li");
        assert_eq!(shard_key("4"), "4_");
        assert_eq!(shard_key(""), "__");
        assert_eq!(shard_key("éa"), "éa");
        assert_eq!(hex("li"), "6c69");
        assert_eq!(split_key("request"), "req");
        assert_eq!(split_key("re"), "re_");
    }
}
