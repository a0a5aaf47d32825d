//! COSE_Key (RFC 9052 §7, RFC 9053) as WebAuthn uses it for credential public keys.
//!
//! W3C L3 §6.5.1.1 and §5.8.5: the credential public key is a COSE_Key in CTAP2 canonical CBOR
//! that MUST contain `alg`; EC2 points MUST be uncompressed; the curve is fixed by the algorithm
//! (ES256 → P-256, ES384 → P-384, ES512 → P-521, EdDSA → Ed25519). This module parses a key
//! and checks that kty, alg, crv and the coordinate lengths agree, and encodes a key back in
//! canonical label order.

use super::cbor::{self, Value};

/// COSE key common parameter labels (RFC 9052 §7.1) and key-type parameters (RFC 9053 §7).
pub mod label {
    /// `kty` key type.
    pub const KTY: i64 = 1;
    /// `alg` algorithm.
    pub const ALG: i64 = 3;
    /// EC2/OKP `crv`, or RSA `n`.
    pub const CRV_OR_N: i64 = -1;
    /// EC2/OKP `x`, or RSA `e`.
    pub const X_OR_E: i64 = -2;
    /// EC2 `y`.
    pub const Y: i64 = -3;
}

/// COSE key types (RFC 9053 §7; IANA "COSE Key Types").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// Octet key pair (Ed25519, Ed448).
    Okp,
    /// Elliptic curve with x and y.
    Ec2,
    /// RSA.
    Rsa,
}

impl KeyType {
    /// The IANA value.
    pub fn id(self) -> i64 {
        match self {
            KeyType::Okp => 1,
            KeyType::Ec2 => 2,
            KeyType::Rsa => 3,
        }
    }

    fn from_id(id: i64) -> Option<Self> {
        match id {
            1 => Some(KeyType::Okp),
            2 => Some(KeyType::Ec2),
            3 => Some(KeyType::Rsa),
            _ => None,
        }
    }
}

/// COSE elliptic curves (IANA "COSE Elliptic Curves").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Curve {
    /// P-256 (crv 1).
    P256,
    /// P-384 (crv 2).
    P384,
    /// P-521 (crv 3).
    P521,
    /// Ed25519 (crv 6).
    Ed25519,
    /// Ed448 (crv 7).
    Ed448,
    /// secp256k1 (crv 8).
    Secp256k1,
}

impl Curve {
    /// The IANA value.
    pub fn id(self) -> i64 {
        match self {
            Curve::P256 => 1,
            Curve::P384 => 2,
            Curve::P521 => 3,
            Curve::Ed25519 => 6,
            Curve::Ed448 => 7,
            Curve::Secp256k1 => 8,
        }
    }

    fn from_id(id: i64) -> Option<Self> {
        match id {
            1 => Some(Curve::P256),
            2 => Some(Curve::P384),
            3 => Some(Curve::P521),
            6 => Some(Curve::Ed25519),
            7 => Some(Curve::Ed448),
            8 => Some(Curve::Secp256k1),
            _ => None,
        }
    }

    /// Byte length of one coordinate (EC2) or of the public key (OKP).
    pub fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 | Curve::Secp256k1 | Curve::Ed25519 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
            Curve::Ed448 => 57,
        }
    }

    /// The key type this curve belongs to.
    pub fn key_type(self) -> KeyType {
        match self {
            Curve::Ed25519 | Curve::Ed448 => KeyType::Okp,
            _ => KeyType::Ec2,
        }
    }
}

