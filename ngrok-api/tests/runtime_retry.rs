//! Retries: which responses and failures are retried for which methods,
//! how long the client waits (full-jitter backoff, `Retry-After`), and the
//! client-side rate limiter. Time is tokio's paused clock: waits cost
//! nothing and are measured exactly, from the server's side.

mod support;

use std::time::Duration;

use ngrok_api::{ErrorKind, RetryPolicy};
use support::{Reply, Server, paused_builder, refused_port_url};
use tokio::time::Instant;

fn policy_body() -> Reply {
    Reply::json(200, support::ip_policy("ipp_1"))
}

/// The gaps between consecutive requests, on the server's clock.
fn gaps(server: &Server) -> Vec<Duration> {
    server.requests().windows(2).map(|w| w[1].at - w[0].at).collect()
}

#[tokio::test(start_paused = true)]
async fn retry_after_seconds_is_waited_out_then_the_get_succeeds_with_two_requests() {
    let server = Server::start(|i, _| match i {
        0 => Reply::api_error(429, "ERR_NGROK_226", "too many requests", "op_429").header("retry-after", "2"),
        _ => policy_body(),
    })
    .await;
    let client = paused_builder(&server).build().expect("client");

    let started = Instant::now();
    let policy = client.ip_policies().get("ipp_1").await.expect("the retry succeeds");
    let elapsed = started.elapsed();

    assert_eq!(policy.id, "ipp_1");
    assert_eq!(server.count(), 2, "one 429, one success");
    assert!(elapsed >= Duration::from_secs(2), "returned after {elapsed:?}, before Retry-After ran out");
    assert!(elapsed < Duration::from_secs(3), "waited {elapsed:?}, far longer than Retry-After");
    assert!(gaps(&server)[0] >= Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_is_waited_out() {
    // Retry-After dates are wall-clock times; make one 4 s ahead (whole
    // seconds, and some slack for a slow machine before the 429 is read).
    let when = time::OffsetDateTime::now_utc() + time::Duration::seconds(4);
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let date = when.format(&format).expect("format an HTTP date");
    let server = Server::start(move |i, _| match i {
        0 => Reply::api_error(429, "ERR_NGROK_226", "too many requests", "op_429").header("retry-after", &date),
        _ => policy_body(),
    })
    .await;
    let client = paused_builder(&server).build().expect("client");

    let started = Instant::now();
    client.ip_policies().get("ipp_1").await.expect("the retry succeeds");
    let elapsed = started.elapsed();

    assert_eq!(server.count(), 2);
    // The date has whole seconds, so the wait is between 3 and 4 s.
    assert!(elapsed >= Duration::from_secs(2), "returned after {elapsed:?}");
    assert!(elapsed <= Duration::from_secs(4), "waited {elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn retry_after_beyond_the_cap_returns_the_429_at_once_with_retry_after() {
    let in_an_hour = (time::OffsetDateTime::now_utc() + time::Duration::hours(1))
        .format(&time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ))
        .expect("format an HTTP date");
    for header in ["3600".to_string(), in_an_hour] {
        let value = header.clone();
        let server = Server::start(move |_, _| {
            Reply::api_error(429, "ERR_NGROK_226", "too many requests", "op_429").header("retry-after", &value)
        })
        .await;
        let client = paused_builder(&server).build().expect("client");

        let started = Instant::now();
        let err = client.ip_policies().get("ipp_1").await.expect_err("a 429 that asks for an hour");
        let elapsed = started.elapsed();

        assert_eq!(server.count(), 1, "Retry-After `{header}`: must neither wait an hour nor retry early");
        assert_eq!(elapsed, Duration::ZERO, "Retry-After `{header}`: waited {elapsed:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
        let asked = err.retry_after().expect("retry_after() is exposed");
        assert!(asked > Duration::from_secs(3590) && asked <= Duration::from_secs(3600), "{asked:?}");
        assert!(err.is_rate_limited());
        assert_eq!(err.error_code(), Some("ERR_NGROK_226"));
        assert!(err.to_string().contains("retry after"), "{err}");
    }
}

#[tokio::test(start_paused = true)]
async fn get_answered_503_three_times_fails_after_three_requests_each_delay_within_its_jitter_bound() {
    let server = Server::start(|_, _| Reply::api_error(503, "ERR_NGROK_500", "unavailable", "op_503")).await;
    let client = paused_builder(&server).build().expect("client");

    let err = client.ip_policies().get("ipp_1").await.expect_err("always 503");

    assert_eq!(server.count(), 3, "3 attempts in all by default");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), 3);
    assert!(err.is_retryable());
    let gaps = gaps(&server);
    let policy = RetryPolicy::default();
    assert_eq!(policy.delay_bound(1), Duration::from_millis(500));
    assert_eq!(policy.delay_bound(2), Duration::from_secs(1));
    for (retry, gap) in gaps.iter().enumerate() {
        let bound = policy.delay_bound(retry as u32 + 1);
        assert!(*gap <= bound, "delay before retry {} was {gap:?}, over its bound {bound:?}", retry + 1);
    }
}

#[tokio::test(start_paused = true)]
async fn backoff_delays_are_randomly_spread_below_their_bound() {
    let server = Server::start(|_, _| Reply::empty(503)).await;
    let client = paused_builder(&server).retry_policy(RetryPolicy::default().max_attempts(2)).build().expect("client");

    for _ in 0..20 {
        let _ = client.ip_policies().get("ipp_1").await.expect_err("always 503");
    }

    let delays: Vec<Duration> = gaps(&server).into_iter().step_by(2).collect();
    assert_eq!(delays.len(), 20);
    assert!(delays.iter().all(|d| *d <= Duration::from_millis(500)), "{delays:?}");
    let mut distinct = delays.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() > 10, "full jitter should spread delays: {delays:?}");
    assert!(delays.iter().any(|d| *d < Duration::from_millis(400)), "no short delay in {delays:?}");
}

