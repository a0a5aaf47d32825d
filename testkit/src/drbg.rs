//! Deterministic randomness: every "random" byte the harness makes comes from here.
//!
//! It follows the W3C test-vector scheme (W3C L3 §16, `#sctn-test-vectors`): each draw is
//! HKDF-SHA-256 with a fixed input keying material, an `info` label, and a salt that is a counter
//! (one byte while it fits, as the W3C generator does). Same seed, same draws, same bytes.

use hkdf::Hkdf;
use sha2::Sha256;

/// A deterministic byte source.
#[derive(Debug, Clone)]
pub struct Drbg {
    ikm: Vec<u8>,
    counter: u32,
}

/// HKDF-SHA-256 can expand at most 255 blocks of 32 bytes per call.
const MAX_EXPAND: usize = 255 * 32;

impl Drbg {
    /// A source keyed by raw input keying material (the W3C vectors use `b"WebAuthn test vectors"`).
    pub fn from_ikm(ikm: &[u8]) -> Self {
        Drbg {
            ikm: ikm.to_vec(),
            counter: 0,
        }
    }

    /// A source for one run: the user's seed and a label (for example a check ID), so that each
    /// check draws the same bytes whatever else runs beside it.
    pub fn for_label(seed: u64, label: &str) -> Self {
        let mut ikm = b"webauthn-conformance/".to_vec();
        ikm.extend_from_slice(&seed.to_be_bytes());
        ikm.push(b'/');
        ikm.extend_from_slice(label.as_bytes());
        Self::from_ikm(&ikm)
    }

    /// The next `len` bytes, labelled `info` (the W3C vectors label each draw).
    pub fn bytes(&mut self, info: &str, len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len);
        while out.len() < len {
            let salt = self.next_salt();
            let take = (len - out.len()).min(MAX_EXPAND);
            let mut block = vec![0u8; take];
            // `take` is at most MAX_EXPAND, the only way expand can fail.
            if Hkdf::<Sha256>::new(Some(&salt), &self.ikm)
                .expand(info.as_bytes(), &mut block)
                .is_ok()
            {
                out.extend_from_slice(&block);
            }
        }
        out
    }

    /// The next 32 bytes as an array.
    pub fn bytes32(&mut self, info: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(&self.bytes(info, 32));
        out
    }

    fn next_salt(&mut self) -> Vec<u8> {
        let counter = self.counter;
        self.counter = self.counter.wrapping_add(1);
        match u8::try_from(counter) {
            Ok(byte) => vec![byte],
            Err(_) => counter.to_be_bytes().to_vec(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_labels_separate() {
        let a = Drbg::for_label(7, "REG-CD-09").bytes("x", 64);
        let b = Drbg::for_label(7, "REG-CD-09").bytes("x", 64);
        let c = Drbg::for_label(7, "REG-CD-10").bytes("x", 64);
        let d = Drbg::for_label(8, "REG-CD-09").bytes("x", 64);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn reproduces_the_w3c_derivation() {
        // W3C L3 §16 (index.bs @146d0db), none.ES256: credential_private_key is
        // HKDF-SHA-256(IKM='WebAuthn test vectors', salt=h'01', info='none.ES256', L=32), the second
        // draw after the challenge (salt h'00').
        let mut drbg = Drbg::from_ikm(b"WebAuthn test vectors");
        let challenge = drbg.bytes("none.ES256", 32);
        let key = drbg.bytes("none.ES256", 32);
        assert_eq!(
            hex::encode(challenge),
            "00c30fb78531c464d2b6771dab8d7b603c01162f2fa486bea70f283ae556e130"
        );
        assert_eq!(
            hex::encode(key),
            "6e68e7a58484a3264f66b77f5d6dc5bc36a47085b615c9727ab334e8c369c2ee"
        );
    }

    #[test]
    fn long_draws_cross_the_hkdf_limit() {
        let mut drbg = Drbg::for_label(1, "long");
        assert_eq!(drbg.bytes("big", MAX_EXPAND + 10).len(), MAX_EXPAND + 10);
    }
}
