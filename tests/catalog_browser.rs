//! A catalog of thousands of codes as its reader gets it: a generated
//! catalog shaped like a cloud provider's (6,000 codes in 440 categories,
//! codes up to 80 characters), built with `errdex build` from its root. Its
//! output is weighed (home page, every page, an entry with what it loads
//! before any interaction), then read in Chromium: no page kind is wider
//! than a 320 or 390 px screen, and axe finds nothing on any page kind in
//! either theme with search results open. The browser part needs Chromium,
//! ChromeDriver and axe-core (`.ci/run` installs them).

#![cfg(feature = "serve")]

use std::path::Path;

use crate::a11y_browser::{axe_source, type_search, violations};
use crate::browser::Browser;
use crate::common::server::Server;
use crate::common::{gzipped_len, html_pages};
use serde_json::{Value, json};

const CODES: usize = 6000;
const CATEGORIES: usize = 440;

fn gzip_file(path: &Path) -> usize {
    gzipped_len(&std::fs::read(path).unwrap())
}

/// `errdex build` run from the site root, as its editors run it.
fn build(root: &Path) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_errdex"))
        .arg("build")
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// What an entry page loads before the reader does anything: its HTML, the
/// stylesheet and errdex.js, gzipped (search loads on the first visit to
/// the search box).
fn entry_weight(public: &Path, page: &str) -> usize {
    gzip_file(&public.join(page))
        + gzip_file(&public.join("style.css"))
        + gzip_file(&public.join("errdex.js"))
}

/// The longest code of the catalog and its file.
fn longest_code(root: &Path) -> (String, String) {
    let mut best = (String::new(), String::new());
    for file in std::fs::read_dir(root.join("content/errors")).unwrap() {
        let file = file.unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        let line = text.lines().next().unwrap();
        let code = line
            .trim_start_matches("codes: [")
            .trim_start_matches("code: ")
            .split(',')
            .next()
            .unwrap()
            .trim_matches(|c| c == '"' || c == ']')
            .to_owned();
        if code.len() > best.0.len() {
            best = (code, file.file_name().to_string_lossy().into_owned());
        }
    }
    best
}

