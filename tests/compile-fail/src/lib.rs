//! Nothing here: the crate exists for `tests/compile_fail.rs`.
