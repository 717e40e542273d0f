import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../../../src/core/http/send.js';
import { embeddedIPv4, guardedConnector, isPrivateAddress } from '../../../src/server/url-policy.js';
import { startHooksServer, tempDir, type HooksServer } from '../../helpers/hooks-server.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/** Every way an IPv6 literal can carry a refused IPv4 address, for loopback, RFC 1918 and the metadata service. */
const EMBEDDING = [
  ['::127.0.0.1', '::ffff:0:127.0.0.1', '64:ff9b::7f00:1', '64:ff9b:1::7f00:1', '2002:7f00:1::', '2001:0:4136:e378:8000:63bf:80ff:fffe'],
  ['::10.0.0.1', '::ffff:0:10.0.0.1', '64:ff9b::a00:1', '64:ff9b:1::a00:1', '2002:a00:1::'],
  ['::169.254.169.254', '::ffff:0:169.254.169.254', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::'],
].flat();

describe('address rules', () => {
  it.each(EMBEDDING)('refuses the IPv4-embedding form %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['fec0::1', 'fc00::1', 'fd12:3456::1'])('refuses site-local and unique-local %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it('reads the embedded address of each mechanism', () => {
    expect(embeddedIPv4('2002:7f00:1::')).toEqual(['127.0.0.1']);
    expect(embeddedIPv4('2001:0:4136:e378:8000:63bf:80ff:fffe')).toEqual(['65.54.227.120', '127.0.0.1']);
    expect(embeddedIPv4('64:ff9b::127.0.0.1')).toEqual(['127.0.0.1']);
  });

  it('accepts the same mechanisms when they carry a public address', () => {
    for (const a of ['64:ff9b::5db8:d822', '2002:5db8:d822::', '2606:4700::1111', '::ffff:0:93.184.216.34']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('checks address literals again at connect time, where no lookup runs', async () => {
    const app = await startReceiver();
    const agent = new Agent({ connect: guardedConnector() });
    try {
      const r = await send(agent, { url: new URL(app.url), headers: {}, body: Buffer.from('{}'), timeoutMs: 2000, keep: 'excerpt' });
      expect(r.status).toBeNull();
      expect(r.error).toContain('refused (--strict-urls)');
      expect(app.requests).toHaveLength(0);
    } finally {
      await agent.close();
      await app.close();
    }
  });
});

describe('hooks server --strict-urls', () => {
  let strict: HooksServer;
  beforeAll(async () => {
    strict = await startHooksServer({ args: ['--strict-urls'] });
  });
  afterAll(() => strict.kill9());

  it.each([...EMBEDDING.map((a) => `https://[${a}]/in`), 'https://[fec0::1]/in', 'https://localhost./in', 'https://api.localhost./in', 'https://LOCALHOST/in'])('refuses %s', async (url) => {
    const r = await strict.api('POST', '/webhooks/subscriptions', { name: 'x', url, events: ['*'] }, { status: 422 });
    expect(r.json.error).toMatchObject({ code: 'url_refused', field: 'url' });
  });
});

describe('a subscription stored before strict mode', () => {
  let app: Receiver;
  beforeAll(async () => {
    app = await startReceiver();
  });
  afterAll(() => app.close());

  it('is refused at delivery, with the reason recorded', async () => {
    const dataDir = tempDir('data');
    const open = await startHooksServer({ dataDir });
    const sub = await open.api('POST', '/webhooks/subscriptions', { name: 'local', url: `${app.url}/in`, events: ['*'] });
    expect(sub.status).toBe(201);
    expect(await open.stop('SIGTERM')).toBe(0);

    const strict = await startHooksServer({ dataDir, args: ['--strict-urls'] });
    try {
      const event = await strict.api('POST', '/events?wait=5000', { type: 'user.created' });
      const attempt = event.json.deliveries[0].attempts[0];
      expect(attempt).toMatchObject({ status_code: null, success: false, error: expect.stringContaining('--strict-urls') });
      expect(app.requests).toHaveLength(0);
    } finally {
      await strict.kill9();
    }
  });
});
