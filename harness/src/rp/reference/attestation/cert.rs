//! X.509 helpers the attestation verifiers share (RFC 5280 as used by W3C L3 §8): parsing,
//! extensions, public keys as COSE keys, certificate signatures. Every length is checked.

use const_oid::ObjectIdentifier;
use const_oid::db;
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::certificate::Version;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::BasicConstraints;

use crate::codec::cose::{CoseAlgorithm, CoseKey, Curve};
use crate::crypto;

/// id-ce-basicConstraints.
pub const OID_BASIC_CONSTRAINTS: ObjectIdentifier = db::rfc5280::ID_CE_BASIC_CONSTRAINTS;
/// id-ce-subjectAltName.
pub const OID_SUBJECT_ALT_NAME: ObjectIdentifier = db::rfc5280::ID_CE_SUBJECT_ALT_NAME;
/// id-ce-extKeyUsage.
pub const OID_EXT_KEY_USAGE: ObjectIdentifier = db::rfc5280::ID_CE_EXT_KEY_USAGE;
/// id-fido-gen-ce-aaguid (W3C L3 §8.2.1).
pub const OID_FIDO_AAGUID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.45724.1.1.4");
pub use crate::crypto::oid::{OID_C, OID_CN, OID_O, OID_OU};
use crate::crypto::oid::{
    OID_EC_PUBLIC_KEY, OID_ED25519, OID_P256, OID_P384, OID_P521, OID_RSA_ENCRYPTION,
};
const OID_ECDSA_SHA256: ObjectIdentifier = db::rfc5912::ECDSA_WITH_SHA_256;
const OID_ECDSA_SHA384: ObjectIdentifier = db::rfc5912::ECDSA_WITH_SHA_384;
const OID_ECDSA_SHA512: ObjectIdentifier = db::rfc5912::ECDSA_WITH_SHA_512;
const OID_RSA_SHA1: ObjectIdentifier = db::rfc5912::SHA_1_WITH_RSA_ENCRYPTION;
const OID_RSA_SHA256: ObjectIdentifier = db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION;
const OID_RSA_SHA384: ObjectIdentifier = db::rfc5912::SHA_384_WITH_RSA_ENCRYPTION;
const OID_RSA_SHA512: ObjectIdentifier = db::rfc5912::SHA_512_WITH_RSA_ENCRYPTION;

/// Why a certificate could not be read or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    /// Not a DER X.509 certificate.
    #[error("not a DER X.509 certificate: {0}")]
    Parse(String),
    /// A DER structure inside a certificate or extension is malformed.
    #[error("malformed DER: {0}")]
    Der(&'static str),
    /// The subject public key is of a kind not implemented here.
    #[error("unsupported subject public key: {0}")]
    UnsupportedKey(String),
    /// The certificate signature algorithm is not implemented here.
    #[error("unsupported certificate signature algorithm {0}")]
    UnsupportedSignatureAlgorithm(String),
    /// The signature does not verify with the issuer key.
    #[error("certificate signature does not verify: {0}")]
    BadSignature(String),
}

/// A parsed certificate with its DER bytes.
#[derive(Debug, Clone)]
pub struct Cert {
    /// The DER bytes as received.
    pub der: Vec<u8>,
    /// The parsed certificate.
    pub parsed: Certificate,
}

impl Cert {
    /// Parses DER bytes (strict DER, no trailing bytes).
    pub fn parse(der: &[u8]) -> Result<Self, CertError> {
        let parsed = Certificate::from_der(der).map_err(|e| CertError::Parse(e.to_string()))?;
        Ok(Cert {
            der: der.to_vec(),
            parsed,
        })
    }

    /// Whether the version field says v3.
    pub fn is_v3(&self) -> bool {
        self.parsed.tbs_certificate.version == Version::V3
    }

    /// The extension with this OID, if present.
    pub fn extension(&self, oid: ObjectIdentifier) -> Option<&Extension> {
        self.parsed
            .tbs_certificate
            .extensions
            .as_ref()
            .and_then(|exts| exts.iter().find(|e| e.extn_id == oid))
    }

