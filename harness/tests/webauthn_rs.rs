//! webauthn-rs in process: every deviation is listed in `expectations/webauthn-rs.toml` with its
//! spec step, no entry is stale, and the committed report is current.
#![cfg(feature = "webauthn-rs")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rstest::rstest;
use webauthn_conformance::authenticator::attestation::metadata;
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::expectations::Expectations;
use webauthn_conformance::report;
use webauthn_conformance::rp::Profile;
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::attestation::TrustStore;
use webauthn_conformance::rp::webauthn_rs::WebauthnRsFactory;
use webauthn_conformance::runner::{self, RunOptions, RunReport, Verdict};

const EXPECTATIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../expectations/webauthn-rs.toml"
);

fn options(profile: Profile, only: &[&str]) -> RunOptions {
    RunOptions {
        profile,
        seed: 1,
        only: only
            .iter()
            .map(|g| globset::Glob::new(g).unwrap().compile_matcher())
            .collect(),
    }
}

fn run_with_expectations(profile: Profile) -> RunReport {
    let catalogue = catalogue();
    let mut report = runner::run(
        &WebauthnRsFactory::default(),
        &catalogue,
        &options(profile, &[]),
    );
    Expectations::load(std::path::Path::new(EXPECTATIONS))
        .unwrap()
        .apply(&mut report, &catalogue);
    report
}

#[rstest]
fn every_deviation_is_expected_and_no_entry_is_stale(
    #[values(Profile::Strict, Profile::Fido)] profile: Profile,
) {
    let report = run_with_expectations(profile);
    let open: Vec<String> = report
        .results
        .iter()
        // An inconclusive check (the library rejects its control too, e.g. every tpm statement)
        // does not fail a run; its detail names the control's answer.
        .filter(|r| r.verdict.needs_attention() && r.verdict != Verdict::Inconclusive)
        .map(|r| format!("{} {}: {}", r.verdict.name(), r.id, r.detail))
        .collect();
    assert!(open.is_empty(), "not in the expectations file:\n{open:#?}");
    assert!(
        report.stale_expectations.is_empty(),
        "stale: {:#?}",
        report.stale_expectations
    );
    assert!(report.all_passed());
    // The library is really exercised: most checks pass on their own (about 50 rejections
    // are inconclusive, chiefly every tpm fault: no tpm statement verifies in 0.6.2).
    assert!(
        report.count(Verdict::Pass) > 200,
        "{}",
        report.count(Verdict::Pass)
    );
}

#[test]
fn every_entry_cites_the_spec() {
    let file = Expectations::load(std::path::Path::new(EXPECTATIONS)).unwrap();
    assert!(file.entries.len() >= 30);
    for entry in &file.entries {
        assert!(
            entry.reason.contains('§') || entry.reason.contains("FIDO"),
            "{}: the reason must name the spec step",
            entry.check
        );
    }
}

#[test]
fn committed_webauthn_rs_report_is_current() {
    let report = run_with_expectations(Profile::Strict);
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../reports/webauthn-rs/report.json"
    ))
    .expect("reports/webauthn-rs/report.json is committed");
    assert_eq!(
        committed,
        report::to_json_text(&report),
        "reports/webauthn-rs/report.json is stale: run `cargo run --release -p webauthn-conformance -- run --rp webauthn-rs --expectations expectations/webauthn-rs.toml --out reports/webauthn-rs`"
    );
}

/// Roots for any AAGUID become the library's blanket CAs: fido-u2f, which the library cannot
/// tie to an AAGUID, then verifies (U2F-01 is expected to fail only with AAGUID-bound roots).
#[test]
fn any_aaguid_roots_are_blanket_cas() {
    let harness: serde_json::Value =
        serde_json::from_str(&metadata::harness_metadata_json().unwrap()).unwrap();
    let root = harness["entries"][0]["attestationRootCertificates"][0].clone();
    let store = TrustStore::from_json(
        &serde_json::json!({"entries": [], "anyAaguidRoots": [root]}).to_string(),
    )
    .unwrap();
    let factory = WebauthnRsFactory::default().with_trust_store(store);
    let report = runner::run(
        &factory,
        &catalogue(),
        &options(Profile::Strict, &["U2F-01", "AK-01"]),
    );
    assert_eq!(report.results.len(), 2);
    for r in &report.results {
        assert_eq!(r.verdict, Verdict::Pass, "{}: {}", r.id, r.detail);
    }
}

