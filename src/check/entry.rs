//! The rules that need one entry and the config: required texts, codes,
//! categories, audiences, markdown, links, examples, lifecycle, variants.
//! They run as each file is read (in parallel), and gather the [`Facts`]
//! the catalog rules need, so that the file's text can be let go.

use crate::content::config::Config;
use crate::content::entry::{Code, Entry, NumberKind, Solutions, Status, Steps};
use crate::content::markdown::{self, LinkKind};
use crate::diagnostics::rules::Rule;
use crate::diagnostics::source::SourceFile;
use crate::diagnostics::span::{Span, Spanned};
use crate::diagnostics::suggest;
use crate::diagnostics::{Diagnostic, Findings};
use crate::layout::CONFIG_FILE;

/// Longest code, in bytes: file systems take names of 255 bytes, and a code
/// is a folder name and, with `.json` or `.md`, a file name.
pub const MAX_CODE_BYTES: usize = 200;

/// Most items of an entry's `codes`, `related`, `links`, `tags` and `examples`.
pub const MAX_ITEMS: usize = 100;

/// Most variants of one entry.
pub const MAX_VARIANTS: usize = 1_000;

/// Longest summary before `long-summary` warns.
pub const MAX_SUMMARY_CHARS: usize = 200;

/// What the cross-entry rules need to know about one entry, gathered while
/// its text is at hand (the text is released after the per-entry checks).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The entry's codes as written (`0429` stays `0429`), primary first.
    pub codes: Vec<Spanned<String>>,
    /// Codes in `related`, other than the entry's own.
    pub related: Vec<Spanned<String>>,
    /// Codes of `code:` links in markdown, each with the span of its link.
    pub code_links: Vec<Spanned<String>>,
    /// The code in `replaced_by`.
    pub replaced_by: Option<Spanned<String>>,
    /// The `type` of each variant.
    pub types: Vec<Spanned<String>>,
    /// Every message of the entry and its variants, with its
    /// [`crate::content::message::identity`].
    pub messages: Vec<(String, Span)>,
    /// The `reviewed` date as a day number (see [`crate::content::date`]), when it is valid.
    pub reviewed: Option<Spanned<i64>>,
    /// Whether the entry's status is `removed`.
    pub removed: bool,
}

/// Runs every rule that needs only one entry (and the config); returns its
/// findings and the facts the cross-entry rules need.
pub fn check_entry(
    config: Option<&Config>,
    file: &SourceFile,
    entry: &Entry,
) -> (Vec<Diagnostic>, Facts) {
    let mut out = Findings::default();
    let mut facts = Facts::default();
    EntryCheck {
        config,
        file,
        out: &mut out,
        facts: &mut facts,
    }
    .run(entry);
    (out.into_vec(), facts)
}

struct EntryCheck<'a, 'b> {
    config: Option<&'a Config>,
    file: &'a SourceFile,
    out: &'b mut Findings<'a>,
    facts: &'b mut Facts,
}

