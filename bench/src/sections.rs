//! The six sections of the bench, each measured next to its baseline, and the two outputs.

use std::hint::black_box;
use std::time::Duration;

use criterion::BatchSize;
use serde_json::{Value as Json, json};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_conformance::authenticator::AttestationFormat;
use webauthn_conformance::checks::{Check, catalogue};
use webauthn_conformance::codec::cose::CoseAlgorithm;
use webauthn_conformance::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use webauthn_conformance::crypto::count::{Family, Op, OpCounts};
use webauthn_conformance::crypto::{self, CredentialKey};
use webauthn_conformance::drbg::Drbg;
use webauthn_conformance::fuzzing::{self, Target};
use webauthn_conformance::rp::http::{HttpConfig, HttpFactory};
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::webauthn_rs::WebauthnRsFactory;
use webauthn_conformance::rp::{Profile, RelyingParty, Reply, RpFactory, SessionId};
use webauthn_conformance::runner::{self, RunOptions};
use webauthn_conformance::serve;

use crate::measure::{Bench, Estimate, Machine};
use crate::peers::{self, fatal};

/// A measured figure in a section's table.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub what: String,
    pub estimate: Estimate,
}

/// A ratio, with the issue's target when it has one.
#[derive(Debug, Clone)]
pub struct Ratio {
    pub name: String,
    pub value: f64,
    /// (what the target says, whether it is met)
    pub target: Option<(String, bool)>,
}

#[derive(Debug, Clone, Default)]
pub struct Section {
    pub key: &'static str,
    pub title: &'static str,
    pub rows: Vec<Row>,
    pub ratios: Vec<Ratio>,
    pub facts: Vec<(String, Json)>,
    pub notes: Vec<String>,
}

impl Section {
    fn new(key: &'static str, title: &'static str) -> Self {
        Section {
            key,
            title,
            ..Section::default()
        }
    }

    fn row(&mut self, name: &str, what: &str, estimate: Estimate) -> Estimate {
        self.rows.push(Row {
            name: name.to_owned(),
            what: what.to_owned(),
            estimate,
        });
        estimate
    }

    fn ratio(&mut self, name: &str, value: f64, target: Option<(&str, bool)>) {
        self.ratios.push(Ratio {
            name: name.to_owned(),
            value,
            target: target.map(|(t, met)| (t.to_owned(), met)),
        });
    }

    fn fact(&mut self, name: &str, value: Json) {
        self.facts.push((name.to_owned(), value));
    }

    fn note(&mut self, note: &str) {
        self.notes.push(note.to_owned());
    }
}

const PROFILE: Profile = Profile::Strict;
const SEED: u64 = 1;
const SESSION: SessionId = SessionId(1);

pub fn run_all(bench: &mut Bench, only: Option<&str>) -> Vec<Section> {
    let wanted = |key: &str| only.is_none_or(|only| key.contains(only));
    let checks = catalogue();
    let mut sections = Vec::new();
    // The crypto a catalogue run performs decides which families' costs the floor needs.
    let needs_floor = wanted("floor") || wanted("catalogue") || wanted("http");
    let counts = if needs_floor {
        catalogue_counts(&checks)
    } else {
        OpCounts::default()
    };
    let floor = if needs_floor {
        floor(bench, &counts)
    } else {
        Floor {
            section: Section::default(),
            costs: Vec::new(),
        }
    };
    if wanted("floor") {
        sections.push(floor.section.clone());
    }
    if wanted("authenticator") {
        sections.push(authenticators(bench));
    }
    if wanted("rp") {
        sections.push(rp_verification(bench));
    }
    let mut in_process = None;
    if wanted("catalogue") || wanted("http") {
        let (section, single) = whole_catalogue(bench, &checks, &counts, &floor);
        in_process = Some(single);
        if wanted("catalogue") {
            sections.push(section);
        }
    }
    if wanted("http") {
        sections.push(http_path(bench, &checks, in_process));
    }
    if wanted("fuzz") {
        sections.push(fuzzing_targets(bench));
    }
    sections
}

// ---------------------------------------------------------------------------------------------
// 1. Crypto floor

pub struct Floor {
    section: Section,
    /// Nanoseconds per (key generation, sign, verify), by family.
    costs: Vec<(Family, [f64; 3])>,
}

impl Floor {
    fn cost(&self, family: Family, op: Op) -> f64 {
        let index = match op {
            Op::KeyGen => 0,
            Op::Sign => 1,
            Op::Verify => 2,
        };
        self.costs
            .iter()
            .find(|(f, _)| *f == family)
            .and_then(|(_, costs)| costs.get(index).copied())
            .unwrap_or_default()
    }
}

