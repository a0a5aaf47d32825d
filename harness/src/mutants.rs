//! Mutation analysis: the catalogue against every mutant of the reference RP.
//!
//! A check exists only if it can fail. Each mutant switches one verification of the reference RP
//! off; the analysis shows which checks catch it (fail or warn where the unmutated RP passes) and
//! which negative checks catch no mutant at all.

use std::collections::BTreeSet;

use crate::checks::{Check, Expect};
use crate::rp::Profile;
use crate::rp::reference::ReferenceFactory;
use crate::rp::reference::mutant::Mutant;
use crate::runner::{self, RunOptions, Verdict};

/// The checks one mutant made fail, per profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MutantRow {
    /// The mutant.
    pub mutant: Mutant,
    /// `(profile, check id)` for every check that failed or warned against the mutant.
    pub caught_by: Vec<(Profile, &'static str)>,
    /// For a mutant no check of the profiles run catches: the other profile, whose checks do
    /// (a verification only that profile's rules require, such as RS1 in the fido profile).
    pub only_in: Option<Profile>,
}

impl MutantRow {
    /// Whether any check caught the mutant.
    pub fn caught(&self) -> bool {
        !self.caught_by.is_empty()
    }

    /// Caught in the profiles run, or a mutant only the other profile's rules can catch.
    pub fn accounted_for(&self) -> bool {
        self.caught() || self.only_in.is_some()
    }
}

/// A negative check in one profile, with the L3 place it cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NegativeCheck {
    /// The profile.
    pub profile: Profile,
    /// The check ID.
    pub id: &'static str,
    /// Its spec reference as reports write it (`§7.1 13`).
    pub cites: String,
}

