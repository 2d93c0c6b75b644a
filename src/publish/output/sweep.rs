//! Removing from the working copy what a build did not write, and the
//! folders that leaves empty.
//!
//! A folder's names come from the manifest while the folder is as the last
//! sweep of this tree left it (see [`manifest::Tree::listing`]); only a
//! folder that changed since — a build wrote into it, someone added a file
//! by hand — is read from the disk. The tree has a folder per code, and
//! reading each of them would be most of what committing costs, more still
//! when their blocks have left the page cache.

use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::manifest::{self, FileKey, Folders, Tree, Written};
use super::ownership::Claim;
use super::{OutputError, io_error};

/// Deletes every file under `dir` that is not in `keep` and that errdex
/// wrote (`ours`: the claim of the tree's marker, when the tree is as its
/// last build left it; without one, every file), and folders left empty.
/// Returns the folders that remain, for the next sweep of this tree, and
/// the files spared because errdex did not write them.
pub(super) fn sweep(
    dir: &Path,
    keep: &Written,
    previous: &Tree,
    ours: Option<&Claim>,
) -> Result<(Folders, Vec<PathBuf>), OutputError> {
    let sweeper = Sweeper {
        keep,
        previous,
        ours,
        found: Mutex::new(Folders::default()),
        spared: Mutex::new(Vec::new()),
    };
    sweeper.folder(dir, "")?;
    let mut spared = sweeper.spared.into_inner().expect("no sweeper panicked");
    spared.sort();
    Ok((
        sweeper.found.into_inner().expect("no sweeper panicked"),
        spared,
    ))
}

struct Sweeper<'a> {
    keep: &'a Written,
    previous: &'a Tree,
    ours: Option<&'a Claim>,
    found: Mutex<Folders>,
    spared: Mutex<Vec<PathBuf>>,
}

/// A name in a folder, and whether it is a folder itself.
type Entry<'a> = (Cow<'a, str>, bool);

impl Sweeper<'_> {
    /// Sweeps the folder `dir`, `prefix` being its path relative to the tree;
    /// returns whether it still holds anything. Its entries are swept side by
    /// side.
    fn folder(&self, dir: &Path, prefix: &str) -> Result<bool, OutputError> {
        let meta = match fs::symlink_metadata(dir) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(io_error(dir)(e)),
        };
        let entries: Vec<Entry<'_>> = match self.previous.listing(prefix, &meta) {
            Some(listed) => listed.map(|(name, is_dir)| (name.into(), is_dir)).collect(),
            None => read_folder(dir)?,
        };
        let kept: Vec<Option<&Entry<'_>>> = entries
            .par_iter()
            .map(|entry| {
                self.entry(dir, prefix, entry)
                    .map(|kept| kept.then_some(entry))
            })
            .collect::<Result<_, _>>()?;
        let removed = kept.iter().any(Option::is_none);
        // Removing anything moved the folder's times: its key is read again.
        let key = if removed {
            fs::symlink_metadata(dir)
                .ok()
                .as_ref()
                .and_then(FileKey::of)
        } else {
            FileKey::of(&meta)
        };
        let kept: Vec<(&str, bool)> = kept
            .into_iter()
            .flatten()
            .map(|(name, is_dir)| (name.as_ref(), *is_dir))
            .collect();
        // A folder left empty is about to go: no record. Should it hold
        // something after all, the next sweep reads it.
        if let Some(key) = key.filter(|_| !kept.is_empty()) {
            self.found.lock().expect("no sweeper panicked").insert(
                prefix,
                key,
                kept.iter().copied(),
            );
        }
        Ok(!kept.is_empty())
    }

    /// Sweeps one entry of the folder `dir`; returns whether it stays.
    fn entry(
        &self,
        dir: &Path,
        prefix: &str,
        (name, is_dir): &Entry<'_>,
    ) -> Result<bool, OutputError> {
        let path = dir.join(name.as_ref());
        let relative = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        };
        if *is_dir {
            if self.folder(&path, &relative)? {
                return Ok(true);
            }
            match fs::remove_dir(&path) {
                // Something this sweep did not know of is in there.
                Err(e) if e.kind() == io::ErrorKind::DirectoryNotEmpty => Ok(true),
                removed => ignore_missing(removed)
                    .map(|()| false)
                    .map_err(io_error(&path)),
            }
        } else if self.keep.contains_key(&manifest::path_hash(&relative)) {
            Ok(true)
        } else if self.ours.is_some_and(|claim| !claim.lists(&relative)) {
            self.spared
                .lock()
                .expect("no sweeper panicked")
                .push(PathBuf::from(relative));
            Ok(true)
        } else {
            ignore_missing(fs::remove_file(&path)).map_err(io_error(&path))?;
            Ok(false)
        }
    }
}

