//! The reference RP's verification of attestation statements (W3C L3 §7.1 steps 21-24, §8).
//!
//! The decoders here are written independently of the virtual authenticator's encoders, so that
//! one symmetric bug cannot hide in both.

use crate::codec::auth_data::AuthenticatorData;
use crate::codec::cose::CoseKey;

/// What every format's verification procedure gets (§8: "attStmt, authenticatorData and
/// clientDataHash").
#[derive(Debug, Clone, Copy)]
pub struct StatementContext<'a> {
    /// The authenticator data bytes as received.
    pub auth_data_bytes: &'a [u8],
    /// The same, parsed; it carries attested credential data.
    pub auth_data: &'a AuthenticatorData,
    /// SHA-256 of clientDataJSON.
    pub client_data_hash: &'a [u8; 32],
    /// The credential public key from the attested credential data.
    pub credential_key: &'a CoseKey,
    /// The verification time, seconds since the Unix epoch (pinned in tests so nothing expires).
    pub now_unix: u64,
}

/// Attestation types (§6.5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttestationType {
    /// `none`: no attestation.
    None,
    /// Self attestation: signed by the credential key.
    SelfAttestation,
    /// Basic attestation (`packed` full, `android-key`, `android-safetynet`, `fido-u2f`).
    Basic,
    /// Attestation CA (`tpm`, `packed` full).
    AttCa,
    /// Anonymization CA (`apple`).
    AnonCa,
    /// `compound`: one result per sub-statement, in order.
    Compound(Vec<Verified>),
}

/// The output of a verification procedure: the attestation type and the trust path (§8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The attestation type.
    pub attestation_type: AttestationType,
    /// The trust path: DER certificates, leaf first (x5c as received); empty for self and none.
    pub trust_path: Vec<Vec<u8>>,
}

pub mod android_key;
pub mod apple;
pub mod cert;
pub mod compound;
pub mod fido_u2f;
pub mod packed;
pub mod safetynet;
pub mod tpm;
pub mod trust;

#[cfg(test)]
mod tests;

use ciborium::Value;

pub use trust::{AttestationPolicy, TrustStore};

/// The attestation statement format identifiers this verifier implements (§8, IANA registry).
pub const FORMATS: [&str; 8] = [
    "packed",
    "tpm",
    "android-key",
    "android-safetynet",
    "fido-u2f",
    "none",
    "apple",
    "compound",
];

/// The one sub-check of `none` (§8.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NoneCheck {
    /// §8.7 syntax: attStmt is an empty map.
    EmptyMap,
}

impl NoneCheck {
    /// Every check.
    pub const ALL: &[NoneCheck] = &[NoneCheck::EmptyMap];

    /// A stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            NoneCheck::EmptyMap => "empty-map",
        }
    }
}

/// Rules the FIDO conformance tool adds to W3C L3, applied under the fido profile only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FidoRule {
    /// A packed x5c must not carry the self-signed root (FIDO Resp-5 F-10, a test of the
    /// packed section; L3 §7.1 step 24 allows it). The tool states it for packed only, and
    /// android-key chains end with the root on real devices.
    RootNotInX5c,
    /// fido-u2f authenticators have an all-zero AAGUID (FIDO Resp-8 F-1; L3 §8.6 reads none).
    U2fZeroAaguid,
}

impl FidoRule {
    /// Every rule.
    pub const ALL: &[FidoRule] = &[FidoRule::RootNotInX5c, FidoRule::U2fZeroAaguid];

    /// A stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            FidoRule::RootNotInX5c => "root-not-in-x5c",
            FidoRule::U2fZeroAaguid => "u2f-zero-aaguid",
        }
    }
}

/// One switchable sub-check of attestation verification (§7.1 steps 21-24, §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttCheck {
    /// §7.1 step 21: fmt must be a supported format (off: treat unknown ones as `none`).
    KnownFormat,
    /// §8.7.
    None(NoneCheck),
    /// §8.2.
    Packed(packed::Check),
    /// §8.3.
    Tpm(tpm::Check),
    /// §8.4.
    AndroidKey(android_key::Check),
    /// §8.5.
    SafetyNet(safetynet::Check),
    /// §8.6.
    FidoU2f(fido_u2f::Check),
    /// §8.8.
    Apple(apple::Check),
    /// §8.9.
    Compound(compound::Check),
    /// §7.1 steps 23-24.
    Trust(trust::Check),
    /// FIDO conformance rules beyond L3.
    Fido(FidoRule),
}

