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
    // Activation rows use the providers' columns: the event type's column starts where it does on every other row.
    const column = (line: string) => line.indexOf(line.split(/ +/)[2]!);
    const asgardeo = r.stdout.split('\n').find((l) => /^✓ asgardeo +subscribe /.test(l))!;
    const ithbat = r.stdout.split('\n').find((l) => /^✓ ithbat +user\./.test(l))!;
    // One GET per event category the page lists: login, registration, token, session, credential, user, role, consent, consent-purpose.
    expect(asgardeo).toContain('WebSub handshake, 9 topics, answered by hooks listen: active');
    expect(column(asgardeo)).toBe(column(ithbat));
    expect(r.stdout).toMatch(/✓ okta +subscribe +verification request, answered by hooks listen: active/);
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
