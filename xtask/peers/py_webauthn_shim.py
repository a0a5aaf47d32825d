"""A FIDO2 conformance-API server around py_webauthn (PyPI `webauthn`), for webauthn-conformance.

The four endpoints of the conformance API (docs/fido-api.md) on 127.0.0.1 only, an in-memory
store, and the library used the way its README and docstrings tell integrators to, no more:

- options: `generate_registration_options` / `generate_authentication_options`, sent as
  `options_to_json_dict` gives them (plus the ServerResponse `status` and `errorMessage`), with
  `supported_pub_key_algs` the library's default plus the reset's `extraAlgorithms` it knows
  (the same list given to `verify_registration_response`, as its docstring asks);
- results: `verify_registration_response` / `verify_authentication_response` with the expected
  challenge, the RP ID, the origins, `require_user_verification` when the options asked for
  "required", the harness's attestation roots for every format (`pem_root_certs_bytes_by_fmt`),
  and at authentication the stored public key and sign count; then the credential and the new
  sign count are stored.

What the library leaves to its caller, the shim does as every adapter of webauthn-conformance
does: users and their credentials (an unknown username gets no options; a credential ID already
registered is refused, W3C L3 §7.1 step 26), the pending challenge per browser session (taken out
on use), the credential looked up among the user's own (by username, or by the user handle when
no username was given). Every exception becomes {"status": "failed", "errorMessage": ...}.

The HTTP side is `conformance_api.py`'s: the endpoints and sessions, POST /harness/reset (a
fresh RP; settings the library cannot express raise `Unsupported`), POST /harness/clock (501:
the library keeps no time), and --clock-ms, which pins time.time (the library reads it for
android-safetynet timestamps) to the harness's "now" so its error messages are reproducible.
Challenges and user handles come from a PRNG seeded by the reset's `seed` (same lengths as the
library's own, 64 bytes), so reports are reproducible; the library checks them all the same.

Usage: python py_webauthn_shim.py --port 0 --rp-id example.org --origin https://example.org
       --trust-store harness-metadata.json
"""

import base64
import json
import random
import ssl

import conformance_api
from conformance_api import Unsupported

