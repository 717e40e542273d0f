import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';

let strict: HooksServer;
beforeAll(async () => {
  strict = await startHooksServer({ args: ['--strict-urls'] });
});
afterAll(() => strict.kill9());

describe('--strict-urls (seed 001)', () => {
  it.each([
    'http://hooks.example.com/in',
    'https://localhost/in',
    'https://api.localhost/in',
    'https://127.0.0.1/in',
    'https://127.1/in',
    'https://2130706433/in',
    'https://0x7f000001/in',
    'https://017700000001/in',
    'https://[::1]/in',
    'https://[::ffff:127.0.0.1]/in',
    'https://10.0.0.8/in',
    'https://172.16.5.4/in',
    'https://192.168.1.10/in',
    'https://169.254.169.254/latest/meta-data',
    'https://[fe80::1]/in',
    'https://0.0.0.0/in',
  ])('refuses %s', async (url) => {
    const r = await strict.api('POST', '/webhooks/subscriptions', { name: 'x', url, events: ['*'] }, { status: 422 });
    expect(r.json.error).toMatchObject({ code: 'url_refused', field: 'url' });
  });

  it('accepts a public https URL', async () => {
    const r = await strict.api('POST', '/webhooks/subscriptions', { name: 'ok', url: 'https://hooks.example.com/in', events: ['*'] });
    expect(r.status).toBe(201);
    expect(r.json.warnings).toBeUndefined();
  });

  it('refuses the same on update', async () => {
    const r = await strict.api('POST', '/webhooks/subscriptions', { name: 'ok', url: 'https://hooks.example.com/in', events: ['*'] });
    const u = await strict.api('PATCH', `/webhooks/subscriptions/${r.json.id}`, { url: 'https://192.168.0.1/' }, { status: 422 });
  });
});
