//! Turning the site into HTML: Tera setup with the built-in templates and the
//! site's overrides, and the context each page type receives.

pub mod highlight;
pub mod html;
pub mod markdown;
pub mod seo;
pub mod theme;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Tera};

use crate::content::entry::{Solutions, Status, Step, Steps};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::rules::Rule;
use crate::layout::SECTION_IDS;
use crate::layout::TEMPLATES_DIR;
use crate::site::{self, Site, SiteEntry};
use markdown::PageIds;

/// The compiled templates and their sources (for error messages).
#[derive(Clone)]
pub struct Templates {
    tera: Tera,
    sources: Vec<TemplateSource>,
    /// [`SECTION_IDS`] and every literal `id="…"` of the templates.
    taken_ids: Vec<String>,
}

#[derive(Clone)]
struct TemplateSource {
    name: String,
    /// Shown in diagnostics: `templates/entry.html`, or `(built-in) entry.html`.
    shown_as: String,
    text: String,
}

/// Loads the built-in templates, then (with a root) the site's
/// `templates/**/*.html` over them.
pub fn templates(root: Option<&Path>) -> Result<Templates, Diagnostic> {
    let mut sources: Vec<TemplateSource> = theme::TEMPLATES
        .iter()
        .map(|(name, text)| TemplateSource {
            name: (*name).to_owned(),
            shown_as: format!("(built-in) {name}"),
            text: (*text).to_owned(),
        })
        .collect();
    let dir = root.map(|r| r.join(TEMPLATES_DIR));
    if let (Some(dir), Some(root)) = (dir.filter(|d| d.is_dir()), root) {
        let contained = crate::content::contain::Containment::new(root);
        let mut refused = Vec::new();
        let walker = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .follow_links(true)
            .into_iter()
            .filter_entry(contained.filter(&mut refused));
        for item in walker {
            let item =
                item.map_err(|e| plain_error(format!("cannot read {TEMPLATES_DIR}: {e}")))?;
            let path = item.path();
            if !item.file_type().is_file() || path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let name = crate::diagnostics::source::SourceFile::display_path(&dir, path);
            let text = fs::read_to_string(path)
                .map_err(|e| plain_error(format!("cannot read {}: {e}", path.display())))?;
            let source = TemplateSource {
                shown_as: format!("{TEMPLATES_DIR}/{name}"),
                name,
                text,
            };
            match sources.iter_mut().find(|s| s.name == source.name) {
                Some(existing) => *existing = source,
                None => sources.push(source),
            }
        }
        if let Some(problem) = refused.into_iter().next() {
            return Err(problem);
        }
    }
    let mut tera = Tera::new();
    let mut taken_ids: Vec<String> = SECTION_IDS.iter().map(|id| (*id).to_owned()).collect();
    taken_ids.extend(sources.iter().flat_map(|s| literal_ids(&s.text)));
    taken_ids.sort();
    taken_ids.dedup();
    match tera.add_raw_templates(sources.iter().map(|s| (s.name.as_str(), s.text.as_str()))) {
        Ok(()) => Ok(Templates {
            tera,
            sources,
            taken_ids,
        }),
        Err(error) => Err(tera_diagnostic(&error, &sources, None)),
    }
}

/// The ids a template gives its elements literally (`id="search-results"`,
/// not `id="{{ … }}"`): headings made from markdown must take others.
pub fn literal_ids(template: &str) -> impl Iterator<Item = String> + '_ {
    template.match_indices("id=\"").filter_map(|(at, _)| {
        let rest = &template[at + 4..];
        let id = &rest[..rest.find('"')?];
        (!id.is_empty() && !id.contains(['{', '}', ' '])).then(|| id.to_owned())
    })
}

fn plain_error(message: String) -> Diagnostic {
    Diagnostic::new(Rule::TemplateError, message).in_file(TEMPLATES_DIR)
}

/// A Tera error as a diagnostic pointing into the template.
fn tera_diagnostic(
    error: &tera::Error,
    sources: &[TemplateSource],
    page: Option<&str>,
) -> Diagnostic {
    let prefix = page.map(|p| format!("rendering {p}: ")).unwrap_or_default();
    let report = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            Some(report)
        }
        _ => None,
    };
    let located = report.and_then(|r| Some((r, sources.iter().find(|s| s.name == r.filename())?)));
    match located {
        Some((report, source)) => {
            let file = crate::diagnostics::source::SourceFile::new(
                &*source.shown_as,
                &*source.shown_as,
                source.text.clone(),
            );
            let range = &report.span().range;
            Diagnostic::new(Rule::TemplateError, format!("{prefix}{}", report.message())).at(
                &file,
                crate::diagnostics::span::Span::new(range.start, range.len().max(1)),
            )
        }
        None => plain_error(format!("{prefix}{error}")),
    }
}

/// One page of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageId {
    /// `index.html`.
    Index,
    /// `404.html`.
    NotFound,
    /// The page of the entry at this index in display order.
    Entry(usize),
    /// The redirect page of an entry's alias: (entry index, alias index).
    Alias(usize, usize),
    /// Page `.1` (counted from 0) of the category at index `.0` in config order.
    Category(usize, usize),
    /// The redirect page of a redirected code (index in `Site::redirects`).
    Redirect(usize),
    /// `all/index.html`: every entry in full, on one page.
    All,
    /// `search/index.html`: the results of a search (`?q=`).
    Search,
}

impl PageId {
    /// Every page of `site`, the ones that list many entries first: each is
    /// one long task of its own, and started last they would run one after
    /// another on one core at the end of the build while the other had
    /// nothing left to do.
    pub fn all(site: &Site) -> Vec<PageId> {
        let mut pages = Self::lists(site);
        for (i, e) in site.entries.iter().enumerate() {
            pages.push(PageId::Entry(i));
            pages.extend((0..e.aliases.len()).map(|a| PageId::Alias(i, a)));
        }
        pages
    }

