//! REG-AO: the registration's attestation object (§7.1 steps 12 to 29): its CBOR, the
//! authenticator data and its flags, the credential ID and public key, the fmt, and what the RP
//! stores.

use super::{
    accept, counter, fido_only, leveled, noted, reg, register, reject, sign_count, strict_only,
};
use crate::authenticator::Mutation;
use crate::authenticator::mutation::{AttestationMutation, AuthDataMutation, CoseKeyMutation};
use crate::checks::{Check, Expect, Level, Scenario, Section, Setup, SpecRef, Step};
use crate::codec::auth_data::Flags;
use crate::codec::cbor::Value;
use crate::codec::cose::CoseAlgorithm;

fn step(n: u8) -> SpecRef {
    SpecRef::registration(n)
}

/// A registration with an authenticator that makes ES256 keys only, with `mutation`: for the
/// checks that break an EC2 P-256 key, whichever algorithm the RP offers first.
fn es256(mutation: Mutation) -> Scenario {
    Scenario::Register(using(CoseAlgorithm::Es256).and(mutation))
}

/// A registration with an authenticator that makes RS256 keys only, with `mutation`.
fn rs256(mutation: Mutation) -> Scenario {
    Scenario::Register(using(CoseAlgorithm::Rs256).and(mutation))
}

/// An authenticator that makes `alg` keys only.
fn using(alg: CoseAlgorithm) -> Setup {
    Setup::default().authenticator(|a| a.algorithms = vec![alg])
}

fn cose_set(alg: CoseAlgorithm, label: i64, value: Value) -> Setup {
    using(alg).and(Mutation::CoseKey(CoseKeyMutation::Set { label, value }))
}

