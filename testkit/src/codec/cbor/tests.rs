#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use rstest::rstest;

fn h(text: &str) -> Vec<u8> {
    hex::decode(text).expect("test hex is valid")
}

fn int(i: i128) -> Value {
    Value::Integer(ciborium::value::Integer::try_from(i).expect("in CBOR range"))
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn bytes(b: &[u8]) -> Value {
    Value::Bytes(b.to_vec())
}

fn array(items: Vec<Value>) -> Value {
    Value::Array(items)
}

fn map(entries: Vec<(Value, Value)>) -> Value {
    Value::Map(entries)
}

/// RFC 8949 Appendix A, the examples that are in preferred encoding and within what the strict
/// decoder accepts: each decodes to the value and the value encodes back to the same bytes.
#[rstest]
// Integers.
#[case::uint_0("00", int(0))]
#[case::uint_1("01", int(1))]
#[case::uint_10("0a", int(10))]
#[case::uint_23("17", int(23))]
#[case::uint_24(concat!("18", /* uint8 */ "18"), int(24))]
#[case::uint_25(concat!("18", "19"), int(25))]
#[case::uint_100(concat!("18", "64"), int(100))]
#[case::uint_1000(concat!("19", /* uint16 */ "03e8"), int(1000))]
#[case::uint_1000000(concat!("1a", /* uint32 */ "000f4240"), int(1_000_000))]
#[case::uint_1000000000000(concat!("1b", /* uint64 */ "000000e8d4a51000"), int(1_000_000_000_000))]
#[case::uint_max(concat!("1b", "ffffffffffffffff"), int(18_446_744_073_709_551_615))]
#[case::nint_min(concat!("3b", /* -1 - u64 */ "ffffffffffffffff"), int(-18_446_744_073_709_551_616))]
#[case::nint_1("20", int(-1))]
#[case::nint_10("29", int(-10))]
#[case::nint_100(concat!("38", "63"), int(-100))]
#[case::nint_1000(concat!("39", "03e7"), int(-1000))]
// Simple values that WebAuthn structures may hold.
#[case::false_("f4", Value::Bool(false))]
#[case::true_("f5", Value::Bool(true))]
#[case::null("f6", Value::Null)]
// Tags (kept as tags; the strict reader does not interpret them).
#[case::tag0_datetime(
    concat!("c0", /* tag(0) */ "74", /* text(20) */ "323031332d30332d32315432303a30343a30305a"),
    Value::Tag(0, Box::new(text("2013-03-21T20:04:00Z")))
)]
#[case::tag1_epoch(concat!("c1", /* tag(1) */ "1a514b67b0"), Value::Tag(1, Box::new(int(1_363_896_240))))]
#[case::tag2_bignum(
    concat!("c2", /* tag(2) */ "49", /* bytes(9) */ "010000000000000000"),
    Value::Tag(2, Box::new(bytes(&[1, 0, 0, 0, 0, 0, 0, 0, 0])))
)]
#[case::tag23(concat!("d7", /* tag(23) */ "44", "01020304"), Value::Tag(23, Box::new(bytes(&[1, 2, 3, 4]))))]
#[case::tag24(concat!("d818", /* tag(24) */ "45", "6449455446"), Value::Tag(24, Box::new(bytes(b"dIETF"))))]
#[case::tag32_uri(
    concat!("d820", /* tag(32) */ "76", /* text(22) */ "687474703a2f2f7777772e6578616d706c652e636f6d"),
    Value::Tag(32, Box::new(text("http://www.example.com")))
)]
// Byte strings.
#[case::bytes_empty("40", bytes(&[]))]
#[case::bytes_4(concat!("44", /* bytes(4) */ "01020304"), bytes(&[1, 2, 3, 4]))]
// Text strings.
#[case::text_empty("60", text(""))]
#[case::text_a(concat!("61", "61"), text("a"))]
#[case::text_ietf(concat!("64", "49455446"), text("IETF"))]
#[case::text_escapes(concat!("62", "225c"), text("\"\\"))]
#[case::text_u_umlaut(concat!("62", "c3bc"), text("\u{00fc}"))]
#[case::text_water(concat!("63", "e6b0b4"), text("\u{6c34}"))]
#[case::text_astral(concat!("64", "f0908591"), text("\u{10151}"))]
// Arrays.
#[case::array_empty("80", array(vec![]))]
#[case::array_123(concat!("83", /* array(3) */ "01", "02", "03"), array(vec![int(1), int(2), int(3)]))]
#[case::array_nested(
    concat!("83", "01", "82", "02", "03", "82", "04", "05"),
    array(vec![int(1), array(vec![int(2), int(3)]), array(vec![int(4), int(5)])])
)]
#[case::array_25(
    concat!("98", "19", /* array(25) */ "0102030405060708090a0b0c0d0e0f101112131415161718181819"),
    array((1..=25).map(int).collect())
)]
// Maps.
#[case::map_empty("a0", map(vec![]))]
#[case::map_int(concat!("a2", /* map(2) */ "01", "02", "03", "04"), map(vec![(int(1), int(2)), (int(3), int(4))]))]
#[case::map_text(
    concat!("a2", "61", "61", "01", "61", "62", "82", "02", "03"),
    map(vec![(text("a"), int(1)), (text("b"), array(vec![int(2), int(3)]))])
)]
#[case::array_with_map(
    concat!("82", "61", "61", "a1", "61", "62", "61", "63"),
    array(vec![text("a"), map(vec![(text("b"), text("c"))])])
)]
#[case::map_5(
    concat!("a5", "6161", "6141", "6162", "6142", "6163", "6143", "6164", "6144", "6165", "6145"),
    map(vec![
        (text("a"), text("A")),
        (text("b"), text("B")),
        (text("c"), text("C")),
        (text("d"), text("D")),
        (text("e"), text("E")),
    ])
)]
fn rfc8949_appendix_a_round_trips(#[case] encoded: &str, #[case] value: Value) {
    let encoded = h(encoded);
    assert_eq!(decode(&encoded), Ok(value.clone()));
    assert_eq!(encode(&value), encoded);
}

