//! Decoding a success response, in the one place every call and every
//! page goes through, so a decode error always says which call it was.

use std::borrow::Cow;
use std::sync::Arc;

use bytes::Bytes;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use super::{CallSettings, Error};
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
    pub(crate) template: Template,
    /// What the call sets over the client's settings.
    pub(crate) settings: CallSettings,
    /// Where it goes.
    pub(crate) dest: Destination,
}

/// A call's path template, two words wide (a `Cow` takes three, in every
/// call's future): the generated operations' own, or a raw call's, shared
/// between the pages of a walk.
#[derive(Debug, Clone)]
pub(crate) enum Template {
    Static(&'static str),
    Owned(Arc<String>),
}

impl Template {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Template::Static(s) => s,
            Template::Owned(s) => s,
        }
    }
}

impl From<Cow<'static, str>> for Template {
    fn from(template: Cow<'static, str>) -> Template {
        match template {
            Cow::Borrowed(s) => Template::Static(s),
            Cow::Owned(s) => Template::Owned(Arc::new(s)),
        }
    }
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
