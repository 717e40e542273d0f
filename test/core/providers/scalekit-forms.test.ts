import { describe, expect, it } from 'vitest';
import { deliveryHeaders } from '../../../src/core/providers/outgoing.js';
import { detectProvider, getProvider } from '../../../src/core/providers/registry.js';
import { verifyDelivery } from '../../../src/core/providers/verification.js';
import { HeaderBag } from '../../../src/core/signing/headers.js';

/** Scalekit's two forms: seed 003's (x-scalekit-signature) and today's (Standard Webhooks), told apart by verify and listen. */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const now = () => Math.floor(Date.now() / 1000);

function delivery(provider: string, type: string) {
  const profile = getProvider(provider);
  const built = profile.catalog.build(type);
  return { body: built.body, headers: deliveryHeaders(profile, built.body, SECRET, { id: built.id, type, attempt: 1, timestamp: now() }) };
}

describe('Scalekit in both forms', () => {
  it('auto-detection reads each form as its own provider, and other Standard Webhooks bodies as standard', () => {
    const today = delivery('scalekit-standard', 'user.signup');
    expect(detectProvider(HeaderBag.from(today.headers), [], today.body)?.id).toBe('scalekit-standard');
    const seed = delivery('scalekit', 'user.authenticated');
    expect(detectProvider(HeaderBag.from(seed.headers), [], seed.body)?.id).toBe('scalekit');
    const generic = delivery('standard', 'user.created');
    expect(detectProvider(HeaderBag.from(generic.headers), [], generic.body)?.id).toBe('standard');
    // Without a body to read, a Standard Webhooks signature is standard's.
    expect(detectProvider(HeaderBag.from(today.headers))?.id).toBe('standard');
    expect(verifyDelivery({ provider: 'auto', body: today.body, headers: today.headers, secret: SECRET })).toMatchObject({ valid: true, provider: 'scalekit-standard' });
  });

  it('verify --provider scalekit on a delivery of the current form names scalekit-standard', () => {
    const today = delivery('scalekit-standard', 'organization.created');
    const report = verifyDelivery({ provider: 'scalekit', body: today.body, headers: today.headers, secret: SECRET });
    expect(report.valid).toBe(false);
    expect(report.hints).toContainEqual({ code: 'wrong_provider', message: expect.stringContaining('use --provider scalekit-standard') });
    const seed = delivery('scalekit', 'user.created');
    const back = verifyDelivery({ provider: 'scalekit-standard', body: seed.body, headers: seed.headers, secret: SECRET });
    expect(back.hints).toContainEqual({ code: 'wrong_provider', message: expect.stringContaining('use --provider scalekit') });
  });
});
