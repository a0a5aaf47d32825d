//! The metadata an RP under test loads to trust the virtual authenticator's attestations.
//!
//! It plays the part of the FIDO Metadata Service (W3C L3 §7.1 step 23) locally: one entry per
//! AAGUID the harness attests with, each naming [`Pki::standard`]'s root. `trust-store` writes
//! it for RPs behind HTTP; the reference RP loads the same document by default.

use base64::Engine as _;
use serde_json::json;

use super::AttestationError;
use crate::authenticator::AuthenticatorConfig;
use crate::crypto::pki::Pki;

/// fido-u2f authenticators write an all-zero AAGUID (§8.6).
const ZERO_AAGUID: [u8; 16] = [0; 16];

/// The metadata document (the JSON shape `TrustStore::from_json` reads), pretty-printed.
pub fn harness_metadata_json() -> Result<String, AttestationError> {
    let root = base64::engine::general_purpose::STANDARD.encode(Pki::standard()?.root_der());
    let entry = |aaguid: &[u8; 16], description: &str| {
        json!({
            "aaguid": uuid(aaguid),
            "description": description,
            "attestationRootCertificates": [root],
        })
    };
    let document = json!({
        "entries": [
            entry(
                &AuthenticatorConfig::default().aaguid,
                "webauthn-conformance virtual authenticator (packed, tpm, android-key, \
                 android-safetynet, apple, compound)",
            ),
            entry(&ZERO_AAGUID, "webauthn-conformance virtual authenticator (fido-u2f)"),
        ],
    });
    // Serialising a `Value` cannot fail; fall back to the compact form regardless.
    Ok(serde_json::to_string_pretty(&document).unwrap_or_else(|_| document.to_string()) + "\n")
}

/// 8-4-4-4-12 lowercase hex, as metadata statements write AAGUIDs.
fn uuid(aaguid: &[u8; 16]) -> String {
    let hex = hex::encode(aaguid);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn names_both_aaguids_and_the_standard_root() {
        let json: serde_json::Value =
            serde_json::from_str(&harness_metadata_json().unwrap()).unwrap();
        let entries = json["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0]["aaguid"], "7761632d-7669-7274-7561-6c2d61757468");
        assert_eq!(entries[1]["aaguid"], "00000000-0000-0000-0000-000000000000");
        let root = base64::engine::general_purpose::STANDARD
            .decode(
                entries[0]["attestationRootCertificates"][0]
                    .as_str()
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(root, Pki::standard().unwrap().root_der());
    }

    #[test]
    fn is_deterministic() {
        assert_eq!(
            harness_metadata_json().unwrap(),
            harness_metadata_json().unwrap()
        );
    }
}
