#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use rstest::rstest;
use serde_json::json;

// Bodies built from the W3C WebAuthn L3 editor's draft (index.bs @146d0db), §16 "Test Vectors",
// `none.ES256`, in the `PublicKeyCredential.toJSON()` shape.
const REGISTRATION: &str = r#"{"id":"-R85HbTJsv3g6nAYnLo_tj9Xm6YSKzOtlP8-wzAIS-Q","rawId":"-R85HbTJsv3g6nAYnLo_tj9Xm6YSKzOtlP8-wzAIS-Q","type":"public-key","response":{"clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiQU1NUHQ0VXh4R1RTdG5jZHE0MTdZRHdCRmk4dnBJYS1wdzhvT3VWVzRUQSIsIm9yaWdpbiI6Imh0dHBzOi8vZXhhbXBsZS5vcmciLCJjcm9zc09yaWdpbiI6ZmFsc2UsImV4dHJhRGF0YSI6ImNsaWVudERhdGFKU09OIG1heSBiZSBleHRlbmRlZCB3aXRoIGFkZGl0aW9uYWwgZmllbGRzIGluIHRoZSBmdXR1cmUsIHN1Y2ggYXMgdGhpczogQmtRZURqZGNUQnJYQmlBd0pUTEU1USJ9","attestationObject":"o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVikv6vDdDKViwYzYNOtZGHJxHNa5_jt1GWSpeDwFFKy5LVZAAAAAIRGzLmrHbN0dQsjZ_9vOh8AIPkfOR20ybL94OpwGJy6P7Y_V5umEiszrZT_PsMwCEvkpQECAyYgASFYIK_voW-XypstI-uGzLZAmNINuQhWBi6yScM6m2cvJt9hIlggkwpWuHovymYzSwNFir-HlxfBLMaO1zKQry4mZHlrkiA"},"clientExtensionResults":{}}"#;
const AUTHENTICATION: &str = r#"{"id":"-R85HbTJsv3g6nAYnLo_tj9Xm6YSKzOtlP8-wzAIS-Q","rawId":"-R85HbTJsv3g6nAYnLo_tj9Xm6YSKzOtlP8-wzAIS-Q","type":"public-key","response":{"clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiT2NEblVoUVh1bFRVUG8zSlVYVDBJOTdwdnp6WUJQOXRaY2hYeWF2MDFBZyIsIm9yaWdpbiI6Imh0dHBzOi8vZXhhbXBsZS5vcmciLCJjcm9zc09yaWdpbiI6ZmFsc2V9","authenticatorData":"v6vDdDKViwYzYNOtZGHJxHNa5_jt1GWSpeDwFFKy5LUZAAAAAA","signature":"MEYCIQD1Ck4uRAkknEqFO6NhKC8JhB303UVHoTqHeAIY3v_NOAIhAISArA8Lk1OBdPV1vxGh3V14xuSGAT-TcpXqE2U-Mx6H"},"clientExtensionResults":{}}"#;

const CREDENTIAL_ID: &str = "f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4";
const REGISTRATION_CLIENT_DATA: &str = r#"{"type":"webauthn.create","challenge":"AMMPt4UxxGTStncdq417YDwBFi8vpIa-pw8oOuVW4TA","origin":"https://example.org","crossOrigin":false,"extraData":"clientDataJSON may be extended with additional fields in the future, such as this: BkQeDjdcTBrXBiAwJTLE5Q"}"#;
const AUTHENTICATION_CLIENT_DATA: &str = r#"{"type":"webauthn.get","challenge":"OcDnUhQXulTUPo3JUXT0I97pvzzYBP9tZchXyav01Ag","origin":"https://example.org","crossOrigin":false}"#;
const ATTESTATION_OBJECT: &str = concat!(
    "a363666d74646e6f6e656761747453746d74a068617574684461746158a4", // {"fmt": "none", "attStmt": {}, "authData": bytes(164)
    "bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b5", // rpIdHash
    "59000000008446ccb9ab1db374750b2367ff6f3a1f0020", // flags, signCount, aaguid, credentialIdLength
    "f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4", // credentialId
    "a5010203262001215820afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61",
    "225820930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220", // COSE key }
);
const AUTHENTICATOR_DATA: &str =
    "bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b51900000000";
