//! Search in a real browser: the ranking of a 37-entry catalog for 60 queries
//! (single-file and sharded index, over file:// and over http), the text rules
//! against the shared vectors, the keyboard, ARIA state, and a clean console.

use crate::browser::{Browser, file_url};
use crate::common::*;
use serde_json::{Value, json};

fn search_site() -> std::path::PathBuf {
    seed_root().join("tests/search-site")
}

fn queries() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(search_site().join("queries.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn build_search_site(shard_above: usize) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let options = errdex::publish::BuildOptions {
        search_shard_above: shard_above,
        ..errdex::publish::BuildOptions::new(search_site(), out.path().join("public"))
    };
    errdex::publish::build(&options).unwrap();
    out
}

/// Runs every query and returns the ones whose first result is not the expected code.
async fn misses(browser: &Browser) -> Vec<String> {
    let cases = queries();
    assert!(cases.len() >= 40);
    let mut misses = Vec::new();
    for (query, expected) in cases {
        let result = browser
            .eval_async(
                "return errdexSearch.search(args[0], 3).then(a => a.results.map(r => r.code));",
                vec![json!(query)],
            )
            .await;
        if result.get(0).and_then(Value::as_str) != Some(expected.as_str()) {
            misses.push(format!("{query:?}: expected {expected}, got {result}"));
        }
    }
    misses
}

#[tokio::test]
async fn every_query_puts_the_expected_entry_first_over_file_urls() {
    let Some(browser) =
        Browser::start("every_query_puts_the_expected_entry_first_over_file_urls").await
    else {
        return;
    };
    for shard_above in [500, 0] {
        let out = build_search_site(shard_above);
        browser
            .open(&file_url(&out.path().join("public/errors/429/index.html")))
            .await;
        let misses = misses(&browser).await;
        assert!(misses.is_empty(), "shard_above={shard_above}: {misses:#?}");
        assert_eq!(browser.console_errors().await, Vec::<String>::new());
    }
    browser.close().await;
}

#[cfg(feature = "serve")]
#[tokio::test]
async fn every_query_puts_the_expected_entry_first_over_http() {
    let Some(browser) = Browser::start("every_query_puts_the_expected_entry_first_over_http").await
    else {
        return;
    };
    let site = tempfile::tempdir().unwrap();
    copy_tree(&search_site(), site.path());
    let server = crate::common::server::Server::start(site);
    browser.open(&format!("{}errors/E0308/", server.url)).await;
    let misses = misses(&browser).await;
    assert!(misses.is_empty(), "{misses:#?}");
    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.close().await;
    server.stop();
}

#[tokio::test]
async fn the_browser_folds_stems_and_splits_text_as_the_index_builder_does() {
    let Some(browser) =
        Browser::start("the_browser_folds_stems_and_splits_text_as_the_index_builder_does").await
    else {
        return;
    };
    let out = build_search_site(500);
    browser
        .open(&file_url(&out.path().join("public/index.html")))
        .await;
    let vectors: Value = serde_json::from_str(
        &std::fs::read_to_string(seed_root().join("tests/data/search-vectors.json")).unwrap(),
    )
    .unwrap();
    for (function, cases) in [
        ("fold", &vectors["fold"]),
        ("stem", &vectors["stem"]),
        ("terms", &vectors["terms"]),
    ] {
        for case in cases.as_array().unwrap() {
            let actual = browser
                .client
                .execute(
                    &format!("return errdexSearch.{function}(arguments[0]);"),
                    vec![case[0].clone()],
                )
                .await
                .unwrap();
            assert_eq!(actual, case[1], "{function}({})", case[0]);
        }
    }
    browser.close().await;
}

