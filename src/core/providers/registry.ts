import { UsageError } from '../errors.js';
import type { HeaderBag } from '../signing/headers.js';
import { asgardeo } from './asgardeo.js';
import { auth0 } from './auth0.js';
import { clerk } from './clerk.js';
import { fusionauth } from './fusionauth.js';
import { identifyEvent } from './identify.js';
import { okta } from './okta.js';
import { workos } from './workos.js';
import { loadCustomProfile } from './custom.js';
import { github } from './github.js';
import { intelliauth } from './intelliauth.js';
import { ithbat } from './ithbat.js';
import { lmif } from './lmif.js';
import type { ProviderProfile } from './profile.js';
import { scalekit } from './scalekit.js';
import { scalekitStandard } from './scalekit-standard.js';
import { standard } from './standard.js';
import { stripe } from './stripe.js';

/** The built-in profiles: the seed platforms, the generic schemes, then the IAM platforms beyond the seeds. */
export const PROVIDERS: readonly ProviderProfile[] = [ithbat, intelliauth, asgardeo, scalekit, scalekitStandard, lmif, standard, github, stripe, clerk, workos, okta, auth0, fusionauth];

export const PROVIDER_IDS = PROVIDERS.map((p) => p.id);

/** The longest provider id, for columns that line providers up. */
export const PROVIDER_ID_WIDTH = Math.max(...PROVIDER_IDS.map((id) => id.length));

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
    throw new UsageError(`unknown provider "${id}"`, `use one of: ${known} (hooks verify and hooks listen also take --provider-file for a platform hooks does not ship)`, 'unknown_provider');
  }
  return found;
}

/**
 * The profile whose signature header is present. Custom profiles come first;
 * `X-Hub-Signature-256` (github) is checked before `x-hub-signature`
 * (asgardeo) because GitHub sends both. Where several share a header (Okta
 * and Auth0 both send a bare `Authorization`; Scalekit today signs like
 * Standard Webhooks), the body decides: the first whose envelope names an
 * event type, else the first that is not recognised by its body alone.
 */
export function detectProvider(headers: HeaderBag, custom: readonly ProviderProfile[] = [], body?: Uint8Array): ProviderProfile | null {
  const order = [...custom, scalekitStandard, standard, clerk, stripe, workos, fusionauth, ithbat, intelliauth, lmif, scalekit, github, asgardeo, okta, auth0];
  const present = order.filter((p) => headers.has(p.scheme.signatureHeader));
  if (present.length === 0) return null;
  const shared = present.filter((p) => p.scheme.signatureHeader.toLowerCase() === present[0]!.scheme.signatureHeader.toLowerCase());
  const fallback = shared.find((p) => !BY_BODY_ONLY.has(p)) ?? shared[0]!;
  if (shared.length === 1 || !body) return fallback;
  return shared.find((p) => identifyEvent(body, headers, p, []).type !== null) ?? fallback;
}

/** Profiles auto-detection picks only when the body is theirs: Scalekit's Standard Webhooks form, never for any Standard Webhooks delivery. */
const BY_BODY_ONLY: ReadonlySet<ProviderProfile> = new Set([scalekitStandard]);
