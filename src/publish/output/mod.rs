//! Writing the site: everything goes into a working copy beside the output,
//! which takes the output's place only once the whole build succeeded. A
//! failed build leaves the previous site untouched, and errdex replaces only
//! a folder it wrote itself ([`ownership`]).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod files;
mod manifest;
pub mod ownership;
mod streamed;
mod swap;
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
        reason: String,
    },
    /// The output folder holds files and errdex did not build it.
    #[error(
        "refusing to replace {}: it is not empty and errdex did not build it (it has no {} file); \
         choose a new or empty folder with --output, or pass --force to build into it anyway \
         (files errdex did not write are then kept and listed, never deleted)",
        path.display(),
        ownership::MARKER
    )]
    NotOurs {
        /// The output folder.
        path: PathBuf,
    },
    /// A file errdex did not write is where the new build writes one.
    #[error(
        "{} was not written by errdex, and this build writes a file there: move or delete it, then build again",
        path.display()
    )]
    Collision {
        /// The file in the output.
        path: PathBuf,
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

/// The size of what a build wrote.
#[derive(Debug, Default, Clone)]
pub struct OutputSize {
    /// Files written.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
    /// The largest: its path and size.
    pub largest: (String, u64),
    /// Folders holding them.
    pub folders: u64,
}

/// What a committed build left in the output besides its own files.
#[derive(Debug, Default)]
pub struct Committed {
    /// Files (and empty folders) in the output that errdex did not write,
    /// kept in place; relative to the output.
    pub kept: Vec<PathBuf>,
    /// An interrupted swap of an earlier build that this build completed or undid.
    pub recovered: bool,
}

/// A folder being filled with a new build.
///
/// The folder is a working copy kept beside the output (`.public.errdex-cache`
/// for `public/`): it holds the output of the build before the last, so most
/// files already have the right bytes and are not written again. Committing
/// removes what the new build did not write, links in the files of the
/// output that errdex did not write, and exchanges the folder with the
/// output (`swap`); the old output becomes the next working copy. A failed
/// build never touches the output.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// What the last build into the working copy wrote there.
    previous: manifest::Tree,
    /// What this build wrote or found unchanged.
    written: Mutex<Written>,
    /// The relative paths of what this build wrote, for the output's marker.
    paths: Mutex<Vec<String>>,
    /// How many files and bytes this build wrote, and its largest file.
    size: Mutex<OutputSize>,
    /// Folders of the working copy known to be real folders this build.
    folders: Mutex<rustc_hash::FxHashSet<String>>,
    /// Numbers the temporary files of [`Staging::write_with`].
    temporaries: std::sync::atomic::AtomicU64,
    /// What errdex wrote into the output, from its marker.
    claim: ownership::Claim,
    /// What errdex wrote into the working copy, when it is as its last
    /// build left it: files there that it does not name are spared.
    cache_claim: Option<ownership::Claim>,
    recovered: bool,
    /// Held until the build is committed or abandoned (see [`lock_output`]).
    _lock: Option<fs::File>,
}

