//! `build --git-dates`: the date each entry file last changed, from git
//! history. Off by default, so builds stay deterministic without git.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// Why no dates could be read.
#[derive(Debug, thiserror::Error)]
#[error("--git-dates: cannot read git history in {root}: {reason}")]
pub struct GitDatesError {
    root: String,
    reason: String,
}

/// Last commit date (`YYYY-MM-DD`) of every file under `content/` of the site
/// at `root`, keyed by path relative to the root, with `/` separators.
pub fn last_changed(root: &Path) -> Result<HashMap<String, String>, GitDatesError> {
    let error = |reason: String| GitDatesError {
        root: root.display().to_string(),
        reason,
    };
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--relative",
            "--no-renames",
            "--format=%x01%cs",
            "--name-only",
            // Names as they are, NUL-terminated: without it git quotes
            // names with non-ASCII characters ("\303\251.yaml").
            "-z",
            "--",
            "content",
        ])
        .output()
        .map_err(|e| error(e.to_string()))?;
    if !output.status.success() {
        return Err(error(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    Ok(parse(&String::from_utf8_lossy(&output.stdout)))
}

/// Newest first, as `git log -z` prints: each commit is `\x01DATE`, then
/// its paths, each after a newline or a NUL. The first date seen for a file
/// is its last change.
fn parse(log: &str) -> HashMap<String, String> {
    let mut dates = HashMap::new();
    let mut date = "";
    for field in log.split('\0') {
        if let Some(d) = field.strip_prefix('\u{1}') {
            date = d.trim();
            continue;
        }
        let path = field.strip_prefix('\n').unwrap_or(field);
        if !path.is_empty() && !date.is_empty() {
            dates
                .entry(path.to_owned())
                .or_insert_with(|| date.to_owned());
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_date_of_each_file_wins() {
        let log = "\u{1}2026-11-20\0\ncontent/errors/429.yaml\0\0\u{1}2026-10-01\0\ncontent/errors/429.yaml\0content/errors/é 1.yaml\0";
        let dates = parse(log);
        assert_eq!(dates["content/errors/429.yaml"], "2026-11-20");
        assert_eq!(dates["content/errors/é 1.yaml"], "2026-10-01");
        assert_eq!(dates.len(), 2);
    }
}
