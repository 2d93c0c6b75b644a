//! A loaded text file and the mapping from byte offsets to lines and columns.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::diagnostics::span::Span;

/// The text of one file, with a line index (built when first needed) so
/// spans can be turned into positions.
///
/// Once a file has been checked its text can be released: a large catalog
/// would otherwise keep hundreds of megabytes of YAML in memory just in case
/// a diagnostic needs a line. A released file read from disk is read again,
/// by [`SourceFile::reloaded`], for the rare diagnostic that does.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user: relative to the site root, with `/` separators.
    pub path: String,
    /// Path on disk.
    pub disk_path: PathBuf,
    /// The whole text (empty once released).
    pub text: String,
    /// xxh3-128 of the text as it was read: still tells an unchanged file
    /// once the text is released.
    pub digest: u128,
    line_starts: OnceLock<Vec<usize>>,
    on_disk: bool,
    released: bool,
    /// The text read again for diagnostics after it was released.
    reread: OnceLock<Box<SourceFile>>,
    /// How many times the released text was asked for.
    rereads: Arc<AtomicUsize>,
    /// Characters before every [`MARK_EVERY`]-th byte, built for long lines.
    char_marks: OnceLock<Vec<usize>>,
}

/// How far apart the character counts of [`SourceFile::chars_between`] are kept, in bytes.
const MARK_EVERY: usize = 256;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl SourceFile {
    /// Wraps `text` read from `disk_path`, shown to users as `path`.
    pub fn new(path: impl Into<String>, disk_path: impl Into<PathBuf>, text: String) -> Self {
        Self {
            path: path.into(),
            disk_path: disk_path.into(),
            digest: xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
            text,
            line_starts: OnceLock::new(),
            on_disk: false,
            released: false,
            reread: OnceLock::new(),
            rereads: Arc::default(),
            char_marks: OnceLock::new(),
        }
    }

    /// Marks the text as read from `disk_path`, so it can be released and read again.
    pub fn on_disk(mut self) -> Self {
        self.on_disk = true;
        self
    }

    /// Frees the text of a file read from disk; [`SourceFile::reloaded`]
    /// reads it again when a diagnostic needs it. Texts held only in memory stay.
    pub fn release_text(&mut self) {
        if self.on_disk {
            self.text = String::new();
            self.line_starts = OnceLock::new();
            self.char_marks = OnceLock::new();
            self.released = true;
        }
    }

    /// This file with its text: itself, or, when the text was released, a
    /// copy read from disk again (empty if the file is gone). The first
    /// diagnostic that needs it reads it and lets it go, as most files get
    /// one at most; from the second on it is read once and kept, however
    /// many diagnostics point into it, until [`SourceFile::forget_reloaded`].
    pub fn reloaded(&self) -> Cow<'_, SourceFile> {
        if !self.released {
            return Cow::Borrowed(self);
        }
        let read = || {
            let text = std::fs::read(&self.disk_path)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default();
            SourceFile::new(self.path.clone(), self.disk_path.clone(), text).on_disk()
        };
        if let Some(kept) = self.reread.get() {
            return Cow::Borrowed(kept);
        }
        if self.rereads.fetch_add(1, Ordering::Relaxed) == 0 {
            return Cow::Owned(read());
        }
        Cow::Borrowed(self.reread.get_or_init(|| Box::new(read())))
    }

    /// Frees the copy [`SourceFile::reloaded`] kept for diagnostics.
    pub fn forget_reloaded(&mut self) {
        self.reread.take();
        self.rereads.store(0, Ordering::Relaxed);
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The display path of a file under `root`: relative, with forward slashes.
    pub fn display_path(root: &Path, path: &Path) -> String {
        let relative = path.strip_prefix(root).unwrap_or(path);
        relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn position(&self, byte: usize) -> Position {
        let byte = self.floor_char_boundary(byte.min(self.text.len()));
        let starts = self.line_starts();
        let line = starts.partition_point(|&start| start <= byte) - 1;
        let start = starts[line];
        let column = self.chars_between(start, byte) + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The number of characters between two byte offsets (character
    /// boundaries, `from <= to`). On a long line (a minified file is one)
    /// this counts from the nearest of marks kept every [`MARK_EVERY`]
    /// bytes, so that each of many diagnostics on it costs a few hundred
    /// bytes of counting, not the whole line before it.
    fn chars_between(&self, from: usize, to: usize) -> usize {
        if to - from <= MARK_EVERY {
            return count_chars(&self.text[from..to]);
        }
        let marks = self.char_marks.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut marks = Vec::with_capacity(bytes.len() / MARK_EVERY + 1);
            let mut total = 0;
            for block in bytes.chunks(MARK_EVERY) {
                marks.push(total);
                total += block.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
            }
            marks.push(total);
            marks
        });
        let chars_before = |at: usize| {
            let block = at / MARK_EVERY;
            let rest = &self.text.as_bytes()[block * MARK_EVERY..at];
            marks[block] + rest.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
        };
        chars_before(to) - chars_before(from)
    }

    /// The byte offset at which the line holding `byte` starts.
    pub fn line_start_of(&self, byte: usize) -> usize {
        let starts = self.line_starts();
        starts[starts.partition_point(|&start| start <= byte.min(self.text.len())) - 1]
    }

    /// The byte offset of a 1-based line and column (clamped to the text).
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let in_line = rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
        start + in_line
    }

    /// The start and end positions of a span; the end is exclusive.
    pub fn range(&self, span: Span) -> (Position, Position) {
        (self.position(span.start()), self.position(span.end()))
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The bytes of a span, or "" when the span falls outside the text.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start()..span.end()).unwrap_or("")
    }

    /// The span of a byte range inside a string value that starts at `value`.
    ///
    /// Block scalars (`|`, `>`) keep their lines in the file, indented by the
    /// column the value starts at, so an offset inside the value maps to an exact
    /// position. Other scalars may have escapes or folded lines: offsets inside
    /// them map to the start of the value.
    pub fn span_in_value(&self, value: Span, text: &str, offset: usize, len: usize) -> Span {
        if !value_is_block_scalar(self, value) {
            let raw = self.slice(value);
            let quote = usize::from(raw.starts_with(['"', '\'']));
            return if raw.get(quote..quote + text.len()) == Some(text) {
                Span::new(value.start() + quote + offset, len)
            } else {
                value
            };
        }
        let line_in_value = text[..offset.min(text.len())].matches('\n').count();
        let line_start_in_value = text[..offset.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let first = self.position(value.start());
        let file_line = first.line + line_in_value;
        let Some(&line_start) = self.line_starts().get(file_line - 1) else {
            return value;
        };
        let indent: usize = self.text[line_start..]
            .chars()
            .take(first.column - 1)
            .map(char::len_utf8)
            .sum();
        let start = line_start + indent + (offset - line_start_in_value);
        if start > self.text.len() {
            return value;
        }
        Span::new(start, len)
    }

    fn floor_char_boundary(&self, mut byte: usize) -> usize {
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        byte
    }
}

