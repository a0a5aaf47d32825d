//! `fido-u2f` (W3C L3 §8.6).

use ciborium::Value;

use super::cert::{self, Cert, CertError, KeyMaterial};
use super::{AttestationType, StatementContext, Verified};
use crate::codec::cbor;
use crate::codec::cose::{CoseAlgorithm, CoseKey, Curve};
use crate::crypto::{self, SignatureError};

/// The switchable sub-checks of §8.6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// Step 2: x5c has exactly one certificate (off: the first is used).
    SingleCert,
    /// Step 2: the certificate key is EC P-256.
    P256Key,
    /// Step 4: the credential key is EC2 with 32-byte x and y.
    CoordinateLengths,
    /// Step 6: sig verifies over verificationData (ECDSA SHA-256).
    Signature,
}

impl Check {
    /// Every check.
    pub const ALL: &[Check] = &[
        Check::SingleCert,
        Check::P256Key,
        Check::CoordinateLengths,
        Check::Signature,
    ];

    /// A stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Check::SingleCert => "single-cert",
            Check::P256Key => "p256-key",
            Check::CoordinateLengths => "coordinate-lengths",
            Check::Signature => "signature",
        }
    }
}

/// Why a `fido-u2f` statement failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FidoU2fError {
    /// Syntax.
    #[error("fido-u2f attStmt: {0} (W3C L3 §8.6 syntax)")]
    Syntax(String),
    /// Step 2.
    #[error("x5c has {0} certificates, expected exactly 1 (W3C L3 §8.6 verification step 2)")]
    CertCount(usize),
    /// attCert cannot be read.
    #[error("attCert: {0} (W3C L3 §8.6 verification step 2)")]
    Cert(CertError),
    /// Step 2.
    #[error("attCert's key is not an EC P-256 key (W3C L3 §8.6 verification step 2)")]
    NotP256,
    /// Step 4.
    #[error("credential key {0} (W3C L3 §8.6 verification step 4)")]
    CredentialKey(String),
    /// Step 6.
    #[error("sig does not verify over verificationData: {0} (W3C L3 §8.6 verification step 6)")]
    Signature(SignatureError),
}

/// §8.6 verification procedure.
pub fn verify(
    att_stmt: &Value,
    ctx: &StatementContext,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<Verified, FidoU2fError> {
    let syntax = |s: &str| FidoU2fError::Syntax(s.to_owned());
    let Value::Map(entries) = att_stmt else {
        return Err(syntax("attStmt must be a map"));
    };
    let Some(Value::Bytes(sig)) = cbor::map_get_text(entries, "sig") else {
        return Err(syntax("sig must be a byte string"));
    };
    let x5c = cbor::map_get_text(entries, "x5c")
        .and_then(cert::x5c_bytes)
        .ok_or_else(|| syntax("x5c must be an array of certificates"))?;
    if x5c.len() != 1 && (enabled(Check::SingleCert) || x5c.is_empty()) {
        return Err(FidoU2fError::CertCount(x5c.len()));
    }
    let att_cert = Cert::parse(x5c.first().map(Vec::as_slice).unwrap_or_default())
        .map_err(FidoU2fError::Cert)?;
    let key = att_cert.key().map_err(FidoU2fError::Cert)?;
    if enabled(Check::P256Key)
        && !matches!(
            key,
            KeyMaterial::Ec {
                curve: Curve::P256,
                ..
            }
        )
    {
        return Err(FidoU2fError::NotP256);
    }
    // Steps 3-5: verificationData = 0x00 ‖ rpIdHash ‖ clientDataHash ‖ credentialId ‖ 0x04 ‖ x ‖ y.
    let CoseKey::Ec2 { x, y, .. } = ctx.credential_key else {
        return Err(FidoU2fError::CredentialKey("is not an EC2 key".into()));
    };
    if enabled(Check::CoordinateLengths) && (x.len() != 32 || y.len() != 32) {
        return Err(FidoU2fError::CredentialKey(format!(
            "x is {} bytes and y {} bytes, expected 32 each",
            x.len(),
            y.len()
        )));
    }
    let credential_id = ctx
        .auth_data
        .attested_credential_data
        .as_ref()
        .map(|a| a.credential_id.as_slice())
        .unwrap_or_default();
    let mut data = vec![0x00];
    data.extend_from_slice(&ctx.auth_data.rp_id_hash);
    data.extend_from_slice(ctx.client_data_hash);
    data.extend_from_slice(credential_id);
    data.push(0x04);
    data.extend_from_slice(x);
    data.extend_from_slice(y);
    if enabled(Check::Signature) {
        // Only a P-256 key gets here unless P256Key is off; an RP that skips step 2 verifies
        // with whatever EC key attCert holds.
        let alg = match key {
            KeyMaterial::Ec {
                curve: Curve::P384, ..
            } => CoseAlgorithm::Es384,
            _ => CoseAlgorithm::Es256,
        };
        crypto::verify(&key.to_cose(alg), &data, sig).map_err(FidoU2fError::Signature)?;
    }
    Ok(Verified {
        attestation_type: AttestationType::Basic,
        trust_path: x5c,
    })
}
