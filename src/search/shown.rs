//! Error messages an entry shows in its code: what a program printed, as
//! the entry's examples and code blocks quote it.
//!
//! A reader pastes what their program printed, and a catalog without
//! `messages:` often quotes the same text in its examples: an `error:` line
//! of compiler or CLI output (`error[E0597]: ...`, `// error: ...` beside
//! the line it is about, psql's `ERROR:  ...`, `TypeError: ...`), or the
//! `message` of a JSON error body. The index weighs those as messages.

use std::sync::OnceLock;

use regex_lite::Regex;

/// At most this many messages are taken from one document's code.
const MOST: usize = 8;

/// Messages shorter or longer than this (in bytes) are not taken.
const LENGTHS: std::ops::RangeInclusive<usize> = 3..=240;

/// `...Error: text` or `error[CODE]: text`, the text captured.
fn error_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?:^|[^a-z0-9_])[a-z]*error(?:\[[a-z0-9_.-]*\])?:\s*(.+)$")
            .expect("a valid pattern")
    })
}

/// A JSON member that holds an error's message, its string captured.
fn json_message() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?i)"(?:message|error_message|errormessage|error_description|detail)"\s*:\s*"((?:[^"\\]|\\.)*)""#,
        )
        .expect("a valid pattern")
    })
}

/// Adds the messages in `code` (an example's body, a code block's text) to
/// `out`, each once, up to [`MOST`] in all.
pub fn in_code(code: &str, out: &mut Vec<String>) {
    for line in code.lines() {
        if out.len() >= MOST {
            return;
        }
        let lower_has = |needle: &str| {
            line.as_bytes()
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        };
        if lower_has("error")
            && let Some(found) = error_line().captures(line)
        {
            let text = found[1]
                .trim()
                .trim_end_matches("*/")
                .trim_end_matches("-->")
                .trim();
            add(text, out);
        } else if line.contains('"') {
            for found in json_message().captures_iter(line) {
                add(&found[1].replace("\\\"", "\"").replace("\\\\", "\\"), out);
            }
        }
    }
}

/// Adds the messages in the fenced code blocks of `markdown` to `out`.
pub fn in_markdown(markdown: &str, out: &mut Vec<String>) {
    if !markdown.contains("```") && !markdown.contains("~~~") {
        return;
    }
    let mut fence: Option<&str> = None;
    for line in markdown.lines() {
        let bare = line.trim_start();
        let indent = line.len() - bare.len();
        let marker = ["```", "~~~"]
            .into_iter()
            .find(|m| indent <= 3 && bare.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m))
                if open == m && bare.trim_matches(|c| c == '`' || c == '~').is_empty() =>
            {
                fence = None;
            }
            (Some(_), _) => in_code(line, out),
            (None, None) => {}
        }
    }
}

fn add(text: &str, out: &mut Vec<String>) {
    let text = text.trim();
    if LENGTHS.contains(&text.len())
        && text.chars().any(char::is_alphabetic)
        && !out.iter().any(|m| m == text)
    {
        out.push(text.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(markdown: &str) -> Vec<String> {
        let mut out = Vec::new();
        in_markdown(markdown, &mut out);
        out
    }

    #[test]
    fn error_lines_and_json_messages_in_code_blocks_are_taken() {
        let markdown = "Prose with error: not this one.\n\n```\nlet r;\n{ let x = 5; r = &x; } // error: `x` does not live long enough\n```\n\n~~~text\nerror[E0382]: borrow of moved value: `v`\nERROR:  duplicate key value violates unique constraint \"users_email_key\"\nTypeError: undefined is not a function\n/* error: bad thing */\n~~~\n\n```json\n{\"error\": {\"code\": 429, \"message\": \"Rate limit \\\"reached\\\" for requests\"}}\n```\n";
        assert_eq!(
            shown(markdown),
            [
                "`x` does not live long enough",
                "borrow of moved value: `v`",
                "duplicate key value violates unique constraint \"users_email_key\"",
                "undefined is not a function",
                "bad thing",
                "Rate limit \"reached\" for requests",
            ]
        );
    }

    #[test]
    fn ordinary_code_and_prose_give_nothing() {
        assert!(
            shown("An error: in prose.\n\n```rust\nfn main() { let error_count = 3; }\n```\n")
                .is_empty()
        );
        assert!(shown("```\nerror: 42\n```").is_empty(), "no words");
        let mut out = Vec::new();
        for _ in 0..20 {
            in_code(&format!("error: message {}\n", out.len()), &mut out);
        }
        assert_eq!(out.len(), MOST);
    }
}
