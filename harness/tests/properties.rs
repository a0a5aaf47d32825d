//! Property tests (proptest; failures are saved to `properties.proptest-regressions` and
//! committed): valid ceremonies from the virtual authenticator with arbitrary algorithms, flags,
//! counters and attestation are accepted by the reference RP and any changed signed byte is
//! refused; every catalogue check gets the verdict the catalogue predicts whatever the seed; and
//! challenges are single-use over sequences of ceremonies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use serde_json::Value as Json;
use webauthn_conformance::authenticator::{VirtualAuthenticator, VirtualClient};
use webauthn_conformance::checks::catalogue;
use webauthn_conformance::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use webauthn_conformance::drbg::Drbg;
use webauthn_conformance::fuzzing::{
    CeremonyCase, Edit, FuzzAlgorithm, FuzzAttestation, FuzzBackup, SignedField, fuzz_ceremony,
};
use webauthn_conformance::rp::reference::{ReferenceFactory, ReferenceRp, harness_trust_store};
use webauthn_conformance::rp::{Profile, RelyingParty, Reply, RpConfig, SessionId};
use webauthn_conformance::runner::{self, RunOptions, Verdict};

fn edit() -> impl Strategy<Value = Edit> {
    (
        prop_oneof![
            Just(SignedField::ClientDataJson),
            Just(SignedField::AuthenticatorData),
            Just(SignedField::Signature)
        ],
        any::<u16>(),
        any::<u8>(),
    )
        .prop_map(|(field, position, mask)| Edit {
            field,
            position,
            mask,
        })
}

prop_compose! {
    fn ceremony()(
        seed in any::<u8>(),
        algorithm in prop_oneof![
            Just(FuzzAlgorithm::Es256),
            Just(FuzzAlgorithm::Es384),
            Just(FuzzAlgorithm::EdDsa)
        ],
        attestation in prop_oneof![
            Just(FuzzAttestation::None),
            Just(FuzzAttestation::PackedSelf),
            Just(FuzzAttestation::Packed)
        ],
        backup in prop_oneof![
            Just(FuzzBackup::SingleDevice),
            Just(FuzzBackup::Eligible),
            Just(FuzzBackup::BackedUp)
        ],
        counter_zero in any::<bool>(),
        user_verified in any::<bool>(),
        require_user_verification in any::<bool>(),
        fido in any::<bool>(),
        rp_id_hash_edits in prop::collection::vec((any::<u8>(), any::<u8>()), 0..2),
        edits in prop::collection::vec(edit(), 0..3),
    ) -> CeremonyCase {
        CeremonyCase {
            seed, algorithm, attestation, backup, counter_zero, user_verified,
            require_user_verification, fido, rp_id_hash_edits, edits,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// §7.1 and §7.2: a valid ceremony is accepted; a changed rpIdHash (step 15) or any changed
    /// signed assertion byte (step 22) is refused. The assertions live in `fuzz_ceremony`.
    #[test]
    fn valid_ceremonies_pass_and_edited_ones_fail(case in ceremony()) {
        fuzz_ceremony(&case);
    }

    /// Each check's verdict comes from the spec, not from seed 1: the reference RP passes any
    /// sampled check with any seed.
    #[test]
    fn catalogue_verdicts_hold_for_any_seed(index in any::<prop::sample::Index>(), seed in 2u64..u64::MAX, fido in any::<bool>()) {
        let checks = catalogue();
        let check = &checks[index.index(checks.len())];
        let profile = if fido { Profile::Fido } else { Profile::Strict };
        let options = RunOptions { profile, seed, only: Vec::new() };
        if let Some(result) = runner::run_check(&ReferenceFactory::new(None), check, &options) {
            prop_assert!(
                matches!(result.verdict, Verdict::Pass | Verdict::Skip),
                "{} with seed {seed}: {:?} {}", result.id, result.verdict, result.detail
            );
        }
    }

    /// §13.5.3: a challenge is used once, in the session it was issued to. Over any sequence of
    /// fresh, replayed and cross-session assertions, exactly the fresh ones are accepted.
    #[test]
    fn challenges_are_single_use_over_sequences(ops in prop::collection::vec(0u8..3, 1..8), seed in any::<u8>()) {
        let config = RpConfig::example(Profile::Strict, u64::from(seed));
        let mut rp = ReferenceRp::new(config.clone(), None, harness_trust_store().unwrap().clone());
        let mut client = VirtualClient::new(
            &config.origins[0],
            VirtualAuthenticator::new(Default::default(), Drbg::for_label(u64::from(seed), "prop")),
        );
        let (alice, mallory) = (SessionId(1), SessionId(2));
        let options = ok(rp.registration_options(alice, &ServerCreationOptionsRequest {
            username: Some("alice".into()),
            display_name: Some("Alice".into()),
            authenticator_selection: None,
            attestation: None,
            extensions: None,
        }));
        let created = client.register(&options, &[]).unwrap();
        prop_assert_eq!(rp.finish_registration(alice, &created.body).unwrap(), Reply::Ok(()));
        let request = ServerGetOptionsRequest {
            username: Some("alice".into()),
            user_verification: None,
            extensions: None,
        };
        let mut last: Option<String> = None;
        for op in ops {
            let (session, body, fresh) = match (op, &last) {
                // A fresh assertion to fresh options in the same session.
                (0, _) | (_, None) => {
                    let options = ok(rp.authentication_options(alice, &request));
                    (alice, client.authenticate(&options, &[]).unwrap().body, true)
                }
                // The last accepted body again.
                (1, Some(body)) => (alice, body.clone(), false),
                // Options issued to alice, answered in mallory's session.
                _ => {
                    let options = ok(rp.authentication_options(alice, &request));
                    (mallory, client.authenticate(&options, &[]).unwrap().body, false)
                }
            };
            let accepted = rp.finish_authentication(session, &body).unwrap() == Reply::Ok(());
            prop_assert_eq!(accepted, fresh, "op {} session {:?}", op, session);
            if fresh {
                last = Some(body);
            }
        }
    }
}

fn ok(reply: Result<Reply<Json>, webauthn_conformance::rp::RpError>) -> Json {
    match reply {
        Ok(Reply::Ok(json)) => json,
        other => panic!("options refused: {other:?}"),
    }
}
