//! The same ES256 work done by each virtual authenticator: make a credential for given options,
//! and sign an assertion with it, through each library's client API as its docs show, ending in
//! the JSON an RP receives.
//!
//! - ours: `VirtualClient` (options JSON in, `toJSON()` body out), `none` or `packed` self
//!   attestation;
//! - 1Password's passkey-rs (`passkey_client::Client` over `passkey_authenticator::Authenticator`
//!   with its `MemoryStore` and RustCrypto backend): `none` attestation, as it always makes;
//! - kanidm's `SoftPasskey` (webauthn-authenticator-rs, `WebauthnAuthenticator::do_registration`
//!   and `do_authentication`): `packed` self attestation, as it always makes.

use passkey_authenticator::{Authenticator, MemoryStore, UiHint, UserCheck, UserValidationMethod};
use passkey_client::{Client, DefaultClientData};
use passkey_crypto::AvailableBackend;
use passkey_crypto::coset::iana;
use passkey_types::{Passkey, ctap2, webauthn};
use serde_json::{Value as Json, json};
use url::Url;
use webauthn_authenticator_rs::WebauthnAuthenticator as _;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_conformance::authenticator::{
    AttestationFormat, AuthenticatorConfig, VirtualAuthenticator, VirtualClient,
};
use webauthn_conformance::codec::b64url;
use webauthn_conformance::codec::cose::CoseAlgorithm;
use webauthn_conformance::drbg::Drbg;

pub const ORIGIN: &str = "https://example.org";
pub const RP_ID: &str = "example.org";

/// Creation options as an RP sends them (W3C L3 `PublicKeyCredentialCreationOptionsJSON`):
/// ES256 only, no user verification demanded, no resident key (SoftPasskey refuses both).
pub fn creation_options_json(attestation: &str) -> Json {
    json!({
        "rp": {"id": RP_ID, "name": "bench"},
        "user": {"id": b64url::encode(&[7u8; 16]), "name": "alice", "displayName": "Alice"},
        "challenge": b64url::encode(&[1u8; 32]),
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
        "timeout": 60000,
        "excludeCredentials": [],
        "authenticatorSelection": {"residentKey": "discouraged", "requireResidentKey": false, "userVerification": "preferred"},
        "attestation": attestation,
    })
}

/// Request options as an RP sends them, allowing `credential_id`.
pub fn request_options_json(credential_id: &[u8]) -> Json {
    json!({
        "challenge": b64url::encode(&[2u8; 32]),
        "timeout": 60000,
        "rpId": RP_ID,
        "allowCredentials": [{"type": "public-key", "id": b64url::encode(credential_id)}],
        "userVerification": "preferred",
    })
}

/// Our virtual client and authenticator, ES256 only, in `attestation` format.
pub fn ours(attestation: AttestationFormat) -> VirtualClient {
    let config = AuthenticatorConfig {
        algorithms: vec![CoseAlgorithm::Es256],
        attestation,
        ..AuthenticatorConfig::default()
    };
    VirtualClient::new(
        ORIGIN,
        VirtualAuthenticator::new(config, Drbg::for_label(1, "bench authenticator")),
    )
}

/// One registration by our client: the RegistrationResponseJSON body.
pub fn ours_register(client: &mut VirtualClient, options: &Json) -> String {
    match client.register(options, &[]) {
        Ok(created) => created.body,
        Err(err) => fatal(&format!("our registration failed: {err}")),
    }
}

/// One assertion by our client: the AuthenticationResponseJSON body.
pub fn ours_assert(client: &mut VirtualClient, options: &Json) -> String {
    match client.authenticate(options, &[]) {
        Ok(asserted) => asserted.body,
        Err(err) => fatal(&format!("our assertion failed: {err}")),
    }
}

/// A user who is always there and verified.
pub struct AlwaysVerified;

#[async_trait::async_trait]
impl UserValidationMethod for AlwaysVerified {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        _hint: UiHint<'a, Self::PasskeyItem>,
        presence: bool,
        verification: bool,
    ) -> Result<UserCheck, ctap2::Ctap2Error> {
        Ok(UserCheck {
            presence,
            verification,
        })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(true)
    }
}

/// passkey-rs: a client over an in-memory authenticator.
pub type PasskeyRs =
    Client<MemoryStore, AlwaysVerified, AvailableBackend, public_suffix::PublicSuffixList, ()>;

pub fn passkey_rs() -> PasskeyRs {
    Client::new(Authenticator::new(
        ctap2::Aaguid::new_empty(),
        MemoryStore::new(),
        AlwaysVerified,
        AvailableBackend,
    ))
}

