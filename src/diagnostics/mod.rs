//! Diagnostics: what went wrong, where, and how to fix it — and their three
//! renderings (human, JSON Lines, GitHub workflow commands).

pub mod rules;
pub mod source;
pub mod span;
pub mod suggest;

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

pub use rules::{Rule, Severity};
use source::{Position, SourceFile};
use span::Span;

/// A place in a file, with the text around it for the snippet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Display path, relative to the site root.
    pub file: String,
    /// First character.
    pub start: Position,
    /// One past the last character.
    pub end: Position,
    /// The source line of `start`, or the part of it around `start` when
    /// the line is long (see [`Location::first_column`]).
    pub line_text: String,
    /// The column of the line at which `line_text` starts (1 when it is
    /// the whole line); the line goes on after it when `cut_after`.
    pub first_column: usize,
    /// Whether the line goes on after `line_text`.
    pub cut_after: bool,
}

/// Lines up to this many bytes are shown whole.
const WHOLE_LINE_BYTES: usize = 512;

/// How much of a longer line a snippet shows, in bytes on each side of the
/// place it points at (and of the place itself at most four times as
/// much): a diagnostic holds and prints a window of its line, as rustc
/// does, never the whole of a minified file's one line.
const WINDOW_BYTES: usize = 80;

impl Location {
    /// The location of `span` in `file`.
    pub fn new(file: &SourceFile, span: Span) -> Self {
        let (start, end) = file.range(span);
        let line = file.line(start.line);
        let line_start = file.offset(start.line, 1);
        let at = span.start().saturating_sub(line_start).min(line.len());
        let until = span.end().saturating_sub(line_start).clamp(at, line.len());
        let (mut from, mut to) = (0, line.len());
        if line.len() > WHOLE_LINE_BYTES {
            from = at.saturating_sub(WINDOW_BYTES);
            to = (until.min(at + 4 * WINDOW_BYTES) + WINDOW_BYTES).min(line.len());
        }
        while !line.is_char_boundary(from) {
            from -= 1;
        }
        while !line.is_char_boundary(to) {
            to += 1;
        }
        Self {
            file: file.path.clone(),
            start,
            end,
            line_text: line[from..to].to_owned(),
            first_column: start.column - crate::diagnostics::source::count_chars(&line[from..at]),
            cut_after: to < line.len(),
        }
    }

    /// A whole file, when there is no better place to point at.
    pub fn file_only(path: impl Into<String>) -> Self {
        Self {
            file: path.into(),
            start: Position::default(),
            end: Position::default(),
            line_text: String::new(),
            first_column: 1,
            cut_after: false,
        }
    }

    fn has_position(&self) -> bool {
        self.start.line > 0
    }
}

/// A secondary place that explains the diagnostic ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// What it is.
    pub label: String,
}

/// One finding of one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: Rule,
    /// Error or warning.
    pub severity: Severity,
    /// One sentence: what is wrong.
    pub message: String,
    /// The place it is wrong, when there is one (boxed: diagnostics travel in `Result`s).
    pub location: Option<Box<Location>>,
    /// A short text shown under the caret.
    pub label: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
    /// Other places that matter.
    pub related: Vec<Related>,
    /// For a "… and N more" line (see [`fold`]), the N findings of the same
    /// rule in the same file it stands for; 0 for an ordinary finding.
    pub more: usize,
}

impl Diagnostic {
    /// A finding of `rule`, with the rule's default severity.
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity(),
            message: message.into(),
            location: None,
            label: None,
            hint: None,
            related: Vec::new(),
            more: 0,
        }
    }

    /// Points the diagnostic at `span` in `file` (read again if its text was released).
    pub fn at(mut self, file: &SourceFile, span: Span) -> Self {
        self.location = Some(Box::new(Location::new(&file.reloaded(), span)));
        self
    }

    /// Points the diagnostic at a whole file.
    pub fn in_file(mut self, path: impl Into<String>) -> Self {
        self.location = Some(Box::new(Location::file_only(path)));
        self
    }

    /// Adds the text shown under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint.or(self.hint);
        self
    }

    /// Adds a secondary location.
    pub fn related(mut self, file: &SourceFile, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related {
            location: Location::new(&file.reloaded(), span),
            label: label.into(),
        });
        self
    }

    /// Whether this finding stops a build (errors always; warnings with `strict`).
    pub fn is_fatal(&self, strict: bool) -> bool {
        self.severity == Severity::Error || strict
    }

    fn sort_key(&self) -> (bool, &str, bool, Position, Rule, &str) {
        let (file, start) = self
            .location
            .as_ref()
            .map_or(("", Position::default()), |l| (l.file.as_str(), l.start));
        (
            file != crate::layout::CONFIG_FILE,
            file,
            // "… and N more" after the findings it follows.
            self.more > 0,
            start,
            self.rule,
            &self.message,
        )
    }
}

