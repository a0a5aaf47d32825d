//! Attestation statements the virtual authenticator produces (W3C L3 §8), valid and, on purpose,
//! broken by exactly one fault.
//!
//! The encoders here are written independently of the reference RP's decoders in
//! `rp::reference::attestation`, so that one symmetric bug cannot hide in both.

use ciborium::Value;

use crate::crypto::CredentialKey;

/// What every format signs over, and the credential it attests.
#[derive(Debug, Clone, Copy)]
pub struct StatementInput<'a> {
    /// The authenticator data bytes, exactly as they go into the attestation object.
    pub auth_data: &'a [u8],
    /// SHA-256 of clientDataJSON.
    pub client_data_hash: &'a [u8; 32],
    /// The new credential's key pair.
    pub credential: &'a CredentialKey,
    /// The AAGUID written in the attested credential data.
    pub aaguid: [u8; 16],
}

/// A produced statement: the `fmt` and `attStmt` members of the attestation object.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The attestation statement format identifier (§8).
    pub fmt: String,
    /// The attestation statement.
    pub att_stmt: Value,
}
