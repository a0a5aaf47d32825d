//! webauthn-conformance: a conformance test harness for WebAuthn relying parties.
#![forbid(unsafe_code)]

pub mod codec;
