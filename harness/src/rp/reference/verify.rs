//! Pure WebAuthn verification: W3C L3 §7.1 (registration) and §7.2 (authentication).
//!
//! Every expected value comes in explicitly, so test vectors can drive these functions without an
//! RP around them. Each check cites its step and can be switched off by one [`Mutant`].

use crate::codec::attestation_object::AttestationObject;
use crate::codec::auth_data::{self, AuthenticatorData, Flags};
use crate::codec::b64url;
use crate::codec::cbor::{self, Value};
use crate::codec::client_data::{ClientDataJson, CollectedClientData};
use crate::codec::cose::{CoseAlgorithm, CoseKey};
use crate::codec::wire::{AuthenticationResponse, RegistrationResponse};
use crate::crypto;
use crate::sha256;

use super::attestation::{self, AttCheck, AttestationError, AttestationPolicy};
use super::lenient;
use super::mutant::{Mutant, Switches};

pub use super::error::{Ceremony, VerifyError};

/// How to treat `tokenBinding` (docs/fido-profile.md: the FIDO tool rejects malformed ones; L3 has
/// made the member reserved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenBindingPolicy {
    /// Ignore it (W3C L3).
    Ignore,
    /// Reject a malformed one (FIDO conformance tool).
    RejectMalformed,
}

/// The client-data expectations both ceremonies share.
#[derive(Debug, Clone, Copy)]
pub struct ClientDataExpectations<'a> {
    /// The challenge the RP issued.
    pub challenge: &'a [u8],
    /// The RP ID (only the origin-matching mutants look at it).
    pub rp_id: &'a str,
    /// Origins the RP accepts.
    pub origins: &'a [String],
    /// Whether cross-origin iframes are expected.
    pub allow_cross_origin: bool,
    /// Top-level origins the RP accepts being framed by.
    pub top_origins: &'a [String],
    /// tokenBinding handling.
    pub token_binding: TokenBindingPolicy,
}

/// What a registration must match (§7.1).
#[derive(Debug, Clone, Copy)]
pub struct RegistrationExpectations<'a> {
    /// Client data expectations.
    pub client_data: ClientDataExpectations<'a>,
    /// The RP ID.
    pub rp_id: &'a str,
    /// Whether UV is required (§7.1 step 16).
    pub require_user_verification: bool,
    /// The algorithms offered in pubKeyCredParams (§7.1 step 20).
    pub offered_algorithms: &'a [CoseAlgorithm],
    /// Attestation policy and trust anchors (§7.1 steps 23-24).
    pub attestation_policy: &'a AttestationPolicy,
    /// The verification time for certificate validity, seconds since the Unix epoch.
    pub now_unix: u64,
}

/// A verified new credential (§7.1 step 27).
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedRegistration {
    /// The credential record to store.
    pub record: CredentialRecord,
    /// The attestation statement format.
    pub fmt: String,
}

/// A stored credential (§7.1 step 27 `#credential-record`).
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialRecord {
    /// The credential ID.
    pub id: Vec<u8>,
    /// The owner's user handle.
    pub user_handle: Vec<u8>,
    /// The credential public key.
    pub public_key: CoseKey,
    /// The last signCount seen.
    pub sign_count: u32,
    /// BE at registration.
    pub backup_eligible: bool,
    /// BS last seen.
    pub backup_state: bool,
    /// UV at registration, or since.
    pub uv_initialized: bool,
}

