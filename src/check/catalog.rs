//! The rules that need the whole catalog: duplicate and colliding codes,
//! links between codes, replacements, variant types, redirects, the
//! fallback and freshness. One code table keeps them linear in the number
//! of entries.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::check::{Loaded, LoadedEntry};
use crate::content::config::Config;
use crate::diagnostics::rules::Rule;
use crate::diagnostics::source::SourceFile;
use crate::diagnostics::span::{Span, Spanned};
use crate::diagnostics::suggest;
use crate::diagnostics::{Diagnostic, Findings};

use super::entry::check_markdown;

/// Runs the rules that need every entry: duplicate codes, links between
/// codes, the fallback. The per-entry findings come with what was loaded.
pub fn validate(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut found = Findings::default();
    let codes = CodeTable::build(&loaded.entries, &loaded.unparsed_codes, &mut found);
    for entry in &loaded.entries {
        let file = entry.source.path.as_str();
        for code in &entry.facts.related {
            if !codes.knows(&code.value) {
                found.add(file, Rule::UnknownRelated, || {
                    Diagnostic::new(
                        Rule::UnknownRelated,
                        format!("related code `{}` is not defined", code.value),
                    )
                    .at(&entry.source, code.span)
                    .label("no entry has this code")
                    .maybe_hint(codes.suggest(&code.value))
                });
            }
        }
        for link in &entry.facts.code_links {
            if !codes.knows(&link.value) {
                found.add(file, Rule::UnknownCodeLink, || {
                    unknown_code_link(&entry.source, link, &codes)
                });
            }
        }
    }
    if let Some(config) = loaded.config.as_ref() {
        check_config_against_entries(config, &codes, &mut diagnostics);
    }
    check_replacements(&loaded.entries, &codes, &mut diagnostics);
    check_types(&loaded.entries, &mut found);
    check_messages(&loaded.entries, &mut found);
    diagnostics.extend(found.into_vec());
    diagnostics
}

/// `replaced_by` must name a defined code, in one hop, without a cycle.
fn check_replacements(entries: &[LoadedEntry], codes: &CodeTable<'_>, out: &mut Vec<Diagnostic>) {
    // Code (primary or alias) → the entry that defines it.
    let mut owner: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, e) in entries.iter().enumerate() {
        for code in &e.facts.codes {
            owner.entry(code.value.as_str()).or_insert(i);
        }
    }
    let next = |i: usize| -> Option<usize> {
        let target = entries[i].facts.replaced_by.as_ref()?;
        owner.get(target.value.as_str()).copied()
    };
    for (i, e) in entries.iter().enumerate() {
        let Some(target) = &e.facts.replaced_by else {
            continue;
        };
        let Some(j) = owner.get(target.value.as_str()).copied() else {
            if !codes.knows(&target.value) {
                out.push(
                    Diagnostic::new(
                        Rule::UnknownReplacement,
                        format!(
                            "`replaced_by` names `{}`, which is not defined",
                            target.value
                        ),
                    )
                    .at(&e.source, target.span)
                    .label("no entry has this code")
                    .maybe_hint(codes.suggest(&target.value)),
                );
            }
            continue;
        };
        // Walk the chain: a cycle back to this entry is an error, any second hop a warning.
        let mut seen = vec![i];
        let mut current = j;
        let mut cycle = false;
        while let Some(after) = next(current) {
            if after == i {
                cycle = true;
                break;
            }
            if seen.contains(&after) {
                break;
            }
            seen.push(current);
            current = after;
        }
        if cycle {
            let path: Vec<&str> = seen
                .iter()
                .chain(std::iter::once(&current))
                .map(|&k| entries[k].facts.codes[0].value.as_str())
                .collect();
            out.push(
                Diagnostic::new(
                    Rule::ReplacementCycle,
                    format!(
                        "codes replace each other in a circle: {} → {}",
                        path.join(" → "),
                        path[0]
                    ),
                )
                .at(&e.source, target.span)
                .hint("make the newest code active and point the others at it"),
            );
        } else if let Some(second) = entries[j].facts.replaced_by.as_ref() {
            out.push(
                Diagnostic::new(
                    Rule::ReplacementChain,
                    format!(
                        "`{}` is itself replaced by `{}`",
                        target.value, second.value
                    ),
                )
                .at(&e.source, target.span)
                .related(
                    &entries[j].source,
                    second.span,
                    format!("`{}` is replaced here", target.value),
                )
                .hint(format!(
                    "point `replaced_by` at the current code: `replaced_by: {}`",
                    second.value
                )),
            );
        }
    }
}

