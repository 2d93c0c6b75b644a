//! What the last build wrote into each output tree, so the next build into
//! that tree can tell an unchanged file by its metadata and a hash of the new
//! bytes, instead of reading the old bytes back.
//!
//! A record holds a file's inode, size, modification and change times and
//! the xxh3-128 hash of its bytes. It vouches for a file only while all four
//! times and numbers still match: errdex never rewrites a file in place (a
//! changed file is a new inode), and anything else that touches the file
//! moves its change time, which no program can set back. Anything that does
//! not match, or a manifest that cannot be read, means reading the old bytes
//! as before: the manifest only ever saves work.
//!
//! The file sits beside the output (`.public.errdex-manifest`) and holds one
//! section per tree, keyed by the inode of the tree's folder, which survives
//! the renames of a swap. It is deleted when a build starts and written when
//! the build commits, so a build that fails halfway leaves none behind.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use rustc_hash::FxHashMap;

const MAGIC: &[u8; 8] = b"errdexm1";
const RECORD_BYTES: usize = 8 * 5 + 16;

/// The identity and state of a file on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileKey {
    ino: u64,
    len: u64,
    mtime_ns: i64,
    ctime_ns: i64,
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
                ctime_ns: nanos(meta.ctime(), meta.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
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
pub type Records = FxHashMap<u64, Record>;

/// The hash that stands for a relative path in a manifest.
pub fn path_hash(path: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_bytes())
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
const SETTLED_NS: i64 = 50_000_000;

/// The records of one tree.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tree {
    /// Records by [`path_hash`].
    pub records: Records,
    /// A record counts only for a file whose change time is before this.
    pub settled_before_ns: i64,
}

impl Tree {
    /// The record for `path`, if it still describes the file `meta` tells of.
    pub fn vouches(&self, path: &str, meta: &fs::Metadata) -> Option<&Record> {
        let record = self.records.get(&path_hash(path))?;
        let current = FileKey::of(meta)?;
        (record.key == current && current.ctime_ns < self.settled_before_ns).then_some(record)
    }
}

/// Reads the manifest at `path` and deletes it; unreadable means empty.
pub fn take(path: &Path) -> FxHashMap<u64, Tree> {
    let bytes = fs::read(path).unwrap_or_default();
    let _ = fs::remove_file(path);
    parse(&bytes).unwrap_or_default()
}

fn parse(bytes: &[u8]) -> Option<FxHashMap<u64, Tree>> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let take_u64 = |rest: &mut &[u8]| -> Option<u64> {
        let (head, tail) = rest.split_first_chunk::<8>()?;
        *rest = tail;
        Some(u64::from_le_bytes(*head))
    };
    let mut trees = FxHashMap::default();
    while !rest.is_empty() {
        let tree = take_u64(&mut rest)?;
        let settled_before_ns = take_u64(&mut rest)? as i64;
        let count = usize::try_from(take_u64(&mut rest)?).ok()?;
        if rest.len() / RECORD_BYTES < count {
            return None;
        }
        let mut records = Records::with_capacity_and_hasher(count, Default::default());
        for _ in 0..count {
            let path = take_u64(&mut rest)?;
            let key = FileKey {
                ino: take_u64(&mut rest)?,
                len: take_u64(&mut rest)?,
                mtime_ns: take_u64(&mut rest)? as i64,
                ctime_ns: take_u64(&mut rest)? as i64,
            };
            let low = take_u64(&mut rest)?;
            let high = take_u64(&mut rest)?;
            let hash = (u128::from(high) << 64) | u128::from(low);
            records.insert(path, Record { key, hash });
        }
        trees.insert(
            tree,
            Tree {
                records,
                settled_before_ns,
            },
        );
    }
    Some(trees)
}

/// Writes the manifest at `path` (through a temporary file and a rename):
/// for each tree its id, its records, and when they were taken (`None`: now).
pub fn save(path: &Path, trees: &[(u64, Option<i64>, &Records)]) -> io::Result<()> {
    let temporary = path.with_extension("errdex-new");
    let result = (|| {
        let file = fs::File::create(&temporary)?;
        // Now, by the clock that stamps files.
        let now = FileKey::of(&file.metadata()?).map_or(0, |key| key.mtime_ns);
        let mut out = io::BufWriter::new(file);
        out.write_all(MAGIC)?;
        for (tree, taken, records) in trees {
            let settled = taken.unwrap_or(now.saturating_sub(SETTLED_NS));
            out.write_all(&tree.to_le_bytes())?;
            out.write_all(&settled.to_le_bytes())?;
            out.write_all(&(records.len() as u64).to_le_bytes())?;
            // Sorted, so the same builds write the same manifest.
            let mut sorted: Vec<(&u64, &Record)> = records.iter().collect();
            sorted.sort_unstable_by_key(|(path, _)| **path);
            for (path, record) in sorted {
                let key = record.key;
                for n in [
                    *path,
                    key.ino,
                    key.len,
                    key.mtime_ns as u64,
                    key.ctime_ns as u64,
                    record.hash as u64,
                    (record.hash >> 64) as u64,
                ] {
                    out.write_all(&n.to_le_bytes())?;
                }
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_and_garbage_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m");
        fs::write(dir.path().join("a"), "x").unwrap();
        let key = FileKey::of(&fs::metadata(dir.path().join("a")).unwrap());
        let Some(key) = key else { return };
        let mut records = Records::default();
        records.insert(
            path_hash("a"),
            Record {
                key,
                hash: content_hash(b"x"),
            },
        );
        save(
            &file,
            &[(7, Some(42), &records), (9, None, &Records::default())],
        )
        .unwrap();
        let trees = take(&file);
        assert!(!file.exists(), "taking the manifest deletes it");
        let tree = Tree {
            records,
            settled_before_ns: 42,
        };
        assert_eq!(trees.get(&7), Some(&tree));
        assert_eq!(trees.get(&9).map(|t| t.records.len()), Some(0));
        for garbage in [
            &b"errdexm1\x07"[..],
            b"nonsense",
            b"errdexm1\x01\0\0\0\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff",
        ] {
            fs::write(&file, garbage).unwrap();
            assert!(take(&file).is_empty());
        }
    }
}
