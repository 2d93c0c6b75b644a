//! `errdex export`: the generated constants compile (or type-check) and
//! answer lookups, in every language whose toolchain is on the machine.
//! rustc always is; Python usually; `tsc` and `go` are skipped with a
//! message when missing.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// The rich test site plus an entry whose title needs escaping in every language.
fn export_site() -> tempfile::TempDir {
    let site = rich_site();
    write(
        site.path(),
        "content/errors/E_QUOTE.yaml",
        "code: E_QUOTE\ntitle: 'Quote \"this\" \\ back\\slash — naïve'\nsummary: \"Tabs\\tand */ comment ends.\"\ncategory: client\nretryable: true\nsolutions: [Escape it.]\n",
    );
    site
}

fn export(site: &Path, format: &str, file: &Path) {
    errdex()
        .args(["export", "--format", format, "--root"])
        .arg(site)
        .arg("--output")
        .arg(file)
        .assert()
        .success();
}

/// The command for a tool: on the PATH, or where `.ci/run` installs it.
fn tool(name: &str, test: &str) -> Option<String> {
    let installed = seed_root().join(format!("target/tools/ts/node_modules/.bin/{name}"));
    let candidates = [name.to_owned(), installed.display().to_string()];
    // `go` says its version with `go version`, the others with `--version`.
    let found = candidates.into_iter().find(|candidate| {
        ["--version", "version"].iter().any(|arg| {
            Command::new(candidate)
                .arg(arg)
                .output()
                .is_ok_and(|o| o.status.success())
        })
    });
    if found.is_none() {
        crate::common::skip(
            test,
            &format!("`{name}` is not installed (.ci/run installs it)"),
        );
    }
    found
}

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_rust_constants_compile_and_look_codes_up() {
    let Some(rustc) = tool("rustc", "the_rust_constants_compile_and_look_codes_up") else {
        return;
    };
    let site = export_site();
    let dir = tempfile::tempdir().unwrap();
    export(site.path(), "rust", &dir.path().join("errors.rs"));
    std::fs::write(
        dir.path().join("main.rs"),
        r#"#![deny(warnings)]
#[allow(dead_code)]
mod errors;
fn main() {
    let e = errors::lookup("429").unwrap();
    assert_eq!(e.title, "Too Many Requests");
    assert_eq!(e.retryable, Some(true));
    assert_eq!(e.http_status, Some(429));
    assert_eq!(e.url, "https://docs.example.com/api/errors/429/");
    assert_eq!(errors::lookup("504"), errors::lookup("503"));
    assert_eq!(
        errors::lookup("422").unwrap().messages[0],
        "Invalid value for '{param}': expected {expected}, got {got}."
    );
    assert!(errors::lookup("429").unwrap().messages.is_empty());
    let v = errors::lookup("value_out_of_range").unwrap();
    assert_eq!(v.messages, ["'{param}' must be between {min} and {max}."]);
    assert_eq!(v.url, "https://docs.example.com/api/errors/422/#value_out_of_range");
    assert_eq!(errors::lookup("410").unwrap().status, "removed");
    assert_eq!(errors::lookup("E_QUOTE").unwrap().title, "Quote \"this\" \\ back\\slash — naïve");
    assert_eq!(errors::TOO_MANY_REQUESTS.code, "429");
    assert!(errors::lookup("nope").is_none());
    println!("{}", errors::ALL.len());
}
"#,
    )
    .unwrap();
    let binary = dir.path().join("check");
    run(Command::new(rustc)
        .args(["--edition", "2021", "-o"])
        .arg(&binary)
        .arg(dir.path().join("main.rs")));
    // 9 entries and the two variants of 422, plus E_QUOTE.
    assert_eq!(run(&mut Command::new(&binary)).trim(), "12");
}

