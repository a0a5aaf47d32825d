//! SN: the android-safetynet attestation statement format (§8.5), deprecated in L3.

use super::{accept, direct, format, leveled, noted, reject, stmt};
use crate::authenticator::attestation::safetynet;
use crate::authenticator::mutation::StatementFault;
use crate::authenticator::{AttestationFormat, Mutation};
use crate::checks::{Check, Level, Scenario, Section, SpecRef};

const SAFETYNET: SpecRef = SpecRef::clause(Section::AndroidSafetyNet, "verification");

pub(super) fn checks() -> Vec<Check> {
    vec![
        noted(
            leveled(
                accept(
                    "SN-01",
                    "a valid android-safetynet attestation",
                    SAFETYNET,
                    format(AttestationFormat::AndroidSafetyNet),
                ),
                Level::Should,
            ),
            "android-safetynet is deprecated in L3 §8.5; supporting a format is the RP's choice (§7.1 step 21)",
        ),
        noted(
            leveled(
                accept(
                    "SN-01.es256",
                    "a valid android-safetynet attestation whose JWS is signed ES256",
                    SAFETYNET,
                    Scenario::Register(direct(AttestationFormat::AndroidSafetyNet).and(
                        Mutation::Statement(StatementFault::AndroidSafetyNet(
                            safetynet::Fault::SignedEs256,
                        )),
                    )),
                ),
                Level::Should,
            ),
            "Google's service signs RS256 (SN-01); a JWS may use any algorithm of RFC 7518, and which ones an RP verifies is its choice",
        ),
        reject(
            "SN-02",
            "safetynet ver is empty",
            SAFETYNET,
            stmt(StatementFault::AndroidSafetyNet(safetynet::Fault::VerEmpty)),
        ),
        reject(
            "SN-03",
            "safetynet response is empty",
            SAFETYNET,
            stmt(StatementFault::AndroidSafetyNet(
                safetynet::Fault::ResponseEmpty,
            )),
        ),
        reject(
            "SN-04",
            "JWS nonce is not base64(SHA-256(authData ‖ clientDataHash))",
            SAFETYNET,
            stmt(StatementFault::AndroidSafetyNet(
                safetynet::Fault::NonceMismatch,
            )),
        ),
        reject(
            "SN-05",
            "JWS header x5c is empty",
            SAFETYNET,
            stmt(StatementFault::AndroidSafetyNet(safetynet::Fault::X5cEmpty)),
        ),
        noted(
            leveled(
                reject(
                    "SN-06",
                    "ctsProfileMatch is false",
                    SAFETYNET,
                    stmt(StatementFault::AndroidSafetyNet(
                        safetynet::Fault::CtsProfileFalse,
                    )),
                ),
                Level::Should,
            ),
            "Google's SafetyNet documentation (L3 §8.5 defers to it) and FIDO Resp-B F-5 to F-7",
        ),
        noted(
            leveled(
                reject(
                    "SN-07",
                    "timestampMs in the future",
                    SAFETYNET,
                    stmt(StatementFault::AndroidSafetyNet(
                        safetynet::Fault::TimestampFuture,
                    )),
                ),
                Level::Should,
            ),
            "Google's SafetyNet documentation (L3 §8.5 defers to it) and FIDO Resp-B F-5 to F-7",
        ),
        noted(
            leveled(
                reject(
                    "SN-08",
                    "timestampMs ten minutes old",
                    SAFETYNET,
                    stmt(StatementFault::AndroidSafetyNet(
                        safetynet::Fault::TimestampStale,
                    )),
                ),
                Level::Should,
            ),
            "Google's SafetyNet documentation (L3 §8.5 defers to it) and FIDO Resp-B F-5 to F-7",
        ),
        reject(
            "SN-09.sig",
            "JWS signature does not verify",
            SAFETYNET,
            stmt(StatementFault::AndroidSafetyNet(
                safetynet::Fault::JwsSigInvalid,
            )),
        ),
        reject(
            "SN-09.host",
            "JWS leaf certificate is not issued to attest.android.com",
            SAFETYNET,
            stmt(StatementFault::AndroidSafetyNet(
                safetynet::Fault::NotFromGoogleHost,
            )),
        ),
    ]
}
