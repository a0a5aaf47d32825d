//! Test-only switches that turn off one verification of the reference RP.
//!
//! A check exists only if it can fail: running the catalogue against the reference RP with each
//! switch on must make at least one check fail. Every check the reference RP performs has one.

use super::attestation::AttCheck;
use super::rule::Rule;

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
    // Fail-open integrations (docs/known-bugs.md #42, #44): an error of one stage is ignored and the
    // ceremony reported successful.
    /// Registration: a malformed JSON envelope is ignored.
    RegIgnoreEnvelopeErrors,
    /// §7.1 steps 5-6: unreadable clientDataJSON is ignored.
    RegIgnoreClientDataErrors,
    /// §7.1 step 13: a malformed attestation object or authenticator data is ignored.
    RegIgnoreAttestationObjectErrors,
    /// §6.5.1.1: a malformed credential public key is ignored.
    RegIgnoreCoseKeyErrors,
    /// §7.1 step 22: a malformed or failing attestation statement is ignored.
    RegIgnoreAttestationStatementErrors,
    /// Assertion: a malformed JSON envelope is ignored.
    AuthIgnoreEnvelopeErrors,
    /// §7.2 steps 8-9: unreadable clientDataJSON is ignored.
    AuthIgnoreClientDataErrors,
    /// §6.1: malformed authenticator data is ignored.
    AuthIgnoreAuthDataErrors,
    // Finer verification faults.
    /// §5.8.5 note: accept an EC point that is not on its curve.
    RegSkipPublicKeyValidation,
    /// §7.1 step 29: store the credential even when verification fails.
    RegStoreOnFailure,
    /// §7.1 step 15: require UP only when UV is clear (docs/known-bugs.md #4, #35).
    RegSkipUserPresentWhenVerified,
    /// §7.1 step 27: store signCount 0 instead of the authenticator's initial count.
    RegIgnoreInitialSignCount,
    /// §7.1 step 8: compare decoded challenge bytes, so padded or standard base64 passes.
    RegLenientChallengeEncoding,
    /// §7.2 step 6: an unknown credential ID opens a session anyway (docs/known-bugs.md #43).
    AuthTrustUnknownCredential,
    /// §7.2 step 6: in the discoverable flow, take the owner from the record when userHandle is
    /// missing.
    AuthAllowMissingUserHandle,
    /// §7.2 step 16: require UP only when UV is clear (docs/known-bugs.md #4, #35).
    AuthSkipUserPresentWhenVerified,
    /// §7.2 step 24: never store the new signCount (docs/known-bugs.md #26).
    AuthCounterNotStored,
    /// §7.2 step 24: store the signCount even when the assertion is rejected (docs/known-bugs.md #12).
    AuthCounterUpdatedOnFailure,
    /// §7.2 step 22: a counter back at 0 after a positive value passes (docs/known-bugs.md #11).
    AuthAcceptCounterReset,
    /// §7.2 step 11: compare decoded challenge bytes, so padded or standard base64 passes.
    AuthLenientChallengeEncoding,
    /// §13.5.9: accept any origin whose host ends with the RP ID, without a dot boundary
    /// (docs/known-bugs.md #2, #36).
    OriginSuffixMatch,
    /// §13.5.9: compare origins without their scheme.
    OriginIgnoreScheme,
    /// §13.5.9: compare origins without their port.
    OriginIgnorePort,
    /// §13.5.9: accept every subdomain of the RP ID.
    OriginAllowSubdomains,
    /// §13.5.3: a challenge is accepted from whichever session it was issued to (or none).
    ChallengeAnySession,
    /// §13.5.3: challenges never expire.
    ChallengeNeverExpires,
    /// §6.5.1.1: accept COSE keys with extra OPTIONAL parameters or out of canonical order.
    RegAllowNonCanonicalCoseKey,
    /// FIDO profile: accept a malformed tokenBinding.
    IgnoreTokenBinding,
    // Options the RP issues (W3C L3 §5.4 and §5.5; the OPT-C and OPT-G checks).
    /// Challenges of 8 bytes (§13.5.3: at least 16).
    OptShortChallenge,
    /// The same challenge every time.
    OptRepeatedChallenge,
    /// Challenges in padded base64url.
    OptPaddedChallenge,
    /// user.id of 65 bytes (§5.4.3: at most 64).
    OptLongUserId,
    /// rp.id and rpId that are not a registrable suffix of the origin's host.
    OptForeignRpId,
    /// displayName not echoed.
    OptDisplayNameNotEchoed,
    /// pubKeyCredParams without ES256 (-7).
    OptNoEs256,
    /// pubKeyCredParams without RS1 (-65535) in the fido profile.
    OptNoRs1,
    /// timeout 0.
    OptZeroTimeout,
    /// Requested extensions not echoed.
    OptDropExtensions,
    /// attestation preference ignored ("direct" always).
    OptIgnoreAttestationPreference,
    /// authenticatorSelection not echoed.
    OptDropAuthenticatorSelection,
    /// excludeCredentials always empty.
    OptNoExcludeCredentials,
    /// Creation options for a request without username.
    OptAcceptMissingUsername,
    /// Creation options for a request without displayName.
    OptAcceptMissingDisplayName,
    /// Failures with an empty errorMessage.
    OptEmptyErrorMessage,
    /// Options without `status` and `errorMessage`.
    OptMissingStatus,
    /// allowCredentials always empty, even for a known username.
    OptNoAllowCredentials,
    /// userVerification always "preferred".
    OptUserVerificationNotEchoed,
    /// Request options for a username nobody registered.
    OptAcceptUnknownUser,
    /// §6.5.5: accept an ECDSA signature sent as raw `r ‖ s` (WebCrypto/JOSE form).
    SigAcceptRawEcdsa,
    /// §6.5.5: parse ECDSA signatures as BER (trailing bytes, non-minimal integers).
    SigAcceptBerEcdsa,
    /// SEC 1 §4.1.4: skip the 1 <= r, s < n range check (CVE-2022-21449, psychic signatures).
    SigAcceptZeroEcdsa,
    /// §5.8.5: accept a signature over any SHA-2 digest, not the algorithm's own.
    SigAcceptAnyHash,
    /// RFC 8017 §8.2.2: accept RSA signatures of the wrong length or ASN.1 wrapped.
    SigAcceptLenientRsa,
    /// §6.1: read attested credential data whenever bytes follow the header, whatever AT says.
    RegIgnoreAttestedDataFlag,
    /// §7.1 steps 21-24 and §8: one attestation sub-check switched off (format by format).
    Attestation(AttCheck),
    /// One syntax rule of the parsers not enforced: an input that breaks only that rule is
    /// accepted, as a parser that forgot that one test would.
    Tolerate(Rule),
}

