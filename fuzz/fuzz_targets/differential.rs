#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    webauthn_conformance::fuzzing::run_target("differential", data);
});
