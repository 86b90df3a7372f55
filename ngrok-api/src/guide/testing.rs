//! # Testing with the emulator
//!
//! The `ngrok-api-mock` crate is a stateful emulator of the API built from
//! the same description as this crate: objects you create are listed,
//! updated and deleted as the real API would, with its validation, its
//! error codes, paging and filters. Start one in-process in a test and
//! point a client at it; each test gets its own, on a free port, and needs
//! no account and no network. Add it as a dev-dependency beside `tokio`
//! (with its `macros` and `rt` features).
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
//! ## Faults, rate limits and the journal
//!
//! A test of error handling makes the emulator misbehave on purpose:
//! `Fault` answers matching requests with a
//! status, a body, a delay or a dropped connection, once or
//! `always()`; `set_rate_limit` answers 429s
//! past a budget; and the journal records every request the emulator
//! received (the key redacted), to check what was sent.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use ngrok_api_mock::{Fault, MockServer};
//!
//! let mock = MockServer::start().await;
//! let client = ngrok_api::Client::builder().api_key("test").base_url(mock.url()).build().unwrap();
//!
//! // The first GET fails with a 503; the client's retry gets the list.
//! mock.fault(Fault::on("GET", "/ip_policies").status(503));
//! let page = client.ip_policies().list().await.unwrap();
//! assert!(page.ip_policies.is_empty());
//! assert_eq!(mock.journal().iter().filter(|r| r.path == "/ip_policies").count(), 2);
//!
//! // A 404 is not retried, and says so.
//! mock.fault(Fault::on("GET", "/ip_policies/*").status(404));
//! let err = client.ip_policies().get("ipp_missing").await.unwrap_err();
//! assert!(err.is_not_found());
//! # }
//! ```
//!
//! `MockServer::builder()` sets the
//! rest: seed data, latency, its own API key, and whether the legacy
//! services (edges, backends) accept writes, which the live API refuses
//! for most accounts. The emulator also runs as a program
//! (`ngrok-api-mock --port 0` prints its URL as the first line of output)
//! for tests in other languages; its README lists every option.
//!
//! ## Values built by hand
//!
//! Logic that only looks at values needs no emulator. Every response type
//! implements `Default` and has public fields, so a test builds the
//! values it plans from. Response types are `#[non_exhaustive]`, so that
//! fields ngrok adds later do not break such code: start from
//! `default()` and set fields.
//!
//! ```
//! use ngrok_api::types::{Endpoint, EndpointType};
//!
//! fn needs_policy(e: &Endpoint) -> bool {
//!     e.r#type == EndpointType::Cloud && e.traffic_policy.is_empty()
//! }
//!
//! let mut endpoint = Endpoint::default();
//! endpoint.id = "ep_test".into();
//! endpoint.r#type = EndpointType::Cloud;
//! assert!(needs_policy(&endpoint));
//! endpoint.traffic_policy = r#"{"on_http_request":[]}"#.into();
//! assert!(!needs_policy(&endpoint));
//! ```
