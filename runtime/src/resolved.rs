//! A built client's settings, resolved from its `Config` once: what the
//! send path, each attempt and the client's `Debug` read. A leaf: it names
//! the pieces it holds and nothing that uses it.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::observe::Observer;
use super::retry::{Limiter, RetryPolicy};
use super::target::Base;

/// How much of a response body is read, at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyLimits {
    /// A success body longer than this fails the call.
    pub(crate) success: usize,
    /// Of an error body, this much is kept and the rest is not read.
    pub(crate) error: usize,
}

/// A built client's settings.
pub(crate) struct Inner {
    pub(crate) http: Result<reqwest::Client, String>,
    pub(crate) base: Base,
    /// The headers every request carries (key, API version, user agent,
    /// accepted type), built once.
    pub(crate) headers: HeaderMap,
    pub(crate) retry: RetryPolicy,
    /// The connect timeout we configured; `None` with a caller's own client.
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) limiter: Option<Limiter>,
    pub(crate) limits: BodyLimits,
    pub(crate) config_error: Option<String>,
    pub(crate) observer: Option<Arc<dyn Observer>>,
}
