#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::codec::cbor::CborError;
use crate::codec::cose::{CoseAlgorithm, CoseKey, Curve};
use rstest::rstest;

// Test vectors from the W3C WebAuthn L3 editor's draft (index.bs @146d0db), §16 "Test
// Vectors", `none.ES256`.
const RP_ID_HASH: &str = "bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b5";
const AAGUID: &str = "8446ccb9ab1db374750b2367ff6f3a1f";
const CREDENTIAL_ID: &str = "f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4";
const COSE_KEY: &str = concat!(
    "a5",                                                                     // map(5)
    "0102",                                                                   // kty: EC2
    "0326",                                                                   // alg: ES256
    "2001",                                                                   // crv: P-256
    "215820afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61", // x
    "225820930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220", // y
);
/// Registration authenticator data (164 bytes).
const W3C_REGISTRATION: &str = concat!(
    "bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b5", // rpIdHash
    "59",                                                               // flags: UP|BE|BS|AT
    "00000000",                                                         // signCount: 0
    "8446ccb9ab1db374750b2367ff6f3a1f",                                 // aaguid
    "0020",                                                             // credentialIdLength: 32
    "f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4", // credentialId
    "a5010203262001215820afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61",
    "225820930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220", // COSE key
);
/// Authentication authenticator data (37 bytes).
const W3C_AUTHENTICATION: &str = concat!(
    "bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b5", // rpIdHash
    "19",                                                               // flags: UP|BE|BS
    "00000000",                                                         // signCount: 0
);

fn h(text: &str) -> Vec<u8> {
    hex::decode(text).expect("test hex is valid")
}

fn rp_id_hash() -> [u8; 32] {
    h(RP_ID_HASH).try_into().unwrap()
}

fn aaguid() -> [u8; 16] {
    h(AAGUID).try_into().unwrap()
}

/// The 37-byte header with the given flags and a sign count of 7.
fn header(flags: u8) -> Vec<u8> {
    let mut out = h(RP_ID_HASH);
    out.push(flags);
    out.extend_from_slice(&7u32.to_be_bytes());
    out
}

