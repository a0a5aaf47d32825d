//! Runs checks against an RP: a fresh RP, user and authenticator per check, one verdict each.
//!
//! A panic inside an in-process RP, an unreachable RP or a setup step that fails is recorded as
//! an error for that check, and the run goes on. Each check draws its randomness from the seed
//! and its own ID, so a check's bytes do not depend on which other checks run.

mod ceremony;
mod execute;
mod probe;

use std::panic::{AssertUnwindSafe, catch_unwind};

use serde_json::Value as Json;

use crate::checks::{Check, Expect, Level, SpecRef, control};
use crate::rp::{Profile, Reply, RpFactory};

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// The RP did what the spec requires.
    Pass,
    /// The RP did not meet a MUST.
    Fail,
    /// The RP did not meet a SHOULD (or a policy the spec leaves to the RP): reported, not failed.
    Warn,
    /// The check could not be judged (RP unreachable, setup failed, panic).
    Error,
    /// The check does not apply to this RP or profile.
    Skip,
    /// A known deviation of this RP, listed in its expectations file: the verdict the file
    /// names happened ([`CheckResult::deviation`] keeps it and the reason).
    Expected,
    /// The RP rejected the faulty ceremony, but also rejected its control (the same ceremony
    /// without the fault), so the rejection says nothing about the fault. Not a failure, never
    /// a pass ([`CheckResult::control`] keeps the control's answer).
    Inconclusive,
}

impl Verdict {
    /// The report name.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Warn => "warn",
            Verdict::Error => "error",
            Verdict::Skip => "skip",
            Verdict::Expected => "expected",
            Verdict::Inconclusive => "inconclusive",
        }
    }

    /// Fail, warn, error or inconclusive: what a report lists with its replay command.
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            Verdict::Fail | Verdict::Warn | Verdict::Error | Verdict::Inconclusive
        )
    }
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// The check ID.
    pub id: &'static str,
    /// The check title.
    pub title: &'static str,
    /// Where the requirement is written.
    pub spec: SpecRef,
    /// MUST or SHOULD: a SHOULD that is not met is a warning.
    pub level: Level,
    /// What a conformant RP does.
    pub expect: Expect,
    /// The verdict.
    pub verdict: Verdict,
    /// What the harness sent at the decisive step.
    pub sent: String,
    /// What the RP answered (or why the check could not be judged).
    pub answer: String,
    /// One line: what was sent and what the RP answered.
    pub detail: String,
    /// For an `expected` result: the verdict that happened and the expectations file's reason.
    pub deviation: Option<(Verdict, String)>,
    /// Which spelling of the fault the verdict is about, for checks with several
    /// ([`crate::checks::control`]).
    pub variant: Option<String>,
    /// For a check that expects a rejection which the RP gave: its control, the same ceremony
    /// without the fault. A rejection is a pass only when the control was accepted.
    pub control: Option<ControlResult>,
}

/// What the RP did with a negative check's control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlResult {
    /// What the control sent at its decisive step.
    pub sent: String,
    /// What the RP answered.
    pub answer: String,
    /// Whether the RP accepted it.
    pub accepted: bool,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// The RP's name.
    pub rp: String,
    /// The CLI arguments that select this RP again (`--rp reference --mutant X`), for replay
    /// commands in reports.
    pub rp_args: String,
    /// The profile.
    pub profile: Profile,
    /// The seed.
    pub seed: u64,
    /// The results, in catalogue order.
    pub results: Vec<CheckResult>,
    /// Expectations entries that no longer match (see [`crate::expectations`]).
    pub stale_expectations: Vec<StaleExpectation>,
    /// Why the run stopped before the end of the selection (an interrupt, an RP that stopped
    /// answering); `None` for a complete run. The results are those of the checks done.
    pub interrupted: Option<String>,
}

impl RunReport {
    /// How many results have `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.results.iter().filter(|r| r.verdict == verdict).count()
    }

    /// The command that replays just check `id` with the same RP, profile and seed.
    pub fn replay_command(&self, id: &str) -> String {
        replay_command(&self.rp_args, self.profile, self.seed, id)
    }

    /// Whether every check passed, warned, was skipped or deviated as expected, and no
    /// expectations entry is stale.
    pub fn all_passed(&self) -> bool {
        self.count(Verdict::Fail) == 0
            && self.count(Verdict::Error) == 0
            && self.stale_expectations.is_empty()
    }
}

/// The command that replays just check `id` against the RP that `rp_args` selects.
pub fn replay_command(rp_args: &str, profile: Profile, seed: u64, id: &str) -> String {
    format!(
        "webauthn-conformance run {rp_args} --profile {} --seed {seed} --only '{id}'",
        profile.name()
    )
}

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The profile.
    pub profile: Profile,
    /// The seed for every random byte.
    pub seed: u64,
    /// Only checks whose ID matches one of these globs (all when empty).
    pub only: Vec<globset::GlobMatcher>,
}

