//! Fuzzing what a server controls: response bodies through the decoders
//! (success and error), and the headers the runtime reads. Nothing may
//! panic, every error's `Display` stays on one line, and bounded things
//! stay bounded.

use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::decode::{CallContext, RawResponse, decode};
use super::error::EXCERPT_LIMIT;
use super::headers::{OPERATION_ID, ResponseMeta, parse_retry_after};
use super::Error;
use super::target::Destination;

fn raw(status: u16, body: Vec<u8>) -> RawResponse {
    let url = url::Url::parse("https://api.ngrok.com/fuzz/1").unwrap();
    let context = CallContext { operation: "fuzz.get", method: Method::GET, template: crate::decode::Template::Static("/fuzz"), settings: Default::default(), dest: Destination::Url(url) };
    RawResponse { status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body: body.into(), context }
}

/// JSON values of any shape, with field names the models use, so the
/// decoders get past the first byte.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("2024-02-30T25:61:61Z".into())),
        Just(Value::String("2024-01-02T03:04:05.123456789+01:00".into())),
    ];
    let key = prop_oneof![
        Just("id".to_string()), Just("uri".to_string()), Just("keys".to_string()),
        Just("next_page_uri".to_string()), Just("created_at".to_string()), Just("description".to_string()),
        Just("metadata".to_string()), Just("ip_policies".to_string()), Just("action".to_string()),
        Just("msg".to_string()), Just("error_code".to_string()), Just("status_code".to_string()),
        Just("details".to_string()), ".{0,6}",
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn assert_one_line(e: &Error) {
    let shown = e.to_string();
    assert!(!shown.contains(['\n', '\r']), "two lines: {shown:?}");
}

/// An object shaped as the generated models are: required strings, a
/// typed timestamp, optional and defaulted fields.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Object {
    id: String,
    uri: String,
    created_at: super::Timestamp,
    #[serde(default)]
    description: String,
    #[serde(default)]
    metadata: Option<String>,
}

/// A page shaped as the generated lists are.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct List {
    keys: Vec<Object>,
    uri: String,
    #[serde(default)]
    next_page_uri: Option<String>,
}

fn decode_all(r: &RawResponse) {
    if let Err(e) = decode::<List>(r) {
        assert_one_line(&e);
    }
    if let Err(e) = decode::<Object>(r) {
        assert_one_line(&e);
    }
    if let Err(e) = decode::<()>(r) {
        assert_one_line(&e);
    }
    if let Err(e) = decode::<super::Timestamp>(r) {
        assert_one_line(&e);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn success_decoders_survive_any_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&raw(200, body));
    }

    #[test]
    fn success_decoders_survive_any_json(value in json_value()) {
        decode_all(&raw(200, serde_json::to_vec(&value).unwrap_or_default()));
    }

    #[test]
    fn error_bodies_of_any_bytes_give_a_bounded_one_line_error(
        status in 400u16..600,
        body in prop::collection::vec(any::<u8>(), 0..4096),
    ) {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        let e = Error::from_response(status, None, None, &body).with_call("fuzz.get", "GET", "/fuzz/1");
        assert_one_line(&e);
        prop_assert_eq!(e.status(), Some(status));
        if let Some(excerpt) = e.body_excerpt() {
            prop_assert!(excerpt.len() <= EXCERPT_LIMIT + '…'.len_utf8());
        }
    }

    #[test]
    fn error_bodies_of_any_json_give_a_one_line_error(value in json_value(), msg in "\\PC{0,20}[\\n\\r\\u{1b}\\u{2028}]\\PC{0,20}") {
        let mut body = value;
        if let Some(map) = body.as_object_mut() {
            map.insert("msg".into(), serde_json::Value::String(msg));
        }
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let e = Error::from_response(StatusCode::BAD_REQUEST, Some("op_1".into()), None, &bytes);
        assert_one_line(&e);
    }

    #[test]
    fn retry_after_of_any_text_never_panics(value in "\\PC{0,40}") {
        let _ = parse_retry_after(&value);
    }

    #[test]
    fn retry_after_of_any_number_is_checked(digits in "[0-9]{1,40}", float in any::<f64>()) {
        // Digits alone always give a wait, saturating at the maximum.
        prop_assert!(parse_retry_after(&digits).is_some());
        let parsed = parse_retry_after(&float.to_string());
        if float.is_nan() || float < 0.0 {
            prop_assert_eq!(parsed, None);
        } else {
            prop_assert!(parsed.is_some());
        }
    }

    #[test]
    fn headers_of_any_bytes_never_panic(
        values in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 1..4),
    ) {
        let names = [reqwest::header::RETRY_AFTER, HeaderName::from_static(OPERATION_ID), reqwest::header::CONTENT_LENGTH];
        let mut headers = HeaderMap::new();
        for (name, value) in names.iter().cycle().zip(&values) {
            if let Ok(v) = HeaderValue::from_bytes(value) {
                headers.append(name.clone(), v);
            }
        }
        let meta = ResponseMeta::from_headers(&headers);
        if let Some(id) = &meta.operation_id {
            prop_assert!(id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic()));
        }
    }
}
