//! Faulty RPs (issue 5 part 6): one that panics in process, and servers that hang past the
//! timeout, answer garbage, answer a huge body, drop the connection or panic behind HTTP. The
//! run completes, the hit checks are errors or warnings with a clear detail, every other check
//! keeps its verdict, and the reports are written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use serde_json::Value as Json;
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use webauthn_conformance::report;
use webauthn_conformance::rp::http::{HttpConfig, HttpFactory};
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::{
    Profile, RelyingParty, Reply, RpConfig, RpError, RpFactory, SessionId,
};
use webauthn_conformance::runner::{self, RunOptions, RunReport, Verdict};
use webauthn_conformance::serve::{self, ServeOptions, ServerHandle};

/// Registration checks (untouched by the faults, which hit `/assertion/result`) and
/// authentication checks (hit).
const ONLY: [&str; 2] = ["REG-CD-1*", "AS-CD-0[1-4]*"];

fn run(factory: &dyn RpFactory) -> RunReport {
    let options = RunOptions {
        profile: Profile::Strict,
        seed: 1,
        only: ONLY
            .iter()
            .map(|g| globset::Glob::new(g).unwrap().compile_matcher())
            .collect(),
    };
    runner::run(factory, &catalogue(), &options)
}

/// The reference RP whose `finish_authentication` panics.
struct PanickingFactory;

struct PanickingRp(Box<dyn RelyingParty>);

impl RelyingParty for PanickingRp {
    fn registration_options(
        &mut self,
        session: SessionId,
        request: &ServerCreationOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        self.0.registration_options(session, request)
    }
    fn finish_registration(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError> {
        self.0.finish_registration(session, credential)
    }
    fn authentication_options(
        &mut self,
        session: SessionId,
        request: &ServerGetOptionsRequest,
    ) -> Result<Reply<Json>, RpError> {
        self.0.authentication_options(session, request)
    }
    fn finish_authentication(&mut self, _: SessionId, _: &str) -> Result<Reply<()>, RpError> {
        panic!("assertion verifier exploded");
    }
    fn advance_clock(&mut self, by: Duration) -> Result<(), RpError> {
        self.0.advance_clock(by)
    }
}

impl RpFactory for PanickingFactory {
    fn name(&self) -> String {
        "panicking".into()
    }
    fn create(&self, config: &RpConfig) -> Result<Box<dyn RelyingParty>, RpError> {
        Ok(Box::new(PanickingRp(
            ReferenceFactory::default().create(config)?,
        )))
    }
}

/// Asserts the shape every faulty run must have, and returns the hit checks' details.
fn check_run(report: &RunReport, hit_verdicts: &[Verdict]) -> Vec<String> {
    let clean = run(&ReferenceFactory::default());
    assert_eq!(
        report.results.len(),
        clean.results.len(),
        "the run completes"
    );
    let mut details = Vec::new();
    for (result, baseline) in report.results.iter().zip(&clean.results) {
        if result.id.starts_with("REG-") {
            assert_eq!(
                result.verdict, baseline.verdict,
                "{} keeps its verdict",
                result.id
            );
        } else {
            assert!(
                hit_verdicts.contains(&result.verdict),
                "{}: {:?} {}",
                result.id,
                result.verdict,
                result.detail
            );
            details.push(result.detail.clone());
        }
    }
    assert!(!details.is_empty());
    // The reports are written.
    let dir = std::env::temp_dir().join(format!(
        "wac-faults-{}-{}",
        std::process::id(),
        report.rp.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    ));
    report::write_all(&dir, report).unwrap();
    for name in report::FILE_NAMES {
        assert!(dir.join(name).is_file(), "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
    details
}

#[test]
fn an_in_process_rp_that_panics_is_an_error_per_check() {
    let report = run(&PanickingFactory);
    let details = check_run(&report, &[Verdict::Error]);
    for detail in details {
        assert!(
            detail.contains("the RP panicked: assertion verifier exploded"),
            "{detail}"
        );
    }
}

/// What the fault server does on `/assertion/result` (everything else goes to a real `serve`).
#[derive(Debug, Clone, Copy)]
enum Fault {
    Hang,
    Garbage,
    Huge,
    Drop,
}

/// A tiny server on 127.0.0.1 in front of `serve --rp reference`: `/assertion/result` gets the
/// fault, every other request is forwarded with its cookies.
fn fault_server(fault: Fault, backend: String) -> (String, std::thread::JoinHandle<()>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.server_addr().to_ip().unwrap());
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    );
    let thread = std::thread::spawn(move || {
        let idle = Duration::from_secs(3);
        // Bounded: stops once the run has gone quiet.
        while let Ok(Some(mut request)) = server.recv_timeout(idle) {
            let mut body = String::new();
            std::io::Read::read_to_string(request.as_reader(), &mut body).unwrap();
            if request.url() == "/assertion/result" {
                match fault {
                    Fault::Hang => {
                        std::thread::sleep(Duration::from_millis(400));
                        let _ = request.respond(tiny_http::Response::from_string("late"));
                    }
                    Fault::Garbage => {
                        let _ =
                            request.respond(tiny_http::Response::from_string("{\"status\": ok!!"));
                    }
                    Fault::Huge => {
                        let huge = format!(
                            "{{\"status\":\"failed\",\"errorMessage\":\"{}\"}}",
                            "x".repeat(2 << 20)
                        );
                        let _ = request.respond(tiny_http::Response::from_string(huge));
                    }
                    Fault::Drop => drop(request.into_writer()),
                }
                continue;
            }
            let mut forward = agent
                .post(&format!("{backend}{}", request.url()))
                .header("Content-Type", "application/json");
            if let Some(cookie) = request.headers().iter().find(|h| h.field.equiv("Cookie")) {
                forward = forward.header("Cookie", cookie.value.as_str());
            }
            let answer = forward.send(body).unwrap();
            let status = answer.status().as_u16();
            let set_cookie: Vec<String> = answer
                .headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().to_owned())
                .collect();
            let text = answer.into_body().read_to_string().unwrap();
            let mut response = tiny_http::Response::from_string(text).with_status_code(status);
            for value in set_cookie {
                response = response.with_header(
                    tiny_http::Header::from_bytes(&b"Set-Cookie"[..], value.as_bytes()).unwrap(),
                );
            }
            let _ = request.respond(response);
        }
    });
    (url, thread)
}

