//! The real-browser corpus in `vectors/browser/` (recorded by `cargo xtask browser --record`
//! from headless Chromium and its virtual authenticator): every recorded registration and
//! assertion is accepted by the reference RP through the normal path, and the virtual client's
//! bodies have the browser's members, JSON types and encodings, except the differences listed
//! below with their reason. No browser is needed to run these tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use webauthn_conformance::authenticator::Transport;
use webauthn_conformance::codec::b64url;
use webauthn_conformance::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use webauthn_conformance::emit::{self, ClientSetup};
use webauthn_conformance::rp::reference::{ReferenceRp, harness_trust_store};
use webauthn_conformance::rp::{RelyingParty, Reply, RpConfig, SessionId};

/// A recorded conversation.
struct Recording {
    name: String,
    file: Json,
}

impl Recording {
    fn get<T: serde::de::DeserializeOwned>(&self, member: &str) -> T {
        serde_json::from_value(self.file[member].clone())
            .unwrap_or_else(|e| panic!("{}: {member}: {e}", self.name))
    }

    fn rp(&self) -> ReferenceRp {
        let config: RpConfig = self.get("rpConfig");
        ReferenceRp::new(config, None, harness_trust_store().unwrap().clone())
    }

    fn session(&self) -> SessionId {
        SessionId(self.get("session"))
    }
}

fn recordings() -> Vec<Recording> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/browser");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| Recording {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            file: serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap(),
        })
        .collect()
}

fn ok_options(reply: Reply<Json>) -> Json {
    match reply {
        Reply::Ok(options) => options,
        other => panic!("the RP refused to issue options: {other:?}"),
    }
}

#[test]
fn the_corpus_has_real_browser_bodies_with_provenance() {
    let all = recordings();
    assert!(all.len() >= 8, "{} recordings", all.len());
    for r in &all {
        let browser = r.file["provenance"]["browser"].as_str().unwrap_or_default();
        assert!(browser.starts_with("Chromium "), "{}: {browser}", r.name);
        assert!(r.file["provenance"]["configuration"]["protocol"].is_string());
        assert_eq!(r.file["registrationAnswer"]["status"], "ok", "{}", r.name);
        assert_eq!(r.file["authenticationAnswer"]["status"], "ok", "{}", r.name);
    }
}

/// Replays `r` up to its assertion against a reference RP with the recorded configuration and
/// seed: it issues the recorded options (the same challenges) and accepts the browser's
/// registration (W3C L3 §7.1, every step). The RP then waits for the assertion.
fn replay_registration(r: &Recording) -> (ReferenceRp, SessionId) {
    let mut rp = r.rp();
    let session = r.session();
    let creation_request: ServerCreationOptionsRequest = r.get("creationRequest");
    let options = ok_options(rp.registration_options(session, &creation_request).unwrap());
    assert_eq!(
        options, r.file["creationOptions"],
        "{}: creation options",
        r.name
    );
    let registration = r.file["registration"].to_string();
    assert_eq!(
        rp.finish_registration(session, &registration).unwrap(),
        Reply::Ok(()),
        "{}: registration",
        r.name
    );
    let request_request: ServerGetOptionsRequest = r.get("requestRequest");
    let options = ok_options(
        rp.authentication_options(session, &request_request)
            .unwrap(),
    );
    assert_eq!(
        options, r.file["requestOptions"],
        "{}: request options",
        r.name
    );
    (rp, session)
}

/// Every recorded registration and assertion is accepted (W3C L3 §7.1 and §7.2, every step).
#[test]
fn the_reference_rp_accepts_every_recorded_body() {
    for r in recordings() {
        let (mut rp, session) = replay_registration(&r);
        let assertion = r.file["authentication"].to_string();
        assert_eq!(
            rp.finish_authentication(session, &assertion).unwrap(),
            Reply::Ok(()),
            "{}: authentication",
            r.name
        );
    }
}

/// The browser's body altered in one signed byte is refused: the acceptance above is the
/// RP verifying the browser's signature, not accepting anything (W3C L3 §7.2 step 21).
#[test]
fn a_recorded_assertion_with_a_changed_signature_is_refused() {
    let r = &recordings()[0];
    let (mut rp, session) = replay_registration(r);
    let mut assertion = r.file["authentication"].clone();
    let signature = assertion["response"]["signature"]
        .as_str()
        .unwrap()
        .to_owned();
    // Change one character in the middle of the base64url signature.
    let mid = signature.len() / 2;
    let swapped = if &signature[mid..=mid] == "A" {
        "B"
    } else {
        "A"
    };
    let changed = format!("{}{swapped}{}", &signature[..mid], &signature[mid + 1..]);
    assertion["response"]["signature"] = Json::String(changed);
    assert!(matches!(
        rp.finish_authentication(session, &assertion.to_string())
            .unwrap(),
        Reply::Failed(_)
    ));
}

