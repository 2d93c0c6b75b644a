//! Answers a query from an [`Index`]. `static/search.js` runs the same
//! algorithm over the index files, step for step and with the same
//! arithmetic (integers below 2^53 in `f64`, so JavaScript's numbers give
//! the same totals); a test holds the two to the same answers.
//!
//! 1. **Codes.** A query that is nothing but codes (context words such as
//!    `SQLSTATE` or `HTTP` aside) puts those codes first; a code found by
//!    the last part of a qualified code (`CardDeclined` for
//!    `billing.CardDeclined`), or typed without its separators (`ora00942`
//!    for `ORA-00942`), counts as one. Inside a longer text, a code
//!    with letters, or a number after a word like `status` or `error`,
//!    puts its entry above text matches; another number only adds a little.
//!    A single word being typed also finds the codes it begins.
//! 2. **Groups.** The query's words (stop words, ids, paths and the like
//!    left out) form groups: a word alone, the words of an identifier with
//!    the identifier whole, or the words of a phrase of the thesaurus with
//!    its concept. A group scores the best of its alternatives for each
//!    document. Where the words a phrase's concept or an identifier stands
//!    for are not all in the document, it weighs at least what those words
//!    weigh together: "already taken" met as "in use" outweighs "already"
//!    alone, but a document holding "rate limit" keeps its words' weight.
//!    A concept of a single word weighs as the concept.
//! 3. **Words.** A word matches its term, its folded form, then (when
//!    neither is in the index) terms one typo away (two for words of eight
//!    letters or more; a term with an `e` added counts, as stems lose it);
//!    when none is one typo away, also terms one typo from the word without
//!    its ending, scored as two typos and ranked after them (a typo can keep
//!    the stemmer from taking the ending off). A word of six letters or more
//!    whose term only one or two documents hold also matches, at half the
//!    quality, the neighbours more documents hold (a typo can stem to a
//!    rare term). The last word being typed also matches terms it begins.
//!    Each match scores the term's idf times the posting's level times the
//!    match's quality.
//! 4. **Bonuses.** Adjacent query words found side by side in a title or
//!    message; one short field (code, title, message, tags) holding the
//!    query's weight; a title or message the query holds whole.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use super::Index;
use super::files::shard_key;
use super::index::{ALL_BITS, LEVELS, SHORT_BITS, TermPostings, decode};
use super::text::{Analysis, analyze, fold, is_stop_word};

/// Words that say a code follows (`HTTP/1.1 429`, `status=429`,
/// `SQLSTATE 40001`, `error 1062`); a query of codes may hold them.
const CONTEXT_WORDS: &[&str] = &[
    "http",
    "https",
    "status",
    "code",
    "error",
    "err",
    "errno",
    "sqlstate",
    "statuscode",
    "exit",
    "state",
];

/// Quality of a match, in percent of an exact one.
const EXACT: f64 = 100.0;
const CONCEPT: f64 = 90.0;
const PREFIX: f64 = 80.0;
const ONE_TYPO: f64 = 70.0;
const TWO_TYPOS: f64 = 50.0;

/// How much a number weighs when it is not in the document's codes, in percent.
const LOOSE_NUMBER: f64 = 30.0;

/// Points of the bonuses, per unit of idf (×1000).
const PHRASE_POINTS: f64 = 470_000.0;
const EXPLAIN_POINTS: f64 = 600_000.0;
const WHOLE_FIELD_POINTS: f64 = 300_000.0;
/// Rewards a document for each query word it holds anywhere, as readers
/// expect every word they typed to count (Algolia ranks by it first).
const COVER_POINTS: f64 = 300_000.0;
/// What a number that is a code adds, when nothing says it is one.
const LOOSE_CODE_POINTS: f64 = 3_000.0 * 940_000.0;
/// Separates the order of code hits from text scores.
const TIER_STEP: f64 = 1e13;

/// Typo and prefix matches kept per word.
const TYPO_CANDIDATES: usize = 8;
/// A word found in at most this many documents may be a typo that stems
/// to a rare term.
const RARE: usize = 2;
const PREFIX_CANDIDATES: usize = 16;

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The document.
    pub doc: usize,
    /// 3: the query is its code; 2: its code is in the query, or the word
    /// typed begins it; 1: text.
    pub tier: u8,
    /// The score within the tier.
    pub score: f64,
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// How many documents matched.
    pub total: usize,
    /// The best, in order, from `offset`.
    pub hits: Vec<Hit>,
}

/// A term's decoded postings.
struct Decoded {
    /// `[doc, level, ...]`.
    all: Vec<u32>,
    /// `[doc, mask, ...]`.
    short: Vec<u32>,
    /// How many documents hold the term.
    df: usize,
    idf: f64,
}

