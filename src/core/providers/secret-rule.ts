import { UsageError } from '../errors.js';
import type { ProviderProfile } from './profile.js';

/**
 * Refuses, as a usage error, a secret the profile's scheme cannot use: the
 * same rule `verify`, `listen`, `trigger --to`, `replay --resign` and the
 * server apply, so a wrong secret never reaches a signature check.
 */
export function assertUsableSecret(profile: ProviderProfile, secret: string, flag = '--secret'): void {
  const problem = profile.scheme.validateSecret?.(secret);
  if (problem) {
    throw new UsageError(`${flag} is not a usable ${profile.id} secret: ${problem}`, `pass the secret exactly as the platform shows it (${profile.scheme.secretFormat ?? 'any text'})`, 'invalid_secret');
  }
}
