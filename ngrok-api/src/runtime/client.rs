//! The client: configuration, and the single send path all operations share.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use super::headers::ResponseMeta;
use super::retry::Limiter;
use super::{Call, Error, ErrorKind, Page, Pages, RateLimit, RetryPolicy, TimeoutKind};

/// The future of one call; `.await` it.
///
/// Encoding the request body and decoding the response happen when the
/// future is first polled, in generic code: they are compiled into the
/// program that awaits the call, for the operations it actually uses,
/// rather than for all 252 operations when this crate is built. Sending is
/// one shared, non-generic path.
#[must_use = "a call does nothing until it is awaited"]
pub struct ResponseFuture<T, B = ()> {
    state: CallState<B>,
    output: PhantomData<fn() -> T>,
}

type RawFuture = Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + Send + 'static>>;

enum CallState<B> {
    Prepared { client: Client, call: Call, body: Option<B> },
    Sending { operation: &'static str, method: Method, path: String, future: RawFuture },
    Finished,
}

impl<T, B> ResponseFuture<T, B> {
    /// A call ready to be sent, with its body (if any) not yet encoded.
    pub fn new(client: Client, call: Call, body: Option<B>) -> Self {
        ResponseFuture { state: CallState::Prepared { client, call, body }, output: PhantomData }
    }
}

impl<T, B> fmt::Debug for ResponseFuture<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (state, operation) = match &self.state {
            CallState::Prepared { call, .. } => ("prepared", call.operation),
            CallState::Sending { operation, .. } => ("sending", *operation),
            CallState::Finished => ("finished", ""),
        };
        f.debug_struct("ResponseFuture").field("operation", &operation).field("state", &state).finish()
    }
}

impl<T, B> Future for ResponseFuture<T, B>
where
    T: DeserializeOwned,
    B: Serialize + Unpin,
{
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, CallState::Finished) {
                CallState::Prepared { client, mut call, body } => {
                    if let Some(body) = body {
                        call.body = Some(super::to_json(&body));
                    }
                    let operation = call.operation;
                    let method = call.method.clone();
                    let path = call.path.as_ref().map(String::clone).unwrap_or_default();
                    let future: RawFuture = Box::pin(async move { client.execute(call).await });
                    this.state = CallState::Sending { operation, method, path, future };
                }
                CallState::Sending { operation, method, path, mut future } => {
                    return match future.as_mut().poll(cx) {
                        Poll::Pending => {
                            this.state = CallState::Sending { operation, method, path, future };
                            Poll::Pending
                        }
                        Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                        Poll::Ready(Ok(raw)) => {
                            Poll::Ready(decode::<T>(&raw).map_err(|e| e.with_call(operation, method.as_str(), &path)))
                        }
                    };
                }
                CallState::Finished => {
                    return Poll::Ready(Err(Error::config("this call was already awaited to completion")));
                }
            }
        }
    }
}

/// The API's address.
pub const DEFAULT_BASE_URL: &str = "https://api.ngrok.com";

const USER_AGENT: &str = concat!("ngrok-api-rust/", env!("CARGO_PKG_VERSION"));

