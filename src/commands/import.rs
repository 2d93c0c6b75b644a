//! `errdex import FILE`: an existing error page (Markdown, or text copied
//! from a web page) turned into entry files, so a team moves over in one
//! command.
//!
//! The page is read as a sequence of entries, each starting at a heading that
//! names one or more codes (`## 429 Too Many Requests`, `Error Code 503 / 504`,
//! `### E0308: Mismatched types`), or at `Other errors`, which becomes the
//! fallback entry `other`. Inside an entry, `Description:`, `Causes:` and
//! `Solution(s):` labels switch sections, `For <audience>:` starts an audience
//! group, and bullets become steps. Text copied from web pages often glues
//! labels and bullets to the previous sentence (`…parameters.Solution:`,
//! `…seconds; - Avoid …`) and breaks lines around inline code; both are
//! undone. Whatever cannot be placed is reported with its line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::content::config::{Config, ConfigFile};
use crate::content::load::ReadProblem;
use crate::diagnostics::source::SourceFile;
use crate::layout::CONFIG_FILE;
use crate::layout::CONTENT_DIR;

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// The entry files written.
    pub written: Vec<PathBuf>,
    /// Lines that did not become part of any entry.
    pub unmapped: Vec<Unmapped>,
}

/// A line of the page that did not become part of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// Its 1-based line number.
    pub line: usize,
    /// The line, or what was wrong with it.
    pub text: String,
}

/// Why an import failed; nothing is written then.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The page could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The page.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The page is too large or not text.
    #[error("{} cannot be imported: {}", .0.location.as_ref().map_or("", |l| l.file.as_str()), .0.message)]
    Unreadable(Box<crate::diagnostics::Diagnostic>),
    /// Two headings of the page name the same code.
    #[error(
        "code `{code}` has two headings in {page}, lines {first} and {second}; nothing was written (remove or rename one of them)"
    )]
    Duplicate {
        /// The page.
        page: String,
        /// The code.
        code: String,
        /// The line of its first heading.
        first: usize,
        /// The line of its second heading.
        second: usize,
    },
    /// Writing would leave the site.
    #[error("{0} leads outside the site; nothing was written")]
    Outside(String),
    /// The site has no usable errdex.yaml.
    #[error("{0}")]
    Config(String),
    /// No heading of the page names an error code.
    #[error(
        "found no error headings in {0} (expected lines like `## 429 Too Many Requests` or `Error Code 429`)"
    )]
    NothingFound(String),
    /// An entry file exists already.
    #[error("{0} exists already; nothing was written (use --force to replace it)")]
    Exists(String),
    /// An entry file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// A step and the steps nested under it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    /// Markdown text.
    pub text: String,
    /// Nested steps.
    pub children: Vec<Item>,
}

/// One entry as found on the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// The codes of its heading, primary first.
    pub codes: Vec<String>,
    /// The title from the heading, if it had one.
    pub title: Option<String>,
    /// Description text.
    pub description: Vec<String>,
    /// Causes.
    pub causes: Vec<Item>,
    /// Solutions without an audience.
    pub solutions: Vec<Item>,
    /// Solutions by audience title, in page order.
    pub by_audience: Vec<(String, Vec<Item>)>,
    /// The heading's line.
    pub line: usize,
}

/// The entries of a page and the lines that fit none.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Entries in page order.
    pub entries: Vec<Draft>,
    /// Lines outside every entry.
    pub unmapped: Vec<Unmapped>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Description,
    Causes,
    Solutions,
}

/// Labels that switch sections, longest first so `Possible Causes:` wins over `Causes:`.
const LABELS: &[(&str, Section)] = &[
    ("recommended solutions:", Section::Solutions),
    ("possible causes:", Section::Causes),
    ("common causes:", Section::Causes),
    ("how to fix it:", Section::Solutions),
    ("how to fix:", Section::Solutions),
    ("description:", Section::Description),
    ("solutions:", Section::Solutions),
    ("solution:", Section::Solutions),
    ("causes:", Section::Causes),
    ("cause:", Section::Causes),
    ("fix:", Section::Solutions),
];

/// A piece of a line: a label, an audience, a bullet (with its nesting) or text.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    Label(Section),
    Audience(String),
    Bullet { text: String, nested: bool },
    Text(String),
}

