//! Every validation rule: its stable name, default severity and explanation.
//!
//! Rule names appear in diagnostics, in `--format json|github` output and in
//! `errdex explain --rule NAME`; they never change once released.

use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported; stops the build only with `--strict`.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! rules {
    ($( $variant:ident $name:literal $severity:ident $explanation:literal )*) => {
        /// A validation rule.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(
                #[doc = $explanation]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in documentation order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable name shown in diagnostics, e.g. `unknown-key`.
            pub const fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }

            /// Whether a finding is an error or a warning (before `--strict`).
            pub const fn severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            /// One paragraph: what the rule checks, why, and how to fix a finding.
            pub const fn explanation(self) -> &'static str {
                match self { $(Rule::$variant => $explanation,)* }
            }
        }
    };
}

rules! {
    YamlSyntax "yaml-syntax" Error
        "The file is not valid YAML, so nothing in it could be read. The caret points at the first place the parser could not make sense of; the mistake is often just before it: a missing space after a colon, a tab used for indentation, an unclosed quote, or a list item indented differently from its siblings."
    DuplicateKey "duplicate-key" Error
        "The same key appears twice in one mapping. YAML parsers disagree on which one wins (many silently keep the last), so errdex refuses the file instead of guessing. Delete one of the two, or merge their values."
    Encoding "encoding" Error
        "The file is not UTF-8 text. errdex reads content as UTF-8 only; re-save the file as UTF-8 in your editor (a leading byte-order mark is accepted)."
    FileTooLarge "file-too-large" Error
        "The file is larger than errdex accepts for one entry (4 MiB). An error entry is a few kilobytes of text; a file this large is almost always a mistake, such as a generated dump or a binary saved with a .yaml name."
    LimitExceeded "limit-exceeded" Error
        "The file is larger than errdex handles in one entry: YAML nested more than 48 levels deep, more than 250,000 keys, values and items, an alias bomb (anchors that refer to anchors until the document grows exponentially), markdown that nests quotes and lists more than 32 levels deep, or an entry listing more than 100 codes, related codes, links, tags or examples (1,000 variants). errdex stops at fixed limits so that one file can never take unbounded time, memory or output; flatten the structure or split the entry."
    UnreadablePath "unreadable-path" Error
        "A file or folder under content/ could not be read: permissions, a broken symbolic link, or a symbolic link loop. errdex never skips a file silently, so fix or remove the path."
    NotAFile "not-a-file" Warning
        "A path under content/errors is named like an entry (`.yaml` or `.yml`) but is a folder, a named pipe or another kind of file that is not a regular file, so it is not read as an entry. A folder's own files are still read as entries. Rename it so that nobody expects it to be an entry."
    OutdatedSearchScript "outdated-search-script" Warning
        "The site's static/search.js or static/errdex.js replaces a built-in script search depends on, but was written for an earlier errdex: its search.js reads another format of the search index (it lacks the line `errdex-search-index: N` of the current format), or its errdex.js does not load search.js when the reader goes to the search box (it lacks `errdex-loads-search: 1`). Sites made by `errdex init` before 0.3.0 hold such copies: search would fail, find the wrong entries or not start. Delete the file to use the built-in one, or bring your changes over to the current one (`errdex init --theme` writes it)."
    HostLimit "host-limit" Warning
        "The output of the build does not fit the host named by `deploy` in errdex.yaml: it has more files than the host takes for a site, a file larger than the host takes, or more bytes than it takes for a site. The build still writes the output (under `--strict` it does not), but publishing it would fail or be cut short. Write fewer files for each code (`outputs.code`), leave out `llms-full.txt` (`outputs.llms_full: false`), or publish on a plan or host with larger limits; the README's Deploy section lists each host's limits."
    MessagePlaceholder "message-placeholder" Error
        "A message in `messages` does not parse as a template. A message is the text the API returns, written out as it appears, with each part that varies written as a placeholder: a name in braces, `{model}`, made of letters, digits, `_`, `-` and `.`. A literal brace is written twice, `{{` or `}}`. The caret points at the brace that opens nothing, closes nothing, or holds something other than a name."
    DuplicateMessage "duplicate-message" Warning
        "Two entries (or variants) list the same message, compared without case, spacing or the names of placeholders. Search matches a pasted message against these texts, and a message that leads to two pages leaves the reader to guess between them. Keep the message on the entry that explains it, or make the two messages say what tells the errors apart."
    LinkOutsideSite "link-outside-site" Error
        "A symbolic link in the site (the config, content/, templates/ or static/) leads to a place outside the site root. errdex reads nothing outside the site, so that a link such as `content/errors/x.yaml -> /proc/self/environ` or `static/keys -> /etc/ssl` can never bring a secret into a message or onto the published site. What the link points at is not read. Copy it into the site, or remove the link; links that stay inside the site are followed."
    NotAMapping "not-a-mapping" Error
        "An entry file, or errdex.yaml, must be a YAML mapping of keys to values (`code: 429`, `title: ...`). This file holds something else: a list, a single value, or nothing at all."
    UnknownKey "unknown-key" Error
        "The key is not part of the format, so errdex would otherwise ignore it silently. It is usually a typo (the hint names the closest known key) or a field at the wrong indentation. The JSON Schema under schema/ lists every key; editors that read it complete keys as you type."
    MissingKey "missing-key" Error
        "A required key is missing. Every entry needs `code` (or `codes`), `title`, `summary` and `category`; errdex.yaml needs `title`, `base_url` and `categories`."
    WrongType "wrong-type" Error
        "The value has the wrong shape: for example a list where text is expected, text where a list of steps is expected, or a number out of range. The message says what was expected at this place."
    EmptyValue "empty-value" Error
        "A text that must say something is empty: a title, a summary, a step, an example body. Write the text, or remove the key if it is optional."
    EmptyList "empty-list" Error
        "A list is present but empty (`causes: []`). An empty list renders as an empty section; remove the key or add items."
    MissingCode "missing-code" Error
        "The entry has neither `code` nor `codes`. Give it `code: 429`, or `codes: [503, 504]` when one page covers several codes (the first is the primary, the others redirect to it)."
    CodeAndCodes "code-and-codes" Error
        "The entry has both `code` and `codes`. Use `code` for one code, or `codes` for several (the first is the primary); not both."
    InvalidCode "invalid-code" Error
        "The code does not match the site's `code_pattern` (by default: a letter or digit, then letters, digits, dots, hyphens or underscores). Codes become URLs and file names, so they are restricted to characters that are safe in both."
    UnquotedCode "unquoted-code" Error
        "The code was written as a YAML number that does not read back as written: `0429` is the number 429, `4.29` may print as `4.2900`, `0x1F` is 31. Quote it so it stays exactly as written: `code: \"0429\"`."
    DuplicateCode "duplicate-code" Error
        "Two entries define the same code (aliases in `codes` count). Each code has exactly one page; merge the two entries, or give one a different code. Both places are shown."
    CodeCaseCollision "code-case-collision" Error
        "Two codes differ only in upper and lower case (`E001` and `e001`). Codes are case-sensitive, but their pages would be the same folder on case-insensitive file systems (macOS, Windows) and on many static hosts. Rename one of them."
    ControlCharacter "control-character" Error
        "A plain-text field (a title, summary, tag, link or example title) holds a control character, such as NUL written as `\\0` in a quoted YAML string, or a line break in a title. Plain text is printed in page titles, markdown exports and the source code `errdex export` writes, where such characters break the output (a NUL makes the Python constants fail to compile). Remove it; a summary may run over lines. Markdown fields and example bodies may hold line breaks and tabs, but no other control character (a NUL, an escape), for the same reason."
    CodePathCollision "code-path-collision" Error
        "A code is the name of a file that another code's page writes: code `a` has its JSON at errors/a.json and its markdown at errors/a.md, so a code `a.json` or `a.md`, whose page is the folder of that name, cannot be built beside it. Rename one of the two codes."
    UnknownCategory "unknown-category" Error
        "The entry's `category` is not a key of `categories` in errdex.yaml. Use one of the listed keys, or add the category to errdex.yaml."
    UnknownAudience "unknown-audience" Error
        "A key of `solutions` is not a key of `audiences` in errdex.yaml. Solutions split by audience must use the audiences the site defines, so that every page groups them the same way."
    UnknownRelated "unknown-related" Error
        "A code in `related` is not defined by any entry, so the link would lead nowhere. Fix the code, or add an entry for it."
    RelatedSelf "related-self" Warning
        "The entry lists its own code in `related`. A page linking to itself helps nobody; remove it."
    UnknownCodeLink "unknown-code-link" Error
        "A markdown link `[text](code:CODE)` names a code that no entry defines, so it would be a broken link. Fix the code or add the entry."
    InvalidJsonExample "invalid-json-example" Error
        "An example whose `language` is `json` does not parse as JSON. Readers copy examples into their code, so errdex checks them; the caret points at the first character the JSON parser rejected."
    HttpStatusRange "http-status-range" Error
        "`http_status` must be an HTTP status code, from 100 to 599."
    MissingSolutions "missing-solutions" Warning
        "The entry has no `solutions`. A reader who lands on an error page wants to know what to do; even one step (\"Retry after a minute\", \"Contact support with the request id\") helps."
    LongSummary "long-summary" Warning
        "The summary is longer than 200 characters. It is used as the meta description, the search snippet and the line on the index page, where long text is cut off; keep it to one short sentence and move details to `description`."
    MultilineSummary "multiline-summary" Warning
        "The summary spans several lines. It is one plain-text sentence, shown on one line in search results and on the index page; move the rest to `description`."
    InsecureLink "insecure-link" Warning
        "An external link uses http:// rather than https://. Browsers warn about or upgrade such links; use the https:// address when the site has one."
    UnsafeUrl "unsafe-url" Error
        "A link uses a scheme that can run code or embed content (`javascript:`, `data:`, `vbscript:`, `file:`). errdex only links to http(s), mailto, relative URLs, `#anchors` and `code:` links, so the link would be dropped."
    RawHtml "raw-html" Warning
        "The markdown contains raw HTML, which errdex shows as text because `allow_html` is off in errdex.yaml. Use markdown instead, or set `allow_html: true` if you trust every editor of the site."
    TodoText "todo" Warning
        "A text still contains the `TODO` placeholder that `errdex new` writes. The page builds, so a preview is possible, but the placeholder would be published; run `errdex check --strict` in CI to stop that."
    InvalidConfig "invalid-config" Error
        "A value in errdex.yaml is not usable: `base_url` must be an absolute http(s) URL, `code_pattern` must be a valid regular expression, `edit_url` must contain `{path}`, and `categories` must not be empty."
    TemplateError "template-error" Error
        "A template under templates/ could not be compiled, or failed while rendering a page (for example it uses a variable that does not exist). The message shows the template, line and column; `errdex explain --rule template-error` and the README list the variables each page gets."
    UnknownRedirectTarget "unknown-redirect-target" Error
        "A code in `redirects` points at a code that no entry defines (directly, or at the end of a chain of redirects), so its old URL would lead nowhere. Point it at an existing code."
    RedirectLoop "redirect-loop" Error
        "Codes in `redirects` point at each other in a circle (`A: B`, `B: A`), so following them never reaches a page. Point one of them at an existing code."
    RedirectShadowsCode "redirect-shadows-code" Error
        "A code in `redirects` still has an entry. A code is either documented or redirected, not both: remove the redirect, or the entry."
    UnknownFallback "unknown-fallback" Error
        "`fallback` in errdex.yaml names a code that no entry defines. The fallback entry is shown on the 404 page and when a search finds nothing; point it at an existing code such as `other`."
    LifecycleConflict "lifecycle-conflict" Error
        "The lifecycle fields of an entry contradict each other: `deprecated: true` with a `status` other than `deprecated`, `removed_in` on an entry whose status is not `removed`, or `replaced_by` on an active entry or naming the entry itself. Say the status once, with `status: active | deprecated | removed`, and give `replaced_by` and `removed_in` only where they apply."
    UnknownReplacement "unknown-replacement" Error
        "`replaced_by` names a code that no entry defines, so the banner on the page would send readers nowhere. Point it at an existing code, or add the entry for the new code."
    ReplacementChain "replacement-chain" Warning
        "`replaced_by` points at a code that is itself replaced (`A` replaced by `B`, `B` replaced by `C`). Readers following the banner take two hops and meet a second deprecation notice; point `A` straight at `C`."
    ReplacementCycle "replacement-cycle" Error
        "Codes replace each other in a circle (`A` replaced by `B`, `B` replaced by `A`), so no code is the current one. Make the newest code active and point the others at it."
    InvalidType "invalid-type" Error
        "A variant's `type` is not a usable identifier. Types become page anchors and search keys: a letter, then letters, digits, `_`, `.` or `-` (as in `rate_limit_exceeded`), and not one of the ids the page uses for its own sections (`causes`, `solutions`, ...)."
    DuplicateType "duplicate-type" Error
        "Two variants, in the same entry or in different ones, have the same `type`. A type identifies one problem across the whole API, so it must be unique site-wide; both places are shown."
    InvalidDate "invalid-date" Error
        "A date is not a real calendar date written as `YYYY-MM-DD` (for example `reviewed: 2026-02-30` or `reviewed: 26/11/2026`)."
    StaleEntry "stale-entry" Warning
        "The entry's `reviewed` date is older than `review_after_days` in errdex.yaml allows. Check the entry against the API (are the causes and solutions still right?) and update `reviewed`. `errdex check --today YYYY-MM-DD` fixes the date compared with, for reproducible CI runs."
    UndocumentedCode "undocumented-code" Error
        "`errdex check --codes-from FILE` found a code the API emits (a response status or an error `code`/`type` value in the OpenAPI document, or a line of the plain list) that no entry, alias or variant documents. Readers who get it find nothing: add an entry, or a variant of an existing one."
    UnemittedCode "unemitted-code" Warning
        "`errdex check --codes-from FILE` found a documented code that the API, according to FILE, never emits. Either the file is incomplete or the code is gone: mark the entry `status: removed` (removed codes are not reported), or correct the file. The fallback entry is never reported."
}

impl Rule {
    /// Finds a rule by its name.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.name() == name)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique_kebab_case() {
        let mut names: Vec<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        assert_eq!(Rule::from_name("unknown-key"), Some(Rule::UnknownKey));
    }
}
