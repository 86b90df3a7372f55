//! `ngrok_api::blocking::Client::builder()`: every option of the async
//! builder, set the same way, reaches the blocking client's calls.
#![cfg(feature = "blocking")]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use ngrok_api::{ErrorKind, RetryPolicy, TimeoutKind};
use ngrok_api::observe::{AttemptFinished, Observer};
use support::{KEY, Reply, Server};

#[derive(Default)]
struct Attempts(AtomicU32);

impl Observer for Attempts {
    fn attempt_finished(&self, _: &AttemptFinished<'_>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn the_builders_options_reach_every_call() {
    let server = Server::start_isolated(|i, _| match i {
        0 => Reply::api_error(503, "ERR_NGROK_500", "unavailable", "op_1"),
        _ => Reply::json(200, support::ip_policy("ipp_1")),
    });
    let attempts = Arc::new(Attempts::default());
    let client = ngrok_api::blocking::Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .observer(attempts.clone())
        .user_agent_suffix("controller/1.0")
        .retry_policy(RetryPolicy::default().max_attempts(2).base_delay(Duration::from_millis(1)))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("a blocking client");

    let policy = client.ip_policies().get("ipp_1").send().expect("the retry succeeds");

    assert_eq!(policy.id, "ipp_1");
    assert_eq!(server.count(), 2, "the 503 was retried once, as the policy says");
    assert_eq!(attempts.0.load(Ordering::Relaxed), 2, "the observer saw both attempts");
    let sent = server.requests();
    let agent = sent[0].header("user-agent").unwrap_or_default().to_string();
    assert!(agent.ends_with(" controller/1.0"), "{agent}");
    assert_eq!(sent[0].header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert!(!format!("{client:?}").contains(KEY));
}

#[test]
fn the_attempt_timeout_and_a_retry_policy_of_none_are_applied() {
    let server = Server::start_isolated(|_, _| Reply::json(200, support::ip_policy("ipp_1")).after(Duration::from_secs(5)));
    let client = ngrok_api::blocking::Client::builder()
        .api_key(KEY)
        .base_url(server.url())
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a blocking client");

    let started = Instant::now();
    let err = client.ip_policies().get("ipp_1").send().expect_err("the server is too slow");

    assert_eq!(err.kind(), ErrorKind::Timeout(TimeoutKind::Attempt), "{err}");
    assert_eq!(err.attempts(), 1, "{err}");
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
}

#[test]
fn a_bad_configuration_is_refused_when_built() {
    let err = ngrok_api::blocking::Client::builder().api_key(KEY).base_url("ftp://api.example").build().expect_err("a bad base URL");
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    let err = ngrok_api::blocking::Client::builder().base_url("https://api.example").build().expect_err("no key");
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
}

#[test]
fn an_async_builder_converts_with_its_settings() {
    let server = Server::start_isolated(|_, _| Reply::json(200, support::ip_policy("ipp_1")));
    let builder = ngrok_api::Client::builder().api_key(KEY).base_url(server.url()).rate_limit(1, Duration::from_millis(300));
    let client = ngrok_api::blocking::ClientBuilder::from(builder).build().expect("a blocking client");
    let started = Instant::now();
    for _ in 0..2 {
        client.ip_policies().get("ipp_1").send().expect("a get");
    }
    assert!(started.elapsed() >= Duration::from_millis(300), "the rate limit was not applied: {:?}", started.elapsed());
}
