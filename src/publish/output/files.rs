//! Opening files in the folders errdex keeps (the working copy, the files
//! beside the output) without following a symbolic link that someone left
//! there: a link in place of a file is removed, never written or read
//! through, so nothing outside those folders is touched.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// Creates a new, empty file at `path`. Whatever is there (a file, a link,
/// a folder) is removed first, a link as a link; the file is created only
/// if nothing took the name meanwhile (`O_EXCL`, which no link satisfies).
pub fn create_new(path: &Path) -> io::Result<fs::File> {
    remove_entry(path)?;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Removes whatever is at `path`, without following a link; nothing there is fine.
pub fn remove_entry(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error),
    }
}

/// Opens the regular file at `path` for reading, but not a link, a device
/// or a pipe (opened without blocking, so a pipe left there cannot hold
/// the build).
pub fn open_regular(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
        options.custom_flags(flags.bits() as i32);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// The bytes of the regular file at `path`, at most `max` of them.
pub fn read_regular(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open_regular(path)?.take(max).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_link_is_replaced_never_written_or_read_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "theirs").unwrap();
        let link = dir.path().join("link");
        symlink(&outside, &link).unwrap();
        assert!(read_regular(&link, 100).is_err());
        symlink("/dev/zero", dir.path().join("zero")).unwrap();
        assert!(read_regular(&dir.path().join("zero"), 100).is_err());
        use std::io::Write;
        create_new(&link).unwrap().write_all(b"ours").unwrap();
        assert_eq!(fs::read_to_string(&outside).unwrap(), "theirs");
        assert_eq!(fs::read_to_string(&link).unwrap(), "ours");
        assert!(
            !fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
