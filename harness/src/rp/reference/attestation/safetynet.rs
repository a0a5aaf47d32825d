//! `android-safetynet` (W3C L3 §8.5; deprecated in L3), with the FIDO conformance tool's
//! extra checks (ctsProfileMatch, timestampMs freshness).

use base64::Engine as _;
use ciborium::Value;

use super::cert::{self, Cert, CertError};
use super::{AttestationType, StatementContext, Verified};
use crate::codec::cbor;
use crate::codec::cose::CoseAlgorithm;
use crate::crypto::{self, SignatureError};

/// The hostname SafetyNet attestation certificates are issued to.
const SAFETYNET_HOST: &[u8] = b"attest.android.com";
/// How old a response may be, in milliseconds (FIDO conformance: one minute).
const MAX_AGE_MS: u64 = 60_000;

/// The switchable sub-checks of §8.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// Syntax: ver is a non-empty string.
    VerNonEmpty,
    /// Step 2: the JWS signature verifies with `x5c[0]`.
    JwsSignature,
    /// Step 2: `x5c[0]` is issued to attest.android.com.
    Hostname,
    /// Step 3: payload nonce is base64(SHA-256(authData ‖ clientDataHash)).
    Nonce,
    /// Step 4 (Google's rules, FIDO tool): ctsProfileMatch is true.
    CtsProfileMatch,
    /// FIDO tool: timestampMs is not in the future.
    TimestampNotFuture,
    /// FIDO tool: timestampMs is at most 60 s old.
    TimestampFresh,
}

impl Check {
    /// Every check.
    pub const ALL: &[Check] = &[
        Check::VerNonEmpty,
        Check::JwsSignature,
        Check::Hostname,
        Check::Nonce,
        Check::CtsProfileMatch,
        Check::TimestampNotFuture,
        Check::TimestampFresh,
    ];

    /// A stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Check::VerNonEmpty => "ver-non-empty",
            Check::JwsSignature => "jws-signature",
            Check::Hostname => "hostname",
            Check::Nonce => "nonce",
            Check::CtsProfileMatch => "cts-profile-match",
            Check::TimestampNotFuture => "timestamp-not-future",
            Check::TimestampFresh => "timestamp-fresh",
        }
    }
}

/// Why an `android-safetynet` statement failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SafetyNetError {
    /// Syntax.
    #[error("android-safetynet attStmt: {0} (W3C L3 §8.5 syntax)")]
    Syntax(String),
    /// The response is not a JWS compact serialization.
    #[error("response is not a JWS compact serialization: {0} (W3C L3 §8.5 verification step 2)")]
    Jws(String),
    /// A certificate in the JWS header cannot be read.
    #[error("JWS x5c: {0} (W3C L3 §8.5 verification step 2)")]
    Cert(CertError),
    /// Step 2.
    #[error("JWS signature does not verify with x5c[0]: {0} (W3C L3 §8.5 verification step 2)")]
    Signature(SignatureError),
    /// Step 2.
    #[error("x5c[0] is not issued to attest.android.com (W3C L3 §8.5 verification step 2)")]
    Hostname,
    /// Step 3.
    #[error("payload nonce is {found:?}, expected {expected:?} (W3C L3 §8.5 verification step 3)")]
    Nonce {
        /// What the payload holds.
        found: String,
        /// base64(SHA-256(authData ‖ clientDataHash)).
        expected: String,
    },
    /// Step 4.
    #[error("ctsProfileMatch is not true (W3C L3 §8.5 verification step 4; FIDO conformance)")]
    CtsProfileMatch,
    /// FIDO tool.
    #[error(
        "timestampMs {timestamp_ms} is after now {now_ms} (W3C L3 §8.5 step 4; FIDO conformance)"
    )]
    TimestampInFuture {
        /// timestampMs.
        timestamp_ms: u64,
        /// The verification time in ms.
        now_ms: u64,
    },
    /// FIDO tool.
    #[error(
        "timestampMs {timestamp_ms} is more than 60 s before now {now_ms} (W3C L3 §8.5 step 4; FIDO conformance)"
    )]
    TimestampStale {
        /// timestampMs.
        timestamp_ms: u64,
        /// The verification time in ms.
        now_ms: u64,
    },
}

