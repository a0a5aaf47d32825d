#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::codec::b64url::Base64UrlError;
use rstest::rstest;
use serde_json::json;

/// A creation options ServerResponse in the style of the FIDO conformance server API
/// (`POST /attestation/options`), with the `status` and `errorMessage` wrapper members.
fn fido_creation_options() -> Json {
    json!({
        "status": "ok",
        "errorMessage": "",
        "rp": {"name": "Example Corporation"},
        "user": {
            "id": "S3932ee31vKEC0JtJMIQ",
            "name": "johndoe@example.com",
            "displayName": "John Doe"
        },
        "challenge": "uhUjPNlZfvn7onwuhNdsLPkkE5Fv-lUN",
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 10000,
        "excludeCredentials": [
            {"type": "public-key", "id": "opQf1WmYAa5aupUKJIQp", "transports": ["usb", "nfc"]}
        ],
        "authenticatorSelection": {
            "requireResidentKey": false,
            "authenticatorAttachment": "cross-platform",
            "userVerification": "preferred"
        },
        "attestation": "direct",
        "extensions": {"example.extension": true}
    })
}

/// A request options ServerResponse (`POST /assertion/options`).
fn fido_request_options() -> Json {
    json!({
        "status": "ok",
        "errorMessage": "",
        "challenge": "6283u0svT-YIF3pSolzkQHStwkJCaLKx",
        "timeout": 20000,
        "rpId": "example.com",
        "allowCredentials": [{"id": "m7xl_TkTcCe0WcXI2M-4ro9vJAuwcj4m", "type": "public-key"}],
        "userVerification": "required"
    })
}

fn b64(text: &str) -> Base64Url {
    Base64Url(b64url::decode(text).unwrap())
}

fn creation_invalid(detail: &str) -> OptionsError {
    OptionsError::Invalid {
        dictionary: "PublicKeyCredentialCreationOptionsJSON",
        detail: detail.to_owned(),
    }
}

fn request_invalid(detail: &str) -> OptionsError {
    OptionsError::Invalid {
        dictionary: "PublicKeyCredentialRequestOptionsJSON",
        detail: detail.to_owned(),
    }
}

#[test]
fn fido_creation_options_parse() {
    let options = CreationOptions::from_json(&fido_creation_options()).unwrap();
    assert_eq!(
        options,
        CreationOptions {
            rp: RpEntity {
                name: "Example Corporation".into(),
                id: None,
            },
            user: UserEntity {
                id: b64("S3932ee31vKEC0JtJMIQ"),
                name: "johndoe@example.com".into(),
                display_name: "John Doe".into(),
            },
            challenge: b64("uhUjPNlZfvn7onwuhNdsLPkkE5Fv-lUN"),
            pub_key_cred_params: vec![
                PubKeyCredParam {
                    type_: "public-key".into(),
                    alg: -7
                },
                PubKeyCredParam {
                    type_: "public-key".into(),
                    alg: -257
                },
            ],
            timeout: Some(10000),
            exclude_credentials: vec![CredentialDescriptor {
                type_: "public-key".into(),
                id: b64("opQf1WmYAa5aupUKJIQp"),
                transports: Some(vec!["usb".into(), "nfc".into()]),
            }],
            authenticator_selection: Some(AuthenticatorSelection {
                authenticator_attachment: Some("cross-platform".into()),
                resident_key: None,
                require_resident_key: Some(false),
                user_verification: Some("preferred".into()),
            }),
            attestation: Some("direct".into()),
            extensions: Some(
                json!({"example.extension": true})
                    .as_object()
                    .unwrap()
                    .clone()
            ),
        }
    );
    assert_eq!(options.challenge.0.len(), 24);
    assert_eq!(options.user.id.0.len(), 15);
}

