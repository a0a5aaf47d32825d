//! A deterministic test PKI for attestation certificates: root → intermediate → leaf.
//!
//! Certificates are built with `x509-cert`'s builder and signed with RFC 6979 ECDSA (P-256 or
//! P-384), so the same seed gives the same certificate bytes. Validity is pinned around [`NOW`],
//! never the wall clock. [`CertSpec`] has one knob per fault the attestation checks need
//! (W3C L3 §8.2.1 packed, §8.3.1 TPM AIK, §8.4 android-key, §8.5 safetynet, §8.8 apple).

use const_oid::ObjectIdentifier;
use der::asn1::{Any, BitString, GeneralizedTime, OctetString, UintRef, UtcTime};
use der::{Encode as _, Tag};
use signature::{Keypair, Signer};

use super::count::{Family, Op, record};
use spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey,
    SignatureBitStringEncoding, SubjectPublicKeyInfoOwned,
};
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder as _, CertificateBuilder, Profile};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::ext::{AsExtension, Extension};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use super::{CredentialKey, KeyError};
use crate::codec::cose::{CoseAlgorithm, CoseKey, Curve};
use crate::drbg::Drbg;

/// The harness's pinned "now": 2026-06-01T00:00:00Z, in seconds since the Unix epoch.
pub const NOW: u64 = 1_780_272_000;

const DAY: u64 = 86_400;
const YEAR: u64 = 365 * DAY;

/// id-fido-gen-ce-aaguid (W3C L3 §8.2.1).
pub const OID_FIDO_AAGUID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.45724.1.1.4");
/// tcg-kp-AIKCertificate, the TPM AIK EKU (W3C L3 §8.3.1).
pub const OID_TCG_KP_AIK_CERTIFICATE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.23.133.8.3");
/// tcg-at-tpmManufacturer.
pub const OID_TPM_MANUFACTURER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.133.2.1");
/// tcg-at-tpmModel.
pub const OID_TPM_MODEL: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.133.2.2");
/// tcg-at-tpmVersion.
pub const OID_TPM_VERSION: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.23.133.2.3");
/// Android key attestation extension (W3C L3 §8.4).
pub const OID_ANDROID_KEY_DESCRIPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.1.17");
/// Apple anonymous attestation nonce extension (W3C L3 §8.8).
pub const OID_APPLE_NONCE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113635.100.8.2");
pub use super::oid::{OID_C, OID_CN, OID_O, OID_OU};
use super::oid::{
    OID_EC_PUBLIC_KEY, OID_ED25519, OID_P256, OID_P384, OID_P521, OID_RSA_ENCRYPTION,
};

/// Why a certificate could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PkiError {
    /// DER encoding failed.
    #[error("DER encoding failed: {0}")]
    Der(String),
    /// The x509-cert builder or its signer failed.
    #[error("certificate builder failed: {0}")]
    Builder(String),
    /// A key could not be made.
    #[error("{0}")]
    Key(#[from] KeyError),
    /// The key type cannot go into a certificate here.
    #[error("no SubjectPublicKeyInfo encoding for {0}")]
    UnsupportedKey(String),
}

impl From<der::Error> for PkiError {
    fn from(err: der::Error) -> Self {
        PkiError::Der(err.to_string())
    }
}

impl From<x509_cert::builder::Error> for PkiError {
    fn from(err: x509_cert::builder::Error) -> Self {
        PkiError::Builder(err.to_string())
    }
}

/// The certificate version field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertVersion {
    /// v1: written with no extensions at all (the builder only emits v1 then).
    V1,
    /// v3.
    V3,
}

/// A validity window relative to [`NOW`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidityWindow {
    /// NOW − 30 days to NOW + 5 years.
    Current,
    /// NOW − 2 years to NOW − 1 year.
    Expired,
    /// NOW + 8 years to NOW + 9 years.
    NotYetValid,
    /// Explicit Unix seconds.
    Custom {
        /// `notBefore` (RFC 5280 §4.1.2.5), in Unix seconds.
        not_before: u64,
        /// `notAfter` (RFC 5280 §4.1.2.5), in Unix seconds.
        not_after: u64,
    },
}

