import { createHash } from 'node:crypto';
import { safeEqual } from './hmac.js';
import { sharedSecretProblem } from './key-material.js';
import type { Hint } from './diagnosis.js';
import { fail, ok, type SignatureScheme } from './scheme.js';

/**
 * No signature at all: the platform sends a value the user configured in a
 * header (Okta event hooks, Auth0 log streams: `Authorization`), and the
 * receiver compares it with what it expects. Nothing binds the body, so a
 * tampered body still passes: that is the platform's design, and the
 * description says so.
 */
export function headerTokenScheme(header: string, platform: string): SignatureScheme {
  // Both sides are hashed first, so the comparison is constant-time whatever their lengths.
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const same = (a: string, b: string) => safeEqual(digest(a), digest(b));
  return {
    description: `${platform}: the configured secret, as is, in ${header} (a shared secret compared in constant time; the body is not signed)`,
    signatureHeader: header,
    headers: [header],
    signsBody: false,
    secretHeaders: [header],
    multiSignature: false,
    secretForms: (secret) => [{ secret: `Bearer ${secret}`, message: `the sender put "Bearer " before the secret: configure ${header} with the exact value the receiver expects` }],
    validateSecret: (secret) => sharedSecretProblem(secret) ?? (/[\r\n]/.test(secret) ? 'it holds a line break, which no header value can carry' : null),
    secretFormat: 'the exact header value configured on the platform',

    sign(_body, secrets) {
      const secret = Array.isArray(secrets) ? secrets[0]! : secrets;
      return { [header]: typeof secret === 'string' ? secret : Buffer.from(secret).toString('utf8') };
    },

    verify(_body, headers, secret) {
      const problem = typeof secret === 'string' ? sharedSecretProblem(secret) : null;
      if (problem) return fail('invalid_secret', `this secret cannot be a shared token: ${problem}`);
      const value = headers.get(header);
      if (value === undefined) return fail('missing_header', `no ${header} header`);
      if (value === '') return fail('malformed_header', `${header} is empty`);
      const expected = typeof secret === 'string' ? secret : Buffer.from(secret).toString('utf8');
      if (same(value, expected)) return ok(`${header} holds the configured secret`);
      return fail('signature_mismatch', `${header} does not hold the configured secret`);
    },

    // The sender chooses the value on every failed delivery: compared as verify compares, in constant time.
    explain(_body, headers, secret): Hint[] {
      const value = headers.get(header);
      if (value === undefined) return [];
      if (same(value, `Bearer ${secret}`)) return [{ code: 'authorization_format', message: `${header} is "Bearer " plus the secret: configure the receiver or the platform so both use the same exact value` }];
      if (same(`Bearer ${value}`, secret)) return [{ code: 'authorization_format', message: `${header} is the secret without the "Bearer " prefix your receiver expects` }];
      if (same(value.trim(), secret.trim())) return [{ code: 'secret_whitespace', message: `${header} matches once whitespace is trimmed: one side has a trailing space or newline` }];
      return [];
    },
  };
}
