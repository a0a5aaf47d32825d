//! The reference RP: a strict W3C L3 relying party, in process.
//!
//! It is one RP under test, not the oracle: the catalogue's verdicts come from the spec. It wraps
//! the pure functions of [`verify`] with sessions (the pending challenge per browser session) and
//! an in-memory credential store. [`mutant::Mutant`] switches one verification off.

pub mod attestation;
mod error;
mod lenient;
pub mod mutant;
pub mod rule;
pub mod verify;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde_json::{Value as Json, json};

use crate::codec::b64url;
use crate::codec::cose::CoseAlgorithm;
use crate::codec::options::{
    ServerCreationOptionsRequest, ServerGetOptionsRequest, UserVerification,
};
use crate::drbg::Drbg;

use self::attestation::{AttestationPolicy, TrustStore};
use self::mutant::{Mutant, Switches};
use self::verify::{
    AuthenticationExpectations, Ceremony, ClientDataExpectations, CredentialRecord,
    RegistrationExpectations, TokenBindingPolicy, VerifyError,
};
use super::{Profile, Rejection, RelyingParty, Reply, RpConfig, RpError, RpFactory, SessionId};

/// Challenge length in bytes (§13.5.3: at least 16).
const CHALLENGE_LEN: usize = 32;
/// User handle length in bytes (1 to 64).
const USER_HANDLE_LEN: usize = 16;
/// What the RP's clock 0 means for certificate validity: the harness's pinned "now"
/// (2026-06-01T00:00:00Z), so the test PKI never expires (the W3C test certificates are valid
/// 2024-3024 as well).
const CLOCK_EPOCH_UNIX: u64 = crate::crypto::pki::NOW;
/// Ceremony timeout offered to clients, in milliseconds.
const TIMEOUT_MS: u64 = 60_000;

/// Algorithms the reference RP offers in both profiles, most preferred first: the three that
/// W3C L3 §5.4 recommends (-8, -7, -257), then the rest of the ECDSA, RSASSA-PSS and PKCS#1 v1.5
/// family. ES256K is deliberately absent: it is the algorithm that REG-AO-17 sends unasked.
const OFFERED_ALGORITHMS: [CoseAlgorithm; 10] = [
    CoseAlgorithm::Es256,
    CoseAlgorithm::EdDsa,
    CoseAlgorithm::Rs256,
    CoseAlgorithm::Es384,
    CoseAlgorithm::Es512,
    CoseAlgorithm::Ps256,
    CoseAlgorithm::Ps384,
    CoseAlgorithm::Ps512,
    CoseAlgorithm::Rs384,
    CoseAlgorithm::Rs512,
];

#[derive(Debug, Clone)]
struct Pending {
    /// When the options were issued, on the RP's clock.
    issued_at_ms: u64,
    ceremony: PendingCeremony,
}

#[derive(Debug, Clone)]
enum PendingCeremony {
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
    /// The RP's clock in milliseconds; only [`RelyingParty::advance_clock`] moves it.
    now_ms: u64,
    /// Attestation policy (§7.1 step 24): none and self accepted, no trust anchors, so full
    /// attestation is rejected until a catalogue check brings its anchor.
    attestation_policy: AttestationPolicy,
}

impl PendingCeremony {
    fn challenge(&self) -> &[u8] {
        match self {
            PendingCeremony::Registration { challenge, .. }
            | PendingCeremony::Authentication { challenge, .. } => challenge,
        }
    }
}

impl ReferenceRp {
    /// A fresh RP with an empty credential store that trusts `trust_store`'s anchors (§7.1
    /// step 23).
    pub fn new(config: RpConfig, mutant: Option<Mutant>, trust_store: TrustStore) -> Self {
        let drbg = Drbg::for_label(config.seed, "reference-rp");
        let fido_rules = config.profile == Profile::Fido;
        let accept_untrusted = !config.require_trusted_attestation;
        ReferenceRp {
            config,
            switches: Switches(mutant),
            drbg,
            users: BTreeMap::new(),
            credentials: Vec::new(),
            sessions: BTreeMap::new(),
            now_ms: 0,
            attestation_policy: AttestationPolicy {
                trust_store,
                fido_rules,
                accept_none: accept_untrusted,
                accept_self: accept_untrusted,
                ..AttestationPolicy::default()
            },
        }
    }

