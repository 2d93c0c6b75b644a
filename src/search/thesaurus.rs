//! Words that say the same thing in error messages.
//!
//! Each group is a concept: every phrase of it, wherever it stands in a text
//! or a query, also stands for the concept's term (`~notfound`), so "no such
//! key" meets "the key does not exist". The built-in groups are the
//! vocabulary errors of any API share, each with the reason it is one
//! concept; they apply to English sites. A site adds its own words with
//! `synonyms` in errdex.yaml, in any language.

use rustc_hash::FxHashMap;

use super::text::{Word, analyze};

/// The built-in groups: a name, and phrases that say the same in error
/// messages.
const BUILT_IN: &[(&str, &[&str])] = &[
    // What was asked for is not there: the commonest error of all, and
    // every API words it its own way (HTTP's "not found", POSIX's "no such
    // file", SQL's "does not exist", JavaScript's "undefined").
    (
        "notfound",
        &[
            "not found",
            "no such",
            "does not exist",
            "do not exist",
            "doesn't exist",
            "not exist",
            "nonexistent",
            "non-existent",
            "unknown",
            "undefined",
            "cannot find",
            "can't find",
            "could not find",
            "couldn't find",
            "unable to find",
            "missing",
            "not present",
            "does not have",
            "doesn't have",
            "do not have",
            "don't have",
        ],
    ),
    // Something needed was left out: validation errors say "required",
    // "missing", "must be provided" or "the request lacks" for the same
    // mistake.
    (
        "required",
        &[
            "required",
            "missing",
            "must be provided",
            "must be specified",
            "must be set",
            "not provided",
            "not specified",
            "not set",
            "lacks",
            "mandatory",
            "empty",
        ],
    ),
    // It is there already: unique keys, names taken, resources created twice.
    (
        "exists",
        &[
            "already exists",
            "already exist",
            "duplicate",
            "duplicated",
            "conflict",
            "conflicts",
            "already taken",
            "already in use",
            "in use",
            "already registered",
            "already used",
            "already owned",
            "not unique",
            "unique constraint",
        ],
    ),
    // Too many requests in too little time: HTTP 429, AWS's throttling,
    // gRPC's resource exhausted, and the plain "slow down".
    (
        "throttled",
        &[
            "throttle",
            "throttled",
            "throttling",
            "rate limit",
            "rate limited",
            "rate limiting",
            "rate exceeded",
            "too many requests",
            "too many calls",
            "request rate",
            "slow down",
            "resource exhausted",
        ],
    ),
    // A limit or a quota was reached, of any kind.
    (
        "limit",
        &[
            "limit exceeded",
            "exceeds limit",
            "exceeded limit",
            "over limit",
            "quota",
            "quota exceeded",
            "maximum number",
            "max number",
            "too many",
            "limit reached",
            "reached limit",
        ],
    ),
    // Waited too long: timeouts, deadlines, gateways giving up.
    (
        "timeout",
        &[
            "timeout",
            "timed out",
            "time out",
            "deadline exceeded",
            "deadline",
            "took too long",
            "too long to respond",
            "gave up waiting",
            "no response",
            "did not respond",
            "not respond",
            "statement timeout",
            "hangs",
            "hanging",
            "hung",
            "stuck",
            "takes forever",
            "never returns",
            "never responds",
        ],
    ),
    // Known, but not allowed: permissions, policies, roles.
    (
        "denied",
        &[
            "forbidden",
            "denied",
            "access denied",
            "permission denied",
            "not permitted",
            "not allowed",
            "disallowed",
            "insufficient permissions",
            "insufficient permission",
            "insufficient privileges",
            "insufficient privilege",
            "no permission",
            "lack permission",
            "no rights",
            "no access",
            "not authorized",
            "unauthorized to",
            "privileges",
            "permissions",
        ],
    ),
    // Not known: credentials missing, wrong or rejected (HTTP's 401 calls
    // this "unauthorized").
    (
        "unauthenticated",
        &[
            "unauthenticated",
            "not authenticated",
            "unauthorized",
            "authentication required",
            "authentication failed",
            "invalid credentials",
            "bad credentials",
            "wrong password",
            "incorrect password",
            "invalid password",
            "incorrect username",
            "not logged in",
            "login required",
            "login failed",
            "sign in",
        ],
    ),
    // The value is wrong in itself.
    (
        "invalid",
        &[
            "invalid",
            "malformed",
            "bad",
            "not valid",
            "incorrect",
            "wrong",
            "illegal",
            "improper",
            "unparsable",
            "unparseable",
        ],
    ),
    // Valid once, not any more: tokens, keys, sessions, signatures.
    (
        "expired",
        &[
            "expired",
            "expires",
            "expiry",
            "expiration",
            "no longer valid",
            "outdated",
        ],
    ),
    // The service cannot answer now: down, overloaded, in maintenance.
    (
        "unavailable",
        &[
            "unavailable",
            "not available",
            "offline",
            "out of service",
            "maintenance",
            "overloaded",
            "overload",
            "at capacity",
            "service down",
            "temporarily",
            "is down",
            "went down",
            "outage",
        ],
    ),
    // Too big: bodies, files, fields, names.
    (
        "toolarge",
        &[
            "too large",
            "too big",
            "too long",
            "exceeds maximum",
            "exceeds the maximum",
            "maximum size",
            "size limit",
            "max size",
            "max length",
            "maximum length",
        ],
    ),
    // Asked for something the other side does not do.
    (
        "unsupported",
        &[
            "unsupported",
            "not supported",
            "does not support",
            "doesn't support",
            "not implemented",
            "unimplemented",
        ],
    ),
    // Switched off on purpose: keys, accounts, features and regions that
    // exist but are not on, worded by each service its own way.
    (
        "disabled",
        &[
            "disabled",
            "turned off",
            "switched off",
            "deactivated",
            "not enabled",
            "inactive",
            "suspended",
        ],
    ),
    // May not be changed: read-only storage, fields fixed at creation,
    // immutable values.
    (
        "readonly",
        &[
            "read-only",
            "read only",
            "immutable",
            "not mutable",
            "cannot be modified",
            "cannot be changed",
            "can't be changed",
            "cannot modify",
            "cannot change",
            "cannot assign",
        ],
    ),
    // Changing what exists: every API words the act its own way (SQL's
    // update, a compiler's assign and mutate, a file's overwrite).
    (
        "modify",
        &[
            "modify",
            "modified",
            "modification",
            "change",
            "changed",
            "changing",
            "alter",
            "altered",
            "mutate",
            "mutated",
            "mutation",
            "assign",
            "assigned",
            "reassign",
            "reassigned",
            "overwrite",
            "overwritten",
            "edit",
            "edited",
        ],
    ),
    // Stopped before it finished.
    (
        "canceled",
        &[
            "canceled",
            "cancelled",
            "cancel",
            "aborted",
            "abort",
            "interrupted",
            "terminated",
            "killed",
        ],
    ),
    // Held by someone else, or by a deadlock.
    (
        "locked",
        &[
            "locked",
            "lock",
            "deadlock",
            "in progress",
            "busy",
            "concurrent",
            "contention",
            "pending",
            "not ready",
            "still running",
            "still processing",
        ],
    ),
    // A number outside what its type or field holds.
    (
        "outofrange",
        &[
            "out of range",
            "out of bounds",
            "overflow",
            "overflows",
            "overflowed",
            "underflow",
            "too small",
        ],
    ),
    // The other side failed in itself, not because of the request.
    (
        "crashed",
        &[
            "crash",
            "crashed",
            "crashes",
            "panic",
            "panicked",
            "internal error",
            "internal server error",
            "unexpected error",
            "segfault",
            "segmentation fault",
        ],
    ),
    // Could not reach the other side at all.
    (
        "unreachable",
        &[
            "connection refused",
            "connection reset",
            "could not connect",
            "cannot connect",
            "can't connect",
            "unable to connect",
            "failed to connect",
            "connection failed",
            "unreachable",
            "network error",
        ],
    ),
    // A host name that did not resolve to an address: curl's "could not
    // resolve host", getaddrinfo's ENOTFOUND, Go's "no such host", Java's
    // UnknownHostException.
    (
        "dns",
        &[
            "dns",
            "dns lookup",
            "name resolution",
            "resolve host",
            "resolve hostname",
            "could not resolve",
            "couldn't resolve",
            "cannot resolve host",
            "doesn't resolve",
            "does not resolve",
            "unknown host",
            "no such host",
            "host not found",
            "getaddrinfo",
        ],
    ),
    // Out of room to write.
    (
        "diskfull",
        &[
            "disk full",
            "no space",
            "no space left",
            "out of space",
            "disk space",
            "storage full",
            "out of disk",
        ],
    ),
    // Out of memory.
    (
        "nomemory",
        &[
            "out of memory",
            "oom",
            "memory exhausted",
            "insufficient memory",
            "not enough memory",
            "cannot allocate memory",
            "out of heap",
            "heap space",
            "heap limit",
        ],
    ),
    // Removed on purpose and not coming back.
    (
        "gone",
        &[
            "gone",
            "deleted",
            "removed",
            "no longer exists",
            "no longer available",
            "retired",
            "decommissioned",
        ],
    ),
    // The text could not be read as the format it claims.
    (
        "unparsed",
        &[
            "syntax error",
            "parse error",
            "could not parse",
            "failed to parse",
            "cannot parse",
            "unexpected token",
            "unexpected character",
            "malformed",
        ],
    ),
    // Two things that should agree do not.
    (
        "mismatch",
        &[
            "mismatch",
            "mismatched",
            "does not match",
            "doesn't match",
            "do not match",
            "did not match",
            "didn't match",
            "not match",
            "not matching",
            "incompatible",
            "inconsistent",
            "wrong type",
            "incorrect type",
        ],
    ),
    // Money: payment refused or needed.
    (
        "payment",
        &[
            "payment required",
            "payment",
            "billing",
            "insufficient funds",
            "declined",
            "card declined",
            "out of credits",
            "credit",
        ],
    ),
    // The thing moved to another address.
    (
        "moved",
        &[
            "moved",
            "redirect",
            "redirected",
            "relocated",
            "new location",
            "moved permanently",
        ],
    ),
];

