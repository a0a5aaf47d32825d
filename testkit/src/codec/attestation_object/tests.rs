#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::codec::auth_data::{AuthenticatorData, Flags};
use crate::codec::cbor::CborError;
use rstest::rstest;

// Test vector from the W3C WebAuthn L3 editor's draft (index.bs @146d0db), §16 "Test Vectors",
// `none.ES256`: the registration authenticator data (164 bytes) ...
const W3C_AUTH_DATA: &str = concat!(
    "bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b5", // rpIdHash
    "59",                                                               // flags: UP|BE|BS|AT
    "00000000",                                                         // signCount
    "8446ccb9ab1db374750b2367ff6f3a1f",                                 // aaguid
    "0020",                                                             // credentialIdLength
    "f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4",
    "a5010203262001215820afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61",
    "225820930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220",
);
/// ... and the attestation object around it.
const W3C_ATTESTATION_OBJECT_PREFIX: &str = concat!(
    "a3",                 // map(3)
    "63666d74",           // "fmt"
    "646e6f6e65",         // "none"
    "6761747453746d74",   // "attStmt"
    "a0",                 // {}
    "686175746844617461", // "authData"
    "58a4",               // bytes(164)
);

fn h(text: &str) -> Vec<u8> {
    hex::decode(text).expect("test hex is valid")
}

fn w3c_attestation_object() -> Vec<u8> {
    h(&[W3C_ATTESTATION_OBJECT_PREFIX, W3C_AUTH_DATA].concat())
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// An attestation object map with the given entries, encoded.
fn object(entries: Vec<(Value, Value)>) -> Vec<u8> {
    cbor::encode(&Value::Map(entries))
}

fn fmt() -> (Value, Value) {
    (text("fmt"), text("none"))
}

fn att_stmt() -> (Value, Value) {
    (text("attStmt"), Value::Map(vec![]))
}

fn auth_data() -> (Value, Value) {
    (text("authData"), Value::Bytes(vec![0xaa; 37]))
}

#[test]
fn w3c_none_attestation_object_parses() {
    let bytes = w3c_attestation_object();
    let parsed = AttestationObject::parse(&bytes).unwrap();
    assert_eq!(parsed.fmt, "none");
    assert_eq!(parsed.att_stmt, Value::Map(vec![]));
    assert_eq!(parsed.auth_data, h(W3C_AUTH_DATA));
    assert_eq!(parsed.auth_data.len(), 164);
    assert_eq!(parsed.to_bytes(), bytes);
    let auth_data = AuthenticatorData::parse(&parsed.auth_data).unwrap();
    assert_eq!(auth_data.flags, Flags(0x59));
}

#[test]
fn to_value_orders_fmt_att_stmt_auth_data() {
    let object = AttestationObject {
        fmt: "packed".into(),
        att_stmt: Value::Map(vec![(text("alg"), Value::Integer((-7).into()))]),
        auth_data: vec![1, 2, 3],
    };
    assert_eq!(
        object.to_bytes(),
        h(concat!(
            "a3",                 // map(3)
            "63666d74",           // "fmt"
            "667061636b6564",     // "packed"
            "6761747453746d74",   // "attStmt"
            "a163616c6726",       // {"alg": -7}
            "686175746844617461", // "authData"
            "43010203",           // h'010203'
        ))
    );
    assert_eq!(AttestationObject::parse(&object.to_bytes()), Ok(object));
}

#[test]
fn key_order_does_not_matter() {
    let bytes = object(vec![auth_data(), fmt(), att_stmt()]);
    let parsed = AttestationObject::parse(&bytes).unwrap();
    assert_eq!(parsed.fmt, "none");
    assert_eq!(parsed.auth_data, vec![0xaa; 37]);
    // The encoder writes the browser order, so the bytes differ.
    assert_eq!(
        parsed.to_bytes(),
        object(vec![fmt(), att_stmt(), auth_data()])
    );
}

#[test]
fn compound_att_stmt_array_is_accepted() {
    let stmt = Value::Array(vec![Value::Map(vec![])]);
    let bytes = object(vec![
        (text("fmt"), text("compound")),
        (text("attStmt"), stmt.clone()),
        auth_data(),
    ]);
    assert_eq!(
        AttestationObject::parse(&bytes),
        Ok(AttestationObject {
            fmt: "compound".into(),
            att_stmt: stmt,
            auth_data: vec![0xaa; 37],
        })
    );
}

#[rstest]
#[case::empty("", CborError::Empty)]
#[case::break_byte("ff", CborError::UnexpectedBreak { offset: 0 })]
#[case::indefinite_map(concat!("bf", "ff"), CborError::IndefiniteLength { offset: 0, item: "map" })]
#[case::truncated_map(concat!("a3", "63", "666d74"), CborError::LengthExceedsInput { offset: 0, declared: 6, remaining: 4 })]
#[case::duplicate_fmt(
    concat!("a2", "63", "666d74", "64", "6e6f6e65", "63", "666d74", "64", "6e6f6e65"),
    CborError::DuplicateMapKey { offset: 0, key: "text \"fmt\"".into() }
)]
fn invalid_cbor(#[case] encoded: &str, #[case] source: CborError) {
    assert_eq!(
        AttestationObject::parse(&h(encoded)),
        Err(AttestationObjectError::Cbor(source))
    );
}