    /// Every page but those of entries and their aliases: the home, the
    /// one-page view, categories, 404 and redirected codes, listing pages first.
    pub fn lists(site: &Site) -> Vec<PageId> {
        let mut pages = vec![PageId::Index];
        if site.has_one_page_view() {
            pages.push(PageId::All);
        }
        for c in
            (0..site.config.categories().len()).filter(|&c| !site.category(c).entries.is_empty())
        {
            pages.extend((0..site.category_pages(c)).map(|p| PageId::Category(c, p)));
        }
        pages.push(PageId::NotFound);
        pages.push(PageId::Search);
        pages.extend((0..site.redirects.len()).map(PageId::Redirect));
        pages
    }

    /// The file of the page, relative to the output folder.
    pub fn path(self, site: &Site) -> String {
        match self {
            PageId::Index => "index.html".into(),
            PageId::NotFound => "404.html".into(),
            PageId::Entry(i) => crate::layout::entry_page(&site.entries[i].code),
            PageId::Alias(i, a) => crate::layout::entry_page(&site.entries[i].aliases[a]),
            PageId::Category(c, p) => {
                crate::layout::page_in(&crate::layout::category_page_dir(site.category(c).key, p))
            }
            PageId::Redirect(r) => crate::layout::entry_page(&site.redirects[r].0),
            PageId::All => crate::layout::ONE_PAGE.into(),
            PageId::Search => crate::layout::SEARCH_PAGE.into(),
        }
    }
}

/// Renders pages of one site with one set of templates.
pub struct Pages<'a> {
    site: &'a Site,
    templates: Templates,
    /// The table columns of each category, in config order: found once, as
    /// every page of a category shows the same.
    columns: Vec<ColumnsCx>,
    /// The labels with their defaults filled in, found once for every page.
    labels: std::collections::BTreeMap<&'static str, &'a str>,
    one_page: Option<&'a OnePageCache>,
}

/// The entries of the one-page view as rendered, kept between rebuilds by
/// `serve`: the view lists every entry in full, and one edit should not
/// render a thousand entries again.
#[derive(Default)]
pub struct OnePageCache(std::sync::Mutex<HashMap<String, Arc<str>>>);

impl std::fmt::Debug for OnePageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries = self.0.lock().map_or(0, |m| m.len());
        f.debug_struct("OnePageCache")
            .field("entries", &entries)
            .finish()
    }
}

impl OnePageCache {
    /// Drops the entry of `code`, whose page changed.
    pub fn forget(&self, code: &str) {
        self.0.lock().expect("no renderer panicked").remove(code);
    }

    /// Drops every entry.
    pub fn clear(&self) {
        self.0.lock().expect("no renderer panicked").clear();
    }

    fn get(&self, code: &str) -> Option<Arc<str>> {
        self.0
            .lock()
            .expect("no renderer panicked")
            .get(code)
            .cloned()
    }

    fn keep(&self, code: &str, html: &Arc<str>) {
        self.0
            .lock()
            .expect("no renderer panicked")
            .insert(code.to_owned(), Arc::clone(html));
    }
}

#[derive(Serialize)]
struct SiteCx<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    base_url: &'a str,
    categories: Vec<CategoryRefCx>,
    fallback: Option<String>,
    /// The path of the one-page view, when the site has one.
    one_page: Option<&'static str>,
}

#[derive(Serialize)]
struct PageCx {
    kind: &'static str,
    title: String,
    description: String,
    canonical: Option<String>,
    path: String,
    /// `website` or `article`, for Open Graph.
    og_type: &'static str,
    /// schema.org JSON-LD, safe to put in a script element as is.
    json_ld: Option<String>,
}

#[derive(Serialize)]
struct CategoryRefCx {
    key: String,
    title: String,
    description: Option<String>,
    path: String,
    /// Its position in `categories` of errdex.yaml, as the search index
    /// numbers categories (`site.categories` only: the results page's filter).
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

/// A link to an entry, as lists and neighbours show it. It borrows from the
/// site: a list page holds one per entry it lists while Tera makes its own
/// copy of them.
#[derive(Serialize)]
struct EntryRefCx<'a> {
    code: &'a str,
    aliases: &'a [String],
    title: &'a str,
    summary: &'a str,
    path: String,
    http_status: Option<i64>,
    deprecated: bool,
    /// `active`, `deprecated` or `removed`.
    status: &'static str,
    retryable: Option<bool>,
}

#[derive(Serialize)]
struct VariantCx {
    /// The `type` identifier, also the variant's anchor.
    kind: String,
    title: String,
    summary: String,
    messages: Vec<String>,
    retryable: Option<bool>,
    description: Option<String>,
    causes: Vec<StepCx>,
    solutions: Vec<SolutionGroupCx>,
}

#[derive(Serialize)]
struct StepCx {
    html: String,
    steps: Vec<StepCx>,
}

#[derive(Serialize)]
struct SolutionGroupCx {
    key: Option<String>,
    title: Option<String>,
    steps: Vec<StepCx>,
}

#[derive(Serialize)]
struct TocCx {
    id: String,
    title: String,
    children: Vec<TocCx>,
}

#[derive(Serialize)]
struct ExampleCx {
    title: Option<String>,
    language: Option<String>,
    /// The code as text (JSON pretty-printed).
    body: String,
    /// The code highlighted, when its language is known.
    html: Option<String>,
}

#[derive(Serialize)]
struct LinkCx {
    title: String,
    url: String,
    external: bool,
}

