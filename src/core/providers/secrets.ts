import { randomBytes } from 'node:crypto';

/** A text secret of `bytes` random bytes, hex (how most platforms hand them out). */
export const hexSecret = (prefix = '', bytes = 32): string => prefix + randomBytes(bytes).toString('hex');

/** Standard Webhooks: `whsec_` + base64 of 32 random bytes. */
export const whsecSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * `ith_whsec_c8bc…`: the prefix that names the kind of secret and four
 * characters, enough to tell secrets apart and never enough to use one.
 */
export function maskSecret(secret: string): string {
  const [, prefix = '', rest = ''] = /^((?:[A-Za-z0-9]+_)*)(.*)$/s.exec(secret) ?? [];
  return rest.length >= 16 ? `${prefix}${rest.slice(0, 4)}…` : `${prefix}${'•'.repeat(8)}`;
}
