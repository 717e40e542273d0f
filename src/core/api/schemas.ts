import { z } from 'zod/v4';
import { didYouMean } from '../suggest.js';

/**
 * The API's contract, once: the zod schemas of every body it takes and
 * every object it answers. `hooks server` validates requests with them and
 * builds its OpenAPI document from them (server/openapi.ts); the client's
 * types (types.ts) are inferred from them. The ids of providers and audit
 * checks are given by the caller, so that this module loads nothing but zod
 * (the pages import its types too).
 */
export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'] as const;

type Ids = readonly [string, ...string[]];

const dateTime = z.string().meta({ format: 'date-time' });
export const nonEmpty = (max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a non-empty string') })
    .refine((v) => v.trim() !== '', 'must be a non-empty string')
    .refine((v) => v.length <= max, `must be at most ${max} characters`)
    .meta({ minLength: 1, maxLength: max });
const EVENTS_SHAPE = 'must be a non-empty array of event types or patterns ("*", "user.*", "user.created")';
const events = z.array(z.string({ error: EVENTS_SHAPE }).min(1, EVENTS_SHAPE), { error: EVENTS_SHAPE }).min(1, EVENTS_SHAPE);
export const bool = z.boolean({ error: 'must be true or false' });
/** A page's size: a whole number, in the query string. */
export const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));