/// COSE algorithm identifiers used by WebAuthn (W3C L3 §5.8.5; IANA "COSE Algorithms").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CoseAlgorithm {
    /// ECDSA P-256 SHA-256 (-7).
    Es256,
    /// ECDSA P-384 SHA-384 (-35).
    Es384,
    /// ECDSA P-521 SHA-512 (-36).
    Es512,
    /// EdDSA (-8); in WebAuthn with crv Ed25519 (or Ed448).
    EdDsa,
    /// Ed448 (-53): EdDSA fixed to curve Ed448 (RFC 9864), as in the W3C L3 §16 `packed.Ed448`
    /// vector.
    Ed448,
    /// ECDSA secp256k1 SHA-256 (-47).
    Es256K,
    /// RSASSA-PKCS1-v1_5 SHA-256 (-257).
    Rs256,
    /// RSASSA-PKCS1-v1_5 SHA-384 (-258).
    Rs384,
    /// RSASSA-PKCS1-v1_5 SHA-512 (-259).
    Rs512,
    /// RSASSA-PKCS1-v1_5 SHA-1 (-65535), required by the FIDO conformance tool.
    Rs1,
    /// RSASSA-PSS SHA-256 (-37).
    Ps256,
    /// RSASSA-PSS SHA-384 (-38).
    Ps384,
    /// RSASSA-PSS SHA-512 (-39).
    Ps512,
    /// Any other identifier, kept as read.
    Other(i64),
}

impl CoseAlgorithm {
    /// Maps an identifier to the algorithm.
    pub fn from_id(id: i64) -> Self {
        match id {
            -7 => Self::Es256,
            -35 => Self::Es384,
            -36 => Self::Es512,
            -8 => Self::EdDsa,
            -53 => Self::Ed448,
            -47 => Self::Es256K,
            -257 => Self::Rs256,
            -258 => Self::Rs384,
            -259 => Self::Rs512,
            -65535 => Self::Rs1,
            -37 => Self::Ps256,
            -38 => Self::Ps384,
            -39 => Self::Ps512,
            other => Self::Other(other),
        }
    }

    /// The COSE identifier.
    pub fn id(self) -> i64 {
        match self {
            Self::Es256 => -7,
            Self::Es384 => -35,
            Self::Es512 => -36,
            Self::EdDsa => -8,
            Self::Ed448 => -53,
            Self::Es256K => -47,
            Self::Rs256 => -257,
            Self::Rs384 => -258,
            Self::Rs512 => -259,
            Self::Rs1 => -65535,
            Self::Ps256 => -37,
            Self::Ps384 => -38,
            Self::Ps512 => -39,
            Self::Other(id) => id,
        }
    }

    /// The IANA name ("ES256").
    pub fn name(self) -> String {
        match self {
            Self::Es256 => "ES256".into(),
            Self::Es384 => "ES384".into(),
            Self::Es512 => "ES512".into(),
            Self::EdDsa => "EdDSA".into(),
            Self::Ed448 => "Ed448".into(),
            Self::Es256K => "ES256K".into(),
            Self::Rs256 => "RS256".into(),
            Self::Rs384 => "RS384".into(),
            Self::Rs512 => "RS512".into(),
            Self::Rs1 => "RS1".into(),
            Self::Ps256 => "PS256".into(),
            Self::Ps384 => "PS384".into(),
            Self::Ps512 => "PS512".into(),
            Self::Other(id) => format!("COSE alg {id}"),
        }
    }

    /// The key type the algorithm needs, if known.
    pub fn key_type(self) -> Option<KeyType> {
        match self {
            Self::Es256 | Self::Es384 | Self::Es512 | Self::Es256K => Some(KeyType::Ec2),
            Self::EdDsa | Self::Ed448 => Some(KeyType::Okp),
            Self::Rs256 | Self::Rs384 | Self::Rs512 | Self::Rs1 => Some(KeyType::Rsa),
            Self::Ps256 | Self::Ps384 | Self::Ps512 => Some(KeyType::Rsa),
            Self::Other(_) => None,
        }
    }

    /// The curves WebAuthn allows with this algorithm (§5.8.5: "keys with algorithm ES256 (-7)
    /// MUST specify P-256 (1) as the crv parameter", and likewise for the others).
    pub fn allowed_curves(self) -> &'static [Curve] {
        match self {
            Self::Es256 => &[Curve::P256],
            Self::Es384 => &[Curve::P384],
            Self::Es512 => &[Curve::P521],
            Self::Es256K => &[Curve::Secp256k1],
            Self::EdDsa => &[Curve::Ed25519, Curve::Ed448],
            Self::Ed448 => &[Curve::Ed448],
            _ => &[],
        }
    }
}

