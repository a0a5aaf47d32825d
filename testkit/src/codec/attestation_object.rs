//! The attestation object (W3C L3 §6.5.4 `#sctn-generating-an-attestation-object`): a CBOR map
//! with the text keys `fmt`, `attStmt` and `authData`.

use super::cbor::{self, Value};

/// An attestation object, with authData kept as its exact bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct AttestationObject {
    /// The attestation statement format identifier.
    pub fmt: String,
    /// The attestation statement: a map (an array for "compound", §8.9).
    pub att_stmt: Value,
    /// The authenticator data bytes.
    pub auth_data: Vec<u8>,
}

/// Why bytes are not a well-formed attestation object.
// Exhaustive on purpose: the reference RP maps every variant to the syntax rule it breaks
// (webauthn-conformance `rp::reference::rule`), so a new variant must not compile there unmapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttestationObjectError {
    /// Not one strict CBOR item.
    #[error("attestationObject is not valid CBOR: {0} (W3C L3 §7.1 step 13)")]
    Cbor(#[from] cbor::CborError),
    /// The item is not a map.
    #[error("attestationObject must be a CBOR map, found {found} (W3C L3 §6.5.4)")]
    NotAMap {
        /// The CBOR type found instead ("array", "byte string", ...).
        found: &'static str,
    },
    /// A required key is absent.
    #[error("attestationObject has no {key:?} (W3C L3 §6.5.4)")]
    MissingKey {
        /// The absent key: `fmt`, `attStmt` or `authData`.
        key: &'static str,
    },
    /// A key has the wrong CBOR type.
    #[error("attestationObject {key:?} must be {expected}, found {found} (W3C L3 §6.5.4)")]
    WrongType {
        /// The key: `fmt`, `attStmt` or `authData`.
        key: &'static str,
        /// The CBOR type its value must have.
        expected: &'static str,
        /// The CBOR type it has.
        found: &'static str,
    },
    /// `authData` is an empty byte string.
    #[error("attestationObject \"authData\" is empty (W3C L3 §6.1)")]
    EmptyAuthData,
    /// A key that is not part of the attestation object.
    #[error(
        "attestationObject has unexpected key {key} (W3C L3 §6.5.4 allows only fmt, attStmt, authData)"
    )]
    UnexpectedKey {
        /// The unexpected key, as [`cbor::describe`] renders it.
        key: String,
    },
}

impl AttestationObject {
    /// Parses an attestation object from its CBOR bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self, AttestationObjectError> {
        let value = cbor::decode(bytes)?;
        let Value::Map(entries) = &value else {
            return Err(AttestationObjectError::NotAMap {
                found: cbor::kind(&value),
            });
        };
        for (key, _) in entries {
            let known =
                matches!(key, Value::Text(t) if t == "fmt" || t == "attStmt" || t == "authData");
            if !known {
                return Err(AttestationObjectError::UnexpectedKey {
                    key: cbor::describe(key),
                });
            }
        }
        let get = |key: &'static str| {
            cbor::map_get_text(entries, key).ok_or(AttestationObjectError::MissingKey { key })
        };
        let fmt = match get("fmt")? {
            Value::Text(fmt) => fmt.clone(),
            other => return Err(wrong("fmt", "a text string", other)),
        };
        let att_stmt = match get("attStmt")? {
            stmt @ (Value::Map(_) | Value::Array(_)) => stmt.clone(),
            other => return Err(wrong("attStmt", "a map", other)),
        };
        let auth_data = match get("authData")? {
            Value::Bytes(bytes) if bytes.is_empty() => {
                return Err(AttestationObjectError::EmptyAuthData);
            }
            Value::Bytes(bytes) => bytes.clone(),
            other => return Err(wrong("authData", "a byte string", other)),
        };
        Ok(AttestationObject {
            fmt,
            att_stmt,
            auth_data,
        })
    }

    /// The CBOR value, keys in the order browsers emit them (fmt, attStmt, authData).
    pub fn to_value(&self) -> Value {
        Value::Map(vec![
            (Value::Text("fmt".into()), Value::Text(self.fmt.clone())),
            (Value::Text("attStmt".into()), self.att_stmt.clone()),
            (
                Value::Text("authData".into()),
                Value::Bytes(self.auth_data.clone()),
            ),
        ])
    }

    /// Encodes the attestation object.
    pub fn to_bytes(&self) -> Vec<u8> {
        cbor::encode(&self.to_value())
    }
}

fn wrong(key: &'static str, expected: &'static str, found: &Value) -> AttestationObjectError {
    AttestationObjectError::WrongType {
        key,
        expected,
        found: cbor::kind(found),
    }
}

#[cfg(test)]
mod tests;
