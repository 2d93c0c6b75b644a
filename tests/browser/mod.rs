//! Driving headless Chromium through ChromeDriver (WebDriver), for the tests
//! that need a real browser. Without `chromium` and `chromedriver` on the
//! machine, `Browser::start` says so on stderr and the test returns early;
//! `.ci/run` installs both so CI always runs them.
#![allow(dead_code)]

use std::io::Write;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

/// One browser at a time: several Chromium instances starting at once on a
/// small machine time out.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A headless Chromium session and the ChromeDriver behind it.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

fn find(candidates: &[&str]) -> Option<String> {
    candidates.iter().find_map(|name| {
        Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()
            .filter(|s| s.success())
            .map(|_| (*name).to_owned())
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Says that a test was skipped for want of a tool, where `cargo test`
/// shows it even for passing tests. Under `ERRDEX_NO_SKIP` (set by
/// `.ci/run`) a skip fails the test instead: CI installs every tool, and a
/// failed install must not pass unseen.
pub fn skip(test: &str, why: &str) {
    if std::env::var_os("ERRDEX_NO_SKIP").is_some_and(|v| !v.is_empty()) {
        panic!("{test} would be skipped, and ERRDEX_NO_SKIP forbids it: {why}");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium, or returns `None` (after
    /// saying why) when they are not installed.
    pub async fn start(test: &str) -> Option<Browser> {
        let chrome = std::env::var("CHROME")
            .ok()
            .or_else(|| find(&["chromium", "chromium-browser", "google-chrome"]));
        let driver_bin = find(&["chromedriver"]);
        let (Some(chrome), Some(driver_bin)) = (chrome, driver_bin) else {
            skip(
                test,
                "needs chromium and chromedriver (apt-get install chromium chromium-driver; .ci/run installs them)",
            );
            return None;
        };
        let turn = ONE_AT_A_TIME.lock().await;
        let port = free_port();
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chrome_path(&chrome),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display())
                ]
            }),
        );
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Some(Browser {
            client,
            driver,
            _profile: profile,
            _turn: turn,
        })
    }

    /// Opens a URL, waits for the page's deferred scripts and loads search
    /// as the reader's first visit to the search box does.
    pub async fn open(&self, url: &str) {
        self.open_only(url).await;
        self.eval("window.errdexLoadSearch(); return true;").await;
        self.wait_for("!!(window.errdexSearch && window.errdexSearch.run)")
            .await;
    }

    /// Opens a URL and waits for the page's deferred scripts, as a reader
    /// who has not touched search yet sees it.
    pub async fn open_only(&self, url: &str) {
        self.client.goto(url).await.unwrap();
        self.wait_for("document.readyState === 'complete' && !!window.errdexReady")
            .await;
    }

    /// Runs JavaScript returning a promise, and returns what it resolved to.
    pub async fn eval_async(&self, body: &str, args: Vec<Value>) -> Value {
        let script = format!(
            "const done = arguments[arguments.length - 1]; const args = Array.from(arguments).slice(0, -1);\
             Promise.resolve().then(() => {{ {body} }}).then(done, e => done({{ error: String(e) }}));"
        );
        self.client.execute_async(&script, args).await.unwrap()
    }

    /// Runs JavaScript and returns its value.
    pub async fn eval(&self, body: &str) -> Value {
        self.client.execute(body, vec![]).await.unwrap()
    }

    /// Waits until a JavaScript expression is true.
    pub async fn wait_for(&self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let value = self
                .client
                .execute(&format!("return !!({condition});"), vec![])
                .await;
            if matches!(value, Ok(Value::Bool(true))) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {condition}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Console messages at level SEVERE since the last call (errors and failed loads).
    pub async fn console_errors(&self) -> Vec<String> {
        let logs = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .unwrap_or(Value::Null);
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn chrome_path(name: &str) -> String {
    if name.contains('/') {
        return name.to_owned();
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| name.to_owned())
}

/// ChromeDriver's (non-standard) endpoint for the browser console log.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// A file:// URL for a path.
pub fn file_url(path: &std::path::Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}
