//! `android-key` (W3C L3 §8.4): the challenge, signature, key and authorization-list checks.

use super::*;
use crate::rp::reference::attestation::android_key;

#[test]
fn android_key_checks_switch_off_one_by_one() {
    use android_key::Check as A;
    let lenient_plus = |off: A| {
        move |c: AttCheck| {
            !matches!(c, AttCheck::AndroidKey(x) if x == off
                || x == A::OriginGenerated || x == A::PurposeSign)
        }
    };
    // attestationChallenge ≠ clientDataHash, sig re-made over the new clientDataHash.
    let mut case = Case::load("android-key.ES256");
    case.cdh[0] ^= 1;
    let sig = der_sign(&case.cred_key(), &case.signed());
    case.set("sig", Value::Bytes(sig));
    let err = case
        .run_with(&case.policy(), &lenient_plus(A::Signature))
        .unwrap_err();
    assert!(
        matches!(
            err,
            AttestationError::AndroidKey(android_key::AndroidKeyError::Challenge)
        ),
        "{err}"
    );
    case.run_with(&case.policy(), &lenient_plus(A::Challenge))
        .unwrap();
    // Bad sig.
    let mut case = Case::load("android-key.ES256");
    case.set("sig", Value::Bytes(flip_last(case.bytes("sig"))));
    assert!(
        case.run_with(&case.policy(), &lenient_plus(A::Challenge))
            .is_err()
    );
    case.run_with(&case.policy(), &lenient_plus(A::Signature))
        .unwrap();
    // A crafted certificate with a full KeyDescription passes with every check on…
    let base = Case::load("android-key.ES256");
    android_with(&base, &[tee_purpose(2), tee_origin(0)])
        .run()
        .unwrap();
    // …and each authorization-list defect is caught by its own check.
    let defects: Vec<(Vec<Vec<u8>>, A)> = vec![
        (
            vec![tee_purpose(2), tee_origin(0), all_applications()],
            A::NoAllApplications,
        ),
        (vec![tee_purpose(2), tee_origin(1)], A::OriginGenerated),
        (vec![tee_purpose(3), tee_origin(0)], A::PurposeSign),
    ];
    for (list, check) in defects {
        let case = android_with(&base, &list);
        assert!(case.run().is_err(), "{check:?}");
        case.run_without(AttCheck::AndroidKey(check))
            .unwrap_or_else(|e| panic!("{check:?}: {e}"));
    }
    // x5c[0] certifies another key than the credential's.
    let mut case = android_with(&base, &[tee_purpose(2), tee_origin(0)]);
    case.key = Case::load("packed-self.ES256").key;
    let err = case.run().unwrap_err();
    assert!(
        matches!(
            err,
            AttestationError::AndroidKey(android_key::AndroidKeyError::KeyMismatch)
        ),
        "{err}"
    );
    case.run_without(AttCheck::AndroidKey(A::KeyMatchesCredential))
        .unwrap();
}

fn tee_purpose(purpose: u8) -> Vec<u8> {
    tlv(0xa1, &tlv(0x31, &int(purpose)))
}

fn tee_origin(origin: u8) -> Vec<u8> {
    tlv_raw(&[0xbf, 0x85, 0x3e], &int(origin))
}

fn all_applications() -> Vec<u8> {
    tlv_raw(&[0xbf, 0x84, 0x58], &[0x05, 0x00])
}

/// The android-key vector with a crafted credCert whose teeEnforced list is `tee`.
fn android_with(base: &Case, tee: &[Vec<u8>]) -> Case {
    let cred = base.cred_key();
    let (_, root_key) = test_root();
    let description = seq(&[
        int(3),
        tlv(0x0a, &[1]),
        int(4),
        tlv(0x0a, &[1]),
        tlv(0x04, &base.cdh),
        tlv(0x04, b""),
        seq(&[]),
        seq(tee),
    ]);
    let cert = build_cert(&CertSpec {
        extra: vec![ext("1.3.6.1.4.1.11129.2.1.17", false, &description)],
        ..CertSpec::new(&root_key, "Test Root", &cred, "Android Keystore Key")
    });
    let mut case = base.clone();
    case.set("x5c", Value::Array(vec![Value::Bytes(cert)]));
    case
}