/// Verifies a registration (W3C L3 §7.1) against explicit expectations. The user handle is the
/// one the options named; the duplicate check (step 26) needs the store and is the caller's.
pub fn verify_registration(
    body: &str,
    expected: &RegistrationExpectations,
    user_handle: &[u8],
    switches: Switches,
) -> Result<VerifiedRegistration, VerifyError> {
    // Steps 2-3: a PublicKeyCredential whose response is an attestation response.
    let credential = RegistrationResponse::parse(body)?;
    if switches.checks(Mutant::RegSkipCredentialType) && credential.type_ != "public-key" {
        return Err(VerifyError::CredentialType {
            found: credential.type_,
        });
    }
    let response = &credential.response;

    // Steps 5-11: clientDataJSON.
    let client_data = ClientDataJson::parse(&response.client_data_json)?;
    check_client_data(
        &client_data.data,
        "webauthn.create",
        &expected.client_data,
        switches,
        ClientDataSwitches::REGISTRATION,
    )?;

    // Step 12: hash = SHA-256 of the raw clientDataJSON bytes.
    let client_data_hash = sha256(&client_data.bytes);

    // Step 13: decode the attestation object and its authenticator data.
    let object = AttestationObject::parse(&response.attestation_object)?;
    let auth_data = AuthenticatorData::parse_with(
        &object.auth_data,
        auth_data::ParseOptions {
            max_credential_id_len: if switches.checks(Mutant::RegSkipCredentialIdLength) {
                auth_data::MAX_CREDENTIAL_ID_LEN
            } else {
                usize::from(u16::MAX)
            },
            allow_trailing_bytes: !switches.checks(Mutant::RegAllowTrailingAuthData),
            attested_data_without_at: !switches.checks(Mutant::RegIgnoreAttestedDataFlag),
        },
    )?;
    let Some(attested) = &auth_data.attested_credential_data else {
        return Err(VerifyError::MissingAttestedCredentialData);
    };

    // Step 14: rpIdHash.
    if switches.checks(Mutant::RegSkipRpIdHash)
        && auth_data.rp_id_hash != sha256(expected.rp_id.as_bytes())
    {
        return Err(VerifyError::RpIdHashMismatch {
            rp_id: expected.rp_id.to_owned(),
        });
    }
    // Steps 15-17: flags. (Conditional mediation is not offered, so UP is always required.)
    check_flags(
        auth_data.flags,
        expected.require_user_verification,
        switches,
        [
            Mutant::RegSkipUserPresent,
            Mutant::RegSkipUserPresentWhenVerified,
            Mutant::RegSkipUserVerified,
            Mutant::RegSkipBackupFlags,
        ],
    )?;

    // Step 20: the credential key's alg must have been offered.
    let public_key = CoseKey::from_cbor(&attested.credential_public_key)?;
    if switches.checks(Mutant::RegAllowNonCanonicalCoseKey) {
        check_canonical_cose_key(&attested.credential_public_key)?;
    }
    if switches.checks(Mutant::RegSkipPublicKeyValidation) {
        crypto::check_public_key(&public_key).map_err(VerifyError::InvalidPublicKey)?;
    }
    if switches.checks(Mutant::RegSkipAlgorithm)
        && !expected.offered_algorithms.contains(&public_key.alg())
    {
        return Err(VerifyError::AlgorithmNotOffered {
            alg: public_key.alg().name(),
        });
    }

    // Steps 21-22: the attestation statement, by format.
    verify_attestation_statement(
        &object,
        &auth_data,
        &public_key,
        &client_data_hash,
        expected,
        switches,
    )?;

    // Step 25: credential ID length (the parser enforced it unless switched off).
    if switches.checks(Mutant::RegSkipCredentialIdLength)
        && attested.credential_id.len() > auth_data::MAX_CREDENTIAL_ID_LEN
    {
        return Err(VerifyError::CredentialIdTooLong {
            len: attested.credential_id.len(),
        });
    }

    // Step 27 uses credential.id / rawId: both must name the credential in authData.
    if switches.checks(Mutant::RegSkipIdConsistency) {
        check_id(
            &credential.id,
            credential.raw_id.as_deref(),
            &attested.credential_id,
        )?;
    }

    Ok(VerifiedRegistration {
        record: CredentialRecord {
            id: attested.credential_id.clone(),
            user_handle: user_handle.to_vec(),
            public_key,
            sign_count: if switches.checks(Mutant::RegIgnoreInitialSignCount) {
                auth_data.sign_count
            } else {
                0
            },
            backup_eligible: auth_data.flags.has(Flags::BE),
            backup_state: auth_data.flags.has(Flags::BS),
            uv_initialized: auth_data.flags.has(Flags::UV),
        },
        fmt: object.fmt,
    })
}

