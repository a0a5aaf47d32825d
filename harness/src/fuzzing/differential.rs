//! The `differential` target: the same [`CeremonyCase`] against the reference RP and
//! webauthn-rs in process (feature `webauthn-rs`); a disagreement is written down, one example
//! per class, in the folder [`DISAGREEMENTS_DIR_VAR`] names.

#[cfg(feature = "webauthn-rs")]
use arbitrary::Arbitrary;

#[cfg(feature = "webauthn-rs")]
use super::ceremony::{CeremonyCase, FuzzAttestation, edit_assertion, edit_attestation_auth_data};
#[cfg(feature = "webauthn-rs")]
use super::rig::{Rig, SESSION};
#[cfg(feature = "webauthn-rs")]
use crate::rp::Reply;

/// What one RP did with one step of a fuzzed ceremony.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `status: "ok"`.
    Accepted,
    /// `status: "failed"`.
    Rejected,
    /// The RP or the ceremony's setup failed (options refused, a transport fault).
    Error,
}

/// What one RP did with a fuzzed ceremony: the registration, then the assertion if the
/// registration was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CeremonyOutcome {
    /// The registration.
    pub registration: Outcome,
    /// The assertion, when the registration was accepted.
    pub authentication: Option<Outcome>,
}

/// The reference RP and webauthn-rs did different things with the same ceremony.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// A short key: what each RP did and which fields were edited. One example per class is
    /// worth keeping.
    pub class: String,
    /// The reference RP.
    pub reference: CeremonyOutcome,
    /// webauthn-rs.
    pub webauthn_rs: CeremonyOutcome,
}

/// Where `fuzz_differential` writes one example per disagreement class (when set).
pub const DISAGREEMENTS_DIR_VAR: &str = "WEBAUTHN_CONFORMANCE_DISAGREEMENTS";

/// The same ceremony (same authenticator, same setup, same edits, each against the RP's own
/// options) run against the reference RP and webauthn-rs in process. Registration edits land
/// anywhere in authData (positions modulo its length): rpIdHash, flags, signCount, attested
/// credential data.
#[cfg(feature = "webauthn-rs")]
pub fn differential(case: &CeremonyCase) -> Option<Disagreement> {
    let (reference, webauthn_rs) = outcomes(case)?;
    (reference != webauthn_rs).then(|| Disagreement {
        class: class(case, reference, webauthn_rs),
        reference,
        webauthn_rs,
    })
}

/// What the reference RP and webauthn-rs each did with `case`; `None` when either could not
/// set the ceremony up (only those both could are compared).
#[cfg(feature = "webauthn-rs")]
pub fn outcomes(case: &CeremonyCase) -> Option<(CeremonyOutcome, CeremonyOutcome)> {
    let seed = u64::from(case.seed);
    let profile = case.profile();
    // The conveyance an integrator asks for with each kind of authenticator: webauthn-rs
    // verifies `direct` attestation against its CA list and refuses none/self there (a policy
    // the spec leaves to the RP, §7.1 step 24), which would make every such case disagree.
    let conveyance = match case.attestation {
        FuzzAttestation::None => "none",
        FuzzAttestation::PackedSelf => "indirect",
        FuzzAttestation::Packed => "direct",
    };
    let rig = |label| {
        Rig::new(profile, seed, case.authenticator(), label).map(|mut rig| {
            rig.conveyance = conveyance;
            rig
        })
    };
    let reference = rig("fuzz differential").map(|b| drive(b, case));
    let factory = crate::rp::webauthn_rs::WebauthnRsFactory::default();
    let webauthn_rs = rig("fuzz differential")
        .and_then(|b| b.with_rp(&factory, profile, seed))
        .map(|b| drive(b, case));
    match (reference, webauthn_rs) {
        (Ok(Some(reference)), Ok(Some(webauthn_rs))) => Some((reference, webauthn_rs)),
        _ => None,
    }
}

