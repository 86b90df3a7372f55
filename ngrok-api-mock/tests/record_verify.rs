//! `record` and `verify`, on loopback only: the recording proxy in front of
//! a scripted upstream writes no secret the upstream or the client sent;
//! a session recorded in front of one emulator verifies clean against
//! another (its IDs mapped), and a planted difference of each class is
//! reported as that class with exit status 1.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use ngrok_api_mock::{DiffClass, MockServer, Recorder, verify};
use serde_json::{Value, json};
use test_server::{Recorded, Reply, Server};

const BIN: &str = env!("CARGO_BIN_EXE_ngrok-api-mock");
const KEY: &str = "live-key-5f1c0ffee5ecret";

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("record-verify").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

async fn call(base: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let c = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
    let mut rb = c.request(method, format!("{base}{path}")).bearer_auth(KEY).header("Ngrok-Version", "2");
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.expect("an answer");
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

const PRIVATE_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

/// The upstream answers each path with the secrets such an answer holds.
fn upstream_answer(_: usize, r: &Recorded) -> Reply {
    let answer = match r.path() {
        "/api_keys" => json!({"id": "ak_2QJk4bT1oN0fQm5rUa8VcXe3ZhL", "description": "ci", "token": "2QJk-api-key-token-from-upstream", "owner_id": "usr_1"}),
        "/credentials" => json!({"id": "cr_2QJk4bT1oN0fQm5rUa8VcXe3ZhL", "token": "cred-token-from-upstream-77", "acl": []}),
        "/tls_certificates" => json!({"id": "cert_2QJk4bT1oN0fQm5rUa8VcXe3ZhL", "private_key_type": "rsa", "certificate_pem": "-----BEGIN CERTIFICATE-----\nCERTBYTES\n-----END CERTIFICATE-----\n"}),
        "/vault_secrets" => json!({"id": "sec_2QJk4bT1oN0fQm5rUa8VcXe3ZhL", "name": "db", "value": "secret-value-from-upstream-42"}),
        "/bot_users" => json!({"id": "bot_2QJk4bT1oN0fQm5rUa8VcXe3ZhL", "oauth": {"client_id": "cid-1", "client_secret": "client-secret-from-upstream"}}),
        _ => json!({"echo_of_your_key": r.header("authorization").unwrap_or_default()}),
    };
    Reply::json(201, answer).header("x-upstream-saw", r.header("authorization").unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_relays_everything_and_writes_no_secret() {
    let upstream = Server::start(upstream_answer).await;
    let dir = scratch("secrets");
    let out = dir.join("session.json");
    let rec = Recorder::start(&upstream.url(), &out, loopback()).await.expect("the proxy starts");
    let sent = [
        ("/api_keys", json!({"description": "ci"})),
        ("/credentials", json!({"description": "agent"})),
        ("/tls_certificates", json!({"certificate_pem": "-----BEGIN CERTIFICATE-----\nCERTBYTES\n-----END CERTIFICATE-----\n", "private_key_pem": PRIVATE_KEY})),
        ("/vault_secrets", json!({"name": "db", "value": "secret-value-sent-by-client-13", "vault_id": "vault_1"})),
        ("/bot_users", json!({"name": "b"})),
        ("/event_destinations", json!({"target": {"datadog": {"api_key": "dd-api-key-sent-by-client", "ddsite": "datadoghq.com"}}})),
        ("/echo", json!({"note": format!("the key is {KEY}")})),
    ];
    let mut answers = Vec::new();
    for (path, body) in &sent {
        answers.push(call(rec.url(), "POST", path, Some(body.clone())).await);
    }
    // The client got the upstream's answers whole, secrets included, and
    // the upstream saw the client's key.
    assert_eq!(answers[0], (201, json!({"id": "ak_2QJk4bT1oN0fQm5rUa8VcXe3ZhL", "description": "ci", "token": "2QJk-api-key-token-from-upstream", "owner_id": "usr_1"})));
    assert_eq!(answers[6].1["echo_of_your_key"], json!(format!("Bearer {KEY}")));
    assert!(upstream.requests().iter().all(|r| r.header("authorization") == Some(&format!("Bearer {KEY}"))));
    assert_eq!(upstream.requests()[2].json()["private_key_pem"], json!(PRIVATE_KEY));
    assert_eq!(rec.exchanges(), sent.len());
    rec.finish().expect("the file is written");

    let text = std::fs::read_to_string(&out).expect("the recording");
    for secret in [
        KEY,
        "2QJk-api-key-token-from-upstream",
        "cred-token-from-upstream-77",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
        "secret-value-from-upstream-42",
        "secret-value-sent-by-client-13",
        "client-secret-from-upstream",
        "dd-api-key-sent-by-client",
    ] {
        assert!(!text.contains(secret), "the recording holds the secret {secret}:\n{text}");
    }
    assert!(!text.to_ascii_lowercase().contains("\"authorization\""), "no Authorization header is written");
    // What is not secret stays, so the recording is still worth verifying.
    let rec: Value = serde_json::from_str(&text).expect("JSON");
    let x = &rec["exchanges"];
    assert_eq!(x[0]["request"]["path"], "/api_keys");
    assert_eq!(x[0]["response"]["status"], 201);
    assert_eq!(x[0]["response"]["body"]["id"], "ak_2QJk4bT1oN0fQm5rUa8VcXe3ZhL");
    assert_eq!(x[0]["response"]["body"]["token"], "[redacted]");
    assert_eq!(x[2]["response"]["body"]["certificate_pem"], json!("-----BEGIN CERTIFICATE-----\nCERTBYTES\n-----END CERTIFICATE-----\n"));
    assert_eq!(x[4]["response"]["body"]["oauth"]["client_id"], "cid-1");
    assert_eq!(x[5]["request"]["body"]["target"]["datadog"]["ddsite"], "datadoghq.com");
}

/// Records a session against one emulator (the "live" side) through the
/// proxy; returns the recording's path.
async fn record_session(dir: &Path) -> PathBuf {
    let live = MockServer::builder().start().await.expect("the upstream emulator");
    let out = dir.join("session.json");
    let rec = Recorder::start(live.url(), &out, loopback()).await.expect("the proxy");
    let base = rec.url().to_string();
    let (_, policy) = call(&base, "POST", "/ip_policies", Some(json!({"description": "office"}))).await;
    let pid = policy["id"].as_str().expect("an id").to_string();
    let (s, _) = call(&base, "POST", "/ip_policy_rules", Some(json!({"ip_policy_id": pid, "cidr": "10.0.0.0/8", "action": "allow"}))).await;
    assert_eq!(s, 201);
    call(&base, "GET", &format!("/ip_policies/{pid}"), None).await;
    call(&base, "PATCH", &format!("/ip_policies/{pid}"), Some(json!({"metadata": "{\"env\":\"ci\"}"}))).await;
    call(&base, "GET", "/ip_policy_rules", None).await;
    call(&base, "GET", "/tunnel_sessions", None).await;
    call(&base, "GET", "/ip_policies/ipp_0000000000000000000000missing", None).await;
    call(&base, "DELETE", &format!("/ip_policies/{pid}"), None).await;
    assert_eq!(rec.exchanges(), 8);
    rec.finish().expect("written");
    out
}

fn verify_exit(file: &Path) -> (i32, String) {
    let out = Command::new(BIN).arg("verify").arg(file).output().expect("run verify");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_session_verifies_and_each_planted_difference_is_reported() {
    let dir = scratch("plant");
    let file = record_session(&dir).await;
    let report = verify(std::slice::from_ref(&file), None).await.expect("a report");
    assert!(!report.failed(), "a session recorded from an emulator replays clean on another:\n{report}");
    let (code, text) = verify_exit(&file);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("1 files, 0 differences"), "{text}");

    let recording: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("JSON");
    type Plant = fn(&mut Value);
    let plants: Vec<(&str, DiffClass, &str, Plant)> = vec![
        ("status", DiffClass::Status, "", |r| r["exchanges"][2]["response"]["status"] = json!(202)),
        ("missing key", DiffClass::MissingKey, "/colour", |r| r["exchanges"][0]["response"]["body"]["colour"] = json!("blue")),
        ("extra key", DiffClass::ExtraKey, "/created_at", |r| {
            r["exchanges"][0]["response"]["body"].as_object_mut().map(|o| o.remove("created_at"));
        }),
        ("null vs value", DiffClass::NullVsValue, "/description", |r| r["exchanges"][2]["response"]["body"]["description"] = Value::Null),
        // The create did not give `created_at`: the server works it out.
        ("computed value", DiffClass::ComputedValue, "/created_at", |r| r["exchanges"][0]["response"]["body"]["created_at"] = json!("yesterday")),
        ("value", DiffClass::Value, "/description", |r| r["exchanges"][0]["response"]["body"]["description"] = json!("home")),
        // The rule names the policy by a live ID: mapped, so a wrong one shows.
        ("a wrong reference", DiffClass::ComputedValue, "/ip_policy/id", |r| {
            r["exchanges"][1]["response"]["body"]["ip_policy"]["id"] = json!("ipp_2QJkG1cN5vBx8qWm3rLt6ZeYo4K")
        }),
    ];
    for (what, class, pointer, plant) in plants {
        let mut planted = recording.clone();
        plant(&mut planted);
        let path = dir.join(format!("{}.json", what.replace(' ', "-")));
        std::fs::write(&path, serde_json::to_vec_pretty(&planted).expect("JSON")).expect("write");
        let report = verify(std::slice::from_ref(&path), None).await.expect("a report");
        let diffs = &report.files[0].differences;
        assert!(report.failed(), "{what}: not reported");
        assert!(
            diffs.iter().any(|d| d.class == class && d.pointer == pointer),
            "{what}: expected [{}] at `{pointer}`, got:\n{report}",
            class.name()
        );
        assert_eq!(diffs.len(), 1, "{what}: exactly the planted difference:\n{report}");
        let (code, text) = verify_exit(&path);
        assert_eq!(code, 1, "{what}: exit status 1:\n{text}");
        assert!(text.contains(&format!("[{}]", class.name())), "{what}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_differences_are_accepted_and_stale_ones_are_not() {
    let dir = scratch("known");
    let file = record_session(&dir).await;
    let mut r: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("JSON");
    r["exchanges"][0]["response"]["body"]["description"] = json!("home");
    std::fs::write(&file, serde_json::to_vec(&r).expect("JSON")).expect("write");
    let known = dir.join("known.json");
    std::fs::write(&known, json!([{"file": "known/session.json", "pointer": "/description", "why": "planted"}]).to_string()).expect("write");
    let report = verify(std::slice::from_ref(&file), Some(&known)).await.expect("a report");
    assert!(!report.failed(), "{report}");
    let stale = dir.join("stale.json");
    std::fs::write(&stale, json!([{"file": "known/session.json", "pointer": "/nope", "why": "gone"}]).to_string()).expect("write");
    let report = verify(std::slice::from_ref(&file), Some(&stale)).await.expect("a report");
    assert!(report.failed());
    assert_eq!(report.unused_known.len(), 1, "{report}");
}