/// §7.1 steps 21-24: one dispatch over every §8 format; each attestation mutant switches off one
/// sub-check.
fn verify_attestation_statement(
    object: &AttestationObject,
    auth_data: &AuthenticatorData,
    public_key: &CoseKey,
    client_data_hash: &[u8; 32],
    expected: &RegistrationExpectations,
    switches: Switches,
) -> Result<(), VerifyError> {
    let ctx = attestation::StatementContext {
        auth_data_bytes: &object.auth_data,
        auth_data,
        client_data_hash,
        credential_key: public_key,
        now_unix: expected.now_unix,
    };
    let enabled = |check: AttCheck| switches.checks(Mutant::Attestation(check));
    attestation::verify_statement(
        &object.fmt,
        &object.att_stmt,
        &ctx,
        expected.attestation_policy,
        &enabled,
    )
    .map(|_| ())
    .map_err(|err| match err {
        AttestationError::UnsupportedFormat { fmt } => VerifyError::UnsupportedFormat { fmt },
        err if err.is_trust() => VerifyError::AttestationNotTrusted {
            fmt: object.fmt.clone(),
            detail: err.to_string(),
        },
        err => VerifyError::AttestationStatement {
            fmt: object.fmt.clone(),
            detail: err.to_string(),
            syntax: err.is_syntax(),
        },
    })
}

/// What an assertion must match (§7.2).
#[derive(Debug, Clone, Copy)]
pub struct AuthenticationExpectations<'a> {
    /// Client data expectations.
    pub client_data: ClientDataExpectations<'a>,
    /// The RP ID.
    pub rp_id: &'a str,
    /// Whether UV is required (§7.2 step 17).
    pub require_user_verification: bool,
    /// Whether UP is required (§7.2 step 16; the FIDO profile waives it when UV is not required).
    pub require_user_presence: bool,
    /// allowCredentials of the options (§7.2 step 5).
    pub allow_credentials: &'a [Vec<u8>],
    /// The user identified before the ceremony, if any (§7.2 step 6).
    pub identified_user: Option<&'a [u8]>,
}

/// A verified assertion (§7.2 step 24: what to update in the record).
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedAuthentication {
    /// The credential that signed.
    pub credential_id: Vec<u8>,
    /// The new signCount to store.
    pub sign_count: u32,
    /// The new backup state to store.
    pub backup_state: bool,
    /// Whether UV was set.
    pub user_verified: bool,
}

