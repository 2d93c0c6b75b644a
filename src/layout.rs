//! Where things are: the files and folders of a site root, and the names
//! errdex gives what it writes. Every stage takes these names from here.

/// The site config, at the root of a site.
pub const CONFIG_FILE: &str = "errdex.yaml";

/// Where entries live in a site root.
pub const CONTENT_DIR: &str = "content/errors";

/// Where a site's templates override the built-in ones.
pub const TEMPLATES_DIR: &str = "templates";

/// Where a site keeps files copied verbatim to the output.
pub const STATIC_DIR: &str = "static";

/// The output folder in a site root when none is given.
pub const OUTPUT_DIR: &str = "public";

/// The ids the built-in templates and scripts give the sections and
/// controls of a page: headings made from markdown and variant anchors take
/// other ids. (A test keeps this list and `templates/` and `static/` in step;
/// the ids of a site's own templates are read from them when it builds. The
/// search script numbers its options `search-option_N`, with an underscore no
/// heading id has.)
pub const SECTION_IDS: &[&str] = &[
    "main",
    "summary",
    "messages",
    "description",
    "causes",
    "solutions",
    "examples",
    "related",
    "links",
    "search",
    "search-input",
    "search-results",
    "search-status",
    "search-listbox",
    "toc-title",
    "variants",
    "feedback",
    "fallback-title",
    "results-title",
    "results-form",
    "results-q",
    "results-category",
    "results-status",
    "results-list",
    "results-fallback",
    "results-pager",
    "not-found-near",
    "near-title",
    "near-code",
    "near-list",
    "near-search",
    "featured-title",
    "categories-title",
    "table-count",
    "table-filter",
    "codes",
    "category-title",
];

/// The one-page view: every entry in full.
pub const ONE_PAGE: &str = "all/index.html";

/// The results page of search (`?q=`).
pub const SEARCH_PAGE: &str = "search/index.html";

/// The folder of a code's page, relative to the output root, e.g. `errors/429/`.
pub fn entry_dir(code: &str) -> String {
    segment_dir(&url_segment(code))
}

/// The folder of the page whose code is already the URL segment `segment`.
pub fn segment_dir(segment: &str) -> String {
    format!("errors/{segment}/")
}

/// The page file in the page folder `dir`.
pub fn page_in(dir: &str) -> String {
    format!("{dir}index.html")
}

/// The page of a code, relative to the output root: `errors/429/index.html`.
/// Links name `index.html` so the site also works from `file://`, where a
/// folder link would show a directory listing.
pub fn entry_page(code: &str) -> String {
    page_in(&entry_dir(code))
}

/// A code's JSON export, relative to the output root: `errors/429.json`.
pub fn entry_json(code: &str) -> String {
    format!("errors/{}.json", url_segment(code))
}

/// A code's markdown export, relative to the output root: `errors/429.md`.
pub fn entry_markdown(code: &str) -> String {
    format!("errors/{}.md", url_segment(code))
}

/// The folder of a category's page, relative to the output root.
pub fn category_dir(key: &str) -> String {
    format!("categories/{}/", url_segment(key))
}

/// The query an alias's redirect adds to its entry's address, `?from=ALIAS`:
/// the entry page then says which code the reader came for.
pub fn arrival_query(alias: &str) -> String {
    format!("?from={}", url_segment(alias))
}

/// The folder of page `page` (counted from 0) of a category:
/// `categories/KEY/` for the first, `categories/KEY/page/2/` for the second.
pub fn category_page_dir(key: &str, page: usize) -> String {
    match page {
        0 => category_dir(key),
        n => format!("{}page/{}/", category_dir(key), n + 1),
    }
}

/// A code or key made safe as one URL path segment: percent-encoded exactly as
/// JavaScript's `encodeURIComponent` does, so the search script computes the
/// same links.
pub fn url_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.' | b'_' | b'~' | b'!' | b'*' | b'\'' | b'(' | b')'
            )
        {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(url_segment("E0308"), "E0308");
        assert_eq!(url_segment("a b/é"), "a%20b%2F%C3%A9");
        assert_eq!(entry_page("429"), "errors/429/index.html");
        assert_eq!(entry_json("a b"), "errors/a%20b.json");
    }
}
