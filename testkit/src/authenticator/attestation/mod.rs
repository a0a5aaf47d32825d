//! Attestation statements the virtual authenticator produces (W3C L3 §8), valid and, on purpose,
//! broken by exactly one fault.
//!
//! The encoders here are written independently of the reference RP's decoders in
//! `rp::reference::attestation`, so that one symmetric bug cannot hide in both.
//!
//! Each format module has a `produce` function and a `Fault` enum: one variant per one-fault
//! mutation of W3C L3 §8.2 to §8.9. A fault that a specific check must catch leaves
//! everything else valid (signatures are made over the faulty bytes).

pub mod android_key;
pub mod apple;
pub mod compound;
pub mod fido_u2f;
pub mod metadata;
pub mod packed;
pub mod safetynet;
pub mod tpm;

use std::borrow::Cow;

use ciborium::Value;

use super::AttestationFormat;
use crate::crypto::pki::{self, Pki, PkiError};
use crate::crypto::{CredentialKey, KeyError};

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
    /// The new credential's ID (fido-u2f signs it, W3C L3 §8.6).
    pub credential_id: &'a [u8],
    /// The authenticator's clock, Unix milliseconds (safetynet `timestampMs`, §8.5).
    pub clock_ms: u64,
}

impl StatementInput<'_> {
    /// authData ‖ clientDataHash: what packed, android-key and TPM (via extraData) sign.
    pub fn signed_data(&self) -> Vec<u8> {
        let mut out = self.auth_data.to_vec();
        out.extend_from_slice(self.client_data_hash);
        out
    }
}

/// A produced statement: the `fmt` and `attStmt` members of the attestation object.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The attestation statement format identifier (§8).
    pub fmt: String,
    /// The attestation statement.
    pub att_stmt: Value,
}

/// Why a statement could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AttestationError {
    /// A certificate could not be built.
    #[error("attestation PKI: {0}")]
    Pki(#[from] PkiError),
    /// An attestation key could not be made.
    #[error("attestation key: {0}")]
    Key(#[from] KeyError),
    /// The format cannot attest this kind of credential key.
    #[error("{format} cannot attest a {alg} credential")]
    UnsupportedCredential {
        /// The attestation statement format identifier (`fido-u2f`, `tpm`, ...).
        format: &'static str,
        /// The credential's algorithm name (`ES256`, `EdDSA`, ...).
        alg: String,
    },
}

/// `none` (W3C L3 §8.7): an empty attStmt.
pub fn none() -> Statement {
    Statement {
        fmt: "none".into(),
        att_stmt: Value::Map(Vec::new()),
    }
}

/// Produces the statement for `format`, with `fault` applied when it belongs to that format.
/// A fault of another format is an error-free no-op only for `None`; callers pick the format
/// from the fault ([`StatementFault::format`]).
pub fn produce(
    format: AttestationFormat,
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<&StatementFault>,
) -> Result<Statement, AttestationError> {
    match format {
        AttestationFormat::None => Ok(none()),
        AttestationFormat::PackedSelf => {
            let fault = match fault {
                Some(StatementFault::Packed(f)) => Some(*f),
                _ => None,
            };
            packed::self_attestation(input, pki, fault)
        }
        AttestationFormat::Packed => packed::produce(
            input,
            pki,
            match fault {
                Some(StatementFault::Packed(f)) => Some(*f),
                _ => None,
            },
        ),
        AttestationFormat::FidoU2f => fido_u2f::produce(
            input,
            pki,
            match fault {
                Some(StatementFault::FidoU2f(f)) => Some(*f),
                _ => None,
            },
        ),
        AttestationFormat::Tpm => tpm::produce(
            input,
            pki,
            match fault {
                Some(StatementFault::Tpm(f)) => Some(*f),
                _ => None,
            },
        ),
        AttestationFormat::AndroidKey => android_key::produce(
            input,
            pki,
            match fault {
                Some(StatementFault::AndroidKey(f)) => Some(*f),
                _ => None,
            },
        ),
        AttestationFormat::AndroidSafetyNet => safetynet::produce(
            input,
            pki,
            match fault {
                Some(StatementFault::AndroidSafetyNet(f)) => Some(*f),
                _ => None,
            },
        ),
        AttestationFormat::Apple => apple::produce(
            input,
            pki,
            match fault {
                Some(StatementFault::Apple(f)) => Some(*f),
                _ => None,
            },
        ),
        AttestationFormat::Compound => compound::produce(
            input,
            pki,
            match fault {
                Some(StatementFault::Compound(f)) => Some(*f),
                _ => None,
            },
        ),
    }
}

/// `pki`, or (for the untrusted-root faults) [`Pki::untrusted`]: same shape, a root nobody
/// trusts.
pub(crate) fn pki_or_untrusted(
    pki: &Pki,
    untrusted: bool,
) -> Result<Cow<'_, Pki>, AttestationError> {
    Ok(if untrusted {
        Cow::Owned(Pki::untrusted()?)
    } else {
        Cow::Borrowed(pki)
    })
}

