//! The conformance catalogue as `cargo test` tests against webauthn-rs: one test per check and
//! profile, named by the check ID. Known deviations of the library are read from
//! `expectations/webauthn-rs.toml`, so they show as ignored with their reason while every other
//! check must pass, and an entry that stops matching fails.
//!
//! An RP team does the same with its own `RpFactory` (see `webauthn_conformance::rp`): an
//! in-process adapter like `WebauthnRsFactory`, or `HttpFactory` for a server that speaks the
//! FIDO2 conformance API.
//!
//! ```sh
//! cargo test -p webauthn-rs-vendor-example                # every check, both profiles
//! cargo test -p webauthn-rs-vendor-example -- AS-CD       # the assertion clientDataJSON checks
//! ```

use std::process::ExitCode;

use webauthn_conformance::rp::Profile;
use webauthn_conformance::rp::webauthn_rs::WebauthnRsFactory;
use webauthn_conformance::testing::Suite;

fn main() -> ExitCode {
    let expectations = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../expectations/webauthn-rs.toml"
    );
    match Suite::new(WebauthnRsFactory::default())
        .profiles(&[Profile::Strict, Profile::Fido])
        .expectations_file(expectations)
    {
        Ok(suite) => suite.main(),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
