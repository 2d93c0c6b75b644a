//! Hostile and unusual input: every case gets a clear diagnostic, in bounded
//! time and memory, never a panic.

use crate::common::*;
use errdex::diagnostics::rules::Rule;

fn rules_of(root: &std::path::Path) -> Vec<(Rule, String)> {
    let checked = errdex::publish::check(root).unwrap();
    checked
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule,
                d.location
                    .as_ref()
                    .map(|l| l.file.clone())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_20_mb_file_is_refused_with_its_size() {
    let site = site(&[("errdex.yaml", CONFIG)]);
    let mut big =
        String::from("code: E1\ntitle: T\nsummary: S\ncategory: client\ndescription: |\n");
    while big.len() < 20 * 1024 * 1024 {
        big.push_str("  lorem ipsum dolor sit amet, consectetur adipiscing elit\n");
    }
    write(site.path(), "content/errors/big.yaml", &big);
    let checked = errdex::publish::check(site.path()).unwrap();
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.rule == Rule::FileTooLarge)
        .expect("file-too-large");
    assert!(d.message.contains("20.0 MiB"), "{}", d.message);
    assert_eq!(d.location.as_ref().unwrap().file, "content/errors/big.yaml");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_not_followed_forever() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        (
            "content/errors/sub/E1.yaml",
            "code: E1\ntitle: T\nsummary: S\ncategory: client\nsolutions: [x]\n",
        ),
    ]);
    std::os::unix::fs::symlink(
        site.path().join("content/errors"),
        site.path().join("content/errors/sub/loop"),
    )
    .unwrap();
    let rules = rules_of(site.path());
    assert!(
        rules
            .iter()
            .any(|(rule, file)| *rule == Rule::UnreadablePath && file == "content/errors/sub/loop"),
        "{rules:?}"
    );
}

fn only_rule_for(file_text: &str, file_name: &str) -> Vec<(Rule, String)> {
    let site = site(&[("errdex.yaml", CONFIG)]);
    write(
        site.path(),
        &format!("content/errors/{file_name}"),
        file_text,
    );
    rules_of(site.path())
}

#[test]
fn ten_thousand_levels_of_flow_nesting_are_refused_without_overflowing_the_stack() {
    let mut steps = String::from("x");
    for _ in 0..10_000 {
        steps = format!("{{text: a, steps: [{steps}]}}");
    }
    let entry = format!("code: E1\ntitle: T\nsummary: S\ncategory: client\nsolutions: [{steps}]\n");
    let rules = only_rule_for(&entry, "deep.yaml");
    assert_eq!(
        rules,
        [(Rule::LimitExceeded, "content/errors/deep.yaml".to_owned())]
    );
}

#[test]
fn ten_thousand_levels_of_block_nesting_are_refused_without_overflowing_the_stack() {
    let entry = format!(
        "code: E1\ntitle: T\nsummary: S\ncategory: client\ncauses:\n  {}x\n",
        "- ".repeat(10_000)
    );
    let rules = only_rule_for(&entry, "deep.yaml");
    assert_eq!(
        rules,
        [(Rule::LimitExceeded, "content/errors/deep.yaml".to_owned())]
    );
}

#[test]
fn nesting_that_fits_the_limit_builds() {
    let mut steps = String::from("{text: bottom}");
    for _ in 0..15 {
        steps = format!("{{text: a, steps: [{steps}]}}");
    }
    let entry = format!("code: E1\ntitle: T\nsummary: S\ncategory: client\nsolutions: [{steps}]\n");
    let site = site(&[("errdex.yaml", CONFIG), ("content/errors/E1.yaml", &entry)]);
    let out = site.path().join("public");
    let options = errdex::publish::BuildOptions::new(site.path(), &out);
    errdex::publish::build(&options).unwrap();
    let page = std::fs::read_to_string(out.join("errors/E1/index.html")).unwrap();
    assert_eq!(page.matches("<ul class=\"steps\">").count(), 16);
}

#[test]
fn a_byte_order_mark_and_crlf_line_endings_are_fine() {
    let entry = "\u{feff}code: E1\r\ntitle: T\r\nsummary: S\r\ncategory: nope\r\nsolutions:\r\n  - Wait.\r\n";
    let site = site(&[("errdex.yaml", CONFIG), ("content/errors/E1.yaml", entry)]);
    let checked = errdex::publish::check(site.path()).unwrap();
    assert_eq!(checked.diagnostics.len(), 1);
    let location = checked.diagnostics[0].location.as_deref().unwrap();
    assert_eq!((location.start.line, location.start.column), (4, 11));
    assert_eq!(location.line_text, "category: nope");
}

#[test]
fn file_names_with_spaces_and_non_ascii_characters_work() {
    let entry = "code: E1\ntitle: T\nsummary: S\ncategory: nope\nsolutions: [x]\n";
    let rules = only_rule_for(entry, "sub dir/Überlauf été.yaml");
    assert_eq!(
        rules,
        [(
            Rule::UnknownCategory,
            "content/errors/sub dir/Überlauf été.yaml".to_owned()
        )]
    );
}

