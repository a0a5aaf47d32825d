//! Registration checks: W3C L3 §7.1, spec digest §6.3 to §6.5.

use serde_json::json;

use super::{
    BAD_ORIGINS, accept, client_data_remove, client_data_set, fido_only, leveled, noted, reject,
    wire_remove, wire_set, wire_standard_base64,
};
use crate::authenticator::mutation::{
    AttestationMutation, AuthDataMutation, ClientDataMutation, CoseKeyMutation, SignatureMutation,
};
use crate::authenticator::{AttestationFormat, Mutation};
use crate::checks::{Check, Expect, Level, Scenario, Section, Setup, SpecRef, Step};
use crate::codec::auth_data::Flags;
use crate::codec::cbor::Value;
use crate::codec::cose::CoseAlgorithm;
use crate::codec::wire::WireShape;

fn reg(mutation: Mutation) -> Scenario {
    Scenario::Register(Setup::with(mutation))
}

/// A registration with an authenticator that makes ES256 keys only, with `mutation`: for the
/// checks that break an EC2 P-256 key, whichever algorithm the RP offers first.
fn es256(mutation: Mutation) -> Scenario {
    Scenario::Register(
        Setup::default()
            .authenticator(|a| a.algorithms = vec![CoseAlgorithm::Es256])
            .and(mutation),
    )
}

/// A registration with an authenticator that makes RS256 keys only, with `mutation`.
fn rs256(mutation: Mutation) -> Scenario {
    Scenario::Register(
        Setup::default()
            .authenticator(|a| a.algorithms = vec![CoseAlgorithm::Rs256])
            .and(mutation),
    )
}

fn step(n: u8) -> SpecRef {
    SpecRef::registration(n)
}

const ENVELOPE: SpecRef = SpecRef::clause(Section::PublicKeyCredential, "RegistrationResponseJSON");

fn packed_self() -> Setup {
    Setup::default().authenticator(|a| a.attestation = AttestationFormat::PackedSelf)
}

fn packed(mutation: Mutation) -> Scenario {
    Scenario::Register(packed_self().and(mutation))
}

