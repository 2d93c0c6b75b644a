//! The integration tests, as one binary: every test file is a module here, so
//! the dependencies are linked once rather than once per file (a clean
//! `cargo test` writes a third of the bytes and links in a fraction of the time).
//! Run one file's tests with `cargo test --test integration build::`.

mod browser;
mod common;

mod a11y_browser;
mod architecture;

mod build;
mod catalog;
mod catalog_browser;
mod cli;
mod export;
mod fixtures;
mod fuzz_seeds;
mod hostile;
mod import;
mod links;
mod navigation;
mod property;
mod publish;
mod reader;
mod relevance;
mod scaffold;
mod schema;
mod search;
mod search_browser;
mod serve;
