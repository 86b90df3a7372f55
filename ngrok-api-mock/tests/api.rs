//! The emulator over real HTTP: paging, filters, validation, error shapes,
//! faults, rate limits, the journal and seeding.

use std::time::{Duration, Instant};

use ngrok_api_mock::{Fault, MockServer, RateLimit};
use serde_json::{Value, json};

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    fn new(mock: &MockServer) -> Api {
        Api { http: reqwest::Client::new(), base: mock.url().to_string() }
    }

    fn req(&self, method: reqwest::Method, path_or_url: &str) -> reqwest::RequestBuilder {
        let url = if path_or_url.starts_with("http") { path_or_url.to_string() } else { format!("{}{path_or_url}", self.base) };
        self.http.request(method, url).bearer_auth("test-key").header("Ngrok-Version", "2")
    }

    async fn send(&self, rb: reqwest::RequestBuilder) -> (u16, Value) {
        let resp = rb.send().await.expect("request reaches the mock");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        let v = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        (status, v)
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.req(reqwest::Method::GET, path)).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.req(reqwest::Method::POST, path).json(&body)).await
    }

    async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.req(reqwest::Method::PATCH, path).json(&body)).await
    }

    async fn delete(&self, path: &str) -> (u16, Value) {
        self.send(self.req(reqwest::Method::DELETE, path)).await
    }
}