#[derive(Serialize)]
struct EntryCx<'a> {
    /// The sections, when the entry is long enough to list them.
    toc: Vec<TocCx>,
    /// `active`, `deprecated` or `removed`.
    status: &'static str,
    /// The entry that replaces this one.
    replaced_by: Option<EntryRefCx<'a>>,
    since: Option<String>,
    removed_in: Option<String>,
    /// The `reviewed` date, `YYYY-MM-DD`.
    reviewed: Option<String>,
    variants: Vec<VariantCx>,
    /// Each message as HTML, placeholders in `<var>`.
    messages: Vec<String>,
    /// `feedback_url` with this entry's code, title and address filled in.
    feedback_url: Option<String>,
    code: String,
    aliases: Vec<String>,
    title: String,
    summary: String,
    path: String,
    category: CategoryRefCx,
    http_status: Option<i64>,
    http_class: Option<String>,
    retryable: Option<bool>,
    deprecated: bool,
    description: Option<String>,
    causes: Vec<StepCx>,
    solutions: Vec<SolutionGroupCx>,
    examples: Vec<ExampleCx>,
    related: Vec<EntryRefCx<'a>>,
    links: Vec<LinkCx>,
    tags: Vec<String>,
    source_path: String,
    edit_url: Option<String>,
    last_updated: Option<String>,
}

/// The note for a reader who arrived from an alias's address.
#[derive(Serialize)]
struct ArrivalCx {
    alias: String,
    /// The `alias_arrival` label filled in.
    html: String,
}

#[derive(Serialize)]
struct OnePageCategoryCx<'a> {
    category: CategoryRefCx,
    entries: Vec<OnePageEntryCx<'a>>,
}

/// An entry of the one-page view: rendered by `all-entry.html`.
#[derive(Serialize)]
struct OnePageEntryCx<'a> {
    code: &'a str,
    title: &'a str,
    html: &'a str,
}

#[derive(Serialize)]
struct CategoryCx<'a> {
    key: String,
    title: String,
    description: Option<String>,
    path: String,
    /// Its entries on every page.
    count: usize,
    /// The entries listed: those of the page shown, none on an overview.
    entries: Vec<EntryRefCx<'a>>,
    /// The optional columns of its table, each shown when one entry of the
    /// category (on any page) has a value for it.
    columns: ColumnsCx,
}

#[derive(Serialize, Default, Clone, Copy)]
struct ColumnsCx {
    retryable: bool,
    http_status: bool,
    status: bool,
}

/// The pages of a category that takes more than one.
#[derive(Serialize)]
struct PaginationCx {
    /// The page shown, counted from 1.
    current: usize,
    count: usize,
    previous: Option<String>,
    next: Option<String>,
    /// The numbered links: the first and last pages and those near the
    /// current one, a gap (`number: null`) where pages are left out.
    pages: Vec<PageLinkCx>,
    /// Every page in order, for the table filter to read the others; empty
    /// when the category has more than [`FILTER_PAGES`] pages.
    all: Vec<String>,
}

#[derive(Serialize)]
struct PageLinkCx {
    number: Option<usize>,
    path: String,
    current: bool,
}

/// Pages of a category up to which its table filter reads every page, not
/// only the one shown.
const FILTER_PAGES: usize = 20;

/// Why a page could not be written as it was rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed.
    #[error("{}", .0.message)]
    Template(Diagnostic),
    /// The writer failed.
    #[error(transparent)]
    Io(std::io::Error),
}

/// A writer that keeps the first error of the writer it wraps.
struct KeepingWriter<'w> {
    inner: &'w mut dyn Write,
    failed: Option<std::io::Error>,
}

