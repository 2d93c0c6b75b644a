//! Writing the site: everything goes into a staging folder beside the output,
//! which replaces the output only once the whole build succeeded. A failed
//! build leaves the previous site untouched.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod manifest;
mod streamed;
mod sweep;

use manifest::{Built, FileKey, Record, Written};
use streamed::{Outcome, Replacing};

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
    /// Another build is writing the same output folder.
    #[error(
        "another errdex build is writing {} (it holds {}); run this one when it has finished",
        path.display(),
        lock.display()
    )]
    Busy {
        /// The output folder.
        path: PathBuf,
        /// The lock file beside it.
        lock: PathBuf,
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
///
/// The folder is a working copy kept beside the output (`.public.errdex-cache`
/// for `public/`): it holds the output of the build before the last, so most
/// files already have the right bytes and are not written again. Committing
/// removes what the new build did not write and swaps the folder with the
/// output in two renames; the old output becomes the next working copy. A
/// failed build never touches the output.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// What the last build into the working copy wrote there.
    previous: manifest::Tree,
    /// What this build wrote or found unchanged.
    written: Mutex<Written>,
    /// Whether this is the first build into the output: no output, no
    /// working copy, no manifest of an output (a new site, or a fresh clone
    /// in CI).
    first: bool,
    /// Held until the build is committed or abandoned (see [`lock_output`]).
    _lock: Option<fs::File>,
}

