//! `errdex.yaml` bytes through loading, validation and rendering.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    errdex::fuzzing::check_config(data);
});
