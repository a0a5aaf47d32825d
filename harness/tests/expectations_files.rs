//! Every committed expectations file (`expectations/*.toml`: webauthn-rs in process, and the
//! peers `cargo xtask peers` runs over HTTP) parses, names its RP, cites the spec step in every
//! reason, and lists only checks the catalogue has in the entry's profiles. Whether each entry
//! still matches is checked by the runs themselves (`tests/webauthn_rs.rs`, and
//! `cargo xtask peers all --check` in CI, where a stale entry fails the run).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use webauthn_conformance::checks::catalogue;
use webauthn_conformance::expectations::Expectations;

fn files() -> Vec<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../expectations"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_four_libraries_have_expectations() {
    let names: Vec<String> = files()
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for rp in [
        "py_webauthn",
        "python-fido2",
        "simplewebauthn",
        "webauthn-rs",
    ] {
        assert!(names.iter().any(|n| n == rp), "expectations/{rp}.toml");
    }
}

#[test]
fn every_entry_cites_the_spec_and_names_a_check_of_its_profiles() {
    let catalogue = catalogue();
    for path in files() {
        let file = Expectations::load(&path).unwrap();
        let name = path.display();
        assert!(file.rp.is_some(), "{name}: rp = \"...\" names the library");
        assert!(!file.entries.is_empty(), "{name}");
        for entry in &file.entries {
            assert!(
                entry.reason.contains('§') || entry.reason.contains("FIDO"),
                "{name} {}: the reason must name the spec step",
                entry.check
            );
            for profile in &entry.profiles {
                assert!(
                    catalogue
                        .iter()
                        .any(|c| c.id == entry.check && c.expect.get(*profile).is_some()),
                    "{name}: {} is not a check of the {} profile",
                    entry.check,
                    profile.name()
                );
            }
        }
    }
}
