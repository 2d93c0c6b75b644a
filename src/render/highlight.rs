//! Server-side syntax highlighting of code blocks and examples: spans with
//! CSS classes (`hl-string`, `hl-comment`, ...), so the light and the dark
//! theme colour them from the stylesheet. Without the `highlight` feature,
//! code is shown plain.

#[cfg(feature = "highlight")]
use crate::render::html::escape_into;

/// Languages written under another name than the one syntect knows.
#[cfg(feature = "highlight")]
fn syntax_token(language: &str) -> &str {
    match language {
        "sh" | "shell" | "console" | "curl" => "bash",
        "js" | "javascript" | "node" => "js",
        "py" => "python",
        "yml" => "yaml",
        "golang" => "go",
        "rs" => "rust",
        other => other,
    }
}

/// What a piece of code is, as far as colouring goes; each kind is one CSS
/// class, so the markup stays small and both themes colour it.
#[cfg(feature = "highlight")]
const KINDS: &[(&str, &str)] = &[
    ("comment", "hl-c"),
    ("string", "hl-s"),
    (
        "constant.numeric, constant.language, constant.character",
        "hl-n",
    ),
    ("keyword, storage, variable.language", "hl-k"),
    (
        "entity.name.function, support.function, variable.function",
        "hl-f",
    ),
    (
        "entity.name.type, entity.name.class, support.type, support.class, storage.type",
        "hl-t",
    ),
    (
        "meta.mapping.key string, meta.structure.dictionary.key string, entity.name.tag, entity.other.attribute-name",
        "hl-p",
    ),
    (
        "variable.parameter, variable.other.readwrite, variable.other.member",
        "hl-v",
    ),
];

/// The code as highlighted HTML, or `None` for an unknown language (the caller escapes it plainly).
#[cfg(feature = "highlight")]
pub fn highlight(code: &str, language: &str) -> Option<String> {
    if language.trim().eq_ignore_ascii_case("json")
        && let Some(html) = json::highlight(code)
    {
        return Some(html);
    }
    with_syntect(code, language)
}

/// Spans around `text` of `kind` (an index in [`KINDS`]), merged as syntect's
/// output is merged: whitespace stays in the span that is open.
#[cfg(feature = "highlight")]
struct Spans {
    out: String,
    open: Option<usize>,
}

#[cfg(feature = "highlight")]
impl Spans {
    fn new(capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            open: None,
        }
    }

    fn push(&mut self, kind: Option<usize>, text: &str) {
        use std::fmt::Write as _;
        if kind != self.open && !text.trim().is_empty() {
            if self.open.is_some() {
                self.out.push_str("</span>");
            }
            if let Some(k) = kind {
                let _ = write!(self.out, "<span class=\"{}\">", KINDS[k].1);
            }
            self.open = kind;
        }
        escape_into(&mut self.out, text);
    }

    fn finish(mut self) -> String {
        if self.open.is_some() {
            self.out.push_str("</span>");
        }
        self.out
    }
}

/// JSON without syntect: a JSON block is most of what an error reference
/// highlights, and a scanner for it is far faster than a general grammar. It writes exactly what syntect writes (a test compares them), and
/// leaves anything unusual (escapes, comments, not JSON) to syntect.
#[cfg(feature = "highlight")]
mod json {
    use super::Spans;

    const STRING: Option<usize> = Some(1);
    const NUMBER: Option<usize> = Some(2);
    const KEY: Option<usize> = Some(6);

    pub(super) fn highlight(code: &str) -> Option<String> {
        let bytes = code.as_bytes();
        let mut spans = Spans::new(code.len() * 2);
        // Per open bracket: whether it is an object (whose strings after `{` or `,` are keys).
        let mut objects: Vec<bool> = Vec::new();
        let mut key_next = false;
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            let kind = match bytes[i] {
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        if matches!(bytes[i], b'\\' | b'\n') {
                            return None;
                        }
                        i += 1;
                    }
                    if i == bytes.len() {
                        return None;
                    }
                    i += 1;
                    if key_next { KEY } else { STRING }
                }
                b'-' | b'0'..=b'9' => {
                    i += 1;
                    while i < bytes.len()
                        && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                    {
                        i += 1;
                    }
                    NUMBER
                }
                b't' | b'f' | b'n' => {
                    let word = ["true", "false", "null"]
                        .into_iter()
                        .find(|w| code[i..].starts_with(w))?;
                    i += word.len();
                    NUMBER
                }
                b' ' | b'\t' | b'\n' | b'\r' => {
                    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                        i += 1;
                    }
                    spans.push(None, &code[start..i]);
                    continue;
                }
                open @ (b'{' | b'[') => {
                    objects.push(open == b'{');
                    key_next = open == b'{';
                    i += 1;
                    None
                }
                b'}' | b']' => {
                    objects.pop()?;
                    key_next = false;
                    i += 1;
                    None
                }
                b',' => {
                    key_next = objects.last() == Some(&true);
                    i += 1;
                    None
                }
                b':' => {
                    key_next = false;
                    i += 1;
                    None
                }
                _ => return None,
            };
            spans.push(kind, &code[start..i]);
        }
        Some(spans.finish())
    }
}

