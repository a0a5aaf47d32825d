//! Right-reason verdicts: a negative check passes only when the RP rejected the fault, shown by
//! its control (the same ceremony without the fault) being accepted by the same RP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use rstest::rstest;
use serde_json::Value as Json;
use webauthn_conformance::checks::{Expect, catalogue};
use webauthn_conformance::codec::b64url;
use webauthn_conformance::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::rp::{
    Profile, Rejection, RelyingParty, Reply, RpConfig, RpError, RpFactory, SessionId,
};
use webauthn_conformance::runner::{self, RunOptions, RunReport, Verdict};

fn run(factory: &dyn RpFactory, profile: Profile, only: &[&str]) -> RunReport {
    let options = RunOptions {
        profile,
        seed: 1,
        only: only
            .iter()
            .map(|glob| globset::Glob::new(glob).unwrap().compile_matcher())
            .collect(),
    };
    runner::run(factory, &catalogue(), &options)
}

/// Every committed report (`reports/<rp>/report.json` and `reports/<rp>/fido/report.json`).
fn committed_reports() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../reports");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        for path in [dir.join("report.json"), dir.join("fido/report.json")] {
            if path.is_file() {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn no_committed_report_passes_a_negative_check_whose_control_was_not_accepted() {
    let reports = committed_reports();
    assert!(reports.len() >= 10, "{reports:?}");
    let mut hollow = Vec::new();
    for path in &reports {
        let json: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for result in json["results"].as_array().unwrap() {
            let negative = result["expect"] == "reject";
            // The verdict that happened, also behind an `expected` deviation.
            let happened = match result["verdict"].as_str().unwrap() {
                "expected" => result["deviation"]["verdict"].as_str().unwrap(),
                other => other,
            };
            if negative
                && happened == "pass"
                && result["control"]["accepted"].as_bool() != Some(true)
            {
                hollow.push(format!("{}: {}", path.display(), result["id"]));
            }
        }
    }
    assert!(hollow.is_empty(), "{hollow:#?}");
}

#[rstest]
fn the_reference_rp_accepts_every_control(
    #[values(Profile::Strict, Profile::Fido)] profile: Profile,
) {
    let report = run(&ReferenceFactory::default(), profile, &[]);
    let checks = catalogue();
    let mut negatives = 0;
    for result in &report.results {
        assert_ne!(result.verdict, Verdict::Inconclusive, "{result:#?}");
        if result.expect == Expect::Reject {
            negatives += 1;
            let control = result
                .control
                .as_ref()
                .unwrap_or_else(|| panic!("{} passed without running its control", result.id));
            assert!(control.accepted, "{result:#?}");
        } else {
            assert!(result.control.is_none(), "{}", result.id);
        }
    }
    assert!(negatives >= 200, "{negatives} negative checks");
    assert!(checks.len() >= report.results.len());
}

/// The reference RP, but every registration whose attestation object names `fmt` is refused,
/// as an RP that does not support that format does.
struct RefusesFormat {
    fmt: &'static str,
}

struct RefusingRp {
    inner: Box<dyn RelyingParty>,
    fmt: &'static str,
}

impl RpFactory for RefusesFormat {
    fn name(&self) -> String {
        format!("reference refusing {}", self.fmt)
    }

    fn create(&self, config: &RpConfig) -> Result<Box<dyn RelyingParty>, RpError> {
        Ok(Box::new(RefusingRp {
            inner: ReferenceFactory::default().create(config)?,
            fmt: self.fmt,
        }))
    }
}

impl RefusingRp {
    fn names_format(&self, credential: &str) -> bool {
        let Ok(json) = serde_json::from_str::<Json>(credential) else {
            return false;
        };
        let Some(object) = json["response"]["attestationObject"].as_str() else {
            return false;
        };
        let Ok(bytes) = b64url::decode(object) else {
            return false;
        };
        // `fmt` is the CBOR text string right after the "fmt" key.
        let mut wanted = b"\x63fmt".to_vec();
        wanted.push(0x60 + u8::try_from(self.fmt.len()).unwrap());
        wanted.extend_from_slice(self.fmt.as_bytes());
        bytes.windows(wanted.len()).any(|w| w == wanted.as_slice())
    }
}

impl RelyingParty for RefusingRp {
    fn registration_options(
        &mut self,
        session: SessionId,
        request: &ServerCreationOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        self.inner.registration_options(session, request)
    }

    fn finish_registration(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        if self.names_format(credential) {
            return Ok(Reply::Failed(Rejection::message(format!(
                "unsupported attestation format {}",
                self.fmt
            ))));
        }
        self.inner.finish_registration(session, credential)
    }

    fn authentication_options(
        &mut self,
        session: SessionId,
        request: &ServerGetOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        self.inner.authentication_options(session, request)
    }

    fn finish_authentication(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        self.inner.finish_authentication(session, credential)
    }
}

#[test]
fn an_rp_that_refuses_a_whole_format_scores_its_faults_inconclusive_not_pass() {
    let report = run(&RefusesFormat { fmt: "tpm" }, Profile::Strict, &["TPM-*"]);
    let mut inconclusive = 0;
    for result in &report.results {
        match result.expect {
            Expect::Accept => assert_ne!(result.verdict, Verdict::Pass, "{result:#?}"),
            Expect::Reject => {
                assert_eq!(result.verdict, Verdict::Inconclusive, "{result:#?}");
                let control = result.control.as_ref().unwrap();
                assert!(!control.accepted);
                assert!(
                    control
                        .answer
                        .contains("unsupported attestation format tpm")
                );
                inconclusive += 1;
            }
        }
    }
    assert!(inconclusive >= 10, "{inconclusive}");
}

#[rstest]
fn an_unoffered_algorithm_is_tried_until_the_rp_accepts_its_control(
    #[values(Profile::Strict, Profile::Fido)] profile: Profile,
) {
    let report = run(&ReferenceFactory::default(), profile, &["REG-AO-17"]);
    let [result] = report.results.as_slice() else {
        panic!("{report:#?}")
    };
    assert_eq!(result.verdict, Verdict::Pass, "{result:#?}");
    // The reference RP offers every algorithm it verifies except these, and verifies RS1
    // (offered only in fido) and Ed448: the first spelling it can verify is the one used.
    let variant = result.variant.as_deref().unwrap();
    assert!(result.control.as_ref().unwrap().accepted, "{result:#?}");
    assert!(!variant.is_empty());

    // An RP that accepts any algorithm it can verify is caught on that spelling.
    let mutant = ReferenceFactory::new(Some(Mutant::RegSkipAlgorithm));
    let report = run(&mutant, profile, &["REG-AO-17"]);
    assert_eq!(report.results[0].verdict, Verdict::Fail, "{report:#?}");
}

#[test]
fn an_rp_that_ignores_a_regressed_counter_is_caught_in_strict() {
    // §7.2 step 22 leaves the reaction to the RP: a SHOULD in strict, so a warning.
    let mutant = ReferenceFactory::new(Some(Mutant::AuthSkipSignCount));
    let report = run(&mutant, Profile::Strict, &["AS-22*"]);
    assert_eq!(report.results.len(), 2, "{report:#?}");
    for result in &report.results {
        assert_eq!(result.verdict, Verdict::Warn, "{result:#?}");
    }
    let clean = run(&ReferenceFactory::default(), Profile::Strict, &["AS-22*"]);
    assert!(clean.results.iter().all(|r| r.verdict == Verdict::Pass));
}
