//! Incremental rebuild benchmark, what `errdex serve` does after a save:
//! a 1,000-entry site is built once, then one entry is edited and rebuilt,
//! over and over; prints the median and worst time per kind of edit.
//!
//! ```sh
//! cargo bench --bench incremental            # 1,000 entries
//! SIZE=10000 cargo bench --bench incremental
//! ```
//!
//! The time a reader waits is this plus the watcher's 25 ms debounce and the
//! page's reload.

use std::collections::BTreeSet;
use std::fs;
use std::time::Duration;

use errdex::commands::serve::incremental::{Changes, Incremental};

/// A kind of edit: what it changes, and the file's text after edit number `i`.
type Edit<'a> = (&'static str, Box<dyn Fn(usize) -> String + 'a>);

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    let size: usize = std::env::var("SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let runs = 25;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    errdex::testing::corpus::write_site(size, &root, errdex::testing::corpus::SEED).unwrap();
    let output = dir.path().join("out");
    let mut site = Incremental::new(&root, &output, Some("http://127.0.0.1:8090/".into()));
    let first = site.full().map_err(|_| "the corpus builds").unwrap();
    println!(
        "{size} entries: full build {:.0?}, {} pages",
        first.took, first.pages_rendered
    );
    let mut files: Vec<_> = fs::read_dir(root.join("content/errors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let file = files[files.len() / 2].clone();
    let original = fs::read_to_string(&file).unwrap();
    let edits: [Edit<'_>; 3] = [
        (
            "a cause (only its page)",
            Box::new(|i| {
                original.replacen("causes:\n", &format!("causes:\n  - \"Edit {i}.\"\n"), 1)
            }),
        ),
        (
            "the summary (its page and the lists)",
            Box::new(|i| original.replacen("summary: \"", &format!("summary: \"Edit {i}. "), 1)),
        ),
        (
            "the title (and every page linking to it)",
            Box::new(|i| original.replacen("title: \"", &format!("title: \"Edit {i} "), 1)),
        ),
    ];
    println!("| edit | median | worst | pages rendered | files written |");
    println!("|---|---:|---:|---:|---:|");
    for (what, edit) in &edits {
        let mut times = Vec::new();
        let mut rendered = 0;
        let mut written = 0;
        for i in 0..runs {
            fs::write(&file, edit(i)).unwrap();
            let changes = Changes {
                entries: BTreeSet::from([file.clone()]),
                ..Changes::default()
            };
            let rebuilt = site
                .update(&changes)
                .map_err(|_| "the edit is valid")
                .unwrap();
            times.push(rebuilt.took);
            rendered = rebuilt.pages_rendered;
            written = rebuilt.files_written;
        }
        let worst = *times.iter().max().unwrap();
        println!(
            "| {what} | {:.1?} | {:.1?} | {rendered} | {written} |",
            median(times),
            worst
        );
    }
    fs::write(&file, &original).unwrap();
}
