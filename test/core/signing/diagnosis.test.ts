import { describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../../src/core/providers/verification.js';
import { getProvider } from '../../../src/core/providers/registry.js';

const NOW = 1_700_000_000;
const body = Buffer.from('{"id":"evt_1","type":"user.created","data":{"user":{"email":"a@b.c","tags":["x","y"]}}}');
const sign = (provider: string, secret: string, bytes: Buffer = body) =>
  getProvider(provider).scheme.sign(bytes, secret, { id: 'msg_1', timestamp: NOW });
const hintCodes = (provider: string, headers: Record<string, string>, secret: string, bytes: Buffer = body) => {
  const report = verifyDelivery({ provider, body: bytes, headers, secret, now: NOW });
  expect(report.valid).toBe(false);
  return report.hints.map((h) => h.code);
};

describe('diagnosis of invalid signatures', () => {
  it('finds a pretty-printed (re-serialized) body', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(hintCodes('ithbat', sign('ithbat', 's1'), 's1', pretty)).toContain('body_reserialized');
    expect(hintCodes('standard', sign('standard', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0'), 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', pretty)).toContain('body_reserialized');
  });

  it('finds a body signed pretty and received minified', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(hintCodes('github', sign('github', 's1', pretty), 's1', body)).toContain('body_reserialized');
  });

  it('finds a lost or added trailing newline and CRLF changes', () => {
    expect(hintCodes('lmif', sign('lmif', 's', Buffer.concat([body, Buffer.from('\n')])), 's', body)).toContain('newline_changed');
    expect(hintCodes('lmif', sign('lmif', 's'), 's', Buffer.concat([body, Buffer.from('\r\n')]))).toContain('newline_changed');
    const multi = Buffer.from('line one\nline two\n');
    expect(hintCodes('scalekit', sign('scalekit', 's', multi), 's', Buffer.from('line one\r\nline two\r\n'))).toContain('newline_changed');
  });

  it('never points at a provider that signs exactly as this one: it would fail the same way (standard and scalekit-standard)', () => {
    const secret = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0';
    const stale = verifyDelivery({ provider: 'standard', body, headers: sign('standard', secret), secret, now: NOW + 3600 });
    expect(stale.reason).toBe('timestamp_out_of_tolerance');
    expect(stale.hints.map((h) => h.code)).not.toContain('wrong_provider');
  });

  it('finds whitespace around the secret', () => {
    expect(hintCodes('intelliauth', sign('intelliauth', 'abc123'), 'abc123\n')).toContain('secret_whitespace');
  });

  it('finds a whsec_ prefix used, dropped or decoded wrongly', () => {
    expect(hintCodes('stripe', sign('stripe', 'whsec_abc'), 'abc')).toContain('secret_encoding');
    expect(hintCodes('ithbat', sign('ithbat', 'abc'), 'whsec_abc')).toContain('secret_encoding');
    const key = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    // The sender used the text itself as the HMAC key instead of the decoded bytes.
    const standardWithTextKey = getProvider('standard').scheme.sign(body, Buffer.from(key), { id: 'msg_1', timestamp: NOW });
    expect(hintCodes('standard', standardWithTextKey, key)).toContain('secret_encoding');
    // A platform secret that is base64 and was decoded by the sender.
    const b64 = 'c2VjcmV0LWJ5dGVz';
    const decodedKeyed = getProvider('ithbat').scheme.sign(body, Buffer.from(b64, 'base64'), { id: 'x', timestamp: NOW });
    expect(hintCodes('ithbat', decodedKeyed, b64)).toContain('secret_encoding');
  });

  it('finds a digest sent as base64 where hex is expected', () => {
    const hex = sign('ithbat', 's')['X-Ithbat-Signature']!.slice(7);
    const b64 = Buffer.from(hex, 'hex').toString('base64');
    expect(hintCodes('ithbat', { 'X-Ithbat-Signature': `sha256=${b64}` }, 's')).toContain('encoding_mismatch');
  });

  it('finds another provider whose scheme matches', () => {
    expect(hintCodes('asgardeo', sign('github', 's'), 's')).toContain('wrong_provider');
    // IntelliAuth's bare hex inside Ithbat's header.
    const bare = sign('intelliauth', 's')['X-IntelliAuth-Signature']!;
    expect(hintCodes('ithbat', { 'X-Ithbat-Signature': bare }, 's')).toContain('wrong_provider');
  });

  it('says how far out of tolerance a timestamp is and whether the signature matches', () => {
    const r = verifyDelivery({ provider: 'standard', body, headers: sign('standard', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0'), secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', now: NOW + 3600 });
    expect(r.reason).toBe('timestamp_out_of_tolerance');
    expect(r.message).toContain('60 min old');
    expect(r.message).toContain('the signature itself matches: this is a replay of an old delivery');
    // A timestamp in the future is no replay: the clocks differ.
    const ahead = verifyDelivery({ provider: 'standard', body, headers: sign('standard', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0'), secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', now: NOW - 3600 });
    expect(ahead.message).toContain('in the future');
    expect(ahead.message).toContain("the sender's clock is ahead");
    expect(ahead.message).not.toContain('replay');
  });

  it('gives no hint when the secret is simply wrong', () => {
    expect(hintCodes('ithbat', sign('ithbat', 'right'), 'wrong')).toEqual([]);
  });

  it('detects the provider from the headers with auto', () => {
    for (const id of ['ithbat', 'intelliauth', 'asgardeo', 'scalekit', 'lmif', 'standard', 'github', 'stripe']) {
      const secret = id === 'standard' ? 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0' : 'secret';
      const r = verifyDelivery({ provider: 'auto', body, headers: sign(id, secret), secret, now: NOW });
      expect(r, id).toMatchObject({ valid: true, provider: id });
    }
    expect(verifyDelivery({ provider: 'auto', body, headers: { 'content-type': 'application/json' }, secret: 's' })).toMatchObject({ valid: false, provider: null, reason: 'missing_header' });
  });
});

describe('diagnosis picks the simplest explanation', () => {
  it('blames an added trailing newline, not re-serialization', () => {
    const signedBody = Buffer.from('{"test": 2432232314}');
    const headers = getProvider('github').scheme.sign(signedBody, 's', { id: 'x', timestamp: NOW });
    const r = verifyDelivery({ provider: 'github', body: Buffer.from('{"test": 2432232314}\n'), headers, secret: 's', now: NOW });
    expect(r.hints.map((h) => h.code)).toEqual(['newline_changed']);
  });
});
