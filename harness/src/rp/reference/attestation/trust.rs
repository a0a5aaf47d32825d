//! Trust anchors and attestation policy (W3C L3 §7.1 steps 23-24).
//!
//! Anchors come from a metadata-statement-like JSON keyed by AAGUID, plus roots valid for any
//! AAGUID (fido-u2f has a zero AAGUID). The x5c chain must end at an anchor: a self-signed root
//! inside x5c counts only if it is byte-identical to an anchor.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Deserialize;

use super::cert::{Cert, CertError};
use super::{AttestationType, StatementContext, Verified};

/// The switchable sub-checks of trust assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// Each x5c certificate is signed by the next (§7.1 step 24, RFC 5280 §6.1.3).
    ChainSignatures,
    /// Every certificate, anchor included, is valid at `now` (RFC 5280 §6.1.3).
    Validity,
    /// Every certificate after the leaf has basicConstraints CA=true (RFC 5280 §6.1.4).
    IntermediatesCa,
    /// The chain ends at a trust-store anchor (§7.1 step 24).
    AnchorRequired,
    /// A policy that refuses attestation type None is applied (off: None always passes).
    NonePolicy,
    /// A policy that refuses self attestation is applied (off: Self always passes).
    SelfPolicy,
}

impl Check {
    /// Every check.
    pub const ALL: &[Check] = &[
        Check::ChainSignatures,
        Check::Validity,
        Check::IntermediatesCa,
        Check::AnchorRequired,
        Check::NonePolicy,
        Check::SelfPolicy,
    ];

    /// A stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Check::ChainSignatures => "chain-signatures",
            Check::Validity => "validity",
            Check::IntermediatesCa => "intermediates-ca",
            Check::AnchorRequired => "anchor-required",
            Check::NonePolicy => "none-policy",
            Check::SelfPolicy => "self-policy",
        }
    }
}

/// Why a verified attestation is not trusted (§7.1 step 24).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// Policy does not accept `none`.
    #[error("policy does not accept attestation type None (W3C L3 §7.1 step 24)")]
    NoneNotAccepted,
    /// Policy does not accept self attestation.
    #[error("policy does not accept self attestation (W3C L3 §7.1 step 24)")]
    SelfNotAccepted,
    /// A full attestation without a trust path.
    #[error("attestation type {0:?} has an empty trust path (W3C L3 §7.1 step 24)")]
    EmptyTrustPath(AttestationType),
    /// An x5c entry is not a usable certificate.
    #[error("x5c[{index}]: {source} (W3C L3 §7.1 step 24)")]
    Cert {
        /// Position in x5c.
        index: usize,
        /// The cause.
        source: CertError,
    },
    /// A certificate is outside its validity period.
    #[error("x5c[{index}] is not valid at {now} (expired or not yet valid; W3C L3 §7.1 step 24)")]
    NotValidNow {
        /// Position in x5c.
        index: usize,
        /// The verification time.
        now: u64,
    },
    /// `x5c[index]` is not signed by `x5c[index + 1]` (wrong order or broken chain).
    #[error(
        "x5c[{index}] is not signed by x5c[{}]: {detail} (chain order or signature; W3C L3 §7.1 step 24)",
        index + 1
    )]
    BrokenLink {
        /// Position of the child in x5c.
        index: usize,
        /// The cause.
        detail: String,
    },
    /// A certificate after the leaf is not a CA.
    #[error(
        "x5c[{index}] issues a certificate but is not a CA (basicConstraints; W3C L3 §7.1 step 24)"
    )]
    IssuerNotCa {
        /// Position in x5c.
        index: usize,
    },
    /// The chain does not end at any trust anchor for this AAGUID.
    #[error(
        "the x5c chain does not end at a trust anchor for AAGUID {aaguid} ({anchors} anchor(s) considered; W3C L3 §7.1 steps 23-24)"
    )]
    NoAnchor {
        /// The AAGUID, hex.
        aaguid: String,
        /// How many anchors were tried.
        anchors: usize,
    },
    /// The anchor that issued the chain is itself not valid now.
    #[error("the trust anchor is not valid at {now} (W3C L3 §7.1 step 24)")]
    AnchorNotValidNow {
        /// The verification time.
        now: u64,
    },
}

