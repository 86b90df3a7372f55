//! An async client for the [ngrok API](https://ngrok.com/docs/api/) (v2):
//! every service, typed models, lazy automatic paging, retries that respect
//! the rate limit, and errors that say everything.
//!
//! **Start with [the guide](guide)**; the services most programs use today
//! are [cloud endpoints](crate::endpoints::Endpoints) and their traffic
//! policy, [reserved domains](crate::reserved_domains::ReservedDomains) and
//! [addresses](crate::reserved_addrs::ReservedAddrs),
//! [IP policies](crate::ip_policies::IpPolicies) and
//! [API keys](crate::api_keys::ApiKeys), all reached from a [`Client`]. Edges,
//! their modules and backends are legacy: ngrok sunset them on 2025-12-31
//! (see [Services](#services), and [the guide's chapter on moving to cloud
//! endpoints](guide::edges_to_endpoints)). Tests run against `ngrok-api-mock`, an
//! emulator of the whole API.
//!
//! ```no_run
//! # async fn demo() -> Result<(), ngrok_api::Error> {
//! use ngrok_api::types::EndpointType;
//!
//! let client = ngrok_api::Client::from_env()?; // NGROK_API_KEY
//! let domain = client.reserved_domains().create().domain("app.example.com").await?;
//! let policy = r#"{"on_http_request":[{"actions":[{"type":"custom-response","config":{"status_code":200,"content":"hello"}}]}]}"#;
//! let endpoint = client.endpoints().create("https://app.example.com", EndpointType::Cloud, policy).await?;
//! println!("{} serves {}", endpoint.id, domain.domain);
//!
//! let mut endpoints = client.endpoints().list().items();
//! while let Some(e) = endpoints.try_next().await? {
//!     println!("{} {}", e.id, e.url);
//! }
//! # Ok(()) }
//! ```
#![doc = include_str!("../DOCS.md")]
#![doc = include_str!("generated/services.md")]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The API is https only: a build that could not speak TLS would compile
// and then fail on every call, so it does not compile.
#[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
compile_error!(
    "ngrok-api needs a TLS backend: enable its `rustls` feature (on by default), its `rustls-ring` feature or its `native-tls` feature, \
     e.g. `ngrok-api = { version = \"0.13\", default-features = false, features = [\"rustls\", \"tunnels\"] }`"
);

// The runtime, a crate of its own, is reached as `crate::runtime` by the
// generated modules. Users reach everything they need from the crate root.
#[doc(hidden)]
pub use ngrok_api_runtime as runtime;
// Declared before the generated modules so `Client`'s own methods
// (construction first) come before the service accessors in its docs.
mod client;
mod builder;
mod generated;
pub mod guide;
#[cfg(feature = "traffic-policy")]
#[cfg_attr(docsrs, doc(cfg(feature = "traffic-policy")))]
pub mod traffic_policy;
mod any_client;
mod raw;
mod waiters;
#[cfg(feature = "blocking")]
pub mod blocking;

pub use generated::types;
// Empty when every service feature is off.
#[allow(unused_imports)]
pub use generated::*;
/// The HTTP client this crate is built on, re-exported so that a
/// [`ClientBuilder::http_client`] is always built with the same version:
/// `ngrok_api::reqwest::Client::builder()`.
pub use reqwest;
pub use any_client::AnyClient;
#[doc(hidden)]
pub use any_client::Twin;
pub use builder::ClientBuilder;
pub use runtime::observe;
pub use runtime::wait;
pub use client::Client;
pub use runtime::{
    ApiErrorBody, Error, ErrorCode, ErrorKind, Items, Method, Page, Pages, RateLimit, RawPage, RawRequest,
    Redacted, ResponseFuture, RetryPolicy, StatusCode, TimeoutKind, Timestamp,
};

// README.md's examples compile as doctests. One shows the blocking
// client, so they are compiled with that feature on (as in
// `cargo test --workspace`, where the blocking example turns it on).
#[cfg(all(doctest, feature = "blocking"))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// The result of every call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
