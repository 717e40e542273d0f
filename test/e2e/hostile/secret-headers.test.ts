import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { inboxOver } from '../../../src/core/inbox/inbox.js';
import { openEventStore, type EventStore } from '../../../src/core/store/event-store.js';
import { startInspector, type RunningInspector } from '../../../src/inspector/server.js';
import { HOOKS_BIN, runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { openSession } from '../../helpers/page-client.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/**
 * Issue #29 item 3: for Okta and Auth0 the Authorization header is the
 * secret. It is stored as received (a replay to the app needs it), but no
 * output shows it, and a replay to a target that is not where the session
 * forwarded carries it only when asked.
 */
const OKTA = 'Q9q0dSXbw0Egpe6YofJKT13sg_x2Lm7Z';
const BODY = Buffer.from(JSON.stringify({ eventType: 'com.okta.event_hook', eventId: 'evt-okta-1', data: { events: [{ eventType: 'user.lifecycle.create' }] } }));

let app: Receiver;
let elsewhere: Receiver;
let listen: HooksListen;
let id: string;
const env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined, HOOKS_SECRET: undefined };

beforeAll(async () => {
  app = await startReceiver();
  elsewhere = await startReceiver();
  listen = await startListen(['--forward', `${app.url}/okta`, '--tunnel', 'none', '--no-subscribe', '--secret', `okta=${OKTA}`], env);
  const headers = getProvider('okta').scheme.sign(BODY, OKTA, { id: 'x', timestamp: 0 });
  expect((await rawPost(`${listen.localUrl}/`, BODY, [['content-type', 'application/json'], ...Object.entries(headers)])).status).toBe(200);
  id = (await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.provider === 'okta')).id;
  // Bytes are sacred: the app behind listen gets the header as sent.
  expect(app.requests.at(-1)!.headers.authorization).toBe(OKTA);
});
afterAll(async () => {
  await listen.kill9();
  await Promise.all([app.close(), elsewhere.close()]);
});

const hooks = (...args: string[]) => runCli([...args, '--data-dir', listen.dataDir], { env });
const last = (r: Receiver, path: string) => r.requests.filter((q) => q.url === path).at(-1);

describe('a header that is the secret', () => {
  it('is masked in the banner like any secret: 4 characters at most', () => {
    expect(listen.ready.secret).toBe('okta Q9q0…');
  });

  it('is withheld by hooks events show, human and --json', async () => {
    const human = await hooks('events', 'show', id);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Authorization: /);
    expect(human.stdout).not.toContain(OKTA);
    const json = await hooks('events', 'show', id, '--json');
    expect(json.stdout).toContain('Authorization');
    expect(json.stdout).not.toContain(OKTA);
  });

  it('is not sent by a replay to another target unless asked; a replay to where it was forwarded keeps it', async () => {
    expect((await hooks('events', 'replay', id, '--to', `${elsewhere.url}/cli`)).code).toBe(0);
    expect(last(elsewhere, '/cli')!.headers.authorization).toBeUndefined();
    expect((await hooks('events', 'replay', id, '--to', `${elsewhere.url}/cli-asked`, '--send-secret-headers')).code).toBe(0);
    expect(last(elsewhere, '/cli-asked')!.headers.authorization).toBe(OKTA);
    expect((await hooks('events', 'replay', id)).code).toBe(0);
    expect(last(app, '/okta')!.headers.authorization).toBe(OKTA);
  });

  describe('through MCP', () => {
    let client: Client;
    beforeAll(async () => {
      client = new Client({ name: 'hooks-test', version: '1.0.0' });
      const mcpEnv = { ...(process.env as Record<string, string>), HOOKS_CONFIG_DIR: tempDir('mcp-config'), HOOKS_DATA_DIR: listen.dataDir, NO_COLOR: '1' };
      delete mcpEnv.HOOKS_SECRET;
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [HOOKS_BIN, 'mcp', '--allow-write'], env: mcpEnv, stderr: 'pipe' }));
    });
    afterAll(() => client.close());
    const call = async (name: string, args: Record<string, unknown>) => JSON.stringify(await client.callTool({ name, arguments: args }));

    it('get_delivery and wait_for_delivery withhold it', async () => {
      const got = await call('get_delivery', { id });
      expect(got).toContain('Authorization');
      expect(got).not.toContain(OKTA);
      expect(await call('wait_for_delivery', { after_seq: 0, provider: 'okta', timeout_seconds: 5 })).not.toContain(OKTA);
    });

    it('replay_delivery to another URL does not send it; send_secret_headers does', async () => {
      const replayed = await call('replay_delivery', { id, to: `${elsewhere.url}/exfil` });
      expect(replayed).toContain('Authorization');
      expect(last(elsewhere, '/exfil')!.headers.authorization).toBeUndefined();
      await call('replay_delivery', { id, to: `${elsewhere.url}/asked`, send_secret_headers: true });
      expect(last(elsewhere, '/asked')!.headers.authorization).toBe(OKTA);
    });
  });

  describe('through the inspector', () => {
    let store: EventStore;
    let inspector: RunningInspector;
    let session: Awaited<ReturnType<typeof openSession>>;
    beforeAll(async () => {
      store = await openEventStore(listen.dataDir);
      // As a listen session with --secret okta=… hands it over.
      inspector = await startInspector({ inbox: inboxOver(store, { secretFor: (p) => (p === 'okta' ? OKTA : null), timeoutMs: 5000 }), session: () => ({ mode: 'listen', public_url: null, provider: 'okta' }), port: 0 });
      session = await openSession(inspector.url);
    });
    afterAll(async () => {
      await inspector.close();
      await store.close();
    });

    it('never sends it to the page: detail, HAR, curl, edit preview, diff', async () => {
      const answers = [
        await session.get(`/api/deliveries/${id}`),
        await session.post('/api/export/har', { ids: [id] }),
        await session.post(`/api/deliveries/${id}/curl`, { target: `${elsewhere.url}/curl` }),
        await session.post(`/api/deliveries/${id}/curl`, {}),
        await session.post(`/api/deliveries/${id}/preview`, { body_base64: Buffer.from('{"edited":true}').toString('base64') }),
        await session.get(`/api/diff?a=${id}&b=${id}`),
      ];
      for (const a of answers) {
        expect(a.status, a.text).toBe(200);
        expect(a.text).not.toContain(OKTA);
      }
      expect(answers[0]!.text).toContain('Authorization');
    });

    it('a replay to another target does not carry it', async () => {
      const r = await session.post(`/api/deliveries/${id}/replay`, { target: `${elsewhere.url}/ui` });
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(OKTA);
      expect(last(elsewhere, '/ui')!.headers.authorization).toBeUndefined();
    });
  });
});