    /// basicConstraints cA; absent means false (RFC 5280 §4.2.1.9).
    pub fn is_ca(&self) -> Result<bool, CertError> {
        match self.extension(OID_BASIC_CONSTRAINTS) {
            None => Ok(false),
            Some(ext) => BasicConstraints::from_der(ext.extn_value.as_bytes())
                .map(|bc| bc.ca)
                .map_err(|_| CertError::Der("basicConstraints")),
        }
    }

    /// The values of subject attributes with this OID, as raw string bytes.
    pub fn subject_values(&self, oid: ObjectIdentifier) -> Vec<Vec<u8>> {
        name_values(&self.parsed.tbs_certificate.subject, oid)
    }

    /// Whether the subject is an empty sequence.
    pub fn subject_is_empty(&self) -> bool {
        self.parsed.tbs_certificate.subject.0.is_empty()
    }

    /// Whether `now_unix` lies within notBefore..=notAfter.
    pub fn valid_at(&self, now_unix: u64) -> bool {
        let v = &self.parsed.tbs_certificate.validity;
        let nb = v.not_before.to_unix_duration().as_secs();
        let na = v.not_after.to_unix_duration().as_secs();
        nb <= now_unix && now_unix <= na
    }

    /// The raw DER of tbsCertificate, as signed.
    pub fn tbs_bytes(&self) -> Result<&[u8], CertError> {
        let (_, outer, _) = read_tlv(&self.der)?;
        let len = tlv_len(outer)?;
        outer.get(..len).ok_or(CertError::Der("tbsCertificate"))
    }

    /// The subject public key, as key material.
    pub fn key(&self) -> Result<KeyMaterial, CertError> {
        let spki = &self.parsed.tbs_certificate.subject_public_key_info;
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or(CertError::Der("subjectPublicKey has unused bits"))?;
        let oid = spki.algorithm.oid;
        if oid == OID_EC_PUBLIC_KEY {
            let curve_oid: ObjectIdentifier = spki
                .algorithm
                .parameters
                .as_ref()
                .ok_or(CertError::Der("EC key without curve parameters"))?
                .decode_as()
                .map_err(|_| CertError::Der("EC curve parameters"))?;
            let curve = match curve_oid {
                c if c == OID_P256 => Curve::P256,
                c if c == OID_P384 => Curve::P384,
                c if c == OID_P521 => Curve::P521,
                other => return Err(CertError::UnsupportedKey(format!("EC curve {other}"))),
            };
            let n = curve.coordinate_len();
            match bits.split_first() {
                Some((0x04, rest)) if rest.len() == 2 * n => Ok(KeyMaterial::Ec {
                    curve,
                    x: rest[..n].to_vec(),
                    y: rest[n..].to_vec(),
                }),
                _ => Err(CertError::UnsupportedKey(
                    "EC point is not an uncompressed point of its curve".into(),
                )),
            }
        } else if oid == OID_RSA_ENCRYPTION {
            let (_, seq, _) = read_tlv(bits)?;
            let (tag_n, n, rest) = read_tlv(seq)?;
            let (tag_e, e, rest) = read_tlv(rest)?;
            if tag_n != 0x02 || tag_e != 0x02 || !rest.is_empty() {
                return Err(CertError::Der("RSAPublicKey"));
            }
            Ok(KeyMaterial::Rsa {
                n: strip_zeros(n).to_vec(),
                e: strip_zeros(e).to_vec(),
            })
        } else if oid == OID_ED25519 {
            Ok(KeyMaterial::Ed25519 { x: bits.to_vec() })
        } else {
            Err(CertError::UnsupportedKey(format!("algorithm {oid}")))
        }
    }

