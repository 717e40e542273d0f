import type { DeliveryStatus } from '../../core/api/types.js';
import type { HandshakeVerification } from '../../core/providers/handshake.js';
import type { SyncOutcome } from '../../core/sync/run.js';

export type { DeliveryStatus };

/** As the API shows it, but with the time in milliseconds. */
export type Verification = HandshakeVerification;

/** A subscription as stored: times in milliseconds, the secrets beside it (never shown by the API). */
export interface SubscriptionRow {
  id: string;
  name: string;
  url: string;
  events: string[];
  description: string | null;
  provider: string;
  active: boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  verification: Verification | null;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
  last_delivery: { status: DeliveryStatus; status_code: number | null; at: number } | null;
}

export type NewSubscriptionRow = Pick<SubscriptionRow, 'id' | 'name' | 'url' | 'events' | 'description' | 'provider' | 'active' | 'secret' | 'created_at'>;

/** What an update may change; `updated_at` is set by the store. */
export type SubscriptionChanges = Partial<Omit<SubscriptionRow, 'id' | 'created_at' | 'updated_at' | 'last_delivery'>>;

export interface EventRow {
  id: string;
  type: string;
  /** The dialect asked for, or ALL_PROVIDERS when the event went to every provider's subscriptions. */
  provider: string;
  /** The data given, or the one provider's fixture; 'null' when each provider got its own fixture. */
  data: string;
  created_at: number;
}

/** An event sent without `provider`: to matching subscriptions of every provider, each in its own dialect. */
export const ALL_PROVIDERS = '*';

export interface DeliveryRow {
  id: string;
  event_id: string;
  /** The id this delivery's envelope carries (and Standard Webhooks' webhook-id), in its provider's format. */
  message_id: string;
  event_type: string;
  subscription_id: string;
  /** The subscription's provider: the dialect of this delivery. */
  provider: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface AttemptRow {
  delivery_id: string;
  number: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
  success: boolean;
  next_retry_at: number | null;
}

/** A delivery with its attempts, as the API shows one. */
export interface DeliveryWithAttempts {
  delivery: DeliveryRow;
  attempts: AttemptRow[];
}

export interface NewDelivery {
  id: string;
  subscription_id: string;
  message_id: string;
  body: Buffer;
}

/**
 * A delivery leased to one worker for one attempt, with everything the
 * attempt needs read in the same query: its bytes and its subscription's
 * endpoint and secrets.
 */
export interface ClaimedDelivery {
  id: string;
  event_id: string;
  message_id: string;
  event_type: string;
  subscription_id: string;
  attempt_count: number;
  body: Buffer;
  url: string;
  provider: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
}

/** An attempt as recorded, and what it makes of its delivery. */
export type AttemptOutcome = Omit<AttemptRow, 'next_retry_at'> & {
  next_status: DeliveryStatus;
  next_attempt_at: number | null;
};

/** A synchronous hook pointed at a receiver: what the emulator calls in a simulated sign-in or registration. */
export interface HookRow {
  id: string;
  name: string;
  provider: string;
  type: string;
  url: string;
  /** Kept as a subscription's secret is (never shown by the API after the answer that created it); null where the platform authenticates nothing (the Firebase Auth emulator). */
  secret: string | null;
  /** The platform's configurable failure path taken the other way (WorkOS: "Allow authentication"). */
  fail_open: boolean;
  created_at: number;
}

/** One simulated flow: the call the platform made, the answer, and what it did with it. */
export interface HookRunRow {
  id: string;
  /** The registration it ran; a run stays in the feed after its registration is removed. */
  hook_id: string;
  flow: string;
  /** The user the flow is for, when one was given. */
  email: string | null;
  started_at: number;
  /** The request as sent, its credential masked. */
  request: { headers: Record<string, string>; payload: unknown };
  outcome: SyncOutcome;
}

/** A run as both stores keep it: the request and the outcome as JSON text, exactly as answered. */
export type StoredHookRun = Omit<HookRunRow, 'request' | 'outcome'> & { request: string; outcome: string };

export const storeHookRun = (run: HookRunRow): StoredHookRun => ({ ...run, request: JSON.stringify(run.request), outcome: JSON.stringify(run.outcome) });

export function readHookRun(raw: StoredHookRun): HookRunRow {
  return { id: raw.id, hook_id: raw.hook_id, flow: raw.flow, email: raw.email, started_at: raw.started_at, request: JSON.parse(raw.request), outcome: JSON.parse(raw.outcome) };
}
