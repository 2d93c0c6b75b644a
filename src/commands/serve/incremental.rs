//! Incremental rebuilds for `serve`: after a change, re-read only the files
//! that changed and re-render only the pages that depend on them.
//!
//! A page depends on its own entry, on its neighbours (previous and next in
//! its category), and on the *cards* (code, aliases, title, summary, category,
//! deprecation) of the entries it lists or links to. An edit that leaves an
//! entry's card alone re-renders that entry's page and nothing else; a new
//! title also re-renders the pages that list or link to it. The search index
//! and the exports are regenerated on every change; every output file is
//! rewritten only when its bytes changed.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::Parsed;
use crate::content::load;
use crate::diagnostics::{Diagnostic, Severity};
use crate::layout::CONFIG_FILE;
use crate::publish::exports;
use crate::publish::output::OutputError;
use crate::publish::{self, Checked};
use crate::render::{self, PageId, Pages, Templates};
use crate::site::Site;

/// What a rebuild did.
#[derive(Debug, Default, Clone)]
pub struct Rebuilt {
    /// Entry files read again.
    pub files_read: usize,
    /// Pages rendered.
    pub pages_rendered: usize,
    /// Output files written (their bytes changed).
    pub files_written: usize,
    /// Output files removed (their page is gone).
    pub files_removed: usize,
    /// Warnings of the content.
    pub warnings: Vec<Diagnostic>,
    /// How long it took.
    pub took: Duration,
}

/// Why a rebuild produced no new site.
#[derive(Debug)]
pub enum RebuildError {
    /// The content has errors; the previous output stays as it was.
    Content(Vec<Diagnostic>),
    /// Writing failed.
    Output(OutputError),
}

/// A site root watched for changes, and its output.
pub struct Incremental {
    root: PathBuf,
    output: PathBuf,
    base_url: Option<String>,
    search_shard_above: usize,
    /// The config and its problems, read at the last full build.
    config: Option<crate::content::config::Config>,
    config_problems: Vec<Diagnostic>,
    /// Parsed entry files, by path: their order is the load order.
    files: BTreeMap<PathBuf, Parsed>,
    templates: Option<Templates>,
    /// Output path → hash of the bytes last written there.
    written: HashMap<String, u64>,
    /// What each entry page was rendered from, by code.
    snapshot: Option<Snapshot>,
    /// The search stats of entry files, by their digest.
    terms: crate::search::store::Store,
    /// The one-page view's entries as rendered.
    one_page: crate::render::OnePageCache,
}

/// The inputs of every page of the last good build.
#[derive(Default)]
struct Snapshot {
    /// Code → card hash.
    cards: HashMap<String, u64>,
    /// Code → (previous code, next code, codes it lists or links to).
    inputs: HashMap<String, PageInputs>,
    /// Category key → its codes in order.
    categories: BTreeMap<String, Vec<String>>,
    fallback: Option<String>,
}

#[derive(PartialEq, Eq, Clone)]
struct PageInputs {
    previous: Option<String>,
    next: Option<String>,
    references: BTreeSet<String>,
    file: PathBuf,
}

fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Which inputs a batch of file system changes touches.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// `errdex.yaml` changed.
    pub config: bool,
    /// Something under `templates/` changed.
    pub templates: bool,
    /// Something under `static/` changed.
    pub statics: bool,
    /// Entry files created, changed or deleted.
    pub entries: BTreeSet<PathBuf>,
}

impl Changes {
    /// Sorts changed paths of the site at `root` into what they affect; returns
    /// `None` when none of them is an input of the site.
    pub fn classify(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Option<Changes> {
        let mut changes = Changes::default();
        let mut any = false;
        for path in paths {
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            let mut parts = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            let first = parts.next().unwrap_or_default();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if is_editor_noise(&name) {
                continue;
            }
            match first.as_str() {
                CONFIG_FILE => changes.config = true,
                "templates" => changes.templates = true,
                "static" => changes.statics = true,
                "content" if relative.starts_with(crate::layout::CONTENT_DIR) => {
                    if !path.is_file() || load::is_entry_file(&path) {
                        changes.entries.insert(path.clone());
                    } else {
                        continue;
                    }
                }
                _ => continue,
            }
            any = true;
        }
        any.then_some(changes)
    }
}

/// Swap, backup and lock files that editors write beside the real one.
fn is_editor_noise(name: &str) -> bool {
    name.starts_with(".#")
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name == "4913"
}

impl Incremental {
    /// Prepares rebuilds of the site at `root` into `output` (written in place).
    pub fn new(root: &Path, output: &Path, base_url: Option<String>) -> Self {
        Self {
            root: root.to_path_buf(),
            output: output.to_path_buf(),
            base_url,
            search_shard_above: crate::search::SHARD_ABOVE,
            config: None,
            config_problems: Vec::new(),
            files: BTreeMap::new(),
            templates: None,
            written: HashMap::new(),
            snapshot: None,
            terms: crate::search::store::Store::default(),
            one_page: crate::render::OnePageCache::default(),
        }
    }