/// Answers queries from one index.
pub struct Engine<'a> {
    index: &'a Index,
    /// Folded codes, aliases, variant types and redirected codes.
    codes: HashMap<String, usize>,
    /// The last part of qualified codes (`carddeclined` of `billing.CardDeclined`).
    parts: BTreeMap<String, Vec<usize>>,
    /// Codes and last parts, sorted, for prefixes.
    sorted_codes: Vec<(String, usize)>,
    /// Terms by shard key, for prefix candidates.
    by_key: HashMap<String, Vec<usize>>,
    /// Words of the vocabulary by their first character, for typo candidates.
    by_first: HashMap<char, Vec<usize>>,
    removed: HashSet<usize>,
    decoded: RefCell<HashMap<usize, Rc<Decoded>>>,
}

/// Whether `c` ends a qualifying prefix of a code (`billing.`, `aws:`, `a/`).
fn is_qualifier(c: char) -> bool {
    matches!(c, '.' | ':' | '/')
}

/// Whether `c` separates the parts of a code (`ORA-00942`, `ERR_X`, `1.3.6`).
fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | ':' | '/')
}

/// The last part of a qualified code, when it has one of three characters or more.
pub fn last_part(code: &str) -> Option<&str> {
    let at = code.rfind(is_qualifier)?;
    let last = &code[at + 1..];
    (last.chars().count() >= 3).then_some(last)
}

impl<'a> Engine<'a> {
    /// An engine over `index`.
    pub fn new(index: &'a Index) -> Self {
        let mut codes = HashMap::new();
        for (doc, code) in index.codes().enumerate() {
            codes.insert(fold(code), doc);
        }
        for (alias, doc) in index.aliases() {
            codes.insert(fold(alias), doc);
        }
        for (code, doc) in &index.redirects {
            codes.insert(fold(code), *doc);
        }
        let mut parts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (code, doc) in &codes {
            if let Some(last) = last_part(code) {
                let docs = parts.entry(last.to_owned()).or_default();
                if !docs.contains(doc) {
                    docs.push(*doc);
                }
            }
        }
        for docs in parts.values_mut() {
            docs.sort_unstable();
        }
        // A code typed without its separators (`ora00942` for
        // `ORA-00942`), when that holds a letter and is no other code nor
        // the last part of one; the first code in order wins a compact form
        // two share.
        let mut compact: Vec<(String, usize)> = codes
            .iter()
            .map(|(code, doc)| (code.clone(), *doc))
            .filter(|(code, _)| code.contains(is_separator))
            .collect();
        compact.sort();
        for (code, doc) in compact {
            let bare: String = code.chars().filter(|c| !is_separator(*c)).collect();
            if bare.chars().count() >= 3
                && bare.chars().any(char::is_alphabetic)
                && !parts.contains_key(&bare)
            {
                codes.entry(bare).or_insert(doc);
            }
        }
        let mut sorted_codes: Vec<(String, usize)> =
            codes.iter().map(|(c, d)| (c.clone(), *d)).collect();
        for (part, docs) in &parts {
            for doc in docs {
                sorted_codes.push((part.clone(), *doc));
            }
        }
        sorted_codes.sort();
        sorted_codes.dedup();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
        for (i, (term, _)) in index.terms.iter().enumerate() {
            by_key.entry(shard_key(term)).or_default().push(i);
            if super::files::is_vocabulary(term) {
                let first = term.chars().next().expect("terms are not empty");
                by_first.entry(first).or_default().push(i);
            }
        }
        Engine {
            index,
            codes,
            parts,
            sorted_codes,
            by_key,
            by_first,
            removed: index.removed.iter().copied().collect(),
            decoded: RefCell::new(HashMap::new()),
        }
    }

    fn postings(&self, term: &str) -> Option<Rc<Decoded>> {
        let i = self.index.term_index(term)?;
        if let Some(d) = self.decoded.borrow().get(&i) {
            return Some(d.clone());
        }
        let p: &TermPostings = &self.index.terms[i].1;
        let all = decode(&p.all.text, ALL_BITS);
        let short = decode(&p.short.text, SHORT_BITS);
        let df = if all.is_empty() {
            short.len() / 2
        } else {
            all.len() / 2
        };
        let d = Rc::new(Decoded {
            all,
            short,
            df,
            idf: idf(self.index.cards.len(), df),
        });
        self.decoded.borrow_mut().insert(i, d.clone());
        Some(d)
    }

