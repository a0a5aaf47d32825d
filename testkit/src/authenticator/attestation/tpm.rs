//! `tpm` (W3C L3 §8.3): `{ver, alg, x5c, sig, certInfo, pubArea}`, with the TPM 2.0
//! structures TPMT_PUBLIC (pubArea) and TPMS_ATTEST (certInfo) encoded big-endian
//! (TPM 2.0 Part 2 §12.2.4, §10.12.8).

use ciborium::Value;

use super::{
    AttestationError, Statement, StatementInput, flip_last_bit, pki_or_untrusted, remove, set,
    text, x5c,
};
use crate::codec::cose::{CoseAlgorithm, CoseKey, Curve};
use crate::crypto::pki::{self, CertSpec, Issuer, OID_CN, Pki};

/// Label of the AIK (ES256).
pub const AIK_LABEL: &str = "tpm aik";
/// TPM_GENERATED_VALUE.
pub const TPM_GENERATED_VALUE: u32 = 0xff54_4347;
/// TPM_ST_ATTEST_CERTIFY.
pub const TPM_ST_ATTEST_CERTIFY: u16 = 0x8017;
/// TPM_ST_ATTEST_QUOTE (the wrong type used by [`Fault::WrongType`]).
pub const TPM_ST_ATTEST_QUOTE: u16 = 0x8018;
/// TPM_ALG_RSA.
pub const TPM_ALG_RSA: u16 = 0x0001;
/// TPM_ALG_SHA256.
pub const TPM_ALG_SHA256: u16 = 0x000b;
/// TPM_ALG_NULL.
pub const TPM_ALG_NULL: u16 = 0x0010;
/// TPM_ALG_ECC.
pub const TPM_ALG_ECC: u16 = 0x0023;
/// fixedTPM | fixedParent | sensitiveDataOrigin | userWithAuth | noDA | sign.
pub const OBJECT_ATTRIBUTES: u32 = 0x0004_0472;

/// One fault in a TPM statement (check TPM-04…TPM-13). All are re-signed by the AIK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// certInfo.magic ≠ TPM_GENERATED_VALUE (TPM-06).
    WrongMagic,
    /// certInfo.type = TPM_ST_ATTEST_QUOTE (TPM-08).
    WrongType,
    /// certInfo.extraData = hash of other bytes (TPM-05).
    WrongExtraData,
    /// attested.name ≠ Name(pubArea) (TPM-09).
    WrongName,
    /// pubArea.unique is another key; the name follows the faulty pubArea (TPM-07).
    UniqueMismatch,
    /// ver = "1.2" (TPM-10).
    VerNot20,
    /// x5c removed (TPM-10).
    X5cMissing,
    /// x5c = [intermediate, aik] (TPM-04).
    X5cOutOfOrder,
    /// sig over certInfo does not verify (TPM-11).
    SigInvalid,
    /// AIK certificate subject not empty (TPM-12).
    AikSubjectNotEmpty,
    /// AIK certificate without EKU 2.23.133.8.3 (TPM-12).
    AikNoEku,
    /// AIK certificate CA=true (TPM-12).
    AikIsCa,
    /// AIK certificate without the TPM SAN (TPM-12).
    AikNoSan,
    /// AIK AAGUID extension ≠ authData aaguid (TPM-13).
    AaguidMismatch,
    /// The AIK chain is issued by a root nobody trusts (TRUST-02).
    UntrustedRoot,
}