#[test]
fn minimal_creation_options_take_defaults() {
    let value = json!({
        "rp": {"name": "RP", "id": "rp.example"},
        "user": {"id": "AQ", "name": "u", "displayName": "U"},
        "challenge": "AAAA",
        "pubKeyCredParams": []
    });
    let options = CreationOptions::from_json(&value).unwrap();
    assert_eq!(options.rp.id.as_deref(), Some("rp.example"));
    assert_eq!(options.user.id, Base64Url(vec![1]));
    assert_eq!(options.challenge, Base64Url(vec![0, 0, 0]));
    assert_eq!(options.timeout, None);
    assert_eq!(options.exclude_credentials, vec![]);
    assert_eq!(options.authenticator_selection, None);
    assert_eq!(options.attestation, None);
    assert_eq!(options.extensions, None);
    // Serializing leaves the absent members out (exclude list excepted).
    assert_eq!(
        serde_json::to_value(&options).unwrap(),
        json!({
            "rp": {"name": "RP", "id": "rp.example"},
            "user": {"id": "AQ", "name": "u", "displayName": "U"},
            "challenge": "AAAA",
            "pubKeyCredParams": [],
            "excludeCredentials": []
        })
    );
}

#[test]
fn creation_options_serialize_and_read_back() {
    let options = CreationOptions::from_json(&fido_creation_options()).unwrap();
    let value = serde_json::to_value(&options).unwrap();
    // The wrapper members are not part of the dictionary.
    assert_eq!(value.get("status"), None);
    assert_eq!(value.get("errorMessage"), None);
    assert_eq!(
        value["challenge"],
        json!("uhUjPNlZfvn7onwuhNdsLPkkE5Fv-lUN")
    );
    assert_eq!(value["user"]["displayName"], json!("John Doe"));
    assert_eq!(
        value["authenticatorSelection"],
        json!({
            "authenticatorAttachment": "cross-platform",
            "requireResidentKey": false,
            "userVerification": "preferred"
        })
    );
    assert_eq!(CreationOptions::from_json(&value), Ok(options));
}

#[test]
fn fido_request_options_parse() {
    let options = RequestOptions::from_json(&fido_request_options()).unwrap();
    assert_eq!(
        options,
        RequestOptions {
            challenge: b64("6283u0svT-YIF3pSolzkQHStwkJCaLKx"),
            timeout: Some(20000),
            rp_id: Some("example.com".into()),
            allow_credentials: vec![CredentialDescriptor {
                type_: "public-key".into(),
                id: b64("m7xl_TkTcCe0WcXI2M-4ro9vJAuwcj4m"),
                transports: None,
            }],
            user_verification: Some("required".into()),
            extensions: None,
        }
    );
    assert_eq!(
        UserVerification::parse(options.user_verification.as_deref()),
        UserVerification::Required
    );
    let value = serde_json::to_value(&options).unwrap();
    assert_eq!(
        value,
        json!({
            "challenge": "6283u0svT-YIF3pSolzkQHStwkJCaLKx",
            "timeout": 20000,
            "rpId": "example.com",
            "allowCredentials": [{"type": "public-key", "id": "m7xl_TkTcCe0WcXI2M-4ro9vJAuwcj4m"}],
            "userVerification": "required"
        })
    );
    assert_eq!(RequestOptions::from_json(&value), Ok(options));
}

#[test]
fn discoverable_request_options() {
    let options = RequestOptions::from_json(&json!({"challenge": "AAAA"})).unwrap();
    assert_eq!(options.allow_credentials, vec![]);
    assert_eq!(options.rp_id, None);
    assert_eq!(
        UserVerification::parse(options.user_verification.as_deref()),
        UserVerification::Preferred
    );
}

#[rstest]
#[case::padded("uhUjPNlZfvn7onwuhNdsLPkkE5Fv-lUN==", Base64UrlError::Padding { offset: 32 })]
#[case::standard_alphabet("uhUjPNlZfvn7onwuhNdsLPkkE5Fv+lUN", Base64UrlError::InvalidCharacter { offset: 28, found: '+' })]
#[case::dangling("AAAAA", Base64UrlError::InvalidLength { len: 5 })]
#[case::non_canonical("AB", Base64UrlError::NonCanonical { found: 'B' })]
fn bad_base64url_challenge(#[case] challenge: &str, #[case] source: Base64UrlError) {
    let mut creation = fido_creation_options();
    creation["challenge"] = json!(challenge);
    assert_eq!(
        CreationOptions::from_json(&creation),
        Err(creation_invalid(&source.to_string()))
    );
    let mut request = fido_request_options();
    request["challenge"] = json!(challenge);
    assert_eq!(
        RequestOptions::from_json(&request),
        Err(request_invalid(&source.to_string()))
    );
}

