#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use super::*;
use crate::codec::cbor::encode;

fn object(entries: Vec<(&str, Value)>) -> Vec<u8> {
    encode(&Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (Value::Text(k.into()), v))
            .collect(),
    ))
}

#[test]
fn parses_and_reencodes() {
    let bytes = object(vec![
        ("fmt", Value::Text("none".into())),
        ("attStmt", Value::Map(vec![])),
        ("authData", Value::Bytes(vec![1; 37])),
    ]);
    let parsed = AttestationObject::parse(&bytes).unwrap();
    assert_eq!(parsed.fmt, "none");
    assert_eq!(parsed.to_bytes(), bytes);
}

#[test]
fn every_error() {
    let fmt = ("fmt", Value::Text("none".into()));
    let stmt = ("attStmt", Value::Map(vec![]));
    let auth = ("authData", Value::Bytes(vec![1; 37]));
    assert_eq!(
        AttestationObject::parse(&[0x01]),
        Err(AttestationObjectError::NotAMap { found: "integer" })
    );
    assert_eq!(
        AttestationObject::parse(&object(vec![stmt.clone(), auth.clone()])),
        Err(AttestationObjectError::MissingKey { key: "fmt" })
    );
    assert_eq!(
        AttestationObject::parse(&object(vec![
            ("fmt", Value::Integer(1.into())),
            stmt.clone(),
            auth.clone()
        ])),
        Err(AttestationObjectError::WrongType {
            key: "fmt",
            expected: "a text string",
            found: "integer"
        })
    );
    assert_eq!(
        AttestationObject::parse(&object(vec![
            fmt.clone(),
            ("attStmt", Value::Bool(true)),
            auth.clone()
        ])),
        Err(AttestationObjectError::WrongType {
            key: "attStmt",
            expected: "a map",
            found: "boolean"
        })
    );
    assert_eq!(
        AttestationObject::parse(&object(vec![
            fmt.clone(),
            stmt.clone(),
            ("authData", Value::Bytes(vec![]))
        ])),
        Err(AttestationObjectError::EmptyAuthData)
    );
    assert_eq!(
        AttestationObject::parse(&object(vec![fmt, stmt, auth, ("epAtt", Value::Bool(true))])),
        Err(AttestationObjectError::UnexpectedKey {
            key: "text \"epAtt\"".into()
        })
    );
    assert!(matches!(
        AttestationObject::parse(&[0xa1, 0xff]),
        Err(AttestationObjectError::Cbor(_))
    ));
}
