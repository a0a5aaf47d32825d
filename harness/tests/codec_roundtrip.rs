//! Property tests for the codec: every encoder's output decodes to the value it came from, and
//! no parser panics, whatever the input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value as Json;

use webauthn_conformance::codec::attestation_object::AttestationObject;
use webauthn_conformance::codec::auth_data::{
    AttestedCredentialData, AuthenticatorData, Flags, ParseOptions,
};
use webauthn_conformance::codec::cbor::{self, CborError, Value};
use webauthn_conformance::codec::client_data::{ClientDataJson, CollectedClientData};
use webauthn_conformance::codec::cose::{CoseAlgorithm, CoseKey, Curve};
use webauthn_conformance::codec::wire::{AuthenticationResponse, RegistrationResponse, WireShape};

// Valid inputs to mutate, from the W3C WebAuthn L3 editor's draft (index.bs @146d0db), §16
// "Test Vectors", `none.ES256`.
const W3C_AUTH_DATA: &str = concat!(
    "bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b5",
    "59000000008446ccb9ab1db374750b2367ff6f3a1f0020",
    "f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4",
    "a5010203262001215820afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61",
    "225820930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220",
);
const W3C_ATTESTATION_OBJECT_PREFIX: &str =
    "a363666d74646e6f6e656761747453746d74a068617574684461746158a4";
const W3C_CLIENT_DATA: &str = r#"{"type":"webauthn.get","challenge":"OcDnUhQXulTUPo3JUXT0I97pvzzYBP9tZchXyav01Ag","origin":"https://example.org","crossOrigin":false}"#;
const W3C_REGISTRATION_BODY: &str = r#"{"id":"-R85HbTJsv3g6nAYnLo_tj9Xm6YSKzOtlP8-wzAIS-Q","rawId":"-R85HbTJsv3g6nAYnLo_tj9Xm6YSKzOtlP8-wzAIS-Q","type":"public-key","response":{"clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiQU1NUHQ0VXh4R1RTdG5jZHE0MTdZRHdCRmk4dnBJYS1wdzhvT3VWVzRUQSIsIm9yaWdpbiI6Imh0dHBzOi8vZXhhbXBsZS5vcmciLCJjcm9zc09yaWdpbiI6ZmFsc2UsImV4dHJhRGF0YSI6ImNsaWVudERhdGFKU09OIG1heSBiZSBleHRlbmRlZCB3aXRoIGFkZGl0aW9uYWwgZmllbGRzIGluIHRoZSBmdXR1cmUsIHN1Y2ggYXMgdGhpczogQmtRZURqZGNUQnJYQmlBd0pUTEU1USJ9","attestationObject":"o2NmbXRkbm9uZWdhdHRTdG10oGhhdXRoRGF0YVikv6vDdDKViwYzYNOtZGHJxHNa5_jt1GWSpeDwFFKy5LVZAAAAAIRGzLmrHbN0dQsjZ_9vOh8AIPkfOR20ybL94OpwGJy6P7Y_V5umEiszrZT_PsMwCEvkpQECAyYgASFYIK_voW-XypstI-uGzLZAmNINuQhWBi6yScM6m2cvJt9hIlggkwpWuHovymYzSwNFir-HlxfBLMaO1zKQry4mZHlrkiA"},"clientExtensionResults":{}}"#;
const W3C_AUTHENTICATION_BODY: &str = r#"{"id":"-R85HbTJsv3g6nAYnLo_tj9Xm6YSKzOtlP8-wzAIS-Q","rawId":"-R85HbTJsv3g6nAYnLo_tj9Xm6YSKzOtlP8-wzAIS-Q","type":"public-key","response":{"clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uZ2V0IiwiY2hhbGxlbmdlIjoiT2NEblVoUVh1bFRVUG8zSlVYVDBJOTdwdnp6WUJQOXRaY2hYeWF2MDFBZyIsIm9yaWdpbiI6Imh0dHBzOi8vZXhhbXBsZS5vcmciLCJjcm9zc09yaWdpbiI6ZmFsc2V9","authenticatorData":"v6vDdDKViwYzYNOtZGHJxHNa5_jt1GWSpeDwFFKy5LUZAAAAAA","signature":"MEYCIQD1Ck4uRAkknEqFO6NhKC8JhB303UVHoTqHeAIY3v_NOAIhAISArA8Lk1OBdPV1vxGh3V14xuSGAT-TcpXqE2U-Mx6H"},"clientExtensionResults":{}}"#;

