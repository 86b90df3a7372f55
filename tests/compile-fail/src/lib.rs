//! Nothing here: the crate exists for its tests, `tests/compile_fail.rs`
//! (trybuild cases) and `tests/no_tls.rs` (a build without TLS).
