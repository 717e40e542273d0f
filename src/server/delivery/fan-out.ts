import { matchesPattern } from '../../core/fixtures/catalog.js';
import { newId } from '../../core/ids.js';
import type { ProviderProfile } from '../../core/providers/profile.js';
import { didYouMean } from '../../core/suggest.js';
import { ApiError } from '../../core/http/http-error.js';
import { knownTypes } from '../validation.js';
import { ALL_PROVIDERS, type EventRow, type NewDelivery, type SubscriptionRow } from '../store.js';

export interface EventRequest {
  /** A type by name, or (Asgardeo) by event URI. */
  type: string;
  data?: unknown;
  /** Only this dialect's subscriptions; every provider's when absent. */
  provider?: ProviderProfile;
}

/**
 * Who receives an event, and the exact bytes each one gets: every active
 * subscription whose provider's catalog has the type and whose patterns
 * match it, each in its own provider's envelope, with that provider's id
 * format and fixture (or the data given). The event itself is stored once.
 */
export function planEvent(req: EventRequest, profiles: readonly ProviderProfile[], subscriptions: readonly SubscriptionRow[], now: Date): { event: EventRow; deliveries: NewDelivery[] } {
  const candidates = req.provider ? [req.provider] : profiles;
  const known = candidates.flatMap((p) => {
    const type = p.catalog.resolve(req.type);
    return type ? [{ profile: p, type }] : [];
  });
  if (known.length === 0) throw unknownType(req.type, candidates);
  const deliveries: NewDelivery[] = [];
  let singleId: string | null = null;
  let singleData: unknown;
  for (const { profile, type } of known) {
    const subs = subscriptions.filter((s) => s.provider === profile.id && s.events.some((p) => matchesPattern(p, type)));
    const messageId = profile.catalog.newId();
    const data = req.data !== undefined ? req.data : profile.catalog.sample(type, now);
    singleId = messageId;
    singleData = data;
    for (const s of subs) {
      deliveries.push({ id: newId('dlv'), subscription_id: s.id, message_id: messageId, body: profile.catalog.build(type, { id: messageId, data, now, subscriptionId: s.id }).body });
    }
  }
  const one = req.provider !== undefined;
  return {
    event: {
      // One dialect: the event is that platform's message. Several: an id of ours, each delivery carrying its own.
      id: one ? singleId! : newId('evt'),
      type: known[0]!.type,
      provider: one ? req.provider!.id : ALL_PROVIDERS,
      data: JSON.stringify(one || req.data !== undefined ? (req.data ?? singleData) : null),
      created_at: now.getTime(),
    },
    deliveries,
  };
}

function unknownType(type: string, profiles: readonly ProviderProfile[]): ApiError {
  const types = [...new Set(profiles.flatMap((p) => p.catalog.types.map((t) => t.type)))];
  const where = profiles.length === 1 ? `${profiles[0]!.id} event type` : 'event type in any catalog';
  return new ApiError(422, 'unknown_event_type', `unknown ${where} "${type}"${didYouMean(type, types)}${profiles.length === 1 ? knownTypes(types) : ''}`, 'type');
}
