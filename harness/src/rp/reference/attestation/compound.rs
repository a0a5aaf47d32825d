//! `compound` (W3C L3 §8.9): two or more non-compound statements, each verified with the same
//! authData and clientDataHash; how many must pass is policy.

use ciborium::Value;

use super::{
    AttCheck, AttestationError, AttestationPolicy, AttestationType, StatementContext, Verified,
};
use crate::codec::cbor;

/// The switchable sub-checks of §8.9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// Syntax: at least 2 sub-statements.
    MinEntries,
    /// Syntax: no sub-statement has fmt "compound".
    NoNested,
    /// Step 1: at least the policy's number of sub-statements verify (off: none need to).
    EnoughValid,
}

impl Check {
    /// Every check.
    pub const ALL: &[Check] = &[Check::MinEntries, Check::NoNested, Check::EnoughValid];

    /// A stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Check::MinEntries => "min-entries",
            Check::NoNested => "no-nested",
            Check::EnoughValid => "enough-valid",
        }
    }
}

/// Why a `compound` statement failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompoundError {
    /// Syntax.
    #[error("compound attStmt: {0} (W3C L3 §8.9 syntax)")]
    Syntax(String),
    /// Syntax.
    #[error("compound attStmt has {0} entries, expected at least 2 (W3C L3 §8.9 syntax)")]
    TooFew(usize),
    /// Syntax.
    #[error("compound attStmt[{0}] is itself compound (W3C L3 §8.9 syntax: fmt .ne \"compound\")")]
    Nested(usize),
    /// Step 1.
    #[error(
        "{passed} of {total} compound sub-statements verified, policy requires {required}; first failure: {first_failure} (W3C L3 §8.9 verification step 1)"
    )]
    NotEnoughValid {
        /// How many passed.
        passed: usize,
        /// How many there were.
        total: usize,
        /// How many the policy requires.
        required: usize,
        /// The first failure, as text.
        first_failure: String,
    },
}

/// §8.9 verification procedure; each sub-statement is verified and assessed (§7.1 step 24).
pub fn verify(
    att_stmt: &Value,
    ctx: &StatementContext,
    policy: &AttestationPolicy,
    enabled: &dyn Fn(AttCheck) -> bool,
) -> Result<Verified, CompoundError> {
    let on = |c| enabled(AttCheck::Compound(c));
    let Value::Array(items) = att_stmt else {
        return Err(CompoundError::Syntax(format!(
            "must be an array, found {}",
            cbor::describe(att_stmt)
        )));
    };
    if items.len() < 2 && on(Check::MinEntries) {
        return Err(CompoundError::TooFew(items.len()));
    }
    let mut results = Vec::new();
    let mut first_failure: Option<String> = None;
    for (index, item) in items.iter().enumerate() {
        let Value::Map(entries) = item else {
            return Err(CompoundError::Syntax(format!("entry {index} is not a map")));
        };
        let (Some(Value::Text(fmt)), Some(sub)) = (
            cbor::map_get_text(entries, "fmt"),
            cbor::map_get_text(entries, "attStmt"),
        ) else {
            return Err(CompoundError::Syntax(format!(
                "entry {index} needs fmt (text) and attStmt"
            )));
        };
        if fmt == "compound" && on(Check::NoNested) {
            return Err(CompoundError::Nested(index));
        }
        match super::verify_statement(fmt, sub, ctx, policy, enabled) {
            Ok(verified) => results.push(verified),
            Err(err) => {
                first_failure.get_or_insert_with(|| format!("[{index}] {fmt}: {}", describe(&err)));
            }
        }
    }
    let required = if policy.compound_min_valid == 0 {
        items.len()
    } else {
        policy.compound_min_valid
    };
    if results.len() < required && on(Check::EnoughValid) {
        return Err(CompoundError::NotEnoughValid {
            passed: results.len(),
            total: items.len(),
            required,
            first_failure: first_failure.unwrap_or_else(|| "none".into()),
        });
    }
    Ok(Verified {
        attestation_type: AttestationType::Compound(results),
        trust_path: Vec::new(),
    })
}

fn describe(err: &AttestationError) -> String {
    err.to_string()
}
