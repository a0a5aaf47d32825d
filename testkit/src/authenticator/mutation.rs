//! One deliberate fault in an otherwise valid response.
//!
//! A mutation belongs to one stage of building a response, and the client applies each stage in
//! order: clientDataJSON and authenticator data are changed *before* signing (so the signature
//! covers the faulty bytes and only the intended check can fail); signature, attestation and wire
//! mutations are applied after. Each stage has its own enum, matched exhaustively.

use std::fmt;

use serde_json::Value as Json;

pub use super::attestation::StatementFault;

use crate::codec::attestation_object::AttestationObject;
use crate::codec::auth_data::{AuthenticatorData, Flags};
use crate::codec::b64url;
use crate::codec::cbor::{self, Value};

/// One change to an otherwise valid response.
#[derive(Debug, Clone, PartialEq)]
pub enum Mutation {
    /// Make the credential under this exact ID (the client reports it as `id` and `rawId`).
    CredentialId(Vec<u8>),
    /// Make the credential under a fresh random ID of this length.
    CredentialIdLen(usize),
    /// Make the credential with this algorithm, whatever pubKeyCredParams offered.
    Algorithm(crate::codec::cose::CoseAlgorithm),
    /// Make the credential with this algorithm, which pubKeyCredParams must not offer (if it
    /// does, this spelling of the fault does not apply and the client says so).
    UnofferedAlgorithm(crate::codec::cose::CoseAlgorithm),
    /// Make the credential with this algorithm, which pubKeyCredParams must offer (the control
    /// of [`Mutation::UnofferedAlgorithm`]; if the RP could not be set up to offer it, the
    /// client says so).
    OfferedAlgorithm(crate::codec::cose::CoseAlgorithm),
    /// Change CollectedClientData before it is hashed.
    ClientData(ClientDataMutation),
    /// Change the credential public key before it goes into authenticator data.
    CoseKey(CoseKeyMutation),
    /// Change authenticator data before it is signed.
    AuthData(AuthDataMutation),
    /// Change the signature (the only stage that breaks it on purpose).
    Signature(SignatureMutation),
    /// Change the attestation statement or object after signing.
    Attestation(AttestationMutation),
    /// Change the JSON body sent to the RP.
    Wire(WireMutation),
    /// Build the attestation statement with one format-level fault. The fault picks the
    /// format ([`StatementFault::format`]), whatever the authenticator is configured with.
    Statement(StatementFault),
}

impl Mutation {
    /// Whether this changes the bytes without breaking anything a conformant RP verifies
    /// ([`ClientDataMutation::PaddableLength`]): a control keeps such changes, so it differs
    /// from its check by the fault alone.
    pub fn only_shapes(&self) -> bool {
        matches!(
            self,
            Mutation::ClientData(ClientDataMutation::PaddableLength)
        )
    }
}

/// A change to CollectedClientData.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientDataMutation {
    /// Set a member (in place if present, else appended).
    Set {
        /// The member's key (`challenge`, `origin`, `crossOrigin`, ...).
        member: String,
        /// Its new value.
        value: Json,
    },
    /// Remove a member.
    Remove {
        /// The member's key.
        member: String,
    },
    /// Append a member even if present (a duplicate key).
    Duplicate {
        /// The member's key.
        member: String,
        /// The value of the appended copy.
        value: Json,
    },
    /// Reverse the member order.
    Reverse,
    /// Put these bytes before the JSON text (a BOM, for example).
    Prefix(Vec<u8>),
    /// Send these bytes instead of any JSON.
    Replace(Vec<u8>),
    /// Write C.challenge in another base64 spelling of the same bytes: padded base64url, or
    /// padded standard base64 (§7.1 step 8 compares base64url text; check REG-CD-08).
    ReencodeChallenge {
        /// `true`: padded standard base64 (RFC 4648 §4); `false`: padded base64url (§5).
        standard: bool,
    },
    /// Not a fault: when the serialization's length is a multiple of 3 (so its base64url has
    /// no padding), append one unknown member, as browsers may (§5.8.1 tells RPs to ignore
    /// unknown keys), of the length that gives it padding. Set up for ENC-02, and kept in the
    /// control.
    PaddableLength,
}

