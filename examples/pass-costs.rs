//! What each pass of a build costs per entry, on one core, for sites of
//! several sizes: whether any step grows faster than the catalog, without
//! the disk, the second core or the other passes in the way.
//!
//! ```sh
//! cargo run --release --example gen-corpus -- 10000 /tmp/s10k
//! cargo run --release --example gen-corpus -- 100000 /tmp/s100k
//! cargo run --release --example pass-costs -- /tmp/s10k /tmp/s100k [--rounds 3]
//! ```
//!
//! Each pass renders into memory what `errdex build` would write (nothing
//! touches the disk after loading); the figure is the median over the rounds,
//! in microseconds per entry. Runs with the allocator and allocator options
//! of the `errdex` binary.

use std::path::Path;
use std::time::Instant;

use errdex::render::{PageId, Pages};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, as in `src/main.rs`.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // SAFETY: as in `src/main.rs`: an allocator option set before any other
    // thread runs, and a prctl that takes plain integers.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: pass-costs DIR... [--rounds R]";
    let rounds: usize = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .map_or(3, |r| r.parse().expect("--rounds takes a number"));
    let dirs: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--rounds"))
        .map(|(_, a)| a)
        .collect();
    assert!(!dirs.is_empty(), "{usage}");
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build_global()
        .expect("the only thread pool");
    println!("µs per entry, one core, median of {rounds} rounds");
    println!(
        "| entries | load + check | entry pages | list pages | per-code files | errors.json + llms-full.txt | search index |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for dir in dirs {
        row(Path::new(dir), rounds);
    }
}

fn row(root: &Path, rounds: usize) {
    let started = Instant::now();
    let checked = errdex::publish::check(root).expect("the site loads");
    let checked_in = started.elapsed().as_secs_f64();
    let site = checked.site.expect("the site is valid");
    let n = site.entries.len();
    let templates = errdex::render::templates(Some(&site.root)).expect("the templates compile");
    let pages = Pages::new(&site, templates);
    let ids = PageId::all(&site);
    let is_entry = |id: &PageId| matches!(id, PageId::Entry(_) | PageId::Alias(..));
    // Each pass returns a byte count, so none can be optimized away.
    let passes: [&dyn Fn() -> usize; 5] = [
        &|| {
            ids.iter()
                .filter(|id| is_entry(id))
                .map(|&id| pages.render(id).expect("renders").len())
                .sum()
        },
        &|| {
            ids.iter()
                .filter(|id| !is_entry(id))
                .map(|&id| pages.render(id).expect("renders").len())
                .sum()
        },
        &|| {
            (0..n)
                .flat_map(|i| errdex::publish::exports::entry_files(&site, i))
                .map(|(_, bytes)| bytes.len())
                .sum()
        },
        &|| {
            // errors.json and llms-full.txt, from each entry's pieces.
            let bytes = std::cell::Cell::new(0);
            let mut catalogs =
                errdex::publish::exports::Catalogs::new(&site, |_, chunks: &[&[u8]]| {
                    bytes.set(bytes.get() + chunks.iter().map(|c| c.len()).sum::<usize>());
                    Ok::<(), std::convert::Infallible>(())
                });
            for i in 0..n {
                let piece = errdex::publish::exports::entry_exports(&site, i).piece;
                let Ok(()) = catalogs.push(piece);
            }
            let Ok(()) = catalogs.finish();
            bytes.get()
        },
        &|| {
            errdex::search::Index::of(&site)
                .files(errdex::search::SHARD_ABOVE)
                .iter()
                .map(|(_, bytes)| bytes.len())
                .sum()
        },
    ];
    let per_entry = |seconds: f64| seconds / n as f64 * 1e6;
    let mut cells = vec![format!("{n}"), format!("{:.1}", per_entry(checked_in))];
    for pass in passes {
        let mut times: Vec<f64> = (0..rounds)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(pass());
                started.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        cells.push(format!("{:.1}", per_entry(times[times.len() / 2])));
    }
    println!("| {} |", cells.join(" | "));
}
