//! The commands besides `check` and `build`: the live preview, importing a
//! page, explaining a code or a rule, searching, and creating sites and entries.

pub mod explain;
pub mod import;
pub mod scaffold;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod terminal;
