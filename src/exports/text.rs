//! Text exports for people and language models: each entry as a markdown
//! page (`errors/{code}.md`), `llms.txt` (an index per the llms.txt proposal)
//! and `llms-full.txt` (every entry in full).

use std::fmt::Write as _;

use crate::entry::{Solutions, Status, Steps};
use crate::markdown;
use crate::site::{self, Site, SiteEntry};

/// The absolute URL of a code's page and its "code title" label.
fn resolver(site: &Site) -> impl Fn(&str) -> Option<(String, String)> + '_ {
    move |code: &str| {
        let card = site.card_of(code)?;
        Some((
            site.config.absolute_url(&card.dir()),
            format!("{code} {}", card.title),
        ))
    }
}

fn steps(
    out: &mut String,
    list: &Steps,
    depth: usize,
    resolve: &dyn Fn(&str) -> Option<(String, String)>,
) {
    for step in list.iter() {
        let text = markdown::rewrite_code_links(&step.text.value, resolve);
        let indent = "  ".repeat(depth);
        let mut lines = text.trim().lines();
        if let Some(first) = lines.next() {
            let _ = writeln!(out, "{indent}- {first}");
        }
        for line in lines {
            let _ = writeln!(out, "{indent}  {line}");
        }
        steps(out, &step.steps, depth + 1, resolve);
    }
}

/// One entry as a standalone markdown document, with absolute links.
pub fn entry_markdown(site: &Site, e: &SiteEntry) -> String {
    entry_markdown_at(site, e, 1)
}

/// One entry as markdown whose title is a heading of `level`.
fn entry_markdown_at(site: &Site, e: &SiteEntry, level: usize) -> String {
    let h2 = "#".repeat(level + 1);
    let h3 = "#".repeat(level + 2);
    let resolve = resolver(site);
    let entry = &e.entry;
    let mut out = format!(
        "{} {} {}\n\n> {}\n\n",
        "#".repeat(level),
        e.code,
        e.title(),
        entry.summary.value.trim()
    );
    let category = site.category(e.category).category.title.value.as_str();
    let mut facts = vec![format!("- Code: `{}`", e.code)];
    if !e.aliases.is_empty() {
        let aliases: Vec<String> = e.aliases.iter().map(|a| format!("`{a}`")).collect();
        facts.push(format!("- Also returned as: {}", aliases.join(", ")));
    }
    facts.push(format!("- Category: {category}"));
    if let Some(status) = &entry.http_status {
        facts.push(format!("- HTTP status: {}", status.value));
    }
    match entry.retryable {
        Some(true) => facts.push("- Retryable: yes".into()),
        Some(false) => facts.push("- Retryable: no".into()),
        None => {}
    }
    match entry.status() {
        Status::Active => {}
        Status::Deprecated => facts.push("- Status: deprecated".into()),
        Status::Removed => facts.push(match &entry.removed_in {
            Some(version) => format!("- Status: removed in {}", version.value.trim()),
            None => "- Status: removed".into(),
        }),
    }
    if let Some((url, label)) = entry
        .replaced_by
        .as_ref()
        .and_then(|r| resolve(r.value.as_str()))
    {
        facts.push(format!("- Replaced by: [{label}]({url})"));
    }
    if let Some(since) = &entry.since {
        facts.push(format!("- Since: {}", since.value.trim()));
    }
    if let Some(reviewed) = &entry.reviewed {
        facts.push(format!("- Last reviewed: {}", reviewed.value.trim()));
    }
    facts.push(format!(
        "- Page: {}",
        site.config.absolute_url(&site::entry_dir(&e.code))
    ));
    out.push_str(&facts.join("\n"));
    out.push('\n');
    if let Some(description) = &entry.description {
        let _ = write!(
            out,
            "\n{h2} Description\n\n{}\n",
            markdown::rewrite_code_links(description.value.trim(), &resolve)
        );
    }
    if let Some(variants) = &entry.variants {
        let _ = write!(out, "\n{h2} Variants\n");
        for v in &variants.value {
            let _ = write!(
                out,
                "\n{h3} `{}`: {}\n\n{}\n",
                v.kind.value,
                v.title.value.trim(),
                v.summary.value.trim()
            );
            if let Some(description) = &v.description {
                let _ = write!(
                    out,
                    "\n{}\n",
                    markdown::rewrite_code_links(description.value.trim(), &resolve)
                );
            }
            if let Some(causes) = &v.causes {
                out.push_str("\nPossible causes:\n\n");
                steps(&mut out, &causes.value, 0, &resolve);
            }
            if let Some(solutions) = &v.solutions {
                out.push_str("\nSolutions:\n\n");
                for (_, list) in solutions.value.groups() {
                    steps(&mut out, list, 0, &resolve);
                }
            }
        }
    }
    if let Some(causes) = &entry.causes {
        let _ = write!(out, "\n{h2} Possible causes\n\n");
        steps(&mut out, &causes.value, 0, &resolve);
    }
    if let Some(solutions) = &entry.solutions {
        let _ = write!(out, "\n{h2} Solutions\n\n");
        match &solutions.value {
            Solutions::List(list) => steps(&mut out, list, 0, &resolve),
            Solutions::ByAudience(groups) => {
                for (key, title) in site.config.audiences() {
                    if let Some((_, list)) = groups.iter().find(|(k, _)| k.value == key.value) {
                        let _ = write!(out, "{h3} {}\n\n", title.value);
                        steps(&mut out, list, 0, &resolve);
                        out.push('\n');
                    }
                }
            }
        }
    }
    if let Some(examples) = &entry.examples {
        let _ = writeln!(out, "\n{h2} Examples");
        for example in &examples.value {
            let title = example
                .title
                .as_ref()
                .map_or("Example", |t| t.value.as_str());
            let language = example.language.as_ref().map_or("", |l| l.value.as_str());
            let body = example.body.value.trim_end();
            let fence = if body.contains("```") { "~~~~" } else { "```" };
            let _ = write!(
                out,
                "\n{h3} {title}\n\n{fence}{language}\n{body}\n{fence}\n"
            );
        }
    }
    if let Some(related) = &entry.related {
        let _ = write!(out, "\n{h2} Related codes\n\n");
        for code in &related.value {
            if let Some((url, label)) = resolve(code.value.as_str()) {
                let _ = writeln!(out, "- [{label}]({url})");
            }
        }
    }
    if let Some(links) = &entry.links {
        let _ = write!(out, "\n{h2} Further reading\n\n");
        for link in &links.value {
            let _ = writeln!(out, "- [{}]({})", link.title.value, link.url.value);
        }
    }
    out
}