impl Write for KeepingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.inner.write(buf) {
            Err(e) if e.kind() != std::io::ErrorKind::Interrupted => {
                let kind = e.kind();
                self.failed.get_or_insert(e);
                Err(kind.into())
            }
            result => result,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<'a> Pages<'a> {
    /// Prepares rendering of `site` with `tera`; data shared by every page goes
    /// into Tera's global context once.
    pub fn new(site: &'a Site, mut templates: Templates) -> Self {
        let config = &site.config;
        let cx = SiteCx {
            title: config.title(),
            description: config.file.description.as_ref().map(|d| d.value.as_str()),
            language: config.language(),
            base_url: &config.base_url,
            categories: site
                .categories()
                .iter()
                .map(|g| CategoryRefCx {
                    index: Some(g.index),
                    ..category_ref(g.key, g.category)
                })
                .collect(),
            fallback: site.fallback().map(|e| crate::layout::entry_page(&e.code)),
            one_page: site.has_one_page_view().then_some(crate::layout::ONE_PAGE),
        };
        templates.tera.global_context().insert("site", &cx);
        let labels = config.labels();
        templates.tera.global_context().insert("labels", &labels);
        let mut columns = vec![ColumnsCx::default(); config.categories().len()];
        for i in 0..site.entries.len() {
            let card = site.card(i);
            let of = &mut columns[site.entries[i].category];
            of.retryable |= card.retryable.is_some();
            of.http_status |= card.http_status.is_some();
            of.status |= card.status != Status::Active;
        }
        Self {
            site,
            templates,
            columns,
            labels,
            one_page: None,
        }
    }

    /// Renders the one-page view from `cache`, rendering only the entries it lacks.
    pub fn with_one_page_cache(mut self, cache: &'a OnePageCache) -> Self {
        self.one_page = Some(cache);
        self
    }

    fn render_template(
        &self,
        template: &str,
        page: &str,
        context: &Context,
    ) -> Result<String, Diagnostic> {
        self.templates
            .tera
            .render(template, context)
            .map_err(|e| tera_diagnostic(&e, &self.templates.sources, Some(page)))
    }

    fn renderer<'r>(&'r self, root: &'r str, heading_offset: usize) -> markdown::Renderer<'r> {
        markdown::Renderer {
            links: self.site,
            root,
            allow_html: self.site.config.file.allow_html,
            heading_offset,
            highlight: true,
            code_language: self.site.config.code_language(),
        }
    }

    fn context(&self, root: &str, page: PageCx) -> Context {
        let mut context = Context::new();
        context.insert("root", root);
        context.insert("page", &page);
        context
    }

    /// Renders one page into `out` as it is made. The pages that list
    /// entries (the home page and the categories) never exist whole in
    /// memory: their size grows with the catalog. Other pages are rendered,
    /// then written.
    pub fn render_to(&self, page: PageId, out: &mut dyn Write) -> Result<(), RenderError> {
        let (template, path, context) = match page {
            PageId::Index => ("index.html", "index.html".to_owned(), self.index_context()),
            PageId::Category(c, p) => {
                let (path, context) = self.category_context(c, p);
                ("category.html", path, context)
            }
            _ => {
                let html = self.render(page).map_err(RenderError::Template)?;
                return out.write_all(html.as_bytes()).map_err(RenderError::Io);
            }
        };
        // Tera reports a failed write as one of its errors: the writer keeps
        // the I/O error, so it is not taken for a template's.
        let mut out = KeepingWriter {
            inner: out,
            failed: None,
        };
        let rendered = self.templates.tera.render_to(template, &context, &mut out);
        match (rendered, out.failed) {
            (_, Some(io)) => Err(RenderError::Io(io)),
            (Err(e), None) => Err(RenderError::Template(tera_diagnostic(
                &e,
                &self.templates.sources,
                Some(&path),
            ))),
            (Ok(()), None) => Ok(()),
        }
    }

    /// Renders one page.
    pub fn render(&self, page: PageId) -> Result<String, Diagnostic> {
        match page {
            PageId::Index => self.index(),
            PageId::NotFound => self.not_found(),
            PageId::Entry(i) => self.entry(i),
            PageId::Alias(i, a) => self.alias(&self.site.entries[i].aliases[a], i),
            PageId::Category(c, p) => self.category(c, p),
            PageId::Redirect(r) => {
                let (old, index) = &self.site.redirects[r];
                self.alias(old, *index)
            }
            PageId::All => self.one_page(),
            PageId::Search => self.search_page(),
        }
    }

    /// `search/index.html`: the page `static/search.js` fills with results.
    pub fn search_page(&self) -> Result<String, Diagnostic> {
        let site = self.site;
        let root = "../";
        let context = self.context(
            root,
            PageCx {
                kind: "search",
                title: format!("Search · {}", site.config.title()),
                description: format!("Search {}.", site.config.title()),
                canonical: None,
                path: crate::layout::SEARCH_PAGE.into(),
                og_type: "website",
                json_ld: None,
            },
        );
        self.render_template("search.html", crate::layout::SEARCH_PAGE, &context)
    }

    /// `all/index.html`: every entry in full, grouped by category, with
    /// `#CODE` anchors (aliases and variant types too).
    pub fn one_page(&self) -> Result<String, Diagnostic> {
        use rayon::prelude::*;
        let site = self.site;
        let root = "../";
        // Codes and types are the page's anchors; each entry's headings take
        // ids starting with its code and avoiding those, so entries render
        // apart (on every core, and once per edit under `serve`).
        // Made only when an entry is not cached (under `serve`, one edit
        // renders one entry or none).
        let taken = std::sync::OnceLock::new();
        let taken = || {
            taken.get_or_init(|| {
                let mut ids: HashSet<String> = self.templates.taken_ids.iter().cloned().collect();
                for e in &site.entries {
                    ids.extend(std::iter::once(&e.code).chain(&e.aliases).cloned());
                    ids.extend(e.entry.variants().iter().map(|v| v.kind.value.clone()));
                }
                Arc::new(ids)
            })
        };
        let articles: Vec<Arc<str>> = site
            .entries
            .par_iter()
            .map(|e| {
                if let Some(html) = self.one_page.and_then(|cache| cache.get(&e.code)) {
                    return Ok(html);
                }
                let prefix = format!("{}-", e.code);
                let mut ids = PageIds::within(Arc::clone(taken()), &prefix);
                let mut context = Context::new();
                context.insert("root", root);
                context.insert("e", &self.entry_cx_in(e, root, &mut ids, &prefix));
                let html: Arc<str> = self
                    .render_template("all-entry.html", crate::layout::ONE_PAGE, &context)?
                    .into();
                if let Some(cache) = self.one_page {
                    cache.keep(&e.code, &html);
                }
                Ok(html)
            })
            .collect::<Result<_, Diagnostic>>()?;
        let mut start = 0;
        let mut categories: Vec<OnePageCategoryCx> = Vec::new();
        for g in site.categories() {
            let end = start + g.entries.len();
            if end > start {
                categories.push(OnePageCategoryCx {
                    category: category_ref(g.key, g.category),
                    entries: site.entries[start..end]
                        .iter()
                        .zip(&articles[start..end])
                        .map(|(e, html)| OnePageEntryCx {
                            code: &e.code,
                            title: e.title(),
                            html,
                        })
                        .collect(),
                });
            }
            start = end;
        }
        let mut context = self.context(
            root,
            PageCx {
                kind: "all",
                title: format!("All codes on one page · {}", site.config.title()),
                description: format!(
                    "Every error code of {} in full, on one page.",
                    site.config.title()
                ),
                canonical: Some(site.config.absolute_url("all/")),
                path: crate::layout::ONE_PAGE.into(),
                og_type: "website",
                json_ld: None,
            },
        );
        context.insert("categories", &categories);
        self.render_template("all.html", crate::layout::ONE_PAGE, &context)
    }

    /// Heading ids for a new page: none of the templates' own.
    fn page_ids(&self) -> PageIds {
        let taken: Vec<&str> = self
            .templates
            .taken_ids
            .iter()
            .map(String::as_str)
            .collect();
        PageIds::with_reserved(&taken)
    }

    /// The home page: intro and every code grouped by category.
    pub fn index(&self) -> Result<String, Diagnostic> {
        self.render_template("index.html", "index.html", &self.index_context())
    }

    fn index_context(&self) -> Context {
        let config = &self.site.config;
        let mut ids = self.page_ids();
        let intro = config
            .file
            .intro
            .as_ref()
            .map(|i| self.renderer("", 1).render(&i.value, "intro", &mut ids));
        let overview = self.site.home_is_overview();
        let categories: Vec<CategoryCx> = self
            .site
            .categories()
            .iter()
            .map(|&g| self.category_cx(g, (!overview).then_some(0..g.entries.len())))
            .collect();
        let featured: Vec<EntryRefCx> = config
            .featured()
            .iter()
            .filter_map(|code| self.site.index_of(code.value.as_str()))
            .map(|i| entry_ref(self.site, self.site.card(i)))
            .collect();
        let description = config
            .file
            .description
            .as_ref()
            .map_or_else(|| config.title().to_owned(), |d| d.value.clone());
        let mut context = self.context(
            "",
            PageCx {
                kind: "index",
                title: config.title().to_owned(),
                description,
                canonical: Some(format!("{}/", config.base_url)),
                path: "index.html".into(),
                og_type: "website",
                json_ld: Some(crate::render::seo::home(self.site)),
            },
        );
        context.insert("intro", &intro);
        context.insert("overview", &overview);
        context.insert("featured", &featured);
        context.insert("categories", &categories);
        context
    }

    /// The page of the entry at `index` in display order.
    pub fn entry(&self, index: usize) -> Result<String, Diagnostic> {
        let site = self.site;
        let e = &site.entries[index];
        let root = "../../";
        let cx = self.entry_cx(e, root);
        let (previous, next) = site.neighbour_indices(index);
        let mut context = self.context(
            root,
            PageCx {
                kind: "entry",
                title: format!("{} · {}", e.label(), site.config.title()),
                description: e.entry.summary.value.trim().to_owned(),
                canonical: Some(site.config.absolute_url(&crate::layout::entry_dir(&e.code))),
                path: crate::layout::entry_page(&e.code),
                og_type: "article",
                json_ld: Some(crate::render::seo::entry(site, e)),
            },
        );
        context.insert("entry", &cx);
        let labels = &self.labels;
        context.insert("arrivals", &arrivals(e, labels["alias_arrival"]));
        let replacement = cx.replaced_by.as_ref().map(|r| {
            let mut link = format!("<a href=\"{root}{}\"><span class=\"code\">", r.path);
            html::escape_into(&mut link, r.code);
            link.push_str("</span> ");
            html::escape_into(&mut link, r.title);
            link.push_str("</a>");
            let label = match cx.status {
                "removed" => labels["replaced"],
                _ => labels["replacement"],
            };
            fill_label(label, &[("{code}", &link)])
        });
        context.insert("replacement", &replacement);
        let linked = |i: usize| entry_ref(site, site.card(i));
        context.insert("previous", &previous.map(linked));
        context.insert("next", &next.map(linked));
        self.render_template("entry.html", &crate::layout::entry_page(&e.code), &context)
    }

    /// The redirect page of an alias code, to the entry at `index`.
    pub fn alias(&self, alias: &str, index: usize) -> Result<String, Diagnostic> {
        let site = self.site;
        let target = &site.entries[index];
        let root = "../../";
        let mut context = self.context(
            root,
            PageCx {
                kind: "alias",
                title: format!("{alias}: see {} · {}", target.label(), site.config.title()),
                description: target.entry.summary.value.trim().to_owned(),
                canonical: Some(
                    site.config
                        .absolute_url(&crate::layout::entry_dir(&target.code)),
                ),
                path: crate::layout::entry_page(alias),
                og_type: "article",
                json_ld: None,
            },
        );
        context.insert("alias", alias);
        context.insert("target", &entry_ref(site, site.card(index)));
        let is_alias = target.aliases.iter().any(|a| a == alias);
        context.insert(
            "query",
            &if is_alias {
                crate::layout::arrival_query(alias)
            } else {
                String::new()
            },
        );
        self.render_template("alias.html", &crate::layout::entry_page(alias), &context)
    }

    /// Page `page` (from 0) of the category at `index` in config order.
    pub fn category(&self, index: usize, page: usize) -> Result<String, Diagnostic> {
        let (path, context) = self.category_context(index, page);
        self.render_template("category.html", &path, &context)
    }

    /// The path and context of a category's page.
    fn category_context(&self, index: usize, page: usize) -> (String, Context) {
        let site = self.site;
        let group = site.category(index);
        let size = site.config.category_page_size();
        let count = site.category_pages(index);
        let dir = crate::layout::category_page_dir(group.key, page);
        let root = "../".repeat(dir.matches('/').count());
        let shown =
            (page * size).min(group.entries.len())..((page + 1) * size).min(group.entries.len());
        let cx = self.category_cx(group, Some(shown));
        let path = crate::layout::page_in(&dir);
        let title = match count {
            1 => format!("{} · {}", cx.title, site.config.title()),
            _ => format!(
                "{} (page {} of {count}) · {}",
                cx.title,
                page + 1,
                site.config.title()
            ),
        };
        let mut context = self.context(
            &root,
            PageCx {
                kind: "category",
                title,
                description: cx.description.clone().unwrap_or_else(|| cx.title.clone()),
                canonical: Some(site.config.absolute_url(&dir)),
                path: path.clone(),
                og_type: "website",
                json_ld: Some(crate::render::seo::category(site, index)),
            },
        );
        context.insert("category", &cx);
        context.insert("pagination", &pagination(group.key, page, count));
        (path, context)
    }

    /// The 404 page. Hosts serve it at any missing path, so its links start
    /// from the site's absolute path instead of being relative.
    pub fn not_found(&self) -> Result<String, Diagnostic> {
        let site = self.site;
        let root = site.config.base_path.clone();
        let fallback = site.fallback().map(|e| self.entry_cx(e, &root));
        let mut context = self.context(
            &root,
            PageCx {
                kind: "404",
                title: format!("Page not found · {}", site.config.title()),
                description: "This page does not exist.".into(),
                canonical: None,
                path: "404.html".into(),
                og_type: "website",
                json_ld: None,
            },
        );
        context.insert("fallback", &fallback);
        self.render_template("404.html", "404.html", &context)
    }

    /// A category with the entries of `shown` (positions within it), or
    /// with none.
    fn category_cx(
        &self,
        group: site::CategoryGroup<'_>,
        shown: Option<std::ops::Range<usize>>,
    ) -> CategoryCx<'a> {
        let reference = category_ref(group.key, group.category);
        let site = self.site;
        let columns = self.columns[group.index];
        CategoryCx {
            key: reference.key,
            title: reference.title,
            description: reference.description,
            path: reference.path,
            count: group.entries.len(),
            entries: shown.map_or_else(Vec::new, |range| {
                range
                    .map(|i| entry_ref(site, site.card(group.first + i)))
                    .collect()
            }),
            columns,
        }
    }

