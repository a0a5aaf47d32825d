//! An in-process virtual authenticator and client.
//!
//! [`VirtualClient`] plays the browser: it takes creation or request options JSON from an RP and
//! returns the `toJSON()` body of a new credential or an assertion, as real clients do (W3C L3
//! §5.1.3 and §5.1.4), built by a [`VirtualAuthenticator`] that holds key pairs and counters.
//! Everything is deterministic from a [`Drbg`]: same seed, same bytes.
//! A list of [`Mutation`]s breaks exactly one thing on purpose.

pub mod attestation;
mod client;
pub mod mutation;

pub use client::{Asserted, ClientError, Created, VirtualClient};
pub use mutation::Mutation;

use crate::codec::cose::{CoseAlgorithm, KeyType};
use crate::crypto::{CredentialKey, SUPPORTED_ALGORITHMS};
use crate::drbg::Drbg;

/// The attestation statement format the authenticator produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttestationFormat {
    /// `none` (W3C L3 §8.7): an empty attStmt.
    None,
    /// `packed` self attestation (§8.2): `{alg, sig}` signed by the credential key.
    PackedSelf,
    /// `packed` full attestation (§8.2): `{alg, sig, x5c}` under the test PKI.
    Packed,
    /// `fido-u2f` (§8.6).
    FidoU2f,
    /// `tpm` (§8.3).
    Tpm,
    /// `android-key` (§8.4).
    AndroidKey,
    /// `android-safetynet` (§8.5, deprecated).
    AndroidSafetyNet,
    /// `apple` (§8.8).
    Apple,
    /// `compound` (§8.9): packed + tpm (apple for Ed25519 credentials).
    Compound,
}

impl AttestationFormat {
    /// Whether this authenticator can attest a credential of `alg` in this format: `fido-u2f`
    /// only elliptic-curve keys (publicKeyU2F is 0x04 ‖ x ‖ y, §8.6 step 4; a real U2F device
    /// makes P-256 keys only, and U2F-06 makes one that does not); `tpm` only the ECC curves and
    /// RSA keys a TPM 2.0 pubArea describes (§8.3); the formats whose certificate certifies the
    /// credential key itself (`android-key`, `apple`, and `compound`, made of them) no secp256k1
    /// key, which the test PKI cannot put in a certificate. An authenticator picks the first
    /// offered algorithm it supports (§6.3.2 step 2), so such an authenticator skips the rest.
    pub fn attests(self, alg: CoseAlgorithm) -> bool {
        match self {
            AttestationFormat::FidoU2f => alg.key_type() == Some(KeyType::Ec2),
            AttestationFormat::Tpm => !matches!(alg, CoseAlgorithm::EdDsa | CoseAlgorithm::Es256K),
            AttestationFormat::AndroidKey
            | AttestationFormat::Apple
            | AttestationFormat::Compound => alg != CoseAlgorithm::Es256K,
            _ => true,
        }
    }

    /// The credential algorithms that real authenticators of this format make, where the
    /// format is tied to one kind of device: Apple's anonymous attestation certifies P-256
    /// keys only, Android Keystore keys (android-key, and the keys that SafetyNet-attesting
    /// phones register) are ES256 in practice, with RS256 as the Keystore's other signing
    /// algorithm. `None` for formats that any authenticator may use with any algorithm.
    pub fn device_algorithms(self) -> Option<&'static [CoseAlgorithm]> {
        match self {
            AttestationFormat::Apple
            | AttestationFormat::AndroidKey
            | AttestationFormat::AndroidSafetyNet => Some(&[CoseAlgorithm::Es256]),
            _ => None,
        }
    }
}

/// How the signature counter moves (W3C L3 §6.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounterPolicy {
    /// Always 0: an authenticator without a counter (synced passkeys).
    Zero,
    /// Starts at `start` on registration and goes up by one per assertion.
    Increasing {
        /// The signCount written at registration.
        start: u32,
    },
    /// Always this value.
    Fixed(u32),
}

/// How the client reaches the authenticator (W3C L3 §5.8.4 `AuthenticatorTransport`): the
/// response reports it as `transports` and, through it, `authenticatorAttachment` (§5.4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Transport {
    /// Built into the client device (a platform authenticator).
    #[default]
    Internal,
    /// A USB security key.
    Usb,
    /// NFC.
    Nfc,
    /// Bluetooth Low Energy.
    Ble,
    /// A phone over the hybrid transport.
    Hybrid,
}

