//! `android-safetynet` (W3C L3 §8.5, deprecated): `{ver, response}` where response is a JWS
//! compact serialization (RFC 7515) signed by a certificate for attest.android.com: RS256, as
//! Google's attestation service signs, or ES256 for the variant check.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ciborium::Value;

use super::{AttestationError, Statement, StatementInput, flip_last_bit, text};
use crate::codec::cose::CoseAlgorithm;
use crate::crypto::pki::{self, CertSpec, Issuer, OID_CN, OID_O, Pki};

/// Label of the SafetyNet signing key.
pub const SIGNING_KEY_LABEL: &str = "safetynet attestation key";
/// The `ver` sent (a Google Play services version).
pub const VERSION: &str = "14366018";

/// One fault in a safetynet statement (check SN-02…SN-09).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// ver = "" (SN-02).
    VerEmpty,
    /// response = empty bytes (SN-03).
    ResponseEmpty,
    /// nonce ≠ base64(SHA-256(authData ‖ clientDataHash)) (SN-04).
    NonceMismatch,
    /// JWS header x5c = [] (SN-05).
    X5cEmpty,
    /// ctsProfileMatch false (SN-06).
    CtsProfileFalse,
    /// timestampMs one hour after the clock (SN-07).
    TimestampFuture,
    /// timestampMs ten minutes before the clock (SN-08).
    TimestampStale,
    /// JWS signature does not verify (SN-09).
    JwsSigInvalid,
    /// Leaf CN is attest.example.com, not attest.android.com (SN-09).
    NotFromGoogleHost,
    /// Not a fault under L3: the JWS signed ES256 by a P-256 key where Google's service signs
    /// RS256 with an RSA key (the positive SN-01.es256).
    SignedEs256,
}

/// The JWS compact serialization for `input`.
pub fn response(
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<Fault>,
) -> Result<String, AttestationError> {
    let (alg, jws_alg) = if fault == Some(Fault::SignedEs256) {
        (CoseAlgorithm::Es256, "ES256")
    } else {
        (CoseAlgorithm::Rs256, "RS256")
    };
    let key = pki::attestation_key(alg, SIGNING_KEY_LABEL)?;
    let host = if fault == Some(Fault::NotFromGoogleHost) {
        "attest.example.com"
    } else {
        "attest.android.com"
    };
    let spec = CertSpec::leaf(vec![(OID_O, "Google LLC".into()), (OID_CN, host.into())]);
    let leaf = pki.issue(Issuer::Intermediate, &spec, &key, host)?;
    let x5c: Vec<String> = if fault == Some(Fault::X5cEmpty) {
        Vec::new()
    } else {
        vec![
            STANDARD.encode(leaf),
            STANDARD.encode(pki.intermediate_der()),
        ]
    };
    let header = serde_json::json!({"alg": jws_alg, "x5c": x5c});
    let mut signed = input.signed_data();
    if fault == Some(Fault::NonceMismatch) {
        signed.push(0x00);
    }
    let timestamp_ms = match fault {
        Some(Fault::TimestampFuture) => input.clock_ms.saturating_add(3_600_000),
        Some(Fault::TimestampStale) => input.clock_ms.saturating_sub(600_000),
        _ => input.clock_ms,
    };
    let payload = serde_json::json!({
        "nonce": STANDARD.encode(crate::sha256(&signed)),
        "timestampMs": timestamp_ms,
        "apkPackageName": "com.google.android.gms",
        "apkDigestSha256": STANDARD.encode(crate::sha256(b"virtual gms apk")),
        "ctsProfileMatch": fault != Some(Fault::CtsProfileFalse),
        "apkCertificateDigestSha256": [STANDARD.encode(crate::sha256(b"virtual gms cert"))],
        "basicIntegrity": true,
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    // RS256 signs PKCS #1 v1.5 (RFC 7518 §3.3); ES256 signatures are the raw r ‖ s
    // (RFC 7518 §3.4), not DER.
    let mut sig = key.sign(signing_input.as_bytes());
    if alg == CoseAlgorithm::Es256 {
        sig = crate::crypto::ecdsa_der_to_raw(&sig).unwrap_or(sig);
    }
    if fault == Some(Fault::JwsSigInvalid) {
        flip_last_bit(&mut sig);
    }
    Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

/// A safetynet statement (§8.5).
pub fn produce(
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<Fault>,
) -> Result<Statement, AttestationError> {
    let response = if fault == Some(Fault::ResponseEmpty) {
        Vec::new()
    } else {
        response(input, pki, fault)?.into_bytes()
    };
    let ver = if fault == Some(Fault::VerEmpty) {
        ""
    } else {
        VERSION
    };
    Ok(Statement {
        fmt: "android-safetynet".into(),
        att_stmt: Value::Map(vec![
            (text("ver"), text(ver)),
            (text("response"), Value::Bytes(response)),
        ]),
    })
}
