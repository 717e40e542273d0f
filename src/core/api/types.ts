import type { z } from 'zod/v4';
import type { ApiSchemas } from './schemas.js';

/**
 * The API's objects, as `hooks server` answers them: inferred from the one
 * set of schemas (schemas.ts) that also validates its requests and makes its
 * OpenAPI document. Types only: nothing here loads at run time.
 */
export { DELIVERY_STATUSES } from './schemas.js';

type Out<K extends keyof ApiSchemas> = ApiSchemas[K] extends z.ZodType ? z.output<ApiSchemas[K]> : never;
type In<K extends keyof ApiSchemas> = ApiSchemas[K] extends z.ZodType ? z.input<ApiSchemas[K]> : never;

export type DeliveryStatus = Out<'DeliveryStatus'>;
export type Verification = NonNullable<Out<'Verification'>>;
export type Subscription = Out<'Subscription'>;
export type Attempt = Out<'Attempt'>;
export type Delivery = Out<'Delivery'>;
export type ApiEvent = Out<'Event'>;
export type EventTypes = Out<'EventTypes'>;

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** What `POST /webhooks/subscriptions` takes. */
export type NewSubscription = Omit<In<'SubscriptionCreate'>, 'secret' | 'description' | 'provider'> & { description?: string; provider?: string; secret?: string };
export type SubscriptionChanges = Omit<In<'SubscriptionUpdate'>, 'name'> & { name?: string };
