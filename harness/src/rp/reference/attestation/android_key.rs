//! `android-key` (W3C L3 §8.4): the Android Keystore KeyDescription extension is decoded here.

use ciborium::Value;

use super::cert::{self, Cert, CertError, KeyMaterial};
use super::{AttestationType, StatementContext, Verified};
use crate::codec::cbor;
use crate::codec::cose::CoseAlgorithm;
use crate::crypto::{self, SignatureError};

/// The Android key attestation extension.
const OID_KEY_DESCRIPTION: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.1.17");
/// AuthorizationList tags (Keymaster `Tag` numbers).
const TAG_PURPOSE: u32 = 1;
const TAG_ALL_APPLICATIONS: u32 = 600;
const TAG_ORIGIN: u32 = 702;
const KM_PURPOSE_SIGN: u64 = 2;
const KM_ORIGIN_GENERATED: u64 = 0;

/// The switchable sub-checks of §8.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// Step 2: the attestation certificate is `x5c[0]` (off: the first non-CA certificate is taken).
    LeafFirst,
    /// Step 2: sig verifies with `x5c[0]`'s key using alg.
    Signature,
    /// Step 3: `x5c[0]`'s public key is the credential public key.
    KeyMatchesCredential,
    /// Step 3: attestationChallenge is clientDataHash.
    Challenge,
    /// Step 3: allApplications is absent from both authorization lists.
    NoAllApplications,
    /// Step 3: origin is KM_ORIGIN_GENERATED (teeEnforced ∪ softwareEnforced).
    OriginGenerated,
    /// Step 3: purpose is KM_PURPOSE_SIGN (teeEnforced ∪ softwareEnforced).
    PurposeSign,
}

impl Check {
    /// Every check.
    pub const ALL: &[Check] = &[
        Check::LeafFirst,
        Check::Signature,
        Check::KeyMatchesCredential,
        Check::Challenge,
        Check::NoAllApplications,
        Check::OriginGenerated,
        Check::PurposeSign,
    ];

    /// A stable name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Check::LeafFirst => "leaf-first",
            Check::Signature => "signature",
            Check::KeyMatchesCredential => "key-matches-credential",
            Check::Challenge => "challenge",
            Check::NoAllApplications => "no-all-applications",
            Check::OriginGenerated => "origin-generated",
            Check::PurposeSign => "purpose-sign",
        }
    }
}

/// Why an `android-key` statement failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AndroidKeyError {
    /// Syntax.
    #[error("android-key attStmt: {0} (W3C L3 §8.4 syntax)")]
    Syntax(String),
    /// `x5c[0]` cannot be read.
    #[error("credCert: {0} (W3C L3 §8.4)")]
    Cert(CertError),
    /// Step 2.
    #[error("sig does not verify with x5c[0]'s key: {0} (W3C L3 §8.4 verification step 2)")]
    Signature(SignatureError),
    /// Step 3.
    #[error(
        "x5c[0]'s public key is not the credential public key (W3C L3 §8.4 verification step 3)"
    )]
    KeyMismatch,
    /// Step 3.
    #[error(
        "key attestation extension 1.3.6.1.4.1.11129.2.1.17: {0} (W3C L3 §8.4 verification step 3)"
    )]
    Extension(String),
    /// Step 3.
    #[error("attestationChallenge is not clientDataHash (W3C L3 §8.4 verification step 3)")]
    Challenge,
    /// Step 3.
    #[error("allApplications is present in {0} (W3C L3 §8.4 verification step 3)")]
    AllApplications(&'static str),
    /// Step 3.
    #[error("origin is {0}, expected KM_ORIGIN_GENERATED (W3C L3 §8.4 verification step 3)")]
    Origin(String),
    /// Step 3.
    #[error("purpose is {0}, expected KM_PURPOSE_SIGN (W3C L3 §8.4 verification step 3)")]
    Purpose(String),
}

