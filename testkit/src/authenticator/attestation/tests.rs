#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ciborium::Value;
use der::{Decode as _, Encode as _};
use p256::ecdsa::signature::Verifier as _;
use x509_cert::Certificate;

use super::*;
use crate::codec::cose::CoseAlgorithm;
use crate::drbg::Drbg;

struct Fixture {
    auth_data: Vec<u8>,
    client_data_hash: [u8; 32],
    credential: CredentialKey,
    credential_id: Vec<u8>,
}

impl Fixture {
    fn new(alg: CoseAlgorithm) -> Self {
        let mut drbg = Drbg::for_label(1, "attestation tests");
        let credential = CredentialKey::generate(alg, &mut drbg).unwrap();
        let credential_id = drbg.bytes("id", 32);
        let mut auth_data = crate::sha256(b"example.org").to_vec();
        auth_data.extend([0x41, 0, 0, 0, 0]);
        auth_data.extend([0x11; 16]);
        auth_data.extend([0, 32]);
        auth_data.extend(&credential_id);
        auth_data.extend(credential.cose_key().to_cbor());
        Fixture {
            auth_data,
            client_data_hash: crate::sha256(b"{\"type\":\"webauthn.create\"}"),
            credential,
            credential_id,
        }
    }

    fn input(&self) -> StatementInput<'_> {
        StatementInput {
            auth_data: &self.auth_data,
            client_data_hash: &self.client_data_hash,
            credential: &self.credential,
            aaguid: [0x11; 16],
            credential_id: &self.credential_id,
            clock_ms: pki::NOW * 1000,
        }
    }
}

fn es256() -> Fixture {
    Fixture::new(CoseAlgorithm::Es256)
}

fn std_pki() -> Pki {
    Pki::standard().unwrap()
}

fn get<'a>(stmt: &'a Value, key: &str) -> Option<&'a Value> {
    match stmt {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
            .map(|(_, v)| v),
        _ => None,
    }
}

fn bytes<'a>(stmt: &'a Value, key: &str) -> &'a [u8] {
    match get(stmt, key) {
        Some(Value::Bytes(b)) => b,
        other => panic!("{key}: {other:?}"),
    }
}

fn certs(stmt: &Value) -> Vec<Certificate> {
    match get(stmt, "x5c") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::Bytes(b) => Certificate::from_der(b).unwrap(),
                other => panic!("{other:?}"),
            })
            .collect(),
        other => panic!("x5c: {other:?}"),
    }
}

fn p256_key(cert: &Certificate) -> p256::ecdsa::VerifyingKey {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(
        cert.tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes(),
    )
    .unwrap()
}

/// Whether `sig` is an RS256 (PKCS #1 v1.5, SHA-256) signature of `message` by `cert`'s key.
fn rs256_verifies(cert: &Certificate, message: &[u8], sig: &[u8]) -> bool {
    use rsa::pkcs1::DecodeRsaPublicKey as _;
    let key = rsa::RsaPublicKey::from_pkcs1_der(
        cert.tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes(),
    )
    .unwrap();
    let key = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key);
    rsa::pkcs1v15::Signature::try_from(sig).is_ok_and(|sig| key.verify(message, &sig).is_ok())
}

fn verifies(cert: &Certificate, message: &[u8], der_sig: &[u8]) -> bool {
    let Ok(sig) = p256::ecdsa::Signature::from_der(der_sig) else {
        return false;
    };
    p256_key(cert).verify(message, &sig).is_ok()
}

fn extension(cert: &Certificate, oid: const_oid::ObjectIdentifier) -> Option<Vec<u8>> {
    cert.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == oid)
        .map(|e| e.extn_value.as_bytes().to_vec())
}

fn all_formats() -> [AttestationFormat; 9] {
    [
        AttestationFormat::None,
        AttestationFormat::PackedSelf,
        AttestationFormat::Packed,
        AttestationFormat::FidoU2f,
        AttestationFormat::Tpm,
        AttestationFormat::AndroidKey,
        AttestationFormat::AndroidSafetyNet,
        AttestationFormat::Apple,
        AttestationFormat::Compound,
    ]
}

