//! Raw calls: any path, with the client's auth, retries, limits, origin
//! checks, redaction, errors and observer, decoded into JSON or any type;
//! raw lists walked with the same paging guards as generated ones.

mod support;

use std::sync::{Arc, Mutex};

use ngrok_api::observe::{AttemptStarted, Observer};
use ngrok_api::{ErrorKind, Method, RetryPolicy};
use serde_json::{Value, json};
use support::{KEY, Reply, Server, paused_builder};

async fn emulator() -> (ngrok_api_mock::MockServer, ngrok_api::Client) {
    let mock = ngrok_api_mock::MockServer::start().await;
    let client = ngrok_api::Client::builder().api_key("raw-key").base_url(mock.url()).build().expect("client");
    (mock, client)
}

#[tokio::test]
async fn raw_calls_create_read_walk_and_delete_on_the_emulator() {
    let (_mock, client) = emulator().await;

    let created = client.raw(Method::POST, "/ip_policies").body(json!({"description": "raw one"})).await.expect("created");
    let id = created["id"].as_str().expect("an id").to_string();
    assert!(id.starts_with("ipp_"), "{created}");

    let read: Value = client.raw(Method::GET, "/ip_policies/{id}").path_param("id", &id).await.expect("read");
    assert_eq!(read["description"], "raw one");
    let typed: ngrok_api::types::IpPolicy = client.raw(Method::GET, "/ip_policies/{id}").path_param("id", &id).decode().await.expect("typed");
    assert_eq!(typed.description, "raw one");

    for n in 0..4 {
        client.ip_policies().create().description(format!("p{n}")).await.expect("created");
    }
    let items: Vec<Value> = client.raw(Method::GET, "/ip_policies").query("limit", "2").items().try_collect().await.expect("walked");
    assert_eq!(items.len(), 5);
    assert!(items.iter().all(|p| p["id"].as_str().is_some_and(|i| i.starts_with("ipp_"))));
    let pages: Vec<ngrok_api::types::IpPolicyList> = client.raw(Method::GET, "/ip_policies").query("limit", "2").pages().try_collect().await.expect("walked");
    assert_eq!(pages.iter().map(|p| p.ip_policies.len()).collect::<Vec<_>>(), vec![2, 2, 1]);

    let () = client.raw(Method::DELETE, "/ip_policies/{id}").path_param("id", &id).decode().await.expect("deleted");
    let err = client.raw(Method::GET, "/ip_policies/{id}").path_param("id", &id).operation("ip_policies.get_raw").await.expect_err("gone");
    assert!(err.is_not_found(), "{err}");
    assert!(err.to_string().contains("ip_policies.get_raw"), "{err}");
}

#[derive(Default)]
struct Templates(Mutex<Vec<String>>);

impl Observer for Templates {
    fn attempt_started(&self, e: &AttemptStarted<'_>) {
        self.0.lock().unwrap().push(format!("{} {} {}", e.call.operation, e.call.method, e.call.url_template));
    }
}

#[tokio::test(start_paused = true)]
async fn a_raw_call_is_sent_retried_and_observed_like_any_other() {
    let server = Server::start(|i, _| match i {
        0 => Reply::api_error(503, "ERR_NGROK_1", "unavailable", "op_1"),
        _ => Reply::json(200, json!({"id": "x"})),
    })
    .await;
    let seen = Arc::new(Templates::default());
    let client = paused_builder(&server).observer(seen.clone()).build().expect("client");

    let got = client.raw(Method::GET, "/things/{id}/parts").path_param("id", format!("a/b?{KEY}")).query("token", KEY).await.expect("retried");
    assert_eq!(got["id"], "x");

    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].path(), format!("/things/a%2Fb%3F{KEY}/parts"));
    assert_eq!(sent[1].query(), vec![("token".to_string(), KEY.to_string())]);
    assert_eq!(sent[1].header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(sent[1].header("ngrok-version"), Some("2"));
    let seen = seen.0.lock().unwrap().clone();
    assert_eq!(seen, vec!["raw GET /things/{id}/parts".to_string(); 2]);

    // A per-call retry policy, and an error that shows the path (with its
    // IDs, as every call's error does) but never the query.
    let server = Server::start(|_, _| Reply::api_error(503, "ERR_NGROK_1", "unavailable", "op_1")).await;
    let client = paused_builder(&server).build().expect("client");
    let err = client.raw(Method::GET, "/things/{id}").path_param("id", "th_1").query("q", KEY).retry_policy(RetryPolicy::none()).await.expect_err("503");
    assert_eq!(err.attempts(), 1);
    assert!(err.to_string().contains("/things/th_1"), "{err}");
    assert!(!format!("{err} {err:?}").contains(KEY), "{err:?}");
}

