//! The JSON forms of creation and request options (W3C L3 §5.1 `parseCreationOptionsFromJSON`,
//! PublicKeyCredentialCreationOptionsJSON and PublicKeyCredentialRequestOptionsJSON), and the
//! FIDO conformance API's option requests (docs/fido-api.md).
//!
//! The FIDO API wraps options in a ServerResponse (`status`, `errorMessage`); unknown members are
//! ignored when parsing so the same types read both.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value as Json};

use super::b64url;
use super::client_data::json_kind;

/// Bytes that travel as strict base64url text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Base64Url(pub Vec<u8>);

impl Serialize for Base64Url {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&b64url::encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Url {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        b64url::decode(&text)
            .map(Base64Url)
            .map_err(serde::de::Error::custom)
    }
}

/// PublicKeyCredentialRpEntity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RpEntity {
    /// Human-readable RP name.
    pub name: String,
    /// The RP ID; absent means the caller's effective domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// PublicKeyCredentialUserEntityJSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserEntity {
    /// The user handle (1 to 64 bytes).
    pub id: Base64Url,
    /// Account name.
    pub name: String,
    /// Display name.
    pub display_name: String,
}

/// PublicKeyCredentialParameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PubKeyCredParam {
    /// Always "public-key" today.
    #[serde(rename = "type")]
    pub type_: String,
    /// COSE algorithm identifier.
    pub alg: i64,
}

/// PublicKeyCredentialDescriptorJSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialDescriptor {
    /// Always "public-key" today.
    #[serde(rename = "type")]
    pub type_: String,
    /// The credential ID.
    pub id: Base64Url,
    /// Transport hints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transports: Option<Vec<String>>,
}

/// AuthenticatorSelectionCriteria.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorSelection {
    /// "platform" or "cross-platform".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_attachment: Option<String>,
    /// "discouraged", "preferred" or "required".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_key: Option<String>,
    /// Level 1 form of residentKey.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_resident_key: Option<bool>,
    /// "required", "preferred" or "discouraged".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
}

/// PublicKeyCredentialCreationOptionsJSON (W3C L3 §5.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreationOptions {
    /// The relying party.
    pub rp: RpEntity,
    /// The user account.
    pub user: UserEntity,
    /// The challenge.
    pub challenge: Base64Url,
    /// Acceptable credential types and algorithms, most preferred first.
    pub pub_key_cred_params: Vec<PubKeyCredParam>,
    /// Milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// Credentials the authenticator must not already hold.
    #[serde(default)]
    pub exclude_credentials: Vec<CredentialDescriptor>,
    /// Authenticator requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_selection: Option<AuthenticatorSelection>,
    /// "none", "indirect", "direct" or "enterprise".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<String>,
    /// Client extension inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Map<String, Json>>,
}

/// PublicKeyCredentialRequestOptionsJSON (W3C L3 §5.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestOptions {
    /// The challenge.
    pub challenge: Base64Url,
    /// Milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// The RP ID; absent means the caller's effective domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rp_id: Option<String>,
    /// Credentials acceptable for this assertion; empty means discoverable credentials.
    #[serde(default)]
    pub allow_credentials: Vec<CredentialDescriptor>,
    /// "required", "preferred" or "discouraged".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
    /// Client extension inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Map<String, Json>>,
}

/// UserVerificationRequirement (W3C L3 §5.8.6); unknown values mean the default, "preferred".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum UserVerification {
    /// UV must happen.
    Required,
    /// UV if possible.
    #[default]
    Preferred,
    /// No UV wanted.
    Discouraged,
}

impl UserVerification {
    /// Reads the enum as the spec does: unknown or absent values become "preferred".
    pub fn parse(value: Option<&str>) -> Self {
        match value {
            Some("required") => Self::Required,
            Some("discouraged") => Self::Discouraged,
            _ => Self::Preferred,
        }
    }

    /// The wire string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Preferred => "preferred",
            Self::Discouraged => "discouraged",
        }
    }
}

/// ServerPublicKeyCredentialCreationOptionsRequest (FIDO conformance API), the body of
/// `POST /attestation/options`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerCreationOptionsRequest {
    /// Account name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Requested authenticator selection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticator_selection: Option<AuthenticatorSelection>,
    /// Requested attestation conveyance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<String>,
    /// Extension inputs the RP should echo (the FIDO tool sends `example.extension`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Map<String, Json>>,
}

/// ServerPublicKeyCredentialGetOptionsRequest (FIDO conformance API), the body of
/// `POST /assertion/options`. No username means the discoverable (username-less) flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerGetOptionsRequest {
    /// Account name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Requested user verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
    /// Extension inputs the RP should echo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Map<String, Json>>,
}

/// Why an options body could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OptionsError {
    /// The body does not match the options dictionary.
    #[error("{dictionary} does not parse: {detail}")]
    Invalid {
        /// The dictionary's name (`PublicKeyCredentialCreationOptionsJSON`, ...).
        dictionary: &'static str,
        /// What is wrong: the JSON parser's message, or the member that is not an object.
        detail: String,
    },
}

impl CreationOptions {
    const DICTIONARY: &'static str = "PublicKeyCredentialCreationOptionsJSON";

    /// Reads creation options from a JSON value (a FIDO ServerResponse wrapper is fine).
    pub fn from_json(value: &Json) -> Result<Self, OptionsError> {
        require_dictionaries(
            value,
            Self::DICTIONARY,
            &["rp", "user", "authenticatorSelection"],
            &["pubKeyCredParams", "excludeCredentials"],
        )?;
        serde_json::from_value(value.clone()).map_err(|err| invalid(Self::DICTIONARY, err))
    }
}

impl RequestOptions {
    const DICTIONARY: &'static str = "PublicKeyCredentialRequestOptionsJSON";

    /// Reads request options from a JSON value (a FIDO ServerResponse wrapper is fine).
    pub fn from_json(value: &Json) -> Result<Self, OptionsError> {
        require_dictionaries(value, Self::DICTIONARY, &[], &["allowCredentials"])?;
        serde_json::from_value(value.clone()).map_err(|err| invalid(Self::DICTIONARY, err))
    }
}

fn invalid(dictionary: &'static str, err: impl std::fmt::Display) -> OptionsError {
    OptionsError::Invalid {
        dictionary,
        detail: err.to_string(),
    }
}

/// serde's derived `Deserialize` also reads a struct from a JSON array (its fields in
/// declaration order). The options are WebIDL dictionaries (§5.1), so the body, each member in
/// `members` and each item of each list in `lists` must be a JSON object, never an array.
fn require_dictionaries(
    value: &Json,
    dictionary: &'static str,
    members: &[&str],
    lists: &[&str],
) -> Result<(), OptionsError> {
    let Json::Object(body) = value else {
        return Err(invalid(
            dictionary,
            format_args!("expected a JSON object, found {}", json_kind(value)),
        ));
    };
    for &member in members {
        if let Some(Json::Array(_)) = body.get(member) {
            return Err(invalid(
                dictionary,
                format_args!("member {member:?} must be a JSON object, found an array"),
            ));
        }
    }
    for &list in lists {
        if let Some(Json::Array(items)) = body.get(list)
            && let Some(index) = items.iter().position(Json::is_array)
        {
            return Err(invalid(
                dictionary,
                format_args!("{list}[{index}] must be a JSON object, found an array"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
