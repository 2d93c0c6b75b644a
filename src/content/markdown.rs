//! Reading markdown: errdex's CommonMark dialect (tables, strikethrough,
//! task lists, footnotes), what a link's destination is, the links and raw
//! HTML a text holds and how deep it nests, for the rules; its plain text,
//! for search and exports; `code:` links made absolute for standalone
//! markdown. Rendering to HTML is `render::markdown`.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The markdown extensions errdex enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// What kind of destination a link has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind<'a> {
    /// `code:CODE`: a page of this site.
    Code(&'a str),
    /// A relative URL, an anchor, https or mailto.
    Safe,
    /// `http://`: works, but not encrypted.
    Insecure,
    /// A scheme that can run code or read local files (`javascript:`, `data:`, ...).
    Unsafe(String),
}

/// Classifies a link destination.
pub fn link_kind(url: &str) -> LinkKind<'_> {
    if let Some(code) = url.strip_prefix("code:") {
        return LinkKind::Code(code);
    }
    // Browsers ignore whitespace and control characters inside a scheme.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    let scheme_end = cleaned.find(':');
    let path_start = cleaned.find(['/', '?', '#']);
    let scheme = match (scheme_end, path_start) {
        (Some(colon), Some(path)) if colon > path => None,
        (Some(colon), _) => Some(cleaned[..colon].to_ascii_lowercase()),
        (None, _) => None,
    };
    match scheme.as_deref() {
        None | Some("https" | "mailto" | "tel") => LinkKind::Safe,
        Some("http") => LinkKind::Insecure,
        Some(other) => LinkKind::Unsafe(other.to_owned()),
    }
}

/// Whether `text` is one line of words that markdown leaves as it is: a
/// paragraph holding exactly this text, with nothing to escape. Most steps
/// and causes are such sentences, and parsing each one costs far more than
/// this look at its bytes (the per-code JSON renders every step to HTML and
/// to plain text, and the page renders it again).
pub fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Starting with a letter rules out every block: lists (`-`, `1.`),
    // headings, quotes, indented code, tables and thematic breaks.
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && !bytes.ends_with(b" ")
        && !bytes.windows(2).any(|pair| pair == b"  ")
        && bytes.iter().all(|&b| {
            b >= 0x80
                || b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b' ' | b'.' | b',' | b';' | b':' | b'?' | b'\'' | b'"' | b'(' | b')'
                        | b'/' | b'%' | b'$' | b'@' | b'=' | b'+' | b'-' | b'{' | b'}'
                )
        })
        // Other spaces would split words in `plain_text`.
        && (text.is_ascii() || !text.chars().any(|c| c.is_whitespace() && c != ' '))
}

/// The text of markdown without any markup, words separated by single spaces:
/// for search, meta descriptions and plain-text exports.
pub fn plain_text(text: &str) -> String {
    if is_plain(text) {
        return text.to_owned();
    }
    spaced(&plain_text_parsed(text))
}

/// Words separated by single spaces.
pub fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The text of markdown without markup, blocks separated by a space, spacing
/// left as written: for the search index, which splits words itself.
pub fn plain_text_unspaced(text: &str) -> String {
    if is_plain(text) {
        return format!("{text} ");
    }
    plain_but_code_spans(text).unwrap_or_else(|| plain_text_parsed(text))
}

/// [`plain_text_unspaced`] of a text that is plain but for code spans
/// (`` `name` ``), without the parser: the text with their backticks
/// dropped. `None` for any other text, and for code spans the parser reads
/// otherwise (empty, or with a space at an end, or a double backtick).
fn plain_but_code_spans(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len() < 3 || parts.len().is_multiple_of(2) {
        return None;
    }
    let spans_plain = parts
        .iter()
        .skip(1)
        .step_by(2)
        .all(|span| !span.is_empty() && !span.starts_with(' ') && !span.ends_with(' '));
    let without = parts.concat();
    (spans_plain && is_plain(&without)).then(|| format!("{without} "))
}

/// [`plain_text_unspaced`] through the parser, whatever the text.
pub(crate) fn plain_text_parsed(text: &str) -> String {
    let mut raw = String::with_capacity(text.len());
    for event in Parser::new_ext(text, options()) {
        push_plain(&mut raw, &event);
    }
    raw
}

