//! webauthn-conformance: a conformance test harness for WebAuthn relying parties.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

// The codecs, keys, randomness and virtual authenticator live in the `webauthn-testkit` crate
// (no CLI, HTTP or adapter dependencies); re-exported so `crate::codec::...` reads as before.
pub use webauthn_testkit::{authenticator, codec, crypto, drbg, emit, sha256, spec};

pub mod checks;
pub mod expectations;
pub mod fuzzing;
pub mod mutants;
pub mod report;
pub mod rp;
pub mod runner;
pub mod serve;
pub mod testing;
pub mod vectors;
