//! The virtual authenticator's building blocks, seeded the W3C way, reproduce the W3C WebAuthn
//! L3 §16 `none.ES256` vector byte for byte (registration and authentication).
//!
//! The W3C generator draws every random value as HKDF-SHA-256(IKM = "WebAuthn test vectors",
//! salt = one counter byte in call order, info = the vector's name) — exactly what
//! [`Drbg::from_ikm`] does — then derives the P-256 key from the bytes as a big-endian scalar,
//! sets the flags from HKDF bytes and extends clientDataJSON with `extraData` when bit 0x01 of a
//! drawn byte is set (spec digest §4.2). The expected bytes are the published ones, read from
//! `vectors/w3c/` (provenance in `vectors/README.md`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use webauthn_conformance::codec::attestation_object::AttestationObject;
use webauthn_conformance::codec::auth_data::{AttestedCredentialData, AuthenticatorData, Flags};
use webauthn_conformance::codec::b64url;
use webauthn_conformance::codec::cbor;
use webauthn_conformance::codec::client_data::CollectedClientData;
use webauthn_conformance::crypto::CredentialKey;
use webauthn_conformance::drbg::Drbg;
use webauthn_conformance::sha256;

const LABEL: &str = "none.ES256";

fn group(file: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/../vectors/w3c/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    json["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["source"]["vector"] == LABEL)
        .cloned()
        .unwrap()
}

/// The published (unedited) test of a group.
fn published(group: &Value) -> Value {
    group["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["flags"].as_array().unwrap().contains(&json!("W3cVector")))
        .cloned()
        .unwrap()
}

fn hex_field(value: &Value, key: &str) -> Vec<u8> {
    hex::decode(value[key].as_str().unwrap()).unwrap()
}

/// clientDataJSON as the W3C generator writes it, `extraData` when the drawn flag byte says so.
fn client_data(drbg: &mut Drbg, type_: &str, challenge: &[u8]) -> Vec<u8> {
    let gen_flags = drbg.bytes(LABEL, 1)[0];
    let mut other = Vec::new();
    if gen_flags & 0x01 != 0 {
        let extra = drbg.bytes(LABEL, 16);
        other.push((
            "extraData".to_owned(),
            json!(format!(
                "clientDataJSON may be extended with additional fields in the future, such as this: {}",
                b64url::encode(&extra)
            )),
        ));
    }
    CollectedClientData {
        type_: type_.into(),
        challenge: b64url::encode(challenge),
        origin: "https://example.org".into(),
        cross_origin: Some(false),
        top_origin: None,
        other,
    }
    .to_json_bytes()
}

#[test]
fn none_es256_is_reproduced_byte_for_byte() {
    let registration = group("registration.json");
    let authentication = group("authentication.json");
    let mut drbg = Drbg::from_ikm(b"WebAuthn test vectors");

    // Registration: challenge, key, clientDataJSON, aaguid, credential ID, flags, in that order.
    let challenge = drbg.bytes(LABEL, 32);
    assert_eq!(challenge, hex_field(&registration, "challenge"));
    let scalar = drbg.bytes(LABEL, 32);
    assert_eq!(
        scalar,
        hex_field(&registration["keys"], "credentialPrivateKey")
    );
    let key = CredentialKey::es256_from_scalar(&scalar).unwrap();
    let client_data_json = client_data(&mut drbg, "webauthn.create", &challenge);
    let aaguid: [u8; 16] = drbg.bytes(LABEL, 16).try_into().unwrap();
    let credential_id = drbg.bytes(LABEL, 32);
    let uv_be_bs = drbg.bytes(LABEL, 1)[0];
    let mut flags = Flags::UP | Flags::AT | (uv_be_bs & (Flags::UV | Flags::BE | Flags::BS));
    if flags & Flags::BE == 0 {
        flags &= !Flags::BS;
    }
    let auth_data = AuthenticatorData {
        rp_id_hash: sha256(b"example.org"),
        flags: Flags(flags),
        sign_count: 0,
        attested_credential_data: Some(AttestedCredentialData {
            aaguid,
            credential_id,
            credential_public_key: key.cose_key().to_cbor(),
        }),
        extensions: None,
        trailing: Vec::new(),
    };
    let attestation_object = AttestationObject {
        fmt: "none".into(),
        att_stmt: cbor::Value::Map(Vec::new()),
        auth_data: auth_data.to_bytes(),
    }
    .to_bytes();
    let expected = published(&registration);
    assert_eq!(
        hex::encode(&client_data_json),
        expected["clientDataJSON"].as_str().unwrap()
    );
    assert_eq!(
        hex::encode(&attestation_object),
        expected["attestationObject"].as_str().unwrap()
    );

    // Authentication: challenge, clientDataJSON, flags; then the RFC 6979 signature.
    let challenge = drbg.bytes(LABEL, 32);
    assert_eq!(challenge, hex_field(&authentication, "challenge"));
    let client_data_json = client_data(&mut drbg, "webauthn.get", &challenge);
    let uv_bs = drbg.bytes(LABEL, 1)[0];
    let backup_eligible = flags & Flags::BE;
    let mut assertion_flags = Flags::UP | backup_eligible | (uv_bs & (Flags::UV | Flags::BS));
    if backup_eligible == 0 {
        assertion_flags &= !Flags::BS;
    }
    let authenticator_data = AuthenticatorData {
        rp_id_hash: sha256(b"example.org"),
        flags: Flags(assertion_flags),
        sign_count: 0,
        attested_credential_data: None,
        extensions: None,
        trailing: Vec::new(),
    }
    .to_bytes();
    let mut signed = authenticator_data.clone();
    signed.extend_from_slice(&sha256(&client_data_json));
    let signature = key.sign(&signed);
    let expected = published(&authentication);
    assert_eq!(
        hex::encode(&client_data_json),
        expected["clientDataJSON"].as_str().unwrap()
    );
    assert_eq!(
        hex::encode(&authenticator_data),
        expected["authenticatorData"].as_str().unwrap()
    );
    assert_eq!(
        hex::encode(&signature),
        expected["signature"].as_str().unwrap()
    );
}
