//! The JSON wire form of credentials: `PublicKeyCredential.toJSON()` (W3C L3 §5.1,
//! RegistrationResponseJSON and AuthenticationResponseJSON) and the FIDO conformance API's
//! ServerPublicKeyCredential (no `rawId`, `getClientExtensionResults`).
//!
//! The parser walks the JSON by hand so that each fault is reported with its path and what was
//! expected: RPs must reject a missing, mistyped, empty or non-base64url field, and the report
//! should say which one.

use serde_json::{Map, Value as Json};

use super::b64url::{self, Base64UrlError};
use super::client_data::json_kind;

/// Why a JSON body is not a well-formed credential.
// Exhaustive on purpose: the reference RP maps every variant to the syntax rule it breaks
// (webauthn-conformance `rp::reference::rule`), so a new variant must not compile there unmapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The body is not JSON.
    #[error("body is not valid JSON: {detail}")]
    NotJson {
        /// The JSON parser's message.
        detail: String,
    },
    /// A value that must be an object is not.
    #[error("{path} must be an object, found {found}")]
    NotAnObject {
        /// Where the value is, as a dotted path (`response`), or "the credential" for the body.
        path: String,
        /// The JSON type found instead ("an array", "a string", ...).
        found: &'static str,
    },
    /// A required field is absent.
    #[error("{path} is missing (W3C L3 §5.1; FIDO conformance API)")]
    MissingField {
        /// The absent field, as a dotted path (`response.clientDataJSON`).
        path: String,
    },
    /// A field has the wrong JSON type.
    #[error("{path} must be {expected}, found {found}")]
    WrongType {
        /// The field, as a dotted path.
        path: String,
        /// The JSON type the field must have.
        expected: &'static str,
        /// The JSON type it has.
        found: &'static str,
    },
    /// A required buffer is the empty string.
    #[error("{path} is empty")]
    Empty {
        /// The empty field, as a dotted path.
        path: String,
    },
    /// A buffer is not strict base64url.
    #[error("{path} is not base64url: {source}")]
    NotBase64Url {
        /// The field, as a dotted path.
        path: String,
        /// Why its value is not strict base64url.
        source: Base64UrlError,
    },
}

/// Which names the extension outputs and raw ID travel under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WireShape {
    /// W3C L3 `toJSON()`: `rawId` and `clientExtensionResults`.
    #[default]
    Level3,
    /// FIDO conformance API: no `rawId`, `getClientExtensionResults`.
    FidoApi,
    /// Both names and `rawId`, for servers that read either.
    Both,
}

/// RegistrationResponseJSON (W3C L3 §5.1.8) / ServerPublicKeyCredential with an attestation.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistrationResponse {
    /// `id`: the credential ID as base64url text, as sent.
    pub id: String,
    /// `rawId`, decoded, when sent.
    pub raw_id: Option<Vec<u8>>,
    /// `type`, as sent.
    pub type_: String,
    /// `response`.
    pub response: AttestationResponse,
    /// `authenticatorAttachment`, when sent.
    pub authenticator_attachment: Option<String>,
    /// `clientExtensionResults` (or the FIDO API's `getClientExtensionResults`).
    pub client_extension_results: Option<Map<String, Json>>,
}

/// AuthenticatorAttestationResponseJSON (W3C L3 §5.1.8).
#[derive(Debug, Clone, PartialEq)]
pub struct AttestationResponse {
    /// `clientDataJSON`, decoded.
    pub client_data_json: Vec<u8>,
    /// `attestationObject`, decoded.
    pub attestation_object: Vec<u8>,
    /// `authenticatorData` (L3 convenience copy), decoded, when sent.
    pub authenticator_data: Option<Vec<u8>>,
    /// `transports`, when sent.
    pub transports: Option<Vec<String>>,
    /// `publicKey` (SubjectPublicKeyInfo DER), when sent.
    pub public_key: Option<Vec<u8>>,
    /// `publicKeyAlgorithm`, when sent.
    pub public_key_algorithm: Option<i64>,
}

/// AuthenticationResponseJSON (W3C L3 §5.1.9) / ServerPublicKeyCredential with an assertion.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthenticationResponse {
    /// `id`: the credential ID as base64url text, as sent.
    pub id: String,
    /// `rawId`, decoded, when sent.
    pub raw_id: Option<Vec<u8>>,
    /// `type`, as sent.
    pub type_: String,
    /// `response`.
    pub response: AssertionResponse,
    /// `authenticatorAttachment`, when sent.
    pub authenticator_attachment: Option<String>,
    /// `clientExtensionResults` (or `getClientExtensionResults`).
    pub client_extension_results: Option<Map<String, Json>>,
}

