//! Nothing to see here: the example is its test, `tests/conformance.rs`.
#![forbid(unsafe_code)]
