//! Carries out a check's scenario against a fresh RP.

use crate::authenticator::{ClientError, VirtualAuthenticator, VirtualClient};
use crate::checks::{Ceremony, Check, Scenario, Setup};
use crate::codec::b64url;
use crate::codec::cose::CoseAlgorithm;
use crate::codec::options::{
    AuthenticatorSelection, RequestOptions, ServerCreationOptionsRequest, ServerGetOptionsRequest,
};
use crate::drbg::Drbg;
use crate::rp::{Profile, RelyingParty, Reply, RpError, RpFactory, SessionId};

use super::{Answer, NotJudged, ok_options};

pub(super) const ALICE: &str = "alice";
const BOB: &str = "bob";

/// What the harness sent at the decisive step, for the report.
type Sent = String;

/// Runs `scenario` (the check's own, or one of its trials or controls) against a fresh RP set up
/// for `check` and offering `offers` beyond its own algorithms. The randomness is the check's,
/// so a control makes the same keys as the ceremony it controls.
pub(super) fn execute(
    factory: &dyn RpFactory,
    check: &Check,
    scenario: &Scenario,
    offers: &[CoseAlgorithm],
    profile: Profile,
    seed: u64,
) -> Result<(Answer, Sent), NotJudged> {
    let mut drbg = Drbg::for_label(seed, check.id);
    let mut config = factory.base_config(
        profile,
        u64::from_be_bytes(first8(&drbg.bytes("rp seed", 8))),
    );
    if let Some(top) = check.framed_by {
        config.allow_cross_origin = true;
        config.top_origins = vec![top.to_owned()];
    }
    if matches!(scenario, Scenario::RegisterRequiringTrustedAttestation(_)) {
        config.require_trusted_attestation = true;
    }
    config.extra_algorithms = offers.iter().map(|alg| alg.id()).collect();
    let rp = factory.create(&config).map_err(|err| match err {
        RpError::Unsupported(why) => NotJudged::Skip(why),
        other => NotJudged::Error(format!("could not start the RP: {other}")),
    })?;
    let origin = config.origins.first().cloned().unwrap_or_default();
    let client = VirtualClient::new(
        &origin,
        VirtualAuthenticator::new(Default::default(), drbg.clone()),
    );
    let mut run = Run { rp, client, origin };
    run.scenario(scenario)
}

fn first8(bytes: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    for (slot, byte) in out.iter_mut().zip(bytes) {
        *slot = *byte;
    }
    out
}

pub(super) struct Run {
    pub(super) rp: Box<dyn RelyingParty>,
    client: VirtualClient,
    pub(super) origin: String,
}

pub(super) fn transport(err: RpError) -> NotJudged {
    NotJudged::Error(err.to_string())
}

/// An RP that cannot be set up as the check needs skips it; other faults are errors.
fn rp_setup(err: RpError) -> NotJudged {
    match err {
        RpError::Unsupported(why) => NotJudged::Skip(why),
        other => NotJudged::Error(other.to_string()),
    }
}

fn answer(reply: Reply<()>) -> Answer {
    match reply {
        Reply::Ok(()) => Answer::Accepted,
        Reply::Failed(why) => Answer::Rejected(why),
        Reply::Erroring(why) => Answer::RejectedByErroring(why),
    }
}

fn describe(setup: &Setup) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(origin) = setup.origin {
        parts.push(format!("clientDataJSON.origin = {origin:?}"));
    }
    if setup.cross_origin {
        parts.push("clientDataJSON.crossOrigin = true".into());
    }
    if let Some(top) = setup.top_origin {
        parts.push(format!("clientDataJSON.topOrigin = {top:?}"));
    }
    parts.extend(setup.mutations.iter().map(ToString::to_string));
    if parts.is_empty() {
        "a valid response".to_owned()
    } else {
        parts.join(" + ")
    }
}