    /// Terms sharing a shard key (their first two characters) with `word`.
    fn with_key(&self, word: &str) -> Vec<&'a str> {
        self.by_key
            .get(&shard_key(word))
            .into_iter()
            .flatten()
            .map(|&i| self.index.terms[i].0.as_str())
            .filter(|t| super::files::is_vocabulary(t))
            .collect()
    }

    /// Words of the vocabulary that begin with the first or the second
    /// character of `word`: a typo anywhere but in the first letter keeps
    /// the first, and a first letter swapped, doubled or left out keeps
    /// the second. Sorted.
    fn typo_neighbours(&self, word: &str) -> Vec<&'a str> {
        let mut firsts: Vec<char> = word.chars().take(2).collect();
        firsts.dedup();
        let mut out: Vec<&'a str> = firsts
            .iter()
            .filter_map(|c| self.by_first.get(c))
            .flatten()
            .map(|&i| self.index.terms[i].0.as_str())
            .collect();
        out.sort_unstable();
        out
    }

    /// The best `limit` documents for `query` from `offset`; `category`
    /// (the page the reader is on) breaks ties, and `only` keeps the
    /// documents of one category.
    pub fn search(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
        category: Option<usize>,
        only: Option<usize>,
    ) -> Answer {
        let q = parse(query, self.index);
        if q.pieces.is_empty() {
            return Answer {
                total: 0,
                hits: Vec::new(),
            };
        }
        let n = self.index.cards.len();
        let mut tier = vec![1u8; n];
        let mut bonus = vec![0.0f64; n];
        let mut touched: Vec<bool> = vec![false; n];

        // 1. Codes.
        let code_hits = self.code_hits(&q);
        let only_codes = !code_hits.is_empty()
            && q.pieces
                .iter()
                .all(|p| p.context || p.stop || self.is_code(&p.folded));
        for (order, hit) in code_hits.iter().enumerate() {
            for &doc in &hit.docs {
                let (t, points) = if only_codes {
                    (3, (100.0 - order.min(99) as f64) * TIER_STEP)
                } else if hit.strong {
                    (2, 0.0)
                } else {
                    (1, LOOSE_CODE_POINTS)
                };
                if t > tier[doc] {
                    tier[doc] = t;
                    bonus[doc] = points;
                } else if t == tier[doc] && t > 1 {
                    bonus[doc] = bonus[doc].max(points);
                } else if t == 1 {
                    bonus[doc] += points;
                }
                touched[doc] = true;
            }
        }
        if code_hits.is_empty() && q.pieces.len() == 1 && q.typing {
            for (i, doc) in self
                .codes_with_prefix(&q.pieces[0].folded, 50)
                .into_iter()
                .enumerate()
            {
                if tier[doc] < 2 {
                    tier[doc] = 2;
                    bonus[doc] = (100 - i) as f64 * TIER_STEP;
                    touched[doc] = true;
                }
            }
        }

        // 2–4. Text.
        let text = self.text_scores(&q, n);
        let mut hits = Vec::new();
        for doc in 0..n {
            let score = text[doc];
            if !(touched[doc] || score > 0.0) {
                continue;
            }
            if tier[doc] < 3 && self.removed.contains(&doc) {
                continue;
            }
            if only.is_some_and(|c| self.index.cards[doc].category != c) {
                continue;
            }
            hits.push(Hit {
                doc,
                tier: tier[doc],
                score: bonus[doc] + score,
            });
        }
        let same = |h: &Hit| u8::from(category == Some(self.index.cards[h.doc].category));
        hits.sort_by(|a, b| {
            b.tier
                .cmp(&a.tier)
                .then(b.score.total_cmp(&a.score))
                .then(same(b).cmp(&same(a)))
                .then(a.doc.cmp(&b.doc))
        });
        let total = hits.len();
        let hits = hits.into_iter().skip(offset).take(limit).collect();
        Answer { total, hits }
    }

    /// Whether a folded piece is a code or the last part of one.
    fn is_code(&self, folded: &str) -> bool {
        self.codes.contains_key(folded) || self.parts.contains_key(folded)
    }

    /// Codes the query's pieces name, in order; a document is hit once.
    fn code_hits(&self, q: &Query) -> Vec<CodeHit> {
        let mut out: Vec<CodeHit> = Vec::new();
        let mut seen = HashSet::new();
        for p in &q.pieces {
            let docs: Vec<usize> = match self.codes.get(&p.folded) {
                Some(&doc) => vec![doc],
                None => self.parts.get(&p.folded).cloned().unwrap_or_default(),
            };
            let docs: Vec<usize> = docs.into_iter().filter(|d| seen.insert(*d)).collect();
            if docs.is_empty() {
                continue;
            }
            let numeric = p.folded.chars().all(|c| c.is_numeric());
            let after_context = q.pieces[p.index.saturating_sub(2)..p.index]
                .iter()
                .any(|b| b.context);
            let meaningful = q.pieces.iter().filter(|x| !x.stop && !x.context).count();
            out.push(CodeHit {
                docs,
                strong: !numeric || after_context || meaningful <= 3,
            });
        }
        out
    }

    /// Documents whose codes (or their last parts) begin with `prefix`,
    /// shortest first.
    fn codes_with_prefix(&self, prefix: &str, limit: usize) -> Vec<usize> {
        let start = self
            .sorted_codes
            .partition_point(|(c, _)| c.as_str() < prefix);
        let mut found: Vec<&(String, usize)> = self.sorted_codes[start..]
            .iter()
            .take_while(|(c, _)| c.starts_with(prefix))
            .filter(|(c, _)| c != prefix)
            .take(10_000)
            .collect();
        found.sort_by(|a, b| {
            a.0.chars()
                .count()
                .cmp(&b.0.chars().count())
                .then(a.1.cmp(&b.1))
        });
        let mut docs = Vec::new();
        for (_, doc) in found {
            if !docs.contains(doc) {
                docs.push(*doc);
            }
            if docs.len() == limit {
                break;
            }
        }
        docs
    }

    /// The candidates of one word: `(term, quality)`.
    fn candidates(&self, w: &QueryWord, prefix: bool) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = Vec::new();
        if self.index.term_index(&w.term).is_some() {
            out.push((w.term.clone(), EXACT));
        }
        if w.folded != w.term && self.index.term_index(&w.folded).is_some() {
            out.push((w.folded.clone(), EXACT));
        }
        let length = w.folded.chars().count();
        // A word that is itself a rare term of six letters or more may be a
        // typo that stems to one (`modifed` to `modif`, as in
        // "modification"): it also meets, at half the quality, the
        // neighbours more documents hold.
        let exact_df = out
            .iter()
            .filter_map(|(t, _)| self.postings(t))
            .map(|p| p.df)
            .max();
        let seeks = match exact_df {
            None => length >= 4,
            Some(df) => length >= 6 && df <= RARE,
        };
        if seeks && w.letters {
            let most = if length >= 8 { 2 } else { 1 };
            let neighbours: Vec<&str> = self
                .typo_neighbours(&w.folded)
                .into_iter()
                .filter(|c| c.chars().count() >= 3 && *c != w.term && *c != w.folded)
                .collect();
            let mut typos: Vec<(usize, &str)> = neighbours
                .iter()
                .filter_map(|&c| {
                    // A stem may have lost its word's final e (`tabl`).
                    let d = osa(c, &w.term, most).min(osa(c, &w.folded, most)).min(osa(
                        &format!("{c}e"),
                        &w.folded,
                        most,
                    ));
                    (d <= most).then_some((d, c))
                })
                .collect();
            // Nothing one typo away: the typo may have kept the word from
            // stemming. Scored as two typos, ranked after them (3).
            if exact_df.is_none() && typos.iter().all(|(d, _)| *d > 1) {
                let unstemmed: Vec<(usize, &str)> = neighbours
                    .iter()
                    .filter(|&&c| {
                        !typos.iter().any(|(_, t)| *t == c) && unstemmed_distance(c, &w.folded) <= 1
                    })
                    .map(|&c| (3, c))
                    .collect();
                typos.extend(unstemmed);
            }
            typos.sort();
            // Cut before the filter: a browser loads the postings of the
            // nearest few only.
            typos.truncate(TYPO_CANDIDATES);
            typos.retain(|(_, c)| {
                exact_df.is_none_or(|df| self.postings(c).is_some_and(|p| p.df > df))
            });
            for (d, c) in typos {
                let quality = if d <= 1 { ONE_TYPO } else { TWO_TYPOS };
                let quality = if exact_df.is_some() {
                    quality / 2.0
                } else {
                    quality
                };
                out.push((c.to_owned(), quality));
            }
        }
        if prefix && length >= 2 {
            let mut longer: Vec<&str> = self
                .with_key(&w.folded)
                .into_iter()
                .filter(|c| c.starts_with(w.folded.as_str()) && *c != w.folded && *c != w.term)
                .collect();
            longer.sort_by(|a, b| a.chars().count().cmp(&b.chars().count()).then(a.cmp(b)));
            for c in longer.into_iter().take(PREFIX_CANDIDATES) {
                out.push((c.to_owned(), PREFIX));
            }
        }
        out
    }

    /// Each document's text score.
    fn text_scores(&self, q: &Query, n: usize) -> Vec<f64> {
        let mut total = vec![0.0f64; n];
        // Per group: each document's score, mask and the group's idf.
        let mut group_masks: Vec<HashMap<usize, u32>> = Vec::new();
        let mut group_idfs: Vec<f64> = Vec::new();
        // Each word's best term, for the phrase bonus.
        let mut best_term: Vec<Option<String>> = vec![None; q.words.len()];
        for group in &q.groups {
            let mut idf_max = 0.0f64;
            let mut masks: HashMap<usize, u32> = HashMap::new();
            let mut word_scores: Vec<HashMap<usize, f64>> = Vec::new();
            for &k in &group.words {
                let w = &q.words[k];
                let mut best: HashMap<usize, f64> = HashMap::new();
                for (term, quality) in self.candidates(w, w.prefix) {
                    let Some(p) = self.postings(&term) else {
                        continue;
                    };
                    if best_term[k].is_none() {
                        best_term[k] = Some(term.clone());
                    }
                    idf_max = idf_max.max(p.idf);
                    let short = short_masks(&p.short);
                    for pair in p.all.chunks_exact(2) {
                        let (doc, level) = (pair[0] as usize, pair[1] as usize);
                        let mask = short.get(&doc).copied().unwrap_or(0);
                        let factor = if w.digits && mask & 1 == 0 {
                            LOOSE_NUMBER
                        } else {
                            100.0
                        };
                        let points = p.idf * f64::from(LEVELS[level]) * quality * factor;
                        let slot = best.entry(doc).or_insert(0.0);
                        if points > *slot {
                            *slot = points;
                        }
                        *masks.entry(doc).or_insert(0) |= mask;
                    }
                }
                word_scores.push(best);
            }
            let mut span_scores: Vec<SpanScores> = Vec::new();
            for span in &group.spans {
                let mut points: HashMap<usize, f64> = HashMap::new();
                let (mut idf, mut stands_in) = (0.0, 0.0);
                if let Some(p) = self.postings(&span.term) {
                    idf_max = idf_max.max(p.idf);
                    idf = p.idf;
                    // Where a phrase's words are not all there, the phrase
                    // met in other words weighs as the phrase would; a
                    // concept of one word weighs as itself.
                    stands_in = if span.covers.len() < 2 {
                        idf
                    } else {
                        let words: f64 = span
                            .covers
                            .iter()
                            .filter_map(|&k| self.postings(&q.words[k].term))
                            .map(|w| w.idf)
                            .sum();
                        idf.max(words)
                    };
                    let short = short_masks(&p.short);
                    for pair in p.all.chunks_exact(2) {
                        let (doc, level) = (pair[0] as usize, pair[1] as usize);
                        points.insert(doc, f64::from(LEVELS[level]) * span.quality * 100.0);
                        *masks.entry(doc).or_insert(0) |= short.get(&doc).copied().unwrap_or(0);
                    }
                }
                let covers: Vec<usize> = (0..group.words.len())
                    .filter(|k| span.covers.contains(&group.words[*k]))
                    .collect();
                span_scores.push(SpanScores {
                    covers,
                    points,
                    idf,
                    stands_in,
                });
            }
            let mut docs: Vec<usize> = word_scores
                .iter()
                .flat_map(|m| m.keys().copied())
                .chain(span_scores.iter().flat_map(|s| s.points.keys().copied()))
                .collect();
            docs.sort_unstable();
            docs.dedup();
            for doc in docs {
                let word = |k: usize| word_scores[k].get(&doc).copied().unwrap_or(0.0);
                let all_words: f64 = (0..group.words.len()).map(word).sum();
                let mut best = all_words;
                for span in &span_scores {
                    let Some(&points) = span.points.get(&doc) else {
                        continue;
                    };
                    let all_there = span.covers.iter().all(|&k| word(k) > 0.0);
                    let idf = if all_there { span.idf } else { span.stands_in };
                    let rest: f64 = (0..group.words.len())
                        .filter(|k| !span.covers.contains(k))
                        .map(word)
                        .sum();
                    best = best.max(idf * points + rest);
                }
                total[doc] += best;
            }
            group_masks.push(masks);
            group_idfs.push(idf_max);
        }

        // Adjacent words side by side in a title or message.
        for (a, b) in &q.bigrams {
            let (Some(ta), Some(tb)) = (&best_term[*a], &best_term[*b]) else {
                continue;
            };
            let (Some(pa), Some(pb)) = (self.postings(ta), self.postings(tb)) else {
                continue;
            };
            let Some(p) = self.postings(&format!("{ta} {tb}")) else {
                continue;
            };
            let points = ((pa.idf + pb.idf) / 2.0).floor() * PHRASE_POINTS;
            for pair in p.short.chunks_exact(2) {
                // Side by side in a short field, or only in the summary (half).
                total[pair[0] as usize] += if pair[1] != 0 { points } else { points / 2.0 };
            }
        }

        // One short field explains the query; a title or message the query holds
        // whole; the document holds more of the query's words.
        let weight: f64 = group_idfs.iter().sum();
        if weight > 0.0 {
            let mut docs: Vec<usize> = group_masks.iter().flat_map(|m| m.keys().copied()).collect();
            docs.sort_unstable();
            docs.dedup();
            for doc in docs {
                let mut cover = [0.0f64; 4];
                let mut groups_in = [0u32; 4];
                let mut matched = 0.0f64;
                for (g, masks) in group_masks.iter().enumerate() {
                    let Some(&mask) = masks.get(&doc) else {
                        continue;
                    };
                    matched += group_idfs[g];
                    for (f, c) in cover.iter_mut().enumerate() {
                        if mask & (1 << f) != 0 {
                            *c += group_idfs[g];
                            groups_in[f] += 1;
                        }
                    }
                }
                let best = cover.iter().copied().fold(0.0, f64::max);
                total[doc] += (best * best / weight).floor() * EXPLAIN_POINTS;
                total[doc] += (matched * matched / weight).floor() * COVER_POINTS;
                let title_len = u32::from(self.index.title_lens[doc]);
                if title_len > 0 && groups_in[1] >= title_len {
                    total[doc] += cover[1] * WHOLE_FIELD_POINTS;
                }
                let message_len = u32::from(self.index.message_lens[doc]);
                if message_len > 0 && groups_in[2] >= message_len {
                    total[doc] += cover[2] * WHOLE_FIELD_POINTS;
                }
            }
        }
        total
    }
}