impl ValidityWindow {
    fn bounds(self) -> (u64, u64) {
        match self {
            ValidityWindow::Current => (NOW - 30 * DAY, NOW + 5 * YEAR),
            ValidityWindow::Expired => (NOW - 2 * YEAR, NOW - YEAR),
            ValidityWindow::NotYetValid => (NOW + 8 * YEAR, NOW + 9 * YEAR),
            ValidityWindow::Custom {
                not_before,
                not_after,
            } => (not_before, not_after),
        }
    }
}

/// The AAGUID extension (id-fido-gen-ce-aaguid): an OCTET STRING inside extnValue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AaguidExtension {
    /// The AAGUID written.
    pub aaguid: [u8; 16],
    /// Marks the extension critical (W3C L3 §8.2.1 forbids it).
    pub critical: bool,
}

/// The TPM subject alternative name: a directoryName with the TPM manufacturer, model and
/// version attributes (TCG EK Credential Profile; W3C L3 §8.3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TpmSan {
    /// tcg-at-tpmManufacturer, a vendor of the TCG TPM Vendor ID Registry, e.g. "id:49424D00".
    pub manufacturer: String,
    /// tcg-at-tpmModel.
    pub model: String,
    /// tcg-at-tpmVersion, e.g. "id:13".
    pub version: String,
    /// Critical flag (RFC 5280 requires it when the subject is empty).
    pub critical: bool,
}

impl Default for TpmSan {
    fn default() -> Self {
        TpmSan {
            // IBM, whose software TPM (ibmswtpm2) is the usual virtual TPM. Not the FIDO tool's
            // "id:FFFFF1D0", which is in no TCG registry: §8.3.1 requires the SAN of the TCG EK
            // profile, whose manufacturer is a registered vendor, and RPs check it against the
            // registry (py_webauthn refused the FIDO value, so TPM-01 was a false alarm).
            manufacturer: "id:49424D00".into(),
            model: "WAC-vTPM".into(),
            version: "id:13".into(),
            critical: true,
        }
    }
}

/// Any extension, given as its extnValue content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawExtension {
    /// extnID.
    pub oid: ObjectIdentifier,
    /// critical.
    pub critical: bool,
    /// The DER inside extnValue.
    pub value: Vec<u8>,
}

impl RawExtension {
    /// The Apple nonce extension: `SEQUENCE { [1] EXPLICIT OCTET STRING nonce }` (W3C L3 §8.8).
    pub fn apple_nonce(nonce: &[u8]) -> Result<Self, PkiError> {
        let octets = OctetString::new(nonce)?.to_der()?;
        let explicit = tlv(&[0xa1], &octets);
        Ok(RawExtension {
            oid: OID_APPLE_NONCE,
            critical: false,
            value: tlv(&[0x30], &explicit),
        })
    }

    /// The Android key attestation extension carrying a KeyDescription (W3C L3 §8.4).
    pub fn android_key_description(key_description_der: Vec<u8>) -> Self {
        RawExtension {
            oid: OID_ANDROID_KEY_DESCRIPTION,
            critical: false,
            value: key_description_der,
        }
    }
}

/// Everything about one issued certificate that a fault may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertSpec {
    /// Subject attributes, one RDN each, in order; empty for an empty subject.
    pub subject: Vec<(ObjectIdentifier, String)>,
    /// v1 or v3.
    pub version: CertVersion,
    /// basicConstraints (critical): `Some(ca)` or absent.
    pub basic_constraints: Option<bool>,
    /// notBefore / notAfter.
    pub validity: ValidityWindow,
    /// The FIDO AAGUID extension.
    pub aaguid: Option<AaguidExtension>,
    /// extendedKeyUsage purposes (absent when empty).
    pub eku: Vec<ObjectIdentifier>,
    /// The TPM directoryName SAN.
    pub tpm_san: Option<TpmSan>,
    /// Further extensions, in order (android-key, apple).
    pub extra: Vec<RawExtension>,
}

