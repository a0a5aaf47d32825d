//! CollectedClientData (W3C L3 §5.8.1 `#dictdef-collectedclientdata`) and its JSON
//! serialization (§5.8.1.1 `#clientdatajson-serialization`).
//!
//! The RP hashes the exact bytes it received (§7.1 step 12, §7.2 step 20), so a parsed value
//! keeps them. Unknown keys are kept in order: parsers must tolerate them and any key order
//! (§5.8.1), and the harness sends them on purpose.

use serde::de::{self, Deserializer as _, MapAccess, Visitor};
use serde_json::Value as Json;

/// The client data members WebAuthn defines, plus any others in the order they came.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectedClientData {
    /// `type`: "webauthn.create" or "webauthn.get".
    pub type_: String,
    /// `challenge`: base64url of the RP's challenge.
    pub challenge: String,
    /// `origin`: the caller's origin.
    pub origin: String,
    /// `crossOrigin`: true inside a cross-origin iframe.
    pub cross_origin: Option<bool>,
    /// `topOrigin`: the top-level origin when cross-origin.
    pub top_origin: Option<String>,
    /// Every other member (for example `tokenBinding`, `extraData`), in order.
    pub other: Vec<(String, Json)>,
}

/// clientDataJSON as received: the exact bytes and the parsed members.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientDataJson {
    /// The exact bytes (hashed for the signature, §7.1 step 12).
    pub bytes: Vec<u8>,
    /// The parsed members.
    pub data: CollectedClientData,
}

/// Why clientDataJSON cannot be read as CollectedClientData.
// Exhaustive on purpose: the reference RP maps every variant to the syntax rule it breaks
// (webauthn-conformance `rp::reference::rule`), so a new variant must not compile there unmapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientDataError {
    /// Not valid UTF-8 (§7.1 step 5: "UTF-8 decode").
    #[error(
        "clientDataJSON is not valid UTF-8 (invalid byte at offset {valid_up_to}) (W3C L3 §7.1 step 5, §7.2 step 8)"
    )]
    NotUtf8 {
        /// The byte offset of the first invalid byte (the length of the valid UTF-8 prefix).
        valid_up_to: usize,
    },
    /// Not JSON.
    #[error("clientDataJSON is not valid JSON: {detail} (W3C L3 §7.1 step 6, §7.2 step 9)")]
    NotJson {
        /// The JSON parser's message.
        detail: String,
    },
    /// JSON, but not an object.
    #[error("clientDataJSON must be a JSON object: {detail}")]
    NotAnObject {
        /// The JSON parser's message.
        detail: String,
    },
    /// The same member twice; a parser would silently keep one of them.
    #[error("clientDataJSON has member {key:?} twice")]
    DuplicateMember {
        /// The repeated member name.
        key: String,
    },
    /// A required member is absent.
    #[error(
        "clientDataJSON has no {member:?} (W3C L3 §5.8.1: type, challenge and origin are required)"
    )]
    MissingMember {
        /// The absent member: `type`, `challenge` or `origin`.
        member: &'static str,
    },
    /// A member has the wrong JSON type.
    #[error("clientDataJSON {member:?} must be {expected}, found {found}")]
    WrongMemberType {
        /// The member's name: `type`, `challenge`, `origin`, `crossOrigin` or `topOrigin`.
        member: &'static str,
        /// The JSON type the member must have.
        expected: &'static str,
        /// The JSON type it has.
        found: &'static str,
    },
}

/// The JSON type name of a value, for "expected X, found Y" errors.
pub fn json_kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl ClientDataJson {
    /// Parses clientDataJSON bytes: UTF-8 decode (stripping a leading BOM, as the Encoding
    /// standard's "UTF-8 decode" does), JSON-parse, then read the members.
    pub fn parse(bytes: &[u8]) -> Result<Self, ClientDataError> {
        let (text, skipped) = match bytes.strip_prefix(BOM) {
            Some(rest) => (rest, BOM.len()),
            None => (bytes, 0),
        };
        let text = std::str::from_utf8(text).map_err(|err| ClientDataError::NotUtf8 {
            valid_up_to: skipped + err.valid_up_to(),
        })?;
        let members = parse_members(text)?;
        Ok(ClientDataJson {
            bytes: bytes.to_vec(),
            data: CollectedClientData::from_members(members)?,
        })
    }
}

