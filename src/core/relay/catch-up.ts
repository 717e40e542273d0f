import type { ApiClient } from '../api/client.js';
import type { Delivery } from '../api/types.js';
import { ApiRequestError } from '../api/client.js';

/** At most this many deliveries are re-sent in one catch-up; older ones are named, not sent. */
export const CATCH_UP_LIMIT = 1000;
const PAGE = 100;

export interface CatchUpResult {
  /** Deliveries the platform still owed this subscription since `since`. */
  found: number;
  retried: number;
  succeeded: number;
  failed: number;
  /** Owed but over the limit: left for the platform's own retries, or `hooks subscriptions deliveries`. */
  skipped: number;
  errors: string[];
}

/**
 * The deliveries of a subscription that did not get through (failed, or
 * waiting for a retry) and were created after `since` (the newest one this
 * store received through it; null: all it still keeps), oldest first.
 */
export async function owedDeliveries(client: ApiClient, subscriptionId: string, since: number | null, limit = CATCH_UP_LIMIT): Promise<{ owed: Delivery[]; skipped: number }> {
  const owed: Delivery[] = [];
  let cursor: string | undefined;
  // Pages come newest first: stop at the first delivery this store already had the chance to receive.
  pages: do {
    const page = await client.deliveries(subscriptionId, PAGE, cursor);
    for (const d of page.data) {
      const created = d.created_at ? Date.parse(d.created_at) : 0;
      if (since !== null && created <= since) break pages;
      if (d.status === 'failed' || d.status === 'retrying') owed.push(d);
    }
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  owed.reverse();
  return { owed: owed.slice(-limit), skipped: Math.max(0, owed.length - limit) };
}

/**
 * Asks the platform to send again, one at a time and oldest first, what a
 * subscription missed while no session was listening: the platform signs
 * each again, and it arrives through the tunnel like any delivery.
 */
export async function catchUp(client: ApiClient, subscriptionId: string, since: number | null, stopped: () => boolean = () => false): Promise<CatchUpResult> {
  const { owed, skipped } = await owedDeliveries(client, subscriptionId, since);
  const result: CatchUpResult = { found: owed.length + skipped, retried: 0, succeeded: 0, failed: 0, skipped, errors: [] };
  for (const d of owed) {
    // A session that stops leaves the rest to the platform's own retries.
    if (stopped()) break;
    try {
      const after = await client.retryDelivery(d.id);
      result.retried++;
      // Not yet succeeded (still failing, or the attempt outlasted the API's wait) counts as failed.
      if (after.status === 'succeeded') result.succeeded++;
      else result.failed++;
    } catch (err) {
      // An inactive subscription refuses every retry: one message says it.
      if (err instanceof ApiRequestError && err.code === 'subscription_inactive') {
        result.errors.push(err.message);
        break;
      }
      result.failed++;
      result.errors.push(`${d.id}: ${(err as Error).message}`);
    }
  }
  return result;
}
