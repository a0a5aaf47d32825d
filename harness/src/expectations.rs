//! Expectations files: the known deviations of one RP, kept beside its report (the rustls BoGo
//! shim's `config.json` is the model).
//!
//! ```toml
//! rp = "webauthn-rs 0.6.2"
//!
//! [[expected]]
//! check = "AS-04"
//! profiles = ["strict", "fido"]   # optional: both by default
//! verdict = "fail"                # what the RP gets: fail, warn, error or skip
//! reason = "W3C L3 §7.2 step 6: the library does not compare userHandle with ..."
//! ```
//!
//! Applying a file to a run turns each listed deviation that happened into an `expected` result
//! (so CI stays green while it stays tracked), and reports every entry that no longer matches
//! (the check now gets another verdict, or no longer exists) as stale.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use crate::checks::Check;
use crate::rp::Profile;
use crate::runner::{CheckResult, RunReport, Verdict};

/// Why an expectations file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExpectationsError {
    /// The file cannot be read.
    #[error("cannot read expectations {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The TOML does not have the expected shape.
    #[error("expectations: {0}")]
    Parse(String),
    /// An entry is unusable.
    #[error("expectations entry for {check}: {problem}")]
    Entry {
        /// The entry's check ID.
        check: String,
        /// What is wrong.
        problem: String,
    },
}

/// A verdict an expectations entry may name: never `pass` (nothing to expect) nor `expected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Deviation {
    /// A MUST not met.
    Fail,
    /// A SHOULD not met.
    Warn,
    /// The check cannot be judged against this RP.
    Error,
    /// The check does not apply to this RP.
    Skip,
    /// The RP rejects the fault but also its control (see [`Verdict::Inconclusive`]).
    Inconclusive,
}

impl Deviation {
    /// The runner verdict this deviation is.
    pub fn verdict(self) -> Verdict {
        match self {
            Deviation::Fail => Verdict::Fail,
            Deviation::Warn => Verdict::Warn,
            Deviation::Error => Verdict::Error,
            Deviation::Skip => Verdict::Skip,
            Deviation::Inconclusive => Verdict::Inconclusive,
        }
    }
}

/// One known deviation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// The check ID.
    pub check: String,
    /// The profiles it holds in (both when absent).
    #[serde(default = "both_profiles")]
    pub profiles: Vec<Profile>,
    /// What the RP gets.
    pub verdict: Deviation,
    /// Why: the spec step and what the RP does instead.
    pub reason: String,
}

fn both_profiles() -> Vec<Profile> {
    vec![Profile::Strict, Profile::Fido]
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    /// The RP the file is about (informational).
    #[serde(default)]
    rp: Option<String>,
    #[serde(default)]
    expected: Vec<Expectation>,
}

pub use crate::runner::StaleExpectation;

/// The deviations of one RP.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectations {
    /// The RP the file is about, if it says.
    pub rp: Option<String>,
    /// The entries, in file order.
    pub entries: Vec<Expectation>,
}

impl Expectations {
    /// Parses TOML text. An entry without a reason, or two entries for one check and profile,
    /// are errors.
    pub fn from_toml(text: &str) -> Result<Self, ExpectationsError> {
        let shape: FileShape =
            toml::from_str(text).map_err(|e| ExpectationsError::Parse(e.to_string()))?;
        let mut seen = BTreeSet::new();
        for entry in &shape.expected {
            let problem = |problem: &str| ExpectationsError::Entry {
                check: entry.check.clone(),
                problem: problem.into(),
            };
            if entry.reason.trim().is_empty() {
                return Err(problem("a reason is required"));
            }
            if entry.profiles.is_empty() {
                return Err(problem("profiles is empty"));
            }
            for profile in &entry.profiles {
                if !seen.insert((entry.check.clone(), *profile)) {
                    return Err(problem("listed twice for one profile"));
                }
            }
        }
        Ok(Expectations {
            rp: shape.rp,
            entries: shape.expected,
        })
    }

