//! State that moves with the emulator's clock: a reserved domain with a
//! certificate management policy shows a provisioning job, and once the
//! clock (moved through `/__mock/clock`) passes the provisioning delay,
//! the certificate the emulator issued.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ngrok_api_mock::MockServer;
use serde_json::{Value, json};

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    fn new(mock: &MockServer) -> Api {
        Api { http: reqwest::Client::new(), base: mock.url().to_string() }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut rb = self.http.request(method, format!("{}{path}", self.base)).bearer_auth("k").header("Ngrok-Version", "2");
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.expect("request reaches the emulator");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect("JSON") })
    }

    async fn get(&self, path: &str) -> Value {
        let (status, v) = self.send(reqwest::Method::GET, path, None).await;
        assert_eq!(status, 200, "{path}: {v}");
        v
    }

    async fn advance(&self, secs: u64) -> Value {
        let (status, v) = self.send(reqwest::Method::POST, "/__mock/clock", Some(json!({ "advance_seconds": secs }))).await;
        assert_eq!(status, 200, "{v}");
        v
    }
}

async fn emulator(delay: Duration) -> (MockServer, Api) {
    let mock = MockServer::builder().no_default_seed().cert_provisioning_delay(delay).start().await.expect("emulator");
    let api = Api::new(&mock);
    (mock, api)
}

/// Seconds since the epoch of an RFC 3339 time the emulator wrote.
fn secs(v: &Value) -> i64 {
    let text = v.as_str().unwrap_or_else(|| panic!("a timestamp, not {v}"));
    chrono::DateTime::parse_from_rfc3339(text).expect("RFC 3339").timestamp()
}

const MANAGED: &str = r#"{"domain": "app.example.com", "certificate_management_policy": {"authority": "letsencrypt"}}"#;

#[tokio::test]
async fn a_managed_certificate_is_provisioned_then_issued_when_the_clock_moves() {
    let (_mock, api) = emulator(Duration::from_secs(3_600)).await;
    let (status, made) = api.send(reqwest::Method::POST, "/reserved_domains", Some(serde_json::from_str(MANAGED).expect("json"))).await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_str().expect("an id").to_string();
    let job = &made["certificate_management_status"]["provisioning_job"];
    assert_eq!(made["certificate"], Value::Null);
    assert_eq!(job["error_code"], Value::Null);
    assert!(job["msg"].as_str().is_some_and(|m| m.contains("app.example.com")), "{job}");
    assert_eq!(secs(&job["started_at"]), secs(&made["created_at"]));
    assert_eq!(secs(&job["retries_at"]) - secs(&job["started_at"]), 3_600, "due when the delay has passed");

    // Reads before the delay see the job still running.
    assert_eq!(api.get("/__mock/clock").await["offset_seconds"], json!(0));
    api.advance(3_000).await;
    let pending = api.get(&format!("/reserved_domains/{id}")).await;
    assert_eq!(pending["certificate"], Value::Null);
    assert_eq!(pending["certificate_management_status"], made["certificate_management_status"]);

    let clock = api.advance(600).await;
    assert_eq!(clock["offset_seconds"], json!(3_600));
    assert_eq!(clock["cert_provisioning_delay_seconds"], json!(3_600));
    let issued = api.get(&format!("/reserved_domains/{id}")).await;
    let status = &issued["certificate_management_status"];
    assert_eq!(status["provisioning_job"], Value::Null, "{issued}");
    let now = secs(&clock["now"]);
    assert!((secs(&status["renews_at"]) - now - 60 * 86_400).abs() <= 2, "renewed 60 days on: {status}");
    let cert_id = issued["certificate"]["id"].as_str().expect("a certificate").to_string();
    assert!(cert_id.starts_with("cert_"), "{cert_id}");
    assert!(issued["certificate"]["uri"].as_str().is_some_and(|u| u.ends_with(&format!("/tls_certificates/{cert_id}"))));

    // The certificate is an object of its own, for the domain, valid from
    // the emulator's time for 90 days, and lists show the same state.
    let cert = api.get(&format!("/tls_certificates/{cert_id}")).await;
    assert_eq!(cert["subject_common_name"], json!("app.example.com"));
    assert_eq!(cert["subject_alternative_names"]["dns_names"], json!(["app.example.com"]));
    assert_eq!(cert["private_key_type"], json!("ecdsa"));
    assert!((secs(&cert["not_before"]) - now).abs() <= 2, "{cert}");
    assert_eq!(secs(&cert["not_after"]) - secs(&cert["not_before"]), 90 * 86_400);
    assert!(cert["certificate_pem"].as_str().is_some_and(|p| p.starts_with("-----BEGIN CERTIFICATE-----")));
    let listed = api.get("/reserved_domains").await;
    assert_eq!(listed["reserved_domains"][0]["certificate"]["id"], json!(cert_id));

    // Timestamps come from the same clock.
    let (_, later) = api.send(reqwest::Method::POST, "/ip_policies", Some(json!({}))).await;
    let real = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    assert!(secs(&later["created_at"]) >= real + 3_600, "{later}");
}

