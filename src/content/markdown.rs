//! Markdown to HTML: CommonMark plus tables, strikethrough, task lists and
//! footnotes, with errdex's rules layered on pulldown-cmark's events:
//! `code:` links resolved to pages, raw HTML shown as text unless allowed,
//! links with dangerous schemes dropped, heading ids unique per page and
//! footnote ids prefixed per field.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

/// The markdown extensions errdex enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// Where a `code:` link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeTarget {
    /// Path of the page relative to the site root, e.g. `errors/503/index.html`.
    pub path: String,
    /// Text for an empty link, e.g. `503 Service Unavailable`.
    pub label: String,
}

/// Looks up the page of a code.
pub trait CodeLinks {
    /// The page of `code`, if a page documents it.
    fn resolve(&self, code: &str) -> Option<CodeTarget>;
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

/// How to render one markdown field.
pub struct Renderer<'a> {
    /// Resolves `code:` links.
    pub links: &'a dyn CodeLinks,
    /// Relative path from the page to the site root (`../../` on an entry page).
    pub root: &'a str,
    /// Pass raw HTML through instead of showing it as text.
    pub allow_html: bool,
    /// Added to heading levels: a `#` heading in an entry's description becomes an `<h3>`.
    pub heading_offset: usize,
    /// Colour fenced code with `hl-` classes (pages do; exports, read without our stylesheet, do not).
    pub highlight: bool,
}

/// Heading ids already used on a page, so every field's headings stay unique.
#[derive(Debug, Default)]
pub struct PageIds {
    used: HashSet<String>,
    /// Ids taken page-wide, shared by the parts of a page that take ids apart.
    taken: Option<std::sync::Arc<HashSet<String>>>,
    /// What every id made here starts with.
    prefix: String,
}

impl PageIds {
    /// Reserves ids the template uses itself (`causes`, `solutions`, ...).
    pub fn with_reserved(ids: &[&str]) -> Self {
        Self {
            used: ids.iter().map(|id| (*id).to_owned()).collect(),
            ..Self::default()
        }
    }

    /// Ids for one part of a page whose other parts take ids on their own:
    /// each id starts with `prefix` and avoids the page-wide `taken`.
    pub fn within(taken: std::sync::Arc<HashSet<String>>, prefix: &str) -> Self {
        Self {
            used: HashSet::new(),
            taken: Some(taken),
            prefix: prefix.to_owned(),
        }
    }

    /// Reserves one more id.
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_owned());
    }

    /// A unique id for a heading text.
    pub fn unique(&mut self, text: &str) -> String {
        let base = slug(text);
        let base = if base.is_empty() {
            "section".to_owned()
        } else {
            base
        };
        let base = format!("{}{base}", self.prefix);
        let mut id = base.clone();
        let mut n = 1;
        while self.taken.as_ref().is_some_and(|t| t.contains(&id)) || !self.used.insert(id.clone())
        {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }
}

/// A URL-friendly id: lowercase letters and digits, words joined by `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

