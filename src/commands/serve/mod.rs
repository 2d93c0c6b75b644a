//! `errdex serve`: builds the site into a private folder, serves it on
//! 127.0.0.1, rebuilds on every change, and tells open pages to reload — or
//! shows them the problems, while the last good site stays served.

mod hosts;
mod http;
pub mod incremental;
mod watch;

use std::io::{IsTerminal, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::commands::serve::incremental::{Incremental, RebuildError, Rebuilt};
use crate::diagnostics::{self, Diagnostic, Style, Tally};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root.
    pub root: PathBuf,
    /// The address to listen on (127.0.0.1 unless told otherwise).
    pub host: String,
    /// The port; 0 lets the system choose.
    pub port: u16,
    /// Whether the port was asked for explicitly (then a busy port is an error).
    pub port_given: bool,
    /// Open the site in a browser once it is served.
    pub open: bool,
}

/// Why serving failed.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The site has no config.
    #[error(transparent)]
    Load(#[from] crate::content::load::LoadError),
    /// The port is taken, or the address cannot be used.
    #[error("cannot listen on {address}: {reason}")]
    Bind {
        /// host:port.
        address: String,
        /// Why.
        reason: String,
    },
    /// Anything else the operating system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What open pages are told.
#[derive(Debug, Clone)]
pub(crate) enum LiveEvent {
    /// A rebuild succeeded: reload.
    Reload,
    /// A rebuild failed: show these problems (as `--format json` objects).
    Errors(String),
    /// The server is stopping: close the stream.
    Shutdown,
}

/// The state shared by the server and the watcher.
pub(crate) struct Shared {
    pub(crate) output: PathBuf,
    pub(crate) events: broadcast::Sender<LiveEvent>,
    /// The problems of the last failed build, when the site is broken.
    pub(crate) broken: Mutex<Option<String>>,
    /// The host names requests may name.
    pub(crate) hosts: hosts::Hosts,
}

/// Serves the site until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    if !options.root.join(crate::layout::CONFIG_FILE).is_file() {
        return Err(crate::content::load::LoadError::NoConfig(options.root.clone()).into());
    }
    // The watcher reports absolute paths: a relative root (`.`, the
    // default) would match none of them.
    let root = std::fs::canonicalize(&options.root)?;
    let listener = bind(options)?;
    let address = listener.local_addr()?;
    let url = site_url(address);
    let folder = tempfile::Builder::new().prefix("errdex-serve-").tempdir()?;
    let output = folder.path().join("site");
    std::fs::create_dir_all(&output)?;
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        output: output.clone(),
        events,
        broken: Mutex::new(None),
        hosts: hosts::Hosts::new(&options.host, address),
    });
    let mut incremental = Incremental::new(&root, &output, Some(url.clone()));
    let first = incremental.full();
    report(&shared, first, "built");
    say(&format!(
        "serving at {url} (Ctrl-C stops); watching {}",
        options.root.display()
    ));
    let watcher = watch::start(&root, incremental, shared.clone())?;
    if options.open {
        let _ = open::that_detached(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(http::run(listener, shared.clone()))?;
    drop(watcher);
    say("stopped");
    drop(folder);
    Ok(())
}

/// The address to show: `localhost`-style hosts stay as typed, IPv6 gets brackets.
fn site_url(address: SocketAddr) -> String {
    match address {
        SocketAddr::V4(v4) => format!("http://{}:{}/", v4.ip(), v4.port()),
        SocketAddr::V6(v6) => format!("http://[{}]:{}/", v6.ip(), v6.port()),
    }
}

/// Binds the port, or the next free one when the default port is taken.
fn bind(options: &ServeOptions) -> Result<TcpListener, ServeError> {
    let attempts = if options.port_given || options.port == 0 {
        1
    } else {
        20
    };
    let mut last = String::new();
    for offset in 0..attempts {
        let port = options.port.saturating_add(offset);
        match TcpListener::bind((options.host.as_str(), port)) {
            Ok(listener) => {
                if offset > 0 {
                    say(&format!(
                        "port {} is busy; using port {port} instead",
                        options.port
                    ));
                }
                listener.set_nonblocking(true)?;
                return Ok(listener);
            }
            Err(error) => last = error.to_string(),
        }
    }
    let hint = if options.port_given {
        "; choose another with --port, or --port 0 for any free port"
    } else {
        ""
    };
    Err(ServeError::Bind {
        address: format!("{}:{}", options.host, options.port),
        reason: format!("{last}{hint}"),
    })
}

fn say(message: &str) {
    let style = Style::detect(std::io::stderr().is_terminal());
    let _ = writeln!(
        std::io::stderr(),
        "{}: {message}",
        style.paint("1;32", "errdex")
    );
}

/// Prints the outcome of a build and tells open pages.
pub(crate) fn report(shared: &Shared, outcome: Result<Rebuilt, RebuildError>, what: &str) {
    let style = Style::detect(std::io::stderr().is_terminal());
    let mut stderr = std::io::stderr().lock();
    match outcome {
        Ok(rebuilt) => {
            for d in &rebuilt.warnings {
                let _ = writeln!(stderr, "{}", diagnostics::render_human(d, style));
            }
            let _ = writeln!(
                stderr,
                "{}: {what}: read {} files, rendered {} pages, wrote {} files in {:.0?}",
                style.paint("1;32", "errdex"),
                rebuilt.files_read,
                rebuilt.pages_rendered,
                rebuilt.files_written,
                rebuilt.took
            );
            if let Ok(mut broken) = shared.broken.lock() {
                *broken = None;
            }
            let _ = shared.events.send(LiveEvent::Reload);
        }
        Err(RebuildError::Content(diagnostics)) => {
            for d in &diagnostics {
                let _ = writeln!(stderr, "{}", diagnostics::render_human(d, style));
            }
            let _ = writeln!(
                stderr,
                "{}: {what}: {}; still serving the last good site",
                style.paint("1;31", "error"),
                Tally::of(&diagnostics)
            );
            let json = diagnostics_json(&diagnostics);
            if let Ok(mut broken) = shared.broken.lock() {
                *broken = Some(json.clone());
            }
            let _ = shared.events.send(LiveEvent::Errors(json));
        }
        Err(RebuildError::Output(error)) => {
            let _ = writeln!(stderr, "{}: {what}: {error}", style.paint("1;31", "error"));
        }
    }
}

/// Diagnostics as a JSON array of `--format json` objects.
fn diagnostics_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<String> = diagnostics.iter().map(diagnostics::render_json).collect();
    format!("[{}]", items.join(","))
}

/// Whether `path` (relative to the served folder) stays inside it once symbolic
/// links are followed.
pub(crate) fn inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        (_, Err(_)) => true,
        (Err(_), _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(port: u16, port_given: bool) -> ServeOptions {
        ServeOptions {
            root: PathBuf::from("."),
            host: "127.0.0.1".into(),
            port,
            port_given,
            open: false,
        }
    }

    #[test]
    fn a_busy_default_port_moves_to_the_next_free_one() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let listener = bind(&options(port, false)).unwrap();
        assert_ne!(listener.local_addr().unwrap().port(), port);
        assert!(matches!(
            bind(&options(port, true)),
            Err(ServeError::Bind { .. })
        ));
    }

    #[test]
    fn urls_bracket_ipv6_addresses() {
        assert_eq!(
            site_url("127.0.0.1:8090".parse().unwrap()),
            "http://127.0.0.1:8090/"
        );
        assert_eq!(
            site_url("[::1]:8090".parse().unwrap()),
            "http://[::1]:8090/"
        );
    }
}
