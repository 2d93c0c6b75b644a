//! Where things are: the files and folders of a site root, and the names
//! errdex gives what it writes. Every stage takes these names from here.

/// The site config, at the root of a site.
pub const CONFIG_FILE: &str = "errdex.yaml";

/// Where entries live in a site root.
pub const CONTENT_DIR: &str = "content/errors";

/// Where a site's templates override the built-in ones.
pub const TEMPLATES_DIR: &str = "templates";

/// Where a site keeps files copied verbatim to the output.
pub const STATIC_DIR: &str = "static";

/// The output folder in a site root when none is given.
pub const OUTPUT_DIR: &str = "public";
