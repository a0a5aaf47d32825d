//! Attestation verification against the W3C L3 §16 vectors, one-byte corruptions, and crafted
//! cases showing that each switchable check is what rejects its bad input; this module holds the
//! shared fixtures (the vectors, `Case`, the crafted certificates in `certs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ciborium::Value;
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::Signer as _;
use serde::Deserialize;

use super::*;
use crate::codec::attestation_object::AttestationObject;
use crate::codec::auth_data::AuthenticatorData;
use crate::codec::cose::CoseKey;

mod certs;
use certs::*;

mod android_key;
mod apple;
mod compound;
mod dispatch;
mod fido_u2f;
mod packed;
mod safetynet;
mod tpm;
mod trust;
mod vectors;

/// 2026-01-01T00:00:00Z; the W3C certificates are valid 2024-3024.
const NOW: u64 = 1_767_225_600;

/// One W3C L3 §16 registration vector: its unedited test in `vectors/w3c/registration.json`
/// (flag `W3cVector`) and its group's trust anchor and private keys.
struct Vector {
    name: String,
    client_data_json: String,
    attestation_object: String,
    attestation_root_cert: Option<String>,
    credential_private_key: Option<String>,
    attestation_private_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorFile {
    test_groups: Vec<VectorGroup>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorGroup {
    source: VectorSource,
    attestation_trust_anchors: Vec<String>,
    keys: VectorKeys,
    tests: Vec<VectorTest>,
}

#[derive(Deserialize)]
struct VectorSource {
    vector: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorKeys {
    credential_private_key: Option<String>,
    attestation_private_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VectorTest {
    flags: Vec<String>,
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    attestation_object: String,
}

fn vectors() -> Vec<Vector> {
    let file: VectorFile = serde_json::from_str(include_str!(
        "../../../../../../vectors/w3c/registration.json"
    ))
    .unwrap();
    file.test_groups
        .into_iter()
        .map(|group| {
            let mut unedited = group
                .tests
                .into_iter()
                .filter(|t| t.flags.iter().any(|f| f == "W3cVector"));
            let test = unedited.next().unwrap();
            assert!(unedited.next().is_none(), "{}", group.source.vector);
            let mut anchors = group.attestation_trust_anchors.into_iter();
            let root = anchors.next();
            assert!(anchors.next().is_none());
            Vector {
                name: group.source.vector,
                client_data_json: test.client_data_json,
                attestation_object: test.attestation_object,
                attestation_root_cert: root,
                credential_private_key: group.keys.credential_private_key,
                attestation_private_key: group.keys.attestation_private_key,
            }
        })
        .collect()
}

/// One registration's attestation inputs, editable.
#[derive(Clone)]
struct Case {
    fmt: String,
    stmt: Value,
    auth_data_bytes: Vec<u8>,
    auth_data: AuthenticatorData,
    cdh: [u8; 32],
    key: CoseKey,
    root: Option<Vec<u8>>,
    cred_sk: Option<Vec<u8>>,
    att_sk: Option<Vec<u8>>,
}

impl Case {
    fn load(name: &str) -> Case {
        let v = vectors().into_iter().find(|v| v.name == name).unwrap();
        let object =
            AttestationObject::parse(&hex::decode(&v.attestation_object).unwrap()).unwrap();
        assert_eq!(
            object.fmt,
            name.split('.').next().unwrap().trim_end_matches("-self")
        );
        let auth_data = AuthenticatorData::parse(&object.auth_data).unwrap();
        let attested = auth_data.attested_credential_data.clone().unwrap();
        assert_eq!(auth_data.rp_id_hash, crate::sha256(b"example.org"));
        Case {
            fmt: object.fmt,
            stmt: object.att_stmt,
            auth_data_bytes: object.auth_data,
            key: CoseKey::from_cbor(&attested.credential_public_key).unwrap(),
            auth_data,
            cdh: crate::sha256(&hex::decode(&v.client_data_json).unwrap()),
            root: v.attestation_root_cert.map(|h| hex::decode(h).unwrap()),
            cred_sk: v.credential_private_key.map(|h| hex::decode(h).unwrap()),
            att_sk: v.attestation_private_key.map(|h| hex::decode(h).unwrap()),
        }
    }

    fn ctx(&self) -> StatementContext<'_> {
        StatementContext {
            auth_data_bytes: &self.auth_data_bytes,
            auth_data: &self.auth_data,
            client_data_hash: &self.cdh,
            credential_key: &self.key,
            now_unix: NOW,
        }
    }

    fn run_with(
        &self,
        policy: &AttestationPolicy,
        enabled: &dyn Fn(AttCheck) -> bool,
    ) -> Result<Verified, AttestationError> {
        verify_statement(&self.fmt, &self.stmt, &self.ctx(), policy, enabled)
    }

    /// With the W3C root trusted and every check on.
    fn run(&self) -> Result<Verified, AttestationError> {
        self.run_with(&self.policy(), &|_| true)
    }

    /// With the W3C root trusted and one check off.
    fn run_without(&self, off: AttCheck) -> Result<Verified, AttestationError> {
        self.run_with(&self.policy(), &|c| c != off)
    }

    fn policy(&self) -> AttestationPolicy {
        let mut policy = AttestationPolicy::default();
        if let Some(root) = &self.root {
            policy.trust_store.add_root(None, root).unwrap();
        }
        policy.trust_store.add_root(None, &test_root().0).unwrap();
        policy
    }

    fn entries(&mut self) -> &mut Vec<(Value, Value)> {
        match &mut self.stmt {
            Value::Map(entries) => entries,
            _ => panic!("attStmt is not a map"),
        }
    }

    fn set(&mut self, key: &str, value: Value) {
        let entries = self.entries();
        entries.retain(|(k, _)| k != &Value::Text(key.into()));
        entries.push((Value::Text(key.into()), value));
    }

    fn remove(&mut self, key: &str) {
        self.entries()
            .retain(|(k, _)| k != &Value::Text(key.into()));
    }

    fn bytes(&self, key: &str) -> Vec<u8> {
        match &self.stmt {
            Value::Map(entries) => match cbor::map_get_text(entries, key) {
                Some(Value::Bytes(b)) => b.clone(),
                _ => panic!("no bytes {key}"),
            },
            _ => panic!("attStmt is not a map"),
        }
    }

    fn signed(&self) -> Vec<u8> {
        let mut data = self.auth_data_bytes.clone();
        data.extend_from_slice(&self.cdh);
        data
    }

    fn att_key(&self) -> SigningKey {
        SigningKey::from_slice(self.att_sk.as_ref().unwrap()).unwrap()
    }

    fn cred_key(&self) -> SigningKey {
        SigningKey::from_slice(self.cred_sk.as_ref().unwrap()).unwrap()
    }
}

impl Case {
    fn bytes_in_x5c(&self, index: usize) -> Vec<u8> {
        match &self.stmt {
            Value::Map(entries) => match cbor::map_get_text(entries, "x5c") {
                Some(Value::Array(items)) => match &items[index] {
                    Value::Bytes(b) => b.clone(),
                    _ => panic!(),
                },
                _ => panic!(),
            },
            _ => panic!(),
        }
    }
}

use crate::codec::cbor;

fn der_sign(key: &SigningKey, msg: &[u8]) -> Vec<u8> {
    let sig: p256::ecdsa::DerSignature = key.sign(msg);
    sig.as_bytes().to_vec()
}

fn flip_last(mut bytes: Vec<u8>) -> Vec<u8> {
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    bytes
}
