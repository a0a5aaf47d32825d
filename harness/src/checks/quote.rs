//! The W3C L3 sentence that sets each check's level: the RFC 2119 keyword a check's verdict
//! rests on, quoted short (one sentence, trimmed with …).
//!
//! A quote is looked up by check ID first (for checks whose step holds sentences of different
//! strength, e.g. §7.2 step 17), then by the cited step ([`SpecRef`] anchor and step), then by
//! the anchor alone. The numbered steps of §7.1 and §7.2 that say "Verify that …" take their
//! keyword from the section's lead-in ("the Relying Party MUST proceed as follows"). For the fido
//! profile only, the quote may name the FIDO conformance tool's test instead.

use super::{Check, SpecRef};

const REG: &str = "sctn-registering-a-new-credential";
const AUTH: &str = "sctn-verifying-assertion";

/// Quotes by check ID: steps whose sentences give different levels, and FIDO-only checks.
const BY_ID: &[(&str, &str)] = &[
    (
        "REG-ENV-15",
        "FIDO Server conformance API: ServerAuthenticatorAttestationResponse has no rawId and names the outputs getClientExtensionResults; the tool's servers MUST take that shape",
    ),
    (
        "OPT-C-08",
        "FIDO Server conformance: Resp-4 P-8 MUST offer RS1 (-65535)",
    ),
    (
        "OPT-C-10",
        "FIDO Server conformance API: the server MUST echo the requested extensions in the creation options",
    ),
    (
        "OPT-C-12",
        "FIDO Server conformance API: the server MUST echo the requested authenticatorSelection",
    ),
    (
        "OPT-G-03",
        "FIDO Server conformance API: the server MUST echo the requested extensions in the request options",
    ),
    (
        "OPT-G-09",
        "FIDO Server conformance: request options for an unknown username MUST fail (L3 §14.6.2 instead RECOMMENDS plausible fake options)",
    ),
    (
        "AS-ENV-10.empty",
        "FIDO Server conformance API: userHandle \"\" MUST be read as an absent user handle",
    ),
    (
        "REG-AO-09",
        "The Relying Party MAY ignore any or all extension outputs (§7.1 step 28) … whether that means ignoring the unsolicited extensions or rejecting the attestation.",
    ),
    (
        "REG-CD-01.not-utf8",
        "MUST proceed as follows: … Let JSONtext be the result of running UTF-8 decode on the value of response.clientDataJSON. … Let C … be the result of running an implementation-specific JSON parser on JSONtext.",
    ),
    (
        "REG-CD-17.not-boolean",
        "If C.crossOrigin is present and set to true, verify … (a crossOrigin that is a string is not set to true: refusing it is RP policy)",
    ),
    (
        "REG-CD-19.duplicate-challenge",
        "Let C … be the result of running an implementation-specific JSON parser on JSONtext. (which duplicate member wins is the parser's, so refusing duplicates is RP policy)",
    ),
    (
        "REG-AO-21",
        "MUST proceed as follows: … Verify that the credentialId is ≤ 1023 bytes.",
    ),
    (
        "AS-16.up-discouraged",
        "user verification SHOULD be required if, and only if, pkOptions.userVerification is set to required.",
    ),
    (
        "AS-16.uv-discouraged",
        "MUST proceed as follows: … Otherwise, ignore the value of the UV flag.",
    ),
    (
        "AS-21",
        "MUST proceed as follows: … If authData.signCount is nonzero or credentialRecord.signCount is nonzero, then run the following sub-step …",
    ),
    (
        "AS-23",
        "MUST proceed as follows: … If authData.signCount is greater than credentialRecord.signCount: The signature counter is valid.",
    ),
    (
        "AS-22",
        "This is a signal that the authenticator may be cloned … whether the Relying Party … fails the authentication ceremony or not, is Relying Party-specific.",
    ),
    (
        "AS-22.zero",
        "This is a signal that the authenticator may be cloned … whether the Relying Party … fails the authentication ceremony or not, is Relying Party-specific.",
    ),
    (
        "REG-AO-31.stored",
        "FIDO Server conformance: Resp-3 F-4 MUST reject a signCount not above the stored one",
    ),
    (
        "AS-23.stored",
        "FIDO Server conformance: Resp-3 F-4 MUST reject a signCount not above the stored one",
    ),
    (
        "AS-19",
        "If the credential backup state is used as part of Relying Party business logic or policy, … verify that currentBe is set.",
    ),
    (
        "AS-26",
        "MUST proceed as follows: … If credentialRecord.uvInitialized is false, update it to the value of the UV bit in the flags in authData. This change SHOULD require authorization by an additional authentication factor",
    ),
    (
        "OPT-C-01",
        "FIDO Server conformance API: a ServerResponse MUST carry status \"ok\" and errorMessage \"\" on success",
    ),
    (
        "OPT-G-01",
        "FIDO Server conformance API: a ServerResponse MUST carry status \"ok\" and errorMessage \"\" on success",
    ),
    (
        "OPT-C-16",
        "FIDO Server conformance API: a refusal MUST carry status \"failed\" and a non-empty errorMessage",
    ),
    (
        "OPT-C-02",
        "the user agent MUST execute the following algorithm: … If pkOptions.rp.id is not a registrable domain suffix of and is not equal to effectiveDomain, … throw a \"SecurityError\" DOMException.",
    ),
    (
        "OPT-C-03",
        "the user agent MUST execute the following algorithm: … If the length of pkOptions.user.id is not between 1 and 64 bytes (inclusive) then throw a TypeError.",
    ),
    (
        "OPT-C-04",
        "FIDO Server conformance API: user.name and user.displayName MUST be those of the options request",
    ),
    (
        "OPT-C-07",
        "FIDO Server conformance: the creation options MUST offer ES256 (-7); L3 §5.4: RPs … SHOULD include at least -8, -7 and -257",
    ),
    (
        "OPT-C-09",
        "FIDO Server conformance API: timeout, if present, MUST be a positive number of milliseconds",
    ),
    (
        "OPT-G-04",
        "FIDO Server conformance API: timeout, if present, MUST be a positive number of milliseconds",
    ),
    (
        "OPT-C-11",
        "FIDO Server conformance API: the server MUST echo the requested attestation conveyance",
    ),
    (
        "OPT-C-13",
        "The Relying Party SHOULD use this OPTIONAL member to list any existing credentials mapped to this user account; FIDO Server conformance Resp-1 P-1 requires it",
    ),
    (
        "OPT-C-14",
        "FIDO Server conformance: a creation options request without username MUST fail",
    ),
    (
        "OPT-C-15",
        "FIDO Server conformance: a creation options request without displayName MUST fail",
    ),
    (
        "OPT-G-05",
        "the user agent MUST execute the following algorithm: … If pkOptions.rpId is not a registrable domain suffix of and is not equal to effectiveDomain, return a DOMException whose name is \"SecurityError\".",
    ),
    (
        "OPT-G-06",
        "FIDO Server conformance: the request options for a registered user MUST list the user's credentials in allowCredentials",
    ),
    (
        "OPT-G-07",
        "FIDO Server conformance API: the server MUST echo the requested userVerification",
    ),
    (
        "REG-CD-20.not-object",
        "[RESERVED] tokenBinding (L3 gives the member no processing step: ignoring or refusing it is Relying Party policy); FIDO Server conformance Resp-2 F-15..F-17 MUST reject it",
    ),
    (
        "REG-CD-20.no-status",
        "[RESERVED] tokenBinding (L3 gives the member no processing step: ignoring or refusing it is Relying Party policy); FIDO Server conformance Resp-2 F-15..F-17 MUST reject it",
    ),
    (
        "REG-CD-20.bad-status",
        "[RESERVED] tokenBinding (L3 gives the member no processing step: ignoring or refusing it is Relying Party policy); FIDO Server conformance Resp-2 F-15..F-17 MUST reject it",
    ),
    (
        "AS-CD-07.not-object",
        "[RESERVED] tokenBinding (L3 gives the member no processing step: ignoring or refusing it is Relying Party policy); FIDO Server conformance Resp-2 F-15..F-17 MUST reject it",
    ),
    (
        "AS-CD-07.no-status",
        "[RESERVED] tokenBinding (L3 gives the member no processing step: ignoring or refusing it is Relying Party policy); FIDO Server conformance Resp-2 F-15..F-17 MUST reject it",
    ),
    (
        "AS-CD-07.bad-status",
        "[RESERVED] tokenBinding (L3 gives the member no processing step: ignoring or refusing it is Relying Party policy); FIDO Server conformance Resp-2 F-15..F-17 MUST reject it",
    ),
    (
        "ALG-03",
        "FIDO Server conformance: MUST accept RS1 (-65535) attestation",
    ),
    (
        "AS-24.rs1",
        "FIDO Server conformance: MUST accept RS1 (-65535) assertions",
    ),
    (
        "U2F-02",
        "FIDO Server conformance: Resp-8 F-1 MUST reject a fido-u2f attestation with a non-zero AAGUID",
    ),
    (
        "NONE-01",
        "MUST proceed as follows: … If no attestation statement was provided, verify that None attestation is acceptable under Relying Party policy.",
    ),
    (
        "NONE-02",
        "If self attestation was used, verify that self attestation is acceptable under Relying Party policy.",
    ),
    (
        "NONE-04",
        "MUST proceed as follows: … If no attestation statement was provided, verify that None attestation is acceptable under Relying Party policy.",
    ),
    (
        "TRUST-01",
        "MUST proceed as follows: … If self attestation was used, verify that self attestation is acceptable under Relying Party policy.",
    ),
    (
        "TRUST-01.full",
        "MUST proceed as follows: … verify that the attestation public key either correctly chains up to an acceptable root certificate, or is itself an acceptable certificate",
    ),
    (
        "PK-12",
        "obtain a list of acceptable trust anchors … for that attestation type and attestation statement format fmt, from a trusted source or from policy.",
    ),
    (
        "PK-01",
        "Determine the attestation statement format by … a USASCII case-sensitive match on fmt against the set of supported … format identifier values; which formats an RP supports is Relying Party policy",
    ),
    (
        "PK-19",
        "If self attestation was used, verify that self attestation is acceptable under Relying Party policy.",
    ),
    (
        "U2F-01",
        "Determine the attestation statement format by … a USASCII case-sensitive match on fmt against the set of supported … format identifier values; which formats an RP supports is Relying Party policy",
    ),
    (
        "TPM-01",
        "Determine the attestation statement format by … a USASCII case-sensitive match on fmt against the set of supported … format identifier values; which formats an RP supports is Relying Party policy",
    ),
    (
        "AK-01",
        "Determine the attestation statement format by … a USASCII case-sensitive match on fmt against the set of supported … format identifier values; which formats an RP supports is Relying Party policy",
    ),
    (
        "AK-01.no-root",
        "use the X.509 certificates returned as the attestation trust path … to verify that the attestation public key either correctly chains up to an acceptable root certificate, or is itself an acceptable certificate … If the attestation statement is not trustworthy … the Relying Party SHOULD fail the registration ceremony",
    ),
    (
        "AK-01.rs256",
        "This member lists the key types and signature algorithms the Relying Party supports, ordered from most preferred to least preferred (§5.4 pubKeyCredParams); which algorithms it supports is Relying Party policy",
    ),
    (
        "SN-01.es256",
        "Verify that response is a valid SafetyNet response of version ver by following the steps indicated by the SafetyNet online documentation; which JWS algorithms beyond Google's RS256 an RP verifies is Relying Party policy",
    ),
    (
        "REG-ENV-05",
        "Create and store a new credential record … id: credential.id or credential.rawId, whichever format is preferred by the Relying Party (that it equals the attested credentialId is left to Relying Party policy)",
    ),
    (
        "SN-01",
        "Determine the attestation statement format by … a USASCII case-sensitive match on fmt against the set of supported … format identifier values; which formats an RP supports is Relying Party policy",
    ),
    (
        "APL-01",
        "Determine the attestation statement format by … a USASCII case-sensitive match on fmt against the set of supported … format identifier values; which formats an RP supports is Relying Party policy",
    ),
    (
        "CMP-01",
        "Determine the attestation statement format by … a USASCII case-sensitive match on fmt against the set of supported … format identifier values; which formats an RP supports is Relying Party policy",
    ),
    (
        "CMP-04",
        "The handling of failures and the number of successful verifications required is determined by Relying Party policy.",
    ),
    (
        "SN-06",
        "Verify that response is a valid SafetyNet response of version ver by following the steps indicated by the SafetyNet online documentation (Relying Party policy beyond L3)",
    ),
    (
        "SN-07",
        "Verify that response is a valid SafetyNet response of version ver by following the steps indicated by the SafetyNet online documentation (Relying Party policy beyond L3)",
    ),
    (
        "SN-08",
        "Verify that response is a valid SafetyNet response of version ver by following the steps indicated by the SafetyNet online documentation (Relying Party policy beyond L3)",
    ),
    (
        "REG-AO-30.extra-parameter",
        "[the credential public key] MUST contain the alg parameter and MUST NOT contain any other OPTIONAL parameters (an authenticator requirement; enforcing it at the RP is Relying Party policy)",
    ),
    (
        "REG-AO-30.order",
        "[the credential public key is] encoded in COSE_Key format … using the CTAP2 canonical CBOR encoding form (an authenticator requirement; enforcing it at the RP is Relying Party policy)",
    ),
    (
        "REG-CD-16.port",
        "the Relying Party SHOULD require origin to exactly equal the Relying Party's origin (§13.4.9)",
    ),
    (
        "REG-CD-16.subdomain",
        "the Relying Party SHOULD require origin to exactly equal the Relying Party's origin (§13.4.9)",
    ),
    (
        "AS-CD-05.port",
        "the Relying Party SHOULD require origin to exactly equal the Relying Party's origin (§13.4.9)",
    ),
    (
        "AS-CD-05.subdomain",
        "the Relying Party SHOULD require origin to exactly equal the Relying Party's origin (§13.4.9)",
    ),
];