/// What an assertion's signature covers: authenticatorData (37 bytes) || SHA-256(clientData).
fn assertion_message() -> Vec<u8> {
    (0u8..69).collect()
}

/// A clientDataJSON as the virtual client writes it for an assertion.
fn client_data_json() -> Vec<u8> {
    format!(
        r#"{{"type":"webauthn.get","challenge":"{}","origin":"https://example.org","crossOrigin":false}}"#,
        "A".repeat(43)
    )
    .into_bytes()
}

fn floor(bench: &mut Bench, counts: &OpCounts) -> Floor {
    use p256::ecdsa::signature::{Signer as _, Verifier as _};
    use sha2::Digest as _;
    let mut section = Section::new("floor", "1. Crypto floor (p256, sha2)");
    let message = assertion_message();
    let key = p256::ecdsa::SigningKey::from_slice(&[0x42; 32])
        .unwrap_or_else(|e| fatal(&format!("p256 key: {e}")));
    let verifying = *key.verifying_key();
    let signature: p256::ecdsa::Signature = key.sign(&message);
    let sign = section.row(
        "ES256 sign",
        "p256 RFC 6979 signature of a 69-byte message (authData ‖ hash), DER-encoded",
        bench.op("floor", "es256_sign", |b| {
            b.iter(|| {
                let sig: p256::ecdsa::Signature = key.sign(black_box(&message));
                sig.to_der()
            });
        }),
    );
    let verify = section.row(
        "ES256 verify",
        "p256 verification of that signature with a parsed public key",
        bench.op("floor", "es256_verify", |b| {
            b.iter(|| verifying.verify(black_box(&message), black_box(&signature)));
        }),
    );
    let data = client_data_json();
    let hash = section.row(
        "SHA-256",
        &format!("sha2 digest of a {}-byte clientDataJSON", data.len()),
        bench.op("floor", "sha256_client_data", |b| {
            b.iter(|| sha2::Sha256::digest(black_box(&data)));
        }),
    );
    let mut drbg = Drbg::for_label(1, "bench keys");
    let keygen = section.row(
        "ES256 key generation",
        "p256 signing key from 32 random bytes (one base-point multiplication)",
        bench.op("floor", "es256_keygen", |b| {
            b.iter(|| p256::ecdsa::SigningKey::from_slice(&drbg.bytes("k", 32)).ok());
        }),
    );
    let round_ns = 2.0 * sign.mean_ns + 2.0 * verify.mean_ns + 4.0 * hash.mean_ns;
    section.fact("round_floor_ns", json!(round_ns));
    section.fact("rounds_per_second_floor", json!(1e9 / round_ns));
    section.note(&format!(
        "Floor of one registration + authentication round: 2 signs (attestation/packed-self and \
         assertion) + 2 verifies (the RP's) + 4 SHA-256 of clientDataJSON (client and RP, twice \
         each) = {:.1} µs, {:.0} rounds/s on one core.",
        round_ns / 1e3,
        1e9 / round_ns
    ));
    let mut costs = vec![(Family::P256, [keygen.mean_ns, sign.mean_ns, verify.mean_ns])];
    {
        // The other families the catalogue uses, through the harness's own thin wrappers over
        // the same crates (p384, p521, k256, ed25519-dalek, rsa), for the catalogue's floor.
        for family in Family::ALL.into_iter().filter(|f| *f != Family::P256) {
            let used: u64 = Op::ALL.iter().map(|op| counts.get(*op, family)).sum();
            if used == 0 {
                continue;
            }
            let alg = match family {
                Family::P256 => CoseAlgorithm::Es256,
                Family::P384 => CoseAlgorithm::Es384,
                Family::P521 => CoseAlgorithm::Es512,
                Family::Secp256k1 => CoseAlgorithm::Es256K,
                Family::Ed25519 => CoseAlgorithm::EdDsa,
                Family::Rsa => CoseAlgorithm::Rs256,
            };
            let key = CredentialKey::generate(alg, &mut drbg)
                .unwrap_or_else(|e| fatal(&format!("{} key: {e}", family.name())));
            let cose = key.cose_key();
            let signature = key.sign(&message);
            let name = family.name().to_lowercase().replace('-', "");
            let keygen = if family == Family::Rsa {
                // RSA credentials share one process-wide key: no generation per credential.
                0.0
            } else {
                bench
                    .op_short("floor", &format!("{name}_keygen"), |b| {
                        b.iter(|| CredentialKey::generate(alg, &mut drbg).ok());
                    })
                    .mean_ns
            };
            let sign = bench.op_short("floor", &format!("{name}_sign"), |b| {
                b.iter(|| key.sign(black_box(&message)));
            });
            let verify = bench.op_short("floor", &format!("{name}_verify"), |b| {
                b.iter(|| crypto::verify(&cose, black_box(&message), &signature).is_ok());
            });
            section.row(
                &format!("{} sign", family.name()),
                &format!("{} (harness wrapper), for the catalogue floor", alg.name()),
                sign,
            );
            section.row(
                &format!("{} verify", family.name()),
                &format!("{} (harness wrapper), for the catalogue floor", alg.name()),
                verify,
            );
            costs.push((family, [keygen, sign.mean_ns, verify.mean_ns]));
        }
    }
    Floor { section, costs }
}