/// aaguid | credentialIdLength | credentialId (of `id_len` bytes 0x11) | the W3C COSE key.
fn attested(id_len: u16) -> Vec<u8> {
    let mut out = h(AAGUID);
    out.extend_from_slice(&id_len.to_be_bytes());
    out.extend(std::iter::repeat_n(0x11, usize::from(id_len)));
    out.extend(h(COSE_KEY));
    out
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// {"credProtect": 2}, 14 bytes.
const CRED_PROTECT: &str = concat!("a1", "6b", "6372656450726f74656374", "02");

#[test]
fn w3c_registration_auth_data_parses() {
    let bytes = h(W3C_REGISTRATION);
    assert_eq!(bytes.len(), 164);
    let parsed = AuthenticatorData::parse(&bytes).unwrap();
    assert_eq!(parsed.rp_id_hash, rp_id_hash());
    assert_eq!(parsed.flags, Flags(0x59));
    assert_eq!(parsed.flags.describe(), "UP|BE|BS|AT");
    assert_eq!(parsed.sign_count, 0);
    let acd = parsed.attested_credential_data.as_ref().unwrap();
    assert_eq!(acd.aaguid, aaguid());
    assert_eq!(acd.credential_id.len(), 32);
    assert_eq!(acd.credential_id, h(CREDENTIAL_ID));
    assert_eq!(acd.credential_public_key, h(COSE_KEY));
    assert_eq!(parsed.extensions, None);
    assert_eq!(parsed.trailing, Vec::<u8>::new());
    assert_eq!(parsed.to_bytes(), bytes);
}

#[test]
fn w3c_registration_key_is_the_es256_key() {
    let parsed = AuthenticatorData::parse(&h(W3C_REGISTRATION)).unwrap();
    let key = CoseKey::from_cbor(
        &parsed
            .attested_credential_data
            .unwrap()
            .credential_public_key,
    )
    .unwrap();
    assert!(matches!(
        key,
        CoseKey::Ec2 {
            alg: CoseAlgorithm::Es256,
            crv: Curve::P256,
            ..
        }
    ));
}

#[test]
fn w3c_authentication_auth_data_parses() {
    let bytes = h(W3C_AUTHENTICATION);
    assert_eq!(
        AuthenticatorData::parse(&bytes),
        Ok(AuthenticatorData {
            rp_id_hash: rp_id_hash(),
            flags: Flags(0x19),
            sign_count: 0,
            attested_credential_data: None,
            extensions: None,
            trailing: vec![],
        })
    );
    assert_eq!(AuthenticatorData::parse(&bytes).unwrap().to_bytes(), bytes);
}

#[test]
fn sign_count_is_big_endian() {
    let mut bytes = h(RP_ID_HASH);
    bytes.extend_from_slice(&[0x01, 0x01, 0x02, 0x03, 0x04]);
    let parsed = AuthenticatorData::parse(&bytes).unwrap();
    assert_eq!(parsed.sign_count, 0x0102_0304);
    assert_eq!(parsed.flags, Flags::default().with(Flags::UP));
}

#[test]
fn reserved_flag_bits_are_kept() {
    let bytes = header(Flags::RFU1 | Flags::RFU2 | Flags::UP);
    let parsed = AuthenticatorData::parse(&bytes).unwrap();
    assert_eq!(parsed.flags, Flags(0x23));
    assert_eq!(parsed.flags.describe(), "UP|RFU1|RFU2");
    assert_eq!(parsed.to_bytes(), bytes);
}

#[rstest]
#[case::empty(0)]
#[case::one(1)]
#[case::rp_id_hash_only(32)]
#[case::no_counter(33)]
#[case::one_short(36)]
fn too_short(#[case] len: usize) {
    assert_eq!(
        AuthenticatorData::parse(&vec![0; len]),
        Err(AuthDataError::TooShort { found: len })
    );
}

#[rstest]
// AT set, nothing after the header.
#[case::no_aaguid(0, AuthDataError::TruncatedAttestedCredentialData { offset: 37, needed: 18, available: 0 })]
#[case::half_aaguid(8, AuthDataError::TruncatedAttestedCredentialData { offset: 37, needed: 18, available: 8 })]
#[case::no_length(16, AuthDataError::TruncatedAttestedCredentialData { offset: 53, needed: 2, available: 0 })]
#[case::half_length(17, AuthDataError::TruncatedAttestedCredentialData { offset: 53, needed: 2, available: 1 })]
#[case::no_credential_id(18, AuthDataError::TruncatedAttestedCredentialData { offset: 55, needed: 32, available: 0 })]
#[case::short_credential_id(18 + 31, AuthDataError::TruncatedAttestedCredentialData { offset: 55, needed: 32, available: 31 })]
#[case::no_public_key(18 + 32, AuthDataError::TruncatedAttestedCredentialData { offset: 87, needed: 1, available: 0 })]
fn truncated_attested_credential_data(#[case] keep: usize, #[case] want: AuthDataError) {
    let bytes = cat(&[&header(Flags::UP | Flags::AT), &attested(32)[..keep]]);
    assert_eq!(AuthenticatorData::parse(&bytes), Err(want));
}

#[test]
fn truncated_public_key_is_a_cbor_error() {
    // The W3C registration data cut one byte short: the key's y is 31 bytes.
    let bytes = h(W3C_REGISTRATION);
    assert_eq!(
        AuthenticatorData::parse(&bytes[..163]),
        Err(AuthDataError::CredentialPublicKey {
            offset: 87,
            source: CborError::LengthExceedsInput {
                offset: 43,
                declared: 32,
                remaining: 31
            }
        })
    );
}

#[rstest]
#[case::just_over(1024)]
#[case::max_u16(0xffff)]
fn credential_id_too_long(#[case] id_len: u16) {
    // The length alone is enough: the parser does not look for the bytes.
    let mut bytes = cat(&[&header(Flags::UP | Flags::AT), &h(AAGUID)]);
    bytes.extend_from_slice(&id_len.to_be_bytes());
    assert_eq!(
        AuthenticatorData::parse(&bytes),
        Err(AuthDataError::CredentialIdTooLong {
            found: usize::from(id_len)
        })
    );
    // ... and with them it is still refused.
    let full = cat(&[&header(Flags::UP | Flags::AT), &attested(id_len)]);
    assert_eq!(
        AuthenticatorData::parse(&full),
        Err(AuthDataError::CredentialIdTooLong {
            found: usize::from(id_len)
        })
    );
}

#[rstest]
#[case::empty(0)]
#[case::one(1)]
#[case::max(1023)]
fn credential_id_lengths_up_to_1023_are_accepted(#[case] id_len: u16) {
    let bytes = cat(&[&header(Flags::UP | Flags::AT), &attested(id_len)]);
    let parsed = AuthenticatorData::parse(&bytes).unwrap();
    let acd = parsed.attested_credential_data.as_ref().unwrap();
    assert_eq!(acd.credential_id, vec![0x11; usize::from(id_len)]);
    assert_eq!(acd.credential_public_key, h(COSE_KEY));
    assert_eq!(parsed.to_bytes(), bytes);
}

#[test]
fn a_larger_maximum_accepts_1024() {
    let bytes = cat(&[&header(Flags::UP | Flags::AT), &attested(1024)]);
    let options = ParseOptions {
        max_credential_id_len: 2048,
        ..ParseOptions::default()
    };
    let parsed = AuthenticatorData::parse_with(&bytes, options).unwrap();
    assert_eq!(
        parsed.attested_credential_data.unwrap().credential_id.len(),
        1024
    );
    // A smaller maximum is enforced too.
    let tight = ParseOptions {
        max_credential_id_len: 16,
        ..ParseOptions::default()
    };
    assert_eq!(
        AuthenticatorData::parse_with(&h(W3C_REGISTRATION), tight),
        Err(AuthDataError::CredentialIdTooLong { found: 32 })
    );
}

#[test]
fn default_parse_options() {
    assert_eq!(
        ParseOptions::default(),
        ParseOptions {
            max_credential_id_len: 1023,
            allow_trailing_bytes: false,
            attested_data_without_at: false
        }
    );
    assert_eq!(MAX_CREDENTIAL_ID_LEN, 1023);
}

#[rstest]
#[case::break_byte("ff", CborError::UnexpectedBreak { offset: 0 })]
#[case::reserved("1c", CborError::Malformed { offset: 0 })]
#[case::indefinite_map(concat!("bf", "01", "02", "ff"), CborError::IndefiniteLength { offset: 0, item: "map" })]
#[case::duplicate_label(
    concat!("a2", "01", "02", "01", "02"),
    CborError::DuplicateMapKey { offset: 0, key: "int 1".into() }
)]
#[case::map_cut_short(concat!("a5", "01", "02"), CborError::LengthExceedsInput { offset: 0, declared: 10, remaining: 2 })]
#[case::truncated_argument(concat!("19", "01"), CborError::Truncated { offset: 0 })]
fn bad_public_key_cbor(#[case] key: &str, #[case] source: CborError) {
    let mut bytes = header(Flags::UP | Flags::AT);
    bytes.extend(h(AAGUID));
    bytes.extend([0x00, 0x02, 0xaa, 0xbb]);
    bytes.extend(h(key));
    assert_eq!(
        AuthenticatorData::parse(&bytes),
        Err(AuthDataError::CredentialPublicKey { offset: 57, source })
    );
}

