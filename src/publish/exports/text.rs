//! Text exports for people and language models: each entry as a markdown
//! page (`errors/{code}.md`), `llms.txt` (an index per the llms.txt proposal)
//! and `llms-full.txt` (every entry in full).

use std::fmt::Write as _;

use crate::content::entry::{Solutions, Status, Steps};
use crate::content::markdown;
use crate::diagnostics::span::Spanned;
use crate::site::{Site, SiteEntry};

/// Plain text (a title, a summary) as markdown that reads the same: one
/// line, nothing a renderer would take for HTML (`<tag`, `&entity;`), and
/// no brackets, backticks or backslashes that could start a link, an image
/// or code. Other punctuation stays, as readers of the file see it too.
pub(super) fn plain(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.trim();
    let starts_markup = |at: usize, next: &[u8]| {
        text.as_bytes()
            .get(at + 1)
            .is_some_and(|b| next.iter().any(|n| n == b) || b.is_ascii_alphabetic())
    };
    let needs_work = text.char_indices().any(|(i, c)| match c {
        '<' => starts_markup(i, b"/!?"),
        '&' => starts_markup(i, b"#"),
        '\n' | '\r' | '[' | ']' | '`' | '\\' => true,
        _ => false,
    });
    if !needs_work {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        match c {
            '<' if starts_markup(i, b"/!?") => out.push_str("&lt;"),
            '&' if starts_markup(i, b"#") => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '[' | ']' | '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.into()
}

/// A URL as a markdown link destination: in angle brackets, which nothing
/// in it can close, so it cannot end the link early.
fn destination(url: &str) -> String {
    let url: String = url
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .replace('<', "%3C")
        .replace('>', "%3E");
    format!("<{url}>")
}

/// The absolute URL of a code's page and its "code title" label.
fn resolver(site: &Site) -> impl Fn(&str) -> Option<(String, String)> + '_ {
    move |code: &str| {
        let card = site.card_of(code)?;
        Some((
            site.config.absolute_url(&card.dir()),
            plain(&crate::site::code_label(code, card.title)).into_owned(),
        ))
    }
}

fn steps(
    out: &mut String,
    list: &Steps,
    depth: usize,
    resolve: &dyn Fn(&str) -> Option<(String, String)>,
) {
    for step in list.iter() {
        let text = markdown::rewrite_code_links(&step.text.value, resolve);
        let indent = "  ".repeat(depth);
        let mut lines = text.trim().lines();
        if let Some(first) = lines.next() {
            let _ = writeln!(out, "{indent}- {first}");
        }
        for line in lines {
            let _ = writeln!(out, "{indent}  {line}");
        }
        steps(out, &step.steps, depth + 1, resolve);
    }
}

/// One entry as a standalone markdown document, with absolute links.
pub fn entry_markdown(site: &Site, e: &SiteEntry) -> String {
    EntryMarkdown::of(site, e).text
}

/// One entry as markdown whose title is a level-1 heading, and where each of
/// its headings starts: `llms-full.txt` holds the same document a level
/// deeper, made from this one by [`EntryMarkdown::deeper`] instead of being
/// written again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryMarkdown {
    /// The document.
    pub text: String,
    /// The byte offset of every heading's first `#`, in order.
    headings: Vec<usize>,
}

impl EntryMarkdown {
    /// The document of entry `e`.
    pub fn of(site: &Site, e: &SiteEntry) -> Self {
        entry_markdown_marked(site, e)
    }

    /// The document with every heading `levels` deeper.
    pub fn deeper(&self, levels: usize) -> String {
        let mut out = String::with_capacity(self.text.len() + self.headings.len() * levels);
        let mut from = 0;
        for &at in &self.headings {
            out.push_str(&self.text[from..at]);
            out.extend(std::iter::repeat_n('#', levels));
            from = at;
        }
        out.push_str(&self.text[from..]);
        out
    }
}

/// Each message as a fenced block of text, the fence longer than any run
/// of backticks in the message.
fn message_blocks(out: &mut String, messages: &[Spanned<String>]) {
    for message in messages {
        let text = message.value.trim();
        let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        let _ = write!(out, "\n{fence}text\n{text}\n{fence}\n");
    }
}

