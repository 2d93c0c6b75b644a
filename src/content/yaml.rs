//! Reading YAML: the parser options every file shares, typed parsing with a
//! fallback that finds every structural mistake, and YAML errors as diagnostics.

use serde::de::DeserializeOwned;

use crate::content::node::Node;
use crate::content::shape;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::rules::Rule;
use crate::diagnostics::source::SourceFile;
use crate::diagnostics::span::{Span, Spanned};

/// Deepest nesting of lists and mappings accepted; steps nest far less than this.
const MAX_DEPTH: usize = 48;

/// Most keys, values and list items in one file (serde-saphyr's default):
/// bounds the work and the findings one file can cause.
const MAX_NODES: usize = 250_000;

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_events: 2_000_000,
            max_nodes: MAX_NODES,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_recorded_anchor_events: 100_000,
            max_documents: 1,
        },
    }
}

/// A file that did not parse cleanly.
#[derive(Debug)]
pub struct ParseFailure<T> {
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// The value read after blanking out the problems, when that worked: the
    /// semantic rules still run on it, so one run reports every mistake.
    pub recovered: Option<T>,
}

/// Parses `file` into `T`. When that fails for any reason other than broken
/// YAML, walks the file against `schema` to report every structural mistake at
/// once (not just the first one serde stopped at).
pub fn parse<T: DeserializeOwned>(
    file: &SourceFile,
    schema: &serde_json::Value,
    what: &str,
) -> Result<T, ParseFailure<T>> {
    let typed_error = match serde_saphyr::from_str_with_options::<T>(&file.text, options()) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let node = parse_node(file).map_err(|diagnostic| ParseFailure {
        diagnostics: vec![diagnostic],
        recovered: None,
    })?;
    let shape = shape::check(file, &node, schema, what);
    let mut diagnostics = shape.diagnostics;
    if diagnostics.is_empty() {
        diagnostics.push(yaml_error(file, &typed_error, Rule::WrongType));
    }
    let recovered = shape
        .repaired
        .and_then(|text| serde_saphyr::from_str_with_options::<T>(&text, options()).ok());
    Err(ParseFailure {
        diagnostics,
        recovered,
    })
}

/// Parses `file` into a generic tree of spanned nodes.
pub fn parse_node(file: &SourceFile) -> Result<Spanned<Node>, Diagnostic> {
    serde_saphyr::from_str_with_options::<Spanned<Node>>(&file.text, options())
        .map_err(|error| yaml_error(file, &error, Rule::YamlSyntax))
}

/// A serde-saphyr error as a diagnostic of `rule` (or of a more specific rule
/// when the error says what kind of problem it is).
fn yaml_error(file: &SourceFile, error: &serde_saphyr::Error, rule: Rule) -> Diagnostic {
    use serde_saphyr::Error as E;
    let mut inner = error.without_snippet();
    while let E::AliasError { error, .. } = inner {
        inner = error.without_snippet();
    }
    let (rule, message) = match inner {
        E::DuplicateMappingKey { .. } => {
            let message = strip_location(&inner.to_string());
            let message = message
                .split(", set DuplicateKeyPolicy")
                .next()
                .unwrap_or(&message)
                .to_owned();
            (Rule::DuplicateKey, message)
        }
        E::Budget { breach, .. } => (Rule::LimitExceeded, budget_message(&format!("{breach:?}"))),
        E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => {
            (Rule::LimitExceeded, budget_message("Aliases"))
        }
        _ => (rule, strip_location(&inner.to_string())),
    };
    let span = error
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| Span::new(file.offset(l.line() as usize, l.column() as usize), 1));
    let hint = syntax_hint(&message);
    let diagnostic = Diagnostic::new(rule, message).maybe_hint(hint);
    match span {
        Some(span) => diagnostic.at(file, span),
        None => diagnostic.in_file(file.path.clone()),
    }
}

fn budget_message(breach: &str) -> String {
    if breach.starts_with("Depth") {
        format!("lists and mappings are nested more than {MAX_DEPTH} levels deep")
    } else if breach.starts_with("Events") || breach.starts_with("Nodes") {
        format!(
            "the file holds more than {MAX_NODES} keys, values and list items; \
             an entry is far smaller (is this a generated dump?)"
        )
    } else {
        "the YAML expands too much: aliases (`*name`) repeat anchored content until the document is too large".to_owned()
    }
}

/// What usually causes the parser's most common complaints.
fn syntax_hint(message: &str) -> Option<String> {
    let hint = if message.contains("tab") {
        "YAML does not allow tabs for indentation; indent with spaces"
    } else if message.contains("mapping values are not allowed") {
        "a value that contains `: ` must be quoted, or this line is indented differently from its siblings"
    } else if message.contains("did not find expected key")
        || message.contains("did not find expected '-'")
    {
        "check the indentation: items of one list or mapping start in the same column"
    } else if message.contains("found unexpected end of stream") || message.contains("unclosed") {
        "a quote or bracket opened here is never closed"
    } else {
        return None;
    };
    Some(hint.to_owned())
}

/// serde-saphyr appends " at line L, column C"; diagnostics show the position separately.
fn strip_location(message: &str) -> String {
    match message.rsplit_once(" at line ") {
        Some((head, tail)) if tail.contains(", column ") => head.to_owned(),
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_stripped_from_messages() {
        assert_eq!(
            strip_location("unknown field `a` at line 3, column 1"),
            "unknown field `a`"
        );
        assert_eq!(strip_location("no location here"), "no location here");
    }

    #[test]
    fn nodes_keep_spans_of_keys_and_values() {
        let file = SourceFile::new("a.yaml", "a.yaml", "a: [1, x]\nb: {c: true}\n".into());
        let node = parse_node(&file).unwrap();
        let Node::Map(entries) = &node.value else {
            panic!("{node:?}")
        };
        assert_eq!(entries[1].0.value, Node::Str("b".into()));
        assert_eq!(file.position(entries[1].0.span.start()).line, 2);
        let Node::Seq(items) = &entries[0].1.value else {
            panic!()
        };
        assert_eq!(file.slice(items[1].span), "x");
    }
}

/// `text` as a YAML double-quoted scalar that reads back as exactly `text`:
/// YAML allows fewer raw characters than JSON (no DEL, no C1 controls).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod quote_tests {
    use super::*;

    #[test]
    fn quoted_text_reads_back_unchanged() {
        for text in [
            "plain",
            "a \"quote\" and \\",
            "tab\tnew\nline",
            "del\u{7f} c1\u{85}\u{9f}",
            "\u{ffff}é—",
        ] {
            let yaml = format!("v: {}\n", quote(text));
            let value: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
            assert_eq!(value["v"], text);
        }
    }
}
