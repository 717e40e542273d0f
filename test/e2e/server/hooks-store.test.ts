import { afterEach, describe, expect, it } from 'vitest';
import { liveStream } from '../../helpers/console-live.js';
import { startHooksServer, tempDir, type HooksServer } from '../../helpers/hooks-server.js';
import { expectSchema } from '../../helpers/openapi.js';
import { openSession } from '../../helpers/page-client.js';
import { usePostgres } from '../../helpers/postgres.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { oktaReceiver, replyJson } from '../../helpers/sync-receivers.js';

/**
 * Synchronous hook registrations (their secrets too) and their runs live in
 * the emulator's store, as subscriptions and deliveries do: a restart keeps
 * them, and every instance on one PostgreSQL database sees the others'.
 */
const postgres = usePostgres();

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((c) => c()));
  cleanup = [];
});

/**
 * An Okta token hook receiver that checks the Authorization value it was
 * given (set once the emulator generated it) and adds a `tier` claim.
 */
async function tokenHookReceiver(): Promise<Receiver & { secret: { value: string } }> {
  const secret = { value: '' };
  const r = await startReceiver((req, i) =>
    oktaReceiver(secret.value, (p) => replyJson({ commands: [{ type: 'com.okta.access.patch', value: [{ op: 'add', path: '/claims/tier', value: p.data.context.user.profile.login.endsWith('@gold.test') ? 'gold' : 'basic' }] }] }))(req, i),
  );
  cleanup.push(() => r.close());
  return Object.assign(r, { secret });
}

async function server(opts: { dataDir?: string; databaseUrl?: string }): Promise<HooksServer> {
  const s = await startHooksServer({ dataDir: opts.dataDir, args: opts.databaseUrl ? ['--database', opts.databaseUrl] : [] });
  cleanup.push(() => s.kill9());
  return s;
}

describe.each(['sqlite', 'postgres'] as const)('hook registrations and runs over %s', (kind) => {
  it('a restart keeps the registration, its secret and its runs', async () => {
    const where = kind === 'sqlite' ? { dataDir: tempDir('data') } : { databaseUrl: await postgres.database() };
    const receiver = await tokenHookReceiver();
    const first = await server(where);
    // No secret given: the emulator makes one and shows it once.
    const created = await first.api('POST', '/hooks', { type: 'com.okta.oauth2.tokens.transform', url: `${receiver.url}/token` });
    receiver.secret.value = created.json.secret;
    const ran = await first.api('POST', '/flows/sign-in', { provider: 'okta', email: 'ada@gold.test' });
    expect(ran.json).toMatchObject({ signed_in: true, path: 'answer', violations: [] });
    expect(await first.stop()).toBe(0);

    const again = await server(where);
    const hooks = await again.api('GET', '/hooks');
    expectSchema('HookList', hooks.json);
    expect(hooks.json.data).toEqual([{ id: created.json.id, name: created.json.name, provider: 'okta', type: 'com.okta.oauth2.tokens.transform', url: `${receiver.url}/token`, fail_open: false, created_at: created.json.created_at }]);
    // The run as it was answered, in the feed and under its hook.
    const feed = await again.api('GET', '/flows');
    expectSchema('HookRunList', feed.json);
    expect(feed.json.data).toEqual([ran.json]);
    expect((await again.api('GET', `/hooks/${created.json.id}/runs`)).json.data).toEqual([ran.json]);
    // The stored secret still authenticates the call: the receiver refuses any other value.
    const next = await again.api('POST', '/flows/sign-in', { provider: 'okta', email: 'lin@gold.test' });
    expect(next.json).toMatchObject({ signed_in: true, path: 'answer', violations: [] });
    expect(next.json.token.access_token.claims.tier).toBe('gold');
    expect((await again.api('GET', '/flows')).json.data.map((r: { id: string }) => r.id)).toEqual([next.json.id, ran.json.id]);
    // Never shown again after the answer that created it.
    expect(JSON.stringify((await again.api('GET', `/hooks/${created.json.id}`)).json)).not.toContain(created.json.secret);
  }, 60_000);
});

describe('two hooks servers on one PostgreSQL database', () => {
  it("each sees the other's registrations and runs: the API, the flows feed and the console", async () => {
    const url = await postgres.database();
    const [a, b] = [await server({ databaseUrl: url }), await server({ databaseUrl: url })];
    const receiver = await tokenHookReceiver();
    const created = await a.api('POST', '/hooks', { type: 'com.okta.oauth2.tokens.transform', url: `${receiver.url}/token` });
    receiver.secret.value = created.json.secret;
    expect((await b.api('GET', '/hooks')).json.data.map((h: { id: string }) => h.id)).toEqual([created.json.id]);
    expect((await b.api('GET', `/hooks/${created.json.id}`)).json).toMatchObject({ id: created.json.id, url: `${receiver.url}/token` });

    // The console on A is open on its live stream when B runs the flow.
    const session = await openSession(a.ready.console_url as string);
    const live = liveStream(`${a.url}/console/live`, session.session);
    cleanup.push(async () => live.close());
    await live.opened;

    // B runs the flow with the secret A made: the receiver accepts it.
    const ran = await b.api('POST', '/flows/sign-in', { provider: 'okta', email: 'ada@gold.test' });
    expect(ran.json).toMatchObject({ hook_id: created.json.id, signed_in: true, path: 'answer', violations: [] });
    expect(ran.json.token.access_token.claims.tier).toBe('gold');
    await b.waitForEvent((e) => e.type === 'hook.called' && e.run_id === ran.json.id);
    expect(a.events.filter((e) => e.type === 'hook.called')).toEqual([]);

    // A shows B's run: the flows feed, the hook's runs, and the console (its live stream and the API its page reads).
    expect((await a.api('GET', '/flows')).json.data).toEqual([ran.json]);
    expect((await a.api('GET', `/hooks/${created.json.id}/runs`)).json.data).toEqual([ran.json]);
    expect(await live.waitFor(ran.json.id)).toContain(`"hook_id":"${created.json.id}"`);
    const runs = await session.get(`/api/v1/hooks/${created.json.id}/runs`);
    expect(runs.status).toBe(200);
    expect(runs.json.data).toEqual([ran.json]);

    // A removes it: B no longer has it, and B's flow says so.
    await a.api('DELETE', `/hooks/${created.json.id}`, undefined, { status: 204 });
    await b.api('GET', `/hooks/${created.json.id}`, undefined, { status: 404 });
    await b.api('POST', '/flows/sign-in', { provider: 'okta' }, { status: 409 });
    // The feed is a history: the run stays in it.
    expect((await b.api('GET', '/flows')).json.data.map((r: { id: string }) => r.id)).toEqual([ran.json.id]);
  }, 60_000);
});
