//! End-to-end: the reference RP against the whole catalogue, determinism, and the mutants.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rstest::rstest;
use webauthn_conformance::checks::{Expect, catalogue};
use webauthn_conformance::mutants;
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
    runner::run(&ReferenceFactory::new(mutant), &catalogue(), &options)
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
        assert!(!check.spec.step.to_string().is_empty(), "{}", check.id);
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

/// `--jobs`: checks run on several threads give the same report, byte for byte, in catalogue
/// order.
#[test]
fn parallel_run_gives_the_same_report_bytes() {
    for profile in [Profile::Strict, Profile::Fido] {
        let options = RunOptions {
            profile,
            seed: 1,
            only: Vec::new(),
        };
        let one = run(profile, 1, None);
        let four = runner::run_parallel(&ReferenceFactory::new(None), &catalogue(), &options, 4);
        assert_eq!(report::to_json_text(&one), report::to_json_text(&four));
        assert_eq!(report::to_markdown(&one), report::to_markdown(&four));
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

/// Both directions of "a check exists only if it can fail": every mutant of the reference RP
/// (one verification switched off) is caught by at least one check in at least one profile, and
/// every negative check catches at least one mutant. Against a clean baseline.
#[test]
fn every_mutant_is_caught_and_every_negative_check_catches_one() {
    let analysis = mutants::analyse(
        &catalogue(),
        &Mutant::all(),
        &[Profile::Strict, Profile::Fido],
        1,
    );
    assert!(
        analysis.baseline_problems.is_empty(),
        "{:?}",
        analysis.baseline_problems
    );
    let uncaught: Vec<String> = analysis
        .rows
        .iter()
        .filter(|row| !row.caught())
        .map(|row| row.mutant.name())
        .collect();
    assert!(
        uncaught.is_empty(),
        "mutants no check catches: {uncaught:?}"
    );
    assert!(
        analysis.uncaught_negative_checks.is_empty(),
        "negative checks that catch no mutant: {:?}",
        analysis.uncaught_negative_checks
    );
    assert!(
        analysis.only_fail_open.is_empty(),
        "negative checks only stage-wide fail-open mutants catch: {:?}",
        analysis.only_fail_open
    );
    assert!(analysis.clean());
    assert!(
        analysis
            .step_mutant_of()
            .iter()
            .all(|(_, mutant)| mutant.is_some_and(|m| !m.is_fail_open()))
    );
    assert_eq!(
        analysis.step_score_line(),
        format!(
            "step mutation score: {0}/{0} (negative checks caught by a mutant that removes one verification)",
            analysis.negative_checks()
        )
    );
    assert!(analysis.rows.len() >= 60, "{} mutants", analysis.rows.len());
    assert_eq!(
        analysis.score_line(),
        format!("mutation score: {0}/{0}", Mutant::all().len())
    );
}

/// A SHOULD the RP does not meet is a warning, and warnings do not fail the run.
#[test]
fn unmet_should_is_a_warning_not_a_failure() {
    let report = run(
        Profile::Strict,
        1,
        Some(Mutant::RegAllowNonCanonicalCoseKey),
    );
    let warned: Vec<&str> = report
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Warn)
        .map(|r| r.id)
        .collect();
    assert_eq!(
        warned,
        ["REG-AO-30.extra-parameter", "REG-AO-30.order"],
        "{warned:?}"
    );
    assert_eq!(report.count(Verdict::Fail), 0);
    assert!(report.all_passed());
    let json = report::to_json(&report);
    assert_eq!(json["summary"]["warn"], 2);
    let markdown = report::to_markdown(&report);
    assert!(markdown.contains(
        "- replay: `webauthn-conformance run --rp reference --mutant reg_allow_non_canonical_cose_key --profile strict --seed 1 --only 'REG-AO-30.order'`"
    ));
}

/// A failure in the report says what was sent, what the RP answered, the step and the replay.
#[test]
fn failures_carry_sent_answer_step_and_replay() {
    let report = run(Profile::Strict, 7, Some(Mutant::RegSkipOrigin));
    let failed = report
        .results
        .iter()
        .find(|r| r.id == "REG-CD-15")
        .expect("REG-CD-15 runs");
    assert_eq!(failed.verdict, Verdict::Fail);
    assert!(
        failed.sent.contains("clientDataJSON.origin"),
        "{}",
        failed.sent
    );
    assert_eq!(failed.answer, "accepted, but a conformant RP rejects");
    let json = report::to_json(&report);
    let entry = json["results"]
        .as_array()
        .and_then(|r| r.iter().find(|e| e["id"] == "REG-CD-15"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        entry["replay"],
        "webauthn-conformance run --rp reference --mutant reg_skip_origin --profile strict --seed 7 --only 'REG-CD-15'"
    );
    assert!(report::to_markdown(&report).contains("### `REG-CD-15` fail"));
}

/// Issue 3: at least 170 checks outside the attestation-format groups, in each profile.
/// The ID prefixes of the attestation statement rows (W3C L3 §8.2 to §8.9, and the trust rows of §7.1 step 24), with the
/// format each one exercises (TRUST rows run on packed, tpm and fido-u2f).
const ATTESTATION_PREFIXES: [(&str, &str); 9] = [
    ("PK-", "packed"),
    ("NONE-", "none"),
    ("U2F-", "fido-u2f"),
    ("TPM-", "tpm"),
    ("AK-", "android-key"),
    ("SN-", "android-safetynet"),
    ("APL-", "apple"),
    ("CMP-", "compound"),
    ("TRUST-", "trust"),
];

fn is_attestation(id: &str) -> bool {
    ATTESTATION_PREFIXES.iter().any(|(p, _)| id.starts_with(p))
}

#[rstest]
fn at_least_170_non_attestation_checks(#[values(Profile::Strict, Profile::Fido)] profile: Profile) {
    let count = catalogue()
        .iter()
        .filter(|c| c.expect.get(profile).is_some())
        .filter(|c| !is_attestation(c.id))
        .count();
    assert!(
        count >= 170,
        "{count} non-attestation checks in {profile:?}"
    );
}

/// Issue 4: at least 60 attestation checks, covering all eight formats, and (with
/// `reference_rp_passes_every_check`) all passing in both profiles.
#[rstest]
fn at_least_60_attestation_checks_over_all_eight_formats(
    #[values(Profile::Strict, Profile::Fido)] profile: Profile,
) {
    let options = RunOptions {
        profile,
        seed: 1,
        only: ATTESTATION_PREFIXES
            .iter()
            .map(|(p, _)| {
                globset::Glob::new(&format!("{p}*"))
                    .unwrap()
                    .compile_matcher()
            })
            .collect(),
    };
    let report = runner::run(&ReferenceFactory::new(None), &catalogue(), &options);
    assert!(
        report.results.len() >= 60,
        "{} attestation checks in {profile:?}",
        report.results.len()
    );
    for (prefix, format) in ATTESTATION_PREFIXES {
        let of_format: Vec<_> = report
            .results
            .iter()
            .filter(|r| r.id.starts_with(prefix))
            .collect();
        assert!(
            of_format.iter().any(|r| r.expect == Expect::Accept) || format == "trust",
            "no positive {format} check in {profile:?}"
        );
        assert!(
            of_format.iter().any(|r| r.expect == Expect::Reject),
            "no negative {format} check in {profile:?}"
        );
        for result in of_format {
            assert_eq!(
                result.verdict,
                Verdict::Pass,
                "{} {}",
                result.id,
                result.detail
            );
        }
    }
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

/// The checks that break an EC2 P-256 key make one whatever the RP offers first: an RP that
/// offers EdDSA first would otherwise get an OKP key the fault does not apply to. The RSA key
/// checks make RS256 keys the same way.
#[test]
fn key_checks_make_the_key_type_they_break() {
    use webauthn_conformance::checks::Scenario;
    use webauthn_conformance::codec::cose::CoseAlgorithm;
    let ec2 = ["REG-AO-24.", "REG-AO-25.", "REG-AO-26", "REG-AO-29"];
    let rsa = ["REG-AO-24.n", "REG-AO-24.e", "REG-AO-24.n-empty"];
    let checks: Vec<_> = catalogue()
        .into_iter()
        .filter(|c| ec2.iter().any(|p| c.id.starts_with(p)))
        .collect();
    assert_eq!(checks.len(), 16);
    for check in checks {
        let Scenario::Register(setup) = &check.scenario else {
            panic!("{}", check.id)
        };
        let want = if rsa.contains(&check.id) {
            CoseAlgorithm::Rs256
        } else {
            CoseAlgorithm::Es256
        };
        assert_eq!(setup.authenticator.algorithms, [want], "{}", check.id);
    }
}

/// What L3 leaves to the RP and the FIDO tool requires (formats, self attestation, the
/// reserved tokenBinding) is a SHOULD in the strict profile and a MUST in the fido profile.
#[test]
fn fido_requirements_are_shoulds_under_l3() {
    use webauthn_conformance::checks::Level;
    assert_eq!(Level::FidoMust.in_profile(Profile::Strict), Level::Should);
    assert_eq!(Level::FidoMust.in_profile(Profile::Fido), Level::Must);
    assert!(!Level::FidoMust.is_must_in(Profile::Strict));
    assert!(Level::FidoMust.is_must_in(Profile::Fido));
    assert!(Level::Must.is_must_in(Profile::Strict));
    assert!(!Level::Should.is_must_in(Profile::Fido));
    let strict = run(Profile::Strict, 1, None);
    let fido = run(Profile::Fido, 1, None);
    for id in [
        "PK-19",
        "TPM-01",
        "AK-01",
        "REG-CD-20.no-status",
        "AS-CD-07.bad-status",
    ] {
        let level = |report: &RunReport| {
            report
                .results
                .iter()
                .find(|r| r.id == id)
                .map(|r| r.level)
                .unwrap()
        };
        assert_eq!(level(&strict), Level::Should, "{id}");
        assert_eq!(level(&fido), Level::Must, "{id}");
    }
}
