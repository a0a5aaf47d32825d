//! Checks of the options an RP issues (W3C L3 §5.4 and §5.5; the OPT-C and OPT-G checks): each probe asks for options and
//! judges one property of the answer. "Accepted" means the options have the property.

use serde_json::{Value as Json, json};

use crate::checks::{CreationProbe, RequestProbe};
use crate::codec::b64url;
use crate::codec::cose::CoseAlgorithm;
use crate::codec::options::{
    AuthenticatorSelection, ServerCreationOptionsRequest, ServerGetOptionsRequest,
};
use crate::rp::{Rejection, Reply, SessionId};

use super::NotJudged;
use super::ceremony::{ALICE, Run, transport};

/// The decisive answer and what was sent.
type Judged = Result<(Reply<()>, String), NotJudged>;

fn holds(ok: bool, why: impl FnOnce() -> String) -> Reply<()> {
    judged(if ok { Ok(()) } else { Err(why()) })
}

fn request_for(username: Option<&str>) -> ServerCreationOptionsRequest {
    ServerCreationOptionsRequest {
        username: username.map(str::to_owned),
        display_name: username.map(|u| format!("{u} (test user)")),
        authenticator_selection: Some(AuthenticatorSelection {
            authenticator_attachment: Some("cross-platform".into()),
            resident_key: Some("preferred".into()),
            require_resident_key: Some(false),
            user_verification: Some("preferred".into()),
        }),
        attestation: Some("none".into()),
        extensions: serde_json::from_value(json!({"example.extension": true})).ok(),
    }
}

fn sent<T: serde::Serialize>(endpoint: &str, request: &T) -> String {
    format!(
        "POST {endpoint} {}",
        serde_json::to_string(request).unwrap_or_default()
    )
}

/// What the RP answered to an options request: the options, or its refusal as the answer.
fn options_or_refusal(reply: Reply<Json>) -> Result<Json, Reply<()>> {
    match reply {
        Reply::Ok(options) => Ok(options),
        Reply::Failed(why) => Err(Reply::Failed(Rejection::message(format!(
            "the RP refused: {why}"
        )))),
        Reply::Erroring(why) => Err(Reply::Erroring(why)),
    }
}

/// base64url text of `min..=max` bytes, or why not.
fn challenge_rule(options: &Json) -> Result<(), String> {
    let text = options
        .get("challenge")
        .and_then(Json::as_str)
        .ok_or("challenge is not a string")?;
    let bytes = b64url::decode(text)
        .map_err(|e| format!("challenge {text:?} is not base64url without padding: {e}"))?;
    if !(16..=64).contains(&bytes.len()) {
        return Err(format!(
            "challenge is {} bytes; W3C L3 §13.5.3 asks for at least 16 (the FIDO API at most 64)",
            bytes.len()
        ));
    }
    Ok(())
}

fn timeout_rule(options: &Json) -> Result<(), String> {
    match options.get("timeout") {
        None => Ok(()),
        Some(t) if t.as_f64().is_some_and(|t| t > 0.0) => Ok(()),
        Some(t) => Err(format!("timeout {t} is not a number above 0")),
    }
}

fn status_rule(options: &Json) -> Result<(), String> {
    let status = options.get("status");
    let message = options.get("errorMessage");
    if status == Some(&json!("ok")) && message == Some(&json!("")) {
        Ok(())
    } else {
        Err(format!(
            "status is {}, errorMessage is {} (FIDO ServerResponse wants \"ok\" and \"\")",
            status.map_or("absent".into(), Json::to_string),
            message.map_or("absent".into(), Json::to_string)
        ))
    }
}

fn extensions_rule(options: &Json) -> Result<(), String> {
    match options
        .get("extensions")
        .and_then(|e| e.get("example.extension"))
    {
        Some(Json::Bool(true)) => Ok(()),
        _ => Err("extensions do not echo the requested example.extension".into()),
    }
}

/// `id` is the caller's effective domain or a registrable parent of it (§5.4.2; public suffix
/// checks are beyond this probe).
fn rp_id_rule(id: Option<&Json>, origin: &str) -> Result<(), String> {
    let host = origin
        .split_once("://")
        .map_or(origin, |(_, rest)| rest)
        .split(':')
        .next()
        .unwrap_or_default();
    match id {
        None => Ok(()),
        Some(Json::String(id)) if host == id || host.ends_with(&format!(".{id}")) => Ok(()),
        Some(other) => Err(format!(
            "RP ID {other} is not the origin's host {host:?} or a parent domain of it"
        )),
    }
}

