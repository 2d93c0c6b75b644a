//! `errdex new`, `errdex init` and `errdex explain`, as an editor uses them.

use std::fs;

use crate::common::*;
use predicates::prelude::*;

#[test]
fn new_writes_a_commented_entry_that_builds_into_a_page() {
    let site = seed_copy();
    errdex()
        .args(["new", "404", "--root"])
        .arg(site.path())
        .assert()
        .code(0);
    let text = fs::read_to_string(site.path().join("content/errors/404.yaml")).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=../../schema/entry.schema.json\n"));
    assert!(text.contains("title: \"Not Found\""), "{text}");
    assert!(text.contains("category: \"client\""), "{text}");
    assert!(text.contains("http_status: 404"), "{text}");
    assert!(
        text.contains("# Why it happens"),
        "the template explains its fields"
    );
    errdex()
        .args(["check", "--root"])
        .arg(site.path())
        .env("NO_COLOR", "1")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning[todo]"));
    errdex()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .code(0);
    let page = fs::read_to_string(site.path().join("public/errors/404/index.html")).unwrap();
    assert!(page.contains("<h1>Not Found</h1>"));
}

#[test]
fn new_puts_the_entry_in_the_category_asked_for() {
    let site = seed_copy();
    errdex()
        .args([
            "new",
            "E42",
            "--title",
            "Model: overloaded",
            "--category",
            "server",
            "--root",
        ])
        .arg(site.path())
        .assert()
        .code(0);
    let text = fs::read_to_string(site.path().join("content/errors/E42.yaml")).unwrap();
    assert!(text.contains("category: \"server\""));
    assert!(text.contains("title: \"Model: overloaded\""));
    errdex()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .code(0);
    let category =
        fs::read_to_string(site.path().join("public/categories/server/index.html")).unwrap();
    assert!(category.contains("E42"));
}

#[test]
fn new_refuses_unknown_categories_existing_codes_bad_codes_and_existing_files() {
    let site = seed_copy();
    let new = |args: &[&str]| {
        let mut cmd = errdex();
        cmd.arg("new").args(args).arg("--root").arg(site.path());
        cmd.assert()
    };
    new(&["E1", "--category", "servr"])
        .code(2)
        .stderr(predicate::str::contains("did you mean `server`?"));
    new(&["429"]).code(2).stderr(predicate::str::contains(
        "already defined in content/errors/429.yaml",
    ));
    new(&["504"]).code(2).stderr(predicate::str::contains(
        "already defined in content/errors/503.yaml",
    ));
    new(&["OTHER"])
        .code(2)
        .stderr(predicate::str::contains("`other` is already defined"));
    new(&["has space"]).code(2).stderr(predicate::str::contains(
        "does not match the site's code pattern",
    ));
    new(&["../x"])
        .code(2)
        .stderr(predicate::str::contains("cannot be used"));
    write(
        site.path(),
        "content/errors/E7.yaml",
        "# a draft without a code yet\n",
    );
    new(&["E7"])
        .code(2)
        .stderr(predicate::str::contains("never overwrites"));
    assert_eq!(
        fs::read_to_string(site.path().join("content/errors/E7.yaml")).unwrap(),
        "# a draft without a code yet\n"
    );
}

#[test]
fn init_creates_a_site_that_builds_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("my-errors");
    errdex().arg("init").arg(&root).assert().code(0);
    for file in [
        "errdex.yaml",
        ".gitignore",
        ".github/workflows/errdex.yml",
        "schema/entry.schema.json",
        "schema/config.schema.json",
    ] {
        assert!(root.join(file).is_file(), "{file} is missing");
    }
    // The theme stays built in, so the site gets errdex's later fixes.
    assert!(!root.join("templates").exists());
    assert!(!root.join("static").exists());
    assert_eq!(
        fs::read_dir(root.join("content/errors")).unwrap().count(),
        2
    );
    assert!(
        fs::read_to_string(root.join(".gitignore"))
            .unwrap()
            .contains("public/")
    );
    errdex()
        .args(["check", "--strict", "--root"])
        .arg(&root)
        .assert()
        .code(0);
    errdex()
        .args(["build", "--root"])
        .arg(&root)
        .assert()
        .code(0);
    assert!(root.join("public/errors/429/index.html").is_file());
    assert!(
        root.join("public/errors/invalid_api_key/index.html")
            .is_file()
    );
}

