//! `errdex export --format rust|typescript|python|go`: the catalog as a
//! source file of constants that SDKs import, so client code names errors
//! the way the docs do and links to their pages.
//!
//! Every entry becomes one constant, and so does every variant (its `code`
//! is its `type`, its `url` the variant's anchor). A lookup table maps every
//! code, alias and type to its constant. Names come from titles
//! (`TOO_MANY_REQUESTS`), made unique with the code when titles repeat.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::entry::Status;
use crate::site::{self, Site};

/// A language to write constants in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Language {
    /// A Rust module: a `ErrorCode` struct, constants and `lookup`.
    Rust,
    /// A TypeScript module: an `ErrorCode` interface, constants and `lookup`.
    Typescript,
    /// A Python module: a frozen dataclass, constants and `lookup`.
    Python,
    /// A Go file (package `errcodes`): a struct, variables and `Lookup`.
    Go,
}

/// One constant to write.
struct Constant {
    /// SCREAMING_SNAKE_CASE name (Go turns it into CamelCase).
    name: String,
    code: String,
    title: String,
    summary: String,
    http_status: Option<i64>,
    retryable: Option<bool>,
    status: &'static str,
    url: String,
    /// Other codes that lead to it (aliases).
    aliases: Vec<String>,
}

fn constants(site: &Site) -> Vec<Constant> {
    let mut list = Vec::new();
    for e in &site.entries {
        let url = site.config.absolute_url(&site::entry_dir(&e.code));
        list.push(Constant {
            name: identifier(e.title(), &e.code),
            code: e.code.clone(),
            title: e.title().trim().to_owned(),
            summary: e.entry.summary.value.trim().to_owned(),
            http_status: e.entry.http_status.as_ref().map(|s| s.value),
            retryable: e.entry.retryable,
            status: e.entry.status().as_str(),
            url: url.clone(),
            aliases: e.aliases.clone(),
        });
        for v in e.entry.variants() {
            list.push(Constant {
                name: identifier(&v.kind.value, &v.kind.value),
                code: v.kind.value.clone(),
                title: v.title.value.trim().to_owned(),
                summary: v.summary.value.trim().to_owned(),
                http_status: e.entry.http_status.as_ref().map(|s| s.value),
                retryable: v.retryable.or(e.entry.retryable),
                status: e.entry.status().as_str(),
                url: format!("{url}#{}", v.kind.value),
                aliases: Vec::new(),
            });
        }
    }
    // Titles repeat ("Bad Request" for two codes): the code makes them unique.
    // The names the generated files use themselves count as taken.
    let mut counts: HashMap<String, usize> = RESERVED_NAMES
        .iter()
        .map(|n| ((*n).to_owned(), 1))
        .collect();
    for c in &list {
        *counts.entry(c.name.clone()).or_default() += 1;
    }
    for c in &mut list {
        if counts[&c.name] > 1 {
            c.name = format!("{}_{}", c.name, identifier(&c.code, "X"));
        }
    }
    // A name that still repeats (title A + code B equals title A_B) gets a number.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for c in &mut list {
        let n = seen.entry(c.name.clone()).or_default();
        *n += 1;
        if *n > 1 {
            c.name = format!("{}_{n}", c.name);
        }
    }
    list
}

/// Names the generated code defines besides the constants.
const RESERVED_NAMES: &[&str] = &[
    "ALL",
    "BY_CODE",
    "ERROR_CODE",
    "LOOKUP",
    "PTR",
    "OPTIONAL",
    "DATACLASS",
];

/// `Too Many Requests` → `TOO_MANY_REQUESTS`; names that would start with a
/// digit or be empty fall back to `E_` and the code.
fn identifier(text: &str, code: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    if out.is_empty() {
        return if code == text {
            "E".to_owned()
        } else {
            identifier(code, code)
        };
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("E_{out}")
    } else {
        out
    }
}

