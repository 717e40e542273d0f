import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';

/** Issue #29 item 7: a data dir others can write is refused, as a hooks.json others can write is: exit 2 with the chmod fix. */
function openDir(mode: number): string {
  const dir = join(tempDir('data-dir'), 'hooks');
  mkdirSync(dir);
  chmodSync(dir, mode);
  return dir;
}
const env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined, HOOKS_SECRET: undefined };

describe('a data dir other users can write', () => {
  it.each([
    ['listen', (dir: string) => ['listen', '--forward', '3000', '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', dir]],
    ['events list', (dir: string) => ['events', 'list', '--data-dir', dir]],
    ['server', (dir: string) => ['server', '--port', '0', '--data-dir', dir]],
  ])('stops %s with exit 2 and the chmod that fixes it (mode 777)', async (_name, args) => {
    const dir = openDir(0o777);
    const r = await runCli(args(dir), { env });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain(`refusing ${dir}: other users can write it`);
    expect(r.stderr).toContain(`chmod 700 ${dir}`);
  });

  it('refuses a world-writable one with the sticky bit (as /tmp) too, and takes a private one', async () => {
    expect((await runCli(['events', 'list', '--data-dir', openDir(0o1777)], { env })).code).toBe(2);
    const ok = await runCli(['events', 'list', '--data-dir', openDir(0o700)], { env });
    expect(ok.code, ok.stderr).toBe(0);
  });
});