impl Run {
    fn scenario(&mut self, scenario: &Scenario) -> Result<(Answer, Sent), NotJudged> {
        let session = SessionId(1);
        match scenario {
            Scenario::Register(setup) | Scenario::RegisterRequiringTrustedAttestation(setup) => {
                let (_, body) = self.creation(session, ALICE, setup)?;
                self.finish_registration(session, &body, describe(setup))
            }
            Scenario::Authenticate {
                registration,
                authentication,
            } => {
                self.register_valid(session, ALICE, registration)?;
                let body = self.assertion(session, Some(ALICE), authentication)?;
                self.finish_authentication(session, &body, describe(authentication))
            }
            Scenario::AuthenticateTwice {
                registration,
                first,
                second,
            } => {
                self.register_valid(session, ALICE, registration)?;
                let body = self.assertion(session, Some(ALICE), first)?;
                self.expect_accepted_authentication(session, &body, "the first authentication")?;
                let body = self.assertion(session, Some(ALICE), second)?;
                self.finish_authentication(session, &body, describe(second))
            }
            Scenario::RegisterWithoutOptions => {
                let (_, body) = self.creation(session, ALICE, &Setup::default())?;
                self.finish_registration(
                    SessionId(2),
                    &body,
                    "a valid registration to a session that was issued no options".into(),
                )
            }
            Scenario::AuthenticateWithoutOptions => {
                self.register_valid(session, ALICE, &Setup::default())?;
                let body = self.assertion(session, Some(ALICE), &Setup::default())?;
                self.finish_authentication(
                    SessionId(2),
                    &body,
                    "a valid assertion to a session that was issued no options".into(),
                )
            }
            Scenario::ReplayRegistration => {
                // A new credential over the consumed challenge: the duplicate-ID rule cannot
                // stop it, only the single-use challenge can.
                let (options, body) = self.creation(session, ALICE, &Setup::default())?;
                self.expect_accepted_registration(session, &body)?;
                let replayed = self.on_second_authenticator(|run| {
                    run.client.register(&options, &[]).map_err(client_error)
                })?;
                self.finish_registration(
                    session,
                    &replayed.body,
                    "a new credential over the challenge of the accepted registration".into(),
                )
            }
            Scenario::ReplayAuthentication => {
                let zero = Setup::default().authenticator(|a| {
                    a.counter = crate::authenticator::CounterPolicy::Zero;
                });
                self.register_valid(session, ALICE, &zero)?;
                let body = self.assertion(session, Some(ALICE), &zero)?;
                self.expect_accepted_authentication(session, &body, "the first authentication")?;
                self.finish_authentication(
                    session,
                    &body,
                    "the accepted assertion again (counter 0)".into(),
                )
            }
            Scenario::RegisterWithAuthenticationChallenge => {
                self.register_valid(session, ALICE, &Setup::default())?;
                let request = self.request_options(SessionId(2), Some(ALICE), &Setup::default())?;
                let challenge = RequestOptions::from_json(&request)
                    .map_err(|e| NotJudged::Error(format!("setup: {e}")))?
                    .challenge
                    .0;
                // Session 1 now waits for a registration; answer it with the other challenge.
                let mut options = self.creation_options(session, BOB, &Setup::default())?;
                if let Some(slot) = options.get_mut("challenge") {
                    *slot = serde_json::Value::String(b64url::encode(&challenge));
                }
                let created = self.client.register(&options, &[]).map_err(client_error)?;
                self.finish_registration(
                    session,
                    &created.body,
                    "a registration over the challenge of request options".into(),
                )
            }
            Scenario::AuthenticateWithRegistrationChallenge => {
                self.register_valid(session, ALICE, &Setup::default())?;
                let creation = self.creation_options(SessionId(2), BOB, &Setup::default())?;
                let challenge = creation
                    .get("challenge")
                    .and_then(|c| c.as_str())
                    .and_then(|c| b64url::decode(c).ok())
                    .ok_or_else(|| {
                        NotJudged::Error("setup: creation options have no challenge".into())
                    })?;
                let mut request = self.request_options(session, Some(ALICE), &Setup::default())?;
                if let Some(slot) = request.get_mut("challenge") {
                    *slot = serde_json::Value::String(b64url::encode(&challenge));
                }
                let asserted = self
                    .client
                    .authenticate(&request, &[])
                    .map_err(client_error)?;
                self.finish_authentication(
                    session,
                    &asserted.body,
                    "an assertion over the challenge of creation options".into(),
                )
            }
            Scenario::DuplicateCredentialOtherUser => {
                self.register_valid(session, ALICE, &Setup::default())?;
                let existing = self.latest_credential()?.id;
                // A second authenticator (another device) claims the same credential ID.
                let setup = Setup::with(crate::authenticator::Mutation::CredentialId(existing));
                let options = self.creation_options(SessionId(2), BOB, &setup)?;
                let mut other = self.fresh_client("second authenticator");
                let created = other
                    .register(&options, &setup.mutations)
                    .map_err(client_error)?;
                self.finish_registration(
                    SessionId(2),
                    &created.body,
                    "user bob registering alice's credential ID".into(),
                )
            }
            Scenario::CredentialOfAnotherUser => {
                let discoverable = Setup::default().discoverable();
                self.register_valid(session, ALICE, &discoverable)?;
                let alice = self.latest_credential()?;
                self.register_valid(SessionId(2), BOB, &discoverable)?;
                let bob = self.latest_credential()?;
                let request = self.request_options(session, None, &discoverable)?;
                let asserted = self.assert_with(&bob, &request)?;
                let body = with_user_handle(&asserted, &alice.user_handle)?;
                self.finish_authentication(
                    session,
                    &body,
                    "bob's valid assertion with alice's userHandle to a username-less ceremony"
                        .into(),
                )
            }
            Scenario::UserHandleOfAnotherUser => {
                self.register_valid(session, ALICE, &Setup::default())?;
                let alice = self.latest_credential()?;
                self.register_valid(SessionId(2), BOB, &Setup::default())?;
                let bob = self.latest_credential()?;
                let request = self.request_options(session, Some(ALICE), &Setup::default())?;
                let asserted = self.assert_with(&alice, &request)?;
                let body = with_user_handle(&asserted, &bob.user_handle)?;
                self.finish_authentication(
                    session,
                    &body,
                    "alice's valid assertion to her ceremony with bob's userHandle".into(),
                )
            }
            Scenario::CredentialNotAllowed => {
                self.register_valid(session, ALICE, &Setup::default())?;
                let request = self.request_options(session, Some(ALICE), &Setup::default())?;
                // A second authenticator: the first would refuse (excludeCredentials).
                let second = self.on_second_authenticator(|run| {
                    run.register_valid(SessionId(2), ALICE, &Setup::default())?;
                    run.latest_credential()
                })?;
                let asserted = self.assert_with(&second, &request)?;
                self.finish_authentication(
                    session,
                    &asserted,
                    "alice's credential that allowCredentials does not list".into(),
                )
            }
            Scenario::FailedRegistrationStoresNothing => {
                self.register_valid(session, ALICE, &Setup::default())?;
                let broken = Setup::with(crate::authenticator::Mutation::ClientData(
                    crate::authenticator::mutation::ClientDataMutation::Set {
                        member: "type".into(),
                        value: "webauthn.get".into(),
                    },
                ));
                let rejected = self.on_second_authenticator(|run| {
                    let (_, body) = run.creation(SessionId(2), ALICE, &broken)?;
                    let reply = run
                        .rp
                        .finish_registration(SessionId(2), &body)
                        .map_err(transport)?;
                    if answer(reply) == Answer::Accepted {
                        return Err(NotJudged::Error(
                            "setup: the RP accepted a registration with type webauthn.get".into(),
                        ));
                    }
                    run.latest_credential()
                })?;
                let request = self.request_options(session, Some(ALICE), &Setup::default())?;
                let asserted = self.assert_with(&rejected, &request)?;
                self.finish_authentication(
                    session,
                    &asserted,
                    "an assertion with the credential of a rejected registration".into(),
                )
            }
            other => self.more(other),
        }
    }

