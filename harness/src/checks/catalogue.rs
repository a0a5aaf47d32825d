//! The catalogue, one file per check ID family (`reg_cd.rs` holds the `REG-CD-*` rows), and the
//! builders the families share.

mod ak;
mod alg;
mod apl;
mod r#as;
mod as_cd;
mod as_env;
mod cmp;
mod enc;
mod none;
mod opt_c;
mod opt_g;
mod pk;
mod reg_ao;
mod reg_cd;
mod reg_env;
mod sn;
mod tpm;
mod trust;
mod u2f;

use serde_json::Value as Json;

use super::{Check, Expect, Expectation, Level, Scenario, Section, Setup, SpecRef, Step};
use crate::authenticator::mutation::{
    AuthDataMutation, ClientDataMutation, SignatureMutation, StatementFault, WireMutation,
};
use crate::authenticator::{AttestationFormat, CounterPolicy, Mutation};
use crate::codec::cose::CoseAlgorithm;

/// Every check, family by family in the spec's order: the options the RP issues (§5.4, §5.5),
/// registration (§7.1: envelope, clientDataJSON, attestation object), algorithms (§5.8.5,
/// §6.5.5), attestation statement formats (§8.2 to §8.9, then attestation trust, §7.1 steps
/// 23-24), authentication (§7.2: envelope, clientDataJSON, the rest), encodings (§2.1, §5.1).
pub fn catalogue() -> Vec<Check> {
    [
        opt_c::checks(),
        opt_g::checks(),
        reg_env::checks(),
        reg_cd::checks(),
        reg_ao::checks(),
        alg::checks(),
        pk::checks(),
        tpm::checks(),
        ak::checks(),
        sn::checks(),
        u2f::checks(),
        none::checks(),
        apl::checks(),
        cmp::checks(),
        trust::checks(),
        as_env::checks(),
        as_cd::checks(),
        r#as::checks(),
        enc::checks(),
    ]
    .concat()
}

// Checks.

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

/// A check of the strict profile only, with its expectation there: the FIDO tool documents no
/// such case, or another of its rules already refuses the response.
fn strict_only(mut check: Check) -> Check {
    check.expect.fido = None;
    check
}

/// `check` expecting `strict` under L3 and `fido` under the FIDO tool's rules.
fn per_profile(mut check: Check, strict: Expect, fido: Expect) -> Check {
    check.expect = Expectation {
        strict: Some(strict),
        fido: Some(fido),
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

/// `check` run against an RP set up to expect use in a cross-origin iframe under `top_origin`.
fn with_framing(mut check: Check, top_origin: &'static str) -> Check {
    check.framed_by = Some(top_origin);
    check
}

// Citations several families share.

/// §13.5.3: a challenge is used once.
const SINGLE_USE: SpecRef = SpecRef::clause(Section::CryptographicChallenges, "single use");

/// §13.5.3: what the RP issues as a challenge.
const FRESH_CHALLENGE: SpecRef = SpecRef::clause(
    Section::CryptographicChallenges,
    "at least 16 random bytes, fresh per ceremony",
);

/// §13.5.3: which ceremony a challenge answers, and for how long.
const CHALLENGE_SCOPE: SpecRef = SpecRef::clause(
    Section::CryptographicChallenges,
    "single use, bound to its ceremony, valid about as long as the timeout",
);

/// §7.1 steps 23-24: whether the attestation is trustworthy is the RP's policy.
const TRUST: SpecRef = SpecRef::new(Section::Registration, Step::Range(23, 24));

// Scenarios.

/// A registration with `setup`.
fn register(setup: Setup) -> Scenario {
    Scenario::Register(setup)
}

/// A registration with `mutation`.
fn reg(mutation: Mutation) -> Scenario {
    Scenario::Register(Setup::with(mutation))
}

/// A valid registration, then an authentication with `setup`.
fn auth_with(setup: Setup) -> Scenario {
    Scenario::Authenticate {
        registration: Setup::default(),
        authentication: setup,
    }
}

/// A valid registration, then an authentication with `mutation`.
fn auth(mutation: Mutation) -> Scenario {
    auth_with(Setup::with(mutation))
}

/// An authenticator whose counter starts at `start` and increases.
fn counter(start: u32) -> Setup {
    Setup::default().authenticator(|a| a.counter = CounterPolicy::Increasing { start })
}

/// Authenticator data carrying `count` as signCount.
fn sign_count(count: u32) -> Setup {
    Setup::with(Mutation::AuthData(AuthDataMutation::SignCount(count)))
}

/// An authenticator attesting its credentials with self packed attestation.
fn packed_self() -> Setup {
    Setup::default().authenticator(|a| a.attestation = AttestationFormat::PackedSelf)
}

/// A self packed registration with `mutation`.
fn self_packed(mutation: Mutation) -> Scenario {
    Scenario::Register(packed_self().and(mutation))
}

/// A self-attested credential of `alg`.
fn credential(alg: CoseAlgorithm) -> Setup {
    Setup::default().authenticator(|a| {
        a.algorithms = vec![alg];
        a.attestation = AttestationFormat::PackedSelf;
    })
}

/// A credential of `alg`, then an assertion with `fault` (or none).
fn assertion(alg: CoseAlgorithm, fault: Option<SignatureMutation>) -> Scenario {
    Scenario::Authenticate {
        registration: credential(alg),
        authentication: match fault {
            Some(fault) => Setup::with(Mutation::Signature(fault)),
            None => Setup::default(),
        },
    }
}

/// A registration asking for `direct` attestation, answered with a valid statement of
/// `format`.
fn format(format: AttestationFormat) -> Scenario {
    Scenario::Register(direct(format))
}

/// The authenticator of `format` makes the keys real devices of that format make
/// ([`AttestationFormat::device_algorithms`]), so that an RP is not judged on a statement no
/// device sends (an Apple statement over an Ed25519 key); the other algorithms have checks of
/// their own.
fn direct(format: AttestationFormat) -> Setup {
    Setup::default()
        .attestation("direct")
        .authenticator(move |a| {
            a.attestation = format;
            if let Some(algorithms) = format.device_algorithms() {
                a.algorithms = algorithms.to_vec();
            }
        })
}

/// [`direct`] with the credential algorithm pinned to `alg`: a statement of `format` over a
/// key its usual devices do not make.
fn direct_with(format: AttestationFormat, alg: CoseAlgorithm) -> Scenario {
    Scenario::Register(direct(format).authenticator(move |a| a.algorithms = vec![alg]))
}

/// A registration asking for `direct` attestation whose statement carries `fault` (the fault
/// picks the format), from the same authenticator as the format's positive ([`direct`]).
fn stmt(fault: StatementFault) -> Scenario {
    Scenario::Register(direct(fault.format()).and(Mutation::Statement(fault)))
}

// Mutations.

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

// Rows that registration and authentication share.

/// Origins a strict RP must refuse (§13.5.9; docs/known-bugs.md #2 and #36: suffix match
/// without a dot boundary).
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
/// them; L3 reserves the member (§5.8.1), so a strict RP ignores it.
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
            let check = reject(
                id,
                title,
                SpecRef::clause(Section::CollectedClientData, "tokenBinding"),
                scenario(client_data_set("tokenBinding", value)),
            );
            // L3 reserves the member and has no step for it: ignoring it is what a tolerant
            // parser does (§5.8.1), not a MUST; the FIDO tool requires rejecting it.
            noted(
                leveled(
                    per_profile(check, Expect::Accept, Expect::Reject),
                    Level::FidoMust,
                ),
                notes,
            )
        })
        .collect()
}
