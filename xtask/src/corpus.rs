//! `cargo xtask browser --record`: real registrations and assertions from headless Chromium,
//! written to `vectors/browser/` with their provenance, so the virtual client's idea of a valid
//! body can be compared with a browser's (W3C L3 §5.1.3 and §5.1.4 are what the browser runs).
//!
//! Chromium's own virtual authenticator (the WebDriver extension of W3C L3 §11, "User Agent
//! Automation") stands in for the hardware. The page is any document at
//! `http://localhost:PORT` (a secure context; `serve` answers it), and the RP is the reference RP
//! in process, configured with RP ID `localhost` and that origin: the harness asks it for
//! options, the page passes them through `PublicKeyCredential.parseCreationOptionsFromJSON` to
//! `navigator.credentials.create` (and `get`), and `JSON.stringify` of the credential (its
//! `toJSON()`) goes back to the RP. Each recorded file holds the whole conversation, so a test
//! replays it against an RP with the same configuration and seed, which issues the same
//! challenges.

use std::path::Path;

use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value as Json, json};
use webauthn_conformance::codec::options::{
    AuthenticatorSelection, ServerCreationOptionsRequest, ServerGetOptionsRequest,
};
use webauthn_conformance::rp::reference::{ReferenceFactory, ReferenceRp, harness_trust_store};
use webauthn_conformance::rp::{Profile, RelyingParty, Reply, RpConfig, SessionId};
use webauthn_conformance::serve::{self, ServeOptions};

use crate::browser::{self, Driver};

/// The browser session's one WebAuthn session with the RP.
const SESSION: SessionId = SessionId(1);

/// One kind of authenticator and what the RP asks of it.
#[derive(Debug, Clone, Copy)]
struct Configuration {
    /// The file name under `vectors/browser/`.
    name: &'static str,
    /// `ctap2` or `ctap1/u2f`.
    protocol: &'static str,
    /// `usb`, `nfc`, `ble`, `internal`.
    transport: &'static str,
    has_resident_key: bool,
    has_user_verification: bool,
    /// `residentKey` asked for; `required` makes the login username-less.
    resident_key: &'static str,
    /// `userVerification` asked for at registration and login.
    user_verification: &'static str,
    /// Attestation conveyance asked for.
    attestation: &'static str,
}

const CONFIGURATIONS: [Configuration; 8] = [
    Configuration {
        name: "ctap2-internal-uv-discoverable",
        protocol: "ctap2",
        transport: "internal",
        has_resident_key: true,
        has_user_verification: true,
        resident_key: "required",
        user_verification: "required",
        attestation: "none",
    },
    Configuration {
        name: "ctap2-internal-uv-preferred",
        protocol: "ctap2",
        transport: "internal",
        has_resident_key: true,
        has_user_verification: true,
        resident_key: "preferred",
        user_verification: "preferred",
        attestation: "none",
    },
    Configuration {
        name: "ctap2-usb-no-uv",
        protocol: "ctap2",
        transport: "usb",
        has_resident_key: false,
        has_user_verification: false,
        resident_key: "discouraged",
        user_verification: "discouraged",
        attestation: "none",
    },
    Configuration {
        name: "ctap2-usb-uv-discoverable",
        protocol: "ctap2",
        transport: "usb",
        has_resident_key: true,
        has_user_verification: true,
        resident_key: "required",
        user_verification: "preferred",
        attestation: "none",
    },
    Configuration {
        name: "ctap2-nfc-uv",
        protocol: "ctap2",
        transport: "nfc",
        has_resident_key: false,
        has_user_verification: true,
        resident_key: "discouraged",
        user_verification: "required",
        attestation: "none",
    },
    Configuration {
        name: "ctap2-ble-no-uv",
        protocol: "ctap2",
        transport: "ble",
        has_resident_key: false,
        has_user_verification: false,
        resident_key: "discouraged",
        user_verification: "discouraged",
        attestation: "none",
    },
    Configuration {
        name: "u2f-usb",
        protocol: "ctap1/u2f",
        transport: "usb",
        has_resident_key: false,
        has_user_verification: false,
        resident_key: "discouraged",
        user_verification: "discouraged",
        attestation: "none",
    },
    Configuration {
        name: "ctap2-usb-uv-required",
        protocol: "ctap2",
        transport: "usb",
        has_resident_key: false,
        has_user_verification: true,
        resident_key: "discouraged",
        user_verification: "required",
        attestation: "none",
    },
];

