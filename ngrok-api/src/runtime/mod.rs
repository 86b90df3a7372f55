//! The hand-written runtime under the generated services: the client and
//! its configuration, the one send path every operation goes through
//! (auth, retries, timeouts, error decoding), the one paginator every list
//! shares, and the small value types the models use.
//!
//! Generated code only uses [`ResponseFuture::new`], [`Pages::new`],
//! [`Client::resume_pages`] and the helpers in this module; nothing here
//! knows any particular service.

mod attempt;
mod classify;
mod client;
mod config;
mod decode;
mod env;
mod future;
#[cfg(test)]
mod fuzz_tests;
mod target;
#[doc(hidden)]
pub mod de;
mod error;
mod headers;
mod jsonpath;
mod paging;
mod path;
mod redact;
mod retry;
mod secret;
mod timestamp;

pub use client::Client;
pub use config::{ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_ERROR_BODY_SIZE, DEFAULT_MAX_RESPONSE_SIZE};
pub use future::ResponseFuture;
pub use error::{ApiErrorBody, Error, ErrorKind, TimeoutKind};
pub use paging::{Items, Page, PageQuery, Pages};
#[doc(hidden)]
pub use path::expand_path;
pub use redact::Redacted;
pub use retry::{RateLimit, RetryPolicy};
pub use secret::Secret;
pub use timestamp::Timestamp;

pub use reqwest::{Method, StatusCode};

/// One API call, as a generated operation describes it: everything the
/// send path needs, with nothing generic in it.
#[derive(Debug)]
pub struct Call {
    /// `service.operation`, e.g. `ip_policies.create`; used in errors and traces.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path, parameters already encoded, or why it could not be built.
    pub path: Result<String, Error>,
    /// Query parameters, in order.
    pub query: Vec<(&'static str, String)>,
    /// The JSON body, or why it could not be encoded.
    pub body: Option<Result<Vec<u8>, Error>>,
}

/// Encodes a request body.
#[doc(hidden)]
pub fn to_json<T: serde::Serialize>(body: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(body).map_err(|e| Error::encode(e.to_string()))
}