fn assert_error_shape(v: &Value, status: u16) {
    assert_eq!(v["status_code"], json!(status), "{v}");
    // ngrok sends no code where it documents none (a missing object).
    assert!(v.get("error_code").is_none() || v["error_code"].as_str().is_some_and(|c| c.starts_with("ERR_NGROK_")), "{v}");
    assert!(v["msg"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    assert!(v["details"]["operation_id"].as_str().is_some_and(|o| o.starts_with("op_")), "{v}");
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or_default()
}

#[tokio::test]
async fn crud_round_trip() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    let (s, p) = api.post("/ip_policies", json!({"description": "office", "metadata": "{\"env\":\"prod\"}"})).await;
    assert_eq!(s, 201);
    let id = str_of(&p, "id").to_string();
    assert!(id.starts_with("ipp_") && id.len() == 4 + 27, "{id}");
    assert_eq!(p["uri"], json!(format!("{}/ip_policies/{id}", mock.url())));
    let created = str_of(&p, "created_at");
    assert!(created.ends_with('Z') && created.len() == 20, "{created}");

    let (s, got) = api.get(&format!("/ip_policies/{id}")).await;
    assert_eq!((s, &got), (200, &p));

    let (s, up) = api.patch(&format!("/ip_policies/{id}"), json!({"description": "home"})).await;
    assert_eq!(s, 200);
    assert_eq!(up["description"], "home");
    assert_eq!(up["metadata"], p["metadata"], "update merges");

    let (s, rule) = api
        .post("/ip_policy_rules", json!({"ip_policy_id": id, "cidr": "10.0.0.0/8", "action": "allow"}))
        .await;
    assert_eq!(s, 201, "{rule}");
    assert_eq!(rule["ip_policy"], json!({"id": id, "uri": p["uri"]}));
    assert!(rule.get("ip_policy_id").is_none(), "responses only carry the response type's fields");

    let (s, body) = api.delete(&format!("/ip_policies/{id}")).await;
    assert_eq!((s, body), (204, Value::Null));
    let (s, e) = api.get(&format!("/ip_policies/{id}")).await;
    assert_eq!(s, 404);
    assert_error_shape(&e, 404);
}

#[tokio::test]
async fn paging_follows_next_page_uri_and_keeps_the_query() {
    let mock = MockServer::builder().no_default_seed().start().await.expect("starts");
    let api = Api::new(&mock);
    let mut made = Vec::new();
    for i in 0..230 {
        let meta = if i % 2 == 0 { "prod" } else { "dev" };
        let (s, p) = api.post("/ip_policies", json!({"description": format!("p{i}"), "metadata": meta})).await;
        assert_eq!(s, 201);
        made.push(str_of(&p, "id").to_string());
    }
    // Plain paging: 100 + 100 + 30, newest first, no repeats.
    let mut seen = Vec::new();
    let mut next = Some(format!("{}/ip_policies", mock.url()));
    let mut pages = 0;
    while let Some(url) = next {
        let (s, page) = api.get(&url).await;
        assert_eq!(s, 200, "{page}");
        pages += 1;
        for item in page["ip_policies"].as_array().expect("items") {
            seen.push(str_of(item, "id").to_string());
        }
        next = page["next_page_uri"].as_str().map(str::to_string);
        if let Some(n) = &next {
            assert!(n.starts_with(mock.url()), "next_page_uri is a full URL: {n}");
        }
    }
    assert_eq!(pages, 3);
    let mut expected = made.clone();
    expected.reverse();
    assert_eq!(seen, expected);

    // Filtered paging with a small limit keeps the filter on every page.
    let filter = r#"obj.metadata.contains("prod")"#;
    let mut url = format!("{}/ip_policies?limit=40&filter={}", mock.url(), urlencode(filter));
    let mut count = 0;
    loop {
        let (s, page) = api.get(&url).await;
        assert_eq!(s, 200, "{page}");
        let items = page["ip_policies"].as_array().expect("items");
        assert!(items.len() <= 40);
        assert!(items.iter().all(|i| i["metadata"] == "prod"));
        count += items.len();
        match page["next_page_uri"].as_str() {
            Some(n) => {
                assert!(n.contains("filter="), "{n}");
                assert!(n.contains("limit=40"), "{n}");
                url = n.to_string();
            }
            None => break,
        }
    }
    assert_eq!(count, 115);

    for bad in ["0", "101", "ten", "-1"] {
        let (s, e) = api.get(&format!("/ip_policies?limit={bad}")).await;
        assert_eq!(s, 400, "limit={bad}");
        assert_error_shape(&e, 400);
    }
    let (s, page) = api.get(&format!("/ip_policies?limit=1&before_id={}", made[1])).await;
    assert_eq!(s, 200);
    assert_eq!(page["ip_policies"][0]["id"], json!(made[0]));
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn filters_are_cel_and_bad_ones_are_400() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    let (_, a) = api.post("/ip_policies", json!({"metadata": "team=red"})).await;
    api.post("/ip_policies", json!({"metadata": "team=blue"})).await;
    let id = str_of(&a, "id");
    let (s, page) = api.get(&format!("/ip_policies?filter={}", urlencode(&format!("obj.id == \"{id}\"")))).await;
    assert_eq!(s, 200);
    assert_eq!(page["ip_policies"].as_array().map(Vec::len), Some(1));
    let (s, e) = api.get(&format!("/ip_policies?filter={}", urlencode("obj.metadata.contains("))).await;
    assert_eq!(s, 400);
    assert_error_shape(&e, 400);
    let (s, e) = api.get(&format!("/ip_policies?filter={}", urlencode("obj.metadata"))).await;
    assert_eq!(s, 400, "a non-bool filter is rejected: {e}");
    // Tunnels do not take a filter.
    let (s, e) = api.get(&format!("/tunnels?filter={}", urlencode("true"))).await;
    assert_eq!(s, 400);
    assert_error_shape(&e, 400);
}

#[tokio::test]
async fn validation_errors() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    let cases = [
        ("/ip_policies", json!({"description": "x".repeat(256)})),
        ("/ip_policies", json!({"metadata": "x".repeat(4097)})),
        ("/ip_policies", json!({"description": 5})),
        ("/ip_policies", json!({"colour": "red"})),
        ("/ip_policy_rules", json!({"cidr": "1.2.3.4/32", "action": "allow"})),
        ("/ip_policy_rules", json!({"cidr": "1.2.3.4/32", "action": "maybe", "ip_policy_id": "ipp_x"})),
        ("/ssh_certificate_authorities", json!({"key_size": 1024})),
        ("/ip_restrictions", json!({"type": "dashboard"})),
    ];
    for (path, body) in cases {
        let (s, e) = api.post(path, body.clone()).await;
        assert_eq!(s, 400, "{path} {body} -> {e}");
        assert_error_shape(&e, 400);
    }
    let (s, e) = api.send(api.req(reqwest::Method::POST, "/ip_policies").body("{not json")).await;
    assert_eq!(s, 400);
    assert_error_shape(&e, 400);
    // A reference to a missing object: ngrok's code for the field.
    let (s, e) = api
        .post("/ip_policy_rules", json!({"cidr": "1.2.3.4/32", "action": "deny", "ip_policy_id": "ipp_missing"}))
        .await;
    assert_eq!((s, e["error_code"].as_str()), (400, Some("ERR_NGROK_1402")), "{e}");
    assert_error_shape(&e, 400);
    // The limits are inclusive.
    let (s, _) = api.post("/ip_policies", json!({"description": "x".repeat(255), "metadata": "y".repeat(4096)})).await;
    assert_eq!(s, 201);
}

#[tokio::test]
async fn auth_version_and_route_errors() {
    let mock = MockServer::builder().api_key("right").start().await.expect("starts");
    let http = reqwest::Client::new();
    let url = format!("{}/tunnels", mock.url());

    let resp = http.get(&url).header("Ngrok-Version", "2").send().await.expect("sent");
    assert_eq!(resp.status().as_u16(), 401);
    assert!(resp.headers().get("ngrok-operation-id").is_some());
    assert_error_shape(&resp.json().await.expect("json"), 401);

    let resp = http.get(&url).bearer_auth("wrong").header("Ngrok-Version", "2").send().await.expect("sent");
    assert_eq!(resp.status().as_u16(), 401);

    let resp = http.get(&url).bearer_auth("right").send().await.expect("sent");
    assert_eq!(resp.status().as_u16(), 400);
    let e: Value = resp.json().await.expect("json");
    assert_error_shape(&e, 400);
    assert_eq!(e["error_code"], "ERR_NGROK_218");

    let resp = http.get(&url).bearer_auth("right").header("Ngrok-Version", "2").send().await.expect("sent");
    assert_eq!(resp.status().as_u16(), 200);

    let resp = http
        .get(format!("{}/no/such/thing", mock.url()))
        .bearer_auth("right")
        .header("Ngrok-Version", "2")
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status().as_u16(), 404);
    let op = resp.headers().get("ngrok-operation-id").and_then(|v| v.to_str().ok()).map(str::to_string);
    let e: Value = resp.json().await.expect("json");
    assert_error_shape(&e, 404);
    assert_eq!(op.as_deref(), e["details"]["operation_id"].as_str());
}

