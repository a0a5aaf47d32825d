#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use super::*;
use serde_json::json;

fn registration() -> serde_json::Value {
    json!({"id": "AQID", "rawId": "AQID", "type": "public-key",
           "response": {"clientDataJSON": "e30", "attestationObject": "oA"},
           "clientExtensionResults": {}})
}

#[test]
fn round_trips_in_every_shape() {
    let parsed = RegistrationResponse::parse(&registration().to_string()).unwrap();
    assert_eq!(parsed.raw_id, Some(vec![1, 2, 3]));
    let l3 = parsed.to_json(WireShape::Level3);
    assert!(l3.get("rawId").is_some() && l3.get("clientExtensionResults").is_some());
    let fido = parsed.to_json(WireShape::FidoApi);
    assert!(fido.get("rawId").is_none() && fido.get("getClientExtensionResults").is_some());
    let fido_parsed = RegistrationResponse::parse(&fido.to_string()).unwrap();
    assert_eq!(fido_parsed.raw_id, None);
    assert_eq!(fido_parsed.response, parsed.response);
}

#[test]
fn every_error_names_its_path() {
    let with = |path: &[&str], value: Option<serde_json::Value>| {
        let mut body = registration();
        let (last, parents) = path.split_last().unwrap();
        let mut node = &mut body;
        for p in parents {
            node = node.get_mut(*p).unwrap();
        }
        let map = node.as_object_mut().unwrap();
        match value {
            Some(v) => {
                map.insert((*last).to_owned(), v);
            }
            None => {
                map.remove(*last);
            }
        }
        RegistrationResponse::parse(&body.to_string()).unwrap_err()
    };
    assert_eq!(
        with(&["id"], None),
        WireError::MissingField { path: "id".into() }
    );
    assert_eq!(
        with(&["type"], Some(json!(1))),
        WireError::WrongType {
            path: "type".into(),
            expected: "a string",
            found: "a number"
        }
    );
    assert_eq!(
        with(&["response"], Some(json!([]))),
        WireError::NotAnObject {
            path: "response".into(),
            found: "an array"
        }
    );
    assert_eq!(
        with(&["response", "clientDataJSON"], Some(json!(""))),
        WireError::Empty {
            path: "response.clientDataJSON".into()
        }
    );
    assert!(matches!(
        with(&["response", "attestationObject"], Some(json!("oA=="))),
        WireError::NotBase64Url { .. }
    ));
    assert_eq!(
        RegistrationResponse::parse("{"),
        Err(WireError::NotJson {
            detail: "EOF while parsing an object at line 1 column 1".into()
        })
    );
    assert_eq!(
        RegistrationResponse::parse("[]"),
        Err(WireError::NotAnObject {
            path: "the credential".into(),
            found: "an array"
        })
    );
}

#[test]
fn assertion_user_handle_may_be_empty_but_not_a_number() {
    let body = |user_handle: serde_json::Value| {
        json!({"id": "AQID", "type": "public-key",
        "response": {"clientDataJSON": "e30", "authenticatorData": "AA", "signature": "AA", "userHandle": user_handle}}).to_string()
    };
    assert_eq!(
        AuthenticationResponse::parse(&body(json!("")))
            .unwrap()
            .response
            .user_handle,
        Some(vec![])
    );
    assert_eq!(
        AuthenticationResponse::parse(&body(json!(3))),
        Err(WireError::WrongType {
            path: "response.userHandle".into(),
            expected: "a string",
            found: "a number"
        })
    );
}