fn h(text: &str) -> Vec<u8> {
    hex::decode(text).expect("test hex is valid")
}

fn w3c_attestation_object() -> Vec<u8> {
    h(&[W3C_ATTESTATION_OBJECT_PREFIX, W3C_AUTH_DATA].concat())
}

// ---------------------------------------------------------------------------------------------
// Generators.

prop_compose! {
    /// An EC2 key whose algorithm, curve and coordinate lengths agree.
    fn ec2_key()(
        (alg, crv) in prop_oneof![
            Just((CoseAlgorithm::Es256, Curve::P256)),
            Just((CoseAlgorithm::Es384, Curve::P384)),
            Just((CoseAlgorithm::Es512, Curve::P521)),
        ]
    )(
        x in vec(any::<u8>(), crv.coordinate_len()),
        y in vec(any::<u8>(), crv.coordinate_len()),
        alg in Just(alg),
        crv in Just(crv),
    ) -> CoseKey {
        CoseKey::Ec2 { alg, crv, x, y }
    }
}

prop_compose! {
    /// An Ed25519 key.
    fn okp_key()(x in vec(any::<u8>(), 32)) -> CoseKey {
        CoseKey::Okp { alg: CoseAlgorithm::EdDsa, crv: Curve::Ed25519, x }
    }
}

prop_compose! {
    /// An RSA key with a non-empty modulus and exponent.
    fn rsa_key()(
        alg in prop_oneof![
            Just(CoseAlgorithm::Rs256),
            Just(CoseAlgorithm::Rs384),
            Just(CoseAlgorithm::Rs512),
            Just(CoseAlgorithm::Rs1),
            Just(CoseAlgorithm::Ps256),
            Just(CoseAlgorithm::Ps384),
            Just(CoseAlgorithm::Ps512),
        ],
        n in vec(any::<u8>(), 1..=512),
        e in vec(any::<u8>(), 1..=4),
    ) -> CoseKey {
        CoseKey::Rsa { alg, n, e }
    }
}

fn cose_key() -> impl Strategy<Value = CoseKey> {
    prop_oneof![ec2_key(), okp_key(), rsa_key()]
}

/// A CBOR value the strict decoder accepts: no NaN (it is not equal to itself), map keys unique,
/// nesting well inside the default limit.
fn cbor_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|i| Value::Integer(i.into())),
        any::<u64>().prop_map(|n| Value::Integer(n.into())),
        // The whole negative range, down to -2^64.
        any::<u64>().prop_map(|n| {
            Value::Integer(ciborium::value::Integer::try_from(-1 - i128::from(n)).unwrap())
        }),
        vec(any::<u8>(), 0..24).prop_map(Value::Bytes),
        any::<String>().prop_map(Value::Text),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        any::<f64>()
            .prop_filter("NaN is not equal to itself", |f| !f.is_nan())
            .prop_map(Value::Float),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            vec((inner.clone(), inner.clone()), 0..5)
                .prop_map(|entries| Value::Map(unique_keys(entries))),
            (any::<u64>(), inner).prop_map(|(tag, value)| Value::Tag(tag, Box::new(value))),
        ]
    })
}

/// Drops entries whose key encodes like an earlier one.
fn unique_keys(entries: Vec<(Value, Value)>) -> Vec<(Value, Value)> {
    let mut seen = Vec::new();
    entries
        .into_iter()
        .filter(|(key, _)| {
            let encoded = cbor::encode(key);
            let fresh = !seen.contains(&encoded);
            seen.push(encoded);
            fresh
        })
        .collect()
}

prop_compose! {
    /// An authenticator extensions map: unique text identifiers to simple values.
    fn extensions_map()(
        entries in btree_map(
            "[a-zA-Z][a-zA-Z0-9]{0,15}",
            prop_oneof![
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(|i| Value::Integer(i.into())),
                vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
                vec(any::<u8>(), 0..4).prop_map(|b| {
                    Value::Array(b.into_iter().map(|i| Value::Integer(i.into())).collect())
                }),
            ],
            0..4,
        )
    ) -> Vec<u8> {
        let entries = entries.into_iter().map(|(k, v)| (Value::Text(k), v)).collect();
        cbor::encode(&Value::Map(entries))
    }
}

prop_compose! {
    fn attested_credential_data()(
        aaguid in any::<[u8; 16]>(),
        credential_id in vec(any::<u8>(), 0..=1023),
        key in cose_key(),
    ) -> AttestedCredentialData {
        AttestedCredentialData { aaguid, credential_id, credential_public_key: key.to_cbor() }
    }
}

