//! The command line as users and CI see it: exit codes, output formats, messages.

use std::fs;

use crate::common::*;
use predicates::prelude::*;

const GOOD_ENTRY: &str = "code: E1\ntitle: T\nsummary: S\ncategory: client\nsolutions: [Wait.]\n";

#[test]
fn check_passes_on_the_seed_site() {
    errdex()
        .args(["check", "--root"])
        .arg(seed_root())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("checked 7 entries: no problems"));
}

#[test]
fn check_exits_1_and_reports_every_file_on_content_errors() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        (
            "content/errors/a.yaml",
            "code: A\ntitle: T\nsummary: S\ncategory: nope\nsolutions: [x]\n",
        ),
        (
            "content/errors/b.yaml",
            "code: B\ntitel: T\nsummary: S\ncategory: client\nsolutions: [x]\n",
        ),
    ]);
    errdex()
        .args(["check", "--root"])
        .arg(site.path())
        .env("NO_COLOR", "1")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "content/errors/a.yaml:4:11: error[unknown-category]: unknown category `nope`",
        ))
        .stderr(predicate::str::contains(
            "content/errors/b.yaml:2:1: error[unknown-key]: unknown key `titel`",
        ))
        .stderr(predicate::str::contains("2 errors"));
}

#[test]
fn a_folder_without_config_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    errdex()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no errdex.yaml in"));
}

#[test]
fn unknown_flags_are_usage_errors() {
    errdex().args(["build", "--frobnicate"]).assert().code(2);
}

#[test]
fn warnings_fail_only_under_strict() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        (
            "content/errors/a.yaml",
            "code: A\ntitle: T\nsummary: S\ncategory: client\n",
        ),
    ]);
    errdex()
        .args(["check", "--root"])
        .arg(site.path())
        .assert()
        .code(0);
    errdex()
        .args(["check", "--strict", "--root"])
        .arg(site.path())
        .assert()
        .code(1);
    let out = site.path().join("public");
    errdex()
        .args(["build", "--strict", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .assert()
        .code(1);
    assert!(!out.exists());
}

#[test]
fn json_format_prints_one_object_per_diagnostic_on_stdout() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        (
            "content/errors/a.yaml",
            "code: A\ntitle: T\nsummary: S\ncategory: nope\n",
        ),
    ]);
    let output = errdex()
        .args(["check", "--format", "json", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["rule"], "missing-solutions");
    assert_eq!(lines[0]["severity"], "warning");
    assert_eq!(lines[1]["rule"], "unknown-category");
    assert_eq!(lines[1]["file"], "content/errors/a.yaml");
    assert_eq!(lines[1]["line"], 4);
    assert_eq!(lines[1]["column"], 11);
    assert_eq!(
        lines[1]["end"],
        serde_json::json!({"line": 4, "column": 15})
    );
}

#[test]
fn github_format_annotates_files_relative_to_the_repository() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        (
            "content/errors/a.yaml",
            "code: A\ntitle: T\nsummary: S\ncategory: nope\nsolutions: [x]\n",
        ),
    ]);
    errdex()
        .current_dir(site.path().parent().unwrap())
        .args(["check", "--format", "github", "--root"])
        .arg(site.path().file_name().unwrap())
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(format!(
            "::error file={}/content/errors/a.yaml,line=4,col=11,",
            site.path().file_name().unwrap().to_string_lossy()
        )));
}

#[test]
fn build_writes_the_site_and_says_where() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        ("content/errors/E1.yaml", GOOD_ENTRY),
    ]);
    errdex()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("built 1 entry"));
    assert!(site.path().join("public/errors/E1/index.html").is_file());
}

#[test]
fn a_failed_build_says_the_old_site_was_kept() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        ("content/errors/E1.yaml", "code: E1\n"),
    ]);
    errdex()
        .args(["build", "--root"])
        .arg(site.path())
        .env("NO_COLOR", "1")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("was left untouched"));
}

#[test]
fn base_url_can_be_overridden_for_a_build() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        ("content/errors/E1.yaml", GOOD_ENTRY),
    ]);
    errdex()
        .args([
            "build",
            "--base-url",
            "https://example.com/docs/errors/",
            "--root",
        ])
        .arg(site.path())
        .assert()
        .code(0);
    let page = std::fs::read_to_string(site.path().join("public/errors/E1/index.html")).unwrap();
    assert!(
        page.contains(
            r#"<link rel="canonical" href="https://example.com/docs/errors/errors/E1/">"#
        )
    );
    errdex()
        .args(["build", "--base-url", "not a url", "--root"])
        .arg(site.path())
        .assert()
        .code(1);
}

#[test]
fn colour_is_off_when_output_is_not_a_terminal() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        (
            "content/errors/a.yaml",
            "code: A\ntitle: T\nsummary: S\ncategory: nope\n",
        ),
    ]);
    let output = errdex()
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8(output.stderr).unwrap().contains('\x1b'));
}

#[test]
fn build_refuses_an_output_folder_it_did_not_build_and_force_keeps_its_files() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        ("content/errors/E1.yaml", GOOD_ENTRY),
        ("docs/notes.md", "my notes"),
        (".git/HEAD", "ref: refs/heads/main\n"),
    ]);
    let before = snapshot(site.path());
    // A mistyped flag, from the site root, twice: nothing moves.
    for output in ["docs", ".git", "docs", ".git"] {
        errdex()
            .current_dir(site.path())
            .args(["build", "--output", output])
            .env("NO_COLOR", "1")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "refusing to replace {output}"
            )))
            .stderr(predicate::str::contains("--force"));
    }
    assert_eq!(snapshot(site.path()), before);
    // Forced, then as usual: errdex's files arrive, the notes stay and are listed.
    for args in [
        &["build", "--output", "docs", "--force"][..],
        &["build", "--output", "docs"],
    ] {
        errdex()
            .current_dir(site.path())
            .args(args)
            .env("NO_COLOR", "1")
            .assert()
            .code(0)
            .stderr(predicate::str::contains(
                "docs holds 1 file errdex did not write",
            ))
            .stderr(predicate::str::contains("docs/notes.md"));
        assert_eq!(
            fs::read_to_string(site.path().join("docs/notes.md")).unwrap(),
            "my notes"
        );
        assert!(site.path().join("docs/errors/E1/index.html").is_file());
    }
    assert_eq!(
        fs::read_to_string(site.path().join(".git/HEAD")).unwrap(),
        "ref: refs/heads/main\n"
    );
}

#[cfg(unix)]
#[test]
fn build_refuses_a_symlinked_output_and_touches_nothing_it_points_at() {
    let www = tempfile::tempdir().unwrap();
    fs::write(www.path().join("other-site.html"), "theirs").unwrap();
    let site = site(&[
        ("errdex.yaml", CONFIG),
        ("content/errors/E1.yaml", GOOD_ENTRY),
    ]);
    std::os::unix::fs::symlink(www.path(), site.path().join("public")).unwrap();
    for _ in 0..2 {
        for (output, force) in [("public", false), ("public/", true), ("./public/.", true)] {
            let mut command = errdex();
            command
                .current_dir(site.path())
                .args(["build", "--output", output]);
            if force {
                command.arg("--force");
            }
            command
                .env("NO_COLOR", "1")
                .assert()
                .code(2)
                .stderr(predicate::str::contains("public: it is a symbolic link"));
        }
    }
    assert_eq!(
        snapshot(www.path()),
        [("other-site.html".to_owned(), b"theirs".to_vec())]
    );
    assert!(
        fs::symlink_metadata(site.path().join("public"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
