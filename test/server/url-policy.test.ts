import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { send } from '../../src/core/http/send.js';
import { checkUrl, guardedLookup, isPrivateAddress, type LookupFunction } from '../../src/server/url-policy.js';

describe('url policy', () => {
  it('classifies addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.31.0.1', '192.168.0.1', '169.254.1.1', '100.64.0.1', '::1', 'fe80::1', 'fd00::1', '::ffff:7f00:1', '0.0.0.0']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700::1111', '172.32.0.1']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('warns in development mode instead of refusing', () => {
    const r = checkUrl('http://127.0.0.1:3000/hook', false);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings.join(' ')).toContain('--strict-urls');
  });

  it('checks names after resolution, at connect time (DNS rebinding)', async () => {
    const server = createServer((_req, res) => res.end('reached'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    // A "public" name that resolves to loopback, as a rebinding attack would arrange.
    const rebinding: LookupFunction = (_host, opts, cb) => (opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4));
    const guarded = new Agent({ connect: { lookup: guardedLookup(rebinding) } });
    const open = new Agent({ connect: { lookup: rebinding } });
    const url = new URL(`http://rebind.example.com:${port}/`);
    try {
      const blocked = await send(guarded, { url, headers: {}, body: Buffer.from('{}'), timeoutMs: 2000, keep: 'excerpt' });
      expect(blocked.status).toBeNull();
      expect(blocked.error).toContain('resolves to 127.0.0.1');
      // The same request without the guard reaches the server: the guard is what stops it.
      const reached = await send(open, { url, headers: {}, body: Buffer.from('{}'), timeoutMs: 2000, keep: 'excerpt' });
      expect(reached.status).toBe(200);
    } finally {
      await guarded.close();
      await open.close();
      server.close();
    }
  });
});
