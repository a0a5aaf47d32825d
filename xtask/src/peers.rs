//! `cargo xtask peers [NAME|all] [--check]`: conformance reports for RP libraries other people
//! wrote, driven over the FIDO2 conformance API through the shims in `xtask/peers/`.
//!
//! For each peer: install it into `target/peers/<peer>/` (a Python venv from a hash-pinned
//! requirements file, or `npm ci` from the committed lockfile), start its shim on a free
//! 127.0.0.1 port, wait (bounded) until it answers, run the whole catalogue in both profiles with
//! the release harness binary (`--expectations expectations/<peer>.toml`), stop the shim by its
//! PID (also on every error), and write `reports/<peer>/` (strict) and `reports/<peer>/fido/`.
//! `all` also regenerates the in-process RPs' reports (`reference`, `webauthn-rs`, both
//! profiles). Then `reports/README.md`, the matrix of every check against every RP, is
//! generated from the five RPs' JSON reports.
//!
//! `--check` writes into `target/peers/check/` instead and fails when any report or the matrix
//! differs from the committed one (CI). A peer that cannot be installed or started is an error,
//! never a skip.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use webauthn_conformance::checks::catalogue;

/// How long one install step (venv, pip, npm) may take.
const INSTALL_LIMIT: Duration = Duration::from_secs(900);
/// How long a shim may take to print its address.
const START_LIMIT: Duration = Duration::from_secs(60);
/// How long a shim may take to accept a connection once it printed its address.
const ANSWER_LIMIT: Duration = Duration::from_secs(10);
/// How long one harness run (one profile) may take.
const RUN_LIMIT: Duration = Duration::from_secs(900);

/// How a peer is installed and started.
#[derive(Debug, Clone, Copy)]
enum Install {
    /// A venv with `pip install --require-hashes -r xtask/peers/<requirements>`; the shim runs
    /// on the venv's python.
    Python { requirements: &'static str },
    /// `npm ci` from `xtask/peers/package.json` and `package-lock.json`; the shim is copied
    /// next to `node_modules` (ES modules resolve packages from the script's folder).
    Node,
}

/// One RP library behind a shim.
#[derive(Debug, Clone, Copy)]
pub struct Peer {
    /// The report folder, expectations file and CLI name.
    pub name: &'static str,
    /// The shim in `xtask/peers/`.
    shim: &'static str,
    install: Install,
}

/// The peers, in matrix order.
pub const PEERS: [Peer; 3] = [
    Peer {
        name: "py_webauthn",
        shim: "py_webauthn_shim.py",
        install: Install::Python {
            requirements: "py_webauthn.requirements.txt",
        },
    },
    Peer {
        name: "python-fido2",
        shim: "fido2_shim.py",
        install: Install::Python {
            requirements: "fido2.requirements.txt",
        },
    },
    Peer {
        name: "simplewebauthn",
        shim: "simplewebauthn_shim.mjs",
        install: Install::Node,
    },
];

/// The RPs run in process by the harness binary, in matrix order: the library's adapter
/// registry (every adapter, built into this xtask or not: the harness binary has them all).
pub(crate) fn in_process() -> impl Iterator<Item = &'static str> {
    webauthn_conformance::rp::registry::ADAPTERS
        .iter()
        .map(|adapter| adapter.name)
}

/// The profiles, and where each one's report goes under `reports/<rp>/`.
pub(crate) const PROFILES: [(&str, &str); 2] = [("strict", ""), ("fido", "fido")];

/// `cargo xtask peers` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A peer (`py_webauthn`, `python-fido2`, `simplewebauthn`) or `all` (the three peers and
    /// the in-process RPs).
    #[arg(default_value = "all")]
    which: String,
    /// Compare with the committed reports and matrix instead of writing them; fail on any
    /// difference.
    #[arg(long)]
    check: bool,
}

