//! Authentication checks: W3C L3 §7.2, spec digest §6.15 to §6.17.

use serde_json::json;

use super::{
    BAD_ORIGINS, accept, client_data_remove, client_data_set, fido_only, leveled, reject,
    wire_remove, wire_set, wire_standard_base64,
};
use crate::authenticator::mutation::{AuthDataMutation, ClientDataMutation, SignatureMutation};
use crate::authenticator::{CounterPolicy, Mutation};
use crate::checks::{Check, Expect, Expectation, Level, Scenario, Section, Setup, SpecRef, Step};
use crate::codec::auth_data::Flags;

fn step(n: u8) -> SpecRef {
    SpecRef::authentication(n)
}

const ENVELOPE: SpecRef =
    SpecRef::clause(Section::PublicKeyCredential, "AuthenticationResponseJSON");

/// A valid registration, then an authentication with `setup`.
fn auth_with(setup: Setup) -> Scenario {
    Scenario::Authenticate {
        registration: Setup::default(),
        authentication: setup,
    }
}

fn auth(mutation: Mutation) -> Scenario {
    auth_with(Setup::with(mutation))
}

fn flags_only(up: bool, uv: bool) -> impl FnOnce(&mut crate::authenticator::AuthenticatorConfig) {
    move |a| {
        a.user_present = up;
        a.user_verified = uv;
    }
}

