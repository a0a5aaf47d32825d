//! AK: the android-key attestation statement format (§8.4).

use super::{accept, direct, direct_with, format, leveled, noted, reject, stmt};
use crate::authenticator::attestation::android_key;
use crate::authenticator::mutation::{AttestationMutation, StatementFault};
use crate::authenticator::{AttestationFormat, Mutation};
use crate::checks::{Check, Level, Scenario, Section, SpecRef};
use crate::codec::cose::CoseAlgorithm;

const ANDROID_KEY: SpecRef = SpecRef::clause(Section::AndroidKey, "verification");

pub(super) fn checks() -> Vec<Check> {
    vec![
        leveled(
            accept(
                "AK-01",
                "a valid android-key attestation",
                ANDROID_KEY,
                format(AttestationFormat::AndroidKey),
            ),
            Level::FidoMust,
        ),
        noted(
            leveled(
                accept(
                    "AK-01.no-root",
                    "a valid android-key attestation whose x5c stops below the trusted root",
                    ANDROID_KEY,
                    Scenario::Register(direct(AttestationFormat::AndroidKey).and(
                        Mutation::Statement(StatementFault::AndroidKey(
                            android_key::Fault::WithoutRoot,
                        )),
                    )),
                ),
                Level::Should,
            ),
            "Android Keystore sends the chain up to the root (AK-01); §8.4 asks only for a chain the RP can verify to a trust anchor it holds (§7.1 step 23), which this one is",
        ),
        noted(
            leveled(
                accept(
                    "AK-01.rs256",
                    "a valid android-key attestation of an RS256 credential",
                    ANDROID_KEY,
                    direct_with(AttestationFormat::AndroidKey, CoseAlgorithm::Rs256),
                ),
                Level::Should,
            ),
            "Android Keystore also makes RSA signing keys; L3 §8.4 ties alg to the credential key, not to ES256, and which algorithms an RP offers is its choice (pubKeyCredParams, §5.4)",
        ),
        reject(
            "AK-02",
            "attestationChallenge is not clientDataHash",
            ANDROID_KEY,
            stmt(StatementFault::AndroidKey(
                android_key::Fault::ChallengeMismatch,
            )),
        ),
        reject(
            "AK-03",
            "x5c[0] certifies another key than the credential's",
            ANDROID_KEY,
            stmt(StatementFault::AndroidKey(
                android_key::Fault::CertKeyMismatch,
            )),
        ),
        reject(
            "AK-04",
            "android-key x5c in the wrong order",
            ANDROID_KEY,
            stmt(StatementFault::AndroidKey(android_key::Fault::OutOfOrder)),
        ),
        reject(
            "AK-05",
            "android-key sig does not verify",
            ANDROID_KEY,
            stmt(StatementFault::AndroidKey(android_key::Fault::SigInvalid)),
        ),
        reject(
            "AK-06.tee",
            "allApplications in teeEnforced",
            ANDROID_KEY,
            stmt(StatementFault::AndroidKey(
                android_key::Fault::AllApplicationsTee,
            )),
        ),
        reject(
            "AK-06.software",
            "allApplications in softwareEnforced",
            ANDROID_KEY,
            stmt(StatementFault::AndroidKey(
                android_key::Fault::AllApplicationsSoftware,
            )),
        ),
        reject(
            "AK-07.origin",
            "key origin is not KM_ORIGIN_GENERATED",
            ANDROID_KEY,
            stmt(StatementFault::AndroidKey(
                android_key::Fault::OriginNotGenerated,
            )),
        ),
        reject(
            "AK-07.purpose",
            "key purpose is not KM_PURPOSE_SIGN",
            ANDROID_KEY,
            stmt(StatementFault::AndroidKey(
                android_key::Fault::PurposeNotSign,
            )),
        ),
        noted(
            reject(
                "AK-08",
                "android-key attStmt without sig",
                ANDROID_KEY,
                Scenario::Register(direct(AttestationFormat::AndroidKey).and(
                    Mutation::Attestation(AttestationMutation::StmtRemove { key: "sig".into() }),
                )),
            ),
            "§8.4 verification step 1: attStmt is valid CBOR conforming to the syntax (alg, sig, x5c)",
        ),
    ]
}
