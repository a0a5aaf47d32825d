//! The client half: options JSON in, `toJSON()` body out (W3C L3 §5.1.3 `[[Create]]` and
//! §5.1.4 `[[Get]]`, reduced to what an RP can observe).

use serde_json::Value as Json;

use super::attestation::{self, AttestationError, StatementInput};
use super::mutation::{AuthDataMutation, Mutation, SignatureMutation, StatementFault};
use super::{AttestationFormat, StoredCredential, VirtualAuthenticator};
use crate::codec::attestation_object::AttestationObject;
use crate::codec::auth_data::{AttestedCredentialData, AuthenticatorData, Flags};
use crate::codec::b64url;
use crate::codec::cbor::{self, Value};
use crate::codec::client_data::{CollectedClientData, members_to_json};
use crate::codec::options::{CreationOptions, RequestOptions};
use crate::codec::wire::{
    AssertionResponse, AttestationResponse, AuthenticationResponse, RegistrationResponse, WireShape,
};
use crate::crypto::pki::Pki;
use crate::crypto::{self, CredentialKey};
use crate::sha256;

/// Why the client produced no credential (what a browser would reject with a DOMException).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The options JSON does not parse.
    #[error("the RP's options are unusable: {0}")]
    BadOptions(String),
    /// No offered algorithm is one the authenticator implements (NotSupportedError).
    #[error(
        "no algorithm in pubKeyCredParams {offered:?} is supported by the virtual authenticator"
    )]
    NoSupportedAlgorithm {
        /// The COSE algorithm identifiers in the RP's pubKeyCredParams, in order.
        offered: Vec<i64>,
    },
    /// The check's spelling of a fault needs `alg` offered (or not offered), and the RP's
    /// pubKeyCredParams say otherwise: that spelling does not apply to this RP.
    #[error("algorithm {alg} is {} in pubKeyCredParams {offered:?}", if *.is_offered { "offered" } else { "not offered" })]
    AlgorithmOffer {
        /// The algorithm's COSE identifier.
        alg: i64,
        /// Whether the RP offered it.
        is_offered: bool,
        /// What the RP offered.
        offered: Vec<i64>,
    },
    /// An excluded credential is already on the authenticator (InvalidStateError).
    #[error("the authenticator already holds an excluded credential")]
    Excluded,
    /// No credential on the authenticator matches (NotAllowedError).
    #[error("the authenticator holds no credential for RP ID {rp_id:?} matching allowCredentials")]
    NoCredential {
        /// The RP ID the request was for.
        rp_id: String,
    },
    /// The origin has no host to derive an RP ID from.
    #[error("origin {0:?} has no host")]
    BadOrigin(String),
    /// The authenticator could not make a key.
    #[error("{0}")]
    Key(#[from] crate::crypto::KeyError),
    /// The attestation statement could not be produced.
    #[error("{0}")]
    Attestation(#[from] AttestationError),
    /// A signature fault that the credential's algorithm cannot take (a check set up wrongly).
    #[error("the fault \"{fault}\" does not apply to a {alg} signature")]
    FaultNotApplicable {
        /// The fault, as its [`Mutation`] displays it.
        fault: String,
        /// The credential's algorithm name.
        alg: String,
    },
}

/// The result of a signature fault, or why the credential's algorithm cannot take it.
fn applicable(
    fault: &SignatureMutation,
    key: &CredentialKey,
    broken: Option<Vec<u8>>,
) -> Result<Vec<u8>, ClientError> {
    broken.ok_or_else(|| ClientError::FaultNotApplicable {
        fault: Mutation::Signature(fault.clone()).to_string(),
        alg: key.alg().name(),
    })
}

/// A registration the client produced.
#[derive(Debug, Clone)]
pub struct Created {
    /// The JSON body to send to the RP.
    pub body: String,
    /// The new credential's ID.
    pub credential_id: Vec<u8>,
}

/// An assertion the client produced.
#[derive(Debug, Clone)]
pub struct Asserted {
    /// The JSON body to send to the RP.
    pub body: String,
    /// The credential that signed.
    pub credential_id: Vec<u8>,
}

/// A browser-like client bound to one origin, with its authenticator.
#[derive(Debug, Clone)]
pub struct VirtualClient {
    /// The caller's origin, written to clientDataJSON.
    pub origin: String,
    /// `crossOrigin` in clientDataJSON.
    pub cross_origin: bool,
    /// `topOrigin` in clientDataJSON, when set.
    pub top_origin: Option<String>,
    /// Which JSON field names to send.
    pub shape: WireShape,
    /// The authenticator.
    pub authenticator: VirtualAuthenticator,
}

impl VirtualClient {
    /// A client at `origin` with `authenticator`.
    pub fn new(origin: &str, authenticator: VirtualAuthenticator) -> Self {
        VirtualClient {
            origin: origin.to_owned(),
            cross_origin: false,
            top_origin: None,
            shape: WireShape::Level3,
            authenticator,
        }
    }

    /// The origin's host, the default RP ID (W3C L3 §5.1.3 step 8: the effective domain).
    pub fn effective_domain(&self) -> Result<String, ClientError> {
        let rest = self
            .origin
            .split_once("://")
            .map(|(_, rest)| rest)
            .ok_or_else(|| ClientError::BadOrigin(self.origin.clone()))?;
        let host_port = rest.split('/').next().unwrap_or(rest);
        let host = host_port
            .rsplit_once(':')
            .map_or(host_port, |(host, _)| host);
        if host.is_empty() {
            return Err(ClientError::BadOrigin(self.origin.clone()));
        }
        Ok(host.to_owned())
    }

    fn client_data(&self, type_: &str, challenge: &[u8]) -> CollectedClientData {
        CollectedClientData {
            type_: type_.to_owned(),
            challenge: b64url::encode(challenge),
            origin: self.origin.clone(),
            cross_origin: Some(self.cross_origin),
            top_origin: self.top_origin.clone(),
            other: Vec::new(),
        }
    }

    /// Runs `navigator.credentials.create()` on creation options JSON.
    pub fn register(
        &mut self,
        options: &Json,
        mutations: &[Mutation],
    ) -> Result<Created, ClientError> {
        let options = CreationOptions::from_json(options)
            .map_err(|e| ClientError::BadOptions(e.to_string()))?;
        let rp_id = match &options.rp.id {
            Some(id) => id.clone(),
            None => self.effective_domain()?,
        };
        let excluded = options.exclude_credentials.iter().any(|d| {
            self.authenticator
                .credentials()
                .iter()
                .any(|c| c.id == d.id.0 && c.rp_id == rp_id)
        });
        if excluded {
            return Err(ClientError::Excluded);
        }
        // The statement format: the authenticator's, or the one a statement fault picks.
        let fault = mutations.iter().find_map(|m| match m {
            Mutation::Statement(fault) => Some(*fault),
            _ => None,
        });
        let format = fault.map_or(self.authenticator.config.attestation, |f| f.format());
        let offered: Vec<i64> = options.pub_key_cred_params.iter().map(|p| p.alg).collect();
        // The first mutation that picks the algorithm, if any. A spelling that needs its
        // algorithm offered (or not) and finds otherwise does not apply to this RP.
        let mut forced = None;
        for mutation in mutations {
            forced = match mutation {
                Mutation::Algorithm(alg) => Some(*alg),
                Mutation::UnofferedAlgorithm(alg) | Mutation::OfferedAlgorithm(alg) => {
                    let is_offered = offered.contains(&alg.id());
                    if is_offered != matches!(mutation, Mutation::OfferedAlgorithm(_)) {
                        return Err(ClientError::AlgorithmOffer {
                            alg: alg.id(),
                            is_offered,
                            offered: offered.clone(),
                        });
                    }
                    Some(*alg)
                }
                _ => continue,
            };
            break;
        }
        let alg = match forced {
            Some(alg) => alg,
            None => offered
                .iter()
                .map(|id| crate::codec::cose::CoseAlgorithm::from_id(*id))
                .find(|alg| {
                    self.authenticator.config.algorithms.contains(alg) && format.attests(*alg)
                })
                .ok_or(ClientError::NoSupportedAlgorithm {
                    offered: offered.clone(),
                })?,
        };
        let selection = options.authenticator_selection.clone().unwrap_or_default();
        let discoverable = matches!(
            selection.resident_key.as_deref(),
            Some("required" | "preferred")
        ) || selection.require_resident_key == Some(true);

        // The credential: its ID may be chosen by the mutation (duplicates, long IDs).
        let mut credential_id = None;
        for mutation in mutations {
            match mutation {
                Mutation::CredentialId(id) => credential_id = Some(id.clone()),
                Mutation::CredentialIdLen(len) => {
                    credential_id = Some(self.authenticator.draw("credential id", *len));
                }
                _ => {}
            }
        }
        let id_len = self.authenticator.config.credential_id_len;
        let credential_id =
            credential_id.unwrap_or_else(|| self.authenticator.draw("credential id", id_len));
        let key = self.authenticator.new_key(alg)?;
        let sign_count = self.authenticator.initial_count();
        self.authenticator.store(StoredCredential {
            id: credential_id.clone(),
            rp_id: rp_id.clone(),
            user_handle: options.user.id.0.clone(),
            key: key.clone(),
            sign_count,
            discoverable,
        });

        // clientDataJSON (§5.8.1.1 order), mutated before hashing.
        let client_data_json = self.client_data_bytes(
            self.client_data("webauthn.create", &options.challenge.0),
            mutations,
        );

        // COSE key and authenticator data, mutated before signing.
        let mut cose = key.cose_key().to_value();
        let mut cose_bytes = None;
        for mutation in mutations {
            if let Mutation::CoseKey(m) = mutation {
                cose_bytes = m.apply(&mut cose).or(cose_bytes);
            }
        }
        // fido-u2f authenticators have an all-zero AAGUID (W3C L3 §8.6; FIDO Resp-8 F-1).
        let u2f_fault = mutations.iter().find_map(|m| match m {
            Mutation::Statement(StatementFault::FidoU2f(f)) => Some(*f),
            _ => None,
        });
        let u2f = self.authenticator.config.attestation == AttestationFormat::FidoU2f
            || u2f_fault.is_some();
        let aaguid = if u2f && u2f_fault != Some(attestation::fido_u2f::Fault::AaguidNonZero) {
            [0u8; 16]
        } else {
            self.authenticator.config.aaguid
        };
        let attested = AttestedCredentialData {
            aaguid,
            credential_id: credential_id.clone(),
            credential_public_key: cose_bytes.unwrap_or_else(|| cbor::encode(&cose)),
        };
        let auth_data = AuthenticatorData {
            rp_id_hash: sha256(rp_id.as_bytes()),
            flags: self.flags().with(Flags::AT),
            sign_count,
            attested_credential_data: Some(attested.clone()),
            extensions: None,
            trailing: Vec::new(),
        };
        let auth_data = mutate_auth_data(auth_data, &attested, mutations);
        let reported_id = auth_data
            .1
            .attested_credential_data
            .as_ref()
            .map_or_else(|| credential_id.clone(), |acd| acd.credential_id.clone());
        // `getPublicKey()` (W3C L3 §5.2.1.1): the SubjectPublicKeyInfo of the attested key, as
        // browsers send it in `toJSON()`. Only when the attested key is the credential's own: a
        // client cannot derive it from a COSE key a check has broken, and sends none then; nor
        // for an algorithm without an SPKI form here.
        let own_key = cbor::encode(&key.cose_key().to_value());
        let attests_own_key = auth_data
            .1
            .attested_credential_data
            .as_ref()
            .is_some_and(|acd| acd.credential_public_key == own_key);
        let public_key = attests_own_key
            .then(|| crypto::pki::spki_of(&key).ok())
            .flatten()
            .and_then(|spki| der::Encode::to_der(&spki).ok());
        let auth_data = auth_data.0;

        // Attestation statement, signed over the (possibly mutated) bytes. A statement fault
        // picks its own format.
        let (fmt, att_stmt) = match (format, fault) {
            (AttestationFormat::None, _) => ("none".to_owned(), Value::Map(Vec::new())),
            (AttestationFormat::PackedSelf, None) => {
                let sig = self.signature(&key, &auth_data, &client_data_json, mutations)?;
                (
                    "packed".to_owned(),
                    Value::Map(vec![
                        (Value::Text("alg".into()), Value::Integer(alg.id().into())),
                        (Value::Text("sig".into()), Value::Bytes(sig)),
                    ]),
                )
            }
            (format, fault) => {
                let client_data_hash = sha256(&client_data_json);
                let input = StatementInput {
                    auth_data: &auth_data,
                    client_data_hash: &client_data_hash,
                    credential: &key,
                    aaguid: attested.aaguid,
                    credential_id: &credential_id,
                    clock_ms: self.authenticator.config.clock_ms,
                };
                let pki = Pki::standard().map_err(AttestationError::from)?;
                let statement = attestation::produce(format, &input, &pki, fault.as_ref())?;
                (statement.fmt, statement.att_stmt)
            }
        };
        let mut object = AttestationObject {
            fmt,
            att_stmt,
            auth_data: auth_data.clone(),
        };
        let mut object_bytes = None;
        for mutation in mutations {
            if let Mutation::Attestation(m) = mutation {
                object_bytes = m.apply(&mut object).or(object_bytes);
            }
        }
        let response = RegistrationResponse {
            id: b64url::encode(&reported_id),
            raw_id: Some(reported_id),
            type_: "public-key".to_owned(),
            response: AttestationResponse {
                client_data_json,
                attestation_object: object_bytes.unwrap_or_else(|| object.to_bytes()),
                authenticator_data: Some(auth_data),
                transports: Some(vec![self.authenticator.config.transport.name().to_owned()]),
                public_key,
                public_key_algorithm: Some(alg.id()),
            },
            authenticator_attachment: Some(
                self.authenticator.config.transport.attachment().to_owned(),
            ),
            client_extension_results: Some(serde_json::Map::new()),
        };
        Ok(Created {
            body: self.body(response.to_json(self.shape), mutations),
            credential_id,
        })
    }

    /// Runs `navigator.credentials.get()` on request options JSON.
    pub fn authenticate(
        &mut self,
        options: &Json,
        mutations: &[Mutation],
    ) -> Result<Asserted, ClientError> {
        let options = RequestOptions::from_json(options)
            .map_err(|e| ClientError::BadOptions(e.to_string()))?;
        let rp_id = match &options.rp_id {
            Some(id) => id.clone(),
            None => self.effective_domain()?,
        };
        let allowed = |c: &StoredCredential| {
            c.rp_id == rp_id
                && if options.allow_credentials.is_empty() {
                    c.discoverable
                } else {
                    options.allow_credentials.iter().any(|d| d.id.0 == c.id)
                }
        };
        // The most recent matching credential, as a platform authenticator would offer first.
        let credential = self
            .authenticator
            .credentials()
            .iter()
            .rev()
            .find(|c| allowed(c))
            .cloned()
            .ok_or(ClientError::NoCredential {
                rp_id: rp_id.clone(),
            })?;
        self.assert_with(&credential, &rp_id, &options.challenge.0, mutations)
    }

    /// Signs an assertion with a specific held credential, whatever the RP allowed (scenarios
    /// that answer with another user's or an unlisted credential use this).
    pub fn assert_with(
        &mut self,
        credential: &StoredCredential,
        rp_id: &str,
        challenge: &[u8],
        mutations: &[Mutation],
    ) -> Result<Asserted, ClientError> {
        let sign_count = self.authenticator.next_count(credential.sign_count);
        if let Some(stored) = self.authenticator.find_mut(&credential.id) {
            stored.sign_count = sign_count;
        }
        let client_data_json =
            self.client_data_bytes(self.client_data("webauthn.get", challenge), mutations);
        let attested = AttestedCredentialData {
            aaguid: self.authenticator.config.aaguid,
            credential_id: credential.id.clone(),
            credential_public_key: credential.key.cose_key().to_cbor(),
        };
        let auth_data = AuthenticatorData {
            rp_id_hash: sha256(rp_id.as_bytes()),
            flags: self.flags(),
            sign_count,
            attested_credential_data: None,
            extensions: None,
            trailing: Vec::new(),
        };
        let (auth_data, _) = mutate_auth_data(auth_data, &attested, mutations);
        let signature =
            self.signature(&credential.key, &auth_data, &client_data_json, mutations)?;
        let response = AuthenticationResponse {
            id: b64url::encode(&credential.id),
            raw_id: Some(credential.id.clone()),
            type_: "public-key".to_owned(),
            response: AssertionResponse {
                client_data_json,
                authenticator_data: auth_data,
                signature,
                user_handle: credential
                    .discoverable
                    .then(|| credential.user_handle.clone()),
            },
            authenticator_attachment: Some(
                self.authenticator.config.transport.attachment().to_owned(),
            ),
            client_extension_results: Some(serde_json::Map::new()),
        };
        Ok(Asserted {
            body: self.body(response.to_json(self.shape), mutations),
            credential_id: credential.id.clone(),
        })
    }

    fn flags(&self) -> Flags {
        let config = &self.authenticator.config;
        let mut flags = Flags::default();
        for (on, mask) in [
            (config.user_present, Flags::UP),
            (config.user_verified, Flags::UV),
            (config.backup_eligible, Flags::BE),
            (config.backup_state, Flags::BS),
        ] {
            if on {
                flags = flags.with(mask);
            }
        }
        flags
    }

    fn client_data_bytes(&self, data: CollectedClientData, mutations: &[Mutation]) -> Vec<u8> {
        let mut members = data.to_members();
        let mut replaced = None;
        for mutation in mutations {
            if let Mutation::ClientData(m) = mutation {
                replaced = m.apply(&mut members).or(replaced);
            }
        }
        replaced.unwrap_or_else(|| members_to_json(&members))
    }

    /// Signs authData ‖ SHA-256(clientDataJSON) (§6.5.5), then applies signature mutations.
    fn signature(
        &mut self,
        key: &CredentialKey,
        auth_data: &[u8],
        client_data_json: &[u8],
        mutations: &[Mutation],
    ) -> Result<Vec<u8>, ClientError> {
        let signed = |key: &CredentialKey, client_data: &[u8]| {
            let mut message = auth_data.to_vec();
            message.extend_from_slice(&sha256(client_data));
            key.sign(&message)
        };
        let mut signature = signed(key, client_data_json);
        for mutation in mutations {
            if let Mutation::Signature(m) = mutation {
                match m {
                    SignatureMutation::FlipLastBit => {
                        if let Some(last) = signature.last_mut() {
                            *last ^= 0x01;
                        }
                    }
                    SignatureMutation::Replace(bytes) => signature = bytes.clone(),
                    SignatureMutation::WithOtherKey => {
                        let other = self.authenticator.new_key(key.alg())?;
                        signature = signed(&other, client_data_json);
                    }
                    SignatureMutation::OverOtherClientData => {
                        let mut other = client_data_json.to_vec();
                        other.extend_from_slice(b" ");
                        signature = signed(key, &other);
                    }
                    SignatureMutation::RawEcdsa => {
                        signature = applicable(m, key, crypto::ecdsa_der_to_raw(&signature))?;
                    }
                    SignatureMutation::DerTrailingByte => {
                        signature = crypto::der_with_trailing_bytes(&signature);
                    }
                    SignatureMutation::DerNonMinimalInteger => {
                        signature =
                            applicable(m, key, crypto::der_with_non_minimal_integer(&signature))?;
                    }
                    SignatureMutation::RsaWrongLength => {
                        signature = crypto::rsa_signature_wrong_length(&signature);
                    }
                    SignatureMutation::RsaDerWrapped => {
                        signature = crypto::rsa_signature_der_wrapped(&signature);
                    }
                    SignatureMutation::WrongHash => {
                        let mut message = auth_data.to_vec();
                        message.extend_from_slice(&sha256(client_data_json));
                        signature = applicable(m, key, key.sign_with_wrong_hash(&message))?;
                    }
                }
            }
        }
        Ok(signature)
    }

    fn body(&self, mut json: Json, mutations: &[Mutation]) -> String {
        let mut replaced = None;
        for mutation in mutations {
            if let Mutation::Wire(m) = mutation {
                replaced = m.apply(&mut json).or(replaced);
            }
        }
        replaced.unwrap_or_else(|| json.to_string())
    }
}

/// Applies authenticator data mutations: typed first, then on the encoded bytes. Returns the
/// bytes and the typed value they came from.
fn mutate_auth_data(
    mut data: AuthenticatorData,
    attested: &AttestedCredentialData,
    mutations: &[Mutation],
) -> (Vec<u8>, AuthenticatorData) {
    for mutation in mutations {
        if let Mutation::AuthData(m) = mutation {
            m.apply_typed(&mut data, attested);
        }
    }
    let mut bytes = data.to_bytes();
    for mutation in mutations {
        if let Mutation::AuthData(m @ AuthDataMutation::Truncate(_)) = mutation {
            m.apply_bytes(&mut bytes);
        }
    }
    (bytes, data)
}
