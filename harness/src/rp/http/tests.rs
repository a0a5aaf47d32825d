#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

#[test]
fn classify_reads_the_body_like_the_fido_tool() {
    let ok = classify(200, br#"{"status":"ok","errorMessage":""}"#);
    assert!(matches!(ok, Answered::Ok(_)));
    // The HTTP status is not looked at below 500 (docs/fido-profile.md).
    assert!(matches!(
        classify(400, br#"{"status":"ok"}"#),
        Answered::Ok(_)
    ));
    assert_eq!(
        classify(400, br#"{"status":"failed","errorMessage":"no"}"#),
        Answered::Failed("no".into())
    );
    // The FIDO API doc answers failures with 4xx/5xx and a "failed" ServerResponse.
    assert_eq!(
        classify(500, br#"{"status":"failed","errorMessage":"bad"}"#),
        Answered::Failed("bad".into())
    );
    assert!(matches!(
        classify(200, br#"{"status":"nope"}"#),
        Answered::Failed(why) if why.contains("nope")
    ));
    assert!(matches!(
        classify(200, br#"{"status":1}"#),
        Answered::Failed(why) if why.contains('1')
    ));
    assert!(matches!(
        classify(200, br#"{"challenge":"x"}"#),
        Answered::NoStatus(_)
    ));
    assert!(matches!(
        classify(200, b"<html>oops</html>"),
        Answered::Erroring(why) if why.contains("not JSON") && why.contains("<html>")
    ));
    assert!(matches!(
        classify(503, br#"{"status":"ok"}"#),
        Answered::Erroring(why) if why.contains("503")
    ));
    assert!(matches!(classify(502, b""), Answered::Erroring(_)));
}

#[test]
fn snippets_are_short_and_escaped() {
    let long = "é\u{1}".repeat(300);
    let s = snippet(long.as_bytes());
    assert!(s.ends_with('…'));
    assert!(s.contains("\\u{1}"));
    assert!(!s.contains('\u{1}'));
    assert_eq!(snippet(b"\xff"), "\u{fffd}");
}

#[test]
fn cookie_jar_keeps_name_value_pairs() {
    let mut jar = CookieJar::default();
    assert_eq!(jar.header(), "");
    jar.store("sid=abc; Path=/; HttpOnly");
    jar.store(" other = 1 ");
    assert_eq!(jar.header(), "other=1; sid=abc");
    jar.store("sid=def");
    assert_eq!(jar.header(), "other=1; sid=def");
    jar.store("other=1; Max-Age=0");
    jar.store("garbage");
    jar.store("=x");
    assert_eq!(jar.header(), "sid=def");
    jar.store("sid=");
    assert_eq!(jar.header(), "");
}

const BODY: &str = r#"{"id":"AA","rawId":"AA","type":"public-key","response":{},"clientExtensionResults":{"a":1}}"#;

#[test]
fn reshape_sends_the_configured_envelope() {
    let both: Json = serde_json::from_str(&reshape(BODY, WireShape::Both)).unwrap();
    assert_eq!(both["rawId"], "AA");
    assert_eq!(both["clientExtensionResults"], json!({"a": 1}));
    assert_eq!(both["getClientExtensionResults"], json!({"a": 1}));
    assert_eq!(reshape(BODY, WireShape::Level3), BODY);
    let fido: Json = serde_json::from_str(&reshape(BODY, WireShape::FidoApi)).unwrap();
    assert!(fido.get("rawId").is_none());
    assert!(fido.get("clientExtensionResults").is_none());
    assert_eq!(fido["getClientExtensionResults"], json!({"a": 1}));
}

#[test]
fn reshape_keeps_a_deliberately_different_raw_id_in_every_shape() {
    let faulty = r#"{"id":"AA","rawId":"BB","type":"public-key","response":{}}"#;
    for shape in [WireShape::FidoApi, WireShape::Level3, WireShape::Both] {
        let sent: Json = serde_json::from_str(&reshape(faulty, shape)).unwrap();
        assert_eq!(sent["rawId"], "BB", "{shape:?}");
    }
}

#[test]
fn reshape_leaves_deliberately_odd_bodies_alone() {
    for odd in [
        "not json",
        "[1,2]",
        r#"{"id":"AA", "type":"public-key"}"#,
        r#"{"id":"AA","id":"BB"}"#,
        "",
    ] {
        assert_eq!(reshape(odd, WireShape::Both), odd);
    }
    // No extension outputs at all: nothing is invented.
    let bare = r#"{"id":"AA","type":"public-key"}"#;
    assert_eq!(reshape(bare, WireShape::Both), bare);
}

#[test]
fn connect_refuses_non_http_urls() {
    for url in ["https://127.0.0.1:1", "ftp://x", "http://", "127.0.0.1:80"] {
        let err = HttpFactory::connect(HttpConfig::new(url)).unwrap_err();
        assert!(matches!(err, HttpError::BadUrl { .. }), "{url}: {err}");
    }
}

#[test]
fn connect_reports_an_unreachable_server() {
    // Bind then drop a listener: the port is very likely closed right after.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err =
        HttpFactory::connect(HttpConfig::new(&format!("http://127.0.0.1:{port}"))).unwrap_err();
    assert!(matches!(err, HttpError::Unreachable { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("cannot reach the RP at http://127.0.0.1:")
    );
}

#[test]
fn ip_literal_hosts_are_resolved_without_the_system_resolver() {
    use ureq::unversioned::resolver::Resolver;
    let config = ureq::config::Config::default();
    let resolve = |url: &str| {
        let uri: ureq::http::Uri = url.parse().unwrap();
        let timeout = ureq::unversioned::transport::NextTimeout::default();
        IpLiteralResolver
            .resolve(&uri, &config, timeout)
            .map(|addrs| addrs.iter().copied().collect::<Vec<_>>())
    };
    assert_eq!(
        resolve("http://127.0.0.1:8080/attestation/options").unwrap(),
        vec!["127.0.0.1:8080".parse().unwrap()]
    );
    assert_eq!(
        resolve("http://[::1]:9/x").unwrap(),
        vec!["[::1]:9".parse().unwrap()]
    );
    assert_eq!(
        resolve("http://127.0.0.1/").unwrap(),
        vec!["127.0.0.1:80".parse().unwrap()]
    );
    // Names go to ureq's resolver, which finds `localhost` on any machine.
    assert!(
        resolve("http://localhost:8080/")
            .unwrap()
            .iter()
            .all(|addr| addr.ip().is_loopback() && addr.port() == 8080)
    );
}