const SIGNATURE: &str = concat!(
    "3046022100f50a4e2e4409249c4a853ba361282f09841df4dd4547a13a87780218deffcd38",
    "0221008480ac0f0b93538174f575bf11a1dd5d78c6e486013f937295ea13653e331e87",
);
const ID: &str = "-R85HbTJsv3g6nAYnLo_tj9Xm6YSKzOtlP8-wzAIS-Q";

fn h(text: &str) -> Vec<u8> {
    hex::decode(text).expect("test hex is valid")
}

/// The body with the value at `path` removed (`None`) or replaced.
fn mutate(body: &str, path: &[&str], value: Option<Json>) -> String {
    let mut root: Json = serde_json::from_str(body).unwrap();
    let (last, parents) = path.split_last().unwrap();
    let mut object = &mut root;
    for key in parents {
        object = object.get_mut(*key).unwrap();
    }
    let map = object.as_object_mut().unwrap();
    match value {
        Some(value) => {
            map.insert((*last).to_owned(), value);
        }
        None => {
            map.shift_remove(*last);
        }
    }
    root.to_string()
}

#[test]
fn w3c_registration_body_parses() {
    assert_eq!(
        RegistrationResponse::parse(REGISTRATION),
        Ok(RegistrationResponse {
            id: ID.into(),
            raw_id: Some(h(CREDENTIAL_ID)),
            type_: "public-key".into(),
            response: AttestationResponse {
                client_data_json: REGISTRATION_CLIENT_DATA.as_bytes().to_vec(),
                attestation_object: h(ATTESTATION_OBJECT),
                authenticator_data: None,
                transports: None,
                public_key: None,
                public_key_algorithm: None,
            },
            authenticator_attachment: None,
            client_extension_results: Some(Map::new()),
        })
    );
}

#[test]
fn w3c_authentication_body_parses() {
    assert_eq!(
        AuthenticationResponse::parse(AUTHENTICATION),
        Ok(AuthenticationResponse {
            id: ID.into(),
            raw_id: Some(h(CREDENTIAL_ID)),
            type_: "public-key".into(),
            response: AssertionResponse {
                client_data_json: AUTHENTICATION_CLIENT_DATA.as_bytes().to_vec(),
                authenticator_data: h(AUTHENTICATOR_DATA),
                signature: h(SIGNATURE),
                user_handle: None,
            },
            authenticator_attachment: None,
            client_extension_results: Some(Map::new()),
        })
    );
}

#[test]
fn level3_to_json_reproduces_the_w3c_bodies() {
    let registration = RegistrationResponse::parse(REGISTRATION).unwrap();
    assert_eq!(
        registration.to_json(WireShape::Level3).to_string(),
        REGISTRATION
    );
    let authentication = AuthenticationResponse::parse(AUTHENTICATION).unwrap();
    assert_eq!(
        authentication.to_json(WireShape::Level3).to_string(),
        AUTHENTICATION
    );
    assert_eq!(WireShape::default(), WireShape::Level3);
}

#[test]
fn fido_api_shape_parses() {
    // The FIDO conformance API's ServerPublicKeyCredential: no rawId, getClientExtensionResults,
    // and an empty userHandle.
    let body = json!({
        "id": ID,
        "type": "public-key",
        "response": {
            "clientDataJSON": b64url::encode(AUTHENTICATION_CLIENT_DATA.as_bytes()),
            "authenticatorData": b64url::encode(&h(AUTHENTICATOR_DATA)),
            "signature": b64url::encode(&h(SIGNATURE)),
            "userHandle": "",
        },
        "getClientExtensionResults": {"appid": false},
    });
    let parsed = AuthenticationResponse::parse(&body.to_string()).unwrap();
    assert_eq!(parsed.raw_id, None);
    assert_eq!(parsed.response.user_handle, Some(vec![]));
    assert_eq!(
        parsed.client_extension_results,
        Some(json!({"appid": false}).as_object().unwrap().clone())
    );
}

