//! The command line as an operator meets it (issue 18 part 2): usage errors exit 2 with one
//! line before any request, a selection that matches nothing is a usage error, `--skip` leaves
//! checks out, a closed or full standard output is not a panic, and a stale expectations entry is
//! a JUnit failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn harness() -> Command {
    Command::new(env!("CARGO_BIN_EXE_webauthn-conformance"))
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wac-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn run(args: &[&str]) -> Output {
    harness().arg("run").args(args).output().unwrap()
}

/// Exit 2, one line on stderr naming the problem, and no report written.
fn assert_usage_error(args: &[&str], says: &str) {
    let out = out_dir("usage");
    let mut all: Vec<&str> = args.to_vec();
    let out_arg = out.display().to_string();
    if !args.contains(&"--out") {
        all.extend(["--out", &out_arg]);
    }
    let output = run(&all);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(says), "{args:?}: {stderr}");
    assert!(!out.join("report.json").exists(), "{args:?} wrote a report");
}

#[test]
fn meaningless_values_and_combinations_are_usage_errors() {
    assert_usage_error(
        &["--only", "reg-cd-*"],
        "no check of the strict profile matches",
    );
    assert_usage_error(&["--only", ""], "no check of the strict profile matches");
    assert_usage_error(&["--skip", "*"], "no check of the strict profile matches");
    // OPT-G-09 exists in the fido profile only.
    assert_usage_error(
        &["--only", "OPT-G-09"],
        "no check of the strict profile matches",
    );
    assert_usage_error(&["--jobs", "0"], "--jobs");
    assert_usage_error(&["--timeout", "0"], "--timeout");
    assert_usage_error(
        &["--rp-id", "x.example"],
        "--rp-id applies to an RP behind HTTP",
    );
    assert_usage_error(
        &["--shape", "fido-api"],
        "--shape applies to an RP behind HTTP",
    );
    assert_usage_error(&["--out", "/proc/wac-cannot-write"], "cannot create");
    assert_usage_error(
        &["--rp", "http://127.0.0.1:1", "--origin", "not a url"],
        "is not an origin",
    );
    assert_usage_error(
        &["--rp", "http://127.0.0.1:1", "--rp-id", ""],
        "--rp-id must not be empty",
    );
}

