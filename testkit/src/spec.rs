//! Where in W3C WebAuthn Level 3 (<https://www.w3.org/TR/webauthn-3/>) a rule is written, as
//! types: a [`Section`] of the published text and a [`Step`] of it. Checks cite one, and so do
//! RPs that say which step a response failed, so a citation is never free text and never
//! unknown.

use std::fmt;

/// A section of W3C WebAuthn Level 3 that a check or a rejection cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// §2.1 Base64url encoding, as the JSON wire format uses it.
    Base64Url,
    /// §5.1 `PublicKeyCredential` and its JSON forms (`toJSON()`).
    PublicKeyCredential,
    /// §5.4 `PublicKeyCredentialCreationOptions`.
    CreationOptions,
    /// §5.5 `PublicKeyCredentialRequestOptions`.
    RequestOptions,
    /// §5.8.1 `CollectedClientData`.
    CollectedClientData,
    /// §5.8.5 `COSEAlgorithmIdentifier`.
    AlgorithmIdentifier,
    /// §6.1 Authenticator Data.
    AuthenticatorData,
    /// §6.5.1 Attested Credential Data.
    AttestedCredentialData,
    /// §6.5.5 Signature formats for packed attestation, FIDO U2F, and assertion signatures.
    SignatureFormats,
    /// §7.1 Registering a New Credential.
    Registration,
    /// §7.2 Verifying an Authentication Assertion.
    Authentication,
    /// §8.2 Packed Attestation Statement Format.
    Packed,
    /// §8.2.1 Certificate Requirements for Packed Attestation Statements.
    PackedCertificate,
    /// §8.3 TPM Attestation Statement Format.
    Tpm,
    /// §8.3.1 TPM Attestation Statement Certificate Requirements.
    TpmCertificate,
    /// §8.4 Android Key Attestation Statement Format.
    AndroidKey,
    /// §8.5 Android SafetyNet Attestation Statement Format.
    AndroidSafetyNet,
    /// §8.6 FIDO U2F Attestation Statement Format.
    FidoU2f,
    /// §8.7 None Attestation Statement Format.
    None,
    /// §8.8 Apple Anonymous Attestation Statement Format.
    Apple,
    /// §8.9 Compound Attestation Statement Format.
    Compound,
    /// §13.5.3 Cryptographic Challenges.
    CryptographicChallenges,
    /// §13.5.9 Validating the origin of a credential.
    ValidatingOrigin,
}

impl Section {
    /// The section's number in the published text, e.g. `§7.1`.
    pub const fn number(self) -> &'static str {
        match self {
            Section::Base64Url => "§2.1",
            Section::PublicKeyCredential => "§5.1",
            Section::CreationOptions => "§5.4",
            Section::RequestOptions => "§5.5",
            Section::CollectedClientData => "§5.8.1",
            Section::AlgorithmIdentifier => "§5.8.5",
            Section::AuthenticatorData => "§6.1",
            Section::AttestedCredentialData => "§6.5.1",
            Section::SignatureFormats => "§6.5.5",
            Section::Registration => "§7.1",
            Section::Authentication => "§7.2",
            Section::Packed => "§8.2",
            Section::PackedCertificate => "§8.2.1",
            Section::Tpm => "§8.3",
            Section::TpmCertificate => "§8.3.1",
            Section::AndroidKey => "§8.4",
            Section::AndroidSafetyNet => "§8.5",
            Section::FidoU2f => "§8.6",
            Section::None => "§8.7",
            Section::Apple => "§8.8",
            Section::Compound => "§8.9",
            Section::CryptographicChallenges => "§13.5.3",
            Section::ValidatingOrigin => "§13.5.9",
        }
    }

    /// The section's fragment in the published text.
    pub const fn anchor(self) -> &'static str {
        match self {
            Section::Base64Url => "sctn-base64url-encoding",
            Section::PublicKeyCredential => "sctn-public-key-easy",
            Section::CreationOptions => "dictdef-publickeycredentialcreationoptions",
            Section::RequestOptions => "dictdef-publickeycredentialrequestoptions",
            Section::CollectedClientData => "dictdef-collectedclientdata",
            Section::AlgorithmIdentifier => "sctn-alg-identifier",
            Section::AuthenticatorData => "sctn-authenticator-data",
            Section::AttestedCredentialData => "sctn-attested-credential-data",
            Section::SignatureFormats => "sctn-signature-attestation-types",
            Section::Registration => "sctn-registering-a-new-credential",
            Section::Authentication => "sctn-verifying-assertion",
            Section::Packed => "sctn-packed-attestation",
            Section::PackedCertificate => "sctn-packed-attestation-cert-requirements",
            Section::Tpm => "sctn-tpm-attestation",
            Section::TpmCertificate => "sctn-tpm-cert-requirements",
            Section::AndroidKey => "sctn-android-key-attestation",
            Section::AndroidSafetyNet => "sctn-android-safetynet-attestation",
            Section::FidoU2f => "sctn-fido-u2f-attestation",
            Section::None => "sctn-none-attestation",
            Section::Apple => "sctn-apple-anonymous-attestation",
            Section::Compound => "sctn-compound-attestation",
            Section::CryptographicChallenges => "sctn-cryptographic-challenges",
            Section::ValidatingOrigin => "sctn-validating-origin",
        }
    }
}