#[test]
fn optional_registration_fields_parse() {
    let body = json!({
        "id": ID,
        "rawId": ID,
        "type": "public-key",
        "response": {
            "clientDataJSON": "e30",
            "authenticatorData": "AQID",
            "transports": ["usb", "hybrid"],
            "publicKey": "MFkw",
            "publicKeyAlgorithm": -7,
            "attestationObject": "oA",
        },
        "authenticatorAttachment": "cross-platform",
        "clientExtensionResults": {"credProps": {"rk": true}},
    });
    let parsed = RegistrationResponse::parse(&body.to_string()).unwrap();
    assert_eq!(
        parsed.response,
        AttestationResponse {
            client_data_json: b"{}".to_vec(),
            attestation_object: vec![0xa0],
            authenticator_data: Some(vec![1, 2, 3]),
            transports: Some(vec!["usb".into(), "hybrid".into()]),
            public_key: Some(vec![0x30, 0x59, 0x30]),
            public_key_algorithm: Some(-7),
        }
    );
    assert_eq!(
        parsed.authenticator_attachment.as_deref(),
        Some("cross-platform")
    );
    // Parsing the Level3 form of the value gives the value back, and the JSON is the input's.
    assert_eq!(parsed.to_json(WireShape::Level3), body);
}

#[test]
fn client_extension_results_win_over_get_client_extension_results() {
    let body = mutate(
        REGISTRATION,
        &["getClientExtensionResults"],
        Some(json!({"ignored": true})),
    );
    assert_eq!(
        RegistrationResponse::parse(&body)
            .unwrap()
            .client_extension_results,
        Some(Map::new())
    );
    // When only the FIDO name is present, it is read (and must be an object).
    let fido_only = mutate(&body, &["clientExtensionResults"], None);
    assert_eq!(
        RegistrationResponse::parse(&fido_only)
            .unwrap()
            .client_extension_results,
        Some(json!({"ignored": true}).as_object().unwrap().clone())
    );
    let neither = mutate(&fido_only, &["getClientExtensionResults"], None);
    assert_eq!(
        RegistrationResponse::parse(&neither)
            .unwrap()
            .client_extension_results,
        None
    );
}

#[rstest]
#[case::empty("", "EOF while parsing a value at line 1 column 0")]
#[case::truncated("{\"id\":", "EOF while parsing a value at line 1 column 6")]
#[case::trailing("{} {}", "trailing characters at line 1 column 4")]
#[case::single_quotes("{'id':1}", "key must be a string at line 1 column 2")]
fn not_json(#[case] body: &str, #[case] detail: &str) {
    let want = WireError::NotJson {
        detail: detail.to_owned(),
    };
    assert_eq!(RegistrationResponse::parse(body), Err(want.clone()));
    assert_eq!(AuthenticationResponse::parse(body), Err(want));
}

#[rstest]
#[case::array("[]", "an array")]
#[case::string("\"x\"", "a string")]
#[case::null("null", "null")]
#[case::number("1", "a number")]
fn root_not_an_object(#[case] body: &str, #[case] found: &'static str) {
    let want = WireError::NotAnObject {
        path: "the credential".into(),
        found,
    };
    assert_eq!(RegistrationResponse::parse(body), Err(want.clone()));
    assert_eq!(AuthenticationResponse::parse(body), Err(want));
}

fn missing(path: &str) -> WireError {
    WireError::MissingField { path: path.into() }
}

fn wrong(path: &str, expected: &'static str, found: &'static str) -> WireError {
    WireError::WrongType {
        path: path.into(),
        expected,
        found,
    }
}

