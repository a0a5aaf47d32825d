#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::codec::cbor::CborError;
use rstest::rstest;

/// x and y of the credential public key in the W3C WebAuthn L3 §16 test vector `none.ES256`
/// (editor's draft index.bs @146d0db).
const W3C_X: &str = "afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61";
const W3C_Y: &str = "930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220";

fn h(text: &str) -> Vec<u8> {
    hex::decode(text).expect("test hex is valid")
}

/// Joins annotated hex pieces and decodes them.
fn hx(parts: &[&str]) -> Vec<u8> {
    h(&parts.concat())
}

/// Hex for `len` bytes counting up from `start`.
fn filler(start: u8, len: usize) -> String {
    hex::encode(
        (0..len)
            .map(|i| start.wrapping_add(i as u8))
            .collect::<Vec<u8>>(),
    )
}

/// The W3C none.ES256 credential public key, in its canonical encoding.
fn w3c_es256() -> Vec<u8> {
    hx(&[
        "a5", // map(5)
        "01", "02", // kty: EC2
        "03", "26", // alg: ES256 (-7)
        "20", "01", // crv: P-256
        "21", "5820", W3C_X, // x: bytes(32)
        "22", "5820", W3C_Y, // y: bytes(32)
    ])
}

fn w3c_es256_key() -> CoseKey {
    CoseKey::Ec2 {
        alg: CoseAlgorithm::Es256,
        crv: Curve::P256,
        x: h(W3C_X),
        y: h(W3C_Y),
    }
}

fn ed25519_x() -> String {
    filler(0x10, 32)
}

fn rsa_n() -> String {
    let mut n = filler(0x80, 256);
    n.replace_range(0..2, "c3");
    n
}

#[test]
fn w3c_es256_key_parses_and_re_encodes() {
    let bytes = w3c_es256();
    assert_eq!(bytes.len(), 77);
    assert_eq!(CoseKey::from_cbor(&bytes), Ok(w3c_es256_key()));
    assert_eq!(w3c_es256_key().to_cbor(), bytes);
    assert_eq!(w3c_es256_key().alg(), CoseAlgorithm::Es256);
}

