//! The `webauthn-conformance` command line.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use webauthn_conformance::authenticator::attestation::metadata;
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::codec::wire::WireShape;
use webauthn_conformance::expectations::Expectations;
use webauthn_conformance::rp::http::{HttpConfig, HttpFactory};
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::attestation::TrustStore;
use webauthn_conformance::rp::reference::mutant::Mutant;
#[cfg(feature = "webauthn-rs")]
use webauthn_conformance::rp::webauthn_rs::WebauthnRsFactory;
use webauthn_conformance::rp::{Profile, RpConfig, RpFactory};
use webauthn_conformance::runner::{self, RunOptions, Verdict};
use webauthn_conformance::serve::{self, ServeOptions};
use webauthn_conformance::{mutants, report};

/// Conformance test harness for WebAuthn relying parties.
#[derive(Debug, Parser)]
#[command(name = "webauthn-conformance", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the check catalogue against an RP and write report.json, report.md and report.xml
    /// (JUnit).
    Run(RunArgs),
    /// Serve an in-process RP over the FIDO2 conformance HTTP API on 127.0.0.1, with a session
    /// cookie per browser session (and `/harness/reset`, `/harness/clock` for `run`).
    Serve(ServeArgs),
    /// Run the catalogue against every mutant of the reference RP (one verification switched
    /// off each) and print which checks catch each one, then `mutation score: CAUGHT/TOTAL`.
    Mutants(MutantsArgs),
    /// Write the metadata (trust anchors by AAGUID, W3C L3 §7.1 step 23) an RP under test must
    /// load to trust the virtual authenticator's attestations; `--trust-store` reads this shape.
    TrustStore(TrustStoreArgs),
}

