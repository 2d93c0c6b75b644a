//! Helpers shared by the integration tests.
#![allow(dead_code)]

#[cfg(feature = "serve")]
pub mod server;

use std::fs;
use std::path::{Path, PathBuf};

/// The repository root, which is also the seed site's root.
pub fn seed_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the seed site (config, content, templates, static) in a temporary folder.
pub fn seed_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for item in ["errdex.yaml", "content", "templates", "static"] {
        copy_tree(&seed_root().join(item), &dir.path().join(item));
    }
    dir
}

/// The seed site plus `tests/data/rich-entry.yaml` (code 422, every field
/// used), `tests/data/removed-entry.yaml` (410, removed) and the optional
/// config keys, so every part of the templates is rendered.
pub fn rich_site() -> tempfile::TempDir {
    let dir = seed_copy();
    copy_tree(
        &seed_root().join("tests/data/rich-entry.yaml"),
        &dir.path().join("content/errors/422.yaml"),
    );
    copy_tree(
        &seed_root().join("tests/data/removed-entry.yaml"),
        &dir.path().join("content/errors/410.yaml"),
    );
    let config = dir.path().join("errdex.yaml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("edit_url: https://github.com/example/docs/edit/main/{path}\n");
    text.push_str("feedback_url: https://github.com/example/docs/issues/new?title={code}%20{title}&body={url}\n");
    text.push_str("review_after_days: 365\n");
    fs::write(config, text).unwrap();
    dir
}

/// A new site root with the given files (path relative to the root, contents).
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

/// A config most test sites can use.
pub const CONFIG: &str = "title: Test site\nbase_url: https://example.com/errors\ncategories:\n  client: { title: Client errors }\n  server: { title: Server errors }\naudiences:\n  api-users: For API users\n";

/// Writes `text` to `root/path`, creating folders.
pub fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Copies a file or a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(from, to).unwrap();
        return;
    }
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        copy_tree(&entry.path(), &to.join(entry.file_name()));
    }
}

/// Every `.html` file under `root`, sorted.
pub fn html_pages(root: &Path) -> Vec<PathBuf> {
    let mut pages = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    pages
}

/// The size of `bytes` gzipped at the default level, as a server would send them.
pub fn gzipped_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

/// Every file under `root` as (relative path, bytes), sorted.
pub fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    collect(root, root, &mut files);
    files.sort();
    files
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, fs::read(&path).unwrap()));
        }
    }
}

pub use crate::browser::skip;

/// The `errdex` binary, for CLI tests.
pub fn errdex() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("errdex").unwrap()
}

/// The visible text of an HTML page, whitespace collapsed.
pub fn page_text(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("body").unwrap();
    let body = document.select(&selector).next().unwrap();
    body.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The seed page split into its sentences and list items, labels removed.
pub fn seed_items() -> Vec<String> {
    let seed = fs::read_to_string(seed_root().join("tests/data/error-codes-page.txt")).unwrap();
    // A line after a heading starts a new item.
    let mut text = String::new();
    let mut after_heading = true;
    for line in seed.lines() {
        if line.starts_with("Error Code ") || line == "Other Errors" {
            after_heading = true;
            continue;
        }
        text.push_str(if after_heading { "\n- " } else { "\n" });
        text.push_str(line);
        after_heading = false;
    }
    for label in [
        "Description:",
        "Solution:",
        "Possible Causes:",
        "Recommended Solutions:",
    ] {
        text = text.replace(label, "\n- ");
    }
    text = text
        .replace("For API Users:-", "\n- For API Users\n-")
        .replace(":- ", ":\n- ")
        .replace("; - ", ";\n- ")
        .replace("andproxy_timeout", "and proxy_timeout");
    text.split("\n- ")
        .map(|item| item.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|item| item.trim_end_matches([';', '.', ':']).trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}