/// Why a trust store could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustStoreError {
    /// The JSON does not have the expected shape.
    #[error("trust store JSON: {0}")]
    Json(String),
    /// An AAGUID is not 16 bytes of hex (dashes allowed).
    #[error("trust store: AAGUID {0:?} is not 32 hex digits")]
    Aaguid(String),
    /// A root is not base64 DER of a certificate.
    #[error("trust store: root certificate {index} of {aaguid}: {detail}")]
    Root {
        /// Which entry.
        aaguid: String,
        /// Which certificate.
        index: usize,
        /// The cause.
        detail: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StoreJson {
    #[serde(default)]
    entries: Vec<EntryJson>,
    #[serde(default)]
    any_aaguid_roots: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EntryJson {
    aaguid: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    attestation_root_certificates: Vec<String>,
}

/// Trust anchors by AAGUID, plus anchors valid for any AAGUID (§7.1 step 23).
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    by_aaguid: BTreeMap<[u8; 16], Vec<Cert>>,
    any_aaguid: Vec<Cert>,
}

impl TrustStore {
    /// A store without anchors: no full attestation is trusted.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Loads `{"entries": [{"aaguid", "description"?, "attestationRootCertificates": [b64 DER]}],
    /// "anyAaguidRoots": [b64 DER]}` (the shape of FIDO metadata statements).
    pub fn from_json(json: &str) -> Result<Self, TrustStoreError> {
        let parsed: StoreJson =
            serde_json::from_str(json).map_err(|e| TrustStoreError::Json(e.to_string()))?;
        let mut store = Self::empty();
        for entry in parsed.entries {
            let aaguid = parse_aaguid(&entry.aaguid)?;
            for (index, b64) in entry.attestation_root_certificates.iter().enumerate() {
                let cert = decode_root(b64).map_err(|detail| TrustStoreError::Root {
                    aaguid: entry.aaguid.clone(),
                    index,
                    detail,
                })?;
                store.by_aaguid.entry(aaguid).or_default().push(cert);
            }
        }
        for (index, b64) in parsed.any_aaguid_roots.iter().enumerate() {
            let cert = decode_root(b64).map_err(|detail| TrustStoreError::Root {
                aaguid: "any".into(),
                index,
                detail,
            })?;
            store.any_aaguid.push(cert);
        }
        Ok(store)
    }

    /// Adds a DER root, for one AAGUID or (None) for any.
    pub fn add_root(&mut self, aaguid: Option<[u8; 16]>, der: &[u8]) -> Result<(), CertError> {
        let cert = Cert::parse(der)?;
        match aaguid {
            Some(aaguid) => self.by_aaguid.entry(aaguid).or_default().push(cert),
            None => self.any_aaguid.push(cert),
        }
        Ok(())
    }

    /// Every anchor that is bound to one AAGUID, with that AAGUID (for adapters that load the
    /// store into another library's trust list).
    pub fn roots_by_aaguid(&self) -> impl Iterator<Item = (&[u8; 16], &Cert)> {
        self.by_aaguid
            .iter()
            .flat_map(|(aaguid, roots)| roots.iter().map(move |root| (aaguid, root)))
    }

    /// The anchors acceptable for any AAGUID.
    pub fn any_aaguid_roots(&self) -> &[Cert] {
        &self.any_aaguid
    }

    /// The anchors acceptable for `aaguid` (§7.1 step 23).
    pub fn anchors_for(&self, aaguid: &[u8; 16]) -> Vec<&Cert> {
        self.by_aaguid
            .get(aaguid)
            .into_iter()
            .flatten()
            .chain(self.any_aaguid.iter())
            .collect()
    }
}

fn parse_aaguid(text: &str) -> Result<[u8; 16], TrustStoreError> {
    let hex_digits: String = text.chars().filter(|c| *c != '-').collect();
    hex::decode(&hex_digits)
        .ok()
        .and_then(|b| <[u8; 16]>::try_from(b).ok())
        .ok_or_else(|| TrustStoreError::Aaguid(text.to_owned()))
}

fn decode_root(b64: &str) -> Result<Cert, String> {
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|e| e.to_string())?;
    Cert::parse(&der).map_err(|e| e.to_string())
}