#[tokio::test]
async fn a_catalog_of_6000_codes_stays_light_narrow_and_accessible() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    errdex::testing::corpus::write_wide_site(CODES, CATEGORIES, root, 7).unwrap();
    build(root);
    let public = root.join("public");

    // The home page: categories with their counts, not every code.
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    let elements = scraper::Html::parse_document(&home)
        .select(&scraper::Selector::parse("*").unwrap())
        .count();
    let home_gzip = gzipped_len(home.as_bytes());
    assert!(home_gzip <= 60_000, "home page: {home_gzip} bytes gzipped");
    assert!(elements <= 3000, "home page: {elements} elements");
    assert_eq!(home.matches("class=\"category-grid\"").count(), 1);

    // Every page at most 100 KB gzipped, and no category page over its rows.
    let mut heaviest = (0, String::new());
    let mut category_pages = 0;
    for file in html_pages(&public) {
        let size = gzip_file(&file);
        if size > heaviest.0 {
            heaviest = (size, file.display().to_string());
        }
        let relative = file
            .strip_prefix(&public)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if relative.starts_with("categories/") {
            category_pages += 1;
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                text.matches("<tr>").count() <= 201,
                "{relative}: too many rows"
            );
        }
    }
    assert!(heaviest.0 <= 100_000, "heaviest page: {heaviest:?}");
    assert!(
        category_pages > CATEGORIES,
        "some categories take several pages"
    );

    // The longest code's page weighs what it would in a site of 10 codes.
    let (code, file) = longest_code(root);
    assert!(code.len() >= 75, "the catalog has long codes: {code}");
    let page = format!("errors/{}/index.html", errdex::layout::url_segment(&code));
    let large = entry_weight(&public, &page);
    let small_site = tempfile::tempdir().unwrap();
    let small = small_site.path();
    std::fs::create_dir_all(small.join("content/errors")).unwrap();
    std::fs::copy(root.join("errdex.yaml"), small.join("errdex.yaml")).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(root.join("content/errors"))
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| *n != file)
        .collect();
    names.sort();
    for name in names.iter().take(9).chain(std::iter::once(&file)) {
        let text = std::fs::read_to_string(root.join("content/errors").join(name)).unwrap();
        std::fs::write(small.join("content/errors").join(name), text).unwrap();
    }
    build(small);
    let alone = entry_weight(&small.join("public"), &page);
    eprintln!(
        "{CODES} codes: home page {home_gzip} bytes gzipped, {elements} elements; heaviest page {} bytes gzipped; longest code's page with CSS and JS {large} bytes gzipped ({alone} in a site of 10)",
        heaviest.0
    );
    assert!(
        large <= 20_000,
        "the entry page loads {large} bytes gzipped"
    );
    assert!(
        large * 10 <= alone * 11,
        "the entry weighs {large} bytes gzipped among 6,000 codes, {alone} among 10"
    );

    let Some(axe) = axe_source("a_catalog_of_6000_codes_stays_light_narrow_and_accessible") else {
        return;
    };
    let Some(browser) =
        Browser::start("a_catalog_of_6000_codes_stays_light_narrow_and_accessible").await
    else {
        return;
    };
    let large_category = std::fs::read_dir(public.join("categories"))
        .unwrap()
        .map(|d| d.unwrap().file_name().to_string_lossy().into_owned())
        .find(|key| {
            public
                .join("categories")
                .join(key)
                .join("page/2/index.html")
                .is_file()
        })
        .expect("a category of several pages");
    let deprecated = find_entry(&public, "banner-deprecated");
    let (alias, primary) = alias_of(root);
    let server = Server::start(site);
    let entry = format!("errors/{}/", errdex::layout::url_segment(&code));
    let pages = [
        ("home", String::new()),
        ("category", format!("categories/{large_category}/")),
        (
            "category page 2",
            format!("categories/{large_category}/page/2/"),
        ),
        ("entry with the longest code", entry.clone()),
        ("deprecated entry", deprecated),
        (
            "alias arrival",
            format!(
                "errors/{}/?from={}",
                errdex::layout::url_segment(&primary),
                errdex::layout::url_segment(&alias)
            ),
        ),
        ("search results page", "search/?q=throttled".to_owned()),
        ("404", "errors/NoSuchService.Nothing/".to_owned()),
    ];

    // Search is not loaded before the reader goes to it, and works once they do.
    browser.open_only(&format!("{}{entry}", server.url)).await;
    let loaded = browser
        .eval("return performance.getEntriesByType('resource').some(r => /search(-index)?\\.js/.test(r.name));")
        .await;
    assert_eq!(
        loaded,
        Value::Bool(false),
        "an entry page loaded search up front"
    );
    type_search(&browser, "throttled").await;
    browser
        .wait_for("document.querySelector('.search-option') !== null")
        .await;

    let mut wide = Vec::new();
    for width in [320, 390] {
        browser.client.set_window_size(width, 800).await.unwrap();
        for (kind, path) in &pages {
            browser.open(&format!("{}{path}", server.url)).await;
            let inner = browser.eval("return window.innerWidth;").await;
            assert_eq!(inner, json!(width), "the window is {width} px wide");
            for search_open in [false, true] {
                if search_open {
                    type_search(&browser, "throttled").await;
                    browser
                        .wait_for("document.querySelector('.search-option') !== null")
                        .await;
                }
                let scroll = browser
                    .eval("return document.documentElement.scrollWidth;")
                    .await;
                if scroll.as_u64().unwrap_or(0) > width as u64 {
                    wide.push(format!(
                        "{kind} at {width} px (search open: {search_open}): {scroll} px"
                    ));
                }
            }
        }
    }

    let mut found = Vec::new();
    browser.client.set_window_size(1280, 900).await.unwrap();
    for (kind, path) in &pages {
        for theme in ["light", "dark"] {
            browser.open(&format!("{}{path}", server.url)).await;
            browser
                .eval(&format!(
                    "document.documentElement.dataset.theme = '{theme}'; return true;"
                ))
                .await;
            type_search(&browser, "throttled").await;
            browser
                .wait_for("document.querySelector('.search-option') !== null")
                .await;
            for violation in violations(&browser, &axe).await {
                found.push(format!("{kind} ({theme}): {violation}"));
            }
        }
    }

    // The table filter reads the category's other pages and filters them all.
    browser
        .open(&format!("{}categories/{large_category}/", server.url))
        .await;
    let rows = browser
        .eval("return document.querySelectorAll('#codes tbody tr').length;")
        .await;
    browser
        .eval_async(
            "const f = document.getElementById('table-filter'); f.value = args[0];\
             f.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!("denied")],
        )
        .await;
    browser
        .wait_for("document.querySelectorAll('#codes tbody tr').length > 200")
        .await;
    let shown = browser
        .eval("return Array.from(document.querySelectorAll('#codes tbody tr')).filter(r => !r.hidden).map(r => r.textContent.toLowerCase());")
        .await;
    let shown = shown.as_array().unwrap();
    assert!(!shown.is_empty() && shown.iter().all(|t| t.as_str().unwrap().contains("denied")));
    let status = browser
        .eval("return document.getElementById('table-count').textContent;")
        .await;
    assert!(status.as_str().unwrap().contains("match"), "{status}");

    // An alias's address says which code the reader came for.
    browser
        .open(&format!(
            "{}errors/{}/",
            server.url,
            errdex::layout::url_segment(&alias)
        ))
        .await;
    browser
        .wait_for("document.querySelector('.banner-arrival:not([hidden])') !== null")
        .await;
    let note = browser
        .eval("return document.querySelector('.banner-arrival:not([hidden])').textContent;")
        .await;
    assert!(note.as_str().unwrap().contains(&alias), "{note}");
    let address = browser.eval("return location.search;").await;
    assert_eq!(address, json!(""), "the query is dropped once read");

    browser.close().await;
    server.stop();
    assert!(rows.as_u64().unwrap() <= 200);
    assert!(
        wide.is_empty(),
        "wider than the screen:\n{}",
        wide.join("\n")
    );
    assert!(found.is_empty(), "axe found:\n{}", found.join("\n"));
}

/// The path of the first entry page (in file order) whose HTML holds `marker`.
fn find_entry(public: &Path, marker: &str) -> String {
    let mut dirs: Vec<_> = std::fs::read_dir(public.join("errors"))
        .unwrap()
        .map(|d| d.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .find(|d| std::fs::read_to_string(d.join("index.html")).is_ok_and(|t| t.contains(marker)))
        .map(|d| format!("errors/{}/", d.file_name().unwrap().to_string_lossy()))
        .unwrap_or_else(|| panic!("no entry page holds {marker}"))
}

/// An alias code of the catalog and its entry's code.
fn alias_of(root: &Path) -> (String, String) {
    let mut files: Vec<_> = std::fs::read_dir(root.join("content/errors"))
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .find_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let line = text.lines().next()?.strip_prefix("codes: [")?;
            let mut codes = line.trim_end_matches(']').split(", ");
            let primary = codes.next()?.trim_matches('"').to_owned();
            let alias = codes.next()?.trim_matches('"').to_owned();
            Some((alias, primary))
        })
        .expect("the catalog has an alias")
}