impl Staging {
    /// Prepares the working copy for `target`, refusing targets that would
    /// destroy the sources of the site at `root`.
    pub fn create(target: &Path, root: &Path) -> Result<Self, OutputError> {
        check_target(target, root)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io_error(parent))?;
        let lock = lock_output(target)?;
        let dir = sibling(target, "cache");
        let output_manifest = sibling(target, "manifest");
        let mut linked_from_output = false;
        let mut first = false;
        if !dir.is_dir() {
            if dir.exists() {
                fs::remove_file(&dir).map_err(io_error(&dir))?;
            }
            // An output without a working copy (deleted, or made by another
            // tool): the working copy starts as hard links to it, so files
            // that did not change are not written again.
            linked_from_output = target.is_dir() && link_tree(target, &dir).is_ok();
            if !linked_from_output {
                let _ = fs::remove_dir_all(&dir);
                fs::create_dir(&dir).map_err(io_error(&dir))?;
                // Nothing was ever built here, or all of it was deleted:
                // only a manifest of the output tells a deleted output
                // apart, and it survives `rm -rf public`.
                first = !target.exists() && !output_manifest.exists();
            }
        }
        // The working copy is about to change: its manifest goes now. The
        // output's stays, true until the swap, and moves with its tree.
        let mut previous = manifest::tree_id(&dir)
            .map(|id| manifest::take(&sibling(target, "cache-manifest"), id))
            .unwrap_or_default();
        if linked_from_output {
            // Linking kept every file's inode and times, so the output's
            // records hold for the working copy; its folders are new.
            previous = manifest::tree_id(target)
                .map(|id| manifest::read(&output_manifest, id))
                .unwrap_or_default();
            previous.folders = manifest::Folders::default();
        }
        // Sized for as many files as last time: no rehashing while pages are written.
        let written = Written::with_capacity_and_hasher(previous.records.len(), Default::default());
        Ok(Self {
            dir,
            target: target.to_path_buf(),
            previous,
            written: Mutex::new(written),
            first,
            _lock: lock,
        })
    }

    /// The working copy.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` to `path` (relative, with `/` separators), creating
    /// folders; a file that already holds exactly these bytes is left alone.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let full = self.dir.join(path);
        let hash = manifest::content_hash(bytes);
        let key = match self.unchanged(path, &full, bytes, hash) {
            Some(old) => FileKey::of(&old),
            None => replace_file(&full, bytes)?,
        };
        self.wrote(path, key.map(|key| Record { key, hash }));
        Ok(())
    }

    /// The metadata of the file at `full` (`path` in the working copy) when
    /// it already holds `bytes`, which hash to `hash`: the last build's
    /// record tells where it still holds, else the old bytes are read.
    fn unchanged(&self, path: &str, full: &Path, bytes: &[u8], hash: u128) -> Option<fs::Metadata> {
        let old = fs::metadata(full)
            .ok()
            .filter(|m| m.is_file() && m.len() == bytes.len() as u64)?;
        let same = match self.vouched(path, &old) {
            Some(record) => record.hash == hash,
            None => fs::read(full).is_ok_and(|old| old == bytes),
        };
        same.then_some(old)
    }

    /// The last build's record of `path` in the working copy, while it
    /// still describes the file there.
    fn vouched(&self, path: &str, meta: &fs::Metadata) -> Option<&Record> {
        self.previous.vouches(path, meta)
    }

    /// Notes that `path` is part of this build, with its record when there is one.
    fn wrote(&self, path: &str, record: Option<Record>) {
        let key = manifest::path_hash(path);
        self.written
            .lock()
            .expect("no writer panicked")
            .insert(key, record);
    }

    /// Writes the bytes `produce` streams to `path`, without holding them in
    /// memory (for files of tens of megabytes: `errors.json`,
    /// `llms-full.txt`); they are compared with the old file as they come,
    /// and the file is written only when they differ.
    pub fn write_with(
        &self,
        path: &str,
        produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        let name = full
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let fresh = full.with_file_name(format!(".{name}.errdex-new"));
        let result = (|| {
            // Serializers write a token at a time: hash and compare in large pieces.
            let mut writer = io::BufWriter::with_capacity(
                1 << 16,
                manifest::HashingWriter::new(Replacing::new(&full, &fresh)?),
            );
            produce(&mut writer)?;
            let (replacing, hash) = writer.into_inner().map_err(|e| e.into_error())?.finish();
            if replacing.finish()? == Outcome::Replaced {
                if full.is_dir() {
                    fs::remove_dir_all(&full)?;
                }
                fs::rename(&fresh, &full)?;
            }
            // The file now at `full`: the new one when it was replaced.
            Ok(fs::metadata(&full)
                .ok()
                .as_ref()
                .and_then(FileKey::of)
                .map(|key| Record { key, hash }))
        })();
        match result {
            Ok(record) => {
                self.wrote(path, record);
                Ok(())
            }
            Err(source) => {
                let _ = fs::remove_file(&fresh);
                Err(OutputError::Io { path: full, source })
            }
        }
    }

    /// Removes what this build did not write, then swaps the working copy and the target.
    pub fn commit(self) -> Result<(), OutputError> {
        let written = self.written.into_inner().expect("no writer panicked");
        let folders = sweep::sweep(&self.dir, &written, &self.previous)?;
        drop(self.previous);
        let built = manifest::tree_id(&self.dir);
        let (output_manifest, cache_manifest) = (
            sibling(&self.target, "manifest"),
            sibling(&self.target, "cache-manifest"),
        );
        // The manifest only saves work: a build that cannot write it is
        // still a good build.
        let save = |path: &Path, tree: Option<u64>, folders: &manifest::Folders| {
            if let Some(tree) = tree {
                let built = Built {
                    tree,
                    records: &written,
                    folders,
                };
                let _ = manifest::save(path, &built);
            }
        };
        if self.target.exists() {
            let swap = sibling(&self.target, "swap");
            if swap.exists() {
                fs::remove_dir_all(&swap).map_err(io_error(&swap))?;
            }
            fs::rename(&self.target, &swap).map_err(io_error(&self.target))?;
            if let Err(source) = fs::rename(&self.dir, &self.target) {
                // Put the previous site back so a failed swap loses nothing.
                let _ = fs::rename(&swap, &self.target);
                return Err(OutputError::Io {
                    path: self.target.clone(),
                    source,
                });
            }
            fs::rename(&swap, &self.dir).map_err(io_error(&swap))?;
            let _ = fs::rename(&output_manifest, &cache_manifest);
            save(&output_manifest, built, &folders);
        } else {
            // No output: a first build, or `rm -rf public` before each
            // build, as CI scripts and benchmarks do. After a deleted output
            // the output becomes a tree of hard links to the working copy,
            // so the working copy survives for the next build at the cost of
            // directory entries, not of data (renaming it instead would cost
            // the next build into a deleted output all of its writes). Files
            // are never rewritten in place (see `write`), so the two stay
            // apart. Where hard links are not possible, the working copy moves.
            if self.first {
                // Nothing to keep a working copy for yet: the build moves
                // into place, and the next build, if there is one, links
                // its working copy from the output (a build into a fresh
                // clone took 17% of its time to link 31,000 files it would
                // never read again). Its manifest marks the output as built,
                // so `rm -rf public` before each build keeps a working copy
                // from the second build on.
                fs::rename(&self.dir, &self.target).map_err(io_error(&self.target))?;
                save(&output_manifest, built, &folders);
                return Ok(());
            }
            let _ = fs::remove_file(&output_manifest);
            let links = sibling(&self.target, "swap");
            if links.exists() {
                fs::remove_dir_all(&links).map_err(io_error(&links))?;
            }
            match link_tree(&self.dir, &links) {
                Ok(()) => {
                    fs::rename(&links, &self.target).map_err(io_error(&self.target))?;
                    // Linking moved no file's modification time, so the
                    // records hold in both trees. The output's folders are
                    // new: they have none, and its first sweep lists them.
                    save(&cache_manifest, built, &folders);
                    save(
                        &output_manifest,
                        manifest::tree_id(&self.target),
                        &manifest::Folders::default(),
                    );
                }
                Err(_) => {
                    let _ = fs::remove_dir_all(&links);
                    fs::rename(&self.dir, &self.target).map_err(io_error(&self.target))?;
                    save(&output_manifest, built, &folders);
                }
            }
        }
        Ok(())
    }
}