/// AuthenticatorAssertionResponseJSON (W3C L3 §5.1.9).
#[derive(Debug, Clone, PartialEq)]
pub struct AssertionResponse {
    /// `clientDataJSON`, decoded.
    pub client_data_json: Vec<u8>,
    /// `authenticatorData`, decoded.
    pub authenticator_data: Vec<u8>,
    /// `signature`, decoded.
    pub signature: Vec<u8>,
    /// `userHandle`, decoded, when sent (the FIDO API example sends `""`).
    pub user_handle: Option<Vec<u8>>,
}

impl RegistrationResponse {
    /// Parses a registration credential from a JSON body.
    pub fn parse(body: &str) -> Result<Self, WireError> {
        let root = parse_root(body)?;
        let (id, raw_id, type_) = credential_header(&root)?;
        let response = root.object("response")?;
        Ok(RegistrationResponse {
            id,
            raw_id,
            type_,
            response: AttestationResponse {
                client_data_json: response.buffer("clientDataJSON")?,
                attestation_object: response.buffer("attestationObject")?,
                authenticator_data: response.optional_buffer("authenticatorData")?,
                transports: response.optional_strings("transports")?,
                public_key: response.optional_buffer("publicKey")?,
                public_key_algorithm: response.optional_i64("publicKeyAlgorithm")?,
            },
            authenticator_attachment: root.optional_string("authenticatorAttachment")?,
            client_extension_results: extension_results(&root)?,
        })
    }

    /// The JSON body, fields in IDL order.
    pub fn to_json(&self, shape: WireShape) -> Json {
        let mut response = Map::new();
        response.insert(
            "clientDataJSON".into(),
            b64(&self.response.client_data_json),
        );
        if let Some(auth_data) = &self.response.authenticator_data {
            response.insert("authenticatorData".into(), b64(auth_data));
        }
        if let Some(transports) = &self.response.transports {
            response.insert(
                "transports".into(),
                Json::Array(transports.iter().cloned().map(Json::String).collect()),
            );
        }
        if let Some(public_key) = &self.response.public_key {
            response.insert("publicKey".into(), b64(public_key));
        }
        if let Some(alg) = self.response.public_key_algorithm {
            response.insert("publicKeyAlgorithm".into(), Json::from(alg));
        }
        response.insert(
            "attestationObject".into(),
            b64(&self.response.attestation_object),
        );
        credential_json(
            &self.id,
            self.raw_id.as_deref(),
            &self.type_,
            response,
            self.authenticator_attachment.as_deref(),
            self.client_extension_results.as_ref(),
            shape,
        )
    }
}

impl AuthenticationResponse {
    /// Parses an authentication credential from a JSON body.
    pub fn parse(body: &str) -> Result<Self, WireError> {
        let root = parse_root(body)?;
        let (id, raw_id, type_) = credential_header(&root)?;
        let response = root.object("response")?;
        Ok(AuthenticationResponse {
            id,
            raw_id,
            type_,
            response: AssertionResponse {
                client_data_json: response.buffer("clientDataJSON")?,
                authenticator_data: response.buffer("authenticatorData")?,
                signature: response.buffer("signature")?,
                user_handle: response.optional_buffer_allow_empty("userHandle")?,
            },
            authenticator_attachment: root.optional_string("authenticatorAttachment")?,
            client_extension_results: extension_results(&root)?,
        })
    }

    /// The JSON body, fields in IDL order.
    pub fn to_json(&self, shape: WireShape) -> Json {
        let mut response = Map::new();
        response.insert(
            "clientDataJSON".into(),
            b64(&self.response.client_data_json),
        );
        response.insert(
            "authenticatorData".into(),
            b64(&self.response.authenticator_data),
        );
        response.insert("signature".into(), b64(&self.response.signature));
        if let Some(user_handle) = &self.response.user_handle {
            response.insert("userHandle".into(), b64(user_handle));
        }
        credential_json(
            &self.id,
            self.raw_id.as_deref(),
            &self.type_,
            response,
            self.authenticator_attachment.as_deref(),
            self.client_extension_results.as_ref(),
            shape,
        )
    }
}

fn b64(bytes: &[u8]) -> Json {
    Json::String(b64url::encode(bytes))
}

fn credential_json(
    id: &str,
    raw_id: Option<&[u8]>,
    type_: &str,
    response: Map<String, Json>,
    attachment: Option<&str>,
    extensions: Option<&Map<String, Json>>,
    shape: WireShape,
) -> Json {
    let mut root = Map::new();
    root.insert("id".into(), Json::String(id.to_owned()));
    if shape != WireShape::FidoApi
        && let Some(raw_id) = raw_id
    {
        root.insert("rawId".into(), b64(raw_id));
    }
    root.insert("type".into(), Json::String(type_.to_owned()));
    root.insert("response".into(), Json::Object(response));
    if let Some(attachment) = attachment {
        root.insert(
            "authenticatorAttachment".into(),
            Json::String(attachment.to_owned()),
        );
    }
    let extensions = Json::Object(extensions.cloned().unwrap_or_default());
    if shape != WireShape::FidoApi {
        root.insert("clientExtensionResults".into(), extensions.clone());
    }
    if shape != WireShape::Level3 {
        root.insert("getClientExtensionResults".into(), extensions);
    }
    Json::Object(root)
}

