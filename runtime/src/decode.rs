//! Decoding a success response, in the one place every call and every
//! page goes through, so a decode error always says which call it was.

use std::borrow::Cow;

use bytes::Bytes;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::Error;
use super::target::Destination;

/// What identifies a call in errors and traces: never the key, the query
/// or a body. The path shown is worked out only when asked for.
#[derive(Debug, Clone)]
pub(crate) struct CallContext {
    /// `service.operation`.
    pub(crate) operation: &'static str,
    /// The HTTP method.
    pub(crate) method: Method,
    /// The path as the API describes it (`/ip_policies/{id}`).
    pub(crate) template: Cow<'static, str>,
    /// Where it goes.
    pub(crate) dest: Destination,
}

impl CallContext {
    /// The path, without the query.
    pub(crate) fn path(&self) -> &str {
        self.dest.path()
    }
}

/// A response that came back with a success status, its body read whole
/// (within the size limit), and the call it answers.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
    pub(crate) context: CallContext,
}

/// Decodes the body straight from the bytes read (an empty body as JSON
/// `null`, so `T = ()` accepts it); an error names the call and the JSON
/// path where decoding stopped.
pub(crate) fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, Error> {
    let body: &[u8] = if raw.body.is_empty() { b"null" } else { &raw.body };
    serde_json::from_slice(body).map_err(|e| {
        let at = super::jsonpath::path_at(body, e.line(), e.column());
        let ctx = &raw.context;
        Error::decode(raw.status, at, e).with_call(ctx.operation, ctx.method.as_str(), ctx.path())
    })
}