#[tokio::test]
async fn every_operation_is_routed() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    let table: Value = serde_json::from_str(include_str!("../src/generated/api.json")).expect("table");
    let mut routes = std::collections::BTreeSet::new();
    for s in table["services"].as_array().expect("services") {
        for op in s["operations"].as_array().expect("ops") {
            let mut path = op["path"].as_str().expect("path").to_string();
            for p in op["path_params"].as_array().expect("params") {
                path = path.replace(&format!("{{{}}}", p.as_str().expect("name")), "missing_1");
            }
            let method = reqwest::Method::from_bytes(op["method"].as_str().expect("m").as_bytes()).expect("method");
            let mut rb = api.req(method, &path);
            if op["body"].is_string() {
                rb = rb.json(&json!({}));
            }
            let (status, body) = api.send(rb).await;
            assert!(status < 500, "{path}: {status} {body}");
            if status >= 400 {
                assert_error_shape(&body, status);
                // An operation the emulator does not serve answers 404 or
                // 405 saying so; a routed one names what is missing.
                let msg = body["msg"].as_str().unwrap_or_default();
                assert!(
                    !msg.starts_with("no API operation is at") && !msg.contains("is not allowed on"),
                    "{} {path} is not routed: {msg}",
                    op["method"]
                );
            }
            assert!(routes.insert((op["method"].to_string(), op["path"].to_string())), "{} {path} twice", op["method"]);
        }
    }
    assert!(routes.len() >= 250, "every operation of the spec, {} found", routes.len());
    // And the check tells: a path no operation has is refused as such.
    let (status, body) = api.get("/no_such_service/missing_1").await;
    assert_eq!(status, 404);
    assert!(body["msg"].as_str().is_some_and(|m| m.starts_with("no API operation is at")), "{body}");
}

#[tokio::test]
async fn faults_on_demand() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    mock.fault(Fault::on("GET", "/tunnels").status(503).times(2));
    for _ in 0..2 {
        let (s, e) = api.get("/tunnels").await;
        assert_eq!(s, 503);
        assert_error_shape(&e, 503);
    }
    assert_eq!(api.get("/tunnels").await.0, 200);

    mock.fault(Fault::on("*", "/tunnels/*").status(502).html("<html><body>Bad Gateway</body></html>"));
    let resp = api.req(reqwest::Method::GET, "/tunnels/tn_x").send().await.expect("sent");
    assert_eq!(resp.status().as_u16(), 502);
    assert!(resp.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/html"));
    assert!(resp.text().await.unwrap_or_default().contains("Bad Gateway"));

    mock.fault(Fault::on("GET", "/endpoints").status(429).header("Retry-After", "7").body(json!({"custom": true})));
    let resp = api.req(reqwest::Method::GET, "/endpoints").send().await.expect("sent");
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["retry-after"], "7");
    assert_eq!(resp.json::<Value>().await.ok(), Some(json!({"custom": true})));

    mock.fault(Fault::on("GET", "/tunnel_sessions").drop_connection());
    let dropped = api.req(reqwest::Method::GET, "/tunnel_sessions").send().await;
    assert!(dropped.is_err(), "the connection is dropped: {dropped:?}");
    assert_eq!(api.get("/tunnel_sessions").await.0, 200);

    mock.fault(Fault::on("GET", "/tunnels").delay(Duration::from_millis(300)));
    let t = Instant::now();
    assert_eq!(api.get("/tunnels").await.0, 200, "a delay alone answers normally");
    assert!(t.elapsed() >= Duration::from_millis(300));

    // The same over the admin endpoint.
    let admin = format!("{}/__mock/faults", mock.url());
    let resp = reqwest::Client::new()
        .post(&admin)
        .json(&json!({"method": "GET", "path": "/ip_policies/*", "status": 500, "times": 1}))
        .send()
        .await
        .expect("admin");
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(api.get("/ip_policies/ipp_x").await.0, 500);
    assert_eq!(api.get("/ip_policies/ipp_x").await.0, 404);
    mock.fault(Fault::on("GET", "/**").status(500).always());
    let resp = reqwest::Client::new().delete(&admin).send().await.expect("admin");
    assert_eq!(resp.status().as_u16(), 204);
    assert_eq!(api.get("/tunnels").await.0, 200);
}