#[derive(Debug, clap::Args)]
struct TrustStoreArgs {
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct MutantsArgs {
    /// One profile only (default: both; a mutant counts as caught in either).
    #[arg(long, value_enum)]
    profile: Option<ProfileArg>,
    /// Seed for every random byte.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
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

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ShapeArg {
    /// `rawId`, `clientExtensionResults` and `getClientExtensionResults`.
    Both,
    /// W3C L3 `toJSON()`: `rawId` and `clientExtensionResults`.
    Level3,
    /// The FIDO API IDL: `getClientExtensionResults`, no `rawId`.
    FidoApi,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// The RP under test: `reference` (the built-in strict RP), `webauthn-rs` (the webauthn-rs-core
    /// library in process), or the base URL of a server speaking the FIDO2 conformance API, e.g.
    /// `http://127.0.0.1:8080`.
    #[arg(long, default_value = "reference")]
    rp: String,
    /// With an HTTP RP: the RP ID the server is set up with.
    #[arg(long, default_value = "example.org")]
    rp_id: String,
    /// With an HTTP RP: the origin the server accepts.
    #[arg(long, default_value = "https://example.org")]
    origin: String,
    /// With an HTTP RP: its name in reports (e.g. `py_webauthn 3.0.1`) instead of its URL; the
    /// replay commands then read the URL from `$RP_URL`.
    #[arg(long)]
    rp_name: Option<String>,
    /// With an HTTP RP: longest wait for one answer, in seconds.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// With an HTTP RP: which names the credential carries its raw ID and extension outputs
    /// under.
    #[arg(long, value_enum, default_value_t = ShapeArg::Both)]
    shape: ShapeArg,
    /// Switch off one verification of the reference RP (test-only; see `Mutant`).
    #[arg(long)]
    mutant: Option<String>,
    /// The reference RP's attestation trust anchors: a metadata JSON file (see `trust-store`)
    /// instead of the harness's own.
    #[arg(long)]
    trust_store: Option<PathBuf>,
    /// Which rules to hold the RP to.
    #[arg(long, value_enum, default_value_t = ProfileArg::Strict)]
    profile: ProfileArg,
    /// Seed for every random byte; the same seed gives the same reports.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Only checks whose ID matches this glob (repeatable), e.g. 'REG-CD-*'.
    #[arg(long)]
    only: Vec<String>,
    /// Checks run at the same time, each with its own RP (default: the machine's cores).
    /// Reports are the same whatever it is; against an HTTP RP checks run one at a time.
    #[arg(long)]
    jobs: Option<usize>,
    /// Directory for report.json, report.md and report.xml.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// The RP's known deviations (TOML, see `expectations/`): a listed verdict that happens is
    /// reported as `expected`; an entry that no longer matches is reported stale and fails the run.
    #[arg(long)]
    expectations: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ProfileArg {
    Strict,
    Fido,
}

impl ProfileArg {
    fn profile(self) -> Profile {
        match self {
            ProfileArg::Strict => Profile::Strict,
            ProfileArg::Fido => Profile::Fido,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => match run(&args) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Command::Serve(args) => match serve_command(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Command::TrustStore(args) => match trust_store_command(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Command::Mutants(args) => {
            let profiles = match args.profile {
                Some(profile) => vec![profile.profile()],
                None => vec![Profile::Strict, Profile::Fido],
            };
            let analysis = mutants::analyse(&catalogue(), &Mutant::all(), &profiles, args.seed);
            print!("{}", mutants::to_text(&analysis));
            if analysis.clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn mutant(name: Option<&str>) -> Result<Option<Mutant>, String> {
    match name {
        None => Ok(None),
        Some(name) => Mutant::from_name(name).map(Some).ok_or_else(|| {
            let names: Vec<String> = Mutant::all().iter().map(|m| m.name()).collect();
            format!("unknown mutant {name:?}; known: {}", names.join(", "))
        }),
    }
}

/// The in-process RP named `rp`, trusting the anchors of `trust_store` if given.
fn in_process(
    rp: &str,
    mutant: Option<Mutant>,
    trust_store: Option<&Path>,
) -> Result<Box<dyn RpFactory + Send>, String> {
    let store = trust_store.map(read_trust_store).transpose()?;
    if mutant.is_some() && rp != "reference" {
        return Err("--mutant applies to the reference RP only".into());
    }
    match rp {
        "reference" => {
            let factory = ReferenceFactory::new(mutant);
            Ok(Box::new(match store {
                Some(store) => factory.with_trust_store(store),
                None => factory,
            }))
        }
        #[cfg(feature = "webauthn-rs")]
        "webauthn-rs" => {
            let factory = WebauthnRsFactory::default();
            Ok(Box::new(match store {
                Some(store) => factory.with_trust_store(store),
                None => factory,
            }))
        }
        other => Err(format!(
            "unknown RP {other:?}: use {} or an http:// URL",
            IN_PROCESS_RPS.join(", ")
        )),
    }
}

/// The in-process RPs this build has.
const IN_PROCESS_RPS: &[&str] = &[
    "reference",
    #[cfg(feature = "webauthn-rs")]
    "webauthn-rs",
];

fn read_trust_store(path: &Path) -> Result<TrustStore, String> {
    let json = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read trust store {}: {e}", path.display()))?;
    TrustStore::from_json(&json).map_err(|e| format!("{}: {e}", path.display()))
}

fn trust_store_command(args: &TrustStoreArgs) -> Result<(), String> {
    let json = metadata::harness_metadata_json().map_err(|e| e.to_string())?;
    match &args.out {
        None => print!("{json}"),
        Some(path) => std::fs::write(path, json)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
    }
    Ok(())
}

/// The RP under test: in process, or behind HTTP (checked reachable).
fn factory(args: &RunArgs) -> Result<Box<dyn RpFactory>, String> {
    let mutant = mutant(args.mutant.as_deref())?;
    if !args.rp.contains("://") {
        if args.rp_name.is_some() {
            return Err("--rp-name applies to an RP behind HTTP".into());
        }
        let factory: Box<dyn RpFactory> =
            in_process(&args.rp, mutant, args.trust_store.as_deref())?;
        return Ok(factory);
    }
    if mutant.is_some() || args.trust_store.is_some() {
        return Err(
            "--mutant and --trust-store apply to in-process RPs; pass them to `serve` instead"
                .into(),
        );
    }
    let mut config = HttpConfig::new(&args.rp);
    config.rp_id.clone_from(&args.rp_id);
    config.origin.clone_from(&args.origin);
    config.name.clone_from(&args.rp_name);
    config.request_timeout = std::time::Duration::from_secs(args.timeout.max(1));
    config.shape = match args.shape {
        ShapeArg::Both => WireShape::Both,
        ShapeArg::Level3 => WireShape::Level3,
        ShapeArg::FidoApi => WireShape::FidoApi,
    };
    Ok(Box::new(
        HttpFactory::connect(config).map_err(|e| e.to_string())?,
    ))
}

fn serve_command(args: &ServeArgs) -> Result<(), String> {
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

/// Runs the catalogue; `Ok(true)` when nothing failed or errored.
fn run(args: &RunArgs) -> Result<bool, String> {
    let expectations = args
        .expectations
        .as_deref()
        .map(Expectations::load)
        .transpose()
        .map_err(|e| e.to_string())?;
    let factory = factory(args)?;
    let only = args
        .only
        .iter()
        .map(|glob| {
            globset::Glob::new(glob)
                .map(|g| g.compile_matcher())
                .map_err(|e| format!("bad --only glob {glob:?}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = RunOptions {
        profile: args.profile.profile(),
        seed: args.seed,
        only,
    };
    let catalogue = catalogue();
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let mut report = runner::run_parallel(factory.as_ref(), &catalogue, &options, jobs);
    if let Some(expectations) = &expectations {
        expectations.apply(&mut report, &catalogue);
    }
    write_reports(&args.out, &report)?;
    print_summary(&report, &args.out);
    Ok(report.all_passed())
}

fn write_reports(out: &Path, report: &runner::RunReport) -> Result<(), String> {
    report::write_all(out, report).map_err(|e| e.to_string())
}

fn print_summary(report: &runner::RunReport, out: &Path) {
    for result in &report.results {
        if result.verdict.needs_attention() {
            println!(
                "{:<5} {:<24} {}",
                result.verdict.name().to_uppercase(),
                result.id,
                result.detail
            );
        }
    }
    for stale in &report.stale_expectations {
        println!("STALE {stale}");
    }
    println!(
        "\n| rp | profile | seed | total | pass | inconclusive | fail | warn | error | skip | expected |\n|---|---|---|---|---|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        report.rp,
        report.profile.name(),
        report.seed,
        report.results.len(),
        report.count(Verdict::Pass),
        report.count(Verdict::Inconclusive),
        report.count(Verdict::Fail),
        report.count(Verdict::Warn),
        report.count(Verdict::Error),
        report.count(Verdict::Skip),
        report.count(Verdict::Expected),
    );
    let paths: Vec<String> = report::FILE_NAMES
        .iter()
        .map(|name| out.join(name).display().to_string())
        .collect();
    println!("reports: {}", paths.join(", "));
}