#[tokio::test]
async fn bad_templates_and_bodies_fail_before_anything_is_sent() {
    let server = Server::start(|_, _| Reply::json(200, json!({}))).await;
    let client = support::builder(&server).build().expect("client");
    for template in ["things", "https://evil.example/things", "/things?x=1", "/a/../b", "/things/{id}"] {
        let err = client.raw(Method::GET, template).await.expect_err(template);
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{template}: {err}");
    }
    struct Unencodable;
    impl serde::Serialize for Unencodable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("refuses to encode"))
        }
    }
    let err = client.raw(Method::POST, "/things").body(Unencodable).await.expect_err("no body");
    assert_eq!(err.kind(), ErrorKind::Encode, "{err}");
    let err = client.raw(Method::GET, "/things").body(json!({})).items().try_next().await.expect_err("a list has no body");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn a_raw_walk_keeps_the_paging_guards() {
    // A next_page_uri on another origin: refused, the key never sent there.
    let server = Server::start(|_, _| Reply::json(200, json!({"things": [1, 2], "next_page_uri": "https://evil.example/things?before_id=2"}))).await;
    let client = support::builder(&server).build().expect("client");
    let mut items = client.raw(Method::GET, "/things").items();
    assert_eq!(items.try_next().await.expect("item"), Some(json!(1)));
    assert_eq!(items.try_next().await.expect("item"), Some(json!(2)));
    let err = items.try_next().await.expect_err("foreign origin");
    assert_eq!(err.kind(), ErrorKind::Paging, "{err}");
    assert_eq!(server.count(), 1);

    // A next_page_uri that points back at itself: a loop, stopped.
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let server = Server::start(move |_, _| {
        let base = b.get().map(String::as_str).unwrap_or("");
        Reply::json(200, json!({"things": [1], "next_page_uri": format!("{base}/things?before_id=1")}))
    })
    .await;
    base.set(server.url()).expect("set once");
    let client = support::builder(&server).build().expect("client");
    let err = client.raw(Method::GET, "/things").items().try_collect::<Vec<_>>().await.expect_err("a loop");
    assert_eq!(err.kind(), ErrorKind::Paging, "{err}");
    assert!(server.count() <= 3, "{}", server.count());
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_makes_raw_calls_too() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the emulator");
    let mock = runtime.block_on(ngrok_api_mock::MockServer::start());
    let client = ngrok_api::blocking::Client::builder().api_key("raw-key").base_url(mock.url()).build().expect("client");
    let created = client.raw(Method::POST, "/ip_policies").body(json!({"description": "blocking raw"})).send().expect("created");
    let id = created["id"].as_str().expect("an id").to_string();
    let typed: ngrok_api::types::IpPolicy = client.raw(Method::GET, "/ip_policies/{id}").path_param("id", &id).decode().timeout(std::time::Duration::from_secs(5)).send().expect("read");
    assert_eq!(typed.description, "blocking raw");
    let ids: Vec<String> = client.raw(Method::GET, "/ip_policies").items().map(|p| p.expect("an item")["id"].as_str().unwrap_or_default().to_string()).collect();
    assert!(ids.contains(&id), "{ids:?}");
}
