//! Helpers for errdex's own tests, benchmarks and fuzz targets (feature
//! `testing`): a generator of synthetic catalogs and the fuzzers' entry points.

pub mod corpus;
pub mod fuzzing;
