//! The RP and virtual client a fuzzed ceremony runs against ([`Rig`]): fresh options from the
//! RP, a registration or assertion from the virtual authenticator, for the ceremony targets and
//! the seeds.

use crate::authenticator::{
    Asserted, AuthenticatorConfig, Created, VirtualAuthenticator, VirtualClient,
};
use crate::codec::options::{
    AuthenticatorSelection, ServerCreationOptionsRequest, ServerGetOptionsRequest,
};
use crate::drbg::Drbg;
use crate::rp::reference::{ReferenceRp, harness_trust_store};
use crate::rp::{Profile, RelyingParty, Reply, RpConfig, SessionId};

/// The one browser session the fuzz ceremonies use.
pub(super) const SESSION: SessionId = SessionId(0);

/// An RP (the reference RP unless told otherwise) and a virtual client, for the user "alice"
/// in [`SESSION`].
pub(super) struct Rig {
    pub(super) rp: Box<dyn RelyingParty>,
    client: VirtualClient,
    /// The `attestation` conveyance the creation options ask for (§5.4.7).
    pub(super) conveyance: &'static str,
}

impl Rig {
    pub(super) fn new(
        profile: Profile,
        seed: u64,
        authenticator: AuthenticatorConfig,
        label: &str,
    ) -> Result<Self, String> {
        let config = RpConfig::example(profile, seed);
        let trust_store = harness_trust_store().map_err(|e| e.to_string())?;
        let client = VirtualClient::new(
            &config.origins[0],
            VirtualAuthenticator::new(authenticator, Drbg::for_label(seed, label)),
        );
        Ok(Rig {
            rp: Box::new(ReferenceRp::new(config, None, trust_store.clone())),
            client,
            conveyance: "direct",
        })
    }

    /// The same rig with the RP `factory` makes for the same configuration instead.
    #[cfg(feature = "webauthn-rs")]
    pub(super) fn with_rp(
        mut self,
        factory: &dyn crate::rp::RpFactory,
        profile: Profile,
        seed: u64,
    ) -> Result<Self, String> {
        self.rp = factory
            .create(&RpConfig::example(profile, seed))
            .map_err(|e| format!("{}: {e}", factory.name()))?;
        Ok(self)
    }

    /// A registration to fresh creation options, not yet sent.
    pub(super) fn created(&mut self, user_verification: Option<String>) -> Result<Created, String> {
        let request = ServerCreationOptionsRequest {
            username: Some("alice".into()),
            display_name: Some("Alice".into()),
            authenticator_selection: Some(AuthenticatorSelection {
                user_verification,
                ..AuthenticatorSelection::default()
            }),
            attestation: Some(self.conveyance.into()),
            extensions: None,
        };
        match self.rp.registration_options(SESSION, &request) {
            Ok(Reply::Ok(options)) => self
                .client
                .register(&options, &[])
                .map_err(|e| format!("the virtual client cannot register: {e}")),
            other => Err(format!("the RP refused creation options: {other:?}")),
        }
    }

    /// An assertion to fresh request options, not yet sent.
    pub(super) fn asserted(
        &mut self,
        user_verification: Option<String>,
    ) -> Result<Asserted, String> {
        let request = ServerGetOptionsRequest {
            username: Some("alice".into()),
            user_verification,
            extensions: None,
        };
        match self.rp.authentication_options(SESSION, &request) {
            Ok(Reply::Ok(options)) => self
                .client
                .authenticate(&options, &[])
                .map_err(|e| format!("the virtual client cannot assert: {e}")),
            other => Err(format!("the RP refused request options: {other:?}")),
        }
    }
}
