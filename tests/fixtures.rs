//! UI tests in the style of rustc's: every folder under `tests/fixtures/` is a
//! small site root with mistakes, and `expected.txt` beside it is exactly what
//! `errdex check` prints for it. Run with `BLESS=1` to rewrite the expectations
//! after an intended change, then review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use errdex::diagnostics::rules::Rule;
use errdex::diagnostics::{Style, render_human};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// Copies a fixture to a temporary site root, adding the shared config when the
/// case has none of its own.
fn site_for(case: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(case, dir.path());
    let config = dir.path().join("errdex.yaml");
    if !config.exists() {
        fs::copy(fixtures_dir().join("default-errdex.yaml"), config).unwrap();
    }
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else if entry.file_name() != "expected.txt" {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The day fixtures are checked on, so `stale-entry` findings never change.
const FIXTURE_TODAY: &str = "2026-11-25";

fn check_output(case: &Path) -> String {
    let site = site_for(case);
    let mut options = errdex::publish::CheckOptions {
        today: errdex::content::date::parse(FIXTURE_TODAY).unwrap(),
        emitted: None,
    };
    // A `codes-from.*` file is what `check --codes-from` reads.
    for name in ["codes-from.yaml", "codes-from.json", "codes-from.txt"] {
        let path = site.path().join(name);
        if path.exists() {
            options.emitted = Some(errdex::check::coverage::read(&path, name).unwrap());
        }
    }
    let checked = errdex::publish::check_with(site.path(), &options).expect("the fixture loads");
    checked
        .diagnostics
        .iter()
        .map(|d| render_human(d, Style::PLAIN))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_fixture_reports_exactly_its_expected_diagnostics() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for case in cases() {
        let actual = check_output(&case);
        let expected_path = case.join("expected.txt");
        if bless {
            fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "== {}\n-- expected:\n{expected}\n-- actual:\n{actual}",
                case.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures differ (BLESS=1 rewrites them):\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_rule_is_exercised_by_a_fixture_or_a_named_test() {
    // These need files that cannot live in the repository (a 20 MB file, a
    // symlink loop, a link out of the site); tests/hostile.rs covers them.
    // `host-limit` needs an output of 20,000 files; src/publish/hosts.rs
    // tests it on the sizes a build reports.
    let covered_elsewhere = [
        Rule::FileTooLarge,
        Rule::UnreadablePath,
        Rule::LinkOutsideSite,
        Rule::HostLimit,
    ];
    let all_expected: String = cases()
        .iter()
        .map(|c| fs::read_to_string(c.join("expected.txt")).unwrap_or_default())
        .collect();
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .filter(|rule| !covered_elsewhere.contains(rule))
        .filter(|rule| !all_expected.contains(&format!("[{}]", rule.name())))
        .map(|rule| rule.name())
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

#[test]
fn fixtures_name_the_rule_they_are_about() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected = fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
        let rule = Rule::ALL.iter().find(|r| name.starts_with(r.name()));
        if let Some(rule) = rule {
            assert!(
                expected.contains(&format!("[{}]", rule.name())),
                "fixture {name} does not report {}",
                rule.name()
            );
        }
    }
}
