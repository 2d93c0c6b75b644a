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

/// Messages from code stop once a document has this many messages in all.
const MOST: usize = 8;

/// Messages shorter or longer than this (in bytes) are not taken.
const LENGTHS: std::ops::RangeInclusive<usize> = 3..=240;

/// `...Error: text` or `error[CODE]: text` at the start of a line or of a
/// comment (`//`, `#`, `--`, `/*`), the text captured: where programs
/// print it, not a parameter or a variable named `error` in code.
fn error_line() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?:^\s*|(?://+|#+|--|/\*+)\s*)[a-z]*error(?:\[[a-z0-9_.-]*\])?:\s*(.+)$")
            .expect("a valid pattern")
    })
}

/// A JSON member that holds an error's message, its string (quotes and
/// escapes as written) captured.
fn json_message() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?i)"(?:message|error_message|errormessage|error_description|detail)"\s*:\s*("(?:[^"\\]|\\.)*")"#,
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
            // Code that goes on (`error: function (e) {`) is no message.
            if !text.ends_with(['{', '(', ',', '[']) && !text.ends_with("=>") {
                add(text, out);
            }
        } else if line.contains('"') {
            for found in json_message().captures_iter(line) {
                if let Ok(text) = serde_json::from_str::<String>(&found[1]) {
                    add(&text, out);
                }
            }
        }
    }
}

/// Adds the messages in the fenced code blocks of `markdown` to `out`.
pub fn in_markdown(markdown: &str, out: &mut Vec<String>) {
    if !markdown.contains("```") && !markdown.contains("~~~") {
        return;
    }
    // The open fence's character and length: a fence closes with at least
    // as many of the same character and nothing else.
    let mut fence: Option<(char, usize)> = None;
    for line in markdown.lines() {
        let bare = line.trim_start();
        let marker = bare.chars().next().filter(|c| matches!(c, '`' | '~'));
        let run = marker.map_or(0, |c| bare.chars().take_while(|&x| x == c).count());
        let is_fence = line.len() - bare.len() <= 3 && run >= 3;
        match (fence, marker) {
            (None, Some(c)) if is_fence => fence = Some((c, run)),
            (Some((open, length)), Some(c))
                if is_fence && c == open && run >= length && bare[run..].trim().is_empty() =>
            {
                fence = None;
            }
            (Some(_), _) => in_code(line, out),
            (None, _) => {}
        }
    }
}

/// Adds `text` when it reads as a message: two words or more, of a
/// message's length, not there yet.
fn add(text: &str, out: &mut Vec<String>) {
    let text = text.trim();
    let words = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    if LENGTHS.contains(&text.len()) && words >= 2 && !out.iter().any(|m| m == text) {
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
        let code = "```ts\n\
            try { f() } catch (error: unknown) { log(error) }\n\
            def f(error: Exception) -> None:\n\
            const handle = (error: AxiosError) => {\n\
            console.log(\"error: \" + message);\n\
            error: true,\n\
            error: function (e) {\n\
            ```\n";
        assert_eq!(shown(code), Vec::<String>::new());
        // A fence closes only with as many of its own characters.
        assert_eq!(
            shown("````\n```\nerror: still inside the block\n````\nerror: outside it\n"),
            ["still inside the block"]
        );
        let mut out = Vec::new();
        for _ in 0..20 {
            in_code(&format!("error: message number {}\n", out.len()), &mut out);
        }
        assert_eq!(out.len(), MOST);
    }
}
