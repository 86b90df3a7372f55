//! The error a non-success response becomes: ngrok's JSON error body when
//! the server sent one, else a bounded excerpt of whatever it sent.

use std::time::Duration;

use reqwest::StatusCode;

use super::body::{ApiErrorBody, EXCERPT_LIMIT};
use super::{Error, ErrorKind, Inner};

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
