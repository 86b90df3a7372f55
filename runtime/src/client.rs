//! The runtime's client: what it holds (resolved from a `Config` into
//! `resolved.rs`), and the single send path all operations share (checks,
//! rate limit, attempts, retries, timeouts, tracing).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use tracing::Instrument;

use super::attempt::attempt;
use super::classify::classify_response;
use super::decode::{CallContext, RawResponse, Template};
use super::observe::{AttemptFinished, AttemptStarted, CallInfo, Observer, RateLimitWait, RetryReason, RetryScheduled};
use super::resolved::Inner;
use super::retry::next_wait;
use super::target::Target;
use super::{Call, CallSettings, EncodedCall, Error, TimeoutKind};

/// The runtime's side of a client: its settings and the send path every
/// operation shares. Cheap to clone (the clones share one connection
/// pool). Programs hold `ngrok_api::Client`, which wraps one and adds the
/// services; the generated requests carry this one.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// A call checked and resolved, ready to send.
pub(crate) struct Prepared {
    context: CallContext,
    body: Option<Bytes>,
}

/// What a call is, apart from where it goes and its body.
struct Described {
    operation: &'static str,
    method: Method,
    template: Template,
    settings: CallSettings,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.url().as_str())
            .field("api_key", &"<redacted>")
            .field("retry", &self.inner.retry)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("operation_timeout", &self.inner.operation_timeout)
            .field("max_response_size", &self.inner.limits.success)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        self.inner.base.url().as_str()
    }

    /// Checks a call and works out where it goes, without sending it: a
    /// call refused here (a bad path, a body that did not encode, a
    /// misconfigured client) costs no allocation for sending.
    pub(crate) fn prepare(&self, call: EncodedCall) -> Result<Prepared, Error> {
        let Call { operation, method, template, path, query, body, settings } = call;
        let path = path.map_err(|e| e.with_operation(operation))?;
        let body = match body {
            Some(Ok(b)) => Some(Bytes::from(b)),
            Some(Err(e)) => return Err(e.with_call(operation, method.as_str(), &path)),
            None => None,
        };
        let described = Described { operation, method, template: template.into(), settings };
        self.resolve(described, Target::Path(path, query), body)
    }

    /// Like [`prepare`](Self::prepare), for a full URL the API handed out
    /// (`next_page_uri`) to a list call described by `operation`,
    /// `template` and `settings`.
    pub(crate) fn prepare_url(
        &self,
        operation: &'static str,
        template: Template,
        settings: CallSettings,
        url: &str,
    ) -> Result<Prepared, Error> {
        self.resolve(Described { operation, method: Method::GET, template, settings }, Target::Url(url), None)
    }

    fn resolve(&self, described: Described, target: Target<'_>, body: Option<Bytes>) -> Result<Prepared, Error> {
        let Described { operation, method, template, settings } = described;
        if let Some(p) = &self.inner.config_error {
            return Err(Error::config(p.clone()).with_operation(operation));
        }
        let dest = target.resolve(&self.inner.base).map_err(|e| e.with_operation(operation))?;
        Ok(Prepared { context: CallContext { operation, method, template, settings, dest }, body })
    }

    /// Sends a prepared call: rate limit, attempts with retries, timeouts,
    /// tracing. The future owns its client and is boxed once here. The
    /// usual call (no subscriber listening, no operation timeout) gets a
    /// future without room for a span or a second timer, small enough for
    /// the allocator's quick path.
    pub(crate) fn send(self, prepared: Prepared) -> RawFuture {
        let Prepared { context, body } = prepared;
        // Never the key, the query or any body: only what identifies the
        // call. With no subscriber listening, the span is a no-op whose
        // fields are never worked out, and nothing is timed for it.
        //
        // Besides the crate's own fields, those of OpenTelemetry's HTTP
        // client conventions (and the `otel.*` fields that
        // tracing-opentelemetry reads for the exported span's name, kind
        // and status), so an exporter needs no mapping.
        let base = self.inner.base.url();
        let span = tracing::debug_span!(
            "ngrok_api.call",
            operation = context.operation,
            method = %context.method,
            path = %context.path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            error = tracing::field::Empty,
            http.request.method = context.method.as_str(),
            url.template = context.template.as_str(),
            server.address = base.host_str().unwrap_or_default(),
            server.port = base.port_or_known_default(),
            http.response.status_code = tracing::field::Empty,
            error.type = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
            otel.name = %format_args!("{} {}", context.method, context.template.as_str()),
            otel.kind = "client",
            otel.status_code = tracing::field::Empty,
        );
        let operation_timeout = context.settings.operation_timeout(self.inner.operation_timeout);
        if span.is_disabled() && operation_timeout.is_none() {
            Box::pin(self.send_plain(context, body))
        } else {
            Box::pin(self.send_watched(context, body, operation_timeout, span))
        }
    }

    /// The usual call: the attempts, awaited in place. An `async` block
    /// rather than an `async fn`, whose future would hold its arguments
    /// twice (as passed, and moved into its body).
    #[allow(clippy::manual_async_fn, reason = "an async fn's future would hold the context twice")]
    fn send_plain(self, context: CallContext, body: Option<Bytes>) -> impl Future<Output = Result<RawResponse, Error>> + Send + 'static {
        async move {
            let made = AtomicU32::new(0);
            let result = self.attempts(&context, body.as_ref(), &made).await;
            finish(context, result)
        }
    }

    /// A call traced by a listening subscriber, or bounded by an operation
    /// timeout, or both.
    async fn send_watched(
        self,
        context: CallContext,
        body: Option<Bytes>,
        operation_timeout: Option<Duration>,
        span: tracing::Span,
    ) -> Result<RawResponse, Error> {
        let started = (!span.is_disabled()).then(tokio::time::Instant::now);
        let made = AtomicU32::new(0);
        let attempts = self.attempts(&context, body.as_ref(), &made).instrument(span.clone());
        let result = match operation_timeout {
            None => attempts.await,
            Some(limit) => tokio::time::timeout(limit, attempts).await.unwrap_or_else(|_| {
                Err(Error::timeout(TimeoutKind::Operation, Some(limit)).with_attempts(made.load(Ordering::Relaxed)))
            }),
        };
        if let Some(started) = started {
            record_outcome(&span, &result, made.load(Ordering::Relaxed), started);
        }
        finish(context, result)
    }

    /// Makes attempts until one succeeds, one fails for good, or the retry
    /// policy runs out; counts them in `made`.
    async fn attempts(
        &self,
        context: &CallContext,
        body: Option<&Bytes>,
        made: &AtomicU32,
    ) -> Result<(reqwest::StatusCode, Bytes), Error> {
        let inner = &*self.inner;
        let http = inner.http.as_ref().map_err(|e| Error::config(e.clone()))?;
        let idempotent = matches!(context.method, Method::GET | Method::PUT | Method::DELETE | Method::HEAD);
        // The observer, the call's own attempt timeout and retry policy
        // are looked up where they are used rather than kept in locals:
        // a local kept across an `await` makes every call's future larger.
        let mut number: u32 = 0;
        loop {
            number += 1;
            if let Some(limiter) = &inner.limiter {
                limiter.acquire(|delay| observe_wait(inner.observer.as_deref(), context, delay)).await;
            }
            made.store(number, Ordering::Relaxed);
            if let Some(o) = &inner.observer {
                o.attempt_started(&AttemptStarted { call: call_info(context), attempt: number });
            }
            // Timed only for an observer, or a subscriber that listens to
            // the events below.
            let started = (inner.observer.is_some() || tracing::enabled!(tracing::Level::DEBUG)).then(tokio::time::Instant::now);
            // Built for this attempt and moved into its request.
            let limit = context.settings.attempt_timeout(inner.attempt_timeout);
            let outcome = attempt(inner, http, &context.method, context.dest.url(&inner.base), body, limit).await.and_then(classify_response);
            let elapsed = || started.map_or(Duration::ZERO, |s| s.elapsed());
            let elapsed_ms = || u64::try_from(elapsed().as_millis()).unwrap_or(u64::MAX);
            let error = match outcome {
                Ok(resp) => {
                    if let Some(o) = &inner.observer {
                        let status = Some(resp.status);
                        o.attempt_finished(&AttemptFinished { call: call_info(context), attempt: number, status, duration: elapsed(), error_code: None, error: None });
                    }
                    tracing::debug!(attempt = number, status = resp.status.as_u16(), elapsed_ms = elapsed_ms(), "ngrok API call succeeded");
                    return Ok((resp.status, resp.body));
                }
                Err(error) => error,
            };
            if let Some(o) = &inner.observer {
                o.attempt_finished(&AttemptFinished {
                    call: call_info(context),
                    attempt: number,
                    status: error.status(),
                    duration: elapsed(),
                    error_code: error.error_code().filter(|c| is_error_code(c)),
                    error: Some(error.kind()),
                });
            }
            match error.status() {
                // Only the status: an API error's text comes from the server.
                Some(status) => tracing::debug!(attempt = number, status = status.as_u16(), elapsed_ms = elapsed_ms(), "ngrok API call failed"),
                None => tracing::debug!(attempt = number, error = %error, elapsed_ms = elapsed_ms(), "ngrok API call failed"),
            }
            let Some(wait) = next_wait(context.settings.retry(&inner.retry), &error, idempotent, number) else {
                return Err(error.with_attempts(number));
            };
            if let Some(o) = &inner.observer {
                let reason = RetryReason::of(&error);
                let server_asked = error.retry_after().is_some();
                o.retry_scheduled(&RetryScheduled { call: call_info(context), attempt: number, delay: wait, reason, server_asked });
            }
            let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
            tracing::debug!(attempt = number, wait_ms, "retrying ngrok API call");
            tokio::time::sleep(wait).await;
        }
    }
}

