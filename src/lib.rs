//! errdex turns a folder of YAML error entries into a fast, searchable, static
//! error-reference website.
//!
//! The data flows one way: [`load`] reads files, [`validate`] runs every rule,
//! [`site`] orders what is valid, [`render`] and [`exports`] produce the output
//! and [`output`] swaps it into place. [`build`] strings the stages together;
//! [`cli`] is the command line.

pub mod build;
pub mod cli;
pub mod config;
pub mod contain;
#[doc(hidden)]
pub mod corpus;
pub mod coverage;
pub mod date;
pub mod diagnostic;
pub mod entry;
pub mod explain;
pub mod exports;
#[doc(hidden)]
pub mod fuzzing;
pub mod gitdates;
pub mod highlight;
pub mod http;
pub mod import;
pub mod incremental;
pub mod load;
pub mod markdown;
pub mod natural;
pub mod output;
pub mod render;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod seo;
#[cfg(feature = "serve")]
pub mod serve;
pub mod shape;
pub mod site;
pub mod source;
pub mod span;
pub mod static_files;
pub mod suggest;
pub mod terminal;
pub mod theme;
pub mod validate;
pub mod yaml;
