//! The site-wide exports made from every entry in order: `errors.json` (the
//! catalog for programs: each code's summary fields) and `llms-full.txt`
//! (every entry in full, for language models), each cut into parts of at
//! most [`PART_BUDGET`] bytes when larger, so that no file outgrows what
//! static hosts take (Cloudflare Pages: 25 MiB). `build` and `serve` both
//! make them through [`Catalogs`], one entry at a time.

use schemars::JsonSchema;
use serde::Serialize;

use super::{AudienceJson, CategoryJson, SummaryJson};
use crate::site::Site;

/// Version of the `errors.json` format. It changes only when a field is
/// removed or changes meaning; new fields may appear without a change.
pub const EXPORT_VERSION: u32 = 2;

/// Most bytes of one part of `errors.json` or `llms-full.txt`: under every
/// static host's limit on one file.
pub const PART_BUDGET: usize = 16 * 1024 * 1024;

/// `errors.json`: the catalog. Read `errors`, then the `errors` of every
/// file in `parts`: a catalog that fits in one file has every entry in
/// `errors` and no parts; a larger one has its entries in the parts, in
/// order. `version` changes only when a field is removed or changes
/// meaning; fields may be added at any time.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "errdex errors.json", rename = "Catalog")]
pub struct Catalog<'a> {
    /// Format version; 2 for this schema.
    version: u32,
    /// The site's title.
    title: &'a str,
    /// The site's description.
    description: Option<&'a str>,
    /// Where the site is published; every `url` starts with it.
    base_url: &'a str,
    /// The content language (BCP 47).
    language: &'a str,
    /// Categories, in display order.
    categories: Vec<CategoryJson<'a>>,
    /// Audiences that solutions are split by, in display order.
    audiences: Vec<AudienceJson<'a>>,
    /// How many entries the catalog has, in `errors` and all `parts`.
    count: usize,
    /// The files that hold the entries when they do not fit in this one.
    parts: Vec<PartRef>,
    /// Every entry in display order, when there are no `parts`.
    errors: Vec<SummaryJson<'a>>,
}

/// One part of a catalog too large for one file.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "PartRef")]
pub struct PartRef {
    /// Its address.
    url: String,
    /// How many entries it holds.
    count: usize,
    /// The code of its first entry.
    first: String,
    /// The code of its last entry.
    last: String,
}

/// A part file, `errors-N.json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "errdex errors-N.json", rename = "CatalogPart")]
pub struct CatalogPart<'a> {
    /// Format version, as in `errors.json`.
    version: u32,
    /// Which part this is, from 1.
    part: usize,
    /// Its entries, in display order.
    errors: Vec<SummaryJson<'a>>,
}

/// What closes a JSON document whose last field is an empty `errors` array.
const JSON_TAIL: &[u8] = b"]}\n";

/// `value` serialized with its last field, an empty array, left open.
fn open_json(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).expect("a catalog serializes");
    bytes.push(b'\n');
    debug_assert!(bytes.ends_with(b"[]}\n"));
    bytes.truncate(bytes.len() - JSON_TAIL.len());
    bytes
}

/// What one entry adds to the catalogs.
#[derive(Debug, Clone)]
pub struct CatalogPiece {
    /// Its code.
    pub code: String,
    /// Its element of `errors` (a [`SummaryJson`]).
    pub json: Vec<u8>,
    /// Its part of `llms-full.txt`, when the site writes that file.
    pub llms_full: Option<String>,
}

/// Pieces in order, cut into parts of at most [`PART_BUDGET`] bytes.
struct Parted {
    /// The part being filled.
    pieces: Vec<Vec<u8>>,
    bytes: usize,
    first: Option<String>,
    last: String,
    /// The parts written so far: (count, first code, last code).
    done: Vec<(usize, String, String)>,
}

impl Parted {
    fn new() -> Self {
        Self {
            pieces: Vec::new(),
            bytes: 0,
            first: None,
            last: String::new(),
            done: Vec::new(),
        }
    }

    /// Adds a piece; returns the part it closes, when it does not fit.
    fn push(&mut self, code: &str, piece: Vec<u8>, framing: usize) -> Option<Vec<Vec<u8>>> {
        let closed = (!self.pieces.is_empty() && self.bytes + piece.len() + framing > PART_BUDGET)
            .then(|| self.close());
        self.bytes += piece.len() + 1;
        self.first.get_or_insert_with(|| code.to_owned());
        code.clone_into(&mut self.last);
        self.pieces.push(piece);
        closed
    }

    fn close(&mut self) -> Vec<Vec<u8>> {
        let pieces = std::mem::take(&mut self.pieces);
        self.done.push((
            pieces.len(),
            self.first.take().unwrap_or_default(),
            std::mem::take(&mut self.last),
        ));
        self.bytes = 0;
        pieces
    }
}

/// `errors.json` and `llms-full.txt`, made from each entry's
/// [`CatalogPiece`] in display order. Every file is handed to `emit` as soon
/// as it is complete, as the slices that make it up in order (a part is
/// never copied whole): a part when the next piece does not fit, the rest at
/// [`Catalogs::finish`].
pub struct Catalogs<'a, E> {
    site: &'a Site,
    emit: E,
    json: Parted,
    llms: Option<Parted>,
    count: usize,
}

impl<'a, Error, E: FnMut(String, &[&[u8]]) -> Result<(), Error>> Catalogs<'a, E> {
    /// Catalogs of `site`, written through `emit(path, slices)`.
    pub fn new(site: &'a Site, emit: E) -> Self {
        let llms = site
            .config
            .writes_llms_full(site.entries.len())
            .then(Parted::new);
        Self {
            site,
            emit,
            json: Parted::new(),
            llms,
            count: 0,
        }
    }