/// Adds what `event` shows as plain text: its text, or a space between blocks.
pub fn push_plain(raw: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => raw.push_str(t),
        Event::SoftBreak | Event::HardBreak | Event::Rule => raw.push(' '),
        Event::End(
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::CodeBlock
            | TagEnd::TableCell
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition,
        ) => raw.push(' '),
        _ => {}
    }
}

/// Rewrites `[text](code:CODE)` links for markdown read outside the site: the
/// destination becomes `url`, and an empty text becomes `label`.
pub fn rewrite_code_links(
    text: &str,
    resolve: &dyn Fn(&str) -> Option<(String, String)>,
) -> String {
    // Only inline links are rewritten, and each holds `](`.
    if !text.contains("](") {
        return text.to_owned();
    }
    rewrite_code_links_parsed(text, resolve)
}

/// [`rewrite_code_links`] through the parser, whatever the text.
pub(crate) fn rewrite_code_links_parsed(
    text: &str,
    resolve: &dyn Fn(&str) -> Option<(String, String)>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let LinkKind::Code(code) = link_kind(&dest_url) else {
            continue;
        };
        let source = &text[range.clone()];
        let (Some((url, label)), Some(middle)) = (resolve(code), source.rfind("](")) else {
            continue;
        };
        if !source.starts_with('[') || range.start < copied {
            continue;
        }
        let shown = &source[1..middle];
        let shown = if shown.trim().is_empty() {
            label.as_str()
        } else {
            shown
        };
        out.push_str(&text[copied..range.start]);
        out.push_str(&format!("[{shown}]({url})"));
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// A link found in markdown, with its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The destination as written.
    pub url: String,
    /// Byte range of the whole link in the markdown text.
    pub range: std::ops::Range<usize>,
}

/// What validation needs to know about a markdown field.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scan {
    /// Every link and image destination.
    pub links: Vec<FoundLink>,
    /// Byte range of the first raw HTML, if any.
    pub first_html: Option<std::ops::Range<usize>>,
}

/// Deepest nesting of block quotes and lists accepted in markdown. Each
/// level is an element in the page; four million `>` in one line made four
/// million of them, gigabytes in memory.
pub const MAX_NESTING: usize = 32;

/// Largest markdown text accepted in one field: an error's description is
/// a few kilobytes, and the parser's memory grows with what the text holds.
pub const MAX_MARKDOWN_BYTES: usize = 64 * 1024;

/// Where a line of `text` nests quotes and list items deeper than
/// [`MAX_NESTING`]: the byte offset of that line and how deep it goes.
/// Lines inside fenced code blocks are code, not nesting.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut fence: Option<(char, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start_matches(' ');
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(c) = marker {
            let run = trimmed.chars().take_while(|x| *x == c).count();
            if run >= 3 && line.len() - trimmed.len() < 4 {
                match fence {
                    Some((open, len)) if open == c && run >= len => fence = None,
                    None => fence = Some((c, run)),
                    _ => {}
                }
                continue;
            }
        }
        if fence.is_some() {
            continue;
        }
        let markers = container_markers(line);
        // Lists also nest by indentation, two to four columns a level: a
        // marker far to the right sits that many levels deep.
        let indent: usize = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum();
        let depth = if markers == 0 {
            0
        } else {
            markers + indent / 4
        };
        if depth > MAX_NESTING {
            return Some((start, depth));
        }
    }
    None
}