prop_compose! {
    /// Authenticator data the strict parser accepts: AT and ED say exactly what is present,
    /// every other flag bit is arbitrary, nothing trails.
    fn authenticator_data()(
        rp_id_hash in any::<[u8; 32]>(),
        flags in any::<u8>(),
        sign_count in any::<u32>(),
        attested_credential_data in option::of(attested_credential_data()),
        extensions in option::of(extensions_map()),
    ) -> AuthenticatorData {
        let mut flags = Flags(flags).without(Flags::AT | Flags::ED);
        if attested_credential_data.is_some() {
            flags = flags.with(Flags::AT);
        }
        if extensions.is_some() {
            flags = flags.with(Flags::ED);
        }
        AuthenticatorData {
            rp_id_hash,
            flags,
            sign_count,
            attested_credential_data,
            extensions,
            trailing: Vec::new(),
        }
    }
}

prop_compose! {
    fn attestation_object()(
        fmt in any::<String>(),
        att_stmt in btree_map(
            any::<String>(),
            prop_oneof![
                vec(any::<u8>(), 0..64).prop_map(Value::Bytes),
                any::<i64>().prop_map(|i| Value::Integer(i.into())),
            ],
            0..5,
        ),
        auth_data in vec(any::<u8>(), 1..300),
    ) -> AttestationObject {
        AttestationObject {
            fmt,
            att_stmt: Value::Map(att_stmt.into_iter().map(|(k, v)| (Value::Text(k), v)).collect()),
            auth_data,
        }
    }
}

const KNOWN_MEMBERS: [&str; 5] = ["type", "challenge", "origin", "crossOrigin", "topOrigin"];

/// A JSON member value. No floats: serde_json's default float parsing is not guaranteed to give
/// back the bits it printed.
fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        any::<String>().prop_map(Json::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Json::Array),
            btree_map(any::<String>(), inner, 0..4)
                .prop_map(|map| Json::Object(map.into_iter().collect())),
        ]
    })
}

prop_compose! {
    /// Extra members: unique names that are none of the known ones, in any order.
    fn other_members()(
        members in btree_map(
            any::<String>().prop_filter("not a known member", |k| !KNOWN_MEMBERS.contains(&k.as_str())),
            json_value(),
            0..4,
        )
        .prop_map(|map: BTreeMap<String, Json>| map.into_iter().collect::<Vec<_>>())
        .prop_shuffle()
    ) -> Vec<(String, Json)> {
        members
    }
}

prop_compose! {
    fn collected_client_data()(
        type_ in any::<String>(),
        challenge in any::<String>(),
        origin in any::<String>(),
        cross_origin in option::of(any::<bool>()),
        top_origin in option::of(any::<String>()),
        other in other_members(),
    ) -> CollectedClientData {
        CollectedClientData { type_, challenge, origin, cross_origin, top_origin, other }
    }
}

/// `base` with one random edit: a byte replaced, inserted or removed, or the input cut short.
fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    (0..4u8, any::<Index>(), any::<u8>()).prop_map(move |(kind, at, byte)| {
        let mut out = base.clone();
        match kind {
            0 => {
                let i = at.index(out.len());
                out[i] = byte;
            }
            1 => out.insert(at.index(out.len() + 1), byte),
            2 => {
                out.remove(at.index(out.len()));
            }
            _ => out.truncate(at.index(out.len())),
        }
        out
    })
}

fn mutated_text(base: &str) -> impl Strategy<Value = String> {
    mutated(base.as_bytes().to_vec()).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

/// Bytes that are mostly CBOR-looking: short and heavy on headers.
fn cbor_ish_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(
        prop_oneof![
            any::<u8>(),
            Just(0x81u8),
            Just(0xa1),
            Just(0x9f),
            Just(0xbf),
            Just(0xff),
            Just(0x5b),
            Just(0xf8),
            Just(0x00),
        ],
        0..64,
    )
}

// ---------------------------------------------------------------------------------------------
// Round trips: encode, then decode gives the same value back.

