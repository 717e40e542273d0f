import { createHash, createHmac } from 'node:crypto';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { HeaderBag } from '../../../src/core/signing/headers.js';

/**
 * Issue #29 item 7: FusionAuth's JWT is checked as jose checks one: `exp`
 * and `nbf` when present (with a small stated skew), an unknown `crit`
 * refused, and the signature in its one canonical base64url spelling.
 */
const scheme = getProvider('fusionauth').scheme;
const KEY = 'fusionauth-hmac-key-0123456789abcdef';
const BODY = Buffer.from('{"event":{"type":"user.create","id":"e1"}}');
const now = Math.floor(Date.now() / 1000);
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

function token(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64({ request_body_sha256: createHash('sha256').update(BODY).digest('base64'), ...claims })}`;
  return `${input}.${createHmac('sha256', KEY).update(input).digest('base64url')}`;
}
const ours = (jwt: string) => scheme.verify(BODY, HeaderBag.from({ 'X-FusionAuth-Signature-JWT': jwt }), KEY);
const jose = async (jwt: string) => jwtVerify(jwt, new TextEncoder().encode(KEY)).then(() => true, () => false);

describe('the FusionAuth JWT, checked as jose checks it', () => {
  it.each([
    ['no time claims', {}, {}],
    ['exp in an hour', { exp: now + 3600 }, {}],
    ['nbf an hour ago', { nbf: now - 3600 }, {}],
  ])('accepts %s, as jose does', async (_name, claims, header) => {
    const jwt = token(claims, header);
    expect(await jose(jwt)).toBe(true);
    expect(ours(jwt)).toMatchObject({ valid: true });
  });

  it.each([
    ['exp an hour ago', { exp: now - 3600 }, {}, 'timestamp_out_of_tolerance'],
    ['nbf in an hour', { nbf: now + 3600 }, {}, 'timestamp_out_of_tolerance'],
    ['exp that is not a number', { exp: 'tomorrow' }, {}, 'malformed_header'],
    ['an unknown crit header', {}, { crit: ['https://example.com/x'], 'https://example.com/x': 1 }, 'malformed_header'],
    ['an empty crit', {}, { crit: [] }, 'malformed_header'],
  ])('refuses %s, as jose does', async (_name, claims, header, reason) => {
    const jwt = token(claims, header);
    expect(await jose(jwt)).toBe(false);
    expect(ours(jwt)).toMatchObject({ valid: false, reason });
  });

  it('allows 60 s of clock skew on exp and nbf, and says so', () => {
    expect(ours(token({ exp: now - 30 }))).toMatchObject({ valid: true });
    expect(ours(token({ nbf: now + 30 }))).toMatchObject({ valid: true });
    expect(ours(token({ exp: now - 120 })).message).toMatch(/60 s/);
  });

  it('refuses a signature that is not in its canonical base64url spelling (a flipped unused bit)', () => {
    const jwt = token();
    const [head, claims, signature] = jwt.split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes are 43 characters: the last one carries 4 bits of the MAC and 2 that decode to nothing.
    const last = alphabet.indexOf(signature.at(-1)!);
    const flipped = `${signature.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(flipped, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    expect(ours(`${head}.${claims}.${flipped}`)).toMatchObject({ valid: false, reason: 'malformed_header' });
    expect(ours(jwt)).toMatchObject({ valid: true });
  });
});