/// An entry whose deviation no longer happens, or that names no check, is stale and fails the
/// run; a deviation that happens becomes `expected`.
#[test]
fn stale_entries_fail_the_run() {
    let file = Expectations::from_toml(
        "[[expected]]\ncheck = \"REG-CD-01\"\nverdict = \"fail\"\nreason = \"§7.1 step 7\"\n\
         [[expected]]\ncheck = \"NO-SUCH-CHECK\"\nverdict = \"fail\"\nreason = \"§0\"\n",
    )
    .unwrap();
    let catalogue = catalogue();
    let mut report = runner::run(
        &ReferenceFactory::new(None),
        &catalogue,
        &options(Profile::Strict, &["REG-CD-01"]),
    );
    file.apply(&mut report, &catalogue);
    let stale: Vec<(&str, Option<Verdict>)> = report
        .stale_expectations
        .iter()
        .map(|s| (s.check.as_str(), s.actual))
        .collect();
    assert_eq!(
        stale,
        [("REG-CD-01", Some(Verdict::Pass)), ("NO-SUCH-CHECK", None)]
    );
    assert!(!report.all_passed());
    assert!(report::to_markdown(&report).contains("Stale expectation"));

    let mut report = runner::run(
        &WebauthnRsFactory::default(),
        &catalogue,
        &options(Profile::Strict, &["AS-04"]),
    );
    Expectations::from_toml(
        "[[expected]]\ncheck = \"AS-04\"\nverdict = \"fail\"\nreason = \"§7.2 step 6\"\n",
    )
    .unwrap()
    .apply(&mut report, &catalogue);
    assert_eq!(report.results[0].verdict, Verdict::Expected);
    assert_eq!(
        report.results[0].deviation,
        Some((Verdict::Fail, "§7.2 step 6".into()))
    );
    assert!(report.all_passed());
    let junit = report::junit::to_junit(&report);
    assert!(
        junit.contains("<skipped message=\"expected fail: §7.2 step 6\"/>"),
        "{junit}"
    );
}

/// `serve --rp webauthn-rs` over HTTP gives the in-process verdicts, skips included (the
/// cross-origin and clock checks the library cannot be set up for come back as `unsupported`).
#[test]
fn served_over_http_gives_the_in_process_verdicts() {
    use webauthn_conformance::rp::http::{HttpConfig, HttpFactory};
    use webauthn_conformance::rp::{RpConfig, RpFactory};
    use webauthn_conformance::serve::{self, ServeOptions};

    let server = serve::start(
        Box::new(WebauthnRsFactory::default()),
        ServeOptions {
            port: 0,
            config: RpConfig::example(Profile::Strict, 1),
            max_requests: 1_000_000,
            limits: serve::Limits::default(),
        },
    )
    .unwrap();
    let http = HttpFactory::connect(HttpConfig::new(&server.url())).unwrap();
    let over_http = runner::run(&http, &catalogue(), &options(Profile::Strict, &[]));
    let in_process = runner::run(
        &WebauthnRsFactory::default(),
        &catalogue(),
        &options(Profile::Strict, &[]),
    );
    let differences: Vec<String> = in_process
        .results
        .iter()
        .zip(&over_http.results)
        .filter(|(a, b)| a.id != b.id || a.verdict != b.verdict)
        .map(|(a, b)| {
            format!(
                "{}: {:?} in process, {:?} over HTTP ({})",
                a.id, a.verdict, b.verdict, b.detail
            )
        })
        .collect();
    assert_eq!(in_process.results.len(), over_http.results.len());
    assert!(differences.is_empty(), "{differences:#?}");
    assert!(over_http.count(Verdict::Skip) > 0);
    assert!(http.name().contains("127.0.0.1"));
    server.shutdown().unwrap();
}
