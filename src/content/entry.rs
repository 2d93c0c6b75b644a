//! The entry types: what an editor writes in `content/errors/*.yaml`.
//!
//! These types are the contract. Serde reads entries into them, schemars derives
//! the JSON Schema from them, and `shape` walks that schema to report every
//! structural mistake of a file at once. `Code`, `Step` and `Solutions` accept
//! several YAML shapes; they have small hand-written visitors rather than
//! `#[serde(untagged)]`, which reports errors at the wrong line and loses spans.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::diagnostics::span::Spanned;

/// One error entry, as written in its YAML file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "errdex entry",
    description = "One error code of an errdex site: what it means, why it happens, and how to fix it. Give exactly one of `code` and `codes`.",
    transform = require_code_or_codes
)]
pub struct Entry {
    /// The error code this page documents, as it appears in API responses. Numbers and text are both fine; quote codes with a leading zero (`"0429"`).
    #[schemars(example = 429, example = &"E0308", example = &"rate_limit_exceeded")]
    pub code: Option<Spanned<Code>>,
    /// Several codes documented by one page. The first is the primary code; the others get pages that redirect to it.
    #[schemars(length(min = 1), example = [503, 504])]
    pub codes: Option<Spanned<Vec<Spanned<Code>>>>,
    /// A short plain-text title, e.g. the HTTP reason phrase.
    #[schemars(length(min = 1), example = &"Too Many Requests")]
    pub title: Spanned<String>,
    /// One plain-text sentence: used as the meta description, the search snippet and on the index page. At most 200 characters.
    #[schemars(length(min = 1), example = &"Rate limit exceeded.")]
    pub summary: Spanned<String>,
    /// The messages the API returns with this error, verbatim, one per item. Write the parts that vary as `{name}` placeholders (`{{` and `}}` are literal braces). Shown on the page under "What you will see", and what search matches a pasted message against.
    #[schemars(length(min = 1), example = messages_example())]
    pub messages: Option<Spanned<Vec<Spanned<String>>>>,
    /// A key of `categories` in errdex.yaml.
    #[schemars(length(min = 1), example = &"client")]
    pub category: Spanned<String>,
    /// The HTTP status returned with this error, from 100 to 599.
    #[schemars(range(min = 100, max = 599), example = 429)]
    pub http_status: Option<Spanned<i64>>,
    /// Whether retrying the same request later can succeed.
    #[schemars(example = true)]
    pub retryable: Option<bool>,
    /// Markdown: what the error means, in more detail than the summary.
    #[schemars(example = &"You sent more requests or tokens per minute than your plan allows.")]
    pub description: Option<Spanned<String>>,
    /// Why this error happens: a list of steps (markdown text, or `text` with nested `steps`).
    #[schemars(example = ["Requests per minute (RPM) above your limit."])]
    pub causes: Option<Spanned<Steps>>,
    /// How to fix it: a list of steps, or a mapping from an audience key (see `audiences` in errdex.yaml) to a list of steps.
    #[schemars(example = solutions_example())]
    pub solutions: Option<Spanned<Solutions>>,
    /// Example requests or responses, shown as code blocks.
    #[schemars(length(min = 1), example = examples_example())]
    pub examples: Option<Spanned<Vec<Example>>>,
    /// Codes of related entries, linked from this page.
    #[schemars(length(min = 1), example = [503, 500])]
    pub related: Option<Spanned<Vec<Spanned<Code>>>>,
    /// Further reading, linked from this page.
    #[schemars(length(min = 1), example = links_example())]
    pub links: Option<Spanned<Vec<Link>>>,
    /// Words readers might search for that the text does not contain.
    #[schemars(length(min = 1), example = ["rate-limit", "quota"])]
    pub tags: Option<Spanned<Vec<Spanned<String>>>>,
    /// Marks the code as deprecated: the page stays, with a banner. Same as `status: deprecated`.
    #[schemars(example = false)]
    pub deprecated: Option<bool>,
    /// Where the code is in its life: `active` (the default), `deprecated` (still returned, on its way out) or `removed` (no longer returned; the page stays, left out of search unless the exact code is typed).
    #[schemars(example = &"deprecated")]
    pub status: Option<Spanned<Status>>,
    /// The code to use or expect instead, for a deprecated or removed code.
    #[schemars(example = &"rate_limit_exceeded")]
    pub replaced_by: Option<Spanned<Code>>,
    /// The API version that introduced the code.
    #[schemars(length(min = 1), example = &"v1.4")]
    pub since: Option<Spanned<String>>,
    /// The API version that stopped returning the code (with `status: removed`).
    #[schemars(length(min = 1), example = &"v3")]
    pub removed_in: Option<Spanned<String>>,
    /// Distinct problems reported under this one code, told apart by a `type` identifier in the error body (a 429 for a rate limit versus an exhausted quota).
    #[schemars(length(min = 1), example = variants_example())]
    pub variants: Option<Spanned<Vec<Variant>>>,
    /// When the entry was last checked against the API, as `YYYY-MM-DD`. With `review_after_days` in errdex.yaml, `check` warns once it is older.
    #[schemars(length(min = 10, max = 10), example = &"2026-11-02")]
    pub reviewed: Option<Spanned<String>>,
}

