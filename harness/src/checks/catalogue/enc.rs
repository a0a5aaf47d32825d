//! ENC: encodings of the JSON envelope (§2.1 base64url, §5.1 `toJSON()`).

use super::{auth_with, register, reject};
use crate::authenticator::Mutation;
use crate::authenticator::mutation::{ClientDataMutation, WireMutation};
use crate::checks::{Check, Section, Setup, SpecRef};

const BASE64URL: SpecRef = SpecRef::clause(
    Section::Base64Url,
    "base64url without padding or whitespace",
);

const ENVELOPE: SpecRef = SpecRef::clause(
    Section::PublicKeyCredential,
    "RegistrationResponseJSON / AuthenticationResponseJSON",
);

pub(super) fn checks() -> Vec<Check> {
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
            auth_with(whitespace("response.signature")),
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
            auth_with(pad("response.authenticatorData")),
        ),
        reject(
            "ENC-03.registration",
            "a registration body cut in half",
            ENVELOPE,
            register(wire(WireMutation::TruncateBody)),
        ),
        reject(
            "ENC-03.authentication",
            "an assertion body cut in half",
            ENVELOPE,
            auth_with(wire(WireMutation::TruncateBody)),
        ),
        reject(
            "ENC-03.not-json",
            "an assertion body that is not JSON",
            ENVELOPE,
            auth_with(wire(WireMutation::ReplaceBody("status=ok".into()))),
        ),
    ]
}
