//! How a site's pages lead readers through a catalog of any size: the home
//! page's overview, paged category tables, the alias arrival note, the
//! configurable labels and the default code language.

use std::fs;

use crate::common::*;
use errdex::publish::{BuildOptions, build};

fn entry(code: &str, category: &str, extra: &str) -> String {
    format!(
        "code: \"{code}\"\ncategory: {category}\ntitle: Title of {code}\nsummary: Summary of {code}.\nsolutions: [Fix it.]\n{extra}"
    )
}

/// Builds a site of `n` client codes `E0001`... under `config`; returns it
/// and its output folder.
fn catalog(n: usize, config: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let site = site(&[("errdex.yaml", config)]);
    for i in 1..=n {
        let code = format!("E{i:04}");
        write(
            site.path(),
            &format!("content/errors/{code}.yaml"),
            &entry(
                &code,
                "client",
                if i % 2 == 0 { "retryable: true\n" } else { "" },
            ),
        );
    }
    let public = site.path().join("public");
    build(&BuildOptions::new(site.path(), &public)).unwrap();
    (site, public)
}

fn read(public: &std::path::Path, path: &str) -> String {
    fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_small_catalogs_home_lists_every_code_and_a_large_ones_its_categories() {
    let config = format!("{CONFIG}featured: [E0003]\n");
    let (_small, public) = catalog(12, &config);
    let home = read(&public, "index.html");
    assert!(home.contains("E0012"), "every code on a small site's home");
    assert!(!home.contains("category-grid"));
    assert!(
        home.contains("<h2 id=\"featured-title\">Common errors</h2>"),
        "featured codes on any home page"
    );

    let config = format!("{CONFIG}home_list_max: 10\nfeatured: [E0007]\n");
    let (_large, public) = catalog(12, &config);
    let home = read(&public, "index.html");
    assert!(home.contains("class=\"category-grid\""), "{home}");
    assert!(
        home.contains(
            "categories/client/index.html\">Client errors</a> <span class=\"muted\">12 codes</span>"
        ),
        "{home}"
    );
    assert!(
        home.contains("E0007"),
        "the featured code is on the home page"
    );
    assert!(!home.contains("E0008"), "other codes are not");
    // Categories without codes are left out of the overview.
    assert!(!home.contains("Server errors"));
}

#[test]
fn a_featured_code_that_does_not_exist_is_an_error_at_its_line() {
    let config = format!("{CONFIG}featured: [E0001, E9999]\n");
    let site = site(&[
        ("errdex.yaml", &config),
        ("content/errors/E0001.yaml", &entry("E0001", "client", "")),
    ]);
    errdex()
        .arg("check")
        .current_dir(site.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "featured code `E9999` is not defined",
        ))
        .stderr(predicates::str::contains("errdex.yaml:8:19"));
}

#[test]
fn a_category_is_a_table_in_pages_with_every_code_reachable() {
    let config = format!("{CONFIG}category_page_size: 10\n");
    let (_site, public) = catalog(25, &config);
    let first = read(&public, "categories/client/index.html");
    let second = read(&public, "categories/client/page/2/index.html");
    let third = read(&public, "categories/client/page/3/index.html");
    assert!(!public.join("categories/client/page/4").exists());
    let rows = |page: &str| page.matches("<tr><td>").count();
    assert_eq!((rows(&first), rows(&second), rows(&third)), (10, 10, 5));
    assert!(
        first.contains("<th scope=\"col\">Retry</th>"),
        "a column for what entries say"
    );
    assert!(
        !first.contains("<th scope=\"col\">HTTP</th>"),
        "none for what none says"
    );
    assert!(first.contains("25 codes, page 1 of 3"));
    assert!(
        second.contains("<a href=\"../../../../categories/client/index.html\" rel=\"prev\">"),
        "{second}"
    );
    assert!(
        second
            .contains("<a href=\"../../../../categories/client/page/3/index.html\" rel=\"next\">")
    );
    assert!(second.contains("<span aria-current=\"page\">2</span>"));
    assert!(
        second.contains("href=\"../../../../errors/E0011/index.html\""),
        "{second}"
    );
    assert!(second.contains("data-pages=\"../../../../categories/client/index.html ../../../../categories/client/page/2/index.html ../../../../categories/client/page/3/index.html \""));
    assert!(second.contains("<title>Client errors (page 2 of 3) · Test site</title>"));
    let sitemap = read(&public, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.com/errors/categories/client/page/3/</loc>"),
        "{sitemap}"
    );
    // Every code is linked from one page of its category.
    let all = format!("{first}{second}{third}");
    for i in 1..=25 {
        assert_eq!(
            all.matches(&format!("errors/E{i:04}/index.html\"")).count(),
            1,
            "E{i:04}"
        );
    }
}

