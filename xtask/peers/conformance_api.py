"""The HTTP side every Python shim of webauthn-conformance shares: the FIDO2 conformance API.

A shim brings the library-specific part (an `Rp` class with `registration_options`,
`authentication_options`, `finish_registration`, `finish_authentication`) and calls `main`.
This module serves it on 127.0.0.1 only:

- the four endpoints of the conformance API (docs/fido-api.md), JSON in and out, a `session`
  cookie per browser session, every exception of the library as {"status": "failed", ...};
- POST /harness/reset: a fresh RP from an RpConfig (settings the library cannot express raise
  `Unsupported` and answer 501 "unsupported: ..."), answering the process clock as `nowMs`;
- POST /harness/clock: 501, the shims' libraries keep no time.

With --clock-ms the process clock (time.time) is pinned to that Unix time in milliseconds, the
harness's own "now" (its test PKI is dated from it), so time-stamped statements and error
messages quoting timestamps are reproducible.
"""

import argparse
import json
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, HTTPServer

UNSUPPORTED = "unsupported: "
ENDPOINTS = (
    "/attestation/options",
    "/attestation/result",
    "/assertion/options",
    "/assertion/result",
)


class Unsupported(Exception):
    """The RP cannot be set up as the reset asks: the harness skips the check."""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, cookie=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if cookie:
            self.send_header("Set-Cookie", f"session={cookie}; Path=/; HttpOnly")
        self.end_headers()
        self.wfile.write(data)

    def session(self):
        """The session's cookie value, and the value to set when it is a new session."""
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "session" and value:
                return value, None
        state = self.server.state
        state["next_session"] += 1
        value = str(state["next_session"])
        return value, value

    def do_POST(self):
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        path = self.path.split("?")[0]
        if path == "/harness/reset":
            try:
                state["rp"] = state["make_rp"](json.loads(body))
                state["next_session"] = 0
                now_ms = int(time.time() * 1000)
                return self.answer(200, {"status": "ok", "errorMessage": "", "nowMs": now_ms})
            except Unsupported as e:
                state["rp"] = None
                return self.answer(501, {"status": "failed", "errorMessage": UNSUPPORTED + str(e)})
            except Exception as e:
                state["rp"] = None
                return self.answer(400, {"status": "failed", "errorMessage": f"bad RP config: {e!r}"})
        if path == "/harness/clock":
            return self.answer(
                501, {"status": "failed", "errorMessage": UNSUPPORTED + state["no_clock"]}
            )
        if path not in ENDPOINTS:
            return self.answer(404, {"status": "failed", "errorMessage": f"no endpoint {path}"})
        session, issued = self.session()
        rp = state["rp"]
        if rp is None:
            return self.answer(500, {"status": "failed", "errorMessage": "no RP: the last reset failed"}, issued)
        try:
            if path == "/attestation/options":
                reply = {"status": "ok", "errorMessage": "", **rp.registration_options(session, json.loads(body))}
            elif path == "/assertion/options":
                reply = {"status": "ok", "errorMessage": "", **rp.authentication_options(session, json.loads(body))}
            elif path == "/attestation/result":
                rp.finish_registration(session, body)
                reply = {"status": "ok", "errorMessage": ""}
            else:
                rp.finish_authentication(session, body)
                reply = {"status": "ok", "errorMessage": ""}
            return self.answer(200, reply, issued)
        except Exception as e:
            cause = f" (cause: {e.__cause__!r})" if e.__cause__ else ""
            return self.answer(400, {"status": "failed", "errorMessage": f"{type(e).__name__}: {e}{cause}"}, issued)

    def do_GET(self):
        self.answer(405, {"status": "failed", "errorMessage": "only POST is served"})


def main(name, description, load_trust, make_rp, no_clock):
    """Serves until interrupted; exit 2 with the traceback when the shim cannot start.

    `load_trust(path)` reads the `--trust-store` file (None when absent) into what `make_rp`
    takes; `make_rp(config, trust)` makes an RP from an RpConfig dict; `no_clock` says why
    /harness/clock is unsupported.
    """
    try:
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--port", type=int, default=0)
        parser.add_argument("--rp-id", default="example.org")
        parser.add_argument("--origin", default="https://example.org")
        parser.add_argument("--trust-store", default=None)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--clock-ms", type=int, default=None)
        args = parser.parse_args()
        if args.clock_ms is not None:
            pinned = args.clock_ms / 1000
            time.time = lambda: pinned
        trust = load_trust(args.trust_store)
        config = {"rpId": args.rp_id, "origins": [args.origin], "seed": args.seed}
        server = HTTPServer(("127.0.0.1", args.port), Handler)
        server.state = {
            "rp": make_rp(config, trust),
            "make_rp": lambda config: make_rp(config, trust),
            "no_clock": no_clock,
            "next_session": 0,
        }
        print(f"{name} listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    except Exception:
        traceback.print_exc()
        sys.exit(2)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
