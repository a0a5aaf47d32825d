//! `packed` (W3C L3 §8.2): self and full attestation, and the §8.2.1 certificate requirements.

use super::*;
use crate::rp::reference::attestation::packed;

#[test]
fn packed_checks_switch_off_one_by_one() {
    use packed::Check as P;
    // Self: alg differs from the credential key's alg.
    let mut case = Case::load("packed-self.ES256");
    case.set("alg", Value::Integer((-35).into()));
    assert!(matches!(
        case.run(),
        Err(AttestationError::Packed(
            packed::PackedError::SelfAlgMismatch { .. }
        ))
    ));
    case.run_without(AttCheck::Packed(P::SelfAlgMatches))
        .unwrap();
    // Self: bad signature.
    let mut case = Case::load("packed-self.ES256");
    case.set("sig", Value::Bytes(flip_last(case.bytes("sig"))));
    assert!(case.run().is_err());
    case.run_without(AttCheck::Packed(P::SelfSignature))
        .unwrap();
    // Full: bad signature.
    let mut case = Case::load("packed.ES256");
    case.set("sig", Value::Bytes(flip_last(case.bytes("sig"))));
    assert!(matches!(
        case.run(),
        Err(AttestationError::Packed(
            packed::PackedError::FullSignature { .. }
        ))
    ));
    case.run_without(AttCheck::Packed(P::FullSignature))
        .unwrap();
    // Full, signed with the credential key instead (PK-15).
    let mut case = Case::load("packed.ES256");
    let sig = der_sign(&case.cred_key(), &case.signed());
    case.set("sig", Value::Bytes(sig));
    assert!(case.run().is_err());
    // Full with x5c removed: the self check fails (PK-08).
    let mut case = Case::load("packed.ES256");
    case.remove("x5c");
    assert!(matches!(
        case.run(),
        Err(AttestationError::Packed(
            packed::PackedError::SelfSignature(_)
        ))
    ));
    // Empty sig, empty x5c, x5c not an array.
    let mut case = Case::load("packed.ES256");
    case.set("sig", Value::Bytes(vec![]));
    assert!(matches!(
        case.run(),
        Err(AttestationError::Packed(packed::PackedError::SigEmpty))
    ));
    let mut case = Case::load("packed.ES256");
    case.set("x5c", Value::Array(vec![]));
    assert!(matches!(
        case.run(),
        Err(AttestationError::Packed(packed::PackedError::X5cEmpty))
    ));
    case.set("x5c", Value::Bytes(vec![1]));
    assert!(matches!(
        case.run(),
        Err(AttestationError::Packed(packed::PackedError::X5cMalformed(
            _
        )))
    ));
}

#[test]
fn packed_certificate_requirements_switch_off_one_by_one() {
    use packed::Check as P;
    let base = Case::load("packed-self.ES256");
    let aaguid = base
        .auth_data
        .attested_credential_data
        .as_ref()
        .unwrap()
        .aaguid;
    let good = LeafSpec::packed();
    packed_with_leaf(&base, &good).run().unwrap();
    let cases: Vec<(LeafSpec, P)> = vec![
        (
            LeafSpec {
                ca: true,
                ..LeafSpec::packed()
            },
            P::CertNotCa,
        ),
        (
            LeafSpec {
                version: 1,
                ..LeafSpec::packed()
            },
            P::CertVersion3,
        ),
        (
            LeafSpec {
                ou: "Authenticator",
                ..LeafSpec::packed()
            },
            P::CertSubject,
        ),
        (
            LeafSpec {
                aaguid: Some((true, aaguid.to_vec())),
                ..LeafSpec::packed()
            },
            P::AaguidNotCritical,
        ),
        (
            LeafSpec {
                aaguid: Some((false, vec![0; 16])),
                ..LeafSpec::packed()
            },
            P::AaguidMatches,
        ),
    ];
    for (spec, check) in cases {
        let case = packed_with_leaf(&base, &spec);
        let err = case.run().unwrap_err();
        assert!(
            matches!(err, AttestationError::Packed(_)),
            "{check:?}: {err}"
        );
        case.run_without(AttCheck::Packed(check))
            .unwrap_or_else(|e| panic!("{check:?}: {e}"));
    }
    let matching = LeafSpec {
        aaguid: Some((false, aaguid.to_vec())),
        ..LeafSpec::packed()
    };
    packed_with_leaf(&base, &matching).run().unwrap();
}