// ---------------------------------------------------------------------------------------------
// 2. Virtual authenticators

fn authenticators(bench: &mut Bench) -> Section {
    let mut section = Section::new(
        "authenticator",
        "2. Virtual authenticator next to passkey-rs and SoftPasskey (ES256)",
    );
    let origin = peers::origin();

    // Registrations.
    let none_options = peers::creation_options_json("none");
    let mut ours = peers::ours(AttestationFormat::None);
    let ours_none = section.row(
        "ours: registration, none",
        "VirtualClient::register: key generation, authData, `none` attestation object, JSON body",
        bench.op("authenticator", "ours_register_none", |b| {
            b.iter(|| peers::ours_register(&mut ours, &none_options));
        }),
    );
    let direct_options = peers::creation_options_json("direct");
    let mut ours = peers::ours(AttestationFormat::PackedSelf);
    let ours_packed = section.row(
        "ours: registration, packed self",
        "the same with a `packed` self-attestation signature",
        bench.op("authenticator", "ours_register_packed_self", |b| {
            b.iter(|| peers::ours_register(&mut ours, &direct_options));
        }),
    );
    let mut passkey = peers::passkey_rs();
    let passkey_reg = section.row(
        "passkey-rs: registration, none",
        "passkey_client::Client::register over passkey_authenticator (MemoryStore, RustCrypto), credential serialised to JSON",
        bench.op("authenticator", "passkey_rs_register", |b| {
            b.iter(|| peers::passkey_register(&mut passkey, &origin, peers::passkey_creation_options()));
        }),
    );
    let mut soft = SoftPasskey::new(true);
    let soft_options = peers::soft_creation_options(&none_options);
    let soft_reg = section.row(
        "SoftPasskey: registration, packed self",
        "WebauthnAuthenticator::do_registration (it always self-attests), credential serialised to JSON",
        bench.op("authenticator", "softpasskey_register", |b| {
            b.iter(|| peers::soft_register(&mut soft, &origin, soft_options.clone()));
        }),
    );

    // Assertions: each with one credential it made.
    let mut ours = peers::ours(AttestationFormat::None);
    let _ = peers::ours_register(&mut ours, &none_options);
    let ours_id = ours
        .authenticator
        .credentials()
        .first()
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let ours_request = peers::request_options_json(&ours_id);
    let ours_assert = section.row(
        "ours: assertion",
        "VirtualClient::authenticate: clientDataJSON, authData, ES256 signature, JSON body",
        bench.op("authenticator", "ours_assert", |b| {
            b.iter(|| peers::ours_assert(&mut ours, &ours_request));
        }),
    );
    let mut passkey = peers::passkey_rs();
    let (_, passkey_id) =
        peers::passkey_register(&mut passkey, &origin, peers::passkey_creation_options());
    let passkey_assert = section.row(
        "passkey-rs: assertion",
        "passkey_client::Client::authenticate, credential serialised to JSON",
        bench.op("authenticator", "passkey_rs_assert", |b| {
            b.iter(|| {
                peers::passkey_assert(
                    &mut passkey,
                    &origin,
                    peers::passkey_request_options(&passkey_id),
                )
            });
        }),
    );
    let mut soft = SoftPasskey::new(true);
    let (_, soft_id) = peers::soft_register(&mut soft, &origin, soft_options.clone());
    let soft_request = peers::soft_request_options(&peers::request_options_json(&soft_id));
    let soft_assert = section.row(
        "SoftPasskey: assertion",
        "WebauthnAuthenticator::do_authentication, credential serialised to JSON",
        bench.op("authenticator", "softpasskey_assert", |b| {
            b.iter(|| peers::soft_assert(&mut soft, &origin, soft_request.clone()));
        }),
    );

    let ratio = |ours: Estimate, peer: Estimate| ours.per_second() / peer.per_second();
    let reg_passkey = ratio(ours_none, passkey_reg);
    let reg_soft = ratio(ours_packed, soft_reg);
    let as_passkey = ratio(ours_assert, passkey_assert);
    let as_soft = ratio(ours_assert, soft_assert);
    let target = "≥ 1.5× the faster peer";
    let reg_met = reg_passkey.min(reg_soft) >= 1.5;
    let as_met = as_passkey.min(as_soft) >= 1.5;
    section.ratio(
        "registrations/s, ours (none) / passkey-rs (none)",
        reg_passkey,
        Some((target, reg_met)),
    );
    section.ratio(
        "registrations/s, ours (packed self) / SoftPasskey (packed self)",
        reg_soft,
        Some((target, reg_met)),
    );
    section.ratio(
        "assertions/s, ours / passkey-rs",
        as_passkey,
        Some((target, as_met)),
    );
    section.ratio(
        "assertions/s, ours / SoftPasskey",
        as_soft,
        Some((target, as_met)),
    );
    section.note(
        "Each library is driven through its client API as its docs show, from the options an RP \
         sends (ours: the options JSON; passkey-rs: its `CredentialCreationOptions`; SoftPasskey: \
         webauthn-rs-proto's, read from the same JSON) to the credential JSON an RP receives. \
         Registration = key generation + attestation (passkey-rs always writes `none`; \
         SoftPasskey always `packed` self, so ours is measured in both formats and each peer is \
         compared with ours in its own format). passkey-rs is async: its futures are driven by \
         `pollster::block_on`. SoftPasskey draws from the OS RNG, passkey-rs too, ours from its \
         DRBG.",
    );
    section
}

