//! `_redirects`, the redirect rules Netlify and Cloudflare Pages read: every
//! alias code and every redirected code answers 301 with its entry's URL,
//! an alias's with `?from=ALIAS` so the page can say where the reader came from.

use crate::site::Site;

/// The `_redirects` file.
pub fn redirects_file(site: &Site) -> String {
    let base = &site.config.base_path;
    let mut out = String::from(
        "# Alias and redirected codes, for static hosts that read _redirects (Netlify, Cloudflare Pages).\n# Written by errdex; the same pages also redirect with a meta refresh where this file is not read.\n",
    );
    let mut line = |from: &str, to: usize, query: &str| {
        let target = format!(
            "{base}{}{query}",
            crate::layout::entry_dir(&site.entries[to].code)
        );
        let from = format!("{base}{}", crate::layout::entry_dir(from));
        out.push_str(&format!("{from} {target} 301\n"));
        out.push_str(&format!("{} {target} 301\n", from.trim_end_matches('/')));
    };
    for (index, entry) in site.entries.iter().enumerate() {
        for alias in &entry.aliases {
            line(alias, index, &crate::layout::arrival_query(alias));
        }
    }
    for (old, index) in &site.redirects {
        line(old, *index, "");
    }
    out
}