impl EntryCheck<'_, '_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.out.push(&self.file.path, diagnostic);
    }

    fn run(&mut self, entry: &Entry) {
        self.item_limits(entry);
        self.codes(entry);
        self.plain(&entry.title, "title");
        self.summary(&entry.summary);
        self.category(&entry.category);
        if let Some(status) = entry
            .http_status
            .as_ref()
            .filter(|s| !(100..=599).contains(&s.value))
        {
            self.push(
                Diagnostic::new(
                    Rule::HttpStatusRange,
                    format!("`http_status` {} is not an HTTP status", status.value),
                )
                .at(self.file, status.span)
                .label("must be from 100 to 599"),
            );
        }
        if let Some(description) = &entry.description {
            self.todo(description, "description");
            self.markdown(description);
        }
        if let Some(causes) = &entry.causes {
            self.steps(causes.span, &causes.value, "causes");
        }
        self.solutions(entry);
        if let Some(examples) = &entry.examples {
            self.non_empty(examples.span, examples.value.is_empty(), "examples");
            for example in &examples.value {
                self.example(example);
            }
        }
        self.related(entry);
        if let Some(links) = &entry.links {
            self.non_empty(links.span, links.value.is_empty(), "links");
            for link in &links.value {
                self.plain(&link.title, "link title");
                self.url(&link.url.value, link.url.span);
            }
        }
        if let Some(tags) = &entry.tags {
            self.non_empty(tags.span, tags.value.is_empty(), "tags");
            for tag in &tags.value {
                self.plain(tag, "tag");
            }
        }
        self.messages(entry.messages.as_ref());
        self.lifecycle(entry);
        self.variants(entry);
        if let Some(reviewed) = &entry.reviewed {
            match crate::content::date::parse(reviewed.value.trim()) {
                Some(day) => self.facts.reviewed = Some(Spanned::new(day, reviewed.span)),
                None => self.push(
                    Diagnostic::new(
                        Rule::InvalidDate,
                        format!("`reviewed` is not a date: `{}`", reviewed.value),
                    )
                    .at(self.file, reviewed.span)
                    .label("expected YYYY-MM-DD")
                    .hint("write the date of the last review, e.g. `reviewed: 2026-11-02`"),
                ),
            }
        }
    }

    fn lifecycle(&mut self, entry: &Entry) {
        let status = entry.status();
        self.facts.removed = status == Status::Removed;
        if let (Some(written), Some(true)) = (&entry.status, entry.deprecated)
            && written.value != Status::Deprecated
        {
            self.push(
                Diagnostic::new(
                    Rule::LifecycleConflict,
                    format!(
                        "`deprecated: true` contradicts `status: {}`",
                        written.value.as_str()
                    ),
                )
                .at(self.file, written.span)
                .hint("remove `deprecated`; `status` says it all"),
            );
        }
        if let Some(removed_in) = entry
            .removed_in
            .as_ref()
            .filter(|_| status != Status::Removed)
        {
            self.push(
                Diagnostic::new(
                    Rule::LifecycleConflict,
                    format!(
                        "`removed_in` on an entry whose status is {}",
                        status.as_str()
                    ),
                )
                .at(
                    self.file,
                    key_span(self.file, removed_in.span, "removed_in"),
                )
                .hint("add `status: removed`, or remove `removed_in`"),
            );
        }
        for text in [&entry.since, &entry.removed_in].into_iter().flatten() {
            self.plain(text, "version");
        }
        let Some(replaced_by) = &entry.replaced_by else {
            return;
        };
        let code = replaced_by.value.as_str();
        if status == Status::Active {
            self.push(
                Diagnostic::new(
                    Rule::LifecycleConflict,
                    format!("`replaced_by: {code}` on an active entry"),
                )
                .at(self.file, replaced_by.span)
                .hint("add `status: deprecated` (or `removed`), or remove `replaced_by`"),
            );
        }
        if entry.codes().iter().any(|c| c.value.as_str() == code) {
            self.push(
                Diagnostic::new(
                    Rule::LifecycleConflict,
                    format!("the entry is replaced by its own code `{code}`"),
                )
                .at(self.file, replaced_by.span)
                .hint("name the code that replaces this one"),
            );
            return;
        }
        self.facts.replaced_by = Some(Spanned::new(
            as_written(self.file, replaced_by).to_owned(),
            replaced_by.span,
        ));
    }

    fn variants(&mut self, entry: &Entry) {
        let Some(variants) = &entry.variants else {
            return;
        };
        self.non_empty(variants.span, variants.value.is_empty(), "variants");
        for variant in &variants.value {
            let kind = &variant.kind;
            let text = kind.value.as_str();
            let shape_ok = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
            let problem = if !shape_ok {
                Some("start with a letter, then use letters, digits, `_`, `.` or `-`".to_owned())
            } else if crate::layout::SECTION_IDS.contains(&text) {
                Some(format!("`{text}` is the id of a section of the page"))
            } else {
                None
            };
            match problem {
                Some(problem) => self.push(
                    Diagnostic::new(
                        Rule::InvalidType,
                        format!("variant type `{text}` cannot be used"),
                    )
                    .at(self.file, kind.span)
                    .label(problem)
                    .hint("types are anchors and search keys, like `rate_limit_exceeded`"),
                ),
                None => self.facts.types.push(kind.clone()),
            }
            self.plain(&variant.title, "variant title");
            self.summary(&variant.summary);
            self.messages(variant.messages.as_ref());
            if let Some(description) = &variant.description {
                self.todo(description, "description");
                self.markdown(description);
            }
            if let Some(causes) = &variant.causes {
                self.steps(causes.span, &causes.value, "causes");
            }
            if let Some(solutions) = &variant.solutions {
                self.solution_steps(solutions);
            }
        }
    }

    /// Each message is one line of plain text that parses as a template.
    fn messages(&mut self, messages: Option<&Spanned<Vec<Spanned<String>>>>) {
        let Some(messages) = messages else {
            return;
        };
        self.non_empty(messages.span, messages.value.is_empty(), "messages");
        if messages.value.len() > MAX_ITEMS {
            self.push(
                Diagnostic::new(
                    Rule::LimitExceeded,
                    format!(
                        "`messages` lists {} items; an entry may list at most {MAX_ITEMS}",
                        messages.value.len()
                    ),
                )
                .at(self.file, messages.span)
                .hint("list the messages a reader meets; one template covers what varies"),
            );
        }
        for message in &messages.value {
            self.plain(message, "message");
            if message.value.trim().is_empty() {
                continue;
            }
            match crate::content::message::parse(&message.value) {
                Ok(_) => self.facts.messages.push((
                    crate::content::message::identity(&message.value),
                    message.span,
                )),
                Err(problem) => {
                    let at = self
                        .file
                        .span_in_value(message.span, &message.value, problem.at, 1);
                    self.push(
                        Diagnostic::new(
                            Rule::MessagePlaceholder,
                            format!("this message is not a valid template: {}", problem.what),
                        )
                        .at(self.file, at)
                        .label("here")
                        .hint("write a part that varies as `{name}`, and a literal brace as `{{` or `}}`"),
                    );
                }
            }
        }
    }

    fn codes(&mut self, entry: &Entry) {
        match (&entry.code, &entry.codes) {
            (Some(_), Some(codes)) => self.push(
                Diagnostic::new(Rule::CodeAndCodes, "the entry has both `code` and `codes`")
                    .at(self.file, key_span(self.file, codes.span, "codes"))
                    .hint("use `code` for one code, or list every code under `codes`"),
            ),
            (None, None) => self.push(
                Diagnostic::new(Rule::MissingCode, "the entry has no `code`")
                    .at(self.file, first_line(self.file))
                    .hint("add `code: 429`, or `codes: [503, 504]` for one page covering several codes"),
            ),
            (None, Some(codes)) => self.non_empty(codes.span, codes.value.is_empty(), "codes"),
            (Some(_), None) => {}
        }
        for code in entry.codes() {
            self.code(code, "code");
        }
    }

    fn code(&mut self, code: &Spanned<Code>, what: &str) {
        let text = code.value.as_str();
        let raw = self.file.slice(code.span);
        self.facts.codes.push(Spanned::new(
            as_written(self.file, code).to_owned(),
            code.span,
        ));
        let misread = match code.value.number_kind() {
            Some(NumberKind::Float) => true,
            Some(NumberKind::Integer) => raw != text,
            None => false,
        };
        if misread {
            let message = if raw == text {
                format!("{what} `{raw}` is read by YAML as a number, not as text")
            } else {
                format!("{what} `{raw}` is read by YAML as the number {text}")
            };
            self.push(
                Diagnostic::new(Rule::UnquotedCode, message)
                    .at(self.file, code.span)
                    .label("quote this")
                    .hint(format!(
                        "write it in quotes so it stays as written: \"{raw}\""
                    )),
            );
            return;
        }
        if let Some(problem) = path_problem(text) {
            self.push(
                Diagnostic::new(
                    Rule::InvalidCode,
                    format!("{what} `{text}` cannot be used: {problem}"),
                )
                .at(self.file, code.span)
                .label("codes become folder names and URLs"),
            );
            return;
        }
        if let Some(config) = self.config.filter(|c| !c.code_matches(text)) {
            let pattern = config.code_pattern_text();
            self.push(
                Diagnostic::new(
                    Rule::InvalidCode,
                    format!("{what} `{text}` does not match the code pattern"),
                )
                .at(self.file, code.span)
                .label(format!("must match {pattern}"))
                .hint("change the code, or `code_pattern` in errdex.yaml"),
            );
        }
    }

    fn text(&mut self, text: &Spanned<String>, what: &str) {
        self.todo(text, what);
        if text.value.trim().is_empty() {
            self.push(
                Diagnostic::new(Rule::EmptyValue, format!("the {what} is empty"))
                    .at(self.file, text.span),
            );
        }
    }

    /// [`EntryCheck::text`] for plain text: no control characters either.
    fn plain(&mut self, text: &Spanned<String>, what: &str) {
        self.text(text, what);
        if text.value == crate::content::shape::PLACEHOLDER {
            return;
        }
        // A summary may run over lines (`multiline-summary` warns); other
        // plain texts are one line.
        let line_breaks_allowed = what == "summary";
        let found = text
            .value
            .trim()
            .chars()
            .find(|&c| crate::content::unseen_character(c, line_breaks_allowed));
        self.control_character(
            text,
            what,
            found,
            "plain text is printed in titles, markdown and source code",
            "remove it; write a line break as a space",
        );
    }

    /// Text that runs over lines (markdown, example bodies) holds no control
    /// character but line breaks and tabs: a NUL or an escape would reach
    /// pages, markdown exports and generated source as it is.
    fn no_control_characters(&mut self, text: &Spanned<String>, what: &str) {
        let found = text
            .value
            .chars()
            .find(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
        self.control_character(
            text,
            what,
            found,
            "it would reach pages, exports and source code as it is",
            "remove it",
        );
    }

    /// Reports `found`, a control character in `text`, if there is one.
    fn control_character(
        &mut self,
        text: &Spanned<String>,
        what: &str,
        found: Option<char>,
        label: &str,
        hint: &str,
    ) {
        let Some(c) = found else { return };
        self.push(
            Diagnostic::new(
                Rule::ControlCharacter,
                format!("the {what} holds the control character U+{:04X}", c as u32),
            )
            .at(self.file, text.span)
            .label(label)
            .hint(hint),
        );
    }

    fn summary(&mut self, summary: &Spanned<String>) {
        self.plain(summary, "summary");
        let trimmed = summary.value.trim();
        if trimmed.contains('\n') {
            self.push(
                Diagnostic::new(Rule::MultilineSummary, "the summary spans several lines")
                    .at(self.file, summary.span)
                    .hint("keep the summary to one sentence; move the rest to `description`"),
            );
        }
        let chars = trimmed.chars().count();
        if chars > MAX_SUMMARY_CHARS {
            self.push(
                Diagnostic::new(Rule::LongSummary, format!("the summary is {chars} characters long; keep it under {MAX_SUMMARY_CHARS}"))
                    .at(self.file, summary.span)
                    .hint("search results and meta descriptions cut long summaries; move details to `description`"),
            );
        }
    }

    fn category(&mut self, category: &Spanned<String>) {
        let Some(config) = self.config else { return };
        if category.value == crate::content::shape::PLACEHOLDER
            || config.category_index(&category.value).is_some()
        {
            return;
        }
        let keys = config.categories().iter().map(|(k, _)| k.value.as_str());
        let known: Vec<String> = keys.clone().map(|k| format!("`{k}`")).collect();
        self.push(
            Diagnostic::new(
                Rule::UnknownCategory,
                format!("unknown category `{}`", category.value),
            )
            .at(self.file, category.span)
            .label(format!("not a key of `categories` in {CONFIG_FILE}"))
            .hint(
                suggest::did_you_mean(&category.value, keys)
                    .unwrap_or_else(|| format!("categories are {}", known.join(", "))),
            ),
        );
    }

    fn solutions(&mut self, entry: &Entry) {
        let Some(solutions) = &entry.solutions else {
            self.push(
                Diagnostic::new(Rule::MissingSolutions, "the entry has no `solutions`")
                    .at(self.file, first_line(self.file))
                    .hint("tell readers what to do, even in one step"),
            );
            return;
        };
        self.solution_steps(solutions);
    }

    fn solution_steps(&mut self, solutions: &Spanned<Solutions>) {
        if let Solutions::ByAudience(groups) = &solutions.value {
            self.non_empty(solutions.span, groups.is_empty(), "solutions");
            if let Some(config) = self.config {
                for (audience, _) in groups {
                    self.audience(config, audience);
                }
            }
        }
        for (audience, steps) in solutions.value.groups() {
            let span = audience.map_or(solutions.span, |a| a.span);
            self.steps(span, steps, "solutions");
        }
    }

    fn audience(&mut self, config: &Config, audience: &Spanned<String>) {
        let keys: Vec<&str> = config
            .audiences()
            .iter()
            .map(|(k, _)| k.value.as_str())
            .collect();
        if keys.contains(&audience.value.as_str()) {
            return;
        }
        let hint = suggest::did_you_mean(&audience.value, keys.iter().copied()).unwrap_or_else(|| {
            if keys.is_empty() {
                format!("{CONFIG_FILE} defines no `audiences`; add them there, or make `solutions` a plain list")
            } else {
                let listed: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                format!("audiences are {}", listed.join(", "))
            }
        });
        self.push(
            Diagnostic::new(
                Rule::UnknownAudience,
                format!("unknown audience `{}`", audience.value),
            )
            .at(self.file, audience.span)
            .label(format!("not a key of `audiences` in {CONFIG_FILE}"))
            .hint(hint),
        );
    }

    fn steps(&mut self, span: Span, steps: &Steps, what: &str) {
        self.non_empty(span, steps.is_empty(), what);
        for step in steps.walk() {
            self.text(&step.text, "step");
            self.markdown(&step.text);
        }
    }

    fn example(&mut self, example: &crate::content::entry::Example) {
        self.text(&example.body, "example body");
        self.no_control_characters(&example.body, "example body");
        if let Some(title) = &example.title {
            self.plain(title, "example title");
        }
        if let Some(language) = example.language.as_ref().filter(|l| {
            !l.value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '#' | '.' | '-'))
        }) {
            self.push(
                Diagnostic::new(
                    Rule::WrongType,
                    format!(
                        "an example's `language` is one word, not `{}`",
                        language.value.escape_debug()
                    ),
                )
                .at(self.file, language.span)
                .label("letters, digits and _ + # . - only")
                .hint("name the language as highlighters do: json, python, c++, shell"),
            );
        }
        let is_json = example
            .language
            .as_ref()
            .is_some_and(|l| l.value.eq_ignore_ascii_case("json"));
        if !is_json {
            return;
        }
        let body = &example.body.value;
        if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(body) {
            let offset = offset_of_line_column(body, error.line(), error.column());
            let span = self.file.span_in_value(example.body.span, body, offset, 1);
            let message = error.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            self.push(
                Diagnostic::new(Rule::InvalidJsonExample, "this JSON example does not parse")
                    .at(self.file, span)
                    .label(message.to_owned())
                    .hint("fix the JSON, or set `language` to something other than `json`"),
            );
        }
    }

    fn related(&mut self, entry: &Entry) {
        let Some(related) = &entry.related else {
            return;
        };
        self.non_empty(related.span, related.value.is_empty(), "related");
        let own: Vec<&str> = entry.codes().iter().map(|c| c.value.as_str()).collect();
        for code in &related.value {
            let text = code.value.as_str();
            if own.contains(&text) {
                self.push(
                    Diagnostic::new(
                        Rule::RelatedSelf,
                        format!("`related` lists the entry's own code `{text}`"),
                    )
                    .at(self.file, code.span)
                    .hint("remove it"),
                );
            } else {
                self.facts
                    .related
                    .push(Spanned::new(text.to_owned(), code.span));
            }
        }
    }

    /// Placeholder text left from `errdex new`.
    fn todo(&mut self, text: &Spanned<String>, what: &str) {
        let Some(at) = find_todo(&text.value) else {
            return;
        };
        let span = self.file.span_in_value(text.span, &text.value, at, 4);
        self.push(
            Diagnostic::new(Rule::TodoText, format!("the {what} still says TODO"))
                .at(self.file, span)
                .hint("replace the placeholder with real text before publishing"),
        );
    }

    /// Lists whose items each add to the output (a redirect page per code,
    /// a card per related code, a section per variant) are kept to sizes an
    /// error page has, so that one entry's output stays bounded.
    fn item_limits(&mut self, entry: &Entry) {
        let counted = [
            (
                "codes",
                MAX_ITEMS,
                entry.codes.as_ref().map(|l| (l.span, l.value.len())),
            ),
            (
                "related",
                MAX_ITEMS,
                entry.related.as_ref().map(|l| (l.span, l.value.len())),
            ),
            (
                "links",
                MAX_ITEMS,
                entry.links.as_ref().map(|l| (l.span, l.value.len())),
            ),
            (
                "tags",
                MAX_ITEMS,
                entry.tags.as_ref().map(|l| (l.span, l.value.len())),
            ),
            (
                "examples",
                MAX_ITEMS,
                entry.examples.as_ref().map(|l| (l.span, l.value.len())),
            ),
            (
                "variants",
                MAX_VARIANTS,
                entry.variants.as_ref().map(|l| (l.span, l.value.len())),
            ),
        ];
        for (key, max, found) in counted {
            if let Some((span, n)) = found.filter(|(_, n)| n > &max) {
                self.push(
                    Diagnostic::new(
                        Rule::LimitExceeded,
                        format!("`{key}` lists {n} items; an entry may list at most {max}"),
                    )
                    .at(self.file, span)
                    .hint("split the entry, or keep the list to what a reader needs"),
                );
            }
        }
    }

    fn markdown(&mut self, text: &Spanned<String>) {
        self.no_control_characters(text, "markdown");
        let allow_html = self.config.is_some_and(|c| c.file.allow_html);
        let links = check_markdown(self.file, text, allow_html, self.out);
        self.facts.code_links.extend(links);
    }

    fn url(&mut self, url: &str, span: Span) {
        check_url(self.file, url, span, self.out);
    }

    fn non_empty(&mut self, span: Span, empty: bool, what: &str) {
        if empty {
            self.push(
                Diagnostic::new(Rule::EmptyList, format!("`{what}` is empty"))
                    .at(self.file, span)
                    .hint("add items, or remove the key"),
            );
        }
    }
}

