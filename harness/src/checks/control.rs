//! Positive controls: a rejection shows that an RP caught a fault only when the same ceremony
//! without the fault, on an RP set up the same way, is accepted.
//!
//! An RP that rejects every `tpm` statement also rejects every broken one; without a control
//! that looks like a pass. So every check that expects a rejection runs as one or more
//! [`Trial`]s: the faulty ceremony, and its control. The runner scores a rejection as a pass only
//! when the control of that trial was accepted, and as `inconclusive` otherwise.
//!
//! Most controls are derived from the check's scenario ([`without_fault`]): the mutations
//! dropped, the client's own faults (origin, crossOrigin, topOrigin, cleared flags) undone, an
//! attestation statement fault replaced by the valid statement of the same format with the same
//! key and algorithm. Scenarios whose fault is the flow itself (a replay, a foreign session, a
//! missing username) have their control spelled out below. Faults with several spellings (an
//! algorithm the RP did not offer, a key labelled with another algorithm) get one trial per
//! spelling, tried in order until one has an accepted control.

use super::{Check, CreationProbe, RequestProbe, Scenario, Setup};
use crate::authenticator::mutation::CoseKeyMutation;
use crate::authenticator::{AttestationFormat, CounterPolicy, Mutation};
use crate::codec::cbor::Value;
use crate::codec::cose::CoseAlgorithm;

/// One way to run a negative check: the ceremony with the fault, and the same without it.
#[derive(Debug, Clone)]
pub struct Trial {
    /// Which spelling of the fault this is, for checks that have several (named in reports).
    pub variant: Option<String>,
    /// The ceremony with the fault.
    pub fault: Scenario,
    /// The same ceremony without the fault.
    pub control: Scenario,
    /// Algorithms the control's RP is asked to offer beyond its own (`RpConfig::extra_algorithms`),
    /// so that a credential of that algorithm is not refused for not being offered.
    pub control_offers: Vec<CoseAlgorithm>,
}

impl Trial {
    fn plain(fault: Scenario) -> Trial {
        Trial {
            variant: None,
            control: without_fault(&fault),
            fault,
            control_offers: Vec::new(),
        }
    }
}

/// The trials of `check`, in the order the runner tries them.
pub fn trials(check: &Check) -> Vec<Trial> {
    match check.id {
        // These trials replace the catalogue's own scenario, which is one of their spellings.
        "REG-AO-17" => unoffered_algorithm_trials(),
        "REG-AO-29" => mislabelled_key_trials(
            CoseAlgorithm::Es256,
            &[
                CoseAlgorithm::Rs256,
                CoseAlgorithm::Ps256,
                CoseAlgorithm::EdDsa,
            ],
        ),
        "REG-AO-28.alg" => mislabelled_key_trials(
            CoseAlgorithm::EdDsa,
            &[
                CoseAlgorithm::Es256,
                CoseAlgorithm::Rs256,
                CoseAlgorithm::Ps256,
            ],
        ),
        // The fault is the algorithm: fido-u2f can only attest ES256 keys (§8.6 step 4), so the
        // control is the same statement for an ES256 credential.
        "U2F-06" => {
            let mut trial = Trial::plain(check.scenario.clone());
            if let Scenario::Register(setup) = &mut trial.control {
                setup.authenticator.algorithms = vec![CoseAlgorithm::Es256];
            }
            vec![trial]
        }
        _ => vec![Trial::plain(check.scenario.clone())],
    }
}

/// §7.1 step 20, one trial per algorithm the virtual authenticator can make: a credential of
/// that algorithm when the RP did not offer it, against the same credential to an RP that offers
/// it. A trial whose algorithm the RP offers anyway is skipped. The control tells an RP that
/// refuses what it was not offered from one that cannot verify the algorithm at all.
fn unoffered_algorithm_trials() -> Vec<Trial> {
    crate::crypto::SUPPORTED_ALGORITHMS
        .into_iter()
        .map(|alg| Trial {
            variant: Some(format!("{} ({})", alg.name(), alg.id())),
            fault: Scenario::Register(Setup::with(Mutation::UnofferedAlgorithm(alg))),
            control: Scenario::Register(Setup::with(Mutation::OfferedAlgorithm(alg))),
            control_offers: vec![alg],
        })
        .collect()
}

/// §7.1 step 20 and §5.8.5: a `key_alg` key whose COSE `alg` names `label` instead; the control is
/// a valid credential of `label`'s own key type, which shows the RP accepts that algorithm.
fn mislabelled_key_trials(key_alg: CoseAlgorithm, labels: &[CoseAlgorithm]) -> Vec<Trial> {
    labels
        .iter()
        .map(|&label| Trial {
            variant: Some(format!("labelled {} ({})", label.name(), label.id())),
            fault: Scenario::Register(
                Setup::default()
                    .authenticator(|a| a.algorithms = vec![key_alg])
                    .and(Mutation::CoseKey(CoseKeyMutation::Set {
                        label: 3,
                        value: Value::Integer(label.id().into()),
                    })),
            ),
            control: Scenario::Register(
                Setup::default().authenticator(|a| a.algorithms = vec![label]),
            ),
            control_offers: Vec::new(),
        })
        .collect()
}

