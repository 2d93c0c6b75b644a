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

/// A term's every-document list: the value itself, or the first of
/// `[all, short]`.
fn all_list(postings: &Value) -> Option<&str> {
    postings
        .as_str()
        .or_else(|| postings.get(0).and_then(Value::as_str))
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
    assert_eq!(index["v"], errdex::search::INDEX_VERSION);
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
    // The results page is the only file under search/: no shards.
    let under_search: Vec<_> = fs::read_dir(out.path().join("public/search"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(under_search, ["index.html"]);
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
        let postings =
            decode(all_list(&index["terms"][term]).unwrap_or_else(|| panic!("no term {term}")));
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
    assert!(class_of("time", "ETIMEDOUT").is_some());
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
    assert!(all_list(&li[1]["limit"]).is_some());
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
fn an_index_from_kept_stats_has_the_same_bytes_as_one_from_scratch() {
    use errdex::search::{Index, store::Store};
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&search_site(), dir.path());
    let site_now = || errdex::publish::check(dir.path()).unwrap().site.unwrap();
    for shard_above in [500, 10] {
        let site = site_now();
        let fresh = Index::of(&site).files(shard_above);
        let mut store = Store::default();
        assert_eq!(store.index(&site).files(shard_above), fresh);
        // Warm, as `serve` keeps it, and read back, as `build` keeps it.
        assert_eq!(store.index(&site).files(shard_above), fresh);
        assert!(store.is_changed());
        let mut read = Store::from_bytes(&store.to_bytes()).expect("reads back");
        assert_eq!(read.index(&site).files(shard_above), fresh);
        assert!(!read.is_changed(), "nothing to keep again");
    }
    // One file changed, one with variants gone: the stats of the others
    // serve, and the index is the one made from scratch.
    let mut store = Store::default();
    store.index(&site_now());
    let errors = dir.path().join("content/errors");
    let edited = fs::read_to_string(errors.join("422.yaml"))
        .unwrap()
        .replace("fails validation", "breaks a schema rule");
    fs::write(errors.join("422.yaml"), edited).unwrap();
    fs::remove_file(errors.join("E5001.yaml")).unwrap();
    let site = site_now();
    let kept = store.to_bytes();
    let mut read = Store::from_bytes(&kept).unwrap();
    let fresh = Index::of(&site).files(10);
    assert_eq!(read.index(&site).files(10), fresh);
    assert!(read.is_changed());
    assert_eq!(store.index(&site).files(10), fresh);
    assert!(
        store.to_bytes().len() < kept.len(),
        "the removed file's stats went"
    );
    // Another vocabulary drops what was kept.
    let config = dir.path().join("errdex.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        format!("{text}\nsynonyms:\n  - [schema rule, zorblax]\n"),
    )
    .unwrap();
    let site = site_now();
    let mut read = Store::from_bytes(&store.to_bytes()).unwrap();
    let with_synonyms = read.index(&site).files(10);
    assert_eq!(with_synonyms, Index::of(&site).files(10));
    assert_ne!(with_synonyms, fresh);
}

#[test]
fn a_build_keeps_search_stats_beside_the_output_and_a_rebuild_uses_them() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&search_site(), dir.path());
    let search_files = || {
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir.path().join("public"))
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file() && e.path().to_string_lossy().contains("search"))
            .map(|e| (e.path().display().to_string(), fs::read(e.path()).unwrap()))
            .collect();
        files.sort();
        files
    };
    // As a user runs it: from the site root, no flags.
    let build = || {
        errdex()
            .current_dir(dir.path())
            .arg("build")
            .assert()
            .success();
    };
    build();
    let kept = dir.path().join(".public.errdex-search");
    let first = search_files();
    assert!(!first.is_empty());
    assert!(fs::metadata(&kept).unwrap().len() > 0);
    // Damaged stats are not trusted: the index is the same.
    fs::write(&kept, b"errdex search stats 1\n garbage").unwrap();
    build();
    assert_eq!(search_files(), first);
    build();
    assert_eq!(search_files(), first);
    // A rebuild takes its terms from the kept stats: a term renamed there
    // is in the index.
    let bytes = fs::read(&kept).unwrap();
    let mut renamed = bytes.clone();
    for at in 0..bytes.len().saturating_sub(6) {
        if &bytes[at..at + 6] == b"bigger" {
            renamed[at..at + 6].copy_from_slice(b"qqqqqq");
        }
    }
    assert_ne!(renamed, bytes, "the stats hold the term");
    fs::write(&kept, &renamed).unwrap();
    build();
    let has = |term: &str| {
        search_files()
            .iter()
            .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains(term))
    };
    assert!(has("\"qqqqqq") && !has("\"bigger"));
    fs::remove_file(&kept).unwrap();
    build();
    assert_eq!(search_files(), first);
    assert!(!dir.path().join("public/.public.errdex-search").exists());
}

