//! The HTTP side of `serve`: static files from the output folder (tower-http's
//! `ServeDir`: content types, ranges, HEAD, `index.html` for folders), the
//! site's 404 page with status 404, a guard that answers only requests for
//! the server's own host names and keeps every request inside the output
//! folder, the live-reload event stream, and the live script added to HTML
//! responses as they stream out (never to the files themselves).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream;
use percent_encoding::percent_decode_str;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::{ServeDir, ServeFile};

use super::hosts::Hosts;
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
            stop_signal().await;
            let _ = stopping.events.send(LiveEvent::Shutdown);
        })
        .await
}

/// Ctrl-C, or (on Unix) the terminal closing (SIGHUP) or a polite kill
/// (SIGTERM): each stops the server the same way, so its temporary
/// folder is removed.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut hangup), Ok(mut terminate)) = (
            signal(SignalKind::hangup()),
            signal(SignalKind::terminate()),
        ) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = hangup.recv() => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
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
        .layer(middleware::from_fn_with_state(shared.clone(), host_guard))
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

/// Answers only requests whose `Host` is one of the server's own names: a
/// page elsewhere cannot read the preview through a domain it points at
/// 127.0.0.1 (DNS rebinding).
async fn host_guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let hosts = request.headers().get_all(header::HOST);
    let host = match (hosts.iter().next(), hosts.iter().nth(1)) {
        (Some(one), None) => one.to_str().ok(),
        // Two Host headers: which one a proxy read is unknown.
        (Some(_), Some(_)) => None,
        (None, _) => request.uri().authority().map(|a| a.as_str()),
    };
    if host.is_some_and(|host| shared.hosts.allows(host)) {
        return next.run(request).await;
    }
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        Hosts::REFUSAL,
    )
        .into_response()
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

/// Adds the live script to HTML and forbids caching, so a reload shows the
/// new build. A page gets the script, so its bytes are not the file's: a
/// range of a page is answered with the whole page (as RFC 9110 allows),
/// and pages do not offer ranges. Other files keep their ranges.
async fn decorate(State(_): State<Arc<Shared>>, mut request: Request, next: Next) -> Response {
    let is_head = request.method() == axum::http::Method::HEAD;
    if is_page_path(request.uri().path()) {
        request.headers_mut().remove(header::RANGE);
    }
    let is_range = request.headers().contains_key(header::RANGE);
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if is_range || response.status() == StatusCode::PARTIAL_CONTENT {
        return response;
    }
    let response = decorate_html(response).await;
    if is_head {
        // The length the same GET would have, without a body.
        let (parts, _) = response.into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    response
}

/// Whether a path names a page: a folder (its `index.html`), an `.html`
/// file, or a name without an extension.
fn is_page_path(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    last.is_empty()
        || !last.contains('.')
        || last.to_ascii_lowercase().ends_with(".html")
        || last.to_ascii_lowercase().ends_with(".htm")
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
    let length = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::ACCEPT_RANGES);
    if let Some(length) = length {
        let longer = (length + LIVE_TAG.len() as u64).to_string();
        if let Ok(value) = HeaderValue::from_str(&longer) {
            parts.headers.insert(header::CONTENT_LENGTH, value);
        }
    }
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, inject_live_tag(body))
}

/// The end of the body, before which the live script goes.
const BODY_END: &[u8] = b"</body>";

/// `body` with [`LIVE_TAG`] before its first `</body>` (at its end when it
/// has none), passed on chunk by chunk: at most one chunk and the few bytes
/// that could begin `</body>` are held at a time, whatever the page's size.
fn inject_live_tag(body: Body) -> Body {
    struct Injecting {
        chunks: axum::body::BodyDataStream,
        held: Vec<u8>,
        inserted: bool,
        ended: bool,
    }
    let start = Injecting {
        chunks: body.into_data_stream(),
        held: Vec::new(),
        inserted: false,
        ended: false,
    };
    Body::from_stream(stream::unfold(start, |mut s| async move {
        loop {
            if s.ended {
                return None;
            }
            match s.chunks.next().await {
                Some(Ok(chunk)) if s.inserted => return Some((Ok(chunk), s)),
                Some(Ok(chunk)) => {
                    s.held.extend_from_slice(&chunk);
                    if let Some(at) = find_ascii_ci(&s.held, BODY_END) {
                        let mut out = Vec::with_capacity(s.held.len() + LIVE_TAG.len());
                        out.extend_from_slice(&s.held[..at]);
                        out.extend_from_slice(LIVE_TAG.as_bytes());
                        out.extend_from_slice(&s.held[at..]);
                        s.held = Vec::new();
                        s.inserted = true;
                        return Some((Ok(Bytes::from(out)), s));
                    }
                    let keep = s.held.len().min(BODY_END.len() - 1);
                    let ready: Vec<u8> = s.held.drain(..s.held.len() - keep).collect();
                    if !ready.is_empty() {
                        return Some((Ok(Bytes::from(ready)), s));
                    }
                }
                Some(Err(error)) => {
                    s.ended = true;
                    return Some((Err(error), s));
                }
                None => {
                    s.ended = true;
                    let mut rest = std::mem::take(&mut s.held);
                    if !s.inserted {
                        rest.extend_from_slice(LIVE_TAG.as_bytes());
                    }
                    return Some((Ok(Bytes::from(rest)), s));
                }
            }
        }
    }))
}

