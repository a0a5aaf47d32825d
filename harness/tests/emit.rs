//! `emit` as an RP team uses it (issue 19 part 4): options from a real RP in, a response out
//! that the RP accepts when valid and rejects when it carries a check's one fault, through the
//! library API and through the command line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value as Json;

use webauthn_conformance::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use webauthn_conformance::emit::{self, ClientSetup};
use webauthn_conformance::rp::reference::{ReferenceRp, harness_trust_store};
use webauthn_conformance::rp::{Profile, RelyingParty, Reply, RpConfig, SessionId};

const SESSION: SessionId = SessionId(1);

fn rp() -> ReferenceRp {
    ReferenceRp::new(
        RpConfig::example(Profile::Strict, 1),
        None,
        harness_trust_store().unwrap().clone(),
    )
}

fn creation_options(rp: &mut ReferenceRp) -> String {
    let request = ServerCreationOptionsRequest {
        username: Some("alice".into()),
        display_name: Some("Alice".into()),
        authenticator_selection: None,
        attestation: None,
        extensions: None,
    };
    match rp.registration_options(SESSION, &request).unwrap() {
        Reply::Ok(options) => options.to_string(),
        other => panic!("the reference RP refused to issue options: {other:?}"),
    }
}

fn request_options(rp: &mut ReferenceRp) -> String {
    let request = ServerGetOptionsRequest {
        username: Some("alice".into()),
        user_verification: None,
        extensions: None,
    };
    match rp.authentication_options(SESSION, &request).unwrap() {
        Reply::Ok(options) => options.to_string(),
        other => panic!("the reference RP refused to issue request options: {other:?}"),
    }
}

/// The client side of a catalogue check, as `emit --check` takes it.
fn with_fault(id: &str) -> ClientSetup {
    let check = webauthn_conformance::checks::catalogue()
        .into_iter()
        .find(|c| c.id == id)
        .unwrap();
    let setup = match check.scenario {
        webauthn_conformance::checks::Scenario::Register(setup) => setup,
        webauthn_conformance::checks::Scenario::Authenticate { authentication, .. } => {
            authentication
        }
        other => panic!("{id}: {other:?}"),
    };
    setup.client_setup("https://example.org", 1)
}

#[test]
fn a_valid_registration_is_accepted_and_a_faulty_one_rejected() {
    let mut rp = rp();
    let options = creation_options(&mut rp);
    let faulty = emit::registration(&options, &with_fault("REG-CD-02")).unwrap();
    assert!(matches!(
        rp.finish_registration(SESSION, &faulty.body).unwrap(),
        Reply::Failed(_)
    ));

    let options = creation_options(&mut rp);
    let valid = emit::registration(&options, &ClientSetup::new("https://example.org", 1)).unwrap();
    assert_eq!(
        rp.finish_registration(SESSION, &valid.body).unwrap(),
        Reply::Ok(())
    );
}

#[test]
fn an_assertion_by_the_emitted_credential_is_accepted_and_a_faulty_one_rejected() {
    let setup = ClientSetup::new("https://example.org", 1);
    for (fault, accepted) in [(None, true), (Some("AS-CD-02.empty"), false)] {
        let mut rp = rp();
        let creation = creation_options(&mut rp);
        // The same creation options and seed give the same credential for both emits.
        let created = emit::registration(&creation, &setup).unwrap();
        assert_eq!(
            rp.finish_registration(SESSION, &created.body).unwrap(),
            Reply::Ok(())
        );
        let request = request_options(&mut rp);
        let assertion = fault.map_or_else(|| setup.clone(), with_fault);
        let (again, asserted) =
            emit::authentication(&creation, &request, &setup, &assertion).unwrap();
        assert_eq!(again.credential_id, created.credential_id);
        let reply = rp.finish_authentication(SESSION, &asserted.body).unwrap();
        assert_eq!(reply == Reply::Ok(()), accepted, "{fault:?}: {reply:?}");
    }
}

fn cli(args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_webauthn-conformance"))
        .arg("emit")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_command_line_emits_what_the_rp_accepts_and_names_wrong_use() {
    let mut rp = rp();
    let options = creation_options(&mut rp);
    let output = cli(&["--options", "-"], &options);
    assert!(output.status.success(), "{output:?}");
    let body = String::from_utf8(output.stdout).unwrap();
    let json: Json = serde_json::from_str(&body).unwrap();
    assert_eq!(json["type"], "public-key");
    assert_eq!(
        rp.finish_registration(SESSION, body.trim()).unwrap(),
        Reply::Ok(())
    );

    let options = creation_options(&mut rp);
    let output = cli(&["--options", "-", "--check", "REG-CD-02"], &options);
    assert!(output.status.success(), "{output:?}");
    let body = String::from_utf8(output.stdout).unwrap();
    assert!(matches!(
        rp.finish_registration(SESSION, body.trim()).unwrap(),
        Reply::Failed(_)
    ));

    // An authentication check needs request options; an unknown check is named.
    let output = cli(&["--options", "-", "--check", "AS-CD-02.empty"], &options);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--request"));
    let output = cli(&["--options", "-", "--check", "NOPE-01"], &options);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("NOPE-01"));
    let output = cli(&["--options", "-"], "not json");
    assert!(!output.status.success());
}
