//! Credential key pairs for the virtual authenticator, and signature verification for RPs.
//!
//! Signature formats follow W3C L3 §6.5.5 (`#sctn-signature-attestation-types`): ECDSA is an
//! ASN.1 DER Ecdsa-Sig-Value, EdDSA is the raw 64-byte RFC 8032 signature (Ed448: 114 bytes),
//! RSA (RFC 8230) is the raw modulus-length octet string.

mod broken;
pub mod count;
pub mod ed448;
pub mod oid;
pub mod pki;
mod rng;
mod rsa_keys;

pub use broken::{
    der_with_non_minimal_integer, der_with_trailing_bytes, ecdsa_der_to_raw, ecdsa_zero_signature,
    lenient_ecdsa_integers, lenient_rsa_signature, rsa_signature_der_wrapped,
    rsa_signature_wrong_length,
};

pub use rng::DrbgRng;
pub use rsa_keys::{
    RSA_KEY_BITS, RSA_MIN_VERIFY_BITS, RsaHash, RsaKey, RsaPadding, rsa_public_key, rsa_scheme,
};

use crate::codec::cose::{CoseAlgorithm, CoseKey, Curve};
use crate::drbg::Drbg;
use count::{Family, Op, record};

/// Why a key could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The virtual authenticator cannot make keys for this algorithm.
    #[error("the virtual authenticator does not implement {0}")]
    Unsupported(String),
    /// Key generation itself failed (the RSA prime search).
    #[error("key generation failed: {0}")]
    Generation(String),
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
    Malformed {
        /// The key's algorithm name.
        alg: String,
        /// What is wrong with the encoding.
        detail: String,
    },
    /// The signature is well-formed but does not verify.
    #[error("signature does not verify")]
    Mismatch,
}

/// A credential private key held by the virtual authenticator.
#[derive(Clone)]
pub enum CredentialKey {
    /// ES256: ECDSA over P-256 with SHA-256 (p256 0.14, precomputed base-point tables).
    Es256(p256_fast::ecdsa::SigningKey),
    /// ES384: ECDSA over P-384 with SHA-384.
    Es384(p384::ecdsa::SigningKey),
    /// ES512: ECDSA over P-521 with SHA-512.
    Es512(p521::ecdsa::SigningKey),
    /// ES256K: ECDSA over secp256k1 with SHA-256 (RFC 8812). The reference RP does not offer
    /// it, so it is the authenticator's "algorithm nobody asked for" (§7.1 step 20).
    Es256K(k256::ecdsa::SigningKey),
    /// EdDSA over Ed25519.
    Ed25519(ed25519_dalek::SigningKey),
    /// RS1/RS256/RS384/RS512 (PKCS#1 v1.5) or PS256/PS384/PS512 (PSS), on the process-wide
    /// RSA-2048 key.
    Rsa(RsaKey),
}

impl std::fmt::Debug for CredentialKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CredentialKey({})", self.alg().name())
    }
}

/// Algorithms the virtual authenticator can make keys for, in its default preference order.
/// The first three are the original defaults and stay first, so that an RP offering several
/// algorithms still gets the same choice; later additions are appended.
pub const SUPPORTED_ALGORITHMS: [CoseAlgorithm; 12] = [
    CoseAlgorithm::Es256,
    CoseAlgorithm::EdDsa,
    CoseAlgorithm::Es384,
    CoseAlgorithm::Es512,
    CoseAlgorithm::Rs256,
    CoseAlgorithm::Rs384,
    CoseAlgorithm::Rs512,
    CoseAlgorithm::Ps256,
    CoseAlgorithm::Ps384,
    CoseAlgorithm::Ps512,
    CoseAlgorithm::Rs1,
    CoseAlgorithm::Es256K,
];