/// The entries of `dir` as the disk has them. A name that is not UTF-8 is
/// no name errdex writes: it is removed right away.
fn read_folder(dir: &Path) -> Result<Vec<Entry<'static>>, OutputError> {
    let items = fs::read_dir(dir)
        .and_then(|items| items.collect::<io::Result<Vec<_>>>())
        .map_err(io_error(dir))?;
    let mut entries = Vec::with_capacity(items.len());
    for item in items {
        let is_dir = item.file_type().map_err(io_error(&item.path()))?.is_dir();
        match item.file_name().into_string() {
            Ok(name) => entries.push((Cow::Owned(name), is_dir)),
            Err(_) => {
                let path = item.path();
                let removed = if is_dir {
                    fs::remove_dir_all(&path)
                } else {
                    fs::remove_file(&path)
                };
                ignore_missing(removed).map_err(io_error(&path))?;
            }
        }
    }
    Ok(entries)
}

/// What was to be removed may be gone already.
fn ignore_missing(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::output::listing;

    fn files(dir: &Path, paths: &[&str]) {
        for path in paths {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
    }

    /// Records of folders that count whenever their keys match.
    fn settled(folders: Folders) -> Tree {
        Tree {
            folders,
            settled_before_ns: i64::MAX,
            ..Tree::default()
        }
    }

    fn keep(paths: &[&str]) -> Written {
        paths
            .iter()
            .map(|p| (manifest::path_hash(p), None))
            .collect()
    }

    #[test]
    fn stale_files_go_and_so_do_the_folders_they_leave_empty() {
        let dir = tempfile::tempdir().unwrap();
        files(
            dir.path(),
            &[
                "a/keep.txt",
                "a/b/c/old.txt",
                "a/b/old.txt",
                "d/old.txt",
                "top.txt",
            ],
        );
        fs::create_dir_all(dir.path().join("empty/inner")).unwrap();
        let keep = keep(&["a/keep.txt", "top.txt"]);
        sweep(dir.path(), &keep, &Tree::default(), None).unwrap();
        assert_eq!(listing(dir.path()), ["a", "a/keep.txt", "top.txt"]);
    }

    #[test]
    fn a_folder_as_its_record_tells_is_not_read_and_a_changed_one_is() {
        let dir = tempfile::tempdir().unwrap();
        files(dir.path(), &["sub/a.txt", "sub/b.txt", "sub/c.txt"]);
        let Some(key) = FileKey::of(&fs::metadata(dir.path().join("sub")).unwrap()) else {
            return; // no inodes on this platform: no records
        };
        // The record lists a.txt and c.txt only: were the folder read, b.txt
        // would go too.
        let mut folders = Folders::default();
        folders.insert("sub", key, [("a.txt", false), ("c.txt", false)]);
        let mut previous = settled(folders);
        let found = sweep(dir.path(), &keep(&["sub/c.txt"]), &previous, None)
            .unwrap()
            .0;
        assert_eq!(listing(dir.path()), ["sub", "sub/b.txt", "sub/c.txt"]);
        // Removing a.txt moved the folder's times: the record of this sweep
        // has them, and the names it kept.
        let meta = fs::metadata(dir.path().join("sub")).unwrap();
        let recorded = settled(found.clone());
        let names: Vec<(&str, bool)> = recorded.listing("sub", &meta).unwrap().collect();
        assert_eq!(names, [("c.txt", false)]);
        // The old record no longer holds: the folder is read.
        sweep(dir.path(), &keep(&["sub/c.txt"]), &previous, None).unwrap();
        assert_eq!(listing(dir.path()), ["sub", "sub/c.txt"]);
        // Nor does a record taken too recently.
        previous.folders = found;
        previous.settled_before_ns = 0;
        sweep(dir.path(), &keep(&[]), &previous, None).unwrap();
        assert_eq!(listing(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_folder_that_holds_more_than_its_record_stays() {
        let dir = tempfile::tempdir().unwrap();
        files(dir.path(), &["sub/a.txt", "sub/foreign.txt"]);
        let Some(key) = FileKey::of(&fs::metadata(dir.path().join("sub")).unwrap()) else {
            return;
        };
        let mut folders = Folders::default();
        folders.insert("sub", key, [("a.txt", false)]);
        let found = sweep(dir.path(), &keep(&[]), &settled(folders), None)
            .unwrap()
            .0;
        assert_eq!(listing(dir.path()), ["sub", "sub/foreign.txt"]);
        // No record of it: the next sweep reads it and finds the file.
        sweep(dir.path(), &keep(&[]), &settled(found), None).unwrap();
        assert_eq!(listing(dir.path()), Vec::<String>::new());
    }
}