/// What a JSON value is, for the shape comparison: its type, and for strings whether they
/// are base64url (W3C L3 §5.1: `Base64URLString` members).
fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(s)
            if !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            "base64url string"
        }
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// Members whose value, not only kind, must match the browser's for the same authenticator:
/// what it reports of itself (W3C L3 §5.1 `authenticatorAttachment`, §5.2.1 `getTransports()`).
const COMPARED_BY_VALUE: [&str; 2] = [".authenticatorAttachment", ".response.transports[]"];

/// Every member path of `value` with its kind; array elements share the path `[]`, and
/// `clientDataJSON` is opened (its members under `.response.clientDataJSON{}`).
fn shape(value: &Json, path: &str, out: &mut BTreeMap<String, String>) {
    let described = match value {
        Json::String(s) if COMPARED_BY_VALUE.contains(&path) => format!("{:?}", s),
        _ => kind(value).to_owned(),
    };
    let key = if COMPARED_BY_VALUE.contains(&path) {
        format!("{path} = {described}")
    } else {
        path.to_owned()
    };
    out.insert(key, described);
    if path == ".response.clientDataJSON"
        && let Some(text) = value.as_str()
        && let Ok(bytes) = b64url::decode(text)
        && let Ok(client_data) = serde_json::from_slice::<Json>(&bytes)
    {
        shape(&client_data, &format!("{path}{{}}"), out);
    }
    match value {
        Json::Object(map) => {
            for (k, v) in map {
                shape(v, &format!("{path}.{k}"), out);
            }
        }
        Json::Array(items) => {
            for item in items {
                shape(item, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

/// Known differences between the virtual client's bodies and Chromium's: (body, path, what
/// the browser has, what the virtual client has, why it is so for now).
const KNOWN_DIFFERENCES: [(&str, &str, &str, &str, &str); 2] = [
    (
        "authentication",
        ".response.clientDataJSON{}.other_keys_can_be_added_here",
        "string",
        "absent",
        "Chromium adds this member to clientDataJSON on purpose, so that RPs do not parse it as a fixed template (W3C L3 §5.8.1.2 lets clients add members); catalogue checks send unknown members, the valid body does not",
    ),
    (
        "registration",
        ".response.clientDataJSON{}.other_keys_can_be_added_here",
        "string",
        "absent",
        "Chromium adds this member to clientDataJSON on purpose, so that RPs do not parse it as a fixed template (W3C L3 §5.8.1.2 lets clients add members); catalogue checks send unknown members, the valid body does not",
    ),
];

#[test]
fn the_virtual_client_sends_what_the_browser_sends() {
    let mut found = Vec::new();
    for r in recordings() {
        let config: RpConfig = r.get("rpConfig");
        let mut setup = ClientSetup::new(&config.origins[0], 1);
        // The same kind of authenticator as Chromium's virtual one.
        setup.authenticator.transport =
            match r.file["provenance"]["configuration"]["transport"].as_str() {
                Some("usb") => Transport::Usb,
                Some("nfc") => Transport::Nfc,
                Some("ble") => Transport::Ble,
                Some("hybrid") => Transport::Hybrid,
                _ => Transport::Internal,
            };
        let creation = r.file["creationOptions"].to_string();
        // The request names the browser's credential; ours has another ID.
        let ours = emit::registration(&creation, &setup).unwrap().credential_id;
        let mut request = r.file["requestOptions"].clone();
        if let Some(Json::Array(allowed)) = request.get_mut("allowCredentials") {
            for credential in allowed {
                credential["id"] = Json::String(b64url::encode(&ours));
            }
        }
        let request = request.to_string();
        let (created, asserted) =
            emit::authentication(&creation, &request, &setup, &setup).unwrap();
        for (body, ours, browsers) in [
            ("registration", created.body, &r.file["registration"]),
            ("authentication", asserted.body, &r.file["authentication"]),
        ] {
            let ours: Json = serde_json::from_str(&ours).unwrap();
            let (mut a, mut b): (BTreeMap<String, String>, BTreeMap<String, String>) =
                (BTreeMap::new(), BTreeMap::new());
            shape(browsers, "", &mut a);
            shape(&ours, "", &mut b);
            let paths: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for path in paths {
                let (x, y) = (
                    a.get(path).map_or("absent", String::as_str).to_owned(),
                    b.get(path).map_or("absent", String::as_str).to_owned(),
                );
                if x != y {
                    found.push((body, path.clone(), x, y));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    let unexplained: Vec<_> = found
        .iter()
        .filter(|(body, path, x, y)| {
            !KNOWN_DIFFERENCES
                .iter()
                .any(|(b, p, bx, by, _)| b == body && p == path && bx == x && by == y)
        })
        .collect();
    assert!(
        unexplained.is_empty(),
        "differences from Chromium not in KNOWN_DIFFERENCES: {unexplained:#?}"
    );
    // Every listed difference is still real: fixing one means deleting its row.
    for (b, p, bx, by, _) in KNOWN_DIFFERENCES {
        assert!(
            found
                .iter()
                .any(|(body, path, x, y)| b == *body && p == path && bx == *x && by == *y),
            "{b} {p}: listed but gone"
        );
    }
}
