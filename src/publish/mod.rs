//! The pipeline: load → validate → site → render and write → swap into place.

pub mod exports;
pub mod gitdates;
pub mod hosts;
pub mod output;
pub mod static_files;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check;
use crate::content::load::LoadError;
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::publish::output::{OutputError, Staging};
use crate::render::{self, PageId, Pages, RenderError};
use crate::search::store::Store;
use crate::site::Site;

/// The result of checking a site: every finding, and the site when it is valid.
#[derive(Debug)]
pub struct Checked {
    /// Every finding, sorted for display.
    pub diagnostics: Vec<Diagnostic>,
    /// The site, when there was no error.
    pub site: Option<Site>,
    /// Time spent reading and parsing.
    pub load_time: Duration,
    /// Time spent validating.
    pub validate_time: Duration,
}

impl Checked {
    /// Whether any finding stops a build.
    pub fn has_fatal(&self, strict: bool) -> bool {
        self.diagnostics.iter().any(|d| d.is_fatal(strict))
    }
}

/// What checking needs besides the site.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The day stale entries are judged against (a [`crate::content::date`] day number).
    pub today: i64,
    /// The codes the API emits (`check --codes-from`), to compare the catalog with.
    pub emitted: Option<crate::check::coverage::Emitted>,
}

impl Default for CheckOptions {
    /// Today from the clock, no coverage check.
    fn default() -> Self {
        Self {
            today: crate::content::date::today(),
            emitted: None,
        }
    }
}

/// Loads and validates the site at `root`, and compiles its templates.
pub fn check(root: &Path) -> Result<Checked, LoadError> {
    check_with(root, &CheckOptions::default())
}

/// Like [`check()`], with options.
pub fn check_with(root: &Path, options: &CheckOptions) -> Result<Checked, LoadError> {
    let started = Instant::now();
    let loaded = crate::check::load(root)?;
    let load_time = started.elapsed();
    let template_problem = render::templates(Some(root)).err();
    let (_, static_problems) = crate::publish::static_files::list(root);
    let mut checked = check_loaded(
        loaded,
        template_problem
            .into_iter()
            .chain(static_problems)
            .collect(),
        options,
    );
    checked.load_time = load_time;
    Ok(checked)
}

/// Validates what was loaded; `extra` are problems found outside the content.
pub fn check_loaded(
    loaded: crate::check::Loaded,
    extra: Vec<Diagnostic>,
    options: &CheckOptions,
) -> Checked {
    let started = Instant::now();
    let mut diagnostics = check::validate(&loaded);
    diagnostics.extend(check::check_freshness(&loaded, options.today));
    if let Some(emitted) = &options.emitted {
        diagnostics.extend(crate::check::coverage::compare(&loaded, emitted));
    }
    diagnostics.extend(loaded.diagnostics);
    diagnostics.extend(extra);
    diagnostics::sort(&mut diagnostics);
    let diagnostics = diagnostics::fold(diagnostics);
    let mut entries = loaded.entries;
    for entry in &mut entries {
        entry.source.forget_reloaded();
    }
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let site = match (has_errors, loaded.config) {
        (false, Some(config)) => Some(Site::new(loaded.root, config, entries)),
        _ => None,
    };
    Checked {
        diagnostics,
        site,
        load_time: Duration::ZERO,
        validate_time: started.elapsed(),
    }
}

/// What `build` needs to know.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root.
    pub root: PathBuf,
    /// The output folder (replaced when the build succeeds).
    pub output: PathBuf,
    /// Publish under this URL instead of the config's `base_url`.
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Build into an output folder errdex did not build (its files are kept).
    pub force: bool,
    /// Shard the search index above this many entries.
    pub search_shard_above: usize,
    /// Add each entry's last change from git history.
    pub git_dates: bool,
    /// The day stale entries are judged against (a [`crate::content::date`] day number); the clock when `None`.
    pub today: Option<i64>,
}

