//! Entry points for the fuzzer (`fuzz/`): untrusted bytes in, diagnostics or
//! pages out, never a panic. Not part of the public API.

use crate::publish;
use crate::render::{self, Pages};

/// The config used when fuzzing entries.
pub const CONFIG: &str = "title: Fuzz\nbase_url: https://example.com/errors\nfallback: other\ncategories:\n  client: { title: Client errors }\n  other: { title: Other errors }\naudiences:\n  api-users: For API users\n  platform: For platform operators\n";

/// Separates entry files in one fuzz input.
pub const FILE_SEPARATOR: &[u8] = b"\n%%\n";

/// Checks entry files cut from `data` (and renders the site when it is valid).
pub fn check_entries(data: &[u8]) -> usize {
    let files: Vec<(String, Vec<u8>)> = split(data)
        .enumerate()
        .map(|(i, bytes)| (format!("content/errors/{i}.yaml"), bytes.to_vec()))
        .collect();
    run(crate::check::load_in_memory(CONFIG.as_bytes(), &files))
}

/// Checks `data` as the config, with one valid entry.
pub fn check_config(data: &[u8]) -> usize {
    let entry =
        b"code: other\ntitle: Other\nsummary: Anything else.\ncategory: other\nsolutions: [Ask.]\n";
    run(crate::check::load_in_memory(
        data,
        &[("content/errors/other.yaml".to_owned(), entry.to_vec())],
    ))
}

/// Imports `data` as an error page; every entry file the importer writes
/// must be YAML errdex reads back (content rules aside).
pub fn import_page(data: &[u8]) -> usize {
    let text = String::from_utf8_lossy(data);
    let parsed = crate::commands::import::parse(&text);
    let loaded = crate::check::load_in_memory(CONFIG.as_bytes(), &[]);
    let Some(config) = loaded.config else {
        return 0;
    };
    let mut notes = Vec::new();
    let files: Vec<(String, Vec<u8>)> = parsed
        .entries
        .iter()
        .enumerate()
        .map(|(i, draft)| {
            let yaml = crate::commands::import::entry_yaml(draft, &config, &mut notes);
            (format!("content/errors/{i}.yaml"), yaml.into_bytes())
        })
        .collect();
    let reloaded = crate::check::load_in_memory(CONFIG.as_bytes(), &files);
    for d in &reloaded.diagnostics {
        assert!(
            !matches!(
                d.rule,
                crate::diagnostics::rules::Rule::YamlSyntax
                    | crate::diagnostics::rules::Rule::WrongType
                    | crate::diagnostics::rules::Rule::UnknownKey
                    | crate::diagnostics::rules::Rule::MissingKey
            ),
            "the importer wrote a file errdex cannot read: {}",
            d.message
        );
    }
    files.len() + notes.len() + run(reloaded)
}

/// Reads `data` as a `check --codes-from` file (OpenAPI or a plain list).
pub fn codes_file(data: &[u8]) -> usize {
    let text = String::from_utf8_lossy(data).into_owned();
    let file = crate::diagnostics::source::SourceFile::new("codes.yaml", "codes.yaml", text);
    match crate::check::coverage::from_file(file) {
        Ok(emitted) => emitted.codes.len(),
        Err(_) => 0,
    }
}

fn split(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let current = rest?;
        match current
            .windows(FILE_SEPARATOR.len())
            .position(|w| w == FILE_SEPARATOR)
        {
            Some(at) => {
                rest = Some(&current[at + FILE_SEPARATOR.len()..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
    .take(8)
}

/// A fixed "today" (2026-01-01), so a fuzz case behaves the same every day.
const FUZZ_TODAY: i64 = 20_454;

/// Validates, renders every diagnostic, and renders every page when valid;
/// returns the number of bytes produced so nothing is optimised away.
fn run(loaded: crate::check::Loaded) -> usize {
    let checked = publish::check_loaded(
        loaded,
        Vec::new(),
        &publish::CheckOptions {
            today: FUZZ_TODAY,
            emitted: None,
        },
    );
    let mut produced: usize = checked
        .diagnostics
        .iter()
        .map(|d| {
            crate::diagnostics::render_human(d, crate::diagnostics::Style::COLOR).len()
                + crate::diagnostics::render_json(d).len()
                + crate::diagnostics::render_github(d, "").len()
        })
        .sum();
    if let Some(site) = checked.site {
        let templates = render::templates(None).expect("the built-in templates compile");
        let pages = Pages::new(&site, templates);
        for i in 0..site.entries.len() {
            produced += pages.entry(i).map(|p| p.len()).unwrap_or(0);
        }
        produced += pages.index().map(|p| p.len()).unwrap_or(0);
        produced += pages.not_found().map(|p| p.len()).unwrap_or(0);
        produced += crate::publish::exports::files(&site)
            .iter()
            .map(|(_, bytes)| bytes.len())
            .sum::<usize>();
    }
    produced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_split_into_files() {
        let parts: Vec<&[u8]> = split(b"a\n%%\nb").collect();
        assert_eq!(parts, [&b"a"[..], &b"b"[..]]);
    }

    #[test]
    fn a_valid_entry_renders() {
        let entry = b"code: other\ntitle: Other\nsummary: S.\ncategory: other\nsolutions: [Ask.]\n";
        assert!(check_entries(entry) > 1000);
    }
}