/// The lifecycle of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Returned by the API today.
    Active,
    /// Still returned, but on its way out: the page says what replaces it.
    Deprecated,
    /// No longer returned; the page stays for readers of old logs.
    Removed,
}

impl Status {
    /// The name as written in YAML and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Deprecated => "deprecated",
            Status::Removed => "removed",
        }
    }
}

/// One of several distinct problems under one code.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The identifier the API sends to tell this problem apart (e.g. the error body's `type`), unique across the site. It is the variant's anchor on the page and finds it in search.
    #[serde(rename = "type")]
    #[schemars(length(min = 1), example = &"rate_limit_exceeded")]
    pub kind: Spanned<String>,
    /// A short plain-text title.
    #[schemars(length(min = 1), example = &"Rate limit exceeded")]
    pub title: Spanned<String>,
    /// One plain-text sentence.
    #[schemars(length(min = 1), example = &"Too many requests per minute.")]
    pub summary: Spanned<String>,
    /// The messages the API returns for this variant, verbatim, with `{name}` placeholders (as the entry's `messages`).
    #[schemars(length(min = 1), example = messages_example())]
    pub messages: Option<Spanned<Vec<Spanned<String>>>>,
    /// Whether retrying later can succeed, when it differs from the entry's.
    #[schemars(example = true)]
    pub retryable: Option<bool>,
    /// Markdown: more detail.
    #[schemars(example = &"Limits are counted per minute, in requests (RPM) and tokens (TPM).")]
    pub description: Option<Spanned<String>>,
    /// Why this variant happens.
    #[schemars(example = ["More requests per minute than the plan allows."])]
    pub causes: Option<Spanned<Steps>>,
    /// How to fix it: a list of steps, or steps by audience.
    #[schemars(example = ["Retry with exponential backoff."])]
    pub solutions: Option<Spanned<Solutions>>,
}

fn messages_example() -> serde_json::Value {
    serde_json::json!(["Rate limit reached for {model}: {limit} requests per minute."])
}

fn variants_example() -> serde_json::Value {
    serde_json::json!([
        {
            "type": "rate_limit_exceeded",
            "title": "Rate limit exceeded",
            "summary": "Too many requests or tokens per minute.",
            "retryable": true,
            "solutions": ["Retry with exponential backoff."]
        },
        {
            "type": "insufficient_quota",
            "title": "Quota exhausted",
            "summary": "The account has used its monthly quota.",
            "retryable": false,
            "solutions": ["Upgrade the plan or wait for the next billing period."]
        }
    ])
}

fn solutions_example() -> serde_json::Value {
    serde_json::json!({
        "api-users": ["**Retry with exponential backoff.** Wait, then try again."],
        "platform": ["Raise the limit for the account."]
    })
}

fn examples_example() -> serde_json::Value {
    serde_json::json!([{
        "title": "Error response",
        "language": "json",
        "body": "{\"error\": {\"code\": 429, \"message\": \"Rate limit exceeded\"}}"
    }])
}

fn links_example() -> serde_json::Value {
    serde_json::json!([{ "title": "Rate limits", "url": "https://docs.example.com/rate-limits" }])
}

fn require_code_or_codes(schema: &mut Schema) {
    schema.insert(
        "oneOf".into(),
        serde_json::json!([{ "required": ["code"] }, { "required": ["codes"] }]),
    );
}

impl Entry {
    /// The lifecycle status: `status`, else `deprecated: true`, else active.
    pub fn status(&self) -> Status {
        match (&self.status, self.deprecated) {
            (Some(status), _) => status.value,
            (None, Some(true)) => Status::Deprecated,
            (None, _) => Status::Active,
        }
    }

    /// The entry's variants (none when it has no `variants`).
    pub fn variants(&self) -> &[Variant] {
        self.variants.as_ref().map_or(&[], |v| &v.value)
    }

