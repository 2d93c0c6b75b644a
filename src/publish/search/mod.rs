//! The search index: built with the site, read by `static/search.js`.
//!
//! The index holds field-weighted terms, never page bodies. Each posting packs
//! a document id delta and a weight class into one varint, written in a
//! base-64 alphabet that needs no JSON escaping. Small sites get one file,
//! `search-index.js`; larger ones get that file with only the code table, plus
//! term shards (by the first two characters of a term) and document shards,
//! which the page loads with `<script>` tags only when a query needs them, so
//! search works from `file://` too and a reader downloads little before the
//! first result.

pub mod text;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::entry::{Solutions, Status, Steps, Variant};
use crate::content::markdown;
use crate::site::{Site, SiteEntry};

/// Format version of the index files.
pub const INDEX_VERSION: u32 = 1;

/// Sites with more entries than this get a sharded index.
pub const SHARD_ABOVE: usize = 500;

/// Documents per document shard.
pub const DOCS_PER_SHARD: usize = 64;

/// The index file every page loads first.
pub const INDEX_FILE: &str = "search-index.js";

/// Field weights: where a term appears matters more than how often.
const TITLE: u32 = 16;
/// Parts of a code (`rate`, `limit` of `rate_limit_exceeded`): the whole code
/// is found through the code table, its parts are a hint, not a title.
const CODE_PARTS: u32 = 8;
const TAGS: u32 = 12;
const SUMMARY: u32 = 8;
const STEPS: u32 = 3;
const DESCRIPTION: u32 = 1;

/// Upper bounds of the weight classes stored in postings; `search.js` has the same table.
const CLASS_WEIGHTS: [u32; 8] = [1, 2, 3, 5, 8, 12, 16, 24];

fn weight_class(weight: u32) -> u32 {
    CLASS_WEIGHTS
        .iter()
        .rposition(|&w| w <= weight)
        .unwrap_or(0) as u32
}

/// One search document: an entry, or one variant of an entry. Entries come
/// first (their document id is their index), then every variant in entry order.
#[derive(Clone, Copy)]
enum SearchDoc<'a> {
    Entry(&'a SiteEntry),
    Variant(&'a SiteEntry, usize, &'a Variant),
}

fn search_docs(site: &Site) -> Vec<SearchDoc<'_>> {
    let mut docs: Vec<SearchDoc<'_>> = site.entries.iter().map(SearchDoc::Entry).collect();
    for e in &site.entries {
        for (k, v) in e.entry.variants().iter().enumerate() {
            docs.push(SearchDoc::Variant(e, k, v));
        }
    }
    docs
}

/// Steps of causes and solutions as plain text.
fn steps_text(causes: Option<&Steps>, solutions: Option<&Solutions>) -> String {
    let mut steps = String::new();
    let groups = solutions.map(|s| s.groups()).unwrap_or_default();
    for list in causes.into_iter().chain(groups.into_iter().map(|(_, s)| s)) {
        for step in list.walk() {
            steps.push_str(&markdown::plain_text_unspaced(&step.text.value));
            steps.push(' ');
        }
    }
    steps
}

/// The fields of one variant as folded text, each with its weight.
fn variant_fields(v: &Variant) -> Vec<(String, u32)> {
    vec![
        (text::fold(&v.title.value), TITLE),
        (text::fold(&v.summary.value), SUMMARY),
        (
            text::fold(&steps_text(
                v.causes.as_ref().map(|c| &c.value),
                v.solutions.as_ref().map(|s| &s.value),
            )),
            STEPS,
        ),
        (
            text::fold(
                &v.description
                    .as_ref()
                    .map_or(String::new(), |d| markdown::plain_text_unspaced(&d.value)),
            ),
            DESCRIPTION,
        ),
    ]
}

/// The fields of one entry as folded text, each with its weight.
fn entry_fields(e: &SiteEntry) -> Vec<(String, u32)> {
    let entry = &e.entry;
    let mut fields = vec![(text::fold(e.title()), TITLE)];
    if let Some(tags) = &entry.tags {
        let tags: Vec<&str> = tags.value.iter().map(|t| t.value.as_str()).collect();
        fields.push((text::fold(&tags.join(" ")), TAGS));
    }
    fields.push((text::fold(&entry.summary.value), SUMMARY));
    let steps = steps_text(
        entry.causes.as_ref().map(|c| &c.value),
        entry.solutions.as_ref().map(|s| &s.value),
    );
    fields.push((text::fold(&steps), STEPS));
    let mut description = entry
        .description
        .as_ref()
        .map_or(String::new(), |d| markdown::plain_text_unspaced(&d.value));
    for example in entry.examples.iter().flat_map(|x| &x.value) {
        if let Some(title) = &example.title {
            description.push(' ');
            description.push_str(&title.value);
        }
    }
    fields.push((text::fold(&description), DESCRIPTION));
    fields
}

