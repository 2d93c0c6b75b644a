//! An error page through `errdex import`: the entry files it writes must read back.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    errdex::testing::fuzzing::import_page(data);
});