/// A WebDriver extension command of W3C L3 §11 (ChromeDriver implements them).
#[derive(Debug)]
struct Automation {
    method: http::Method,
    /// The path under the session, e.g. `webauthn/authenticator`.
    path: String,
    body: Option<Json>,
}

impl WebDriverCompatibleCommand for Automation {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (self.method.clone(), self.body.as_ref().map(Json::to_string))
    }
}

/// Records every configuration into `root/vectors/browser/`.
pub fn main(root: &Path, out: &Path) -> Result<(), String> {
    browser::install_when_missing()?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let out = out
        .canonicalize()
        .map_err(|e| format!("{}: {e}", out.display()))?;
    // The page's origin: `serve` on a free loopback port. Its RP is not used; it answers the
    // page's GET (with 405), which is all a document needs to be at the origin.
    let page = serve::start(
        Box::new(ReferenceFactory::new(None)),
        ServeOptions {
            port: 0,
            config: RpConfig::example(Profile::Strict, 1),
            max_requests: 100,
            limits: serve::Limits::default(),
        },
    )
    .map_err(|e| e.to_string())?;
    let port = page
        .url()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse::<u16>().ok())
        .ok_or("serve gave no port")?;
    let origin = format!("http://localhost:{port}");
    let dir = root.join("vectors/browser");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let driver = Driver::start(&out)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let outcome = runtime.block_on(async {
        let client = driver.connect(&out).await?;
        let recorded = async {
            client
                .goto(&format!("{origin}/"))
                .await
                .map_err(|e| format!("{origin}: {e}"))?;
            let version = browser_version();
            for configuration in CONFIGURATIONS {
                let file = record(&client, &configuration, &origin, &version).await?;
                let path = dir.join(format!("{}.json", configuration.name));
                let mut text = serde_json::to_string_pretty(&file).map_err(|e| format!("{e}"))?;
                text.push('\n');
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                println!("recorded {}", path.display());
            }
            Ok::<_, String>(())
        }
        .await;
        let _ = client.close().await;
        recorded
    });
    drop(driver);
    let _ = page.shutdown();
    outcome
}

/// The RP configuration a recorded conversation was held with: the reference RP at `origin`.
fn rp_config(origin: &str) -> RpConfig {
    let mut config = RpConfig::example(Profile::Strict, 1);
    config.rp_id = "localhost".into();
    config.origins = vec![origin.to_owned()];
    config
}

