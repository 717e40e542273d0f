import { createHash, createHmac, createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { Hint } from './diagnosis.js';
import { safeEqual, type SecretInput } from './hmac.js';
import { keyMaterialKind } from './key-material.js';
import { clip } from './hmac-scheme.js';
import { fail, formatSeconds, nowSeconds, ok, type SignatureScheme, type VerifyOptions, type VerifyResult } from './scheme.js';

/**
 * A JWT in a header whose `request_body_sha256` claim is the base64 SHA-256
 * of the raw body (FusionAuth's webhook signing). The JWT is signed with an
 * HMAC key (HS256) or a private key (RS256, ES256); it is checked with the
 * same HMAC key, or with the public key: a PEM, a JWK or a JWKS.
 */
const HMAC_ALGS = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;
const ASYMMETRIC_ALGS = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' } as const;
/** Seconds of clock skew allowed on `exp` and `nbf` (VerifyOptions.tolerance overrides it); jose allows none by default. */
export const JWT_CLOCK_SKEW_S = 60;

type Keys = { kind: 'hmac'; secret: Buffer } | { kind: 'public'; keys: Array<{ kid: string; key: KeyObject }> };

export function jwtBodyHashScheme(header: string, platform: string): SignatureScheme {
  const scheme: SignatureScheme = {
    description: `${platform}: a JWT in ${header} (HS256 with an HMAC key, or RS256/ES256 with a private key) whose request_body_sha256 claim is the base64 SHA-256 of the raw body`,
    signatureHeader: header,
    headers: [header],
    multiSignature: false,
    secretForms: () => [],
    validateSecret: (secret) => {
      try {
        readKeys(secret);
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    },
    secretFormat: 'an HMAC key (text), a PEM private or public key, a JWK, or a JWKS ({"keys": [...]})',

    sign(body, secrets) {
      const secret = text(Array.isArray(secrets) ? secrets[0]! : secrets);
      const claims = { request_body_sha256: bodyHash(body) };
      if (!isKeyText(secret)) return { [header]: jwt({ alg: 'HS256', typ: 'JWT' }, claims, (input) => createHmac('sha256', secret).update(input).digest()) };
      const key = privateKey(secret);
      const alg = key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
      const header_ = { alg, typ: 'JWT', kid: keyId(createPublicKey(key)) };
      return { [header]: jwt(header_, claims, (input) => cryptoSign('sha256', input, alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key)) };
    },

    verify(body, headers, secret, opts) {
      const checked = checkJwt(headers.get(header), text(secret), header, opts);
      if ('valid' in checked) return checked;
      if (!safeEqual(Buffer.from(checked.claim), Buffer.from(bodyHash(body)))) {
        return fail('signature_mismatch', `the JWT in ${header} is valid, but its request_body_sha256 is not the SHA-256 of these bytes: the body changed after it was signed`);
      }
      return ok(`the JWT in ${header} is valid (${checked.alg}${checked.kid ? `, kid ${checked.kid}` : ''}) and its request_body_sha256 matches the body`);
    },

    publicJwk: (secret) => (isPrivateKeyPem(secret) ? publicJwk(secret) : null),

    explain(body, headers, secret, opts): Hint[] {
      const value = headers.get(header);
      const parts = value?.split('.');
      if (!parts || parts.length !== 3) return [];
      const jose = decodeJson(parts[0]!);
      const checked = checkJwt(value, secret, header, opts);
      if (!('valid' in checked) && checked.claim !== bodyHash(body)) {
        return [{ code: 'body_hash', message: `the JWT's signature is valid but request_body_sha256 does not match: verify the raw bytes (express.raw()), and hash them as received` }];
      }
      let keys: Keys;
      try {
        keys = readKeys(secret);
      } catch {
        return [];
      }
      const kid = typeof jose?.kid === 'string' ? jose.kid : null;
      if (keys.kind === 'public' && kid && !keys.keys.some((k) => k.kid === kid)) {
        return [{ code: 'key_id', message: `the JWT names kid ${clip(kid, 40)}, which is not among the keys given (${keys.keys.map((k) => k.kid).join(', ') || 'none'}): fetch the current JWKS or use the key the platform signs with` }];
      }
      if (keys.kind === 'hmac' && typeof jose?.alg === 'string' && jose.alg in ASYMMETRIC_ALGS) {
        return [{ code: 'key_id', message: `the JWT is signed with ${jose.alg} (a private key): verify it with the public key or the JWKS, not an HMAC secret` }];
      }
      return [];
    },
  };
  return scheme;
}

/**
 * The JWT's algorithm, key id and body-hash claim once it checks out as jose
 * checks one (RFC 7515, 7519), or why not: no `crit` extension (none is
 * understood here), the signature in its one base64url spelling and valid,
 * then `exp` and `nbf` when present, with JWT_CLOCK_SKEW_S of skew.
 */
function checkJwt(value: string | undefined, secret: string, header: string, opts?: VerifyOptions): { alg: string; kid: string | null; claim: string } | VerifyResult {
  if (value === undefined) return fail('missing_header', `no ${header} header`);
  const parts = value.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return fail('malformed_header', `${header} is not a compact JWT (three base64url parts): "${clip(value)}"`);
  const jose = decodeJson(parts[0]!);
  const claims = decodeJson(parts[1]!);
  if (!jose || typeof jose.alg !== 'string') return fail('malformed_header', `the JWT in ${header} has no readable header with an alg`);
  if (!claims || typeof claims.request_body_sha256 !== 'string') return fail('malformed_header', `the JWT in ${header} has no request_body_sha256 claim`);
  if (jose.crit !== undefined) {
    const named = Array.isArray(jose.crit) ? jose.crit.filter((c): c is string => typeof c === 'string').map((c) => clip(c, 40)).join(', ') : '';
    return fail('malformed_header', `the JWT in ${header} marks ${named || 'an invalid crit list'} critical: an extension this verifier does not understand must be refused (RFC 7515 §4.1.11)`);
  }
  // Base64url decoding drops bits past the last byte: two spellings would verify as one signature.
  if (Buffer.from(parts[2]!, 'base64url').toString('base64url') !== parts[2]) return fail('malformed_header', `the JWT's signature in ${header} is not canonical base64url (bits past its last byte are set)`);
  const alg = jose.alg;
  const kid = typeof jose.kid === 'string' ? jose.kid : null;
  let keys: Keys;
  try {
    keys = readKeys(secret);
  } catch (err) {
    return fail('invalid_secret', (err as Error).message);
  }
  const input = Buffer.from(`${parts[0]}.${parts[1]}`, 'utf8');
  const signature = Buffer.from(parts[2]!, 'base64url');
  // The key decides the algorithm family: an HMAC secret never checks an RS/ES token and a public key never an HS one.
  if (keys.kind === 'hmac') {
    const hash = HMAC_ALGS[alg as keyof typeof HMAC_ALGS];
    if (!hash) return fail('signature_mismatch', `the JWT is signed with ${clip(alg, 20)}, and an HMAC secret checks only HS256, HS384 or HS512`);
    if (!safeEqual(signature, createHmac(hash, keys.secret).update(input).digest())) return fail('signature_mismatch', `the JWT in ${header} is not signed with this secret`);
    return checkTimes(claims, header, opts) ?? { alg, kid, claim: claims.request_body_sha256 };
  }
  const hash = ASYMMETRIC_ALGS[alg as keyof typeof ASYMMETRIC_ALGS];
  if (!hash) return fail('signature_mismatch', `the JWT is signed with ${clip(alg, 20)}, and a public key checks only RS256/384/512 or ES256/384/512`);
  const candidates = kid ? keys.keys.filter((k) => k.kid === kid) : keys.keys;
  if (candidates.length === 0) return fail('signature_mismatch', `the JWT names kid ${clip(kid ?? '', 40)}, and no key given has that id`);
  const matches = candidates.some(({ key }) => {
    const family = alg.startsWith('ES') ? 'ec' : 'rsa';
    if (key.asymmetricKeyType !== family) return false;
    return cryptoVerify(hash, input, family === 'ec' ? { key, dsaEncoding: 'ieee-p1363' } : key, signature);
  });
  if (!matches) return fail('signature_mismatch', `the JWT in ${header} is not signed by ${candidates.length === 1 ? 'this key' : `any of the ${candidates.length} keys given`}`);
  return checkTimes(claims, header, opts) ?? { alg, kid, claim: claims.request_body_sha256 };
}

/** `exp` and `nbf`, when the JWT has them: numbers of unix seconds, now within them give or take the skew; null when fine. */
function checkTimes(claims: Record<string, unknown>, header: string, opts?: VerifyOptions): VerifyResult | null {
  const now = nowSeconds(opts);
  const skew = opts?.tolerance ?? JWT_CLOCK_SKEW_S;
  for (const name of ['exp', 'nbf'] as const) {
    const at = claims[name];
    if (at !== undefined && (typeof at !== 'number' || !Number.isFinite(at))) return fail('malformed_header', `the JWT in ${header} has an ${name} claim that is not a number of seconds`);
  }
  const { exp, nbf } = claims as { exp?: number; nbf?: number };
  if (exp !== undefined && exp <= now - skew) return fail('timestamp_out_of_tolerance', `the JWT in ${header} expired ${formatSeconds(Math.round(now - exp))} ago (exp ${exp}; ${skew} s of clock skew allowed)`, Math.round(now - exp));
  if (nbf !== undefined && nbf > now + skew) return fail('timestamp_out_of_tolerance', `the JWT in ${header} is not valid for another ${formatSeconds(Math.round(nbf - now))} (nbf ${nbf}; ${skew} s of clock skew allowed)`, Math.round(now - nbf));
  return null;
}

/** An HMAC secret, or the public keys a PEM, a JWK or a JWKS holds. */
function readKeys(secret: string): Keys {
  const trimmed = secret.trim();
  if (trimmed === '') throw new Error('it is empty');
  if (trimmed.startsWith('-----BEGIN')) {
    const isPrivate = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed);
    let key: KeyObject;
    try {
      key = isPrivate ? createPublicKey(createPrivateKey(trimmed)) : createPublicKey(trimmed);
    } catch (err) {
      throw new Error(`the PEM key cannot be read: ${(err as Error).message}`);
    }
    return { kind: 'public', keys: [{ kid: keyId(key), key }] };
  }
  if (trimmed.startsWith('{')) {
    let parsed: { keys?: unknown[]; kty?: unknown; kid?: unknown };
    try {
      parsed = JSON.parse(trimmed) as typeof parsed;
    } catch {
      throw new Error('it starts with "{" but is not JSON (a JWK or a JWKS)');
    }
    const list = Array.isArray(parsed.keys) ? parsed.keys : [parsed];
    const keys = list.flatMap((jwk) => {
      try {
        const key = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
        const kid = (jwk as { kid?: unknown }).kid;
        return [{ kid: typeof kid === 'string' ? kid : keyId(key), key }];
      } catch {
        return [];
      }
    });
    if (keys.length === 0) throw new Error('the JWK/JWKS holds no usable RSA or EC public key');
    return { kind: 'public', keys };
  }
  // Any other key (an ed25519 whpk_) is no HMAC key either: its public half would sign HS256 for anyone.
  const kind = keyMaterialKind(trimmed);
  if (kind) throw new Error(`it is ${kind}, which verifies no JWT: give the platform's HMAC key, PEM or JWKS`);
  return { kind: 'hmac', secret: Buffer.from(secret, 'utf8') };
}

function isKeyText(secret: string): boolean {
  return secret.trim().startsWith('-----BEGIN');
}

function privateKey(secret: string): KeyObject {
  try {
    return createPrivateKey(secret.trim());
  } catch (err) {
    throw new UsageError(`cannot sign with this key: ${(err as Error).message}`, 'signing needs the PEM private key (PKCS#8 or PKCS#1/SEC1); a public key or JWKS only verifies');
  }
}

/** RFC 7638 thumbprint: a key id any party can compute from the public key alone. */
export function keyId(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** The public JWK (with its kid and use) of a PEM private key, for a JWKS. */
export function publicJwk(privatePem: string): Record<string, string> {
  const key = createPublicKey(createPrivateKey(privatePem.trim()));
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  return { ...jwk, kid: keyId(key), use: 'sig', alg: key.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256' };
}

export function isPrivateKeyPem(secret: string): boolean {
  return /^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(secret.trim());
}

export function bodyHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64');
}

function jwt(header: object, claims: object, signer: (input: Buffer) => Buffer): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${signer(Buffer.from(input, 'utf8')).toString('base64url')}`;
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const text = (secret: SecretInput): string => (typeof secret === 'string' ? secret : Buffer.from(secret).toString('utf8'));
