//! Natural ordering of codes: `400 < 401 < 4000 < E0001 < E0002 < E0010`.

use std::cmp::Ordering;

/// Compares two codes: runs of digits by numeric value, other runs by text,
/// numbers before letters; ties broken by the plain text so the order is total.
pub fn compare(a: &str, b: &str) -> Ordering {
    let mut left = Chunks(a);
    let mut right = Chunks(b);
    loop {
        match (left.next(), right.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (is_number(x), is_number(y)) {
                    (true, true) => compare_numbers(x, y),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

fn is_number(chunk: &str) -> bool {
    chunk.starts_with(|c: char| c.is_ascii_digit())
}

fn compare_numbers(x: &str, y: &str) -> Ordering {
    let x = x.trim_start_matches('0');
    let y = y.trim_start_matches('0');
    x.len().cmp(&y.len()).then_with(|| x.cmp(y))
}

/// Splits text into alternating runs of ASCII digits and of everything else.
struct Chunks<'a>(&'a str);

impl<'a> Iterator for Chunks<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        // Bytes, not chars: a run ends at an ASCII digit or right after one,
        // always a char boundary, and sorting 100,000 codes calls this millions of times.
        let bytes = self.0.as_bytes();
        let digits = bytes.first()?.is_ascii_digit();
        let end = bytes
            .iter()
            .position(|b| b.is_ascii_digit() != digits)
            .unwrap_or(bytes.len());
        let (chunk, rest) = self.0.split_at(end);
        self.0 = rest;
        Some(chunk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_sort_naturally() {
        let mut codes = vec![
            "E0010", "4000", "E0002", "401", "E0001", "400", "other", "22P02", "503",
        ];
        codes.sort_by(|a, b| compare(a, b));
        assert_eq!(
            codes,
            [
                "22P02", "400", "401", "503", "4000", "E0001", "E0002", "E0010", "other"
            ]
        );
    }

    #[test]
    fn runs_split_at_digits_next_to_any_character() {
        let chunks: Vec<&str> = Chunks("ü10é2x").collect();
        assert_eq!(chunks, ["ü", "10", "é", "2", "x"]);
        let mut codes = vec!["É10", "É9", "9É", "É09a"];
        codes.sort_by(|a, b| compare(a, b));
        assert_eq!(codes, ["9É", "É9", "É09a", "É10"]);
    }

    #[test]
    fn leading_zeros_tie_break_on_text() {
        assert_eq!(compare("01", "1"), Ordering::Less);
        assert_eq!(compare("1", "01"), Ordering::Greater);
        assert_eq!(compare("a", "a"), Ordering::Equal);
    }
}