/// Reads a page into drafts. Pure: no files, no config.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut current: Option<Builder> = None;
    let mut outside_heading: Option<usize> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim_end();
        if line.trim().is_empty() {
            if let Some(builder) = current.as_mut() {
                builder.open = false;
            }
            continue;
        }
        // `### Causes` or `#### For API users` inside an entry is a label.
        if let (Some(builder), Some(piece)) = (current.as_mut(), section_heading(line))
            && outside_heading.is_none()
        {
            builder.piece(piece);
            continue;
        }
        match heading(line) {
            Some(Heading::Entry { codes, title }) => {
                if let Some(done) = current.take() {
                    parsed.entries.push(done.finish());
                }
                outside_heading = None;
                current = Some(Builder::new(codes, title, number));
                continue;
            }
            Some(Heading::Other) => {
                if let Some(done) = current.take() {
                    parsed.entries.push(done.finish());
                }
                outside_heading = Some(number);
                parsed.unmapped.push(Unmapped {
                    line: number,
                    text: format!("heading without an error code: {}", line.trim()),
                });
                continue;
            }
            None => {}
        }
        match current.as_mut() {
            Some(builder) if outside_heading.is_none() => builder.line(line),
            _ => parsed.unmapped.push(Unmapped {
                line: number,
                text: line.trim().to_owned(),
            }),
        }
    }
    if let Some(done) = current.take() {
        parsed.entries.push(done.finish());
    }
    parsed
}

/// A Markdown heading that names a section (`### Possible causes`) or an audience.
fn section_heading(line: &str) -> Option<Piece> {
    let trimmed = line.trim();
    let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
    if !(1..=6).contains(&hashes) || !trimmed[hashes..].starts_with(' ') {
        return None;
    }
    let text = trimmed[hashes..]
        .trim()
        .trim_matches('*')
        .trim()
        .trim_end_matches(':');
    let label = format!("{}:", text.to_lowercase());
    if let Some((_, section)) = LABELS.iter().find(|(l, _)| *l == label) {
        return Some(Piece::Label(*section));
    }
    audience(&format!("{text}:")).map(|(title, _)| Piece::Audience(title))
}

enum Heading {
    Entry {
        codes: Vec<String>,
        title: Option<String>,
    },
    /// A Markdown heading that names no code.
    Other,
}

fn heading(line: &str) -> Option<Heading> {
    let trimmed = line.trim();
    let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
    let is_markdown = (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ');
    let text = if is_markdown {
        trimmed[hashes..].trim()
    } else {
        trimmed
    };
    let text = text.trim_matches('*').trim();
    let lower = text.to_lowercase();
    if matches!(
        lower.trim_end_matches(':'),
        "other errors" | "other error" | "other error codes" | "others"
    ) {
        return Some(Heading::Entry {
            codes: vec!["other".into()],
            title: Some("Other errors".into()),
        });
    }
    let labelled = ["error codes", "error code", "status codes", "status code"]
        .iter()
        .find_map(|label| {
            lower
                .starts_with(label)
                .then(|| text[label.len()..].trim_start_matches([':', ' ']))
        });
    // Plain text lines are headings only with an "Error Code" label; Markdown
    // headings may start with the codes themselves.
    let rest = match (labelled, is_markdown) {
        (Some(rest), _) => rest,
        (None, true) => text,
        (None, false) => return None,
    };
    let (codes, title) = codes_and_title(rest);
    match (codes.is_empty(), is_markdown) {
        (false, _) => Some(Heading::Entry { codes, title }),
        (true, true) => Some(Heading::Other),
        (true, false) => None,
    }
}

/// `503 / 504 Service Unavailable` → (["503", "504"], "Service Unavailable").
fn codes_and_title(text: &str) -> (Vec<String>, Option<String>) {
    let mut codes = Vec::new();
    let mut rest = text.trim();
    loop {
        let token_end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '/' | ',' | ':' | '—' | '–'))
            .unwrap_or(rest.len());
        let raw = &rest[..token_end];
        let token = raw.trim_matches('`');
        if !is_code(token, raw.starts_with('`')) {
            break;
        }
        codes.push(token.to_owned());
        rest = rest[token_end..].trim_start();
        let after_separator = rest
            .strip_prefix('/')
            .or_else(|| rest.strip_prefix(','))
            .or_else(|| rest.strip_prefix("and "))
            .or_else(|| rest.strip_prefix("& "));
        match after_separator {
            Some(after) => rest = after.trim_start(),
            None => break,
        }
    }
    let title = rest
        .trim_start_matches([':', '-', '—', '–', ' '])
        .trim()
        .trim_matches('*')
        .trim();
    let title = (!codes.is_empty() && !title.is_empty()).then(|| title.to_owned());
    (codes, title)
}

