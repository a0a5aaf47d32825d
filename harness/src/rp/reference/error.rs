//! Why the reference RP rejects a response: one [`VerifyError`] variant per failed W3C L3 step,
//! and the step each belongs to. Its own module because the verifier, the syntax rules a mutant
//! can tolerate ([`super::rule`]) and the mutants all name these errors.

use crate::codec::attestation_object::AttestationObjectError;
use crate::codec::auth_data::AuthDataError;
use crate::codec::client_data::ClientDataError;
use crate::codec::cose::CoseKeyError;
use crate::codec::wire::WireError;
use crate::crypto::SignatureError;
use crate::spec::{Section, SpecRef, Step};

/// Why the reference RP rejected a response; each variant is one failed step.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The JSON envelope is malformed (W3C L3 §5.1, FIDO conformance API).
    #[error("envelope: {0}")]
    Envelope(#[from] WireError),
    /// `type` is not "public-key" (§5.1, PublicKeyCredential.type).
    #[error("credential type is {found:?}, expected \"public-key\"")]
    CredentialType {
        /// The `type` received.
        found: String,
    },
    /// `id` is not base64url of the credential ID.
    #[error("id {id:?} is not the base64url credential ID: {detail}")]
    IdMismatch {
        /// The `id` (or `rawId`) text received.
        id: String,
        /// Why it does not name the credential: a base64url error or the mismatch.
        detail: String,
    },
    /// clientDataJSON cannot be read (§7.1 steps 5-6, §7.2 steps 8-9).
    #[error("{0}")]
    ClientData(#[from] ClientDataError),
    /// C.type is wrong (§7.1 step 7, §7.2 step 10).
    #[error("clientData type is {found:?}, expected {expected:?}")]
    ClientDataType {
        /// The type the ceremony needs: "webauthn.create" or "webauthn.get".
        expected: &'static str,
        /// C.type as received.
        found: String,
    },
    /// C.challenge is not the challenge issued (§7.1 step 8, §7.2 step 11).
    #[error("clientData challenge {found:?} does not match the issued challenge")]
    ChallengeMismatch {
        /// C.challenge as received.
        found: String,
    },
    /// C.origin is not an expected origin (§7.1 step 9, §7.2 step 12).
    #[error("clientData origin {found:?} is not an expected origin")]
    OriginMismatch {
        /// C.origin as received.
        found: String,
    },
    /// C.crossOrigin is true and the RP does not expect iframes (§7.1 step 10, §7.2 step 13).
    #[error("clientData crossOrigin is true but the RP does not expect cross-origin iframes")]
    CrossOriginNotAllowed,
    /// C.topOrigin is present and not an expected top-level origin (§7.1 step 11, §7.2 step 14).
    #[error("clientData topOrigin {found:?} is not an expected top-level origin")]
    TopOriginNotAllowed {
        /// C.topOrigin as received.
        found: String,
    },
    /// tokenBinding is malformed (FIDO profile only; L3 reserves the member).
    #[error("clientData tokenBinding is malformed: {0}")]
    TokenBinding(String),
    /// The attestation object is malformed (§7.1 step 13).
    #[error("{0}")]
    AttestationObject(#[from] AttestationObjectError),
    /// Authenticator data is malformed (§6.1).
    #[error("authenticator data: {0}")]
    AuthData(#[from] AuthDataError),
    /// AT clear or attested credential data missing at registration (§6.1, §7.1 step 13).
    #[error(
        "registration authenticator data has no attested credential data flagged by AT (W3C L3 §6.1)"
    )]
    MissingAttestedCredentialData,
    /// AT set in an assertion (§6.1: "MUST NOT be set" for assertions).
    #[error("assertion authenticator data has AT set (W3C L3 §6.1)")]
    UnexpectedAttestedCredentialData,
    /// rpIdHash is not SHA-256 of the RP ID (§7.1 step 14, §7.2 step 15).
    #[error("rpIdHash is not SHA-256 of RP ID {rp_id:?}")]
    RpIdHashMismatch {
        /// The RP ID whose SHA-256 was expected.
        rp_id: String,
    },
    /// UP clear (§7.1 step 15, §7.2 step 16).
    #[error("UP flag is clear")]
    UserNotPresent,
    /// UV clear though required (§7.1 step 16, §7.2 step 17).
    #[error("UV flag is clear but user verification is required")]
    UserNotVerified,
    /// BS set with BE clear (§7.1 step 17, §7.2 step 18).
    #[error("BS is set but BE is clear")]
    BackupStateWithoutEligibility,
    /// BE differs from the stored backupEligible (§7.2 step 19).
    #[error("BE is {found} but the credential was registered with backupEligible {stored}")]
    BackupEligibilityChanged {
        /// The credential record's backupEligible.
        stored: bool,
        /// The BE flag in this assertion.
        found: bool,
    },
    /// The credential public key is not acceptable (§6.5.1.1, §5.8.5).
    #[error("credential public key: {0}")]
    CoseKey(#[from] CoseKeyError),
    /// The credential public key is not a usable key (an EC point off its curve, §5.8.5 note).
    #[error("credential public key: {0}")]
    InvalidPublicKey(SignatureError),
    /// The key has extra parameters or is not in canonical order (§6.5.1.1).
    #[error("credential public key is not canonical: {detail} (W3C L3 §6.5.1.1)")]
    NonCanonicalCoseKey {
        /// The extra parameter or the out-of-order labels.
        detail: String,
    },
    /// The key's alg was not offered in pubKeyCredParams (§7.1 step 20).
    #[error("credential algorithm {alg} was not offered in pubKeyCredParams")]
    AlgorithmNotOffered {
        /// The credential public key's algorithm name (`ES256`, `RS256`, ...).
        alg: String,
    },
    /// fmt is not a supported format (§7.1 step 21).
    #[error("attestation format {fmt:?} is not supported")]
    UnsupportedFormat {
        /// The attestation statement format identifier received.
        fmt: String,
    },
    /// The attestation statement is malformed or fails its format's procedure (§7.1 step 22, §8).
    #[error("attestation statement ({fmt}): {detail}")]
    AttestationStatement {
        /// The attestation statement format identifier.
        fmt: String,
        /// What the format's verification procedure found.
        detail: String,
        /// The statement breaks its format's syntax (§8, each procedure's step 1).
        syntax: bool,
    },
    /// The statement verified but is not trusted under the RP's policy (§7.1 steps 23-24).
    #[error("attestation ({fmt}) not trusted: {detail}")]
    AttestationNotTrusted {
        /// The attestation statement format identifier.
        fmt: String,
        /// Why the attestation trust path is not acceptable.
        detail: String,
    },
    /// The credential ID is longer than 1023 bytes (§7.1 step 25).
    #[error("credential ID is {len} bytes, above 1023")]
    CredentialIdTooLong {
        /// The credential ID's length in bytes.
        len: usize,
    },
    /// The credential ID is already registered (§7.1 step 26).
    #[error("credential ID is already registered")]
    CredentialAlreadyRegistered,
    /// credential.id is not in a non-empty allowCredentials (§7.2 step 5).
    #[error("credential is not in allowCredentials")]
    CredentialNotAllowed,
    /// No credential record with this ID (§7.2 step 6).
    #[error("unknown credential")]
    UnknownCredential,
    /// The credential belongs to another user than the one identified (§7.2 step 6).
    #[error("credential belongs to another user")]
    CredentialOfAnotherUser,
    /// userHandle does not match the credential's owner (§7.2 step 6).
    #[error("userHandle does not match the credential's owner")]
    UserHandleMismatch,
    /// userHandle missing in the discoverable flow (§7.2 step 6).
    #[error("userHandle is required when the user was not identified first")]
    UserHandleMissing,
    /// The assertion signature is invalid (§7.2 step 21).
    #[error("assertion signature: {0}")]
    Signature(SignatureError),
    /// The signature counter did not increase (§7.2 step 22).
    #[error(
        "signCount {received} is not greater than the stored {stored} (possible cloned authenticator)"
    )]
    SignCountNotIncreased {
        /// The credential record's signCount.
        stored: u32,
        /// The signCount in the assertion's authenticator data.
        received: u32,
    },
    /// The challenge is older than the ceremony timeout (§13.5.3).
    #[error("the challenge expired: it was issued {age_ms} ms ago, the timeout is {timeout_ms} ms")]
    ChallengeExpired {
        /// Milliseconds since the challenge was issued.
        age_ms: u64,
        /// The ceremony timeout, in milliseconds.
        timeout_ms: u64,
    },
    /// No ceremony is pending in this session (§13.5.3: challenges are single use).
    #[error(
        "no ceremony in progress for this session (no options issued, or the challenge was already used)"
    )]
    NoCeremonyInProgress,
}