impl CredentialKey {
    /// Makes a key pair from deterministic randomness. RSA algorithms draw nothing from `drbg`:
    /// they share one fixed-seed key per process (see [`RsaKey`]).
    pub fn generate(alg: CoseAlgorithm, drbg: &mut Drbg) -> Result<Self, KeyError> {
        if rsa_scheme(alg).is_some() {
            return RsaKey::generate(alg).map(CredentialKey::Rsa);
        }
        // A scalar draw is out of range with negligible probability; draw again if so.
        for _ in 0..16 {
            let key = match alg {
                CoseAlgorithm::Es256 => {
                    p256_fast::ecdsa::SigningKey::from_slice(&drbg.bytes("credential key", 32))
                        .ok()
                        .map(CredentialKey::Es256)
                }
                CoseAlgorithm::Es384 => {
                    p384::ecdsa::SigningKey::from_slice(&drbg.bytes("credential key", 48))
                        .ok()
                        .map(CredentialKey::Es384)
                }
                CoseAlgorithm::Es512 => {
                    // 66 bytes hold 528 bits but the order is a 521-bit number: keep the top
                    // byte's low bit only, or most draws would be out of range.
                    let mut scalar = drbg.bytes("credential key", 66);
                    if let Some(top) = scalar.first_mut() {
                        *top &= 0x01;
                    }
                    p521::ecdsa::SigningKey::from_slice(&scalar)
                        .ok()
                        .map(CredentialKey::Es512)
                }
                CoseAlgorithm::Es256K => {
                    k256::ecdsa::SigningKey::from_slice(&drbg.bytes("credential key", 32))
                        .ok()
                        .map(CredentialKey::Es256K)
                }
                CoseAlgorithm::EdDsa => Some(CredentialKey::Ed25519(
                    ed25519_dalek::SigningKey::from_bytes(&drbg.bytes32("credential key")),
                )),
                other => return Err(KeyError::Unsupported(other.name())),
            };
            if let Some(key) = key {
                record(Op::KeyGen, key.family());
                return Ok(key);
            }
        }
        Err(KeyError::Unsupported(alg.name()))
    }

    /// An ES256 key from a raw 32-byte scalar (the W3C vectors give theirs).
    pub fn es256_from_scalar(scalar: &[u8]) -> Option<Self> {
        p256_fast::ecdsa::SigningKey::from_slice(scalar)
            .ok()
            .map(CredentialKey::Es256)
    }

    /// The algorithm family, for [`count`].
    pub fn family(&self) -> Family {
        match self {
            CredentialKey::Es256(_) => Family::P256,
            CredentialKey::Es384(_) => Family::P384,
            CredentialKey::Es512(_) => Family::P521,
            CredentialKey::Es256K(_) => Family::Secp256k1,
            CredentialKey::Ed25519(_) => Family::Ed25519,
            CredentialKey::Rsa(_) => Family::Rsa,
        }
    }

    /// The key's COSE algorithm.
    pub fn alg(&self) -> CoseAlgorithm {
        match self {
            CredentialKey::Es256(_) => CoseAlgorithm::Es256,
            CredentialKey::Es384(_) => CoseAlgorithm::Es384,
            CredentialKey::Es512(_) => CoseAlgorithm::Es512,
            CredentialKey::Es256K(_) => CoseAlgorithm::Es256K,
            CredentialKey::Ed25519(_) => CoseAlgorithm::EdDsa,
            CredentialKey::Rsa(key) => key.alg(),
        }
    }