/// RFC 8949 Appendix A floats in preferred (shortest) form decode and re-encode byte for byte.
#[rstest]
#[case::zero("f90000", 0.0)]
#[case::minus_zero("f98000", -0.0)]
#[case::one("f93c00", 1.0)]
#[case::one_point_one("fb3ff199999999999a", 1.1)]
#[case::one_point_five("f93e00", 1.5)]
#[case::max_half("f97bff", 65504.0)]
#[case::hundred_thousand("fa47c35000", 100_000.0)]
#[case::max_single("fa7f7fffff", 3.402_823_466_385_288_6e38)]
#[case::big_double("fb7e37e43c8800759c", 1.0e300)]
#[case::min_subnormal_half("f90001", 5.960_464_477_539_063e-8)]
#[case::min_normal_half("f90400", 0.000_061_035_156_25)]
#[case::minus_four("f9c400", -4.0)]
#[case::minus_four_point_one("fbc010666666666666", -4.1)]
#[case::infinity("f97c00", f64::INFINITY)]
#[case::minus_infinity("f9fc00", f64::NEG_INFINITY)]
fn rfc8949_appendix_a_floats(#[case] encoded: &str, #[case] expected: f64) {
    let encoded = h(encoded);
    let Ok(Value::Float(found)) = decode(&encoded) else {
        panic!("{} is not a float", hex::encode(&encoded));
    };
    assert_eq!(found.to_bits(), expected.to_bits());
    assert_eq!(encode(&Value::Float(found)), encoded);
}

#[test]
fn nan_decodes_and_re_encodes_as_half() {
    let Ok(Value::Float(found)) = decode(&h("f97e00")) else {
        panic!("NaN is a float");
    };
    assert!(found.is_nan());
    assert_eq!(encode(&Value::Float(found)), h("f97e00"));
}

