//! Observation hooks: an observer set on the builder is told of every
//! attempt started and finished, every retry scheduled and every
//! rate-limit wait, naming the call by its operation, method and path
//! template, and is never shown the key, a token, a query or a body.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ngrok_api::observe::{AttemptFinished, AttemptStarted, Observer, RateLimitWait, RetryReason, RetryScheduled};
use ngrok_api::{ErrorKind, RetryPolicy, StatusCode};
use serde_json::json;
use support::{KEY, Reply, Server, paused_builder};

/// Every event, as its `Debug` text, in order.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl Recorder {
    fn push(&self, event: String) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(event);
    }

    fn events(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Observer for Recorder {
    fn attempt_started(&self, e: &AttemptStarted<'_>) {
        self.push(format!("started {e:?}"));
    }
    fn attempt_finished(&self, e: &AttemptFinished<'_>) {
        self.push(format!("finished {e:?}"));
    }
    fn retry_scheduled(&self, e: &RetryScheduled<'_>) {
        self.push(format!("retry {e:?}"));
    }
    fn rate_limit_wait(&self, e: &RateLimitWait<'_>) {
        self.push(format!("wait {e:?}"));
    }
}

/// A finished attempt's number, status, ngrok error code and error kind.
type Finished = (u32, Option<StatusCode>, Option<String>, Option<ErrorKind>);

/// The structured events of one kind each, to check their fields.
#[derive(Default)]
struct Fields {
    started: Mutex<Vec<(String, String, String, u32)>>,
    finished: Mutex<Vec<Finished>>,
    retries: Mutex<Vec<(u32, Duration, RetryReason, bool)>>,
    waits: Mutex<Vec<Duration>>,
}

impl Observer for Fields {
    fn attempt_started(&self, e: &AttemptStarted<'_>) {
        let c = e.call;
        self.started.lock().unwrap().push((c.operation.to_string(), c.method.to_string(), c.url_template.to_string(), e.attempt));
    }
    fn attempt_finished(&self, e: &AttemptFinished<'_>) {
        self.finished.lock().unwrap().push((e.attempt, e.status, e.error_code.map(String::from), e.error));
    }
    fn retry_scheduled(&self, e: &RetryScheduled<'_>) {
        self.retries.lock().unwrap().push((e.attempt, e.delay, e.reason, e.server_asked));
    }
    fn rate_limit_wait(&self, e: &RateLimitWait<'_>) {
        self.waits.lock().unwrap().push(e.delay);
    }
}

#[tokio::test(start_paused = true)]
async fn attempts_retries_and_rate_limit_waits_are_reported_with_their_facts() {
    let server = Server::start(|i, _| match i {
        0 => Reply::api_error(503, "ERR_NGROK_9999", "unavailable", "op_1").header("retry-after", "2"),
        _ => Reply::json(200, support::ip_policy("ipp_1")),
    })
    .await;
    let fields = Arc::new(Fields::default());
    let client = paused_builder(&server).observer(fields.clone()).rate_limit(2, Duration::from_secs(10)).build().expect("client");

    client.ip_policies().get("ipp_1").await.expect("the retry succeeds");
    client.ip_policies().get("ipp_2").await.expect("after a rate-limit wait");

    let started = fields.started.lock().unwrap().clone();
    let template = ("ip_policies.get".to_string(), "GET".to_string(), "/ip_policies/{id}".to_string());
    assert_eq!(started.len(), 3, "{started:?}");
    for (i, s) in started.iter().enumerate() {
        assert_eq!((s.0.clone(), s.1.clone(), s.2.clone()), template);
        assert_eq!(s.3, if i == 1 { 2 } else { 1 });
    }
    let finished = fields.finished.lock().unwrap().clone();
    assert_eq!(finished[0], (1, Some(StatusCode::SERVICE_UNAVAILABLE), Some("ERR_NGROK_9999".to_string()), Some(ErrorKind::Api)));
    assert_eq!(finished[1], (2, Some(StatusCode::OK), None, None));
    assert_eq!(finished[2], (1, Some(StatusCode::OK), None, None));
    let retries = fields.retries.lock().unwrap().clone();
    assert_eq!(retries, vec![(1, Duration::from_secs(2), RetryReason::Status(StatusCode::SERVICE_UNAVAILABLE), true)]);
    // The third request is the third in 10 s: it waits out the window.
    let waits = fields.waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(waits[0] > Duration::from_secs(7) && waits[0] <= Duration::from_secs(10), "{waits:?}");
}

#[tokio::test(start_paused = true)]
async fn a_failed_connection_is_reported_as_one() {
    let fields = Arc::new(Fields::default());
    let client = ngrok_api::Client::builder()
        .api_key(KEY)
        .base_url(support::refused_port_url())
        .http_client(support::timerless_http())
        .timeout(None)
        .retry_policy(RetryPolicy::default().max_attempts(2))
        .observer(fields.clone())
        .build()
        .expect("client");
    client.ip_policies().create().await.expect_err("nothing listens");
    let finished = fields.finished.lock().unwrap().clone();
    assert_eq!(finished.len(), 2);
    assert_eq!(finished[0].1, None);
    assert_eq!(finished[0].3, Some(ErrorKind::Connect));
    let retries = fields.retries.lock().unwrap().clone();
    assert_eq!(retries.len(), 1);
    assert_eq!(retries[0].2, RetryReason::Connect);
    assert!(!retries[0].3, "the policy's backoff, not the server's");
}

#[tokio::test(start_paused = true)]
async fn no_secret_reaches_an_observer() {
    const TOKEN: &str = "2xTOKENsecretTOKEN_from_the_server";
    // The server echoes secrets everywhere it can: a token in the body of
    // a success, the key in an error's message and details, and a
    // next_page_uri whose query holds the key.
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let server = Server::start(move |i, req| {
        let base = b.get().map(String::as_str).unwrap_or("");
        match (i, req.method.as_str()) {
            (0, _) => Reply::api_error(429, "ERR_NGROK_1", &format!("bad key {KEY}"), &format!("op_{KEY}")).header("retry-after", "1"),
            (_, "POST") => Reply::json(200, support::with(support::api_key("ak_1"), json!({"token": TOKEN, "description": KEY}))),
            (_, "GET") if req.target.contains("before_id") => Reply::json(200, json!({"keys": [], "uri": "", "next_page_uri": null})),
            (_, "GET") => Reply::json(200, json!({"keys": [support::api_key("ak_1")], "uri": "", "next_page_uri": format!("{base}/api_keys?before_id={KEY}&token={TOKEN}")})),
            _ => Reply::api_error(400, KEY, &format!("{KEY} {TOKEN}"), "op_2"),
        }
    })
    .await;
    base.set(server.url()).expect("set once");
    let recorder = Arc::new(Recorder::default());
    let client = paused_builder(&server).observer(recorder.clone()).rate_limit(1, Duration::from_secs(1)).build().expect("client");

    // The key as a path parameter, in a query, in a request body.
    client.api_keys().create().description(KEY).metadata(TOKEN).await.expect("created after a retry");
    let _ = client.api_keys().list().before_id(KEY).items().try_collect::<Vec<_>>().await.expect("a walk");
    let _ = client.api_keys().get(KEY).await;
    let _ = client.api_keys().update(TOKEN).description(KEY).await;
    let _ = client.api_keys().list().filter(format!("obj.id == '{KEY}'")).await;

    let events = recorder.events();
    assert!(events.iter().any(|e| e.starts_with("retry")), "{events:?}");
    assert!(events.iter().any(|e| e.starts_with("wait")), "{events:?}");
    assert!(events.iter().any(|e| e.contains("/api_keys/{id}")), "{events:?}");
    for event in &events {
        for secret in [KEY, TOKEN, "2xSECRET", "TOKENsecret"] {
            assert!(!event.contains(secret), "an observer saw a secret: {event}");
        }
        assert!(!event.contains('?'), "an observer saw a query: {event}");
    }
}