/// Puts diagnostics in the order they are shown: the config first, then by file and position.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// How many findings of one rule in one file are shown before the rest are
/// folded into one line: a file that breaks a rule ten thousand times would
/// otherwise print a snippet ten thousand times.
pub const FOLD_AFTER: usize = 50;

/// Keeps the first [`FOLD_AFTER`] findings of each rule in each file of
/// `diagnostics` (sorted by [`sort`]) and replaces the rest with one
/// "… and N more" finding after them; every rule still found in a file is
/// reported at least once.
pub fn fold(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept = Vec::with_capacity(diagnostics.len().min(4096));
    let mut folded: Vec<(Rule, Severity, usize)> = Vec::new();
    let mut counts: rustc_hash::FxHashMap<Rule, usize> = Default::default();
    let mut file: Option<String> = None;
    let flush = |kept: &mut Vec<Diagnostic>, file: &Option<String>, folded: &mut Vec<_>| {
        for (rule, severity, n) in folded.drain(..) {
            kept.push(more_of(rule, severity, file.as_deref(), n));
        }
    };
    for d in diagnostics {
        let this_file = d.location.as_ref().map(|l| l.file.clone());
        if this_file != file {
            flush(&mut kept, &file, &mut folded);
            counts.clear();
            file = this_file;
        }
        let count = counts.entry(d.rule).or_default();
        *count += 1;
        if *count <= FOLD_AFTER || file.is_none() {
            kept.push(d);
            continue;
        }
        match folded.iter_mut().find(|(rule, _, _)| *rule == d.rule) {
            Some((_, severity, n)) => {
                *n += d.more.max(1);
                *severity = (*severity).min(d.severity);
            }
            None => folded.push((d.rule, d.severity, d.more.max(1))),
        }
    }
    flush(&mut kept, &file, &mut folded);
    kept
}

/// Findings as rules make them, at most [`FOLD_AFTER`] of each rule in each
/// file built and kept; the rest are only counted ([`Findings::add`] takes
/// the making of a finding as a closure), so a file that breaks one rule a
/// million times costs a counter, not a million snippets.
#[derive(Debug, Default)]
pub struct Findings<'a> {
    kept: Vec<Diagnostic>,
    counts: rustc_hash::FxHashMap<(&'a str, Rule), usize>,
}

impl<'a> Findings<'a> {
    /// Notes a finding of `rule` in `file`, made by `make` while the rule has
    /// room left in that file.
    pub fn add(&mut self, file: &'a str, rule: Rule, make: impl FnOnce() -> Diagnostic) {
        let count = self.counts.entry((file, rule)).or_default();
        *count += 1;
        if *count <= FOLD_AFTER {
            self.kept.push(make());
        }
    }

    /// Notes a finding already made.
    pub fn push(&mut self, file: &'a str, diagnostic: Diagnostic) {
        self.add(file, diagnostic.rule, || diagnostic);
    }

    /// The kept findings, then one "… and N more" for each rule that
    /// overflowed in a file.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        let mut out = self.kept;
        let mut over: Vec<((&str, Rule), usize)> = self
            .counts
            .into_iter()
            .filter(|(_, count)| *count > FOLD_AFTER)
            .collect();
        over.sort();
        for ((file, rule), count) in over {
            out.push(more_of(
                rule,
                rule.severity(),
                Some(file),
                count - FOLD_AFTER,
            ));
        }
        out
    }
}

/// The finding that stands for `n` more of `rule` in `file`.
fn more_of(rule: Rule, severity: Severity, file: Option<&str>, n: usize) -> Diagnostic {
    let mut summary = Diagnostic::new(rule, format!("… and {n} more `{rule}` in this file"));
    summary.severity = severity;
    summary.more = n;
    if let Some(file) = file {
        summary = summary.in_file(file);
    }
    summary
}

/// Counts of errors and warnings, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
}

