//! A scripted HTTP/1.1 server on loopback for the SDK's tests and
//! benchmarks. It answers each request from a closure ([`Reply`]: a status,
//! headers and a body sent whole or in timed pieces, after an optional
//! delay, or no answer at all) and records every request exactly as it
//! arrived ([`Recorded`]), so a test can assert from the server's side what
//! the client really sent.
//!
//! [`Server::start`] serves on the caller's tokio runtime (under a paused
//! clock the recorded times and delays are virtual, like the client's);
//! [`Server::start_isolated`] serves on a thread and runtime of its own, so
//! its tasks and its work stay apart from the client's. A benchmark that
//! sends many requests turns recording off with [`Setup::counting_only`].
//! [`Canned`] is a handler that answers every request with one reply that
//! can be changed between calls.

mod recorded;
mod reply;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use hyper::body::Bytes;
pub use recorded::Recorded;
pub use reply::{Payload, Reply};

use reply::Outgoing;

type Handler = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

struct State {
    record: bool,
    requests: Mutex<Vec<Recorded>>,
    count: AtomicUsize,
    handler: Box<Handler>,
    /// Hanging requests whose handler was dropped because the client went away.
    abandoned: AtomicUsize,
    /// Connections accepted so far.
    connections: AtomicUsize,
}

impl State {
    fn requests(&self) -> MutexGuard<'_, Vec<Recorded>> {
        self.requests.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// How a server is set up before it starts.
#[derive(Debug, Clone)]
pub struct Setup {
    record: bool,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup { record: true }
    }
}

impl Setup {
    /// Counts requests but keeps none, so that a long benchmark's memory
    /// does not grow with the number of requests it sends.
    pub fn counting_only(mut self) -> Setup {
        self.record = false;
        self
    }

    /// Starts on the current tokio runtime. The handler gets the 0-based
    /// index of the request and the request.
    pub async fn start(self, handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let state = self.state(handler);
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(serve(listener, state.clone(), stopped));
        Server { addr, state, stop: Some(stop), thread: None }
    }

    /// Starts on a thread and runtime of its own (real clock); no tokio
    /// runtime is needed to call it.
    pub fn start_isolated(self, handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        std_listener.set_nonblocking(true).expect("nonblocking listener");
        let addr = std_listener.local_addr().expect("local address");
        let state = self.state(handler);
        let (stop, stopped) = oneshot::channel();
        let thread_state = state.clone();
        let thread = std::thread::Builder::new()
            .name("test-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
                rt.block_on(async move {
                    let listener = TcpListener::from_std(std_listener).expect("tokio listener");
                    serve(listener, thread_state, stopped).await;
                });
                // Dropping the runtime drops every connection still open.
            })
            .expect("spawn the server thread");
        Server { addr, state, stop: Some(stop), thread: Some(thread) }
    }

    fn state(self, handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Arc<State> {
        Arc::new(State {
            record: self.record,
            requests: Mutex::new(Vec::new()),
            count: AtomicUsize::new(0),
            handler: Box::new(handler),
            abandoned: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
        })
    }
}

/// A running server; it stops when dropped.
pub struct Server {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// How a server is set up; [`Setup::default`] records every request.
    pub fn setup() -> Setup {
        Setup::default()
    }

    /// Starts a recording server on the current tokio runtime; see [`Setup::start`].
    pub async fn start(handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Server {
        Setup::default().start(handler).await
    }

    /// Starts a recording server on its own thread; see [`Setup::start_isolated`].
    pub fn start_isolated(handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Server {
        Setup::default().start_isolated(handler)
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far (none when only counting).
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests().clone()
    }

    /// Every request since the last call, removed from the record.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.state.requests())
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.state.count.load(Ordering::SeqCst)
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

/// A handler answering every request with one reply that can be changed
/// while the server runs.
#[derive(Debug, Clone)]
pub struct Canned(Arc<Mutex<Reply>>);

impl Canned {
    /// Answers with `reply` until [`Canned::set`] changes it.
    pub fn new(reply: Reply) -> Canned {
        Canned(Arc::new(Mutex::new(reply)))
    }

    /// Answers every later request with `reply`.
    pub fn set(&self, reply: Reply) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = reply;
    }

    /// The handler to start a server with.
    pub fn handler(&self) -> impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static {
        let current = self.0.clone();
        move |_, _| current.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
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
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        let connection = state.connections.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(state.clone(), connection, req));
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

async fn record(req: Request<Incoming>, connection: usize) -> Recorded {
    use http_body_util::BodyExt;
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
    Recorded {
        method: parts.method.to_string(),
        target: parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default(),
        headers: parts.headers,
        body,
        at: tokio::time::Instant::now(),
        connection,
    }
}

async fn handle(state: Arc<State>, connection: usize, req: Request<Incoming>) -> Result<Response<Outgoing>, Infallible> {
    let recorded = record(req, connection).await;
    let index = {
        // Held while counting, so that indexes follow the record's order.
        let mut requests = state.record.then(|| state.requests());
        if let Some(requests) = requests.as_mut() {
            requests.push(recorded.clone());
        }
        state.count.fetch_add(1, Ordering::SeqCst)
    };
    match (state.handler)(index, &recorded) {
        Reply::Respond { status, headers, body, delay } => {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let mut resp = Response::builder().status(status);
            for (k, v) in headers {
                resp = resp.header(k, v);
            }
            Ok(resp.body(Outgoing::from(body)).expect("a valid status and headers from the test's script"))
        }
        Reply::Hang => {
            let _guard = AbandonGuard(state.clone());
            std::future::pending().await
        }
    }
}
