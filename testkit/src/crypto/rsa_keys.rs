//! RSA credential keys: RSASSA-PKCS1-v1_5 (RS1, RS256, RS384, RS512) and RSASSA-PSS (PS256,
//! PS384, PS512), RFC 8230 and RFC 8017. A WebAuthn RSA signature is the raw modulus-length
//! octet string (W3C L3 §6.5.5 `#sctn-signature-attestation-types`).

use std::sync::OnceLock;

use rsa::traits::PublicKeyParts as _;
use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPrivateKey, RsaPublicKey};

use super::{DrbgRng, KeyError, SignatureError};
use crate::codec::cose::{CoseAlgorithm, CoseKey};
use crate::drbg::Drbg;

/// Modulus size of the authenticator's RSA key: the common WebAuthn size (Windows Hello, TPMs).
pub const RSA_KEY_BITS: usize = 2048;

/// Smallest modulus `verify` accepts. Real authenticators use 2048 bits; 1024 is accepted so a
/// legacy key is judged by its signature rather than refused outright.
pub const RSA_MIN_VERIFY_BITS: usize = 1024;

/// The padding an RSA COSE algorithm uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaPadding {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
    Pkcs1v15,
    /// RSASSA-PSS with MGF1 of the same hash and salt length = hash length (RFC 8230 §2).
    Pss,
}

/// The hash an RSA COSE algorithm uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaHash {
    /// SHA-1, for RS1 only (FIDO conformance tool).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl RsaHash {
    fn digest(self, message: &[u8]) -> Vec<u8> {
        use sha2::Digest as _;
        match self {
            RsaHash::Sha1 => sha1::Sha1::digest(message).to_vec(),
            RsaHash::Sha256 => sha2::Sha256::digest(message).to_vec(),
            RsaHash::Sha384 => sha2::Sha384::digest(message).to_vec(),
            RsaHash::Sha512 => sha2::Sha512::digest(message).to_vec(),
        }
    }

    fn pkcs1v15(self) -> Pkcs1v15Sign {
        match self {
            RsaHash::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
            RsaHash::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
            RsaHash::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
            RsaHash::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
        }
    }

    /// Another SHA-2 size, for signatures over the wrong digest: SHA-384 for SHA-256, SHA-256
    /// for the others.
    pub fn other(self) -> Self {
        match self {
            RsaHash::Sha256 => RsaHash::Sha384,
            RsaHash::Sha1 | RsaHash::Sha384 | RsaHash::Sha512 => RsaHash::Sha256,
        }
    }

    /// `Pss::new` sets the salt length to the hash length, as RFC 8230 §2 requires.
    fn pss(self) -> Pss {
        match self {
            RsaHash::Sha1 => Pss::new::<sha1::Sha1>(),
            RsaHash::Sha256 => Pss::new::<sha2::Sha256>(),
            RsaHash::Sha384 => Pss::new::<sha2::Sha384>(),
            RsaHash::Sha512 => Pss::new::<sha2::Sha512>(),
        }
    }
}

/// The padding and hash of an RSA COSE algorithm, or `None` if `alg` is not one. Each algorithm
/// maps to exactly one hash: there is no default to fall back to.
pub fn rsa_scheme(alg: CoseAlgorithm) -> Option<(RsaPadding, RsaHash)> {
    match alg {
        CoseAlgorithm::Rs1 => Some((RsaPadding::Pkcs1v15, RsaHash::Sha1)),
        CoseAlgorithm::Rs256 => Some((RsaPadding::Pkcs1v15, RsaHash::Sha256)),
        CoseAlgorithm::Rs384 => Some((RsaPadding::Pkcs1v15, RsaHash::Sha384)),
        CoseAlgorithm::Rs512 => Some((RsaPadding::Pkcs1v15, RsaHash::Sha512)),
        CoseAlgorithm::Ps256 => Some((RsaPadding::Pss, RsaHash::Sha256)),
        CoseAlgorithm::Ps384 => Some((RsaPadding::Pss, RsaHash::Sha384)),
        CoseAlgorithm::Ps512 => Some((RsaPadding::Pss, RsaHash::Sha512)),
        _ => None,
    }
}