fn empty(path: &str) -> WireError {
    WireError::Empty { path: path.into() }
}

fn not_b64(path: &str, source: Base64UrlError) -> WireError {
    WireError::NotBase64Url {
        path: path.into(),
        source,
    }
}

fn not_object(path: &str, found: &'static str) -> WireError {
    WireError::NotAnObject {
        path: path.into(),
        found,
    }
}

/// Faults in the fields both credential kinds share.
#[rstest]
#[case::id_missing(&["id"], None, missing("id"))]
#[case::id_number(&["id"], Some(json!(1)), wrong("id", "a string", "a number"))]
#[case::id_null(&["id"], Some(json!(null)), wrong("id", "a string", "null"))]
#[case::raw_id_number(&["rawId"], Some(json!(1)), wrong("rawId", "a string", "a number"))]
#[case::raw_id_array(&["rawId"], Some(json!([249, 31])), wrong("rawId", "a string", "an array"))]
#[case::raw_id_empty(&["rawId"], Some(json!("")), empty("rawId"))]
#[case::raw_id_padded(&["rawId"], Some(json!("AA==")), not_b64("rawId", Base64UrlError::Padding { offset: 2 }))]
#[case::raw_id_standard_base64(
    &["rawId"],
    Some(json!("+R85HbTJsv3g6nAYnLo/tj9Xm6YSKzOtlP8+wzAIS+Q=")),
    not_b64("rawId", Base64UrlError::InvalidCharacter { offset: 0, found: '+' })
)]
#[case::type_missing(&["type"], None, missing("type"))]
#[case::type_bool(&["type"], Some(json!(true)), wrong("type", "a string", "a boolean"))]
#[case::response_missing(&["response"], None, missing("response"))]
#[case::response_string(&["response"], Some(json!("{}")), not_object("response", "a string"))]
#[case::response_array(&["response"], Some(json!([])), not_object("response", "an array"))]
#[case::client_data_missing(&["response", "clientDataJSON"], None, missing("response.clientDataJSON"))]
#[case::client_data_object(
    &["response", "clientDataJSON"],
    Some(json!({"type": "webauthn.get"})),
    wrong("response.clientDataJSON", "a string", "an object")
)]
#[case::client_data_empty(&["response", "clientDataJSON"], Some(json!("")), empty("response.clientDataJSON"))]
#[case::client_data_dangling(
    &["response", "clientDataJSON"],
    Some(json!("eyJ0e")),
    not_b64("response.clientDataJSON", Base64UrlError::InvalidLength { len: 5 })
)]
#[case::client_data_non_canonical(
    &["response", "clientDataJSON"],
    Some(json!("e31")),
    not_b64("response.clientDataJSON", Base64UrlError::NonCanonical { found: '1' })
)]
#[case::attachment_number(
    &["authenticatorAttachment"],
    Some(json!(0)),
    wrong("authenticatorAttachment", "a string", "a number")
)]
#[case::extensions_array(
    &["clientExtensionResults"],
    Some(json!([])),
    not_object("clientExtensionResults", "an array")
)]
#[case::extensions_null(
    &["clientExtensionResults"],
    Some(json!(null)),
    not_object("clientExtensionResults", "null")
)]
fn common_field_faults(
    #[case] path: &[&str],
    #[case] value: Option<Json>,
    #[case] want: WireError,
) {
    let registration = mutate(REGISTRATION, path, value.clone());
    assert_eq!(
        RegistrationResponse::parse(&registration),
        Err(want.clone())
    );
    let authentication = mutate(AUTHENTICATION, path, value);
    assert_eq!(AuthenticationResponse::parse(&authentication), Err(want));
}

#[test]
fn get_client_extension_results_must_be_an_object() {
    let body = mutate(REGISTRATION, &["clientExtensionResults"], None);
    let body = mutate(&body, &["getClientExtensionResults"], Some(json!("x")));
    assert_eq!(
        RegistrationResponse::parse(&body),
        Err(not_object("getClientExtensionResults", "a string"))
    );
}

