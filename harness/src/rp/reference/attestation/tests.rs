//! Attestation verification against the W3C L3 §16 vectors, one-byte corruptions, and crafted
//! cases showing that each switchable check is what rejects its bad input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine as _;
use ciborium::Value;
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer as _;
use serde::Deserialize;

use super::*;
use crate::codec::attestation_object::AttestationObject;
use crate::codec::auth_data::AuthenticatorData;
use crate::codec::cose::CoseKey;

/// 2026-01-01T00:00:00Z; the W3C certificates are valid 2024-3024.
const NOW: u64 = 1_767_225_600;

/// One W3C L3 §16 registration vector: its unedited test in `vectors/w3c/registration.json`
/// (flag `W3cVector`) and its group's trust anchor and private keys.
struct Vector {
    name: String,
    client_data_json: String,
    attestation_object: String,
    attestation_root_cert: Option<String>,
    credential_private_key: Option<String>,
    attestation_private_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorFile {
    test_groups: Vec<VectorGroup>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorGroup {
    source: VectorSource,
    attestation_trust_anchors: Vec<String>,
    keys: VectorKeys,
    tests: Vec<VectorTest>,
}

#[derive(Deserialize)]
struct VectorSource {
    vector: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorKeys {
    credential_private_key: Option<String>,
    attestation_private_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorTest {
    flags: Vec<String>,
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    attestation_object: String,
}

fn vectors() -> Vec<Vector> {
    let file: VectorFile =
        serde_json::from_str(include_str!("../../../../../vectors/w3c/registration.json")).unwrap();
    file.test_groups
        .into_iter()
        .map(|group| {
            let mut unedited = group
                .tests
                .into_iter()
                .filter(|t| t.flags.iter().any(|f| f == "W3cVector"));
            let test = unedited.next().unwrap();
            assert!(unedited.next().is_none(), "{}", group.source.vector);
            let mut anchors = group.attestation_trust_anchors.into_iter();
            let root = anchors.next();
            assert!(anchors.next().is_none());
            Vector {
                name: group.source.vector,
                client_data_json: test.client_data_json,
                attestation_object: test.attestation_object,
                attestation_root_cert: root,
                credential_private_key: group.keys.credential_private_key,
                attestation_private_key: group.keys.attestation_private_key,
            }
        })
        .collect()
}

/// One registration's attestation inputs, editable.
#[derive(Clone)]
struct Case {
    fmt: String,
    stmt: Value,
    auth_data_bytes: Vec<u8>,
    auth_data: AuthenticatorData,
    cdh: [u8; 32],
    key: CoseKey,
    root: Option<Vec<u8>>,
    cred_sk: Option<Vec<u8>>,
    att_sk: Option<Vec<u8>>,
}

impl Case {
    fn load(name: &str) -> Case {
        let v = vectors().into_iter().find(|v| v.name == name).unwrap();
        let object =
            AttestationObject::parse(&hex::decode(&v.attestation_object).unwrap()).unwrap();
        assert_eq!(
            object.fmt,
            name.split('.').next().unwrap().trim_end_matches("-self")
        );
        let auth_data = AuthenticatorData::parse(&object.auth_data).unwrap();
        let attested = auth_data.attested_credential_data.clone().unwrap();
        assert_eq!(auth_data.rp_id_hash, crate::sha256(b"example.org"));
        Case {
            fmt: object.fmt,
            stmt: object.att_stmt,
            auth_data_bytes: object.auth_data,
            key: CoseKey::from_cbor(&attested.credential_public_key).unwrap(),
            auth_data,
            cdh: crate::sha256(&hex::decode(&v.client_data_json).unwrap()),
            root: v.attestation_root_cert.map(|h| hex::decode(h).unwrap()),
            cred_sk: v.credential_private_key.map(|h| hex::decode(h).unwrap()),
            att_sk: v.attestation_private_key.map(|h| hex::decode(h).unwrap()),
        }
    }

    fn ctx(&self) -> StatementContext<'_> {
        StatementContext {
            auth_data_bytes: &self.auth_data_bytes,
            auth_data: &self.auth_data,
            client_data_hash: &self.cdh,
            credential_key: &self.key,
            now_unix: NOW,
        }
    }

    fn run_with(
        &self,
        policy: &AttestationPolicy,
        enabled: &dyn Fn(AttCheck) -> bool,
    ) -> Result<Verified, AttestationError> {
        verify_statement(&self.fmt, &self.stmt, &self.ctx(), policy, enabled)
    }

    /// With the W3C root trusted and every check on.
    fn run(&self) -> Result<Verified, AttestationError> {
        self.run_with(&self.policy(), &|_| true)
    }

    /// With the W3C root trusted and one check off.
    fn run_without(&self, off: AttCheck) -> Result<Verified, AttestationError> {
        self.run_with(&self.policy(), &|c| c != off)
    }

    fn policy(&self) -> AttestationPolicy {
        let mut policy = AttestationPolicy::default();
        if let Some(root) = &self.root {
            policy.trust_store.add_root(None, root).unwrap();
        }
        policy.trust_store.add_root(None, &test_root().0).unwrap();
        policy
    }

    fn entries(&mut self) -> &mut Vec<(Value, Value)> {
        match &mut self.stmt {
            Value::Map(entries) => entries,
            _ => panic!("attStmt is not a map"),
        }
    }

    fn set(&mut self, key: &str, value: Value) {
        let entries = self.entries();
        entries.retain(|(k, _)| k != &Value::Text(key.into()));
        entries.push((Value::Text(key.into()), value));
    }

    fn remove(&mut self, key: &str) {
        self.entries()
            .retain(|(k, _)| k != &Value::Text(key.into()));
    }

    fn bytes(&self, key: &str) -> Vec<u8> {
        match &self.stmt {
            Value::Map(entries) => match cbor::map_get_text(entries, key) {
                Some(Value::Bytes(b)) => b.clone(),
                _ => panic!("no bytes {key}"),
            },
            _ => panic!("attStmt is not a map"),
        }
    }

    fn signed(&self) -> Vec<u8> {
        let mut data = self.auth_data_bytes.clone();
        data.extend_from_slice(&self.cdh);
        data
    }

    fn att_key(&self) -> SigningKey {
        SigningKey::from_slice(self.att_sk.as_ref().unwrap()).unwrap()
    }

    fn cred_key(&self) -> SigningKey {
        SigningKey::from_slice(self.cred_sk.as_ref().unwrap()).unwrap()
    }
}

use crate::codec::cbor;

fn der_sign(key: &SigningKey, msg: &[u8]) -> Vec<u8> {
    let sig: p256::ecdsa::DerSignature = key.sign(msg);
    sig.as_bytes().to_vec()
}

fn flip_last(mut bytes: Vec<u8>) -> Vec<u8> {
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    bytes
}

/// The vectors with full attestation (that the file holds all eleven is checked once, by
/// `w3c_registration_file_has_the_eleven_vectors` in `tests/vectors.rs`).
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
fn apple_rejects_another_client_data_hash_and_another_key() {
    let mut case = Case::load("apple.ES256");
    case.cdh[0] ^= 1;
    let err = case.run().unwrap_err();
    assert!(
        matches!(err, AttestationError::Apple(apple::AppleError::Nonce(_))),
        "{err}"
    );
    case.run_without(AttCheck::Apple(apple::Check::Nonce))
        .unwrap();

    let mut case = Case::load("apple.ES256");
    case.key = Case::load("packed-self.ES256").key;
    let err = case.run().unwrap_err();
    assert!(
        matches!(err, AttestationError::Apple(apple::AppleError::KeyMismatch)),
        "{err}"
    );
    case.run_without(AttCheck::Apple(apple::Check::KeyMatchesCredential))
        .unwrap();

    let mut case = Case::load("apple.ES256");
    case.set("x5c", Value::Array(vec![]));
    assert!(case.run().is_err());
}

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

#[test]
fn trust_chain_checks_switch_off_one_by_one() {
    use trust::{Check as T, TrustError as E};
    let base = Case::load("packed-self.ES256");
    let (root_der, root_key) = test_root();
    let inter_key = SigningKey::from_slice(&[0x22; 32]).unwrap();
    let inter = build_cert(&CertSpec {
        ca: true,
        ..CertSpec::new(&root_key, "Test Root", &inter_key, "Test Intermediate")
    });
    // Leaf issued by the intermediate: x5c [leaf, intermediate] chains to the root.
    let mut leaf = LeafSpec::packed();
    leaf.issuer = ("Test Intermediate", inter_key.clone());
    let chained = with_x5c(&packed_with_leaf(&base, &leaf), |x5c| {
        x5c.push_der(inter.clone())
    });
    chained.run().unwrap();
    // Out of order (PK-13).
    let swapped = with_x5c(&chained, |x5c| x5c.swap(0, 1));
    assert!(swapped.run().is_err());
    // The root itself in x5c, byte-identical to the anchor, is tolerated (§7.1 step 24 "or be").
    with_x5c(&chained, |x5c| x5c.push_der(root_der.clone()))
        .run()
        .unwrap();
    // A self-signed "root" in x5c that is not the anchor is not trusted.
    let fake_root_key = SigningKey::from_slice(&[0x33; 32]).unwrap();
    let fake_root = build_cert(&CertSpec {
        ca: true,
        ..CertSpec::new(&fake_root_key, "Test Root", &fake_root_key, "Test Root")
    });
    let mut fake_leaf = LeafSpec::packed();
    fake_leaf.issuer = ("Test Root", fake_root_key.clone());
    let fake = with_x5c(&packed_with_leaf(&base, &fake_leaf), |x5c| {
        x5c.push_der(fake_root.clone())
    });
    assert!(matches!(
        fake.run(),
        Err(AttestationError::Trust(E::NoAnchor { .. }))
    ));
    fake.run_without(AttCheck::Trust(T::AnchorRequired))
        .unwrap();
    // Expired leaf (PK-09).
    let mut expired = LeafSpec::packed();
    expired.not_after = "20250101000000Z";
    let case = packed_with_leaf(&base, &expired);
    assert!(matches!(
        case.run(),
        Err(AttestationError::Trust(E::NotValidNow { index: 0, .. }))
    ));
    case.run_without(AttCheck::Trust(T::Validity)).unwrap();
    // Expired intermediate (PK-14).
    let old_inter = build_cert(&CertSpec {
        ca: true,
        not_after: "20250101000000Z",
        ..CertSpec::new(&root_key, "Test Root", &inter_key, "Test Intermediate")
    });
    let case = with_x5c(&packed_with_leaf(&base, &leaf), |x5c| {
        x5c.push_der(old_inter.clone())
    });
    assert!(matches!(
        case.run(),
        Err(AttestationError::Trust(E::NotValidNow { index: 1, .. }))
    ));
    case.run_without(AttCheck::Trust(T::Validity)).unwrap();
    // Intermediate without CA=true.
    let not_ca = build_cert(&CertSpec::new(
        &root_key,
        "Test Root",
        &inter_key,
        "Test Intermediate",
    ));
    let case = with_x5c(&packed_with_leaf(&base, &leaf), |x5c| {
        x5c.push_der(not_ca.clone())
    });
    assert!(matches!(
        case.run(),
        Err(AttestationError::Trust(E::IssuerNotCa { index: 1 }))
    ));
    case.run_without(AttCheck::Trust(T::IntermediatesCa))
        .unwrap();
    // A broken link: the leaf is not signed by x5c[1] (another intermediate key).
    let other_key = SigningKey::from_slice(&[0x44; 32]).unwrap();
    let other = build_cert(&CertSpec {
        ca: true,
        ..CertSpec::new(&root_key, "Test Root", &other_key, "Test Intermediate")
    });
    let case = with_x5c(&packed_with_leaf(&base, &leaf), |x5c| {
        x5c.push_der(other.clone())
    });
    assert!(matches!(
        case.run(),
        Err(AttestationError::Trust(E::BrokenLink { index: 0, .. }))
    ));
    case.run_without(AttCheck::Trust(T::ChainSignatures))
        .unwrap();
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
fn safetynet_checks_switch_off_one_by_one() {
    use safetynet::Check as S;
    let base = Case::load("packed-self.ES256");
    let good = SafetyNet::default();
    safetynet_case(&base, &good).run().unwrap();
    let bad: Vec<(SafetyNet, S)> = vec![
        (
            SafetyNet {
                ver: "",
                ..SafetyNet::default()
            },
            S::VerNonEmpty,
        ),
        (
            SafetyNet {
                nonce: Some("AAAA".into()),
                ..SafetyNet::default()
            },
            S::Nonce,
        ),
        (
            SafetyNet {
                cts: false,
                ..SafetyNet::default()
            },
            S::CtsProfileMatch,
        ),
        (
            SafetyNet {
                age_ms: -5_000,
                ..SafetyNet::default()
            },
            S::TimestampNotFuture,
        ),
        (
            SafetyNet {
                age_ms: 61_000,
                ..SafetyNet::default()
            },
            S::TimestampFresh,
        ),
        (
            SafetyNet {
                host: "attest.example.com",
                ..SafetyNet::default()
            },
            S::Hostname,
        ),
        (
            SafetyNet {
                corrupt_sig: true,
                ..SafetyNet::default()
            },
            S::JwsSignature,
        ),
    ];
    for (spec, check) in bad {
        let case = safetynet_case(&base, &spec);
        let err = case.run().unwrap_err();
        assert!(
            matches!(err, AttestationError::SafetyNet(_)),
            "{check:?}: {err}"
        );
        case.run_without(AttCheck::SafetyNet(check))
            .unwrap_or_else(|e| panic!("{check:?}: {e}"));
    }
    // Empty response and empty x5c are refused; garbage never panics.
    let mut case = safetynet_case(&base, &good);
    case.set("response", Value::Bytes(vec![]));
    assert!(case.run().is_err());
    let case = safetynet_case(
        &base,
        &SafetyNet {
            no_x5c: true,
            ..SafetyNet::default()
        },
    );
    assert!(case.run().is_err());
    for garbage in [&b"a.b.c"[..], b"...", b"\xff\xfe", b"e30.e30.AA"] {
        let mut case = safetynet_case(&base, &good);
        case.set("response", Value::Bytes(garbage.to_vec()));
        assert!(case.run().is_err());
    }
}

#[test]
fn compound_combines_sub_statements_under_policy() {
    use compound::Check as K;
    let base = Case::load("packed-self.ES256");
    let entry = |fmt: &str, stmt: Value| {
        Value::Map(vec![
            (Value::Text("fmt".into()), Value::Text(fmt.into())),
            (Value::Text("attStmt".into()), stmt),
        ])
    };
    let self_stmt = base.stmt.clone();
    let none_stmt = Value::Map(vec![]);
    let mut case = base.clone();
    case.fmt = "compound".into();
    case.stmt = Value::Array(vec![
        entry("packed", self_stmt.clone()),
        entry("none", none_stmt.clone()),
    ]);
    let verified = case.run().unwrap();
    assert!(matches!(verified.attestation_type, AttestationType::Compound(ref v) if v.len() == 2));
    // Fewer than two entries.
    case.stmt = Value::Array(vec![entry("packed", self_stmt.clone())]);
    assert!(matches!(
        case.run(),
        Err(AttestationError::Compound(compound::CompoundError::TooFew(
            1
        )))
    ));
    case.run_without(AttCheck::Compound(K::MinEntries)).unwrap();
    // Nested compound.
    let inner = Value::Array(vec![
        entry("packed", self_stmt.clone()),
        entry("none", none_stmt.clone()),
    ]);
    case.stmt = Value::Array(vec![
        entry("compound", inner),
        entry("none", none_stmt.clone()),
    ]);
    assert!(matches!(
        case.run(),
        Err(AttestationError::Compound(compound::CompoundError::Nested(
            0
        )))
    ));
    case.run_without(AttCheck::Compound(K::NoNested)).unwrap();
    // One invalid sub-statement: fails under "all", passes under "at least 1" and without the check.
    let mut broken = base.clone();
    broken.set("sig", Value::Bytes(flip_last(base.bytes("sig"))));
    case.stmt = Value::Array(vec![
        entry("packed", broken.stmt.clone()),
        entry("none", none_stmt),
    ]);
    assert!(matches!(
        case.run(),
        Err(AttestationError::Compound(
            compound::CompoundError::NotEnoughValid { .. }
        ))
    ));
    case.run_without(AttCheck::Compound(K::EnoughValid))
        .unwrap();
    let one = AttestationPolicy {
        compound_min_valid: 1,
        ..case.policy()
    };
    case.run_with(&one, &|_| true).unwrap();
    // Not an array.
    case.stmt = Value::Map(vec![]);
    assert!(case.run().is_err());
}

#[test]
fn unknown_formats_and_none_with_content() {
    let mut case = Case::load("none.ES256");
    case.fmt = "avocado".into();
    assert!(matches!(
        case.run(),
        Err(AttestationError::UnsupportedFormat { .. })
    ));
    case.run_without(AttCheck::KnownFormat).unwrap();
    let mut case = Case::load("none.ES256");
    case.stmt = Case::load("packed-self.ES256").stmt;
    let err = case.run().unwrap_err();
    assert_eq!(
        err.to_string(),
        "attStmt must be an empty map, found map(2) (W3C L3 §8.7)"
    );
    case.run_without(AttCheck::None(NoneCheck::EmptyMap))
        .unwrap();
}

#[test]
fn check_names_are_unique() {
    let names: Vec<String> = AttCheck::all().into_iter().map(AttCheck::name).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len());
}

#[test]
fn trust_store_loads_metadata_like_json() {
    let root = Case::load("packed.ES256").root.unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&root);
    let json = format!(
        r#"{{"entries":[{{"aaguid":"876ca4f5-2071-c3e9-b255-09ef2cdf7ed6","description":"W3C packed.ES256","attestationRootCertificates":["{b64}"]}}]}}"#
    );
    let store = TrustStore::from_json(&json).unwrap();
    let case = Case::load("packed.ES256");
    let policy = AttestationPolicy {
        trust_store: store.clone(),
        ..AttestationPolicy::default()
    };
    case.run_with(&policy, &|_| true).unwrap();
    // Keyed by AAGUID: another authenticator's statement does not chain to it.
    let other = Case::load("fido-u2f.ES256");
    assert!(other.run_with(&policy, &|_| true).is_err());
    assert!(
        TrustStore::from_json(r#"{"entries":[{"aaguid":"xyz","attestationRootCertificates":[]}]}"#)
            .is_err()
    );
    assert!(TrustStore::from_json(r#"{"anyAaguidRoots":["AAAA"]}"#).is_err());
    assert!(TrustStore::from_json(r#"{"unknown":1}"#).is_err());
}

// ---- crafted certificates (a minimal DER writer; test-only) ----

impl Case {
    fn bytes_in_x5c(&self, index: usize) -> Vec<u8> {
        match &self.stmt {
            Value::Map(entries) => match cbor::map_get_text(entries, "x5c") {
                Some(Value::Array(items)) => match &items[index] {
                    Value::Bytes(b) => b.clone(),
                    _ => panic!(),
                },
                _ => panic!(),
            },
            _ => panic!(),
        }
    }
}

fn tlv_raw(tag: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(body);
    out
}

fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    tlv_raw(&[tag], body)
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn oid(dotted: &str) -> Vec<u8> {
    tlv(
        0x06,
        const_oid::ObjectIdentifier::new_unwrap(dotted).as_bytes(),
    )
}

fn int(value: u8) -> Vec<u8> {
    tlv(0x02, &[value])
}

fn name(attrs: &[(&str, &str)]) -> Vec<u8> {
    let rdns: Vec<Vec<u8>> = attrs
        .iter()
        .map(|(o, v)| tlv(0x31, &seq(&[oid(o), tlv(0x0c, v.as_bytes())])))
        .collect();
    seq(&rdns)
}

fn simple_name(cn: &str) -> Vec<u8> {
    name(&[("2.5.4.3", cn)])
}

fn ext(id: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(tlv(0x01, &[0xff]));
    }
    parts.push(tlv(0x04, value));
    seq(&parts)
}

fn spki(key: &SigningKey) -> Vec<u8> {
    let point = key.verifying_key().to_encoded_point(false);
    let mut bits = vec![0];
    bits.extend_from_slice(point.as_bytes());
    seq(&[
        seq(&[oid("1.2.840.10045.2.1"), oid("1.2.840.10045.3.1.7")]),
        tlv(0x03, &bits),
    ])
}

struct CertSpec<'a> {
    issuer_key: &'a SigningKey,
    issuer: Vec<u8>,
    key: &'a SigningKey,
    subject: Vec<u8>,
    version: u8,
    ca: bool,
    not_after: &'a str,
    extra: Vec<Vec<u8>>,
}

impl<'a> CertSpec<'a> {
    fn new(issuer_key: &'a SigningKey, issuer: &str, key: &'a SigningKey, subject: &str) -> Self {
        CertSpec {
            issuer_key,
            issuer: simple_name(issuer),
            key,
            subject: simple_name(subject),
            version: 3,
            ca: false,
            not_after: "30240101000000Z",
            extra: Vec::new(),
        }
    }
}

fn build_cert(spec: &CertSpec) -> Vec<u8> {
    let alg = seq(&[oid("1.2.840.10045.4.3.2")]);
    let mut exts = vec![ext(
        "2.5.29.19",
        true,
        &seq(&if spec.ca {
            vec![tlv(0x01, &[0xff])]
        } else {
            vec![]
        }),
    )];
    exts.extend(spec.extra.iter().cloned());
    let mut tbs = Vec::new();
    if spec.version > 1 {
        tbs.push(tlv(0xa0, &int(spec.version - 1)));
    }
    tbs.extend([
        int(7),
        alg.clone(),
        spec.issuer.clone(),
        seq(&[
            tlv(0x18, b"20240101000000Z"),
            tlv(0x18, spec.not_after.as_bytes()),
        ]),
        spec.subject.clone(),
        spki(spec.key),
    ]);
    if spec.version == 3 {
        tbs.push(tlv(0xa3, &seq(&exts)));
    }
    let tbs = seq(&tbs);
    let mut bits = vec![0];
    bits.extend(der_sign(spec.issuer_key, &tbs));
    seq(&[tbs, alg, tlv(0x03, &bits)])
}

/// A self-signed CA trusted for any AAGUID in every test policy.
fn test_root() -> (Vec<u8>, SigningKey) {
    let key = SigningKey::from_slice(&[0x11; 32]).unwrap();
    let der = build_cert(&CertSpec {
        ca: true,
        ..CertSpec::new(&key, "Test Root", &key, "Test Root")
    });
    (der, key)
}

/// A packed attestation certificate, by default §8.2.1-compliant and issued by the test root.
#[derive(Clone)]
struct LeafSpec {
    issuer: (&'static str, SigningKey),
    version: u8,
    ca: bool,
    ou: &'static str,
    aaguid: Option<(bool, Vec<u8>)>,
    not_after: &'static str,
}

impl LeafSpec {
    fn packed() -> Self {
        LeafSpec {
            issuer: ("Test Root", test_root().1),
            version: 3,
            ca: false,
            ou: "Authenticator Attestation",
            aaguid: None,
            not_after: "30240101000000Z",
        }
    }
}

fn leaf_key() -> SigningKey {
    SigningKey::from_slice(&[0x55; 32]).unwrap()
}

/// `base` (a packed-self vector) re-signed as full packed with a crafted x5c [leaf].
fn packed_with_leaf(base: &Case, spec: &LeafSpec) -> Case {
    let key = leaf_key();
    let mut extra = Vec::new();
    if let Some((critical, aaguid)) = &spec.aaguid {
        extra.push(ext(
            "1.3.6.1.4.1.45724.1.1.4",
            *critical,
            &tlv(0x04, aaguid),
        ));
    }
    let cert = build_cert(&CertSpec {
        issuer_key: &spec.issuer.1,
        issuer: simple_name(spec.issuer.0),
        key: &key,
        subject: name(&[
            ("2.5.4.6", "AA"),
            ("2.5.4.10", "Test"),
            ("2.5.4.11", spec.ou),
            ("2.5.4.3", "Test Leaf"),
        ]),
        version: spec.version,
        ca: spec.ca,
        not_after: spec.not_after,
        extra,
    });
    let mut case = base.clone();
    case.fmt = "packed".into();
    case.set("alg", Value::Integer((-7).into()));
    case.set("sig", Value::Bytes(der_sign(&key, &base.signed())));
    case.set("x5c", Value::Array(vec![Value::Bytes(cert)]));
    case
}

fn with_x5c(case: &Case, edit: impl Fn(&mut Vec<Value>)) -> Case {
    let mut case = case.clone();
    let mut items = match cbor::map_get_text(case.entries(), "x5c") {
        Some(Value::Array(items)) => items.clone(),
        _ => panic!(),
    };
    let as_values: &mut Vec<Value> = &mut items;
    edit(as_values);
    case.set("x5c", Value::Array(items));
    case
}

trait PushDer {
    fn push_der(&mut self, der: Vec<u8>);
}

impl PushDer for Vec<Value> {
    fn push_der(&mut self, der: Vec<u8>) {
        self.push(Value::Bytes(der));
    }
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

/// A SafetyNet response, by default valid for the packed-self vector's data.
struct SafetyNet {
    ver: &'static str,
    nonce: Option<String>,
    cts: bool,
    age_ms: i64,
    host: &'static str,
    corrupt_sig: bool,
    no_x5c: bool,
}

impl Default for SafetyNet {
    fn default() -> Self {
        SafetyNet {
            ver: "200616037",
            nonce: None,
            cts: true,
            age_ms: 1_000,
            host: "attest.android.com",
            corrupt_sig: false,
            no_x5c: false,
        }
    }
}

fn safetynet_case(base: &Case, spec: &SafetyNet) -> Case {
    let b64 = base64::engine::general_purpose::STANDARD;
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let key = leaf_key();
    let (_, root_key) = test_root();
    let cert = build_cert(&CertSpec::new(&root_key, "Test Root", &key, spec.host));
    let x5c: Vec<String> = if spec.no_x5c {
        vec![]
    } else {
        vec![b64.encode(&cert)]
    };
    let header = serde_json::json!({"alg": "ES256", "x5c": x5c});
    let nonce = spec
        .nonce
        .clone()
        .unwrap_or_else(|| b64.encode(crate::sha256(&base.signed())));
    let timestamp = (NOW as i64) * 1000 - spec.age_ms;
    let payload = serde_json::json!({
        "nonce": nonce,
        "timestampMs": timestamp,
        "apkPackageName": "com.google.android.gms",
        "ctsProfileMatch": spec.cts,
        "basicIntegrity": true,
    });
    let signed = format!(
        "{}.{}",
        b64url.encode(header.to_string()),
        b64url.encode(payload.to_string())
    );
    let sig: p256::ecdsa::Signature = key.sign(signed.as_bytes());
    let mut sig = sig.to_bytes().to_vec();
    if spec.corrupt_sig {
        sig[10] ^= 1;
    }
    let jws = format!("{signed}.{}", b64url.encode(sig));
    let mut case = base.clone();
    case.fmt = "android-safetynet".into();
    case.stmt = Value::Map(vec![
        (Value::Text("ver".into()), Value::Text(spec.ver.into())),
        (
            Value::Text("response".into()),
            Value::Bytes(jws.into_bytes()),
        ),
    ]);
    case
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