#[test]
fn skip_leaves_checks_out() {
    let out = out_dir("skip");
    let output = run(&[
        "--only",
        "REG-CD-0*",
        "--skip",
        "REG-CD-07*",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let report = report_json(&out);
    let ids: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.iter().any(|id| id.starts_with("REG-CD-06")), "{ids:?}");
    assert!(!ids.iter().any(|id| id.starts_with("REG-CD-07")), "{ids:?}");
}

#[test]
fn a_full_standard_output_is_exit_2_not_a_panic() {
    let out = out_dir("full");
    let output = harness()
        .args([
            "run",
            "--only",
            "ENC-02*",
            "--out",
            &out.display().to_string(),
        ])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write to standard output"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The reports were written before the summary.
    assert!(out.join("report.json").is_file());
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    let out = out_dir("pipe");
    let mut child = harness()
        .args([
            "run",
            "--only",
            "REG-*",
            "--out",
            &out.display().to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the summary is printed.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_stale_expectation_is_a_junit_failure() {
    let out = out_dir("stale");
    std::fs::create_dir_all(&out).unwrap();
    let file = out.join("expect.toml");
    std::fs::write(
        &file,
        "[[expected]]\ncheck = \"ENC-02.registration\"\nverdict = \"fail\"\nreason = \"§2.1: the reference RP was once lenient here.\"\n",
    )
    .unwrap();
    let output = run(&[
        "--only",
        "ENC-02*",
        "--expectations",
        &file.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let xml = std::fs::read_to_string(out.join("report.xml")).unwrap();
    let head = xml.lines().nth(1).unwrap();
    assert!(head.contains("tests=\"3\" failures=\"1\""), "{head}");
    assert!(
        xml.contains("<testcase classname=\"expectations\" name=\"stale ENC-02.registration\""),
        "{xml}"
    );
    assert!(xml.contains("type=\"stale\""), "{xml}");
}

#[test]
fn markdown_sections_follow_the_spec_order() {
    let out = out_dir("order");
    let output = run(&[
        "--only",
        "ENC-0*",
        "--only",
        "REG-CD-10",
        "--only",
        "REG-CD-01*",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let sections: Vec<&str> = md.lines().filter(|l| l.starts_with("## §")).collect();
    assert_eq!(
        sections,
        ["## §2.1", "## §5.1", "## §7.1", "## §13.5.3"],
        "{md}"
    );
}

#[test]
fn list_names_every_check_of_the_profile() {
    let output = harness()
        .args(["list", "--profile", "fido", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fido = webauthn_conformance::checks::catalogue()
        .into_iter()
        .filter(|c| {
            c.expect
                .get(webauthn_conformance::rp::Profile::Fido)
                .is_some()
        })
        .count();
    assert_eq!(rows.as_array().unwrap().len(), fido);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "OPT-G-09" && r["profiles"]["fido"]["level"] == "must")
    );
    let text = harness()
        .args(["list", "--only", "REG-CD-09"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&text.stdout).lines().count(),
        1,
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
}

#[test]
fn explain_gives_the_quote_the_outcomes_the_mutants_and_the_replay() {
    let output = harness().args(["explain", "REG-CD-09"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    for part in [
        "§7.1 step 8",
        "Verify that the value of C.challenge equals the base64url encoding of pkOptions.challenge.",
        "strict:    a conformant RP rejects; missing it is a fail (MUST)",
        "sent:      clientDataJSON.challenge = ",
        "caught by: reg_skip_challenge (§7.1 step 8)",
        "replay:    webauthn-conformance run --rp reference --profile strict --seed 1 --only 'REG-CD-09'",
    ] {
        assert!(text.contains(part), "missing {part:?} in\n{text}");
    }
    let unknown = harness().args(["explain", "REG-CD"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean"));
    // Not ASCII: still a usage error, not a panic on a character boundary.
    let odd = harness().args(["explain", "ééééééé"]).output().unwrap();
    assert_eq!(odd.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&odd.stderr).contains("panicked"));
    let list = harness().args(["mutants", "--list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("reg_skip_challenge"));
}

/// Pre-flight: an RP whose API is not where the flags say (every endpoint 404) or that does not
/// speak HTTP is exit 2 before the catalogue, saying what was tried and what came back.
#[test]
fn a_missing_api_is_exit_2_before_the_catalogue() {
    let server = served(1_000);
    let out = out_dir("preflight");
    let wrong = format!("{}/wrong", server.url());
    let output = run(&["--rp", &wrong, "--out", &out.display().to_string()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("pre-flight: REG-ENV-01"), "{stderr}");
    assert!(stderr.contains("/wrong/attestation/options"), "{stderr}");
    assert!(!out.join("report.json").exists());
    // The right base path passes the pre-flight.
    let output = run(&[
        "--rp",
        &server.url(),
        "--only",
        "REG-ENV-0*",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    server.shutdown().unwrap();

    // A server that answers with bytes that are not HTTP.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let answering = std::thread::spawn(move || {
        use std::io::{Read as _, Write as _};
        // Bounded: the probe and the two pre-flight ceremonies need a handful of connections.
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { break };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.2\r\n");
        }
    });
    let output = run(&["--rp", &url, "--out", &out.display().to_string()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("pre-flight"), "{stderr}");
    assert!(stderr.contains("HTTP"), "{stderr}");
    drop(answering);
}

/// Forwards connections on a new loopback port to `target`, holding each chunk of the client's
/// bytes for `delay`: a slow RP. Bounded: it serves `connections` connections, then stops.
fn slow_proxy(target: String, delay: std::time::Duration, connections: usize) -> String {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for client in listener.incoming().take(connections) {
            let Ok(client) = client else { break };
            let Ok(server) = std::net::TcpStream::connect(&target) else {
                break;
            };
            let (mut client_in, mut server_out) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || {
                let mut buf = [0u8; 16384];
                while let Ok(n @ 1..) = client_in.read(&mut buf) {
                    std::thread::sleep(delay);
                    if server_out.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
            let (mut server_in, mut client_out) = (server, client);
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut server_in, &mut client_out);
            });
        }
    });
    url
}

fn served(max_requests: u64) -> webauthn_conformance::serve::ServerHandle {
    use webauthn_conformance::rp::reference::ReferenceFactory;
    use webauthn_conformance::rp::{Profile, RpConfig};
    use webauthn_conformance::serve::{self, ServeOptions};
    serve::start(
        Box::new(ReferenceFactory::new(None)),
        ServeOptions {
            port: 0,
            config: RpConfig::example(Profile::Strict, 1),
            max_requests,
            limits: serve::Limits::default(),
        },
    )
    .unwrap()
}

fn report_json(out: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap()
}

/// Ctrl-C (SIGINT) during a run against a slow RP: a clean stop, the reports of the checks done
/// marked interrupted, exit 130.
#[test]
fn an_interrupt_writes_the_checks_done_and_exits_130() {
    let server = served(1_000_000);
    let target = server.url().trim_start_matches("http://").to_owned();
    let url = slow_proxy(target, std::time::Duration::from_millis(20), 100_000);
    let out = out_dir("interrupt");
    let child = harness()
        .args(["run", "--rp", &url, "--out", &out.display().to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let report = report_json(&out);
    assert_eq!(
        report["interrupted"],
        "interrupted by a signal (SIGINT or SIGTERM)"
    );
    let done = report["results"].as_array().unwrap().len();
    assert!((1..300).contains(&done), "{done} checks done");
    assert!(String::from_utf8_lossy(&output.stdout).contains("INTERRUPTED"));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("**Interrupted**"), "{md}");
    server.shutdown().unwrap();
}

/// An RP that dies mid-run (`serve --max-requests`): the run stops after ten checks in a row
/// could not be run, writes the reports of the checks done and exits 2, instead of an error per
/// remaining check.
#[test]
fn an_rp_that_dies_mid_run_stops_the_run_early() {
    let server = served(300);
    let out = out_dir("dead");
    // Once it has served its requests the server stops answering: each later request waits
    // for the timeout.
    let output = run(&[
        "--rp",
        &server.url(),
        "--timeout",
        "1",
        "--out",
        &out.display().to_string(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("checks in a row could not be run"),
        "{stderr}"
    );
    let report = report_json(&out);
    let results = report["results"].as_array().unwrap();
    let errors = results.iter().filter(|r| r["verdict"] == "error").count();
    // At least the ten in a row; a few more when checks that need no RP (which pass and start
    // the count again) or the other job's check in flight come between.
    assert!((10..40).contains(&errors), "{errors} errors");
    assert!(results.len() < 200, "{} checks run", results.len());
    assert!(
        report["interrupted"]
            .as_str()
            .unwrap()
            .contains("stopped answering")
    );
}
