//! What programs, search engines, language models and static hosts get:
//! per-code JSON and markdown, llms.txt, structured data, redirects.

use std::fs;

use crate::common::*;
use errdex::publish::{BuildOptions, build};
use serde_json::Value;

fn seed_build() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    build(&BuildOptions::new(seed_root(), out.path())).unwrap();
    out
}

#[test]
fn every_code_has_json_with_html_and_plain_text_and_its_aliases_point_to_it() {
    let out = seed_build();
    let primary: Value =
        serde_json::from_slice(&fs::read(out.path().join("errors/503.json")).unwrap()).unwrap();
    let alias: Value =
        serde_json::from_slice(&fs::read(out.path().join("errors/504.json")).unwrap()).unwrap();
    assert_eq!(
        alias,
        serde_json::json!({"code": "504", "see": "503", "url": "https://docs.example.com/api/errors/503.json"})
    );
    assert_eq!(primary["url"], "https://docs.example.com/api/errors/503/");
    let step = &primary["solutions"][0]["steps"][2];
    assert_eq!(
        step["text"],
        "**Optimize client settings:** Ensure `client_timeout` and `proxy_timeout` exceed 60 seconds;"
    );
    assert_eq!(
        step["text_html"],
        "<strong>Optimize client settings:</strong> Ensure <code>client_timeout</code> and <code>proxy_timeout</code> exceed 60 seconds;"
    );
    assert_eq!(
        step["text_plain"],
        "Optimize client settings: Ensure client_timeout and proxy_timeout exceed 60 seconds;"
    );
    let catalog: Value =
        serde_json::from_slice(&fs::read(out.path().join("errors.json")).unwrap()).unwrap();
    assert!(
        catalog["errors"][0].get("solutions").is_none(),
        "errors.json holds each code's summary, the per-code file the whole entry"
    );
}

#[test]
fn markdown_links_in_exports_are_absolute() {
    let entry = "code: E1\ntitle: T\nsummary: S.\ncategory: client\ndescription: See [](code:E2) and [that](code:E2).\nsolutions: [Do it.]\n";
    let other = "code: E2\ntitle: Other\nsummary: O.\ncategory: client\nsolutions: [Do it.]\n";
    let config = format!("{CONFIG}outputs: {{ code: [html, json, markdown] }}\n");
    let site = site(&[
        ("errdex.yaml", &config),
        ("content/errors/E1.yaml", entry),
        ("content/errors/E2.yaml", other),
    ]);
    let out = site.path().join("public");
    build(&BuildOptions::new(site.path(), &out)).unwrap();
    let md = fs::read_to_string(out.join("errors/E1.md")).unwrap();
    assert!(md.contains("See [E2 Other](https://example.com/errors/errors/E2/) and [that](https://example.com/errors/errors/E2/)."), "{md}");
    let json: Value =
        serde_json::from_slice(&fs::read(out.join("errors/E1.json")).unwrap()).unwrap();
    assert_eq!(
        json["description_html"],
        "<p>See <a href=\"https://example.com/errors/errors/E2/index.html\">E2 Other</a> and <a href=\"https://example.com/errors/errors/E2/index.html\">that</a>.</p>\n"
    );
}

#[test]
fn llms_txt_follows_the_proposal() {
    let out = seed_build();
    let text = fs::read_to_string(out.path().join("llms.txt")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("# Novita AI API Error Codes"));
    assert_eq!(lines.next(), Some(""));
    assert_eq!(
        lines.next(),
        Some("> How to read and fix errors returned by the Novita AI API.")
    );
    assert!(text.contains("\n## Client errors\n\n- [400 Bad Request](https://docs.example.com/api/errors/400.md): Invalid request parameters.\n"));
    let listed = text
        .lines()
        .filter(|l| l.starts_with("- [") && l.contains("/errors/"))
        .count();
    assert_eq!(listed, 7);
    assert!(text.contains("\n## Optional\n"));
    let full = fs::read_to_string(out.path().join("llms-full.txt")).unwrap();
    assert!(full.starts_with("# Novita AI API Error Codes\n"));
    for heading in [
        "## 400 Bad Request",
        "## 503 Service Unavailable / Gateway Timeout",
        "#### For API Users",
        "## other Other errors",
    ] {
        assert!(full.contains(&format!("\n{heading}\n")), "{heading}");
    }
    for code in ["400", "401", "403", "429", "500", "503", "other"] {
        let md = fs::read_to_string(out.path().join(format!("errors/{code}.md"))).unwrap();
        assert!(md.starts_with(&format!("# {code} ")));
    }
}