#[test]
fn same_seed_same_bytes_for_every_format() {
    let fixture = es256();
    for format in all_formats() {
        let a = produce(format, &fixture.input(), &std_pki(), None).unwrap();
        let b = produce(format, &fixture.input(), &std_pki(), None).unwrap();
        assert_eq!(a, b, "{format:?}");
        assert_eq!(
            crate::codec::cbor::encode(&a.att_stmt),
            crate::codec::cbor::encode(&b.att_stmt)
        );
    }
}

#[test]
fn packed_full_signature_and_chain_verify() {
    let fixture = es256();
    let stmt = packed::produce(&fixture.input(), &std_pki(), None).unwrap();
    assert_eq!(stmt.fmt, "packed");
    assert_eq!(
        get(&stmt.att_stmt, "alg"),
        Some(&Value::Integer((-7).into()))
    );
    let chain = certs(&stmt.att_stmt);
    assert_eq!(chain.len(), 2);
    let sig = bytes(&stmt.att_stmt, "sig");
    assert!(verifies(&chain[0], &fixture.input().signed_data(), sig));
    // Leaf issued by x5c[1], x5c[1] by the trust anchor.
    let root = Certificate::from_der(&trust_anchor_der().unwrap()).unwrap();
    assert!(verifies(
        &chain[1],
        &chain[0].tbs_certificate.to_der().unwrap(),
        chain[0].signature.raw_bytes()
    ));
    assert!(verifies(
        &root,
        &chain[1].tbs_certificate.to_der().unwrap(),
        chain[1].signature.raw_bytes()
    ));
    // §8.2.1 AAGUID extension equals the input's.
    let mut want = vec![0x04, 0x10];
    want.extend([0x11; 16]);
    assert_eq!(extension(&chain[0], pki::OID_FIDO_AAGUID), Some(want));
}

#[test]
fn packed_faults_change_what_they_claim() {
    use packed::Fault::*;
    let fixture = es256();
    let input = fixture.input();
    let valid = packed::produce(&input, &std_pki(), None).unwrap();
    let valid_chain = certs(&valid.att_stmt);
    let with = |fault| {
        packed::produce(&input, &std_pki(), Some(fault))
            .unwrap()
            .att_stmt
    };
    let all = [
        AttStmtEmpty,
        AlgMissing,
        AlgNotNumber,
        SigMissing,
        SigNotBytes,
        SigEmpty,
        SigInvalid,
        X5cNotArray,
        X5cEmpty,
        X5cRemoved,
        LeafExpired,
        LeafNotYetValid,
        UntrustedRoot,
        ChainIncludesRoot,
        ChainOutOfOrder,
        IntermediateExpired,
        SignedWithCredentialKey,
        LeafIsCa,
        LeafVersion1,
        LeafWrongOu,
        AaguidMismatch,
        AaguidCritical,
        SelfSigInvalid,
        SelfAlgMismatch,
        SelfWithX5c,
    ];
    for fault in all {
        assert_ne!(with(fault), valid.att_stmt, "{fault:?}");
    }
    let signed = input.signed_data();
    // Invalid sig: same chain, sig fails.
    let s = with(SigInvalid);
    assert_eq!(certs(&s), valid_chain);
    assert!(!verifies(&valid_chain[0], &signed, bytes(&s, "sig")));
    // x5c removed: the attestation key's sig is still there and valid for the leaf.
    let s = with(X5cRemoved);
    assert!(get(&s, "x5c").is_none());
    assert!(verifies(&valid_chain[0], &signed, bytes(&s, "sig")));
    // Signed with the credential key.
    let s = with(SignedWithCredentialKey);
    assert!(
        crate::crypto::verify(&fixture.credential.cose_key(), &signed, bytes(&s, "sig")).is_ok()
    );
    // Chain shapes.
    assert_eq!(certs(&with(ChainIncludesRoot)).len(), 3);
    let swapped = certs(&with(ChainOutOfOrder));
    assert_eq!(
        swapped,
        vec![valid_chain[1].clone(), valid_chain[0].clone()]
    );
    // Leaf knobs, each still signed correctly by the attestation key.
    let v1 = certs(&with(LeafVersion1));
    assert_eq!(v1[0].tbs_certificate.version, x509_cert::Version::V1);
    let s = with(AaguidMismatch);
    assert!(verifies(&certs(&s)[0], &signed, bytes(&s, "sig")));
    assert_ne!(
        extension(&certs(&s)[0], pki::OID_FIDO_AAGUID),
        extension(&valid_chain[0], pki::OID_FIDO_AAGUID)
    );
    let critical = certs(&with(AaguidCritical));
    let ext = critical[0].tbs_certificate.extensions.as_ref().unwrap();
    assert!(
        ext.iter()
            .any(|e| e.extn_id == pki::OID_FIDO_AAGUID && e.critical)
    );
    let expired = certs(&with(IntermediateExpired));
    assert!(
        expired[1]
            .tbs_certificate
            .validity
            .not_after
            .to_unix_duration()
            .as_secs()
            < pki::NOW
    );
    assert_eq!(expired[0], valid_chain[0]);
    // Structural faults.
    assert_eq!(with(AttStmtEmpty), Value::Map(Vec::new()));
    assert!(get(&with(AlgMissing), "alg").is_none());
    assert_eq!(get(&with(SigEmpty), "sig"), Some(&Value::Bytes(Vec::new())));
    assert!(matches!(
        get(&with(X5cNotArray), "x5c"),
        Some(Value::Bytes(_))
    ));
}