    /// Runs the scenarios added for the full catalogue.
    fn more(&mut self, scenario: &Scenario) -> Result<(Answer, Sent), NotJudged> {
        let session = SessionId(1);
        match scenario {
            Scenario::ChallengeOfOtherSession(Ceremony::Registration) => {
                let (_, body) = self.creation(SessionId(2), ALICE, &Setup::default())?;
                self.creation_options(session, BOB, &Setup::default())?;
                self.finish_registration(
                    session,
                    &body,
                    "a registration over the challenge issued to another session".into(),
                )
            }
            Scenario::ChallengeOfOtherSession(Ceremony::Authentication) => {
                self.register_valid(session, ALICE, &Setup::default())?;
                let other = self.assertion(SessionId(2), Some(ALICE), &Setup::default())?;
                self.request_options(session, Some(ALICE), &Setup::default())?;
                self.finish_authentication(
                    session,
                    &other,
                    "an assertion over the challenge issued to another session".into(),
                )
            }
            Scenario::ExpiredChallenge(ceremony) => {
                let late = |options: &serde_json::Value| {
                    // Ten times the timeout the RP announced (or the 10 minutes §15.1 gives as
                    // the top of the recommended range): expired by any reading of §13.5.3.
                    let timeout = options
                        .get("timeout")
                        .and_then(serde_json::Value::as_u64)
                        .filter(|t| *t > 0)
                        .unwrap_or(600_000);
                    std::time::Duration::from_millis(timeout.saturating_mul(10))
                };
                match ceremony {
                    Ceremony::Registration => {
                        let (options, body) = self.creation(session, ALICE, &Setup::default())?;
                        self.rp.advance_clock(late(&options)).map_err(rp_setup)?;
                        self.finish_registration(
                            session,
                            &body,
                            "a valid registration after 10 times the timeout".into(),
                        )
                    }
                    Ceremony::Authentication => {
                        self.register_valid(session, ALICE, &Setup::default())?;
                        let options =
                            self.request_options(session, Some(ALICE), &Setup::default())?;
                        let body = self.assert_options(&options, &Setup::default())?;
                        self.rp.advance_clock(late(&options)).map_err(rp_setup)?;
                        self.finish_authentication(
                            session,
                            &body,
                            "a valid assertion after 10 times the timeout".into(),
                        )
                    }
                }
            }
            Scenario::AuthenticateAfterRejected {
                registration,
                rejected,
                then,
            } => {
                self.register_valid(session, ALICE, registration)?;
                let body = self.assertion(session, Some(ALICE), rejected)?;
                let reply = self
                    .rp
                    .finish_authentication(session, &body)
                    .map_err(transport)?;
                if answer(reply) == Answer::Accepted {
                    return Err(NotJudged::Error(format!(
                        "setup: the RP accepted {}",
                        describe(rejected)
                    )));
                }
                let body = self.assertion(session, Some(ALICE), then)?;
                self.finish_authentication(
                    session,
                    &body,
                    format!(
                        "{} after a rejected assertion with {}",
                        describe(then),
                        describe(rejected)
                    ),
                )
            }
            Scenario::CreationOptions(probe) => super::probe::creation(self, *probe),
            Scenario::RequestOptions(probe) => super::probe::request(self, *probe),
            _ => Err(NotJudged::Error(
                "harness: scenario has no runner (a bug in webauthn-conformance)".into(),
            )),
        }
    }

