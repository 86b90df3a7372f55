//! # Paging and filters
//!
//! ## Pages and items
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
//! ## Filters (CEL)
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