// ---------------------------------------------------------------------------------------------
// 3. RP verification

/// An RP with a pending ceremony, ready to verify a response.
struct Pending {
    rp: Box<dyn RelyingParty>,
}

fn creation_request() -> ServerCreationOptionsRequest {
    ServerCreationOptionsRequest {
        username: Some("alice".into()),
        display_name: Some("Alice".into()),
        authenticator_selection: None,
        attestation: Some("none".into()),
        extensions: None,
    }
}

fn get_request() -> ServerGetOptionsRequest {
    ServerGetOptionsRequest {
        username: Some("alice".into()),
        user_verification: Some("preferred".into()),
        extensions: None,
    }
}

fn ok_json(reply: Result<Reply<Json>, impl std::fmt::Display>, what: &str) -> Json {
    match reply {
        Ok(Reply::Ok(json)) => json,
        Ok(other) => fatal(&format!("{what}: {other:?}")),
        Err(err) => fatal(&format!("{what}: {err}")),
    }
}

fn ok_unit(reply: Result<Reply<()>, impl std::fmt::Display>, what: &str) {
    match reply {
        Ok(Reply::Ok(())) => {}
        Ok(other) => fatal(&format!("{what}: {other:?}")),
        Err(err) => fatal(&format!("{what}: {err}")),
    }
}

/// The registration and assertion bodies our client makes for `factory`'s fresh RPs (whose
/// challenges come from the seed, so every fresh RP issues the same ones).
struct Ceremony {
    registration_options: Json,
    registration: String,
    assertion_options: Json,
    assertion: String,
}

fn ceremony(factory: &dyn RpFactory) -> Ceremony {
    let config = factory.base_config(PROFILE, SEED);
    let mut rp = factory
        .create(&config)
        .unwrap_or_else(|e| fatal(&format!("{}: {e}", factory.name())));
    let mut client = peers::ours(AttestationFormat::None);
    let registration_options = ok_json(
        rp.registration_options(SESSION, &creation_request()),
        "registration options",
    );
    let registration = peers::ours_register(&mut client, &registration_options);
    ok_unit(
        rp.finish_registration(SESSION, &registration),
        "registration",
    );
    let assertion_options = ok_json(
        rp.authentication_options(SESSION, &get_request()),
        "authentication options",
    );
    let assertion = peers::ours_assert(&mut client, &assertion_options);
    ok_unit(
        rp.finish_authentication(SESSION, &assertion),
        "authentication",
    );
    Ceremony {
        registration_options,
        registration,
        assertion_options,
        assertion,
    }
}

/// A fresh RP that has issued `ceremony`'s registration options.
fn pending_registration(factory: &dyn RpFactory, ceremony: &Ceremony) -> Pending {
    let mut rp = factory
        .create(&factory.base_config(PROFILE, SEED))
        .unwrap_or_else(|e| fatal(&e.to_string()));
    let options = ok_json(
        rp.registration_options(SESSION, &creation_request()),
        "registration options",
    );
    if options != ceremony.registration_options {
        fatal("a fresh RP issued other registration options: the bodies would not verify");
    }
    Pending { rp }
}

/// A fresh RP holding the credential, that has issued `ceremony`'s request options.
fn pending_assertion(factory: &dyn RpFactory, ceremony: &Ceremony) -> Pending {
    let Pending { mut rp } = pending_registration(factory, ceremony);
    ok_unit(
        rp.finish_registration(SESSION, &ceremony.registration),
        "registration",
    );
    let options = ok_json(
        rp.authentication_options(SESSION, &get_request()),
        "authentication options",
    );
    if options != ceremony.assertion_options {
        fatal("a fresh RP issued other request options: the assertion would not verify");
    }
    Pending { rp }
}

