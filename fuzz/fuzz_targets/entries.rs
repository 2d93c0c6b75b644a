//! Entry files (split on a `%%` line) through loading, validation and rendering.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    errdex::fuzzing::check_entries(data);
});