#[test]
fn the_python_constants_compile_and_look_codes_up() {
    let Some(python) = tool("python3", "the_python_constants_compile_and_look_codes_up") else {
        return;
    };
    let site = export_site();
    let dir = tempfile::tempdir().unwrap();
    export(site.path(), "python", &dir.path().join("errors.py"));
    run(Command::new(&python)
        .args(["-m", "py_compile"])
        .arg(dir.path().join("errors.py")));
    let out = run(Command::new(&python).current_dir(dir.path()).args([
        "-c",
        "import errors as e\n\
         assert e.lookup(429).title == 'Too Many Requests'\n\
         assert e.lookup('429').retryable is True\n\
         assert e.lookup('429').messages == ()\n\
         assert e.lookup('value_out_of_range').messages == (\"'{param}' must be between {min} and {max}.\",)\n\
         assert e.lookup(504) is e.lookup(503)\n\
         assert e.lookup('unsupported_parameter').url.endswith('/errors/422/#unsupported_parameter')\n\
         assert e.lookup('E_QUOTE').title == 'Quote \"this\" \\\\ back\\\\slash — naïve', e.lookup('E_QUOTE').title\n\
         assert e.lookup('nope') is None\n\
         print(len(e.ALL))",
    ]));
    assert_eq!(out.trim(), "12");
}

#[test]
fn the_typescript_constants_type_check() {
    let Some(tsc) = tool("tsc", "the_typescript_constants_type_check") else {
        return;
    };
    let site = export_site();
    let dir = tempfile::tempdir().unwrap();
    export(site.path(), "typescript", &dir.path().join("errors.ts"));
    run(Command::new(tsc)
        .args(["--noEmit", "--strict", "--target", "es2020"])
        .arg(dir.path().join("errors.ts")));
}

#[test]
fn the_go_constants_build() {
    let Some(go) = tool("go", "the_go_constants_build") else {
        return;
    };
    let site = export_site();
    let dir = tempfile::tempdir().unwrap();
    export(site.path(), "go", &dir.path().join("errors.go"));
    std::fs::write(
        dir.path().join("go.mod"),
        "module example.com/errcodes\n\ngo 1.20\n",
    )
    .unwrap();
    run(Command::new(go)
        .current_dir(dir.path())
        .env("GOFLAGS", "-mod=mod")
        .args(["vet", "./..."]));
}

#[test]
fn every_format_names_each_code_once_and_escapes_its_text() {
    let site = export_site();
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [
        ("rust", "TOO_MANY_REQUESTS"),
        ("typescript", "TOO_MANY_REQUESTS"),
        ("python", "TOO_MANY_REQUESTS"),
        ("go", "TooManyRequests"),
    ] {
        let file = dir.path().join(format);
        export(site.path(), format, &file);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(name), "{format}");
        assert!(text.contains("do not edit"), "{format}");
        // The summary's "*/" must not end the TypeScript doc comment early, nor
        // any text break out of its string.
        assert!(
            !text.contains("\"Tabs\tand"),
            "{format}: raw tab in a string"
        );
    }
    // Without a valid site there is nothing to export.
    let broken = export_site();
    write(broken.path(), "content/errors/bad.yaml", "code: [\n");
    errdex()
        .args(["export", "--format", "rust", "--root"])
        .arg(broken.path())
        .assert()
        .code(1);
}

#[test]
fn export_replaces_only_a_file_it_wrote() {
    use predicates::prelude::*;
    let site = export_site();
    std::fs::write(site.path().join("notes.rs"), "// my own code\n").unwrap();
    for target in ["notes.rs", "errdex.yaml"] {
        let before = std::fs::read(site.path().join(target)).unwrap();
        crate::common::errdex()
            .current_dir(site.path())
            .args(["export", "--format", "rust", "-o", target])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("errdex did not write it"));
        assert_eq!(std::fs::read(site.path().join(target)).unwrap(), before);
    }
    for args in [
        &["-o", "codes.rs"][..],
        &["-o", "codes.rs"],
        &["-o", "notes.rs", "--force"],
    ] {
        crate::common::errdex()
            .current_dir(site.path())
            .args(["export", "--format", "rust"])
            .args(args)
            .assert()
            .code(0);
    }
    let written = std::fs::read_to_string(site.path().join("notes.rs")).unwrap();
    assert!(written.contains("generated by errdex"));
}
