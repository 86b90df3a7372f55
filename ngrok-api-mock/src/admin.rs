//! The admin endpoints under [`ADMIN_PREFIX`]: faults, journal, seed,
//! reset, rate limit, latency, the clock and store statistics.

use std::sync::atomic::Ordering;

use axum::response::Response;
use serde_json::Value;

use crate::fault::{Fault, JournalEntry, RateLimit};
use crate::http::{ADMIN_PREFIX, bearer, json_response, lock};
use crate::shared::Shared;

/// A 401 for an admin request without the admin token, when one is set.
/// The health check stays open: it tells nothing but that the server runs.
pub(crate) fn refusal(sh: &Shared, headers: &axum::http::HeaderMap, path: &str) -> Option<Response> {
    let want = sh.admin_token.as_deref()?;
    let sub = path.strip_prefix(ADMIN_PREFIX).unwrap_or("").trim_end_matches('/');
    if matches!(sub, "" | "/health") || bearer(headers) == Some(want) {
        return None;
    }
    Some(admin_error(
        401,
        "admin endpoints need `Authorization: Bearer <token>` with the admin token (or the API key when no admin token is set)",
    ))
}

fn admin_json(status: u16, v: &Value) -> Response {
    json_response(status, serde_json::to_vec(v).unwrap_or_default(), "op_admin")
}

fn admin_error(status: u16, msg: impl Into<String>) -> Response {
    // The admin API is the emulator's own: its code is its own too, never
    // one of ngrok's.
    let body = serde_json::json!({
        "error_code": "ERR_MOCK_ADMIN",
        "status_code": status,
        "msg": msg.into(),
        "details": { "operation_id": "op_admin" },
    });
    admin_json(status, &body)
}

fn parse_admin_body(body: &[u8]) -> Result<Value, Box<Response>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| Box::new(admin_error(400, format!("the body is not valid JSON: {e}"))))
}

/// The admin endpoints.
pub(crate) fn admin(sh: &Shared, method: &str, path: &str, body: &[u8]) -> Response {
    let sub = path.strip_prefix(ADMIN_PREFIX).unwrap_or("").trim_end_matches('/');
    match (method, sub) {
        ("GET", "" | "/health") => admin_json(200, &serde_json::json!({"ok": true, "url": sh.base})),
        ("GET", "/stats") => {
            let store = sh.read_store();
            let objects: usize = store.colls.iter().map(|c| c.objects.len()).sum();
            admin_json(200, &serde_json::json!({ "objects": objects, "index_entries": store.entries() }))
        }
        ("GET", "/journal") => {
            let entries: Vec<JournalEntry> = lock(&sh.journal).iter().cloned().collect();
            admin_json(200, &serde_json::json!({ "entries": entries }))
        }
        ("DELETE", "/journal") => {
            lock(&sh.journal).clear();
            json_response(204, Vec::new(), "op_admin")
        }
        ("GET", "/faults") => {
            let faults = lock(&sh.faults).clone();
            admin_json(200, &serde_json::json!({ "faults": faults }))
        }
        ("POST", "/faults") => add_faults(sh, body),
        ("DELETE", "/faults") => {
            sh.clear_faults();
            json_response(204, Vec::new(), "op_admin")
        }
        ("POST", "/seed") => {
            let v = match parse_admin_body(body) {
                Ok(v) => v,
                Err(r) => return *r,
            };
            match sh.seed_all(&v) {
                Ok(seeded) => match sh.changed() {
                    Ok(()) => admin_json(200, &serde_json::json!({ "seeded": seeded })),
                    Err(e) => admin_error(500, e),
                },
                Err(e) => admin_error(400, e),
            }
        }
        ("POST", "/reset") => match sh.reset() {
            Ok(()) => json_response(204, Vec::new(), "op_admin"),
            Err(e) => admin_error(500, e),
        },
        ("GET", "/rate_limit") => {
            let limit = lock(&sh.limiter).as_ref().map(|l| l.limit);
            admin_json(200, &serde_json::json!({ "rate_limit": limit }))
        }
        ("PUT", "/rate_limit") => put_rate_limit(sh, body),
        ("DELETE", "/rate_limit") => {
            sh.set_rate_limit(None);
            json_response(204, Vec::new(), "op_admin")
        }
        ("PUT", "/latency") => put_latency(sh, body),
        ("PUT", "/legacy_writes") => put_legacy_writes(sh, body),
        ("GET", "/clock") => admin_json(200, &sh.clock.view()),
        ("POST", "/clock") => advance_clock(sh, body),
        _ => admin_error(404, format!("no admin endpoint at {method} {path}")),
    }
}

