//! Crypto tests: every algorithm signs and verifies, output is deterministic, and every broken
//! signature form is refused with the error an RP should report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::codec::cose::KeyType;

/// Every algorithm the authenticator can make: the supported list, nothing hidden.
const ALL: [CoseAlgorithm; 12] = SUPPORTED_ALGORITHMS;

fn key(alg: CoseAlgorithm, label: &str) -> CredentialKey {
    CredentialKey::generate(alg, &mut Drbg::for_label(1, label)).unwrap_or_else(|e| panic!("{e}"))
}

fn is_ecdsa(alg: CoseAlgorithm) -> bool {
    matches!(
        alg,
        CoseAlgorithm::Es256 | CoseAlgorithm::Es384 | CoseAlgorithm::Es512 | CoseAlgorithm::Es256K
    )
}

fn is_rsa(alg: CoseAlgorithm) -> bool {
    alg.key_type() == Some(KeyType::Rsa)
}

fn assert_malformed(result: Result<(), SignatureError>, what: &str) {
    assert!(
        matches!(result, Err(SignatureError::Malformed { .. })),
        "{what}: expected Malformed, got {result:?}"
    );
}

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
fn es512_signatures_are_deterministic() {
    let make = || {
        let mut drbg = Drbg::for_label(1, "es512");
        CredentialKey::generate(CoseAlgorithm::Es512, &mut drbg).unwrap_or_else(|e| panic!("{e}"))
    };
    let (a, b) = (make(), make());
    assert_eq!(a.cose_key(), b.cose_key());
    assert_eq!(a.sign(b"m"), b.sign(b"m"));
    assert_ne!(a.sign(b"m"), a.sign(b"n"));
}

