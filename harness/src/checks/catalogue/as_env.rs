//! AS-ENV: the authentication response's JSON envelope (§5.1 `AuthenticationResponseJSON`),
//! and the assertion that must pass (§7.2).

use serde_json::json;

use super::{
    SINGLE_USE, accept, auth, auth_with, fido_only, reject, wire_remove, wire_set,
    wire_standard_base64,
};
use crate::authenticator::Mutation;
use crate::authenticator::mutation::SignatureMutation;
use crate::checks::{Check, Expect, Scenario, Section, Setup, SpecRef, Step};

fn step(n: u8) -> SpecRef {
    SpecRef::authentication(n)
}

const ENVELOPE: SpecRef =
    SpecRef::clause(Section::PublicKeyCredential, "AuthenticationResponseJSON");

pub(super) fn checks() -> Vec<Check> {
    vec![
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
            SINGLE_USE,
            Scenario::AuthenticateWithoutOptions,
        ),
    ]
}