/// Writes `bytes` to `full` as a new file (never the old one rewritten in
/// place: it may be a hard link shared with the output, see
/// [`Staging::commit`]), creating folders; returns the new file's key.
fn replace_file(full: &Path, bytes: &[u8]) -> Result<Option<FileKey>, OutputError> {
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    match fs::symlink_metadata(full) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(full).map_err(io_error(full))?,
        Ok(_) => fs::remove_file(full).map_err(io_error(full))?,
        Err(_) => {}
    }
    let mut file = fs::File::create(full).map_err(io_error(full))?;
    file.write_all(bytes).map_err(io_error(full))?;
    Ok(file.metadata().ok().as_ref().and_then(FileKey::of))
}

/// Recreates the folder tree of `from` at `to`, every file a hard link:
/// folders first, in order, then the links, on every core.
fn link_tree(from: &Path, to: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    fs::create_dir(to)?;
    let mut files = Vec::new();
    for item in walkdir::WalkDir::new(from).min_depth(1) {
        let item = item.map_err(|e| {
            e.into_io_error()
                .unwrap_or_else(|| io::Error::other("unreadable entry"))
        })?;
        let relative = item
            .path()
            .strip_prefix(from)
            .map_err(io::Error::other)?
            .to_path_buf();
        if item.file_type().is_dir() {
            fs::create_dir(to.join(&relative))?;
        } else {
            files.push(relative);
        }
    }
    files
        .par_iter()
        .try_for_each(|relative| fs::hard_link(from.join(relative), to.join(relative)))
}

/// Takes the lock of the output folder `target`, `.NAME.errdex-lock` beside
/// it: two builds into one folder share its working copy, and the swap of
/// one would move the tree the other is writing. A second build stops with
/// [`OutputError::Busy`] instead of waiting on a build that may never end.
/// Where the file system cannot lock, builds go unlocked, as before.
fn lock_output(target: &Path) -> Result<Option<fs::File>, OutputError> {
    let path = sibling(target, "lock");
    let Ok(file) = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    else {
        return Ok(None);
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(fs::TryLockError::WouldBlock) => Err(OutputError::Busy {
            path: target.to_path_buf(),
            lock: path,
        }),
        Err(fs::TryLockError::Error(_)) => Ok(None),
    }
}

