import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HeaderBag } from '../../../src/core/signing/headers.js';
import { publicKeyFor, standardScheme } from '../../../src/core/signing/standard-scheme.js';

// The "sign function works" vector of the Standard Webhooks libraries.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const BODY = Buffer.from('{"test": 2432232314}');
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

const headers = (over: Record<string, string | undefined> = {}) =>
  HeaderBag.from({ 'webhook-id': ID, 'webhook-timestamp': String(TS), 'webhook-signature': SIGNATURE, ...over });
const verify = (h: HeaderBag, opts: { secret?: string; now?: number; body?: Buffer } = {}) =>
  standardScheme.verify(opts.body ?? BODY, h, opts.secret ?? SECRET, { now: opts.now ?? TS });

describe('standard webhooks scheme', () => {
  it('signs the published vector', () => {
    expect(standardScheme.sign(BODY, SECRET, { id: ID, timestamp: TS })['webhook-signature']).toBe(SIGNATURE);
  });

  it('verifies the published vector, with and without the whsec_ prefix', () => {
    expect(verify(headers()).valid).toBe(true);
    expect(verify(headers(), { secret: SECRET.slice(6) }).valid).toBe(true);
  });

  it('reads header names case-insensitively', () => {
    const h = HeaderBag.from({ 'Webhook-Id': ID, 'WEBHOOK-TIMESTAMP': String(TS), 'Webhook-Signature': SIGNATURE });
    expect(verify(h).valid).toBe(true);
  });

  it('accepts any valid signature in a space-separated list and ignores unknown versions', () => {
    const decoy = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    const list = [decoy, 'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', SIGNATURE, decoy].join(' ');
    expect(verify(headers({ 'webhook-signature': list })).valid).toBe(true);
  });

  it('refuses a list of decoys only', () => {
    const r = verify(headers({ 'webhook-signature': 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,abc' }));
    expect(r).toMatchObject({ valid: false, reason: 'signature_mismatch' });
  });

  it('treats a header with only unknown versions as malformed', () => {
    expect(verify(headers({ 'webhook-signature': 'v9,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' })).reason).toBe('malformed_header');
  });

  it.each([
    ['webhook-id'],
    ['webhook-timestamp'],
    ['webhook-signature'],
  ])('reports a missing %s', (name) => {
    expect(verify(headers({ [name]: undefined })).reason).toBe('missing_header');
  });

  it.each(['1614265330abc', 'hello', '', '1614265330.5', '-1614265330', ' 1614265330'])('refuses the malformed timestamp %j', (ts) => {
    const r = verify(headers({ 'webhook-timestamp': ts }));
    expect(r.valid).toBe(false);
    expect(['malformed_header', 'missing_header']).toContain(r.reason);
  });

  it('refuses truncated, empty and non-base64 signatures', () => {
    expect(verify(headers({ 'webhook-signature': SIGNATURE.slice(0, 8) })).valid).toBe(false);
    expect(verify(headers({ 'webhook-signature': 'v1,' })).reason).toBe('malformed_header');
    expect(verify(headers({ 'webhook-signature': 'v1,dawfeoifkpqwoekfpqoekf' })).valid).toBe(false);
    expect(verify(headers({ 'webhook-signature': 'v1,!!!!' })).reason).toBe('malformed_header');
  });

  it('holds a 300 s tolerance in both directions', () => {
    expect(verify(headers(), { now: TS + 300 }).valid).toBe(true);
    expect(verify(headers(), { now: TS - 300 }).valid).toBe(true);
    expect(verify(headers(), { now: TS + 301 })).toMatchObject({ valid: false, reason: 'timestamp_out_of_tolerance', ageSeconds: 301 });
    expect(verify(headers(), { now: TS - 301 })).toMatchObject({ valid: false, reason: 'timestamp_out_of_tolerance', ageSeconds: -301 });
  });

  it('fails with the wrong secret or a changed body', () => {
    expect(verify(headers(), { secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }).reason).toBe('signature_mismatch');
    expect(verify(headers(), { body: Buffer.from('{"test": 2432232315}') }).reason).toBe('signature_mismatch');
  });

  it('signs and verifies bodies that are not valid UTF-8', () => {
    const body = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x7b]);
    const signed = standardScheme.sign(body, SECRET, { id: ID, timestamp: TS });
    expect(standardScheme.verify(body, HeaderBag.from(signed), SECRET, { now: TS }).valid).toBe(true);
    expect(standardScheme.verify(Buffer.from(body.toString('utf8')), HeaderBag.from(signed), SECRET, { now: TS }).valid).toBe(false);
  });

  it('signs with every secret during rotation, and each verifies', () => {
    const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const signed = standardScheme.sign(BODY, [other, SECRET], { id: ID, timestamp: TS });
    expect(signed['webhook-signature'].split(' ')).toHaveLength(2);
    expect(standardScheme.verify(BODY, HeaderBag.from(signed), SECRET, { now: TS }).valid).toBe(true);
    expect(standardScheme.verify(BODY, HeaderBag.from(signed), other, { now: TS }).valid).toBe(true);
  });

  it('signs v1a with a whsk_ key and verifies with the whpk_ public key', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    const sk = `whsk_${seed.toString('base64')}`;
    const pk = publicKeyFor(sk);
    const signed = standardScheme.sign(BODY, sk, { id: ID, timestamp: TS });
    expect(signed['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(standardScheme.verify(BODY, HeaderBag.from(signed), pk, { now: TS }).valid).toBe(true);
    expect(standardScheme.verify(Buffer.from('{}'), HeaderBag.from(signed), pk, { now: TS }).reason).toBe('signature_mismatch');
    // A v1 (HMAC) signature is not looked at when verifying with a public key.
    expect(standardScheme.verify(BODY, headers(), pk, { now: TS }).reason).toBe('malformed_header');
  });
});
