//! The runtime under the generated services of the `ngrok-api` crate: the
//! client's settings and the one send path every operation goes through
//! (auth, retries, timeouts, error decoding), the one paginator every list
//! shares, and the small value types the models use.
//!
//! Use `ngrok-api`: it re-exports what programs need ([`Error`],
//! [`Timestamp`], [`Pages`], ...) and this crate makes no promise of a
//! stable API of its own. It is a crate apart so that it is compiled once,
//! beside the generated services, and not again when they change. It knows
//! no particular service: [`Call`], `PageQuery`, the decoding helpers and
//! the `open_enum!` macro exist for generated code.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod attempt;
mod classify;
mod client;
mod code;
mod config;
mod decode;
mod env;
mod future;
#[cfg(test)]
mod fuzz_tests;
mod target;
pub mod de;
mod error;
mod headers;
mod jsonpath;
pub mod observe;
mod open_enum;
mod paging;
mod path;
mod raw;
mod redact;
mod resolved;
mod retry;
mod secret;
mod settings;
mod timestamp;
pub mod wait;
mod tls;

pub use client::Client;
pub use config::{Config, DEFAULT_BASE_URL, DEFAULT_MAX_ERROR_BODY_SIZE, DEFAULT_MAX_RESPONSE_SIZE};
pub use future::ResponseFuture;
pub use code::ErrorCode;
pub use error::{ApiErrorBody, Error, ErrorKind, TimeoutKind};
pub use paging::{Items, Page, PageQuery, Pages};
pub use crate::__open_enum as open_enum;
pub use path::fill_path;
pub use raw::{RawPage, RawRequest};
pub use redact::Redacted;
pub use retry::{RateLimit, RetryPolicy};
pub use secret::Secret;
pub use settings::CallSettings;
pub use crate::__per_call_settings as per_call_settings;
pub use timestamp::Timestamp;
#[doc(hidden)]
pub use tls::root_loads;

pub use reqwest::{Method, StatusCode};
/// The JSON crate raw calls decode with, for the SDK to name its `Value`.
#[doc(hidden)]
pub use serde_json;

use std::borrow::Cow;

/// One API call, as a generated operation describes it: everything the
/// send path needs, with nothing generic in it but the typed body, which
/// is encoded only when the call is sent.
#[derive(Debug)]
pub struct Call<B = ()> {
    /// `service.operation`, e.g. `ip_policies.create`; used in errors and traces.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path as the API describes it, parameters not filled in
    /// (`/ip_policies/{id}`): what observers and traces are shown.
    pub template: Cow<'static, str>,
    /// The path, parameters already encoded, or why it could not be built.
    pub path: Result<String, Error>,
    /// Query parameters, in order.
    pub query: Vec<(&'static str, String)>,
    /// The request body: typed until [`Call::encode`] turns it into JSON.
    pub body: Option<B>,
    /// What this call sets over the client's settings.
    pub settings: CallSettings,
}

/// A call whose body is encoded (or failed to encode).
pub type EncodedCall = Call<Result<Vec<u8>, Error>>;

impl Call {
    /// A call with no query and no body, to `path` (filled in from
    /// `template`).
    pub fn new(operation: &'static str, method: Method, template: impl Into<Cow<'static, str>>, path: Result<String, Error>) -> Self {
        Call { operation, method, template: template.into(), path, query: Vec::new(), body: None, settings: CallSettings::default() }
    }
}

impl<B> Call<B> {
    /// The same call with these query parameters.
    pub fn with_query(self, query: Vec<(&'static str, String)>) -> Self {
        Call { query, ..self }
    }

    /// The same call with these settings over the client's.
    pub fn with_settings(self, settings: CallSettings) -> Self {
        Call { settings, ..self }
    }

    /// The same call carrying `body`.
    pub fn with_body<T>(self, body: T) -> Call<T> {
        let Call { operation, method, template, path, query, body: _, settings } = self;
        Call { operation, method, template, path, query, body: Some(body), settings }
    }
}

impl<B: serde::Serialize> Call<B> {
    /// Encodes the body as JSON.
    pub fn encode(self) -> EncodedCall {
        let Call { operation, method, template, path, query, body, settings } = self;
        let body = body.map(|b| serde_json::to_vec(&b).map_err(|e| Error::encode(e.to_string())));
        Call { operation, method, template, path, query, body, settings }
    }
}
