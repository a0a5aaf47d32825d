//! base64url without padding, exactly as WebAuthn defines it.
//!
//! W3C WebAuthn L3 §3 "Terminology" (`#base64url-encoding`): the RFC 4648 §5 URL-safe alphabet
//! with all trailing `=` removed and no line breaks, whitespace or other characters. The FIDO
//! conformance tool probes "not base64url" with standard base64 plus `==` padding, so padding,
//! `+`, `/`, whitespace and non-canonical trailing bits are all rejected here.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Why a string is not strict base64url.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Base64UrlError {
    /// A `=` pad character was found; WebAuthn base64url removes all padding.
    #[error(
        "padding '=' at offset {offset}; WebAuthn base64url has no padding (W3C L3 §3 base64url encoding)"
    )]
    Padding {
        /// The byte offset of the first `=`.
        offset: usize,
    },
    /// A character outside the URL-safe alphabet (for example `+`, `/` or whitespace).
    #[error(
        "character {found:?} at offset {offset} is not in the base64url alphabet [A-Za-z0-9_-]"
    )]
    InvalidCharacter {
        /// The byte offset of the character.
        offset: usize,
        /// The character itself.
        found: char,
    },
    /// The length leaves a single dangling character (length mod 4 == 1).
    #[error("length {len} is impossible for base64url (a single dangling character)")]
    InvalidLength {
        /// The input's length in characters.
        len: usize,
    },
    /// The last character carries set bits that do not belong to any byte (non-canonical).
    #[error("non-canonical final character {found:?}: its unused low bits are not zero")]
    NonCanonical {
        /// The final character, whose unused low bits are not zero.
        found: char,
    },
}

/// Encodes bytes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes strict unpadded base64url.
pub fn decode(text: &str) -> Result<Vec<u8>, Base64UrlError> {
    // Report the first offending character ourselves: the engine's errors do not tell padding
    // apart from other symbols, and padding is the one users most often get wrong.
    // The byte scan is the fast path; the character (and its offset) only when one is wrong.
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    if let Some(offset) = text.bytes().position(|b| !alphabet(b)) {
        let found = text[offset..].chars().next().unwrap_or_default();
        return Err(match found {
            '=' => Base64UrlError::Padding { offset },
            _ => Base64UrlError::InvalidCharacter { offset, found },
        });
    }
    URL_SAFE_NO_PAD.decode(text).map_err(|err| match err {
        base64::DecodeError::InvalidLastSymbol(_, byte) => Base64UrlError::NonCanonical {
            found: char::from(byte),
        },
        // Only the length can still be wrong once every character is in the alphabet.
        _ => Base64UrlError::InvalidLength { len: text.len() },
    })
}

#[cfg(test)]
mod tests;
