//! Reading a site: its config and entry files, parsed from YAML with the
//! position of every value kept, and the markdown they hold.

pub mod config;
pub mod contain;
pub mod date;
pub mod entry;
pub mod http;
pub mod load;
pub mod markdown;
pub mod message;
pub mod node;
pub mod schema;
pub mod shape;
pub mod yaml;

/// Whether `c` is a character that plain text may not hold: a control
/// character but the tab (line breaks only where `line_breaks` are
/// allowed), a line or paragraph separator, or a mark that overrides the
/// direction of text.
pub fn unseen_character(c: char, line_breaks: bool) -> bool {
    let line_break = c == '\n' || c == '\r';
    let unseen = (c.is_control() && c != '\t')
        // Line and paragraph separators, and the marks that reorder text
        // (which make a title read otherwise than it is written).
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    unseen && !(line_breaks && line_break)
}