/// A token that looks like an error code: it has a digit or an underscore,
/// or was written as `code`.
fn is_code(token: &str, backticked: bool) -> bool {
    let shaped = token
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    shaped && (backticked || token.chars().any(|c| c.is_ascii_digit()) || token.contains('_'))
}

struct Builder {
    draft: Draft,
    section: Section,
    audience: Option<usize>,
    /// Whether the last step may continue on the next line.
    open: bool,
}

impl Builder {
    fn new(codes: Vec<String>, title: Option<String>, line: usize) -> Self {
        Self {
            draft: Draft {
                codes,
                title,
                line,
                ..Draft::default()
            },
            section: Section::Description,
            audience: None,
            open: false,
        }
    }

    fn list(&mut self) -> &mut Vec<Item> {
        match (self.section, self.audience) {
            (Section::Causes, _) => &mut self.draft.causes,
            (_, Some(a)) => &mut self.draft.by_audience[a].1,
            _ => &mut self.draft.solutions,
        }
    }

    fn line(&mut self, line: &str) {
        let starts_with_bullet = bullet_start(line).is_some();
        let pieces = pieces(line, self.section == Section::Solutions);
        // A line that is neither a label nor a bullet continues an open step
        // (web pages break lines around inline code).
        if !starts_with_bullet
            && self.open
            && let Some(Piece::Text(text)) = pieces.first()
        {
            let text = text.clone();
            if let Some(last) = last_item(self.list()) {
                join_continuation(&mut last.text, &text);
            }
            for piece in pieces.into_iter().skip(1) {
                self.piece(piece);
            }
            return;
        }
        for piece in pieces {
            self.piece(piece);
        }
    }

    fn piece(&mut self, piece: Piece) {
        match piece {
            Piece::Label(section) => {
                self.section = section;
                self.audience = None;
                self.open = false;
            }
            Piece::Audience(title) => {
                self.section = Section::Solutions;
                self.draft.by_audience.push((title, Vec::new()));
                self.audience = Some(self.draft.by_audience.len() - 1);
                self.open = false;
            }
            Piece::Bullet { text, nested } => {
                // Bullets before any label are solutions ("Other errors: - First, …").
                if self.section == Section::Description {
                    self.section = Section::Solutions;
                }
                push_item(self.list(), text, nested);
                self.open = true;
            }
            Piece::Text(text) => match self.section {
                Section::Description => {
                    self.draft.description.push(text);
                    self.open = false;
                }
                _ => {
                    push_item(self.list(), text, false);
                    self.open = true;
                }
            },
        }
    }

    fn finish(self) -> Draft {
        self.draft
    }
}

fn last_item(list: &mut [Item]) -> Option<&mut Item> {
    let last = list.last_mut()?;
    if last.children.is_empty() {
        Some(last)
    } else {
        last.children.last_mut()
    }
}

/// Adds a step; a step under one that ends with a colon ("…to access:"), or
/// an indented bullet, nests.
fn push_item(list: &mut Vec<Item>, text: String, nested: bool) {
    let item = Item {
        text,
        children: Vec::new(),
    };
    match list.last_mut() {
        Some(parent) if nested || parent.text.ends_with(':') => parent.children.push(item),
        _ => list.push(item),
    }
}

/// Joins a continuation line. A lone word in the middle of a sentence was
/// inline code on the page (`Ensure⏎client_timeout⏎and…`); a lone word that
/// ends the sentence (`appropriately;`) is prose.
fn join_continuation(text: &mut String, next: &str) {
    let next = next.trim();
    let ends_sentence = next.ends_with(['.', ';', ':', ',', '!', '?']);
    let piece = match next.split_once(' ') {
        None if !ends_sentence => as_code(next),
        _ => next.to_owned(),
    };
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(&piece);
}