    fn entry_cx(&self, e: &'a SiteEntry, root: &str) -> EntryCx<'a> {
        let mut ids = self.page_ids();
        for variant in e.entry.variants() {
            ids.reserve(&variant.kind.value);
        }
        self.entry_cx_in(e, root, &mut ids, "")
    }

    /// The context of an entry, taking heading ids from `ids`; `prefix` keeps
    /// footnote ids apart when several entries share a page.
    fn entry_cx_in(
        &self,
        e: &'a SiteEntry,
        root: &str,
        ids: &mut PageIds,
        prefix: &str,
    ) -> EntryCx<'a> {
        let site = self.site;
        let entry = &e.entry;
        let markdown = self.renderer(root, 2);
        let description = entry
            .description
            .as_ref()
            .map(|d| markdown.render(&d.value, &format!("{prefix}description"), ids));
        let steps_markdown = self.renderer(root, 3);
        let mut counter = 0;
        let mut steps = |list: &Steps| steps_cx(&steps_markdown, list, ids, &mut counter, prefix);
        let causes = entry
            .causes
            .as_ref()
            .map(|c| steps(&c.value))
            .unwrap_or_default();
        let solutions =
            solution_groups(site, entry.solutions.as_ref().map(|s| &s.value), &mut steps);
        let variants = entry
            .variants()
            .iter()
            .map(|v| {
                let field = format!("{prefix}{}-description", v.kind.value);
                VariantCx {
                    kind: v.kind.value.clone(),
                    title: v.title.value.trim().to_owned(),
                    summary: v.summary.value.trim().to_owned(),
                    messages: messages_html(v.messages.as_ref()),
                    retryable: v.retryable,
                    description: v
                        .description
                        .as_ref()
                        .map(|d| self.renderer(root, 3).render(&d.value, &field, ids)),
                    causes: v
                        .causes
                        .as_ref()
                        .map(|c| steps_cx(&steps_markdown, &c.value, ids, &mut counter, prefix))
                        .unwrap_or_default(),
                    solutions: solution_groups(
                        site,
                        v.solutions.as_ref().map(|s| &s.value),
                        &mut |list: &Steps| {
                            steps_cx(&steps_markdown, list, ids, &mut counter, prefix)
                        },
                    ),
                }
            })
            .collect();
        let category = site.category(e.category);
        let page_url = site.config.absolute_url(&crate::layout::entry_dir(&e.code));
        let mut cx = EntryCx {
            toc: Vec::new(),
            status: entry.status().as_str(),
            replaced_by: entry
                .replaced_by
                .as_ref()
                .and_then(|r| site.card_of(r.value.as_str()))
                .map(|card| entry_ref(site, card)),
            since: entry.since.as_ref().map(|s| s.value.trim().to_owned()),
            removed_in: entry.removed_in.as_ref().map(|s| s.value.trim().to_owned()),
            reviewed: entry.reviewed.as_ref().map(|r| r.value.trim().to_owned()),
            variants,
            feedback_url: site.config.file.feedback_url.as_ref().map(|u| {
                u.value
                    .trim()
                    .replace("{code}", &crate::layout::url_segment(&e.code))
                    .replace("{title}", &crate::layout::url_segment(e.title()))
                    .replace("{url}", &crate::layout::url_segment(&page_url))
            }),
            code: e.code.clone(),
            aliases: e.aliases.clone(),
            title: e.title().to_owned(),
            summary: entry.summary.value.trim().to_owned(),
            messages: messages_html(entry.messages.as_ref()),
            path: crate::layout::entry_page(&e.code),
            category: category_ref(category.key, category.category),
            http_status: entry.http_status.as_ref().map(|s| s.value),
            http_class: entry
                .http_status
                .as_ref()
                .map(|s| format!("{}xx", s.value / 100)),
            retryable: entry.retryable,
            deprecated: entry.status() == Status::Deprecated,
            description,
            causes,
            solutions,
            examples: entry
                .examples
                .iter()
                .flat_map(|x| &x.value)
                .map(|x| example_cx(x, self.site.config.code_language()))
                .collect(),
            related: entry
                .related
                .iter()
                .flat_map(|r| &r.value)
                .filter_map(|code| site.card_of(code.value.as_str()))
                .map(|card| entry_ref(site, card))
                .collect(),
            links: entry
                .links
                .iter()
                .flat_map(|l| &l.value)
                .map(|l| link_cx(&l.title.value, &l.url.value, root))
                .collect(),
            tags: entry
                .tags
                .iter()
                .flat_map(|t| &t.value)
                .map(|t| t.value.clone())
                .collect(),
            source_path: e.source.path.clone(),
            last_updated: e.last_updated.clone(),
            edit_url: site
                .config
                .file
                .edit_url
                .as_ref()
                .map(|u| u.value.replace("{path}", &e.source.path)),
        };
        cx.toc = table_of_contents(&cx);
        cx
    }
}

