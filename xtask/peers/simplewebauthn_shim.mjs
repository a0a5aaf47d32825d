// A FIDO2 conformance-API server around @simplewebauthn/server, for webauthn-conformance.
//
// The four endpoints of the conformance API (docs/fido-api.md) on 127.0.0.1 only, an in-memory
// store, and the library used the way its documentation (simplewebauthn.dev, "Server") tells
// integrators to, no more:
//
// - options: `generateRegistrationOptions` (the user's passkeys as excludeCredentials, the
//   requested authenticatorSelection, attestationType and extensions) and
//   `generateAuthenticationOptions` (the user's passkeys as allowCredentials, the requested
//   userVerification and extensions), sent as the library returns them (plus the ServerResponse
//   `status` and `errorMessage`);
// - results: `verifyRegistrationResponse` with the expected challenge, origin and RP ID and
//   `requireUserVerification` when the options asked for "required"; the passkey is stored as
//   the docs show. `verifyAuthenticationResponse` with the passkey found by `body.id` among the
//   user's passkeys (the docs' `getUserPasskey(user, body.id)`), its public key and counter; then
//   `newCounter` is stored. `verified: false` is a failure too.
// - attestation roots: `SettingsService.setRootCertificates` for every format with the roots of
//   the harness trust store (the `webauthn-conformance trust-store` file).
// - the fido profile passes `advancedFIDOConfig: { userVerification }`, the library's documented
//   switch to the FIDO conformance tool's rules for UP and UV; the strict profile does not.
// - cross-origin: an RP set up with topOrigins passes them as `expectedTopOrigin` (the library has
//   it at authentication only).
//
// What the library leaves to its caller, the shim does as every adapter of webauthn-conformance
// does: users and their passkeys (an unknown username gets no options; a credential ID already
// registered is refused, W3C L3 §7.1 step 26), the pending options per browser session (taken out
// on use), the user named by the user handle when no username was given. Every exception becomes
// {"status": "failed", "errorMessage": ...}.
//
// Beyond the API: POST /harness/reset (a fresh RP from an RpConfig; settings the library cannot
// express answer 501 "unsupported: ...") and POST /harness/clock (501: the library keeps no time).
// Challenges and user IDs (32 bytes, the library's own lengths) come from a PRNG seeded by the
// reset's `seed`, so reports are reproducible; the library checks them all the same.
//
// With --clock-ms the process clock (Date, which the library reads for certificate validity and
// android-safetynet timestamps) is pinned to that Unix time in milliseconds, the harness's own
// "now" (its test PKI is dated from it), and /harness/reset answers it as `nowMs`, so the harness
// stamps time-stamped statements with it. This changes no check the library makes and keeps
// reports reproducible: its error messages quote timestamps.
//
// Usage: node simplewebauthn_shim.mjs --port 0 --rp-id example.org --origin https://example.org
//        --trust-store harness-metadata.json

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  SettingsService,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { COSEALG } from '@simplewebauthn/server/helpers';

// generateRegistrationOptions' and verifyRegistrationResponse's documented default.
const DEFAULT_ALGORITHMS = [COSEALG.EdDSA, COSEALG.ES256, COSEALG.RS256];

// The installed version, from the package's own manifest (its `exports` hide package.json).
const VERSION = JSON.parse(
  readFileSync(
    join(dirname(fileURLToPath(import.meta.url)), 'node_modules/@simplewebauthn/server/package.json'),
    'utf8',
  ),
).version;
const NAME = `@simplewebauthn/server ${VERSION}`;
const UNSUPPORTED = 'unsupported: ';
const FORMATS = ['packed', 'tpm', 'android-key', 'android-safetynet', 'fido-u2f', 'apple'];
// The library's own challenge and user ID lengths (generateChallenge, generateUserID).
const RANDOM_LEN = 32;

class Unsupported extends Error {}

/** A deterministic byte source: SHA-256 over (seed, counter). */
class Prng {
  constructor(seed) {
    this.seed = String(seed);
    this.counter = 0;
  }

  bytes(n) {
    const out = [];
    while (out.length < n) {
      this.counter += 1;
      out.push(...createHash('sha256').update(`${this.seed}/${this.counter}`).digest());
    }
    return Uint8Array.from(out.slice(0, n));
  }
}

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

