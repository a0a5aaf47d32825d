//! `run`: the catalogue against an RP, with progress, an early stop, the reports and a summary.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use webauthn_conformance::checks::catalogue;
use webauthn_conformance::codec::wire::WireShape;
use webauthn_conformance::expectations::Expectations;
use webauthn_conformance::report;
use webauthn_conformance::rp::RpFactory;
use webauthn_conformance::rp::http::{HttpConfig, HttpFactory};
use webauthn_conformance::runner::{self, RunOptions, Verdict};

use super::{
    Exit, ProfileArg, check_origin, globs, in_process, mutant, progress_bar, write_stdout,
};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ShapeArg {
    /// `rawId`, `clientExtensionResults` and `getClientExtensionResults`.
    Both,
    /// W3C L3 `toJSON()`: `rawId` and `clientExtensionResults`.
    Level3,
    /// The FIDO API IDL: `getClientExtensionResults`, no `rawId`.
    FidoApi,
}

/// The arguments of `run`.
#[derive(Debug, clap::Args)]
pub(super) struct RunArgs {
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

/// Runs the catalogue; `Ok(true)` when nothing failed or errored.
pub(super) fn run(args: &RunArgs) -> Result<bool, Exit> {
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
        "\n| rp | profile | seed | {} |\n|---|---|---|---|---|---|---|---|---|---|---|\n| {} | {} | {} | {} |\n",
        report::COUNT_HEADS,
        report.rp.replace('|', "\\|"),
        report.profile.name(),
        report.seed,
        report::count_cells(report),
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
