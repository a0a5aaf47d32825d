//! The catalogue, one file per ceremony, in the order of the spec digest §6.

mod algorithms;
mod attestation;
mod authentication;
mod completion;
mod options;
mod registration;

use serde_json::Value as Json;

use super::{Check, Expect, Expectation, Level, Scenario, Section, SpecRef};
use crate::authenticator::Mutation;
use crate::authenticator::mutation::{ClientDataMutation, WireMutation};

/// Every check: options first, then registration, algorithms, attestation formats, then
/// authentication.
pub fn catalogue() -> Vec<Check> {
    let mut checks = options::checks();
    checks.extend(registration::checks());
    checks.extend(completion::registration());
    checks.extend(algorithms::checks());
    checks.extend(attestation::checks());
    checks.extend(authentication::checks());
    checks.extend(completion::authentication());
    checks.extend(completion::encoding());
    checks
}

/// A MUST check with the same expectation in both profiles.
fn must(
    id: &'static str,
    title: &'static str,
    spec: SpecRef,
    expect: Expect,
    scenario: Scenario,
) -> Check {
    Check {
        id,
        title,
        spec,
        level: Level::Must,
        expect: Expectation::both(expect),
        scenario,
        framed_by: None,
        notes: "",
    }
}

fn reject(id: &'static str, title: &'static str, spec: SpecRef, scenario: Scenario) -> Check {
    must(id, title, spec, Expect::Reject, scenario)
}

fn accept(id: &'static str, title: &'static str, spec: SpecRef, scenario: Scenario) -> Check {
    must(id, title, spec, Expect::Accept, scenario)
}

/// A check of the FIDO profile only: L3 leaves the reaction to the RP, or the FIDO tool asks for
/// something L3 does not (RS1).
fn fido_only(mut check: Check, expect: Expect) -> Check {
    check.expect = Expectation {
        strict: None,
        fido: Some(expect),
    };
    check
}

/// `check` at `level` (a SHOULD, or a [`Level::FidoMust`]), with the same expectation.
fn leveled(mut check: Check, level: Level) -> Check {
    check.level = level;
    check
}

fn noted(mut check: Check, notes: &'static str) -> Check {
    check.notes = notes;
    check
}

fn client_data_set(member: &str, value: Json) -> Mutation {
    Mutation::ClientData(ClientDataMutation::Set {
        member: member.to_owned(),
        value,
    })
}

fn client_data_remove(member: &str) -> Mutation {
    Mutation::ClientData(ClientDataMutation::Remove {
        member: member.to_owned(),
    })
}

fn wire_remove(path: &str) -> Mutation {
    Mutation::Wire(WireMutation::Remove {
        path: path.to_owned(),
    })
}

fn wire_set(path: &str, value: Json) -> Mutation {
    Mutation::Wire(WireMutation::Set {
        path: path.to_owned(),
        value,
    })
}

fn wire_standard_base64(path: &str) -> Mutation {
    Mutation::Wire(WireMutation::StandardBase64 {
        path: path.to_owned(),
    })
}

/// Origins a strict RP must refuse (§13.5.9; known-rp-bugs #2 and #36: suffix match without a
/// dot boundary).
const BAD_ORIGINS: [(&str, &str, &str); 5] = [
    ("foreign", "https://evil.example", "a foreign origin"),
    ("scheme", "http://example.org", "the RP origin over http"),
    (
        "port",
        "https://example.org:8443",
        "the RP origin on another port",
    ),
    (
        "subdomain",
        "https://login.example.org",
        "an unlisted subdomain of the RP origin",
    ),
    (
        "suffix",
        "https://evilexample.org",
        "a host that merely ends with the RP ID",
    ),
];

/// How strongly an RP served only at its one origin must refuse a bad origin (§13.4.9): an
/// unexpected origin outside the RP ID, or over http, MUST be refused; another port or a
/// subdomain of the RP ID SHOULD be ("SHOULD require origin to exactly equal"; by default it
/// SHOULD NOT allow a subdomain origin, §13.4.8), since accepting them is a policy the spec lets
/// an RP served there choose.
fn origin_level(case: &str) -> Level {
    match case {
        "port" | "subdomain" => Level::Should,
        _ => Level::Must,
    }
}

/// The three malformed tokenBinding cases (FIDO Resp-2 F-15 to F-17): the FIDO tool rejects
/// them; L3 reserves the member, so a strict RP ignores it (spec digest §1.4).
fn token_binding_checks(
    ids: [&'static str; 3],
    notes: &'static str,
    scenario: impl Fn(Mutation) -> Scenario,
) -> Vec<Check> {
    let values = [
        ("tokenBinding not an object", serde_json::json!("present")),
        ("tokenBinding without status", serde_json::json!({})),
        (
            "tokenBinding status \"avocado\"",
            serde_json::json!({"status": "avocado"}),
        ),
    ];
    ids.into_iter()
        .zip(values)
        .map(|(id, (title, value))| {
            let mut check = reject(
                id,
                title,
                SpecRef::clause(Section::CollectedClientData, "tokenBinding"),
                scenario(client_data_set("tokenBinding", value)),
            );
            check.expect = Expectation {
                strict: Some(Expect::Accept),
                fido: Some(Expect::Reject),
            };
            // L3 reserves the member and has no step for it: ignoring it is what a tolerant
            // parser does (§5.8.1), not a MUST; the FIDO tool requires rejecting it.
            check.level = Level::FidoMust;
            check.notes = notes;
            check
        })
        .collect()
}
