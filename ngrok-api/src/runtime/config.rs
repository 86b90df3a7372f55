//! Configuring a client: the builder, its defaults, and the checks made
//! when it is built.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

use super::client::{Client, Inner};
use super::retry::Limiter;
use super::target::base_url_problem;
use super::{Error, RateLimit, RetryPolicy};

// The API is https only: a build that could not speak TLS would compile
// and then fail on every call, so it does not compile.
#[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
compile_error!(
    "ngrok-api needs a TLS backend: enable its `rustls` feature (on by default), its `rustls-ring` feature or its `native-tls` feature, \
     e.g. `ngrok-api = { version = \"0.13\", default-features = false, features = [\"rustls\", \"tunnels\"] }`"
);

/// The API's address.
pub const DEFAULT_BASE_URL: &str = "https://api.ngrok.com";

const USER_AGENT: &str = concat!("ngrok-api-rust/", env!("CARGO_PKG_VERSION"));

/// Default for [`ClientBuilder::max_response_size`]: 4 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 4 * 1024 * 1024;

/// Default for [`ClientBuilder::max_error_body_size`]: 4 KiB.
pub const DEFAULT_MAX_ERROR_BODY_SIZE: usize = 4 * 1024;

/// How much of a response body is read, at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyLimits {
    /// A success body longer than this fails the call.
    pub(crate) success: usize,
    /// Of an error body, this much is kept and the rest is not read.
    pub(crate) error: usize,
}

/// Configures a [`Client`]. Start with [`Client::builder`] (or
/// [`Client::builder_from_env`]).
///
/// Every time limit is set the same way: with a [`Duration`] to set it, or
/// `None` to turn it off, e.g. `.timeout(Duration::from_secs(10))` and
/// `.operation_timeout(None)`.
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: String,
    allow_http: bool,
    user_agent_suffix: Option<String>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    rate_limit: Option<RateLimit>,
    limits: BodyLimits,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("allow_http", &self.allow_http)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("custom_http_client", &self.http.is_some())
            .field("retry", &self.retry)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("rate_limit", &self.rate_limit)
            .field("max_response_size", &self.limits.success)
            .field("max_error_body_size", &self.limits.error)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        super::tls::ensure_provider();
        ClientBuilder {
            api_key: None,
            base_url: DEFAULT_BASE_URL.to_string(),
            allow_http: false,
            user_agent_suffix: None,
            http: None,
            retry: RetryPolicy::default(),
            connect_timeout: Some(Duration::from_secs(3)),
            attempt_timeout: Some(Duration::from_secs(30)),
            operation_timeout: None,
            rate_limit: None,
            limits: BodyLimits { success: DEFAULT_MAX_RESPONSE_SIZE, error: DEFAULT_MAX_ERROR_BODY_SIZE },
        }
    }
}

