//! `errdex explain`: an entry, or a rule, readable in a terminal, in the
//! manner of `rustc --explain`.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::check::Loaded;
use crate::commands::terminal::{self, Layout};
use crate::content::config::Config;
use crate::content::entry::{Entry, Solutions, Status, Steps};
use crate::diagnostics::rules::Rule;
use crate::diagnostics::suggest;
use crate::site::natural;

/// Why a code could not be explained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no entry documents code `{code}`")]
pub struct UnknownCode {
    /// The code asked for.
    pub code: String,
    /// The closest defined codes, best first.
    pub closest: Vec<String>,
}

/// The entry documenting `code`, as terminal text.
pub fn explain_code(loaded: &Loaded, code: &str, layout: Layout) -> Result<String, UnknownCode> {
    let titles: HashMap<&str, &str> = loaded
        .entries
        .iter()
        .flat_map(|l| {
            l.entry
                .codes()
                .into_iter()
                .map(move |c| (c.value.as_str(), l.entry.title.value.as_str()))
        })
        .collect();
    let Some(found) = loaded
        .entries
        .iter()
        .find(|l| l.entry.codes().iter().any(|c| c.value.as_str() == code))
    else {
        return Err(UnknownCode {
            code: code.to_owned(),
            closest: closest_codes(code, titles.keys().copied()),
        });
    };
    let label_of = |c: &str| titles.get(c).map(|title| format!("{c} {title}"));
    Ok(Explainer {
        layout,
        label_of: &label_of,
        out: String::new(),
    }
    .entry(&found.entry, loaded.config.as_ref()))
}

