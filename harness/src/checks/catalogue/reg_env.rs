//! REG-ENV: the registration response's JSON envelope (§5.1 `RegistrationResponseJSON`), and
//! the registration that must pass (§7.1).

use serde_json::json;

use super::{
    SINGLE_USE, accept, fido_only, leveled, noted, reg, reject, wire_remove, wire_set,
    wire_standard_base64,
};
use crate::checks::{Check, Expect, Level, Scenario, Section, Setup, SpecRef, Step};
use crate::codec::wire::WireShape;

const ENVELOPE: SpecRef = SpecRef::clause(Section::PublicKeyCredential, "RegistrationResponseJSON");

pub(super) fn checks() -> Vec<Check> {
    vec![
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
                    SpecRef::registration(27),
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
            SINGLE_USE,
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
    ]
}
