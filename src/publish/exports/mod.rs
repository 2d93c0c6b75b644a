//! What a build writes besides the pages: for programs, `errors.json` (each
//! code's summary fields) and, when the site asks, one JSON file per code
//! with the whole entry; for language models, `llms.txt`, `llms-full.txt` and,
//! when asked, one markdown file per code; for search engines and hosts,
//! `sitemap.xml`, `robots.txt`, `opensearch.xml` and `_redirects`.

pub mod catalog;
pub mod constants;
mod redirects;
mod text;

use schemars::JsonSchema;
use serde::Serialize;

use crate::content::config::CodeOutput;
use crate::content::entry::{Solutions, Step, Steps};
use crate::diagnostics::span::Spanned;
use crate::render::markdown::{PageIds, Renderer};
use crate::site::{Site, SiteEntry};

pub use catalog::{Catalog, CatalogPart, CatalogPiece, Catalogs, EXPORT_VERSION, PART_BUDGET};
pub use redirects::redirects_file;
pub use text::{EntryMarkdown, entry_markdown, llms_full_head, llms_full_part, llms_txt};

/// Largest number of URLs in one sitemap file (the sitemaps.org limit).
const SITEMAP_LIMIT: usize = 50_000;

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Category")]
pub(crate) struct CategoryJson<'a> {
    /// The key entries use in `category`.
    pub(crate) key: &'a str,
    /// Its heading.
    pub(crate) title: &'a str,
    /// One sentence about it.
    pub(crate) description: Option<&'a str>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Audience")]
pub(crate) struct AudienceJson<'a> {
    /// The key used in `solutions[].audience`.
    pub(crate) key: &'a str,
    /// Its heading, e.g. "For API users".
    pub(crate) title: &'a str,
}

/// One code in `errors.json`: what a program needs to recognise, describe
/// and link an error. The whole entry, with its markdown, is in
/// `errors/{code}.json` when the site writes those (`outputs.code: [json]`).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Summary")]
pub struct SummaryJson<'a> {
    /// The primary code.
    code: &'a str,
    /// Other codes documented by this entry; their URLs redirect to `url`.
    aliases: &'a [String],
    /// Plain-text title.
    title: &'a str,
    /// One plain-text sentence.
    summary: &'a str,
    /// The messages the API returns with this error, verbatim, `{name}` standing for a part that varies (`{{` and `}}` for braces).
    messages: Vec<&'a str>,
    /// A key of `categories`.
    category: &'a str,
    /// The permanent URL of the code's page (`{base_url}/errors/{code}/`), usable as the `type` of an RFC 9457 problem.
    url: String,
    /// The HTTP status returned with the error.
    http_status: Option<i64>,
    /// Whether retrying the same request later can succeed.
    retryable: Option<bool>,
    /// Whether the code is deprecated (`status` is `deprecated`).
    deprecated: bool,
    /// `active`, `deprecated` or `removed`.
    status: &'static str,
    /// The code that replaces this one.
    replaced_by: Option<&'a str>,
    /// The API version that introduced the code.
    since: Option<&'a str>,
    /// The API version that stopped returning it.
    removed_in: Option<&'a str>,
    /// When the entry was last reviewed (`YYYY-MM-DD`).
    reviewed: Option<&'a str>,
    /// Distinct problems under this code, each with its `type`.
    variants: Vec<VariantSummaryJson<'a>>,
    /// Extra search words.
    tags: Vec<&'a str>,
    /// When the entry's file last changed in git (`YYYY-MM-DD`), with `build --git-dates`.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_updated: Option<&'a str>,
}

/// One of several problems under one code, as `errors.json` lists it.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "VariantSummary")]
struct VariantSummaryJson<'a> {
    /// The identifier the API sends (e.g. the error body's `type`); unique across the catalog.
    #[serde(rename = "type")]
    kind: &'a str,
    /// Plain-text title.
    title: &'a str,
    /// One plain-text sentence.
    summary: &'a str,
    /// The messages the API returns for this variant, verbatim, with `{name}` placeholders.
    messages: Vec<&'a str>,
    /// The address of the variant on the code's page (`url#type`).
    url: String,
    /// Whether retrying later can succeed.
    retryable: Option<bool>,
}