/// Which ceremony a failure happened in, for step citations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    /// §7.1 Registering a New Credential.
    Registration,
    /// §7.2 Verifying an Authentication Assertion.
    Authentication,
}

impl VerifyError {
    /// The W3C L3 step the failure belongs to, as SpecRef::registration(8).
    pub fn step(&self, ceremony: Ceremony) -> SpecRef {
        use Ceremony::{Authentication as A, Registration as R};
        match (self, ceremony) {
            (VerifyError::Envelope(_) | VerifyError::CredentialType { .. }, R) => {
                SpecRef::new(Section::Registration, Step::Range(2, 3))
            }
            (VerifyError::Envelope(_) | VerifyError::CredentialType { .. }, A) => {
                SpecRef::new(Section::Authentication, Step::Range(2, 3))
            }
            (VerifyError::IdMismatch { .. }, R) => {
                SpecRef::new(Section::Registration, Step::Qualified(27, "credential id"))
            }
            (VerifyError::IdMismatch { .. }, A) => {
                SpecRef::new(Section::Authentication, Step::Qualified(6, "rawId"))
            }
            (VerifyError::ClientData(_), R) => {
                SpecRef::new(Section::Registration, Step::Range(5, 6))
            }
            (VerifyError::ClientData(_), A) => {
                SpecRef::new(Section::Authentication, Step::Range(8, 9))
            }
            (VerifyError::ClientDataType { .. }, R) => SpecRef::registration(7),
            (VerifyError::ClientDataType { .. }, A) => SpecRef::authentication(10),
            (VerifyError::ChallengeMismatch { .. }, R) => SpecRef::registration(8),
            (VerifyError::ChallengeMismatch { .. }, A) => SpecRef::authentication(11),
            (VerifyError::OriginMismatch { .. }, R) => SpecRef::registration(9),
            (VerifyError::OriginMismatch { .. }, A) => SpecRef::authentication(12),
            (VerifyError::CrossOriginNotAllowed, R) => SpecRef::registration(10),
            (VerifyError::CrossOriginNotAllowed, A) => SpecRef::authentication(13),
            (VerifyError::TopOriginNotAllowed { .. }, R) => SpecRef::registration(11),
            (VerifyError::TopOriginNotAllowed { .. }, A) => SpecRef::authentication(14),
            (VerifyError::TokenBinding(_), _) => {
                SpecRef::clause(Section::CollectedClientData, "tokenBinding (FIDO profile)")
            }
            (VerifyError::AttestationObject(_), _) => SpecRef::registration(13),
            (VerifyError::AuthData(_) | VerifyError::MissingAttestedCredentialData, R) => {
                SpecRef::new(Section::Registration, Step::Qualified(13, "§6.1"))
            }
            (VerifyError::AuthData(_) | VerifyError::MissingAttestedCredentialData, A) => {
                SpecRef::section(Section::AuthenticatorData)
            }
            (VerifyError::UnexpectedAttestedCredentialData, _) => {
                SpecRef::clause(Section::AuthenticatorData, "(AT in an assertion)")
            }
            (VerifyError::RpIdHashMismatch { .. }, R) => SpecRef::registration(14),
            (VerifyError::RpIdHashMismatch { .. }, A) => SpecRef::authentication(15),
            (VerifyError::UserNotPresent, R) => SpecRef::registration(15),
            (VerifyError::UserNotPresent, A) => SpecRef::authentication(16),
            (VerifyError::UserNotVerified, R) => SpecRef::registration(16),
            (VerifyError::UserNotVerified, A) => SpecRef::authentication(17),
            (VerifyError::BackupStateWithoutEligibility, R) => SpecRef::registration(17),
            (VerifyError::BackupStateWithoutEligibility, A) => SpecRef::authentication(18),
            (VerifyError::BackupEligibilityChanged { .. }, _) => SpecRef::authentication(19),
            (VerifyError::InvalidPublicKey(_), _) => {
                SpecRef::new(Section::Registration, Step::Qualified(20, "§5.8.5"))
            }
            (VerifyError::CoseKey(_), R) => SpecRef::new(
                Section::Registration,
                Step::Qualified(20, "§6.5.1.1, §5.8.5"),
            ),
            (VerifyError::CoseKey(_), A) => {
                SpecRef::new(Section::Authentication, Step::Qualified(21, "§5.8.5"))
            }
            (VerifyError::AlgorithmNotOffered { .. }, _) => SpecRef::registration(20),
            (VerifyError::NonCanonicalCoseKey { .. }, _) => {
                SpecRef::new(Section::Registration, Step::Qualified(20, "§6.5.1.1"))
            }
            (VerifyError::UnsupportedFormat { .. }, _) => SpecRef::registration(21),
            (VerifyError::AttestationStatement { .. }, _) => {
                SpecRef::new(Section::Registration, Step::Qualified(22, "§8"))
            }
            (VerifyError::AttestationNotTrusted { .. }, _) => SpecRef::registration(24),
            (VerifyError::CredentialIdTooLong { .. }, _) => SpecRef::registration(25),
            (VerifyError::CredentialAlreadyRegistered, _) => SpecRef::registration(26),
            (VerifyError::CredentialNotAllowed, _) => SpecRef::authentication(5),
            (
                VerifyError::UnknownCredential
                | VerifyError::CredentialOfAnotherUser
                | VerifyError::UserHandleMismatch
                | VerifyError::UserHandleMissing,
                _,
            ) => SpecRef::authentication(6),
            (VerifyError::Signature(_), _) => SpecRef::authentication(21),
            (VerifyError::SignCountNotIncreased { .. }, _) => SpecRef::authentication(22),
            (VerifyError::NoCeremonyInProgress | VerifyError::ChallengeExpired { .. }, _) => {
                SpecRef::section(Section::CryptographicChallenges)
            }
        }
    }
}
