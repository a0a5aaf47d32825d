//! The harness-control extension of the FIDO2 conformance HTTP API, which both `serve` (the
//! server side, [`crate::serve`]) and the HTTP adapter (the client side, [`super::http`])
//! speak. It lives here, below both, so that neither depends on the other:
//! - `POST /harness/reset` with an [`super::RpConfig`]: a fresh RP, answered with its clock
//!   (`nowMs`) and, from `serve`, a run token (`run`);
//! - `POST /harness/clock` with `{"advanceMs": N}`: moves the RP's clock;
//! - the run token sent back on every request of the check, in [`RUN_HEADER`].

/// The request header naming the run namespace (the `run` of a `/harness/reset` answer).
pub const RUN_HEADER: &str = "x-harness-run";

/// How `/harness/reset` and `/harness/clock` begin the message of a 501 that says the RP cannot
/// be set up as asked; the adapter turns it back into `RpError::Unsupported` (a skipped check).
pub const UNSUPPORTED: &str = "unsupported: ";
