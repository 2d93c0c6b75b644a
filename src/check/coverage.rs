//! `errdex check --codes-from FILE`: the catalog against the codes an API
//! really emits, like the Rust compiler's tidy check of its error index.
//!
//! FILE is an OpenAPI 3 document (JSON or YAML: every 4xx/5xx response
//! status, and every `enum` of a schema property named `code` or `type`), or
//! a plain list with one code per line (`#` starts a comment).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::check::Loaded;
use crate::content::node::Node;
use crate::content::yaml;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::rules::Rule;
use crate::diagnostics::source::SourceFile;
use crate::diagnostics::span::{Span, Spanned};

/// The codes a file says the API emits, each with where it says so.
#[derive(Debug, Clone)]
pub struct Emitted {
    /// The file, for pointing at its lines.
    pub file: SourceFile,
    /// Every code, in file order, first mention only.
    pub codes: Vec<Spanned<String>>,
    /// Whether the file lists error `type`/`code` values, not only statuses:
    /// only then are variant types expected in it.
    pub has_identifiers: bool,
}

/// Why a codes file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is too large, not text, or looks like an OpenAPI document
    /// but is not valid YAML or JSON.
    #[error("{}", .0.message)]
    Parse(Box<Diagnostic>),
}

const OPERATIONS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Largest codes file read. The OpenAPI documents of the largest public
/// APIs are a few tens of megabytes; parsing one holds its tree of nodes
/// in memory, several times its size.
pub const MAX_CODES_BYTES: u64 = 16 * 1024 * 1024;

/// Most codes one codes file may name: far more than any API has, and a
/// bound on what comparing them holds in memory.
pub const MAX_CODES: usize = 100_000;

/// Reads the codes from `path`: too large a file, or one that is not text,
/// is a [`CoverageError::Parse`] diagnostic that says where.
pub fn read(path: &Path, shown_as: &str) -> Result<Emitted, CoverageError> {
    match crate::content::load::read_text(path, shown_as, MAX_CODES_BYTES) {
        Ok(file) => from_file(file),
        Err(crate::content::load::ReadProblem::Io(source)) => Err(CoverageError::Read {
            path: shown_as.to_owned(),
            source,
        }),
        Err(crate::content::load::ReadProblem::Content(problem)) => {
            Err(CoverageError::Parse(problem))
        }
    }
}

/// Reads the codes from a file's text.
pub fn from_file(file: SourceFile) -> Result<Emitted, CoverageError> {
    let looks_structured = file.text.trim_start().starts_with('{')
        || file
            .text
            .lines()
            .any(|l| l.starts_with("openapi:") || l.starts_with("swagger:"));
    let mut emitted = Emitted {
        file,
        codes: Vec::new(),
        has_identifiers: false,
    };
    if looks_structured {
        let node =
            yaml::parse_node(&emitted.file).map_err(|d| CoverageError::Parse(Box::new(d)))?;
        let mut found = Vec::new();
        statuses(&node, &mut found);
        let before = found.len();
        identifiers(&node, &mut found);
        emitted.has_identifiers = found.len() > before;
        emitted.codes = found;
    } else {
        emitted.codes = plain_list(&emitted.file);
        emitted.has_identifiers = emitted
            .codes
            .iter()
            .any(|c| !c.value.bytes().all(|b| b.is_ascii_digit()));
    }
    if emitted.codes.len() > MAX_CODES {
        let extra = &emitted.codes[MAX_CODES];
        return Err(CoverageError::Parse(Box::new(
            Diagnostic::new(
                Rule::LimitExceeded,
                format!("the codes file names more than {MAX_CODES} codes"),
            )
            .at(&emitted.file, extra.span)
            .label("one too many"),
        )));
    }
    let mut seen = HashSet::new();
    emitted.codes.retain(|c| seen.insert(c.value.clone()));
    Ok(emitted)
}