impl BuildOptions {
    /// Building the site at `root` into `output`, with the defaults.
    pub fn new(root: impl Into<PathBuf>, output: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            output: output.into(),
            base_url: None,
            strict: false,
            force: false,
            search_shard_above: crate::search::SHARD_ABOVE,
            git_dates: false,
            today: None,
        }
    }
}

/// Time spent in each phase of a build.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading and parsing files.
    pub load: Duration,
    /// Running the rules.
    pub validate: Duration,
    /// Rendering and writing pages, with what each entry adds to the
    /// exports (its JSON and markdown files, its parts of `errors.json` and
    /// `llms-full.txt`), made alongside its page. The pages that list
    /// entries are made beside the entry pages, after the search index and
    /// the other exports; their time is added in.
    pub render: Duration,
    /// The search index.
    pub search: Duration,
    /// The other exports (sitemap, `llms.txt`, redirects, ...) and static files.
    pub exports: Duration,
    /// Replacing the previous output.
    pub swap: Duration,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Warnings (a successful build has no errors).
    pub diagnostics: Vec<Diagnostic>,
    /// Number of entries.
    pub entries: usize,
    /// Number of files written.
    pub files: usize,
    /// Files in the output that errdex did not write, kept in place
    /// (relative to the output).
    pub kept: Vec<PathBuf>,
    /// Whether an interrupted swap of an earlier build was completed or undone first.
    pub recovered: bool,
    /// Phase timings (render, search and exports overlap).
    pub timings: Timings,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The site could not be read at all.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The content has errors (or warnings under `--strict`); nothing was written.
    #[error("the content has errors")]
    Content(Vec<Diagnostic>),
    /// Writing the output failed; the previous output is untouched.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// `--git-dates` was asked for, and git history could not be read.
    #[error(transparent)]
    GitDates(#[from] crate::publish::gitdates::GitDatesError),
}

/// Checks, renders and writes the site; replaces the output only on success.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started_build = Instant::now();
    let check_options = CheckOptions {
        today: options.today.unwrap_or_else(crate::content::date::today),
        emitted: None,
    };
    let checked = check_with(&options.root, &check_options)?;
    let mut timings = Timings {
        load: checked.load_time,
        validate: checked.validate_time,
        ..Timings::default()
    };
    if checked.has_fatal(options.strict) {
        return Err(BuildError::Content(checked.diagnostics));
    }
    let Some(mut site) = checked.site else {
        return Err(BuildError::Content(checked.diagnostics));
    };
    let mut diagnostics = checked.diagnostics;
    if let Some(Err(problem)) = options
        .base_url
        .as_ref()
        .map(|url| site.config.set_base_url(url))
    {
        diagnostics.push(problem);
        return Err(BuildError::Content(diagnostics));
    }
    if options.git_dates {
        let dates = crate::publish::gitdates::last_changed(&options.root)?;
        for entry in &mut site.entries {
            entry.last_updated = dates.get(&entry.source.path).cloned();
        }
    }
    let staging = Staging::create(&options.output, &options.root, options.force)?;
    let files = write_site(&site, options, &staging, &mut timings).map_err(|e| match e {
        WriteError::Template(d) => {
            diagnostics.push(*d);
            BuildError::Content(std::mem::take(&mut diagnostics))
        }
        WriteError::Output(e) => BuildError::Output(e),
    })?;
    diagnostics.extend(hosts::check(&site.config, &staging.size()));
    if diagnostics.iter().any(|d| d.is_fatal(options.strict)) {
        return Err(BuildError::Content(diagnostics));
    }
    let started = Instant::now();
    let committed = staging.commit()?;
    timings.swap = started.elapsed();
    let entries = site.entries.len();
    drop_aside(site);
    Ok(BuildReport {
        diagnostics,
        entries,
        files,
        kept: committed.kept,
        recovered: committed.recovered,
        timings,
        elapsed: started_build.elapsed(),
    })
}

/// Frees `value` on a thread of its own. The output is in place by then, and
/// freeing a large parsed site takes a noticeable part of a second; a
/// command that is about to exit need not wait for it.
pub fn drop_aside<T: Send + 'static>(value: T) {
    // Should no thread start, `spawn` frees the value itself.
    let _ = std::thread::Builder::new()
        .name("errdex-drop".into())
        .spawn(move || drop(value));
}

