//! `serve` under clients that misbehave, and under several runs at once: a slow or oversized
//! client never holds up the others, and runs sharing one server never see each other's
//! ceremonies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use webauthn_conformance::checks::catalogue;
use webauthn_conformance::report;
use webauthn_conformance::rp::http::{HttpConfig, HttpFactory};
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::rp::{Profile, RpConfig, RpFactory};
use webauthn_conformance::runner::{self, RunOptions, RunReport};
use webauthn_conformance::serve::{self, Limits, ServeOptions, ServerHandle};

/// Short read timeouts, so that the tests see slow clients cut off.
const LIMITS: Limits = Limits {
    read_timeout: Duration::from_millis(1500),
    write_timeout: Duration::from_millis(1500),
    header_bytes: 16 * 1024,
    body_bytes: 1 << 20,
};

fn serve_with(mutant: Option<Mutant>, limits: Limits) -> ServerHandle {
    serve::start(
        Box::new(ReferenceFactory::new(mutant)),
        ServeOptions {
            port: 0,
            config: RpConfig::example(Profile::Strict, 1),
            max_requests: u64::MAX,
            limits,
        },
    )
    .unwrap()
}

fn address(server: &ServerHandle) -> String {
    server.addr().to_string()
}

/// The status of the answer read from `stream` (0 when there is none).
fn status_of(stream: &mut TcpStream) -> u16 {
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .parse()
        .unwrap_or(0)
}

/// One well-behaved request (`/harness/clock`, which every RP answers) on a connection of its
/// own: its status and how long it took.
fn well_behaved(addr: &str) -> (u16, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let body = "{\"advanceMs\":1}";
    write!(
        stream,
        "POST /harness/clock HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    (status_of(&mut stream), started.elapsed())
}

fn assert_others_served(addr: &str, while_what: &str) {
    for _ in 0..3 {
        let (status, took) = well_behaved(addr);
        assert_eq!(status, 200, "{while_what}");
        assert!(
            took < Duration::from_secs(1),
            "{while_what}: a well-behaved request took {took:?}"
        );
    }
}

/// One raw request: head and body as given, then the status.
fn raw(addr: &str, head: &str, body: &[u8]) -> u16 {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // The server may answer and close before it has all (an oversized request): a failed
    // write is then expected, and the answer is still there to read.
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    status_of(&mut stream)
}

#[test]
fn a_client_that_stops_mid_body_holds_up_nobody_and_is_cut_off() {
    let server = serve_with(None, LIMITS);
    let addr = address(&server);
    // Content-Length 2000, 10 bytes sent, then silence.
    let mut slow = TcpStream::connect(&addr).unwrap();
    write!(
        slow,
        "POST /harness/clock HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 2000\r\n\r\n0123456789"
    )
    .unwrap();
    let started = Instant::now();
    assert_others_served(&addr, "while a client stalls mid-body");
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    assert_eq!(status_of(&mut slow), 408);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1000) && waited < Duration::from_secs(5),
        "cut off after {waited:?}, the read timeout is {:?}",
        LIMITS.read_timeout
    );
    server.shutdown().unwrap();
}

#[test]
fn a_client_that_never_ends_its_headers_holds_up_nobody_and_is_cut_off() {
    let server = serve_with(None, LIMITS);
    let addr = address(&server);
    let mut slow = TcpStream::connect(&addr).unwrap();
    write!(
        slow,
        "POST /harness/clock HTTP/1.1\r\nHost: {addr}\r\nX-Slow: "
    )
    .unwrap();
    assert_others_served(&addr, "while a client stalls in its headers");
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    // The server closes the connection (hyper answers 408 or nothing): the read ends.
    let _ = slow.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the stalled connection stayed open"
    );
    server.shutdown().unwrap();
}

#[test]
fn oversized_heads_get_431_and_others_are_still_served() {
    let server = serve_with(None, Limits::default());
    let addr = address(&server);
    let filler = "a".repeat(1 << 20);
    let head = format!("POST /harness/clock HTTP/1.1\r\nHost: {addr}\r\nX-Filler: {filler}\r\n");
    let mut big = TcpStream::connect(&addr).unwrap();
    big.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = big.write_all(head.as_bytes());
    assert_others_served(&addr, "after a 1 MiB header");
    assert_eq!(status_of(&mut big), 431);
    server.shutdown().unwrap();
}

#[test]
fn oversized_and_non_utf8_bodies_are_refused_with_their_status() {
    let server = serve_with(None, Limits::default());
    let addr = address(&server);
    let limit = Limits::default().body_bytes;
    // Declared too large: refused before it is read.
    let head = format!(
        "POST /harness/clock HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        limit + 1
    );
    assert_eq!(raw(&addr, &head, b""), 413);
    // Chunked, no length given, larger than the limit as it arrives.
    let chunk = vec![b'x'; 64 * 1024];
    let mut body = Vec::new();
    for _ in 0..(limit / chunk.len() + 2) {
        body.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        body.extend_from_slice(&chunk);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"0\r\n\r\n");
    let head = format!(
        "POST /attestation/result HTTP/1.1\r\nHost: {addr}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(raw(&addr, &head, &body), 413);
    // Not UTF-8.
    let body = b"{\"advanceMs\":\xff}";
    let head = format!(
        "POST /harness/clock HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    assert_eq!(raw(&addr, &head, body), 400);
    assert_others_served(&addr, "after refused bodies");
    server.shutdown().unwrap();
}

#[test]
fn an_unknown_run_token_is_410_and_an_error_of_the_check_not_a_verdict() {
    let server = serve_with(None, Limits::default());
    let addr = address(&server);
    let body = "{\"advanceMs\":1}";
    let head = format!(
        "POST /harness/clock HTTP/1.1\r\nHost: {addr}\r\nX-Harness-Run: 999999\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    assert_eq!(raw(&addr, &head, body.as_bytes()), 410);
    server.shutdown().unwrap();
}

fn options() -> RunOptions {
    RunOptions {
        profile: Profile::Strict,
        seed: 1,
        only: Vec::new(),
    }
}

/// Two whole runs at the same time against one server, one of them on two jobs: each gives the
/// in-process verdicts and report, byte for byte. Before run tokens, about 100 verdicts of each
/// changed (a negative passing on "no ceremony in progress" because the other run had reset
/// the RP).
#[test]
fn concurrent_runs_against_one_serve_each_give_the_in_process_report() {
    let server = serve_with(None, Limits::default());
    let factory = HttpFactory::connect(HttpConfig::new(&server.url())).unwrap();
    assert!(factory.parallel(), "serve hands out run tokens");
    let checks = catalogue();
    let (one, two) = std::thread::scope(|scope| {
        let one = scope.spawn(|| runner::run_parallel(&factory, &checks, &options(), 1));
        let two = scope.spawn(|| runner::run_parallel(&factory, &checks, &options(), 2));
        (one.join().unwrap(), two.join().unwrap())
    });
    let in_process = runner::run(&ReferenceFactory::default(), &checks, &options());
    let text = |report: &RunReport| report::to_json_text(report);
    // The reports name their RP; only that may differ.
    let renamed = |report: &RunReport| {
        let mut report = report.clone();
        report.rp.clone_from(&in_process.rp);
        report.rp_args.clone_from(&in_process.rp_args);
        text(&report)
    };
    assert_eq!(text(&one), text(&two), "jobs 1 and jobs 2 over HTTP differ");
    assert_eq!(renamed(&one), text(&in_process));
    server.shutdown().unwrap();
}