#[tokio::test]
async fn rate_limit_answers_429() {
    let mock = MockServer::builder()
        .rate_limit(3, Duration::from_secs(60))
        .retry_after(Duration::from_secs(5))
        .start()
        .await
        .expect("starts");
    let api = Api::new(&mock);
    for _ in 0..3 {
        assert_eq!(api.get("/tunnels").await.0, 200);
    }
    let resp = api.req(reqwest::Method::GET, "/tunnels").send().await.expect("sent");
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["retry-after"], "5");
    let e: Value = resp.json().await.expect("json");
    assert_error_shape(&e, 429);
    assert_eq!(e["error_code"], "ERR_NGROK_226");

    mock.set_rate_limit(Some(RateLimit::new(1, Duration::from_millis(200))));
    assert_eq!(api.get("/tunnels").await.0, 200);
    assert_eq!(api.get("/tunnels").await.0, 429);
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(api.get("/tunnels").await.0, 200);
    mock.set_rate_limit(None);
    assert_eq!(api.get("/tunnels").await.0, 200);
}

#[tokio::test]
async fn journal_redacts_the_key() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    api.post("/ip_policies", json!({"description": "j"})).await;
    api.get("/tunnels?limit=2").await;
    let j = mock.journal();
    assert_eq!(j.len(), 2);
    assert_eq!(j[0].method, "POST");
    assert_eq!(j[0].path, "/ip_policies");
    assert_eq!(j[0].status, Some(201));
    assert_eq!(j[0].json(), Some(json!({"description": "j"})));
    assert_eq!(j[0].header("authorization"), Some("[redacted]"));
    assert_eq!(j[0].header("ngrok-version"), Some("2"));
    assert!(!format!("{j:?}").contains("test-key"));
    assert_eq!(j[1].query.as_deref(), Some("limit=2"));
    assert_eq!(j[1].query_param("limit").as_deref(), Some("2"));

    let over_http: Value = reqwest::get(format!("{}/__mock/journal", mock.url()))
        .await
        .expect("admin")
        .json()
        .await
        .expect("json");
    assert_eq!(over_http["entries"].as_array().map(Vec::len), Some(2));
    assert!(!over_http.to_string().contains("test-key"));
    mock.clear_journal();
    assert!(mock.journal().is_empty());
}

#[tokio::test]
async fn seeding() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    let (_, page) = api.get("/tunnels").await;
    assert!(page["tunnels"].as_array().is_some_and(|t| t.len() >= 2), "default seed: {page}");
    let (_, page) = api.get("/tunnel_sessions").await;
    assert!(page["tunnel_sessions"].as_array().is_some_and(|t| !t.is_empty()));

    let ts = mock
        .seed("tunnel_sessions", json!({"region": "eu", "agent_version": "3.0.0", "transport": "ngrok/v2"}))
        .expect("seeded");
    let ts_id = str_of(&ts, "id").to_string();
    assert!(ts_id.starts_with("ts_"));
    let tn = mock
        .seed("tunnels", json!({"public_url": "https://x.ngrok.app", "proto": "https", "tunnel_session": {"id": ts_id}}))
        .expect("seeded");
    assert_eq!(tn["tunnel_session"]["uri"], json!(format!("{}/tunnel_sessions/{ts_id}", mock.url())));
    let (s, got) = api.get(&format!("/tunnels/{}", str_of(&tn, "id"))).await;
    assert_eq!((s, &got), (200, &tn));
    assert!(mock.seed("no_such_service", json!({})).is_err());
    assert!(mock.seed("tunnels", json!([1, 2])).is_err());

    // The session actions answer 204 for seeded sessions.
    let (s, _) = api.post(&format!("/tunnel_sessions/{ts_id}/restart"), json!({})).await;
    assert_eq!(s, 204);

    // Over HTTP, then a reset back to the default seed.
    let resp = reqwest::Client::new()
        .post(format!("{}/__mock/seed", mock.url()))
        .json(&json!({"endpoints": [{"url": "https://y.ngrok.app", "type": "ephemeral"}]}))
        .send()
        .await
        .expect("admin");
    assert_eq!(resp.status().as_u16(), 200);
    mock.reset().expect("reset");
    assert_eq!(api.get(&format!("/tunnels/{}", str_of(&tn, "id"))).await.0, 404);

    let empty = MockServer::builder().no_default_seed().start().await.expect("starts");
    let (_, page) = Api::new(&empty).get("/tunnels").await;
    assert_eq!(page["tunnels"], json!([]));
    assert_eq!(page["next_page_uri"], Value::Null);

    let dir = std::env::temp_dir().join(format!("ngrok-api-mock-seed-{}.json", std::process::id()));
    std::fs::write(&dir, r#"{"tunnels": [{"id": "tn_aaaaaaaaaaaaaaaaaaaaaaaaaaa", "proto": "tcp"}]}"#).expect("write");
    let from_file = MockServer::builder().seed_file(&dir).start().await.expect("starts");
    let (s, t) = Api::new(&from_file).get("/tunnels/tn_aaaaaaaaaaaaaaaaaaaaaaaaaaa").await;
    assert_eq!((s, t["proto"].as_str()), (200, Some("tcp")));
    let _ = std::fs::remove_file(&dir);
    assert!(MockServer::builder().seed_file("/nonexistent/seed.json").start().await.is_err());
}

