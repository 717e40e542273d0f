import { createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { UsageError } from '../errors.js';
import { decodeDigest, hmac, isStrictBase64, safeEqual, type SecretInput } from './hmac.js';
import { describeAge, fail, nowSeconds, ok, parseUnixSeconds, type SignatureScheme } from './scheme.js';
import { clip } from './hmac-scheme.js';

const TOLERANCE = 300;
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Standard Webhooks 1.0: `webhook-signature: v1,<base64> [v1a,<base64> …]`
 * over `{id}.{timestamp}.{body}`. Symmetric `whsec_` secrets are base64 (the
 * prefix is optional on input); `whsk_`/`whpk_` are ed25519 keys for `v1a`.
 * Svix, which Standard Webhooks grew out of, signs the same way under
 * `svix-id`, `svix-timestamp` and `svix-signature`: `prefix` names the set.
 */
export function webhookScheme(prefix: 'webhook' | 'svix'): SignatureScheme {
  const ID = `${prefix}-id`;
  const TS = `${prefix}-timestamp`;
  const SIG = `${prefix}-signature`;
  const family = prefix === 'webhook' ? 'Standard Webhooks 1.0' : 'Svix (Standard Webhooks under svix- headers)';
  return {
    description:
      `${family}: HMAC-SHA256 (v1) or ed25519 (v1a) of "{${ID}}.{${TS}}.{body}", base64, space-separated list in ${SIG}`,
    signatureHeader: SIG,
    headers: [SIG, ID, TS],
    tolerance: TOLERANCE,
    validateSecret: standardSecretProblem,
    multiSignature: true,
    // Standard Webhooks keys are the base64-decoded bytes after `whsec_`: the usual mistake is using the text.
    secretForms: (secret) => [
      { secret: Buffer.from(secret, 'utf8'), message: 'the sender used the secret text itself as the HMAC key; Standard Webhooks uses the base64-decoded bytes after whsec_' },
      ...(secret.startsWith('whsec_') ? [{ secret: Buffer.from(secret.slice(6), 'utf8'), message: 'the sender used the text after whsec_ as the key instead of its base64-decoded bytes' }] : []),
    ],
    secretFormat: 'whsec_ and base64, or a whsk_/whpk_ ed25519 key',

    sign(body, secrets, ctx) {
      const list = Array.isArray(secrets) ? secrets : [secrets];
      const content = signedContent(ctx.id, String(ctx.timestamp), body);
      const signatures = list.map((secret) => {
        if (typeof secret === 'string' && secret.startsWith('whsk_')) {
          return `v1a,${edSign(null, Buffer.concat(content), privateKey(secret)).toString('base64')}`;
        }
        return `v1,${hmac('sha256', symmetricKey(secret), content).toString('base64')}`;
      });
      return { [ID]: ctx.id, [TS]: String(ctx.timestamp), [SIG]: signatures.join(' ') };
    },

    verify(body, headers, secret, opts) {
      const id = headers.get(ID);
      const timestamp = headers.get(TS);
      const signature = headers.get(SIG);
      for (const [name, value] of [[ID, id], [TS, timestamp], [SIG, signature]] as const) {
        if (value === undefined || value === '') return fail('missing_header', `no ${name} header`);
      }
      const ts = parseUnixSeconds(timestamp!);
      if (ts === null) return fail('malformed_header', `${TS} is not integer unix seconds: "${clip(timestamp!)}"`);
      const age = nowSeconds(opts) - ts;
      const tolerance = opts?.tolerance ?? TOLERANCE;
      if (Math.abs(age) > tolerance) return fail('timestamp_out_of_tolerance', describeAge(age, tolerance), age);

      const problem = typeof secret === 'string' ? standardSecretProblem(secret) : null;
      if (problem) return fail('invalid_secret', `this secret cannot verify Standard Webhooks signatures: ${problem}`, age);
      const asymmetric = typeof secret === 'string' && secret.startsWith('whpk_');
      const wanted = asymmetric ? 'v1a' : 'v1';
      const content = signedContent(id!, timestamp!, body);
      const expected = asymmetric ? null : hmac('sha256', symmetricKey(secret), content);
      const publicKeyObject = asymmetric ? publicKey(secret as string) : null;
      let candidates = 0;
      for (const entry of signature!.split(' ')) {
        const comma = entry.indexOf(',');
        if (comma < 0 || entry.slice(0, comma) !== wanted) continue;
        const bytes = decodeDigest(entry.slice(comma + 1), 'base64');
        if (!bytes) continue;
        candidates++;
        const matches = publicKeyObject
          ? bytes.length === 64 && edVerify(null, Buffer.concat(content), publicKeyObject, bytes)
          : safeEqual(bytes, expected!);
        if (matches) return ok(`a ${wanted} signature in ${SIG} matches`, age);
      }
      if (candidates === 0) {
        return fail('malformed_header', `${SIG} has no well-formed ${wanted} signature: "${clip(signature!)}"`, age);
      }
      return fail('signature_mismatch', `none of the ${candidates} ${wanted} signature(s) in ${SIG} matches with this secret`, age);
    },

    inspect(body, headers, secret) {
      const id = headers.get(ID);
      const timestamp = headers.get(TS);
      const signature = headers.get(SIG);
      if (!id || !timestamp || !signature) return null;
      if (typeof secret === 'string' && (secret.startsWith('whpk_') || standardSecretProblem(secret))) return null;
      const presented = signature.split(' ').map((entry) => entry.slice(entry.indexOf(',') + 1));
      return { expected: hmac('sha256', symmetricKey(secret), signedContent(id, timestamp, body)), presented, encoding: 'base64' };
    },
  };
}

export const standardScheme = webhookScheme('webhook');

function signedContent(id: string, timestamp: string, body: Uint8Array): Uint8Array[] {
  return [Buffer.from(`${id}.${timestamp}.`, 'utf8'), body];
}

/**
 * The one rule for Standard Webhooks keys, shared by verify, listen, trigger
 * and the server: after `whsec_` (optional), strict base64 of a non-empty
 * key; `whsk_` holds a 32- or 64-byte ed25519 secret key, `whpk_` a 32-byte
 * public key. Lenient decoding would drop invalid characters and stop at
 * `=`, so a wrong secret could verify. Null when the secret is usable.
 */
export function standardSecretProblem(secret: string): string | null {
  if (secret === '') return 'it is empty';
  const asymmetric = /^wh(sk|pk)_/.exec(secret);
  if (asymmetric) {
    const kind = asymmetric[1] === 'sk' ? 'whsk_ secret key' : 'whpk_ public key';
    const text = secret.slice(5);
    if (!isStrictBase64(text)) return `the ${kind} is not strict base64 after its prefix`;
    const bytes = Buffer.from(text, 'base64').length;
    const sizes = asymmetric[1] === 'sk' ? [32, 64] : [32];
    return sizes.includes(bytes) ? null : `the ${kind} decodes to ${bytes} bytes; an ed25519 key has ${sizes.join(' or ')}`;
  }
  const text = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  if (text === '') return 'nothing follows whsec_';
  if (text !== text.trim()) return 'it has whitespace around it (a trailing newline from a file or an env var?)';
  if (!isStrictBase64(text)) {
    return `${secret.startsWith('whsec_') ? 'the text after whsec_' : 'it'} is not strict base64 (A-Z a-z 0-9 + /, padded with = to a multiple of 4 characters, unused bits of the last character zero)`;
  }
  return null;
}

/** The HMAC key of a checked string secret (base64 after an optional `whsec_`); bytes are the key itself. */
export function symmetricKey(secret: SecretInput): Uint8Array {
  if (typeof secret !== 'string') return secret;
  // A session or a load run signs with one secret thousands of times a second: check and decode it once.
  if (secret === lastDecoded.secret) return lastDecoded.key;
  const problem = standardSecretProblem(secret);
  if (problem) throw new UsageError(`not a Standard Webhooks secret: ${problem}`, 'use the whsec_… secret exactly as the platform shows it');
  lastDecoded = { secret, key: Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64') };
  return lastDecoded.key;
}

let lastDecoded: { secret: string | null; key: Uint8Array } = { secret: null, key: new Uint8Array(0) };

function privateKey(secret: string): KeyObject {
  const problem = standardSecretProblem(secret);
  if (problem) throw new UsageError(`not a Standard Webhooks signing key: ${problem}`, 'a whsk_ key is base64 of a 32-byte ed25519 seed (or 64-byte seed and public key)');
  const raw = Buffer.from(secret.slice('whsk_'.length), 'base64');
  // libsodium-style 64-byte keys are seed || public key; the seed is enough.
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, raw.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
}

function publicKey(secret: string): KeyObject {
  const x = Buffer.from(secret.slice('whpk_'.length), 'base64').toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

/** The `whpk_` public key that verifies what a `whsk_` secret key signs. */
export function publicKeyFor(secretKey: string): string {
  const jwk = createPublicKey(privateKey(secretKey)).export({ format: 'jwk' });
  return `whpk_${Buffer.from(jwk.x!, 'base64url').toString('base64')}`;
}
