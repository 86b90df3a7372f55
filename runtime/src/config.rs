//! Configuring a client: the builder, its defaults, and the checks made
//! when it is built.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

use super::client::Client;
use super::resolved::{BodyLimits, Inner};
use super::observe::Observer;
use super::retry::Limiter;
use super::target::{Base, base_url_problem};
use super::{Error, RateLimit, RetryPolicy};

/// The API's address.
pub const DEFAULT_BASE_URL: &str = "https://api.ngrok.com";

const USER_AGENT: &str = concat!("ngrok-api-rust/", env!("CARGO_PKG_VERSION"));

/// Default for `ClientBuilder::max_response_size`: 4 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 4 * 1024 * 1024;

/// Default for `ClientBuilder::max_error_body_size`: 4 KiB.
pub const DEFAULT_MAX_ERROR_BODY_SIZE: usize = 4 * 1024;

/// A client's configuration: what `ngrok_api::ClientBuilder` collects,
/// and what [`Config::build`] checks and turns into a [`Client`].
#[derive(Clone)]
pub struct Config {
    /// The API key; a call without one fails.
    pub api_key: Option<String>,
    /// The API's base URL.
    pub base_url: String,
    /// Whether a plain-`http://` base URL is accepted on any host.
    pub allow_http: bool,
    /// Appended to the `User-Agent` header.
    pub user_agent_suffix: Option<String>,
    /// The caller's own HTTP client, if any.
    pub http: Option<reqwest::Client>,
    /// How failed calls are retried.
    pub retry: RetryPolicy,
    /// The connect timeout of the HTTP client the SDK makes.
    pub connect_timeout: Option<Duration>,
    /// The time limit of one attempt.
    pub attempt_timeout: Option<Duration>,
    /// The time limit of a whole operation.
    pub operation_timeout: Option<Duration>,
    /// The client-side rate limit.
    pub rate_limit: Option<RateLimit>,
    /// The largest success body accepted, in bytes.
    pub max_response_size: usize,
    /// How much of an error body is read, in bytes.
    pub max_error_body_size: usize,
    /// Told of every attempt, retry and rate-limit wait.
    pub observer: Option<Arc<dyn Observer>>,
}

/// Shown under the name programs know it by: the SDK's `ClientBuilder`
/// prints its configuration this way. The key is never shown.
impl fmt::Debug for Config {
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
            .field("max_response_size", &self.max_response_size)
            .field("max_error_body_size", &self.max_error_body_size)
            .field("observer", &self.observer.is_some())
            .finish()
    }
}

impl Default for Config {
    /// The defaults; also installs the `ring` TLS provider with the
    /// `rustls-ring` feature (see `ClientBuilder::http_client`).
    fn default() -> Self {
        super::tls::ensure_provider();
        Config {
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
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            max_error_body_size: DEFAULT_MAX_ERROR_BODY_SIZE,
            observer: None,
        }
    }
}

impl Config {
    /// Builds the client, checking the configuration.
    pub fn build(self) -> Result<Client, Error> {
        let (client, problem) = self.build_lenient();
        match problem {
            Some(p) => Err(Error::config(p)),
            None => Ok(client),
        }
    }

    /// Builds a client even from a bad configuration; every call then
    /// fails with the configuration error, and is never retried. Returns
    /// the problem too, if there is one.
    pub fn build_lenient(self) -> (Client, Option<String>) {
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
            base: Base::new(base),
            headers,
            retry: self.retry,
            connect_timeout,
            attempt_timeout: self.attempt_timeout,
            operation_timeout: self.operation_timeout,
            limiter: self.rate_limit.map(Limiter::new),
            limits: BodyLimits { success: self.max_response_size, error: self.max_error_body_size },
            config_error: problem.clone(),
            observer: self.observer,
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
/// beforehand; the SDK's retry policy is what retries. Its TLS loads no
/// root certificate until a server's certificate is checked (`tls.rs`).
fn default_http_client(connect_timeout: Option<Duration>) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .http1_only()
        .retry(reqwest::retry::never().max_retries_per_request(0));
    if let Some(t) = connect_timeout {
        builder = builder.connect_timeout(t);
    }
    super::tls::configure(builder)?.build().map_err(|e| format!("cannot start the HTTP client: {e}"))
}
