//! End to end over HTTP: `serve` exposes the reference RP (and its mutants) on 127.0.0.1, the
//! HTTP adapter runs the catalogue against it, and every verdict equals the in-process one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use rstest::rstest;
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::rp::http::{HttpConfig, HttpFactory};
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::attestation::{AttCheck, packed};
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::rp::{Profile, RpConfig, RpFactory};
use webauthn_conformance::runner::{self, RunOptions, RunReport, Verdict};
use webauthn_conformance::serve::{self, ServeOptions, ServerHandle};

fn serve(mutant: Option<Mutant>) -> ServerHandle {
    serve::start(
        Box::new(ReferenceFactory::new(mutant)),
        ServeOptions {
            port: 0,
            config: RpConfig::example(Profile::Strict, 1),
            max_requests: 1_000_000,
            limits: serve::Limits::default(),
        },
    )
    .unwrap()
}

fn run(factory: &dyn RpFactory, profile: Profile) -> RunReport {
    let options = RunOptions {
        profile,
        seed: 1,
        only: Vec::new(),
    };
    runner::run(factory, &catalogue(), &options)
}

/// Check by check, the differences between two runs (empty when the verdicts are equal).
fn differences(in_process: &RunReport, over_http: &RunReport) -> Vec<String> {
    let mut out = Vec::new();
    if in_process.results.len() != over_http.results.len() {
        out.push(format!(
            "{} checks in process, {} over HTTP",
            in_process.results.len(),
            over_http.results.len()
        ));
    }
    for (a, b) in in_process.results.iter().zip(&over_http.results) {
        if a.id != b.id || a.verdict != b.verdict {
            out.push(format!(
                "{}: in process {:?} ({}), over HTTP {} {:?} ({})",
                a.id, a.verdict, a.detail, b.id, b.verdict, b.detail
            ));
        }
    }
    out
}

#[rstest]
fn whole_catalogue_over_http_gives_the_in_process_verdicts(
    #[values(Profile::Strict, Profile::Fido)] profile: Profile,
) {
    let server = serve(None);
    let factory = HttpFactory::connect(HttpConfig::new(&server.url())).unwrap();
    assert!(factory.has_control(), "serve answers /harness/reset");
    let started = Instant::now();
    let over_http = run(&factory, profile);
    eprintln!(
        "{profile:?}: {} checks over HTTP in {:?}",
        over_http.results.len(),
        started.elapsed()
    );
    let in_process = run(&ReferenceFactory::default(), profile);
    let diff = differences(&in_process, &over_http);
    assert!(diff.is_empty(), "{diff:#?}");
    assert_eq!(over_http.count(Verdict::Pass), over_http.results.len());
    assert!(server.shutdown().unwrap() > 1000);
}

/// Mutants covering options, registration, authentication, counter, state, origin, challenge
/// and signature handling, each in one profile (the whole list would take minutes in debug
/// builds): over HTTP, the same checks catch them as in process, verdict for verdict.
const SAMPLE: [(Mutant, Profile); 14] = [
    (Mutant::OptShortChallenge, Profile::Strict),
    (Mutant::OptMissingStatus, Profile::Fido),
    (Mutant::OptEmptyErrorMessage, Profile::Strict),
    (Mutant::OptDropExtensions, Profile::Fido),
    (Mutant::RegSkipOrigin, Profile::Strict),
    (
        Mutant::Attestation(AttCheck::Packed(packed::Check::SelfSignature)),
        Profile::Fido,
    ),
    (Mutant::RegSkipDuplicateCredential, Profile::Strict),
    (Mutant::AuthSkipSignature, Profile::Strict),
    (Mutant::AuthSkipUserHandle, Profile::Fido),
    (Mutant::AuthSkipSignCount, Profile::Fido),
    (Mutant::AuthCounterNotStored, Profile::Fido),
    (Mutant::KeepChallengeAfterUse, Profile::Strict),
    (Mutant::ChallengeAnySession, Profile::Fido),
    (Mutant::ChallengeNeverExpires, Profile::Strict),
];

fn same_catches(sample: &[(Mutant, Profile)]) {
    for &(mutant, profile) in sample {
        let server = serve(Some(mutant));
        let factory = HttpFactory::connect(HttpConfig::new(&server.url())).unwrap();
        let over_http = run(&factory, profile);
        let in_process = run(&ReferenceFactory::new(Some(mutant)), profile);
        let diff = differences(&in_process, &over_http);
        assert!(
            diff.is_empty(),
            "{} ({profile:?}): {diff:#?}",
            mutant.name()
        );
        let caught = over_http
            .results
            .iter()
            .filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Warn))
            .count();
        assert!(caught > 0, "{} is not caught over HTTP", mutant.name());
        server.shutdown().unwrap();
    }
}

