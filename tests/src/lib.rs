//! End-to-end tests of the SDK live in tests/.