#[tokio::test]
async fn nested_resources_and_modules() {
    let mock = MockServer::builder().legacy_writes(true).start().await.expect("starts");
    let api = Api::new(&mock);
    let (_, edge) = api.post("/edges/https", json!({"hostports": ["a.ngrok.app:443"]})).await;
    let edge_id = str_of(&edge, "id").to_string();
    let (s, route) = api
        .post(&format!("/edges/https/{edge_id}/routes"), json!({"match_type": "path_prefix", "match": "/"}))
        .await;
    assert_eq!(s, 201, "{route}");
    let route_id = str_of(&route, "id").to_string();
    assert_eq!(route["edge_id"], json!(edge_id));
    let (_, policy) = api.post("/ip_policies", json!({})).await;
    // The body of a module PUT is the module itself.
    let module = json!({"enabled": true, "ip_policy_ids": [policy["id"]]});
    let path = format!("/edges/https/{edge_id}/routes/{route_id}/ip_restriction");
    let (s, m) = api.send(api.req(reqwest::Method::PUT, &path).json(&module)).await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(m["ip_policies"][0]["id"], policy["id"]);
    let (s, again) = api.get(&path).await;
    assert_eq!((s, &again), (200, &m));
    let (_, e) = api.get(&format!("/edges/https/{edge_id}")).await;
    assert_eq!(e["routes"][0]["ip_restriction"], m);
    assert_eq!(api.delete(&path).await.0, 204);
    assert_eq!(api.get(&path).await.0, 404);
    // Deleting the edge removes its routes.
    assert_eq!(api.delete(&format!("/edges/https/{edge_id}")).await.0, 204);
    assert_eq!(api.get(&format!("/edges/https/{edge_id}/routes/{route_id}")).await.0, 404);
}

impl Api {
    async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(self.req(reqwest::Method::PUT, path).json(&body)).await
    }
}

#[tokio::test]
async fn empty_enum_strings_and_zero_restricted_integers_mean_not_given() {
    let mock = MockServer::builder().legacy_writes(true).start().await.expect("starts");
    let api = Api::new(&mock);
    // ngrok's Python client sends `region: ""` on these creates.
    let (s, addr) = api.post("/reserved_addrs", json!({"description": "a", "region": ""})).await;
    assert_eq!(s, 201, "{addr}");
    assert_eq!(addr["description"], "a");
    let (s, domain) = api.post("/reserved_domains", json!({"domain": "x.example.com", "region": ""})).await;
    assert_eq!(s, 201, "{domain}");
    // ... and `key_size: 0`, outside the allowed 2048/4096, on this one.
    let (s, ca) = api.post("/ssh_certificate_authorities", json!({"private_key_type": "", "key_size": 0})).await;
    assert_eq!(s, 201, "{ca}");
    // Real values are still checked.
    let (s, e) = api.post("/reserved_addrs", json!({"region": "mars"})).await;
    assert_eq!(s, 400, "{e}");
    let (s, e) = api.post("/ssh_certificate_authorities", json!({"key_size": 1024})).await;
    assert_eq!(s, 400, "{e}");
    // On update an empty enum keeps the stored value.
    let (_, edge) = api.post("/edges/https", json!({})).await;
    let edge_id = str_of(&edge, "id").to_string();
    let (_, route) = api
        .post(&format!("/edges/https/{edge_id}/routes"), json!({"match_type": "exact_path", "match": "/a"}))
        .await;
    let route_path = format!("/edges/https/{edge_id}/routes/{}", str_of(&route, "id"));
    let (s, up) = api.patch(&route_path, json!({"match_type": "", "match": "/b", "description": "d"})).await;
    assert_eq!(s, 200, "{up}");
    assert_eq!((up["match_type"].as_str(), up["match"].as_str()), (Some("exact_path"), Some("/b")));
    // A required enum given as "" is missing, not invalid.
    let (s, e) = api.post(&format!("/edges/https/{edge_id}/routes"), json!({"match_type": "", "match": "/"})).await;
    // ngrok documents no code common to every missing field: none is sent.
    assert_eq!((s, e["error_code"].as_str()), (400, None), "{e}");
    assert!(e["msg"].as_str().is_some_and(|m| m.contains("match_type")), "{e}");
}

