//! Observation hooks: a program's [`Observer`], told of every attempt,
//! retry and rate-limit wait of a client's calls, to count calls, export
//! metrics or log them its own way.
//!
//! An event names the call by what the API describes (the operation, the
//! method and the path template, `/ip_policies/{id}`), never by what the
//! caller or the server filled in: no ID, no query, no body, no header,
//! and never the key.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use super::{ErrorKind, TimeoutKind};

/// Told of each attempt, retry and rate-limit wait of a client's calls;
/// set with `ClientBuilder::observer`. Every method does nothing unless
/// implemented, so an observer implements only what it needs.
///
/// The methods are called on the task making the call, in line: keep them
/// quick (update a counter, send on a channel), and do not block.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use ngrok_api::observe::{AttemptFinished, Observer};
///
/// #[derive(Default)]
/// struct Failures(AtomicU64);
///
/// impl Observer for Failures {
///     fn attempt_finished(&self, event: &AttemptFinished<'_>) {
///         if event.error.is_some() {
///             self.0.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
/// ```
pub trait Observer: Send + Sync + 'static {
    /// An attempt is about to be sent (after any rate-limit wait).
    fn attempt_started(&self, event: &AttemptStarted<'_>) {
        let _ = event;
    }

    /// An attempt ended: with a response (its status), or without one.
    fn attempt_finished(&self, event: &AttemptFinished<'_>) {
        let _ = event;
    }

    /// A failed attempt will be tried again after a delay.
    fn retry_scheduled(&self, event: &RetryScheduled<'_>) {
        let _ = event;
    }

    /// The client-side rate limit (`ClientBuilder::rate_limit`) holds a
    /// call back for a while before its attempt.
    fn rate_limit_wait(&self, event: &RateLimitWait<'_>) {
        let _ = event;
    }
}

/// Which call an event is about: what the API describes, never a value
/// the call was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallInfo<'a> {
    /// `service.operation`, e.g. `ip_policies.get`; `raw` for a raw call
    /// that was given no name.
    pub operation: &'static str,
    /// The HTTP method, e.g. `GET`.
    pub method: &'a str,
    /// The path as the API describes it, parameters not filled in, e.g.
    /// `/ip_policies/{id}` (the same for every page of a list).
    pub url_template: &'a str,
}

/// An attempt is about to be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttemptStarted<'a> {
    /// The call.
    pub call: CallInfo<'a>,
    /// The attempt's number, from 1.
    pub attempt: u32,
}

/// An attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttemptFinished<'a> {
    /// The call.
    pub call: CallInfo<'a>,
    /// The attempt's number, from 1.
    pub attempt: u32,
    /// The response's status, when one came back.
    pub status: Option<StatusCode>,
    /// From sending the request to the end of the response's body (or
    /// the failure).
    pub duration: Duration,
    /// ngrok's error code (`ERR_NGROK_226`) of an error response that had
    /// one: capitals, digits and underscores only (any other text in its
    /// place is not shown).
    pub error_code: Option<&'a str>,
    /// What went wrong, for an attempt that failed.
    pub error: Option<ErrorKind>,
}

/// A failed attempt will be tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryScheduled<'a> {
    /// The call.
    pub call: CallInfo<'a>,
    /// The number of the attempt that failed; the next is one more.
    pub attempt: u32,
    /// How long the client waits before the next attempt.
    pub delay: Duration,
    /// Why the attempt failed.
    pub reason: RetryReason,
    /// Whether the delay is the server's (`Retry-After`) rather than the
    /// retry policy's backoff.
    pub server_asked: bool,
}

/// Why an attempt is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryReason {
    /// The API answered with this status (429, 502, 503, 504, or a 5xx
    /// with one of ngrok's rate-limit codes).
    Status(StatusCode),
    /// No connection could be made.
    Connect,
    /// A time limit of the attempt ran out.
    Timeout(TimeoutKind),
    /// The connection failed while the request or response was in flight.
    Transport,
}

impl RetryReason {
    pub(crate) fn of(error: &super::Error) -> RetryReason {
        match (error.status(), error.kind()) {
            (Some(status), _) => RetryReason::Status(status),
            (None, ErrorKind::Connect) => RetryReason::Connect,
            (None, ErrorKind::Timeout(kind)) => RetryReason::Timeout(kind),
            _ => RetryReason::Transport,
        }
    }
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryReason::Status(status) => write!(f, "status {}", status.as_u16()),
            RetryReason::Connect => f.write_str("connect failed"),
            RetryReason::Timeout(kind) => write!(f, "{kind:?} timeout"),
            RetryReason::Transport => f.write_str("connection failed"),
        }
    }
}

/// The client-side rate limit holds a call back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitWait<'a> {
    /// The call held back.
    pub call: CallInfo<'a>,
    /// How long it waits before it is looked at again.
    pub delay: Duration,
}