/// The messages of an entry or variant, trimmed.
fn messages(list: Option<&Spanned<Vec<Spanned<String>>>>) -> Vec<&str> {
    list.iter()
        .flat_map(|l| &l.value)
        .map(|m| m.value.trim())
        .collect()
}

/// The summary of entry `e`, as `errors.json` lists it.
pub fn summary_json<'a>(site: &'a Site, e: &'a SiteEntry) -> SummaryJson<'a> {
    let entry = &e.entry;
    let url = site.config.absolute_url(&crate::layout::entry_dir(&e.code));
    SummaryJson {
        code: &e.code,
        aliases: &e.aliases,
        title: e.title(),
        summary: entry.summary.value.trim(),
        messages: messages(entry.messages.as_ref()),
        category: &entry.category.value,
        http_status: entry.http_status.as_ref().map(|s| s.value),
        retryable: entry.retryable,
        deprecated: entry.status() == crate::content::entry::Status::Deprecated,
        status: entry.status().as_str(),
        replaced_by: entry.replaced_by.as_ref().map(|r| r.value.as_str()),
        since: entry.since.as_ref().map(|s| s.value.trim()),
        removed_in: entry.removed_in.as_ref().map(|s| s.value.trim()),
        reviewed: entry.reviewed.as_ref().map(|s| s.value.trim()),
        variants: entry
            .variants()
            .iter()
            .map(|v| VariantSummaryJson {
                kind: &v.kind.value,
                title: v.title.value.trim(),
                summary: v.summary.value.trim(),
                messages: messages(v.messages.as_ref()),
                url: format!("{url}#{}", v.kind.value),
                retryable: v.retryable,
            })
            .collect(),
        tags: entry
            .tags
            .iter()
            .flat_map(|t| &t.value)
            .map(|t| t.value.as_str())
            .collect(),
        last_updated: e.last_updated.as_deref(),
        url,
    }
}

/// One error entry in full, as `errors/{code}.json` holds it: every
/// markdown field with its rendered HTML (`_html`) and plain text (`_plain`)
/// as well.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Entry")]
pub struct EntryJson<'a> {
    /// The primary code.
    code: &'a str,
    /// Other codes documented by this entry; their URLs redirect to `url`.
    aliases: &'a [String],
    /// Plain-text title.
    title: &'a str,
    /// One plain-text sentence.
    summary: &'a str,
    /// The messages the API returns with this error, verbatim, `{name}` standing for a part that varies (`{{` and `}}` for braces).
    messages: Vec<&'a str>,
    /// A key of `categories`.
    category: &'a str,
    /// The permanent URL of the code's page (`{base_url}/errors/{code}/`), usable as the `type` of an RFC 9457 problem.
    url: String,
    /// The HTTP status returned with the error.
    http_status: Option<i64>,
    /// Whether retrying the same request later can succeed.
    retryable: Option<bool>,
    /// Whether the code is deprecated (`status` is `deprecated`).
    deprecated: bool,
    /// `active`, `deprecated` or `removed`.
    status: &'static str,
    /// The code that replaces this one.
    replaced_by: Option<&'a str>,
    /// The API version that introduced the code.
    since: Option<&'a str>,
    /// The API version that stopped returning it.
    removed_in: Option<&'a str>,
    /// When the entry was last reviewed (`YYYY-MM-DD`).
    reviewed: Option<&'a str>,
    /// Distinct problems under this code, each with its `type`.
    variants: Vec<VariantJson<'a>>,
    /// Markdown.
    description: Option<&'a str>,
    /// `description` as HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    description_html: Option<String>,
    /// `description` as plain text.
    #[serde(skip_serializing_if = "Option::is_none")]
    description_plain: Option<String>,
    /// Why the error happens.
    causes: Vec<StepJson<'a>>,
    /// How to fix it: one group per audience, or one group with `audience: null`.
    solutions: Vec<SolutionsJson<'a>>,
    /// Example requests or responses.
    examples: Vec<ExampleJson<'a>>,
    /// Codes of related entries.
    related: Vec<&'a str>,
    /// Further reading.
    links: Vec<LinkJson<'a>>,
    /// Extra search words.
    tags: Vec<&'a str>,
    /// When the entry's file last changed in git (`YYYY-MM-DD`), with `build --git-dates`.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_updated: Option<&'a str>,
}

