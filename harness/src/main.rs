//! The `webauthn-conformance` command line.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use webauthn_conformance::checks::catalogue;
use webauthn_conformance::rp::Profile;
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::runner::{self, RunOptions, Verdict};
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
    /// Run the check catalogue against an RP and write report.json and report.md.
    Run(RunArgs),
    /// Run the catalogue against every mutant of the reference RP (one verification switched
    /// off each) and print which checks catch each one, then `mutation score: CAUGHT/TOTAL`.
    Mutants(MutantsArgs),
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
struct RunArgs {
    /// The RP under test: `reference` (the built-in strict RP).
    #[arg(long, default_value = "reference")]
    rp: String,
    /// Switch off one verification of the reference RP (test-only; see `Mutant`).
    #[arg(long)]
    mutant: Option<String>,
    /// Which rules to hold the RP to.
    #[arg(long, value_enum, default_value_t = ProfileArg::Strict)]
    profile: ProfileArg,
    /// Seed for every random byte; the same seed gives the same reports.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Only checks whose ID matches this glob (repeatable), e.g. 'REG-CD-*'.
    #[arg(long)]
    only: Vec<String>,
    /// Directory for report.json and report.md.
    #[arg(long, default_value = "out")]
    out: PathBuf,
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
        Command::Mutants(args) => {
            let profiles = match args.profile {
                Some(profile) => vec![profile.profile()],
                None => vec![Profile::Strict, Profile::Fido],
            };
            let analysis = mutants::analyse(&catalogue(), &Mutant::ALL, &profiles, args.seed);
            print!("{}", mutants::to_text(&analysis));
            let clean = analysis.caught() == analysis.rows.len()
                && analysis.uncaught_negative_checks.is_empty()
                && analysis.baseline_problems.is_empty();
            if clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// Runs the catalogue; `Ok(true)` when nothing failed or errored.
fn run(args: &RunArgs) -> Result<bool, String> {
    if args.rp != "reference" {
        return Err(format!(
            "unknown RP {:?}: the only RP available is `reference`",
            args.rp
        ));
    }
    let mutant = match &args.mutant {
        None => None,
        Some(name) => Some(Mutant::from_name(name).ok_or_else(|| {
            let names: Vec<String> = Mutant::ALL.iter().map(|m| m.name()).collect();
            format!("unknown mutant {name:?}; known: {}", names.join(", "))
        })?),
    };
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
    let report = runner::run(&ReferenceFactory { mutant }, &catalogue(), &options);
    write_reports(&args.out, &report)?;
    print_summary(&report, &args.out);
    Ok(report.all_passed())
}

fn write_reports(out: &Path, report: &runner::RunReport) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for (name, text) in [
        ("report.json", report::to_json_text(report)),
        ("report.md", report::to_markdown(report)),
    ] {
        // Write beside the target, then rename, so a killed run never leaves half a report.
        let path = out.join(name);
        let partial = out.join(format!(".{name}.partial"));
        std::fs::write(&partial, text)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
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
    println!(
        "\n| rp | profile | seed | total | pass | fail | warn | error | skip |\n|---|---|---|---|---|---|---|---|---|\n| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        report.rp,
        report.profile.name(),
        report.seed,
        report.results.len(),
        report.count(Verdict::Pass),
        report.count(Verdict::Fail),
        report.count(Verdict::Warn),
        report.count(Verdict::Error),
        report.count(Verdict::Skip),
    );
    println!(
        "reports: {}/report.json, {}/report.md",
        out.display(),
        out.display()
    );
}