/// `client_timeout` → "`client_timeout`"; `andproxy_timeout` (a lost space
/// before inline code) → "and `proxy_timeout`".
fn as_code(word: &str) -> String {
    let is_identifier = |w: &str| {
        !w.is_empty()
            && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && w.chars().any(|c| c.is_ascii_alphabetic())
    };
    let trailing = word.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let core = &word[..word.len() - trailing.len()];
    if !is_identifier(core) {
        return word.to_owned();
    }
    for joiner in ["and", "or", "to", "the", "of", "in", "with"] {
        if let Some(identifier) = core.strip_prefix(joiner)
            && identifier.contains('_')
            && !joiner.contains('_')
            && is_identifier(identifier)
        {
            return format!("{joiner} `{identifier}`{trailing}");
        }
    }
    format!("`{core}`{trailing}")
}

/// The text after a bullet marker at the start of a line, and whether it is indented.
fn bullet_start(line: &str) -> Option<(&str, bool)> {
    let indent = line.len() - line.trim_start().len();
    let body = line.trim_start();
    let rest = body
        .strip_prefix("- ")
        .or_else(|| body.strip_prefix("* "))
        .or_else(|| body.strip_prefix("• "))
        .or_else(|| {
            let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            (digits > 0 && digits < 4)
                .then(|| &body[digits..])
                .and_then(|r| r.strip_prefix(". ").or_else(|| r.strip_prefix(") ")))
        })?;
    Some((rest, indent >= 2))
}

/// Splits a line into labels, audiences, bullets and text.
fn pieces(line: &str, in_solutions: bool) -> Vec<Piece> {
    let mut out = Vec::new();
    let (body, nested, mut in_bullet) = match bullet_start(line) {
        Some((rest, nested)) => (rest, nested, true),
        None => (line.trim(), false, false),
    };
    let mut in_solutions = in_solutions;
    let mut rest = body;
    while !rest.is_empty() {
        // The next label, anywhere in the line ("…parameters.Solution:").
        let lower = rest.to_lowercase();
        let label = LABELS
            .iter()
            .filter_map(|(label, section)| {
                let at = lower.find(label)?;
                // A label starts a sentence: at the start, or after punctuation.
                let before = lower[..at].trim_end();
                let starts = before.is_empty() || before.ends_with(['.', ';', ':', ')']);
                starts.then_some((at, label.len(), *section))
            })
            .min_by_key(|(at, len, _)| (*at, usize::MAX - len));
        let (text, after) = match label {
            Some((at, len, section)) => {
                let text = &rest[..at];
                in_solutions = section == Section::Solutions;
                (text, Some((section, &rest[at + len..])))
            }
            None => (rest, None),
        };
        split_bullets(
            text,
            &mut out,
            &mut in_bullet,
            nested,
            in_solutions && label.is_none(),
        );
        match after {
            Some((section, after)) => {
                out.push(Piece::Label(section));
                in_bullet = false;
                rest = after.trim_start();
            }
            None => break,
        }
        if in_solutions && let Some((title, after)) = audience(rest) {
            out.push(Piece::Audience(title));
            rest = after;
        }
    }
    out
}

/// `For API Users:` at the start of a solutions text.
fn audience(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start();
    if !text.starts_with("For ") {
        return None;
    }
    let colon = text.find(':')?;
    let title = text[..colon].trim();
    let words = title.split_whitespace().count();
    (2..=5)
        .contains(&words)
        .then(|| (title.to_owned(), text[colon + 1..].trim_start()))
}