#[test]
fn packed_self_and_its_faults() {
    let fixture = es256();
    let input = fixture.input();
    let signed = input.signed_data();
    let cose = fixture.credential.cose_key();
    let stmt = packed::self_attestation(&input, &std_pki(), None).unwrap();
    assert!(get(&stmt.att_stmt, "x5c").is_none());
    assert!(crate::crypto::verify(&cose, &signed, bytes(&stmt.att_stmt, "sig")).is_ok());
    let bad =
        packed::self_attestation(&input, &std_pki(), Some(packed::Fault::SelfSigInvalid)).unwrap();
    assert!(crate::crypto::verify(&cose, &signed, bytes(&bad.att_stmt, "sig")).is_err());
    let alg =
        packed::self_attestation(&input, &std_pki(), Some(packed::Fault::SelfAlgMismatch)).unwrap();
    assert_eq!(
        get(&alg.att_stmt, "alg"),
        Some(&Value::Integer((-35).into()))
    );
    assert!(crate::crypto::verify(&cose, &signed, bytes(&alg.att_stmt, "sig")).is_ok());
    let x5c =
        packed::self_attestation(&input, &std_pki(), Some(packed::Fault::SelfWithX5c)).unwrap();
    assert_eq!(certs(&x5c.att_stmt).len(), 2);
    assert!(crate::crypto::verify(&cose, &signed, bytes(&x5c.att_stmt, "sig")).is_ok());
}

#[test]
fn fido_u2f_verification_data_layout_and_faults() {
    let fixture = es256();
    let input = fixture.input();
    let data = fido_u2f::verification_data(&input, None).unwrap();
    assert_eq!(data.len(), 1 + 32 + 32 + 32 + 65);
    assert_eq!(data[0], 0x00);
    assert_eq!(&data[1..33], &fixture.auth_data[..32]);
    assert_eq!(&data[33..65], &fixture.client_data_hash);
    assert_eq!(&data[65..97], fixture.credential_id.as_slice());
    assert_eq!(data[97], 0x04);
    let stmt = fido_u2f::produce(&input, &std_pki(), None).unwrap();
    let chain = certs(&stmt.att_stmt);
    assert_eq!(chain.len(), 1);
    assert!(verifies(&chain[0], &data, bytes(&stmt.att_stmt, "sig")));

    use fido_u2f::Fault::*;
    let with = |f| {
        fido_u2f::produce(&input, &std_pki(), Some(f))
            .unwrap()
            .att_stmt
    };
    assert!(!verifies(&chain[0], &data, bytes(&with(SigInvalid), "sig")));
    assert_eq!(certs(&with(X5cTwoCerts)).len(), 2);
    assert!(certs(&with(X5cEmpty)).is_empty());
    let p384 = certs(&with(CertNotP256));
    assert!(
        p256::ecdsa::VerifyingKey::from_sec1_bytes(
            p384[0]
                .tbs_certificate
                .subject_public_key_info
                .subject_public_key
                .raw_bytes()
        )
        .is_err()
    );
    let no_zero = fido_u2f::verification_data(&input, Some(SigWithoutLeadingZero)).unwrap();
    assert_eq!(no_zero, data[1..].to_vec());
    assert!(verifies(
        &chain[0],
        &no_zero,
        bytes(&with(SigWithoutLeadingZero), "sig")
    ));
    let compressed = fido_u2f::verification_data(&input, Some(SigOverCompressedKey)).unwrap();
    assert_eq!(compressed.len(), data.len() - 32);
    assert!(matches!(compressed[97], 0x02 | 0x03));
    assert!(verifies(
        &chain[0],
        &compressed,
        bytes(&with(SigOverCompressedKey), "sig")
    ));
    // AaguidNonZero lives in authData: the statement is unchanged.
    assert_eq!(with(AaguidNonZero), stmt.att_stmt);
}

