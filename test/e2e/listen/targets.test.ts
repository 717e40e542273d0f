import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';
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
});