/// Verifies an assertion (W3C L3 §7.2) against explicit expectations and the stored records.
pub fn verify_authentication(
    body: &str,
    expected: &AuthenticationExpectations,
    records: &[CredentialRecord],
    switches: Switches,
) -> Result<VerifiedAuthentication, VerifyError> {
    // Steps 2-3.
    let credential = AuthenticationResponse::parse(body)?;
    if switches.checks(Mutant::AuthSkipCredentialType) && credential.type_ != "public-key" {
        return Err(VerifyError::CredentialType {
            found: credential.type_,
        });
    }
    let credential_id = match b64url::decode(&credential.id) {
        Ok(id) => id,
        // The mutant reads `id` as any base64 spelling.
        Err(_) if !switches.checks(Mutant::AuthSkipIdConsistency) => {
            lenient_base64(&credential.id).unwrap_or_default()
        }
        Err(err) => {
            return Err(VerifyError::IdMismatch {
                id: credential.id.clone(),
                detail: err.to_string(),
            });
        }
    };
    if switches.checks(Mutant::AuthSkipIdConsistency)
        && let Some(raw_id) = &credential.raw_id
    {
        check_id(&credential.id, Some(raw_id), raw_id)?;
    }
    let response = &credential.response;

    // Step 5: allowCredentials.
    if switches.checks(Mutant::AuthSkipAllowCredentials)
        && !expected.allow_credentials.is_empty()
        && !expected.allow_credentials.contains(&credential_id)
    {
        return Err(VerifyError::CredentialNotAllowed);
    }

    // Step 6: find the record and its owner. An empty userHandle counts as absent (the FIDO API
    // example sends "").
    let record = records
        .iter()
        .find(|r| r.id == credential_id)
        .ok_or(VerifyError::UnknownCredential)?;
    let user_handle = response.user_handle.as_deref().filter(|h| !h.is_empty());
    match expected.identified_user {
        Some(user) => {
            // No switch: an RP that lists all of the user's credentials in allowCredentials
            // rejects another user's credential at step 5 first, so no response could show
            // this check missing (`AuthSkipAllowCredentials` is the step 5 one).
            if record.user_handle != user {
                return Err(VerifyError::CredentialOfAnotherUser);
            }
            if switches.checks(Mutant::AuthSkipUserHandle) && user_handle.is_some_and(|h| h != user)
            {
                return Err(VerifyError::UserHandleMismatch);
            }
        }
        None => match user_handle {
            None if switches.checks(Mutant::AuthAllowMissingUserHandle) => {
                return Err(VerifyError::UserHandleMissing);
            }
            Some(handle)
                if switches.checks(Mutant::AuthSkipUserHandle) && handle != record.user_handle =>
            {
                return Err(VerifyError::UserHandleMismatch);
            }
            None | Some(_) => {}
        },
    }

    // Steps 8-14: clientDataJSON.
    let client_data = ClientDataJson::parse(&response.client_data_json)?;
    check_client_data(
        &client_data.data,
        "webauthn.get",
        &expected.client_data,
        switches,
        ClientDataSwitches::AUTHENTICATION,
    )?;

    // §6.1: authenticator data of an assertion.
    let auth_data = AuthenticatorData::parse_with(
        &response.authenticator_data,
        auth_data::ParseOptions {
            allow_trailing_bytes: !switches.checks(Mutant::AuthAllowTrailingAuthData),
            ..auth_data::ParseOptions::default()
        },
    )?;
    if switches.checks(Mutant::AuthAllowAttestedData)
        && (auth_data.flags.has(Flags::AT) || auth_data.attested_credential_data.is_some())
    {
        return Err(VerifyError::UnexpectedAttestedCredentialData);
    }

    // Step 15: rpIdHash.
    if switches.checks(Mutant::AuthSkipRpIdHash)
        && auth_data.rp_id_hash != sha256(expected.rp_id.as_bytes())
    {
        return Err(VerifyError::RpIdHashMismatch {
            rp_id: expected.rp_id.to_owned(),
        });
    }
    // Steps 16-18: flags.
    let flags = auth_data.flags;
    let up_waived =
        !switches.checks(Mutant::AuthSkipUserPresentWhenVerified) && flags.has(Flags::UV);
    if expected.require_user_presence
        && switches.checks(Mutant::AuthSkipUserPresent)
        && !up_waived
        && !flags.has(Flags::UP)
    {
        return Err(VerifyError::UserNotPresent);
    }
    check_flags(
        flags.with(Flags::UP),
        expected.require_user_verification,
        switches,
        [
            Mutant::AuthSkipUserPresent,
            Mutant::AuthSkipUserPresentWhenVerified,
            Mutant::AuthSkipUserVerified,
            Mutant::AuthSkipBackupFlags,
        ],
    )?;
    // Step 19: BE never changes after registration.
    if switches.checks(Mutant::AuthSkipBackupEligibility)
        && flags.has(Flags::BE) != record.backup_eligible
    {
        return Err(VerifyError::BackupEligibilityChanged {
            stored: record.backup_eligible,
            found: flags.has(Flags::BE),
        });
    }

    // Steps 20-21: signature over authData ‖ SHA-256(cData).
    if switches.checks(Mutant::AuthSkipSignature) {
        let mut signed = response.authenticator_data.clone();
        signed.extend_from_slice(&sha256(&client_data.bytes));
        lenient::verify_signature(&record.public_key, &signed, &response.signature, switches)
            .map_err(VerifyError::Signature)?;
    }

    // Step 22: the counter must grow if either value is non-zero. The spec leaves the reaction to
    // the RP; the reference RP fails the ceremony (the FIDO tool's expectation).
    let received = auth_data.sign_count;
    let reset_waived = !switches.checks(Mutant::AuthAcceptCounterReset) && received == 0;
    if switches.checks(Mutant::AuthSkipSignCount)
        && !reset_waived
        && (received != 0 || record.sign_count != 0)
        && received <= record.sign_count
    {
        return Err(VerifyError::SignCountNotIncreased {
            stored: record.sign_count,
            received,
        });
    }

    Ok(VerifiedAuthentication {
        credential_id,
        sign_count: received,
        backup_state: flags.has(Flags::BS),
        user_verified: flags.has(Flags::UV),
    })
}

