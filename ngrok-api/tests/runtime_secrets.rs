//! Secrets stay secret: no `Debug`, `Display` or log line shows the API
//! key, and secret response fields are redacted in `Debug` while staying
//! readable through their fields.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use ngrok_api::types::{ApiKey, ApiKeyList, Credential};
use ngrok_api::{Client, RetryPolicy};
use serde_json::json;
use support::{KEY, Reply, Server, builder, refused_port_url};

fn assert_no_key(what: &str, text: &str) {
    assert!(!text.contains(KEY), "{what} shows the API key: {text}");
    // Not even a recognisable piece of it.
    assert!(!text.contains(&KEY[5..20]), "{what} shows part of the API key: {text}");
}

#[tokio::test]
async fn debug_of_client_builder_and_requests_never_shows_the_key() {
    let built = Client::builder().api_key(KEY).base_url("http://127.0.0.1:9").build().expect("client");
    let lenient = Client::new(KEY);
    let builder = Client::builder().api_key(KEY).rate_limit(120, Duration::from_secs(60));

    assert_no_key("Client", &format!("{built:?} {built:#?}"));
    assert_no_key("Client::new", &format!("{lenient:?}"));
    assert_no_key("ClientBuilder", &format!("{builder:?} {builder:#?}"));
    assert!(format!("{builder:?}").contains("redacted"), "says a key is set: {builder:?}");
    assert_no_key("a service", &format!("{:?}", built.api_keys()));
    assert_no_key("a create request", &format!("{:?}", built.api_keys().create().description("d")));
    assert_no_key("a get request", &format!("{:?}", built.api_keys().get("ak_1")));
    assert_no_key("a list request", &format!("{:?}", built.api_keys().list().limit(5)));
    assert_no_key("a page stream", &format!("{:?}", built.api_keys().list().pages()));
    assert_no_key("an item stream", &format!("{:?}", built.api_keys().list().items()));
    assert_no_key(
        "a resumed page stream",
        &format!("{:?}", built.api_keys().list().resume_from("http://127.0.0.1:9/api_keys")),
    );
}

#[tokio::test]
async fn errors_never_show_the_key() {
    let mut errors = Vec::new();

    // An API error, with the key echoed nowhere but the request header.
    let server = Server::start(|_, _| Reply::api_error(401, "ERR_NGROK_201", "bad credentials", "op_1")).await;
    let client = builder(&server).build().expect("client");
    errors.push(client.api_keys().get("ak_1").await.expect_err("401"));

    // A connection failure and a timeout.
    let refused = Client::builder().api_key(KEY).base_url(refused_port_url()).retry_policy(RetryPolicy::none()).build().expect("client");
    errors.push(refused.api_keys().get("ak_1").await.expect_err("refused"));
    let silent = Server::start(|_, _| Reply::Hang).await;
    let impatient = builder(&silent).timeout(Some(Duration::from_millis(50))).retry_policy(RetryPolicy::none()).build().expect("client");
    errors.push(impatient.api_keys().get("ak_1").await.expect_err("timeout"));

    // Configuration errors about the key itself.
    let with_newline = format!("{KEY}\nmore");
    errors.push(Client::builder().api_key(with_newline.as_str()).build().expect_err("not a header value"));
    errors.push(Client::new(with_newline).api_keys().get("ak_1").await.expect_err("unusable key"));
    errors.push(Client::builder().api_key(KEY).base_url("http://example.com").build().expect_err("plain http"));

    for err in &errors {
        assert_no_key("an error's Debug", &format!("{err:?} {err:#?}"));
        assert_no_key("an error's Display", &err.to_string());
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            assert_no_key("an error's source", &format!("{s} {s:?}"));
            source = s.source();
        }
    }
}

#[test]
fn api_key_and_credential_tokens_are_redacted_in_debug_but_readable() {
    let token = "2xTOKENtokenTOKEN_secret";
    let key: ApiKey = serde_json::from_value(support::with(support::api_key("ak_1"), json!({"token": token, "description": "ci"}))).expect("decodes");
    assert_eq!(key.token.as_ref().map(|t| t.expose()), Some(token), "the field keeps the token");
    let shown = format!("{key:?} {key:#?}");
    assert!(!shown.contains(token), "{shown}");
    assert!(shown.contains("<redacted>") && shown.contains("ak_1"), "{shown}");

    let page: ApiKeyList = serde_json::from_value(json!({"keys": [support::with(support::api_key("ak_1"), json!({"token": token}))], "uri": "", "next_page_uri": null}))
        .expect("decodes");
    assert!(!format!("{page:?}").contains(token));

    let cred: Credential = serde_json::from_value(support::with(support::api_key("cr_1"), json!({"uri": "https://api.ngrok.com/credentials/cr_1", "token": token}))).expect("decodes");
    assert_eq!(cred.token.as_ref().map(|t| t.expose()), Some(token));
    assert!(!format!("{cred:?}").contains(token), "{cred:?}");

    // No token: nothing to hide, and Debug says so.
    let listed: ApiKey = serde_json::from_value(support::with(support::api_key("ak_2"), json!({"token": null}))).expect("decodes");
    assert!(!format!("{listed:?}").contains("<redacted>"), "{listed:?}");
}

