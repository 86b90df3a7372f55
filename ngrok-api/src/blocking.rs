//! A blocking client, for programs without an async runtime: scripts,
//! build steps, command-line tools.
//!
//! [`Client`] has the same services and the same setters as the async
//! [`crate::Client`]; a call runs when you end it with `.send()`, and a
//! list's `.items()` and `.pages()` are [`Iterator`]s. Underneath, each
//! call runs the async client on a small single-threaded runtime the
//! blocking client owns, so errors, retries, timeouts and redaction are
//! exactly those of the async client.
//!
//! ```no_run
//! # fn demo() -> ngrok_api::Result<()> {
//! let client = ngrok_api::blocking::Client::from_env()?; // NGROK_API_KEY
//! let policy = client.ip_policies().create().description("office").send()?;
//! for policy in client.ip_policies().list().items() {
//!     println!("{}", policy?.id);
//! }
//! // An object's own methods take this client too, and are sent the same way.
//! policy.update(&client).description("front office").send()?;
//! client.ip_policies().delete(&policy.id).send()?;
//! # Ok(()) }
//! ```
//!
//! Call it from ordinary threads, not from inside an async task: there it
//! returns an error instead of blocking the task's executor.

use std::future::IntoFuture;
use std::pin::Pin;
use std::sync::Arc;

use futures_core::Stream;

use crate::{Error, Result};

/// A blocking client of the ngrok API: the async [`crate::Client`] and a
/// runtime to run its calls on. Cheap to clone; clones share both.
///
/// Make one with [`Client::new`], [`Client::from_env`], [`Client::builder`]
/// (every option of the async [`crate::ClientBuilder`]), or from an async
/// client through [`Client::from_async`].
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Runtime,
}

impl Client {
    /// A client using `api_key`, with default settings.
    pub fn new(api_key: impl Into<String>) -> Result<Client> {
        Client::from_async(crate::Client::new(api_key))
    }

    /// A client from `NGROK_API_KEY` (and `NGROK_API_URL` when set).
    pub fn from_env() -> Result<Client> {
        Client::from_async(crate::Client::from_env()?)
    }

    /// A builder for every option, the same as the async client's:
    /// `ngrok_api::blocking::Client::builder().api_key(key).timeout(Duration::from_secs(5)).build()?`.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A builder preset from the environment (`NGROK_API_KEY`, and
    /// `NGROK_API_URL` when set), to set more options on; see
    /// [`crate::Client::builder_from_env`].
    pub fn builder_from_env() -> Result<ClientBuilder> {
        crate::Client::builder_from_env().map(ClientBuilder::from)
    }

    /// A blocking client running calls of `client`, with all its settings
    /// (base URL, retries, timeouts, rate limit).
    pub fn from_async(client: crate::Client) -> Result<Client> {
        Ok(Client { inner: client, runtime: Runtime::new()? })
    }

    /// The async client underneath.
    pub fn async_client(&self) -> &crate::Client {
        &self.inner
    }

    pub(crate) fn parts(&self) -> (crate::Client, Runtime) {
        (self.inner.clone(), self.runtime.clone())
    }
}

/// Configures a blocking [`Client`]: the async [`crate::ClientBuilder`]'s
/// options, set the same way, built into a blocking client. Start with
/// [`Client::builder`] or [`Client::builder_from_env`]; an async builder
/// already set up converts with `ClientBuilder::from`.
///
/// ```no_run
/// # fn demo() -> ngrok_api::Result<()> {
/// use std::time::Duration;
/// let client = ngrok_api::blocking::Client::builder()
///     .api_key("...")
///     .timeout(Duration::from_secs(10))
///     .rate_limit(120, Duration::from_secs(60))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    inner: crate::ClientBuilder,
}

impl From<crate::ClientBuilder> for ClientBuilder {
    fn from(inner: crate::ClientBuilder) -> Self {
        ClientBuilder { inner }
    }
}

/// Each setter is the async builder's, under the same name.
macro_rules! delegate {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            $(#[$doc])*
            pub fn $name(self, $($arg: $ty),*) -> Self {
                ClientBuilder { inner: self.inner.$name($($arg),*) }
            }
        )*
    };
}

