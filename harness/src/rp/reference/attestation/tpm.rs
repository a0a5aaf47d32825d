//! `tpm` (W3C L3 §8.3, §8.3.1): TPMT_PUBLIC and TPMS_ATTEST decoded here (TPM 2.0 Part 2
//! §12.2.4, §10.12.12), independently of any encoder.

use ciborium::Value;
use sha1::Digest as _;

use super::cert::{self, Cert, CertError};
use super::{AttestationType, StatementContext, Verified};
use crate::codec::cbor;
use crate::codec::cose::{CoseAlgorithm, CoseKey, Curve};
use crate::crypto::{self, SignatureError};

const TPM_GENERATED_VALUE: u32 = 0xff54_4347;
const TPM_ST_ATTEST_CERTIFY: u16 = 0x8017;
const TPM_ALG_RSA: u16 = 0x0001;
const TPM_ALG_ECC: u16 = 0x0023;
const TPM_ALG_NULL: u16 = 0x0010;
/// tcg-kp-AIKCertificate.
const OID_TCG_KP_AIK: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("2.23.133.8.3");

/// The switchable sub-checks of §8.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// Syntax: aikCert is `x5c[0]` (off: the first non-CA certificate is taken).
    LeafFirst,
    /// Syntax: ver is "2.0".
    Version,
    /// Step 2: pubArea parameters and unique equal the credential public key.
    PubAreaMatchesCredential,
    /// Step 4: certInfo.magic is TPM_GENERATED_VALUE.
    Magic,
    /// Step 4: certInfo.type is TPM_ST_ATTEST_CERTIFY.
    AttestType,
    /// Step 4: certInfo.extraData is the hash of attToBeSigned with alg's hash.
    ExtraData,
    /// Step 4: certInfo.attested.name is pubArea's Name.
    AttestedName,
    /// Step 5: sig verifies over certInfo with aikCert's key.
    Signature,
    /// §8.3.1: empty subject.
    AikSubjectEmpty,
    /// §8.3.1: a Subject Alternative Name extension.
    AikSan,
    /// §8.3.1: EKU contains 2.23.133.8.3.
    AikEku,
    /// §8.3.1: basicConstraints CA=false.
    AikNotCa,
    /// Step 5: the aaguid extension, if present, equals authData's aaguid.
    AaguidMatches,
}

impl Check {
    /// Every check.
    pub const ALL: &[Check] = &[
        Check::LeafFirst,
        Check::Version,
        Check::PubAreaMatchesCredential,
        Check::Magic,
        Check::AttestType,
        Check::ExtraData,
        Check::AttestedName,
        Check::Signature,
        Check::AikSubjectEmpty,
        Check::AikSan,
        Check::AikEku,
        Check::AikNotCa,
        Check::AaguidMatches,
    ];

    /// A stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Check::LeafFirst => "leaf-first",
            Check::Version => "ver",
            Check::PubAreaMatchesCredential => "pubarea-matches-credential",
            Check::Magic => "magic",
            Check::AttestType => "attest-type",
            Check::ExtraData => "extra-data",
            Check::AttestedName => "attested-name",
            Check::Signature => "signature",
            Check::AikSubjectEmpty => "aik-subject-empty",
            Check::AikSan => "aik-san",
            Check::AikEku => "aik-eku",
            Check::AikNotCa => "aik-not-ca",
            Check::AaguidMatches => "aaguid-matches",
        }
    }
}

/// Why a `tpm` statement failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TpmError {
    /// Syntax.
    #[error("tpm attStmt: {0} (W3C L3 §8.3 syntax)")]
    Syntax(String),
    /// Syntax.
    #[error("ver is {0:?}, expected \"2.0\" (W3C L3 §8.3 syntax)")]
    Version(String),
    /// pubArea cannot be decoded.
    #[error("pubArea is not a TPMT_PUBLIC: {0} (W3C L3 §8.3 verification step 2)")]
    PubArea(String),
    /// certInfo cannot be decoded.
    #[error("certInfo is not a TPMS_ATTEST: {0} (W3C L3 §8.3 verification step 4)")]
    CertInfo(String),
    /// Step 2.
    #[error(
        "pubArea does not hold the credential public key: {0} (W3C L3 §8.3 verification step 2)"
    )]
    PubAreaMismatch(String),
    /// Step 4.
    #[error("certInfo.magic is {0:#010x}, expected 0xff544347 (W3C L3 §8.3 verification step 4)")]
    Magic(u32),
    /// Step 4.
    #[error(
        "certInfo.type is {0:#06x}, expected TPM_ST_ATTEST_CERTIFY 0x8017 (W3C L3 §8.3 verification step 4)"
    )]
    AttestType(u16),
    /// Step 4.
    #[error(
        "certInfo.extraData is not the hash of attToBeSigned with alg {alg}'s hash (W3C L3 §8.3 verification step 4)"
    )]
    ExtraData {
        /// alg from attStmt.
        alg: i64,
    },
    /// Step 4.
    #[error("certInfo.attested.name is not pubArea's Name: {0} (W3C L3 §8.3 verification step 4)")]
    AttestedName(String),
    /// alg has no hash we implement.
    #[error("alg {0} is not supported for tpm (W3C L3 §8.3 verification step 4)")]
    UnsupportedAlg(i64),
    /// aikCert cannot be read.
    #[error("aikCert: {0} (W3C L3 §8.3.1)")]
    Cert(CertError),
    /// Step 5.
    #[error(
        "sig does not verify over certInfo with aikCert's key: {0} (W3C L3 §8.3 verification step 5)"
    )]
    Signature(SignatureError),
    /// §8.3.1.
    #[error("aikCert {0} (W3C L3 §8.3.1)")]
    AikRequirement(&'static str),
    /// Step 5.
    #[error(
        "aikCert aaguid extension is {found}, authData aaguid is {expected} (W3C L3 §8.3 verification step 5)"
    )]
    AaguidMismatch {
        /// Extension value, hex.
        found: String,
        /// authData aaguid, hex.
        expected: String,
    },
}