/// A change to the COSE_Key of a new credential.
#[derive(Debug, Clone, PartialEq)]
pub enum CoseKeyMutation {
    /// Set a parameter (in place if present, else appended).
    Set {
        /// The parameter's COSE label (see [`crate::codec::cose::label`]).
        label: i64,
        /// Its new value.
        value: Value,
    },
    /// Remove a parameter.
    Remove {
        /// The parameter's COSE label.
        label: i64,
    },
    /// Reverse the order of the key's labels (not CTAP2 canonical order).
    Reverse,
    /// Send these bytes as the key.
    Replace(Vec<u8>),
}

/// A change to authenticator data.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthDataMutation {
    /// Set flag bits.
    SetFlags(u8),
    /// Clear flag bits.
    ClearFlags(u8),
    /// Use the hash of another RP ID.
    RpIdHashOf(String),
    /// Use this exact rpIdHash.
    RpIdHash([u8; 32]),
    /// Use this signCount.
    SignCount(u32),
    /// Use this AAGUID in attested credential data.
    Aaguid([u8; 16]),
    /// Carry this extensions map (CBOR bytes), without touching the ED flag.
    Extensions(Vec<u8>),
    /// Leave the attested credential data out (flags untouched).
    DropAttestedCredentialData,
    /// Add attested credential data for the credential in use (flags untouched).
    AddAttestedCredentialData,
    /// Append bytes after the encoded authenticator data.
    Append(Vec<u8>),
    /// Keep only the first bytes of the encoded authenticator data.
    Truncate(usize),
}

/// A change to the signature.
#[derive(Debug, Clone, PartialEq)]
pub enum SignatureMutation {
    /// Flip the lowest bit of the last byte.
    FlipLastBit,
    /// Send these bytes as the signature.
    Replace(Vec<u8>),
    /// Sign with a fresh key that the RP has never seen.
    WithOtherKey,
    /// Sign over a clientDataHash of other bytes than those sent.
    OverOtherClientData,
    /// Send the ECDSA signature as fixed-width `r ‖ s` instead of DER (§6.5.5).
    RawEcdsa,
    /// Append one byte after the DER SEQUENCE of an ECDSA signature.
    DerTrailingByte,
    /// Give r a redundant leading zero octet: valid BER, not DER.
    DerNonMinimalInteger,
    /// An RSA signature one octet longer than the modulus (a leading 0x00).
    RsaWrongLength,
    /// An RSA signature wrapped in `SEQUENCE { OCTET STRING }`.
    RsaDerWrapped,
    /// Sign the right message with the right key but a hash the algorithm does not use.
    WrongHash,
}

/// A change to the attestation object.
#[derive(Debug, Clone, PartialEq)]
pub enum AttestationMutation {
    /// Use this `fmt`.
    Fmt(String),
    /// Set an attStmt member.
    StmtSet {
        /// The attStmt key (`alg`, `sig`, `x5c`, ...).
        key: String,
        /// Its new value.
        value: Value,
    },
    /// Remove an attStmt member.
    StmtRemove {
        /// The attStmt key.
        key: String,
    },
    /// Replace the whole attStmt.
    StmtReplace(Value),
    /// Set a top-level attestation object member to any value.
    ObjectSet {
        /// The key (`fmt`, `attStmt`, `authData`, or any other).
        key: String,
        /// Its new value.
        value: Value,
    },
    /// Remove a top-level attestation object member.
    ObjectRemove {
        /// The key.
        key: String,
    },
    /// Send these bytes as the attestation object.
    Replace(Vec<u8>),
    /// Append bytes after the encoded attestation object (trailing data, docs/known-bugs.md #14).
    Append(Vec<u8>),
}