pub(super) fn checks() -> Vec<Check> {
    let mut c = vec![
        // §6.3 envelope.
        accept(
            "REG-ENV-01",
            "a valid registration with attestation none",
            SpecRef::new(Section::Registration, Step::Range(1, 29)),
            Scenario::Register(Setup::default()),
        ),
        reject("REG-ENV-02", "id missing", ENVELOPE, reg(wire_remove("id"))),
        reject(
            "REG-ENV-03",
            "id not a string",
            ENVELOPE,
            reg(wire_set("id", json!(42))),
        ),
        reject(
            "REG-ENV-04",
            "id as padded standard base64",
            ENVELOPE,
            reg(wire_standard_base64("id")),
        ),
        // L3 has no step comparing id with the attested credentialId: step 27 stores
        // "credential.id or credential.rawId". An RP that stores the JSON id must compare it
        // (else the record's id is not the key's); one that stores authData's credentialId is
        // safe either way. So refusing the mismatch is RP policy: a SHOULD.
        noted(
            leveled(
                reject(
                    "REG-ENV-05",
                    "id and rawId agree, but are not the credential ID in authData",
                    step(27),
                    // Both changed, so only the comparison with authData (not id vs rawId,
                    // REG-ENV-06) can catch it.
                    Scenario::Register(
                        Setup::with(wire_set("id", json!("AAAAAAAAAAAAAAAAAAAAAA")))
                            .and(wire_set("rawId", json!("AAAAAAAAAAAAAAAAAAAAAA"))),
                    ),
                ),
                Level::Should,
            ),
            "step 27 stores credential.id or credential.rawId; a client sets both to the attested credentialId (§5.1), which L3 never has the RP compare",
        ),
        reject(
            "REG-ENV-06",
            "rawId differs from id",
            ENVELOPE,
            reg(wire_set("rawId", json!("AAAAAAAAAAAAAAAAAAAAAA"))),
        ),
        reject(
            "REG-ENV-06.not-string",
            "rawId not a string",
            ENVELOPE,
            reg(wire_set("rawId", json!(42))),
        ),
        reject(
            "REG-ENV-06.not-base64url",
            "rawId as padded standard base64",
            ENVELOPE,
            reg(wire_standard_base64("rawId")),
        ),
        reject(
            "REG-ENV-07",
            "type missing",
            ENVELOPE,
            reg(wire_remove("type")),
        ),
        reject(
            "REG-ENV-08",
            "type not a string",
            ENVELOPE,
            reg(wire_set("type", json!(1))),
        ),
        reject(
            "REG-ENV-09",
            "type is \"avocado-toast\"",
            ENVELOPE,
            reg(wire_set("type", json!("avocado-toast"))),
        ),
        reject(
            "REG-ENV-10",
            "response missing",
            ENVELOPE,
            reg(wire_remove("response")),
        ),
        reject(
            "REG-ENV-11",
            "response not an object",
            ENVELOPE,
            reg(wire_set("response", json!("response"))),
        ),
        reject(
            "REG-ENV-12.missing",
            "clientDataJSON missing",
            ENVELOPE,
            reg(wire_remove("response.clientDataJSON")),
        ),
        reject(
            "REG-ENV-12.not-string",
            "clientDataJSON not a string",
            ENVELOPE,
            reg(wire_set("response.clientDataJSON", json!({}))),
        ),
        reject(
            "REG-ENV-12.empty",
            "clientDataJSON empty",
            ENVELOPE,
            reg(wire_set("response.clientDataJSON", json!(""))),
        ),
        reject(
            "REG-ENV-13.missing",
            "attestationObject missing",
            ENVELOPE,
            reg(wire_remove("response.attestationObject")),
        ),
        reject(
            "REG-ENV-13.not-string",
            "attestationObject not a string",
            ENVELOPE,
            reg(wire_set("response.attestationObject", json!(true))),
        ),
        reject(
            "REG-ENV-13.empty",
            "attestationObject empty",
            ENVELOPE,
            reg(wire_set("response.attestationObject", json!(""))),
        ),
        reject(
            "REG-ENV-14",
            "result posted with no options issued to the session",
            SpecRef::clause(Section::CryptographicChallenges, "single use"),
            Scenario::RegisterWithoutOptions,
        ),
        fido_only(
            accept(
                "REG-ENV-15",
                "the FIDO conformance API shape (no rawId, getClientExtensionResults)",
                ENVELOPE,
                Scenario::Register(Setup {
                    shape: WireShape::FidoApi,
                    ..Setup::default()
                }),
            ),
            Expect::Accept,
        ),
        // §6.4 clientDataJSON.
        reject(
            "REG-CD-01",
            "clientDataJSON is not JSON",
            SpecRef::new(Section::Registration, Step::Range(5, 6)),
            reg(Mutation::ClientData(ClientDataMutation::Replace(
                b"not json".to_vec(),
            ))),
        ),
        reject(
            "REG-CD-02",
            "type missing",
            step(7),
            reg(client_data_remove("type")),
        ),
        reject(
            "REG-CD-03",
            "type not a string",
            step(7),
            reg(client_data_set("type", json!(7))),
        ),
        reject(
            "REG-CD-04",
            "type empty",
            step(7),
            reg(client_data_set("type", json!(""))),
        ),
        reject(
            "REG-CD-05",
            "type \"webauthn.foo\"",
            step(7),
            reg(client_data_set("type", json!("webauthn.foo"))),
        ),
        reject(
            "REG-CD-06",
            "type \"webauthn.get\"",
            step(7),
            reg(client_data_set("type", json!("webauthn.get"))),
        ),
        reject(
            "REG-CD-07.missing",
            "challenge missing",
            step(8),
            reg(client_data_remove("challenge")),
        ),
        reject(
            "REG-CD-07.not-string",
            "challenge not a string",
            step(8),
            reg(client_data_set("challenge", json!(["a"]))),
        ),
        reject(
            "REG-CD-07.empty",
            "challenge empty",
            step(8),
            reg(client_data_set("challenge", json!(""))),
        ),
        reject(
            "REG-CD-09",
            "challenge is not the issued challenge",
            step(8),
            reg(client_data_set(
                "challenge",
                json!("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"),
            )),
        ),
        reject(
            "REG-CD-10",
            "an accepted registration replayed",
            SpecRef::clause(Section::CryptographicChallenges, "single use"),
            Scenario::ReplayRegistration,
        ),
        reject(
            "REG-CD-12",
            "challenge of request options used to register",
            step(8),
            Scenario::RegisterWithAuthenticationChallenge,
        ),
        reject(
            "REG-CD-14.missing",
            "origin missing",
            step(9),
            reg(client_data_remove("origin")),
        ),
        reject(
            "REG-CD-14.not-string",
            "origin not a string",
            step(9),
            reg(client_data_set("origin", json!(null))),
        ),
        reject(
            "REG-CD-14.empty",
            "origin empty",
            step(9),
            reg(client_data_set("origin", json!(""))),
        ),
        reject(
            "REG-CD-17",
            "crossOrigin true when the RP expects no iframe",
            step(10),
            Scenario::Register(Setup {
                cross_origin: true,
                ..Setup::default()
            }),
        ),
        reject(
            "REG-CD-18",
            "topOrigin present when the RP expects no iframe",
            step(11),
            Scenario::Register(Setup {
                top_origin: Some("https://example.com"),
                ..Setup::default()
            }),
        ),
        reject(
            "REG-CD-18.not-string",
            "topOrigin present as a number when the RP expects no iframe",
            step(11),
            reg(client_data_set("topOrigin", json!(42))),
        ),
        leveled(
            reject(
                "REG-CD-17.not-boolean",
                "crossOrigin \"true\" as a string when the RP expects no iframe",
                step(10),
                reg(client_data_set("crossOrigin", json!("true"))),
            ),
            Level::Should,
        ),
        noted(
            leveled(
                reject(
                    "REG-CD-19.duplicate-challenge",
                    "clientDataJSON with challenge twice: the right one, then a wrong one",
                    step(6),
                    reg(Mutation::ClientData(ClientDataMutation::Duplicate {
                        member: "challenge".into(),
                        value: json!("AAAAAAAAAAAAAAAAAAAAAA"),
                    })),
                ),
                Level::Should,
            ),
            "L3 leaves the JSON parser to the implementation; JSON parsers disagree on which duplicate wins, so an RP that accepts duplicates can be read two ways (parser differential)",
        ),
        reject(
            "REG-CD-01.not-utf8",
            "clientDataJSON bytes that are not UTF-8",
            step(5),
            reg(Mutation::ClientData(ClientDataMutation::Replace(vec![
                0xff, 0xfe, 0xfd,
            ]))),
        ),
        accept(
            "REG-CD-19.extra-member",
            "an unknown member in clientDataJSON",
            SpecRef::clause(Section::CollectedClientData, "unknown members"),
            reg(client_data_set(
                "extraData",
                json!("clientDataJSON may be extended"),
            )),
        ),
        accept(
            "REG-CD-19.reordered",
            "clientDataJSON members in another order",
            SpecRef::clause(Section::CollectedClientData, "any order"),
            reg(Mutation::ClientData(ClientDataMutation::Reverse)),
        ),
        // §6.5 attestation object and authenticator data.
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
        // §6.7-§6.8 self packed and none (ALG-01 and ALG-04 are in algorithms.rs).
        reject(
            "PK-02",
            "packed attStmt is an empty map",
            step(22),
            packed(Mutation::Attestation(AttestationMutation::StmtReplace(
                Value::Map(Vec::new()),
            ))),
        ),
        reject(
            "PK-03.missing",
            "packed alg missing",
            step(22),
            packed(Mutation::Attestation(AttestationMutation::StmtRemove {
                key: "alg".into(),
            })),
        ),
        reject(
            "PK-03.not-number",
            "packed alg not a number",
            step(22),
            packed(Mutation::Attestation(AttestationMutation::StmtSet {
                key: "alg".into(),
                value: Value::Text("ES256".into()),
            })),
        ),
        reject(
            "PK-05.missing",
            "packed sig missing",
            step(22),
            packed(Mutation::Attestation(AttestationMutation::StmtRemove {
                key: "sig".into(),
            })),
        ),
        reject(
            "PK-05.not-bytes",
            "packed sig not a byte string",
            step(22),
            packed(Mutation::Attestation(AttestationMutation::StmtSet {
                key: "sig".into(),
                value: Value::Text("sig".into()),
            })),
        ),
        reject(
            "PK-05.empty",
            "packed sig empty",
            step(22),
            packed(Mutation::Attestation(AttestationMutation::StmtSet {
                key: "sig".into(),
                value: Value::Bytes(Vec::new()),
            })),
        ),
        reject(
            "PK-20",
            "self attestation sig does not verify",
            SpecRef::clause(Section::Packed, "self"),
            packed(Mutation::Signature(SignatureMutation::FlipLastBit)),
        ),
        reject(
            "PK-21",
            "self attestation alg differs from the credential key's alg",
            SpecRef::clause(Section::Packed, "self"),
            packed(Mutation::Attestation(AttestationMutation::StmtSet {
                key: "alg".into(),
                value: Value::Integer((-35).into()),
            })),
        ),
        reject(
            "NONE-03",
            "fmt none with a non-empty attStmt",
            SpecRef::clause(Section::None, "syntax"),
            packed(Mutation::Attestation(AttestationMutation::Fmt(
                "none".into(),
            ))),
        ),
    ]);
    for (case, origin, title) in BAD_ORIGINS {
        let id: &'static str = match case {
            "foreign" => "REG-CD-15",
            "scheme" => "REG-CD-16.scheme",
            "port" => "REG-CD-16.port",
            "subdomain" => "REG-CD-16.subdomain",
            _ => "REG-CD-16.suffix",
        };
        let mut check = reject(
            id,
            title,
            step(9),
            Scenario::Register(Setup {
                origin: Some(origin),
                ..Setup::default()
            }),
        );
        check.level = super::origin_level(case);
        c.push(check);
    }
    c.extend(super::token_binding_checks(
        [
            "REG-CD-20.not-object",
            "REG-CD-20.no-status",
            "REG-CD-20.bad-status",
        ],
        "FIDO Server-ServerAuthenticatorAttestationResponse-Resp-2 F-15..F-17; L3 reserves tokenBinding",
        reg,
    ));
    let mut framed = accept(
        "REG-CD-21",
        "crossOrigin and topOrigin when the RP expects that framing",
        SpecRef::new(Section::Registration, Step::Range(10, 11)),
        Scenario::Register(Setup {
            cross_origin: true,
            top_origin: Some("https://example.com"),
            ..Setup::default()
        }),
    );
    framed.framed_by = Some("https://example.com");
    c.push(framed);
    c
}
