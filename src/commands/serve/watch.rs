//! Watching a site's files: a debounced watcher (notify, with its polling
//! fallback where native events are unavailable) feeding incremental rebuilds.
//!
//! The root is watched on its own (it may hold `public/`, `.git` and more),
//! each source folder recursively. A source folder that is moved away and
//! back, deleted and made again, or created after the server started (as
//! `git checkout`, `git stash` and some editors do) is watched again and the
//! site rebuilt whole; a check every second catches what the events missed.
//! A watcher that fails says so on the terminal and on every open page.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::{Shared, report, say};
use crate::commands::serve::incremental::{Changes, Incremental};

/// How long to wait for more events before rebuilding: editors save in bursts
/// (write a temporary file, rename it over the old one, touch a backup).
const DEBOUNCE: Duration = Duration::from_millis(25);

/// How often the source folders are checked for having been replaced.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The folders of a site root that are watched recursively.
const SOURCE_FOLDERS: [&str; 3] = ["content", "templates", "static"];

type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// What the watcher thread receives.
enum News {
    /// Paths that changed.
    Paths(Vec<PathBuf>),
    /// The watcher failed.
    Failed(String),
}

/// A running watcher; dropping it stops watching.
pub(crate) struct Watching {
    _debouncer: Arc<Mutex<Watcher>>,
    _thread: std::thread::JoinHandle<()>,
}

/// Watches the site's inputs and rebuilds on every change. `root` is absolute.
pub(crate) fn start(
    root: &Path,
    incremental: Incremental,
    shared: Arc<Shared>,
) -> std::io::Result<Watching> {
    let (sender, receiver) = mpsc::channel::<News>();
    let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let news = match result {
            // Reads (ours included: a rebuild reads the files) are not changes.
            Ok(events) => News::Paths(
                events
                    .into_iter()
                    .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                    .flat_map(|e| e.event.paths)
                    .collect(),
            ),
            Err(errors) => News::Failed(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        if !matches!(&news, News::Paths(paths) if paths.is_empty()) {
            let _ = sender.send(news);
        }
    })
    .map_err(std::io::Error::other)?;
    let debouncer = Arc::new(Mutex::new(debouncer));
    let mut folders = Folders::new(root);
    {
        let mut watcher = debouncer.lock().expect("the watcher is not poisoned");
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(std::io::Error::other)?;
        folders.rewatch(&mut watcher, None);
    }
    let root = root.to_path_buf();
    let watcher = debouncer.clone();
    let thread = std::thread::spawn(move || {
        let mut rebuilder = Rebuilder {
            incremental,
            shared,
        };
        loop {
            let mut paths = match receiver.recv_timeout(CHECK_EVERY) {
                Ok(News::Paths(paths)) => paths,
                Ok(News::Failed(error)) => {
                    rebuilder.failed(&error);
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => Vec::new(),
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            };
            // Take whatever else arrived meanwhile, so one rebuild covers it.
            while let Ok(news) = receiver.try_recv() {
                match news {
                    News::Paths(more) => paths.extend(more),
                    News::Failed(error) => rebuilder.failed(&error),
                }
            }
            let replaced = {
                let Ok(mut watcher) = watcher.lock() else {
                    return;
                };
                folders.rewatch(&mut watcher, Some(&paths))
            };
            if replaced {
                rebuilder.everything();
            } else if !paths.is_empty() {
                rebuilder.update(&root, paths);
            }
        }
    });
    Ok(Watching {
        _debouncer: debouncer,
        _thread: thread,
    })
}

/// The source folders and the identity of each as it was last watched.
struct Folders {
    paths: Vec<PathBuf>,
    watched: Vec<Option<Identity>>,
}

impl Folders {
    fn new(root: &Path) -> Self {
        let paths: Vec<PathBuf> = SOURCE_FOLDERS.iter().map(|f| root.join(f)).collect();
        let watched = vec![None; paths.len()];
        Self { paths, watched }
    }

    /// Watches again each folder that was replaced, moved, created or
    /// deleted since it was last watched: one that `events` name itself, or
    /// whose identity changed. Returns whether any was.
    fn rewatch(&mut self, watcher: &mut Watcher, events: Option<&[PathBuf]>) -> bool {
        let mut any = false;
        for (path, watched) in self.paths.iter().zip(self.watched.iter_mut()) {
            let now = Identity::of(path);
            let named = events.is_some_and(|paths| paths.iter().any(|p| p == path));
            if events.is_some() && !named && now == *watched {
                continue;
            }
            let _ = watcher.unwatch(path);
            if let Some(Err(error)) = now.map(|_| watcher.watch(path, RecursiveMode::Recursive)) {
                say(&format!(
                    "cannot watch {}: {error}; edits there are not seen until serve restarts",
                    path.display()
                ));
            }
            *watched = now;
            any = true;
        }
        any && events.is_some()
    }
}

/// What tells a folder apart from another at the same path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    #[cfg(unix)]
    device_and_inode: (u64, u64),
}

impl Identity {
    fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Self {
                device_and_inode: (meta.dev(), meta.ino()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            Some(Self {})
        }
    }
}

/// Turns changes into rebuilds and reports them.
struct Rebuilder {
    incremental: Incremental,
    shared: Arc<Shared>,
}

impl Rebuilder {
    fn update(&mut self, root: &Path, paths: Vec<PathBuf>) {
        let Some(changes) = Changes::classify(root, paths) else {
            return;
        };
        if changes.statics && !changes.config && !changes.templates && changes.entries.is_empty() {
            match self.incremental.refresh_static() {
                Ok(_) => {
                    let _ = self.shared.events.send(super::LiveEvent::Reload);
                }
                Err(error) => report(&self.shared, Err(error), "static files"),
            }
            return;
        }
        let outcome = self.incremental.update(&changes);
        if changes.statics && outcome.is_ok() {
            let _ = self.incremental.refresh_static();
        }
        report(&self.shared, outcome, "rebuilt");
    }

    /// A source folder was replaced: every file is read again.
    fn everything(&mut self) {
        let outcome = self.incremental.full();
        report(&self.shared, outcome, "rebuilt");
    }

    fn failed(&self, error: &str) {
        say(&format!(
            "the file watcher failed ({error}); edits may not be seen: restart errdex serve"
        ));
    }
}
