//! Ed448 signature verification: RFC 8032 §5.2 "pure" Ed448 with an empty context, for credential
//! keys with COSE alg Ed448 (-53, RFC 9864) and crv Ed448 (7), as in the W3C L3 §16
//! `packed.Ed448` vector.
//!
//! Verification only (the virtual authenticator never makes Ed448 keys), written from RFC 8032
//! §5.2.2-5.2.7 over `num-bigint`. It is not constant time, which verifying public data with a
//! public key does not need.

use num_bigint::BigUint;
use sha3::Shake256;
use sha3::digest::{ExtendableOutput as _, Update as _, XofReader as _};

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

/// A point in projective coordinates (X : Y : Z), x = X/Z, y = Y/Z (§5.2.4).
#[derive(Clone)]
struct Point {
    x: BigUint,
    y: BigUint,
    z: BigUint,
}

/// The curve edwards448 and its base point (§5.2).
struct Curve {
    /// p = 2^448 - 2^224 - 1.
    p: BigUint,
    /// d = -39081 mod p.
    d: BigUint,
    /// The order of the base point, L = 2^446 - 13818066809895115352007386748515426880336692474882178609894547503885.
    l: BigUint,
    base: Point,
}

fn decimal(digits: &str) -> BigUint {
    // The constants below are decimal literals; a typo would fail the RFC 8032 tests.
    BigUint::parse_bytes(digits.as_bytes(), 10).unwrap_or_default()
}

impl Curve {
    fn new() -> Curve {
        let one = BigUint::from(1u8);
        let p = (&one << 448) - (&one << 224) - &one;
        let d = &p - BigUint::from(39081u32);
        let l = (&one << 446)
            - decimal("13818066809895115352007386748515426880336692474882178609894547503885");
        let base = Point {
            x: decimal(
                "224580040295924300187604334099896036246789641632564134246125461686950415467406032909029192869357953282578032075146446173674602635247710",
            ),
            y: decimal(
                "298819210078481492676017930443930673437544040154080242095928241372331506189835876003536878655418784733982303233503462500531545062832660",
            ),
            z: one,
        };
        Curve { p, d, l, base }
    }

    fn mul(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a * b) % &self.p
    }

    /// a - b mod p, for a, b < p.
    fn sub(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a + &self.p - b) % &self.p
    }

    fn identity(&self) -> Point {
        Point {
            x: BigUint::default(),
            y: BigUint::from(1u8),
            z: BigUint::from(1u8),
        }
    }

    /// Point addition (§5.2.4); complete, so it doubles too.
    fn add(&self, p1: &Point, p2: &Point) -> Point {
        let a = self.mul(&p1.z, &p2.z);
        let b = self.mul(&a, &a);
        let c = self.mul(&p1.x, &p2.x);
        let d = self.mul(&p1.y, &p2.y);
        let e = self.mul(&self.mul(&self.d, &c), &d);
        let f = self.sub(&b, &e);
        let g = (&b + &e) % &self.p;
        let h = self.mul(&(&p1.x + &p1.y), &(&p2.x + &p2.y));
        let h_c_d = self.sub(&self.sub(&h, &c), &d);
        Point {
            x: self.mul(&self.mul(&a, &f), &h_c_d),
            y: self.mul(&self.mul(&a, &g), &self.sub(&d, &c)),
            z: self.mul(&f, &g),
        }
    }

    /// [k]P, double and add from the most significant bit.
    fn scalar_mul(&self, point: &Point, k: &BigUint) -> Point {
        let mut acc = self.identity();
        for i in (0..k.bits()).rev() {
            acc = self.add(&acc, &acc);
            if k.bit(i) {
                acc = self.add(&acc, point);
            }
        }
        acc
    }

    /// [4]P: the cofactor, cleared on both sides of the verification equation (§5.2.7 step 3).
    fn times_four(&self, point: &Point) -> Point {
        let two = self.add(point, point);
        self.add(&two, &two)
    }

    fn equal(&self, p1: &Point, p2: &Point) -> bool {
        self.mul(&p1.x, &p2.z) == self.mul(&p2.x, &p1.z)
            && self.mul(&p1.y, &p2.z) == self.mul(&p2.y, &p1.z)
    }

    /// Decodes a 57-octet point (§5.2.3): y little-endian, the sign of x in the top bit.
    fn decode(&self, bytes: &[u8]) -> Option<Point> {
        let bytes: &[u8; KEY_LEN] = bytes.try_into().ok()?;
        let x_0 = bytes[KEY_LEN - 1] >> 7;
        let mut y_bytes = *bytes;
        y_bytes[KEY_LEN - 1] &= 0x7f;
        let y = BigUint::from_bytes_le(&y_bytes);
        if y >= self.p {
            return None;
        }
        let one = BigUint::from(1u8);
        let y2 = self.mul(&y, &y);
        let u = self.sub(&y2, &one);
        let v = self.sub(&self.mul(&self.d, &y2), &one);
        // x = u^3 v (u^5 v^3)^((p-3)/4), the candidate square root of u/v.
        let u3 = self.mul(&self.mul(&u, &u), &u);
        let u5 = self.mul(&self.mul(&u3, &u), &u);
        let v3 = self.mul(&self.mul(&v, &v), &v);
        let exponent = (&self.p - BigUint::from(3u8)) >> 2;
        let root = self.mul(&u5, &v3).modpow(&exponent, &self.p);
        let mut x = self.mul(&self.mul(&u3, &v), &root);
        if self.mul(&v, &self.mul(&x, &x)) != u {
            return None;
        }
        if x == BigUint::default() && x_0 == 1 {
            return None;
        }
        if u8::from(x.bit(0)) != x_0 {
            x = &self.p - x;
        }
        Some(Point { x, y, z: one })
    }
}

