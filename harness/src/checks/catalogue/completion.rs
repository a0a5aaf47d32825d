//! Rows of the spec digest §6.4-§6.5, §6.15-§6.18 that need the later scenarios: challenge
//! spelling, sessions and expiry; COSE keys of the other curves; counters and state after a
//! failure; encodings. Known-bug rows are cited in `notes`.

use super::{accept, fido_only, leveled, noted, reject};
use crate::authenticator::mutation::{
    AuthDataMutation, ClientDataMutation, CoseKeyMutation, WireMutation,
};
use crate::authenticator::{CounterPolicy, Mutation};
use crate::checks::{
    Ceremony, Check, Expect, Expectation, Level, Scenario, Section, Setup, SpecRef, Step,
};
use crate::codec::auth_data::Flags;
use crate::codec::cbor::Value;
use crate::codec::cose::CoseAlgorithm;

fn reg_step(n: u8) -> SpecRef {
    SpecRef::registration(n)
}

fn auth_step(n: u8) -> SpecRef {
    SpecRef::authentication(n)
}

const CHALLENGES: SpecRef = SpecRef::clause(
    Section::CryptographicChallenges,
    "single use, bound to its ceremony, valid about as long as the timeout",
);

const BASE64URL: SpecRef = SpecRef::clause(
    Section::Base64Url,
    "base64url without padding or whitespace",
);

fn register(setup: Setup) -> Scenario {
    Scenario::Register(setup)
}

fn authenticate(setup: Setup) -> Scenario {
    Scenario::Authenticate {
        registration: Setup::default(),
        authentication: setup,
    }
}

fn using(alg: CoseAlgorithm) -> Setup {
    Setup::default().authenticator(|a| a.algorithms = vec![alg])
}

fn cose_set(alg: CoseAlgorithm, label: i64, value: Value) -> Setup {
    using(alg).and(Mutation::CoseKey(CoseKeyMutation::Set { label, value }))
}

fn counter(start: u32) -> Setup {
    Setup::default().authenticator(|a| a.counter = CounterPolicy::Increasing { start })
}

fn sign_count(count: u32) -> Setup {
    Setup::with(Mutation::AuthData(AuthDataMutation::SignCount(count)))
}