/// The switches of the client-data steps for one ceremony.
#[derive(Debug, Clone, Copy)]
struct ClientDataSwitches {
    type_: Mutant,
    challenge: Mutant,
    origin: Mutant,
    cross_origin: Mutant,
    top_origin: Mutant,
    lenient_challenge: Mutant,
}

impl ClientDataSwitches {
    const REGISTRATION: Self = ClientDataSwitches {
        type_: Mutant::RegSkipClientDataType,
        challenge: Mutant::RegSkipChallenge,
        origin: Mutant::RegSkipOrigin,
        cross_origin: Mutant::RegSkipCrossOrigin,
        top_origin: Mutant::RegSkipTopOrigin,
        lenient_challenge: Mutant::RegLenientChallengeEncoding,
    };
    const AUTHENTICATION: Self = ClientDataSwitches {
        type_: Mutant::AuthSkipClientDataType,
        challenge: Mutant::AuthSkipChallenge,
        origin: Mutant::AuthSkipOrigin,
        cross_origin: Mutant::AuthSkipCrossOrigin,
        top_origin: Mutant::AuthSkipTopOrigin,
        lenient_challenge: Mutant::AuthLenientChallengeEncoding,
    };
}

/// §7.1 steps 7-11 / §7.2 steps 10-14.
fn check_client_data(
    data: &CollectedClientData,
    expected_type: &'static str,
    expected: &ClientDataExpectations,
    switches: Switches,
    steps: ClientDataSwitches,
) -> Result<(), VerifyError> {
    if switches.checks(steps.type_) && data.type_ != expected_type {
        return Err(VerifyError::ClientDataType {
            expected: expected_type,
            found: data.type_.clone(),
        });
    }
    // Compare the exact base64url text: padded or standard-alphabet forms are other strings.
    let challenge_matches = if switches.checks(steps.lenient_challenge) {
        data.challenge == b64url::encode(expected.challenge)
    } else {
        lenient_base64(&data.challenge).as_deref() == Some(expected.challenge)
    };
    if switches.checks(steps.challenge) && !challenge_matches {
        return Err(VerifyError::ChallengeMismatch {
            found: data.challenge.clone(),
        });
    }
    if switches.checks(steps.origin) && !origin_matches(&data.origin, expected, switches) {
        return Err(VerifyError::OriginMismatch {
            found: data.origin.clone(),
        });
    }
    if switches.checks(steps.cross_origin)
        && data.cross_origin == Some(true)
        && !expected.allow_cross_origin
    {
        return Err(VerifyError::CrossOriginNotAllowed);
    }
    if let Some(top_origin) = &data.top_origin {
        let framed_ok = expected.allow_cross_origin && expected.top_origins.contains(top_origin);
        if switches.checks(steps.top_origin) && !framed_ok {
            return Err(VerifyError::TopOriginNotAllowed {
                found: top_origin.clone(),
            });
        }
    }
    if expected.token_binding == TokenBindingPolicy::RejectMalformed
        && switches.checks(Mutant::IgnoreTokenBinding)
    {
        check_token_binding(data)?;
    }
    Ok(())
}