class Rp {
  constructor(config) {
    if (config.allowCrossOrigin && !(config.topOrigins || []).length) {
      throw new Unsupported(
        '@simplewebauthn/server can be told of expected top origins (expectedTopOrigin), not of cross-origin use without one',
      );
    }
    if (config.requireTrustedAttestation) {
      throw new Unsupported(
        '@simplewebauthn/server has no attestation trust policy for none and self attestation',
      );
    }
    this.rpID = config.rpId;
    // The library's default algorithms, plus those the harness asks it to offer too
    // (`extraAlgorithms`) that COSEALG names, given to both calls as `supportedAlgorithmIDs`
    // (the documentation asks for the same value in both).
    this.algorithms = [...DEFAULT_ALGORITHMS];
    for (const alg of config.extraAlgorithms || []) {
      if (COSEALG[alg] !== undefined && !this.algorithms.includes(alg)) this.algorithms.push(alg);
    }
    this.rpName = config.rpName || 'webauthn-conformance';
    this.origins = config.origins;
    this.topOrigins = config.topOrigins || [];
    this.fido = config.profile === 'fido';
    this.prng = new Prng(config.seed ?? 0);
    this.users = new Map(); // username -> { id: base64url, passkeys: [] }
    this.pending = new Map(); // session -> { ceremony, options, username }
  }

  origin() {
    return this.origins.length === 1 ? this.origins[0] : this.origins;
  }

  async registrationOptions(session, request) {
    const { username, displayName } = request;
    if (typeof username !== 'string' || !username) throw new Error('username is required');
    if (typeof displayName !== 'string' || !displayName) throw new Error('displayName is required');
    const user = this.users.get(username);
    const options = await generateRegistrationOptions({
      rpName: this.rpName,
      rpID: this.rpID,
      userName: username,
      userID: user ? Buffer.from(user.id, 'base64url') : this.prng.bytes(RANDOM_LEN),
      userDisplayName: displayName,
      challenge: this.prng.bytes(RANDOM_LEN),
      attestationType: request.attestation || 'none',
      excludeCredentials: (user?.passkeys || []).map((p) => ({ id: p.id, transports: p.transports })),
      supportedAlgorithmIDs: this.algorithms,
      ...(request.authenticatorSelection ? { authenticatorSelection: { ...request.authenticatorSelection } } : {}),
      ...(request.extensions ? { extensions: request.extensions } : {}),
    });
    this.pending.set(session, { ceremony: 'registration', options, username });
    return options;
  }

  async finishRegistration(session, body) {
    const pending = this.pending.get(session);
    this.pending.delete(session);
    if (!pending || pending.ceremony !== 'registration') {
      throw new Error('no registration in progress in this session');
    }
    const { options } = pending;
    const verification = await verifyRegistrationResponse({
      response: body,
      expectedChallenge: options.challenge,
      expectedOrigin: this.origin(),
      expectedRPID: this.rpID,
      requireUserVerification: options.authenticatorSelection?.userVerification === 'required',
      supportedAlgorithmIDs: this.algorithms,
    });
    if (!verification.verified) throw new Error('verifyRegistrationResponse: verified is false');
    const { credential } = verification.registrationInfo;
    for (const other of this.users.values()) {
      if (other.passkeys.some((p) => p.id === credential.id)) {
        throw new Error('W3C L3 §7.1 step 26: the credential ID is already registered');
      }
    }
    if (!this.users.has(pending.username)) {
      this.users.set(pending.username, { id: options.user.id, passkeys: [] });
    }
    this.users.get(pending.username).passkeys.push({
      id: credential.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports,
    });
  }

  async authenticationOptions(session, request) {
    let { username } = request;
    let user;
    if (typeof username === 'string' && username) {
      user = this.users.get(username);
      if (!user) throw new Error(`user ${JSON.stringify(username)} does not exist`);
    } else {
      username = undefined;
    }
    const options = await generateAuthenticationOptions({
      rpID: this.rpID,
      challenge: this.prng.bytes(RANDOM_LEN),
      allowCredentials: user ? user.passkeys.map((p) => ({ id: p.id, transports: p.transports })) : [],
      userVerification: request.userVerification || 'preferred',
      ...(request.extensions ? { extensions: request.extensions } : {}),
    });
    this.pending.set(session, { ceremony: 'authentication', options, username });
    return options;
  }

