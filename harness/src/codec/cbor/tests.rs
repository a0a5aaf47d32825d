#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use super::*;
use rstest::rstest;

// RFC 8949 Appendix A examples that WebAuthn structures use.
#[rstest]
#[case::zero("00", Value::Integer(0.into()))]
#[case::twenty_four("1818", Value::Integer(24.into()))]
#[case::minus_seven("26", Value::Integer((-7).into()))]
#[case::minus_257("390100", Value::Integer((-257).into()))]
#[case::bytes("4401020304", Value::Bytes(vec![1, 2, 3, 4]))]
#[case::text("6449455446", Value::Text("IETF".into()))]
#[case::array("83010203", Value::Array(vec![Value::Integer(1.into()), Value::Integer(2.into()), Value::Integer(3.into())]))]
#[case::map("a201020304", Value::Map(vec![(Value::Integer(1.into()), Value::Integer(2.into())), (Value::Integer(3.into()), Value::Integer(4.into()))]))]
fn rfc8949_examples_round_trip(#[case] hex_bytes: &str, #[case] value: Value) {
    let bytes = hex::decode(hex_bytes).unwrap();
    assert_eq!(decode(&bytes), Ok(value.clone()));
    assert_eq!(encode(&value), bytes);
}

#[rstest]
#[case::empty("", CborError::Empty)]
#[case::indefinite_bytes("5f41014102ff", CborError::IndefiniteLength { offset: 0, item: "byte string" })]
#[case::indefinite_text("7f6161ff", CborError::IndefiniteLength { offset: 0, item: "text string" })]
#[case::indefinite_array("9f01ff", CborError::IndefiniteLength { offset: 0, item: "array" })]
#[case::indefinite_map("bf0102ff", CborError::IndefiniteLength { offset: 0, item: "map" })]
#[case::duplicate_key("a201020103", CborError::DuplicateMapKey { offset: 0, key: "int 1".into() })]
#[case::trailing("0000", CborError::TrailingBytes { offset: 1, count: 1 })]
#[case::huge_length("5bffffffffffffffff", CborError::LengthExceedsInput { offset: 0, declared: usize::MAX, remaining: 0 })]
#[case::truncated_bytes("4401", CborError::LengthExceedsInput { offset: 0, declared: 4, remaining: 1 })]
#[case::bad_utf8("62c328", CborError::InvalidUtf8 { offset: 0 })]
#[case::lone_break("ff", CborError::UnexpectedBreak { offset: 0 })]
#[case::undefined("f7", CborError::Malformed { offset: 0 })]
fn strict_decoder_rejects(#[case] hex_bytes: &str, #[case] want: CborError) {
    assert_eq!(decode(&hex::decode(hex_bytes).unwrap()), Err(want));
}

#[test]
fn recursion_is_bounded() {
    let mut bytes = vec![0x81; 100];
    bytes.push(0x00);
    assert!(matches!(
        decode(&bytes),
        Err(CborError::RecursionLimit {
            limit: DEFAULT_RECURSION_LIMIT,
            ..
        })
    ));
}

#[test]
fn prefix_decoding_reports_the_length_used() {
    assert_eq!(
        decode_prefix(&[0x01, 0xff]),
        Ok((Value::Integer(1.into()), 1))
    );
}
