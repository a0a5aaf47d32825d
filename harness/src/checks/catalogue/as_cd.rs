//! AS-CD: the assertion's clientDataJSON (§7.2 steps 10 to 14, §5.8.1): its type, challenge,
//! origin and framing.

use serde_json::json;

use super::{
    BAD_ORIGINS, CHALLENGE_SCOPE, SINGLE_USE, accept, auth, auth_with, client_data_remove,
    client_data_set, leveled, origin_level, reject, token_binding_checks,
};
use crate::authenticator::Mutation;
use crate::authenticator::mutation::ClientDataMutation;
use crate::checks::{Ceremony, Check, Scenario, Section, Setup, SpecRef};

fn step(n: u8) -> SpecRef {
    SpecRef::authentication(n)
}

pub(super) fn checks() -> Vec<Check> {
    let reencode = |standard| {
        auth_with(Setup::with(Mutation::ClientData(
            ClientDataMutation::ReencodeChallenge { standard },
        )))
    };
    let mut c = vec![
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
            SINGLE_USE,
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
        reject(
            "AS-CD-02.padded",
            "challenge as padded base64url of the right bytes",
            step(11),
            reencode(false),
        ),
        reject(
            "AS-CD-02.standard",
            "challenge as padded standard base64 of the right bytes",
            step(11),
            reencode(true),
        ),
        reject(
            "AS-CD-02.other-session",
            "an assertion over the challenge issued to another session",
            CHALLENGE_SCOPE,
            Scenario::ChallengeOfOtherSession(Ceremony::Authentication),
        ),
        reject(
            "AS-CD-02.expired",
            "a valid assertion after the challenge expired",
            CHALLENGE_SCOPE,
            Scenario::ExpiredChallenge(Ceremony::Authentication),
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
        c.push(leveled(
            reject(
                id,
                title,
                step(12),
                auth_with(Setup {
                    origin: Some(origin),
                    ..Setup::default()
                }),
            ),
            origin_level(case),
        ));
    }
    c.extend(token_binding_checks(
        [
            "AS-CD-07.not-object",
            "AS-CD-07.no-status",
            "AS-CD-07.bad-status",
        ],
        "FIDO Server-ServerAuthenticatorAssertionResponse-Resp-2 F-15..F-17; L3 reserves tokenBinding",
        auth,
    ));
    c
}