/// certInfo fields by offset: magic 0..4, type 4..6, then TPM2B qualifiedSigner, extraData, …
fn cert_info_fields(info: &[u8]) -> (u32, u16, Vec<u8>, Vec<u8>) {
    let magic = u32::from_be_bytes(info[0..4].try_into().unwrap());
    let type_ = u16::from_be_bytes(info[4..6].try_into().unwrap());
    let mut at = 6;
    let sized = |at: &mut usize| {
        let len = usize::from(u16::from_be_bytes(info[*at..*at + 2].try_into().unwrap()));
        let out = info[*at + 2..*at + 2 + len].to_vec();
        *at += 2 + len;
        out
    };
    let _signer = sized(&mut at);
    let extra = sized(&mut at);
    at += 17 + 8; // clockInfo, firmwareVersion
    let name = sized(&mut at);
    (magic, type_, extra, name)
}

#[test]
fn tpm_structures_and_faults() {
    let fixture = es256();
    let input = fixture.input();
    let stmt = tpm::produce(&input, &std_pki(), None).unwrap().att_stmt;
    let info = bytes(&stmt, "certInfo").to_vec();
    let pub_area = bytes(&stmt, "pubArea").to_vec();
    let (magic, type_, extra, name) = cert_info_fields(&info);
    assert_eq!(magic, 0xff54_4347);
    assert_eq!(type_, 0x8017);
    assert_eq!(extra, crate::sha256(&input.signed_data()).to_vec());
    let mut want_name = vec![0x00, 0x0b];
    want_name.extend(crate::sha256(&pub_area));
    assert_eq!(name, want_name);
    // pubArea unique = the credential's x and y.
    let crate::codec::cose::CoseKey::Ec2 { x, y, .. } = fixture.credential.cose_key() else {
        panic!()
    };
    let mut unique = vec![0, 32];
    unique.extend(&x);
    unique.extend([0, 32]);
    unique.extend(&y);
    assert!(pub_area.ends_with(&unique));
    assert_eq!(&pub_area[0..2], &[0x00, 0x23]);
    let aik = &certs(&stmt)[0];
    assert!(aik.tbs_certificate.subject.0.is_empty());
    assert!(verifies(aik, &info, bytes(&stmt, "sig")));
    assert_eq!(get(&stmt, "ver"), Some(&Value::Text("2.0".into())));

    use tpm::Fault::*;
    let with = |f| tpm::produce(&input, &std_pki(), Some(f)).unwrap().att_stmt;
    // Each certInfo fault: only its field moves, and the AIK sig still verifies.
    for (fault, field) in [
        (WrongMagic, 0),
        (WrongType, 1),
        (WrongExtraData, 2),
        (WrongName, 3),
    ] {
        let s = with(fault);
        let info_f = bytes(&s, "certInfo");
        assert!(verifies(aik, info_f, bytes(&s, "sig")), "{fault:?}");
        let (m, t, e, n) = cert_info_fields(info_f);
        assert_eq!([m != magic, t != type_, e != extra, n != name], {
            let mut want = [false; 4];
            want[field] = true;
            want
        });
    }
    let s = with(UniqueMismatch);
    assert!(!bytes(&s, "pubArea").ends_with(&unique));
    let (_, _, _, n) = cert_info_fields(bytes(&s, "certInfo"));
    let mut consistent = vec![0x00, 0x0b];
    consistent.extend(crate::sha256(bytes(&s, "pubArea")));
    assert_eq!(n, consistent);
    assert!(!verifies(aik, &info, bytes(&with(SigInvalid), "sig")));
    assert_eq!(
        get(&with(VerNot20), "ver"),
        Some(&Value::Text("1.2".into()))
    );
    assert!(get(&with(X5cMissing), "x5c").is_none());
    assert_eq!(certs(&with(X5cOutOfOrder))[1], *aik);
    for fault in [
        AikSubjectNotEmpty,
        AikNoEku,
        AikIsCa,
        AikNoSan,
        AaguidMismatch,
    ] {
        let s = with(fault);
        assert_ne!(certs(&s)[0], *aik, "{fault:?}");
        assert!(verifies(
            &certs(&s)[0],
            bytes(&s, "certInfo"),
            bytes(&s, "sig")
        ));
    }
    assert!(
        extension(
            &certs(&with(AikNoSan))[0],
            const_oid::db::rfc5280::ID_CE_SUBJECT_ALT_NAME
        )
        .is_none()
    );
}