#[test]
fn bad_base64url_in_nested_ids() {
    let mut creation = fido_creation_options();
    creation["user"]["id"] = json!("S3932ee31vKEC0JtJMIQ=");
    assert_eq!(
        CreationOptions::from_json(&creation),
        Err(creation_invalid(
            &Base64UrlError::Padding { offset: 20 }.to_string()
        ))
    );
    let mut request = fido_request_options();
    request["allowCredentials"][0]["id"] = json!("m7xl/TkTcCe0WcXI2M-4ro9vJAuwcj4m");
    assert_eq!(
        RequestOptions::from_json(&request),
        Err(request_invalid(
            &Base64UrlError::InvalidCharacter {
                offset: 4,
                found: '/'
            }
            .to_string()
        ))
    );
}

#[rstest]
#[case::missing_rp("rp", None, "missing field `rp`")]
#[case::missing_user("user", None, "missing field `user`")]
#[case::missing_challenge("challenge", None, "missing field `challenge`")]
#[case::missing_params("pubKeyCredParams", None, "missing field `pubKeyCredParams`")]
#[case::challenge_number("challenge", Some(json!(1)), "invalid type: integer `1`, expected a string")]
#[case::timeout_negative("timeout", Some(json!(-1)), "invalid value: integer `-1`, expected u64")]
#[case::params_object("pubKeyCredParams", Some(json!({})), "invalid type: map, expected a sequence")]
#[case::exclude_null("excludeCredentials", Some(json!(null)), "invalid type: null, expected a sequence")]
fn invalid_creation_options(
    #[case] member: &str,
    #[case] value: Option<Json>,
    #[case] detail: &str,
) {
    let mut body = fido_creation_options();
    let map = body.as_object_mut().unwrap();
    match value {
        Some(value) => {
            map.insert(member.to_owned(), value);
        }
        None => {
            map.shift_remove(member);
        }
    }
    assert_eq!(
        CreationOptions::from_json(&body),
        Err(creation_invalid(detail))
    );
}

#[rstest]
#[case::string(json!("options"), "expected a JSON object, found a string")]
#[case::null(json!(null), "expected a JSON object, found null")]
#[case::missing_challenge(json!({"status": "ok"}), "missing field `challenge`")]
#[case::rp_id_number(json!({"challenge": "AA", "rpId": 1}), "invalid type: integer `1`, expected a string")]
#[case::descriptor_without_id(
    json!({"challenge": "AA", "allowCredentials": [{"type": "public-key"}]}),
    "missing field `id`"
)]
fn invalid_request_options(#[case] body: Json, #[case] detail: &str) {
    assert_eq!(
        RequestOptions::from_json(&body),
        Err(request_invalid(detail))
    );
}

#[test]
fn creation_options_must_be_an_object() {
    assert_eq!(
        CreationOptions::from_json(&json!("options")),
        Err(creation_invalid("expected a JSON object, found a string"))
    );
}

/// The options are JSON dictionaries (W3C L3 §5.1 PublicKeyCredentialCreationOptionsJSON,
/// PublicKeyCredentialRequestOptionsJSON): a JSON array is not one, even when its items line up
/// with the members in declaration order.
#[rstest]
#[case::request_array(json!(["AAAA"]))]
#[case::request_array_full(json!(["AAAA", null, null, [], null, null]))]
fn request_options_must_be_an_object(#[case] body: Json) {
    assert!(
        matches!(
            RequestOptions::from_json(&body),
            Err(OptionsError::Invalid {
                dictionary: "PublicKeyCredentialRequestOptionsJSON",
                ..
            })
        ),
        "{:?}",
        RequestOptions::from_json(&body)
    );
}