/// Where `needle` (lowercase ASCII) first occurs in `haystack`, ignoring ASCII case.
fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
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
        std::fs::write(output.join("style.css"), "body { color: black; }").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let (events, _) = tokio::sync::broadcast::channel(4);
        let shared = Arc::new(Shared {
            output,
            events,
            broken: std::sync::Mutex::new(None),
            hosts: Hosts::new("127.0.0.1", "127.0.0.1:8090".parse().unwrap()),
        });
        (dir, shared)
    }

    async fn get_path(shared: &Arc<Shared>, path: &str) -> (StatusCode, String) {
        let request = Request::builder()
            .uri(path)
            .header(header::HOST, "127.0.0.1:8090")
            .body(Body::empty())
            .unwrap();
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

    async fn request(shared: &Arc<Shared>, request: Request) -> Response {
        app(shared.clone()).oneshot(request).await.unwrap()
    }

    #[tokio::test]
    async fn requests_for_another_host_are_refused_pages_and_events_alike() {
        let (_dir, shared) = site();
        for path in [
            "/",
            "/errors/429/",
            "/__errdex/events",
            "/__errdex/live.js",
            "/nope",
        ] {
            for host in ["rebind.example:8090", "127.0.0.1.rebind.example"] {
                let asked = Request::builder()
                    .uri(path)
                    .header(header::HOST, host)
                    .body(Body::empty())
                    .unwrap();
                let response = request(&shared, asked).await;
                assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} {host}");
            }
            let without_host = Request::builder().uri(path).body(Body::empty()).unwrap();
            let response = request(&shared, without_host).await;
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{path} without Host"
            );
        }
        let local = Request::builder()
            .uri("/errors/429/")
            .header(header::HOST, "localhost:8090")
            .body(Body::empty())
            .unwrap();
        assert_eq!(request(&shared, local).await.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_large_page_streams_whole_with_its_length_and_a_range_gets_the_whole_page() {
        let (_dir, shared) = site();
        // Larger than any buffer a whole-body read would have been allowed.
        let mut page = b"<html><body>".to_vec();
        page.resize(65 * 1024 * 1024, b'x');
        page.extend_from_slice(b"</body></html>");
        std::fs::write(shared.output.join("big.html"), &page).unwrap();
        let get = Request::builder()
            .uri("/big.html")
            .header(header::HOST, "127.0.0.1:8090")
            .body(Body::empty())
            .unwrap();
        let response = request(&shared, get).await;
        assert_eq!(response.status(), StatusCode::OK);
        let length: usize = response.headers()[header::CONTENT_LENGTH]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(body.len(), length);
        assert_eq!(body.len(), page.len() + LIVE_TAG.len());
        assert!(body.ends_with(format!("{LIVE_TAG}</body></html>").as_bytes()));
        let head = Request::builder()
            .method("HEAD")
            .uri("/big.html")
            .header(header::HOST, "127.0.0.1:8090")
            .body(Body::empty())
            .unwrap();
        let response = request(&shared, head).await;
        assert_eq!(
            response.headers()[header::CONTENT_LENGTH],
            length.to_string().as_str()
        );
        // A page is not the file's bytes: a range of it gets the whole page.
        let range = |uri: &str| {
            Request::builder()
                .uri(uri)
                .header(header::HOST, "127.0.0.1:8090")
                .header(header::RANGE, "bytes=6-11")
                .body(Body::empty())
                .unwrap()
        };
        let response = request(&shared, range("/errors/429/")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(!response.headers().contains_key(header::CONTENT_RANGE));
        assert!(!response.headers().contains_key(header::ACCEPT_RANGES));
        let file = std::fs::read(shared.output.join("errors/429/index.html")).unwrap();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(body.len(), file.len() + LIVE_TAG.len());
        // Other files keep their ranges.
        let response = request(&shared, range("/style.css")).await;
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
        let file = std::fs::read(shared.output.join("style.css")).unwrap();
        assert_eq!(
            response.headers()[header::CONTENT_RANGE],
            format!("bytes 6-11/{}", file.len()).as_str()
        );
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(&body[..], &file[6..12]);
    }

    #[tokio::test]
    async fn the_end_of_the_body_is_found_across_chunks() {
        let pieces = ["<html><body><p>x</p></bo", "dy>", "</html>"];
        let chunks = stream::iter(pieces.map(|p| Ok::<_, Infallible>(Bytes::from(p))));
        let body = inject_live_tag(Body::from_stream(chunks));
        let body = axum::body::to_bytes(body, 1024).await.unwrap();
        assert_eq!(
            &body[..],
            format!("<html><body><p>x</p>{LIVE_TAG}</body></html>").as_bytes()
        );
        let body = inject_live_tag(Body::from("no end tag"));
        let body = axum::body::to_bytes(body, 1024).await.unwrap();
        assert_eq!(&body[..], format!("no end tag{LIVE_TAG}").as_bytes());
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