#[test]
fn llms_full_holds_each_code_markdown_one_level_deeper() {
    let site = rich_site();
    let out = tempfile::tempdir().unwrap();
    build(&BuildOptions::new(site.path(), out.path())).unwrap();
    let full = fs::read_to_string(out.path().join("llms-full.txt")).unwrap();
    let md = fs::read_to_string(out.path().join("errors/422.md")).unwrap();
    let start = full.find("\n## 422 Unprocessable Entity\n").unwrap() + 1;
    let part = &full[start..start + full[start..].find("\n## 4").unwrap()];
    // Every heading errdex writes goes one level down; headings and `#`
    // lines of the content's own markdown stay as they were.
    let expected = md
        .lines()
        .map(|line| match line {
            "# 422 Unprocessable Entity"
            | "## What you will see"
            | "## Description"
            | "## Variants"
            | "### `value_out_of_range`: Value out of range"
            | "### `unsupported_parameter`: Unsupported parameter"
            | "## Possible causes"
            | "## Solutions"
            | "### For API Users"
            | "### For platform operators"
            | "## Examples"
            | "### Error response"
            | "### Checking the value before sending"
            | "### Raw response"
            | "## Related codes"
            | "## Further reading" => format!("#{line}\n"),
            _ => format!("{line}\n"),
        })
        .collect::<String>();
    assert_eq!(part, expected.trim_end_matches('\n').to_owned() + "\n");
    for kept in [
        "\n## Reading the error body\n",
        "\n### Limits per model\n",
        "\n    # The API rejects values outside the model's range.\n",
    ] {
        assert!(md.contains(kept) && part.contains(kept), "{kept:?}");
    }
    let headings = md.lines().filter(|l| l.starts_with('#')).count();
    assert_eq!(
        headings, 18,
        "every heading of the entry is in the list above"
    );
}

#[test]
fn pages_carry_structured_data_and_link_previews() {
    let out = seed_build();
    let page = fs::read_to_string(out.path().join("errors/429/index.html")).unwrap();
    let document = scraper::Html::parse_document(&page);
    let meta = |property: &str| {
        let selector = scraper::Selector::parse(&format!(
            "meta[property=\"{property}\"], meta[name=\"{property}\"]"
        ))
        .unwrap();
        document
            .select(&selector)
            .next()
            .and_then(|m| m.value().attr("content"))
            .map(str::to_owned)
    };
    assert_eq!(meta("og:type").as_deref(), Some("article"));
    assert_eq!(
        meta("og:url").as_deref(),
        Some("https://docs.example.com/api/errors/429/")
    );
    assert_eq!(
        meta("og:description").as_deref(),
        Some("Rate limit exceeded (Too Many Requests).")
    );
    assert_eq!(meta("twitter:card").as_deref(), Some("summary"));
    let selector = scraper::Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let json: Value =
        serde_json::from_str(&document.select(&selector).next().unwrap().inner_html()).unwrap();
    let types: Vec<&str> = json["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["@type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["TechArticle", "BreadcrumbList"]);
    assert!(json["@graph"][0].get("dateModified").is_none());
    assert_eq!(json["@graph"][0]["headline"], "429 Too Many Requests");
    assert_eq!(
        json["@graph"][1]["itemListElement"][1]["name"],
        "Client errors"
    );
    let home = fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(home.contains("\"@type\":\"SearchAction\""));
    assert!(home.contains("<link rel=\"search\" type=\"application/opensearchdescription+xml\""));
    let opensearch = fs::read_to_string(out.path().join("opensearch.xml")).unwrap();
    assert!(
        opensearch.contains("template=\"https://docs.example.com/api/search/?q={searchTerms}\"")
    );
    assert!(opensearch.contains("<ShortName>Novita AI API</ShortName>"));
}