#[test]
fn ecdsa_raw_signature_is_malformed_not_mismatch() {
    let mut drbg = Drbg::for_label(1, "raw");
    let key =
        CredentialKey::generate(CoseAlgorithm::Es256, &mut drbg).unwrap_or_else(|e| panic!("{e}"));
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

#[test]
fn the_first_three_defaults_are_unchanged_and_every_algorithm_is_listed() {
    assert_eq!(
        SUPPORTED_ALGORITHMS[..3],
        [
            CoseAlgorithm::Es256,
            CoseAlgorithm::EdDsa,
            CoseAlgorithm::Es384
        ]
    );
    for alg in ALL {
        assert_eq!(key(alg, "listed").alg(), alg);
    }
}

#[test]
fn every_algorithm_checks_its_public_key() {
    for alg in ALL {
        assert_eq!(
            check_public_key(&key(alg, "check").cose_key()),
            Ok(()),
            "{alg:?}"
        );
    }
}

#[test]
fn keys_and_signatures_are_deterministic() {
    for alg in ALL {
        let (a, b) = (key(alg, "determinism"), key(alg, "determinism"));
        assert_eq!(a.cose_key(), b.cose_key(), "{alg:?}");
        assert_eq!(a.sign(b"message"), b.sign(b"message"), "{alg:?}");
        assert_eq!(
            a.sign_with_wrong_hash(b"message"),
            b.sign_with_wrong_hash(b"message"),
            "{alg:?}"
        );
        if !is_rsa(alg) {
            // Another label, another key (RSA shares one key per process by design).
            assert_ne!(a.cose_key(), key(alg, "other").cose_key(), "{alg:?}");
        }
    }
}

#[test]
fn wrong_hash_signatures_are_well_formed_but_do_not_verify() {
    for alg in ALL {
        let key = key(alg, "wrong hash");
        let Some(sig) = key.sign_with_wrong_hash(b"message") else {
            assert_eq!(alg, CoseAlgorithm::EdDsa, "only EdDSA has no wrong hash");
            continue;
        };
        assert_ne!(sig, key.sign(b"message"), "{alg:?}");
        assert_eq!(
            verify(&key.cose_key(), b"message", &sig),
            Err(SignatureError::Mismatch),
            "{alg:?}: well-formed, so Mismatch rather than Malformed"
        );
    }
}

#[test]
fn ecdsa_raw_r_s_is_malformed() {
    for alg in ALL.into_iter().filter(|alg| is_ecdsa(*alg)) {
        let key = key(alg, "raw");
        let der = key.sign(b"message");
        let raw = ecdsa_der_to_raw(&der).unwrap();
        let CoseKey::Ec2 { crv, .. } = key.cose_key() else {
            panic!("{alg:?} is not EC2");
        };
        assert_eq!(raw.len(), 2 * crv.coordinate_len(), "{alg:?}");
        assert_malformed(verify(&key.cose_key(), b"message", &raw), "raw r‖s");
    }
}

#[test]
fn ecdsa_der_to_raw_keeps_r_and_s() {
    // r = 0x00ff.. (DER needs the 0x00), s = 1: both fixed to 32 bytes.
    let mut der = vec![0x30, 0x26, 0x02, 0x21, 0x00];
    der.extend_from_slice(&[0xff; 32]);
    der.extend_from_slice(&[0x02, 0x01, 0x01]);
    let raw = ecdsa_der_to_raw(&der).unwrap();
    assert_eq!(raw[..32], [0xff; 32]);
    assert_eq!(raw[32..63], [0; 31]);
    assert_eq!(raw[63], 1);
    // Not a two-INTEGER SEQUENCE, or a negative integer: no raw form.
    assert_eq!(ecdsa_der_to_raw(&der_with_trailing_bytes(&der)), None);
    assert_eq!(ecdsa_der_to_raw(&[0x30, 0x03, 0x02, 0x01, 0x01]), None);
    assert_eq!(
        ecdsa_der_to_raw(&[0x30, 0x06, 0x02, 0x01, 0x80, 0x02, 0x01, 0x01]),
        None
    );
}

#[test]
fn non_canonical_der_is_malformed() {
    // p256/p384/p521 `Signature::from_der` is strict DER: trailing bytes and non-minimal
    // integers fail to parse, so verify reports Malformed before any curve arithmetic.
    for alg in ALL.into_iter().filter(|alg| is_ecdsa(*alg)) {
        let key = key(alg, "der");
        let cose = key.cose_key();
        let der = key.sign(b"message");
        assert_eq!(verify(&cose, b"message", &der), Ok(()), "{alg:?}");

        let trailing = der_with_trailing_bytes(&der);
        assert_eq!(trailing.len(), der.len() + 1);
        assert_malformed(verify(&cose, b"message", &trailing), "trailing byte");

        let padded = der_with_non_minimal_integer(&der).unwrap();
        // Same r and s: the raw forms agree, only the encoding is wrong.
        assert_eq!(ecdsa_der_to_raw(&padded), ecdsa_der_to_raw(&der), "{alg:?}");
        assert_ne!(padded, der);
        assert_malformed(verify(&cose, b"message", &padded), "non-minimal r");
    }
    assert_eq!(der_with_non_minimal_integer(&[0x30, 0x00]), None);
}

#[test]
fn the_zero_signature_is_malformed_for_every_ecdsa_key() {
    // CVE-2022-21449: r = s = 0 is outside [1, n - 1], refused when the scalars are parsed.
    assert_eq!(
        ecdsa_zero_signature(),
        [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]
    );
    for alg in ALL.into_iter().filter(|alg| is_ecdsa(*alg)) {
        let cose = key(alg, "zero").cose_key();
        for message in [&b"message"[..], b""] {
            assert_malformed(verify(&cose, message, &ecdsa_zero_signature()), "r = s = 0");
        }
    }
}

#[test]
fn rsa_wrong_length_and_wrapped_signatures_are_malformed() {
    for alg in ALL.into_iter().filter(|alg| is_rsa(*alg)) {
        let key = key(alg, "rsa forms");
        let cose = key.cose_key();
        let sig = key.sign(b"message");
        let long = rsa_signature_wrong_length(&sig);
        assert_eq!(long.len(), sig.len() + 1);
        assert_malformed(verify(&cose, b"message", &long), "modulus length + 1");
        assert_malformed(verify(&cose, b"message", &sig[1..]), "modulus length - 1");
        let wrapped = rsa_signature_der_wrapped(&sig);
        assert_eq!(wrapped[..2], [0x30, 0x82]);
        assert_eq!(wrapped[wrapped.len() - sig.len()..], sig[..]);
        assert_malformed(verify(&cose, b"message", &wrapped), "DER-wrapped");
    }
}

#[test]
fn ecdsa_broken_forms_are_malformed_on_rsa_and_eddsa_keys_too() {
    let der = key(CoseAlgorithm::Es256, "cross").sign(b"message");
    for alg in [
        CoseAlgorithm::EdDsa,
        CoseAlgorithm::Rs256,
        CoseAlgorithm::Ps256,
    ] {
        let cose = key(alg, "cross").cose_key();
        assert_malformed(
            verify(&cose, b"message", &der),
            "ECDSA DER on a non-ECDSA key",
        );
        assert_malformed(verify(&cose, b"message", &ecdsa_zero_signature()), "zero");
    }
}

#[test]
fn a_mismatched_alg_curve_or_key_type_is_unsupported_never_a_fallback() {
    let p384 = key(CoseAlgorithm::Es384, "mismatch");
    let CoseKey::Ec2 { x, y, .. } = p384.cose_key() else {
        panic!("not EC2");
    };
    let ed = key(CoseAlgorithm::EdDsa, "mismatch").cose_key();
    let CoseKey::Okp { x: ed_x, .. } = ed else {
        panic!("not OKP");
    };
    let sig = p384.sign(b"message");
    let cases = [
        // A P-384 key labelled ES256: SHA-256 must not be guessed.
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256,
            crv: Curve::P384,
            x: x.clone(),
            y: y.clone(),
        },
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es512,
            crv: Curve::P384,
            x: x.clone(),
            y: y.clone(),
        },
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Rs256,
            crv: Curve::P384,
            x: x.clone(),
            y: y.clone(),
        },
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Other(-999),
            crv: Curve::P384,
            x: x.clone(),
            y,
        },
        // A P-384 point labelled secp256k1.
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256K,
            crv: Curve::P384,
            x,
            y: vec![0; 48],
        },
        CoseKey::Okp {
            alg: CoseAlgorithm::EdDsa,
            crv: Curve::Ed448,
            x: vec![0; 57],
        },
        CoseKey::Okp {
            alg: CoseAlgorithm::Es256,
            crv: Curve::Ed25519,
            x: ed_x,
        },
    ];
    for cose in cases {
        assert!(
            matches!(
                verify(&cose, b"message", &sig),
                Err(SignatureError::UnsupportedAlgorithm(_))
            ),
            "{cose:?}"
        );
        assert!(
            matches!(
                check_public_key(&cose),
                Err(SignatureError::UnsupportedAlgorithm(_))
            ),
            "{cose:?}"
        );
    }
}

#[test]
fn es256k_points_are_checked_and_high_s_signatures_verify() {
    let key = key(CoseAlgorithm::Es256K, "es256k");
    let CoseKey::Ec2 { x, .. } = key.cose_key() else {
        panic!("not EC2");
    };
    let off_curve = CoseKey::Ec2 {
        alg: CoseAlgorithm::Es256K,
        crv: Curve::Secp256k1,
        x,
        y: vec![0; 32],
    };
    assert!(matches!(
        check_public_key(&off_curve),
        Err(SignatureError::InvalidPublicKey(_))
    ));
    // ECDSA's (r, n - s) is as valid as (r, s); RFC 8812 does not demand low s, so the
    // high-s twin of a signature must verify too.
    let der = key.sign(b"message");
    let sig = k256::ecdsa::Signature::from_der(&der).unwrap();
    let (r, s) = sig.split_scalars();
    let high = k256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
    assert_ne!(high, sig);
    let high_der = high.to_der().as_bytes().to_vec();
    assert_eq!(verify(&key.cose_key(), b"message", &high_der), Ok(()));
}
