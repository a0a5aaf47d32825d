//! Generated vectors: every catalogue check written down as the conformance-API conversation it
//! holds with an RP (docs/fido-api.md), with the result a conformant RP gives at its decisive
//! step, so RP teams in any language can run the catalogue without this binary
//! (`cargo xtask vectors` writes `vectors/generated/<profile>.json`).
//!
//! A conversation is recorded while the check runs against the reference RP: what the harness
//! sent, byte for byte, and what the RP issued (its challenges and user handles, which the
//! responses sign over, so an RP replaying a vector must issue the recorded options). The
//! expected result of the last step comes from the catalogue (the spec), never from the
//! reference RP; the earlier steps are the ceremony's setup, whose answers the scenario
//! requires (a valid registration accepted, ...) and the runner enforces.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::checks::{Check, Expect, Scenario, catalogue};
use crate::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use crate::rp::reference::ReferenceFactory;
use crate::rp::{Profile, RelyingParty, Reply, RpConfig, RpError, RpFactory, SessionId};
use crate::runner::{Controls, RunOptions, Verdict};

/// The schema file the generated vectors follow (in `vectors/schemas/`).
pub const SCHEMA: &str = "webauthn_conversation_schema.json";

/// The seed the committed files are generated from.
pub const COMMITTED_SEED: u64 = 1;

/// The profiles with a committed file.
pub const COMMITTED_PROFILES: [Profile; 2] = [Profile::Strict, Profile::Fido];

/// Where `profile`'s file is committed, relative to the repository root.
pub fn committed_path(profile: Profile) -> String {
    format!("vectors/generated/{}.json", profile.name())
}

/// A file of generated vectors: one profile, one seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConversationFile {
    /// [`SCHEMA`].
    pub schema: String,
    /// The W3C WebAuthn level the results follow.
    pub spec_level: String,
    /// The catalogue profile whose checks and results these are.
    pub profile: Profile,
    /// The run seed the bytes were drawn from.
    pub seed: u64,
    /// How many tests the groups hold.
    pub number_of_tests: usize,
    /// What the file holds and how to use it.
    pub header: Vec<String>,
    /// What each flag means.
    pub notes: BTreeMap<String, Note>,
    /// The trust anchors the attestation tests chain to: the metadata JSON that
    /// `webauthn-conformance trust-store` prints (§7.1 step 23).
    pub trust_store: String,
    /// One group per W3C L3 section.
    pub test_groups: Vec<Group>,
}

/// What a flag means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Note {
    /// The meaning.
    pub description: String,
    /// What goes wrong in an RP that gets such a test wrong.
    pub effect: String,
}

/// The tests of one W3C L3 section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Group {
    /// The section, e.g. `§7.1`.
    pub section: String,
    /// Its published text.
    pub spec_url: String,
    /// The tests.
    pub tests: Vec<Test>,
}

/// One check as a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Test {
    /// Unique in the file.
    pub tc_id: usize,
    /// The catalogue check.
    pub check_id: String,
    /// The check's title.
    pub comment: String,
    /// The W3C L3 section and step, e.g. `§7.1 step 8`.
    pub spec_step: String,
    /// See the file's notes.
    pub flags: Vec<String>,
    /// How the RP is set up (the JSON `/harness/reset` takes).
    pub rp_config: RpConfig,
    /// The conversation, in order; the last step is decisive.
    pub steps: Vec<Step>,
    /// What a conformant RP does at the last step.
    pub result: TestResult,
}

/// Wycheproof's three results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestResult {
    /// A conformant RP accepts (a probe: its options have the property).
    Valid,
    /// A conformant RP rejects.
    Invalid,
    /// Either conforms (a SHOULD); the flags say which is preferred.
    Acceptable,
}

/// The status of a setup step's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// `"status": "ok"`.
    Ok,
    /// `"status": "failed"` (or a refusal by erroring).
    Failed,
}

