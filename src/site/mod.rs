//! The validated site: config plus entries in display order, with lookups by code.

pub mod natural;

use rayon::slice::ParallelSliceMut;
use rustc_hash::FxHashMap;
use std::ops::Range;
use std::path::PathBuf;

use crate::check::LoadedEntry;
use crate::content::config::{Category, Config};
use crate::content::entry::{Entry, Status};
use crate::diagnostics::source::SourceFile;
use crate::diagnostics::span::Spanned;
use crate::layout::{page_in, segment_dir, url_segment};

/// An entry of a valid site.
#[derive(Debug, Clone)]
pub struct SiteEntry {
    /// The file it came from.
    pub source: SourceFile,
    /// What it says.
    pub entry: Box<Entry>,
    /// Its primary code.
    pub code: String,
    /// Its other codes, which redirect to the primary's page.
    pub aliases: Vec<String>,
    /// Index of its category in the config's order.
    pub category: usize,
    /// What it refers to (related codes, `code:` links), as validation found it.
    pub facts: crate::check::Facts,
    /// When its file last changed in git (`build --git-dates`), as `YYYY-MM-DD`.
    pub last_updated: Option<String>,
}

impl SiteEntry {
    /// The entry's title.
    pub fn title(&self) -> &str {
        &self.entry.title.value
    }

    /// "429 Too Many Requests": the code and title, as link text and page
    /// title; the code alone when the title only repeats it or its last
    /// part (`billing.CardDeclined` titled "CardDeclined").
    pub fn label(&self) -> String {
        if self.title_repeats_code() {
            self.code.clone()
        } else {
            format!("{} {}", self.code, self.title())
        }
    }

    /// Whether the title says nothing but the code, or the code's last part
    /// after `.`, `:` or `/`, in any case and spacing.
    pub fn title_repeats_code(&self) -> bool {
        let bare = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let title = bare(self.title());
        let last = self.code.rsplit(['.', ':', '/']).next().unwrap_or_default();
        title == bare(&self.code) || title == bare(last)
    }
}

/// Most characters of a title in the label of a `[](code:…)` link: the
/// label is written wherever such a link is, however many there are.
const LABEL_TITLE_CHARS: usize = 120;

/// "429 Too Many Requests": the text of a link to a code that has none of
/// its own, its title cut at [`LABEL_TITLE_CHARS`] characters with `…`.
pub fn code_label(code: &str, title: &str) -> String {
    match title.char_indices().nth(LABEL_TITLE_CHARS) {
        Some(_) => {
            let cut: String = title.chars().take(LABEL_TITLE_CHARS - 1).collect();
            format!("{code} {cut}…")
        }
        None => format!("{code} {title}"),
    }
}

/// A category with its entries.
#[derive(Debug, Clone, Copy)]
pub struct CategoryGroup<'a> {
    /// Its position in `categories`.
    pub index: usize,
    /// The key in `categories`.
    pub key: &'a str,
    /// Its definition.
    pub category: &'a Category,
    /// Its entries, in display order.
    pub entries: &'a [SiteEntry],
    /// The index in [`Site::entries`] of the first of them.
    pub first: usize,
}

/// An entry as other pages link to it (`related`, `code:` links,
/// `replaced_by`, lists): see [`Site::card`].
#[derive(Debug, Clone, Copy)]
pub struct Card<'a> {
    /// Its index in [`Site::entries`].
    pub index: usize,
    /// Its primary code.
    pub code: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its summary, trimmed.
    pub summary: &'a str,
    /// Its code made a URL segment ([`url_segment`]).
    pub segment: &'a str,
    /// Its HTTP status, if it has one.
    pub http_status: Option<i64>,
    /// Its lifecycle.
    pub status: Status,
    /// Whether retrying can succeed, if the entry says.
    pub retryable: Option<bool>,
    /// Whether it has alias codes (they are in [`SiteEntry::aliases`]).
    pub has_aliases: bool,
}

impl Card<'_> {
    /// The folder of its page, as [`entry_dir`](crate::layout::entry_dir) gives it.
    pub fn dir(&self) -> String {
        segment_dir(self.segment)
    }

    /// Its page, as [`entry_page`](crate::layout::entry_page) gives it.
    pub fn page(&self) -> String {
        page_in(&self.dir())
    }
}

/// The cards of every entry, their text in one buffer in display order.
///
/// Reading another entry through its [`SiteEntry`] chases a pointer to the
/// parsed entry and one more to each string, each to a different part of a
/// large heap, and each misses the cache; pages and exports follow about a
/// dozen such links per entry. A card is one record and a few adjacent
/// bytes.
#[derive(Debug, Clone, Default)]
struct Cards {
    text: String,
    records: Vec<CardRecord>,
}