/// What an observer is told of a call: what the API describes of it.
fn call_info(context: &CallContext) -> CallInfo<'_> {
    CallInfo { operation: context.operation, method: context.method.as_str(), url_template: context.template.as_str() }
}

/// Whether `code` has the form of ngrok's error codes (`ERR_NGROK_226`):
/// capitals, digits and underscores, and short. Observers are shown no
/// other text from a body, whatever the server sends.
fn is_error_code(code: &str) -> bool {
    code.len() <= 40 && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Tells the observer, if any, that the rate limit holds the call back.
fn observe_wait(observer: Option<&dyn Observer>, context: &CallContext, delay: Duration) {
    if let Some(o) = observer {
        o.rate_limit_wait(&RateLimitWait { call: call_info(context), delay });
    }
}

/// The call's response with what identifies it, or its error naming it.
fn finish(context: CallContext, result: Result<(reqwest::StatusCode, Bytes), Error>) -> Result<RawResponse, Error> {
    match result {
        Ok((status, body)) => Ok(RawResponse { status, body, context }),
        Err(e) => Err(e.with_call(context.operation, context.method.as_str(), context.path())),
    }
}

/// A call's future, boxed: named, and the same type for every call.
pub(crate) type RawFuture = Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + Send + 'static>>;

/// Fills in the call span's outcome fields.
fn record_outcome(span: &tracing::Span, result: &Result<(reqwest::StatusCode, Bytes), Error>, attempts: u32, started: tokio::time::Instant) {
    span.record("attempts", attempts);
    span.record("duration_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
    if attempts > 1 {
        span.record("http.request.resend_count", attempts - 1);
    }
    match result {
        Ok((status, _)) => {
            span.record("status", status.as_u16());
            span.record("http.response.status_code", status.as_u16());
        }
        Err(e) => {
            if let Some(status) = e.status() {
                span.record("status", status.as_u16());
                span.record("http.response.status_code", status.as_u16());
            }
            span.record("error", tracing::field::debug(e.kind()));
            match e.status() {
                Some(status) => span.record("error.type", status.as_str()),
                None => span.record("error.type", error_type(e)),
            };
            span.record("otel.status_code", "ERROR");
        }
    }
}

/// The `error.type` of OpenTelemetry's conventions: the status code of an
/// API error (`503`), or a short name of what failed.
fn error_type(e: &Error) -> &'static str {
    use super::ErrorKind;
    match e.kind() {
        ErrorKind::Api => "api_error",
        ErrorKind::Timeout(_) => "timeout",
        ErrorKind::Connect => "connect_error",
        ErrorKind::Transport => "transport_error",
        ErrorKind::Decode => "decode_error",
        ErrorKind::Encode => "encode_error",
        ErrorKind::InvalidArgument => "invalid_argument",
        ErrorKind::Config => "config_error",
        ErrorKind::Paging => "paging_error",
        ErrorKind::WaitFailed => "wait_failed",
        ErrorKind::ResponseTooLarge { .. } => "response_too_large",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The usual call's future is allocated once per call: it must stay
    /// within the size that allocators serve from their quick per-thread
    /// caches (glibc's reaches requests of 1,032 bytes; 1,024 is a size
    /// class boundary for the others). It grows past that easily: a value
    /// kept alive across an `await` it is not needed after, or a timeout
    /// written as two differently typed awaits.
    #[test]
    fn the_usual_call_future_stays_small() {
        let config = crate::Config { api_key: Some("key".into()), base_url: "http://127.0.0.1:9".into(), allow_http: true, ..Default::default() };
        let client = config.build().expect("a valid configuration");
        for method in [Method::GET, Method::POST] {
            let described = Described { operation: "test.call", method, template: Template::Static("/a/b"), settings: CallSettings::default() };
            let prepared = client.resolve(described, Target::Url("http://127.0.0.1:9/a/b"), Some(Bytes::from_static(b"{}"))).expect("a valid URL");
            let size = std::mem::size_of_val(&client.clone().send_plain(prepared.context, prepared.body));
            assert!(size <= 1024, "the usual call's future takes {size} bytes; keep it at 1,024 or under");
        }
    }
}