/// Which part of a section: a numbered step of §7.1 or §7.2, or a named clause elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// One numbered step.
    Number(u8),
    /// Steps `from` to `to`, verified as one.
    Range(u8, u8),
    /// One numbered step, with the part of it meant or the section it defers to, e.g.
    /// `20 (§5.8.5)`.
    Qualified(u8, &'static str),
    /// A rule written outside numbered steps, named in a few words, e.g. `single use`.
    Clause(&'static str),
    /// The section as a whole.
    Whole,
}

/// The step as catalogue rows print it after `step`: `8`, `5-6`, `20 (§5.8.5)`, `single use`.
impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Number(n) => write!(f, "{n}"),
            Step::Range(from, to) => write!(f, "{from}-{to}"),
            Step::Qualified(n, part) => write!(f, "{n} ({part})"),
            Step::Clause(clause) => f.write_str(clause),
            Step::Whole => Ok(()),
        }
    }
}

/// A place in W3C WebAuthn Level 3: a section and a step of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SpecRef {
    /// The section.
    pub section: Section,
    /// The step or clause of it.
    pub step: Step,
}

impl SpecRef {
    /// Step `step` of `section`.
    pub const fn new(section: Section, step: Step) -> Self {
        SpecRef { section, step }
    }

    /// `section` as a whole.
    pub const fn section(section: Section) -> Self {
        SpecRef::new(section, Step::Whole)
    }

    /// The rule of `section` named `clause`.
    pub const fn clause(section: Section, clause: &'static str) -> Self {
        SpecRef::new(section, Step::Clause(clause))
    }

    /// §7.1 Registering a New Credential, step `n`.
    pub const fn registration(n: u8) -> Self {
        SpecRef::new(Section::Registration, Step::Number(n))
    }

    /// §7.2 Verifying an Authentication Assertion, step `n`.
    pub const fn authentication(n: u8) -> Self {
        SpecRef::new(Section::Authentication, Step::Number(n))
    }

    /// A link to the section in the published Level 3 text.
    pub fn url(self) -> String {
        format!(
            "https://www.w3.org/TR/webauthn-3/#{}",
            self.section.anchor()
        )
    }
}

/// The citation as a sentence would give it: `§7.1 step 8`, `§7.1 steps 2-3`,
/// `§7.1 step 20 (§5.8.5)`, `§13.5.3 single use`, `§6.1`.
impl fmt::Display for SpecRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let section = self.section.number();
        match self.step {
            Step::Number(_) | Step::Qualified(..) => write!(f, "{section} step {}", self.step),
            Step::Range(..) => write!(f, "{section} steps {}", self.step),
            Step::Clause(clause) => write!(f, "{section} {clause}"),
            Step::Whole => f.write_str(section),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_read_as_the_published_text_numbers_them() {
        assert_eq!(SpecRef::registration(8).to_string(), "§7.1 step 8");
        assert_eq!(
            SpecRef::new(Section::Authentication, Step::Range(2, 3)).to_string(),
            "§7.2 steps 2-3"
        );
        assert_eq!(
            SpecRef::new(Section::Registration, Step::Qualified(20, "§5.8.5")).to_string(),
            "§7.1 step 20 (§5.8.5)"
        );
        assert_eq!(
            SpecRef::clause(Section::CryptographicChallenges, "single use").to_string(),
            "§13.5.3 single use"
        );
        assert_eq!(
            SpecRef::section(Section::AuthenticatorData).to_string(),
            "§6.1"
        );
        assert_eq!(
            SpecRef::authentication(11).url(),
            "https://www.w3.org/TR/webauthn-3/#sctn-verifying-assertion"
        );
    }
}
