//! The parser targets: for each codec, bytes a parser accepts must survive re-encoding and
//! re-parsing unchanged (the round-trip invariant).
#![allow(
    clippy::panic,
    reason = "a panic is how a fuzz target reports a broken invariant"
)]

use serde_json::Value as Json;

use crate::codec::attestation_object::AttestationObject;
use crate::codec::auth_data::AuthenticatorData;
use crate::codec::cbor;
use crate::codec::client_data::ClientDataJson;
use crate::codec::cose::CoseKey;
use crate::codec::wire::{AuthenticationResponse, RegistrationResponse, WireShape};

/// Strict CBOR (definite lengths, one item, no duplicate keys): a decoded value re-encodes in
/// preferred form, which decodes again and encodes to the same bytes. (The
/// decoder accepts non-shortest heads, `d9 0000` for tag 0 say, so the input bytes themselves
/// need not come back; `fuzz/regressions/cbor/` keeps the input that showed it.)
pub fn fuzz_cbor(data: &[u8]) {
    if let Ok(value) = cbor::decode(data) {
        let encoded = cbor::encode(&value);
        let again = cbor::decode(&encoded).unwrap_or_else(|e| {
            panic!(
                "{} decoded, but its re-encoding {} does not: {e}",
                hex::encode(data),
                hex::encode(&encoded)
            )
        });
        // Bytes, not values: NaN != NaN.
        assert_eq!(
            cbor::encode(&again),
            encoded,
            "CBOR round trip of {} is not stable",
            hex::encode(data)
        );
    }
}

/// Attestation objects (§6.5.4): a parsed object re-encodes and re-parses to itself.
pub fn fuzz_attestation_object(data: &[u8]) {
    if let Ok(object) = AttestationObject::parse(data) {
        let again = AttestationObject::parse(&object.to_bytes())
            .unwrap_or_else(|e| panic!("re-encoded attestation object does not parse: {e}"));
        assert_eq!(again, object, "attestation object round trip");
        let _ = AuthenticatorData::parse(&object.auth_data);
    }
}

/// Authenticator data (§6.1): parsing keeps every byte, so encoding gives the input back.
pub fn fuzz_auth_data(data: &[u8]) {
    if let Ok(auth_data) = AuthenticatorData::parse(data) {
        assert_eq!(auth_data.to_bytes(), data, "authenticator data round trip");
    }
}

/// COSE keys (§5.8.5, §6.5.1.1): a parsed key re-encodes and re-parses to itself.
pub fn fuzz_cose_key(data: &[u8]) {
    if let Ok(key) = CoseKey::from_cbor(data) {
        let again = CoseKey::from_cbor(&key.to_cbor())
            .unwrap_or_else(|e| panic!("re-encoded COSE key does not parse: {e}"));
        assert_eq!(again, key, "COSE key round trip");
    }
}

/// clientDataJSON (§5.8.1): a parsed one re-serialises (§5.8.1.2) and re-parses to itself.
pub fn fuzz_client_data(data: &[u8]) {
    if let Ok(client_data) = ClientDataJson::parse(data) {
        let again = ClientDataJson::parse(&client_data.data.to_json_bytes())
            .unwrap_or_else(|e| panic!("re-serialised clientDataJSON does not parse: {e}"));
        assert_eq!(again.data, client_data.data, "clientDataJSON round trip");
    }
}

/// RegistrationResponseJSON (§5.1.8): a parsed body re-serialises to JSON that parses and
/// serialises to the same text.
pub fn fuzz_registration_json(data: &[u8]) {
    json_round_trip(
        data,
        "registration",
        RegistrationResponse::parse,
        RegistrationResponse::to_json,
    );
}

/// AuthenticationResponseJSON (§5.1.9): a parsed body re-serialises to JSON that parses and
/// serialises to the same text.
pub fn fuzz_authentication_json(data: &[u8]) {
    json_round_trip(
        data,
        "authentication",
        AuthenticationResponse::parse,
        AuthenticationResponse::to_json,
    );
}

/// The round trip of one response JSON shape. Compared as serialised: an absent
/// clientExtensionResults is written as `{}` (toJSON always has the member), so the values may
/// differ while the wire form may not.
fn json_round_trip<R, E: std::fmt::Display>(
    data: &[u8],
    what: &str,
    parse: fn(&str) -> Result<R, E>,
    to_json: fn(&R, WireShape) -> Json,
) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(response) = parse(text) {
        let json = to_json(&response, WireShape::Both).to_string();
        let again = parse(&json)
            .unwrap_or_else(|e| panic!("re-serialised {what} JSON does not parse: {e}"));
        assert_eq!(
            to_json(&again, WireShape::Both).to_string(),
            json,
            "{what} JSON round trip"
        );
    }
}
