//! `packed` (W3C L3 §8.2): self attestation and full (x5c) attestation, with the §8.2.1
//! certificate requirements.

use ciborium::Value;

use super::cert::{self, Cert, CertError};
use super::{AttestationType, StatementContext, Verified};
use crate::codec::cbor;
use crate::codec::cose::CoseAlgorithm;
use crate::crypto::{self, SignatureError};

/// The switchable sub-checks of §8.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// Syntax: attestnCert is `x5c[0]` (off: the first non-CA certificate is taken).
    LeafFirst,
    /// Syntax: x5c, when present, is not empty (off: an empty x5c counts as absent).
    X5cNonEmpty,
    /// Step 2: sig verifies with attestnCert's key using alg.
    FullSignature,
    /// §8.2.1: attestnCert version is 3.
    CertVersion3,
    /// §8.2.1: subject C, O, OU = "Authenticator Attestation", CN.
    CertSubject,
    /// §8.2.1: basicConstraints CA=false.
    CertNotCa,
    /// §8.2.1: the aaguid extension is not critical.
    AaguidNotCritical,
    /// Step 2: the aaguid extension equals authData's aaguid.
    AaguidMatches,
    /// Step 3: self attestation alg equals the credential key's alg.
    SelfAlgMatches,
    /// Step 3: self attestation sig verifies with the credential key.
    SelfSignature,
}

impl Check {
    /// Every check.
    pub const ALL: &[Check] = &[
        Check::LeafFirst,
        Check::X5cNonEmpty,
        Check::FullSignature,
        Check::CertVersion3,
        Check::CertSubject,
        Check::CertNotCa,
        Check::AaguidNotCritical,
        Check::AaguidMatches,
        Check::SelfAlgMatches,
        Check::SelfSignature,
    ];

    /// A stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Check::LeafFirst => "leaf-first",
            Check::X5cNonEmpty => "x5c-non-empty",
            Check::FullSignature => "full-signature",
            Check::CertVersion3 => "cert-version-3",
            Check::CertSubject => "cert-subject",
            Check::CertNotCa => "cert-not-ca",
            Check::AaguidNotCritical => "aaguid-not-critical",
            Check::AaguidMatches => "aaguid-matches",
            Check::SelfAlgMatches => "self-alg-matches",
            Check::SelfSignature => "self-signature",
        }
    }
}

/// Why a `packed` statement failed (messages of the syntax and self cases are the ones the
/// reference RP has always reported).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PackedError {
    /// Syntax.
    #[error("attStmt must be a map (§8.2)")]
    NotAMap,
    /// Syntax.
    #[error("attStmt has no alg (§8.2)")]
    AlgMissing,
    /// Syntax.
    #[error("alg must be an integer, found {0}")]
    AlgNotInteger(&'static str),
    /// Syntax.
    #[error("attStmt has no sig (§8.2)")]
    SigMissing,
    /// Syntax.
    #[error("sig must be bytes, found {0}")]
    SigNotBytes(&'static str),
    /// Syntax.
    #[error("sig is empty (§8.2)")]
    SigEmpty,
    /// Syntax.
    #[error("x5c must be an array of byte strings, found {0} (W3C L3 §8.2 syntax)")]
    X5cMalformed(String),
    /// Syntax.
    #[error("x5c is an empty array (W3C L3 §8.2 syntax: attestnCert is required)")]
    X5cEmpty,
    /// Step 2: attestnCert cannot be read.
    #[error("attestnCert: {0} (W3C L3 §8.2 verification step 2)")]
    Cert(CertError),
    /// Step 2.
    #[error(
        "sig does not verify with attestnCert's key using alg {alg}: {source} (W3C L3 §8.2 verification step 2)"
    )]
    FullSignature {
        /// alg from attStmt.
        alg: i64,
        /// The cause.
        source: SignatureError,
    },
    /// §8.2.1.
    #[error("attestnCert version is not 3 (W3C L3 §8.2.1)")]
    CertVersion,
    /// §8.2.1.
    #[error("attestnCert subject {0} (W3C L3 §8.2.1)")]
    CertSubject(String),
    /// §8.2.1.
    #[error("attestnCert has basicConstraints CA=true (W3C L3 §8.2.1)")]
    CertIsCa,
    /// §8.2.1.
    #[error("attestnCert's aaguid extension (1.3.6.1.4.1.45724.1.1.4) is critical (W3C L3 §8.2.1)")]
    AaguidCritical,
    /// Step 2.
    #[error(
        "attestnCert's aaguid extension is {found}, authData aaguid is {expected} (W3C L3 §8.2 verification step 2)"
    )]
    AaguidMismatch {
        /// Extension value, hex.
        found: String,
        /// authData aaguid, hex.
        expected: String,
    },
    /// Step 3.
    #[error("alg {alg} does not match the credential key's alg {key_alg} (§8.2 step 3)")]
    SelfAlgMismatch {
        /// alg from attStmt.
        alg: i64,
        /// The credential key's alg.
        key_alg: i64,
    },
    /// Step 3.
    #[error("self attestation sig: {0} (§8.2 step 3)")]
    SelfSignature(SignatureError),
}