    /// The public key as a COSE_Key.
    pub fn cose_key(&self) -> CoseKey {
        match self {
            CredentialKey::Es256(key) => {
                let point = key.verifying_key().to_sec1_point(false);
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
            CredentialKey::Es512(key) => {
                // p521 0.13 gates `verifying_key()` on a feature it does not define; use From.
                let point = p521::ecdsa::VerifyingKey::from(key).to_encoded_point(false);
                CoseKey::Ec2 {
                    alg: CoseAlgorithm::Es512,
                    crv: Curve::P521,
                    x: point.x().map(|x| x.to_vec()).unwrap_or_default(),
                    y: point.y().map(|y| y.to_vec()).unwrap_or_default(),
                }
            }
            CredentialKey::Es256K(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                CoseKey::Ec2 {
                    alg: CoseAlgorithm::Es256K,
                    crv: Curve::Secp256k1,
                    x: point.x().map(|x| x.to_vec()).unwrap_or_default(),
                    y: point.y().map(|y| y.to_vec()).unwrap_or_default(),
                }
            }
            CredentialKey::Ed25519(key) => CoseKey::Okp {
                alg: CoseAlgorithm::EdDsa,
                crv: Curve::Ed25519,
                x: key.verifying_key().to_bytes().to_vec(),
            },
            CredentialKey::Rsa(key) => key.cose_key(),
        }
    }

    /// Signs `message` in the algorithm's WebAuthn encoding. Always deterministic: RFC 6979 for
    /// P-256/P-384, RFC 8032 for Ed25519, and for P-521 a nonce drawn from a [`Drbg`] keyed by
    /// the private scalar and SHA-512(message) (see the private `p521_nonce_rng`).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        use signature::Signer as _;
        record(Op::Sign, self.family());
        match self {
            CredentialKey::Es256(key) => {
                use p256_fast::ecdsa::signature::Signer as _;
                let sig: p256_fast::ecdsa::Signature = key.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            CredentialKey::Es384(key) => {
                let sig: p384::ecdsa::Signature = key.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            CredentialKey::Es512(key) => {
                use sha2::Digest as _;
                es512_sign_prehash(key, &sha2::Sha512::digest(message))
            }
            CredentialKey::Es256K(key) => {
                let sig: k256::ecdsa::Signature = key.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            CredentialKey::Ed25519(key) => key.sign(message).to_bytes().to_vec(),
            CredentialKey::Rsa(key) => key.sign(message),
        }
    }

    /// A well-formed signature by this key over the wrong digest, for negative checks: it must
    /// not verify, since the algorithm fixes the hash (W3C L3 §5.8.5; RFC 9053 §2.1, RFC 8230).
    /// ES256 signs the SHA-384 digest (truncated to the field by the ecdsa crate), ES384 the
    /// SHA-256 digest, ES512 the SHA-256 digest (as the integer it is: ECDSA uses a short hash
    /// whole), RSA another SHA-2 size with its own padding. `None` for EdDSA, whose hash is
    /// fixed by Ed25519 itself.
    pub fn sign_with_wrong_hash(&self, message: &[u8]) -> Option<Vec<u8>> {
        use sha2::Digest as _;
        use signature::hazmat::PrehashSigner as _;
        if !matches!(self, CredentialKey::Ed25519(_)) {
            record(Op::Sign, self.family());
        }
        match self {
            CredentialKey::Es256(key) => {
                use p256_fast::ecdsa::signature::hazmat::PrehashSigner as _;
                let sig: p256_fast::ecdsa::Signature =
                    key.sign_prehash(&sha2::Sha384::digest(message)).ok()?;
                Some(sig.to_der().as_bytes().to_vec())
            }
            CredentialKey::Es384(key) => {
                let sig: p384::ecdsa::Signature =
                    key.sign_prehash(&sha2::Sha256::digest(message)).ok()?;
                Some(sig.to_der().as_bytes().to_vec())
            }
            CredentialKey::Es512(key) => {
                // bits2field refuses a prehash under half the 66-byte field; left-padding the
                // 32-byte digest with zeros keeps its integer value, which is what ECDSA signs.
                let mut prehash = vec![0u8; 32];
                prehash.extend_from_slice(&sha2::Sha256::digest(message));
                Some(es512_sign_prehash(key, &prehash))
            }
            CredentialKey::Es256K(key) => {
                let sig: k256::ecdsa::Signature =
                    key.sign_prehash(&sha2::Sha384::digest(message)).ok()?;
                Some(sig.to_der().as_bytes().to_vec())
            }
            CredentialKey::Ed25519(_) => None,
            CredentialKey::Rsa(key) => Some(key.sign_with_wrong_hash(message)),
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
    if let Some(family) = verifying_family(key) {
        record(Op::Verify, family);
    }
    match key {
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256,
            crv: Curve::P256,
            x,
            y,
        } => {
            // p256 0.13 here: 0.14 precomputes a table for each public key it parses, which
            // costs more than it saves on the one verification an RP makes with it.
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
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es512,
            crv: Curve::P521,
            x,
            y,
        } => {
            let verifying = p521::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(x, y))
                .map_err(|err| SignatureError::InvalidPublicKey(err.to_string()))?;
            let sig = p521::ecdsa::Signature::from_der(signature)
                .map_err(|err| malformed(err.to_string()))?;
            verifying
                .verify(message, &sig)
                .map_err(|_| SignatureError::Mismatch)
        }
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256K,
            crv: Curve::Secp256k1,
            x,
            y,
        } => {
            let verifying = k256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(x, y))
                .map_err(|err| SignatureError::InvalidPublicKey(err.to_string()))?;
            let sig = k256::ecdsa::Signature::from_der(signature)
                .map_err(|err| malformed(err.to_string()))?;
            // k256 accepts only low-s signatures in `verify`; ES256K (RFC 8812) does not
            // require low s, so normalise first as the spec's ECDSA allows either.
            let sig = sig.normalize_s().unwrap_or(sig);
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
        CoseKey::Okp {
            alg: CoseAlgorithm::Ed448,
            crv: Curve::Ed448,
            x,
        } => ed448::verify(x, message, signature).map_err(|err| match err {
            ed448::Ed448Error::InvalidPublicKey => {
                SignatureError::InvalidPublicKey("not an Ed448 point".into())
            }
            ed448::Ed448Error::Malformed => {
                malformed("not 114 bytes, R not a point, or S not below L".into())
            }
            ed448::Ed448Error::Mismatch => SignatureError::Mismatch,
        }),
        CoseKey::Rsa { alg, n, e } => rsa_keys::verify_rsa(*alg, n, e, message, signature),
        other => Err(SignatureError::UnsupportedAlgorithm(other.alg().name())),
    }
}

/// The family [`verify`] verifies `key` with, if it implements the combination. Ed448 is not
/// counted: only the W3C vectors carry it (the virtual authenticator makes no Ed448 credentials),
/// so no catalogue run verifies one.
fn verifying_family(key: &CoseKey) -> Option<Family> {
    match key {
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256,
            crv: Curve::P256,
            ..
        } => Some(Family::P256),
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es384,
            crv: Curve::P384,
            ..
        } => Some(Family::P384),
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es512,
            crv: Curve::P521,
            ..
        } => Some(Family::P521),
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256K,
            crv: Curve::Secp256k1,
            ..
        } => Some(Family::Secp256k1),
        CoseKey::Okp {
            alg: CoseAlgorithm::EdDsa,
            crv: Curve::Ed25519,
            ..
        } => Some(Family::Ed25519),
        CoseKey::Rsa { .. } => Some(Family::Rsa),
        _ => None,
    }
}

