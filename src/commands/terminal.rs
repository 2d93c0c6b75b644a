//! Markdown for a terminal: wrapped, indented text with bold, italics, code and
//! lists, coloured only when the output is a terminal.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

use crate::content::markdown;
use crate::diagnostics::Style;

/// How text is laid out.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    /// Colours and emphasis, or plain text.
    pub style: Style,
    /// Columns to wrap at.
    pub width: usize,
}

impl Layout {
    /// The width of the terminal standard output is (at most 100, for
    /// lines that read well; 80 when it is not a terminal or too narrow).
    pub fn detect(style: Style) -> Self {
        let width = terminal_size::terminal_size_of(std::io::stdout())
            .map(|(width, _)| usize::from(width.0))
            .filter(|&c| c >= 40)
            .map_or(80, |c| c.min(100));
        Self { style, width }
    }
}

/// A run of text with one style (an SGR code, or none).
#[derive(Clone, Debug)]
struct Run {
    text: String,
    sgr: Option<&'static str>,
}

/// Renders markdown as lines, the first starting with `first` and the rest
/// with `rest` (a list marker and its hanging indent, for example).
pub fn render(
    text: &str,
    first: &str,
    rest: &str,
    layout: Layout,
    label_of: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut out = Renderer {
        layout,
        label_of,
        out: String::new(),
        runs: Vec::new(),
        styles: Vec::new(),
        lists: Vec::new(),
        first: first.to_owned(),
        rest: rest.to_owned(),
        base: rest.to_owned(),
        pending_first: true,
        link: None,
    };
    for event in Parser::new_ext(text, markdown::options()) {
        out.event(event);
    }
    out.flush();
    out.out
}

struct Renderer<'a> {
    layout: Layout,
    label_of: &'a dyn Fn(&str) -> Option<String>,
    out: String,
    runs: Vec<Run>,
    styles: Vec<&'static str>,
    /// Open lists: the next number of ordered ones.
    lists: Vec<Option<u64>>,
    first: String,
    rest: String,
    /// The indent of the whole block; list items indent from here.
    base: String,
    pending_first: bool,
    /// An open link: where it goes, whether it is a `code:` link, and where its text starts.
    link: Option<(String, bool, usize)>,
}

