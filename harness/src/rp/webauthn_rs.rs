//! webauthn-rs (crate `webauthn-rs-core`) as an RP under test, in process.
//!
//! The adapter is the server an integrator writes around the library, and no more: it keeps the
//! pending `RegistrationState`/`AuthenticationState` per browser session (taken out on use, as
//! the library's documentation asks), stores the `Credential`s it returns, refuses a credential ID
//! that is already registered (the caller's job per `register_credential`'s docs, §7.1 step 26),
//! and writes back the counter and backup state of an `AuthenticationResult` (§7.2 step 24). It
//! adds no verification of its own; every verdict is the library's.
//!
//! Attestation follows the library's two flows: a request for `direct` or `enterprise`
//! attestation, or an RP that requires trusted attestation, is verified against an
//! `AttestationCaList` built from the trust store (the library's attested-passkey flow); any
//! other request is verified without one (its passkey flow).
//!
//! Two substitutions keep runs reproducible and change nothing the library checks: challenges
//! are drawn from the run's seed instead of the OS (same length, 32 bytes, put into both the
//! options and the state), and user handles too. What the library cannot be set up for is
//! reported as [`RpError::Unsupported`] (the check is skipped): accepting cross-origin
//! ceremonies (no setter in 0.6) and moving its clock (it keeps no issue time; expiry is the
//! integrator's).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::{Value as Json, json};
use webauthn_rs_core::WebauthnCore;
use webauthn_rs_core::error::WebauthnError;
use webauthn_rs_core::proto::{
    AttestationCaList, AttestationCaListBuilder, AttestationConveyancePreference,
    AuthenticationState, AuthenticatorAttachment, COSEAlgorithm, Credential, PublicKeyCredential,
    RegisterPublicKeyCredential, RegistrationState, UserVerificationPolicy,
};

use super::reference::attestation::TrustStore;
use super::reference::attestation::cert::Cert;
use super::reference::harness_trust_store;
use super::{Rejection, RelyingParty, Reply, RpConfig, RpError, RpFactory, SessionId};
use crate::codec::b64url;
use crate::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use crate::drbg::Drbg;

/// The library version this adapter is built against (the `Cargo.lock` pin), for reports.
pub const VERSION: &str = "0.6.2";
/// Ceremony timeout given to the library, which puts it in the options.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The library's own challenge length (`CHALLENGE_SIZE_BYTES`).
const CHALLENGE_LEN: usize = 32;
/// User handle length in bytes.
const USER_HANDLE_LEN: usize = 16;

/// Where a rejection happened, by the W3C L3 steps the library's error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Parsing the response (§7.1 steps 5-6, 12; §7.2 steps 5-7).
    Parse,
    /// clientDataJSON: type, challenge, origin, crossOrigin (§7.1 steps 7-11; §7.2 steps 11-15).
    ClientData,
    /// Authenticator data: rpIdHash, UP, UV, BE/BS, extensions (§7.1 steps 13-18; §7.2 16-21).
    AuthenticatorData,
    /// The credential public key and its algorithm (§7.1 step 20; §5.8.5).
    CredentialKey,
    /// The attestation statement and its trust (§7.1 steps 19-24; §8).
    Attestation,
    /// The assertion signature (§7.2 step 22).
    Signature,
    /// The credential record: unknown, excluded, counter (§7.1 steps 25-26; §7.2 steps 6, 23).
    Credential,
}

impl Stage {
    fn step(self, registration: bool) -> &'static str {
        match (self, registration) {
            (Stage::Parse, true) => "W3C L3 §7.1 steps 5-6, 12",
            (Stage::Parse, false) => "W3C L3 §7.2 steps 5-7",
            (Stage::ClientData, true) => "W3C L3 §7.1 steps 7-11",
            (Stage::ClientData, false) => "W3C L3 §7.2 steps 11-15",
            (Stage::AuthenticatorData, true) => "W3C L3 §7.1 steps 13-18",
            (Stage::AuthenticatorData, false) => "W3C L3 §7.2 steps 16-21",
            (Stage::CredentialKey, _) => "W3C L3 §7.1 step 20",
            (Stage::Attestation, _) => "W3C L3 §7.1 steps 19-24",
            (Stage::Signature, _) => "W3C L3 §7.2 step 22",
            (Stage::Credential, true) => "W3C L3 §7.1 steps 25-26",
            (Stage::Credential, false) => "W3C L3 §7.2 steps 6, 23",
        }
    }
}

