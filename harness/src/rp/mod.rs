//! Relying parties under test, behind one trait shaped after the FIDO2 conformance HTTP API.
//!
//! Each method is one endpoint of that API (docs/fido-api.md): `POST /attestation/options`,
//! `/attestation/result`, `/assertion/options`, `/assertion/result`. The finish calls take the
//! credential as raw JSON text so malformed envelopes can be sent. A [`SessionId`] stands for one
//! browser session (a cookie jar over HTTP): servers keep the pending challenge in it.

pub mod control;
pub mod http;
pub mod reference;
pub mod registry;
#[cfg(feature = "webauthn-rs")]
pub mod webauthn_rs;

use serde_json::Value as Json;

use crate::codec::options::{ServerCreationOptionsRequest, ServerGetOptionsRequest};
use crate::spec::SpecRef;

/// One simulated browser session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId(pub u32);

/// An RP's answer: `{"status":"ok", ...}` or `{"status":"failed","errorMessage":...}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply<T> {
    /// `status: "ok"`.
    Ok(T),
    /// `status: "failed"`: the RP's message, and the step it names when it names one.
    Failed(Rejection),
    /// The RP refused by erroring instead of answering `status: "failed"`: a body that is not
    /// JSON, or an HTTP 5xx. The FIDO tool counts it as a rejection; reports flag it as a
    /// warning ("rejected by erroring"). In-process RPs never answer this.
    Erroring(String),
}

/// Why an RP refused a request: its message (`errorMessage`) and, when the RP says which rule
/// the request broke, that rule's place in W3C L3. Only the reference RP names the step;
/// other RPs answer text, which the harness does not parse for citations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The step the RP says was not met.
    pub step: Option<SpecRef>,
    /// What the RP said (possibly empty: checks judge an empty message).
    pub message: String,
}

impl Rejection {
    /// A refusal with the RP's message only.
    pub fn message(message: impl Into<String>) -> Self {
        Rejection {
            step: None,
            message: message.into(),
        }
    }

    /// A refusal of the rule at `step`.
    pub fn at(step: SpecRef, message: impl Into<String>) -> Self {
        Rejection {
            step: Some(step),
            message: message.into(),
        }
    }
}

/// As the RP's `errorMessage` reads on the wire: `§7.1 step 8: ...` when a step is named.
impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.step {
            Some(step) => write!(f, "{step}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A fault in reaching or running the RP (not a verdict): a timeout, a refused connection, an
/// unreadable answer. The runner records it as an error for the check, never as a pass.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RpError {
    /// The RP could not be reached or did not answer in time.
    #[error("transport: {0}")]
    Transport(String),
    /// The RP answered something that is not the conformance API.
    #[error("protocol: {0}")]
    Protocol(String),
    /// The RP cannot be set up as the check needs.
    #[error("unsupported: {0}")]
    Unsupported(String),
}

/// Which rules an RP is asked to follow (docs/fido-profile.md).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// W3C WebAuthn Level 3 as written.
    #[default]
    Strict,
    /// Compatible with the FIDO conformance tool where it departs from L3.
    Fido,
}

impl Profile {
    /// The CLI and report name.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Strict => "strict",
            Profile::Fido => "fido",
        }
    }
}

/// How the runner sets up an RP for one check. Its JSON form (camelCase) is what `serve`'s
/// `/harness/reset` endpoint takes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RpConfig {
    /// The RP ID.
    pub rp_id: String,
    /// The RP name shown to users.
    pub rp_name: String,
    /// Origins the RP accepts (§13.5.9).
    pub origins: Vec<String>,
    /// Whether the RP expects to be used inside cross-origin iframes (§7.1 step 10).
    pub allow_cross_origin: bool,
    /// Top-level origins the RP accepts being framed by (§7.1 step 11).
    pub top_origins: Vec<String>,
    /// The RP's policy accepts only attestation that chains to a trusted root: `none` and
    /// self attestation are refused (§7.1 step 24; check NONE-04, TRUST-01).
    #[serde(default)]
    pub require_trusted_attestation: bool,
    /// COSE algorithm identifiers the RP offers in `pubKeyCredParams` beyond its own list: the
    /// control of a check about an algorithm that was not offered needs an RP that offers it
    /// (§7.1 step 20). RPs that cannot offer more leave it; the control then says so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_algorithms: Vec<i64>,
    /// The profile.
    pub profile: Profile,
    /// Seed for anything the RP draws (challenges, user handles), so runs are reproducible.
    pub seed: u64,
}