impl Renderer<'_> {
    /// Renders a block of markdown. `field` prefixes footnote ids so two fields
    /// on one page never clash.
    pub fn render(&self, text: &str, field: &str, ids: &mut PageIds) -> String {
        if is_plain(text) {
            return plain_html(text, false);
        }
        self.render_parsed(text, field, ids)
    }

    /// [`Renderer::render`] through the parser, whatever the text.
    fn render_parsed(&self, text: &str, field: &str, ids: &mut PageIds) -> String {
        let events: Vec<Event> = Parser::new_ext(text, options()).collect();
        self.html_of(events, text.len(), field, ids)
    }

    fn html_of(
        &self,
        events: Vec<Event<'_>>,
        len: usize,
        field: &str,
        ids: &mut PageIds,
    ) -> String {
        let events = self.transform(events, field, ids);
        let mut html = String::with_capacity(len * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    /// Renders markdown that is usually one short paragraph (a step): a single
    /// paragraph comes out without its `<p>` so list items stay tight.
    pub fn render_inline(&self, text: &str, field: &str, ids: &mut PageIds) -> String {
        if is_plain(text) {
            return plain_html(text, true);
        }
        without_paragraph(self.render_parsed(text, field, ids))
    }

    /// [`Renderer::render`] (or [`Renderer::render_inline`] when `inline`)
    /// and [`plain_text`] of the same markdown, which is parsed once.
    pub fn render_and_plain(
        &self,
        text: &str,
        inline: bool,
        field: &str,
        ids: &mut PageIds,
    ) -> (String, String) {
        if is_plain(text) {
            return (plain_html(text, inline), text.to_owned());
        }
        let events: Vec<Event> = Parser::new_ext(text, options()).collect();
        let mut raw = String::with_capacity(text.len());
        events.iter().for_each(|event| push_plain(&mut raw, event));
        let html = self.html_of(events, text.len(), field, ids);
        let html = if inline {
            without_paragraph(html)
        } else {
            html
        };
        (html, spaced(&raw))
    }

    fn transform<'e>(
        &self,
        events: Vec<Event<'e>>,
        field: &str,
        ids: &mut PageIds,
    ) -> Vec<Event<'e>> {
        let mut out = Vec::with_capacity(events.len());
        let mut dropped_links = Vec::new();
        let mut footnotes: HashMap<String, usize> = HashMap::new();
        let mut anchors = Vec::new();
        let mut iter = events.into_iter().peekable();
        while let Some(event) = iter.next() {
            match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let (event, dropped, label) = self.link(link_type, dest_url, title, id);
                    dropped_links.push(dropped);
                    if let Some(event) = event {
                        out.push(event);
                    }
                    if let (Some(label), Some(Event::End(TagEnd::Link))) = (label, iter.peek()) {
                        out.push(Event::Text(label.into()));
                    }
                }
                Event::End(TagEnd::Link) => {
                    if !dropped_links.pop().unwrap_or(false) {
                        out.push(Event::End(TagEnd::Link));
                    }
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest_url = match link_kind(&dest_url) {
                        LinkKind::Safe | LinkKind::Insecure => dest_url,
                        LinkKind::Code(_) | LinkKind::Unsafe(_) => CowStr::Borrowed(""),
                    };
                    out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                Event::Html(html) | Event::InlineHtml(html) if !self.allow_html => {
                    out.push(Event::Text(html));
                }
                Event::Start(Tag::Heading {
                    level,
                    classes,
                    attrs,
                    ..
                }) => {
                    let (text, has_link) = heading_text(iter.clone());
                    let id = ids.unique(&text);
                    // The heading links to itself (as on MDN), unless it holds a link already.
                    let anchor =
                        (!has_link).then(|| format!("<a class=\"anchor\" href=\"#{id}\">"));
                    anchors.push(anchor.is_some());
                    let id = Some(CowStr::from(id));
                    let level = shift(level, self.heading_offset);
                    out.push(Event::Start(Tag::Heading {
                        level,
                        id,
                        classes,
                        attrs,
                    }));
                    if let Some(anchor) = anchor {
                        out.push(Event::InlineHtml(anchor.into()));
                    }
                }
                Event::End(TagEnd::Heading(level)) => {
                    if anchors.pop().unwrap_or(false) {
                        out.push(Event::InlineHtml("</a>".into()));
                    }
                    out.push(Event::End(TagEnd::Heading(shift(
                        level,
                        self.heading_offset,
                    ))));
                }
                Event::FootnoteReference(label) => {
                    let next = footnotes.len() + 1;
                    let n = *footnotes.entry(label.to_string()).or_insert(next);
                    let id = slug(&label);
                    out.push(Event::Html(
                        format!(
                            "<sup class=\"footnote-reference\"><a href=\"#{field}-fn-{id}\" id=\"{field}-fnref-{id}\">{n}</a></sup>"
                        )
                        .into(),
                    ));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let next = footnotes.len() + 1;
                    let n = *footnotes.entry(label.to_string()).or_insert(next);
                    let id = slug(&label);
                    out.push(Event::Html(
                        format!(
                            "<div class=\"footnote-definition\" id=\"{field}-fn-{id}\"><sup class=\"footnote-definition-label\">{n}</sup>"
                        )
                        .into(),
                    ));
                }
                Event::End(TagEnd::FootnoteDefinition) => out.push(Event::Html("</div>\n".into())),
                Event::Start(Tag::CodeBlock(kind)) => {
                    let mut code = String::new();
                    let mut inner = Vec::new();
                    for event in iter.by_ref() {
                        match event {
                            Event::End(TagEnd::CodeBlock) => break,
                            Event::Text(text) => {
                                code.push_str(&text);
                                inner.push(Event::Text(text));
                            }
                            other => inner.push(other),
                        }
                    }
                    let html = if self.highlight {
                        code_block_html(&kind, &code)
                    } else {
                        None
                    };
                    match html {
                        Some(html) => out.push(Event::Html(html.into())),
                        None => {
                            out.push(Event::Start(Tag::CodeBlock(kind)));
                            out.extend(inner);
                            out.push(Event::End(TagEnd::CodeBlock));
                        }
                    }
                }
                other => out.push(other),
            }
        }
        out
    }

    /// The start event of a link (or none when it is dropped), whether it was
    /// dropped, and the text to fill in for an empty `[](code:...)` link.
    fn link<'e>(
        &self,
        link_type: LinkType,
        dest_url: CowStr<'e>,
        title: CowStr<'e>,
        id: CowStr<'e>,
    ) -> (Option<Event<'e>>, bool, Option<String>) {
        let (dest_url, label) = match link_kind(&dest_url) {
            LinkKind::Code(code) => match self.links.resolve(code) {
                Some(target) => (
                    format!("{}{}", self.root, target.path).into(),
                    Some(target.label),
                ),
                None => return (None, true, Some(code.to_owned())),
            },
            LinkKind::Unsafe(_) => return (None, true, None),
            LinkKind::Safe | LinkKind::Insecure => (dest_url, None),
        };
        let event = Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        });
        (Some(event), false, label)
    }
}

