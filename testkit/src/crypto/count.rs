//! How many key generations, signatures and verifications the process has done, by algorithm
//! family: one relaxed atomic increment per operation (nanoseconds, next to the tens of
//! microseconds of the operation itself). `cargo xtask bench` reads them before and after a
//! catalogue run to put its wall time next to the cost of the crypto it performs.

use std::sync::atomic::{AtomicU64, Ordering};

/// An algorithm family, by the key that does the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// ECDSA over P-256 (ES256, and P-256 CA keys).
    P256,
    /// ECDSA over P-384.
    P384,
    /// ECDSA over P-521.
    P521,
    /// ECDSA over secp256k1.
    Secp256k1,
    /// EdDSA over Ed25519.
    Ed25519,
    /// RSA (PKCS#1 v1.5 and PSS, every hash).
    Rsa,
}

impl Family {
    /// Every family, in [`OpCounts`] order.
    pub const ALL: [Family; 6] = [
        Family::P256,
        Family::P384,
        Family::P521,
        Family::Secp256k1,
        Family::Ed25519,
        Family::Rsa,
    ];

    /// The name in bench reports.
    pub fn name(self) -> &'static str {
        match self {
            Family::P256 => "P-256",
            Family::P384 => "P-384",
            Family::P521 => "P-521",
            Family::Secp256k1 => "secp256k1",
            Family::Ed25519 => "Ed25519",
            Family::Rsa => "RSA",
        }
    }
}

/// An operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    /// A key pair made (RSA credentials share one process-wide key: not counted).
    KeyGen,
    /// A signature made.
    Sign,
    /// A signature verified (whatever the outcome).
    Verify,
}

impl Op {
    /// Every operation, in [`OpCounts`] order.
    pub const ALL: [Op; 3] = [Op::KeyGen, Op::Sign, Op::Verify];
}

static COUNTS: [AtomicU64; 18] = [const { AtomicU64::new(0) }; 18];

fn index(op: Op, family: Family) -> usize {
    (op as usize) * Family::ALL.len() + family as usize
}

/// Counts one operation (the harness's lenient verifier counts its own work here too).
pub fn record(op: Op, family: Family) {
    if let Some(counter) = COUNTS.get(index(op, family)) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// A reading of the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpCounts {
    counts: [u64; 18],
}

impl OpCounts {
    /// The counters now (process-wide, since start).
    pub fn now() -> Self {
        let mut counts = [0; 18];
        for (count, counter) in counts.iter_mut().zip(&COUNTS) {
            *count = counter.load(Ordering::Relaxed);
        }
        OpCounts { counts }
    }

    /// What happened between `earlier` and this reading.
    pub fn since(&self, earlier: &OpCounts) -> OpCounts {
        let mut counts = [0; 18];
        for ((count, now), then) in counts.iter_mut().zip(&self.counts).zip(&earlier.counts) {
            *count = now.saturating_sub(*then);
        }
        OpCounts { counts }
    }

    /// How many `op`s on `family` keys.
    pub fn get(&self, op: Op, family: Family) -> u64 {
        self.counts
            .get(index(op, family))
            .copied()
            .unwrap_or_default()
    }

    /// How many `op`s, all families.
    pub fn total(&self, op: Op) -> u64 {
        Family::ALL.iter().map(|family| self.get(op, *family)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_per_op_and_family() {
        let before = OpCounts::now();
        record(Op::Verify, Family::Rsa);
        record(Op::Verify, Family::Rsa);
        record(Op::Sign, Family::P256);
        let diff = OpCounts::now().since(&before);
        // Other tests run at the same time and count too: at least ours happened.
        assert!(diff.get(Op::Verify, Family::Rsa) >= 2);
        assert!(diff.get(Op::Sign, Family::P256) >= 1);
        assert!(diff.total(Op::Verify) >= 2);
    }
}
