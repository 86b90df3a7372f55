//! HTTP helpers every room that answers shares: the admin prefix, the
//! bearer token of a request, JSON responses with ngrok's operation ID, and
//! a lock that survives a panicked holder. A leaf: it knows no state.

use std::sync::{Mutex, MutexGuard};

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::error::ApiError;

/// Paths under this prefix control the emulator instead of emulating the API.
pub const ADMIN_PREFIX: &str = "/__mock";

/// The token of an `Authorization: Bearer <token>` header. The scheme is
/// matched without regard to case, as HTTP authentication schemes are.
pub(crate) fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn json_response(status: u16, body: Vec<u8>, operation_id: &str) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    if status != 204 {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    if let Ok(v) = HeaderValue::from_str(operation_id) {
        h.insert(HeaderName::from_static("ngrok-operation-id"), v);
    }
    resp
}

pub(crate) fn error_response(e: &ApiError, operation_id: &str) -> Response {
    json_response(e.status, e.body(operation_id), operation_id)
}
