//! Authenticator data (W3C L3 §6.1 `#sctn-authenticator-data`) and attested credential data
//! (§6.5.1 `#sctn-attested-credential-data`).
//!
//! ```text
//! rpIdHash(32) | flags(1) | signCount(4, BE) | attestedCredentialData (if AT) | extensions (if ED)
//! attestedCredentialData = aaguid(16) | credentialIdLength(2, BE, <= 1023) | credentialId | COSE_Key
//! ```
//! All eight flag bits are kept as read (reserved bits included) so that the harness can send and
//! observe them; the COSE key and the extensions map are kept as their exact CBOR bytes.

use super::cbor::{self, Value};

/// The authenticator data flags byte, every bit kept as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(pub u8);

impl Flags {
    /// User Present (bit 0).
    pub const UP: u8 = 0x01;
    /// Reserved for future use (bit 1).
    pub const RFU1: u8 = 0x02;
    /// User Verified (bit 2).
    pub const UV: u8 = 0x04;
    /// Backup Eligibility (bit 3).
    pub const BE: u8 = 0x08;
    /// Backup State (bit 4).
    pub const BS: u8 = 0x10;
    /// Reserved for future use (bit 5).
    pub const RFU2: u8 = 0x20;
    /// Attested credential data included (bit 6).
    pub const AT: u8 = 0x40;
    /// Extension data included (bit 7).
    pub const ED: u8 = 0x80;

    /// Whether every bit of `mask` is set.
    pub fn has(self, mask: u8) -> bool {
        self.0 & mask == mask
    }

    /// This byte with `mask` set.
    pub fn with(self, mask: u8) -> Self {
        Flags(self.0 | mask)
    }

    /// This byte with `mask` cleared.
    pub fn without(self, mask: u8) -> Self {
        Flags(self.0 & !mask)
    }

    /// Flag names, for reports ("UP|UV|AT").
    pub fn describe(self) -> String {
        const NAMES: [(u8, &str); 8] = [
            (Flags::UP, "UP"),
            (Flags::RFU1, "RFU1"),
            (Flags::UV, "UV"),
            (Flags::BE, "BE"),
            (Flags::BS, "BS"),
            (Flags::RFU2, "RFU2"),
            (Flags::AT, "AT"),
            (Flags::ED, "ED"),
        ];
        let names: Vec<&str> = NAMES
            .iter()
            .filter(|(mask, _)| self.has(*mask))
            .map(|(_, name)| *name)
            .collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join("|")
        }
    }
}

/// The longest credential ID allowed (W3C L3 §6.5.1: credentialIdLength "MUST be ≤ 1023").
pub const MAX_CREDENTIAL_ID_LEN: usize = 1023;

/// Attested credential data (§6.5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestedCredentialData {
    /// The authenticator's AAGUID.
    pub aaguid: [u8; 16],
    /// The credential ID (its length is written as credentialIdLength).
    pub credential_id: Vec<u8>,
    /// The credential public key, as its exact COSE_Key CBOR bytes.
    pub credential_public_key: Vec<u8>,
}

/// Authenticator data (§6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatorData {
    /// SHA-256 of the RP ID the credential is scoped to.
    pub rp_id_hash: [u8; 32],
    /// The flags byte, as read.
    pub flags: Flags,
    /// The signature counter.
    pub sign_count: u32,
    /// Present when the bytes carried attested credential data (read when AT is set).
    pub attested_credential_data: Option<AttestedCredentialData>,
    /// The extensions map's exact CBOR bytes (read when ED is set).
    pub extensions: Option<Vec<u8>>,
    /// Bytes after the last structure. Always empty from the strict parser; the encoder writes
    /// them, so the harness can send leftover bytes on purpose.
    pub trailing: Vec<u8>,
}

