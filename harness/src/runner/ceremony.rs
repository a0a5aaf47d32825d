//! One virtual client's session with the RP under test: the steps every scenario is made of
//! (ask for options, make a response, send it, judge the answer), shared by the scenario
//! dispatch (`execute`) and the options probes (`probe`).

use crate::authenticator::{ClientError, VirtualAuthenticator, VirtualClient};
use crate::checks::Setup;
use crate::codec::b64url;
use crate::codec::options::{
    AuthenticatorSelection, RequestOptions, ServerCreationOptionsRequest, ServerGetOptionsRequest,
};
use crate::drbg::Drbg;
use crate::rp::{RelyingParty, Reply, RpError, SessionId};

use super::{NotJudged, ok_options};

/// The user every scenario registers first.
pub(super) const ALICE: &str = "alice";
/// A second user, for the scenarios about credential ownership (§7.2 step 6).
pub(super) const BOB: &str = "bob";

/// What the harness sent at the decisive step, for the report.
pub(super) type Sent = String;

/// A fresh RP and the virtual client talking to it, for one scenario.
pub(super) struct Run {
    pub(super) rp: Box<dyn RelyingParty>,
    pub(super) client: VirtualClient,
    pub(super) origin: String,
}

pub(super) fn transport(err: RpError) -> NotJudged {
    NotJudged::Error(err.to_string())
}

/// An RP that cannot be set up as the check needs skips it; other faults are errors.
pub(super) fn rp_setup(err: RpError) -> NotJudged {
    match err {
        RpError::Unsupported(why) => NotJudged::Skip(why),
        other => NotJudged::Error(other.to_string()),
    }
}

impl Run {
    pub(super) fn expect_accepted_registration(
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
    pub(super) fn assert_options(
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
    pub(super) fn on_second_authenticator<T>(
        &mut self,
        steps: impl FnOnce(&mut Self) -> Result<T, NotJudged>,
    ) -> Result<T, NotJudged> {
        let second = self.fresh_client("second authenticator");
        let first = std::mem::replace(&mut self.client, second);
        let result = steps(self);
        self.client = first;
        result
    }

    pub(super) fn fresh_client(&mut self, label: &str) -> VirtualClient {
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

    pub(super) fn apply(&mut self, setup: &Setup) {
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
    pub(super) fn creation(
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

    pub(super) fn assertion(
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

    pub(super) fn assert_with(
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

    pub(super) fn expect_accepted_authentication(
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

    pub(super) fn finish_registration(
        &mut self,
        session: SessionId,
        body: &str,
        sent: Sent,
    ) -> Result<(Reply<()>, Sent), NotJudged> {
        let reply = self
            .rp
            .finish_registration(session, body)
            .map_err(transport)?;
        Ok((reply, sent))
    }

    pub(super) fn finish_authentication(
        &mut self,
        session: SessionId,
        body: &str,
        sent: Sent,
    ) -> Result<(Reply<()>, Sent), NotJudged> {
        let reply = self
            .rp
            .finish_authentication(session, body)
            .map_err(transport)?;
        Ok((reply, sent))
    }
}

/// `body` (AuthenticationResponseJSON) with `response.userHandle` set to `handle`: the user
/// handle is not signed (§6.3.3), so this is what a client can send for any credential.
pub(super) fn with_user_handle(body: &str, handle: &[u8]) -> Result<String, NotJudged> {
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

pub(super) fn client_error(err: ClientError) -> NotJudged {
    match err {
        ClientError::NoSupportedAlgorithm { .. } | ClientError::AlgorithmOffer { .. } => {
            NotJudged::Skip(err.to_string())
        }
        other => NotJudged::Error(format!("setup: the virtual client failed: {other}")),
    }
}
