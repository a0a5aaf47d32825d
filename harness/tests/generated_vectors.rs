//! The generated vectors (`cargo xtask vectors`, `vectors/generated/`): current, complete, and
//! able to catch a broken RP. Their schema and their replay against the reference RP are in
//! `tests/vectors.rs`, with every other vector file.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;

use webauthn_conformance::checks::catalogue;
use webauthn_conformance::rp::reference::ReferenceFactory;
use webauthn_conformance::rp::reference::mutant::Mutant;
use webauthn_conformance::vectors::{
    COMMITTED_PROFILES, COMMITTED_SEED, ConversationFile, Replay, committed_path, generate, replay,
    to_text,
};

fn committed(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// A committed file that differs from what the generator writes now is stale.
#[test]
fn committed_vectors_are_current() {
    for profile in COMMITTED_PROFILES {
        let path = committed_path(profile);
        let fresh = to_text(&generate(profile, COMMITTED_SEED).unwrap());
        assert!(
            committed(&path) == fresh,
            "{path} is stale: run `cargo xtask vectors` and commit the result"
        );
    }
}

/// One test per catalogue check that applies to the profile, and no other.
#[test]
fn every_check_has_one_vector() {
    for profile in COMMITTED_PROFILES {
        let path = committed_path(profile);
        let file: ConversationFile = serde_json::from_str(&committed(&path)).unwrap();
        let mut seen = BTreeSet::new();
        for test in file.test_groups.iter().flat_map(|g| &g.tests) {
            assert!(
                seen.insert(test.check_id.clone()),
                "{path}: {} twice",
                test.check_id
            );
        }
        let wanted: BTreeSet<String> = catalogue()
            .iter()
            .filter(|check| check.expect.get(profile).is_some())
            .map(|check| check.id.to_owned())
            .collect();
        assert_eq!(seen, wanted, "{path}: not one test per check");
    }
}

/// Each reference-RP mutant (one verification switched off) fails some vector: the vectors
/// alone, without this harness's runner, catch every one of these bugs. A SHOULD is judged by
/// its preferred outcome, as the runner's warnings are.
#[test]
fn the_vectors_catch_every_mutant() {
    let files: Vec<ConversationFile> = COMMITTED_PROFILES
        .iter()
        .map(|profile| serde_json::from_str(&committed(&committed_path(*profile))).unwrap())
        .collect();
    let how = Replay {
        same_options: true,
        preferred: true,
    };
    let mut uncaught = Vec::new();
    for mutant in Mutant::all() {
        let factory = ReferenceFactory::new(Some(mutant));
        if files
            .iter()
            .all(|file| replay(&factory, file, how).is_empty())
        {
            uncaught.push(mutant.name());
        }
    }
    assert!(
        uncaught.is_empty(),
        "mutants no vector catches: {uncaught:?}"
    );
}
