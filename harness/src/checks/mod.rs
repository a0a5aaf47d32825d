//! The check catalogue: each check is data — a stable ID of its family, the W3C L3
//! step it enforces, what is sent, and what a conformant RP must do in each profile.
//!
//! Expected verdicts come from the spec (and, for the `fido` profile, from the FIDO conformance
//! tool's documented behaviour), never from what the reference RP happens to do.

pub mod bugs;
mod catalogue;
pub mod control;
pub mod quote;
mod scenario;

pub use catalogue::catalogue;
pub use scenario::{Ceremony, CreationProbe, RequestProbe, Scenario, Setup};

pub use crate::spec::{Section, SpecRef, Step};

use crate::rp::Profile;

/// RFC 2119 strength of the requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// MUST / MUST NOT.
    Must,
    /// SHOULD / SHOULD NOT, or a policy the spec leaves to the RP.
    Should,
    /// Something W3C L3 leaves to the RP that the FIDO conformance tool requires: which
    /// attestation formats and types it accepts (§7.1 steps 21 and 24), what it makes of the
    /// reserved `tokenBinding` member (§5.8.1). SHOULD in the strict profile (where the check
    /// holds the RP to the most interoperable choice), MUST in the fido profile.
    FidoMust,
}

impl Level {
    /// The report name (of a level as [`Level::in_profile`] resolves it).
    pub fn name(self) -> &'static str {
        match self {
            Level::Must | Level::FidoMust => "must",
            Level::Should => "should",
        }
    }

    /// The strength in `profile`: [`Level::FidoMust`] is SHOULD under L3 and MUST under the
    /// FIDO tool's rules; the others are the same everywhere.
    pub fn in_profile(self, profile: Profile) -> Level {
        match (self, profile) {
            (Level::FidoMust, Profile::Strict) => Level::Should,
            (Level::FidoMust, Profile::Fido) => Level::Must,
            (level, _) => level,
        }
    }

    /// Whether missing the check in `profile` is a failure (MUST) rather than a warning.
    pub fn is_must_in(self, profile: Profile) -> bool {
        self.in_profile(profile) != Level::Should
    }
}

/// What a conformant RP does with the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expect {
    /// It accepts (`status: "ok"`).
    Accept,
    /// It rejects (`status: "failed"`).
    Reject,
}

impl Expect {
    /// The report name.
    pub fn name(self) -> &'static str {
        match self {
            Expect::Accept => "accept",
            Expect::Reject => "reject",
        }
    }
}

/// The expected verdict in each profile; `None` means the check does not apply there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expectation {
    /// Under W3C L3 (`strict`).
    pub strict: Option<Expect>,
    /// Under the FIDO conformance tool's rules (`fido`).
    pub fido: Option<Expect>,
}

impl Expectation {
    /// The same in both profiles.
    pub const fn both(expect: Expect) -> Self {
        Expectation {
            strict: Some(expect),
            fido: Some(expect),
        }
    }

    /// The expectation in `profile`.
    pub fn get(self, profile: Profile) -> Option<Expect> {
        match profile {
            Profile::Strict => self.strict,
            Profile::Fido => self.fido,
        }
    }
}

/// One conformance check.
#[derive(Debug, Clone)]
pub struct Check {
    /// Stable ID (`REG-CD-02`: family and number), with a `.case` suffix when one row has several
    /// cases.
    pub id: &'static str,
    /// What is sent, in a line.
    pub title: &'static str,
    /// The requirement's place in W3C L3.
    pub spec: SpecRef,
    /// MUST or SHOULD.
    pub level: Level,
    /// What a conformant RP does, per profile.
    pub expect: Expectation,
    /// How the check is run.
    pub scenario: Scenario,
    /// The RP is set up to expect use in a cross-origin iframe under this top-level origin
    /// (§7.1 steps 10-11); RPs that cannot be set up so skip the check.
    pub framed_by: Option<&'static str>,
    /// Provenance beyond the spec: FIDO test IDs, advisories.
    pub notes: &'static str,
}
