//! What a check does: the ceremonies it runs and the one thing it breaks.

use crate::authenticator::{AuthenticatorConfig, Mutation};
use crate::codec::wire::WireShape;
use crate::emit::ClientSetup;

/// How one ceremony is asked for and answered.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The authenticator's behaviour for this ceremony.
    pub authenticator: AuthenticatorConfig,
    /// `userVerification` requested in the options request.
    pub user_verification: Option<&'static str>,
    /// `attestation` conveyance requested in the options request (§5.4.7).
    pub attestation: &'static str,
    /// Registration: ask for a discoverable credential. Authentication: username-less request.
    pub discoverable: bool,
    /// Origin the client writes, instead of the RP's own.
    pub origin: Option<&'static str>,
    /// `crossOrigin: true` in clientDataJSON.
    pub cross_origin: bool,
    /// `topOrigin` in clientDataJSON.
    pub top_origin: Option<&'static str>,
    /// JSON field names to send.
    pub shape: WireShape,
    /// The faults to apply (one, or none for a positive check).
    pub mutations: Vec<Mutation>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            authenticator: AuthenticatorConfig::default(),
            user_verification: None,
            attestation: "none",
            discoverable: false,
            origin: None,
            cross_origin: false,
            top_origin: None,
            shape: WireShape::Level3,
            mutations: Vec::new(),
        }
    }
}

impl Setup {
    /// The client side of this setup, as `emit` takes it (`webauthn_testkit::emit`): its
    /// faults, origin (`origin` unless the setup sets another), `crossOrigin`, `topOrigin`, wire
    /// shape and authenticator. What it asks the RP for (conveyance, UV, a discoverable
    /// credential) is up to the options the RP wrote.
    pub fn client_setup(&self, origin: &str, seed: u64) -> ClientSetup {
        let mut client = ClientSetup::new(self.origin.unwrap_or(origin), seed);
        client.cross_origin = self.cross_origin;
        client.top_origin = self.top_origin.map(str::to_owned);
        client.shape = self.shape;
        client.authenticator = self.authenticator.clone();
        client.mutations.clone_from(&self.mutations);
        client
    }

    /// A valid ceremony with one fault.
    pub fn with(mutation: Mutation) -> Self {
        Setup {
            mutations: vec![mutation],
            ..Setup::default()
        }
    }

    /// This setup with another fault (for positive checks that need two changes together).
    pub fn and(mut self, mutation: Mutation) -> Self {
        self.mutations.push(mutation);
        self
    }

    /// This setup with an authenticator changed by `change`.
    pub fn authenticator(mut self, change: impl FnOnce(&mut AuthenticatorConfig)) -> Self {
        change(&mut self.authenticator);
        self
    }

    /// This setup as a discoverable credential (registration) or a username-less request
    /// (authentication).
    pub fn discoverable(mut self) -> Self {
        self.discoverable = true;
        self
    }

    /// This setup requesting `attestation` conveyance `value` (§5.4.7).
    pub fn attestation(mut self, value: &'static str) -> Self {
        self.attestation = value;
        self
    }

    /// This setup requesting `userVerification`.
    pub fn user_verification(mut self, value: &'static str) -> Self {
        self.user_verification = Some(value);
        self
    }
}

