import { randomUUID } from 'node:crypto';
import { asgardeoTopic } from '../../fixtures/asgardeo.js';
import type { EventTypeSpec } from '../../fixtures/catalog.js';
import { send } from '../../http/send.js';
import type { Handshake } from '../handshake.js';

export const LEASE_SECONDS = 864_000;

/** Asgardeo's "event types" are our categories: one verification GET each (seed 002). */
export function topicsFor(patterns: readonly string[], types: readonly EventTypeSpec[]): string[] {
  const categories = new Set<string>();
  for (const pattern of patterns) {
    if (pattern === '*') types.filter((t) => t.category !== 'test').forEach((t) => categories.add(t.category));
    else if (pattern.endsWith('.*')) categories.add(pattern.slice(0, -2));
    else {
      const spec = types.find((t) => t.type === pattern);
      if (spec && spec.category !== 'test') categories.add(spec.category);
    }
  }
  return [...categories].map(asgardeoTopic);
}

/**
 * WebSub intent verification (seed 002): a GET per topic with hub.mode,
 * hub.topic, a random hub.challenge and hub.lease_seconds; it passes only if
 * every answer is 2xx with exactly the challenge as its body.
 */
export const websub: Handshake = {
  kind: 'websub',
  description: 'WebSub intent verification (GET with hub.challenge per event type); subscriptions start inactive',
  unsubscribes: true,
  fixHint: 'answer GET requests that carry hub.mode and hub.challenge with 200 and exactly the hub.challenge value as a text/plain body',

  async verify({ http, callback, mode, events, types, timeoutMs }) {
    const topics = topicsFor(events, types);
    const results = await Promise.all(
      topics.map(async (topic) => {
        const challenge = randomUUID();
        const url = new URL(callback);
        url.searchParams.set('hub.mode', mode);
        url.searchParams.set('hub.topic', topic);
        url.searchParams.set('hub.challenge', challenge);
        url.searchParams.set('hub.lease_seconds', String(LEASE_SECONDS));
        const r = await send(http, { url, method: 'GET', headers: { accept: 'text/plain' }, timeoutMs, keep: 'excerpt' });
        let error: string | null = r.error;
        if (!error && (r.status! < 200 || r.status! >= 300)) error = `answered ${r.status}, expected 2xx`;
        else if (!error && r.body.toString('utf8') !== challenge) {
          const got = r.body.toString('utf8');
          error = `answered ${r.status} with ${got.length === 0 ? 'an empty body' : `"${got.slice(0, 80)}"`}, expected exactly the hub.challenge "${challenge}"`;
        }
        return { topic, ok: error === null, status_code: r.status, error };
      }),
    );
    const failed = results.find((r) => !r.ok);
    return {
      status: failed ? 'failed' : mode === 'subscribe' ? 'verified' : 'unsubscribed',
      mode,
      at: Date.now(),
      topics: results,
      error: failed ? `${mode} verification of ${failed.topic} failed: ${failed.error}` : null,
    };
  },

  answer(url) {
    const query = url.searchParams;
    const mode = query.get('hub.mode');
    const challenge = query.get('hub.challenge');
    if ((mode === 'subscribe' || mode === 'unsubscribe') && challenge !== null) {
      return { status: 200, contentType: 'text/plain', body: challenge, event: { type: 'websub.challenge', mode, topic: query.get('hub.topic'), lease_seconds: query.get('hub.lease_seconds') } };
    }
    if (mode === 'denied') return { status: 200, contentType: 'text/plain', body: '', event: { type: 'websub.denied', topic: query.get('hub.topic'), reason: query.get('hub.reason') } };
    return null;
  },
};