/// The number of characters in `text`: its bytes that do not continue a
/// character (a loop the compiler vectorises; diagnostics on one long line
/// each count the columns before them).
pub fn count_chars(text: &str) -> usize {
    text.bytes().filter(|&b| (b & 0xC0) != 0x80).count()
}

/// Whether the value at `span` was written as a `|` or `>` block scalar: its
/// first line is indented content, and the nearest non-blank line above ends
/// with the block indicator.
fn value_is_block_scalar(file: &SourceFile, span: Span) -> bool {
    let first = file.position(span.start());
    let line_start = file.line_starts()[first.line - 1];
    if !file.text[line_start..span.start()]
        .chars()
        .all(|c| c == ' ')
    {
        return false;
    }
    let Some(header) = (1..first.line)
        .rev()
        .map(|line| file.line(line))
        .find(|line| !line.trim().is_empty())
    else {
        return false;
    };
    let header = header.split(" #").next().unwrap_or(header).trim_end();
    let token = header.rsplit(' ').next().unwrap_or("");
    token.starts_with(['|', '>'])
        && token[1..]
            .chars()
            .all(|c| matches!(c, '+' | '-' | '1'..='9'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_lines() {
        let file = SourceFile::new("a.yaml", "a.yaml", "a: é\nbb: x\n".into());
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        assert_eq!(file.position(3), Position { line: 1, column: 4 });
        assert_eq!(file.position(10), Position { line: 2, column: 5 });
        assert_eq!(file.line(2), "bb: x");
        assert_eq!(file.line(9), "");
    }

    #[test]
    fn columns_on_a_long_line_count_characters_from_the_marks() {
        let line: String = (0..2000)
            .map(|i| if i % 3 == 0 { 'é' } else { 'x' })
            .collect();
        let text = format!("a\n{line}\n");
        let file = SourceFile::new("a.yaml", "a.yaml", text.clone());
        for (column, (byte, _)) in line.char_indices().enumerate().step_by(37) {
            let expected = Position {
                line: 2,
                column: column + 1,
            };
            assert_eq!(file.position(2 + byte), expected);
        }
    }

    #[test]
    fn offsets_inside_block_scalars_map_to_their_line() {
        let text = "d: |\n  first line\n  see [x](code:9)\n";
        let file = SourceFile::new("a.yaml", "a.yaml", text.into());
        let value_start = text.find("first").unwrap();
        let value = "first line\nsee [x](code:9)\n";
        let span = file.span_in_value(Span::new(value_start, 28), value, 15, 6);
        assert_eq!(file.position(span.start()), Position { line: 3, column: 7 });
    }
}
