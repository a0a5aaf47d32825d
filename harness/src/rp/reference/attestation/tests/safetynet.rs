//! `android-safetynet` (W3C L3 §8.5): the JWS response checks, each switched off in turn.

use base64::Engine as _;
use p256::ecdsa::signature::Signer as _;

use super::*;
use crate::rp::reference::attestation::safetynet;

#[test]
fn safetynet_checks_switch_off_one_by_one() {
    use safetynet::Check as S;
    let base = Case::load("packed-self.ES256");
    let good = SafetyNet::default();
    safetynet_case(&base, &good).run().unwrap();
    let bad: Vec<(SafetyNet, S)> = vec![
        (
            SafetyNet {
                ver: "",
                ..SafetyNet::default()
            },
            S::VerNonEmpty,
        ),
        (
            SafetyNet {
                nonce: Some("AAAA".into()),
                ..SafetyNet::default()
            },
            S::Nonce,
        ),
        (
            SafetyNet {
                cts: false,
                ..SafetyNet::default()
            },
            S::CtsProfileMatch,
        ),
        (
            SafetyNet {
                age_ms: -5_000,
                ..SafetyNet::default()
            },
            S::TimestampNotFuture,
        ),
        (
            SafetyNet {
                age_ms: 61_000,
                ..SafetyNet::default()
            },
            S::TimestampFresh,
        ),
        (
            SafetyNet {
                host: "attest.example.com",
                ..SafetyNet::default()
            },
            S::Hostname,
        ),
        (
            SafetyNet {
                corrupt_sig: true,
                ..SafetyNet::default()
            },
            S::JwsSignature,
        ),
    ];
    for (spec, check) in bad {
        let case = safetynet_case(&base, &spec);
        let err = case.run().unwrap_err();
        assert!(
            matches!(err, AttestationError::SafetyNet(_)),
            "{check:?}: {err}"
        );
        case.run_without(AttCheck::SafetyNet(check))
            .unwrap_or_else(|e| panic!("{check:?}: {e}"));
    }
    // Empty response and empty x5c are refused; garbage never panics.
    let mut case = safetynet_case(&base, &good);
    case.set("response", Value::Bytes(vec![]));
    assert!(case.run().is_err());
    let case = safetynet_case(
        &base,
        &SafetyNet {
            no_x5c: true,
            ..SafetyNet::default()
        },
    );
    assert!(case.run().is_err());
    for garbage in [&b"a.b.c"[..], b"...", b"\xff\xfe", b"e30.e30.AA"] {
        let mut case = safetynet_case(&base, &good);
        case.set("response", Value::Bytes(garbage.to_vec()));
        assert!(case.run().is_err());
    }
}

/// A SafetyNet response, by default valid for the packed-self vector's data.
struct SafetyNet {
    ver: &'static str,
    nonce: Option<String>,
    cts: bool,
    age_ms: i64,
    host: &'static str,
    corrupt_sig: bool,
    no_x5c: bool,
}

impl Default for SafetyNet {
    fn default() -> Self {
        SafetyNet {
            ver: "200616037",
            nonce: None,
            cts: true,
            age_ms: 1_000,
            host: "attest.android.com",
            corrupt_sig: false,
            no_x5c: false,
        }
    }
}

fn safetynet_case(base: &Case, spec: &SafetyNet) -> Case {
    let b64 = base64::engine::general_purpose::STANDARD;
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let key = leaf_key();
    let (_, root_key) = test_root();
    let cert = build_cert(&CertSpec::new(&root_key, "Test Root", &key, spec.host));
    let x5c: Vec<String> = if spec.no_x5c {
        vec![]
    } else {
        vec![b64.encode(&cert)]
    };
    let header = serde_json::json!({"alg": "ES256", "x5c": x5c});
    let nonce = spec
        .nonce
        .clone()
        .unwrap_or_else(|| b64.encode(crate::sha256(&base.signed())));
    let timestamp = (NOW as i64) * 1000 - spec.age_ms;
    let payload = serde_json::json!({
        "nonce": nonce,
        "timestampMs": timestamp,
        "apkPackageName": "com.google.android.gms",
        "ctsProfileMatch": spec.cts,
        "basicIntegrity": true,
    });
    let signed = format!(
        "{}.{}",
        b64url.encode(header.to_string()),
        b64url.encode(payload.to_string())
    );
    let sig: p256::ecdsa::Signature = key.sign(signed.as_bytes());
    let mut sig = sig.to_bytes().to_vec();
    if spec.corrupt_sig {
        sig[10] ^= 1;
    }
    let jws = format!("{signed}.{}", b64url.encode(sig));
    let mut case = base.clone();
    case.fmt = "android-safetynet".into();
    case.stmt = Value::Map(vec![
        (Value::Text("ver".into()), Value::Text(spec.ver.into())),
        (
            Value::Text("response".into()),
            Value::Bytes(jws.into_bytes()),
        ),
    ]);
    case
}