/// One request of the conversation, by conformance-API endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "endpoint", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum Step {
    /// `POST /attestation/options` and the options the RP issued.
    #[serde(rename = "/attestation/options")]
    AttestationOptions {
        /// The browser session (cookie).
        session: u32,
        /// The request body.
        request: ServerCreationOptionsRequest,
        /// The RP's answer.
        answer: Json,
    },
    /// `POST /attestation/result` with a RegistrationResponseJSON.
    #[serde(rename = "/attestation/result")]
    AttestationResult {
        /// The browser session (cookie).
        session: u32,
        /// The request body, exactly as sent (it may be malformed on purpose).
        body: String,
        /// The answer a setup step must get; absent on the decisive step.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<Status>,
    },
    /// `POST /assertion/options` and the options the RP issued.
    #[serde(rename = "/assertion/options")]
    AssertionOptions {
        /// The browser session (cookie).
        session: u32,
        /// The request body.
        request: ServerGetOptionsRequest,
        /// The RP's answer.
        answer: Json,
    },
    /// `POST /assertion/result` with an AuthenticationResponseJSON.
    #[serde(rename = "/assertion/result")]
    AssertionResult {
        /// The browser session (cookie).
        session: u32,
        /// The request body, exactly as sent.
        body: String,
        /// The answer a setup step must get; absent on the decisive step.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<Status>,
    },
    /// The RP's clock moves forward (`POST /harness/clock`, §13.5.3 challenge expiry).
    #[serde(rename = "/harness/clock")]
    Clock {
        /// Milliseconds.
        advance_ms: u64,
    },
}

/// Why vectors could not be generated or a vector did not replay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VectorError {
    /// A check could not be run against the reference RP, so its conversation is unknown.
    #[error("{check}: not recorded: the reference RP's run was {verdict}: {detail}")]
    NotRecorded {
        /// The check.
        check: String,
        /// Its verdict (error or skip).
        verdict: &'static str,
        /// Why.
        detail: String,
    },
    /// The trust store could not be built.
    #[error("trust store: {0}")]
    TrustStore(String),
    /// A replayed step did not get the answer the vector says.
    #[error("tcId {tc_id} ({check}) step {step}: {why}")]
    Replay {
        /// The test.
        tc_id: usize,
        /// Its check.
        check: String,
        /// The 1-based step.
        step: usize,
        /// What differed.
        why: String,
    },
}

/// The vectors of `profile` at `seed`, recorded against the reference RP.
pub fn generate(profile: Profile, seed: u64) -> Result<ConversationFile, VectorError> {
    let reference = ReferenceFactory::new(None);
    let recording = Recording {
        inner: &reference,
        log: Arc::new(Mutex::new(None)),
    };
    let options = RunOptions {
        profile,
        seed,
        only: Vec::new(),
    };
    let mut groups: Vec<Group> = Vec::new();
    for check in catalogue() {
        // Without controls: the recording keeps the conversation of the last RP made, which
        // must be the check's own, not its control's (a replay against a conformant RP needs no
        // control: the reference RP accepts every control, as tests/controls.rs shows).
        let Some(result) =
            crate::runner::run_check_with(&recording, &check, &options, Controls::Skip)
        else {
            continue;
        };
        let log = recording.take();
        if matches!(result.verdict, Verdict::Error | Verdict::Skip) {
            return Err(VectorError::NotRecorded {
                check: check.id.to_owned(),
                verdict: result.verdict.name(),
                detail: result.detail,
            });
        }
        let Some(mut log) = log else {
            return Err(VectorError::NotRecorded {
                check: check.id.to_owned(),
                verdict: result.verdict.name(),
                detail: "no RP was made".into(),
            });
        };
        log.conclude();
        let test = test(&check, profile, log);
        let section = check.spec.section.number();
        match groups.iter_mut().find(|group| group.section == section) {
            Some(group) => group.tests.push(test),
            None => groups.push(Group {
                section: section.to_owned(),
                spec_url: check.spec.url(),
                tests: vec![test],
            }),
        }
    }
    // Numbered in file order, after grouping.
    let tests = groups.iter_mut().flat_map(|group| group.tests.iter_mut());
    let mut number_of_tests = 0;
    for (index, test) in tests.enumerate() {
        test.tc_id = index + 1;
        number_of_tests = index + 1;
    }
    let trust_store = crate::authenticator::attestation::metadata::harness_metadata_json()
        .map_err(|err| VectorError::TrustStore(err.to_string()))?;
    Ok(ConversationFile {
        schema: SCHEMA.to_owned(),
        spec_level: "L3".to_owned(),
        profile,
        seed,
        number_of_tests,
        header: header(profile, seed),
        notes: notes(),
        trust_store,
        test_groups: groups,
    })
}

/// The file's text as committed: pretty JSON and a final newline.
pub fn to_text(file: &ConversationFile) -> String {
    let mut text = serde_json::to_string_pretty(file).unwrap_or_default();
    text.push('\n');
    text
}