/// Verifies an Ed448 `signature` over `message` with the 57-octet `public_key` (RFC 8032 §5.2.7,
/// empty context): decodes A, R and S, then checks [4][S]B = [4]R + [4][k]A with
/// k = SHAKE256(dom4(0, "") ‖ R ‖ A ‖ M, 114).
pub fn verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), Ed448Error> {
    let curve = Curve::new();
    let a = curve
        .decode(public_key)
        .ok_or(Ed448Error::InvalidPublicKey)?;
    if signature.len() != SIGNATURE_LEN {
        return Err(Ed448Error::Malformed);
    }
    let (r_bytes, s_bytes) = signature.split_at(KEY_LEN);
    let r = curve.decode(r_bytes).ok_or(Ed448Error::Malformed)?;
    let s = BigUint::from_bytes_le(s_bytes);
    if s >= curve.l {
        return Err(Ed448Error::Malformed);
    }
    let mut hasher = Shake256::default();
    // dom4(0, ""): "SigEd448", phflag 0, context length 0.
    hasher.update(b"SigEd448\x00\x00");
    hasher.update(r_bytes);
    hasher.update(public_key);
    hasher.update(message);
    let mut digest = [0u8; SIGNATURE_LEN];
    hasher.finalize_xof().read(&mut digest);
    // [4]A has order L (or 1), so k may be reduced mod L.
    let k = BigUint::from_bytes_le(&digest) % &curve.l;
    let left = curve.times_four(&curve.scalar_mul(&curve.base, &s));
    let right = curve.times_four(&curve.add(&r, &curve.scalar_mul(&a, &k)));
    if curve.equal(&left, &right) {
        Ok(())
    } else {
        Err(Ed448Error::Mismatch)
    }
}

/// Whether `public_key` is the encoding of a point on edwards448 (§5.2.3).
pub fn is_valid_public_key(public_key: &[u8]) -> bool {
    Curve::new().decode(public_key).is_some()
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
    fn the_base_point_is_on_the_curve() {
        let c = Curve::new();
        let (x2, y2) = (c.mul(&c.base.x, &c.base.x), c.mul(&c.base.y, &c.base.y));
        let left = (&x2 + &y2) % &c.p;
        let right = (BigUint::from(1u8) + c.mul(&c.mul(&c.d, &x2), &y2)) % &c.p;
        assert_eq!(left, right);
        // L is the base point's order: [L]B is the identity.
        assert!(c.equal(&c.scalar_mul(&c.base, &c.l), &c.identity()));
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
        // S = L: out of range.
        let mut s_is_l = signature.clone();
        let l = Curve::new().l.to_bytes_le();
        s_is_l[KEY_LEN..].fill(0);
        s_is_l[KEY_LEN..KEY_LEN + l.len()].copy_from_slice(&l);
        assert_eq!(verify(&key, &message, &s_is_l), Err(Ed448Error::Malformed));
        // y = p (all ones but bit 224): not below p.
        let c = Curve::new();
        let mut y_is_p = c.p.to_bytes_le();
        y_is_p.resize(KEY_LEN, 0);
        assert!(!is_valid_public_key(&y_is_p));
        // y = 2: (y^2 - 1)/(d y^2 - 1) has no square root, so no point has it; y = 3 has one.
        let small_y = |y: u8| {
            let mut bytes = vec![0u8; KEY_LEN];
            bytes[0] = y;
            bytes
        };
        assert!(!is_valid_public_key(&small_y(2)));
        assert!(is_valid_public_key(&small_y(3)));
        // y = 1 is the identity, x = 0: with the sign bit set it is not a valid encoding.
        let mut negative_zero = small_y(1);
        assert!(is_valid_public_key(&negative_zero));
        negative_zero[KEY_LEN - 1] |= 0x80;
        assert!(!is_valid_public_key(&negative_zero));
    }
}