/// `None` when the ceremony cannot be set up with this RP: its creation options offer no
/// algorithm the authenticator has (webauthn-rs offers no EdDSA by default), say.
#[cfg(feature = "webauthn-rs")]
fn drive(mut rig: Rig, case: &CeremonyCase) -> Option<CeremonyOutcome> {
    let outcome = |reply: Result<Reply<()>, crate::rp::RpError>| match reply {
        Ok(Reply::Ok(())) => Outcome::Accepted,
        Ok(Reply::Failed(_) | Reply::Erroring(_)) => Outcome::Rejected,
        Err(_) => Outcome::Error,
    };
    let user_verification = case.user_verification();
    let created = rig.created(user_verification.clone()).ok()?;
    let edits: Vec<(usize, u8)> = case
        .rp_id_hash_edits
        .iter()
        .map(|(p, m)| (usize::from(*p), *m))
        .collect();
    let body = edit_attestation_auth_data(&created.body, &edits, true).unwrap_or(created.body);
    let registration = outcome(rig.rp.finish_registration(SESSION, &body));
    if registration != Outcome::Accepted {
        return Some(CeremonyOutcome {
            registration,
            authentication: None,
        });
    }
    let authentication = match rig.asserted(user_verification) {
        Ok(asserted) => {
            let (body, _) = edit_assertion(&asserted.body, &case.edits);
            outcome(rig.rp.finish_authentication(SESSION, &body))
        }
        Err(_) => Outcome::Error,
    };
    Some(CeremonyOutcome {
        registration,
        authentication: Some(authentication),
    })
}

/// Names the authData regions a registration edit touches (§6.1 layout; the attested
/// credential data's variable part is one region).
#[cfg(feature = "webauthn-rs")]
fn class(case: &CeremonyCase, reference: CeremonyOutcome, webauthn_rs: CeremonyOutcome) -> String {
    let mut edited: Vec<&str> = case
        .rp_id_hash_edits
        .iter()
        .filter(|(_, mask)| *mask != 0)
        .map(|(position, _)| match position {
            0..=31 => "rpIdHash",
            32 => "flags",
            33..=36 => "signCount",
            37..=52 => "aaguid",
            53..=54 => "credentialIdLength",
            _ => "credentialIdOrKey",
        })
        .collect();
    // Assertion edits matter only when both RPs got as far as the assertion.
    if reference.authentication.is_some() && webauthn_rs.authentication.is_some() {
        edited.extend(
            case.edits
                .iter()
                .filter(|edit| edit.mask != 0)
                .map(|edit| edit.field.member()),
        );
    }
    edited.sort_unstable();
    edited.dedup();
    let edited = if edited.is_empty() {
        "unedited".to_owned()
    } else {
        edited.join("+")
    };
    // The authenticator setup stays out of the class (it is in the example's case): one root
    // cause seen under many setups is one class.
    let step = |outcome: CeremonyOutcome| match outcome.authentication {
        None => format!("registration {:?}", outcome.registration),
        Some(authentication) => format!("registration accepted, assertion {authentication:?}"),
    };
    format!(
        "reference: {} / webauthn-rs: {}; edited {edited}",
        step(reference),
        step(webauthn_rs)
    )
}

/// Differential target: no panic in either RP; a disagreement is not a crash but is written
/// down, one example per class, in the folder [`DISAGREEMENTS_DIR_VAR`] names (when set).
#[cfg(feature = "webauthn-rs")]
pub fn fuzz_differential(data: &[u8]) {
    let Ok(case) = CeremonyCase::arbitrary(&mut arbitrary::Unstructured::new(data)) else {
        return;
    };
    let Some(disagreement) = differential(&case) else {
        return;
    };
    let Some(dir) = std::env::var_os(DISAGREEMENTS_DIR_VAR) else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let name = format!("{:016x}.txt", fnv1a(disagreement.class.as_bytes()));
    let path = dir.join(name);
    if path.exists() {
        return;
    }
    let text = format!(
        "{}\ninput {}\n{case:?}\n",
        disagreement.class,
        hex::encode(data)
    );
    // Best effort: a full disk must not stop the campaign.
    let _ = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(path, text));
}

/// FNV-1a, for stable file names.
#[cfg(feature = "webauthn-rs")]
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