    /// Verifies this certificate's signature with `issuer`'s public key (RFC 5280 §6.1.3).
    pub fn verify_signed_by(&self, issuer: &Cert) -> Result<(), CertError> {
        let sig_oid = self.parsed.signature_algorithm.oid;
        let key = issuer.key()?;
        let alg = match (&key, sig_oid) {
            (
                KeyMaterial::Ec {
                    curve: Curve::P256, ..
                },
                o,
            ) if o == OID_ECDSA_SHA256 => CoseAlgorithm::Es256,
            (
                KeyMaterial::Ec {
                    curve: Curve::P384, ..
                },
                o,
            ) if o == OID_ECDSA_SHA384 => CoseAlgorithm::Es384,
            (
                KeyMaterial::Ec {
                    curve: Curve::P521, ..
                },
                o,
            ) if o == OID_ECDSA_SHA512 => CoseAlgorithm::Es512,
            (KeyMaterial::Rsa { .. }, o) if o == OID_RSA_SHA256 => CoseAlgorithm::Rs256,
            (KeyMaterial::Rsa { .. }, o) if o == OID_RSA_SHA384 => CoseAlgorithm::Rs384,
            (KeyMaterial::Rsa { .. }, o) if o == OID_RSA_SHA512 => CoseAlgorithm::Rs512,
            (KeyMaterial::Rsa { .. }, o) if o == OID_RSA_SHA1 => CoseAlgorithm::Rs1,
            (KeyMaterial::Ed25519 { .. }, o) if o == OID_ED25519 => CoseAlgorithm::EdDsa,
            (_, o) => {
                return Err(CertError::UnsupportedSignatureAlgorithm(format!(
                    "{o} with an issuer key of another kind"
                )));
            }
        };
        let sig = self
            .parsed
            .signature
            .as_bytes()
            .ok_or(CertError::Der("signature has unused bits"))?;
        crypto::verify(&key.to_cose(alg), self.tbs_bytes()?, sig)
            .map_err(|e| CertError::BadSignature(e.to_string()))
    }

    /// The issuer name's DER, for matching against an anchor's subject.
    pub fn issuer_der(&self) -> Result<Vec<u8>, CertError> {
        self.parsed
            .tbs_certificate
            .issuer
            .to_der()
            .map_err(|e| CertError::Parse(e.to_string()))
    }

    /// The subject name's DER.
    pub fn subject_der(&self) -> Result<Vec<u8>, CertError> {
        self.parsed
            .tbs_certificate
            .subject
            .to_der()
            .map_err(|e| CertError::Parse(e.to_string()))
    }
}

/// The values of attributes with `oid` in a name, as raw string bytes.
pub fn name_values(name: &x509_cert::name::Name, oid: ObjectIdentifier) -> Vec<Vec<u8>> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == oid)
        .map(|atv| atv.value.value().to_vec())
        .collect()
}

/// A public key's material, independent of COSE algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMaterial {
    /// An EC point.
    Ec {
        /// The curve (P-256, P-384 or P-521 when read from a certificate).
        curve: Curve,
        /// The x-coordinate, big-endian, the curve's field size long.
        x: Vec<u8>,
        /// The y-coordinate, big-endian, the curve's field size long.
        y: Vec<u8>,
    },
    /// An RSA key (big-endian, no leading zeros).
    Rsa {
        /// The modulus.
        n: Vec<u8>,
        /// The public exponent.
        e: Vec<u8>,
    },
    /// An Ed25519 key.
    Ed25519 {
        /// The public key bytes, in their RFC 8032 §5.1.5 encoding.
        x: Vec<u8>,
    },
}

impl KeyMaterial {
    /// The material of a COSE key.
    pub fn of_cose(key: &CoseKey) -> Self {
        match key {
            CoseKey::Ec2 { crv, x, y, .. } => KeyMaterial::Ec {
                curve: *crv,
                x: x.clone(),
                y: y.clone(),
            },
            CoseKey::Okp { x, .. } => KeyMaterial::Ed25519 { x: x.clone() },
            CoseKey::Rsa { n, e, .. } => KeyMaterial::Rsa {
                n: strip_zeros(n).to_vec(),
                e: strip_zeros(e).to_vec(),
            },
        }
    }

