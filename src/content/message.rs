//! Message templates: the verbatim text an API returns with an error, with
//! `{name}` placeholders for the parts that vary (`model "{model}" is not
//! available for your account`). `{{` and `}}` are a literal `{` and `}`.

/// A piece of a message template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text returned as written (`{{`/`}}` already turned into braces).
    Text(std::borrow::Cow<'a, str>),
    /// A part that varies, by its name.
    Placeholder(&'a str),
}

/// Why a template does not parse: the byte offset of the problem in the
/// template, and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset in the template.
    pub at: usize,
    /// What is wrong, as the end of a sentence ("an unclosed `{`").
    pub what: &'static str,
}

/// Whether `c` may be part of a placeholder's name.
fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// The pieces of `template`, in order.
pub fn parse(template: &str) -> Result<Vec<Piece<'_>>, Problem> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = template.char_indices().peekable();
    let flush = |text: &mut String, pieces: &mut Vec<Piece<'_>>| {
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(text).into()));
        }
    };
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|&(_, n)| n == '{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek().is_some_and(|&(_, n)| n == '}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let start = i + 1;
                let end = loop {
                    match chars.next() {
                        Some((j, '}')) => break j,
                        Some((_, n)) if name_char(n) => {}
                        Some((j, _)) => {
                            return Err(Problem {
                                at: j,
                                what: "a placeholder name holds a character other than a letter, a digit, `_`, `-` or `.`",
                            });
                        }
                        None => {
                            return Err(Problem {
                                at: i,
                                what: "a `{` is never closed",
                            });
                        }
                    }
                };
                if end == start {
                    return Err(Problem {
                        at: i,
                        what: "a placeholder has no name",
                    });
                }
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Placeholder(&template[start..end]));
            }
            '}' => {
                return Err(Problem {
                    at: i,
                    what: "a `}` closes nothing",
                });
            }
            c => text.push(c),
        }
    }
    flush(&mut text, &mut pieces);
    Ok(pieces)
}

/// The text of a template without its placeholders, each replaced by a
/// space: what search matches a pasted message against. A template that
/// does not parse is taken as written.
pub fn literal_text(template: &str) -> String {
    match parse(template) {
        Ok(pieces) => {
            let mut out = String::with_capacity(template.len());
            for piece in pieces {
                match piece {
                    Piece::Text(text) => out.push_str(&text),
                    Piece::Placeholder(_) => out.push(' '),
                }
            }
            out
        }
        Err(_) => template.to_owned(),
    }
}

/// What two templates that say the same thing have in common: placeholders
/// unnamed, runs of white space one space, lowercase.
pub fn identity(template: &str) -> String {
    let shape = match parse(template) {
        Ok(pieces) => pieces
            .into_iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.into_owned(),
                Piece::Placeholder(_) => "{}".to_owned(),
            })
            .collect::<String>(),
        Err(_) => template.to_owned(),
    };
    shape
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_escaped_braces() {
        assert_eq!(
            parse("model \"{model}\" is {{not}} available").unwrap(),
            [
                Piece::Text("model \"".into()),
                Piece::Placeholder("model"),
                Piece::Text("\" is {not} available".into()),
            ]
        );
        assert_eq!(literal_text("quota {name} exceeded"), "quota   exceeded");
        assert_eq!(
            identity("Quota  {a} exceeded"),
            identity("quota {b} Exceeded")
        );
    }

    #[test]
    fn broken_templates_say_where() {
        assert_eq!(parse("a {b").unwrap_err().at, 2);
        assert_eq!(parse("a }").unwrap_err().at, 2);
        assert_eq!(parse("a {}").unwrap_err().what, "a placeholder has no name");
        assert_eq!(parse("{a b}").unwrap_err().at, 2);
    }
}
