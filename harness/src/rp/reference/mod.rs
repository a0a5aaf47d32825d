//! The reference RP: a strict W3C L3 relying party, in process.
//!
//! It is one RP under test, not the oracle: the catalogue's verdicts come from the spec. It wraps
//! the pure functions of [`verify`] with sessions (the pending challenge per browser session) and
//! an in-memory credential store. [`mutant::Mutant`] switches one verification off.

pub mod mutant;
pub mod verify;

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use crate::codec::b64url;
use crate::codec::cose::CoseAlgorithm;
use crate::codec::options::{
    ServerCreationOptionsRequest, ServerGetOptionsRequest, UserVerification,
};
use crate::drbg::Drbg;

use self::mutant::{Mutant, Switches};
use self::verify::{
    AuthenticationExpectations, Ceremony, ClientDataExpectations, CredentialRecord,
    RegistrationExpectations, TokenBindingPolicy, VerifyError,
};
use super::{Profile, RelyingParty, Reply, RpConfig, RpError, RpFactory, SessionId};

/// Challenge length in bytes (§13.5.3: at least 16).
const CHALLENGE_LEN: usize = 32;
/// User handle length in bytes (1 to 64).
const USER_HANDLE_LEN: usize = 16;
/// Ceremony timeout offered to clients, in milliseconds.
const TIMEOUT_MS: u64 = 60_000;

/// Algorithms the reference RP offers (W3C L3 §5.4 recommends -8, -7, -257; RS256 is not
/// implemented yet, so it is not offered).
const OFFERED_ALGORITHMS: [CoseAlgorithm; 2] = [CoseAlgorithm::Es256, CoseAlgorithm::EdDsa];

#[derive(Debug, Clone)]
enum Pending {
    Registration {
        challenge: Vec<u8>,
        username: String,
        user_handle: Vec<u8>,
        user_verification: UserVerification,
    },
    Authentication {
        challenge: Vec<u8>,
        username: Option<String>,
        allow_credentials: Vec<Vec<u8>>,
        user_verification: UserVerification,
    },
}

/// The reference RP.
#[derive(Debug)]
pub struct ReferenceRp {
    config: RpConfig,
    switches: Switches,
    drbg: Drbg,
    /// Username → user handle, for users with at least one registered credential.
    users: BTreeMap<String, Vec<u8>>,
    credentials: Vec<CredentialRecord>,
    sessions: BTreeMap<SessionId, Pending>,
}

impl ReferenceRp {
    /// A fresh RP with an empty store.
    pub fn new(config: RpConfig, mutant: Option<Mutant>) -> Self {
        let drbg = Drbg::for_label(config.seed, "reference-rp");
        ReferenceRp {
            config,
            switches: Switches(mutant),
            drbg,
            users: BTreeMap::new(),
            credentials: Vec::new(),
            sessions: BTreeMap::new(),
        }
    }

    /// The stored credential records (for tests of state rules).
    pub fn credentials(&self) -> &[CredentialRecord] {
        &self.credentials
    }

    fn client_data_expectations<'a>(&'a self, challenge: &'a [u8]) -> ClientDataExpectations<'a> {
        ClientDataExpectations {
            challenge,
            origins: &self.config.origins,
            allow_cross_origin: self.config.allow_cross_origin,
            top_origins: &self.config.top_origins,
            token_binding: match self.config.profile {
                Profile::Strict => TokenBindingPolicy::Ignore,
                Profile::Fido => TokenBindingPolicy::RejectMalformed,
            },
        }
    }

    /// Takes the pending ceremony out of the session: a challenge is used once (§13.5.3).
    fn take_pending(&mut self, session: SessionId) -> Option<Pending> {
        if self.switches.checks(Mutant::KeepChallengeAfterUse) {
            self.sessions.remove(&session)
        } else {
            self.sessions.get(&session).cloned()
        }
    }

    fn descriptors(&self, handle: &[u8]) -> Vec<Json> {
        self.credentials
            .iter()
            .filter(|c| c.user_handle == handle)
            .map(|c| json!({"type": "public-key", "id": b64url::encode(&c.id)}))
            .collect()
    }

    fn finish_registration_inner(
        &mut self,
        session: SessionId,
        body: &str,
    ) -> Result<(), VerifyError> {
        let Some(Pending::Registration {
            challenge,
            username,
            user_handle,
            user_verification,
        }) = self.take_pending(session)
        else {
            return Err(VerifyError::NoCeremonyInProgress);
        };
        let expected = RegistrationExpectations {
            client_data: self.client_data_expectations(&challenge),
            rp_id: &self.config.rp_id,
            require_user_verification: user_verification == UserVerification::Required,
            offered_algorithms: &OFFERED_ALGORITHMS,
        };
        let verified = verify::verify_registration(body, &expected, &user_handle, self.switches)?;
        // Step 26: the credential ID must not be registered yet, to anyone.
        if self.switches.checks(Mutant::RegSkipDuplicateCredential)
            && self.credentials.iter().any(|c| c.id == verified.record.id)
        {
            return Err(VerifyError::CredentialAlreadyRegistered);
        }
        // Step 29: only now is anything stored.
        self.users.entry(username).or_insert(user_handle);
        self.credentials.push(verified.record);
        Ok(())
    }

