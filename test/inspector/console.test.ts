import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('the emulator console at /console', () => {
  it('is announced with its session URL, and serves its page behind the token', async () => {
    const url = server.ready.console_url as string;
    expect(url).toMatch(new RegExp(`^${server.url}/console\\?token=[\\w-]{32}$`));
    expect((await pageRequest(`${server.url}/console`)).status).toBe(401);
    const session = await openSession(url);
    const page = await session.get('/console');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/console/assets/console.js');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await session.get('/console/assets/console.js')).status).toBe(200);
  });

  it("lets the page call the API with its cookie, from its own origin only", async () => {
    const session = await openSession(server.ready.console_url as string);
    expect((await session.get('/api/v1/webhooks/subscriptions')).status).toBe(200);
    const sub = await session.post('/api/v1/webhooks/subscriptions', { name: 'from the console', url: `${app.url}/c`, events: ['*'] });
    expect(sub.status).toBe(201);
    const cookie = `hooks_session=${new URL(server.ready.console_url).searchParams.get('token')}`;
    const foreign = await pageRequest(`${server.url}/api/v1/events`, { method: 'POST', headers: { cookie, origin: 'https://evil.example' }, body: { type: 'user.created' } });
    expect(foreign.status).toBe(401);
    const rebound = await pageRequest(`${server.url}/api/v1/webhooks/subscriptions`, { headers: { cookie, host: `evil.example:${new URL(server.url).port}` } });
    expect(rebound.status).toBe(401);
    expect((await pageRequest(`${server.url}/api/v1/webhooks/subscriptions`)).status).toBe(401);
    expect(Object.keys(foreign.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('gives the editor a fresh fixture of any type, by name or event URI', async () => {
    const box = await server.api('GET', '/webhooks/event-types/box.created?provider=lmif');
    expect(box.json).toMatchObject({ provider: 'lmif', type: 'box.created', sample: { boxId: expect.stringMatching(/^box_/) } });
    const uri = encodeURIComponent('https://schemas.identity.wso2.org/events/login/event-type/loginSuccess');
    expect((await server.api('GET', `/webhooks/event-types/${uri}?provider=asgardeo`)).json.type).toBe('login.loginSuccess');
    await server.api('GET', '/webhooks/event-types/box.nope?provider=lmif', undefined, { status: 404 });
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
