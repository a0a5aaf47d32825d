//! The reference RP's attestation trust anchors come from a metadata file: the harness's own by
//! default, anything else on request (`--trust-store`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use webauthn_conformance::authenticator::attestation::metadata::harness_metadata_json;
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::rp::Profile;
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::attestation::TrustStore;
use webauthn_conformance::runner::{self, RunOptions, RunReport, Verdict};

fn run(factory: &ReferenceFactory) -> RunReport {
    run_in(factory, Profile::Strict)
}

fn run_in(factory: &ReferenceFactory, profile: Profile) -> RunReport {
    let only = ["PK-01", "TPM-01", "U2F-01", "PK-19", "NONE-01"]
        .iter()
        .map(|id| globset::Glob::new(id).unwrap().compile_matcher())
        .collect();
    let options = RunOptions {
        profile,
        seed: 1,
        only,
    };
    runner::run(factory, &catalogue(), &options)
}

fn verdicts(report: &RunReport) -> Vec<(&'static str, Verdict)> {
    report.results.iter().map(|r| (r.id, r.verdict)).collect()
}

#[test]
fn the_written_metadata_is_the_default_trust_store() {
    let store = TrustStore::from_json(&harness_metadata_json().unwrap()).unwrap();
    let loaded = run(&ReferenceFactory::new(None).with_trust_store(store));
    let default = run(&ReferenceFactory::new(None));
    assert_eq!(verdicts(&loaded), verdicts(&default));
    assert_eq!(loaded.results.len(), 5);
    assert!(loaded.results.iter().all(|r| r.verdict == Verdict::Pass));
}

#[test]
fn without_the_harness_root_full_attestation_is_not_trusted() {
    // Accepting a format's valid statement is a SHOULD under L3 (the RP's policy, §7.1 steps
    // 21 and 24) and a MUST under the FIDO tool's rules.
    for (profile, missed) in [
        (Profile::Strict, Verdict::Warn),
        (Profile::Fido, Verdict::Fail),
    ] {
        let empty = TrustStore::from_json(r#"{"entries": []}"#).unwrap();
        let report = run_in(
            &ReferenceFactory::new(None).with_trust_store(empty),
            profile,
        );
        for result in &report.results {
            let full = ["PK-01", "TPM-01", "U2F-01"].contains(&result.id);
            let expected = if full { missed } else { Verdict::Pass };
            assert_eq!(result.verdict, expected, "{}: {}", result.id, result.detail);
            if full {
                assert!(result.detail.contains("not trusted"), "{}", result.detail);
            }
        }
    }
}

#[test]
fn a_root_for_another_aaguid_does_not_anchor() {
    let json = harness_metadata_json().unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    // Keep only the fido-u2f entry (all-zero AAGUID): packed and tpm lose their anchor.
    let entries = doc["entries"].as_array_mut().unwrap();
    entries.retain(|e| e["aaguid"] == "00000000-0000-0000-0000-000000000000");
    let store = TrustStore::from_json(&doc.to_string()).unwrap();
    let report = run(&ReferenceFactory::new(None).with_trust_store(store));
    let verdict = |id: &str| report.results.iter().find(|r| r.id == id).unwrap().verdict;
    assert_eq!(verdict("U2F-01"), Verdict::Pass);
    assert_eq!(verdict("PK-01"), Verdict::Warn);
    assert_eq!(verdict("TPM-01"), Verdict::Warn);
}