/// §8.5 verification procedure.
pub fn verify(
    att_stmt: &Value,
    ctx: &StatementContext,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<Verified, SafetyNetError> {
    let syntax = |s: &str| SafetyNetError::Syntax(s.to_owned());
    let jws_err = |s: &str| SafetyNetError::Jws(s.to_owned());
    let Value::Map(entries) = att_stmt else {
        return Err(syntax("attStmt must be a map"));
    };
    let Some(Value::Text(ver)) = cbor::map_get_text(entries, "ver") else {
        return Err(syntax("ver must be a text string"));
    };
    if ver.is_empty() && enabled(Check::VerNonEmpty) {
        return Err(syntax("ver is empty"));
    }
    let Some(Value::Bytes(response)) = cbor::map_get_text(entries, "response") else {
        return Err(syntax("response must be a byte string"));
    };
    // Not switchable: an empty response is no JWS (an equivalent mutant).
    if response.is_empty() {
        return Err(syntax("response is empty"));
    }
    // Step 2: the JWS.
    let text = std::str::from_utf8(response).map_err(|_| jws_err("not UTF-8"))?;
    let parts: Vec<&str> = text.split('.').collect();
    let [header_b64, payload_b64, sig_b64] = parts.as_slice() else {
        return Err(jws_err("expected three dot-separated parts"));
    };
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header: serde_json::Value = b64url
        .decode(header_b64)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| jws_err("header is not base64url JSON"))?;
    let payload: serde_json::Value = b64url
        .decode(payload_b64)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| jws_err("payload is not base64url JSON"))?;
    let signature = b64url
        .decode(sig_b64)
        .map_err(|_| jws_err("signature is not base64url"))?;
    let x5c: Vec<Vec<u8>> = header
        .get("x5c")
        .and_then(|v| v.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str())
                .filter_map(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
                .collect()
        })
        .unwrap_or_default();
    let leaf = match x5c.first() {
        Some(der) => Cert::parse(der).map_err(SafetyNetError::Cert)?,
        // Not switchable: without a certificate the JWS signature cannot verify (an
        // equivalent mutant).
        None => return Err(jws_err("header x5c is missing or empty")),
    };
    if enabled(Check::JwsSignature) {
        let key = leaf.key().map_err(SafetyNetError::Cert)?;
        let signed = format!("{header_b64}.{payload_b64}");
        let (cose, sig) = match header.get("alg").and_then(|a| a.as_str()) {
            Some("RS256") => (key.to_cose(CoseAlgorithm::Rs256), signature),
            Some("ES256") => (
                key.to_cose(CoseAlgorithm::Es256),
                jws_es256_to_der(&signature)?,
            ),
            other => {
                return Err(SafetyNetError::Jws(format!(
                    "alg {other:?} is not RS256 or ES256"
                )));
            }
        };
        crypto::verify(&cose, signed.as_bytes(), &sig).map_err(SafetyNetError::Signature)?;
    }
    if enabled(Check::Hostname) {
        let issued_to_host = leaf
            .subject_values(cert::OID_CN)
            .iter()
            .any(|cn| cn == SAFETYNET_HOST);
        if !issued_to_host {
            return Err(SafetyNetError::Hostname);
        }
    }
    // Step 3: the nonce.
    if enabled(Check::Nonce) {
        let expected = base64::engine::general_purpose::STANDARD
            .encode(crate::sha256(&super::att_to_be_signed(ctx)));
        let found = payload
            .get("nonce")
            .and_then(|n| n.as_str())
            .unwrap_or_default();
        if found != expected {
            return Err(SafetyNetError::Nonce {
                found: found.to_owned(),
                expected,
            });
        }
    }
    // Step 4: Google's rules as the FIDO tool applies them.
    if enabled(Check::CtsProfileMatch)
        && payload.get("ctsProfileMatch").and_then(|v| v.as_bool()) != Some(true)
    {
        return Err(SafetyNetError::CtsProfileMatch);
    }
    let now_ms = ctx.now_unix.saturating_mul(1000);
    let timestamp_ms = payload
        .get("timestampMs")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| jws_err("payload timestampMs is missing or not a number"))?;
    if enabled(Check::TimestampNotFuture) && timestamp_ms > now_ms {
        return Err(SafetyNetError::TimestampInFuture {
            timestamp_ms,
            now_ms,
        });
    }
    if enabled(Check::TimestampFresh) && now_ms.saturating_sub(timestamp_ms) > MAX_AGE_MS {
        return Err(SafetyNetError::TimestampStale {
            timestamp_ms,
            now_ms,
        });
    }
    Ok(Verified {
        attestation_type: AttestationType::Basic,
        trust_path: x5c,
    })
}

/// JWS ES256 signatures are r ‖ s (RFC 7518 §3.4); the verifier takes DER.
fn jws_es256_to_der(raw: &[u8]) -> Result<Vec<u8>, SafetyNetError> {
    p256::ecdsa::Signature::from_slice(raw)
        .map(|s| s.to_der().as_bytes().to_vec())
        .map_err(|e| SafetyNetError::Jws(format!("ES256 signature: {e}")))
}