/// Variant types are unique across the site.
fn check_types<'a>(entries: &'a [LoadedEntry], out: &mut Findings<'a>) {
    let mut first: FxHashMap<&str, (&SourceFile, Span)> = FxHashMap::default();
    for e in entries {
        for kind in &e.facts.types {
            match first.get(kind.value.as_str()) {
                Some((file, span)) => out.add(&e.source.path, Rule::DuplicateType, || {
                    Diagnostic::new(
                        Rule::DuplicateType,
                        format!("variant type `{}` is used twice", kind.value),
                    )
                    .at(&e.source, kind.span)
                    .label("used again here")
                    .related(file, *span, "first used here")
                    .hint("a type names one problem across the site; rename one of them")
                }),
                None => {
                    first.insert(&kind.value, (&e.source, kind.span));
                }
            }
        }
    }
}

/// A message leads to one page: the same template in two places warns.
fn check_messages<'a>(entries: &'a [LoadedEntry], out: &mut Findings<'a>) {
    let mut first: FxHashMap<&str, (&SourceFile, Span)> = FxHashMap::default();
    for e in entries {
        for (identity, span) in &e.facts.messages {
            match first.get(identity.as_str()) {
                Some((file, first_span)) => out.add(&e.source.path, Rule::DuplicateMessage, || {
                    Diagnostic::new(Rule::DuplicateMessage, "this message is listed twice")
                        .at(&e.source, *span)
                        .label("listed again here")
                        .related(file, *first_span, "first listed here")
                        .hint("a pasted message should lead to one page; keep it where it is explained")
                }),
                None => {
                    first.insert(identity, (&e.source, *span));
                }
            }
        }
    }
}

/// Entries whose `reviewed` date is more than `review_after_days` before `today` (a day number).
pub fn check_freshness(loaded: &Loaded, today: i64) -> Vec<Diagnostic> {
    let Some(days) = loaded
        .config
        .as_ref()
        .and_then(|c| c.file.review_after_days.as_ref())
        .map(|d| i64::from(d.value))
    else {
        return Vec::new();
    };
    loaded
        .entries
        .iter()
        .filter_map(|e| {
            let reviewed = e.facts.reviewed.as_ref()?;
            let age = today - reviewed.value;
            (age > days).then(|| {
                Diagnostic::new(
                    Rule::StaleEntry,
                    format!(
                        "last reviewed {} days ago ({}); entries are due for review after {days} days",
                        age,
                        crate::content::date::format(reviewed.value)
                    ),
                )
                .at(&e.source, reviewed.span)
                .hint("check the entry against the API, then set `reviewed` to today's date")
            })
        })
        .collect()
}

fn unknown_code_link(
    file: &SourceFile,
    link: &Spanned<String>,
    codes: &CodeTable<'_>,
) -> Diagnostic {
    Diagnostic::new(
        Rule::UnknownCodeLink,
        format!("link to code `{}`, which is not defined", link.value),
    )
    .at(file, link.span)
    .label("no entry has this code")
    .maybe_hint(codes.suggest(&link.value))
}

/// Every code of the site, primary and alias, with where it was defined.
struct CodeTable<'a> {
    defined: FxHashMap<&'a str, (&'a SourceFile, Span)>,
    unparsed: FxHashSet<&'a str>,
    /// Every code by [`fold`]: what a case-insensitive file system sees.
    folded: FxHashMap<String, &'a str>,
}

