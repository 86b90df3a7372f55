//! # Migrating from ngrok's 0.12 crate
//!
//! ngrok publishes a crate of the same name whose last release is 0.12.1.
//! This crate keeps its service tree (`client.ip_policies()`,
//! `client.edges().https()`) and changes how requests are made, how lists
//! page and what errors carry. `MIGRATING.md` in the repository shows the
//! same tasks in both, side by side; in short:
//!
//! | 0.12.1 | this crate |
//! |---|---|
//! | a request struct per call: `create(&IPPolicyCreate { .. })` | required values as arguments, the rest as setters: `create().description("office")`; the struct still goes in with `with_body` |
//! | enum values as strings (`"allow"`) | typed enums (`IpPolicyRuleAction::Allow`), `from_known` for text from outside |
//! | `FilteredPaging { limit, filter, .. }` | `list().limit(10).filter(expr)`; `.items()` walks every page |
//! | `Error::Ngrok`, `Error::RequestError` | one [`Error`](crate::Error) with `is_not_found()`, `status()`, `code()`, `kind()` |
//! | retries written by hand | built in, tuned with [`RetryPolicy`](crate::RetryPolicy) |
//! | timestamps as `String` | [`Timestamp`](crate::Timestamp) |
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! use ngrok_api::types::IpPolicyRuleAction;
//!
//! // 0.12.1: ip_policy_rules().create(&IPPolicyRuleCreate { cidr, ip_policy_id, action: Some("allow".into()), ..Default::default() })
//! let rule = client.ip_policy_rules().create("203.0.113.0/24", "ipp_...", IpPolicyRuleAction::Allow).await?;
//!
//! // 0.12.1: match err { Error::Ngrok(e) if e.status_code == 404 => .. }
//! match client.ip_policy_rules().get(&rule.id).await {
//!     Err(e) if e.is_not_found() => println!("gone"),
//!     other => println!("{:?}", other?.cidr),
//! }
//! # Ok(()) }
//! ```
//!
//! ## Request types renamed within this version
//!
//! Earlier builds of this crate named every service's request types
//! alike (`endpoints::CreateRequest`, `ip_policies::CreateRequest`, ...),
//! which search results, auto-import and compiler messages could not tell
//! apart. Each is now named after what it acts on and the operation:
//!
//! | before | now |
//! |---|---|
//! | `endpoints::CreateRequest` | [`endpoints::EndpointCreateRequest`](crate::endpoints::EndpointCreateRequest) |
//! | `ip_policy_rules::ListRequest` | [`ip_policy_rules::IpPolicyRuleListRequest`](crate::ip_policy_rules::IpPolicyRuleListRequest) |
//! | `reserved_domains::DeleteCertificateRequest` | [`reserved_domains::ReservedDomainDeleteCertificateRequest`](crate::reserved_domains::ReservedDomainDeleteCertificateRequest) |
//! | `edge_modules::https_edge_route_oauth::ReplaceRequest` | [`edge_modules::https_edge_route_oauth::HttpsEdgeRouteOauthModuleReplaceRequest`](crate::edge_modules::https_edge_route_oauth::HttpsEdgeRouteOauthModuleReplaceRequest) |
//!
//! The old names still compile: each is a hidden alias of the new one, in
//! the same module (and in its `blocking` module).
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! // Code written against the old names keeps working.
//! let request: ngrok_api::endpoints::CreateRequest = client.endpoints().create(
//!     "https://app.example.com",
//!     ngrok_api::types::EndpointType::Cloud,
//!     r#"{"on_http_request":[{"actions":[{"type":"deny"}]}]}"#,
//! );
//! let same: ngrok_api::endpoints::EndpointCreateRequest = request;
//! same.await?;
//! # Ok(()) }
//! ```