/// Whether `--only` globs `only` select check `id`: every check when there are none.
pub fn selects(only: &[globset::GlobMatcher], id: &str) -> bool {
    only.is_empty() || only.iter().any(|glob| glob.is_match(id))
}

/// A check that could not be judged, or does not apply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NotJudged {
    Error(String),
    Skip(String),
}

/// Runs `checks` against RPs made by `factory`, one after another.
pub fn run(factory: &dyn RpFactory, checks: &[Check], options: &RunOptions) -> RunReport {
    run_parallel(factory, checks, options, 1)
}

/// Runs `checks` against RPs made by `factory` on up to `jobs` threads (at most one when the
/// factory's RPs share state, see [`RpFactory::parallel`]).
///
/// Checks are independent (each draws from the seed and its own ID and gets a fresh RP), so the
/// report is the same, byte for byte, whatever `jobs` is: results come back in catalogue order.
pub fn run_parallel(
    factory: &dyn RpFactory,
    checks: &[Check],
    options: &RunOptions,
    jobs: usize,
) -> RunReport {
    run_parallel_with(factory, checks, options, jobs, Controls::Run)
}

/// Watches a run as it goes: told of each check as it ends, asked before each check whether to
/// stop. Stopping leaves the checks not started out of the report, which says why
/// ([`RunReport::interrupted`]).
pub trait Observer: Sync {
    /// The run is about to start `total` checks.
    fn started(&self, _total: usize) {}
    /// `check` ended, with `result` (`None`: it does not apply to the profile).
    fn finished(&self, _check: &Check, _result: Option<&CheckResult>) {}
    /// Why to stop before the next check, if the run should stop.
    fn stop(&self) -> Option<String> {
        None
    }
}

/// The observer of runs nobody watches.
struct Unobserved;

impl Observer for Unobserved {}

/// [`run_parallel`], watched by `observer`.
pub fn run_observed(
    factory: &dyn RpFactory,
    checks: &[Check],
    options: &RunOptions,
    jobs: usize,
    observer: &dyn Observer,
) -> RunReport {
    run_selected(factory, checks, options, jobs, Controls::Run, observer)
}

/// [`run_parallel`], with or without the negative checks' controls.
pub fn run_parallel_with(
    factory: &dyn RpFactory,
    checks: &[Check],
    options: &RunOptions,
    jobs: usize,
    controls: Controls,
) -> RunReport {
    run_selected(factory, checks, options, jobs, controls, &Unobserved)
}

fn run_selected(
    factory: &dyn RpFactory,
    checks: &[Check],
    options: &RunOptions,
    jobs: usize,
    controls: Controls,
    observer: &dyn Observer,
) -> RunReport {
    // A check that does not apply to the profile is not part of that profile's catalogue.
    let selected: Vec<&Check> = checks
        .iter()
        .filter(|check| selects(&options.only, check.id))
        .collect();
    let jobs = if factory.parallel() { jobs } else { 1 };
    let jobs = jobs.clamp(1, selected.len().max(1));
    observer.started(selected.len());
    let (results, interrupted) =
        run_on_threads(factory, &selected, options, jobs, controls, observer);
    RunReport {
        rp: factory.name(),
        rp_args: factory.cli_args(),
        profile: options.profile,
        seed: options.seed,
        results,
        stale_expectations: Vec::new(),
        interrupted,
    }
}

/// `jobs` scoped threads take the next check from a shared index until none is left; results
/// are put back in catalogue order.
fn run_on_threads(
    factory: &dyn RpFactory,
    checks: &[&Check],
    options: &RunOptions,
    jobs: usize,
    controls: Controls,
    observer: &dyn Observer,
) -> (Vec<CheckResult>, Option<String>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let stopped: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let mut slots: Vec<Option<CheckResult>> = vec![None; checks.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    // Each turn takes one index; the loop ends once every check is taken or
                    // the observer asks to stop (checks already started finish).
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(check) = checks.get(index) else {
                            break;
                        };
                        // Asked only when a check is left, so a complete run is never marked
                        // interrupted.
                        if let Some(why) = observer.stop() {
                            if let Ok(mut stopped) = stopped.lock() {
                                stopped.get_or_insert(why);
                            }
                            break;
                        }
                        let result = run_check_with(factory, check, options, controls);
                        observer.finished(check, result.as_ref());
                        done.push((index, result));
                    }
                    done
                })
            })
            .collect();
        for worker in workers {
            // `run_check` catches panics, so a worker only ends by running out of checks.
            if let Ok(done) = worker.join() {
                for (index, result) in done {
                    if let Some(slot) = slots.get_mut(index) {
                        *slot = result;
                    }
                }
            }
        }
    });
    let stopped = stopped
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    (slots.into_iter().flatten().collect(), stopped)
}

