//! A short soak: workers create, list (filtered, paged) and delete at once
//! for a few seconds. Nothing may be lost or listed twice, and nothing may
//! answer a 5xx.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use ngrok_api_mock::MockServer;
use serde_json::{Value, json};

const WORKERS: usize = 6;
const RUN_FOR: Duration = Duration::from_secs(3);

async fn call(http: &reqwest::Client, method: reqwest::Method, url: &str, body: Option<Value>) -> (u16, Value) {
    let mut rb = http.request(method, url).bearer_auth("k").header("Ngrok-Version", "2");
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let resp = rb.send().await.expect("the emulator answers");
    let status = resp.status().as_u16();
    let v = resp.json::<Value>().await.unwrap_or(Value::Null);
    assert!(status < 500, "a {status}: {v}");
    (status, v)
}

/// Every page of this worker's policies, by following `next_page_uri`.
async fn list_all(http: &reqwest::Client, base: &str, tag: &str) -> Vec<String> {
    let filter: String = form_urlencoded::byte_serialize(format!("obj.metadata == \"{tag}\"").as_bytes()).collect();
    let mut url = format!("{base}/ip_policies?limit=7&filter={filter}");
    let mut out = Vec::new();
    loop {
        let (s, page) = call(http, reqwest::Method::GET, &url, None).await;
        assert_eq!(s, 200, "{page}");
        out.extend(page["ip_policies"].as_array().into_iter().flatten().filter_map(|p| p["id"].as_str()).map(String::from));
        match page["next_page_uri"].as_str() {
            Some(next) => url = next.to_string(),
            None => return out,
        }
    }
}

async fn worker(base: String, n: usize) -> (usize, HashSet<String>) {
    let http = reqwest::Client::new();
    let tag = format!("worker-{n}");
    let mut live: HashSet<String> = HashSet::new();
    let mut ops = 0;
    let end = Instant::now() + RUN_FOR;
    let mut i = 0usize;
    while Instant::now() < end {
        i += 1;
        let (s, v) = call(&http, reqwest::Method::POST, &format!("{base}/ip_policies"), Some(json!({"metadata": tag}))).await;
        assert_eq!(s, 201, "{v}");
        let id = v["id"].as_str().expect("an id").to_string();
        assert!(live.insert(id), "an ID was handed out twice");
        if i.is_multiple_of(3) {
            let doomed = live.iter().next().cloned().expect("something to delete");
            let (s, _) = call(&http, reqwest::Method::DELETE, &format!("{base}/ip_policies/{doomed}"), None).await;
            assert_eq!(s, 204);
            live.remove(&doomed);
        }
        let listed = list_all(&http, &base, &tag).await;
        let unique: HashSet<String> = listed.iter().cloned().collect();
        assert_eq!(unique.len(), listed.len(), "an object was listed twice");
        assert_eq!(unique, live, "the list lost or invented objects");
        ops += 3;
    }
    (ops, live)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_create_list_delete_loses_nothing() {
    let mock = MockServer::builder().no_default_seed().journal_capacity(0).start().await.expect("starts");
    let tasks: Vec<_> = (0..WORKERS).map(|n| tokio::spawn(worker(mock.url().to_string(), n))).collect();
    let mut all = HashSet::new();
    let mut ops = 0;
    for t in tasks {
        let (n, live) = t.await.expect("a worker");
        ops += n;
        all.extend(live);
    }
    assert!(ops >= WORKERS * 3, "every worker did at least one round");
    // The whole collection, unfiltered, is exactly what the workers kept.
    let http = reqwest::Client::new();
    let mut url = format!("{}/ip_policies?limit=100", mock.url());
    let mut listed = Vec::new();
    loop {
        let (_, page) = call(&http, reqwest::Method::GET, &url, None).await;
        listed.extend(page["ip_policies"].as_array().into_iter().flatten().filter_map(|p| p["id"].as_str()).map(String::from));
        match page["next_page_uri"].as_str() {
            Some(next) => url = next.to_string(),
            None => break,
        }
    }
    let unique: HashSet<String> = listed.iter().cloned().collect();
    assert_eq!(unique.len(), listed.len());
    assert_eq!(unique, all);
}
