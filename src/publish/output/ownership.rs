//! Which folders a build may replace, and the files in them errdex did not
//! write.
//!
//! Every output errdex writes holds [`MARKER`], the list of the files that
//! build wrote. A build replaces only a folder that holds it, an empty
//! folder, or none; any other folder is refused unless the build is forced.
//! The marker travels with the output, so deleting errdex's files beside it
//! (working copy, manifests) changes nothing. Files in the output that the
//! marker does not name, added by hand or there before a forced build, are
//! never deleted: each build links them into the new output at the same
//! place and reports them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::manifest::{self, Tree};
use super::{OutputError, io_error};

/// The marker file at the root of every output errdex writes.
pub const MARKER: &str = ".errdex-output";

/// More than the marker of any site lists.
const MAX_MARKER_BYTES: u64 = 1 << 30;

/// The marker's first line; the paths follow, one a line, sorted.
const HEADER: &str = "# errdex build output: errdex replaces this folder on each build. \
                      It wrote the files listed below; files not listed are kept.\n";

/// What errdex wrote into an output folder, from its marker.
#[derive(Debug, Default)]
pub struct Claim {
    /// [`manifest::path_hash`] of every path the marker lists.
    listed: FxHashSet<u128>,
}

/// Reads the claim on `target`: its marker, or none where the folder is
/// missing or empty. A folder that holds anything else is refused with
/// [`OutputError::NotOurs`] unless `force`.
pub fn claim(target: &Path, force: bool) -> Result<Claim, OutputError> {
    let marker = target.join(MARKER);
    let is_file = fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file());
    if is_file {
        let text =
            super::files::read_regular(&marker, MAX_MARKER_BYTES).map_err(io_error(&marker))?;
        return Ok(Claim {
            listed: parse(&String::from_utf8_lossy(&text)),
        });
    }
    let empty = match fs::read_dir(target) {
        Ok(mut items) => items.next().is_none(),
        Err(error) if error.kind() == io::ErrorKind::NotFound => true,
        Err(error) => return Err(io_error(target)(error)),
    };
    if empty || force {
        Ok(Claim::default())
    } else {
        Err(OutputError::NotOurs {
            path: target.to_path_buf(),
        })
    }
}

/// The claim of the marker in `dir`, when it has one.
pub fn read_claim(dir: &Path) -> Option<Claim> {
    let marker = dir.join(MARKER);
    let text = super::files::read_regular(&marker, MAX_MARKER_BYTES).ok()?;
    Some(Claim {
        listed: parse(&String::from_utf8_lossy(&text)),
    })
}

impl Claim {
    /// Whether the marker lists `path` (relative, with `/` separators).
    pub fn lists(&self, path: &str) -> bool {
        self.listed.contains(&manifest::path_hash(path))
    }
}

fn parse(text: &str) -> FxHashSet<u128> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| manifest::path_hash(&unescape(line)))
        .collect()
}

/// The marker's bytes for a build that wrote `paths` (sorted).
pub fn marker(paths: &[String]) -> Vec<u8> {
    let mut out = String::with_capacity(HEADER.len() + paths.len() * 32);
    out.push_str(HEADER);
    for path in paths {
        out.push_str(&escape(path));
        out.push('\n');
    }
    out.into_bytes()
}

/// A path as one line: `%`, line breaks and a leading `#` percent-encoded.
fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, c) in path.char_indices() {
        match c {
            '%' => out.push_str("%25"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            '#' if i == 0 => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(line: &str) -> String {
    line.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%23", "#")
        .replace("%25", "%")
}

/// Every file under `target` its claim does not name, and every empty
/// folder (errdex leaves none), as paths relative to `target`, sorted.
/// `tree` holds the output's folder records: a folder as errdex left it
/// holds only what errdex wrote, and is not read again.
pub fn foreign(target: &Path, claim: &Claim, tree: &Tree) -> Result<Vec<PathBuf>, OutputError> {
    let mut found = Scan { claim, tree }.folder(target, Path::new(""))?;
    found.sort();
    Ok(found)
}

struct Scan<'a> {
    claim: &'a Claim,
    tree: &'a Tree,
}

impl Scan<'_> {
    fn folder(&self, dir: &Path, relative: &Path) -> Result<Vec<PathBuf>, OutputError> {
        let meta = fs::symlink_metadata(dir).map_err(io_error(dir))?;
        let key = slash_path(relative);
        let names: Vec<(PathBuf, bool)> =
            match key.as_deref().and_then(|key| self.tree.listing(key, &meta)) {
                Some(listed) => listed
                    .map(|(name, is_dir)| (PathBuf::from(name), is_dir))
                    .collect(),
                None => read_names(dir)?,
            };
        if names.is_empty() && !relative.as_os_str().is_empty() {
            return Ok(vec![relative.to_path_buf()]);
        }
        let found: Vec<Vec<PathBuf>> = names
            .par_iter()
            .map(|(name, is_dir)| {
                let path = relative.join(name);
                if *is_dir {
                    return self.folder(&dir.join(name), &path);
                }
                let ours = match slash_path(&path) {
                    Some(p) => p == MARKER || self.claim.listed.contains(&manifest::path_hash(&p)),
                    None => false,
                };
                Ok(if ours { Vec::new() } else { vec![path] })
            })
            .collect::<Result<_, _>>()?;
        Ok(found.into_iter().flatten().collect())
    }
}

/// The names in `dir`, each with whether it is a folder (a link is not).
fn read_names(dir: &Path) -> Result<Vec<(PathBuf, bool)>, OutputError> {
    let mut names = Vec::new();
    for item in fs::read_dir(dir).map_err(io_error(dir))? {
        let item = item.map_err(io_error(dir))?;
        let is_dir = item.file_type().map_err(io_error(&item.path()))?.is_dir();
        names.push((PathBuf::from(item.file_name()), is_dir));
    }
    Ok(names)
}

/// A relative path with `/` separators, or `None` when it is not UTF-8
/// (errdex writes no such name).
fn slash_path(path: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = path.components().map(|c| c.as_os_str().to_str()).collect();
    parts.map(|parts| parts.join("/"))
}

/// Links every path of `foreign` from `target` into `new`, at the same
/// place: files as hard links (copies where the file system has none),
/// symbolic links as new links to the same place, empty folders as empty
/// folders. A path the new build wrote itself is refused with
/// [`OutputError::Collision`]: the file is not errdex's to replace.
pub fn carry(foreign: &[PathBuf], target: &Path, new: &Path) -> Result<(), OutputError> {
    for relative in foreign {
        let (from, to) = (target.join(relative), new.join(relative));
        let meta = fs::symlink_metadata(&from).map_err(io_error(&from))?;
        let collision = || OutputError::Collision {
            path: target.join(relative),
        };
        if meta.is_dir() {
            if fs::symlink_metadata(&to).is_ok_and(|m| !m.is_dir()) {
                return Err(collision());
            }
            fs::create_dir_all(&to).map_err(|_| collision())?;
            continue;
        }
        if let Ok(there) = fs::symlink_metadata(&to) {
            // Carried by an earlier build and still there: the same file.
            if same_file(&meta, &there) {
                continue;
            }
            return Err(collision());
        }
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|_| collision())?;
        }
        link_or_copy(&from, &to, &meta).map_err(io_error(&to))?;
    }
    Ok(())
}