/// Runs one check; `None` when it does not apply to the profile. Never panics.
pub fn run_check(
    factory: &dyn RpFactory,
    check: &Check,
    options: &RunOptions,
) -> Option<CheckResult> {
    run_check_with(factory, check, options, Controls::Run)
}

/// Whether negative checks run their controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Controls {
    /// Always: the verdict of a rejection depends on its control.
    Run,
    /// Never: mutation analysis only asks which checks fail or warn, which a control cannot
    /// change (a rejection is a pass or inconclusive, neither catches a mutant).
    Skip,
}

/// One trial of a check, as it came out.
enum TrialOutcome {
    /// A verdict (pass, fail, warn) with what was sent and answered.
    Judged {
        verdict: Verdict,
        sent: String,
        answer: String,
        control: Option<ControlResult>,
    },
    /// The RP rejected the fault and its control: try the next spelling, if any.
    ControlNotAccepted {
        sent: String,
        answer: String,
        control: ControlResult,
    },
    /// Could not be judged (error, skip), with its reason.
    NotJudged(NotJudged),
}

/// [`run_check`], with or without the control of a negative check (mutation analysis and the
/// recorded vectors need none; a verdict for users always has it).
pub fn run_check_with(
    factory: &dyn RpFactory,
    check: &Check,
    options: &RunOptions,
    controls: Controls,
) -> Option<CheckResult> {
    let expect = check.expect.get(options.profile)?;
    let level = check.level.in_profile(options.profile);
    let result = |verdict: Verdict, sent: String, answer: String| CheckResult {
        id: check.id,
        title: check.title,
        spec: check.spec,
        level,
        expect,
        verdict,
        detail: if sent.is_empty() {
            answer.clone()
        } else {
            format!("sent {sent}; {answer}")
        },
        sent,
        answer,
        deviation: None,
        variant: None,
        control: None,
    };
    // A positive check's trial never runs its control (an acceptance needs none).
    let trials = control::trials(check);
    let several = trials.len() > 1;
    // What each spelling that could not be judged came to, for the report when none could.
    let mut tried: Vec<String> = Vec::new();
    // The last control that was not accepted; none when every spelling was skipped.
    let mut last_control: Option<ControlResult> = None;
    for trial in &trials {
        let label = trial.variant.clone();
        let outcome = run_trial(factory, check, trial, expect, options, controls);
        let named = |text: String| match &label {
            Some(variant) => format!("[{variant}] {text}"),
            None => text,
        };
        match outcome {
            TrialOutcome::Judged {
                verdict,
                sent,
                answer,
                control,
            } => {
                let mut judged = result(verdict, sent, named(answer));
                judged.variant = label;
                judged.control = control;
                return Some(judged);
            }
            TrialOutcome::ControlNotAccepted {
                sent,
                answer,
                control,
            } => {
                tried.push(named(format!(
                    "sent {sent}; {answer}; its control ({}) was not accepted: {}",
                    control.sent, control.answer
                )));
                last_control = Some(control);
            }
            TrialOutcome::NotJudged(NotJudged::Skip(why)) if several => {
                tried.push(named(format!("does not apply: {why}")));
            }
            TrialOutcome::NotJudged(NotJudged::Skip(why)) => {
                return Some(result(Verdict::Skip, String::new(), why));
            }
            TrialOutcome::NotJudged(NotJudged::Error(why)) => {
                let mut errored = result(Verdict::Error, String::new(), named(why));
                errored.variant = label;
                return Some(errored);
            }
        }
    }
    if last_control.is_none() {
        return Some(result(
            Verdict::Skip,
            String::new(),
            format!("no spelling of the fault applies: {}", tried.join("; ")),
        ));
    }
    let mut inconclusive = result(
        Verdict::Inconclusive,
        String::new(),
        format!(
            "rejected, but its control (the same ceremony without the fault) was not accepted either, so the rejection says nothing about the fault: {}",
            tried.join("; ")
        ),
    );
    inconclusive.control = last_control;
    Some(inconclusive)
}

