//! The syntax rules the reference RP's parsers enforce, one by one, so that a mutant can switch
//! off exactly one of them ([`super::mutant::Mutant::Tolerate`]).
//!
//! A stage-wide fail-open mutant (every envelope error ignored) shows that a syntax check can
//! fail, not that it tests its own rule: every malformed envelope is caught by it. A `Tolerate`
//! mutant ignores one rule only, as a parser that forgot that one test would, and is reported
//! with the L3 place of the rule.

use crate::codec::attestation_object::AttestationObjectError;
use crate::codec::auth_data::AuthDataError;
use crate::codec::cbor::CborError;
use crate::codec::client_data::ClientDataError;
use crate::codec::cose::CoseKeyError;
use crate::codec::wire::WireError;

use super::error::VerifyError;

/// What a rule requires of one member of the JSON envelope (W3C L3 §5.1,
/// `RegistrationResponseJSON` / `AuthenticationResponseJSON`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MemberRule {
    /// The required member is present.
    Present,
    /// The member has its JSON type (a string, an object).
    Type,
    /// A required buffer is not the empty string.
    NonEmpty,
    /// A buffer is unpadded base64url (§2.1 base64url encoding).
    Base64Url,
}

impl MemberRule {
    fn name(self) -> &'static str {
        match self {
            MemberRule::Present => "present",
            MemberRule::Type => "type",
            MemberRule::NonEmpty => "non-empty",
            MemberRule::Base64Url => "base64url",
        }
    }
}

/// What a rule requires of a member of a CBOR or JSON structure inside the credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldRule {
    /// The required member is present.
    Present,
    /// The member has its type.
    Type,
}

impl FieldRule {
    fn name(self) -> &'static str {
        match self {
            FieldRule::Present => "present",
            FieldRule::Type => "type",
        }
    }
}

/// Envelope members and the rules the parser applies to each, as `(path, rules)`.
const ENVELOPE: &[(&str, &[MemberRule])] = {
    use MemberRule::{Base64Url as B, NonEmpty as E, Present as P, Type as T};
    &[
        ("id", &[P, T]),
        ("rawId", &[T, B]),
        ("type", &[P, T]),
        ("response", &[P, T]),
        ("response.clientDataJSON", &[P, T, E, B]),
        ("response.attestationObject", &[P, T, E, B]),
        ("response.authenticatorData", &[P, T, E, B]),
        ("response.signature", &[P, T, E, B]),
        ("response.userHandle", &[T, B]),
    ]
};

/// clientDataJSON members with a type or presence rule (§5.8.1 CollectedClientData).
const CLIENT_DATA: &[(&str, &[FieldRule])] = {
    use FieldRule::{Present as P, Type as T};
    &[
        ("type", &[P, T]),
        ("challenge", &[P, T]),
        ("origin", &[P, T]),
        ("crossOrigin", &[T]),
        ("topOrigin", &[T]),
    ]
};

/// attestationObject members (§6.5.4).
const ATTESTATION_OBJECT: &[(&str, &[FieldRule])] = {
    use FieldRule::{Present as P, Type as T};
    &[
        ("fmt", &[P, T]),
        ("attStmt", &[P, T]),
        ("authData", &[P, T]),
    ]
};

/// COSE_Key parameters (§6.5.1.1, RFC 9052/9053).
const COSE_PARAMETERS: &[&str] = &["kty", "alg", "crv", "x", "y", "n", "e"];

/// Attestation statement formats whose syntax (step 1 of each §8 verification procedure) is one
/// rule.
const FORMATS: &[&str] = &[
    "packed",
    "tpm",
    "android-key",
    "android-safetynet",
    "fido-u2f",
    "apple",
    "compound",
];

