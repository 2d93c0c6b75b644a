//! Reading a site: its config and entry files, parsed from YAML with the
//! position of every value kept, and the markdown they hold.

pub mod config;
pub mod contain;
pub mod date;
pub mod entry;
pub mod http;
pub mod load;
pub mod markdown;
pub mod node;
pub mod schema;
pub mod shape;
pub mod yaml;