impl Tally {
    /// Counts `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut tally = Self::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => tally.errors += d.more.max(1),
                Severity::Warning => tally.warnings += d.more.max(1),
            }
        }
        tally
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (self.errors, self.warnings) {
            (0, 0) => f.write_str("no problems"),
            (e, 0) => f.write_str(&plural(e, "error")),
            (0, w) => f.write_str(&plural(w, "warning")),
            (e, w) => write!(f, "{} and {}", plural(e, "error"), plural(w, "warning")),
        }
    }
}

/// The width of the terminal on standard error, when it is one.
pub fn terminal_width() -> Option<usize> {
    terminal_size::terminal_size_of(std::io::stderr())
        .or_else(terminal_size::terminal_size)
        .map(|(width, _)| usize::from(width.0))
}

/// Terminal colours, or none, and the width to draw snippets in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    enabled: bool,
    width: usize,
}

/// The width snippets are drawn in when the output is not a terminal (a CI
/// log, a file): wide enough for any line of an entry, the same everywhere.
const PLAIN_WIDTH: usize = 140;

impl Style {
    /// Colours on.
    pub const COLOR: Style = Style {
        enabled: true,
        width: PLAIN_WIDTH,
    };
    /// Colours off.
    pub const PLAIN: Style = Style {
        enabled: false,
        width: PLAIN_WIDTH,
    };

    /// Colour when `is_terminal` and the user has not set `NO_COLOR`; on a
    /// terminal, its width.
    pub fn detect(is_terminal: bool) -> Self {
        let mut style = Self::choose(is_terminal, std::env::var_os("NO_COLOR").as_deref());
        if is_terminal && let Some(width) = terminal_width() {
            style.width = width;
        }
        style
    }