/// A code as a case-insensitive file system compares names: in one
/// Unicode normal form, in lower case.
fn fold(code: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    code.nfc().collect::<String>().to_lowercase()
}

impl<'a> CodeTable<'a> {
    /// Registers every code; reports duplicates and codes that differ only in case.
    fn build(entries: &'a [LoadedEntry], unparsed: &'a [String], out: &mut Findings<'a>) -> Self {
        let mut defined: FxHashMap<&str, (&SourceFile, Span)> =
            FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
        let mut folded: FxHashMap<String, (&str, &SourceFile, Span)> =
            FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
        for loaded in entries {
            for code in &loaded.facts.codes {
                let text = code.value.as_str();
                if let Some((first_file, first_span)) = defined.get(text) {
                    out.add(&loaded.source.path, Rule::DuplicateCode, || {
                        Diagnostic::new(
                            Rule::DuplicateCode,
                            format!("code `{text}` is defined twice"),
                        )
                        .at(&loaded.source, code.span)
                        .label("defined again here")
                        .related(first_file, *first_span, "first defined here")
                        .hint("each code has one entry: merge the two, or change one of the codes")
                    });
                    continue;
                }
                defined.insert(text, (&loaded.source, code.span));
                let key = fold(text);
                match folded.get(&key) {
                    Some((other, other_file, other_span)) => out.add(&loaded.source.path, Rule::CodeCaseCollision, || {
                        Diagnostic::new(
                            Rule::CodeCaseCollision,
                            format!("codes `{other}` and `{text}` differ only in case"),
                        )
                        .at(&loaded.source, code.span)
                        .related(other_file, *other_span, format!("`{other}` is defined here"))
                        .hint("their pages would be the same folder on case-insensitive file systems; rename one")
                    }),
                    None => {
                        folded.insert(key, (text, &loaded.source, code.span));
                    }
                }
            }
        }
        // `a` writes errors/a.json and errors/a.md beside its folder
        // errors/a/; a code `a.json` or `a.md` would be a folder of that name.
        for (key, (text, file, span)) in &folded {
            let stem = [".json", ".md"]
                .iter()
                .find_map(|suffix| key.strip_suffix(suffix));
            if let Some((other, _, _)) = stem.and_then(|stem| folded.get(stem)) {
                out.add(&file.path, Rule::CodePathCollision, || {
                    Diagnostic::new(
                        Rule::CodePathCollision,
                        format!(
                            "code `{text}` is a file name of code `{other}`: both would write errors/{text}"
                        ),
                    )
                    .at(file, *span)
                    .hint(format!("`{other}` has its JSON and markdown at errors/{other}.json and .md; rename `{text}`"))
                });
            }
        }
        Self {
            defined,
            unparsed: unparsed.iter().map(String::as_str).collect(),
            folded: folded
                .into_iter()
                .map(|(key, (text, _, _))| (key, text))
                .collect(),
        }
    }

    /// The code that is `folded` ([`fold`]) when folded, if any.
    fn known_folded(&self, folded: &str) -> Option<&'a str> {
        self.folded.get(folded).copied()
    }

    fn knows(&self, code: &str) -> bool {
        self.defined.contains_key(code) || self.unparsed.contains(code)
    }

    fn suggest(&self, code: &str) -> Option<String> {
        suggest::did_you_mean(code, self.defined.keys().copied())
    }
}

