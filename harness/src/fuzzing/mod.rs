//! Fuzz entry functions: the cargo-fuzz targets in `fuzz/` are one-line calls to these, and the
//! regression test replays every saved crash input through them.
//!
//! Each target takes untrusted bytes, must never panic on its own account, and panics only
//! when an invariant breaks (that is the fuzzer's signal): a parser that accepts bytes must give
//! them back unchanged when re-encoded (or re-parse to the same value), and the reference RP must
//! never accept an assertion whose signed bytes were changed (W3C L3 §7.2 step 22), nor a
//! registration whose rpIdHash was changed (§7.1 step 15).
//!
//! One job per file: the parser round trips (`parsers`), the structured ceremony target
//! (`ceremony`), the reference RP against webauthn-rs (`differential`), the seed inputs
//! (`seeds`), and the RP and virtual client the last three drive (`bench`).

mod bench;
mod ceremony;
mod differential;
mod parsers;
mod seeds;

use arbitrary::Arbitrary;

pub use ceremony::{
    CeremonyCase, Edit, FuzzAlgorithm, FuzzAttestation, FuzzBackup, SignedField, fuzz_ceremony,
};
pub use differential::{CeremonyOutcome, DISAGREEMENTS_DIR_VAR, Disagreement, Outcome};
#[cfg(feature = "webauthn-rs")]
pub use differential::{differential, fuzz_differential, outcomes};
pub use parsers::{
    fuzz_attestation_object, fuzz_auth_data, fuzz_authentication_json, fuzz_cbor, fuzz_client_data,
    fuzz_cose_key, fuzz_registration_json,
};
pub use seeds::seeds;

/// The fuzz targets by name, for `cargo xtask fuzz` and the regression test.
///
/// `differential` needs the `webauthn-rs` feature; without it, its entry does nothing.
pub const TARGETS: [&str; 9] = [
    "cbor",
    "attestation_object",
    "auth_data",
    "cose_key",
    "client_data",
    "registration_json",
    "authentication_json",
    "ceremony",
    "differential",
];

/// Runs the entry function of `target` on `data`; `false` for an unknown target.
pub fn run_target(target: &str, data: &[u8]) -> bool {
    match target {
        "cbor" => fuzz_cbor(data),
        "attestation_object" => fuzz_attestation_object(data),
        "auth_data" => fuzz_auth_data(data),
        "cose_key" => fuzz_cose_key(data),
        "client_data" => fuzz_client_data(data),
        "registration_json" => fuzz_registration_json(data),
        "authentication_json" => fuzz_authentication_json(data),
        "ceremony" => {
            if let Ok(case) = CeremonyCase::arbitrary(&mut arbitrary::Unstructured::new(data)) {
                fuzz_ceremony(&case);
            }
        }
        #[cfg(feature = "webauthn-rs")]
        "differential" => fuzz_differential(data),
        #[cfg(not(feature = "webauthn-rs"))]
        "differential" => {}
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_has_seeds_that_it_accepts_without_panicking() {
        for target in TARGETS {
            let seeds = seeds(target);
            assert!(!seeds.is_empty(), "{target}");
            for seed in seeds {
                assert!(run_target(target, &seed));
            }
        }
    }

    #[test]
    fn every_target_runs_on_empty_and_garbage_input() {
        for target in TARGETS {
            assert!(run_target(target, b""));
            assert!(run_target(target, b"\xa1\x01\x02{\"type\":"));
        }
        assert!(!run_target("no-such-target", b""));
    }
}
