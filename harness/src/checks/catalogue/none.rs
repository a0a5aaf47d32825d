//! NONE: the none attestation statement format (§8.7), and attestation "none" requested.

use super::{TRUST, accept, direct, leveled, noted, reject, self_packed};
use crate::authenticator::mutation::AttestationMutation;
use crate::authenticator::{AttestationFormat, Mutation};
use crate::checks::{Check, Level, Scenario, Section, Setup, SpecRef};

const NONE: SpecRef = SpecRef::clause(Section::None, "§8.7");

pub(super) fn checks() -> Vec<Check> {
    vec![
        noted(
            accept(
                "NONE-01",
                "fmt \"none\" with attStmt {}",
                NONE,
                Scenario::Register(Setup::default().attestation("none")),
            ),
            "FIDO Resp-7 P-1: attestation \"none\" requested, fmt \"none\" returned (a direct request answered with none is the RP's policy, §7.1 step 24)",
        ),
        noted(
            leveled(
                accept(
                    "NONE-02",
                    "attestation \"none\" requested, self packed attestation returned",
                    NONE,
                    Scenario::Register(
                        Setup::default()
                            .authenticator(|a| a.attestation = AttestationFormat::PackedSelf),
                    ),
                ),
                Level::FidoMust,
            ),
            "FIDO Resp-7 P-2 requires the acceptance; §5.4.7: clients pass self attestation through under \"none\", and accepting it is the RP's policy (§7.1 step 24)",
        ),
        reject(
            "NONE-03",
            "fmt none with a non-empty attStmt",
            SpecRef::clause(Section::None, "syntax"),
            self_packed(Mutation::Attestation(AttestationMutation::Fmt(
                "none".into(),
            ))),
        ),
        noted(
            reject(
                "NONE-04",
                "fmt \"none\" to an RP whose policy requires trusted attestation",
                TRUST,
                Scenario::RegisterRequiringTrustedAttestation(direct(AttestationFormat::None)),
            ),
            "§7.1 step 24: the RP decides from its policy; RPs that cannot be set up to require attestation skip it",
        ),
    ]
}
