//! Watching a site's files: a debounced watcher (notify, with its polling
//! fallback where native events are unavailable) feeding incremental rebuilds.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use super::{Shared, report};
use crate::incremental::{Changes, Incremental};

/// How long to wait for more events before rebuilding: editors save in bursts
/// (write a temporary file, rename it over the old one, touch a backup).
const DEBOUNCE: Duration = Duration::from_millis(25);

/// A running watcher; dropping it stops watching.
pub(crate) struct Watching {
    _debouncer: Box<dyn std::any::Any + Send>,
    _thread: std::thread::JoinHandle<()>,
}

/// Watches the site's inputs and rebuilds on every change.
pub(crate) fn start(
    root: &Path,
    mut incremental: Incremental,
    shared: Arc<Shared>,
) -> std::io::Result<Watching> {
    let (sender, receiver) = mpsc::channel::<Vec<PathBuf>>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        if let Ok(events) = result {
            // Reads (ours included: a rebuild reads the files) are not changes.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .collect();
            if !paths.is_empty() {
                let _ = sender.send(paths);
            }
        }
    })
    .map_err(std::io::Error::other)?;
    // The root itself (not recursively: it may hold public/ and more), so that
    // errdex.yaml and new source folders are seen; each source folder recursively.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(std::io::Error::other)?;
    for folder in ["content", "templates", "static"] {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(std::io::Error::other)?;
        }
    }
    let root = root.to_path_buf();
    let thread = std::thread::spawn(move || {
        while let Ok(mut paths) = receiver.recv() {
            // Take whatever else arrived meanwhile, so one rebuild covers it.
            while let Ok(more) = receiver.try_recv() {
                paths.extend(more);
            }
            let Some(changes) = Changes::classify(&root, paths) else {
                continue;
            };
            if changes.statics
                && !changes.config
                && !changes.templates
                && changes.entries.is_empty()
            {
                match incremental.refresh_static() {
                    Ok(_) => {
                        let _ = shared.events.send(super::LiveEvent::Reload);
                    }
                    Err(error) => report(&shared, Err(error), "static files"),
                }
                continue;
            }
            let outcome = incremental.update(&changes);
            if changes.statics && outcome.is_ok() {
                let _ = incremental.refresh_static();
            }
            report(&shared, outcome, "rebuilt");
        }
    });
    Ok(Watching {
        _debouncer: Box::new(debouncer),
        _thread: thread,
    })
}
