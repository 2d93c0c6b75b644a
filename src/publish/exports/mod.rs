//! Machine-readable outputs: `errors.json` and one JSON file per code,
//! `sitemap.xml`, `robots.txt`, `opensearch.xml`, plus (in sub-modules) the
//! markdown and llms.txt exports and the redirect rules for static hosts.

pub mod constants;
mod redirects;
mod text;

use schemars::JsonSchema;
use serde::Serialize;

use crate::content::entry::{Solutions, Step, Steps};
use crate::render::markdown::{PageIds, Renderer};
use crate::site::{Site, SiteEntry};

pub use redirects::redirects_file;
pub use text::{
    EntryMarkdown, entry_markdown, llms_full_head, llms_full_part, llms_full_txt, llms_txt,
};

/// Version of the `errors.json` format. It changes only when a field is
/// removed or changes meaning; new fields may appear without a change.
pub const EXPORT_VERSION: u32 = 1;

/// Largest number of URLs in one sitemap file (the sitemaps.org limit).
const SITEMAP_LIMIT: usize = 50_000;

/// `errors.json`: the whole catalog. `version` changes only when a field is
/// removed or changes meaning; fields may be added at any time.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "errdex errors.json", rename = "Catalog")]
pub struct Catalog<'a> {
    /// Format version; 1 for this schema.
    version: u32,
    /// The site's title.
    title: &'a str,
    /// The site's description.
    description: Option<&'a str>,
    /// Where the site is published; every `url` starts with it.
    base_url: &'a str,
    /// The content language (BCP 47).
    language: &'a str,
    /// Categories, in display order.
    categories: Vec<CategoryJson<'a>>,
    /// Audiences that solutions are split by, in display order.
    audiences: Vec<AudienceJson<'a>>,
    /// Every entry, in display order.
    errors: Entries<'a>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Category")]
struct CategoryJson<'a> {
    /// The key entries use in `category`.
    key: &'a str,
    /// Its heading.
    title: &'a str,
    /// One sentence about it.
    description: Option<&'a str>,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Audience")]
struct AudienceJson<'a> {
    /// The key used in `solutions[].audience`.
    key: &'a str,
    /// Its heading, e.g. "For API users".
    title: &'a str,
}

/// One error entry: in `errors.json`, and alone in `errors/{code}.json`, where
/// every markdown field comes with its rendered HTML (`_html`) and plain text
/// (`_plain`) as well.
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
    /// `description` as HTML (only in `errors/{code}.json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    description_html: Option<String>,
    /// `description` as plain text (only in `errors/{code}.json`).
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
    /// `text` as HTML (only in `errors/{code}.json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    text_html: Option<String>,
    /// `text` as plain text (only in `errors/{code}.json`).
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

/// `errors.json`: the whole catalog, versioned.
pub fn errors_json(site: &Site) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_errors_json(site, &mut bytes).expect("writing to memory cannot fail");
    bytes
}

/// Streams `errors.json` to `out` (it is tens of megabytes for large catalogs).
pub fn write_errors_json(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_catalog(site, &site.entries, out)
}

/// The catalog of `site` with `entries`.
fn write_catalog(
    site: &Site,
    entries: &[SiteEntry],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let config = &site.config;
    let catalog = Catalog {
        version: EXPORT_VERSION,
        title: config.title(),
        description: config.file.description.as_ref().map(|d| d.value.as_str()),
        base_url: &config.base_url,
        language: config.language(),
        categories: config
            .categories()
            .iter()
            .map(|(key, c)| CategoryJson {
                key: &key.value,
                title: &c.title.value,
                description: c.description.as_ref().map(|d| d.value.as_str()),
            })
            .collect(),
        audiences: config
            .audiences()
            .iter()
            .map(|(key, title)| AudienceJson {
                key: &key.value,
                title: &title.value,
            })
            .collect(),
        errors: Entries(site, entries),
    };
    serde_json::to_writer(&mut *out, &catalog)?;
    out.write_all(b"\n")
}

/// What closes `errors.json` after its last entry.
pub const ERRORS_JSON_TAIL: &[u8] = b"]}\n";

/// `errors.json` up to its first entry. A build writes this, then each
/// entry's part ([`EntryExports::errors_json`]) with a comma before all but
/// the first, then [`ERRORS_JSON_TAIL`]: the bytes of [`write_errors_json`].
pub fn errors_json_head(site: &Site) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_catalog(site, &[], &mut bytes).expect("writing to memory cannot fail");
    // The catalog ends with its entries, here an empty `[`, then the tail.
    debug_assert!(bytes.ends_with(b"[]}\n") && bytes.ends_with(ERRORS_JSON_TAIL));
    bytes.truncate(bytes.len() - ERRORS_JSON_TAIL.len());
    bytes
}

