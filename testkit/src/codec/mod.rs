//! Strict, typed WebAuthn encodings: base64url, CBOR, COSE keys, authenticator data, attestation
//! objects, CollectedClientData and the JSON wire types of `PublicKeyCredential.toJSON()`.
//!
//! Every parser returns a typed error naming what it found and what it expected, and never
//! panics. Every type also has an encoder: the virtual authenticator builds its responses with
//! them, and a mutation changes a typed value before it is encoded.

pub mod attestation_object;
pub mod auth_data;
pub mod b64url;
pub mod cbor;
pub mod client_data;
pub mod cose;
pub mod options;
pub mod wire;
