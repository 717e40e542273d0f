import type { SecretInput } from '../signing/hmac.js';
import { version } from '../version.js';
import type { DeliveryFacts, ProviderProfile } from './profile.js';

/**
 * Every header of one delivery as the platform sends it: content type, the
 * platform's user agent and its own headers, then the signature. The one
 * place the emulator, `trigger --to` and the audit build them, so a
 * receiver meets the same request from each.
 */
export function deliveryHeaders(profile: ProviderProfile, body: Uint8Array, secrets: SecretInput | SecretInput[], facts: DeliveryFacts): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': profile.userAgent ?? `hooks/${version}`,
    ...profile.deliveryHeaders?.(facts, body),
    ...profile.scheme.sign(body, secrets, { id: facts.id, timestamp: facts.timestamp }),
  };
}
