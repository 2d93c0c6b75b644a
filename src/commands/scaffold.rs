//! Creating things: `errdex new CODE` writes an entry from a commented template,
//! `errdex init DIR` writes a whole new site that builds at once.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::check;
use crate::content::http;
use crate::content::load::LoadError;
use crate::content::schema;
use crate::diagnostics::suggest;
use crate::layout::CONFIG_FILE;
use crate::layout::CONTENT_DIR;
use crate::render::theme;

/// Why something could not be created.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The site could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The site's config has errors, so the code and category cannot be checked.
    #[error("{CONFIG_FILE} has errors; `errdex check` shows them")]
    BrokenConfig,
    /// The file to write exists.
    #[error("{} exists; errdex new never overwrites a file", .0.display())]
    Exists(PathBuf),
    /// The code is defined already.
    #[error("code `{code}` is already defined in {file}")]
    CodeExists {
        /// The code.
        code: String,
        /// The file defining it.
        file: String,
    },
    /// The code is not usable.
    #[error("code `{code}` cannot be used: {reason}")]
    BadCode {
        /// The code.
        code: String,
        /// Why not.
        reason: String,
    },
    /// The category is not defined.
    #[error("unknown category `{category}`; {hint}")]
    UnknownCategory {
        /// The category asked for.
        category: String,
        /// The closest one, or the list.
        hint: String,
    },
    /// `init` was pointed at a folder with files in it.
    #[error("{} is not empty; errdex init only creates a site in a new or empty folder", .0.display())]
    NotEmpty(PathBuf),
    /// Writing failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// What.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `content/errors/CODE.yaml` for a new code; returns its path.
pub fn new_entry(
    root: &Path,
    code: &str,
    title: Option<&str>,
    category: Option<&str>,
) -> Result<PathBuf, ScaffoldError> {
    let loaded = crate::check::load(root)?;
    let config = loaded.config.as_ref().ok_or(ScaffoldError::BrokenConfig)?;
    if let Some(reason) = check::path_problem(code) {
        return Err(ScaffoldError::BadCode {
            code: code.to_owned(),
            reason: reason.to_owned(),
        });
    }
    if !config.code_matches(code) {
        return Err(ScaffoldError::BadCode {
            code: code.to_owned(),
            reason: format!(
                "it does not match the site's code pattern {}",
                config.code_pattern_text()
            ),
        });
    }
    for existing in &loaded.entries {
        for defined in existing.entry.codes() {
            let defined = defined.value.as_str();
            if defined == code || defined.eq_ignore_ascii_case(code) {
                return Err(ScaffoldError::CodeExists {
                    code: defined.to_owned(),
                    file: existing.source.path.clone(),
                });
            }
        }
    }
    let keys: Vec<&str> = config
        .categories()
        .iter()
        .map(|(k, _)| k.value.as_str())
        .collect();
    let category = match category {
        Some(category) if keys.contains(&category) => category.to_owned(),
        Some(category) => {
            let hint = suggest::did_you_mean(category, keys.iter().copied())
                .unwrap_or_else(|| format!("categories are {}", keys.join(", ")));
            return Err(ScaffoldError::UnknownCategory {
                category: category.to_owned(),
                hint,
            });
        }
        None => guess_category(code, &keys),
    };
    let path = root.join(CONTENT_DIR).join(format!("{code}.yaml"));
    let status = http::status_of_code(code);
    let title = title
        .map(str::to_owned)
        .or_else(|| status.and_then(http::reason_phrase).map(str::to_owned))
        .unwrap_or_else(|| format!("TODO: a short title for {code}"));
    let audiences: Vec<&str> = config
        .audiences()
        .iter()
        .map(|(k, _)| k.value.as_str())
        .collect();
    let text = entry_template(code, &title, &category, &keys, &audiences, status);
    if let Some(real) = crate::content::contain::Containment::new(root).escapes_for_write(&path) {
        return Err(ScaffoldError::Io {
            path: path.clone(),
            source: io::Error::other(format!(
                "it leads outside the site, to {}; nothing was written",
                real.display()
            )),
        });
    }
    fs::create_dir_all(path.parent().expect("a content folder")).map_err(io_error(&path))?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.clone()),
            _ => ScaffoldError::Io {
                path: path.clone(),
                source: e,
            },
        })?;
    file.write_all(text.as_bytes()).map_err(io_error(&path))?;
    Ok(path)
}

/// A 4xx code goes to `client`, a 5xx to `server`, when those exist; otherwise the first category.
pub(crate) fn guess_category(code: &str, keys: &[&str]) -> String {
    let preferred = match http::status_of_code(code) {
        Some(400..=499) => "client",
        Some(500..=599) => "server",
        _ => "other",
    };
    let chosen = if keys.contains(&preferred) {
        preferred
    } else {
        keys.first().copied().unwrap_or("other")
    };
    chosen.to_owned()
}

/// A YAML double-quoted string.
fn quoted(text: &str) -> String {
    crate::content::yaml::quote(text)
}

