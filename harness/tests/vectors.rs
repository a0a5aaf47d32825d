//! Every vector file under `vectors/` (except `vectors/schemas/`, and `vectors/browser/`, which
//! `tests/browser_vectors.rs` replays): schema validation, the envelope invariants a schema
//! cannot state, and a run of every test through the reference RP: its pure verification
//! functions (W3C L3 §7.1, §7.2) for ceremony vectors, a replay of the conversation for the
//! generated ones (`vectors/generated/`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rstest::rstest;
use serde::Deserialize;
use serde_json::{Value, json};

use webauthn_conformance::codec::attestation_object::AttestationObject;
use webauthn_conformance::codec::auth_data::{AuthenticatorData, Flags};
use webauthn_conformance::codec::b64url;
use webauthn_conformance::codec::cbor::{self, Value as Cbor};
use webauthn_conformance::codec::cose::{CoseAlgorithm, CoseKey};
use webauthn_conformance::crypto::pki::NOW;
use webauthn_conformance::rp::reference::attestation::AttestationPolicy;
use webauthn_conformance::rp::reference::mutant::Switches;
use webauthn_conformance::rp::reference::verify::{
    AuthenticationExpectations, Ceremony, ClientDataExpectations, CredentialRecord,
    RegistrationExpectations, TokenBindingPolicy, VerifyError, verify_authentication,
    verify_registration,
};

const SCHEMA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/schemas");