/// Checks the links and HTML of one markdown text; returns its `code:` links
/// (with their spans), which can only be checked once every entry is known.
pub(super) fn check_markdown<'a>(
    file: &'a SourceFile,
    text: &Spanned<String>,
    allow_html: bool,
    out: &mut Findings<'a>,
) -> Vec<Spanned<String>> {
    if text.value.len() > markdown::MAX_MARKDOWN_BYTES {
        out.push(
            &file.path,
            Diagnostic::new(
                Rule::LimitExceeded,
                format!(
                    "this markdown is {} KiB; one field may hold at most {} KiB",
                    text.value.len().div_ceil(1024),
                    markdown::MAX_MARKDOWN_BYTES / 1024
                ),
            )
            .at(file, text.span)
            .hint("keep the reference of an error short, and link to longer documents"),
        );
        return Vec::new();
    }
    if let Some((offset, depth)) = markdown::too_deep(&text.value) {
        let span = file.span_in_value(text.span, &text.value, offset, 1);
        out.push(
            &file.path,
            Diagnostic::new(
                Rule::LimitExceeded,
                format!(
                    "block quotes and lists are nested {depth} deep here; markdown may nest at most {} levels",
                    markdown::MAX_NESTING
                ),
            )
            .at(file, span)
            .label("nested too deeply"),
        );
        // Not parsed: each level would cost the parser an element.
        return Vec::new();
    }
    let scan = markdown::scan(&text.value);
    let mut code_links = Vec::new();
    for link in &scan.links {
        let span = file.span_in_value(text.span, &text.value, link.range.start, link.range.len());
        if let LinkKind::Code(code) = markdown::link_kind(&link.url) {
            code_links.push(Spanned::new(code.to_owned(), span));
        } else {
            check_url(file, &link.url, span, out);
        }
    }
    if let (Some(range), false) = (&scan.first_html, allow_html) {
        let span = file.span_in_value(text.span, &text.value, range.start, range.len());
        out.push(
            &file.path,
            Diagnostic::new(Rule::RawHtml, "raw HTML in markdown is shown as text")
                .at(file, span)
                .hint(format!(
                    "use markdown instead, or set `allow_html: true` in {CONFIG_FILE}"
                )),
        );
    }
    code_links
}

