//! The 47 known RP verification bugs and advisories, numbered #1 to #47 (the numbers the crate
//! cites as `docs/known-bugs.md #N`; each row below names its public source), each tied to the
//! checks that would have caught it, or to the reason it is not checked here yet. The report
//! links a check to its advisories; a test keeps every row accounted for and every named check
//! real.

/// One known RP bug (`docs/known-bugs.md #N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownBug {
    /// The row number (#1 to #47).
    pub number: u8,
    /// The harness family the row names.
    pub family: &'static str,
    /// The public advisory, issue or commit.
    pub source: &'static str,
    /// What covers it.
    pub coverage: Coverage,
}

/// How a known bug is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// These checks fail an RP with the bug.
    Checks(&'static [&'static str]),
    /// Not a response-verification check of registration or assertion yet; why.
    Deferred(&'static str),
}

/// Every row of docs/known-bugs.md, in its order.
pub const KNOWN_BUGS: [KnownBug; 47] = [
    bug(
        1,
        "flags.UP",
        "https://github.com/advisories/GHSA-6whf-q6p5-84wg",
        &["AS-12", "AS-13"],
    ),
    bug(
        2,
        "origin/rpId suffix",
        "https://github.com/web-auth/webauthn-framework/issues/143",
        &["REG-CD-16.suffix", "AS-CD-05.suffix"],
    ),
    bug(
        3,
        "UV policy source",
        "https://osv.dev/vulnerability/GHSA-h4fw-6r7f-w494",
        &["AS-15", "REG-AO-13"],
    ),
    bug(
        4,
        "flags.UP",
        "https://github.com/duo-labs/py_webauthn/issues/27",
        &["AS-13", "REG-AO-12"],
    ),
    bug(
        5,
        "android-key ext",
        "https://github.com/duo-labs/py_webauthn/commit/fb558d02e9451415f52913b60e05f1c7347fbcef",
        &["AK-02"],
    ),
    bug(
        6,
        "flags.UP",
        "https://github.com/webauthn-open-source/fido2-lib/issues/57",
        &["AS-12", "AS-13", "REG-AO-12"],
    ),
    bug(
        7,
        "counter=0 interop",
        "https://github.com/webauthn-open-source/fido2-lib/commit/bd608ad0433dda0ac9df27da0543996b4d777072",
        &["AS-21"],
    ),
    bug(
        8,
        "alg allow-list",
        "https://github.com/MasterKale/SimpleWebAuthn/issues/248",
        &["REG-AO-17"],
    ),
    bug(
        9,
        "x5c chain / trust anchor",
        "https://github.com/MasterKale/SimpleWebAuthn/releases/tag/v13.3.2",
        &["PK-11.root-in-x5c"],
    ),
    deferred(
        10,
        "alg/hash binding",
        "https://github.com/MasterKale/SimpleWebAuthn/issues/766",
        "fail-closed (a valid statement rejected): needs a packed attestation key whose alg hash \
         differs from its curve's usual one, which the virtual authenticator does not make yet",
    ),
    bug(
        11,
        "counter reset",
        "https://github.com/go-webauthn/webauthn/commit/425dee8942f436ee98d3aa4836550d400447a46e",
        &["AS-22.zero"],
    ),
    bug(
        12,
        "counter updated on failure",
        "https://github.com/go-webauthn/webauthn/commit/509830883101cde459c437aedef8a4b3bd1c9777",
        &["AS-23.failure-not-stored"],
    ),
    bug(
        13,
        "credId length",
        "https://github.com/go-webauthn/webauthn/commit/b3b93ac3770a26a92adbcd4b527bbb391127931b",
        &["REG-AO-20"],
    ),
    bug(
        14,
        "CBOR strictness",
        "https://github.com/go-webauthn/webauthn/issues/178",
        &["REG-AO-01.trailing", "REG-AO-08"],
    ),
    bug(
        15,
        "signature encoding",
        "https://github.com/go-webauthn/webauthn/commit/99bbbdbc06bd727a4c1fce1e5b3051a3ce0b263e",
        &["ALG-10.trailing", "ALG-10.non-minimal", "ALG-10.raw"],
    ),
    bug(
        16,
        "COSE alg/kty confusion",
        "https://github.com/go-webauthn/webauthn/commit/98c528b4b349dbc1b00268c7425c879040a27814",
        &["REG-AO-28.alg", "REG-AO-29"],
    ),
    bug(
        17,
        "COSE crv/alg",
        "https://github.com/go-webauthn/webauthn/commit/314c2bec98ddb4020b474ac53c8c8e2177139b20",
        &["REG-AO-25.crv", "REG-AO-28.crv"],
    ),
    bug(
        18,
        "alg fail-closed",
        "https://github.com/go-webauthn/webauthn/commit/05d9d99021806386d27c6d2b31f728e8c364d4d7",
        &["REG-AO-29"],
    ),
    bug(
        19,
        "tpm cert reqs",
        "https://github.com/go-webauthn/webauthn/pull/797",
        &["TPM-13", "TPM-12.ca", "TPM-12.eku"],
    ),
    bug(
        20,
        "fido-u2f / safetynet",
        "https://github.com/go-webauthn/webauthn/pull/802",
        &["U2F-05", "U2F-06", "SN-04", "SN-09.sig", "SN-09.host"],
    ),
    bug(
        21,
        "BE/BS, rpId syntax, origin",
        "https://github.com/go-webauthn/webauthn/commit/26a4868124d003f29ffe450d3043b3cce283e659",
        &["REG-AO-15", "REG-CD-16.subdomain", "OPT-C-02"],
    ),
    bug(
        22,
        "ECDSA r/s=0",
        "https://github.com/Yubico/java-webauthn-server/commit/a92b426119c3eb6c22708028460611b4367fd373",
        &["ALG-10.zero", "AS-ENV-08"],
    ),
    bug(
        23,
        "userHandle / owner",
        "https://github.com/Yubico/java-webauthn-server/issues/451",
        &["AS-03"],
    ),
    bug(
        24,
        "android-key",
        "https://github.com/Yubico/java-webauthn-server",
        &["AK-02", "AK-03", "AK-05", "AK-06.tee", "AK-07.origin"],
    ),
    bug(
        25,
        "BE/BS",
        "https://github.com/Yubico/java-webauthn-server/commit/350c7847eaa506d5f8fd02924f27aaac67c1a09d",
        &["REG-AO-15", "AS-18"],
    ),
    bug(
        26,
        "counter persistence",
        "https://github.com/advisories/GHSA-v9hx-v6vf-g36j",
        &["AS-23.stored"],
    ),
    bug(
        27,
        "userHandle / owner",
        "https://github.com/webauthn4j/webauthn4j/issues/160",
        &["AS-03", "AS-04"],
    ),
    bug(
        28,
        "tpm cert reqs",
        "https://github.com/Yubico/python-fido2/commit/1d64021a9aae98214b28b7fdf3fae1332f1d3d30",
        &["TPM-12.subject"],
    ),
    bug(
        29,
        "rpId vs PSL",
        "https://github.com/Yubico/python-fido2/commit/8547527ef7f2280d2066d23d605cd94c132cee1e",
        &["OPT-C-02", "OPT-G-05"],
    ),
    bug(
        30,
        "attestation policy",
        "https://github.com/Yubico/python-fido2",
        &["PK-06", "TPM-11", "AK-05", "U2F-03"],
    ),
    bug(
        31,
        "flags.UV",
        "https://github.com/passwordless-lib/fido2-net-lib/commit/721e66742d698518c3255609fdd561cb96ddd64b",
        &["REG-AO-13"],
    ),
    bug(
        32,
        "strict vs tool profile",
        "https://github.com/passwordless-lib/fido2-net-lib/commit/e588f52c1335d45832b1c49d6f5e1c0b7714db64",
        &["PK-11.broken-link", "PK-12"],
    ),
    bug(
        33,
        "tpm/packed cert reqs",
        "https://github.com/kanidm/webauthn-rs/commit/5374d7a9d90beefea5ec2afb20c8fb61427b4847",
        &[
            "PK-16.ca",
            "PK-16.version",
            "PK-16.ou",
            "PK-18",
            "TPM-12.eku",
            "TPM-12.san",
        ],
    ),
    bug(
        34,
        "attestation policy / none",
        "https://github.com/cedarcode/webauthn-ruby/issues/337",
        &["NONE-04"],
    ),
    bug(
        35,
        "flags.UP",
        "https://github.com/cedarcode/webauthn-ruby/pull/418",
        &["AS-13", "REG-AO-12"],
    ),
    bug(
        36,
        "origin suffix",
        "https://github.com/lbuchs/WebAuthn/issues/122",
        &["REG-CD-16.suffix", "AS-CD-05.suffix"],
    ),
    bug(
        37,
        "attestation type",
        "https://github.com/tweag/webauthn/issues/45",
        &["TRUST-02.fido-u2f"],
    ),
    bug(
        38,
        "owner, allowCredentials, rawId",
        "https://github.com/JanssenProject/jans/issues/14374",
        &["AS-01", "AS-03", "AS-ENV-02.raw-id"],
    ),
    bug(
        39,
        "packed self",
        "https://github.com/privacyidea/privacyidea/pull/3292",
        &["PK-20", "PK-21"],
    ),
    bug(
        40,
        "attestation policy / none",
        "https://github.com/keycloak/keycloak/issues/43723",
        &["NONE-04", "TRUST-01"],
    ),
    bug(
        41,
        "alg policy at registration",
        "https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2026/8xxx/CVE-2026-8830.json",
        &["REG-AO-17"],
    ),
    bug(
        42,
        "id==rawId; false not raised",
        "https://gitlab.com/gitlab-org/gitlab/-/issues/585333",
        &["REG-ENV-06", "AS-ENV-02.raw-id"],
    ),
    bug(
        43,
        "signature required",
        "https://raw.githubusercontent.com/CVEProject/cvelistV5/main/cves/2026/126xxx/CVE-2026-126952.json",
        &["AS-02", "AS-ENV-08"],
    ),
    bug(
        44,
        "adapter must honour verified",
        "https://github.com/cedarjs/cedar/pull/2545",
        &["AS-ENV-08", "AS-10"],
    ),
    bug(
        45,
        "origin source",
        "https://github.com/strands-labs/robots/issues/3079",
        &["REG-CD-15", "AS-CD-05.foreign"],
    ),
    bug(
        46,
        "flags.UV",
        "https://github.com/gravitee-io/issues/issues/4496",
        &["AS-15", "REG-AO-13"],
    ),
    bug(
        47,
        "rpIdHash, alg, counter",
        "https://github.com/SandeepVashishtha/Eventra/pull/19121",
        &["AS-09", "AS-22", "AS-ENV-08"],
    ),
];

