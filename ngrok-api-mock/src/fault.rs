//! Scripted faults, rate limits and the request journal: the controls a test
//! uses to provoke and observe a client's error handling.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::error::{codes, error_body};
use crate::http::json_response;

/// A scripted fault: the next requests matching a method and a path glob get
/// an error status, a custom (JSON or HTML) body, a delay, or a dropped
/// connection instead of their normal answer.
///
/// Paths are matched without the query; in the glob, `*` stands for any
/// characters except `/` and `**` for any characters at all. The method `*`
/// matches every method.
///
/// ```
/// use std::time::Duration;
/// use ngrok_api_mock::Fault;
///
/// // Three 503s with ngrok's error body, then normal answers.
/// let f = Fault::on("GET", "/ip_policies/*").status(503).times(3);
/// // A proxy's HTML page.
/// let g = Fault::on("*", "/**").status(502).html("<html>bad gateway</html>");
/// // A slow but otherwise normal answer.
/// let h = Fault::on("POST", "/ip_policies").delay(Duration::from_millis(300));
/// // The connection closes without an answer.
/// let i = Fault::on("GET", "/tunnels").drop_connection();
/// # let _ = (f, g, h, i);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// The HTTP method to match, or `*`.
    #[serde(default = "any")]
    pub method: String,
    /// The path glob to match.
    pub path: String,
    /// The status to answer with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// A JSON body to answer with (otherwise ngrok's error body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    /// An HTML body to answer with, as a proxy would.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Extra response headers, such as `Retry-After`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
    /// How long to wait before answering, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Close the connection without answering.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drop_connection: bool,
    /// How many matching requests the fault applies to; `None` is every one.
    #[serde(default = "once")]
    pub times: Option<u32>,
}

fn any() -> String {
    "*".into()
}

fn once() -> Option<u32> {
    Some(1)
}

impl Fault {
    /// A fault for the next request with `method` (or `*`) on a path
    /// matching `path`. Unless changed, it answers 500 with ngrok's error
    /// body, once.
    pub fn on(method: impl Into<String>, path: impl Into<String>) -> Fault {
        Fault {
            method: method.into().to_ascii_uppercase(),
            path: path.into(),
            status: None,
            body: None,
            html: None,
            headers: Vec::new(),
            delay_ms: None,
            drop_connection: false,
            times: Some(1),
        }
    }

    /// Answers with this status (with ngrok's error body unless a body is set).
    pub fn status(mut self, status: u16) -> Fault {
        self.status = Some(status);
        self
    }

    /// Answers with this JSON body.
    pub fn body(mut self, body: serde_json::Value) -> Fault {
        self.body = Some(body);
        self
    }

    /// Answers with this HTML body (`text/html`), as a proxy in front of the
    /// API would.
    pub fn html(mut self, html: impl Into<String>) -> Fault {
        self.html = Some(html.into());
        self
    }

    /// Adds a response header to the fault's answer.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Fault {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Waits this long first. On its own (no status or body), the request is
    /// then answered normally: a slow response.
    pub fn delay(mut self, delay: Duration) -> Fault {
        self.delay_ms = Some(delay.as_millis().min(u128::from(u64::MAX)) as u64);
        self
    }

    /// Closes the connection without any answer.
    pub fn drop_connection(mut self) -> Fault {
        self.drop_connection = true;
        self
    }

    /// Applies to the next `n` matching requests (default 1).
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }

    /// Applies to every matching request until the faults are cleared.
    pub fn always(mut self) -> Fault {
        self.times = None;
        self
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        (self.method == "*" || self.method.eq_ignore_ascii_case(method)) && crate::util::glob(&self.path, path)
    }

    /// Whether the fault answers in place of the API (rather than only
    /// slowing it down).
    pub(crate) fn answers(&self) -> bool {
        self.status.is_some() || self.body.is_some() || self.html.is_some() || self.delay_ms.is_none()
    }
}

/// An account rate limit: at most `requests` API requests in any rolling
/// `window`; past it the emulator answers 429 with `ERR_NGROK_226`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub requests: u32,
    /// The rolling window, in milliseconds.
    pub window_ms: u64,
    /// The `Retry-After` header to send with a 429, in seconds; none when
    /// `None` (ngrok documents none).
    #[serde(default)]
    pub retry_after_secs: Option<u64>,
}

impl RateLimit {
    /// `requests` per `window`, without a `Retry-After` header.
    pub fn new(requests: u32, window: Duration) -> RateLimit {
        RateLimit { requests, window_ms: window.as_millis().min(u128::from(u64::MAX)) as u64, retry_after_secs: None }
    }

    /// Sends `Retry-After: <secs>` with each 429.
    pub fn retry_after(mut self, secs: u64) -> RateLimit {
        self.retry_after_secs = Some(secs);
        self
    }