    /// The codes of this entry, primary first.
    pub fn codes(&self) -> Vec<&Spanned<Code>> {
        match (&self.code, &self.codes) {
            (Some(code), _) => vec![code],
            (None, Some(codes)) => codes.value.iter().collect(),
            (None, None) => Vec::new(),
        }
    }
}

/// An example request or response.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// What the example shows.
    #[schemars(example = &"Error response")]
    pub title: Option<Spanned<String>>,
    /// The language of `body`, for highlighting (`json`, `http`, `python`, `sh`, ...). JSON examples must parse.
    #[schemars(example = &"json")]
    pub language: Option<Spanned<String>>,
    /// The code itself, shown verbatim.
    #[schemars(length(min = 1), example = &"{\"error\": {\"code\": 429, \"message\": \"Rate limit exceeded\"}}")]
    pub body: Spanned<String>,
}

/// A link to further reading.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The link text.
    #[schemars(length(min = 1), example = &"Rate limits")]
    pub title: Spanned<String>,
    /// Where it goes: an https URL, or a path relative to the site.
    #[schemars(length(min = 1), example = &"https://docs.example.com/rate-limits")]
    pub url: Spanned<String>,
}

/// An error code. Written as text (`E0308`, `"0429"`) or as a plain number (`429`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Code {
    text: String,
    #[serde(skip)]
    number: Option<NumberKind>,
}

/// How YAML read a code that was not quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberKind {
    /// A whole number, e.g. `429` (or `0429`, which YAML reads as 429).
    Integer,
    /// A number with a fraction or exponent, e.g. `4.29`.
    Float,
}

impl Code {
    /// A code written as text.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            number: None,
        }
    }

    /// The code as it appears in URLs and on pages.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether YAML read it as a number, and which kind.
    pub fn number_kind(&self) -> Option<NumberKind> {
        self.number
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;

        impl Visitor<'_> for CodeVisitor {
            type Value = Code;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an error code: text like `E0308` or a number like `429`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Code, E> {
                Ok(Code::new(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Code, E> {
                Ok(number(v.to_string(), NumberKind::Integer))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Code, E> {
                Ok(number(v.to_string(), NumberKind::Integer))
            }

            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Code, E> {
                Ok(number(v.to_string(), NumberKind::Integer))
            }

            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Code, E> {
                Ok(number(v.to_string(), NumberKind::Integer))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Code, E> {
                Ok(number(v.to_string(), NumberKind::Float))
            }
        }

        fn number(text: String, kind: NumberKind) -> Code {
            Code {
                text,
                number: Some(kind),
            }
        }

        deserializer.deserialize_any(CodeVisitor)
    }
}

impl JsonSchema for Code {
    fn schema_name() -> Cow<'static, str> {
        "Code".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An error code: text like `E0308`, or a number like `429`. Quote codes that YAML would change, such as `\"0429\"`.",
            "type": ["string", "integer"],
            "minLength": 1,
            "examples": [429, "E0308"]
        })
    }
}

/// A step of causes or solutions: markdown text, possibly with nested steps.
#[derive(Debug, Clone)]
pub struct Step {
    /// Markdown.
    pub text: Spanned<String>,
    /// Nested steps, shown as a sub-list.
    pub steps: Steps,
}

/// A list of steps.
#[derive(Debug, Clone, Default)]
pub struct Steps(pub Vec<Step>);

impl Steps {
    /// The steps in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Step> {
        self.0.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The steps and all their nested steps, depth first.
    pub fn walk(&self) -> Vec<&Step> {
        let mut out = Vec::new();
        let mut stack: Vec<&Step> = self.0.iter().rev().collect();
        while let Some(step) = stack.pop() {
            out.push(step);
            stack.extend(step.steps.0.iter().rev());
        }
        out
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StepVisitor;

        impl<'de> Visitor<'de> for StepVisitor {
            type Value = Step;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a step: markdown text, or a mapping with `text` and `steps`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Step, E> {
                Ok(Step {
                    text: Spanned::new(v.to_owned(), Default::default()),
                    steps: Steps::default(),
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Step, A::Error> {
                let mut text = None;
                let mut steps = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" if text.is_none() => text = Some(map.next_value()?),
                        "steps" if steps.is_none() => steps = Some(map.next_value()?),
                        "text" | "steps" => return Err(de::Error::duplicate_field("text")),
                        other => return Err(de::Error::unknown_field(other, &["text", "steps"])),
                    }
                }
                Ok(Step {
                    text: text.ok_or_else(|| de::Error::missing_field("text"))?,
                    steps: steps.unwrap_or_default(),
                })
            }
        }

        deserializer.deserialize_any(StepVisitor)
    }
}

impl<'de> Deserialize<'de> for Steps {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StepsVisitor;

