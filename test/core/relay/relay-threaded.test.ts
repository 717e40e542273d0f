import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as RelayModule from '../../../src/core/relay/relay.js';
import type * as SecretsModule from '../../../src/core/relay/session-secrets.js';
import type * as StoreModule from '../../../src/core/store/event-store.js';
import type * as InspectorModule from '../../../src/inspector/server.js';
import type * as InboxModule from '../../../src/core/inbox/inbox.js';
import type * as Registry from '../../../src/core/providers/registry.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { openSession } from '../../helpers/page-client.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

// A listen session's shape, in process: the relay and the inspector over one
// store whose writes run on the write thread. The worker script exists only
// as built JavaScript, so everything comes from dist/ (kept fresh by the
// global setup).
const dist = (path: string) => import(new URL(`../../../dist/${path}`, import.meta.url).href);
const { Relay } = (await dist('core/relay/relay.js')) as typeof RelayModule;
const { openEventStore } = (await dist('core/store/event-store.js')) as typeof StoreModule;
const { startInspector } = (await dist('inspector/server.js')) as typeof InspectorModule;
const { inboxOver } = (await dist('core/inbox/inbox.js')) as typeof InboxModule;
const { getProvider } = (await dist('core/providers/registry.js')) as typeof Registry;
const { SessionSecrets } = (await dist('core/relay/session-secrets.js')) as typeof SecretsModule;

const SECRET = 'threaded-relay-secret';
const sign = (body: Buffer) => Object.entries(getProvider('ithbat').scheme.sign(body, SECRET, { id: 'm', timestamp: 0 }));

let app: Receiver;
let store: StoreModule.EventStore;
let relay: RelayModule.Relay;
let inspector: Awaited<ReturnType<typeof startInspector>>;
let url: string;

beforeAll(async () => {
  app = await startReceiver(() => ({ status: 200, body: 'ok' }));
  store = await openEventStore(tempDir('relay-threaded'), { writer: 'threaded' });
  relay = new Relay({ forwards: [new URL(app.url)], routes: [], provider: 'ithbat', custom: [], forwardInvalid: false, timeoutMs: 5000, maxBodyBytes: 1024 * 1024, insecure: false, store, session: 'ses_t', emit: () => undefined });
  relay.setSecrets(new SessionSecrets({ secret: SECRET }));
  url = await relay.start();
  inspector = await startInspector({ inbox: inboxOver(store, { secretFor: () => SECRET, timeoutMs: 5000 }), session: () => ({ mode: 'listen', public_url: null, provider: 'ithbat' }), port: 0 });
});
afterAll(async () => {
  await inspector.close();
  await relay.close();
  await store.close();
  await app.close();
});

describe('Relay with the threaded writer, and its inspector on the same store', () => {
  it('answers each of 300 concurrent deliveries only once it is committed', async () => {
    const bodies = Array.from({ length: 300 }, (_, i) => Buffer.from(`{"id":"evt_${i}","type":"user.created","data":{}}`));
    const answers = await Promise.all(bodies.map((b) => rawPost(`${url}/hooks`, b, sign(b))));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));
    expect(store.usage().deliveries).toBe(300);
  });

  it('replays from the inspector during load: the replay is written by the session writer, and every delivery still commits', async () => {
    const page = await openSession(inspector.url);
    const [first] = store.page({ limit: 1 }).rows;
    const load = Array.from({ length: 200 }, (_, i) => Buffer.from(`{"id":"evt_load_${i}","type":"user.updated","data":{}}`));
    const [answers, replays] = await Promise.all([
      Promise.all(load.map((b) => rawPost(`${url}/hooks`, b, sign(b)))),
      Promise.all(Array.from({ length: 5 }, () => page.post(`/api/deliveries/${first!.id}/replay`, {}))),
    ]);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(replays.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(store.attempts(first!.id).filter((a) => a.kind === 'replay')).toHaveLength(5);
    expect(store.usage().deliveries).toBe(500);
    // The connection the inspector reads on cannot write: the replays can only have gone through the writer.
    const reads = (store as unknown as { backend: { db: { prepare(sql: string): { run(): unknown } } } }).backend.db;
    expect(() => reads.prepare('DELETE FROM attempts').run()).toThrow(/readonly/);
  });
});