/// A credential public key, checked for internal consistency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoseKey {
    /// kty 2: an uncompressed elliptic-curve point.
    Ec2 {
        /// `alg` (label 3): the COSE algorithm identifier (W3C L3 §5.8.5).
        alg: CoseAlgorithm,
        /// `crv` (label -1): the curve, fixed by `alg`.
        crv: Curve,
        /// `x` (label -2): the x-coordinate, big-endian, the curve's field size long.
        x: Vec<u8>,
        /// `y` (label -3): the y-coordinate, big-endian, the curve's field size long.
        y: Vec<u8>,
    },
    /// kty 1: an octet key pair (EdDSA).
    Okp {
        /// `alg` (label 3): the COSE algorithm identifier (W3C L3 §5.8.5).
        alg: CoseAlgorithm,
        /// `crv` (label -1): Ed25519 or Ed448.
        crv: Curve,
        /// `x` (label -2): the public key bytes (RFC 8032 encoding).
        x: Vec<u8>,
    },
    /// kty 3: an RSA public key.
    Rsa {
        /// `alg` (label 3): the COSE algorithm identifier (W3C L3 §5.8.5).
        alg: CoseAlgorithm,
        /// `n` (label -1): the modulus, big-endian (RFC 8230 §4).
        n: Vec<u8>,
        /// `e` (label -2): the public exponent, big-endian (RFC 8230 §4).
        e: Vec<u8>,
    },
}

/// Why a COSE_Key is not an acceptable credential public key.
// Exhaustive on purpose: the reference RP maps every variant to the syntax rule it breaks
// (webauthn-conformance `rp::reference::rule`), so a new variant must not compile there unmapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoseKeyError {
    /// The bytes are not one strict CBOR item.
    #[error("credential public key is not valid CBOR: {0}")]
    Cbor(#[from] cbor::CborError),
    /// The item is not a map.
    #[error("COSE_Key must be a CBOR map, found {found}")]
    NotAMap {
        /// The CBOR type found instead ("array", "byte string", ...).
        found: &'static str,
    },
    /// A map key is neither an integer nor a text label.
    #[error("COSE_Key label {found} is neither an integer nor text")]
    BadLabel {
        /// The offending label, as [`cbor::describe`] renders it.
        found: String,
    },
    /// A required parameter is absent.
    #[error("COSE_Key is missing required parameter {name} (label {label}) (W3C L3 §6.5.1.1)")]
    MissingParameter {
        /// The parameter's name: `kty`, `alg`, `crv`, `x`, `y`, `n` or `e`.
        name: &'static str,
        /// The parameter's COSE label (see [`label`]).
        label: i64,
    },
    /// A parameter has the wrong CBOR type.
    #[error("COSE_Key parameter {name} must be {expected}, found {found}")]
    WrongParameterType {
        /// The parameter's name: `kty`, `alg`, `crv`, `x`, `y`, `n` or `e`.
        name: &'static str,
        /// The CBOR type the parameter must have ("integer", "byte string").
        expected: &'static str,
        /// The CBOR type it has.
        found: &'static str,
    },
    /// `kty` is not a known key type.
    #[error("unknown COSE key type kty={0}")]
    UnknownKeyType(i64),
    /// `crv` is not a known curve.
    #[error("unknown COSE curve crv={0}")]
    UnknownCurve(i64),
    /// `alg` is not one this harness knows how to check.
    #[error("unsupported COSE algorithm {0}")]
    UnsupportedAlgorithm(i64),
    /// `alg` belongs to another key type (RSA alg on an EC2 key, for example).
    #[error("alg {alg} needs kty {expected:?}, but the key has kty {found:?} (RFC 9053)")]
    KeyTypeMismatch {
        /// The algorithm's name ([`CoseAlgorithm::name`]).
        alg: String,
        /// The key type the algorithm needs.
        expected: KeyType,
        /// The key's `kty`.
        found: KeyType,
    },
    /// `crv` is not the curve the algorithm requires.
    #[error("alg {alg} requires crv {expected:?}, found {found:?} (W3C L3 §5.8.5)")]
    CurveMismatch {
        /// The algorithm's name ([`CoseAlgorithm::name`]).
        alg: String,
        /// The curves WebAuthn allows with the algorithm ([`CoseAlgorithm::allowed_curves`]).
        expected: Vec<Curve>,
        /// The key's `crv`.
        found: Curve,
    },
    /// EC2 `y` given as a boolean: a compressed point, which WebAuthn forbids.
    #[error(
        "EC2 point is compressed (y is a boolean); WebAuthn keys MUST be uncompressed (W3C L3 §5.8.5)"
    )]
    CompressedPoint,
    /// A coordinate has the wrong length for its curve.
    #[error("{name} is {found} bytes, expected {expected} for {crv:?}")]
    CoordinateLength {
        /// The coordinate: `x` or `y`.
        name: &'static str,
        /// The key's curve.
        crv: Curve,
        /// The length the curve requires, in bytes.
        expected: usize,
        /// The coordinate's length, in bytes.
        found: usize,
    },
    /// An RSA modulus or exponent is empty.
    #[error("RSA parameter {name} is empty")]
    EmptyRsaParameter {
        /// The parameter: `n` or `e`.
        name: &'static str,
    },
}

