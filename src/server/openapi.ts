import { DELIVERY_STATUSES } from '../core/api/types.js';
import { CHECK_IDS } from '../core/audit/report.js';
import { PROVIDER_IDS } from '../core/providers/registry.js';
import { hookPaths, hookSchemas } from './hooks/openapi.js';

/** OpenAPI 3.1 description of every route the emulator serves; tests check real answers against it. */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });
const dateTime = { type: 'string', format: 'date-time' };
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' };
const json = (schema: unknown) => ({ 'application/json': { schema } });
const ok = (description: string, schema: unknown) => ({ description, content: json(schema) });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: ERROR_TEXT[c], content: json(ref('Error')) }]));
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request; error.field names the field',
  401: 'Missing or wrong bearer token',
  404: 'No such resource',
  409: 'Conflicts with the resource state',
  413: 'Body over 1 MB',
  415: 'Body is not application/json',
  422: 'Refused: unknown event type, refused URL, or failed WebSub verification',
  502: 'The receiver could not be reached at all',
};
const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const pageParams = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'next_cursor of the previous page' },
];

const schemas = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  Verification: nullable('object', {
    required: ['status', 'mode', 'at', 'topics', 'error'],
    properties: {
      status: { enum: ['verified', 'failed', 'unsubscribed'] },
      mode: { enum: ['subscribe', 'unsubscribe'] },
      at: dateTime,
      error: nullable('string'),
      topics: {
        type: 'array',
        items: {
          type: 'object',
          required: ['topic', 'ok', 'status_code', 'error'],
          properties: { topic: { type: 'string' }, ok: { type: 'boolean' }, status_code: nullable('integer'), error: nullable('string') },
        },
      },
    },
  }),
  Subscription: {
    type: 'object',
    required: ['id', 'name', 'url', 'events', 'description', 'provider', 'active', 'disabled_reason', 'verification', 'previous_secret_expires_at', 'last_delivery', 'created_at', 'updated_at'],
    properties: {
      id: { type: 'string', pattern: '^sub_' },
      name: { type: 'string' },
      url: { type: 'string', format: 'uri' },
      events: { type: 'array', items: { type: 'string' }, minItems: 1 },
      description: nullable('string'),
      provider: { enum: PROVIDER_IDS },
      active: { type: 'boolean' },
      disabled_reason: nullable('string'),
      verification: ref('Verification'),
      previous_secret_expires_at: nullableDateTime,
      last_delivery: nullable('object', {
        required: ['status', 'status_code', 'at'],
        properties: { status: ref('DeliveryStatus'), status_code: nullable('integer'), at: dateTime },
      }),
      created_at: dateTime,
      updated_at: dateTime,
      signing_secret: { type: 'string', description: 'Only in the answers of create and rotate-secret' },
      warnings: { type: 'array', items: { type: 'string' }, description: 'What --strict-urls would refuse' },
    },
    additionalProperties: false,
  },
  SubscriptionCreate: {
    type: 'object',
    required: ['name', 'url', 'events'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200 },
      url: { type: 'string', format: 'uri' },
      events: { type: 'array', items: { type: 'string' }, minItems: 1, description: '"*", "category.*" or exact types' },
      description: nullable('string'),
      provider: { enum: PROVIDER_IDS },
      secret: { type: 'string', minLength: 8, description: 'Your own signing secret; one is generated otherwise' },
      active: { type: 'boolean', description: 'Default true, except asgardeo (inactive until verified)' },
    },
    additionalProperties: false,
  },
  SubscriptionUpdate: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      url: { type: 'string', format: 'uri' },
      events: { type: 'array', items: { type: 'string' }, minItems: 1 },
      description: nullable('string'),
      active: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  SubscriptionList: {
    type: 'object',
    required: ['data', 'next_cursor'],
    properties: { data: { type: 'array', items: ref('Subscription') }, next_cursor: nullable('string') },
  },
  DeliveryStatus: { enum: DELIVERY_STATUSES },
  Attempt: {
    type: 'object',
    required: ['number', 'started_at', 'duration_ms', 'status_code', 'success', 'error', 'response_excerpt', 'next_retry_at'],
    properties: {
      number: { type: 'integer', minimum: 1 },
      started_at: dateTime,
      duration_ms: { type: 'number' },
      status_code: nullable('integer'),
      success: { type: 'boolean' },
      error: nullable('string'),
      response_excerpt: nullable('string', { description: 'First 2 KB of the response body' }),
      next_retry_at: nullableDateTime,
    },
    additionalProperties: false,
  },
  Delivery: {
    type: 'object',
    required: ['id', 'event_id', 'message_id', 'event_type', 'subscription_id', 'provider', 'status', 'attempt_count', 'next_attempt_at', 'last_status_code', 'last_error', 'created_at', 'updated_at', 'attempts'],
    properties: {
      id: { type: 'string', pattern: '^dlv_' },
      event_id: { type: 'string' },
      message_id: { type: 'string', description: "The id this delivery's envelope carries (Standard Webhooks' webhook-id), in its provider's format" },
      event_type: { type: 'string' },
      subscription_id: { type: 'string' },
      provider: { enum: PROVIDER_IDS, description: "The subscription's provider: this delivery's dialect" },
      status: ref('DeliveryStatus'),
      attempt_count: { type: 'integer' },
      next_attempt_at: nullableDateTime,
      last_status_code: nullable('integer'),
      last_error: nullable('string'),
      created_at: dateTime,
      updated_at: dateTime,
      attempts: { type: 'array', items: ref('Attempt') },
    },
    additionalProperties: false,
  },
  DeliveryList: {
    type: 'object',
    required: ['data', 'next_cursor'],
    properties: { data: { type: 'array', items: ref('Delivery') }, next_cursor: nullable('string') },
  },
  AuditReport: {
    type: 'object',
    required: ['url', 'provider', 'checks', 'passed', 'failed', 'warned', 'skipped', 'requests'],
    properties: {
      url: { type: 'string' },
      provider: { enum: PROVIDER_IDS },
      checks: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'status', 'required', 'rule', 'detail', 'hint', 'status_code', 'latency_ms'],
          properties: {
            id: { enum: CHECK_IDS },
            status: { enum: ['pass', 'fail', 'warn', 'skip'] },
            required: { type: 'boolean' },
            rule: { type: 'string' },
            detail: { type: 'string' },
            hint: nullable('string'),
            status_code: nullable('integer'),
            latency_ms: nullable('number'),
          },
          additionalProperties: false,
        },
      },
      passed: { type: 'integer' },
      failed: { type: 'integer' },
      warned: { type: 'integer' },
      skipped: { type: 'integer' },
      requests: { type: 'integer', description: 'Requests sent to the receiver, handshake included' },
    },
    additionalProperties: false,
  },
  TestResult: {
    type: 'object',
    required: ['event_id', 'delivery'],
    properties: { event_id: { type: 'string' }, delivery: ref('Delivery') },
  },
  Event: {
    type: 'object',
    required: ['id', 'type', 'provider', 'created_at', 'data'],
    properties: {
      id: { type: 'string' },
      type: { type: 'string' },
      provider: { enum: [...PROVIDER_IDS, null], description: 'The dialect asked for; null when the event went to matching subscriptions of every provider' },
      created_at: dateTime,
      data: { description: 'The data given, or the fixture of the one provider asked for; null when each provider got its own fixture' },
      data_error: { type: 'string', description: 'Set, with data null, when a stored data object cannot be shown (nested deeper than the API accepts)' },
      deliveries: { type: 'array', items: ref('Delivery') },
    },
    additionalProperties: false,
  },
  EventCreate: {
    type: 'object',
    required: ['type'],
    properties: {
      type: { type: 'string' },
      data: { description: "Replaces the fixture's data object" },
      provider: { enum: PROVIDER_IDS },
    },
    additionalProperties: false,
  },
  EventList: {
    type: 'object',
    required: ['data', 'next_cursor'],
    properties: { data: { type: 'array', items: ref('Event') }, next_cursor: nullable('string') },
  },
  EventTypeSample: {
    type: 'object',
    required: ['provider', 'type', 'category', 'description', 'sample'],
    properties: {
      provider: { enum: PROVIDER_IDS },
      type: { type: 'string' },
      category: { type: 'string' },
      description: { type: 'string' },
      uri: { type: 'string' },
      sample: { description: 'A fresh fixture of the data object, as POST /events would build it' },
    },
    additionalProperties: false,
  },
  EventTypes: {
    type: 'object',
    required: ['provider', 'providers', 'patterns', 'data'],
    properties: {
      provider: { enum: PROVIDER_IDS },
      providers: { type: 'array', items: { enum: PROVIDER_IDS }, description: 'Every provider this API speaks' },
      patterns: { type: 'array', items: { type: 'string' } },
      data: {
        type: 'array',
        items: {
          type: 'object',
          required: ['type', 'category', 'description'],
          properties: { type: { type: 'string' }, category: { type: 'string' }, description: { type: 'string' }, uri: { type: 'string' } },
          additionalProperties: false,
        },
      },
    },
  },
  Health: { type: 'object', required: ['status', 'version'], properties: { status: { const: 'ok' }, version: { type: 'string' } } },
};

