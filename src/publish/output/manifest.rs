//! What the last build wrote into each output tree, so the next build into
//! that tree can tell an unchanged file by its metadata and a hash of the new
//! bytes, instead of reading the old bytes back, and an unchanged folder by
//! its metadata, instead of reading its entries.
//!
//! A record holds a file's inode, size and modification time and the
//! xxh3-128 hash of its bytes. It vouches for a file only while all three
//! still match: errdex never rewrites a file in place (a changed file is a
//! new inode), and writing a file moves its modification time. A folder's
//! record holds the same three and the names it held: adding, removing or
//! renaming anything in a folder moves its modification time too. Anything
//! that does not match, or a manifest that cannot be read, means reading the
//! disk as before: the manifest only ever saves work.
//!
//! The change time is left out on purpose, as `make` and rsync's quick check
//! leave it out. Linking and unlinking a file move it without touching the
//! bytes, and the output and its working copy share the files a build did
//! not change (the foreign files a build carries over are hard links):
//! with the change time in the key, such a file would be read back. What
//! the change time alone would catch is a program
//! that rewrites a file in place with the same size and then sets its
//! modification time back to the nanosecond.
//!
//! Each tree has its own file beside the output (`.public.errdex-manifest`
//! for `public/`, `.public.errdex-cache-manifest` for the working copy),
//! which names the inode of the tree's folder, which survives the renames of
//! a swap. The working copy's file is deleted when a build starts and written
//! when the build commits, so a build that fails halfway leaves none behind;
//! the output's file moves with its tree.

use std::fs;
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use rustc_hash::FxHashMap;

use crate::bytes::Reader;

const MAGIC: &[u8; 8] = b"errdexm3";
/// More than the manifest of any site: anything larger is not one.
const MAX_MANIFEST_BYTES: u64 = 1 << 30;
/// A file's record: path hash, the three numbers of its key, content hash.
const RECORD_BYTES: usize = 16 + 8 * 3 + 16;
/// A folder's record before its names: path hash, key, length of the names.
const FOLDER_BYTES: usize = 16 + 8 * 3 + 8;

/// The identity and state of a file or folder on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileKey {
    ino: u64,
    len: u64,
    mtime_ns: i64,
}

