//! `fido-u2f` (W3C L3 §8.6): `{sig, x5c: [one certificate]}` over the U2F verificationData.

use ciborium::Value;

use super::{
    AttestationError, Statement, StatementInput, flip_last_bit, pki_or_untrusted, text, x5c,
};
use crate::codec::cose::{CoseAlgorithm, CoseKey};
use crate::crypto::pki::{self, CertSpec, Issuer, OID_CN, Pki};

/// Label of the U2F attestation key (ES256).
pub const ATTESTATION_KEY_LABEL: &str = "fido-u2f attestation key";

/// One fault in a fido-u2f statement (check U2F-02…U2F-07).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// AAGUID not zero (U2F-02). Lives in authData, not attStmt: the client keeps the
    /// configured AAGUID instead of zeroing it; the producer ignores it.
    AaguidNonZero,
    /// sig does not verify (U2F-03).
    SigInvalid,
    /// x5c holds two certificates, [leaf, root] (U2F-04).
    X5cTwoCerts,
    /// x5c is `[]` (U2F-04).
    X5cEmpty,
    /// The certificate key is P-384, sig made by it (U2F-05, §8.6 step 2).
    CertNotP256,
    /// sig over verificationData without the leading 0x00 (U2F-07).
    SigWithoutLeadingZero,
    /// sig over a compressed publicKeyU2F (0x02/0x03 ‖ x) (U2F-07).
    SigOverCompressedKey,
    /// The batch certificate is issued by a root nobody trusts (TRUST-02.fido-u2f).
    UntrustedRoot,
}

/// verificationData = 0x00 ‖ rpIdHash ‖ clientDataHash ‖ credentialId ‖ publicKeyU2F
/// (§8.6 step 5), with publicKeyU2F = 0x04 ‖ x ‖ y (step 4).
pub fn verification_data(
    input: &StatementInput<'_>,
    fault: Option<Fault>,
) -> Result<Vec<u8>, AttestationError> {
    let (x, y) = match input.credential.cose_key() {
        CoseKey::Ec2 { x, y, .. } => (x, y),
        other => {
            return Err(AttestationError::UnsupportedCredential {
                format: "fido-u2f",
                alg: other.alg().name(),
            });
        }
    };
    let mut out = Vec::new();
    if fault != Some(Fault::SigWithoutLeadingZero) {
        out.push(0x00);
    }
    out.extend_from_slice(&input.auth_data[..input.auth_data.len().min(32)]);
    out.extend_from_slice(input.client_data_hash);
    out.extend_from_slice(input.credential_id);
    if fault == Some(Fault::SigOverCompressedKey) {
        let odd = y.last().is_some_and(|b| b & 1 == 1);
        out.push(if odd { 0x03 } else { 0x02 });
        out.extend_from_slice(&x);
    } else {
        out.push(0x04);
        out.extend_from_slice(&x);
        out.extend_from_slice(&y);
    }
    Ok(out)
}

/// A fido-u2f statement (§8.6): the certificate is issued by the root directly, since x5c
/// holds exactly one certificate.
pub fn produce(
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<Fault>,
) -> Result<Statement, AttestationError> {
    let (alg, label) = if fault == Some(Fault::CertNotP256) {
        (CoseAlgorithm::Es384, "fido-u2f p384 attestation key")
    } else {
        (CoseAlgorithm::Es256, ATTESTATION_KEY_LABEL)
    };
    let pki = pki_or_untrusted(pki, fault == Some(Fault::UntrustedRoot))?;
    let key = pki::attestation_key(alg, label)?;
    let spec = CertSpec::leaf(vec![(OID_CN, "Virtual U2F Attestation".into())]);
    // Two certificates: a leaf under the intermediate, and the intermediate, a chain that
    // verifies, so only the one-certificate rule of §8.6 refuses it (a root in x5c would also
    // break the fido profile's Resp-5 F-10).
    let issuer = if fault == Some(Fault::X5cTwoCerts) {
        Issuer::Intermediate
    } else {
        Issuer::Root
    };
    let cert = pki.issue(issuer, &spec, &key, label)?;
    let mut sig = key.sign(&verification_data(input, fault)?);
    if fault == Some(Fault::SigInvalid) {
        flip_last_bit(&mut sig);
    }
    let certs = match fault {
        Some(Fault::X5cTwoCerts) => vec![cert, pki.intermediate_der().to_vec()],
        Some(Fault::X5cEmpty) => Vec::new(),
        _ => vec![cert],
    };
    Ok(Statement {
        fmt: "fido-u2f".into(),
        att_stmt: Value::Map(vec![
            (text("sig"), Value::Bytes(sig)),
            (text("x5c"), x5c(certs)),
        ]),
    })
}