    /// The algorithms offered in pubKeyCredParams and accepted at §7.1 step 20.
    fn offered_algorithms(&self) -> Vec<CoseAlgorithm> {
        let mut offered = OFFERED_ALGORITHMS.to_vec();
        // RS1 (SHA-1) is deprecated by IANA, but the FIDO conformance tool requires it (Resp-4
        // P-8; check OPT-C-08), so only the fido profile offers it.
        if self.config.profile == Profile::Fido && self.switches.checks(Mutant::OptNoRs1) {
            offered.push(CoseAlgorithm::Rs1);
        }
        if !self.switches.checks(Mutant::OptNoEs256) {
            offered.retain(|alg| *alg != CoseAlgorithm::Es256);
        }
        for &id in &self.config.extra_algorithms {
            let alg = CoseAlgorithm::from_id(id);
            if !offered.contains(&alg) {
                offered.push(alg);
            }
        }
        offered
    }

    /// The stored credential records (for tests of state rules).
    pub fn credentials(&self) -> &[CredentialRecord] {
        &self.credentials
    }

    fn client_data_expectations<'a>(&'a self, challenge: &'a [u8]) -> ClientDataExpectations<'a> {
        ClientDataExpectations {
            challenge,
            rp_id: &self.config.rp_id,
            origins: &self.config.origins,
            allow_cross_origin: self.config.allow_cross_origin,
            top_origins: &self.config.top_origins,
            token_binding: match self.config.profile {
                Profile::Strict => TokenBindingPolicy::Ignore,
                Profile::Fido => TokenBindingPolicy::RejectMalformed,
            },
        }
    }

    /// Takes the pending ceremony out of the session: a challenge is used once and only within
    /// the timeout (§13.5.3).
    fn take_pending(&mut self, session: SessionId, body: &str) -> Result<Pending, VerifyError> {
        let session = if self.switches.checks(Mutant::ChallengeAnySession) {
            session
        } else {
            // The mutant looks the challenge up wherever it was issued.
            let wanted = verify::peek_challenge(body);
            self.sessions
                .iter()
                .find(|(_, p)| Some(p.ceremony.challenge()) == wanted.as_deref())
                .map(|(id, _)| *id)
                .unwrap_or(session)
        };
        let pending = if self.switches.checks(Mutant::KeepChallengeAfterUse) {
            self.sessions.remove(&session)
        } else {
            self.sessions.get(&session).cloned()
        }
        .ok_or(VerifyError::NoCeremonyInProgress)?;
        let age_ms = self.now_ms.saturating_sub(pending.issued_at_ms);
        if self.switches.checks(Mutant::ChallengeNeverExpires) && age_ms > TIMEOUT_MS {
            return Err(VerifyError::ChallengeExpired {
                age_ms,
                timeout_ms: TIMEOUT_MS,
            });
        }
        Ok(pending)
    }

    fn challenge(&mut self) -> Vec<u8> {
        let len = if self.switches.checks(Mutant::OptShortChallenge) {
            CHALLENGE_LEN
        } else {
            8
        };
        if self.switches.checks(Mutant::OptRepeatedChallenge) {
            self.drbg.bytes("challenge", len)
        } else {
            vec![0x42; len]
        }
    }

    fn encode_challenge(&self, challenge: &[u8]) -> String {
        let text = b64url::encode(challenge);
        if self.switches.checks(Mutant::OptPaddedChallenge) || text.len().is_multiple_of(4) {
            text
        } else {
            format!("{text}{}", "=".repeat(4 - text.len() % 4))
        }
    }

    fn rp_id_in_options(&self) -> String {
        if self.switches.checks(Mutant::OptForeignRpId) {
            self.config.rp_id.clone()
        } else {
            "evil.example".into()
        }
    }

    fn timeout(&self) -> u64 {
        if self.switches.checks(Mutant::OptZeroTimeout) {
            TIMEOUT_MS
        } else {
            0
        }
    }

    /// A failure answer for an options request.
    fn refuse(&self, why: &str) -> Reply<Json> {
        if self.switches.checks(Mutant::OptEmptyErrorMessage) {
            Reply::Failed(Rejection::message(why))
        } else {
            Reply::Failed(Rejection::message(""))
        }
    }

