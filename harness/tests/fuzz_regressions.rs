//! Every crash input `cargo xtask fuzz` saved under `fuzz/regressions/TARGET/` is replayed
//! through the target's entry function: a fixed bug stays fixed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use webauthn_conformance::fuzzing::Target;

#[test]
fn saved_crash_inputs_no_longer_crash() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut replayed = 0;
    for target_dir in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = target_dir.path();
        if !path.is_dir() {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let target: Target = name
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for input in std::fs::read_dir(&path).unwrap().flatten() {
            let data = std::fs::read(input.path()).unwrap();
            println!("{target}: {}", input.path().display());
            target.run(&data);
            replayed += 1;
        }
    }
    println!("replayed {replayed} saved crash inputs");
}

/// The differential target's comparison is sound: on valid ceremonies, and on registrations
/// with a changed rpIdHash (§7.1 step 15), the reference RP and webauthn-rs agree, so a
/// disagreement the fuzzer reports is about the edit, not the harness.
#[cfg(feature = "webauthn-rs")]
#[test]
fn differential_agrees_where_the_spec_is_plain() {
    use webauthn_conformance::fuzzing::{
        CeremonyCase, CeremonyOutcome, FuzzAlgorithm, FuzzAttestation, FuzzBackup, Outcome,
        differential, outcomes,
    };
    let accepted = CeremonyOutcome {
        registration: Outcome::Accepted,
        authentication: Some(Outcome::Accepted),
    };
    let refused = CeremonyOutcome {
        registration: Outcome::Rejected,
        authentication: None,
    };
    for attestation in [
        FuzzAttestation::None,
        FuzzAttestation::PackedSelf,
        FuzzAttestation::Packed,
    ] {
        let valid = CeremonyCase {
            seed: 7,
            algorithm: FuzzAlgorithm::Es256,
            attestation,
            backup: FuzzBackup::Eligible,
            counter_zero: false,
            user_verified: true,
            require_user_verification: false,
            fido: false,
            rp_id_hash_edits: Vec::new(),
            edits: Vec::new(),
        };
        assert_eq!(outcomes(&valid), Some((accepted, accepted)), "{valid:?}");
        let edited = CeremonyCase {
            rp_id_hash_edits: vec![(3, 0x40)],
            ..valid
        };
        assert_eq!(outcomes(&edited), Some((refused, refused)), "{edited:?}");
    }
    // A backup state without backup eligibility (§7.1 step 18): the reference RP refuses it;
    // whatever webauthn-rs does is recorded as a disagreement with its class, never a crash.
    let bs_without_be = CeremonyCase {
        seed: 7,
        algorithm: FuzzAlgorithm::Es256,
        attestation: FuzzAttestation::None,
        backup: FuzzBackup::SingleDevice,
        counter_zero: false,
        user_verified: true,
        require_user_verification: false,
        fido: false,
        rp_id_hash_edits: vec![(32, 0x10)],
        edits: Vec::new(),
    };
    if let Some(found) = differential(&bs_without_be) {
        assert_eq!(found.reference.registration, Outcome::Rejected);
        assert!(found.class.contains("edited flags"), "{}", found.class);
    }
}