/// Runs one trial: the faulty ceremony, then, when the RP rejected it, its control.
fn run_trial(
    factory: &dyn RpFactory,
    check: &Check,
    trial: &control::Trial,
    expect: Expect,
    options: &RunOptions,
    controls: Controls,
) -> TrialOutcome {
    let missed = if check.level.is_must_in(options.profile) {
        Verdict::Fail
    } else {
        Verdict::Warn
    };
    let (answer, sent) = match guarded(|| {
        execute::execute(
            factory,
            check,
            &trial.fault,
            &[],
            options.profile,
            options.seed,
        )
    }) {
        Ok(done) => done,
        Err(not_judged) => return TrialOutcome::NotJudged(not_judged),
    };
    let judged = |verdict, answer: String, control| TrialOutcome::Judged {
        verdict,
        sent: sent.clone(),
        answer,
        control,
    };
    let (why, erroring) = match (answer, expect) {
        (Reply::Ok(()), Expect::Accept) => {
            return judged(Verdict::Pass, "accepted".to_owned(), None);
        }
        (Reply::Ok(()), Expect::Reject) => {
            return judged(
                missed,
                "accepted, but a conformant RP rejects".to_owned(),
                None,
            );
        }
        (Reply::Failed(why), Expect::Accept) => {
            return judged(
                missed,
                format!("rejected, but a conformant RP accepts: {why}"),
                None,
            );
        }
        (Reply::Erroring(why), Expect::Accept) => {
            return judged(
                missed,
                format!("rejected by erroring, but a conformant RP accepts: {why}"),
                None,
            );
        }
        (Reply::Failed(why), Expect::Reject) => (why.to_string(), false),
        (Reply::Erroring(why), Expect::Reject) => (why, true),
    };
    // The FIDO tool counts an error as a rejection, but a conformant RP answers
    // `status: "failed"`: a warning, never a failure of the check.
    let (verdict, said) = if erroring {
        (Verdict::Warn, format!("rejected by erroring: {why}"))
    } else {
        (Verdict::Pass, format!("rejected: {why}"))
    };
    if controls == Controls::Skip {
        return judged(verdict, said, None);
    }
    let control = match guarded(|| {
        execute::execute(
            factory,
            check,
            &trial.control,
            &trial.control_offers,
            options.profile,
            options.seed,
        )
    }) {
        Ok((Reply::Ok(()), sent)) => ControlResult {
            sent,
            answer: "accepted".to_owned(),
            accepted: true,
        },
        Ok((Reply::Failed(why), sent)) => ControlResult {
            sent,
            answer: format!("rejected: {why}"),
            accepted: false,
        },
        Ok((Reply::Erroring(why), sent)) => ControlResult {
            sent,
            answer: format!("rejected: {why}"),
            accepted: false,
        },
        Err(NotJudged::Error(why) | NotJudged::Skip(why)) => ControlResult {
            sent: "the same ceremony without the fault".to_owned(),
            answer: format!("could not be run: {why}"),
            accepted: false,
        },
    };
    if control.accepted {
        judged(verdict, said, Some(control))
    } else {
        TrialOutcome::ControlNotAccepted {
            sent,
            answer: said,
            control,
        }
    }
}

/// Runs `step`, turning a panic (inside an in-process RP) into an error of the check.
fn guarded(
    step: impl FnOnce() -> Result<(Reply<()>, String), NotJudged>,
) -> Result<(Reply<()>, String), NotJudged> {
    match catch_unwind(AssertUnwindSafe(step)) {
        Ok(outcome) => outcome,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "non-string panic payload".to_owned());
            Err(NotJudged::Error(format!("the RP panicked: {message}")))
        }
    }
}

/// The options JSON, or why it is unusable.
pub(crate) fn ok_options(reply: crate::rp::Reply<Json>, what: &str) -> Result<Json, NotJudged> {
    match reply {
        crate::rp::Reply::Ok(json) => Ok(json),
        crate::rp::Reply::Failed(why) => Err(NotJudged::Error(format!(
            "setup: the RP refused {what}: {why}"
        ))),
        crate::rp::Reply::Erroring(why) => Err(NotJudged::Error(format!(
            "setup: the RP errored on {what}: {why}"
        ))),
    }
}

/// An expectations entry (see [`crate::expectations`]) that did not match what happened: part
/// of the report, so it lives with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleExpectation {
    /// The entry's check ID.
    pub check: String,
    /// What the entry expected.
    pub expected: Verdict,
    /// What happened (`None`: the catalogue has no such check in this profile).
    pub actual: Option<Verdict>,
    /// The entry's reason.
    pub reason: String,
}

impl std::fmt::Display for StaleExpectation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.actual {
            Some(actual) => write!(
                f,
                "{}: expected {}, got {} (remove or update the entry)",
                self.check,
                self.expected.name(),
                actual.name()
            ),
            None => write!(
                f,
                "{}: no such check in this profile of the catalogue",
                self.check
            ),
        }
    }
}