#[test]
fn tpm_rsa_pub_area() {
    let fixture = Fixture::new(CoseAlgorithm::Rs256);
    let stmt = tpm::produce(&fixture.input(), &std_pki(), None)
        .unwrap()
        .att_stmt;
    let pub_area = bytes(&stmt, "pubArea");
    assert_eq!(&pub_area[0..2], &[0x00, 0x01]);
    let crate::codec::cose::CoseKey::Rsa { n, .. } = fixture.credential.cose_key() else {
        panic!()
    };
    assert!(pub_area.ends_with(&n));
}

#[test]
fn android_key_statement_and_faults() {
    let fixture = es256();
    let input = fixture.input();
    let stmt = android_key::produce(&input, &std_pki(), None)
        .unwrap()
        .att_stmt;
    let chain = certs(&stmt);
    // The whole chain, root last, as Android Keystore sends it; AK-01.no-root stops below it.
    let root = Certificate::from_der(std_pki().root_der()).unwrap();
    assert_eq!(chain.len(), 3);
    assert_eq!(chain[2], root);
    let short = android_key::produce(&input, &std_pki(), Some(android_key::Fault::WithoutRoot))
        .unwrap()
        .att_stmt;
    assert_eq!(certs(&short)[..], chain[..2]);
    let cose = fixture.credential.cose_key();
    let crate::codec::cose::CoseKey::Ec2 { x, .. } = &cose else {
        panic!()
    };
    let spki = chain[0]
        .tbs_certificate
        .subject_public_key_info
        .subject_public_key
        .raw_bytes();
    assert_eq!(&spki[1..33], x.as_slice());
    assert!(verifies(
        &chain[0],
        &input.signed_data(),
        bytes(&stmt, "sig")
    ));
    let ext = extension(&chain[0], pki::OID_ANDROID_KEY_DESCRIPTION).unwrap();
    // attestationChallenge is an OCTET STRING of clientDataHash inside the KeyDescription.
    let mut challenge = vec![0x04, 0x20];
    challenge.extend(fixture.client_data_hash);
    assert!(ext.windows(34).any(|w| w == challenge.as_slice()));
    // origin [702] GENERATED and purpose [1] {SIGN} in teeEnforced; no allApplications [600].
    assert!(
        ext.windows(7)
            .any(|w| w == [0xbf, 0x85, 0x3e, 0x03, 0x02, 0x01, 0x00])
    );
    assert!(
        ext.windows(7)
            .any(|w| w == [0xa1, 0x05, 0x31, 0x03, 0x02, 0x01, 0x02])
    );
    assert!(!ext.windows(3).any(|w| w == [0xbf, 0x84, 0x58]));

    use android_key::Fault::*;
    let with = |f| {
        android_key::produce(&input, &std_pki(), Some(f))
            .unwrap()
            .att_stmt
    };
    let ext_of = |s: &Value| extension(&certs(s)[0], pki::OID_ANDROID_KEY_DESCRIPTION).unwrap();
    assert!(
        !ext_of(&with(ChallengeMismatch))
            .windows(34)
            .any(|w| w == challenge.as_slice())
    );
    assert!(
        ext_of(&with(AllApplicationsTee))
            .windows(3)
            .any(|w| w == [0xbf, 0x84, 0x58])
    );
    assert!(
        ext_of(&with(AllApplicationsSoftware))
            .windows(3)
            .any(|w| w == [0xbf, 0x84, 0x58])
    );
    assert!(
        !ext_of(&with(OriginNotGenerated))
            .windows(7)
            .any(|w| w == [0xbf, 0x85, 0x3e, 0x03, 0x02, 0x01, 0x00])
    );
    assert!(
        !ext_of(&with(PurposeNotSign))
            .windows(7)
            .any(|w| w == [0xa1, 0x05, 0x31, 0x03, 0x02, 0x01, 0x02])
    );
    let mismatch = with(CertKeyMismatch);
    assert_ne!(
        certs(&mismatch)[0].tbs_certificate.subject_public_key_info,
        chain[0].tbs_certificate.subject_public_key_info
    );
    assert!(verifies(
        &certs(&mismatch)[0],
        &input.signed_data(),
        bytes(&mismatch, "sig")
    ));
    assert_eq!(certs(&with(OutOfOrder))[1], chain[0]);
    assert!(!verifies(
        &chain[0],
        &input.signed_data(),
        bytes(&with(SigInvalid), "sig")
    ));
}