import webauthn
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers import (
    options_to_json_dict,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.registration.generate_registration_options import (
    default_supported_pub_key_algs,
)
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AttestationFormat,
    AuthenticatorAttachment,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

NAME = f"py_webauthn {webauthn.__version__}"
# The library's own challenge and user handle lengths (generate_challenge, generate_user_handle).
RANDOM_LEN = 64


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()



class Rp:
    """One RP: its configuration, users, credentials and pending ceremonies."""

    def __init__(self, config: dict, roots_pem: list):
        if config.get("allowCrossOrigin") or config.get("topOrigins"):
            raise Unsupported(
                "py_webauthn has no setting for cross-origin ceremonies (it never reads "
                "clientDataJSON.crossOrigin or topOrigin)"
            )
        if config.get("requireTrustedAttestation"):
            raise Unsupported(
                "py_webauthn has no attestation trust policy (VerifiedRegistration does not say "
                "whether the statement chained to a root or was none/self)"
            )
        self.rp_id = config["rpId"]
        # The library's default algorithms, plus those the harness asks it to offer too
        # (`extraAlgorithms`) that it knows, as `supported_pub_key_algs` of both calls.
        known = {alg.value for alg in COSEAlgorithmIdentifier}
        self.algorithms = list(default_supported_pub_key_algs) + [
            COSEAlgorithmIdentifier(alg)
            for alg in config.get("extraAlgorithms") or []
            if alg in known and alg not in default_supported_pub_key_algs
        ]
        self.rp_name = config.get("rpName") or "webauthn-conformance"
        self.origins = list(config["origins"])
        self.random = random.Random(int(config.get("seed", 0)))
        # README: pass root certificates per format to verify attestation chains.
        self.roots = {fmt: list(roots_pem) for fmt in AttestationFormat}
        self.users = {}  # username -> {"handle": bytes, "credentials": [dict]}
        self.pending = {}  # session -> dict

    def draw(self) -> bytes:
        return self.random.randbytes(RANDOM_LEN)

    def origin(self):
        return self.origins[0] if len(self.origins) == 1 else self.origins

    @staticmethod
    def descriptors(user):
        return [
            PublicKeyCredentialDescriptor(id=c["id"], transports=c["transports"])
            for c in user["credentials"]
        ]

    def registration_options(self, session, request):
        username = request.get("username")
        display_name = request.get("displayName")
        if not isinstance(username, str) or not username:
            raise ValueError("username is required")
        if not isinstance(display_name, str) or not display_name:
            raise ValueError("displayName is required")
        user = self.users.get(username)
        handle = user["handle"] if user else self.draw()
        selection = request.get("authenticatorSelection") or {}
        criteria = AuthenticatorSelectionCriteria()
        if selection.get("authenticatorAttachment") is not None:
            criteria.authenticator_attachment = AuthenticatorAttachment(
                selection["authenticatorAttachment"]
            )
        if selection.get("residentKey") is not None:
            criteria.resident_key = ResidentKeyRequirement(selection["residentKey"])
        if selection.get("requireResidentKey") is not None:
            criteria.require_resident_key = bool(selection["requireResidentKey"])
        if selection.get("userVerification") is not None:
            criteria.user_verification = UserVerificationRequirement(
                selection["userVerification"]
            )
        options = generate_registration_options(
            rp_id=self.rp_id,
            rp_name=self.rp_name,
            user_name=username,
            user_id=handle,
            user_display_name=display_name,
            challenge=self.draw(),
            attestation=AttestationConveyancePreference(request.get("attestation") or "none"),
            authenticator_selection=criteria,
            exclude_credentials=self.descriptors(user) if user else [],
            supported_pub_key_algs=self.algorithms,
        )
        self.pending[session] = {
            "ceremony": "registration",
            "challenge": options.challenge,
            "username": username,
            "handle": handle,
            "uv": criteria.user_verification == UserVerificationRequirement.REQUIRED,
        }
        return options_to_json_dict(options)

    def finish_registration(self, session, body):
        pending = self.pending.pop(session, None)
        if not pending or pending["ceremony"] != "registration":
            raise ValueError("no registration in progress in this session")
        credential = parse_registration_credential_json(body)
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=pending["challenge"],
            expected_rp_id=self.rp_id,
            expected_origin=self.origin(),
            require_user_verification=pending["uv"],
            pem_root_certs_bytes_by_fmt=self.roots,
            supported_pub_key_algs=self.algorithms,
        )
        taken = any(
            c["id"] == verified.credential_id
            for u in self.users.values()
            for c in u["credentials"]
        )
        if taken:
            raise ValueError("W3C L3 §7.1 step 26: the credential ID is already registered")
        user = self.users.setdefault(
            pending["username"], {"handle": pending["handle"], "credentials": []}
        )
        user["credentials"].append(
            {
                "id": verified.credential_id,
                "public_key": verified.credential_public_key,
                "sign_count": verified.sign_count,
                "transports": credential.response.transports,
            }
        )

    def authentication_options(self, session, request):
        username = request.get("username")
        user = None
        if isinstance(username, str) and username:
            user = self.users.get(username)
            if user is None:
                raise ValueError(f"user {username!r} does not exist")
        else:
            username = None
        options = generate_authentication_options(
            rp_id=self.rp_id,
            challenge=self.draw(),
            allow_credentials=self.descriptors(user) if user else [],
            user_verification=UserVerificationRequirement(
                request.get("userVerification") or "preferred"
            ),
        )
        self.pending[session] = {
            "ceremony": "authentication",
            "challenge": options.challenge,
            "username": username,
            "uv": options.user_verification == UserVerificationRequirement.REQUIRED,
        }
        return options_to_json_dict(options)

    def finish_authentication(self, session, body):
        pending = self.pending.pop(session, None)
        if not pending or pending["ceremony"] != "authentication":
            raise ValueError("no authentication in progress in this session")
        credential = parse_authentication_credential_json(body)
        if pending["username"] is not None:
            user = self.users.get(pending["username"])
        else:
            # Discoverable credential: the user handle names the user.
            handle = credential.response.user_handle
            user = next((u for u in self.users.values() if u["handle"] == handle), None)
        stored = next(
            (c for c in (user or {"credentials": []})["credentials"] if c["id"] == credential.raw_id),
            None,
        )
        if stored is None:
            raise ValueError("the credential is not registered to this user")
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=pending["challenge"],
            expected_rp_id=self.rp_id,
            expected_origin=self.origin(),
            credential_public_key=stored["public_key"],
            credential_current_sign_count=stored["sign_count"],
            require_user_verification=pending["uv"],
        )
        stored["sign_count"] = verified.new_sign_count


def load_roots(path):
    """The harness metadata (`webauthn-conformance trust-store`): every root as PEM."""
    if not path:
        return []
    with open(path, encoding="utf-8") as f:
        store = json.load(f)
    ders = [c for e in store.get("entries", []) for c in e.get("attestationRootCertificates", [])]
    ders += store.get("anyAaguidRoots", [])
    pems = []
    for der in ders:
        pem = ssl.DER_cert_to_PEM_cert(base64.b64decode(der)).encode()
        if pem not in pems:
            pems.append(pem)
    return pems


if __name__ == "__main__":
    NO_CLOCK = "py_webauthn keeps no time: the challenge's lifetime is the integrator's"
    conformance_api.main(NAME, __doc__.splitlines()[0], load_roots, Rp, NO_CLOCK)
