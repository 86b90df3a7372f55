//! What the SDK puts on the wire for each shape of operation: method, path,
//! query, headers and body, checked on a local server.

mod support;

use ngrok_api::types::{EndpointBackendMutate, IpPolicyRuleAction};
use serde_json::json;
use support::capture::{CaptureServer, Recorded};

fn only(server: &CaptureServer) -> Recorded {
    let mut all = server.take();
    assert_eq!(all.len(), 1, "expected exactly one request, got {all:?}");
    all.remove(0)
}

fn assert_common_headers(req: &Recorded) {
    assert_eq!(req.header("authorization"), Some("Bearer test-key"));
    assert_eq!(req.header("ngrok-version"), Some("2"));
    let ua = req.header("user-agent").unwrap_or_default();
    assert!(ua.starts_with(concat!("ngrok-api-rust/", env!("CARGO_PKG_VERSION_MAJOR"))) || ua.starts_with("ngrok-api-rust/"), "{ua}");
}

#[tokio::test]
async fn create_sends_required_and_optional_fields_as_json() {
    let server = CaptureServer::start().await;
    server.respond(201, r#"{"id":"ipr_1","uri":"u","created_at":"2025-09-04T10:11:35Z","cidr":"24.0.0.0/8","action":"allow","ip_policy":{"id":"ipp_1","uri":"u"}}"#);
    let rule = server
        .client()
        .ip_policy_rules()
        .create("24.0.0.0/8", "ipp_1", IpPolicyRuleAction::Allow)
        .description("office")
        .await
        .unwrap();
    assert_eq!(rule.action, IpPolicyRuleAction::Allow);
    assert_eq!(rule.ip_policy.id, "ipp_1");
    let req = only(&server);
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/ip_policy_rules");
    assert_common_headers(&req);
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.json(), json!({"cidr": "24.0.0.0/8", "ip_policy_id": "ipp_1", "action": "allow", "description": "office"}));
}

