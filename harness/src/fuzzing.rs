//! Fuzz entry functions: the cargo-fuzz targets in `fuzz/` are one-line calls to these, and the
//! regression test replays every saved crash input through them.
//!
//! Each function takes untrusted bytes, must never panic on its own account, and panics only
//! when an invariant breaks (that is the fuzzer's signal): a parser that accepts bytes must give
//! them back unchanged when re-encoded (or re-parse to the same value), and the reference RP must
//! never accept an assertion whose signed bytes were changed (W3C L3 §7.2 step 22), nor a
//! registration whose rpIdHash was changed (§7.1 step 15).
#![allow(
    clippy::panic,
    reason = "a panic is how a fuzz target reports a broken invariant"
)]

use arbitrary::Arbitrary;
use serde_json::Value as Json;

use crate::authenticator::{
    Asserted, AttestationFormat, AuthenticatorConfig, CounterPolicy, Created, VirtualAuthenticator,
    VirtualClient,
};
use crate::codec::attestation_object::AttestationObject;
use crate::codec::auth_data::AuthenticatorData;
use crate::codec::client_data::ClientDataJson;
use crate::codec::cose::{CoseAlgorithm, CoseKey};
use crate::codec::options::{
    AuthenticatorSelection, ServerCreationOptionsRequest, ServerGetOptionsRequest,
};
use crate::codec::wire::{AuthenticationResponse, RegistrationResponse, WireShape};
use crate::codec::{b64url, cbor};
use crate::drbg::Drbg;
use crate::rp::reference::{ReferenceRp, harness_trust_store};
use crate::rp::{Profile, RelyingParty, Reply, RpConfig, SessionId};

/// The fuzz targets by name, for `cargo xtask fuzz` and the regression test.
///
/// `differential` needs the `webauthn-rs` feature; without it, its entry does nothing.
pub const TARGETS: [&str; 9] = [
    "cbor",
    "attestation_object",
    "auth_data",
    "cose_key",
    "client_data",
    "registration_json",
    "authentication_json",
    "ceremony",
    "differential",
];

/// Runs the entry function of `target` on `data`; `false` for an unknown target.
pub fn run_target(target: &str, data: &[u8]) -> bool {
    match target {
        "cbor" => fuzz_cbor(data),
        "attestation_object" => fuzz_attestation_object(data),
        "auth_data" => fuzz_auth_data(data),
        "cose_key" => fuzz_cose_key(data),
        "client_data" => fuzz_client_data(data),
        "registration_json" => fuzz_registration_json(data),
        "authentication_json" => fuzz_authentication_json(data),
        "ceremony" => {
            if let Ok(case) = CeremonyCase::arbitrary(&mut arbitrary::Unstructured::new(data)) {
                fuzz_ceremony(&case);
            }
        }
        #[cfg(feature = "webauthn-rs")]
        "differential" => fuzz_differential(data),
        #[cfg(not(feature = "webauthn-rs"))]
        "differential" => {}
        _ => return false,
    }
    true
}

/// Strict CBOR (definite lengths, one item, no duplicate keys): a decoded value re-encodes in
/// preferred form, which decodes again and encodes to the same bytes. (The
/// decoder accepts non-shortest heads, `d9 0000` for tag 0 say, so the input bytes themselves
/// need not come back; `fuzz/regressions/cbor/` keeps the input that showed it.)
pub fn fuzz_cbor(data: &[u8]) {
    if let Ok(value) = cbor::decode(data) {
        let encoded = cbor::encode(&value);
        let again = cbor::decode(&encoded).unwrap_or_else(|e| {
            panic!(
                "{} decoded, but its re-encoding {} does not: {e}",
                hex::encode(data),
                hex::encode(&encoded)
            )
        });
        // Bytes, not values: NaN != NaN.
        assert_eq!(
            cbor::encode(&again),
            encoded,
            "CBOR round trip of {} is not stable",
            hex::encode(data)
        );
    }
}

/// Attestation objects (§6.5.4): a parsed object re-encodes and re-parses to itself.
pub fn fuzz_attestation_object(data: &[u8]) {
    if let Ok(object) = AttestationObject::parse(data) {
        let again = AttestationObject::parse(&object.to_bytes())
            .unwrap_or_else(|e| panic!("re-encoded attestation object does not parse: {e}"));
        assert_eq!(again, object, "attestation object round trip");
        let _ = AuthenticatorData::parse(&object.auth_data);
    }
}