impl CertSpec {
    /// A v3 end-entity certificate: CA=false, current validity, nothing else.
    pub fn leaf(subject: Vec<(ObjectIdentifier, String)>) -> Self {
        CertSpec {
            subject,
            version: CertVersion::V3,
            basic_constraints: Some(false),
            validity: ValidityWindow::Current,
            aaguid: None,
            eku: Vec::new(),
            tpm_san: None,
            extra: Vec::new(),
        }
    }

    /// A packed attestation certificate meeting W3C L3 §8.2.1: C, O,
    /// OU="Authenticator Attestation", CN; CA=false; the AAGUID extension, not critical.
    pub fn packed(aaguid: [u8; 16]) -> Self {
        CertSpec {
            aaguid: Some(AaguidExtension {
                aaguid,
                critical: false,
            }),
            ..CertSpec::leaf(attestation_subject("Authenticator Attestation"))
        }
    }

    /// A TPM AIK certificate meeting W3C L3 §8.3.1: empty subject, TPM SAN, EKU
    /// 2.23.133.8.3, CA=false, the AAGUID extension.
    pub fn tpm_aik(aaguid: [u8; 16]) -> Self {
        CertSpec {
            eku: vec![OID_TCG_KP_AIK_CERTIFICATE],
            tpm_san: Some(TpmSan::default()),
            aaguid: Some(AaguidExtension {
                aaguid,
                critical: false,
            }),
            ..CertSpec::leaf(Vec::new())
        }
    }
}

/// C=AA, O=webauthn-conformance, OU=`ou`, CN=Virtual Authenticator Attestation.
pub fn attestation_subject(ou: &str) -> Vec<(ObjectIdentifier, String)> {
    vec![
        (OID_C, "AA".into()),
        (OID_O, "webauthn-conformance".into()),
        (OID_OU, ou.into()),
        (OID_CN, "Virtual Authenticator Attestation".into()),
    ]
}

/// A CA signing key.
#[derive(Debug, Clone)]
pub enum CaKey {
    /// ECDSA P-256 with SHA-256.
    P256(p256::ecdsa::SigningKey),
    /// ECDSA P-384 with SHA-384.
    P384(p384::ecdsa::SigningKey),
}

impl CaKey {
    /// A deterministic CA key from `drbg`.
    pub fn generate(p384: bool, drbg: &mut Drbg) -> Result<Self, PkiError> {
        for _ in 0..16 {
            if p384 {
                if let Ok(key) = p384::ecdsa::SigningKey::from_slice(&drbg.bytes("ca key", 48)) {
                    record(Op::KeyGen, Family::P384);
                    return Ok(CaKey::P384(key));
                }
            } else if let Ok(key) = p256::ecdsa::SigningKey::from_slice(&drbg.bytes("ca key", 32)) {
                record(Op::KeyGen, Family::P256);
                return Ok(CaKey::P256(key));
            }
        }
        Err(PkiError::Builder("no CA scalar in range".into()))
    }

    fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, PkiError> {
        let result = match self {
            CaKey::P256(key) => SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()),
            CaKey::P384(key) => SubjectPublicKeyInfoOwned::from_key(*key.verifying_key()),
        };
        result.map_err(|err| PkiError::Der(err.to_string()))
    }
}

/// One CA: its key, name and certificate.
#[derive(Debug, Clone)]
struct Authority {
    key: CaKey,
    name: Name,
    spki: SubjectPublicKeyInfoOwned,
    der: Vec<u8>,
}

/// Which CA signs a new certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issuer {
    /// The root itself (fido-u2f sends a single certificate).
    Root,
    /// The intermediate (the usual case: x5c = [leaf, intermediate]).
    Intermediate,
}

/// A root and an intermediate CA, both deterministic from a label.
#[derive(Debug, Clone)]
pub struct Pki {
    root: Authority,
    intermediate: Authority,
    label: String,
}

impl Pki {
    /// The PKI whose root an RP under test is told to trust.
    /// Made once per process (two key generations and two signatures) and cloned after.
    pub fn standard() -> Result<Self, PkiError> {
        static STANDARD: OnceLock<Result<Pki, PkiError>> = OnceLock::new();
        STANDARD
            .get_or_init(|| Pki::new("attestation pki", false))
            .clone()
    }

