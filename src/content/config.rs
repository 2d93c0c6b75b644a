//! The site configuration, `errdex.yaml`: its types and its checks.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use crate::content::entry::Code;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::rules::Rule;
use crate::diagnostics::source::SourceFile;
use crate::diagnostics::span::Spanned;

/// Largest site that gets the one-page view when `one_page_max` is not set.
pub const DEFAULT_ONE_PAGE_MAX: usize = 2000;

/// Largest site whose home page lists every code when `home_list_max` is not set.
pub const DEFAULT_HOME_LIST_MAX: usize = 500;

/// Rows of a category page when `category_page_size` is not set.
pub const DEFAULT_CATEGORY_PAGE_SIZE: usize = 200;

/// The code pattern used when `code_pattern` is not set.
pub const DEFAULT_CODE_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

/// `errdex.yaml`, as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "errdex site config",
    description = "The configuration of an errdex site: errdex.yaml at the site root."
)]
pub struct ConfigFile {
    /// The site's title, shown in the header and in every page title.
    #[schemars(length(min = 1), example = &"Novita AI API Error Codes")]
    pub title: Spanned<String>,
    /// The absolute URL the site is published at; used for canonical links, the sitemap and exports.
    #[schemars(length(min = 1), example = &"https://docs.example.com/errors")]
    pub base_url: Spanned<String>,
    /// One sentence describing the site, used as the home page's meta description.
    #[schemars(example = &"How to read and fix errors returned by the API.")]
    pub description: Option<Spanned<String>>,
    /// The language of the content, as a BCP 47 tag; `en` when not set.
    #[schemars(example = &"en")]
    pub language: Option<Spanned<String>>,
    /// Markdown shown at the top of the home page.
    #[schemars(example = &"Every error response carries an HTTP status code and a `message` field.")]
    pub intro: Option<Spanned<String>>,
    /// The categories entries are grouped in, in display order. An entry's `category` must be one of these keys.
    #[schemars(example = categories_example())]
    pub categories: Spanned<KeyedList<Category>>,
    /// Audiences that solutions can be split by, in display order: key to heading.
    #[schemars(example = audiences_example())]
    pub audiences: Option<Spanned<KeyedList<Spanned<String>>>>,
    /// The code of the entry shown on the 404 page and when a search finds nothing.
    #[schemars(example = &"other")]
    pub fallback: Option<Spanned<Code>>,
    /// Link to edit an entry's source; `{path}` is replaced by the file's path relative to the site root.
    #[schemars(example = &"https://github.com/ORG/REPO/edit/main/{path}")]
    pub edit_url: Option<Spanned<String>>,
    /// Regular expression every code must match in full.
    #[schemars(example = DEFAULT_CODE_PATTERN)]
    pub code_pattern: Option<Spanned<String>>,
    /// Codes that no longer have an entry, each with the code readers should land on instead (a code renamed, or merged into another). The old URLs keep working.
    #[schemars(example = redirects_example())]
    pub redirects: Option<Spanned<KeyedList<Spanned<Code>>>>,
    /// Where readers report a problem with a page, shown as "Was this page helpful? Report a problem" on every entry. `{code}`, `{title}` and `{url}` are replaced (URL-encoded) by the entry's code, title and address: a prefilled GitHub issue, a form, or a `mailto:` link.
    #[schemars(example = &"https://github.com/ORG/REPO/issues/new?title={code}%3A%20{title}&body={url}")]
    pub feedback_url: Option<Spanned<String>>,
    /// Words that mean the same on this site, for search: each item a list of words or phrases (`[[kb, knowledge base], [org, organization, workspace]]`). A query with one of them also finds entries that say another. Applies in any language, beside the built-in error vocabulary of English sites.
    #[schemars(example = synonyms_example())]
    pub synonyms: Option<Spanned<Vec<Spanned<SynonymGroup>>>>,
    /// Days after an entry's `reviewed` date before `check` warns that it is stale.
    #[schemars(range(min = 1), example = 180)]
    pub review_after_days: Option<Spanned<u32>>,
    /// The one-page view, `all/index.html` (every entry in full, for Ctrl-F and printing), is written for sites of up to this many entries; 0 turns it off. Default 2000: beyond that a single page is too heavy to be useful.
    #[schemars(example = 2000)]
    pub one_page_max: Option<Spanned<u32>>,
    /// The home page lists every code for sites of up to this many entries; larger sites get an overview instead: the categories with their counts, and the `featured` codes. Every code stays reachable without JavaScript through the category pages. Default 500.
    #[schemars(example = 500)]
    pub home_list_max: Option<Spanned<u32>>,
    /// Codes the home page shows first, under "Common errors": the ones readers ask about most.
    #[schemars(example = featured_example())]
    pub featured: Option<Spanned<Vec<Spanned<Code>>>>,
    /// Rows a category page shows before the rest go to further pages (`categories/KEY/page/2/`, ...). Default 200.
    #[schemars(range(min = 10), example = 200)]
    pub category_page_size: Option<Spanned<u32>>,
    /// The language of fenced code blocks and examples that name none (`bash`, `json`, `python`, ...): they are highlighted as this language. Default: none, shown as plain text.
    #[schemars(example = &"json")]
    pub code_language: Option<Spanned<String>>,
    /// The fixed wording of pages, for catalogs whose words differ from an API's or are in another language. Placeholders in braces are filled in.
    #[schemars(example = labels_example())]
    pub labels: Option<Spanned<Labels>>,
    /// Pass raw HTML in markdown through to pages instead of showing it as text. Only for sites whose every editor is trusted.
    #[serde(default)]
    #[schemars(example = false)]
    pub allow_html: bool,
    /// What a build writes besides the pages: each code's JSON and markdown, and `llms-full.txt`.
    #[schemars(example = outputs_example())]
    pub outputs: Option<Spanned<Outputs>>,
    /// The host the site is published on: a build warns when its output would not fit the host's limits (files a site, bytes a file, bytes a site).
    #[schemars(example = &"cloudflare-pages")]
    pub deploy: Option<Spanned<Host>>,
}