impl Renderer<'_> {
    fn push(&mut self, text: &str, sgr: Option<&'static str>) {
        self.runs.push(Run {
            text: crate::diagnostics::printable(text).into_owned(),
            sgr: sgr.or_else(|| self.styles.last().copied()),
        });
    }

    fn indent(&self) -> String {
        " ".repeat(self.lists.len().saturating_sub(1) * 2)
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => self.push(&t, None),
            Event::Code(t) => self.push(&t, Some("36")),
            Event::SoftBreak => self.push(" ", None),
            Event::HardBreak => {
                self.flush();
            }
            Event::Rule => {
                self.flush();
                self.out
                    .push_str(&format!("{}{}\n", self.rest, "─".repeat(20)));
            }
            Event::TaskListMarker(done) => self.push(if done { "[x] " } else { "[ ] " }, None),
            Event::Start(Tag::Strong | Tag::Heading { .. }) => self.styles.push("1"),
            Event::Start(Tag::Emphasis) => self.styles.push("3"),
            Event::Start(Tag::Strikethrough) => self.styles.push("9"),
            Event::End(TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough) => {
                self.styles.pop();
            }
            Event::End(TagEnd::Heading(_)) => {
                self.styles.pop();
                self.flush();
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let code = dest_url.strip_prefix("code:").map(str::to_owned);
                let label = code
                    .as_deref()
                    .map(|c| (self.label_of)(c).unwrap_or_else(|| c.to_owned()));
                let target = label.unwrap_or_else(|| dest_url.to_string());
                self.link = Some((target, code.is_some(), self.runs.len()));
                self.styles.push("4");
            }
            Event::End(TagEnd::Link) => {
                self.styles.pop();
                if let Some((target, is_code, start)) = self.link.take() {
                    let shown: String = self.runs[start.min(self.runs.len())..]
                        .iter()
                        .map(|r| r.text.as_str())
                        .collect();
                    if shown.is_empty() {
                        self.push(&target, Some("4"));
                    } else if !is_code && shown != target {
                        self.push(&format!(" ({target})"), Some("2"));
                    }
                }
            }
            Event::Start(Tag::List(start)) => {
                self.flush();
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let marker = format!("{n}. ");
                        *n += 1;
                        marker
                    }
                    _ => "• ".to_owned(),
                };
                let indent = self.indent();
                self.first = format!("{}{indent}{marker}", self.base);
                self.rest = format!("{}{indent}{}", self.base, " ".repeat(marker.width()));
                self.pending_first = true;
            }
            Event::End(TagEnd::Item | TagEnd::Paragraph | TagEnd::TableRow | TagEnd::TableHead) => {
                self.flush()
            }
            Event::End(TagEnd::TableCell) => self.push(" │ ", Some("2")),
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush();
                self.styles.push("2");
            }
            Event::End(TagEnd::CodeBlock) => {
                self.styles.pop();
                let code: String = self.runs.drain(..).map(|r| r.text).collect();
                for line in code.trim_end().lines() {
                    let prefix = format!("{}    ", self.base);
                    self.out
                        .push_str(&format!("{prefix}{}\n", self.layout.style.paint("2", line)));
                }
            }
            _ => {}
        }
    }

    /// Wraps the collected runs into lines.
    fn flush(&mut self) {
        if self.runs.iter().all(|r| r.text.trim().is_empty()) {
            self.runs.clear();
            return;
        }
        let runs = std::mem::take(&mut self.runs);
        let words = words(&runs);
        let style = self.layout.style;
        let mut line = if self.pending_first {
            self.first.clone()
        } else {
            self.rest.clone()
        };
        let mut visible = line.width();
        let mut fresh = true;
        for (word, sgr, space_before) in words {
            let width = word.width();
            let gap = usize::from(space_before && !fresh);
            if !fresh && visible + gap + width > self.layout.width {
                self.out.push_str(line.trim_end());
                self.out.push('\n');
                line = self.rest.clone();
                visible = line.width();
            } else if gap == 1 {
                line.push(' ');
                visible += 1;
            }
            line.push_str(&match sgr {
                Some(code) => style.paint(code, &word),
                None => word,
            });
            visible += width;
            fresh = false;
        }
        self.out.push_str(line.trim_end());
        self.out.push('\n');
        self.pending_first = false;
    }
}

/// Splits runs into words, remembering each word's style and whether a space preceded it.
fn words(runs: &[Run]) -> Vec<(String, Option<&'static str>, bool)> {
    let mut words = Vec::new();
    let mut space = false;
    for run in runs {
        let mut current = String::new();
        for c in run.text.chars() {
            if c.is_whitespace() {
                if !current.is_empty() {
                    words.push((std::mem::take(&mut current), run.sgr, space));
                }
                space = true;
            } else {
                current.push(c);
            }
        }
        if !current.is_empty() {
            words.push((current, run.sgr, space));
            space = false;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(width: usize) -> Layout {
        Layout {
            style: Style::PLAIN,
            width,
        }
    }

    #[test]
    fn paragraphs_wrap_with_a_hanging_indent() {
        let text = render(
            "one two three four five six",
            "  • ",
            "    ",
            plain(16),
            &|_| None,
        );
        assert_eq!(text, "  • one two\n    three four\n    five six\n");
    }

    #[test]
    fn punctuation_stays_attached_to_styled_words() {
        let text = render("Use `backoff`, then **retry**.", "", "", plain(80), &|_| {
            None
        });
        assert_eq!(text, "Use backoff, then retry.\n");
    }

    #[test]
    fn colour_marks_bold_and_code() {
        let layout = Layout {
            style: Style::COLOR,
            width: 80,
        };
        let text = render("**Retry** `now`", "", "", layout, &|_| None);
        assert_eq!(text, "\x1b[1mRetry\x1b[0m \x1b[36mnow\x1b[0m\n");
    }

    #[test]
    fn lists_get_bullets_and_code_links_their_labels() {
        let text = render("- a\n- see [](code:503)", "", "", plain(80), &|c| {
            Some(format!("{c} Service Unavailable"))
        });
        assert_eq!(text, "• a\n• see 503 Service Unavailable\n");
    }
}
