//! `record`: a proxy in front of the live API that writes each exchange to
//! a recording, with every secret taken out, for `verify` to replay.
//!
//! The client's `Authorization` header goes upstream as it came and never
//! into the file. What the file keeps of each exchange: the method, path,
//! query, body and the headers that are not credentials; the status, body
//! and the headers of the answer. Secrets are replaced by `[redacted]`
//! wherever they appear: values of credential-like keys (`token`,
//! `api_key`, `password`, `*_secret`, `private_key*`, a secret's `value`,
//! ...), any PEM private key, and the API key itself anywhere in any text.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::oneshot;

use crate::MockError;
use crate::scrub::{scrub, scrub_text};

/// The name in the header of every recording.
pub(crate) const FORMAT: &str = "ngrok-api-mock-recording";
/// The recording format this emulator writes and reads.
pub(crate) const VERSION: u64 = 1;

/// Largest body relayed.
const BODY_LIMIT: usize = 16 << 20;

/// A recording: where it was made and what went by.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Recording {
    pub format: String,
    pub version: u64,
    pub upstream: String,
    pub exchanges: Vec<Exchange>,
}

/// One request and its answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Exchange {
    pub request: RecordedRequest,
    pub response: RecordedResponse,
}

/// A request as recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RecordedRequest {
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: Value,
}

/// An answer as recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RecordedResponse {
    pub status: u16,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: Value,
}

struct Proxy {
    upstream: String,
    out: PathBuf,
    http: reqwest::Client,
    recording: Mutex<Recording>,
    /// The error of the last write of the file, if it failed.
    failed: Mutex<Option<String>>,
}

/// A running recording proxy; see [`Recorder::start`].
pub struct Recorder {
    proxy: Arc<Proxy>,
    url: String,
    shutdown: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("url", &self.url)
            .field("upstream", &self.proxy.upstream)
            .field("out", &self.proxy.out)
            .finish()
    }
}

impl Recorder {
    /// Listens on `addr` (port 0 for a free one) and relays every request
    /// to `upstream` (such as `https://api.ngrok.com`), writing the
    /// exchanges to `out` after each one. The file is replaced whole each
    /// time (temporary file, flush, rename), so it always holds a complete
    /// recording.
    pub async fn start(upstream: &str, out: impl AsRef<Path>, addr: SocketAddr) -> Result<Recorder, MockError> {
        let upstream = upstream.trim_end_matches('/').to_string();
        let parsed = url::Url::parse(&upstream)
            .map_err(|e| MockError::Record(format!("--upstream {upstream} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(MockError::Record(format!("--upstream {upstream} must be an http or https URL")));
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| MockError::Record(format!("cannot make an HTTP client: {e}")))?;
        let out = out.as_ref().to_path_buf();
        let proxy = Arc::new(Proxy {
            recording: Mutex::new(Recording {
                format: FORMAT.into(),
                version: VERSION,
                upstream: upstream.clone(),
                exchanges: Vec::new(),
            }),
            upstream,
            out,
            http,
            failed: Mutex::new(None),
        });
        proxy.save().map_err(MockError::Record)?;
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|source| MockError::Bind { addr, source })?;
        let local = listener.local_addr().map_err(|source| MockError::Bind { addr, source })?;
        let app = axum::Router::new().fallback(relay).with_state(proxy.clone());
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Recorder { proxy, url: format!("http://{local}"), shutdown: Some(tx) })
    }

    /// The proxy's base URL: give it to the client instead of the API's.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many exchanges are recorded so far.
    pub fn exchanges(&self) -> usize {
        self.proxy.recording.lock().unwrap_or_else(|e| e.into_inner()).exchanges.len()
    }

