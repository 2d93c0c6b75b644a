//! Hostile and unusual input: every case gets a clear diagnostic, in bounded
//! time and memory, never a panic.

mod common;

use common::*;
use errdex::rules::Rule;

fn rules_of(root: &std::path::Path) -> Vec<(Rule, String)> {
    let checked = errdex::build::check(root).unwrap();
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
    let checked = errdex::build::check(site.path()).unwrap();
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
