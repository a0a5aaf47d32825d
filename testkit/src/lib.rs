//! webauthn-testkit: the dependency-free half of webauthn-conformance, for RP teams who want
//! real WebAuthn responses in their own tests without the harness's CLI, HTTP or RP adapters.
//!
//! - [`codec`]: strict parsers and encoders of everything an RP reads: base64url, CBOR, COSE
//!   keys, authenticator data, attestation objects, CollectedClientData and the JSON wire types
//!   of `PublicKeyCredential.toJSON()` (W3C WebAuthn Level 3 §5.1, §5.8.1, §6.1, §6.5).
//! - [`crypto`]: credential keys of every algorithm the authenticator offers, signature checks,
//!   and a test PKI for attestation certificates.
//! - [`drbg`]: the deterministic random bit generator everything draws from: same seed, same
//!   bytes.
//! - [`authenticator`]: a virtual authenticator and client that turn creation or request
//!   options JSON into a registration or assertion response, valid or with exactly one fault
//!   ([`authenticator::Mutation`]).
//!
//! **Deterministic keys, for testing only.** Every key here is derived from a seed that anyone
//! can reproduce; nothing this crate makes may protect a real account.
//!
//! ```
//! use webauthn_testkit::authenticator::{VirtualAuthenticator, VirtualClient};
//! use webauthn_testkit::drbg::Drbg;
//!
//! let options = r#"{"status":"ok","errorMessage":"","rp":{"id":"example.org","name":"Example"},
//!   "user":{"id":"dXNlcg","name":"alice","displayName":"Alice"},"challenge":"AAAAAAAAAAAAAAAAAAAAAA",
//!   "pubKeyCredParams":[{"type":"public-key","alg":-7}],"attestation":"none"}"#;
//! let options: serde_json::Value = serde_json::from_str(options).expect("JSON");
//! let authenticator = VirtualAuthenticator::new(Default::default(), Drbg::for_label(1, "doc"));
//! let mut client = VirtualClient::new("https://example.org", authenticator);
//! let created = client.register(&options, &[]).expect("a registration");
//! assert!(created.body.contains("\"attestationObject\""));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod authenticator;
pub mod codec;
pub mod crypto;
pub mod drbg;
pub mod emit;
pub mod spec;

/// SHA-256 of `data` (rpIdHash, clientDataHash).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(data).into()
}