/// What one library error means for the harness: a rejection at a stage (a verdict), or a fault
/// of the adapter or the library's set-up (an error for the check, never a verdict).
///
/// One exhaustive match over `WebauthnError`, so a new library version with a new error does
/// not compile until it is placed.
fn classify(error: &WebauthnError) -> Result<Stage, &'static str> {
    use WebauthnError as E;
    match error {
        E::ParseBase64Failure(_)
        | E::ParseCBORFailure(_)
        | E::ParseJSONFailure(_)
        | E::ParseNOMFailure
        | E::ParseInsufficientBytesAvailable
        | E::AuthenticatorDataMissingExtension
        | E::MissingAttestationCredentialData => Ok(Stage::Parse),
        E::InvalidClientDataType
        | E::MismatchedChallenge
        | E::ChallengeNotFound
        | E::InvalidRPOrigin
        | E::CredentialCrossOrigin => Ok(Stage::ClientData),
        E::InvalidRPIDHash
        | E::UserNotPresent
        | E::UserNotVerified
        | E::InvalidExtensions
        | E::CredentialBackupEligibilityInconsistent
        | E::CredentialMayNotBeHardwareBound => Ok(Stage::AuthenticatorData),
        E::CertificatePublicKeyInvalid
        | E::COSEKeyInvalidCBORValue
        | E::COSEKeyInvalidType
        | E::COSEKeyEDUnsupported
        | E::COSEKeyECDSAXYInvalid
        | E::COSEKeyRSANEInvalid
        | E::COSEKeyECDSAInvalidCurve
        | E::COSEKeyEDDSAXInvalid
        | E::COSEKeyEDDSAInvalidCurve
        | E::COSEKeyInvalidAlgorithm
        | E::CredentialInsecureCryptography
        | E::CredentialAlteredAlgFromRequest
        | E::ECDSACurveInvalidNid
        | E::EcdsaPointInvalid
        | E::RsaParametersInvalid
        | E::HmacKeyInvalid
        // The library reuses its SSH-key errors for COSE keys (an OKP key is refused with
        // SshPublicKeyEDUnsupported).
        | E::SshPublicKeyBackupState
        | E::SshPublicKeyEDUnsupported
        | E::SshPublicKeyInvalidCurve
        | E::SshPublicKeyInvalidPubkey
        | E::SshPublicKeyInconsistentUserVerification => Ok(Stage::CredentialKey),
        E::AttestationNotSupported
        | E::AttestationStatementMapInvalid
        | E::AttestationStatementResponseMissing
        | E::AttestationStatementResponseInvalid
        | E::AttestationStatementSigMissing
        | E::AttestationStatementSigInvalid
        | E::AttestationStatementVerMissing
        | E::AttestationStatementVerInvalid
        | E::AttestationStatementVerUnsupported
        | E::AttestationStatementX5CMissing
        | E::AttestationStatementX5CInvalid
        | E::AttestationStatementAlgMissing
        | E::AttestationStatementCertInfoMissing
        | E::AttestationStatementMissingExtension
        | E::AttestationStatementPubAreaMissing
        | E::AttestationStatementAlgMismatch
        | E::AttestationStatementAlgInvalid
        | E::AttestationTrustFailure
        | E::AttestationCertificateAAGUIDMismatch
        | E::AttestationCertificateNonceMismatch
        | E::AttestationTpmStInvalid
        | E::AttestationTpmPubAreaMismatch
        | E::AttestationTpmExtraDataInvalid
        | E::AttestationTpmExtraDataMismatch
        | E::AttestationTpmPubAreaHashUnknown
        | E::AttestationTpmPubAreaHashInvalid
        | E::AttestationTpmAttestCertifyInvalid
        | E::AttestationCertificateRequirementsNotMet
        | E::AttestationCertificateTrustStoreEmpty
        | E::AttestationLeafCertMissing
        | E::AttestationNotVerifiable
        | E::AttestationUntrustedAaguid
        | E::AttestationFormatMissingAaguid
        | E::AttestationChainNotTrusted(_)
        | E::AttestationCredentialSubjectKeyMismatch
        | E::CertificatePublicKeyAlgorthimMismatch
        | E::X509DerInvalid
        | E::TrustFailure => Ok(Stage::Attestation),
        E::SignatureInvalid | E::AuthenticationFailure => Ok(Stage::Signature),
        E::CredentialAlreadyExists
        | E::CredentialNotFound
        | E::CredentialExcludedFromRequest
        | E::CredentialPossibleCompromise
        | E::InconsistentUserVerificationPolicy => Ok(Stage::Credential),
        // The adapter's or the library's set-up, not the response: never a verdict.
        E::Configuration => Err("the library's configuration is invalid"),
        E::MissingAttestationCaList => Err("an empty attestation CA list was given"),
        E::ChallengePersistenceError
        | E::CredentialPersistenceError
        | E::CredentialRetrievalError
        | E::CredentialExistCheckError
        | E::CredentialCounterUpdateFailure
        | E::CredentialCompromiseReportFailure => Err("a storage callback failed"),
        E::InvalidUsername | E::InvalidUserUniqueId => Err("the adapter passed a bad user"),
    }
}

