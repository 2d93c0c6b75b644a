//! Every internal link and asset of the built site resolves, checked by an
//! independent link checker (LinkChecker, from PyPI: `.ci/run` installs it),
//! with the site built under a sub-path, over file:// and over http.

use std::path::Path;
use std::process::Command;

use crate::common::*;

fn linkchecker_available(test: &str) -> bool {
    let found = Command::new("linkchecker")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        crate::common::skip(
            test,
            "needs LinkChecker (pip install linkchecker; .ci/run installs it)",
        );
    }
    found
}

/// LinkChecker drops root privileges to `nobody`, which must be able to read the site.
#[cfg(unix)]
fn readable_by_all(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(path) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[cfg(not(unix))]
fn readable_by_all(_: &Path) {}

fn check(urls: &[String]) {
    let output = Command::new("linkchecker")
        .args([
            "--no-status",
            "--no-warnings",
            "--no-robots",
            "--ignore-url",
            "^https?://(?!127\\.0\\.0\\.1)",
        ])
        .args(urls)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "broken links:\n{report}");
    assert!(report.contains(" 0 errors found"), "{report}");
}

fn build_under_sub_path() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let public = dir.path().join("docs/errors");
    let options = errdex::publish::BuildOptions {
        base_url: Some("https://example.com/docs/errors/".into()),
        ..errdex::publish::BuildOptions::new(seed_root(), &public)
    };
    errdex::publish::build(&options).unwrap();
    readable_by_all(dir.path());
    dir
}

#[test]
fn every_link_resolves_over_file_urls_under_a_sub_path() {
    if !linkchecker_available("every_link_resolves_over_file_urls_under_a_sub_path") {
        return;
    }
    let dir = build_under_sub_path();
    let index = url::Url::from_file_path(dir.path().join("docs/errors/index.html")).unwrap();
    check(&[index.to_string()]);
}

#[cfg(feature = "serve")]
#[test]
fn every_link_resolves_over_http_under_a_sub_path() {
    if !linkchecker_available("every_link_resolves_over_http_under_a_sub_path") {
        return;
    }
    let dir = build_under_sub_path();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let public = dir.path().join("docs/errors");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.spawn(async move {
        let files = tower_http::services::ServeDir::new(&public).not_found_service(
            tower_http::services::ServeFile::new(public.join("404.html")),
        );
        let app = axum::Router::new().nest_service("/docs/errors", files);
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        axum::serve(listener, app).await.unwrap();
    });
    let base = format!("http://{address}/docs/errors/");
    // The 404 page is linked from nowhere; check it (and its root-relative links) too.
    check(&[base.clone(), format!("{base}404.html")]);
}
