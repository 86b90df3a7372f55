//! Timeouts and cancellation against servers that never answer.
//!
//! These run on the real clock with short limits. A paused clock cannot
//! be used here: tokio advances paused time whenever the runtime waits on
//! a socket with a timer armed, so the per-attempt timer would fire before
//! the request even reached the server.

mod support;

use std::future::IntoFuture;
use std::time::Duration;

use ngrok_api::{ErrorKind, RetryPolicy, TimeoutKind};
use support::{Reply, Server, builder};

const SHORT: Duration = Duration::from_millis(300);

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(10)).max_delay(Duration::from_millis(20))
}

/// Waits (real time, at most 5 s) until `done` holds.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn silent_server_per_attempt_timeout_makes_three_requests_then_says_attempt_timeout() {
    let server = Server::start(|_, _| Reply::Hang).await;
    let client = builder(&server).timeout(Some(SHORT)).retry_policy(quick_retries()).build().expect("client");

    let err = client.ip_policies().get("ipp_1").await.expect_err("the server never answers");

    assert_eq!(server.count(), 3, "a timed-out GET is retried up to 3 attempts in all");
    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Attempt), "{err:?}");
    assert!(err.is_timeout());
    assert_eq!(err.attempts(), 3);
    let shown = err.to_string();
    assert!(shown.contains("per-attempt timeout of 0.3s"), "{shown}");
    assert!(shown.contains("ip_policies.get"), "{shown}");
}

#[tokio::test]
async fn a_body_that_stalls_after_its_first_chunk_is_cut_by_the_attempt_timeout() {
    // Headers and the first piece of the body arrive, then nothing: the
    // attempt timeout covers reading the body too.
    let server = Server::start(|_, _| Reply::streamed(200, "application/json", [&b"{\"id\": \"ipp_1\""[..]], Duration::ZERO).then_stall()).await;
    let client = builder(&server).timeout(Some(SHORT)).retry_policy(quick_retries()).build().expect("client");

    let started = std::time::Instant::now();
    let err = client.ip_policies().get("ipp_1").await.expect_err("the body never ends");

    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Attempt), "{err:?}");
    assert_eq!(server.count(), 3, "each attempt was cut and the GET retried");
    assert!(started.elapsed() >= SHORT * 3, "each attempt waited its full timeout");
}

#[tokio::test]
async fn silent_server_operation_timeout_makes_one_request_then_says_operation_timeout() {
    let server = Server::start(|_, _| Reply::Hang).await;
    let client = builder(&server)
        .timeout(Some(Duration::from_secs(20)))
        .operation_timeout(Some(SHORT))
        .build()
        .expect("client");

    let started = std::time::Instant::now();
    let err = client.ip_policies().get("ipp_1").await.expect_err("the server never answers");

    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!(server.count(), 1);
    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Operation), "{err:?}");
    assert!(err.to_string().contains("operation timeout of 0.3s"), "{err}");
}

#[tokio::test]
async fn operation_timeout_also_bounds_the_waits_between_retries() {
    let server = Server::start(|_, _| Reply::empty(503).header("retry-after", "10")).await;
    let client = builder(&server).operation_timeout(Some(SHORT)).build().expect("client");

    let started = std::time::Instant::now();
    let err = client.ip_policies().get("ipp_1").await.expect_err("the wait is longer than the operation may take");

    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.count(), 1);
    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Operation));
}

#[tokio::test]
async fn post_whose_attempt_timed_out_is_not_retried() {
    let server = Server::start(|_, _| Reply::Hang).await;
    let client = builder(&server).timeout(Some(SHORT)).retry_policy(quick_retries()).build().expect("client");

    let err = client.ip_policies().create().description("office").await.expect_err("the server never answers");

    assert_eq!(server.count(), 1, "the POST may have been processed: never repeat it");
    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Attempt));
}

#[tokio::test]
async fn connect_timeout_says_connect_timeout() {
    // A listener with a backlog of 0 that never accepts: once its queue is
    // full the kernel drops further SYNs, so connecting hangs.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind("127.0.0.1:0".parse().expect("address")).expect("bind");
    let addr = socket.local_addr().expect("address");
    let _listener = socket.listen(0).expect("listen");
    let mut queued = Vec::new();
    let mut full = false;
    for _ in 0..16 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => queued.push(stream),
            Err(_) => {
                full = true;
                break;
            }
        }
    }
    assert!(full, "could not fill the accept queue of {addr}");

    let client = ngrok_api::Client::builder()
        .api_key(support::KEY)
        .base_url(format!("http://{addr}"))
        .connect_timeout(SHORT)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let err = client.ip_policies().get("ipp_1").await.expect_err("cannot connect");

    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Connect), "{err:?}");
    assert!(err.to_string().contains("connect timeout of 0.3s"), "{err}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn dropping_a_call_future_cancels_the_request_and_leaves_no_task_behind() {
    let server = Server::start_isolated(|_, _| Reply::Hang);
    let client = builder(&server).build().expect("client");
    let metrics = tokio::runtime::Handle::current().metrics();
    let baseline = metrics.num_alive_tasks();

    let call = client.ip_policies().get("ipp_1").into_future();
    tokio::select! {
        result = call => panic!("a silent server cannot answer: {result:?}"),
        _ = eventually("the request reaches the server", || server.count() == 1) => {}
    }
    // The call future was dropped when `select!` finished.

    eventually("the server sees the client hang up", || server.abandoned() == 1).await;
    eventually("the client's tasks are gone", || metrics.num_alive_tasks() == baseline).await;
    assert_eq!(server.count(), 1, "nothing is retried after the caller gave up");
}
