import { PROVIDERS } from './registry.js';

/** Every literal prefix the profiles' secrets start with, longest first (`lmif_whsec_` before `whsec_`). */
const PREFIXES = [...new Set(PROVIDERS.flatMap((p) => p.secretPrefixes ?? []))].sort((a, b) => b.length - a.length);

/**
 * `ith_whsec_c8bc…`: a known literal prefix (from the profiles, never guessed
 * from the text: random base64url holds `_` too) and at most four characters
 * of the random part, enough to tell secrets apart and never enough to use
 * one. A short random part shows none.
 */
export function maskSecret(secret: string): string {
  const prefix = PREFIXES.find((p) => secret.startsWith(p)) ?? '';
  const rest = secret.slice(prefix.length);
  return rest.length >= 16 ? `${prefix}${rest.slice(0, 4)}…` : `${prefix}${'•'.repeat(8)}`;
}
