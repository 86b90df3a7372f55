//! # Running ngrok-api in a controller
//!
//! Controllers, reconcilers and provisioning tools call the API all day:
//! they walk every object at startup, create and update in bursts, wait
//! for states that take time, and must stay under the account's rate
//! limit (120 requests a minute). This chapter covers what such a program
//! needs beyond the basics: [per-call settings](#per-call-settings),
//! [observation hooks](#observation-hooks), [raw calls](#raw-calls),
//! [waiters](#waiters) and [telemetry](#telemetry). The
//! `examples/controller.rs` program puts them together; it runs against
//! the emulator without an account (`cargo run --example controller`).
//!
//! ## One client, shared
//!
//! Build one client and clone it into every task: clones share the
//! connection pool, the rate limiter and the observer. Set the limiter
//! under the account's limit, so a burst waits on the client's side
//! instead of meeting 429s:
//!
//! ```no_run
//! # fn demo() -> ngrok_api::Result<()> {
//! use std::time::Duration;
//! let client = ngrok_api::Client::builder_from_env()?
//!     .rate_limit(100, Duration::from_secs(60))
//!     .timeout(Duration::from_secs(10))
//!     .user_agent_suffix("my-controller/1.4")
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! ## Per-call settings
//!
//! The client's timeouts and retry policy fit most calls; some need
//! others. Every request takes `.timeout(..)` (one attempt),
//! `.operation_timeout(..)` (the whole call, retries and waits included)
//! and `.retry_policy(..)`, which take precedence over the client's for
//! that call only. On a list walked with `.items()` or `.pages()` they
//! apply to every page's fetch. The blocking client's requests take the
//! same three.
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! use std::time::Duration;
//! use ngrok_api::RetryPolicy;
//!
//! // The startup walk: more time and more patient retries per page.
//! let all: Vec<_> = client
//!     .reserved_domains()
//!     .list()
//!     .operation_timeout(Duration::from_secs(120))
//!     .retry_policy(RetryPolicy::default().max_attempts(6))
//!     .items()
//!     .try_collect()
//!     .await?;
//!
//! // A health probe: one quick attempt, never retried.
//! client.api_keys().list().limit(1).timeout(Duration::from_secs(2)).retry_policy(RetryPolicy::none()).await?;
//! # Ok(()) }
//! ```
//!
//! ## Observation hooks
//!
//! An [`Observer`](crate::observe::Observer) set with
//! [`ClientBuilder::observer`](crate::ClientBuilder::observer) is told of
//! each attempt started and finished (status, duration, ngrok error
//! code), each retry scheduled (delay and reason) and each wait of the
//! client-side rate limit: enough to count calls per operation, export
//! request and retry metrics, or log throttling. Each event names the call
//! by its operation (`ip_policies.get`), method and path template
//! (`/ip_policies/{id}`), never by the IDs, query, headers or bodies it
//! carried, and never with the key. Without an observer nothing is timed
//! or built for one.
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicU64, Ordering};
//! use ngrok_api::observe::{AttemptFinished, Observer, RateLimitWait};
//!
//! #[derive(Default)]
//! struct Metrics {
//!     requests: AtomicU64,
//!     throttled: AtomicU64,
//! }
//!
//! impl Observer for Metrics {
//!     fn attempt_finished(&self, _: &AttemptFinished<'_>) {
//!         self.requests.fetch_add(1, Ordering::Relaxed);
//!     }
//!     fn rate_limit_wait(&self, _: &RateLimitWait<'_>) {
//!         self.throttled.fetch_add(1, Ordering::Relaxed);
//!     }
//! }
//!
//! # fn demo() -> ngrok_api::Result<()> {
//! let metrics = Arc::new(Metrics::default());
//! let client = ngrok_api::Client::builder_from_env()?.observer(metrics.clone()).build()?;
//! // ... later, from a metrics endpoint:
//! println!("{} requests", metrics.requests.load(Ordering::Relaxed));
//! # Ok(()) }
//! ```
//!
//! The observer's methods run on the task making the call: keep them
//! quick, and hand anything slow to another task. `examples/call_counts.rs`
//! counts calls per operation and prints them.
//!
//! ## Raw calls
//!
//! When ngrok adds an operation or a field before this crate has it,
//! [`Client::raw`](crate::Client::raw) calls any path with everything the
//! generated calls have: the key, retries, timeouts, the rate limit, the
//! origin check on `next_page_uri`, redaction, errors, the observer and
//! the trace. The path is a template with its parameters in braces, each
//! value encoded as one segment; the answer is a `serde_json::Value`, or
//! any type after [`decode`](crate::RawRequest::decode).
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! use ngrok_api::Method;
//!
//! let domain = client.raw(Method::GET, "/reserved_domains/{id}").path_param("id", "rd_123").await?;
//! if let Some(new_field) = domain.get("some_new_field") {
//!     println!("{new_field}");
//! }
//!
//! // A list, walked with the same guards as the generated ones.
//! let mut items = client.raw(Method::GET, "/ip_policies").query("limit", "100").items();
//! while let Some(policy) = items.try_next().await? {
//!     println!("{}", policy["id"]);
//! }
//!
//! // A call with a body, named for errors, observers and traces.
//! client
//!     .raw(Method::PATCH, "/ip_policies/{id}")
//!     .path_param("id", "ipp_123")
//!     .body(serde_json::json!({"description": "patched raw"}))
//!     .operation("ip_policies.update_raw")
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! ## Waiters
//!
//! Some states move after the call that starts them returns: a reserved
//! domain's certificate is issued minutes after the domain is reserved.
//! [`wait_for_certificate`](crate::reserved_domains::ReservedDomains::wait_for_certificate)
//! fetches the domain until it has its certificate, waiting a growing
//! delay between fetches within an overall timeout
//! ([`WaitOptions`](crate::wait::WaitOptions)); it ends early with an
//! [`ErrorKind::WaitFailed`](crate::ErrorKind::WaitFailed) error when the
//! certificate cannot come without a fix (a DNS problem), and past its
//! timeout with [`TimeoutKind::Wait`](crate::TimeoutKind::Wait).
//! [`wait_until`](crate::wait::wait_until) builds a waiter for any state:
//! a fetch, and a check that says ready, pending or failed.
//!
//! ```no_run
//! # async fn demo(client: ngrok_api::Client) -> ngrok_api::Result<()> {
//! use std::time::Duration;
//! use ngrok_api::wait::{WaitOptions, WaitState, wait_until};
//!
//! let options = WaitOptions::new().initial_delay(Duration::from_secs(2)).timeout(Duration::from_secs(600));
//! let domain = client.reserved_domains().wait_for_certificate("rd_123", options.clone()).await?;
//!
//! // Any state: wait until an agent has an endpoint online.
//! let online = wait_until(
//!     "an endpoint online",
//!     || client.endpoints().list().limit(1),
//!     |page| if page.endpoints.is_empty() { WaitState::Pending } else { WaitState::Ready },
//!     options,
//! )
//! .await?;
//! # Ok(()) }
//! ```
//!
//! The blocking client has the same waiter, and
//! `ngrok_api::blocking::wait_until` for any state.
//!
//! ## Telemetry
//!
//! Each call runs in a `DEBUG` span named `ngrok_api.call` (target
//! `ngrok_api_runtime`), with the crate's own fields (see
//! [Tracing](super#tracing)) and those of OpenTelemetry's semantic
//! conventions for HTTP clients:
//!
//! | field | value |
//! | --- | --- |
//! | `http.request.method` | `GET`, `POST`, ... |
//! | `url.template` | the path template, `/ip_policies/{id}` |
//! | `server.address`, `server.port` | the base URL's host and port |
//! | `http.response.status_code` | the last response's status |
//! | `error.type` | the status code of an API error (`404`), or `timeout`, `connect_error`, `transport_error`, ... |
//! | `http.request.resend_count` | the retries made, when there were any |
//! | `otel.name`, `otel.kind`, `otel.status_code` | `GET /ip_policies/{id}`, `client`, and `ERROR` for a failed call |
//!
//! The `otel.*` fields are those `tracing-opentelemetry` reads for the
//! exported span's name, kind and status, so the spans export as
//! OpenTelemetry HTTP client spans with no mapping. With the current
//! `opentelemetry`, `opentelemetry_sdk`, `opentelemetry-otlp`,
//! `tracing-opentelemetry` and `tracing-subscriber` in the program (this
//! crate needs none of them):
//!
//! ```text
//! use opentelemetry::trace::TracerProvider as _;
//! use tracing_subscriber::prelude::*;
//!
//! let exporter = opentelemetry_otlp::SpanExporter::builder().with_tonic().build()?;
//! let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
//!     .with_batch_exporter(exporter)
//!     .build();
//! tracing_subscriber::registry()
//!     .with(tracing_subscriber::filter::Targets::new().with_target("ngrok_api_runtime", tracing::Level::DEBUG))
//!     .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("my-controller")))
//!     .init();
//! // ... run the controller; at exit:
//! provider.shutdown()?;
//! ```
//!
//! No field holds the key, a query, a header or a body; `path` holds the
//! call's path with its IDs, `url.template` the path without them (for
//! low-cardinality metrics, group by it).