/// A span's matches in one group: per document, the points of its level
/// and quality, to be multiplied by an idf.
struct SpanScores {
    /// The group's words it covers (indices into the group's words).
    covers: Vec<usize>,
    points: HashMap<usize, f64>,
    /// The span's own idf.
    idf: f64,
    /// Its idf where the words it covers are not all in the document.
    stands_in: f64,
}

/// `doc → mask` of a decoded short list.
fn short_masks(short: &[u32]) -> HashMap<usize, u32> {
    short
        .chunks_exact(2)
        .map(|pair| (pair[0] as usize, pair[1]))
        .collect()
}

/// A term's inverse document frequency, ×1000 and rounded, as BM25 has it.
pub fn idf(n: usize, df: usize) -> f64 {
    let (n, df) = (n as f64, df as f64);
    ((1.0 + (n - df + 0.5) / (df + 0.5)).ln() * 1000.0).round()
}

/// The optimal string alignment distance of `a` and `b` (edits,
/// transpositions of neighbours counted once), or `most + 1` when it is
/// larger than `most`.
pub fn osa(a: &str, b: &str, most: usize) -> usize {
    osa_prefix(a, b, most, b.chars().count())
}

/// The smallest optimal string alignment distance of `a` and a beginning of
/// `b` at least `shortest` characters long, or `most + 1` when it is larger
/// than `most`. One table gives every beginning: its last row.
pub fn osa_prefix(a: &str, b: &str, most: usize, shortest: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let shortest = shortest.min(b.len());
    if a.len() > b.len() + most || shortest > a.len() + most {
        return most + 1;
    }
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        let mut row_min = d[i * width];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > most {
            return most + 1;
        }
    }
    let last = &d[a.len() * width..];
    last[shortest..]
        .iter()
        .copied()
        .min()
        .unwrap_or(most + 1)
        .min(most + 1)
}