    /// Builds everything.
    pub fn full(&mut self) -> Result<Rebuilt, RebuildError> {
        let started = Instant::now();
        let (config, problems) = read_config(&self.root);
        self.config = config;
        self.config_problems = problems;
        let (paths, _) = load::entry_paths(&self.root);
        let config = self.config.as_ref();
        self.files = paths
            .par_iter()
            .map(|path| {
                (
                    path.clone(),
                    crate::check::read_entry(&self.root, path, config),
                )
            })
            .collect();
        self.templates = None;
        self.snapshot = None;
        let read = self.files.len();
        let mut rebuilt = self.render(None)?;
        rebuilt.files_read = read;
        rebuilt.took = started.elapsed();
        Ok(rebuilt)
    }

    /// Rebuilds after `changes`.
    pub fn update(&mut self, changes: &Changes) -> Result<Rebuilt, RebuildError> {
        if changes.config || changes.templates || self.snapshot.is_none() {
            if changes.templates {
                self.templates = None;
            }
            if changes.config || self.snapshot.is_none() {
                return self.full();
            }
        }
        let started = Instant::now();
        let mut changed_files = BTreeSet::new();
        for path in &changes.entries {
            if path.is_dir() || !path.exists() {
                // A folder appeared or went away (a rename, or a new sub-folder): walk again.
                let (paths, _) = load::entry_paths(&self.root);
                let present: BTreeSet<PathBuf> = paths.iter().cloned().collect();
                self.files.retain(|p, _| present.contains(p));
                for p in paths {
                    if !self.files.contains_key(&p) {
                        let parsed = crate::check::read_entry(&self.root, &p, self.config.as_ref());
                        self.files.insert(p.clone(), parsed);
                        changed_files.insert(p);
                    }
                }
                if !path.exists() {
                    changed_files.insert(path.clone());
                }
            } else {
                let parsed = crate::check::read_entry(&self.root, path, self.config.as_ref());
                self.files.insert(path.clone(), parsed);
                changed_files.insert(path.clone());
            }
        }
        let read = changed_files.len();
        let dirty = if changes.templates {
            None
        } else {
            Some(changed_files)
        };
        let mut rebuilt = self.render(dirty.as_ref())?;
        rebuilt.files_read = read;
        rebuilt.took = started.elapsed();
        Ok(rebuilt)
    }

    /// Validates everything loaded, then renders the pages that depend on
    /// `changed` files (all pages when `changed` is `None`).
    fn render(&mut self, changed: Option<&BTreeSet<PathBuf>>) -> Result<Rebuilt, RebuildError> {
        let mut diagnostics = self.config_problems.clone();
        let config = self.config.clone();
        let (_, walk_problems) = load::entry_paths(&self.root);
        diagnostics.extend(walk_problems);
        let parsed: Vec<Parsed> = self.files.values().cloned().collect();
        let loaded = crate::check::assemble(&self.root, config, diagnostics, parsed);
        if self.templates.is_none() {
            match render::templates(Some(&self.root)) {
                Ok(templates) => self.templates = Some(templates),
                Err(problem) => return Err(RebuildError::Content(vec![problem])),
            }
        }
        let (_, static_problems) = crate::publish::static_files::list(&self.root);
        let Checked {
            diagnostics, site, ..
        } = publish::check_loaded(loaded, static_problems, &publish::CheckOptions::default());
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Err(RebuildError::Content(diagnostics));
        }
        let Some(mut site) = site else {
            return Err(RebuildError::Content(diagnostics));
        };
        if let Some(Err(problem)) = self
            .base_url
            .as_ref()
            .map(|url| site.config.set_base_url(url))
        {
            return Err(RebuildError::Content(vec![problem]));
        }
        let snapshot = Snapshot::of(&site);
        let pages_to_render = match (changed, &self.snapshot) {
            (Some(changed), Some(previous)) => {
                let pages = dirty_pages(&site, previous, &snapshot, changed);
                // An entry of the one-page view changes when its own page does.
                for page in &pages {
                    if let PageId::Entry(i) = page {
                        self.one_page.forget(&site.entries[*i].code);
                    }
                }
                pages
            }
            _ => {
                self.one_page.clear();
                PageId::all(&site)
            }
        };
        let templates = self
            .templates
            .clone()
            .expect("templates were just compiled");
        let pages = Pages::new(&site, templates).with_one_page_cache(&self.one_page);
        let rendered: Vec<(String, Vec<u8>)> = pages_to_render
            .par_iter()
            .map(|&id| {
                pages
                    .render(id)
                    .map(|html| (id.path(&site), html.into_bytes()))
            })
            .collect::<Result<_, _>>()
            .map_err(|d| RebuildError::Content(vec![d]))?;
        let mut outputs = rendered;
        outputs.extend(exports::files(&site));
        outputs.extend(self.terms.index(&site).files(self.search_shard_above));
        // What the site has now besides the static files: every page, rendered
        // this time or not, and everything made above.
        let mut live: HashSet<String> = PageId::all(&site)
            .into_iter()
            .map(|id| id.path(&site))
            .collect();
        live.extend(outputs.iter().map(|(path, _)| path.clone()));
        if changed.is_none() {
            outputs.extend(static_files(&site).map_err(RebuildError::Output)?);
        }
        let pages_rendered = pages_to_render.len();
        let mut rebuilt = self.write(outputs, &live)?;
        rebuilt.pages_rendered = pages_rendered;
        rebuilt.warnings = diagnostics;
        self.snapshot = Some(snapshot);
        Ok(rebuilt)
    }