/// §8.2 verification procedure.
pub fn verify(
    att_stmt: &Value,
    ctx: &StatementContext,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<Verified, PackedError> {
    let Value::Map(entries) = att_stmt else {
        return Err(PackedError::NotAMap);
    };
    // Step 1: the syntax.
    let alg = match cbor::map_get_text(entries, "alg") {
        None => return Err(PackedError::AlgMissing),
        Some(value) => {
            cbor::as_i64(value).ok_or_else(|| PackedError::AlgNotInteger(cbor::kind(value)))?
        }
    };
    let sig = match cbor::map_get_text(entries, "sig") {
        None => return Err(PackedError::SigMissing),
        Some(Value::Bytes(sig)) => sig,
        Some(other) => return Err(PackedError::SigNotBytes(cbor::kind(other))),
    };
    // Not switchable: an empty sig fails step 2 or 3 anyway (an equivalent mutant).
    if sig.is_empty() {
        return Err(PackedError::SigEmpty);
    }
    let x5c = match cbor::map_get_text(entries, "x5c") {
        None => None,
        Some(value) => {
            let x5c = cert::x5c_bytes(value)
                .ok_or_else(|| PackedError::X5cMalformed(cbor::describe(value)))?;
            if x5c.is_empty() && enabled(Check::X5cNonEmpty) {
                return Err(PackedError::X5cEmpty);
            }
            Some(x5c).filter(|x| !x.is_empty())
        }
    };
    let signed = super::att_to_be_signed(ctx);
    match x5c {
        Some(x5c) => verify_full(alg, sig, x5c, &signed, ctx, enabled),
        None => {
            // Step 3: self attestation.
            let key_alg = ctx.credential_key.alg().id();
            if alg != key_alg && enabled(Check::SelfAlgMatches) {
                return Err(PackedError::SelfAlgMismatch { alg, key_alg });
            }
            if enabled(Check::SelfSignature) {
                crypto::verify(ctx.credential_key, &signed, sig)
                    .map_err(PackedError::SelfSignature)?;
            }
            Ok(Verified {
                attestation_type: AttestationType::SelfAttestation,
                trust_path: Vec::new(),
            })
        }
    }
}

/// Step 2: full attestation.
fn verify_full(
    alg: i64,
    sig: &[u8],
    x5c: Vec<Vec<u8>>,
    signed: &[u8],
    ctx: &StatementContext,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<Verified, PackedError> {
    let x5c = cert::leaf_first(x5c, enabled(Check::LeafFirst));
    let leaf_der = x5c.first().ok_or(PackedError::X5cEmpty)?;
    let leaf = Cert::parse(leaf_der).map_err(PackedError::Cert)?;
    if enabled(Check::FullSignature) {
        let key = leaf.key().map_err(PackedError::Cert)?;
        crypto::verify(&key.to_cose(CoseAlgorithm::from_id(alg)), signed, sig)
            .map_err(|source| PackedError::FullSignature { alg, source })?;
    }
    check_cert_requirements(&leaf, ctx, enabled)?;
    Ok(Verified {
        attestation_type: AttestationType::Basic,
        trust_path: x5c,
    })
}

/// §8.2.1 and the aaguid extension comparison of step 2.
fn check_cert_requirements(
    leaf: &Cert,
    ctx: &StatementContext,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<(), PackedError> {
    if enabled(Check::CertVersion3) && !leaf.is_v3() {
        return Err(PackedError::CertVersion);
    }
    if enabled(Check::CertSubject) {
        check_subject(leaf)?;
    }
    if enabled(Check::CertNotCa) && leaf.is_ca().map_err(PackedError::Cert)? {
        return Err(PackedError::CertIsCa);
    }
    if let Some((critical, value)) = cert::aaguid_extension(leaf).map_err(PackedError::Cert)? {
        if critical && enabled(Check::AaguidNotCritical) {
            return Err(PackedError::AaguidCritical);
        }
        let expected = super::aaguid(ctx);
        if value != expected && enabled(Check::AaguidMatches) {
            return Err(PackedError::AaguidMismatch {
                found: hex::encode(&value),
                expected: hex::encode(expected),
            });
        }
    }
    Ok(())
}

/// §8.2.1 subject: C (two letters), O, OU = "Authenticator Attestation", CN.
fn check_subject(leaf: &Cert) -> Result<(), PackedError> {
    let one = |oid, name: &str| -> Result<Vec<u8>, PackedError> {
        match leaf.subject_values(oid).as_slice() {
            [value] if !value.is_empty() => Ok(value.clone()),
            [] => Err(PackedError::CertSubject(format!("has no {name}"))),
            _ => Err(PackedError::CertSubject(format!(
                "{name} is empty or repeated"
            ))),
        }
    };
    let c = one(cert::OID_C, "C")?;
    if c.len() != 2 {
        return Err(PackedError::CertSubject(format!(
            "C {:?} is not a two-letter country code",
            String::from_utf8_lossy(&c)
        )));
    }
    one(cert::OID_O, "O")?;
    let ou = one(cert::OID_OU, "OU")?;
    if ou != b"Authenticator Attestation" {
        return Err(PackedError::CertSubject(format!(
            "OU is {:?}, expected \"Authenticator Attestation\"",
            String::from_utf8_lossy(&ou)
        )));
    }
    one(cert::OID_CN, "CN")?;
    Ok(())
}