    /// Reads and parses a file.
    pub fn load(path: &Path) -> Result<Self, ExpectationsError> {
        let text = std::fs::read_to_string(path).map_err(|source| ExpectationsError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_toml(&text)
    }

    /// The entry for `check` in `profile`, if any.
    pub fn for_check(&self, check: &str, profile: Profile) -> Option<&Expectation> {
        self.entries
            .iter()
            .find(|e| e.check == check && e.profiles.contains(&profile))
    }

    /// Marks one result: a listed deviation that happened becomes `expected`; `Err` is a stale
    /// entry (the check got another verdict).
    pub fn apply_to(
        &self,
        result: &mut CheckResult,
        profile: Profile,
    ) -> Result<(), StaleExpectation> {
        let Some(entry) = self.for_check(result.id, profile) else {
            return Ok(());
        };
        let expected = entry.verdict.verdict();
        if result.verdict == expected {
            result.verdict = Verdict::Expected;
            result.deviation = Some((expected, entry.reason.clone()));
            Ok(())
        } else {
            Err(StaleExpectation {
                check: entry.check.clone(),
                expected,
                actual: Some(result.verdict),
                reason: entry.reason.clone(),
            })
        }
    }

    /// Applies the file to a run of `catalogue`: marks the results and records stale entries in
    /// the report. Entries for checks the run filtered out (`--only`) are left alone; entries
    /// for checks that do not exist in the profile are stale.
    pub fn apply(&self, report: &mut RunReport, catalogue: &[Check]) {
        let profile = report.profile;
        let mut stale = Vec::new();
        for result in &mut report.results {
            if let Err(entry) = self.apply_to(result, profile) {
                stale.push(entry);
            }
        }
        for entry in self
            .entries
            .iter()
            .filter(|e| e.profiles.contains(&profile))
        {
            let exists = catalogue
                .iter()
                .any(|c| c.id == entry.check && c.expect.get(profile).is_some());
            if !exists {
                stale.push(StaleExpectation {
                    check: entry.check.clone(),
                    expected: entry.verdict.verdict(),
                    actual: None,
                    reason: entry.reason.clone(),
                });
            }
        }
        report.stale_expectations = stale;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_and_defaults_to_both_profiles() {
        let file = Expectations::from_toml(
            "rp = \"x\"\n[[expected]]\ncheck = \"AS-04\"\nverdict = \"fail\"\nreason = \"§7.2 step 6\"\n\
             [[expected]]\ncheck = \"AS-05\"\nprofiles = [\"fido\"]\nverdict = \"warn\"\nreason = \"r\"\n",
        )
        .unwrap();
        assert_eq!(file.rp.as_deref(), Some("x"));
        assert!(file.for_check("AS-04", Profile::Strict).is_some());
        assert!(file.for_check("AS-04", Profile::Fido).is_some());
        assert!(file.for_check("AS-05", Profile::Strict).is_none());
        assert_eq!(
            file.for_check("AS-05", Profile::Fido).map(|e| e.verdict),
            Some(Deviation::Warn)
        );
    }

    #[test]
    fn refuses_pass_missing_reasons_duplicates_and_unknown_keys() {
        for bad in [
            "[[expected]]\ncheck = \"A\"\nverdict = \"pass\"\nreason = \"r\"\n",
            "[[expected]]\ncheck = \"A\"\nverdict = \"fail\"\nreason = \" \"\n",
            "[[expected]]\ncheck = \"A\"\nverdict = \"fail\"\nreason = \"r\"\n[[expected]]\ncheck = \"A\"\nprofiles = [\"strict\"]\nverdict = \"warn\"\nreason = \"r\"\n",
            "[[expected]]\ncheck = \"A\"\nverdict = \"fail\"\nreason = \"r\"\nwhy = \"x\"\n",
            "[[expected]]\ncheck = \"A\"\nprofiles = []\nverdict = \"fail\"\nreason = \"r\"\n",
        ] {
            assert!(Expectations::from_toml(bad).is_err(), "{bad}");
        }
    }
}
