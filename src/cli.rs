//! The command line: clap definitions, and the one place that prints results
//! and decides exit codes (0 success, 1 content errors, 2 usage or I/O errors).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostics::{self, Diagnostic, Style, Tally};
use crate::publish::{self, BuildError, BuildOptions};

/// errdex: a static-site generator for API error-code references.
#[derive(Debug, Parser)]
#[command(name = "errdex", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text with the source line (on stderr).
    Human,
    /// One JSON object per line (on stdout): rule, severity, file, line, column, end, message, hint.
    Json,
    /// GitHub Actions workflow commands (on stdout), annotating pull requests.
    Github,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/ in the site root).
    Build {
        /// The site root (the folder with errdex.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; replaced only when the build succeeds.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Build into an output folder errdex did not build; the files already there are kept.
        #[arg(long)]
        force: bool,
        /// Publish under this URL instead of `base_url` from errdex.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Print the time of each phase (load, validate, render, search, exports, swap).
        #[arg(long)]
        timings: bool,
        /// Add each entry's last change from git history ("Last updated", errors.json, sitemap).
        #[arg(long)]
        git_dates: bool,
        /// Judge stale entries (`review_after_days`) as of this day, YYYY-MM-DD [default: today].
        #[arg(long, value_parser = parse_day)]
        today: Option<i64>,
    },
    /// Build the site into a private folder, serve it, and rebuild and reload on every change.
    #[cfg(feature = "serve")]
    Serve {
        /// The site root (the folder with errdex.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; 127.0.0.1 keeps the preview private to this machine.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// The port [default: 8090, or the next free one]; 0 picks any free port.
        #[arg(long)]
        port: Option<u16>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Write content/errors/CODE.yaml from a commented template.
    New {
        /// The new code.
        code: String,
        /// Its title (default: the HTTP reason phrase for HTTP codes).
        #[arg(long)]
        title: Option<String>,
        /// Its category (default: `client` for 4xx, `server` for 5xx, else the first category).
        #[arg(long)]
        category: Option<String>,
        /// The site root (the folder with errdex.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site in DIR (which must not exist or be empty).
    Init {
        /// Where to create the site.
        dir: PathBuf,
        /// Copy the built-in templates and stylesheet into the site, to
        /// customise them. Without it the site uses the theme built into
        /// errdex, which upgrades with errdex.
        #[arg(long)]
        theme: bool,
    },
    /// Print an entry in the terminal, or explain a rule with --rule.
    ///
    /// An argument that is no code is searched for, and the best match printed.
    #[command(group = clap::ArgGroup::new("what").required(true).args(["code", "rule"]))]
    Explain {
        /// The code to explain, or a message or words to search for.
        code: Option<String>,
        /// Explain this diagnostic rule instead, e.g. `unknown-key`.
        #[arg(long)]
        rule: Option<String>,
        /// The site root (the folder with errdex.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Search the site as its search box does: a code, a pasted error message, or words.
    Search {
        /// What to look for (several words are one query).
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// How many results to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// `human`, or `json` (one object: total and results).
        #[arg(long, value_enum, default_value_t = SearchFormat::Human)]
        format: SearchFormat,
        /// The site root (the folder with errdex.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the JSON Schema (draft 2020-12) of an entry file, or of errdex.yaml.
    #[command(group = clap::ArgGroup::new("which").args(["config", "export"]))]
    Schema {
        /// The schema of errdex.yaml instead of an entry's.
        #[arg(long)]
        config: bool,
        /// The schema of the built errors.json (its `$defs/Entry` is that of errors/{code}.json).
        #[arg(long)]
        export: bool,
    },
    /// Write the catalog as source code: constants (code, title, retryable, page URL) and a lookup function, for SDKs.
    Export {
        /// The language of the source file.
        #[arg(long, value_enum)]
        format: crate::publish::exports::constants::Language,
        /// The site root (the folder with errdex.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Replace the output file even when errdex did not write it.
        #[arg(long)]
        force: bool,
    },
    /// Turn an existing error page (Markdown or text: `## 429 Too Many Requests` or `Error Code 429` headings, then description and bullet lists) into entry files.
    Import {
        /// The page to import.
        file: PathBuf,
        /// The site root to write content/errors/ into.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace entry files that already exist.
        #[arg(long)]
        force: bool,
    },
    /// Check the content and report every problem, without building.
    Check {
        /// The site root (the folder with errdex.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Compare the catalog with the codes the API emits: an OpenAPI 3 document (JSON or YAML) or a list, one code per line.
        #[arg(long, value_name = "FILE")]
        codes_from: Option<PathBuf>,
        /// Judge stale entries (`review_after_days`) as of this day, YYYY-MM-DD [default: today].
        #[arg(long, value_parser = parse_day)]
        today: Option<i64>,
    },
}

impl Command {
    /// Whether the command runs until it is stopped (`serve`) rather than
    /// doing one job and exiting.
    pub fn runs_until_stopped(&self) -> bool {
        #[cfg(feature = "serve")]
        if matches!(self, Command::Serve { .. }) {
            return true;
        }
        false
    }
}

fn parse_day(text: &str) -> Result<i64, String> {
    crate::content::date::parse(text)
        .ok_or_else(|| format!("`{text}` is not a date written YYYY-MM-DD"))
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build {
            root,
            output,
            force,
            base_url,
            strict,
            format,
            timings,
            git_dates,
            today,
        } => {
            let output = output.unwrap_or_else(|| default_output(&root));
            let options = BuildOptions {
                base_url,
                strict,
                force,
                git_dates,
                today,
                ..BuildOptions::new(root, output)
            };
            run_build(&options, format, timings)
        }
        Command::Check {
            root,
            format,
            strict,
            codes_from,
            today,
        } => run_check(root, format, strict, codes_from.as_deref(), today),
        Command::New {
            code,
            title,
            category,
            root,
        } => run_new(&root, &code, title.as_deref(), category.as_deref()),
        Command::Init { dir, theme } => run_init(&dir, theme),
        Command::Export {
            format,
            root,
            output,
            force,
        } => run_export(&root, format, output.as_deref(), force),
        Command::Import { file, root, force } => run_import(&file, &root, force),
        #[cfg(feature = "serve")]
        Command::Serve {
            root,
            host,
            port,
            open,
        } => {
            let options = crate::commands::serve::ServeOptions {
                root,
                host,
                port: port.unwrap_or(8090),
                port_given: port.is_some(),
                open,
            };
            match crate::commands::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => usage_error(&error.to_string()),
            }
        }
        Command::Search {
            query,
            limit,
            format,
            root,
        } => run_search(&root, &query.join(" "), limit, format),
        Command::Explain { code, rule, root } => {
            run_explain(&root, code.as_deref(), rule.as_deref())
        }
        Command::Schema { config, export } => {
            let schema = if config {
                crate::content::schema::config_schema()
            } else if export {
                crate::publish::exports::export_schema()
            } else {
                crate::content::schema::entry_schema()
            };
            print!("{}", crate::content::schema::to_pretty(schema));
            ExitCode::SUCCESS
        }
    }
}

fn run_new(
    root: &std::path::Path,
    code: &str,
    title: Option<&str>,
    category: Option<&str>,
) -> ExitCode {
    match crate::commands::scaffold::new_entry(root, code, title, category) {
        Ok(path) => {
            let style = stderr_style();
            let _ = writeln!(
                std::io::stderr(),
                "{}: wrote {}; fill in the TODOs, then `errdex check`",
                style.paint("1;32", "errdex"),
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => usage_error(&error.to_string()),
    }
}

fn run_export(
    root: &std::path::Path,
    language: crate::publish::exports::constants::Language,
    output: Option<&std::path::Path>,
    force: bool,
) -> ExitCode {
    if let Some(path) = output.filter(|path| !force && !replaceable_export(path)) {
        return usage_error(&format!(
            "{} exists and errdex did not write it; nothing was written (use --force to replace it)",
            path.display()
        ));
    }
    let checked = match publish::check(root) {
        Ok(checked) => checked,
        Err(error) => return usage_error(&error.to_string()),
    };
    let Some(site) = checked.site else {
        report(&checked.diagnostics, Format::Human, root);
        let _ = writeln!(
            std::io::stderr(),
            "error: the content has errors; nothing was exported"
        );
        return ExitCode::from(1);
    };
    let source = crate::publish::exports::constants::write(&site, language);
    match output {
        Some(path) => match std::fs::write(path, source) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => usage_error(&format!("cannot write {}: {error}", path.display())),
        },
        None => {
            print!("{source}");
            ExitCode::SUCCESS
        }
    }
}

fn run_import(file: &std::path::Path, root: &std::path::Path, force: bool) -> ExitCode {
    let report = match crate::commands::import::import(file, root, force) {
        Ok(report) => report,
        Err(crate::commands::import::ImportError::Unreadable(problem)) => {
            report(std::slice::from_ref(&*problem), Format::Human, root);
            return usage_error(&format!("{} cannot be imported", file.display()));
        }
        Err(error) => return usage_error(&error.to_string()),
    };
    let style = stderr_style();
    let mut stderr = std::io::stderr();
    for path in &report.written {
        let _ = writeln!(stderr, "  wrote {}", path.display());
    }
    for note in &report.unmapped {
        let _ = writeln!(
            stderr,
            "{}: {}:{}: {}",
            style.paint("1;33", "not mapped"),
            file.display(),
            note.line,
            note.text
        );
    }
    let _ = writeln!(
        stderr,
        "{}: imported {} entries from {}{}; review them, then `errdex check`",
        style.paint("1;32", "errdex"),
        report.written.len(),
        file.display(),
        if report.unmapped.is_empty() {
            String::new()
        } else {
            format!(
                " ({} lines not mapped, listed above)",
                report.unmapped.len()
            )
        }
    );
    ExitCode::SUCCESS
}

fn run_init(dir: &std::path::Path, theme: bool) -> ExitCode {
    match crate::commands::scaffold::init_site(dir, theme) {
        Ok(files) => {
            let style = stderr_style();
            let _ = writeln!(
                std::io::stderr(),
                "{}: created a site with {} files in {}; try `errdex build --root {}`",
                style.paint("1;32", "errdex"),
                files.len(),
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => usage_error(&error.to_string()),
    }
}

/// How `errdex search` prints results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SearchFormat {
    /// Code, title, summary and page of each result.
    Human,
    /// One JSON object: `total` and `results`.
    Json,
}

/// The site at `root`, or the exit code of why there is none.
fn valid_site(root: &std::path::Path) -> Result<crate::site::Site, ExitCode> {
    let checked = match crate::publish::check(root) {
        Ok(checked) => checked,
        Err(error) => return Err(usage_error(&error.to_string())),
    };
    let errors = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_fatal(false))
        .count();
    checked.site.ok_or_else(|| {
        let style = stderr_style();
        let _ = writeln!(
            std::io::stderr(),
            "{}: the content has {errors} {}; `errdex check` shows {}",
            style.paint("1;31", "error"),
            if errors == 1 { "error" } else { "errors" },
            if errors == 1 { "it" } else { "them" },
        );
        ExitCode::from(1)
    })
}

fn run_search(root: &std::path::Path, query: &str, limit: usize, format: SearchFormat) -> ExitCode {
    let site = match valid_site(root) {
        Ok(site) => site,
        Err(code) => return code,
    };
    let results = crate::commands::search::search(&site, query, limit);
    match format {
        SearchFormat::Human => print!(
            "{}",
            crate::commands::search::human(
                &results,
                Style::detect(std::io::stdout().is_terminal())
            )
        ),
        SearchFormat::Json => println!(
            "{}",
            serde_json::to_string(&results).expect("results serialize")
        ),
    }
    if results.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_explain(root: &std::path::Path, code: Option<&str>, rule: Option<&str>) -> ExitCode {
    let layout =
        crate::commands::terminal::Layout::detect(Style::detect(std::io::stdout().is_terminal()));
    if let Some(rule) = rule {
        return match crate::commands::explain::explain_rule(rule, layout) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(closest) => {
                let hint = closest.map_or_else(
                    || {
                        "`errdex check` prints rule names in brackets, e.g. error[unknown-key]"
                            .to_owned()
                    },
                    |c| format!("did you mean `{c}`?"),
                );
                usage_error(&format!("there is no rule `{rule}`; {hint}"))
            }
        };
    }
    let code = code.unwrap_or_default();
    let loaded = match crate::check::load(root) {
        Ok(loaded) => loaded,
        Err(error) => return usage_error(&error.to_string()),
    };
    match crate::commands::explain::explain_code(&loaded, code, layout) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(unknown) => explain_best_match(root, &loaded, unknown, layout),
    }
}

/// `errdex explain` of what is no code: the entry a search puts first, or
/// the error with the closest codes when nothing matches.
fn explain_best_match(
    root: &std::path::Path,
    loaded: &crate::check::Loaded,
    unknown: crate::commands::explain::UnknownCode,
    layout: crate::commands::terminal::Layout,
) -> ExitCode {
    match best_match(root, &unknown.code) {
        Some((best, total)) => {
            let text = crate::commands::explain::explain_code(loaded, &best, layout)
                .expect("a search result is an entry's code");
            let style = stderr_style();
            let others = match total {
                1 => String::new(),
                n => format!("; {n} entries match, `errdex search` lists them"),
            };
            let _ = writeln!(
                std::io::stderr(),
                "{}: no entry has the code `{}`; below is the best search match{others}",
                style.paint("1;36", "note"),
                crate::diagnostics::printable(&unknown.code),
            );
            print!("{text}");
            ExitCode::SUCCESS
        }
        None => {
            let style = stderr_style();
            let mut stderr = std::io::stderr();
            let _ = writeln!(stderr, "{}: {unknown}", style.paint("1;31", "error"));
            if !unknown.closest.is_empty() {
                let _ = writeln!(
                    stderr,
                    "  = help: the closest codes are {}",
                    unknown.closest.join(", ")
                );
            }
            ExitCode::from(1)
        }
    }
}

/// The code of the entry a search for `query` puts first, and how many
/// entries match; `None` when nothing matches or the content has errors.
fn best_match(root: &std::path::Path, query: &str) -> Option<(String, usize)> {
    let site = crate::publish::check(root).ok()?.site?;
    let results = crate::commands::search::search(&site, query, 1);
    let best = results.results.into_iter().next()?;
    Some((best.code, results.total))
}

/// Whether `export -o` may write `path`: nothing is there, or a file whose
/// first line says `errdex export` wrote it.
fn replaceable_export(path: &std::path::Path) -> bool {
    use std::io::Read;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return true;
    };
    let mut head = [0u8; 512];
    let read = meta
        .is_file()
        .then(|| std::fs::File::open(path).and_then(|mut f| f.read(&mut head)))
        .and_then(Result::ok);
    read.is_some_and(|n| {
        let text = String::from_utf8_lossy(&head[..n]);
        text.lines()
            .next()
            .is_some_and(|line| line.contains(crate::publish::exports::constants::GENERATED_MARK))
    })
}

