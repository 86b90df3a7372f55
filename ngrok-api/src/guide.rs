//! The guide to the crate, in chapters. Read the first one before anything
//! else; the others stand alone, and every section links what it uses.
//!
//! 1. [Getting started](getting_started): a client, requests and what they
//!    resolve to, updates that clear a field, the blocking client, features.
//! 2. [Paging and filters](paging): lists as streams, page sizes, resuming
//!    a walk, CEL filters.
//! 3. [Errors, retries and tracing](errors): what an error says, which
//!    calls are retried, the span every call records.
//! 4. [Testing with the emulator](testing): `ngrok-api-mock` in a test,
//!    fault injection, and values built by hand for logic that needs no
//!    server.
//! 5. [Cloud endpoints and traffic policy](cloud_endpoints): today's way
//!    to put traffic on the internet, with typed policies.
//! 6. [From edges to cloud endpoints](edges_to_endpoints): each legacy
//!    service (edges, routes, modules, backends) and what replaces it, with
//!    code.
//! 7. [Running ngrok-api in a controller](controller): per-call settings,
//!    observation hooks, raw calls, waiters and telemetry.
//! 8. [Migrating from ngrok's 0.12 crate](migrating): the same tasks in
//!    both, and the renamed request types of this version.

pub mod getting_started;
pub mod paging;
pub mod errors;
pub mod testing;
pub mod cloud_endpoints;
pub mod edges_to_endpoints;
pub mod controller;
pub mod migrating;