/// `.NAME.errdex-KIND` beside `target`.
fn sibling(target: &Path, kind: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.errdex-{kind}"))
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

/// Every file and folder under `dir`, relative, sorted.
#[cfg(test)]
fn listing(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| crate::source::SourceFile::display_path(dir, e.unwrap().path()))
        .collect();
    found.sort();
    found
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
    fn a_second_build_into_the_same_folder_is_refused_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let first = Staging::create(&public, dir.path()).unwrap();
        first.write("index.html", b"first").unwrap();
        let refused = Staging::create(&public, dir.path()).unwrap_err();
        assert!(matches!(refused, OutputError::Busy { .. }));
        assert!(
            refused
                .to_string()
                .starts_with("another errdex build is writing "),
            "{refused}"
        );
        assert!(
            refused.to_string().contains(".public.errdex-lock"),
            "{refused}"
        );
        first.commit().unwrap();
        let second = Staging::create(&public, dir.path()).unwrap();
        second.write("index.html", b"second").unwrap();
        second.commit().unwrap();
        assert_eq!(fs::read(public.join("index.html")).unwrap(), b"second");
        drop(Staging::create(&public, dir.path()).unwrap());
        assert!(
            Staging::create(&public, dir.path()).is_ok(),
            "an abandoned build lets go too"
        );
    }

    #[test]
    fn an_abandoned_build_leaves_the_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public"), dir.path()).unwrap();
        staging.write("a/b.txt", b"x").unwrap();
        drop(staging);
        assert!(!dir.path().join("public").exists());
    }

    #[test]
    fn the_manifest_vouches_for_untouched_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let build = |files: &[(&str, &str)], round: usize| {
            let staging = Staging::create(&public, dir.path()).unwrap();
            for (path, text) in files {
                staging.write(path, text.as_bytes()).unwrap();
            }
            // Long enough after the files above for their records to
            // count; this one is written just before the manifest.
            staging
                .write_with("big.txt", |out| {
                    std::thread::sleep(std::time::Duration::from_millis(120));
                    write!(out, "streamed {round}")
                })
                .unwrap();
            staging.commit().unwrap();
        };
        let files = [("a.txt", "same"), ("b.txt", "same")];
        for round in 0..3 {
            build(&files, round);
        }
        // The working copy now holds the second build, which has records.
        let cache = sibling(&public, "cache");
        let modified = |path: &Path| fs::metadata(path).unwrap().modified().unwrap();
        assert!(sibling(&public, "cache-manifest").is_file());
        let manifest_written = modified(&sibling(&public, "cache-manifest"));
        if FileKey::of(&fs::metadata(cache.join("a.txt")).unwrap()).is_none() {
            return; // no inodes on this platform: the manifest is never used
        }
        // Rewritten in place, same length: its record must no longer hold.
        fs::OpenOptions::new()
            .write(true)
            .open(cache.join("b.txt"))
            .unwrap()
            .write_all(b"SAME")
            .unwrap();
        let staging = Staging::create(&public, dir.path()).unwrap();
        assert!(
            !sibling(&public, "cache-manifest").exists(),
            "taken by the build"
        );
        assert!(sibling(&public, "manifest").is_file(), "left to the output");
        let vouched = |path: &str| {
            let meta = fs::metadata(cache.join(path)).unwrap();
            staging.vouched(path, &meta).is_some()
        };
        assert!(vouched("a.txt"));
        assert!(!vouched("b.txt"), "changed since");
        // The manifest counts files older than a moment before it was
        // written; on a loaded machine the commit may take longer than that
        // moment, and then the streamed file is old enough to count.
        // (`manifest::tests` checks the rule itself, without a clock.)
        let settling = std::time::Duration::from_nanos(manifest::SETTLED_NS as u64);
        if modified(&cache.join("big.txt")) + settling >= manifest_written {
            assert!(
                !vouched("big.txt"),
                "written in the same moment as the manifest"
            );
        } else {
            eprintln!("the commit outlasted the settling time: big.txt's case did not arise");
        }
        drop(staging);
        build(&files, 1);
        assert_eq!(fs::read_to_string(public.join("b.txt")).unwrap(), "same");
        assert_eq!(
            fs::read_to_string(public.join("big.txt")).unwrap(),
            "streamed 1"
        );
    }

    #[test]
    fn deleting_the_output_leaves_the_records_of_the_working_copy_standing() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let files = ["index.html", "errors/a/index.html", "errors/a.json"];
        let build = || {
            let staging = Staging::create(&public, dir.path()).unwrap();
            for file in files {
                staging.write(file, file.as_bytes()).unwrap();
            }
            staging.commit().unwrap();
        };
        build();
        // Long enough for the records of these files to count.
        std::thread::sleep(std::time::Duration::from_millis(120));
        build();
        build();
        let cache = sibling(&public, "cache");
        if FileKey::of(&fs::metadata(cache.join("index.html")).unwrap()).is_none() {
            return; // no inodes on this platform: the manifest is never used
        }
        let vouched_after = |delete_first: bool| {
            if delete_first {
                fs::remove_dir_all(&public).unwrap();
            }
            let staging = Staging::create(&public, dir.path()).unwrap();
            let unread: Vec<&str> = files
                .into_iter()
                .filter(|path| {
                    let meta = fs::metadata(cache.join(path)).unwrap();
                    staging.vouched(path, &meta).is_some()
                })
                .collect();
            drop(staging);
            build();
            unread
        };
        // The output's files are hard links to the working copy's: deleting
        // them changes the working copy's link counts, not its files.
        assert_eq!(vouched_after(true), files, "right after `rm -rf public`");
        assert_eq!(
            vouched_after(true),
            files,
            "and after a build into no output"
        );
        assert_eq!(vouched_after(false), files, "then a rebuild");
        assert_eq!(vouched_after(false), files, "and the next");
        assert_eq!(vouched_after(true), files);
        assert_eq!(
            fs::read_to_string(public.join("errors/a.json")).unwrap(),
            "errors/a.json"
        );
    }

    #[test]
    fn a_working_copy_linked_from_the_output_keeps_the_outputs_records() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let cache = sibling(&public, "cache");
        let files = ["index.html", "errors/a/index.html", "errors/a.json"];
        let staging = Staging::create(&public, dir.path()).unwrap();
        for file in files {
            staging.write(file, file.as_bytes()).unwrap();
        }
        // Long enough for the records of these files to count.
        std::thread::sleep(std::time::Duration::from_millis(120));
        staging.commit().unwrap();
        // A first build: the output is the tree it wrote, and no working copy stays.
        assert!(public.join("errors/a/index.html").is_file());
        assert!(!cache.exists());
        if FileKey::of(&fs::metadata(public.join("index.html")).unwrap()).is_none() {
            return; // no inodes on this platform: the manifest is never used
        }
        let staging = Staging::create(&public, dir.path()).unwrap();
        let vouched: Vec<&str> = files
            .into_iter()
            .filter(|path| {
                let meta = fs::metadata(cache.join(path)).unwrap();
                staging.vouched(path, &meta).is_some()
            })
            .collect();
        assert_eq!(
            vouched, files,
            "linking moved no file, so no byte is read back"
        );
        for file in files {
            staging.write(file, file.as_bytes()).unwrap();
        }
        staging.commit().unwrap();
        for file in files {
            assert_eq!(fs::read_to_string(public.join(file)).unwrap(), file);
            assert_eq!(fs::read_to_string(cache.join(file)).unwrap(), file);
        }
    }

    #[test]
    fn files_added_to_the_output_by_hand_go_once_its_tree_is_built_again() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let build = || {
            let staging = Staging::create(&public, dir.path()).unwrap();
            for file in ["index.html", "a/b/index.html", "a/c/index.html"] {
                staging.write(file, b"same").unwrap();
            }
            staging.commit().unwrap();
        };
        for _ in 0..3 {
            build();
        }
        // Long enough for the folders' records to count.
        std::thread::sleep(std::time::Duration::from_millis(120));
        for foreign in ["a/b/extra.txt", "a/new/deep/x.txt", "extra.txt"] {
            let path = public.join(foreign);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "by hand").unwrap();
        }
        // The first build swaps the tree holding them out, the second sweeps it.
        build();
        build();
        let cache = sibling(&public, "cache");
        for tree in [&public, &cache] {
            assert_eq!(
                listing(tree),
                [
                    "a",
                    "a/b",
                    "a/b/index.html",
                    "a/c",
                    "a/c/index.html",
                    "index.html"
                ],
                "{}",
                tree.display()
            );
        }
    }

    #[test]
    #[cfg(unix)]
    fn a_streamed_file_is_written_only_when_its_bytes_change() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let build = |text: &str| {
            let staging = Staging::create(&public, dir.path()).unwrap();
            staging
                .write_with("data/big.json", |out| {
                    // Many small writes, as a serializer makes them.
                    text.bytes().try_for_each(|b| out.write_all(&[b]))
                })
                .unwrap();
            staging.commit().unwrap();
            let meta = fs::metadata(public.join("data/big.json")).unwrap();
            assert_eq!(
                fs::read_to_string(public.join("data/big.json")).unwrap(),
                text
            );
            let leftovers: Vec<_> = fs::read_dir(public.join("data"))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .filter(|name| name != "big.json")
                .collect();
            assert!(leftovers.is_empty(), "{leftovers:?}");
            meta.ino()
        };
        let text = "[1, 2, 3]".repeat(10_000);
        let first = build(&text);
        build(&text);
        // Both trees now hold the same file: the third build finds it unchanged.
        assert_eq!(build(&text), first, "not written again");
        let changed = text.replacen('3', "4", 1);
        assert_ne!(build(&changed), first, "a new file, the old one untouched");
        assert_ne!(build(&text[..100]), first);
    }

    #[test]
    fn rebuilds_reuse_the_working_copy_and_drop_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        for (round, files) in [
            ["a.txt", "old/x.txt"],
            ["a.txt", "b.txt"],
            ["a.txt", "c/d.txt"],
        ]
        .iter()
        .enumerate()
        {
            let staging = Staging::create(&public, dir.path()).unwrap();
            for file in files {
                staging.write(file, format!("{round}").as_bytes()).unwrap();
            }
            staging.commit().unwrap();
            let mut found: Vec<String> = walkdir::WalkDir::new(&public)
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| e.file_type().is_file())
                .map(|e| crate::source::SourceFile::display_path(&public, e.path()))
                .collect();
            found.sort();
            assert_eq!(found, files.to_vec(), "round {round}");
            assert_eq!(
                fs::read_to_string(public.join("a.txt")).unwrap(),
                round.to_string()
            );
        }
        assert!(!public.join("old").exists() && !public.join("c").join("..").join("old").exists());
    }
}
