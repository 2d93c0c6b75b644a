//! Every content rule, over what `content` read: each rule adds diagnostics
//! and goes on, so one run reports all problems of all files. The rules of
//! one entry (`entry`) run as each file is read, in parallel, and keep
//! the [`Facts`] the rules of the whole catalog (`catalog`) need, so the
//! file's text can be let go.

mod catalog;
pub mod coverage;
mod entry;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::config::Config;
use crate::content::entry::Entry;
use crate::content::load::{self, EntryFile, LoadError};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::source::SourceFile;
use crate::layout::CONFIG_FILE;

pub use catalog::{check_freshness, validate};
pub use entry::{
    Facts, MAX_CODE_BYTES, MAX_ITEMS, MAX_SUMMARY_CHARS, MAX_VARIANTS, check_entry, path_problem,
};

/// An entry that parsed and went through the rules of one entry.
#[derive(Debug, Clone)]
pub struct LoadedEntry {
    /// The file it came from (its text released once checked).
    pub source: SourceFile,
    /// What it says.
    pub entry: Box<Entry>,
    /// What the cross-entry rules need to know about it.
    pub facts: Facts,
}

/// Everything read from a site root, the rules of each entry applied.
#[derive(Debug)]
pub struct Loaded {
    /// The root folder.
    pub root: PathBuf,
    /// The config, when it parsed and checked.
    pub config: Option<Config>,
    /// Entries that parsed, in path order.
    pub entries: Vec<LoadedEntry>,
    /// Codes written in files that did not parse, so that links to them are not
    /// reported as broken on top of the file's own problem.
    pub unparsed_codes: Vec<String>,
    /// Problems found while reading, parsing and checking each entry.
    pub diagnostics: Vec<Diagnostic>,
}

/// One entry file, read, parsed and checked on its own.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// It parsed (perhaps after its structural mistakes were blanked out).
    Entry {
        /// What it says.
        entry: Box<LoadedEntry>,
        /// Its problems: structural ones, and those of the per-entry rules.
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

/// Reads the config and every entry of the site at `root`, and runs the
/// rules of each entry.
pub fn load(root: &Path) -> Result<Loaded, LoadError> {
    let (config, mut diagnostics) = load::read_config(root)?;
    let (paths, walk_problems) = load::entry_paths(root);
    diagnostics.extend(walk_problems);
    let parsed: Vec<Parsed> = paths
        .par_iter()
        .map(|path| read_entry(root, path, config.as_ref()))
        .collect();
    Ok(assemble(root, config, diagnostics, parsed))
}

/// Loads a site from memory: the config's bytes and entry files as (path, bytes).
/// The fuzzer and tests use it; nothing touches the disk.
pub fn load_in_memory(config: &[u8], files: &[(String, Vec<u8>)]) -> Loaded {
    let mut diagnostics = Vec::new();
    let config = match load::source_from_bytes(CONFIG_FILE, CONFIG_FILE, config.to_vec()) {
        Ok(source) => load::parse_config(source, &mut diagnostics),
        Err(problem) => {
            diagnostics.push(problem);
            None
        }
    };
    let parsed = files
        .iter()
        .map(
            |(path, bytes)| match load::source_from_bytes(path, path, bytes.clone()) {
                Ok(source) => checked(load::parse_entry(source), config.as_ref()),
                Err(problem) => Parsed::Failed {
                    codes: Vec::new(),
                    problems: vec![problem],
                },
            },
        )
        .collect();
    assemble(Path::new(""), config, diagnostics, parsed)
}

/// Reads, parses and checks one entry file.
pub fn read_entry(root: &Path, path: &Path, config: Option<&Config>) -> Parsed {
    checked(load::read_entry(root, path), config)
}

/// Runs the rules of one entry on a file that was read, then lets its text go.
fn checked(file: EntryFile, config: Option<&Config>) -> Parsed {
    match file {
        EntryFile::Parsed {
            mut source,
            entry,
            mut problems,
        } => {
            let (found, facts) = check_entry(config, &source, &entry);
            problems.extend(found);
            source.release_text();
            Parsed::Entry {
                entry: Box::new(LoadedEntry {
                    source,
                    entry,
                    facts,
                }),
                problems,
            }
        }
        EntryFile::Failed { codes, problems } => Parsed::Failed { codes, problems },
    }
}

/// Puts parsed files together, in the order given.
pub fn assemble(
    root: &Path,
    config: Option<Config>,
    mut diagnostics: Vec<Diagnostic>,
    parsed: Vec<Parsed>,
) -> Loaded {
    let mut entries = Vec::with_capacity(parsed.len());
    let mut unparsed_codes = Vec::new();
    for result in parsed {
        match result {
            Parsed::Entry { entry, problems } => {
                entries.push(*entry);
                diagnostics.extend(problems);
            }
            Parsed::Failed { codes, problems } => {
                unparsed_codes.extend(codes);
                diagnostics.extend(problems);
            }
        }
    }
    Loaded {
        root: root.to_path_buf(),
        config,
        entries,
        unparsed_codes,
        diagnostics,
    }
}
