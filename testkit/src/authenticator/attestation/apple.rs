//! `apple` (W3C L3 §8.8, Anonymization CA): `{x5c: [credCert, …]}`; credCert certifies the
//! credential key and carries nonce = SHA-256(authData ‖ clientDataHash) in extension
//! 1.2.840.113635.100.8.2.

use ciborium::Value;

use super::{AttestationError, Statement, StatementInput, flip_last_bit, text, x5c};
use crate::crypto::pki::{CertSpec, Issuer, OID_CN, Pki, RawExtension};

/// One fault in an apple statement (check APL-02…APL-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Nonce extension ≠ SHA-256(authData ‖ clientDataHash) (APL-02).
    NonceMismatch,
    /// credCert certifies another key (APL-03).
    CertKeyMismatch,
    /// x5c removed: attStmt is `{}` (APL-04).
    X5cMissing,
    /// x5c is `[]` (APL-04).
    X5cEmpty,
}

/// An apple statement (§8.8), x5c = [credCert, intermediate].
pub fn produce(
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<Fault>,
) -> Result<Statement, AttestationError> {
    let mut nonce = crate::sha256(&input.signed_data()).to_vec();
    if fault == Some(Fault::NonceMismatch) {
        flip_last_bit(&mut nonce);
    }
    let other;
    let key = if fault == Some(Fault::CertKeyMismatch) {
        other = super::other_key(input.credential, "apple other key")?;
        &other
    } else {
        input.credential
    };
    let mut spec = CertSpec::leaf(vec![(OID_CN, "Virtual Apple Anonymous Attestation".into())]);
    spec.extra.push(RawExtension::apple_nonce(&nonce)?);
    let cred_cert = pki.issue(Issuer::Intermediate, &spec, key, "apple")?;
    let entries = match fault {
        Some(Fault::X5cMissing) => Vec::new(),
        Some(Fault::X5cEmpty) => vec![(text("x5c"), Value::Array(Vec::new()))],
        _ => vec![(
            text("x5c"),
            x5c(vec![cred_cert, pki.intermediate_der().to_vec()]),
        )],
    };
    Ok(Statement {
        fmt: "apple".into(),
        att_stmt: Value::Map(entries),
    })
}
