//! Writing a file of tens of megabytes (`errors.json`, `llms-full.txt`)
//! without holding it in memory, and without writing it at all when its
//! bytes did not change: what is produced is compared with the old file as it
//! comes, and a new file is started only at the first difference.
//!
//! Writing every such file to a temporary and dropping it when it matched
//! would write hundreds of megabytes per unchanged build of a large site;
//! reading the old bytes back from the page cache is cheaper than writing
//! new ones, and a file that changed costs one copy of the prefix that did
//! not.

use std::fs;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};

/// What became of the file once everything was produced.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The old file already held exactly these bytes; nothing was written.
    Unchanged,
    /// The bytes differ: the new file is complete and waits to be renamed
    /// over the old one.
    Replaced,
}

/// A writer that compares with `old` until the bytes differ, then writes
/// `fresh`: the prefix that matched, copied from `old`, and everything after.
pub struct Replacing {
    old_path: PathBuf,
    fresh_path: PathBuf,
    /// The old file, read along with what is written, while it matches.
    old: Option<io::BufReader<fs::File>>,
    /// How many bytes matched the old file so far.
    matched: u64,
    /// The new file, once the bytes differ.
    fresh: Option<io::BufWriter<fs::File>>,
}

const BUFFER: usize = 1 << 16;

impl Replacing {
    /// Compares with the file at `old_path` (when it is a file), writing
    /// `fresh_path` once the bytes differ.
    pub fn new(old_path: &Path, fresh_path: &Path) -> io::Result<Self> {
        let old = super::files::open_regular(old_path)
            .ok()
            .map(|file| io::BufReader::with_capacity(BUFFER, file));
        let mut replacing = Self {
            old_path: old_path.to_path_buf(),
            fresh_path: fresh_path.to_path_buf(),
            old,
            matched: 0,
            fresh: None,
        };
        if replacing.old.is_none() {
            replacing.diverge()?;
        }
        Ok(replacing)
    }

    /// Starts the new file with the bytes that matched so far.
    fn diverge(&mut self) -> io::Result<()> {
        let mut file = super::files::create_new(&self.fresh_path)?;
        if self.old.take().is_some() && self.matched > 0 {
            let mut prefix = super::files::open_regular(&self.old_path)?.take(self.matched);
            let copied = io::copy(&mut prefix, &mut file)?;
            if copied != self.matched {
                return Err(io::Error::other(format!(
                    "{} shrank while it was compared",
                    self.old_path.display()
                )));
            }
        }
        self.fresh = Some(io::BufWriter::with_capacity(BUFFER, file));
        Ok(())
    }

    /// Ends the file: [`Outcome::Unchanged`] when the old file held exactly
    /// what was written (nothing more), else the new file is complete.
    pub fn finish(mut self) -> io::Result<Outcome> {
        if let Some(old) = &mut self.old {
            if old.fill_buf()?.is_empty() {
                return Ok(Outcome::Unchanged);
            }
            // The old file goes on: what was written is only its beginning.
            self.diverge()?;
        }
        let fresh = self.fresh.take().expect("diverged");
        fresh.into_inner().map_err(|e| e.into_error())?;
        Ok(Outcome::Replaced)
    }
}

impl Write for Replacing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let (Some(old), false) = (&mut self.old, rest.is_empty()) {
            let available = old.fill_buf()?;
            let n = available.len().min(rest.len());
            if n == 0 || available[..n] != rest[..n] {
                self.diverge()?;
                break;
            }
            old.consume(n);
            self.matched += n as u64;
            rest = &rest[n..];
        }
        if let Some(fresh) = &mut self.fresh {
            fresh.write_all(rest)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.fresh {
            Some(fresh) => fresh.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `new` in pieces of `piece` bytes over a file holding `old`
    /// (none when `None`); returns the outcome and the new file's bytes.
    fn replace(old: Option<&[u8]>, new: &[u8], piece: usize) -> (Outcome, Option<Vec<u8>>) {
        let dir = tempfile::tempdir().unwrap();
        let (old_path, fresh_path) = (dir.path().join("old"), dir.path().join("fresh"));
        if let Some(old) = old {
            fs::write(&old_path, old).unwrap();
        }
        let mut writer = Replacing::new(&old_path, &fresh_path).unwrap();
        for chunk in new.chunks(piece.max(1)) {
            writer.write_all(chunk).unwrap();
        }
        let outcome = writer.finish().unwrap();
        if let Some(old) = old {
            assert_eq!(
                fs::read(&old_path).unwrap(),
                old,
                "the old file is never touched"
            );
        }
        (outcome, fs::read(&fresh_path).ok())
    }

    #[test]
    fn the_same_bytes_write_nothing() {
        let text: Vec<u8> = (0..300_000u32).flat_map(|i| i.to_le_bytes()).collect();
        for piece in [1, 7, 4096, BUFFER + 3, text.len()] {
            assert_eq!(
                replace(Some(&text), &text, piece),
                (Outcome::Unchanged, None)
            );
        }
        assert_eq!(replace(Some(b""), b"", 1), (Outcome::Unchanged, None));
    }

    #[test]
    fn the_first_difference_starts_a_file_with_every_byte() {
        let old: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let mut changed = old.clone();
        changed[500_000] ^= 1;
        let longer = [&old[..], b"more"].concat();
        let cases: [(&[u8], &[u8]); 5] = [
            (&old, &changed), // one byte differs, deep inside
            (&old, &longer),  // the old file is a prefix of the new
            (&longer, &old),  // the new file is a prefix of the old
            (&old, b""),      // the new file is empty
            (b"", &old),      // the old file is empty
        ];
        for (before, after) in cases {
            for piece in [1, 1000, BUFFER, after.len()] {
                assert_eq!(
                    replace(Some(before), after, piece),
                    (Outcome::Replaced, Some(after.to_vec()))
                );
            }
        }
    }

    #[test]
    fn without_an_old_file_everything_is_written() {
        assert_eq!(
            replace(None, b"fresh bytes", 3),
            (Outcome::Replaced, Some(b"fresh bytes".to_vec()))
        );
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh");
        // A folder where the file should be is no old file either.
        let mut writer = Replacing::new(dir.path(), &fresh).unwrap();
        writer.write_all(b"x").unwrap();
        assert_eq!(writer.finish().unwrap(), Outcome::Replaced);
        assert_eq!(fs::read(&fresh).unwrap(), b"x");
    }
}