impl Staging {
    /// Prepares the working copy for `target`, refusing targets that would
    /// destroy the sources of the site at `root` and, unless `force`,
    /// folders errdex did not build.
    pub fn create(target: &Path, root: &Path, force: bool) -> Result<Self, OutputError> {
        // `public/` names what `public` names, but follows a link where
        // `public` does not; `missing/../x` is `x`, though the system would
        // not resolve it before `missing` exists.
        let target: &Path = &lexical(target);
        check_target(target, root)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io_error(parent))?;
        // Refused before anything is written beside the folder; checked
        // again under the lock, after an interrupted swap is put right.
        ownership::claim(target, force)?;
        let lock = lock_output(target)?;
        let recovered = swap::recover(target)? != swap::Recovered::Nothing;
        let claim = ownership::claim(target, force)?;
        let dir = sibling(target, "cache");
        match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.is_dir() => {}
            // A file or a link: the name goes, never what a link points at.
            Ok(_) => fs::remove_file(&dir).map_err(io_error(&dir))?,
            Err(_) => {}
        }
        if fs::symlink_metadata(&dir).is_err() {
            fs::create_dir(&dir).map_err(io_error(&dir))?;
        }
        // The working copy is about to change: its manifest goes now. The
        // output's stays, true until the swap, and moves with its tree.
        let previous = manifest::tree_id(&dir)
            .map(|id| manifest::take(&sibling(target, "cache-manifest"), id))
            .unwrap_or_default();
        // A working copy its last build committed (its manifest says so)
        // holds errdex's files and those added since, which its marker
        // tells apart; any other may hold a build that stopped halfway.
        let cache_claim = (!previous.records.is_empty())
            .then(|| ownership::read_claim(&dir))
            .flatten();
        // Sized for as many files as last time: no rehashing while pages are written.
        let written = Written::with_capacity_and_hasher(previous.records.len(), Default::default());
        Ok(Self {
            dir,
            target: target.to_path_buf(),
            previous,
            written: Mutex::new(written),
            paths: Mutex::new(Vec::new()),
            size: Mutex::new(OutputSize::default()),
            folders: Mutex::new(rustc_hash::FxHashSet::default()),
            temporaries: std::sync::atomic::AtomicU64::new(0),
            claim,
            cache_claim,
            recovered,
            _lock: lock,
        })
    }

    /// The working copy.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The bytes of the file `.NAME.errdex-KIND` that an earlier build kept
    /// beside the output (a regular file, never through a link), at most
    /// `max` of them; none when there is none.
    pub fn read_beside(&self, kind: &str, max: u64) -> Option<Vec<u8>> {
        files::read_regular(&sibling(&self.target, kind), max).ok()
    }

    /// Keeps `bytes` in the file `.NAME.errdex-KIND` beside the output for
    /// the next build, through a temporary file and a rename, so a reader
    /// never sees half of it. The build holds the output's lock.
    pub fn keep_beside(&self, kind: &str, bytes: &[u8]) -> io::Result<()> {
        let path = sibling(&self.target, kind);
        let temporary = sibling(&self.target, &format!("{kind}-new"));
        let kept = files::create_new(&temporary)
            .and_then(|mut file| file.write_all(bytes))
            .and_then(|()| fs::rename(&temporary, &path));
        if kept.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        kept
    }

    /// What this build has written so far.
    pub fn size(&self) -> OutputSize {
        let mut size = self.size.lock().expect("no writer panicked").clone();
        size.folders = self.folders.lock().expect("no writer panicked").len() as u64;
        size
    }

    /// Writes `bytes` to `path` (relative, with `/` separators), creating
    /// folders; a file that already holds exactly these bytes is left alone.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.prepare_parents(path)?;
        let full = self.dir.join(path);
        let hash = manifest::content_hash(bytes);
        let key = match self.unchanged(path, &full, bytes, hash) {
            Some(old) => FileKey::of(&old),
            None => replace_file(&full, bytes)?,
        };
        self.wrote(
            path,
            key.map(|key| Record { key, hash }),
            bytes.len() as u64,
        );
        Ok(())
    }

    /// Makes every folder above `path` in the working copy a real folder: a
    /// link or a file in the way is removed, so no write follows a link out
    /// of the working copy. Each folder is looked at once per build.
    fn prepare_parents(&self, path: &str) -> Result<(), OutputError> {
        let mut end = 0;
        while let Some(slash) = path[end..].find('/') {
            end += slash;
            let folder = &path[..end];
            end += 1;
            if self
                .folders
                .lock()
                .expect("no writer panicked")
                .contains(folder)
            {
                continue;
            }
            let full = self.dir.join(folder);
            match fs::symlink_metadata(&full) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    fs::remove_file(&full).map_err(io_error(&full))?;
                    fs::create_dir(&full).map_err(io_error(&full))?;
                }
                Err(_) => match fs::create_dir(&full) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists && full.is_dir() => {}
                    Err(e) => return Err(io_error(&full)(e)),
                },
            }
            self.folders
                .lock()
                .expect("no writer panicked")
                .insert(folder.to_owned());
        }
        Ok(())
    }

    /// The metadata of the file at `full` (`path` in the working copy) when
    /// it already holds `bytes`, which hash to `hash`: the last build's
    /// record tells where it still holds, else the old bytes are read.
    fn unchanged(&self, path: &str, full: &Path, bytes: &[u8], hash: u128) -> Option<fs::Metadata> {
        let old = fs::symlink_metadata(full)
            .ok()
            .filter(|m| m.is_file() && m.len() == bytes.len() as u64)?;
        let same = match self.vouched(path, &old) {
            Some(record) => record.hash == hash,
            None => files::read_regular(full, old.len()).is_ok_and(|old| old == bytes),
        };
        same.then_some(old)
    }

    /// The last build's record of `path` in the working copy, while it
    /// still describes the file there.
    fn vouched(&self, path: &str, meta: &fs::Metadata) -> Option<&Record> {
        self.previous.vouches(path, meta)
    }

    /// Notes that `path` (of `size` bytes) is part of this build, with its
    /// record when there is one.
    fn wrote(&self, path: &str, record: Option<Record>, size: u64) {
        {
            let mut size_of = self.size.lock().expect("no writer panicked");
            size_of.files += 1;
            size_of.bytes += size;
            if size > size_of.largest.1 {
                size_of.largest = (path.to_owned(), size);
            }
        }
        let key = manifest::path_hash(path);
        let first = self
            .written
            .lock()
            .expect("no writer panicked")
            .insert(key, record)
            .is_none();
        if first {
            self.paths
                .lock()
                .expect("no writer panicked")
                .push(path.to_owned());
        }
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
        self.prepare_parents(path)?;
        let full = self.dir.join(path);
        let name = full
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A name of its own: never one a file of the site (or by hand) has.
        let n = self
            .temporaries
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let fresh = full.with_file_name(format!(".{name}.errdex-new-{}-{n}", std::process::id()));
        let result = (|| {
            // Serializers write a token at a time: hash and compare in large pieces.
            let mut writer = io::BufWriter::with_capacity(
                1 << 16,
                manifest::HashingWriter::new(Replacing::new(&full, &fresh)?),
            );
            produce(&mut writer)?;
            let (replacing, hash) = writer.into_inner().map_err(|e| e.into_error())?.finish();
            if replacing.finish()? == Outcome::Replaced {
                if fs::symlink_metadata(&full).is_ok_and(|m| m.is_dir()) {
                    fs::remove_dir_all(&full)?;
                }
                fs::rename(&fresh, &full)?;
            }
            // The file now at `full`: the new one when it was replaced.
            let meta = fs::symlink_metadata(&full)?;
            Ok((
                FileKey::of(&meta).map(|key| Record { key, hash }),
                meta.len(),
            ))
        })();
        match result {
            Ok((record, size)) => {
                self.wrote(path, record, size);
                Ok(())
            }
            Err(source) => {
                let _ = fs::remove_file(&fresh);
                Err(OutputError::Io { path: full, source })
            }
        }
    }

    /// Writes the output's marker, removes what this build did not write,
    /// links in the files of the output errdex did not write, and puts the
    /// working copy in the output's place.
    pub fn commit(self) -> Result<Committed, OutputError> {
        let mut paths = std::mem::take(&mut *self.paths.lock().expect("no writer panicked"));
        paths.sort_unstable();
        self.write(ownership::MARKER, &ownership::marker(&paths))?;
        drop(paths);
        let written = self.written.into_inner().expect("no writer panicked");
        let (folders, spared) = sweep::sweep(
            &self.dir,
            &written,
            &self.previous,
            self.cache_claim.as_ref(),
        )?;
        drop(self.previous);
        let built = manifest::tree_id(&self.dir);
        let (output_manifest, cache_manifest) = (
            sibling(&self.target, "manifest"),
            sibling(&self.target, "cache-manifest"),
        );
        // The manifest only saves work: a build that cannot write it is
        // still a good build.
        let save = |path: &Path, tree: Option<u64>| {
            if let Some(tree) = tree {
                let built = Built {
                    tree,
                    records: &written,
                    folders: &folders,
                };
                let _ = manifest::save(path, &built);
            }
        };
        let mut committed = Committed {
            recovered: self.recovered,
            ..Committed::default()
        };
        if fs::symlink_metadata(&self.target).is_ok() {
            let output_tree = manifest::tree_id(&self.target)
                .map(|id| manifest::read(&output_manifest, id))
                .unwrap_or_default();
            let carried = ownership::foreign(&self.target, &self.claim, &output_tree)?;
            ownership::carry(&carried, &self.target, &self.dir)?;
            keep_access(&self.target, &self.dir);
            swap::exchange(&self.dir, &self.target)?;
            // The old output is the working copy now: what was carried out
            // of it lives in the output alone.
            ownership::uncarry(&carried, &self.dir);
            let _ = fs::rename(&output_manifest, &cache_manifest);
            committed.kept = carried;
        } else {
            fs::rename(&self.dir, &self.target).map_err(io_error(&self.target))?;
        }
        committed.kept.extend(spared);
        committed.kept.sort();
        committed.kept.dedup();
        save(&output_manifest, built);
        Ok(committed)
    }
}

