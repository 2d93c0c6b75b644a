//! The static files a site publishes, as `build` and `serve` both publish
//! them: the built-in theme's, then the site's `static/` over them.
//!
//! Hidden files and folders under `static/` (`.DS_Store`, `.gitkeep`, an
//! editor's swap file) are left out. Symbolic links are followed while they
//! stay inside the site.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::contain::Containment;
use crate::diagnostic::Diagnostic;
use crate::rules::Rule;
use crate::source::SourceFile;

/// Where a site keeps files copied verbatim to the output.
pub const STATIC_DIR: &str = "static";

/// One file to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticFile {
    /// Its path in the output, relative, with `/` separators.
    pub path: String,
    /// Where its bytes come from.
    pub from: Origin,
}

/// Where a static file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in theme.
    BuiltIn(&'static [u8]),
    /// A file under the site's `static/`.
    Site(PathBuf),
}

impl StaticFile {
    /// The file's bytes.
    pub fn bytes(&self) -> io::Result<Cow<'static, [u8]>> {
        match &self.from {
            Origin::BuiltIn(bytes) => Ok(Cow::Borrowed(bytes)),
            Origin::Site(path) => fs::read(path).map(Cow::Owned),
        }
    }
}

/// Every static file of the site at `root`, sorted by path, and the
/// problems met on the way (unreadable paths, links that leave the site).
pub fn list(root: &Path) -> (Vec<StaticFile>, Vec<Diagnostic>) {
    let mut files: BTreeMap<String, Origin> = crate::theme::STATIC_FILES
        .iter()
        .map(|(path, bytes)| ((*path).to_owned(), Origin::BuiltIn(bytes)))
        .collect();
    let mut problems = Vec::new();
    let dir = root.join(STATIC_DIR);
    if dir.is_dir() {
        let contained = Containment::new(root);
        let mut refused = Vec::new();
        let walker = walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| published(e) && contained.filter(&mut refused)(e));
        for item in walker {
            match item {
                Ok(item) if item.file_type().is_file() => {
                    let path = SourceFile::display_path(&dir, item.path());
                    files.insert(path, Origin::Site(item.into_path()));
                }
                Ok(_) => {}
                Err(error) => {
                    let path = error.path().unwrap_or(&dir).to_path_buf();
                    let reason = if error.loop_ancestor().is_some() {
                        "a symbolic link loop".to_owned()
                    } else {
                        error.to_string()
                    };
                    problems.push(
                        Diagnostic::new(
                            Rule::UnreadablePath,
                            format!("cannot read this path: {reason}"),
                        )
                        .in_file(SourceFile::display_path(root, &path)),
                    );
                }
            }
        }
        problems.extend(refused);
    }
    let files = files
        .into_iter()
        .map(|(path, from)| StaticFile { path, from })
        .collect();
    (files, problems)
}

/// Whether a path under `static/` is published: not hidden.
fn published(item: &walkdir::DirEntry) -> bool {
    item.depth() == 0 || !item.file_name().to_string_lossy().starts_with('.')
}
