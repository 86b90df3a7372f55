//! The error a non-success response becomes: ngrok's JSON error body when
//! the server sent one, else a bounded excerpt of whatever it sent.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

use super::{Error, ErrorKind, Inner};

/// Most bytes of a non-JSON error body kept in an [`Error`].
pub(crate) const EXCERPT_LIMIT: usize = 1024;

/// The error body the API sends with a 4xx or 5xx status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct ApiErrorBody {
    /// ngrok's stable code for the condition, e.g. `ERR_NGROK_218`.
    #[serde(default)]
    pub error_code: Option<String>,
    /// The HTTP status the API meant.
    #[serde(default)]
    pub status_code: Option<u16>,
    /// A human-readable explanation.
    #[serde(default)]
    pub msg: Option<String>,
    /// More detail; `operation_id` is ngrok's trace ID.
    #[serde(default, deserialize_with = "details_map")]
    pub details: BTreeMap<String, String>,
}

fn details_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    let raw = Option::<BTreeMap<String, serde_json::Value>>::deserialize(d)?.unwrap_or_default();
    Ok(raw
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect())
}

impl Error {
    /// Builds the error for a non-success response.
    pub(crate) fn from_response(status: StatusCode, header_operation_id: Option<String>, retry_after: Option<Duration>, body: &[u8]) -> Error {
        let parsed = serde_json::from_slice::<ApiErrorBody>(body)
            .ok()
            .filter(|b| b.error_code.is_some() || b.msg.is_some() || b.status_code.is_some());
        let excerpt = if parsed.is_none() && !body.is_empty() { Some(excerpt(body)) } else { None };
        Error(Box::new(Inner {
            kind: Some(ErrorKind::Api),
            status: Some(status),
            message: status.canonical_reason().unwrap_or("error").to_string(),
            body: parsed,
            excerpt,
            header_operation_id,
            retry_after,
            ..Default::default()
        }))
    }
}

/// At most [`EXCERPT_LIMIT`] bytes of `body`, cut on a character boundary.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LIMIT + 4)]);
    let mut end = text.len().min(EXCERPT_LIMIT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = text[..end].to_string();
    if body.len() > end {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_bodies_are_bounded() {
        let body = format!("<html>{}</html>", "x".repeat(10_000));
        let e = Error::from_response(StatusCode::BAD_GATEWAY, Some("op_h".into()), None, body.as_bytes());
        let ex = e.body_excerpt().unwrap();
        assert!(ex.len() <= EXCERPT_LIMIT + '…'.len_utf8());
        assert!(ex.starts_with("<html>"));
        assert_eq!(e.operation_id(), Some("op_h"));
        assert!(e.is_retryable());
    }
}