/// `path` with `.` dropped and each `name/..` taken out, as written: the
/// folder it names when every part of it is a folder.
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        return PathBuf::from(".");
    }
    parts.iter().collect()
}

/// Gives the new output folder `new` the owner and permissions of the
/// folder it replaces at `target` (as far as this user may): a forced build
/// into a shared folder leaves it shared.
fn keep_access(target: &Path, new: &Path) {
    let Ok(meta) = fs::metadata(target) else {
        return;
    };
    let _ = fs::set_permissions(new, meta.permissions());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::chown(new, Some(meta.uid()), Some(meta.gid()));
    }
}

/// Writes `bytes` to `full` as a new file (never the old one rewritten in
/// place: the records of [`manifest`] rely on it), creating folders; returns
/// the new file's key.
fn replace_file(full: &Path, bytes: &[u8]) -> Result<Option<FileKey>, OutputError> {
    let mut file = files::create_new(full).map_err(io_error(full))?;
    file.write_all(bytes).map_err(io_error(full))?;
    Ok(file.metadata().ok().as_ref().and_then(FileKey::of))
}

/// Takes the lock of the output folder `target`, `.NAME.errdex-lock` beside
/// it: two builds into one folder share its working copy, and the swap of
/// one would move the tree the other is writing. A second build stops with
/// [`OutputError::Busy`] instead of waiting on a build that may never end.
/// Where the file system cannot lock, builds go unlocked, as before.
fn lock_output(target: &Path) -> Result<Option<fs::File>, OutputError> {
    let path = sibling(target, "lock");
    // A link in its place is not errdex's lock: the name goes.
    if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::remove_file(&path).map_err(io_error(&path))?;
    }
    let mut options = fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let Ok(file) = options.open(&path) else {
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
/// content folder, any folder that holds a site config, a file, or a
/// symbolic link: the output is replaced as a whole, and a link would take
/// that outside the folder named.
fn check_target(target: &Path, root: &Path) -> Result<(), OutputError> {
    let refuse = |reason: String| {
        Err(OutputError::Unsafe {
            path: target.to_path_buf(),
            reason,
        })
    };
    let meta = fs::symlink_metadata(target).ok();
    if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        let points_to = fs::read_link(target)
            .map(|to| format!(" (to {})", to.display()))
            .unwrap_or_default();
        return refuse(format!(
            "it is a symbolic link{points_to}; errdex replaces its output folder as a whole \
             and follows no link out of it: give the real folder with --output"
        ));
    }
    if meta.as_ref().is_some_and(|m| !m.is_dir()) {
        return refuse("it is a file, not a folder".into());
    }
    let absolute = |p: &Path| {
        fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or(p.to_path_buf()))
    };
    let target_abs = absolute(target);
    let root_abs = absolute(root);
    if root_abs.starts_with(&target_abs) {
        return refuse("it contains the site's sources".into());
    }
    for source_dir in ["content", "templates", "static"] {
        if target_abs.starts_with(root_abs.join(source_dir)) {
            return refuse("it is inside the site's sources".into());
        }
    }
    if target.join(crate::layout::CONFIG_FILE).exists() {
        return refuse("it holds an errdex.yaml, so it looks like a site root".into());
    }
    Ok(())
}

