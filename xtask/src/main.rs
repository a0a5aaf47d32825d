//! `cargo xtask`: project automation.
//!
//! - `cargo xtask fuzz [TARGET|all] [--time S] [--jobs N]`: builds the cargo-fuzz targets (nightly
//!   toolchain), seeds each corpus from `vectors/` and from the targets' own seeds, runs each
//!   target for S seconds (libFuzzer fork mode over N jobs when N > 1), minimises the corpus,
//!   copies every crash into `fuzz/regressions/TARGET/` (replayed by `cargo test`), and prints
//!   executions and exec/s per target. Exit 1 on any crash, 2 when it cannot run.
//! - `cargo xtask fuzz-seeds DIR`: the seeds from `vectors/`, one folder per target.
//! - `cargo xtask vectors [--check]`: writes `vectors/generated/<profile>.json`, every catalogue
//!   check as the conformance-API conversation it holds (`webauthn_conformance::vectors`); with
//!   `--check`, writes nothing and exits 1 when a committed file is stale.
//! - `cargo xtask peers [NAME|all] [--check]`: reports for the RP libraries behind the shims in
//!   `xtask/peers/`, and the matrix `reports/README.md` (see `peers.rs`).
//! - `cargo xtask bench [--quick] [--only SECTION]`: builds the bench crate (`bench/`, its own
//!   workspace and Cargo.lock, with the peer authenticators and RPs) in release mode and runs it,
//!   bounded in time; it writes `reports/bench.md` and `reports/bench.json`.
//! - `cargo xtask site [--out DIR]`: `reports/` as a static site (the matrix and every RP's
//!   report page), default `target/site` (see `site.rs`).
//! - `cargo xtask browser [--out DIR]`: the HTML report and the site checked in headless
//!   Chromium (see `browser.rs`); a screenshot in DIR, default `target/browser`.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

mod arch;
mod browser;
mod corpus;
mod docs;
mod peers;
mod site;
// The targets in `fuzz/fuzz_targets/`, named by the library that holds their entry functions.
use webauthn_conformance::fuzzing::Target;

/// Which vector fields seed which targets.
const SEED_FIELDS: [(&str, &[Target]); 3] = [
    (
        "attestationObject",
        &[Target::AttestationObject, Target::Cbor],
    ),
    ("clientDataJSON", &[Target::ClientData]),
    ("authenticatorData", &[Target::AuthData]),
];