fn plain_list(file: &SourceFile) -> Vec<Spanned<String>> {
    let mut codes = Vec::new();
    let mut offset = 0;
    for line in file.text.split_inclusive('\n') {
        let content = line.split('#').next().unwrap_or_default();
        let code = content.trim();
        if !code.is_empty() {
            let start = offset + (content.len() - content.trim_start().len());
            codes.push(Spanned::new(code.to_owned(), Span::new(start, code.len())));
        }
        offset += line.len();
    }
    codes
}

fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Spanned<Node>> {
    let Node::Map(pairs) = node else { return None };
    pairs
        .iter()
        .find(|(k, _)| matches!(&k.value, Node::Str(s) if s == key))
        .map(|(_, v)| v)
}

fn map_pairs(node: &Node) -> &[(Spanned<Node>, Spanned<Node>)] {
    match node {
        Node::Map(pairs) => pairs,
        _ => &[],
    }
}

/// Every 4xx and 5xx status under `paths.*.<operation>.responses`.
fn statuses(root: &Spanned<Node>, out: &mut Vec<Spanned<String>>) {
    let Some(paths) = get(&root.value, "paths") else {
        return;
    };
    for (_, item) in map_pairs(&paths.value) {
        for (method, operation) in map_pairs(&item.value) {
            let is_operation =
                matches!(&method.value, Node::Str(m) if OPERATIONS.contains(&m.as_str()));
            let responses = get(&operation.value, "responses").filter(|_| is_operation);
            for (status, _) in responses.map_or(&[][..], |r| map_pairs(&r.value)) {
                let Some(text) = status.value.scalar_text() else {
                    continue;
                };
                let is_error = text.len() == 3
                    && text.bytes().all(|b| b.is_ascii_digit())
                    && matches!(text.as_bytes()[0], b'4' | b'5');
                if is_error {
                    out.push(Spanned::new(text, status.span));
                }
            }
        }
    }
}

/// Every `enum` (or `const`) value of a schema property named `code` or `type`, anywhere.
fn identifiers(node: &Spanned<Node>, out: &mut Vec<Spanned<String>>) {
    match &node.value {
        Node::Map(pairs) => {
            if let Some(properties) = get(&node.value, "properties") {
                for (name, schema) in map_pairs(&properties.value) {
                    let named = matches!(&name.value, Node::Str(n) if n == "code" || n == "type");
                    if named {
                        values(schema, out);
                    }
                }
            }
            for (_, value) in pairs {
                identifiers(value, out);
            }
        }
        Node::Seq(items) => items.iter().for_each(|item| identifiers(item, out)),
        _ => {}
    }
}

fn values(schema: &Spanned<Node>, out: &mut Vec<Spanned<String>>) {
    if let Some(Spanned {
        value: Node::Seq(items),
        ..
    }) = get(&schema.value, "enum")
    {
        for item in items {
            if let Some(text) = item.value.scalar_text().filter(|t| !t.is_empty()) {
                out.push(Spanned::new(text, item.span));
            }
        }
    }
    if let Some(constant) = get(&schema.value, "const")
        && let Some(text) = constant.value.scalar_text().filter(|t| !t.is_empty())
    {
        out.push(Spanned::new(text, constant.span));
    }
}