    /// Wraps options in the FIDO ServerResponse (`status`, `errorMessage`).
    fn server_response(&self, mut options: Json) -> Json {
        if let Json::Object(map) = &mut options
            && self.switches.checks(Mutant::OptMissingStatus)
        {
            map.insert("status".into(), json!("ok"));
            map.insert("errorMessage".into(), json!(""));
        }
        options
    }

    /// Whether a mutant ignores this error: the `Tolerate` mutant of the one syntax rule it
    /// breaks, or the fail-open mutant of its stage (docs/known-bugs.md #42, #44). The ceremony is
    /// then reported successful.
    fn ignores(&self, ceremony: Ceremony, error: &VerifyError) -> bool {
        if let Some(rule) = rule::Rule::broken_by(error)
            && !self.switches.checks(Mutant::Tolerate(rule))
        {
            return true;
        }
        let mutant = match (ceremony, error) {
            (Ceremony::Registration, VerifyError::Envelope(_)) => Mutant::RegIgnoreEnvelopeErrors,
            (Ceremony::Registration, VerifyError::ClientData(_)) => {
                Mutant::RegIgnoreClientDataErrors
            }
            (
                Ceremony::Registration,
                VerifyError::AttestationObject(_)
                | VerifyError::AuthData(_)
                | VerifyError::MissingAttestedCredentialData,
            ) => Mutant::RegIgnoreAttestationObjectErrors,
            (Ceremony::Registration, VerifyError::CoseKey(_)) => Mutant::RegIgnoreCoseKeyErrors,
            (
                Ceremony::Registration,
                VerifyError::AttestationStatement { .. }
                | VerifyError::AttestationNotTrusted { .. },
            ) => Mutant::RegIgnoreAttestationStatementErrors,
            (Ceremony::Authentication, VerifyError::Envelope(_)) => {
                Mutant::AuthIgnoreEnvelopeErrors
            }
            (Ceremony::Authentication, VerifyError::ClientData(_)) => {
                Mutant::AuthIgnoreClientDataErrors
            }
            (Ceremony::Authentication, VerifyError::AuthData(_)) => {
                Mutant::AuthIgnoreAuthDataErrors
            }
            (Ceremony::Authentication, VerifyError::UnknownCredential) => {
                Mutant::AuthTrustUnknownCredential
            }
            _ => return false,
        };
        !self.switches.checks(mutant)
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
        let offered = self.offered_algorithms();
        let PendingCeremony::Registration {
            challenge,
            username,
            user_handle,
            user_verification,
        } = self.take_pending(session, body)?.ceremony
        else {
            return Err(VerifyError::NoCeremonyInProgress);
        };
        let expected = RegistrationExpectations {
            client_data: self.client_data_expectations(&challenge),
            rp_id: &self.config.rp_id,
            require_user_verification: user_verification == UserVerification::Required,
            offered_algorithms: &offered,
            attestation_policy: &self.attestation_policy,
            now_unix: CLOCK_EPOCH_UNIX + self.now_ms / 1000,
        };
        let verified =
            match verify::verify_registration(body, &expected, &user_handle, self.switches) {
                Ok(verified) => verified,
                Err(error) => {
                    if !self.switches.checks(Mutant::RegStoreOnFailure)
                        && let Some(record) = verify::salvage_registration(body, &user_handle)
                    {
                        self.credentials.push(record);
                    }
                    return Err(error);
                }
            };
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
        let PendingCeremony::Authentication {
            challenge,
            username,
            allow_credentials,
            user_verification,
        } = self.take_pending(session, body)?.ceremony
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
            // The FIDO tool accepts UP=0 when UV is not required (docs/fido-profile.md).
            require_user_presence: match self.config.profile {
                Profile::Strict => true,
                Profile::Fido => require_user_verification,
            },
            allow_credentials: &allow_credentials,
            identified_user: identified.as_deref(),
        };
        let verified = match verify::verify_authentication(
            body,
            &expected,
            &self.credentials,
            self.switches,
        ) {
            Ok(verified) => verified,
            Err(error) => {
                if !self.switches.checks(Mutant::AuthCounterUpdatedOnFailure)
                    && let Some((id, count)) = verify::salvage_sign_count(body)
                    && let Some(record) = self.credentials.iter_mut().find(|c| c.id == id)
                {
                    record.sign_count = count;
                }
                return Err(error);
            }
        };
        // Step 24: update the record only after every check passed.
        let store_count = self.switches.checks(Mutant::AuthCounterNotStored);
        if let Some(record) = self
            .credentials
            .iter_mut()
            .find(|c| c.id == verified.credential_id)
        {
            if store_count {
                record.sign_count = verified.sign_count;
            }
            record.backup_state = verified.backup_state;
            record.uv_initialized |= verified.user_verified;
        }
        Ok(())
    }
}