/// The answer for a library error: a rejection citing the spec steps, or an adapter fault.
fn refusal<T>(error: &WebauthnError, registration: bool) -> Result<Reply<T>, RpError> {
    match classify(error) {
        Ok(stage) => Ok(Reply::Failed(Rejection::message(format!(
            "{}: webauthn-rs {error:?}: {error}",
            stage.step(registration)
        )))),
        Err(why) => Err(RpError::Protocol(format!(
            "webauthn-rs adapter: {why}: {error:?}"
        ))),
    }
}

#[derive(Debug)]
enum Pending {
    Registration {
        state: RegistrationState,
        username: String,
        user_handle: Vec<u8>,
        attested: bool,
    },
    Authentication {
        state: AuthenticationState,
        /// `None` for a discoverable (username-less) ceremony.
        username: Option<String>,
    },
}

#[derive(Debug)]
struct User {
    handle: Vec<u8>,
    credentials: Vec<Credential>,
}

/// One webauthn-rs relying party with an in-memory store.
pub struct WebauthnRsRp {
    core: WebauthnCore,
    require_trusted_attestation: bool,
    /// The library's default algorithms plus `RpConfig::extra_algorithms` it knows.
    credential_algorithms: Vec<COSEAlgorithm>,
    ca_list: Arc<AttestationCaList>,
    drbg: Drbg,
    users: BTreeMap<String, User>,
    sessions: BTreeMap<SessionId, Pending>,
}

impl std::fmt::Debug for WebauthnRsRp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebauthnRsRp")
            .field("origins", &self.core.get_allowed_origins())
            .field("users", &self.users.len())
            .finish_non_exhaustive()
    }
}

