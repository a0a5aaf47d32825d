"""A FIDO2 conformance-API server around python-fido2's Fido2Server (PyPI `fido2`).

The four endpoints of the conformance API (docs/fido-api.md) on 127.0.0.1 only, an in-memory
store, and the library used the way its docstrings and its example server
(examples/server/server.py) tell integrators to, no more:

- a `Fido2Server(rp, attestation=..., verify_attestation=...)` for the ceremony, with the
  attestation preference the options request asks for (the library takes it per server) and an
  `AttestationVerifier` whose `ca_lookup` finds the root in the harness trust store (the
  `webauthn-conformance trust-store` file) the way the library's own `MdsAttestationVerifier`
  does: the entry for the AAGUID, else the roots valid for any AAGUID, the root whose subject
  is the issuer of the last certificate of the trust path. The library verifies attestation
  only when the preference is not "none" (its documented behaviour);
- options: `register_begin` / `authenticate_begin` (with the user's credentials, the requested
  authenticatorSelection and extensions), sent as `dict(options.public_key)` (plus the
  ServerResponse `status` and `errorMessage`);
- results: `register_complete(state, response)` and `authenticate_complete(state, credentials,
  response)`, then the `AttestedCredentialData` is stored. The library keeps no signature
  counter and its docs ask for none, so the shim keeps none.

The origin check is the library's default (`verify_rp_id`: https origins whose host is the RP
ID or a subdomain of it), as the example server uses it; `--origin` is not passed to it.

What the library leaves to its caller, the shim does as every adapter of webauthn-conformance
does: users and their credentials (an unknown username gets no options; a credential ID already
registered is refused, W3C L3 §7.1 step 26), the pending state per browser session (taken out
on use), the user's own credentials passed to `authenticate_complete` (by username, or by the
user handle when no username was given). Every exception becomes {"status": "failed", ...}.

The HTTP side is `conformance_api.py`'s: the endpoints and sessions, POST /harness/reset (a
fresh RP; settings the library cannot express raise `Unsupported`), POST /harness/clock (501:
the library keeps no time), and --clock-ms, which pins time.time (the library reads it for
android-safetynet timestamps) to the harness's "now" so its error messages are reproducible.
Challenges (32 bytes, the library's own length) and user handles come from a PRNG seeded by the
reset's `seed`, so reports are reproducible; the library checks them all the same.

Usage: python fido2_shim.py --port 0 --rp-id example.org --origin https://example.org
       --trust-store harness-metadata.json
"""

import base64
import json
import random

import conformance_api
from conformance_api import Unsupported

