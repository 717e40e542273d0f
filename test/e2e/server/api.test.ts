import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { expectSchema } from '../../helpers/openapi.js';
import { openapiDocument } from '../../../src/server/openapi.js';

let s: HooksServer;
beforeAll(async () => {
  s = await startHooksServer();
});
afterAll(() => s.kill9());

const create = (over: Record<string, unknown> = {}, status = 201) =>
  s.api('POST', '/webhooks/subscriptions', { name: 'CRM sync', url: 'http://127.0.0.1:9/hook', events: ['user.*'], ...over }, { status });

describe('subscriptions API', () => {
  it('creates a subscription: 201, signing_secret once, a development-mode warning', async () => {
    const r = await create({ description: 'Push users to the CRM' });
    expect(r.status).toBe(201);
    expectSchema('Subscription', r.json);
    expect(r.json).toMatchObject({ name: 'CRM sync', provider: 'standard', active: true, events: ['user.*'], last_delivery: null });
    expect(r.json.signing_secret).toMatch(/^whsec_/);
    expect(r.json.warnings.join(' ')).toContain('development mode');
    const got = await s.api('GET', `/webhooks/subscriptions/${r.json.id}`);
    expectSchema('Subscription', got.json);
    expect(got.json.signing_secret).toBeUndefined();
    expect(got.text).not.toContain(r.json.signing_secret);
  });

  it('accepts a caller-supplied secret (seed 004) and refuses a malformed standard one', async () => {
    const own = await create({ provider: 'lmif', secret: 'your-webhook-secret', events: ['box.created', 'license.*'] });
    expect(own.status).toBe(201);
    expect(own.json.signing_secret).toBe('your-webhook-secret');
    const bad = await create({ secret: 'not base64!!' }, 400);
    expect(bad.json.error.field).toBe('secret');
  });

  it('lists newest first with cursor pagination', async () => {
    for (let i = 0; i < 3; i++) await create({ name: `page-${i}` });
    const first = await s.api('GET', '/webhooks/subscriptions?limit=2');
    expectSchema('SubscriptionList', first.json);
    expect(first.json.data).toHaveLength(2);
    expect(first.json.data[0].name).toBe('page-2');
    const second = await s.api('GET', `/webhooks/subscriptions?limit=2&cursor=${first.json.next_cursor}`);
    expect(second.json.data[0].name).toBe('page-0');
    expect(second.json.data.map((x: { id: string }) => x.id)).not.toContain(first.json.data[1].id);
  });

  it('updates, rotates the secret (returned once) and deletes', async () => {
    const { json: sub } = await create();
    const patched = await s.api('PATCH', `/webhooks/subscriptions/${sub.id}`, { name: 'renamed', events: ['user.created', 'session.*'] });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: 'renamed', events: ['user.created', 'session.*'] });
    const rotated = await s.api('POST', `/webhooks/subscriptions/${sub.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.signing_secret).toMatch(/^whsec_/);
    expect(rotated.json.signing_secret).not.toBe(sub.signing_secret);
    expect(rotated.json.previous_secret_expires_at).not.toBeNull();
    await s.api('DELETE', `/webhooks/subscriptions/${sub.id}`, undefined, { status: 204 });
    await s.api('GET', `/webhooks/subscriptions/${sub.id}`, undefined, { status: 404 });
  });

  it('refuses unknown exact event types with the known ones, and unknown categories', async () => {
    const r = await create({ events: ['user.creatd'] }, 422);
    expectSchema('Error', r.json);
    expect(r.json.error).toMatchObject({ code: 'unknown_event_type', field: 'events' });
    expect(r.json.error.message).toContain('did you mean "user.created"');
    expect(r.json.error.message).toContain('known: user.created');
    await create({ events: ['billing.*'] }, 422);
  });

  it("points a GitHub event name at its actions, and keeps a long catalog's list short", async () => {
    const r = await create({ events: ['issues'], provider: 'github' }, 422);
    expect(r.json.error.message).toContain('unknown github event type "issues" (did you mean "issues.*"?)');
    expect(r.json.error.message).toMatch(/known: push, .*, … \(224 in all\)$/);
    expect(r.json.error.message.length).toBeLessThan(600);
    const ev = await s.api('POST', '/events', { type: 'issue.opened', provider: 'github' }, { status: 422 });
    expect(ev.json.error.message).toContain('(did you mean "issues.opened"?)');
    expect(ev.json.error.message).toContain('(224 in all)');
  });

  it.each([
    [{ url: undefined }, 400, 'url'],
    [{ name: '' }, 400, 'name'],
    [{ events: [] }, 400, 'events'],
    [{ provider: 'keycloak' }, 400, 'provider'],
    [{ colour: 'blue' }, 400, 'colour'],
    [{ url: 'ftp://example.com/x' }, 422, 'url'],
  ])('names the field of an invalid body %#', async (over, status, field) => {
    const r = await create(over, status);
    expect(r.json.error.field).toBe(field);
  });

  it('answers 415, 413, 400 for bad JSON, 404 and 405', async () => {
    const text = await s.api('POST', '/webhooks/subscriptions', 'name=x', { status: 415, headers: { 'content-type': 'text/plain' } });
    const big = await s.api('POST', '/webhooks/subscriptions', JSON.stringify({ name: 'x'.repeat(1_100_000) }), { status: 413 });
    const broken = await s.api('POST', '/webhooks/subscriptions', '{"name":', { status: 400 });
    expect(broken.json.error.code).toBe('invalid_json');
    await s.api('GET', '/webhooks/subscriptions/sub_nope', undefined, { status: 404 });
    await s.api('PUT', '/webhooks/subscriptions/sub_nope', {}, { status: 405 });
    await s.api('GET', '/nothing', undefined, { status: 404 });
  });

  it('lists the event types of a provider', async () => {
    const r = await s.api('GET', '/webhooks/event-types?provider=lmif');
    expectSchema('EventTypes', r.json);
    expect(r.json.patterns).toContain('grace_period.*');
    expect(r.json.data.map((t: { type: string }) => t.type)).toContain('detection.scan_complete');
    // Patterns come from the type names: Ithbat files user.login under "security", and security.* would match nothing.
    const ithbat = await s.api('GET', '/webhooks/event-types?provider=ithbat');
    expect(ithbat.json.patterns).toEqual(['*', 'user.*', 'tenant.*']);
  });

  it('creates events with a fixture or given data, and refuses unknown types with a suggestion', async () => {
    const r = await s.api('POST', '/events', { type: 'user.created', provider: 'standard' });
    expect(r.status).toBe(201);
    expectSchema('Event', r.json);
    expect(r.json.data.user.email).toMatch(/@/);
    const given = await s.api('POST', '/events', { type: 'box.created', provider: 'lmif', data: { boxId: 'box_given' } });
    expect(given.json).toMatchObject({ provider: 'lmif', data: { boxId: 'box_given' } });
    const list = await s.api('GET', '/events?limit=1');
    expectSchema('EventList', list.json);
    expect(list.json.data[0].id).toBe(given.json.id);
    const one = await s.api('GET', `/events/${r.json.id}`);
    expectSchema('Event', one.json);
    const unknown = await s.api('POST', '/events', { type: 'user.craeted' }, { status: 422 });
    expect(unknown.json.error.message).toContain('did you mean "user.created"');
  });

  it('serves a valid OpenAPI 3.1 document that covers every route', async () => {
    const r = await s.api('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.json.openapi).toBe('3.1.0');
    expect(r.json).toEqual(JSON.parse(JSON.stringify(openapiDocument(r.json.info.version))));
    const { buildRouter } = await import('../../../src/server/app.js');
    const routes = buildRouter({} as never, 'x').list();
    const documented = Object.entries(r.json.paths).flatMap(([path, item]) =>
      Object.keys(item as object).filter((k) => k !== 'parameters').map((m) => `${m.toUpperCase()} /api/v1${path}`),
    );
    // The API is what lives under /api/v1; the JWKS sits where JWKS clients look for it, outside the API.
    const api = routes.filter((x) => x.template.startsWith('/api/v1/'));
    expect(routes.filter((x) => !api.includes(x)).map((x) => `${x.method} ${x.template}`)).toEqual(['GET /.well-known/jwks.json']);
    expect(documented.sort()).toEqual(api.map((x) => `${x.method} ${x.template}`).sort());
    // Every $ref resolves.
    for (const m of JSON.stringify(r.json).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) expect(r.json.components.schemas[m[1]!], m[1]).toBeDefined();
  });
});