/// What a build writes besides the pages (`outputs` in errdex.yaml).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = outputs_example())]
pub struct Outputs {
    /// The files of each code: `html` (its page, always written), `json`
    /// (`errors/{code}.json`: the entry with the HTML and plain text of its
    /// markdown) and `markdown` (`errors/{code}.md`). Default: `[html]`.
    #[schemars(example = code_outputs_example())]
    pub code: Option<Vec<CodeOutput>>,
    /// Write `llms-full.txt`, every entry in full as markdown (in parts of at
    /// most 16 MiB, listed by `llms-full.txt`, when larger). Default: for
    /// sites of up to 10,000 entries.
    #[schemars(example = true)]
    pub llms_full: Option<bool>,
}

/// The fixed wording of pages (`labels` in errdex.yaml); each has an
/// English default.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// The badge and banner heading of a deprecated code. Default: `Deprecated`.
    #[schemars(example = &"Deprecated")]
    pub deprecated: Option<Spanned<String>>,
    /// The banner text of a deprecated code. Default: `The API still returns this code, but it is being phased out.`
    #[schemars(example = &"The compiler still reports this code, but it is being phased out.")]
    pub deprecated_note: Option<Spanned<String>>,
    /// Its replacement, `{code}` being the link to it. Default: `Its replacement is {code}.`
    #[schemars(example = &"Use {code} instead.")]
    pub replacement: Option<Spanned<String>>,
    /// The badge and banner heading of a removed code. Default: `Removed`.
    #[schemars(example = &"Removed")]
    pub removed: Option<Spanned<String>>,
    /// The banner heading of a code removed in a known version, `{version}` being `removed_in`. Default: `Removed in {version}`.
    #[schemars(example = &"Removed in {version}")]
    pub removed_in: Option<Spanned<String>>,
    /// The banner text of a removed code. Default: `Current versions of the API no longer return this code; the page stays for reference.`
    #[schemars(example = &"Current compilers no longer report this code; the page stays for reference.")]
    pub removed_note: Option<Spanned<String>>,
    /// What replaced a removed code, `{code}` being the link to it. Default: `It was replaced by {code}.`
    #[schemars(example = &"It was replaced by {code}.")]
    pub replaced: Option<Spanned<String>>,
    /// The note a reader sees on arriving from an alias's address: `{alias}` is the code they came for, `{code}` the entry's. Default: `{alias} is documented here with {code}.`
    #[schemars(example = &"{alias} is documented here with {code}.")]
    pub alias_arrival: Option<Spanned<String>>,
}