/// The check's test, numbered later.
fn test(check: &Check, profile: Profile, log: Log) -> Test {
    // `run_check` returned a result, so the check applies to the profile.
    let expect = check.expect.get(profile).unwrap_or(Expect::Accept);
    let (flag, result) = match (check.level.is_must_in(profile), expect) {
        (true, Expect::Accept) => ("MustAccept", TestResult::Valid),
        (true, Expect::Reject) => ("MustReject", TestResult::Invalid),
        (false, Expect::Accept) => ("ShouldAccept", TestResult::Acceptable),
        (false, Expect::Reject) => ("ShouldReject", TestResult::Acceptable),
    };
    let mut flags = vec![flag.to_owned()];
    if matches!(
        check.scenario,
        Scenario::CreationOptions(_) | Scenario::RequestOptions(_)
    ) {
        flags.push("OptionsProbe".into());
    }
    if log.config.allow_cross_origin {
        flags.push("CrossOriginFramed".into());
    }
    if log.config.require_trusted_attestation {
        flags.push("TrustedAttestationRequired".into());
    }
    if log
        .steps
        .iter()
        .any(|step| matches!(step, Step::Clock { .. }))
    {
        flags.push("ClockMoved".into());
    }
    Test {
        tc_id: 0,
        check_id: check.id.to_owned(),
        comment: check.title.to_owned(),
        spec_step: format!("{} step {}", check.spec.section.number(), check.spec.step),
        flags,
        rp_config: log.config,
        steps: log.steps,
        result,
    }
}

fn header(profile: Profile, seed: u64) -> Vec<String> {
    vec![
        format!(
            "Every check of the webauthn-conformance catalogue in the {} profile, as the conformance-API conversation it holds with an RP (FIDO2 server conformance API: /attestation/options, /attestation/result, /assertion/options, /assertion/result).",
            profile.name()
        ),
        format!(
            "Generated by `cargo xtask vectors` from seed {seed}; recorded against the reference RP. Do not edit: a test fails when this file is stale."
        ),
        "To replay a test: set the RP up as rpConfig says (RP ID, origins, cross-origin framing, attestation policy), trust the anchors in trustStore, then send each step in order on its session. An options step's answer is what the RP must have issued (its challenge and user.id are signed over by the later responses), so an RP under test must issue those exact values, as with the W3C vectors' fixed challenges.".into(),
        "A result step with a status is setup: a conformant RP gives that status. The last step is decisive: a conformant RP gives the test's result (valid: status ok; invalid: status failed; acceptable: either, see the flags). A /harness/clock step moves the RP's clock forward by advanceMs.".into(),
        "The results come from the catalogue (W3C WebAuthn L3 and, in the fido profile, the FIDO conformance tool's documented behaviour), not from the reference RP.".into(),
    ]
}

fn notes() -> BTreeMap<String, Note> {
    let note = |description: &str, effect: &str| Note {
        description: description.to_owned(),
        effect: effect.to_owned(),
    };
    BTreeMap::from([
        (
            "MustAccept".to_owned(),
            note(
                "A MUST of the spec: a conformant RP accepts the decisive step.",
                "Refusing it turns away valid users or authenticators.",
            ),
        ),
        (
            "MustReject".to_owned(),
            note(
                "A MUST of the spec: a conformant RP rejects the decisive step.",
                "Accepting it skips a verification step: a security hole.",
            ),
        ),
        (
            "ShouldAccept".to_owned(),
            note(
                "A SHOULD or a policy the spec leaves to the RP; accepting is preferred.",
                "Refusing it is allowed but makes the RP stricter than the spec recommends.",
            ),
        ),
        (
            "ShouldReject".to_owned(),
            note(
                "A SHOULD or a policy the spec leaves to the RP; rejecting is preferred.",
                "Accepting it is allowed but weakens the RP.",
            ),
        ),
        (
            "OptionsProbe".to_owned(),
            note(
                "The check is about the options the RP issues, not about a response: valid means the decisive options answer must have the property the comment names; the recorded answer is the reference RP's, an example.",
                "Options without the property break clients or weaken the ceremony.",
            ),
        ),
        (
            "CrossOriginFramed".to_owned(),
            note(
                "The RP is set up to expect use inside a cross-origin iframe (rpConfig allowCrossOrigin and topOrigins; §7.1 steps 10-11).",
                "An RP that cannot be set up so cannot run the test.",
            ),
        ),
        (
            "TrustedAttestationRequired".to_owned(),
            note(
                "The RP's policy accepts only attestation that chains to trustStore (§7.1 step 24).",
                "Accepting untrusted attestation lets any authenticator claim any model.",
            ),
        ),
        (
            "ClockMoved".to_owned(),
            note(
                "The RP's clock moves between steps (§13.5.3 ceremony timeout).",
                "An RP whose clock cannot be moved cannot run the test.",
            ),
        ),
    ])
}