/// Splits text at glued bullets (`…seconds; - Avoid`, `Users:- Enable`).
fn split_bullets(
    text: &str,
    out: &mut Vec<Piece>,
    in_bullet: &mut bool,
    nested: bool,
    audience_allowed: bool,
) {
    let mut parts: Vec<&str> = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let glued = bytes[i] == b'-'
            && bytes[i + 1] == b' '
            && text[..i].trim_end().ends_with([';', ':', '.'])
            && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b':' || bytes[i - 1] == b';');
        if glued {
            parts.push(&text[start..i]);
            start = i + 2;
        }
        i += 1;
    }
    parts.push(&text[start..]);
    for (k, part) in parts.into_iter().enumerate() {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if k == 0 && !*in_bullet {
            if audience_allowed && let Some((title, after)) = audience(part) {
                out.push(Piece::Audience(title));
                if !after.is_empty() {
                    out.push(Piece::Text(after.to_owned()));
                }
                continue;
            }
            out.push(Piece::Text(part.to_owned()));
        } else {
            out.push(Piece::Bullet {
                text: part.to_owned(),
                nested: nested && k == 0,
            });
        }
    }
    *in_bullet = false;
}

/// `Enable retry mechanism: Use …` → `**Enable retry mechanism:** Use …`.
fn bold_lead_in(text: &str) -> String {
    if let Some((lead, rest)) = text.split_once(": ") {
        let words = lead.split_whitespace().count();
        let plain = !lead.contains(['`', '(', '*', '[']);
        if plain && (1..=5).contains(&words) && !rest.trim().is_empty() {
            return format!("**{lead}:** {rest}");
        }
    }
    text.to_owned()
}

/// The first sentence of a text, and the rest.
fn first_sentence(text: &str) -> (String, String) {
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'.' && bytes.get(i + 1) == Some(&b' ') {
            return (text[..=i].to_owned(), text[i + 2..].trim().to_owned());
        }
    }
    (text.to_owned(), String::new())
}

fn yaml_string(text: &str) -> String {
    crate::content::yaml::quote(text)
}

fn yaml_code(code: &str) -> String {
    let plain_number =
        code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with('0') && code.len() < 10;
    if plain_number {
        code.to_owned()
    } else {
        yaml_string(code)
    }
}

fn write_items(out: &mut String, items: &[Item], indent: usize) {
    let pad = " ".repeat(indent);
    for item in items {
        let text = bold_lead_in(item.text.trim());
        if item.children.is_empty() {
            let _ = writeln!(out, "{pad}- {}", yaml_string(&text));
        } else {
            let _ = writeln!(out, "{pad}- text: {}", yaml_string(&text));
            let _ = writeln!(out, "{pad}  steps:");
            write_items(out, &item.children, indent + 4);
        }
    }
}

/// An entry file for a draft, using the site's categories and audiences.
pub(crate) fn entry_yaml(draft: &Draft, config: &Config, notes: &mut Vec<Unmapped>) -> String {
    let primary = &draft.codes[0];
    let mut out = String::from("# yaml-language-server: $schema=../../schema/entry.schema.json\n");
    if draft.codes.len() == 1 {
        let _ = writeln!(out, "code: {}", yaml_code(primary));
    } else {
        let codes: Vec<String> = draft.codes.iter().map(|c| yaml_code(c)).collect();
        let _ = writeln!(out, "codes: [{}]", codes.join(", "));
    }
    let reasons: Vec<&str> = draft
        .codes
        .iter()
        .filter_map(|c| {
            crate::content::http::status_of_code(c).and_then(crate::content::http::reason_phrase)
        })
        .collect();
    let title = draft.title.clone().unwrap_or_else(|| {
        if reasons.is_empty() {
            format!("Error {primary}")
        } else {
            reasons.join(" / ")
        }
    });
    let description = draft.description.join(" ");
    let description = description.trim();
    let (summary, more) = if description.is_empty() {
        (title.clone(), String::new())
    } else {
        first_sentence(description)
    };
    let summary = match summary.strip_suffix(':') {
        Some(stem) => format!("{stem}."),
        None => summary,
    };
    let keys: Vec<&str> = config
        .categories()
        .iter()
        .map(|(k, _)| k.value.as_str())
        .collect();
    let category = crate::commands::scaffold::guess_category(primary, &keys);
    let _ = writeln!(out, "title: {}", yaml_string(&title));
    let _ = writeln!(out, "summary: {}", yaml_string(&summary));
    let _ = writeln!(out, "category: {category}");
    if let Some(status) = crate::content::http::status_of_code(primary) {
        let _ = writeln!(out, "http_status: {status}");
    }
    if !more.is_empty() {
        let _ = writeln!(out, "description: {}", yaml_string(&more));
    }
    if !draft.causes.is_empty() {
        out.push_str("causes:\n");
        write_items(&mut out, &draft.causes, 2);
    }
    // Audience groups map to the config's audiences by title or key.
    let mut grouped: Vec<(String, Vec<Item>)> = Vec::new();
    let mut plain = draft.solutions.clone();
    for (title, items) in &draft.by_audience {
        let wanted = title.to_lowercase();
        let key = config.audiences().iter().find(|(k, t)| {
            t.value.to_lowercase() == wanted
                || crate::render::markdown::slug(title).ends_with(&k.value)
        });
        match key {
            Some((k, _)) => grouped.push((k.value.clone(), items.clone())),
            None => {
                notes.push(Unmapped {
                    line: draft.line,
                    text: format!(
                        "{primary}: audience \"{title}\" is not in `audiences` of {CONFIG_FILE}; its steps were kept as a plain list"
                    ),
                });
                plain.extend(items.iter().cloned());
            }
        }
    }
    if !plain.is_empty() && !grouped.is_empty() {
        // Steps outside any group join the first audience, keeping every step.
        grouped[0].1.splice(0..0, plain.drain(..));
    }
    if !grouped.is_empty() {
        out.push_str("solutions:\n");
        for (key, items) in &grouped {
            let _ = writeln!(out, "  {key}:");
            write_items(&mut out, items, 4);
        }
    } else if !plain.is_empty() {
        out.push_str("solutions:\n");
        write_items(&mut out, &plain, 2);
    } else {
        notes.push(Unmapped {
            line: draft.line,
            text: format!("{primary}: no solutions found"),
        });
    }
    out
}

