//! A list of the objects that refer to one object (a vault's secrets)
//! picks them by the fields the spec says name that object (`vault_id`,
//! shown as `vault`), not by any ID found anywhere in them.

use ngrok_api_mock::MockServer;
use serde_json::{Value, json};

async fn send(http: &reqwest::Client, base: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut rb = http.request(method, format!("{base}{path}")).bearer_auth("k").header("Ngrok-Version", "2");
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let resp = rb.send().await.expect("request reaches the emulator");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn ids(page: &Value) -> Vec<&str> {
    page["secrets"].as_array().into_iter().flatten().filter_map(|s| s["id"].as_str()).collect()
}

#[tokio::test]
async fn a_vaults_secrets_are_those_whose_vault_is_it() {
    let mock = MockServer::builder().no_default_seed().start().await.expect("emulator");
    let (http, base) = (reqwest::Client::new(), mock.url().to_string());
    let post = |path: &'static str, body: Value| send(&http, &base, reqwest::Method::POST, path, Some(body));
    let (_, v1) = post("/vaults", json!({"name": "one"})).await;
    let (_, v2) = post("/vaults", json!({"name": "two"})).await;
    let (v1, v2) = (v1["id"].as_str().expect("a vault").to_string(), v2["id"].as_str().expect("a vault").to_string());
    let (status, secret) = post("/vault_secrets", json!({"name": "s", "value": "x", "vault_id": v1})).await;
    assert_eq!(status, 201, "{secret}");
    // Another secret names the first vault only in its description: not a
    // field that refers to vaults.
    let (status, other) = post("/vault_secrets", json!({"name": "t", "value": "y", "vault_id": v2, "description": v1})).await;
    assert_eq!(status, 201, "{other}");
    let (status, page) = send(&http, &base, reqwest::Method::GET, &format!("/vaults/{v1}/secrets"), None).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(ids(&page), vec![secret["id"].as_str().expect("an ID")], "{page}");
    let (_, page) = send(&http, &base, reqwest::Method::GET, &format!("/vaults/{v2}/secrets"), None).await;
    assert_eq!(ids(&page), vec![other["id"].as_str().expect("an ID")], "{page}");
}