fn parse_root(body: &str) -> Result<Fields<'static>, WireError> {
    let value: Json = serde_json::from_str(body).map_err(|err| WireError::NotJson {
        detail: err.to_string(),
    })?;
    match value {
        Json::Object(map) => Ok(Fields {
            map: std::borrow::Cow::Owned(map),
            path: String::new(),
        }),
        other => Err(WireError::NotAnObject {
            path: "the credential".into(),
            found: json_kind(&other),
        }),
    }
}

fn credential_header(root: &Fields) -> Result<(String, Option<Vec<u8>>, String), WireError> {
    let id = root.string("id")?;
    let raw_id = root.optional_buffer("rawId")?;
    let type_ = root.string("type")?;
    Ok((id, raw_id, type_))
}

fn extension_results(root: &Fields) -> Result<Option<Map<String, Json>>, WireError> {
    match root.optional_object("clientExtensionResults")? {
        Some(map) => Ok(Some(map)),
        None => root.optional_object("getClientExtensionResults"),
    }
}

/// A JSON object with the path that led to it, for error messages.
struct Fields<'a> {
    map: std::borrow::Cow<'a, Map<String, Json>>,
    path: String,
}

impl Fields<'_> {
    fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn get(&self, key: &str) -> Result<&Json, WireError> {
        self.map.get(key).ok_or_else(|| WireError::MissingField {
            path: self.path_of(key),
        })
    }

    fn object(&self, key: &str) -> Result<Fields<'_>, WireError> {
        match self.get(key)? {
            Json::Object(map) => Ok(Fields {
                map: std::borrow::Cow::Borrowed(map),
                path: self.path_of(key),
            }),
            other => Err(WireError::NotAnObject {
                path: self.path_of(key),
                found: json_kind(other),
            }),
        }
    }

    fn string(&self, key: &str) -> Result<String, WireError> {
        match self.get(key)? {
            Json::String(s) => Ok(s.clone()),
            other => Err(self.wrong(key, "a string", other)),
        }
    }

    fn buffer(&self, key: &str) -> Result<Vec<u8>, WireError> {
        let text = self.string(key)?;
        if text.is_empty() {
            return Err(WireError::Empty {
                path: self.path_of(key),
            });
        }
        self.decode(key, &text)
    }

    fn decode(&self, key: &str, text: &str) -> Result<Vec<u8>, WireError> {
        b64url::decode(text).map_err(|source| WireError::NotBase64Url {
            path: self.path_of(key),
            source,
        })
    }

    fn optional_buffer(&self, key: &str) -> Result<Option<Vec<u8>>, WireError> {
        if self.map.contains_key(key) {
            self.buffer(key).map(Some)
        } else {
            Ok(None)
        }
    }

    fn optional_buffer_allow_empty(&self, key: &str) -> Result<Option<Vec<u8>>, WireError> {
        if self.map.contains_key(key) {
            let text = self.string(key)?;
            self.decode(key, &text).map(Some)
        } else {
            Ok(None)
        }
    }

    fn optional_string(&self, key: &str) -> Result<Option<String>, WireError> {
        if self.map.contains_key(key) {
            self.string(key).map(Some)
        } else {
            Ok(None)
        }
    }

    fn optional_i64(&self, key: &str) -> Result<Option<i64>, WireError> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Json::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "an integer", &Json::Number(n.clone()))),
            Some(other) => Err(self.wrong(key, "an integer", other)),
        }
    }

    fn optional_strings(&self, key: &str) -> Result<Option<Vec<String>>, WireError> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Json::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Json::String(s) => Ok(s.clone()),
                    other => Err(self.wrong(key, "an array of strings", other)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(self.wrong(key, "an array of strings", other)),
        }
    }

    fn optional_object(&self, key: &str) -> Result<Option<Map<String, Json>>, WireError> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Json::Object(map)) => Ok(Some(map.clone())),
            Some(other) => Err(WireError::NotAnObject {
                path: self.path_of(key),
                found: json_kind(other),
            }),
        }
    }

    fn wrong(&self, key: &str, expected: &'static str, found: &Json) -> WireError {
        WireError::WrongType {
            path: self.path_of(key),
            expected,
            found: json_kind(found),
        }
    }
}

#[cfg(test)]
mod tests;