impl AttCheck {
    /// Every check, format by format.
    pub fn all() -> Vec<AttCheck> {
        let mut all = vec![AttCheck::KnownFormat];
        all.extend(NoneCheck::ALL.iter().map(|c| AttCheck::None(*c)));
        all.extend(packed::Check::ALL.iter().map(|c| AttCheck::Packed(*c)));
        all.extend(tpm::Check::ALL.iter().map(|c| AttCheck::Tpm(*c)));
        all.extend(
            android_key::Check::ALL
                .iter()
                .map(|c| AttCheck::AndroidKey(*c)),
        );
        all.extend(
            safetynet::Check::ALL
                .iter()
                .map(|c| AttCheck::SafetyNet(*c)),
        );
        all.extend(fido_u2f::Check::ALL.iter().map(|c| AttCheck::FidoU2f(*c)));
        all.extend(apple::Check::ALL.iter().map(|c| AttCheck::Apple(*c)));
        all.extend(compound::Check::ALL.iter().map(|c| AttCheck::Compound(*c)));
        all.extend(trust::Check::ALL.iter().map(|c| AttCheck::Trust(*c)));
        all.extend(FidoRule::ALL.iter().map(|c| AttCheck::Fido(*c)));
        all
    }

    /// A stable name for reports, `format.check`.
    pub fn name(self) -> String {
        match self {
            AttCheck::KnownFormat => "fmt.known-format".to_owned(),
            AttCheck::None(c) => format!("none.{}", c.name()),
            AttCheck::Packed(c) => format!("packed.{}", c.name()),
            AttCheck::Tpm(c) => format!("tpm.{}", c.name()),
            AttCheck::AndroidKey(c) => format!("android-key.{}", c.name()),
            AttCheck::SafetyNet(c) => format!("android-safetynet.{}", c.name()),
            AttCheck::FidoU2f(c) => format!("fido-u2f.{}", c.name()),
            AttCheck::Apple(c) => format!("apple.{}", c.name()),
            AttCheck::Compound(c) => format!("compound.{}", c.name()),
            AttCheck::Trust(c) => format!("trust.{}", c.name()),
            AttCheck::Fido(c) => format!("fido.{}", c.name()),
        }
    }

    /// The section whose verification procedure the sub-check belongs to.
    pub fn step(self) -> &'static str {
        match self {
            AttCheck::KnownFormat => "§7.1 step 21",
            AttCheck::None(_) => "§8.7 (§7.1 step 22)",
            AttCheck::Packed(_) => "§8.2 (§7.1 step 22)",
            AttCheck::Tpm(_) => "§8.3 (§7.1 step 22)",
            AttCheck::AndroidKey(_) => "§8.4 (§7.1 step 22)",
            AttCheck::SafetyNet(_) => "§8.5 (§7.1 step 22)",
            AttCheck::FidoU2f(_) => "§8.6 (§7.1 step 22)",
            AttCheck::Apple(_) => "§8.8 (§7.1 step 22)",
            AttCheck::Compound(_) => "§8.9 (§7.1 step 22)",
            AttCheck::Trust(_) => "§7.1 steps 23-24",
            AttCheck::Fido(_) => "FIDO conformance (Resp-5 F-10, Resp-8 F-1)",
        }
    }
}