/// Why bytes are not valid authenticator data.
// Exhaustive on purpose: the reference RP maps every variant to the syntax rule it breaks
// (webauthn-conformance `rp::reference::rule`), so a new variant must not compile there unmapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthDataError {
    /// Shorter than the fixed 37-byte header.
    #[error("authenticator data is {found} bytes, shorter than the 37-byte minimum (W3C L3 §6.1)")]
    TooShort {
        /// The authenticator data's length in bytes.
        found: usize,
    },
    /// AT is set but the attested credential data is missing or cut short.
    #[error(
        "AT is set but attested credential data is truncated: needed {needed} byte(s) at offset {offset}, {available} left (W3C L3 §6.5.1)"
    )]
    TruncatedAttestedCredentialData {
        /// The byte offset, in the authenticator data, of the part that is cut short (aaguid,
        /// credentialIdLength, credentialId or credentialPublicKey).
        offset: usize,
        /// The bytes needed from `offset` on.
        needed: usize,
        /// The bytes left from `offset`.
        available: usize,
    },
    /// credentialIdLength is above 1023.
    #[error(
        "credentialIdLength is {found}, above the maximum of 1023 (W3C L3 §6.5.1; §7.1 step 25)"
    )]
    CredentialIdTooLong {
        /// The credentialIdLength read.
        found: usize,
    },
    /// The credential public key is not one CBOR item.
    #[error("credential public key at offset {offset} is not valid CBOR: {source}")]
    CredentialPublicKey {
        /// The byte offset, in the authenticator data, where credentialPublicKey starts.
        offset: usize,
        /// Why it is not one strict CBOR item (offsets in it count from `offset`).
        source: cbor::CborError,
    },
    /// ED is set but no extensions map follows.
    #[error("ED is set but no extensions follow at offset {offset} (W3C L3 §6.1)")]
    MissingExtensions {
        /// The byte offset where the extensions map should start (the end of the data).
        offset: usize,
    },
    /// The extensions are not a valid CBOR map.
    #[error("extensions at offset {offset} are not a CBOR map: {detail}")]
    BadExtensions {
        /// The byte offset where the extensions start.
        offset: usize,
        /// The CBOR error, or the type found instead of a map.
        detail: String,
    },
    /// Bytes are left after everything the flags announce.
    #[error(
        "{count} unexpected byte(s) at offset {offset} after {after} (W3C L3 §6.1; flags {flags})"
    )]
    TrailingBytes {
        /// The byte offset of the first leftover byte.
        offset: usize,
        /// How many bytes are left over.
        count: usize,
        /// The last structure read: "the 37-byte header", "the attested credential data" or
        /// "the extensions map".
        after: &'static str,
        /// The flags byte, as [`Flags::describe`] renders it.
        flags: String,
    },
}

/// What the authenticator data parser tolerates. The default is the W3C L3 rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Longest credential ID accepted.
    pub max_credential_id_len: usize,
    /// Keep leftover bytes in [`AuthenticatorData::trailing`] instead of failing.
    pub allow_trailing_bytes: bool,
    /// Read attested credential data whenever bytes follow the header, AT set or not (a
    /// lenient reading, for the reference RP's mutants only).
    pub attested_data_without_at: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            max_credential_id_len: MAX_CREDENTIAL_ID_LEN,
            allow_trailing_bytes: false,
            attested_data_without_at: false,
        }
    }
}

impl AuthenticatorData {
    /// Parses authenticator data strictly (W3C L3 §6.1).
    pub fn parse(bytes: &[u8]) -> Result<Self, AuthDataError> {
        Self::parse_with(bytes, ParseOptions::default())
    }