/// A fenced block in a language the highlighter knows, as highlighted HTML
/// in the same `<pre><code class="language-…">` shape pulldown-cmark writes.
fn code_block_html(kind: &CodeBlockKind<'_>, code: &str) -> Option<String> {
    let CodeBlockKind::Fenced(info) = kind else {
        return None;
    };
    let language = info.split([' ', ',', '{']).next().unwrap_or_default();
    // Only plain names go into the class attribute unescaped.
    let plain = |c: char| c.is_ascii_alphanumeric() || "+#-_.".contains(c);
    if language.is_empty() || !language.chars().all(plain) {
        return None;
    }
    let body = crate::render::highlight::highlight(code, language)?;
    Some(format!(
        "<pre><code class=\"language-{language}\">{body}</code></pre>\n"
    ))
}

fn shift(level: HeadingLevel, offset: usize) -> HeadingLevel {
    let n = (level as usize + offset).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

/// A heading's text, and whether it contains a link.
fn heading_text<'e>(events: impl Iterator<Item = Event<'e>>) -> (String, bool) {
    let mut text = String::new();
    let mut has_link = false;
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::Start(Tag::Link { .. }) => has_link = true,
            _ => {}
        }
    }
    (text, has_link)
}

/// Whether `text` is one line of words that markdown leaves as it is: a
/// paragraph holding exactly this text, with nothing to escape. Most steps
/// and causes are such sentences, and parsing each one costs far more than
/// this look at its bytes (the per-code JSON renders every step to HTML and
/// to plain text, and the page renders it again).
fn is_plain(text: &str) -> bool {
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

/// What the parser makes of a text [`is_plain`] accepts: one paragraph
/// holding the text as it is (without the `<p>` when `inline`).
fn plain_html(text: &str, inline: bool) -> String {
    if inline {
        text.to_owned()
    } else {
        format!("<p>{text}</p>\n")
    }
}

/// Words separated by single spaces.
fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A single paragraph's HTML without its `<p>`; anything else as it is.
fn without_paragraph(html: String) -> String {
    match html
        .trim_end()
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => html,
    }
}

