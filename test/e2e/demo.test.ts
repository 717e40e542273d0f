import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/hooks-process.js';

describe('hooks demo', () => {
  it('runs the whole loop for eight providers with a replay, and exits 0', async () => {
    const r = await runCli(['demo'], { env: { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_DATA_DIR: tempDir('data') }, timeoutMs: 30_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const p of ['ithbat', 'intelliauth', 'asgardeo', 'scalekit', 'lmif', 'standard', 'github', 'stripe']) {
      expect(r.stdout).toMatch(new RegExp(`✓ ${p} +\\S+ +200 +listen: verified +app: verified`));
    }
    expect(r.stdout).toContain('WebSub handshake');
    expect(r.stdout).toMatch(/✓ replay/);
    expect(r.stdout).toContain('All steps succeeded');
    expect(r.stdout).toContain('What to run next');
  });

  it('reports every step as JSON lines with --json', async () => {
    const r = await runCli(['demo', '--json'], { env: { HOOKS_CONFIG_DIR: tempDir('config') }, timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'delivery')).toHaveLength(8);
    expect(lines.at(-1)).toEqual({ type: 'done', ok: true, failures: [] });
  });
});
