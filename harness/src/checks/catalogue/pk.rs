//! PK: the packed attestation statement format (§8.2), full and self, and its certificate
//! requirements (§8.2.1).

use super::{
    TRUST, accept, format, leveled, noted, per_profile, reject, self_packed, stmt, strict_only,
};
use crate::authenticator::attestation::packed;
use crate::authenticator::mutation::{AttestationMutation, SignatureMutation, StatementFault};
use crate::authenticator::{AttestationFormat, Mutation};
use crate::checks::{Check, Expect, Level, Section, SpecRef};
use crate::codec::cbor::Value;

const PACKED: SpecRef = SpecRef::clause(Section::Packed, "verification");
const PACKED_CERT: SpecRef = SpecRef::clause(Section::PackedCertificate, "§8.2.1");
const SELF: SpecRef = SpecRef::clause(Section::Packed, "self");

pub(super) fn checks() -> Vec<Check> {
    vec![
        leveled(
            accept(
                "PK-01",
                "full packed attestation chaining to the trusted root",
                PACKED,
                format(AttestationFormat::Packed),
            ),
            Level::FidoMust,
        ),
        reject(
            "PK-02",
            "packed attStmt is an empty map",
            SpecRef::registration(22),
            self_packed(Mutation::Attestation(AttestationMutation::StmtReplace(
                Value::Map(Vec::new()),
            ))),
        ),
        reject(
            "PK-03.missing",
            "packed alg missing",
            SpecRef::registration(22),
            self_packed(Mutation::Attestation(AttestationMutation::StmtRemove {
                key: "alg".into(),
            })),
        ),
        reject(
            "PK-03.not-number",
            "packed alg not a number",
            SpecRef::registration(22),
            self_packed(Mutation::Attestation(AttestationMutation::StmtSet {
                key: "alg".into(),
                value: Value::Text("ES256".into()),
            })),
        ),
        reject(
            "PK-05.missing",
            "packed sig missing",
            SpecRef::registration(22),
            self_packed(Mutation::Attestation(AttestationMutation::StmtRemove {
                key: "sig".into(),
            })),
        ),
        reject(
            "PK-05.not-bytes",
            "packed sig not a byte string",
            SpecRef::registration(22),
            self_packed(Mutation::Attestation(AttestationMutation::StmtSet {
                key: "sig".into(),
                value: Value::Text("sig".into()),
            })),
        ),
        reject(
            "PK-05.empty",
            "packed sig empty",
            SpecRef::registration(22),
            self_packed(Mutation::Attestation(AttestationMutation::StmtSet {
                key: "sig".into(),
                value: Value::Bytes(Vec::new()),
            })),
        ),
        reject(
            "PK-06",
            "full packed sig does not verify with x5c[0]",
            PACKED,
            stmt(StatementFault::Packed(packed::Fault::SigInvalid)),
        ),
        reject(
            "PK-07.not-array",
            "packed x5c is a byte string, not an array",
            PACKED,
            stmt(StatementFault::Packed(packed::Fault::X5cNotArray)),
        ),
        reject(
            "PK-07.empty",
            "packed x5c is an empty array",
            PACKED,
            stmt(StatementFault::Packed(packed::Fault::X5cEmpty)),
        ),
        reject(
            "PK-08",
            "full packed with x5c removed (sig by the attestation key)",
            PACKED,
            stmt(StatementFault::Packed(packed::Fault::X5cRemoved)),
        ),
        noted(
            leveled(
                reject(
                    "PK-09.expired",
                    "attestation certificate expired",
                    TRUST,
                    stmt(StatementFault::Packed(packed::Fault::LeafExpired)),
                ),
                Level::Should,
            ),
            "§7.1 step 24: an attestation that verified but is not trustworthy SHOULD fail the ceremony",
        ),
        noted(
            leveled(
                reject(
                    "PK-09.not-yet-valid",
                    "attestation certificate not yet valid",
                    TRUST,
                    stmt(StatementFault::Packed(packed::Fault::LeafNotYetValid)),
                ),
                Level::Should,
            ),
            "§7.1 step 24: an attestation that verified but is not trustworthy SHOULD fail the ceremony",
        ),
        noted(
            leveled(
                reject(
                    "PK-11",
                    "chain to a root the RP does not trust",
                    TRUST,
                    stmt(StatementFault::Packed(packed::Fault::UntrustedRoot)),
                ),
                Level::Should,
            ),
            "L3 §7.1 step 24: an untrustworthy attestation SHOULD fail the ceremony (or MAY be treated as no attestation); FIDO Resp-5 F-9 expects a failure",
        ),
        // Not in the fido profile: there FIDO Resp-5 F-10 refuses any root in x5c (PK-12),
        // so two rules refuse this statement and no RP missing one could be caught.
        noted(
            leveled(
                strict_only(reject(
                    "PK-11.root-in-x5c",
                    "chain to an untrusted root that x5c carries as if it were an anchor",
                    TRUST,
                    stmt(StatementFault::Packed(packed::Fault::UntrustedRootInX5c)),
                )),
                Level::Should,
            ),
            "docs/known-bugs.md #9 (SimpleWebAuthn 13.3.2, GHSA-6hxq-p678-4hr2): a self-signed root inside x5c was trusted instead of the RP's anchors; SHOULD like PK-11, since an RP may register an untrustworthy attestation as no attestation (§7.1 step 24)",
        ),
        noted(
            leveled(
                reject(
                    "PK-11.broken-link",
                    "attestation certificate names the intermediate as issuer, but another key signed it",
                    TRUST,
                    stmt(StatementFault::Packed(packed::Fault::LeafForged)),
                ),
                Level::FidoMust,
            ),
            "FIDO Resp-5 F-9 requires the rejection; L3 §7.1 step 24 makes it a SHOULD; RFC 5280 §6.1.3 (a): each certificate's signature verifies with its issuer's key, so a chain whose upper part is trusted proves nothing about the leaf",
        ),
        noted(
            leveled(
                reject(
                    "PK-11.issuer-not-ca",
                    "intermediate with basicConstraints CA=false signs the attestation certificate",
                    TRUST,
                    stmt(StatementFault::Packed(packed::Fault::IntermediateNotCa)),
                ),
                Level::Should,
            ),
            "§7.1 step 24 (SHOULD); RFC 5280 §6.1.4 (k): a certificate that is not a CA cannot issue; otherwise any attestation leaf could mint more leaves",
        ),
        noted(
            leveled(
                per_profile(
                    accept(
                        "PK-12",
                        "x5c carries the whole chain including the trusted root",
                        TRUST,
                        stmt(StatementFault::Packed(packed::Fault::ChainIncludesRoot)),
                    ),
                    Expect::Accept,
                    Expect::Reject,
                ),
                Level::FidoMust,
            ),
            "L3 §7.1 step 24 lets the trust path chain to an acceptable root or be that root; FIDO Resp-5 F-10 rejects a full chain",
        ),
        reject(
            "PK-13",
            "x5c in the wrong order ([intermediate, leaf])",
            PACKED,
            stmt(StatementFault::Packed(packed::Fault::ChainOutOfOrder)),
        ),
        noted(
            leveled(
                reject(
                    "PK-14",
                    "intermediate certificate expired",
                    TRUST,
                    stmt(StatementFault::Packed(packed::Fault::IntermediateExpired)),
                ),
                Level::Should,
            ),
            "§7.1 step 24: an attestation that verified but is not trustworthy SHOULD fail the ceremony",
        ),
        reject(
            "PK-15",
            "full packed sig made with the credential key",
            PACKED,
            stmt(StatementFault::Packed(
                packed::Fault::SignedWithCredentialKey,
            )),
        ),
        reject(
            "PK-16.ca",
            "attestation certificate with CA=true",
            PACKED_CERT,
            stmt(StatementFault::Packed(packed::Fault::LeafIsCa)),
        ),
        reject(
            "PK-16.version",
            "attestation certificate of version 1",
            PACKED_CERT,
            stmt(StatementFault::Packed(packed::Fault::LeafVersion1)),
        ),
        reject(
            "PK-16.ou",
            "attestation certificate OU is not \"Authenticator Attestation\"",
            PACKED_CERT,
            stmt(StatementFault::Packed(packed::Fault::LeafWrongOu)),
        ),
        reject(
            "PK-17",
            "AAGUID extension differs from authData's AAGUID",
            PACKED,
            stmt(StatementFault::Packed(packed::Fault::AaguidMismatch)),
        ),
        reject(
            "PK-18",
            "AAGUID extension marked critical",
            PACKED_CERT,
            stmt(StatementFault::Packed(packed::Fault::AaguidCritical)),
        ),
        noted(
            leveled(
                accept(
                    "PK-19",
                    "self packed attestation (alg and sig by the credential key)",
                    PACKED,
                    format(AttestationFormat::PackedSelf),
                ),
                Level::FidoMust,
            ),
            "FIDO Resp-6 P-1; vector packed-self.ES256",
        ),
        reject(
            "PK-20",
            "self attestation sig does not verify",
            SELF,
            self_packed(Mutation::Signature(SignatureMutation::FlipLastBit)),
        ),
        reject(
            "PK-21",
            "self attestation alg differs from the credential key's alg",
            SELF,
            self_packed(Mutation::Attestation(AttestationMutation::StmtSet {
                key: "alg".into(),
                value: Value::Integer((-35).into()),
            })),
        ),
        reject(
            "PK-22",
            "self-signed packed sig sent with an attestation x5c",
            PACKED,
            stmt(StatementFault::Packed(packed::Fault::SelfWithX5c)),
        ),
    ]
}
