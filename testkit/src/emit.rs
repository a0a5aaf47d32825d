//! Options JSON in, response JSON out: what an RP team's own test needs from the virtual
//! authenticator without driving a whole ceremony through the harness.
//!
//! [`registration`] answers `PublicKeyCredentialCreationOptions` (W3C L3 §5.4, as JSON or as a
//! FIDO conformance API `/attestation/options` answer) with the `toJSON()` body of a new
//! credential (§5.1); [`authentication`] registers first, then answers request options
//! (§5.5) with an assertion by that credential. A [`ClientSetup`] says who answers (origin,
//! `crossOrigin`, `topOrigin`, wire shape, the authenticator) and which [`Mutation`]s break the
//! answer: none for a valid response, one for a one-fault response.
//!
//! Everything is derived from [`ClientSetup::seed`]: the same inputs give the same bytes.

use serde_json::Value as Json;

use crate::authenticator::{
    Asserted, AuthenticatorConfig, ClientError, Created, Mutation, VirtualAuthenticator,
    VirtualClient,
};
use crate::codec::wire::WireShape;
use crate::drbg::Drbg;

/// Who answers the options, and what is broken in the answer.
#[derive(Debug, Clone)]
pub struct ClientSetup {
    /// The caller's origin, written to `clientDataJSON.origin` (§5.8.1).
    pub origin: String,
    /// `clientDataJSON.crossOrigin`.
    pub cross_origin: bool,
    /// `clientDataJSON.topOrigin`, when set.
    pub top_origin: Option<String>,
    /// Which JSON member names the body uses (W3C L3 `toJSON()` or an older shape).
    pub shape: WireShape,
    /// The authenticator's make: algorithms, attestation format, flags, counter.
    pub authenticator: AuthenticatorConfig,
    /// The faults to put in the response; empty for a valid one.
    pub mutations: Vec<Mutation>,
    /// The seed every key, ID and signature is drawn from.
    pub seed: u64,
}

impl ClientSetup {
    /// A valid response from a default authenticator at `origin`, drawn from `seed`.
    pub fn new(origin: &str, seed: u64) -> Self {
        ClientSetup {
            origin: origin.to_owned(),
            cross_origin: false,
            top_origin: None,
            shape: WireShape::Level3,
            authenticator: AuthenticatorConfig::default(),
            mutations: Vec::new(),
            seed,
        }
    }

    fn client(&self) -> VirtualClient {
        let drbg = Drbg::for_label(self.seed, "emit");
        let mut client = VirtualClient::new(
            &self.origin,
            VirtualAuthenticator::new(self.authenticator.clone(), drbg),
        );
        self.configure(&mut client);
        client
    }

    /// Puts this setup's client-side choices on `client`, keeping its authenticator's keys.
    fn configure(&self, client: &mut VirtualClient) {
        client.origin.clone_from(&self.origin);
        client.cross_origin = self.cross_origin;
        client.top_origin.clone_from(&self.top_origin);
        client.shape = self.shape;
        client.authenticator.config = self.authenticator.clone();
    }
}

/// Why no response could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// The options are not JSON.
    #[error("the options are not JSON: {0}")]
    NotJson(String),
    /// The client refused the options (W3C L3 §5.1.3 or §5.1.4), or the authenticator could
    /// not make the response.
    #[error(transparent)]
    Client(#[from] ClientError),
}

fn parse(options: &str) -> Result<Json, EmitError> {
    serde_json::from_str(options).map_err(|e| EmitError::NotJson(e.to_string()))
}

/// The registration response to creation `options` (JSON text), made as `setup` says.
pub fn registration(options: &str, setup: &ClientSetup) -> Result<Created, EmitError> {
    let options = parse(options)?;
    Ok(setup.client().register(&options, &setup.mutations)?)
}