#[rstest]
#[case::attestation_object_missing(&["response", "attestationObject"], None, missing("response.attestationObject"))]
#[case::attestation_object_number(
    &["response", "attestationObject"],
    Some(json!(163)),
    wrong("response.attestationObject", "a string", "a number")
)]
#[case::attestation_object_empty(&["response", "attestationObject"], Some(json!("")), empty("response.attestationObject"))]
#[case::attestation_object_space(
    &["response", "attestationObject"],
    Some(json!("o2Nm bXRk")),
    not_b64("response.attestationObject", Base64UrlError::InvalidCharacter { offset: 4, found: ' ' })
)]
#[case::authenticator_data_empty(&["response", "authenticatorData"], Some(json!("")), empty("response.authenticatorData"))]
#[case::authenticator_data_bool(
    &["response", "authenticatorData"],
    Some(json!(false)),
    wrong("response.authenticatorData", "a string", "a boolean")
)]
#[case::authenticator_data_slash(
    &["response", "authenticatorData"],
    Some(json!("v6v/")),
    not_b64("response.authenticatorData", Base64UrlError::InvalidCharacter { offset: 3, found: '/' })
)]
#[case::transports_string(
    &["response", "transports"],
    Some(json!("usb")),
    wrong("response.transports", "an array of strings", "a string")
)]
#[case::transports_number_item(
    &["response", "transports"],
    Some(json!(["usb", 1])),
    wrong("response.transports", "an array of strings", "a number")
)]
#[case::public_key_empty(&["response", "publicKey"], Some(json!("")), empty("response.publicKey"))]
#[case::public_key_dangling(
    &["response", "publicKey"],
    Some(json!("A")),
    not_b64("response.publicKey", Base64UrlError::InvalidLength { len: 1 })
)]
#[case::public_key_object(
    &["response", "publicKey"],
    Some(json!({})),
    wrong("response.publicKey", "a string", "an object")
)]
#[case::public_key_algorithm_string(
    &["response", "publicKeyAlgorithm"],
    Some(json!("-7")),
    wrong("response.publicKeyAlgorithm", "an integer", "a string")
)]
#[case::public_key_algorithm_float(
    &["response", "publicKeyAlgorithm"],
    Some(json!(-7.5)),
    wrong("response.publicKeyAlgorithm", "an integer", "a number")
)]
#[case::public_key_algorithm_too_big(
    &["response", "publicKeyAlgorithm"],
    Some(json!(u64::MAX)),
    wrong("response.publicKeyAlgorithm", "an integer", "a number")
)]
fn registration_field_faults(
    #[case] path: &[&str],
    #[case] value: Option<Json>,
    #[case] want: WireError,
) {
    assert_eq!(
        RegistrationResponse::parse(&mutate(REGISTRATION, path, value)),
        Err(want)
    );
}