/// Quotes by cited step.
const BY_STEP: &[(&str, &str, &str)] = &[
    (
        REG,
        "1-29",
        "In order to perform a registration ceremony, the Relying Party MUST proceed as follows",
    ),
    (
        REG,
        "5-6",
        "MUST proceed as follows: … Let C, the client data claimed as collected during the credential creation, be the result of running an implementation-specific JSON parser on JSONtext.",
    ),
    (
        REG,
        "7",
        "MUST proceed as follows: … Verify that the value of C.type is webauthn.create.",
    ),
    (
        REG,
        "8",
        "MUST proceed as follows: … Verify that the value of C.challenge equals the base64url encoding of pkOptions.challenge.",
    ),
    (
        REG,
        "9",
        "MUST proceed as follows: … Verify that the value of C.origin is an origin expected by the Relying Party.",
    ),
    (
        REG,
        "10",
        "MUST proceed as follows: … If C.crossOrigin is present and set to true, verify that the Relying Party expects that this credential would have been created within an iframe that is not same-origin with its ancestors.",
    ),
    (
        REG,
        "11",
        "MUST proceed as follows: … If C.topOrigin is present: Verify that the Relying Party expects that this credential would have been created within an iframe that is not same-origin with its ancestors.",
    ),
    (
        REG,
        "10-11",
        "MUST proceed as follows: … If C.topOrigin is present: Verify that the value of C.topOrigin matches the origin of a page that the Relying Party expects to be sub-framed within.",
    ),
    (
        REG,
        "13",
        "MUST proceed as follows: … Perform CBOR decoding on the attestationObject field … to obtain the attestation statement format fmt, the authenticator data authData, and the attestation statement attStmt.",
    ),
    (
        REG,
        "14",
        "MUST proceed as follows: … Verify that the rpIdHash in authData is the SHA-256 hash of the RP ID expected by the Relying Party.",
    ),
    (
        REG,
        "15",
        "MUST proceed as follows: … Verify that the UP bit of the flags in authData is set.",
    ),
    (
        REG,
        "16",
        "MUST proceed as follows: … If the Relying Party requires user verification for this registration, verify that the UV bit of the flags in authData is set.",
    ),
    (
        REG,
        "17",
        "MUST proceed as follows: … If the BE bit of the flags in authData is not set, verify that the BS bit is not set.",
    ),
    (
        REG,
        "20",
        "MUST proceed as follows: … Verify that the \"alg\" parameter in the credential public key in authData matches the alg attribute of one of the items in pkOptions.pubKeyCredParams.",
    ),
    (
        REG,
        "20 (§5.8.5)",
        "Keys with algorithm ES256 (-7) MUST specify P-256 (1) as the crv parameter and MUST NOT use the compressed point form (likewise ES384 with P-384, ES512 with P-521).",
    ),
    (
        REG,
        "21",
        "MUST proceed as follows: … Determine the attestation statement format by performing a USASCII case-sensitive match on fmt against the set of supported WebAuthn Attestation Statement Format Identifier values.",
    ),
    (
        REG,
        "22",
        "MUST proceed as follows: … Verify that attStmt is a correct attestation statement, conveying a valid attestation signature, by using the attestation statement format fmt's verification procedure given attStmt, authData and hash.",
    ),
    (
        REG,
        "23-24",
        "If the attestation statement attStmt successfully verified but is not trustworthy per step 23 above, the Relying Party SHOULD fail the registration ceremony.",
    ),
    (
        REG,
        "25",
        "Credential IDs larger than this many bytes SHOULD cause the RP to fail this registration ceremony.",
    ),
    (
        REG,
        "26",
        "If the credentialId is already known then the Relying Party SHOULD fail this registration ceremony.",
    ),
    (
        REG,
        "27",
        "MUST proceed as follows: … Create and store a new credential record in the user account … signCount: authData.signCount.",
    ),
    (
        REG,
        "28",
        "The Relying Party MAY ignore any or all extension outputs … whether that means ignoring the unsolicited extensions or rejecting the attestation.",
    ),
    (
        REG,
        "29",
        "MUST proceed as follows: … If all the above steps are successful, store the credentialRecord in the user account … Otherwise, fail the registration ceremony.",
    ),
    (
        AUTH,
        "1-25",
        "In order to perform an authentication ceremony, the Relying Party MUST proceed as follows",
    ),
    (
        AUTH,
        "5",
        "MUST proceed as follows: … If pkOptions.allowCredentials is not empty, verify that credential.id identifies one of the public key credentials listed in pkOptions.allowCredentials.",
    ),
    (
        AUTH,
        "6",
        "MUST proceed as follows: … verify that the identified user account contains a credential record whose id equals credential.rawId … If response.userHandle is present, verify that it equals the user handle of the user account.",
    ),
    (
        AUTH,
        "10",
        "MUST proceed as follows: … Verify that the value of C.type is the string webauthn.get.",
    ),
    (
        AUTH,
        "11",
        "MUST proceed as follows: … Verify that the value of C.challenge equals the base64url encoding of pkOptions.challenge.",
    ),
    (
        AUTH,
        "12",
        "MUST proceed as follows: … Verify that the value of C.origin is an origin expected by the Relying Party.",
    ),
    (
        AUTH,
        "13",
        "MUST proceed as follows: … If C.crossOrigin is present and set to true, verify that the Relying Party expects this credential to be used within an iframe that is not same-origin with its ancestors.",
    ),
    (
        AUTH,
        "14",
        "MUST proceed as follows: … If C.topOrigin is present: Verify that the Relying Party expects this credential to be used within an iframe that is not same-origin with its ancestors.",
    ),
    (
        AUTH,
        "15",
        "MUST proceed as follows: … Verify that the rpIdHash in authData is the SHA-256 hash of the RP ID expected by the Relying Party.",
    ),
    (
        AUTH,
        "16",
        "MUST proceed as follows: … Verify that the UP bit of the flags in authData is set.",
    ),
    (
        AUTH,
        "17",
        "MUST proceed as follows: … If user verification is required, verify that the UV bit of the flags in authData is set.",
    ),
    (
        AUTH,
        "18",
        "MUST proceed as follows: … If the BE bit of the flags in authData is not set, verify that the BS bit is not set.",
    ),
    (
        AUTH,
        "19",
        "MUST proceed as follows: … If the credential backup state is used as part of Relying Party business logic or policy, … Apply Relying Party policy, if any.",
    ),
    (
        AUTH,
        "21",
        "MUST proceed as follows: … Using credentialRecord.publicKey, verify that sig is a valid signature over the binary concatenation of authData and hash.",
    ),
    (
        AUTH,
        "23",
        "The Relying Party MAY ignore any or all extension outputs … whether that means ignoring the unsolicited extensions or rejecting the assertion.",
    ),
    (
        AUTH,
        "24",
        "MUST proceed as follows: … Update credentialRecord with new state values: Update credentialRecord.signCount to the value of authData.signCount.",
    ),
    (
        "sctn-public-key-easy",
        "RegistrationResponseJSON",
        "MUST proceed as follows: … If response is not an instance of AuthenticatorAttestationResponse, abort the ceremony with a user-visible error.",
    ),
    (
        "sctn-public-key-easy",
        "AuthenticationResponseJSON",
        "MUST proceed as follows: … If response is not an instance of AuthenticatorAssertionResponse, abort the ceremony with a user-visible error.",
    ),
    (
        "sctn-packed-attestation",
        "self",
        "MUST proceed as follows: … [packed, self attestation] Validate that alg matches the algorithm of the credentialPublicKey in authenticatorData. Verify that sig is a valid signature …",
    ),
];