#[rstest]
#[case::es384(
    hx(&[
        "a5",
        "01", "02", // kty: EC2
        "03", "3822", // alg: ES384 (-35)
        "20", "02", // crv: P-384
        "21", "5830", &filler(1, 48), // x: bytes(48)
        "22", "5830", &filler(2, 48), // y: bytes(48)
    ]),
    CoseKey::Ec2 { alg: CoseAlgorithm::Es384, crv: Curve::P384, x: h(&filler(1, 48)), y: h(&filler(2, 48)) }
)]
#[case::es512(
    hx(&[
        "a5",
        "01", "02", // kty: EC2
        "03", "3823", // alg: ES512 (-36)
        "20", "03", // crv: P-521
        "21", "5842", &filler(1, 66), // x: bytes(66)
        "22", "5842", &filler(2, 66), // y: bytes(66)
    ]),
    CoseKey::Ec2 { alg: CoseAlgorithm::Es512, crv: Curve::P521, x: h(&filler(1, 66)), y: h(&filler(2, 66)) }
)]
#[case::es256k(
    hx(&[
        "a5",
        "01", "02", // kty: EC2
        "03", "382e", // alg: ES256K (-47)
        "20", "08", // crv: secp256k1
        "21", "5820", &filler(1, 32),
        "22", "5820", &filler(2, 32),
    ]),
    CoseKey::Ec2 { alg: CoseAlgorithm::Es256K, crv: Curve::Secp256k1, x: h(&filler(1, 32)), y: h(&filler(2, 32)) }
)]
#[case::ed25519(
    hx(&[
        "a4", // map(4)
        "01", "01", // kty: OKP
        "03", "27", // alg: EdDSA (-8)
        "20", "06", // crv: Ed25519
        "21", "5820", &ed25519_x(), // x: bytes(32)
    ]),
    CoseKey::Okp { alg: CoseAlgorithm::EdDsa, crv: Curve::Ed25519, x: h(&ed25519_x()) }
)]
#[case::ed448(
    hx(&[
        "a4",
        "01", "01", // kty: OKP
        "03", "27", // alg: EdDSA (-8)
        "20", "07", // crv: Ed448
        "21", "5839", &filler(1, 57), // x: bytes(57)
    ]),
    CoseKey::Okp { alg: CoseAlgorithm::EdDsa, crv: Curve::Ed448, x: h(&filler(1, 57)) }
)]
#[case::rs256(
    hx(&[
        "a4",
        "01", "03", // kty: RSA
        "03", "390100", // alg: RS256 (-257)
        "20", "590100", &rsa_n(), // n: bytes(256)
        "21", "43", "010001", // e: 65537
    ]),
    CoseKey::Rsa { alg: CoseAlgorithm::Rs256, n: h(&rsa_n()), e: h("010001") }
)]
#[case::ps256(
    hx(&[
        "a4",
        "01", "03", // kty: RSA
        "03", "3824", // alg: PS256 (-37)
        "20", "41", "c3", // n: bytes(1)
        "21", "41", "03", // e: 3
    ]),
    CoseKey::Rsa { alg: CoseAlgorithm::Ps256, n: vec![0xc3], e: vec![3] }
)]
#[case::rs1(
    hx(&[
        "a4",
        "01", "03", // kty: RSA
        "03", "39fffe", // alg: RS1 (-65535)
        "20", "41", "c3",
        "21", "41", "03",
    ]),
    CoseKey::Rsa { alg: CoseAlgorithm::Rs1, n: vec![0xc3], e: vec![3] }
)]
fn valid_keys_parse_and_re_encode(#[case] encoded: Vec<u8>, #[case] key: CoseKey) {
    assert_eq!(CoseKey::from_cbor(&encoded), Ok(key.clone()));
    assert_eq!(key.to_cbor(), encoded);
    assert_eq!(CoseKey::from_cbor(&key.to_cbor()), Ok(key));
}

#[test]
fn label_order_does_not_matter_and_to_cbor_is_canonical() {
    let shuffled = hx(&[
        "a5", // map(5)
        "22", "5820", W3C_Y, // y
        "20", "01", // crv
        "03", "26", // alg
        "21", "5820", W3C_X, // x
        "01", "02", // kty
    ]);
    let key = CoseKey::from_cbor(&shuffled).unwrap();
    assert_eq!(key, w3c_es256_key());
    assert_eq!(key.to_cbor(), w3c_es256());
}

#[test]
fn unknown_labels_are_ignored() {
    let with_extras = hx(&[
        "a7", // map(7)
        "01", "02", // kty: EC2
        "03", "26", // alg: ES256
        "20", "01", // crv: P-256
        "21", "5820", W3C_X, // x
        "22", "5820", W3C_Y, // y
        "02", "41", "6b", // kid: h'6b'
        "63", "666f6f", "f6", // "foo": null (text labels are allowed)
    ]);
    assert_eq!(CoseKey::from_cbor(&with_extras), Ok(w3c_es256_key()));
}

#[test]
fn from_value_accepts_decoded_cbor() {
    assert_eq!(
        CoseKey::from_value(&w3c_es256_key().to_value()),
        Ok(w3c_es256_key())
    );
}

#[rstest]
#[case::array("80", "array")]
#[case::integer("02", "integer")]
#[case::bytes(concat!("41", "00"), "byte string")]
#[case::text(concat!("61", "61"), "text string")]
#[case::null("f6", "null")]
#[case::tagged_map(concat!("d818", "a0"), "tag")]
fn non_map_is_rejected(#[case] encoded: &str, #[case] found: &'static str) {
    assert_eq!(
        CoseKey::from_cbor(&h(encoded)),
        Err(CoseKeyError::NotAMap { found })
    );
}

