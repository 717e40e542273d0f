import { z } from 'zod/v4';
import { PROVIDER_IDS } from '../core/providers/registry.js';
import { contract } from './contract.js';
import { hookPaths, hookSchemas } from './hooks/openapi.js';

/**
 * OpenAPI 3.1 description of every route the emulator serves: the
 * operations here, every schema from the contract (core/api/schemas.ts),
 * the same one that validates requests; tests check real answers against it.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
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

/** The document's components: every named schema of the contract, as JSON Schema 2020-12 (OpenAPI 3.1's dialect). */
function components(): Record<string, unknown> {
  const { registry } = contract();
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'any' });
  // Each component is a schema inside this document, not a document of its own.
  return Object.fromEntries(Object.entries(schemas).map(([name, { $schema: _schema, $id: _id, ...schema }]) => [name, schema]));
}

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
          requestBody: { required: false, content: json(ref('SecretRotation')) },
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
          requestBody: { required: false, content: json(ref('AuditRequest')) },
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
      schemas: { ...components(), ...hookSchemas },
    },
  };
}
