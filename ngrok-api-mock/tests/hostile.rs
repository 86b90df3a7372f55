//! The emulator under hostile or careless use: bad and costly filters,
//! admin access, authorization spellings, memory after deletes.

use std::time::Duration;

use ngrok_api_mock::MockServer;
use serde_json::{Value, json};

struct Api {
    http: reqwest::Client,
    base: String,
    key: String,
}

impl Api {
    fn new(mock: &MockServer, key: &str) -> Api {
        Api { http: reqwest::Client::new(), base: mock.url().to_string(), key: key.into() }
    }

    async fn send(&self, method: reqwest::Method, path_or_url: &str, body: Option<Value>) -> (u16, Value) {
        let url = if path_or_url.starts_with("http") { path_or_url.to_string() } else { format!("{}{path_or_url}", self.base) };
        let mut rb = self.http.request(method, url).bearer_auth(&self.key).header("Ngrok-Version", "2");
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.expect("the emulator answers");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("a body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    async fn create_policy(&self, metadata: &str) -> String {
        let (s, v) = self.send(reqwest::Method::POST, "/ip_policies", Some(json!({"metadata": metadata}))).await;
        assert_eq!(s, 201, "{v}");
        v["id"].as_str().expect("an id").to_string()
    }

    async fn delete(&self, path: &str) -> u16 {
        self.send(reqwest::Method::DELETE, path, None).await.0
    }
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn ids(page: &Value) -> Vec<String> {
    page["ip_policies"].as_array().into_iter().flatten().filter_map(|p| p["id"].as_str()).map(String::from).collect()
}

#[tokio::test]
async fn bad_filters_are_400_whatever_the_store_holds() {
    let mock = MockServer::builder().no_default_seed().start().await.expect("starts");
    let api = Api::new(&mock, "k");
    let bad = ["obj.id", "obj.nope == 1", r#"1 + "a""#, r#"obj.created_at > "2025""#, r#"obj.id.matches("(")"#];
    for round in ["empty", "one object"] {
        for f in bad {
            let (s, e) = api.get(&format!("/ip_policies?filter={}", enc(f))).await;
            assert_eq!(s, 400, "{round}: `{f}` answered {e}");
            assert_eq!(e["error_code"], "ERR_NGROK_250", "{e}");
        }
        let (s, page) = api.get(&format!("/ip_policies?filter={}", enc("obj.metadata == 'x'"))).await;
        assert_eq!(s, 200, "{round}: {page}");
        api.create_policy("y").await;
    }
}

#[tokio::test]
async fn filters_use_timestamps_and_string_functions() {
    let mock = MockServer::builder().no_default_seed().start().await.expect("starts");
    let api = Api::new(&mock, "k");
    let a = api.create_policy("env=prod").await;
    let b = api.create_policy("env=dev").await;
    let cases: [(&str, Vec<&str>); 5] = [
        (r#"obj.created_at > timestamp("2020-01-01T00:00:00Z")"#, vec![&b, &a]),
        (r#"obj.created_at > timestamp("2999-01-01T00:00:00Z")"#, vec![]),
        (r#"obj.metadata.endsWith("prod") && obj.id.startsWith("ipp_")"#, vec![&a]),
        (r#"obj.metadata.matches("^env=d.v$") && size(obj.metadata) == 7"#, vec![&b]),
        (r#"timestamp("2100-01-01T00:00:00Z") - obj.created_at > duration("1h")"#, vec![&b, &a]),
    ];
    for (f, want) in cases {
        let (s, page) = api.get(&format!("/ip_policies?filter={}", enc(f))).await;
        assert_eq!(s, 200, "{f}: {page}");
        assert_eq!(ids(&page), want, "{f}");
    }
}

#[tokio::test]
async fn nested_comprehensions_get_a_clear_400() {
    let mock = MockServer::start().await;
    let api = Api::new(&mock, "k");
    api.create_policy("x").await;
    let l = format!("[{}]", (0..30).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
    let hostile = format!("{l}.all(a, {l}.all(b, {l}.all(c, {l}.all(d, a + b + c + d >= 0))))");
    let (s, e) = api.get(&format!("/ip_policies?filter={}", enc(&hostile))).await;
    assert_eq!(s, 400, "{e}");
    assert!(e["msg"].as_str().is_some_and(|m| m.contains("comprehensions")), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_filter_is_cut_off_and_never_blocks_writes() {
    let mock = MockServer::builder()
        .no_default_seed()
        .filter_deadline(Duration::from_millis(1500))
        .start()
        .await
        .expect("starts");
    for i in 0..400 {
        mock.seed("ip_policies", json!({"metadata": format!("m{i}")})).expect("seeds");
    }
    let api = Api::new(&mock, "k");
    // Within the per-object limit, but slow over 400 objects.
    let l = format!("[{}]", (0..20).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
    let slow = format!("{l}.all(a, {l}.all(b, {l}.all(c, a + b + c >= 0)))");
    let url = format!("/ip_policies?filter={}", enc(&slow));
    let list = {
        let api = Api::new(&mock, "k");
        tokio::spawn(async move {
            let answer = api.get(&url).await;
            (answer, std::time::Instant::now())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    for i in 0..20 {
        api.create_policy(&format!("w{i}")).await;
    }
    let writes_done = std::time::Instant::now();
    let ((s, e), list_done) = list.await.expect("the list task");
    assert_eq!(s, 400, "{e}");
    assert!(e["msg"].as_str().is_some_and(|m| m.contains("took too long")), "{e}");
    assert!(writes_done < list_done, "the writes finished while the filter was still running");
}

#[tokio::test]
async fn admin_routes_need_the_api_key_or_the_admin_token() {
    let http = reqwest::Client::new();
    let status = |rb: reqwest::RequestBuilder| async move { rb.send().await.expect("answers").status().as_u16() };

    let keyed = MockServer::builder().api_key("secret").start().await.expect("starts");
    let journal = format!("{}/__mock/journal", keyed.url());
    assert_eq!(status(http.get(&journal)).await, 401);
    assert_eq!(status(http.get(&journal).bearer_auth("wrong")).await, 401);
    assert_eq!(status(http.post(format!("{}/__mock/reset", keyed.url()))).await, 401);
    assert_eq!(status(http.get(&journal).bearer_auth("secret")).await, 200);
    assert_eq!(status(http.get(format!("{}/__mock/health", keyed.url()))).await, 200, "health stays open");

    let split = MockServer::builder().api_key("secret").admin_token("admin").start().await.expect("starts");
    let journal = format!("{}/__mock/journal", split.url());
    assert_eq!(status(http.get(&journal).bearer_auth("secret")).await, 401);
    assert_eq!(status(http.get(&journal).bearer_auth("admin")).await, 200);

    let open = MockServer::start().await;
    assert_eq!(status(http.get(format!("{}/__mock/journal", open.url()))).await, 200);
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let mock = MockServer::builder().api_key("k").start().await.expect("starts");
    let http = reqwest::Client::new();
    for (auth, want) in [("bearer k", 200), ("BEARER k", 200), ("Bearer k", 200), ("Basic k", 401), ("bearer", 401)] {
        let resp = http
            .get(format!("{}/ip_policies", mock.url()))
            .header("Authorization", auth)
            .header("Ngrok-Version", "2")
            .send()
            .await
            .expect("answers");
        assert_eq!(resp.status().as_u16(), want, "{auth}");
    }
}

#[tokio::test]
async fn memory_follows_live_objects_not_objects_ever_created() {
    let mock = MockServer::builder().no_default_seed().start().await.expect("starts");
    let api = Api::new(&mock, "k");
    api.create_policy("keep").await;
    for i in 0..300 {
        let id = api.create_policy(&format!("gone{i}")).await;
        assert_eq!(api.delete(&format!("/ip_policies/{id}")).await, 204);
    }
    let (s, stats) = api.get("/__mock/stats").await;
    assert_eq!(s, 200, "{stats}");
    assert_eq!(stats["objects"], 1, "{stats}");
    assert_eq!(stats["index_entries"], 2, "one object and its place in the order: {stats}");
}

#[tokio::test]
async fn before_id_of_a_deleted_object_still_pages() {
    let mock = MockServer::builder().no_default_seed().start().await.expect("starts");
    let api = Api::new(&mock, "k");
    let mut made = Vec::new();
    for i in 0..5 {
        made.push(api.create_policy(&format!("p{i}")).await);
    }
    let (_, first) = api.get("/ip_policies?limit=2").await;
    assert_eq!(ids(&first), vec![made[4].clone(), made[3].clone()]);
    let next = first["next_page_uri"].as_str().expect("a next page").to_string();
    assert_eq!(api.delete(&format!("/ip_policies/{}", made[3])).await, 204);
    assert_eq!(api.delete(&format!("/ip_policies/{}", made[4])).await, 204);
    let (s, second) = api.get(&next).await;
    assert_eq!(s, 200, "{second}");
    assert_eq!(ids(&second), vec![made[2].clone(), made[1].clone()]);
    let (s, e) = api.get("/ip_policies?before_id=ipp_not_an_id").await;
    assert_eq!(s, 400, "{e}");
}
