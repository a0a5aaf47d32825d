//! Credential key pairs for the virtual authenticator, and signature verification for RPs.
//!
//! Signature formats follow W3C L3 §6.5.5 (`#sctn-signature-attestation-types`): ECDSA is an
//! ASN.1 DER Ecdsa-Sig-Value, EdDSA is the raw 64-byte RFC 8032 signature.

use crate::codec::cose::{CoseAlgorithm, CoseKey, Curve};
use crate::drbg::Drbg;

/// Why a key could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The virtual authenticator cannot make keys for this algorithm.
    #[error("the virtual authenticator does not implement {0}")]
    Unsupported(String),
}

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The key's algorithm is not one this verifier implements.
    #[error("signature algorithm {0} is not supported")]
    UnsupportedAlgorithm(String),
    /// The public key is malformed or not on its curve (W3C L3 §5.8.5 note).
    #[error("credential public key is invalid: {0}")]
    InvalidPublicKey(String),
    /// The signature bytes are not in the algorithm's encoding (DER for ECDSA).
    #[error("signature is malformed for {alg}: {detail} (W3C L3 §6.5.5)")]
    Malformed { alg: String, detail: String },
    /// The signature is well-formed but does not verify.
    #[error("signature does not verify")]
    Mismatch,
}

/// A credential private key held by the virtual authenticator.
#[derive(Clone)]
pub enum CredentialKey {
    /// ES256: ECDSA over P-256 with SHA-256.
    Es256(p256::ecdsa::SigningKey),
    /// ES384: ECDSA over P-384 with SHA-384.
    Es384(p384::ecdsa::SigningKey),
    /// EdDSA over Ed25519.
    Ed25519(ed25519_dalek::SigningKey),
}

impl std::fmt::Debug for CredentialKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CredentialKey({})", self.alg().name())
    }
}

/// Algorithms the virtual authenticator can make keys for, in its default preference order.
pub const SUPPORTED_ALGORITHMS: [CoseAlgorithm; 3] = [
    CoseAlgorithm::Es256,
    CoseAlgorithm::EdDsa,
    CoseAlgorithm::Es384,
];

impl CredentialKey {
    /// Makes a key pair from deterministic randomness.
    pub fn generate(alg: CoseAlgorithm, drbg: &mut Drbg) -> Result<Self, KeyError> {
        // A scalar draw is out of range with negligible probability; draw again if so.
        for _ in 0..16 {
            let key = match alg {
                CoseAlgorithm::Es256 => {
                    p256::ecdsa::SigningKey::from_slice(&drbg.bytes("credential key", 32))
                        .ok()
                        .map(CredentialKey::Es256)
                }
                CoseAlgorithm::Es384 => {
                    p384::ecdsa::SigningKey::from_slice(&drbg.bytes("credential key", 48))
                        .ok()
                        .map(CredentialKey::Es384)
                }
                CoseAlgorithm::EdDsa => Some(CredentialKey::Ed25519(
                    ed25519_dalek::SigningKey::from_bytes(&drbg.bytes32("credential key")),
                )),
                other => return Err(KeyError::Unsupported(other.name())),
            };
            if let Some(key) = key {
                return Ok(key);
            }
        }
        Err(KeyError::Unsupported(alg.name()))
    }

    /// An ES256 key from a raw 32-byte scalar (the W3C vectors give theirs).
    pub fn es256_from_scalar(scalar: &[u8]) -> Option<Self> {
        p256::ecdsa::SigningKey::from_slice(scalar)
            .ok()
            .map(CredentialKey::Es256)
    }

    /// The key's COSE algorithm.
    pub fn alg(&self) -> CoseAlgorithm {
        match self {
            CredentialKey::Es256(_) => CoseAlgorithm::Es256,
            CredentialKey::Es384(_) => CoseAlgorithm::Es384,
            CredentialKey::Ed25519(_) => CoseAlgorithm::EdDsa,
        }
    }

    /// The public key as a COSE_Key.
    pub fn cose_key(&self) -> CoseKey {
        match self {
            CredentialKey::Es256(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                CoseKey::Ec2 {
                    alg: CoseAlgorithm::Es256,
                    crv: Curve::P256,
                    x: point.x().map(|x| x.to_vec()).unwrap_or_default(),
                    y: point.y().map(|y| y.to_vec()).unwrap_or_default(),
                }
            }
            CredentialKey::Es384(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                CoseKey::Ec2 {
                    alg: CoseAlgorithm::Es384,
                    crv: Curve::P384,
                    x: point.x().map(|x| x.to_vec()).unwrap_or_default(),
                    y: point.y().map(|y| y.to_vec()).unwrap_or_default(),
                }
            }
            CredentialKey::Ed25519(key) => CoseKey::Okp {
                alg: CoseAlgorithm::EdDsa,
                crv: Curve::Ed25519,
                x: key.verifying_key().to_bytes().to_vec(),
            },
        }
    }

