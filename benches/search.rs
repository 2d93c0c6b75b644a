//! Search benchmark: index bytes (raw and gzip), bytes a reader downloads
//! before the first result, index build time, and query time in Chromium,
//! for generated catalogs of 100 to 100,000 entries.
//!
//! ```sh
//! cargo bench --bench search                 # 100, 1000, 10000, 100000
//! SIZES="1000 10000" cargo bench --bench search
//! ```
//!
//! Needs chromium and chromedriver for the browser columns (skipped otherwise).

#[path = "../tests/browser/mod.rs"]
mod browser;

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

/// Raw and gzip bytes of every search file (the index and its shards).
fn index_sizes(public: &Path) -> (usize, usize, usize) {
    let mut files = vec![public.join("search-index.js")];
    if let Ok(dir) = std::fs::read_dir(public.join("search")) {
        files.extend(
            dir.map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "js")),
        );
    }
    let (mut raw, mut gz) = (0, 0);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        raw += bytes.len();
        gz += gzip_len(&bytes);
    }
    (files.len(), raw, gz)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    xs[xs.len() / 2]
}

/// Queries a reader might type: an exact code, a code prefix, symptoms, a
/// typo, pasted messages.
fn queries(site: &errdex::site::Site) -> Vec<String> {
    let some_code = site.entries[site.entries.len() / 2].code.clone();
    let prefix: String = some_code.chars().take(3).collect();
    let title_word = site.entries[site.entries.len() / 3]
        .title()
        .split_whitespace()
        .last()
        .unwrap_or("key")
        .to_owned();
    vec![
        some_code.clone(),
        prefix,
        "429".into(),
        "rate limit".into(),
        "api key expired".into(),
        "quota exhausted".into(),
        "timeout".into(),
        "gatway timout".into(),
        title_word,
        format!(
            "2026-12-07T10:00:00Z ERROR request 7f3a9c2e failed: error[{some_code}]: HTTP/1.1 429"
        ),
        "{\"error\": {\"code\": 503, \"message\": \"Service Unavailable\"}}".into(),
    ]
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::var("SIZES")
        .unwrap_or_else(|_| "100 1000 10000 100000".into())
        .split_whitespace()
        .map(|s| s.parse().unwrap())
        .collect();
    let browser = browser::Browser::start("search benchmark").await;
    let mut rows = Vec::new();
    for n in sizes {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        errdex::testing::corpus::write_site(n, &root, errdex::testing::corpus::SEED).unwrap();
        let checked = errdex::publish::check(&root).unwrap();
        let site = checked.site.expect("the corpus is valid");
        let started = Instant::now();
        let files = errdex::search::Index::of(&site).files(errdex::search::SHARD_ABOVE);
        let build_ms = started.elapsed().as_secs_f64() * 1000.0;
        drop(files);
        let public = dir.path().join("public");
        errdex::publish::build(&errdex::publish::BuildOptions::new(&root, &public)).unwrap();
        let (count, raw, gz) = index_sizes(&public);
        let search_js = gzip_len(&std::fs::read(public.join("search.js")).unwrap());
        let mut row = json!({
            "entries": n, "index_files": count, "index_raw": raw, "index_gzip": gz,
            "search_js_gzip": search_js, "build_ms": build_ms,
        });
        if let Some(browser) = &browser {
            let url = browser::file_url(&public.join("index.html"));
            let mut first_bytes = Vec::new();
            let mut times = Vec::new();
            for query in queries(&site) {
                browser.open(&url).await;
                // What a reader downloads before the first result: search.js
                // and the index files the query needed.
                let loaded = browser
                    .eval_async(
                        "return errdexSearch.search(args[0], 10).then(() => errdexSearch.loaded());",
                        vec![json!(query)],
                    )
                    .await;
                let bytes: usize = search_js
                    + loaded
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|path| gzip_len(&std::fs::read(public.join(path)).unwrap()))
                        .sum::<usize>();
                first_bytes.push(bytes as f64);
                let ms = browser
                    .eval_async(
                        "const t = []; let p = Promise.resolve();\
                         for (let i = 0; i < 25; i++) p = p.then(() => { const s = performance.now();\
                           return errdexSearch.search(args[0], 10).then(() => t.push(performance.now() - s)); });\
                         return p.then(() => { t.sort((a, b) => a - b); return t[12]; });",
                        vec![json!(query)],
                    )
                    .await;
                times.push(ms.as_f64().unwrap_or(f64::NAN));
            }
            row["first_result_gzip_median"] = json!(median(first_bytes.clone()));
            row["first_result_gzip_max"] = json!(first_bytes.iter().cloned().fold(0.0, f64::max));
            row["query_ms_median"] = json!(median(times.clone()));
            row["query_ms_max"] = json!(times.iter().cloned().fold(0.0, f64::max));
        }
        eprintln!("{row}");
        rows.push(row);
    }
    if let Some(browser) = browser {
        browser.close().await;
    }
    println!(
        "| entries | index files | index raw | index gzip | before first result, gzip (median / max) | query median / max (ms) | index build (ms) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let kb = |v: &Value| {
            v.as_f64()
                .map_or("–".into(), |b| format!("{:.1} KB", b / 1000.0))
        };
        let ms = |v: &Value| v.as_f64().map_or("–".into(), |m| format!("{m:.2}"));
        println!(
            "| {} | {} | {} | {} | {} / {} | {} / {} | {:.0} |",
            r["entries"],
            r["index_files"],
            kb(&r["index_raw"]),
            kb(&r["index_gzip"]),
            kb(&r["first_result_gzip_median"]),
            kb(&r["first_result_gzip_max"]),
            ms(&r["query_ms_median"]),
            ms(&r["query_ms_max"]),
            r["build_ms"].as_f64().unwrap_or(0.0)
        );
    }
}
