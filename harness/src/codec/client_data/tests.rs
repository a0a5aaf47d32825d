#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use super::*;
use rstest::rstest;

// W3C WebAuthn L3 §16 none.ES256 authentication clientDataJSON (index.bs @146d0db).
const W3C_GET: &str = r#"{"type":"webauthn.get","challenge":"OcDnUhQXulTUPo3JUXT0I97pvzzYBP9tZchXyav01Ag","origin":"https://example.org","crossOrigin":false}"#;

#[test]
fn serializes_in_the_clients_order_byte_for_byte() {
    let data = CollectedClientData {
        type_: "webauthn.get".into(),
        challenge: "OcDnUhQXulTUPo3JUXT0I97pvzzYBP9tZchXyav01Ag".into(),
        origin: "https://example.org".into(),
        cross_origin: Some(false),
        top_origin: None,
        other: Vec::new(),
    };
    assert_eq!(data.to_json_bytes(), W3C_GET.as_bytes());
    assert_eq!(
        ClientDataJson::parse(W3C_GET.as_bytes()).unwrap().data,
        data
    );
}

#[test]
fn keeps_unknown_members_and_exact_bytes_with_a_bom() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(br#"{"origin":"o","extraData":1,"challenge":"c","type":"t"}"#);
    let parsed = ClientDataJson::parse(&bytes).unwrap();
    assert_eq!(parsed.bytes, bytes);
    assert_eq!(
        parsed.data.other,
        vec![("extraData".to_owned(), serde_json::json!(1))]
    );
}

#[rstest]
#[case::utf8(b"{\"type\":\"\xff\"}".as_slice(), ClientDataError::NotUtf8 { valid_up_to: 9 })]
#[case::missing_type(br#"{"challenge":"c","origin":"o"}"#.as_slice(), ClientDataError::MissingMember { member: "type" })]
#[case::missing_challenge(br#"{"type":"t","origin":"o"}"#.as_slice(), ClientDataError::MissingMember { member: "challenge" })]
#[case::missing_origin(br#"{"type":"t","challenge":"c"}"#.as_slice(), ClientDataError::MissingMember { member: "origin" })]
#[case::type_number(br#"{"type":1,"challenge":"c","origin":"o"}"#.as_slice(), ClientDataError::WrongMemberType { member: "type", expected: "a string", found: "a number" })]
#[case::cross_origin_string(br#"{"type":"t","challenge":"c","origin":"o","crossOrigin":"yes"}"#.as_slice(), ClientDataError::WrongMemberType { member: "crossOrigin", expected: "a boolean", found: "a string" })]
#[case::duplicate(br#"{"type":"t","type":"u","challenge":"c","origin":"o"}"#.as_slice(), ClientDataError::DuplicateMember { key: "type".into() })]
fn typed_errors(#[case] bytes: &[u8], #[case] want: ClientDataError) {
    assert_eq!(ClientDataJson::parse(bytes), Err(want));
}

#[test]
fn not_json_and_not_object() {
    assert!(matches!(
        ClientDataJson::parse(b"{"),
        Err(ClientDataError::NotJson { .. })
    ));
    assert!(matches!(
        ClientDataJson::parse(b"[]"),
        Err(ClientDataError::NotAnObject { .. })
    ));
    assert!(matches!(
        ClientDataJson::parse(b"{} x"),
        Err(ClientDataError::NotJson { .. })
    ));
}