/// §8.3 verification procedure.
pub fn verify(
    att_stmt: &Value,
    ctx: &StatementContext,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<Verified, TpmError> {
    let syntax = |s: &str| TpmError::Syntax(s.to_owned());
    let Value::Map(entries) = att_stmt else {
        return Err(syntax("attStmt must be a map"));
    };
    let bytes = |key: &str| -> Result<&Vec<u8>, TpmError> {
        match cbor::map_get_text(entries, key) {
            Some(Value::Bytes(b)) => Ok(b),
            Some(other) => Err(TpmError::Syntax(format!(
                "{key} must be bytes, found {}",
                cbor::kind(other)
            ))),
            None => Err(TpmError::Syntax(format!("{key} is missing"))),
        }
    };
    let ver = match cbor::map_get_text(entries, "ver") {
        Some(Value::Text(v)) => v.clone(),
        Some(other) => cbor::describe(other),
        None => return Err(syntax("ver is missing")),
    };
    if ver != "2.0" && enabled(Check::Version) {
        return Err(TpmError::Version(ver));
    }
    let alg = match cbor::map_get_text(entries, "alg").map(cbor::as_i64) {
        Some(Some(alg)) => alg,
        Some(None) => return Err(syntax("alg must be an integer")),
        None => return Err(syntax("alg is missing")),
    };
    let x5c = cbor::map_get_text(entries, "x5c")
        .and_then(cert::x5c_bytes)
        .filter(|x| !x.is_empty())
        .ok_or_else(|| syntax("x5c must be a non-empty array of certificates"))?;
    let x5c = cert::leaf_first(x5c, enabled(Check::LeafFirst));
    let sig = bytes("sig")?;
    let cert_info = bytes("certInfo")?;
    let pub_area_bytes = bytes("pubArea")?;

    // Step 2: pubArea holds the credential public key.
    let pub_area = PubArea::parse(pub_area_bytes).map_err(TpmError::PubArea)?;
    if enabled(Check::PubAreaMatchesCredential) {
        pub_area.matches(ctx.credential_key)?;
    }
    // Steps 3-4: certInfo.
    let info = CertInfo::parse(cert_info).map_err(TpmError::CertInfo)?;
    if info.magic != TPM_GENERATED_VALUE && enabled(Check::Magic) {
        return Err(TpmError::Magic(info.magic));
    }
    if info.attest_type != TPM_ST_ATTEST_CERTIFY && enabled(Check::AttestType) {
        return Err(TpmError::AttestType(info.attest_type));
    }
    if enabled(Check::ExtraData) {
        let expected = hash_for_alg(alg, &super::att_to_be_signed(ctx))
            .ok_or(TpmError::UnsupportedAlg(alg))?;
        if info.extra_data != expected {
            return Err(TpmError::ExtraData { alg });
        }
    }
    if enabled(Check::AttestedName) {
        let name_alg = pub_area.name_alg;
        let digest = hash_for_tpm_alg(name_alg, pub_area_bytes).ok_or_else(|| {
            TpmError::AttestedName(format!("pubArea.nameAlg {name_alg:#06x} is not supported"))
        })?;
        let mut name = name_alg.to_be_bytes().to_vec();
        name.extend_from_slice(&digest);
        if info.attested_name != name {
            return Err(TpmError::AttestedName(format!(
                "found {}, expected {}",
                hex::encode(&info.attested_name),
                hex::encode(&name)
            )));
        }
    }
    // Step 5: aikCert and sig.
    let aik =
        Cert::parse(x5c.first().map(Vec::as_slice).unwrap_or_default()).map_err(TpmError::Cert)?;
    if enabled(Check::Signature) {
        let key = aik.key().map_err(TpmError::Cert)?;
        crypto::verify(&key.to_cose(CoseAlgorithm::from_id(alg)), cert_info, sig)
            .map_err(TpmError::Signature)?;
    }
    check_aik(&aik, ctx, enabled)?;
    Ok(Verified {
        attestation_type: AttestationType::AttCa,
        trust_path: x5c,
    })
}

/// §8.3.1 aikCert requirements.
fn check_aik(
    aik: &Cert,
    ctx: &StatementContext,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<(), TpmError> {
    // Not switchable: a v1 certificate has no extensions, so the SAN and EKU checks below
    // reject it anyway (an equivalent mutant).
    if !aik.is_v3() {
        return Err(TpmError::AikRequirement("version is not 3"));
    }
    if enabled(Check::AikSubjectEmpty) && !aik.subject_is_empty() {
        return Err(TpmError::AikRequirement("subject is not empty"));
    }
    if enabled(Check::AikSan) && aik.extension(cert::OID_SUBJECT_ALT_NAME).is_none() {
        return Err(TpmError::AikRequirement(
            "has no Subject Alternative Name extension",
        ));
    }
    if enabled(Check::AikEku) {
        let has_aik_eku = aik
            .extension(cert::OID_EXT_KEY_USAGE)
            .and_then(|ext| {
                <x509_cert::ext::pkix::ExtendedKeyUsage as der::Decode>::from_der(
                    ext.extn_value.as_bytes(),
                )
                .ok()
            })
            .is_some_and(|eku| eku.0.contains(&OID_TCG_KP_AIK));
        if !has_aik_eku {
            return Err(TpmError::AikRequirement(
                "Extended Key Usage does not contain 2.23.133.8.3",
            ));
        }
    }
    if enabled(Check::AikNotCa) && aik.is_ca().map_err(TpmError::Cert)? {
        return Err(TpmError::AikRequirement("has basicConstraints CA=true"));
    }
    if let Some((_, value)) = cert::aaguid_extension(aik).map_err(TpmError::Cert)? {
        let expected = super::aaguid(ctx);
        if value != expected && enabled(Check::AaguidMatches) {
            return Err(TpmError::AaguidMismatch {
                found: hex::encode(&value),
                expected: hex::encode(expected),
            });
        }
    }
    Ok(())
}

/// The hash of COSE `alg` (TPM signing schemes use the algorithm's hash).
fn hash_for_alg(alg: i64, data: &[u8]) -> Option<Vec<u8>> {
    match CoseAlgorithm::from_id(alg) {
        CoseAlgorithm::Es256 | CoseAlgorithm::Rs256 | CoseAlgorithm::Ps256 => {
            Some(sha2::Sha256::digest(data).to_vec())
        }
        CoseAlgorithm::Es384 | CoseAlgorithm::Rs384 | CoseAlgorithm::Ps384 => {
            Some(sha2::Sha384::digest(data).to_vec())
        }
        CoseAlgorithm::Es512 | CoseAlgorithm::Rs512 | CoseAlgorithm::Ps512 => {
            Some(sha2::Sha512::digest(data).to_vec())
        }
        CoseAlgorithm::Rs1 => Some(sha1::Sha1::digest(data).to_vec()),
        _ => None,
    }
}

/// The hash of a TPM_ALG_ID (nameAlg).
fn hash_for_tpm_alg(alg: u16, data: &[u8]) -> Option<Vec<u8>> {
    match alg {
        0x0004 => Some(sha1::Sha1::digest(data).to_vec()),
        0x000b => Some(sha2::Sha256::digest(data).to_vec()),
        0x000c => Some(sha2::Sha384::digest(data).to_vec()),
        0x000d => Some(sha2::Sha512::digest(data).to_vec()),
        _ => None,
    }
}

/// A big-endian reader over TPM structures; every read is bounds-checked.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err(format!("truncated at {what}"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u16(&mut self, what: &str) -> Result<u16, String> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, what: &str) -> Result<u32, String> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn sized(&mut self, what: &str) -> Result<&'a [u8], String> {
        let n = self.u16(what)?;
        self.take(usize::from(n), what)
    }
    fn finish(&self, what: &str) -> Result<(), String> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(format!("{} trailing byte(s) after {what}", self.0.len()))
        }
    }
}

