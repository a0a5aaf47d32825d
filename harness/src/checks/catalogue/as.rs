//! AS: what the assertion proves (§7.2 steps 5 to 25): whose credential it is, the
//! authenticator data and its flags, the signature by every algorithm, the counter, and what the
//! RP stores.

use serde_json::json;

use super::{
    accept, assertion, auth, auth_with, counter, fido_only, leveled, noted, per_profile, reject,
    sign_count, strict_only, wire_remove, wire_set,
};
use crate::authenticator::mutation::{AuthDataMutation, SignatureMutation};
use crate::authenticator::{AuthenticatorConfig, CounterPolicy, Mutation};
use crate::checks::{Check, Expect, Level, Scenario, Section, Setup, SpecRef, Step};
use crate::codec::auth_data::Flags;
use crate::codec::cose::CoseAlgorithm;

fn step(n: u8) -> SpecRef {
    SpecRef::authentication(n)
}

fn flags_only(up: bool, uv: bool) -> impl FnOnce(&mut AuthenticatorConfig) {
    move |a| {
        a.user_present = up;
        a.user_verified = uv;
    }
}

pub(super) fn checks() -> Vec<Check> {
    use CoseAlgorithm as A;
    let mut c = vec![
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
        noted(
            accept(
                "AS-23.failure-not-stored",
                "signCount 15 after a rejected assertion (bad signature) carried 20",
                step(24),
                Scenario::AuthenticateAfterRejected {
                    registration: counter(10),
                    rejected: sign_count(20).and(Mutation::Signature(
                        crate::authenticator::mutation::SignatureMutation::FlipLastBit,
                    )),
                    then: sign_count(15),
                },
            ),
            "docs/known-bugs.md #12 (go-webauthn stored the count of a denied login)",
        ),
        noted(
            reject(
                "AS-25",
                "rpIdHash of an appid (https://example.org) that was not requested",
                step(15),
                auth_with(Setup::with(Mutation::AuthData(
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
        // Profile-dependent checks: L3 and the FIDO tool disagree.
        noted(
            per_profile(
                reject(
                    "AS-12",
                    "UP and UV clear with userVerification preferred",
                    step(16),
                    auth_with(Setup::default().authenticator(flags_only(false, false))),
                ),
                Expect::Reject,
                Expect::Accept,
            ),
            "FIDO Assertion Resp-3 P-4/P-7 accept UP=0; L3 step 16 requires UP (conformance-test-tools-resources #434, #695)",
        ),
        // The FIDO tool documents no UP=0/UV=1 case; L3 step 16 requires UP.
        strict_only(reject(
            "AS-13",
            "UP clear, UV set",
            step(16),
            auth_with(Setup::default().authenticator(flags_only(false, true))),
        )),
        leveled(
            reject(
                "AS-19",
                "BE clear though the credential was registered with BE set",
                step(19),
                Scenario::Authenticate {
                    registration: Setup::default().authenticator(|a| a.backup_eligible = true),
                    authentication: Setup::default(),
                },
            ),
            Level::Should,
        ),
        fido_only(
            noted(
                reject(
                    "AS-23.stored",
                    "the counter of the last accepted assertion again",
                    step(24),
                    Scenario::AuthenticateTwice {
                        registration: Setup::default(),
                        first: Setup::default(),
                        second: sign_count(2),
                    },
                ),
                "docs/known-bugs.md #26: counter not persisted",
            ),
            Expect::Reject,
        ),
    ];
    for (id, title, count) in [
        ("AS-22", "signCount lower than the stored value", 3),
        ("AS-22.zero", "signCount 0 after a non-zero stored value", 0),
    ] {
        // L3 §7.2 step 22 makes a regressed counter a risk signal whose handling is up to the
        // RP: rejecting is the strict profile's SHOULD; the FIDO tool requires it (Resp-3 F-4).
        c.push(noted(
            leveled(
                reject(
                    id,
                    title,
                    step(22),
                    Scenario::Authenticate {
                        registration: Setup::default()
                            .authenticator(|a| a.counter = CounterPolicy::Increasing { start: 5 }),
                        authentication: sign_count(count),
                    },
                ),
                Level::FidoMust,
            ),
            "FIDO Assertion Resp-3 F-4 (the tool requires the rejection); docs/known-bugs.md #11",
        ));
    }
    // AS-24: an assertion by a credential of every algorithm verifies (ES256 is AS-ENV-01).
    for (id, title, alg) in [
        ("AS-24.eddsa", "an EdDSA assertion", A::EdDsa),
        ("AS-24.rs256", "an RS256 assertion", A::Rs256),
        ("AS-24.es384", "an ES384 assertion", A::Es384),
        ("AS-24.es512", "an ES512 assertion", A::Es512),
        ("AS-24.ps256", "a PS256 assertion", A::Ps256),
        ("AS-24.ps384", "a PS384 assertion", A::Ps384),
        ("AS-24.ps512", "a PS512 assertion", A::Ps512),
        ("AS-24.rs384", "an RS384 assertion", A::Rs384),
        ("AS-24.rs512", "an RS512 assertion", A::Rs512),
    ] {
        c.push(accept(id, title, step(21), assertion(alg, None)));
    }
    c.push(fido_only(
        accept(
            "AS-24.rs1",
            "an RS1 assertion",
            step(21),
            assertion(A::Rs1, None),
        ),
        Expect::Accept,
    ));

    c
}