fn entry_template(
    code: &str,
    title: &str,
    category: &str,
    categories: &[&str],
    audiences: &[&str],
    status: Option<u16>,
) -> String {
    let status_line = match status {
        Some(status) => format!("http_status: {status}\n"),
        None => "# http_status: 400\n".to_owned(),
    };
    let audience_note = if audiences.is_empty() {
        String::new()
    } else {
        format!(" (audiences: {})", audiences.join(", "))
    };
    format!(
        "# yaml-language-server: $schema=../../{schema_file}
#
# One error code of the site. Every key is described in {schema_file}: editors
# that read it (VS Code with the YAML extension, JetBrains IDEs) complete keys
# and show these notes on hover. `errdex check` reports any mistake.

# The code as it appears in API responses. To document several codes on one
# page, write `codes: [\"503\", \"504\"]` instead (the first is the primary).
code: {code}
# A short plain-text title, such as the HTTP reason phrase.
title: {title}
# One plain-text sentence: the meta description, the search snippet, the index line.
summary: \"TODO: say in one sentence what this error means.\"
# The messages the API returns with this error, verbatim; a part that varies
# is a placeholder, `{{model}}` (write a literal brace twice). Search matches
# pasted messages against these.
# messages:
#   - \"Rate limit reached for {{model}}: {{limit}} requests per minute.\"
# A key of `categories` in errdex.yaml: {categories}.
category: {category}
# The HTTP status returned with this error (100 to 599).
{status_line}# Whether retrying the same request later can succeed.
# retryable: true

# Markdown: what the error means, in more detail. [](code:500) links another code.
# description: |
#   ...

# Why it happens: markdown steps; a step can have nested `steps`.
causes:
  - \"TODO: a reason this error happens.\"

# What to do: a list of steps, or one list per audience{audience_note}:
#   solutions:
#     api-users:
#       - Retry with exponential backoff.
solutions:
  - \"TODO: the first thing a reader should try.\"

# Example requests or responses; `json` examples must parse.
# examples:
#   - title: Error response
#     language: json
#     body: |
#       {{\"error\": {{\"code\": {code}, \"message\": \"...\"}}}}

# Codes of related entries, and further reading.
# related: [\"500\"]
# links:
#   - title: Rate limits
#     url: https://docs.example.com/rate-limits

# Words readers might search for that the text does not contain.
# tags: [quota]
",
        schema_file = schema::ENTRY_SCHEMA_FILE,
        code = quoted(code),
        title = quoted(title),
        categories = categories.join(", "),
        category = quoted(category),
    )
}

/// The files of a new site: (path, bytes). With `theme`, the built-in
/// templates and static files too; without, the site uses the theme built
/// into errdex, which upgrades with it.
fn site_files(theme: bool) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            CONFIG_FILE.into(),
            include_bytes!("../../examples/site/errdex.yaml").to_vec(),
        ),
        (
            "content/errors/429.yaml".into(),
            include_bytes!("../../examples/site/content/errors/429.yaml").to_vec(),
        ),
        (
            "content/errors/invalid_api_key.yaml".into(),
            include_bytes!("../../examples/site/content/errors/invalid_api_key.yaml").to_vec(),
        ),
        (
            "README.md".into(),
            include_bytes!("../../examples/site/README.md").to_vec(),
        ),
        (".gitignore".into(), b"public/\n.public.errdex-*\n".to_vec()),
        (
            ".github/workflows/errdex.yml".into(),
            include_bytes!("../../examples/github-pages.yml").to_vec(),
        ),
        (
            schema::ENTRY_SCHEMA_FILE.into(),
            schema::to_pretty(schema::entry_schema()).into_bytes(),
        ),
        (
            schema::CONFIG_SCHEMA_FILE.into(),
            schema::to_pretty(schema::config_schema()).into_bytes(),
        ),
    ];
    if theme {
        files.extend(theme_files());
    }
    files
}

/// The built-in theme as files of a site: `templates/*` and `static/*`.
fn theme_files() -> impl Iterator<Item = (String, Vec<u8>)> {
    let templates = theme::TEMPLATES
        .iter()
        .map(|(name, text)| (format!("templates/{name}"), text.as_bytes().to_vec()));
    let statics = theme::STATIC_FILES
        .iter()
        .map(|(name, bytes)| (format!("static/{name}"), bytes.to_vec()));
    templates.chain(statics)
}

/// Creates a new site in `dir`, which must not exist or be empty; returns the
/// files written. `theme` copies the built-in theme into the site, to customise.
pub fn init_site(dir: &Path, theme: bool) -> Result<Vec<String>, ScaffoldError> {
    if dir.exists() {
        let mut items = fs::read_dir(dir).map_err(io_error(dir))?;
        if items.next().is_some() {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    let mut written = Vec::new();
    for (path, bytes) in site_files(theme) {
        let full = dir.join(&path);
        fs::create_dir_all(full.parent().expect("files are inside the site"))
            .map_err(io_error(&full))?;
        fs::write(&full, bytes).map_err(io_error(&full))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_guessed_from_the_status_class() {
        let keys = ["client", "server", "other"];
        assert_eq!(guess_category("404", &keys), "client");
        assert_eq!(guess_category("502", &keys), "server");
        assert_eq!(guess_category("E42", &keys), "other");
        assert_eq!(guess_category("404", &["auth"]), "auth");
    }
}
