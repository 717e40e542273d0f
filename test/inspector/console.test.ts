import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../helpers/hooks-server.js';
import { openSession, pageRequest } from '../helpers/page-client.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

let server: HooksServer;
let app: Receiver;
beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  app = await startReceiver();
});
afterAll(async () => {
  await server.kill9();
  await app.close();
});

/** A new console link, as hooks server --console-link asks for one. */
async function freshLink(): Promise<string> {
  const r = await pageRequest(`${server.url}/console/link`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` } });
  return r.json.console_url;
}

describe('the emulator console at /console', () => {
  it('is announced with a one-time link; the page itself holds no data and sets no cookie', async () => {
    const url = server.ready.console_url as string;
    expect(url).toMatch(new RegExp(`^${server.url}/console\\?token=[\\w-]{32}$`));
    const bare = await pageRequest(`${server.url}/console`);
    expect(bare.status).toBe(200);
    expect(bare.text).not.toContain('hooks-session');
    const session = await openSession(url);
    const page = await session.get('/console');
    expect(page.text).toContain('/console/assets/console.js');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['set-cookie']).toBeUndefined();
    expect((await session.get('/console/assets/console.js')).status).toBe(200);
    // Used once: the same link now gets the page that names the command for a new one.
    const again = await pageRequest(url);
    expect(again.status).toBe(403);
    expect(again.text).toContain('hooks server --console-link');
  });

  it("grants the API nothing with the printed link's token: it cannot list, create, or rotate", async () => {
    const token = new URL((await freshLink())).searchParams.get('token')!;
    for (const headers of [{ authorization: `Bearer ${token}` }, { 'x-hooks-session': token }]) {
      expect((await pageRequest(`${server.url}/api/v1/webhooks/subscriptions`, { headers })).status).toBe(401);
      expect((await pageRequest(`${server.url}/api/v1/webhooks/subscriptions`, { method: 'POST', headers: { ...headers, origin: server.url }, body: { url: `${app.url}/x`, events: ['*'] } })).status).toBe(401);
    }
    const sub = (await server.api('POST', '/webhooks/subscriptions', { name: 'rotate me', url: `${app.url}/r`, events: ['*'] })).json;
    const rotate = await pageRequest(`${server.url}/api/v1/webhooks/subscriptions/${sub.id}/rotate-secret`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: {} });
    expect(rotate.status).toBe(401);
    expect(rotate.text).not.toMatch(/whsec_/);
  });

  it("lets the page call the API with its session header, from its own origin only", async () => {
    const session = await openSession(await freshLink());
    expect((await session.get('/api/v1/webhooks/subscriptions')).status).toBe(200);
    const sub = await session.post('/api/v1/webhooks/subscriptions', { name: 'from the console', url: `${app.url}/c`, events: ['*'] });
    expect(sub.status).toBe(201);
    const own = { 'x-hooks-session': session.session };
    const foreign = await pageRequest(`${server.url}/api/v1/events`, { method: 'POST', headers: { ...own, origin: 'https://evil.example' }, body: { type: 'user.created' } });
    expect(foreign.status).toBe(401);
    const rebound = await pageRequest(`${server.url}/api/v1/webhooks/subscriptions`, { headers: { ...own, host: `evil.example:${new URL(server.url).port}` } });
    expect(rebound.status).toBe(401);
    expect((await pageRequest(`${server.url}/api/v1/webhooks/subscriptions`)).status).toBe(401);
    expect(Object.keys(foreign.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('hooks server --console-link prints a fresh link of the running server; only the API token gets one', async () => {
    const r = await runCli(['server', '--console-link', '--json'], { env: { HOOKS_CONFIG_DIR: server.configDir } });
    expect(r.code, r.stderr).toBe(0);
    const url = JSON.parse(r.stdout).console_url as string;
    expect(url).toMatch(new RegExp(`^${server.url}/console\\?token=`));
    expect((await openSession(url)).session).toMatch(/^[\w-]{32}$/);
    expect((await pageRequest(`${server.url}/console/link`, { method: 'POST', headers: { authorization: 'Bearer not-the-token-0123456' } })).status).toBe(401);
  });

  it('gives the editor a fresh fixture of any type, by name or event URI', async () => {
    const box = await server.api('GET', '/webhooks/event-types/box.created?provider=lmif');
    expect(box.json).toMatchObject({ provider: 'lmif', type: 'box.created', sample: { boxId: expect.stringMatching(/^box_/) } });
    const uri = encodeURIComponent('https://schemas.identity.wso2.org/events/login/event-type/loginSuccess');
    expect((await server.api('GET', `/webhooks/event-types/${uri}?provider=asgardeo`)).json.type).toBe('login.loginSuccess');
    await server.api('GET', '/webhooks/event-types/box.nope?provider=lmif', undefined, { status: 404 });
  });
});

describe("the console's live feed", () => {
  it('streams each attempt as it is recorded, to a session only', async () => {
    expect((await pageRequest(`${server.url}/console/live`)).status).toBe(401);
    const session = await openSession(await freshLink());
    const u = new URL(`${server.url}/console/live`);
    let text = '';
    const got = new Promise<void>((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: u.host, 'x-hooks-session': session.session } }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (/event: attempted\ndata: .*dlv_/.test(text)) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', reject);
      req.end();
      req.on('response', () => void server.api('POST', '/webhooks/subscriptions', { name: 'live', url: `${app.url}/live`, events: ['*'] }).then((sub) => server.api('POST', `/webhooks/subscriptions/${sub.json.id}/test`)));
    });
    await got;
    expect(JSON.parse(/data: (.*)/.exec(text.split('event: attempted')[1]!)![1]!).delivery_ids[0]).toMatch(/^dlv_/);
  });
});

it('hooks server --no-console serves none', async () => {
  const quiet = await startHooksServer({ args: ['--no-console'] });
  try {
    expect(quiet.ready.console_url).toBeNull();
    expect((await pageRequest(`${quiet.url}/console`)).status).toBe(404);
  } finally {
    await quiet.kill9();
  }
});