/// Calls `f` once for every distinct term of a document, with the summed weights
/// of the fields it appears in (each field counted once).
fn each_doc_term(doc: SearchDoc<'_>, mut f: impl FnMut(&str, u32)) {
    // A variant's type is its code; the entry's codes are a hint ("429 quota").
    let (fields, codes, code_weight) = match doc {
        SearchDoc::Entry(e) => (
            entry_fields(e),
            std::iter::once(&e.code)
                .chain(&e.aliases)
                .map(|c| text::fold(c))
                .collect::<Vec<_>>(),
            TITLE,
        ),
        SearchDoc::Variant(e, _, v) => (
            variant_fields(v),
            std::iter::once(&v.kind.value)
                .chain(std::iter::once(&e.code))
                .map(|c| text::fold(c))
                .collect(),
            CODE_PARTS,
        ),
    };
    // Each term's summed weight, and the last field that added to it (0 for
    // none: a code's pieces add every time, as the codes are a list).
    let mut terms: FxHashMap<Cow<'_, str>, (u32, usize)> =
        FxHashMap::with_capacity_and_hasher(512, Default::default());
    for (i, code) in codes.iter().enumerate() {
        for piece in text::pieces(code) {
            let mut first = true;
            text::each_token(piece, |token| {
                if !text::is_stop_word(token) {
                    let whole = if i == 0 { TITLE } else { code_weight };
                    let weight = if first { whole } else { CODE_PARTS };
                    terms.entry(text::stem(token)).or_default().0 += weight;
                }
                first = false;
            });
        }
    }
    for (field, (folded, weight)) in (1..).zip(&fields) {
        text::each_term(folded, |t| {
            // A term counts once per field, however often the field repeats it.
            let (sum, last) = terms.entry(t).or_default();
            if *last != field {
                *sum += weight;
                *last = field;
            }
        });
    }
    // In no particular order: each term gets this document once, wherever it
    // comes in the document's turn.
    for (term, (weight, _)) in &terms {
        f(term, *weight);
    }
}

/// Entries handled by one task when building postings.
const CHUNK: usize = 512;

/// Postings are merged in this many partitions (by term hash), in parallel.
const PARTITIONS: usize = 16;

type Partition = FxHashMap<String, Postings>;

fn partition_of(term: &str) -> usize {
    use std::hash::BuildHasher;
    (rustc_hash::FxBuildHasher.hash_one(term) as usize) % PARTITIONS
}

/// Chunks whose postings are built before they are merged into the index:
/// merging as the documents come keeps one copy of each term per window,
/// not one per chunk of the whole catalog.
const WINDOW: usize = 16;

/// Term → encoded postings, terms sorted.
fn postings(site: &Site) -> Vec<(String, String)> {
    let docs = search_docs(site);
    let mut merged: Vec<Partition> = (0..PARTITIONS).map(|_| Partition::default()).collect();
    for (w, window) in docs.chunks(CHUNK * WINDOW).enumerate() {
        let first = w * CHUNK * WINDOW;
        // Each chunk of documents builds its own postings, split into partitions...
        let chunks: Vec<Vec<Partition>> = window
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(c, chunk)| chunk_postings(chunk, first + c * CHUNK))
            .collect();
        let mut by_partition: Vec<Vec<Partition>> = (0..PARTITIONS)
            .map(|_| Vec::with_capacity(chunks.len()))
            .collect();
        for partitions in chunks {
            for (p, map) in partitions.into_iter().enumerate() {
                by_partition[p].push(map);
            }
        }
        // ...then each partition takes them in chunk order, so doc ids stay ascending.
        merged
            .par_iter_mut()
            .zip(by_partition)
            .for_each(|(all, maps)| {
                for map in maps {
                    for (term, list) in map {
                        match all.get_mut(&term) {
                            Some(existing) => existing.append(list),
                            None => {
                                all.insert(term, list);
                            }
                        }
                    }
                }
            });
    }
    let mut sorted: Vec<(String, String)> = merged
        .into_iter()
        .flat_map(|all| all.into_iter().map(|(t, p)| (t, p.text)))
        .collect();
    sorted.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    sorted
}

