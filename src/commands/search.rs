//! `errdex search`: the site's own search, in the terminal. It builds the
//! index a build would write and asks it as the search box does, so a
//! query ranks the same here as on the site.

use std::fmt::Write as _;

use serde::Serialize;

use crate::diagnostics::Style;
use crate::search::Index;
use crate::search::engine::Engine;
use crate::site::Site;

/// One result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// The entry's code.
    pub code: String,
    /// A variant's type, when the result is a variant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The title.
    pub title: String,
    /// The summary.
    pub summary: String,
    /// Its page (with the variant's anchor).
    pub url: String,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Results {
    /// How many entries matched in all.
    pub total: usize,
    /// The best, in order.
    pub results: Vec<Found>,
}

/// The best `limit` results for `query` in `site`.
pub fn search(site: &Site, query: &str, limit: usize) -> Results {
    let index = Index::of(site);
    let engine = Engine::new(&index);
    let answer = engine.search(query, 0, limit, None, None);
    Results {
        total: answer.total,
        results: answer
            .hits
            .iter()
            .map(|hit| {
                let card = &index.cards[hit.doc];
                let mut url = site
                    .config
                    .absolute_url(&crate::layout::entry_dir(&card.code));
                if !card.anchor.is_empty() {
                    url.push('#');
                    url.push_str(&card.anchor);
                }
                Found {
                    code: card.code.clone(),
                    variant: (!card.anchor.is_empty()).then(|| card.anchor.clone()),
                    title: card.title.clone(),
                    summary: card.summary.clone(),
                    url,
                }
            })
            .collect(),
    }
}

/// Results as terminal text: code, title, summary and page of each.
pub fn human(results: &Results, style: Style) -> String {
    let mut out = String::new();
    for found in &results.results {
        let code = match &found.variant {
            Some(kind) => format!("{} ({kind})", found.code),
            None => found.code.clone(),
        };
        let _ = writeln!(
            out,
            "{}  {}",
            style.paint("1", &crate::diagnostics::printable(&code)),
            crate::diagnostics::printable(&found.title)
        );
        let _ = writeln!(out, "    {}", crate::diagnostics::printable(&found.summary));
        let _ = writeln!(out, "    {}", style.paint("2", &found.url));
    }
    let shown = results.results.len();
    let _ = match results.total {
        0 => writeln!(out, "no entry matches"),
        n if n > shown => writeln!(out, "{n} entries match; the best {shown} are above"),
        1 => writeln!(out, "1 entry matches"),
        n => writeln!(out, "{n} entries match"),
    };
    out
}