/// §6.5.1.1: a credential public key carries the parameters of its key type and `alg`, and
/// "MUST NOT contain other OPTIONAL parameters"; CTAP2 canonical CBOR orders map keys by
/// encoded length, then bytewise.
fn check_canonical_cose_key(bytes: &[u8]) -> Result<(), VerifyError> {
    let non_canonical = |detail: String| VerifyError::NonCanonicalCoseKey { detail };
    let Ok(Value::Map(entries)) = cbor::decode(bytes) else {
        return Ok(()); // CoseKey::from_cbor has already reported what is wrong.
    };
    let kty = cbor::map_get_int(&entries, 1).and_then(cbor::as_i64);
    let allowed: &[i64] = match kty {
        Some(1) => &[1, 3, -1, -2],
        Some(2) => &[1, 3, -1, -2, -3],
        Some(3) => &[1, 3, -1, -2],
        _ => return Ok(()),
    };
    let mut encoded = Vec::new();
    for (key, _) in &entries {
        match cbor::as_i64(key) {
            Some(label) if allowed.contains(&label) => encoded.push(cbor::encode(key)),
            _ => {
                return Err(non_canonical(format!(
                    "parameter {} is not one of the key type's",
                    cbor::describe(key)
                )));
            }
        }
    }
    let ordered = encoded
        .windows(2)
        .all(|pair| (pair[0].len(), &pair[0]) < (pair[1].len(), &pair[1]));
    if !ordered {
        return Err(non_canonical(
            "labels are not in CTAP2 canonical order".into(),
        ));
    }
    Ok(())
}

/// Base64 the lenient way some RPs decode it: either alphabet, padding optional (what the
/// challenge-encoding mutants do; W3C L3 requires base64url without padding).
fn lenient_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let unpadded = text
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_");
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(unpadded)
        .ok()
}

/// §7.1 step 9 / §7.2 step 12: C.origin must be one of the RP's origins, compared exactly. The
/// origin mutants reproduce the lax comparisons of known RP bugs.
fn origin_matches(origin: &str, expected: &ClientDataExpectations, switches: Switches) -> bool {
    if expected.origins.iter().any(|o| o == origin) {
        return true;
    }
    let (scheme, rest) = origin.split_once("://").unwrap_or(("", origin));
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let rp_id = expected.rp_id;
    let same_host_elsewhere = |drop_scheme: bool, drop_port: bool| {
        expected.origins.iter().any(|listed| {
            let (l_scheme, l_rest) = listed.split_once("://").unwrap_or(("", listed));
            let (l_host, l_port) = match l_rest.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (l_rest, None),
            };
            l_host == host && (drop_scheme || l_scheme == scheme) && (drop_port || l_port == port)
        })
    };
    (!switches.checks(Mutant::OriginSuffixMatch) && scheme == "https" && host.ends_with(rp_id))
        || (!switches.checks(Mutant::OriginAllowSubdomains)
            && scheme == "https"
            && host.ends_with(&format!(".{rp_id}")))
        || (!switches.checks(Mutant::OriginIgnoreScheme) && same_host_elsewhere(true, false))
        || (!switches.checks(Mutant::OriginIgnorePort) && same_host_elsewhere(false, true))
}

/// The challenge a response's clientDataJSON names, read as leniently as possible; what an RP
/// that looks challenges up globally (the `ChallengeAnySession` mutant) keys on.
pub fn peek_challenge(body: &str) -> Option<Vec<u8>> {
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    let client_data = json.get("response")?.get("clientDataJSON")?.as_str()?;
    let bytes = b64url::decode(client_data).ok()?;
    let data = ClientDataJson::parse(&bytes).ok()?;
    lenient_base64(&data.data.challenge)
}

