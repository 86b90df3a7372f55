//! # Errors, retries and tracing
//!
//! ## Errors
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
//! ## Retries and rate limits
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
//! ## Tracing
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
//! `tracing-opentelemetry`: see [Running ngrok-api in a controller](super::controller#telemetry).
//!
