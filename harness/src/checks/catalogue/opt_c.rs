//! OPT-C: the creation options the RP issues (§5.4). Each check asks for options and judges one
//! property; "accept" means the options have it.

use super::{FRESH_CHALLENGE, accept, fido_only, leveled, reject};
use crate::checks::{Check, CreationProbe as C, Expect, Level, Scenario, Section, SpecRef};

fn creation(clause: &'static str) -> SpecRef {
    SpecRef::clause(Section::CreationOptions, clause)
}

pub(super) fn checks() -> Vec<Check> {
    let opt = |id, title, spec, probe| accept(id, title, spec, Scenario::CreationOptions(probe));
    vec![
        opt(
            "OPT-C-01",
            "status \"ok\" and errorMessage \"\"",
            creation("FIDO ServerResponse"),
            C::StatusOk,
        ),
        opt(
            "OPT-C-02",
            "rp.name is a string; rp.id is the origin's host or a parent domain",
            creation("rp (§5.4.2)"),
            C::RpEntity,
        ),
        opt(
            "OPT-C-03",
            "user.id is base64url of 1 to 64 bytes",
            creation("user.id (§5.4.3)"),
            C::UserId,
        ),
        opt(
            "OPT-C-04",
            "user.name and user.displayName echo the request",
            creation("user (§5.4.3)"),
            C::UserNames,
        ),
        opt(
            "OPT-C-05",
            "challenge is base64url of 16 to 64 bytes",
            FRESH_CHALLENGE,
            C::Challenge,
        ),
        opt(
            "OPT-C-06",
            "two requests get different challenges",
            FRESH_CHALLENGE,
            C::FreshChallenge,
        ),
        opt(
            "OPT-C-07",
            "pubKeyCredParams entries are {type public-key, alg} and include ES256 (-7)",
            creation("pubKeyCredParams (§5.4)"),
            C::PubKeyCredParams,
        ),
        fido_only(
            opt(
                "OPT-C-08",
                "pubKeyCredParams include RS1 (-65535)",
                creation("pubKeyCredParams (FIDO Resp-4 P-8)"),
                C::Rs1Offered,
            ),
            Expect::Accept,
        ),
        opt(
            "OPT-C-09",
            "timeout, if present, is a number above 0",
            creation("timeout"),
            C::Timeout,
        ),
        fido_only(
            opt(
                "OPT-C-10",
                "extensions echo the requested example.extension",
                creation("extensions"),
                C::ExtensionsEcho,
            ),
            Expect::Accept,
        ),
        opt(
            "OPT-C-11",
            "attestation \"none\" requested gives attestation \"none\"",
            creation("attestation"),
            C::AttestationEcho,
        ),
        fido_only(
            opt(
                "OPT-C-12",
                "authenticatorSelection echoes the request",
                creation("authenticatorSelection"),
                C::SelectionEcho,
            ),
            Expect::Accept,
        ),
        // §5.4: the RP SHOULD list the user's credentials; FIDO Resp-1 P-1 requires it.
        leveled(
            opt(
                "OPT-C-13",
                "after a registration, the user's options exclude that credential",
                creation("excludeCredentials"),
                C::ExcludeAfterRegistration,
            ),
            Level::FidoMust,
        ),
        reject(
            "OPT-C-14",
            "creation options requested without username",
            creation("FIDO ServerPublicKeyCredentialCreationOptionsRequest.username"),
            Scenario::CreationOptions(C::MissingUsername),
        ),
        reject(
            "OPT-C-15",
            "creation options requested without displayName",
            creation("FIDO ServerPublicKeyCredentialCreationOptionsRequest.displayName"),
            Scenario::CreationOptions(C::MissingDisplayName),
        ),
        opt(
            "OPT-C-16",
            "a refusal carries a non-empty errorMessage",
            creation("FIDO ServerResponse"),
            C::FailureMessage,
        ),
    ]
}