/// Largest page `import` reads: a whole documentation page of error codes
/// is a few hundred kilobytes.
pub const MAX_PAGE_BYTES: u64 = 16 * 1024 * 1024;

/// Refuses a page where two headings name the same code (or codes that
/// differ only in case, whose files would be one on many systems).
fn refuse_duplicates(drafts: &[Draft], page: &str) -> Result<(), ImportError> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for draft in drafts {
        for code in &draft.codes {
            if let Some(&first) = seen.get(&code.to_lowercase()) {
                return Err(ImportError::Duplicate {
                    page: page.to_owned(),
                    code: code.clone(),
                    first,
                    second: draft.line,
                });
            }
            seen.insert(code.to_lowercase(), draft.line);
        }
    }
    Ok(())
}

/// Imports `file` into the site at `root`: one file per entry under
/// `content/errors/`. Refuses to replace files unless `force`.
pub fn import(file: &Path, root: &Path, force: bool) -> Result<ImportReport, ImportError> {
    let shown = file.display().to_string();
    let text = match crate::content::load::read_text(file, &shown, MAX_PAGE_BYTES) {
        Ok(source) => source.text,
        Err(ReadProblem::Io(source)) => {
            return Err(ImportError::Read {
                path: shown,
                source,
            });
        }
        Err(ReadProblem::Content(problem)) => return Err(ImportError::Unreadable(problem)),
    };
    let config = load_config(root)?;
    let parsed = parse(&text);
    if parsed.entries.is_empty() {
        return Err(ImportError::NothingFound(shown));
    }
    refuse_duplicates(&parsed.entries, &shown)?;
    let mut report = ImportReport {
        unmapped: parsed.unmapped,
        ..ImportReport::default()
    };
    let dir = root.join(CONTENT_DIR);
    if crate::content::contain::Containment::new(root)
        .escapes_for_write(&dir)
        .is_some()
    {
        return Err(ImportError::Outside(CONTENT_DIR.to_owned()));
    }
    let mut files = Vec::new();
    for draft in &parsed.entries {
        let name = format!("{}.yaml", draft.codes[0]);
        let path = dir.join(&name);
        let existing = std::fs::symlink_metadata(&path).ok();
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            return Err(ImportError::Exists(format!(
                "{CONTENT_DIR}/{name} (not a regular file)"
            )));
        }
        if existing.is_some() && !force {
            return Err(ImportError::Exists(format!("{CONTENT_DIR}/{name}")));
        }
        files.push((path, entry_yaml(draft, &config, &mut report.unmapped)));
    }
    if parsed.entries.iter().any(|d| d.codes[0] == "other") && config.file.fallback.is_none() {
        report.unmapped.push(Unmapped {
            line: 0,
            text: format!("add `fallback: other` to {CONFIG_FILE} to show \"Other errors\" on the 404 page and when search finds nothing"),
        });
    }
    std::fs::create_dir_all(&dir).map_err(|source| ImportError::Write {
        path: dir.display().to_string(),
        source,
    })?;
    for (path, yaml) in files {
        // A file made since the check above is not replaced without --force.
        let written = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .create(force)
            .create_new(!force)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, yaml.as_bytes()));
        written.map_err(|source| ImportError::Write {
            path: path.display().to_string(),
            source,
        })?;
        report.written.push(path);
    }
    report.unmapped.sort_by_key(|u| u.line);
    Ok(report)
}