/// How far a term of the index is from a word whose typo kept the stemmer
/// from taking its ending off: the distance to the word without an ending
/// of up to seven characters (`-ication`), leaving at least four; never
/// under 1. `duplcate` is compared to `duplic` as `duplc`, `organizzation`
/// to `organ` as `organi`.
fn unstemmed_distance(term: &str, folded: &str) -> usize {
    let shortest = folded.chars().count().saturating_sub(7).max(4);
    osa_prefix(term, folded, 1, shortest).max(1)
}

/// A piece of the query.
#[derive(Debug)]
struct QueryPiece {
    /// Its place among the pieces.
    index: usize,
    folded: String,
    stop: bool,
    context: bool,
}

/// A word of the query.
#[derive(Debug)]
struct QueryWord {
    term: String,
    folded: String,
    letters: bool,
    digits: bool,
    prefix: bool,
}

/// An alternative to some words of a group: an identifier whole, or a concept.
#[derive(Debug)]
struct Span {
    term: String,
    quality: f64,
    covers: Vec<usize>,
}

/// Words scored together: a group's score is its best alternative.
#[derive(Debug)]
struct Group {
    words: Vec<usize>,
    spans: Vec<Span>,
}

struct CodeHit {
    docs: Vec<usize>,
    strong: bool,
}

