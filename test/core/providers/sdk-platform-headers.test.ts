import { describe, expect, it } from 'vitest';
import { deliveryHeaders } from '../../../src/core/providers/outgoing.js';
import { getProvider } from '../../../src/core/providers/registry.js';
import { version } from '../../../src/core/version.js';

/**
 * The headers Clerk (through Svix), WorkOS and FusionAuth deliveries carry,
 * as the one place that builds them (emulator, trigger --to, audit) makes them.
 */
const facts = { id: 'msg_2g7np7Hrk0SN6kj5EDMLDaKNL0S', type: 'user.created', attempt: 1, timestamp: 1_780_000_000 };
const body = Buffer.from('{"type":"user.created"}');

describe('delivery headers of the SDK platforms', () => {
  it("clerk: Svix's user agent (Svix-Webhooks/<version>, with its http-sender page) and the three svix- headers", () => {
    const h = deliveryHeaders(getProvider('clerk'), body, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', facts);
    expect(h['user-agent']).toMatch(/^Svix-Webhooks\/\d+\.\d+\.\d+ \(sender-\w+; \+https:\/\/www\.svix\.com\/http-sender\/\)$/);
    expect(h).toMatchObject({ 'content-type': 'application/json', 'svix-id': facts.id, 'svix-timestamp': String(facts.timestamp), 'svix-signature': expect.stringMatching(/^v1,/) });
  });

  it('workos and fusionauth document no user agent: hooks says who it is, beside the signature header', () => {
    const w = deliveryHeaders(getProvider('workos'), body, 'wk-secret-abcdef', facts);
    expect(Object.keys(w).map((k) => k.toLowerCase()).sort()).toEqual(['content-type', 'user-agent', 'workos-signature']);
    expect(w['user-agent']).toBe(`hooks/${version}`);
    const f = deliveryHeaders(getProvider('fusionauth'), body, 'fa-hmac-secret-000', facts);
    expect(f['user-agent']).toBe(`hooks/${version}`);
    expect(Object.keys(f).map((k) => k.toLowerCase()).sort()).toEqual(['content-type', 'user-agent', 'x-fusionauth-signature-jwt']);
  });
});
