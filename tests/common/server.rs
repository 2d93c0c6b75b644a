//! A real `errdex serve` process for tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `errdex serve` on a free port.
pub struct Server {
    child: Child,
    /// Its address, ending in `/`.
    pub url: String,
    site: tempfile::TempDir,
}

impl Server {
    /// Serves the site root held by `site` as its editors do: `errdex
    /// serve` from the site root, no `--root`.
    pub fn start(site: tempfile::TempDir) -> Server {
        Server::start_in(site, "", &[])
    }

    /// Serves with `errdex serve --port 0 ARGS` run in the folder `cwd`
    /// under `site` (e.g. a parent folder, with `--root` relative to it).
    pub fn start_in(site: tempfile::TempDir, cwd: &str, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_errdex"))
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(site.path().join(cwd))
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let url = loop {
            let line = receiver
                .recv_timeout(Duration::from_secs(30))
                .expect("serve prints its address");
            if let Some(rest) = line.split("serving at ").nth(1) {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        Server { child, url, site }
    }

    /// GETs a path: (status, content type, body).
    pub fn get(&self, path: &str) -> (u16, String, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut response = agent
            .get(&format!("{}{}", self.url, path.trim_start_matches('/')))
            .call()
            .unwrap();
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, kind, response.body_mut().read_to_string().unwrap())
    }

    /// The site root being served.
    pub fn root(&self) -> &std::path::Path {
        self.site.path()
    }

    /// host:port.
    pub fn address(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned()
    }

    /// Opens the event stream and returns a receiver of `event:` names with their data.
    pub fn events(&self) -> mpsc::Receiver<(String, String)> {
        let mut stream = TcpStream::connect(self.address()).unwrap();
        write!(
            stream,
            "GET /__errdex/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.address()
        )
        .unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut event = String::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_owned();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    let _ = sender.send((std::mem::take(&mut event), data.to_owned()));
                }
            }
        });
        receiver
    }

    /// Sends Ctrl-C and waits for a clean exit.
    pub fn stop(mut self) {
        #[cfg(unix)]
        {
            Command::new("kill")
                .args(["-INT", &self.child.id().to_string()])
                .status()
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if let Some(status) = self.child.try_wait().unwrap() {
                    assert!(status.success(), "serve exited with {status}");
                    return;
                }
                assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        #[cfg(not(unix))]
        self.child.kill().unwrap();
    }
}