    /// Another PKI, same shape, whose root nobody trusts (PK-11, TRUST-02). Made once per
    /// process.
    pub fn untrusted() -> Result<Self, PkiError> {
        static UNTRUSTED: OnceLock<Result<Pki, PkiError>> = OnceLock::new();
        UNTRUSTED
            .get_or_init(|| Pki::new("untrusted attestation pki", false))
            .clone()
    }

    /// A PKI from `label`; with `p384`, both CAs sign with P-384/SHA-384.
    pub fn new(label: &str, p384: bool) -> Result<Self, PkiError> {
        let mut drbg = Drbg::for_label(0, label);
        let root_key = CaKey::generate(p384, &mut drbg)?;
        let intermediate_key = CaKey::generate(p384, &mut drbg)?;
        let root_name = name(&[
            (OID_C, "AA".into()),
            (OID_O, "webauthn-conformance".into()),
            (OID_CN, format!("{label} root")),
        ])?;
        let intermediate_name = name(&[
            (OID_C, "AA".into()),
            (OID_O, "webauthn-conformance".into()),
            (OID_CN, format!("{label} intermediate")),
        ])?;
        let root_spki = root_key.spki()?;
        let root_der = sign_certificate(
            &root_key,
            None,
            serial(label, b"root"),
            (NOW - YEAR, NOW + 20 * YEAR),
            root_name.clone(),
            root_spki.clone(),
            ca_extensions(&root_spki, None, true)?,
        )?;
        let root = Authority {
            key: root_key,
            name: root_name,
            spki: root_spki,
            der: root_der,
        };
        let intermediate_spki = intermediate_key.spki()?;
        let mut intermediate = Authority {
            key: intermediate_key,
            name: intermediate_name,
            spki: intermediate_spki,
            der: Vec::new(),
        };
        intermediate.der = issue_intermediate(
            &root,
            &intermediate,
            label,
            ValidityWindow::Custom {
                not_before: NOW - YEAR,
                not_after: NOW + 15 * YEAR,
            },
            true,
        )?;
        Ok(Pki {
            root,
            intermediate,
            label: label.to_owned(),
        })
    }

    /// The root certificate (DER): load it as the trust anchor.
    pub fn root_der(&self) -> &[u8] {
        &self.root.der
    }

    /// The intermediate certificate (DER).
    pub fn intermediate_der(&self) -> &[u8] {
        &self.intermediate.der
    }

    /// The same intermediate (name and key) re-issued with another validity (PK-14).
    pub fn intermediate_with_validity(
        &self,
        validity: ValidityWindow,
    ) -> Result<Vec<u8>, PkiError> {
        issue_intermediate(&self.root, &self.intermediate, &self.label, validity, true)
    }

    /// The same intermediate re-issued with basicConstraints CA=false: it still signs the
    /// leaf, but RFC 5280 §6.1.4 (k) forbids it to (PK-11.issuer-not-ca).
    pub fn intermediate_not_ca(&self) -> Result<Vec<u8>, PkiError> {
        issue_intermediate(
            &self.root,
            &self.intermediate,
            &self.label,
            ValidityWindow::Custom {
                not_before: NOW - YEAR,
                not_after: NOW + 15 * YEAR,
            },
            false,
        )
    }

    /// Like [`Pki::issue`], but signed by a key that is not `issuer`'s: the certificate names
    /// its issuer correctly, and its signature does not verify with it (PK-11.broken-link).
    pub fn issue_forged(
        &self,
        issuer: Issuer,
        spec: &CertSpec,
        key: &CredentialKey,
        serial_label: &str,
    ) -> Result<Vec<u8>, PkiError> {
        let mut forger = self.clone();
        let forged_key = CaKey::generate(false, &mut Drbg::for_label(0, "forged issuer key"))?;
        match issuer {
            Issuer::Root => forger.root.key = forged_key,
            Issuer::Intermediate => forger.intermediate.key = forged_key,
        }
        forger.issue(issuer, spec, key, serial_label)
    }

