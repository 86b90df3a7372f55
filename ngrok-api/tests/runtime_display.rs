//! `Display` of an error: always one line, every piece once, the cause of
//! a local failure included, and arguments named.

mod support;

use ngrok_api::{ErrorKind, RetryPolicy};
use serde_json::json;
use support::{KEY, Reply, Server, builder, refused_port_url};

#[tokio::test]
async fn server_text_with_line_breaks_and_escapes_stays_on_one_line() {
    let msg = "bad cidr\nERROR forged log line\r\n\u{1b}[31mred\u{2028}sep";
    let server = Server::start(move |_, _| {
        Reply::json(400, json!({
            "error_code": "ERR_NGROK_7103\nX", "status_code": 400, "msg": msg,
            "details": {"operation_id": "op_1\nforged"}
        }))
    })
    .await;
    let client = builder(&server).build().expect("client");
    let err = client.ip_policies().get("ipp_1").await.expect_err("a 400");

    let shown = err.to_string();
    assert!(!shown.contains(['\n', '\r', '\u{1b}', '\u{2028}']), "{shown:?}");
    assert!(shown.contains(r"bad cidr\nERROR forged log line\r\n\u{1b}[31mred\u{2028}sep"), "{shown}");
    assert!(shown.contains(r"op_1\nforged"), "{shown}");
    // The accessors still give the text exactly as the server sent it.
    assert_eq!(err.message(), msg);
}

#[tokio::test]
async fn a_local_error_quoting_a_server_value_stays_on_one_line() {
    let server = Server::start(|_, _| {
        Reply::json(200, json!({"keys": [], "uri": "u", "next_page_uri": "https://elsewhere.example/\nx"}))
    })
    .await;
    let client = builder(&server).build().expect("client");
    let mut pages = client.api_keys().list().pages().prefetch(false);
    let _first = pages.try_next().await.expect("first page");
    let err = pages.try_next().await.expect_err("a foreign next_page_uri");
    assert!(!err.to_string().contains('\n'), "{err}");
}

#[tokio::test]
async fn a_status_without_a_message_names_its_reason_once() {
    let server = Server::start(|_, _| Reply::empty(429)).await;
    let client = builder(&server).retry_policy(RetryPolicy::none()).build().expect("client");
    let err = client.ip_policies().get("ipp_1").await.expect_err("a 429");
    let shown = err.to_string();
    assert_eq!(shown.matches("Too Many Requests").count(), 1, "{shown}");
    assert!(shown.contains("HTTP 429 Too Many Requests"), "{shown}");
    assert_eq!(err.message(), "Too Many Requests");
}

#[tokio::test]
async fn an_empty_id_names_the_parameter_and_shows_no_empty_path() {
    let client = ngrok_api::Client::new(KEY);
    let err = client.ip_policies().get("").await.expect_err("an empty id");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let shown = err.to_string();
    assert!(shown.contains("`id`") && shown.contains("must not be empty"), "{shown}");
    assert!(!shown.contains("()") && !shown.contains("(GET )") && !shown.contains("GET  "), "{shown}");
    assert!(shown.starts_with("ip_policies.get: "), "{shown}");
}

#[tokio::test]
async fn a_connect_error_shows_its_cause() {
    let client = ngrok_api::Client::builder()
        .api_key(KEY)
        .base_url(refused_port_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let err = client.ip_policies().get("ipp_1").await.expect_err("nothing listens");
    assert_eq!(err.kind(), ErrorKind::Connect);
    let shown = err.to_string();
    assert!(shown.to_lowercase().contains("refused"), "the cause is missing: {shown}");
    assert!(!shown.contains('\n'), "{shown}");
    assert!(!shown.contains(KEY));
}