fn backend() -> ServerHandle {
    serve::start(
        Box::new(ReferenceFactory::default()),
        ServeOptions {
            port: 0,
            config: RpConfig::example(Profile::Strict, 1),
            max_requests: 100_000,
            limits: serve::Limits::default(),
        },
    )
    .unwrap()
}

fn run_against(fault: Fault) -> RunReport {
    let backend = backend();
    let (url, thread) = fault_server(fault, backend.url());
    let mut config = HttpConfig::new(&url);
    config.request_timeout = Duration::from_millis(200);
    let factory = HttpFactory::connect(config).unwrap();
    assert!(factory.has_control(), "reset is forwarded");
    let started = Instant::now();
    let report = run(&factory);
    eprintln!("{fault:?}: {:?}", started.elapsed());
    drop(factory);
    thread.join().unwrap();
    backend.shutdown().unwrap();
    report
}

#[test]
fn a_server_that_hangs_past_the_timeout_is_an_error() {
    let report = run_against(Fault::Hang);
    for detail in check_run(&report, &[Verdict::Error]) {
        assert!(detail.contains("no answer within 200ms"), "{detail}");
    }
}

#[test]
fn a_server_that_answers_garbage_rejects_by_erroring() {
    let report = run_against(Fault::Garbage);
    // Expected rejections are inconclusive (the control errors the same way), expected
    // acceptances fail, setup steps that error are errors: never a pass by accident.
    let hit = [Verdict::Inconclusive, Verdict::Fail, Verdict::Error];
    for detail in check_run(&report, &hit) {
        assert!(
            detail.contains("rejected by erroring") || detail.contains("errored on"),
            "{detail}"
        );
        assert!(detail.contains("not JSON"), "{detail}");
    }
    assert!(report.count(Verdict::Inconclusive) > 0);
}

#[test]
fn a_huge_answer_is_an_error() {
    let report = run_against(Fault::Huge);
    for detail in check_run(&report, &[Verdict::Error]) {
        assert!(detail.contains("larger than 1048576 bytes"), "{detail}");
    }
}

#[test]
fn a_dropped_connection_is_an_error() {
    let report = run_against(Fault::Drop);
    for detail in check_run(&report, &[Verdict::Error]) {
        assert!(
            detail.starts_with("transport: ") || detail.starts_with("protocol: "),
            "{detail}"
        );
    }
}

#[test]
fn a_served_rp_that_panics_rejects_by_erroring() {
    let server = serve::start(
        Box::new(PanickingFactory),
        ServeOptions {
            port: 0,
            config: RpConfig::example(Profile::Strict, 1),
            max_requests: 100_000,
            limits: serve::Limits::default(),
        },
    )
    .unwrap();
    let factory = HttpFactory::connect(HttpConfig::new(&server.url())).unwrap();
    let report = run(&factory);
    // An RP that errors on every assertion errors on the controls too: its rejections of
    // faulty assertions are inconclusive, never a pass or a warning.
    let hit = [Verdict::Inconclusive, Verdict::Fail, Verdict::Error];
    for detail in check_run(&report, &hit) {
        assert!(
            detail.contains("the RP panicked: assertion verifier exploded"),
            "{detail}"
        );
    }
    assert!(report.count(Verdict::Inconclusive) > 0);
    server.shutdown().unwrap();
}
