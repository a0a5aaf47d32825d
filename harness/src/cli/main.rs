//! The `webauthn-conformance` command line.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod emit;

use webauthn_conformance::authenticator::attestation::metadata;
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::codec::wire::WireShape;
use webauthn_conformance::expectations::Expectations;
use webauthn_conformance::rp::http::{HttpConfig, HttpFactory};
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::attestation::TrustStore;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::rp::registry;
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
    /// List the checks of the catalogue: ID, level, spec step and title.
    List(ListArgs),
    /// Explain one check: what it sends, the L3 sentence it holds the RP to, the outcome a
    /// conformant RP gives per profile, known bugs, the mutants that it catches, the replay command.
    Explain(ExplainArgs),
    /// Answer options JSON with a registration (and, with `--request`, an assertion) from the
    /// virtual authenticator: valid, or with the one fault of a catalogue check (`--check`).
    Emit(emit::EmitArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    /// Only the checks of this profile (default: every check, with both profiles' levels).
    #[arg(long, value_enum)]
    profile: Option<ProfileArg>,
    /// Only checks whose ID matches this glob (repeatable).
    #[arg(long)]
    only: Vec<String>,
    /// Plain text (one check per line) or JSON.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// The check ID, e.g. REG-CD-09.
    id: String,
    /// Seed of the run shown under "sent".
    #[arg(long, default_value_t = 1)]
    seed: u64,
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
    /// Print each mutant's name and the verification it removes, and run nothing.
    #[arg(long)]
    list: bool,
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
    /// With an HTTP RP: the RP ID the server is set up with [default: example.org].
    #[arg(long)]
    rp_id: Option<String>,
    /// With an HTTP RP: the origin the server accepts [default: https://example.org].
    #[arg(long)]
    origin: Option<String>,
    /// With an HTTP RP: its name in reports (e.g. `py_webauthn 3.0.1`) instead of its URL; the
    /// replay commands then read the URL from `$RP_URL`.
    #[arg(long)]
    rp_name: Option<String>,
    /// With an HTTP RP: longest wait for one answer, in seconds (at least 1) [default: 10].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: Option<u64>,
    /// With an HTTP RP: which names the credential carries its raw ID and extension outputs
    /// under [default: both].
    #[arg(long, value_enum)]
    shape: Option<ShapeArg>,
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
    /// Only checks whose ID matches this glob (repeatable), e.g. 'REG-CD-*'. A selection that
    /// matches no check of the profile is a usage error.
    #[arg(long)]
    only: Vec<String>,
    /// Leave out checks whose ID matches this glob (repeatable), after `--only`.
    #[arg(long)]
    skip: Vec<String>,
    /// Checks run at the same time, each with its own RP (at least 1; default: the machine's
    /// cores). Reports are the same whatever it is, in process and against `serve` (run
    /// tokens); against other HTTP RPs checks run one at a time.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    jobs: Option<u64>,
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
            Err(Exit::Usage(message)) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
            Err(Exit::Interrupted) => {
                eprintln!("interrupted: the reports hold the checks done");
                ExitCode::from(130)
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
        Command::List(args) => exit(list_command(&args)),
        Command::Explain(args) => exit(explain_command(&args)),
        Command::Emit(args) => exit(emit::command(&args).and_then(|text| write_stdout(&text))),
        Command::Mutants(args) if args.list => {
            let text: String = Mutant::all()
                .iter()
                .map(|m| format!("{:<48} {}\n", m.name(), m.step()))
                .collect();
            exit(write_stdout(&text))
        }
        Command::Mutants(args) => {
            let profiles = match args.profile {
                Some(profile) => vec![profile.profile()],
                None => vec![Profile::Strict, Profile::Fido],
            };
            let all = Mutant::all();
            let bar = progress_bar("mutants", all.len());
            let done = |mutant: Mutant| {
                if let Some(bar) = &bar {
                    bar.inc(1);
                    bar.set_message(mutant.name());
                }
            };
            let analysis =
                mutants::analyse_observed(&catalogue(), &all, &profiles, args.seed, &done);
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            match write_stdout(&mutants::to_text(&analysis)) {
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
                Ok(()) if analysis.clean() => ExitCode::SUCCESS,
                Ok(()) => ExitCode::from(1),
            }
        }
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

fn list_command(args: &ListArgs) -> Result<(), String> {
    let only = globs("--only", &args.only)?;
    let profiles = match args.profile {
        Some(profile) => vec![profile.profile()],
        None => vec![Profile::Strict, Profile::Fido],
    };
    let checks: Vec<_> = catalogue()
        .into_iter()
        .filter(|c| runner::selects(&only, c.id))
        .filter(|c| profiles.iter().any(|p| c.expect.get(*p).is_some()))
        .collect();
    if checks.is_empty() {
        return Err(format!("no check matches --only {:?}", args.only));
    }
    // The level and outcome per profile; `–` where the check is not part of that profile.
    let in_profile = |c: &webauthn_conformance::checks::Check, p: Profile| {
        c.expect
            .get(p)
            .map(|e| (c.level.in_profile(p).name(), e.name()))
    };
    let text = match args.format {
        FormatArg::Json => {
            let rows: Vec<serde_json::Value> = checks
                .iter()
                .map(|c| {
                    let mut profiles_json = serde_json::Map::new();
                    for p in &profiles {
                        if let Some((level, expect)) = in_profile(c, *p) {
                            profiles_json.insert(
                                p.name().into(),
                                serde_json::json!({"level": level, "expect": expect}),
                            );
                        }
                    }
                    serde_json::json!({
                        "id": c.id,
                        "title": c.title,
                        "section": c.spec.section.number(),
                        "step": c.spec.step.to_string(),
                        "url": c.spec.url(),
                        "profiles": profiles_json,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())? + "\n"
        }
        FormatArg::Text => checks
            .iter()
            .map(|c| {
                let levels: Vec<String> = profiles
                    .iter()
                    .map(|p| match in_profile(c, *p) {
                        Some((level, expect)) => format!("{} {level} {expect}", p.name()),
                        None => format!("{} –", p.name()),
                    })
                    .collect();
                format!(
                    "{:<26} {:<38} {} {}  {}\n",
                    c.id,
                    levels.join(", "),
                    c.spec.section.number(),
                    c.spec.step,
                    c.title
                )
            })
            .collect(),
    };
    write_stdout(&text)
}

fn explain_command(args: &ExplainArgs) -> Result<(), String> {
    use std::fmt::Write as _;
    let catalogue = catalogue();
    let Some(check) = catalogue.iter().find(|c| c.id == args.id) else {
        // The IDs sharing the first six characters (a family such as `REG-CD`), case aside.
        let prefix: String = args
            .id
            .chars()
            .take(6)
            .collect::<String>()
            .to_ascii_lowercase();
        let near: Vec<&str> = catalogue
            .iter()
            .map(|c| c.id)
            .filter(|id| id.to_ascii_lowercase().starts_with(&prefix))
            .take(12)
            .collect();
        return Err(format!(
            "no check {:?}{}",
            args.id,
            if near.is_empty() {
                String::new()
            } else {
                format!("; did you mean one of {}?", near.join(", "))
            }
        ));
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}\n", check.id, check.title);
    let _ = writeln!(
        out,
        "spec:      {} step {} ({})",
        check.spec.section.number(),
        check.spec.step,
        check.spec.url()
    );
    let _ = writeln!(out, "L3 says:   \"{}\"", check.quote());
    if !check.notes.is_empty() {
        let _ = writeln!(out, "notes:     {}", check.notes);
    }
    let profiles = [Profile::Strict, Profile::Fido];
    for profile in profiles {
        let _ = match check.expect.get(profile) {
            Some(expect) => writeln!(
                out,
                "{:<10} a conformant RP {}s; missing it is {}",
                format!("{}:", profile.name()),
                expect.name(),
                if check.level.is_must_in(profile) {
                    "a fail (MUST)"
                } else {
                    "a warn (SHOULD or RP policy)"
                }
            ),
            None => writeln!(
                out,
                "{:<10} not part of this profile",
                format!("{}:", profile.name())
            ),
        };
    }
    // What it sends: one run against the reference RP (the bytes do not depend on the RP's
    // answers until the decisive step).
    let run_in = profiles
        .into_iter()
        .find(|p| check.expect.get(*p).is_some())
        .unwrap_or(Profile::Strict);
    let options = RunOptions {
        profile: run_in,
        seed: args.seed,
        only: Vec::new(),
    };
    let factory = ReferenceFactory::new(None);
    let report = runner::run(&factory, std::slice::from_ref(check), &options);
    if let Some(result) = report.results.first() {
        let _ = writeln!(out, "sent:      {}", result.sent);
        let _ = writeln!(
            out,
            "reference: {} ({})",
            result.verdict.name(),
            result.answer
        );
    }
    for bug in webauthn_conformance::checks::bugs::for_check(check.id) {
        let _ = writeln!(
            out,
            "known bug: #{} {}: {}",
            bug.number, bug.family, bug.source
        );
    }
    let analysis = mutants::analyse(
        std::slice::from_ref(check),
        &Mutant::all(),
        &profiles,
        args.seed,
    );
    let catching: Vec<String> = analysis
        .rows
        .iter()
        .filter(|row| row.caught_by.iter().any(|(_, id)| *id == check.id))
        .map(|row| format!("{} ({})", row.mutant.name(), row.mutant.step()))
        .collect();
    if catching.is_empty() {
        let _ = writeln!(
            out,
            "caught by: no mutant (a positive check guards against false alarms)"
        );
    } else {
        let _ = writeln!(out, "caught by: {}", catching.join("; "));
    }
    let _ = writeln!(
        out,
        "replay:    {}",
        runner::replay_command("--rp reference", run_in, args.seed, check.id)
    );
    write_stdout(&out)
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

/// The RP under test: in process, or behind HTTP (checked reachable).
fn factory(args: &RunArgs) -> Result<Box<dyn RpFactory>, String> {
    let mutant = mutant(args.mutant.as_deref())?;
    if !args.rp.contains("://") {
        let http_only = [
            ("--rp-name", args.rp_name.is_some()),
            ("--rp-id", args.rp_id.is_some()),
            ("--origin", args.origin.is_some()),
            ("--timeout", args.timeout.is_some()),
            ("--shape", args.shape.is_some()),
        ];
        if let Some((flag, _)) = http_only.iter().find(|(_, given)| *given) {
            return Err(format!(
                "{flag} applies to an RP behind HTTP, not to the in-process {:?}",
                args.rp
            ));
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
    if let Some(rp_id) = &args.rp_id {
        if rp_id.is_empty() {
            return Err("--rp-id must not be empty".into());
        }
        config.rp_id.clone_from(rp_id);
    }
    if let Some(origin) = &args.origin {
        check_origin(origin)?;
        config.origin.clone_from(origin);
    }
    config.name.clone_from(&args.rp_name);
    if let Some(timeout) = args.timeout {
        config.request_timeout = std::time::Duration::from_secs(timeout);
    }
    if let Some(shape) = args.shape {
        config.shape = match shape {
            ShapeArg::Both => WireShape::Both,
            ShapeArg::Level3 => WireShape::Level3,
            ShapeArg::FidoApi => WireShape::FidoApi,
        };
    }
    Ok(Box::new(
        HttpFactory::connect(config).map_err(|e| e.to_string())?,
    ))
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

fn serve_command(args: &ServeArgs) -> Result<(), String> {
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

/// The two checks the pre-flight runs: a valid registration (attestation none) and a valid
/// assertion, the least any RP under test must be able to answer.
const PREFLIGHT: [&str; 2] = ["REG-ENV-01", "AS-ENV-01"];

/// Before the catalogue: one valid registration and one valid assertion. When either cannot
/// even be run (no such endpoint, an answer that is not HTTP or not the API's shape, a server
/// that is not there), the RP is not the one the flags describe: exit 2 with what was tried and
/// what came back, instead of hundreds of errors. A rejection is not a pre-flight failure: the
/// catalogue reports it.
fn preflight(
    factory: &dyn RpFactory,
    catalogue: &[webauthn_conformance::checks::Check],
    options: &RunOptions,
) -> Result<(), String> {
    let checks: Vec<_> = catalogue
        .iter()
        .filter(|c| PREFLIGHT.contains(&c.id))
        .cloned()
        .collect();
    let options = RunOptions {
        only: Vec::new(),
        ..options.clone()
    };
    let report = runner::run(factory, &checks, &options);
    match report.results.iter().find(|r| r.verdict == Verdict::Error) {
        None => Ok(()),
        Some(result) => Err(format!(
            "pre-flight: {} ({}) against {} could not be run: {}",
            result.id, result.title, report.rp, result.detail
        )),
    }
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

/// Runs the catalogue; `Ok(true)` when nothing failed or errored.
fn run(args: &RunArgs) -> Result<bool, Exit> {
    let expectations = args
        .expectations
        .as_deref()
        .map(Expectations::load)
        .transpose()
        .map_err(|e| e.to_string())?;
    let profile = args.profile.profile();
    let only = globs("--only", &args.only)?;
    let skip = globs("--skip", &args.skip)?;
    let mut catalogue = catalogue();
    catalogue.retain(|check| !skip.iter().any(|glob| glob.is_match(check.id)));
    let selected = catalogue
        .iter()
        .filter(|check| check.expect.get(profile).is_some())
        .filter(|check| runner::selects(&only, check.id))
        .count();
    if selected == 0 {
        return Err(Exit::Usage(format!(
            "no check of the {} profile matches --only {:?} --skip {:?}",
            profile.name(),
            args.only,
            args.skip
        )));
    }
    // Before the first request: a run whose reports cannot be written is not started.
    report::check_writable(&args.out).map_err(|e| e.to_string())?;
    let factory = factory(args)?;
    let options = RunOptions {
        profile,
        seed: args.seed,
        only,
    };
    let jobs = match args.jobs {
        Some(jobs) => usize::try_from(jobs).unwrap_or(usize::MAX),
        None => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
    };
    preflight(factory.as_ref(), &catalogue, &options)?;
    let watch = Watch::new();
    let mut report = runner::run_observed(factory.as_ref(), &catalogue, &options, jobs, &watch);
    watch.finish();
    // The replay commands carry what changes the bytes or verdicts beyond the RP's own flags.
    if let Some(path) = &args.trust_store {
        report.rp_args.push_str(&format!(
            " --trust-store '{}'",
            path.display().to_string().replace('\'', "'\\''")
        ));
    }
    if let Some(expectations) = &expectations {
        expectations.apply(&mut report, &catalogue);
    }
    write_reports(&args.out, &report)?;
    print_summary(&report, &args.out)?;
    match watch.outcome() {
        Stopped::No => Ok(report.all_passed()),
        Stopped::Signal => Err(Exit::Interrupted),
        Stopped::Errors => Err(Exit::Usage(format!(
            "stopped after {ERRORS_IN_A_ROW} checks in a row could not be run; the report holds the checks done"
        ))),
    }
}

/// Checks in a row that end in `error` (an RP that stopped answering) before the run stops.
const ERRORS_IN_A_ROW: usize = 10;

/// Why a run stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stopped {
    No,
    /// SIGINT or SIGTERM.
    Signal,
    /// [`ERRORS_IN_A_ROW`] errors in a row.
    Errors,
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

/// Watches a run: a progress line on stderr when it is a terminal (done/total, the check that
/// just ended, the time left), Ctrl-C and SIGTERM as a clean stop, and an early stop when the RP
/// stops answering.
struct Watch {
    bar: Option<indicatif::ProgressBar>,
    signal: std::sync::Arc<std::sync::atomic::AtomicBool>,
    errors_in_a_row: std::sync::atomic::AtomicUsize,
}

impl Watch {
    fn new() -> Self {
        let signal = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&signal);
        // A second handler cannot be set in one process; the first one's flag is enough.
        let _ = ctrlc::set_handler(move || {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let bar = progress_bar("checks", 0);
        Watch {
            bar,
            signal,
            errors_in_a_row: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn outcome(&self) -> Stopped {
        if self.signal.load(std::sync::atomic::Ordering::SeqCst) {
            Stopped::Signal
        } else if self
            .errors_in_a_row
            .load(std::sync::atomic::Ordering::SeqCst)
            >= ERRORS_IN_A_ROW
        {
            Stopped::Errors
        } else {
            Stopped::No
        }
    }
}

impl runner::Observer for Watch {
    fn started(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        }
    }

    fn finished(
        &self,
        check: &webauthn_conformance::checks::Check,
        result: Option<&runner::CheckResult>,
    ) {
        use std::sync::atomic::Ordering;
        match result.map(|r| r.verdict) {
            Some(Verdict::Error) => {
                self.errors_in_a_row.fetch_add(1, Ordering::SeqCst);
            }
            Some(_) => self.errors_in_a_row.store(0, Ordering::SeqCst),
            None => {}
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(check.id);
        }
    }

    fn stop(&self) -> Option<String> {
        match self.outcome() {
            Stopped::No => None,
            Stopped::Signal => Some("interrupted by a signal (SIGINT or SIGTERM)".into()),
            Stopped::Errors => Some(format!(
                "the last {ERRORS_IN_A_ROW} checks could not be run (the RP stopped answering)"
            )),
        }
    }
}

fn write_reports(out: &Path, report: &runner::RunReport) -> Result<(), String> {
    report::write_all(out, report).map_err(|e| e.to_string())
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

/// How the summary is printed: colour when standard output is a terminal that takes it
/// (`NO_COLOR`, `CLICOLOR=0` and a pipe turn it off), lines wrapped to the terminal's width.
/// Piped, each problem stays on one line, for grep.
#[derive(Debug, Clone, Copy)]
struct Terminal {
    colour: bool,
    width: Option<usize>,
}

impl Terminal {
    fn stdout() -> Self {
        use std::io::IsTerminal as _;
        let tty = std::io::stdout().is_terminal();
        Terminal {
            colour: tty && console::colors_enabled(),
            width: tty
                .then(|| usize::from(console::Term::stdout().size().1))
                .filter(|w| *w >= 40),
        }
    }

    /// `WORD text`: the word padded to `pad` and coloured, the text wrapped under it.
    fn line(self, word: &str, pad: usize, text: &str) -> String {
        let head = format!("{word:<pad$} ");
        let mut line = match self.width {
            Some(width) => textwrap::fill(
                text,
                textwrap::Options::new(width)
                    .initial_indent(&head)
                    .subsequent_indent(&" ".repeat(head.chars().count())),
            ),
            None => format!("{head}{text}"),
        };
        if self.colour {
            let style = console::Style::new().force_styling(true);
            let style = match word {
                "FAIL" | "ERROR" | "INTERRUPTED" => style.red().bold(),
                "WARN" | "STALE" => style.yellow().bold(),
                _ => style.cyan(),
            };
            line = line.replacen(word, &style.apply_to(word).to_string(), 1);
        }
        line.push('\n');
        line
    }
}

fn print_summary(report: &runner::RunReport, out: &Path) -> Result<(), String> {
    write_stdout(&summary(report, out, Terminal::stdout()))
}

/// The terminal summary: one entry per check that needs attention, stale expectation and
/// interruption, then the counts and where the reports are.
fn summary(report: &runner::RunReport, out: &Path, terminal: Terminal) -> String {
    let mut text = String::new();
    for result in &report.results {
        if result.verdict.needs_attention() {
            let verdict = result.verdict.name().to_uppercase();
            let detail = format!("{:<24} {}", result.id, result.detail);
            text.push_str(&terminal.line(&verdict, 5, &detail));
        }
    }
    for stale in &report.stale_expectations {
        text.push_str(&terminal.line("STALE", 5, &stale.to_string()));
    }
    if let Some(why) = &report.interrupted {
        let done = format!("{why}: {} checks done", report.results.len());
        text.push_str(&terminal.line("INTERRUPTED", 0, &done));
    }
    text.push_str(&format!(
        "\n| rp | profile | seed | total | pass | inconclusive | fail | warn | error | skip | expected |\n|---|---|---|---|---|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        report.rp.replace('|', "\\|"),
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
    ));
    let paths: Vec<String> = report::FILE_NAMES
        .iter()
        .map(|name| out.join(name).display().to_string())
        .collect();
    text.push_str(&format!("reports: {}\n", paths.join(", ")));
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::{Terminal, summary};
    use webauthn_conformance::checks::catalogue;
    use webauthn_conformance::rp::Profile;
    use webauthn_conformance::rp::reference::ReferenceFactory;
    use webauthn_conformance::rp::reference::mutant::Mutant;
    use webauthn_conformance::runner::{self, RunOptions};

    fn broken_run() -> runner::RunReport {
        let options = RunOptions {
            profile: Profile::Strict,
            seed: 1,
            only: vec![globset::Glob::new("REG-CD-1*").unwrap().compile_matcher()],
        };
        runner::run(
            &ReferenceFactory::new(Some(Mutant::RegSkipOrigin)),
            &catalogue(),
            &options,
        )
    }

    /// On a terminal: the verdict coloured, each problem wrapped to the width under its first
    /// line. Piped (no colour, no width): one plain line per problem.
    #[test]
    fn the_summary_wraps_and_colours_on_a_terminal_only() {
        let report = broken_run();
        let problems = report
            .results
            .iter()
            .filter(|r| r.verdict.needs_attention())
            .count();
        assert!(problems > 0);
        let out = std::path::Path::new("out");
        let piped = summary(
            &report,
            out,
            Terminal {
                colour: false,
                width: None,
            },
        );
        assert!(!piped.contains('\u{1b}'));
        let lines: Vec<&str> = piped.lines().take_while(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), problems, "{piped}");
        assert!(
            lines.iter().any(|l| l.chars().count() > 60),
            "details are long"
        );

        let terminal = summary(
            &report,
            out,
            Terminal {
                colour: true,
                width: Some(60),
            },
        );
        assert!(terminal.contains("\u{1b}["), "coloured");
        let plain = console::strip_ansi_codes(&terminal);
        let wrapped: Vec<&str> = plain.lines().take_while(|l| !l.is_empty()).collect();
        assert!(wrapped.len() > problems, "long details take more lines");
        for line in &wrapped {
            assert!(line.chars().count() <= 60, "{line:?} is wider than 60");
        }
        let starts = wrapped.iter().filter(|l| !l.starts_with(' ')).count();
        assert_eq!(
            starts, problems,
            "one entry per problem, continued indented"
        );
    }
}