from importlib.metadata import version
from cryptography import x509
from fido2.attestation import AttestationVerifier
from fido2.server import Fido2Server
from fido2.webauthn import (
    Aaguid,
    AttestationConveyancePreference,
    AuthenticationResponse,
    AuthenticatorAttachment,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
    RegistrationResponse,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

NAME = f"python-fido2 {version('fido2')}"
# The library's own challenge length (os.urandom(32) in Fido2Server).
CHALLENGE_LEN = 32
USER_HANDLE_LEN = 32



class TrustStoreVerifier(AttestationVerifier):
    """`ca_lookup` over the harness metadata, as MdsAttestationVerifier does over MDS3."""

    def __init__(self, store):
        super().__init__()
        self.by_aaguid = {}
        for entry in store.get("entries", []):
            aaguid = Aaguid.parse(entry["aaguid"])
            roots = [base64.b64decode(c) for c in entry.get("attestationRootCertificates", [])]
            self.by_aaguid.setdefault(aaguid, []).extend(roots)
        self.any_aaguid = [base64.b64decode(c) for c in store.get("anyAaguidRoots", [])]

    def ca_lookup(self, attestation_result, auth_data):
        if not attestation_result.trust_path:
            return None
        aaguid = auth_data.credential_data.aaguid
        roots = self.by_aaguid.get(aaguid, []) + self.any_aaguid
        issuer = x509.load_der_x509_certificate(attestation_result.trust_path[-1]).issuer
        for root in roots:
            if x509.load_der_x509_certificate(root).subject == issuer:
                return root
        return None


class Rp:
    """One RP: its configuration, users, credentials and pending ceremonies."""

    def __init__(self, config: dict, verifier):
        if config.get("allowCrossOrigin") or config.get("topOrigins"):
            raise Unsupported(
                "Fido2Server has no setting for cross-origin ceremonies (it never reads "
                "clientDataJSON.crossOrigin or topOrigin)"
            )
        if config.get("requireTrustedAttestation"):
            raise Unsupported(
                "Fido2Server has no attestation policy beyond its attestation preference"
            )
        self.rp = PublicKeyCredentialRpEntity(
            name=config.get("rpName") or "webauthn-conformance", id=config["rpId"]
        )
        self.verifier = verifier
        self.random = random.Random(int(config.get("seed", 0)))
        self.users = {}  # username -> {"handle": bytes, "credentials": [AttestedCredentialData]}
        self.pending = {}  # session -> dict

    def server(self, attestation):
        return Fido2Server(self.rp, attestation=attestation, verify_attestation=self.verifier)

    def registration_options(self, session, request):
        username = request.get("username")
        display_name = request.get("displayName")
        if not isinstance(username, str) or not username:
            raise ValueError("username is required")
        if not isinstance(display_name, str) or not display_name:
            raise ValueError("displayName is required")
        user = self.users.get(username)
        handle = user["handle"] if user else self.random.randbytes(USER_HANDLE_LEN)
        selection = request.get("authenticatorSelection") or {}
        resident_key = selection.get("residentKey")
        if resident_key is None and selection.get("requireResidentKey") is True:
            resident_key = "required"
        attestation = AttestationConveyancePreference(request.get("attestation") or "none")
        options, state = self.server(attestation).register_begin(
            PublicKeyCredentialUserEntity(name=username, id=handle, display_name=display_name),
            user["credentials"] if user else [],
            resident_key_requirement=ResidentKeyRequirement(resident_key) if resident_key else None,
            user_verification=UserVerificationRequirement(selection["userVerification"])
            if selection.get("userVerification")
            else None,
            authenticator_attachment=AuthenticatorAttachment(selection["authenticatorAttachment"])
            if selection.get("authenticatorAttachment")
            else None,
            challenge=self.random.randbytes(CHALLENGE_LEN),
            extensions=request.get("extensions"),
        )
        self.pending[session] = {
            "ceremony": "registration",
            "state": state,
            "attestation": attestation,
            "username": username,
            "handle": handle,
        }
        return dict(options.public_key)

    def finish_registration(self, session, body):
        pending = self.pending.pop(session, None)
        if not pending or pending["ceremony"] != "registration":
            raise ValueError("no registration in progress in this session")
        auth_data = self.server(pending["attestation"]).register_complete(
            pending["state"], json.loads(body)
        )
        credential = auth_data.credential_data
        taken = any(
            c.credential_id == credential.credential_id
            for u in self.users.values()
            for c in u["credentials"]
        )
        if taken:
            raise ValueError("W3C L3 §7.1 step 26: the credential ID is already registered")
        user = self.users.setdefault(
            pending["username"], {"handle": pending["handle"], "credentials": []}
        )
        user["credentials"].append(credential)

    def authentication_options(self, session, request):
        username = request.get("username")
        user = None
        if isinstance(username, str) and username:
            user = self.users.get(username)
            if user is None:
                raise ValueError(f"user {username!r} does not exist")
        else:
            username = None
        uv = request.get("userVerification")
        options, state = self.server(None).authenticate_begin(
            user["credentials"] if user else None,
            user_verification=UserVerificationRequirement(uv) if uv else None,
            challenge=self.random.randbytes(CHALLENGE_LEN),
            extensions=request.get("extensions"),
        )
        self.pending[session] = {
            "ceremony": "authentication",
            "state": state,
            "username": username,
        }
        return dict(options.public_key)

    def finish_authentication(self, session, body):
        pending = self.pending.pop(session, None)
        if not pending or pending["ceremony"] != "authentication":
            raise ValueError("no authentication in progress in this session")
        response = json.loads(body)
        if pending["username"] is not None:
            user = self.users.get(pending["username"])
        else:
            # Discoverable credential: the user handle names the user.
            handle = AuthenticationResponse.from_dict(response).response.user_handle
            user = next((u for u in self.users.values() if u["handle"] == handle), None)
        credentials = user["credentials"] if user else []
        self.server(None).authenticate_complete(pending["state"], credentials, response)


def load_trust(path):
    """An attestation verifier over the harness metadata (none when there is no file)."""
    store = {}
    if path:
        with open(path, encoding="utf-8") as f:
            store = json.load(f)
    return TrustStoreVerifier(store)


if __name__ == "__main__":
    NO_CLOCK = "Fido2Server keeps no time: the challenge's lifetime is the integrator's"
    conformance_api.main(NAME, __doc__.splitlines()[0], load_trust, Rp, NO_CLOCK)