impl WebauthnRsRp {
    /// A fresh RP set up as `config` says, trusting `ca_list` for attested registrations.
    pub fn new(config: &RpConfig, ca_list: Arc<AttestationCaList>) -> Result<Self, RpError> {
        if config.allow_cross_origin || !config.top_origins.is_empty() {
            return Err(RpError::Unsupported(
                "webauthn-rs-core 0.6 has no setting to accept cross-origin ceremonies".into(),
            ));
        }
        let origins = config
            .origins
            .iter()
            .map(|origin| {
                url::Url::parse(origin)
                    .map_err(|e| RpError::Unsupported(format!("origin {origin:?}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let core = WebauthnCore::new_unsafe_experts_only(
            &config.rp_name,
            &config.rp_id,
            origins,
            TIMEOUT,
            None,
            None,
        );
        Ok(WebauthnRsRp {
            core,
            require_trusted_attestation: config.require_trusted_attestation,
            credential_algorithms: {
                let mut algs = COSEAlgorithm::secure_algs();
                for &id in &config.extra_algorithms {
                    if let Ok(alg) = COSEAlgorithm::try_from(i128::from(id))
                        && !algs.contains(&alg)
                    {
                        algs.push(alg);
                    }
                }
                algs
            },
            ca_list,
            drbg: Drbg::for_label(config.seed, "webauthn-rs"),
            users: BTreeMap::new(),
            sessions: BTreeMap::new(),
        })
    }

    /// Replaces the library's OS-random challenge with a seeded one of the same length, in the
    /// options (`publicKey.challenge`) and in the state, through their serde forms.
    fn seeded_challenge<S>(&mut self, options: &mut Json, state: S) -> Result<S, RpError>
    where
        S: serde::Serialize + serde::de::DeserializeOwned,
    {
        let challenge = b64url::encode(&self.drbg.bytes("challenge", CHALLENGE_LEN));
        let fault = |e: serde_json::Error| RpError::Protocol(format!("webauthn-rs state: {e}"));
        let mut state = serde_json::to_value(state).map_err(fault)?;
        for slot in [options.get_mut("challenge"), state.get_mut("challenge")] {
            match slot {
                Some(value) => *value = Json::String(challenge.clone()),
                None => {
                    return Err(RpError::Protocol(
                        "webauthn-rs options or state without a challenge".into(),
                    ));
                }
            }
        }
        serde_json::from_value(state).map_err(fault)
    }
}

fn user_verification(text: Option<&str>) -> UserVerificationPolicy {
    match text {
        Some("required") => UserVerificationPolicy::Required,
        Some("discouraged") => UserVerificationPolicy::Discouraged_DO_NOT_USE,
        _ => UserVerificationPolicy::Preferred,
    }
}

fn conveyance(text: Option<&str>) -> AttestationConveyancePreference {
    match text {
        Some("direct") | Some("enterprise") => AttestationConveyancePreference::Direct,
        Some("indirect") => AttestationConveyancePreference::Indirect,
        _ => AttestationConveyancePreference::None,
    }
}

/// The FIDO ServerResponse: the options' members plus `status` and `errorMessage`.
fn server_response<T: serde::Serialize>(options: &T) -> Result<Json, RpError> {
    let mut json = serde_json::to_value(options)
        .map_err(|e| RpError::Protocol(format!("webauthn-rs options: {e}")))?;
    if let Json::Object(map) = &mut json {
        map.insert("status".into(), json!("ok"));
        map.insert("errorMessage".into(), json!(""));
    }
    Ok(json)
}

impl RelyingParty for WebauthnRsRp {
    fn registration_options(
        &mut self,
        session: SessionId,
        request: &ServerCreationOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        let username = request.username.clone().unwrap_or_default();
        let display_name = request.display_name.clone().unwrap_or_default();
        if username.is_empty() || display_name.is_empty() {
            // The library refuses these itself (InvalidUsername); the adapter says why.
            return Ok(Reply::Failed(Rejection::message(
                "username and displayName are required",
            )));
        }
        let (user_handle, exclude) = match self.users.get(&username) {
            Some(user) => (
                user.handle.clone(),
                user.credentials.iter().map(|c| c.cred_id.clone()).collect(),
            ),
            None => (self.drbg.bytes("user handle", USER_HANDLE_LEN), Vec::new()),
        };
        let selection = request.authenticator_selection.clone().unwrap_or_default();
        let attestation = conveyance(request.attestation.as_deref());
        let attested = self.require_trusted_attestation
            || matches!(attestation, AttestationConveyancePreference::Direct);
        let builder = self
            .core
            .new_challenge_register_builder(&user_handle, &username, &display_name)
            .map(|b| {
                b.attestation(attestation)
                    .credential_algorithms(self.credential_algorithms.clone())
                    .user_verification_policy(user_verification(
                        selection.user_verification.as_deref(),
                    ))
                    .exclude_credentials(Some(exclude))
                    .require_resident_key(
                        selection.resident_key.as_deref() == Some("required")
                            || selection.require_resident_key == Some(true),
                    )
                    .authenticator_attachment(match selection.authenticator_attachment.as_deref() {
                        Some("platform") => Some(AuthenticatorAttachment::Platform),
                        Some("cross-platform") => Some(AuthenticatorAttachment::CrossPlatform),
                        _ => None,
                    })
            });
        let (options, state) = match builder.and_then(|b| self.core.generate_challenge_register(b))
        {
            Ok(made) => made,
            Err(error) => return refusal(&error, true),
        };
        let mut options = server_response(&options.public_key)?;
        let state = self.seeded_challenge(&mut options, state)?;
        self.sessions.insert(
            session,
            Pending::Registration {
                state,
                username,
                user_handle,
                attested,
            },
        );
        Ok(Reply::Ok(options))
    }

    fn finish_registration(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        let Some(Pending::Registration {
            state,
            username,
            user_handle,
            attested,
        }) = self.sessions.remove(&session)
        else {
            return Ok(Reply::Failed(Rejection::message(
                "W3C L3 §7.1 step 9: no registration in progress in this session",
            )));
        };
        let response: RegisterPublicKeyCredential = match serde_json::from_str(credential) {
            Ok(response) => response,
            Err(error) => return refusal(&WebauthnError::ParseJSONFailure(error), true),
        };
        let ca_list = attested.then_some(self.ca_list.as_ref());
        let registered = match self.core.register_credential(&response, &state, ca_list) {
            Ok(registered) => registered,
            Err(error) => return refusal(&error, true),
        };
        // §7.1 step 26, which the library leaves to its caller.
        let taken = self
            .users
            .values()
            .flat_map(|u| &u.credentials)
            .any(|c| c.cred_id == registered.cred_id);
        if taken {
            return refusal(&WebauthnError::CredentialAlreadyExists, true);
        }
        self.users
            .entry(username)
            .or_insert_with(|| User {
                handle: user_handle,
                credentials: Vec::new(),
            })
            .credentials
            .push(registered);
        Ok(Reply::Ok(()))
    }

    fn authentication_options(
        &mut self,
        session: SessionId,
        request: &ServerGetOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        let username = request.username.clone().filter(|u| !u.is_empty());
        let credentials = match &username {
            Some(name) => match self.users.get(name) {
                Some(user) => user.credentials.clone(),
                None => {
                    return Ok(Reply::Failed(Rejection::message(format!(
                        "user {name:?} does not exist"
                    ))));
                }
            },
            // Discoverable: the credentials are set once the user handle names the user.
            None => Vec::new(),
        };
        let policy = user_verification(request.user_verification.as_deref());
        let made = self
            .core
            .new_challenge_authenticate_builder(credentials, Some(policy))
            .and_then(|b| self.core.generate_challenge_authenticate(b));
        let (options, state) = match made {
            Ok(made) => made,
            Err(error) => return refusal(&error, false),
        };
        let mut options = server_response(&options.public_key)?;
        let state = self.seeded_challenge(&mut options, state)?;
        self.sessions
            .insert(session, Pending::Authentication { state, username });
        Ok(Reply::Ok(options))
    }

    fn finish_authentication(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        let Some(Pending::Authentication {
            mut state,
            username,
        }) = self.sessions.remove(&session)
        else {
            return Ok(Reply::Failed(Rejection::message(
                "W3C L3 §7.2 step 12: no authentication in progress in this session",
            )));
        };
        let response: PublicKeyCredential = match serde_json::from_str(credential) {
            Ok(response) => response,
            Err(error) => return refusal(&WebauthnError::ParseJSONFailure(error), false),
        };
        let username = match username {
            Some(name) => name,
            None => {
                // §7.2 step 6: the user handle names the user; then that user's credentials
                // are the allowed ones (`set_allowed_credentials`, as the library documents).
                let owner = response.get_user_unique_id().and_then(|handle| {
                    self.users
                        .iter()
                        .find(|(_, user)| user.handle == handle)
                        .map(|(name, _)| name.clone())
                });
                let Some(name) = owner else {
                    return refusal(&WebauthnError::CredentialNotFound, false);
                };
                let credentials = self
                    .users
                    .get(&name)
                    .map(|u| u.credentials.clone())
                    .unwrap_or_default();
                state.set_allowed_credentials(credentials);
                name
            }
        };
        let result = match self.core.authenticate_credential(&response, &state) {
            Ok(result) => result,
            Err(error) => return refusal(&error, false),
        };
        // §7.2 step 24: store the new counter and backup state.
        if result.needs_update()
            && let Some(stored) = self.users.get_mut(&username).and_then(|u| {
                u.credentials
                    .iter_mut()
                    .find(|c| &c.cred_id == result.cred_id())
            })
        {
            stored.counter = result.counter();
            stored.backup_state = result.backup_state();
        }
        Ok(Reply::Ok(()))
    }
}

/// Makes webauthn-rs RPs, trusting the harness metadata's anchors unless told otherwise.
#[derive(Debug, Clone, Default)]
pub struct WebauthnRsFactory {
    /// The anchors as the library's CA list, built once (§7.1 step 23); `None` is the harness
    /// metadata's, built once per process.
    ca_list: Option<Result<Arc<AttestationCaList>, RpError>>,
}

impl WebauthnRsFactory {
    /// This factory with the anchors of a metadata file instead. A store the library cannot
    /// load makes every check an error, with the reason.
    pub fn with_trust_store(mut self, trust_store: TrustStore) -> Self {
        self.ca_list = Some(ca_list(&trust_store).map(Arc::new));
        self
    }

    fn ca_list(&self) -> Result<Arc<AttestationCaList>, RpError> {
        match &self.ca_list {
            Some(list) => list.clone(),
            None => {
                static HARNESS: OnceLock<Result<Arc<AttestationCaList>, RpError>> = OnceLock::new();
                HARNESS
                    .get_or_init(|| ca_list(harness_trust_store()?).map(Arc::new))
                    .clone()
            }
        }
    }
}

/// The trust store as the library's CA list: each root with the AAGUIDs it vouches for
/// (`AttestationCaListBuilder::insert_device_der`), and roots for any AAGUID as the library's
/// "blanket" CAs (a list read from PEM).
///
/// A root bound to the all-zero AAGUID vouches for authenticators that have none (fido-u2f,
/// §8.6; Apple's anonymous attestation) or whose AAGUID the library does not read
/// (android-key). The library checks AAGUID bindings for packed and tpm only and refuses every
/// other format under a bound root (`AttestationFormatMissingAaguid`), so an integrator
/// trusting such devices loads that root blanket, as the adapter does: binding it would fail
/// U2F-01, AK-01 and APL-01 on the adapter, not on the library.
fn ca_list(store: &TrustStore) -> Result<AttestationCaList, RpError> {
    let fault = |e| RpError::Protocol(format!("webauthn-rs CA list: {e:?}"));
    let mut builder = AttestationCaListBuilder::new();
    let mut blanket: Vec<&Cert> = store.any_aaguid_roots().iter().collect();
    for (aaguid, root) in store.roots_by_aaguid() {
        if *aaguid == [0; 16] {
            blanket.push(root);
            continue;
        }
        builder
            .insert_device_der(
                &root.der,
                uuid_from(aaguid),
                "webauthn-conformance trust store".into(),
                BTreeMap::new(),
            )
            .map_err(fault)?;
    }
    let mut list = builder.build();
    for root in blanket {
        use x509_cert::der::EncodePem as _;
        let pem = root
            .parsed
            .to_pem(x509_cert::der::pem::LineEnding::LF)
            .map_err(|e| RpError::Protocol(format!("webauthn-rs CA list: {e}")))?;
        list.union(&AttestationCaList::try_from(pem.as_bytes()).map_err(fault)?);
    }
    Ok(list)
}

fn uuid_from(aaguid: &[u8; 16]) -> uuid::Uuid {
    uuid::Uuid::from_bytes(*aaguid)
}

impl RpFactory for WebauthnRsFactory {
    fn name(&self) -> String {
        format!("webauthn-rs {VERSION}")
    }

    fn cli_args(&self) -> String {
        "--rp webauthn-rs".into()
    }

    fn create(&self, config: &RpConfig) -> Result<Box<dyn RelyingParty>, RpError> {
        Ok(Box::new(WebauthnRsRp::new(config, self.ca_list()?)?))
    }
}
