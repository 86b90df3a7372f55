#![doc = include_str!("lib.md")]
#![deny(missing_docs)]
// Every match on an enum names its variants: a variant added to the model
// does not compile until each place that interprets it says what it does.
#![deny(clippy::wildcard_enum_match_arm)]

mod admin;
mod assign;
mod behave;
mod ca_hooks;
mod cert;
mod children;
mod clock;
mod clock_hooks;
mod compute;
mod engine;
mod error;
mod fault;
mod filter;
mod http;
mod issue;
mod list;
mod mint;
mod names;
mod net;
mod normalize;
mod policy;
mod provision;
mod record;
mod render;
mod refs;
mod reply;
mod scrub;
mod request;
mod rules;
mod seed;
mod seeding;
mod server;
mod shared;
mod ssh;
mod state;
mod state_hooks;
mod store;
mod stored;
mod table;
mod update;
mod util;
mod validate;
mod verify;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, atomic::Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::oneshot;

pub use error::MockError;
pub use ngrok_api_model::ProblemKind;
pub use policy::{PolicyProblem, check_policy};
pub use clock::parse_duration;
pub use fault::{Fault, JournalEntry, RateLimit};
pub use seed::default_seed;
use seed::SeedSource;
pub use http::ADMIN_PREFIX;
pub use record::Recorder;
pub use state::StateSync;
pub use verify::{DiffClass, Difference, FileReport, Report, verify};

/// A running emulator. It listens until dropped.
pub struct MockServer {
    shared: Arc<shared::Shared>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("url", &self.shared.base).finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts an emulator on an ephemeral loopback port with the default
    /// seed, on the current Tokio runtime.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound; use [`MockServer::builder`] and
    /// [`MockServerBuilder::start`] to get that as an error instead.
    pub async fn start() -> MockServer {
        match MockServer::builder().start().await {
            Ok(m) => m,
            Err(e) => panic!("the ngrok API emulator could not start: {e}"),
        }
    }

    /// A builder for an emulator with options.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The base URL, such as `http://127.0.0.1:41234`, without a trailing
    /// slash: use it as the client's API base URL.
    pub fn url(&self) -> &str {
        &self.shared.base
    }

    /// The address the emulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Adds one object to the service with this accessor (such as
    /// `tunnels`, `tunnel_sessions`, `endpoints` or `edges.https_routes`),
    /// typically one users cannot create through the API. Missing `id`,
    /// `uri` and timestamps are filled in; returns the object as the API
    /// shows it.
    ///
    /// The object is anything that serializes to the API's JSON shape: a
    /// `serde_json::Value`, or the SDK's own resource type (such as
    /// `ngrok_api::types::Tunnel`, built from `Default`), or a struct of
    /// your own. Its fields are checked against the service's resource type:
    /// an unknown field or a value of the wrong kind is an error naming it.
    /// Empty `id` and `uri` and `null`s are filled in as if absent.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), ngrok_api_mock::MockError> {
    /// #[derive(serde::Serialize)]
    /// struct Session<'a> { region: &'a str, os: &'a str }
    ///
    /// let mock = ngrok_api_mock::MockServer::start().await;
    /// let shown = mock.seed("tunnel_sessions", Session { region: "eu", os: "linux" })?;
    /// assert!(shown["id"].as_str().is_some_and(|id| id.starts_with("ts_")));
    /// # Ok(()) }
    /// ```
    pub fn seed<T: serde::Serialize>(&self, accessor: &str, object: T) -> Result<Value, MockError> {
        let value = serde_json::to_value(object)
            .map_err(|e| MockError::Seed(format!("the {accessor} object does not serialize to JSON: {e}")))?;
        let shown = self.shared.seed_one(accessor, value)?;
        self.shared.changed().map_err(MockError::State)?;
        Ok(shown)
    }

    /// Adds objects given in the seed-file format:
    /// `{"tunnels": [{...}, ...], "tunnel_sessions": [...]}`.
    pub fn seed_all(&self, seed: &Value) -> Result<(), MockError> {
        self.shared.seed_all(seed).map_err(MockError::Seed)?;
        self.shared.changed().map_err(MockError::State)
    }

    /// Scripts a fault for the next matching requests.
    pub fn fault(&self, fault: Fault) {
        self.shared.add_fault(fault);
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        self.shared.clear_faults();
    }

    /// The API requests received so far (oldest first; the journal keeps the
    /// most recent ones up to its capacity). Admin requests are not recorded.
    pub fn journal(&self) -> Vec<JournalEntry> {
        let j = self.shared.journal.lock().unwrap_or_else(|e| e.into_inner());
        j.iter().cloned().collect()
    }

    /// Empties the journal.
    pub fn clear_journal(&self) {
        self.shared.journal.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Sets or removes the account rate limit.
    pub fn set_rate_limit(&self, limit: Option<RateLimit>) {
        self.shared.set_rate_limit(limit);
    }

    /// Allows or refuses writes to sunset services from now on (see
    /// [`MockServerBuilder::legacy_writes`]).
    pub fn set_legacy_writes(&self, allowed: bool) {
        self.shared.legacy_writes.store(allowed, Ordering::Relaxed);
    }

    /// Sets the delay added before every API answer.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.latency_ms.store(latency.as_millis().min(u128::from(u64::MAX)) as u64, Ordering::Relaxed);
    }