    /// Adds the next entry's piece.
    pub fn push(&mut self, piece: CatalogPiece) -> Result<(), Error> {
        self.count += 1;
        if let Some(closed) = self
            .json
            .push(&piece.code, piece.json, JSON_TAIL.len() + 64)
        {
            emit_json_part(&mut self.emit, self.json.done.len(), &closed)?;
        }
        if let (Some(llms), Some(text)) = (&mut self.llms, piece.llms_full)
            && let Some(closed) = llms.push(&piece.code, text.into_bytes(), 512)
        {
            emit_llms_part(&mut self.emit, self.site, llms.done.len(), &closed)?;
        }
        Ok(())
    }

    /// Writes what is left: the last parts, `errors.json` and `llms-full.txt`.
    pub fn finish(mut self) -> Result<(), Error> {
        let site = self.site;
        if self.json.done.is_empty() {
            let head = open_json(&catalog(site, self.count, Vec::new()));
            (self.emit)(
                "errors.json".to_owned(),
                &json_chunks(&head, &self.json.pieces),
            )?;
        } else {
            let closed = self.json.close();
            emit_json_part(&mut self.emit, self.json.done.len(), &closed)?;
            let parts = refs(site, "errors", "json", &self.json.done);
            let mut index = open_json(&catalog(site, self.count, parts));
            index.extend_from_slice(JSON_TAIL);
            (self.emit)("errors.json".to_owned(), &[&index])?;
        }
        if let Some(mut llms) = self.llms.take() {
            if llms.done.is_empty() {
                let head = super::llms_full_head(site);
                (self.emit)(
                    "llms-full.txt".to_owned(),
                    &text_chunks(head.as_bytes(), &llms.pieces),
                )?;
            } else {
                let closed = llms.close();
                emit_llms_part(&mut self.emit, site, llms.done.len(), &closed)?;
                let index = llms_index(site, &llms.done);
                (self.emit)("llms-full.txt".to_owned(), &[index.as_bytes()])?;
            }
        }
        Ok(())
    }
}

/// The catalog's frame, its entries left to the caller.
fn catalog(site: &Site, count: usize, parts: Vec<PartRef>) -> Catalog<'_> {
    let config = &site.config;
    Catalog {
        version: EXPORT_VERSION,
        title: config.title(),
        description: config.file.description.as_ref().map(|d| d.value.as_str()),
        base_url: &config.base_url,
        language: config.language(),
        categories: config
            .categories()
            .iter()
            .map(|(key, c)| CategoryJson {
                key: &key.value,
                title: &c.title.value,
                description: c.description.as_ref().map(|d| d.value.as_str()),
            })
            .collect(),
        audiences: config
            .audiences()
            .iter()
            .map(|(key, title)| AudienceJson {
                key: &key.value,
                title: &title.value,
            })
            .collect(),
        count,
        parts,
        errors: Vec::new(),
    }
}

/// Hands part `part` of `errors.json`, of `pieces`, to `emit`.
fn emit_json_part<Error>(
    emit: &mut impl FnMut(String, &[&[u8]]) -> Result<(), Error>,
    part: usize,
    pieces: &[Vec<u8>],
) -> Result<(), Error> {
    let head = open_json(&CatalogPart {
        version: EXPORT_VERSION,
        part,
        errors: Vec::new(),
    });
    emit(format!("errors-{part}.json"), &json_chunks(&head, pieces))
}

/// Hands part `part` of `llms-full.txt`, of `pieces`, to `emit`.
fn emit_llms_part<Error>(
    emit: &mut impl FnMut(String, &[&[u8]]) -> Result<(), Error>,
    site: &Site,
    part: usize,
    pieces: &[Vec<u8>],
) -> Result<(), Error> {
    let head = format!(
        "# {}, part {part}\n\n",
        super::text::plain(site.config.title())
    );
    emit(
        format!("llms-full-{part}.txt"),
        &text_chunks(head.as_bytes(), pieces),
    )
}

/// A JSON file as slices: `head` (open up to its last array), the pieces
/// separated by commas, and the closing.
fn json_chunks<'b>(head: &'b [u8], pieces: &'b [Vec<u8>]) -> Vec<&'b [u8]> {
    let mut chunks = Vec::with_capacity(2 * pieces.len() + 2);
    chunks.push(head);
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            chunks.push(b",");
        }
        chunks.push(piece);
    }
    chunks.push(JSON_TAIL);
    chunks
}

/// A text file as slices: `head`, then the pieces.
fn text_chunks<'b>(head: &'b [u8], pieces: &'b [Vec<u8>]) -> Vec<&'b [u8]> {
    std::iter::once(head)
        .chain(pieces.iter().map(Vec::as_slice))
        .collect()
}

fn refs(
    site: &Site,
    stem: &str,
    extension: &str,
    done: &[(usize, String, String)],
) -> Vec<PartRef> {
    done.iter()
        .enumerate()
        .map(|(i, (count, first, last))| PartRef {
            url: site
                .config
                .absolute_url(&format!("{stem}-{}.{extension}", i + 1)),
            count: *count,
            first: first.clone(),
            last: last.clone(),
        })
        .collect()
}

/// `llms-full.txt` that lists its parts.
fn llms_index(site: &Site, done: &[(usize, String, String)]) -> String {
    use std::fmt::Write as _;
    let mut out = super::llms_full_head(site);
    let _ = writeln!(
        out,
        "Every entry in full, as markdown, in {} parts:\n",
        done.len()
    );
    for part in refs(site, "llms-full", "txt", done) {
        let _ = writeln!(
            out,
            "- [{} to {}]({}): {} entries",
            part.first, part.last, part.url, part.count
        );
    }
    out
}
