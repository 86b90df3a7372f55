//! Reading the response headers the runtime uses. Every value comes from
//! the server, so every conversion is checked: a header that cannot be
//! read is treated as absent, and nothing here can panic.
//!
//! The headers read are `Retry-After` and `ngrok-operation-id`, and only
//! for an error response. The declared body length is hyper's, which
//! refuses a response whose `Content-Length` is not a number.

use std::time::Duration;

use reqwest::header::{self, HeaderMap};

/// The name of the header carrying ngrok's ID for a request.
pub(crate) const OPERATION_ID: &str = "ngrok-operation-id";

/// Longest `ngrok-operation-id` kept; real IDs are a few dozen characters.
const OPERATION_ID_LIMIT: usize = 128;

/// What the runtime takes from a response's headers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ResponseMeta {
    /// How long the server asked to wait (`Retry-After`).
    pub(crate) retry_after: Option<Duration>,
    /// ngrok's ID for the request (`ngrok-operation-id`).
    pub(crate) operation_id: Option<String>,
}

impl ResponseMeta {
    /// Reads the headers; missing or unreadable ones are `None`.
    pub(crate) fn from_headers(headers: &HeaderMap) -> ResponseMeta {
        let retry_after = headers.get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
        let operation_id = headers.get(OPERATION_ID).and_then(|v| v.to_str().ok()).and_then(parse_operation_id);
        ResponseMeta { retry_after, operation_id }
    }
}

/// An operation ID as the server sent it: visible ASCII (the header type
/// guarantees no control characters), not empty, and not absurdly long.
fn parse_operation_id(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || value.len() > OPERATION_ID_LIMIT || !value.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    Some(value.to_string())
}

/// Parses `Retry-After`: delta seconds (a fractional number is tolerated),
/// or an HTTP date. A negative, NaN or unreadable value is `None` (the
/// caller then uses its own backoff); a number too large for a
/// [`Duration`] is [`Duration::MAX`], which is longer than any cap.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // Digits only, but possibly more than a u64 holds.
        return Some(value.parse::<u64>().map(Duration::from_secs).unwrap_or(Duration::MAX));
    }
    if let Ok(secs) = value.parse::<f64>() {
        if secs.is_nan() || secs < 0.0 {
            return None;
        }
        return Some(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX));
    }
    // An HTTP date in any of the three forms RFC 9110 accepts.
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_delta_seconds() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("1.5"), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn retry_after_too_large_for_a_duration_is_the_maximum() {
        for huge in ["1e20", "18446744073709551616", "99999999999999999999999999999", "1e308", "inf", "+inf"] {
            assert_eq!(parse_retry_after(huge), Some(Duration::MAX), "{huge}");
        }
        assert_eq!(parse_retry_after("18446744073709551615"), Some(Duration::from_secs(u64::MAX)));
    }

    #[test]
    fn retry_after_negative_nan_and_garbage_are_ignored() {
        for bad in ["-1", "-0.5", "-1e20", "NaN", "nan", "-inf", "soon", "", "   ", "1 2", "0x10", "Wed, 99 Oct 2015 07:28:00 GMT"] {
            assert_eq!(parse_retry_after(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_http_dates_in_every_form() {
        for past in ["Wed, 21 Oct 2015 07:28:00 GMT", "Wednesday, 21-Oct-15 07:28:00 GMT", "Wed Oct 21 07:28:00 2015"] {
            assert_eq!(parse_retry_after(past), Some(Duration::ZERO), "{past}");
        }
        let ahead = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT").expect("a far date parses");
        assert!(ahead > Duration::from_secs(60 * 60 * 24 * 365 * 1000));
    }

    #[test]
    fn operation_id_is_kept_only_when_plausible() {
        let mut h = HeaderMap::new();
        assert_eq!(ResponseMeta::from_headers(&h).operation_id, None);
        h.insert(OPERATION_ID, HeaderValue::from_static("op_2abc"));
        assert_eq!(ResponseMeta::from_headers(&h).operation_id.as_deref(), Some("op_2abc"));
        h.insert(OPERATION_ID, HeaderValue::from_str(&"x".repeat(OPERATION_ID_LIMIT + 1)).unwrap());
        assert_eq!(ResponseMeta::from_headers(&h).operation_id, None);
        h.insert(OPERATION_ID, HeaderValue::from_bytes(b"op \xff\xfe").unwrap());
        assert_eq!(ResponseMeta::from_headers(&h).operation_id, None);
        h.insert(OPERATION_ID, HeaderValue::from_static("op with spaces"));
        assert_eq!(ResponseMeta::from_headers(&h).operation_id, None);
    }

    #[test]
    fn retry_after_that_is_not_text_is_ignored() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_bytes(b"\xff5").unwrap());
        assert_eq!(ResponseMeta::from_headers(&h).retry_after, None);
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("1e20"));
        assert_eq!(ResponseMeta::from_headers(&h).retry_after, Some(Duration::MAX));
    }
}