fn u16be(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn sized(out: &mut Vec<u8>, bytes: &[u8]) {
    // TPM2B sizes are u16; every buffer here is far shorter.
    u16be(out, u16::try_from(bytes.len()).unwrap_or(u16::MAX));
    out.extend_from_slice(bytes);
}

/// TPMT_PUBLIC for a credential key: ECC (P-256/384/521) or RSA, nameAlg SHA-256.
pub fn pub_area(key: &CoseKey) -> Result<Vec<u8>, AttestationError> {
    let mut out = Vec::new();
    match key {
        CoseKey::Ec2 { crv, x, y, .. } => {
            let curve_id: u16 = match crv {
                Curve::P256 => 0x0003,
                Curve::P384 => 0x0004,
                Curve::P521 => 0x0005,
                _ => return Err(unsupported(key)),
            };
            u16be(&mut out, TPM_ALG_ECC);
            u16be(&mut out, TPM_ALG_SHA256);
            out.extend_from_slice(&OBJECT_ATTRIBUTES.to_be_bytes());
            sized(&mut out, &[]); // authPolicy
            u16be(&mut out, TPM_ALG_NULL); // symmetric
            u16be(&mut out, TPM_ALG_NULL); // scheme
            u16be(&mut out, curve_id);
            u16be(&mut out, TPM_ALG_NULL); // kdf
            sized(&mut out, x);
            sized(&mut out, y);
        }
        CoseKey::Rsa { n, e, .. } => {
            let mut exponent = [0u8; 4];
            let start = 4usize.saturating_sub(e.len());
            exponent[start..].copy_from_slice(&e[e.len().saturating_sub(4)..]);
            u16be(&mut out, TPM_ALG_RSA);
            u16be(&mut out, TPM_ALG_SHA256);
            out.extend_from_slice(&OBJECT_ATTRIBUTES.to_be_bytes());
            sized(&mut out, &[]);
            u16be(&mut out, TPM_ALG_NULL);
            u16be(&mut out, TPM_ALG_NULL);
            u16be(&mut out, u16::try_from(n.len() * 8).unwrap_or(u16::MAX)); // keyBits
            out.extend_from_slice(&exponent);
            sized(&mut out, n);
        }
        _ => return Err(unsupported(key)),
    }
    Ok(out)
}

fn unsupported(key: &CoseKey) -> AttestationError {
    AttestationError::UnsupportedCredential {
        format: "tpm",
        alg: key.alg().name(),
    }
}

/// The Name of a pubArea with nameAlg SHA-256: nameAlg ‖ SHA-256(pubArea).
pub fn name_of(pub_area: &[u8]) -> Vec<u8> {
    let mut out = TPM_ALG_SHA256.to_be_bytes().to_vec();
    out.extend_from_slice(&crate::sha256(pub_area));
    out
}

/// TPMS_ATTEST with a TPMS_CERTIFY_INFO (TPM 2.0 Part 2 §10.12.8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// TPM_GENERATED_VALUE.
    pub magic: u32,
    /// TPM_ST_ATTEST_CERTIFY.
    pub type_: u16,
    /// qualifiedSigner (ignored by verifiers).
    pub qualified_signer: Vec<u8>,
    /// extraData: hash(attToBeSigned) with alg's hash.
    pub extra_data: Vec<u8>,
    /// clockInfo.clock.
    pub clock: u64,
    /// clockInfo.resetCount.
    pub reset_count: u32,
    /// clockInfo.restartCount.
    pub restart_count: u32,
    /// clockInfo.safe.
    pub safe: u8,
    /// firmwareVersion.
    pub firmware_version: u64,
    /// attested.name: Name(pubArea).
    pub name: Vec<u8>,
    /// attested.qualifiedName.
    pub qualified_name: Vec<u8>,
}

impl CertInfo {
    /// The big-endian TPM encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.magic.to_be_bytes().to_vec();
        u16be(&mut out, self.type_);
        sized(&mut out, &self.qualified_signer);
        sized(&mut out, &self.extra_data);
        out.extend_from_slice(&self.clock.to_be_bytes());
        out.extend_from_slice(&self.reset_count.to_be_bytes());
        out.extend_from_slice(&self.restart_count.to_be_bytes());
        out.push(self.safe);
        out.extend_from_slice(&self.firmware_version.to_be_bytes());
        sized(&mut out, &self.name);
        sized(&mut out, &self.qualified_name);
        out
    }
}