fn check_url<'a>(file: &'a SourceFile, url: &str, span: Span, out: &mut Findings<'a>) {
    match markdown::link_kind(url) {
        LinkKind::Unsafe(scheme) => out.push(
            &file.path,
            Diagnostic::new(
                Rule::UnsafeUrl,
                format!("`{scheme}:` links are not allowed"),
            )
            .at(file, span)
            .label("this link would be dropped")
            .hint("link to an http(s) page, a relative path or a `code:` page"),
        ),
        LinkKind::Insecure => out.push(
            &file.path,
            Diagnostic::new(
                Rule::InsecureLink,
                "this link uses http:// instead of https://",
            )
            .at(file, span)
            .hint(format!("use {}", url.replacen("http://", "https://", 1))),
        ),
        LinkKind::Safe | LinkKind::Code(_) => {}
    }
}

/// Checks of the config that need the entries: the fallback code, redirects, and links in the intro.
fn as_written<'a>(file: &'a SourceFile, code: &'a Spanned<Code>) -> &'a str {
    match code.value.number_kind() {
        Some(_) => file.slice(code.span),
        None => code.value.as_str(),
    }
}

/// Where `TODO` appears as a word, if it does.
fn find_todo(text: &str) -> Option<usize> {
    text.match_indices("TODO").map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + 4..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Why a code cannot be a folder name, if it cannot.
pub fn path_problem(code: &str) -> Option<&'static str> {
    if code.is_empty() {
        Some("it is empty")
    } else if crate::layout::url_segment(code).len() > MAX_CODE_BYTES {
        Some(
            "its file name (percent-encoded) is longer than 200 bytes, too long for file systems \
             (`<code>.json` must fit in 255)",
        )
    } else if code == "." || code == ".." {
        Some("`.` and `..` are not names")
    } else if code.contains(['/', '\\']) {
        Some("it contains a slash")
    } else if code
        .chars()
        .any(|c| c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
    {
        Some("it contains a character that file systems or URLs do not allow")
    } else if code.ends_with(['.', ' ']) {
        Some("Windows drops a dot or space at the end of a file name")
    } else if windows_reserved(code) {
        Some("it is a device name on Windows (con, nul, com1, …), which no file there can have")
    } else {
        None
    }
}

/// `con`, `prn`, `aux`, `nul`, `com1`–`com9` and `lpt1`–`lpt9`, in any case,
/// alone or before an extension: names Windows keeps for devices.
fn windows_reserved(code: &str) -> bool {
    let stem = code.split('.').next().unwrap_or(code).to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

/// The span of the key written before a value (`codes:` before `[503, 504]`).
fn key_span(file: &SourceFile, value: Span, key: &str) -> Span {
    let line = file.position(value.start()).line;
    let line_start = file.offset(line, 1);
    match file.line(line).find(key) {
        Some(at) => Span::new(line_start + at, key.len()),
        None => value,
    }
}

fn first_line(file: &SourceFile) -> Span {
    let first = (1..=file.text.lines().count())
        .find(|&n| {
            let line = file.line(n).trim();
            !line.is_empty() && !line.starts_with('#') && line != "---"
        })
        .unwrap_or(1);
    let start = file.offset(first, 1);
    Span::new(start, file.line(first).len())
}

/// Byte offset of a 1-based line and column (as serde_json counts them) in `text`.
fn offset_of_line_column(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_code_names_are_refused() {
        assert!(path_problem("429").is_none());
        assert!(path_problem("a/b").is_some());
        assert!(path_problem("..").is_some());
        assert!(path_problem("a:b").is_some());
    }

    #[test]
    fn json_positions_map_to_offsets() {
        assert_eq!(offset_of_line_column("{\n  x\n}", 2, 3), 4);
    }
}