impl CollectedClientData {
    fn from_members(members: Vec<(String, Json)>) -> Result<Self, ClientDataError> {
        let mut type_ = None;
        let mut challenge = None;
        let mut origin = None;
        let mut cross_origin = None;
        let mut top_origin = None;
        let mut other = Vec::new();
        for (key, value) in members {
            match key.as_str() {
                "type" => type_ = Some(string_member("type", value)?),
                "challenge" => challenge = Some(string_member("challenge", value)?),
                "origin" => origin = Some(string_member("origin", value)?),
                "topOrigin" => top_origin = Some(string_member("topOrigin", value)?),
                "crossOrigin" => match value {
                    Json::Bool(b) => cross_origin = Some(b),
                    other => {
                        return Err(ClientDataError::WrongMemberType {
                            member: "crossOrigin",
                            expected: "a boolean",
                            found: json_kind(&other),
                        });
                    }
                },
                _ => other.push((key, value)),
            }
        }
        Ok(CollectedClientData {
            type_: type_.ok_or(ClientDataError::MissingMember { member: "type" })?,
            challenge: challenge.ok_or(ClientDataError::MissingMember {
                member: "challenge",
            })?,
            origin: origin.ok_or(ClientDataError::MissingMember { member: "origin" })?,
            cross_origin,
            top_origin,
            other,
        })
    }

    /// The members in the client's serialization order (§5.8.1.1): type, challenge, origin,
    /// crossOrigin, then topOrigin if present, then every other member.
    pub fn to_members(&self) -> Vec<(String, Json)> {
        let mut members = vec![
            ("type".to_owned(), Json::String(self.type_.clone())),
            ("challenge".to_owned(), Json::String(self.challenge.clone())),
            ("origin".to_owned(), Json::String(self.origin.clone())),
        ];
        if let Some(cross_origin) = self.cross_origin {
            members.push(("crossOrigin".to_owned(), Json::Bool(cross_origin)));
        }
        if let Some(top_origin) = &self.top_origin {
            members.push(("topOrigin".to_owned(), Json::String(top_origin.clone())));
        }
        members.extend(self.other.iter().cloned());
        members
    }

    /// Serializes in the client's order (§5.8.1.1).
    pub fn to_json_bytes(&self) -> Vec<u8> {
        members_to_json(&self.to_members())
    }
}

/// Serializes ordered members as compact JSON. Members are written as given, duplicates
/// included, so that the harness can send duplicate keys on purpose.
pub fn members_to_json(members: &[(String, Json)]) -> Vec<u8> {
    let mut out = b"{".to_vec();
    for (index, (key, value)) in members.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        out.extend_from_slice(Json::String(key.clone()).to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(value.to_string().as_bytes());
    }
    out.push(b'}');
    out
}

fn string_member(member: &'static str, value: Json) -> Result<String, ClientDataError> {
    match value {
        Json::String(s) => Ok(s),
        other => Err(ClientDataError::WrongMemberType {
            member,
            expected: "a string",
            found: json_kind(&other),
        }),
    }
}

/// Parses a JSON object into its members in order, refusing duplicate keys.
///
/// Syntax is checked first, on its own, so that text which is not JSON at all is `NotJson`
/// whatever its first character, and only well-formed JSON of another type is `NotAnObject`.
fn parse_members(text: &str) -> Result<Vec<(String, Json)>, ClientDataError> {
    serde_json::from_str::<Json>(text).map_err(|err| ClientDataError::NotJson {
        detail: err.to_string(),
    })?;
    let mut duplicate = None;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = deserializer.deserialize_map(OrderedMembers {
        duplicate: &mut duplicate,
    });
    if let Some(key) = duplicate {
        return Err(ClientDataError::DuplicateMember { key });
    }
    let members = parsed.map_err(|err| match err.classify() {
        serde_json::error::Category::Data => ClientDataError::NotAnObject {
            detail: err.to_string(),
        },
        _ => ClientDataError::NotJson {
            detail: err.to_string(),
        },
    })?;
    deserializer.end().map_err(|err| ClientDataError::NotJson {
        detail: err.to_string(),
    })?;
    Ok(members)
}

/// Collects an object's members in order; a repeated key is written to `duplicate` (a side
/// channel, so the key never has to be recovered from an error message) and stops the parse.
struct OrderedMembers<'a> {
    duplicate: &'a mut Option<String>,
}

impl<'de> Visitor<'de> for OrderedMembers<'_> {
    type Value = Vec<(String, Json)>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members: Vec<(String, Json)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            if members.iter().any(|(seen, _)| *seen == key) {
                let message = format!("duplicate member {key:?}");
                *self.duplicate = Some(key);
                return Err(de::Error::custom(message));
            }
            members.push((key, value));
        }
        Ok(members)
    }
}

#[cfg(test)]
mod tests;
