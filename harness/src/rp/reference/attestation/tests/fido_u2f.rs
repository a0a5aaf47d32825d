//! `fido-u2f` (W3C L3 §8.6): certificate count, signature, coordinate and P-256 checks.

use super::*;
use crate::rp::reference::attestation::fido_u2f;

#[test]
fn fido_u2f_checks_switch_off_one_by_one() {
    use fido_u2f::Check as U;
    let mut case = Case::load("fido-u2f.ES256");
    let cert = case.bytes_in_x5c(0);
    case.set(
        "x5c",
        Value::Array(vec![Value::Bytes(cert.clone()), Value::Bytes(cert)]),
    );
    assert!(matches!(
        case.run(),
        Err(AttestationError::FidoU2f(
            fido_u2f::FidoU2fError::CertCount(2)
        ))
    ));
    case.run_with(&case.policy(), &|c| {
        c != AttCheck::FidoU2f(U::SingleCert) && !matches!(c, AttCheck::Trust(_))
    })
    .unwrap();
    let mut case = Case::load("fido-u2f.ES256");
    case.set("sig", Value::Bytes(flip_last(case.bytes("sig"))));
    assert!(case.run().is_err());
    case.run_without(AttCheck::FidoU2f(U::Signature)).unwrap();
    // A signature without the leading 0x00 (U2F-07).
    let mut case = Case::load("fido-u2f.ES256");
    let attested = case.auth_data.attested_credential_data.clone().unwrap();
    let CoseKey::Ec2 { x, y, .. } = &case.key else {
        panic!()
    };
    let mut data = case.auth_data.rp_id_hash.to_vec();
    data.extend_from_slice(&case.cdh);
    data.extend_from_slice(&attested.credential_id);
    data.push(4);
    data.extend_from_slice(x);
    data.extend_from_slice(y);
    let sig = der_sign(&case.att_key(), &data);
    case.set("sig", Value::Bytes(sig));
    assert!(case.run().is_err());
    // An RSA credential key has no x/y: refused at step 4.
    let mut case = Case::load("fido-u2f.ES256");
    case.key = Case::load("packed.RS256").key;
    assert!(matches!(
        case.run(),
        Err(AttestationError::FidoU2f(
            fido_u2f::FidoU2fError::CredentialKey(_)
        ))
    ));
}

#[test]
fn fido_u2f_refuses_short_coordinates_and_non_p256_certificates() {
    use fido_u2f::Check as U;
    // A credential key whose x is 31 bytes is refused at step 4 (the COSE parser would refuse
    // it earlier in a real ceremony; the check stands on its own).
    let mut case = Case::load("fido-u2f.ES256");
    if let CoseKey::Ec2 { x, .. } = &mut case.key {
        x.remove(0);
    }
    let err = case.run().unwrap_err();
    assert!(
        matches!(
            err,
            AttestationError::FidoU2f(fido_u2f::FidoU2fError::CredentialKey(_))
        ),
        "{err}"
    );
    assert!(matches!(
        case.run_without(AttCheck::FidoU2f(U::CoordinateLengths)),
        Err(AttestationError::FidoU2f(
            fido_u2f::FidoU2fError::Signature(_)
        ))
    ));
    // A certificate over an Ed25519 key (the packed.EdDSA credential key) is not EC P-256;
    // with the check off the ES256 verification still fails, so the check is not masking it.
    let eddsa = Case::load("packed.EdDSA");
    let CoseKey::Okp { x, .. } = &eddsa.key else {
        panic!()
    };
    let (_, root_key) = test_root();
    let spki = seq(&[
        seq(&[oid("1.3.101.112")]),
        tlv(0x03, &[&[0u8][..], x].concat()),
    ]);
    let spec = CertSpec::new(&root_key, "Test Root", &root_key, "Ed25519 key");
    let cert = build_cert_with_spki(&spec, spki);
    let mut case = Case::load("fido-u2f.ES256");
    case.set("x5c", Value::Array(vec![Value::Bytes(cert)]));
    assert!(matches!(
        case.run(),
        Err(AttestationError::FidoU2f(fido_u2f::FidoU2fError::NotP256))
    ));
    assert!(case.run_without(AttCheck::FidoU2f(U::P256Key)).is_err());
}

fn build_cert_with_spki(spec: &CertSpec, spki_der: Vec<u8>) -> Vec<u8> {
    let alg = seq(&[oid("1.2.840.10045.4.3.2")]);
    let tbs = seq(&[
        tlv(0xa0, &int(2)),
        int(9),
        alg.clone(),
        spec.issuer.clone(),
        seq(&[
            tlv(0x18, b"20240101000000Z"),
            tlv(0x18, spec.not_after.as_bytes()),
        ]),
        spec.subject.clone(),
        spki_der,
        tlv(0xa3, &seq(&[ext("2.5.29.19", true, &seq(&[]))])),
    ]);
    let mut bits = vec![0];
    bits.extend(der_sign(spec.issuer_key, &tbs));
    seq(&[tbs, alg, tlv(0x03, &bits)])
}