/// Authenticator data (§6.1): parsing keeps every byte, so encoding gives the input back.
pub fn fuzz_auth_data(data: &[u8]) {
    if let Ok(auth_data) = AuthenticatorData::parse(data) {
        assert_eq!(auth_data.to_bytes(), data, "authenticator data round trip");
    }
}

/// COSE keys (§5.8.5, §6.5.1.1): a parsed key re-encodes and re-parses to itself.
pub fn fuzz_cose_key(data: &[u8]) {
    if let Ok(key) = CoseKey::from_cbor(data) {
        let again = CoseKey::from_cbor(&key.to_cbor())
            .unwrap_or_else(|e| panic!("re-encoded COSE key does not parse: {e}"));
        assert_eq!(again, key, "COSE key round trip");
    }
}

/// clientDataJSON (§5.8.1): a parsed one re-serialises (§5.8.1.2) and re-parses to itself.
pub fn fuzz_client_data(data: &[u8]) {
    if let Ok(client_data) = ClientDataJson::parse(data) {
        let again = ClientDataJson::parse(&client_data.data.to_json_bytes())
            .unwrap_or_else(|e| panic!("re-serialised clientDataJSON does not parse: {e}"));
        assert_eq!(again.data, client_data.data, "clientDataJSON round trip");
    }
}

/// RegistrationResponseJSON (§5.1.8): a parsed body re-serialises to JSON that parses and
/// serialises to the same text.
pub fn fuzz_registration_json(data: &[u8]) {
    json_round_trip(
        data,
        "registration",
        RegistrationResponse::parse,
        RegistrationResponse::to_json,
    );
}

/// AuthenticationResponseJSON (§5.1.9): a parsed body re-serialises to JSON that parses and
/// serialises to the same text.
pub fn fuzz_authentication_json(data: &[u8]) {
    json_round_trip(
        data,
        "authentication",
        AuthenticationResponse::parse,
        AuthenticationResponse::to_json,
    );
}

/// The round trip of one response JSON shape. Compared as serialised: an absent
/// clientExtensionResults is written as `{}` (toJSON always has the member), so the values may
/// differ while the wire form may not.
fn json_round_trip<R, E: std::fmt::Display>(
    data: &[u8],
    what: &str,
    parse: fn(&str) -> Result<R, E>,
    to_json: fn(&R, WireShape) -> Json,
) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(response) = parse(text) {
        let json = to_json(&response, WireShape::Both).to_string();
        let again = parse(&json)
            .unwrap_or_else(|e| panic!("re-serialised {what} JSON does not parse: {e}"));
        assert_eq!(
            to_json(&again, WireShape::Both).to_string(),
            json,
            "{what} JSON round trip"
        );
    }
}

/// A signed field of an assertion (§7.2 steps 19-22: the signature covers authenticatorData and
/// the hash of clientDataJSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub enum SignedField {
    /// `response.clientDataJSON`.
    ClientDataJson,
    /// `response.authenticatorData`.
    AuthenticatorData,
    /// `response.signature`.
    Signature,
}

impl SignedField {
    fn member(self) -> &'static str {
        match self {
            SignedField::ClientDataJson => "clientDataJSON",
            SignedField::AuthenticatorData => "authenticatorData",
            SignedField::Signature => "signature",
        }
    }
}

/// One byte edit: XOR `mask` into the byte at `position` (modulo the field's length).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub struct Edit {
    /// Which field.
    pub field: SignedField,
    /// Where, modulo the field length.
    pub position: u16,
    /// What to XOR in (0 leaves the byte alone).
    pub mask: u8,
}

/// The credential algorithms the structured target uses (RSA key generation is too slow for a
/// fuzz loop).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum FuzzAlgorithm {
    /// ES256.
    Es256,
    /// ES384.
    Es384,
    /// EdDSA (Ed25519).
    EdDsa,
}

/// The attestation the authenticator makes (the reference RP trusts the harness PKI).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum FuzzAttestation {
    /// `none`.
    None,
    /// `packed` self attestation.
    PackedSelf,
    /// `packed` with the test PKI chain.
    Packed,
}