/// One syntax rule of the reference RP's parsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// §5.1: the body is one JSON object.
    EnvelopeJson,
    /// §5.1: a rule on one envelope member, named by its path (`response.signature`).
    Envelope(&'static str, MemberRule),
    /// §7.1 step 5 / §7.2 step 8: clientDataJSON is UTF-8.
    ClientDataUtf8,
    /// §7.1 step 6 / §7.2 step 9: clientDataJSON parses as one JSON object.
    ClientDataJson,
    /// §7.1 step 6 / §7.2 step 9: no member twice (a parser would keep one of them).
    ClientDataDuplicateMember,
    /// §5.8.1: a rule on one CollectedClientData member.
    ClientData(&'static str, FieldRule),
    /// §7.1 step 13: the attestation object is one well-formed CBOR item.
    AttestationObjectCbor,
    /// §7.1 step 13: no bytes follow the attestation object's CBOR item.
    AttestationObjectTrailing,
    /// §6.5.4: the attestation object is a map of fmt, attStmt and authData only.
    AttestationObjectShape,
    /// §6.5.4: a rule on one attestation object member.
    AttestationObject(&'static str, FieldRule),
    /// §6.1: authenticator data is not empty.
    AuthDataNonEmpty,
    /// §6.1: authenticator data holds the 37-byte header.
    AuthDataLength,
    /// §6.5.1: the attested credential data AT announces is complete.
    AttestedDataComplete,
    /// §6.1, §7.1 step 13: registration authenticator data carries attested credential data.
    AttestedDataPresent,
    /// §6.1: ED announces an extensions map that follows.
    ExtensionsPresent,
    /// §6.1: the extensions are one CBOR map.
    ExtensionsMap,
    /// §6.5.1.1: the credential public key is one CBOR map.
    CoseKeyCbor,
    /// §6.5.1.1: a required COSE_Key parameter is present.
    CoseParameterPresent(&'static str),
    /// §6.5.1.1: COSE_Key parameters have their CBOR types.
    CoseParameterType,
    /// §5.8.5: kty, crv and alg are values the RP knows.
    CoseKnownValues,
    /// §5.8.5 (RFC 9053): alg belongs to the key type.
    CoseAlgKeyType,
    /// §5.8.5: alg's curve is the one crv names.
    CoseAlgCurve,
    /// §5.8.5: EC2 points are uncompressed.
    CoseUncompressedPoint,
    /// §5.8.5: coordinates have their curve's length.
    CoseCoordinateLength,
    /// §5.8.5: RSA n and e are not empty.
    CoseRsaParameters,
    /// §8 (step 1 of each format's verification procedure): attStmt matches the format's
    /// syntax.
    StatementSyntax(&'static str),
}

impl Rule {
    /// Every rule, in declaration order.
    pub fn all() -> Vec<Rule> {
        let mut all = vec![Rule::EnvelopeJson];
        for (path, rules) in ENVELOPE {
            all.extend(rules.iter().map(|rule| Rule::Envelope(path, *rule)));
        }
        all.extend([
            Rule::ClientDataUtf8,
            Rule::ClientDataJson,
            Rule::ClientDataDuplicateMember,
        ]);
        for (member, rules) in CLIENT_DATA {
            all.extend(rules.iter().map(|rule| Rule::ClientData(member, *rule)));
        }
        all.extend([
            Rule::AttestationObjectCbor,
            Rule::AttestationObjectTrailing,
            Rule::AttestationObjectShape,
        ]);
        for (member, rules) in ATTESTATION_OBJECT {
            all.extend(
                rules
                    .iter()
                    .map(|rule| Rule::AttestationObject(member, *rule)),
            );
        }
        all.extend([
            Rule::AuthDataNonEmpty,
            Rule::AuthDataLength,
            Rule::AttestedDataComplete,
            Rule::AttestedDataPresent,
            Rule::ExtensionsPresent,
            Rule::ExtensionsMap,
            Rule::CoseKeyCbor,
        ]);
        all.extend(
            COSE_PARAMETERS
                .iter()
                .map(|p| Rule::CoseParameterPresent(p)),
        );
        all.extend([
            Rule::CoseParameterType,
            Rule::CoseKnownValues,
            Rule::CoseAlgKeyType,
            Rule::CoseAlgCurve,
            Rule::CoseUncompressedPoint,
            Rule::CoseCoordinateLength,
            Rule::CoseRsaParameters,
        ]);
        all.extend(FORMATS.iter().map(|f| Rule::StatementSyntax(f)));
        all
    }

    /// A stable name: `envelope.response.signature.base64url`.
    pub fn name(self) -> String {
        match self {
            Rule::EnvelopeJson => "envelope.json".into(),
            Rule::Envelope(path, rule) => format!("envelope.{path}.{}", rule.name()),
            Rule::ClientDataUtf8 => "client-data.utf8".into(),
            Rule::ClientDataJson => "client-data.json".into(),
            Rule::ClientDataDuplicateMember => "client-data.duplicate-member".into(),
            Rule::ClientData(member, rule) => format!("client-data.{member}.{}", rule.name()),
            Rule::AttestationObjectCbor => "attestation-object.cbor".into(),
            Rule::AttestationObjectTrailing => "attestation-object.trailing".into(),
            Rule::AttestationObjectShape => "attestation-object.shape".into(),
            Rule::AttestationObject(member, rule) => {
                format!("attestation-object.{member}.{}", rule.name())
            }
            Rule::AuthDataNonEmpty => "auth-data.non-empty".into(),
            Rule::AuthDataLength => "auth-data.length".into(),
            Rule::AttestedDataComplete => "auth-data.attested-data-complete".into(),
            Rule::AttestedDataPresent => "auth-data.attested-data-present".into(),
            Rule::ExtensionsPresent => "auth-data.extensions-present".into(),
            Rule::ExtensionsMap => "auth-data.extensions-map".into(),
            Rule::CoseKeyCbor => "cose-key.cbor".into(),
            Rule::CoseParameterPresent(p) => format!("cose-key.{p}.present"),
            Rule::CoseParameterType => "cose-key.parameter-type".into(),
            Rule::CoseKnownValues => "cose-key.known-values".into(),
            Rule::CoseAlgKeyType => "cose-key.alg-key-type".into(),
            Rule::CoseAlgCurve => "cose-key.alg-curve".into(),
            Rule::CoseUncompressedPoint => "cose-key.uncompressed".into(),
            Rule::CoseCoordinateLength => "cose-key.coordinate-length".into(),
            Rule::CoseRsaParameters => "cose-key.rsa-parameters".into(),
            Rule::StatementSyntax(fmt) => format!("statement.{fmt}.syntax"),
        }
    }

    /// Where W3C L3 writes the rule.
    pub fn step(self) -> &'static str {
        match self {
            Rule::EnvelopeJson => "§5.1 RegistrationResponseJSON / AuthenticationResponseJSON",
            Rule::Envelope(_, MemberRule::Base64Url) => "§5.1 Base64URLString (§2.1 base64url)",
            Rule::Envelope(..) => "§5.1 RegistrationResponseJSON / AuthenticationResponseJSON",
            Rule::ClientDataUtf8 => "§7.1 step 5 / §7.2 step 8",
            Rule::ClientDataJson | Rule::ClientDataDuplicateMember => "§7.1 step 6 / §7.2 step 9",
            Rule::ClientData("type", _) => "§7.1 step 7 / §7.2 step 10 (§5.8.1 type)",
            Rule::ClientData("challenge", _) => "§7.1 step 8 / §7.2 step 11 (§5.8.1 challenge)",
            Rule::ClientData("origin", _) => "§7.1 step 9 / §7.2 step 12 (§5.8.1 origin)",
            Rule::ClientData("crossOrigin", _) => {
                "§7.1 step 10 / §7.2 step 13 (§5.8.1 crossOrigin)"
            }
            Rule::ClientData(..) => "§7.1 step 11 / §7.2 step 14 (§5.8.1 topOrigin)",
            Rule::AttestationObjectCbor
            | Rule::AttestationObjectTrailing
            | Rule::AttestationObjectShape
            | Rule::AttestationObject(..) => "§7.1 step 13 (§6.5.4)",
            Rule::AuthDataNonEmpty | Rule::AuthDataLength => "§6.1 (§7.1 step 13, §7.2 step 15)",
            Rule::AttestedDataComplete | Rule::AttestedDataPresent => "§7.1 step 13 (§6.5.1)",
            Rule::ExtensionsPresent | Rule::ExtensionsMap => "§7.1 step 13 (§6.1 extensions)",
            Rule::CoseKeyCbor | Rule::CoseParameterPresent(_) | Rule::CoseParameterType => {
                "§7.1 step 20 (§6.5.1.1)"
            }
            Rule::CoseKnownValues
            | Rule::CoseAlgKeyType
            | Rule::CoseAlgCurve
            | Rule::CoseUncompressedPoint
            | Rule::CoseCoordinateLength
            | Rule::CoseRsaParameters => "§7.1 step 20 (§5.8.5)",
            Rule::StatementSyntax("packed") => "§8.2 syntax (§7.1 step 22)",
            Rule::StatementSyntax("tpm") => "§8.3 syntax (§7.1 step 22)",
            Rule::StatementSyntax("android-key") => "§8.4 syntax (§7.1 step 22)",
            Rule::StatementSyntax("android-safetynet") => "§8.5 syntax (§7.1 step 22)",
            Rule::StatementSyntax("fido-u2f") => "§8.6 syntax (§7.1 step 22)",
            Rule::StatementSyntax("apple") => "§8.8 syntax (§7.1 step 22)",
            Rule::StatementSyntax(_) => "§8.9 syntax (§7.1 step 22)",
        }
    }

    /// The rule an error breaks, when it breaks exactly one.
    pub fn broken_by(error: &VerifyError) -> Option<Rule> {
        match error {
            VerifyError::Envelope(err) => envelope(err),
            VerifyError::ClientData(err) => client_data(err),
            VerifyError::AttestationObject(err) => attestation_object(err),
            VerifyError::AuthData(err) => auth_data(err),
            VerifyError::MissingAttestedCredentialData => Some(Rule::AttestedDataPresent),
            VerifyError::CoseKey(err) => cose_key(err),
            VerifyError::AttestationStatement {
                fmt, syntax: true, ..
            } => FORMATS
                .iter()
                .find(|f| **f == fmt.as_str())
                .map(|f| Rule::StatementSyntax(f)),
            _ => None,
        }
    }
}

fn envelope(err: &WireError) -> Option<Rule> {
    let member = |path: &str, rule: MemberRule| {
        ENVELOPE
            .iter()
            .find(|(p, rules)| *p == path && rules.contains(&rule))
            .map(|(p, _)| Rule::Envelope(p, rule))
    };
    match err {
        WireError::NotJson { .. } => Some(Rule::EnvelopeJson),
        WireError::NotAnObject { path, .. } if member(path, MemberRule::Type).is_none() => {
            Some(Rule::EnvelopeJson)
        }
        WireError::NotAnObject { path, .. } | WireError::WrongType { path, .. } => {
            member(path, MemberRule::Type)
        }
        WireError::MissingField { path } => member(path, MemberRule::Present),
        WireError::Empty { path } => member(path, MemberRule::NonEmpty),
        WireError::NotBase64Url { path, .. } => member(path, MemberRule::Base64Url),
    }
}

fn field(
    table: &'static [(&'static str, &'static [FieldRule])],
    name: &str,
    rule: FieldRule,
) -> Option<&'static str> {
    table
        .iter()
        .find(|(n, rules)| *n == name && rules.contains(&rule))
        .map(|(n, _)| *n)
}

fn client_data(err: &ClientDataError) -> Option<Rule> {
    match err {
        ClientDataError::NotUtf8 { .. } => Some(Rule::ClientDataUtf8),
        ClientDataError::NotJson { .. } | ClientDataError::NotAnObject { .. } => {
            Some(Rule::ClientDataJson)
        }
        ClientDataError::DuplicateMember { .. } => Some(Rule::ClientDataDuplicateMember),
        ClientDataError::MissingMember { member } => field(CLIENT_DATA, member, FieldRule::Present)
            .map(|m| Rule::ClientData(m, FieldRule::Present)),
        ClientDataError::WrongMemberType { member, .. } => {
            field(CLIENT_DATA, member, FieldRule::Type)
                .map(|m| Rule::ClientData(m, FieldRule::Type))
        }
    }
}

fn attestation_object(err: &AttestationObjectError) -> Option<Rule> {
    match err {
        AttestationObjectError::Cbor(CborError::TrailingBytes { .. }) => {
            Some(Rule::AttestationObjectTrailing)
        }
        AttestationObjectError::Cbor(_) => Some(Rule::AttestationObjectCbor),
        AttestationObjectError::NotAMap { .. } | AttestationObjectError::UnexpectedKey { .. } => {
            Some(Rule::AttestationObjectShape)
        }
        AttestationObjectError::MissingKey { key } => {
            field(ATTESTATION_OBJECT, key, FieldRule::Present)
                .map(|k| Rule::AttestationObject(k, FieldRule::Present))
        }
        AttestationObjectError::WrongType { key, .. } => {
            field(ATTESTATION_OBJECT, key, FieldRule::Type)
                .map(|k| Rule::AttestationObject(k, FieldRule::Type))
        }
        AttestationObjectError::EmptyAuthData => Some(Rule::AuthDataNonEmpty),
    }
}

fn auth_data(err: &AuthDataError) -> Option<Rule> {
    match err {
        AuthDataError::TooShort { .. } => Some(Rule::AuthDataLength),
        AuthDataError::TruncatedAttestedCredentialData { .. } => Some(Rule::AttestedDataComplete),
        AuthDataError::CredentialPublicKey { .. } => Some(Rule::CoseKeyCbor),
        AuthDataError::MissingExtensions { .. } => Some(Rule::ExtensionsPresent),
        AuthDataError::BadExtensions { .. } => Some(Rule::ExtensionsMap),
        // Their own mutants relax these: `RegSkipCredentialIdLength`, `*AllowTrailingAuthData`.
        AuthDataError::CredentialIdTooLong { .. } | AuthDataError::TrailingBytes { .. } => None,
    }
}

fn cose_key(err: &CoseKeyError) -> Option<Rule> {
    match err {
        CoseKeyError::Cbor(_) | CoseKeyError::NotAMap { .. } | CoseKeyError::BadLabel { .. } => {
            Some(Rule::CoseKeyCbor)
        }
        CoseKeyError::MissingParameter { name, .. } => COSE_PARAMETERS
            .iter()
            .find(|p| **p == *name)
            .map(|p| Rule::CoseParameterPresent(p)),
        CoseKeyError::WrongParameterType { .. } => Some(Rule::CoseParameterType),
        CoseKeyError::UnknownKeyType(_)
        | CoseKeyError::UnknownCurve(_)
        | CoseKeyError::UnsupportedAlgorithm(_) => Some(Rule::CoseKnownValues),
        CoseKeyError::KeyTypeMismatch { .. } => Some(Rule::CoseAlgKeyType),
        CoseKeyError::CurveMismatch { .. } => Some(Rule::CoseAlgCurve),
        CoseKeyError::CompressedPoint => Some(Rule::CoseUncompressedPoint),
        CoseKeyError::CoordinateLength { .. } => Some(Rule::CoseCoordinateLength),
        CoseKeyError::EmptyRsaParameter { .. } => Some(Rule::CoseRsaParameters),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_rule_cites_a_section() {
        let all = Rule::all();
        let mut names: Vec<String> = all.iter().map(|r| r.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
        assert!(all.iter().all(|r| r.step().starts_with('§')));
    }

    #[test]
    fn an_error_names_the_rule_it_breaks() {
        let missing = VerifyError::Envelope(WireError::MissingField {
            path: "response.signature".into(),
        });
        assert_eq!(
            Rule::broken_by(&missing),
            Some(Rule::Envelope("response.signature", MemberRule::Present))
        );
        let unknown = VerifyError::Envelope(WireError::MissingField {
            path: "response.somethingElse".into(),
        });
        assert_eq!(Rule::broken_by(&unknown), None);
        assert_eq!(
            Rule::broken_by(&VerifyError::ClientData(ClientDataError::MissingMember {
                member: "origin"
            })),
            Some(Rule::ClientData("origin", FieldRule::Present))
        );
    }
}