/// Quotes by anchor, for the clauses outside numbered steps.
const BY_ANCHOR: &[(&str, &str)] = &[
    (
        "sctn-cryptographic-challenges",
        "In order to prevent replay attacks, the challenges MUST contain enough entropy … the Relying Party MUST verify that the challenge it receives matches one it issued (§13.5.3)",
    ),
    (
        "sctn-validating-origin",
        "The Relying Party MUST NOT accept unexpected values of origin (§13.5.9)",
    ),
    (
        "dictdef-collectedclientdata",
        "MUST proceed as follows: … Let C … be the result of running an implementation-specific JSON parser on JSONtext (C may carry members in any order, and unknown members; §5.8.1)",
    ),
    (
        "sctn-authenticator-data",
        "MUST proceed as follows: … [§6.1] Attested credential data (if present) … Its length depends on the length of the credential ID and credential public key being attested; the AT flag is not set in assertions",
    ),
    (
        "sctn-alg-identifier",
        "Keys with algorithm ES256 (-7) MUST specify P-256 (1) as the crv parameter and MUST NOT use the compressed point form; the signature algorithm MUST use the hash the identifier fixes (§5.8.5)",
    ),
    (
        "sctn-signature-attestation-types",
        "ECDSA signatures … MUST be encoded as an ASN.1 DER Ecdsa-Sig-Value (§6.5.5)",
    ),
    (
        "sctn-packed-attestation",
        "MUST proceed as follows: … Verify that attStmt is a correct attestation statement … by using the attestation statement format fmt's verification procedure [§8.2 packed]",
    ),
    (
        "sctn-packed-attestation-cert-requirements",
        "The attestation certificate MUST have the following fields/extensions (§8.2.1)",
    ),
    (
        "sctn-tpm-attestation",
        "MUST proceed as follows: … Verify that attStmt is a correct attestation statement … by using the attestation statement format fmt's verification procedure [§8.3 tpm]",
    ),
    (
        "sctn-tpm-cert-requirements",
        "TPM attestation certificate MUST have the following fields/extensions (§8.3.1)",
    ),
    (
        "sctn-android-key-attestation",
        "MUST proceed as follows: … Verify that attStmt is a correct attestation statement … by using the attestation statement format fmt's verification procedure [§8.4 android-key]",
    ),
    (
        "sctn-android-safetynet-attestation",
        "MUST proceed as follows: … Verify that attStmt is a correct attestation statement … by using the attestation statement format fmt's verification procedure [§8.5 android-safetynet]",
    ),
    (
        "sctn-fido-u2f-attestation",
        "MUST proceed as follows: … Verify that attStmt is a correct attestation statement … by using the attestation statement format fmt's verification procedure [§8.6 fido-u2f]",
    ),
    (
        "sctn-apple-anonymous-attestation",
        "MUST proceed as follows: … Verify that attStmt is a correct attestation statement … by using the attestation statement format fmt's verification procedure [§8.8 apple]",
    ),
    (
        "sctn-compound-attestation",
        "MUST proceed as follows: … Verify that attStmt is a correct attestation statement … by using the attestation statement format fmt's verification procedure [§8.9 compound]",
    ),
    (
        "sctn-none-attestation",
        "MUST proceed as follows: … Verify that attStmt is a correct attestation statement … [§8.7 none: the attestation statement is an empty CBOR map]",
    ),
    (
        "sctn-base64url-encoding",
        "MUST proceed as follows: … [the RP decodes the toJSON() encoding, §5.1:] the base64url encoding … with all trailing '=' characters omitted … and without the inclusion of any line breaks, whitespace, or other additional characters",
    ),
    (
        "sctn-public-key-easy",
        "MUST proceed as follows: … [the RP decodes the toJSON() form, §5.1, of] credential",
    ),
];