/// The flow a check runs. The verdict is read from the RP's answer to the last step.
#[derive(Debug, Clone)]
pub enum Scenario {
    /// One registration.
    Register(Setup),
    /// One registration to an RP set up to accept only attestation that chains to a trusted
    /// root (§7.1 step 24); RPs that cannot be set up so skip the check.
    RegisterRequiringTrustedAttestation(Setup),
    /// A valid registration, then one authentication.
    Authenticate {
        /// How the credential is registered (must be accepted).
        registration: Setup,
        /// The authentication under test.
        authentication: Setup,
    },
    /// A valid registration and authentication, then a second authentication.
    AuthenticateTwice {
        /// How the credential is registered.
        registration: Setup,
        /// The first authentication (must be accepted).
        first: Setup,
        /// The authentication under test.
        second: Setup,
    },
    /// A registration response posted to a session that was issued no options (§13.5.3).
    RegisterWithoutOptions,
    /// An assertion posted to a session that was issued no options (§13.5.3).
    AuthenticateWithoutOptions,
    /// An accepted registration posted again (§13.5.3: challenges are single use).
    ReplayRegistration,
    /// An accepted assertion posted again; the authenticator has no counter, so only the
    /// challenge rule can stop it.
    ReplayAuthentication,
    /// A registration signed over the challenge of request options (§13.5.3, §7.1 step 8).
    RegisterWithAuthenticationChallenge,
    /// An assertion over the challenge of creation options (§13.5.3, §7.2 step 11).
    AuthenticateWithRegistrationChallenge,
    /// User B registers a credential ID already registered to user A (§7.1 step 26).
    DuplicateCredentialOtherUser,
    /// Alice and Bob register discoverable credentials; a username-less ceremony is answered
    /// with Bob's valid credential and Alice's user handle (§7.2 step 6: the account the
    /// userHandle identifies must hold the credential). Username-less, so no allowCredentials
    /// list (step 5) can stop it first.
    CredentialOfAnotherUser,
    /// Alice and Bob register; alice's ceremony (username-first) is answered with her own valid
    /// credential but Bob's user handle (§7.2 step 6: a present userHandle must be the
    /// identified account's).
    UserHandleOfAnotherUser,
    /// Options for user A list credential 1; the answer uses A's credential 2, registered after
    /// the options were issued (§7.2 step 5).
    CredentialNotAllowed,
    /// A rejected registration, then an assertion with that credential (§7.1 step 29).
    FailedRegistrationStoresNothing,
    /// A response over the challenge issued to another session, posted to a session that is
    /// waiting for its own (§13.5.3: a challenge belongs to one ceremony).
    ChallengeOfOtherSession(Ceremony),
    /// A valid response posted after the RP's clock moved past the ceremony timeout (§13.5.3).
    ExpiredChallenge(Ceremony),
    /// A registration, an assertion the RP must reject, then the assertion under test: a failed
    /// ceremony must change nothing (§7.2 step 24 runs only after every check passed).
    AuthenticateAfterRejected {
        /// How the credential is registered.
        registration: Setup,
        /// An assertion that must be rejected.
        rejected: Setup,
        /// The assertion under test.
        then: Setup,
    },
    /// What the RP answers to `POST /attestation/options` (§5.4).
    CreationOptions(CreationProbe),
    /// What the RP answers to `POST /assertion/options` (§5.5).
    RequestOptions(RequestProbe),
}

/// Which ceremony a scenario is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    /// §7.1.
    Registration,
    /// §7.2.
    Authentication,
}

/// A property of creation options (accept = the RP's options have it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreationProbe {
    /// `status` "ok" and `errorMessage` "".
    StatusOk,
    /// `rp.name` a string; `rp.id`, if present, the origin's host or a parent domain of it.
    RpEntity,
    /// `user.id` base64url of 1 to 64 bytes.
    UserId,
    /// `user.name` and `user.displayName` echo the request.
    UserNames,
    /// `challenge` strict base64url of 16 to 64 bytes.
    Challenge,
    /// Two requests get two different challenges.
    FreshChallenge,
    /// Every `pubKeyCredParams` entry is {type "public-key", integer alg}, and ES256 is offered.
    PubKeyCredParams,
    /// RS1 (-65535) is offered, as the FIDO conformance tool requires.
    Rs1Offered,
    /// `timeout`, if present, a number above 0.
    Timeout,
    /// Requested `extensions` are echoed.
    ExtensionsEcho,
    /// `attestation` "none" requested, "none" answered.
    AttestationEcho,
    /// `authenticatorSelection` echoes the request.
    SelectionEcho,
    /// After a registration, the user's options exclude that credential.
    ExcludeAfterRegistration,
    /// A request without `username` is refused.
    MissingUsername,
    /// A request without `displayName` is refused.
    MissingDisplayName,
    /// A refusal carries a non-empty `errorMessage`.
    FailureMessage,
}

/// A property of request options (accept = the RP's options have it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestProbe {
    /// `status` "ok" and `errorMessage` "".
    StatusOk,
    /// `challenge` strict base64url of 16 to 64 bytes.
    Challenge,
    /// Requested `extensions` are echoed.
    ExtensionsEcho,
    /// `timeout`, if present, a number above 0.
    Timeout,
    /// `rpId`, if present, the origin's host or a parent domain of it.
    RpId,
    /// `allowCredentials` lists the user's registered credential.
    AllowCredentials,
    /// `userVerification` echoes the request.
    UserVerificationEcho,
    /// Two requests get two different challenges.
    FreshChallenge,
    /// A request for a username nobody registered is refused.
    UnknownUser,
}