pub(super) fn checks() -> Vec<Check> {
    let mut c = vec![
        // §6.15 envelope.
        accept(
            "AS-ENV-01",
            "a valid assertion",
            SpecRef::new(Section::Authentication, Step::Range(1, 25)),
            auth_with(Setup::default()),
        ),
        reject(
            "AS-ENV-02.missing",
            "id missing",
            ENVELOPE,
            auth(wire_remove("id")),
        ),
        reject(
            "AS-ENV-02.not-string",
            "id not a string",
            ENVELOPE,
            auth(wire_set("id", json!(5))),
        ),
        reject(
            "AS-ENV-02.not-base64url",
            "id as padded standard base64",
            ENVELOPE,
            auth(wire_standard_base64("id")),
        ),
        reject(
            "AS-ENV-02.raw-id",
            "rawId differs from id",
            ENVELOPE,
            auth(wire_set("rawId", json!("AAAAAAAAAAAAAAAAAAAAAA"))),
        ),
        reject(
            "AS-ENV-03.missing",
            "type missing",
            ENVELOPE,
            auth(wire_remove("type")),
        ),
        reject(
            "AS-ENV-03.not-string",
            "type not a string",
            ENVELOPE,
            auth(wire_set("type", json!(false))),
        ),
        reject(
            "AS-ENV-03.wrong",
            "type is \"avocado-toast\"",
            ENVELOPE,
            auth(wire_set("type", json!("avocado-toast"))),
        ),
        reject(
            "AS-ENV-04.missing",
            "response missing",
            ENVELOPE,
            auth(wire_remove("response")),
        ),
        reject(
            "AS-ENV-04.not-object",
            "response not an object",
            ENVELOPE,
            auth(wire_set("response", json!([]))),
        ),
        reject(
            "AS-ENV-05.missing",
            "clientDataJSON missing",
            ENVELOPE,
            auth(wire_remove("response.clientDataJSON")),
        ),
        reject(
            "AS-ENV-05.not-string",
            "clientDataJSON not a string",
            ENVELOPE,
            auth(wire_set("response.clientDataJSON", json!(1))),
        ),
        reject(
            "AS-ENV-05.empty",
            "clientDataJSON empty",
            ENVELOPE,
            auth(wire_set("response.clientDataJSON", json!(""))),
        ),
        reject(
            "AS-ENV-06.missing",
            "authenticatorData missing",
            ENVELOPE,
            auth(wire_remove("response.authenticatorData")),
        ),
        reject(
            "AS-ENV-06.not-string",
            "authenticatorData not a string",
            ENVELOPE,
            auth(wire_set("response.authenticatorData", json!({}))),
        ),
        reject(
            "AS-ENV-06.not-base64url",
            "authenticatorData as padded standard base64",
            ENVELOPE,
            auth(wire_standard_base64("response.authenticatorData")),
        ),
        reject(
            "AS-ENV-06.empty",
            "authenticatorData empty",
            ENVELOPE,
            auth(wire_set("response.authenticatorData", json!(""))),
        ),
        reject(
            "AS-ENV-07.missing",
            "signature missing",
            ENVELOPE,
            auth(wire_remove("response.signature")),
        ),
        reject(
            "AS-ENV-07.not-string",
            "signature not a string",
            ENVELOPE,
            auth(wire_set("response.signature", json!(null))),
        ),
        reject(
            "AS-ENV-07.not-base64url",
            "signature as padded standard base64",
            ENVELOPE,
            auth(wire_standard_base64("response.signature")),
        ),
        reject(
            "AS-ENV-07.empty",
            "signature empty",
            ENVELOPE,
            auth(wire_set("response.signature", json!(""))),
        ),
        reject(
            "AS-ENV-08",
            "signature does not verify",
            step(21),
            auth(Mutation::Signature(SignatureMutation::FlipLastBit)),
        ),
        reject(
            "AS-ENV-09",
            "userHandle not a string",
            ENVELOPE,
            auth(wire_set("response.userHandle", json!(12))),
        ),
        reject(
            "AS-ENV-09.not-base64url",
            "the discoverable flow's userHandle as padded standard base64",
            ENVELOPE,
            // Username-less, so the userHandle is sent and is the owner's: only its spelling is
            // wrong.
            Scenario::Authenticate {
                registration: Setup::default().discoverable(),
                authentication: Setup::with(wire_standard_base64("response.userHandle"))
                    .discoverable(),
            },
        ),
        fido_only(
            accept(
                "AS-ENV-10.empty",
                "userHandle \"\" in the username-first flow",
                step(6),
                auth(wire_set("response.userHandle", json!(""))),
            ),
            Expect::Accept,
        ),
        accept(
            "AS-ENV-10.absent",
            "userHandle absent in the username-first flow",
            step(6),
            auth(wire_remove("response.userHandle")),
        ),
        reject(
            "AS-ENV-11",
            "result posted with no options issued to the session",
            SpecRef::clause(Section::CryptographicChallenges, "single use"),
            Scenario::AuthenticateWithoutOptions,
        ),
        // §6.16 clientDataJSON.
        reject(
            "AS-CD-01.missing",
            "type missing",
            step(10),
            auth(client_data_remove("type")),
        ),
        reject(
            "AS-CD-01.not-string",
            "type not a string",
            step(10),
            auth(client_data_set("type", json!({}))),
        ),
        reject(
            "AS-CD-01.empty",
            "type empty",
            step(10),
            auth(client_data_set("type", json!(""))),
        ),
        reject(
            "AS-CD-01.other",
            "type \"webauthn.foo\"",
            step(10),
            auth(client_data_set("type", json!("webauthn.foo"))),
        ),
        reject(
            "AS-CD-01.create",
            "type \"webauthn.create\"",
            step(10),
            auth(client_data_set("type", json!("webauthn.create"))),
        ),
        reject(
            "AS-CD-02.missing",
            "challenge missing",
            step(11),
            auth(client_data_remove("challenge")),
        ),
        reject(
            "AS-CD-02.not-string",
            "challenge not a string",
            step(11),
            auth(client_data_set("challenge", json!(3))),
        ),
        reject(
            "AS-CD-02.empty",
            "challenge empty",
            step(11),
            auth(client_data_set("challenge", json!(""))),
        ),
        reject(
            "AS-CD-02.wrong",
            "challenge is not the issued challenge",
            step(11),
            auth(client_data_set(
                "challenge",
                json!("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"),
            )),
        ),
        reject(
            "AS-CD-03",
            "an accepted assertion replayed (authenticator without counter)",
            SpecRef::clause(Section::CryptographicChallenges, "single use"),
            Scenario::ReplayAuthentication,
        ),
        reject(
            "AS-CD-04",
            "challenge of creation options used for an assertion",
            step(11),
            Scenario::AuthenticateWithRegistrationChallenge,
        ),
        reject(
            "AS-CD-05.missing",
            "origin missing",
            step(12),
            auth(client_data_remove("origin")),
        ),
        reject(
            "AS-CD-05.not-string",
            "origin not a string",
            step(12),
            auth(client_data_set("origin", json!(1))),
        ),
        reject(
            "AS-CD-05.empty",
            "origin empty",
            step(12),
            auth(client_data_set("origin", json!(""))),
        ),
        reject(
            "AS-CD-06.cross-origin",
            "crossOrigin true when the RP expects no iframe",
            step(13),
            auth_with(Setup {
                cross_origin: true,
                ..Setup::default()
            }),
        ),
        reject(
            "AS-CD-06.top-origin",
            "topOrigin present when the RP expects no iframe",
            step(14),
            auth_with(Setup {
                top_origin: Some("https://example.com"),
                ..Setup::default()
            }),
        ),
        accept(
            "AS-CD-08",
            "an unknown member in clientDataJSON",
            SpecRef::clause(Section::CollectedClientData, "unknown members"),
            auth(Mutation::ClientData(ClientDataMutation::Set {
                member: "extraData".into(),
                value: json!("more"),
            })),
        ),
        // §6.17 semantics and authenticator data.
        reject(
            "AS-01",
            "a credential of the user that allowCredentials does not list",
            step(5),
            Scenario::CredentialNotAllowed,
        ),
        reject(
            "AS-02",
            "an unknown credential ID (username-less request, so step 5 cannot stop it)",
            step(6),
            Scenario::Authenticate {
                registration: Setup::default().discoverable(),
                authentication: Setup::with(wire_set("id", json!("AAAAAAAAAAAAAAAAAAAAAA")))
                    .and(wire_set("rawId", json!("AAAAAAAAAAAAAAAAAAAAAA")))
                    .discoverable(),
            },
        ),
        reject(
            "AS-03",
            "another user's valid credential, with the userHandle of the user it is sent for (username-less, so step 5 cannot stop it)",
            step(6),
            Scenario::CredentialOfAnotherUser,
        ),
        reject(
            "AS-04",
            "the user's own credential with another registered user's userHandle",
            step(6),
            Scenario::UserHandleOfAnotherUser,
        ),
        reject(
            "AS-05",
            "discoverable flow without userHandle",
            step(6),
            Scenario::Authenticate {
                registration: Setup::default().discoverable(),
                authentication: Setup::with(wire_remove("response.userHandle")).discoverable(),
            },
        ),
        accept(
            "AS-05.valid",
            "discoverable (username-less) flow with userHandle",
            step(6),
            Scenario::Authenticate {
                registration: Setup::default().discoverable(),
                authentication: Setup::default().discoverable(),
            },
        ),
        reject(
            "AS-06",
            "two bytes after authenticatorData",
            step(15),
            auth(Mutation::AuthData(AuthDataMutation::Append(vec![
                0xde, 0xad,
            ]))),
        ),
        reject(
            "AS-07",
            "AT set with attested credential data in an assertion",
            SpecRef::clause(Section::AuthenticatorData, "AT"),
            auth_with(
                Setup::with(Mutation::AuthData(AuthDataMutation::SetFlags(Flags::AT))).and(
                    Mutation::AuthData(AuthDataMutation::AddAttestedCredentialData),
                ),
            ),
        ),
        reject(
            "AS-08",
            "authenticatorData of 36 bytes",
            SpecRef::clause(Section::AuthenticatorData, "length"),
            auth(Mutation::AuthData(AuthDataMutation::Truncate(36))),
        ),
        reject(
            "AS-09",
            "rpIdHash of another RP ID",
            step(15),
            auth(Mutation::AuthData(AuthDataMutation::RpIdHashOf(
                "evil.example".into(),
            ))),
        ),
        reject(
            "AS-10",
            "signature over another clientDataHash",
            step(21),
            auth(Mutation::Signature(SignatureMutation::OverOtherClientData)),
        ),
        reject(
            "AS-11",
            "signature by an unregistered key",
            step(21),
            auth(Mutation::Signature(SignatureMutation::WithOtherKey)),
        ),
        accept(
            "AS-14",
            "UV set with userVerification required",
            step(17),
            auth_with(Setup::default().user_verification("required")),
        ),
        reject(
            "AS-15",
            "UV clear with userVerification required",
            step(17),
            auth_with(
                Setup::default()
                    .user_verification("required")
                    .authenticator(flags_only(true, false)),
            ),
        ),
        leveled(
            accept(
                "AS-16.up-discouraged",
                "UP set, UV clear with userVerification discouraged",
                step(17),
                auth_with(
                    Setup::default()
                        .user_verification("discouraged")
                        .authenticator(flags_only(true, false)),
                ),
            ),
            Level::Should,
        ),
        accept(
            "AS-16.uv-discouraged",
            "UV set with userVerification discouraged",
            step(17),
            auth_with(Setup::default().user_verification("discouraged")),
        ),
        leveled(
            accept(
                "AS-17",
                "ED set with an extensions map",
                step(23),
                auth_with(
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
            "AS-18",
            "BS set with BE clear",
            step(18),
            auth(Mutation::AuthData(AuthDataMutation::SetFlags(Flags::BS))),
        ),
        accept(
            "AS-20",
            "BS changes from 0 to 1 with BE set",
            step(19),
            Scenario::Authenticate {
                registration: Setup::default().authenticator(|a| a.backup_eligible = true),
                authentication: Setup::default().authenticator(|a| {
                    a.backup_eligible = true;
                    a.backup_state = true;
                }),
            },
        ),
        accept(
            "AS-21",
            "signCount stays 0 on an authenticator without a counter",
            step(22),
            Scenario::Authenticate {
                registration: Setup::default().authenticator(|a| a.counter = CounterPolicy::Zero),
                authentication: Setup::default().authenticator(|a| a.counter = CounterPolicy::Zero),
            },
        ),
        accept(
            "AS-23",
            "signCount increases",
            step(22),
            auth_with(Setup::default()),
        ),
    ];
    for (case, origin, title) in BAD_ORIGINS {
        let id: &'static str = match case {
            "foreign" => "AS-CD-05.foreign",
            "scheme" => "AS-CD-05.scheme",
            "port" => "AS-CD-05.port",
            "subdomain" => "AS-CD-05.subdomain",
            _ => "AS-CD-05.suffix",
        };
        let mut check = reject(
            id,
            title,
            step(12),
            auth_with(Setup {
                origin: Some(origin),
                ..Setup::default()
            }),
        );
        check.level = super::origin_level(case);
        c.push(check);
    }
    // Profile-dependent checks (spec digest §1.4).
    let mut up0 = reject(
        "AS-12",
        "UP and UV clear with userVerification preferred",
        step(16),
        auth_with(Setup::default().authenticator(flags_only(false, false))),
    );
    up0.expect = Expectation {
        strict: Some(Expect::Reject),
        fido: Some(Expect::Accept),
    };
    up0.notes = "FIDO Assertion Resp-3 P-4/P-7 accept UP=0; L3 step 16 requires UP (conformance-test-tools-resources #434, #695)";
    c.push(up0);
    // The FIDO tool documents no UP=0/UV=1 case; L3 step 16 requires UP.
    let mut up0_uv1 = reject(
        "AS-13",
        "UP clear, UV set",
        step(16),
        auth_with(Setup::default().authenticator(flags_only(false, true))),
    );
    up0_uv1.expect = Expectation {
        strict: Some(Expect::Reject),
        fido: None,
    };
    c.push(up0_uv1);
    let mut be_changed = reject(
        "AS-19",
        "BE clear though the credential was registered with BE set",
        step(19),
        Scenario::Authenticate {
            registration: Setup::default().authenticator(|a| a.backup_eligible = true),
            authentication: Setup::default(),
        },
    );
    be_changed.level = Level::Should;
    c.push(be_changed);
    for (id, title, count) in [
        ("AS-22", "signCount lower than the stored value", 3),
        ("AS-22.zero", "signCount 0 after a non-zero stored value", 0),
    ] {
        let mut check = reject(
            id,
            title,
            step(22),
            Scenario::Authenticate {
                registration: Setup::default()
                    .authenticator(|a| a.counter = CounterPolicy::Increasing { start: 5 }),
                authentication: Setup::with(Mutation::AuthData(AuthDataMutation::SignCount(count))),
            },
        );
        // L3 §7.2 step 22 makes a regressed counter a risk signal whose handling is up to the
        // RP: rejecting is the strict profile's SHOULD; the FIDO tool requires it (Resp-3 F-4).
        check.expect = Expectation::both(Expect::Reject);
        check.level = Level::FidoMust;
        check.notes =
            "FIDO Assertion Resp-3 F-4 (the tool requires the rejection); known-rp-bugs #11";
        c.push(check);
    }
    let mut stored = reject(
        "AS-23.stored",
        "the counter of the last accepted assertion again",
        step(24),
        Scenario::AuthenticateTwice {
            registration: Setup::default(),
            first: Setup::default(),
            second: Setup::with(Mutation::AuthData(AuthDataMutation::SignCount(2))),
        },
    );
    stored.expect = Expectation {
        strict: None,
        fido: Some(Expect::Reject),
    };
    stored.notes = "known-rp-bugs #26: counter not persisted";
    c.push(stored);
    c
}
