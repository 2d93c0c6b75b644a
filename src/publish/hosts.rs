//! Whether a build's output fits the host named by `deploy` in errdex.yaml.

use crate::content::config::{Config, Host};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::rules::Rule;
use crate::publish::output::OutputSize;

/// What a host accepts for one site; `None` is no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files a site may have.
    pub files: Option<u64>,
    /// Whether folders count as files towards `files`.
    pub folders_count: bool,
    /// Bytes one file may have.
    pub file_bytes: Option<u64>,
    /// Bytes a whole site may have.
    pub site_bytes: Option<u64>,
}

const MIB: u64 = 1 << 20;
const GB: u64 = 1_000_000_000;

/// The published limits of `host`.
pub const fn limits(host: Host) -> Limits {
    match host {
        Host::CloudflarePages => Limits {
            files: Some(20_000),
            folders_count: false,
            file_bytes: Some(25 * MIB),
            site_bytes: None,
        },
        Host::CloudflarePagesPaid => Limits {
            files: Some(100_000),
            folders_count: false,
            file_bytes: Some(25 * MIB),
            site_bytes: None,
        },
        Host::GithubPages => Limits {
            files: None,
            folders_count: false,
            file_bytes: None,
            site_bytes: Some(GB),
        },
        Host::GitlabPages => Limits {
            files: Some(200_000),
            folders_count: true,
            file_bytes: None,
            site_bytes: Some(GB),
        },
    }
}

/// The name `deploy` takes for `host`.
pub const fn name(host: Host) -> &'static str {
    match host {
        Host::CloudflarePages => "cloudflare-pages",
        Host::CloudflarePagesPaid => "cloudflare-pages-paid",
        Host::GithubPages => "github-pages",
        Host::GitlabPages => "gitlab-pages",
    }
}

/// A `host-limit` warning, at `deploy` in errdex.yaml, for each limit of the
/// configured host that `size` exceeds.
pub fn check(config: &Config, size: &OutputSize) -> Vec<Diagnostic> {
    let Some(deploy) = config.host() else {
        return Vec::new();
    };
    let host = deploy.value;
    let limits = limits(host);
    let mut over = Vec::new();
    let files = size.files
        + if limits.folders_count {
            size.folders
        } else {
            0
        };
    if let Some(max) = limits.files.filter(|&max| files > max) {
        let what = if limits.folders_count {
            "files and folders"
        } else {
            "files"
        };
        over.push(format!(
            "the output has {files} {what}; {} takes at most {max}",
            name(host)
        ));
    }
    if let Some(max) = limits.file_bytes.filter(|&max| size.largest.1 > max) {
        over.push(format!(
            "`{}` has {} bytes; {} takes at most {max} bytes a file",
            size.largest.0,
            size.largest.1,
            name(host)
        ));
    }
    if let Some(max) = limits.site_bytes.filter(|&max| size.bytes > max) {
        over.push(format!(
            "the output has {} bytes; {} takes at most {max} bytes a site",
            size.bytes,
            name(host)
        ));
    }
    over.into_iter()
        .map(|message| {
            Diagnostic::new(Rule::HostLimit, message)
                .at(&config.source, deploy.span)
                .label("the host named here")
                .hint(HINT)
        })
        .collect()
}

const HINT: &str = "write fewer files per code (`outputs.code` in errdex.yaml), leave out \
`llms-full.txt` (`outputs.llms_full: false`), or name a host with larger limits";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_host_has_a_limit_and_its_config_name() {
        for host in [
            Host::CloudflarePages,
            Host::CloudflarePagesPaid,
            Host::GithubPages,
            Host::GitlabPages,
        ] {
            let l = limits(host);
            assert!(l.files.is_some() || l.file_bytes.is_some() || l.site_bytes.is_some());
            let parsed: Host = serde_json::from_value(serde_json::json!(name(host))).unwrap();
            assert_eq!(parsed, host);
        }
    }

    fn config(deploy: &str) -> Config {
        let text = format!(
            "title: T\nbase_url: https://example.com/\ncategories:\n  a: {{title: A}}\n{deploy}"
        );
        let source =
            crate::diagnostics::source::SourceFile::new("errdex.yaml", "errdex.yaml", text);
        let mut problems = Vec::new();
        let config = crate::content::load::parse_config(source, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        config.unwrap()
    }

    fn size(files: u64, folders: u64, bytes: u64, largest: u64) -> OutputSize {
        OutputSize {
            files,
            bytes,
            largest: ("errors.json".into(), largest),
            folders,
        }
    }

    #[test]
    fn each_limit_is_said_once_at_deploy() {
        let free = config("deploy: cloudflare-pages\n");
        assert!(check(&free, &size(20_000, 9_000, 100 * MIB, MIB)).is_empty());
        let over = check(&free, &size(20_001, 0, 100 * MIB, 26 * MIB));
        assert_eq!(over.len(), 2, "{over:?}");
        assert!(
            over[0].message.contains("20001 files"),
            "{}",
            over[0].message
        );
        assert!(
            over[1].message.contains("`errors.json`"),
            "{}",
            over[1].message
        );
        let location = over[0].location.as_ref().unwrap();
        assert_eq!(
            (location.file.as_str(), location.start.line),
            ("errdex.yaml", 5)
        );

        let gitlab = config("deploy: gitlab-pages\n");
        let over = check(&gitlab, &size(150_000, 50_001, GB, MIB));
        assert_eq!(over.len(), 1, "{over:?}");
        assert!(over[0].message.contains("files and folders"));
        assert_eq!(check(&gitlab, &size(10, 1, GB + 1, MIB)).len(), 1);

        assert!(
            check(
                &config(""),
                &size(u64::MAX / 2, 0, u64::MAX / 2, u64::MAX / 2)
            )
            .is_empty()
        );
    }
}