fn rp_verification(bench: &mut Bench) -> Section {
    let mut section = Section::new(
        "rp",
        "3. Reference RP verification next to webauthn-rs-core",
    );
    let reference = ReferenceFactory::default();
    let webauthn_rs = WebauthnRsFactory::default();
    let mut figures = Vec::new();
    for (label, key, factory) in [
        ("reference RP", "reference", &reference as &dyn RpFactory),
        (
            "webauthn-rs-core 0.6.2",
            "webauthn_rs",
            &webauthn_rs as &dyn RpFactory,
        ),
    ] {
        let ceremony = ceremony(factory);
        let registration = section.row(
            &format!("{label}: verify a registration"),
            "finish_registration of a `none`/ES256 RegistrationResponseJSON (a fresh RP per iteration, made outside the timing)",
            bench.op("rp", &format!("{key}_registration"), |b| {
                b.iter_batched(
                    || pending_registration(factory, &ceremony),
                    |mut pending| {
                        let reply = pending.rp.finish_registration(SESSION, &ceremony.registration);
                        (reply, pending)
                    },
                    BatchSize::SmallInput,
                );
            }),
        );
        let assertion = section.row(
            &format!("{label}: verify an assertion"),
            "finish_authentication of an ES256 AuthenticationResponseJSON (RP set up outside the timing)",
            bench.op("rp", &format!("{key}_assertion"), |b| {
                b.iter_batched(
                    || pending_assertion(factory, &ceremony),
                    |mut pending| {
                        let reply = pending.rp.finish_authentication(SESSION, &ceremony.assertion);
                        (reply, pending)
                    },
                    BatchSize::SmallInput,
                );
            }),
        );
        figures.push((registration, assertion));
    }
    if let [(ref_reg, ref_as), (wrs_reg, wrs_as)] = figures.as_slice() {
        let reg = ref_reg.per_second() / wrs_reg.per_second();
        let asr = ref_as.per_second() / wrs_as.per_second();
        let target = "≥ 1.0× webauthn-rs-core";
        section.ratio(
            "registrations verified/s, reference / webauthn-rs-core",
            reg,
            Some((target, reg >= 1.0)),
        );
        section.ratio(
            "assertions verified/s, reference / webauthn-rs-core",
            asr,
            Some((target, asr >= 1.0)),
        );
    }
    section.note(
        "Both RPs are driven through the harness's `RelyingParty` trait, JSON text in, verdict \
         out: webauthn-rs-core through `--rp webauthn-rs`'s adapter, as an integrator's server \
         drives it (parse the credential JSON with webauthn-rs-proto, `register_credential` / \
         `authenticate_credential`). The responses are our client's, made once for each RP's \
         seeded challenge (the same authenticator, key and bytes but for the challenge).",
    );
    section
}

// ---------------------------------------------------------------------------------------------
// 4. Whole catalogue

fn options() -> RunOptions {
    RunOptions {
        profile: PROFILE,
        seed: SEED,
        only: Vec::new(),
    }
}

/// The crypto one catalogue run performs against the reference RP, after a run that warms the
/// process-wide caches (the shared RSA key).
fn catalogue_counts(checks: &[Check]) -> OpCounts {
    let factory = ReferenceFactory::default();
    let _ = runner::run(&factory, checks, &options());
    let before = OpCounts::now();
    let _ = runner::run(&factory, checks, &options());
    OpCounts::now().since(&before)
}

