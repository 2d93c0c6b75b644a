//! What real catalogs need beyond one page per code: lifecycle banners,
//! variants, the coverage check against the API, freshness, the feedback
//! link and the one-page view, end to end from the CLI.

use std::fs;
use std::path::Path;

use crate::common::*;
use predicates::prelude::*;

fn built_rich_site() -> tempfile::TempDir {
    let site = rich_site();
    errdex()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .success();
    site
}

fn read(root: &Path, path: &str) -> String {
    fs::read_to_string(root.join("public").join(path)).unwrap()
}

#[test]
fn deprecated_and_removed_codes_keep_their_pages_with_a_banner_and_the_replacement() {
    let site = built_rich_site();
    let deprecated = read(site.path(), "errors/422/index.html");
    assert!(deprecated.contains(
        "<strong>Deprecated.</strong> The API still returns this code, but it is being phased out. Its replacement is <a href=\"../../errors/400/index.html\"><span class=\"code\">400</span> Bad Request</a>."
    ));
    assert!(deprecated.contains("<dt>Since</dt><dd>v1.2</dd>"));
    let removed = read(site.path(), "errors/410/index.html");
    assert!(removed.contains("<strong>Removed in v2.</strong>"));
    assert!(removed.contains("It was replaced by <a href=\"../../errors/400/index.html\">"));
    let category = read(site.path(), "categories/client/index.html");
    assert!(
        category.contains(
            "<td data-label=\"Status\"><span class=\"badge badge-removed\">Removed</span></td>"
        ),
        "{category}"
    );
    let catalog: serde_json::Value =
        serde_json::from_str(&read(site.path(), "errors.json")).unwrap();
    let gone = catalog["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "410")
        .unwrap();
    assert_eq!(gone["status"], "removed");
    assert_eq!(gone["removed_in"], "v2");
    assert_eq!(gone["replaced_by"], "400");
}

#[test]
fn variants_get_anchors_and_their_own_export_entries() {
    let site = built_rich_site();
    let page = read(site.path(), "errors/422/index.html");
    for kind in ["value_out_of_range", "unsupported_parameter"] {
        assert!(
            page.contains(&format!(
                "<h3 id=\"{kind}\"><a class=\"anchor\" href=\"#{kind}\"><code>{kind}</code>"
            )),
            "{kind}"
        );
    }
    let entry: serde_json::Value =
        serde_json::from_str(&read(site.path(), "errors/422.json")).unwrap();
    assert_eq!(entry["variants"][1]["type"], "unsupported_parameter");
    assert_eq!(
        entry["variants"][1]["url"],
        "https://docs.example.com/api/errors/422/#unsupported_parameter"
    );
    assert_eq!(
        entry["variants"][1]["solutions"][0]["audience"],
        "api-users"
    );
    let markdown = read(site.path(), "errors/422.md");
    assert!(
        markdown.contains("### `value_out_of_range`: Value out of range"),
        "{markdown}"
    );
}

#[test]
fn stale_entries_warn_as_of_the_given_day_and_pages_say_when_they_were_reviewed() {
    let site = rich_site();
    // 422 was reviewed on 2026-11-02; the site allows 365 days.
    errdex()
        .args(["check", "--today", "2027-11-02", "--root"])
        .arg(site.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("stale-entry").not());
    errdex()
        .args(["check", "--today", "2027-12-01", "--root"])
        .arg(site.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "content/errors/422.yaml:15:11: warning[stale-entry]: last reviewed 394 days ago (2026-11-02)",
        ));
    errdex()
        .args(["check", "--strict", "--today", "2027-12-01", "--root"])
        .arg(site.path())
        .assert()
        .code(1);
    errdex()
        .args(["check", "--today", "2027-13-01", "--root"])
        .arg(site.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`2027-13-01` is not a date written YYYY-MM-DD",
        ));
    errdex()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let page = read(site.path(), "errors/422/index.html");
    assert!(page.contains("Last reviewed <time datetime=\"2026-11-02\">2026-11-02</time>"));
}

#[test]
fn every_entry_page_asks_for_feedback_with_a_prefilled_link() {
    let site = built_rich_site();
    let page = read(site.path(), "errors/422/index.html");
    assert!(page.contains(
        "Was this page helpful? <a href=\"https://github.com/example/docs/issues/new?title=422%20Unprocessable%20Entity&amp;body=https%3A%2F%2Fdocs.example.com%2Fapi%2Ferrors%2F422%2F\">Report a problem with this page</a>"
    ), "{page}");
    // Without `feedback_url` there is no such line.
    let plain = tempfile::tempdir().unwrap();
    errdex()
        .args(["build", "--output"])
        .arg(plain.path().join("public"))
        .current_dir(seed_root())
        .assert()
        .success();
    assert!(!read(plain.path(), "errors/429/index.html").contains("Was this page helpful?"));
}

