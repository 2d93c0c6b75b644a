//! Structured data for search engines and link previews: schema.org JSON-LD
//! for each kind of page (a `TechArticle` and a `BreadcrumbList` per entry,
//! the `WebSite` with a `SearchAction` on the home page only).

use serde::Serialize;
use serde_json::json;

use crate::site::{Site, SiteEntry};

/// JSON for a `<script type="application/ld+json">` block: `<` is escaped so
/// no text from the content can close the script element.
fn script_safe(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).expect("JSON values serialize");
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

// Typed rather than `json!` values, which build a map per object on every
// page. Fields serialize in the order written.

#[derive(Serialize)]
struct Graph<T> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: T,
}

#[derive(Serialize)]
struct Reference {
    #[serde(rename = "@id")]
    id: String,
}

#[derive(Serialize)]
struct WebSite<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    url: String,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
}

#[derive(Serialize)]
struct BreadcrumbList<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: usize,
    name: &'a str,
    item: &'a str,
}

#[derive(Serialize)]
struct TechArticle<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    headline: &'a str,
    keywords: String,
    #[serde(rename = "articleSection")]
    article_section: &'a str,
    /// Known only with `build --git-dates`; left out otherwise.
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    #[serde(rename = "isPartOf")]
    is_part_of: Reference,
}

/// The `@id` every page's `isPartOf` points at.
fn website_id(site: &Site) -> String {
    format!("{}/#website", site.config.base_url)
}

fn website(site: &Site) -> WebSite<'_> {
    let config = &site.config;
    WebSite {
        kind: "WebSite",
        id: website_id(site),
        name: config.title(),
        url: format!("{}/", config.base_url),
        in_language: config.language(),
    }
}

fn breadcrumbs<'a>(items: &'a [(&'a str, String)]) -> BreadcrumbList<'a> {
    BreadcrumbList {
        kind: "BreadcrumbList",
        items: items
            .iter()
            .enumerate()
            .map(|(i, (name, url))| ListItem {
                kind: "ListItem",
                position: i + 1,
                name,
                item: url,
            })
            .collect(),
    }
}

/// The home page: the site, and how to search it.
pub fn home(site: &Site) -> String {
    let config = &site.config;
    let mut website = serde_json::to_value(website(site)).expect("JSON values serialize");
    website["description"] = json!(config.file.description.as_ref().map(|d| d.value.as_str()));
    website["potentialAction"] = json!({
        "@type": "SearchAction",
        "target": { "@type": "EntryPoint", "urlTemplate": format!("{}/search/?q={{search_term_string}}", config.base_url) },
        "query-input": "required name=search_term_string",
    });
    script_safe(&json!({ "@context": "https://schema.org", "@graph": [website] }))
}

/// An entry's page: a technical article about the code, and where it sits.
pub fn entry(site: &Site, e: &SiteEntry) -> String {
    let config = &site.config;
    let url = config.absolute_url(&crate::layout::entry_dir(&e.code));
    let category = site.category(e.category);
    let mut keywords: Vec<&str> = std::iter::once(e.code.as_str())
        .chain(e.aliases.iter().map(String::as_str))
        .collect();
    keywords.extend(
        e.entry
            .tags
            .iter()
            .flat_map(|t| &t.value)
            .map(|t| t.value.as_str()),
    );
    let headline = e.label();
    let article = TechArticle {
        kind: "TechArticle",
        // The page's address: the article is the page, and its language
        // is the page's `lang`.
        id: url.clone(),
        // Its description is the page's meta description.
        headline: &headline,
        keywords: keywords.join(", "),
        article_section: &category.category.title.value,
        date_modified: e.last_updated.as_deref(),
        is_part_of: Reference {
            id: website_id(site),
        },
    };
    let crumbs = [
        (config.title(), format!("{}/", config.base_url)),
        (
            category.category.title.value.as_str(),
            config.absolute_url(&crate::layout::category_dir(category.key)),
        ),
        (headline.as_str(), url.clone()),
    ];
    script_safe(&Graph {
        context: "https://schema.org",
        // The site itself is described once, on the home page; `isPartOf`
        // names it by its `@id`.
        graph: (article, breadcrumbs(&crumbs)),
    })
}

/// A category's page: a collection, and where it sits.
pub fn category(site: &Site, index: usize) -> String {
    let config = &site.config;
    let group = site.category(index);
    let url = config.absolute_url(&crate::layout::category_dir(group.key));
    let page = json!({
        "@type": "CollectionPage",
        "name": group.category.title.value,
        "url": url,
        "isPartOf": { "@id": website_id(site) },
    });
    let crumbs = [
        (config.title(), format!("{}/", config.base_url)),
        (group.category.title.value.as_str(), url.clone()),
    ];
    let trail = breadcrumbs(&crumbs);
    script_safe(&json!({ "@context": "https://schema.org", "@graph": [page, trail] }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let text = script_safe(&json!({ "headline": "</script><script>alert(1)</script>" }));
        assert!(!text.contains('<') && !text.contains('>'));
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap()["headline"],
            "</script><script>alert(1)</script>"
        );
    }
}
