//! The host names `serve` answers to: `localhost` (and names under it), the
//! address it listens on, and the `--host` it was given. A request naming any
//! other host is refused, so a page on another site cannot read the preview
//! by pointing a domain of its own at 127.0.0.1 (DNS rebinding), as Vite and
//! webpack-dev-server refuse it.

use std::net::{IpAddr, SocketAddr};

/// The names and addresses the server answers to.
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    /// `--host` as given, lowercased, without brackets.
    given: String,
    /// The address the server listens on.
    bound: IpAddr,
}

impl Hosts {
    /// The body of the answer to a request for another host.
    pub(crate) const REFUSAL: &'static str = "errdex serve answers only requests for its own \
        address and localhost; this request named another host. Open the address errdex serve printed.\n";

    /// The hosts of a server started with `--host given`, listening on `bound`.
    pub(crate) fn new(given: &str, bound: SocketAddr) -> Self {
        Self {
            given: normalize(given),
            bound: bound.ip(),
        }
    }

    /// Whether a request whose `Host` header is `header` (`name`,
    /// `name:port`, `[v6]:port`) is for this server.
    pub(crate) fn allows(&self, header: &str) -> bool {
        let name = normalize(strip_port(header.trim()));
        if name.is_empty() {
            return false;
        }
        if name == "localhost" || name.ends_with(".localhost") || name == self.given {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => {
                ip == self.bound
                    || self.bound.is_unspecified()
                    || (ip.is_loopback() && self.bound.is_loopback())
            }
            Err(_) => false,
        }
    }
}

/// `host:port` without its port; `[v6]:port` as `[v6]`.
fn strip_port(header: &str) -> &str {
    if header.starts_with('[') {
        return header.find(']').map_or(header, |end| &header[..=end]);
    }
    match header.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => header,
    }
}

/// Lowercase, without the brackets of an IPv6 literal or a final dot.
fn normalize(name: &str) -> String {
    name.trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_answers_its_own_names_only() {
        let hosts = Hosts::new("127.0.0.1", "127.0.0.1:8090".parse().unwrap());
        for ok in [
            "127.0.0.1:8090",
            "127.0.0.1",
            "localhost:8090",
            "LOCALHOST",
            "docs.localhost:8090",
            "[::1]:8090",
            "localhost.",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example:8090",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "192.168.1.20:8090",
            "",
            ":8090",
        ] {
            assert!(!hosts.allows(refused), "{refused}");
        }
    }

    #[test]
    fn a_server_on_every_address_answers_any_address_but_no_other_name() {
        let hosts = Hosts::new("0.0.0.0", "0.0.0.0:8090".parse().unwrap());
        assert!(hosts.allows("192.168.1.20:8090"));
        assert!(hosts.allows("[fe80::1]:8090"));
        assert!(!hosts.allows("rebind.example:8090"));
        let named = Hosts::new("devbox.lan", "192.168.1.20:8090".parse().unwrap());
        assert!(named.allows("DevBox.lan:8090"));
        assert!(named.allows("192.168.1.20"));
        assert!(!named.allows("127.0.0.2"));
    }
}