fn whole_catalogue(
    bench: &mut Bench,
    checks: &[Check],
    counts: &OpCounts,
    floor: &Floor,
) -> (Section, Estimate) {
    let mut section = Section::new(
        "catalogue",
        "4. Whole catalogue against the in-process reference RP (strict profile)",
    );
    let factory = ReferenceFactory::default();
    let report = runner::run(&factory, checks, &options());
    let n = report.results.len();
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let single = section.row(
        "catalogue, --jobs 1",
        &format!("{n} checks, one thread"),
        bench.whole_run("catalogue", "jobs_1", |b| {
            b.iter(|| runner::run_parallel(&factory, checks, &options(), 1));
        }),
    );
    let parallel = (cores > 1).then(|| {
        section.row(
            &format!("catalogue, --jobs {cores}"),
            &format!("{n} checks, {cores} threads (all cores)"),
            bench.whole_run("catalogue", "jobs_all", |b| {
                b.iter(|| runner::run_parallel(&factory, checks, &options(), cores));
            }),
        )
    });
    let checks_per_second = |e: Estimate| n as f64 * e.per_second();
    section.fact("checks", json!(n));
    section.fact("checks_per_second_jobs_1", json!(checks_per_second(single)));
    if let Some(parallel) = parallel {
        section.fact(
            &format!("checks_per_second_jobs_{cores}"),
            json!(checks_per_second(parallel)),
        );
    }
    // The floor: every sign and verify the run performs at the floor's cost per family.
    let mut ops = serde_json::Map::new();
    let (mut sign_verify_ns, mut keygen_ns) = (0.0, 0.0);
    for family in Family::ALL {
        let [keygens, signs, verifies] = Op::ALL.map(|op| counts.get(op, family));
        if keygens + signs + verifies == 0 {
            continue;
        }
        ops.insert(
            family.name().to_owned(),
            json!({"keygens": keygens, "signs": signs, "verifies": verifies}),
        );
        sign_verify_ns += signs as f64 * floor.cost(family, Op::Sign)
            + verifies as f64 * floor.cost(family, Op::Verify);
        keygen_ns += keygens as f64 * floor.cost(family, Op::KeyGen);
    }
    section.fact("crypto_operations", Json::Object(ops));
    section.fact("floor_signs_and_verifies_ns", json!(sign_verify_ns));
    section.fact("floor_with_keygens_ns", json!(sign_verify_ns + keygen_ns));
    let ratio = single.mean_ns / sign_verify_ns;
    section.ratio(
        "catalogue wall time (--jobs 1) / (signs and verifies × their floor cost)",
        ratio,
        Some(("≤ 2×", ratio <= 2.0)),
    );
    section.ratio(
        "catalogue wall time (--jobs 1) / (signs, verifies and key generations × floor cost)",
        single.mean_ns / (sign_verify_ns + keygen_ns),
        None,
    );
    if let Some(parallel) = parallel {
        let speedup = single.mean_ns / parallel.mean_ns;
        section.ratio(
            &format!("speed-up of --jobs {cores} over --jobs 1"),
            speedup,
            Some(("scales with --jobs (> 1)", speedup > 1.0)),
        );
    } else {
        section.note("One core: no parallel figure.");
    }
    section.note(&format!(
        "Crypto operations counted by the harness's counters (`crypto::count`: one relaxed atomic \
         increment per key generation, sign and verify, by family) over one run: {} signs, {} \
         verifies, {} key generations. The floor prices each at this run's per-family cost \
         (section 1); the other work of a check (CBOR, JSON, certificates' DER, the RP's logic) \
         is what the ratio measures.",
        counts.total(Op::Sign),
        counts.total(Op::Verify),
        counts.total(Op::KeyGen)
    ));
    (section, single)
}

// ---------------------------------------------------------------------------------------------
// 5. HTTP path

fn server() -> serve::ServerHandle {
    serve::start(
        Box::new(ReferenceFactory::default()),
        serve::ServeOptions {
            port: 0,
            config: webauthn_conformance::rp::RpConfig::example(PROFILE, SEED),
            max_requests: u64::MAX,
            limits: serve::Limits::default(),
        },
    )
    .unwrap_or_else(|e| fatal(&format!("serve: {e}")))
}

fn http_factory(server: &serve::ServerHandle) -> HttpFactory {
    HttpFactory::connect(HttpConfig::new(&server.url()))
        .unwrap_or_else(|e| fatal(&format!("connect: {e}")))
}

