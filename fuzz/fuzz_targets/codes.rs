//! A `check --codes-from` file: an OpenAPI document or a list of codes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    errdex::testing::fuzzing::codes_file(data);
});
