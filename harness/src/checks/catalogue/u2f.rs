//! U2F: the fido-u2f attestation statement format (§8.6).

use super::{accept, direct, fido_only, format, leveled, noted, reject, stmt};
use crate::authenticator::AttestationFormat;
use crate::authenticator::attestation::fido_u2f;
use crate::authenticator::mutation::StatementFault;
use crate::checks::{Check, Expect, Level, Scenario, Section, SpecRef};
use crate::codec::cose::CoseAlgorithm;

const U2F: SpecRef = SpecRef::clause(Section::FidoU2f, "verification");

pub(super) fn checks() -> Vec<Check> {
    vec![
        leveled(
            accept(
                "U2F-01",
                "a valid fido-u2f attestation",
                U2F,
                format(AttestationFormat::FidoU2f),
            ),
            Level::FidoMust,
        ),
        noted(
            fido_only(
                reject(
                    "U2F-02",
                    "fido-u2f with a non-zero AAGUID",
                    U2F,
                    stmt(StatementFault::FidoU2f(fido_u2f::Fault::AaguidNonZero)),
                ),
                Expect::Reject,
            ),
            "FIDO Resp-8 F-1; L3 §8.6 does not read the AAGUID",
        ),
        reject(
            "U2F-03",
            "fido-u2f sig does not verify",
            U2F,
            stmt(StatementFault::FidoU2f(fido_u2f::Fault::SigInvalid)),
        ),
        reject(
            "U2F-04.two",
            "fido-u2f x5c with two certificates",
            U2F,
            stmt(StatementFault::FidoU2f(fido_u2f::Fault::X5cTwoCerts)),
        ),
        reject(
            "U2F-04.empty",
            "fido-u2f x5c empty",
            U2F,
            stmt(StatementFault::FidoU2f(fido_u2f::Fault::X5cEmpty)),
        ),
        reject(
            "U2F-05",
            "fido-u2f certificate key is P-384, not P-256",
            U2F,
            stmt(StatementFault::FidoU2f(fido_u2f::Fault::CertNotP256)),
        ),
        noted(
            reject(
                "U2F-06",
                "fido-u2f for an ES384 credential (x and y of 48 bytes)",
                U2F,
                Scenario::Register(direct(AttestationFormat::FidoU2f).authenticator(|a| {
                    a.algorithms = vec![CoseAlgorithm::Es384];
                })),
            ),
            "§8.6 step 4: fido-u2f attests P-256 credentials only; the signature itself is valid over the 97-byte publicKeyU2F",
        ),
        reject(
            "U2F-07.leading-zero",
            "fido-u2f sig over verificationData without the leading 0x00",
            U2F,
            stmt(StatementFault::FidoU2f(
                fido_u2f::Fault::SigWithoutLeadingZero,
            )),
        ),
        reject(
            "U2F-07.compressed",
            "fido-u2f sig over a compressed publicKeyU2F",
            U2F,
            stmt(StatementFault::FidoU2f(
                fido_u2f::Fault::SigOverCompressedKey,
            )),
        ),
    ]
}