/// One of several problems under one code.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Variant")]
struct VariantJson<'a> {
    /// The identifier the API sends (e.g. the error body's `type`); unique across the catalog.
    #[serde(rename = "type")]
    kind: &'a str,
    /// Plain-text title.
    title: &'a str,
    /// One plain-text sentence.
    summary: &'a str,
    /// The messages the API returns for this variant, verbatim, with `{name}` placeholders.
    messages: Vec<&'a str>,
    /// The address of the variant on the code's page (`url#type`).
    url: String,
    /// Whether retrying later can succeed.
    retryable: Option<bool>,
    /// Markdown.
    description: Option<&'a str>,
    /// Why it happens.
    causes: Vec<StepJson<'a>>,
    /// How to fix it.
    solutions: Vec<SolutionsJson<'a>>,
}

/// A step: markdown text and nested steps.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Step")]
struct StepJson<'a> {
    /// Markdown.
    text: &'a str,
    /// `text` as HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    text_html: Option<String>,
    /// `text` as plain text.
    #[serde(skip_serializing_if = "Option::is_none")]
    text_plain: Option<String>,
    /// Nested steps.
    steps: Vec<StepJson<'a>>,
}

/// Solutions for one audience.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Solutions")]
struct SolutionsJson<'a> {
    /// A key of `audiences`, or null for solutions meant for everyone.
    audience: Option<&'a str>,
    /// The steps.
    steps: Vec<StepJson<'a>>,
}

/// An example request or response.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Example")]
struct ExampleJson<'a> {
    /// What it shows.
    title: Option<&'a str>,
    /// The language of `body`.
    language: Option<&'a str>,
    /// The code, verbatim.
    body: &'a str,
}

/// A link to further reading.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Link")]
struct LinkJson<'a> {
    /// Link text.
    title: &'a str,
    /// Where it goes.
    url: &'a str,
}

/// Renders markdown for the per-code files: HTML with absolute links, and plain text.
struct Rendered<'a> {
    renderer: Renderer<'a>,
}

impl Rendered<'_> {
    /// The HTML and the plain text of a markdown field.
    fn both(&self, text: &str, field: &str) -> (String, String) {
        self.renderer
            .render_and_plain(text, false, field, &mut PageIds::default())
    }

    /// The HTML (without `<p>` for one paragraph) and the plain text of a step.
    fn step(&self, text: &str) -> (String, String) {
        self.renderer
            .render_and_plain(text, true, "step", &mut PageIds::default())
    }
}

fn steps_json<'a>(steps: &'a Steps, rendered: Option<&Rendered<'_>>) -> Vec<StepJson<'a>> {
    steps.iter().map(|s| step_json(s, rendered)).collect()
}

fn step_json<'a>(step: &'a Step, rendered: Option<&Rendered<'_>>) -> StepJson<'a> {
    let (text_html, text_plain) = rendered.map(|r| r.step(&step.text.value)).unzip();
    StepJson {
        text: &step.text.value,
        text_html,
        text_plain,
        steps: steps_json(&step.steps, rendered),
    }
}

/// The export form of one entry, as in `errors.json`.
pub fn entry_json<'a>(site: &'a Site, e: &'a SiteEntry) -> EntryJson<'a> {
    entry_json_with(site, e, None)
}

/// `errors/{code}.json`: one entry with the HTML and plain text of its markdown.
pub fn entry_file_json(site: &Site, e: &SiteEntry) -> Vec<u8> {
    let root = format!("{}/", site.config.base_url);
    let rendered = Rendered {
        renderer: Renderer {
            links: site,
            root: &root,
            allow_html: site.config.file.allow_html,
            heading_offset: 0,
            highlight: false,
            code_language: None,
        },
    };
    let mut bytes = serde_json::to_vec(&entry_json_with(site, e, Some(&rendered)))
        .expect("an entry serializes");
    bytes.push(b'\n');
    bytes
}

