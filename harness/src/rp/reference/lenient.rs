//! Lenient signature readings that real verifiers have shipped, used only by the reference RP's
//! `Sig*` mutants: each one turns a refusal of W3C L3 §6.5.5 into an acceptance, so the
//! algorithm checks (check ALG-10 to ALG-12) are proven able to fail.

use signature::hazmat::PrehashVerifier as _;

use super::mutant::{Mutant, Switches};
use crate::codec::cose::{CoseKey, Curve};
use crate::crypto::{self, SignatureError};

/// A lenient reading: does it accept `signature` over `message` with `key`?
type Reading = fn(&CoseKey, &[u8], &[u8]) -> bool;

/// Verifies as [`crypto::verify`] does, unless a `Sig*` mutant is on and its lenient reading
/// accepts what the strict one refused.
pub fn verify_signature(
    key: &CoseKey,
    message: &[u8],
    signature: &[u8],
    switches: Switches,
) -> Result<(), SignatureError> {
    let strict = crypto::verify(key, message, signature);
    if strict.is_ok() {
        return strict;
    }
    let readings: [(Mutant, Reading); 5] = [
        (Mutant::SigAcceptRawEcdsa, raw_ecdsa),
        (Mutant::SigAcceptBerEcdsa, ber_ecdsa),
        (Mutant::SigAcceptZeroEcdsa, zero_ecdsa),
        (Mutant::SigAcceptAnyHash, any_hash),
        (Mutant::SigAcceptLenientRsa, lenient_rsa),
    ];
    for (mutant, accepts) in readings {
        if !switches.checks(mutant) && accepts(key, message, signature) {
            return Ok(());
        }
    }
    strict
}

/// A fixed-width `r ‖ s` taken as the signature, as WebCrypto and JOSE write ECDSA.
fn raw_ecdsa(key: &CoseKey, message: &[u8], signature: &[u8]) -> bool {
    let CoseKey::Ec2 { crv, .. } = key else {
        return false;
    };
    let width = crv.coordinate_len();
    signature.len() == 2 * width
        && der_of(key, &signature[..width], &signature[width..])
            .is_some_and(|der| crypto::verify(key, message, &der).is_ok())
}

/// BER read as if it were DER: trailing bytes and non-minimal integers tolerated.
fn ber_ecdsa(key: &CoseKey, message: &[u8], signature: &[u8]) -> bool {
    crypto::lenient_ecdsa_integers(signature)
        .and_then(|(r, s)| der_of(key, &r, &s))
        .is_some_and(|der| crypto::verify(key, message, &der).is_ok())
}

/// r = s = 0 accepted without the range check (CVE-2022-21449).
fn zero_ecdsa(key: &CoseKey, _message: &[u8], signature: &[u8]) -> bool {
    matches!(key, CoseKey::Ec2 { .. })
        && crypto::lenient_ecdsa_integers(signature)
            .is_some_and(|(r, s)| r.is_empty() && s.is_empty())
}

/// The digest is not tied to the algorithm: any SHA-2 size (or RSA hash) that verifies passes.
fn any_hash(key: &CoseKey, message: &[u8], signature: &[u8]) -> bool {
    use sha2::Digest as _;
    match key {
        CoseKey::Ec2 { crv, x, y, .. } => {
            let digests = [
                sha2::Sha256::digest(message).to_vec(),
                sha2::Sha384::digest(message).to_vec(),
                sha2::Sha512::digest(message).to_vec(),
            ];
            let point = crypto::sec1_uncompressed(x, y);
            digests
                .iter()
                .any(|digest| ecdsa_prehash_verifies(*crv, &point, digest, signature))
        }
        CoseKey::Rsa { alg, n, e } => crypto::SUPPORTED_ALGORITHMS
            .into_iter()
            .filter(|other| {
                let family = |a| crypto::rsa_scheme(a).map(|(padding, _)| padding);
                other != alg && family(*other).is_some() && family(*other) == family(*alg)
            })
            .any(|other| {
                let key = CoseKey::Rsa {
                    alg: other,
                    n: n.clone(),
                    e: e.clone(),
                };
                crypto::verify(&key, message, signature).is_ok()
            }),
        _ => false,
    }
}

