import { describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { verifyDelivery } from '../../../src/core/providers/verification.js';
import { runCli } from '../../helpers/cli.js';

/** Deliveries the new platforms' receivers must refuse, each with the verdict and hint a person needs. */
const signed = (provider: string, type: string, secret: string, opts: { now?: number } = {}) => {
  const profile = getProvider(provider);
  const event = profile.catalog.build(type);
  const headers = profile.scheme.sign(event.body, secret, { id: event.id, timestamp: opts.now ?? Math.floor(Date.now() / 1000) });
  return { body: event.body, headers };
};
const hintCodes = (r: { hints: Array<{ code: string }> }) => r.hints.map((h) => h.code);

describe('bad input for the platforms beyond the seeds', () => {
  it('a Clerk delivery checked with a WorkOS secret gets a clear verdict, still read as clerk', () => {
    const d = signed('clerk', 'user.created', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    const r = verifyDelivery({ provider: 'auto', ...d, secret: getProvider('workos').newSecret() });
    expect(r).toMatchObject({ valid: false, provider: 'clerk' });
    expect(['signature_mismatch', 'invalid_secret']).toContain(r.reason);
  });

  it('an Okta delivery without the expected Authorization is refused, and a "Bearer " mix-up is named', () => {
    const d = signed('okta', 'user.lifecycle.create', 'okta-secret-value-123');
    expect(verifyDelivery({ provider: 'okta', body: d.body, headers: {}, secret: 'okta-secret-value-123' })).toMatchObject({ valid: false, reason: 'missing_header' });
    expect(verifyDelivery({ provider: 'okta', body: d.body, headers: { authorization: 'something-else' }, secret: 'okta-secret-value-123' })).toMatchObject({ valid: false, reason: 'signature_mismatch' });
    const bearer = verifyDelivery({ provider: 'okta', body: d.body, headers: { authorization: 'Bearer okta-secret-value-123' }, secret: 'okta-secret-value-123' });
    expect(bearer.valid).toBe(false);
    expect(hintCodes(bearer)).toContain('authorization_format');
  });

  it('tells Okta from Auth0 by the body, since both send a bare Authorization header', () => {
    expect(verifyDelivery({ provider: 'auto', ...signed('okta', 'user.session.start', 'shared-secret-1'), secret: 'shared-secret-1' })).toMatchObject({ valid: true, provider: 'okta' });
    expect(verifyDelivery({ provider: 'auto', ...signed('auth0', 'f', 'shared-secret-1'), secret: 'shared-secret-1' })).toMatchObject({ valid: true, provider: 'auth0' });
  });

  it('a FusionAuth JWT whose body hash does not match is refused with a hint', () => {
    const d = signed('fusionauth', 'user.create', 'fa-hmac-secret-000');
    const tampered = Buffer.from(d.body.toString().replace('"user.create"', '"user.delete"'));
    const r = verifyDelivery({ provider: 'fusionauth', body: tampered, headers: d.headers, secret: 'fa-hmac-secret-000' });
    expect(r).toMatchObject({ valid: false, reason: 'signature_mismatch' });
    expect(r.message).toContain('request_body_sha256');
    expect(hintCodes(r)).toContain('body_hash');
  });

  it('a re-serialized body is diagnosed for WorkOS, Clerk and FusionAuth', () => {
    for (const [provider, type, secret] of [['workos', 'user.created', 'wk-secret-abcdef'], ['clerk', 'user.created', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], ['fusionauth', 'user.create', 'fa-hmac-secret-000']] as const) {
      const d = signed(provider, type, secret);
      const pretty = Buffer.from(JSON.stringify(JSON.parse(d.body.toString()), null, 2));
      const r = verifyDelivery({ provider, body: pretty, headers: d.headers, secret });
      expect(r.valid, provider).toBe(false);
      expect(hintCodes(r), provider).toContain('body_reserialized');
    }
  });

  it('WorkOS: a timestamp in seconds instead of milliseconds is named as such', () => {
    const d = signed('workos', 'user.created', 'wk-secret-abcdef');
    const seconds = d.headers['WorkOS-Signature']!.replace(/t=(\d+)\d{3},/, 't=$1,');
    const r = verifyDelivery({ provider: 'workos', body: d.body, headers: { 'workos-signature': seconds }, secret: 'wk-secret-abcdef' });
    expect(r.valid).toBe(false);
    expect(hintCodes(r)).toContain('timestamp_unit');
  });

  it('WorkOS refuses a delivery older than its 180 s tolerance, and says the signature itself matches', () => {
    const d = signed('workos', 'user.created', 'wk-secret-abcdef', { now: Math.floor(Date.now() / 1000) - 600 });
    const r = verifyDelivery({ provider: 'workos', ...d, secret: 'wk-secret-abcdef' });
    expect(r).toMatchObject({ valid: false, reason: 'timestamp_out_of_tolerance' });
    expect(r.message).toContain('tolerance 3 min');
    expect(r.message).toContain('the signature itself matches');
  });

  it('hooks verify takes an Auth0 delivery on stdin and exits 1 with the reason when the token is wrong', async () => {
    const d = signed('auth0', 's', 'right-token-123');
    const r = await runCli(['verify', '--provider', 'auth0', '--secret', 'wrong-token-123', '--header', `Authorization: ${d.headers.Authorization}`, '--json'], { input: d.body.toString() });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, provider: 'auth0', reason: 'signature_mismatch' });
    const none = await runCli(['verify', '--provider', 'auth0', '--header', 'Authorization: x'], { input: '[]', env: { HOOKS_SECRET: undefined } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--jwks');
  });

  it('--batch is refused for a platform that sends one event a delivery, and without --to', async () => {
    const one = await runCli(['trigger', 'user.created', '--provider', 'clerk', '--to', '3999', '--secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '--batch', '5']);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('providers that batch: auth0');
  });
});
