//! `errdex serve` end to end: a real process on a free port, real files
//! edited, broken and fixed, the event stream read as a browser reads it.
#![cfg(feature = "serve")]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::server::Server;
use crate::common::*;

fn next_event(events: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok((event, data)) if event == name => return data,
            Ok(_) => continue,
            Err(_) => break,
        }
    }
    panic!("no `{name}` event arrived");
}

#[test]
fn serve_rebuilds_reloads_shows_errors_and_stops_cleanly() {
    let site = seed_copy();
    let entry = site.path().join("content/errors/429.yaml");
    let original = std::fs::read_to_string(&entry).unwrap();
    let server = Server::start(site);

    let (status, kind, page) = server.get("errors/429/");
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"));
    assert!(page.contains("<h1>Too Many Requests</h1>"));
    assert!(
        page.contains("/__errdex/live.js"),
        "the live script is injected"
    );
    let (status, _, _) = server.get("__errdex/live.js");
    assert_eq!(status, 200);

    let events = server.events();
    assert_eq!(next_event(&events, "ok"), "{}");

    std::fs::write(&entry, original.replace("Too Many Requests", "Slow Down")).unwrap();
    next_event(&events, "reload");
    assert!(server.get("errors/429/").2.contains("<h1>Slow Down</h1>"));

    std::fs::write(
        &entry,
        original.replace("category: client", "category: clinet"),
    )
    .unwrap();
    let data = next_event(&events, "errors");
    let problems: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(problems[0]["rule"], "unknown-category");
    assert_eq!(problems[0]["file"], "content/errors/429.yaml");
    assert_eq!(problems[0]["line"], 5);
    assert!(
        server.get("errors/429/").2.contains("<h1>Slow Down</h1>"),
        "the last good site stays"
    );
    let late = server.events();
    assert_eq!(
        next_event(&late, "errors"),
        data,
        "a page opened now sees the problems too"
    );

    std::fs::write(&entry, &original).unwrap();
    next_event(&events, "reload");
    assert!(
        server
            .get("errors/429/")
            .2
            .contains("<h1>Too Many Requests</h1>")
    );

    std::fs::write(site_path(&server).join("content/errors/418.yaml"), "code: 418\ntitle: Teapot\nsummary: Short and stout.\ncategory: client\nsolutions: [Use a kettle.]\n").unwrap();
    next_event(&events, "reload");
    assert_eq!(server.get("errors/418/").0, 200);
    std::fs::remove_file(site_path(&server).join("content/errors/418.yaml")).unwrap();
    next_event(&events, "reload");
    assert_eq!(server.get("errors/418/").0, 404);

    server.stop();
}

fn site_path(server: &Server) -> std::path::PathBuf {
    server.root().to_path_buf()
}

#[test]
fn serve_is_a_correct_little_web_server() {
    let server = Server::start(seed_copy());
    for (path, kind) in [
        ("", "text/html"),
        ("errors/503/", "text/html"),
        ("style.css", "text/css"),
        ("search.js", "text/javascript"),
        ("search-index.js", "text/javascript"),
        ("errors.json", "application/json"),
        ("sitemap.xml", "text/xml"),
        ("robots.txt", "text/plain"),
        ("favicon.svg", "image/svg+xml"),
    ] {
        let (status, actual, _) = server.get(path);
        assert_eq!(status, 200, "{path}");
        assert!(actual.starts_with(kind), "{path}: {actual}");
    }
    let (status, _, body) = server.get("no/such/page");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"));
    // A folder without its slash redirects; a folder lists nothing.
    let raw = |request: &str| {
        let mut stream = TcpStream::connect(server.address()).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    };
    let host = server.address();
    let head = raw(&format!(
        "HEAD /errors/429/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    ));
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(!head.contains("<html"), "HEAD has no body");
    let categories = raw(&format!(
        "GET /categories/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    ));
    assert!(
        categories.starts_with("HTTP/1.1 404"),
        "no directory listing: {categories}"
    );
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/errors/..%2f..%2f..%2fetc/passwd",
        "/..%5c..%5cetc%5cpasswd",
    ] {
        let response = raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert!(
            response.starts_with("HTTP/1.1 404"),
            "{path}: {}",
            response.lines().next().unwrap_or("")
        );
        assert!(!response.contains("root:"), "{path} leaked a file");
    }
    server.stop();
}

#[test]
fn serve_answers_200_concurrent_clients() {
    let server = Server::start(seed_copy());
    let address = server.address();
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let address = address.clone();
            std::thread::spawn(move || {
                let path = ["/", "/errors/429/", "/style.css", "/search-index.js"][i % 4];
                let mut stream = TcpStream::connect(&address).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(30)))
                    .unwrap();
                write!(
                    stream,
                    "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
                let mut response = String::new();
                stream.read_to_string(&mut response).unwrap();
                response.starts_with("HTTP/1.1 200")
            })
        })
        .collect();
    let ok = clients
        .into_iter()
        .map(|c| c.join().unwrap())
        .filter(|ok| *ok)
        .count();
    assert_eq!(ok, 200);
    server.stop();
}

