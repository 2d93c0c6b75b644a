//! Search: the index built with the site, and the engine that answers
//! queries from it.
//!
//! The site's search box runs `static/search.js` over the index files
//! ([`files`]); `errdex search` and `errdex explain` run [`engine`] over
//! the same index in memory. The two implement one algorithm — text rules
//! in [`text`], error vocabulary in [`thesaurus`], ranking in [`engine`] —
//! and a test holds their answers equal.

pub mod engine;
pub mod files;
pub mod index;
mod shown;
pub mod store;
pub mod text;
pub mod thesaurus;

use std::collections::BTreeMap;

use crate::content::entry::Solutions;
use crate::content::markdown;
use crate::site::Site;
use index::{SearchDoc, TermPostings};
use thesaurus::Thesaurus;

/// Format version of the index files.
pub const INDEX_VERSION: u32 = 3;

/// Sites with more entries than this get a sharded index.
pub const SHARD_ABOVE: usize = 500;

/// A document as a result shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The entry's primary code.
    pub code: String,
    /// The title.
    pub title: String,
    /// The summary.
    pub summary: String,
    /// The index of its category.
    pub category: usize,
    /// The entry's aliases, or a variant's type.
    pub aliases: Vec<String>,
    /// A variant's type (its anchor on the entry's page); empty for an entry.
    pub anchor: String,
}

fn card(doc: SearchDoc<'_>) -> Card {
    match doc {
        SearchDoc::Entry(e) => Card {
            code: e.code.clone(),
            title: e.title().to_owned(),
            summary: e.entry.summary.value.trim().to_owned(),
            category: e.category,
            aliases: e.aliases.clone(),
            anchor: String::new(),
        },
        SearchDoc::Variant(e, v) => Card {
            code: e.code.clone(),
            title: v.title.value.trim().to_owned(),
            summary: v.summary.value.trim().to_owned(),
            category: e.category,
            aliases: vec![v.kind.value.clone()],
            anchor: v.kind.value.clone(),
        },
    }
}

/// Everything search knows of a site.
pub struct Index {
    /// Whether stemming and the built-in vocabulary apply.
    pub english: bool,
    /// Category titles, by index.
    pub categories: Vec<String>,
    /// Every document, in document order.
    pub cards: Vec<Card>,
    /// Documents found by their exact code only.
    pub removed: Vec<usize>,
    /// Codes that moved (`redirects` in errdex.yaml) and the document they lead to.
    pub redirects: BTreeMap<String, usize>,
    /// The fallback entry's document, shown with its first steps when nothing matches.
    pub fallback: Option<usize>,
    /// The fallback's first steps, as plain text.
    pub fallback_steps: Vec<String>,
    /// The vocabulary that stands for concepts.
    pub thesaurus: Thesaurus,
    /// Each document's title length in terms.
    pub title_lens: Vec<u8>,
    /// Each document's shortest message length in terms (0: none).
    pub message_lens: Vec<u8>,
    /// Terms and their postings, sorted by term.
    pub terms: Vec<(String, TermPostings)>,
}

impl Index {
    /// The index of `site`, every document analyzed (a [`store::Store`]
    /// keeps the analysis for the next index).
    pub fn of(site: &Site) -> Index {
        store::Store::default().index(site)
    }

    /// The index of `site` from its documents' postings.
    fn assemble(
        site: &Site,
        docs: &[SearchDoc<'_>],
        thesaurus: Thesaurus,
        built: index::Built,
    ) -> Index {
        let (fallback, fallback_steps) = fallback(site);
        Index {
            english: site.config.is_english(),
            categories: site
                .config
                .categories()
                .iter()
                .map(|(_, c)| c.title.value.clone())
                .collect(),
            cards: docs.iter().map(|d| card(*d)).collect(),
            removed: docs
                .iter()
                .enumerate()
                .filter(|(_, d)| index::is_removed(**d))
                .map(|(i, _)| i)
                .collect(),
            redirects: site
                .redirects
                .iter()
                .map(|(old, index)| (old.clone(), *index))
                .collect(),
            fallback,
            fallback_steps,
            thesaurus,
            title_lens: built.title_lens,
            message_lens: built.message_lens,
            terms: built.terms,
        }
    }

    /// Where `term` is in [`Index::terms`].
    pub fn term_index(&self, term: &str) -> Option<usize> {
        self.terms
            .binary_search_by(|(t, _)| t.as_str().cmp(term))
            .ok()
    }

    /// The entries' primary codes, in document order.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.cards
            .iter()
            .filter(|c| c.anchor.is_empty())
            .map(|c| c.code.as_str())
    }

    /// Aliases and variant types, each with its document.
    pub fn aliases(&self) -> BTreeMap<&str, usize> {
        let mut out = BTreeMap::new();
        for (doc, card) in self.cards.iter().enumerate() {
            for alias in &card.aliases {
                out.insert(alias.as_str(), doc);
            }
        }
        out
    }
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
