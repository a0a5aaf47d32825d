//! TRUST: the RP's attestation policy (§7.1 steps 23-24): a statement that verifies may still
//! be untrustworthy, and an RP that requires trusted attestation refuses self and none.

use super::{TRUST, accept, direct, leveled, noted, reject, stmt};
use crate::authenticator::AttestationFormat;
use crate::authenticator::attestation::{fido_u2f, tpm};
use crate::authenticator::mutation::StatementFault;
use crate::checks::{Check, Level, Scenario};

pub(super) fn checks() -> Vec<Check> {
    vec![
        noted(
            reject(
                "TRUST-01",
                "self attestation to an RP whose policy requires trusted attestation",
                TRUST,
                Scenario::RegisterRequiringTrustedAttestation(direct(
                    AttestationFormat::PackedSelf,
                )),
            ),
            "§7.1 step 24; RPs that cannot be set up to require attestation skip it",
        ),
        noted(
            accept(
                "TRUST-01.full",
                "full packed attestation to an RP whose policy requires trusted attestation",
                TRUST,
                Scenario::RegisterRequiringTrustedAttestation(direct(AttestationFormat::Packed)),
            ),
            "the positive twin of NONE-04 and TRUST-01: the policy refuses only what it must",
        ),
        noted(
            leveled(
                reject(
                    "TRUST-02",
                    "tpm attestation whose AIK chain ends at a root the RP does not trust",
                    TRUST,
                    stmt(StatementFault::Tpm(tpm::Fault::UntrustedRoot)),
                ),
                Level::Should,
            ),
            "§7.1 step 24: an untrustworthy attestation SHOULD fail the ceremony (or MAY be registered as no attestation); PK-11 is the packed twin",
        ),
        noted(
            leveled(
                reject(
                    "TRUST-02.fido-u2f",
                    "fido-u2f attestation whose batch certificate chains to a root the RP does not trust",
                    TRUST,
                    stmt(StatementFault::FidoU2f(fido_u2f::Fault::UntrustedRoot)),
                ),
                Level::Should,
            ),
            "§8.6 returns Basic or AttCA, never Self (docs/known-bugs.md #37): the batch certificate must chain to an anchor like any other",
        ),
    ]
}
