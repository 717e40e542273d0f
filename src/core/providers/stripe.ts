import { randomBytes } from 'node:crypto';
import { genericIamCatalog } from '../fixtures/iam.js';
import { stripeScheme } from '../signing/stripe-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';

export const stripe: ProviderProfile = {
  id: 'stripe',
  name: 'Stripe-style (Stripe-Signature)',
  source: "Stripe's webhook signature documentation",
  scheme: stripeScheme,
  catalog: genericIamCatalog,
  delivery: {
    retryDelaysMs: [5 * time.min, 30 * time.min, 1 * time.h, 2 * time.h, 4 * time.h, 8 * time.h, 16 * time.h, 24 * time.h],
    timeoutMs: 20 * time.s,
    ...anyTwoHundred,
    note: 'Stripe retries with exponential backoff for up to three days; this schedule approximates it',
  },
  newSecret: () => `whsec_${randomBytes(24).toString('base64url')}`,
};
