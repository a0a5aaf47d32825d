//! `android-key` (W3C L3 §8.4): `{alg, sig, x5c}`; `x5c[0]` certifies the credential key and
//! carries the key attestation extension (a KeyDescription, Android Keystore schema v3).

use ciborium::Value;
use der::Encode as _;
use der::asn1::{Null, OctetStringRef};

use super::{AttestationError, Statement, StatementInput, flip_last_bit, text, x5c};
use crate::codec::cose::{CoseKey, Curve};
use crate::crypto::pki::{CertSpec, Issuer, OID_CN, Pki, PkiError, RawExtension, tlv};

/// KM_PURPOSE_SIGN.
pub const KM_PURPOSE_SIGN: i64 = 2;
/// KM_PURPOSE_VERIFY (the wrong purpose of [`Fault::PurposeNotSign`]).
pub const KM_PURPOSE_VERIFY: i64 = 3;
/// KM_ORIGIN_GENERATED.
pub const KM_ORIGIN_GENERATED: i64 = 0;
/// KM_ORIGIN_IMPORTED (the wrong origin of [`Fault::OriginNotGenerated`]).
pub const KM_ORIGIN_IMPORTED: i64 = 2;

/// One fault in an android-key statement (check AK-02…AK-07).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// attestationChallenge ≠ clientDataHash (AK-02).
    ChallengeMismatch,
    /// `x5c[0]` certifies another key, which also makes sig (AK-03).
    CertKeyMismatch,
    /// x5c = [intermediate, leaf] (AK-04).
    OutOfOrder,
    /// sig does not verify (AK-05).
    SigInvalid,
    /// allApplications in teeEnforced (AK-06).
    AllApplicationsTee,
    /// allApplications in softwareEnforced (AK-06).
    AllApplicationsSoftware,
    /// origin = KM_ORIGIN_IMPORTED (AK-07).
    OriginNotGenerated,
    /// purpose = {KM_PURPOSE_VERIFY} (AK-07).
    PurposeNotSign,
    /// Not a fault under L3: x5c stops below the root (leaf, intermediate), where Android
    /// Keystore chains end with the root itself (the positive AK-01.no-root).
    WithoutRoot,
}

/// An AuthorizationList (the tags W3C L3 §8.4 reads, plus key facts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizationList {
    /// `purpose [1] SET OF INTEGER`.
    pub purpose: Vec<i64>,
    /// `algorithm [2] INTEGER` (KM_ALGORITHM_EC = 3, RSA = 1).
    pub algorithm: Option<i64>,
    /// `keySize [3] INTEGER`.
    pub key_size: Option<i64>,
    /// `digest [5] SET OF INTEGER`.
    pub digest: Vec<i64>,
    /// `ecCurve [10] INTEGER`.
    pub ec_curve: Option<i64>,
    /// `allApplications [600] NULL`.
    pub all_applications: bool,
    /// `origin [702] INTEGER`.
    pub origin: Option<i64>,
}

/// Identifier octets of a context-specific constructed tag `[n]` (high-tag-number form
/// above 30, which the `der` crate's TagNumber does not cover).
fn context(n: u32) -> Vec<u8> {
    if n <= 30 {
        return vec![0xa0 | n as u8];
    }
    let mut digits = Vec::new();
    let mut v = n;
    while v > 0 {
        digits.push((v & 0x7f) as u8);
        v >>= 7;
    }
    let mut out = vec![0xbf];
    for (i, d) in digits.iter().enumerate().rev() {
        out.push(if i == 0 { *d } else { d | 0x80 });
    }
    out
}

fn set_of_integers(values: &[i64]) -> Result<Vec<u8>, PkiError> {
    let mut items = Vec::new();
    for v in values {
        items.push(v.to_der()?);
    }
    items.sort(); // DER SET OF: ascending encodings
    Ok(tlv(&[0x31], &items.concat()))
}

impl AuthorizationList {
    /// DER, fields in ascending tag order.
    pub fn to_der(&self) -> Result<Vec<u8>, PkiError> {
        let mut content = Vec::new();
        if !self.purpose.is_empty() {
            content.extend(tlv(&context(1), &set_of_integers(&self.purpose)?));
        }
        if let Some(v) = self.algorithm {
            content.extend(tlv(&context(2), &v.to_der()?));
        }
        if let Some(v) = self.key_size {
            content.extend(tlv(&context(3), &v.to_der()?));
        }
        if !self.digest.is_empty() {
            content.extend(tlv(&context(5), &set_of_integers(&self.digest)?));
        }
        if let Some(v) = self.ec_curve {
            content.extend(tlv(&context(10), &v.to_der()?));
        }
        if self.all_applications {
            content.extend(tlv(&context(600), &Null.to_der()?));
        }
        if let Some(v) = self.origin {
            content.extend(tlv(&context(702), &v.to_der()?));
        }
        Ok(tlv(&[0x30], &content))
    }
}