enum WriteError {
    Template(Box<Diagnostic>),
    Output(OutputError),
}

impl From<Diagnostic> for WriteError {
    fn from(d: Diagnostic) -> Self {
        WriteError::Template(Box::new(d))
    }
}

impl From<OutputError> for WriteError {
    fn from(e: OutputError) -> Self {
        WriteError::Output(e)
    }
}

/// Renders every page and export of `site` into `staging`; returns the number of files.
fn write_site(
    site: &Site,
    options: &BuildOptions,
    staging: &Staging,
    timings: &mut Timings,
) -> Result<usize, WriteError> {
    let templates = render::templates(Some(&site.root))?;
    let pages = Pages::new(site, templates);
    // Entry pages, the search index and the exports are independent: build
    // them side by side, so one waits on the disk while another computes.
    let timed = |work: &dyn Fn() -> Result<usize, WriteError>| {
        let started = Instant::now();
        work().map(|files| (files, started.elapsed()))
    };
    let render_entries = || write_entries(site, &pages, staging);
    let write_index = || -> Result<usize, WriteError> {
        // The stats an earlier build kept: only changed entry files are
        // analyzed again. Kept for the next build even should this one fail
        // later, as they depend on the entry files alone; failing to keep
        // them costs the next build time, not its output.
        let most = SEARCH_STATS_PER_ENTRY * (site.entries.len() as u64 + 100);
        let mut store = staging
            .read_beside(SEARCH_STATS, most)
            .and_then(|bytes| Store::from_bytes(&bytes))
            .unwrap_or_default();
        let index = store.index(site);
        if store.is_changed() {
            let _ = staging.keep_beside(SEARCH_STATS, &store.to_bytes());
        }
        drop(store);
        let index = index.files(options.search_shard_above);
        index
            .par_iter()
            .try_for_each(|(path, bytes)| staging.write(path, bytes))?;
        Ok(index.len())
    };
    let write_exports = || -> Result<usize, WriteError> {
        let small = exports::small_files(site);
        small
            .iter()
            .try_for_each(|(path, bytes)| staging.write(path, bytes))?;
        Ok(small.len() + write_static(site, staging)?)
    };
    let write_lists = || write_lists(site, &pages, staging);
    // The search index and the pages that list entries each hold a model of
    // the whole catalog while they are made (Tera's copy of every card, for
    // a list page), and on a large site the two at once would make the peak
    // of the build: they take turns, beside the entry pages.
    let (rendered, others) = rayon::join(
        || timed(&render_entries),
        || -> Result<_, WriteError> {
            Ok((
                timed(&write_index)?,
                timed(&write_exports)?,
                timed(&write_lists)?,
            ))
        },
    );
    let (entry_files, render_time) = rendered?;
    let ((index_files, search_time), (export_files, export_time), (list_files, list_time)) =
        others?;
    timings.render = render_time + list_time;
    timings.search = search_time;
    timings.exports = export_time;
    Ok(entry_files + list_files + index_files + export_files)
}

/// The pages that are not an entry's (the home page, the categories, the
/// 404 page, ...), one after the other; returns how many. Those that list
/// entries go to their files as they are rendered.
fn write_lists(site: &Site, pages: &Pages<'_>, staging: &Staging) -> Result<usize, WriteError> {
    let lists = PageId::lists(site);
    for &id in &lists {
        let path = id.path(site);
        if !matches!(id, PageId::Index | PageId::Category(..)) {
            staging.write(&path, pages.render(id)?.as_bytes())?;
            continue;
        }
        let mut template_problem = None;
        let written = staging.write_with(&path, |out| {
            pages.render_to(id, out).map_err(|e| match e {
                RenderError::Io(io) => io,
                RenderError::Template(d) => {
                    template_problem = Some(d);
                    std::io::Error::other("the template failed")
                }
            })
        });
        if let Some(problem) = template_problem {
            return Err(problem.into());
        }
        written?;
    }
    Ok(lists.len())
}