/// The strict reader refuses indefinite lengths, but it does not insist on the shortest
/// encoding: a longer-than-needed argument decodes to the same value, and the encoder always
/// writes the preferred form.
#[rstest]
#[case::uint8_for_small(concat!("18", "01"), int(1), "01")]
#[case::uint64_for_small(concat!("1b", "0000000000000001"), int(1), "01")]
#[case::bytes_len_uint8(concat!("58", "01", "ff"), bytes(&[0xff]), concat!("41", "ff"))]
#[case::single_infinity("fa7f800000", Value::Float(f64::INFINITY), "f97c00")]
#[case::double_one("fb3ff0000000000000", Value::Float(1.0), "f93c00")]
fn non_preferred_forms_decode_and_re_encode_preferred(
    #[case] encoded: &str,
    #[case] value: Value,
    #[case] preferred: &str,
) {
    assert_eq!(decode(&h(encoded)), Ok(value.clone()));
    assert_eq!(encode(&value), h(preferred));
}

#[rstest]
#[case::bytes(
    concat!("5f", /* bytes(*) */ "42", "0102", "43", "030405", "ff"),
    CborError::IndefiniteLength { offset: 0, item: "byte string" }
)]
#[case::bytes_empty(concat!("5f", "ff"), CborError::IndefiniteLength { offset: 0, item: "byte string" })]
#[case::text(
    concat!("7f", /* text(*) */ "65", "7374726561", "64", "6d696e67", "ff"),
    CborError::IndefiniteLength { offset: 0, item: "text string" }
)]
#[case::array_empty(concat!("9f", "ff"), CborError::IndefiniteLength { offset: 0, item: "array" })]
#[case::array(
    concat!("9f", "01", "82", "02", "03", "9f", "04", "05", "ff", "ff"),
    CborError::IndefiniteLength { offset: 0, item: "array" }
)]
#[case::array_inside_definite(
    concat!("83", "01", "9f", "02", "ff", "03"),
    CborError::IndefiniteLength { offset: 2, item: "array" }
)]
#[case::map(
    concat!("bf", /* map(*) */ "61", "61", "01", "61", "62", "9f", "02", "03", "ff", "ff"),
    CborError::IndefiniteLength { offset: 0, item: "map" }
)]
#[case::map_as_value(
    concat!("a1", "61", "61", "bf", "ff"),
    CborError::IndefiniteLength { offset: 3, item: "map" }
)]
fn indefinite_lengths_are_rejected(#[case] encoded: &str, #[case] want: CborError) {
    assert_eq!(decode(&h(encoded)), Err(want));
}

#[rstest]
#[case::int_key(
    concat!("a2", /* map(2) */ "01", "02", "01", "03"),
    CborError::DuplicateMapKey { offset: 0, key: "int 1".into() }
)]
#[case::negative_key(
    concat!("a3", "20", "01", "21", "02", "20", "03"),
    CborError::DuplicateMapKey { offset: 0, key: "int -1".into() }
)]
#[case::text_key(
    concat!("a2", "63", "666d74", "00", "63", "666d74", "01"),
    CborError::DuplicateMapKey { offset: 0, key: "text \"fmt\"".into() }
)]
#[case::bytes_key(
    concat!("a2", "41", "00", "f6", "41", "00", "f6"),
    CborError::DuplicateMapKey { offset: 0, key: "bytes(1)".into() }
)]
#[case::same_value_longer_encoding(
    concat!("a2", "01", "02", "18", "01", "03"),
    CborError::DuplicateMapKey { offset: 0, key: "int 1".into() }
)]
#[case::nested_map(
    concat!("82", "00", "a2", "61", "78", "01", "61", "78", "02"),
    CborError::DuplicateMapKey { offset: 2, key: "text \"x\"".into() }
)]
fn duplicate_map_keys_are_rejected(#[case] encoded: &str, #[case] want: CborError) {
    assert_eq!(decode(&h(encoded)), Err(want));
}

