//! The call span carries OpenTelemetry's HTTP client fields beside the
//! crate's own, read here by a subscriber that keeps every field of every
//! span; and none of them holds the key, a query or a body.

mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use ngrok_api::RetryPolicy;
use serde_json::json;
use support::{KEY, Reply, Server, paused_builder};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Every span's name and fields, as text, in the order spans were made.
#[derive(Default)]
struct Capture {
    spans: Mutex<Vec<(String, BTreeMap<String, String>)>>,
    events: Mutex<Vec<String>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push((attrs.metadata().name().to_string(), fields));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        if let Some((_, fields)) = usize::try_from(span.into_u64()).ok().and_then(|i| spans.get_mut(i - 1)) {
            values.record(&mut Fields(fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.events.lock().unwrap().push(format!("{fields:?}"));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

impl Capture {
    fn calls(&self) -> Vec<BTreeMap<String, String>> {
        self.spans.lock().unwrap().iter().filter(|(name, _)| name == "ngrok_api.call").map(|(_, f)| f.clone()).collect()
    }
}

#[tokio::test(start_paused = true)]
async fn the_call_span_has_the_http_client_conventions_fields() {
    let capture = Arc::new(Capture::default());
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = Server::start(|i, _| match i {
        0 => Reply::api_error(503, "ERR_NGROK_1", "unavailable", "op_1"),
        1 => Reply::json(200, support::ip_policy("ipp_1")),
        _ => Reply::api_error(404, "ERR_NGROK_404", "not found", "op_2"),
    })
    .await;
    let client = paused_builder(&server).build().expect("client");
    let port = server.url().rsplit(':').next().unwrap_or_default().to_string();

    client.ip_policies().get("ipp_1").await.expect("retried once");
    client.ip_policies().get("ipp_2").retry_policy(RetryPolicy::none()).await.expect_err("404");

    let calls = capture.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    let ok = &calls[0];
    let want = [
        ("http.request.method", "GET"),
        ("url.template", "/ip_policies/{id}"),
        ("server.address", "127.0.0.1"),
        ("server.port", port.as_str()),
        ("http.response.status_code", "200"),
        ("http.request.resend_count", "1"),
        ("otel.name", "GET /ip_policies/{id}"),
        ("otel.kind", "client"),
        // The crate's own fields stay.
        ("operation", "ip_policies.get"),
        ("path", "/ip_policies/ipp_1"),
        ("status", "200"),
        ("attempts", "2"),
    ];
    for (name, value) in want {
        assert_eq!(ok.get(name).map(String::as_str), Some(value), "{name} in {ok:?}");
    }
    assert!(!ok.contains_key("error.type") && !ok.contains_key("otel.status_code"), "{ok:?}");

    let failed = &calls[1];
    for (name, value) in [("http.response.status_code", "404"), ("error.type", "404"), ("otel.status_code", "ERROR"), ("error", "Api")] {
        assert_eq!(failed.get(name).map(String::as_str), Some(value), "{name} in {failed:?}");
    }
    assert!(!failed.contains_key("http.request.resend_count"), "sent once: {failed:?}");
}

#[tokio::test(start_paused = true)]
async fn a_failure_without_a_response_has_an_error_type_and_no_secret_is_in_any_field() {
    let capture = Arc::new(Capture::default());
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = Server::start(|_, _| Reply::json(200, json!({"keys": [], "uri": "", "next_page_uri": null}))).await;
    let client = paused_builder(&server).build().expect("client");
    client.api_keys().list().filter(format!("obj.id == '{KEY}'")).before_id(KEY).await.expect("listed");
    let _ = client.raw(ngrok_api::Method::POST, "/things/{id}").path_param("id", "th_1").query("token", KEY).body(json!({"secret": KEY})).await;

    let refused = ngrok_api::Client::builder()
        .api_key(KEY)
        .base_url(support::refused_port_url())
        .http_client(support::timerless_http())
        .timeout(None)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    refused.ip_policies().get("ipp_1").await.expect_err("nothing listens");

    let calls = capture.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert_eq!(calls[1].get("url.template").map(String::as_str), Some("/things/{id}"));
    assert_eq!(calls[2].get("error.type").map(String::as_str), Some("connect_error"), "{:?}", calls[2]);
    assert!(!calls[2].contains_key("http.response.status_code"));
    let everything = format!("{:?} {:?}", capture.spans.lock().unwrap(), capture.events.lock().unwrap());
    assert!(!everything.contains(KEY), "a secret in a span or event: {everything}");
}