    /// Parses authenticator data with explicit tolerances.
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Self, AuthDataError> {
        let Some((header, mut rest)) = bytes.split_first_chunk::<37>() else {
            return Err(AuthDataError::TooShort { found: bytes.len() });
        };
        let mut rp_id_hash = [0u8; 32];
        rp_id_hash.copy_from_slice(&header[..32]);
        let flags = Flags(header[32]);
        let sign_count = u32::from_be_bytes([header[33], header[34], header[35], header[36]]);
        let mut offset = 37;
        let mut after = "the 37-byte header";

        let attested_credential_data =
            if flags.has(Flags::AT) || (options.attested_data_without_at && !rest.is_empty()) {
                let (acd, used) = parse_attested(rest, offset, options)?;
                rest = rest.get(used..).unwrap_or_default();
                offset += used;
                after = "the attested credential data";
                Some(acd)
            } else {
                None
            };

        let extensions = if flags.has(Flags::ED) {
            if rest.is_empty() {
                return Err(AuthDataError::MissingExtensions { offset });
            }
            let (value, used) =
                cbor::decode_prefix(rest).map_err(|err| AuthDataError::BadExtensions {
                    offset,
                    detail: err.to_string(),
                })?;
            if !matches!(value, Value::Map(_)) {
                return Err(AuthDataError::BadExtensions {
                    offset,
                    detail: format!("found {}", cbor::kind(&value)),
                });
            }
            let raw = rest.get(..used).unwrap_or_default().to_vec();
            rest = rest.get(used..).unwrap_or_default();
            offset += used;
            after = "the extensions map";
            Some(raw)
        } else {
            None
        };

        if !rest.is_empty() && !options.allow_trailing_bytes {
            return Err(AuthDataError::TrailingBytes {
                offset,
                count: rest.len(),
                after,
                flags: flags.describe(),
            });
        }
        Ok(AuthenticatorData {
            rp_id_hash,
            flags,
            sign_count,
            attested_credential_data,
            extensions,
            trailing: rest.to_vec(),
        })
    }

    /// Encodes the fields as they are: the flags byte is written as stored, whatever is present.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(37 + 200);
        out.extend_from_slice(&self.rp_id_hash);
        out.push(self.flags.0);
        out.extend_from_slice(&self.sign_count.to_be_bytes());
        if let Some(acd) = &self.attested_credential_data {
            out.extend_from_slice(&acd.aaguid);
            // A length above u16::MAX cannot be written; the authenticator never makes one.
            let len = u16::try_from(acd.credential_id.len()).unwrap_or(u16::MAX);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(&acd.credential_id);
            out.extend_from_slice(&acd.credential_public_key);
        }
        if let Some(extensions) = &self.extensions {
            out.extend_from_slice(extensions);
        }
        out.extend_from_slice(&self.trailing);
        out
    }
}

fn parse_attested(
    bytes: &[u8],
    offset: usize,
    options: ParseOptions,
) -> Result<(AttestedCredentialData, usize), AuthDataError> {
    let truncated = |needed: usize, at: usize| AuthDataError::TruncatedAttestedCredentialData {
        offset: offset + at,
        needed,
        available: bytes.len().saturating_sub(at),
    };
    let Some((aaguid, rest)) = bytes.split_first_chunk::<16>() else {
        return Err(truncated(18, 0));
    };
    let Some((len, rest)) = rest.split_first_chunk::<2>() else {
        return Err(truncated(2, 16));
    };
    let id_len = usize::from(u16::from_be_bytes(*len));
    if id_len > options.max_credential_id_len {
        return Err(AuthDataError::CredentialIdTooLong { found: id_len });
    }
    let Some(credential_id) = rest.get(..id_len) else {
        return Err(truncated(id_len, 18));
    };
    let key_bytes = rest.get(id_len..).unwrap_or_default();
    let key_offset = 18 + id_len;
    if key_bytes.is_empty() {
        return Err(truncated(1, key_offset));
    }
    let (_, key_len) =
        cbor::decode_prefix(key_bytes).map_err(|source| AuthDataError::CredentialPublicKey {
            offset: offset + key_offset,
            source,
        })?;
    let credential_public_key = key_bytes.get(..key_len).unwrap_or_default().to_vec();
    Ok((
        AttestedCredentialData {
            aaguid: *aaguid,
            credential_id: credential_id.to_vec(),
            credential_public_key,
        },
        key_offset + key_len,
    ))
}

#[cfg(test)]
mod tests;
