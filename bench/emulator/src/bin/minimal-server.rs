//! The floor for the emulator's memory: a plain axum server holding the IP
//! policies of a seed file as `serde_json::Value`s in a `Vec`, with an
//! index from ID to place. It serves `GET /ip_policies/{id}` and
//! `GET /ip_policies` (newest first, `limit` and `before_id`) in the shape
//! the emulator answers with, and nothing else.
//!
//! Usage: `minimal-server --seed FILE [--port PORT]`. Like the emulator, the
//! first line on stdout is the base URL.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;

struct Policies {
    base: String,
    items: Vec<Value>,
    by_id: HashMap<String, usize>,
}

fn json(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn not_found(id: &str) -> Response {
    let body = serde_json::json!({"error_code": "ERR_NGROK_404", "status_code": 404, "msg": format!("no ip_policies object with the ID `{id}` was found")});
    json(StatusCode::NOT_FOUND, body.to_string().into_bytes())
}

async fn get_one(State(p): State<Arc<Policies>>, Path(id): Path<String>) -> Response {
    match p.by_id.get(&id) {
        Some(&i) => json(StatusCode::OK, serde_json::to_vec(&p.items[i]).unwrap_or_default()),
        None => not_found(&id),
    }
}

async fn list(State(p): State<Arc<Policies>>, RawQuery(query): RawQuery) -> Response {
    let mut limit = 100usize;
    let mut before = p.items.len();
    for pair in query.as_deref().unwrap_or("").split('&') {
        match pair.split_once('=') {
            Some(("limit", v)) => limit = v.parse().unwrap_or(100).clamp(1, 100),
            Some(("before_id", v)) => match p.by_id.get(v) {
                Some(&i) => before = i,
                None => return not_found(v),
            },
            _ => {}
        }
    }
    let start = before.saturating_sub(limit);
    let mut out = Vec::with_capacity(256 * (before - start) + 128);
    out.extend_from_slice(b"{\"ip_policies\":[");
    for (n, item) in p.items[start..before].iter().rev().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut out, item);
    }
    let uri = format!("{}/ip_policies", p.base);
    out.extend_from_slice(format!("],\"uri\":{}", Value::String(uri.clone())).as_bytes());
    let next = match (start > 0, p.items[start].get("id").and_then(Value::as_str)) {
        (true, Some(last)) => Value::String(format!("{uri}?limit={limit}&before_id={last}")),
        _ => Value::Null,
    };
    out.extend_from_slice(format!(",\"next_page_uri\":{next}}}").as_bytes());
    json(StatusCode::OK, out)
}

fn load(path: &str, base: String) -> Result<Policies, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let seed: Value = serde_json::from_str(&text).map_err(|e| format!("{path} is not JSON: {e}"))?;
    drop(text);
    let Value::Object(mut seed) = seed else { return Err(format!("{path}: not a JSON object")) };
    let Some(Value::Array(items)) = seed.remove("ip_policies") else {
        return Err(format!("{path}: no `ip_policies` array"));
    };
    let mut by_id = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let id = item.get("id").and_then(Value::as_str).ok_or_else(|| format!("{path}: item {i} has no `id`"))?;
        by_id.insert(id.to_string(), i);
    }
    Ok(Policies { base, items, by_id })
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let seed = value("--seed").ok_or("usage: minimal-server --seed FILE [--port PORT]")?;
    let port: u16 = value("--port").map_or(Ok(0), |p| p.parse()).map_err(|e| format!("--port: {e}"))?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base = format!("http://{addr}");
    let policies = Arc::new(load(&seed, base.clone())?);
    let app = Router::new()
        .route("/ip_policies", get(list))
        .route("/ip_policies/{id}", get(get_one))
        .with_state(policies);
    println!("{base}");
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}