/// The backup flags the authenticator sets (BS only with BE, §6.1).
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum FuzzBackup {
    /// BE=0, BS=0.
    SingleDevice,
    /// BE=1, BS=0.
    Eligible,
    /// BE=1, BS=1.
    BackedUp,
}

/// A whole ceremony and the edits to make to it.
#[derive(Debug, Clone, Arbitrary)]
pub struct CeremonyCase {
    /// Seed for the RP and the authenticator.
    pub seed: u8,
    /// The credential algorithm.
    pub algorithm: FuzzAlgorithm,
    /// The attestation statement.
    pub attestation: FuzzAttestation,
    /// The backup flags.
    pub backup: FuzzBackup,
    /// A signature counter that stays 0 (§6.1.1) instead of increasing.
    pub counter_zero: bool,
    /// Whether the authenticator verifies the user.
    pub user_verified: bool,
    /// Whether the RP asks for user verification to be required (only when it happens).
    pub require_user_verification: bool,
    /// Profile.
    pub fido: bool,
    /// Bytes of the registration's rpIdHash to change (positions modulo 32, XOR masks).
    pub rp_id_hash_edits: Vec<(u8, u8)>,
    /// Edits to the assertion's signed fields.
    pub edits: Vec<Edit>,
}

impl CeremonyCase {
    fn profile(&self) -> Profile {
        if self.fido {
            Profile::Fido
        } else {
            Profile::Strict
        }
    }

    fn authenticator(&self) -> AuthenticatorConfig {
        AuthenticatorConfig {
            algorithms: vec![match self.algorithm {
                FuzzAlgorithm::Es256 => CoseAlgorithm::Es256,
                FuzzAlgorithm::Es384 => CoseAlgorithm::Es384,
                FuzzAlgorithm::EdDsa => CoseAlgorithm::EdDsa,
            }],
            attestation: match self.attestation {
                FuzzAttestation::None => AttestationFormat::None,
                FuzzAttestation::PackedSelf => AttestationFormat::PackedSelf,
                FuzzAttestation::Packed => AttestationFormat::Packed,
            },
            backup_eligible: !matches!(self.backup, FuzzBackup::SingleDevice),
            backup_state: matches!(self.backup, FuzzBackup::BackedUp),
            counter: if self.counter_zero {
                CounterPolicy::Zero
            } else {
                CounterPolicy::Increasing { start: 1 }
            },
            user_verified: self.user_verified,
            ..AuthenticatorConfig::default()
        }
    }

    /// `userVerification: "required"` in the options, when asked for and it happens.
    fn user_verification(&self) -> Option<String> {
        (self.require_user_verification && self.user_verified).then(|| "required".to_owned())
    }
}

/// A valid registration, then a valid or edited assertion, against the reference RP.
///
/// Invariants: an unedited ceremony is accepted; a registration with a changed rpIdHash is
/// refused (§7.1 step 15); an assertion with any changed signed byte is refused (§7.2 step 22).
pub fn fuzz_ceremony(case: &CeremonyCase) {
    let seed = u64::from(case.seed);
    let profile = case.profile();
    let authenticator = case.authenticator();
    let mut bench = Bench::new(profile, seed, authenticator, "fuzz authenticator")
        .unwrap_or_else(|e| panic!("{e}"));
    let user_verification = case.user_verification();
    let created = bench
        .created(user_verification.clone())
        .unwrap_or_else(|e| panic!("{e}"));
    let edits: Vec<(usize, u8)> = case
        .rp_id_hash_edits
        .iter()
        .map(|(p, m)| (usize::from(*p) % 32, *m))
        .collect();
    let edited_body = edit_attestation_auth_data(&created.body, &edits, false);
    if let Some(body) = edited_body {
        let reply = bench.rp.finish_registration(SESSION, &body);
        assert!(
            !matches!(reply, Ok(Reply::Ok(()))),
            "a registration with a changed rpIdHash was accepted: {body}"
        );
        return;
    }
    let reply = bench.rp.finish_registration(SESSION, &created.body);
    assert!(
        matches!(reply, Ok(Reply::Ok(()))),
        "a valid registration was refused: {reply:?}"
    );

    let asserted = bench
        .asserted(user_verification)
        .unwrap_or_else(|e| panic!("{e}"));
    let (body, changed) = edit_assertion(&asserted.body, &case.edits);
    let reply = bench.rp.finish_authentication(SESSION, &body);
    if changed {
        assert!(
            !matches!(reply, Ok(Reply::Ok(()))),
            "an assertion with changed signed bytes was accepted: {body}"
        );
    } else {
        assert!(
            matches!(reply, Ok(Reply::Ok(()))),
            "a valid assertion was refused: {reply:?}"
        );
    }
}

