//! `packed` (W3C L3 §8.2): full (x5c) and self attestation.

use ciborium::Value;

use super::{
    AttestationError, Statement, StatementInput, flip_last_bit, pki_or_untrusted, remove, set,
    text, x5c,
};
use crate::codec::cose::CoseAlgorithm;
use crate::crypto::pki::{self, CertSpec, CertVersion, Issuer, Pki, ValidityWindow};

/// Label of the packed attestation key (deterministic, ES256).
pub const ATTESTATION_KEY_LABEL: &str = "packed attestation key";

/// One fault in a packed statement (check PK-02…PK-22).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// attStmt is `{}` (PK-02).
    AttStmtEmpty,
    /// `alg` removed (PK-03).
    AlgMissing,
    /// `alg` is a text string (PK-03).
    AlgNotNumber,
    /// `sig` removed (PK-05).
    SigMissing,
    /// `sig` is a text string (PK-05).
    SigNotBytes,
    /// `sig` is an empty byte string (PK-05).
    SigEmpty,
    /// Full: sig does not verify with `x5c[0]` (PK-06, §8.2 step 2).
    SigInvalid,
    /// `x5c` is a byte string, not an array (PK-07).
    X5cNotArray,
    /// `x5c` is `[]`, with sig and alg by the credential key, so an RP that reads `[]` as "no
    /// x5c" takes it for valid self attestation (PK-07).
    X5cEmpty,
    /// `x5c` removed; sig still by the attestation key, so the self branch fails (PK-08).
    X5cRemoved,
    /// Leaf notAfter in the past (PK-09).
    LeafExpired,
    /// Leaf notBefore in the future (PK-09).
    LeafNotYetValid,
    /// Chain issued by a root nobody trusts (PK-11).
    UntrustedRoot,
    /// Chain issued by a root nobody trusts, that self-signed root sent in x5c as if it were a
    /// trust anchor (docs/known-bugs.md #9, SimpleWebAuthn GHSA-6hxq-p678-4hr2).
    UntrustedRootInX5c,
    /// x5c = [leaf, intermediate, root] (PK-12).
    ChainIncludesRoot,
    /// x5c = [intermediate, leaf] (PK-13).
    ChainOutOfOrder,
    /// The intermediate is expired (PK-14).
    IntermediateExpired,
    /// The intermediate has basicConstraints CA=false, yet signs the leaf (PK-11,
    /// RFC 5280 §6.1.4).
    IntermediateNotCa,
    /// The leaf names the intermediate as issuer but another key signed it (PK-11).
    LeafForged,
    /// Full sig made with the credential key (PK-15).
    SignedWithCredentialKey,
    /// Leaf basicConstraints CA=true (PK-16, §8.2.1).
    LeafIsCa,
    /// Leaf is a v1 certificate (PK-16, §8.2.1).
    LeafVersion1,
    /// Leaf OU is not "Authenticator Attestation" (PK-16, §8.2.1).
    LeafWrongOu,
    /// AAGUID extension ≠ authData aaguid (PK-17).
    AaguidMismatch,
    /// AAGUID extension marked critical (PK-18).
    AaguidCritical,
    /// Self: sig does not verify with the credential key (PK-20).
    SelfSigInvalid,
    /// Self: `alg` ≠ the credential key's alg (PK-21).
    SelfAlgMismatch,
    /// Self sig, but x5c of an attestation chain present (PK-22).
    SelfWithX5c,
}

impl Fault {
    /// Whether the fault is one of self attestation (the statement has no x5c by default).
    pub fn is_self(self) -> bool {
        matches!(
            self,
            Fault::SelfSigInvalid | Fault::SelfAlgMismatch | Fault::SelfWithX5c
        )
    }
}

