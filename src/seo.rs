//! Structured data for search engines and link previews: schema.org JSON-LD
//! for each kind of page (a `TechArticle` and a `BreadcrumbList` per entry, a
//! `WebSite` with a `SearchAction` for the home page).

use serde_json::{Value, json};

use crate::site::{self, Site, SiteEntry};

/// JSON for a `<script type="application/ld+json">` block: `<` is escaped so
/// no text from the content can close the script element.
fn script_safe(value: &Value) -> String {
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

fn website(site: &Site) -> Value {
    let config = &site.config;
    json!({
        "@type": "WebSite",
        "@id": format!("{}/#website", config.base_url),
        "name": config.title(),
        "url": format!("{}/", config.base_url),
        "inLanguage": config.language(),
    })
}

fn breadcrumbs(items: &[(&str, String)]) -> Value {
    let list: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, (name, url))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": url }))
        .collect();
    json!({ "@type": "BreadcrumbList", "itemListElement": list })
}

/// The home page: the site, and how to search it.
pub fn home(site: &Site) -> String {
    let config = &site.config;
    let mut website = website(site);
    website["description"] = json!(config.file.description.as_ref().map(|d| d.value.as_str()));
    website["potentialAction"] = json!({
        "@type": "SearchAction",
        "target": { "@type": "EntryPoint", "urlTemplate": format!("{}/?q={{search_term_string}}", config.base_url) },
        "query-input": "required name=search_term_string",
    });
    script_safe(&json!({ "@context": "https://schema.org", "@graph": [website] }))
}

/// An entry's page: a technical article about the code, and where it sits.
pub fn entry(site: &Site, e: &SiteEntry) -> String {
    let config = &site.config;
    let url = config.absolute_url(&site::entry_dir(&e.code));
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
    let article = json!({
        "@type": "TechArticle",
        "@id": format!("{url}#article"),
        "headline": format!("{} {}", e.code, e.title()),
        "description": e.entry.summary.value.trim(),
        "url": url,
        "inLanguage": config.language(),
        "keywords": keywords.join(", "),
        "articleSection": category.category.title.value,
        "dateModified": e.last_updated,
        "isPartOf": { "@id": format!("{}/#website", config.base_url) },
    });
    let trail = breadcrumbs(&[
        (config.title(), format!("{}/", config.base_url)),
        (
            &category.category.title.value,
            config.absolute_url(&site::category_dir(category.key)),
        ),
        (&format!("{} {}", e.code, e.title()), url.clone()),
    ]);
    script_safe(
        &json!({ "@context": "https://schema.org", "@graph": [article, trail, website(site)] }),
    )
}

/// A category's page: a collection, and where it sits.
pub fn category(site: &Site, index: usize) -> String {
    let config = &site.config;
    let group = site.category(index);
    let url = config.absolute_url(&site::category_dir(group.key));
    let page = json!({
        "@type": "CollectionPage",
        "name": group.category.title.value,
        "url": url,
        "isPartOf": { "@id": format!("{}/#website", config.base_url) },
    });
    let trail = breadcrumbs(&[
        (config.title(), format!("{}/", config.base_url)),
        (&group.category.title.value, url.clone()),
    ]);
    script_safe(
        &json!({ "@context": "https://schema.org", "@graph": [page, trail, website(site)] }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