#[rstest]
#[case::empty("", CborError::Empty)]
#[case::truncated(concat!("a1", "01"), CborError::LengthExceedsInput { offset: 0, declared: 2, remaining: 1 })]
#[case::trailing(concat!("a0", "00"), CborError::TrailingBytes { offset: 1, count: 1 })]
#[case::indefinite(concat!("bf", "ff"), CborError::IndefiniteLength { offset: 0, item: "map" })]
#[case::duplicate_label(
    concat!("a3", "01", "02", "03", "26", "01", "02"),
    CborError::DuplicateMapKey { offset: 0, key: "int 1".into() }
)]
fn invalid_cbor_is_reported(#[case] encoded: &str, #[case] source: CborError) {
    assert_eq!(
        CoseKey::from_cbor(&h(encoded)),
        Err(CoseKeyError::Cbor(source))
    );
}

#[rstest]
#[case::bytes(concat!("a1", "41", "01", "02"), "bytes(1)")]
#[case::bool(concat!("a1", "f5", "02"), "bool true")]
#[case::array(concat!("a1", "80", "02"), "array(0)")]
#[case::float(concat!("a1", "f93c00", "02"), "float 1")]
fn labels_must_be_int_or_text(#[case] encoded: &str, #[case] found: &str) {
    assert_eq!(
        CoseKey::from_cbor(&h(encoded)),
        Err(CoseKeyError::BadLabel {
            found: found.to_owned()
        })
    );
}

/// Takes the W3C key and removes (`None`) or replaces one parameter by label.
fn w3c_with(label: i64, value: Option<Value>) -> Vec<u8> {
    let Value::Map(entries) = w3c_es256_key().to_value() else {
        unreachable!("to_value gives a map");
    };
    let entries = entries
        .into_iter()
        .filter_map(|(k, v)| {
            if cbor::as_i64(&k) == Some(label) {
                value.clone().map(|value| (k, value))
            } else {
                Some((k, v))
            }
        })
        .collect();
    cbor::encode(&Value::Map(entries))
}

fn int(i: i64) -> Value {
    Value::Integer(i.into())
}

#[rstest]
#[case::kty(label::KTY, "kty")]
#[case::alg(label::ALG, "alg")]
#[case::crv(label::CRV_OR_N, "crv")]
#[case::x(label::X_OR_E, "x")]
#[case::y(label::Y, "y")]
fn missing_ec2_parameters(#[case] label: i64, #[case] name: &'static str) {
    assert_eq!(
        CoseKey::from_cbor(&w3c_with(label, None)),
        Err(CoseKeyError::MissingParameter { name, label })
    );
}

#[test]
fn missing_kty_in_canonical_hex() {
    let without_kty = hx(&[
        "a4", // map(4)
        "03", "26", // alg: ES256
        "20", "01", // crv: P-256
        "21", "5820", W3C_X, // x
        "22", "5820", W3C_Y, // y
    ]);
    assert_eq!(
        CoseKey::from_cbor(&without_kty),
        Err(CoseKeyError::MissingParameter {
            name: "kty",
            label: 1
        })
    );
    assert_eq!(
        CoseKey::from_cbor(&h("a0")),
        Err(CoseKeyError::MissingParameter {
            name: "kty",
            label: 1
        })
    );
}

#[rstest]
#[case::okp_x(
    hx(&["a3", "01", "01", "03", "27", "20", "06"]),
    CoseKeyError::MissingParameter { name: "x", label: -2 }
)]
#[case::okp_crv(
    hx(&["a3", "01", "01", "03", "27", "21", "5820", &ed25519_x()]),
    CoseKeyError::MissingParameter { name: "crv", label: -1 }
)]
#[case::rsa_n(
    hx(&["a3", "01", "03", "03", "390100", "21", "43", "010001"]),
    CoseKeyError::MissingParameter { name: "n", label: -1 }
)]
#[case::rsa_e(
    hx(&["a3", "01", "03", "03", "390100", "20", "41", "c3"]),
    CoseKeyError::MissingParameter { name: "e", label: -2 }
)]
fn missing_okp_and_rsa_parameters(#[case] encoded: Vec<u8>, #[case] want: CoseKeyError) {
    assert_eq!(CoseKey::from_cbor(&encoded), Err(want));
}