/// Whether `options[list]` has a `{type: "public-key", id}` descriptor.
fn lists_credential(options: &Json, list: &str, id: &str) -> bool {
    options
        .get(list)
        .and_then(Json::as_array)
        .is_some_and(|list| {
            list.iter().any(|d| {
                d.get("type") == Some(&json!("public-key")) && d.get("id") == Some(&json!(id))
            })
        })
}

fn judged(result: Result<(), String>) -> Reply<()> {
    match result {
        Ok(()) => Reply::Ok(()),
        Err(why) => Reply::Failed(Rejection::message(format!(
            "the options break the rule: {why}"
        ))),
    }
}

pub(super) fn creation(run: &mut Run, probe: CreationProbe) -> Judged {
    let session = SessionId(1);
    let mut request = request_for(Some(ALICE));
    match probe {
        CreationProbe::MissingUsername | CreationProbe::FailureMessage => request.username = None,
        CreationProbe::MissingDisplayName => request.display_name = None,
        CreationProbe::ExcludeAfterRegistration => {
            run.register_valid(session, ALICE, &Default::default())?;
        }
        _ => {}
    }
    let what = sent("/attestation/options", &request);
    let reply = run
        .rp
        .registration_options(session, &request)
        .map_err(transport)?;
    if probe == CreationProbe::FailureMessage {
        let answer = match reply {
            Reply::Failed(why) => holds(!why.message.trim().is_empty(), || {
                "the refusal has an empty errorMessage".into()
            }),
            Reply::Erroring(why) => Reply::Failed(Rejection::message(format!(
                "the RP refused by erroring, with no errorMessage: {why}"
            ))),
            Reply::Ok(_) => Reply::Failed(Rejection::message(
                "the RP issued options without a username",
            )),
        };
        return Ok((answer, what));
    }
    let options = match options_or_refusal(reply) {
        Ok(options) => options,
        Err(refused) => return Ok((refused, what)),
    };
    if matches!(
        probe,
        CreationProbe::MissingUsername | CreationProbe::MissingDisplayName
    ) {
        return Ok((Reply::Ok(()), what));
    }
    let answer = match probe {
        CreationProbe::StatusOk => judged(status_rule(&options)),
        CreationProbe::RpEntity => {
            let rp = options.get("rp");
            let name_ok = rp
                .and_then(|rp| rp.get("name"))
                .is_some_and(Json::is_string);
            judged(if name_ok {
                rp_id_rule(rp.and_then(|rp| rp.get("id")), &run.origin)
            } else {
                Err("rp.name is not a string".into())
            })
        }
        CreationProbe::UserId => {
            let id = options
                .get("user")
                .and_then(|u| u.get("id"))
                .and_then(Json::as_str)
                .map(b64url::decode);
            judged(match id {
                Some(Ok(bytes)) if (1..=64).contains(&bytes.len()) => Ok(()),
                Some(Ok(bytes)) => Err(format!(
                    "user.id is {} bytes (W3C L3 §5.4.3: 1 to 64)",
                    bytes.len()
                )),
                _ => Err("user.id is not base64url text".into()),
            })
        }
        CreationProbe::UserNames => {
            let user = options.get("user").cloned().unwrap_or_default();
            judged(
                if user.get("name") == Some(&json!(ALICE))
                    && user.get("displayName").and_then(Json::as_str)
                        == request.display_name.as_deref()
                {
                    Ok(())
                } else {
                    Err(format!(
                        "user.name/displayName {} do not echo the request",
                        user
                    ))
                },
            )
        }
        CreationProbe::Challenge => judged(challenge_rule(&options)),
        CreationProbe::FreshChallenge => {
            let again = run
                .rp
                .registration_options(SessionId(2), &request)
                .map_err(transport)?;
            // A refused second request says nothing about freshness: not judged, never a pass.
            let second = super::ok_options(again, "the second creation options request")?;
            holds(options.get("challenge") != second.get("challenge"), || {
                "two requests got the same challenge".into()
            })
        }
        CreationProbe::PubKeyCredParams => {
            let params = pub_key_cred_params(&options);
            let well_formed = !params.is_empty()
                && params.iter().all(|p| {
                    p.get("type") == Some(&json!("public-key"))
                        && p.get("alg").is_some_and(Json::is_i64)
                });
            let wanted = CoseAlgorithm::Es256.id();
            let offered = offers(&params, wanted);
            holds(well_formed && offered, || {
                format!("pubKeyCredParams {params:?} must be well-formed and offer {wanted}")
            })
        }
        CreationProbe::Rs1Offered => {
            let params = pub_key_cred_params(&options);
            let wanted = CoseAlgorithm::Rs1.id();
            holds(offers(&params, wanted), || {
                format!("pubKeyCredParams {params:?} does not offer RS1 ({wanted})")
            })
        }
        CreationProbe::Timeout => judged(timeout_rule(&options)),
        CreationProbe::ExtensionsEcho => judged(extensions_rule(&options)),
        CreationProbe::AttestationEcho => {
            holds(options.get("attestation") == Some(&json!("none")), || {
                format!(
                    "attestation is {} though \"none\" was requested",
                    options.get("attestation").unwrap_or(&Json::Null)
                )
            })
        }
        CreationProbe::SelectionEcho => {
            let wanted = serde_json::to_value(&request.authenticator_selection).unwrap_or_default();
            let got = options.get("authenticatorSelection").cloned();
            holds(got.as_ref() == Some(&wanted), || {
                format!(
                    "authenticatorSelection {} does not echo {wanted}",
                    got.unwrap_or_default()
                )
            })
        }
        CreationProbe::ExcludeAfterRegistration => {
            let id = b64url::encode(&run.latest_credential()?.id);
            let listed = lists_credential(&options, "excludeCredentials", &id);
            holds(listed, || {
                "excludeCredentials does not list the user's registered credential".into()
            })
        }
        CreationProbe::MissingUsername
        | CreationProbe::MissingDisplayName
        | CreationProbe::FailureMessage => Reply::Ok(()),
    };
    Ok((answer, what))
}

