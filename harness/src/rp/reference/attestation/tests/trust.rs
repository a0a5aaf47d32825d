//! The trust chain (W3C L3 §7.1 step 24) and the metadata-like JSON trust store.

use base64::Engine as _;

use super::*;
use crate::rp::reference::attestation::trust;

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