impl CoseKey {
    /// Parses and checks a COSE_Key from its CBOR bytes (no trailing bytes allowed).
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, CoseKeyError> {
        Self::from_value(&cbor::decode(bytes)?)
    }

    /// Parses and checks a COSE_Key from a decoded CBOR value.
    pub fn from_value(value: &Value) -> Result<Self, CoseKeyError> {
        let Value::Map(entries) = value else {
            return Err(CoseKeyError::NotAMap {
                found: cbor::kind(value),
            });
        };
        for (key, _) in entries {
            if !matches!(key, Value::Integer(_) | Value::Text(_)) {
                return Err(CoseKeyError::BadLabel {
                    found: cbor::describe(key),
                });
            }
        }
        let kty_id = int_param(entries, "kty", label::KTY)?;
        let kty = KeyType::from_id(kty_id).ok_or(CoseKeyError::UnknownKeyType(kty_id))?;
        let alg = CoseAlgorithm::from_id(int_param(entries, "alg", label::ALG)?);
        let expected_kty = alg
            .key_type()
            .ok_or(CoseKeyError::UnsupportedAlgorithm(alg.id()))?;
        if expected_kty != kty {
            return Err(CoseKeyError::KeyTypeMismatch {
                alg: alg.name(),
                expected: expected_kty,
                found: kty,
            });
        }
        match kty {
            KeyType::Ec2 | KeyType::Okp => {
                let crv_id = int_param(entries, "crv", label::CRV_OR_N)?;
                let crv = Curve::from_id(crv_id).ok_or(CoseKeyError::UnknownCurve(crv_id))?;
                if !alg.allowed_curves().contains(&crv) {
                    return Err(CoseKeyError::CurveMismatch {
                        alg: alg.name(),
                        expected: alg.allowed_curves().to_vec(),
                        found: crv,
                    });
                }
                let x = bytes_param(entries, "x", label::X_OR_E)?;
                check_len("x", crv, &x)?;
                if kty == KeyType::Okp {
                    return Ok(CoseKey::Okp { alg, crv, x });
                }
                let y = match cbor::map_get_int(entries, label::Y) {
                    None => {
                        return Err(CoseKeyError::MissingParameter {
                            name: "y",
                            label: label::Y,
                        });
                    }
                    Some(Value::Bool(_)) => return Err(CoseKeyError::CompressedPoint),
                    Some(Value::Bytes(y)) => y.clone(),
                    Some(other) => {
                        return Err(CoseKeyError::WrongParameterType {
                            name: "y",
                            expected: "byte string",
                            found: cbor::kind(other),
                        });
                    }
                };
                check_len("y", crv, &y)?;
                Ok(CoseKey::Ec2 { alg, crv, x, y })
            }
            KeyType::Rsa => {
                let n = bytes_param(entries, "n", label::CRV_OR_N)?;
                let e = bytes_param(entries, "e", label::X_OR_E)?;
                if n.is_empty() {
                    return Err(CoseKeyError::EmptyRsaParameter { name: "n" });
                }
                if e.is_empty() {
                    return Err(CoseKeyError::EmptyRsaParameter { name: "e" });
                }
                Ok(CoseKey::Rsa { alg, n, e })
            }
        }
    }