/// The kind of the file of search stats kept beside the output
/// (`.public.errdex-search`).
const SEARCH_STATS: &str = "search";

/// The bytes of search stats read per entry, at most: about ten times what
/// an entry of a long page takes (a larger file is not read, and the
/// build analyzes every entry).
const SEARCH_STATS_PER_ENTRY: u64 = 16 * 1024;

/// Entries whose pages and exports are made together before their pieces of
/// `errors.json` and `llms-full.txt` go to the catalogs' writer.
const WINDOW: usize = 1024;

/// Every entry's page, and everything each entry adds to the exports: its
/// files and its pieces of `errors.json` and `llms-full.txt`, made while the
/// entry is at hand, window by window, and handed in order to a writer
/// thread that cuts the catalogs into parts ([`exports::Catalogs`]).
/// Returns the number of files.
fn write_entries(site: &Site, pages: &Pages<'_>, staging: &Staging) -> Result<usize, WriteError> {
    let (pieces, received) = std::sync::mpsc::sync_channel::<Vec<exports::CatalogPiece>>(2);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> Result<usize, OutputError> {
            let mut files = 0;
            let mut catalogs = exports::Catalogs::new(site, |path: String, chunks: &[&[u8]]| {
                files += 1;
                staging.write_with(&path, |out| {
                    chunks.iter().try_for_each(|chunk| out.write_all(chunk))
                })
            });
            let mut entries = 0;
            for window in received {
                for piece in window {
                    entries += 1;
                    catalogs.push(piece)?;
                }
            }
            // A build that stopped leaves the old catalogs as they were.
            if entries == site.entries.len() {
                catalogs.finish()?;
            }
            Ok(files)
        });
        let made = write_entries_in_windows(site, pages, staging, &pieces);
        // The catalogs are finished only when every entry was made.
        drop(pieces);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let files = made?;
        Ok(files + written?)
    })
}

fn write_entries_in_windows(
    site: &Site,
    pages: &Pages<'_>,
    staging: &Staging,
    pieces: &std::sync::mpsc::SyncSender<Vec<exports::CatalogPiece>>,
) -> Result<usize, WriteError> {
    let write_page = |id: PageId| -> Result<(), WriteError> {
        Ok(staging.write(&id.path(site), pages.render(id)?.as_bytes())?)
    };
    let mut files = 0;
    for start in (0..site.entries.len()).step_by(WINDOW) {
        let end = (start + WINDOW).min(site.entries.len());
        let made: Vec<(usize, exports::CatalogPiece)> = (start..end)
            .into_par_iter()
            .map(|i| -> Result<_, WriteError> {
                write_page(PageId::Entry(i))?;
                let aliases = site.entries[i].aliases.len();
                for a in 0..aliases {
                    write_page(PageId::Alias(i, a))?;
                }
                // The files go now; only the pieces wait for the window.
                let made = exports::entry_exports(site, i);
                made.files
                    .iter()
                    .try_for_each(|(path, bytes)| staging.write(path, bytes))?;
                Ok((1 + aliases + made.files.len(), made.piece))
            })
            .collect::<Result<_, _>>()?;
        let mut window = Vec::with_capacity(made.len());
        for (written, piece) in made {
            files += written;
            window.push(piece);
        }
        // A writer that stopped has its error waiting at its join.
        if pieces.send(window).is_err() {
            break;
        }
    }
    Ok(files)
}

/// The built-in static files, then the site's `static/` over them; returns how many files.
pub fn write_static(site: &Site, staging: &Staging) -> Result<usize, OutputError> {
    let (files, _) = crate::publish::static_files::list(&site.root);
    for file in &files {
        match &file.from {
            static_files::Origin::BuiltIn(bytes) => staging.write(&file.path, bytes)?,
            // Streamed: a site's static file may be large (a video, an archive).
            static_files::Origin::Site(from) => staging.write_with(&file.path, |out| {
                std::io::copy(&mut std::fs::File::open(from)?, out).map(drop)
            })?,
        }
    }
    Ok(files.len())
}