pub(super) fn request(run: &mut Run, probe: RequestProbe) -> Judged {
    let session = SessionId(1);
    run.register_valid(session, ALICE, &Default::default())?;
    let request = ServerGetOptionsRequest {
        username: Some(if probe == RequestProbe::UnknownUser {
            "nobody-registered-this-name".into()
        } else {
            ALICE.into()
        }),
        user_verification: Some(
            if probe == RequestProbe::UserVerificationEcho {
                "required"
            } else {
                "preferred"
            }
            .into(),
        ),
        extensions: serde_json::from_value(json!({"example.extension": true})).ok(),
    };
    let what = sent("/assertion/options", &request);
    let reply = run
        .rp
        .authentication_options(session, &request)
        .map_err(transport)?;
    let options = match options_or_refusal(reply) {
        Ok(options) => options,
        Err(refused) => return Ok((refused, what)),
    };
    let answer = match probe {
        RequestProbe::StatusOk => judged(status_rule(&options)),
        RequestProbe::Challenge => judged(challenge_rule(&options)),
        RequestProbe::ExtensionsEcho => judged(extensions_rule(&options)),
        RequestProbe::Timeout => judged(timeout_rule(&options)),
        RequestProbe::RpId => judged(rp_id_rule(options.get("rpId"), &run.origin)),
        RequestProbe::AllowCredentials => {
            let id = b64url::encode(&run.latest_credential()?.id);
            let listed = lists_credential(&options, "allowCredentials", &id);
            holds(listed, || {
                "allowCredentials does not list the user's registered credential".into()
            })
        }
        RequestProbe::UserVerificationEcho => holds(
            options.get("userVerification") == Some(&json!("required")),
            || {
                format!(
                    "userVerification is {} though \"required\" was requested",
                    options.get("userVerification").unwrap_or(&Json::Null)
                )
            },
        ),
        RequestProbe::FreshChallenge => {
            let again = run
                .rp
                .authentication_options(SessionId(2), &request)
                .map_err(transport)?;
            // A refused second request says nothing about freshness: not judged, never a pass.
            let second =
                super::ok_options(again, "the second request (assertion) options request")?;
            holds(options.get("challenge") != second.get("challenge"), || {
                "two requests got the same challenge".into()
            })
        }
        RequestProbe::UnknownUser => Reply::Ok(()),
    };
    Ok((answer, what))
}

/// The `pubKeyCredParams` entries of creation options (none if absent or not an array).
fn pub_key_cred_params(options: &Json) -> Vec<Json> {
    options
        .get("pubKeyCredParams")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Whether a `pubKeyCredParams` list has an entry for COSE algorithm `alg`.
fn offers(params: &[Json], alg: i64) -> bool {
    params.iter().any(|p| p.get("alg") == Some(&json!(alg)))
}
