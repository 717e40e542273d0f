import { describe, expect, it } from 'vitest';
import { startHooksServer, tempDir } from '../../helpers/hooks-server.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { startReceiver } from '../../helpers/receiver.js';

describe('a session subscription listen could not delete', () => {
  it('is named with the command that removes it, and removed by the next session on the same API', async () => {
    const app = await startReceiver();
    const dataDir = tempDir('leftover-server');
    const configDir = tempDir('leftover-config');
    const first = await startHooksServer({ dataDir, configDir });
    const port = new URL(first.url).port;
    const env = { HOOKS_CONFIG_DIR: configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined };
    try {
      const listen = await startListen(['--forward', app.url, '--tunnel', 'none'], env);
      const id = listen.subscriptionId!;
      expect(id).toMatch(/^sub_/);
      // The API goes away before the session ends.
      await first.kill9();
      await listen.stop('SIGINT');
      const warning = listen.events.find((e) => e.type === 'listen.warning' && String(e.message).startsWith(`could not clean up subscription ${id}`));
      expect(warning?.message).toContain(`Clean it up: hooks subs delete ${id} --yes (the next hooks listen on this API removes it too)`);

      const again = await startHooksServer({ dataDir, configDir, args: ['--port', port] });
      try {
        expect((await again.api('GET', `/webhooks/subscriptions/${id}`)).json.id).toBe(id);
        const next = await startListen(['--forward', app.url, '--tunnel', 'none'], env);
        expect(next.events.find((e) => e.type === 'listen.warning')?.message).toBe(`removed subscription ${id}, left behind by an earlier session that stopped without removing it`);
        await again.api('GET', `/webhooks/subscriptions/${id}`, undefined, { status: 404 });
        await next.stop('SIGINT');
        // Said once: a third session has nothing left to remove.
        const third = await startListen(['--forward', app.url, '--tunnel', 'none'], env);
        expect(third.events.filter((e) => e.type === 'listen.warning')).toEqual([]);
        await third.stop('SIGINT');
      } finally {
        await again.kill9();
      }
    } finally {
      await app.close();
    }
  });
});