/// What one RP did with one step of a fuzzed ceremony.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `status: "ok"`.
    Accepted,
    /// `status: "failed"`.
    Rejected,
    /// The RP or the ceremony's setup failed (options refused, a transport fault).
    Error,
}

/// What one RP did with a fuzzed ceremony: the registration, then the assertion if the
/// registration was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CeremonyOutcome {
    /// The registration.
    pub registration: Outcome,
    /// The assertion, when the registration was accepted.
    pub authentication: Option<Outcome>,
}

/// The reference RP and webauthn-rs did different things with the same ceremony.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// A short key: what each RP did and which fields were edited. One example per class is
    /// worth keeping.
    pub class: String,
    /// The reference RP.
    pub reference: CeremonyOutcome,
    /// webauthn-rs.
    pub webauthn_rs: CeremonyOutcome,
}

/// Where `fuzz_differential` writes one example per disagreement class (when set).
pub const DISAGREEMENTS_DIR_VAR: &str = "WEBAUTHN_CONFORMANCE_DISAGREEMENTS";

/// The same ceremony (same authenticator, same setup, same edits, each against the RP's own
/// options) run against the reference RP and webauthn-rs in process. Registration edits land
/// anywhere in authData (positions modulo its length): rpIdHash, flags, signCount, attested
/// credential data.
#[cfg(feature = "webauthn-rs")]
pub fn differential(case: &CeremonyCase) -> Option<Disagreement> {
    let (reference, webauthn_rs) = outcomes(case)?;
    (reference != webauthn_rs).then(|| Disagreement {
        class: class(case, reference, webauthn_rs),
        reference,
        webauthn_rs,
    })
}

/// What the reference RP and webauthn-rs each did with `case`; `None` when either could not
/// set the ceremony up (only those both could are compared).
#[cfg(feature = "webauthn-rs")]
pub fn outcomes(case: &CeremonyCase) -> Option<(CeremonyOutcome, CeremonyOutcome)> {
    let seed = u64::from(case.seed);
    let profile = case.profile();
    // The conveyance an integrator asks for with each kind of authenticator: webauthn-rs
    // verifies `direct` attestation against its CA list and refuses none/self there (a policy
    // the spec leaves to the RP, §7.1 step 24), which would make every such case disagree.
    let conveyance = match case.attestation {
        FuzzAttestation::None => "none",
        FuzzAttestation::PackedSelf => "indirect",
        FuzzAttestation::Packed => "direct",
    };
    let bench = |label| {
        Bench::new(profile, seed, case.authenticator(), label).map(|mut bench| {
            bench.conveyance = conveyance;
            bench
        })
    };
    let reference = bench("fuzz differential").map(|b| drive(b, case));
    let factory = crate::rp::webauthn_rs::WebauthnRsFactory::default();
    let webauthn_rs = bench("fuzz differential")
        .and_then(|b| b.with_rp(&factory, profile, seed))
        .map(|b| drive(b, case));
    match (reference, webauthn_rs) {
        (Ok(Some(reference)), Ok(Some(webauthn_rs))) => Some((reference, webauthn_rs)),
        _ => None,
    }
}

