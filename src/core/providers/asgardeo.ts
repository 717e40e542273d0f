import { asgardeoCatalog, useOrganizationId } from '../fixtures/asgardeo.js';
import { fake } from '../fixtures/fake.js';
import { aboutDocumented } from '../fixtures/documented.js';
import { hmacScheme } from '../signing/hmac-scheme.js';
import { websub } from './handshakes/websub.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';
import { hexSecret } from './secrets.js';

/**
 * Asgardeo (WSO2): SETs signed in x-hub-signature, WebSub verification (seed 002);
 * events from WSO2's "Webhook events and payloads" page (catalogs/asgardeo.json).
 */
export const asgardeo: ProviderProfile = {
  id: 'asgardeo',
  name: 'Asgardeo (WSO2)',
  source: 'seed 002 + WSO2 docs',
  scheme: hmacScheme({ signatureHeader: 'x-hub-signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', template: '{body}' }),
  catalog: asgardeoCatalog,
  delivery: {
    retryDelaysMs: [1 * time.min, 5 * time.min, 30 * time.min, 2 * time.h, 8 * time.h],
    timeoutMs: 30 * time.s,
    ...anyTwoHundred,
    note: 'seed 002 says failed deliveries are retried, without a schedule; ours is used',
  },
  handshake: websub,
  keptIdentity: { key: 'asgardeo.organization_id', fresh: () => fake.uuid(), use: useOrganizationId },
  startsInactive: true,
  about: () => aboutDocumented('asgardeo'),
  newSecret: () => hexSecret('', 24),
};
