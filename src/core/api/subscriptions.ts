import { ExitCode, OperationError, UsageError } from '../errors.js';
import { matchesPattern } from '../fixtures/catalog.js';
import { PROVIDERS } from '../providers/registry.js';
import { ApiClient, ApiRequestError } from './client.js';
import { resolveConnection, type ConnectionFlags } from './connection.js';
import type { Delivery, EventTypes, NewSubscription, Subscription, SubscriptionChanges } from './types.js';

/** A delivery's newest attempt, as `subscriptions test` and `retry` report it: exit 1 when it failed. */
export interface AttemptReport {
  delivery: Delivery;
  /** The API's own answer, which --json prints as is. */
  answer: unknown;
  exitCode: ExitCode;
}

/** Runs `fn` with a client of the API the flags name, and always closes it. */
export async function withApi<T>(flags: ConnectionFlags, fn: (client: ApiClient) => Promise<T>): Promise<T> {
  const client = new ApiClient(resolveConnection(flags));
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** An event type or a provider the API does not know is the user's typo: exit 2, as in trigger, not an API failure. */
async function typos<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiRequestError && err.code === 'unknown_event_type') throw new UsageError(err.message, 'check --events (hooks trigger --list --provider P shows the types)', 'unknown_event_type');
    if (err instanceof ApiRequestError && err.field === 'provider') throw new UsageError(err.message, 'check --provider (hooks providers list shows them)', 'unknown_provider');
    throw err;
  }
}

/**
 * What an inactive subscription of a platform with a handshake (Asgardeo's
 * WebSub, Okta's verification) needs to become active, with the command;
 * null when it is active or its platform has none.
 */
export function activationAdvice(sub: Pick<Subscription, 'id' | 'provider' | 'active'>): string | null {
  const handshake = PROVIDERS.find((p) => p.id === sub.provider)?.handshake;
  if (sub.active || !handshake) return null;
  return `its receiver must ${handshake.fixHint} (hooks listen does it for you); then: hooks subs enable ${sub.id}`;
}

/** The inactive subscriptions whose patterns match `type`: why a trigger reached nobody. */
export function inactiveMatches(subs: readonly Subscription[], type: string): Subscription[] {
  return subs.filter((s) => !s.active && s.events.some((p) => matchesPattern(p, type)));
}

/**
 * A failed handshake is the receiver's to fix: say how, and the command to
 * run after. On enable, enable again; on a new URL or events of an active
 * subscription (which the API refuses whole), the same update again, or
 * disable it first: an inactive one takes any URL until it is enabled.
 */
async function verified<T>(id: string, changes: SubscriptionChanges, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof ApiRequestError && err.code === 'verification_failed')) throw err;
    const again = changes.active === true ? `hooks subs enable ${id}` : `hooks subs update ${id}${changes.url !== undefined ? ` --url ${changes.url}` : ''}${changes.events !== undefined ? ` --events '${changes.events.join(',')}'` : ''}`;
    const disable = changes.active === true ? '' : ` (or hooks subs disable ${id} first: an inactive subscription takes the change, verified when it is enabled)`;
    throw new OperationError(err.message, `fix the receiver, or point the subscription at hooks listen, which answers for you; then: ${again}${disable}`, 'verification_failed');
  }
}

function attemptReport(delivery: Delivery, answer: unknown): AttemptReport {
  return { delivery, answer, exitCode: delivery.attempts.at(-1)?.success ? ExitCode.ok : ExitCode.failed };
}

/** Subscriptions on the API: what `hooks subscriptions` does, one call each. */
export const subscriptions = {
  create: (flags: ConnectionFlags, input: NewSubscription): Promise<Subscription> => withApi(flags, (c) => typos(() => c.createSubscription(input))),
  list: (flags: ConnectionFlags): Promise<Subscription[]> => withApi(flags, (c) => c.allSubscriptions()),
  get: (flags: ConnectionFlags, id: string): Promise<Subscription> => withApi(flags, (c) => c.getSubscription(id)),
  update(flags: ConnectionFlags, id: string, changes: SubscriptionChanges): Promise<Subscription> {
    if (Object.keys(changes).length === 0) throw new UsageError('nothing to update', 'pass at least one of --url, --events, --name, --description');
    return withApi(flags, (c) => verified(id, changes, () => typos(() => c.updateSubscription(id, changes))));
  },
  remove: (flags: ConnectionFlags, id: string): Promise<{ id: string; deleted: true }> =>
    withApi(flags, async (c) => {
      try {
        await c.deleteSubscription(id);
      } catch (err) {
        // WebSub platforms keep an active subscription until it is unsubscribed: the CLI's way to do that, not the API's.
        if (err instanceof ApiRequestError && err.code === 'subscription_active') {
          throw new OperationError(err.message.replace(/: deactivate it first.*$/, ''), `hooks subs disable ${id} sends the unsubscribe request; then delete it`, err.code);
        }
        throw err;
      }
      return { id, deleted: true as const };
    }),
  rotateSecret: (flags: ConnectionFlags, id: string): Promise<Subscription> => withApi(flags, (c) => c.rotateSecret(id)),
  test: (flags: ConnectionFlags, id: string): Promise<AttemptReport> =>
    withApi(flags, async (c) => {
      const answer = await c.testSubscription(id);
      return attemptReport(answer.delivery, answer);
    }),
  deliveries: (flags: ConnectionFlags, id: string, limit: number): Promise<Delivery[]> => withApi(flags, async (c) => (await c.deliveries(id, Math.min(limit, 100))).data),
  retry: (flags: ConnectionFlags, deliveryId: string): Promise<AttemptReport> =>
    withApi(flags, async (c) => {
      const delivery = await c.retryDelivery(deliveryId);
      return attemptReport(delivery, delivery);
    }),
  eventTypes: (flags: ConnectionFlags, provider?: string): Promise<EventTypes> => withApi(flags, (c) => c.eventTypes(provider)),
};
