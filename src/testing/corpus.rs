//! A synthetic catalog for benchmarks and tests: N entries shaped like real
//! API error catalogs, written as a site root. Same N and seed, same bytes.
//! `examples/gen-corpus.rs` is its command line. Not part of the public API.
//!
//! Each entry has one to three paragraphs of markdown with a code block and a
//! `code:` link, three to six causes, three to eight solutions (some with
//! nested steps, a fifth of them split by audience), related codes and tags;
//! about 5% are HTTP statuses, the rest `E`-codes in eight categories, and 4%
//! carry an alias code. The vocabulary follows the shared peer baselines.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const CATEGORIES: &[(&str, &str)] = &[
    ("client", "Client errors"),
    ("server", "Server errors"),
    ("auth", "Authentication and permissions"),
    ("billing", "Billing and quota"),
    ("models", "Models and inference"),
    ("files", "Files and batches"),
    ("network", "Network and transport"),
    ("other", "Other errors"),
];

const HTTP: &[(u16, &str)] = &[
    (400, "Bad Request"),
    (401, "Unauthorized"),
    (402, "Payment Required"),
    (403, "Forbidden"),
    (404, "Not Found"),
    (405, "Method Not Allowed"),
    (406, "Not Acceptable"),
    (408, "Request Timeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (411, "Length Required"),
    (412, "Precondition Failed"),
    (413, "Payload Too Large"),
    (414, "URI Too Long"),
    (415, "Unsupported Media Type"),
    (416, "Range Not Satisfiable"),
    (417, "Expectation Failed"),
    (421, "Misdirected Request"),
    (422, "Unprocessable Content"),
    (423, "Locked"),
    (424, "Failed Dependency"),
    (425, "Too Early"),
    (426, "Upgrade Required"),
    (428, "Precondition Required"),
    (429, "Too Many Requests"),
    (431, "Request Header Fields Too Large"),
    (451, "Unavailable For Legal Reasons"),
    (500, "Internal Server Error"),
    (501, "Not Implemented"),
    (502, "Bad Gateway"),
    (503, "Service Unavailable"),
    (504, "Gateway Timeout"),
    (505, "HTTP Version Not Supported"),
    (506, "Variant Also Negotiates"),
    (507, "Insufficient Storage"),
    (508, "Loop Detected"),
    (510, "Not Extended"),
    (511, "Network Authentication Required"),
];

const SUBJECTS: &[&str] = &[
    "API key",
    "access token",
    "request body",
    "model",
    "endpoint",
    "project",
    "organization",
    "file upload",
    "batch job",
    "embedding request",
    "stream",
    "webhook",
    "session",
    "region",
    "quota",
    "billing account",
    "fine-tuning job",
    "prompt",
    "tool call",
    "response format",
    "rate limit",
    "idempotency key",
    "signature",
    "payload",
    "parameter",
    "header",
    "deployment",
    "dataset",
    "vector store",
    "usage tier",
    "service account",
    "callback URL",
];
const STATES: &[&str] = &[
    "not found",
    "expired",
    "already exists",
    "too large",
    "malformed",
    "missing",
    "locked",
    "disabled",
    "deprecated",
    "timed out",
    "not supported",
    "out of range",
    "rejected",
    "revoked",
    "unavailable",
    "exhausted",
    "in an invalid state",
    "not permitted",
    "in conflict with another request",
    "unreadable",
    "over the allowed size",
];
const QUALIFIERS: &[&str] = &[
    "",
    "",
    "",
    "Invalid ",
    "Unknown ",
    "Duplicate ",
    "Inactive ",
    "Unverified ",
    "Overloaded ",
    "Legacy ",
];
const VERBS: &[&str] = &[
    "rejects",
    "returns",
    "retries",
    "validates",
    "throttles",
    "logs",
    "queues",
    "drops",
    "accepts",
    "caches",
    "forwards",
    "truncates",
];
const NOUNS: &[&str] = &[
    "gateway",
    "scheduler",
    "load balancer",
    "inference node",
    "auth service",
    "billing service",
    "storage layer",
    "router",
    "edge proxy",
    "worker pool",
    "tokenizer",
    "moderation filter",
    "usage meter",
    "job queue",
];
const ADVERBS: &[&str] = &[
    "immediately",
    "silently",
    "after a short delay",
    "for every region",
    "before the model runs",
    "on the next request",
    "until the window resets",
    "within a few seconds",
    "only for streaming requests",
    "per project",
];
const FIELDS: &[&str] = &[
    "model",
    "max_tokens",
    "temperature",
    "messages",
    "stream",
    "top_p",
    "response_format",
    "tools",
    "user",
    "seed",
    "stop",
    "input",
    "purpose",
    "file_id",
    "batch_id",
    "timeout",
    "n",
    "logprobs",
];
const LIMIT_UNITS: &[&str] = &[
    "requests per minute",
    "tokens per minute",
    "requests per day",
    "concurrent streams",
    "files per project",
    "MB per upload",
    "batch jobs in flight",
];
const LEADS: &[&str] = &[
    "Retry with exponential backoff",
    "Check the API key",
    "Reduce the request size",
    "Verify the parameter types",
    "Switch to streaming mode",
    "Contact support",
    "Upgrade your usage tier",
    "Rotate the credential",
    "Wait and try again",
    "Use a supported model",
    "Split the batch",
    "Fix the JSON body",
    "Set a longer client timeout",
    "Confirm the region",
    "Re-create the resource",
    "Enable the feature for the project",
    "Check the service status page",
    "Pin the SDK version",
    "Remove the unsupported field",
    "Validate the schema",
];
const TAGS: &[&str] = &[
    "auth",
    "quota",
    "rate-limit",
    "input",
    "model",
    "network",
    "billing",
    "files",
    "streaming",
];

/// SplitMix64: small, fast and good enough for synthetic text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

struct Entry {
    code: String,
    aliases: Vec<String>,
    title: String,
    category: &'static str,
    status: u16,
}

fn sentence(r: &mut Rng) -> String {
    match r.below(6) {
        0 => format!(
            "The {} {} the request {} when the `{}` field is {}.",
            r.pick(NOUNS),
            r.pick(VERBS),
            r.pick(ADVERBS),
            r.pick(FIELDS),
            r.pick(STATES)
        ),
        1 => format!(
            "This usually means that the {} is {}, so the {} cannot continue.",
            r.pick(SUBJECTS),
            r.pick(STATES),
            r.pick(NOUNS)
        ),
        2 => format!(
            "Your plan allows {} {}; above that the {} {} new calls {}.",
            [10, 60, 100, 500, 1000, 5000][r.below(6)],
            r.pick(LIMIT_UNITS),
            r.pick(NOUNS),
            r.pick(VERBS),
            r.pick(ADVERBS)
        ),
        3 => format!(
            "**Note:** the error is returned {}, and the `message` field names the {} involved.",
            r.pick(ADVERBS),
            r.pick(SUBJECTS)
        ),
        4 => format!(
            "Requests that set `{}` together with `{}` are {} by the {}.",
            r.pick(FIELDS),
            r.pick(FIELDS),
            r.pick(STATES),
            r.pick(NOUNS)
        ),
        _ => format!(
            "If the {} was changed recently, the {} may still hold the old value {}.",
            r.pick(SUBJECTS),
            r.pick(NOUNS),
            r.pick(ADVERBS)
        ),
    }
}

fn paragraph(r: &mut Rng) -> String {
    let n = r.range(2, 5);
    (0..n).map(|_| sentence(r)).collect::<Vec<_>>().join(" ")
}

fn code_block(r: &mut Rng, code: &str, status: u16) -> String {
    if r.chance(0.5) {
        let category = CATEGORIES[r.below(CATEGORIES.len())].0;
        format!(
            "```json\n{{\n  \"error\": {{\n    \"code\": \"{code}\",\n    \"type\": \"{category}\",\n    \"message\": \"The {} is {}.\",\n    \"param\": \"{}\",\n    \"request_id\": \"req_{:016x}\"\n  }}\n}}\n```",
            r.pick(SUBJECTS),
            r.pick(STATES),
            r.pick(FIELDS),
            r.next()
        )
    } else {
        format!(
            "```sh\ncurl -sS https://api.example.com/v1/chat/completions \\\n  -H \"Authorization: Bearer $API_KEY\" \\\n  -d '{{\"model\": \"example-{}b\", \"{}\": null}}'\n# HTTP/1.1 {status} -> {code}\n```",
            r.range(1, 9),
            r.pick(FIELDS)
        )
    }
}

fn step(r: &mut Rng) -> String {
    match r.below(4) {
        0 => format!(
            "Check that `{}` is set and not {}.",
            r.pick(FIELDS),
            r.pick(STATES)
        ),
        1 => format!(
            "Look at the {} logs for the request ID and compare the {}.",
            r.pick(NOUNS),
            r.pick(SUBJECTS)
        ),
        2 => format!(
            "Wait {} seconds, then retry once.",
            [1, 2, 5, 10, 30, 60][r.below(6)]
        ),
        _ => format!("Confirm the {} in the console.", r.pick(SUBJECTS)),
    }
}

fn cause(r: &mut Rng) -> String {
    match r.below(4) {
        0 => format!("The {} is {}.", r.pick(SUBJECTS), r.pick(STATES)),
        1 => format!(
            "More than {} {} from one project.",
            [10, 60, 100, 1000][r.below(4)],
            r.pick(LIMIT_UNITS)
        ),
        2 => format!(
            "The `{}` field has the wrong type or is {}.",
            r.pick(FIELDS),
            r.pick(STATES)
        ),
        _ => format!(
            "The {} {} traffic {}.",
            r.pick(NOUNS),
            r.pick(VERBS),
            r.pick(ADVERBS)
        ),
    }
}

/// A YAML double-quoted string.
fn q(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn solution(r: &mut Rng, out: &mut String, indent: &str) {
    let text = format!("**{}.** {}", r.pick(LEADS), sentence(r));
    if r.chance(0.35) {
        let _ = writeln!(out, "{indent}- text: {}", q(&text));
        let _ = writeln!(out, "{indent}  steps:");
        for _ in 0..r.range(2, 4) {
            let _ = writeln!(out, "{indent}    - {}", q(&step(r)));
        }
    } else {
        let _ = writeln!(out, "{indent}- {}", q(&text));
    }
}

fn entries(n: usize, r: &mut Rng) -> (Vec<Entry>, Vec<String>) {
    let n_http = if n == 0 {
        0
    } else {
        (n / 20).clamp(1, HTTP.len())
    };
    let width = ((4 * n).max(10) as f64).log10().ceil().max(4.0) as u32;
    let mut used = std::collections::HashSet::new();
    let mut numbers = Vec::new();
    while numbers.len() < n - n_http + n / 20 + 1 {
        let x = 1 + r.below(10usize.pow(width) - 1);
        if used.insert(x) {
            numbers.push(x);
        }
    }
    let codes: Vec<String> = numbers
        .iter()
        .map(|x| format!("E{x:0width$}", width = width as usize))
        .collect();
    let (primary, spare) = codes.split_at(n - n_http);
    let mut list: Vec<Entry> = HTTP[..n_http]
        .iter()
        .map(|&(status, reason)| Entry {
            code: status.to_string(),
            aliases: Vec::new(),
            title: reason.to_owned(),
            category: if status < 500 { "client" } else { "server" },
            status,
        })
        .collect();
    for code in primary {
        let title = format!(
            "{}{} {}",
            r.pick(QUALIFIERS),
            r.pick(SUBJECTS),
            r.pick(STATES)
        );
        let mut chars = title.chars();
        let title = chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default();
        list.push(Entry {
            code: code.clone(),
            aliases: Vec::new(),
            title,
            category: CATEGORIES[2 + r.below(CATEGORIES.len() - 2)].0,
            status: [400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504][r.below(12)],
        });
    }
    (list, spare.to_vec())
}

fn write_entry(r: &mut Rng, e: &Entry, all: &[String], dir: &Path) -> std::io::Result<()> {
    let mut related: Vec<&String> = (0..r.range(1, 3))
        .map(|_| &all[r.below(all.len())])
        .filter(|c| **c != e.code)
        .collect();
    related.sort();
    related.dedup();
    let mut paragraphs: Vec<String> = (0..r.range(1, 3)).map(|_| paragraph(r)).collect();
    if let Some(first) = related.first() {
        let last = paragraphs.last_mut().expect("at least one paragraph");
        let _ = write!(last, " See [{first}](code:{first}) for a related error.");
    }
    let at = r.range(1, paragraphs.len());
    paragraphs.insert(at, code_block(r, &e.code, e.status));
    let mut out = String::from("# yaml-language-server: $schema=../../schema/entry.schema.json\n");
    if e.aliases.is_empty() {
        let _ = writeln!(out, "code: {}", q(&e.code));
    } else {
        let codes: Vec<String> = std::iter::once(&e.code)
            .chain(&e.aliases)
            .map(|c| q(c))
            .collect();
        let _ = writeln!(out, "codes: [{}]", codes.join(", "));
    }
    let summary = sentence(r).replace("**Note:** ", "").replace('`', "");
    let mut chars = summary.chars();
    let summary = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "title: {}\nsummary: {}\ncategory: {}\nhttp_status: {}",
        q(&e.title),
        q(&summary),
        e.category,
        e.status
    );
    let _ = writeln!(
        out,
        "retryable: {}",
        matches!(e.status, 429 | 500 | 502 | 503 | 504)
    );
    let _ = writeln!(out, "description: |");
    for line in paragraphs.join("\n\n").lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(out, "causes:");
    for _ in 0..r.range(3, 6) {
        let _ = writeln!(out, "  - {}", q(&cause(r)));
    }
    let n_solutions = r.range(3, 8);
    let _ = writeln!(out, "solutions:");
    if n_solutions >= 4 && r.chance(0.2) {
        let split = r.range(2, n_solutions - 2);
        let _ = writeln!(out, "  api-users:");
        for _ in 0..split {
            solution(r, &mut out, "    ");
        }
        let _ = writeln!(out, "  platform:");
        for _ in split..n_solutions {
            solution(r, &mut out, "    ");
        }
    } else {
        for _ in 0..n_solutions {
            solution(r, &mut out, "  ");
        }
    }
    if !related.is_empty() {
        let codes: Vec<String> = related.iter().map(|c| q(c)).collect();
        let _ = writeln!(out, "related: [{}]", codes.join(", "));
    }
    let mut tags: Vec<&str> = (0..r.range(1, 3)).map(|_| r.pick(TAGS)).collect();
    tags.sort_unstable();
    tags.dedup();
    let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    fs::write(dir.join(format!("{}.yaml", e.code)), out)
}

/// Writes a site root of `n` entries to `root` (replacing it), from `seed`.
pub fn write_site(n: usize, root: &Path, seed: u64) -> std::io::Result<()> {
    let mut r = Rng(seed);
    let (mut list, mut spare) = entries(n, &mut r);
    for e in &mut list {
        if !spare.is_empty() && r.chance(0.04) {
            e.aliases.push(spare.pop().expect("a spare code"));
        }
    }
    let all: Vec<String> = list.iter().map(|e| e.code.clone()).collect();
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    let content = root.join("content/errors");
    fs::create_dir_all(&content)?;
    for e in &list {
        write_entry(&mut r, e, &all, &content)?;
    }
    let mut config = String::from(
        "title: Example API Error Codes\nbase_url: https://errors.example.com\ndescription: Synthetic benchmark catalog.\nlanguage: en\ncategories:\n",
    );
    for (key, title) in CATEGORIES {
        let _ = writeln!(config, "  {key}: {{ title: {title} }}");
    }
    config.push_str("audiences:\n  api-users: For API users\n  platform: For platform operators\n");
    fs::write(root.join("errdex.yaml"), config)
}

/// The default seed.
pub const SEED: u64 = 20_240_601;

/// Words the wide catalog's service and error names are made of.
const NAME_WORDS: &[&str] = &[
    "Access",
    "Account",
    "Alias",
    "Analytics",
    "Api",
    "Application",
    "Archive",
    "Auto",
    "Backup",
    "Balancer",
    "Batch",
    "Bucket",
    "Cache",
    "Certificate",
    "Cloud",
    "Cluster",
    "Config",
    "Connection",
    "Container",
    "Data",
    "Database",
    "Delivery",
    "Deployment",
    "Directory",
    "Domain",
    "Elastic",
    "Endpoint",
    "Event",
    "File",
    "Firewall",
    "Function",
    "Gateway",
    "Group",
    "Identity",
    "Image",
    "Instance",
    "Key",
    "Lambda",
    "Listener",
    "Load",
    "Log",
    "Media",
    "Message",
    "Metric",
    "Network",
    "Node",
    "Notification",
    "Object",
    "Parameter",
    "Pipeline",
    "Policy",
    "Queue",
    "Record",
    "Registry",
    "Replica",
    "Resource",
    "Role",
    "Route",
    "Rule",
    "Secret",
    "Security",
    "Service",
    "Snapshot",
    "Stack",
    "Storage",
    "Stream",
    "Subnet",
    "Table",
    "Target",
    "Task",
    "Template",
    "Token",
    "Topic",
    "Volume",
    "Workflow",
    "Zone",
];

/// How the wide catalog's error names end.
const NAME_ENDS: &[&str] = &[
    "NotFound",
    "AlreadyExists",
    "LimitExceeded",
    "InUse",
    "Invalid",
    "Conflict",
    "Throttled",
    "Unavailable",
    "Denied",
    "Expired",
    "Malformed",
    "QuotaExceeded",
    "NotReady",
    "Timeout",
];

/// Writes a catalog shaped like a cloud provider's error index to `root`
/// (replacing it): `n` entries in `categories` services, codes
/// `Service.ErrorName` up to 80 characters, one-paragraph entries, a few
/// deprecated ones and a few with an alias. A quarter of the codes belong
/// to four large services, whose category pages take several pages. It is the shape the large-catalog browser tests and
/// screenshots use. Same arguments, same bytes.
pub fn write_wide_site(n: usize, categories: usize, root: &Path, seed: u64) -> std::io::Result<()> {
    let mut r = Rng(seed);
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    let content = root.join("content/errors");
    fs::create_dir_all(&content)?;
    let services: Vec<String> = (0..categories.max(1))
        .map(|i| {
            let words = r.range(1, 3);
            let name: String = (0..words).map(|_| r.pick(NAME_WORDS)).collect();
            format!("{name}{}", i + 1)
        })
        .collect();
    let mut config = String::from(
        "title: Example Cloud Error Codes\nbase_url: https://errors.example.com\ndescription: Synthetic catalog shaped like a cloud provider's.\nlanguage: en\ncategories:\n",
    );
    for service in &services {
        let _ = writeln!(
            config,
            "  {}: {{ title: {}, description: {} }}",
            service.to_lowercase(),
            q(&spaced(service)),
            q(&format!(
                "Errors returned by the {} service.",
                spaced(service)
            ))
        );
    }
    fs::write(root.join("errdex.yaml"), config)?;
    let mut used = std::collections::HashSet::new();
    for i in 0..n {
        // Every service gets at least one code; the rest go anywhere, a
        // quarter of them to the four largest services.
        let service = &services[if i < services.len() {
            i
        } else if r.chance(0.25) {
            r.below(services.len().min(4))
        } else {
            r.below(services.len())
        }];
        let mut name: String = (0..r.range(2, 4)).map(|_| r.pick(NAME_WORDS)).collect();
        name.push_str(r.pick(NAME_ENDS));
        if i % 97 == 0 {
            // The longest codes: 80 characters, as some real catalogs have.
            while service.len() + 1 + name.len() < 80 {
                name.push_str(r.pick(NAME_WORDS));
            }
            name.truncate(79 - service.len());
        }
        let mut code = format!("{service}.{name}");
        if !used.insert(code.clone()) {
            code = format!("{code}{i}");
            used.insert(code.clone());
        }
        let status = [400, 403, 404, 409, 429, 500, 503][r.below(7)];
        let codes = if r.chance(0.02) {
            let alias = format!("{service}.Legacy{}{i}", r.pick(NAME_ENDS));
            format!("codes: [{}, {}]", q(&code), q(&alias))
        } else {
            format!("code: {}", q(&code))
        };
        let mut out = format!(
            "{codes}\ntitle: {}\nsummary: {}\ncategory: {}\nhttp_status: {status}\nretryable: {}\nsolutions: [{}]\n",
            q(&spaced(&name)),
            q(&capitalized(
                &sentence(&mut r).replace("**Note:** ", "").replace('`', "")
            )),
            service.to_lowercase(),
            matches!(status, 429 | 500 | 503),
            q(&format!(
                "Check the {} and send the request again.",
                r.pick(SUBJECTS)
            )),
        );
        if r.chance(0.03) {
            out.push_str("status: deprecated\n");
        }
        if r.chance(0.5) {
            let _ = writeln!(out, "description: {}", q(&paragraph(&mut r)));
        }
        let file = format!("{}.yaml", crate::layout::url_segment(&code));
        fs::write(content.join(file), out)?;
    }
    Ok(())
}

/// `text` with its first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// `CamelCase1` as `Camel Case 1`.
fn spaced(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let mut before: Option<char> = None;
    for c in name.chars() {
        let starts_word = before.is_some_and(|b| {
            (c.is_ascii_uppercase() && !b.is_ascii_uppercase())
                || (c.is_ascii_digit() && !b.is_ascii_digit())
        });
        if starts_word {
            out.push(' ');
        }
        out.push(c);
        before = Some(c);
    }
    out
}
