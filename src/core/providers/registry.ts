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
 * The profile whose signature header is present (see presentProviders);
 * null when none is.
 */
export function detectProvider(headers: HeaderBag, custom: readonly ProviderProfile[] = [], body?: Uint8Array): ProviderProfile | null {
  return presentProviders(headers, custom, body)[0] ?? null;
}

/**
 * Every profile whose signature header the delivery carries, in detection
 * order: custom profiles first; `X-Hub-Signature-256` (github) before
 * `x-hub-signature` (asgardeo), and a header a present profile sends as its
 * companion (GitHub's SHA-1 one) counts for that profile only. A header
 * several profiles share (Okta's and Auth0's `Authorization`) counts once:
 * for one of those `preferred` (the session has a secret for), the body
 * deciding between several (the first whose envelope names an event type),
 * else the first that is not recognised by its body alone (Scalekit today
 * signs like Standard Webhooks).
 */
export function presentProviders(headers: HeaderBag, custom: readonly ProviderProfile[] = [], body?: Uint8Array, preferred: (p: ProviderProfile) => boolean = () => false): ProviderProfile[] {
  const order = [...custom, scalekitStandard, standard, clerk, stripe, workos, fusionauth, ithbat, intelliauth, lmif, scalekit, github, asgardeo, okta, auth0];
  const carried = order.filter((p) => headers.has(p.scheme.signatureHeader));
  const companion = new Set(carried.flatMap((p) => (p.companionHeaders ?? []).map((h) => h.toLowerCase())));
  const present = carried.filter((p) => !companion.has(p.scheme.signatureHeader.toLowerCase()));
  const out: ProviderProfile[] = [];
  const seen = new Set<string>();
  for (const p of present) {
    const header = p.scheme.signatureHeader.toLowerCase();
    if (seen.has(header)) continue;
    seen.add(header);
    const sharing = present.filter((q) => q.scheme.signatureHeader.toLowerCase() === header);
    const pool = sharing.some(preferred) ? sharing.filter(preferred) : sharing;
    const fallback = pool.find((q) => !BY_BODY_ONLY.has(q)) ?? pool[0]!;
    out.push((pool.length > 1 && body ? pool.find((q) => identifyEvent(body, headers, q, []).type !== null) : undefined) ?? fallback);
  }
  return out;
}

/** Profiles auto-detection picks only when the body is theirs: Scalekit's Standard Webhooks form, never for any Standard Webhooks delivery. */
const BY_BODY_ONLY: ReadonlySet<ProviderProfile> = new Set([scalekitStandard]);