    /// Signs `message` in the algorithm's WebAuthn encoding (deterministic: RFC 6979 / RFC 8032).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        use signature::Signer as _;
        match self {
            CredentialKey::Es256(key) => {
                let sig: p256::ecdsa::Signature = key.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            CredentialKey::Es384(key) => {
                let sig: p384::ecdsa::Signature = key.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            CredentialKey::Ed25519(key) => key.sign(message).to_bytes().to_vec(),
        }
    }
}

/// Verifies `signature` over `message` with a credential public key (W3C L3 §6.5.5).
pub fn verify(key: &CoseKey, message: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
    use signature::Verifier as _;
    let malformed = |detail: String| SignatureError::Malformed {
        alg: key.alg().name(),
        detail,
    };
    match key {
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256,
            crv: Curve::P256,
            x,
            y,
        } => {
            let verifying = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(x, y))
                .map_err(|err| SignatureError::InvalidPublicKey(err.to_string()))?;
            let sig = p256::ecdsa::Signature::from_der(signature)
                .map_err(|err| malformed(err.to_string()))?;
            verifying
                .verify(message, &sig)
                .map_err(|_| SignatureError::Mismatch)
        }
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es384,
            crv: Curve::P384,
            x,
            y,
        } => {
            let verifying = p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(x, y))
                .map_err(|err| SignatureError::InvalidPublicKey(err.to_string()))?;
            let sig = p384::ecdsa::Signature::from_der(signature)
                .map_err(|err| malformed(err.to_string()))?;
            verifying
                .verify(message, &sig)
                .map_err(|_| SignatureError::Mismatch)
        }
        CoseKey::Okp {
            alg: CoseAlgorithm::EdDsa,
            crv: Curve::Ed25519,
            x,
        } => {
            let bytes: [u8; 32] = x.as_slice().try_into().map_err(|_| {
                SignatureError::InvalidPublicKey("Ed25519 key is not 32 bytes".into())
            })?;
            let verifying = ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .map_err(|err| SignatureError::InvalidPublicKey(err.to_string()))?;
            let sig = ed25519_dalek::Signature::from_slice(signature)
                .map_err(|err| malformed(err.to_string()))?;
            verifying
                .verify_strict(message, &sig)
                .map_err(|_| SignatureError::Mismatch)
        }
        other => Err(SignatureError::UnsupportedAlgorithm(other.alg().name())),
    }
}

/// Checks that a public key is usable: EC points on their curve, Ed25519 points decodable.
pub fn check_public_key(key: &CoseKey) -> Result<(), SignatureError> {
    let invalid = |err: String| SignatureError::InvalidPublicKey(err);
    match key {
        CoseKey::Ec2 {
            crv: Curve::P256,
            x,
            y,
            ..
        } => p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(x, y))
            .map(|_| ())
            .map_err(|e| invalid(e.to_string())),
        CoseKey::Ec2 {
            crv: Curve::P384,
            x,
            y,
            ..
        } => p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(x, y))
            .map(|_| ())
            .map_err(|e| invalid(e.to_string())),
        CoseKey::Okp {
            crv: Curve::Ed25519,
            x,
            ..
        } => {
            let bytes: [u8; 32] = x
                .as_slice()
                .try_into()
                .map_err(|_| invalid("Ed25519 key is not 32 bytes".into()))?;
            ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .map(|_| ())
                .map_err(|e| invalid(e.to_string()))
        }
        other => Err(SignatureError::UnsupportedAlgorithm(other.alg().name())),
    }
}

/// SEC1 uncompressed point bytes: 0x04 | x | y. Parsing these checks length and curve membership.
fn sec1_uncompressed(x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + x.len() + y.len());
    out.push(0x04);
    out.extend_from_slice(x);
    out.extend_from_slice(y);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn every_supported_algorithm_signs_and_verifies() {
        let mut drbg = Drbg::for_label(1, "crypto");
        for alg in SUPPORTED_ALGORITHMS {
            let key = CredentialKey::generate(alg, &mut drbg).unwrap_or_else(|e| panic!("{e}"));
            let cose = key.cose_key();
            let sig = key.sign(b"message");
            assert_eq!(verify(&cose, b"message", &sig), Ok(()), "{alg:?}");
            assert_eq!(
                verify(&cose, b"other message", &sig),
                Err(SignatureError::Mismatch),
                "{alg:?}"
            );
            // The COSE encoding parses back to the same key.
            assert_eq!(CoseKey::from_cbor(&cose.to_cbor()), Ok(cose));
        }
    }

    #[test]
    fn ecdsa_raw_signature_is_malformed_not_mismatch() {
        let mut drbg = Drbg::for_label(1, "raw");
        let key = CredentialKey::generate(CoseAlgorithm::Es256, &mut drbg)
            .unwrap_or_else(|e| panic!("{e}"));
        let raw = vec![1u8; 64];
        assert!(matches!(
            verify(&key.cose_key(), b"m", &raw),
            Err(SignatureError::Malformed { .. })
        ));
    }

    #[test]
    fn off_curve_point_is_an_invalid_key() {
        let key = CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256,
            crv: Curve::P256,
            x: vec![1; 32],
            y: vec![2; 32],
        };
        assert!(matches!(
            verify(
                &key,
                b"m",
                &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]
            ),
            Err(SignatureError::InvalidPublicKey(_))
        ));
    }
}