#[rstest]
#[case::authenticator_data_missing(&["response", "authenticatorData"], None, missing("response.authenticatorData"))]
#[case::authenticator_data_number(
    &["response", "authenticatorData"],
    Some(json!(1)),
    wrong("response.authenticatorData", "a string", "a number")
)]
#[case::authenticator_data_empty(&["response", "authenticatorData"], Some(json!("")), empty("response.authenticatorData"))]
#[case::authenticator_data_padded(
    &["response", "authenticatorData"],
    Some(json!("v6vDdDKViwYzYNOtZGHJxHNa5_jt1GWSpeDwFFKy5LUZAAAAAA==")),
    not_b64("response.authenticatorData", Base64UrlError::Padding { offset: 50 })
)]
#[case::signature_missing(&["response", "signature"], None, missing("response.signature"))]
#[case::signature_array(
    &["response", "signature"],
    Some(json!([])),
    wrong("response.signature", "a string", "an array")
)]
#[case::signature_empty(&["response", "signature"], Some(json!("")), empty("response.signature"))]
#[case::signature_standard_base64(
    &["response", "signature"],
    Some(json!("MEYCIQD1Ck4uRAkknEqFO6NhKC8JhB303UVHoTqHeAIY3v/NOAIhAISArA8Lk1OBdPV1vxGh3V14xuSGAT+TcpXqE2U+Mx6H")),
    not_b64("response.signature", Base64UrlError::InvalidCharacter { offset: 46, found: '/' })
)]
#[case::user_handle_number(
    &["response", "userHandle"],
    Some(json!(0)),
    wrong("response.userHandle", "a string", "a number")
)]
#[case::user_handle_null(
    &["response", "userHandle"],
    Some(json!(null)),
    wrong("response.userHandle", "a string", "null")
)]
#[case::user_handle_padded(
    &["response", "userHandle"],
    Some(json!("AA=")),
    not_b64("response.userHandle", Base64UrlError::Padding { offset: 2 })
)]
fn authentication_field_faults(
    #[case] path: &[&str],
    #[case] value: Option<Json>,
    #[case] want: WireError,
) {
    assert_eq!(
        AuthenticationResponse::parse(&mutate(AUTHENTICATION, path, value)),
        Err(want)
    );
}

#[test]
fn faults_are_reported_in_field_order() {
    // id is checked before type, and the root before the response.
    let body = json!({"type": 1, "response": 1});
    assert_eq!(
        AuthenticationResponse::parse(&body.to_string()),
        Err(missing("id"))
    );
    let body = json!({"id": "x", "type": 1, "response": 1});
    assert_eq!(
        AuthenticationResponse::parse(&body.to_string()),
        Err(wrong("type", "a string", "a number"))
    );
    // clientDataJSON before attestationObject.
    let body = json!({"id": "x", "type": "t", "response": {}});
    assert_eq!(
        RegistrationResponse::parse(&body.to_string()),
        Err(missing("response.clientDataJSON"))
    );
}

#[test]
fn id_is_kept_as_sent() {
    // The parser does not check id against rawId; that is the RP's job, and the harness sends
    // mismatches on purpose.
    let body = mutate(AUTHENTICATION, &["id"], Some(json!("not base64url!")));
    assert_eq!(
        AuthenticationResponse::parse(&body).unwrap().id,
        "not base64url!"
    );
}

fn full_registration() -> RegistrationResponse {
    RegistrationResponse {
        id: ID.into(),
        raw_id: Some(h(CREDENTIAL_ID)),
        type_: "public-key".into(),
        response: AttestationResponse {
            client_data_json: REGISTRATION_CLIENT_DATA.as_bytes().to_vec(),
            attestation_object: h(ATTESTATION_OBJECT),
            authenticator_data: Some(h(AUTHENTICATOR_DATA)),
            transports: Some(vec!["internal".into()]),
            public_key: Some(vec![0x30, 0x59]),
            public_key_algorithm: Some(-7),
        },
        authenticator_attachment: Some("platform".into()),
        client_extension_results: Some(
            json!({"credProps": {"rk": true}})
                .as_object()
                .unwrap()
                .clone(),
        ),
    }
}

fn full_authentication() -> AuthenticationResponse {
    AuthenticationResponse {
        id: ID.into(),
        raw_id: Some(h(CREDENTIAL_ID)),
        type_: "public-key".into(),
        response: AssertionResponse {
            client_data_json: AUTHENTICATION_CLIENT_DATA.as_bytes().to_vec(),
            authenticator_data: h(AUTHENTICATOR_DATA),
            signature: h(SIGNATURE),
            user_handle: Some(vec![1, 2, 3, 4]),
        },
        authenticator_attachment: Some("cross-platform".into()),
        client_extension_results: Some(json!({"appid": true}).as_object().unwrap().clone()),
    }
}