#[tokio::test]
async fn module_put_takes_the_module_itself_as_the_body() {
    let mock = MockServer::builder().legacy_writes(true).start().await.expect("starts");
    let api = Api::new(&mock);
    let (_, edge) = api.post("/edges/tls", json!({})).await;
    let path = format!("/edges/tls/{}/tls_termination", str_of(&edge, "id"));
    let module = json!({"enabled": true, "terminate_at": "edge", "min_version": "1.2"});
    let (s, m) = api.put(&path, module.clone()).await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(m, module);
    let (s, got) = api.get(&path).await;
    assert_eq!((s, &got), (200, &module));
    // The module's own fields are checked, and errors name them as sent.
    let (s, e) = api.put(&path, json!({"enabled": true, "terminate_at": "nowhere"})).await;
    assert_eq!(s, 400, "{e}");
    assert!(str_of(&e, "msg").contains("`terminate_at`"), "{e}");
    // An empty enum in a module means not given: the answer is the one for a
    // module without the field.
    let (s, m) = api.put(&path, json!({"enabled": false, "terminate_at": ""})).await;
    let (_, unset) = api.put(&path, json!({"enabled": false})).await;
    assert_eq!((s, &m["terminate_at"]), (200, &unset["terminate_at"]), "{m}");
    // The old wrapped form is not what the API takes.
    let (s, e) = api.put(&path, json!({"module": module})).await;
    assert_eq!((s, e["error_code"].as_str()), (400, Some("ERR_NGROK_214")), "{e}");
    let (s, e) = api.put(&path, json!([1])).await;
    assert_eq!(s, 400, "{e}");
    let (s, e) = api.send(api.req(reqwest::Method::PUT, &path)).await;
    assert_eq!((s, e["error_code"].as_str()), (400, None), "{e}");
    // References inside the module are checked and shown as references.
    let (_, policy) = api.post("/ip_policies", json!({})).await;
    let ip = format!("/edges/tls/{}/ip_restriction", str_of(&edge, "id"));
    let (s, m) = api.put(&ip, json!({"enabled": true, "ip_policy_ids": [policy["id"]]})).await;
    assert_eq!((s, &m["ip_policies"][0]["id"]), (200, &policy["id"]), "{m}");
    let (s, _) = api.put(&ip, json!({"enabled": true, "ip_policy_ids": ["ipp_missing"]})).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn ssh_objects_get_their_derived_fields() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    let (s, ca) = api.post("/ssh_certificate_authorities", json!({"private_key_type": "ed25519"})).await;
    assert_eq!(s, 201, "{ca}");
    assert_eq!(ca["key_type"], "ed25519");
    assert!(str_of(&ca, "public_key").starts_with("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"), "{ca}");
    let (_, again) = api.get(&format!("/ssh_certificate_authorities/{}", str_of(&ca, "id"))).await;
    assert_eq!(again, ca, "derived fields are stored");
    let (_, listed) = api.get("/ssh_certificate_authorities").await;
    for answer in [&ca, &listed] {
        assert!(!answer.to_string().contains("PRIVATE KEY"), "the private key is never answered: {answer}");
    }
    let (_, rsa) = api.post("/ssh_certificate_authorities", json!({})).await;
    assert_eq!(rsa["key_type"], "rsa");
    assert!(str_of(&rsa, "public_key").starts_with("ssh-rsa AAAA"), "{rsa}");
    assert_ne!(str_of(&rsa, "public_key"), str_of(&ca, "public_key"));

    // A key cut short is refused with ngrok's code; a whole one certified.
    let cut = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA== me";
    let (s, refused) = api.post("/ssh_user_certificates", json!({"ssh_certificate_authority_id": ca["id"], "public_key": cut})).await;
    assert_eq!((s, &refused["error_code"]), (400, &json!("ERR_NGROK_1934")), "{refused}");
    let key = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIRz3kUlTL7+nW5iHe+4/rUpcKDimNwKsrqC0C9ZB5Nhhgj+7Rw3E6kFzZSXZ4OH21/ZZ7lOLlWGwSK6QNNz/So= me";
    let (s, cert) = api
        .post("/ssh_user_certificates", json!({"ssh_certificate_authority_id": ca["id"], "public_key": key}))
        .await;
    assert_eq!(s, 201, "{cert}");
    assert_eq!((cert["public_key"].as_str(), cert["key_type"].as_str()), (Some(key), Some("ecdsa")));
    assert!(str_of(&cert, "certificate").starts_with("ecdsa-sha2-nistp256-cert-v01@openssh.com AAAA"), "{cert}");
    assert!(str_of(&cert, "valid_after").ends_with('Z') && str_of(&cert, "valid_until") > str_of(&cert, "valid_after"));
    let window = json!({"valid_after": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"});
    let (s, host) = api
        .post(
            "/ssh_host_certificates",
            json!({"ssh_certificate_authority_id": ca["id"], "public_key": str_of(&ca, "public_key"),
                   "valid_after": window["valid_after"], "valid_until": window["valid_until"]}),
        )
        .await;
    assert_eq!(s, 201, "{host}");
    assert_eq!(host["key_type"], "ed25519");
    assert!(str_of(&host, "certificate").starts_with("ssh-ed25519-cert-v01@openssh.com "), "{host}");
    assert_eq!((&host["valid_after"], &host["valid_until"]), (&window["valid_after"], &window["valid_until"]));
}

#[tokio::test]
async fn event_subscription_sources_are_nested_objects() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    let (s, sub) = api
        .post("/event_subscriptions", json!({"sources": [{"type": "ip_policy_created.v0"}, {"type": "ip_policy_deleted.v0"}]}))
        .await;
    assert_eq!(s, 201, "{sub}");
    let id = str_of(&sub, "id").to_string();
    let base = format!("{}/event_subscriptions/{id}/sources", mock.url());
    let created = json!({"type": "ip_policy_created.v0", "uri": format!("{base}/ip_policy_created.v0")});
    let deleted = json!({"type": "ip_policy_deleted.v0", "uri": format!("{base}/ip_policy_deleted.v0")});
    assert_eq!(sub["sources"], json!([created, deleted]));
    let (_, got) = api.get(&format!("/event_subscriptions/{id}")).await;
    assert_eq!(got, sub);
    let (s, listed) = api.get(&format!("/event_subscriptions/{id}/sources")).await;
    assert_eq!(s, 200, "{listed}");
    assert_eq!(listed["sources"], json!([deleted, created]), "newest first");
    let (s, one) = api.get(&format!("/event_subscriptions/{id}/sources/ip_policy_created.v0")).await;
    assert_eq!((s, &one), (200, &created));

    // Sources added and removed on their own show in the subscription.
    let (s, _) = api.post(&format!("/event_subscriptions/{id}/sources"), json!({"type": "ip_policy_updated.v0"})).await;
    assert_eq!(s, 201);
    assert_eq!(api.delete(&format!("/event_subscriptions/{id}/sources/ip_policy_created.v0")).await.0, 204);
    let (_, got) = api.get(&format!("/event_subscriptions/{id}")).await;
    let types: Vec<&str> = got["sources"].as_array().into_iter().flatten().filter_map(|s| s["type"].as_str()).collect();
    assert_eq!(types, ["ip_policy_deleted.v0", "ip_policy_updated.v0"]);

    // An update that gives `sources` replaces them; one that does not keeps them.
    let (s, up) = api.patch(&format!("/event_subscriptions/{id}"), json!({"description": "d"})).await;
    assert_eq!((s, up["sources"].as_array().map(Vec::len)), (200, Some(2)), "{up}");
    let (s, up) = api.patch(&format!("/event_subscriptions/{id}"), json!({"sources": [{"type": "x.v0"}]})).await;
    assert_eq!(s, 200, "{up}");
    assert_eq!(up["sources"], json!([{"type": "x.v0", "uri": format!("{base}/x.v0")}]));
    assert_eq!(api.get(&format!("/event_subscriptions/{id}/sources/ip_policy_deleted.v0")).await.0, 404);

    // A source without a type is refused before anything is stored.
    let (s, e) = api.post("/event_subscriptions", json!({"description": "bad", "sources": [{}]})).await;
    assert_eq!((s, e["error_code"].as_str()), (400, None), "{e}");
    let (_, all) = api.get("/event_subscriptions").await;
    assert_eq!(all["event_subscriptions"].as_array().map(Vec::len), Some(1), "{all}");

    // The sources of a missing subscription are not found; deleting a
    // subscription removes its sources.
    let (s, e) = api.get("/event_subscriptions/esb_missing/sources").await;
    assert_eq!(s, 404);
    assert_error_shape(&e, 404);
    assert_eq!(api.delete(&format!("/event_subscriptions/{id}")).await.0, 204);
    assert_eq!(api.get(&format!("/event_subscriptions/{id}/sources/x.v0")).await.0, 404);

    // Seeds take nested lists too.
    let seeded = mock
        .seed("event_subscriptions", json!({"sources": [{"type": "tunnel_created.v0"}]}))
        .expect("seeded");
    assert_eq!(seeded["sources"][0]["type"], "tunnel_created.v0", "{seeded}");
    let (s, listed) = api.get(&format!("/event_subscriptions/{}/sources", str_of(&seeded, "id"))).await;
    assert_eq!((s, listed["sources"].as_array().map(Vec::len)), (200, Some(1)), "{listed}");
}

#[tokio::test]
async fn sunset_services_are_read_only_unless_legacy_writes_are_allowed() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    // Reads work: the default seed has edges to read.
    let (s, edges) = api.get("/edges/https").await;
    assert_eq!(s, 200, "{edges}");
    // Writes are refused as for most accounts.
    let (s, e) = api.post("/edges/https", json!({})).await;
    assert_eq!((s, e["error_code"].as_str()), (400, Some("ERR_NGROK_7196")), "{e}");
    assert!(e["msg"].as_str().is_some_and(|m| m.contains("read-only access to Edges")), "{e}");
    let (s, _) = api.post("/backends/static", json!({"address": "10.0.0.1:443"})).await;
    assert_eq!(s, 400);
    // Allowed through the library, then refused again through the admin API.
    mock.set_legacy_writes(true);
    let (s, edge) = api.post("/edges/https", json!({})).await;
    assert_eq!(s, 201, "{edge}");
    let admin = reqwest::Client::new()
        .put(format!("{}/__mock/legacy_writes", mock.url()))
        .json(&json!({"allowed": false}))
        .send()
        .await
        .expect("admin call");
    assert_eq!(admin.status().as_u16(), 200);
    let (s, e) = api.delete(&format!("/edges/https/{}", str_of(&edge, "id"))).await;
    assert_eq!((s, e["error_code"].as_str()), (400, Some("ERR_NGROK_7196")), "{e}");
}

