//! Keeping every read inside the site root: a symbolic link under the site is
//! followed only while it leads to a place inside the site. A link that
//! leaves it (`content/errors/x.yaml -> /proc/self/environ`, `static/ssl ->
//! /etc/ssl`) is refused with a diagnostic that names the link; what it
//! points at is never read, so nothing of it can reach a message or the
//! output.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::diagnostics::rules::Rule;
use crate::diagnostics::source::SourceFile;

/// The site root, resolved once, that reads must stay inside.
#[derive(Debug, Clone)]
pub struct Containment {
    root: PathBuf,
    /// The real path of the root; `None` when it cannot be resolved, and
    /// then nothing is refused (the read itself fails and says why).
    real_root: Option<PathBuf>,
}

impl Containment {
    /// Reads confined to the site at `root`.
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            real_root: fs::canonicalize(root).ok(),
        }
    }

    /// Where `path` really leads, when that is outside the site. A path that
    /// does not resolve (a broken link) is not outside: reading it fails
    /// and is reported as unreadable.
    pub fn escapes(&self, path: &Path) -> Option<PathBuf> {
        let real_root = self.real_root.as_ref()?;
        let real = fs::canonicalize(path).ok()?;
        (!real.starts_with(real_root)).then_some(real)
    }

    /// Where a file or folder about to be written at `path` would really
    /// land, when that is outside the site: the nearest part of `path`
    /// that exists decides, so a link anywhere on the way counts.
    pub fn escapes_for_write(&self, path: &Path) -> Option<PathBuf> {
        let mut existing = path;
        while fs::symlink_metadata(existing).is_err() {
            existing = existing.parent()?;
        }
        self.escapes(existing)
    }

    /// The diagnostic for `path`, which leads to `real` outside the site.
    pub fn refusal(&self, path: &Path, real: &Path) -> Diagnostic {
        let shown = SourceFile::display_path(&self.root, path);
        Diagnostic::new(
            Rule::LinkOutsideSite,
            format!(
                "{shown} leads outside the site, to {}; errdex reads nothing outside the site root",
                real.display()
            ),
        )
        .in_file(shown)
        .hint("copy what it points at into the site, or remove the link")
    }

    /// A `walkdir` filter that lets through what stays inside the site and
    /// notes a refusal for each symbolic link that leaves it (followed links
    /// are checked where they are met; what lies under a link that stays
    /// inside is checked link by link in turn).
    pub fn filter<'a>(
        &'a self,
        refused: &'a mut Vec<Diagnostic>,
    ) -> impl FnMut(&walkdir::DirEntry) -> bool + 'a {
        move |item| {
            let linked = item.path_is_symlink() || item.depth() == 0;
            match linked.then(|| self.escapes(item.path())).flatten() {
                Some(real) => {
                    refused.push(self.refusal(item.path(), &real));
                    false
                }
                None => true,
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_the_site_are_followed_and_links_out_refused() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), "TOKEN=abc").unwrap();
        let site = tempfile::tempdir().unwrap();
        let errors = site.path().join("content/errors");
        fs::create_dir_all(errors.join("real")).unwrap();
        fs::write(errors.join("real/a.yaml"), "code: A\n").unwrap();
        symlink(errors.join("real/a.yaml"), errors.join("b.yaml")).unwrap();
        symlink(errors.join("real"), errors.join("linked")).unwrap();
        symlink(outside.path().join("secret"), errors.join("x.yaml")).unwrap();
        symlink(outside.path(), errors.join("out")).unwrap();
        let contained = Containment::new(site.path());
        let mut refused = Vec::new();
        let mut found: Vec<String> = walkdir::WalkDir::new(&errors)
            .follow_links(true)
            .into_iter()
            .filter_entry(contained.filter(&mut refused))
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| SourceFile::display_path(&errors, e.path()))
            .collect();
        found.sort();
        assert_eq!(found, ["b.yaml", "linked/a.yaml", "real/a.yaml"]);
        let mut messages: Vec<String> = refused.iter().map(|d| d.message.clone()).collect();
        messages.sort();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("content/errors/out leads outside the site"));
        assert!(messages[1].starts_with("content/errors/x.yaml leads outside the site"));
        assert!(messages.iter().all(|m| !m.contains("TOKEN")));
    }
}