/// The entries of `errors.json`, serialized one by one as they are written.
struct Entries<'a>(&'a Site, &'a [SiteEntry]);

impl JsonSchema for Entries<'_> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Entries".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let entry = generator.subschema_for::<EntryJson<'static>>();
        schemars::json_schema!({ "type": "array", "items": entry })
    }
}

impl Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.1.iter().map(|e| entry_json(self.0, e)))
    }
}

/// Every canonical page of the site, as absolute URLs, with the date it last
/// changed when known.
pub fn canonical_urls(site: &Site) -> Vec<(String, Option<&str>)> {
    let config = &site.config;
    let mut urls = vec![(format!("{}/", config.base_url), None)];
    urls.extend(site.categories().iter().map(|g| {
        (
            config.absolute_url(&crate::layout::category_dir(g.key)),
            None,
        )
    }));
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
        xml_escape(&format!("{}/?q={{searchTerms}}", config.base_url)),
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
    /// Its element of the `errors` array of `errors.json` ([`errors_json_head`]).
    pub errors_json: Vec<u8>,
    /// Its part of `llms-full.txt` ([`llms_full_part`]).
    pub llms_full: String,
}

/// The exports of the entry at `index`.
pub fn entry_exports(site: &Site, index: usize) -> EntryExports {
    let e = &site.entries[index];
    let markdown = EntryMarkdown::of(site, e);
    let llms_full = llms_full_part(&markdown);
    let errors_json = serde_json::to_vec(&entry_json(site, e)).expect("an entry serializes");
    EntryExports {
        files: files_of(site, e, markdown.text),
        errors_json,
        llms_full,
    }
}

/// The files of one entry besides its page: `errors/{code}.json` (also under
/// each alias) and `errors/{code}.md`.
pub fn entry_files(site: &Site, index: usize) -> Vec<(String, Vec<u8>)> {
    let e = &site.entries[index];
    files_of(site, e, entry_markdown(site, e))
}

fn files_of(site: &Site, e: &SiteEntry, markdown: String) -> Vec<(String, Vec<u8>)> {
    let json = entry_file_json(site, e);
    let mut files: Vec<(String, Vec<u8>)> = e
        .aliases
        .iter()
        .map(|alias| (crate::layout::entry_json(alias), json.clone()))
        .collect();
    files.push((
        crate::layout::entry_markdown(&e.code),
        markdown.into_bytes(),
    ));
    files.push((crate::layout::entry_json(&e.code), json));
    files
}

/// `errors/{old}.json` for every redirected code: the JSON of its entry.
pub fn redirect_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    site.redirects
        .iter()
        .map(|(old, index)| {
            let json = entry_file_json(site, &site.entries[*index]);
            (crate::layout::entry_json(old), json)
        })
        .collect()
}

/// Every export but `errors.json` and `llms-full.txt` (streamed) and the
/// per-entry files: the sitemap, `robots.txt`, `_redirects`, `llms.txt`,
/// `opensearch.xml`.
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

/// Every site-wide export (not the per-entry files), for `serve`.
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut full = Vec::new();
    llms_full_txt(site, &mut full).expect("writing to memory cannot fail");
    let mut files = vec![
        ("errors.json".to_owned(), errors_json(site)),
        ("llms-full.txt".to_owned(), full),
    ];
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
/// schema of each `errors/{code}.json`.
pub fn export_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::LazyLock<serde_json::Value> =
        std::sync::LazyLock::new(crate::content::schema::generate::<Catalog<'static>>);
    &SCHEMA
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A build writes `errors.json` and `llms-full.txt` from each entry's
    /// parts; they must come to the bytes of the files made in one go.
    #[test]
    fn entry_parts_make_the_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        crate::testing::corpus::write_site(60, dir.path(), 11).unwrap();
        let site = crate::publish::check(dir.path()).unwrap().site.unwrap();
        let parts: Vec<EntryExports> = (0..site.entries.len())
            .map(|i| entry_exports(&site, i))
            .collect();
        let mut json = errors_json_head(&site);
        let pieces: Vec<&[u8]> = parts.iter().map(|p| p.errors_json.as_slice()).collect();
        json.extend(pieces.join(&b","[..]));
        json.extend_from_slice(ERRORS_JSON_TAIL);
        assert_eq!(
            String::from_utf8(json).unwrap(),
            String::from_utf8(errors_json(&site)).unwrap()
        );
        let mut llms = llms_full_head(&site);
        llms.extend(parts.iter().map(|p| p.llms_full.as_str()));
        let mut whole = Vec::new();
        llms_full_txt(&site, &mut whole).unwrap();
        assert_eq!(llms, String::from_utf8(whole).unwrap());
        for (i, p) in parts.iter().enumerate() {
            assert_eq!(p.files, entry_files(&site, i));
        }
    }
}
