//! `compound` (W3C L3 §8.9): sub-statements combined under policy.

use super::*;
use crate::rp::reference::attestation::compound;

#[test]
fn compound_combines_sub_statements_under_policy() {
    use compound::Check as K;
    let base = Case::load("packed-self.ES256");
    let entry = |fmt: &str, stmt: Value| {
        Value::Map(vec![
            (Value::Text("fmt".into()), Value::Text(fmt.into())),
            (Value::Text("attStmt".into()), stmt),
        ])
    };
    let self_stmt = base.stmt.clone();
    let none_stmt = Value::Map(vec![]);
    let mut case = base.clone();
    case.fmt = "compound".into();
    case.stmt = Value::Array(vec![
        entry("packed", self_stmt.clone()),
        entry("none", none_stmt.clone()),
    ]);
    let verified = case.run().unwrap();
    assert!(matches!(verified.attestation_type, AttestationType::Compound(ref v) if v.len() == 2));
    // Fewer than two entries.
    case.stmt = Value::Array(vec![entry("packed", self_stmt.clone())]);
    assert!(matches!(
        case.run(),
        Err(AttestationError::Compound(compound::CompoundError::TooFew(
            1
        )))
    ));
    case.run_without(AttCheck::Compound(K::MinEntries)).unwrap();
    // Nested compound.
    let inner = Value::Array(vec![
        entry("packed", self_stmt.clone()),
        entry("none", none_stmt.clone()),
    ]);
    case.stmt = Value::Array(vec![
        entry("compound", inner),
        entry("none", none_stmt.clone()),
    ]);
    assert!(matches!(
        case.run(),
        Err(AttestationError::Compound(compound::CompoundError::Nested(
            0
        )))
    ));
    case.run_without(AttCheck::Compound(K::NoNested)).unwrap();
    // One invalid sub-statement: fails under "all", passes under "at least 1" and without the check.
    let mut broken = base.clone();
    broken.set("sig", Value::Bytes(flip_last(base.bytes("sig"))));
    case.stmt = Value::Array(vec![
        entry("packed", broken.stmt.clone()),
        entry("none", none_stmt),
    ]);
    assert!(matches!(
        case.run(),
        Err(AttestationError::Compound(
            compound::CompoundError::NotEnoughValid { .. }
        ))
    ));
    case.run_without(AttCheck::Compound(K::EnoughValid))
        .unwrap();
    let one = AttestationPolicy {
        compound_min_valid: 1,
        ..case.policy()
    };
    case.run_with(&one, &|_| true).unwrap();
    // Not an array.
    case.stmt = Value::Map(vec![]);
    assert!(case.run().is_err());
}