/// A label as HTML: its text escaped, each placeholder replaced by the HTML
/// given for it.
fn fill_label(label: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(label.len() + 64);
    let mut rest = label;
    while let Some((at, placeholder, value)) = values
        .iter()
        .filter_map(|(p, v)| rest.find(p).map(|at| (at, *p, *v)))
        .min_by_key(|(at, _, _)| *at)
    {
        html::escape_into(&mut out, &rest[..at]);
        out.push_str(value);
        rest = &rest[at + placeholder.len()..];
    }
    html::escape_into(&mut out, rest);
    out
}

/// The notes of an entry page for readers who came by one of its aliases,
/// each shown by the page's script when the address says `?from=ALIAS`.
fn arrivals(e: &SiteEntry, label: &str) -> Vec<ArrivalCx> {
    let code_html = |code: &str| {
        let mut out = String::from("<span class=\"code\">");
        html::escape_into(&mut out, code);
        out.push_str("</span>");
        out
    };
    let primary = code_html(&e.code);
    e.aliases
        .iter()
        .map(|alias| {
            let mut alias_html = code_html(alias);
            // On an HTTP catalog an alias that is a status says which.
            let reason = e.entry.http_status.as_ref().and(alias.parse::<u16>().ok());
            if let Some(reason) = reason.and_then(crate::content::http::reason_phrase) {
                alias_html.push(' ');
                alias_html.push_str(reason);
            }
            ArrivalCx {
                alias: alias.clone(),
                html: fill_label(label, &[("{alias}", &alias_html), ("{code}", &primary)]),
            }
        })
        .collect()
}

