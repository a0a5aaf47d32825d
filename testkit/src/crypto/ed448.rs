//! Ed448 signature verification: RFC 8032 §5.2 "pure" Ed448 with an empty context, for credential
//! keys with COSE alg Ed448 (-53, RFC 9864) and crv Ed448 (7), as in the W3C L3 §16
//! `packed.Ed448` vector. Verification only (the virtual authenticator never makes Ed448 keys),
//! by `ed448-goldilocks-plus`.

use ed448_goldilocks_plus::{Signature, VerifyingKey};

/// Length of an encoded point (public key, R): 57 octets.
pub const KEY_LEN: usize = 57;
/// Length of a signature, R ‖ S: 114 octets.
pub const SIGNATURE_LEN: usize = 114;

/// Why an Ed448 signature does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ed448Error {
    /// The public key is not 57 octets or not the encoding of a curve point (§5.2.3).
    InvalidPublicKey,
    /// The signature is not 114 octets, R is not a point, or S ≥ L (§5.2.7 step 1).
    Malformed,
    /// The verification equation does not hold (§5.2.7 step 3).
    Mismatch,
}

fn key(public_key: &[u8]) -> Result<VerifyingKey, Ed448Error> {
    let bytes: &[u8; KEY_LEN] = public_key
        .try_into()
        .map_err(|_| Ed448Error::InvalidPublicKey)?;
    VerifyingKey::from_bytes(bytes).map_err(|_| Ed448Error::InvalidPublicKey)
}

/// Verifies `signature` over `message` under the encoded `public_key` (RFC 8032 §5.2.7).
pub fn verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), Ed448Error> {
    let key = key(public_key)?;
    let bytes: &[u8; SIGNATURE_LEN] = signature.try_into().map_err(|_| Ed448Error::Malformed)?;
    let signature = Signature::from_bytes(bytes).map_err(|_| Ed448Error::Malformed)?;
    key.verify_raw(&signature, message)
        .map_err(|_| Ed448Error::Mismatch)
}

/// Whether `public_key` is the encoding of a point on edwards448 (§5.2.3).
pub fn is_valid_public_key(public_key: &[u8]) -> bool {
    key(public_key).is_ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// RFC 8032 §7.4 "Test Vectors for Ed448": "-----Blank" and "-----1 octet" (public key,
    /// message, signature).
    const RFC8032: [(&str, &str, &str); 2] = [
        (
            "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
            "",
            "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600",
        ),
        (
            "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb82169c235160627b4c3a9480",
            "03",
            "26b8f91727bd62897af15e41eb43c377efb9c610d48f2335cb0bd0087810f4352541b143c4b981b7e18f62de8ccdf633fc1bf037ab7cd779805e0dbcc0aae1cbcee1afb2e027df36bc04dcecbf154336c19f0af7e0a6472905e799f1953d2a0ff3348ab21aa4adafd1d234441cf807c03a00",
        ),
    ];

    fn h(text: &str) -> Vec<u8> {
        hex::decode(text).unwrap()
    }

    #[test]
    fn rfc8032_vectors_verify() {
        for (key, message, signature) in RFC8032 {
            assert_eq!(verify(&h(key), &h(message), &h(signature)), Ok(()));
            assert!(is_valid_public_key(&h(key)));
        }
    }

    #[test]
    fn any_changed_input_fails() {
        for (key, message, signature) in RFC8032 {
            let (key, message, signature) = (h(key), h(message), h(signature));
            let mut longer = message.clone();
            longer.push(0);
            assert_eq!(verify(&key, &longer, &signature), Err(Ed448Error::Mismatch));
            // A bit of S (still < L) and a bit of R's y flipped.
            for index in [60, 5] {
                let mut bad = signature.clone();
                bad[index] ^= 0x01;
                assert!(verify(&key, &message, &bad).is_err(), "byte {index}");
            }
            // The other key's signature.
            let other = RFC8032.iter().find(|v| h(v.0) != key).unwrap();
            assert_eq!(
                verify(&h(other.0), &message, &signature),
                Err(Ed448Error::Mismatch)
            );
        }
    }

    #[test]
    fn malformed_inputs_are_rejected() {
        let (key, message, signature) = (h(RFC8032[0].0), h(RFC8032[0].1), h(RFC8032[0].2));
        assert_eq!(
            verify(&key[..56], &message, &signature),
            Err(Ed448Error::InvalidPublicKey)
        );
        assert_eq!(
            verify(&key, &message, &signature[..113]),
            Err(Ed448Error::Malformed)
        );
        // S = L (RFC 8032 §5.2.7 step 1: S must be below L): out of range.
        let l = h(
            "f34458ab92c27823558fc58d72c26c219036d6ae49db4ec4e923ca7cffffffffffffffffffffffffffffffffffffffffffffffffffffff3f00",
        );
        let mut s_is_l = signature.clone();
        s_is_l[KEY_LEN..].copy_from_slice(&l);
        assert!(verify(&key, &message, &s_is_l).is_err());
        // y = p = 2^448 - 2^224 - 1 (not below p, §5.2.3 step 1).
        let mut y_is_p = vec![0xffu8; 56];
        y_is_p[28] = 0xfe;
        y_is_p.push(0);
        assert!(!is_valid_public_key(&y_is_p));
        // y = 2: (y^2 - 1)/(d y^2 - 1) has no square root, so no point has it.
        let small_y = |y: u8| {
            let mut bytes = vec![0u8; KEY_LEN];
            bytes[0] = y;
            bytes
        };
        assert!(!is_valid_public_key(&small_y(2)));
        // y = 1, x = 0 with the sign bit set is not a valid encoding (§5.2.3 step 4).
        let mut negative_zero = small_y(1);
        negative_zero[KEY_LEN - 1] |= 0x80;
        assert!(!is_valid_public_key(&negative_zero));
    }
}
