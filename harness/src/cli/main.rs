//! The `webauthn-conformance` command line.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod catalogue;
mod emit;
mod mutants;
mod run;
mod serve;

use webauthn_conformance::authenticator::attestation::metadata;
use webauthn_conformance::rp::reference::attestation::TrustStore;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::rp::registry;
use webauthn_conformance::rp::{Profile, RpFactory};

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
    Run(run::RunArgs),
    /// Serve an in-process RP over the FIDO2 conformance HTTP API on 127.0.0.1, with a session
    /// cookie per browser session (and `/harness/reset`, `/harness/clock` for `run`).
    Serve(serve::ServeArgs),
    /// Run the catalogue against every mutant of the reference RP (one verification switched
    /// off each) and print which checks catch each one, then `mutation score: CAUGHT/TOTAL`.
    Mutants(mutants::MutantsArgs),
    /// Write the metadata (trust anchors by AAGUID, W3C L3 §7.1 step 23) an RP under test must
    /// load to trust the virtual authenticator's attestations; `--trust-store` reads this shape.
    TrustStore(TrustStoreArgs),
    /// List the checks of the catalogue: ID, level, spec step and title.
    List(catalogue::ListArgs),
    /// Explain one check: what it sends, the L3 sentence it holds the RP to, the outcome a
    /// conformant RP gives per profile, known bugs, the mutants that it catches, the replay command.
    Explain(catalogue::ExplainArgs),
    /// Answer options JSON with a registration (and, with `--request`, an assertion) from the
    /// virtual authenticator: valid, or with the one fault of a catalogue check (`--check`).
    Emit(emit::EmitArgs),
}

#[derive(Debug, clap::Args)]
struct TrustStoreArgs {
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
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
        Command::Run(args) => match run::run(&args) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(Exit::Usage(message)) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
            Err(Exit::Interrupted) => {
                eprintln!("interrupted: the reports hold the checks done");
                ExitCode::from(130)
            }
        },
        Command::Serve(args) => match serve::serve_command(&args) {
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
        Command::List(args) => exit(catalogue::list_command(&args)),
        Command::Explain(args) => exit(catalogue::explain_command(&args)),
        Command::Emit(args) => exit(emit::command(&args).and_then(|text| write_stdout(&text))),
        Command::Mutants(args) => mutants::command(&args),
    }
}

/// How a run ends other than with its verdicts.
#[derive(Debug)]
enum Exit {
    /// A usage or harness error, or an early stop: exit 2 with the message.
    Usage(String),
    /// SIGINT or SIGTERM: the partial reports are written, exit 130.
    Interrupted,
}

impl From<String> for Exit {
    fn from(message: String) -> Self {
        Exit::Usage(message)
    }
}

/// Exit 0, or 2 with the message.
fn exit(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
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

/// The in-process RP named `rp` (see [`registry::ADAPTERS`]), trusting the anchors of
/// `trust_store` if given.
fn in_process(
    rp: &str,
    mutant: Option<Mutant>,
    trust_store: Option<&Path>,
) -> Result<Box<dyn RpFactory + Send>, String> {
    let adapter = registry::find(rp).map_err(|e| e.to_string())?;
    let store = trust_store.map(read_trust_store).transpose()?;
    adapter.make(mutant, store).map_err(|e| e.to_string())
}

fn read_trust_store(path: &Path) -> Result<TrustStore, String> {
    let json = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read trust store {}: {e}", path.display()))?;
    TrustStore::from_json(&json).map_err(|e| format!("{}: {e}", path.display()))
}

fn trust_store_command(args: &TrustStoreArgs) -> Result<(), String> {
    let json = metadata::harness_metadata_json().map_err(|e| e.to_string())?;
    match &args.out {
        None => write_stdout(&json)?,
        Some(path) => std::fs::write(path, json)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
    }
    Ok(())
}

/// An origin is `scheme://host[:port]` with nothing after it (W3C L3 §13.5.9 compares
/// origins, and the harness's client derives the RP ID from the host).
fn check_origin(origin: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("--origin {origin:?} is not an origin: {why}"));
    let Some((scheme, rest)) = origin.split_once("://") else {
        return bad("no scheme://");
    };
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return bad("bad scheme");
    }
    let host = rest.rsplit_once(':').map_or(rest, |(host, _)| host);
    if host.is_empty() || rest.contains(['/', '?', '#', ' ']) {
        return bad("an origin is scheme://host[:port], without path, query or spaces");
    }
    Ok(())
}

/// Compiles `--only` / `--skip` globs.
fn globs(flag: &str, globs: &[String]) -> Result<Vec<globset::GlobMatcher>, String> {
    globs
        .iter()
        .map(|glob| {
            globset::Glob::new(glob)
                .map(|g| g.compile_matcher())
                .map_err(|e| format!("bad {flag} glob {glob:?}: {e}"))
        })
        .collect()
}

/// A progress line on stderr (`done/total UNIT · elapsed · ETA · the latest`), when stderr is a
/// terminal: piped or captured output stays free of it.
fn progress_bar(unit: &str, total: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal as _;
    std::io::stderr().is_terminal().then(|| {
        let style = indicatif::ProgressStyle::with_template(&format!(
            "{{pos}}/{{len}} {unit} · {{elapsed}} · ETA {{eta}} · {{wide_msg}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        bar.set_style(style);
        bar
    })
}

/// Writes `text` to standard output. A reader that went away (`| head`) is not an error: the
/// reports are already written. Any other failure (a full disk) is a harness error, exit 2.
fn write_stdout(text: &str) -> Result<(), String> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {e}"))
        }
        _ => Ok(()),
    }
}
