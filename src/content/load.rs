//! Finding and reading a site's files: `errdex.yaml` and every entry under
//! `content/errors/`, each parsed with its source kept for diagnostics. The
//! rules run on what is read here (see `check`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::config::{Config, ConfigFile};
use crate::content::contain::Containment;
use crate::content::entry::Entry;
use crate::content::node::Node;
use crate::content::schema;
use crate::content::yaml;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::rules::Rule;
use crate::diagnostics::source::SourceFile;
use crate::diagnostics::span::Span;
use crate::layout::CONFIG_FILE;
use crate::layout::CONTENT_DIR;

/// Largest entry or config file read (an entry is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Problems that stop errdex before it can check anything.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The root has no `errdex.yaml`.
    #[error("no {CONFIG_FILE} in {}: is this a site root? (`errdex init DIR` creates a new site)", .0.display())]
    NoConfig(PathBuf),
    /// Reading failed for a reason other than the content.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// What could not be read.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// Reads and checks `errdex.yaml` of the site at `root`: the config when it
/// is usable, and its problems.
pub fn read_config(root: &Path) -> Result<(Option<Config>, Vec<Diagnostic>), LoadError> {
    let config_path = root.join(CONFIG_FILE);
    if !config_path.is_file() {
        return Err(LoadError::NoConfig(root.to_path_buf()));
    }
    let mut diagnostics = Vec::new();
    let contained = Containment::new(root);
    let read = match contained.escapes(&config_path) {
        Some(real) => Err(ReadProblem::Content(Box::new(
            contained.refusal(&config_path, &real),
        ))),
        None => read_source(root, &config_path),
    };
    let config = match read {
        Ok(source) => parse_config(source, &mut diagnostics),
        Err(ReadProblem::Io(source)) => {
            return Err(LoadError::Io {
                path: config_path,
                source,
            });
        }
        Err(ReadProblem::Content(problem)) => {
            diagnostics.push(*problem);
            None
        }
    };
    Ok((config, diagnostics))
}

/// Parses and checks the config file.
pub fn parse_config(source: SourceFile, diagnostics: &mut Vec<Diagnostic>) -> Option<Config> {
    match yaml::parse::<ConfigFile>(&source, schema::config_schema(), CONFIG_FILE) {
        Ok(file) => {
            let (config, problems) = Config::check(file, source);
            diagnostics.extend(problems);
            config
        }
        Err(failure) => {
            diagnostics.extend(failure.diagnostics);
            None
        }
    }
}

/// Every entry file under `content/errors`, sorted, and problems met on the way.
pub fn entry_paths(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    if !content.is_dir() {
        problems.push(
            Diagnostic::new(
                Rule::UnreadablePath,
                format!("there is no {CONTENT_DIR} folder: entries live there"),
            )
            .in_file(CONTENT_DIR)
            .hint("create it and add one YAML file per error code (`errdex new 429` writes one)"),
        );
        return (paths, problems);
    }
    // Sorted once at the end, not folder by folder: walkdir's sort finds
    // each name again from the whole path at every comparison, which was
    // most of what listing the files cost.
    let contained = Containment::new(root);
    let mut refused = Vec::new();
    {
        let mut contain = contained.filter(&mut refused);
        let walker = walkdir::WalkDir::new(&content)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| (e.depth() == 0 || !is_hidden(e.file_name())) && contain(e));
        for item in walker {
            match item {
                Ok(entry) if entry.file_type().is_file() && is_entry_file(entry.path()) => {
                    paths.push(entry.into_path());
                }
                Ok(entry) if entry.depth() > 0 && is_entry_file(entry.path()) => {
                    let what = if entry.file_type().is_dir() {
                        "a folder"
                    } else {
                        "not a regular file"
                    };
                    problems.push(
                        Diagnostic::new(
                            Rule::NotAFile,
                            format!("this is named like an entry file but is {what}, so it is not an entry"),
                        )
                        .in_file(SourceFile::display_path(root, entry.path()))
                        .hint("rename it; entries are .yaml or .yml files (a folder's files are read as entries of their own)"),
                    );
                }
                Ok(_) => {}
                Err(error) => {
                    let path = error
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| content.clone());
                    let reason = if error.loop_ancestor().is_some() {
                        "a symbolic link loop".to_owned()
                    } else {
                        error
                            .io_error()
                            .map_or_else(|| error.to_string(), ToString::to_string)
                    };
                    problems.push(
                        Diagnostic::new(
                            Rule::UnreadablePath,
                            format!("cannot read this path: {reason}"),
                        )
                        .in_file(SourceFile::display_path(root, &path)),
                    );
                }
            }
        }
    }
    problems.extend(refused);
    sort_paths(&mut paths);
    (paths, problems)
}

