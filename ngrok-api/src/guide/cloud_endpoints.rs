//! # Cloud endpoints and traffic policy
//!
//! A cloud endpoint is a URL ngrok serves with no agent behind it: what it
//! does with the traffic it receives is its traffic policy, which can
//! answer by itself, send traffic on to internal endpoints that agents
//! serve (`https://app.internal`), or both. Cloud endpoints and traffic
//! policy replace edges, their routes, modules and backends (see [From
//! edges to cloud endpoints](super::edges_to_endpoints)).
//!
//! ## A domain, an endpoint, a policy
//!
//! An endpoint's URL is on a domain the account holds: reserve it once
//! ([`ReservedDomains`](crate::reserved_domains::ReservedDomains)); a TCP
//! endpoint (`tcp://1.tcp.ngrok.io:20000`) uses a reserved address
//! ([`ReservedAddrs`](crate::reserved_addrs::ReservedAddrs)) the same way;
//! otherwise the API refuses it (`ErrorCode::EndpointUrlNotReserved`), and
//! a domain stays reserved while a cloud endpoint uses it. An internal URL
//! (`https://app.internal`) needs no reservation and is bound `internal`.
//! The endpoint's `type` is set at creation and never changes; its URL
//! and policy can.
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! use ngrok_api::types::EndpointType;
//!
//! let domain = client.reserved_domains().create().domain("app.example.com").await?;
//! let policy = r#"{"on_http_request":[{"actions":[{"type":"forward-internal","config":{"url":"https://app.internal"}}]}]}"#;
//! let endpoint = client
//!     .endpoints()
//!     .create(format!("https://{}", domain.domain), EndpointType::Cloud, policy)
//!     .description("public entry of the app")
//!     .await?;
//!
//! // Later: a new policy, the same endpoint.
//! let maintenance = r#"{"on_http_request":[{"actions":[{"type":"custom-response","config":{"status_code":503,"body":"back soon"}}]}]}"#;
//! client.endpoints().update(&endpoint.id).traffic_policy(maintenance).await?;
//!
//! // Every cloud endpoint of the account.
//! let mut clouds = client.endpoints().list().filter(r#"obj.type == "cloud""#).items();
//! while let Some(e) = clouds.try_next().await? {
//!     println!("{} {}", e.id, e.url);
//! }
//! # Ok(()) }
//! ```
//!
//! IP policies ([`IpPolicies`](crate::ip_policies::IpPolicies) and their
//! rules) are used from a policy too, by ID, with the `restrict-ips`
//! action.
//!
//! ## Typed policies
//!
//! What a cloud endpoint does is its traffic policy. The API takes it as
//! JSON or YAML text; [`traffic_policy`](crate::traffic_policy) (feature
//! `traffic-policy`, on by default) makes it a typed value:
//! [`TrafficPolicy`](crate::traffic_policy::TrafficPolicy) holds one list
//! of [`Rule`](crate::traffic_policy::Rule)s per phase, and each rule runs
//! [`Action`](crate::traffic_policy::Action)s, one configuration struct per
//! action type with its required values as constructor arguments and the
//! rest as setters. A policy goes wherever the API takes policy text
//! (endpoints' `create` and `update`, the edges' traffic policy modules);
//! text still goes there too.
//!
//! ```no_run
//! use ngrok_api::traffic_policy::{ForwardInternal, RateLimit, RateLimitAlgorithm, Rule, TrafficPolicy};
//! use ngrok_api::types::EndpointType;
//!
//! # async fn demo(client: ngrok_api::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let policy = TrafficPolicy::new()
//!     .on_http_request(Rule::new().action(RateLimit::new("per-ip", RateLimitAlgorithm::SlidingWindow, 100, "60s", ["conn.client_ip"])))
//!     .on_http_request(Rule::new().action(ForwardInternal::new("https://app.internal")));
//! policy.validate_for_cloud_endpoint()?; // every problem, each with its path
//! client.reserved_domains().create().domain("app.example.com").await?; // a public URL needs one
//! let endpoint = client.endpoints().create("https://app.example.com", EndpointType::Cloud, &policy).await?;
//! let read: TrafficPolicy = endpoint.traffic_policy.parse()?; // JSON or YAML
//! assert_eq!(read, policy);
//! # Ok(()) }
//! ```
//!
//! [`validate`](crate::traffic_policy::TrafficPolicy::validate) checks what
//! the API checks before it stores a policy: known action types, each in a
//! phase that allows it, required configuration, enum values, ranges,
//! lengths, list and map sizes and durations, each problem with its path
//! (`on_http_request[0].actions[0].config.rate: a multiple of 10s`);
//! [`validate_for_cloud_endpoint`](crate::traffic_policy::TrafficPolicy::validate_for_cloud_endpoint)
//! adds the rule that a cloud endpoint's policy always ends in a
//! terminating action. It also finds an action that can never run because
//! an earlier one of its rule ends the traffic, a `${...}` in a
//! configuration value that is not closed, a basic authentication
//! credential that is not `username:password` with a password of 8 to 128
//! characters, and a second sign-in action (`oauth`, `openid-connect`,
//! `saml`) or AI gateway in one policy. The emulator refuses what
//! `validate` refuses with ngrok's codes (`ERR_NGROK_2201` for an unknown
//! action type, `ERR_NGROK_18002` with the path for a bad value,
//! `ERR_NGROK_2235` for a policy that may leave traffic unhandled,
//! `ERR_NGROK_2207`, `2224`, `2257`, `2258`, `2239`, `2266` for the
//! others).
//!
//! Expressions are CEL, compiled by the API and by the emulator. The SDK
//! compiles them too with the `traffic-policy-cel` feature (off by
//! default, since the CEL parser adds to the build): `validate` then
//! refuses rule expressions and `${...}` insides that do not compile or
//! name variables or macros the format does not have, exactly as the
//! emulator does (`on_http_request[0].expressions[0]: unknown variable
//! `request``). Without it, expressions are left to the API.
//!
//! A policy written for a newer ngrok still reads: an action type this
//! version does not know is an [`Action::Other`](crate::traffic_policy::Action::Other)
//! and unknown configuration fields stay in the configuration's `other`
//! map, both written back unchanged (and reported by `validate`, for
//! unknown types). `examples/cloud-endpoint` in the repository reserves a
//! domain, creates a cloud endpoint with a typed policy, changes one
//! action and reads the policy back.
//!
