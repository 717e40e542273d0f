import type { ProviderProfile } from './profile.js';
import { PROVIDERS } from './registry.js';

/** Every literal prefix the profiles' secrets start with, longest first (`lmif_whsec_` before `whsec_`). */
const PREFIXES = [...new Set(PROVIDERS.flatMap((p) => p.secretPrefixes ?? []))].sort((a, b) => b.length - a.length);

/**
 * The known literal prefix `secret` starts with (the longest), or '' when
 * none: from the profiles, never guessed from the text (random base64url
 * holds `_` too).
 */
export function knownSecretPrefix(secret: string): string {
  return PREFIXES.find((p) => secret.startsWith(p)) ?? '';
}

/** The built-in profiles whose secrets start with `prefix`. */
export function profilesWithSecretPrefix(prefix: string): ProviderProfile[] {
  return PROVIDERS.filter((p) => p.secretPrefixes?.includes(prefix));
}