#[test]
fn public_key_is_kept_as_bytes_not_checked_as_cose() {
    // Any single CBOR item is taken as the key here; COSE checks belong to CoseKey.
    let bytes = cat(&[&header(Flags::AT), &h(AAGUID), &[0x00, 0x00], &[0x01]]);
    let parsed = AuthenticatorData::parse(&bytes).unwrap();
    assert_eq!(
        parsed
            .attested_credential_data
            .unwrap()
            .credential_public_key,
        vec![0x01]
    );
}

#[test]
fn extensions_are_read_when_ed_is_set() {
    let bytes = cat(&[&header(Flags::UP | Flags::ED), &h(CRED_PROTECT)]);
    let parsed = AuthenticatorData::parse(&bytes).unwrap();
    assert_eq!(parsed.attested_credential_data, None);
    assert_eq!(parsed.extensions, Some(h(CRED_PROTECT)));
    assert_eq!(parsed.to_bytes(), bytes);
}

#[test]
fn attested_credential_data_and_extensions() {
    let bytes = cat(&[
        &header(Flags::UP | Flags::AT | Flags::ED),
        &attested(32),
        &h(CRED_PROTECT),
    ]);
    let parsed = AuthenticatorData::parse(&bytes).unwrap();
    assert_eq!(
        parsed.attested_credential_data,
        Some(AttestedCredentialData {
            aaguid: aaguid(),
            credential_id: vec![0x11; 32],
            credential_public_key: h(COSE_KEY),
        })
    );
    assert_eq!(parsed.extensions, Some(h(CRED_PROTECT)));
    assert_eq!(parsed.sign_count, 7);
    assert_eq!(parsed.to_bytes(), bytes);
}

#[test]
fn empty_extensions_map_is_accepted() {
    let bytes = cat(&[&header(Flags::ED), &[0xa0]]);
    assert_eq!(
        AuthenticatorData::parse(&bytes).unwrap().extensions,
        Some(vec![0xa0])
    );
}