/// A TPM statement (§8.3) attested by the AIK, with x5c = [aikCert, intermediate].
pub fn produce(
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<Fault>,
) -> Result<Statement, AttestationError> {
    let pki = pki_or_untrusted(pki, fault == Some(Fault::UntrustedRoot))?;
    let aik = pki::attestation_key(CoseAlgorithm::Es256, AIK_LABEL)?;
    let mut spec = CertSpec::tpm_aik(input.aaguid);
    match fault {
        Some(Fault::AikSubjectNotEmpty) => {
            spec.subject = vec![(OID_CN, "Virtual TPM AIK".into())];
        }
        Some(Fault::AikNoEku) => spec.eku.clear(),
        Some(Fault::AikIsCa) => spec.basic_constraints = Some(true),
        Some(Fault::AikNoSan) => spec.tpm_san = None,
        Some(Fault::AaguidMismatch) => {
            if let Some(ext) = spec.aaguid.as_mut() {
                ext.aaguid[0] ^= 0xff;
            }
        }
        _ => {}
    }
    let aik_cert = pki.issue(Issuer::Intermediate, &spec, &aik, "tpm aik")?;

    let mut key = input.credential.cose_key();
    if fault == Some(Fault::UniqueMismatch) {
        key = match key {
            CoseKey::Rsa { alg, mut n, e } => {
                // Bit 1 of the last byte: n stays odd and the same length.
                flip_bit(&mut n, 0x02);
                CoseKey::Rsa { alg, n, e }
            }
            _ => super::other_key(input.credential, "tpm other key")?.cose_key(),
        };
    }
    let pub_area = pub_area(&key)?;
    let mut name = name_of(&pub_area);
    if fault == Some(Fault::WrongName) {
        flip_bit(&mut name, 0x01);
    }
    let mut to_hash = input.signed_data();
    if fault == Some(Fault::WrongExtraData) {
        to_hash.push(0x00);
    }
    let cert_info = CertInfo {
        magic: if fault == Some(Fault::WrongMagic) {
            0xff54_4348
        } else {
            TPM_GENERATED_VALUE
        },
        type_: if fault == Some(Fault::WrongType) {
            TPM_ST_ATTEST_QUOTE
        } else {
            TPM_ST_ATTEST_CERTIFY
        },
        qualified_signer: name_of(b"virtual tpm storage hierarchy"),
        extra_data: crate::sha256(&to_hash).to_vec(),
        clock: 0x0000_0001_0000_0000,
        reset_count: 1,
        restart_count: 0,
        safe: 1,
        firmware_version: 0x0002_0000_0000_0001,
        name,
        qualified_name: name_of(b"virtual tpm qualified name"),
    }
    .to_bytes();
    let mut sig = aik.sign(&cert_info);
    if fault == Some(Fault::SigInvalid) {
        flip_last_bit(&mut sig);
    }
    let certs = if fault == Some(Fault::X5cOutOfOrder) {
        vec![pki.intermediate_der().to_vec(), aik_cert]
    } else {
        vec![aik_cert, pki.intermediate_der().to_vec()]
    };
    let mut entries = vec![
        (text("ver"), text("2.0")),
        (text("alg"), Value::Integer(aik.alg().id().into())),
        (text("x5c"), x5c(certs)),
        (text("sig"), Value::Bytes(sig)),
        (text("certInfo"), Value::Bytes(cert_info)),
        (text("pubArea"), Value::Bytes(pub_area)),
    ];
    match fault {
        Some(Fault::VerNot20) => set(&mut entries, "ver", text("1.2")),
        Some(Fault::X5cMissing) => remove(&mut entries, "x5c"),
        _ => {}
    }
    Ok(Statement {
        fmt: "tpm".into(),
        att_stmt: Value::Map(entries),
    })
}

fn flip_bit(bytes: &mut [u8], mask: u8) {
    if let Some(last) = bytes.last_mut() {
        *last ^= mask;
    }
}