fn http_path(bench: &mut Bench, checks: &[Check], in_process: Option<Estimate>) -> Section {
    let mut section = Section::new(
        "http",
        "5. HTTP path: the catalogue against `serve --rp reference` on 127.0.0.1",
    );
    // How many requests one catalogue run makes (the connect probe is one more).
    let counting = server();
    let factory = http_factory(&counting);
    let report = runner::run(&factory, checks, &options());
    let served = counting
        .shutdown()
        .unwrap_or_else(|e| fatal(&format!("serve: {e}")));
    let requests = served.saturating_sub(1);
    let n = report.results.len();

    let live = server();
    let factory = http_factory(&live);
    let http = section.row(
        "catalogue over HTTP",
        &format!("{n} checks, {requests} requests, one at a time (ureq → hyper)"),
        bench.whole_run("http", "catalogue", |b| {
            b.iter(|| runner::run(&factory, checks, &options()));
        }),
    );
    // The same number of plain round trips to the same server: a 1 KiB JSON body to a path
    // that reads it and answers a short JSON 404, on an agent set up as the adapter's.
    let agent = webauthn_conformance::rp::http::agent(Duration::from_secs(10));
    let url = format!("{}/bench/noop", live.url());
    let body = format!(r#"{{"padding":"{}"}}"#, "x".repeat(1010));
    let raw = section.row(
        &format!("{requests} raw round trips"),
        "POST of a 1 KiB JSON body, answer read, same client crate and agent setup",
        bench.whole_run("http", "raw_round_trips", |b| {
            b.iter(|| {
                for _ in 0..requests {
                    let answer = agent
                        .post(&url)
                        .header("content-type", "application/json")
                        .send(&body)
                        .ok()
                        .and_then(|mut r| r.body_mut().read_to_string().ok());
                    black_box(answer);
                }
            });
        }),
    );
    let _ = live.shutdown();
    section.fact("checks", json!(n));
    section.fact("requests_per_run", json!(requests));
    section.fact(
        "checks_per_second_http",
        json!(n as f64 * http.per_second()),
    );
    section.fact(
        "round_trip_us",
        json!(raw.mean_ns / requests.max(1) as f64 / 1e3),
    );
    section.ratio(
        "raw round trips / catalogue over HTTP (share of its time)",
        raw.mean_ns / http.mean_ns,
        None,
    );
    if let Some(single) = in_process {
        // The target: what the HTTP path costs beyond its two unavoidable parts, the checks'
        // own work (the in-process run) and the same number of bare round trips to the server.
        let overhead = http.mean_ns / (single.mean_ns + raw.mean_ns) - 1.0;
        section.ratio(
            "HTTP overhead: over HTTP / (in process, --jobs 1 + raw round trips) − 1",
            overhead,
            Some(("≤ 0.20", overhead <= 0.20)),
        );
        section.ratio(
            "over HTTP / in process − 1 (the round trips counted as overhead)",
            http.mean_ns / single.mean_ns - 1.0,
            None,
        );
        section.ratio(
            "HTTP overhead beyond the raw round trips: (over HTTP − in process − raw) / in process",
            (http.mean_ns - single.mean_ns - raw.mean_ns) / single.mean_ns,
            None,
        );
    }
    section.note(
        "Against `serve` each check resets into a run namespace of its own (`/harness/reset`); \
         this row runs them one at a time (--jobs 1). The server runs in this process \
         (`serve::start`), on its own tokio runtime. The overhead target compares the run over \
         HTTP with the sum of what it cannot avoid: the same checks in process and the same \
         number of bare round trips (each a hand-off between the client, the connection's task \
         and the blocking pool that runs the RP). The harness's own HTTP costs (serialising and re-reading JSON \
         on both sides, cookies, the per-check reset) are what remains.",
    );
    section
}

// ---------------------------------------------------------------------------------------------
// 6. Fuzzing

/// Each target's seeds, and as many again with a few bytes changed at random (deterministic).
fn fuzz_inputs(target: Target) -> Vec<Vec<u8>> {
    let seeds = fuzzing::seeds(target);
    let mut drbg = Drbg::for_label(1, target.name());
    let mut inputs = seeds.clone();
    for round in 0..256usize {
        let Some(seed) = seeds.get(round % seeds.len().max(1)) else {
            break;
        };
        let mut input = seed.clone();
        for pick in drbg.bytes("mutation", 8).chunks(2) {
            if let ([at, value], false) = (pick, input.is_empty()) {
                let at = usize::from(*at) * input.len() / 256;
                if let Some(byte) = input.get_mut(at) {
                    *byte ^= value | 1;
                }
            }
        }
        inputs.push(input);
    }
    inputs
}

fn fuzzing_targets(bench: &mut Bench) -> Section {
    let mut section = Section::new(
        "fuzz",
        "6. Fuzz targets: executions per second (no libFuzzer, no coverage instrumentation)",
    );
    // A target's invariant failing is a finding, not a reason to stop measuring the others.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for target in Target::ALL {
        let inputs = fuzz_inputs(target);
        if inputs.is_empty() {
            section.note(&format!("{target}: no seeds, not measured"));
            continue;
        }
        let panics = inputs
            .iter()
            .filter(|input| std::panic::catch_unwind(|| target.run(input)).is_err())
            .count();
        if panics > 0 {
            section.note(&format!(
                "{target}: {panics} of its {} inputs broke an invariant (run `cargo xtask fuzz`)",
                inputs.len()
            ));
        }
        let mut next = 0usize;
        let estimate = bench.op("fuzz", target.name(), |b| {
            b.iter(|| {
                next = next.wrapping_add(1);
                let input = inputs
                    .get(next % inputs.len())
                    .map_or(&[][..], Vec::as_slice);
                std::panic::catch_unwind(|| target.run(input)).is_ok()
            });
        });
        section.row(
            target.name(),
            &format!(
                "`fuzzing::Target::run` over its {} seeds and 256 seeds with bytes changed, in turn",
                inputs.len() - 256.min(inputs.len())
            ),
            estimate,
        );
    }
    std::panic::set_hook(hook);
    section.note(
        "The fuzz entry functions called directly in release mode, without libFuzzer's \
         instrumentation or its mutator: an upper bound on what `cargo fuzz` reaches (see \
         `cargo xtask fuzz`, which prints libFuzzer's own exec/s).",
    );
    section
}

