//! Structural checking of a YAML tree against the JSON Schema of our types.
//!
//! Serde stops at the first mistake in a file. When it does, this walks the
//! file's tree against the schema that schemars derived from the same types,
//! and reports every unknown key, missing key and wrongly shaped value at once,
//! each at its own line and column.
//!
//! It also repairs what it can: the text of a problem (an unknown key and its
//! value, a wrongly typed optional value, a broken list item) is blanked out
//! with spaces, and a missing required key of the root gets a placeholder
//! appended at the end. Byte offsets of everything else stay the same, so the
//! repaired text parses into a value whose spans still point into the original
//! file, and the semantic rules can run on a file with structural mistakes too.

use std::ops::Range;

use serde_json::{Map, Value};

use crate::content::node::Node;
use crate::diagnostics::rules::Rule;
use crate::diagnostics::source::SourceFile;
use crate::diagnostics::span::Spanned;
use crate::diagnostics::suggest;
use crate::diagnostics::{Diagnostic, Findings};

/// The text given to a required key that is missing, so the rest of the file
/// can still be checked; rules skip values equal to it.
pub const PLACEHOLDER: &str = "\u{1}missing";

/// What the structural walk found.
#[derive(Debug)]
pub struct Shape {
    /// Every structural problem.
    pub diagnostics: Vec<Diagnostic>,
    /// The text with the problems blanked out, when that was possible.
    pub repaired: Option<String>,
}

/// Every structural problem of `node` against `schema`; `what` names the root
/// ("an entry", "errdex.yaml") in messages.
pub fn check(file: &SourceFile, node: &Spanned<Node>, schema: &Value, what: &str) -> Shape {
    let mut walker = Walker {
        file,
        root: schema,
        diagnostics: Findings::default(),
        blanks: Vec::new(),
        placeholders: Vec::new(),
    };
    let keep = match &node.value {
        Node::Null => {
            walker.diagnostics.add(&file.path, Rule::NotAMapping, || {
                Diagnostic::new(
                    Rule::NotAMapping,
                    format!("the file is empty; {what} is a mapping of keys to values"),
                )
                .in_file(file.path.clone())
            });
            false
        }
        Node::Map(entries) => walker.walk_map(node, entries, schema, what, file.text.len(), true),
        other => {
            walker.diagnostics.add(&file.path, Rule::NotAMapping, || {
                Diagnostic::new(
                    Rule::NotAMapping,
                    format!(
                        "{what} must be a mapping of keys to values, not {}",
                        other.kind()
                    ),
                )
                .at(file, node.span)
                .label(format!("this is {}", other.kind()))
            });
            false
        }
    };
    let repaired = keep.then(|| walker.repaired_text());
    Shape {
        diagnostics: walker.diagnostics.into_vec(),
        repaired,
    }
}

struct Walker<'a> {
    file: &'a SourceFile,
    root: &'a Value,
    diagnostics: Findings<'a>,
    blanks: Vec<Range<usize>>,
    placeholders: Vec<String>,
}