#[test]
fn an_alias_bomb_stops_at_the_budget() {
    let mut yaml = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    yaml.push_str("code: E1\ntitle: T\nsummary: S\ncategory: client\n");
    let rules = only_rule_for(&yaml, "bomb.yaml");
    assert_eq!(
        rules,
        [(Rule::LimitExceeded, "content/errors/bomb.yaml".to_owned())]
    );
}

const ENTRY: &str = "code: E1\ntitle: T\nsummary: S\ncategory: client\nsolutions: [x]\n";

/// A secret outside the site, as CI has in its environment and /etc holds.
fn outside_secret() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "environ", "AWS_SECRET_ACCESS_KEY=hunter2\n");
    write(
        outside.path(),
        "ssl/private/server.key",
        "-----BEGIN PRIVATE KEY----- hunter2\n",
    );
    write(outside.path(), "entry.html", "hunter2 {{ entry.code }}");
    outside
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_refused_by_check_and_build_and_never_read() {
    use predicates::prelude::*;
    use std::os::unix::fs::symlink;
    let outside = outside_secret();
    let cases: [(&str, std::path::PathBuf); 5] = [
        ("errdex.yaml", outside.path().join("environ")),
        ("content/errors/x.yaml", outside.path().join("environ")),
        ("static/ssl", outside.path().join("ssl")),
        ("templates/entry.html", outside.path().join("entry.html")),
        ("content/errors/shared", outside.path().to_path_buf()),
    ];
    for (link, target) in cases {
        let site = site(&[("errdex.yaml", CONFIG), ("content/errors/E1.yaml", ENTRY)]);
        std::fs::create_dir_all(site.path().join(link).parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(site.path().join(link));
        symlink(&target, site.path().join(link)).unwrap();
        for command in ["check", "build"] {
            errdex()
                .current_dir(site.path())
                .arg(command)
                .env("NO_COLOR", "1")
                .assert()
                .code(1)
                .stderr(predicate::str::contains("error[link-outside-site]"))
                .stderr(predicate::str::contains(format!(
                    "{link} leads outside the site"
                )))
                .stderr(predicate::str::contains("hunter2").not());
        }
        assert!(
            !site.path().join("public").exists(),
            "{link}: nothing built"
        );
    }
    #[cfg(target_os = "linux")]
    {
        let site = site(&[("errdex.yaml", CONFIG), ("content/errors/E1.yaml", ENTRY)]);
        symlink(
            "/proc/self/environ",
            site.path().join("content/errors/env.yaml"),
        )
        .unwrap();
        errdex()
            .current_dir(site.path())
            .arg("check")
            .env("ERRDEX_TEST_SECRET", "hunter2")
            .assert()
            .code(1)
            .stderr(predicate::str::contains("hunter2").not());
    }
}

#[cfg(unix)]
#[test]
fn links_that_stay_inside_the_site_are_followed() {
    use std::os::unix::fs::symlink;
    let site = site(&[
        ("errdex.yaml", CONFIG),
        ("shared/E1.yaml", ENTRY),
        ("assets/logo.txt", "logo"),
        ("content/errors/.keep", ""),
    ]);
    symlink(
        site.path().join("shared/E1.yaml"),
        site.path().join("content/errors/E1.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    symlink(
        site.path().join("assets"),
        site.path().join("static/assets"),
    )
    .unwrap();
    let out = site.path().join("public");
    errdex::publish::build(&errdex::publish::BuildOptions::new(site.path(), &out)).unwrap();
    assert!(out.join("errors/E1/index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(out.join("assets/logo.txt")).unwrap(),
        "logo"
    );
}

#[test]
fn a_folder_named_like_an_entry_is_reported_not_skipped_silently() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        ("content/errors/E1.yaml/E2.yaml", &ENTRY.replace("E1", "E2")),
    ]);
    let rules = rules_of(site.path());
    assert_eq!(
        rules,
        [(Rule::NotAFile, "content/errors/E1.yaml".to_owned())],
        "its own files are still entries"
    );
}

#[test]
fn twelve_thousand_unknown_keys_on_one_line_print_fifty_and_a_count() {
    use predicates::prelude::*;
    let keys: Vec<String> = (0..12_000)
        .map(|i| format!("unknown_key_{i}: {i}"))
        .collect();
    let entry = format!(
        "{{code: A, title: T, summary: S, category: client, {}}}\n",
        keys.join(", ")
    );
    let site = site(&[("errdex.yaml", CONFIG), ("content/errors/a.yaml", &entry)]);
    let output = errdex()
        .current_dir(site.path())
        .arg("check")
        .env("NO_COLOR", "1")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "content/errors/a.yaml: error[unknown-key]: … and 11950 more `unknown-key` in this file",
        ))
        .stderr(predicate::str::contains("checked: 12000 errors"))
        .get_output()
        .clone();
    // Each snippet is a window of the 290 KB line, not the line.
    assert!(
        output.stderr.len() < 64 * 1024,
        "{} bytes",
        output.stderr.len()
    );
    let json = errdex()
        .current_dir(site.path())
        .args(["check", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(json).unwrap().lines().count(), 51);
}