#[derive(Debug)]
struct Query {
    pieces: Vec<QueryPiece>,
    words: Vec<QueryWord>,
    groups: Vec<Group>,
    bigrams: Vec<(usize, usize)>,
    typing: bool,
}

/// Whether a whitespace-separated token of a query is noise as a whole: a
/// URL, a path, an ARN, an e-mail address.
fn noisy_token(token: &str) -> bool {
    let lower = token.to_lowercase();
    lower.contains("://")
        || lower.starts_with('/')
        || lower.starts_with("~/")
        || lower.starts_with("arn:")
        || lower.contains('@')
        || token.matches('/').count() >= 2
        || token.matches('\\').count() >= 2
}

/// Whether a folded piece is an identifier of no meaning: eight characters
/// or more mixing letters and digits (hex ids, request ids, UUIDs), or a
/// number of six digits or more.
fn noisy_piece(folded: &str) -> bool {
    let length = folded.chars().count();
    let digits = folded.chars().filter(|c| c.is_numeric()).count();
    let letters = folded.chars().filter(|c| c.is_alphabetic()).count();
    (length >= 8 && digits >= 2 && letters >= 1) || (digits >= 6 && digits == length)
}

/// White space between the tokens of a query: Unicode's, and the byte
/// order mark (JavaScript's `\s` has it; both sides split alike).
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn parse(text: &str, index: &Index) -> Query {
    let english = index.english;
    let typing = !text.ends_with(is_space);
    let mut a = Analysis::default();
    let mut noisy: Vec<bool> = Vec::new();
    for token in text.split(is_space).filter(|t| !t.is_empty()) {
        let part = analyze(token, english);
        let base_piece = a.pieces.len();
        let base_word = a.words.len();
        let token_noise = noisy_token(token);
        for mut piece in part.pieces {
            noisy.push(token_noise || noisy_piece(&piece.whole));
            piece.first += base_word;
            piece.end += base_word;
            a.pieces.push(piece);
        }
        for mut word in part.words {
            word.piece += base_piece;
            a.words.push(word);
        }
    }
    let pieces: Vec<QueryPiece> = a
        .pieces
        .iter()
        .enumerate()
        .map(|(i, p)| QueryPiece {
            index: i,
            folded: p.whole.to_string(),
            stop: is_stop_word(&p.whole),
            context: CONTEXT_WORDS.contains(&&*p.whole),
        })
        .collect();
    // The words that count: not stop words, not noise, each term once.
    let last_piece = a.pieces.len().saturating_sub(1);
    let mut words: Vec<QueryWord> = Vec::new();
    let mut word_of: Vec<Option<usize>> = vec![None; a.words.len()];
    let mut seen: HashSet<String> = HashSet::new();
    for (i, w) in a.words.iter().enumerate() {
        if w.stop || noisy[w.piece] || !seen.insert(w.term.to_string()) {
            continue;
        }
        word_of[i] = Some(words.len());
        words.push(QueryWord {
            term: w.term.to_string(),
            folded: w.folded.to_string(),
            letters: w.folded.chars().all(char::is_alphabetic),
            digits: w.folded.chars().all(char::is_numeric),
            prefix: typing && w.piece == last_piece && i + 1 == a.words.len(),
        });
    }
    // Groups: a word alone, joined by the identifiers and concepts that span it.
    let mut group_of: Vec<usize> = (0..words.len()).collect();
    fn root(group_of: &mut [usize], mut g: usize) -> usize {
        while group_of[g] != g {
            group_of[g] = group_of[group_of[g]];
            g = group_of[g];
        }
        g
    }
    let mut spans: Vec<Span> = Vec::new();
    let mut span_terms: HashSet<String> = HashSet::new();
    for (p, piece) in a.pieces.iter().enumerate() {
        if noisy[p] || !piece.is_compound(&a.words) {
            continue;
        }
        let covers: Vec<usize> = (piece.first..piece.end)
            .filter_map(|i| word_of[i])
            .collect();
        if covers.is_empty() || !span_terms.insert(piece.whole.to_string()) {
            continue;
        }
        spans.push(Span {
            term: piece.whole.to_string(),
            quality: EXACT,
            covers,
        });
    }
    // Concepts, found in the words of the query that are not noise.
    let clean: Vec<usize> = (0..a.words.len())
        .filter(|&i| !noisy[a.words[i].piece])
        .collect();
    let clean_words: Vec<_> = clean.iter().map(|&i| a.words[i].clone()).collect();
    for (first, end, g) in index.thesaurus.find(&clean_words) {
        let term = &index.thesaurus.groups[g].0;
        let covers: Vec<usize> = clean[first..end]
            .iter()
            .filter_map(|&i| word_of[i])
            .collect();
        if covers.is_empty() || !span_terms.insert(term.clone()) {
            continue;
        }
        spans.push(Span {
            term: term.clone(),
            quality: CONCEPT,
            covers,
        });
    }
    for span in &spans {
        for pair in span.covers.windows(2) {
            let (x, y) = (root(&mut group_of, pair[0]), root(&mut group_of, pair[1]));
            group_of[x.max(y)] = x.min(y);
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut group_index: HashMap<usize, usize> = HashMap::new();
    for k in 0..words.len() {
        let r = root(&mut group_of, k);
        let g = *group_index.entry(r).or_insert_with(|| {
            groups.push(Group {
                words: Vec::new(),
                spans: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].words.push(k);
    }
    for span in spans {
        let r = root(&mut group_of, span.covers[0]);
        groups[group_index[&r]].spans.push(span);
    }
    // Adjacent words, for the phrase bonus.
    let mut bigrams: Vec<(usize, usize)> = Vec::new();
    let mut previous: Option<usize> = None;
    for (i, w) in a.words.iter().enumerate() {
        if w.stop {
            continue;
        }
        if noisy[w.piece] {
            previous = None;
            continue;
        }
        let current = match word_of[i] {
            Some(k) => k,
            None => words
                .iter()
                .position(|x| *x.term == *w.term)
                .expect("a word left out as a repeat has its first"),
        };
        if let Some(p) = previous
            && p != current
            && !bigrams.contains(&(p, current))
        {
            bigrams.push((p, current));
        }
        previous = Some(current);
    }
    Query {
        pieces,
        words,
        groups,
        bigrams,
        typing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osa_counts_transpositions_once() {
        assert_eq!(osa("recieve", "receive", 2), 1);
        assert_eq!(osa("tpyes", "types", 2), 1);
        assert_eq!(osa("enogh", "enough", 2), 1);
        assert_eq!(osa("intialisaton", "initialisation", 2), 2);
        assert_eq!(osa("abc", "xyz", 1), 2);
    }

    #[test]
    fn osa_prefix_measures_to_the_nearest_beginning() {
        assert_eq!(osa_prefix("duplic", "duplcate", 1, 4), 1);
        assert_eq!(osa_prefix("abc", "abcdef", 1, 3), 0);
        assert_eq!(osa_prefix("abc", "abcdef", 1, 6), 2);
        assert_eq!(osa_prefix("abc", "", 1, 0), 2);
        assert_eq!(osa_prefix("ab", "", 2, 0), 2);
        assert_eq!(osa_prefix("", "", 1, 5), 0);
    }

    #[test]
    fn a_typo_that_kept_the_ending_is_measured_without_it() {
        assert_eq!(unstemmed_distance("duplic", "duplcate"), 1);
        assert_eq!(unstemmed_distance("organ", "organizzation"), 1);
        assert_eq!(unstemmed_distance("creat", "creted"), 1);
        // A term the word merely begins with is one typo at least.
        assert_eq!(unstemmed_distance("upper", "uppercase"), 1);
        assert!(unstemmed_distance("table", "duplcate") > 1);
    }

    #[test]
    fn qualified_codes_have_last_parts() {
        assert_eq!(last_part("billing.CardDeclined"), Some("CardDeclined"));
        assert_eq!(last_part("s3.AccessDenied"), Some("AccessDenied"));
        assert_eq!(last_part("a.b"), None);
        assert_eq!(last_part("429"), None);
    }

    #[test]
    fn ids_paths_and_long_numbers_are_noise() {
        assert!(noisy_piece("req_4721bf65eb797c47"));
        assert!(noisy_piece("123e4567-e89b-12d3-a456-426614174000"));
        assert!(noisy_piece("1234567"));
        assert!(!noisy_piece("e0308"));
        assert!(!noisy_piece("429"));
        assert!(!noisy_piece("sqs.queuedoesnotexist"));
        assert!(noisy_token("https://registry.example.com/v2/"));
        assert!(noisy_token("/var/task/handler.py"));
        assert!(noisy_token("arn:aws:iam::123456789012:role/x"));
        assert!(!noisy_token("HTTP/1.1"));
    }
}
