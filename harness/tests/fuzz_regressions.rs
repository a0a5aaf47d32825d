//! Every crash input `cargo xtask fuzz` saved under `fuzz/regressions/TARGET/` is replayed
//! through the target's entry function: a fixed bug stays fixed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use webauthn_conformance::fuzzing::{TARGETS, run_target};

#[test]
fn saved_crash_inputs_no_longer_crash() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut replayed = 0;
    for target_dir in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = target_dir.path();
        if !path.is_dir() {
            continue;
        }
        let target = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            TARGETS.contains(&target.as_str()),
            "unknown target dir {target}"
        );
        for input in std::fs::read_dir(&path).unwrap().flatten() {
            let data = std::fs::read(input.path()).unwrap();
            assert!(run_target(&target, &data), "{}", input.path().display());
            replayed += 1;
        }
    }
    println!("replayed {replayed} saved crash inputs");
}