/// KeyDescription (attestationVersion 3, TrustedEnvironment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDescription {
    /// attestationChallenge: clientDataHash.
    pub attestation_challenge: Vec<u8>,
    /// softwareEnforced.
    pub software_enforced: AuthorizationList,
    /// teeEnforced.
    pub tee_enforced: AuthorizationList,
}

impl KeyDescription {
    /// DER of the SEQUENCE.
    pub fn to_der(&self) -> Result<Vec<u8>, PkiError> {
        let trusted_environment = tlv(&[0x0a], &[0x01]); // ENUMERATED SecurityLevel
        let mut content = 3i64.to_der()?; // attestationVersion
        content.extend(&trusted_environment);
        content.extend(4i64.to_der()?); // keymasterVersion
        content.extend(&trusted_environment);
        content.extend(OctetStringRef::new(&self.attestation_challenge)?.to_der()?);
        content.extend(OctetStringRef::new(&[])?.to_der()?); // uniqueId
        content.extend(self.software_enforced.to_der()?);
        content.extend(self.tee_enforced.to_der()?);
        Ok(tlv(&[0x30], &content))
    }
}

/// The valid KeyDescription for `input`, with `fault` applied.
pub fn key_description(input: &StatementInput<'_>, fault: Option<Fault>) -> KeyDescription {
    let (algorithm, key_size, ec_curve) = match input.credential.cose_key() {
        CoseKey::Ec2 {
            crv: Curve::P256, ..
        } => (3, 256, Some(1)),
        CoseKey::Ec2 {
            crv: Curve::P384, ..
        } => (3, 384, Some(2)),
        CoseKey::Ec2 {
            crv: Curve::P521, ..
        } => (3, 521, Some(3)),
        CoseKey::Rsa { ref n, .. } => (1, i64::try_from(n.len() * 8).unwrap_or(2048), None),
        _ => (3, 256, Some(4)), // CURVE_25519
    };
    let mut challenge = input.client_data_hash.to_vec();
    if fault == Some(Fault::ChallengeMismatch) {
        flip_last_bit(&mut challenge);
    }
    KeyDescription {
        attestation_challenge: challenge,
        software_enforced: AuthorizationList {
            all_applications: fault == Some(Fault::AllApplicationsSoftware),
            ..AuthorizationList::default()
        },
        tee_enforced: AuthorizationList {
            purpose: vec![if fault == Some(Fault::PurposeNotSign) {
                KM_PURPOSE_VERIFY
            } else {
                KM_PURPOSE_SIGN
            }],
            algorithm: Some(algorithm),
            key_size: Some(key_size),
            digest: vec![4], // SHA_2_256
            ec_curve,
            all_applications: fault == Some(Fault::AllApplicationsTee),
            origin: Some(if fault == Some(Fault::OriginNotGenerated) {
                KM_ORIGIN_IMPORTED
            } else {
                KM_ORIGIN_GENERATED
            }),
        },
    }
}

/// An android-key statement (§8.4): sig by the credential key, x5c = [credCert, intermediate,
/// root], the whole chain as Android Keystore sends it.
pub fn produce(
    input: &StatementInput<'_>,
    pki: &Pki,
    fault: Option<Fault>,
) -> Result<Statement, AttestationError> {
    let other;
    let key = if fault == Some(Fault::CertKeyMismatch) {
        other = super::other_key(input.credential, "android-key other key")?;
        &other
    } else {
        input.credential
    };
    let mut spec = CertSpec::leaf(vec![(OID_CN, "Android Keystore Key".into())]);
    spec.extra.push(RawExtension::android_key_description(
        key_description(input, fault).to_der()?,
    ));
    let leaf = pki.issue(Issuer::Intermediate, &spec, key, "android-key")?;
    let mut sig = key.sign(&input.signed_data());
    if fault == Some(Fault::SigInvalid) {
        flip_last_bit(&mut sig);
    }
    let intermediate = pki.intermediate_der().to_vec();
    let mut certs = if fault == Some(Fault::OutOfOrder) {
        vec![intermediate, leaf]
    } else {
        vec![leaf, intermediate]
    };
    if fault != Some(Fault::WithoutRoot) {
        certs.push(pki.root_der().to_vec());
    }
    Ok(Statement {
        fmt: "android-key".into(),
        att_stmt: Value::Map(vec![
            (text("alg"), Value::Integer(key.alg().id().into())),
            (text("sig"), Value::Bytes(sig)),
            (text("x5c"), x5c(certs)),
        ]),
    })
}
