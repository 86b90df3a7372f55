//! A small scripted HTTP server for the runtime tests. It records every
//! request exactly as it arrived (method, raw path and query, headers,
//! body, arrival time on tokio's clock) and answers from a closure, so a
//! test can assert from the server's side what the client really sent.
#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use ngrok_api::{Client, ClientBuilder};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The API key every test client uses; no output may ever contain it.
pub const KEY: &str = "sk_test_2xSECRETsecretSECRET9z";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path and query exactly as sent on the request line.
    pub target: String,
    /// Every header, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The request body.
    pub body: Vec<u8>,
    /// When it arrived, on tokio's clock (virtual under a paused clock).
    pub at: tokio::time::Instant,
}

impl Recorded {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answer with this status, headers and body.
    Respond { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// Never answer; the connection stays open until the client drops it.
    Hang,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::raw(status, "application/json", body.to_string())
    }

    /// An answer with any content type.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Respond { status, headers: vec![("content-type".into(), content_type.into())], body: body.into() }
    }

    /// An answer with no body.
    pub fn empty(status: u16) -> Reply {
        Reply::Respond { status, headers: Vec::new(), body: Vec::new() }
    }

    /// ngrok's JSON error body.
    pub fn api_error(status: u16, code: &str, msg: &str, operation_id: &str) -> Reply {
        Reply::json(
            status,
            serde_json::json!({
                "error_code": code, "status_code": status, "msg": msg,
                "details": {"operation_id": operation_id}
            }),
        )
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

struct State {
    requests: Mutex<Vec<Recorded>>,
    handler: Box<Handler>,
    /// Hanging requests whose handler was dropped because the client went away.
    abandoned: AtomicUsize,
}

/// A running test server; stops when dropped.
pub struct Server {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts a server on the current tokio runtime. Under a paused clock
    /// the arrival times it records are virtual, like the client's.
    /// The handler gets the 0-based index of the request and the request.
    pub async fn start(handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let state = new_state(handler);
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(serve(listener, state.clone(), stopped));
        Server { addr, state, stop: Some(stop), thread: None }
    }

    /// Starts a server on its own thread and runtime (real clock), so that
    /// its tasks do not count among the test runtime's tasks.
    pub fn start_isolated(handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        std_listener.set_nonblocking(true).expect("nonblocking listener");
        let addr = std_listener.local_addr().expect("local address");
        let state = new_state(handler);
        let (stop, stopped) = oneshot::channel();
        let thread_state = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("tokio listener");
                serve(listener, thread_state, stopped).await;
            });
            // Dropping the runtime drops every connection still open.
        });
        Server { addr, state, stop: Some(stop), thread: Some(thread) }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.state.requests.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// How many hanging requests the client abandoned (closed the connection).
    pub fn abandoned(&self) -> usize {
        self.state.abandoned.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn new_state(handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Arc<State> {
    Arc::new(State { requests: Mutex::new(Vec::new()), handler: Box::new(handler), abandoned: AtomicUsize::new(0) })
}

async fn serve(listener: TcpListener, state: Arc<State>, mut stopped: oneshot::Receiver<()>) {
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(state.clone(), req));
            // No timer is configured: under a paused clock a server-side
            // timer would make tokio jump time while the client waits.
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

struct AbandonGuard(Arc<State>);

impl Drop for AbandonGuard {
    fn drop(&mut self) {
        self.0.abandoned.fetch_add(1, Ordering::SeqCst);
    }
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.to_string(),
        target: parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
        body,
        at: tokio::time::Instant::now(),
    };
    let index = {
        let mut requests = state.requests.lock().unwrap_or_else(|p| p.into_inner());
        requests.push(recorded.clone());
        requests.len() - 1
    };
    match (state.handler)(index, &recorded) {
        Reply::Respond { status, headers, body } => {
            let mut resp = Response::builder().status(status);
            for (k, v) in headers {
                resp = resp.header(k, v);
            }
            Ok(resp.body(Full::new(Bytes::from(body))).expect("a valid response"))
        }
        Reply::Hang => {
            let _guard = AbandonGuard(state.clone());
            std::future::pending().await
        }
    }
}

/// A `reqwest::Client` with no timers of its own (no connect timeout, no
/// idle-pool sweeper). Under tokio's paused clock any armed timer makes
/// time jump while the client waits on the socket, so tests that measure
/// virtual time use this client and turn the per-attempt timeout off.
pub fn timerless_http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_idle_timeout(None)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client")
}

/// A builder aimed at the server, with the SDK's default HTTP stack.
pub fn builder(server: &Server) -> ClientBuilder {
    Client::builder().api_key(KEY).base_url(server.url())
}

/// A builder aimed at the server for paused-clock tests: timer-free HTTP
/// client and no per-attempt timeout, so only the runtime's own waits
/// (backoff, Retry-After, rate limit) move virtual time.
pub fn paused_builder(server: &Server) -> ClientBuilder {
    builder(server).http_client(timerless_http()).timeout(None)
}

/// A loopback port nothing listens on: connecting to it is refused.
pub fn refused_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}")
}

/// An API key as the server sends it: every field it always sends, with
/// `token` null as on every answer but the create.
pub fn api_key(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "uri": format!("https://api.ngrok.com/api_keys/{id}"),
        "created_at": "2025-09-04T10:11:35Z",
        "owner_id": "usr_1",
        "token": null,
    })
}

/// An IP policy as the server sends it (no description or metadata set).
pub fn ip_policy(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "uri": format!("https://api.ngrok.com/ip_policies/{id}"),
        "created_at": "2025-09-04T10:11:35Z",
    })
}

/// `base` with the fields of `extra` set over it.
pub fn with(mut base: serde_json::Value, extra: serde_json::Value) -> serde_json::Value {
    if let (Some(b), serde_json::Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
    base
}
