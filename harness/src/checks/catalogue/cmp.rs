//! CMP: the compound attestation statement format (§8.9), new in L3.

use super::{accept, direct, format, leveled, noted, reject, stmt};
use crate::authenticator::attestation::compound;
use crate::authenticator::mutation::{AttestationMutation, StatementFault};
use crate::authenticator::{AttestationFormat, Mutation};
use crate::checks::{Check, Level, Scenario, Section, SpecRef};
use crate::codec::cbor::Value;

const COMPOUND: SpecRef = SpecRef::clause(Section::Compound, "verification");

pub(super) fn checks() -> Vec<Check> {
    vec![
        noted(
            leveled(
                accept(
                    "CMP-01",
                    "compound of two valid statements",
                    COMPOUND,
                    format(AttestationFormat::Compound),
                ),
                Level::Should,
            ),
            "compound is new in L3 (§8.9); supporting a format is the RP's choice (§7.1 step 21)",
        ),
        reject(
            "CMP-02",
            "compound with a single statement",
            COMPOUND,
            stmt(StatementFault::Compound(compound::Fault::TooFew)),
        ),
        reject(
            "CMP-03",
            "compound nested inside compound",
            COMPOUND,
            stmt(StatementFault::Compound(compound::Fault::Nested)),
        ),
        noted(
            leveled(
                reject(
                    "CMP-04",
                    "compound with one invalid sub-statement",
                    COMPOUND,
                    stmt(StatementFault::Compound(compound::Fault::OneInvalid)),
                ),
                Level::Should,
            ),
            "L3 §8.9 leaves how many sub-statements must verify to RP policy; a strict RP requires all",
        ),
        noted(
            reject(
                "CMP-05",
                "compound attStmt is a map, not an array of statements",
                COMPOUND,
                Scenario::Register(
                    direct(AttestationFormat::Compound).and(Mutation::Attestation(
                        AttestationMutation::StmtReplace(Value::Map(Vec::new())),
                    )),
                ),
            ),
            "§8.9 syntax: attStmt is an array of at least two statements; an RP that supports compound verifies that first",
        ),
    ]
}