#[test]
fn an_alias_redirects_with_its_code_and_its_entry_says_where_the_reader_came_from() {
    let site = site(&[
        ("errdex.yaml", CONFIG),
        (
            "content/errors/503.yaml",
            "codes: [\"503\", \"504\"]\ncategory: server\ntitle: Service unavailable\nsummary: Try again.\nhttp_status: 503\nsolutions: [Retry.]\n",
        ),
    ]);
    let public = site.path().join("public");
    build(&BuildOptions::new(site.path(), &public)).unwrap();
    let alias = read(&public, "errors/504/index.html");
    assert!(
        alias.contains("url=../../errors/503/index.html?from=504\">"),
        "{alias}"
    );
    let page = read(&public, "errors/503/index.html");
    assert!(
        page.contains("<p class=\"banner banner-arrival\" role=\"note\" data-alias=\"504\" hidden><span class=\"code\">504</span> Gateway Timeout is documented here with <span class=\"code\">503</span>.</p>"),
        "{page}"
    );
    let redirects = read(&public, "_redirects");
    assert!(
        redirects.contains("/errors/errors/504/ /errors/errors/503/?from=504 301"),
        "{redirects}"
    );
}

#[test]
fn labels_reword_the_lifecycle_banners_and_keep_their_placeholders() {
    let config = format!(
        "{CONFIG}labels:\n  deprecated_note: The compiler still reports this code.\n  replaced: \"Use {{code}} now.\"\n  removed_in: \"Gone since {{version}}\"\n"
    );
    let labelled = site(&[
        ("errdex.yaml", &config),
        (
            "content/errors/E0001.yaml",
            &entry("E0001", "client", "status: deprecated\n"),
        ),
        (
            "content/errors/E0002.yaml",
            &entry(
                "E0002",
                "client",
                "status: removed\nremoved_in: \"1.2\"\nreplaced_by: E0003\n",
            ),
        ),
        ("content/errors/E0003.yaml", &entry("E0003", "client", "")),
    ]);
    let public = labelled.path().join("public");
    build(&BuildOptions::new(labelled.path(), &public)).unwrap();
    let deprecated = read(&public, "errors/E0001/index.html");
    assert!(
        deprecated.contains("<strong>Deprecated.</strong> The compiler still reports this code."),
        "{deprecated}"
    );
    assert!(!deprecated.contains("The API still returns"));
    let removed = read(&public, "errors/E0002/index.html");
    assert!(
        removed.contains("<strong>Gone since 1.2.</strong>"),
        "{removed}"
    );
    assert!(
        removed.contains("Use <a href=\"../../errors/E0003/index.html\"><span class=\"code\">E0003</span> Title of E0003</a> now."),
        "{removed}"
    );

    let broken =
        format!("{CONFIG}labels:\n  replacement: Its replacement is elsewhere.\n  colour: red\n");
    let site2 = site(&[
        ("errdex.yaml", &broken),
        ("content/errors/E0001.yaml", &entry("E0001", "client", "")),
    ]);
    errdex()
        .arg("check")
        .current_dir(site2.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("colour"));
    let missing = format!("{CONFIG}labels:\n  replacement: Its replacement is elsewhere.\n");
    let site3 = site(&[
        ("errdex.yaml", &missing),
        ("content/errors/E0001.yaml", &entry("E0001", "client", "")),
    ]);
    errdex()
        .arg("check")
        .current_dir(site3.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "label `replacement` must contain `{code}`",
        ))
        .stderr(predicates::str::contains("errdex.yaml:9:16"));
}

#[test]
fn code_without_a_language_is_highlighted_in_the_sites_default() {
    let body = "description: |\n  ```\n  {\"error\": {\"code\": 42}}\n  ```\nexamples:\n  - body: '{\"ok\": false}'\n";
    let config = format!("{CONFIG}code_language: json\n");
    let site = site(&[
        ("errdex.yaml", &config),
        ("content/errors/E0001.yaml", &entry("E0001", "client", body)),
    ]);
    let public = site.path().join("public");
    build(&BuildOptions::new(site.path(), &public)).unwrap();
    let page = read(&public, "errors/E0001/index.html");
    assert_eq!(
        page.matches("<code class=\"language-json\">").count(),
        2,
        "{page}"
    );
    assert!(page.contains("<span class=\"hl-"), "{page}");
}
