import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { HeaderBag } from '../../../src/core/signing/headers.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

// Nothing listens on the discard port: the receiver is down while the events are sent.
const DOWN = 'http://127.0.0.1:9/webhooks';
let server: HooksServer;
let app: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  server = await startHooksServer();
  app = await startReceiver();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined };
});
afterAll(async () => {
  await server.kill9();
  await app.close();
});

/** A subscription that outlives sessions, and `count` events sent while its receiver is down. */
async function missedWhileDown(sub: { id: string }, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = await server.api('POST', '/events?wait=5000', { type: 'user.created', data: { n: i } });
    const d = event.json.deliveries.find((x: { subscription_id: string }) => x.subscription_id === sub.id);
    expect(d.status).toBe('retrying');
    ids.push(event.json.id);
  }
  return ids;
}

const validFor = (secret: string) => (r: Receiver['requests'][number]) => getProvider('standard').scheme.verify(r.body, HeaderBag.from(r.headers as Record<string, string>), secret).valid;

describe('catch-up: what a subscription missed while no session listened', () => {
  it('re-sends, oldest first, the deliveries that failed while the receiver was down; the app gets each once, validly signed', async () => {
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: 'dev laptop', url: DOWN, events: ['user.*'] });
    const secret: string = sub.json.signing_secret;
    const events = await missedWhileDown(sub.json, 3);
    const before = app.requests.length;
    const dataDir = tempDir('catchup');
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--subscription', sub.json.id, '--secret', secret], env, dataDir);
    const done = await listen.waitForEvent((e) => e.type === 'catchup.done');
    expect(done).toMatchObject({ after: 'start', subscription_id: sub.json.id, since: null, found: 3, retried: 3, succeeded: 3, failed: 0, skipped: 0, errors: [] });
    const got = (await app.waitFor(before + 3)).slice(before);
    expect(got.every(validFor(secret))).toBe(true);
    expect(got.map((r) => JSON.parse(r.body.toString()).data.n)).toEqual([0, 1, 2]);
    expect(listen.events.filter((e) => e.type === 'delivery.forwarded').map((e) => e.verdict)).toEqual(['verified', 'verified', 'verified']);
    await listen.stop('SIGINT');
    expect(app.requests.length).toBe(before + 3);
    expect(events).toHaveLength(3);

    // The URL is restored to the dead one on exit: two more are missed. The next session with the
    // same store catches up only those, not the three it already received.
    await missedWhileDown(sub.json, 2);
    const next = await startListen(['--forward', app.url, '--tunnel', 'none', '--subscription', sub.json.id, '--secret', secret], env, dataDir);
    const again = await next.waitForEvent((e) => e.type === 'catchup.done');
    expect(again).toMatchObject({ found: 2, retried: 2, succeeded: 2 });
    expect(again.since).toEqual(expect.any(String));
    await app.waitFor(before + 5);
    expect(app.requests.slice(before + 3).every(validFor(secret))).toBe(true);
    await next.stop('SIGINT');
  });

  it('prints "caught up N deliveries" for a person', async () => {
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: 'dev laptop 2', url: DOWN, events: ['user.*'] });
    await missedWhileDown(sub.json, 1);
    const { startTextProcess } = await import('../../helpers/hooks-process.js');
    const listen = await startTextProcess(['listen', '--forward', app.url, '--tunnel', 'none', '--no-inspect', '--data-dir', tempDir('catchup'), '--subscription', sub.json.id, '--secret', sub.json.signing_secret], env, 'Ready!');
    await listen.waitFor(`caught up 1 delivery of ${sub.json.id}`);
    await listen.stop('SIGINT');
  });

  it('--no-catch-up leaves them to the platform', async () => {
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: 'dev laptop 3', url: DOWN, events: ['user.*'] });
    const [missed] = await missedWhileDown(sub.json, 1);
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--subscription', sub.json.id, '--secret', sub.json.signing_secret, '--no-catch-up'], env);
    await listen.stop('SIGINT');
    expect(listen.events.some((e) => e.type === 'catchup.done')).toBe(false);
    const event = await server.api('GET', `/events/${missed}`);
    expect(event.json.deliveries[0]).toMatchObject({ status: 'retrying', attempt_count: 1 });
  });
});
