//! Carries out a check's scenario against a fresh RP: one match over every [`Scenario`], so a
//! new scenario does not compile until it is handled here.

use crate::authenticator::{VirtualAuthenticator, VirtualClient};
use crate::checks::{Ceremony, Check, Scenario, Setup};
use crate::codec::b64url;
use crate::codec::cose::CoseAlgorithm;
use crate::codec::options::RequestOptions;
use crate::drbg::Drbg;
use crate::rp::{Profile, Reply, RpError, RpFactory, SessionId};

use super::NotJudged;
use super::ceremony::{ALICE, BOB, Run, Sent, client_error, rp_setup, transport, with_user_handle};

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
) -> Result<(Reply<()>, Sent), NotJudged> {
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
    fn scenario(&mut self, scenario: &Scenario) -> Result<(Reply<()>, Sent), NotJudged> {
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
                    if reply == Reply::Ok(()) {
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
                if reply == Reply::Ok(()) {
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
        }
    }
}