/// The labels, their placeholders and their defaults, in the order of [`Labels`].
pub const LABELS: &[(&str, &[&str], &str)] = &[
    ("deprecated", &[], "Deprecated"),
    (
        "deprecated_note",
        &[],
        "The API still returns this code, but it is being phased out.",
    ),
    ("replacement", &["{code}"], "Its replacement is {code}."),
    ("removed", &[], "Removed"),
    ("removed_in", &["{version}"], "Removed in {version}"),
    (
        "removed_note",
        &[],
        "Current versions of the API no longer return this code; the page stays for reference.",
    ),
    ("replaced", &["{code}"], "It was replaced by {code}."),
    (
        "alias_arrival",
        &["{alias}", "{code}"],
        "{alias} is documented here with {code}.",
    ),
];

impl Labels {
    /// Each label as written, in the order of [`LABELS`].
    fn written(&self) -> [Option<&Spanned<String>>; LABELS.len()] {
        [
            self.deprecated.as_ref(),
            self.deprecated_note.as_ref(),
            self.replacement.as_ref(),
            self.removed.as_ref(),
            self.removed_in.as_ref(),
            self.removed_note.as_ref(),
            self.replaced.as_ref(),
            self.alias_arrival.as_ref(),
        ]
    }
}

fn labels_example() -> serde_json::Value {
    serde_json::json!({
        "deprecated_note": "The compiler still reports this code, but it is being phased out.",
        "removed_note": "Current compilers no longer emit this code; the page stays for reference."
    })
}

fn featured_example() -> serde_json::Value {
    serde_json::json!(["429", "401", "500"])
}

/// Words or phrases that mean the same (one item of `synonyms`).
pub type SynonymGroup = Vec<Spanned<String>>;

fn synonyms_example() -> serde_json::Value {
    serde_json::json!([
        ["kb", "knowledge base"],
        ["org", "organization", "workspace"]
    ])
}

fn code_outputs_example() -> serde_json::Value {
    serde_json::json!(["html", "json", "markdown"])
}

fn outputs_example() -> serde_json::Value {
    serde_json::json!({ "code": ["html", "json", "markdown"], "llms_full": true })
}

/// A file written for each code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CodeOutput {
    /// `errors/{code}/index.html`, the page (always written).
    Html,
    /// `errors/{code}.json`, also under each alias and redirected code.
    Json,
    /// `errors/{code}.md`, the page as markdown, linked from `llms.txt`.
    Markdown,
}

/// A static host whose limits a build checks its output against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Host {
    /// Cloudflare Pages, free plan: 20,000 files a site, 25 MiB a file.
    CloudflarePages,
    /// Cloudflare Pages, paid plans: 100,000 files a site, 25 MiB a file.
    CloudflarePagesPaid,
    /// GitHub Pages: 1 GB a site.
    GithubPages,
    /// GitLab Pages (gitlab.com): 200,000 files and folders a site, 1 GB a site.
    GitlabPages,
}

/// Entries up to which `llms-full.txt` is written when `outputs.llms_full` is not set.
pub const LLMS_FULL_MAX_ENTRIES: usize = 10_000;

fn redirects_example() -> serde_json::Value {
    serde_json::json!({ "E0100": "E0200", "rate_limited": "429" })
}

fn categories_example() -> serde_json::Value {
    serde_json::json!({
        "client": { "title": "Client errors", "description": "4xx: the request needs fixing." },
        "server": { "title": "Server errors", "description": "5xx: retry, or contact support." }
    })
}

fn audiences_example() -> serde_json::Value {
    serde_json::json!({ "api-users": "For API users", "platform": "For platform operators" })
}

/// A category of entries.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(example = category_example())]
pub struct Category {
    /// Heading of the category.
    #[schemars(length(min = 1), example = &"Client errors")]
    pub title: Spanned<String>,
    /// One sentence shown under the heading.
    #[schemars(example = &"4xx: the request needs fixing.")]
    pub description: Option<Spanned<String>>,
}

fn category_example() -> serde_json::Value {
    serde_json::json!({ "title": "Client errors", "description": "4xx: the request needs fixing." })
}

/// A YAML mapping read in the order it was written, with the span of each key.
#[derive(Debug, Clone)]
pub struct KeyedList<V>(pub Vec<(Spanned<String>, V)>);

