import { randomBytes } from 'node:crypto';
import { stripeCatalog } from '../fixtures/stripe.js';
import { stripeScheme } from '../signing/stripe-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';

/**
 * Stripe webhook endpoints.
 * - Events: every snapshot event type of the `stripe` package, in Stripe's
 *   `Event` envelope (src/core/fixtures/stripe.ts; https://docs.stripe.com/api/events/types).
 * - Signature: `Stripe-Signature: t=…,v1=…`, https://docs.stripe.com/webhooks#verify-manually
 * - Delivery: "Stripe uses HTTPS to send webhook events to your app as a JSON
 *   payload that includes an Event object" (https://docs.stripe.com/webhooks);
 *   Stripe's docs do not list the other headers: the ones Stripe's own
 *   relay shows for a delivery (Content-Type with charset, Cache-Control,
 *   the `Stripe/1.0` user agent and its Accept) are in stripe/stripe-cli#909
 *   and #1167.
 */
export const stripe: ProviderProfile = {
  id: 'stripe',
  name: 'Stripe',
  source: 'https://docs.stripe.com/webhooks',
  scheme: stripeScheme,
  catalog: stripeCatalog,
  userAgent: 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
  deliveryHeaders: () => ({ 'content-type': 'application/json; charset=utf-8', accept: '*/*; q=0.5, application/xml', 'cache-control': 'no-cache' }),
  delivery: {
    retryDelaysMs: [5 * time.min, 30 * time.min, 1 * time.h, 2 * time.h, 4 * time.h, 8 * time.h, 16 * time.h, 24 * time.h],
    timeoutMs: 20 * time.s,
    ...anyTwoHundred,
    note: 'Stripe retries with exponential backoff for up to three days; this schedule approximates it',
  },
  newSecret: () => `whsec_${randomBytes(24).toString('base64url')}`,
};
