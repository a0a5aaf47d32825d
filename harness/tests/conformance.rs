//! End-to-end: the reference RP against the whole catalogue, determinism, and the mutants.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rstest::rstest;
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::report;
use webauthn_conformance::rp::Profile;
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::runner::{self, RunOptions, RunReport, Verdict};

fn run(profile: Profile, seed: u64, mutant: Option<Mutant>) -> RunReport {
    let options = RunOptions {
        profile,
        seed,
        only: Vec::new(),
    };
    runner::run(&ReferenceFactory { mutant }, &catalogue(), &options)
}

#[rstest]
fn reference_rp_passes_every_check(#[values(Profile::Strict, Profile::Fido)] profile: Profile) {
    let report = run(profile, 1, None);
    let not_passed: Vec<String> = report
        .results
        .iter()
        .filter(|r| r.verdict != Verdict::Pass)
        .map(|r| format!("{} {:?}: {}", r.id, r.verdict, r.detail))
        .collect();
    assert!(not_passed.is_empty(), "{not_passed:#?}");
    assert!(
        report.results.len() >= 60,
        "{} checks",
        report.results.len()
    );
}

#[test]
fn check_ids_are_unique_and_every_check_applies_somewhere() {
    let checks = catalogue();
    let mut ids: Vec<&str> = checks.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "duplicate check IDs");
    for check in &checks {
        assert!(
            check.expect.strict.is_some() || check.expect.fido.is_some(),
            "{} applies to no profile",
            check.id
        );
        assert!(
            !check.spec.step.is_empty() && check.spec.section() != "§?",
            "{}",
            check.id
        );
    }
}

#[test]
fn same_seed_same_report_bytes() {
    for profile in [Profile::Strict, Profile::Fido] {
        let a = run(profile, 42, None);
        let b = run(profile, 42, None);
        assert_eq!(report::to_json_text(&a), report::to_json_text(&b));
        assert_eq!(report::to_markdown(&a), report::to_markdown(&b));
    }
}

#[test]
fn only_filter_keeps_matching_checks_and_their_bytes() {
    let all = run(Profile::Strict, 7, None);
    let options = RunOptions {
        profile: Profile::Strict,
        seed: 7,
        only: vec![globset::Glob::new("REG-CD-*").unwrap().compile_matcher()],
    };
    let some = runner::run(&ReferenceFactory::default(), &catalogue(), &options);
    assert!(!some.results.is_empty());
    for result in &some.results {
        assert!(result.id.starts_with("REG-CD-"));
        // A check's bytes do not depend on which other checks ran.
        let same = all.results.iter().find(|r| r.id == result.id).unwrap();
        assert_eq!(same, result);
    }
}

/// Every verification the reference RP can switch off is caught by at least one check, in at
/// least one profile: a check that no broken RP fails would be a check that cannot fail.
#[rstest]
fn every_mutant_is_caught(
    #[values(
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
        25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36
    )]
    index: usize,
) {
    let mutant = Mutant::ALL[index];
    let caught: Vec<&str> = [Profile::Strict, Profile::Fido]
        .into_iter()
        .flat_map(|profile| {
            run(profile, 1, Some(mutant))
                .results
                .into_iter()
                .filter(|r| r.verdict == Verdict::Fail)
                .map(|r| r.id)
        })
        .collect();
    assert!(
        !caught.is_empty(),
        "mutant {} is caught by no check",
        mutant.name()
    );
}

#[test]
fn mutant_list_is_covered_by_the_caught_test() {
    // Keep the #[values] list above in step with Mutant::ALL.
    assert_eq!(Mutant::ALL.len(), 37);
}

#[test]
fn committed_reference_report_is_current() {
    let report = run(Profile::Strict, 1, None);
    insta::assert_snapshot!(
        "reference_strict_report_json",
        report::to_json_text(&report)
    );
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../reports/reference/report.json"
    ))
    .expect("reports/reference/report.json is committed");
    assert_eq!(
        committed,
        report::to_json_text(&report),
        "reports/reference/report.json is stale: run `cargo run --release -p webauthn-conformance -- run --out reports/reference`"
    );
}
