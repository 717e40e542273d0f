import { knownSecretPrefix } from './secret-prefix.js';

/**
 * `ith_whsec_c8bc…`: a known literal prefix (from the profiles) and at most
 * four characters of the random part, enough to tell secrets apart and never
 * enough to use one. A short random part shows none.
 */
export function maskSecret(secret: string): string {
  const prefix = knownSecretPrefix(secret);
  const rest = secret.slice(prefix.length);
  return rest.length >= 16 ? `${prefix}${rest.slice(0, 4)}…` : `${prefix}${'•'.repeat(8)}`;
}