impl RpConfig {
    /// The harness default: RP ID `example.org`, origin `https://example.org` (as the W3C vectors).
    pub fn example(profile: Profile, seed: u64) -> Self {
        RpConfig {
            rp_id: "example.org".into(),
            rp_name: "webauthn-conformance".into(),
            origins: vec!["https://example.org".into()],
            allow_cross_origin: false,
            top_origins: Vec::new(),
            require_trusted_attestation: false,
            extra_algorithms: Vec::new(),
            profile,
            seed,
        }
    }
}

/// A relying party under test.
pub trait RelyingParty: Send {
    /// `POST /attestation/options`: issue creation options for a user.
    fn registration_options(
        &mut self,
        session: SessionId,
        request: &ServerCreationOptionsRequest,
    ) -> Result<Reply<Json>, RpError>;

    /// `POST /attestation/result`: verify a new credential (RegistrationResponseJSON text).
    fn finish_registration(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError>;

    /// `POST /assertion/options`: issue request options.
    fn authentication_options(
        &mut self,
        session: SessionId,
        request: &ServerGetOptionsRequest,
    ) -> Result<Reply<Json>, RpError>;

    /// `POST /assertion/result`: verify an assertion (AuthenticationResponseJSON text).
    fn finish_authentication(
        &mut self,
        session: SessionId,
        credential: &str,
    ) -> Result<Reply<()>, RpError>;

    /// What the RP's clock reads, in Unix milliseconds: the virtual authenticator stamps
    /// time-stamped statements (android-safetynet `timestampMs`, §8.5) with it. In-process RPs
    /// run on the harness's pinned time ([`crate::crypto::pki::NOW`]); a server over HTTP on
    /// its own (see [`http`]).
    fn clock_unix_ms(&self) -> u64 {
        crate::crypto::pki::NOW * 1000
    }

    /// Moves the RP's clock forward, for challenge-expiry checks (§13.5.3). RPs whose clock
    /// cannot be moved say `Unsupported` and those checks are skipped.
    fn advance_clock(&mut self, by: std::time::Duration) -> Result<(), RpError> {
        let _ = by;
        Err(RpError::Unsupported(
            "this RP's clock cannot be moved (challenge expiry is not testable)".into(),
        ))
    }
}

/// Makes a fresh RP for each check.
pub trait RpFactory: Sync {
    /// The RP's name in reports.
    fn name(&self) -> String;

    /// The `run` arguments that select this RP again, for replay commands in reports.
    fn cli_args(&self) -> String {
        format!("--rp {}", self.name())
    }

    /// The configuration a check starts from, before the check adjusts it (cross-origin
    /// framing). In-process RPs take the harness default; an RP behind HTTP has its own RP ID
    /// and origin.
    fn base_config(&self, profile: Profile, seed: u64) -> RpConfig {
        RpConfig::example(profile, seed)
    }

    /// A fresh RP set up as `config` asks.
    fn create(&self, config: &RpConfig) -> Result<Box<dyn RelyingParty>, RpError>;

    /// Whether RPs it makes are independent of each other, so checks may run at the same time
    /// ([`crate::runner::run_parallel`]). In-process RPs are, and so are `serve`'s run
    /// namespaces; any other server behind HTTP has one RP, so its checks run one at a time.
    fn parallel(&self) -> bool {
        true
    }
}
