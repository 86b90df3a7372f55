//! The benchmarks' server: the shared test server (on a thread and runtime
//! of its own, counting requests but keeping none) scripted with two
//! routes. Shared by the SDK's benchmarks and by the side-by-side
//! comparison in `bench/compare`, so every client measured meets exactly
//! the same server.
//!
//! - `GET /ip_policies/{id}`: one IP policy.
//! - `GET /ip_policies[?before_id=ipp_p{N}&limit=100]`: page `N` of a list of
//!   `total_items` IP policies, 100 to a page, whose `next_page_uri` is a
//!   full URL, and `null` on the last page.
//!
//! The items are rendered once at start-up and every page carries the same
//! 100 of them, so the server's memory does not grow with the length of the
//! list being walked or the number of requests.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use test_server::{Bytes, Reply};

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

/// A running server; it stops when the last clone is dropped.
#[derive(Clone)]
pub struct Server {
    /// `http://127.0.0.1:{port}`, without a trailing slash.
    pub base: String,
    _running: Arc<test_server::Server>,
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
fn items_json() -> String {
    (0..PAGE_SIZE).map(policy_json).collect::<Vec<_>>().join(",")
}

/// The body of page `page` (0-based) of a list of `pages` pages served at `base`.
fn page_body(base: &str, items: &str, page: usize, pages: usize) -> String {
    let next = if page + 1 < pages {
        format!("\"{base}/ip_policies?before_id=ipp_p{:07}&limit={PAGE_SIZE}\"", page + 1)
    } else {
        "null".to_string()
    };
    format!(r#"{{"ip_policies":[{items}],"uri":"{base}/ip_policies","next_page_uri":{next}}}"#)
}

/// A complete 100-item page body, as the server sends it (for decode benchmarks).
pub fn sample_page() -> Vec<u8> {
    page_body("http://127.0.0.1:1", &items_json(), 0, 2).into_bytes()
}

/// A single IP policy body, as the server sends it.
pub fn sample_policy() -> Vec<u8> {
    policy_json(42).into_bytes()
}

/// The page a list request asks for: 0 without `before_id`, else the number after `ipp_p`.
fn requested_page(query: &[(String, String)]) -> Option<usize> {
    match query.iter().find(|(k, _)| k == "before_id") {
        None => Some(0),
        Some((_, v)) => v.strip_prefix("ipp_p")?.parse().ok(),
    }
}

/// Starts a server on an ephemeral loopback port.
pub fn start(config: Config) -> Server {
    assert!(config.total_items > 0 && config.total_items.is_multiple_of(PAGE_SIZE), "total_items must be a positive multiple of {PAGE_SIZE}");
    let pages = config.total_items / PAGE_SIZE;
    let one = Bytes::from(sample_policy());
    let items = items_json();
    // Pages name the server's own address, known once it listens.
    let base: Arc<OnceLock<String>> = Arc::default();
    let own_base = base.clone();
    let answer = move |status: u16, body: Bytes| Reply::raw(status, "application/json", body).after(config.latency);
    let running = test_server::Server::setup().counting_only().start_isolated(move |_, req| {
        let path = req.path();
        if path.starts_with("/ip_policies/") {
            return answer(200, one.clone());
        }
        if path != "/ip_policies" {
            return answer(404, Bytes::from_static(br#"{"error_code":"ERR_NGROK_404","status_code":404,"msg":"not found"}"#));
        }
        match (requested_page(&req.query()), own_base.get()) {
            (Some(p), Some(base)) if p < pages => answer(200, Bytes::from(page_body(base, &items, p, pages))),
            _ => answer(400, Bytes::from_static(br#"{"error_code":"ERR_NGROK_400","status_code":400,"msg":"bad page"}"#)),
        }
    });
    let _ = base.set(running.url());
    Server { base: running.url(), _running: Arc::new(running) }
}