#[tokio::test]
async fn get_sends_no_body_and_encodes_the_id() {
    let server = CaptureServer::start().await;
    server.respond(200, r#"{"id":"ipp_1","uri":"u","created_at":"2025-09-04T10:11:35Z","description":"d"}"#);
    let policy = server.client().ip_policies().get("ipp_1").await.unwrap();
    assert_eq!(policy.description, "d");
    let req = only(&server);
    assert_eq!((req.method.as_str(), req.target.as_str()), ("GET", "/ip_policies/ipp_1"));
    assert!(req.body.is_empty());
    assert_common_headers(&req);

    server.client().ip_policies().get("../api_keys").await.unwrap();
    assert_eq!(only(&server).target, "/ip_policies/..%2Fapi_keys");
}

#[tokio::test]
async fn list_sends_paging_and_filter_in_the_query() {
    let server = CaptureServer::start().await;
    server.respond(200, r#"{"ip_policies":[{"id":"ipp_2","uri":"u","created_at":"2025-09-04T10:11:35Z"}],"uri":"u","next_page_uri":null}"#);
    let page = server.client().ip_policies().list().limit(5).before_id("ipp_9").filter("obj.metadata == \"x\"").await.unwrap();
    assert_eq!(page.ip_policies.len(), 1);
    let req = only(&server);
    assert_eq!((req.method.as_str(), req.path()), ("GET", "/ip_policies"));
    assert_eq!(
        req.query(),
        vec![
            ("before_id".to_string(), "ipp_9".to_string()),
            ("limit".to_string(), "5".to_string()),
            ("filter".to_string(), "obj.metadata == \"x\"".to_string())
        ]
    );
}

#[tokio::test]
async fn list_with_repeated_query_arguments() {
    let server = CaptureServer::start().await;
    server.respond(200, r#"{"endpoints":[],"uri":"u","next_page_uri":null}"#);
    server.client().endpoints().list().id(["ep_1", "ep_2"]).url(["https://a.example"]).await.unwrap();
    let req = only(&server);
    assert_eq!(req.path(), "/endpoints");
    assert_eq!(
        req.query(),
        vec![
            ("id".to_string(), "ep_1".to_string()),
            ("id".to_string(), "ep_2".to_string()),
            ("url".to_string(), "https://a.example".to_string())
        ]
    );
}

#[tokio::test]
async fn update_sends_only_the_fields_set_and_the_id() {
    let server = CaptureServer::start().await;
    server.respond(200, r#"{"id":"ipp_1","uri":"u","created_at":"2025-09-04T10:11:35Z","metadata":"m"}"#);
    server.client().ip_policies().update("ipp_1").metadata("m").await.unwrap();
    let req = only(&server);
    assert_eq!((req.method.as_str(), req.target.as_str()), ("PATCH", "/ip_policies/ipp_1"));
    assert_eq!(req.json(), json!({"id": "ipp_1", "metadata": "m"}));
}

#[tokio::test]
async fn delete_expects_an_empty_204() {
    let server = CaptureServer::start().await;
    server.respond(204, "");
    server.client().ip_policies().delete("ipp_1").await.unwrap();
    let req = only(&server);
    assert_eq!((req.method.as_str(), req.target.as_str()), ("DELETE", "/ip_policies/ipp_1"));
    assert!(req.body.is_empty());
}

#[tokio::test]
async fn replace_puts_the_module_under_a_nested_path() {
    let server = CaptureServer::start().await;
    server.respond(200, r#"{"enabled":true,"backend":{"id":"bkdfo_1","uri":"u"}}"#);
    // Chained setters, like every other call.
    let got = server
        .client()
        .edge_modules()
        .https_edge_route_backend()
        .replace("edghts_1", "edghtsrt_2")
        .enabled(true)
        .backend_id("bkdfo_1")
        .await
        .unwrap();
    assert_eq!(got.backend.map(|b| b.id).as_deref(), Some("bkdfo_1"));
    let req = only(&server);
    assert_eq!((req.method.as_str(), req.target.as_str()), ("PUT", "/edges/https/edghts_1/routes/edghtsrt_2/backend"));
    // The module itself is the body; the path names the edge and route.
    assert_eq!(req.json(), json!({"enabled": true, "backend_id": "bkdfo_1"}));
}

#[tokio::test]
async fn a_request_can_be_built_from_its_body_struct() {
    let server = CaptureServer::start().await;
    server.respond(200, r#"{"enabled":true,"backend":{"id":"bkdfo_1","uri":"u"}}"#);
    // Settings kept as a struct (from a config file, say) go in whole.
    let module = EndpointBackendMutate { enabled: Some(true), backend_id: Some("bkdfo_1".into()) };
    let request = server.client().edge_modules().https_edge_route_backend().replace("edghts_1", "edghtsrt_2").with_body(module.clone());
    assert_eq!(request.request_body(), &module);
    request.await.unwrap();
    assert_eq!(only(&server).json(), json!({"enabled": true, "backend_id": "bkdfo_1"}));

    let server = CaptureServer::start().await;
    server.respond(201, r#"{"id":"ipp_1","uri":"u","created_at":"2025-09-04T10:11:35Z"}"#);
    let body = ngrok_api::types::IpPolicyCreate { description: Some("office".into()), ..Default::default() };
    server.client().ip_policies().create().with_body(body).await.unwrap();
    assert_eq!(only(&server).json(), json!({"description": "office"}));
}

#[tokio::test]
async fn option_setters_set_or_leave_a_field_unset() {
    let server = CaptureServer::start().await;
    server.respond(201, r#"{"id":"ipp_1","uri":"u","created_at":"2025-09-04T10:11:35Z"}"#);
    // Values from a CLI parser or a config file arrive as `Option`s.
    let description: Option<String> = Some("office".into());
    let metadata: Option<String> = None;
    server.client().ip_policies().create().set_description(description).set_metadata(metadata).await.unwrap();
    assert_eq!(only(&server).json(), json!({"description": "office"}));

    // `set_x(None)` clears what an earlier setter set.
    let server = CaptureServer::start().await;
    server.respond(201, r#"{"id":"ipp_1","uri":"u","created_at":"2025-09-04T10:11:35Z"}"#);
    server.client().ip_policies().create().description("first").set_description(None).await.unwrap();
    assert_eq!(only(&server).json(), json!({}));
}

#[test]
fn enum_values_come_from_variants_or_an_explicit_from_raw() {
    use ngrok_api::types::IpPolicyRuleAction;
    assert_eq!(IpPolicyRuleAction::from_raw("allow"), IpPolicyRuleAction::Allow);
    let typo = IpPolicyRuleAction::from_raw("alow");
    assert_eq!(typo, IpPolicyRuleAction::Unknown("alow".into()));
    assert!(!typo.is_known());
    assert_eq!(typo.as_str(), "alow");
    assert!(IpPolicyRuleAction::KNOWN.contains(&"deny"));
}

#[tokio::test]
async fn action_posts_to_its_own_path() {
    let server = CaptureServer::start().await;
    server.respond(204, "");
    server.client().tunnel_sessions().restart("ts_1").await.unwrap();
    let req = only(&server);
    assert_eq!((req.method.as_str(), req.target.as_str()), ("POST", "/tunnel_sessions/ts_1/restart"));
    assert_eq!(req.json(), json!({"id": "ts_1"}));
}

#[tokio::test]
async fn nested_get_takes_both_ids() {
    let server = CaptureServer::start().await;
    server.respond(200, r#"{"id":"edghtsrt_2","edge_id":"edghts_1","uri":"u","created_at":"2025-09-04T10:11:35Z","match":"/","match_type":"path_prefix","backend":null,"ip_restriction":null,"circuit_breaker":null,"compression":null,"request_headers":null,"response_headers":null,"webhook_verification":null,"oauth":null,"saml":null,"oidc":null,"websocket_tcp_converter":null,"user_agent_filter":null,"traffic_policy":null,"policy":null}"#);
    let route = server.client().edges().https_routes().get("edghts_1", "edghtsrt_2").await.unwrap();
    assert_eq!(route.r#match, "/");
    let req = only(&server);
    assert_eq!(req.target, "/edges/https/edghts_1/routes/edghtsrt_2");

    // Instance methods reuse the object's own IDs.
    server.respond(204, "");
    route.delete(&server.client()).await.unwrap();
    let req = only(&server);
    assert_eq!((req.method.as_str(), req.target.as_str()), ("DELETE", "/edges/https/edghts_1/routes/edghtsrt_2"));
}

#[tokio::test]
async fn event_source_paths_use_the_type_as_key() {
    let server = CaptureServer::start().await;
    server.respond(200, r#"{"type":"ip_policy_created.v0","uri":"u"}"#);
    server.client().event_sources().update("esb_1", "ip_policy_created.v0").await.unwrap();
    let req = only(&server);
    assert_eq!((req.method.as_str(), req.target.as_str()), ("PATCH", "/event_subscriptions/esb_1/sources/ip_policy_created.v0"));
    assert_eq!(req.json(), json!({"subscription_id": "esb_1", "type": "ip_policy_created.v0"}));
}

#[tokio::test]
async fn a_list_walk_resumes_from_a_next_page_uri() {
    let server = CaptureServer::start().await;
    server.respond(200, r#"{"ip_policies":[{"id":"ipp_3","uri":"u","created_at":"2025-09-04T10:11:35Z"}],"uri":"u","next_page_uri":null}"#);
    let next = format!("{}/ip_policies?before_id=ipp_4&limit=1&filter=x", server.url());
    let pages: Vec<_> = server.client().ip_policies().list().resume_from(next).try_collect().await.unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].ip_policies[0].id, "ipp_3");
    let req = only(&server);
    assert_eq!(req.target, "/ip_policies?before_id=ipp_4&limit=1&filter=x");
}