    /// Issues a certificate for `key` under `spec`, signed by `issuer`. `serial_label` makes
    /// the serial number (same label and key, same serial).
    pub fn issue(
        &self,
        issuer: Issuer,
        spec: &CertSpec,
        key: &CredentialKey,
        serial_label: &str,
    ) -> Result<Vec<u8>, PkiError> {
        let ca = match issuer {
            Issuer::Root => &self.root,
            Issuer::Intermediate => &self.intermediate,
        };
        let spki = spki_of(key)?;
        let extensions = match spec.version {
            CertVersion::V1 => Vec::new(),
            CertVersion::V3 => leaf_extensions(spec, &spki, &ca.spki)?,
        };
        let mut serial_input = spki.to_der()?;
        serial_input.extend_from_slice(serial_label.as_bytes());
        sign_certificate(
            &ca.key,
            Some(ca.name.clone()),
            serial(&self.label, &serial_input),
            spec.validity.bounds(),
            name(&spec.subject)?,
            spki,
            extensions,
        )
    }
}

/// A deterministic attestation key for `alg`, from a label (same label, same key). Each is made
/// once per process: the labels are the attestation formats' constants.
pub fn attestation_key(alg: CoseAlgorithm, label: &str) -> Result<CredentialKey, PkiError> {
    type Keys = Mutex<BTreeMap<(i64, String), CredentialKey>>;
    static KEYS: OnceLock<Keys> = OnceLock::new();
    let keys = KEYS.get_or_init(Keys::default);
    let id = (alg.id(), label.to_owned());
    // A poisoned lock only means another thread panicked: make the key again.
    if let Some(key) = keys.lock().ok().and_then(|keys| keys.get(&id).cloned()) {
        return Ok(key);
    }
    let key = CredentialKey::generate(alg, &mut Drbg::for_label(0, label))?;
    if let Ok(mut keys) = keys.lock() {
        keys.insert(id, key.clone());
    }
    Ok(key)
}

fn issue_intermediate(
    root: &Authority,
    intermediate: &Authority,
    label: &str,
    validity: ValidityWindow,
    ca: bool,
) -> Result<Vec<u8>, PkiError> {
    sign_certificate(
        &root.key,
        Some(root.name.clone()),
        serial(label, b"intermediate"),
        validity.bounds(),
        intermediate.name.clone(),
        intermediate.spki.clone(),
        ca_extensions(&intermediate.spki, Some(&root.spki), ca)?,
    )
}

/// The SubjectPublicKeyInfo of a credential key (EC P-256/384/521, Ed25519, RSA).
pub fn spki_of(key: &CredentialKey) -> Result<SubjectPublicKeyInfoOwned, PkiError> {
    match key.cose_key() {
        CoseKey::Ec2 { crv, x, y, .. } => {
            let curve = match crv {
                Curve::P256 => OID_P256,
                Curve::P384 => OID_P384,
                Curve::P521 => OID_P521,
                other => return Err(PkiError::UnsupportedKey(format!("{other:?}"))),
            };
            let mut point = vec![0x04];
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            Ok(SubjectPublicKeyInfoOwned {
                algorithm: AlgorithmIdentifierOwned {
                    oid: OID_EC_PUBLIC_KEY,
                    parameters: Some(Any::new(Tag::ObjectIdentifier, curve.as_bytes())?),
                },
                subject_public_key: BitString::from_bytes(&point)?,
            })
        }
        CoseKey::Okp {
            crv: Curve::Ed25519,
            x,
            ..
        } => Ok(SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: OID_ED25519,
                parameters: None,
            },
            subject_public_key: BitString::from_bytes(&x)?,
        }),
        CoseKey::Rsa { n, e, .. } => {
            let mut content = UintRef::new(&n)?.to_der()?;
            content.extend(UintRef::new(&e)?.to_der()?);
            Ok(SubjectPublicKeyInfoOwned {
                algorithm: AlgorithmIdentifierOwned {
                    oid: OID_RSA_ENCRYPTION,
                    parameters: Some(Any::null()),
                },
                subject_public_key: BitString::from_bytes(&tlv(&[0x30], &content))?,
            })
        }
        other => Err(PkiError::UnsupportedKey(other.alg().name())),
    }
}