/// `public/` in the site root; shown as `public` when the root is the working directory.
fn default_output(root: &std::path::Path) -> PathBuf {
    if root == std::path::Path::new(".") {
        PathBuf::from(crate::layout::OUTPUT_DIR)
    } else {
        root.join(crate::layout::OUTPUT_DIR)
    }
}

fn run_check(
    root: PathBuf,
    format: Format,
    strict: bool,
    codes_from: Option<&std::path::Path>,
    today: Option<i64>,
) -> ExitCode {
    let mut options = publish::CheckOptions::default();
    if let Some(today) = today {
        options.today = today;
    }
    if let Some(path) = codes_from {
        match crate::check::coverage::read(path, &path.display().to_string()) {
            Ok(emitted) => options.emitted = Some(emitted),
            Err(crate::check::coverage::CoverageError::Parse(diagnostic)) => {
                report(std::slice::from_ref(&diagnostic), format, &root);
                return usage_error(&format!(
                    "{} cannot be read as a list of codes or an OpenAPI document",
                    path.display()
                ));
            }
            Err(error) => return usage_error(&error.to_string()),
        }
    }
    let checked = match publish::check_with(&root, &options) {
        Ok(checked) => checked,
        Err(error) => return usage_error(&error.to_string()),
    };
    report(&checked.diagnostics, format, &root);
    let tally = Tally::of(&checked.diagnostics);
    let entries = checked.site.as_ref().map(|s| s.entries.len());
    if format == Format::Human {
        let style = stderr_style();
        let what = match entries {
            Some(n) => format!("checked {n} {}", if n == 1 { "entry" } else { "entries" }),
            None => "checked".to_owned(),
        };
        let _ = writeln!(
            std::io::stderr(),
            "{}: {what}: {tally}",
            style.paint("1", "errdex")
        );
    }
    let code = if checked.has_fatal(strict) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    publish::drop_aside(checked);
    code
}