        impl<'de> Visitor<'de> for StepsVisitor {
            type Value = Steps;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of steps")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Steps, A::Error> {
                read_steps(seq)
            }
        }

        deserializer.deserialize_seq(StepsVisitor)
    }
}

/// Reads a sequence of steps. A step written as plain text has no span of its
/// own inside the visitor; it takes the span of the list item.
fn read_steps<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Steps, A::Error> {
    let mut steps = Vec::with_capacity(seq.size_hint().unwrap_or(4));
    while let Some(item) = seq.next_element::<Spanned<Step>>()? {
        let mut step = item.value;
        if step.text.span == Default::default() {
            step.text.span = item.span;
        }
        steps.push(step);
    }
    if steps.capacity() > steps.len() {
        // Lists grow by doubling, and an allocator keeps a block that is at
        // least half used where it is when asked to shrink it: an exact copy
        // is what gives the rest back (a large catalog holds millions of steps).
        let mut exact = Vec::with_capacity(steps.len());
        exact.append(&mut steps);
        steps = exact;
    }
    Ok(Steps(steps))
}

impl JsonSchema for Step {
    fn schema_name() -> Cow<'static, str> {
        "Step".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let steps = generator.subschema_for::<Steps>();
        json_schema!({
            "description": "A step: markdown text, or `text` with nested `steps` shown as a sub-list.",
            "anyOf": [
                { "type": "string", "minLength": 1 },
                {
                    "type": "object",
                    "properties": {
                        "text": {
                            "description": "Markdown text of the step.",
                            "type": "string",
                            "minLength": 1,
                            "examples": ["Some models require identity verification to access:"]
                        },
                        "steps": {
                            "description": "Nested steps, shown as a sub-list under this one.",
                            "allOf": [steps],
                            "examples": [["Log in to the console and check your verification status."]]
                        }
                    },
                    "required": ["text"],
                    "additionalProperties": false
                }
            ],
            "examples": ["**Retry with exponential backoff.** Wait, then try again."]
        })
    }
}

impl JsonSchema for Steps {
    fn schema_name() -> Cow<'static, str> {
        "Steps".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let step = generator.subschema_for::<Step>();
        json_schema!({
            "description": "A list of steps, each markdown text or `text` with nested `steps`.",
            "type": "array",
            "items": step,
            "minItems": 1
        })
    }
}

/// The solutions of an entry: one list for everyone, or one list per audience.
#[derive(Debug, Clone)]
pub enum Solutions {
    /// One list of steps.
    List(Steps),
    /// Lists of steps keyed by audience, in the order written.
    ByAudience(Vec<(Spanned<String>, Steps)>),
}

impl Solutions {
    /// Every list of steps with its audience key, if any.
    pub fn groups(&self) -> Vec<(Option<&Spanned<String>>, &Steps)> {
        match self {
            Solutions::List(steps) => vec![(None, steps)],
            Solutions::ByAudience(groups) => groups.iter().map(|(k, s)| (Some(k), s)).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for Solutions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SolutionsVisitor;

        impl<'de> Visitor<'de> for SolutionsVisitor {
            type Value = Solutions;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of steps, or a mapping from audience to a list of steps")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Solutions, A::Error> {
                read_steps(seq).map(Solutions::List)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Solutions, A::Error> {
                let mut groups = Vec::new();
                while let Some(audience) = map.next_key::<Spanned<String>>()? {
                    groups.push((audience, map.next_value::<Steps>()?));
                }
                Ok(Solutions::ByAudience(groups))
            }
        }

        deserializer.deserialize_any(SolutionsVisitor)
    }
}

impl JsonSchema for Solutions {
    fn schema_name() -> Cow<'static, str> {
        "Solutions".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let steps = generator.subschema_for::<Steps>();
        json_schema!({
            "description": "How to fix the error: a list of steps, or a mapping from an audience key (see `audiences` in errdex.yaml) to a list of steps.",
            "anyOf": [
                steps,
                {
                    "type": "object",
                    "additionalProperties": steps,
                    "minProperties": 1,
                    "examples": [{ "api-users": ["Retry with exponential backoff."], "platform": ["Raise the limit for the account."] }]
                }
            ]
        })
    }
}
