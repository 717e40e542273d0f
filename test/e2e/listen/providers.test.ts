import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../../src/core/providers/verification.js';
import { PROVIDER_IDS, getProvider } from '../../../src/core/providers/registry.js';
import { openEventStore } from '../../../src/core/store/event-store.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

// One secret every profile accepts: Standard Webhooks needs whsec_ + base64.
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let server: HooksServer;
let app: Receiver;
let listen: HooksListen;

beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  app = await startReceiver();
  listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--secret', SECRET, '--provider', 'auto'], { HOOKS_CONFIG_DIR: server.configDir });
});
afterAll(async () => {
  await listen.kill9();
  await server.kill9();
  await app.close();
});

describe('hooks server → hooks listen → app, for every provider', () => {
  it.each(PROVIDER_IDS)('%s arrives byte-identical, signed, and verified', async (provider) => {
    const type = getProvider(provider).catalog.representative;
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: provider, url: `${listen.localUrl}/${provider}`, events: ['*'], provider, secret: SECRET, active: true });
    expect(sub.status, JSON.stringify(sub.json)).toBe(201);
    expect(sub.json.active).toBe(true);
    const ev = await server.api('POST', '/events?wait=5000', { type, provider });
    expect(ev.json.deliveries[0]).toMatchObject({ status: 'succeeded' });
    const line = await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.provider === provider);
    expect(line).toMatchObject({ verdict: 'verified', event_type: type, event_id: ev.json.id, status: 200 });

    const atApp = app.requests.filter((r) => r.url === `/${provider}` && r.method === 'POST');
    expect(atApp).toHaveLength(1);
    const received = atApp[0]!;
    // The app can verify the signature itself on the bytes it got…
    expect(verifyDelivery({ provider, body: received.body, headers: received.headers as Record<string, string>, secret: SECRET }).valid).toBe(true);
    // …and they are the very bytes the relay stored.
    const store = await openEventStore(listen.dataDir);
    const stored = store.get(line.id)!;
    await store.close();
    expect(stored.body.equals(received.body)).toBe(true);
    expect(stored.verdict).toBe('verified');
  });
});
