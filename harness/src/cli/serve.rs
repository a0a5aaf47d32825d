//! `serve`: an in-process RP over the FIDO2 conformance HTTP API on 127.0.0.1.

use std::path::PathBuf;

use webauthn_conformance::rp::RpConfig;
use webauthn_conformance::serve::{self, ServeOptions};

use super::{ProfileArg, check_origin, in_process, mutant};

/// The arguments of `serve`.
#[derive(Debug, clap::Args)]
pub(super) struct ServeArgs {
    /// The RP to serve: `reference` or `webauthn-rs`.
    #[arg(long, default_value = "reference")]
    rp: String,
    /// Switch off one verification of the reference RP (test-only; see `Mutant`).
    #[arg(long)]
    mutant: Option<String>,
    /// Which rules the served RP follows until a `/harness/reset` says otherwise.
    #[arg(long, value_enum, default_value_t = ProfileArg::Strict)]
    profile: ProfileArg,
    /// Seed for the RP's challenges and user handles.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The port on 127.0.0.1 (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The RP ID the served RP uses.
    #[arg(long, default_value = "example.org")]
    rp_id: String,
    /// The origin the served RP accepts.
    #[arg(long, default_value = "https://example.org")]
    origin: String,
    /// The reference RP's attestation trust anchors: a metadata JSON file (see `trust-store`)
    /// instead of the harness's own.
    #[arg(long)]
    trust_store: Option<PathBuf>,
    /// Stop after this many requests (default: never).
    #[arg(long)]
    max_requests: Option<u64>,
}

pub(super) fn serve_command(args: &ServeArgs) -> Result<(), String> {
    if args.rp_id.is_empty() {
        return Err("--rp-id must not be empty".into());
    }
    check_origin(&args.origin)?;
    let factory = in_process(
        &args.rp,
        mutant(args.mutant.as_deref())?,
        args.trust_store.as_deref(),
    )?;
    let mut config = RpConfig::example(args.profile.profile(), args.seed);
    config.rp_id.clone_from(&args.rp_id);
    config.origins = vec![args.origin.clone()];
    let name = factory.name();
    let server = serve::start(
        factory,
        ServeOptions {
            port: args.port,
            config,
            max_requests: args.max_requests.unwrap_or(u64::MAX),
            limits: serve::Limits::default(),
        },
    )
    .map_err(|e| e.to_string())?;
    println!(
        "serving {} on {} (RP ID {}, origin {})",
        name,
        server.url(),
        args.rp_id,
        args.origin
    );
    let served = server.wait().map_err(|e| e.to_string())?;
    println!("stopped after {served} requests");
    Ok(())
}
