//! ALG: every COSE algorithm the virtual authenticator implements, registered with self
//! attestation (§5.8.5); then signatures in the wrong encoding or over the wrong hash, which W3C
//! L3 §6.5.5 rules out.

use super::{accept, assertion, credential, fido_only, noted, reject};
use crate::authenticator::Mutation;
use crate::authenticator::mutation::SignatureMutation;
use crate::checks::{Check, Expect, Scenario, Section, SpecRef};
use crate::codec::cose::CoseAlgorithm;
use crate::crypto;

/// §8.2 self attestation: the credential key signs authData ‖ clientDataHash with its own alg.
const SELF_ATTESTATION: SpecRef = SpecRef::clause(Section::Packed, "self");

/// §6.5.5: ECDSA signatures are ASN.1 DER; RSA signatures the raw modulus-length octet string.
const SIGNATURE_ENCODING: SpecRef = SpecRef::clause(Section::SignatureFormats, "signature formats");

/// §5.8.5: the algorithm fixes the curve and the hash.
const ALGORITHM: SpecRef = SpecRef::clause(Section::AlgorithmIdentifier, "hash fixed by alg");

const NON_CANONICAL_DER: &str = "docs/known-bugs.md #15 (go-webauthn, 2026): ECDSA signatures were not required to be canonical DER; https://github.com/go-webauthn/webauthn/commit/99bbbdbc06bd727a4c1fce1e5b3051a3ce0b263e";
const PSYCHIC: &str = "docs/known-bugs.md #22: CVE-2022-21449 \"psychic signatures\", affected JVMs accepted r = s = 0 for every key and message";

pub(super) fn checks() -> Vec<Check> {
    use CoseAlgorithm as A;
    let register = |id, title, alg| {
        accept(
            id,
            title,
            SELF_ATTESTATION,
            Scenario::Register(credential(alg)),
        )
    };
    let mut c = vec![
        register("ALG-01", "ES256 (-7) self attestation", A::Es256),
        register("ALG-02", "RS256 (-257) self attestation", A::Rs256),
        fido_only(
            register("ALG-03", "RS1 (-65535) self attestation", A::Rs1),
            Expect::Accept,
        ),
        register("ALG-04", "EdDSA (-8, Ed25519) self attestation", A::EdDsa),
        register("ALG-05.es384", "ES384 (-35) self attestation", A::Es384),
        register("ALG-05.es512", "ES512 (-36) self attestation", A::Es512),
        register("ALG-06.ps256", "PS256 (-37) self attestation", A::Ps256),
        register("ALG-06.ps384", "PS384 (-38) self attestation", A::Ps384),
        register("ALG-06.ps512", "PS512 (-39) self attestation", A::Ps512),
        register("ALG-07.rs384", "RS384 (-258) self attestation", A::Rs384),
        register("ALG-07.rs512", "RS512 (-259) self attestation", A::Rs512),
    ];

    // ALG-10: ECDSA signatures that are not DER Ecdsa-Sig-Value.
    let ecdsa = |id, title, alg, fault, notes| {
        noted(
            reject(id, title, SIGNATURE_ENCODING, assertion(alg, Some(fault))),
            notes,
        )
    };
    c.extend([
        ecdsa(
            "ALG-10.raw",
            "ES256 assertion signature as raw r ‖ s (64 bytes), not DER",
            A::Es256,
            SignatureMutation::RawEcdsa,
            "",
        ),
        ecdsa(
            "ALG-10.raw-es384",
            "ES384 assertion signature as raw r ‖ s (96 bytes), not DER",
            A::Es384,
            SignatureMutation::RawEcdsa,
            "",
        ),
        reject(
            "ALG-10.raw-packed",
            "ES256 self attestation sig as raw r ‖ s, not DER",
            SIGNATURE_ENCODING,
            Scenario::Register(
                credential(A::Es256).and(Mutation::Signature(SignatureMutation::RawEcdsa)),
            ),
        ),
        ecdsa(
            "ALG-10.trailing",
            "ES256 DER signature with a trailing byte",
            A::Es256,
            SignatureMutation::DerTrailingByte,
            NON_CANONICAL_DER,
        ),
        ecdsa(
            "ALG-10.non-minimal",
            "ES256 signature whose r has a redundant leading zero (BER, not DER)",
            A::Es256,
            SignatureMutation::DerNonMinimalInteger,
            NON_CANONICAL_DER,
        ),
        ecdsa(
            "ALG-10.zero",
            "ES256 signature with r = s = 0",
            A::Es256,
            SignatureMutation::Replace(crypto::ecdsa_zero_signature()),
            PSYCHIC,
        ),
    ]);

    // ALG-11: RSA signatures are exactly k octets, with no ASN.1 around them.
    c.extend([
        reject(
            "ALG-11.length",
            "RS256 signature one octet longer than the modulus",
            SIGNATURE_ENCODING,
            assertion(A::Rs256, Some(SignatureMutation::RsaWrongLength)),
        ),
        reject(
            "ALG-11.der-wrapped",
            "RS256 signature wrapped in SEQUENCE { OCTET STRING }",
            SIGNATURE_ENCODING,
            assertion(A::Rs256, Some(SignatureMutation::RsaDerWrapped)),
        ),
    ]);

    // ALG-12: the right key, the wrong hash.
    for (id, title, alg) in [
        (
            "ALG-12.es256",
            "ES256 key signing the SHA-384 digest",
            A::Es256,
        ),
        (
            "ALG-12.es384",
            "ES384 key signing the SHA-256 digest",
            A::Es384,
        ),
        (
            "ALG-12.rs256",
            "RS256 key signing another SHA-2 digest",
            A::Rs256,
        ),
        (
            "ALG-12.ps256",
            "PS256 key signing another SHA-2 digest",
            A::Ps256,
        ),
    ] {
        c.push(reject(
            id,
            title,
            ALGORITHM,
            assertion(alg, Some(SignatureMutation::WrongHash)),
        ));
    }
    c
}