    /// Stops listening and writes the file a last time.
    pub fn finish(mut self) -> Result<(), MockError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.proxy.save().map_err(MockError::Record)?;
        match self.proxy.failed.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(e) => Err(MockError::Record(e)),
            None => Ok(()),
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Proxy {
    fn save(&self) -> Result<(), String> {
        let bytes = {
            let r = self.recording.lock().unwrap_or_else(|e| e.into_inner());
            serde_json::to_vec_pretty(&*r).map_err(|e| format!("cannot serialize the recording: {e}"))?
        };
        let dir = match self.out.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = self.out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        crate::state::write_atomically(&self.out, &dir.join(format!(".{name}.tmp")), &bytes)
            .map_err(|e| format!("cannot write the recording {}: {e}", self.out.display()))
    }
}

/// Request headers that never go upstream as they are (hop-by-hop, or
/// set by the HTTP client itself).
fn hop_by_hop(name: &str) -> bool {
    matches!(
        name,
        "host" | "connection" | "keep-alive" | "proxy-connection" | "transfer-encoding" | "upgrade" | "te"
            | "trailer" | "content-length" | "accept-encoding"
    )
}

/// Headers that carry credentials: relayed, never written.
fn credential_header(name: &str) -> bool {
    matches!(name, "authorization" | "proxy-authorization" | "cookie" | "set-cookie" | "x-api-key")
}

async fn relay(State(p): State<Arc<Proxy>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => return plain(StatusCode::PAYLOAD_TOO_LARGE, format!("the request body could not be read: {e}")),
    };
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().map(str::to_string);
    let target = match &query {
        Some(q) => format!("{}{path}?{q}", p.upstream),
        None => format!("{}{path}", p.upstream),
    };
    let Ok(method) = reqwest::Method::from_bytes(parts.method.as_str().as_bytes()) else {
        return plain(StatusCode::BAD_REQUEST, "not an HTTP method".into());
    };
    let mut rb = p.http.request(method, &target);
    for (name, value) in &parts.headers {
        if !hop_by_hop(name.as_str()) {
            rb = rb.header(name.as_str(), value.as_bytes());
        }
    }
    let answer = match rb.body(bytes.to_vec()).send().await {
        Ok(a) => a,
        Err(e) => return plain(StatusCode::BAD_GATEWAY, format!("the upstream {} did not answer: {e}", p.upstream)),
    };
    let status = answer.status().as_u16();
    let headers = answer.headers().clone();
    let answer_body = match answer.bytes().await {
        Ok(b) => b,
        Err(e) => return plain(StatusCode::BAD_GATEWAY, format!("the upstream's answer broke off: {e}")),
    };

    let key = crate::http::bearer(&parts.headers).map(str::to_string);
    let secrets: Vec<String> = key.into_iter().filter(|k| k.len() >= 4).collect();
    let exchange = Exchange {
        request: RecordedRequest {
            method: parts.method.as_str().to_string(),
            path: scrub_text(&path, &secrets),
            query: query.map(|q| scrub_text(&q, &secrets)),
            headers: kept_headers(&parts.headers, &secrets),
            body: scrub(&body_value(&bytes), parts.method.as_str(), &path, &secrets),
        },
        response: RecordedResponse {
            status,
            headers: kept_headers(&headers, &secrets),
            body: scrub(&body_value(&answer_body), parts.method.as_str(), &path, &secrets),
        },
    };
    p.recording.lock().unwrap_or_else(|e| e.into_inner()).exchanges.push(exchange);
    if let Err(e) = p.save() {
        eprintln!("ngrok-api-mock record: {e}");
        *p.failed.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
    }

    let mut resp = Response::new(Body::from(answer_body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (name, value) in &headers {
        if !hop_by_hop(name.as_str())
            && let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name.as_str().as_bytes()), HeaderValue::from_bytes(value.as_bytes()))
        {
            resp.headers_mut().append(n, v);
        }
    }
    resp
}

fn plain(status: StatusCode, msg: String) -> Response {
    let mut r = Response::new(Body::from(format!("ngrok-api-mock record: {msg}\n")));
    *r.status_mut() = status;
    r
}

fn kept_headers(headers: &HeaderMap, secrets: &[String]) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(n, _)| !credential_header(n.as_str()) && !hop_by_hop(n.as_str()) && n.as_str() != "date")
        .map(|(n, v)| (n.as_str().to_string(), scrub_text(&String::from_utf8_lossy(v.as_bytes()), secrets)))
        .collect()
}

/// A body as JSON when it is JSON, else as text, `null` when empty.
fn body_value(bytes: &[u8]) -> Value {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Value::Null;
    }
    serde_json::from_slice(bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}