impl<V> KeyedList<V> {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.value.as_str())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for KeyedList<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyedListVisitor<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for KeyedListVisitor<V> {
            type Value = KeyedList<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(KeyedList(entries))
            }
        }

        deserializer.deserialize_map(KeyedListVisitor(PhantomData))
    }
}

impl<V: JsonSchema> JsonSchema for KeyedList<V> {
    fn schema_name() -> Cow<'static, str> {
        format!("KeyedList_{}", V::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<V>();
        json_schema!({
            "type": "object",
            "additionalProperties": value,
            "minProperties": 1
        })
    }
}

/// A checked config: the file as written plus what was derived from it.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file as written, with spans.
    pub file: ConfigFile,
    /// Its source, for diagnostics that point into it.
    pub source: SourceFile,
    /// `base_url` without a trailing slash.
    pub base_url: String,
    /// The path part of `base_url`, with a trailing slash (`/` at a domain root).
    pub base_path: String,
    /// The compiled `code_pattern`, anchored at both ends.
    pub code_pattern: regex_lite::Regex,
}

impl Config {
    /// Checks a parsed config file; returns it with the derived values, or the problems found.
    pub fn check(file: ConfigFile, source: SourceFile) -> (Option<Config>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let base = parse_base_url(&file.base_url.value);
        if base.is_none() {
            diagnostics.push(
                Diagnostic::new(Rule::InvalidConfig, "`base_url` must be an absolute http(s) URL")
                    .at(&source, file.base_url.span)
                    .label("not an absolute URL")
                    .hint("write the address the site is published at, e.g. `https://docs.example.com/errors`"),
            );
        }
        let plain = std::iter::once((&file.title, "title"))
            .chain(file.description.iter().map(|d| (d, "description")))
            .chain(file.categories.value.0.iter().flat_map(|(_, c)| {
                std::iter::once((&c.title, "category title"))
                    .chain(c.description.iter().map(|d| (d, "category description")))
            }))
            .chain(
                file.audiences
                    .iter()
                    .flat_map(|a| a.value.0.iter().map(|(_, t)| (t, "audience title"))),
            );
        for (text, what) in plain {
            if let Some(c) = text
                .value
                .trim()
                .chars()
                .find(|&c| crate::content::unseen_character(c, what.ends_with("description")))
            {
                diagnostics.push(
                    Diagnostic::new(
                        Rule::ControlCharacter,
                        format!("the {what} holds the control character U+{:04X}", c as u32),
                    )
                    .at(&source, text.span)
                    .hint("remove it; write a line break as a space"),
                );
            }
        }
        let pattern_text = file
            .code_pattern
            .as_ref()
            .map_or(DEFAULT_CODE_PATTERN, |p| p.value.as_str());
        let pattern = regex_lite::Regex::new(&format!("^(?:{pattern_text})$"));
        if let (Err(error), Some(written)) = (&pattern, &file.code_pattern) {
            diagnostics.push(
                Diagnostic::new(
                    Rule::InvalidConfig,
                    "`code_pattern` is not a valid regular expression",
                )
                .at(&source, written.span)
                .label(first_line(&error.to_string())),
            );
        }
        if let Some(edit_url) = file
            .edit_url
            .as_ref()
            .filter(|u| !u.value.contains("{path}"))
        {
            diagnostics.push(
                Diagnostic::new(Rule::InvalidConfig, "`edit_url` must contain `{path}`")
                    .at(&source, edit_url.span)
                    .hint("errdex replaces `{path}` with the entry's file, e.g. `content/errors/429.yaml`"),
            );
        }
        if let Some(feedback_url) = &file.feedback_url {
            let url = feedback_url.value.trim();
            let scheme_ok = ["https://", "http://", "mailto:"]
                .iter()
                .any(|s| url.len() > s.len() && url[..s.len()].eq_ignore_ascii_case(s));
            if !scheme_ok {
                diagnostics.push(
                    Diagnostic::new(
                        Rule::InvalidConfig,
                        "`feedback_url` must be an https://, http:// or mailto: address",
                    )
                    .at(&source, feedback_url.span)
                    .hint("e.g. `https://github.com/ORG/REPO/issues/new?title={code}` or `mailto:docs@example.com?subject={code}`"),
                );
            }
        }
        if let Some(days) = file.review_after_days.as_ref().filter(|d| d.value == 0) {
            diagnostics.push(
                Diagnostic::new(
                    Rule::InvalidConfig,
                    "`review_after_days` must be at least 1",
                )
                .at(&source, days.span)
                .hint("remove the key to turn freshness checks off"),
            );
        }
        check_labels(&source, &file, &mut diagnostics);
        if let Some(size) = file.category_page_size.as_ref().filter(|s| s.value < 10) {
            diagnostics.push(
                Diagnostic::new(
                    Rule::InvalidConfig,
                    "`category_page_size` must be at least 10",
                )
                .at(&source, size.span)
                .hint("a category page shows this many codes; 200 is the default"),
            );
        }
        check_non_empty(&source, &file, &mut diagnostics);
        let config = match (base, pattern) {
            (Some((base_url, base_path)), Ok(code_pattern)) => Some(Config {
                file,
                source,
                base_url,
                base_path,
                code_pattern,
            }),
            _ => None,
        };
        (config, diagnostics)
    }

