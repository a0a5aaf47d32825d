#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use rstest::rstest;

// clientDataJSON from the W3C WebAuthn L3 editor's draft (index.bs @146d0db), §16 "Test
// Vectors", `none.ES256`.
const W3C_AUTHENTICATION: &str = r#"{"type":"webauthn.get","challenge":"OcDnUhQXulTUPo3JUXT0I97pvzzYBP9tZchXyav01Ag","origin":"https://example.org","crossOrigin":false}"#;
const W3C_REGISTRATION: &str = r#"{"type":"webauthn.create","challenge":"AMMPt4UxxGTStncdq417YDwBFi8vpIa-pw8oOuVW4TA","origin":"https://example.org","crossOrigin":false,"extraData":"clientDataJSON may be extended with additional fields in the future, such as this: BkQeDjdcTBrXBiAwJTLE5Q"}"#;
const EXTRA_DATA: &str = "clientDataJSON may be extended with additional fields in the future, such as this: BkQeDjdcTBrXBiAwJTLE5Q";

fn w3c_authentication() -> CollectedClientData {
    CollectedClientData {
        type_: "webauthn.get".into(),
        challenge: "OcDnUhQXulTUPo3JUXT0I97pvzzYBP9tZchXyav01Ag".into(),
        origin: "https://example.org".into(),
        cross_origin: Some(false),
        top_origin: None,
        other: vec![],
    }
}

fn parse(text: &str) -> Result<ClientDataJson, ClientDataError> {
    ClientDataJson::parse(text.as_bytes())
}

#[test]
fn w3c_authentication_client_data_parses() {
    let parsed = parse(W3C_AUTHENTICATION).unwrap();
    assert_eq!(parsed.data, w3c_authentication());
    assert_eq!(parsed.bytes, W3C_AUTHENTICATION.as_bytes());
}

#[test]
fn w3c_registration_client_data_keeps_unknown_members() {
    let parsed = parse(W3C_REGISTRATION).unwrap();
    assert_eq!(
        parsed.data,
        CollectedClientData {
            type_: "webauthn.create".into(),
            challenge: "AMMPt4UxxGTStncdq417YDwBFi8vpIa-pw8oOuVW4TA".into(),
            origin: "https://example.org".into(),
            cross_origin: Some(false),
            top_origin: None,
            other: vec![("extraData".into(), Json::String(EXTRA_DATA.into()))],
        }
    );
    assert_eq!(parsed.bytes, W3C_REGISTRATION.as_bytes());
}

#[test]
fn to_json_bytes_reproduces_the_w3c_client_data() {
    assert_eq!(
        w3c_authentication().to_json_bytes(),
        W3C_AUTHENTICATION.as_bytes()
    );
    let registration = parse(W3C_REGISTRATION).unwrap();
    assert_eq!(
        registration.data.to_json_bytes(),
        W3C_REGISTRATION.as_bytes()
    );
}

#[test]
fn to_members_puts_known_members_first() {
    let data = CollectedClientData {
        type_: "webauthn.create".into(),
        challenge: "AA".into(),
        origin: "https://a.example".into(),
        cross_origin: Some(true),
        top_origin: Some("https://top.example".into()),
        other: vec![("z".into(), Json::Null), ("a".into(), Json::from(1))],
    };
    let keys: Vec<String> = data.to_members().into_iter().map(|(key, _)| key).collect();
    assert_eq!(
        keys,
        [
            "type",
            "challenge",
            "origin",
            "crossOrigin",
            "topOrigin",
            "z",
            "a"
        ]
    );
    assert_eq!(
        String::from_utf8(data.to_json_bytes()).unwrap(),
        r#"{"type":"webauthn.create","challenge":"AA","origin":"https://a.example","crossOrigin":true,"topOrigin":"https://top.example","z":null,"a":1}"#
    );
}

#[test]
fn absent_optional_members_are_not_written() {
    let data = CollectedClientData {
        cross_origin: None,
        ..w3c_authentication()
    };
    assert_eq!(
        String::from_utf8(data.to_json_bytes()).unwrap(),
        r#"{"type":"webauthn.get","challenge":"OcDnUhQXulTUPo3JUXT0I97pvzzYBP9tZchXyav01Ag","origin":"https://example.org"}"#
    );
}