/// Writes the entry's markdown at level 1, noting each heading (every
/// heading is written here, at the start of a line; markdown from the
/// content keeps its own).
fn entry_markdown_marked(site: &Site, e: &SiteEntry) -> EntryMarkdown {
    let (h2, h3) = ("##", "###");
    let resolve = resolver(site);
    let entry = &e.entry;
    let mut headings = vec![0];
    // A heading that follows a blank line starts one byte into what is written.
    let mut mark = |out: &String, skip: usize| headings.push(out.len() + skip);
    let mut out = format!(
        "# {} {}\n\n> {}\n\n",
        e.code,
        plain(e.title()),
        plain(&entry.summary.value)
    );
    let category = plain(&site.category(e.category).category.title.value);
    let mut facts = vec![format!("- Code: `{}`", e.code)];
    if !e.aliases.is_empty() {
        let aliases: Vec<String> = e.aliases.iter().map(|a| format!("`{a}`")).collect();
        facts.push(format!("- Also returned as: {}", aliases.join(", ")));
    }
    facts.push(format!("- Category: {category}"));
    if let Some(status) = &entry.http_status {
        facts.push(format!("- HTTP status: {}", status.value));
    }
    match entry.retryable {
        Some(true) => facts.push("- Retryable: yes".into()),
        Some(false) => facts.push("- Retryable: no".into()),
        None => {}
    }
    match entry.status() {
        Status::Active => {}
        Status::Deprecated => facts.push("- Status: deprecated".into()),
        Status::Removed => facts.push(match &entry.removed_in {
            Some(version) => format!("- Status: removed in {}", plain(&version.value)),
            None => "- Status: removed".into(),
        }),
    }
    if let Some((url, label)) = entry
        .replaced_by
        .as_ref()
        .and_then(|r| resolve(r.value.as_str()))
    {
        facts.push(format!("- Replaced by: [{label}]({url})"));
    }
    if let Some(since) = &entry.since {
        facts.push(format!("- Since: {}", plain(&since.value)));
    }
    if let Some(reviewed) = &entry.reviewed {
        facts.push(format!("- Last reviewed: {}", plain(&reviewed.value)));
    }
    facts.push(format!(
        "- Page: {}",
        site.config.absolute_url(&crate::layout::entry_dir(&e.code))
    ));
    out.push_str(&facts.join("\n"));
    out.push('\n');
    if let Some(messages) = entry.messages.as_ref().filter(|m| !m.value.is_empty()) {
        mark(&out, 1);
        let _ = write!(out, "\n{h2} What you will see\n");
        message_blocks(&mut out, &messages.value);
    }
    if let Some(description) = &entry.description {
        mark(&out, 1);
        let _ = write!(
            out,
            "\n{h2} Description\n\n{}\n",
            markdown::rewrite_code_links(description.value.trim(), &resolve)
        );
    }
    if let Some(variants) = &entry.variants {
        mark(&out, 1);
        let _ = write!(out, "\n{h2} Variants\n");
        for v in &variants.value {
            mark(&out, 1);
            let _ = write!(
                out,
                "\n{h3} `{}`: {}\n\n{}\n",
                v.kind.value,
                plain(&v.title.value),
                plain(&v.summary.value)
            );
            if let Some(messages) = v.messages.as_ref().filter(|m| !m.value.is_empty()) {
                out.push_str("\nWhat you will see:\n");
                message_blocks(&mut out, &messages.value);
            }
            if let Some(description) = &v.description {
                let _ = write!(
                    out,
                    "\n{}\n",
                    markdown::rewrite_code_links(description.value.trim(), &resolve)
                );
            }
            if let Some(causes) = &v.causes {
                out.push_str("\nPossible causes:\n\n");
                steps(&mut out, &causes.value, 0, &resolve);
            }
            if let Some(solutions) = &v.solutions {
                out.push_str("\nSolutions:\n\n");
                for (_, list) in solutions.value.groups() {
                    steps(&mut out, list, 0, &resolve);
                }
            }
        }
    }
    if let Some(causes) = &entry.causes {
        mark(&out, 1);
        let _ = write!(out, "\n{h2} Possible causes\n\n");
        steps(&mut out, &causes.value, 0, &resolve);
    }
    if let Some(solutions) = &entry.solutions {
        mark(&out, 1);
        let _ = write!(out, "\n{h2} Solutions\n\n");
        match &solutions.value {
            Solutions::List(list) => steps(&mut out, list, 0, &resolve),
            Solutions::ByAudience(groups) => {
                for (key, title) in site.config.audiences() {
                    if let Some((_, list)) = groups.iter().find(|(k, _)| k.value == key.value) {
                        mark(&out, 0);
                        let _ = write!(out, "{h3} {}\n\n", plain(&title.value));
                        steps(&mut out, list, 0, &resolve);
                        out.push('\n');
                    }
                }
            }
        }
    }
    if let Some(examples) = &entry.examples {
        mark(&out, 1);
        let _ = writeln!(out, "\n{h2} Examples");
        for example in &examples.value {
            let title = plain(
                example
                    .title
                    .as_ref()
                    .map_or("Example", |t| t.value.as_str()),
            );
            let language = example.language.as_ref().map_or("", |l| l.value.as_str());
            let body = example.body.value.trim_end();
            let fence = if body.contains("```") { "~~~~" } else { "```" };
            mark(&out, 1);
            let _ = write!(
                out,
                "\n{h3} {title}\n\n{fence}{language}\n{body}\n{fence}\n"
            );
        }
    }
    if let Some(related) = &entry.related {
        mark(&out, 1);
        let _ = write!(out, "\n{h2} Related codes\n\n");
        for code in &related.value {
            if let Some((url, label)) = resolve(code.value.as_str()) {
                let _ = writeln!(out, "- [{label}]({url})");
            }
        }
    }
    if let Some(links) = &entry.links {
        mark(&out, 1);
        let _ = write!(out, "\n{h2} Further reading\n\n");
        for link in &links.value {
            let _ = writeln!(
                out,
                "- [{}]({})",
                plain(&link.title.value),
                destination(&link.url.value)
            );
        }
    }
    EntryMarkdown {
        text: out,
        headings,
    }
}