/// A change to the JSON body. Paths are dotted member names from the root ("response.signature").
#[derive(Debug, Clone, PartialEq)]
pub enum WireMutation {
    /// Remove a member.
    Remove {
        /// The member's dotted path.
        path: String,
    },
    /// Set a member to any JSON value.
    Set {
        /// The member's dotted path.
        path: String,
        /// Its new value.
        value: Json,
    },
    /// Re-encode a base64url member as standard base64 with padding (the FIDO tool's "not base64url").
    StandardBase64 {
        /// The member's dotted path.
        path: String,
    },
    /// Add the `=` padding RFC 4648 §4 writes to a base64url member.
    Pad {
        /// The member's dotted path.
        path: String,
    },
    /// Send this text as the whole body.
    ReplaceBody(String),
    /// Put a line break and a space in the middle of a base64url text field (W3C base64url
    /// has no whitespace; check ENC-01).
    Whitespace {
        /// The member's dotted path.
        path: String,
    },
    /// Cut the serialized JSON body in half (check ENC-03).
    TruncateBody,
}

impl ClientDataMutation {
    /// Applies member-level changes; returns the bytes to send.
    pub fn apply(&self, members: &mut Vec<(String, Json)>) -> Option<Vec<u8>> {
        match self {
            ClientDataMutation::Set { member, value } => {
                match members.iter_mut().find(|(key, _)| key == member) {
                    Some((_, slot)) => *slot = value.clone(),
                    None => members.push((member.clone(), value.clone())),
                }
                None
            }
            ClientDataMutation::Remove { member } => {
                members.retain(|(key, _)| key != member);
                None
            }
            ClientDataMutation::Duplicate { member, value } => {
                members.push((member.clone(), value.clone()));
                None
            }
            ClientDataMutation::Reverse => {
                members.reverse();
                None
            }
            ClientDataMutation::Prefix(prefix) => {
                let mut bytes = prefix.clone();
                bytes.extend(crate::codec::client_data::members_to_json(members));
                Some(bytes)
            }
            ClientDataMutation::Replace(bytes) => Some(bytes.clone()),
            ClientDataMutation::PaddableLength => {
                let len = crate::codec::client_data::members_to_json(members).len();
                // `,"other_keys_can_be_added_here":"x"` adds 35 bytes: a multiple of 3 plus 35
                // is 2 modulo 3, a length whose base64url ends with one '='.
                if len.is_multiple_of(3) {
                    members.push((
                        "other_keys_can_be_added_here".into(),
                        Json::String("x".into()),
                    ));
                }
                None
            }
            ClientDataMutation::ReencodeChallenge { standard } => {
                if let Some((_, Json::String(text))) =
                    members.iter_mut().find(|(key, _)| key == "challenge")
                {
                    let mut new = if *standard {
                        text.replace('-', "+").replace('_', "/")
                    } else {
                        text.clone()
                    };
                    // Pad to a multiple of 4, or with "==" where none is needed, so the text
                    // always differs from the unpadded base64url.
                    let pad = (4 - new.len() % 4) % 4;
                    new.push_str(if pad == 0 { "==" } else { &"==="[..pad] });
                    *text = new;
                }
                None
            }
        }
    }
}

impl CoseKeyMutation {
    /// Applies the change to a COSE_Key value; returns replacement bytes if any.
    pub fn apply(&self, key: &mut Value) -> Option<Vec<u8>> {
        let Value::Map(entries) = key else {
            return None;
        };
        let is_label = |k: &Value, label: i64| cbor::as_i64(k) == Some(label);
        match self {
            CoseKeyMutation::Set { label, value } => {
                match entries.iter_mut().find(|(k, _)| is_label(k, *label)) {
                    Some((_, slot)) => *slot = value.clone(),
                    None => entries.push((Value::Integer((*label).into()), value.clone())),
                }
                None
            }
            CoseKeyMutation::Remove { label } => {
                entries.retain(|(k, _)| !is_label(k, *label));
                None
            }
            CoseKeyMutation::Reverse => {
                entries.reverse();
                None
            }
            CoseKeyMutation::Replace(bytes) => Some(bytes.clone()),
        }
    }
}