impl Mutant {
    /// Every switch: the ceremony switches in declaration order, then every attestation
    /// sub-check, then every syntax rule.
    pub fn all() -> Vec<Mutant> {
        let mut all = Self::CEREMONY.to_vec();
        all.extend(AttCheck::all().into_iter().map(Mutant::Attestation));
        all.extend(Rule::all().into_iter().map(Mutant::Tolerate));
        all
    }

    /// The switches outside attestation statement verification.
    const CEREMONY: [Mutant; 88] = [
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
        Mutant::RegIgnoreEnvelopeErrors,
        Mutant::RegIgnoreClientDataErrors,
        Mutant::RegIgnoreAttestationObjectErrors,
        Mutant::RegIgnoreCoseKeyErrors,
        Mutant::RegIgnoreAttestationStatementErrors,
        Mutant::AuthIgnoreEnvelopeErrors,
        Mutant::AuthIgnoreClientDataErrors,
        Mutant::AuthIgnoreAuthDataErrors,
        Mutant::RegSkipPublicKeyValidation,
        Mutant::RegStoreOnFailure,
        Mutant::RegSkipUserPresentWhenVerified,
        Mutant::RegIgnoreInitialSignCount,
        Mutant::RegLenientChallengeEncoding,
        Mutant::AuthTrustUnknownCredential,
        Mutant::AuthAllowMissingUserHandle,
        Mutant::AuthSkipUserPresentWhenVerified,
        Mutant::AuthCounterNotStored,
        Mutant::AuthCounterUpdatedOnFailure,
        Mutant::AuthAcceptCounterReset,
        Mutant::AuthLenientChallengeEncoding,
        Mutant::OriginSuffixMatch,
        Mutant::OriginIgnoreScheme,
        Mutant::OriginIgnorePort,
        Mutant::OriginAllowSubdomains,
        Mutant::ChallengeAnySession,
        Mutant::ChallengeNeverExpires,
        Mutant::RegAllowNonCanonicalCoseKey,
        Mutant::IgnoreTokenBinding,
        Mutant::OptShortChallenge,
        Mutant::OptRepeatedChallenge,
        Mutant::OptPaddedChallenge,
        Mutant::OptLongUserId,
        Mutant::OptForeignRpId,
        Mutant::OptDisplayNameNotEchoed,
        Mutant::OptNoEs256,
        Mutant::OptNoRs1,
        Mutant::OptZeroTimeout,
        Mutant::OptDropExtensions,
        Mutant::OptIgnoreAttestationPreference,
        Mutant::OptDropAuthenticatorSelection,
        Mutant::OptNoExcludeCredentials,
        Mutant::OptAcceptMissingUsername,
        Mutant::OptAcceptMissingDisplayName,
        Mutant::OptEmptyErrorMessage,
        Mutant::OptMissingStatus,
        Mutant::OptNoAllowCredentials,
        Mutant::OptUserVerificationNotEchoed,
        Mutant::OptAcceptUnknownUser,
        Mutant::SigAcceptRawEcdsa,
        Mutant::SigAcceptBerEcdsa,
        Mutant::SigAcceptZeroEcdsa,
        Mutant::SigAcceptAnyHash,
        Mutant::SigAcceptLenientRsa,
        Mutant::RegIgnoreAttestedDataFlag,
    ];