/// Checks that a public key is usable: EC points on their curve, Ed25519 and Ed448 points
/// decodable.
///
/// The alg, kty and crv must be a combination this module implements (§5.8.5 fixes the curve by
/// the algorithm); anything else is `UnsupportedAlgorithm`, never a guess.
pub fn check_public_key(key: &CoseKey) -> Result<(), SignatureError> {
    let invalid = |err: String| SignatureError::InvalidPublicKey(err);
    match key {
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256,
            crv: Curve::P256,
            x,
            y,
        } => p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(x, y))
            .map(|_| ())
            .map_err(|e| invalid(e.to_string())),
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es384,
            crv: Curve::P384,
            x,
            y,
        } => p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(x, y))
            .map(|_| ())
            .map_err(|e| invalid(e.to_string())),
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es512,
            crv: Curve::P521,
            x,
            y,
        } => p521::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(x, y))
            .map(|_| ())
            .map_err(|e| invalid(e.to_string())),
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256K,
            crv: Curve::Secp256k1,
            x,
            y,
        } => k256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1_uncompressed(x, y))
            .map(|_| ())
            .map_err(|e| invalid(e.to_string())),
        CoseKey::Okp {
            alg: CoseAlgorithm::EdDsa,
            crv: Curve::Ed25519,
            x,
        } => {
            let bytes: [u8; 32] = x
                .as_slice()
                .try_into()
                .map_err(|_| invalid("Ed25519 key is not 32 bytes".into()))?;
            ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .map(|_| ())
                .map_err(|e| invalid(e.to_string()))
        }
        CoseKey::Okp {
            alg: CoseAlgorithm::Ed448,
            crv: Curve::Ed448,
            x,
        } => {
            if ed448::is_valid_public_key(x) {
                Ok(())
            } else {
                Err(invalid("not an Ed448 point".into()))
            }
        }
        CoseKey::Rsa { alg, n, e } if rsa_scheme(*alg).is_some() => {
            rsa_public_key(n, e).map(|_| ())
        }
        other => Err(SignatureError::UnsupportedAlgorithm(other.alg().name())),
    }
}

/// ES512 over a caller-chosen prehash, DER encoded. p521 0.13 has no RFC 6979 signer (its
/// `Signer` draws the nonce from the OS), so the nonce comes from [`p521_nonce_rng`] instead.
/// The prehash is fitted to the field by `bits2field` (left-padded or truncated).
fn es512_sign_prehash(key: &p521::ecdsa::SigningKey, prehash: &[u8]) -> Vec<u8> {
    use signature::hazmat::RandomizedPrehashSigner as _;
    let mut rng = p521_nonce_rng(key, prehash);
    // Fails only for a prehash under half the field size (33 bytes) or a zero r/s, which a
    // SHA-512 prehash and a fresh nonce make negligible; an empty signature then never verifies.
    key.sign_prehash_with_rng(&mut rng, prehash)
        .map(|sig: p521::ecdsa::Signature| sig.to_der().as_bytes().to_vec())
        .unwrap_or_default()
}

/// A deterministic nonce source for P-521: a [`Drbg`] keyed by the private scalar and the
/// prehash, in the spirit of RFC 6979 (same key and message, same nonce; different message,
/// different nonce), so signatures are reproducible and no two messages share a nonce.
fn p521_nonce_rng(key: &p521::ecdsa::SigningKey, prehash: &[u8]) -> DrbgRng {
    let mut ikm = b"webauthn-conformance/es512-nonce/".to_vec();
    ikm.extend_from_slice(&key.to_bytes());
    ikm.push(b'/');
    ikm.extend_from_slice(prehash);
    DrbgRng::new(Drbg::from_ikm(&ikm), "ecdsa nonce")
}

/// SEC1 uncompressed point bytes: 0x04 | x | y. Parsing these checks length and curve membership.
pub fn sec1_uncompressed(x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + x.len() + y.len());
    out.push(0x04);
    out.extend_from_slice(x);
    out.extend_from_slice(y);
    out
}

#[cfg(test)]
mod tests;