/// Definite-length DER TLV with the given identifier octets.
pub(crate) fn tlv(tag: &[u8], content: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn name(attributes: &[(ObjectIdentifier, String)]) -> Result<Name, PkiError> {
    let mut rdns = Vec::with_capacity(attributes.len());
    for (oid, value) in attributes {
        // countryName is a PrintableString (RFC 5280 Appendix A); the rest UTF8String.
        let tag = if *oid == OID_C {
            Tag::PrintableString
        } else {
            Tag::Utf8String
        };
        let atv = AttributeTypeAndValue {
            oid: *oid,
            value: Any::new(tag, value.as_bytes())?,
        };
        rdns.push(RelativeDistinguishedName(der::asn1::SetOfVec::try_from(
            vec![atv],
        )?));
    }
    Ok(RdnSequence(rdns))
}

fn serial(label: &str, input: &[u8]) -> SerialNumber {
    let mut data = label.as_bytes().to_vec();
    data.push(b'/');
    data.extend_from_slice(input);
    let digest = crate::sha256(&data);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    // Positive and of full length: top bit clear, top byte non-zero.
    bytes[0] = (bytes[0] & 0x7f) | 0x10;
    // 16 bytes is always within RFC 5280's 20-octet limit.
    SerialNumber::new(&bytes).unwrap_or_else(|_| SerialNumber::from(1u32))
}

fn time(secs: u64) -> Result<Time, PkiError> {
    let duration = Duration::from_secs(secs);
    // UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
    if secs < 2_524_608_000 {
        Ok(Time::UtcTime(UtcTime::from_unix_duration(duration)?))
    } else {
        Ok(Time::GeneralTime(GeneralizedTime::from_unix_duration(
            duration,
        )?))
    }
}

fn key_identifier(spki: &SubjectPublicKeyInfoOwned) -> Result<OctetString, PkiError> {
    use sha1::Digest as _;
    let digest = sha1::Sha1::digest(spki.subject_public_key.raw_bytes());
    Ok(OctetString::new(digest.to_vec())?)
}

fn extension(oid: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Result<Extension, PkiError> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value)?,
    })
}

fn ca_extensions(
    subject: &SubjectPublicKeyInfoOwned,
    issuer: Option<&SubjectPublicKeyInfoOwned>,
    ca: bool,
) -> Result<Vec<Extension>, PkiError> {
    use const_oid::AssociatedOid as _;
    let mut out = vec![
        extension(
            BasicConstraints::OID,
            true,
            BasicConstraints {
                ca,
                path_len_constraint: None,
            }
            .to_der()?,
        )?,
        extension(
            KeyUsage::OID,
            true,
            KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign).to_der()?,
        )?,
        extension(
            SubjectKeyIdentifier::OID,
            false,
            SubjectKeyIdentifier(key_identifier(subject)?).to_der()?,
        )?,
    ];
    if let Some(issuer) = issuer {
        out.push(authority_key_identifier(issuer)?);
    }
    Ok(out)
}

fn authority_key_identifier(issuer: &SubjectPublicKeyInfoOwned) -> Result<Extension, PkiError> {
    use const_oid::AssociatedOid as _;
    extension(
        AuthorityKeyIdentifier::OID,
        false,
        AuthorityKeyIdentifier {
            key_identifier: Some(key_identifier(issuer)?),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        }
        .to_der()?,
    )
}