#[derive(Debug, Clone, Copy)]
struct CardRecord {
    /// Where the code starts in `text`, then where the code, title, summary
    /// and segment end (each starts where the one before ends).
    bounds: [usize; 5],
    http_status: Option<i64>,
    status: Status,
    retryable: Option<bool>,
    has_aliases: bool,
}

impl Cards {
    fn new(entries: &[SiteEntry]) -> Self {
        let mut text = String::new();
        let mut records = Vec::with_capacity(entries.len());
        for e in entries {
            let start = text.len();
            let mut bounds = [start; 5];
            let summary = e.entry.summary.value.trim();
            for (i, piece) in [e.code.as_str(), e.title(), summary]
                .into_iter()
                .enumerate()
            {
                text.push_str(piece);
                bounds[i + 1] = text.len();
            }
            text.push_str(&url_segment(&e.code));
            bounds[4] = text.len();
            records.push(CardRecord {
                bounds,
                http_status: e.entry.http_status.as_ref().map(|s| s.value),
                status: e.entry.status(),
                retryable: e.entry.retryable,
                has_aliases: !e.aliases.is_empty(),
            });
        }
        Self { text, records }
    }

    fn get(&self, index: usize) -> Card<'_> {
        let r = &self.records[index];
        let [start, code, title, summary, segment] = r.bounds;
        Card {
            index,
            code: &self.text[start..code],
            title: &self.text[code..title],
            summary: &self.text[title..summary],
            segment: &self.text[summary..segment],
            http_status: r.http_status,
            status: r.status,
            retryable: r.retryable,
            has_aliases: r.has_aliases,
        }
    }
}

/// A site whose content passed validation.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site root.
    pub root: PathBuf,
    /// The config.
    pub config: Config,
    /// Entries by category order, then by code in natural order.
    pub entries: Vec<SiteEntry>,
    /// Code or alias → index in `entries`.
    by_code: FxHashMap<String, usize>,
    /// What links to each entry show, made from `entries` when the site is
    /// made (only `last_updated` changes after).
    cards: Cards,
    /// Range of `entries` of each category, in config order.
    ranges: Vec<Range<usize>>,
    /// Redirected codes (from `redirects` in the config) and the entry each ends at.
    pub redirects: Vec<(String, usize)>,
}

impl Site {
    /// Orders valid entries for display and indexes them by code.
    pub fn new(root: PathBuf, config: Config, loaded: Vec<LoadedEntry>) -> Self {
        let mut entries: Vec<SiteEntry> = loaded
            .into_iter()
            .map(
                |LoadedEntry {
                     source,
                     entry,
                     facts,
                 }| {
                    let mut codes = entry
                        .codes()
                        .into_iter()
                        .map(|c| c.value.as_str().to_owned());
                    let code = codes.next().unwrap_or_default();
                    let aliases = codes.collect();
                    let category = config
                        .category_index(&entry.category.value)
                        .unwrap_or(usize::MAX);
                    SiteEntry {
                        source,
                        entry,
                        code,
                        aliases,
                        category,
                        facts,
                        last_updated: None,
                    }
                },
            )
            .collect();
        // In place and in parallel (a stable sort would copy all entries
        // once more); the file's path breaks ties, so the order is total.
        entries.par_sort_unstable_by(|a, b| {
            a.category
                .cmp(&b.category)
                .then_with(|| natural::compare(&a.code, &b.code))
                .then_with(|| a.source.path.cmp(&b.source.path))
        });
        let mut by_code = FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
        for (i, e) in entries.iter().enumerate() {
            for code in std::iter::once(&e.code).chain(&e.aliases) {
                by_code.insert(code.clone(), i);
            }
        }
        let ranges = (0..config.categories().len())
            .map(|c| {
                let start = entries.partition_point(|e| e.category < c);
                let end = entries.partition_point(|e| e.category <= c);
                start..end
            })
            .collect();
        let redirects = resolve_redirects(&config, &by_code);
        let cards = Cards::new(&entries);
        Self {
            root,
            config,
            entries,
            by_code,
            cards,
            ranges,
            redirects,
        }
    }

    /// Whether the site gets the one-page view (`one_page_max` in the config).
    pub fn has_one_page_view(&self) -> bool {
        !self.entries.is_empty() && self.entries.len() <= self.config.one_page_max()
    }

    /// Whether the home page shows the categories with their counts instead
    /// of every code (`home_list_max`).
    pub fn home_is_overview(&self) -> bool {
        self.entries.len() > self.config.home_list_max()
    }

