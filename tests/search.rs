//! The search index as built: its shape, its weights, its sharding. How
//! queries rank is tested in a real browser (tests/browser.rs).

use std::fs;
use std::path::Path;

use crate::common::*;
use errdex::publish::{BuildOptions, build};
use serde_json::Value;

fn search_site() -> std::path::PathBuf {
    seed_root().join("tests/search-site")
}

/// The JSON passed to `errdexSearch.<call>(...)` in a script file.
fn call_json(path: &Path, call: &str) -> Value {
    let text = fs::read_to_string(path).unwrap();
    let prefix = format!("errdexSearch.{call}(");
    let inner = text
        .strip_prefix(&prefix)
        .and_then(|t| t.strip_suffix(");\n"))
        .expect("a call");
    serde_json::from_str(&format!("[{inner}]")).unwrap()
}

fn decode(text: &str) -> Vec<(u64, u64)> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (mut out, mut value, mut shift, mut doc) = (Vec::new(), 0u64, 0, 0u64);
    for c in text.chars() {
        let digit = ALPHABET.find(c).unwrap() as u64;
        value |= (digit & 31) << shift;
        shift += 5;
        if digit < 32 {
            doc += value >> 3;
            out.push((doc, value & 7));
            value = 0;
            shift = 0;
        }
    }
    out
}

fn built(shard_above: usize) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        search_shard_above: shard_above,
        ..BuildOptions::new(search_site(), out.path().join("public"))
    };
    build(&options).unwrap();
    out
}

#[test]
fn a_small_site_gets_one_index_file_with_documents_and_terms() {
    let out = built(500);
    let index = &call_json(&out.path().join("public/search-index.js"), "load")[0];
    assert_eq!(index["v"], 1);
    // 39 entries, then the two variants of E5001.
    assert_eq!(index["n"], 41);
    let docs = index["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 41);
    assert_eq!(
        docs[39],
        serde_json::json!([
            "E5001",
            "Model overloaded",
            "Every replica of the model is busy; the request was shed.",
            1,
            ["model_overloaded"],
            "model_overloaded"
        ])
    );
    let removed: Vec<&str> = index["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| docs[d.as_u64().unwrap() as usize][0].as_str().unwrap())
        .collect();
    assert_eq!(removed, ["E0999"]);
    let codes: Vec<&str> = docs.iter().map(|d| d[0].as_str().unwrap()).collect();
    let fallback = index["fallback"].as_u64().unwrap() as usize;
    assert_eq!(codes[fallback], "unknown");
    assert_eq!(
        index["fallback_steps"][0],
        "Read the message field of the response."
    );
    assert!(!out.path().join("public/search").exists());
}

#[test]
fn terms_carry_field_weights_title_above_summary_above_steps() {
    let out = built(500);
    let index = &call_json(&out.path().join("public/search-index.js"), "load")[0];
    let codes: Vec<&str> = index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d[0].as_str().unwrap())
        .collect();
    let doc = |code: &str| codes.iter().position(|c| *c == code).unwrap() as u64;
    let class_of = |term: &str, code: &str| {
        let postings = decode(
            index["terms"][term]
                .as_str()
                .unwrap_or_else(|| panic!("no term {term}")),
        );
        postings
            .iter()
            .find(|(d, _)| *d == doc(code))
            .map(|(_, class)| *class)
    };
    // "gateway" is in 504's title, "upstream" in its summary, "streaming" in a step.
    let title = class_of("gateway", "504").unwrap();
    let summary = class_of("upstream", "504").unwrap();
    let step = class_of("stream", "504").unwrap();
    assert!(
        title > summary && summary > step,
        "{title} {summary} {step}"
    );
    // Codes are terms, whole and in parts; stop words are not.
    assert!(class_of("rate_limit_exceeded", "rate_limit_exceeded").is_some());
    assert!(class_of("22p02", "22P02").is_some());
    assert!(index["terms"]["the"].is_null());
    // Stemmed: "timed" and "times" meet at "time".
    assert!(class_of("tim", "ETIMEDOUT").is_some() || class_of("time", "ETIMEDOUT").is_some());
}

#[test]
fn the_index_holds_terms_not_page_bodies() {
    let out = built(500);
    let text = fs::read_to_string(out.path().join("public/search-index.js")).unwrap();
    assert!(!text.contains("Verify with the raw body and the current signing secret"));
    assert!(
        text.len() < 30_000,
        "index of 37 entries is {} bytes",
        text.len()
    );
}

#[test]
fn a_large_site_gets_a_code_table_and_shards_loaded_on_demand() {
    let out = built(10);
    let public = out.path().join("public");
    let index = &call_json(&public.join("search-index.js"), "load")[0];
    assert!(index["docs"].is_null() && index["terms"].is_null());
    assert_eq!(index["codes"].as_array().unwrap().len(), 39);
    assert_eq!(index["aliases"]["capacity_exhausted"], 40);
    let shards: Vec<&str> = index["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(shards.contains(&"li"));
    let li = call_json(&public.join("search/t-6c69.js"), "shard");
    assert_eq!(li[0], "li");
    assert!(li[1]["limit"].is_string());
    let per_shard = index["docs_per_shard"].as_u64().unwrap() as usize;
    let doc_shards = 37usize.div_ceil(per_shard);
    for n in 0..doc_shards {
        let docs = call_json(&public.join(format!("search/d-{n}.js")), "docs");
        assert_eq!(docs[0], n);
    }
    assert!(!public.join(format!("search/d-{doc_shards}.js")).exists());
}

#[test]
fn sharded_and_single_file_indexes_hold_the_same_terms() {
    let single = built(500);
    let sharded = built(10);
    let index = &call_json(&single.path().join("public/search-index.js"), "load")[0];
    let mut from_shards = serde_json::Map::new();
    for entry in fs::read_dir(sharded.path().join("public/search")).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("t-")
        {
            let shard = call_json(&path, "shard");
            from_shards.extend(shard[1].as_object().unwrap().clone());
        }
    }
    assert_eq!(&Value::Object(from_shards), &index["terms"]);
}

#[test]
fn the_cached_index_builder_of_serve_writes_the_same_bytes() {
    for shard_above in [500, 10] {
        let site = errdex::publish::check(&search_site())
            .unwrap()
            .site
            .unwrap();
        let fresh = errdex::publish::search::build(&site, shard_above);
        let mut cache = errdex::publish::search::TermCache::default();
        assert_eq!(
            errdex::publish::search::build_cached(&site, shard_above, &mut cache),
            fresh
        );
        // Warm: every entry's terms come from the cache.
        assert_eq!(
            errdex::publish::search::build_cached(&site, shard_above, &mut cache),
            fresh
        );
    }
}