export function openapiDocument(version: string) {
  const subId = idParam('id', 'Subscription id');
  return {
    openapi: '3.1.0',
    info: {
      title: 'hooks server',
      version,
      description: 'The local webhook platform behind `hooks server`: subscriptions, events, signed delivery with retries, and the delivery feed.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths: {
      '/healthz': { get: { operationId: 'health', security: [], responses: { '200': ok('The server is up', ref('Health')) } } },
      '/openapi.json': { get: { operationId: 'openapi', responses: { '200': ok('This document', { type: 'object' }), ...errors(401) } } },
      '/webhooks/event-types': {
        get: {
          operationId: 'listEventTypes',
          parameters: [{ name: 'provider', in: 'query', schema: { enum: PROVIDER_IDS } }],
          responses: { '200': ok("The provider's event catalog", ref('EventTypes')), ...errors(400, 401) },
        },
      },
      '/webhooks/event-types/{type}': {
        get: {
          operationId: 'getEventType',
          parameters: [
            { name: 'type', in: 'path', required: true, schema: { type: 'string' }, description: 'An event type, or (Asgardeo) its event URI' },
            { name: 'provider', in: 'query', schema: { enum: PROVIDER_IDS } },
          ],
          responses: { '200': ok('The type with a fresh fixture of its data', ref('EventTypeSample')), ...errors(400, 401, 404) },
        },
      },
      '/webhooks/subscriptions': {
        post: {
          operationId: 'createSubscription',
          requestBody: { required: true, content: json(ref('SubscriptionCreate')) },
          responses: { '201': ok('Created; the only answer besides rotate-secret that carries signing_secret', ref('Subscription')), ...errors(400, 401, 413, 415, 422) },
        },
        get: { operationId: 'listSubscriptions', parameters: pageParams, responses: { '200': ok('Newest first', ref('SubscriptionList')), ...errors(400, 401) } },
      },
      '/webhooks/subscriptions/{id}': {
        parameters: [subId],
        get: { operationId: 'getSubscription', responses: { '200': ok('The subscription', ref('Subscription')), ...errors(401, 404) } },
        patch: {
          operationId: 'updateSubscription',
          requestBody: { required: true, content: json(ref('SubscriptionUpdate')) },
          responses: { '200': ok('Updated; activating an asgardeo subscription runs the WebSub handshake', ref('Subscription')), ...errors(400, 401, 404, 413, 415, 422) },
        },
        delete: { operationId: 'deleteSubscription', responses: { '204': { description: 'Deleted, with its deliveries' }, ...errors(401, 404, 409) } },
      },
      '/webhooks/subscriptions/{id}/rotate-secret': {
        parameters: [subId],
        post: {
          operationId: 'rotateSecret',
          requestBody: { required: false, content: json({ type: 'object', properties: { secret: { type: 'string' } }, additionalProperties: false }) },
          responses: { '200': ok('The new secret, once; standard and stripe keep signing with the old one for the grace period', ref('Subscription')), ...errors(400, 401, 404, 415) },
        },
      },
      '/webhooks/subscriptions/{id}/test': {
        parameters: [subId],
        post: { operationId: 'testSubscription', responses: { '200': ok("the platform's test event (or a sample of the first type the subscription receives) sent; the answer waits for its attempt", ref('TestResult')), ...errors(401, 404, 409) } },
      },
      '/webhooks/subscriptions/{id}/audit': {
        parameters: [subId],
        post: {
          operationId: 'auditSubscription',
          description: "Grades the subscription's receiver with real signed deliveries in its provider's dialect (hooks audit); the secret stays on the server",
          requestBody: {
            required: false,
            content: json({ type: 'object', properties: { only: { type: 'array', items: { enum: CHECK_IDS } }, timeout_ms: { type: 'integer', minimum: 100, maximum: 60000 } }, additionalProperties: false }),
          },
          responses: { '200': ok('Every check with its verdict', ref('AuditReport')), ...errors(400, 401, 404, 415, 502) },
        },
      },
      '/webhooks/subscriptions/{id}/deliveries': {
        parameters: [subId, ...pageParams],
        get: { operationId: 'listDeliveries', responses: { '200': ok('The delivery feed, newest first, every attempt', ref('DeliveryList')), ...errors(400, 401, 404) } },
      },
      '/webhooks/deliveries/{id}': {
        parameters: [idParam('id', 'Delivery id')],
        get: { operationId: 'getDelivery', responses: { '200': ok('The delivery and its attempts', ref('Delivery')), ...errors(401, 404) } },
      },
      '/webhooks/deliveries/{id}/retry': {
        parameters: [idParam('id', 'Delivery id')],
        post: { operationId: 'retryDelivery', responses: { '200': ok('Re-sent now as a new attempt; the answer waits for it', ref('Delivery')), ...errors(401, 404, 409) } },
      },
      '/events': {
        post: {
          operationId: 'createEvent',
          parameters: [{ name: 'wait', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 60000 }, description: 'Wait up to this many ms for each first attempt' }],
          requestBody: { required: true, content: json(ref('EventCreate')) },
          responses: { '201': ok('Stored with one delivery per matching active subscription', ref('Event')), ...errors(400, 401, 413, 415, 422) },
        },
        get: {
          operationId: 'listEvents',
          parameters: [...pageParams, { name: 'type', in: 'query', schema: { type: 'string' } }],
          responses: { '200': ok('Newest first', ref('EventList')), ...errors(400, 401) },
        },
      },
      '/events/{id}': {
        parameters: [idParam('id', 'Event id')],
        get: { operationId: 'getEvent', responses: { '200': ok('The event with its deliveries', ref('Event')), ...errors(401, 404) } },
      },
      ...hookPaths,
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token hooks server stores in its server.json' } },
      schemas: { ...schemas, ...hookSchemas },
    },
  };
}
