#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use super::*;
use rstest::rstest;

fn es256_hex() -> String {
    // The canonical ES256 layout of W3C L3 §6.5.1.1: A5 01 02 03 26 20 01 21 58 20 <x> 22 58 20 <y>.
    format!(
        "a5010203262001215820{}225820{}",
        "11".repeat(32),
        "22".repeat(32)
    )
}

#[test]
fn parses_the_canonical_es256_key_and_reencodes_it() {
    let bytes = hex::decode(es256_hex()).unwrap();
    let key = CoseKey::from_cbor(&bytes).unwrap();
    assert_eq!(
        key,
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256,
            crv: Curve::P256,
            x: vec![0x11; 32],
            y: vec![0x22; 32]
        }
    );
    assert_eq!(key.to_cbor(), bytes);
}

#[rstest]
#[case::not_map("01", CoseKeyError::NotAMap { found: "integer" })]
#[case::no_kty("a10326", CoseKeyError::MissingParameter { name: "kty", label: 1 })]
#[case::no_alg("a10102", CoseKeyError::MissingParameter { name: "alg", label: 3 })]
#[case::unknown_kty("a201090326", CoseKeyError::UnknownKeyType(9))]
#[case::unsupported_alg("a20102033863", CoseKeyError::UnsupportedAlgorithm(-100))]
#[case::kty_mismatch("a2010203390100", CoseKeyError::KeyTypeMismatch { alg: "RS256".into(), expected: KeyType::Rsa, found: KeyType::Ec2 })]
#[case::no_crv("a201020326", CoseKeyError::MissingParameter { name: "crv", label: -1 })]
#[case::unknown_crv("a30102032620182a", CoseKeyError::UnknownCurve(42))]
#[case::crv_mismatch("a3010203262002", CoseKeyError::CurveMismatch { alg: "ES256".into(), expected: vec![Curve::P256], found: Curve::P384 })]
#[case::alg_not_int("a20102036161", CoseKeyError::WrongParameterType { name: "alg", expected: "integer", found: "text string" })]
fn rejects_inconsistent_keys(#[case] hex_bytes: &str, #[case] want: CoseKeyError) {
    assert_eq!(
        CoseKey::from_cbor(&hex::decode(hex_bytes).unwrap()),
        Err(want)
    );
}

#[test]
fn rejects_compressed_points_and_bad_lengths() {
    let compressed = format!("a5010203262001215820{}22f5", "11".repeat(32));
    assert_eq!(
        CoseKey::from_cbor(&hex::decode(compressed).unwrap()),
        Err(CoseKeyError::CompressedPoint)
    );
    let short_x = format!(
        "a501020326200121581f{}225820{}",
        "11".repeat(31),
        "22".repeat(32)
    );
    assert_eq!(
        CoseKey::from_cbor(&hex::decode(short_x).unwrap()),
        Err(CoseKeyError::CoordinateLength {
            name: "x",
            crv: Curve::P256,
            expected: 32,
            found: 31
        })
    );
}

#[test]
fn okp_and_rsa_round_trip() {
    for key in [
        CoseKey::Okp {
            alg: CoseAlgorithm::EdDsa,
            crv: Curve::Ed25519,
            x: vec![3; 32],
        },
        CoseKey::Rsa {
            alg: CoseAlgorithm::Rs256,
            n: vec![0xc5; 256],
            e: vec![1, 0, 1],
        },
    ] {
        assert_eq!(CoseKey::from_cbor(&key.to_cbor()), Ok(key));
    }
    let empty_n = CoseKey::Rsa {
        alg: CoseAlgorithm::Rs256,
        n: Vec::new(),
        e: vec![1, 0, 1],
    };
    assert_eq!(
        CoseKey::from_cbor(&empty_n.to_cbor()),
        Err(CoseKeyError::EmptyRsaParameter { name: "n" })
    );
}