    /// Writes the files whose bytes changed; removes what the site no longer
    /// has: files written before that are neither `live` nor static.
    fn write(
        &mut self,
        outputs: Vec<(String, Vec<u8>)>,
        live: &HashSet<String>,
    ) -> Result<Rebuilt, RebuildError> {
        let mut rebuilt = Rebuilt::default();
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| RebuildError::Output(OutputError::Io { path, source })
        };
        for (path, bytes) in outputs {
            let digest = hash(&bytes);
            if self.written.get(&path) == Some(&digest) {
                continue;
            }
            let full = self.output.join(&path);
            if let Some(parent) = full.parent() {
                fs::create_dir_all(parent).map_err(io(parent))?;
            }
            fs::write(&full, &bytes).map_err(io(&full))?;
            self.written.insert(path, digest);
            rebuilt.files_written += 1;
        }
        let statics: HashSet<String> = crate::publish::static_files::list(&self.root)
            .0
            .into_iter()
            .map(|file| file.path)
            .collect();
        let gone: Vec<String> = self
            .written
            .keys()
            .filter(|p| !live.contains(*p) && !statics.contains(*p))
            .cloned()
            .collect();
        for path in gone {
            let full = self.output.join(&path);
            let _ = fs::remove_file(&full);
            if let Some(parent) = full.parent() {
                let _ = fs::remove_dir(parent);
            }
            self.written.remove(&path);
            rebuilt.files_removed += 1;
        }
        Ok(rebuilt)
    }

    /// Copies the static files again (after a change under `static/`); returns how many changed.
    pub fn refresh_static(&mut self) -> Result<usize, RebuildError> {
        let files = static_files_of(&self.root).map_err(RebuildError::Output)?;
        let mut written = 0;
        for (path, bytes) in files {
            let digest = hash(&bytes);
            if self.written.get(&path) == Some(&digest) {
                continue;
            }
            let full = self.output.join(&path);
            let io = |source| {
                RebuildError::Output(OutputError::Io {
                    path: full.clone(),
                    source,
                })
            };
            if let Some(parent) = full.parent() {
                fs::create_dir_all(parent).map_err(io)?;
            }
            fs::write(&full, &bytes).map_err(io)?;
            self.written.insert(path, digest);
            written += 1;
        }
        Ok(written)
    }
}

/// Reads and checks `errdex.yaml`; a config that cannot be read at all is one problem.
fn read_config(root: &Path) -> (Option<crate::content::config::Config>, Vec<Diagnostic>) {
    load::read_config(root).unwrap_or_else(|error| {
        let problem = Diagnostic::new(
            crate::diagnostics::rules::Rule::UnreadablePath,
            error.to_string(),
        )
        .in_file(CONFIG_FILE);
        (None, vec![problem])
    })
}

fn static_files(site: &Site) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    static_files_of(&site.root)
}

/// The static files as `build` publishes them, with their bytes.
fn static_files_of(root: &Path) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    let (files, _) = crate::publish::static_files::list(root);
    files
        .into_iter()
        .map(|file| match file.bytes() {
            Ok(bytes) => Ok((file.path, bytes.into_owned())),
            Err(source) => Err(OutputError::Io {
                path: root.join(crate::layout::STATIC_DIR).join(&file.path),
                source,
            }),
        })
        .collect()
}