/// Sorts paths as a walk with every folder sorted by name would list them:
/// component by component, so `a/z.yaml` comes before `a-b.yaml`. Byte by
/// byte with the separator below every other byte is that order, and needs
/// no parsing: each path's bytes with its separators made NUL (a byte no
/// path holds) compare as plain slices, cached once per path, instead of
/// ranking every byte at every comparison.
fn sort_paths(paths: &mut [PathBuf]) {
    paths.par_sort_by_cached_key(|path| {
        path.as_os_str()
            .as_encoded_bytes()
            .iter()
            .map(|&byte| {
                if byte.is_ascii() && std::path::is_separator(char::from(byte)) {
                    0
                } else {
                    byte
                }
            })
            .collect::<Vec<u8>>()
    });
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// `.yaml` and `.yml` files, except editors' backup and lock files.
pub fn is_entry_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let yaml = name.ends_with(".yaml") || name.ends_with(".yml");
    yaml && !name.starts_with('.') && !name.starts_with('#') && !name.starts_with('~')
}

/// One entry file, read and parsed.
#[derive(Debug, Clone)]
pub enum EntryFile {
    /// It parsed (perhaps after its structural mistakes were blanked out).
    Parsed {
        /// The file, with its text.
        source: SourceFile,
        /// What it says.
        entry: Box<Entry>,
        /// Its structural problems.
        problems: Vec<Diagnostic>,
    },
    /// It could not be read or parsed.
    Failed {
        /// The codes it seems to define, so links to them are not reported too.
        codes: Vec<String>,
        /// Why it failed.
        problems: Vec<Diagnostic>,
    },
}

/// Reads and parses one entry file.
pub fn read_entry(root: &Path, path: &Path) -> EntryFile {
    match read_source(root, path) {
        Ok(source) => parse_entry(source),
        Err(ReadProblem::Io(error)) => EntryFile::Failed {
            codes: Vec::new(),
            problems: vec![
                Diagnostic::new(
                    Rule::UnreadablePath,
                    format!("cannot read this file: {error}"),
                )
                .in_file(SourceFile::display_path(root, path)),
            ],
        },
        Err(ReadProblem::Content(problem)) => EntryFile::Failed {
            codes: Vec::new(),
            problems: vec![*problem],
        },
    }
}

/// Parses the text of one entry file.
pub fn parse_entry(source: SourceFile) -> EntryFile {
    match yaml::parse::<Entry>(&source, schema::entry_schema(), "an entry") {
        Ok(entry) => EntryFile::Parsed {
            source,
            entry: Box::new(entry),
            problems: Vec::new(),
        },
        Err(yaml::ParseFailure {
            diagnostics,
            recovered: Some(entry),
        }) => EntryFile::Parsed {
            source,
            entry: Box::new(entry),
            problems: diagnostics,
        },
        Err(failure) => EntryFile::Failed {
            codes: codes_of_unparsed(&source),
            problems: failure.diagnostics,
        },
    }
}

/// Best effort: the `code`/`codes` written in a file that did not parse as an entry.
fn codes_of_unparsed(source: &SourceFile) -> Vec<String> {
    let Ok(node) = yaml::parse_node(source) else {
        return Vec::new();
    };
    let Node::Map(entries) = node.value else {
        return Vec::new();
    };
    let mut codes = Vec::new();
    for (key, value) in entries {
        match (key.scalar_text().as_deref(), value.value) {
            (Some("code"), scalar) => codes.extend(scalar.scalar_text()),
            (Some("codes"), Node::Seq(items)) => {
                codes.extend(items.iter().filter_map(|i| i.scalar_text()))
            }
            _ => {}
        }
    }
    codes
}

