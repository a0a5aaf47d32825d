//! The structured `ceremony` target: a [`CeremonyCase`] (from `arbitrary`) drives a valid
//! registration and a valid or edited assertion against the reference RP, and the RP's verdicts
//! must follow the edits (W3C WebAuthn L3 §7.1 step 15, §7.2 step 22).
#![allow(
    clippy::panic,
    reason = "a panic is how a fuzz target reports a broken invariant"
)]

use arbitrary::Arbitrary;
use serde_json::Value as Json;

use super::rig::{Rig, SESSION};
use crate::authenticator::{AttestationFormat, AuthenticatorConfig, CounterPolicy};
use crate::codec::attestation_object::AttestationObject;
use crate::codec::b64url;
use crate::codec::cose::CoseAlgorithm;
use crate::rp::{Profile, Reply};

/// A signed field of an assertion (§7.2 steps 19-22: the signature covers authenticatorData and
/// the hash of clientDataJSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub enum SignedField {
    /// `response.clientDataJSON`.
    ClientDataJson,
    /// `response.authenticatorData`.
    AuthenticatorData,
    /// `response.signature`.
    Signature,
}

impl SignedField {
    pub(super) fn member(self) -> &'static str {
        match self {
            SignedField::ClientDataJson => "clientDataJSON",
            SignedField::AuthenticatorData => "authenticatorData",
            SignedField::Signature => "signature",
        }
    }
}

/// One byte edit: XOR `mask` into the byte at `position` (modulo the field's length).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub struct Edit {
    /// Which field.
    pub field: SignedField,
    /// Where, modulo the field length.
    pub position: u16,
    /// What to XOR in (0 leaves the byte alone).
    pub mask: u8,
}

/// The credential algorithms the structured target uses (RSA key generation is too slow for a
/// fuzz loop).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum FuzzAlgorithm {
    /// ES256.
    Es256,
    /// ES384.
    Es384,
    /// EdDSA (Ed25519).
    EdDsa,
}

/// The attestation the authenticator makes (the reference RP trusts the harness PKI).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum FuzzAttestation {
    /// `none`.
    None,
    /// `packed` self attestation.
    PackedSelf,
    /// `packed` with the test PKI chain.
    Packed,
}

/// The backup flags the authenticator sets (BS only with BE, §6.1).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum FuzzBackup {
    /// BE=0, BS=0.
    SingleDevice,
    /// BE=1, BS=0.
    Eligible,
    /// BE=1, BS=1.
    BackedUp,
}

/// A whole ceremony and the edits to make to it.
#[derive(Debug, Clone, Arbitrary)]
pub struct CeremonyCase {
    /// Seed for the RP and the authenticator.
    pub seed: u8,
    /// The credential algorithm.
    pub algorithm: FuzzAlgorithm,
    /// The attestation statement.
    pub attestation: FuzzAttestation,
    /// The backup flags.
    pub backup: FuzzBackup,
    /// A signature counter that stays 0 (§6.1.1) instead of increasing.
    pub counter_zero: bool,
    /// Whether the authenticator verifies the user.
    pub user_verified: bool,
    /// Whether the RP asks for user verification to be required (only when it happens).
    pub require_user_verification: bool,
    /// Profile.
    pub fido: bool,
    /// Bytes of the registration's rpIdHash to change (positions modulo 32, XOR masks).
    pub rp_id_hash_edits: Vec<(u8, u8)>,
    /// Edits to the assertion's signed fields.
    pub edits: Vec<Edit>,
}

impl CeremonyCase {
    pub(super) fn profile(&self) -> Profile {
        if self.fido {
            Profile::Fido
        } else {
            Profile::Strict
        }
    }

    pub(super) fn authenticator(&self) -> AuthenticatorConfig {
        AuthenticatorConfig {
            algorithms: vec![match self.algorithm {
                FuzzAlgorithm::Es256 => CoseAlgorithm::Es256,
                FuzzAlgorithm::Es384 => CoseAlgorithm::Es384,
                FuzzAlgorithm::EdDsa => CoseAlgorithm::EdDsa,
            }],
            attestation: match self.attestation {
                FuzzAttestation::None => AttestationFormat::None,
                FuzzAttestation::PackedSelf => AttestationFormat::PackedSelf,
                FuzzAttestation::Packed => AttestationFormat::Packed,
            },
            backup_eligible: !matches!(self.backup, FuzzBackup::SingleDevice),
            backup_state: matches!(self.backup, FuzzBackup::BackedUp),
            counter: if self.counter_zero {
                CounterPolicy::Zero
            } else {
                CounterPolicy::Increasing { start: 1 }
            },
            user_verified: self.user_verified,
            ..AuthenticatorConfig::default()
        }
    }

    /// `userVerification: "required"` in the options, when asked for and it happens.
    pub(super) fn user_verification(&self) -> Option<String> {
        (self.require_user_verification && self.user_verified).then(|| "required".to_owned())
    }
}