/// `llms.txt`: the site's title and summary, then every code with its
/// summary, grouped by category, linking to the markdown page of each.
pub fn llms_txt(site: &Site) -> String {
    let config = &site.config;
    let mut out = format!("# {}\n\n", plain(config.title()));
    if let Some(description) = &config.file.description {
        let _ = write!(out, "> {}\n\n", plain(&description.value));
    }
    if let Some(intro) = &config.file.intro {
        let _ = write!(out, "{}\n\n", markdown::plain_text(&intro.value));
    }
    let markdown = config.writes(crate::content::config::CodeOutput::Markdown);
    out.push_str(if markdown {
        "Each code links to its page as markdown; the HTML page is the same URL without `.md`.\n"
    } else {
        "Each code links to its page.\n"
    });
    for group in site.categories() {
        let _ = write!(out, "\n## {}\n\n", plain(&group.category.title.value));
        for e in group.entries {
            let url = if markdown {
                config.absolute_url(&crate::layout::entry_markdown(&e.code))
            } else {
                config.absolute_url(&crate::layout::entry_dir(&e.code))
            };
            let _ = writeln!(
                out,
                "- [{} {}]({url}): {}",
                e.code,
                plain(e.title()),
                plain(&e.entry.summary.value)
            );
        }
    }
    out.push_str("\n## Optional\n\n");
    if config.writes_llms_full(site.entries.len()) {
        let _ = writeln!(
            out,
            "- [Every entry in full]({}): all entries as markdown (one file, or a list of parts for a large catalog)",
            config.absolute_url("llms-full.txt")
        );
    }
    let _ = writeln!(
        out,
        "- [errors.json]({}): every code's summary as JSON",
        config.absolute_url("errors.json")
    );
    out
}

/// What `llms-full.txt` holds before its first entry: the site's title and description.
pub fn llms_full_head(site: &Site) -> String {
    let config = &site.config;
    let mut out = format!("# {}\n\n", plain(config.title()));
    if let Some(description) = &config.file.description {
        let _ = write!(out, "> {}\n\n", plain(&description.value));
    }
    out
}

/// An entry's part of `llms-full.txt`: its markdown a level deeper, then a blank line.
pub fn llms_full_part(markdown: &EntryMarkdown) -> String {
    let mut part = markdown.deeper(1);
    part.push('\n');
    part
}