#[test]
fn alias_and_redirected_codes_redirect_everywhere() {
    let config = format!(
        "{CONFIG}redirects:\n  E0100: E2\n  E0099: E0100\noutputs: {{ code: [html, json] }}\n"
    );
    let one = "codes: [E1, E1b]\ntitle: One\nsummary: S.\ncategory: client\nsolutions: [Do.]\n";
    let two = "code: E2\ntitle: Two\nsummary: S.\ncategory: client\nsolutions: [Do.]\n";
    let site = site(&[
        ("errdex.yaml", &config),
        ("content/errors/E1.yaml", one),
        ("content/errors/E2.yaml", two),
    ]);
    let out = site.path().join("public");
    build(&BuildOptions::new(site.path(), &out)).unwrap();
    let redirects = fs::read_to_string(out.join("_redirects")).unwrap();
    for line in [
        "/errors/errors/E1b/ /errors/errors/E1/?from=E1b 301",
        "/errors/errors/E0100/ /errors/errors/E2/ 301",
        "/errors/errors/E0099/ /errors/errors/E2/ 301",
    ] {
        assert!(
            redirects.contains(line),
            "{line} missing from:\n{redirects}"
        );
    }
    // An alias's page says which code the reader came for; a redirected
    // code is no longer one.
    for (old, target, query) in [
        ("E1b", "E1", "?from=E1b"),
        ("E0100", "E2", ""),
        ("E0099", "E2", ""),
    ] {
        let page = fs::read_to_string(out.join(format!("errors/{old}/index.html"))).unwrap();
        assert!(
            page.contains(&format!(
                "content=\"0; url=../../errors/{target}/index.html{query}\""
            )),
            "{old}: {page}"
        );
        let pointer: Value =
            serde_json::from_slice(&fs::read(out.join(format!("errors/{old}.json"))).unwrap())
                .unwrap();
        assert_eq!(pointer["see"], target, "{old}");
        assert_eq!(
            pointer["url"],
            format!("https://example.com/errors/errors/{target}.json")
        );
    }
    let index = fs::read_to_string(out.join("search-index.js")).unwrap();
    assert!(
        index.contains("\"redirects\":{\"E0099\":1,\"E0100\":1}"),
        "{index}"
    );
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("E0100") && !sitemap.contains("E1b"));
}

#[test]
fn git_dates_are_added_when_asked_for() {
    let site = seed_copy();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(site.path())
            .env("GIT_AUTHOR_DATE", "2026-03-04T05:06:07Z")
            .env("GIT_COMMITTER_DATE", "2026-03-04T05:06:07Z")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    // A file name with characters git quotes unless asked not to.
    fs::rename(
        site.path().join("content/errors/400.yaml"),
        site.path().join("content/errors/400 mauvaise requête.yaml"),
    )
    .unwrap();
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "seed"]);
    let out = site.path().join("public");
    let without = build(&BuildOptions::new(site.path(), &out)).unwrap();
    assert_eq!(without.entries, 7);
    assert!(
        !fs::read_to_string(out.join("errors.json"))
            .unwrap()
            .contains("last_updated")
    );
    let options = BuildOptions {
        git_dates: true,
        ..BuildOptions::new(site.path(), &out)
    };
    build(&options).unwrap();
    let json: Value =
        serde_json::from_slice(&fs::read(out.join("errors/429.json")).unwrap()).unwrap();
    assert_eq!(json["last_updated"], "2026-03-04");
    let json: Value =
        serde_json::from_slice(&fs::read(out.join("errors/400.json")).unwrap()).unwrap();
    assert_eq!(json["last_updated"], "2026-03-04", "a file name git quotes");
    let page = fs::read_to_string(out.join("errors/429/index.html")).unwrap();
    assert!(page.contains("Last updated <time datetime=\"2026-03-04\">2026-03-04</time>"));
    assert!(
        fs::read_to_string(out.join("sitemap.xml"))
            .unwrap()
            .contains("<lastmod>2026-03-04</lastmod>")
    );
}