#[rstest]
#[case::kty_text(
    label::KTY, Value::Text("EC2".into()),
    CoseKeyError::WrongParameterType { name: "kty", expected: "integer", found: "text string" }
)]
#[case::alg_text(
    label::ALG, Value::Text("ES256".into()),
    CoseKeyError::WrongParameterType { name: "alg", expected: "integer", found: "text string" }
)]
#[case::alg_bool(
    label::ALG, Value::Bool(false),
    CoseKeyError::WrongParameterType { name: "alg", expected: "integer", found: "boolean" }
)]
#[case::crv_bytes(
    label::CRV_OR_N, Value::Bytes(vec![1]),
    CoseKeyError::WrongParameterType { name: "crv", expected: "integer", found: "byte string" }
)]
#[case::x_text(
    label::X_OR_E, Value::Text(W3C_X.into()),
    CoseKeyError::WrongParameterType { name: "x", expected: "byte string", found: "text string" }
)]
#[case::x_array(
    label::X_OR_E, Value::Array(vec![]),
    CoseKeyError::WrongParameterType { name: "x", expected: "byte string", found: "array" }
)]
#[case::y_int(
    label::Y, int(0),
    CoseKeyError::WrongParameterType { name: "y", expected: "byte string", found: "integer" }
)]
#[case::y_null(
    label::Y, Value::Null,
    CoseKeyError::WrongParameterType { name: "y", expected: "byte string", found: "null" }
)]
fn wrong_parameter_types(#[case] label: i64, #[case] value: Value, #[case] want: CoseKeyError) {
    assert_eq!(CoseKey::from_cbor(&w3c_with(label, Some(value))), Err(want));
}

#[test]
fn integer_parameters_outside_i64_are_rejected() {
    // alg 2^64 - 1 is a CBOR integer that no COSE algorithm can be: a type error that says why.
    let encoded = hx(&["a2", "01", "02", "03", "1b", "ffffffffffffffff"]);
    assert_eq!(
        CoseKey::from_cbor(&encoded),
        Err(CoseKeyError::WrongParameterType {
            name: "alg",
            expected: "integer",
            found: "integer outside the 64-bit signed range",
        })
    );
    let kty = hx(&["a1", "01", "3b", "ffffffffffffffff"]);
    assert_eq!(
        CoseKey::from_cbor(&kty),
        Err(CoseKeyError::WrongParameterType {
            name: "kty",
            expected: "integer",
            found: "integer outside the 64-bit signed range",
        })
    );
}

#[test]
fn rsa_parameters_must_be_byte_strings() {
    let n_as_int = hx(&[
        "a4", "01", "03", "03", "390100", "20", "00", "21", "43", "010001",
    ]);
    assert_eq!(
        CoseKey::from_cbor(&n_as_int),
        Err(CoseKeyError::WrongParameterType {
            name: "n",
            expected: "byte string",
            found: "integer"
        })
    );
}

#[rstest]
#[case::symmetric(4)]
#[case::zero(0)]
#[case::hss_lms(5)]
#[case::negative(-1)]
fn unknown_key_types(#[case] kty: i64) {
    assert_eq!(
        CoseKey::from_cbor(&w3c_with(label::KTY, Some(int(kty)))),
        Err(CoseKeyError::UnknownKeyType(kty))
    );
}

#[rstest]
#[case::x25519(4)]
#[case::x448(5)]
#[case::zero(0)]
#[case::brainpool(256)]
fn unknown_curves(#[case] crv: i64) {
    assert_eq!(
        CoseKey::from_cbor(&w3c_with(label::CRV_OR_N, Some(int(crv)))),
        Err(CoseKeyError::UnknownCurve(crv))
    );
}

#[rstest]
#[case::hs256(5)]
#[case::ecdh_es(-25)]
#[case::unassigned(-100)]
#[case::zero(0)]
fn unsupported_algorithms(#[case] alg: i64) {
    assert_eq!(
        CoseKey::from_cbor(&w3c_with(label::ALG, Some(int(alg)))),
        Err(CoseKeyError::UnsupportedAlgorithm(alg))
    );
}