const fn bug(
    number: u8,
    family: &'static str,
    source: &'static str,
    checks: &'static [&'static str],
) -> KnownBug {
    KnownBug {
        number,
        family,
        source,
        coverage: Coverage::Checks(checks),
    }
}

const fn deferred(
    number: u8,
    family: &'static str,
    source: &'static str,
    why: &'static str,
) -> KnownBug {
    KnownBug {
        number,
        family,
        source,
        coverage: Coverage::Deferred(why),
    }
}

/// The known bugs check `id` would have caught.
pub fn for_check(id: &str) -> impl Iterator<Item = &'static KnownBug> + '_ {
    KNOWN_BUGS
        .iter()
        .filter(move |bug| matches!(bug.coverage, Coverage::Checks(ids) if ids.contains(&id)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_accounted_for_and_names_real_checks() {
        let ids: Vec<&str> = crate::checks::catalogue().iter().map(|c| c.id).collect();
        for (index, bug) in KNOWN_BUGS.iter().enumerate() {
            assert_eq!(usize::from(bug.number), index + 1, "rows in order");
            assert!(bug.source.starts_with("https://"), "#{}", bug.number);
            if let Coverage::Checks(checks) = bug.coverage {
                assert!(!checks.is_empty(), "#{}", bug.number);
                for check in checks {
                    assert!(
                        ids.contains(check),
                        "#{} names unknown check {check}",
                        bug.number
                    );
                }
            }
        }
    }

    #[test]
    fn checks_find_their_advisories() {
        let numbers: Vec<u8> = for_check("AS-13").map(|b| b.number).collect();
        assert_eq!(numbers, [1, 4, 6, 35]);
    }
}
