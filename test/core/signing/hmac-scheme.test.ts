import { describe, expect, it } from 'vitest';
import { HeaderBag } from '../../../src/core/signing/headers.js';
import { hmacScheme } from '../../../src/core/signing/hmac-scheme.js';

const github = hmacScheme({ signatureHeader: 'X-Hub-Signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', template: '{body}' });
const check = (body: string | Buffer, value: string | undefined, secret: string) =>
  github.verify(Buffer.from(body), HeaderBag.from({ 'x-hub-signature-256': value }), secret);

// GitHub sends JSON indented by 2 spaces with a final newline; @octokit/webhooks-methods' vectors use that form.
const octokitPayload = (value: unknown) =>
  (JSON.stringify(value, null, 2) + '\n').replace(/[^\\]\\u[\da-f]{4}/g, (s) => s.slice(0, 3) + s.slice(3).toUpperCase());

describe('hmac scheme (github profile)', () => {
  it("verifies GitHub's documentation example", () => {
    const sig = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(github.sign(Buffer.from('Hello, World!'), "It's a Secret to Everybody", { id: '', timestamp: 0 })).toEqual({ 'X-Hub-Signature-256': sig });
    expect(check('Hello, World!', sig, "It's a Secret to Everybody").valid).toBe(true);
  });

  it("verifies @octokit/webhooks-methods' vectors", () => {
    expect(check(octokitPayload({ foo: 'bar' }), 'sha256=e3eccac34c43c7dc1cbb905488b1b81347fcc700a7b025697a9d07862256023f', 'mysecret').valid).toBe(true);
    const special = octokitPayload({ foo: 'Foo\n\u001b[34mbar: ♥♥♥♥♥♥♥♥\nthis-is-lost\u001b[0m\u001b[2K' });
    expect(check(special, 'sha256=9dacf9003316b09be07df56d86a2d0d6872e42a1e6c72c3bad9ff915a7c5603e', 'development').valid).toBe(true);
    expect(check(octokitPayload({ foo: '\\u001b' }), 'sha256=87316067e2011fae39998b18c46a14d83b3e7c3ffdd88fb2ee5afb7d11288e60', 'development').valid).toBe(true);
  });

  it('accepts upper-case hex', () => {
    expect(check('Hello, World!', 'sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17', "It's a Secret to Everybody").valid).toBe(true);
  });

  it.each([
    ['missing', undefined, 'missing_header'],
    ['empty', '', 'malformed_header'],
    ['without prefix', '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17', 'malformed_header'],
    ['truncated', 'sha256=757107ea0eb2509fc211221cce984b8a', 'malformed_header'],
    ['non-hex', 'sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17', 'malformed_header'],
    ['odd length', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1', 'malformed_header'],
    ['too long', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1700', 'malformed_header'],
    ['decoy', `sha256=${'0'.repeat(64)}`, 'signature_mismatch'],
    ['sha1 form', 'sha1=d03207e4b030cf234e3447bac4d93add4c6643d8', 'malformed_header'],
  ])('refuses a %s signature', (_label, value, reason) => {
    expect(check('Hello, World!', value, "It's a Secret to Everybody")).toMatchObject({ valid: false, reason });
  });

  it('fails with a wrong secret', () => {
    expect(check('Hello, World!', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17', 'foo').reason).toBe('signature_mismatch');
  });

  it('works on bodies that are not valid UTF-8', () => {
    const body = Buffer.from([0x7b, 0xff, 0xc0, 0x80, 0x7d]);
    const signed = github.sign(body, 's', { id: '', timestamp: 0 });
    expect(check(body, signed['X-Hub-Signature-256'], 's').valid).toBe(true);
    expect(check(Buffer.from(body.toString('utf8')), signed['X-Hub-Signature-256'], 's').valid).toBe(false);
  });

  it('signs a template with id and timestamp headers and checks tolerance both ways', () => {
    const scheme = hmacScheme({ signatureHeader: 'X-Sig', algorithm: 'sha512', encoding: 'base64', prefix: '', template: '{id}:{timestamp}:{body}', idHeader: 'X-Id', timestampHeader: 'X-Ts', tolerance: 60 });
    const body = Buffer.from('{"a":1}');
    const h = HeaderBag.from(scheme.sign(body, 'k', { id: 'm1', timestamp: 1000 }));
    expect(scheme.verify(body, h, 'k', { now: 1060 }).valid).toBe(true);
    expect(scheme.verify(body, h, 'k', { now: 1061 }).reason).toBe('timestamp_out_of_tolerance');
    expect(scheme.verify(body, h, 'k', { now: 939 }).reason).toBe('timestamp_out_of_tolerance');
    h.append('X-Ts', '1');
    expect(scheme.verify(body, h, 'k', { now: 1000 }).reason).toBe('malformed_header');
  });
});