/// A string literal for TypeScript, Python and Go: JSON's escapes are a
/// subset of each of theirs.
fn lit(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// A Rust string literal (Rust writes `\u{1f}` where JSON writes `\u001f`).
fn rust_lit(text: &str) -> String {
    format!("{text:?}")
}

/// Writes the constants of `site` in `language`.
pub fn write(site: &Site, language: Language) -> String {
    let constants = constants(site);
    let mut lookup: Vec<(&str, &str)> = Vec::new();
    for c in &constants {
        lookup.push((&c.code, &c.name));
        for alias in &c.aliases {
            lookup.push((alias, &c.name));
        }
    }
    lookup.sort_unstable();
    lookup.dedup_by(|a, b| a.0 == b.0);
    let header = format!(
        "Error codes of {}, generated by errdex from {} — do not edit; run `errdex export` again.",
        site.config.title(),
        site.config.base_url
    );
    match language {
        Language::Rust => rust(&header, &constants, &lookup),
        Language::Typescript => typescript(&header, &constants, &lookup),
        Language::Python => python(&header, &constants, &lookup),
        Language::Go => go(&header, &constants, &lookup),
    }
}

fn doc_line(c: &Constant) -> String {
    let mut line = format!("{}: {}", c.code, c.title);
    if c.status != Status::Active.as_str() {
        let _ = write!(line, " ({})", c.status);
    }
    line.replace(['\n', '\r'], " ")
}

fn rust(header: &str, constants: &[Constant], lookup: &[(&str, &str)]) -> String {
    let mut out = format!(
        "//! {header}\n\n\
         /// One documented error code.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n\
         pub struct ErrorCode {{\n\
         \x20   /// The code (or a variant's `type`) as the API returns it.\n\
         \x20   pub code: &'static str,\n\
         \x20   /// A short title.\n\
         \x20   pub title: &'static str,\n\
         \x20   /// One sentence.\n\
         \x20   pub summary: &'static str,\n\
         \x20   /// The HTTP status returned with it.\n\
         \x20   pub http_status: Option<u16>,\n\
         \x20   /// Whether retrying later can succeed (`None`: the docs do not say).\n\
         \x20   pub retryable: Option<bool>,\n\
         \x20   /// `active`, `deprecated` or `removed`.\n\
         \x20   pub status: &'static str,\n\
         \x20   /// Its page in the error reference.\n\
         \x20   pub url: &'static str,\n\
         }}\n"
    );
    for c in constants {
        let _ = write!(
            out,
            "\n/// {}\npub const {}: ErrorCode = ErrorCode {{\n    code: {},\n    title: {},\n    summary: {},\n    http_status: {},\n    retryable: {},\n    status: {},\n    url: {},\n}};\n",
            doc_line(c),
            c.name,
            rust_lit(&c.code),
            rust_lit(&c.title),
            rust_lit(&c.summary),
            c.http_status
                .map_or("None".to_owned(), |s| format!("Some({s})")),
            c.retryable
                .map_or("None".to_owned(), |r| format!("Some({r})")),
            rust_lit(c.status),
            rust_lit(&c.url),
        );
    }
    out.push_str("\n/// Every documented code, in the reference's order.\npub const ALL: &[ErrorCode] = &[\n");
    for c in constants {
        let _ = writeln!(out, "    {},", c.name);
    }
    out.push_str("];\n\n/// Codes, aliases and variant types, sorted, with what they document.\nconst BY_CODE: &[(&str, ErrorCode)] = &[\n");
    for (code, name) in lookup {
        let _ = writeln!(out, "    ({}, {name}),", rust_lit(code));
    }
    out.push_str(
        "];\n\n/// The documented error for a code, an alias or a variant type.\npub fn lookup(code: &str) -> Option<&'static ErrorCode> {\n    BY_CODE\n        .binary_search_by(|(c, _)| (*c).cmp(code))\n        .ok()\n        .map(|i| &BY_CODE[i].1)\n}\n",
    );
    out
}

fn typescript(header: &str, constants: &[Constant], lookup: &[(&str, &str)]) -> String {
    let mut out = format!(
        "// {header}\n\n\
         /** One documented error code. */\n\
         export interface ErrorCode {{\n\
         \x20 /** The code (or a variant's `type`) as the API returns it. */\n\
         \x20 readonly code: string;\n\
         \x20 readonly title: string;\n\
         \x20 readonly summary: string;\n\
         \x20 readonly httpStatus: number | null;\n\
         \x20 /** Whether retrying later can succeed (null: the docs do not say). */\n\
         \x20 readonly retryable: boolean | null;\n\
         \x20 readonly status: \"active\" | \"deprecated\" | \"removed\";\n\
         \x20 /** Its page in the error reference. */\n\
         \x20 readonly url: string;\n\
         }}\n"
    );
    for c in constants {
        let _ = write!(
            out,
            "\n/** {} */\nexport const {}: ErrorCode = {{\n  code: {},\n  title: {},\n  summary: {},\n  httpStatus: {},\n  retryable: {},\n  status: {},\n  url: {},\n}};\n",
            doc_line(c).replace("*/", "* /"),
            c.name,
            lit(&c.code),
            lit(&c.title),
            lit(&c.summary),
            c.http_status.map_or("null".to_owned(), |s| s.to_string()),
            c.retryable.map_or("null".to_owned(), |r| r.to_string()),
            lit(c.status),
            lit(&c.url),
        );
    }
    out.push_str("\n/** Every documented code, in the reference's order. */\nexport const ALL: readonly ErrorCode[] = [\n");
    for c in constants {
        let _ = writeln!(out, "  {},", c.name);
    }
    out.push_str(
        "];\n\nconst BY_CODE: ReadonlyMap<string, ErrorCode> = new Map<string, ErrorCode>([\n",
    );
    for (code, name) in lookup {
        let _ = writeln!(out, "  [{}, {name}],", lit(code));
    }
    out.push_str("]);\n\n/** The documented error for a code, an alias or a variant type. */\nexport function lookup(code: string | number): ErrorCode | undefined {\n  return BY_CODE.get(String(code));\n}\n");
    out
}

fn python(header: &str, constants: &[Constant], lookup: &[(&str, &str)]) -> String {
    let mut out = format!(
        "\"\"\"{}\"\"\"\n\nfrom __future__ import annotations\n\nfrom dataclasses import dataclass\nfrom typing import Optional\n\n\n\
         @dataclass(frozen=True)\n\
         class ErrorCode:\n\
         \x20   \"\"\"One documented error code.\"\"\"\n\n\
         \x20   code: str\n\
         \x20   \"\"\"The code (or a variant's type) as the API returns it.\"\"\"\n\
         \x20   title: str\n\
         \x20   summary: str\n\
         \x20   http_status: Optional[int]\n\
         \x20   retryable: Optional[bool]\n\
         \x20   \"\"\"Whether retrying later can succeed (None: the docs do not say).\"\"\"\n\
         \x20   status: str\n\
         \x20   url: str\n\
         \x20   \"\"\"Its page in the error reference.\"\"\"\n\n",
        header
            .replace('\\', "\\\\")
            .replace("\"\"\"", "\\\"\\\"\\\"")
    );
    for c in constants {
        let _ = write!(
            out,
            "\n{} = ErrorCode(\n    code={},\n    title={},\n    summary={},\n    http_status={},\n    retryable={},\n    status={},\n    url={},\n)\n",
            c.name,
            lit(&c.code),
            lit(&c.title),
            lit(&c.summary),
            c.http_status.map_or("None".to_owned(), |s| s.to_string()),
            c.retryable
                .map_or("None", |r| if r { "True" } else { "False" }),
            lit(c.status),
            lit(&c.url),
        );
        let _ = writeln!(
            out,
            "\"\"\"{}\"\"\"",
            doc_line(c).replace('\\', "\\\\").replace('"', "\\\"")
        );
    }
    out.push_str("\nALL: tuple[ErrorCode, ...] = (\n");
    for c in constants {
        let _ = writeln!(out, "    {},", c.name);
    }
    out.push_str(")\n\"\"\"Every documented code, in the reference's order.\"\"\"\n\n_BY_CODE: dict[str, ErrorCode] = {\n");
    for (code, name) in lookup {
        let _ = writeln!(out, "    {}: {name},", lit(code));
    }
    out.push_str("}\n\n\ndef lookup(code: str | int) -> Optional[ErrorCode]:\n    \"\"\"The documented error for a code, an alias or a variant type.\"\"\"\n    return _BY_CODE.get(str(code))\n");
    out
}

/// `TOO_MANY_REQUESTS` → `TooManyRequests`; `E_429` → `E429`.
fn camel(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let lower = part.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn go(header: &str, constants: &[Constant], lookup: &[(&str, &str)]) -> String {
    let mut out = format!(
        "// Package errcodes: {header}\npackage errcodes\n\n\
         // ErrorCode is one documented error code.\n\
         type ErrorCode struct {{\n\
         \t// Code is the code (or a variant's type) as the API returns it.\n\
         \tCode string\n\
         \tTitle string\n\
         \tSummary string\n\
         \t// HTTPStatus is 0 when the docs give none.\n\
         \tHTTPStatus int\n\
         \t// Retryable is nil when the docs do not say.\n\
         \tRetryable *bool\n\
         \t// Status is \"active\", \"deprecated\" or \"removed\".\n\
         \tStatus string\n\
         \t// URL is its page in the error reference.\n\
         \tURL string\n\
         }}\n\n\
         func ptr(b bool) *bool {{ return &b }}\n"
    );
    for c in constants {
        let name = camel(&c.name);
        let _ = write!(
            out,
            "\n// {name} is {}.\nvar {name} = ErrorCode{{\n\tCode: {},\n\tTitle: {},\n\tSummary: {},\n\tHTTPStatus: {},\n\tRetryable: {},\n\tStatus: {},\n\tURL: {},\n}}\n",
            doc_line(c),
            lit(&c.code),
            lit(&c.title),
            lit(&c.summary),
            c.http_status.unwrap_or(0),
            c.retryable
                .map_or("nil".to_owned(), |r| format!("ptr({r})")),
            lit(c.status),
            lit(&c.url),
        );
    }
    out.push_str("\n// All lists every documented code, in the reference's order.\nvar All = []*ErrorCode{\n");
    for c in constants {
        let _ = writeln!(out, "\t&{},", camel(&c.name));
    }
    out.push_str("}\n\nvar byCode = map[string]*ErrorCode{\n");
    for (code, name) in lookup {
        let _ = writeln!(out, "\t{}: &{},", lit(code), camel(name));
    }
    out.push_str("}\n\n// Lookup returns the documented error for a code, an alias or a variant type.\nfunc Lookup(code string) (*ErrorCode, bool) {\n\te, ok := byCode[code]\n\treturn e, ok\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_titles_and_never_start_with_a_digit() {
        assert_eq!(identifier("Too Many Requests", "429"), "TOO_MANY_REQUESTS");
        assert_eq!(
            identifier("Service Unavailable / Gateway Timeout", "503"),
            "SERVICE_UNAVAILABLE_GATEWAY_TIMEOUT"
        );
        assert_eq!(identifier("503 overload", "503"), "E_503_OVERLOAD");
        assert_eq!(identifier("…", "E0308"), "E0308");
        assert_eq!(identifier("", "429"), "E_429");
        assert_eq!(camel("TOO_MANY_REQUESTS"), "TooManyRequests");
        assert_eq!(camel("E_429"), "E429");
    }
}