/// Runs the task; `Ok(false)` when a report differs from the committed one (`--check`) or a
/// run found failures its expectations file does not list.
pub fn main(args: &Args, root: &Path) -> Result<bool, String> {
    let peers: Vec<Peer> = match args.which.as_str() {
        "all" => PEERS.to_vec(),
        name => vec![
            *PEERS
                .iter()
                .find(|p| p.name == name)
                .ok_or_else(|| format!("unknown peer {name:?}; known: {:?} or all", names()))?,
        ],
    };
    let work = root.join("target/peers");
    let reports = if args.check {
        let dir = work.join("check/reports");
        let _ = std::fs::remove_dir_all(&dir);
        dir
    } else {
        root.join("reports")
    };
    for dir in [&work, &reports] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let binary = harness_binary(root)?;
    let trust_store = work.join("harness-metadata.json");
    run_bounded(
        Command::new(&binary)
            .arg("trust-store")
            .arg("--out")
            .arg(&trust_store),
        Duration::from_secs(60),
        "write the harness trust store",
    )?;
    let mut clean = true;
    if args.which == "all" {
        for rp in in_process() {
            let expectations = root.join(format!("expectations/{rp}.toml"));
            let mut base = Command::new(&binary);
            base.current_dir(root).args(["run", "--rp", rp]);
            if expectations.is_file() {
                base.arg("--expectations").arg(&expectations);
            }
            clean &= run_profiles(&base, &reports.join(rp), rp)?;
        }
    }
    for peer in &peers {
        clean &= run_peer(root, &binary, &trust_store, peer, &reports.join(peer.name))?;
    }
    let matrix = matrix(&reports)?;
    std::fs::write(reports.join("README.md"), &matrix)
        .map_err(|e| format!("reports/README.md: {e}"))?;
    if args.check {
        let mut compared: Vec<String> = vec!["README.md".into()];
        let rps: Vec<&str> = if args.which == "all" {
            in_process().chain(PEERS.iter().map(|p| p.name)).collect()
        } else {
            peers.iter().map(|p| p.name).collect()
        };
        for rp in rps {
            for (_, sub) in PROFILES {
                for file in ["report.json", "report.md", "report.xml", "report.html"] {
                    compared.push(relative(rp, sub, file));
                }
            }
        }
        let differing: Vec<&String> = compared
            .iter()
            .filter(|file| {
                let fresh = std::fs::read(reports.join(file.as_str())).ok();
                let committed = std::fs::read(root.join("reports").join(file.as_str())).ok();
                fresh.is_none() || fresh != committed
            })
            .collect();
        for file in &differing {
            println!(
                "DIFFERS reports/{file} (fresh: target/peers/check/reports/{file}); run `cargo xtask peers {}` and commit",
                args.which
            );
        }
        if differing.is_empty() {
            println!("the committed reports and matrix are what the run produces");
        }
        clean &= differing.is_empty();
    }
    Ok(clean)
}

fn names() -> Vec<&'static str> {
    PEERS.iter().map(|p| p.name).collect()
}

pub(crate) fn relative(rp: &str, sub: &str, file: &str) -> String {
    if sub.is_empty() {
        format!("{rp}/{file}")
    } else {
        format!("{rp}/{sub}/{file}")
    }
}

/// Builds the release harness binary and returns its path.
fn harness_binary(root: &Path) -> Result<PathBuf, String> {
    run_bounded(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(root)
            .args([
                "build",
                "--release",
                "--locked",
                "-p",
                "webauthn-conformance",
            ]),
        Duration::from_secs(3600),
        "build the harness (cargo build --release -p webauthn-conformance)",
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"));
    let binary = target.join("release").join(format!(
        "webauthn-conformance{}",
        std::env::consts::EXE_SUFFIX
    ));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!("the harness binary is not at {}", binary.display()))
    }
}