    fn expect_accepted_registration(
        &mut self,
        session: SessionId,
        body: &str,
    ) -> Result<(), NotJudged> {
        match self
            .rp
            .finish_registration(session, body)
            .map_err(transport)?
        {
            Reply::Ok(()) => Ok(()),
            Reply::Failed(why) => Err(NotJudged::Error(format!(
                "setup: the RP rejected a valid registration: {why}"
            ))),
            Reply::Erroring(why) => Err(NotJudged::Error(format!(
                "setup: the RP errored on a valid registration: {why}"
            ))),
        }
    }

    /// Answers request options already fetched.
    fn assert_options(
        &mut self,
        options: &serde_json::Value,
        setup: &Setup,
    ) -> Result<String, NotJudged> {
        self.apply(setup);
        self.client
            .authenticate(options, &setup.mutations)
            .map(|a| a.body)
            .map_err(client_error)
    }

    /// Runs `steps` with a second authenticator in the client, then puts the first one back.
    fn on_second_authenticator<T>(
        &mut self,
        steps: impl FnOnce(&mut Self) -> Result<T, NotJudged>,
    ) -> Result<T, NotJudged> {
        let second = self.fresh_client("second authenticator");
        let first = std::mem::replace(&mut self.client, second);
        let result = steps(self);
        self.client = first;
        result
    }

