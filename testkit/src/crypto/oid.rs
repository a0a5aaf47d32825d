//! The standard X.509 OIDs that both the test PKI (which writes certificates) and the
//! attestation verifier (which reads them) use, named once, all from const-oid's database. OIDs
//! WebAuthn defines (FIDO, TPM, Android, Apple) stay local to each side on purpose, so that one
//! wrong hand-written constant cannot hide in both.

use const_oid::ObjectIdentifier;
use const_oid::db;

/// countryName.
pub const OID_C: ObjectIdentifier = db::rfc4519::C;
/// organizationName.
pub const OID_O: ObjectIdentifier = db::rfc4519::O;
/// organizationalUnitName.
pub const OID_OU: ObjectIdentifier = db::rfc4519::OU;
/// commonName.
pub const OID_CN: ObjectIdentifier = db::rfc4519::CN;
/// id-ecPublicKey.
pub const OID_EC_PUBLIC_KEY: ObjectIdentifier = db::rfc5912::ID_EC_PUBLIC_KEY;
/// secp256r1.
pub const OID_P256: ObjectIdentifier = db::rfc5912::SECP_256_R_1;
/// secp384r1.
pub const OID_P384: ObjectIdentifier = db::rfc5912::SECP_384_R_1;
/// secp521r1.
pub const OID_P521: ObjectIdentifier = db::rfc5912::SECP_521_R_1;
/// id-Ed25519.
pub const OID_ED25519: ObjectIdentifier = db::rfc8410::ID_ED_25519;
/// rsaEncryption.
pub const OID_RSA_ENCRYPTION: ObjectIdentifier = db::rfc5912::RSA_ENCRYPTION;
