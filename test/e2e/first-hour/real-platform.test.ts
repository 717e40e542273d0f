import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';

/** Receiving from a real platform's dashboard: no emulator, no API. */
describe('listen with no API to subscribe on', () => {
  it('says how to receive from a real platform instead of only how to start the emulator', async () => {
    const env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, CI: 'true' };
    // Nothing listens on the default API port in tests (each server takes port 0).
    const r = await runCli(['listen', '--forward', '3000', '--tunnel', 'none', '--no-inspect', '--data-dir', tempDir('listen')], { env, timeoutMs: 20_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot reach the API');
    expect(r.stderr).toContain('--no-subscribe --secret PROVIDER=SECRET');
    expect(r.stderr).toContain('hooks server');
  });
});