/// `None` when the ceremony cannot be set up with this RP: its creation options offer no
/// algorithm the authenticator has (webauthn-rs offers no EdDSA by default), say.
#[cfg(feature = "webauthn-rs")]
fn drive(mut bench: Bench, case: &CeremonyCase) -> Option<CeremonyOutcome> {
    let outcome = |reply: Result<Reply<()>, crate::rp::RpError>| match reply {
        Ok(Reply::Ok(())) => Outcome::Accepted,
        Ok(Reply::Failed(_) | Reply::Erroring(_)) => Outcome::Rejected,
        Err(_) => Outcome::Error,
    };
    let user_verification = case.user_verification();
    let created = bench.created(user_verification.clone()).ok()?;
    let edits: Vec<(usize, u8)> = case
        .rp_id_hash_edits
        .iter()
        .map(|(p, m)| (usize::from(*p), *m))
        .collect();
    let body = edit_attestation_auth_data(&created.body, &edits, true).unwrap_or(created.body);
    let registration = outcome(bench.rp.finish_registration(SESSION, &body));
    if registration != Outcome::Accepted {
        return Some(CeremonyOutcome {
            registration,
            authentication: None,
        });
    }
    let authentication = match bench.asserted(user_verification) {
        Ok(asserted) => {
            let (body, _) = edit_assertion(&asserted.body, &case.edits);
            outcome(bench.rp.finish_authentication(SESSION, &body))
        }
        Err(_) => Outcome::Error,
    };
    Some(CeremonyOutcome {
        registration,
        authentication: Some(authentication),
    })
}

/// Names the authData regions a registration edit touches (§6.1 layout; the attested
/// credential data's variable part is one region).
#[cfg(feature = "webauthn-rs")]
fn class(case: &CeremonyCase, reference: CeremonyOutcome, webauthn_rs: CeremonyOutcome) -> String {
    let mut edited: Vec<&str> = case
        .rp_id_hash_edits
        .iter()
        .filter(|(_, mask)| *mask != 0)
        .map(|(position, _)| match position {
            0..=31 => "rpIdHash",
            32 => "flags",
            33..=36 => "signCount",
            37..=52 => "aaguid",
            53..=54 => "credentialIdLength",
            _ => "credentialIdOrKey",
        })
        .collect();
    // Assertion edits matter only when both RPs got as far as the assertion.
    if reference.authentication.is_some() && webauthn_rs.authentication.is_some() {
        edited.extend(
            case.edits
                .iter()
                .filter(|edit| edit.mask != 0)
                .map(|edit| edit.field.member()),
        );
    }
    edited.sort_unstable();
    edited.dedup();
    let edited = if edited.is_empty() {
        "unedited".to_owned()
    } else {
        edited.join("+")
    };
    // The authenticator setup stays out of the class (it is in the example's case): one root
    // cause seen under many setups is one class.
    let step = |outcome: CeremonyOutcome| match outcome.authentication {
        None => format!("registration {:?}", outcome.registration),
        Some(authentication) => format!("registration accepted, assertion {authentication:?}"),
    };
    format!(
        "reference: {} / webauthn-rs: {}; edited {edited}",
        step(reference),
        step(webauthn_rs)
    )
}

/// Differential target: no panic in either RP; a disagreement is not a crash but is written
/// down, one example per class, in the folder [`DISAGREEMENTS_DIR_VAR`] names (when set).
#[cfg(feature = "webauthn-rs")]
pub fn fuzz_differential(data: &[u8]) {
    let Ok(case) = CeremonyCase::arbitrary(&mut arbitrary::Unstructured::new(data)) else {
        return;
    };
    let Some(disagreement) = differential(&case) else {
        return;
    };
    let Some(dir) = std::env::var_os(DISAGREEMENTS_DIR_VAR) else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let name = format!("{:016x}.txt", fnv1a(disagreement.class.as_bytes()));
    let path = dir.join(name);
    if path.exists() {
        return;
    }
    let text = format!(
        "{}\ninput {}\n{case:?}\n",
        disagreement.class,
        hex::encode(data)
    );
    // Best effort: a full disk must not stop the campaign.
    let _ = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(path, text));
}