/// The text of markdown without markup, blocks separated by a space, spacing
/// left as written: for the search index, which splits words itself.
pub fn plain_text_unspaced(text: &str) -> String {
    if is_plain(text) {
        return format!("{text} ");
    }
    plain_text_parsed(text)
}

/// [`plain_text_unspaced`] through the parser, whatever the text.
fn plain_text_parsed(text: &str) -> String {
    let mut raw = String::with_capacity(text.len());
    for event in Parser::new_ext(text, options()) {
        push_plain(&mut raw, &event);
    }
    raw
}

/// Adds what `event` shows as plain text: its text, or a space between blocks.
fn push_plain(raw: &mut String, event: &Event<'_>) {
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
fn rewrite_code_links_parsed(
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

/// Deepest nesting of block quotes and lists accepted in one line of
/// markdown. Each level is an element in the page; four million `>` in one
/// line made four million of them, gigabytes in memory.
pub const MAX_NESTING: usize = 32;

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
        let depth = container_markers(line);
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
fn scan_parsed(text: &str) -> Scan {
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

    struct Links;
    impl CodeLinks for Links {
        fn resolve(&self, code: &str) -> Option<CodeTarget> {
            (code == "503").then(|| CodeTarget {
                path: "errors/503/index.html".into(),
                label: "503 Service Unavailable".into(),
            })
        }
    }

    fn render(text: &str, allow_html: bool) -> String {
        let renderer = Renderer {
            links: &Links,
            root: "../../",
            allow_html,
            heading_offset: 2,
            highlight: true,
        };
        renderer.render(text, "description", &mut PageIds::default())
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
    }

    #[test]
    fn code_links_resolve_and_empty_ones_get_a_label() {
        assert_eq!(
            render("See [this](code:503) and [](code:503).", false),
            "<p>See <a href=\"../../errors/503/index.html\">this</a> and \
             <a href=\"../../errors/503/index.html\">503 Service Unavailable</a>.</p>\n"
        );
    }

    #[test]
    fn raw_html_is_text_unless_allowed() {
        assert_eq!(
            render("a <script>x()</script> b", false),
            "<p>a &lt;script&gt;x()&lt;/script&gt; b</p>\n"
        );
        assert_eq!(render("a <b>x</b>", true), "<p>a <b>x</b></p>\n");
    }

    #[test]
    fn dangerous_links_become_text() {
        assert_eq!(
            render("[click](javascript:alert(1))", false),
            "<p>click</p>\n"
        );
        assert_eq!(render("[x](&#106;avascript:alert(1))", false), "<p>x</p>\n");
        assert_eq!(
            render("![i](data:image/png;base64,xx)", false),
            "<p><img src=\"\" alt=\"i\" /></p>\n"
        );
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
    fn headings_shift_and_get_unique_ids() {
        let mut ids = PageIds::with_reserved(&["causes"]);
        let renderer = Renderer {
            links: &Links,
            root: "",
            allow_html: false,
            heading_offset: 2,
            highlight: true,
        };
        assert_eq!(
            renderer.render("# Causes\n## Causes", "d", &mut ids),
            "<h3 id=\"causes-2\"><a class=\"anchor\" href=\"#causes-2\">Causes</a></h3>\n\
             <h4 id=\"causes-3\"><a class=\"anchor\" href=\"#causes-3\">Causes</a></h4>\n"
        );
        // A heading holding a link keeps it, without a link around it.
        assert_eq!(
            renderer.render("# See [docs](https://x.test)", "d", &mut ids),
            "<h3 id=\"see-docs\">See <a href=\"https://x.test\">docs</a></h3>\n"
        );
    }

    #[test]
    fn footnotes_are_prefixed_by_field() {
        let html = render("Hi[^1].\n\n[^1]: Note.", false);
        assert!(html.contains("href=\"#description-fn-1\""), "{html}");
        assert!(html.contains("id=\"description-fn-1\""), "{html}");
    }

    /// A renderer for pages, links resolved by [`Links`].
    fn renderer() -> Renderer<'static> {
        Renderer {
            links: &Links,
            root: "",
            allow_html: false,
            heading_offset: 0,
            highlight: true,
        }
    }

    #[test]
    fn single_paragraph_steps_render_inline() {
        let renderer = renderer();
        assert_eq!(
            renderer.render_inline("**Retry** now", "s", &mut PageIds::default()),
            "<strong>Retry</strong> now"
        );
    }

    #[test]
    fn shortcuts_past_the_parser_come_out_the_same() {
        let renderer = renderer();
        let mut texts: Vec<String> = [
            "Retry the request.",
            "The key (sk-...) is 'revoked': ask an admin \"now\"?",
            "Costs $5 = 100% of quota, or {more} @ 3/min + fees - credits.",
            "Größe überschritten; prüfe den Wert.",
            "Two\u{a0}words",
            "Ends with a break  ",
            "Has  two spaces",
            "1. A list item",
            "- A bullet",
            "Tab\there",
            "Line\nbreak",
            "See [E1](code:E1)",
            "Use `model`",
            "A <b>tag</b> & more",
            "Escaped \\* star",
            "Trailing space ",
            " Leading space",
            "[E1](code:E1) first",
            "![alt](img.png)",
            "<https://example.com>",
            "A [ref][r] link\n\n[r]: code:E2",
            "A footnote[^1].\n\n[^1]: The note.",
            "<div>\nblock html\n</div>",
            "",
        ]
        .map(str::to_owned)
        .to_vec();
        // Every sentence the corpus generator writes, as real catalogs have them.
        let dir = tempfile::tempdir().unwrap();
        crate::testing::corpus::write_site(40, dir.path(), 7).unwrap();
        for file in walkdir::WalkDir::new(dir.path().join("content")) {
            let file = file.unwrap();
            if file.file_type().is_file() {
                let yaml = std::fs::read_to_string(file.path()).unwrap();
                texts.extend(yaml.lines().filter_map(|line| {
                    let quoted = line
                        .trim()
                        .trim_start_matches("- ")
                        .trim_start_matches("text: ");
                    serde_json::from_str::<String>(quoted).ok()
                }));
            }
        }
        let shortcut = texts.iter().filter(|t| is_plain(t)).count();
        assert!(shortcut > 100, "the corpus has plain sentences: {shortcut}");
        for text in &texts {
            let mut ids = PageIds::default();
            let block = renderer.render_parsed(text, "s", &mut ids);
            assert_eq!(renderer.render(text, "s", &mut ids), block, "{text:?}");
            let inline = without_paragraph(block.clone());
            assert_eq!(
                renderer.render_inline(text, "s", &mut ids),
                inline,
                "{text:?}"
            );
            let unspaced = plain_text_parsed(text);
            assert_eq!(plain_text_unspaced(text), unspaced, "{text:?}");
            let plain = unspaced.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(plain_text(text), plain, "{text:?}");
            assert_eq!(
                renderer.render_and_plain(text, false, "s", &mut PageIds::default()),
                (block.clone(), plain.clone()),
                "{text:?}"
            );
            assert_eq!(
                renderer.render_and_plain(text, true, "s", &mut PageIds::default()),
                (inline, plain.clone()),
                "{text:?}"
            );
            assert_eq!(scan(text), scan_parsed(text), "{text:?}");
            let resolve = |code: &str| Some((format!("/errors/{code}/"), format!("{code} label")));
            assert_eq!(
                rewrite_code_links(text, &resolve),
                rewrite_code_links_parsed(text, &resolve),
                "{text:?}"
            );
        }
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