#[test]
fn init_theme_copies_the_built_in_theme_which_builds_the_same_site() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    let themed = dir.path().join("themed");
    errdex().arg("init").arg(&plain).assert().code(0);
    errdex()
        .args(["init", "--theme"])
        .arg(&themed)
        .assert()
        .code(0);
    assert!(themed.join("templates/entry.html").is_file());
    assert!(themed.join("static/style.css").is_file());
    for root in [&plain, &themed] {
        errdex().arg("build").current_dir(root).assert().code(0);
    }
    assert_eq!(
        snapshot(&plain.join("public")),
        snapshot(&themed.join("public"))
    );
}

#[test]
fn a_template_using_a_variable_the_context_lacks_fails_the_build_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    errdex().arg("init").arg(&root).assert().code(0);
    // One template overridden; the others stay built in.
    write(
        &root,
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>Lost</h1>\n<p>{{ entry.no_such_field }}</p>\n{% endblock content %}\n",
    );
    let output = errdex()
        .arg("build")
        .current_dir(&root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_ne!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("templates/404.html:4:") && stderr.contains("`entry` is not defined"),
        "{stderr}"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    errdex()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not empty"));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn explain_prints_an_entry_for_a_terminal() {
    let output = errdex()
        .args(["explain", "403", "--root"])
        .arg(seed_root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("403 Forbidden\nAccess denied due to insufficient permissions.\n"),
        "{text}"
    );
    assert!(
        text.contains("\nSolutions\n  • Verify that your account"),
        "{text}"
    );
    assert!(
        text.contains("\n    • Log in to the console"),
        "nested steps are indented: {text}"
    );
    assert!(!text.contains('\x1b'), "no colour when piped");
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "wrapped at 80 columns: {text}"
    );
}

#[test]
fn explain_finds_aliases_and_suggests_close_codes() {
    errdex()
        .args(["explain", "504", "--root"])
        .arg(seed_root())
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "503 Service Unavailable / Gateway Timeout",
        ));
    errdex()
        .args(["explain", "428", "--root"])
        .arg(seed_root())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the closest codes are 429, 400, 401",
        ));
}

#[test]
fn explain_rule_explains_every_rule() {
    for rule in errdex::diagnostics::rules::Rule::ALL {
        errdex()
            .args(["explain", "--rule", rule.name()])
            .assert()
            .code(0)
            .stdout(predicate::str::starts_with(rule.name()));
    }
    errdex()
        .args(["explain", "--rule", "unknown-kye"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `unknown-key`?"));
}

#[test]
fn the_readme_lists_every_rule() {
    let readme = fs::read_to_string(seed_root().join("README.md")).unwrap();
    for rule in errdex::diagnostics::rules::Rule::ALL {
        assert!(
            readme.contains(&format!(
                "| `{}` | {} |",
                rule.name(),
                rule.severity().as_str()
            )),
            "README's rule table lacks {}",
            rule.name()
        );
    }
}

#[test]
fn schema_prints_both_schemas() {
    let entry = errdex().arg("schema").output().unwrap();
    let entry: serde_json::Value = serde_json::from_slice(&entry.stdout).unwrap();
    assert_eq!(
        entry["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(entry["title"], "errdex entry");
    let config = errdex().args(["schema", "--config"]).output().unwrap();
    let config: serde_json::Value = serde_json::from_slice(&config.stdout).unwrap();
    assert_eq!(config["title"], "errdex site config");
}

#[test]
fn the_workflow_init_writes_pins_the_action_of_this_errdex() {
    let workflow = fs::read_to_string(seed_root().join("examples/github-pages.yml")).unwrap();
    let pin = format!("uses: errdex/errdex@v{}\n", env!("CARGO_PKG_VERSION"));
    assert!(
        workflow.contains(&pin),
        "examples/github-pages.yml should say `{}`: a release bumps both",
        pin.trim()
    );
}
