//! A fixed-response HTTP/1.1 server on loopback, shared by the SDK's
//! benchmarks and by the side-by-side comparison in `bench/compare`.
//!
//! It is deliberately tiny so that its cost is small and exactly the same
//! for every client measured against it: plain blocking sockets, one thread
//! per connection, keep-alive, and response bodies assembled from bytes
//! rendered once at start-up. It only knows two routes:
//!
//! - `GET /ip_policies/{id}`: one IP policy.
//! - `GET /ip_policies[?before_id=ipp_p{N}&limit=100]`: page `N` of a list of
//!   `total_items` IP policies, 100 to a page, whose `next_page_uri` is a
//!   full URL, and `null` on the last page.
//!
//! Every page carries the same 100 items (rendered once), so the server's
//! memory does not grow with the length of the list being walked.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// Items on every page.
pub const PAGE_SIZE: usize = 100;

/// The ID the get-by-id route answers for (any ID gets the same body).
pub const POLICY_ID: &str = "ipp_2ZtV5sGh3bQk7Lw9XyPq0000042";

/// What the server serves.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Length of the list; a multiple of [`PAGE_SIZE`].
    pub total_items: usize,
    /// Delay before every response, to stand in for a network round trip.
    pub latency: Duration,
}

impl Config {
    /// A list of `total_items` and no added latency.
    pub fn items(total_items: usize) -> Config {
        Config { total_items, latency: Duration::ZERO }
    }
}

/// A running server; it lives until the process ends.
#[derive(Debug, Clone)]
pub struct Server {
    /// `http://127.0.0.1:{port}`, without a trailing slash.
    pub base: String,
}

struct State {
    base: String,
    pages: usize,
    latency: Duration,
    one: Vec<u8>,
    items: Vec<u8>,
}

/// One IP policy as JSON, shaped like the API's.
pub fn policy_json(i: usize) -> String {
    format!(
        concat!(
            r#"{{"id":"ipp_2ZtV5sGh3bQk7Lw9XyPq{i:07}","uri":"https://api.ngrok.com/ip_policies/ipp_2ZtV5sGh3bQk7Lw9XyPq{i:07}","#,
            r#""created_at":"2025-09-04T10:11:35Z","description":"office network {i}","#,
            r#""metadata":"{{\"team\":\"infra\",\"env\":\"prod\",\"n\":{i}}}"}}"#
        ),
        i = i
    )
}

/// The items of one page, comma-separated, without the brackets.
fn items_json() -> Vec<u8> {
    (0..PAGE_SIZE).map(policy_json).collect::<Vec<_>>().join(",").into_bytes()
}

/// The body of page `page` (0-based) of a list of `pages` pages served at `base`.
fn page_body(out: &mut Vec<u8>, base: &str, items: &[u8], page: usize, pages: usize) {
    out.extend_from_slice(b"{\"ip_policies\":[");
    out.extend_from_slice(items);
    out.extend_from_slice(b"],\"uri\":\"");
    out.extend_from_slice(base.as_bytes());
    out.extend_from_slice(b"/ip_policies\",\"next_page_uri\":");
    if page + 1 < pages {
        let _ = write!(out, "\"{base}/ip_policies?before_id=ipp_p{:07}&limit={PAGE_SIZE}\"}}", page + 1);
    } else {
        out.extend_from_slice(b"null}");
    }
}

/// A complete 100-item page body, as the server sends it (for decode benchmarks).
pub fn sample_page() -> Vec<u8> {
    let mut out = Vec::new();
    page_body(&mut out, "http://127.0.0.1:1", &items_json(), 0, 2);
    out
}

/// A single IP policy body, as the server sends it.
pub fn sample_policy() -> Vec<u8> {
    policy_json(42).into_bytes()
}

/// Starts a server on an ephemeral loopback port.
pub fn start(config: Config) -> Server {
    assert!(config.total_items > 0 && config.total_items.is_multiple_of(PAGE_SIZE), "total_items must be a positive multiple of {PAGE_SIZE}");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    let state = Arc::new(State {
        base: base.clone(),
        pages: config.total_items / PAGE_SIZE,
        latency: config.latency,
        one: sample_policy(),
        items: items_json(),
    });
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&state);
                let _ = std::thread::Builder::new().name("bench-conn".into()).spawn(move || serve(stream, &state));
            }
        })
        .expect("spawn the server thread");
    Server { base }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The page a list request asks for: 0 without `before_id`, else the number after `ipp_p`.
fn requested_page(target: &str) -> Option<usize> {
    let query = match target.split_once('?') {
        None => return Some(0),
        Some((_, q)) => q,
    };
    for pair in query.split('&') {
        if let Some(v) = pair.strip_prefix("before_id=") {
            return v.strip_prefix("ipp_p")?.parse().ok();
        }
    }
    Some(0)
}

fn serve(mut stream: TcpStream, state: &State) {
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let mut body: Vec<u8> = Vec::new();
    let mut out: Vec<u8> = Vec::new();
    loop {
        // Read one request head (GET requests carry no body).
        let end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i + 4;
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end);
        let target = head.split(' ').nth(1).unwrap_or("/");
        let path = target.split('?').next().unwrap_or("");
        body.clear();
        let status = if path.starts_with("/ip_policies/") {
            body.extend_from_slice(&state.one);
            "200 OK"
        } else if path == "/ip_policies" {
            match requested_page(target) {
                Some(p) if p < state.pages => {
                    page_body(&mut body, &state.base, &state.items, p, state.pages);
                    "200 OK"
                }
                _ => {
                    body.extend_from_slice(br#"{"error_code":"ERR_NGROK_400","status_code":400,"msg":"bad page"}"#);
                    "400 Bad Request"
                }
            }
        } else {
            body.extend_from_slice(br#"{"error_code":"ERR_NGROK_404","status_code":404,"msg":"not found"}"#);
            "404 Not Found"
        };
        out.clear();
        let _ = write!(out, "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
        out.extend_from_slice(&body);
        if !state.latency.is_zero() {
            std::thread::sleep(state.latency);
        }
        if stream.write_all(&out).is_err() {
            return;
        }
    }
}