async fn key(browser: &Browser, keys: &str) {
    browser
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_search_box_works_from_the_keyboard_and_tells_screen_readers() {
    use fantoccini::key::Key;
    let Some(browser) =
        Browser::start("the_search_box_works_from_the_keyboard_and_tells_screen_readers").await
    else {
        return;
    };
    let out = build_search_site(500);
    let root = out.path().join("public");
    browser
        .open(&file_url(&root.join("errors/404/index.html")))
        .await;
    // "/" focuses the search box from anywhere on the page.
    browser
        .client
        .find(fantoccini::Locator::Css("h1"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .client
        .find(fantoccini::Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    assert_eq!(
        browser.eval("return document.activeElement.id;").await,
        "search-input"
    );
    key(&browser, "gateway tim").await;
    browser
        .wait_for("document.querySelectorAll('#search-listbox [role=option]').length > 0")
        .await;
    let input = |attribute: &str| {
        format!("return document.getElementById('search-input').getAttribute('{attribute}');")
    };
    assert_eq!(browser.eval(&input("role")).await, "combobox");
    assert_eq!(browser.eval(&input("aria-expanded")).await, "true");
    assert_eq!(
        browser.eval(&input("aria-controls")).await,
        "search-listbox"
    );
    let status = browser
        .eval("return document.getElementById('search-status').textContent;")
        .await;
    assert!(status.as_str().unwrap().contains("result"), "{status}");
    let first = browser
        .eval("return document.querySelector('#search-listbox [role=option] .code').textContent;")
        .await;
    assert_eq!(first, "504");
    let marked = browser
        .eval("return document.querySelector('#search-listbox mark').textContent;")
        .await;
    assert_eq!(marked, "Gateway");
    // Arrows move the active option; Enter opens it.
    key(
        &browser,
        &(Key::Down.to_string() + &Key::Down.to_string() + &Key::Up.to_string()),
    )
    .await;
    let active = browser.eval(&input("aria-activedescendant")).await;
    assert_eq!(active, "search-option_0");
    assert_eq!(
        browser
            .eval(
                "return document.getElementById('search-option_0').getAttribute('aria-selected');"
            )
            .await,
        "true"
    );
    key(&browser, &Key::Enter.to_string()).await;
    browser
        .wait_for("location.pathname.endsWith('/errors/504/index.html')")
        .await;
    browser
        .wait_for("document.readyState === 'complete' && !!window.errdexReady")
        .await;
    // Ctrl-K focuses; Escape closes, a second Escape clears.
    browser
        .client
        .find(fantoccini::Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(&(Key::Control.to_string() + "k"))
        .await
        .unwrap();
    assert_eq!(
        browser.eval("return document.activeElement.id;").await,
        "search-input"
    );
    key(&browser, "quota").await;
    browser
        .wait_for(
            "document.getElementById('search-input').getAttribute('aria-expanded') === 'true'",
        )
        .await;
    key(&browser, &Key::Escape.to_string()).await;
    assert_eq!(browser.eval(&input("aria-expanded")).await, "false");
    key(&browser, &Key::Escape.to_string()).await;
    assert_eq!(
        browser
            .eval("return document.getElementById('search-input').value;")
            .await,
        ""
    );
    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.close().await;
}

#[tokio::test]
async fn the_results_page_shows_the_fallback_and_old_query_addresses_reach_it() {
    let Some(browser) =
        Browser::start("the_results_page_shows_the_fallback_and_old_query_addresses_reach_it")
            .await
    else {
        return;
    };
    let out = build_search_site(500);
    let public = out.path().join("public");
    let results = file_url(&public.join("search/index.html"));
    let settled = "!document.getElementById('results-status').textContent.startsWith('Searching')";
    browser.open(&format!("{results}?q=xyzzy%20plugh")).await;
    browser.wait_for(settled).await;
    let status = browser
        .eval("return document.getElementById('results-status').textContent;")
        .await;
    assert_eq!(status, "No results for “xyzzy plugh”.");
    let fallback = browser
        .eval("return document.getElementById('results-fallback').textContent;")
        .await;
    let fallback = fallback.as_str().unwrap();
    assert!(
        fallback.contains("Other errors") && fallback.contains("Read the message field"),
        "{fallback}"
    );
    // `?q=` on any other page, as addresses before the results page had it.
    let index = file_url(&public.join("index.html"));
    browser
        .client
        .goto(&format!("{index}?q=23505"))
        .await
        .unwrap();
    browser
        .wait_for("location.pathname.endsWith('/search/index.html')")
        .await;
    browser
        .wait_for("document.querySelectorAll('#results-list a').length > 0")
        .await;
    let first = browser
        .eval("return document.querySelector('#results-list a .code').textContent;")
        .await;
    assert_eq!(first, "23505");
    assert_eq!(
        browser
            .eval("return document.getElementById('results-q').value;")
            .await,
        "23505"
    );
    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.close().await;
}

/// 300 entries in two categories, all about timeouts, served as an editor
/// does; a category without entries between them, which the results page's
/// filter does not list.
#[cfg(feature = "serve")]
fn timeout_site() -> tempfile::TempDir {
    let site = site(&[(
        "errdex.yaml",
        "title: Timeouts\nbase_url: https://example.com/\ncategories:\n  client: { title: Client errors }\n  unused: { title: Unused }\n  server: { title: Server errors }\n",
    )]);
    for n in 1..=300 {
        let category = if n % 2 == 0 { "server" } else { "client" };
        write(
            site.path(),
            &format!("content/errors/T{n:03}.yaml"),
            &format!(
                "code: T{n:03}\ncategory: {category}\ntitle: Upstream timeout number {n}\nsummary: The call timed out after {n} seconds.\nsolutions:\n  - Retry later.\n"
            ),
        );
    }
    site
}

/// Waits for a page of 20 results, and checks the status line above them.
#[cfg(feature = "serve")]
async fn shows_twenty(browser: &Browser, status: &str) {
    browser
        .wait_for("document.querySelectorAll('#results-list a.result-link').length === 20")
        .await;
    assert_eq!(
        browser
            .eval("return document.getElementById('results-status').textContent;")
            .await,
        status
    );
}

#[cfg(feature = "serve")]
#[tokio::test]
async fn the_results_page_pages_filters_and_links_every_result() {
    use fantoccini::key::Key;
    let test = "the_results_page_pages_filters_and_links_every_result";
    let Some(axe) = crate::a11y_browser::axe_source(test) else {
        return;
    };
    let Some(browser) = Browser::start(test).await else {
        return;
    };
    let server = crate::common::server::Server::start(timeout_site());
    browser
        .open(&format!("{}search/?q=timeout", server.url))
        .await;
    shows_twenty(&browser, "300 results for “timeout”; 1–20 shown.").await;
    // Results are links: an address to open, copy or middle-click.
    let href = browser
        .eval("return document.querySelector('#results-list a.result-link').getAttribute('href');")
        .await;
    assert!(href.as_str().unwrap().contains("errors/T"), "{href}");
    for theme in ["light", "dark"] {
        browser
            .eval(&format!(
                "document.documentElement.dataset.theme = '{theme}'; return true;"
            ))
            .await;
        let found = crate::a11y_browser::violations(&browser, &axe).await;
        assert!(found.is_empty(), "axe ({theme}): {found:#?}");
    }
    // The next page is an address of its own; Back returns to the first.
    browser
        .eval("document.querySelector('#results-pager a[rel=next]').click(); return true;")
        .await;
    browser
        .wait_for("new URLSearchParams(location.search).get('page') === '2'")
        .await;
    shows_twenty(&browser, "300 results for “timeout”; 21–40 shown.").await;
    assert_eq!(
        browser
            .eval("return document.getElementById('results-list').start;")
            .await,
        21
    );
    browser.client.back().await.unwrap();
    browser
        .wait_for("new URLSearchParams(location.search).get('page') === null")
        .await;
    shows_twenty(&browser, "300 results for “timeout”; 1–20 shown.").await;
    assert_eq!(
        browser
            .eval("return document.getElementById('results-q').value;")
            .await,
        "timeout"
    );
    // The category filter keeps one category, in the address too.
    browser
        .eval(
            "const s = document.getElementById('results-category'); s.value = 'server';\
             s.dispatchEvent(new Event('change')); return true;",
        )
        .await;
    browser
        .wait_for("new URLSearchParams(location.search).get('category') === 'server'")
        .await;
    shows_twenty(
        &browser,
        "150 results for “timeout” in Server errors; 1–20 shown.",
    )
    .await;
    let categories = browser
        .eval("return [...document.querySelectorAll('#results-list .result-category')].map(e => e.textContent);")
        .await;
    assert!(
        categories
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c == "Server errors"),
        "{categories}"
    );
    // Enter on an exact code in the header's box still opens its page.
    browser
        .eval("document.getElementById('search-input').focus(); return true;")
        .await;
    browser
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys("T150")
        .await
        .unwrap();
    browser
        .wait_for("document.querySelectorAll('#search-listbox [role=option]').length > 0")
        .await;
    browser
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    browser
        .wait_for("location.pathname.includes('/errors/T150/')")
        .await;
    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.close().await;
    server.stop();
}

#[tokio::test]
async fn variants_are_found_by_type_and_removed_codes_only_by_their_code() {
    let Some(browser) =
        Browser::start("variants_are_found_by_type_and_removed_codes_only_by_their_code").await
    else {
        return;
    };
    for shard_above in [500, 0] {
        let out = build_search_site(shard_above);
        browser
            .open(&file_url(&out.path().join("public/index.html")))
            .await;
        let search = |query: &'static str| {
            let browser = &browser;
            async move {
                browser
                    .eval_async(
                        "return errdexSearch.search(args[0], 5).then(a => a.results.map(r => [r.code, r.title, r.path, r.removed]));",
                        vec![json!(query)],
                    )
                    .await
            }
        };
        // A variant's type leads to its anchor on the entry's page.
        let found = search("model_overloaded").await;
        assert_eq!(
            found[0],
            json!([
                "E5001",
                "Model overloaded",
                "errors/E5001/index.html#model_overloaded",
                false
            ]),
            "{found}"
        );
        let found = search("dedicated capacity").await;
        assert_eq!(
            found[0][2], "errors/E5001/index.html#capacity_exhausted",
            "{found}"
        );
        // The entry's own code still leads to the entry.
        assert_eq!(search("E5001").await[0][2], "errors/E5001/index.html");
        // A removed code is found by its code, never by its words.
        let found = search("E0999").await;
        assert_eq!(
            found[0],
            json!([
                "E0999",
                "Legacy token format",
                "errors/E0999/index.html",
                true
            ])
        );
        let found = search("legacy token format").await;
        assert!(
            found.as_array().unwrap().iter().all(|r| r[0] != "E0999"),
            "{found}"
        );
    }
    browser.close().await;
}

#[cfg(feature = "serve")]
#[tokio::test]
async fn the_404_page_offers_the_codes_near_the_one_in_its_address() {
    let test = "the_404_page_offers_the_codes_near_the_one_in_its_address";
    let Some(browser) = Browser::start(test).await else {
        return;
    };
    let server = crate::common::server::Server::start(rich_site());
    browser.open(&format!("{}errors/5039/", server.url)).await;
    browser
        .wait_for("!document.getElementById('not-found-near').hidden")
        .await;
    assert_eq!(
        browser
            .eval("return document.getElementById('near-code').textContent;")
            .await,
        "5039"
    );
    let near = browser
        .eval("return [...document.querySelectorAll('#near-list a')].map(a => [a.querySelector('.code').textContent, a.getAttribute('href')]);")
        .await;
    assert_eq!(near[0][0], "503", "{near}");
    assert!(
        near[0][1]
            .as_str()
            .unwrap()
            .ends_with("errors/503/index.html"),
        "{near}"
    );
    let search = browser
        .eval("return document.getElementById('near-search').getAttribute('href');")
        .await;
    assert!(
        search
            .as_str()
            .unwrap()
            .ends_with("search/index.html?q=5039"),
        "{search}"
    );
    // A page that is no code's page offers nothing.
    browser.open(&format!("{}no/such/page", server.url)).await;
    assert_eq!(
        browser
            .eval("return document.getElementById('not-found-near').hidden;")
            .await,
        true
    );
    browser.close().await;
    server.stop();
}