/// A client of the ngrok API. Cheap to clone (the clones share one
/// connection pool); every service is an accessor on it.
///
/// ```no_run
/// # async fn demo() -> Result<(), ngrok_api::Error> {
/// let client = ngrok_api::Client::new("my-api-key");
/// let policy = client.ip_policies().create().description("office").await?;
/// println!("{}", policy.id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: Result<reqwest::Client, String>,
    base: Url,
    auth: Result<HeaderValue, String>,
    user_agent: HeaderValue,
    retry: RetryPolicy,
    /// The connect timeout we configured; `None` with a caller's own client.
    connect_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    limiter: Option<Limiter>,
    config_error: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("api_key", &"<redacted>")
            .field("retry", &self.inner.retry)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("operation_timeout", &self.inner.operation_timeout)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. Start with [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: String,
    allow_http: bool,
    user_agent_suffix: Option<String>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    connect_timeout: Duration,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    rate_limit: Option<RateLimit>,
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
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: DEFAULT_BASE_URL.to_string(),
            allow_http: false,
            user_agent_suffix: None,
            http: None,
            retry: RetryPolicy::default(),
            connect_timeout: Duration::from_secs(3),
            attempt_timeout: Some(Duration::from_secs(30)),
            operation_timeout: None,
            rate_limit: None,
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

    /// Use this `reqwest::Client` (its pool, proxy and TLS settings). The
    /// connect timeout set here then does not apply; configure it on that
    /// client, and turn its redirects off.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How failed calls are retried (default: [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Longest wait for a connection (default 3 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Longest time for one attempt, response body included (default 30 s;
    /// `None` for no limit).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Longest time for a whole operation, retries and waits included
    /// (default: no limit).
    pub fn operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation_timeout = timeout;
        self
    }

    /// Send at most `requests` calls per rolling `window` (off by default).
    /// `rate_limit(120, Duration::from_secs(60))` keeps a bulk job under
    /// ngrok's account limit, so it never meets a 429.
    pub fn rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.rate_limit = Some(RateLimit { requests, window });
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
    /// fails with the configuration error.
    fn build_lenient(self) -> (Client, Option<String>) {
        let mut problem = base_url_problem(&self.base_url, self.allow_http);
        let base = match Url::parse(&self.base_url) {
            Ok(u) if problem.is_none() => u,
            _ => Url::parse(DEFAULT_BASE_URL).expect("the default base URL is valid"),
        };
        let auth = match &self.api_key {
            None => Err("no API key was given; pass one to Client::new or ClientBuilder::api_key".to_string()),
            Some(k) if k.trim().is_empty() => Err("the API key is empty".to_string()),
            Some(k) => match HeaderValue::from_str(&format!("Bearer {}", k.trim())) {
                Ok(mut v) => {
                    v.set_sensitive(true);
                    Ok(v)
                }
                Err(_) => Err("the API key contains characters not allowed in an HTTP header".to_string()),
            },
        };
        if let (None, Err(p)) = (&problem, &auth) {
            problem = Some(p.clone());
        }
        let ua = match &self.user_agent_suffix {
            Some(s) => format!("{USER_AGENT} {s}"),
            None => USER_AGENT.to_string(),
        };
        let user_agent = HeaderValue::from_str(&ua).unwrap_or_else(|_| HeaderValue::from_static(USER_AGENT));
        let connect_timeout = self.http.is_none().then_some(self.connect_timeout);
        let http = match self.http {
            Some(c) => Ok(c),
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| format!("cannot start the HTTP client: {e}")),
        };
        if let (None, Err(p)) = (&problem, &http) {
            problem = Some(p.clone());
        }
        let client = Client {
            inner: Arc::new(Inner {
                http,
                base,
                auth,
                user_agent,
                retry: self.retry,
                connect_timeout,
                attempt_timeout: self.attempt_timeout,
                operation_timeout: self.operation_timeout,
                limiter: self.rate_limit.map(Limiter::new),
                config_error: problem.clone(),
            }),
        };
        (client, problem)
    }
}

/// Why `raw` cannot be the base URL, if it cannot.
fn base_url_problem(raw: &str, allow_http: bool) -> Option<String> {
    let url = match Url::parse(raw) {
        Ok(u) => u,
        Err(e) => return Some(format!("base URL `{raw}` is not a URL: {e}")),
    };
    if url.cannot_be_a_base() {
        return Some(format!("base URL `{raw}` cannot be a base URL"));
    }
    match url.scheme() {
        "https" => None,
        "http" if allow_http || is_loopback(&url) => None,
        "http" => Some(format!(
            "base URL `{raw}` is plain http on a non-loopback host; use https, or allow_http(true) to accept sending the API key unencrypted"
        )),
        other => Some(format!("base URL scheme `{other}` is not supported; use https")),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A response that came back with a success status.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) body: Vec<u8>,
}