/// `llms.txt`: the site's title and summary, then every code with its
/// summary, grouped by category, linking to the markdown page of each.
pub fn llms_txt(site: &Site) -> String {
    let config = &site.config;
    let mut out = format!("# {}\n\n", config.title());
    if let Some(description) = &config.file.description {
        let _ = write!(out, "> {}\n\n", description.value.trim());
    }
    if let Some(intro) = &config.file.intro {
        let _ = write!(out, "{}\n\n", markdown::plain_text(&intro.value));
    }
    out.push_str(
        "Each code links to its page as markdown; the HTML page is the same URL without `.md`.\n",
    );
    for group in site.categories() {
        let _ = write!(out, "\n## {}\n\n", group.category.title.value);
        for e in group.entries {
            let url = config.absolute_url(&format!("errors/{}.md", site::url_segment(&e.code)));
            let _ = writeln!(
                out,
                "- [{} {}]({url}): {}",
                e.code,
                e.title(),
                e.entry.summary.value.trim()
            );
        }
    }
    let _ = write!(
        out,
        "\n## Optional\n\n- [Every entry in full]({}): all entries as markdown, in one file\n- [errors.json]({}): the catalog as JSON\n",
        config.absolute_url("llms-full.txt"),
        config.absolute_url("errors.json")
    );
    out
}

/// `llms-full.txt`: every entry in full, as markdown.
pub fn llms_full_txt(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let config = &site.config;
    write!(out, "# {}\n\n", config.title())?;
    if let Some(description) = &config.file.description {
        write!(out, "> {}\n\n", description.value.trim())?;
    }
    for e in &site.entries {
        out.write_all(entry_markdown_at(site, e, 2).as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