/// How many block quote (`>`) and list item markers (`-`, `*`, `+`, `1.`,
/// `1)`) open one line, one inside the other.
fn container_markers(line: &str) -> usize {
    let bytes = line.as_bytes();
    let (mut at, mut depth) = (0, 0);
    loop {
        while at < bytes.len() && (bytes[at] == b' ' || bytes[at] == b'\t') {
            at += 1;
        }
        let Some(&byte) = bytes.get(at) else {
            return depth;
        };
        let spaced = |i: usize| bytes.get(i).is_none_or(|b| b.is_ascii_whitespace());
        let next = match byte {
            b'>' => at + 1,
            b'-' | b'*' | b'+' if spaced(at + 1) => at + 1,
            b'0'..=b'9' => {
                let digits = bytes[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let end = at + digits;
                if digits <= 9 && matches!(bytes.get(end), Some(b'.' | b')')) && spaced(end + 1) {
                    end + 1
                } else {
                    return depth;
                }
            }
            _ => return depth,
        };
        depth += 1;
        at = next;
    }
}

/// Finds links and raw HTML in markdown, with positions, for validation.
pub fn scan(text: &str) -> Scan {
    // Every link, image and piece of raw HTML starts with one of these:
    // `[text](url)`, `[text][ref]`, `<https://…>`, `<tag>`.
    if !text.contains(['[', '<']) {
        return Scan::default();
    }
    scan_parsed(text)
}

/// [`scan`] through the parser, whatever the text.
pub(crate) fn scan_parsed(text: &str) -> Scan {
    let mut scan = Scan::default();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                scan.links.push(FoundLink {
                    url: dest_url.to_string(),
                    range,
                });
            }
            Event::Html(_) | Event::InlineHtml(_) if scan.first_html.is_none() => {
                scan.first_html = Some(range);
            }
            _ => {}
        }
    }
    scan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_in_plain_text_read_as_the_parser_reads_them() {
        for text in [
            "Set `timeout` to 30.",
            "`model` is required, and `max_tokens` too.",
            "Check the `api-key` header and retry.",
            "A `` double `` span.",
            "An ` unbalanced backtick.",
            "Spaced ` code ` span.",
            "Empty `` span.",
            "`1.` starts a list?",
            "Use `a*b` or `<x>`.",
            "Then `x`  twice spaced.",
        ] {
            assert_eq!(plain_text_unspaced(text), plain_text_parsed(text), "{text}");
        }
        assert!(plain_but_code_spans("Set `timeout` to 30.").is_some());
        // Every short text of these characters, made up, reads the same both ways.
        let alphabet = ['a', 'B', ' ', '`', '.', '*', '-', '1', '\'', '\\'];
        let mut seed: u64 = 7;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(seed % 14) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            assert_eq!(
                plain_text_unspaced(&text),
                plain_text_parsed(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn nesting_counts_quotes_and_list_markers_outside_code() {
        assert_eq!(container_markers("> > - 1. * + text\n"), 6);
        assert_eq!(container_markers(">>>> x"), 4);
        assert_eq!(container_markers("-not a list\n"), 0);
        assert_eq!(container_markers("2024. a year\n"), 1);
        let deep = format!("intro\n\n{} x\n", ">".repeat(4_000));
        assert_eq!(too_deep(&deep), Some((7, 4_000)));
        let fenced = format!("```\n{}\n```\nafter\n", ">".repeat(100));
        assert_eq!(too_deep(&fenced), None);
        assert_eq!(too_deep(&format!("{} x", "> ".repeat(MAX_NESTING))), None);
        let indented: String = (0..200)
            .map(|i| format!("{}1. x\n", "   ".repeat(i)))
            .collect();
        assert!(too_deep(&indented).is_some());
        let code = format!("    {}x = 1\n", " ".repeat(200));
        assert_eq!(too_deep(&code), None, "indented code is no nesting");
    }

    #[test]
    fn link_kinds() {
        assert_eq!(link_kind("https://a.b"), LinkKind::Safe);
        assert_eq!(link_kind("../x/"), LinkKind::Safe);
        assert_eq!(link_kind("#top"), LinkKind::Safe);
        assert_eq!(link_kind("/a:b"), LinkKind::Safe);
        assert_eq!(link_kind("http://a.b"), LinkKind::Insecure);
        assert_eq!(
            link_kind("java\tscript:x"),
            LinkKind::Unsafe("javascript".into())
        );
        assert_eq!(link_kind("code:429"), LinkKind::Code("429"));
    }

    #[test]
    fn code_links_are_rewritten_for_standalone_markdown() {
        let resolve =
            |code: &str| Some((format!("https://x/errors/{code}/"), format!("{code} Label")));
        assert_eq!(
            rewrite_code_links(
                "See [this](code:503) or [](code:500), not [x](https://a).",
                &resolve
            ),
            "See [this](https://x/errors/503/) or [500 Label](https://x/errors/500/), not [x](https://a)."
        );
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("**Retry** with `backoff`.\n\n- a\n- b"),
            "Retry with backoff. a b"
        );
    }

    #[test]
    fn scan_finds_links_and_html_with_offsets() {
        let scan = scan("x [a](code:9) <b>y</b>");
        assert_eq!(
            scan.links,
            vec![FoundLink {
                url: "code:9".into(),
                range: 2..13
            }]
        );
        assert_eq!(scan.first_html, Some(14..17));
    }
}