#[rstest]
#[case::creation_array(json!([
    {"name": "RP"},
    {"id": "AQ", "name": "u", "displayName": "U"},
    "AAAA",
    []
]))]
#[case::rp_as_array({
    let mut body = fido_creation_options();
    body["rp"] = json!(["Example Corporation"]);
    body
})]
fn creation_options_must_be_objects(#[case] body: Json) {
    assert!(
        matches!(
            CreationOptions::from_json(&body),
            Err(OptionsError::Invalid {
                dictionary: "PublicKeyCredentialCreationOptionsJSON",
                ..
            })
        ),
        "{:?}",
        CreationOptions::from_json(&body)
    );
}

#[rstest]
#[case::required(Some("required"), UserVerification::Required)]
#[case::preferred(Some("preferred"), UserVerification::Preferred)]
#[case::discouraged(Some("discouraged"), UserVerification::Discouraged)]
#[case::absent(None, UserVerification::Preferred)]
#[case::unknown(Some("mandatory"), UserVerification::Preferred)]
#[case::wrong_case(Some("Required"), UserVerification::Preferred)]
#[case::empty(Some(""), UserVerification::Preferred)]
fn user_verification_parse(#[case] value: Option<&str>, #[case] want: UserVerification) {
    assert_eq!(UserVerification::parse(value), want);
}

#[test]
fn user_verification_as_str_round_trips() {
    for uv in [
        UserVerification::Required,
        UserVerification::Preferred,
        UserVerification::Discouraged,
    ] {
        assert_eq!(UserVerification::parse(Some(uv.as_str())), uv);
    }
    assert_eq!(UserVerification::default(), UserVerification::Preferred);
    assert_eq!(UserVerification::Discouraged.as_str(), "discouraged");
}

#[test]
fn fido_server_creation_options_request() {
    let body = json!({
        "username": "johndoe@example.com",
        "displayName": "John Doe",
        "authenticatorSelection": {
            "residentKey": "required",
            "authenticatorAttachment": "cross-platform",
            "userVerification": "preferred"
        },
        "attestation": "direct",
        "extensions": {"example.extension": true}
    });
    let request: ServerCreationOptionsRequest = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        request,
        ServerCreationOptionsRequest {
            username: Some("johndoe@example.com".into()),
            display_name: Some("John Doe".into()),
            authenticator_selection: Some(AuthenticatorSelection {
                authenticator_attachment: Some("cross-platform".into()),
                resident_key: Some("required".into()),
                require_resident_key: None,
                user_verification: Some("preferred".into()),
            }),
            attestation: Some("direct".into()),
            extensions: Some(
                json!({"example.extension": true})
                    .as_object()
                    .unwrap()
                    .clone()
            ),
        }
    );
    assert_eq!(serde_json::to_value(&request).unwrap(), body);
}

#[test]
fn fido_server_get_options_request() {
    let body = json!({"username": "johndoe@example.com", "userVerification": "required"});
    let request: ServerGetOptionsRequest = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        request,
        ServerGetOptionsRequest {
            username: Some("johndoe@example.com".into()),
            user_verification: Some("required".into()),
            extensions: None,
        }
    );
    assert_eq!(serde_json::to_value(&request).unwrap(), body);
    // No username: the discoverable flow; empty body serializes to {}.
    let discoverable: ServerGetOptionsRequest = serde_json::from_value(json!({})).unwrap();
    assert_eq!(discoverable.username, None);
    assert_eq!(serde_json::to_value(&discoverable).unwrap(), json!({}));
}

#[test]
fn base64url_serde() {
    assert_eq!(
        serde_json::to_value(Base64Url(vec![0xfb, 0xff])).unwrap(),
        json!("-_8")
    );
    assert_eq!(
        serde_json::from_value::<Base64Url>(json!("-_8")).unwrap(),
        Base64Url(vec![0xfb, 0xff])
    );
    assert_eq!(
        serde_json::from_value::<Base64Url>(json!("")).unwrap(),
        Base64Url::default()
    );
    let err = serde_json::from_value::<Base64Url>(json!("+")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "character '+' at offset 0 is not in the base64url alphabet [A-Za-z0-9_-]"
    );
}

#[test]
fn error_message() {
    assert_eq!(
        creation_invalid("missing field `rp`").to_string(),
        "PublicKeyCredentialCreationOptionsJSON does not parse: missing field `rp`"
    );
}
