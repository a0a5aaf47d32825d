//! TPM: the tpm attestation statement format (§8.3) and its AIK certificate requirements
//! (§8.3.1).

use super::{accept, format, leveled, reject, stmt};
use crate::authenticator::AttestationFormat;
use crate::authenticator::attestation::tpm;
use crate::authenticator::mutation::StatementFault;
use crate::checks::{Check, Level, Section, SpecRef};

const TPM: SpecRef = SpecRef::clause(Section::Tpm, "verification");
const TPM_CERT: SpecRef = SpecRef::clause(Section::TpmCertificate, "§8.3.1");

pub(super) fn checks() -> Vec<Check> {
    vec![
        leveled(
            accept(
                "TPM-01",
                "a valid tpm attestation",
                TPM,
                format(AttestationFormat::Tpm),
            ),
            Level::FidoMust,
        ),
        reject(
            "TPM-04",
            "tpm x5c in the wrong order",
            TPM,
            stmt(StatementFault::Tpm(tpm::Fault::X5cOutOfOrder)),
        ),
        reject(
            "TPM-05",
            "certInfo.extraData is not the hash of authData ‖ clientDataHash",
            TPM,
            stmt(StatementFault::Tpm(tpm::Fault::WrongExtraData)),
        ),
        reject(
            "TPM-06",
            "certInfo.magic is not TPM_GENERATED_VALUE",
            TPM,
            stmt(StatementFault::Tpm(tpm::Fault::WrongMagic)),
        ),
        reject(
            "TPM-07",
            "pubArea.unique is not the credential public key",
            TPM,
            stmt(StatementFault::Tpm(tpm::Fault::UniqueMismatch)),
        ),
        reject(
            "TPM-08",
            "certInfo.type is not TPM_ST_ATTEST_CERTIFY",
            TPM,
            stmt(StatementFault::Tpm(tpm::Fault::WrongType)),
        ),
        reject(
            "TPM-09",
            "certInfo.attested.name is not the Name of pubArea",
            TPM,
            stmt(StatementFault::Tpm(tpm::Fault::WrongName)),
        ),
        reject(
            "TPM-10.ver",
            "tpm ver is \"1.2\"",
            TPM,
            stmt(StatementFault::Tpm(tpm::Fault::VerNot20)),
        ),
        reject(
            "TPM-10.x5c",
            "tpm without x5c",
            TPM,
            stmt(StatementFault::Tpm(tpm::Fault::X5cMissing)),
        ),
        reject(
            "TPM-11",
            "tpm sig over certInfo does not verify",
            TPM,
            stmt(StatementFault::Tpm(tpm::Fault::SigInvalid)),
        ),
        reject(
            "TPM-12.subject",
            "AIK certificate with a non-empty subject",
            TPM_CERT,
            stmt(StatementFault::Tpm(tpm::Fault::AikSubjectNotEmpty)),
        ),
        reject(
            "TPM-12.eku",
            "AIK certificate without EKU 2.23.133.8.3",
            TPM_CERT,
            stmt(StatementFault::Tpm(tpm::Fault::AikNoEku)),
        ),
        reject(
            "TPM-12.ca",
            "AIK certificate with CA=true",
            TPM_CERT,
            stmt(StatementFault::Tpm(tpm::Fault::AikIsCa)),
        ),
        reject(
            "TPM-12.san",
            "AIK certificate without the TPM subject alternative name",
            TPM_CERT,
            stmt(StatementFault::Tpm(tpm::Fault::AikNoSan)),
        ),
        reject(
            "TPM-13",
            "AIK AAGUID extension differs from authData's AAGUID",
            TPM,
            stmt(StatementFault::Tpm(tpm::Fault::AaguidMismatch)),
        ),
    ]
}