/// Messages as HTML: their text escaped, each placeholder a `<var>` that
/// shows its braces, so that copying the message copies the template.
fn messages_html(
    messages: Option<
        &crate::diagnostics::span::Spanned<Vec<crate::diagnostics::span::Spanned<String>>>,
    >,
) -> Vec<String> {
    use crate::content::message::{Piece, parse};
    let escape = html::escape_into;
    messages
        .iter()
        .flat_map(|m| &m.value)
        .map(|message| {
            let text = message.value.trim();
            let mut html = String::with_capacity(text.len() + 16);
            match parse(text) {
                Ok(pieces) => {
                    for piece in pieces {
                        match piece {
                            Piece::Text(t) => escape(&mut html, &t),
                            Piece::Placeholder(name) => {
                                html.push_str("<var>{");
                                escape(&mut html, name);
                                html.push_str("}</var>");
                            }
                        }
                    }
                }
                Err(_) => escape(&mut html, text),
            }
            html
        })
        .collect()
}

/// Fewer headings than this and a page needs no table of contents.
const TOC_MIN_HEADINGS: usize = 4;

/// The entry's sections, for the "On this page" box on long entries (empty on short ones).
fn table_of_contents(cx: &EntryCx<'_>) -> Vec<TocCx> {
    let item = |id: &str, title: &str| TocCx {
        id: id.to_owned(),
        title: title.to_owned(),
        children: Vec::new(),
    };
    let mut toc = Vec::new();
    if !cx.messages.is_empty() {
        toc.push(item("messages", "What you will see"));
    }
    if cx.description.is_some() {
        toc.push(item("description", "Description"));
    }
    if !cx.variants.is_empty() {
        let mut variants = item("variants", "Variants");
        variants.children = cx
            .variants
            .iter()
            .map(|v| item(&v.kind, &v.title))
            .collect();
        toc.push(variants);
    }
    if !cx.causes.is_empty() {
        toc.push(item("causes", "Possible causes"));
    }
    if !cx.solutions.is_empty() {
        let mut solutions = item("solutions", "Solutions");
        solutions.children = cx
            .solutions
            .iter()
            .filter_map(|g| {
                Some(item(
                    &format!("solutions-{}", g.key.as_ref()?),
                    g.title.as_ref()?,
                ))
            })
            .collect();
        toc.push(solutions);
    }
    if !cx.examples.is_empty() {
        toc.push(item("examples", "Examples"));
    }
    if !cx.related.is_empty() {
        toc.push(item("related", "Related codes"));
    }
    if !cx.links.is_empty() {
        toc.push(item("links", "Further reading"));
    }
    let headings: usize = toc.iter().map(|t| 1 + t.children.len()).sum();
    if headings < TOC_MIN_HEADINGS {
        toc.clear();
    }
    toc
}

fn steps_cx(
    markdown: &markdown::Renderer<'_>,
    steps: &Steps,
    ids: &mut PageIds,
    counter: &mut usize,
    prefix: &str,
) -> Vec<StepCx> {
    steps
        .iter()
        .map(|step| step_cx(markdown, step, ids, counter, prefix))
        .collect()
}

fn step_cx(
    markdown: &markdown::Renderer<'_>,
    step: &Step,
    ids: &mut PageIds,
    counter: &mut usize,
    prefix: &str,
) -> StepCx {
    *counter += 1;
    StepCx {
        html: markdown.render_inline(&step.text.value, &format!("{prefix}step{counter}"), ids),
        steps: steps_cx(markdown, &step.steps, ids, counter, prefix),
    }
}

/// The links between the pages of a category, or `None` when it has one.
fn pagination(key: &str, page: usize, count: usize) -> Option<PaginationCx> {
    if count < 2 {
        return None;
    }
    let path = |p: usize| crate::layout::page_in(&crate::layout::category_page_dir(key, p));
    // The first, the last and those within two of the current page; a gap
    // of one page shows that page instead.
    let near = |p: usize| p.abs_diff(page) <= 2 || p == 0 || p + 1 == count;
    let shown = |p: usize| near(p) || (p > 0 && near(p - 1) && near(p + 1));
    let mut pages = Vec::new();
    for p in 0..count {
        if shown(p) {
            pages.push(PageLinkCx {
                number: Some(p + 1),
                path: path(p),
                current: p == page,
            });
        } else if pages.last().is_some_and(|l| l.number.is_some()) {
            pages.push(PageLinkCx {
                number: None,
                path: String::new(),
                current: false,
            });
        }
    }
    Some(PaginationCx {
        current: page + 1,
        count,
        previous: page.checked_sub(1).map(path),
        next: (page + 1 < count).then(|| path(page + 1)),
        pages,
        all: if count <= FILTER_PAGES {
            (0..count).map(path).collect()
        } else {
            Vec::new()
        },
    })
}

