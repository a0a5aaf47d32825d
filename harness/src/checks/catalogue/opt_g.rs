//! OPT-G: the request options the RP issues (§5.5). Each check asks for options and judges one
//! property; "accept" means the options have it.

use super::{FRESH_CHALLENGE, accept, fido_only, reject};
use crate::checks::{Check, Expect, RequestProbe as R, Scenario, Section, SpecRef};

fn request(clause: &'static str) -> SpecRef {
    SpecRef::clause(Section::RequestOptions, clause)
}

pub(super) fn checks() -> Vec<Check> {
    let get = |id, title, spec, probe| accept(id, title, spec, Scenario::RequestOptions(probe));
    vec![
        get(
            "OPT-G-01",
            "status \"ok\" and errorMessage \"\"",
            request("FIDO ServerResponse"),
            R::StatusOk,
        ),
        get(
            "OPT-G-02",
            "challenge is base64url of 16 to 64 bytes",
            FRESH_CHALLENGE,
            R::Challenge,
        ),
        fido_only(
            get(
                "OPT-G-03",
                "extensions echo the requested example.extension",
                request("extensions"),
                R::ExtensionsEcho,
            ),
            Expect::Accept,
        ),
        get(
            "OPT-G-04",
            "timeout, if present, is a number above 0",
            request("timeout"),
            R::Timeout,
        ),
        get(
            "OPT-G-05",
            "rpId, if present, is the origin's host or a parent domain",
            request("rpId"),
            R::RpId,
        ),
        get(
            "OPT-G-06",
            "allowCredentials lists the user's registered credential",
            request("allowCredentials"),
            R::AllowCredentials,
        ),
        get(
            "OPT-G-07",
            "userVerification echoes the request (\"required\")",
            request("userVerification"),
            R::UserVerificationEcho,
        ),
        get(
            "OPT-G-08",
            "two requests get different challenges",
            FRESH_CHALLENGE,
            R::FreshChallenge,
        ),
        fido_only(
            reject(
                "OPT-G-09",
                "request options for a username nobody registered",
                request("FIDO ServerPublicKeyCredentialGetOptionsRequest.username"),
                Scenario::RequestOptions(R::UnknownUser),
            ),
            Expect::Reject,
        ),
    ]
}