/// The postings of the documents of `chunk`, the first of which has id `first`.
fn chunk_postings(chunk: &[SearchDoc<'_>], first: usize) -> Vec<Partition> {
    let mut partitions: Vec<Partition> = (0..PARTITIONS).map(|_| Partition::default()).collect();
    for (i, e) in chunk.iter().enumerate() {
        let doc = (first + i) as u32;
        each_doc_term(*e, |term, weight| {
            let packed = (doc << 3) | weight_class(weight);
            let map = &mut partitions[partition_of(term)];
            match map.get_mut(term) {
                Some(list) => list.push(packed),
                None => {
                    let mut list = Postings::default();
                    list.push(packed);
                    map.insert(term.to_owned(), list);
                }
            }
        });
    }
    partitions
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A term's postings, encoded as they are added: packed `(doc << 3 | class)`
/// values, doc ids ascending, as varints of the gap to the previous doc, 5
/// bits a character with the sixth bit set on all but the last. Encoding as
/// they come keeps a large index in a fraction of the memory of `Vec<u32>`
/// lists.
#[derive(Default)]
struct Postings {
    text: String,
    last: u32,
}

impl Postings {
    fn push(&mut self, packed: u32) {
        let doc = packed >> 3;
        let mut value = ((doc - self.last) << 3) | (packed & 7);
        self.last = doc;
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

    /// Appends postings of later documents, encoded on their own (their first
    /// gap counts from doc 0): that first value is re-encoded from our last doc.
    fn append(&mut self, later: Postings) {
        let mut value = 0u32;
        let mut shift = 0;
        let mut end = 0;
        for (i, b) in later.text.bytes().enumerate() {
            let digit = digit_of(b);
            value |= (digit & 31) << shift;
            shift += 5;
            if digit < 32 {
                end = i + 1;
                break;
            }
        }
        if end == 0 {
            return;
        }
        self.push(value);
        self.text.push_str(&later.text[end..]);
        self.last = later.last;
    }
}

/// The value of a character of [`ALPHABET`].
fn digit_of(b: u8) -> u32 {
    u32::from(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'-' => 62,
        _ => 63,
    })
}

/// Packed postings as their encoded text.
#[cfg(test)]
fn encode(postings: &[u32]) -> String {
    let mut out = Postings::default();
    for &packed in postings {
        out.push(packed);
    }
    out.text
}

/// One document as the results list shows it: code, title, summary,
/// category, aliases (a variant's type), and the anchor of a variant.
#[derive(Serialize)]
struct Doc<'a>(&'a str, &'a str, &'a str, usize, Vec<&'a str>, &'a str);

fn doc(d: SearchDoc<'_>) -> Doc<'_> {
    match d {
        SearchDoc::Entry(e) => Doc(
            &e.code,
            e.title(),
            e.entry.summary.value.trim(),
            e.category,
            e.aliases.iter().map(String::as_str).collect(),
            "",
        ),
        SearchDoc::Variant(e, _, v) => Doc(
            &e.code,
            v.title.value.trim(),
            v.summary.value.trim(),
            e.category,
            vec![v.kind.value.as_str()],
            &v.kind.value,
        ),
    }
}

fn is_removed(d: &SearchDoc<'_>) -> bool {
    let (SearchDoc::Entry(e) | SearchDoc::Variant(e, _, _)) = d;
    e.entry.status() == Status::Removed
}

#[derive(Serialize)]
struct Meta<'a> {
    v: u32,
    /// Number of documents.
    n: usize,
    categories: Vec<&'a str>,
    /// The fallback entry's document id, shown with its first steps when nothing matches.
    fallback: Option<usize>,
    fallback_steps: Vec<String>,
    /// Weight of each posting class.
    weights: [u32; 8],
    /// Codes that moved (`redirects` in errdex.yaml) and the document they lead to.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    redirects: BTreeMap<&'a str, usize>,
    /// Documents of removed codes: found by their exact code only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    removed: Vec<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    docs: Option<Vec<Doc<'a>>>,
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
}

/// The key of the term shard holding `term`: its first two characters.
pub fn shard_key(term: &str) -> String {
    key_text(shard_chars(term))
}

/// A shard key from its two characters.
fn key_text((a, b): (char, char)) -> String {
    format!("{a}{b}")
}

/// The two characters of [`shard_key`], `_` standing for a missing one. They
/// order as the key does, since UTF-8 keeps the order of code points.
fn shard_chars(term: &str) -> (char, char) {
    let mut chars = term.chars();
    (chars.next().unwrap_or('_'), chars.next().unwrap_or('_'))
}

/// Terms with their encoded postings, in sorted order: a JSON object.
struct TermMap<'a>(Vec<&'a (String, String)>);