#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Run the fuzz targets (cargo-fuzz, nightly), bounded in time.
    Fuzz {
        /// A target name or `all`.
        #[arg(default_value = "all")]
        target: String,
        /// Seconds per target.
        #[arg(long, default_value_t = 60)]
        time: u64,
        /// libFuzzer fork-mode jobs (1: no fork mode).
        #[arg(long, default_value_t = 1)]
        jobs: u32,
    },
    /// Write each target's seeds from `vectors/` into DIR/TARGET/ (for ClusterFuzzLite's
    /// `<target>_seed_corpus.zip`).
    FuzzSeeds {
        /// The output directory.
        dir: PathBuf,
    },
    /// Benchmarks in release mode, each figure next to its baseline measured in the same run:
    /// writes reports/bench.md and reports/bench.json (a few minutes; `--quick`: about one).
    Bench {
        /// Shorter measurements.
        #[arg(long)]
        quick: bool,
        /// Only the sections whose name contains this (floor, authenticator, rp, catalogue,
        /// http, fuzz).
        #[arg(long)]
        only: Option<String>,
        /// Directory for bench.md and bench.json.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
    },
    /// Write the generated vectors (one per catalogue check and profile) to
    /// `vectors/generated/`.
    Vectors {
        /// Compare with the committed files instead of writing them; exit 1 if any is stale.
        #[arg(long)]
        check: bool,
    },
    /// Install, start, test and stop each peer RP library; write `reports/<peer>/` and the
    /// matrix `reports/README.md` (`--check`: compare with the committed ones instead).
    Peers(peers::Args),
    /// Render `reports/` as a static site: the matrix and every RP's report page.
    Site {
        /// The output directory.
        #[arg(long, default_value = "target/site")]
        out: PathBuf,
    },
    /// The module graph of each library crate (no cycles among sibling modules) and the
    /// repository's citations (none outside it); exit 1 on a problem.
    Arch {
        /// Also print every sibling edge with the first place that makes it.
        #[arg(long)]
        graph: bool,
        /// Check this checkout instead of this repository (e.g. a `git worktree` of an older
        /// commit, to compare its module graph).
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Write the generated documents of `docs/` (the check catalogue, the known bugs).
    Docs {
        /// Compare with the committed files instead of writing them; exit 1 if any is stale.
        #[arg(long)]
        check: bool,
    },
    /// Check the HTML report and the site in headless Chromium (installed when missing, as
    /// root); writes a screenshot.
    Browser {
        /// The output directory (report, site, screenshot, ChromeDriver log).
        #[arg(long, default_value = "target/browser")]
        out: PathBuf,
        /// Record real Chromium registrations and assertions into `vectors/browser/` instead
        /// (Chromium's virtual authenticator, several configurations).
        #[arg(long)]
        record: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Task::Peers(args) => match peers::main(&args, &root()) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Task::Fuzz { target, time, jobs } => match fuzz(&target, time, jobs.max(1)) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Task::Bench { quick, only, out } => match bench(quick, only.as_deref(), &out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Task::Vectors { check } => match vectors(check) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Task::Site { out } => match site::render(&root().join("reports"), &out) {
            Ok(pages) => {
                println!("site: {pages} pages in {}", out.display());
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Task::Browser { out, record: true } => exit(corpus::main(&root(), &out).map(|()| true)),
        Task::Browser { out, record: false } => match browser::main(&root(), &out) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Task::Arch { graph, root: at } => exit(arch::main(
            &at.unwrap_or_else(root),
            graph,
            docs::known_bug_count(),
        )),
        Task::Docs { check } => exit(docs::main(&root(), check)),
        Task::FuzzSeeds { dir } => {
            let written = Target::ALL.into_iter().try_for_each(|target| {
                let out = dir.join(target.name());
                std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
                seed(&root(), target, &out)
            });
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// The exit code of a task that checks something: 0 clean, 1 a problem found, 2 an error.
fn exit(result: Result<bool, String>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes (or, with `check`, compares) each profile's generated vectors; `Ok(false)` when a
/// committed file is stale.
fn vectors(check: bool) -> Result<bool, String> {
    use webauthn_conformance::vectors::{
        COMMITTED_PROFILES, COMMITTED_SEED, committed_path, generate, to_text,
    };
    let root = root();
    let mut current = true;
    for profile in COMMITTED_PROFILES {
        let file = generate(profile, COMMITTED_SEED).map_err(|e| e.to_string())?;
        let text = to_text(&file);
        let path = root.join(committed_path(profile));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let tests = file.number_of_tests;
        if committed == text {
            println!("{}: {tests} tests, current", path.display());
        } else if check {
            println!("{}: STALE (run `cargo xtask vectors`)", path.display());
            current = false;
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("{}: {tests} tests, written", path.display());
        }
    }
    Ok(current)
}

/// Builds and runs the bench crate; its run is killed after a limit well above its usual time.
fn bench(quick: bool, only: Option<&str>, out: &Path) -> Result<(), String> {
    let root = root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target").join("bench"));
    let manifest = root.join("bench").join("Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    run(Command::new(&cargo).current_dir(&root).args([
        "build",
        "--release",
        "--locked",
        "--manifest-path",
        &manifest.display().to_string(),
        "--target-dir",
        &target.display().to_string(),
    ]))?;
    // criterion's own files, fresh for each run.
    let criterion = target.join("bench-criterion");
    let _ = std::fs::remove_dir_all(&criterion);
    let out = if out.is_absolute() {
        out.to_path_buf()
    } else {
        root.join(out)
    };
    let mut command = Command::new(target.join("release").join("webauthn-conformance-bench"));
    command
        .current_dir(&root)
        .env("CRITERION_HOME", &criterion)
        .arg("--out")
        .arg(&out)
        .arg("--criterion-dir")
        .arg(&criterion);
    if quick {
        command.arg("--quick");
    }
    if let Some(only) = only {
        command.args(["--only", only]);
    }
    let limit = Duration::from_secs(if quick { 15 * 60 } else { 30 * 60 });
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start the bench: {e}"))?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return if status.success() {
                Ok(())
            } else {
                Err(format!("the bench failed: {status}"))
            };
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "the bench took more than {} s: stopped",
                limit.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// One target's figures.
struct Figures {
    target: Target,
    executions: u64,
    seconds: f64,
    corpus: usize,
    crashes: Vec<PathBuf>,
    /// Disagreement classes found so far (the differential target).
    disagreements: Vec<String>,
}

/// The targets `cargo xtask fuzz TARGET` names: one, or every one for `all`.
fn fuzz_targets(which: &str) -> Result<Vec<Target>, String> {
    match which {
        "all" => Ok(Target::ALL.to_vec()),
        name => name
            .parse::<Target>()
            .map(|target| vec![target])
            .map_err(|e| format!("{e} (or all)")),
    }
}

fn fuzz(which: &str, time: u64, jobs: u32) -> Result<bool, String> {
    let targets = fuzz_targets(which)?;
    let root = root();
    let version = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !version.status.success() {
        return Err("`cargo +nightly fuzz` is not available: install the nightly toolchain and `cargo install cargo-fuzz --locked`".into());
    }
    run(Command::new("cargo")
        .current_dir(&root)
        .args(["+nightly", "fuzz", "build"]))?;
    let mut all = Vec::new();
    for target in targets {
        all.push(fuzz_one(&root, target, time, jobs)?);
    }
    println!(
        "\n| target | executions | seconds | exec/s | corpus | crashes |\n|---|---|---|---|---|---|"
    );
    let mut total = 0;
    for f in &all {
        total += f.executions;
        println!(
            "| {} | {} | {:.0} | {:.0} | {} | {} |",
            f.target,
            f.executions,
            f.seconds,
            f.executions as f64 / f.seconds.max(0.001),
            f.corpus,
            f.crashes.len()
        );
    }
    println!("total executions: {total}");
    let crashes: Vec<&PathBuf> = all.iter().flat_map(|f| &f.crashes).collect();
    for crash in &crashes {
        println!("crash saved as regression input: {}", crash.display());
    }
    for f in all.iter().filter(|f| !f.disagreements.is_empty()) {
        println!(
            "{}: {} disagreement classes (one example each in fuzz/artifacts/{}/disagreements/):",
            f.target,
            f.disagreements.len(),
            f.target
        );
        for class in &f.disagreements {
            println!("  {class}");
        }
    }
    Ok(crashes.is_empty())
}

fn fuzz_one(root: &Path, target: Target, time: u64, jobs: u32) -> Result<Figures, String> {
    let corpus = root.join("fuzz/corpus").join(target.name());
    let artifacts = root.join("fuzz/artifacts").join(target.name());
    std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    std::fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    seed(root, target, &corpus)?;
    let before: Vec<PathBuf> = files(&artifacts);
    println!("== fuzz {target}: {time} s, {jobs} job(s)");
    let mut command = Command::new("cargo");
    // The differential target writes one example per disagreement class here.
    let disagreements = artifacts.join("disagreements");
    command.env(
        webauthn_conformance::fuzzing::DISAGREEMENTS_DIR_VAR,
        &disagreements,
    );
    command.current_dir(root).args([
        "+nightly",
        "fuzz",
        "run",
        target.name(),
        &corpus.display().to_string(),
        "--",
        &format!("-max_total_time={time}"),
        "-print_final_stats=1",
        &format!("-artifact_prefix={}/", artifacts.display()),
    ]);
    if jobs > 1 {
        command.arg(format!("-fork={jobs}"));
        command.arg("-ignore_crashes=1");
    }
    let started = Instant::now();
    let log = run_bounded(&mut command, Duration::from_secs(time + 300))?;
    let seconds = started.elapsed().as_secs_f64();
    let executions = executions(&log);
    // Minimise the corpus: keep the inputs that add coverage.
    let minimised = corpus.with_extension("min");
    let _ = std::fs::remove_dir_all(&minimised);
    std::fs::create_dir_all(&minimised).map_err(|e| e.to_string())?;
    let merged = Command::new("cargo")
        .current_dir(root)
        .args([
            "+nightly",
            "fuzz",
            "run",
            target.name(),
            &minimised.display().to_string(),
            &corpus.display().to_string(),
            "--",
            "-merge=1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if merged.success() && !files(&minimised).is_empty() {
        let _ = std::fs::remove_dir_all(&corpus);
        std::fs::rename(&minimised, &corpus).map_err(|e| e.to_string())?;
    } else {
        let _ = std::fs::remove_dir_all(&minimised);
    }
    // Every new crash becomes a regression input, replayed by `cargo test`.
    let regressions = root.join("fuzz/regressions").join(target.name());
    let mut crashes = Vec::new();
    for artifact in files(&artifacts) {
        if before.contains(&artifact) || artifact.is_dir() {
            continue;
        }
        std::fs::create_dir_all(&regressions).map_err(|e| e.to_string())?;
        let name = artifact
            .file_name()
            .map(|n| n.to_owned())
            .unwrap_or_default();
        let saved = regressions.join(name);
        std::fs::copy(&artifact, &saved).map_err(|e| e.to_string())?;
        crashes.push(saved);
    }
    // The first line of each example names its class.
    let disagreements = files(&disagreements)
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .filter_map(|text| text.lines().next().map(str::to_owned))
        .collect();
    Ok(Figures {
        target,
        executions,
        seconds,
        corpus: files(&corpus).len(),
        crashes,
        disagreements,
    })
}

/// The executions libFuzzer reports: `stat::number_of_executed_units` (final stats), or the
/// largest `#N` of its status lines (fork mode).
fn executions(log: &str) -> u64 {
    let mut best = 0;
    for line in log.lines() {
        if let Some(rest) = line.strip_prefix("stat::number_of_executed_units:") {
            if let Ok(n) = rest.trim().parse::<u64>() {
                best = best.max(n);
            }
        } else if let Some(rest) = line.strip_prefix('#') {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<u64>() {
                best = best.max(n);
            }
        }
    }
    best
}

/// Seeds from `vectors/` (every hex string under a seed field goes to the targets it fits, every
/// generated response body to its response-JSON target) and
/// from one valid ceremony (`webauthn_conformance::fuzzing::seeds`).
fn seed(root: &Path, target: Target, corpus: &Path) -> Result<(), String> {
    for bytes in webauthn_conformance::fuzzing::seeds(target) {
        let name = format!("seed-{:016x}", fnv1a(&bytes));
        std::fs::write(corpus.join(name), bytes).map_err(|e| e.to_string())?;
    }
    let mut stack = vec![root.join("vectors")];
    while let Some(dir) = stack.pop() {
        for path in files(&dir) {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "json")
                || path.starts_with(root.join("vectors/schemas"))
            {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            let mut found = Vec::new();
            collect(&json, target, &mut found);
            for bytes in found {
                let name = format!("seed-{:016x}", fnv1a(&bytes));
                std::fs::write(corpus.join(name), bytes).map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(())
}

/// Which response-JSON target a generated conversation step's `body` seeds.
const BODY_TARGETS: [(&str, Target); 2] = [
    ("/attestation/result", Target::RegistrationJson),
    ("/assertion/result", Target::AuthenticationJson),
];

fn collect(json: &serde_json::Value, target: Target, out: &mut Vec<Vec<u8>>) {
    match json {
        serde_json::Value::Object(map) => {
            let endpoint = map.get("endpoint").and_then(|e| e.as_str());
            if BODY_TARGETS.contains(&(endpoint.unwrap_or_default(), target))
                && let Some(body) = map.get("body").and_then(|b| b.as_str())
            {
                out.push(body.as_bytes().to_vec());
            }
            for (key, value) in map {
                let fits = SEED_FIELDS
                    .iter()
                    .any(|(field, targets)| field == key && targets.contains(&target));
                if let (true, Some(text)) = (fits, value.as_str())
                    && let Ok(bytes) = hex::decode(text)
                {
                    out.push(bytes);
                }
                collect(value, target, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, target, out)),
        _ => {}
    }
}

/// A stable file name for a seed (not a security hash).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed: {status}"))
    }
}

/// Runs `command`, echoing and returning its standard error; killed after `limit`.
fn run_bounded(command: &mut Command, limit: Duration) -> Result<String, String> {
    let log_path = std::env::temp_dir().join(format!("xtask-fuzz-{}.log", std::process::id()));
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let mut child = command
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let _ = std::fs::remove_file(&log_path);
    for line in text.lines().filter(|l| {
        l.contains("DONE") || l.contains("ERROR") || l.starts_with("stat::") || l.contains("crash")
    }) {
        println!("  {line}");
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_has_a_fuzz_crate_binary() {
        for target in Target::ALL {
            assert!(
                root()
                    .join("fuzz/fuzz_targets")
                    .join(format!("{target}.rs"))
                    .is_file(),
                "{target}"
            );
        }
    }

    #[test]
    fn a_fuzz_target_name_is_one_target_or_all() {
        assert_eq!(fuzz_targets("all"), Ok(Target::ALL.to_vec()));
        assert_eq!(fuzz_targets("cose_key"), Ok(vec![Target::CoseKey]));
        let message = fuzz_targets("cose").err().unwrap_or_default();
        assert!(
            message.starts_with("unknown fuzz target \"cose\"; the targets are cbor, "),
            "{message}"
        );
        assert!(message.ends_with("differential (or all)"), "{message}");
    }

    #[test]
    fn reads_executions_from_final_stats_and_fork_status_lines() {
        assert_eq!(
            executions("#1024\tpulse\nstat::number_of_executed_units: 5000\n"),
            5000
        );
        assert_eq!(executions("#2345: cov: 10 ft: 20\n#9999: cov: 11\n"), 9999);
    }
}
