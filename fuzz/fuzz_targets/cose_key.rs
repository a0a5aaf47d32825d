#![no_main]
use webauthn_conformance::fuzzing::Target;
libfuzzer_sys::fuzz_target!(|data: &[u8]| Target::CoseKey.run(data));