#[rstest]
#[case::header_only(header(Flags::UP | Flags::ED), 37)]
#[case::after_attested_data(cat(&[&header(Flags::UP | Flags::AT | Flags::ED), &attested(32)]), 37 + 18 + 32 + 77)]
fn ed_without_extensions(#[case] bytes: Vec<u8>, #[case] offset: usize) {
    assert_eq!(
        AuthenticatorData::parse(&bytes),
        Err(AuthDataError::MissingExtensions { offset })
    );
}

#[rstest]
#[case::integer("01", "found integer")]
#[case::array(concat!("81", "01"), "found array")]
#[case::text(concat!("61", "61"), "found text string")]
#[case::break_byte("ff", "unexpected break (0xff) at byte 0")]
#[case::indefinite_map(
    concat!("bf", "ff"),
    "indefinite-length map at byte 0; WebAuthn CBOR must use definite lengths (W3C L3 §6.5.4, CTAP2 canonical CBOR)"
)]
#[case::duplicate_key(
    concat!("a2", "61", "61", "01", "61", "61", "02"),
    "duplicate map key text \"a\" in the map at byte 0"
)]
#[case::truncated_map(concat!("a1", "61", "61"), "input ends inside a CBOR item (at byte 3)")]
fn ed_with_bad_extensions(#[case] extensions: &str, #[case] detail: &str) {
    let bytes = cat(&[&header(Flags::UP | Flags::ED), &h(extensions)]);
    assert_eq!(
        AuthenticatorData::parse(&bytes),
        Err(AuthDataError::BadExtensions {
            offset: 37,
            detail: detail.to_owned()
        })
    );
}

#[test]
fn bad_extensions_after_attested_data_report_their_offset() {
    let bytes = cat(&[&header(Flags::AT | Flags::ED), &attested(0), &[0x01]]);
    assert_eq!(
        AuthenticatorData::parse(&bytes),
        Err(AuthDataError::BadExtensions {
            offset: 37 + 18 + 77,
            detail: "found integer".to_owned()
        })
    );
}

#[rstest]
#[case::after_header(
    cat(&[&header(Flags::UP), &[0x00]]),
    AuthDataError::TrailingBytes { offset: 37, count: 1, after: "the 37-byte header", flags: "UP".into() }
)]
#[case::extensions_without_ed(
    cat(&[&header(Flags::UP | Flags::UV), &h(CRED_PROTECT)]),
    AuthDataError::TrailingBytes { offset: 37, count: 14, after: "the 37-byte header", flags: "UP|UV".into() }
)]
#[case::attested_data_without_at(
    cat(&[&header(0), &attested(32)]),
    AuthDataError::TrailingBytes { offset: 37, count: 18 + 32 + 77, after: "the 37-byte header", flags: "none".into() }
)]
#[case::after_attested_data(
    cat(&[&h(W3C_REGISTRATION), &[0xde, 0xad]]),
    AuthDataError::TrailingBytes { offset: 164, count: 2, after: "the attested credential data", flags: "UP|BE|BS|AT".into() }
)]
#[case::extensions_after_attested_data_without_ed(
    cat(&[&h(W3C_REGISTRATION), &h(CRED_PROTECT)]),
    AuthDataError::TrailingBytes { offset: 164, count: 14, after: "the attested credential data", flags: "UP|BE|BS|AT".into() }
)]
#[case::after_extensions(
    cat(&[&header(Flags::UP | Flags::ED), &h(CRED_PROTECT), &[0x00]]),
    AuthDataError::TrailingBytes { offset: 51, count: 1, after: "the extensions map", flags: "UP|ED".into() }
)]
#[case::second_extensions_map(
    cat(&[&header(Flags::AT | Flags::ED), &attested(0), &h(CRED_PROTECT), &h(CRED_PROTECT)]),
    AuthDataError::TrailingBytes {
        offset: 37 + 18 + 77 + 14,
        count: 14,
        after: "the extensions map",
        flags: "AT|ED".into(),
    }
)]
fn trailing_bytes(#[case] bytes: Vec<u8>, #[case] want: AuthDataError) {
    assert_eq!(AuthenticatorData::parse(&bytes), Err(want));
}

#[rstest]
#[case::after_header(cat(&[&header(Flags::UP), &[0x00]]), vec![0x00])]
#[case::after_attested_data(cat(&[&h(W3C_REGISTRATION), &[0xde, 0xad]]), vec![0xde, 0xad])]
#[case::after_extensions(cat(&[&header(Flags::ED), &h(CRED_PROTECT), &[0xa0]]), vec![0xa0])]
fn allow_trailing_bytes_keeps_them(#[case] bytes: Vec<u8>, #[case] trailing: Vec<u8>) {
    let options = ParseOptions {
        allow_trailing_bytes: true,
        ..ParseOptions::default()
    };
    let parsed = AuthenticatorData::parse_with(&bytes, options).unwrap();
    assert_eq!(parsed.trailing, trailing);
    assert_eq!(parsed.to_bytes(), bytes);
}