export function apiSchemas(ids: { providers: Ids; checks: Ids }) {
  /** The named schemas: the OpenAPI document's components. */
  const registry = z.registry<{ id: string }>();
  // A misspelt provider is named with the nearest one, as the CLI names a misspelt type.
  const provider = z.enum(ids.providers, {
    error: (iss) => `${typeof iss.input === 'string' ? `unknown provider "${iss.input}"${didYouMean(iss.input, ids.providers)}; ` : ''}must be one of ${ids.providers.join(', ')}`,
  });
  const DeliveryStatus = z.enum(DELIVERY_STATUSES).register(registry, { id: 'DeliveryStatus' });

  const Error = z
    .object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }).strict() })
    .strict()
    .register(registry, { id: 'Error' });

  const Verification = z
    .object({
      status: z.enum(['verified', 'failed', 'unsubscribed']),
      mode: z.enum(['subscribe', 'unsubscribe']),
      at: dateTime,
      error: z.string().nullable(),
      topics: z.array(z.object({ topic: z.string(), ok: z.boolean(), status_code: z.number().int().nullable(), error: z.string().nullable() })),
    })
    .nullable()
    .register(registry, { id: 'Verification' });

  const Subscription = z
    .object({
      id: z.string().regex(/^sub_/),
      name: z.string(),
      url: z.string().meta({ format: 'uri' }),
      events: z.array(z.string()).min(1),
      description: z.string().nullable(),
      provider,
      active: z.boolean(),
      disabled_reason: z.string().nullable(),
      verification: Verification,
      previous_secret_expires_at: dateTime.nullable(),
      last_delivery: z.object({ status: DeliveryStatus, status_code: z.number().int().nullable(), at: dateTime }).nullable(),
      created_at: dateTime,
      updated_at: dateTime,
      signing_secret: z.string().optional().describe('Only in the answers of create and rotate-secret'),
      warnings: z.array(z.string()).optional().describe('What --strict-urls would refuse'),
    })
    .strict()
    .register(registry, { id: 'Subscription' });

  const SubscriptionCreate = z
    .object({
      name: nonEmpty(200),
      url: nonEmpty(2048).meta({ format: 'uri' }),
      events: events.describe('"*", "category.*" or exact types'),
      description: nonEmpty(2000).nullable().optional(),
      provider: provider.nullable().optional(),
      secret: z.unknown().optional().meta({ type: 'string', minLength: 8, description: 'Your own signing secret; one is generated otherwise' }),
      active: bool.optional().describe('Default true, except platforms that verify the endpoint first (asgardeo: inactive until verified)'),
    })
    .strict()
    .register(registry, { id: 'SubscriptionCreate' });

  const SubscriptionUpdate = z
    .object({
      name: nonEmpty(200).nullable().optional(),
      url: nonEmpty(2048).meta({ format: 'uri' }).optional(),
      events: events.optional(),
      description: nonEmpty(2000).nullable().optional(),
      active: bool.optional(),
    })
    .strict()
    .register(registry, { id: 'SubscriptionUpdate' });

  const SecretRotation = z.object({ secret: z.unknown().optional().meta({ type: 'string' }) }).strict().register(registry, { id: 'SecretRotation' });

  const Attempt = z
    .object({
      number: z.number().int().min(1),
      started_at: dateTime,
      duration_ms: z.number(),
      status_code: z.number().int().nullable(),
      success: z.boolean(),
      error: z.string().nullable(),
      response_excerpt: z.string().nullable().describe('First 2 KB of the response body'),
      next_retry_at: dateTime.nullable(),
    })
    .strict()
    .register(registry, { id: 'Attempt' });

  const Delivery = z
    .object({
      id: z.string().regex(/^dlv_/),
      event_id: z.string(),
      message_id: z.string().describe("The id this delivery's envelope carries (Standard Webhooks' webhook-id), in its provider's format"),
      event_type: z.string(),
      subscription_id: z.string(),
      provider: provider.describe("The subscription's provider: this delivery's dialect"),
      status: DeliveryStatus,
      attempt_count: z.number().int(),
      next_attempt_at: dateTime.nullable(),
      last_status_code: z.number().int().nullable(),
      last_error: z.string().nullable(),
      created_at: dateTime,
      updated_at: dateTime,
      attempts: z.array(Attempt),
    })
    .strict()
    .register(registry, { id: 'Delivery' });

  const AuditCheck = z
    .object({
      id: z.enum(ids.checks),
      status: z.enum(['pass', 'fail', 'warn', 'skip']),
      required: z.boolean(),
      rule: z.string(),
      detail: z.string(),
      hint: z.string().nullable(),
      status_code: z.number().int().nullable(),
      latency_ms: z.number().nullable(),
    })
    .strict();
  const AuditReport = z
    .object({
      url: z.string(),
      provider,
      checks: z.array(AuditCheck),
      passed: z.number().int(),
      failed: z.number().int(),
      warned: z.number().int(),
      skipped: z.number().int(),
      requests: z.number().int().describe('Requests sent to the receiver, handshake included'),
    })
    .strict()
    .register(registry, { id: 'AuditReport' });

  const AuditRequest = z
    .object({
      only: z.array(z.string(), { error: 'must be a list of check ids' }).optional().meta({ items: { enum: [...ids.checks] } }),
      timeout_ms: z.number({ error: 'must be an integer from 100 to 60000' }).int('must be an integer from 100 to 60000').min(100, 'must be an integer from 100 to 60000').max(60_000, 'must be an integer from 100 to 60000').optional(),
    })
    .strict()
    .register(registry, { id: 'AuditRequest' });

  const TestResult = z.object({ event_id: z.string(), delivery: Delivery }).register(registry, { id: 'TestResult' });

  const Event = z
    .object({
      id: z.string(),
      type: z.string(),
      provider: provider.nullable().describe('The dialect asked for; null when the event went to matching subscriptions of every provider'),
      created_at: dateTime,
      data: z.unknown().describe('The data given, or the fixture of the one provider asked for; null when each provider got its own fixture'),
      data_error: z.string().optional().describe('Set, with data null, when a stored data object cannot be shown (nested deeper than the API accepts)'),
      deliveries: z.array(Delivery).optional(),
    })
    .strict()
    .register(registry, { id: 'Event' });

  const EventCreate = z
    .object({
      type: z.string({ error: 'is required: an event type such as user.created' }).min(1, 'is required: an event type such as user.created'),
      data: z.unknown().optional().describe("Replaces the fixture's data object"),
      provider: provider.nullable().optional(),
    })
    .strict()
    .register(registry, { id: 'EventCreate' });

  const page = <T extends z.ZodType>(item: T, id: string) => z.object({ data: z.array(item), next_cursor: z.string().nullable() }).register(registry, { id });

  const EventTypeSample = z
    .object({
      provider,
      type: z.string(),
      category: z.string(),
      description: z.string(),
      uri: z.string().optional(),
      sample: z.unknown().describe('A fresh fixture of the data object, as POST /events would build it'),
    })
    .strict()
    .register(registry, { id: 'EventTypeSample' });

  const EventTypes = z
    .object({
      provider,
      providers: z.array(provider).describe('Every provider this API speaks'),
      patterns: z.array(z.string()),
      data: z.array(z.object({ type: z.string(), category: z.string(), description: z.string(), uri: z.string().optional() }).strict()),
    })
    .register(registry, { id: 'EventTypes' });

  const Health = z.object({ status: z.literal('ok'), version: z.string() }).register(registry, { id: 'Health' });

  // Synchronous hooks (server/routes/hooks.ts; their answers are described in server/hooks/openapi.ts).
  const HookCreate = z
    .object({
      name: nonEmpty(200).optional(),
      provider: nonEmpty(50).optional(),
      type: nonEmpty(200).describe('A synchronous hook type (GET /hook-types) or one of its aliases'),
      url: nonEmpty(2048).meta({ format: 'uri' }),
      secret: nonEmpty(4096).optional().describe("In the platform's form; generated when absent (none for platforms that authenticate nothing)"),
      fail_open: bool.optional().describe('Take the other failure path, where the platform lets an endpoint choose (WorkOS)'),
    })
    .strict()
    .register(registry, { id: 'HookCreate' });
  const flowFields = {
    email: nonEmpty(320).nullable().optional().describe("The user the flow is for: the sample's address becomes this one"),
    payload: z.unknown().optional().describe('The whole request payload instead of a fresh sample'),
  };
  const HookRunRequest = z.object(flowFields).strict().register(registry, { id: 'HookRunRequest' });
  const FlowRequest = z
    .object({ ...flowFields, provider: nonEmpty(50).optional().describe("Only this platform's hooks") })
    .strict()
    .register(registry, { id: 'FlowRequest' });

  return {
    registry,
    Error,
    Verification,
    Subscription,
    SubscriptionCreate,
    SubscriptionUpdate,
    SecretRotation,
    SubscriptionList: page(Subscription, 'SubscriptionList'),
    DeliveryStatus,
    Attempt,
    Delivery,
    DeliveryList: page(Delivery, 'DeliveryList'),
    AuditReport,
    AuditRequest,
    TestResult,
    Event,
    EventCreate,
    EventList: page(Event, 'EventList'),
    EventTypeSample,
    EventTypes,
    Health,
    HookCreate,
    HookRunRequest,
    FlowRequest,
    query: {
      limit: wholeNumber(1, 100, 'must be a whole number from 1 to 100'),
      wait: wholeNumber(0, 60_000, 'must be milliseconds from 0 to 60000'),
      provider,
    },
  };
}

export type ApiSchemas = ReturnType<typeof apiSchemas>;