/// An RSA credential private key and the COSE algorithm it signs with.
#[derive(Clone)]
pub struct RsaKey {
    alg: CoseAlgorithm,
    padding: RsaPadding,
    hash: RsaHash,
    key: RsaPrivateKey,
}

impl RsaKey {
    /// The process-wide RSA-2048 key (see [`shared_key`]) set up for `alg`.
    pub(super) fn generate(alg: CoseAlgorithm) -> Result<Self, KeyError> {
        let (padding, hash) = rsa_scheme(alg).ok_or(KeyError::Unsupported(alg.name()))?;
        Ok(RsaKey {
            alg,
            padding,
            hash,
            key: shared_key()?,
        })
    }

    /// The key's COSE algorithm.
    pub fn alg(&self) -> CoseAlgorithm {
        self.alg
    }

    /// The public key as a COSE_Key: n and e big-endian in the fewest octets (RFC 8230 §4).
    pub fn cose_key(&self) -> CoseKey {
        CoseKey::Rsa {
            alg: self.alg,
            n: self.key.n().to_bytes_be(),
            e: self.key.e().to_bytes_be(),
        }
    }

    /// Signs with the algorithm's own hash.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.sign_with_hash(self.hash, message)
    }

    /// Signs with the algorithm's padding over another SHA-2 digest (see [`RsaHash::other`]).
    pub fn sign_with_wrong_hash(&self, message: &[u8]) -> Vec<u8> {
        self.sign_with_hash(self.hash.other(), message)
    }

    /// Signs with the algorithm's padding but the given hash (the wrong one, for negative
    /// checks). PSS salts come from a [`Drbg`] keyed by the algorithm and the digest, so the
    /// same message always gives the same signature. Signing cannot fail for a 2048-bit key and
    /// these hashes; if it did, the empty signature returned never verifies.
    pub(super) fn sign_with_hash(&self, hash: RsaHash, message: &[u8]) -> Vec<u8> {
        let digest = hash.digest(message);
        let signed = match self.padding {
            RsaPadding::Pkcs1v15 => self.key.sign(hash.pkcs1v15(), &digest),
            RsaPadding::Pss => {
                let mut ikm = b"webauthn-conformance/pss-salt/".to_vec();
                ikm.extend_from_slice(&self.alg.id().to_be_bytes());
                ikm.push(b'/');
                ikm.extend_from_slice(&digest);
                let mut rng = DrbgRng::new(Drbg::from_ikm(&ikm), "pss salt");
                self.key.sign_with_rng(&mut rng, hash.pss(), &digest)
            }
        };
        signed.unwrap_or_default()
    }
}

/// The single RSA key of this process.
///
/// Generating an RSA-2048 key means a prime search that takes far longer than the whole check
/// catalogue, so the authenticator makes ONE key, the first time one is asked for, and every RSA
/// credential gets a clone. It comes from a fixed seed (`Drbg::for_label(0, "rsa-2048")`), so
/// it is the same key, byte for byte, in every run and on every machine: reports stay
/// reproducible. The price: two RSA credentials share a key pair (a "signed by another key"
/// mutation cannot be told apart for RSA), which no check relies on today.
fn shared_key() -> Result<RsaPrivateKey, KeyError> {
    static KEY: OnceLock<Result<RsaPrivateKey, String>> = OnceLock::new();
    KEY.get_or_init(|| {
        let mut rng = DrbgRng::new(Drbg::for_label(0, "rsa-2048"), "rsa key");
        RsaPrivateKey::new(&mut rng, RSA_KEY_BITS).map_err(|err| err.to_string())
    })
    .clone()
    .map_err(KeyError::Generation)
}