impl<'a> Walker<'a> {
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        let mut schema = schema;
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            match self.root.get("$defs").and_then(|defs| defs.get(name)) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    /// The name of the thing a schema describes, for messages.
    fn name_of(&self, schema: &Value, fallback: &str) -> String {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return fallback.to_owned();
        };
        match reference.rsplit('/').next() {
            Some("Step") => "a step".into(),
            Some("Example") => "an example".into(),
            Some("Link") => "a link".into(),
            Some("Category") => "a category".into(),
            _ => fallback.to_owned(),
        }
    }

    /// Checks `node`; returns false when it cannot be kept and its parent must
    /// remove it. `end` is where the text of the node ends at the latest.
    fn walk(&mut self, node: &Spanned<Node>, schema: &'a Value, what: &str, end: usize) -> bool {
        let what = self.name_of(schema, what);
        let schema = self.resolve(schema);
        if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
            return match branches
                .iter()
                .find(|b| accepts(self.resolve(b), &node.value))
            {
                Some(branch) => self.walk(node, branch, &what, end),
                None => {
                    self.wrong_type(node, schema);
                    false
                }
            };
        }
        if !accepts(schema, &node.value) {
            self.wrong_type(node, schema);
            return false;
        }
        match &node.value {
            Node::Map(entries) => self.walk_map(node, entries, schema, &what, end, false),
            Node::Seq(items) => self.walk_seq(node, items, schema, &what, end),
            Node::Str(text) => {
                if min(schema, "minLength") > 0 && text.trim().is_empty() {
                    self.diagnostics.add(&self.file.path, Rule::EmptyValue, || {
                        Diagnostic::new(Rule::EmptyValue, "this text is empty")
                            .at(self.file, node.span)
                    });
                }
                true
            }
            _ => true,
        }
    }

    fn walk_seq(
        &mut self,
        node: &Spanned<Node>,
        items: &[Spanned<Node>],
        schema: &'a Value,
        what: &str,
        end: usize,
    ) -> bool {
        if min(schema, "minItems") > 0 && items.is_empty() {
            self.diagnostics.add(&self.file.path, Rule::EmptyList, || {
                Diagnostic::new(Rule::EmptyList, "this list is empty")
                    .at(self.file, node.span)
                    .hint("add items, or remove the key")
            });
        }
        let Some(item_schema) = schema.get("items") else {
            return true;
        };
        let flow = self.is_flow(node);
        let mut keep = true;
        for (i, item) in items.iter().enumerate() {
            let item_end = items
                .get(i + 1)
                .map_or(end, |next| self.line_start(self.item_start(next)));
            if !self.walk(item, item_schema, what, item_end) {
                if flow {
                    keep = false;
                } else {
                    self.blanks.push(self.item_start(item)..item_end);
                }
            }
        }
        keep
    }

    fn walk_map(
        &mut self,
        node: &Spanned<Node>,
        entries: &[(Spanned<Node>, Spanned<Node>)],
        schema: &'a Value,
        what: &str,
        end: usize,
        is_root: bool,
    ) -> bool {
        static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let additional = schema.get("additionalProperties");
        let keys: Vec<String> = entries
            .iter()
            .map(|(k, _)| k.scalar_text().unwrap_or_default())
            .collect();
        let flow = self.is_flow(node);
        let mut keep = true;
        let mut misspelled: Vec<&str> = Vec::new();
        for (i, ((key, value), name)) in entries.iter().zip(&keys).enumerate() {
            let pair_end = entries
                .get(i + 1)
                .map_or(end, |(next, _)| self.line_start(next.span.start()));
            let value_ok = if let Some(property) = properties.get(name) {
                (matches!(value.value, Node::Null) && accepts(self.resolve(property), &Node::Null))
                    || self.walk(value, property, &format!("`{name}`"), pair_end)
            } else {
                match additional {
                    Some(Value::Bool(false)) => {
                        misspelled.extend(self.unknown_key(key, name, properties, what));
                        false
                    }
                    Some(extra @ Value::Object(_)) => self.walk(value, extra, what, pair_end),
                    _ => true,
                }
            };
            if !value_ok {
                if flow || required.contains(&name.as_str()) {
                    keep = false;
                } else {
                    self.blanks.push(key.span.start()..pair_end);
                }
            }
        }
        if min(schema, "minProperties") > 0 && entries.is_empty() {
            self.diagnostics.add(&self.file.path, Rule::EmptyList, || {
                Diagnostic::new(Rule::EmptyList, "this mapping is empty").at(self.file, node.span)
            });
        }
        let present = |name: &str| keys.iter().any(|k| k == name);
        for missing in required.iter().filter(|r| !present(r)) {
            if !misspelled.contains(missing) {
                self.diagnostics.add(&self.file.path, Rule::MissingKey, || {
                    Diagnostic::new(
                        Rule::MissingKey,
                        format!("missing key `{missing}` in {what}"),
                    )
                    .at(self.file, first_key_span(node, entries))
                    .label(format!("{what} starts here"))
                });
            }
            if is_root {
                self.placeholders.push((*missing).to_owned());
            } else {
                keep = false;
            }
        }
        if let Some(choice) = schema.get("oneOf").and_then(Value::as_array) {
            self.one_of_required(node, entries, choice, &present);
        }
        keep
    }

    /// `oneOf: [{required: [a]}, {required: [b]}]`: exactly one of the keys.
    fn one_of_required(
        &mut self,
        node: &Spanned<Node>,
        entries: &[(Spanned<Node>, Spanned<Node>)],
        choice: &[Value],
        present: &dyn Fn(&str) -> bool,
    ) {
        let names: Vec<&str> = choice
            .iter()
            .filter_map(|c| c.get("required")?.as_array()?.first()?.as_str())
            .collect();
        let given: Vec<&str> = names.iter().copied().filter(|n| present(n)).collect();
        let listed = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        match given.len() {
            0 => self
                .diagnostics
                .add(&self.file.path, Rule::MissingCode, || {
                    Diagnostic::new(Rule::MissingCode, format!("missing key: give {listed}"))
                        .at(self.file, first_key_span(node, entries))
                }),
            1 => {}
            _ => {
                let key = entries
                    .iter()
                    .filter(|(k, _)| k.scalar_text().as_deref() == Some(given[1]))
                    .map(|(k, _)| k.span)
                    .next()
                    .unwrap_or(node.span);
                self.diagnostics
                    .add(&self.file.path, Rule::CodeAndCodes, || {
                        Diagnostic::new(Rule::CodeAndCodes, format!("give only one of {listed}"))
                            .at(self.file, key)
                    });
            }
        }
    }

    /// Reports an unknown key; returns the known key it is probably a misspelling of.
    fn unknown_key(
        &mut self,
        key: &Spanned<Node>,
        name: &str,
        properties: &'a Map<String, Value>,
        what: &str,
    ) -> Option<&'a str> {
        let closest = suggest::closest(name, properties.keys().map(String::as_str));
        self.diagnostics.add(&self.file.path, Rule::UnknownKey, || {
            let hint = match closest {
                Some(known) => format!("did you mean `{known}`?"),
                None => {
                    let known: Vec<_> = properties.keys().map(|k| format!("`{k}`")).collect();
                    format!("known keys: {}", known.join(", "))
                }
            };
            Diagnostic::new(Rule::UnknownKey, format!("unknown key `{name}` in {what}"))
                .at(self.file, key.span)
                .label("not a known key")
                .hint(hint)
        });
        closest
    }

    fn wrong_type(&mut self, node: &Spanned<Node>, schema: &Value) {
        let expected = self.describe(schema);
        self.diagnostics.add(&self.file.path, Rule::WrongType, || {
            Diagnostic::new(
                Rule::WrongType,
                format!("expected {expected}, found {}", node.value.kind()),
            )
            .at(self.file, node.span)
            .label(format!("this is {}", node.value.kind()))
        });
    }

    fn describe(&self, schema: &Value) -> String {
        let schema = self.resolve(schema);
        if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
            let mut parts: Vec<String> = Vec::new();
            let described = branches
                .iter()
                .filter(|b| types(self.resolve(b)) != ["null"])
                .map(|b| self.describe(b));
            for part in described {
                if !parts.contains(&part) {
                    parts.push(part);
                }
            }
            return parts.join(" or ");
        }
        let described: Vec<&str> = types(schema)
            .iter()
            .filter(|t| **t != "null")
            .map(|t| match *t {
                "string" => "text",
                "integer" => "a whole number",
                "number" => "a number",
                "boolean" => "true or false",
                "array" => "a list",
                "object" => "a mapping",
                _ => "a value",
            })
            .collect();
        if described.is_empty() {
            "a value".into()
        } else {
            described.join(" or ")
        }
    }

    /// Whether a list or mapping is written inline (`[...]`, `{...}`), where
    /// parts cannot be blanked out line by line.
    fn is_flow(&self, node: &Spanned<Node>) -> bool {
        self.file.text[node.span.start().min(self.file.text.len())..].starts_with(['[', '{'])
    }

    fn line_start(&self, offset: usize) -> usize {
        self.file.offset(self.file.position(offset).line, 1)
    }

    /// Where a block list item starts: its `-`, when the value follows one on its line.
    fn item_start(&self, item: &Spanned<Node>) -> usize {
        let before = &self.file.text[..item.span.start().min(self.file.text.len())];
        let trimmed = before.trim_end_matches(' ');
        if trimmed.ends_with('-') {
            trimmed.len() - 1
        } else {
            item.span.start()
        }
    }

    fn repaired_text(&self) -> String {
        let mut bytes = self.file.text.clone().into_bytes();
        for range in &self.blanks {
            for byte in &mut bytes[range.start.min(range.end)..range.end.min(self.file.text.len())]
            {
                if *byte != b'\n' && *byte != b'\r' {
                    *byte = b' ';
                }
            }
        }
        let mut text = String::from_utf8(bytes).expect("blanking keeps UTF-8 valid");
        for key in &self.placeholders {
            text.push_str(&format!("\n{key}: \"\\x01missing\"\n"));
        }
        text
    }
}

fn min(schema: &Value, keyword: &str) -> u64 {
    schema.get(keyword).and_then(Value::as_u64).unwrap_or(0)
}

fn first_key_span(
    node: &Spanned<Node>,
    entries: &[(Spanned<Node>, Spanned<Node>)],
) -> crate::diagnostics::span::Span {
    entries.first().map_or(node.span, |(k, _)| k.span)
}

fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether `node` has one of the schema's types. Any scalar is acceptable text,
/// because YAML reads `1.10` or `yes` as text when text is expected.
fn accepts(schema: &Value, node: &Node) -> bool {
    let types = types(schema);
    if types.is_empty() {
        return true;
    }
    types.iter().any(|t| {
        matches!(
            (*t, node),
            ("null", Node::Null)
                | (
                    "string",
                    Node::Str(_) | Node::Integer(_) | Node::Float(_) | Node::Bool(_)
                )
                | ("integer", Node::Integer(_))
                | ("number", Node::Integer(_) | Node::Float(_))
                | ("boolean", Node::Bool(_))
                | ("array", Node::Seq(_))
                | ("object", Node::Map(_))
        )
    })
}