    fn fresh_client(&mut self, label: &str) -> VirtualClient {
        let drbg = Drbg::from_ikm(&self.client.authenticator.draw(label, 32));
        VirtualClient::new(
            &self.origin,
            VirtualAuthenticator::new(Default::default(), drbg),
        )
    }

    pub(super) fn latest_credential(
        &self,
    ) -> Result<crate::authenticator::StoredCredential, NotJudged> {
        self.client
            .authenticator
            .credentials()
            .last()
            .cloned()
            .ok_or_else(|| NotJudged::Error("setup: the authenticator holds no credential".into()))
    }

    fn apply(&mut self, setup: &Setup) {
        self.client.authenticator.config = setup.authenticator.clone();
        // Time-stamped statements (safetynet) carry the RP's time, not the harness's.
        self.client.authenticator.config.clock_ms = self.rp.clock_unix_ms();
        self.client.origin = setup.origin.unwrap_or(&self.origin).to_owned();
        self.client.cross_origin = setup.cross_origin;
        self.client.top_origin = setup.top_origin.map(str::to_owned);
        self.client.shape = setup.shape;
    }

    pub(super) fn creation_options(
        &mut self,
        session: SessionId,
        username: &str,
        setup: &Setup,
    ) -> Result<serde_json::Value, NotJudged> {
        let request = ServerCreationOptionsRequest {
            username: Some(username.to_owned()),
            display_name: Some(format!("{username} (test user)")),
            authenticator_selection: Some(AuthenticatorSelection {
                resident_key: setup.discoverable.then(|| "required".to_owned()),
                require_resident_key: setup.discoverable.then_some(true),
                user_verification: setup.user_verification.map(str::to_owned),
                ..AuthenticatorSelection::default()
            }),
            attestation: Some(setup.attestation.to_owned()),
            extensions: None,
        };
        let reply = self
            .rp
            .registration_options(session, &request)
            .map_err(transport)?;
        ok_options(reply, "creation options")
    }

    pub(super) fn request_options(
        &mut self,
        session: SessionId,
        username: Option<&str>,
        setup: &Setup,
    ) -> Result<serde_json::Value, NotJudged> {
        let request = ServerGetOptionsRequest {
            username: if setup.discoverable {
                None
            } else {
                username.map(str::to_owned)
            },
            user_verification: setup.user_verification.map(str::to_owned),
            extensions: None,
        };
        let reply = self
            .rp
            .authentication_options(session, &request)
            .map_err(transport)?;
        ok_options(reply, "request options")
    }