/// How strictly [`replay`] judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replay {
    /// Each options answer must equal the recorded one: true of the reference RP, which draws
    /// from the recorded seed. Other RPs issue their own, and the responses will not verify.
    pub same_options: bool,
    /// An `acceptable` test must get the outcome its flag prefers (`ShouldAccept`,
    /// `ShouldReject`), as the runner's warnings do.
    pub preferred: bool,
}

/// Replays every test of `file` against RPs made by `factory`; the errors are the tests whose
/// conversation went otherwise.
pub fn replay(factory: &dyn RpFactory, file: &ConversationFile, how: Replay) -> Vec<VectorError> {
    file.test_groups
        .iter()
        .flat_map(|group| &group.tests)
        .filter_map(|test| replay_test(factory, test, how).err())
        .collect()
}

impl Test {
    /// The status a conformant RP gives the decisive step; with `preferred`, a SHOULD's
    /// preferred status. `None`: either conforms.
    fn wanted(&self, preferred: bool) -> Option<Status> {
        let flagged = |flag: &str| self.flags.iter().any(|f| f == flag);
        match self.result {
            TestResult::Valid => Some(Status::Ok),
            TestResult::Invalid => Some(Status::Failed),
            TestResult::Acceptable if preferred && flagged("ShouldAccept") => Some(Status::Ok),
            TestResult::Acceptable if preferred && flagged("ShouldReject") => Some(Status::Failed),
            TestResult::Acceptable => None,
        }
    }
}

fn replay_test(factory: &dyn RpFactory, test: &Test, how: Replay) -> Result<(), VectorError> {
    let fail = |step: usize, why: String| VectorError::Replay {
        tc_id: test.tc_id,
        check: test.check_id.clone(),
        step,
        why,
    };
    let mut rp = factory
        .create(&test.rp_config)
        .map_err(|err| fail(0, format!("the RP could not be set up: {err}")))?;
    let last = test.steps.len();
    for (index, step) in test.steps.iter().enumerate() {
        let number = index + 1;
        let decisive = number == last;
        let got = call(rp.as_mut(), step).map_err(|err| fail(number, err.to_string()))?;
        let wanted = match step {
            Step::AttestationOptions { answer, .. } | Step::AssertionOptions { answer, .. } => {
                if how.same_options && got.answer.as_ref() != Some(answer) {
                    return Err(fail(
                        number,
                        format!("options differ: got {:?}", got.answer),
                    ));
                }
                if !decisive {
                    continue;
                }
                // A probe's property is judged by the runner, not here: the options step is
                // only replayed.
                None
            }
            Step::AttestationResult { status, .. } | Step::AssertionResult { status, .. } => {
                if decisive {
                    test.wanted(how.preferred)
                } else {
                    *status
                }
            }
            Step::Clock { .. } => None,
        };
        if let Some(wanted) = wanted
            && got.status != wanted
        {
            return Err(fail(
                number,
                format!(
                    "wanted status {wanted:?}, got {:?} ({})",
                    got.status, got.detail
                ),
            ));
        }
    }
    Ok(())
}

/// What the RP answered to one replayed step.
struct Got {
    status: Status,
    answer: Option<Json>,
    detail: String,
}

