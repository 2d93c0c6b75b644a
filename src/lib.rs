//! errdex turns a folder of YAML error entries into a fast, searchable, static
//! error-reference website.
//!
//! The data flows one way, each stage a folder that uses only the ones
//! before it: [`content`] reads files, [`check`] runs every rule, [`site`]
//! orders what is valid, [`search`] indexes it and answers queries,
//! [`render`] makes pages, and [`publish`] writes them with the search
//! index and the exports and swaps the output into place. [`diagnostics`] and [`layout`] serve every stage; [`commands`]
//! and [`cli`] sit on top. `docs/architecture.md` follows one entry through.

pub mod bytes;
pub mod check;
pub mod cli;
pub mod commands;
pub mod content;
pub mod diagnostics;
pub mod layout;
pub mod publish;
pub mod render;
pub mod search;
pub mod site;
#[cfg(feature = "testing")]
pub mod testing;
