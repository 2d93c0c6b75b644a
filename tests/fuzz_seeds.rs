//! Every fuzz seed and every input the fuzzer ever crashed on, as a regular
//! test: each goes through loading, validation and rendering without a panic.

use std::fs;
use std::path::Path;

fn each_seed(dir: &str, run: fn(&[u8]) -> usize) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(dir);
    let mut count = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(|| run(&bytes));
        assert!(result.is_ok(), "{} panics", path.display());
        count += 1;
    }
    count
}

#[test]
fn every_entry_seed_is_handled() {
    assert!(each_seed("entries", errdex::testing::fuzzing::check_entries) > 40);
}

#[test]
fn every_config_seed_is_handled() {
    assert!(each_seed("config", errdex::testing::fuzzing::check_config) > 3);
}

#[test]
fn every_page_seed_imports_into_entries_errdex_reads_back() {
    assert!(each_seed("pages", errdex::testing::fuzzing::import_page) >= 3);
}

#[test]
fn every_codes_file_seed_is_handled() {
    assert!(each_seed("codes", errdex::testing::fuzzing::codes_file) >= 3);
}