fn keys(value: &Json) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[rstest]
#[case::level3(
    WireShape::Level3,
    &["id", "rawId", "type", "response", "authenticatorAttachment", "clientExtensionResults"]
)]
#[case::fido_api(
    WireShape::FidoApi,
    &["id", "type", "response", "authenticatorAttachment", "getClientExtensionResults"]
)]
#[case::both(
    WireShape::Both,
    &[
        "id",
        "rawId",
        "type",
        "response",
        "authenticatorAttachment",
        "clientExtensionResults",
        "getClientExtensionResults",
    ]
)]
fn to_json_shapes(#[case] shape: WireShape, #[case] want: &[&str]) {
    let registration = full_registration().to_json(shape);
    assert_eq!(keys(&registration), want);
    assert_eq!(
        keys(&registration["response"]),
        [
            "clientDataJSON",
            "authenticatorData",
            "transports",
            "publicKey",
            "publicKeyAlgorithm",
            "attestationObject",
        ]
    );
    let authentication = full_authentication().to_json(shape);
    assert_eq!(keys(&authentication), want);
    assert_eq!(
        keys(&authentication["response"]),
        [
            "clientDataJSON",
            "authenticatorData",
            "signature",
            "userHandle"
        ]
    );
    assert_eq!(authentication["response"]["userHandle"], json!("AQIDBA"));
    for name in ["clientExtensionResults", "getClientExtensionResults"] {
        if let Some(results) = authentication.get(name) {
            assert_eq!(results, &json!({"appid": true}));
        }
    }
}

#[rstest]
#[case::level3(WireShape::Level3)]
#[case::fido_api(WireShape::FidoApi)]
#[case::both(WireShape::Both)]
fn parse_of_to_json_round_trips(#[case] shape: WireShape) {
    // The FIDO API shape has no rawId, so that one field does not survive it.
    let keeps_raw_id = shape != WireShape::FidoApi;

    let registration = full_registration();
    let mut want = registration.clone();
    if !keeps_raw_id {
        want.raw_id = None;
    }
    let body = registration.to_json(shape).to_string();
    assert_eq!(RegistrationResponse::parse(&body), Ok(want));

    let authentication = full_authentication();
    let mut want = authentication.clone();
    if !keeps_raw_id {
        want.raw_id = None;
    }
    let body = authentication.to_json(shape).to_string();
    assert_eq!(AuthenticationResponse::parse(&body), Ok(want));
}

#[test]
fn absent_extension_results_are_written_as_an_empty_object() {
    let mut registration = full_registration();
    registration.client_extension_results = None;
    registration.authenticator_attachment = None;
    registration.response = AttestationResponse {
        authenticator_data: None,
        transports: None,
        public_key: None,
        public_key_algorithm: None,
        ..registration.response
    };
    let body = registration.to_json(WireShape::Level3);
    assert_eq!(body["clientExtensionResults"], json!({}));
    assert_eq!(
        keys(&body),
        ["id", "rawId", "type", "response", "clientExtensionResults"]
    );
    assert_eq!(
        keys(&body["response"]),
        ["clientDataJSON", "attestationObject"]
    );
    // So a None does not survive a round trip: it comes back as an empty map.
    assert_eq!(
        RegistrationResponse::parse(&body.to_string())
            .unwrap()
            .client_extension_results,
        Some(Map::new())
    );
}

#[test]
fn empty_user_handle_round_trips() {
    let mut authentication = full_authentication();
    authentication.response.user_handle = Some(vec![]);
    let body = authentication.to_json(WireShape::Level3);
    assert_eq!(body["response"]["userHandle"], json!(""));
    assert_eq!(
        AuthenticationResponse::parse(&body.to_string()),
        Ok(authentication)
    );
}

#[test]
fn error_messages_name_the_path() {
    assert_eq!(
        not_b64("response.signature", Base64UrlError::Padding { offset: 2 }).to_string(),
        "response.signature is not base64url: padding '=' at offset 2; WebAuthn base64url has no padding (W3C L3 §3 base64url encoding)"
    );
    assert_eq!(
        missing("rawId").to_string(),
        "rawId is missing (W3C L3 §5.1; FIDO conformance API)"
    );
}
