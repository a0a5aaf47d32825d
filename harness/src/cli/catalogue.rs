//! `list` and `explain`: the catalogue as a table, and one check in full.

use clap::ValueEnum;

use webauthn_conformance::checks::catalogue;
use webauthn_conformance::mutants;
use webauthn_conformance::rp::Profile;
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::runner::{self, RunOptions};

use super::{ProfileArg, globs, write_stdout};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

/// The arguments of `list`.
#[derive(Debug, clap::Args)]
pub(super) struct ListArgs {
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

/// The arguments of `explain`.
#[derive(Debug, clap::Args)]
pub(super) struct ExplainArgs {
    /// The check ID, e.g. REG-CD-09.
    id: String,
    /// Seed of the run shown under "sent".
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub(super) fn list_command(args: &ListArgs) -> Result<(), String> {
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

pub(super) fn explain_command(args: &ExplainArgs) -> Result<(), String> {
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