#[test]
fn equal_looking_keys_of_different_types_are_distinct() {
    // 1, "1" and h'01' are three different keys.
    let encoded = h(concat!(
        "a3", "01", "00", "61", "31", "00", "41", "01", "00"
    ));
    assert_eq!(
        decode(&encoded),
        Ok(map(vec![
            (int(1), int(0)),
            (text("1"), int(0)),
            (bytes(&[1]), int(0)),
        ]))
    );
}

#[rstest]
#[case::one_byte(concat!("00", "00"), CborError::TrailingBytes { offset: 1, count: 1 })]
#[case::after_map(concat!("a0", "ffff"), CborError::TrailingBytes { offset: 1, count: 2 })]
#[case::second_item(
    concat!("a1", "01", "02", /* a second map */ "a1", "03", "04"),
    CborError::TrailingBytes { offset: 3, count: 3 }
)]
fn trailing_bytes_are_rejected(#[case] encoded: &str, #[case] want: CborError) {
    assert_eq!(decode(&h(encoded)), Err(want));
}

#[test]
fn decode_prefix_reports_the_length_used() {
    let encoded = h(concat!("a1", "01", "02", "a1", "03", "04"));
    assert_eq!(
        decode_prefix(&encoded),
        Ok((map(vec![(int(1), int(2))]), 3))
    );
    assert_eq!(decode_prefix(&h("00")), Ok((int(0), 1)));
}

#[test]
fn decode_with_allowing_trailing_bytes() {
    let options = DecodeOptions {
        allow_trailing_bytes: true,
        ..DecodeOptions::default()
    };
    assert_eq!(decode_with(&h("0102ff"), options), Ok((int(1), 1)));
    assert_eq!(
        decode_with(&h("0102ff"), DecodeOptions::default()),
        Err(CborError::TrailingBytes {
            offset: 1,
            count: 2
        })
    );
}

#[test]
fn default_options_are_strict() {
    assert_eq!(
        DecodeOptions::default(),
        DecodeOptions {
            recursion_limit: 32,
            allow_trailing_bytes: false
        }
    );
    assert_eq!(DEFAULT_RECURSION_LIMIT, 32);
}

fn nested(prefix: &[u8], depth: usize) -> Vec<u8> {
    let mut out = prefix.repeat(depth);
    out.push(0x00);
    out
}

#[test]
fn a_hundred_nested_arrays_hit_the_recursion_limit() {
    // [[[...[0]...]]]: the 34th header, at byte 33, is one level too deep.
    assert_eq!(
        decode(&nested(&[0x81], 100)),
        Err(CborError::RecursionLimit {
            offset: 33,
            limit: 32
        })
    );
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    let mut want = int(0);
    for _ in 0..32 {
        want = array(vec![want]);
    }
    assert_eq!(decode(&nested(&[0x81], 32)), Ok(want));
    assert_eq!(
        decode(&nested(&[0x81], 33)),
        Err(CborError::RecursionLimit {
            offset: 33,
            limit: 32
        })
    );
}

#[rstest]
#[case::tags(&[0xc1], 33, CborError::RecursionLimit { offset: 33, limit: 32 })]
// {0: {0: ... }}: each level is two bytes; the key of the map at depth 32 (byte 64) is at
// depth 33, byte 65.
#[case::map_values(&[0xa1, 0x00], 33, CborError::RecursionLimit { offset: 65, limit: 32 })]
fn every_container_counts_towards_nesting(
    #[case] prefix: &[u8],
    #[case] depth: usize,
    #[case] want: CborError,
) {
    assert_eq!(decode(&nested(prefix, depth)), Err(want));
}

