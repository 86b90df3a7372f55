//! # From edges to cloud endpoints
//!
//! Since 2025-12-31 ngrok treats edges (HTTPS, TCP, TLS), their routes and
//! modules, the five backend kinds and labeled tunnels as legacy: accounts
//! keep reading what they have, and most accounts' writes are refused with
//! `ERR_NGROK_7196` ([`ErrorCode`](crate::ErrorCode)). Their services stay
//! in this crate, marked legacy, so that existing setups can be read and
//! moved. What replaces them:
//!
//! - an **edge** becomes a **cloud endpoint** on the same domain or address
//!   ([`Endpoints`](crate::endpoints::Endpoints)), whose traffic policy does
//!   what the edge's routes and modules did;
//! - a **route** becomes a **rule** of that policy, whose expression
//!   matches what the route matched;
//! - a **module** becomes a **Traffic Policy action** in a rule;
//! - a **backend** becomes `forward-internal` to an **internal endpoint**
//!   (`https://app.internal`), which an agent serves in place of a labeled
//!   tunnel, or an action answering by itself.
//!
//! ## Each legacy service and its replacement
//!
//! | Legacy service | Replacement |
//! |---|---|
//! | `edges.https` | a cloud endpoint `https://<domain>` ([`Endpoints::create`](crate::endpoints::Endpoints::create), type `cloud`) |
//! | `edges.tcp` | a cloud endpoint `tcp://<reserved address>` |
//! | `edges.tls` | a cloud endpoint `tls://<domain>` |
//! | `edges.https_routes` | a rule with an expression on the request, e.g. `req.url.path.startsWith('/api')` |
//! | `edge_modules.https_edge_route_backend`, `edge_modules.tcp_edge_backend`, `edge_modules.tls_edge_backend` | [`ForwardInternal`](crate::traffic_policy::ForwardInternal) (`forward-internal`) |
//! | `edge_modules.https_edge_route_ip_restriction`, `edge_modules.tcp_edge_ip_restriction`, `edge_modules.tls_edge_ip_restriction` | [`RestrictIps`](crate::traffic_policy::RestrictIps) (`restrict-ips`), with the same IP policies |
//! | `edge_modules.https_edge_route_oauth` | [`OAuth`](crate::traffic_policy::OAuth) (`oauth`) |
//! | `edge_modules.https_edge_route_oidc` | [`OpenIdConnect`](crate::traffic_policy::OpenIdConnect) (`openid-connect`) |
//! | `edge_modules.https_edge_route_saml` | [`Saml`](crate::traffic_policy::Saml) (`saml`) |
//! | `edge_modules.https_edge_route_request_headers` | [`AddHeaders`](crate::traffic_policy::AddHeaders) and [`RemoveHeaders`](crate::traffic_policy::RemoveHeaders) in `on_http_request` |
//! | `edge_modules.https_edge_route_response_headers` | [`AddHeaders`](crate::traffic_policy::AddHeaders) and [`RemoveHeaders`](crate::traffic_policy::RemoveHeaders) in `on_http_response` |
//! | `edge_modules.https_edge_route_compression` | [`CompressResponse`](crate::traffic_policy::CompressResponse) (`compress-response`) |
//! | `edge_modules.https_edge_route_circuit_breaker` | [`CircuitBreaker`](crate::traffic_policy::CircuitBreaker) (`circuit-breaker`) |
//! | `edge_modules.https_edge_route_webhook_verification` | [`VerifyWebhook`](crate::traffic_policy::VerifyWebhook) (`verify-webhook`) |
//! | `edge_modules.https_edge_route_user_agent_filter` | [`Deny`](crate::traffic_policy::Deny) in a rule whose expression tests `req.user_agent` |
//! | `edge_modules.https_edge_route_traffic_policy`, `edge_modules.tcp_edge_traffic_policy`, `edge_modules.tls_edge_traffic_policy` | the endpoint's own traffic policy: the module's policy moves over as it is |
//! | `edge_modules.https_edge_tls_termination`, `edge_modules.tls_edge_tls_termination` | [`TerminateTls`](crate::traffic_policy::TerminateTls) (`terminate-tls`) in `on_tcp_connect` |
//! | `edge_modules.https_edge_mutual_tls`, `edge_modules.tls_edge_mutual_tls` | [`TerminateTls`](crate::traffic_policy::TerminateTls) with `mutual_tls_certificate_authorities` |
//! | `edge_modules.https_edge_route_websocket_tcp_converter` | no action of its own: serve the TCP service on a TCP endpoint, or convert in the upstream service |
//! | `backends.tunnel_group` | internal endpoints served by agents, reached with `forward-internal`; several agents on one URL with endpoint pooling (`pooling_enabled`) |
//! | `backends.failover` | `forward-internal` with `on_error: continue`, followed by the next `forward-internal` |
//! | `backends.weighted` | rules whose expressions use the `rand.double()` macro, each forwarding to its own internal endpoint |
//! | `backends.http_response` | [`CustomResponse`](crate::traffic_policy::CustomResponse) (`custom-response`) |
//! | `backends.static_address` | an agent serving the address as an internal endpoint, and `forward-internal` to it |
//!
//! ## An HTTPS edge with routes and modules
//!
//! An edge on `app.example.com` whose `/api` route restricted IPs and went
//! to the tunnels labeled `service=api`, and whose other route asked for a
//! Google login and went to `service=web`, is one cloud endpoint. The
//! agents that served the labeled tunnels serve `https://api.internal` and
//! `https://web.internal` instead. The first rule whose action ends the
//! request (`forward-internal` does) wins, so the order of the rules is
//! the order of the routes.
//!
//! ```no_run
//! use ngrok_api::traffic_policy::{ForwardInternal, OAuth, OAuthProvider, RestrictIps, Rule, TrafficPolicy};
//! use ngrok_api::types::EndpointType;
//!
//! # async fn demo(client: ngrok_api::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let policy = TrafficPolicy::new()
//!     // The `/api` route: its IP restriction module, then its backend.
//!     .on_http_request(
//!         Rule::new()
//!             .expression("req.url.path.startsWith('/api')")
//!             .action(RestrictIps::new().ip_policies(["ipp_..."]))
//!             .action(ForwardInternal::new("https://api.internal")),
//!     )
//!     // The catch-all route: its OAuth module, then its backend.
//!     .on_http_request(
//!         Rule::new()
//!             .action(OAuth::new(OAuthProvider::Google))
//!             .action(ForwardInternal::new("https://web.internal")),
//!     );
//! policy.validate_for_cloud_endpoint()?;
//! client.endpoints().create("https://app.example.com", EndpointType::Cloud, &policy).await?;
//! # Ok(()) }
//! ```
//!
//! ## Backends
//!
//! A failover backend tried its backends in order; a policy does the same
//! with `on_error: continue`, which sends the request on to the next
//! action when the first cannot reach its upstream. A weighted backend
//! becomes rules that draw a number:
//!
//! ```no_run
//! use ngrok_api::traffic_policy::{CustomResponse, ForwardInternal, OnError, Rule, TrafficPolicy};
//!
//! # fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! // Failover: the primary, then the standby.
//! let failover = TrafficPolicy::new().on_http_request(
//!     Rule::new()
//!         .action(ForwardInternal::new("https://primary.internal").on_error(OnError::Continue))
//!         .action(ForwardInternal::new("https://standby.internal")),
//! );
//! failover.validate_for_cloud_endpoint()?;
//!
//! // Weighted, 90 to 10: a tenth of the requests go to the canary.
//! let weighted = TrafficPolicy::new()
//!     .on_http_request(Rule::new().expression("rand.double() < 0.1").action(ForwardInternal::new("https://canary.internal")))
//!     .on_http_request(Rule::new().action(ForwardInternal::new("https://stable.internal")));
//! weighted.validate_for_cloud_endpoint()?;
//!
//! // An HTTP response backend: the endpoint answers by itself.
//! let answer = TrafficPolicy::new()
//!     .on_http_request(Rule::new().action(CustomResponse::new().status_code(200).body("hello")));
//! answer.validate_for_cloud_endpoint()?;
//! # Ok(()) }
//! ```
//!
//! ## Moving the modules' settings over
//!
//! A program that moves many edges reads each edge with its routes and
//! modules through the legacy services, which still answer reads, and
//! writes the policy from them. The modules' settings map onto the
//! actions' fields: an IP restriction module's `ip_policies` are the
//! `restrict-ips` action's `ip_policies` (by ID), a header module's `add`
//! and `remove` are `add-headers`' `headers` and `remove-headers`'
//! `headers`, an OAuth module's provider is the `oauth` action's
//! `provider`.
//!
//! ```no_run
//! use ngrok_api::traffic_policy::{RestrictIps, Rule, TrafficPolicy};
//!
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! let mut edges = client.edges().https().list().items();
//! while let Some(edge) = edges.try_next().await? {
//!     for route in &edge.routes {
//!         let Some(restriction) = &route.ip_restriction else { continue };
//!         let ids = restriction.ip_policies.iter().map(|p| p.id.clone());
//!         let rule = Rule::new()
//!             .expression(format!("req.url.path.startsWith('{}')", route.r#match))
//!             .action(RestrictIps::new().ip_policies(ids));
//!         println!("{}: {}", edge.id, TrafficPolicy::new().on_http_request(rule));
//!     }
//! }
//! # Ok(()) }
//! ```