impl Snapshot {
    fn of(site: &Site) -> Snapshot {
        let mut snapshot = Snapshot {
            fallback: site.fallback().map(|e| e.code.clone()),
            ..Snapshot::default()
        };
        for (i, e) in site.entries.iter().enumerate() {
            let entry = &e.entry;
            let card = (
                &e.code,
                &e.aliases,
                e.title(),
                entry.summary.value.trim(),
                &entry.category.value,
                entry.status().as_str(),
                entry.http_status.as_ref().map(|s| s.value),
                entry.retryable,
            );
            snapshot.cards.insert(e.code.clone(), hash(&card));
            let (previous, next) = site.neighbours(i);
            snapshot.inputs.insert(
                e.code.clone(),
                PageInputs {
                    previous: previous.map(|p| p.code.clone()),
                    next: next.map(|n| n.code.clone()),
                    references: references(e),
                    file: e.source.disk_path.clone(),
                },
            );
        }
        for group in site.categories() {
            snapshot.categories.insert(
                group.key.to_owned(),
                group.entries.iter().map(|e| e.code.clone()).collect(),
            );
        }
        snapshot
    }
}

/// Codes an entry's page shows something of: related codes and `code:` links.
fn references(e: &crate::site::SiteEntry) -> BTreeSet<String> {
    e.facts
        .related
        .iter()
        .chain(&e.facts.code_links)
        .chain(&e.facts.replaced_by)
        .map(|c| c.value.clone())
        .collect()
}

/// The pages whose inputs changed between two snapshots, given the files that changed.
fn dirty_pages(
    site: &Site,
    old: &Snapshot,
    new: &Snapshot,
    changed: &BTreeSet<PathBuf>,
) -> Vec<PageId> {
    let changed_cards: HashSet<&str> = new
        .cards
        .iter()
        .filter(|(code, card)| old.cards.get(*code) != Some(card))
        .map(|(code, _)| code.as_str())
        .chain(
            old.cards
                .keys()
                .filter(|c| !new.cards.contains_key(*c))
                .map(String::as_str),
        )
        .collect();
    // Aliases of a changed card count as changed too: links name them.
    let touched = |code: &str| {
        changed_cards.contains(code)
            || site
                .get(code)
                .is_some_and(|e| changed_cards.contains(e.code.as_str()))
    };
    let mut pages = Vec::new();
    for (i, e) in site.entries.iter().enumerate() {
        let inputs = &new.inputs[&e.code];
        let dirty = changed.contains(&inputs.file)
            || old.inputs.get(&e.code) != Some(inputs)
            || inputs.references.iter().any(|c| touched(c))
            || [&inputs.previous, &inputs.next]
                .into_iter()
                .flatten()
                .any(|c| touched(c));
        if dirty {
            pages.push(PageId::Entry(i));
            pages.extend((0..e.aliases.len()).map(|a| PageId::Alias(i, a)));
        }
    }
    // The one-page view holds every entry: any change to an entry page changes it.
    let any_entry = pages.iter().any(|p| matches!(p, PageId::Entry(_)));
    if site.has_one_page_view()
        && (any_entry || old.inputs.len() != new.inputs.len() || old.categories != new.categories)
    {
        pages.push(PageId::All);
    }
    let mut lists_changed = false;
    for c in 0..site.config.categories().len() {
        let group = site.category(c);
        if group.entries.is_empty() {
            continue;
        }
        let codes = new.categories.get(group.key);
        let changed_here = codes != old.categories.get(group.key)
            || group
                .entries
                .iter()
                .any(|e| changed_cards.contains(e.code.as_str()));
        if changed_here {
            pages.extend((0..site.category_pages(c)).map(|p| PageId::Category(c, p)));
            lists_changed = true;
        }
    }
    if lists_changed || old.categories.len() != new.categories.len() {
        pages.push(PageId::Index);
    }
    let fallback_changed = old.fallback != new.fallback
        || new.fallback.as_ref().is_some_and(|code| {
            site.get(code).is_some_and(|e| {
                changed.contains(&e.source.disk_path) || changed_cards.contains(code.as_str())
            })
        });
    if fallback_changed || lists_changed {
        pages.push(PageId::NotFound);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_noise_is_ignored() {
        let root = Path::new("/site");
        assert_eq!(
            Changes::classify(root, [root.join("content/errors/.429.yaml.swp")]),
            None
        );
        assert_eq!(
            Changes::classify(root, [root.join("content/errors/429.yaml~")]),
            None
        );
        assert_eq!(
            Changes::classify(root, [root.join("public/index.html")]),
            None
        );
        let changes = Changes::classify(
            root,
            [root.join("errdex.yaml"), root.join("templates/entry.html")],
        )
        .unwrap();
        assert!(changes.config && changes.templates && !changes.statics);
    }
}