fn load_config(root: &Path) -> Result<Config, ImportError> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|_| {
        ImportError::Config(format!(
            "no {CONFIG_FILE} in {}; create a site first with `errdex init`",
            root.display()
        ))
    })?;
    let source = SourceFile::new(CONFIG_FILE, &path, text);
    let schema = crate::content::schema::config_schema();
    let file: ConfigFile =
        crate::content::yaml::parse(&source, schema, "errdex.yaml").map_err(|_| {
            ImportError::Config(format!(
                "{CONFIG_FILE} has errors; run `errdex check` first"
            ))
        })?;
    match Config::check(file, source) {
        (Some(config), _) => Ok(config),
        (None, _) => Err(ImportError::Config(format!(
            "{CONFIG_FILE} has errors; run `errdex check` first"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[Item]) -> Vec<String> {
        items.iter().map(|i| i.text.clone()).collect()
    }

    #[test]
    fn markdown_headings_name_codes_and_titles() {
        let parsed = parse(
            "# API errors\n\nIntro text.\n\n## 429 Too Many Requests\n\nYou sent too many requests.\n\n### Causes\n\n- Bursts\n\n## `E0308`: Mismatched types\n\n* Fix the types\n  * nested\n\n## Other errors\n\n- Contact support.\n",
        );
        let codes: Vec<&str> = parsed.entries.iter().map(|e| e.codes[0].as_str()).collect();
        assert_eq!(codes, ["429", "E0308", "other"]);
        assert_eq!(
            parsed.entries[0].title.as_deref(),
            Some("Too Many Requests")
        );
        assert_eq!(parsed.entries[1].title.as_deref(), Some("Mismatched types"));
        assert_eq!(parsed.entries[1].solutions[0].children[0].text, "nested");
        assert_eq!(texts(&parsed.entries[0].causes), ["Bursts"]);
        assert_eq!(
            parsed.unmapped.iter().map(|u| u.line).collect::<Vec<_>>(),
            [1, 3],
            "{:?}",
            parsed.unmapped
        );
    }

    #[test]
    fn glued_labels_and_bullets_are_pulled_apart() {
        let parsed = parse(
            "Error Code 503 / 504\nDescription: Backend timeout.Possible Causes:\n- GPU overload;\nRecommended Solutions:\nFor API Users:- Enable retry: Use backoff;\n- Optimize: Ensure\nclient_timeout\nandproxy_timeout\nexceed 60 seconds; - Avoid peaks.\n",
        );
        let e = &parsed.entries[0];
        assert_eq!(e.codes, ["503", "504"]);
        assert_eq!(e.description, ["Backend timeout."]);
        assert_eq!(texts(&e.causes), ["GPU overload;"]);
        assert_eq!(e.by_audience[0].0, "For API Users");
        assert_eq!(
            texts(&e.by_audience[0].1),
            [
                "Enable retry: Use backoff;",
                "Optimize: Ensure `client_timeout` and `proxy_timeout` exceed 60 seconds;",
                "Avoid peaks."
            ]
        );
        assert_eq!(
            bold_lead_in("Enable retry: Use backoff;"),
            "**Enable retry:** Use backoff;"
        );
        assert!(parsed.unmapped.is_empty(), "{:?}", parsed.unmapped);
    }
}
