//! Fuzz entry points: the [`Target`]s, named as the cargo-fuzz targets in `fuzz/` (one-line
//! calls to [`Target::run`]) and the corpus folders; the regression test replays every saved
//! crash input through them.
//!
//! Each target takes untrusted bytes, must never panic on its own account, and panics only
//! when an invariant breaks (that is the fuzzer's signal): a parser that accepts bytes must give
//! them back unchanged when re-encoded (or re-parse to the same value), and the reference RP must
//! never accept an assertion whose signed bytes were changed (W3C L3 §7.2 step 22), nor a
//! registration whose rpIdHash was changed (§7.1 step 15).
//!
//! One job per file: the parser round trips (`parsers`), the structured ceremony target
//! (`ceremony`), the reference RP against webauthn-rs (`differential`), the seed inputs
//! (`seeds`), and the RP and virtual client the last three drive (`rig`).

mod ceremony;
mod differential;
mod parsers;
mod rig;
mod seeds;

use std::fmt;
use std::str::FromStr;

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

/// A fuzz target, for `cargo xtask fuzz`, the cargo-fuzz binaries and the regression test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Strict CBOR round trip ([`fuzz_cbor`]).
    Cbor,
    /// Attestation object round trip ([`fuzz_attestation_object`]).
    AttestationObject,
    /// Authenticator data round trip ([`fuzz_auth_data`]).
    AuthData,
    /// COSE key round trip ([`fuzz_cose_key`]).
    CoseKey,
    /// clientDataJSON round trip ([`fuzz_client_data`]).
    ClientData,
    /// RegistrationResponseJSON round trip ([`fuzz_registration_json`]).
    RegistrationJson,
    /// AuthenticationResponseJSON round trip ([`fuzz_authentication_json`]).
    AuthenticationJson,
    /// A [`CeremonyCase`] against the reference RP ([`fuzz_ceremony`]).
    Ceremony,
    /// A [`CeremonyCase`] against the reference RP and webauthn-rs; needs the `webauthn-rs`
    /// feature, without which it does nothing.
    Differential,
}

impl Target {
    /// Every target, in the order `cargo xtask fuzz all` runs them.
    pub const ALL: [Target; 9] = [
        Target::Cbor,
        Target::AttestationObject,
        Target::AuthData,
        Target::CoseKey,
        Target::ClientData,
        Target::RegistrationJson,
        Target::AuthenticationJson,
        Target::Ceremony,
        Target::Differential,
    ];

    /// The cargo-fuzz target's name, which also names its folders under `fuzz/corpus/`,
    /// `fuzz/artifacts/` and `fuzz/regressions/`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Cbor => "cbor",
            Target::AttestationObject => "attestation_object",
            Target::AuthData => "auth_data",
            Target::CoseKey => "cose_key",
            Target::ClientData => "client_data",
            Target::RegistrationJson => "registration_json",
            Target::AuthenticationJson => "authentication_json",
            Target::Ceremony => "ceremony",
            Target::Differential => "differential",
        }
    }

    /// Runs the target on `data`: returns when every invariant holds, panics when one breaks.
    pub fn run(self, data: &[u8]) {
        match self {
            Target::Cbor => fuzz_cbor(data),
            Target::AttestationObject => fuzz_attestation_object(data),
            Target::AuthData => fuzz_auth_data(data),
            Target::CoseKey => fuzz_cose_key(data),
            Target::ClientData => fuzz_client_data(data),
            Target::RegistrationJson => fuzz_registration_json(data),
            Target::AuthenticationJson => fuzz_authentication_json(data),
            Target::Ceremony => {
                use arbitrary::Arbitrary;
                if let Ok(case) = CeremonyCase::arbitrary(&mut arbitrary::Unstructured::new(data)) {
                    fuzz_ceremony(&case);
                }
            }
            Target::Differential => {
                #[cfg(feature = "webauthn-rs")]
                fuzz_differential(data);
            }
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no [`Target`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTarget {
    /// The name asked for.
    pub name: String,
}

impl fmt::Display for UnknownTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown fuzz target {:?}; the targets are", self.name)?;
        for (i, target) in Target::ALL.iter().enumerate() {
            let sep = if i == 0 { " " } else { ", " };
            write!(f, "{sep}{target}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownTarget {}

impl FromStr for Target {
    type Err = UnknownTarget;

    /// The target [`Target::name`] names.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .into_iter()
            .find(|target| target.name() == name)
            .ok_or_else(|| UnknownTarget {
                name: name.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_parses_from_its_name() {
        for target in Target::ALL {
            assert_eq!(target.name().parse::<Target>(), Ok(target));
            assert_eq!(target.to_string(), target.name());
        }
        assert_eq!(
            "no-such-target"
                .parse::<Target>()
                .map_err(|e| e.to_string()),
            Err(
                "unknown fuzz target \"no-such-target\"; the targets are cbor, \
                 attestation_object, auth_data, cose_key, client_data, registration_json, \
                 authentication_json, ceremony, differential"
                    .to_owned()
            )
        );
    }

    #[test]
    fn every_target_has_seeds_that_it_accepts_without_panicking() {
        for target in Target::ALL {
            let seeds = seeds(target);
            assert!(!seeds.is_empty(), "{target}");
            for seed in seeds {
                target.run(&seed);
            }
        }
    }

    #[test]
    fn every_target_runs_on_empty_and_garbage_input() {
        for target in Target::ALL {
            target.run(b"");
            target.run(b"\xa1\x01\x02{\"type\":");
        }
    }
}
