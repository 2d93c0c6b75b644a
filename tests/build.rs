//! Building sites end to end: the seed site, determinism, atomic replacement,
//! escaping and the output layout.

use std::fs;

use crate::common::*;
use errdex::publish::{BuildError, BuildOptions, build};

fn options(root: &std::path::Path, output: &std::path::Path) -> BuildOptions {
    BuildOptions::new(root, output)
}

#[test]
fn the_seed_site_has_every_page_of_the_layout() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let report = build(&options(&seed_root(), &public)).unwrap();
    assert_eq!(report.entries, 7);
    for page in [
        "index.html",
        "404.html",
        "errors.json",
        "sitemap.xml",
        "robots.txt",
        "style.css",
        "errdex.js",
        "errors/400/index.html",
        "errors/401/index.html",
        "errors/403/index.html",
        "errors/429/index.html",
        "errors/500/index.html",
        "errors/503/index.html",
        "errors/504/index.html",
        "errors/other/index.html",
        "categories/client/index.html",
        "categories/server/index.html",
        "categories/other/index.html",
    ] {
        assert!(public.join(page).is_file(), "{page} is missing");
    }
}

#[test]
fn every_sentence_of_the_seed_page_reaches_the_built_pages() {
    let out = tempfile::tempdir().unwrap();
    build(&options(&seed_root(), out.path())).unwrap();
    let mut text = String::new();
    for (path, bytes) in snapshot(out.path()) {
        if path.ends_with(".html") {
            text.push_str(&page_text(&String::from_utf8(bytes).unwrap()));
            text.push('\n');
        }
    }
    let items = seed_items();
    assert!(
        items.len() > 35,
        "the seed splits into its items: {items:#?}"
    );
    let missing: Vec<&String> = items
        .iter()
        .filter(|item| !text.contains(item.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "seed sentences missing from the site: {missing:#?}"
    );
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let out = tempfile::tempdir().unwrap();
    let (first, second) = (out.path().join("a"), out.path().join("b"));
    build(&options(&seed_root(), &first)).unwrap();
    build(&options(&seed_root(), &second)).unwrap();
    let (a, b) = (snapshot(&first), snapshot(&second));
    assert_eq!(a.len(), b.len());
    for ((path_a, bytes_a), (path_b, bytes_b)) in a.iter().zip(&b) {
        assert_eq!(path_a, path_b);
        assert!(bytes_a == bytes_b, "{path_a} differs between builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = seed_copy();
    let public = site.path().join("public");
    build(&options(site.path(), &public)).unwrap();
    let before = snapshot(&public);
    write(
        site.path(),
        "content/errors/broken.yaml",
        "code: 418\ntitle: Teapot\nsummary: x\ncategory: kitchen\n",
    );
    let result = build(&options(site.path(), &public));
    assert!(matches!(result, Err(BuildError::Content(_))));
    assert_eq!(
        snapshot(&public),
        before,
        "public/ changed after a failed build"
    );
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The working copy stays by design, and the manifests of it and of
        // the output, which the failed build never touched, the search
        // stats kept for the next build, and the empty lock file (builds
        // lock it, not its existence); nothing else may.
        .filter(|n| {
            n.contains("errdex-")
                && ![
                    ".public.errdex-cache",
                    ".public.errdex-cache-manifest",
                    ".public.errdex-manifest",
                    ".public.errdex-search",
                    ".public.errdex-lock",
                ]
                .contains(&n.as_str())
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

/// The diagnostics of a build that must fail on its content.
fn failing_build(
    root: &std::path::Path,
    public: &std::path::Path,
) -> Vec<errdex::diagnostics::Diagnostic> {
    let result = build(&options(root, public));
    let Err(BuildError::Content(diagnostics)) = result else {
        panic!("the build should fail on the template: {result:?}");
    };
    diagnostics
}

/// No file a build was writing is left under `dir`.
fn assert_nothing_half_written(dir: &std::path::Path) {
    let unfinished: Vec<_> = snapshot(dir)
        .into_iter()
        .filter(|(path, _)| path.contains("errdex-new"))
        .collect();
    assert!(unfinished.is_empty(), "{unfinished:?}");
}

#[test]
fn a_build_that_stops_while_writing_pages_keeps_the_streamed_exports() {
    let site = seed_copy();
    let public = site.path().join("public");
    let cache = site.path().join(".public.errdex-cache");
    // Twice: the second build keeps the first as its working copy.
    build(&options(site.path(), &public)).unwrap();
    build(&options(site.path(), &public)).unwrap();
    let before = snapshot(&public);
    // Fails while rendering one entry's page, after others were written and
    // their parts of errors.json and llms-full.txt were on their way.
    write(
        site.path(),
        "templates/entry.html",
        "{% if entry.code == \"503\" %}{{ no_such_value.field }}{% endif %}ok",
    );
    let diagnostics = failing_build(site.path(), &public);
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("no_such_value")),
        "{diagnostics:?}"
    );
    assert_eq!(snapshot(&public), before, "public/ changed");
    for file in ["errors.json", "llms-full.txt"] {
        assert_eq!(
            fs::read(cache.join(file)).unwrap(),
            fs::read(public.join(file)).unwrap(),
            "the working copy's {file} was cut short"
        );
    }
    assert_nothing_half_written(&cache);
    fs::remove_file(site.path().join("templates/entry.html")).unwrap();
    build(&options(site.path(), &public)).unwrap();
    assert_eq!(snapshot(&public), before);
}

#[test]
fn a_home_page_that_fails_while_it_streams_keeps_the_old_one() {
    let site = seed_copy();
    let public = site.path().join("public");
    let cache = site.path().join(".public.errdex-cache");
    // Twice: the second build keeps the first as its working copy.
    build(&options(site.path(), &public)).unwrap();
    build(&options(site.path(), &public)).unwrap();
    let before = snapshot(&public);
    // The home page goes to its file as it is rendered: this one has written
    // every code before it fails, on its last line.
    write(
        site.path(),
        "templates/index.html",
        "{% for c in categories %}{% for e in c.entries %}{{ e.code }} {{ e.title }}\n{% endfor %}{% endfor %}\n\n{{ no_such_value.field }}",
    );
    let diagnostics = failing_build(site.path(), &public);
    let failed = diagnostics
        .iter()
        .find(|d| d.message.contains("no_such_value"))
        .unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert!(
        failed.message.starts_with("rendering index.html: "),
        "{}",
        failed.message
    );
    let location = failed.location.as_deref().unwrap();
    assert_eq!(location.file, "templates/index.html");
    assert_eq!((location.start.line, location.start.column), (4, 4));
    assert_eq!(snapshot(&public), before, "public/ changed");
    assert_eq!(
        fs::read(cache.join("index.html")).unwrap(),
        fs::read(public.join("index.html")).unwrap(),
        "the working copy's home page was cut short"
    );
    assert_nothing_half_written(&cache);
}

#[test]
fn a_rebuild_removes_what_errdex_wrote_before_and_keeps_what_it_did_not() {
    let site = seed_copy();
    let public = site.path().join("public");
    build(&options(site.path(), &public)).unwrap();
    write(&public, "by-hand.html", "mine");
    fs::remove_file(site.path().join("content/errors/400.yaml")).unwrap();
    for _ in 0..2 {
        let report = build(&options(site.path(), &public)).unwrap();
        assert_eq!(report.kept, [std::path::PathBuf::from("by-hand.html")]);
        assert_eq!(
            fs::read_to_string(public.join("by-hand.html")).unwrap(),
            "mine"
        );
        assert!(!public.join("errors/400").exists());
        assert!(public.join("errors/401/index.html").exists());
    }
}

#[test]
fn a_changed_page_is_a_new_file_so_the_working_copy_keeps_the_old_one() {
    let site = seed_copy();
    let public = site.path().join("public");
    let cache = site.path().join(".public.errdex-cache");
    let page = "errors/429/index.html";
    build(&options(site.path(), &public)).unwrap();
    build(&options(site.path(), &public)).unwrap();
    let first = fs::read_to_string(public.join(page)).unwrap();
    let entry = site.path().join("content/errors/429.yaml");
    let text = fs::read_to_string(&entry).unwrap();
    fs::write(&entry, text.replace("Too Many Requests", "Slow Down")).unwrap();
    build(&options(site.path(), &public)).unwrap();
    let second = fs::read_to_string(public.join(page)).unwrap();
    assert!(second.contains("Slow Down") && !first.contains("Slow Down"));
    assert_eq!(fs::read_to_string(cache.join(page)).unwrap(), first);
    fs::write(&entry, text.replace("Too Many Requests", "Easy Now")).unwrap();
    build(&options(site.path(), &public)).unwrap();
    assert!(
        fs::read_to_string(public.join(page))
            .unwrap()
            .contains("Easy Now")
    );
    assert_eq!(fs::read_to_string(cache.join(page)).unwrap(), second);
    assert_eq!(snapshot(&public).len(), snapshot(&cache).len());
}

#[test]
fn deleting_the_output_or_everything_beside_it_gives_the_same_site() {
    let site = seed_copy();
    let public = site.path().join("public");
    let cache = site.path().join(".public.errdex-cache");
    build(&options(site.path(), &public)).unwrap();
    let built = snapshot(&public);
    assert!(!cache.exists(), "a first build moves into place");
    assert!(public.join(".errdex-output").is_file());
    for round in 0..3 {
        // `rm -rf public` before a build, as CI scripts and benchmarks do.
        fs::remove_dir_all(&public).unwrap();
        build(&options(site.path(), &public)).unwrap();
        assert_eq!(snapshot(&public), built, "round {round}");
        build(&options(site.path(), &public)).unwrap();
        assert_eq!(snapshot(&public), built, "round {round}");
    }
    for item in fs::read_dir(site.path()).unwrap() {
        let path = item.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(".public.errdex-") && path.is_dir() {
            fs::remove_dir_all(&path).unwrap();
        } else if name.starts_with(".public.errdex-") {
            fs::remove_file(&path).unwrap();
        }
    }
    build(&options(site.path(), &public)).unwrap();
    assert_eq!(snapshot(&public), built);
}

#[test]
fn content_cannot_inject_markup() {
    let entry = r#"code: E1
title: "<script>alert('title')</script>"
summary: "<img src=x onerror=alert(1)> summary"
category: client
description: |
  Hello <script>alert('md')</script> and [x](https://example.com/"onmouseover="alert(1)).

  ```
  </code><script>alert('code')</script>
  ```
solutions:
  - "<b onmouseover=alert(1)>step</b>"
examples:
  - title: "</figcaption><script>alert('x')</script>"
    body: "</code></pre><script>alert('body')</script>"
links:
  - title: "<script>alert('link')</script>"
    url: "https://example.com/?a=\"><script>alert(1)</script>"
tags: ["<script>"]
"#;
    let site = site(&[("errdex.yaml", CONFIG), ("content/errors/E1.yaml", entry)]);
    let out = site.path().join("public");
    build(&options(site.path(), &out)).unwrap();
    for (path, bytes) in snapshot(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(
            !html.contains("<script>alert"),
            "{path} runs injected script:\n{html}"
        );
        assert!(!html.contains("<img src=x"), "{path} has an injected tag");
        assert!(
            !html.contains("<b onmouseover"),
            "{path} has an injected attribute"
        );
        assert!(
            !html.contains("\"onmouseover"),
            "{path} has an injected attribute"
        );
    }
    let page = fs::read_to_string(out.join("errors/E1/index.html")).unwrap();
    assert!(
        page.contains("&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;")
            || page.contains("&lt;script&gt;alert(")
    );
}

#[test]
fn raw_html_passes_through_when_the_config_allows_it() {
    let config = format!("{CONFIG}allow_html: true\n");
    let entry = "code: E1\ntitle: T\nsummary: S\ncategory: client\ndescription: Wait <kbd>one</kbd> minute.\nsolutions: [Wait.]\n";
    let site = site(&[("errdex.yaml", &config), ("content/errors/E1.yaml", entry)]);
    let out = site.path().join("public");
    build(&options(site.path(), &out)).unwrap();
    let page = fs::read_to_string(out.join("errors/E1/index.html")).unwrap();
    assert!(page.contains("Wait <kbd>one</kbd> minute."));
}

#[test]
fn alias_codes_redirect_to_their_primary_page() {
    let out = tempfile::tempdir().unwrap();
    build(&options(&seed_root(), out.path())).unwrap();
    let alias = fs::read_to_string(out.path().join("errors/504/index.html")).unwrap();
    assert!(
        alias.contains(
            r#"<meta http-equiv="refresh" content="0; url=../../errors/503/index.html?from=504">"#
        ),
        "{alias}"
    );
    assert!(
        alias.contains(r#"<link rel="canonical" href="https://docs.example.com/api/errors/503/">"#),
        "{alias}"
    );
}

#[test]
fn internal_links_are_relative_so_the_site_works_anywhere() {
    let out = tempfile::tempdir().unwrap();
    build(&options(&seed_root(), out.path())).unwrap();
    for (path, bytes) in snapshot(out.path()) {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let document = scraper::Html::parse_document(&html);
        let selector = scraper::Selector::parse("a[href], link[href], script[src]").unwrap();
        for element in document.select(&selector) {
            let target = element
                .value()
                .attr("href")
                .or(element.value().attr("src"))
                .unwrap();
            if element.value().attr("rel") == Some("canonical") || target.starts_with("https://") {
                continue;
            }
            assert!(
                !target.starts_with('/'),
                "{path} links to root-relative {target}"
            );
            let file = target.split(['#', '?']).next().unwrap();
            if file.is_empty() {
                continue;
            }
            let resolved = out.path().join(&path).parent().unwrap().join(file);
            assert!(
                resolved.is_file(),
                "{path} links to {target}, which does not exist"
            );
        }
    }
}

#[test]
fn exports_list_every_entry() {
    let out = tempfile::tempdir().unwrap();
    build(&options(&seed_root(), out.path())).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("errors.json")).unwrap()).unwrap();
    assert_eq!(json["version"], 2);
    assert_eq!(json["count"], 7);
    let codes: Vec<&str> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["400", "401", "403", "429", "500", "503", "other"]);
    assert_eq!(json["errors"][5]["aliases"], serde_json::json!(["504"]));
    let entry: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("errors/503.json")).unwrap()).unwrap();
    assert_eq!(entry["solutions"][0]["audience"], "api-users");
    let sitemap = fs::read_to_string(out.path().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://docs.example.com/api/errors/429/</loc>"));
    assert!(
        !sitemap.contains("errors/504/"),
        "alias pages are not canonical"
    );
    let robots = fs::read_to_string(out.path().join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://docs.example.com/api/sitemap.xml"));
}

#[test]
fn the_output_may_not_be_the_site_root() {
    let site = seed_copy();
    let result = build(&options(site.path(), site.path()));
    assert!(matches!(result, Err(BuildError::Output(_))));
    assert!(site.path().join("content/errors/429.yaml").exists());
}

#[test]
fn a_site_without_templates_or_static_uses_the_built_in_theme() {
    let entry = "code: E1\ntitle: T\nsummary: S\ncategory: client\nsolutions: [Wait.]\n";
    let site = site(&[("errdex.yaml", CONFIG), ("content/errors/E1.yaml", entry)]);
    let out = site.path().join("public");
    build(&options(site.path(), &out)).unwrap();
    assert!(out.join("style.css").is_file());
    assert!(
        fs::read_to_string(out.join("errors/E1/index.html"))
            .unwrap()
            .contains("<h1>T</h1>")
    );
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let entry = "code: E1\ntitle: T\nsummary: S\ncategory: client\nsolutions: [Wait.]\n";
    let custom = "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">{{ entry.code }}</p>{% endblock content %}";
    let site = site(&[
        ("errdex.yaml", CONFIG),
        ("content/errors/E1.yaml", entry),
        ("templates/entry.html", custom),
        ("static/extra.txt", "hello"),
    ]);
    let out = site.path().join("public");
    build(&options(site.path(), &out)).unwrap();
    assert!(
        fs::read_to_string(out.join("errors/E1/index.html"))
            .unwrap()
            .contains("<p class=\"custom\">E1</p>")
    );
    assert_eq!(fs::read_to_string(out.join("extra.txt")).unwrap(), "hello");
}

#[test]
fn a_heading_never_takes_an_id_of_the_page_around_it() {
    let site = seed_copy();
    let config = site.path().join("errdex.yaml");
    let text = fs::read_to_string(&config).unwrap();
    let (before, after) = text.split_once("intro: |").unwrap();
    let categories = after.find("\ncategories:").unwrap();
    let intro = "intro: |\n  ## Search results\n\n  ## Search status\n\n  ## My widget";
    fs::write(&config, format!("{before}{intro}{}", &after[categories..])).unwrap();
    write(
        site.path(),
        "templates/index.html",
        &fs::read_to_string(seed_root().join("templates/index.html"))
            .unwrap()
            .replacen(
                "{% endblock %}",
                "<div id=\"my-widget\"></div>{% endblock %}",
                1,
            ),
    );
    let public = site.path().join("public");
    build(&options(site.path(), &public)).unwrap();
    let home = fs::read_to_string(public.join("index.html")).unwrap();
    // The template's own elements, once each.
    for id in ["search-results", "my-widget"] {
        assert_eq!(home.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
    }
    // The search script makes this one when it runs: no heading takes it.
    assert!(!home.contains("id=\"search-status\""));
}

#[test]
fn a_title_that_repeats_the_codes_last_part_is_not_said_twice() {
    let more = "code: billing.CardDeclined\ncategory: client\ntitle: Declined by the bank\nsummary: The card was declined.\nsolutions: [Use another card.]\n";
    let same = "code: billing.CardExpired\ncategory: client\ntitle: Card expired\nsummary: The card expired.\nsolutions: [Use another card.]\n";
    let site = site(&[
        ("errdex.yaml", CONFIG),
        ("content/errors/a.yaml", more),
        ("content/errors/b.yaml", same),
    ]);
    let public = site.path().join("public");
    build(&options(site.path(), &public)).unwrap();
    let page =
        |code: &str| fs::read_to_string(public.join(format!("errors/{code}/index.html"))).unwrap();
    // A title that says more than the code is kept beside it.
    let declined = page("billing.CardDeclined");
    assert!(
        declined.contains("<title>billing.CardDeclined Declined by the bank · Test site</title>"),
        "{declined}"
    );
    // "Card expired" is the code's last part again, in other spacing.
    let expired = page("billing.CardExpired");
    assert!(
        expired.contains("<title>billing.CardExpired · Test site</title>"),
        "{expired}"
    );
    assert!(
        expired.contains("\"headline\":\"billing.CardExpired\""),
        "{expired}"
    );
}