impl FileKey {
    /// The key of a file from its metadata (`None` where the platform has no inodes).
    pub fn of(meta: &fs::Metadata) -> Option<Self> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let nanos = |s: i64, ns: i64| s.saturating_mul(1_000_000_000).saturating_add(ns);
            Some(Self {
                ino: meta.ino(),
                len: meta.len(),
                mtime_ns: nanos(meta.mtime(), meta.mtime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    fn numbers(self) -> [u64; 3] {
        [self.ino, self.len, self.mtime_ns as u64]
    }
}

/// A file as the build that wrote it left it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// The file's key right after it was written (or found unchanged).
    pub key: FileKey,
    /// xxh3-128 of its bytes.
    pub hash: u128,
}

/// Records of one tree, by [`path_hash`] of each file's relative path.
pub type Records = FxHashMap<u128, Record>;

/// The files a build wrote, by [`path_hash`], each with its record where
/// the platform gives one.
pub type Written = FxHashMap<u128, Option<Record>>;

/// The hash that stands for a relative path in a manifest: 128 bits, so
/// that no two paths of a site ever share one.
pub fn path_hash(path: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(path.as_bytes())
}

/// The hash of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The identity of a tree: its folder's inode.
pub fn tree_id(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(dir).ok().map(|m| m.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// A writer that hashes what passes through it.
pub struct HashingWriter<W> {
    inner: W,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
        }
    }

    /// The inner writer and the [`content_hash`] of everything written.
    pub fn finish(self) -> (W, u128) {
        (self.inner, self.hasher.digest128())
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// How much older than its tree's records a file must be for its record to
/// count: a file changed in the same clock tick as it was recorded would keep
/// its times (git's "racily clean" files), so files written in the last
/// moments before the records were saved are read back instead.
pub(super) const SETTLED_NS: i64 = 50_000_000;

/// The folders of one tree as the sweep of its last build left them: the
/// key of each and the names it held.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Folders {
    by_path: FxHashMap<u128, (FileKey, Range<usize>)>,
    /// Every folder's names one after another, each a kind (`d` for a
    /// folder, `f` for anything else), the name and a NUL, which no file
    /// name holds.
    names: String,
}

impl Folders {
    /// Notes that the folder at `path` (relative; empty for the tree itself)
    /// has `key` and holds `entries`: (name, whether it is a folder).
    pub fn insert<'a>(
        &mut self,
        path: &str,
        key: FileKey,
        entries: impl IntoIterator<Item = (&'a str, bool)>,
    ) {
        let start = self.names.len();
        for (name, is_dir) in entries {
            self.names.push(if is_dir { 'd' } else { 'f' });
            self.names.push_str(name);
            self.names.push('\0');
        }
        self.by_path
            .insert(path_hash(path), (key, start..self.names.len()));
    }

    fn entries(&self, range: Range<usize>) -> impl Iterator<Item = (&str, bool)> {
        self.names[range]
            .split_terminator('\0')
            .map(|entry| (&entry[1..], entry.starts_with('d')))
    }
}

/// The records of one tree.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tree {
    /// Records by [`path_hash`].
    pub records: Records,
    /// Its folders.
    pub folders: Folders,
    /// A record counts only for a file whose modification time is before this.
    pub settled_before_ns: i64,
}

impl Tree {
    /// The record for `path`, if it still describes the file `meta` tells of.
    pub fn vouches(&self, path: &str, meta: &fs::Metadata) -> Option<&Record> {
        let record = self.records.get(&path_hash(path))?;
        self.holds(record.key, meta).then_some(record)
    }

    /// The entries of the folder at `path`, (name, whether it is a folder),
    /// if its record still describes the folder `meta` tells of.
    pub fn listing(
        &self,
        path: &str,
        meta: &fs::Metadata,
    ) -> Option<impl Iterator<Item = (&str, bool)>> {
        let (key, range) = self.folders.by_path.get(&path_hash(path))?;
        self.holds(*key, meta)
            .then(|| self.folders.entries(range.clone()))
    }

    fn holds(&self, recorded: FileKey, meta: &fs::Metadata) -> bool {
        FileKey::of(meta)
            .is_some_and(|current| recorded == current && current.mtime_ns < self.settled_before_ns)
    }
}

/// Reads the manifest at `path` and deletes it: the records of the tree
/// `tree`, none when the file is missing, describes another tree or does not
/// read.
pub fn take(path: &Path, tree: u64) -> Tree {
    let tree = read(path, tree);
    let _ = fs::remove_file(path);
    tree
}

/// The records in the manifest at `path` when it describes the tree whose
/// folder has inode `tree`; none otherwise.
pub fn read(path: &Path, tree: u64) -> Tree {
    let bytes = super::files::read_regular(path, MAX_MANIFEST_BYTES).unwrap_or_default();
    parse(&bytes, tree).unwrap_or_default()
}

fn parse(bytes: &[u8], tree: u64) -> Option<Tree> {
    let mut reader = Reader::new(bytes);
    reader.take(MAGIC.len()).filter(|magic| magic == MAGIC)?;
    if reader.u64_le()? != tree {
        return None;
    }
    parse_tree(reader.rest())
}

/// A file's key: inode, length, modification time.
fn read_key(reader: &mut Reader<'_>) -> Option<FileKey> {
    Some(FileKey {
        ino: reader.u64_le()?,
        len: reader.u64_le()?,
        mtime_ns: reader.u64_le()? as i64,
    })
}

fn parse_tree(bytes: &[u8]) -> Option<Tree> {
    let mut reader = Reader::new(bytes);
    let settled_before_ns = reader.u64_le()? as i64;
    let count = reader.u64_count(RECORD_BYTES)?;
    let mut records = Records::with_capacity_and_hasher(count, Default::default());
    for _ in 0..count {
        let path = reader.u128_le()?;
        let key = read_key(&mut reader)?;
        let hash = reader.u128_le()?;
        records.insert(path, Record { key, hash });
    }
    let count = reader.u64_count(FOLDER_BYTES)?;
    let mut folders = Folders {
        by_path: FxHashMap::with_capacity_and_hasher(count, Default::default()),
        names: String::new(),
    };
    for _ in 0..count {
        let path = reader.u128_le()?;
        let key = read_key(&mut reader)?;
        let len = usize::try_from(reader.u64_le()?).ok()?;
        let names = std::str::from_utf8(reader.take(len)?).ok()?;
        let well_formed = names.is_empty()
            || (names.ends_with('\0')
                && names
                    .split_terminator('\0')
                    .all(|entry| entry.len() > 1 && matches!(entry.as_bytes()[0], b'd' | b'f')));
        if !well_formed {
            return None;
        }
        let start = folders.names.len();
        folders.names.push_str(names);
        folders
            .by_path
            .insert(path, (key, start..folders.names.len()));
    }
    reader.is_done().then_some(Tree {
        records,
        folders,
        settled_before_ns,
    })
}

/// What a build leaves of the tree it built: the records of its files and folders.
pub struct Built<'a> {
    /// The tree's id.
    pub tree: u64,
    /// Its files.
    pub records: &'a Written,
    /// Its folders.
    pub folders: &'a Folders,
}

/// Writes the manifest of the tree a build just built at `path` (through a
/// temporary file and a rename), its records taken now.
pub fn save(path: &Path, built: &Built<'_>) -> io::Result<()> {
    let temporary = path.with_extension("errdex-new");
    let result = (|| {
        let file = super::files::create_new(&temporary)?;
        // Now, by the clock that stamps files.
        let now = FileKey::of(&file.metadata()?).map_or(0, |key| key.mtime_ns);
        let mut out = io::BufWriter::new(file);
        out.write_all(MAGIC)?;
        out.write_all(&built.tree.to_le_bytes())?;
        out.write_all(&tree_section(built, now.saturating_sub(SETTLED_NS)))?;
        out.flush()
    })();
    match result {
        Ok(()) => fs::rename(&temporary, path),
        Err(error) => {
            let _ = fs::remove_file(&temporary);
            Err(error)
        }
    }
}

/// One tree's section. Sorted, so the same builds write the same manifest.
fn tree_section(built: &Built<'_>, settled_before_ns: i64) -> Vec<u8> {
    fn put(out: &mut Vec<u8>, numbers: impl IntoIterator<Item = u64>) {
        for n in numbers {
            out.extend_from_slice(&n.to_le_bytes());
        }
    }
    let halves = |n: u128| [n as u64, (n >> 64) as u64];
    let folders = built.folders;
    let mut records: Vec<(&u128, &Record)> = built
        .records
        .iter()
        .filter_map(|(path, record)| Some((path, record.as_ref()?)))
        .collect();
    records.sort_unstable_by_key(|(path, _)| **path);
    let mut out = Vec::with_capacity(
        24 + records.len() * RECORD_BYTES
            + folders.by_path.len() * FOLDER_BYTES
            + folders.names.len(),
    );
    put(&mut out, [settled_before_ns as u64, records.len() as u64]);
    for (path, record) in records {
        put(&mut out, halves(*path));
        put(&mut out, record.key.numbers());
        put(&mut out, halves(record.hash));
    }
    let mut sorted: Vec<(&u128, &(FileKey, Range<usize>))> = folders.by_path.iter().collect();
    sorted.sort_unstable_by_key(|(path, _)| **path);
    put(&mut out, [sorted.len() as u64]);
    for (path, (key, names)) in sorted {
        put(&mut out, halves(*path));
        put(&mut out, key.numbers());
        put(&mut out, [names.len() as u64]);
        out.extend_from_slice(folders.names[names.clone()].as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_and_garbage_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m");
        fs::create_dir(dir.path().join("d")).unwrap();
        fs::write(dir.path().join("d/a"), "x").unwrap();
        let key = |path: &str| FileKey::of(&fs::metadata(dir.path().join(path)).unwrap());
        let (Some(file_key), Some(folder_key)) = (key("d/a"), key("d")) else {
            return; // no inodes on this platform: the manifest is never used
        };
        let record = Record {
            key: file_key,
            hash: content_hash(b"x"),
        };
        let mut records = Written::default();
        records.insert(path_hash("d/a"), Some(record));
        records.insert(path_hash("d/b"), None);
        let mut folders = Folders::default();
        folders.insert("d", folder_key, [("a", false)]);
        folders.insert("", folder_key, [("d", true)]);
        let built = Built {
            tree: 7,
            records: &records,
            folders: &folders,
        };
        save(&file, &built).unwrap();
        let tree = take(&file, 7);
        assert!(!file.exists(), "taking the manifest deletes it");
        let expected: Records = [(path_hash("d/a"), record)].into_iter().collect();
        assert_eq!((&tree.records, &tree.folders), (&expected, &folders));
        save(&file, &built).unwrap();
        assert_eq!(take(&file, 9), Tree::default(), "another tree's manifest");
        let mut bytes = Vec::from(&MAGIC[..]);
        bytes.extend_from_slice(&7u64.to_le_bytes());
        for garbage in [
            &b"errdexm3\x07"[..],
            // The format before the change time left the key.
            &[&b"errdexm2"[..], &7u64.to_le_bytes(), &[0; 24]].concat(),
            b"nonsense",
            b"errdexm1\x07\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
            &bytes,
            &[&bytes[..], &[0xff; 16]].concat(),
        ] {
            fs::write(&file, garbage).unwrap();
            assert_eq!(take(&file, 7), Tree::default());
        }
    }

    #[test]
    fn a_record_counts_only_for_a_file_older_than_its_tree_settled() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        fs::write(&file, "x").unwrap();
        let meta = fs::metadata(&file).unwrap();
        let Some(key) = FileKey::of(&meta) else {
            return; // no inodes on this platform: the manifest is never used
        };
        let record = Record {
            key,
            hash: content_hash(b"x"),
        };
        let tree = |settled_before_ns: i64| Tree {
            records: [(path_hash("a"), record)].into_iter().collect(),
            folders: Folders::default(),
            settled_before_ns,
        };
        assert_eq!(tree(key.mtime_ns + 1).vouches("a", &meta), Some(&record));
        assert_eq!(
            tree(key.mtime_ns).vouches("a", &meta),
            None,
            "written as the records were saved: racily clean"
        );
        assert_eq!(tree(key.mtime_ns + 1).vouches("b", &meta), None);
    }

    #[test]
    fn a_section_that_does_not_parse_is_no_records_at_all() {
        let mut section = Vec::new();
        for n in [0u64, 0, 1] {
            section.extend_from_slice(&n.to_le_bytes());
        }
        // One folder whose names lack their kind.
        section.extend_from_slice(&[0; 16 + 24]);
        section.extend_from_slice(&2u64.to_le_bytes());
        section.extend_from_slice(b"a\0");
        assert_eq!(parse_tree(&section), None);
    }
}