#[test]
fn recursion_limit_is_configurable() {
    let options = |recursion_limit| DecodeOptions {
        recursion_limit,
        allow_trailing_bytes: false,
    };
    assert_eq!(decode_with(&h("00"), options(0)), Ok((int(0), 1)));
    assert_eq!(
        decode_with(&h("8100"), options(0)),
        Err(CborError::RecursionLimit {
            offset: 1,
            limit: 0
        })
    );
    assert_eq!(
        decode_with(&nested(&[0x81], 100), options(100)).map(|(_, used)| used),
        Ok(101)
    );
}

#[cfg(target_pointer_width = "64")]
#[rstest]
#[case::bytes(concat!("5b", /* bytes(2^64 - 1) */ "ffffffffffffffff"), usize::MAX, 0)]
#[case::text(concat!("7b", /* text(2^64 - 1) */ "ffffffffffffffff"), usize::MAX, 0)]
#[case::array(concat!("9b", /* array(2^64 - 1) */ "ffffffffffffffff"), usize::MAX, 0)]
// A map of n pairs needs at least 2n bytes; 2n saturates.
#[case::map(concat!("bb", /* map(2^64 - 1) */ "ffffffffffffffff"), usize::MAX, 0)]
#[case::bytes_u32(concat!("5a", /* bytes(2^32 - 1) */ "ffffffff", "00"), 0xffff_ffff, 1)]
fn huge_declared_lengths_fail_without_allocating(
    #[case] encoded: &str,
    #[case] declared: usize,
    #[case] remaining: usize,
) {
    assert_eq!(
        decode(&h(encoded)),
        Err(CborError::LengthExceedsInput {
            offset: 0,
            declared,
            remaining
        })
    );
}

#[rstest]
#[case::bytes(concat!("42", /* bytes(2) */ "00"), CborError::LengthExceedsInput { offset: 0, declared: 2, remaining: 1 })]
#[case::text(concat!("63", /* text(3) */ "6161"), CborError::LengthExceedsInput { offset: 0, declared: 3, remaining: 2 })]
#[case::array(concat!("82", /* array(2) */ "01"), CborError::LengthExceedsInput { offset: 0, declared: 2, remaining: 1 })]
#[case::array_no_items("81", CborError::LengthExceedsInput { offset: 0, declared: 1, remaining: 0 })]
#[case::map_counts_keys_and_values(
    concat!("a1", /* map(1) */ "01"),
    CborError::LengthExceedsInput { offset: 0, declared: 2, remaining: 1 }
)]
#[case::nested_bytes(
    concat!("81", "42", "00"),
    CborError::LengthExceedsInput { offset: 1, declared: 2, remaining: 1 }
)]
fn declared_lengths_longer_than_the_input(#[case] encoded: &str, #[case] want: CborError) {
    assert_eq!(decode(&h(encoded)), Err(want));
}

#[rstest]
#[case::uint8_argument("18", CborError::Truncated { offset: 0 })]
#[case::uint16_argument(concat!("19", "01"), CborError::Truncated { offset: 0 })]
#[case::uint32_argument(concat!("1a", "000000"), CborError::Truncated { offset: 0 })]
#[case::uint64_argument(concat!("1b", "00000000000000"), CborError::Truncated { offset: 0 })]
#[case::bytes_length(concat!("59", "01"), CborError::Truncated { offset: 0 })]
#[case::half_float(concat!("f9", "00"), CborError::Truncated { offset: 0 })]
#[case::tag_without_item("c1", CborError::Truncated { offset: 1 })]
#[case::array_item(concat!("82", "01", "19", "01"), CborError::Truncated { offset: 2 })]
#[case::map_value(concat!("a1", "01", "19", "01"), CborError::Truncated { offset: 2 })]
fn truncated_input(#[case] encoded: &str, #[case] want: CborError) {
    assert_eq!(decode(&h(encoded)), Err(want));
}

#[test]
fn empty_input() {
    assert_eq!(decode(&[]), Err(CborError::Empty));
    assert_eq!(decode_prefix(&[]), Err(CborError::Empty));
    assert_eq!(
        decode_with(&[], DecodeOptions::default()),
        Err(CborError::Empty)
    );
}