    /// The L3 step (or FIDO rule) whose verification the switch removes.
    pub fn step(self) -> &'static str {
        use Mutant as M;
        match self {
            M::RegSkipCredentialType => "§7.1 step 3 (§5.1 type)",
            M::RegSkipIdConsistency => "§7.1 step 27 (§5.1 id, rawId)",
            M::RegSkipClientDataType => "§7.1 step 7",
            M::RegSkipChallenge | M::RegLenientChallengeEncoding => "§7.1 step 8",
            M::RegSkipOrigin => "§7.1 step 9",
            M::RegSkipCrossOrigin => "§7.1 step 10",
            M::RegSkipTopOrigin => "§7.1 step 11",
            M::RegAllowTrailingAuthData | M::RegIgnoreAttestedDataFlag => "§7.1 step 13 (§6.1)",
            M::RegSkipRpIdHash => "§7.1 step 14",
            M::RegSkipUserPresent | M::RegSkipUserPresentWhenVerified => "§7.1 step 15",
            M::RegSkipUserVerified => "§7.1 step 16",
            M::RegSkipBackupFlags => "§7.1 step 17",
            M::RegSkipAlgorithm => "§7.1 step 20",
            M::RegSkipPublicKeyValidation | M::RegAllowNonCanonicalCoseKey => {
                "§7.1 step 20 (§6.5.1.1, §5.8.5)"
            }
            M::RegSkipCredentialIdLength => "§7.1 step 25",
            M::RegSkipDuplicateCredential => "§7.1 step 26",
            M::RegIgnoreInitialSignCount => "§7.1 step 27 (signCount)",
            M::RegStoreOnFailure => "§7.1 step 29",
            M::KeepChallengeAfterUse | M::ChallengeAnySession | M::ChallengeNeverExpires => {
                "§13.5.3"
            }
            M::AuthSkipCredentialType => "§7.2 step 3 (§5.1 type)",
            M::AuthSkipIdConsistency => "§7.2 step 6 (§5.1 id, rawId)",
            M::AuthSkipAllowCredentials => "§7.2 step 5",
            M::AuthSkipUserHandle
            | M::AuthTrustUnknownCredential
            | M::AuthAllowMissingUserHandle => "§7.2 step 6",
            M::AuthSkipClientDataType => "§7.2 step 10",
            M::AuthSkipChallenge | M::AuthLenientChallengeEncoding => "§7.2 step 11",
            M::AuthSkipOrigin => "§7.2 step 12",
            M::AuthSkipCrossOrigin => "§7.2 step 13",
            M::AuthSkipTopOrigin => "§7.2 step 14",
            M::AuthAllowTrailingAuthData | M::AuthAllowAttestedData => {
                "§6.1 (authData read for §7.2)"
            }
            M::AuthSkipRpIdHash => "§7.2 step 15",
            M::AuthSkipUserPresent | M::AuthSkipUserPresentWhenVerified => "§7.2 step 16",
            M::AuthSkipUserVerified => "§7.2 step 17",
            M::AuthSkipBackupFlags => "§7.2 step 18",
            M::AuthSkipBackupEligibility => "§7.2 step 19",
            M::AuthSkipSignature => "§7.2 step 21",
            M::AuthSkipSignCount | M::AuthAcceptCounterReset => "§7.2 step 22",
            M::AuthCounterNotStored | M::AuthCounterUpdatedOnFailure => "§7.2 step 24",
            M::RegIgnoreEnvelopeErrors => "§7.1 steps 2-3 (every envelope rule)",
            M::RegIgnoreClientDataErrors => "§7.1 steps 5-6 (every clientDataJSON rule)",
            M::RegIgnoreAttestationObjectErrors => "§7.1 step 13 (every attestationObject rule)",
            M::RegIgnoreCoseKeyErrors => "§6.5.1.1 (every COSE_Key rule)",
            M::RegIgnoreAttestationStatementErrors => "§7.1 step 22 (every statement rule)",
            M::AuthIgnoreEnvelopeErrors => "§7.2 steps 2-3 (every envelope rule)",
            M::AuthIgnoreClientDataErrors => "§7.2 steps 8-9 (every clientDataJSON rule)",
            M::AuthIgnoreAuthDataErrors => "§6.1 (every authenticator data rule)",
            M::OriginSuffixMatch
            | M::OriginIgnoreScheme
            | M::OriginIgnorePort
            | M::OriginAllowSubdomains => "§13.5.9 (§7.1 step 9, §7.2 step 12)",
            M::IgnoreTokenBinding => "§5.8.1 tokenBinding (FIDO profile)",
            M::OptShortChallenge | M::OptRepeatedChallenge => "§13.5.3",
            M::OptPaddedChallenge => "§5.4 challenge (§2.1 base64url)",
            M::OptLongUserId => "§5.4.3 user.id",
            M::OptForeignRpId => "§5.4.2 rp.id / §5.5 rpId",
            M::OptNoEs256 => "§5.4 pubKeyCredParams",
            M::OptNoRs1 => "FIDO conformance: pubKeyCredParams",
            M::OptDisplayNameNotEchoed
            | M::OptZeroTimeout
            | M::OptDropExtensions
            | M::OptIgnoreAttestationPreference
            | M::OptDropAuthenticatorSelection
            | M::OptNoExcludeCredentials
            | M::OptAcceptMissingUsername
            | M::OptAcceptMissingDisplayName
            | M::OptEmptyErrorMessage
            | M::OptMissingStatus
            | M::OptNoAllowCredentials
            | M::OptUserVerificationNotEchoed
            | M::OptAcceptUnknownUser => "FIDO conformance: server options",
            M::SigAcceptRawEcdsa | M::SigAcceptBerEcdsa => "§6.5.5",
            M::SigAcceptAnyHash => "§5.8.5 (the hash fixed by alg)",
            M::SigAcceptZeroEcdsa => "§6.5.5 (SEC 1 §4.1.4)",
            M::SigAcceptLenientRsa => "§6.5.5 (RFC 8017 §8.2.2)",
            M::Attestation(check) => check.step(),
            M::Tolerate(rule) => rule.step(),
        }
    }

    /// Whether the switch ignores every error of a whole stage (a fail-open integration,
    /// docs/known-bugs.md #42 and #44) rather than one verification. A negative check caught only by
    /// these shows it can fail, not that it tests its own step.
    pub fn is_fail_open(self) -> bool {
        matches!(
            self,
            Mutant::RegIgnoreEnvelopeErrors
                | Mutant::RegIgnoreClientDataErrors
                | Mutant::RegIgnoreAttestationObjectErrors
                | Mutant::RegIgnoreCoseKeyErrors
                | Mutant::RegIgnoreAttestationStatementErrors
                | Mutant::AuthIgnoreEnvelopeErrors
                | Mutant::AuthIgnoreClientDataErrors
                | Mutant::AuthIgnoreAuthDataErrors
        )
    }

    /// The switch's name, in snake case (`reg_skip_origin`).
    pub fn name(self) -> String {
        if let Mutant::Attestation(check) = self {
            // `tpm.cert-info-magic` -> `att_tpm_cert_info_magic`
            return format!("att_{}", check.name().replace(['.', '-'], "_"));
        }
        if let Mutant::Tolerate(rule) = self {
            // `envelope.response.clientDataJSON.present` -> `tolerate_envelope_response_client_data_json_present`
            return format!("tolerate_{}", snake(&rule.name().replace(['.', '-'], "_")));
        }
        snake(&format!("{self:?}"))
    }

    /// Looks a switch up by its name.
    pub fn from_name(name: &str) -> Option<Mutant> {
        Mutant::all().into_iter().find(|m| m.name() == name)
    }
}

/// `RegSkipOrigin` -> `reg_skip_origin`; `clientDataJSON` -> `client_data_json`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    let mut previous_upper = true;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !previous_upper && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_upper = true;
        } else {
            out.push(c);
            previous_upper = false;
        }
    }
    out
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
        let all = Mutant::all();
        let mut names: Vec<String> = all.iter().map(|m| m.name()).collect();
        for m in all.iter().copied() {
            assert_eq!(Mutant::from_name(&m.name()), Some(m));
        }
        assert_eq!(Mutant::RegSkipOrigin.name(), "reg_skip_origin");
        assert_eq!(
            Mutant::Attestation(AttCheck::KnownFormat).name(),
            "att_fmt_known_format"
        );
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }
}