/// §8.4 verification procedure.
pub fn verify(
    att_stmt: &Value,
    ctx: &StatementContext,
    enabled: &dyn Fn(Check) -> bool,
) -> Result<Verified, AndroidKeyError> {
    let syntax = |s: &str| AndroidKeyError::Syntax(s.to_owned());
    let Value::Map(entries) = att_stmt else {
        return Err(syntax("attStmt must be a map"));
    };
    let alg = cbor::map_get_text(entries, "alg")
        .and_then(cbor::as_i64)
        .ok_or_else(|| syntax("alg must be an integer"))?;
    let Some(Value::Bytes(sig)) = cbor::map_get_text(entries, "sig") else {
        return Err(syntax("sig must be a byte string"));
    };
    let x5c = cbor::map_get_text(entries, "x5c")
        .and_then(cert::x5c_bytes)
        .filter(|x| !x.is_empty())
        .ok_or_else(|| syntax("x5c must be a non-empty array of certificates"))?;
    let x5c = cert::leaf_first(x5c, enabled(Check::LeafFirst));
    let leaf = Cert::parse(x5c.first().map(Vec::as_slice).unwrap_or_default())
        .map_err(AndroidKeyError::Cert)?;
    let key = leaf.key().map_err(AndroidKeyError::Cert)?;
    if enabled(Check::Signature) {
        crypto::verify(
            &key.to_cose(CoseAlgorithm::from_id(alg)),
            &super::att_to_be_signed(ctx),
            sig,
        )
        .map_err(AndroidKeyError::Signature)?;
    }
    if enabled(Check::KeyMatchesCredential) && key != KeyMaterial::of_cose(ctx.credential_key) {
        return Err(AndroidKeyError::KeyMismatch);
    }
    let ext = leaf
        .extension(OID_KEY_DESCRIPTION)
        .ok_or_else(|| AndroidKeyError::Extension("missing".into()))?;
    let description = KeyDescription::parse(ext.extn_value.as_bytes())
        .map_err(|e| AndroidKeyError::Extension(e.to_string()))?;
    if enabled(Check::Challenge) && description.challenge != ctx.client_data_hash.as_slice() {
        return Err(AndroidKeyError::Challenge);
    }
    if enabled(Check::NoAllApplications) {
        if description.software.all_applications {
            return Err(AndroidKeyError::AllApplications("softwareEnforced"));
        }
        if description.tee.all_applications {
            return Err(AndroidKeyError::AllApplications("teeEnforced"));
        }
    }
    let origins: Vec<u64> = [&description.tee, &description.software]
        .iter()
        .filter_map(|list| list.origin)
        .collect();
    if enabled(Check::OriginGenerated)
        && (origins.is_empty() || origins.iter().any(|o| *o != KM_ORIGIN_GENERATED))
    {
        return Err(AndroidKeyError::Origin(format!("{origins:?}")));
    }
    let purposes: Vec<u64> = [&description.tee, &description.software]
        .iter()
        .flat_map(|list| list.purposes.iter().copied())
        .collect();
    if enabled(Check::PurposeSign) && !purposes.contains(&KM_PURPOSE_SIGN) {
        return Err(AndroidKeyError::Purpose(format!("{purposes:?}")));
    }
    Ok(Verified {
        attestation_type: AttestationType::Basic,
        trust_path: x5c,
    })
}

/// What §8.4 reads from KeyDescription.
#[derive(Debug, Default)]
struct KeyDescription {
    challenge: Vec<u8>,
    software: AuthorizationList,
    tee: AuthorizationList,
}

#[derive(Debug, Default)]
struct AuthorizationList {
    purposes: Vec<u64>,
    origin: Option<u64>,
    all_applications: bool,
}

impl KeyDescription {
    /// KeyDescription ::= SEQUENCE { attestationVersion, attestationSecurityLevel,
    /// keymasterVersion, keymasterSecurityLevel, attestationChallenge OCTET STRING,
    /// uniqueId OCTET STRING, softwareEnforced AuthorizationList, teeEnforced AuthorizationList, … }
    fn parse(bytes: &[u8]) -> Result<Self, CertError> {
        let (_, number, body, rest) = read_any(bytes)?;
        if number != 0x10 || !rest.is_empty() {
            return Err(CertError::Der("KeyDescription is not a SEQUENCE"));
        }
        let mut fields = Vec::new();
        let mut rest = body;
        while !rest.is_empty() {
            let (_, num, value, more) = read_any(rest)?;
            fields.push((num, value));
            rest = more;
        }
        let [
            _,
            _,
            _,
            _,
            (4, challenge),
            (4, _),
            (0x10, software),
            (0x10, tee),
            ..,
        ] = fields.as_slice()
        else {
            return Err(CertError::Der("KeyDescription fields"));
        };
        Ok(KeyDescription {
            challenge: challenge.to_vec(),
            software: AuthorizationList::parse(software)?,
            tee: AuthorizationList::parse(tee)?,
        })
    }
}

impl AuthorizationList {
    /// Each entry is `[tag] EXPLICIT …`; purpose is a SET OF INTEGER, origin an INTEGER,
    /// allApplications a NULL.
    fn parse(mut body: &[u8]) -> Result<Self, CertError> {
        let mut list = AuthorizationList::default();
        while !body.is_empty() {
            let (first, number, inner, rest) = read_any(body)?;
            body = rest;
            if first & 0xc0 != 0x80 {
                continue;
            }
            match number {
                TAG_PURPOSE => {
                    let (_, _, set, _) = read_any(inner)?;
                    let mut items = set;
                    while !items.is_empty() {
                        let (_, _, int, more) = read_any(items)?;
                        list.purposes.push(small_uint(int)?);
                        items = more;
                    }
                }
                TAG_ORIGIN => {
                    let (_, _, int, _) = read_any(inner)?;
                    list.origin = Some(small_uint(int)?);
                }
                TAG_ALL_APPLICATIONS => list.all_applications = true,
                _ => {}
            }
        }
        Ok(list)
    }
}

fn small_uint(bytes: &[u8]) -> Result<u64, CertError> {
    if bytes.is_empty() || bytes.len() > 8 {
        return Err(CertError::Der("INTEGER size"));
    }
    Ok(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

/// One DER element: (first tag byte, tag number, value, rest of the input).
type Element<'a> = (u8, u32, &'a [u8], &'a [u8]);

/// Reads one DER TLV with any tag number.
fn read_any(input: &[u8]) -> Result<Element<'_>, CertError> {
    let (&first, mut rest) = input.split_first().ok_or(CertError::Der("truncated tag"))?;
    let mut number = u32::from(first & 0x1f);
    if number == 0x1f {
        number = 0;
        loop {
            let (&b, more) = rest.split_first().ok_or(CertError::Der("truncated tag"))?;
            rest = more;
            number = number
                .checked_mul(128)
                .ok_or(CertError::Der("tag number too large"))?
                | u32::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let (len, rest) = cert::read_len(rest)?;
    Ok((first, number, &rest[..len], &rest[len..]))
}