    /// How many pages the category at `index` takes: its entries,
    /// `category_page_size` a page; an empty category has one, empty page.
    pub fn category_pages(&self, index: usize) -> usize {
        self.ranges[index]
            .len()
            .div_ceil(self.config.category_page_size())
            .max(1)
    }

    /// The entry documenting `code` (primary or alias).
    pub fn get(&self, code: &str) -> Option<&SiteEntry> {
        self.by_code.get(code).map(|&i| &self.entries[i])
    }

    /// The card of the entry at `index` in display order.
    pub fn card(&self, index: usize) -> Card<'_> {
        self.cards.get(index)
    }

    /// The card of the entry documenting `code` (primary or alias).
    pub fn card_of(&self, code: &str) -> Option<Card<'_>> {
        self.index_of(code).map(|i| self.cards.get(i))
    }

    /// The index in `entries` of the entry documenting `code`.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// Categories that have entries, in config order.
    pub fn categories(&self) -> Vec<CategoryGroup<'_>> {
        (0..self.ranges.len())
            .filter(|&c| !self.ranges[c].is_empty())
            .map(|c| self.category(c))
            .collect()
    }

    /// The group of the category at `index` in config order.
    pub fn category(&self, index: usize) -> CategoryGroup<'_> {
        let (key, category): &(Spanned<String>, Category) = &self.config.categories()[index];
        CategoryGroup {
            index,
            key: &key.value,
            category,
            entries: &self.entries[self.ranges[index].clone()],
            first: self.ranges[index].start,
        }
    }

    /// The entries before and after `index` within its category.
    pub fn neighbours(&self, index: usize) -> (Option<&SiteEntry>, Option<&SiteEntry>) {
        let (previous, next) = self.neighbour_indices(index);
        (
            previous.map(|i| &self.entries[i]),
            next.map(|i| &self.entries[i]),
        )
    }

    /// The indices of the entries before and after `index` within its category.
    pub fn neighbour_indices(&self, index: usize) -> (Option<usize>, Option<usize>) {
        let range = &self.ranges[self.entries[index].category];
        let previous = (index > range.start).then(|| index - 1);
        let next = (index + 1 < range.end).then_some(index + 1);
        (previous, next)
    }

    /// The fallback entry (shown on 404 and when search finds nothing).
    pub fn fallback(&self) -> Option<&SiteEntry> {
        self.config
            .file
            .fallback
            .as_ref()
            .and_then(|c| self.get(c.value.as_str()))
    }
}

/// Follows each redirect of the config to the entry it ends at (validation
/// has made sure every chain ends at a defined code, without a loop).
fn resolve_redirects(config: &Config, by_code: &FxHashMap<String, usize>) -> Vec<(String, usize)> {
    let redirects = config.redirects();
    let mut resolved = Vec::with_capacity(redirects.len());
    for (old, target) in redirects {
        let mut code = target.value.as_str();
        for _ in 0..=redirects.len() {
            if let Some(&index) = by_code.get(code) {
                resolved.push((old.value.clone(), index));
                break;
            }
            match redirects.iter().find(|(o, _)| o.value == code) {
                Some((_, next)) => code = next.value.as_str(),
                None => break,
            }
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use crate::layout::{entry_dir, entry_page};

    #[test]
    fn cards_show_what_their_entries_say() {
        let dir = tempfile::tempdir().unwrap();
        crate::testing::corpus::write_site(300, dir.path(), 3).unwrap();
        let loaded = crate::check::load(dir.path()).unwrap();
        let site = super::Site::new(loaded.root, loaded.config.unwrap(), loaded.entries);
        let mut aliased = 0;
        for (i, e) in site.entries.iter().enumerate() {
            let card = site.card(i);
            assert_eq!(card.index, i);
            assert_eq!(card.code, e.code);
            assert_eq!(card.title, e.title());
            assert_eq!(card.summary, e.entry.summary.value.trim());
            assert_eq!(card.page(), entry_page(&e.code));
            assert_eq!(card.dir(), entry_dir(&e.code));
            assert_eq!(
                card.http_status,
                e.entry.http_status.as_ref().map(|s| s.value)
            );
            assert_eq!(card.status, e.entry.status());
            assert_eq!(card.has_aliases, !e.aliases.is_empty());
            for alias in &e.aliases {
                assert_eq!(site.card_of(alias).unwrap().index, i);
                aliased += 1;
            }
            assert_eq!(site.card_of(&e.code).unwrap().index, i);
        }
        assert!(aliased > 0, "the corpus has alias codes");
        assert!(site.card_of("no such code").is_none());
    }
}