/// The quote for `id` citing `spec`, or `""` when none is known (a unit test forbids that).
pub fn quote(id: &str, spec: SpecRef) -> &'static str {
    if let Some((_, q)) = BY_ID.iter().find(|(i, _)| *i == id) {
        return q;
    }
    if let Some((_, _, q)) = BY_STEP
        .iter()
        .find(|(a, s, _)| *a == spec.section.anchor() && *s == spec.step.to_string())
    {
        return q;
    }
    BY_ANCHOR
        .iter()
        .find(|(a, _)| *a == spec.section.anchor())
        .map_or("", |(_, q)| q)
}

impl Check {
    /// The short L3 sentence holding the RFC 2119 keyword that sets this check's level.
    pub fn quote(&self) -> &'static str {
        quote(self.id, self.spec)
    }
}

/// Whether `quote` holds a MUST-strength keyword (MUST, MUST NOT, SHALL).
pub fn has_must(quote: &str) -> bool {
    quote.contains("MUST") || quote.contains("SHALL")
}

/// Whether `quote` holds a SHOULD-strength keyword or leaves the choice to the RP: SHOULD, MAY,
/// RECOMMENDED (upper case, as RFC 2119 writes them), or the phrases "Relying Party policy",
/// "Relying Party-specific", "policy". OPTIONAL does not count: it qualifies what an
/// authenticator includes, not what an RP does.
pub fn has_should(quote: &str) -> bool {
    [
        "SHOULD",
        "MAY",
        "RECOMMENDED",
        "policy",
        "Relying Party-specific",
    ]
    .iter()
    .any(|k| quote.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalogue;
    use crate::rp::Profile;

    /// Every check has a quote; a check that is MUST in strict quotes MUST/SHALL; a check that is
    /// SHOULD in strict quotes SHOULD/MAY/RECOMMENDED or RP-policy wording; a check of the fido
    /// profile only names the FIDO tool or quotes MUST; the fido side of a FidoMust check is
    /// held by the FIDO tool (its notes or quote name FIDO, or the L3 quote has a MUST).
    #[test]
    fn every_check_quotes_the_keyword_of_its_level() {
        let mut bad = Vec::new();
        for check in catalogue() {
            let q = check.quote();
            let problem = if q.is_empty() {
                Some("no quote")
            } else if check.expect.strict.is_none() {
                (!q.contains("FIDO") && !has_must(q)).then_some("fido-only without FIDO or MUST")
            } else if check.level.is_must_in(Profile::Strict) {
                (!has_must(q)).then_some("strict MUST without MUST/SHALL")
            } else {
                (!has_should(q)).then_some("strict SHOULD without SHOULD/MAY/policy")
            };
            if let Some(p) = problem {
                bad.push(format!(
                    "{} ({} {}): {p}: {q}",
                    check.id,
                    check.spec.section.anchor(),
                    check.spec.step
                ));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn keyword_rules() {
        assert!(has_must("MUST NOT"));
        assert!(!has_must("SHOULD"));
        assert!(has_should("MAY ignore"));
        assert!(!has_should(
            "MUST NOT contain any other OPTIONAL parameters"
        ));
    }
}
