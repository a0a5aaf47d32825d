//! What a check does: the ceremonies it runs and the one thing it breaks.

use crate::authenticator::{AuthenticatorConfig, Mutation};
use crate::codec::wire::WireShape;

/// How one ceremony is asked for and answered.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The authenticator's behaviour for this ceremony.
    pub authenticator: AuthenticatorConfig,
    /// `userVerification` requested in the options request.
    pub user_verification: Option<&'static str>,
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
    /// Options for user A, answered with user B's valid credential (§7.2 step 6).
    CredentialOfAnotherUser,
    /// Options for user A list credential 1; the answer uses A's credential 2, registered after
    /// the options were issued (§7.2 step 5).
    CredentialNotAllowed,
    /// A rejected registration, then an assertion with that credential (§7.1 step 29).
    FailedRegistrationStoresNothing,
}
