//! Configuring a client: the builder programs call. What it collects is
//! the runtime's [`Config`](runtime::Config), which checks it and builds
//! the client.

use std::fmt;
use std::time::Duration;

use crate::{Client, runtime};

/// Configures a [`Client`]. Start with [`Client::builder`] (or
/// [`Client::builder_from_env`]).
///
/// Every time limit is set the same way: with a [`Duration`] to set it, or
/// `None` to turn it off, e.g. `.timeout(Duration::from_secs(10))` and
/// `.operation_timeout(None)`.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    config: runtime::Config,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.config.fmt(f)
    }
}

impl ClientBuilder {
    /// A builder preset from the environment; see [`Client::builder_from_env`].
    pub(crate) fn from_env() -> crate::Result<ClientBuilder> {
        runtime::Config::from_env().map(|config| ClientBuilder { config })
    }

    /// The API key sent as `Authorization: Bearer <key>`.
    #[inline]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.config.api_key = Some(key.into());
        self
    }

    /// Where the API is (default `https://api.ngrok.com`). Must be `https://`
    /// unless the host is a loopback address or [`allow_http`](Self::allow_http) is set.
    #[inline]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.config.base_url = url.into();
        self
    }

    /// Allow a plain-`http://` base URL on a non-loopback host. The API key
    /// then travels unencrypted; only for trusted networks.
    #[inline]
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.config.allow_http = allow;
        self
    }

    /// Appended to the `User-Agent` header, e.g. `my-tool/1.2`.
    #[inline]
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.config.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Use this `reqwest::Client` (its pool, proxy and TLS settings); the
    /// crate re-exports the [`reqwest`](crate::reqwest) it was built with,
    /// so `ngrok_api::reqwest::Client::builder()` always names the right
    /// version. The [connect timeout](Self::connect_timeout) set here then
    /// does not apply: configure it on that client, and turn its redirects
    /// off. With the `rustls-ring` feature (not the default `rustls`),
    /// reqwest has no crypto provider of its own: making a `ClientBuilder`
    /// installs `ring` as the process default (unless the program installed
    /// a provider), so build that client after `Client::builder()`, or
    /// install a provider first. Its TLS is its own too: reqwest loads
    /// the roots such a client trusts when it is built, where the clients
    /// the SDK makes share roots loaded on their first TLS connection.
    #[inline]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.config.http = Some(client);
        self
    }

    /// How failed calls are retried (default: [`RetryPolicy::default`](crate::RetryPolicy::default)).
    #[inline]
    pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// Longest wait for a connection (default 3 s); `None` for no limit.
    /// Accepts a `Duration` or an `Option<Duration>`, like every timeout.
    #[inline]
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.config.connect_timeout = timeout.into();
        self
    }

    /// Longest time for one attempt, response body included (default
    /// 30 s); `None` for no limit. Accepts a `Duration` or an
    /// `Option<Duration>`, like every timeout.
    #[inline]
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.config.attempt_timeout = timeout.into();
        self
    }

    /// Longest time for a whole operation, retries and waits included
    /// (default: no limit); `None` for no limit. Accepts a `Duration` or an
    /// `Option<Duration>`, like every timeout.
    #[inline]
    pub fn operation_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.config.operation_timeout = timeout.into();
        self
    }

    /// Send at most `requests` calls per rolling `window` (off by default).
    /// `rate_limit(120, Duration::from_secs(60))` keeps a bulk job under
    /// ngrok's account limit, so it never meets a 429.
    #[inline]
    pub fn rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.config.rate_limit = Some(crate::RateLimit { requests, window });
        self
    }

    /// The largest success response body accepted, in bytes (default
    /// `runtime::DEFAULT_MAX_RESPONSE_SIZE`, 4 MiB; a full page of 100 large
    /// objects is well under it). The limit is enforced while the body
    /// streams in: a longer body fails the call with
    /// [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge)
    /// without being read to its end, and is not retried.
    #[inline]
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.config.max_response_size = bytes;
        self
    }

    /// How much of an error response body is read, in bytes (default
    /// `runtime::DEFAULT_MAX_ERROR_BODY_SIZE`, 4 KiB; ngrok's error bodies are far
    /// smaller). The rest is not read; the error still has its status.
    #[inline]
    pub fn max_error_body_size(mut self, bytes: usize) -> Self {
        self.config.max_error_body_size = bytes;
        self
    }

    /// Tells `observer` of every attempt (started, finished), retry and
    /// rate-limit wait of this client's calls, to count calls or export
    /// metrics: see [`observe`](crate::observe). Never the key, a query,
    /// a header or a body. Off by default, and free when off.
    ///
    /// ```no_run
    /// # fn demo(counter: std::sync::Arc<impl ngrok_api::observe::Observer>) -> ngrok_api::Result<()> {
    /// let client = ngrok_api::Client::builder().api_key("...").observer(counter.clone()).build()?;
    /// # Ok(()) }
    /// ```
    #[inline]
    pub fn observer(mut self, observer: std::sync::Arc<dyn crate::observe::Observer>) -> Self {
        self.config.observer = Some(observer);
        self
    }

    /// Builds the client, checking the configuration.
    pub fn build(self) -> crate::Result<Client> {
        self.config.build().map(|inner| Client { inner })
    }

    /// Builds a client even from a bad configuration; every call then
    /// fails with the configuration error, and is never retried.
    pub(crate) fn build_lenient(self) -> Client {
        Client { inner: self.config.build_lenient().0 }
    }
}