fn leaf_extensions(
    spec: &CertSpec,
    subject: &SubjectPublicKeyInfoOwned,
    issuer: &SubjectPublicKeyInfoOwned,
) -> Result<Vec<Extension>, PkiError> {
    use const_oid::AssociatedOid as _;
    let mut out = Vec::new();
    if let Some(ca) = spec.basic_constraints {
        out.push(extension(
            BasicConstraints::OID,
            true,
            BasicConstraints {
                ca,
                path_len_constraint: None,
            }
            .to_der()?,
        )?);
    }
    let usage = if spec.basic_constraints == Some(true) {
        KeyUsage(KeyUsages::KeyCertSign | KeyUsages::DigitalSignature)
    } else {
        KeyUsage(KeyUsages::DigitalSignature.into())
    };
    out.push(extension(KeyUsage::OID, true, usage.to_der()?)?);
    out.push(extension(
        SubjectKeyIdentifier::OID,
        false,
        SubjectKeyIdentifier(key_identifier(subject)?).to_der()?,
    )?);
    out.push(authority_key_identifier(issuer)?);
    if !spec.eku.is_empty() {
        out.push(extension(
            ExtendedKeyUsage::OID,
            false,
            ExtendedKeyUsage(spec.eku.clone()).to_der()?,
        )?);
    }
    if let Some(san) = &spec.tpm_san {
        let directory = name(&[
            (OID_TPM_MANUFACTURER, san.manufacturer.clone()),
            (OID_TPM_MODEL, san.model.clone()),
            (OID_TPM_VERSION, san.version.clone()),
        ])?;
        out.push(extension(
            SubjectAltName::OID,
            san.critical,
            SubjectAltName(vec![GeneralName::DirectoryName(directory)]).to_der()?,
        )?);
    }
    if let Some(aaguid) = &spec.aaguid {
        // Doubly wrapped: extnValue (an OCTET STRING) holds the DER of an OCTET STRING.
        out.push(extension(
            OID_FIDO_AAGUID,
            aaguid.critical,
            OctetString::new(aaguid.aaguid.to_vec())?.to_der()?,
        )?);
    }
    for raw in &spec.extra {
        out.push(extension(raw.oid, raw.critical, raw.value.clone())?);
    }
    Ok(out)
}

/// An already encoded extension, handed to the builder as is.
struct Prebuilt(Extension);

impl const_oid::AssociatedOid for Prebuilt {
    // Unused: `to_extension` below writes the extension's own OID.
    const OID: ObjectIdentifier = OID_FIDO_AAGUID;
}

impl der::Encode for Prebuilt {
    fn encoded_len(&self) -> der::Result<der::Length> {
        self.0.extn_value.encoded_len()
    }

    fn encode(&self, encoder: &mut impl der::Writer) -> der::Result<()> {
        self.0.extn_value.encode(encoder)
    }
}

impl AsExtension for Prebuilt {
    fn critical(&self, _subject: &Name, _extensions: &[Extension]) -> bool {
        self.0.critical
    }

    fn to_extension(&self, _subject: &Name, _extensions: &[Extension]) -> der::Result<Extension> {
        Ok(self.0.clone())
    }
}

fn sign_certificate(
    key: &CaKey,
    issuer: Option<Name>,
    serial: SerialNumber,
    (not_before, not_after): (u64, u64),
    subject: Name,
    spki: SubjectPublicKeyInfoOwned,
    extensions: Vec<Extension>,
) -> Result<Vec<u8>, PkiError> {
    let validity = Validity {
        not_before: time(not_before)?,
        not_after: time(not_after)?,
    };
    match key {
        CaKey::P256(signer) => {
            record(Op::Sign, Family::P256);
            build::<_, p256::ecdsa::DerSignature>(
                signer, issuer, serial, validity, subject, spki, extensions,
            )
        }
        CaKey::P384(signer) => {
            record(Op::Sign, Family::P384);
            build::<_, p384::ecdsa::DerSignature>(
                signer, issuer, serial, validity, subject, spki, extensions,
            )
        }
    }
}

fn build<S, Sig>(
    signer: &S,
    issuer: Option<Name>,
    serial: SerialNumber,
    validity: Validity,
    subject: Name,
    spki: SubjectPublicKeyInfoOwned,
    extensions: Vec<Extension>,
) -> Result<Vec<u8>, PkiError>
where
    S: Keypair + DynSignatureAlgorithmIdentifier + Signer<Sig>,
    S::VerifyingKey: EncodePublicKey,
    Sig: SignatureBitStringEncoding,
{
    let mut builder = CertificateBuilder::new(
        Profile::Manual { issuer },
        serial,
        validity,
        subject,
        spki,
        signer,
    )?;
    for extension in extensions {
        builder.add_extension(&Prebuilt(extension))?;
    }
    let certificate = builder.build::<Sig>()?;
    Ok(certificate.to_der()?)
}

#[cfg(test)]
mod tests;
