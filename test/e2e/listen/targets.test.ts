import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startTextProcess, tempDir } from '../../helpers/hooks-process.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { startReceiver } from '../../helpers/receiver.js';

const env = { HOOKS_CONFIG_DIR: tempDir('config') };
const listen = (forward: string) => runCli(['listen', '--forward', forward, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', tempDir('data')], { env });

describe('listen says Ready only for targets that can work', () => {
  it.each([
    ['locahost:3005', 'does not resolve: locahost (did you mean "localhost"?)'],
    ['http//localhost:3005', 'did you mean "http://localhost:3005"?'],
    ['3005:3006', 'did you mean "3005" or "localhost:3006"?'],
  ])('refuses --forward %s with exit 2 and a did-you-mean', async (forward, message) => {
    const r = await listen(forward);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).not.toContain('Ready');
  });

  it('warns at start when nothing answers on the target yet, and not when the app is up', async () => {
    const app = await startReceiver();
    const closed = await startReceiver();
    const port = new URL(closed.url).port;
    await closed.close();
    try {
      const down = await startListen(['--forward', `localhost:${port}`, '--tunnel', 'none', '--no-subscribe'], env);
      expect(down.events.find((e) => e.type === 'listen.warning')?.message).toBe(`nothing answers on localhost:${port} yet: deliveries get 502 until it does`);
      await down.stop('SIGINT');
      const up = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe'], env);
      expect(up.events.filter((e) => e.type === 'listen.warning')).toEqual([]);
      await up.stop('SIGINT');
    } finally {
      await app.close();
    }
  });

  it('leads a delivery line with the forward failure, not with the green verdict', async () => {
    const closed = await startReceiver();
    const port = new URL(closed.url).port;
    await closed.close();
    const p = await startTextProcess(['listen', '--forward', `localhost:${port}/hooks`, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--provider', 'ithbat', '--secret', 's', '--data-dir', tempDir('data')], env, 'Ready!');
    try {
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(p.output())![1]!;
      const body = Buffer.from('{"id":"evt_down","type":"user.created"}');
      const { createHmac } = await import('node:crypto');
      await rawPost(`${url}/in`, body, [['X-Ithbat-Signature', `sha256=${createHmac('sha256', 's').update(body).digest('hex')}`]]);
      await p.waitFor('not delivered to your app');
      const line = p.output().split('\n').find((l) => l.includes('evt_down'))!;
      expect(line).toMatch(/^\d\d:\d\d:\d\d ✗ 502 connection refused: nothing listens there \(ECONNREFUSED\) ithbat user\.created evt_down ✓ verified/);
      expect(p.output()).toContain(`is it running on localhost:${port}?`);
    } finally {
      await p.stop('SIGINT');
    }
  });
});
