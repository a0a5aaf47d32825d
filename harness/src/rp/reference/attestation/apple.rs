//! `apple` anonymous attestation (W3C L3 §8.8).

use ciborium::Value;

use super::cert::{self, Cert, CertError, KeyMaterial};
use super::{AttestationType, StatementContext, Verified};
use crate::codec::cbor;

/// Apple's nonce extension.
const OID_APPLE_NONCE: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.2.840.113635.100.8.2");

/// The switchable sub-checks of §8.8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// Steps 2-4: the nonce extension equals SHA-256(authData ‖ clientDataHash).
    Nonce,
    /// Step 5: credCert's public key is the credential public key.
    KeyMatchesCredential,
}

impl Check {
    /// Every check.
    pub const ALL: &[Check] = &[Check::Nonce, Check::KeyMatchesCredential];

    /// A stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Check::Nonce => "nonce",
            Check::KeyMatchesCredential => "key-matches-credential",
        }
    }
}

/// Why an `apple` statement failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AppleError {
    /// Syntax.
    #[error("apple attStmt: {0} (W3C L3 §8.8 syntax)")]
    Syntax(String),
    /// credCert cannot be read.
    #[error("credCert: {0} (W3C L3 §8.8)")]
    Cert(CertError),
    /// Steps 2-4.
    #[error(
        "credCert nonce extension 1.2.840.113635.100.8.2: {0} (W3C L3 §8.8 verification step 4)"
    )]
    Nonce(String),
    /// Step 5.
    #[error(
        "credCert's public key is not the credential public key (W3C L3 §8.8 verification step 5)"
    )]
    KeyMismatch,
}

/// §8.8 verification procedure.
pub fn verify(
    att_stmt: &Value,
    ctx: &StatementContext,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<Verified, AppleError> {
    let Value::Map(entries) = att_stmt else {
        return Err(AppleError::Syntax("attStmt must be a map".into()));
    };
    let x5c = match cbor::map_get_text(entries, "x5c") {
        Some(value) => cert::x5c_bytes(value).ok_or_else(|| {
            AppleError::Syntax(format!(
                "x5c must be an array of byte strings, found {}",
                cbor::describe(value)
            ))
        })?,
        None => Vec::new(),
    };
    // Not switchable: without credCert the trust path is empty, which step 24 rejects anyway
    // (an equivalent mutant).
    let Some(leaf_der) = x5c.first() else {
        return Err(AppleError::Syntax("x5c is missing or empty".into()));
    };
    let leaf = Cert::parse(leaf_der).map_err(AppleError::Cert)?;
    if enabled(Check::Nonce) {
        let expected = crate::sha256(&super::att_to_be_signed(ctx));
        let found = nonce(&leaf).map_err(|e| AppleError::Nonce(e.to_string()))?;
        if found != expected {
            return Err(AppleError::Nonce(format!(
                "is {}, expected SHA-256(authData ‖ clientDataHash) {}",
                hex::encode(&found),
                hex::encode(expected)
            )));
        }
    }
    if enabled(Check::KeyMatchesCredential)
        && leaf.key().map_err(AppleError::Cert)? != KeyMaterial::of_cose(ctx.credential_key)
    {
        return Err(AppleError::KeyMismatch);
    }
    Ok(Verified {
        attestation_type: AttestationType::AnonCa,
        trust_path: x5c,
    })
}

/// The extension value: SEQUENCE { [1] EXPLICIT OCTET STRING nonce }.
fn nonce(leaf: &Cert) -> Result<Vec<u8>, CertError> {
    let ext = leaf
        .extension(OID_APPLE_NONCE)
        .ok_or(CertError::Der("extension missing"))?;
    let (tag, seq, rest) = cert::read_tlv(ext.extn_value.as_bytes())?;
    if tag != 0x30 || !rest.is_empty() {
        return Err(CertError::Der("not a SEQUENCE"));
    }
    let (tag, explicit, _) = cert::read_tlv(seq)?;
    if tag != 0xa1 {
        return Err(CertError::Der("no [1] element"));
    }
    let (tag, nonce, _) = cert::read_tlv(explicit)?;
    if tag != 0x04 {
        return Err(CertError::Der("[1] is not an OCTET STRING"));
    }
    Ok(nonce.to_vec())
}