fn failed<T>(ceremony: Ceremony, error: &VerifyError) -> Reply<T> {
    Reply::Failed(Rejection::at(error.step(ceremony), error.to_string()))
}

/// The reply for a finished ceremony, unless a fail-open mutant swallows the error.
fn verdict(rp: &ReferenceRp, ceremony: Ceremony, outcome: Result<(), VerifyError>) -> Reply<()> {
    match outcome {
        Ok(()) => Reply::Ok(()),
        Err(error) if rp.ignores(ceremony, &error) => Reply::Ok(()),
        Err(error) => failed(ceremony, &error),
    }
}

impl RelyingParty for ReferenceRp {
    fn clock_unix_ms(&self) -> u64 {
        (CLOCK_EPOCH_UNIX * 1000).saturating_add(self.now_ms)
    }

    fn advance_clock(&mut self, by: std::time::Duration) -> Result<(), RpError> {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.now_ms = self.now_ms.saturating_add(by);
        Ok(())
    }

    fn registration_options(
        &mut self,
        session: SessionId,
        request: &ServerCreationOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        let username = match request.username.clone().filter(|u| !u.is_empty()) {
            Some(username) => username,
            None if !self.switches.checks(Mutant::OptAcceptMissingUsername) => "anonymous".into(),
            None => return Ok(self.refuse("username is required")),
        };
        let display_name = match request.display_name.clone() {
            Some(name) if self.switches.checks(Mutant::OptDisplayNameNotEchoed) => name,
            Some(_) => "User".into(),
            None if !self.switches.checks(Mutant::OptAcceptMissingDisplayName) => username.clone(),
            None => return Ok(self.refuse("displayName is required")),
        };
        let challenge = self.challenge();
        let handle = match self.users.get(&username) {
            Some(handle) => handle.clone(),
            None if !self.switches.checks(Mutant::OptLongUserId) => {
                self.drbg.bytes("user handle", 65)
            }
            None => self.drbg.bytes("user handle", USER_HANDLE_LEN),
        };
        let selection = request.authenticator_selection.clone().unwrap_or_default();
        let user_verification = UserVerification::parse(selection.user_verification.as_deref());
        let offered: Vec<Json> = self
            .offered_algorithms()
            .iter()
            .map(|alg| json!({"type": "public-key", "alg": alg.id()}))
            .collect();
        let exclude = if self.switches.checks(Mutant::OptNoExcludeCredentials) {
            self.descriptors(&handle)
        } else {
            Vec::new()
        };
        let attestation = if self.switches.checks(Mutant::OptIgnoreAttestationPreference) {
            request.attestation.clone().unwrap_or_else(|| "none".into())
        } else {
            "direct".into()
        };
        let mut options = json!({
            "rp": {"name": self.config.rp_name, "id": self.rp_id_in_options()},
            "user": {"id": b64url::encode(&handle), "name": username, "displayName": display_name},
            "challenge": self.encode_challenge(&challenge),
            "pubKeyCredParams": offered,
            "timeout": self.timeout(),
            "excludeCredentials": exclude,
            "attestation": attestation,
        });
        if let Json::Object(map) = &mut options {
            if self.switches.checks(Mutant::OptDropAuthenticatorSelection) {
                map.insert(
                    "authenticatorSelection".into(),
                    serde_json::to_value(&selection).unwrap_or(Json::Null),
                );
            }
            if let (Some(extensions), true) = (
                &request.extensions,
                self.switches.checks(Mutant::OptDropExtensions),
            ) {
                map.insert("extensions".into(), Json::Object(extensions.clone()));
            }
        }
        self.sessions.insert(
            session,
            Pending {
                issued_at_ms: self.now_ms,
                ceremony: PendingCeremony::Registration {
                    challenge,
                    username,
                    user_handle: handle,
                    user_verification,
                },
            },
        );
        Ok(Reply::Ok(self.server_response(options)))
    }

    fn finish_registration(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        let outcome = self.finish_registration_inner(session, credential);
        Ok(verdict(self, Ceremony::Registration, outcome))
    }