// The typed envelope. `deny_unknown_fields` repeats the schemas' `additionalProperties: false`,
// so a field the schema gains but this reader ignores fails loudly.

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct File<G> {
    schema: String,
    #[allow(dead_code)]
    spec_level: String,
    number_of_tests: usize,
    #[allow(dead_code)]
    header: Vec<String>,
    notes: BTreeMap<String, Note>,
    test_groups: Vec<G>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Note {
    bug_type: String,
    description: String,
    effect: String,
    links: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Source {
    name: String,
    vector: String,
    byte_checked_against: Option<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Verdict {
    Valid,
    Invalid,
    Acceptable,
}

/// The fields every test has, whatever its ceremony. (Not `#[serde(flatten)]`ed into the test
/// structs: serde does not combine `flatten` with `deny_unknown_fields`.)
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Header {
    tc_id: u64,
    check_id: Option<String>,
    comment: String,
    flags: Vec<String>,
    result: Verdict,
}

/// Splits a test object into its [`Header`] and its inputs, each strictly typed.
fn split<I: serde::de::DeserializeOwned>(test: Value) -> Result<(Header, I), String> {
    let Value::Object(map) = test else {
        return Err("a test is not an object".into());
    };
    let (header, inputs): (
        serde_json::Map<String, Value>,
        serde_json::Map<String, Value>,
    ) = map.into_iter().partition(|(k, _)| {
        matches!(
            k.as_str(),
            "tcId" | "checkId" | "comment" | "flags" | "result"
        )
    });
    let header: Header =
        serde_json::from_value(Value::Object(header)).map_err(|e| format!("test header: {e}"))?;
    let inputs = serde_json::from_value(Value::Object(inputs))
        .map_err(|e| format!("tcId {}: test inputs: {e}", header.tc_id))?;
    Ok((header, inputs))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct RegistrationGroup {
    ceremony: String,
    source: Source,
    rp_id: String,
    origin: String,
    #[serde(default)]
    allow_cross_origin: bool,
    #[serde(default)]
    top_origins: Vec<String>,
    challenge: String,
    require_user_verification: bool,
    algorithms: Vec<i64>,
    attestation_trust_anchors: Vec<String>,
    keys: Option<Keys>,
    tests: Vec<RegistrationTest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct Keys {
    credential_private_key: Option<String>,
    attestation_private_key: Option<String>,
}

/// One test: the envelope's header fields and the ceremony's raw inputs.
#[derive(Deserialize)]
#[serde(try_from = "Value", bound = "I: serde::de::DeserializeOwned")]
struct VectorTest<I> {
    header: Header,
    inputs: I,
}

impl<I: serde::de::DeserializeOwned> TryFrom<Value> for VectorTest<I> {
    type Error = String;
    fn try_from(test: Value) -> Result<Self, String> {
        split(test).map(|(header, inputs)| VectorTest { header, inputs })
    }
}

type RegistrationTest = VectorTest<RegistrationInputs>;
type AuthenticationTest = VectorTest<AuthenticationInputs>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RegistrationInputs {
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    attestation_object: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct AuthenticationGroup {
    ceremony: String,
    source: Source,
    rp_id: String,
    origin: String,
    #[serde(default)]
    allow_cross_origin: bool,
    #[serde(default)]
    top_origins: Vec<String>,
    challenge: String,
    require_user_verification: bool,
    credential: StoredCredential,
    user_identified: bool,
    tests: Vec<AuthenticationTest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StoredCredential {
    id: String,
    public_key: String,
    sign_count: u32,
    backup_eligible: bool,
    backup_state: bool,
    user_handle: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AuthenticationInputs {
    #[serde(rename = "clientDataJSON")]
    client_data_json: String,
    authenticator_data: String,
    signature: String,
    user_handle: Option<String>,
}

fn hex(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap_or_else(|e| panic!("not hex ({e}): {text}"))
}

fn load_schema(name: &str) -> Value {
    let path = Path::new(SCHEMA_DIR).join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("schema {} unreadable: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// (a) Validates `document` against the schema it names.
fn validate_against_schema(file: &str, document: &Value) {
    let name = document["schema"]
        .as_str()
        .unwrap_or_else(|| panic!("{file}: no \"schema\" field"));
    let schema = load_schema(name);
    let validator = jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("schema {name} does not compile: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{file} does not match {name}:\n{}",
        errors.join("\n")
    );
}

/// (b) The invariants the schema cannot express.
/// A group of either ceremony: its tests' headers, for the envelope checks.
trait Group {
    fn headers(&self) -> Vec<&Header>;
}

impl Group for RegistrationGroup {
    fn headers(&self) -> Vec<&Header> {
        self.tests.iter().map(|t| &t.header).collect()
    }
}

impl Group for AuthenticationGroup {
    fn headers(&self) -> Vec<&Header> {
        self.tests.iter().map(|t| &t.header).collect()
    }
}

/// The file as its envelope type, with the invariants the schema cannot express checked.
fn envelope<G: Group + serde::de::DeserializeOwned>(
    file: &str,
    document: Value,
    schema: &str,
) -> File<G> {
    let data: File<G> = serde_json::from_value(document)
        .unwrap_or_else(|e| panic!("{file}: envelope does not deserialize: {e}"));
    assert_eq!(data.schema, schema);
    check_envelope(
        file,
        data.number_of_tests,
        &data.notes,
        data.test_groups.iter().flat_map(|g| g.headers()),
    );
    data
}

fn check_envelope<'a>(
    file: &str,
    number_of_tests: usize,
    notes: &BTreeMap<String, Note>,
    tests: impl Iterator<Item = &'a Header>,
) {
    let catalogue: BTreeSet<&str> = webauthn_conformance::checks::catalogue()
        .iter()
        .map(|c| c.id)
        .collect();
    let mut ids = Vec::new();
    let mut used_flags = BTreeSet::new();
    for t in tests {
        ids.push(t.tc_id);
        for flag in &t.flags {
            assert!(
                notes.contains_key(flag),
                "{file} tcId {}: flag {flag:?} is not defined in notes",
                t.tc_id
            );
            used_flags.insert(flag.as_str());
        }
        if let Some(id) = &t.check_id {
            assert!(
                catalogue.contains(id.as_str()),
                "{file} tcId {}: checkId {id:?} is not in the catalogue",
                t.tc_id
            );
        }
        assert!(
            !t.comment.trim().is_empty(),
            "{file} tcId {}: empty comment",
            t.tc_id
        );
    }
    assert_eq!(
        number_of_tests,
        ids.len(),
        "{file}: numberOfTests is {number_of_tests} but the file has {} tests",
        ids.len()
    );
    let expected: Vec<u64> = (1..=ids.len() as u64).collect();
    assert_eq!(
        ids, expected,
        "{file}: tcIds must be unique and consecutive from 1"
    );
    for name in notes.keys() {
        assert!(
            used_flags.contains(name.as_str()),
            "{file}: note {name:?} is not used by any test"
        );
    }
}

/// Whether the reference RP's outcome agrees with the expected result. An `invalid` test must
/// also be rejected for the reason its comment cites: the W3C step of the rejection
/// ([`VerifyError::step`], up to any parenthesis) must appear in the comment, so an edit that
/// trips an earlier check than intended is caught.
fn agrees<T>(
    expected: Verdict,
    outcome: &Result<T, VerifyError>,
    ceremony: Ceremony,
    comment: &str,
) -> bool {
    match (expected, outcome) {
        (Verdict::Valid, outcome) => outcome.is_ok(),
        (Verdict::Invalid, Ok(_)) => false,
        (Verdict::Invalid, Err(e)) => {
            let step = e.step(ceremony).to_string();
            comment.contains(step.split(" (").next().unwrap_or(&step))
        }
        (Verdict::Acceptable, _) => true,
    }
}

fn describe<T>(outcome: &Result<T, VerifyError>, ceremony: Ceremony) -> String {
    match outcome {
        Ok(_) => "accepted".to_owned(),
        Err(e) => format!("rejected at {}: {e}", e.step(ceremony)),
    }
}

fn mismatch(
    file: &str,
    header: &Header,
    outcome: &str,
    inputs: &[(&str, &str)],
    body: &str,
) -> String {
    let mut msg = format!(
        "{file} tcId {} ({}): expected {:?}, reference RP {outcome} (an invalid test must be rejected at the step its comment cites)\n  comment: {}\n  flags: {:?}\n",
        header.tc_id,
        header.check_id.as_deref().unwrap_or("no checkId"),
        header.result,
        header.comment,
        header.flags,
    );
    for (name, value) in inputs {
        let _ = writeln!(msg, "  {name}: {value}");
    }
    let _ = writeln!(msg, "  body: {body}");
    msg
}

/// The credential ID in an attestation object's authData, read leniently (trailing bytes
/// allowed), so that `id` and `rawId` name it even when the test's bytes are malformed.
fn credential_id(attestation_object: &[u8]) -> Option<Vec<u8>> {
    let (Cbor::Map(entries), _) = cbor::decode_prefix(attestation_object).ok()? else {
        return None;
    };
    let Some(Cbor::Bytes(auth_data)) = cbor::map_get_text(&entries, "authData") else {
        return None;
    };
    let len = usize::from(u16::from_be_bytes([
        *auth_data.get(53)?,
        *auth_data.get(54)?,
    ]));
    auth_data.get(55..55 + len).map(<[u8]>::to_vec)
}

/// RegistrationResponseJSON (W3C L3 §5.1.8), as the harness's wire code reads it. When no
/// credential ID can be found in the attestation object, `id` is "AA" (one zero byte), so that
/// the RP meets the malformed bytes rather than an empty `id`.
fn registration_body(client_data_json: &[u8], attestation_object: &[u8]) -> String {
    let id = b64url::encode(&credential_id(attestation_object).unwrap_or(vec![0]));
    json!({
        "id": id,
        "rawId": id,
        "type": "public-key",
        "response": {
            "clientDataJSON": b64url::encode(client_data_json),
            "attestationObject": b64url::encode(attestation_object),
        },
        "clientExtensionResults": {},
    })
    .to_string()
}

/// AuthenticationResponseJSON (W3C L3 §5.1.9).
fn authentication_body(
    credential_id: &[u8],
    client_data_json: &[u8],
    authenticator_data: &[u8],
    signature: &[u8],
    user_handle: Option<&[u8]>,
) -> String {
    let id = b64url::encode(credential_id);
    let mut response = json!({
        "clientDataJSON": b64url::encode(client_data_json),
        "authenticatorData": b64url::encode(authenticator_data),
        "signature": b64url::encode(signature),
    });
    if let Some(handle) = user_handle {
        response["userHandle"] = json!(b64url::encode(handle));
    }
    json!({
        "id": id,
        "rawId": id,
        "type": "public-key",
        "response": response,
        "clientExtensionResults": {},
    })
    .to_string()
}

/// The user handle the registration options would have named; §7.1 does not look at it.
const REGISTERING_USER: &[u8] = b"vectors-registering-user";

/// What a registration group's RP holds: the owned values its [`RegistrationExpectations`]
/// borrow.
struct RegistrationSetup {
    policy: AttestationPolicy,
    challenge: Vec<u8>,
    origins: [String; 1],
    algorithms: Vec<CoseAlgorithm>,
}

impl RegistrationGroup {
    fn setup(&self, file: &str) -> RegistrationSetup {
        let mut policy = AttestationPolicy::default();
        for anchor in &self.attestation_trust_anchors {
            policy
                .trust_store
                .add_root(None, &hex(anchor))
                .unwrap_or_else(|e| panic!("{file}: trust anchor does not parse: {e}"));
        }
        RegistrationSetup {
            policy,
            challenge: hex(&self.challenge),
            origins: [self.origin.clone()],
            algorithms: self
                .algorithms
                .iter()
                .map(|&id| CoseAlgorithm::from_id(id))
                .collect(),
        }
    }

    fn expectations<'a>(&'a self, setup: &'a RegistrationSetup) -> RegistrationExpectations<'a> {
        RegistrationExpectations {
            client_data: ClientDataExpectations {
                challenge: &setup.challenge,
                rp_id: &self.rp_id,
                origins: &setup.origins,
                allow_cross_origin: self.allow_cross_origin,
                top_origins: &self.top_origins,
                token_binding: TokenBindingPolicy::Ignore,
            },
            rp_id: &self.rp_id,
            require_user_verification: self.require_user_verification,
            offered_algorithms: &setup.algorithms,
            attestation_policy: &setup.policy,
            now_unix: NOW,
        }
    }
}

/// Runs every registration test; returns the mismatches.
fn run_registration(file: &str, data: &File<RegistrationGroup>) -> Vec<String> {
    let mut failures = Vec::new();
    for group in &data.test_groups {
        assert_eq!(group.ceremony, "registration", "{file}: group ceremony");
        let setup = group.setup(file);
        let expected = group.expectations(&setup);
        for test in &group.tests {
            let client_data_json = hex(&test.inputs.client_data_json);
            let attestation_object = hex(&test.inputs.attestation_object);
            let body = registration_body(&client_data_json, &attestation_object);
            let outcome = verify_registration(&body, &expected, REGISTERING_USER, Switches(None));
            let ceremony = Ceremony::Registration;
            if !agrees(test.header.result, &outcome, ceremony, &test.header.comment) {
                failures.push(mismatch(
                    file,
                    &test.header,
                    &describe(&outcome, ceremony),
                    &[
                        ("clientDataJSON", &test.inputs.client_data_json),
                        ("attestationObject", &test.inputs.attestation_object),
                    ],
                    &body,
                ));
            }
        }
    }
    failures
}

/// What an authentication group's RP holds: the stored record and the owned values its
/// [`AuthenticationExpectations`] borrow.
struct AuthenticationSetup {
    record: CredentialRecord,
    challenge: Vec<u8>,
    origins: [String; 1],
    allow: [Vec<u8>; 1],
}

impl AuthenticationGroup {
    fn setup(&self, file: &str) -> AuthenticationSetup {
        let stored = &self.credential;
        let public_key = CoseKey::from_cbor(&hex(&stored.public_key))
            .unwrap_or_else(|e| panic!("{file}: stored public key does not parse: {e}"));
        let record = CredentialRecord {
            id: hex(&stored.id),
            user_handle: hex(&stored.user_handle),
            public_key,
            sign_count: stored.sign_count,
            backup_eligible: stored.backup_eligible,
            backup_state: stored.backup_state,
            uv_initialized: false,
        };
        AuthenticationSetup {
            allow: [record.id.clone()],
            record,
            challenge: hex(&self.challenge),
            origins: [self.origin.clone()],
        }
    }

    fn expectations<'a>(
        &'a self,
        setup: &'a AuthenticationSetup,
    ) -> AuthenticationExpectations<'a> {
        AuthenticationExpectations {
            client_data: ClientDataExpectations {
                challenge: &setup.challenge,
                rp_id: &self.rp_id,
                origins: &setup.origins,
                allow_cross_origin: self.allow_cross_origin,
                top_origins: &self.top_origins,
                token_binding: TokenBindingPolicy::Ignore,
            },
            rp_id: &self.rp_id,
            require_user_verification: self.require_user_verification,
            require_user_presence: true,
            allow_credentials: if self.user_identified {
                &setup.allow
            } else {
                &[]
            },
            identified_user: self
                .user_identified
                .then_some(setup.record.user_handle.as_slice()),
        }
    }
}

/// Runs every authentication test; returns the mismatches.
fn run_authentication(file: &str, data: &File<AuthenticationGroup>) -> Vec<String> {
    let mut failures = Vec::new();
    for group in &data.test_groups {
        assert_eq!(group.ceremony, "authentication", "{file}: group ceremony");
        let setup = group.setup(file);
        let record = &setup.record;
        let expected = group.expectations(&setup);
        for test in &group.tests {
            let client_data_json = hex(&test.inputs.client_data_json);
            let authenticator_data = hex(&test.inputs.authenticator_data);
            let signature = hex(&test.inputs.signature);
            let user_handle = test.inputs.user_handle.as_deref().map(hex);
            let body = authentication_body(
                &record.id,
                &client_data_json,
                &authenticator_data,
                &signature,
                user_handle.as_deref(),
            );
            let outcome = verify_authentication(
                &body,
                &expected,
                std::slice::from_ref(record),
                Switches(None),
            );
            let ceremony = Ceremony::Authentication;
            if !agrees(test.header.result, &outcome, ceremony, &test.header.comment) {
                failures.push(mismatch(
                    file,
                    &test.header,
                    &describe(&outcome, ceremony),
                    &[
                        ("clientDataJSON", &test.inputs.client_data_json),
                        ("authenticatorData", &test.inputs.authenticator_data),
                        ("signature", &test.inputs.signature),
                        (
                            "userHandle",
                            test.inputs.user_handle.as_deref().unwrap_or("(absent)"),
                        ),
                    ],
                    &body,
                ));
            }
        }
    }
    failures
}

fn display(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(|p| p.canonicalize().ok());
    root.and_then(|root| path.strip_prefix(root).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// Generated conversations (`cargo xtask vectors`): the envelope's counts, then every test
/// replayed against a fresh reference RP, which must issue the recorded options and give each
/// step its recorded status and the decisive step the test's result.
fn run_conversations(file: &str, document: Value) -> Vec<String> {
    use webauthn_conformance::rp::reference::ReferenceFactory;
    use webauthn_conformance::vectors::{ConversationFile, Replay, replay};
    let data: ConversationFile = serde_json::from_value(document)
        .unwrap_or_else(|e| panic!("{file}: not a conversation file: {e}"));
    let ids: Vec<usize> = data
        .test_groups
        .iter()
        .flat_map(|group| group.tests.iter().map(|test| test.tc_id))
        .collect();
    assert_eq!(ids.len(), data.number_of_tests, "{file}: numberOfTests");
    assert!(
        ids.iter().enumerate().all(|(i, id)| *id == i + 1),
        "{file}: tcIds are not 1..=n in order"
    );
    let how = Replay {
        same_options: true,
        preferred: false,
    };
    replay(&ReferenceFactory::new(None), &data, how)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// One test per vector file: schema, envelope invariants, then every test through the
/// reference RP.
#[rstest]
fn vector_file(
    #[files("../vectors/**/*.json")]
    #[exclude("/(schemas|browser)/")]
    path: PathBuf,
) {
    let file = display(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    let document: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file} is not JSON: {e}"));
    validate_against_schema(&file, &document);

    let failures = match document["schema"].as_str() {
        Some("webauthn_registration_schema.json") => {
            let schema = "webauthn_registration_schema.json";
            run_registration(
                &file,
                &envelope::<RegistrationGroup>(&file, document, schema),
            )
        }
        Some("webauthn_authentication_schema.json") => {
            let schema = "webauthn_authentication_schema.json";
            run_authentication(
                &file,
                &envelope::<AuthenticationGroup>(&file, document, schema),
            )
        }
        Some(webauthn_conformance::vectors::SCHEMA) => run_conversations(&file, document),
        other => panic!("{file}: no runner for schema {other:?}"),
    };
    assert!(
        failures.is_empty(),
        "{} of the tests in {file} disagree with the reference RP:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every schema is itself a valid draft 2020-12 schema and says `additionalProperties: false` on
/// every object it describes.
#[rstest]
fn schema_file(#[files("../vectors/schemas/*.json")] path: PathBuf) {
    let file = display(&path);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("{file} is not a draft 2020-12 schema: {e}");
    }
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{file}: {e}"));
    let name = path.file_name().unwrap().to_str().unwrap();
    assert_eq!(
        schema["$id"],
        json!(name),
        "{file}: $id is not the file name"
    );
    fn strict(at: &str, node: &Value, file: &str) {
        match node {
            Value::Object(map) => {
                if map.get("type") == Some(&json!("object")) {
                    assert!(
                        map.contains_key("additionalProperties"),
                        "{file}: object at {at} lacks additionalProperties"
                    );
                    assert!(
                        map.get("additionalProperties") == Some(&json!(false))
                            || at.ends_with("/notes"),
                        "{file}: object at {at} allows unknown properties"
                    );
                }
                for (key, child) in map {
                    strict(&format!("{at}/{key}"), child, file);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    strict(&format!("{at}/{i}"), child, file);
                }
            }
            _ => {}
        }
    }
    strict("", &schema, &file);
}

/// The fifteen W3C WebAuthn L3 §16 registration + authentication pairs, by the spec's HKDF `info`
/// label.
const W3C_PAIRS: [&str; 15] = [
    "none.ES256",
    "packed-self.ES256",
    "none.ES256.crossOrigin",
    "none.ES256.topOrigin",
    "none.ES256.long-credential-id",
    "packed.ES256",
    "packed.ES384",
    "packed.ES512",
    "packed.RS256",
    "packed.EdDSA",
    "packed.Ed448",
    "tpm.ES256",
    "android-key.ES256",
    "apple.ES256",
    "fido-u2f.ES256",
];

/// The W3C pairs whose unedited registration is `acceptable` rather than `valid`, with the flag
/// that says why (see vectors/README.md).
const W3C_ACCEPTABLE_REGISTRATIONS: [(&str, &str); 1] =
    [("android-key.ES256", "AndroidKeyNoOriginPurpose")];

/// The one unedited (`W3cVector`) test of a W3C group.
fn unedited<'a, I>(vector: &str, tests: &'a [VectorTest<I>]) -> &'a VectorTest<I> {
    let mut found = tests
        .iter()
        .filter(|t| t.header.flags.iter().any(|f| f == "W3cVector"));
    let test = found
        .next()
        .unwrap_or_else(|| panic!("{vector}: no unedited test"));
    assert!(found.next().is_none(), "{vector}: two unedited tests");
    test
}

/// The vector names of a W3C file's groups, each once.
fn vector_names<'a>(names: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    for name in names {
        assert!(seen.insert(name), "{name}: two groups");
    }
    seen
}

/// Both W3C files hold all fifteen §16 pairs, each unedited exactly once, and every pair holds
/// together: the credential the registration's authData carries (read by the codec) is the one
/// the authentication group stores, the reference RP accepts the registration (or the
/// registration is one of the documented `acceptable` ones) and yields that same credential, and
/// it accepts the authentication against it.
#[test]
fn w3c_files_hold_the_fifteen_pairs() {
    let registration: File<RegistrationGroup> =
        serde_json::from_str(include_str!("../../vectors/w3c/registration.json")).unwrap();
    let authentication: File<AuthenticationGroup> =
        serde_json::from_str(include_str!("../../vectors/w3c/authentication.json")).unwrap();
    let expected: BTreeSet<&str> = W3C_PAIRS.into();
    let names = registration
        .test_groups
        .iter()
        .map(|g| g.source.vector.as_str());
    assert_eq!(vector_names(names), expected, "registration.json");
    let names = authentication
        .test_groups
        .iter()
        .map(|g| g.source.vector.as_str());
    assert_eq!(vector_names(names), expected, "authentication.json");

    for name in W3C_PAIRS {
        let reg_group = registration
            .test_groups
            .iter()
            .find(|g| g.source.vector == name)
            .unwrap();
        let auth_group = authentication
            .test_groups
            .iter()
            .find(|g| g.source.vector == name)
            .unwrap();
        let reg_test = unedited(name, &reg_group.tests);
        let auth_test = unedited(name, &auth_group.tests);

        // The codec: the registration's attested credential is the stored one.
        let object = AttestationObject::parse(&hex(&reg_test.inputs.attestation_object))
            .unwrap_or_else(|e| panic!("{name}: attestation object: {e}"));
        let auth_data = AuthenticatorData::parse(&object.auth_data)
            .unwrap_or_else(|e| panic!("{name}: authData: {e}"));
        let attested = auth_data
            .attested_credential_data
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: no attested credential data"));
        let stored = &auth_group.credential;
        assert_eq!(
            hex::encode(&attested.credential_id),
            stored.id,
            "{name}: id"
        );
        assert_eq!(
            hex::encode(&attested.credential_public_key),
            stored.public_key,
            "{name}: public key"
        );
        assert_eq!(
            auth_data.flags.has(Flags::BE),
            stored.backup_eligible,
            "{name}: BE"
        );
        assert_eq!(
            auth_data.flags.has(Flags::BS),
            stored.backup_state,
            "{name}: BS"
        );
        assert_eq!(auth_data.sign_count, stored.sign_count, "{name}: signCount");

        // The reference RP: the registration.
        let setup = reg_group.setup("registration.json");
        let body = registration_body(
            &hex(&reg_test.inputs.client_data_json),
            &hex(&reg_test.inputs.attestation_object),
        );
        let outcome = verify_registration(
            &body,
            &reg_group.expectations(&setup),
            REGISTERING_USER,
            Switches(None),
        );
        let acceptable = W3C_ACCEPTABLE_REGISTRATIONS
            .iter()
            .find(|(vector, _)| *vector == name);
        match (reg_test.header.result, acceptable) {
            (Verdict::Valid, None) => {
                let record = outcome
                    .unwrap_or_else(|e| panic!("{name}: registration rejected: {e}"))
                    .record;
                assert_eq!(record.id, attested.credential_id, "{name}: stored id");
                assert_eq!(
                    record.public_key,
                    CoseKey::from_cbor(&attested.credential_public_key).unwrap(),
                    "{name}: stored key"
                );
                assert_eq!(record.backup_eligible, stored.backup_eligible, "{name}: BE");
                assert_eq!(record.backup_state, stored.backup_state, "{name}: BS");
            }
            (Verdict::Acceptable, Some((_, flag))) => assert!(
                reg_test.header.flags.iter().any(|f| f == flag),
                "{name}: acceptable without flag {flag}"
            ),
            (result, _) => panic!("{name}: unedited registration is {result:?}"),
        }

        // The reference RP: the authentication, against the stored credential.
        assert_eq!(auth_test.header.result, Verdict::Valid, "{name}");
        let setup = auth_group.setup("authentication.json");
        let body = authentication_body(
            &setup.record.id,
            &hex(&auth_test.inputs.client_data_json),
            &hex(&auth_test.inputs.authenticator_data),
            &hex(&auth_test.inputs.signature),
            auth_test.inputs.user_handle.as_deref().map(hex).as_deref(),
        );
        let verified = verify_authentication(
            &body,
            &auth_group.expectations(&setup),
            std::slice::from_ref(&setup.record),
            Switches(None),
        )
        .unwrap_or_else(|e| panic!("{name}: authentication rejected: {e}"));
        assert_eq!(verified.credential_id, setup.record.id, "{name}");
    }
}