#[tokio::test]
async fn backends_refer_to_backends_that_exist_and_cannot_go_while_listed() {
    let mock = MockServer::builder().legacy_writes(true).start().await.expect("starts");
    let api = Api::new(&mock);
    let (s, e) = api.post("/backends/failover", json!({"backends": ["bkdsa_2QJ0000000000000000000000000"]})).await;
    assert_eq!((s, e["error_code"].as_str()), (400, Some("ERR_NGROK_6501")), "{e}");
    assert!(e["msg"].as_str().is_some_and(|m| m.contains("`bkdsa_2QJ0000000000000000000000000`")), "{e}");
    let (_, leaf) = api.post("/backends/static", json!({"address": "10.0.0.1:443"})).await;
    let leaf_id = str_of(&leaf, "id").to_string();
    let (s, failover) = api.post("/backends/failover", json!({"backends": [leaf_id]})).await;
    assert_eq!(s, 201, "{failover}");
    let (s, e) = api.delete(&format!("/backends/static/{leaf_id}")).await;
    assert_eq!((s, e["error_code"].as_str()), (400, Some("ERR_NGROK_6502")), "{e}");
    let (s, _) = api.delete(&format!("/backends/failover/{}", str_of(&failover, "id"))).await;
    assert_eq!(s, 204);
    let (s, _) = api.delete(&format!("/backends/static/{leaf_id}")).await;
    assert_eq!(s, 204, "deleted once no backend lists it");
}