    /// Publishes the site under another URL (`build --base-url`, `serve`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        let (base_url, base_path) = parse_base_url(url).ok_or_else(|| {
            Diagnostic::new(
                Rule::InvalidConfig,
                format!("base URL `{url}` is not an absolute http(s) URL"),
            )
            .hint("write the full address, e.g. `https://example.com/docs/errors/`")
        })?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }

    /// The site title.
    pub fn title(&self) -> &str {
        &self.file.title.value
    }

    /// The content language (`en` by default).
    pub fn language(&self) -> &str {
        self.file
            .language
            .as_ref()
            .map_or("en", |l| l.value.as_str())
    }

    /// Category keys and definitions, in display order.
    pub fn categories(&self) -> &[(Spanned<String>, Category)] {
        &self.file.categories.value.0
    }

    /// The position of a category in display order.
    pub fn category_index(&self, key: &str) -> Option<usize> {
        self.categories().iter().position(|(k, _)| k.value == key)
    }

    /// Audience keys and headings, in display order.
    pub fn audiences(&self) -> &[(Spanned<String>, Spanned<String>)] {
        self.file
            .audiences
            .as_ref()
            .map_or(&[], |a| a.value.0.as_slice())
    }

    /// Whether each code gets `output` besides its page.
    pub fn writes(&self, output: CodeOutput) -> bool {
        output == CodeOutput::Html
            || self
                .file
                .outputs
                .as_ref()
                .and_then(|o| o.value.code.as_ref())
                .is_some_and(|code| code.contains(&output))
    }

    /// Whether `llms-full.txt` is written for a site of `entries` entries.
    pub fn writes_llms_full(&self, entries: usize) -> bool {
        self.file
            .outputs
            .as_ref()
            .and_then(|o| o.value.llms_full)
            .unwrap_or(entries <= LLMS_FULL_MAX_ENTRIES)
    }

    /// Whether the content is English (`language` is `en` or `en-…`): search
    /// stems English words and knows the English vocabulary of errors.
    pub fn is_english(&self) -> bool {
        let language = self.language().to_ascii_lowercase();
        language == "en" || language.starts_with("en-")
    }

    /// The site's synonym groups, each a list of words or phrases.
    pub fn synonyms(&self) -> Vec<Vec<String>> {
        self.file
            .synonyms
            .iter()
            .flat_map(|s| &s.value)
            .map(|group| {
                group
                    .value
                    .iter()
                    .map(|w| w.value.trim().to_owned())
                    .collect()
            })
            .collect()
    }

    /// The host the site is published on, when `deploy` names one.
    pub fn host(&self) -> Option<&Spanned<Host>> {
        self.file.deploy.as_ref()
    }

    /// Entries up to which the one-page view `all/index.html` is written (0: never).
    pub fn one_page_max(&self) -> usize {
        self.file
            .one_page_max
            .as_ref()
            .map_or(DEFAULT_ONE_PAGE_MAX, |m| m.value as usize)
    }

    /// Entries up to which the home page lists every code.
    pub fn home_list_max(&self) -> usize {
        self.file
            .home_list_max
            .as_ref()
            .map_or(DEFAULT_HOME_LIST_MAX, |m| m.value as usize)
    }

    /// Rows a category page shows.
    pub fn category_page_size(&self) -> usize {
        self.file
            .category_page_size
            .as_ref()
            .map_or(DEFAULT_CATEGORY_PAGE_SIZE, |m| (m.value as usize).max(10))
    }

    /// The codes the home page of a large site shows first, as written.
    pub fn featured(&self) -> &[Spanned<Code>] {
        self.file.featured.as_ref().map_or(&[], |f| &f.value)
    }

    /// The language of code blocks that name none, when the site sets one.
    pub fn code_language(&self) -> Option<&str> {
        self.file
            .code_language
            .as_ref()
            .map(|l| l.value.trim())
            .filter(|l| !l.is_empty())
    }

    /// Every label, key to text: the site's where it sets one, the default
    /// otherwise.
    pub fn labels(&self) -> std::collections::BTreeMap<&'static str, &str> {
        let written = self
            .file
            .labels
            .as_ref()
            .map(|l| l.value.written())
            .unwrap_or_default();
        LABELS
            .iter()
            .zip(written)
            .map(|((key, _, default), text)| (*key, text.map_or(*default, |t| t.value.as_str())))
            .collect()
    }

    /// The code pattern as written (or the default).
    pub fn code_pattern_text(&self) -> &str {
        self.file
            .code_pattern
            .as_ref()
            .map_or(DEFAULT_CODE_PATTERN, |p| p.value.as_str())
    }

    /// Redirected codes and their targets, as written.
    pub fn redirects(&self) -> &[(Spanned<String>, Spanned<Code>)] {
        self.file
            .redirects
            .as_ref()
            .map_or(&[], |r| r.value.0.as_slice())
    }

    /// Whether `code` matches the code pattern.
    pub fn code_matches(&self, code: &str) -> bool {
        self.code_pattern.is_match(code)
    }

    /// The absolute URL of a path relative to the site root.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}/{}", self.base_url, path)
    }
}