    /// The key's algorithm.
    pub fn alg(&self) -> CoseAlgorithm {
        match self {
            CoseKey::Ec2 { alg, .. } | CoseKey::Okp { alg, .. } | CoseKey::Rsa { alg, .. } => *alg,
        }
    }

    /// The key as a CBOR map in CTAP2 canonical label order (1, 3, -1, -2, -3).
    pub fn to_value(&self) -> Value {
        let int = |i: i64| Value::Integer(i.into());
        let mut entries = Vec::new();
        match self {
            CoseKey::Ec2 { alg, crv, x, y } => {
                entries.push((int(label::KTY), int(KeyType::Ec2.id())));
                entries.push((int(label::ALG), int(alg.id())));
                entries.push((int(label::CRV_OR_N), int(crv.id())));
                entries.push((int(label::X_OR_E), Value::Bytes(x.clone())));
                entries.push((int(label::Y), Value::Bytes(y.clone())));
            }
            CoseKey::Okp { alg, crv, x } => {
                entries.push((int(label::KTY), int(KeyType::Okp.id())));
                entries.push((int(label::ALG), int(alg.id())));
                entries.push((int(label::CRV_OR_N), int(crv.id())));
                entries.push((int(label::X_OR_E), Value::Bytes(x.clone())));
            }
            CoseKey::Rsa { alg, n, e } => {
                entries.push((int(label::KTY), int(KeyType::Rsa.id())));
                entries.push((int(label::ALG), int(alg.id())));
                entries.push((int(label::CRV_OR_N), Value::Bytes(n.clone())));
                entries.push((int(label::X_OR_E), Value::Bytes(e.clone())));
            }
        }
        Value::Map(entries)
    }

    /// The key's canonical CBOR bytes.
    pub fn to_cbor(&self) -> Vec<u8> {
        cbor::encode(&self.to_value())
    }
}

fn int_param(
    entries: &[(Value, Value)],
    name: &'static str,
    label: i64,
) -> Result<i64, CoseKeyError> {
    match cbor::map_get_int(entries, label) {
        None => Err(CoseKeyError::MissingParameter { name, label }),
        Some(value) => cbor::as_i64(value).ok_or(CoseKeyError::WrongParameterType {
            name,
            expected: "integer",
            found: match value {
                Value::Integer(_) => "integer outside the 64-bit signed range",
                other => cbor::kind(other),
            },
        }),
    }
}

fn bytes_param(
    entries: &[(Value, Value)],
    name: &'static str,
    label: i64,
) -> Result<Vec<u8>, CoseKeyError> {
    match cbor::map_get_int(entries, label) {
        None => Err(CoseKeyError::MissingParameter { name, label }),
        Some(Value::Bytes(bytes)) => Ok(bytes.clone()),
        Some(other) => Err(CoseKeyError::WrongParameterType {
            name,
            expected: "byte string",
            found: cbor::kind(other),
        }),
    }
}

fn check_len(name: &'static str, crv: Curve, bytes: &[u8]) -> Result<(), CoseKeyError> {
    let expected = crv.coordinate_len();
    if bytes.len() != expected {
        return Err(CoseKeyError::CoordinateLength {
            name,
            crv,
            expected,
            found: bytes.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
