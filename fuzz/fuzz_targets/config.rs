//! `errdex.yaml` bytes through loading, validation and rendering.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    errdex::testing::fuzzing::check_config(data);
});