#[test]
fn encoder_writes_fields_as_they_are() {
    // A mutation: attested credential data present but AT cleared. The encoder writes both
    // as told, and the strict parser then sees the data as trailing bytes.
    let mut data = AuthenticatorData::parse(&h(W3C_REGISTRATION)).unwrap();
    data.flags = data.flags.without(Flags::AT);
    let bytes = data.to_bytes();
    let mut want = h(W3C_REGISTRATION);
    want[32] = 0x19;
    assert_eq!(bytes, want);
    assert_eq!(
        AuthenticatorData::parse(&bytes),
        Err(AuthDataError::TrailingBytes {
            offset: 37,
            count: 127,
            after: "the 37-byte header",
            flags: "UP|BE|BS".into()
        })
    );
}

#[test]
fn encoder_writes_trailing_bytes() {
    let data = AuthenticatorData {
        rp_id_hash: [0xaa; 32],
        flags: Flags(Flags::UP),
        sign_count: 0xdead_beef,
        attested_credential_data: None,
        extensions: None,
        trailing: vec![1, 2, 3],
    };
    let mut want = vec![0xaa; 32];
    want.extend([0x01, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3]);
    assert_eq!(data.to_bytes(), want);
}

#[rstest]
#[case::none(0x00, "none")]
#[case::up(0x01, "UP")]
#[case::rfu1(0x02, "RFU1")]
#[case::uv(0x04, "UV")]
#[case::be(0x08, "BE")]
#[case::bs(0x10, "BS")]
#[case::rfu2(0x20, "RFU2")]
#[case::at(0x40, "AT")]
#[case::ed(0x80, "ED")]
#[case::up_uv(0x05, "UP|UV")]
#[case::w3c_registration(0x59, "UP|BE|BS|AT")]
#[case::w3c_authentication(0x19, "UP|BE|BS")]
#[case::all(0xff, "UP|RFU1|UV|BE|BS|RFU2|AT|ED")]
fn flags_describe(#[case] byte: u8, #[case] want: &str) {
    assert_eq!(Flags(byte).describe(), want);
}

#[test]
fn flags_has_with_without() {
    let flags = Flags(Flags::UP | Flags::UV);
    assert!(flags.has(Flags::UP));
    assert!(flags.has(Flags::UP | Flags::UV));
    assert!(!flags.has(Flags::UP | Flags::AT));
    assert!(flags.has(0));
    assert_eq!(flags.with(Flags::AT), Flags(0x45));
    assert_eq!(flags.without(Flags::UP), Flags(Flags::UV));
    assert_eq!(flags.without(Flags::ED), flags);
    assert_eq!(Flags::default(), Flags(0));
}

#[test]
fn error_messages() {
    assert_eq!(
        AuthDataError::TrailingBytes {
            offset: 37,
            count: 1,
            after: "the 37-byte header",
            flags: "UP".into()
        }
        .to_string(),
        "1 unexpected byte(s) at offset 37 after the 37-byte header (W3C L3 §6.1; flags UP)"
    );
    assert_eq!(
        AuthDataError::CredentialIdTooLong { found: 1024 }.to_string(),
        "credentialIdLength is 1024, above the maximum of 1023 (W3C L3 §6.5.1; §7.1 step 25)"
    );
}

/// The lenient reading the `RegIgnoreAttestedDataFlag` mutant uses: attested credential data
/// after the header is read with AT clear, and only then.
#[test]
fn attested_data_without_at_is_read_only_when_asked() {
    // UP set, AT clear, attested credential data following anyway.
    let bytes = cat(&[&header(Flags::UP), &attested(16)]);
    assert!(AuthenticatorData::parse(&bytes).is_err());
    let lenient = ParseOptions {
        attested_data_without_at: true,
        ..ParseOptions::default()
    };
    let parsed = AuthenticatorData::parse_with(&bytes, lenient).expect("lenient parse");
    assert!(parsed.attested_credential_data.is_some());
    assert!(!parsed.flags.has(Flags::AT));
    let header_only = &bytes[..37];
    let parsed = AuthenticatorData::parse_with(header_only, lenient).expect("header only");
    assert!(parsed.attested_credential_data.is_none());
}