impl ClientBuilder {
    delegate! {
        /// The API key; see [`crate::ClientBuilder::api_key`].
        fn api_key(key: impl Into<String>);
        /// Where the API is; see [`crate::ClientBuilder::base_url`].
        fn base_url(url: impl Into<String>);
        /// Allow plain `http://` on any host; see [`crate::ClientBuilder::allow_http`].
        fn allow_http(allow: bool);
        /// Appended to the `User-Agent` header; see [`crate::ClientBuilder::user_agent_suffix`].
        fn user_agent_suffix(suffix: impl Into<String>);
        /// Use this (async) `reqwest::Client`; see [`crate::ClientBuilder::http_client`].
        fn http_client(client: reqwest::Client);
        /// How failed calls are retried; see [`crate::ClientBuilder::retry_policy`].
        fn retry_policy(policy: crate::RetryPolicy);
        /// Longest wait for a connection; see [`crate::ClientBuilder::connect_timeout`].
        fn connect_timeout(timeout: impl Into<Option<std::time::Duration>>);
        /// Longest time for one attempt; see [`crate::ClientBuilder::timeout`].
        fn timeout(timeout: impl Into<Option<std::time::Duration>>);
        /// Longest time for a whole operation; see [`crate::ClientBuilder::operation_timeout`].
        fn operation_timeout(timeout: impl Into<Option<std::time::Duration>>);
        /// A client-side rate limit; see [`crate::ClientBuilder::rate_limit`].
        fn rate_limit(requests: u32, window: std::time::Duration);
        /// The largest success body accepted; see [`crate::ClientBuilder::max_response_size`].
        fn max_response_size(bytes: usize);
        /// How much of an error body is read; see [`crate::ClientBuilder::max_error_body_size`].
        fn max_error_body_size(bytes: usize);
        /// Told of every attempt, retry and rate-limit wait; see [`crate::ClientBuilder::observer`].
        fn observer(observer: Arc<dyn crate::observe::Observer>);
    }

    /// Builds the client (checking the configuration, as the async
    /// builder does) and the runtime its calls run on.
    pub fn build(self) -> Result<Client> {
        Client::from_async(self.inner.build()?)
    }
}

/// The runtime blocking calls run on, shared by a client's clones.
#[doc(hidden)]
#[derive(Clone)]
pub struct Runtime(Arc<Owned>);

/// The runtime itself, shut down without waiting when the last clone
/// goes: dropping a runtime the ordinary way blocks, which tokio forbids
/// (with a panic) inside an async context, where a program may well drop
/// a blocking client it was handed.
struct Owned(Option<tokio::runtime::Runtime>);

impl Drop for Owned {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Runtime")
    }
}

impl Runtime {
    fn new() -> Result<Runtime> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::config(format!("could not start the blocking client's runtime: {e}")))?;
        Ok(Runtime(Arc::new(Owned(Some(runtime)))))
    }

    fn block_on<F: std::future::Future<Output = Result<T>>, T>(&self, future: F) -> Result<T> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::config(
                "a blocking call was made inside an async runtime; use the async `ngrok_api::Client` there",
            ));
        }
        match &self.0.0 {
            Some(runtime) => runtime.block_on(future),
            None => Err(Error::config("the blocking client's runtime has shut down")),
        }
    }
}

/// A request of the blocking client: the async request and the runtime
/// that runs it. Generated blocking requests wrap one.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Blocking<R> {
    request: R,
    runtime: Runtime,
}

impl<R> Blocking<R> {
    /// Wraps `request`, to run on `runtime`.
    pub fn new(request: R, runtime: Runtime) -> Self {
        Blocking { request, runtime }
    }

    /// The same request with `f` applied to the async request (a setter).
    pub fn map(self, f: impl FnOnce(R) -> R) -> Self {
        Blocking { request: f(self.request), runtime: self.runtime }
    }

    /// The async request.
    pub fn request(&self) -> &R {
        &self.request
    }

    /// Sends the request and waits for its answer.
    pub fn send<T>(self) -> Result<T>
    where
        R: IntoFuture<Output = Result<T>>,
    {
        self.runtime.block_on(self.request.into_future())
    }

    /// Turns the request into a stream (`items()`/`pages()`) and iterates it.
    pub fn iter<S>(self, f: impl FnOnce(R) -> S) -> Iter<S> {
        Iter { stream: Some(f(self.request)), runtime: self.runtime }
    }
}

/// The items (or pages) of a list, fetched as the iterator is read. Each
/// element is a `Result`; after an error the iterator ends.
#[derive(Debug)]
#[must_use = "an iterator does nothing until it is read"]
pub struct Iter<S> {
    stream: Option<S>,
    runtime: Runtime,
}

