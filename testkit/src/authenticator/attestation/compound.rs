//! `compound` (W3C L3 §8.9): attStmt is an array of at least two non-compound statements,
//! each a map `{fmt, attStmt}`.

use ciborium::Value;

use super::{AttestationError, Statement, StatementInput, apple, packed, text, tpm};
use crate::crypto::CredentialKey;
use crate::crypto::pki::Pki;

/// One fault in a compound statement (check CMP-02…CMP-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Only one sub-statement (CMP-02: CDDL `[2* …]`).
    TooFew,
    /// The second entry is itself compound (CMP-03).
    Nested,
    /// The second sub-statement has an invalid signature or nonce (CMP-04).
    OneInvalid,
}

fn entry(statement: Statement) -> Value {
    Value::Map(vec![
        (text("fmt"), Value::Text(statement.fmt)),
        (text("attStmt"), statement.att_stmt),
    ])
}

/// The second sub-statement: tpm when it can hold the key (EC, RSA), else apple.
fn second(
    input: &StatementInput<'_>,
    pki: &Pki,
    invalid: bool,
) -> Result<Statement, AttestationError> {
    if matches!(input.credential, CredentialKey::Ed25519(_)) {
        apple::produce(input, pki, invalid.then_some(apple::Fault::NonceMismatch))
    } else {
        tpm::produce(input, pki, invalid.then_some(tpm::Fault::SigInvalid))
    }
}

/// A compound statement: [packed (full), tpm or apple].
pub fn produce(
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<Fault>,
) -> Result<Statement, AttestationError> {
    let first = entry(packed::produce(input, pki, None)?);
    let second = second(input, pki, fault == Some(Fault::OneInvalid))?;
    let entries = match fault {
        Some(Fault::TooFew) => vec![first],
        Some(Fault::Nested) => {
            let inner = Statement {
                fmt: "compound".into(),
                att_stmt: Value::Array(vec![first.clone(), entry(second)]),
            };
            vec![first, entry(inner)]
        }
        _ => vec![first, entry(second)],
    };
    Ok(Statement {
        fmt: "compound".into(),
        att_stmt: Value::Array(entries),
    })
}