/// The parts of TPMT_PUBLIC the verification uses.
#[derive(Debug)]
struct PubArea {
    name_alg: u16,
    key: PubKey,
}

#[derive(Debug)]
enum PubKey {
    Ecc {
        curve_id: u16,
        x: Vec<u8>,
        y: Vec<u8>,
    },
    Rsa {
        exponent: u32,
        n: Vec<u8>,
    },
}

impl PubArea {
    fn parse(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader(bytes);
        let key_type = r.u16("type")?;
        let name_alg = r.u16("nameAlg")?;
        r.u32("objectAttributes")?;
        r.sized("authPolicy")?;
        // TPMT_SYM_DEF_OBJECT: algorithm, then keyBits and mode unless NULL.
        let skip_sym = |r: &mut Reader| -> Result<(), String> {
            if r.u16("parameters.symmetric")? != TPM_ALG_NULL {
                r.take(4, "parameters.symmetric details")?;
            }
            Ok(())
        };
        // TPMT_*_SCHEME: scheme, then hashAlg unless NULL.
        let skip_scheme = |r: &mut Reader, what: &str| -> Result<(), String> {
            if r.u16(what)? != TPM_ALG_NULL {
                r.take(2, what)?;
            }
            Ok(())
        };
        let key = match key_type {
            TPM_ALG_ECC => {
                skip_sym(&mut r)?;
                skip_scheme(&mut r, "parameters.scheme")?;
                let curve_id = r.u16("parameters.curveID")?;
                skip_scheme(&mut r, "parameters.kdf")?;
                let x = r.sized("unique.x")?.to_vec();
                let y = r.sized("unique.y")?.to_vec();
                PubKey::Ecc { curve_id, x, y }
            }
            TPM_ALG_RSA => {
                skip_sym(&mut r)?;
                skip_scheme(&mut r, "parameters.scheme")?;
                r.u16("parameters.keyBits")?;
                let exponent = r.u32("parameters.exponent")?;
                let n = r.sized("unique")?.to_vec();
                PubKey::Rsa { exponent, n }
            }
            other => {
                return Err(format!(
                    "type {other:#06x} is neither TPM_ALG_ECC nor TPM_ALG_RSA"
                ));
            }
        };
        r.finish("unique")?;
        Ok(PubArea { name_alg, key })
    }