#[tokio::test(start_paused = true)]
async fn a_custom_retry_policy_sets_attempts_and_delay_bounds() {
    let server = Server::start(|_, _| Reply::empty(502)).await;
    let policy = RetryPolicy::default().max_attempts(5).base_delay(Duration::from_secs(1)).max_delay(Duration::from_secs(2));
    let client = paused_builder(&server).retry_policy(policy.clone()).build().expect("client");

    let err = client.ip_policies().get("ipp_1").await.expect_err("always 502");

    assert_eq!(server.count(), 5);
    assert_eq!(err.attempts(), 5);
    for (retry, gap) in gaps(&server).iter().enumerate() {
        assert!(*gap <= policy.delay_bound(retry as u32 + 1), "retry {}: {gap:?}", retry + 1);
        assert!(*gap <= Duration::from_secs(2));
    }
}

#[tokio::test(start_paused = true)]
async fn retry_policy_none_sends_once() {
    let server = Server::start(|_, _| Reply::empty(503)).await;
    let client = paused_builder(&server).retry_policy(RetryPolicy::none()).build().expect("client");

    let err = client.ip_policies().get("ipp_1").await.expect_err("503");

    assert_eq!(server.count(), 1);
    assert_eq!(err.attempts(), 1);
}

#[tokio::test(start_paused = true)]
async fn get_retries_429_502_503_504_but_no_other_status() {
    for (status, expected) in [(429, 3), (502, 3), (503, 3), (504, 3), (500, 1), (501, 1), (400, 1), (409, 1)] {
        let server = Server::start(move |_, _| Reply::empty(status)).await;
        let client = paused_builder(&server).build().expect("client");
        let err = client.ip_policies().get("ipp_1").await.expect_err("an error status");
        assert_eq!(server.count(), expected, "GET answered {status}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    }
}

#[tokio::test(start_paused = true)]
async fn put_and_delete_are_retried_like_get() {
    let server = Server::start(|_, _| Reply::empty(503)).await;
    let client = paused_builder(&server).build().expect("client");

    client.ip_policies().delete("ipp_1").await.expect_err("503");
    assert_eq!(server.count(), 3, "DELETE is idempotent");

    let server = Server::start(|_, _| Reply::empty(503)).await;
    let client = paused_builder(&server).build().expect("client");
    client
        .edge_modules()
        .https_edge_route_circuit_breaker()
        .replace("edghts_1", "edghtsrt_1")
        .enabled(true)
        .await
        .expect_err("503");
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["PUT", "PUT", "PUT"], "PUT is idempotent");
}

#[tokio::test(start_paused = true)]
async fn post_answered_500_is_sent_exactly_once() {
    let server = Server::start(|_, _| Reply::api_error(500, "ERR_NGROK_500", "internal error", "op_500")).await;
    let client = paused_builder(&server).build().expect("client");

    let err = client.ip_policies().create().description("office").await.expect_err("500");

    assert_eq!(server.count(), 1);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test(start_paused = true)]
async fn post_and_patch_are_never_retried_after_a_5xx() {
    for status in [500, 502, 503, 504] {
        let server = Server::start(move |_, _| Reply::empty(status)).await;
        let client = paused_builder(&server).build().expect("client");
        client.ip_policies().create().await.expect_err("5xx");
        client.ip_policies().update("ipp_1").description("x").await.expect_err("5xx");
        let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
        assert_eq!(methods, ["POST", "PATCH"], "status {status}: a POST or PATCH that reached the server must not be repeated");
    }
}

#[tokio::test(start_paused = true)]
async fn post_answered_429_is_retried_because_the_server_refused_it_unprocessed() {
    let server = Server::start(|i, _| match i {
        0 => Reply::api_error(429, "ERR_NGROK_226", "too many requests", "op_1"),
        _ => Reply::json(201, support::ip_policy("ipp_new")),
    })
    .await;
    let client = paused_builder(&server).build().expect("client");

    let policy = client.ip_policies().create().await.expect("created on the retry");

    assert_eq!(policy.id, "ipp_new");
    assert_eq!(server.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn post_to_a_refused_port_is_retried() {
    let client = ngrok_api::Client::builder()
        .api_key(support::KEY)
        .base_url(refused_port_url())
        .http_client(support::timerless_http())
        .timeout(None)
        .build()
        .expect("client");

    let err = client.ip_policies().create().description("office").await.expect_err("nothing listens");

    assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
    assert_eq!(err.attempts(), 3, "a refused connection never reached the server, so even a POST is retried");
    assert!(err.is_retryable());

    let once = ngrok_api::Client::builder()
        .api_key(support::KEY)
        .base_url(refused_port_url())
        .http_client(support::timerless_http())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let err = once.ip_policies().create().await.expect_err("nothing listens");
    assert_eq!(err.attempts(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_rate_limiter_spaces_calls_to_fit_the_window() {
    let server = Server::start(|_, _| policy_body()).await;
    let client = paused_builder(&server).rate_limit(2, Duration::from_secs(10)).build().expect("client");

    let started = Instant::now();
    for _ in 0..5 {
        client.ip_policies().get("ipp_1").await.expect("200");
    }
    let elapsed = started.elapsed();

    let at: Vec<Duration> = server.requests().iter().map(|r| r.at - server.requests()[0].at).collect();
    assert_eq!(at.len(), 5);
    // Any two requests two apart are at least one window apart.
    for i in 2..at.len() {
        assert!(at[i] - at[i - 2] >= Duration::from_secs(10), "requests {} and {i} at {:?} and {:?}", i - 2, at[i - 2], at[i]);
    }
    assert!(elapsed < Duration::from_secs(21), "waited longer than needed: {elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn without_a_rate_limit_calls_go_out_at_once() {
    let server = Server::start(|_, _| policy_body()).await;
    let client = paused_builder(&server).build().expect("client");

    let started = Instant::now();
    for _ in 0..5 {
        client.ip_policies().get("ipp_1").await.expect("200");
    }

    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(server.count(), 5);
}

/// A retried call goes to exactly where its first attempt went, whatever
/// kind of address it has: a path with an encoded parameter, a query, or
/// a `next_page_uri` picked up by `resume_from`.
#[tokio::test(start_paused = true)]
async fn every_attempt_of_a_retried_call_goes_to_the_same_path_and_query() {
    let server = Server::start(|i, _| match i % 2 {
        0 => Reply::empty(503),
        _ => Reply::json(200, serde_json::json!({"keys": [], "uri": "", "next_page_uri": null})),
    })
    .await;
    let client = paused_builder(&server).build().expect("client");
    let mut pages = client.api_keys().list().limit(7).pages();
    pages.try_next().await.expect("the retry succeeds");
    let next = format!("{}/api_keys?limit=7&before_id=ak_1", server.url());
    let mut resumed = client.api_keys().list().resume_from(next).prefetch(false);
    resumed.try_next().await.expect("the retry succeeds");
    let _ = client.api_keys().get("ak 1/x").await;

    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets.len(), 6, "{targets:?}");
    assert_eq!(&targets[..2], ["/api_keys?limit=7", "/api_keys?limit=7"]);
    assert_eq!(&targets[2..4], ["/api_keys?limit=7&before_id=ak_1", "/api_keys?limit=7&before_id=ak_1"]);
    assert_eq!(&targets[4..], ["/api_keys/ak%201%2Fx", "/api_keys/ak%201%2Fx"]);
}
