#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use super::*;
// W3C WebAuthn L3 §16 test vector none.ES256 (w3c/webauthn index.bs @146d0db), registration authData.
const NONE_ES256: &str = "bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b559000000008446ccb9ab1db374750b2367ff6f3a1f0020f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4a5010203262001215820afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61225820930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220";

#[test]
fn parses_the_w3c_vector_and_reencodes_it() {
    let bytes = hex::decode(NONE_ES256).unwrap();
    let data = AuthenticatorData::parse(&bytes).unwrap();
    assert_eq!(data.flags, Flags(0x59));
    assert_eq!(data.flags.describe(), "UP|BE|BS|AT");
    assert_eq!(data.sign_count, 0);
    let acd = data.attested_credential_data.as_ref().unwrap();
    assert_eq!(hex::encode(acd.aaguid), "8446ccb9ab1db374750b2367ff6f3a1f");
    assert_eq!(acd.credential_id.len(), 32);
    assert_eq!(data.to_bytes(), bytes);
}

fn header(flags: u8) -> Vec<u8> {
    let mut out = vec![0xab; 32];
    out.push(flags);
    out.extend_from_slice(&7u32.to_be_bytes());
    out
}

#[test]
fn errors_name_what_was_found() {
    assert_eq!(
        AuthenticatorData::parse(&[0; 36]),
        Err(AuthDataError::TooShort { found: 36 })
    );
    assert_eq!(
        AuthenticatorData::parse(&header(Flags::AT)),
        Err(AuthDataError::TruncatedAttestedCredentialData {
            offset: 37,
            needed: 18,
            available: 0
        })
    );
    let mut long_id = header(Flags::AT);
    long_id.extend_from_slice(&[0; 16]);
    long_id.extend_from_slice(&1024u16.to_be_bytes());
    assert_eq!(
        AuthenticatorData::parse(&long_id),
        Err(AuthDataError::CredentialIdTooLong { found: 1024 })
    );
    assert_eq!(
        AuthenticatorData::parse(&header(Flags::ED)),
        Err(AuthDataError::MissingExtensions { offset: 37 })
    );
    let mut not_map = header(Flags::ED);
    not_map.push(0x01);
    assert!(matches!(
        AuthenticatorData::parse(&not_map),
        Err(AuthDataError::BadExtensions { offset: 37, .. })
    ));
    let mut trailing = header(Flags::UP);
    trailing.extend_from_slice(&[1, 2]);
    assert_eq!(
        AuthenticatorData::parse(&trailing),
        Err(AuthDataError::TrailingBytes {
            offset: 37,
            count: 2,
            after: "the 37-byte header",
            flags: "UP".into()
        })
    );
    let lenient = ParseOptions {
        allow_trailing_bytes: true,
        ..ParseOptions::default()
    };
    assert_eq!(
        AuthenticatorData::parse_with(&trailing, lenient)
            .unwrap()
            .trailing,
        vec![1, 2]
    );
}

#[test]
fn credential_id_of_1023_is_the_limit() {
    let data = AuthenticatorData {
        rp_id_hash: [1; 32],
        flags: Flags(Flags::UP | Flags::AT),
        sign_count: 1,
        attested_credential_data: Some(AttestedCredentialData {
            aaguid: [0; 16],
            credential_id: vec![9; 1023],
            credential_public_key: vec![0xa0],
        }),
        extensions: None,
        trailing: Vec::new(),
    };
    assert_eq!(AuthenticatorData::parse(&data.to_bytes()), Ok(data.clone()));
    let mut longer = data;
    if let Some(acd) = &mut longer.attested_credential_data {
        acd.credential_id.push(9);
    }
    assert_eq!(
        AuthenticatorData::parse(&longer.to_bytes()),
        Err(AuthDataError::CredentialIdTooLong { found: 1024 })
    );
}