pub(super) fn checks() -> Vec<Check> {
    let mut c = vec![
        reject(
            "REG-AO-01",
            "attestationObject is not CBOR",
            step(13),
            reg(Mutation::Attestation(AttestationMutation::Replace(vec![
                0xa1, 0xff,
            ]))),
        ),
        reject(
            "REG-AO-01.not-map",
            "attestationObject is a CBOR array, not a map",
            step(13),
            reg(Mutation::Attestation(AttestationMutation::Replace(vec![
                0x80,
            ]))),
        ),
        reject(
            "REG-AO-02.missing",
            "fmt missing",
            step(13),
            reg(Mutation::Attestation(AttestationMutation::ObjectRemove {
                key: "fmt".into(),
            })),
        ),
        reject(
            "REG-AO-02.not-text",
            "fmt not text",
            step(13),
            reg(Mutation::Attestation(AttestationMutation::ObjectSet {
                key: "fmt".into(),
                value: Value::Integer(1.into()),
            })),
        ),
        reject(
            "REG-AO-03.missing",
            "attStmt missing",
            step(13),
            reg(Mutation::Attestation(AttestationMutation::ObjectRemove {
                key: "attStmt".into(),
            })),
        ),
        reject(
            "REG-AO-03.not-map",
            "attStmt not a map",
            step(13),
            reg(Mutation::Attestation(AttestationMutation::ObjectSet {
                key: "attStmt".into(),
                value: Value::Text("none".into()),
            })),
        ),
        reject(
            "REG-AO-04.missing",
            "authData missing",
            step(13),
            reg(Mutation::Attestation(AttestationMutation::ObjectRemove {
                key: "authData".into(),
            })),
        ),
        reject(
            "REG-AO-04.not-bytes",
            "authData not a byte string",
            step(13),
            reg(Mutation::Attestation(AttestationMutation::ObjectSet {
                key: "authData".into(),
                value: Value::Text("authData".into()),
            })),
        ),
        reject(
            "REG-AO-04.empty",
            "authData empty",
            step(13),
            reg(Mutation::Attestation(AttestationMutation::ObjectSet {
                key: "authData".into(),
                value: Value::Bytes(Vec::new()),
            })),
        ),
        reject(
            "REG-AO-04.short",
            "authData of 36 bytes",
            step(13),
            reg(Mutation::AuthData(AuthDataMutation::Truncate(36))),
        ),
        reject(
            "REG-AO-05",
            "AT clear but attested credential data present",
            step(13),
            reg(Mutation::AuthData(AuthDataMutation::ClearFlags(Flags::AT))),
        ),
        reject(
            "REG-AO-06",
            "AT clear and no attested credential data",
            step(13),
            Scenario::Register(
                Setup::with(Mutation::AuthData(AuthDataMutation::ClearFlags(Flags::AT))).and(
                    Mutation::AuthData(AuthDataMutation::DropAttestedCredentialData),
                ),
            ),
        ),
        reject(
            "REG-AO-07",
            "AT set but attested credential data missing",
            step(13),
            reg(Mutation::AuthData(
                AuthDataMutation::DropAttestedCredentialData,
            )),
        ),
        reject(
            "REG-AO-08",
            "two bytes after the credential public key",
            step(13),
            reg(Mutation::AuthData(AuthDataMutation::Append(vec![
                0x00, 0x00,
            ]))),
        ),
        leveled(
            accept(
                "REG-AO-09",
                "ED set with a well-formed extensions map",
                step(13),
                Scenario::Register(
                    Setup::with(Mutation::AuthData(AuthDataMutation::SetFlags(Flags::ED))).and(
                        Mutation::AuthData(AuthDataMutation::Extensions(vec![
                            0xa1, 0x63, b'f', b'o', b'o', 0xf5,
                        ])),
                    ),
                ),
            ),
            Level::Should,
        ),
        reject(
            "REG-AO-10.ed-without-map",
            "ED set but no extensions follow",
            step(13),
            reg(Mutation::AuthData(AuthDataMutation::SetFlags(Flags::ED))),
        ),
        reject(
            "REG-AO-10.not-map",
            "ED set and the extensions are a CBOR array, not a map",
            step(13),
            Scenario::Register(
                Setup::with(Mutation::AuthData(AuthDataMutation::SetFlags(Flags::ED)))
                    .and(Mutation::AuthData(AuthDataMutation::Extensions(vec![0x80]))),
            ),
        ),
        reject(
            "REG-AO-10.map-without-ed",
            "an extensions map follows but ED is clear",
            step(13),
            reg(Mutation::AuthData(AuthDataMutation::Extensions(vec![
                0xa1, 0x63, b'f', b'o', b'o', 0xf5,
            ]))),
        ),
        reject(
            "REG-AO-11",
            "rpIdHash of another RP ID",
            step(14),
            reg(Mutation::AuthData(AuthDataMutation::RpIdHashOf(
                "evil.example".into(),
            ))),
        ),
        reject(
            "REG-AO-12",
            "UP clear",
            step(15),
            reg(Mutation::AuthData(AuthDataMutation::ClearFlags(Flags::UP))),
        ),
        reject(
            "REG-AO-13",
            "UV clear when userVerification is required",
            step(16),
            Scenario::Register(
                Setup::with(Mutation::AuthData(AuthDataMutation::ClearFlags(Flags::UV)))
                    .user_verification("required"),
            ),
        ),
        accept(
            "REG-AO-14",
            "UV set when userVerification is discouraged",
            step(16),
            Scenario::Register(Setup::default().user_verification("discouraged")),
        ),
        reject(
            "REG-AO-15",
            "BS set with BE clear",
            step(17),
            reg(Mutation::AuthData(AuthDataMutation::SetFlags(Flags::BS))),
        ),
        accept(
            "REG-AO-16.bs0",
            "BE set, BS clear",
            step(17),
            Scenario::Register(Setup::default().authenticator(|a| a.backup_eligible = true)),
        ),
        accept(
            "REG-AO-16.bs1",
            "BE set, BS set",
            step(17),
            Scenario::Register(Setup::default().authenticator(|a| {
                a.backup_eligible = true;
                a.backup_state = true;
            })),
        ),
        reject(
            "REG-AO-17",
            "a credential algorithm that pubKeyCredParams did not offer",
            step(20),
            // One spelling; the runner tries every algorithm the RP did not offer, each with its
            // control (`checks::control`).
            reg(Mutation::UnofferedAlgorithm(CoseAlgorithm::Es256K)),
        ),
        reject(
            "REG-AO-18",
            "unknown fmt \"avocado\"",
            step(21),
            reg(Mutation::Attestation(AttestationMutation::Fmt(
                "avocado".into(),
            ))),
        ),
        reject(
            "REG-AO-19",
            "fmt \"None\" (formats match case-sensitively)",
            step(21),
            reg(Mutation::Attestation(AttestationMutation::Fmt(
                "None".into(),
            ))),
        ),
        leveled(
            reject(
                "REG-AO-20",
                "credential ID of 1024 bytes",
                step(25),
                reg(Mutation::CredentialIdLen(1024)),
            ),
            Level::Should,
        ),
        accept(
            "REG-AO-21",
            "credential ID of 1023 bytes",
            step(25),
            reg(Mutation::CredentialIdLen(1023)),
        ),
        reject(
            "REG-AO-22",
            "credentialIdLength runs past the end of authData",
            step(13),
            reg(Mutation::AuthData(AuthDataMutation::Truncate(37 + 18 + 10))),
        ),
        leveled(
            reject(
                "REG-AO-23",
                "a credential ID already registered to another user",
                step(26),
                Scenario::DuplicateCredentialOtherUser,
            ),
            Level::Should,
        ),
    ];
    for (case, label, title) in [
        ("REG-AO-24.kty", 1, "COSE key without kty"),
        ("REG-AO-24.alg", 3, "COSE key without alg"),
        ("REG-AO-24.crv", -1, "COSE key without crv"),
        ("REG-AO-24.x", -2, "COSE key without x"),
        ("REG-AO-24.y", -3, "COSE key without y"),
    ] {
        c.push(reject(
            case,
            title,
            step(20),
            es256(Mutation::CoseKey(CoseKeyMutation::Remove { label })),
        ));
    }
    for (case, label, title) in [
        ("REG-AO-24.n", -1, "RS256 key without n"),
        ("REG-AO-24.e", -2, "RS256 key without e"),
    ] {
        c.push(reject(
            case,
            title,
            step(20),
            rs256(Mutation::CoseKey(CoseKeyMutation::Remove { label })),
        ));
    }
    c.extend([
        reject(
            "REG-AO-24.n-empty",
            "RS256 key with an empty modulus",
            step(20),
            rs256(Mutation::CoseKey(CoseKeyMutation::Set {
                label: -1,
                value: Value::Bytes(Vec::new()),
            })),
        ),
        reject(
            "REG-AO-24.not-map",
            "credential public key is a CBOR array, not a COSE_Key map",
            step(20),
            es256(Mutation::CoseKey(CoseKeyMutation::Replace(vec![0x80]))),
        ),
        reject(
            "REG-AO-24.unknown-kty",
            "COSE key with an unregistered kty (99)",
            step(20),
            es256(Mutation::CoseKey(CoseKeyMutation::Set {
                label: 1,
                value: Value::Integer(99.into()),
            })),
        ),
        reject(
            "REG-AO-25.x-not-bytes",
            "ES256 key with x as a text string",
            step(20),
            es256(Mutation::CoseKey(CoseKeyMutation::Set {
                label: -2,
                value: Value::Text("x".into()),
            })),
        ),
    ]);
    c.extend([
        reject(
            "REG-AO-25.crv",
            "ES256 key with crv P-384",
            step(20),
            es256(Mutation::CoseKey(CoseKeyMutation::Set {
                label: -1,
                value: Value::Integer(2.into()),
            })),
        ),
        reject(
            "REG-AO-25.compressed",
            "ES256 key with a compressed point (y = true)",
            step(20),
            es256(Mutation::CoseKey(CoseKeyMutation::Set {
                label: -3,
                value: Value::Bool(true),
            })),
        ),
        reject(
            "REG-AO-25.x-length",
            "ES256 key with a 31-byte x",
            step(20),
            es256(Mutation::CoseKey(CoseKeyMutation::Set {
                label: -2,
                value: Value::Bytes(vec![7; 31]),
            })),
        ),
        reject(
            "REG-AO-26",
            "ES256 point not on the curve",
            step(20),
            es256(Mutation::CoseKey(CoseKeyMutation::Set {
                label: -3,
                value: Value::Bytes(vec![7; 32]),
            })),
        ),
        reject(
            "REG-AO-29",
            "EC2 key labelled RS256 (-257)",
            step(20),
            es256(Mutation::CoseKey(CoseKeyMutation::Set {
                label: 3,
                value: Value::Integer((-257).into()),
            })),
        ),
        reject(
            "REG-AO-32",
            "an assertion with the credential of a rejected registration",
            step(29),
            Scenario::FailedRegistrationStoresNothing,
        ),
    ]);
    c.extend([
        reject(
            "REG-AO-27.es384-crv",
            "ES384 key with crv P-256 (1)",
            SpecRef::new(Section::Registration, Step::Qualified(20, "§5.8.5")),
            register(cose_set(CoseAlgorithm::Es384, -1, Value::Integer(1.into()))),
        ),
        reject(
            "REG-AO-27.es512-crv",
            "ES512 key with crv P-384 (2)",
            SpecRef::new(Section::Registration, Step::Qualified(20, "§5.8.5")),
            register(cose_set(CoseAlgorithm::Es512, -1, Value::Integer(2.into()))),
        ),
        reject(
            "REG-AO-27.es384-x-length",
            "ES384 key with a 47-byte x",
            SpecRef::new(Section::Registration, Step::Qualified(20, "§5.8.5")),
            register(cose_set(
                CoseAlgorithm::Es384,
                -2,
                Value::Bytes(vec![7; 47]),
            )),
        ),
        reject(
            "REG-AO-27.es512-y-length",
            "ES512 key with a 65-byte y",
            SpecRef::new(Section::Registration, Step::Qualified(20, "§5.8.5")),
            register(cose_set(
                CoseAlgorithm::Es512,
                -3,
                Value::Bytes(vec![7; 65]),
            )),
        ),
        reject(
            "REG-AO-28.crv",
            "EdDSA key with crv P-256 (1)",
            SpecRef::new(Section::Registration, Step::Qualified(20, "§5.8.5")),
            register(cose_set(CoseAlgorithm::EdDsa, -1, Value::Integer(1.into()))),
        ),
        reject(
            "REG-AO-28.x-length",
            "EdDSA key with a 31-byte x",
            SpecRef::new(Section::Registration, Step::Qualified(20, "§5.8.5")),
            register(cose_set(
                CoseAlgorithm::EdDsa,
                -2,
                Value::Bytes(vec![7; 31]),
            )),
        ),
        noted(
            reject(
                "REG-AO-28.alg",
                "OKP Ed25519 key labelled ES256 (-7)",
                SpecRef::new(Section::Registration, Step::Qualified(20, "§5.8.5")),
                register(cose_set(
                    CoseAlgorithm::EdDsa,
                    3,
                    Value::Integer((-7).into()),
                )),
            ),
            "docs/known-bugs.md #16, #17 (go-webauthn: OKP key accepted whatever alg it named)",
        ),
        noted(
            reject(
                "REG-AO-01.trailing",
                "attestationObject followed by one more byte",
                step(13),
                register(Setup::with(Mutation::Attestation(
                    crate::authenticator::mutation::AttestationMutation::Append(vec![0x00]),
                ))),
            ),
            "docs/known-bugs.md #14 (go-webauthn ignored trailing bytes after the CBOR item)",
        ),
        accept(
            "REG-AO-31.accepted",
            "an initial signCount of 500",
            step(27),
            register(counter(500)),
        ),
        fido_only(
            noted(
                reject(
                    "REG-AO-31.stored",
                    "after an initial signCount of 500, an assertion with 499",
                    SpecRef::authentication(22),
                    Scenario::Authenticate {
                        registration: counter(500),
                        authentication: sign_count(499),
                    },
                ),
                "the initial count must be stored (§7.1 step 27); FIDO Resp-3 F-4",
            ),
            Expect::Reject,
        ),
        leveled(
            accept(
                "REG-AO-33",
                "an unsolicited extension output in authenticator data",
                step(28),
                register(
                    Setup::with(Mutation::AuthData(AuthDataMutation::SetFlags(Flags::ED))).and(
                        Mutation::AuthData(AuthDataMutation::Extensions(vec![
                            0xa1, 0x6b, b'u', b'n', b's', b'o', b'l', b'i', b'c', b'i', b't', b'e',
                            b'd', 0xf5,
                        ])),
                    ),
                ),
            ),
            Level::Should,
        ),
    ]);
    // §6.5.1.1: the key "MUST NOT contain other OPTIONAL parameters"; whether the RP enforces
    // what the authenticator must do is strictness, so a SHOULD of the strict profile.
    for (id, title, setup) in [
        (
            "REG-AO-30.extra-parameter",
            "COSE key with an extra kid (2) parameter",
            Setup::with(Mutation::CoseKey(CoseKeyMutation::Set {
                label: 2,
                value: Value::Bytes(b"kid".to_vec()),
            })),
        ),
        (
            "REG-AO-30.order",
            "COSE key with its labels out of CTAP2 canonical order",
            Setup::with(Mutation::CoseKey(CoseKeyMutation::Reverse)),
        ),
    ] {
        c.push(strict_only(leveled(
            reject(
                id,
                title,
                SpecRef::new(Section::Registration, Step::Qualified(20, "§6.5.1.1")),
                register(setup),
            ),
            Level::Should,
        )));
    }
    c
}