impl ClientBuilder {
    /// The API key sent as `Authorization: Bearer <key>`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Where the API is (default `https://api.ngrok.com`). Must be `https://`
    /// unless the host is a loopback address or [`allow_http`](Self::allow_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Allow a plain-`http://` base URL on a non-loopback host. The API key
    /// then travels unencrypted; only for trusted networks.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Appended to the `User-Agent` header, e.g. `my-tool/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
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
    /// install a provider first.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How failed calls are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Longest wait for a connection (default 3 s); `None` for no limit.
    /// Accepts a `Duration` or an `Option<Duration>`, like every timeout.
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// Longest time for one attempt, response body included (default
    /// 30 s); `None` for no limit. Accepts a `Duration` or an
    /// `Option<Duration>`, like every timeout.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.attempt_timeout = timeout.into();
        self
    }

    /// Longest time for a whole operation, retries and waits included
    /// (default: no limit); `None` for no limit. Accepts a `Duration` or an
    /// `Option<Duration>`, like every timeout.
    pub fn operation_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.operation_timeout = timeout.into();
        self
    }

    /// Send at most `requests` calls per rolling `window` (off by default).
    /// `rate_limit(120, Duration::from_secs(60))` keeps a bulk job under
    /// ngrok's account limit, so it never meets a 429.
    pub fn rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.rate_limit = Some(RateLimit { requests, window });
        self
    }

    /// The largest success response body accepted, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`], 4 MiB; a full page of 100 large
    /// objects is well under it). The limit is enforced while the body
    /// streams in: a longer body fails the call with
    /// [`ErrorKind::ResponseTooLarge`](super::ErrorKind::ResponseTooLarge)
    /// without being read to its end, and is not retried.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.limits.success = bytes;
        self
    }

    /// How much of an error response body is read, in bytes (default
    /// [`DEFAULT_MAX_ERROR_BODY_SIZE`], 4 KiB; ngrok's error bodies are far
    /// smaller). The rest is not read; the error still has its status.
    pub fn max_error_body_size(mut self, bytes: usize) -> Self {
        self.limits.error = bytes;
        self
    }

    /// Builds the client, checking the configuration.
    pub fn build(self) -> Result<Client, Error> {
        let (client, problem) = self.build_lenient();
        match problem {
            Some(p) => Err(Error::config(p)),
            None => Ok(client),
        }
    }

    /// Builds a client even from a bad configuration; every call then
    /// fails with the configuration error, and is never retried.
    pub(crate) fn build_lenient(self) -> (Client, Option<String>) {
        let mut problem = base_url_problem(&self.base_url, self.allow_http);
        let base = match Url::parse(&self.base_url) {
            Ok(u) if problem.is_none() => u,
            _ => Url::parse(DEFAULT_BASE_URL).expect("the default base URL is valid"),
        };
        let auth = auth_header(self.api_key.as_deref());
        if let (None, Err(p)) = (&problem, &auth) {
            problem = Some(p.clone());
        }
        // Without a suffix the value is static, so each request's copy of
        // it is a pointer, not a shared count to update.
        let user_agent = match &self.user_agent_suffix {
            Some(s) => HeaderValue::from_str(&format!("{USER_AGENT} {s}")).unwrap_or_else(|_| HeaderValue::from_static(USER_AGENT)),
            None => HeaderValue::from_static(USER_AGENT),
        };
        let headers = request_headers(auth.ok(), user_agent);
        let connect_timeout = if self.http.is_none() { self.connect_timeout } else { None };
        let http = match self.http {
            Some(c) => Ok(c),
            None => default_http_client(self.connect_timeout),
        };
        if let (None, Err(p)) = (&problem, &http) {
            problem = Some(p.clone());
        }
        let inner = Inner {
            http,
            base,
            headers,
            retry: self.retry,
            connect_timeout,
            attempt_timeout: self.attempt_timeout,
            operation_timeout: self.operation_timeout,
            limiter: self.rate_limit.map(Limiter::new),
            limits: self.limits,
            config_error: problem.clone(),
        };
        (Client { inner: Arc::new(inner) }, problem)
    }
}

/// The headers every request carries, built once per client: the key
/// (when usable; without one every call fails before sending), the API
/// version, the user agent and the accepted type.
fn request_headers(auth: Option<HeaderValue>, user_agent: HeaderValue) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(4);
    if let Some(auth) = auth {
        headers.insert(header::AUTHORIZATION, auth);
    }
    headers.insert(header::HeaderName::from_static("ngrok-version"), HeaderValue::from_static("2"));
    headers.insert(header::USER_AGENT, user_agent);
    headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    headers
}

/// `Bearer <key>`, marked sensitive, or why the key cannot be used.
fn auth_header(key: Option<&str>) -> Result<HeaderValue, String> {
    match key {
        None => Err("no API key was given; pass one to Client::new or ClientBuilder::api_key".to_string()),
        Some(k) if k.trim().is_empty() => Err("the API key is empty".to_string()),
        Some(k) => match HeaderValue::from_str(&format!("Bearer {}", k.trim())) {
            Ok(mut v) => {
                v.set_sensitive(true);
                Ok(v)
            }
            Err(_) => Err("the API key contains characters not allowed in an HTTP header".to_string()),
        },
    }
}

/// The HTTP client the SDK makes when the program gives none: no redirects
/// (the API sends none, and the key must not follow one), HTTP/1.1 (the
/// SDK does not ask reqwest for HTTP/2; saying so keeps it that way when
/// another crate in the program turns reqwest's `http2` on), and none of
/// reqwest's own retries. Those retry only HTTP/2 and HTTP/3 refusals, which
/// cannot happen on HTTP/1.1, yet reqwest copies every request for them
/// beforehand; the SDK's retry policy is what retries.
fn default_http_client(connect_timeout: Option<Duration>) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .http1_only()
        .retry(reqwest::retry::never().max_retries_per_request(0));
    if let Some(t) = connect_timeout {
        builder = builder.connect_timeout(t);
    }
    builder.build().map_err(|e| format!("cannot start the HTTP client: {e}"))
}
