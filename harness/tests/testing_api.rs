//! The `cargo test` API for RP teams: one libtest trial per check, failing where the RP fails,
//! and honouring an expectations file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use libtest_mimic::Arguments;
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::expectations::Expectations;
use webauthn_conformance::rp::Profile;
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::runner::{self, RunOptions, Verdict};
use webauthn_conformance::testing::Suite;

/// The inner runs' own output goes to a log file, so `cargo test` shows only this test's
/// verdict (an inner "FAILED" line is the broken RP failing, as it should).
fn quiet() -> Arguments {
    let log = std::env::temp_dir().join(format!("wac-testing-api-{}.log", std::process::id()));
    Arguments {
        quiet: true,
        logfile: Some(log.display().to_string()),
        ..Arguments::default()
    }
}

#[test]
fn one_trial_per_check_and_profile_all_passing_on_the_reference_rp() {
    let suite = Suite::new(ReferenceFactory::new(None)).profiles(&[Profile::Strict, Profile::Fido]);
    let trials = suite.trials();
    let expected: usize = [Profile::Strict, Profile::Fido]
        .iter()
        .map(|p| {
            catalogue()
                .iter()
                .filter(|c| c.expect.get(*p).is_some())
                .count()
        })
        .sum();
    assert_eq!(trials.len(), expected + 1, "plus the `expectations` trial");
    assert!(
        trials
            .iter()
            .any(|t| t.name() == "REG-CD-01" && t.kind() == "fido")
    );
    let conclusion = libtest_mimic::run(&quiet(), trials);
    assert_eq!(conclusion.num_failed, 0);
    assert!(conclusion.num_passed > 600, "{}", conclusion.num_passed);
}

#[test]
fn a_broken_rp_fails_its_trials_until_the_deviations_are_listed() {
    let mutant = Mutant::from_name("reg_skip_origin").unwrap();
    let failed = libtest_mimic::run(
        &quiet(),
        Suite::new(ReferenceFactory::new(Some(mutant))).trials(),
    );
    assert!(failed.num_failed >= 1);

    // List exactly what the mutant gets wrong: the suite is green, those trials are ignored.
    let report = runner::run(
        &ReferenceFactory::new(Some(mutant)),
        &catalogue(),
        &RunOptions {
            profile: Profile::Strict,
            seed: 1,
            only: Vec::new(),
        },
    );
    let mut toml = String::new();
    for r in report
        .results
        .iter()
        .filter(|r| r.verdict.needs_attention())
    {
        let verdict = match r.verdict {
            Verdict::Fail => "fail",
            Verdict::Warn => "warn",
            _ => "error",
        };
        toml.push_str(&format!(
            "[[expected]]\ncheck = \"{}\"\nprofiles = [\"strict\"]\nverdict = \"{verdict}\"\nreason = \"§7.1 step 9: the mutant skips the origin\"\n",
            r.id
        ));
    }
    let listed = Expectations::from_toml(&toml).unwrap();
    let count = listed.entries.len();
    let green = libtest_mimic::run(
        &quiet(),
        Suite::new(ReferenceFactory::new(Some(mutant)))
            .expectations(listed)
            .trials(),
    );
    assert_eq!(green.num_failed, 0);
    assert!(green.num_ignored >= count as u64);

    // The same file against the fixed RP: every entry is stale, every such trial fails.
    let stale = libtest_mimic::run(
        &quiet(),
        Suite::new(ReferenceFactory::new(None))
            .expectations(Expectations::from_toml(&toml).unwrap())
            .trials(),
    );
    assert_eq!(stale.num_failed, count as u64);
}