/// A valid registration to `creation` options as `registration` says, then the assertion
/// to `request` options by the new credential as `assertion` says (its faults, its origin; the
/// authenticator keeps the registered key). The RP under test must be sent the registration
/// first. Without `allowCredentials` in `request`, the credential must be discoverable (ask for
/// `residentKey: "required"` in `creation`), as with a real authenticator.
pub fn authentication(
    creation: &str,
    request: &str,
    registration: &ClientSetup,
    assertion: &ClientSetup,
) -> Result<(Created, Asserted), EmitError> {
    let creation = parse(creation)?;
    let request = parse(request)?;
    let mut client = registration.client();
    let created = client.register(&creation, &registration.mutations)?;
    assertion.configure(&mut client);
    let asserted = client.authenticate(&request, &assertion.mutations)?;
    Ok((created, asserted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authenticator::mutation::ClientDataMutation;
    use crate::codec::client_data::ClientDataJson;
    use crate::codec::wire::RegistrationResponse;

    const CREATION: &str = r#"{"rp":{"id":"example.org","name":"Example"},
        "user":{"id":"dXNlcg","name":"alice","displayName":"Alice"},
        "challenge":"AAAAAAAAAAAAAAAAAAAAAA","pubKeyCredParams":[{"type":"public-key","alg":-7}]}"#;
    const DISCOVERABLE: &str = r#"{"rp":{"id":"example.org","name":"Example"},
        "user":{"id":"dXNlcg","name":"alice","displayName":"Alice"},
        "challenge":"AAAAAAAAAAAAAAAAAAAAAA","pubKeyCredParams":[{"type":"public-key","alg":-7}],
        "authenticatorSelection":{"residentKey":"required"}}"#;
    const REQUEST: &str = r#"{"rpId":"example.org","challenge":"AQEBAQEBAQEBAQEBAQEBAQ"}"#;

    fn client_data_type(body: &str) -> Option<String> {
        let response = RegistrationResponse::parse(body).ok()?;
        let client_data = ClientDataJson::parse(&response.response.client_data_json).ok()?;
        Some(client_data.data.type_)
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes_and_another_seed_others() {
        let one = registration(CREATION, &ClientSetup::new("https://example.org", 1));
        let again = registration(CREATION, &ClientSetup::new("https://example.org", 1));
        let other = registration(CREATION, &ClientSetup::new("https://example.org", 2));
        let body = |r: Result<Created, EmitError>| r.map(|c| c.body).unwrap_or_default();
        let (one, again, other) = (body(one), body(again), body(other));
        assert!(!one.is_empty());
        assert_eq!(one, again);
        assert_ne!(one, other);
    }

    #[test]
    fn a_fault_changes_only_what_it_names() {
        let valid = ClientSetup::new("https://example.org", 1);
        let mut faulty = valid.clone();
        faulty.mutations = vec![Mutation::ClientData(ClientDataMutation::Set {
            member: "type".into(),
            value: Json::from("webauthn.get"),
        })];
        let valid = registration(CREATION, &valid).map(|c| c.body);
        let faulty = registration(CREATION, &faulty).map(|c| c.body);
        assert_eq!(
            valid.as_deref().ok().and_then(client_data_type).as_deref(),
            Some("webauthn.create")
        );
        assert_eq!(
            faulty.as_deref().ok().and_then(client_data_type).as_deref(),
            Some("webauthn.get")
        );
    }

    #[test]
    fn an_assertion_is_by_the_registered_credential() {
        let setup = ClientSetup::new("https://example.org", 1);
        let Ok((created, asserted)) = authentication(DISCOVERABLE, REQUEST, &setup, &setup) else {
            unreachable!("a discoverable credential answers a request without allowCredentials")
        };
        assert_eq!(created.credential_id, asserted.credential_id);
        assert!(asserted.body.contains("\"authenticatorData\""));
        // A credential that is not discoverable is not found without allowCredentials.
        assert!(matches!(
            authentication(CREATION, REQUEST, &setup, &setup),
            Err(EmitError::Client(_))
        ));
    }

    #[test]
    fn bad_options_are_typed_errors() {
        let setup = ClientSetup::new("https://example.org", 1);
        assert!(matches!(
            registration("{", &setup),
            Err(EmitError::NotJson(_))
        ));
        assert!(matches!(
            registration("{}", &setup),
            Err(EmitError::Client(_))
        ));
    }
}
