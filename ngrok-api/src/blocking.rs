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
/// Make one with [`Client::new`], [`Client::from_env`], or from an async
/// client configured with [`crate::Client::builder`] through
/// [`Client::from_async`].
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

/// The runtime blocking calls run on, shared by a client's clones.
#[doc(hidden)]
#[derive(Clone)]
pub struct Runtime(Arc<tokio::runtime::Runtime>);

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
        Ok(Runtime(Arc::new(runtime)))
    }

    fn block_on<F: std::future::Future<Output = Result<T>>, T>(&self, future: F) -> Result<T> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::config(
                "a blocking call was made inside an async runtime; use the async `ngrok_api::Client` there",
            ));
        }
        self.0.block_on(future)
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
