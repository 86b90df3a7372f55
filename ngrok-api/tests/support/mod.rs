//! The runtime tests' side of the shared recording test server: the server
//! itself (scripted replies, every request recorded with its arrival time)
//! and clients aimed at it.
#![allow(dead_code)]

use ngrok_api::{Client, ClientBuilder};
// Each test binary uses its own part of this module.
#[allow(unused_imports)]
pub use test_server::{Recorded, Reply, Server};

/// The API key every test client uses; no output may ever contain it.
pub const KEY: &str = "sk_test_2xSECRETsecretSECRET9z";

/// A `reqwest::Client` with no timers of its own (no connect timeout, no
/// idle-pool sweeper). Under tokio's paused clock any armed timer makes
/// time jump while the client waits on the socket, so tests that measure
/// virtual time use this client and turn the per-attempt timeout off.
pub fn timerless_http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_idle_timeout(None)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client")
}

/// A builder aimed at the server, with the SDK's default HTTP stack.
pub fn builder(server: &Server) -> ClientBuilder {
    Client::builder().api_key(KEY).base_url(server.url())
}

/// A builder aimed at the server for paused-clock tests: timer-free HTTP
/// client and no per-attempt timeout, so only the runtime's own waits
/// (backoff, Retry-After, rate limit) move virtual time.
pub fn paused_builder(server: &Server) -> ClientBuilder {
    builder(server).http_client(timerless_http()).timeout(None)
}

/// A loopback port nothing listens on: connecting to it is refused.
pub fn refused_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}")
}

/// An API key as the server sends it: every field it always sends, with
/// `token` null as on every answer but the create.
pub fn api_key(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "uri": format!("https://api.ngrok.com/api_keys/{id}"),
        "created_at": "2025-09-04T10:11:35Z",
        "owner_id": "usr_1",
        "token": null,
    })
}

/// An IP policy as the server sends it (no description or metadata set).
pub fn ip_policy(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "uri": format!("https://api.ngrok.com/ip_policies/{id}"),
        "created_at": "2025-09-04T10:11:35Z",
    })
}

/// `base` with the fields of `extra` set over it.
pub fn with(mut base: serde_json::Value, extra: serde_json::Value) -> serde_json::Value {
    if let (Some(b), serde_json::Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
    base
}
