//! `mutants`: the catalogue against every mutant of the reference RP, and the mutation score.

use std::process::ExitCode;

use webauthn_conformance::checks::catalogue;
use webauthn_conformance::mutants;
use webauthn_conformance::rp::Profile;
use webauthn_conformance::rp::reference::mutant::Mutant;

use super::{ProfileArg, exit, progress_bar, write_stdout};

/// The arguments of `mutants`.
#[derive(Debug, clap::Args)]
pub(super) struct MutantsArgs {
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

/// Runs `mutants`: exit 0 when every mutant is caught and every negative check catches one, 1
/// otherwise, 2 when the output cannot be written.
pub(super) fn command(args: &MutantsArgs) -> ExitCode {
    if args.list {
        let text: String = Mutant::all()
            .iter()
            .map(|m| format!("{:<48} {}\n", m.name(), m.step()))
            .collect();
        return exit(write_stdout(&text));
    }

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
    let analysis = mutants::analyse_observed(&catalogue(), &all, &profiles, args.seed, &done);
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
