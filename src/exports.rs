//! Machine-readable outputs: `errors.json`, `sitemap.xml`, `robots.txt`.

use serde::Serialize;

use crate::entry::{Solutions, Step, Steps};
use crate::site::{self, Site, SiteEntry};

/// Version of the `errors.json` format. It changes only when a field is
/// removed or changes meaning; new fields may appear without a change.
pub const EXPORT_VERSION: u32 = 1;

/// Largest number of URLs in one sitemap file (the sitemaps.org limit).
const SITEMAP_LIMIT: usize = 50_000;

#[derive(Serialize)]
struct Catalog<'a> {
    version: u32,
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    language: &'a str,
    categories: Vec<CategoryJson<'a>>,
    audiences: Vec<AudienceJson<'a>>,
    errors: Entries<'a>,
}

#[derive(Serialize)]
struct CategoryJson<'a> {
    key: &'a str,
    title: &'a str,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct AudienceJson<'a> {
    key: &'a str,
    title: &'a str,
}

/// One entry in `errors.json`.
#[derive(Serialize)]
pub struct EntryJson<'a> {
    code: &'a str,
    aliases: &'a [String],
    title: &'a str,
    summary: &'a str,
    category: &'a str,
    url: String,
    http_status: Option<i64>,
    retryable: Option<bool>,
    deprecated: bool,
    description: Option<&'a str>,
    causes: Vec<StepJson<'a>>,
    solutions: Vec<SolutionsJson<'a>>,
    examples: Vec<ExampleJson<'a>>,
    related: Vec<&'a str>,
    links: Vec<LinkJson<'a>>,
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
struct StepJson<'a> {
    text: &'a str,
    steps: Vec<StepJson<'a>>,
}

#[derive(Serialize)]
struct SolutionsJson<'a> {
    audience: Option<&'a str>,
    steps: Vec<StepJson<'a>>,
}

#[derive(Serialize)]
struct ExampleJson<'a> {
    title: Option<&'a str>,
    language: Option<&'a str>,
    body: &'a str,
}

#[derive(Serialize)]
struct LinkJson<'a> {
    title: &'a str,
    url: &'a str,
}

fn steps_json(steps: &Steps) -> Vec<StepJson<'_>> {
    steps.iter().map(step_json).collect()
}

fn step_json(step: &Step) -> StepJson<'_> {
    StepJson {
        text: &step.text.value,
        steps: steps_json(&step.steps),
    }
}

/// The export form of one entry.
pub fn entry_json<'a>(site: &'a Site, e: &'a SiteEntry) -> EntryJson<'a> {
    let entry = &e.entry;
    let solutions = match entry.solutions.as_ref().map(|s| &s.value) {
        None => Vec::new(),
        Some(Solutions::List(steps)) => vec![SolutionsJson {
            audience: None,
            steps: steps_json(steps),
        }],
        Some(Solutions::ByAudience(groups)) => site
            .config
            .audiences()
            .iter()
            .filter_map(|(key, _)| {
                let (key, steps) = groups.iter().find(|(k, _)| k.value == key.value)?;
                Some(SolutionsJson {
                    audience: Some(&key.value),
                    steps: steps_json(steps),
                })
            })
            .collect(),
    };
    EntryJson {
        code: &e.code,
        aliases: &e.aliases,
        title: e.title(),
        summary: entry.summary.value.trim(),
        category: &entry.category.value,
        url: site.config.absolute_url(&site::entry_dir(&e.code)),
        http_status: entry.http_status.as_ref().map(|s| s.value),
        retryable: entry.retryable,
        deprecated: entry.deprecated.unwrap_or(false),
        description: entry.description.as_ref().map(|d| d.value.as_str()),
        causes: entry
            .causes
            .as_ref()
            .map(|c| steps_json(&c.value))
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
        errors: Entries(site),
    };
    serde_json::to_writer(&mut *out, &catalog)?;
    out.write_all(b"\n")
}

/// The entries of `errors.json`, serialized one by one as they are written.
struct Entries<'a>(&'a Site);

impl Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.entries.iter().map(|e| entry_json(self.0, e)))
    }
}

/// Every canonical page of the site, as absolute URLs.
pub fn canonical_urls(site: &Site) -> Vec<String> {
    let config = &site.config;
    let mut urls = vec![format!("{}/", config.base_url)];
    urls.extend(
        site.categories()
            .iter()
            .map(|g| config.absolute_url(&site::category_dir(g.key))),
    );
    urls.extend(
        site.entries
            .iter()
            .map(|e| config.absolute_url(&site::entry_dir(&e.code))),
    );
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

fn urlset(urls: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        xml.push_str("  <url><loc>");
        xml.push_str(&xml_escape(url));
        xml.push_str("</loc></url>\n");
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

/// Every export but `errors.json`: the sitemap, `robots.txt`.
pub fn small_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![("robots.txt".to_owned(), robots_txt(site).into_bytes())];
    files.extend(
        sitemaps(site)
            .into_iter()
            .map(|(name, xml)| (name, xml.into_bytes())),
    );
    files
}

/// Every export: `errors.json`, the sitemap, `robots.txt`.
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![("errors.json".to_owned(), errors_json(site))];
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