/// The valid registration every flow-level fault of §7.1 is measured against.
fn valid_registration() -> Scenario {
    Scenario::Register(Setup::default())
}

/// A valid registration, then a valid assertion.
fn valid_authentication() -> Scenario {
    Scenario::Authenticate {
        registration: Setup::default(),
        authentication: Setup::default(),
    }
}

/// `scenario` without its fault: what a conformant RP set up the same way accepts.
pub fn without_fault(scenario: &Scenario) -> Scenario {
    match scenario {
        Scenario::Register(setup) => Scenario::Register(clean(setup)),
        // The fault is the statement the policy refuses; a full packed chain to the trusted
        // root is what that policy accepts (TRUST-01.full).
        Scenario::RegisterRequiringTrustedAttestation(_) => {
            Scenario::RegisterRequiringTrustedAttestation(
                Setup::default()
                    .attestation("direct")
                    .authenticator(|a| a.attestation = AttestationFormat::Packed),
            )
        }
        Scenario::Authenticate {
            registration,
            authentication,
        } => Scenario::Authenticate {
            registration: registration.clone(),
            authentication: same_authenticator(registration, authentication),
        },
        Scenario::AuthenticateTwice {
            registration,
            first,
            second,
        } => Scenario::AuthenticateTwice {
            registration: registration.clone(),
            first: first.clone(),
            second: same_authenticator(registration, second),
        },
        Scenario::AuthenticateAfterRejected {
            registration,
            rejected,
            then,
        } => Scenario::AuthenticateAfterRejected {
            registration: registration.clone(),
            rejected: rejected.clone(),
            then: same_authenticator(registration, then),
        },
        // Single use: a second, fresh assertion from the same counter-less authenticator is
        // accepted, so only the replayed challenge can explain a rejection.
        Scenario::ReplayAuthentication => {
            let zero = Setup::default().authenticator(|a| a.counter = CounterPolicy::Zero);
            Scenario::AuthenticateTwice {
                registration: zero.clone(),
                first: zero.clone(),
                second: zero,
            }
        }
        Scenario::RegisterWithoutOptions
        | Scenario::ReplayRegistration
        | Scenario::RegisterWithAuthenticationChallenge
        | Scenario::DuplicateCredentialOtherUser
        | Scenario::ChallengeOfOtherSession(super::Ceremony::Registration)
        | Scenario::ExpiredChallenge(super::Ceremony::Registration) => valid_registration(),
        // The same username-less ceremony with the user's own credential and handle.
        Scenario::CredentialOfAnotherUser => Scenario::Authenticate {
            registration: Setup::default().discoverable(),
            authentication: Setup::default().discoverable(),
        },
        Scenario::AuthenticateWithoutOptions
        | Scenario::AuthenticateWithRegistrationChallenge
        | Scenario::UserHandleOfAnotherUser
        | Scenario::CredentialNotAllowed
        | Scenario::FailedRegistrationStoresNothing
        | Scenario::ChallengeOfOtherSession(super::Ceremony::Authentication)
        | Scenario::ExpiredChallenge(super::Ceremony::Authentication) => valid_authentication(),
        // A refusal of options is only telling when the same RP issues options to a complete
        // request.
        Scenario::CreationOptions(_) => Scenario::CreationOptions(CreationProbe::StatusOk),
        Scenario::RequestOptions(_) => Scenario::RequestOptions(RequestProbe::StatusOk),
    }
}

/// `setup` with every fault removed: no mutation, the client's own origin and framing, UP and
/// UV set, BS only with BE, a credential ID within §7.1 step 25, and a statement fault replaced by
/// the valid statement of its format.
fn clean(setup: &Setup) -> Setup {
    let mut clean = setup.clone();
    for mutation in &setup.mutations {
        match mutation {
            Mutation::Statement(fault) => clean.authenticator.attestation = fault.format(),
            // The longest ID §7.1 step 25 allows: the control isolates the length limit.
            Mutation::CredentialIdLen(len) if *len > 1023 => {
                clean.authenticator.credential_id_len = 1023;
            }
            _ => {}
        }
    }
    // What shapes the bytes without being a fault stays: the control differs only by it.
    clean.mutations.retain(Mutation::only_shapes);
    clean.origin = None;
    clean.cross_origin = false;
    clean.top_origin = None;
    clean.authenticator.user_present = true;
    clean.authenticator.user_verified = true;
    clean.authenticator.backup_state &= clean.authenticator.backup_eligible;
    clean
}

/// An assertion `setup` without its fault, made by the authenticator the credential was
/// registered with (same BE flag), as a conformant RP expects (§7.2 step 19).
fn same_authenticator(registration: &Setup, setup: &Setup) -> Setup {
    let mut clean = clean(setup);
    clean.authenticator.backup_eligible = registration.authenticator.backup_eligible;
    clean.authenticator.backup_state &= clean.authenticator.backup_eligible;
    clean
}