fn entry_json_with<'a>(
    site: &'a Site,
    e: &'a SiteEntry,
    rendered: Option<&Rendered<'_>>,
) -> EntryJson<'a> {
    let entry = &e.entry;
    let solutions = solutions_json(site, entry.solutions.as_ref().map(|s| &s.value), rendered);
    let url = site.config.absolute_url(&crate::layout::entry_dir(&e.code));
    let variants = entry
        .variants()
        .iter()
        .map(|v| VariantJson {
            kind: &v.kind.value,
            title: v.title.value.trim(),
            summary: v.summary.value.trim(),
            messages: messages(v.messages.as_ref()),
            url: format!("{url}#{}", v.kind.value),
            retryable: v.retryable,
            description: v.description.as_ref().map(|d| d.value.as_str()),
            causes: v
                .causes
                .as_ref()
                .map(|c| steps_json(&c.value, rendered))
                .unwrap_or_default(),
            solutions: solutions_json(site, v.solutions.as_ref().map(|s| &s.value), rendered),
        })
        .collect();
    let (description_html, description_plain) = rendered
        .zip(entry.description.as_ref())
        .map(|(r, d)| r.both(&d.value, "description"))
        .unzip();
    EntryJson {
        status: entry.status().as_str(),
        replaced_by: entry.replaced_by.as_ref().map(|r| r.value.as_str()),
        since: entry.since.as_ref().map(|s| s.value.trim()),
        removed_in: entry.removed_in.as_ref().map(|s| s.value.trim()),
        reviewed: entry.reviewed.as_ref().map(|s| s.value.trim()),
        variants,
        code: &e.code,
        aliases: &e.aliases,
        title: e.title(),
        summary: entry.summary.value.trim(),
        messages: messages(entry.messages.as_ref()),
        category: &entry.category.value,
        url,
        http_status: entry.http_status.as_ref().map(|s| s.value),
        retryable: entry.retryable,
        deprecated: entry.status() == crate::content::entry::Status::Deprecated,
        description: entry.description.as_ref().map(|d| d.value.as_str()),
        description_html,
        description_plain,
        causes: entry
            .causes
            .as_ref()
            .map(|c| steps_json(&c.value, rendered))
            .unwrap_or_default(),
        solutions,
        examples: entry
            .examples
            .iter()
            .flat_map(|x| &x.value)
            .map(|x| ExampleJson {
                title: x.title.as_ref().map(|t| t.value.as_str()),
                language: x.language.as_ref().map(|l| l.value.as_str()),
                body: &x.body.value,
            })
            .collect(),
        related: entry
            .related
            .iter()
            .flat_map(|r| &r.value)
            .map(|c| c.value.as_str())
            .collect(),
        links: entry
            .links
            .iter()
            .flat_map(|l| &l.value)
            .map(|l| LinkJson {
                title: &l.title.value,
                url: &l.url.value,
            })
            .collect(),
        tags: entry
            .tags
            .iter()
            .flat_map(|t| &t.value)
            .map(|t| t.value.as_str())
            .collect(),
        last_updated: e.last_updated.as_deref(),
    }
}

fn solutions_json<'a>(
    site: &'a Site,
    solutions: Option<&'a Solutions>,
    rendered: Option<&Rendered<'_>>,
) -> Vec<SolutionsJson<'a>> {
    match solutions {
        None => Vec::new(),
        Some(Solutions::List(steps)) => vec![SolutionsJson {
            audience: None,
            steps: steps_json(steps, rendered),
        }],
        Some(Solutions::ByAudience(groups)) => site
            .config
            .audiences()
            .iter()
            .filter_map(|(key, _)| {
                let (key, steps) = groups.iter().find(|(k, _)| k.value == key.value)?;
                Some(SolutionsJson {
                    audience: Some(&key.value),
                    steps: steps_json(steps, rendered),
                })
            })
            .collect(),
    }
}

/// Every canonical page of the site, as absolute URLs, with the date it last
/// changed when known.
pub fn canonical_urls(site: &Site) -> Vec<(String, Option<&str>)> {
    let config = &site.config;
    let mut urls = vec![(format!("{}/", config.base_url), None)];
    // Every page of every category: each names itself as canonical.
    for c in 0..config.categories().len() {
        let key = &config.categories()[c].0.value;
        if site.category(c).entries.is_empty() {
            continue;
        }
        urls.extend((0..site.category_pages(c)).map(|p| {
            (
                config.absolute_url(&crate::layout::category_page_dir(key, p)),
                None,
            )
        }));
    }
    urls.extend(site.entries.iter().map(|e| {
        (
            config.absolute_url(&crate::layout::entry_dir(&e.code)),
            e.last_updated.as_deref(),
        )
    }));
    urls
}

