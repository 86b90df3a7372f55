//! A guide to the crate: paging, filters, typed traffic policies, errors,
//! retries, tracing and testing. Nothing to import here; every section links what it uses.
//! Programs that call the API all day (controllers, reconcilers,
//! provisioning tools) have a chapter of their own:
//! [Running ngrok-api in a controller](controller): per-call settings,
//! observation hooks, raw calls, waiters and telemetry.
//!
//! # Paging
//!
//! A `list` request gives its first page when awaited. `.items()` streams
//! every item of every page and `.pages()` every page ([`Items`](crate::Items),
//! [`Pages`](crate::Pages)); both fetch lazily, one page ahead, following the
//! `next_page_uri` the API returns. They have their own `try_next()` and
//! `try_collect()`, so no other crate is needed, and they also implement
//! `futures_core::Stream` for stream combinators.
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! let mut tunnels = client.tunnels().list().items();
//! while let Some(tunnel) = tunnels.try_next().await? {
//!     println!("{} {}", tunnel.id, tunnel.public_url);
//! }
//! let policies: Vec<_> = client.ip_policies().list().items().try_collect().await?;
//! println!("{} IP policies", policies.len());
//! # Ok(()) }
//! ```
//!
//! `.limit(n)` sets the page size (1 to 100) and `.before_id(id)` starts
//! after an ID. A walk that stopped can continue from the last page's
//! `next_page_uri` with the request's `resume_from`.
//!
//! # Filters (CEL)
//!
//! Lists that accept a filter have `.filter(expr)`, taking a
//! [CEL](https://ngrok.com/docs/api/#filtering) expression over the
//! listed object, named `obj`. The filter is applied by the API, so only
//! matching items cross the network; every later page keeps it.
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! let ci_keys: Vec<_> = client
//!     .api_keys()
//!     .list()
//!     .filter(r#"obj.description.startsWith("ci") && obj.created_at > timestamp("2025-01-01T00:00:00Z")"#)
//!     .items()
//!     .try_collect()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! # Traffic policies, typed
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
//! terminating action. Expressions are compiled by the API, and by the
//! emulator, which refuses what `validate` refuses with ngrok's codes
//! (`ERR_NGROK_2201` for an unknown action type, `ERR_NGROK_18002` with the
//! path for a bad value, `ERR_NGROK_2235` for a policy that may leave
//! traffic unhandled) and also refuses expressions that do not compile or
//! name variables or macros that do not exist.
//!
//! A policy written for a newer ngrok still reads: an action type this
//! version does not know is an [`Action::Other`](crate::traffic_policy::Action::Other)
//! and unknown configuration fields stay in the configuration's `other`
//! map, both written back unchanged (and reported by `validate`, for
//! unknown types). `examples/cloud-endpoint` in the repository reserves a
//! domain, creates a cloud endpoint with a typed policy, changes one
//! action and reads the policy back.
//!
//! # Errors
//!
//! Every call returns [`Result<T, Error>`](crate::Result). An [`Error`](crate::Error)
//! says which operation failed, its method and path, the HTTP status, the
//! API's error code (`ERR_NGROK_...`), message and details, the operation
//! ID to quote to ngrok support, and how many attempts were made. Its
//! [`kind`](crate::Error::kind) ([`ErrorKind`](crate::ErrorKind)) separates API answers from
//! transport failures, timeouts, decoding failures and configuration
//! mistakes. Helpers cover the common questions:
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! match client.reserved_domains().get("rd_...").await {
//!     Ok(domain) => println!("{}", domain.domain),
//!     Err(e) if e.is_not_found() => println!("no such domain"),
//!     Err(e) if e.is_rate_limited() => println!("slow down; retry after {:?}", e.retry_after()),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! The API key never appears in an error, in `Debug` output or in logs;
//! fields the API marks secret (tokens, private keys) show as
//! `<redacted>` in `Debug`.
//!
//! # Retries and rate limits
//!
//! A call that fails for a reason worth retrying (connection failure,
//! timeout, 429, 502/503/504, and 500 for methods that are safe to repeat)
//! is tried again with full-jitter exponential backoff: by default 3
//! attempts in all, starting at 0.5 s and capped at 20 s. A `Retry-After`
//! from the API is honoured. A `POST` is never repeated after the API
//! answered it, and a configuration mistake is never retried. Tune it with
//! [`RetryPolicy`](crate::RetryPolicy) on the [`ClientBuilder`](crate::ClientBuilder), or turn it off with
//! [`RetryPolicy::none`](crate::RetryPolicy::none); [`ClientBuilder::rate_limit`](crate::ClientBuilder::rate_limit) keeps a client
//! under a request budget of its own.
//!
//! ```no_run
//! # fn demo() -> ngrok_api::Result<()> {
//! use std::time::Duration;
//! let client = ngrok_api::Client::builder()
//!     .api_key("...")
//!     .retry_policy(ngrok_api::RetryPolicy::default().max_attempts(5).max_delay(Duration::from_secs(10)))
//!     .rate_limit(60, Duration::from_secs(60))
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! # Tracing
//!
//! With a [`tracing`](https://docs.rs/tracing) subscriber installed, each
//! call runs in a `DEBUG` span named `ngrok_api.call` with the fields
//! `operation` (e.g. `ip_policies.create`), `method`, `path` (without the
//! query), and, once the call ends, `status`, `attempts`, `duration_ms`
//! and `error` (the [`ErrorKind`](crate::ErrorKind)). Inside it, `DEBUG` events report each
//! attempt ("ngrok API call succeeded" / "ngrok API call failed", with
//! `attempt`, `status` or `error`, and `elapsed_ms`) and each wait
//! ("retrying ngrok API call", with `wait_ms`). Neither the key nor any
//! body is recorded. The span also carries OpenTelemetry's HTTP client
//! fields (`http.request.method`, `url.template`, ...), for export with
//! `tracing-opentelemetry`: see [Running ngrok-api in a controller](controller#telemetry).
//!
//! # Testing with the emulator
//!
//! The `ngrok-api-mock` crate is a stateful emulator of the API built from
//! the same description as this crate: objects you create are listed,
//! updated and deleted as the real API would, with its validation, paging
//! and error bodies. Start one in-process in a test and point a client at
//! it; each test gets its own, on a free port.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // In a test: `#[tokio::test] async fn creates_a_policy() { .. }`
//! let mock = ngrok_api_mock::MockServer::start().await;
//! let client = ngrok_api::Client::builder().api_key("test").base_url(mock.url()).build().unwrap();
//! let policy = client.ip_policies().create().description("office").await.unwrap();
//! assert_eq!(client.ip_policies().get(&policy.id).await.unwrap().description, "office");
//! # }
//! ```
//!
//! The emulator also runs as a program (`ngrok-api-mock --port 0` prints
//! its URL as the first line of output) for tests in other languages, and
//! can inject faults, rate limits and latency. See its README for more.
//!
//! # Without async
//!
//! With the `blocking` feature, `ngrok_api::blocking::Client` offers the same services and setters for programs with no async
//! runtime: calls run with `.send()` and lists are iterators.
//! `ngrok_api::blocking::Client::builder()` takes every option of the
//! async builder. An object's
//! own methods (`policy.update(&client)`, `policy.delete(&client)`) take
//! either client ([`AnyClient`](crate::AnyClient)) and give that client's
//! request.

pub mod controller;