#[rstest]
#[case::lone_continuation(concat!("61", "ff"), CborError::InvalidUtf8 { offset: 0 })]
#[case::bad_continuation(concat!("62", "c328"), CborError::InvalidUtf8 { offset: 0 })]
#[case::cut_sequence(concat!("62", "e6b0"), CborError::InvalidUtf8 { offset: 0 })]
#[case::surrogate(concat!("63", "eda080"), CborError::InvalidUtf8 { offset: 0 })]
#[case::overlong(concat!("62", "c0af"), CborError::InvalidUtf8 { offset: 0 })]
#[case::nested(concat!("82", "00", "61", "80"), CborError::InvalidUtf8 { offset: 2 })]
#[case::map_key(concat!("a1", "61", "fe", "00"), CborError::InvalidUtf8 { offset: 1 })]
fn invalid_utf8_text(#[case] encoded: &str, #[case] want: CborError) {
    assert_eq!(decode(&h(encoded)), Err(want));
}

#[rstest]
#[case::top_level("ff", CborError::UnexpectedBreak { offset: 0 })]
#[case::in_definite_array(concat!("82", "01", "ff"), CborError::UnexpectedBreak { offset: 2 })]
#[case::as_map_key(concat!("a1", "ff", "00"), CborError::UnexpectedBreak { offset: 1 })]
#[case::as_map_value(concat!("a1", "00", "ff"), CborError::UnexpectedBreak { offset: 2 })]
#[case::after_tag(concat!("c1", "ff"), CborError::UnexpectedBreak { offset: 1 })]
fn unexpected_break(#[case] encoded: &str, #[case] want: CborError) {
    assert_eq!(decode(&h(encoded)), Err(want));
}

#[rstest]
// Simple values other than false, true and null.
#[case::undefined("f7", CborError::Malformed { offset: 0 })]
#[case::simple_0("e0", CborError::Malformed { offset: 0 })]
#[case::simple_16("f0", CborError::Malformed { offset: 0 })]
#[case::simple_255(concat!("f8", "ff"), CborError::Malformed { offset: 0 })]
#[case::simple_32(concat!("f8", "20"), CborError::Malformed { offset: 0 })]
#[case::undefined_nested(concat!("82", "00", "f7"), CborError::Malformed { offset: 2 })]
// Reserved additional-information values 28..=30 in every major type.
#[case::reserved_uint("1c", CborError::Malformed { offset: 0 })]
#[case::reserved_nint("3d", CborError::Malformed { offset: 0 })]
#[case::reserved_bytes("5e", CborError::Malformed { offset: 0 })]
#[case::reserved_text("7c", CborError::Malformed { offset: 0 })]
#[case::reserved_array("9d", CborError::Malformed { offset: 0 })]
#[case::reserved_map("be", CborError::Malformed { offset: 0 })]
#[case::reserved_tag("dc", CborError::Malformed { offset: 0 })]
#[case::reserved_simple("fd", CborError::Malformed { offset: 0 })]
#[case::reserved_nested(concat!("81", "1c"), CborError::Malformed { offset: 1 })]
// Additional information 31 where no indefinite form exists.
#[case::indefinite_uint("1f", CborError::Malformed { offset: 0 })]
#[case::indefinite_nint("3f", CborError::Malformed { offset: 0 })]
#[case::indefinite_tag("df", CborError::Malformed { offset: 0 })]
fn malformed_items(#[case] encoded: &str, #[case] want: CborError) {
    assert_eq!(decode(&h(encoded)), Err(want));
}

/// RFC 8949 §3.3: "An encoder MUST NOT issue two-byte sequences that start with 0xf8 and continue
/// with a byte less than 0x20"; Appendix F lists `f8 00`..`f8 1f` as not well-formed.
#[rstest]
#[case::simple_0_two_bytes(concat!("f8", "00"))]
#[case::undefined_two_bytes(concat!("f8", "17"))]
#[case::simple_31_two_bytes(concat!("f8", "1f"))]
fn two_byte_simple_values_below_32_are_rejected(#[case] encoded: &str) {
    assert_eq!(decode(&h(encoded)), Err(CborError::Malformed { offset: 0 }));
}

