//! The catalogue as `cargo test` tests, for RP teams: one test per check, named by its ID.
//!
//! An RP team writes one test file (with `harness = false` in its `[[test]]` section) that hands
//! its [`RpFactory`] to a [`Suite`]:
//!
//! ```no_run
//! use webauthn_conformance::rp::Profile;
//! use webauthn_conformance::rp::reference::ReferenceFactory;
//! use webauthn_conformance::testing::Suite;
//!
//! fn main() -> std::process::ExitCode {
//!     Suite::new(ReferenceFactory::new(None)) // your RpFactory here
//!         .profiles(&[Profile::Strict, Profile::Fido])
//!         .main()
//! }
//! ```
//!
//! Each check becomes a libtest-mimic trial named by the check ID, of kind `strict` or `fido`
//! (`cargo test -- REG-CD` filters as usual). A pass passes; a fail or an error fails with the
//! detail, the spec step and the replay command; a skip, a warning (an unmet SHOULD) and a
//! deviation listed in the expectations file are shown as ignored with their reason. An
//! expectations entry that no longer matches fails its check's test, and an entry naming a check
//! the catalogue does not have fails the `expectations` test, so the file stays true.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Completion, Failed, Trial};

use crate::checks::{Check, catalogue};
use crate::expectations::{Expectations, ExpectationsError};
use crate::rp::{Profile, RpFactory};
use crate::runner::{self, CheckResult, RunOptions, Verdict};

/// The catalogue against one RP, as libtest trials.
pub struct Suite {
    factory: Arc<dyn RpFactory + Send>,
    profiles: Vec<Profile>,
    seed: u64,
    expectations: Arc<Expectations>,
    checks: Vec<Check>,
}

impl Suite {
    /// The whole catalogue against the RPs `factory` makes, strict profile, seed 1, no
    /// expectations.
    pub fn new(factory: impl RpFactory + Send + 'static) -> Self {
        Suite {
            factory: Arc::new(factory),
            profiles: vec![Profile::Strict],
            seed: 1,
            expectations: Arc::new(Expectations::default()),
            checks: catalogue(),
        }
    }

    /// The profiles to run (each check once per profile it applies to).
    pub fn profiles(mut self, profiles: &[Profile]) -> Self {
        self.profiles = profiles.to_vec();
        self
    }

    /// The seed for every random byte.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The RP's known deviations.
    pub fn expectations(mut self, expectations: Expectations) -> Self {
        self.expectations = Arc::new(expectations);
        self
    }

    /// The RP's known deviations, from a TOML file.
    pub fn expectations_file(self, path: impl AsRef<Path>) -> Result<Self, ExpectationsError> {
        let expectations = Expectations::load(path.as_ref())?;
        Ok(self.expectations(expectations))
    }

    /// One trial per check and profile, plus the `expectations` trial.
    pub fn trials(&self) -> Vec<Trial> {
        let mut trials = Vec::new();
        for &profile in &self.profiles {
            for check in &self.checks {
                if check.expect.get(profile).is_none() {
                    continue;
                }
                let factory = Arc::clone(&self.factory);
                let expectations = Arc::clone(&self.expectations);
                let check = check.clone();
                let options = RunOptions {
                    profile,
                    seed: self.seed,
                    only: Vec::new(),
                };
                trials.push(
                    Trial::ignorable_test(check.id, move || {
                        let result = runner::run_check(factory.as_ref(), &check, &options);
                        judge(result, &expectations, &options, &factory.cli_args())
                    })
                    .with_kind(profile.name()),
                );
            }
        }
        let unknown: Vec<String> = self
            .expectations
            .entries
            .iter()
            .filter(|e| !self.checks.iter().any(|c| c.id == e.check))
            .map(|e| e.check.clone())
            .collect();
        trials.push(Trial::test("expectations", move || {
            if unknown.is_empty() {
                Ok(())
            } else {
                Err(format!("entries for checks the catalogue does not have: {unknown:?}").into())
            }
        }));
        trials
    }

    /// Runs the trials with the process's libtest arguments (`cargo test -- FILTER` etc.).
    pub fn main(self) -> ExitCode {
        let args = Arguments::from_args();
        libtest_mimic::run(&args, self.trials()).exit_code()
    }
}

/// A check's result as a libtest outcome.
fn judge(
    result: Option<CheckResult>,
    expectations: &Expectations,
    options: &RunOptions,
    rp_args: &str,
) -> Result<Completion, Failed> {
    let Some(mut result) = result else {
        return Ok(Completion::ignored_with("not in this profile"));
    };
    if let Err(stale) = expectations.apply_to(&mut result, options.profile) {
        return Err(format!("stale expectation: {stale}").into());
    }
    let replay = runner::replay_command(rp_args, options.profile, options.seed, result.id);
    let explain = || {
        format!(
            "{}: {}\nspec: {} step {} ({}), expect {}\n{}\nreplay: {replay}",
            result.id,
            result.title,
            result.spec.url(),
            result.spec.step,
            result.level.name(),
            result.expect.name(),
            result.detail,
        )
    };
    match result.verdict {
        Verdict::Pass => Ok(Completion::Completed),
        Verdict::Fail | Verdict::Error => Err(explain().into()),
        Verdict::Skip => Ok(Completion::ignored_with(format!(
            "skipped: {}",
            result.detail
        ))),
        Verdict::Warn => Ok(Completion::ignored_with(format!(
            "warning (SHOULD not met): {}",
            result.detail
        ))),
        Verdict::Inconclusive => Ok(Completion::ignored_with(format!(
            "inconclusive (the control was not accepted either): {}",
            result.detail
        ))),
        Verdict::Expected => {
            let (happened, reason) = result
                .deviation
                .map(|(v, why)| (v.name(), why))
                .unwrap_or(("?", String::new()));
            Ok(Completion::ignored_with(format!(
                "expected {happened}: {reason}"
            )))
        }
    }
}
