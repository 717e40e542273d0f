/** The API's objects, as `hooks server` answers them (see its OpenAPI document). */
/** A delivery's state on the platform: the one list the API, its OpenAPI document and the emulator's store use. */
export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Verification {
  status: 'verified' | 'failed' | 'unsubscribed';
  mode: 'subscribe' | 'unsubscribe';
  at: string | null;
  error: string | null;
  topics: Array<{ topic: string; ok: boolean; status_code: number | null; error: string | null }>;
}

export interface Subscription {
  id: string;
  name: string;
  url: string;
  events: string[];
  description: string | null;
  provider: string;
  active: boolean;
  disabled_reason: string | null;
  verification: Verification | null;
  previous_secret_expires_at: string | null;
  last_delivery: { status: DeliveryStatus; status_code: number | null; at: string | null } | null;
  created_at: string | null;
  updated_at: string | null;
  /** Only in the answers of create and rotate-secret. */
  signing_secret?: string;
  warnings?: string[];
}

export interface Attempt {
  number: number;
  started_at: string | null;
  duration_ms: number;
  status_code: number | null;
  success: boolean;
  error: string | null;
  response_excerpt: string | null;
  next_retry_at: string | null;
}

export interface Delivery {
  id: string;
  event_id: string;
  /** The id this delivery's envelope carries, in its provider's format. */
  message_id: string;
  event_type: string;
  subscription_id: string;
  /** The subscription's provider: this delivery's dialect. */
  provider: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string | null;
  updated_at: string | null;
  attempts: Attempt[];
}

export interface ApiEvent {
  id: string;
  type: string;
  /** null when the event went to matching subscriptions of every provider. */
  provider: string | null;
  created_at: string | null;
  data: unknown;
  /** Set, with `data` null, when a stored data object cannot be shown. */
  data_error?: string;
  deliveries?: Delivery[];
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface EventTypes {
  provider: string;
  providers: string[];
  patterns: string[];
  data: Array<{ type: string; category: string; description: string; uri?: string }>;
}

export interface NewSubscription {
  name: string;
  url: string;
  events: string[];
  description?: string;
  provider?: string;
  secret?: string;
  active?: boolean;
}

export type SubscriptionChanges = Partial<Pick<Subscription, 'name' | 'url' | 'events' | 'description' | 'active'>>;
