//! `webauthn-conformance emit`: options JSON in, a valid or one-fault response JSON out, for an
//! RP team's own tests (the library API is `webauthn_testkit::emit`).
//!
//! `--check ID` takes the client side of a catalogue check's scenario: its faults, origin,
//! `crossOrigin`/`topOrigin`, wire shape and authenticator. What the check asks the RP for
//! (attestation conveyance, user verification, a discoverable credential) is up to the
//! options given: the RP under test wrote them.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use webauthn_conformance::checks::{Scenario, Setup, catalogue};
use webauthn_conformance::emit;

/// The arguments of `emit`.
#[derive(Debug, clap::Args)]
pub struct EmitArgs {
    /// Creation options JSON (W3C L3 §5.4, or an `/attestation/options` answer); `-` reads
    /// standard input.
    #[arg(long)]
    options: PathBuf,
    /// Request options JSON (§5.5, or an `/assertion/options` answer): also emit an assertion
    /// by the new credential. Send the registration to the RP first.
    #[arg(long)]
    request: Option<PathBuf>,
    /// Put the client side of this catalogue check in the response (its one fault); without
    /// it the response is valid.
    #[arg(long)]
    check: Option<String>,
    /// The origin the client runs at.
    #[arg(long, default_value = "https://example.org")]
    origin: String,
    /// The seed of every key, ID and signature.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn read(path: &Path) -> Result<String, String> {
    if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("standard input: {e}"))
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// The registration and assertion setups of check `id`.
fn check_setups(id: &str, wants_assertion: bool) -> Result<(Setup, Setup), String> {
    let check = catalogue()
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| format!("no check {id:?} (see `webauthn-conformance list`)"))?;
    match (check.scenario, wants_assertion) {
        (
            Scenario::Register(setup) | Scenario::RegisterRequiringTrustedAttestation(setup),
            false,
        ) => Ok((setup, Setup::default())),
        (
            Scenario::Authenticate {
                registration,
                authentication,
            },
            true,
        ) => Ok((registration, authentication)),
        (Scenario::Register(_) | Scenario::RegisterRequiringTrustedAttestation(_), true) => Err(
            format!("{id} is a registration check: give --options only, without --request"),
        ),
        (Scenario::Authenticate { .. }, false) => Err(format!(
            "{id} is an authentication check: give --request as well"
        )),
        _ => Err(format!(
            "{id} runs a scenario of several ceremonies against a live RP; emit makes one \
             registration (and one assertion): use `run --only {id}`"
        )),
    }
}

/// A body as JSON when it is JSON (a fault may have broken it), else as a string.
fn as_json(body: &str) -> Json {
    serde_json::from_str(body).unwrap_or_else(|_| Json::String(body.to_owned()))
}

/// Runs `emit`: the response text for standard output.
pub fn command(args: &EmitArgs) -> Result<String, String> {
    let creation = read(&args.options)?;
    let (registration, assertion) = match &args.check {
        Some(id) => check_setups(id, args.request.is_some())?,
        None => (Setup::default(), Setup::default()),
    };
    if registration.attestation != "none" {
        eprintln!(
            "note: the check asks the RP for attestation {:?}; a client sends attestation \
             \"none\" when the options ask for none",
            registration.attestation
        );
    }
    let registration = registration.client_setup(&args.origin, args.seed);
    match &args.request {
        None => emit::registration(&creation, &registration)
            .map(|created| created.body + "\n")
            .map_err(|e| e.to_string()),
        Some(request) => {
            let request = read(request)?;
            let assertion = assertion.client_setup(&args.origin, args.seed);
            let (created, asserted) =
                emit::authentication(&creation, &request, &registration, &assertion)
                    .map_err(|e| e.to_string())?;
            let both = serde_json::json!({
                "registration": as_json(&created.body),
                "authentication": as_json(&asserted.body),
            });
            serde_json::to_string_pretty(&both)
                .map(|text| text + "\n")
                .map_err(|e| e.to_string())
        }
    }
}