    /// Goes back to the state at start: only the seed, an empty journal, no
    /// faults, a fresh rate-limit window.
    pub fn reset(&self) -> Result<(), MockError> {
        self.shared.reset().map_err(MockError::Seed)
    }

    /// Stops listening (also done on drop). With a state file, the state is
    /// saved first; call [`save_state`](Self::save_state) before to see
    /// whether that worked.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
            let _ = self.shared.save_state();
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Options for a [`MockServer`].
#[derive(Debug, Clone)]
pub struct MockServerBuilder {
    host: IpAddr,
    port: u16,
    api_key: Option<String>,
    admin_token: Option<String>,
    rate_limit: Option<RateLimit>,
    latency: Duration,
    seed: SeedSource,
    journal_capacity: usize,
    filter_deadline: Duration,
    legacy_writes: bool,
    cert_delay: Duration,
    state_file: Option<PathBuf>,
    state_sync: StateSync,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        MockServerBuilder {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            api_key: None,
            admin_token: None,
            rate_limit: None,
            latency: Duration::ZERO,
            seed: SeedSource::Default,
            journal_capacity: 10_000,
            filter_deadline: filter::DEFAULT_DEADLINE,
            legacy_writes: false,
            cert_delay: clock::DEFAULT_CERT_DELAY,
            state_file: None,
            state_sync: StateSync::Always,
        }
    }
}

impl MockServerBuilder {
    /// Accepts only this API key (by default any non-empty key is accepted).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Makes the admin endpoints under [`ADMIN_PREFIX`] (all but the
    /// health check) require `Authorization: Bearer <token>`. With an
    /// [`api_key`](Self::api_key) and no admin token, they require the API
    /// key; with neither, they are open.
    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        self.admin_token = Some(token.into());
        self
    }

    /// How long a list's `filter` may run over the objects before the list
    /// answers 400 (default 2 s).
    pub fn filter_deadline(mut self, deadline: Duration) -> Self {
        self.filter_deadline = deadline;
        self
    }

    /// Answers 429 `ERR_NGROK_226` past `requests` API requests in any
    /// rolling `window`.
    pub fn rate_limit(mut self, requests: u32, window: Duration) -> Self {
        let retry = self.rate_limit.and_then(|l| l.retry_after_secs);
        self.rate_limit = Some(RateLimit { retry_after_secs: retry, ..RateLimit::new(requests, window) });
        self
    }

    /// Sends `Retry-After` with rate-limit answers (needs
    /// [`rate_limit`](Self::rate_limit)).
    pub fn retry_after(mut self, after: Duration) -> Self {
        if let Some(l) = self.rate_limit.as_mut() {
            l.retry_after_secs = Some(after.as_secs());
        }
        self
    }

    /// Sets the whole rate-limit configuration.
    pub fn rate_limit_config(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Allows writes to the services ngrok sunset on 2025-12-31 (edges,
    /// their routes and modules, backends), as for the few accounts that
    /// still have write access. By default they are refused with
    /// `ERR_NGROK_7196`, as for most accounts; reads always work, and the
    /// default seed holds legacy edges to read.
    pub fn legacy_writes(mut self, allowed: bool) -> Self {
        self.legacy_writes = allowed;
        self
    }

    /// Delays every API answer by this much.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Seeds from this JSON (`{"tunnels": [...], ...}`) instead of the
    /// default seed.
    pub fn seed_json(mut self, seed: Value) -> Self {
        self.seed = SeedSource::Json(seed);
        self
    }

    /// Seeds from this JSON file instead of the default seed.
    pub fn seed_file(mut self, path: impl AsRef<Path>) -> Self {
        self.seed = SeedSource::File(path.as_ref().to_path_buf());
        self
    }

    /// Starts empty.
    pub fn no_default_seed(mut self) -> Self {
        self.seed = SeedSource::None;
        self
    }

    /// Listens on this port (default 0: a free port the system picks, which
    /// is what tests should use so parallel runs never collide; read the
    /// port back with [`MockServer::url`]).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Listens on this address (default 127.0.0.1).
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// Keeps at most this many journal entries (default 10,000; 0 turns the
    /// journal off).
    pub fn journal_capacity(mut self, n: usize) -> Self {
        self.journal_capacity = n;
        self
    }

    /// Binds, seeds and starts serving on the current Tokio runtime.
    pub async fn start(self) -> Result<MockServer, MockError> {
        let seed = self.seed.into_text()?;
        let state = match &self.state_file {
            Some(path) => Some(state::Persist::open(path, self.state_sync).map_err(MockError::State)?),
            None => None,
        };
        let asked = SocketAddr::new(self.host, self.port);
        let bind_error = |source| MockError::Bind { addr: asked, source };
        let listener = tokio::net::TcpListener::bind(asked).await.map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let base = format!("http://{addr}");
        let opts = shared::Options {
            api_key: self.api_key,
            admin_token: self.admin_token,
            latency: self.latency,
            rate_limit: self.rate_limit,
            journal_capacity: self.journal_capacity,
            filter_deadline: self.filter_deadline,
            legacy_writes: self.legacy_writes,
            cert_delay: self.cert_delay,
            state,
        };
        let from_disk = self.state_file.is_some();
        let shared = Arc::new(
            shared::Shared::new(base, opts, seed)
                .map_err(|e| if from_disk { MockError::State(e) } else { MockError::Seed(e) })?,
        );
        let app = axum::Router::new().fallback(server::handle).with_state(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(MockServer { shared, addr, shutdown: Some(tx) })
    }
}
