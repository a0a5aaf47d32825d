//! The virtual authenticator's building blocks, seeded the W3C way, reproduce W3C WebAuthn L3 §16
//! vectors byte for byte, registration and authentication: `none.ES256` (attestation none) and
//! `packed-self.ES256` (packed self attestation, made by the authenticator's own builder).
//!
//! The W3C generator draws every random value as HKDF-SHA-256(IKM = "WebAuthn test vectors",
//! salt = one counter byte in call order, info = the vector's name) — exactly what
//! [`Drbg::from_ikm`] does — then derives the P-256 key from the bytes as a big-endian scalar,
//! sets the flags from HKDF bytes and extends clientDataJSON with `extraData` when bit 0x01 of a
//! drawn byte is set (W3C L3 §16 says how). The expected bytes are the published ones, read from
//! `vectors/w3c/` (provenance in `vectors/README.md`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use webauthn_conformance::authenticator::attestation::{StatementInput, packed};
use webauthn_conformance::codec::attestation_object::AttestationObject;
use webauthn_conformance::codec::auth_data::{AttestedCredentialData, AuthenticatorData, Flags};
use webauthn_conformance::codec::b64url;
use webauthn_conformance::codec::cbor;
use webauthn_conformance::codec::client_data::CollectedClientData;
use webauthn_conformance::crypto::CredentialKey;
use webauthn_conformance::crypto::pki::Pki;
use webauthn_conformance::drbg::Drbg;
use webauthn_conformance::sha256;

/// The group of vector `label` in `vectors/w3c/{file}`.
fn group(file: &str, label: &str) -> Value {
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
        .find(|g| g["source"]["vector"] == label)
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

/// Each `(field, bytes)` is, in hex, the value of `field` in the group's published test.
fn assert_published(group: &Value, fields: &[(&str, &[u8])]) {
    let expected = published(group);
    for (field, bytes) in fields {
        assert_eq!(
            hex::encode(bytes),
            expected[*field].as_str().unwrap(),
            "{field}"
        );
    }
}

fn hex_field(value: &Value, key: &str) -> Vec<u8> {
    hex::decode(value[key].as_str().unwrap()).unwrap()
}

/// clientDataJSON as the W3C generator writes it, `extraData` when the drawn flag byte says so.
fn client_data(drbg: &mut Drbg, label: &str, type_: &str, challenge: &[u8]) -> Vec<u8> {
    let gen_flags = drbg.bytes(label, 1)[0];
    let mut other = Vec::new();
    if gen_flags & 0x01 != 0 {
        let extra = drbg.bytes(label, 16);
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

/// What a registration's draws make, in the W3C order: challenge, credential key,
/// clientDataJSON, AAGUID, credential ID, then the UV/BE/BS byte (BS only with BE). The
/// challenge and key are checked against the group here.
struct Registration {
    key: CredentialKey,
    client_data_json: Vec<u8>,
    auth_data: Vec<u8>,
    aaguid: [u8; 16],
    credential_id: Vec<u8>,
    flags: u8,
}

fn registration(drbg: &mut Drbg, label: &str, group: &Value) -> Registration {
    let challenge = drbg.bytes(label, 32);
    assert_eq!(challenge, hex_field(group, "challenge"));
    let scalar = drbg.bytes(label, 32);
    assert_eq!(scalar, hex_field(&group["keys"], "credentialPrivateKey"));
    let key = CredentialKey::es256_from_scalar(&scalar).unwrap();
    let client_data_json = client_data(drbg, label, "webauthn.create", &challenge);
    let aaguid: [u8; 16] = drbg.bytes(label, 16).try_into().unwrap();
    let credential_id = drbg.bytes(label, 32);
    let uv_be_bs = drbg.bytes(label, 1)[0];
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
            credential_id: credential_id.clone(),
            credential_public_key: key.cose_key().to_cbor(),
        }),
        extensions: None,
        trailing: Vec::new(),
    }
    .to_bytes();
    Registration {
        key,
        client_data_json,
        auth_data,
        aaguid,
        credential_id,
        flags,
    }
}

/// The authentication that follows a registration: challenge, clientDataJSON and the UV/BS
/// byte (BS only if the registration had BE), then the RFC 6979 signature; each compared with
/// the published authentication test of `label`.
fn reproduce_authentication(drbg: &mut Drbg, label: &str, registered: &Registration) {
    let authentication = group("authentication.json", label);
    let challenge = drbg.bytes(label, 32);
    assert_eq!(challenge, hex_field(&authentication, "challenge"));
    let client_data_json = client_data(drbg, label, "webauthn.get", &challenge);
    let uv_bs = drbg.bytes(label, 1)[0];
    let backup_eligible = registered.flags & Flags::BE;
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
    let signature = registered.key.sign(&signed);
    assert_published(
        &authentication,
        &[
            ("clientDataJSON", &client_data_json),
            ("authenticatorData", &authenticator_data),
            ("signature", &signature),
        ],
    );
}

/// Reproduces the pair `label`: the registration with the statement `attest` makes (fmt,
/// attStmt), its published clientDataJSON and attestationObject, then its authentication.
fn reproduce_pair(label: &str, attest: impl FnOnce(&Registration) -> (String, cbor::Value)) {
    let group = group("registration.json", label);
    let mut drbg = Drbg::from_ikm(b"WebAuthn test vectors");
    let registered = registration(&mut drbg, label, &group);
    let (fmt, att_stmt) = attest(&registered);
    let attestation_object = AttestationObject {
        fmt,
        att_stmt,
        auth_data: registered.auth_data.clone(),
    }
    .to_bytes();
    assert_published(
        &group,
        &[
            ("clientDataJSON", &registered.client_data_json),
            ("attestationObject", &attestation_object),
        ],
    );
    reproduce_authentication(&mut drbg, label, &registered);
}

#[test]
fn none_es256_is_reproduced_byte_for_byte() {
    reproduce_pair("none.ES256", |_| {
        ("none".into(), cbor::Value::Map(Vec::new()))
    });
}

/// packed-self.ES256: the same draws as none.ES256; the statement is the authenticator's own
/// packed self attestation (alg -7, sig by the credential key over authData ‖ clientDataHash).
#[test]
fn packed_self_es256_is_reproduced_byte_for_byte() {
    reproduce_pair("packed-self.ES256", |registered| {
        let client_data_hash = sha256(&registered.client_data_json);
        let input = StatementInput {
            auth_data: &registered.auth_data,
            client_data_hash: &client_data_hash,
            credential: &registered.key,
            aaguid: registered.aaguid,
            credential_id: &registered.credential_id,
            clock_ms: 0,
        };
        let statement = packed::self_attestation(&input, &Pki::standard().unwrap(), None).unwrap();
        (statement.fmt, statement.att_stmt)
    });
}