impl AuthDataMutation {
    /// Applies a typed change. `attested` is the credential's attested data, for `Add`.
    pub fn apply_typed(
        &self,
        data: &mut AuthenticatorData,
        attested: &crate::codec::auth_data::AttestedCredentialData,
    ) {
        match self {
            AuthDataMutation::SetFlags(mask) => data.flags = data.flags.with(*mask),
            AuthDataMutation::ClearFlags(mask) => data.flags = data.flags.without(*mask),
            AuthDataMutation::RpIdHashOf(rp_id) => {
                data.rp_id_hash = crate::sha256(rp_id.as_bytes())
            }
            AuthDataMutation::RpIdHash(hash) => data.rp_id_hash = *hash,
            AuthDataMutation::SignCount(count) => data.sign_count = *count,
            AuthDataMutation::Aaguid(aaguid) => {
                if let Some(acd) = &mut data.attested_credential_data {
                    acd.aaguid = *aaguid;
                }
            }
            AuthDataMutation::Extensions(bytes) => data.extensions = Some(bytes.clone()),
            AuthDataMutation::DropAttestedCredentialData => data.attested_credential_data = None,
            AuthDataMutation::AddAttestedCredentialData => {
                data.attested_credential_data = Some(attested.clone());
            }
            AuthDataMutation::Append(bytes) => data.trailing.extend_from_slice(bytes),
            AuthDataMutation::Truncate(_) => {}
        }
    }

    /// Applies byte-level changes to the encoded authenticator data.
    pub fn apply_bytes(&self, bytes: &mut Vec<u8>) {
        if let AuthDataMutation::Truncate(len) = self {
            bytes.truncate(*len);
        }
    }
}

impl AttestationMutation {
    /// Applies the change; returns replacement bytes for the whole object if any.
    pub fn apply(&self, object: &mut AttestationObject) -> Option<Vec<u8>> {
        match self {
            AttestationMutation::Fmt(fmt) => object.fmt = fmt.clone(),
            AttestationMutation::StmtSet { key, value } => {
                if let Value::Map(entries) = &mut object.att_stmt {
                    set_text_key(entries, key, value.clone());
                }
            }
            AttestationMutation::StmtRemove { key } => {
                if let Value::Map(entries) = &mut object.att_stmt {
                    entries.retain(|(k, _)| !matches!(k, Value::Text(t) if t == key));
                }
            }
            AttestationMutation::StmtReplace(value) => object.att_stmt = value.clone(),
            AttestationMutation::ObjectSet { key, value } => {
                let Value::Map(mut entries) = object.to_value() else {
                    return None;
                };
                set_text_key(&mut entries, key, value.clone());
                return Some(cbor::encode(&Value::Map(entries)));
            }
            AttestationMutation::ObjectRemove { key } => {
                let Value::Map(mut entries) = object.to_value() else {
                    return None;
                };
                entries.retain(|(k, _)| !matches!(k, Value::Text(t) if t == key));
                return Some(cbor::encode(&Value::Map(entries)));
            }
            AttestationMutation::Replace(bytes) => return Some(bytes.clone()),
            AttestationMutation::Append(bytes) => {
                let mut encoded = cbor::encode(&object.to_value());
                encoded.extend_from_slice(bytes);
                return Some(encoded);
            }
        }
        None
    }
}

fn set_text_key(entries: &mut Vec<(Value, Value)>, key: &str, value: Value) {
    match entries
        .iter_mut()
        .find(|(k, _)| matches!(k, Value::Text(t) if t == key))
    {
        Some((_, slot)) => *slot = value,
        None => entries.push((Value::Text(key.to_owned()), value)),
    }
}