fn check_config_against_entries(config: &Config, codes: &CodeTable<'_>, out: &mut Vec<Diagnostic>) {
    check_redirects(config, codes, out);
    if let Some(fallback) = config
        .file
        .fallback
        .as_ref()
        .filter(|f| !codes.knows(f.value.as_str()))
    {
        out.push(
            Diagnostic::new(
                Rule::UnknownFallback,
                format!("fallback code `{}` is not defined", fallback.value),
            )
            .at(&config.source, fallback.span)
            .label("no entry has this code")
            .maybe_hint(codes.suggest(fallback.value.as_str())),
        );
    }
    for featured in config
        .featured()
        .iter()
        .filter(|f| !codes.knows(f.value.as_str()))
    {
        out.push(
            Diagnostic::new(
                Rule::UnknownCodeLink,
                format!("featured code `{}` is not defined", featured.value),
            )
            .at(&config.source, featured.span)
            .label("no entry has this code")
            .maybe_hint(codes.suggest(featured.value.as_str())),
        );
    }
    if let Some(intro) = &config.file.intro {
        let mut found = Findings::default();
        for link in check_markdown(&config.source, intro, config.file.allow_html, &mut found) {
            if !codes.knows(&link.value) {
                found.add(&config.source.path, Rule::UnknownCodeLink, || {
                    unknown_code_link(&config.source, &link, codes)
                });
            }
        }
        out.extend(found.into_vec());
    }
}

/// Every redirect must end at a defined code, without a loop, and may not
/// redirect a code that still has an entry.
fn check_redirects(config: &Config, codes: &CodeTable<'_>, out: &mut Vec<Diagnostic>) {
    let redirects = config.redirects();
    let target_of = |code: &str| {
        redirects
            .iter()
            .find(|(old, _)| old.value == code)
            .map(|(_, t)| t)
    };
    for (old, target) in redirects {
        // A redirected code gets a page and files of its own, like a code.
        if let Some(problem) = super::entry::path_problem(&old.value) {
            out.push(
                Diagnostic::new(
                    Rule::InvalidCode,
                    format!("redirected code `{}` cannot be used: {problem}", old.value),
                )
                .at(&config.source, old.span)
                .label("codes become folder names and URLs"),
            );
            continue;
        }
        let folded = fold(&old.value);
        let stem = [".json", ".md"].iter().find_map(|s| folded.strip_suffix(s));
        let clash = codes
            .known_folded(&folded)
            .map(|other| (other, format!("errors/{other}/")))
            .or_else(|| {
                stem.and_then(|stem| codes.known_folded(stem))
                    .map(|other| (other, format!("errors/{}", old.value)))
            })
            .or_else(|| {
                [".json", ".md"].iter().find_map(|suffix| {
                    codes
                        .known_folded(&format!("{folded}{suffix}"))
                        .map(|other| (other, format!("errors/{other}")))
                })
            });
        if let Some((other, path)) = clash.filter(|(other, _)| *other != old.value) {
            out.push(
                Diagnostic::new(
                    Rule::CodePathCollision,
                    format!(
                        "redirected code `{}` and code `{other}` would both write {path}",
                        old.value
                    ),
                )
                .at(&config.source, old.span)
                .hint("rename the redirected code"),
            );
            continue;
        }
        if codes.knows(&old.value) {
            out.push(
                Diagnostic::new(
                    Rule::RedirectShadowsCode,
                    format!("`{}` is redirected but still has an entry", old.value),
                )
                .at(&config.source, old.span)
                .hint("remove the redirect, or the entry"),
            );
            continue;
        }
        let mut seen = vec![old.value.as_str()];
        let mut current = target;
        loop {
            let code = current.value.as_str();
            if codes.knows(code) {
                break;
            }
            if seen.contains(&code) {
                let chain: Vec<String> = seen
                    .iter()
                    .chain(std::iter::once(&code))
                    .map(|c| format!("`{c}`"))
                    .collect();
                out.push(
                    Diagnostic::new(
                        Rule::RedirectLoop,
                        format!("redirects go round in a circle: {}", chain.join(" → ")),
                    )
                    .at(&config.source, target.span)
                    .hint("point one of them at a code that has an entry"),
                );
                break;
            }
            match target_of(code) {
                Some(next) => {
                    seen.push(code);
                    current = next;
                }
                None => {
                    out.push(
                        Diagnostic::new(
                            Rule::UnknownRedirectTarget,
                            format!(
                                "`{}` redirects to `{code}`, which no entry defines",
                                old.value
                            ),
                        )
                        .at(&config.source, target.span)
                        .label("no entry has this code")
                        .maybe_hint(codes.suggest(code)),
                    );
                    break;
                }
            }
        }
    }
}
