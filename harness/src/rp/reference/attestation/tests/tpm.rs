//! `tpm` (W3C L3 §8.3): certInfo corruptions and checks, and the aikCert requirements (§8.3.1).

use super::*;
use crate::rp::reference::attestation::tpm;

#[test]
fn a_one_byte_corruption_of_tpm_cert_info_is_rejected() {
    for index in [0, 5, 20, 60, 90] {
        let mut case = Case::load("tpm.ES256");
        let mut info = case.bytes("certInfo");
        info[index] ^= 0x01;
        case.set("certInfo", Value::Bytes(info));
        assert!(case.run().is_err(), "certInfo[{index}]");
    }
}

#[test]
fn tpm_cert_info_checks_switch_off_one_by_one() {
    use tpm::Check as C;
    // certInfo layout in the vector: magic 0..4, type 4..6, qualifiedSigner size 6..8,
    // extraData size 8..10 and bytes 10..42, clockInfo 42..59, firmware 59..67,
    // name size 67..69, name 69..103, qualifiedName size 103..105.
    let edits: Vec<(usize, C)> = vec![
        (0, C::Magic),
        (5, C::AttestType),
        (12, C::ExtraData),
        (80, C::AttestedName),
    ];
    for (index, check) in edits {
        let mut case = Case::load("tpm.ES256");
        let mut info = case.bytes("certInfo");
        info[index] ^= 0x01;
        let sig = der_sign(&case.att_key(), &info);
        case.set("certInfo", Value::Bytes(info));
        case.set("sig", Value::Bytes(sig));
        let err = case.run().unwrap_err();
        assert!(matches!(err, AttestationError::Tpm(_)), "{check:?}: {err}");
        case.run_without(AttCheck::Tpm(check))
            .unwrap_or_else(|e| panic!("{check:?}: {e}"));
    }
    // pubArea's unique.x differs from the credential key, with certInfo's name kept consistent.
    let mut case = Case::load("tpm.ES256");
    let mut pub_area = case.bytes("pubArea");
    let last = pub_area.len() - 1;
    pub_area[last] ^= 0x01;
    let mut info = case.bytes("certInfo");
    info[71..103].copy_from_slice(&crate::sha256(&pub_area));
    let sig = der_sign(&case.att_key(), &info);
    case.set("pubArea", Value::Bytes(pub_area));
    case.set("certInfo", Value::Bytes(info));
    case.set("sig", Value::Bytes(sig));
    assert!(matches!(
        case.run(),
        Err(AttestationError::Tpm(tpm::TpmError::PubAreaMismatch(_)))
    ));
    case.run_without(AttCheck::Tpm(C::PubAreaMatchesCredential))
        .unwrap();
    // ver.
    let mut case = Case::load("tpm.ES256");
    case.set("ver", Value::Text("2.1".into()));
    assert!(matches!(
        case.run(),
        Err(AttestationError::Tpm(tpm::TpmError::Version(_)))
    ));
    case.run_without(AttCheck::Tpm(C::Version)).unwrap();
    // x5c missing.
    let mut case = Case::load("tpm.ES256");
    case.remove("x5c");
    assert!(case.run().is_err());
    // Truncated structures never panic.
    for key in ["certInfo", "pubArea"] {
        let full = Case::load("tpm.ES256").bytes(key);
        for len in 0..full.len() {
            let mut case = Case::load("tpm.ES256");
            case.set(key, Value::Bytes(full[..len].to_vec()));
            assert!(case.run().is_err(), "{key}[..{len}]");
        }
    }
}

/// The tpm vector with certInfo re-signed by a crafted aikCert.
fn tpm_with_aik(base: &Case, subject: Vec<u8>, ca: bool, extra: Vec<Vec<u8>>) -> Case {
    let aik = leaf_key();
    let (_, root_key) = test_root();
    let cert = build_cert(&CertSpec {
        subject,
        ca,
        extra,
        ..CertSpec::new(&root_key, "Test Root", &aik, "")
    });
    let mut case = base.clone();
    case.set("sig", Value::Bytes(der_sign(&aik, &base.bytes("certInfo"))));
    case.set("x5c", Value::Array(vec![Value::Bytes(cert)]));
    case
}

fn tpm_eku() -> Vec<u8> {
    ext("2.5.29.37", false, &seq(&[oid("2.23.133.8.3")]))
}

fn tpm_san() -> Vec<u8> {
    let directory = tlv(
        0xa4,
        &name(&[
            ("2.23.133.2.1", "id:00000000"),
            ("2.23.133.2.2", "Test TPM"),
            ("2.23.133.2.3", "id:00000000"),
        ]),
    );
    ext("2.5.29.17", true, &seq(&[directory]))
}

#[test]
fn tpm_aik_requirements_switch_off_one_by_one() {
    use tpm::Check as C;
    let base = Case::load("tpm.ES256");
    let aaguid = base
        .auth_data
        .attested_credential_data
        .as_ref()
        .unwrap()
        .aaguid;
    let empty = seq(&[]);
    tpm_with_aik(&base, empty.clone(), false, vec![tpm_eku(), tpm_san()])
        .run()
        .unwrap();
    let with_aaguid = |value: &[u8]| ext("1.3.6.1.4.1.45724.1.1.4", false, &tlv(0x04, value));
    tpm_with_aik(
        &base,
        empty.clone(),
        false,
        vec![tpm_eku(), tpm_san(), with_aaguid(&aaguid)],
    )
    .run()
    .unwrap();
    let defects: Vec<(Case, C)> = vec![
        (
            tpm_with_aik(
                &base,
                simple_name("Named"),
                false,
                vec![tpm_eku(), tpm_san()],
            ),
            C::AikSubjectEmpty,
        ),
        (
            tpm_with_aik(&base, empty.clone(), false, vec![tpm_san()]),
            C::AikEku,
        ),
        (
            tpm_with_aik(&base, empty.clone(), false, vec![tpm_eku()]),
            C::AikSan,
        ),
        (
            tpm_with_aik(&base, empty.clone(), true, vec![tpm_eku(), tpm_san()]),
            C::AikNotCa,
        ),
        (
            tpm_with_aik(
                &base,
                empty.clone(),
                false,
                vec![tpm_eku(), tpm_san(), with_aaguid(&[0; 16])],
            ),
            C::AaguidMatches,
        ),
    ];
    for (case, check) in defects {
        let err = case.run().unwrap_err();
        assert!(matches!(err, AttestationError::Tpm(_)), "{check:?}: {err}");
        case.run_without(AttCheck::Tpm(check))
            .unwrap_or_else(|e| panic!("{check:?}: {e}"));
    }
}
