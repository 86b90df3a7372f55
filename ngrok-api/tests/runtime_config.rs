//! Configuration: a mistake in it is reported at once and never retried,
//! and every time limit is set the same way.

mod support;

use std::time::Duration;

use ngrok_api::{Client, ErrorKind, RetryPolicy};
use support::{KEY, Reply, Server, builder};

#[tokio::test(start_paused = true)]
async fn a_scheme_the_http_client_refuses_is_a_config_error_sent_never_and_not_retried() {
    let server = Server::start(|_, _| Reply::empty(200)).await;
    // The SDK's builder first: making one installs the TLS provider that
    // a reqwest client built with the SDK's reqwest needs.
    let sdk = builder(&server);
    // An HTTP client that speaks only https, aimed at a plain-http server.
    let https_only = ngrok_api::reqwest::Client::builder().https_only(true).build().expect("a reqwest client");
    let client = sdk
        .http_client(https_only)
        .retry_policy(RetryPolicy::default().max_attempts(5))
        .build()
        .expect("the base URL itself is fine");

    let started = tokio::time::Instant::now();
    let err = client.ip_policies().get("ipp_1").await.expect_err("the client cannot speak http");

    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    assert_eq!(err.attempts(), 1, "a configuration error was retried: {err}");
    assert_eq!(started.elapsed(), Duration::ZERO, "waited before giving up");
    assert_eq!(server.count(), 0);
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("scheme"), "the cause is missing: {err}");
}

#[tokio::test]
async fn an_unusable_key_is_a_config_error_on_every_call_and_nothing_is_sent() {
    let server = Server::start(|_, _| Reply::empty(200)).await;
    for key in ["", "  ", "bad\nkey"] {
        let client = Client::new(key);
        let err = client.ip_policies().get("ipp_1").await.expect_err("unusable key");
        assert_eq!(err.kind(), ErrorKind::Config, "{key:?}: {err}");
        assert_eq!(err.attempts(), 0, "{key:?}: {err}");
        assert!(!err.to_string().contains('\n'), "{err}");
    }
    assert_eq!(server.count(), 0);
}

#[test]
fn bad_base_urls_are_refused_when_the_client_is_built() {
    for url in ["ftp://api.example", "not a url", "https://", "http://api.example.com", "mailto:x@example.com"] {
        let err = Client::builder().api_key(KEY).base_url(url).build().expect_err(url);
        assert_eq!(err.kind(), ErrorKind::Config, "{url}: {err}");
    }
}

#[test]
fn every_timeout_takes_a_duration_or_none() {
    let five = Duration::from_secs(5);
    for b in [
        Client::builder().api_key(KEY).connect_timeout(five).timeout(five).operation_timeout(five),
        Client::builder().api_key(KEY).connect_timeout(None).timeout(None).operation_timeout(None),
        Client::builder().api_key(KEY).connect_timeout(Some(five)).timeout(Some(five)).operation_timeout(Some(five)),
    ] {
        let shown = format!("{b:?}");
        b.build().unwrap_or_else(|e| panic!("{shown}: {e}"));
    }
    let shown = format!("{:?}", Client::builder().connect_timeout(None));
    assert!(shown.contains("connect_timeout: None"), "{shown}");
}