/// Groups of phrases, each phrase as the terms of its words (stop words
/// included), each group with the term that stands for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Thesaurus {
    /// `(term, phrases)`: the term is `~` and the group's name.
    pub groups: Vec<(String, Vec<Vec<String>>)>,
    /// `(group, phrase)` of every phrase by its first term, in group order,
    /// so that [`Thesaurus::find`] tries only the phrases a word can begin.
    by_first: FxHashMap<String, Vec<(usize, usize)>>,
}

fn phrase_terms(phrase: &str, english: bool) -> Vec<String> {
    analyze(phrase, english)
        .words
        .into_iter()
        .map(|w| w.term.to_string())
        .collect()
}

impl Thesaurus {
    /// The built-in groups (on English sites) and the site's own, each
    /// group's phrases analyzed as text is.
    pub fn new(english: bool, site: &[Vec<String>]) -> Self {
        let mut groups = Vec::new();
        if english {
            for (name, phrases) in BUILT_IN {
                groups.push((
                    format!("~{name}"),
                    analyzed(phrases.iter().copied(), english),
                ));
            }
        }
        for (n, phrases) in site.iter().enumerate() {
            groups.push((
                format!("~site{}", n + 1),
                analyzed(phrases.iter().map(String::as_str), english),
            ));
        }
        let mut by_first: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
        for (g, (_, phrases)) in groups.iter().enumerate() {
            for (p, phrase) in phrases.iter().enumerate() {
                by_first.entry(phrase[0].clone()).or_default().push((g, p));
            }
        }
        Thesaurus { groups, by_first }
    }

