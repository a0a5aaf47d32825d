//! The seed inputs of each [`Target`]: valid bytes and bodies from one ceremony with the
//! reference RP, for the corpora beside the bytes in `vectors/`.

use serde_json::Value as Json;

use super::Target;
use super::rig::{Rig, SESSION};
use crate::authenticator::{AttestationFormat, AuthenticatorConfig};
use crate::codec::attestation_object::AttestationObject;
use crate::codec::auth_data::AuthenticatorData;
use crate::codec::b64url;
use crate::codec::cose::CoseAlgorithm;
use crate::rp::Profile;

/// Valid inputs for `target`, from one packed ES256 ceremony of the virtual authenticator with
/// the reference RP: corpus seeds beside the bytes in `vectors/`.
pub fn seeds(target: Target) -> Vec<Vec<u8>> {
    let authenticator = AuthenticatorConfig {
        algorithms: vec![CoseAlgorithm::Es256],
        attestation: AttestationFormat::Packed,
        ..AuthenticatorConfig::default()
    };
    let Ok(mut rig) = Rig::new(Profile::Strict, 1, authenticator, "fuzz seeds") else {
        return Vec::new();
    };
    let Ok(created) = rig.created(None) else {
        return Vec::new();
    };
    let _ = rig.rp.finish_registration(SESSION, &created.body);
    let Ok(asserted) = rig.asserted(None) else {
        return Vec::new();
    };
    let field = |body: &str, member: &str| -> Vec<u8> {
        serde_json::from_str::<Json>(body)
            .ok()
            .and_then(|j| {
                j.pointer(&format!("/response/{member}"))?
                    .as_str()
                    .map(str::to_owned)
            })
            .and_then(|t| b64url::decode(&t).ok())
            .unwrap_or_default()
    };
    let attestation_object = field(&created.body, "attestationObject");
    let registration_auth_data = AttestationObject::parse(&attestation_object)
        .map(|o| o.auth_data)
        .unwrap_or_default();
    let cose_key = AuthenticatorData::parse(&registration_auth_data)
        .ok()
        .and_then(|a| a.attested_credential_data)
        .map(|acd| acd.credential_public_key)
        .unwrap_or_default();
    let mut seeds = match target {
        Target::Cbor => vec![attestation_object, cose_key],
        Target::AttestationObject => vec![attestation_object],
        Target::AuthData => vec![
            registration_auth_data,
            field(&asserted.body, "authenticatorData"),
        ],
        Target::CoseKey => vec![cose_key],
        Target::ClientData => vec![
            field(&created.body, "clientDataJSON"),
            field(&asserted.body, "clientDataJSON"),
        ],
        Target::RegistrationJson => vec![created.body.into_bytes()],
        Target::AuthenticationJson => vec![asserted.body.into_bytes()],
        Target::Ceremony | Target::Differential => vec![vec![0; 16], (0..=255).collect()],
    };
    seeds.retain(|s| !s.is_empty());
    seeds
}