    /// Step 2: parameters and unique equal the credential public key.
    fn matches(&self, credential: &CoseKey) -> Result<(), TpmError> {
        let mismatch = |s: String| Err(TpmError::PubAreaMismatch(s));
        match (&self.key, credential) {
            (
                PubKey::Ecc { curve_id, x, y },
                CoseKey::Ec2 {
                    crv, x: cx, y: cy, ..
                },
            ) => {
                let expected = match crv {
                    Curve::P256 => 0x0003,
                    Curve::P384 => 0x0004,
                    Curve::P521 => 0x0005,
                    _ => return mismatch(format!("credential curve {crv:?} has no TPM curve")),
                };
                if *curve_id != expected {
                    return mismatch(format!("curveID {curve_id:#06x}, credential curve {crv:?}"));
                }
                if x != cx || y != cy {
                    return mismatch("unique.x/unique.y differ from the credential x/y".into());
                }
                Ok(())
            }
            (PubKey::Rsa { exponent, n }, CoseKey::Rsa { n: cn, e, .. }) => {
                let exponent = if *exponent == 0 { 65537 } else { *exponent };
                let e_value = e.iter().try_fold(0u64, |acc, b| {
                    acc.checked_mul(256).map(|v| v + u64::from(*b))
                });
                if e_value != Some(u64::from(exponent)) {
                    return mismatch(format!("exponent {exponent} differs from the credential e"));
                }
                if strip(n) != strip(cn) {
                    return mismatch("unique (modulus) differs from the credential n".into());
                }
                Ok(())
            }
            (PubKey::Ecc { .. }, _) => {
                mismatch("pubArea is ECC, the credential key is not EC2".into())
            }
            (PubKey::Rsa { .. }, _) => {
                mismatch("pubArea is RSA, the credential key is not RSA".into())
            }
        }
    }
}

fn strip(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// The parts of TPMS_ATTEST the verification uses.
#[derive(Debug)]
struct CertInfo {
    magic: u32,
    attest_type: u16,
    extra_data: Vec<u8>,
    attested_name: Vec<u8>,
}

impl CertInfo {
    fn parse(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader(bytes);
        let magic = r.u32("magic")?;
        let attest_type = r.u16("type")?;
        r.sized("qualifiedSigner")?;
        let extra_data = r.sized("extraData")?.to_vec();
        // TPMS_CLOCK_INFO (17 bytes) and firmwareVersion (8 bytes) are ignored (§8.3 step 4).
        r.take(17, "clockInfo")?;
        r.take(8, "firmwareVersion")?;
        let attested_name = r.sized("attested.name")?.to_vec();
        r.sized("attested.qualifiedName")?;
        r.finish("attested")?;
        Ok(CertInfo {
            magic,
            attest_type,
            extra_data,
            attested_name,
        })
    }
}