/// A writer for the tracing subscriber that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

/// Captures every tracing event and `log` record (reqwest's included) of
/// this test binary at TRACE, installed once.
fn captured_logs() -> Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        use tracing_subscriber::util::SubscriberInitExt;
        let logs = Captured::default();
        let writer = logs.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish()
            .try_init()
            .expect("the only global subscriber of this test binary");
        logs
    })
    .clone()
}

#[tokio::test]
async fn tracing_at_trace_over_success_failure_and_retry_never_logs_the_key_or_bodies() {
    let logs = captured_logs();
    let server = Server::start(|_, req| match (req.method.as_str(), req.path()) {
        ("GET", "/api_keys/ak_ok") => Reply::json(200, support::api_key("ak_ok")),
        ("GET", "/api_keys/ak_missing") => Reply::api_error(404, "ERR_NGROK_404", "not found", "op_404"),
        ("POST", _) => Reply::json(201, support::with(support::api_key("ak_new"), json!({"token": "tok_RESPONSE_secret"}))),
        _ => Reply::empty(503),
    })
    .await;
    let retried = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let r = retried.clone();
    let flaky = Server::start(move |_, _| {
        if r.swap(true, std::sync::atomic::Ordering::SeqCst) {
            Reply::json(200, json!({"keys": [], "uri": "", "next_page_uri": null}))
        } else {
            Reply::empty(503)
        }
    })
    .await;
    let client = builder(&server).build().expect("client");
    let flaky_client = builder(&flaky).retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(5))).build().expect("client");

    client.api_keys().get("ak_ok").await.expect("success");
    client.api_keys().get("ak_missing").await.expect_err("failure");
    let created = client.api_keys().create().description("REQUEST_BODY_marker").await.expect("created");
    assert_eq!(created.token.as_ref().map(|t| t.expose()), Some("tok_RESPONSE_secret"));
    flaky_client.api_keys().list().items().try_collect::<Vec<_>>().await.expect("success on the retry");
    assert_eq!(flaky.count(), 2);

    let text = logs.text();
    assert_no_key("the logs", &text);
    assert!(!text.contains("Bearer"), "an Authorization header was logged");
    assert!(!text.contains("REQUEST_BODY_marker"), "a request body was logged");
    assert!(!text.contains("tok_RESPONSE_secret"), "a response body was logged");

    // The call spans say what happened.
    let closes: Vec<&str> = text.lines().filter(|l| l.contains("ngrok_api.call") && l.contains("close")).collect();
    let close_of = |needle: &str| closes.iter().find(|l| l.contains(needle)).copied().unwrap_or_else(|| panic!("no closed span for {needle} in:\n{text}"));
    let ok = close_of("path=/api_keys/ak_ok");
    for part in ["operation=\"api_keys.get\"", "method=GET", "status=200", "attempts=1", "duration_ms="] {
        assert!(ok.contains(part), "`{part}` missing from: {ok}");
    }
    let missing = close_of("path=/api_keys/ak_missing");
    assert!(missing.contains("status=404") && missing.contains("attempts=1"), "{missing}");
    let listed = close_of("operation=\"api_keys.list\"");
    assert!(listed.contains("status=200") && listed.contains("attempts=2"), "{listed}");
    assert!(text.contains("retrying"), "a retry is logged:\n{text}");
    // reqwest's own log records are captured too (through the log bridge).
    assert!(text.contains("reqwest") && text.contains("hyper_util"), "the HTTP stack's log lines were not captured:\n{text}");
}

#[test]
fn secrets_in_request_bodies_are_redacted_in_the_requests_debug() {
    let client = Client::new(KEY);
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    let cert = client.tls_certificates().create("-----BEGIN CERTIFICATE-----", pem);
    let shown = format!("{cert:?}");
    assert!(!shown.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), "{shown}");
    assert_eq!(cert.request_body().private_key_pem.as_deref(), Some(pem), "the field keeps the value");

    let secret = client.secrets().create("vault_1").name("db").value("hunter2-vault-value");
    let shown = format!("{secret:?}");
    assert!(!shown.contains("hunter2-vault-value"), "{shown}");
    assert_no_key("requests", &shown);
}