/// Why an attestation statement was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AttestationError {
    /// §7.1 step 21: fmt is not a supported format identifier.
    #[error("attestation format {fmt:?} is not supported (W3C L3 §7.1 step 21)")]
    UnsupportedFormat {
        /// The fmt received.
        fmt: String,
    },
    /// §8.7: `none` with a non-empty attStmt.
    #[error("attStmt must be an empty map, found {found} (W3C L3 §8.7)")]
    NoneNotEmpty {
        /// What was found.
        found: String,
    },
    /// §8.2.
    #[error(transparent)]
    Packed(#[from] packed::PackedError),
    /// §8.3.
    #[error(transparent)]
    Tpm(#[from] tpm::TpmError),
    /// §8.4.
    #[error(transparent)]
    AndroidKey(#[from] android_key::AndroidKeyError),
    /// §8.5.
    #[error(transparent)]
    SafetyNet(#[from] safetynet::SafetyNetError),
    /// §8.6.
    #[error(transparent)]
    FidoU2f(#[from] fido_u2f::FidoU2fError),
    /// §8.8.
    #[error(transparent)]
    Apple(#[from] apple::AppleError),
    /// §8.9.
    #[error(transparent)]
    Compound(#[from] compound::CompoundError),
    /// §7.1 steps 23-24: verified, but not trusted under the policy.
    #[error(transparent)]
    Trust(#[from] trust::TrustError),
    /// A FIDO conformance rule beyond L3 (fido profile).
    #[error("{0}")]
    Fido(&'static str),
}

impl AttestationError {
    /// Whether the statement verified but failed trust assessment (§7.1 step 24, not 22).
    pub fn is_trust(&self) -> bool {
        matches!(self, AttestationError::Trust(_))
    }

    /// Whether attStmt breaks its format's syntax (step 1 of each §8 verification procedure:
    /// the members, their types, a readable JWS) rather than a later verification step.
    pub fn is_syntax(&self) -> bool {
        use packed::PackedError as P;
        matches!(
            self,
            AttestationError::Packed(
                P::NotAMap
                    | P::AlgMissing
                    | P::AlgNotInteger(_)
                    | P::SigMissing
                    | P::SigNotBytes(_)
                    | P::SigEmpty
                    | P::X5cMalformed(_)
                    | P::X5cEmpty
            ) | AttestationError::Tpm(tpm::TpmError::Syntax(_))
                | AttestationError::AndroidKey(android_key::AndroidKeyError::Syntax(_))
                | AttestationError::SafetyNet(
                    safetynet::SafetyNetError::Syntax(_) | safetynet::SafetyNetError::Jws(_)
                )
                | AttestationError::FidoU2f(
                    fido_u2f::FidoU2fError::Syntax(_) | fido_u2f::FidoU2fError::CertCount(0)
                )
                | AttestationError::Apple(apple::AppleError::Syntax(_))
                | AttestationError::Compound(compound::CompoundError::Syntax(_))
        )
    }
}

/// §7.1 steps 21-24: verifies `att_stmt` with `fmt`'s procedure, then assesses trust under
/// `policy`. A disabled check (`enabled` false) is skipped, as a mutant RP would forget it.
pub fn verify_statement(
    fmt: &str,
    att_stmt: &Value,
    ctx: &StatementContext,
    policy: &AttestationPolicy,
    enabled: &dyn Fn(AttCheck) -> bool,
) -> Result<Verified, AttestationError> {
    let verified = match fmt {
        "none" => verify_none(att_stmt, &|c| enabled(AttCheck::None(c)))?,
        "packed" => packed::verify(att_stmt, ctx, &|c| enabled(AttCheck::Packed(c)))?,
        "tpm" => tpm::verify(att_stmt, ctx, &|c| enabled(AttCheck::Tpm(c)))?,
        "android-key" => android_key::verify(att_stmt, ctx, &|c| enabled(AttCheck::AndroidKey(c)))?,
        "android-safetynet" => {
            safetynet::verify(att_stmt, ctx, &|c| enabled(AttCheck::SafetyNet(c)))?
        }
        "fido-u2f" => fido_u2f::verify(att_stmt, ctx, &|c| enabled(AttCheck::FidoU2f(c)))?,
        "apple" => apple::verify(att_stmt, ctx, &|c| enabled(AttCheck::Apple(c)))?,
        // Sub-statements are assessed one by one inside.
        "compound" => return Ok(compound::verify(att_stmt, ctx, policy, enabled)?),
        other if enabled(AttCheck::KnownFormat) => {
            return Err(AttestationError::UnsupportedFormat {
                fmt: other.to_owned(),
            });
        }
        _ => Verified {
            attestation_type: AttestationType::None,
            trust_path: Vec::new(),
        },
    };
    if policy.fido_rules {
        check_fido_rules(fmt, &verified, ctx, &|c| enabled(AttCheck::Fido(c)))?;
    }
    trust::assess(&verified, ctx, policy, &|c| enabled(AttCheck::Trust(c)))?;
    Ok(verified)
}

/// The FIDO conformance tool's rules beyond L3 (check PK-12, U2F-02).
fn check_fido_rules(
    fmt: &str,
    verified: &Verified,
    ctx: &StatementContext,
    enabled: &dyn Fn(FidoRule) -> bool,
) -> Result<(), AttestationError> {
    if fmt == "fido-u2f" && enabled(FidoRule::U2fZeroAaguid) && aaguid(ctx) != [0; 16] {
        return Err(AttestationError::Fido(
            "fido-u2f attestation with a non-zero AAGUID (FIDO conformance Resp-8 F-1)",
        ));
    }
    if fmt == "packed" && enabled(FidoRule::RootNotInX5c) {
        let self_signed = verified.trust_path.iter().any(|der| {
            cert::Cert::parse(der).is_ok_and(|c| {
                c.issuer_der().ok() == c.subject_der().ok() && c.verify_signed_by(&c).is_ok()
            })
        });
        if self_signed {
            return Err(AttestationError::Fido(
                "x5c carries a self-signed root certificate (FIDO conformance Resp-5 F-10)",
            ));
        }
    }
    Ok(())
}

/// §8.7: `none` has an empty attStmt; it returns attestation type None.
fn verify_none(
    att_stmt: &Value,
    enabled: &dyn Fn(NoneCheck) -> bool,
) -> Result<Verified, AttestationError> {
    let empty = matches!(att_stmt, Value::Map(entries) if entries.is_empty());
    if enabled(NoneCheck::EmptyMap) && !empty {
        return Err(AttestationError::NoneNotEmpty {
            found: crate::codec::cbor::describe(att_stmt),
        });
    }
    Ok(Verified {
        attestation_type: AttestationType::None,
        trust_path: Vec::new(),
    })
}

/// SHA-256(authData ‖ clientDataHash), the nonce of §8.5 and §8.8.
fn att_to_be_signed(ctx: &StatementContext) -> Vec<u8> {
    let mut data = ctx.auth_data_bytes.to_vec();
    data.extend_from_slice(ctx.client_data_hash);
    data
}

/// The AAGUID from the attested credential data (zero when absent).
fn aaguid(ctx: &StatementContext) -> [u8; 16] {
    ctx.auth_data
        .attested_credential_data
        .as_ref()
        .map(|a| a.aaguid)
        .unwrap_or([0; 16])
}