#[test]
fn a_busy_port_asked_for_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_errdex"))
        .args(["serve", "--port", &port, "--root"])
        .arg(seed_root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(stderr.contains("--port 0"), "{stderr}");
}

#[test]
fn the_live_script_is_never_in_build_output() {
    let out = tempfile::tempdir().unwrap();
    errdex::publish::build(&errdex::publish::BuildOptions::new(seed_root(), out.path())).unwrap();
    for (path, bytes) in snapshot(out.path()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__errdex"),
            "{path}"
        );
    }
}

/// Edits entry 429's title and waits until the served page shows it.
fn edit_shows(server: &Server, entry_root: &std::path::Path, title: &str) {
    let events = server.events();
    next_event(&events, "ok");
    let entry = entry_root.join("content/errors/429.yaml");
    let text = std::fs::read_to_string(&entry).unwrap();
    let old = text
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap()
        .to_owned();
    std::fs::write(
        &entry,
        text.replace(&format!("title: {old}"), &format!("title: {title}")),
    )
    .unwrap();
    next_event(&events, "reload");
    let page = server.get("errors/429/").2;
    assert!(page.contains(&format!("<h1>{title}</h1>")), "{page}");
}

#[test]
fn serve_follows_edits_whatever_relative_root_it_was_given() {
    // The default (`errdex serve` in the site root) is every other test's.
    let site = seed_copy();
    let server = Server::start_in(site, "", &["--root", "."]);
    let root = server.root().to_path_buf();
    edit_shows(&server, &root, "Slow Down");
    server.stop();

    let parent = tempfile::tempdir().unwrap();
    copy_tree(seed_copy().path(), &parent.path().join("sub/dir"));
    let server = Server::start_in(parent, "", &["--root", "sub/dir"]);
    let root = server.root().join("sub/dir");
    edit_shows(&server, &root, "Slow Down");
    server.stop();
}

#[test]
fn serve_keeps_watching_when_content_is_moved_away_and_back() {
    let server = Server::start(seed_copy());
    let root = server.root().to_path_buf();
    let events = server.events();
    next_event(&events, "ok");
    // As `git stash` or an editor's safe save can: the folder goes, then returns.
    std::fs::rename(root.join("content"), root.join("content.away")).unwrap();
    next_event(&events, "errors");
    std::fs::rename(root.join("content.away"), root.join("content")).unwrap();
    next_event(&events, "reload");
    edit_shows(&server, &root, "Slow Down");
    // Deleted and made again, with new files: the same.
    std::fs::rename(root.join("content"), root.join("content.old")).unwrap();
    next_event(&events, "errors");
    copy_tree(&root.join("content.old"), &root.join("content"));
    next_event(&events, "reload");
    edit_shows(&server, &root, "Easy Now");
    server.stop();
}

#[test]
fn serve_answers_only_requests_for_its_own_host() {
    let server = Server::start(seed_copy());
    let port = server.address().rsplit(':').next().unwrap().to_owned();
    let status_for = |host: &str, path: &str| {
        let mut stream = TcpStream::connect(server.address()).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response.lines().next().unwrap_or("").to_owned()
    };
    for path in ["/", "/errors/429/", "/errors.json", "/__errdex/events"] {
        let refused = status_for(&format!("rebind.example:{port}"), path);
        assert!(refused.starts_with("HTTP/1.1 403"), "{path}: {refused}");
    }
    for host in [format!("localhost:{port}"), server.address()] {
        let answered = status_for(&host, "/errors/429/");
        assert!(answered.starts_with("HTTP/1.1 200"), "{host}: {answered}");
    }
    server.stop();
}

#[test]
fn build_and_serve_publish_the_same_static_files() {
    let site = seed_copy();
    write(
        site.path(),
        "static/.well-known/security.txt",
        "Contact: mailto:security@example.com\n",
    );
    write(site.path(), "static/.DS_Store", "junk");
    let out = tempfile::tempdir().unwrap();
    errdex::publish::build(&errdex::publish::BuildOptions::new(site.path(), out.path())).unwrap();
    assert!(out.path().join(".well-known/security.txt").is_file());
    assert!(!out.path().join(".DS_Store").exists());
    let server = Server::start(site);
    let (status, _, body) = server.get(".well-known/security.txt");
    assert_eq!(status, 200);
    assert!(body.starts_with("Contact:"));
    assert_eq!(server.get(".DS_Store").0, 404);
    server.stop();
}
