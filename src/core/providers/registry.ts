import { UsageError } from '../errors.js';
import type { HeaderBag } from '../signing/headers.js';
import { asgardeo } from './asgardeo.js';
import { loadCustomProfile } from './custom.js';
import { github } from './github.js';
import { intelliauth } from './intelliauth.js';
import { ithbat } from './ithbat.js';
import { lmif } from './lmif.js';
import type { ProviderProfile } from './profile.js';
import { scalekit } from './scalekit.js';
import { standard } from './standard.js';
import { stripe } from './stripe.js';

/** The eight built-in profiles, in the order of DESIGN.md's table. */
export const PROVIDERS: readonly ProviderProfile[] = [ithbat, intelliauth, asgardeo, scalekit, lmif, standard, github, stripe];

export const PROVIDER_IDS = PROVIDERS.map((p) => p.id);

/** The dialect of events and subscriptions that name none, and of `trigger --to`: the platform-neutral one. */
export const DEFAULT_PROVIDER = standard.id;

/** The built-in profiles, after the one a custom profile file describes (when given). */
export function allProviders(providerFile?: string): ProviderProfile[] {
  return [...(providerFile ? [loadCustomProfile(providerFile)] : []), ...PROVIDERS];
}

export function getProvider(id: string, custom: readonly ProviderProfile[] = []): ProviderProfile {
  const found = [...custom, ...PROVIDERS].find((p) => p.id === id);
  if (!found) {
    const known = [...custom.map((p) => p.id), ...PROVIDER_IDS].join(', ');
    throw new UsageError(`unknown provider "${id}"`, `use one of: ${known} (or describe yours with --provider-file)`, 'unknown_provider');
  }
  return found;
}

/**
 * The profile whose signature header is present. Custom profiles come first;
 * `X-Hub-Signature-256` (github) is checked before `x-hub-signature`
 * (asgardeo) because GitHub sends both.
 */
export function detectProvider(headers: HeaderBag, custom: readonly ProviderProfile[] = []): ProviderProfile | null {
  const order = [...custom, standard, stripe, ithbat, intelliauth, lmif, scalekit, github, asgardeo];
  return order.find((p) => headers.has(p.scheme.signatureHeader)) ?? null;
}