#[test]
fn strings_are_escaped_as_json() {
    let data = CollectedClientData {
        type_: "a\"b\\c\u{1}\n".into(),
        challenge: "\u{e9}".into(),
        origin: "/".into(),
        cross_origin: None,
        top_origin: None,
        other: vec![("k\"ey".into(), Json::String("\u{7f}".into()))],
    };
    let bytes = data.to_json_bytes();
    assert_eq!(
        String::from_utf8(bytes.clone()).unwrap(),
        "{\"type\":\"a\\\"b\\\\c\\u0001\\n\",\"challenge\":\"\u{e9}\",\"origin\":\"/\",\"k\\\"ey\":\"\u{7f}\"}"
    );
    assert_eq!(ClientDataJson::parse(&bytes).unwrap().data, data);
}

#[test]
fn cross_origin_and_top_origin() {
    let text = r#"{"type":"webauthn.get","challenge":"AA","origin":"https://rp.example","crossOrigin":true,"topOrigin":"https://top.example"}"#;
    let data = parse(text).unwrap().data;
    assert_eq!(data.cross_origin, Some(true));
    assert_eq!(data.top_origin.as_deref(), Some("https://top.example"));
    assert_eq!(data.other, vec![]);
    assert_eq!(data.to_json_bytes(), text.as_bytes());
}

#[test]
fn any_member_order_is_accepted() {
    let text = r#"{"origin":"https://example.org","other":[1,{"x":2}],"challenge":"AA","type":"webauthn.get"}"#;
    let data = parse(text).unwrap().data;
    assert_eq!(data.type_, "webauthn.get");
    assert_eq!(data.challenge, "AA");
    assert_eq!(data.origin, "https://example.org");
    assert_eq!(data.cross_origin, None);
    assert_eq!(
        data.other,
        vec![("other".into(), serde_json::json!([1, {"x": 2}]))]
    );
}

#[test]
fn whitespace_is_allowed_and_bytes_are_kept_exact() {
    let text = "\n { \"type\" : \"webauthn.get\",\t\"challenge\":\"AA\",\r\n\"origin\":\"o\" } \n";
    let parsed = parse(text).unwrap();
    assert_eq!(parsed.bytes, text.as_bytes());
    assert_eq!(parsed.data.origin, "o");
}

#[test]
fn byte_order_mark_is_stripped_for_parsing_but_kept_in_bytes() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(W3C_AUTHENTICATION.as_bytes());
    let parsed = ClientDataJson::parse(&bytes).unwrap();
    assert_eq!(parsed.data, w3c_authentication());
    assert_eq!(parsed.bytes, bytes);
}

#[test]
fn only_one_byte_order_mark_is_stripped() {
    let mut bytes = b"\xEF\xBB\xBF\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(W3C_AUTHENTICATION.as_bytes());
    assert!(matches!(
        ClientDataJson::parse(&bytes),
        Err(ClientDataError::NotJson { .. })
    ));
}

#[rstest]
#[case::lone_continuation(b"\x80".to_vec(), 0)]
#[case::in_a_string(b"{\"type\":\"\xff\"}".to_vec(), 9)]
#[case::cut_sequence(b"{\"type\":\"\xe6\xb0\"}".to_vec(), 9)]
#[case::overlong_slash(b"{\"origin\":\"\xc0\xaf\"}".to_vec(), 11)]
#[case::surrogate(b"{\"a\":\"\xed\xa0\x80\"}".to_vec(), 6)]
#[case::latin1(b"{\"origin\":\"caf\xe9\"}".to_vec(), 14)]
fn not_utf8(#[case] bytes: Vec<u8>, #[case] valid_up_to: usize) {
    assert_eq!(
        ClientDataJson::parse(&bytes),
        Err(ClientDataError::NotUtf8 { valid_up_to })
    );
}

/// The error message says "invalid byte at offset N" of clientDataJSON; with a BOM in front the
/// offset should count the BOM's three bytes too.
#[test]
fn not_utf8_offset_counts_the_byte_order_mark() {
    let bytes = b"\xEF\xBB\xBF{\xff}";
    assert_eq!(
        ClientDataJson::parse(bytes),
        Err(ClientDataError::NotUtf8 { valid_up_to: 4 })
    );
}

