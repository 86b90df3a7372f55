//! Per-call settings: a request's `timeout`, `operation_timeout` and
//! `retry_policy` take precedence over the client's for that call only,
//! for every page of a list walked from it, and on the blocking client.
//! Time is tokio's paused clock, so waits are exact and cost nothing.

mod support;

use std::sync::Arc;
use std::time::Duration;

use ngrok_api::{ErrorKind, RetryPolicy, TimeoutKind};
use serde_json::json;
use support::{Reply, Server, paused_builder};
use tokio::time::Instant;

fn policy() -> Reply {
    Reply::json(200, support::ip_policy("ipp_1"))
}

fn unavailable() -> Reply {
    Reply::api_error(503, "ERR_NGROK_500", "unavailable", "op_503")
}

#[tokio::test(start_paused = true)]
async fn a_calls_timeout_overrides_the_clients_for_that_call_only() {
    let server = Server::start(|_, _| policy().after(Duration::from_secs(5))).await;
    let client = paused_builder(&server).timeout(Duration::from_secs(60)).retry_policy(RetryPolicy::none()).build().expect("client");

    let started = Instant::now();
    let err = client.ip_policies().get("ipp_1").timeout(Duration::from_secs(1)).await.expect_err("1 s is too short");
    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Attempt), "{err}");
    assert_eq!(started.elapsed(), Duration::from_secs(1));

    // The client's own 60 s applies again to the next call.
    let started = Instant::now();
    client.ip_policies().get("ipp_1").await.expect("the client's timeout is long enough");
    assert_eq!(started.elapsed(), Duration::from_secs(5));

    // And `None` turns a client's limit off for one call.
    let strict = paused_builder(&server).timeout(Duration::from_secs(1)).retry_policy(RetryPolicy::none()).build().expect("client");
    strict.ip_policies().get("ipp_1").timeout(None).await.expect("no limit for this call");
    let err = strict.ip_policies().get("ipp_1").await.expect_err("the client's 1 s");
    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Attempt), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_calls_retry_policy_overrides_the_clients_for_that_call_only() {
    let server = Server::start(|_, _| unavailable()).await;
    let client = paused_builder(&server).retry_policy(RetryPolicy::default().max_attempts(4)).build().expect("client");

    let err = client.ip_policies().get("ipp_1").retry_policy(RetryPolicy::none()).await.expect_err("503");
    assert_eq!(err.attempts(), 1, "{err}");
    assert_eq!(server.count(), 1);

    let err = client.ip_policies().get("ipp_1").await.expect_err("503");
    assert_eq!(err.attempts(), 4, "the client's policy: {err}");
    assert_eq!(server.count(), 5);

    let err = client.ip_policies().get("ipp_1").retry_policy(RetryPolicy::default().max_attempts(6)).await.expect_err("503");
    assert_eq!(err.attempts(), 6, "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_calls_operation_timeout_bounds_its_retries() {
    let server = Server::start(|_, _| unavailable()).await;
    let patient = RetryPolicy::default().max_attempts(100).base_delay(Duration::from_secs(1)).max_delay(Duration::from_secs(1));
    let client = paused_builder(&server).retry_policy(patient).build().expect("client");

    let started = Instant::now();
    let err = client.ip_policies().get("ipp_1").operation_timeout(Duration::from_secs(3)).await.expect_err("gives up at 3 s");
    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Operation), "{err}");
    assert_eq!(started.elapsed(), Duration::from_secs(3));
    assert!(server.count() < 100);
}

#[tokio::test(start_paused = true)]
async fn a_lists_settings_apply_to_every_page_it_walks() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    // Page 1, then page 2 fails with a 503 once and succeeds after.
    let server = Server::start(move |i, _| {
        let base = b.get().map(String::as_str).unwrap_or("");
        match i {
            0 => Reply::json(200, json!({"keys": [support::api_key("ak_1")], "uri": "", "next_page_uri": format!("{base}/api_keys?before_id=ak_1")})),
            1 => unavailable(),
            _ => Reply::json(200, json!({"keys": [support::api_key("ak_0")], "uri": "", "next_page_uri": null})),
        }
    })
    .await;
    base.set(server.url()).expect("set once");
    let client = paused_builder(&server).build().expect("client");

    let err = client
        .api_keys()
        .list()
        .retry_policy(RetryPolicy::none())
        .items()
        .try_collect::<Vec<_>>()
        .await
        .expect_err("page 2's 503 is not retried");
    assert_eq!(err.attempts(), 1, "{err}");
    assert_eq!(server.count(), 2);

    // Resumed from page 2, the same setting holds; without it the client retries.
    let next = format!("{}/api_keys?before_id=ak_1", server.url());
    let resumed = client.api_keys().list().retry_policy(RetryPolicy::default().max_attempts(2)).resume_from(&next);
    let items: Vec<_> = resumed.items().try_collect().await.expect("retried once");
    assert_eq!(items.len(), 1);
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_takes_the_same_settings() {
    let server = Server::start_isolated(|i, _| match i {
        0 => unavailable(),
        _ => policy().after(Duration::from_millis(500)),
    });
    let client = ngrok_api::blocking::Client::builder()
        .api_key(support::KEY)
        .base_url(server.url())
        .retry_policy(RetryPolicy::default().max_attempts(5).base_delay(Duration::from_millis(1)))
        .build()
        .expect("client");
    let err = client.ip_policies().get("ipp_1").retry_policy(RetryPolicy::none()).send().expect_err("503");
    assert_eq!(err.attempts(), 1, "{err}");
    let err = client.ip_policies().get("ipp_1").timeout(Duration::from_millis(50)).retry_policy(RetryPolicy::none()).send().expect_err("slow");
    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Attempt), "{err}");
    let err = client.ip_policies().list().operation_timeout(Duration::from_millis(50)).send().expect_err("slow");
    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Operation), "{err}");
}
