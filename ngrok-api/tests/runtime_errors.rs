//! Errors that say everything: typed API errors with status, ngrok code,
//! message and operation ID; bounded excerpts of non-JSON bodies; decode
//! failures that name the operation, status and field; and tolerance of
//! fields and enum values this version does not know.

mod support;

use std::collections::BTreeMap;

use ngrok_api::types::{IpPolicyRule, IpPolicyRuleAction};
use ngrok_api::{ErrorKind, RetryPolicy};
use serde_json::json;
use support::{Reply, Server, builder};

#[tokio::test]
async fn client_errors_are_sent_once_and_typed_with_status_code_message_and_operation_id() {
    let cases = [
        (400, "ERR_NGROK_218", "the Ngrok-Version header is missing"),
        (401, "ERR_NGROK_201", "the API key is not valid"),
        (403, "ERR_NGROK_204", "not allowed on this plan"),
        (404, "ERR_NGROK_404", "no such IP policy"),
    ];
    for (status, code, msg) in cases {
        let op_id = format!("op_{status}");
        let reply = Reply::api_error(status, code, msg, &op_id);
        let server = Server::start(move |_, _| reply.clone()).await;
        let client = builder(&server).build().expect("client");

        let err = client.ip_policies().get("ipp_1").await.expect_err("an error status");

        assert_eq!(server.count(), 1, "{status} must not be retried");
        assert_eq!(err.kind(), ErrorKind::Api);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.error_code(), Some(code));
        assert_eq!(err.message(), msg);
        assert_eq!(err.operation_id(), Some(op_id.as_str()));
        assert_eq!(err.details().get("operation_id"), Some(&op_id));
        assert_eq!(err.operation(), Some("ip_policies.get"));
        assert_eq!(err.is_not_found(), status == 404);
        assert!(!err.is_rate_limited());
        assert!(!err.is_retryable());
        assert_eq!(err.attempts(), 1);
        let shown = err.to_string();
        for part in [&status.to_string(), code, msg, &op_id, "ip_policies.get"] {
            assert!(shown.contains(part), "`{shown}` does not mention `{part}`");
        }
    }
}

#[tokio::test]
async fn matching_on_an_ngrok_error_code_is_a_plain_string_compare() {
    let server = Server::start(|_, _| Reply::api_error(400, "ERR_NGROK_7103", "bad CIDR", "op_x")).await;
    let client = builder(&server).build().expect("client");

    let err = client.ip_policy_rules().create("nope", "ipp_1", IpPolicyRuleAction::Allow).await.expect_err("400");

    let what = match err.error_code() {
        Some("ERR_NGROK_7103") => "bad cidr",
        Some(_) | None => "something else",
    };
    assert_eq!(what, "bad cidr");
    assert_eq!(err.body().and_then(|b| b.status_code), Some(400));
}

#[tokio::test]
async fn operation_id_comes_from_the_header_when_the_body_has_none() {
    let server = Server::start(|_, _| {
        Reply::json(404, json!({"status_code": 404, "msg": "not found"})).header("ngrok-operation-id", "op_from_header")
    })
    .await;
    let client = builder(&server).build().expect("client");

    let err = client.ip_policies().get("ipp_1").await.expect_err("404");

    assert!(err.is_not_found());
    assert_eq!(err.error_code(), None, "some 404s carry no code");
    assert_eq!(err.operation_id(), Some("op_from_header"));
    assert!(err.to_string().contains("op_from_header"), "{err}");
    assert_eq!(err.details(), &BTreeMap::new());
}

#[tokio::test]
async fn rate_limit_codes_are_recognised_without_a_429() {
    let server = Server::start(|_, _| Reply::api_error(400, "ERR_NGROK_225", "too many simultaneous requests", "op_c")).await;
    let client = builder(&server).retry_policy(RetryPolicy::none()).build().expect("client");

    let err = client.ip_policies().get("ipp_1").await.expect_err("400");

    assert!(err.is_rate_limited());
    assert!(err.is_retryable());
}

#[tokio::test]
async fn an_html_502_from_a_proxy_keeps_the_status_and_a_bounded_excerpt() {
    let page = format!("<html><body><h1>502 Bad Gateway</h1>{}</body></html>", "<p>filler</p>".repeat(2000));
    let server = Server::start(move |_, _| Reply::raw(502, "text/html", page.clone())).await;
    let client = builder(&server).retry_policy(RetryPolicy::none()).build().expect("client");

    let err = client.ip_policies().get("ipp_1").await.expect_err("502");

    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(err.body().is_none());
    let excerpt = err.body_excerpt().expect("an excerpt of the body");
    assert!(excerpt.starts_with("<html><body><h1>502 Bad Gateway</h1>"), "{excerpt}");
    assert!(excerpt.len() <= 1024 + 4, "excerpt of {} bytes", excerpt.len());
    let shown = err.to_string();
    assert!(shown.contains("502"), "{shown}");
    assert!(shown.contains("Bad Gateway"), "{shown}");
    assert!(shown.len() < 2048, "Display must stay bounded too: {} bytes", shown.len());
    assert!(err.is_retryable());
}