pub fn passkey_creation_options() -> webauthn::CredentialCreationOptions {
    webauthn::CredentialCreationOptions {
        public_key: webauthn::PublicKeyCredentialCreationOptions {
            rp: webauthn::PublicKeyCredentialRpEntity {
                id: Some(RP_ID.into()),
                name: "bench".into(),
            },
            user: webauthn::PublicKeyCredentialUserEntity {
                id: vec![7u8; 16].into(),
                display_name: "Alice".into(),
                name: "alice".into(),
            },
            challenge: vec![1u8; 32].into(),
            pub_key_cred_params: vec![webauthn::PublicKeyCredentialParameters {
                ty: webauthn::PublicKeyCredentialType::PublicKey,
                alg: iana::Algorithm::ES256,
            }],
            timeout: Some(60000),
            exclude_credentials: None,
            authenticator_selection: None,
            hints: None,
            attestation: webauthn::AttestationConveyancePreference::None,
            attestation_formats: None,
            extensions: None,
        },
    }
}

pub fn passkey_request_options(credential_id: &[u8]) -> webauthn::CredentialRequestOptions {
    webauthn::CredentialRequestOptions {
        public_key: webauthn::PublicKeyCredentialRequestOptions {
            challenge: vec![2u8; 32].into(),
            timeout: Some(60000),
            rp_id: Some(RP_ID.into()),
            allow_credentials: Some(vec![webauthn::PublicKeyCredentialDescriptor {
                ty: webauthn::PublicKeyCredentialType::PublicKey,
                id: credential_id.to_vec().into(),
                transports: None,
            }]),
            user_verification: webauthn::UserVerificationRequirement::Preferred,
            hints: None,
            attestation: webauthn::AttestationConveyancePreference::None,
            attestation_formats: None,
            extensions: None,
        },
    }
}

/// One passkey-rs registration: the credential JSON and its ID.
pub fn passkey_register(
    client: &mut PasskeyRs,
    origin: &Url,
    options: webauthn::CredentialCreationOptions,
) -> (String, Vec<u8>) {
    match pollster::block_on(client.register(origin, options, DefaultClientData)) {
        Ok(created) => {
            let id = created.raw_id.to_vec();
            (to_json(&created), id)
        }
        Err(err) => fatal(&format!("passkey-rs registration failed: {err:?}")),
    }
}

/// One passkey-rs assertion: the credential JSON.
pub fn passkey_assert(
    client: &mut PasskeyRs,
    origin: &Url,
    options: webauthn::CredentialRequestOptions,
) -> String {
    match pollster::block_on(client.authenticate(origin, options, DefaultClientData)) {
        Ok(asserted) => to_json(&asserted),
        Err(err) => fatal(&format!("passkey-rs assertion failed: {err:?}")),
    }
}

/// SoftPasskey's options type, read from the same JSON the RP sends (webauthn-rs-proto is the
/// W3C JSON shape).
pub fn soft_creation_options(options: &Json) -> webauthn_rs_proto::CreationChallengeResponse {
    serde_json::from_value(json!({ "publicKey": options }))
        .unwrap_or_else(|err| fatal(&format!("SoftPasskey creation options: {err}")))
}

pub fn soft_request_options(options: &Json) -> webauthn_rs_proto::RequestChallengeResponse {
    serde_json::from_value(json!({ "publicKey": options }))
        .unwrap_or_else(|err| fatal(&format!("SoftPasskey request options: {err}")))
}

/// One SoftPasskey registration: the credential JSON and its ID.
pub fn soft_register(
    token: &mut SoftPasskey,
    origin: &Url,
    options: webauthn_rs_proto::CreationChallengeResponse,
) -> (String, Vec<u8>) {
    match token.do_registration(origin.clone(), options) {
        Ok(created) => {
            let id = created.raw_id.to_vec();
            (to_json(&created), id)
        }
        Err(err) => fatal(&format!("SoftPasskey registration failed: {err:?}")),
    }
}

/// One SoftPasskey assertion: the credential JSON.
pub fn soft_assert(
    token: &mut SoftPasskey,
    origin: &Url,
    options: webauthn_rs_proto::RequestChallengeResponse,
) -> String {
    match token.do_authentication(origin.clone(), options) {
        Ok(asserted) => to_json(&asserted),
        Err(err) => fatal(&format!("SoftPasskey assertion failed: {err:?}")),
    }
}

pub fn origin() -> Url {
    Url::parse(ORIGIN).unwrap_or_else(|err| fatal(&format!("origin: {err}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|err| fatal(&format!("serialise: {err}")))
}

/// The bench cannot go on: says why and exits 2.
pub fn fatal(message: &str) -> ! {
    eprintln!("bench error: {message}");
    std::process::exit(2)
}