  async finishAuthentication(session, body) {
    const pending = this.pending.get(session);
    this.pending.delete(session);
    if (!pending || pending.ceremony !== 'authentication') {
      throw new Error('no authentication in progress in this session');
    }
    const { options } = pending;
    let user;
    if (pending.username !== undefined) {
      user = this.users.get(pending.username);
    } else {
      // Discoverable credential: the user handle names the user.
      const handle = body?.response?.userHandle;
      user = [...this.users.values()].find((u) => u.id === handle);
    }
    const passkey = user?.passkeys.find((p) => p.id === body?.id);
    if (!passkey) throw new Error(`Could not find passkey ${body?.id} for the user`);
    const uv = options.userVerification;
    const verification = await verifyAuthenticationResponse({
      response: body,
      expectedChallenge: options.challenge,
      expectedOrigin: this.origin(),
      expectedRPID: this.rpID,
      credential: passkey,
      requireUserVerification: uv === 'required',
      ...(this.topOrigins.length ? { expectedTopOrigin: this.topOrigins } : {}),
      ...(this.fido ? { advancedFIDOConfig: { userVerification: uv } } : {}),
    });
    if (!verification.verified) throw new Error('verifyAuthenticationResponse: verified is false');
    passkey.counter = verification.authenticationInfo.newCounter;
  }
}

function loadRoots(path) {
  if (!path) return [];
  const store = JSON.parse(readFileSync(path, 'utf8'));
  const ders = (store.entries || []).flatMap((e) => e.attestationRootCertificates || []);
  ders.push(...(store.anyAaguidRoots || []));
  return [...new Set(ders)].map((der) => Buffer.from(der, 'base64'));
}

function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'rp-id': { type: 'string', default: 'example.org' },
      origin: { type: 'string', default: 'https://example.org' },
      'trust-store': { type: 'string' },
      seed: { type: 'string', default: '1' },
      'clock-ms': { type: 'string' },
    },
  });
  if (values['clock-ms'] !== undefined) {
    const pinned = Number(values['clock-ms']);
    const RealDate = Date;
    globalThis.Date = class extends RealDate {
      constructor(...args) {
        super(...(args.length ? args : [pinned]));
      }

      static now() {
        return pinned;
      }
    };
  }
  const roots = loadRoots(values['trust-store']);
  for (const identifier of FORMATS) {
    SettingsService.setRootCertificates({ identifier, certificates: roots });
  }
  let rp = new Rp({ rpId: values['rp-id'], origins: [values.origin], seed: values.seed });
  let nextSession = 0;

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const answer = (status, body, cookie) => {
        const data = JSON.stringify(body);
        const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) };
        if (cookie) headers['Set-Cookie'] = `session=${cookie}; Path=/; HttpOnly`;
        res.writeHead(status, headers);
        res.end(data);
      };
      if (req.method !== 'POST') return answer(405, { status: 'failed', errorMessage: 'only POST is served' });
      const text = Buffer.concat(chunks).toString('utf8');
      const path = req.url.split('?')[0];
      if (path === '/harness/reset') {
        try {
          rp = new Rp(JSON.parse(text));
          nextSession = 0;
          return answer(200, { status: 'ok', errorMessage: '', nowMs: Date.now() });
        } catch (e) {
          rp = null;
          if (e instanceof Unsupported) {
            return answer(501, { status: 'failed', errorMessage: UNSUPPORTED + e.message });
          }
          return answer(400, { status: 'failed', errorMessage: `bad RP config: ${e}` });
        }
      }
      if (path === '/harness/clock') {
        return answer(501, {
          status: 'failed',
          errorMessage: `${UNSUPPORTED}@simplewebauthn/server keeps no time: the challenge's lifetime is the integrator's`,
        });
      }
      const endpoints = ['/attestation/options', '/attestation/result', '/assertion/options', '/assertion/result'];
      if (!endpoints.includes(path)) return answer(404, { status: 'failed', errorMessage: `no endpoint ${path}` });
      const cookie = (req.headers.cookie || '')
        .split(';')
        .map((p) => p.trim().split('='))
        .find(([name, value]) => name === 'session' && value);
      let session = cookie?.[1];
      let issued;
      if (!session) {
        nextSession += 1;
        session = String(nextSession);
        issued = session;
      }
      if (!rp) return answer(500, { status: 'failed', errorMessage: 'no RP: the last reset failed' }, issued);
      try {
        const body = JSON.parse(text);
        let reply = { status: 'ok', errorMessage: '' };
        if (path === '/attestation/options') {
          reply = { ...reply, ...(await rp.registrationOptions(session, body)) };
        } else if (path === '/assertion/options') {
          reply = { ...reply, ...(await rp.authenticationOptions(session, body)) };
        } else if (path === '/attestation/result') {
          await rp.finishRegistration(session, body);
        } else {
          await rp.finishAuthentication(session, body);
        }
        return answer(200, reply, issued);
      } catch (e) {
        const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        return answer(400, { status: 'failed', errorMessage: message }, issued);
      }
    });
  });
  server.listen(Number(values.port), '127.0.0.1', () => {
    console.log(`${NAME} listening on http://127.0.0.1:${server.address().port}`);
  });
}

main();