    /// Gets creation options and builds the (possibly mutated) response body.
    fn creation(
        &mut self,
        session: SessionId,
        username: &str,
        setup: &Setup,
    ) -> Result<(serde_json::Value, String), NotJudged> {
        let options = self.creation_options(session, username, setup)?;
        self.apply(setup);
        let created = self
            .client
            .register(&options, &setup.mutations)
            .map_err(client_error)?;
        Ok((options, created.body))
    }

    /// A registration the RP must accept before the check proper can run.
    pub(super) fn register_valid(
        &mut self,
        session: SessionId,
        username: &str,
        setup: &Setup,
    ) -> Result<String, NotJudged> {
        let (_, body) = self.creation(session, username, setup)?;
        self.expect_accepted_registration(session, &body)?;
        Ok(body)
    }

    fn assertion(
        &mut self,
        session: SessionId,
        username: Option<&str>,
        setup: &Setup,
    ) -> Result<String, NotJudged> {
        let options = self.request_options(session, username, setup)?;
        self.apply(setup);
        self.client
            .authenticate(&options, &setup.mutations)
            .map(|a| a.body)
            .map_err(client_error)
    }

    fn assert_with(
        &mut self,
        credential: &crate::authenticator::StoredCredential,
        request: &serde_json::Value,
    ) -> Result<String, NotJudged> {
        let options = RequestOptions::from_json(request)
            .map_err(|e| NotJudged::Error(format!("setup: {e}")))?;
        let rp_id = match options.rp_id {
            Some(id) => id,
            None => self.client.effective_domain().map_err(client_error)?,
        };
        self.client
            .assert_with(credential, &rp_id, &options.challenge.0, &[])
            .map(|a| a.body)
            .map_err(client_error)
    }

    fn expect_accepted_authentication(
        &mut self,
        session: SessionId,
        body: &str,
        what: &str,
    ) -> Result<(), NotJudged> {
        match self
            .rp
            .finish_authentication(session, body)
            .map_err(transport)?
        {
            Reply::Ok(()) => Ok(()),
            Reply::Failed(why) => Err(NotJudged::Error(format!(
                "setup: the RP rejected {what}: {why}"
            ))),
            Reply::Erroring(why) => Err(NotJudged::Error(format!(
                "setup: the RP errored on {what}: {why}"
            ))),
        }
    }

    fn finish_registration(
        &mut self,
        session: SessionId,
        body: &str,
        sent: Sent,
    ) -> Result<(Answer, Sent), NotJudged> {
        let reply = self
            .rp
            .finish_registration(session, body)
            .map_err(transport)?;
        Ok((answer(reply), sent))
    }

    fn finish_authentication(
        &mut self,
        session: SessionId,
        body: &str,
        sent: Sent,
    ) -> Result<(Answer, Sent), NotJudged> {
        let reply = self
            .rp
            .finish_authentication(session, body)
            .map_err(transport)?;
        Ok((answer(reply), sent))
    }
}

/// `body` (AuthenticationResponseJSON) with `response.userHandle` set to `handle`: the user
/// handle is not signed (§6.3.3), so this is what a client can send for any credential.
fn with_user_handle(body: &str, handle: &[u8]) -> Result<String, NotJudged> {
    let mut json: serde_json::Value = serde_json::from_str(body)
        .map_err(|e| NotJudged::Error(format!("setup: the client's body is not JSON: {e}")))?;
    match json.get_mut("response") {
        Some(serde_json::Value::Object(response)) => {
            response.insert(
                "userHandle".into(),
                serde_json::Value::String(b64url::encode(handle)),
            );
        }
        _ => {
            return Err(NotJudged::Error(
                "setup: the client's body has no response object".into(),
            ));
        }
    }
    Ok(json.to_string())
}

fn client_error(err: ClientError) -> NotJudged {
    match err {
        ClientError::NoSupportedAlgorithm { .. } | ClientError::AlgorithmOffer { .. } => {
            NotJudged::Skip(err.to_string())
        }
        other => NotJudged::Error(format!("setup: the virtual client failed: {other}")),
    }
}