/// The packed attestation leaf certificate and its key, for `input`'s AAGUID (§8.2.1).
fn chain(
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<Fault>,
) -> Result<(crate::crypto::CredentialKey, Vec<Vec<u8>>), AttestationError> {
    let key = pki::attestation_key(CoseAlgorithm::Es256, ATTESTATION_KEY_LABEL)?;
    let mut spec = CertSpec::packed(input.aaguid);
    match fault {
        Some(Fault::LeafExpired) => spec.validity = ValidityWindow::Expired,
        Some(Fault::LeafNotYetValid) => spec.validity = ValidityWindow::NotYetValid,
        Some(Fault::LeafIsCa) => spec.basic_constraints = Some(true),
        Some(Fault::LeafVersion1) => spec.version = CertVersion::V1,
        Some(Fault::LeafWrongOu) => spec.subject = pki::attestation_subject("Authenticator"),
        Some(Fault::AaguidMismatch) => {
            if let Some(ext) = spec.aaguid.as_mut() {
                ext.aaguid[0] ^= 0xff;
            }
        }
        Some(Fault::AaguidCritical) => {
            if let Some(ext) = spec.aaguid.as_mut() {
                ext.critical = true;
            }
        }
        _ => {}
    }
    let pki = pki_or_untrusted(
        pki,
        matches!(
            fault,
            Some(Fault::UntrustedRoot | Fault::UntrustedRootInX5c)
        ),
    )?;
    let leaf = if fault == Some(Fault::LeafForged) {
        pki.issue_forged(Issuer::Intermediate, &spec, &key, "packed")?
    } else {
        pki.issue(Issuer::Intermediate, &spec, &key, "packed")?
    };
    let intermediate = match fault {
        Some(Fault::IntermediateExpired) => {
            pki.intermediate_with_validity(ValidityWindow::Expired)?
        }
        Some(Fault::IntermediateNotCa) => pki.intermediate_not_ca()?,
        _ => pki.intermediate_der().to_vec(),
    };
    let certs = match fault {
        Some(Fault::ChainIncludesRoot | Fault::UntrustedRootInX5c) => {
            vec![leaf, intermediate, pki.root_der().to_vec()]
        }
        Some(Fault::ChainOutOfOrder) => vec![intermediate, leaf],
        _ => vec![leaf, intermediate],
    };
    Ok((key, certs))
}

/// Full packed attestation (§8.2, Basic/AttCA): `{alg, sig, x5c}` with sig by the attestation
/// key over authData ‖ clientDataHash.
pub fn produce(
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<Fault>,
) -> Result<Statement, AttestationError> {
    if fault.is_some_and(Fault::is_self) {
        return self_attestation(input, pki, fault);
    }
    let (key, certs) = chain(input, pki, fault)?;
    let signer = if matches!(
        fault,
        Some(Fault::SignedWithCredentialKey | Fault::X5cEmpty)
    ) {
        input.credential
    } else {
        &key
    };
    let mut sig = signer.sign(&input.signed_data());
    if fault == Some(Fault::SigInvalid) {
        flip_last_bit(&mut sig);
    }
    let leaf = certs.first().cloned().unwrap_or_default();
    let mut entries = vec![
        (text("alg"), Value::Integer(signer.alg().id().into())),
        (text("sig"), Value::Bytes(sig)),
        (text("x5c"), x5c(certs)),
    ];
    match fault {
        Some(Fault::AttStmtEmpty) => entries.clear(),
        Some(Fault::AlgMissing) => remove(&mut entries, "alg"),
        Some(Fault::AlgNotNumber) => set(&mut entries, "alg", text("ES256")),
        Some(Fault::SigMissing) => remove(&mut entries, "sig"),
        Some(Fault::SigNotBytes) => set(&mut entries, "sig", text("not a byte string")),
        Some(Fault::SigEmpty) => set(&mut entries, "sig", Value::Bytes(Vec::new())),
        Some(Fault::X5cNotArray) => set(&mut entries, "x5c", Value::Bytes(leaf)),
        Some(Fault::X5cEmpty) => set(&mut entries, "x5c", Value::Array(Vec::new())),
        Some(Fault::X5cRemoved) => remove(&mut entries, "x5c"),
        _ => {}
    }
    Ok(Statement {
        fmt: "packed".into(),
        att_stmt: Value::Map(entries),
    })
}

/// Self attestation (§8.2, Self): `{alg, sig}` with sig by the credential key. Non-self
/// faults are ignored here.
pub fn self_attestation(
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<Fault>,
) -> Result<Statement, AttestationError> {
    let mut sig = input.credential.sign(&input.signed_data());
    if fault == Some(Fault::SelfSigInvalid) {
        flip_last_bit(&mut sig);
    }
    let mut alg = input.credential.alg();
    if fault == Some(Fault::SelfAlgMismatch) {
        alg = if alg == CoseAlgorithm::Es256 {
            CoseAlgorithm::Es384
        } else {
            CoseAlgorithm::Es256
        };
    }
    let mut entries = vec![
        (text("alg"), Value::Integer(alg.id().into())),
        (text("sig"), Value::Bytes(sig)),
    ];
    if fault == Some(Fault::SelfWithX5c) {
        let (_, certs) = chain(input, pki, None)?;
        entries.push((text("x5c"), x5c(certs)));
    }
    Ok(Statement {
        fmt: "packed".into(),
        att_stmt: Value::Map(entries),
    })
}