impl<S, T> Iterator for Iter<S>
where
    S: Stream<Item = Result<T>> + Unpin,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        let stream = self.stream.as_mut()?;
        let next = self.runtime.block_on(async { Ok(std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await) });
        let item = match next {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        };
        if matches!(item, None | Some(Err(_))) {
            self.stream = None;
        }
        item
    }
}

impl Client {
    /// A call to any path of the API, run with `.send()`; the blocking
    /// twin of [`crate::Client::raw`], with the same setters.
    pub fn raw(&self, method: crate::Method, template: impl Into<std::borrow::Cow<'static, str>>) -> RawRequest {
        RawRequest(Blocking::new(self.inner.raw(method, template), self.runtime.clone()))
    }
}

/// A call to any path of the API, of the blocking client: the blocking
/// twin of [`crate::RawRequest`]. Made by [`Client::raw`]; `.send()` it,
/// or iterate a list with [`items`](Self::items) or [`pages`](Self::pages).
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest<T = crate::runtime::serde_json::Value>(Blocking<crate::RawRequest<T>>);

impl<T> RawRequest<T> {
    crate::runtime::per_call_settings!(blocking);

    /// The value of the template's parameter `{name}`; see [`crate::RawRequest::path_param`].
    pub fn path_param(self, name: impl Into<std::borrow::Cow<'static, str>>, value: impl Into<String>) -> Self {
        Self(self.0.map(|r| r.path_param(name, value)))
    }

    /// Appends a query parameter; see [`crate::RawRequest::query`].
    pub fn query(self, name: &'static str, value: impl Into<String>) -> Self {
        Self(self.0.map(|r| r.query(name, value)))
    }

    /// The JSON request body; see [`crate::RawRequest::body`].
    pub fn body(self, body: impl serde::Serialize) -> Self {
        Self(self.0.map(|r| r.body(body)))
    }

    /// The name errors, observers and traces give this call; see [`crate::RawRequest::operation`].
    pub fn operation(self, name: &'static str) -> Self {
        Self(self.0.map(|r| r.operation(name)))
    }

    /// The same call, decoded into `U`; see [`crate::RawRequest::decode`].
    pub fn decode<U: serde::de::DeserializeOwned>(self) -> RawRequest<U> {
        let Blocking { request, runtime } = self.0;
        RawRequest(Blocking::new(request.decode(), runtime))
    }

    /// Every page of a list at this path, fetched as the iterator is read.
    pub fn pages<P: crate::Page>(self) -> Iter<crate::Pages<P>> {
        self.0.iter(crate::RawRequest::pages)
    }

    /// Every item of every page of a list at this path, fetched as the
    /// iterator is read.
    pub fn items(self) -> Iter<crate::Items<crate::RawPage>> {
        self.0.iter(crate::RawRequest::items)
    }
}

impl<T: serde::de::DeserializeOwned> RawRequest<T> {
    /// Sends the request and waits for the answer.
    pub fn send(self) -> Result<T> {
        self.0.send()
    }
}

/// The blocking twin of [`crate::wait::wait_until`]: fetches a state with
/// `fetch` until `check` finds it ready or failed, sleeping the thread
/// through [`WaitOptions`](crate::wait::WaitOptions)' growing delays, for
/// at most its overall timeout (a fetch under way when it runs out is
/// bounded by the call's own timeouts, and its state still looked at).
pub fn wait_until<T>(
    what: &str,
    mut fetch: impl FnMut() -> Result<T>,
    mut check: impl FnMut(&T) -> crate::wait::WaitState,
    options: crate::wait::WaitOptions,
) -> Result<T> {
    use crate::wait::{WaitOptions, WaitState};
    let deadline = std::time::Instant::now() + options.overall_timeout();
    let mut delays = options.delays();
    let mut fetches = 0;
    loop {
        fetches += 1;
        let state = fetch()?;
        match check(&state) {
            WaitState::Ready => return Ok(state),
            WaitState::Failed(reason) => return Err(WaitOptions::failed(what, &reason)),
            WaitState::Pending => {}
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let delay = delays.next().unwrap_or(left);
        if delay >= left {
            std::thread::sleep(left);
            return Err(options.timed_out(what, fetches));
        }
        std::thread::sleep(delay);
    }
}