/// The same rule for the three simple values the reader otherwise accepts: `f8 14` is not a
/// second spelling of `f4` (false).
#[rstest]
#[case::false_two_bytes(concat!("f8", "14"))]
#[case::true_two_bytes(concat!("f8", "15"))]
#[case::null_two_bytes(concat!("f8", "16"))]
fn two_byte_false_true_null_are_not_well_formed(#[case] encoded: &str) {
    assert_eq!(decode(&h(encoded)), Err(CborError::Malformed { offset: 0 }));
}

#[test]
fn encode_into_appends() {
    let mut out = h("ff");
    encode_into(&mut out, &map(vec![(int(1), int(2))]));
    encode_into(&mut out, &text("a"));
    assert_eq!(out, h(concat!("ff", "a1", "01", "02", "61", "61")));
}

#[test]
fn encode_keeps_map_entry_order() {
    let value = map(vec![(int(3), int(0)), (int(1), int(0))]);
    assert_eq!(encode(&value), h(concat!("a2", "03", "00", "01", "00")));
}

#[rstest]
#[case::int(int(-7), "int -7", "integer")]
#[case::bytes(bytes(&[1, 2]), "bytes(2)", "byte string")]
#[case::text(text("fmt"), "text \"fmt\"", "text string")]
#[case::float(Value::Float(1.5), "float 1.5", "float")]
#[case::bool(Value::Bool(true), "bool true", "boolean")]
#[case::null(Value::Null, "null", "null")]
#[case::tag(Value::Tag(24, Box::new(int(0))), "tag 24", "tag")]
#[case::array(array(vec![int(1)]), "array(1)", "array")]
#[case::map(map(vec![]), "map(0)", "map")]
fn describe_and_kind(#[case] value: Value, #[case] description: &str, #[case] kind_name: &str) {
    assert_eq!(describe(&value), description);
    assert_eq!(kind(&value), kind_name);
}

#[test]
fn map_lookups() {
    let entries = vec![
        (int(1), int(2)),
        (int(-1), text("minus one")),
        (text("fmt"), text("none")),
        (text("1"), int(9)),
    ];
    assert_eq!(map_get_int(&entries, 1), Some(&int(2)));
    assert_eq!(map_get_int(&entries, -1), Some(&text("minus one")));
    assert_eq!(map_get_int(&entries, 3), None);
    assert_eq!(map_get_text(&entries, "fmt"), Some(&text("none")));
    assert_eq!(map_get_text(&entries, "1"), Some(&int(9)));
    assert_eq!(map_get_text(&entries, "attStmt"), None);
}

#[rstest]
#[case::small(int(-7), Some(-7))]
#[case::max(int(i128::from(i64::MAX)), Some(i64::MAX))]
#[case::min(int(i128::from(i64::MIN)), Some(i64::MIN))]
#[case::too_big(int(i128::from(i64::MAX) + 1), None)]
#[case::too_small(int(i128::from(i64::MIN) - 1), None)]
#[case::not_an_integer(text("1"), None)]
fn as_i64_reads_integers_that_fit(#[case] value: Value, #[case] want: Option<i64>) {
    assert_eq!(as_i64(&value), want);
}

#[test]
fn errors_name_offsets_in_their_messages() {
    assert_eq!(
        CborError::LengthExceedsInput {
            offset: 0,
            declared: 2,
            remaining: 1
        }
        .to_string(),
        "length 2 declared at byte 0 exceeds the 1 byte(s) left"
    );
    assert_eq!(
        CborError::IndefiniteLength {
            offset: 3,
            item: "map"
        }
        .to_string(),
        "indefinite-length map at byte 3; WebAuthn CBOR must use definite lengths (W3C L3 §6.5.4, CTAP2 canonical CBOR)"
    );
}