async fn record(
    client: &Client,
    configuration: &Configuration,
    origin: &str,
    version: &str,
) -> Result<Json, String> {
    let failed =
        |what: &str, e: &dyn std::fmt::Display| format!("{}: {what}: {e}", configuration.name);
    let added = client
        .issue_cmd(Automation {
            method: http::Method::POST,
            path: "webauthn/authenticator".into(),
            body: Some(json!({
                "protocol": configuration.protocol,
                "transport": configuration.transport,
                "hasResidentKey": configuration.has_resident_key,
                "hasUserVerification": configuration.has_user_verification,
                "isUserConsenting": true,
                "isUserVerified": configuration.has_user_verification,
            })),
        })
        .await
        .map_err(|e| failed("add a virtual authenticator", &e))?;
    let authenticator = added.as_str().unwrap_or_default().to_owned();
    let config = rp_config(origin);
    let trust_store = harness_trust_store()
        .map_err(|e| failed("trust store", &e))?
        .clone();
    let mut rp = ReferenceRp::new(config.clone(), None, trust_store);
    let creation_request = ServerCreationOptionsRequest {
        username: Some("alice".into()),
        display_name: Some("Alice".into()),
        authenticator_selection: Some(AuthenticatorSelection {
            resident_key: Some(configuration.resident_key.into()),
            require_resident_key: None,
            user_verification: Some(configuration.user_verification.into()),
            authenticator_attachment: None,
        }),
        attestation: Some(configuration.attestation.into()),
        extensions: None,
    };
    let creation = options(rp.registration_options(SESSION, &creation_request))
        .map_err(|e| failed("creation options", &e))?;
    let registration = ceremony(client, "create", "parseCreationOptionsFromJSON", &creation)
        .await
        .map_err(|e| failed("navigator.credentials.create", &e))?;
    let registered = rp
        .finish_registration(SESSION, &registration)
        .map_err(|e| failed("registration", &e))?;
    let discoverable = configuration.resident_key == "required";
    let request_request = ServerGetOptionsRequest {
        username: (!discoverable).then(|| "alice".into()),
        user_verification: Some(configuration.user_verification.into()),
        extensions: None,
    };
    let request = options(rp.authentication_options(SESSION, &request_request))
        .map_err(|e| failed("request options", &e))?;
    let assertion = ceremony(client, "get", "parseRequestOptionsFromJSON", &request)
        .await
        .map_err(|e| failed("navigator.credentials.get", &e))?;
    let asserted = rp
        .finish_authentication(SESSION, &assertion)
        .map_err(|e| failed("authentication", &e))?;
    let _ = client
        .issue_cmd(Automation {
            method: http::Method::DELETE,
            path: format!("webauthn/authenticator/{authenticator}"),
            body: None,
        })
        .await;
    let parse =
        |text: &str| serde_json::from_str::<Json>(text).unwrap_or(Json::String(text.into()));
    Ok(json!({
        "provenance": {
            "browser": format!("{version} (Debian package chromium), headless, through ChromeDriver"),
            "authenticator": "Chromium's virtual authenticator (WebDriver extension of W3C L3 §11)",
            "configuration": {
                "protocol": configuration.protocol,
                "transport": configuration.transport,
                "hasResidentKey": configuration.has_resident_key,
                "hasUserVerification": configuration.has_user_verification,
                "isUserVerified": configuration.has_user_verification,
            },
            "recordedWith": "cargo xtask browser --record",
            "bodies": "JSON.stringify(credential), i.e. PublicKeyCredential.toJSON() (W3C L3 §5.1)",
        },
        "rpConfig": config,
        "session": SESSION.0,
        "creationRequest": creation_request,
        "creationOptions": creation,
        "registration": parse(&registration),
        "registrationAnswer": answer(&registered),
        "requestRequest": request_request,
        "requestOptions": request,
        "authentication": parse(&assertion),
        "authenticationAnswer": answer(&asserted),
    }))
}

fn options(reply: Result<Reply<Json>, webauthn_conformance::rp::RpError>) -> Result<Json, String> {
    match reply.map_err(|e| e.to_string())? {
        Reply::Ok(options) => Ok(options),
        Reply::Failed(why) => Err(why.to_string()),
        Reply::Erroring(why) => Err(why),
    }
}

fn answer(reply: &Reply<()>) -> Json {
    match reply {
        Reply::Ok(()) => json!({"status": "ok"}),
        Reply::Failed(why) => json!({"status": "failed", "errorMessage": why.to_string()}),
        Reply::Erroring(why) => json!({"status": "error", "errorMessage": why}),
    }
}

/// Runs `navigator.credentials.<method>` in the page on `options` (parsed by the browser's own
/// `PublicKeyCredential.<parse>`), and returns `JSON.stringify` of the credential.
async fn ceremony(
    client: &Client,
    method: &str,
    parse: &str,
    options: &Json,
) -> Result<String, String> {
    let script = format!(
        "const [options, done] = arguments;
         navigator.credentials.{method}({{publicKey: PublicKeyCredential.{parse}(options)}})
           .then(c => done({{ok: JSON.stringify(c)}}), e => done({{error: String(e)}}));"
    );
    let result = client
        .execute_async(&script, vec![options.clone()])
        .await
        .map_err(|e| e.to_string())?;
    match (result.get("ok").and_then(Json::as_str), result.get("error")) {
        (Some(body), _) => Ok(body.to_owned()),
        (None, Some(error)) => Err(error.to_string()),
        (None, None) => Err(format!("the page answered {result}")),
    }
}

/// What `chromium --version` prints (the user agent gives only the major version).
fn browser_version() -> String {
    std::process::Command::new(browser::CHROMIUM)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "Chromium (version unknown)".into())
}