#[test]
fn sampled_mutants_served_over_http_are_caught_by_the_same_checks() {
    let started = Instant::now();
    // Two workers: CI machines have two cores.
    let (left, right) = SAMPLE.split_at(SAMPLE.len() / 2);
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| same_catches(right));
        same_catches(left);
        worker.join().unwrap();
    });
    eprintln!(
        "{} mutants over HTTP in {:?}",
        SAMPLE.len(),
        started.elapsed()
    );
}

/// Safetynet statements carry the RP's time: `serve` gives its pinned clock as `nowMs` in the
/// `/harness/reset` answer; a server whose answer has none is taken to run on the wall clock.
#[test]
fn the_rp_clock_comes_from_the_reset_answer_else_the_wall_clock() {
    use webauthn_conformance::crypto::pki::NOW;
    let server = serve(None);
    let http = HttpFactory::connect(HttpConfig::new(&server.url())).unwrap();
    let rp = http.create(&http.base_config(Profile::Strict, 1)).unwrap();
    assert_eq!(rp.clock_unix_ms(), NOW * 1000);
    server.shutdown().unwrap();

    // A server that answers every request with a bare ServerResponse, as a shim does.
    let plain = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}", plain.server_addr().to_ip().unwrap());
    let answering = std::thread::spawn(move || {
        for _ in 0..2 {
            let Ok(request) = plain.recv() else { return };
            let _ = request.respond(tiny_http::Response::from_string(
                r#"{"status":"ok","errorMessage":""}"#,
            ));
        }
    });
    let http = HttpFactory::connect(HttpConfig::new(&url)).unwrap();
    assert!(http.has_control());
    let rp = http.create(&http.base_config(Profile::Strict, 1)).unwrap();
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let clock = u128::from(rp.clock_unix_ms());
    assert!(wall.abs_diff(clock) < 60_000, "{clock} vs {wall}");
    answering.join().unwrap();
}

/// `--rp-name`: reports name the library, not the URL of the moment, and replays read the URL
/// from `$RP_URL`.
#[test]
fn a_named_http_rp_keeps_its_url_out_of_reports() {
    let server = serve(None);
    let mut config = HttpConfig::new(&server.url());
    config.name = Some("some-lib 1.2.3".into());
    let http = HttpFactory::connect(config).unwrap();
    assert_eq!(http.name(), "some-lib 1.2.3");
    assert_eq!(
        http.cli_args(),
        "--rp \"$RP_URL\" --rp-name 'some-lib 1.2.3' --rp-id example.org --origin https://example.org"
    );
    server.shutdown().unwrap();
}

/// Replay = run: the replay command carries the settings that change the bytes sent or a
/// verdict (`--shape`, `--timeout`) when they are not the defaults.
#[test]
fn the_replay_command_carries_shape_and_timeout() {
    use webauthn_conformance::codec::wire::WireShape;
    let server = serve(None);
    let mut config = HttpConfig::new(&server.url());
    config.name = Some("lib".into());
    config.shape = WireShape::FidoApi;
    config.request_timeout = std::time::Duration::from_secs(3);
    let http = HttpFactory::connect(config).unwrap();
    assert_eq!(
        http.cli_args(),
        "--rp \"$RP_URL\" --rp-name 'lib' --rp-id example.org --origin https://example.org --shape fido-api --timeout 3"
    );
    server.shutdown().unwrap();
}

/// `serve` answers this machine's harness only: a `Host` that is not a loopback name
/// (DNS rebinding) or an `Origin` other than its own (a web page posting `text/plain` across
/// origins) gets 403 and never reaches the RP.
#[test]
fn serve_refuses_foreign_hosts_and_origins() {
    use std::io::{Read as _, Write as _};
    let server = serve(None);
    let addr = server.url().trim_start_matches("http://").to_owned();
    let port = addr.rsplit_once(':').unwrap().1.to_owned();
    let status = |headers: &str| {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        let body = "{\"advanceMs\":1}";
        write!(
            stream,
            "POST /harness/clock HTTP/1.1\r\n{headers}Content-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
            .split(' ')
            .nth(1)
            .unwrap_or_default()
            .parse::<u16>()
            .unwrap_or(0)
    };
    assert_eq!(status("Host: rebind.example:80\r\n"), 403);
    assert_eq!(
        status(&format!("Host: {addr}\r\nOrigin: https://evil.example\r\n")),
        403
    );
    assert_eq!(
        status(&format!(
            "Host: {addr}\r\nOrigin: http://localhost:3000\r\n"
        )),
        403
    );
    // The harness's own requests (no Origin), and the server's own origin, are served.
    assert_ne!(status(&format!("Host: {addr}\r\n")), 403);
    assert_ne!(
        status(&format!(
            "Host: localhost:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n"
        )),
        403
    );
    server.shutdown().unwrap();
}
