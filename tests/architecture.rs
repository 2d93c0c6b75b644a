//! The layout holds what `docs/architecture.md` says: no import cycle between
//! the files of `src/` (every `crate::` and `super::` path counts, in `use`
//! lines and inline, tests included), and no stage uses one that comes
//! after it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The stages, each a top-level module, in the order the data flows; a
/// module may use only those before it (and itself).
const STAGES: &[&str] = &[
    "bytes",
    "layout",
    "diagnostics",
    "content",
    "check",
    "site",
    "search",
    "render",
    "publish",
    "commands",
    "cli",
];

/// Every `.rs` file under `src/` but the binary, by module path (`a::b`).
fn modules() -> BTreeMap<String, PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for item in fs::read_dir(&dir).unwrap() {
            let path = item.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("main.rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap().with_extension("");
            let mut parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            found.insert(parts.join("::"), path);
        }
    }
    found
}

/// The module paths a file names: every `crate::…` path, with `{…}`
/// groups opened, and `super::…` resolved against `module` (inside an
/// inline `mod name { … }`, `super` is the file's own module).
fn references(text: &str, module: &str) -> Vec<String> {
    let mut out = Vec::new();
    // The indentation of each inline module the line is in.
    let mut inline: Vec<usize> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("//") {
            continue;
        }
        if inline
            .last()
            .is_some_and(|&at| indent == at && trimmed.starts_with('}'))
        {
            inline.pop();
            continue;
        }
        let declares = trimmed
            .trim_start_matches("pub ")
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ");
        if declares.starts_with("mod ") && trimmed.ends_with('{') {
            inline.push(indent);
        }
        let in_tests = !inline.is_empty();
        for (at, _) in line.match_indices("crate::") {
            if line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            expand("", &line[at + "crate::".len()..], &mut out);
        }
        for (at, _) in line.match_indices("super::") {
            if line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut base: Vec<&str> = module.split("::").filter(|p| !p.is_empty()).collect();
            let mut rest = &line[at..];
            let mut first = true;
            while let Some(after) = rest.strip_prefix("super::") {
                if !(first && in_tests) {
                    base.pop();
                }
                first = false;
                rest = after;
            }
            expand(&base.join("::"), rest, &mut out);
        }
    }
    out
}

/// Appends the paths written at the start of `text` under `prefix`.
fn expand(prefix: &str, text: &str, out: &mut Vec<String>) {
    let join = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_owned()
        } else if b.is_empty() {
            a.to_owned()
        } else {
            format!("{a}::{b}")
        }
    };
    let ident_end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    let path = text[..ident_end].trim_end_matches(':');
    let full = join(prefix, path);
    let rest = &text[ident_end..];
    if text[..ident_end].ends_with("::") && rest.starts_with('{') {
        let mut depth = 0;
        let mut start = 1;
        for (i, c) in rest.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        expand(&full, rest[start..i].trim(), out);
                        return;
                    }
                }
                ',' if depth == 1 => {
                    expand(&full, rest[start..i].trim(), out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        // A group that goes on over lines: take what this line has.
        for item in rest[1..].split(',') {
            expand(&full, item.trim(), out);
        }
        return;
    }
    out.push(full);
}

/// The module a path names: its longest prefix that is a file of `src/`.
fn owner<'a>(path: &str, modules: &'a BTreeMap<String, PathBuf>) -> Option<&'a str> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find_map(|candidate| modules.get_key_value(&candidate).map(|(k, _)| k.as_str()))
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let mut edges = BTreeMap::new();
    for (module, path) in &modules {
        let text = fs::read_to_string(path).unwrap();
        let targets: BTreeSet<String> = references(&text, module)
            .iter()
            .filter_map(|r| owner(r, &modules))
            .filter(|target| target != module && !target.is_empty())
            .map(str::to_owned)
            .collect();
        edges.insert(module.clone(), targets);
    }
    edges
}

/// Strongly connected components of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.found
}

#[test]
fn no_file_of_src_imports_one_that_imports_it_back() {
    let edges = graph();
    assert!(
        edges.len() > 40,
        "the walk found the files: {}",
        edges.len()
    );
    let found = cycles(&edges);
    assert!(
        found.is_empty(),
        "import cycles between files of src/: {found:#?}"
    );
}

#[test]
fn each_stage_uses_only_the_stages_before_it() {
    let rank = |module: &str| {
        let top = module.split("::").next().unwrap_or("");
        STAGES.iter().position(|s| *s == top)
    };
    let mut backwards = Vec::new();
    for (from, targets) in graph() {
        let Some(from_rank) = rank(&from) else {
            continue;
        };
        for to in targets {
            if rank(&to).is_some_and(|to_rank| to_rank > from_rank) {
                backwards.push(format!("{from} -> {to}"));
            }
        }
    }
    assert!(
        backwards.is_empty(),
        "stages used before they come: {backwards:#?}"
    );
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut edges = BTreeMap::new();
    edges.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    edges.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    edges.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    edges.insert("d".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(cycles(&edges), [["a", "b", "c"]]);
    let mut refs = references(
        "use crate::content::{config::{Config, KeyedList}, entry};\nuse super::x;\nmod tests {\n use super::*;\n}\n",
        "publish::output",
    );
    refs.sort();
    assert_eq!(
        refs,
        [
            "content::config::Config",
            "content::config::KeyedList",
            "content::entry",
            "publish::output",
            "publish::x"
        ]
    );
}
