//! Putting a finished build in place of the output, so that at every instant
//! the output folder is the old site or the new one, or the next build puts
//! the old one back.
//!
//! Where the system exchanges two paths in one step (`renameat2` with
//! `RENAME_EXCHANGE` on Linux, `renameatx_np` with `RENAME_SWAP` on macOS),
//! the working copy and the output trade places at once. Elsewhere, or on a
//! file system that cannot, three renames do it through `.NAME.errdex-swap`:
//! the output moves there, the working copy takes its place, and the old
//! output becomes the working copy. A build killed between two of them
//! leaves the old output at `.NAME.errdex-swap`, and [`recover`] puts it back.

use std::fs;
use std::io;
use std::path::Path;

use super::{OutputError, io_error, sibling};

/// What [`recover`] found of an interrupted swap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovered {
    /// No swap was under way.
    Nothing,
    /// The output was missing; the old one is back in its place.
    Restored,
    /// The new output was in place; the old one became the working copy.
    Finished,
}

/// Completes or undoes a swap that was interrupted (see the module
/// documentation). Runs with the output's lock held.
pub fn recover(target: &Path) -> Result<Recovered, OutputError> {
    let swap = sibling(target, "swap");
    match fs::symlink_metadata(&swap) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            // Never errdex's: a file or a link. Remove the name, not what a link points at.
            fs::remove_file(&swap).map_err(io_error(&swap))?;
            return Ok(Recovered::Nothing);
        }
        Err(_) => return Ok(Recovered::Nothing),
    }
    if fs::symlink_metadata(target).is_err() {
        fs::rename(&swap, target).map_err(io_error(target))?;
        return Ok(Recovered::Restored);
    }
    let cache = sibling(target, "cache");
    if fs::symlink_metadata(&cache).is_err() {
        fs::rename(&swap, &cache).map_err(io_error(&cache))?;
    } else {
        fs::remove_dir_all(&swap).map_err(io_error(&swap))?;
    }
    Ok(Recovered::Finished)
}

/// Puts the folder `new` at `target` and the folder that was at `target` at
/// `new`.
pub fn exchange(new: &Path, target: &Path) -> Result<(), OutputError> {
    match exchange_at_once(new, target) {
        Ok(()) => return Ok(()),
        Err(error) if !unsupported(&error) => return Err(io_error(target)(error)),
        Err(_) => {}
    }
    let swap = sibling(target, "swap");
    fs::rename(target, &swap).map_err(io_error(target))?;
    if let Err(source) = fs::rename(new, target) {
        // Put the previous site back so a failed swap loses nothing.
        let _ = fs::rename(&swap, target);
        return Err(io_error(target)(source));
    }
    fs::rename(&swap, new).map_err(io_error(&swap))
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange_at_once(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange_at_once(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether the exchange failed because the system or the file system cannot
/// do it, rather than for a reason the renames would meet too.
fn unsupported(error: &io::Error) -> bool {
    if error.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let raw = error.raw_os_error();
        [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP, Errno::OPNOTSUPP]
            .iter()
            .any(|errno| raw == Some(errno.raw_os_error()))
    }
    #[cfg(not(unix))]
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path, marker: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("index.html"), marker).unwrap();
    }

    fn read(dir: &Path) -> String {
        fs::read_to_string(dir.join("index.html")).unwrap()
    }

    #[test]
    fn the_two_folders_trade_places() {
        let dir = tempfile::tempdir().unwrap();
        let (new, target) = (dir.path().join("new"), dir.path().join("public"));
        tree(&new, "new");
        tree(&target, "old");
        exchange(&new, &target).unwrap();
        assert_eq!(read(&target), "new");
        assert_eq!(read(&new), "old");
        assert!(!sibling(&target, "swap").exists());
    }

    #[test]
    fn a_build_killed_after_the_first_rename_gets_its_old_output_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        // The output moved aside, the working copy not yet in its place.
        tree(&sibling(&target, "swap"), "old");
        tree(&sibling(&target, "cache"), "new");
        assert_eq!(recover(&target).unwrap(), Recovered::Restored);
        assert_eq!(read(&target), "old");
        assert_eq!(read(&sibling(&target, "cache")), "new");
        assert!(!sibling(&target, "swap").exists());
    }

    #[test]
    fn a_build_killed_after_the_second_rename_keeps_its_new_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        tree(&sibling(&target, "swap"), "old");
        tree(&target, "new");
        assert_eq!(recover(&target).unwrap(), Recovered::Finished);
        assert_eq!(read(&target), "new");
        assert_eq!(read(&sibling(&target, "cache")), "old");
        assert_eq!(recover(&target).unwrap(), Recovered::Nothing);
    }

    #[test]
    #[cfg(unix)]
    fn a_link_in_place_of_the_swap_folder_is_removed_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let elsewhere = dir.path().join("elsewhere");
        tree(&elsewhere, "theirs");
        std::os::unix::fs::symlink(&elsewhere, sibling(&target, "swap")).unwrap();
        assert_eq!(recover(&target).unwrap(), Recovered::Nothing);
        assert!(!target.exists());
        assert_eq!(read(&elsewhere), "theirs");
    }
}
