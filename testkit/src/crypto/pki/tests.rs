#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use der::{Decode as _, Encode as _};
use p256::ecdsa::signature::Verifier as _;
use x509_cert::Certificate;

use super::*;

fn parse(der: &[u8]) -> Certificate {
    Certificate::from_der(der).unwrap()
}

fn key_of(cert: &Certificate) -> p256::ecdsa::VerifyingKey {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(
        cert.tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes(),
    )
    .unwrap()
}

fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    let sig = p256::ecdsa::DerSignature::from_bytes(cert.signature.raw_bytes()).unwrap();
    key_of(issuer)
        .verify(&cert.tbs_certificate.to_der().unwrap(), &sig)
        .is_ok()
}

fn leaf_key() -> CredentialKey {
    attestation_key(CoseAlgorithm::Es256, "pki test leaf").unwrap()
}

#[test]
fn same_seed_same_certificates() {
    let a = Pki::standard().unwrap();
    let b = Pki::standard().unwrap();
    assert_eq!(a.root_der(), b.root_der());
    assert_eq!(a.intermediate_der(), b.intermediate_der());
    let spec = CertSpec::packed([7; 16]);
    assert_eq!(
        a.issue(Issuer::Intermediate, &spec, &leaf_key(), "x")
            .unwrap(),
        b.issue(Issuer::Intermediate, &spec, &leaf_key(), "x")
            .unwrap()
    );
    assert_ne!(a.root_der(), Pki::untrusted().unwrap().root_der());
}

#[test]
fn chain_verifies_root_to_leaf() {
    let pki = Pki::standard().unwrap();
    let root = parse(pki.root_der());
    let intermediate = parse(pki.intermediate_der());
    let leaf = parse(
        &pki.issue(
            Issuer::Intermediate,
            &CertSpec::packed([1; 16]),
            &leaf_key(),
            "x",
        )
        .unwrap(),
    );
    assert!(signed_by(&root, &root));
    assert!(signed_by(&intermediate, &root));
    assert!(signed_by(&leaf, &intermediate));
    assert!(!signed_by(&leaf, &root));
    assert_eq!(
        leaf.tbs_certificate.issuer,
        intermediate.tbs_certificate.subject
    );
    assert_eq!(leaf.tbs_certificate.version, x509_cert::Version::V3);
    // Validity brackets NOW.
    let validity = &leaf.tbs_certificate.validity;
    assert!(validity.not_before.to_unix_duration().as_secs() < NOW);
    assert!(validity.not_after.to_unix_duration().as_secs() > NOW);
}

#[test]
fn p384_cas_sign_with_p384() {
    let pki = Pki::new("p384 test", true).unwrap();
    let cert = parse(pki.root_der());
    assert_eq!(
        cert.signature_algorithm.oid,
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3")
    );
}

fn extension(cert: &Certificate, oid: ObjectIdentifier) -> Option<&Extension> {
    cert.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == oid)
}

#[test]
fn knobs_change_what_they_name() {
    let pki = Pki::standard().unwrap();
    let issue = |spec: &CertSpec| {
        parse(
            &pki.issue(Issuer::Intermediate, spec, &leaf_key(), "k")
                .unwrap(),
        )
    };

    let valid = issue(&CertSpec::packed([9; 16]));
    let aaguid = extension(&valid, OID_FIDO_AAGUID).unwrap();
    assert!(!aaguid.critical);
    // Doubly wrapped: the extnValue content is itself an OCTET STRING of 16 bytes.
    let mut inner = vec![0x04, 0x10];
    inner.extend([9u8; 16]);
    assert_eq!(aaguid.extn_value.as_bytes(), inner.as_slice());

    let mut spec = CertSpec::packed([9; 16]);
    spec.version = CertVersion::V1;
    let v1 = issue(&spec);
    assert_eq!(v1.tbs_certificate.version, x509_cert::Version::V1);
    assert!(v1.tbs_certificate.extensions.is_none());

    let mut spec = CertSpec::packed([9; 16]);
    spec.aaguid = Some(AaguidExtension {
        aaguid: [9; 16],
        critical: true,
    });
    assert!(extension(&issue(&spec), OID_FIDO_AAGUID).unwrap().critical);

    let mut spec = CertSpec::packed([9; 16]);
    spec.validity = ValidityWindow::Expired;
    let expired = issue(&spec);
    assert!(
        expired
            .tbs_certificate
            .validity
            .not_after
            .to_unix_duration()
            .as_secs()
            < NOW
    );

    let mut spec = CertSpec::packed([9; 16]);
    spec.validity = ValidityWindow::NotYetValid;
    let future = issue(&spec);
    assert!(
        future
            .tbs_certificate
            .validity
            .not_before
            .to_unix_duration()
            .as_secs()
            > NOW
    );

    let mut spec = CertSpec::packed([9; 16]);
    spec.basic_constraints = None;
    let none = issue(&spec);
    assert!(extension(&none, const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS).is_none());
    assert!(extension(&valid, const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS).is_some());

    let aik = issue(&CertSpec::tpm_aik([9; 16]));
    assert!(aik.tbs_certificate.subject.0.is_empty());
    let san = extension(&aik, const_oid::db::rfc5280::ID_CE_SUBJECT_ALT_NAME).unwrap();
    assert!(san.critical);
    assert!(extension(&aik, const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE).is_some());
}

#[test]
fn leaf_key_types() {
    let pki = Pki::standard().unwrap();
    for (alg, oid) in [
        (CoseAlgorithm::Es384, OID_EC_PUBLIC_KEY),
        (CoseAlgorithm::EdDsa, OID_ED25519),
        (CoseAlgorithm::Rs256, OID_RSA_ENCRYPTION),
    ] {
        let key = attestation_key(alg, "pki key types").unwrap();
        let cert = parse(
            &pki.issue(Issuer::Intermediate, &CertSpec::leaf(Vec::new()), &key, "t")
                .unwrap(),
        );
        assert_eq!(
            cert.tbs_certificate.subject_public_key_info.algorithm.oid,
            oid
        );
    }
}
