import { UsageError } from '../errors.js';
import type { ProviderProfile } from './profile.js';
import { knownSecretPrefix, profilesWithSecretPrefix } from './secret-prefix.js';

/**
 * Refuses, as a usage error, a secret the profile's scheme cannot use: the
 * same rule `verify`, `listen`, `trigger --to`, `replay --resign` and the
 * server apply, so a wrong secret never reaches a signature check.
 * `chosenBy` says how the profile was picked when the user did not name it
 * (`--to defaults to standard…`); a known prefix of another platform's
 * secrets names that platform's --provider.
 */
export function assertUsableSecret(profile: ProviderProfile, secret: string, flag = '--secret', chosenBy?: string): void {
  const problem = profile.scheme.validateSecret?.(secret);
  if (!problem) return;
  const prefix = knownSecretPrefix(secret);
  const owners = prefix && !profile.secretPrefixes?.includes(prefix) ? profilesWithSecretPrefix(prefix) : [];
  const why = [chosenBy, owners.length > 0 ? `the prefix ${prefix} is that of ${listOf(owners.map((p) => p.name))} secrets` : undefined].filter(Boolean);
  const hint = owners.length > 0 ? `add ${listOf(owners.map((p) => `--provider ${p.id}`), 'or')}` : `pass the secret exactly as the platform shows it (${profile.scheme.secretFormat ?? 'any text'})`;
  throw new UsageError(`${flag} is not a usable ${profile.id} secret: ${problem}${why.length > 0 ? `; ${why.join(', and ')}` : ''}`, hint, 'invalid_secret');
}

/** `a`, `a and b`, `a, b and c`. */
function listOf(items: string[], last = 'and'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}
