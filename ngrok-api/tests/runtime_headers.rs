//! Every response header the runtime reads, sent hostile by a real server:
//! no value can panic the SDK, and an unreadable value is treated as absent.
//! Headers read: `Retry-After`, `ngrok-operation-id`, `Content-Length`.

mod support;

use std::time::Duration;

use ngrok_api::ErrorKind;
use serde_json::json;
use support::{Reply, Server, paused_builder};

/// Values no `Duration` can hold, or that are not a delay at all.
const HOSTILE_RETRY_AFTER: &[&str] = &[
    "1e20",
    "1e308",
    "99999999999999999999999999999",
    "18446744073709551616",
    "-1",
    "-1e20",
    "NaN",
    "inf",
    "soon",
    "Wed, 99 Oct 2015 07:28:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
];

fn policy_body() -> Reply {
    Reply::json(200, support::ip_policy("ipp_1"))
}

#[tokio::test(start_paused = true)]
async fn a_success_with_any_retry_after_decodes_normally() {
    for value in HOSTILE_RETRY_AFTER {
        let v = value.to_string();
        let server = Server::start(move |_, _| policy_body().header("retry-after", &v)).await;
        let client = paused_builder(&server).build().expect("client");
        let policy = client.ip_policies().get("ipp_1").await.unwrap_or_else(|e| panic!("Retry-After {value}: {e}"));
        assert_eq!(policy.id, "ipp_1");
        assert_eq!(server.count(), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn a_429_whose_retry_after_overflows_is_longer_than_the_cap_and_returned_at_once() {
    for value in ["1e20", "1e308", "99999999999999999999999999999", "inf", "Fri, 31 Dec 9999 23:59:59 GMT"] {
        let v = value.to_string();
        let server = Server::start(move |_, _| {
            Reply::api_error(429, "ERR_NGROK_226", "too many requests", "op_429").header("retry-after", &v)
        })
        .await;
        let client = paused_builder(&server).build().expect("client");
        let started = tokio::time::Instant::now();
        let err = client.ip_policies().get("ipp_1").await.expect_err("a 429");
        assert_eq!(server.count(), 1, "Retry-After {value}: no retry of a wait beyond the cap");
        assert_eq!(started.elapsed(), Duration::ZERO, "Retry-After {value}");
        let asked = err.retry_after().expect("the wait asked for is exposed");
        assert!(asked > Duration::from_secs(60 * 60 * 24 * 365), "Retry-After {value}: {asked:?}");
        assert!(!err.to_string().contains('\n'));
    }
}

#[tokio::test(start_paused = true)]
async fn a_429_whose_retry_after_is_unreadable_falls_back_to_backoff() {
    for value in ["-1", "-1e20", "NaN", "soon", "Wed, 99 Oct 2015 07:28:00 GMT"] {
        let v = value.to_string();
        let server = Server::start(move |i, _| match i {
            0 => Reply::api_error(429, "ERR_NGROK_226", "too many requests", "op_429").header("retry-after", &v),
            _ => policy_body(),
        })
        .await;
        let client = paused_builder(&server).build().expect("client");
        let started = tokio::time::Instant::now();
        client.ip_policies().get("ipp_1").await.unwrap_or_else(|e| panic!("Retry-After {value}: {e}"));
        assert_eq!(server.count(), 2, "Retry-After {value}: retried once");
        assert!(started.elapsed() <= Duration::from_millis(500), "Retry-After {value}: waited past the first backoff bound");
    }
}

#[tokio::test(start_paused = true)]
async fn paging_with_an_overflowing_retry_after_on_every_page_walks_to_the_end() {
    let server = Server::start(|i, req| {
        let next = (i < 3).then(|| format!("http://{}/api_keys?before_id=ak_{i}", req.header("host").unwrap_or("")));
        Reply::json(200, json!({"keys": [support::api_key(&format!("ak_{i}"))], "uri": "x", "next_page_uri": next}))
            .header("retry-after", "1e20")
    })
    .await;
    let client = paused_builder(&server).build().expect("client");
    let keys: Vec<_> = client.api_keys().list().items().try_collect().await.expect("no panic, no error");
    assert_eq!(keys.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn an_unreadable_operation_id_header_is_absent_and_a_plausible_one_is_kept() {
    let long = "o".repeat(4096);
    for (value, kept) in [("op_2xYz", true), (long.as_str(), false), ("op with spaces", false)] {
        let v = value.to_string();
        let server = Server::start(move |_, _| Reply::raw(500, "text/plain", "boom").header("ngrok-operation-id", &v)).await;
        let client = paused_builder(&server).retry_policy(ngrok_api::RetryPolicy::none()).build().expect("client");
        let err = client.ip_policies().get("ipp_1").await.expect_err("a 500");
        assert_eq!(err.kind(), ErrorKind::Api);
        assert_eq!(err.operation_id().is_some(), kept, "{value}: {err}");
        if kept {
            assert_eq!(err.operation_id(), Some(value));
        }
    }
}
