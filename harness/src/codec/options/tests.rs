#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use super::*;
use serde_json::json;

#[test]
fn reads_a_fido_api_options_body() {
    let body = json!({"status": "ok", "errorMessage": "", "rp": {"name": "Example"},
        "user": {"id": "S3932ee31vKEC0JtJMIQ", "name": "johndoe@example.com", "displayName": "John Doe"},
        "challenge": "uhUjPNlZfvn7onwuhNdsLPkkE5Fv-lUN", "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
        "timeout": 10000, "excludeCredentials": [{"type": "public-key", "id": "opQf1WmYAa5aupUKJIQp"}],
        "attestation": "direct"});
    let options = CreationOptions::from_json(&body).unwrap();
    assert_eq!(options.rp.id, None);
    assert_eq!(options.pub_key_cred_params[0].alg, -7);
    assert_eq!(options.exclude_credentials.len(), 1);
    let request =
        RequestOptions::from_json(&json!({"challenge": "AAAA", "allowCredentials": []})).unwrap();
    assert_eq!(request.challenge.0, vec![0, 0, 0]);
}

#[test]
fn padded_challenge_is_invalid() {
    let err = RequestOptions::from_json(&json!({"challenge": "AA=="})).unwrap_err();
    assert!(matches!(
        err,
        OptionsError::Invalid {
            dictionary: "PublicKeyCredentialRequestOptionsJSON",
            ..
        }
    ));
}

#[test]
fn user_verification_defaults_to_preferred() {
    assert_eq!(
        UserVerification::parse(Some("required")),
        UserVerification::Required
    );
    assert_eq!(
        UserVerification::parse(Some("avocado")),
        UserVerification::Preferred
    );
    assert_eq!(UserVerification::parse(None), UserVerification::Preferred);
}