#[rstest]
#[case::empty("", "EOF while parsing a value at line 1 column 0")]
#[case::whitespace_only("  ", "EOF while parsing a value at line 1 column 2")]
#[case::open_brace("{", "EOF while parsing an object at line 1 column 1")]
#[case::missing_value(r#"{"type":}"#, "expected value at line 1 column 9")]
#[case::single_quotes("{'type':'webauthn.get'}", "key must be a string at line 1 column 2")]
#[case::trailing_comma(r#"{"type":"webauthn.get",}"#, "trailing comma at line 1 column 24")]
#[case::trailing_characters(
    r#"{"type":"t","challenge":"c","origin":"o"} x"#,
    "trailing characters at line 1 column 43"
)]
#[case::two_objects(r#"{}{}"#, "trailing characters at line 1 column 3")]
#[case::bare_word("webauthn", "expected value at line 1 column 1")]
#[case::unterminated_string(r#""abc"#, "EOF while parsing a string at line 1 column 4")]
fn not_json(#[case] text: &str, #[case] detail: &str) {
    assert_eq!(
        parse(text),
        Err(ClientDataError::NotJson {
            detail: detail.to_owned()
        })
    );
}

#[rstest]
#[case::array(
    "[]",
    "invalid type: sequence, expected a JSON object at line 1 column 0"
)]
#[case::string(
    r#""x""#,
    "invalid type: string \"x\", expected a JSON object at line 1 column 3"
)]
#[case::number(
    "1",
    "invalid type: integer `1`, expected a JSON object at line 1 column 1"
)]
#[case::null(
    "null",
    "invalid type: null, expected a JSON object at line 1 column 4"
)]
#[case::boolean(
    "true",
    "invalid type: boolean `true`, expected a JSON object at line 1 column 4"
)]
fn not_an_object(#[case] text: &str, #[case] detail: &str) {
    assert_eq!(
        parse(text),
        Err(ClientDataError::NotAnObject {
            detail: detail.to_owned()
        })
    );
}

/// "JSON, but not an object": text that is not JSON at all must be NotJson even when it starts
/// like an array.
#[rstest]
#[case::open_bracket("[")]
#[case::unclosed_array("[1,")]
#[case::array_then_garbage("[] x")]
fn broken_arrays_are_not_json(#[case] text: &str) {
    assert!(
        matches!(parse(text), Err(ClientDataError::NotJson { .. })),
        "{:?}",
        parse(text)
    );
}

#[rstest]
#[case::type_(
    r#"{"type":"webauthn.get","type":"webauthn.create","challenge":"AA","origin":"o"}"#,
    "type"
)]
#[case::challenge(
    r#"{"type":"t","challenge":"AA","challenge":"AA","origin":"o"}"#,
    "challenge"
)]
#[case::origin(r#"{"type":"t","challenge":"c","origin":"o","origin":"p"}"#, "origin")]
#[case::cross_origin(r#"{"crossOrigin":false,"crossOrigin":true}"#, "crossOrigin")]
#[case::unknown(r#"{"type":"t","challenge":"c","origin":"o","x":1,"x":1}"#, "x")]
#[case::empty_key(r#"{"":1,"":2}"#, "")]
#[case::escaped_spelling(r#"{"type":"t","typ\u0065":"u"}"#, "type")]
fn duplicate_members(#[case] text: &str, #[case] key: &str) {
    assert_eq!(
        parse(text),
        Err(ClientDataError::DuplicateMember {
            key: key.to_owned()
        })
    );
}