/// `node`, or a skip (CI installs it).
fn node(test: &str) -> Option<String> {
    let found = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        Some("node".into())
    } else {
        crate::browser::skip(
            test,
            "needs node (apt-get install nodejs; .ci/run installs it)",
        );
        None
    }
}

/// Runs `script` (JavaScript, with `S` the loaded `errdexSearch` and
/// `input` the parsed JSON of `input`) under node and parses what it prints.
fn run_node(node: &str, script: &str, input: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let input_file = dir.path().join("input.json");
    fs::write(&input_file, input.to_string()).unwrap();
    let runner = dir.path().join("run.js");
    fs::write(
        &runner,
        format!(
            "global.window = global; global.document = {{ currentScript: null }};\n\
             require('vm').runInThisContext(require('fs').readFileSync({search:?}, 'utf8'));\n\
             const S = global.errdexSearch;\n\
             const input = JSON.parse(require('fs').readFileSync({input:?}, 'utf8'));\n\
             {script}\n",
            search = seed_root().join("static/search.js").display().to_string(),
            input = input_file.display().to_string(),
        ),
    )
    .unwrap();
    let output = std::process::Command::new(node)
        .arg(&runner)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Every word of the relevance catalogs and of the Snowball test
/// vocabulary, folded, letters only.
fn stem_words() -> Vec<String> {
    let mut words: std::collections::BTreeSet<String> =
        fs::read_to_string(seed_root().join("tests/data/stem-words.txt"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
    for catalog in fs::read_dir(seed_root().join("tests/relevance")).unwrap() {
        let errors = catalog.unwrap().path().join("content/errors");
        let Ok(files) = fs::read_dir(errors) else {
            continue;
        };
        for file in files {
            let text = fs::read_to_string(file.unwrap().path()).unwrap();
            for word in text.split(|c: char| !c.is_alphabetic()) {
                if !word.is_empty() {
                    words.insert(errdex::search::text::fold(word));
                }
            }
        }
    }
    words
        .into_iter()
        .filter(|w| w.chars().all(char::is_alphabetic))
        .collect()
}

#[test]
fn the_javascript_stemmer_stems_as_rust_stemmers_does() {
    let Some(node) = node("the_javascript_stemmer_stems_as_rust_stemmers_does") else {
        return;
    };
    let words = stem_words();
    assert!(words.len() >= 10_000, "{} words", words.len());
    let stems = run_node(
        &node,
        "process.stdout.write(JSON.stringify(input.map(S.stem)));",
        &serde_json::json!(words),
    );
    let stems: Vec<String> = serde_json::from_value(stems).unwrap();
    let differ: Vec<String> = words
        .iter()
        .zip(&stems)
        .filter(|(w, s)| errdex::search::text::stem(w) != **s)
        .map(|(w, s)| format!("{w}: rust {}, js {s}", errdex::search::text::stem(w)))
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {}:\n{}",
        differ.len(),
        words.len(),
        differ.join("\n")
    );
}

/// Queries for the agreement test: the relevance suite's, the search
/// site's, and odd ones.
fn agreement_queries() -> Vec<String> {
    let mut queries: Vec<String> = Vec::new();
    for catalog in ["http", "postgres", "rustc", "aws", "node"] {
        let text =
            fs::read_to_string(seed_root().join(format!("tests/relevance/{catalog}/queries.json")))
                .unwrap();
        let list: Vec<Value> = serde_json::from_str(&text).unwrap();
        queries.extend(list.iter().map(|q| q["q"].as_str().unwrap().to_owned()));
    }
    let text = fs::read_to_string(search_site().join("queries.json")).unwrap();
    let list: Vec<(String, String)> = serde_json::from_str(&text).unwrap();
    queries.extend(list.into_iter().map(|(q, _)| q));
    queries.extend(
        [
            "",
            " ",
            "a",
            "E0",
            "4",
            "40",
            "rate lim",
            "rate limit ",
            "naïve café",
            "ÉRREUR",
            "straße",
            "😀 error",
            "don't can't",
            "x.y.z",
            "--",
            "e0308 e0308 e0308",
            "GET /v1/files?id=42&x=1 HTTP/1.1 404",
            "123e4567-e89b-12d3-a456-426614174000",
            // Names of Object's members, which a plain JavaScript object
            // would find as terms.
            "TypeError: x is not a constructor",
            "__proto__ hasOwnProperty toString valueOf",
            "constructor",
            // Typos that keep the stemmer from taking the ending off, and
            // a stem that lost its final e.
            "Duplcate tale",
            "Organizzation Not Found Exception",
            "Divsiion by zero",
            "Rase exception",
            // Codes typed without their separators.
            "dynamodbresourcenotfoundexception",
            "cognitoidp",
        ]
        .map(str::to_owned),
    );
    queries
}

#[test]
fn the_javascript_engine_answers_as_errdex_search_does() {
    let Some(node) = node("the_javascript_engine_answers_as_errdex_search_does") else {
        return;
    };
    let queries = agreement_queries();
    // (site, shard above, split above): sharded and not, with shards split
    // into files by their third character and not.
    let split = errdex::search::files::SPLIT_ABOVE;
    let sites = [
        (seed_root().join("tests/relevance/http"), 500, split),
        (seed_root().join("tests/relevance/http"), 0, split),
        (seed_root().join("tests/relevance/postgres"), 500, split),
        (seed_root().join("tests/relevance/rustc"), 500, split),
        (seed_root().join("tests/relevance/rustc"), 0, 2_000),
        (seed_root().join("tests/relevance/aws"), 500, split),
        (seed_root().join("tests/relevance/node"), 0, 4_000),
        (search_site(), 10, split),
    ];
    for (root, shard_above, split_above) in sites {
        let site = errdex::publish::check(&root).unwrap().site.unwrap();
        let index = errdex::search::Index::of(&site);
        let public = tempfile::tempdir().unwrap();
        let files = index.files_split(shard_above, split_above);
        if split_above < split {
            // A split shard's file is named by a key of three characters.
            let split_file = |path: &str| {
                let Some(hex) = path
                    .strip_prefix("search/t-")
                    .and_then(|p| p.strip_suffix(".js"))
                else {
                    return false;
                };
                let bytes: Vec<u8> = (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                    .collect();
                String::from_utf8(bytes).unwrap().chars().count() == 3
            };
            assert!(
                files.iter().any(|(path, _)| split_file(path)),
                "no shard was split"
            );
        }
        for (path, bytes) in files {
            let file = public.path().join(path);
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(file, bytes).unwrap();
        }
        let engine = errdex::search::engine::Engine::new(&index);
        let rust: Vec<Value> = queries
            .iter()
            .map(|q| {
                let answer = engine.search(q, 0, 10, None, None);
                serde_json::json!({
                    "total": answer.total,
                    "hits": answer.hits.iter().map(|h| serde_json::json!([h.doc, h.tier, h.score])).collect::<Vec<_>>(),
                })
            })
            .collect();
        let js = run_node(
            &node,
            &format!(
                "S.loader = (src) => require('vm').runInThisContext(require('fs').readFileSync(require('path').join({dir:?}, src), 'utf8'));\n\
                 (async () => {{ const out = []; for (const q of input) {{ const a = await S.search(q, {{ limit: 10 }}); out.push({{ total: a.total, hits: a.results.map(r => [r.doc, r.tier, r.score]) }}); }} process.stdout.write(JSON.stringify(out)); }})();",
                dir = public.path().display().to_string()
            ),
            &serde_json::json!(queries),
        );
        let js = js.as_array().unwrap();
        let differ: Vec<String> = queries
            .iter()
            .zip(rust.iter().zip(js))
            .filter(|(_, (r, j))| {
                r["total"] != j["total"]
                    || r["hits"].as_array().unwrap().len() != j["hits"].as_array().unwrap().len()
                    || r["hits"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .zip(j["hits"].as_array().unwrap())
                        .any(|(a, b)| {
                            a[0] != b[0] || a[1] != b[1] || a[2].as_f64() != b[2].as_f64()
                        })
            })
            .map(|(q, (r, j))| format!("{q:?}\n  rust {r}\n  js   {j}"))
            .collect();
        assert!(
            differ.is_empty(),
            "{} (shard_above {shard_above}): {} of {} queries differ:\n{}",
            root.display(),
            differ.len(),
            queries.len(),
            differ.join("\n")
        );
    }
}

/// A site whose entries say what the API prints.
fn site_with_messages() -> tempfile::TempDir {
    let model = "code: model_not_available\ntitle: Model not available\nsummary: The account cannot use this model.\ncategory: client\nmessages:\n  - 'model \"{model}\" is not available for your account'\nsolutions: [Pick a model your plan includes.]\n";
    let quota = "code: QuotaExceeded\ntitle: Quota exceeded\nsummary: The monthly quota is spent.\ncategory: client\nsolutions: [Wait for the next month.]\n";
    let busy = "code: E5001\ntitle: Model overloaded\nsummary: Every replica of the model is busy.\ncategory: server\nsolutions: [Retry later.]\n";
    site(&[
        ("errdex.yaml", CONFIG),
        ("content/errors/model_not_available.yaml", model),
        ("content/errors/QuotaExceeded.yaml", quota),
        ("content/errors/E5001.yaml", busy),
    ])
}

#[test]
fn errdex_search_from_the_site_root_finds_a_pasted_message() {
    let site = site_with_messages();
    let pasted = "2026-12-07T09:12:44Z ERROR: model \"llama-3-70b\" is not available for your account (request id 9f86d081884c7d65)";
    let output = errdex()
        .args(["search", pasted, "--format", "json"])
        .current_dir(site.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(results["results"][0]["code"], "model_not_available");
    assert_eq!(
        results["results"][0]["url"],
        "https://example.com/errors/errors/model_not_available/"
    );
    // Words of one query may come as several arguments; identifiers split.
    errdex()
        .args(["search", "quota", "exceeded"])
        .current_dir(site.path())
        .assert()
        .code(0)
        .stdout(predicates::str::starts_with(
            "QuotaExceeded  Quota exceeded\n",
        ));
    errdex()
        .args(["search", "xyzzy plugh"])
        .current_dir(site.path())
        .assert()
        .code(1)
        .stdout("no entry matches\n");
}

#[test]
fn errdex_explain_searches_what_is_not_a_code() {
    let site = site_with_messages();
    errdex()
        .args(["explain", "model \"gpt-x\" is not available for your account"])
        .current_dir(site.path())
        .assert()
        .code(0)
        .stdout(predicates::str::starts_with(
            "model_not_available Model not available\n",
        ))
        .stderr(predicates::str::contains(
            "no entry has the code `model \"gpt-x\" is not available for your account`; below is the best search match",
        ));
}