#[test]
fn trailing_bytes_after_the_object() {
    let mut bytes = w3c_attestation_object();
    bytes.push(0x00);
    assert_eq!(
        AttestationObject::parse(&bytes),
        Err(AttestationObjectError::Cbor(CborError::TrailingBytes {
            offset: 194,
            count: 1
        }))
    );
}

#[rstest]
#[case::array("80", "array")]
#[case::bytes(concat!("41", "00"), "byte string")]
#[case::text(concat!("61", "61"), "text string")]
#[case::integer("00", "integer")]
#[case::null("f6", "null")]
fn not_a_map(#[case] encoded: &str, #[case] found: &'static str) {
    assert_eq!(
        AttestationObject::parse(&h(encoded)),
        Err(AttestationObjectError::NotAMap { found })
    );
}

#[rstest]
#[case::fmt(vec![att_stmt(), auth_data()], "fmt")]
#[case::att_stmt(vec![fmt(), auth_data()], "attStmt")]
#[case::auth_data(vec![fmt(), att_stmt()], "authData")]
#[case::all(vec![], "fmt")]
fn missing_keys(#[case] entries: Vec<(Value, Value)>, #[case] key: &'static str) {
    assert_eq!(
        AttestationObject::parse(&object(entries)),
        Err(AttestationObjectError::MissingKey { key })
    );
}

#[rstest]
#[case::fmt_int(
    vec![(text("fmt"), Value::Integer(1.into())), att_stmt(), auth_data()],
    AttestationObjectError::WrongType { key: "fmt", expected: "a text string", found: "integer" }
)]
#[case::fmt_bytes(
    vec![(text("fmt"), Value::Bytes(b"none".to_vec())), att_stmt(), auth_data()],
    AttestationObjectError::WrongType { key: "fmt", expected: "a text string", found: "byte string" }
)]
#[case::att_stmt_text(
    vec![fmt(), (text("attStmt"), text("")), auth_data()],
    AttestationObjectError::WrongType { key: "attStmt", expected: "a map", found: "text string" }
)]
#[case::att_stmt_null(
    vec![fmt(), (text("attStmt"), Value::Null), auth_data()],
    AttestationObjectError::WrongType { key: "attStmt", expected: "a map", found: "null" }
)]
#[case::auth_data_text(
    vec![fmt(), att_stmt(), (text("authData"), text("AAAA"))],
    AttestationObjectError::WrongType { key: "authData", expected: "a byte string", found: "text string" }
)]
#[case::auth_data_array(
    vec![fmt(), att_stmt(), (text("authData"), Value::Array(vec![]))],
    AttestationObjectError::WrongType { key: "authData", expected: "a byte string", found: "array" }
)]
fn wrong_types(#[case] entries: Vec<(Value, Value)>, #[case] want: AttestationObjectError) {
    assert_eq!(AttestationObject::parse(&object(entries)), Err(want));
}

#[test]
fn empty_auth_data() {
    let bytes = h(concat!(
        "a3",                   // map(3)
        "63666d74646e6f6e65",   // "fmt": "none"
        "6761747453746d74a0",   // "attStmt": {}
        "68617574684461746140", // "authData": h''
    ));
    assert_eq!(
        AttestationObject::parse(&bytes),
        Err(AttestationObjectError::EmptyAuthData)
    );
}

#[rstest]
#[case::extra_text_key(
    vec![fmt(), att_stmt(), auth_data(), (text("ep"), Value::Bool(true))],
    "text \"ep\""
)]
#[case::ctap_integer_keys(
    vec![(Value::Integer(1.into()), text("none")), att_stmt(), auth_data()],
    "int 1"
)]
#[case::wrong_case(vec![(text("FMT"), text("none")), att_stmt(), auth_data()], "text \"FMT\"")]
#[case::byte_string_key(vec![(Value::Bytes(b"fmt".to_vec()), text("none"))], "bytes(3)")]
fn unexpected_keys(#[case] entries: Vec<(Value, Value)>, #[case] key: &str) {
    assert_eq!(
        AttestationObject::parse(&object(entries)),
        Err(AttestationObjectError::UnexpectedKey {
            key: key.to_owned()
        })
    );
}

#[test]
fn unexpected_key_is_reported_before_missing_keys() {
    assert_eq!(
        AttestationObject::parse(&object(vec![(text("x"), Value::Null)])),
        Err(AttestationObjectError::UnexpectedKey {
            key: "text \"x\"".into()
        })
    );
}

#[test]
fn error_messages_cite_the_spec() {
    assert_eq!(
        AttestationObjectError::MissingKey { key: "authData" }.to_string(),
        "attestationObject has no \"authData\" (W3C L3 §6.5.4)"
    );
    assert_eq!(
        AttestationObjectError::Cbor(CborError::Empty).to_string(),
        "attestationObject is not valid CBOR: empty input where one CBOR item was expected (W3C L3 §7.1 step 13)"
    );
}
