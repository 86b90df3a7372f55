//! The HTTP side: one handler that journals, applies faults, checks the
//! headers every ngrok request needs, rate-limits, and dispatches through
//! the route table; paths under [`ADMIN_PREFIX`] go to the admin
//! endpoints.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;

use crate::engine::Call;
use crate::reply::Reply;
use crate::error::{ApiError, codes};
use crate::fault::JournalEntry;
use crate::http::{ADMIN_PREFIX, bearer, error_response, json_response, lock};
use crate::shared::Shared;

/// Largest request body accepted.
const BODY_LIMIT: usize = 8 << 20;

/// The one handler behind every path.
pub(crate) async fn handle(State(sh): State<Arc<Shared>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    if path == ADMIN_PREFIX || path.starts_with(&format!("{ADMIN_PREFIX}/")) {
        if let Some(refused) = crate::admin::refusal(&sh, &parts.headers, &path) {
            return refused;
        }
        let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
        return crate::admin::admin(&sh, parts.method.as_str(), &path, &bytes);
    }
    let operation_id = sh.rng.operation_id();
    let method = parts.method.as_str().to_string();
    let query = parts.uri.query().map(str::to_string);
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            let e = ApiError::new(413, codes::TOO_LARGE, format!("the request body is over {BODY_LIMIT} bytes"));
            return error_response(&e, &operation_id);
        }
    };
    let mut entry = (sh.journal_capacity > 0).then(|| JournalEntry {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                let value = if n == header::AUTHORIZATION {
                    "[redacted]".to_string()
                } else {
                    String::from_utf8_lossy(v.as_bytes()).into_owned()
                };
                (n.as_str().to_string(), value)
            })
            .collect(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        status: None,
    });
    let resp = respond(&sh, &parts.headers, &method, &path, query.as_deref(), &bytes, &operation_id).await;
    if let Some(mut e) = entry.take() {
        e.status = resp.as_ref().map(|r| r.status().as_u16());
        sh.record(e);
    }
    resp.unwrap_or_else(crate::fault::dropped_connection)
}

/// The answer to an API request; `None` drops the connection.
async fn respond(
    sh: &Shared,
    headers: &axum::http::HeaderMap,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
    operation_id: &str,
) -> Option<Response> {
    let latency = sh.latency_ms.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    if let Some(f) = sh.take_fault(method, path) {
        if let Some(ms) = f.delay_ms {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
        if f.drop_connection {
            return None;
        }
        if f.answers() {
            return Some(crate::fault::fault_response(&f, operation_id));
        }
    }
    let answer = match api(sh, headers, method, path, query, body) {
        Ok(Reply { filter: Some(job), .. }) => crate::list::run_filter(sh, *job).await,
        other => other,
    };
    Some(match answer {
        Ok(Reply { status, body, .. }) => json_response(status, body, operation_id),
        Err(e) => {
            let mut resp = error_response(&e, operation_id);
            if e.status == 429
                && let Some(secs) = lock(&sh.limiter).as_ref().and_then(|l| l.limit.retry_after_secs)
            {
                resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            resp
        }
    })
}

fn api(
    sh: &Shared,
    headers: &axum::http::HeaderMap,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> Result<Reply, ApiError> {
    let Some(token) = bearer(headers) else {
        // ngrok's message repeats the header; the emulator never repeats a
        // credential.
        return Err(if headers.contains_key("authorization") {
            ApiError::filled(401, codes::MALFORMED_AUTH, &[("VAL", "<redacted>")], "send `Authorization: Bearer <API key>`")
        } else {
            ApiError::new(401, codes::MISSING_AUTH, "send `Authorization: Bearer <API key>`")
        });
    };
    if let Some(key) = &sh.api_key
        && key != token
    {
        return Err(ApiError::filled(401, codes::BAD_KEY, &[("TOKEN", "<redacted>")], ""));
    }
    match headers.get("ngrok-version").map(|v| v.as_bytes()) {
        None => {
            return Err(ApiError::filled(400, codes::MISSING_VERSION, &[("SUPPORTED", "2")], "send `Ngrok-Version: 2`"));
        }
        Some(b"2") => {}
        Some(v) => {
            let version = String::from_utf8_lossy(v);
            return Err(ApiError::filled(400, codes::BAD_VERSION, &[("VERSION", &version), ("SUPPORTED", "2")], "send `Ngrok-Version: 2`"));
        }
    }
    if let Some(l) = lock(&sh.limiter).as_mut()
        && !l.admit(Instant::now())
    {
        let (max, interval) = (l.limit.requests.to_string(), format!("{} ms", l.limit.window_ms));
        return Err(ApiError::filled(429, codes::RATE_LIMIT, &[("MAX", &max), ("INTERVAL", &interval)], ""));
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some((route, params)) = sh.table.route(method, &segments) else {
        return Err(if sh.table.path_known(&segments) {
            ApiError::new(405, codes::BAD_METHOD, format!("{method} is not allowed on {path}"))
        } else {
            ApiError::new(404, codes::NO_ROUTE, format!("no API operation is at {method} {path}"))
        });
    };
    let call = Call { route, params, path, query, body };
    let engine = sh.engine();
    if engine.is_read(sh.table.op(route)) {
        let store = sh.read_store();
        if !engine.certificates_due(&store) {
            return engine.run_read(&store, &call);
        }
        // State that moves with the clock moves when it is read.
        drop(store);
        let mut store = sh.write_store();
        if engine.advance_certificates(&mut store) {
            sh.after_write(store)?;
        } else {
            drop(store);
        }
        engine.run_read(&sh.read_store(), &call)
    } else if sh.table.services[route.service].legacy && !sh.legacy_writes.load(Ordering::Relaxed) {
        // Sunset services are read-only for the account.
        Err(ApiError::refusal(7196, &[]))
    } else {
        let mut store = sh.write_store();
        engine.advance_certificates(&mut store);
        let reply = engine.run_write(&mut store, &call)?;
        sh.after_write(store)?;
        Ok(reply)
    }
}
