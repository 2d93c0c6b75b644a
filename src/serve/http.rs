//! The HTTP side of `serve`: static files from the output folder (tower-http's
//! `ServeDir`: content types, ranges, HEAD, `index.html` for folders), the
//! site's 404 page with status 404, a guard that keeps every request inside
//! the output folder, the live-reload event stream, and the live script added
//! to HTML responses on the way out (never to the files themselves).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::{ServeDir, ServeFile};

use super::{LiveEvent, Shared, inside};

/// The script tag added before `</body>` of every HTML response.
const LIVE_TAG: &str = "<script src=\"/__errdex/live.js\"></script>";

/// Serves until Ctrl-C, then lets open event streams end and returns.
pub(crate) async fn run(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let stopping = shared.clone();
    axum::serve(listener, app(shared))
        .with_graceful_shutdown(async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = stopping.events.send(LiveEvent::Shutdown);
        })
        .await
}

/// The routes: the live-reload endpoints, then the output folder.
pub(crate) fn app(shared: Arc<Shared>) -> Router {
    let files = ServeDir::new(&shared.output)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(shared.output.join("404.html")));
    Router::new()
        .route("/__errdex/events", get(events))
        .route("/__errdex/live.js", get(live_script))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(shared.clone(), decorate))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

async fn live_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        include_str!("live.js"),
    )
        .into_response()
}

/// Server-sent events: the current state first, then one event per rebuild.
async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let first = match shared.broken.lock().ok().and_then(|b| b.clone()) {
        Some(json) => Event::default().event("errors").data(json),
        None => Event::default().event("ok").data("{}"),
    };
    let updates = BroadcastStream::new(shared.events.subscribe())
        .take_while(|event| !matches!(event, Ok(LiveEvent::Shutdown)))
        .filter_map(|event| match event {
            Ok(LiveEvent::Reload) => Some(Event::default().event("reload").data("{}")),
            Ok(LiveEvent::Errors(json)) => Some(Event::default().event("errors").data(json)),
            _ => None,
        });
    let stream = tokio_stream::once(first)
        .chain(updates)
        .map(Ok::<_, Infallible>);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Refuses any request that could reach outside the output folder: `..` and
/// `.` segments (also percent-encoded), encoded slashes and backslashes, NUL,
/// and paths that resolve elsewhere through symbolic links.
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let raw = request.uri().path();
    let lowered = raw.to_ascii_lowercase();
    let encoded_separator =
        lowered.contains("%2f") || lowered.contains("%5c") || lowered.contains("%00");
    let decoded = percent_decode_str(raw).decode_utf8();
    let Ok(decoded) = decoded else {
        return not_found(&shared).await;
    };
    let bad_segment = decoded
        .split('/')
        .any(|s| s == ".." || s == "." || s.contains('\\') || s.contains('\0'));
    if encoded_separator || bad_segment {
        return not_found(&shared).await;
    }
    let candidate = shared.output.join(decoded.trim_start_matches('/'));
    if !inside(&shared.output, &candidate) {
        return not_found(&shared).await;
    }
    next.run(request).await
}

/// The site's 404 page, with status 404.
async fn not_found(shared: &Shared) -> Response {
    let page = tokio::fs::read(shared.output.join("404.html"))
        .await
        .unwrap_or_default();
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = StatusCode::NOT_FOUND;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    decorate_html(response).await
}

/// Adds the live script to HTML and forbids caching, so a reload shows the new build.
async fn decorate(State(_): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let is_head = request.method() == axum::http::Method::HEAD;
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if is_head {
        return response;
    }
    decorate_html(response).await
}

async fn decorate_html(response: Response) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, LIVE_TAG),
        None => html.push_str(LIVE_TAG),
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(html))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use tower::ServiceExt;

    fn site() -> (tempfile::TempDir, Arc<Shared>) {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("site");
        std::fs::create_dir_all(output.join("errors/429")).unwrap();
        std::fs::write(output.join("index.html"), "<html><body>home</body></html>").unwrap();
        std::fs::write(
            output.join("404.html"),
            "<html><body>not here</body></html>",
        )
        .unwrap();
        std::fs::write(
            output.join("errors/429/index.html"),
            "<html><body>429</body></html>",
        )
        .unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let (events, _) = tokio::sync::broadcast::channel(4);
        let shared = Arc::new(Shared {
            output,
            events,
            broken: std::sync::Mutex::new(None),
        });
        (dir, shared)
    }

    async fn get_path(shared: &Arc<Shared>, path: &str) -> (StatusCode, String) {
        let request = Request::builder().uri(path).body(Body::empty()).unwrap();
        let response = app(shared.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn folders_serve_their_index_and_missing_pages_the_404_page() {
        let (_dir, shared) = site();
        let (status, body) = get_path(&shared, "/errors/429/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("429") && body.contains(LIVE_TAG));
        let (status, body) = get_path(&shared, "/errors/999/").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("not here") && body.contains(LIVE_TAG));
    }

    #[tokio::test]
    async fn nothing_outside_the_output_folder_is_reachable() {
        let (dir, shared) = site();
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            shared.output.join("link.txt"),
        )
        .unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path(), shared.output.join("up")).unwrap();
        for path in [
            "/../secret.txt",
            "/errors/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/errors/%2e%2e/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/..%2Fsecret.txt",
            "/..%5csecret.txt",
            "/errors%2f..%2f..%2fsecret.txt",
            "/secret.txt%00.html",
            "/link.txt",
            "/up/secret.txt",
            "/./index.html",
        ] {
            let (status, body) = get_path(&shared, path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(!body.contains("secret"), "{path} leaked the file");
        }
        assert!(Path::new(&shared.output).join("index.html").exists());
    }

    #[tokio::test]
    async fn the_live_script_goes_before_the_end_of_the_body() {
        let mut response = Response::new(Body::from("<html><body><p>x</p></body></html>"));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        let decorated = decorate_html(response).await;
        let body = axum::body::to_bytes(decorated.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(
            &body[..],
            format!("<html><body><p>x</p>{LIVE_TAG}</body></html>").as_bytes()
        );
    }
}
