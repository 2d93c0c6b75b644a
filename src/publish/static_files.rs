//! The static files a site publishes, as `build` and `serve` both publish
//! them: the built-in theme's, then the site's `static/` over them.
//!
//! Hidden files and folders under `static/` (`.DS_Store`, `.gitkeep`, an
//! editor's swap file) are left out, except `.well-known/` at the top, whose
//! files (`security.txt`, domain verification) a site exists to publish
//! (RFC 8615). Symbolic links are followed while they stay inside the site.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::content::contain::Containment;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::rules::Rule;
use crate::diagnostics::source::SourceFile;
use crate::layout::STATIC_DIR;

/// The one hidden folder that is published.
const WELL_KNOWN: &str = ".well-known";

/// The built-in scripts search depends on, each with the line a site's own
/// copy must carry to work with this errdex, and what goes wrong without it:
/// search.js reads one format of the index; errdex.js loads search.js.
fn search_scripts() -> [(&'static str, String, &'static str); 2] {
    [
        (
            "search.js",
            format!("errdex-search-index: {}", crate::search::INDEX_VERSION),
            "was written for another search index than this errdex writes",
        ),
        (
            "errdex.js",
            "errdex-loads-search: 1".to_owned(),
            "does not load search, which the pages leave to it since errdex 0.3",
        ),
    ]
}

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
    let mut files: BTreeMap<String, Origin> = crate::render::theme::STATIC_FILES
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
    for (script, marker, problem) in search_scripts() {
        if let Some(Origin::Site(path)) = files.get(script)
            && let Ok(text) = fs::read_to_string(path)
            && !text.contains(&marker)
        {
            problems.push(
                Diagnostic::new(
                    Rule::OutdatedSearchScript,
                    format!("{STATIC_DIR}/{script} {problem}"),
                )
                .in_file(format!("{STATIC_DIR}/{script}"))
                .hint(format!("delete it to use the built-in one, or bring your changes to the current one (`errdex init --theme` writes it; it carries the line `{marker}`)")),
            );
        }
    }
    let files = files
        .into_iter()
        .map(|(path, from)| StaticFile { path, from })
        .collect();
    (files, problems)
}

/// Whether a path under `static/` is published: not hidden, or `.well-known/`.
fn published(item: &walkdir::DirEntry) -> bool {
    let name = item.file_name().to_string_lossy();
    item.depth() == 0
        || !name.starts_with('.')
        || (item.depth() == 1 && name == WELL_KNOWN && item.file_type().is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_files_stay_home_but_well_known_is_published() {
        let site = tempfile::tempdir().unwrap();
        for file in [
            "static/robots-extra.txt",
            "static/.DS_Store",
            "static/img/.gitkeep",
            "static/.git/config",
            "static/.well-known/security.txt",
            "static/img/.well-known/x",
            "static/style.css",
        ] {
            let path = site.path().join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, file).unwrap();
        }
        let (files, problems) = list(site.path());
        assert!(problems.is_empty(), "{problems:?}");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                ".well-known/security.txt",
                "errdex.js",
                "favicon.svg",
                "robots-extra.txt",
                "search.js",
                "style.css"
            ]
        );
        let style = files.iter().find(|f| f.path == "style.css").unwrap();
        assert_eq!(
            &*style.bytes().unwrap(),
            b"static/style.css",
            "the site's wins"
        );
    }

    #[test]
    fn a_site_script_search_cannot_work_with_is_reported() {
        for (script, marker, _) in search_scripts() {
            let builtin = crate::render::theme::STATIC_FILES
                .iter()
                .find(|(path, _)| *path == script)
                .unwrap()
                .1;
            assert!(
                String::from_utf8_lossy(builtin).contains(&marker),
                "static/{script} must carry `{marker}`"
            );
            let site = tempfile::tempdir().unwrap();
            let copy = site.path().join("static").join(script);
            fs::create_dir_all(copy.parent().unwrap()).unwrap();
            // A copy of the current script: nothing to say.
            fs::write(&copy, builtin).unwrap();
            assert!(list(site.path()).1.is_empty(), "{script}");
            // A copy from an earlier errdex (as an earlier `init` made).
            fs::write(&copy, "(function () { /* errdex */ })();").unwrap();
            let problems = list(site.path()).1;
            assert_eq!(problems.len(), 1, "{script}: {problems:?}");
            assert_eq!(problems[0].rule, Rule::OutdatedSearchScript);
        }
    }
}