#[tokio::test]
async fn writes_merge_nested_objects_and_apply_the_servers_defaults() {
    let mock = MockServer::builder().no_default_seed().start().await.expect("starts");
    let api = Api::new(&mock);
    // A PATCH of one member of a nested object keeps the others.
    let (s, op) = api
        .post("/kubernetes_operators", json!({"description": "k8s", "enabled_features": ["ingress"], "region": "us",
            "deployment": {"name": "ngrok-operator", "namespace": "ngrok", "version": "0.1.0"}}))
        .await;
    assert_eq!(s, 201, "{op}");
    let path = format!("/kubernetes_operators/{}", str_of(&op, "id"));
    let (s, up) = api.patch(&path, json!({"deployment": {"version": "0.2.0"}})).await;
    assert_eq!(s, 200, "{up}");
    assert_eq!(up["deployment"]["version"], "0.2.0", "{up}");
    assert_eq!((up["deployment"]["name"].as_str(), up["deployment"]["namespace"].as_str()), (Some("ngrok-operator"), Some("ngrok")), "{up}");

    // A service user created without `active` is active.
    let (s, user) = api.post("/service_users", json!({"name": "ci-bot"})).await;
    assert_eq!((s, &user["active"]), (201, &json!(true)), "{user}");

    // An SSH user certificate without extensions gets the default ones;
    // extensions given empty stay empty.
    let (_, ca) = api.post("/ssh_certificate_authorities", json!({"private_key_type": "ed25519"})).await;
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK7pQ2wZr4mV8cX1nB6tY3sL9dF0gH5jU2eR7aO4iW1q";
    let (s, cert) = api
        .post("/ssh_user_certificates", json!({"ssh_certificate_authority_id": str_of(&ca, "id"), "public_key": key, "principals": ["deploy"]}))
        .await;
    assert_eq!(s, 201, "{cert}");
    assert_eq!(cert["extensions"], json!({"permit-pty": "", "permit-user-rc": ""}), "{cert}");
    let (_, bare) = api
        .post("/ssh_user_certificates", json!({"ssh_certificate_authority_id": str_of(&ca, "id"), "public_key": key, "extensions": {}}))
        .await;
    assert_eq!(bare["extensions"], json!({}), "{bare}");

    // A certificate naming an authority that does not exist is refused.
    let (s, e) = api
        .post("/ssh_host_certificates", json!({"ssh_certificate_authority_id": "sshca_2QJ0000000000000000000000000", "public_key": key}))
        .await;
    assert_eq!((s, e["error_code"].as_str()), (400, Some("ERR_NGROK_1949")), "{e}");
}

#[tokio::test]
async fn seeded_application_users_and_sessions_look_signed_in() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock);
    let (_, users) = api.get("/app/users").await;
    let user = &users["application_users"][0];
    for field in ["last_active", "last_login"] {
        assert!(user[field].as_str().is_some_and(|t| t.len() >= 20), "{field}: {user}");
    }
    let (_, sessions) = api.get("/app/sessions").await;
    let session = &sessions["application_sessions"][0];
    for field in ["last_active", "expires_at"] {
        assert!(session[field].as_str().is_some_and(|t| t.len() >= 20), "{field}: {session}");
    }
}
