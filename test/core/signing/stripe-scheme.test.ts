import { describe, expect, it } from 'vitest';
import { HeaderBag } from '../../../src/core/signing/headers.js';
import { stripeScheme } from '../../../src/core/signing/stripe-scheme.js';

// Computed with: printf '1700000000.%s' BODY | openssl dgst -sha256 -hmac whsec_test_stripe_secret
const SECRET = 'whsec_test_stripe_secret';
const BODY = Buffer.from('{"id":"evt_s1","type":"user.created"}');
const T = 1700000000;
const V1 = '19a62b96cf56931489f48f19506517ebad997bbee167b7416ffcad5353141890';
const check = (value: string, now = T, secret = SECRET) => stripeScheme.verify(BODY, HeaderBag.from({ 'stripe-signature': value }), secret, { now });

describe('stripe scheme', () => {
  it('signs and verifies the computed vector', () => {
    expect(stripeScheme.sign(BODY, SECRET, { id: 'x', timestamp: T })).toEqual({ 'Stripe-Signature': `t=${T},v1=${V1}` });
    expect(check(`t=${T},v1=${V1}`).valid).toBe(true);
  });

  it('uses the secret as is: without its whsec_ prefix it does not match', () => {
    expect(check(`t=${T},v1=${V1}`, T, 'test_stripe_secret').reason).toBe('signature_mismatch');
  });

  it('accepts several v1 signatures and ignores other schemes', () => {
    const decoy = 'a'.repeat(64);
    expect(check(`t=${T},v0=${decoy},v1=${decoy},v1=${V1},foo=bar`).valid).toBe(true);
    expect(check(`t=${T},v0=${V1}`).reason).toBe('malformed_header');
    expect(check(`t=${T},v1=${decoy}`).reason).toBe('signature_mismatch');
  });

  it('refuses old timestamps beyond the tolerance, not newer ones', () => {
    expect(check(`t=${T},v1=${V1}`, T + 301)).toMatchObject({ valid: false, reason: 'timestamp_out_of_tolerance' });
    expect(check(`t=${T},v1=${V1}`, T + 300).valid).toBe(true);
    expect(check(`t=${T},v1=${V1}`, T - 3600).valid).toBe(true);
  });

  it('reports missing and malformed headers', () => {
    expect(stripeScheme.verify(BODY, HeaderBag.from({}), SECRET, { now: T }).reason).toBe('missing_header');
    expect(check(`v1=${V1}`).reason).toBe('malformed_header');
    expect(check(`t=17x,v1=${V1}`).reason).toBe('malformed_header');
    expect(check(`t=${T},v1=${V1.slice(0, 40)}`).reason).toBe('malformed_header');
    expect(check(`t=${T},v1=${'z'.repeat(64)}`).reason).toBe('malformed_header');
  });
});