#[tokio::test]
async fn no_delay_issues_at_once_and_the_policy_starts_and_ends_the_job() {
    let (_mock, api) = emulator(Duration::ZERO).await;
    let body = json!({"domain": "rsa.example.com", "certificate_management_policy": {"authority": "letsencrypt", "private_key_type": "rsa"}});
    let (_, made) = api.send(reqwest::Method::POST, "/reserved_domains", Some(body)).await;
    let first = made["certificate"]["id"].as_str().expect("issued in the answer").to_string();
    assert_eq!(made["certificate_management_status"]["provisioning_job"], Value::Null);
    assert_eq!(api.get(&format!("/tls_certificates/{first}")).await["private_key_type"], json!("rsa"));

    let id = made["id"].as_str().expect("an id");
    let (status, _) = api.send(reqwest::Method::DELETE, &format!("/reserved_domains/{id}/certificate_management_policy"), None).await;
    assert_eq!(status, 204);
    let off = api.get(&format!("/reserved_domains/{id}")).await;
    assert_eq!((off["certificate_management_policy"].clone(), off["certificate_management_status"].clone()), (Value::Null, Value::Null));

    // Setting a policy again issues a new certificate.
    let (status, again) = api
        .send(reqwest::Method::PATCH, &format!("/reserved_domains/{id}"), Some(json!({"certificate_management_policy": {"authority": "letsencrypt"}})))
        .await;
    assert_eq!(status, 200, "{again}");
    let second = again["certificate"]["id"].as_str().expect("issued again");
    assert_ne!(second, first);
    assert_eq!(api.get(&format!("/tls_certificates/{second}")).await["private_key_type"], json!("ecdsa"));
}

#[tokio::test]
async fn a_policy_set_by_update_starts_a_job() {
    let (mock, api) = emulator(Duration::from_secs(30)).await;
    let (_, plain) = api.send(reqwest::Method::POST, "/reserved_domains", Some(json!({"domain": "later.example.com"}))).await;
    assert_eq!(plain["certificate_management_status"], Value::Null);
    let path = format!("/reserved_domains/{}", plain["id"].as_str().expect("an id"));
    let (_, changed) = api.send(reqwest::Method::PATCH, &path, Some(json!({"certificate_management_policy": {"authority": "letsencrypt"}}))).await;
    assert!(changed["certificate_management_status"]["provisioning_job"].is_object(), "{changed}");
    assert_eq!(changed["certificate"], Value::Null);
    let before = mock.now();
    let after = mock.advance_clock(Duration::from_secs(30)).expect("moved");
    assert!(after.duration_since(before).expect("forward") >= Duration::from_secs(30));
    assert!(api.get(&path).await["certificate"]["id"].is_string());
}

#[tokio::test]
async fn the_clock_refuses_what_it_cannot_do() {
    let (mock, api) = emulator(Duration::from_secs(5)).await;
    for body in [json!({"advance_seconds": -5}), json!({"advance": "90s"}), json!({"advance_seconds": 1.5}), json!(null)] {
        let (status, v) = api.send(reqwest::Method::POST, "/__mock/clock", Some(body.clone())).await;
        assert_eq!(status, 400, "{body}: {v}");
        assert_eq!(v["error_code"], json!("ERR_MOCK_ADMIN"));
        assert!(v["msg"].as_str().is_some_and(|m| m.contains("advance_seconds")), "{v}");
    }
    let (status, v) = api.send(reqwest::Method::POST, "/__mock/clock", Some(json!({"advance_seconds": u64::MAX}))).await;
    assert_eq!(status, 400);
    assert!(v["msg"].as_str().is_some_and(|m| m.contains("100 years")), "{v}");
    assert!(mock.advance_clock(Duration::from_secs(200 * 365 * 86_400)).is_err());
    assert_eq!(api.get("/__mock/clock").await["offset_seconds"], json!(0), "refused moves change nothing");
}

#[tokio::test]
async fn a_restart_from_the_state_file_keeps_the_clock_and_the_job() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("clock-state");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let file = dir.join("state.json");
    let start = || MockServer::builder().no_default_seed().cert_provisioning_delay(Duration::from_secs(3_600)).state_file(&file).start();
    let mock = start().await.expect("first run");
    let (_, made) = Api::new(&mock).send(reqwest::Method::POST, "/reserved_domains", Some(serde_json::from_str(MANAGED).expect("json"))).await;
    let path = format!("/reserved_domains/{}", made["id"].as_str().expect("an id"));
    mock.advance_clock(Duration::from_secs(1_800)).expect("moved");
    mock.save_state().expect("saved");
    mock.shutdown();

    let mock = start().await.expect("second run");
    let api = Api::new(&mock);
    assert!(api.get("/__mock/clock").await["offset_seconds"].as_u64().is_some_and(|o| o >= 1_800));
    assert_eq!(api.get(&path).await["certificate"], Value::Null, "half the delay has passed");
    mock.advance_clock(Duration::from_secs(1_800)).expect("moved");
    assert!(api.get(&path).await["certificate"]["id"].is_string());
}

#[tokio::test]
async fn a_create_stamps_both_moments_and_an_update_moves_only_the_last_write() {
    let (_mock, api) = emulator(Duration::ZERO).await;
    let (status, made) = api.send(reqwest::Method::POST, "/vaults", Some(json!({"name": "v1"}))).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["created_at"], made["updated_at"], "{made}");
    let id = made["id"].as_str().expect("an ID").to_string();
    api.advance(600).await;
    let (status, changed) =
        api.send(reqwest::Method::PATCH, &format!("/vaults/{id}"), Some(json!({"description": "moved"}))).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["created_at"], made["created_at"], "made once: {changed}");
    assert_eq!(secs(&changed["updated_at"]) - secs(&made["updated_at"]), 600, "stamped by the update: {changed}");
    // A stamp on create only: a policy's own moment does not move either.
    let (_, policy) = api.send(reqwest::Method::POST, "/ip_policies", Some(json!({}))).await;
    api.advance(60).await;
    let pid = policy["id"].as_str().expect("an ID");
    let (_, after) = api.send(reqwest::Method::PATCH, &format!("/ip_policies/{pid}"), Some(json!({"description": "x"}))).await;
    assert_eq!(after["created_at"], policy["created_at"], "{after}");
}