/// The trust anchor for every valid statement produced here: [`Pki::standard`]'s root.
pub fn trust_anchor_der() -> Result<Vec<u8>, AttestationError> {
    Ok(Pki::standard()?.root_der().to_vec())
}

pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// Sets `key` in a CBOR map (in place if present, else appended).
pub(crate) fn set(entries: &mut Vec<(Value, Value)>, key: &str, value: Value) {
    match entries
        .iter_mut()
        .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
    {
        Some((_, slot)) => *slot = value,
        None => entries.push((text(key), value)),
    }
}

/// Removes `key` from a CBOR map.
pub(crate) fn remove(entries: &mut Vec<(Value, Value)>, key: &str) {
    entries.retain(|(k, _)| !matches!(k, Value::Text(t) if t == key));
}

/// Flips the lowest bit of the last byte (a signature that stays well-formed but fails).
pub(crate) fn flip_last_bit(bytes: &mut [u8]) {
    if let Some(last) = bytes.last_mut() {
        *last ^= 0x01;
    }
}

/// An x5c array of DER certificates.
pub(crate) fn x5c(certs: Vec<Vec<u8>>) -> Value {
    Value::Array(certs.into_iter().map(Value::Bytes).collect())
}

/// Another key than the credential's, for "certificate key ≠ credential key" faults. RSA
/// credentials share one process-wide key, so their stand-in is an ES256 key.
pub(crate) fn other_key(
    credential: &CredentialKey,
    label: &str,
) -> Result<CredentialKey, AttestationError> {
    let alg = match credential {
        CredentialKey::Rsa(_) => crate::codec::cose::CoseAlgorithm::Es256,
        other => other.alg(),
    };
    Ok(pki::attestation_key(alg, label)?)
}

/// One fault in an attestation statement, by format (W3C L3 §8.2 to §8.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementFault {
    /// `packed` (full, or self for the `Self*` faults).
    Packed(packed::Fault),
    /// `fido-u2f`.
    FidoU2f(fido_u2f::Fault),
    /// `tpm`.
    Tpm(tpm::Fault),
    /// `android-key`.
    AndroidKey(android_key::Fault),
    /// `android-safetynet`.
    AndroidSafetyNet(safetynet::Fault),
    /// `apple`.
    Apple(apple::Fault),
    /// `compound`.
    Compound(compound::Fault),
}

impl StatementFault {
    /// The format the fault belongs to.
    pub fn format(&self) -> AttestationFormat {
        match self {
            StatementFault::Packed(f) if f.is_self() => AttestationFormat::PackedSelf,
            StatementFault::Packed(_) => AttestationFormat::Packed,
            StatementFault::FidoU2f(_) => AttestationFormat::FidoU2f,
            StatementFault::Tpm(_) => AttestationFormat::Tpm,
            StatementFault::AndroidKey(_) => AttestationFormat::AndroidKey,
            StatementFault::AndroidSafetyNet(_) => AttestationFormat::AndroidSafetyNet,
            StatementFault::Apple(_) => AttestationFormat::Apple,
            StatementFault::Compound(_) => AttestationFormat::Compound,
        }
    }
}

#[cfg(test)]
mod tests;