impl Serialize for TermMap<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(term, postings)| (term, postings)))
    }
}

/// A shard key as a file name: its UTF-8 bytes in hex.
fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

fn script(call: &str, json: &str) -> Vec<u8> {
    // Sized exactly: a large index is tens of megabytes of these.
    let mut out = Vec::with_capacity(call.len() + json.len() + 17);
    out.extend_from_slice(b"errdexSearch.");
    out.extend_from_slice(call.as_bytes());
    out.push(b'(');
    out.extend_from_slice(json.as_bytes());
    out.extend_from_slice(b");\n");
    out
}

fn fallback(site: &Site) -> (Option<usize>, Vec<String>) {
    let Some(entry) = site.fallback() else {
        return (None, Vec::new());
    };
    let steps = match entry.entry.solutions.as_ref().map(|s| &s.value) {
        Some(Solutions::List(steps)) => steps
            .iter()
            .take(3)
            .map(|s| markdown::plain_text(&s.text.value))
            .collect(),
        Some(Solutions::ByAudience(groups)) => groups
            .first()
            .map(|(_, steps)| {
                steps
                    .iter()
                    .take(3)
                    .map(|s| markdown::plain_text(&s.text.value))
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    };
    (site.index_of(&entry.code), steps)
}

/// Every file of the search index: (path, bytes). Sites with more than
/// `shard_above` entries get a sharded index.
pub fn build(site: &Site, shard_above: usize) -> Vec<(String, Vec<u8>)> {
    files_from(site, postings(site), shard_above)
}

/// Each entry's terms, kept between rebuilds by `serve`, by source file:
/// a rebuild recomputes the terms of changed files only.
#[derive(Debug, Default)]
pub struct TermCache(std::collections::HashMap<std::path::PathBuf, FileTerms>);

/// The terms of one entry file: the entry's, then each variant's.
type FileTerms = Vec<Vec<(String, u32)>>;

impl TermCache {
    /// Drops the terms of a file that changed or went away.
    pub fn forget(&mut self, path: &std::path::Path) {
        self.0.remove(path);
    }
}

/// Like [`build`], reusing the terms of entries whose files did not change.
pub fn build_cached(
    site: &Site,
    shard_above: usize,
    cache: &mut TermCache,
) -> Vec<(String, Vec<u8>)> {
    // Per file: the entry's terms, then each variant's.
    let terms_of = |d: SearchDoc<'_>| {
        let mut terms = Vec::new();
        each_doc_term(d, |term, weight| terms.push((term.to_owned(), weight)));
        terms
    };
    let missing: Vec<(std::path::PathBuf, FileTerms)> = site
        .entries
        .par_iter()
        .filter(|e| !cache.0.contains_key(&e.source.disk_path))
        .map(|e| {
            let mut docs = vec![terms_of(SearchDoc::Entry(e))];
            for (k, v) in e.entry.variants().iter().enumerate() {
                docs.push(terms_of(SearchDoc::Variant(e, k, v)));
            }
            (e.source.disk_path.clone(), docs)
        })
        .collect();
    cache.0.extend(missing);
    let mut merged: FxHashMap<&str, Postings> = FxHashMap::default();
    for (doc, d) in search_docs(site).into_iter().enumerate() {
        let (e, slot) = match d {
            SearchDoc::Entry(e) => (e, 0),
            SearchDoc::Variant(e, k, _) => (e, k + 1),
        };
        for (term, weight) in &cache.0[&e.source.disk_path][slot] {
            merged
                .entry(term)
                .or_default()
                .push(((doc as u32) << 3) | weight_class(*weight));
        }
    }
    let mut postings: Vec<(String, String)> = merged
        .into_iter()
        .map(|(t, p)| (t.to_owned(), p.text))
        .collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    files_from(site, postings, shard_above)
}

/// The index files for encoded `postings` (terms sorted).
fn files_from(
    site: &Site,
    postings: Vec<(String, String)>,
    shard_above: usize,
) -> Vec<(String, Vec<u8>)> {
    let categories: Vec<&str> = site
        .config
        .categories()
        .iter()
        .map(|(_, c)| c.title.value.as_str())
        .collect();
    let (fallback_doc, fallback_steps) = fallback(site);
    let docs = search_docs(site);
    let mut meta = Meta {
        v: INDEX_VERSION,
        n: docs.len(),
        removed: docs
            .iter()
            .enumerate()
            .filter(|(_, d)| is_removed(d))
            .map(|(i, _)| i)
            .collect(),
        categories,
        fallback: fallback_doc,
        fallback_steps,
        weights: CLASS_WEIGHTS,
        redirects: site
            .redirects
            .iter()
            .map(|(old, index)| (old.as_str(), *index))
            .collect(),
        docs: None,
        terms: None,
        codes: None,
        aliases: None,
        shards: None,
        docs_per_shard: None,
    };
    if site.entries.len() <= shard_above {
        meta.docs = Some(docs.iter().copied().map(doc).collect());
        meta.terms = Some(TermMap(postings.iter().collect()));
        let json = serde_json::to_string(&meta).expect("the index serializes");
        return vec![(INDEX_FILE.to_owned(), script("load", &json))];
    }
    // Terms of one shard are not always side by side in sorted order (`a`
    // and `a_b` share `a_`, `a0` sorts between them), so they are grouped by
    // key; each group keeps the sorted order. Shards serialize in parallel:
    // a large index has hundreds of thousands of terms in thousands of files.
    let mut grouped: BTreeMap<(char, char), Vec<&(String, String)>> = BTreeMap::new();
    for term in &postings {
        grouped.entry(shard_chars(&term.0)).or_default().push(term);
    }
    let shards: Vec<(String, TermMap<'_>)> = grouped
        .into_iter()
        .map(|(chars, terms)| (key_text(chars), TermMap(terms)))
        .collect();
    let mut files: Vec<(String, Vec<u8>)> = shards
        .par_iter()
        .map(|(key, terms)| {
            let json = serde_json::to_string(&(key, terms)).expect("a shard serializes");
            let json = &json[1..json.len() - 1];
            (format!("search/t-{}.js", hex(key)), script("shard", json))
        })
        .collect();
    files.par_extend(
        docs.par_chunks(DOCS_PER_SHARD)
            .enumerate()
            .map(|(n, chunk)| {
                let docs: Vec<Doc<'_>> = chunk.iter().copied().map(doc).collect();
                let json = serde_json::to_string(&(n, docs)).expect("a shard serializes");
                (
                    format!("search/d-{n}.js"),
                    script("docs", &json[1..json.len() - 1]),
                )
            }),
    );
    meta.codes = Some(site.entries.iter().map(|e| e.code.as_str()).collect());
    meta.aliases = Some(
        site.entries
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.aliases.iter().map(move |a| (a.as_str(), i)))
            .chain(docs.iter().enumerate().filter_map(|(i, d)| match d {
                SearchDoc::Variant(_, _, v) => Some((v.kind.value.as_str(), i)),
                SearchDoc::Entry(_) => None,
            }))
            .collect(),
    );
    meta.shards = Some(shards.iter().map(|(key, _)| key.as_str()).collect());
    meta.docs_per_shard = Some(DOCS_PER_SHARD);
    let json = serde_json::to_string(&meta).expect("the index serializes");
    files.insert(0, (INDEX_FILE.to_owned(), script("load", &json)));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let (mut value, mut shift, mut doc) = (0u32, 0, 0u32);
        for c in text.bytes() {
            let digit = ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
            value |= (digit & 31) << shift;
            shift += 5;
            if digit < 32 {
                doc += value >> 3;
                out.push((doc << 3) | (value & 7));
                value = 0;
                shift = 0;
            }
        }
        out
    }

    #[test]
    fn postings_round_trip_through_the_varint_encoding() {
        let postings = vec![3 << 3 | 7, 4 << 3, 1000 << 3 | 2, 123_456 << 3 | 5];
        let encoded = encode(&postings);
        assert!(encoded.bytes().all(|b| ALPHABET.contains(&b)));
        assert_eq!(decode(&encoded), postings);
    }

    #[test]
    fn small_deltas_take_one_character() {
        assert_eq!(encode(&[0, 1 << 3 | 1, 2 << 3 | 2]).len(), 3);
    }

    #[test]
    fn weights_fall_into_classes() {
        assert_eq!(weight_class(1), 0);
        assert_eq!(weight_class(4), 2);
        assert_eq!(weight_class(16), 6);
        assert_eq!(weight_class(40), 7);
    }

    #[test]
    fn shard_keys_are_the_first_two_characters() {
        assert_eq!(shard_key("limit"), "li");
        assert_eq!(shard_key("4"), "4_");
        assert_eq!(shard_key(""), "__");
        assert_eq!(shard_key("éa"), "éa");
        assert_eq!(hex("li"), "6c69");
    }
}
