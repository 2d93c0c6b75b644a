//! The built-in templates and static files, compiled into the binary.
//!
//! The repository's own `templates/` and `static/` are these files; a site's
//! files of the same name replace them, and its other files are added.

/// Built-in Tera templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("entry.html", include_str!("../../templates/entry.html")),
    (
        "category.html",
        include_str!("../../templates/category.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("alias.html", include_str!("../../templates/alias.html")),
    ("all.html", include_str!("../../templates/all.html")),
    (
        "all-entry.html",
        include_str!("../../templates/all-entry.html"),
    ),
];

/// Built-in static files, copied to the output root: (path, bytes).
pub const STATIC_FILES: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("errdex.js", include_bytes!("../../static/errdex.js")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
];