/// `sitemap.xml`, split into an index and parts when the site has more than
/// 50,000 pages: (file name, contents).
pub fn sitemaps(site: &Site) -> Vec<(String, String)> {
    let urls = canonical_urls(site);
    if urls.len() <= SITEMAP_LIMIT {
        return vec![("sitemap.xml".into(), urlset(&urls))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in urls.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&site.config.absolute_url(&name))
        ));
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index));
    files
}

fn urlset(urls: &[(String, Option<&str>)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in urls {
        xml.push_str("  <url><loc>");
        xml.push_str(&xml_escape(url));
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `opensearch.xml`, so a browser can add the site's search (`?q=`).
pub fn opensearch_xml(site: &Site) -> String {
    let config = &site.config;
    // ShortName is at most 16 characters: cut at a word where possible.
    let title = config.title();
    let mut short: String = title.chars().take(16).collect();
    if short.len() < title.len()
        && let Some(space) = short.rfind(' ')
    {
        short.truncate(space);
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n\
         \x20 <ShortName>{}</ShortName>\n\
         \x20 <Description>{}</Description>\n\
         \x20 <InputEncoding>UTF-8</InputEncoding>\n\
         \x20 <Image width=\"16\" height=\"16\" type=\"image/svg+xml\">{}</Image>\n\
         \x20 <Url type=\"text/html\" method=\"get\" template=\"{}\"/>\n\
         \x20 <Url type=\"application/opensearchdescription+xml\" rel=\"self\" template=\"{}\"/>\n\
         </OpenSearchDescription>\n",
        xml_escape(short.trim()),
        xml_escape(&format!("Search {}", config.title())),
        xml_escape(&config.absolute_url("favicon.svg")),
        xml_escape(&format!("{}/search/?q={{searchTerms}}", config.base_url)),
        xml_escape(&config.absolute_url("opensearch.xml")),
    )
}

/// What one entry adds to the exports, made together while the entry is at
/// hand: going over the catalog once per export would read every entry from
/// memory again for each.
#[derive(Debug)]
pub struct EntryExports {
    /// Its files ([`entry_files`]).
    pub files: Vec<(String, Vec<u8>)>,
    /// What it adds to `errors.json` and `llms-full.txt`.
    pub piece: CatalogPiece,
}

/// The exports of the entry at `index`.
pub fn entry_exports(site: &Site, index: usize) -> EntryExports {
    let e = &site.entries[index];
    let config = &site.config;
    let llms_full = config.writes_llms_full(site.entries.len());
    let markdown =
        (llms_full || config.writes(CodeOutput::Markdown)).then(|| EntryMarkdown::of(site, e));
    let json = serde_json::to_vec(&summary_json(site, e)).expect("an entry serializes");
    EntryExports {
        piece: CatalogPiece {
            code: e.code.clone(),
            json,
            llms_full: markdown.as_ref().filter(|_| llms_full).map(llms_full_part),
        },
        files: files_of(site, e, markdown.map(|m| m.text)),
    }
}

/// The files of one entry besides its page, as the site asks for them:
/// `errors/{code}.json` (also under each alias) and `errors/{code}.md`.
pub fn entry_files(site: &Site, index: usize) -> Vec<(String, Vec<u8>)> {
    let e = &site.entries[index];
    let markdown = site
        .config
        .writes(CodeOutput::Markdown)
        .then(|| entry_markdown(site, e));
    files_of(site, e, markdown)
}

fn files_of(site: &Site, e: &SiteEntry, markdown: Option<String>) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    if site.config.writes(CodeOutput::Json) {
        for alias in &e.aliases {
            files.push((
                crate::layout::entry_json(alias),
                pointer_json(site, alias, &e.code),
            ));
        }
        files.push((crate::layout::entry_json(&e.code), entry_file_json(site, e)));
    }
    if let Some(markdown) = markdown.filter(|_| site.config.writes(CodeOutput::Markdown)) {
        files.push((
            crate::layout::entry_markdown(&e.code),
            markdown.into_bytes(),
        ));
    }
    files
}

/// `errors/{old}.json` for every redirected code, when codes have JSON
/// files: the JSON of its entry.
pub fn redirect_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    if !site.config.writes(CodeOutput::Json) {
        return Vec::new();
    }
    site.redirects
        .iter()
        .map(|(old, index)| {
            let json = pointer_json(site, old, &site.entries[*index].code);
            (crate::layout::entry_json(old), json)
        })
        .collect()
}

/// The JSON of a code another code's entry documents (an alias, or a code
/// redirected in errdex.yaml): the code that documents it, and that code's
/// JSON. One copy of each entry is written, not one per code it has.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Pointer")]
pub struct PointerJson<'a> {
    /// The code asked for.
    code: &'a str,
    /// The code whose entry documents it.
    see: &'a str,
    /// That entry's JSON.
    url: String,
}