/// The three defined codes closest to `code` in spelling.
fn closest_codes<'a>(code: &str, codes: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = codes
        .map(|c| {
            (
                strsim::damerau_levenshtein(&code.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| natural::compare(a.1, b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_owned())
        .collect()
}

struct Explainer<'a> {
    layout: Layout,
    label_of: &'a dyn Fn(&str) -> Option<String>,
    out: String,
}

impl Explainer<'_> {
    fn paint(&self, code: &str, text: &str) -> String {
        self.layout.style.paint(code, text)
    }

    fn markdown(&mut self, text: &str, first: &str, rest: &str) {
        let rendered = terminal::render(text, first, rest, self.layout, self.label_of);
        self.out.push_str(&rendered);
    }

    fn heading(&mut self, title: &str) {
        let heading = self.paint("1;4", title);
        let _ = write!(self.out, "\n{heading}\n");
    }

    fn steps(&mut self, steps: &Steps, indent: &str) {
        for step in steps.iter() {
            self.markdown(
                &step.text.value,
                &format!("{indent}• "),
                &format!("{indent}  "),
            );
            self.steps(&step.steps, &format!("{indent}  "));
        }
    }

    fn entry(mut self, entry: &Entry, config: Option<&Config>) -> String {
        let codes: Vec<&str> = entry.codes().iter().map(|c| c.value.as_str()).collect();
        let primary = codes.first().copied().unwrap_or_default();
        let head = format!(
            "{} {}",
            self.paint("1;36", primary),
            self.paint("1", &entry.title.value)
        );
        let _ = writeln!(self.out, "{head}");
        self.markdown(entry.summary.value.trim(), "", "");
        let mut facts = Vec::new();
        if let Some(status) = &entry.http_status {
            facts.push(format!("HTTP {}", status.value));
        }
        let category = config
            .and_then(|c| {
                c.categories()
                    .iter()
                    .find(|(k, _)| k.value == entry.category.value)
            })
            .map_or(entry.category.value.clone(), |(_, c)| c.title.value.clone());
        facts.push(category);
        match entry.retryable {
            Some(true) => facts.push("retrying can succeed".into()),
            Some(false) => facts.push("retrying will not help".into()),
            None => {}
        }
        if codes.len() > 1 {
            facts.push(format!("also returned as {}", codes[1..].join(", ")));
        }
        match entry.status() {
            Status::Active => {}
            Status::Deprecated => facts.push("deprecated".into()),
            Status::Removed => facts.push(match &entry.removed_in {
                Some(version) => format!("removed in {}", version.value.trim()),
                None => "removed".into(),
            }),
        }
        if let Some(replaced_by) = &entry.replaced_by {
            facts.push(format!("replaced by {}", replaced_by.value));
        }
        let facts = self.paint("2", &facts.join(" · "));
        let _ = writeln!(self.out, "{facts}");
        if let Some(description) = &entry.description {
            self.heading("Description");
            self.markdown(&description.value, "  ", "  ");
        }
        for variant in entry.variants() {
            let heading = format!(
                "Variant {}: {}",
                variant.kind.value,
                variant.title.value.trim()
            );
            self.heading(&heading);
            self.markdown(variant.summary.value.trim(), "  ", "  ");
            for list in variant.causes.iter().map(|c| &c.value).chain(
                variant
                    .solutions
                    .iter()
                    .flat_map(|s| s.value.groups().into_iter().map(|(_, l)| l)),
            ) {
                self.steps(list, "  ");
            }
        }
        if let Some(causes) = &entry.causes {
            self.heading("Possible causes");
            self.steps(&causes.value, "  ");
        }
        if let Some(solutions) = &entry.solutions {
            self.heading("Solutions");
            match &solutions.value {
                Solutions::List(steps) => self.steps(steps, "  "),
                Solutions::ByAudience(groups) => {
                    for (audience, steps) in groups {
                        let title = config
                            .and_then(|c| {
                                c.audiences()
                                    .iter()
                                    .find(|(k, _)| k.value == audience.value)
                            })
                            .map_or(audience.value.clone(), |(_, t)| t.value.clone());
                        let title = self.paint("1", &title);
                        let _ = writeln!(self.out, "  {title}");
                        self.steps(steps, "    ");
                    }
                }
            }
        }
        self.examples(entry);
        self.references(entry, config, primary);
        self.out
    }

    fn examples(&mut self, entry: &Entry) {
        let Some(examples) = &entry.examples else {
            return;
        };
        self.heading("Examples");
        for example in &examples.value {
            let mut caption = example
                .title
                .as_ref()
                .map_or(String::new(), |t| t.value.clone());
            if let Some(language) = &example.language {
                caption = format!("{caption} ({})", language.value).trim().to_owned();
            }
            if !caption.is_empty() {
                let _ = writeln!(self.out, "  {caption}");
            }
            for line in example.body.value.trim_end().lines() {
                let line = self.paint("2", line);
                let _ = writeln!(self.out, "      {line}");
            }
        }
    }

    fn references(&mut self, entry: &Entry, config: Option<&Config>, primary: &str) {
        if let Some(related) = &entry.related {
            self.heading("Related");
            for code in &related.value {
                let label =
                    (self.label_of)(code.value.as_str()).unwrap_or_else(|| code.value.to_string());
                let _ = writeln!(self.out, "  {label}");
            }
        }
        if let Some(links) = &entry.links {
            self.heading("Further reading");
            for link in &links.value {
                let url = self.paint("4", &link.url.value);
                let _ = writeln!(self.out, "  {}: {url}", link.title.value);
            }
        }
        if let Some(config) = config {
            let url = config.absolute_url(&crate::layout::entry_dir(primary));
            let line = self.paint("2", &format!("Online: {url}"));
            let _ = write!(self.out, "\n{line}\n");
        }
    }
}

/// A rule's explanation, or the closest rule name when there is no such rule.
pub fn explain_rule(name: &str, layout: Layout) -> Result<String, Option<String>> {
    let Some(rule) = Rule::from_name(name) else {
        return Err(suggest::closest(name, Rule::ALL.iter().map(|r| r.name())).map(str::to_owned));
    };
    let head = format!(
        "{} {}",
        layout.style.paint("1", rule.name()),
        layout
            .style
            .paint("2", &format!("({} by default)", rule.severity().as_str()))
    );
    let body = terminal::render(rule.explanation(), "", "", layout, &|_| None);
    Ok(format!("{head}\n\n{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Style;

    fn layout() -> Layout {
        Layout {
            style: Style::PLAIN,
            width: 60,
        }
    }

    #[test]
    fn closest_codes_prefer_small_edits() {
        let codes = ["400", "401", "429", "500", "503", "other"];
        assert_eq!(
            closest_codes("428", codes.into_iter()),
            ["429", "400", "401"]
        );
    }

    #[test]
    fn rules_explain_themselves_and_misspellings_get_a_suggestion() {
        let text = explain_rule("unknown-key", layout()).unwrap();
        assert!(
            text.starts_with("unknown-key (error by default)\n\nThe key is not part of the format"),
            "{text}"
        );
        assert_eq!(
            explain_rule("unknown-kye", layout()),
            Err(Some("unknown-key".into()))
        );
    }
}