#[rstest]
#[case::ec2_with_rs256(
    w3c_with(label::ALG, Some(int(-257))),
    CoseKeyError::KeyTypeMismatch { alg: "RS256".into(), expected: KeyType::Rsa, found: KeyType::Ec2 }
)]
#[case::ec2_with_eddsa(
    w3c_with(label::ALG, Some(int(-8))),
    CoseKeyError::KeyTypeMismatch { alg: "EdDSA".into(), expected: KeyType::Okp, found: KeyType::Ec2 }
)]
#[case::rsa_with_es256(
    hx(&["a4", "01", "03", "03", "26", "20", "41", "c3", "21", "43", "010001"]),
    CoseKeyError::KeyTypeMismatch { alg: "ES256".into(), expected: KeyType::Ec2, found: KeyType::Rsa }
)]
#[case::okp_with_es256(
    hx(&["a4", "01", "01", "03", "26", "20", "06", "21", "5820", &ed25519_x()]),
    CoseKeyError::KeyTypeMismatch { alg: "ES256".into(), expected: KeyType::Ec2, found: KeyType::Okp }
)]
#[case::okp_with_ps256(
    hx(&["a4", "01", "01", "03", "3824", "20", "06", "21", "5820", &ed25519_x()]),
    CoseKeyError::KeyTypeMismatch { alg: "PS256".into(), expected: KeyType::Rsa, found: KeyType::Okp }
)]
fn alg_must_match_kty(#[case] encoded: Vec<u8>, #[case] want: CoseKeyError) {
    assert_eq!(CoseKey::from_cbor(&encoded), Err(want));
}

#[rstest]
#[case::es256_with_p384(
    w3c_with(label::CRV_OR_N, Some(int(2))),
    CoseKeyError::CurveMismatch { alg: "ES256".into(), expected: vec![Curve::P256], found: Curve::P384 }
)]
#[case::es256_with_secp256k1(
    w3c_with(label::CRV_OR_N, Some(int(8))),
    CoseKeyError::CurveMismatch { alg: "ES256".into(), expected: vec![Curve::P256], found: Curve::Secp256k1 }
)]
#[case::es384_with_p256(
    w3c_with(label::ALG, Some(int(-35))),
    CoseKeyError::CurveMismatch { alg: "ES384".into(), expected: vec![Curve::P384], found: Curve::P256 }
)]
#[case::es256_with_ed25519(
    w3c_with(label::CRV_OR_N, Some(int(6))),
    CoseKeyError::CurveMismatch { alg: "ES256".into(), expected: vec![Curve::P256], found: Curve::Ed25519 }
)]
#[case::eddsa_with_p256(
    hx(&["a4", "01", "01", "03", "27", "20", "01", "21", "5820", &ed25519_x()]),
    CoseKeyError::CurveMismatch {
        alg: "EdDSA".into(),
        expected: vec![Curve::Ed25519, Curve::Ed448],
        found: Curve::P256,
    }
)]
fn crv_must_match_alg(#[case] encoded: Vec<u8>, #[case] want: CoseKeyError) {
    assert_eq!(CoseKey::from_cbor(&encoded), Err(want));
}

#[rstest]
#[case::y_true(Value::Bool(true))]
#[case::y_false(Value::Bool(false))]
fn compressed_points_are_rejected(#[case] y: Value) {
    assert_eq!(
        CoseKey::from_cbor(&w3c_with(label::Y, Some(y))),
        Err(CoseKeyError::CompressedPoint)
    );
}

#[test]
fn compressed_point_in_canonical_hex() {
    let compressed = hx(&[
        "a5", "01", "02", // kty: EC2
        "03", "26", // alg: ES256
        "20", "01", // crv: P-256
        "21", "5820", W3C_X, // x
        "22", "f5", // y: true (compressed, sign bit 1)
    ]);
    assert_eq!(
        CoseKey::from_cbor(&compressed),
        Err(CoseKeyError::CompressedPoint)
    );
}