/// `POST /faults`: adds one fault or a list of them.
fn add_faults(sh: &Shared, body: &[u8]) -> Response {
    let v = match parse_admin_body(body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let list = match v {
        Value::Array(a) => a,
        other @ Value::Null | other @ Value::Bool(_) | other @ Value::Number(_) | other @ Value::String(_) | other @ Value::Object(_) => vec![other],
    };
    let mut parsed = Vec::new();
    for f in list {
        match serde_json::from_value::<Fault>(f) {
            Ok(mut f) => {
                f.method = f.method.to_ascii_uppercase();
                parsed.push(f);
            }
            Err(e) => return admin_error(400, format!("not a fault: {e}")),
        }
    }
    for f in parsed {
        sh.add_fault(f);
    }
    let faults = lock(&sh.faults).clone();
    admin_json(201, &serde_json::json!({ "faults": faults }))
}

/// `PUT /rate_limit`: sets the limit, or lifts it with `null`.
fn put_rate_limit(sh: &Shared, body: &[u8]) -> Response {
    let v = match parse_admin_body(body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    if v.is_null() {
        sh.set_rate_limit(None);
        return admin_json(200, &serde_json::json!({ "rate_limit": null }));
    }
    match serde_json::from_value::<RateLimit>(v) {
        Ok(l) if l.requests > 0 && l.window_ms > 0 => {
            sh.set_rate_limit(Some(l));
            admin_json(200, &serde_json::json!({ "rate_limit": l }))
        }
        Ok(_) => admin_error(400, "requests and window_ms must be at least 1"),
        Err(e) => admin_error(400, format!("not a rate limit: {e}")),
    }
}

/// `PUT /legacy_writes`: allows (`{"allowed": true}`) or refuses writes to
/// sunset services.
fn put_legacy_writes(sh: &Shared, body: &[u8]) -> Response {
    let v = match parse_admin_body(body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    match v.get("allowed").and_then(Value::as_bool) {
        Some(allowed) => {
            sh.legacy_writes.store(allowed, Ordering::Relaxed);
            admin_json(200, &serde_json::json!({ "allowed": allowed }))
        }
        None => admin_error(400, "send {\"allowed\": true} or {\"allowed\": false}"),
    }
}

/// `PUT /latency`: delays every answer by `ms`.
fn put_latency(sh: &Shared, body: &[u8]) -> Response {
    let v = match parse_admin_body(body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    match v.get("ms").and_then(Value::as_u64) {
        Some(ms) => {
            sh.latency_ms.store(ms, Ordering::Relaxed);
            admin_json(200, &serde_json::json!({ "ms": ms }))
        }
        None => admin_error(400, "send {\"ms\": <milliseconds>}"),
    }
}

/// `POST /clock`: moves the emulator's clock forward
/// (`{"advance_seconds": 90}`) and answers as `GET /clock` does.
fn advance_clock(sh: &Shared, body: &[u8]) -> Response {
    const SHAPE: &str = "send {\"advance_seconds\": <whole seconds, 0 or more>}; the clock only moves forward";
    let v = match parse_admin_body(body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let Some(secs) = v.get("advance_seconds").and_then(Value::as_u64) else {
        return admin_error(400, SHAPE);
    };
    match sh.clock.advance(secs) {
        Ok(_) => admin_json(200, &sh.clock.view()),
        Err(e) => admin_error(400, e),
    }
}