#[test]
fn the_one_page_view_holds_every_entry_with_the_anchors_of_the_code_pages() {
    let site = built_rich_site();
    let all = read(site.path(), "all/index.html");
    for id in [
        "400",
        "422",
        "E_UNPROCESSABLE",
        "503",
        "504",
        "410",
        "other",
        "value_out_of_range",
    ] {
        assert!(all.contains(&format!("id=\"{id}\"")), "#{id} is missing");
    }
    assert!(
        all.contains("See the model card in the console."),
        "footnotes come along"
    );
    // Each entry's headings take ids of their own, starting with its code.
    assert!(all.contains("id=\"422-reading-the-error-body\""), "{all}");
    let mut ids: Vec<&str> = all
        .split(" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "an id is used twice");
    assert!(
        read(site.path(), "index.html")
            .contains("<a href=\"all/index.html\">All codes on one page</a>")
    );
    // Larger than `one_page_max`: no one-page view, and no link to it.
    let config = site.path().join("errdex.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{text}one_page_max: 3\n")).unwrap();
    errdex()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .success();
    assert!(!site.path().join("public/all/index.html").exists());
    assert!(!read(site.path(), "index.html").contains("all/index.html"));
}

#[test]
fn check_codes_from_compares_the_catalog_with_what_the_api_emits() {
    let site = seed_copy();
    // An OpenAPI document, in JSON: 404 and a `type` enum value are undocumented.
    write(
        site.path(),
        "openapi.json",
        r##"{
  "openapi": "3.1.0",
  "info": {"title": "Example", "version": "1"},
  "paths": {
    "/v1/chat/completions": {
      "post": {
        "responses": {
          "200": {"description": "OK"},
          "400": {"description": "Bad request"},
          "401": {"description": "Unauthorized"},
          "404": {"description": "No such model"},
          "429": {"$ref": "#/components/responses/TooMany"}
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Error": {
        "properties": {"type": {"type": "string", "enum": ["model_not_found"]}}
      }
    }
  }
}
"##,
    );
    errdex()
        .args(["check", "--codes-from", "openapi.json", "--root", "."])
        .current_dir(site.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "openapi.json:11:11: error[undocumented-code]: `404` is emitted by the API but has no entry",
        ))
        .stderr(predicate::str::contains(
            "openapi.json:20:60: error[undocumented-code]: `model_not_found` is emitted by the API but has no entry",
        ))
        .stderr(predicate::str::contains(
            "content/errors/403.yaml:2:7: warning[unemitted-code]: code `403` is documented but the API never emits it",
        ));
    // A plain list with every code: clean (the fallback `other` is never expected).
    write(
        site.path(),
        "codes.txt",
        "# from the gateway config\n400\n401\n403\n429\n500\n503\n504\n",
    );
    errdex()
        .args([
            "check",
            "--strict",
            "--codes-from",
            "codes.txt",
            "--root",
            ".",
        ])
        .current_dir(site.path())
        .assert()
        .success();
    // JSON output names the codes file, for CI annotations.
    errdex()
        .args([
            "check",
            "--format",
            "json",
            "--codes-from",
            "openapi.json",
            "--root",
            ".",
        ])
        .current_dir(site.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            r#""rule":"undocumented-code","severity":"error","file":"openapi.json","line":11"#,
        ));
    errdex()
        .args(["check", "--codes-from", "missing.yaml", "--root", "."])
        .current_dir(site.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read missing.yaml"));
}

#[test]
fn messages_are_shown_copyable_and_exported_with_their_placeholders() {
    // The repository's errdex.yaml, which the test sites copy, writes every per-code output.
    let site = built_rich_site();
    let page = read(site.path(), "errors/422/index.html");
    assert!(page.contains(
        "<h2 id=\"messages\"><a class=\"anchor\" href=\"#messages\">What you will see</a></h2>"
    ));
    // Text escaped, placeholders as <var> that keep their braces, literal
    // braces as written.
    assert!(page.contains(
        "<pre class=\"message\"><code>Request body rejected: {\"field\": <var>{field}</var>} cannot be processed &lt;now&gt;.</code></pre>"
    ));
    assert!(page.contains("<li><a href=\"#messages\">What you will see</a></li>"));
    assert!(page.contains("<h4>What you will see</h4>"));
    let catalog: serde_json::Value =
        serde_json::from_str(&read(site.path(), "errors.json")).unwrap();
    let entry = catalog["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "422")
        .unwrap();
    assert_eq!(
        entry["messages"][0],
        "Invalid value for '{param}': expected {expected}, got {got}."
    );
    assert_eq!(
        entry["variants"][0]["messages"][0],
        "'{param}' must be between {min} and {max}."
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(site.path(), "errors/422.json")).unwrap();
    assert_eq!(json["messages"].as_array().unwrap().len(), 2);
    let markdown = read(site.path(), "errors/422.md");
    assert!(markdown.contains(
        "## What you will see\n\n```text\nInvalid value for '{param}': expected {expected}, got {got}.\n```\n"
    ));
}
