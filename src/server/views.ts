import type { ApiEvent, Attempt, Delivery, Subscription } from '../core/api/types.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../core/json-depth.js';
import { ALL_PROVIDERS, type AttemptRow, type DeliveryWithAttempts, type EventRow, type SubscriptionRow } from './store/rows.js';

const at = (ms: number) => new Date(ms).toISOString();
const iso = (ms: number | null) => (ms === null ? null : at(ms));

/** The API's subscription object. The signing secret is added only by create and rotate-secret. */
export function subscriptionView(s: SubscriptionRow): Subscription {
  return {
    id: s.id,
    name: s.name,
    url: s.url,
    events: s.events,
    description: s.description,
    provider: s.provider,
    active: s.active,
    disabled_reason: s.disabled_reason,
    verification: s.verification
      ? { ...s.verification, at: at(s.verification.at) }
      : null,
    previous_secret_expires_at: s.previous_secret && s.previous_secret_expires_at && s.previous_secret_expires_at > Date.now() ? iso(s.previous_secret_expires_at) : null,
    last_delivery: s.last_delivery ? { ...s.last_delivery, at: at(s.last_delivery.at) } : null,
    created_at: at(s.created_at),
    updated_at: at(s.updated_at),
  };
}

export function attemptView(a: AttemptRow): Attempt {
  return {
    number: a.number,
    started_at: at(a.started_at),
    duration_ms: a.duration_ms,
    status_code: a.status_code,
    success: a.success,
    error: a.error,
    response_excerpt: a.response_excerpt,
    next_retry_at: iso(a.next_retry_at),
  };
}

export function deliveryView({ delivery: d, attempts }: DeliveryWithAttempts): Delivery {
  return {
    id: d.id,
    event_id: d.event_id,
    message_id: d.message_id,
    event_type: d.event_type,
    subscription_id: d.subscription_id,
    provider: d.provider,
    status: d.status,
    attempt_count: d.attempt_count,
    next_attempt_at: d.status === 'pending' || d.status === 'retrying' ? iso(d.next_attempt_at) : null,
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    created_at: at(d.created_at),
    updated_at: at(d.updated_at),
    attempts: attempts.map(attemptView),
  };
}

/** An event, with its deliveries when given (the list leaves them out). */
export function eventView(e: EventRow, deliveries?: DeliveryWithAttempts[]): ApiEvent {
  return {
    id: e.id,
    type: e.type,
    provider: e.provider === ALL_PROVIDERS ? null : e.provider,
    created_at: at(e.created_at),
    ...storedData(e.data),
    ...(deliveries ? { deliveries: deliveries.map(deliveryView) } : {}),
  };
}

/** One stored row never breaks a listing: data written before the depth bound existed is left out, and says why. */
function storedData(text: string): { data: unknown; data_error?: string } {
  if (jsonDepth(text) > MAX_JSON_DEPTH) return { data: null, data_error: `the stored data nests deeper than ${MAX_JSON_DEPTH} levels and is not shown` };
  try {
    return { data: JSON.parse(text) as unknown };
  } catch {
    return { data: null, data_error: 'the stored data is not valid JSON' };
  }
}