pub(super) fn registration() -> Vec<Check> {
    let reencode = |standard| {
        register(Setup::with(Mutation::ClientData(
            ClientDataMutation::ReencodeChallenge { standard },
        )))
    };
    let mut c = vec![
        reject(
            "REG-CD-08.padded",
            "challenge as padded base64url of the right bytes",
            reg_step(8),
            reencode(false),
        ),
        reject(
            "REG-CD-08.standard",
            "challenge as padded standard base64 of the right bytes",
            reg_step(8),
            reencode(true),
        ),
        reject(
            "REG-CD-11",
            "a registration over the challenge issued to another session",
            CHALLENGES,
            Scenario::ChallengeOfOtherSession(Ceremony::Registration),
        ),
        reject(
            "REG-CD-13",
            "a valid registration after the challenge expired",
            CHALLENGES,
            Scenario::ExpiredChallenge(Ceremony::Registration),
        ),
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
            "known-rp-bugs #16, #17 (go-webauthn: OKP key accepted whatever alg it named)",
        ),
        noted(
            reject(
                "REG-AO-01.trailing",
                "attestationObject followed by one more byte",
                reg_step(13),
                register(Setup::with(Mutation::Attestation(
                    crate::authenticator::mutation::AttestationMutation::Append(vec![0x00]),
                ))),
            ),
            "known-rp-bugs #14 (go-webauthn ignored trailing bytes after the CBOR item)",
        ),
        accept(
            "REG-AO-31.accepted",
            "an initial signCount of 500",
            reg_step(27),
            register(counter(500)),
        ),
        fido_only(
            noted(
                reject(
                    "REG-AO-31.stored",
                    "after an initial signCount of 500, an assertion with 499",
                    auth_step(22),
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
                reg_step(28),
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
    ];
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
        let mut check = reject(
            id,
            title,
            SpecRef::new(Section::Registration, Step::Qualified(20, "§6.5.1.1")),
            register(setup),
        );
        check.level = Level::Should;
        check.expect = Expectation {
            strict: Some(Expect::Reject),
            fido: None,
        };
        c.push(check);
    }
    c
}

pub(super) fn authentication() -> Vec<Check> {
    let reencode = |standard| {
        authenticate(Setup::with(Mutation::ClientData(
            ClientDataMutation::ReencodeChallenge { standard },
        )))
    };
    let token_binding = super::token_binding_checks(
        [
            "AS-CD-07.not-object",
            "AS-CD-07.no-status",
            "AS-CD-07.bad-status",
        ],
        "FIDO Server-ServerAuthenticatorAssertionResponse-Resp-2 F-15..F-17; L3 reserves tokenBinding",
        |m| authenticate(Setup::with(m)),
    );
    token_binding
        .into_iter()
        .chain([
            reject(
                "AS-CD-02.padded",
                "challenge as padded base64url of the right bytes",
                auth_step(11),
                reencode(false),
            ),
            reject(
                "AS-CD-02.standard",
                "challenge as padded standard base64 of the right bytes",
                auth_step(11),
                reencode(true),
            ),
            reject(
                "AS-CD-02.other-session",
                "an assertion over the challenge issued to another session",
                CHALLENGES,
                Scenario::ChallengeOfOtherSession(Ceremony::Authentication),
            ),
            reject(
                "AS-CD-02.expired",
                "a valid assertion after the challenge expired",
                CHALLENGES,
                Scenario::ExpiredChallenge(Ceremony::Authentication),
            ),
            noted(
                accept(
                    "AS-23.failure-not-stored",
                    "signCount 15 after a rejected assertion (bad signature) carried 20",
                    auth_step(24),
                    Scenario::AuthenticateAfterRejected {
                        registration: counter(10),
                        rejected: sign_count(20).and(Mutation::Signature(
                            crate::authenticator::mutation::SignatureMutation::FlipLastBit,
                        )),
                        then: sign_count(15),
                    },
                ),
                "known-rp-bugs #12 (go-webauthn stored the count of a denied login)",
            ),
            noted(
                reject(
                    "AS-25",
                    "rpIdHash of an appid (https://example.org) that was not requested",
                    auth_step(15),
                    authenticate(Setup::with(Mutation::AuthData(
                        AuthDataMutation::RpIdHashOf("https://example.org".into()),
                    ))),
                ),
                "§10.1.1 appid: only an RP that requested appid may accept its hash",
            ),
            accept(
                "AS-26",
                "UV set at authentication for a credential registered without UV",
                SpecRef::new(
                    Section::Authentication,
                    Step::Qualified(24, "uvInitialized"),
                ),
                Scenario::Authenticate {
                    registration: Setup::default().authenticator(|a| a.user_verified = false),
                    authentication: Setup::default().authenticator(|a| a.user_verified = true),
                },
            ),
        ])
        .collect()
}

/// Spec digest §6.18: encodings of the JSON envelope.
pub(super) fn encoding() -> Vec<Check> {
    let wire = |m: WireMutation| Setup::with(Mutation::Wire(m));
    let whitespace = |path: &str| {
        wire(WireMutation::Whitespace {
            path: path.to_owned(),
        })
    };
    let pad = |path: &str| {
        wire(WireMutation::Pad {
            path: path.to_owned(),
        })
    };
    let envelope = SpecRef::clause(
        Section::PublicKeyCredential,
        "RegistrationResponseJSON / AuthenticationResponseJSON",
    );
    vec![
        reject(
            "ENC-01.registration",
            "attestationObject with a line break inside",
            BASE64URL,
            register(whitespace("response.attestationObject")),
        ),
        reject(
            "ENC-01.authentication",
            "signature with a line break inside",
            BASE64URL,
            authenticate(whitespace("response.signature")),
        ),
        reject(
            "ENC-02.registration",
            "clientDataJSON with '=' padding",
            BASE64URL,
            register(
                pad("response.clientDataJSON")
                    .and(Mutation::ClientData(ClientDataMutation::PaddableLength)),
            ),
        ),
        reject(
            "ENC-02.authentication",
            "authenticatorData with '=' padding",
            BASE64URL,
            authenticate(pad("response.authenticatorData")),
        ),
        reject(
            "ENC-03.registration",
            "a registration body cut in half",
            envelope,
            register(wire(WireMutation::TruncateBody)),
        ),
        reject(
            "ENC-03.authentication",
            "an assertion body cut in half",
            envelope,
            authenticate(wire(WireMutation::TruncateBody)),
        ),
        reject(
            "ENC-03.not-json",
            "an assertion body that is not JSON",
            envelope,
            authenticate(wire(WireMutation::ReplaceBody("status=ok".into()))),
        ),
    ]
}