/// Parses an RSA COSE public key. Refused as `InvalidPublicKey`: n or e not in the fewest
/// octets (RFC 8230 §4), a modulus under [`RSA_MIN_VERIFY_BITS`], an even modulus, an even
/// exponent, or e >= n; also what the rsa crate refuses (n over 4096 bits, e over 2^33 - 1).
pub fn rsa_public_key(n: &[u8], e: &[u8]) -> Result<RsaPublicKey, SignatureError> {
    let invalid = |detail: &str| SignatureError::InvalidPublicKey(detail.into());
    for (name, bytes) in [("n", n), ("e", e)] {
        match bytes.first() {
            None => return Err(invalid(&format!("RSA {name} is empty"))),
            Some(0) => {
                return Err(invalid(&format!(
                    "RSA {name} has a leading zero octet; RFC 8230 §4 requires the fewest octets"
                )));
            }
            Some(_) => {}
        }
    }
    let n = BigUint::from_bytes_be(n);
    let bits = n.bits();
    if bits < RSA_MIN_VERIFY_BITS {
        return Err(invalid(&format!(
            "RSA modulus is {bits} bits, under the {RSA_MIN_VERIFY_BITS} this verifier accepts"
        )));
    }
    RsaPublicKey::new(n, BigUint::from_bytes_be(e))
        .map_err(|err| SignatureError::InvalidPublicKey(format!("RSA key: {err}")))
}