    /// This key as a COSE key for `alg`.
    pub fn to_cose(&self, alg: CoseAlgorithm) -> CoseKey {
        match self {
            KeyMaterial::Ec { curve, x, y } => CoseKey::Ec2 {
                alg,
                crv: *curve,
                x: x.clone(),
                y: y.clone(),
            },
            KeyMaterial::Rsa { n, e } => CoseKey::Rsa {
                alg,
                n: n.clone(),
                e: e.clone(),
            },
            KeyMaterial::Ed25519 { x } => CoseKey::Okp {
                alg,
                crv: Curve::Ed25519,
                x: x.clone(),
            },
        }
    }
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    bytes.get(start..).unwrap_or(bytes)
}

/// Reads one DER TLV with a one-byte tag: (tag, value, rest).
pub fn read_tlv(input: &[u8]) -> Result<(u8, &[u8], &[u8]), CertError> {
    let (&tag, rest) = input.split_first().ok_or(CertError::Der("truncated tag"))?;
    if tag & 0x1f == 0x1f {
        return Err(CertError::Der("multi-byte tag"));
    }
    let (len, rest) = read_len(rest)?;
    Ok((tag, &rest[..len], &rest[len..]))
}

/// Reads a DER length and checks that many bytes follow: (length, rest).
pub fn read_len(input: &[u8]) -> Result<(usize, &[u8]), CertError> {
    let (&first, rest) = input
        .split_first()
        .ok_or(CertError::Der("truncated length"))?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return Err(CertError::Der("bad length"));
        }
        let mut len = 0usize;
        for b in &rest[..count] {
            len = (len << 8) | usize::from(*b);
        }
        (len, &rest[count..])
    };
    if rest.len() < len {
        return Err(CertError::Der("length exceeds the data"));
    }
    Ok((len, rest))
}

/// The total encoded length of the first TLV in `input`.
fn tlv_len(input: &[u8]) -> Result<usize, CertError> {
    let (_, _, rest) = read_tlv(input)?;
    Ok(input.len() - rest.len())
}

/// Reads x5c (a non-empty array of byte strings) without parsing the certificates.
pub fn x5c_bytes(value: &ciborium::Value) -> Option<Vec<Vec<u8>>> {
    match value {
        ciborium::Value::Array(items) => items
            .iter()
            .map(|item| match item {
                ciborium::Value::Bytes(b) => Some(b.clone()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// §8.2.1 / §8.3.1: the id-fido-gen-ce-aaguid extension, if present: (critical, aaguid).
pub fn aaguid_extension(cert: &Cert) -> Result<Option<(bool, Vec<u8>)>, CertError> {
    let Some(ext) = cert.extension(OID_FIDO_AAGUID) else {
        return Ok(None);
    };
    // extnValue is an OCTET STRING wrapping the DER OCTET STRING of the AAGUID.
    let (tag, value, rest) = read_tlv(ext.extn_value.as_bytes())?;
    if tag != 0x04 || !rest.is_empty() {
        return Err(CertError::Der("aaguid extension is not an OCTET STRING"));
    }
    Ok(Some((ext.critical, value.to_vec())))
}

/// x5c as the verification reads it. With `x5c0_is_leaf` (§8: the attestation certificate is
/// `x5c[0]`) as sent; without it (a `LeafFirst` sub-check switched off) with its first
/// certificate that is not a CA moved to the front, as a verifier that searches for the
/// attestation certificate reads a chain sent out of order.
pub fn leaf_first(mut x5c: Vec<Vec<u8>>, x5c0_is_leaf: bool) -> Vec<Vec<u8>> {
    if x5c0_is_leaf {
        return x5c;
    }
    let leaf = x5c
        .iter()
        .position(|der| Cert::parse(der).is_ok_and(|c| c.is_ca().is_ok_and(|ca| !ca)));
    if let Some(index) = leaf {
        let der = x5c.remove(index);
        x5c.insert(0, der);
    }
    x5c
}