/// Whether two entries are one file (hard links of each other).
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Removes from `old` (the tree that was the output) the files [`carry`]
/// linked from it into the new output, so that only the output holds them.
pub fn uncarry(carried: &[PathBuf], old: &Path) {
    for relative in carried {
        let path = old.join(relative);
        if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
            let _ = fs::remove_file(&path);
        }
    }
}

fn link_or_copy(from: &Path, to: &Path, meta: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    if meta.file_type().is_symlink() {
        return std::os::unix::fs::symlink(fs::read_link(from)?, to);
    }
    let _ = meta;
    fs::hard_link(from, to).or_else(|_| fs::copy(from, to).map(drop))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_lists_every_path_and_reads_back() {
        let paths = [
            "#odd".to_owned(),
            "100%.txt".to_owned(),
            "errors/429/index.html".to_owned(),
            "line\nbreak".to_owned(),
        ];
        let text = String::from_utf8(marker(&paths)).unwrap();
        assert!(text.starts_with("# errdex build output"));
        let listed = parse(&text);
        assert_eq!(listed.len(), paths.len());
        for path in &paths {
            assert!(listed.contains(&manifest::path_hash(path)), "{path:?}");
        }
    }

    #[test]
    fn a_folder_is_claimed_when_missing_empty_or_marked_and_refused_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        assert!(claim(&target, false).is_ok(), "missing");
        fs::create_dir(&target).unwrap();
        assert!(claim(&target, false).is_ok(), "empty");
        fs::write(target.join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            claim(&target, false),
            Err(OutputError::NotOurs { .. })
        ));
        assert!(claim(&target, true).is_ok(), "forced");
        fs::write(target.join(MARKER), marker(&[])).unwrap();
        assert!(claim(&target, false).is_ok(), "marked");
    }

    #[test]
    fn files_the_marker_does_not_name_are_foreign() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path();
        for file in [
            "index.html",
            "errors/a/index.html",
            "errors/a/notes.txt",
            "mine.txt",
        ] {
            let path = target.join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        fs::create_dir_all(target.join("empty/inside")).unwrap();
        let written = ["errors/a/index.html".to_owned(), "index.html".to_owned()];
        fs::write(target.join(MARKER), marker(&written)).unwrap();
        let claim = claim(target, false).unwrap();
        let found = foreign(target, &claim, &Tree::default()).unwrap();
        assert_eq!(
            found,
            [
                PathBuf::from("empty/inside"),
                PathBuf::from("errors/a/notes.txt"),
                PathBuf::from("mine.txt")
            ]
        );
    }

    #[test]
    fn carried_files_keep_their_bytes_and_a_collision_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (target, new) = (dir.path().join("public"), dir.path().join("new"));
        fs::create_dir_all(target.join("a")).unwrap();
        fs::create_dir_all(&new).unwrap();
        fs::write(target.join("a/mine.txt"), "mine").unwrap();
        fs::write(target.join("index.html"), "theirs").unwrap();
        carry(&[PathBuf::from("a/mine.txt")], &target, &new).unwrap();
        assert_eq!(fs::read_to_string(new.join("a/mine.txt")).unwrap(), "mine");
        assert_eq!(
            fs::read_to_string(target.join("a/mine.txt")).unwrap(),
            "mine"
        );
        fs::write(new.join("index.html"), "built").unwrap();
        let refused = carry(&[PathBuf::from("index.html")], &target, &new).unwrap_err();
        assert!(
            matches!(refused, OutputError::Collision { .. }),
            "{refused}"
        );
        assert_eq!(
            fs::read_to_string(target.join("index.html")).unwrap(),
            "theirs"
        );
    }
}