    fn authentication_options(
        &mut self,
        session: SessionId,
        request: &ServerGetOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        let username = request.username.clone().filter(|u| !u.is_empty());
        let allow_credentials: Vec<Vec<u8>> = match &username {
            Some(name) => match self.users.get(name).cloned() {
                Some(handle) if self.switches.checks(Mutant::OptNoAllowCredentials) => self
                    .credentials
                    .iter()
                    .filter(|c| c.user_handle == handle)
                    .map(|c| c.id.clone())
                    .collect(),
                Some(_) => Vec::new(),
                None if !self.switches.checks(Mutant::OptAcceptUnknownUser) => Vec::new(),
                None => return Ok(self.refuse(&format!("user {name:?} does not exist"))),
            },
            None => Vec::new(),
        };
        let challenge = self.challenge();
        let user_verification = UserVerification::parse(request.user_verification.as_deref());
        let echoed = if self.switches.checks(Mutant::OptUserVerificationNotEchoed) {
            user_verification
        } else {
            UserVerification::Preferred
        };
        let mut options = json!({
            "challenge": self.encode_challenge(&challenge),
            "timeout": self.timeout(),
            "rpId": self.rp_id_in_options(),
            "allowCredentials": allow_credentials
                .iter()
                .map(|id| json!({"type": "public-key", "id": b64url::encode(id)}))
                .collect::<Vec<_>>(),
            "userVerification": echoed.as_str(),
        });
        if let (Some(extensions), Json::Object(map), true) = (
            &request.extensions,
            &mut options,
            self.switches.checks(Mutant::OptDropExtensions),
        ) {
            map.insert("extensions".into(), Json::Object(extensions.clone()));
        }
        self.sessions.insert(
            session,
            Pending {
                issued_at_ms: self.now_ms,
                ceremony: PendingCeremony::Authentication {
                    challenge,
                    username,
                    allow_credentials,
                    user_verification,
                },
            },
        );
        Ok(Reply::Ok(self.server_response(options)))
    }

    fn finish_authentication(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        let outcome = self.finish_authentication_inner(session, credential);
        Ok(verdict(self, Ceremony::Authentication, outcome))
    }
}

/// Makes reference RPs, optionally with one verification switched off.
#[derive(Debug, Clone, Default)]
pub struct ReferenceFactory {
    /// The switched-off verification, if any.
    pub mutant: Option<Mutant>,
    /// The anchors (§7.1 step 23); `None` is the harness metadata, which trusts the virtual
    /// authenticator's test PKI.
    pub trust_store: Option<Arc<TrustStore>>,
}

impl ReferenceFactory {
    /// The reference RP (or one mutant) trusting the harness metadata.
    pub fn new(mutant: Option<Mutant>) -> Self {
        ReferenceFactory {
            mutant,
            trust_store: None,
        }
    }

    /// This factory with the anchors of a metadata file instead.
    pub fn with_trust_store(mut self, trust_store: TrustStore) -> Self {
        self.trust_store = Some(Arc::new(trust_store));
        self
    }
}

/// The harness metadata as a trust store, built once per process.
pub fn harness_trust_store() -> Result<&'static TrustStore, RpError> {
    static STORE: OnceLock<Result<TrustStore, String>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let json = crate::authenticator::attestation::metadata::harness_metadata_json()
                .map_err(|err| err.to_string())?;
            TrustStore::from_json(&json).map_err(|err| err.to_string())
        })
        .as_ref()
        .map_err(|err| RpError::Protocol(format!("harness trust store: {err}")))
}

impl RpFactory for ReferenceFactory {
    fn name(&self) -> String {
        match self.mutant {
            None => "reference".into(),
            Some(m) => format!("reference (mutant {})", m.name()),
        }
    }

    fn cli_args(&self) -> String {
        match self.mutant {
            None => "--rp reference".into(),
            Some(m) => format!("--rp reference --mutant {}", m.name()),
        }
    }

    fn create(&self, config: &RpConfig) -> Result<Box<dyn RelyingParty>, RpError> {
        let trust_store = match &self.trust_store {
            Some(store) => TrustStore::clone(store),
            None => harness_trust_store()?.clone(),
        };
        Ok(Box::new(ReferenceRp::new(
            config.clone(),
            self.mutant,
            trust_store,
        )))
    }
}