#[test]
fn duplicate_member_key_is_reported_whole() {
    assert_eq!(
        parse(r#"{"x at line 1":1,"x at line 1":2}"#),
        Err(ClientDataError::DuplicateMember {
            key: "x at line 1".to_owned()
        })
    );
}

#[test]
fn duplicates_inside_member_values_are_not_members() {
    // Only top-level members are checked; a nested object is an ordinary JSON value.
    let text = r#"{"type":"t","challenge":"c","origin":"o","ext":{"a":1,"b":2}}"#;
    assert_eq!(
        parse(text).unwrap().data.other,
        vec![("ext".into(), serde_json::json!({"a": 1, "b": 2}))]
    );
}

#[rstest]
#[case::type_(r#"{"challenge":"c","origin":"o"}"#, "type")]
#[case::challenge(r#"{"type":"webauthn.get","origin":"o"}"#, "challenge")]
#[case::origin(r#"{"type":"webauthn.get","challenge":"c"}"#, "origin")]
#[case::empty_object("{}", "type")]
#[case::wrong_case(r#"{"Type":"webauthn.get","challenge":"c","origin":"o"}"#, "type")]
fn missing_members(#[case] text: &str, #[case] member: &'static str) {
    assert_eq!(parse(text), Err(ClientDataError::MissingMember { member }));
}

#[rstest]
#[case::type_number(
    r#"{"type":1,"challenge":"c","origin":"o"}"#,
    ClientDataError::WrongMemberType { member: "type", expected: "a string", found: "a number" }
)]
#[case::challenge_array(
    r#"{"type":"t","challenge":[],"origin":"o"}"#,
    ClientDataError::WrongMemberType { member: "challenge", expected: "a string", found: "an array" }
)]
#[case::origin_object(
    r#"{"type":"t","challenge":"c","origin":{}}"#,
    ClientDataError::WrongMemberType { member: "origin", expected: "a string", found: "an object" }
)]
#[case::origin_null(
    r#"{"type":"t","challenge":"c","origin":null}"#,
    ClientDataError::WrongMemberType { member: "origin", expected: "a string", found: "null" }
)]
#[case::top_origin_bool(
    r#"{"type":"t","challenge":"c","origin":"o","topOrigin":true}"#,
    ClientDataError::WrongMemberType { member: "topOrigin", expected: "a string", found: "a boolean" }
)]
#[case::cross_origin_string(
    r#"{"type":"t","challenge":"c","origin":"o","crossOrigin":"false"}"#,
    ClientDataError::WrongMemberType { member: "crossOrigin", expected: "a boolean", found: "a string" }
)]
#[case::cross_origin_number(
    r#"{"type":"t","challenge":"c","origin":"o","crossOrigin":0}"#,
    ClientDataError::WrongMemberType { member: "crossOrigin", expected: "a boolean", found: "a number" }
)]
#[case::cross_origin_null(
    r#"{"type":"t","challenge":"c","origin":"o","crossOrigin":null}"#,
    ClientDataError::WrongMemberType { member: "crossOrigin", expected: "a boolean", found: "null" }
)]
// A mistyped member is reported even when a required member is also missing.
#[case::type_before_missing(
    r#"{"type":false}"#,
    ClientDataError::WrongMemberType { member: "type", expected: "a string", found: "a boolean" }
)]
fn wrong_member_types(#[case] text: &str, #[case] want: ClientDataError) {
    assert_eq!(parse(text), Err(want));
}

#[test]
fn members_to_json_writes_duplicates_as_given() {
    let members = vec![
        ("type".to_owned(), Json::String("webauthn.get".into())),
        ("type".to_owned(), Json::String("webauthn.create".into())),
    ];
    let bytes = members_to_json(&members);
    assert_eq!(
        bytes,
        br#"{"type":"webauthn.get","type":"webauthn.create"}"#
    );
    assert_eq!(
        ClientDataJson::parse(&bytes),
        Err(ClientDataError::DuplicateMember { key: "type".into() })
    );
    assert_eq!(members_to_json(&[]), b"{}");
}

#[rstest]
#[case::null(Json::Null, "null")]
#[case::boolean(Json::Bool(true), "a boolean")]
#[case::number(Json::from(1.5), "a number")]
#[case::string(Json::String(String::new()), "a string")]
#[case::array(Json::Array(vec![]), "an array")]
#[case::object(serde_json::json!({}), "an object")]
fn json_kinds(#[case] value: Json, #[case] kind: &str) {
    assert_eq!(json_kind(&value), kind);
}

#[test]
fn error_messages_cite_the_spec() {
    assert_eq!(
        ClientDataError::MissingMember { member: "origin" }.to_string(),
        "clientDataJSON has no \"origin\" (W3C L3 §5.8.1: type, challenge and origin are required)"
    );
    assert_eq!(
        ClientDataError::NotUtf8 { valid_up_to: 9 }.to_string(),
        "clientDataJSON is not valid UTF-8 (invalid byte at offset 9) (W3C L3 §7.1 step 5, §7.2 step 8)"
    );
}