proptest! {
    #[test]
    fn cbor_value_round_trips(value in cbor_value()) {
        let encoded = cbor::encode(&value);
        let decoded = cbor::decode(&encoded).unwrap();
        prop_assert_eq!(&decoded, &value);
        prop_assert_eq!(cbor::encode(&decoded), encoded);
    }

    #[test]
    fn cose_key_round_trips(key in cose_key()) {
        let encoded = key.to_cbor();
        prop_assert_eq!(CoseKey::from_cbor(&encoded), Ok(key.clone()));
        prop_assert_eq!(CoseKey::from_value(&key.to_value()), Ok(key));
    }

    #[test]
    fn authenticator_data_round_trips(data in authenticator_data()) {
        let bytes = data.to_bytes();
        prop_assert_eq!(AuthenticatorData::parse(&bytes), Ok(data.clone()));
        // And the attested key is still a valid COSE key after the trip.
        if let Some(acd) = &data.attested_credential_data {
            prop_assert!(CoseKey::from_cbor(&acd.credential_public_key).is_ok());
        }
    }

    #[test]
    fn attestation_object_round_trips(object in attestation_object()) {
        let bytes = object.to_bytes();
        prop_assert_eq!(AttestationObject::parse(&bytes), Ok(object.clone()));
        prop_assert_eq!(AttestationObject::parse(&bytes).unwrap().to_bytes(), bytes);
    }

    #[test]
    fn collected_client_data_round_trips(data in collected_client_data()) {
        let bytes = data.to_json_bytes();
        let parsed = ClientDataJson::parse(&bytes).unwrap();
        prop_assert_eq!(&parsed.bytes, &bytes);
        prop_assert_eq!(&parsed.data, &data);
        prop_assert_eq!(parsed.data.to_json_bytes(), bytes);
    }
}

// ---------------------------------------------------------------------------------------------
// No parser panics, on arbitrary input or on a valid input with one random edit; whatever they
// accept re-encodes consistently.

fn check_cbor(bytes: &[u8]) -> Result<(), TestCaseError> {
    match cbor::decode_prefix(bytes) {
        Ok((value, used)) => {
            prop_assert!(used >= 1 && used <= bytes.len());
            // The prefix alone is one strict item, and its value survives a re-encode.
            let alone = cbor::decode(&bytes[..used]);
            prop_assert!(alone.is_ok());
            let encoded = cbor::encode(&value);
            let again = cbor::decode(&encoded).unwrap();
            prop_assert_eq!(cbor::encode(&again), encoded);
            if used < bytes.len() {
                prop_assert_eq!(
                    cbor::decode(bytes),
                    Err(CborError::TrailingBytes {
                        offset: used,
                        count: bytes.len() - used
                    })
                );
            }
        }
        Err(CborError::Empty) => prop_assert!(bytes.is_empty()),
        Err(
            CborError::Truncated { offset }
            | CborError::Malformed { offset }
            | CborError::IndefiniteLength { offset, .. }
            | CborError::UnexpectedBreak { offset }
            | CborError::DuplicateMapKey { offset, .. }
            | CborError::RecursionLimit { offset, .. }
            | CborError::LengthExceedsInput { offset, .. }
            | CborError::InvalidUtf8 { offset },
        ) => prop_assert!(
            offset <= bytes.len(),
            "offset {} of {}",
            offset,
            bytes.len()
        ),
        Err(other) => return Err(TestCaseError::fail(format!("unexpected error {other:?}"))),
    }
    Ok(())
}

fn check_cose_key(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(key) = CoseKey::from_cbor(bytes) {
        prop_assert_eq!(CoseKey::from_cbor(&key.to_cbor()), Ok(key));
    }
    Ok(())
}

fn check_auth_data(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(data) = AuthenticatorData::parse(bytes) {
        prop_assert_eq!(data.to_bytes(), bytes);
        prop_assert!(data.trailing.is_empty());
    }
    let lenient = ParseOptions {
        allow_trailing_bytes: true,
        max_credential_id_len: usize::from(u16::MAX),
        attested_data_without_at: false,
    };
    if let Ok(data) = AuthenticatorData::parse_with(bytes, lenient) {
        prop_assert_eq!(data.to_bytes(), bytes);
    }
    Ok(())
}

fn check_attestation_object(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(object) = AttestationObject::parse(bytes) {
        prop_assert!(!object.auth_data.is_empty());
        let again = AttestationObject::parse(&object.to_bytes()).unwrap();
        prop_assert_eq!(again.to_bytes(), object.to_bytes());
    }
    Ok(())
}

fn check_client_data(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(parsed) = ClientDataJson::parse(bytes) {
        prop_assert_eq!(&parsed.bytes[..], bytes);
    }
    Ok(())
}