#[test]
fn markdown_nested_fifty_thousand_deep_is_refused_before_it_is_parsed() {
    let entry = format!(
        "{ENTRY}description: \"intro\\n\\n{} x\"\n",
        ">".repeat(50_000)
    );
    let site = site(&[("errdex.yaml", CONFIG), ("content/errors/E1.yaml", &entry)]);
    let checked = errdex::publish::check(site.path()).unwrap();
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.rule == Rule::LimitExceeded)
        .unwrap_or_else(|| panic!("{:?}", checked.diagnostics));
    assert!(d.message.contains("nested 50000 deep"), "{}", d.message);
    let location = d.location.as_deref().unwrap();
    assert_eq!(
        (location.file.as_str(), location.start.line),
        ("content/errors/E1.yaml", 6)
    );
    let out = site.path().join("public");
    assert!(
        errdex::publish::build(&errdex::publish::BuildOptions::new(site.path(), &out)).is_err()
    );
}

#[test]
fn every_code_check_accepts_builds_and_the_others_get_a_rule() {
    let long = "E".repeat(250);
    let cases = [
        ("a.json", Some(Rule::CodePathCollision)),
        ("a.md", Some(Rule::CodePathCollision)),
        ("A.JSON", Some(Rule::CodePathCollision)),
        (long.as_str(), Some(Rule::InvalidCode)),
        ("a.txt", None),
        (&long[..200], None),
    ];
    for (code, rule) in cases {
        let other = ENTRY.replace("E1", code);
        let site = site(&[
            ("errdex.yaml", CONFIG),
            ("content/errors/a.yaml", &ENTRY.replace("E1", "a")),
            ("content/errors/other.yaml", &other),
        ]);
        let found: Vec<Rule> = rules_of(site.path()).into_iter().map(|(r, _)| r).collect();
        let out = site.path().join("public");
        let built = errdex::publish::build(&errdex::publish::BuildOptions::new(site.path(), &out));
        match rule {
            Some(rule) => {
                assert_eq!(found, [rule], "{code}");
                assert!(
                    matches!(built, Err(errdex::publish::BuildError::Content(_))),
                    "{code}"
                );
            }
            None => {
                assert!(found.is_empty(), "{code}: {found:?}");
                built.unwrap_or_else(|e| panic!("{code}: {e}"));
            }
        }
    }
}

#[test]
fn plain_text_reaches_markdown_exports_as_text_not_html() {
    let entry = "code: E1\ntitle: \"<script>alert(1)</script> & &amp; Co\"\nsummary: \"<img src=x onerror=alert(1)> a < b\"\ncategory: client\nsolutions: [x]\n";
    let config = format!("{CONFIG}outputs: {{ code: [html, markdown] }}\n");
    let site = site(&[("errdex.yaml", &config), ("content/errors/E1.yaml", entry)]);
    let out = site.path().join("public");
    errdex::publish::build(&errdex::publish::BuildOptions::new(site.path(), &out)).unwrap();
    for file in ["errors/E1.md", "llms.txt", "llms-full.txt"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(
            !text.contains("<script") && !text.contains("<img"),
            "{file}: {text}"
        );
        assert!(
            text.contains("&lt;script>alert(1)&lt;/script> & &amp;amp; Co"),
            "{file}: {text}"
        );
        assert!(
            text.contains("&lt;img src=x onerror=alert(1)> a < b"),
            "{file}: {text}"
        );
    }
}

#[test]
fn a_markdown_field_over_64_kib_is_refused_and_not_parsed() {
    let entry = format!("{ENTRY}description: \"{}\"\n", "[".repeat(3_000_000));
    let site = site(&[("errdex.yaml", CONFIG), ("content/errors/E1.yaml", &entry)]);
    let rules = rules_of(site.path());
    assert_eq!(
        rules,
        [(Rule::LimitExceeded, "content/errors/E1.yaml".to_owned())]
    );
}

#[test]
fn redirected_codes_are_checked_as_codes_are() {
    let cases = [
        ("\"..\": E1", Rule::InvalidCode),
        ("E1.json: E1", Rule::CodePathCollision),
        ("e1: E1", Rule::CodePathCollision),
        ("con: E1", Rule::InvalidCode),
    ];
    for (redirect, rule) in cases {
        let config = format!("{CONFIG}redirects:\n  {redirect}\n");
        let site = site(&[("errdex.yaml", &config), ("content/errors/E1.yaml", ENTRY)]);
        let found: Vec<Rule> = rules_of(site.path()).into_iter().map(|(r, _)| r).collect();
        assert_eq!(found, [rule], "{redirect}");
    }
}