/// Where a call goes.
pub(crate) enum Target<'a> {
    /// A path on the base URL, with query parameters.
    Path(&'a str, &'a [(&'static str, String)]),
    /// A full URL the API gave (a `next_page_uri`); must be on our origin.
    Url(&'a str),
}

impl Client {
    /// A client for the API at `https://api.ngrok.com` with this key and
    /// the default retry policy and timeouts. If the key is unusable (empty,
    /// or not valid in a header), every call fails with a configuration
    /// error that says so.
    pub fn new(api_key: impl Into<String>) -> Client {
        ClientBuilder::default().api_key(api_key).build_lenient().0
    }

    /// A builder for every option.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client from the environment: the key from `NGROK_API_KEY`, and the
    /// base URL from `NGROK_API_URL` when it is set.
    pub fn from_env() -> Result<Client, Error> {
        Self::builder_from_env()?.build()
    }

    /// A builder preset from the environment, like [`from_env`](Self::from_env).
    /// A missing or blank `NGROK_API_KEY`, or an `NGROK_API_URL` that is not
    /// an acceptable base URL, is an error naming the variable.
    pub fn builder_from_env() -> Result<ClientBuilder, Error> {
        let key = match std::env::var("NGROK_API_KEY") {
            Ok(k) if !k.trim().is_empty() => k,
            Ok(_) => return Err(Error::config("environment variable NGROK_API_KEY is empty; set it to an ngrok API key")),
            Err(std::env::VarError::NotPresent) => {
                return Err(Error::config("environment variable NGROK_API_KEY is not set; set it to an ngrok API key"));
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::config("environment variable NGROK_API_KEY is not valid Unicode"));
            }
        };
        let mut builder = ClientBuilder::default().api_key(key);
        match std::env::var("NGROK_API_URL") {
            Ok(url) if !url.trim().is_empty() => {
                let url = url.trim();
                if let Some(problem) = base_url_problem(url, false) {
                    return Err(Error::config(format!("environment variable NGROK_API_URL: {problem}")));
                }
                builder = builder.base_url(url);
            }
            Ok(_) | Err(std::env::VarError::NotPresent) => {}
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::config("environment variable NGROK_API_URL is not valid Unicode"));
            }
        }
        Ok(builder)
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        self.inner.base.as_str()
    }

    /// Pages of a list, starting from a `next_page_uri` an earlier page
    /// returned: resumes a walk where it stopped.
    pub fn resume_pages<P: Page>(&self, operation: &'static str, next_page_uri: impl Into<String>) -> Pages<P> {
        Pages::resume(self.clone(), operation, next_page_uri.into())
    }

    /// Sends a call and decodes its JSON response (`T = ()` for an empty
    /// one). Generated operations use this through `IntoFuture`.
    pub fn send<T: DeserializeOwned>(&self, call: Call) -> ResponseFuture<T> {
        ResponseFuture::new(self.clone(), call, None)
    }

    /// Runs one call: checks, rate limit, attempts with retries, timeouts.
    pub(crate) async fn execute(&self, call: Call) -> Result<RawResponse, Error> {
        let path = match call.path {
            Ok(p) => p,
            Err(e) => return Err(e.with_call(call.operation, call.method.as_str(), "")),
        };
        let body = match call.body {
            Some(Ok(b)) => Some(b),
            Some(Err(e)) => return Err(e.with_call(call.operation, call.method.as_str(), &path)),
            None => None,
        };
        self.run(call.operation, call.method, Target::Path(&path, &call.query), body).await
    }

    /// Fetches a full URL the API handed out (`next_page_uri`).
    pub(crate) async fn execute_url(&self, operation: &'static str, url: &str) -> Result<RawResponse, Error> {
        self.run(operation, Method::GET, Target::Url(url), None).await
    }

    async fn run(&self, operation: &'static str, method: Method, target: Target<'_>, body: Option<Vec<u8>>) -> Result<RawResponse, Error> {
        let (url, shown_path) = match self.url_for(&target) {
            Ok(u) => u,
            Err(e) => return Err(e.with_call(operation, method.as_str(), "")),
        };
        // Never the key, the query or any body: only what identifies the call.
        let span = tracing::debug_span!(
            "ngrok_api.call",
            operation,
            method = %method,
            path = %shown_path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            error = tracing::field::Empty,
        );
        let started = tokio::time::Instant::now();
        let attempts = AtomicU32::new(0);
        let fut = self.attempts(&method, url, body, &attempts).instrument(span.clone());
        let result = match self.inner.operation_timeout {
            Some(limit) => match tokio::time::timeout(limit, fut).await {
                Ok(r) => r,
                Err(_) => Err(Error::timeout(TimeoutKind::Operation, Some(limit)).with_attempts(attempts.load(Ordering::Relaxed))),
            },
            None => fut.await,
        };
        span.record("attempts", attempts.load(Ordering::Relaxed));
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(raw) => {
                span.record("status", raw.status.as_u16());
            }
            Err(e) => {
                if let Some(status) = e.status() {
                    span.record("status", status.as_u16());
                }
                span.record("error", tracing::field::debug(e.kind()));
            }
        }
        result.map_err(|e| e.with_call(operation, method.as_str(), &shown_path))
    }

    fn url_for(&self, target: &Target<'_>) -> Result<(Url, String), Error> {
        if let Some(p) = &self.inner.config_error {
            return Err(Error::config(p.clone()));
        }
        match target {
            Target::Path(path, query) => {
                let mut url = self.inner.base.clone();
                let base_path = url.path().trim_end_matches('/').to_string();
                url.set_path(&format!("{base_path}{path}"));
                if !query.is_empty() {
                    let mut pairs = url.query_pairs_mut();
                    for (k, v) in query.iter() {
                        pairs.append_pair(k, v);
                    }
                }
                Ok((url, path.to_string()))
            }
            Target::Url(raw) => {
                let url = Url::parse(raw).map_err(|e| Error::paging(format!("next_page_uri `{raw}` is not a URL: {e}")))?;
                if url.origin() != self.inner.base.origin() {
                    return Err(Error::paging(format!(
                        "next_page_uri `{raw}` is not on the API's origin `{}`; refusing to send the API key there",
                        self.inner.base.origin().ascii_serialization()
                    )));
                }
                let shown = url.path().to_string();
                Ok((url, shown))
            }
        }
    }

    /// Makes attempts until one succeeds, one fails for good, or the retry
    /// policy runs out; counts them in `made`.
    async fn attempts(&self, method: &Method, url: Url, body: Option<Vec<u8>>, made: &AtomicU32) -> Result<RawResponse, Error> {
        let inner = &self.inner;
        let http = inner.http.as_ref().map_err(|e| Error::config(e.clone()))?;
        let auth = inner.auth.as_ref().map_err(|e| Error::config(e.clone()))?;
        let idempotent = matches!(*method, Method::GET | Method::PUT | Method::DELETE | Method::HEAD);
        let policy = &inner.retry;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if let Some(limiter) = &inner.limiter {
                limiter.acquire().await;
            }
            made.store(attempt, Ordering::Relaxed);
            let mut headers = HeaderMap::with_capacity(5);
            headers.insert(header::AUTHORIZATION, auth.clone());
            headers.insert("ngrok-version", HeaderValue::from_static("2"));
            headers.insert(header::USER_AGENT, inner.user_agent.clone());
            headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
            let mut req = http.request(method.clone(), url.clone()).headers(headers);
            if let Some(b) = &body {
                req = req.header(header::CONTENT_TYPE, "application/json").body(b.clone());
            }
            let started = tokio::time::Instant::now();
            let outcome = one_attempt(req, inner.attempt_timeout, inner.connect_timeout).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let (error, retry_after) = match outcome {
                Ok(resp) if resp.status.is_success() => {
                    tracing::debug!(attempt, status = resp.status.as_u16(), elapsed_ms, "ngrok API call succeeded");
                    return Ok(RawResponse { status: resp.status, body: resp.body });
                }
                Ok(resp) => {
                    let retry_after = resp.retry_after;
                    tracing::debug!(attempt, status = resp.status.as_u16(), elapsed_ms, "ngrok API call failed");
                    let err = Error::from_response(resp.status, resp.operation_id, retry_after, &resp.body);
                    (err, retry_after)
                }
                Err(err) => {
                    // Local failures only: their text holds no body.
                    tracing::debug!(attempt, error = %err, elapsed_ms, "ngrok API call failed");
                    (err, None)
                }
            };
            let retryable = match error.kind() {
                // A 429 was refused before any work: safe for every method.
                ErrorKind::Api if error.status() == Some(StatusCode::TOO_MANY_REQUESTS) => true,
                ErrorKind::Api => idempotent && error.is_retryable(),
                // Never connected: the request certainly did not arrive.
                ErrorKind::Connect | ErrorKind::Timeout(TimeoutKind::Connect) => true,
                ErrorKind::Timeout(_) | ErrorKind::Transport => idempotent,
                _ => false,
            };
            if !retryable || attempt >= policy.max_attempts {
                return Err(error.with_attempts(attempt));
            }
            let wait = match retry_after {
                // Asked to wait longer than we ever would: give the caller
                // the error, with `retry_after()`, at once.
                Some(ra) if ra > policy.max_delay => return Err(error.with_attempts(attempt)),
                Some(ra) => ra,
                None => policy.backoff(attempt),
            };
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying ngrok API call");
            tokio::time::sleep(wait).await;
        }
    }
}

