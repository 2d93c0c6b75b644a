//! Markdown to HTML: CommonMark plus tables, strikethrough, task lists and
//! footnotes, with errdex's rules layered on pulldown-cmark's events:
//! `code:` links resolved to pages, raw HTML shown as text unless allowed,
//! links with dangerous schemes dropped, heading ids unique per page and
//! footnote ids prefixed per field, code blocks highlighted.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use crate::content::markdown::{LinkKind, is_plain, link_kind, options, push_plain, spaced};

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

/// How to render one markdown field.
pub struct Renderer<'a> {
    /// Resolves `code:` links.
    pub links: &'a dyn CodeLinks,
    /// Relative path from the page to the site root (`../../` on an entry page).
    pub root: &'a str,
    /// Pass raw HTML through instead of showing it as text.
    pub allow_html: bool,
    /// Added to heading levels: a `#` heading in an entry's description
    /// becomes an `<h3>`. A heading never goes more than one level below the
    /// one before it (the first: below `heading_offset`, at least `<h2>`),
    /// so the page's outline skips no level: `####` first is an `<h3>`.
    pub heading_offset: usize,
    /// Colour fenced code with `hl-` classes (pages do; exports, read without our stylesheet, do not).
    pub highlight: bool,
    /// The language of code blocks that name none (`code_language`).
    pub code_language: Option<&'a str>,
}

/// Heading ids already used on a page, so every field's headings stay unique.
#[derive(Debug, Default)]
pub struct PageIds {
    used: HashSet<String>,
    /// Ids taken page-wide, shared by the parts of a page that take ids apart.
    taken: Option<std::sync::Arc<HashSet<String>>>,
    /// What every id made here starts with.
    prefix: String,
    /// The number last given to each id that repeats.
    next: HashMap<String, usize>,
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
            next: HashMap::new(),
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
        // Counting on from the last number given for this base keeps many
        // headings of one title linear.
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        if n > 1 {
            id = format!("{base}-{n}");
        }
        while self.taken.as_ref().is_some_and(|t| t.contains(&id)) || !self.used.insert(id.clone())
        {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.next.insert(base, n);
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
    /// and [`plain_text`](crate::content::markdown::plain_text) of the same markdown, which is parsed once.
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
        // The level of the heading before, and of the one open.
        let mut outline = self.heading_offset.max(1);
        let mut open_level = HeadingLevel::H6;
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
                    let level = shift(level, self.heading_offset, outline);
                    outline = level as usize;
                    open_level = level;
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
                Event::End(TagEnd::Heading(_)) => {
                    if anchors.pop().unwrap_or(false) {
                        out.push(Event::InlineHtml("</a>".into()));
                    }
                    out.push(Event::End(TagEnd::Heading(open_level)));
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
                        code_block_html(&kind, &code, self.code_language)
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

/// A code block in a language the highlighter knows, its own or else
/// `default`, as highlighted HTML in the same `<pre><code class="language-…">`
/// shape pulldown-cmark writes.
fn code_block_html(kind: &CodeBlockKind<'_>, code: &str, default: Option<&str>) -> Option<String> {
    let named = match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or_default(),
        CodeBlockKind::Indented => "",
    };
    let language = match (named, default) {
        ("", Some(default)) => default,
        _ => named,
    };
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

/// `level` moved down by `offset`, at most one below `before` and `<h6>`.
fn shift(level: HeadingLevel, offset: usize, before: usize) -> HeadingLevel {
    let n = (level as usize + offset).min(before + 1).min(6);
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

/// What the parser makes of a text [`is_plain`] accepts: one paragraph
/// holding the text as it is (without the `<p>` when `inline`).
fn plain_html(text: &str, inline: bool) -> String {
    if inline {
        text.to_owned()
    } else {
        format!("<p>{text}</p>\n")
    }
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

impl CodeLinks for crate::site::Site {
    fn resolve(&self, code: &str) -> Option<CodeTarget> {
        let card = self.card_of(code)?;
        Some(CodeTarget {
            path: card.page(),
            label: crate::site::code_label(code, card.title),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::{
        plain_text, plain_text_parsed, plain_text_unspaced, rewrite_code_links,
        rewrite_code_links_parsed, scan, scan_parsed,
    };
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
            code_language: None,
        };
        renderer.render(text, "description", &mut PageIds::default())
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
    fn headings_shift_and_get_unique_ids() {
        let mut ids = PageIds::with_reserved(&["causes"]);
        let renderer = Renderer {
            links: &Links,
            root: "",
            allow_html: false,
            heading_offset: 2,
            highlight: true,
            code_language: None,
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
        // No level is skipped: `####` first is an <h3>, then one level at a time.
        assert_eq!(
            renderer.render("#### Deep\n###### Deeper\n# Top", "d", &mut ids),
            "<h3 id=\"deep\"><a class=\"anchor\" href=\"#deep\">Deep</a></h3>\n\
             <h4 id=\"deeper\"><a class=\"anchor\" href=\"#deeper\">Deeper</a></h4>\n\
             <h3 id=\"top\"><a class=\"anchor\" href=\"#top\">Top</a></h3>\n"
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
            code_language: None,
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
}