impl WireMutation {
    /// Applies the change to the JSON body; returns a replacement body if any.
    pub fn apply(&self, body: &mut Json) -> Option<String> {
        match self {
            WireMutation::Remove { path } => {
                if let Some((parent, last)) = parent_of(body, path) {
                    parent.remove(last);
                }
            }
            WireMutation::Set { path, value } => {
                if let Some((parent, last)) = parent_of(body, path) {
                    parent.insert(last.to_owned(), value.clone());
                }
            }
            WireMutation::StandardBase64 { path } | WireMutation::Pad { path } => {
                let standard = matches!(self, WireMutation::StandardBase64 { .. });
                if let Some((parent, last)) = parent_of(body, path)
                    && let Some(Json::String(text)) = parent.get(last)
                {
                    let bytes = b64url::decode(text).unwrap_or_default();
                    let new = if standard {
                        use base64::Engine as _;
                        // Standard alphabet with padding; add '==' if the length needs none,
                        // as the FIDO tool does, so the fault is always visible.
                        let mut s = base64::engine::general_purpose::STANDARD.encode(&bytes);
                        if !s.ends_with('=') {
                            s.push_str("==");
                        }
                        s
                    } else {
                        // The padding RFC 4648 §4 would write: '=' up to a multiple of 4. A
                        // length that is a multiple of 3 has none; the ENC-02 checks arrange
                        // one that has (ClientDataMutation::PaddableLength), and "==" there
                        // keeps the fault visible.
                        let pad = (4 - text.len() % 4) % 4;
                        format!("{text}{}", if pad == 0 { "==" } else { &"=="[..pad] })
                    };
                    parent.insert(last.to_owned(), Json::String(new));
                }
            }
            WireMutation::ReplaceBody(text) => return Some(text.clone()),
            WireMutation::Whitespace { path } => {
                if let Some((parent, last)) = parent_of(body, path)
                    && let Some(Json::String(text)) = parent.get(last)
                {
                    let middle = text.chars().count() / 2;
                    let head: String = text.chars().take(middle).collect();
                    let tail: String = text.chars().skip(middle).collect();
                    let new = format!("{head}\n {tail}");
                    parent.insert(last.to_owned(), Json::String(new));
                }
            }
            WireMutation::TruncateBody => {
                let text = body.to_string();
                let half = text.chars().count() / 2;
                return Some(text.chars().take(half).collect());
            }
        }
        None
    }
}