fn category_ref(key: &str, category: &crate::content::config::Category) -> CategoryRefCx {
    CategoryRefCx {
        key: key.to_owned(),
        title: category.title.value.clone(),
        description: category.description.as_ref().map(|d| d.value.clone()),
        path: format!("{}index.html", crate::layout::category_dir(key)),
        index: None,
    }
}

/// An entry as a page that links to it shows it, from its card (see
/// [`site::Card`]); only an entry with aliases is read itself, for them.
fn entry_ref<'a>(site: &'a Site, card: site::Card<'a>) -> EntryRefCx<'a> {
    EntryRefCx {
        code: card.code,
        aliases: if card.has_aliases {
            &site.entries[card.index].aliases
        } else {
            &[]
        },
        title: card.title,
        summary: card.summary,
        path: card.page(),
        http_status: card.http_status,
        deprecated: card.status == Status::Deprecated,
        status: card.status.as_str(),
        retryable: card.retryable,
    }
}

/// A link of `links:`. Relative URLs are relative to the site root; every
/// `path` in a page's context is relative to the site root, and templates
/// prefix it with `root`.
fn link_cx(title: &str, url: &str, root: &str) -> LinkCx {
    let external = url.contains("://") || url.starts_with("mailto:");
    let url = if external || url.starts_with('/') || url.starts_with('#') {
        url.to_owned()
    } else {
        format!("{root}{url}")
    };
    LinkCx {
        title: title.to_owned(),
        url,
        external,
    }
}

/// An example; one that names no language is in `default`, when the site
/// sets one.
fn example_cx(example: &crate::content::entry::Example, default: Option<&str>) -> ExampleCx {
    let language = example
        .language
        .as_ref()
        .map(|l| l.value.trim().to_owned())
        .filter(|l| !l.is_empty())
        .or_else(|| default.map(str::to_owned));
    let body = example.body.value.trim_end();
    let body = match language.as_deref() {
        Some(l) if l.eq_ignore_ascii_case("json") => crate::render::highlight::pretty_json(body),
        _ => body.to_owned(),
    };
    let html = language
        .as_deref()
        .and_then(|l| crate::render::highlight::highlight(&body, l));
    ExampleCx {
        title: example.title.as_ref().map(|t| t.value.clone()),
        language,
        body,
        html,
    }
}

/// Solutions as the template shows them: one untitled group for a plain
/// list, else one group per audience, in the config's order.
fn solution_groups(
    site: &Site,
    solutions: Option<&Solutions>,
    steps: &mut dyn FnMut(&Steps) -> Vec<StepCx>,
) -> Vec<SolutionGroupCx> {
    match solutions {
        None => Vec::new(),
        Some(Solutions::List(list)) => vec![SolutionGroupCx {
            key: None,
            title: None,
            steps: steps(list),
        }],
        Some(Solutions::ByAudience(groups)) => site
            .config
            .audiences()
            .iter()
            .filter_map(|(key, title)| {
                let (_, list) = groups.iter().find(|(k, _)| k.value == key.value)?;
                Some(SolutionGroupCx {
                    key: Some(key.value.clone()),
                    title: Some(title.value.clone()),
                    steps: steps(list),
                })
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_of_the_built_in_theme_is_a_section_id() {
        let mut missing: Vec<String> = theme::TEMPLATES
            .iter()
            .flat_map(|(_, text)| literal_ids(text))
            .filter(|id| !SECTION_IDS.contains(&id.as_str()))
            .collect();
        for (path, bytes) in theme::STATIC_FILES {
            let text = String::from_utf8_lossy(bytes);
            for (at, _) in text.match_indices(".id = \"") {
                let rest = &text[at + 7..];
                let id = &rest[..rest.find('"').unwrap()];
                if !id.ends_with('_') && !SECTION_IDS.contains(&id) {
                    missing.push(format!("{path}: {id}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "ids missing from layout::SECTION_IDS: {missing:?}"
        );
    }

    const CONFIG: &[u8] =
        b"title: T\nbase_url: https://errors.test\ncategories:\n  client: {title: Client errors}\n";

    fn site() -> Site {
        let files = [(
            "content/errors/E1.yaml".to_owned(),
            b"code: E1\ntitle: First\nsummary: S\ncategory: client\nsolutions: [Wait.]\n".to_vec(),
        )];
        let loaded = crate::check::load_in_memory(CONFIG, &files);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        Site::new(
            loaded.root,
            loaded.config.expect("a valid config"),
            loaded.entries,
        )
    }

    /// A writer that takes `room` bytes, then fails.
    struct Full {
        room: usize,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left",
                ));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_streamed_page_has_the_bytes_of_the_rendered_one() {
        let site = site();
        let pages = Pages::new(&site, templates(None).unwrap());
        for id in [PageId::Index, PageId::Category(0, 0), PageId::NotFound] {
            let mut streamed = Vec::new();
            pages.render_to(id, &mut streamed).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                pages.render(id).unwrap(),
                "{id:?}"
            );
        }
    }

    #[test]
    fn a_failed_write_is_an_io_error_not_a_template_error() {
        let site = site();
        let pages = Pages::new(&site, templates(None).unwrap());
        for id in [PageId::Index, PageId::Category(0, 0), PageId::NotFound] {
            let failed = pages.render_to(id, &mut Full { room: 100 });
            match failed {
                Err(RenderError::Io(e)) => {
                    assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "{id:?}");
                    assert_eq!(e.to_string(), "no space left");
                }
                other => panic!("{id:?}: {other:?}"),
            }
        }
    }
}