/// Every label keeps the placeholders its page fills in.
fn check_labels(source: &SourceFile, file: &ConfigFile, diagnostics: &mut Vec<Diagnostic>) {
    let Some(labels) = &file.labels else { return };
    for ((key, placeholders, default), written) in LABELS.iter().zip(labels.value.written()) {
        let Some(text) = written else { continue };
        if let Some(missing) = placeholders.iter().find(|p| !text.value.contains(**p)) {
            diagnostics.push(
                Diagnostic::new(
                    Rule::InvalidConfig,
                    format!("label `{key}` must contain `{missing}`"),
                )
                .at(source, text.span)
                .hint(format!("the default is `{default}`")),
            );
        }
    }
}

fn check_non_empty(source: &SourceFile, file: &ConfigFile, diagnostics: &mut Vec<Diagnostic>) {
    let mut texts = vec![("title", &file.title)];
    texts.extend(
        file.categories
            .value
            .0
            .iter()
            .map(|(_, c)| ("title", &c.title)),
    );
    for (key, text) in texts {
        if text.value.trim().is_empty() {
            diagnostics.push(
                Diagnostic::new(Rule::EmptyValue, format!("`{key}` is empty"))
                    .at(source, text.span),
            );
        }
    }
    if file.categories.value.0.is_empty() {
        diagnostics.push(
            Diagnostic::new(
                Rule::EmptyList,
                "`categories` is empty: every entry needs a category",
            )
            .at(source, file.categories.span),
        );
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or(text).to_owned()
}

/// Splits an absolute http(s) URL into (URL without trailing slash, path with trailing slash).
fn parse_base_url(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'));
    let path_ok = !path.contains(['?', '#', ' ', '\\']);
    if !host_ok || !path_ok {
        return None;
    }
    let path = path.trim_end_matches('/');
    let base_path = if path.is_empty() {
        "/".to_owned()
    } else {
        format!("/{path}/")
    };
    Some((url.trim_end_matches('/').to_owned(), base_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_split_into_url_and_path() {
        assert_eq!(
            parse_base_url("https://example.com/docs/errors/"),
            Some((
                "https://example.com/docs/errors".into(),
                "/docs/errors/".into()
            ))
        );
        assert_eq!(
            parse_base_url("http://127.0.0.1:8090"),
            Some(("http://127.0.0.1:8090".into(), "/".into()))
        );
        assert_eq!(parse_base_url("docs.example.com"), None);
        assert_eq!(parse_base_url("https://"), None);
        assert_eq!(parse_base_url("https://a.com/x?y"), None);
    }
}