fn run_build(options: &BuildOptions, format: Format, timings: bool) -> ExitCode {
    let style = stderr_style();
    let mut stderr = std::io::stderr();
    match publish::build(options) {
        Ok(done) => {
            report(&done.diagnostics, format, &options.root);
            if done.recovered {
                let _ = writeln!(
                    stderr,
                    "{}: an earlier build of {} was interrupted while it swapped the output; errdex put that right first",
                    style.paint("1;33", "note"),
                    options.output.display()
                );
            }
            report_kept(&done.kept, &options.output);
            let t = done.timings;
            let total = done.elapsed;
            if timings {
                let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
                let _ = writeln!(
                    stderr,
                    "timings (ms): load {:.1}, validate {:.1}, then side by side: render {:.1}, search {:.1}, exports {:.1}; swap {:.1}",
                    ms(t.load),
                    ms(t.validate),
                    ms(t.render),
                    ms(t.search),
                    ms(t.exports),
                    ms(t.swap)
                );
            }
            let _ = writeln!(
                stderr,
                "{}: built {} {} ({} files) into {} in {:.2}s",
                style.paint("1;32", "errdex"),
                done.entries,
                if done.entries == 1 {
                    "entry"
                } else {
                    "entries"
                },
                done.files,
                options.output.display(),
                total.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(diagnostics)) => {
            report(&diagnostics, format, &options.root);
            let _ = writeln!(
                stderr,
                "{}: build failed with {}; {} was left untouched",
                style.paint("1;31", "error"),
                Tally::of(&diagnostics),
                options.output.display()
            );
            ExitCode::from(1)
        }
        Err(error) => usage_error(&format!(
            "{error}; {} was left untouched",
            options.output.display()
        )),
    }
}

/// Lists the files of the output that errdex did not write (at most 20, then a count).
fn report_kept(kept: &[PathBuf], output: &std::path::Path) {
    const SHOWN: usize = 20;
    if kept.is_empty() {
        return;
    }
    let style = stderr_style();
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(
        stderr,
        "{}: {} holds {} {} errdex did not write; kept in place (to publish files with the site, put them in static/):",
        style.paint("1;33", "warning"),
        output.display(),
        kept.len(),
        if kept.len() == 1 { "file" } else { "files" }
    );
    for path in kept.iter().take(SHOWN) {
        let shown = output.join(path).display().to_string();
        let _ = writeln!(stderr, "  {}", diagnostics::printable(&shown));
    }
    if kept.len() > SHOWN {
        let _ = writeln!(stderr, "  … and {} more", kept.len() - SHOWN);
    }
}

/// Prints diagnostics in the chosen format.
fn report(diagnostics: &[Diagnostic], format: Format, root: &std::path::Path) {
    match format {
        Format::Human => {
            let style = stderr_style();
            let mut stderr = std::io::stderr().lock();
            for d in diagnostics {
                let _ = writeln!(stderr, "{}", diagnostics::render_human(d, style));
            }
        }
        Format::Json => {
            let mut stdout = std::io::stdout().lock();
            for d in diagnostics {
                let _ = writeln!(stdout, "{}", diagnostics::render_json(d));
            }
        }
        Format::Github => {
            let prefix = github_prefix(root);
            let mut stdout = std::io::stdout().lock();
            for d in diagnostics {
                let _ = writeln!(stdout, "{}", diagnostics::render_github(d, &prefix));
            }
        }
    }
}

/// The site root as a path prefix relative to the working directory, so
/// GitHub finds the files when the site is a sub-folder of the repository.
fn github_prefix(root: &std::path::Path) -> String {
    if root.is_absolute() {
        let cwd = std::env::current_dir().ok();
        if let Some(relative) = cwd.as_deref().and_then(|cwd| root.strip_prefix(cwd).ok()) {
            return slash_prefix(relative);
        }
        return slash_prefix(root);
    }
    slash_prefix(root)
}

fn slash_prefix(path: &std::path::Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::ParentDir
            )
        })
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    }
}

fn stderr_style() -> Style {
    Style::detect(std::io::stderr().is_terminal())
}

fn usage_error(message: &str) -> ExitCode {
    let style = stderr_style();
    let _ = writeln!(
        std::io::stderr(),
        "{}: {message}",
        style.paint("1;31", "error")
    );
    ExitCode::from(2)
}