/// What a careless RP would store from a registration it did not finish verifying (the
/// `RegStoreOnFailure` mutant): the credential ID and key, read without checks.
pub fn salvage_registration(body: &str, user_handle: &[u8]) -> Option<CredentialRecord> {
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    let object = json.get("response")?.get("attestationObject")?.as_str()?;
    let object = AttestationObject::parse(&b64url::decode(object).ok()?).ok()?;
    let auth_data = AuthenticatorData::parse_with(
        &object.auth_data,
        auth_data::ParseOptions {
            allow_trailing_bytes: true,
            ..auth_data::ParseOptions::default()
        },
    )
    .ok()?;
    let attested = auth_data.attested_credential_data?;
    Some(CredentialRecord {
        id: attested.credential_id,
        user_handle: user_handle.to_vec(),
        public_key: CoseKey::from_cbor(&attested.credential_public_key).ok()?,
        sign_count: auth_data.sign_count,
        backup_eligible: auth_data.flags.has(Flags::BE),
        backup_state: auth_data.flags.has(Flags::BS),
        uv_initialized: auth_data.flags.has(Flags::UV),
    })
}

/// The credential ID and signCount of an assertion, read without checks (what the
/// `AuthCounterUpdatedOnFailure` mutant stores).
pub fn salvage_sign_count(body: &str) -> Option<(Vec<u8>, u32)> {
    let credential = AuthenticationResponse::parse(body).ok()?;
    let id = b64url::decode(&credential.id).ok()?;
    let data = &credential.response.authenticator_data;
    let count = data.get(33..37)?;
    Some((
        id,
        u32::from_be_bytes([count[0], count[1], count[2], count[3]]),
    ))
}

/// The FIDO tool's tokenBinding rules (Resp-2 F-15 to F-17): an object whose `status` is one of
/// present, supported, not-supported.
fn check_token_binding(data: &CollectedClientData) -> Result<(), VerifyError> {
    let Some((_, value)) = data.other.iter().find(|(key, _)| key == "tokenBinding") else {
        return Ok(());
    };
    let serde_json::Value::Object(map) = value else {
        return Err(VerifyError::TokenBinding("not an object".into()));
    };
    match map.get("status") {
        None => Err(VerifyError::TokenBinding("status is missing".into())),
        Some(serde_json::Value::String(s))
            if ["present", "supported", "not-supported"].contains(&s.as_str()) =>
        {
            Ok(())
        }
        Some(other) => Err(VerifyError::TokenBinding(format!(
            "status {other} is not allowed"
        ))),
    }
}

/// UP, UV and BE/BS (§7.1 steps 15-17, §7.2 steps 16-18).
fn check_flags(
    flags: Flags,
    require_user_verification: bool,
    switches: Switches,
    [up, up_when_verified, uv, backup]: [Mutant; 4],
) -> Result<(), VerifyError> {
    let up_waived = !switches.checks(up_when_verified) && flags.has(Flags::UV);
    if switches.checks(up) && !up_waived && !flags.has(Flags::UP) {
        return Err(VerifyError::UserNotPresent);
    }
    if switches.checks(uv) && require_user_verification && !flags.has(Flags::UV) {
        return Err(VerifyError::UserNotVerified);
    }
    if switches.checks(backup) && flags.has(Flags::BS) && !flags.has(Flags::BE) {
        return Err(VerifyError::BackupStateWithoutEligibility);
    }
    Ok(())
}

/// `id` must be the base64url of the credential ID, and `rawId` (if sent) that ID.
fn check_id(id: &str, raw_id: Option<&[u8]>, credential_id: &[u8]) -> Result<(), VerifyError> {
    let mismatch = |detail: &str| VerifyError::IdMismatch {
        id: id.to_owned(),
        detail: detail.to_owned(),
    };
    let decoded = b64url::decode(id).map_err(|err| mismatch(&err.to_string()))?;
    if decoded != credential_id {
        return Err(mismatch("it differs from the credential ID"));
    }
    if raw_id.is_some_and(|raw| raw != credential_id) {
        return Err(mismatch("rawId differs from the credential ID"));
    }
    Ok(())
}
