import { randomInt } from 'node:crypto';
import { githubCatalog, githubEvent, hookId } from '../fixtures/github.js';
import { hmacScheme } from '../signing/hmac-scheme.js';
import type { SignatureScheme } from '../signing/scheme.js';
import { once } from '../fixtures/catalog.js';
import { anyTwoHundred, time, type DeliveryFacts, type ProviderProfile } from './profile.js';
import { hexSecret } from './secrets.js';

/**
 * GitHub webhooks.
 * - Headers, signatures and the user agent: docs.github.com, "Webhook events
 *   and payloads" → "Delivery headers" and its example delivery
 *   (https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers,
 *   github/docs content/webhooks/webhook-events-and-payloads.md): X-GitHub-Hook-ID,
 *   X-GitHub-Event, X-GitHub-Delivery (a GUID), X-GitHub-Hook-Installation-Target-ID
 *   and -Type, X-Hub-Signature (HMAC-SHA1, kept "for compatibility") and
 *   X-Hub-Signature-256 (HMAC-SHA256) of the body, `User-Agent: GitHub-Hookshot/044aadd`.
 * - The target type: `repository` or `organization` (the docs' example shows
 *   `repository`); deliveries to a GitHub App carry `integration` and the
 *   app's id, a sponsors listing's `sponsors_listing` (as real deliveries
 *   show; the docs list no values: github/docs issue 41739).
 * - Events: src/core/fixtures/github.ts.
 * - Delivery: "Handling failed webhook deliveries" (GitHub does not redeliver
 *   by itself) and "Best practices": answer within 10 seconds.
 */
const sha256 = hmacScheme({ signatureHeader: 'X-Hub-Signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', template: '{body}' });
const sha1 = hmacScheme({ signatureHeader: 'X-Hub-Signature', algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=', template: '{body}' });

/** Verified by X-Hub-Signature-256; X-Hub-Signature (SHA-1) is sent beside it, as GitHub does. */
const scheme: SignatureScheme = {
  ...sha256,
  description: `${sha256.description}; the HMAC-SHA1 beside it in X-Hub-Signature as sha1=<hex>`,
  headers: [...sha256.headers, 'X-Hub-Signature'],
  sign: (body, secrets, ctx) => ({ ...sha1.sign(body, secrets, ctx), ...sha256.sign(body, secrets, ctx) }),
};

/** The events only a GitHub App receives ("Availability: GitHub Apps" in the docs). */
const APP_ONLY = new Set(['github_app_authorization', 'marketplace_purchase', 'security_advisory']);
/** The App and the sponsors listing of this process's deliveries: the same ids throughout. */
const appId = once(() => randomInt(100_000, 1_000_000));
const listingId = once(() => randomInt(100_000, 1_000_000));

/**
 * Where the hook was created: an App (its installation is in the body, or
 * the event goes only to Apps), a sponsors listing (sponsorship), else the
 * repository or the organization the body is about.
 */
function target(facts: DeliveryFacts, body: Uint8Array): [type: string, id: string] | null {
  const event = githubEvent(facts.type);
  let parsed: { installation?: { app_id?: unknown }; repository?: { id?: unknown }; organization?: { id?: unknown } } = {};
  try {
    const value: unknown = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    if (value && typeof value === 'object') parsed = value;
  } catch {
    // Not JSON (a body the user gave): the event alone decides.
  }
  if (parsed.installation || APP_ONLY.has(event)) return ['integration', String(typeof parsed.installation?.app_id === 'number' ? parsed.installation.app_id : appId())];
  if (event === 'sponsorship') return ['sponsors_listing', String(listingId())];
  if (parsed.repository?.id !== undefined) return ['repository', String(parsed.repository.id)];
  if (parsed.organization?.id !== undefined) return ['organization', String(parsed.organization.id)];
  return null;
}

export const github: ProviderProfile = {
  id: 'github',
  name: 'GitHub (X-Hub-Signature-256)',
  source: 'https://docs.github.com/en/webhooks/webhook-events-and-payloads',
  scheme,
  catalog: githubCatalog,
  companionHeaders: ['X-Hub-Signature'],
  userAgent: 'GitHub-Hookshot/044aadd',
  deliveryHeaders: (facts, body) => {
    const where = target(facts, body);
    return {
      'X-GitHub-Hook-ID': String(hookId(facts.subscriptionId)),
      'X-GitHub-Event': githubEvent(facts.type),
      'X-GitHub-Delivery': facts.id,
      ...(where ? { 'X-GitHub-Hook-Installation-Target-Type': where[0], 'X-GitHub-Hook-Installation-Target-ID': where[1] } : {}),
    };
  },
  eventHeaders: { id: 'X-GitHub-Delivery', type: 'X-GitHub-Event' },
  subscriptionRef: { read: (_, headers) => headers.get('X-GitHub-Hook-ID') ?? null, nameOf: (id) => String(hookId(id)) },
  delivery: {
    retryDelaysMs: [],
    timeoutMs: 10 * time.s,
    ...anyTwoHundred,
    note: 'GitHub does not retry failed deliveries by itself and gives up after 10 s',
  },
  newSecret: () => hexSecret('', 20),
};