/// Runs `base` (a `run` command without `--profile` and `--out`) in both profiles into `dir`;
/// `Ok(false)` when a run reported failures (exit 1).
fn run_profiles(base: &Command, dir: &Path, rp: &str) -> Result<bool, String> {
    let mut clean = true;
    for (profile, sub) in PROFILES {
        let out = if sub.is_empty() {
            dir.to_path_buf()
        } else {
            dir.join(sub)
        };
        let mut command = Command::new(base.get_program());
        command.args(base.get_args());
        if let Some(cwd) = base.get_current_dir() {
            command.current_dir(cwd);
        }
        command
            .args(["--profile", profile, "--out"])
            .arg(&out)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        println!("== {rp} ({profile})");
        let output = output_bounded(&mut command, RUN_LIMIT)
            .map_err(|e| format!("run the catalogue against {rp} ({profile}): {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        // The run's summary table and anything that needs attention.
        for line in stdout.lines().filter(|l| {
            l.starts_with("| ")
                || l.starts_with("FAIL")
                || l.starts_with("ERROR")
                || l.starts_with("STALE")
        }) {
            println!("  {line}");
        }
        match output.status.code() {
            Some(0) => {}
            Some(1) => clean = false,
            _ => {
                return Err(format!(
                    "the harness could not run the catalogue against {rp} ({profile}): {}\n{}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
        }
    }
    Ok(clean)
}

/// Installs, starts, tests and stops one peer.
fn run_peer(
    root: &Path,
    binary: &Path,
    trust_store: &Path,
    peer: &Peer,
    dir: &Path,
) -> Result<bool, String> {
    let work = root.join("target/peers").join(peer.name);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    println!("== {}: install into {}", peer.name, work.display());
    let mut command = install(root, peer, &work)?;
    // The shim pins its library's clock to the harness's "now" (the test PKI's), as the
    // in-process RPs run, and says so in its reset answers: reports stay reproducible.
    command
        .arg("--port")
        .arg("0")
        .arg("--trust-store")
        .arg(trust_store)
        .arg("--clock-ms")
        .arg((webauthn_conformance::crypto::pki::NOW * 1000).to_string());
    let shim = Shim::start(command, &work.join("shim.log"), peer.name)?;
    println!("== {}: {} at {}", peer.name, shim.name, shim.url);
    let expectations = root.join(format!("expectations/{}.toml", peer.name));
    let mut base = Command::new(binary);
    base.current_dir(root)
        .args(["run", "--rp", &shim.url, "--rp-name", &shim.name]);
    if expectations.is_file() {
        base.arg("--expectations").arg(&expectations);
    } else {
        println!(
            "  (no {}: every deviation shows as a failure)",
            expectations.display()
        );
    }
    let ran = run_profiles(&base, dir, peer.name);
    let stopped = shim.stop();
    let clean = ran?;
    stopped?;
    println!("== {}: stopped", peer.name);
    Ok(clean)
}

/// Installs `peer` into `work` unless the installed pins are the committed ones; the command
/// that starts its shim.
fn install(root: &Path, peer: &Peer, work: &Path) -> Result<Command, String> {
    let peers = root.join("xtask/peers");
    let shim = peers.join(peer.shim);
    let stamp = work.join("installed.stamp");
    match peer.install {
        Install::Python { requirements } => {
            let requirements = peers.join(requirements);
            let pins = std::fs::read_to_string(&requirements)
                .map_err(|e| format!("{}: {e}", requirements.display()))?;
            let venv = work.join("venv");
            let python = venv.join("bin/python");
            if std::fs::read_to_string(&stamp).ok().as_deref() != Some(pins.as_str())
                || !python.is_file()
            {
                let _ = std::fs::remove_file(&stamp);
                run_bounded(
                    Command::new("python3")
                        .args(["-m", "venv", "--clear"])
                        .arg(&venv),
                    INSTALL_LIMIT,
                    &format!(
                        "create the {} venv (python3 -m venv; needs Python 3 with venv)",
                        peer.name
                    ),
                )?;
                run_bounded(
                    Command::new(&python)
                        .args([
                            "-m",
                            "pip",
                            "install",
                            "--disable-pip-version-check",
                            "--no-input",
                            "--require-hashes",
                            "-r",
                        ])
                        .arg(&requirements),
                    INSTALL_LIMIT,
                    &format!(
                        "install {} from {} (the hashes are of the CPython 3.11 Linux x86_64 wheels)",
                        peer.name,
                        requirements.display()
                    ),
                )?;
                std::fs::write(&stamp, &pins).map_err(|e| e.to_string())?;
            }
            let mut command = Command::new(python);
            command.arg(shim);
            Ok(command)
        }
        Install::Node => {
            let mut pins = String::new();
            for file in ["package.json", "package-lock.json"] {
                let text = std::fs::read_to_string(peers.join(file))
                    .map_err(|e| format!("{}: {e}", peers.join(file).display()))?;
                std::fs::write(work.join(file), &text).map_err(|e| e.to_string())?;
                pins.push_str(&text);
            }
            if std::fs::read_to_string(&stamp).ok().as_deref() != Some(pins.as_str())
                || !work.join("node_modules").is_dir()
            {
                let _ = std::fs::remove_file(&stamp);
                run_bounded(
                    Command::new("npm")
                        .current_dir(work)
                        .args(["ci", "--no-audit", "--no-fund"]),
                    INSTALL_LIMIT,
                    &format!("install {} (npm ci; needs Node.js 20 and npm)", peer.name),
                )?;
                std::fs::write(&stamp, &pins).map_err(|e| e.to_string())?;
            }
            let copy = work.join(peer.shim);
            std::fs::copy(&shim, &copy).map_err(|e| format!("{}: {e}", copy.display()))?;
            let mut command = Command::new("node");
            command.arg(copy);
            Ok(command)
        }
    }
}

/// A running shim; dropping it kills it.
struct Shim {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`.
    url: String,
    /// The library and version, as the shim names it.
    name: String,
}

impl Shim {
    /// Starts the shim and waits for its first line, `NAME listening on http://127.0.0.1:PORT`,
    /// then for the port to accept a connection.
    fn start(mut command: Command, log: &Path, peer: &str) -> Result<Shim, String> {
        let stderr = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start the {peer} shim ({command:?}): {e}"))?;
        let stdout = child.stdout.take();
        let mut shim = Shim {
            child: Some(child),
            url: String::new(),
            name: String::new(),
        };
        let (send, receive) = mpsc::channel();
        if let Some(stdout) = stdout {
            std::thread::spawn(move || {
                let mut line = String::new();
                let _ = BufReader::new(stdout).read_line(&mut line);
                let _ = send.send(line);
            });
        }
        let failed = |why: String| {
            let logged = std::fs::read_to_string(log).unwrap_or_default();
            format!(
                "the {peer} shim did not start: {why}\n{}",
                logged
                    .lines()
                    .rev()
                    .take(20)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        };
        let line = receive
            .recv_timeout(START_LIMIT)
            .map_err(|_| failed(format!("it printed no address within {START_LIMIT:?}")))?;
        let (name, url) = line
            .trim()
            .split_once(" listening on ")
            .ok_or_else(|| failed(format!("unexpected first line {line:?}")))?;
        shim.name = name.to_owned();
        shim.url = url.to_owned();
        let address = url
            .strip_prefix("http://")
            .filter(|a| a.starts_with("127.0.0.1:"))
            .ok_or_else(|| failed(format!("not a loopback URL: {url:?}")))?
            .to_owned();
        let started = Instant::now();
        loop {
            if TcpStream::connect(&address).is_ok() {
                return Ok(shim);
            }
            if started.elapsed() > ANSWER_LIMIT {
                return Err(failed(format!(
                    "{address} refused connections for {ANSWER_LIMIT:?}"
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Kills the shim by its PID and reaps it.
    fn stop(mut self) -> Result<(), String> {
        match self.child.take() {
            Some(mut child) => kill(&mut child),
            None => Ok(()),
        }
    }
}

impl Drop for Shim {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = kill(&mut child);
        }
    }
}

fn kill(child: &mut Child) -> Result<(), String> {
    let pid = child.id();
    if child.try_wait().map_err(|e| e.to_string())?.is_none() {
        child
            .kill()
            .map_err(|e| format!("cannot stop the shim (PID {pid}): {e}"))?;
    }
    // Bounded: a killed process is reaped at once.
    let started = Instant::now();
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            return Err(format!("the shim (PID {pid}) did not exit after SIGKILL"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// Runs a command to completion within `limit`, its output shown only on failure.
fn run_bounded(command: &mut Command, limit: Duration, what: &str) -> Result<(), String> {
    let output = output_bounded(command.stdout(Stdio::piped()).stderr(Stdio::piped()), limit)
        .map_err(|e| format!("cannot {what}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cannot {what}: {}\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Runs a command (stdout and stderr piped by the caller) and collects its output; killed after
/// `limit`.
fn output_bounded(command: &mut Command, limit: Duration) -> Result<std::process::Output, String> {
    let mut child = command
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("{:?}: {e}", command.get_program()))?;
    let pipes = (child.stdout.take(), child.stderr.take());
    let reader = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = reader(
        pipes
            .0
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let err = reader(
        pipes
            .1
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > limit {
            let _ = kill(&mut child);
            return Err(format!("killed after {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    Ok(std::process::Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

/// One RP's results in one profile: check ID → (verdict, deviation verdict).
pub(crate) type Verdicts = BTreeMap<String, Outcome>;

/// One check's result in one profile: its verdict and, for a known deviation, the verdict
/// that happened.
pub(crate) type Outcome = (String, Option<String>);

/// One RP column: its name, and per profile its summary and verdicts.
pub(crate) struct Column {
    pub(crate) folder: String,
    pub(crate) name: String,
    pub(crate) profiles: Vec<(String, serde_json::Value, Verdicts)>,
}

pub(crate) fn read_column(reports: &Path, folder: &str) -> Result<Column, String> {
    let mut column = Column {
        folder: folder.to_owned(),
        name: folder.to_owned(),
        profiles: Vec::new(),
    };
    for (profile, sub) in PROFILES {
        let path = reports.join(relative(folder, sub, "report.json"));
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "{}: {e} (run `cargo xtask peers all` to produce every RP's reports)",
                path.display()
            )
        })?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if json["profile"] != profile {
            return Err(format!("{}: not a {profile} report", path.display()));
        }
        if let Some(name) = json["rp"]["name"].as_str() {
            name.clone_into(&mut column.name);
        }
        let mut verdicts = Verdicts::new();
        for result in json["results"].as_array().into_iter().flatten() {
            let id = result["id"].as_str().unwrap_or_default().to_owned();
            let verdict = result["verdict"].as_str().unwrap_or_default().to_owned();
            let deviation = result["deviation"]["verdict"].as_str().map(str::to_owned);
            verdicts.insert(id, (verdict, deviation));
        }
        column
            .profiles
            .push((profile.to_owned(), json["summary"].clone(), verdicts));
    }
    Ok(column)
}

/// One profile's result as a cell says it: the verdict, `fail (expected)` for a known
/// deviation, `–` where the check does not apply.
pub(crate) fn plain_verdict(result: Option<&Outcome>) -> String {
    match result {
        None => "–".to_owned(),
        Some((verdict, Some(deviation))) if verdict == "expected" => {
            format!("{deviation} (expected)")
        }
        Some((verdict, _)) => verdict.clone(),
    }
}

/// A Markdown cell's text for one profile's result: failures and errors stand out.
fn verdict_text(result: Option<&Outcome>) -> String {
    match plain_verdict(result).as_str() {
        "fail" => "**FAIL**".to_owned(),
        "error" => "**ERROR**".to_owned(),
        other => other.to_owned(),
    }
}

/// One RP's cell for one check, in both profiles.
pub(crate) struct Cell {
    /// The verdict when both profiles agree, else `strict / fido`, each as `say` writes it.
    pub(crate) text: String,
    /// The profile folder the cell links to: the one with the more telling verdict (fido
    /// when only it differs from a pass), `""` for strict.
    pub(crate) sub: &'static str,
    /// That profile's plain verdict.
    pub(crate) linked: String,
}

pub(crate) fn cell(column: &Column, id: &str, say: fn(Option<&Outcome>) -> String) -> Cell {
    let result = |index: usize| column.profiles[index].2.get(id);
    let (strict, fido) = (say(result(0)), say(result(1)));
    let text = if strict == fido {
        strict
    } else {
        format!("{strict} / {fido}")
    };
    let plain_strict = plain_verdict(result(0));
    let (sub, linked) = if plain_strict == "pass" || plain_strict == "–" {
        ("fido", plain_verdict(result(1)))
    } else {
        ("", plain_strict)
    };
    Cell { text, sub, linked }
}

/// A GitHub heading anchor for a report section such as `§7.1`.
fn section_anchor(section: &str) -> String {
    section
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ' ')
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// `reports/README.md`: counts per RP and profile, then one row per check and a column per RP.
fn matrix(reports: &Path) -> Result<String, String> {
    let columns: Vec<Column> = in_process()
        .chain(PEERS.iter().map(|p| p.name))
        .map(|folder| read_column(reports, folder))
        .collect::<Result<_, _>>()?;
    let mut out = String::from(
        "# Conformance matrix\n\n\
         Generated by `cargo xtask peers all` from the JSON reports in this folder; do not edit.\n\
         `cargo xtask peers all --check` (CI) fails when any report or this file is not what a\n\
         fresh run produces.\n\n\
         One column per relying party, one row per check of the catalogue (W3C WebAuthn Level 3\n\
         step, FIDO conformance tool item). Each RP is run twice: the `strict` profile holds it to\n\
         W3C L3 as written, the `fido` profile to the FIDO conformance tool where that departs\n\
         from L3 (W3C L3 §7.2 steps 16 and 22, §5.8.1 tokenBinding). A cell is one verdict when both profiles agree, else\n\
         `strict / fido`; `–` where the check does not apply in that profile. `fail (expected)` is\n\
         a known deviation of the library, listed with its spec step and what the library does in\n\
         `expectations/<rp>.toml`; `warn` is a SHOULD (or a policy the spec leaves to the RP) not\n\
         met; `inconclusive` is a rejection that proves nothing, because the RP also rejected the\n\
         same ceremony without the fault (its control); `skip` is a check the RP cannot be set up for (cross-origin framing, challenge\n\
         expiry, attestation policy). Each cell links to that RP's report section with the\n\
         details.\n\n\
         Each RP's folder holds `report.json`, `report.md`, `report.xml` (JUnit) and\n\
         `report.html` (one self-contained page) for the strict profile and the same under\n\
         `fido/` for the fido profile, all with seed 1. `cargo xtask site` renders this folder\n\
         as a static site (`target/site/index.html`: this matrix, linked to the HTML reports).\n\n\
         - `reference`: the harness's own RP, in process (`run --rp reference`; its strict report\n\
           is also snapshot-tested by `cargo test`).\n\
         - `webauthn-rs`: webauthn-rs-core in process (`run --rp webauthn-rs --expectations\n\
           expectations/webauthn-rs.toml`; strict report snapshot-tested too).\n\
         - `py_webauthn`, `python-fido2`, `simplewebauthn`: the libraries behind the shims in\n\
           `xtask/peers/` (versions pinned there), over the FIDO2 conformance HTTP API; their\n\
           replay commands read the shim's address from `$RP_URL`.\n\n\
         `bench.md` and `bench.json` are not conformance reports: they are the figures of\n\
         `cargo xtask bench` (top-level README, \"Benchmarks\"), machine-dependent and rewritten\n\
         by each run; every ratio in them is between figures taken in the same run.\n\n\
         ## Counts\n\n\
         | RP | report | profile | total | pass | inconclusive | fail | warn | error | skip | expected |\n\
         |---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for column in &columns {
        for (profile, summary, _) in &column.profiles {
            let sub = if profile == "strict" { "" } else { "fido" };
            let count = |key: &str| summary[key].as_u64().unwrap_or(0);
            out.push_str(&format!(
                "| {} | [{}]({}) | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                column.name,
                column.folder,
                relative(&column.folder, sub, "report.md"),
                profile,
                count("total"),
                count("pass"),
                count("inconclusive"),
                count("fail"),
                count("warn"),
                count("error"),
                count("skip"),
                count("expected"),
            ));
        }
    }
    out.push_str("\n## Checks\n\n| check | spec |");
    for column in &columns {
        out.push_str(&format!(" {} |", column.folder));
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(columns.len()));
    out.push('\n');
    for check in catalogue() {
        let section = check.spec.section.number();
        out.push_str(&format!(
            "| `{}` | [{} {}]({}) |",
            check.id,
            section,
            check.spec.step.to_string().replace('|', "\\|"),
            check.spec.url()
        ));
        for column in &columns {
            let cell = cell(column, check.id, verdict_text);
            out.push_str(&format!(
                " [{}]({}#{}) |",
                cell.text,
                relative(&column.folder, cell.sub, "report.md"),
                section_anchor(section)
            ));
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed matrix is what the committed JSON reports make (no Python or Node needed:
    /// `cargo xtask peers all --check` reruns the peers themselves).
    #[test]
    fn committed_matrix_is_current() {
        let reports = Path::new(env!("CARGO_MANIFEST_DIR")).join("../reports");
        let committed = std::fs::read_to_string(reports.join("README.md")).unwrap_or_default();
        assert!(
            matrix(&reports).is_ok_and(|m| m == committed),
            "reports/README.md is stale: run `cargo xtask peers all`"
        );
    }

    #[test]
    fn section_anchors_are_githubs() {
        assert_eq!(section_anchor("§7.1"), "71");
        assert_eq!(section_anchor("§13.5.3"), "1353");
    }

    #[test]
    fn every_peer_has_its_shim_and_pins() {
        let peers = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers");
        for peer in PEERS {
            assert!(peers.join(peer.shim).is_file(), "{}", peer.shim);
            match peer.install {
                Install::Python { requirements } => {
                    let text =
                        std::fs::read_to_string(peers.join(requirements)).unwrap_or_default();
                    for line in text.lines().filter(|l| l.contains("==")) {
                        assert!(line.ends_with('\\'), "{requirements}: {line} has no hash");
                    }
                    assert!(text.contains("--hash=sha256:"), "{requirements}");
                }
                Install::Node => {
                    assert!(peers.join("package-lock.json").is_file());
                }
            }
        }
    }

    #[test]
    fn cells_name_expected_deviations_and_missing_profiles() {
        assert_eq!(verdict_text(None), "–");
        assert_eq!(
            verdict_text(Some(&("expected".into(), Some("fail".into())))),
            "fail (expected)"
        );
        assert_eq!(verdict_text(Some(&("fail".into(), None))), "**FAIL**");
        assert_eq!(verdict_text(Some(&("pass".into(), None))), "pass");
    }
}