impl Transport {
    /// The `AuthenticatorTransport` value.
    pub fn name(self) -> &'static str {
        match self {
            Transport::Internal => "internal",
            Transport::Usb => "usb",
            Transport::Nfc => "nfc",
            Transport::Ble => "ble",
            Transport::Hybrid => "hybrid",
        }
    }

    /// The `AuthenticatorAttachment` a client reports for it: `platform` for a built-in
    /// authenticator, `cross-platform` for a roaming one.
    pub fn attachment(self) -> &'static str {
        match self {
            Transport::Internal => "platform",
            Transport::Usb | Transport::Nfc | Transport::Ble | Transport::Hybrid => {
                "cross-platform"
            }
        }
    }
}

/// What kind of authenticator to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatorConfig {
    /// The AAGUID written in attested credential data.
    pub aaguid: [u8; 16],
    /// Algorithms it can make keys for, in preference order.
    pub algorithms: Vec<CoseAlgorithm>,
    /// The attestation format it produces.
    pub attestation: AttestationFormat,
    /// Sets UP (a user touched it).
    pub user_present: bool,
    /// Sets UV (it verified the user).
    pub user_verified: bool,
    /// Sets BE.
    pub backup_eligible: bool,
    /// Sets BS.
    pub backup_state: bool,
    /// The signature counter.
    pub counter: CounterPolicy,
    /// Length of new credential IDs.
    pub credential_id_len: usize,
    /// The authenticator's clock in Unix milliseconds, for time-stamped statements
    /// (safetynet `timestampMs`); defaults to the pinned [`crate::crypto::pki::NOW`].
    pub clock_ms: u64,
    /// How it is reached: `transports` and `authenticatorAttachment` in its responses.
    pub transport: Transport,
}

impl Default for AuthenticatorConfig {
    fn default() -> Self {
        AuthenticatorConfig {
            aaguid: *b"wac-virtual-auth",
            algorithms: SUPPORTED_ALGORITHMS.to_vec(),
            attestation: AttestationFormat::None,
            user_present: true,
            user_verified: true,
            backup_eligible: false,
            backup_state: false,
            counter: CounterPolicy::Increasing { start: 1 },
            credential_id_len: 32,
            clock_ms: crate::crypto::pki::NOW * 1000,
            transport: Transport::Internal,
        }
    }
}

/// A credential the authenticator holds.
#[derive(Debug, Clone)]
pub struct StoredCredential {
    /// The credential ID.
    pub id: Vec<u8>,
    /// The RP ID it is scoped to.
    pub rp_id: String,
    /// The user handle it was made for.
    pub user_handle: Vec<u8>,
    /// The private key.
    pub key: CredentialKey,
    /// The counter's current value.
    pub sign_count: u32,
    /// Whether it is a discoverable (resident) credential.
    pub discoverable: bool,
}

/// An authenticator with its credentials, deterministic from its [`Drbg`].
#[derive(Debug, Clone)]
pub struct VirtualAuthenticator {
    /// Its configuration; tests change it between ceremonies.
    pub config: AuthenticatorConfig,
    drbg: Drbg,
    credentials: Vec<StoredCredential>,
}

impl VirtualAuthenticator {
    /// A new, empty authenticator.
    pub fn new(config: AuthenticatorConfig, drbg: Drbg) -> Self {
        VirtualAuthenticator {
            config,
            drbg,
            credentials: Vec::new(),
        }
    }

    /// The credentials it holds, oldest first.
    pub fn credentials(&self) -> &[StoredCredential] {
        &self.credentials
    }

    /// Draws deterministic bytes (for IDs and challenges the client needs).
    pub fn draw(&mut self, info: &str, len: usize) -> Vec<u8> {
        self.drbg.bytes(info, len)
    }

    /// Makes a key pair for `alg`.
    pub fn new_key(
        &mut self,
        alg: CoseAlgorithm,
    ) -> Result<CredentialKey, crate::crypto::KeyError> {
        CredentialKey::generate(alg, &mut self.drbg)
    }

    fn store(&mut self, credential: StoredCredential) {
        self.credentials.push(credential);
    }

    fn find_mut(&mut self, id: &[u8]) -> Option<&mut StoredCredential> {
        self.credentials.iter_mut().find(|c| c.id == id)
    }

    fn initial_count(&self) -> u32 {
        match self.config.counter {
            CounterPolicy::Zero => 0,
            CounterPolicy::Increasing { start } => start,
            CounterPolicy::Fixed(n) => n,
        }
    }

    fn next_count(&self, current: u32) -> u32 {
        match self.config.counter {
            CounterPolicy::Zero => 0,
            CounterPolicy::Increasing { .. } => current.saturating_add(1),
            CounterPolicy::Fixed(n) => n,
        }
    }
}