/// Highlighting by syntect's grammar for `language`.
#[cfg(feature = "highlight")]
fn with_syntect(code: &str, language: &str) -> Option<String> {
    use std::str::FromStr;
    use std::sync::LazyLock;
    use syntect::highlighting::{
        Color, HighlightIterator, HighlightState, Highlighter, ScopeSelectors, StyleModifier,
        Theme, ThemeItem, ThemeSettings,
    };
    use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
    use syntect::util::LinesWithEndings;

    static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
    // syntect matches scope selectors through themes; this theme's "colour"
    // is the index of the class, so its precedence rules pick the class.
    static THEME: LazyLock<Theme> = LazyLock::new(|| Theme {
        settings: ThemeSettings {
            foreground: Some(Color {
                r: 0,
                g: 0,
                b: 0,
                a: 0,
            }),
            ..ThemeSettings::default()
        },
        scopes: KINDS
            .iter()
            .enumerate()
            .filter_map(|(i, (selector, _))| {
                Some(ThemeItem {
                    scope: ScopeSelectors::from_str(selector).ok()?,
                    style: StyleModifier {
                        foreground: Some(Color {
                            r: i as u8 + 1,
                            g: 0,
                            b: 0,
                            a: 0,
                        }),
                        background: None,
                        font_style: None,
                    },
                })
            })
            .collect(),
        ..Theme::default()
    });

    let language = language.trim().to_ascii_lowercase();
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes.find_syntax_by_token(syntax_token(&language))?;
    let highlighter = Highlighter::new(&THEME);
    let mut parse = ParseState::new(syntax);
    let mut state = HighlightState::new(&highlighter, ScopeStack::new());
    let mut spans = Spans::new(code.len() * 2);
    for line in LinesWithEndings::from(code) {
        let ops = parse.parse_line(line, syntaxes).ok()?;
        for (style, text) in HighlightIterator::new(&mut state, &ops, line, &highlighter) {
            spans.push(usize::from(style.foreground.r).checked_sub(1), text);
        }
    }
    Some(spans.finish())
}

/// Without the `highlight` feature every block is shown plain.
#[cfg(not(feature = "highlight"))]
pub fn highlight(_code: &str, _language: &str) -> Option<String> {
    None
}

/// A one-line JSON body spread over lines with two-space indentation, keys in
/// the order written; other text (or JSON already on several lines) unchanged.
pub fn pretty_json(body: &str) -> String {
    let trimmed = body.trim();
    if trimmed.contains('\n') || serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_err() {
        return body.to_owned();
    }
    let mut out = String::with_capacity(trimmed.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let empty = matches!(chars.peek(), Some('}' | ']'));
                if !empty {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                if !matches!(out.chars().last(), Some('{' | '[')) {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_json_is_spread_out_in_the_written_order() {
        assert_eq!(
            pretty_json(r#"{"error": {"code": 429, "type": "x, y", "list": [], "z": {}}}"#),
            "{\n  \"error\": {\n    \"code\": 429,\n    \"type\": \"x, y\",\n    \"list\": [],\n    \"z\": {}\n  }\n}"
        );
        assert_eq!(pretty_json("{\n  \"a\": 1\n}\n"), "{\n  \"a\": 1\n}\n");
        assert_eq!(pretty_json("not json"), "not json");
    }

    #[cfg(feature = "highlight")]
    #[test]
    fn the_json_scanner_writes_what_syntect_writes() {
        let samples = [
            "{\"a\": 1}\n",
            "{\n  \"error\": {\n    \"code\": \"429\",\n    \"retry_after\": -1.5e3,\n    \"ok\": false,\n    \"none\": null,\n    \"t\": true,\n    \"list\": [1, \"two\", {\"k\": [ ]}],\n    \"html\": \"<b>&</b>\"\n  }\n}",
            "[\"a\", \"b\"]",
            "  {}  \n\n",
            "\"just a string\"",
            "{\"a\":{\"b\":{\"c\":[[],[{}]]}},\"d\":0}",
        ];
        for sample in samples {
            assert_eq!(
                json::highlight(sample).as_deref(),
                with_syntect(sample, "json").as_deref(),
                "{sample}"
            );
        }
        // Left to syntect: escapes, comments, what is not JSON.
        for other in [
            "{\"a\": \"\\n\"}",
            "{\"a\": 1} // note",
            "{\"a\": ...}",
            "{\"a\": 1}}",
            "\"open",
        ] {
            assert!(json::highlight(other).is_none(), "{other}");
            assert!(highlight(other, "json").is_some());
        }
    }

    #[cfg(feature = "highlight")]
    #[test]
    fn known_languages_get_classed_spans() {
        let html = highlight("{\"a\": 1}\n", "json").unwrap();
        assert_eq!(
            html,
            "{<span class=\"hl-p\">\"a\"</span>: <span class=\"hl-n\">1</span>}\n"
        );
        assert!(highlight("x", "no-such-language").is_none());
        let html = highlight("curl -H 'x: <y>'\n", "sh").unwrap();
        assert!(
            html.contains("&lt;y&gt;") && !html.contains("<y>"),
            "{html}"
        );
    }
}
