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

/// `details` as text: a string as it reads, anything else (a number, an
/// object) as the JSON the server wrote; `null` as no details.
fn details_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    d.deserialize_option(DetailsVisitor)
}

struct DetailsVisitor;

impl<'de> serde::de::Visitor<'de> for DetailsVisitor {
    type Value = BTreeMap<String, String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object of details")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(BTreeMap::new())
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut details = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let raw = map.next_value::<Box<serde_json::value::RawValue>>()?;
            let text = raw.get();
            let value = match text.starts_with('"') {
                true => serde_json::from_slice::<String>(text.as_bytes()).unwrap_or_else(|_| text.to_owned()),
                false => text.to_owned(),
            };
            details.insert(key, value);
        }
        Ok(details)
    }
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

    #[test]
    fn details_of_every_kind_become_text() {
        let body = br#"{"error_code":"ERR_NGROK_1","status_code":400,"msg":"bad","details":{"operation_id":"op_\u0031x","limit":100,"ratio":1.50,"ok":true,"none":null,"where":{"field": "cidr"},"list":[1,"a"]}}"#;
        let e = Error::from_response(StatusCode::BAD_REQUEST, None, None, body);
        let details = e.details();
        assert_eq!(details.get("operation_id").map(String::as_str), Some("op_1x"));
        assert_eq!(details.get("limit").map(String::as_str), Some("100"));
        assert_eq!(details.get("ratio").map(String::as_str), Some("1.50"));
        assert_eq!(details.get("ok").map(String::as_str), Some("true"));
        assert_eq!(details.get("none").map(String::as_str), Some("null"));
        assert_eq!(details.get("where").map(String::as_str), Some(r#"{"field": "cidr"}"#));
        assert_eq!(details.get("list").map(String::as_str), Some(r#"[1,"a"]"#));
        for no_details in [&br#"{"msg":"bad","details":null}"#[..], br#"{"msg":"bad"}"#] {
            let e = Error::from_response(StatusCode::BAD_REQUEST, None, None, no_details);
            assert!(e.details().is_empty() && e.message() == "bad", "{e:?}");
        }
        let e = Error::from_response(StatusCode::BAD_REQUEST, None, None, br#"{"msg":"bad","details":"text"}"#);
        assert!(e.body().is_none() && e.body_excerpt().is_some(), "a body of another shape is kept as an excerpt");
    }
}