    /// Colour only on a terminal, and never when `NO_COLOR` is set to anything
    /// but the empty string (<https://no-color.org>).
    pub fn choose(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> Self {
        let no_color = no_color.is_some_and(|v| !v.is_empty());
        Self {
            enabled: is_terminal && !no_color,
            width: PLAIN_WIDTH,
        }
    }

    /// Wraps `text` in an SGR sequence (e.g. `"1;31"` for bold red) when colours are on.
    pub fn paint(self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn severity(self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
        };
        self.paint(code, severity.as_str())
    }
}

/// Renders a diagnostic the way rustc does: a `path:line:col: error[rule]: message`
/// header, then the source line with a caret under the value and a `help:`
/// line, drawn by annotate-snippets (the renderer rustc uses).
pub fn render_human(d: &Diagnostic, style: Style) -> String {
    let mut out = String::new();
    if let Some(location) = &d.location {
        out.push_str(&style.paint("1", &printable(&location_prefix(location))));
        out.push_str(": ");
    }
    let _ = writeln!(
        out,
        "{}{}: {}",
        style.severity(d.severity),
        style.paint("1", &format!("[{}]", d.rule)),
        style.paint("1", &printable(&d.message))
    );
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let renderer = if style.enabled {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .term_width(style.width);
    // The snippets of the place and of each related place, each with its
    // own `:::` line as rustc draws them; the help goes under the last.
    let primary = d
        .location
        .as_deref()
        .filter(|l| l.has_position())
        .map(|l| (l, AnnotationKind::Primary, d.label.as_deref(), None));
    let related = d.related.iter().map(|r| {
        (
            &r.location,
            AnnotationKind::Context,
            Some(r.label.as_str()),
            Some(location_prefix(&r.location)),
        )
    });
    let parts: Vec<_> = primary.into_iter().chain(related).collect();
    // The gutter fits the widest line number of every part.
    let gutter = parts
        .iter()
        .map(|(l, ..)| l.start.line.to_string().len())
        .max()
        .unwrap_or(1);
    let shown: Vec<(String, std::ops::Range<usize>)> =
        parts.iter().map(|(l, ..)| shown_line(l)).collect();
    let last = parts.len().saturating_sub(1);
    for (i, ((location, kind, label, heading), (text, span))) in
        parts.iter().zip(&shown).enumerate()
    {
        if let Some(heading) = heading {
            let pad = " ".repeat(gutter);
            let heading = printable(heading);
            let _ = writeln!(out, "{pad}{} {heading}", style.paint("1;34", ":::"));
        }
        let mut annotation = (*kind).span(span.clone());
        let label = label.map(printable);
        if let Some(label) = &label {
            annotation = annotation.label(label.as_ref());
        }
        let snippet = Snippet::source(text.as_str())
            .line_start(location.start.line)
            .fold(false)
            .annotation(annotation);
        let mut group = Group::with_level(level.clone()).element(snippet);
        let hint = d.hint.as_deref().map(printable);
        if i == last
            && let Some(hint) = &hint
        {
            group = group.element(Level::HELP.message(hint.as_ref()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push('\n');
    }
    if parts.is_empty()
        && let Some(hint) = d.hint.as_deref().map(printable)
    {
        let pad = " ".repeat(gutter + 1);
        let _ = writeln!(
            out,
            "{pad}{} {}: {hint}",
            style.paint("1;34", "="),
            style.paint("1", "help")
        );
    }
    out
}

fn location_prefix(location: &Location) -> String {
    if location.has_position() {
        format!(
            "{}:{}:{}",
            location.file, location.start.line, location.start.column
        )
    } else {
        location.file.clone()
    }
}

/// The line a location shows (`…` where its window cuts it) and the byte
/// range of the place in it.
fn shown_line(location: &Location) -> (String, std::ops::Range<usize>) {
    let before = if location.first_column > 1 { "…" } else { "" };
    let mut text = String::from(before);
    // The byte offset in `text` of each character of the line, and its end.
    let mut offsets = Vec::with_capacity(location.line_text.len() + 1);
    for c in location.line_text.chars() {
        offsets.push(text.len());
        push_printable(&mut text, c);
    }
    offsets.push(text.len());
    if location.cut_after {
        text.push('…');
    }
    let byte_of = |column: usize| {
        let skip = column.saturating_sub(location.first_column);
        offsets[skip.min(offsets.len() - 1)]
    };
    let start = byte_of(location.start.column);
    let end = if location.end.line == location.start.line {
        byte_of(location.end.column).max(start)
    } else {
        offsets[offsets.len() - 1]
    };
    (text, start..end)
}

/// `text` as it can be shown on a terminal: a control character (an escape
/// sequence from a file would otherwise drive the terminal) is shown as
/// `\u{…}`; tabs and line breaks stay.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_printable(&mut out, c);
    }
    out.into()
}

fn needs_escape(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

fn push_printable(out: &mut String, c: char) {
    if needs_escape(c) {
        let _ = write!(out, "{}", c.escape_unicode());
    } else {
        out.push(c);
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end: Option<Position>,
    message: &'a str,
    hint: Option<&'a str>,
}

/// Renders a diagnostic as one line of JSON (the `--format json` contract).
pub fn render_json(d: &Diagnostic) -> String {
    let located = d.location.as_deref().filter(|l| l.has_position());
    let json = JsonDiagnostic {
        rule: d.rule.name(),
        severity: d.severity,
        file: d.location.as_ref().map(|l| l.file.as_str()),
        line: located.map(|l| l.start.line),
        column: located.map(|l| l.start.column),
        end: located.map(|l| l.end),
        message: &d.message,
        hint: d.hint.as_deref(),
    };
    serde_json::to_string(&json).expect("diagnostics serialize to JSON")
}

/// Renders a diagnostic as a GitHub Actions workflow command, so pull requests
/// show it on the YAML line. `prefix` is the site root relative to the repository.
pub fn render_github(d: &Diagnostic, prefix: &str) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = Vec::new();
    if let Some(location) = &d.location {
        properties.push(format!(
            "file={}",
            escape_property(&format!("{prefix}{}", location.file))
        ));
        if location.has_position() {
            properties.push(format!("line={}", location.start.line));
            properties.push(format!("col={}", location.start.column));
            if location.end.line >= location.start.line {
                properties.push(format!("endLine={}", location.end.line));
                if location.end.line == location.start.line {
                    properties.push(format!("endColumn={}", location.end.column));
                }
            }
        }
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("errdex {}", d.rule))
    ));
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str("\nhelp: ");
        message.push_str(hint);
    }
    format!(
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (SourceFile, Diagnostic) {
        let file = SourceFile::new(
            "content/errors/429.yaml",
            "content/errors/429.yaml",
            "code: 429\ntitel: Too many\n".into(),
        );
        let d = Diagnostic::new(Rule::UnknownKey, "unknown key `titel` in an entry")
            .at(&file, Span::new(10, 5))
            .label("not a known key")
            .hint("did you mean `title`?");
        (file, d)
    }

    #[test]
    fn human_rendering_has_path_line_column_snippet_and_help() {
        let (_, d) = sample();
        assert_eq!(
            render_human(&d, Style::PLAIN),
            "content/errors/429.yaml:2:1: error[unknown-key]: unknown key `titel` in an entry\n  \
             |\n2 | titel: Too many\n  | ^^^^^ not a known key\n  |\n  = help: did you mean `title`?\n"
        );
    }

    #[test]
    fn json_rendering_is_one_stable_object() {
        let (_, d) = sample();
        assert_eq!(
            render_json(&d),
            r#"{"rule":"unknown-key","severity":"error","file":"content/errors/429.yaml","line":2,"column":1,"end":{"line":2,"column":6},"message":"unknown key `titel` in an entry","hint":"did you mean `title`?"}"#
        );
    }

    #[test]
    fn github_rendering_escapes_and_annotates_the_line() {
        let (_, d) = sample();
        assert_eq!(
            render_github(&d, "site/"),
            "::error file=site/content/errors/429.yaml,line=2,col=1,endLine=2,endColumn=6,\
             title=errdex unknown-key::unknown key `titel` in an entry%0Ahelp: did you mean `title`?"
        );
    }

    #[test]
    fn tabs_are_expanded_under_the_caret() {
        let file = SourceFile::new("a.yaml", "a.yaml", "\tcode: x\n".into());
        let d = Diagnostic::new(Rule::InvalidCode, "bad").at(&file, Span::new(7, 1));
        let text = render_human(&d, Style::PLAIN);
        assert!(
            text.contains("1 |     code: x\n  |           ^\n"),
            "{text}"
        );
    }

    #[test]
    fn a_long_line_shows_a_window_with_the_caret_in_place() {
        let line = format!(
            "{{{}bad: 1, {}}}",
            "ék: 1, ".repeat(200),
            "k: 1, ".repeat(200)
        );
        let at = line.find("bad").unwrap();
        let file = SourceFile::new("a.yaml", "a.yaml", format!("{line}\n"));
        let d = Diagnostic::new(Rule::UnknownKey, "bad").at(&file, Span::new(at, 3));
        let text = render_human(&d, Style::PLAIN);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("a.yaml:1:1402:"), "{}", lines[0]);
        let shown = lines[2].strip_prefix("1 | ").unwrap();
        let caret = lines[3].strip_prefix("  | ").unwrap();
        assert!(shown.starts_with('…'), "{shown}");
        assert!(shown.ends_with('…') || shown.ends_with("..."), "{shown}");
        assert!(shown.chars().count() < 260, "{shown}");
        let column = caret.chars().position(|c| c == '^').unwrap();
        let under: String = shown.chars().skip(column).take(3).collect();
        assert_eq!(under, "bad");
    }

    #[test]
    fn findings_past_fifty_of_a_rule_in_a_file_fold_into_one() {
        let file = SourceFile::new("a.yaml", "a.yaml", "x\n".into());
        let file = &file;
        let many = |rule: Rule, n: usize| {
            (0..n).map(move |i| {
                Diagnostic::new(rule, format!("finding {i:03}")).at(file, Span::new(0, 1))
            })
        };
        let mut all: Vec<Diagnostic> = many(Rule::UnknownKey, 120)
            .chain(many(Rule::TodoText, 3))
            .collect();
        sort(&mut all);
        let folded = fold(all);
        assert_eq!(folded.len(), 50 + 3 + 1);
        let last = folded.last().unwrap();
        assert_eq!(last.message, "… and 70 more `unknown-key` in this file");
        assert_eq!(
            Tally::of(&folded),
            Tally {
                errors: 120,
                warnings: 3
            }
        );
        let mut findings = Findings::default();
        for d in many(Rule::UnknownKey, 120) {
            findings.push("a.yaml", d);
        }
        let mut again = findings.into_vec();
        sort(&mut again);
        assert_eq!(fold(again).last().unwrap().message, last.message);
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        assert_eq!(Style::choose(true, None), Style::COLOR);
        assert_eq!(Style::choose(false, None), Style::PLAIN);
        assert_eq!(Style::choose(true, Some(OsStr::new("1"))), Style::PLAIN);
        assert_eq!(Style::choose(true, Some(OsStr::new(""))), Style::COLOR);
    }

    #[test]
    fn tally_reads_naturally() {
        assert_eq!(
            Tally {
                errors: 1,
                warnings: 2
            }
            .to_string(),
            "1 error and 2 warnings"
        );
        assert_eq!(Tally::default().to_string(), "no problems");
    }
}
