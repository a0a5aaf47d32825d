//! webauthn-conformance: a conformance test harness for WebAuthn relying parties.
#![forbid(unsafe_code)]

pub mod authenticator;
pub mod codec;
pub mod crypto;
pub mod drbg;

/// SHA-256 of `data` (rpIdHash, clientDataHash).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(data).into()
}
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