fn check_wire(body: &str) -> Result<(), TestCaseError> {
    if let Ok(credential) = RegistrationResponse::parse(body) {
        let again =
            RegistrationResponse::parse(&credential.to_json(WireShape::Both).to_string()).unwrap();
        prop_assert_eq!(&again.id, &credential.id);
        prop_assert_eq!(&again.raw_id, &credential.raw_id);
        prop_assert_eq!(&again.response, &credential.response);
    }
    if let Ok(credential) = AuthenticationResponse::parse(body) {
        let again = AuthenticationResponse::parse(&credential.to_json(WireShape::Both).to_string())
            .unwrap();
        prop_assert_eq!(&again.id, &credential.id);
        prop_assert_eq!(&again.raw_id, &credential.raw_id);
        prop_assert_eq!(&again.response, &credential.response);
    }
    Ok(())
}

proptest! {
    #[test]
    fn cbor_decode_never_panics(bytes in vec(any::<u8>(), 0..256)) {
        check_cbor(&bytes)?;
    }

    #[test]
    fn cbor_decode_never_panics_on_header_heavy_input(bytes in cbor_ish_bytes()) {
        check_cbor(&bytes)?;
    }

    #[test]
    fn cbor_decode_never_panics_on_edited_attestation_objects(bytes in mutated(w3c_attestation_object())) {
        check_cbor(&bytes)?;
    }

    #[test]
    fn cose_key_never_panics(bytes in vec(any::<u8>(), 0..160)) {
        check_cose_key(&bytes)?;
    }

    #[test]
    fn cose_key_never_panics_on_edited_keys(bytes in mutated(h(&W3C_AUTH_DATA[174..]))) {
        check_cose_key(&bytes)?;
    }

    #[test]
    fn auth_data_never_panics(bytes in vec(any::<u8>(), 0..300)) {
        check_auth_data(&bytes)?;
    }

    #[test]
    fn auth_data_never_panics_after_a_valid_header(
        flags in any::<u8>(),
        tail in vec(any::<u8>(), 0..200),
    ) {
        let mut bytes = vec![0u8; 32];
        bytes.push(flags);
        bytes.extend([0, 0, 0, 1]);
        bytes.extend(tail);
        check_auth_data(&bytes)?;
    }

    #[test]
    fn auth_data_never_panics_on_edited_w3c_data(bytes in mutated(h(W3C_AUTH_DATA))) {
        check_auth_data(&bytes)?;
    }

    #[test]
    fn attestation_object_never_panics(bytes in vec(any::<u8>(), 0..300)) {
        check_attestation_object(&bytes)?;
    }

    #[test]
    fn attestation_object_never_panics_on_edits(bytes in mutated(w3c_attestation_object())) {
        check_attestation_object(&bytes)?;
    }

    #[test]
    fn client_data_never_panics(bytes in vec(any::<u8>(), 0..256)) {
        check_client_data(&bytes)?;
    }

    #[test]
    fn client_data_never_panics_on_strings(text in any::<String>()) {
        check_client_data(text.as_bytes())?;
    }

    #[test]
    fn client_data_never_panics_on_edits(bytes in mutated(W3C_CLIENT_DATA.as_bytes().to_vec())) {
        check_client_data(&bytes)?;
    }

    #[test]
    fn wire_never_panics(body in any::<String>()) {
        check_wire(&body)?;
    }

    #[test]
    fn wire_never_panics_on_json_ish_strings(body in r#"[{}\[\]":,a-zA-Z0-9_\- ]{0,80}"#) {
        check_wire(&body)?;
    }

    #[test]
    fn wire_never_panics_on_edited_registrations(body in mutated_text(W3C_REGISTRATION_BODY)) {
        check_wire(&body)?;
    }

    #[test]
    fn wire_never_panics_on_edited_authentications(body in mutated_text(W3C_AUTHENTICATION_BODY)) {
        check_wire(&body)?;
    }
}

#[test]
fn w3c_inputs_used_as_mutation_bases_are_valid() {
    // The edits above start from valid inputs; make sure they are.
    assert!(AuthenticatorData::parse(&h(W3C_AUTH_DATA)).is_ok());
    assert_eq!(
        CoseKey::from_cbor(&h(&W3C_AUTH_DATA[174..])).map(|key| key.alg()),
        Ok(CoseAlgorithm::Es256)
    );
    assert!(AttestationObject::parse(&w3c_attestation_object()).is_ok());
    assert!(ClientDataJson::parse(W3C_CLIENT_DATA.as_bytes()).is_ok());
    assert!(RegistrationResponse::parse(W3C_REGISTRATION_BODY).is_ok());
    assert!(AuthenticationResponse::parse(W3C_AUTHENTICATION_BODY).is_ok());
}