    /// Parses `120/60s`, `10/500ms`, `100/1m` or `5/2` (seconds).
    pub fn parse(s: &str) -> Result<RateLimit, String> {
        let (n, w) = s.split_once('/').ok_or_else(|| format!("`{s}` is not REQUESTS/WINDOW, e.g. 120/60s"))?;
        let requests: u32 = n.trim().parse().map_err(|_| format!("`{n}` is not a number of requests"))?;
        if requests == 0 {
            return Err("the number of requests must be at least 1".into());
        }
        let window = parse_duration(w.trim())?;
        if window.is_zero() {
            return Err("the window must be longer than zero".into());
        }
        Ok(RateLimit::new(requests, window))
    }

    pub(crate) fn window(&self) -> Duration {
        Duration::from_millis(self.window_ms)
    }
}

/// Parses `60s`, `500ms`, `2m`, `1h` or a bare number of seconds.
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("`{s}` is not a duration such as 60s or 500ms"))?;
    match unit {
        "" | "s" => Ok(Duration::from_secs(n)),
        "ms" => Ok(Duration::from_millis(n)),
        "m" => Ok(Duration::from_secs(n.saturating_mul(60))),
        "h" => Ok(Duration::from_secs(n.saturating_mul(3600))),
        _ => Err(format!("`{s}` has an unknown unit; use ms, s, m or h")),
    }
}

/// The rolling-window counter behind a [`RateLimit`].
#[derive(Debug)]
pub(crate) struct Limiter {
    pub limit: RateLimit,
    hits: VecDeque<Instant>,
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Limiter {
        Limiter { limit, hits: VecDeque::new() }
    }

    /// Counts a request; `false` when it is over the limit (and not counted).
    pub fn admit(&mut self, now: Instant) -> bool {
        let window = self.limit.window();
        while self.hits.front().is_some_and(|t| now.duration_since(*t) >= window) {
            self.hits.pop_front();
        }
        if self.hits.len() >= self.limit.requests as usize {
            return false;
        }
        self.hits.push_back(now);
        true
    }
}

/// One API request as the emulator received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// HTTP method, upper case.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Request headers in order, names in lower case; the value of
    /// `authorization` is replaced by `[redacted]`.
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy UTF-8); empty when none was sent.
    pub body: String,
    /// The status answered, or `None` when the connection was dropped.
    pub status: Option<u16>,
}

impl JournalEntry {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The value of a query parameter (percent-decoded).
    pub fn query_param(&self, name: &str) -> Option<String> {
        let q = self.query.as_deref()?;
        form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
    }
}

/// A response whose body fails at once: the server closes the connection
/// without writing an answer.
pub(crate) fn dropped_connection() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "scripted drop"))
    });
    Response::new(Body::from_stream(stream))
}

pub(crate) fn fault_response(f: &Fault, operation_id: &str) -> Response {
    let status = f.status.unwrap_or(500);
    let mut resp = if let Some(html) = &f.html {
        let mut r = Response::new(Body::from(html.clone()));
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        r
    } else if let Some(body) = &f.body {
        let mut r = Response::new(Body::from(serde_json::to_vec(body).unwrap_or_default()));
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        r
    } else {
        let code = if status == 429 { codes::RATE_LIMIT } else { codes::FAULT };
        let msg = format!("scripted fault: answering {status}");
        json_response(status, error_body(code, status, &msg, operation_id), operation_id)
    };
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (n, v) in &f.headers {
        if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(n.as_bytes()), HeaderValue::from_str(v)) {
            resp.headers_mut().insert(n, v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_parse() {
        assert_eq!(RateLimit::parse("120/60s"), Ok(RateLimit::new(120, Duration::from_secs(60))));
        assert_eq!(RateLimit::parse("10/500ms"), Ok(RateLimit::new(10, Duration::from_millis(500))));
        assert_eq!(RateLimit::parse("5/2"), Ok(RateLimit::new(5, Duration::from_secs(2))));
        assert!(RateLimit::parse("0/1s").is_err());
        assert!(RateLimit::parse("abc").is_err());
        assert!(RateLimit::parse("1/2y").is_err());
    }

    #[test]
    fn the_limiter_rolls() {
        let mut l = Limiter::new(RateLimit::new(2, Duration::from_secs(1)));
        let t = Instant::now();
        assert!(l.admit(t));
        assert!(l.admit(t));
        assert!(!l.admit(t + Duration::from_millis(999)));
        assert!(l.admit(t + Duration::from_millis(1000)));
    }

    #[test]
    fn faults_match_method_and_glob() {
        let f = Fault::on("get", "/ip_policies/*");
        assert!(f.matches("GET", "/ip_policies/ipp_1"));
        assert!(!f.matches("POST", "/ip_policies/ipp_1"));
        assert!(f.answers());
        assert!(!Fault::on("*", "/**").delay(Duration::from_millis(1)).answers());
        let parsed: Fault = serde_json::from_value(serde_json::json!({"path": "/x", "status": 503})).expect("parses");
        assert_eq!(parsed, Fault::on("*", "/x").status(503));
    }
}