fn parent_of<'a, 'p>(
    body: &'a mut Json,
    path: &'p str,
) -> Option<(&'a mut serde_json::Map<String, Json>, &'p str)> {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop()?;
    let mut node = body;
    for part in parts {
        node = node.get_mut(part)?;
    }
    match node {
        Json::Object(map) => Some((map, last)),
        _ => None,
    }
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex_short = |bytes: &[u8]| {
            if bytes.len() > 16 {
                format!("{}… ({} bytes)", hex::encode(&bytes[..16]), bytes.len())
            } else {
                format!("h'{}'", hex::encode(bytes))
            }
        };
        match self {
            Mutation::CredentialId(id) => write!(f, "credential ID = {}", hex_short(id)),
            Mutation::CredentialIdLen(len) => write!(f, "credential ID of {len} bytes"),
            Mutation::Algorithm(alg) => write!(
                f,
                "credential algorithm {} whatever was offered",
                alg.name()
            ),
            Mutation::UnofferedAlgorithm(alg) => write!(
                f,
                "credential algorithm {} ({}), which pubKeyCredParams did not offer",
                alg.name(),
                alg.id()
            ),
            Mutation::OfferedAlgorithm(alg) => write!(
                f,
                "credential algorithm {} ({}), offered in pubKeyCredParams",
                alg.name(),
                alg.id()
            ),
            Mutation::ClientData(m) => match m {
                ClientDataMutation::Set { member, value } => {
                    write!(f, "clientDataJSON.{member} = {value}")
                }
                ClientDataMutation::Remove { member } => {
                    write!(f, "clientDataJSON without {member:?}")
                }
                ClientDataMutation::Duplicate { member, value } => {
                    write!(f, "clientDataJSON with a second {member:?} = {value}")
                }
                ClientDataMutation::Reverse => write!(f, "clientDataJSON members in reverse order"),
                ClientDataMutation::Prefix(p) => {
                    write!(f, "clientDataJSON prefixed with {}", hex_short(p))
                }
                ClientDataMutation::PaddableLength => {
                    write!(f, "clientDataJSON of a length whose base64url has padding")
                }
                ClientDataMutation::ReencodeChallenge { standard: false } => {
                    write!(f, "clientDataJSON.challenge as padded base64url")
                }
                ClientDataMutation::ReencodeChallenge { standard: true } => {
                    write!(f, "clientDataJSON.challenge as padded standard base64")
                }
                ClientDataMutation::Replace(b) => {
                    write!(f, "clientDataJSON = {:?}", String::from_utf8_lossy(b))
                }
            },
            Mutation::CoseKey(m) => match m {
                CoseKeyMutation::Set { label, value } => {
                    write!(f, "COSE key label {label} = {}", cbor::describe(value))
                }
                CoseKeyMutation::Remove { label } => write!(f, "COSE key without label {label}"),
                CoseKeyMutation::Reverse => write!(f, "COSE key labels in reverse order"),
                CoseKeyMutation::Replace(b) => write!(f, "COSE key bytes = {}", hex_short(b)),
            },
            Mutation::AuthData(m) => match m {
                AuthDataMutation::SetFlags(mask) => {
                    write!(f, "authData flags +{}", Flags(*mask).describe())
                }
                AuthDataMutation::ClearFlags(mask) => {
                    write!(f, "authData flags -{}", Flags(*mask).describe())
                }
                AuthDataMutation::RpIdHashOf(rp) => {
                    write!(f, "authData rpIdHash = SHA-256({rp:?})")
                }
                AuthDataMutation::RpIdHash(h) => write!(f, "authData rpIdHash = {}", hex_short(h)),
                AuthDataMutation::SignCount(c) => write!(f, "authData signCount = {c}"),
                AuthDataMutation::Aaguid(a) => write!(f, "authData aaguid = {}", hex_short(a)),
                AuthDataMutation::Extensions(b) => {
                    write!(f, "authData extensions = {}", hex_short(b))
                }
                AuthDataMutation::DropAttestedCredentialData => {
                    write!(f, "authData without attested credential data")
                }
                AuthDataMutation::AddAttestedCredentialData => {
                    write!(f, "authData with attested credential data")
                }
                AuthDataMutation::Append(b) => write!(f, "authData followed by {}", hex_short(b)),
                AuthDataMutation::Truncate(n) => write!(f, "authData cut to {n} bytes"),
            },
            Mutation::Signature(m) => match m {
                SignatureMutation::FlipLastBit => write!(f, "signature with its last bit flipped"),
                SignatureMutation::Replace(b) => write!(f, "signature = {}", hex_short(b)),
                SignatureMutation::WithOtherKey => {
                    write!(f, "signature made with an unregistered key")
                }
                SignatureMutation::OverOtherClientData => {
                    write!(f, "signature over the hash of other clientDataJSON")
                }
                SignatureMutation::RawEcdsa => write!(f, "ECDSA signature as raw r ‖ s, not DER"),
                SignatureMutation::DerTrailingByte => {
                    write!(f, "DER signature with one trailing byte")
                }
                SignatureMutation::DerNonMinimalInteger => {
                    write!(
                        f,
                        "signature with r in a non-minimal INTEGER (BER, not DER)"
                    )
                }
                SignatureMutation::RsaWrongLength => {
                    write!(f, "RSA signature one octet longer than the modulus")
                }
                SignatureMutation::RsaDerWrapped => {
                    write!(f, "RSA signature wrapped in SEQUENCE {{ OCTET STRING }}")
                }
                SignatureMutation::WrongHash => {
                    write!(f, "signature by the right key over the wrong hash")
                }
            },
            Mutation::Attestation(m) => match m {
                AttestationMutation::Fmt(fmt) => write!(f, "attestationObject.fmt = {fmt:?}"),
                AttestationMutation::StmtSet { key, value } => {
                    write!(f, "attStmt.{key} = {}", cbor::describe(value))
                }
                AttestationMutation::StmtRemove { key } => write!(f, "attStmt without {key:?}"),
                AttestationMutation::StmtReplace(v) => write!(f, "attStmt = {}", cbor::describe(v)),
                AttestationMutation::ObjectSet { key, value } => {
                    write!(f, "attestationObject.{key} = {}", cbor::describe(value))
                }
                AttestationMutation::ObjectRemove { key } => {
                    write!(f, "attestationObject without {key:?}")
                }
                AttestationMutation::Replace(b) => {
                    write!(f, "attestationObject = {}", hex_short(b))
                }
                AttestationMutation::Append(b) => {
                    write!(f, "attestationObject followed by {}", hex_short(b))
                }
            },
            Mutation::Wire(m) => match m {
                WireMutation::Remove { path } => write!(f, "JSON without {path}"),
                WireMutation::Set { path, value } => write!(f, "JSON {path} = {value}"),
                WireMutation::StandardBase64 { path } => {
                    write!(f, "JSON {path} as padded standard base64")
                }
                WireMutation::Pad { path } => write!(f, "JSON {path} with '=' padding"),
                WireMutation::ReplaceBody(body) => write!(f, "body = {body:?}"),
                WireMutation::Whitespace { path } => {
                    write!(f, "JSON {path} with a line break and a space inside")
                }
                WireMutation::TruncateBody => write!(f, "the JSON body cut in half"),
            },
            Mutation::Statement(fault) => write!(f, "attestation statement with fault {fault:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE;
    use serde_json::json;

    use super::{ClientDataMutation, Json, WireMutation};
    use crate::codec::b64url;
    use crate::codec::client_data::members_to_json;

    /// ENC-02 sends the padding RFC 4648 §4 writes, not a stray '=': the padded text decodes,
    /// with a padding-aware decoder, to the bytes the unpadded text carried.
    #[test]
    fn pad_writes_real_padding() {
        for len in [1usize, 2, 4, 5, 37] {
            let bytes: Vec<u8> = (0..len as u8).collect();
            let mut body = json!({"response": {"clientDataJSON": b64url::encode(&bytes)}});
            let pad = WireMutation::Pad {
                path: "response.clientDataJSON".into(),
            };
            assert_eq!(pad.apply(&mut body), None);
            let text = body["response"]["clientDataJSON"].as_str().unwrap();
            assert_eq!(text.len() % 4, 0, "{text}");
            assert!(text.ends_with('='), "{text}");
            assert_eq!(URL_SAFE.decode(text).unwrap(), bytes, "{text}");
        }
    }

    /// Whatever length clientDataJSON has, PaddableLength leaves one whose base64url has
    /// padding, and touches nothing that already has.
    #[test]
    fn paddable_length_gives_every_client_data_padding() {
        for filler in 0..6 {
            let mut members: Vec<(String, Json)> = vec![
                ("type".into(), json!("webauthn.create")),
                ("challenge".into(), json!("x".repeat(filler))),
            ];
            let before = members_to_json(&members);
            assert_eq!(ClientDataMutation::PaddableLength.apply(&mut members), None);
            let after = members_to_json(&members);
            assert_ne!(after.len() % 3, 0, "{}", String::from_utf8_lossy(&after));
            if !before.len().is_multiple_of(3) {
                assert_eq!(before, after);
            }
        }
    }
}