// ---------------------------------------------------------------------------------------------
// Output

fn unit(section: &str) -> &'static str {
    match section {
        "catalogue" | "http" => "run",
        "fuzz" => "exec",
        _ => "op",
    }
}

fn duration(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn rate(per_second: f64) -> String {
    if per_second >= 100.0 {
        format!("{per_second:.0}")
    } else {
        format!("{per_second:.2}")
    }
}

pub fn to_json(sections: &[Section], machine: &Machine, quick: bool) -> Json {
    let sections: Vec<Json> = sections
        .iter()
        .map(|s| {
            json!({
                "key": s.key,
                "title": s.title,
                "unit": unit(s.key),
                "figures": s.rows.iter().map(|r| json!({
                    "name": r.name,
                    "what": r.what,
                    "mean_ns": r.estimate.mean_ns,
                    "ci95_low_ns": r.estimate.low_ns,
                    "ci95_high_ns": r.estimate.high_ns,
                    "per_second": r.estimate.per_second(),
                })).collect::<Vec<_>>(),
                "ratios": s.ratios.iter().map(|r| json!({
                    "name": r.name,
                    "value": r.value,
                    "target": r.target.as_ref().map(|(t, _)| t),
                    "met": r.target.as_ref().map(|(_, met)| met),
                })).collect::<Vec<_>>(),
                "facts": s.facts.iter().cloned().collect::<serde_json::Map<String, Json>>(),
                "notes": s.notes,
            })
        })
        .collect();
    json!({
        "machine": machine,
        "quick": quick,
        "sections": sections,
    })
}

pub fn to_markdown(sections: &[Section], machine: &Machine, quick: bool) -> String {
    let mut md = String::from("# Benchmarks\n\n");
    md.push_str(&format!(
        "Written by `cargo xtask bench{}`. Machine: {} cores ({}), {}, {}. Every ratio is \
         taken from figures measured in the same run; absolute figures move with the machine \
         and its load.\n\n",
        if quick { " --quick" } else { "" },
        machine.cores,
        machine.cpu,
        machine.os,
        machine.rustc
    ));
    let targets: Vec<(&str, &Ratio)> = sections
        .iter()
        .flat_map(|s| s.ratios.iter().map(move |r| (s.title, r)))
        .filter(|(_, r)| r.target.is_some())
        .collect();
    if !targets.is_empty() {
        md.push_str("## Targets\n\n| ratio | value | target | met |\n|---|---|---|---|\n");
        for (_, ratio) in &targets {
            if let Some((target, met)) = &ratio.target {
                md.push_str(&format!(
                    "| {} | {:.2} | {} | {} |\n",
                    ratio.name,
                    ratio.value,
                    target,
                    if *met { "yes" } else { "**no**" }
                ));
            }
        }
        md.push('\n');
    }
    for section in sections {
        let unit = unit(section.key);
        md.push_str(&format!("## {}\n\n", section.title));
        md.push_str(&format!(
            "| figure | time per {unit} (mean, 95% CI) | {unit}s/s | what |\n|---|---|---|---|\n"
        ));
        for row in &section.rows {
            md.push_str(&format!(
                "| {} | {} ({} – {}) | {} | {} |\n",
                row.name,
                duration(row.estimate.mean_ns),
                duration(row.estimate.low_ns),
                duration(row.estimate.high_ns),
                rate(row.estimate.per_second()),
                row.what
            ));
        }
        if !section.ratios.is_empty() {
            md.push_str("\n| ratio | value | target |\n|---|---|---|\n");
            for ratio in &section.ratios {
                let target = match &ratio.target {
                    Some((target, true)) => format!("{target}: met"),
                    Some((target, false)) => format!("{target}: **not met**"),
                    None => String::new(),
                };
                md.push_str(&format!(
                    "| {} | {:.2} | {} |\n",
                    ratio.name, ratio.value, target
                ));
            }
        }
        if !section.facts.is_empty() {
            md.push('\n');
            for (name, value) in &section.facts {
                let value = match value {
                    Json::Number(n) => n
                        .as_f64()
                        .filter(|f| f.fract() != 0.0)
                        .map_or_else(|| n.to_string(), |f| format!("{f:.1}")),
                    other => other.to_string(),
                };
                md.push_str(&format!("- `{name}`: {value}\n"));
            }
        }
        for note in &section.notes {
            md.push_str(&format!("\n{note}\n"));
        }
        md.push('\n');
    }
    md
}