#[tokio::test]
async fn an_undecodable_success_body_names_the_operation_status_and_field_path() {
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            json!({
                "ip_policies": [
                    support::ip_policy("ipp_1"), support::ip_policy("ipp_2"), support::ip_policy("ipp_3"),
                    support::with(support::ip_policy("ipp_4"), json!({"id": 42})),
                ],
                "uri": "u", "next_page_uri": null
            }),
        )
    })
    .await;
    let client = builder(&server).build().expect("client");

    let err = client.ip_policies().list().await.expect_err("id 42 is not a string");
    assert_eq!(err.kind(), ErrorKind::Decode);
    let shown = err.to_string();
    for part in ["ip_policies.list", "200", "ip_policies[3].id"] {
        assert!(shown.contains(part), "`{shown}` does not mention `{part}`");
    }

    // The same through the paginator, first page and a followed page alike.
    let err = client.ip_policies().list().items().try_collect::<Vec<_>>().await.expect_err("bad page");
    assert_eq!(err.kind(), ErrorKind::Decode);
    let shown = err.to_string();
    for part in ["ip_policies.list", "200", "ip_policies[3].id"] {
        assert!(shown.contains(part), "paging: `{shown}` does not mention `{part}`");
    }
}

#[tokio::test]
async fn unknown_fields_and_enum_values_decode_and_the_enum_reserializes_unchanged() {
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            json!({
                "id": "ipr_1", "uri": "https://api.ngrok.com/ip_policy_rules/ipr_1",
                "created_at": "2025-09-04T10:11:35Z",
                "ip_policy": {"id": "ipp_1", "uri": "https://api.ngrok.com/ip_policies/ipp_1"},
                "cidr": "10.0.0.0/8", "action": "quarantine",
                "brand_new_field": {"nested": [1, 2, 3]}, "another": null
            }),
        )
    })
    .await;
    let client = builder(&server).build().expect("client");

    let rule: IpPolicyRule = client.ip_policy_rules().get("ipr_1").await.expect("decodes");

    assert_eq!(rule.id, "ipr_1");
    assert_eq!(rule.action, IpPolicyRuleAction::Unknown("quarantine".into()));
    let again = serde_json::to_value(&rule).expect("serializes");
    assert_eq!(again["action"], "quarantine");
    assert_eq!(again["cidr"], "10.0.0.0/8");
}

#[tokio::test]
async fn null_absent_and_identity_fields_stay_apart() {
    let server = Server::start(|i, _| match i {
        0 => Reply::json(
            200,
            json!({
                "id": "ak_1", "uri": "https://api.ngrok.com/api_keys/ak_1",
                "created_at": "2025-09-04T10:11:35Z", "owner_id": "usr_1", "token": null
            }),
        ),
        1 => Reply::json(200, json!({"id": "ak_1", "uri": null, "owner_id": "usr_1", "token": null})),
        _ => Reply::json(200, json!({"uri": "https://api.ngrok.com/api_keys/ak_1", "owner_id": "usr_1"})),
    })
    .await;
    let client = builder(&server).build().expect("client");

    let key = client.api_keys().get("ak_1").await.expect("decodes");
    assert_eq!(key.token, None, "null is None");
    assert_eq!(key.description, "", "a field the server left out is empty");
    let again = serde_json::to_value(&key).expect("encodes");
    assert_eq!(again["token"], serde_json::Value::Null, "None goes back as null");
    assert!(again.get("description").is_none(), "an empty omitted field stays out");

    // A field the server is said to always send, missing or null, reads as
    // empty: the response is still usable.
    let partial = client.api_keys().get("ak_1").await.expect("a response without `created_at`, `uri` null, decodes");
    assert_eq!(partial.uri, "");
    assert!(partial.created_at.is_empty());
    assert_eq!(partial.owner_id, "usr_1");

    // Only the object's identity is required.
    let err = client.api_keys().get("ak_1").await.expect_err("a response without `id` is refused");
    assert!(err.to_string().contains("`id`"), "{err}");
}

#[tokio::test]
async fn delete_answered_204_with_no_body_succeeds() {
    let server = Server::start(|_, _| Reply::empty(204)).await;
    let client = builder(&server).build().expect("client");

    client.ip_policies().delete("ipp_1").await.expect("204 is success");

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "DELETE");
    assert!(reqs[0].body.is_empty(), "DELETE carries no body");
}
