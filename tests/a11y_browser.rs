//! Accessibility in a real browser: axe-core's WCAG 2.x A/AA rules on every
//! page type in both themes, and keyboard-only use with a visible focus.
//! Needs Chromium, ChromeDriver and axe-core (`.ci/run` installs them; the
//! tests say SKIPPED otherwise).

#![cfg(feature = "serve")]

use crate::browser::{Browser, skip};
use crate::common::server::Server;
use crate::common::*;
use fantoccini::key::Key;
use serde_json::{Value, json};

/// axe-core's script: `$AXE_CORE`, or where `.ci/run` installs it.
pub(crate) fn axe_source(test: &str) -> Option<String> {
    let path = std::env::var_os("AXE_CORE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| seed_root().join("target/tools/axe/node_modules/axe-core/axe.min.js"));
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) => {
            skip(
                test,
                "needs axe-core (npm install --prefix target/tools/axe axe-core, or AXE_CORE=path/to/axe.min.js; .ci/run installs it)",
            );
            None
        }
    }
}

/// The WCAG rule sets axe runs: 2.0, 2.1 and 2.2, levels A and AA.
const WCAG_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

pub(crate) async fn violations(browser: &Browser, axe: &str) -> Vec<String> {
    if browser.eval("return typeof axe === 'undefined';").await == Value::Bool(true) {
        browser.client.execute(axe, vec![]).await.unwrap();
    }
    let result = browser
        .eval_async(
            "return axe.run(document, { runOnly: { type: 'tag', values: args[0] }, resultTypes: ['violations'] })\
               .then(r => r.violations.map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')));",
            vec![json!(WCAG_TAGS)],
        )
        .await;
    match result {
        Value::Array(items) => items
            .into_iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect(),
        other => panic!("axe did not run: {other}"),
    }
}

/// Types `query` into the header's search box as a reader does.
pub(crate) async fn type_search(browser: &Browser, query: &str) {
    browser
        .eval_async(
            "const input = document.getElementById('search-input'); input.focus(); input.value = args[0];\
             input.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(query)],
        )
        .await;
}

#[tokio::test]
async fn axe_finds_no_wcag_violations_on_any_page_type_in_either_theme() {
    let test = "axe_finds_no_wcag_violations_on_any_page_type_in_either_theme";
    let Some(axe) = axe_source(test) else { return };
    let Some(browser) = Browser::start(test).await else {
        return;
    };
    let server = Server::start(rich_site());
    let pages = [
        ("home", ""),
        ("entry", "errors/503/"),
        ("entry with every field", "errors/422/"),
        ("alias", "errors/504/"),
        ("category", "categories/client/"),
        ("404", "no/such/page"),
        ("404 with near codes", "errors/5039/"),
        ("search results open", ""),
        ("search without results", ""),
    ];
    let mut found = Vec::new();
    for (kind, path) in pages {
        for theme in ["light", "dark"] {
            browser.open(&format!("{}{path}", server.url)).await;
            browser
                .eval(&format!(
                    "document.documentElement.dataset.theme = '{theme}'; return true;"
                ))
                .await;
            match kind {
                "404 with near codes" => {
                    browser
                        .wait_for("!document.getElementById('not-found-near').hidden")
                        .await;
                }
                "search results open" => {
                    type_search(&browser, "rate limit").await;
                    browser
                        .wait_for("document.querySelector('.search-option') !== null")
                        .await;
                }
                "search without results" => {
                    type_search(&browser, "zzqxv").await;
                    browser
                        .wait_for("document.querySelector('.search-fallback') !== null")
                        .await;
                }
                _ => {}
            }
            for violation in violations(&browser, &axe).await {
                found.push(format!("{kind} ({theme}): {violation}"));
            }
        }
    }
    browser.close().await;
    server.stop();
    assert!(found.is_empty(), "axe found:\n{}", found.join("\n"));
}

/// What has the focus: a short description, and whether it shows a focus ring.
async fn focused(browser: &Browser) -> (String, bool) {
    let value = browser
        .eval(
            "const e = document.activeElement; const s = getComputedStyle(e);\
             const r = e.getBoundingClientRect();\
             const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';\
             const shown = r.width > 0 && r.height > 0 && s.visibility !== 'hidden';\
             return [e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '') + ' ' + (e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30)), ring && shown];",
        )
        .await;
    (
        value[0].as_str().unwrap_or_default().to_owned(),
        value[1].as_bool().unwrap_or(false),
    )
}

async fn press(browser: &Browser, key: &str) {
    browser
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_keyboard_alone_reaches_every_control_with_a_visible_focus() {
    let test = "the_keyboard_alone_reaches_every_control_with_a_visible_focus";
    let Some(browser) = Browser::start(test).await else {
        return;
    };
    let server = Server::start(rich_site());
    browser.open(&format!("{}errors/422/", server.url)).await;
    let tab = Key::Tab.to_string();
    let mut order = Vec::new();
    for _ in 0..80 {
        press(&browser, &tab).await;
        let (name, visible) = focused(&browser).await;
        if name.starts_with("body") || order.first() == Some(&name) {
            break;
        }
        assert!(visible, "{name} has the focus but shows no focus ring");
        order.push(name);
    }
    let expected = [
        "a.skip-link Skip to content",
        "a.site-title",
        "input.search-input",
        "button.theme-toggle",
        "button.copy-button Copy code",
        "button.copy-button Copy link",
        "a Description",
        "a.anchor Description",
        "button.copy-button Copy this code",
        "a.pager-previous",
        "a.pager-next",
        "a errors.json",
    ];
    let joined = order.join("\n");
    let mut rest = joined.as_str();
    for step in expected {
        let at = rest
            .find(step)
            .unwrap_or_else(|| panic!("Tab does not reach {step} in order; it went:\n{joined}"));
        rest = &rest[at + step.len()..];
    }

    // Enter on the skip link moves to the content; Enter on the toggle switches theme.
    browser.open(&format!("{}errors/422/", server.url)).await;
    press(&browser, &tab).await;
    press(&browser, &Key::Enter.to_string()).await;
    assert_eq!(
        focused(&browser).await.0.split(' ').next(),
        Some("main.wrap")
    );
    let before = browser
        .eval("return document.documentElement.dataset.theme || '';")
        .await;
    browser
        .eval("document.querySelector('.theme-toggle').focus(); return true;")
        .await;
    press(&browser, &Key::Enter.to_string()).await;
    let after = browser
        .eval("return document.documentElement.dataset.theme || '';")
        .await;
    assert_ne!(
        before, after,
        "Enter on the theme toggle switches the theme"
    );
    assert!(browser.console_errors().await.is_empty());
    browser.close().await;
    server.stop();
}