fn pointer_json(site: &Site, code: &str, see: &str) -> Vec<u8> {
    let pointer = PointerJson {
        code,
        see,
        url: site.config.absolute_url(&crate::layout::entry_json(see)),
    };
    let mut bytes = serde_json::to_vec(&pointer).expect("a pointer serializes");
    bytes.push(b'\n');
    bytes
}

/// Every export but those [`Catalogs`] makes and the per-entry files: the
/// sitemap, `robots.txt`, `_redirects`, `llms.txt`, `opensearch.xml`.
pub fn small_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        ("robots.txt".to_owned(), robots_txt(site).into_bytes()),
        ("_redirects".to_owned(), redirects_file(site).into_bytes()),
        ("llms.txt".to_owned(), llms_txt(site).into_bytes()),
        (
            "opensearch.xml".to_owned(),
            opensearch_xml(site).into_bytes(),
        ),
    ];
    files.extend(redirect_files(site));
    files.extend(
        sitemaps(site)
            .into_iter()
            .map(|(name, xml)| (name, xml.into_bytes())),
    );
    files
}

/// Every export of the site, made in one go: what a build makes entry by
/// entry beside the pages, for `serve` and tests.
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut made = Vec::new();
    let mut catalogs = Catalogs::new(site, |path, chunks: &[&[u8]]| {
        made.push((path, chunks.concat()));
        Ok::<(), std::convert::Infallible>(())
    });
    for index in 0..site.entries.len() {
        let exports = entry_exports(site, index);
        files.extend(exports.files);
        let Ok(()) = catalogs.push(exports.piece);
    }
    let Ok(()) = catalogs.finish();
    files.extend(made);
    files.extend(small_files(site));
    files
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub fn robots_txt(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        site.config.absolute_url("sitemap.xml")
    )
}

/// Where the schema of `errors.json` lives in this repository.
pub const EXPORT_SCHEMA_FILE: &str = "schema/export.schema.json";

/// The JSON Schema (draft 2020-12) of `errors.json`; `#/$defs/Entry` is the
/// schema of each `errors/{code}.json` (`#/$defs/Pointer` under an alias or
/// a redirected code), `#/$defs/CatalogPart` that of each `errors-N.json`.
pub fn export_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::LazyLock<serde_json::Value> = std::sync::LazyLock::new(|| {
        let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
        generator.subschema_for::<EntryJson<'static>>();
        generator.subschema_for::<CatalogPart<'static>>();
        generator.subschema_for::<PointerJson<'static>>();
        generator
            .into_root_schema_for::<Catalog<'static>>()
            .to_value()
    });
    &SCHEMA
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `serve` makes the exports in one go, a build entry by entry beside the
    /// pages; both go through [`entry_exports`] and [`Catalogs`].
    #[test]
    fn entry_pieces_make_the_catalogs_in_one_go_too() {
        let dir = tempfile::tempdir().unwrap();
        crate::testing::corpus::write_site(60, dir.path(), 11).unwrap();
        let site = crate::publish::check(dir.path()).unwrap().site.unwrap();
        let all = files(&site);
        let find = |path: &str| all.iter().find(|(p, _)| p == path).map(|(_, b)| b.clone());
        let catalog: serde_json::Value =
            serde_json::from_slice(&find("errors.json").unwrap()).unwrap();
        assert_eq!(catalog["version"], 2);
        assert_eq!(catalog["count"], 60);
        assert_eq!(catalog["errors"].as_array().unwrap().len(), 60);
        assert!(catalog["parts"].as_array().unwrap().is_empty());
        assert!(
            catalog["errors"][0].get("description").is_none(),
            "summaries only"
        );
        let llms = String::from_utf8(find("llms-full.txt").unwrap()).unwrap();
        assert!(llms.starts_with(&llms_full_head(&site)));
        assert!(
            find("errors/400.json").is_none(),
            "no per-code JSON unless asked"
        );
    }
}
