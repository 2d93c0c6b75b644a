//! Writes a synthetic errdex site of N entries shaped like real API error
//! catalogs, for benchmarks:
//!
//! ```sh
//! cargo run --release --example gen-corpus -- 10000 /tmp/site [--seed 42]
//! cargo run --release --example gen-corpus -- 6000 /tmp/wide --categories 440
//! ```
//!
//! With `--categories K`: a catalog shaped like a cloud provider's, `K`
//! services and codes `Service.ErrorName` up to 80 characters.
//!
//! Deterministic: the same N and seed give the same bytes (see `src/corpus.rs`).

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen-corpus N DIR [--seed S] [--categories K]";
    let n: usize = args.first().and_then(|a| a.parse().ok()).expect(usage);
    let root = PathBuf::from(args.get(1).expect(usage));
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .map_or(errdex::testing::corpus::SEED, |s| {
            s.parse().expect("--seed takes a number")
        });
    let categories = args
        .iter()
        .position(|a| a == "--categories")
        .and_then(|i| args.get(i + 1))
        .map(|k| k.parse::<usize>().expect("--categories takes a number"));
    match categories {
        Some(k) => errdex::testing::corpus::write_wide_site(n, k, &root, seed)?,
        None => errdex::testing::corpus::write_site(n, &root, seed)?,
    }
    eprintln!("wrote {n} entries to {}", root.display());
    Ok(())
}
