//! "Did you mean ...?": the closest known name to a mistyped one.

/// The candidate closest to `input`, if one is close enough to be a likely typo.
///
/// Case differences are free; otherwise at most one edit per three characters
/// (Damerau–Levenshtein, so a swapped pair of letters is one edit).
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lowered = input.to_lowercase();
    let budget = (input.chars().count() / 3).max(1);
    let candidates: Vec<&str> = candidates.into_iter().filter(|c| *c != input).collect();
    // An abbreviation (`lang` for `language`) is far in edits but obvious to a reader.
    if input.chars().count() >= 3 {
        let mut prefixed = candidates
            .iter()
            .filter(|c| c.to_lowercase().starts_with(&lowered));
        if let (Some(only), None) = (prefixed.next(), prefixed.next()) {
            return Some(only);
        }
    }
    candidates
        .into_iter()
        .map(|c| {
            let distance = if c.to_lowercase() == lowered {
                0
            } else {
                strsim::damerau_levenshtein(&lowered, &c.to_lowercase())
            };
            (distance, c)
        })
        .filter(|(distance, _)| *distance <= budget)
        .min()
        .map(|(_, c)| c)
}

/// A hint sentence for the closest candidate: "did you mean `title`?".
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_case_slips() {
        let keys = ["title", "summary", "category", "causes"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("Summary", keys), Some("summary"));
        assert_eq!(closest("catgory", keys), Some("category"));
        assert_eq!(closest("zzz", keys), None);
        assert_eq!(
            closest("lang", ["title", "language", "body"]),
            Some("language")
        );
    }
}