/// Why a file could not be read as text.
#[derive(Debug)]
pub enum ReadProblem {
    /// The system could not read it.
    Io(io::Error),
    /// It is too large, or not UTF-8: a diagnostic that says where.
    Content(Box<Diagnostic>),
}

/// Reads a file of the site as UTF-8 text, refusing files that are too large or not text.
pub fn read_source(root: &Path, path: &Path) -> Result<SourceFile, ReadProblem> {
    let display = SourceFile::display_path(root, path);
    read_text(path, &display, MAX_FILE_BYTES)
}

/// Reads the file at `path`, shown as `display`, as UTF-8 text of at most
/// `max` bytes: a larger file is a `file-too-large` diagnostic, a file that
/// is not text an `encoding` diagnostic at its first byte that is not UTF-8.
pub fn read_text(path: &Path, display: &str, max: u64) -> Result<SourceFile, ReadProblem> {
    use std::io::Read;
    // One open for the size and the bytes (one path lookup, not two), and
    // never more bytes than the limit, should the file grow meanwhile.
    let file = fs::File::open(path).map_err(ReadProblem::Io)?;
    let size = file.metadata().map_err(ReadProblem::Io)?.len();
    if size > max {
        let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
        return Err(ReadProblem::Content(Box::new(
            Diagnostic::new(
                Rule::FileTooLarge,
                format!(
                    "this file is {:.1} MiB; it may be at most {:.0} MiB",
                    mib(size),
                    mib(max)
                ),
            )
            .in_file(display),
        )));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max)
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    source_from_bytes(display, path, bytes)
        .map(SourceFile::on_disk)
        .map_err(|d| ReadProblem::Content(Box::new(d)))
}

/// A file's bytes as text, or an `encoding` diagnostic at the first byte that is not UTF-8.
pub fn source_from_bytes(
    display: &str,
    path: impl AsRef<Path>,
    bytes: Vec<u8>,
) -> Result<SourceFile, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(display, path.as_ref(), text)),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let source = SourceFile::new(display, path.as_ref(), lossy);
            let at = String::from_utf8_lossy(&error.as_bytes()[..valid]).len();
            Err(
                Diagnostic::new(Rule::Encoding, "this file is not UTF-8 text")
                    .at(&source, Span::new(at, 1))
                    .label("first byte that is not UTF-8")
                    .hint("save the file as UTF-8"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yaml_files_count_and_backups_do_not() {
        assert!(is_entry_file(Path::new("a/429.yaml")));
        assert!(is_entry_file(Path::new("a/429.yml")));
        assert!(!is_entry_file(Path::new("a/429.yaml~")));
        assert!(!is_entry_file(Path::new("a/.429.yaml.swp")));
        assert!(!is_entry_file(Path::new("a/#429.yaml#")));
        assert!(!is_entry_file(Path::new("a/.#429.yaml")));
        assert!(!is_entry_file(Path::new("a/README.md")));
    }

    #[test]
    fn entry_files_come_in_the_order_of_a_walk_with_sorted_folders() {
        let site = tempfile::tempdir().unwrap();
        let errors = site.path().join(CONTENT_DIR);
        let files = [
            "a-b.yaml",
            "a/z.yaml",
            "a/b/c.yaml",
            "a/b.yaml",
            "a.b/x.yaml",
            "A.yaml",
            "é.yaml",
            "e/1.yaml",
            "e.yaml",
            "ab.yaml",
            "a0.yaml",
        ];
        for file in files {
            let path = errors.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "code: X\n").unwrap();
        }
        let walked: Vec<PathBuf> = walkdir::WalkDir::new(&errors)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        let (paths, problems) = entry_paths(site.path());
        assert!(problems.is_empty());
        assert_eq!(paths, walked);
        assert_eq!(paths.len(), files.len());
    }
}