impl NegativeCheck {
    fn key(&self) -> (Profile, &'static str) {
        (self.profile, self.id)
    }
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MutationReport {
    /// The profiles run.
    pub profiles: Vec<Profile>,
    /// One row per mutant, in declaration order.
    pub rows: Vec<MutantRow>,
    /// Negative checks (expect reject) that no mutant made fail: checks that cannot fail.
    pub uncaught_negative_checks: Vec<(Profile, &'static str)>,
    /// The negative checks of the profiles run (one per profile a check applies in), in
    /// catalogue order.
    pub negatives: Vec<NegativeCheck>,
    /// Negative checks that only stage-wide fail-open mutants ([`Mutant::is_fail_open`]) catch:
    /// they can fail, but no mutant removing one verification shows what they test.
    pub only_fail_open: Vec<(Profile, &'static str)>,
    /// Checks that did not pass against the unmutated reference RP (the analysis assumes a
    /// clean baseline; anything here is itself a finding).
    pub baseline_problems: Vec<(Profile, &'static str)>,
}

impl MutationReport {
    /// How many mutants were caught.
    pub fn caught(&self) -> usize {
        self.rows.iter().filter(|row| row.caught()).count()
    }

    /// Whether every mutant is caught here or by the other profile, every negative check
    /// catches a mutant that removes one verification, and the baseline is clean.
    pub fn clean(&self) -> bool {
        self.rows.iter().all(MutantRow::accounted_for)
            && self.uncaught_negative_checks.is_empty()
            && self.only_fail_open.is_empty()
            && self.baseline_problems.is_empty()
    }

    /// For each negative check, a mutant removing one verification that it catches: one that
    /// names the section the check cites when there is one, else the first in declaration
    /// order; `None` when only stage-wide mutants or none do.
    pub fn step_mutant_of(&self) -> Vec<(&NegativeCheck, Option<Mutant>)> {
        self.negatives
            .iter()
            .map(|check| {
                let mut catching = self
                    .rows
                    .iter()
                    .filter(|row| {
                        !row.mutant.is_fail_open() && row.caught_by.contains(&check.key())
                    })
                    .map(|row| row.mutant);
                let first = catching.clone().next();
                let mutant = catching
                    .find(|m| same_section(&check.cites, m.step()))
                    .or(first);
                (check, mutant)
            })
            .collect()
    }

    /// How many negative checks the profiles run hold.
    pub fn negative_checks(&self) -> usize {
        self.negatives.len()
    }

    /// `step mutants in the cited section: N/M`: how many negative checks a mutant naming the
    /// section they cite catches (the rest are caught by a mutant of a neighbouring step, such
    /// as §7.2 step 21 for a §6.5.5 signature encoding).
    pub fn section_score_line(&self) -> String {
        let same = self
            .step_mutant_of()
            .iter()
            .filter(|(check, m)| m.is_some_and(|m| same_section(&check.cites, m.step())))
            .count();
        format!(
            "step mutants in the cited section: {same}/{}",
            self.negative_checks()
        )
    }

    /// `step mutation score: N/M`: of the M negative checks, the N that a mutant removing one
    /// verification (not a stage-wide fail-open one) catches.
    pub fn step_score_line(&self) -> String {
        format!(
            "step mutation score: {}/{} (negative checks caught by a mutant that removes one verification)",
            self.negative_checks()
                - self.only_fail_open.len()
                - self.uncaught_negative_checks.len(),
            self.negative_checks()
        )
    }

    /// `mutation score: CAUGHT/TOTAL`, and how many only the other profile catches.
    pub fn score_line(&self) -> String {
        let elsewhere = self.rows.iter().filter(|r| r.only_in.is_some()).count();
        let mut line = format!("mutation score: {}/{}", self.caught(), self.rows.len());
        if elsewhere > 0 {
            line.push_str(&format!(
                " ({elsewhere} more caught only in the other profile)"
            ));
        }
        line
    }
}

/// Whether a check citing `cites` (`§8.2.1 …`) and a mutant removing `step` (`§8.2 (§7.1
/// step 22)`) name the same section: the check's section is one of the mutant's or inside it.
fn same_section(cites: &str, step: &str) -> bool {
    let Some(section) = cites.split_whitespace().next() else {
        return false;
    };
    step.split(|c: char| !(c == '§' || c == '.' || c.is_ascii_digit()))
        .filter(|token| token.starts_with('§'))
        .map(|token| token.trim_end_matches('.'))
        .any(|token| {
            section == token
                || section
                    .strip_prefix(token)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
}

/// The checks that fail or warn against the reference RP with `mutant` switched on. Controls
/// are not run: they turn a rejection into a pass or inconclusive, and neither catches a mutant.
fn catching(checks: &[Check], mutant: Mutant, options: &RunOptions) -> Vec<&'static str> {
    let factory = ReferenceFactory::new(Some(mutant));
    runner::run_parallel_with(&factory, checks, options, 1, runner::Controls::Skip)
        .results
        .into_iter()
        .filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Warn))
        .map(|r| r.id)
        .collect()
}

/// Runs `checks` against the reference RP and each of `mutants` in each of `profiles`.
pub fn analyse(
    checks: &[Check],
    mutants: &[Mutant],
    profiles: &[Profile],
    seed: u64,
) -> MutationReport {
    analyse_observed(checks, mutants, profiles, seed, &|_| {})
}

/// [`analyse`], calling `done` as each mutant's runs end (for a progress line).
pub fn analyse_observed(
    checks: &[Check],
    mutants: &[Mutant],
    profiles: &[Profile],
    seed: u64,
    done: &(dyn Fn(Mutant) + Sync),
) -> MutationReport {
    let options = |profile| RunOptions {
        profile,
        seed,
        only: Vec::new(),
    };
    let mut baseline_problems = Vec::new();
    for &profile in profiles {
        let report = runner::run(&ReferenceFactory::default(), checks, &options(profile));
        for result in &report.results {
            if result.verdict != Verdict::Pass {
                baseline_problems.push((profile, result.id));
            }
        }
    }
    // Two workers: CI machines have two cores.
    let (left, right) = mutants.split_at(mutants.len() / 2);
    let run_half = |half: &[Mutant]| -> Vec<MutantRow> {
        half.iter()
            .map(|&mutant| {
                let row = MutantRow {
                    mutant,
                    only_in: None,
                    caught_by: profiles
                        .iter()
                        .flat_map(|&profile| {
                            catching(checks, mutant, &options(profile))
                                .into_iter()
                                .map(move |id| (profile, id))
                        })
                        .collect(),
                };
                done(mutant);
                row
            })
            .collect()
    };
    let (mut rows, right_rows) = std::thread::scope(|scope| {
        let right = scope.spawn(|| run_half(right));
        let left_rows = run_half(left);
        (left_rows, right.join().unwrap_or_default())
    });
    rows.extend(right_rows);
    // A mutant that no check of the profiles run catches may be one only the other profile's
    // rules can catch: say so instead of calling it uncaught.
    for row in rows.iter_mut().filter(|row| !row.caught()) {
        row.only_in = [Profile::Strict, Profile::Fido]
            .into_iter()
            .filter(|profile| !profiles.contains(profile))
            .find(|&profile| !catching(checks, row.mutant, &options(profile)).is_empty());
    }

    let caught: BTreeSet<(Profile, &str)> = rows
        .iter()
        .flat_map(|row| row.caught_by.iter().copied())
        .collect();
    let caught_by_one_verification: BTreeSet<(Profile, &str)> = rows
        .iter()
        .filter(|row| !row.mutant.is_fail_open())
        .flat_map(|row| row.caught_by.iter().copied())
        .collect();
    let negatives: Vec<NegativeCheck> = profiles
        .iter()
        .flat_map(|&profile| {
            checks
                .iter()
                .filter(move |check| check.expect.get(profile) == Some(Expect::Reject))
                .map(move |check| NegativeCheck {
                    profile,
                    id: check.id,
                    cites: format!("{} {}", check.spec.section.number(), check.spec.step),
                })
        })
        .collect();
    let only_fail_open = negatives
        .iter()
        .map(NegativeCheck::key)
        .filter(|key| caught.contains(key) && !caught_by_one_verification.contains(key))
        .collect();
    let uncaught_negative_checks = negatives
        .iter()
        .map(NegativeCheck::key)
        .filter(|key| !caught.contains(key))
        .collect();
    MutationReport {
        profiles: profiles.to_vec(),
        negatives,
        only_fail_open,
        rows,
        uncaught_negative_checks,
        baseline_problems,
    }
}

/// The analysis as text: one line per mutant with the checks that caught it, then the checks
/// that caught nothing, then the score line.
pub fn to_text(report: &MutationReport) -> String {
    let mut out = String::from("| mutant | removes | caught by |\n|---|---|---|\n");
    for row in &report.rows {
        let caught = if row.caught() {
            row.caught_by
                .iter()
                .map(|(profile, id)| {
                    if report.profiles.len() > 1 {
                        format!("{id} ({})", profile.name())
                    } else {
                        (*id).to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        } else if let Some(profile) = row.only_in {
            format!("caught only in the {} profile (not run)", profile.name())
        } else {
            "**NOT CAUGHT**".to_owned()
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            row.mutant.name(),
            row.mutant.step(),
            caught
        ));
    }
    out.push_str("\n| negative check | cites | caught by (one verification removed) | removes |\n|---|---|---|---|\n");
    for (check, mutant) in report.step_mutant_of() {
        let id = if report.profiles.len() > 1 {
            format!("{} ({})", check.id, check.profile.name())
        } else {
            check.id.to_owned()
        };
        let cites = &check.cites;
        let (name, step) = match mutant {
            Some(m) => (m.name(), m.step()),
            None => ("**none**".to_owned(), ""),
        };
        out.push_str(&format!("| {id} | {cites} | {name} | {step} |\n"));
    }
    for (profile, id) in &report.baseline_problems {
        out.push_str(&format!(
            "baseline: {id} ({}) does not pass against the unmutated reference RP\n",
            profile.name()
        ));
    }
    for (profile, id) in &report.uncaught_negative_checks {
        out.push_str(&format!(
            "negative check {id} ({}) caught no mutant\n",
            profile.name()
        ));
    }
    for (profile, id) in &report.only_fail_open {
        out.push_str(&format!(
            "negative check {id} ({}) is caught only by stage-wide fail-open mutants\n",
            profile.name()
        ));
    }
    out.push_str(&report.score_line());
    out.push('\n');
    out.push_str(&report.section_score_line());
    out.push('\n');
    out.push_str(&report.step_score_line());
    out.push('\n');
    out
}