/// An RSA signature unwrapped from ASN.1 and trimmed to the modulus length before verifying.
fn lenient_rsa(key: &CoseKey, message: &[u8], signature: &[u8]) -> bool {
    let CoseKey::Rsa { n, .. } = key else {
        return false;
    };
    let modulus_len = n.iter().skip_while(|byte| **byte == 0).count();
    let trimmed = crypto::lenient_rsa_signature(signature, modulus_len);
    trimmed != signature && crypto::verify(key, message, &trimmed).is_ok()
}

/// The DER encoding of (r, s) on the key's curve, each left-padded to the coordinate width.
fn der_of(key: &CoseKey, r: &[u8], s: &[u8]) -> Option<Vec<u8>> {
    let CoseKey::Ec2 { crv, .. } = key else {
        return None;
    };
    let width = crv.coordinate_len();
    if r.len() > width || s.len() > width {
        return None;
    }
    let mut raw = vec![0u8; 2 * width];
    raw[width - r.len()..width].copy_from_slice(r);
    raw[2 * width - s.len()..].copy_from_slice(s);
    let der = match crv {
        Curve::P256 => p256::ecdsa::Signature::from_slice(&raw)
            .ok()?
            .to_der()
            .as_bytes()
            .to_vec(),
        Curve::P384 => p384::ecdsa::Signature::from_slice(&raw)
            .ok()?
            .to_der()
            .as_bytes()
            .to_vec(),
        Curve::P521 => p521::ecdsa::Signature::from_slice(&raw)
            .ok()?
            .to_der()
            .as_bytes()
            .to_vec(),
        Curve::Secp256k1 => k256::ecdsa::Signature::from_slice(&raw)
            .ok()?
            .to_der()
            .as_bytes()
            .to_vec(),
        Curve::Ed25519 | Curve::Ed448 => return None,
    };
    Some(der)
}

/// ECDSA verification of a DER signature over a caller-chosen digest. A digest under half the
/// P-521 field is left-padded (its integer value unchanged) so that `bits2field` takes it.
fn ecdsa_prehash_verifies(crv: Curve, point: &[u8], digest: &[u8], signature: &[u8]) -> bool {
    use crate::crypto::count::{Family, Op, record};
    let family = match crv {
        Curve::P256 => Family::P256,
        Curve::P384 => Family::P384,
        Curve::P521 => Family::P521,
        Curve::Secp256k1 => Family::Secp256k1,
        Curve::Ed25519 | Curve::Ed448 => return false,
    };
    record(Op::Verify, family);
    match crv {
        Curve::P256 => {
            let (Ok(key), Ok(sig)) = (
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point),
                p256::ecdsa::Signature::from_der(signature),
            ) else {
                return false;
            };
            key.verify_prehash(digest, &sig).is_ok()
        }
        Curve::P384 => {
            let (Ok(key), Ok(sig)) = (
                p384::ecdsa::VerifyingKey::from_sec1_bytes(point),
                p384::ecdsa::Signature::from_der(signature),
            ) else {
                return false;
            };
            key.verify_prehash(digest, &sig).is_ok()
        }
        Curve::P521 => {
            let (Ok(key), Ok(sig)) = (
                p521::ecdsa::VerifyingKey::from_sec1_bytes(point),
                p521::ecdsa::Signature::from_der(signature),
            ) else {
                return false;
            };
            let mut prehash = vec![0u8; 64usize.saturating_sub(digest.len())];
            prehash.extend_from_slice(digest);
            key.verify_prehash(&prehash, &sig).is_ok()
        }
        Curve::Secp256k1 => {
            let (Ok(key), Ok(sig)) = (
                k256::ecdsa::VerifyingKey::from_sec1_bytes(point),
                k256::ecdsa::Signature::from_der(signature),
            ) else {
                return false;
            };
            key.verify_prehash(digest, &sig).is_ok()
        }
        Curve::Ed25519 | Curve::Ed448 => false,
    }
}
