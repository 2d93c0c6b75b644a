//! A property test on the stable toolchain: sites made by mutating the fuzz
//! seeds (long lines, deep nesting, control characters, large lists,
//! colliding codes, broken bytes) go through `check` and a real build to
//! disk with every export. Whatever the input, nothing panics; every site
//! `check` accepts builds; a build fails only on content, never on a
//! file it could not write; and the output stays within a bound of the
//! input's size. The cargo-fuzz targets under `fuzz/` explore further with
//! nightly.

use std::fs;
use std::path::Path;

use errdex::publish::exports::constants::Language;
use errdex::publish::{BuildError, BuildOptions, build, check};

/// Cases per run; `ERRDEX_PROPERTY_CASES` asks for more.
fn cases() -> u64 {
    std::env::var("ERRDEX_PROPERTY_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

/// xorshift64*: the same cases on every machine, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The seeds: the valid entries of the seed site, and every other seed
/// (mostly fixtures with mistakes) once.
fn seeds() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/entries");
    let mut paths: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let valid = paths
        .iter()
        .filter(|p| p.to_string_lossy().contains("/content_errors_"));
    let valid: Vec<_> = valid.cloned().collect();
    paths
        .iter()
        .chain(valid.iter().cycle().take(3 * paths.len()))
        .map(|p| fs::read(p).unwrap())
        .collect()
}

/// Something hostile to put somewhere in an entry.
fn fragment(rng: &mut Rng) -> String {
    let n = 1 + rng.below(3000);
    match rng.below(14) {
        0 => format!("description: \"{}\"\n", "x".repeat(n * 50)),
        1 => format!("description: \"{} deep\"\n", ">".repeat(n)),
        2 => format!("description: \"{} deep\"\n", "- ".repeat(n)),
        3 => format!("description: \"{}x{}\"\n", "[".repeat(n), "]".repeat(n)),
        4 => format!("title: \"{}\\0{}\"\n", "T", "t"),
        5 => format!(
            "related: [{}]\n",
            (0..n)
                .map(|i| format!("R{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        6 => format!(
            "{{{}}}\n",
            (0..n)
                .map(|i| format!("k{i}: {i}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        7 => "code: a.json\n".to_owned(),
        8 => format!("code: {}\n", "E".repeat(190 + rng.below(80))),
        9 => format!(
            "description: |\n  |{}\n  |{}\n{}",
            "a|".repeat(n),
            "-|".repeat(n),
            "  |\n".repeat(n.min(500))
        ),
        10 => "summary: \"<script>alert(1)</script> &amp; <b>\"\n".to_owned(),
        11 => format!(
            "description: \"[a]: https://example.com/{}\\n\\n{}\"\n",
            "y".repeat(n),
            "[a]".repeat(n)
        ),
        12 => format!(
            "description: \"{}\"\n",
            (0..n).map(|i| format!("[](code:Q{i})")).collect::<String>()
        ),
        _ => "\u{feff}\u{202e}title: \"\u{0}\"\n".to_owned(),
    }
}

/// A seed entry, changed: lines dropped or repeated, fragments put in,
/// bytes flipped or cut (or, one time in three, left as it is).
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    if rng.below(3) == 0 {
        return seed.to_vec();
    }
    let text = String::from_utf8_lossy(seed).into_owned();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..1 + rng.below(2) {
        let at = rng.below(lines.len() + 1);
        match rng.below(4) {
            0 if !lines.is_empty() => {
                lines.remove(at.min(lines.len() - 1));
            }
            1 if !lines.is_empty() => {
                let line = lines[at.min(lines.len() - 1)].clone();
                lines.insert(at, line);
            }
            _ => {
                let piece = fragment(rng);
                lines.insert(at, piece.trim_end().to_owned());
            }
        }
    }
    let mut bytes = lines.join("\n").into_bytes();
    bytes.push(b'\n');
    match rng.below(6) {
        0 if !bytes.is_empty() => {
            let at = rng.below(bytes.len());
            bytes[at] = rng.next() as u8;
        }
        1 => bytes.truncate(rng.below(bytes.len() + 1)),
        _ => {}
    }
    bytes
}

fn output_bytes(dir: &Path) -> u64 {
    walk(dir)
        .iter()
        .map(|p| fs::metadata(p).unwrap().len())
        .sum()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn mutated_sites_check_build_and_export_within_bounds() {
    let seeds = seeds();
    let mut rng = Rng(0x5EED_E77D_E8A1_0001);
    let (mut built, mut refused) = (0, 0);
    for case in 0..cases() {
        let site = tempfile::tempdir().unwrap();
        fs::write(
            site.path().join("errdex.yaml"),
            errdex::testing::fuzzing::CONFIG,
        )
        .unwrap();
        let errors = site.path().join("content/errors");
        fs::create_dir_all(&errors).unwrap();
        // The config's fallback, so that a site can be valid.
        let other = b"code: other\ntitle: Other\nsummary: Anything else.\ncategory: other\nsolutions: [Ask.]\n";
        fs::write(errors.join("other.yaml"), other).unwrap();
        let mut input = other.len() as u64;
        for file in 0..1 + rng.below(3) {
            let seed = rng.pick(&seeds).clone();
            let bytes = mutate(&mut rng, &seed);
            input += bytes.len() as u64;
            fs::write(errors.join(format!("{file}.yaml")), bytes).unwrap();
        }
        let checked = check(site.path()).unwrap();
        let accepted = !checked.has_fatal(false);
        let out = site.path().join("public");
        match build(&BuildOptions::new(site.path(), &out)) {
            Ok(report) => {
                assert!(accepted, "case {case}: build passed where check failed");
                built += 1;
                let bytes = output_bytes(&out);
                // The theme alone is a few hundred kilobytes; the rest grows
                // with the input, by the small factor markup adds.
                assert!(
                    bytes <= 2 * 1024 * 1024 + 64 * input,
                    "case {case}: {bytes} bytes of output for {input} of input"
                );
                let catalog: serde_json::Value =
                    serde_json::from_slice(&fs::read(out.join("errors.json")).unwrap()).unwrap();
                assert!(catalog["errors"].is_array(), "case {case}");
                let site_model = check(site.path()).unwrap().site.unwrap();
                for language in [
                    Language::Rust,
                    Language::Typescript,
                    Language::Python,
                    Language::Go,
                ] {
                    let source = errdex::publish::exports::constants::write(&site_model, language);
                    assert!(!source.contains('\0'), "case {case}: a NUL in {language:?}");
                }
                assert!(report.entries > 0);
            }
            Err(BuildError::Content(_)) => {
                assert!(!accepted, "case {case}: check accepted what build refused");
                refused += 1;
            }
            Err(other) => panic!("case {case}: the build failed outside the content: {other}"),
        }
    }
    // The mutations make both kinds of sites.
    eprintln!("property: {built} sites built, {refused} refused");
    assert!(built > 0 && refused > 0, "built {built}, refused {refused}");
}
