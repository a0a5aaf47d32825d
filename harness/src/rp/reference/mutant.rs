//! Test-only switches that turn off one verification of the reference RP.
//!
//! A check exists only if it can fail: running the catalogue against the reference RP with each
//! switch on must make at least one check fail. Every check the reference RP performs has one.

/// One verification turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mutant {
    /// Registration: accept a `type` other than "public-key".
    RegSkipCredentialType,
    /// Registration: do not compare `id` with `rawId` and the credential ID.
    RegSkipIdConsistency,
    /// §7.1 step 7: accept any C.type.
    RegSkipClientDataType,
    /// §7.1 step 8: accept any challenge.
    RegSkipChallenge,
    /// §7.1 step 9: accept any origin.
    RegSkipOrigin,
    /// §7.1 step 10: accept crossOrigin true.
    RegSkipCrossOrigin,
    /// §7.1 step 11: accept any topOrigin.
    RegSkipTopOrigin,
    /// §6.1/§7.1 step 13: accept leftover bytes after authenticator data.
    RegAllowTrailingAuthData,
    /// §7.1 step 14: accept any rpIdHash.
    RegSkipRpIdHash,
    /// §7.1 step 15: accept UP clear.
    RegSkipUserPresent,
    /// §7.1 step 16: accept UV clear when UV is required.
    RegSkipUserVerified,
    /// §7.1 step 17: accept BS without BE.
    RegSkipBackupFlags,
    /// §7.1 step 20: accept an algorithm that was not offered.
    RegSkipAlgorithm,
    /// §7.1 step 21: treat an unknown fmt as "none".
    RegAcceptUnknownFormat,
    /// §7.1 step 22 / §8.7: accept a non-empty attStmt with fmt "none".
    RegSkipNoneStatementEmpty,
    /// §7.1 step 22 / §8.2: do not verify the packed signature.
    RegSkipPackedSignature,
    /// §7.1 step 25: accept credential IDs longer than 1023 bytes.
    RegSkipCredentialIdLength,
    /// §7.1 step 26: accept an already registered credential ID.
    RegSkipDuplicateCredential,
    /// §13.5.3: keep the challenge after the ceremony, so it can be replayed.
    KeepChallengeAfterUse,
    /// Assertion: accept a `type` other than "public-key".
    AuthSkipCredentialType,
    /// Assertion: do not compare `id` with `rawId`.
    AuthSkipIdConsistency,
    /// §7.2 step 5: ignore allowCredentials.
    AuthSkipAllowCredentials,
    /// §7.2 step 6: ignore a userHandle that does not match.
    AuthSkipUserHandle,
    /// §7.2 step 10: accept any C.type.
    AuthSkipClientDataType,
    /// §7.2 step 11: accept any challenge.
    AuthSkipChallenge,
    /// §7.2 step 12: accept any origin.
    AuthSkipOrigin,
    /// §7.2 step 13: accept crossOrigin true.
    AuthSkipCrossOrigin,
    /// §7.2 step 14: accept any topOrigin.
    AuthSkipTopOrigin,
    /// §6.1: accept leftover bytes after authenticator data.
    AuthAllowTrailingAuthData,
    /// §6.1: accept AT in an assertion.
    AuthAllowAttestedData,
    /// §7.2 step 15: accept any rpIdHash.
    AuthSkipRpIdHash,
    /// §7.2 step 16: accept UP clear.
    AuthSkipUserPresent,
    /// §7.2 step 17: accept UV clear when UV is required.
    AuthSkipUserVerified,
    /// §7.2 step 18: accept BS without BE.
    AuthSkipBackupFlags,
    /// §7.2 step 19: accept BE differing from the stored value.
    AuthSkipBackupEligibility,
    /// §7.2 step 21: do not verify the signature.
    AuthSkipSignature,
    /// §7.2 step 22: accept a counter that did not increase.
    AuthSkipSignCount,
}

impl Mutant {
    /// Every switch, in declaration order.
    pub const ALL: [Mutant; 37] = [
        Mutant::RegSkipCredentialType,
        Mutant::RegSkipIdConsistency,
        Mutant::RegSkipClientDataType,
        Mutant::RegSkipChallenge,
        Mutant::RegSkipOrigin,
        Mutant::RegSkipCrossOrigin,
        Mutant::RegSkipTopOrigin,
        Mutant::RegAllowTrailingAuthData,
        Mutant::RegSkipRpIdHash,
        Mutant::RegSkipUserPresent,
        Mutant::RegSkipUserVerified,
        Mutant::RegSkipBackupFlags,
        Mutant::RegSkipAlgorithm,
        Mutant::RegAcceptUnknownFormat,
        Mutant::RegSkipNoneStatementEmpty,
        Mutant::RegSkipPackedSignature,
        Mutant::RegSkipCredentialIdLength,
        Mutant::RegSkipDuplicateCredential,
        Mutant::KeepChallengeAfterUse,
        Mutant::AuthSkipCredentialType,
        Mutant::AuthSkipIdConsistency,
        Mutant::AuthSkipAllowCredentials,
        Mutant::AuthSkipUserHandle,
        Mutant::AuthSkipClientDataType,
        Mutant::AuthSkipChallenge,
        Mutant::AuthSkipOrigin,
        Mutant::AuthSkipCrossOrigin,
        Mutant::AuthSkipTopOrigin,
        Mutant::AuthAllowTrailingAuthData,
        Mutant::AuthAllowAttestedData,
        Mutant::AuthSkipRpIdHash,
        Mutant::AuthSkipUserPresent,
        Mutant::AuthSkipUserVerified,
        Mutant::AuthSkipBackupFlags,
        Mutant::AuthSkipBackupEligibility,
        Mutant::AuthSkipSignature,
        Mutant::AuthSkipSignCount,
    ];

    /// The switch's name, in snake case (`reg_skip_origin`).
    pub fn name(self) -> String {
        let debug = format!("{self:?}");
        let mut out = String::new();
        for (i, c) in debug.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Looks a switch up by its name.
    pub fn from_name(name: &str) -> Option<Mutant> {
        Mutant::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Which verification, if any, is switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Switches(pub Option<Mutant>);

impl Switches {
    /// Whether the verification `mutant` would switch off is performed.
    pub fn checks(self, mutant: Mutant) -> bool {
        self.0 != Some(mutant)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut names: Vec<String> = Mutant::ALL.iter().map(|m| m.name()).collect();
        for m in Mutant::ALL {
            assert_eq!(Mutant::from_name(&m.name()), Some(m));
        }
        assert_eq!(Mutant::RegSkipOrigin.name(), "reg_skip_origin");
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Mutant::ALL.len());
    }
}