/// Codes emitted but undocumented (errors, at the codes file) and documented
/// but never emitted (warnings, at the entry). Removed entries and the
/// fallback entry are never reported as unemitted.
pub fn compare(loaded: &Loaded, emitted: &Emitted) -> Vec<Diagnostic> {
    let mut out = crate::diagnostics::Findings::default();
    let mut documented: HashSet<&str> = HashSet::new();
    for e in &loaded.entries {
        documented.extend(e.facts.codes.iter().map(|c| c.value.as_str()));
        documented.extend(e.facts.types.iter().map(|t| t.value.as_str()));
    }
    if let Some(config) = &loaded.config {
        documented.extend(config.redirects().iter().map(|(old, _)| old.value.as_str()));
    }
    let all: Vec<&str> = documented.iter().copied().collect();
    for code in &emitted.codes {
        if !documented.contains(code.value.as_str()) {
            out.add(&emitted.file.path, Rule::UndocumentedCode, || {
                Diagnostic::new(
                    Rule::UndocumentedCode,
                    format!("`{}` is emitted by the API but has no entry", code.value),
                )
                .at(&emitted.file, code.span)
                .label("not documented")
                .hint(
                    crate::diagnostics::suggest::did_you_mean(&code.value, all.iter().copied())
                        .unwrap_or_else(|| {
                            format!(
                                "add it with `errdex new {}`, or as a variant of an entry",
                                code.value
                            )
                        }),
                )
            });
        }
    }
    let emitted_set: HashMap<&str, Span> = emitted
        .codes
        .iter()
        .map(|c| (c.value.as_str(), c.span))
        .collect();
    let fallback = loaded
        .config
        .as_ref()
        .and_then(|c| c.file.fallback.as_ref())
        .map(|f| f.value.as_str());
    for e in &loaded.entries {
        let Some(primary) = e.facts.codes.first() else {
            continue;
        };
        if e.facts.removed || Some(primary.value.as_str()) == fallback {
            continue;
        }
        let any_type_emitted = e
            .facts
            .types
            .iter()
            .any(|t| emitted_set.contains_key(t.value.as_str()));
        for code in &e.facts.codes {
            if !emitted_set.contains_key(code.value.as_str()) && !any_type_emitted {
                out.add(&e.source.path, Rule::UnemittedCode, || {
                    unemitted(e, code, "code")
                });
            }
        }
        if emitted.has_identifiers {
            for kind in &e.facts.types {
                if !emitted_set.contains_key(kind.value.as_str()) {
                    out.add(&e.source.path, Rule::UnemittedCode, || {
                        unemitted(e, kind, "variant type")
                    });
                }
            }
        }
    }
    out.into_vec()
}

fn unemitted(e: &crate::check::LoadedEntry, code: &Spanned<String>, what: &str) -> Diagnostic {
    Diagnostic::new(
        Rule::UnemittedCode,
        format!(
            "{what} `{}` is documented but the API never emits it",
            code.value
        ),
    )
    .at(&e.source, code.span)
    .label("not in the codes file")
    .hint(
        "if the code is gone, mark the entry `status: removed`; otherwise add it to the codes file",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emitted_from(name: &str, text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let emitted = read(&path, name).unwrap();
        emitted.codes.into_iter().map(|c| c.value).collect()
    }

    #[test]
    fn openapi_statuses_and_identifier_enums_are_read() {
        let yaml = "openapi: 3.0.3\npaths:\n  /v1/chat:\n    parameters: []\n    post:\n      responses:\n        '200': {description: ok}\n        '429': {description: slow down}\n        500: {description: oops}\n        default: {description: other}\ncomponents:\n  schemas:\n    Error:\n      properties:\n        type: {type: string, enum: [rate_limit_exceeded, insufficient_quota]}\n        code: {const: E42}\n        message: {enum: [not, read]}\n";
        assert_eq!(
            emitted_from("api.yaml", yaml),
            [
                "429",
                "500",
                "rate_limit_exceeded",
                "insufficient_quota",
                "E42"
            ]
        );
        let json = r#"{"openapi": "3.1.0", "paths": {"/x": {"get": {"responses": {"401": {}, "404": {}}}}}}"#;
        assert_eq!(emitted_from("api.json", json), ["401", "404"]);
    }

    #[test]
    fn a_plain_list_has_one_code_per_line_and_comments() {
        assert_eq!(
            emitted_from(
                "codes.txt",
                "# from the gateway\n400\n  429  # rate limits\n\nE0308\n400\n"
            ),
            ["400", "429", "E0308"]
        );
    }
}