#[rstest]
#[case::x_short(
    w3c_with(label::X_OR_E, Some(Value::Bytes(vec![1; 31]))),
    CoseKeyError::CoordinateLength { name: "x", crv: Curve::P256, expected: 32, found: 31 }
)]
#[case::x_long(
    w3c_with(label::X_OR_E, Some(Value::Bytes(vec![1; 33]))),
    CoseKeyError::CoordinateLength { name: "x", crv: Curve::P256, expected: 32, found: 33 }
)]
#[case::x_empty(
    w3c_with(label::X_OR_E, Some(Value::Bytes(vec![]))),
    CoseKeyError::CoordinateLength { name: "x", crv: Curve::P256, expected: 32, found: 0 }
)]
#[case::y_short(
    w3c_with(label::Y, Some(Value::Bytes(vec![1; 31]))),
    CoseKeyError::CoordinateLength { name: "y", crv: Curve::P256, expected: 32, found: 31 }
)]
#[case::y_sec1_prefixed(
    w3c_with(label::Y, Some(Value::Bytes(vec![1; 65]))),
    CoseKeyError::CoordinateLength { name: "y", crv: Curve::P256, expected: 32, found: 65 }
)]
#[case::p384_with_p256_sizes(
    hx(&["a5", "01", "02", "03", "3822", "20", "02", "21", "5820", W3C_X, "22", "5820", W3C_Y]),
    CoseKeyError::CoordinateLength { name: "x", crv: Curve::P384, expected: 48, found: 32 }
)]
#[case::p521_as_65_bytes(
    hx(&["a5", "01", "02", "03", "3823", "20", "03", "21", "5841", &filler(0, 65), "22", "5842", &filler(0, 66)]),
    CoseKeyError::CoordinateLength { name: "x", crv: Curve::P521, expected: 66, found: 65 }
)]
#[case::ed25519_long(
    hx(&["a4", "01", "01", "03", "27", "20", "06", "21", "5821", &filler(0, 33)]),
    CoseKeyError::CoordinateLength { name: "x", crv: Curve::Ed25519, expected: 32, found: 33 }
)]
fn coordinate_lengths(#[case] encoded: Vec<u8>, #[case] want: CoseKeyError) {
    assert_eq!(CoseKey::from_cbor(&encoded), Err(want));
}

#[rstest]
#[case::n(
    hx(&["a4", "01", "03", "03", "390100", "20", "40", "21", "43", "010001"]),
    "n"
)]
#[case::e(
    hx(&["a4", "01", "03", "03", "390100", "20", "41", "c3", "21", "40"]),
    "e"
)]
fn empty_rsa_parameters(#[case] encoded: Vec<u8>, #[case] name: &'static str) {
    assert_eq!(
        CoseKey::from_cbor(&encoded),
        Err(CoseKeyError::EmptyRsaParameter { name })
    );
}

#[test]
fn checks_run_in_order_kty_alg_crv_x_y() {
    // Unknown kty is reported before the missing alg.
    assert_eq!(
        CoseKey::from_cbor(&h(concat!("a1", "01", "09"))),
        Err(CoseKeyError::UnknownKeyType(9))
    );
    // A bad label is reported before anything else.
    assert_eq!(
        CoseKey::from_cbor(&h(concat!("a2", "01", "09", "f4", "00"))),
        Err(CoseKeyError::BadLabel {
            found: "bool false".into()
        })
    );
    // Missing alg is reported before the missing crv.
    assert_eq!(
        CoseKey::from_cbor(&h(concat!("a1", "01", "02"))),
        Err(CoseKeyError::MissingParameter {
            name: "alg",
            label: 3
        })
    );
    // A wrong x length is reported before a compressed y.
    let both = hx(&[
        "a5", "01", "02", "03", "26", "20", "01", "21", "41", "00", "22", "f5",
    ]);
    assert_eq!(
        CoseKey::from_cbor(&both),
        Err(CoseKeyError::CoordinateLength {
            name: "x",
            crv: Curve::P256,
            expected: 32,
            found: 1
        })
    );
}

