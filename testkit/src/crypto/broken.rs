//! Deliberately broken signature encodings, for negative checks: each is one way a lenient RP
//! verifier has been fooled. They are pure functions on bytes.
//!
//! W3C L3 §6.5.5 (`#sctn-signature-attestation-types`): an ECDSA signature is an ASN.1 DER
//! Ecdsa-Sig-Value (RFC 3279 §2.2.3), `SEQUENCE { r INTEGER, s INTEGER }`; an RSA signature is
//! the raw octet string of the modulus' length (RFC 8017 §8.1.1, §8.2.1).

/// ASN.1 tags used here.
const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const OCTET_STRING: u8 = 0x04;

/// Coordinate widths of the curves WebAuthn uses for ECDSA (P-256, P-384, P-521).
const ECDSA_WIDTHS: [usize; 3] = [32, 48, 66];

/// The fixed-width `r ‖ s` form (IEEE P1363, as WebCrypto and JOSE use) of a DER ECDSA
/// signature. WebAuthn requires DER, so an RP must refuse this as malformed (§6.5.5).
///
/// Each half is as wide as the smallest P-256/P-384/P-521 coordinate that holds both r and s:
/// the curve is read off the integers' sizes, which is right except with probability about
/// 2^-128 (both r and s of a P-384 or P-521 signature that short). `None` if `der` is not a
/// SEQUENCE of exactly two non-negative INTEGERs, or an integer is wider than 66 bytes.
pub fn ecdsa_der_to_raw(der: &[u8]) -> Option<Vec<u8>> {
    let (r, s) = ecdsa_integers(der)?;
    let (r, s) = (unsigned(r)?, unsigned(s)?);
    let width = ECDSA_WIDTHS
        .into_iter()
        .find(|width| *width >= r.len().max(s.len()))?;
    let mut raw = vec![0u8; 2 * width];
    raw[width - r.len()..width].copy_from_slice(r);
    raw[2 * width - s.len()..].copy_from_slice(s);
    Some(raw)
}

/// A valid DER signature with one extra byte after the SEQUENCE. DER has exactly one encoding
/// per value (X.690 §10), so trailing data makes it not a DER Ecdsa-Sig-Value (§6.5.5); a
/// go-webauthn advisory was a verifier that accepted such non-canonical signatures.
pub fn der_with_trailing_bytes(der: &[u8]) -> Vec<u8> {
    let mut out = der.to_vec();
    out.push(0x00);
    out
}

/// The same r and s, with r given one redundant leading 0x00 octet (lengths fixed up): valid
/// BER but not DER, whose INTEGERs must use the fewest octets (X.690 §8.3.2). `None` if `der` is
/// not a SEQUENCE of exactly two INTEGERs.
pub fn der_with_non_minimal_integer(der: &[u8]) -> Option<Vec<u8>> {
    let (r, s) = ecdsa_integers(der)?;
    let mut padded_r = vec![0x00];
    padded_r.extend_from_slice(r);
    let mut body = tlv(INTEGER, &padded_r);
    body.extend_from_slice(&tlv(INTEGER, s));
    Some(tlv(SEQUENCE, &body))
}

/// DER of r = 0, s = 0. ECDSA requires 1 <= r, s <= n - 1 (SEC 1 §4.1.4 step 1); a verifier
/// that skips this accepts it for every key and message (CVE-2022-21449, "psychic signatures").
pub fn ecdsa_zero_signature() -> Vec<u8> {
    vec![SEQUENCE, 0x06, INTEGER, 0x01, 0x00, INTEGER, 0x01, 0x00]
}

/// An RSA signature one octet longer than the modulus (a leading 0x00): the same integer, but
/// RFC 8017 §8.2.2 step 1 requires exactly k octets.
pub fn rsa_signature_wrong_length(signature: &[u8]) -> Vec<u8> {
    let mut out = vec![0x00];
    out.extend_from_slice(signature);
    out
}

/// An RSA signature wrapped as `SEQUENCE { OCTET STRING signature }`, DigestInfo-like: WebAuthn
/// RSA signatures are the raw octet string, with no ASN.1 around them (§6.5.5).
pub fn rsa_signature_der_wrapped(signature: &[u8]) -> Vec<u8> {
    tlv(SEQUENCE, &tlv(OCTET_STRING, signature))
}

/// How a lenient, BER-accepting verifier reads an ECDSA signature: the magnitudes of r and s of
/// a leading `SEQUENCE { INTEGER, INTEGER }`, with anything after the SEQUENCE ignored and
/// redundant leading zeros dropped. The reference RP's `sig_accept_ber_ecdsa` mutant reads
/// signatures this way, to prove that the checks sending such signatures can fail.
pub fn lenient_ecdsa_integers(ber: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (SEQUENCE, body, _ignored) = read_tlv(ber)? else {
        return None;
    };
    let (INTEGER, r, rest) = read_tlv(body)? else {
        return None;
    };
    let (INTEGER, s, _) = read_tlv(rest)? else {
        return None;
    };
    Some((unsigned(r)?.to_vec(), unsigned(s)?.to_vec()))
}

/// How a lenient verifier reads an RSA signature: the content of a `SEQUENCE { OCTET STRING }`
/// wrapper if there is one, and leading zero octets beyond `modulus_len` dropped (the reference
/// RP's `sig_accept_lenient_rsa` mutant).
pub fn lenient_rsa_signature(signature: &[u8], modulus_len: usize) -> Vec<u8> {
    let mut out = match read_tlv(signature) {
        Some((SEQUENCE, body, [])) => match read_tlv(body) {
            Some((OCTET_STRING, inner, [])) => inner,
            _ => signature,
        },
        _ => signature,
    };
    while out.len() > modulus_len && out.first() == Some(&0) {
        out = &out[1..];
    }
    out.to_vec()
}

/// The contents of r and s if `der` is exactly `SEQUENCE { INTEGER, INTEGER }`.
fn ecdsa_integers(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (SEQUENCE, body, []) = read_tlv(der)? else {
        return None;
    };
    let (INTEGER, r, rest) = read_tlv(body)? else {
        return None;
    };
    let (INTEGER, s, []) = read_tlv(rest)? else {
        return None;
    };
    Some((r, s))
}

/// A non-negative INTEGER's magnitude without leading zeros; `None` if negative or empty.
fn unsigned(content: &[u8]) -> Option<&[u8]> {
    if content.first().is_none_or(|first| *first >= 0x80) {
        return None;
    }
    let start = content
        .iter()
        .position(|byte| *byte != 0)
        .unwrap_or(content.len());
    content.get(start..)
}

/// One tag-length-value at the start of `bytes`: (tag, content, rest). Definite lengths of up to
/// two length octets, which covers every signature here.
fn read_tlv(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 2 {
            return None;
        }
        let (len_bytes, rest) = rest.split_at_checked(count)?;
        let len = len_bytes
            .iter()
            .fold(0usize, |acc, byte| (acc << 8) | usize::from(*byte));
        (len, rest)
    };
    let (content, rest) = rest.split_at_checked(len)?;
    Some((tag, content, rest))
}

/// A tag-length-value with the length in the fewest octets (X.690 §10.1).
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let octets: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|byte| *byte == 0)
            .collect();
        out.push(0x80 | octets.len() as u8);
        out.extend_from_slice(&octets);
    }
    out.extend_from_slice(content);
    out
}
