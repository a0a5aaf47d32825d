//! APL: the apple anonymous attestation statement format (§8.8).

use super::{accept, format, leveled, reject, stmt};
use crate::authenticator::AttestationFormat;
use crate::authenticator::attestation::apple;
use crate::authenticator::mutation::StatementFault;
use crate::checks::{Check, Level, Section, SpecRef};

const APPLE: SpecRef = SpecRef::clause(Section::Apple, "verification");

pub(super) fn checks() -> Vec<Check> {
    vec![
        leveled(
            accept(
                "APL-01",
                "a valid apple anonymous attestation",
                APPLE,
                format(AttestationFormat::Apple),
            ),
            Level::Should,
        ),
        reject(
            "APL-02",
            "nonce extension is not SHA-256(authData ‖ clientDataHash)",
            APPLE,
            stmt(StatementFault::Apple(apple::Fault::NonceMismatch)),
        ),
        reject(
            "APL-03",
            "credCert certifies another key than the credential's",
            APPLE,
            stmt(StatementFault::Apple(apple::Fault::CertKeyMismatch)),
        ),
        reject(
            "APL-04.missing",
            "apple attStmt without x5c",
            APPLE,
            stmt(StatementFault::Apple(apple::Fault::X5cMissing)),
        ),
        reject(
            "APL-04.empty",
            "apple x5c empty",
            APPLE,
            stmt(StatementFault::Apple(apple::Fault::X5cEmpty)),
        ),
    ]
}
