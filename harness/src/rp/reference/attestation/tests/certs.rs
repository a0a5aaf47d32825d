//! Crafted certificates for the switchable-check tests: a minimal DER writer (test-only).

use super::*;

pub(super) fn tlv_raw(tag: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(body);
    out
}

pub(super) fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    tlv_raw(&[tag], body)
}

pub(super) fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

pub(super) fn oid(dotted: &str) -> Vec<u8> {
    tlv(
        0x06,
        const_oid::ObjectIdentifier::new_unwrap(dotted).as_bytes(),
    )
}

pub(super) fn int(value: u8) -> Vec<u8> {
    tlv(0x02, &[value])
}

pub(super) fn name(attrs: &[(&str, &str)]) -> Vec<u8> {
    let rdns: Vec<Vec<u8>> = attrs
        .iter()
        .map(|(o, v)| tlv(0x31, &seq(&[oid(o), tlv(0x0c, v.as_bytes())])))
        .collect();
    seq(&rdns)
}

pub(super) fn simple_name(cn: &str) -> Vec<u8> {
    name(&[("2.5.4.3", cn)])
}

pub(super) fn ext(id: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(tlv(0x01, &[0xff]));
    }
    parts.push(tlv(0x04, value));
    seq(&parts)
}

pub(super) fn spki(key: &SigningKey) -> Vec<u8> {
    let point = key.verifying_key().to_encoded_point(false);
    let mut bits = vec![0];
    bits.extend_from_slice(point.as_bytes());
    seq(&[
        seq(&[oid("1.2.840.10045.2.1"), oid("1.2.840.10045.3.1.7")]),
        tlv(0x03, &bits),
    ])
}

pub(super) struct CertSpec<'a> {
    pub(super) issuer_key: &'a SigningKey,
    pub(super) issuer: Vec<u8>,
    pub(super) key: &'a SigningKey,
    pub(super) subject: Vec<u8>,
    pub(super) version: u8,
    pub(super) ca: bool,
    pub(super) not_after: &'a str,
    pub(super) extra: Vec<Vec<u8>>,
}

impl<'a> CertSpec<'a> {
    pub(super) fn new(
        issuer_key: &'a SigningKey,
        issuer: &str,
        key: &'a SigningKey,
        subject: &str,
    ) -> Self {
        CertSpec {
            issuer_key,
            issuer: simple_name(issuer),
            key,
            subject: simple_name(subject),
            version: 3,
            ca: false,
            not_after: "30240101000000Z",
            extra: Vec::new(),
        }
    }
}

pub(super) fn build_cert(spec: &CertSpec) -> Vec<u8> {
    let alg = seq(&[oid("1.2.840.10045.4.3.2")]);
    let mut exts = vec![ext(
        "2.5.29.19",
        true,
        &seq(&if spec.ca {
            vec![tlv(0x01, &[0xff])]
        } else {
            vec![]
        }),
    )];
    exts.extend(spec.extra.iter().cloned());
    let mut tbs = Vec::new();
    if spec.version > 1 {
        tbs.push(tlv(0xa0, &int(spec.version - 1)));
    }
    tbs.extend([
        int(7),
        alg.clone(),
        spec.issuer.clone(),
        seq(&[
            tlv(0x18, b"20240101000000Z"),
            tlv(0x18, spec.not_after.as_bytes()),
        ]),
        spec.subject.clone(),
        spki(spec.key),
    ]);
    if spec.version == 3 {
        tbs.push(tlv(0xa3, &seq(&exts)));
    }
    let tbs = seq(&tbs);
    let mut bits = vec![0];
    bits.extend(der_sign(spec.issuer_key, &tbs));
    seq(&[tbs, alg, tlv(0x03, &bits)])
}

/// A self-signed CA trusted for any AAGUID in every test policy.
pub(super) fn test_root() -> (Vec<u8>, SigningKey) {
    let key = SigningKey::from_slice(&[0x11; 32]).unwrap();
    let der = build_cert(&CertSpec {
        ca: true,
        ..CertSpec::new(&key, "Test Root", &key, "Test Root")
    });
    (der, key)
}

/// A packed attestation certificate, by default §8.2.1-compliant and issued by the test root.
#[derive(Clone)]
pub(super) struct LeafSpec {
    pub(super) issuer: (&'static str, SigningKey),
    pub(super) version: u8,
    pub(super) ca: bool,
    pub(super) ou: &'static str,
    pub(super) aaguid: Option<(bool, Vec<u8>)>,
    pub(super) not_after: &'static str,
}

impl LeafSpec {
    pub(super) fn packed() -> Self {
        LeafSpec {
            issuer: ("Test Root", test_root().1),
            version: 3,
            ca: false,
            ou: "Authenticator Attestation",
            aaguid: None,
            not_after: "30240101000000Z",
        }
    }
}

pub(super) fn leaf_key() -> SigningKey {
    SigningKey::from_slice(&[0x55; 32]).unwrap()
}

/// `base` (a packed-self vector) re-signed as full packed with a crafted x5c [leaf].
pub(super) fn packed_with_leaf(base: &Case, spec: &LeafSpec) -> Case {
    let key = leaf_key();
    let mut extra = Vec::new();
    if let Some((critical, aaguid)) = &spec.aaguid {
        extra.push(ext(
            "1.3.6.1.4.1.45724.1.1.4",
            *critical,
            &tlv(0x04, aaguid),
        ));
    }
    let cert = build_cert(&CertSpec {
        issuer_key: &spec.issuer.1,
        issuer: simple_name(spec.issuer.0),
        key: &key,
        subject: name(&[
            ("2.5.4.6", "AA"),
            ("2.5.4.10", "Test"),
            ("2.5.4.11", spec.ou),
            ("2.5.4.3", "Test Leaf"),
        ]),
        version: spec.version,
        ca: spec.ca,
        not_after: spec.not_after,
        extra,
    });
    let mut case = base.clone();
    case.fmt = "packed".into();
    case.set("alg", Value::Integer((-7).into()));
    case.set("sig", Value::Bytes(der_sign(&key, &base.signed())));
    case.set("x5c", Value::Array(vec![Value::Bytes(cert)]));
    case
}

pub(super) fn with_x5c(case: &Case, edit: impl Fn(&mut Vec<Value>)) -> Case {
    let mut case = case.clone();
    let mut items = match cbor::map_get_text(case.entries(), "x5c") {
        Some(Value::Array(items)) => items.clone(),
        _ => panic!(),
    };
    let as_values: &mut Vec<Value> = &mut items;
    edit(as_values);
    case.set("x5c", Value::Array(items));
    case
}

pub(super) trait PushDer {
    fn push_der(&mut self, der: Vec<u8>);
}

impl PushDer for Vec<Value> {
    fn push_der(&mut self, der: Vec<u8>) {
        self.push(Value::Bytes(der));
    }
}
