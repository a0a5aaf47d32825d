//! The W3C L3 §16 vectors verify; policy refuses none and self; every one-byte `sig` flip fails.

use super::*;
use crate::rp::reference::attestation::{android_key, trust};

/// The vectors with full attestation (that the file holds all fifteen W3C L3 §16 vectors is
/// checked once, by `w3c_files_hold_the_fifteen_pairs` in `harness/tests/vectors.rs`).
const FULL: [&str; 9] = [
    "packed.ES256",
    "packed.ES384",
    "packed.ES512",
    "packed.RS256",
    "packed.EdDSA",
    "tpm.ES256",
    "android-key.ES256",
    "apple.ES256",
    "fido-u2f.ES256",
];

#[test]
fn none_and_self_vectors_verify() {
    let none = Case::load("none.ES256").run().unwrap();
    assert_eq!(none.attestation_type, AttestationType::None);
    let own = Case::load("packed-self.ES256").run().unwrap();
    assert_eq!(own.attestation_type, AttestationType::SelfAttestation);
    assert!(own.trust_path.is_empty());
}

#[test]
fn full_vectors_verify_with_the_w3c_root() {
    for name in FULL {
        let case = Case::load(name);
        if name == "android-key.ES256" {
            // Spec quirk: the W3C generator writes empty softwareEnforced/teeEnforced lists, so
            // the vector carries no origin and no purpose, which §8.4 step 3 requires. The
            // check stays; the vector verifies only with those two checks off.
            let err = case.run().unwrap_err();
            assert!(
                matches!(
                    err,
                    AttestationError::AndroidKey(android_key::AndroidKeyError::Origin(_))
                ),
                "{err}"
            );
            let lenient = |c: AttCheck| {
                !matches!(
                    c,
                    AttCheck::AndroidKey(
                        android_key::Check::OriginGenerated | android_key::Check::PurposeSign
                    )
                )
            };
            let verified = case.run_with(&case.policy(), &lenient).unwrap();
            assert_eq!(verified.attestation_type, AttestationType::Basic);
            continue;
        }
        let verified = case.run().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(verified.trust_path.len(), 1, "{name}");
    }
}

#[test]
fn full_vectors_are_untrusted_without_the_root_and_pass_when_policy_waives_it() {
    for name in ["packed.ES256", "tpm.ES256", "apple.ES256", "fido-u2f.ES256"] {
        let case = Case::load(name);
        let err = case
            .run_with(&AttestationPolicy::default(), &|_| true)
            .unwrap_err();
        assert!(
            matches!(
                err,
                AttestationError::Trust(trust::TrustError::NoAnchor { .. })
            ),
            "{name}: {err}"
        );
        assert!(err.is_trust());
        let waived = AttestationPolicy {
            require_trusted_chain: false,
            ..AttestationPolicy::default()
        };
        case.run_with(&waived, &|_| true).unwrap();
        // The anchor check switched off is the mutant that trusts any chain.
        case.run_with(&AttestationPolicy::default(), &|c| {
            c != AttCheck::Trust(trust::Check::AnchorRequired)
        })
        .unwrap();
    }
}

#[test]
fn policy_can_refuse_none_and_self() {
    let strict = AttestationPolicy {
        accept_none: false,
        accept_self: false,
        ..AttestationPolicy::default()
    };
    for name in ["none.ES256", "packed-self.ES256"] {
        let err = Case::load(name).run_with(&strict, &|_| true).unwrap_err();
        assert!(err.is_trust(), "{name}: {err}");
    }
}

#[test]
fn every_one_byte_corruption_of_sig_is_rejected_for_every_signed_vector() {
    for name in [
        "packed-self.ES256",
        "packed.ES256",
        "packed.ES384",
        "packed.ES512",
        "packed.RS256",
        "packed.EdDSA",
        "tpm.ES256",
        "android-key.ES256",
        "fido-u2f.ES256",
    ] {
        // The android-key vector has no origin and purpose (see
        // `full_vectors_verify_with_the_w3c_root`): only those two checks are off for it.
        let enabled = |c: AttCheck| {
            name != "android-key.ES256"
                || !matches!(
                    c,
                    AttCheck::AndroidKey(
                        android_key::Check::OriginGenerated | android_key::Check::PurposeSign
                    )
                )
        };
        let base = Case::load(name);
        base.run_with(&base.policy(), &enabled)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let sig = base.bytes("sig");
        for index in 0..sig.len() {
            let mut case = Case::load(name);
            let mut corrupt = sig.clone();
            corrupt[index] ^= 0x01;
            case.set("sig", Value::Bytes(corrupt));
            assert!(
                case.run_with(&case.policy(), &enabled).is_err(),
                "{name}: sig[{index}] ^= 1 accepted"
            );
        }
        // The last bit too, as `flip_last` does for the crafted cases below.
        let mut case = Case::load(name);
        case.set("sig", Value::Bytes(flip_last(sig)));
        assert!(case.run_with(&case.policy(), &enabled).is_err(), "{name}");
    }
}
