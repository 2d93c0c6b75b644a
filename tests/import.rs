//! `errdex import`: the seed page becomes a site equivalent to ours, other
//! pages' leftovers are reported, and nothing is overwritten by accident.

use std::fs;

use crate::common::*;
use predicates::prelude::*;

/// A new site with our config and nothing in content/.
fn empty_site() -> tempfile::TempDir {
    site(&[(
        "errdex.yaml",
        &fs::read_to_string(seed_root().join("errdex.yaml")).unwrap(),
    )])
}

fn seed_page() -> std::path::PathBuf {
    seed_root().join("tests/data/error-codes-page.txt")
}

/// Every step of an entry as plain text, audiences flattened, in order.
fn steps(entry: &serde_json::Value, field: &str) -> Vec<String> {
    fn walk(steps: &serde_json::Value, out: &mut Vec<String>) {
        for step in steps.as_array().into_iter().flatten() {
            out.push(step["text_plain"].as_str().unwrap().to_owned());
            walk(&step["steps"], out);
        }
    }
    let mut out = Vec::new();
    if field == "causes" {
        walk(&entry["causes"], &mut out);
    } else {
        for group in entry["solutions"].as_array().into_iter().flatten() {
            walk(&group["steps"], &mut out);
        }
    }
    out
}

#[test]
fn the_seed_page_imports_into_a_site_equivalent_to_ours() {
    let imported = empty_site();
    errdex()
        .args(["import"])
        .arg(seed_page())
        .arg("--root")
        .arg(imported.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("imported 7 entries"));
    errdex()
        .args(["check", "--strict", "--root"])
        .arg(imported.path())
        .assert()
        .success();

    let ours = tempfile::tempdir().unwrap();
    let options = errdex::publish::BuildOptions::new(seed_root(), ours.path().join("public"));
    errdex::publish::build(&options).unwrap();
    let options =
        errdex::publish::BuildOptions::new(imported.path(), imported.path().join("public"));
    errdex::publish::build(&options).unwrap();

    // Entry by entry: the same codes, titles, summaries, categories, statuses
    // and steps (the seed text lost the heading of the 503's platform group, so
    // steps are compared flattened).
    let read = |root: &std::path::Path, code: &str| -> serde_json::Value {
        let path = root.join(format!("public/errors/{code}.json"));
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
    };
    for code in ["400", "401", "403", "429", "500", "503", "other"] {
        let (a, b) = (read(ours.path(), code), read(imported.path(), code));
        for field in [
            "code",
            "aliases",
            "title",
            "summary",
            "category",
            "http_status",
        ] {
            assert_eq!(a[field], b[field], "{code}: {field}");
        }
        for field in ["causes", "solutions"] {
            assert_eq!(steps(&a, field), steps(&b, field), "{code}: {field}");
        }
    }
    // The 403's nested steps stay nested.
    let forbidden = read(imported.path(), "403");
    assert_eq!(
        forbidden["solutions"][0]["steps"][1]["steps"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // And every sentence of the seed reaches the imported site's pages.
    let mut text = String::new();
    for (path, bytes) in snapshot(&imported.path().join("public")) {
        if path.ends_with(".html") {
            text.push_str(&page_text(&String::from_utf8(bytes).unwrap()));
        }
    }
    let missing: Vec<String> = seed_items()
        .into_iter()
        .filter(|item| !text.contains(item.as_str()))
        .collect();
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn a_markdown_page_imports_and_its_leftovers_are_reported() {
    let site = empty_site();
    let config = site.path().join("errdex.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, text.replace("fallback: other\n", "")).unwrap();
    write(
        site.path(),
        "errors.md",
        "# Our API errors\n\nRead this first.\n\n## 404 Not Found\n\nThe resource does not exist. Check the id.\n\n### Causes\n\n- A typo in the id\n- The resource was deleted\n\n### How to fix\n\n1. Check the id.\n2. List the resources.\n\n## E_QUOTA: Quota exhausted\n\nThe monthly quota is used up.\n\n- Wait for the next month.\n\n## Changelog\n\nNothing yet.\n",
    );
    errdex()
        .args(["import", "errors.md", "--root", "."])
        .current_dir(site.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "errors.md:1: heading without an error code: # Our API errors",
        ))
        .stderr(predicate::str::contains("errors.md:3: Read this first."))
        .stderr(predicate::str::contains("errors.md:27: Nothing yet."));
    let entry = fs::read_to_string(site.path().join("content/errors/404.yaml")).unwrap();
    assert!(
        entry
            .contains("code: 404\ntitle: \"Not Found\"\nsummary: \"The resource does not exist.\""),
        "{entry}"
    );
    assert!(entry.contains("description: \"Check the id.\""), "{entry}");
    assert!(
        entry.contains("causes:\n  - \"A typo in the id\"\n  - \"The resource was deleted\""),
        "{entry}"
    );
    assert!(
        entry.contains("solutions:\n  - \"Check the id.\"\n  - \"List the resources.\""),
        "{entry}"
    );
    let quota = fs::read_to_string(site.path().join("content/errors/E_QUOTA.yaml")).unwrap();
    assert!(
        quota.contains("code: \"E_QUOTA\"\ntitle: \"Quota exhausted\""),
        "{quota}"
    );
    errdex()
        .args(["check", "--root"])
        .arg(site.path())
        .assert()
        .success();

    // A second import would overwrite: refused, and nothing changes.
    fs::write(site.path().join("content/errors/404.yaml"), "edited").unwrap();
    errdex()
        .args(["import", "errors.md", "--root", "."])
        .current_dir(site.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "content/errors/404.yaml exists already",
        ));
    assert_eq!(
        fs::read_to_string(site.path().join("content/errors/404.yaml")).unwrap(),
        "edited"
    );
    errdex()
        .args(["import", "errors.md", "--force", "--root", "."])
        .current_dir(site.path())
        .assert()
        .success();
    assert_ne!(
        fs::read_to_string(site.path().join("content/errors/404.yaml")).unwrap(),
        "edited"
    );
}

#[test]
fn a_page_without_error_headings_is_refused() {
    let site = empty_site();
    write(
        site.path(),
        "notes.md",
        "# Notes\n\nNothing about errors.\n",
    );
    errdex()
        .args(["import", "notes.md", "--root", "."])
        .current_dir(site.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "found no error headings in notes.md",
        ));
    assert!(!site.path().join("content").exists());
}

#[test]
fn a_page_with_a_code_twice_is_refused_and_nothing_is_written() {
    let site = empty_site();
    let page = site.path().join("page.md");
    fs::write(
        &page,
        "## 429 Too Many Requests\n\nSlow down.\n\n## 500 Internal Server Error\n\nOops.\n\n## 429 Rate limited\n\nAgain.\n",
    )
    .unwrap();
    errdex()
        .current_dir(site.path())
        .args(["import", "page.md"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "code `429` has two headings in page.md, lines 1 and 9; nothing was written",
        ));
    assert!(!site.path().join("content/errors").exists());
}

#[test]
fn a_binary_page_or_codes_file_is_refused_with_file_and_line() {
    let site = empty_site();
    let mut bytes = b"## 429 Too Many Requests\n\nSlow\n".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0x00, 0x89, b'P', b'N', b'G']);
    fs::write(site.path().join("page.md"), &bytes).unwrap();
    fs::write(site.path().join("codes.json"), &bytes).unwrap();
    errdex()
        .current_dir(site.path())
        .args(["import", "page.md"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("page.md:4:1: error[encoding]"));
    fs::create_dir_all(site.path().join("content/errors")).unwrap();
    errdex()
        .current_dir(site.path())
        .args(["check", "--codes-from", "codes.json"])
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("codes.json:4:1: error[encoding]"));
}

#[cfg(unix)]
#[test]
fn import_and_new_write_nothing_through_a_link_out_of_the_site() {
    let outside = tempfile::tempdir().unwrap();
    let site = empty_site();
    fs::create_dir_all(site.path().join("content")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/errors")).unwrap();
    errdex()
        .current_dir(site.path())
        .arg("import")
        .arg(seed_page())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("leads outside the site"));
    errdex()
        .current_dir(site.path())
        .args(["new", "418"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("leads outside the site"));
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
}
