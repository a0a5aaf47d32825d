use super::*;
use rstest::rstest;

#[rstest]
#[case::empty("", &[])]
#[case::one_byte("AA", &[0])]
#[case::two_bytes("AAE", &[0, 1])]
#[case::three_bytes("AAEC", &[0, 1, 2])]
#[case::url_alphabet("-_8", &[0xfb, 0xff])]
fn decodes_canonical_input(#[case] text: &str, #[case] bytes: &[u8]) {
    assert_eq!(decode(text).as_deref(), Ok(bytes));
    assert_eq!(encode(bytes), text);
}

#[rstest]
#[case::padding("AA==", Base64UrlError::Padding { offset: 2 })]
#[case::plus("+w", Base64UrlError::InvalidCharacter { offset: 0, found: '+' })]
#[case::slash("A/", Base64UrlError::InvalidCharacter { offset: 1, found: '/' })]
#[case::space("AA AA", Base64UrlError::InvalidCharacter { offset: 2, found: ' ' })]
#[case::newline("AA\nAA", Base64UrlError::InvalidCharacter { offset: 2, found: '\n' })]
#[case::dangling("AAAAA", Base64UrlError::InvalidLength { len: 5 })]
#[case::trailing_bits("AB", Base64UrlError::NonCanonical { found: 'B' })]
#[case::non_ascii("AÄ", Base64UrlError::InvalidCharacter { offset: 1, found: 'Ä' })]
fn rejects_what_webauthn_forbids(#[case] text: &str, #[case] want: Base64UrlError) {
    assert_eq!(decode(text), Err(want));
}