    fn finish_authentication_inner(
        &mut self,
        session: SessionId,
        body: &str,
    ) -> Result<(), VerifyError> {
        let Some(Pending::Authentication {
            challenge,
            username,
            allow_credentials,
            user_verification,
        }) = self.take_pending(session)
        else {
            return Err(VerifyError::NoCeremonyInProgress);
        };
        let identified = username
            .as_ref()
            .and_then(|name| self.users.get(name))
            .cloned();
        let require_user_verification = user_verification == UserVerification::Required;
        let expected = AuthenticationExpectations {
            client_data: self.client_data_expectations(&challenge),
            rp_id: &self.config.rp_id,
            require_user_verification,
            // The FIDO tool accepts UP=0 when UV is not required (spec digest §1.4).
            require_user_presence: match self.config.profile {
                Profile::Strict => true,
                Profile::Fido => require_user_verification,
            },
            allow_credentials: &allow_credentials,
            identified_user: identified.as_deref(),
        };
        let verified =
            verify::verify_authentication(body, &expected, &self.credentials, self.switches)?;
        // Step 24: update the record only after every check passed.
        if let Some(record) = self
            .credentials
            .iter_mut()
            .find(|c| c.id == verified.credential_id)
        {
            record.sign_count = verified.sign_count;
            record.backup_state = verified.backup_state;
        }
        Ok(())
    }
}

fn failed<T>(ceremony: Ceremony, error: &VerifyError) -> Reply<T> {
    Reply::Failed(format!("{}: {error}", error.step(ceremony)))
}

impl RelyingParty for ReferenceRp {
    fn registration_options(
        &mut self,
        session: SessionId,
        request: &ServerCreationOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        let Some(username) = request.username.clone().filter(|u| !u.is_empty()) else {
            return Ok(Reply::Failed("username is required".into()));
        };
        let Some(display_name) = request.display_name.clone() else {
            return Ok(Reply::Failed("displayName is required".into()));
        };
        let challenge = self.drbg.bytes("challenge", CHALLENGE_LEN);
        let handle = match self.users.get(&username) {
            Some(handle) => handle.clone(),
            None => self.drbg.bytes("user handle", USER_HANDLE_LEN),
        };
        let selection = request.authenticator_selection.clone().unwrap_or_default();
        let user_verification = UserVerification::parse(selection.user_verification.as_deref());
        let mut options = json!({
            "status": "ok",
            "errorMessage": "",
            "rp": {"name": self.config.rp_name, "id": self.config.rp_id},
            "user": {"id": b64url::encode(&handle), "name": username, "displayName": display_name},
            "challenge": b64url::encode(&challenge),
            "pubKeyCredParams": OFFERED_ALGORITHMS
                .iter()
                .map(|alg| json!({"type": "public-key", "alg": alg.id()}))
                .collect::<Vec<_>>(),
            "timeout": TIMEOUT_MS,
            "excludeCredentials": self.descriptors(&handle),
            "authenticatorSelection": serde_json::to_value(&selection).unwrap_or(Json::Null),
            "attestation": request.attestation.clone().unwrap_or_else(|| "none".into()),
        });
        if let (Some(extensions), Json::Object(map)) = (&request.extensions, &mut options) {
            map.insert("extensions".into(), Json::Object(extensions.clone()));
        }
        self.sessions.insert(
            session,
            Pending::Registration {
                challenge,
                username,
                user_handle: handle,
                user_verification,
            },
        );
        Ok(Reply::Ok(options))
    }

    fn finish_registration(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        Ok(match self.finish_registration_inner(session, credential) {
            Ok(()) => Reply::Ok(()),
            Err(error) => failed(Ceremony::Registration, &error),
        })
    }

    fn authentication_options(
        &mut self,
        session: SessionId,
        request: &ServerGetOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        let username = request.username.clone().filter(|u| !u.is_empty());
        let allow_credentials: Vec<Vec<u8>> = match &username {
            Some(name) => {
                let Some(handle) = self.users.get(name).cloned() else {
                    return Ok(Reply::Failed(format!("user {name:?} does not exist")));
                };
                self.credentials
                    .iter()
                    .filter(|c| c.user_handle == handle)
                    .map(|c| c.id.clone())
                    .collect()
            }
            None => Vec::new(),
        };
        let challenge = self.drbg.bytes("challenge", CHALLENGE_LEN);
        let user_verification = UserVerification::parse(request.user_verification.as_deref());
        let mut options = json!({
            "status": "ok",
            "errorMessage": "",
            "challenge": b64url::encode(&challenge),
            "timeout": TIMEOUT_MS,
            "rpId": self.config.rp_id,
            "allowCredentials": allow_credentials
                .iter()
                .map(|id| json!({"type": "public-key", "id": b64url::encode(id)}))
                .collect::<Vec<_>>(),
            "userVerification": user_verification.as_str(),
        });
        if let (Some(extensions), Json::Object(map)) = (&request.extensions, &mut options) {
            map.insert("extensions".into(), Json::Object(extensions.clone()));
        }
        self.sessions.insert(
            session,
            Pending::Authentication {
                challenge,
                username,
                allow_credentials,
                user_verification,
            },
        );
        Ok(Reply::Ok(options))
    }

    fn finish_authentication(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        Ok(
            match self.finish_authentication_inner(session, credential) {
                Ok(()) => Reply::Ok(()),
                Err(error) => failed(Ceremony::Authentication, &error),
            },
        )
    }
}

/// Makes reference RPs, optionally with one verification switched off.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReferenceFactory {
    /// The switched-off verification, if any.
    pub mutant: Option<Mutant>,
}

impl RpFactory for ReferenceFactory {
    fn name(&self) -> String {
        match self.mutant {
            None => "reference".into(),
            Some(m) => format!("reference (mutant {})", m.name()),
        }
    }

    fn create(&self, config: &RpConfig) -> Result<Box<dyn RelyingParty>, RpError> {
        Ok(Box::new(ReferenceRp::new(config.clone(), self.mutant)))
    }
}