/// A valid registration, then a valid or edited assertion, against the reference RP.
///
/// Invariants: an unedited ceremony is accepted; a registration with a changed rpIdHash is
/// refused (§7.1 step 15); an assertion with any changed signed byte is refused (§7.2 step 22).
pub fn fuzz_ceremony(case: &CeremonyCase) {
    let seed = u64::from(case.seed);
    let profile = case.profile();
    let authenticator = case.authenticator();
    let mut rig = Rig::new(profile, seed, authenticator, "fuzz authenticator")
        .unwrap_or_else(|e| panic!("{e}"));
    let user_verification = case.user_verification();
    let created = rig
        .created(user_verification.clone())
        .unwrap_or_else(|e| panic!("{e}"));
    let edits: Vec<(usize, u8)> = case
        .rp_id_hash_edits
        .iter()
        .map(|(p, m)| (usize::from(*p) % 32, *m))
        .collect();
    let edited_body = edit_attestation_auth_data(&created.body, &edits, false);
    if let Some(body) = edited_body {
        let reply = rig.rp.finish_registration(SESSION, &body);
        assert!(
            !matches!(reply, Ok(Reply::Ok(()))),
            "a registration with a changed rpIdHash was accepted: {body}"
        );
        return;
    }
    let reply = rig.rp.finish_registration(SESSION, &created.body);
    assert!(
        matches!(reply, Ok(Reply::Ok(()))),
        "a valid registration was refused: {reply:?}"
    );

    let asserted = rig
        .asserted(user_verification)
        .unwrap_or_else(|e| panic!("{e}"));
    let (body, changed) = edit_assertion(&asserted.body, &case.edits);
    let reply = rig.rp.finish_authentication(SESSION, &body);
    if changed {
        assert!(
            !matches!(reply, Ok(Reply::Ok(()))),
            "an assertion with changed signed bytes was accepted: {body}"
        );
    } else {
        assert!(
            matches!(reply, Ok(Reply::Ok(()))),
            "a valid assertion was refused: {reply:?}"
        );
    }
}

/// The registration body with `edits` XORed into its authData (positions past the end are
/// left out; `wrap` takes them modulo the length instead); `None` when no byte changes.
pub(super) fn edit_attestation_auth_data(
    body: &str,
    edits: &[(usize, u8)],
    wrap: bool,
) -> Option<String> {
    let mut json: Json = serde_json::from_str(body).ok()?;
    let text = json.pointer("/response/attestationObject")?.as_str()?;
    let mut object = AttestationObject::parse(&b64url::decode(text).ok()?).ok()?;
    let original = object.auth_data.clone();
    let len = object.auth_data.len().max(1);
    for (position, mask) in edits {
        let at = if wrap { position % len } else { *position };
        if let Some(byte) = object.auth_data.get_mut(at) {
            *byte ^= mask;
        }
    }
    if object.auth_data == original {
        return None;
    }
    let encoded = b64url::encode(&object.to_bytes());
    *json.pointer_mut("/response/attestationObject")? = Json::String(encoded);
    Some(json.to_string())
}

/// The assertion body with `edits` applied, and whether any signed byte changed.
pub(super) fn edit_assertion(body: &str, edits: &[Edit]) -> (String, bool) {
    let Ok(mut json) = serde_json::from_str::<Json>(body) else {
        return (body.to_owned(), false);
    };
    let mut changed = false;
    for field in [
        SignedField::ClientDataJson,
        SignedField::AuthenticatorData,
        SignedField::Signature,
    ] {
        let pointer = format!("/response/{}", field.member());
        let Some(bytes) = json
            .pointer(&pointer)
            .and_then(Json::as_str)
            .and_then(|t| b64url::decode(t).ok())
        else {
            continue;
        };
        let mut edited = bytes.clone();
        for edit in edits.iter().filter(|e| e.field == field) {
            if edited.is_empty() {
                break;
            }
            let at = usize::from(edit.position) % edited.len();
            edited[at] ^= edit.mask;
        }
        if edited != bytes {
            changed = true;
            if let Some(slot) = json.pointer_mut(&pointer) {
                *slot = Json::String(b64url::encode(&edited));
            }
        }
    }
    (json.to_string(), changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unedited_ceremony_and_edited_ones_hold_the_invariants() {
        for algorithm in [
            FuzzAlgorithm::Es256,
            FuzzAlgorithm::Es384,
            FuzzAlgorithm::EdDsa,
        ] {
            let mut case = CeremonyCase {
                seed: 7,
                algorithm,
                attestation: FuzzAttestation::Packed,
                backup: FuzzBackup::BackedUp,
                counter_zero: false,
                user_verified: true,
                require_user_verification: true,
                fido: false,
                rp_id_hash_edits: Vec::new(),
                edits: Vec::new(),
            };
            fuzz_ceremony(&case);
            for field in [
                SignedField::ClientDataJson,
                SignedField::AuthenticatorData,
                SignedField::Signature,
            ] {
                case.edits = vec![Edit {
                    field,
                    position: 3,
                    mask: 0x01,
                }];
                fuzz_ceremony(&case);
            }
            case.edits.clear();
            case.rp_id_hash_edits = vec![(40, 0x80)];
            fuzz_ceremony(&case);
        }
    }
}