#[rstest]
#[case(-7, CoseAlgorithm::Es256, "ES256", Some(KeyType::Ec2), &[Curve::P256])]
#[case(-35, CoseAlgorithm::Es384, "ES384", Some(KeyType::Ec2), &[Curve::P384])]
#[case(-36, CoseAlgorithm::Es512, "ES512", Some(KeyType::Ec2), &[Curve::P521])]
#[case(-47, CoseAlgorithm::Es256K, "ES256K", Some(KeyType::Ec2), &[Curve::Secp256k1])]
#[case(-8, CoseAlgorithm::EdDsa, "EdDSA", Some(KeyType::Okp), &[Curve::Ed25519, Curve::Ed448])]
#[case(-53, CoseAlgorithm::Ed448, "Ed448", Some(KeyType::Okp), &[Curve::Ed448])]
#[case(-257, CoseAlgorithm::Rs256, "RS256", Some(KeyType::Rsa), &[])]
#[case(-258, CoseAlgorithm::Rs384, "RS384", Some(KeyType::Rsa), &[])]
#[case(-259, CoseAlgorithm::Rs512, "RS512", Some(KeyType::Rsa), &[])]
#[case(-65535, CoseAlgorithm::Rs1, "RS1", Some(KeyType::Rsa), &[])]
#[case(-37, CoseAlgorithm::Ps256, "PS256", Some(KeyType::Rsa), &[])]
#[case(-38, CoseAlgorithm::Ps384, "PS384", Some(KeyType::Rsa), &[])]
#[case(-39, CoseAlgorithm::Ps512, "PS512", Some(KeyType::Rsa), &[])]
#[case(-9, CoseAlgorithm::Other(-9), "COSE alg -9", None, &[])]
fn algorithm_table(
    #[case] id: i64,
    #[case] alg: CoseAlgorithm,
    #[case] name: &str,
    #[case] key_type: Option<KeyType>,
    #[case] curves: &[Curve],
) {
    assert_eq!(CoseAlgorithm::from_id(id), alg);
    assert_eq!(alg.id(), id);
    assert_eq!(alg.name(), name);
    assert_eq!(alg.key_type(), key_type);
    assert_eq!(alg.allowed_curves(), curves);
}

#[rstest]
#[case(1, Curve::P256, 32, KeyType::Ec2)]
#[case(2, Curve::P384, 48, KeyType::Ec2)]
#[case(3, Curve::P521, 66, KeyType::Ec2)]
#[case(6, Curve::Ed25519, 32, KeyType::Okp)]
#[case(7, Curve::Ed448, 57, KeyType::Okp)]
#[case(8, Curve::Secp256k1, 32, KeyType::Ec2)]
fn curve_table(
    #[case] id: i64,
    #[case] crv: Curve,
    #[case] coordinate_len: usize,
    #[case] key_type: KeyType,
) {
    assert_eq!(Curve::from_id(id), Some(crv));
    assert_eq!(crv.id(), id);
    assert_eq!(crv.coordinate_len(), coordinate_len);
    assert_eq!(crv.key_type(), key_type);
}

#[test]
fn key_type_table() {
    for (id, kty) in [(1, KeyType::Okp), (2, KeyType::Ec2), (3, KeyType::Rsa)] {
        assert_eq!(KeyType::from_id(id), Some(kty));
        assert_eq!(kty.id(), id);
    }
    assert_eq!(KeyType::from_id(4), None);
    assert_eq!(Curve::from_id(4), None);
}

#[test]
fn error_messages_cite_the_rule() {
    assert_eq!(
        CoseKeyError::CurveMismatch {
            alg: "ES256".into(),
            expected: vec![Curve::P256],
            found: Curve::P384
        }
        .to_string(),
        "alg ES256 requires crv [P256], found P384 (W3C L3 §5.8.5)"
    );
    assert_eq!(
        CoseKeyError::MissingParameter {
            name: "alg",
            label: 3
        }
        .to_string(),
        "COSE_Key is missing required parameter alg (label 3) (W3C L3 §6.5.1.1)"
    );
}
