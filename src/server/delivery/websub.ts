import { randomUUID } from 'node:crypto';
import type { Dispatcher as HttpDispatcher } from 'undici';
import { asgardeoTopic } from '../../core/fixtures/asgardeo.js';
import type { EventTypeSpec } from '../../core/fixtures/catalog.js';
import { send } from '../../core/http/send.js';
import type { Verification } from '../store.js';

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
 * WebSub intent verification: a GET per topic with hub.mode, hub.topic, a
 * random hub.challenge and hub.lease_seconds; it passes only if every answer
 * is 2xx with exactly the challenge as its body.
 */
export async function verifyIntent(
  http: HttpDispatcher,
  callback: string,
  mode: 'subscribe' | 'unsubscribe',
  topics: readonly string[],
  timeoutMs: number,
): Promise<Verification> {
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
  const ok = !failed;
  return {
    status: ok ? (mode === 'subscribe' ? 'verified' : 'unsubscribed') : 'failed',
    mode,
    at: Date.now(),
    topics: results,
    error: failed ? `${mode} verification of ${failed.topic} failed: ${failed.error}` : null,
  };
}