/// FNV-1a, for stable file names.
#[cfg(feature = "webauthn-rs")]
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Valid inputs for `target`, from one packed ES256 ceremony of the virtual authenticator with
/// the reference RP: corpus seeds beside the bytes in `vectors/`.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    let authenticator = AuthenticatorConfig {
        algorithms: vec![CoseAlgorithm::Es256],
        attestation: AttestationFormat::Packed,
        ..AuthenticatorConfig::default()
    };
    let Ok(mut bench) = Bench::new(Profile::Strict, 1, authenticator, "fuzz seeds") else {
        return Vec::new();
    };
    let Ok(created) = bench.created(None) else {
        return Vec::new();
    };
    let _ = bench.rp.finish_registration(SESSION, &created.body);
    let Ok(asserted) = bench.asserted(None) else {
        return Vec::new();
    };
    let field = |body: &str, member: &str| -> Vec<u8> {
        serde_json::from_str::<Json>(body)
            .ok()
            .and_then(|j| {
                j.pointer(&format!("/response/{member}"))?
                    .as_str()
                    .map(str::to_owned)
            })
            .and_then(|t| b64url::decode(&t).ok())
            .unwrap_or_default()
    };
    let attestation_object = field(&created.body, "attestationObject");
    let registration_auth_data = AttestationObject::parse(&attestation_object)
        .map(|o| o.auth_data)
        .unwrap_or_default();
    let cose_key = AuthenticatorData::parse(&registration_auth_data)
        .ok()
        .and_then(|a| a.attested_credential_data)
        .map(|acd| acd.credential_public_key)
        .unwrap_or_default();
    let mut seeds = match target {
        "cbor" => vec![attestation_object, cose_key],
        "attestation_object" => vec![attestation_object],
        "auth_data" => vec![
            registration_auth_data,
            field(&asserted.body, "authenticatorData"),
        ],
        "cose_key" => vec![cose_key],
        "client_data" => vec![
            field(&created.body, "clientDataJSON"),
            field(&asserted.body, "clientDataJSON"),
        ],
        "registration_json" => vec![created.body.into_bytes()],
        "authentication_json" => vec![asserted.body.into_bytes()],
        "ceremony" | "differential" => vec![vec![0; 16], (0..=255).collect()],
        _ => Vec::new(),
    };
    seeds.retain(|s| !s.is_empty());
    seeds
}

/// The one browser session the fuzz ceremonies use.
const SESSION: SessionId = SessionId(0);

/// An RP (the reference RP unless told otherwise) and a virtual client, for the user "alice"
/// in [`SESSION`].
struct Bench {
    rp: Box<dyn RelyingParty>,
    client: VirtualClient,
    /// The `attestation` conveyance the creation options ask for (§5.4.7).
    conveyance: &'static str,
}

impl Bench {
    fn new(
        profile: Profile,
        seed: u64,
        authenticator: AuthenticatorConfig,
        label: &str,
    ) -> Result<Self, String> {
        let config = RpConfig::example(profile, seed);
        let trust_store = harness_trust_store().map_err(|e| e.to_string())?;
        let client = VirtualClient::new(
            &config.origins[0],
            VirtualAuthenticator::new(authenticator, Drbg::for_label(seed, label)),
        );
        Ok(Bench {
            rp: Box::new(ReferenceRp::new(config, None, trust_store.clone())),
            client,
            conveyance: "direct",
        })
    }

    /// The same bench with the RP `factory` makes for the same configuration instead.
    #[cfg(feature = "webauthn-rs")]
    fn with_rp(
        mut self,
        factory: &dyn crate::rp::RpFactory,
        profile: Profile,
        seed: u64,
    ) -> Result<Self, String> {
        self.rp = factory
            .create(&RpConfig::example(profile, seed))
            .map_err(|e| format!("{}: {e}", factory.name()))?;
        Ok(self)
    }

    /// A registration to fresh creation options, not yet sent.
    fn created(&mut self, user_verification: Option<String>) -> Result<Created, String> {
        let request = ServerCreationOptionsRequest {
            username: Some("alice".into()),
            display_name: Some("Alice".into()),
            authenticator_selection: Some(AuthenticatorSelection {
                user_verification,
                ..AuthenticatorSelection::default()
            }),
            attestation: Some(self.conveyance.into()),
            extensions: None,
        };
        match self.rp.registration_options(SESSION, &request) {
            Ok(Reply::Ok(options)) => self
                .client
                .register(&options, &[])
                .map_err(|e| format!("the virtual client cannot register: {e}")),
            other => Err(format!("the RP refused creation options: {other:?}")),
        }
    }