/// Verifies an RSA signature for `alg` (RFC 8017 §8.1.2, §8.2.2).
pub(super) fn verify_rsa(
    alg: CoseAlgorithm,
    n: &[u8],
    e: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let (padding, hash) =
        rsa_scheme(alg).ok_or_else(|| SignatureError::UnsupportedAlgorithm(alg.name()))?;
    let public = rsa_public_key(n, e)?;
    let malformed = |detail: String| SignatureError::Malformed {
        alg: alg.name(),
        detail,
    };
    // RFC 8017 §8.2.2 step 1 / §8.1.2 step 1: the signature is exactly k octets.
    if signature.len() != public.size() {
        return Err(malformed(format!(
            "RSA signature is {} bytes, the modulus is {} (RFC 8017 §8.2.2 step 1)",
            signature.len(),
            public.size()
        )));
    }
    // RFC 8017 §5.2.2: the signature representative must be below n (else s + n would verify).
    if BigUint::from_bytes_be(signature) >= *public.n() {
        return Err(malformed(
            "RSA signature representative is not below the modulus (RFC 8017 §5.2.2)".into(),
        ));
    }
    let digest = hash.digest(message);
    let verified = match padding {
        RsaPadding::Pkcs1v15 => public.verify(hash.pkcs1v15(), &digest, signature),
        RsaPadding::Pss => public.verify(hash.pss(), &digest, signature),
    };
    verified.map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::crypto::{CredentialKey, verify};
    use sha2::Digest as _;

    fn key(alg: CoseAlgorithm) -> CredentialKey {
        CredentialKey::generate(alg, &mut Drbg::for_label(1, "rsa")).unwrap()
    }

    fn n_e(key: &CredentialKey) -> (Vec<u8>, Vec<u8>) {
        match key.cose_key() {
            CoseKey::Rsa { n, e, .. } => (n, e),
            other => panic!("not RSA: {other:?}"),
        }
    }

    #[test]
    fn the_shared_key_is_the_same_in_every_run() {
        let (n, e) = n_e(&key(CoseAlgorithm::Rs256));
        assert_eq!(n.len(), RSA_KEY_BITS / 8);
        assert_eq!(e, vec![0x01, 0x00, 0x01]);
        // Pinned: a change here means every RSA report changes.
        assert_eq!(
            hex::encode(sha2::Sha256::digest(&n)),
            "c80535fe08a018fa416bb8cc09c74351e88e0c90fc923562ca549794b7f2d44c",
            "fingerprint of the fixed-seed RSA-2048 modulus"
        );
    }

    #[test]
    fn rsa_signatures_are_modulus_length_and_deterministic() {
        for alg in [
            CoseAlgorithm::Rs1,
            CoseAlgorithm::Rs256,
            CoseAlgorithm::Rs384,
            CoseAlgorithm::Rs512,
            CoseAlgorithm::Ps256,
            CoseAlgorithm::Ps384,
            CoseAlgorithm::Ps512,
        ] {
            let (a, b) = (key(alg), key(alg));
            let sig = a.sign(b"m");
            assert_eq!(sig.len(), RSA_KEY_BITS / 8, "{alg:?}");
            assert_eq!(sig, b.sign(b"m"), "{alg:?}");
            assert_eq!(verify(&a.cose_key(), b"m", &sig), Ok(()), "{alg:?}");
        }
    }

    #[test]
    fn pss_and_pkcs1_signatures_do_not_cross_verify() {
        let pss = key(CoseAlgorithm::Ps256);
        let pkcs1 = key(CoseAlgorithm::Rs256);
        assert_eq!(
            verify(&pkcs1.cose_key(), b"m", &pss.sign(b"m")),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&pss.cose_key(), b"m", &pkcs1.sign(b"m")),
            Err(SignatureError::Mismatch)
        );
        // RS1 is SHA-1 only: an RS256 signature is not an RS1 one.
        let rs1 = key(CoseAlgorithm::Rs1);
        assert_eq!(
            verify(&rs1.cose_key(), b"m", &pkcs1.sign(b"m")),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_signature_not_below_the_modulus_is_malformed() {
        let key = key(CoseAlgorithm::Rs256);
        let (n, _) = n_e(&key);
        // s + n has the same value mod n; without the range check it would verify when it fits
        // in k octets (it is Malformed by length otherwise), and n itself is never a signature.
        let lifted = BigUint::from_bytes_be(&key.sign(b"m")) + BigUint::from_bytes_be(&n);
        for bytes in [lifted.to_bytes_be(), n.clone()] {
            assert!(matches!(
                verify(&key.cose_key(), b"m", &bytes),
                Err(SignatureError::Malformed { .. })
            ));
        }
    }

    #[test]
    fn bad_rsa_public_keys_are_invalid() {
        let (n, e) = n_e(&key(CoseAlgorithm::Rs256));
        let mut even_n = n.clone();
        if let Some(last) = even_n.last_mut() {
            *last &= 0xfe;
        }
        let mut padded_n = vec![0];
        padded_n.extend_from_slice(&n);
        let cases: [(&str, Vec<u8>, Vec<u8>); 7] = [
            ("even modulus", even_n, e.clone()),
            ("even exponent", n.clone(), vec![0x01, 0x00, 0x00]),
            ("exponent 1", n.clone(), vec![0x01]),
            ("512-bit modulus", n[..64].to_vec(), e.clone()),
            ("leading zero in n", padded_n, e.clone()),
            ("leading zero in e", n.clone(), vec![0x00, 0x01, 0x00, 0x01]),
            ("empty e", n.clone(), vec![]),
        ];
        for (what, n, e) in cases {
            let cose = CoseKey::Rsa {
                alg: CoseAlgorithm::Rs256,
                n,
                e,
            };
            assert!(
                matches!(
                    crate::crypto::check_public_key(&cose),
                    Err(SignatureError::InvalidPublicKey(_))
                ),
                "{what}"
            );
            assert!(
                matches!(
                    verify(&cose, b"m", &[0; 256]),
                    Err(SignatureError::InvalidPublicKey(_))
                ),
                "{what}"
            );
        }
    }

    #[test]
    fn a_1024_bit_modulus_is_accepted_as_a_key() {
        // The top 1024 bits of the 2048-bit modulus, made odd: a well-formed public key.
        let (n, e) = n_e(&key(CoseAlgorithm::Rs256));
        let mut short = n[..128].to_vec();
        if let Some(last) = short.last_mut() {
            *last |= 0x01;
        }
        assert!(rsa_public_key(&short, &e).is_ok());
    }

    #[test]
    fn an_rsa_key_with_a_non_rsa_alg_is_unsupported() {
        let (n, e) = n_e(&key(CoseAlgorithm::Rs256));
        for alg in [CoseAlgorithm::Es256, CoseAlgorithm::Other(-260)] {
            let cose = CoseKey::Rsa {
                alg,
                n: n.clone(),
                e: e.clone(),
            };
            assert!(matches!(
                verify(&cose, b"m", &[0; 256]),
                Err(SignatureError::UnsupportedAlgorithm(_))
            ));
            assert!(matches!(
                crate::crypto::check_public_key(&cose),
                Err(SignatureError::UnsupportedAlgorithm(_))
            ));
        }
        assert!(matches!(
            CredentialKey::generate(CoseAlgorithm::Other(-260), &mut Drbg::for_label(1, "x")),
            Err(KeyError::Unsupported(_))
        ));
    }
}
