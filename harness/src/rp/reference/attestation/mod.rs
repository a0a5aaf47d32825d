//! The reference RP's verification of attestation statements (W3C L3 §7.1 steps 21-24, §8).
//!
//! The decoders here are written independently of the virtual authenticator's encoders, so that
//! one symmetric bug cannot hide in both.

use crate::codec::auth_data::AuthenticatorData;
use crate::codec::cose::CoseKey;

/// What every format's verification procedure gets (§8: "attStmt, authenticatorData and
/// clientDataHash").
#[derive(Debug, Clone, Copy)]
pub struct StatementContext<'a> {
    /// The authenticator data bytes as received.
    pub auth_data_bytes: &'a [u8],
    /// The same, parsed; it carries attested credential data.
    pub auth_data: &'a AuthenticatorData,
    /// SHA-256 of clientDataJSON.
    pub client_data_hash: &'a [u8; 32],
    /// The credential public key from the attested credential data.
    pub credential_key: &'a CoseKey,
    /// The verification time, seconds since the Unix epoch (pinned in tests so nothing expires).
    pub now_unix: u64,
}

/// Attestation types (§6.5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttestationType {
    /// `none`: no attestation.
    None,
    /// Self attestation: signed by the credential key.
    SelfAttestation,
    /// Basic attestation (`packed` full, `android-key`, `android-safetynet`, `fido-u2f`).
    Basic,
    /// Attestation CA (`tpm`, `packed` full).
    AttCa,
    /// Anonymization CA (`apple`).
    AnonCa,
    /// `compound`: one result per sub-statement, in order.
    Compound(Vec<Verified>),
}

/// The output of a verification procedure: the attestation type and the trust path (§8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The attestation type.
    pub attestation_type: AttestationType,
    /// The trust path: DER certificates, leaf first (x5c as received); empty for self and none.
    pub trust_path: Vec<Vec<u8>>,
}