/// Every file and folder under `dir`, relative, sorted.
#[cfg(test)]
fn listing(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| crate::diagnostics::source::SourceFile::display_path(dir, e.unwrap().path()))
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_then_dot_dot_is_the_folder_it_names() {
        assert_eq!(lexical(Path::new("missing/../../s")), PathBuf::from("../s"));
        assert_eq!(lexical(Path::new("./public/.")), PathBuf::from("public"));
        assert_eq!(lexical(Path::new("a/..")), PathBuf::from("."));
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        fs::write(root.join("errdex.yaml"), "title: x").unwrap();
        let sneaky = root.join("missing/../../site");
        let refused = Staging::create(&sneaky, &root, true).unwrap_err();
        assert!(matches!(refused, OutputError::Unsafe { .. }), "{refused}");
        assert!(!root.join("missing").exists());
    }

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
        let first = Staging::create(&public, dir.path(), false).unwrap();
        first.write("index.html", b"first").unwrap();
        let refused = Staging::create(&public, dir.path(), false).unwrap_err();
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
        let second = Staging::create(&public, dir.path(), false).unwrap();
        second.write("index.html", b"second").unwrap();
        second.commit().unwrap();
        assert_eq!(fs::read(public.join("index.html")).unwrap(), b"second");
        drop(Staging::create(&public, dir.path(), false).unwrap());
        assert!(
            Staging::create(&public, dir.path(), false).is_ok(),
            "an abandoned build lets go too"
        );
    }

    #[test]
    fn an_abandoned_build_leaves_the_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public"), dir.path(), false).unwrap();
        staging.write("a/b.txt", b"x").unwrap();
        drop(staging);
        assert!(!dir.path().join("public").exists());
    }

    #[test]
    fn the_manifest_vouches_for_untouched_files_only() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let build = |files: &[(&str, &str)], round: usize| {
            let staging = Staging::create(&public, dir.path(), false).unwrap();
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
        let staging = Staging::create(&public, dir.path(), false).unwrap();
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

    /// Builds `files` (each holding its own path) into `public` under `root`.
    fn build_into(
        root: &Path,
        public: &Path,
        files: &[&str],
        force: bool,
    ) -> Result<Committed, OutputError> {
        let staging = Staging::create(public, root, force)?;
        for file in files {
            staging.write(file, file.as_bytes())?;
        }
        staging.commit()
    }

    const SITE: [&str; 3] = ["index.html", "errors/a/index.html", "errors/a.json"];

    #[test]
    fn a_folder_errdex_did_not_build_is_refused_and_a_forced_build_keeps_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("mine");
        fs::create_dir_all(public.join("notes")).unwrap();
        fs::write(public.join("notes/plan.txt"), "my plan").unwrap();
        for _ in 0..2 {
            let refused = build_into(dir.path(), &public, &SITE, false).unwrap_err();
            assert!(matches!(refused, OutputError::NotOurs { .. }), "{refused}");
            assert!(refused.to_string().contains("--force"), "{refused}");
            assert_eq!(listing(&public), ["notes", "notes/plan.txt"]);
        }
        let committed = build_into(dir.path(), &public, &SITE, true).unwrap();
        assert_eq!(committed.kept, [PathBuf::from("notes/plan.txt")]);
        // Marked now: later builds need no force, and keep the file.
        for _ in 0..3 {
            let committed = build_into(dir.path(), &public, &SITE, false).unwrap();
            assert_eq!(committed.kept, [PathBuf::from("notes/plan.txt")]);
            assert_eq!(
                fs::read_to_string(public.join("notes/plan.txt")).unwrap(),
                "my plan"
            );
            assert_eq!(
                fs::read_to_string(public.join("errors/a.json")).unwrap(),
                "errors/a.json"
            );
        }
    }

    #[test]
    fn files_added_to_the_output_by_hand_are_kept_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        for _ in 0..3 {
            build_into(dir.path(), &public, &SITE, false).unwrap();
        }
        // Long enough for the folders' records to count.
        std::thread::sleep(std::time::Duration::from_millis(120));
        for foreign in ["errors/a/extra.txt", "a/new/deep/x.txt", "extra.txt"] {
            let path = public.join(foreign);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "by hand").unwrap();
        }
        fs::create_dir_all(public.join("empty")).unwrap();
        let kept = [
            "a/new/deep/x.txt",
            "empty",
            "errors/a/extra.txt",
            "extra.txt",
        ]
        .map(PathBuf::from);
        for round in 0..3 {
            let committed = build_into(dir.path(), &public, &SITE[..2], false).unwrap();
            assert_eq!(committed.kept, kept, "round {round}");
            for file in ["errors/a/extra.txt", "a/new/deep/x.txt", "extra.txt"] {
                assert_eq!(fs::read_to_string(public.join(file)).unwrap(), "by hand");
            }
            assert!(
                !public.join("errors/a.json").exists(),
                "errdex's own stale file goes"
            );
        }
        // A file by hand where the build now writes one stops the build, and
        // the output stays as it was.
        let refused = build_into(dir.path(), &public, &["index.html", "extra.txt"], false);
        assert!(
            matches!(refused, Err(OutputError::Collision { .. })),
            "{refused:?}"
        );
        assert_eq!(
            fs::read_to_string(public.join("extra.txt")).unwrap(),
            "by hand"
        );
        assert!(public.join("errors/a/index.html").is_file());
    }

    #[test]
    fn the_marker_is_robust_to_the_files_beside_the_output_being_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        for _ in 0..2 {
            build_into(dir.path(), &public, &SITE, false).unwrap();
        }
        fs::write(public.join("mine.txt"), "mine").unwrap();
        for item in fs::read_dir(dir.path()).unwrap() {
            let path = item.unwrap().path();
            if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".public.errdex-")
            {
                if path.is_dir() {
                    fs::remove_dir_all(path).unwrap();
                } else {
                    fs::remove_file(path).unwrap();
                }
            }
        }
        let committed = build_into(dir.path(), &public, &SITE, false).unwrap();
        assert_eq!(committed.kept, [PathBuf::from("mine.txt")]);
        assert_eq!(
            listing(&public),
            [
                ".errdex-output",
                "errors",
                "errors/a",
                "errors/a.json",
                "errors/a/index.html",
                "index.html",
                "mine.txt"
            ]
        );
    }

    #[test]
    #[cfg(unix)]
    fn a_symbolic_link_as_output_is_refused_and_what_it_points_at_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let www = dir.path().join("www");
        fs::create_dir_all(&www).unwrap();
        fs::write(www.join("other.html"), "another site").unwrap();
        let public = dir.path().join("site/public");
        fs::create_dir_all(public.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&www, &public).unwrap();
        for _ in 0..2 {
            let refused = build_into(&dir.path().join("site"), &public, &SITE, true).unwrap_err();
            assert!(matches!(refused, OutputError::Unsafe { .. }), "{refused}");
            assert!(refused.to_string().contains("symbolic link"), "{refused}");
        }
        assert!(
            fs::symlink_metadata(&public)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(listing(&www), ["other.html"]);
        assert_eq!(
            listing(dir.path()),
            ["site", "site/public", "www", "www/other.html"]
        );
    }

    #[test]
    #[cfg(unix)]
    fn links_inside_the_working_copy_or_beside_the_output_are_never_followed() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::create_dir_all(victim.join("a")).unwrap();
        fs::write(victim.join("a/index.html"), "theirs").unwrap();
        fs::write(victim.join("file"), "theirs").unwrap();
        let public = dir.path().join("public");
        // As a cloned repository can bring it: a working copy of links, and
        // links where errdex keeps its files.
        let cache = sibling(&public, "cache");
        fs::create_dir_all(&cache).unwrap();
        symlink(&victim, cache.join("errors")).unwrap();
        symlink(victim.join("file"), cache.join("index.html")).unwrap();
        symlink(victim.join("file"), sibling(&public, "lock")).unwrap();
        symlink("/dev/zero", sibling(&public, "manifest")).unwrap();
        symlink("/dev/zero", sibling(&public, "cache-manifest")).unwrap();
        for _ in 0..3 {
            build_into(dir.path(), &public, &SITE, false).unwrap();
        }
        assert_eq!(listing(&victim), ["a", "a/index.html", "file"]);
        assert_eq!(fs::read_to_string(victim.join("file")).unwrap(), "theirs");
        assert_eq!(
            fs::read_to_string(victim.join("a/index.html")).unwrap(),
            "theirs"
        );
        // A link put in the output by hand is kept, and a build that writes
        // under it is refused rather than write through it.
        symlink(&victim, public.join("extra")).unwrap();
        let committed = build_into(dir.path(), &public, &SITE, false).unwrap();
        assert_eq!(committed.kept, [PathBuf::from("extra")]);
        let refused = build_into(dir.path(), &public, &["index.html", "extra/new.txt"], false);
        assert!(
            matches!(refused, Err(OutputError::Collision { .. })),
            "{refused:?}"
        );
        assert_eq!(listing(&victim), ["a", "a/index.html", "file"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_kept_beside_the_output_is_read_and_replaced_never_through_a_link() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "theirs").unwrap();
        let public = dir.path().join("public");
        symlink(&victim, sibling(&public, "search")).unwrap();
        symlink(&victim, sibling(&public, "search-new")).unwrap();
        let staging = Staging::create(&public, dir.path(), false).unwrap();
        assert_eq!(staging.read_beside("search", 1 << 20), None);
        staging.keep_beside("search", b"stats").unwrap();
        assert_eq!(staging.read_beside("search", 1 << 20).unwrap(), b"stats");
        assert_eq!(staging.read_beside("search", 2).unwrap(), b"st");
        assert!(!sibling(&public, "search-new").exists());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "theirs");
    }

    #[test]
    fn a_file_that_lands_in_the_working_copy_after_a_swap_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        for _ in 0..3 {
            build_into(dir.path(), &public, &SITE, false).unwrap();
        }
        // A shell whose folder was public/ writes there after the swap: the
        // file is in what is now the working copy.
        let cache = sibling(&public, "cache");
        fs::write(cache.join("notes.txt"), "mine").unwrap();
        let committed = build_into(dir.path(), &public, &SITE, false).unwrap();
        assert_eq!(committed.kept, [PathBuf::from("notes.txt")]);
        assert_eq!(
            fs::read_to_string(public.join("notes.txt")).unwrap(),
            "mine"
        );
        for _ in 0..2 {
            let committed = build_into(dir.path(), &public, &SITE, false).unwrap();
            assert_eq!(committed.kept, [PathBuf::from("notes.txt")]);
            assert_eq!(
                fs::read_to_string(public.join("notes.txt")).unwrap(),
                "mine"
            );
            assert!(
                !cache.join("notes.txt").exists(),
                "only the output holds it"
            );
        }
    }

    #[test]
    #[cfg(unix)]
    fn a_link_in_place_of_the_working_copy_is_removed_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("keep.txt"), "keep").unwrap();
        let public = dir.path().join("public");
        build_into(dir.path(), &public, &SITE, false).unwrap();
        let cache = sibling(&public, "cache");
        let _ = fs::remove_dir_all(&cache);
        std::os::unix::fs::symlink(&elsewhere, &cache).unwrap();
        build_into(dir.path(), &public, &SITE, false).unwrap();
        assert_eq!(listing(&elsewhere), ["keep.txt"]);
    }

    #[test]
    #[cfg(unix)]
    fn a_streamed_file_is_written_only_when_its_bytes_change() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let build = |text: &str| {
            let staging = Staging::create(&public, dir.path(), false).unwrap();
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
            let staging = Staging::create(&public, dir.path(), false).unwrap();
            for file in files {
                staging.write(file, format!("{round}").as_bytes()).unwrap();
            }
            staging.commit().unwrap();
            let mut found: Vec<String> = walkdir::WalkDir::new(&public)
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| e.file_type().is_file())
                .map(|e| crate::diagnostics::source::SourceFile::display_path(&public, e.path()))
                .filter(|path| path != ownership::MARKER)
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