fn call(rp: &mut dyn RelyingParty, step: &Step) -> Result<Got, RpError> {
    let of = |reply: Reply<Json>| match reply {
        Reply::Ok(json) => Got {
            status: Status::Ok,
            answer: Some(json),
            detail: String::new(),
        },
        Reply::Failed(why) => Got {
            status: Status::Failed,
            answer: Some(failed_answer(&why.to_string())),
            detail: why.to_string(),
        },
        Reply::Erroring(why) => Got {
            status: Status::Failed,
            answer: Some(failed_answer(&why)),
            detail: why,
        },
    };
    let unit = |reply: Reply<()>| {
        of(match reply {
            Reply::Ok(()) => Reply::Ok(Json::Null),
            Reply::Failed(why) => Reply::Failed(why),
            Reply::Erroring(why) => Reply::Erroring(why),
        })
    };
    Ok(match step {
        Step::AttestationOptions {
            session, request, ..
        } => of(rp.registration_options(SessionId(*session), request)?),
        Step::AttestationResult { session, body, .. } => {
            unit(rp.finish_registration(SessionId(*session), body)?)
        }
        Step::AssertionOptions {
            session, request, ..
        } => of(rp.authentication_options(SessionId(*session), request)?),
        Step::AssertionResult { session, body, .. } => {
            unit(rp.finish_authentication(SessionId(*session), body)?)
        }
        Step::Clock { advance_ms } => {
            rp.advance_clock(Duration::from_millis(*advance_ms))?;
            Got {
                status: Status::Ok,
                answer: None,
                detail: String::new(),
            }
        }
    })
}

fn failed_answer(why: &str) -> Json {
    serde_json::json!({"status": "failed", "errorMessage": why})
}

/// The conversation of the RP the check is running against.
struct Log {
    config: RpConfig,
    steps: Vec<Step>,
}

impl Log {
    /// The last step is decisive: its answer is the test's result, not setup.
    fn conclude(&mut self) {
        if let Some(Step::AttestationResult { status, .. } | Step::AssertionResult { status, .. }) =
            self.steps.last_mut()
        {
            *status = None;
        }
    }
}

type SharedLog = Arc<Mutex<Option<Log>>>;

/// A factory whose RPs write down every call.
struct Recording<'a> {
    inner: &'a dyn RpFactory,
    log: SharedLog,
}

impl Recording<'_> {
    fn take(&self) -> Option<Log> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

impl RpFactory for Recording<'_> {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn base_config(&self, profile: Profile, seed: u64) -> RpConfig {
        self.inner.base_config(profile, seed)
    }

    fn create(&self, config: &RpConfig) -> Result<Box<dyn RelyingParty>, RpError> {
        let rp = self.inner.create(config)?;
        *self.log.lock().unwrap_or_else(PoisonError::into_inner) = Some(Log {
            config: config.clone(),
            steps: Vec::new(),
        });
        Ok(Box::new(Recorder {
            inner: rp,
            log: Arc::clone(&self.log),
        }))
    }
}

/// An RP that writes down each call it passes on.
struct Recorder {
    inner: Box<dyn RelyingParty>,
    log: SharedLog,
}

impl Recorder {
    fn push(&self, step: Step) {
        if let Some(log) = self
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
        {
            log.steps.push(step);
        }
    }
}

fn status<T>(reply: &Reply<T>) -> Status {
    match reply {
        Reply::Ok(_) => Status::Ok,
        Reply::Failed(_) | Reply::Erroring(_) => Status::Failed,
    }
}

fn options_answer(reply: &Reply<Json>) -> Json {
    match reply {
        Reply::Ok(json) => json.clone(),
        Reply::Failed(why) => failed_answer(&why.to_string()),
        Reply::Erroring(why) => failed_answer(why),
    }
}

impl RelyingParty for Recorder {
    fn registration_options(
        &mut self,
        session: SessionId,
        request: &ServerCreationOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        let reply = self.inner.registration_options(session, request)?;
        self.push(Step::AttestationOptions {
            session: session.0,
            request: request.clone(),
            answer: options_answer(&reply),
        });
        Ok(reply)
    }

    fn finish_registration(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        let reply = self.inner.finish_registration(session, credential)?;
        self.push(Step::AttestationResult {
            session: session.0,
            body: credential.to_owned(),
            status: Some(status(&reply)),
        });
        Ok(reply)
    }

    fn authentication_options(
        &mut self,
        session: SessionId,
        request: &ServerGetOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        let reply = self.inner.authentication_options(session, request)?;
        self.push(Step::AssertionOptions {
            session: session.0,
            request: request.clone(),
            answer: options_answer(&reply),
        });
        Ok(reply)
    }

    fn finish_authentication(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        let reply = self.inner.finish_authentication(session, credential)?;
        self.push(Step::AssertionResult {
            session: session.0,
            body: credential.to_owned(),
            status: Some(status(&reply)),
        });
        Ok(reply)
    }

    fn advance_clock(&mut self, by: Duration) -> Result<(), RpError> {
        self.inner.advance_clock(by)?;
        self.push(Step::Clock {
            advance_ms: u64::try_from(by.as_millis()).unwrap_or(u64::MAX),
        });
        Ok(())
    }
}
