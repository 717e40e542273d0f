import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../src/core/providers/registry.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/hooks-process.js';

describe('hooks demo', () => {
  it('runs the whole loop for every provider with a replay, and exits 0', async () => {
    const r = await runCli(['demo'], { env: { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_DATA_DIR: tempDir('data') }, timeoutMs: 30_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const p of PROVIDER_IDS) {
      expect(r.stdout).toMatch(new RegExp(`✓ ${p} +\\S+ +200 +listen: verified +app: verified`));
    }
    expect(r.stdout).toContain('WebSub handshake');
    expect(r.stdout).toMatch(/✓ subscribe okta +verification answered by hooks listen/);
    expect(r.stdout).toMatch(/✓ replay/);
    expect(r.stdout).toContain('All steps succeeded');
    expect(r.stdout).toContain('What to run next');
  });

  it('reports every step as JSON lines with --json', async () => {
    const r = await runCli(['demo', '--json'], { env: { HOOKS_CONFIG_DIR: tempDir('config') }, timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'delivery')).toHaveLength(PROVIDER_IDS.length);
    expect(lines.at(-1)).toEqual({ type: 'done', ok: true, failures: [] });
  });
});
