//! REG-CD: the registration's clientDataJSON (§7.1 steps 5 to 11, §5.8.1): its parsing, type,
//! challenge, origin and framing.

use serde_json::json;

use super::{
    BAD_ORIGINS, CHALLENGE_SCOPE, SINGLE_USE, accept, client_data_remove, client_data_set, leveled,
    noted, origin_level, reg, register, reject, token_binding_checks, with_framing,
};
use crate::authenticator::Mutation;
use crate::authenticator::mutation::ClientDataMutation;
use crate::checks::{Ceremony, Check, Level, Scenario, Section, Setup, SpecRef, Step};

fn step(n: u8) -> SpecRef {
    SpecRef::registration(n)
}

pub(super) fn checks() -> Vec<Check> {
    let reencode = |standard| {
        register(Setup::with(Mutation::ClientData(
            ClientDataMutation::ReencodeChallenge { standard },
        )))
    };
    let mut c = vec![
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
            SINGLE_USE,
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
        reject(
            "REG-CD-08.padded",
            "challenge as padded base64url of the right bytes",
            step(8),
            reencode(false),
        ),
        reject(
            "REG-CD-08.standard",
            "challenge as padded standard base64 of the right bytes",
            step(8),
            reencode(true),
        ),
        reject(
            "REG-CD-11",
            "a registration over the challenge issued to another session",
            CHALLENGE_SCOPE,
            Scenario::ChallengeOfOtherSession(Ceremony::Registration),
        ),
        reject(
            "REG-CD-13",
            "a valid registration after the challenge expired",
            CHALLENGE_SCOPE,
            Scenario::ExpiredChallenge(Ceremony::Registration),
        ),
    ];
    for (case, origin, title) in BAD_ORIGINS {
        let id: &'static str = match case {
            "foreign" => "REG-CD-15",
            "scheme" => "REG-CD-16.scheme",
            "port" => "REG-CD-16.port",
            "subdomain" => "REG-CD-16.subdomain",
            _ => "REG-CD-16.suffix",
        };
        c.push(leveled(
            reject(
                id,
                title,
                step(9),
                Scenario::Register(Setup {
                    origin: Some(origin),
                    ..Setup::default()
                }),
            ),
            origin_level(case),
        ));
    }
    c.extend(token_binding_checks(
        [
            "REG-CD-20.not-object",
            "REG-CD-20.no-status",
            "REG-CD-20.bad-status",
        ],
        "FIDO Server-ServerAuthenticatorAttestationResponse-Resp-2 F-15..F-17; L3 reserves tokenBinding",
        reg,
    ));
    c.push(with_framing(
        accept(
            "REG-CD-21",
            "crossOrigin and topOrigin when the RP expects that framing",
            SpecRef::new(Section::Registration, Step::Range(10, 11)),
            Scenario::Register(Setup {
                cross_origin: true,
                top_origin: Some("https://example.com"),
                ..Setup::default()
            }),
        ),
        "https://example.com",
    ));
    c
}