struct AttemptResponse {
    status: StatusCode,
    body: Vec<u8>,
    retry_after: Option<Duration>,
    operation_id: Option<String>,
}

async fn one_attempt(req: reqwest::RequestBuilder, limit: Option<Duration>, connect_timeout: Option<Duration>) -> Result<AttemptResponse, Error> {
    let classify = |e| classify(e, connect_timeout);
    let fut = async move {
        let resp = req.send().await.map_err(classify)?;
        let status = resp.status();
        let ResponseMeta { retry_after, operation_id } = ResponseMeta::from_headers(resp.headers());
        let body = resp.bytes().await.map_err(classify)?.to_vec();
        Ok(AttemptResponse { status, body, retry_after, operation_id })
    };
    match limit {
        Some(limit) => tokio::time::timeout(limit, fut).await.unwrap_or_else(|_| Err(Error::timeout(TimeoutKind::Attempt, Some(limit)))),
        None => fut.await,
    }
}

fn classify(err: reqwest::Error, connect_timeout: Option<Duration>) -> Error {
    if err.is_timeout() {
        // A timeout of reqwest's own: the connect timeout we set, or one the
        // caller configured on their own `reqwest::Client`.
        return if err.is_connect() {
            Error::timeout(TimeoutKind::Connect, connect_timeout)
        } else {
            Error::timeout(TimeoutKind::Attempt, None)
        };
    }
    Error::transport(err)
}

pub(crate) fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, Error> {
    let body: &[u8] = if raw.body.is_empty() { b"null" } else { &raw.body };
    serde_json::from_slice(body).map_err(|e| {
        let path = super::jsonpath::path_at(body, e.line(), e.column());
        Error::decode(raw.status, path, e)
    })
}