/// Attestation policy (§7.1 step 24).
#[derive(Debug, Clone)]
pub struct AttestationPolicy {
    /// Accept attestation type None.
    pub accept_none: bool,
    /// Accept self attestation.
    pub accept_self: bool,
    /// Require x5c chains to end at a trust-store anchor.
    pub require_trusted_chain: bool,
    /// compound (§8.9): how many sub-statements must pass; 0 means all.
    pub compound_min_valid: usize,
    /// The anchors.
    pub trust_store: TrustStore,
    /// Also apply the FIDO conformance tool's rules beyond L3 (fido profile).
    pub fido_rules: bool,
}

impl Default for AttestationPolicy {
    /// None and self accepted, full attestation only with a trusted chain, compound all-pass,
    /// and no anchors.
    fn default() -> Self {
        AttestationPolicy {
            accept_none: true,
            accept_self: true,
            require_trusted_chain: true,
            compound_min_valid: 0,
            trust_store: TrustStore::empty(),
            fido_rules: false,
        }
    }
}

/// §7.1 step 24: assess the trustworthiness of a verified statement.
pub fn assess(
    verified: &Verified,
    ctx: &StatementContext,
    policy: &AttestationPolicy,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<(), TrustError> {
    match &verified.attestation_type {
        AttestationType::None if policy.accept_none || !enabled(Check::NonePolicy) => Ok(()),
        AttestationType::None => Err(TrustError::NoneNotAccepted),
        AttestationType::SelfAttestation if policy.accept_self || !enabled(Check::SelfPolicy) => {
            Ok(())
        }
        AttestationType::SelfAttestation => Err(TrustError::SelfNotAccepted),
        // Sub-statements were assessed one by one.
        AttestationType::Compound(_) => Ok(()),
        other => {
            if verified.trust_path.is_empty() {
                return if policy.require_trusted_chain && enabled(Check::AnchorRequired) {
                    Err(TrustError::EmptyTrustPath(other.clone()))
                } else {
                    Ok(())
                };
            }
            check_chain(
                &verified.trust_path,
                &super::aaguid(ctx),
                ctx.now_unix,
                policy,
                enabled,
            )
        }
    }
}

/// Validates x5c (leaf first) and, when the policy requires it, that it ends at an anchor.
pub fn check_chain(
    x5c: &[Vec<u8>],
    aaguid: &[u8; 16],
    now: u64,
    policy: &AttestationPolicy,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<(), TrustError> {
    let certs = x5c
        .iter()
        .enumerate()
        .map(|(index, der)| Cert::parse(der).map_err(|source| TrustError::Cert { index, source }))
        .collect::<Result<Vec<_>, _>>()?;
    for (index, cert) in certs.iter().enumerate() {
        if enabled(Check::Validity) && !cert.valid_at(now) {
            return Err(TrustError::NotValidNow { index, now });
        }
        if index > 0 && enabled(Check::IntermediatesCa) {
            let is_ca = cert
                .is_ca()
                .map_err(|source| TrustError::Cert { index, source })?;
            if !is_ca {
                return Err(TrustError::IssuerNotCa { index });
            }
        }
    }
    if enabled(Check::ChainSignatures) {
        for (index, pair) in certs.windows(2).enumerate() {
            if let [child, issuer] = pair {
                child
                    .verify_signed_by(issuer)
                    .map_err(|e| TrustError::BrokenLink {
                        index,
                        detail: e.to_string(),
                    })?;
            }
        }
    }
    if !policy.require_trusted_chain || !enabled(Check::AnchorRequired) {
        return Ok(());
    }
    let anchors = policy.trust_store.anchors_for(aaguid);
    let Some(last) = certs.last() else {
        return Err(TrustError::EmptyTrustPath(AttestationType::Basic));
    };
    // x5c may carry the anchor itself, but only byte-identical to a trust-store anchor.
    if anchors.iter().any(|a| a.der == last.der) {
        return Ok(());
    }
    let issuer = last.issuer_der().ok();
    for anchor in &anchors {
        if anchor.subject_der().ok() != issuer || last.verify_signed_by(anchor).is_err() {
            continue;
        }
        if enabled(Check::Validity) && !anchor.valid_at(now) {
            return Err(TrustError::AnchorNotValidNow { now });
        }
        return Ok(());
    }
    Err(TrustError::NoAnchor {
        aaguid: hex::encode(aaguid),
        anchors: anchors.len(),
    })
}