fn jws_parts(stmt: &Value) -> (serde_json::Value, serde_json::Value, String, Vec<u8>) {
    let response = String::from_utf8(bytes(stmt, "response").to_vec()).unwrap();
    let parts: Vec<&str> = response.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let payload = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    (header, payload, format!("{}.{}", parts[0], parts[1]), sig)
}

#[test]
fn safetynet_jws_and_faults() {
    let fixture = es256();
    let input = fixture.input();
    let stmt = safetynet::produce(&input, &std_pki(), None)
        .unwrap()
        .att_stmt;
    let (header, payload, signing_input, sig) = jws_parts(&stmt);
    // Google's service signs RS256 (RFC 7518 §3.3).
    assert_eq!(header["alg"], "RS256");
    let leaf_der = STANDARD.decode(header["x5c"][0].as_str().unwrap()).unwrap();
    let leaf = Certificate::from_der(&leaf_der).unwrap();
    assert!(
        leaf.tbs_certificate
            .subject
            .to_string()
            .contains("CN=attest.android.com")
    );
    assert!(rs256_verifies(&leaf, signing_input.as_bytes(), &sig));
    assert_eq!(
        payload["nonce"],
        STANDARD.encode(crate::sha256(&input.signed_data()))
    );
    assert_eq!(payload["timestampMs"], pki::NOW * 1000);
    assert_eq!(payload["ctsProfileMatch"], true);

    use safetynet::Fault::*;
    let with = |f| {
        safetynet::produce(&input, &std_pki(), Some(f))
            .unwrap()
            .att_stmt
    };
    assert_eq!(
        get(&with(VerEmpty), "ver"),
        Some(&Value::Text(String::new()))
    );
    assert_eq!(
        get(&with(ResponseEmpty), "response"),
        Some(&Value::Bytes(Vec::new()))
    );
    assert_ne!(jws_parts(&with(NonceMismatch)).1["nonce"], payload["nonce"]);
    assert_eq!(jws_parts(&with(X5cEmpty)).0["x5c"], serde_json::json!([]));
    assert_eq!(
        jws_parts(&with(CtsProfileFalse)).1["ctsProfileMatch"],
        false
    );
    assert!(jws_parts(&with(TimestampFuture)).1["timestampMs"].as_u64() > Some(pki::NOW * 1000));
    assert!(
        jws_parts(&with(TimestampStale)).1["timestampMs"]
            .as_u64()
            .unwrap()
            < pki::NOW * 1000 - 60_000
    );
    let (_, _, input_b, bad) = jws_parts(&with(JwsSigInvalid));
    assert_eq!(input_b, signing_input);
    assert!(!rs256_verifies(&leaf, input_b.as_bytes(), &bad));
    // The ES256 variant: a P-256 leaf and a raw r ‖ s signature (RFC 7518 §3.4).
    let (h, _, input_es, es_sig) = jws_parts(&with(SignedEs256));
    assert_eq!(h["alg"], "ES256");
    let es_leaf =
        Certificate::from_der(&STANDARD.decode(h["x5c"][0].as_str().unwrap()).unwrap()).unwrap();
    let raw = p256::ecdsa::Signature::from_slice(&es_sig).unwrap();
    assert!(p256_key(&es_leaf).verify(input_es.as_bytes(), &raw).is_ok());
    let (h, _, _, _) = jws_parts(&with(NotFromGoogleHost));
    let other =
        Certificate::from_der(&STANDARD.decode(h["x5c"][0].as_str().unwrap()).unwrap()).unwrap();
    assert!(
        other
            .tbs_certificate
            .subject
            .to_string()
            .contains("CN=attest.example.com")
    );
}