    /// An assertion to fresh request options, not yet sent.
    fn asserted(&mut self, user_verification: Option<String>) -> Result<Asserted, String> {
        let request = ServerGetOptionsRequest {
            username: Some("alice".into()),
            user_verification,
            extensions: None,
        };
        match self.rp.authentication_options(SESSION, &request) {
            Ok(Reply::Ok(options)) => self
                .client
                .authenticate(&options, &[])
                .map_err(|e| format!("the virtual client cannot assert: {e}")),
            other => Err(format!("the RP refused request options: {other:?}")),
        }
    }
}

/// The registration body with `edits` XORed into its authData (positions past the end are
/// left out; `wrap` takes them modulo the length instead); `None` when no byte changes.
fn edit_attestation_auth_data(body: &str, edits: &[(usize, u8)], wrap: bool) -> Option<String> {
    let mut json: Json = serde_json::from_str(body).ok()?;
    let text = json.pointer("/response/attestationObject")?.as_str()?;
    let mut object = AttestationObject::parse(&b64url::decode(text).ok()?).ok()?;
    let original = object.auth_data.clone();
    let len = object.auth_data.len().max(1);
    for (position, mask) in edits {
        let at = if wrap { position % len } else { *position };
        if let Some(byte) = object.auth_data.get_mut(at) {
            *byte ^= mask;
        }
    }
    if object.auth_data == original {
        return None;
    }
    let encoded = b64url::encode(&object.to_bytes());
    *json.pointer_mut("/response/attestationObject")? = Json::String(encoded);
    Some(json.to_string())
}

/// The assertion body with `edits` applied, and whether any signed byte changed.
fn edit_assertion(body: &str, edits: &[Edit]) -> (String, bool) {
    let Ok(mut json) = serde_json::from_str::<Json>(body) else {
        return (body.to_owned(), false);
    };
    let mut changed = false;
    for field in [
        SignedField::ClientDataJson,
        SignedField::AuthenticatorData,
        SignedField::Signature,
    ] {
        let pointer = format!("/response/{}", field.member());
        let Some(bytes) = json
            .pointer(&pointer)
            .and_then(Json::as_str)
            .and_then(|t| b64url::decode(t).ok())
        else {
            continue;
        };
        let mut edited = bytes.clone();
        for edit in edits.iter().filter(|e| e.field == field) {
            if edited.is_empty() {
                break;
            }
            let at = usize::from(edit.position) % edited.len();
            edited[at] ^= edit.mask;
        }
        if edited != bytes {
            changed = true;
            if let Some(slot) = json.pointer_mut(&pointer) {
                *slot = Json::String(b64url::encode(&edited));
            }
        }
    }
    (json.to_string(), changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unedited_ceremony_and_edited_ones_hold_the_invariants() {
        for algorithm in [
            FuzzAlgorithm::Es256,
            FuzzAlgorithm::Es384,
            FuzzAlgorithm::EdDsa,
        ] {
            let mut case = CeremonyCase {
                seed: 7,
                algorithm,
                attestation: FuzzAttestation::Packed,
                backup: FuzzBackup::BackedUp,
                counter_zero: false,
                user_verified: true,
                require_user_verification: true,
                fido: false,
                rp_id_hash_edits: Vec::new(),
                edits: Vec::new(),
            };
            fuzz_ceremony(&case);
            for field in [
                SignedField::ClientDataJson,
                SignedField::AuthenticatorData,
                SignedField::Signature,
            ] {
                case.edits = vec![Edit {
                    field,
                    position: 3,
                    mask: 0x01,
                }];
                fuzz_ceremony(&case);
            }
            case.edits.clear();
            case.rp_id_hash_edits = vec![(40, 0x80)];
            fuzz_ceremony(&case);
        }
    }

    #[test]
    fn every_target_has_seeds_that_it_accepts_without_panicking() {
        for target in TARGETS {
            let seeds = seeds(target);
            assert!(!seeds.is_empty(), "{target}");
            for seed in seeds {
                assert!(run_target(target, &seed));
            }
        }
    }

    #[test]
    fn every_target_runs_on_empty_and_garbage_input() {
        for target in TARGETS {
            assert!(run_target(target, b""));
            assert!(run_target(target, b"\xa1\x01\x02{\"type\":"));
        }
        assert!(!run_target("no-such-target", b""));
    }
}
