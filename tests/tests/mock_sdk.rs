//! The SDK against the emulator: paging across pages, filters, faults the
//! client retries through, and error details.

use std::time::Duration;

use ngrok_api::types::IpPolicyRuleAction;
use ngrok_api_mock::{Fault, MockServer};

fn client(mock: &MockServer) -> ngrok_api::Client {
    ngrok_api::Client::builder()
        .api_key("test-key")
        .base_url(mock.url())
        .retry_policy(ngrok_api::RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(5)))
        .build()
        .expect("client")
}

#[tokio::test]
async fn sdk_pages_filters_and_refs() {
    let mock = MockServer::builder().no_default_seed().start().await.expect("mock");
    let client = client(&mock);
    let mut ids = Vec::new();
    for i in 0..7 {
        let p = client
            .ip_policies()
            .create()
            .description(format!("p{i}"))
            .metadata(if i % 2 == 0 { "prod" } else { "dev" })
            .await
            .expect("create");
        ids.push(p.id);
    }
    let all: Vec<_> = client.ip_policies().list().limit(3).items().try_collect().await.expect("list");
    let listed: Vec<String> = all.into_iter().map(|p| p.id).collect();
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(listed, newest_first);
    let pages: Vec<_> = client.ip_policies().list().limit(3).pages().try_collect().await.expect("pages");
    assert_eq!(pages.len(), 3);

    let prod: Vec<_> = client
        .ip_policies()
        .list()
        .limit(2)
        .filter(r#"obj.metadata.contains("prod")"#)
        .items()
        .try_collect()
        .await
        .expect("filtered");
    assert_eq!(prod.len(), 4);
    assert!(prod.iter().all(|p| p.metadata == "prod"));

    let rule = client
        .ip_policy_rules()
        .create("10.0.0.0/8", &ids[0], IpPolicyRuleAction::Allow)
        .await
        .expect("rule");
    let policy_ref = serde_json::to_value(&rule).expect("json")["ip_policy"]["id"].clone();
    assert_eq!(policy_ref, serde_json::json!(ids[0]));
}

#[tokio::test]
async fn sdk_errors_and_retries() {
    let mock = MockServer::start().await;
    let client = client(&mock);
    let err = client.ip_policies().get("ipp_missing").await.expect_err("missing");
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(err.operation_id().is_some_and(|o| o.starts_with("op_")), "{err}");

    let err = client.ip_policies().list().filter("obj.metadata.contains(").await.expect_err("bad filter");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");

    // A GET that meets two 503s is retried and then succeeds.
    mock.fault(Fault::on("GET", "/tunnels").status(503).times(2));
    mock.clear_journal();
    client.tunnels().list().await.expect("retried");
    assert_eq!(mock.journal().iter().filter(|e| e.path == "/tunnels").count(), 3);
}

/// Every list the API filters takes `.filter()`: endpoints too, whose
/// query also has its own arguments.
#[tokio::test]
async fn endpoint_lists_take_a_filter() {
    let mock = MockServer::builder().no_default_seed().start().await.expect("mock");
    let client = client(&mock);
    for name in ["blue", "green"] {
        client
            .endpoints()
            .create(format!("https://{name}.internal"), ngrok_api::types::EndpointType::Cloud, r#"{"on_http_request":[{"actions":[{"type":"deny"}]}]}"#)
            .description(name)
            .await
            .expect("create");
    }
    let listed: Vec<_> =
        client.endpoints().list().filter(r#"obj.description == "green""#).items().try_collect().await.expect("filtered list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].url, "https://green.internal");
}