#[test]
fn apple_nonce_and_faults() {
    let fixture = es256();
    let input = fixture.input();
    let stmt = apple::produce(&input, &std_pki(), None).unwrap().att_stmt;
    let chain = certs(&stmt);
    let nonce = crate::sha256(&input.signed_data());
    let mut want = vec![0x30, 0x24, 0xa1, 0x22, 0x04, 0x20];
    want.extend(nonce);
    assert_eq!(
        extension(&chain[0], pki::OID_APPLE_NONCE),
        Some(want.clone())
    );
    use apple::Fault::*;
    let with = |f| {
        apple::produce(&input, &std_pki(), Some(f))
            .unwrap()
            .att_stmt
    };
    assert_ne!(
        extension(&certs(&with(NonceMismatch))[0], pki::OID_APPLE_NONCE),
        Some(want)
    );
    assert_ne!(
        certs(&with(CertKeyMismatch))[0]
            .tbs_certificate
            .subject_public_key_info,
        chain[0].tbs_certificate.subject_public_key_info
    );
    assert_eq!(with(X5cMissing), Value::Map(Vec::new()));
    assert!(certs(&with(X5cEmpty)).is_empty());
}

#[test]
fn compound_entries_and_faults() {
    let fixture = es256();
    let input = fixture.input();
    let fmts = |stmt: &Value| -> Vec<String> {
        let Value::Array(items) = stmt else { panic!() };
        items
            .iter()
            .map(|i| match get(i, "fmt") {
                Some(Value::Text(t)) => t.clone(),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    let stmt = compound::produce(&input, &std_pki(), None)
        .unwrap()
        .att_stmt;
    assert_eq!(fmts(&stmt), ["packed", "tpm"]);
    use compound::Fault::*;
    let with = |f| {
        compound::produce(&input, &std_pki(), Some(f))
            .unwrap()
            .att_stmt
    };
    assert_eq!(fmts(&with(TooFew)), ["packed"]);
    assert_eq!(fmts(&with(Nested)), ["packed", "compound"]);
    let invalid = with(OneInvalid);
    assert_eq!(fmts(&invalid), ["packed", "tpm"]);
    assert_ne!(invalid, stmt);
    let ed = Fixture::new(CoseAlgorithm::EdDsa);
    let stmt = compound::produce(&ed.input(), &std_pki(), None)
        .unwrap()
        .att_stmt;
    assert_eq!(fmts(&stmt), ["packed", "apple"]);
}

#[test]
fn client_routes_formats_and_faults() {
    use crate::authenticator::mutation::{Mutation, StatementFault};
    use crate::authenticator::{AuthenticatorConfig, VirtualAuthenticator, VirtualClient};
    let options = serde_json::json!({
        "rp": {"id": "example.org", "name": "x"},
        "user": {"id": "dXNlcg", "name": "u", "displayName": "u"},
        "challenge": "AAAAAAAAAAAAAAAAAAAAAA",
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}]
    });
    let fmt_of = |format: AttestationFormat, mutations: &[Mutation]| {
        let config = AuthenticatorConfig {
            attestation: format,
            ..AuthenticatorConfig::default()
        };
        let auth = VirtualAuthenticator::new(config, Drbg::for_label(3, "client routes"));
        let mut client = VirtualClient::new("https://example.org", auth);
        let body: serde_json::Value =
            serde_json::from_str(&client.register(&options, mutations).unwrap().body).unwrap();
        let object = URL_SAFE_NO_PAD
            .decode(body["response"]["attestationObject"].as_str().unwrap())
            .unwrap();
        let value = crate::codec::cbor::decode(&object).unwrap();
        let Value::Map(entries) = value else { panic!() };
        let fmt = entries
            .iter()
            .find(|(k, _)| k == &Value::Text("fmt".into()))
            .unwrap()
            .1
            .clone();
        let auth_data = match &entries
            .iter()
            .find(|(k, _)| k == &Value::Text("authData".into()))
            .unwrap()
            .1
        {
            Value::Bytes(b) => b.clone(),
            _ => panic!(),
        };
        (fmt, auth_data[37..53].to_vec())
    };
    for (format, name) in [
        (AttestationFormat::Packed, "packed"),
        (AttestationFormat::Tpm, "tpm"),
        (AttestationFormat::AndroidKey, "android-key"),
        (AttestationFormat::AndroidSafetyNet, "android-safetynet"),
        (AttestationFormat::Apple, "apple"),
        (AttestationFormat::Compound, "compound"),
    ] {
        assert_eq!(fmt_of(format, &[]).0, Value::Text(name.into()));
    }
    let (fmt, aaguid) = fmt_of(AttestationFormat::FidoU2f, &[]);
    assert_eq!(fmt, Value::Text("fido-u2f".into()));
    assert_eq!(aaguid, vec![0u8; 16]);
    let (_, aaguid) = fmt_of(
        AttestationFormat::None,
        &[Mutation::Statement(StatementFault::FidoU2f(
            fido_u2f::Fault::AaguidNonZero,
        ))],
    );
    assert_ne!(aaguid, vec![0u8; 16]);
    // The fault picks its format.
    let (fmt, _) = fmt_of(
        AttestationFormat::None,
        &[Mutation::Statement(StatementFault::Tpm(
            tpm::Fault::WrongMagic,
        ))],
    );
    assert_eq!(fmt, Value::Text("tpm".into()));
}

/// `AttestationFormat::attests` says exactly which credential algorithms each format's
/// statement can be produced for.
#[test]
fn attests_agrees_with_what_each_format_can_produce() {
    let pki = std_pki();
    let mut wrong = Vec::new();
    for alg in crate::crypto::SUPPORTED_ALGORITHMS {
        let fixture = Fixture::new(alg);
        for format in all_formats() {
            let produced = produce(format, &fixture.input(), &pki, None).is_ok();
            let said = format.attests(alg);
            if said != produced {
                wrong.push(format!(
                    "{format:?} {alg:?}: attests {said}, produced {produced}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// An authenticator takes the first offered algorithm its format can attest (W3C L3 §6.3.2
/// step 2): a TPM or U2F authenticator offered EdDSA first makes an ES256 credential.
#[test]
fn client_skips_algorithms_the_format_cannot_attest() {
    use crate::authenticator::{
        AuthenticatorConfig, ClientError, VirtualAuthenticator, VirtualClient,
    };
    let options = |algs: &[i64]| {
        serde_json::json!({
            "rp": {"id": "example.org", "name": "x"},
            "user": {"id": "dXNlcg", "name": "u", "displayName": "u"},
            "challenge": "AAAAAAAAAAAAAAAAAAAAAA",
            "pubKeyCredParams": algs.iter().map(|a| serde_json::json!({"type": "public-key", "alg": a})).collect::<Vec<_>>()
        })
    };
    let register = |format: AttestationFormat, algs: &[i64]| {
        let config = AuthenticatorConfig {
            attestation: format,
            ..AuthenticatorConfig::default()
        };
        let auth = VirtualAuthenticator::new(config, Drbg::for_label(3, "client algs"));
        VirtualClient::new("https://example.org", auth).register(&options(algs), &[])
    };
    let alg_of = |body: &str| {
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        body["response"]["publicKeyAlgorithm"].as_i64()
    };
    for format in [AttestationFormat::Tpm, AttestationFormat::FidoU2f] {
        let created = register(format, &[-8, -7, -257]).unwrap();
        assert_eq!(alg_of(&created.body), Some(-7), "{format:?}");
    }
    assert_eq!(
        alg_of(&register(AttestationFormat::Tpm, &[-8, -257]).unwrap().body),
        Some(-257)
    );
    assert!(matches!(
        register(AttestationFormat::FidoU2f, &[-8, -257]),
        Err(ClientError::NoSupportedAlgorithm { .. })
    ));
    // Other formats attest EdDSA: the first offered algorithm stays the choice.
    let created = register(AttestationFormat::Packed, &[-8, -7]).unwrap();
    assert_eq!(alg_of(&created.body), Some(-8));
}
