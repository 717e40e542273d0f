import { randomBytes } from 'node:crypto';
import { auth0Catalog } from '../fixtures/auth0.js';
import { headerTokenScheme } from '../signing/header-token-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';

/**
 * Auth0 log streams, custom webhook: https://auth0.com/docs/customize/log-streams/custom-log-streams
 * - No signature: the "Authorization Token" setting is sent as is in the
 *   `Authorization` header.
 * - Batches of log events; content format JSON lines, array or object (we send an array)
 *   with the content type the stream is configured with (application/json here).
 *   Auth0 documents no User-Agent for log streams, so ours is hooks' own.
 * - Delivery: Auth0 retries failed batches and pauses a stream after repeated
 *   failures, without published delays or timeout; ours: 3 retries, 10 s timeout.
 */
export const auth0: ProviderProfile = {
  id: 'auth0',
  name: 'Auth0 log streams (custom webhook)',
  source: 'https://auth0.com/docs/customize/log-streams/custom-log-streams',
  scheme: headerTokenScheme('Authorization', 'Auth0 log streams'),
  catalog: auth0Catalog,
  delivery: {
    retryDelaysMs: [10 * time.s, 1 * time.min, 5 * time.min],
    timeoutMs: 10 * time.s,
    ...anyTwoHundred,
    note: 'Auth0 retries failed batches and pauses the stream after repeated failures; it publishes no delays or timeout, so ours are 10 s, 1 min, 5 min and 10 s',
  },
  newSecret: () => randomBytes(24).toString('base64url'),
};