    /// The concepts that `words` state, as `(first word, end, group)`: at
    /// each word, the longest phrase of any group that starts there (every
    /// group with a phrase that long); a phrase's words start no other.
    pub fn find(&self, words: &[Word]) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let mut longest = 0;
            let mut groups: Vec<usize> = Vec::new();
            let candidates = self.by_first.get(&*words[i].term);
            for &(g, p) in candidates.into_iter().flatten() {
                let phrase = &self.groups[g].1[p];
                if !matches_at(phrase, words, i) {
                    continue;
                }
                if phrase.len() > longest {
                    longest = phrase.len();
                    groups.clear();
                }
                if phrase.len() == longest && groups.last() != Some(&g) {
                    groups.push(g);
                }
            }
            if longest == 0 {
                i += 1;
                continue;
            }
            for g in groups {
                found.push((i, i + longest, g));
            }
            i += longest;
        }
        found
    }
}

fn analyzed<'a>(phrases: impl Iterator<Item = &'a str>, english: bool) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = phrases
        .map(|p| phrase_terms(p, english))
        .filter(|p| !p.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn matches_at(phrase: &[String], words: &[Word], at: usize) -> bool {
    words.len() >= at + phrase.len() && phrase.iter().zip(&words[at..]).all(|(p, w)| **p == *w.term)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concepts(text: &str) -> Vec<String> {
        let thesaurus = Thesaurus::new(true, &[vec!["kb".into(), "knowledge base".into()]]);
        let words = analyze(text, true).words;
        thesaurus
            .find(&words)
            .into_iter()
            .map(|(_, _, g)| thesaurus.groups[g].0.clone())
            .collect()
    }

    #[test]
    fn phrases_meet_their_concept_whatever_their_form() {
        assert_eq!(concepts("NoSuchKey"), ["~notfound"]);
        assert_eq!(concepts("The specified key does not exist."), ["~notfound"]);
        assert_eq!(concepts("EntityAlreadyExists"), ["~exists"]);
        assert_eq!(concepts("my lambda is being throttled"), ["~throttled"]);
        assert_eq!(concepts("Too many requests"), ["~throttled"]);
        assert_eq!(concepts("missing field"), ["~notfound", "~required"]);
        assert_eq!(concepts("search the Knowledge Base"), ["~site1"]);
        assert_eq!(concepts("my type doesn't have that method"), ["~notfound"]);
        assert_eq!(concepts("the request hangs"), ["~timeout"]);
        assert_eq!(concepts("integer overflow"), ["~outofrange"]);
        assert_eq!(concepts("Internal Server Error"), ["~crashed"]);
        assert_eq!(concepts("changing a variable"), ["~modify"]);
        assert_eq!(concepts("curl: (6) Could not resolve host"), ["~dns"]);
        assert_eq!(
            concepts("expected a string, got the wrong type"),
            ["~mismatch"]
        );
        assert_eq!(concepts("it ran out of heap"), ["~nomemory"]);
        assert!(concepts("exist").is_empty());
    }

    #[test]
    fn other_languages_get_only_the_site_groups() {
        let thesaurus = Thesaurus::new(false, &[]);
        assert!(thesaurus.groups.is_empty());
    }
}
