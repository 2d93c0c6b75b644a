//! Writing the site: everything goes into a staging folder beside the output,
//! which replaces the output only once the whole build succeeded. A failed
//! build leaves the previous site untouched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Problems writing the output.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder would contain or replace the site's sources.
    #[error("refusing to write the site into {}: {reason}", path.display())]
    Unsafe {
        /// The output folder asked for.
        path: PathBuf,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A file system operation failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A folder being filled with a new build.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares a staging folder for `target`, refusing targets that would
    /// destroy the sources of the site at `root`.
    pub fn create(target: &Path, root: &Path) -> Result<Self, OutputError> {
        check_target(target, root)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io_error(parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dir = parent.join(format!(".{name}.errdex-staging"));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_error(&dir))?;
        }
        fs::create_dir(&dir).map_err(io_error(&dir))?;
        Ok(Self {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` to `path` (relative, with `/` separators), creating folders.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        fs::write(&full, bytes).map_err(io_error(&full))
    }

    /// Replaces the target with the staged build.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let target = self.target.clone();
        if target.exists() {
            let name = target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let old = self.dir.with_file_name(format!(".{name}.errdex-old"));
            if old.exists() {
                fs::remove_dir_all(&old).map_err(io_error(&old))?;
            }
            fs::rename(&target, &old).map_err(io_error(&target))?;
            if let Err(source) = fs::rename(&self.dir, &target) {
                // Put the previous site back so a failed swap loses nothing.
                let _ = fs::rename(&old, &target);
                return Err(OutputError::Io {
                    path: target,
                    source,
                });
            }
            self.committed = true;
            fs::remove_dir_all(&old).map_err(io_error(&old))?;
        } else {
            fs::rename(&self.dir, &target).map_err(io_error(&target))?;
            self.committed = true;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Refuses an output folder that is the site root, one of its ancestors, the
/// content folder, or any folder that holds a site config.
fn check_target(target: &Path, root: &Path) -> Result<(), OutputError> {
    let refuse = |reason| {
        Err(OutputError::Unsafe {
            path: target.to_path_buf(),
            reason,
        })
    };
    let absolute = |p: &Path| {
        fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or(p.to_path_buf()))
    };
    let target_abs = absolute(target);
    let root_abs = absolute(root);
    if root_abs.starts_with(&target_abs) {
        return refuse("it contains the site's sources");
    }
    for source_dir in ["content", "templates", "static"] {
        if target_abs.starts_with(root_abs.join(source_dir)) {
            return refuse("it is inside the site's sources");
        }
    }
    if target.join(crate::config::CONFIG_FILE).exists() {
        return refuse("it holds an errdex.yaml, so it looks like a site root");
    }
    if target.exists() && !target.is_dir() {
        return refuse("it is a file, not a folder");
    }
    Ok(())
}

/// Copies every non-hidden file under `from` into the staging folder; returns
/// how many of them were not there already (`existing` names files written before).
pub fn copy_dir(staging: &Staging, from: &Path, existing: &[&str]) -> Result<usize, OutputError> {
    let mut copied = 0;
    let walker = walkdir::WalkDir::new(from)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for item in walker {
        let item = item.map_err(|e| OutputError::Io {
            path: e.path().unwrap_or(from).to_path_buf(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| io::Error::other("symbolic link loop")),
        })?;
        if !item.file_type().is_file() {
            continue;
        }
        let relative = crate::source::SourceFile::display_path(from, item.path());
        let bytes = fs::read(item.path()).map_err(io_error(item.path()))?;
        staging.write(&relative, &bytes)?;
        copied += usize::from(!existing.contains(&relative.as_str()));
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_root_is_never_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(matches!(
            check_target(root, root),
            Err(OutputError::Unsafe { .. })
        ));
        assert!(matches!(
            check_target(root.parent().unwrap(), root),
            Err(OutputError::Unsafe { .. })
        ));
        assert!(matches!(
            check_target(&root.join("content/x"), root),
            Err(OutputError::Unsafe { .. })
        ));
        assert!(check_target(&root.join("public"), root).is_ok());
    }

    #[test]
    fn an_abandoned_staging_folder_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public"), dir.path()).unwrap();
        staging.write("a/b.txt", b"x").unwrap();
        let staged = staging.dir().to_path_buf();
        drop(staging);
        assert!(!staged.exists());
        assert!(!dir.path().join("public").exists());
    }
}
