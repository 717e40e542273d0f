import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/hooks-process.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A directory with a `hooks` on PATH that runs this checkout, as a global install would. */
function shim(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'hooks'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/hooks.js')}" "$@"\n`);
  chmodSync(join(bin, 'hooks'), 0o755);
  return bin;
}

describe("the README's recipes, run as written", () => {
  it('installs bash completion on a fresh home', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const lines = readme.split('\n').filter((l) => l.includes('hooks completion bash >'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const home = tempDir('fresh-home');
      const bin = shim(tempDir('shim'));
      await promisify(execFile)('bash', ['-c', `set -e\n${line}`], { env: { ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH}` }, timeout: 20_000 });
      expect(readFileSync(join(home, '.local/share/bash-completion/completions/hooks'), 'utf8')).toContain('complete');
    }
  });

  it('the CI recipe for hooks server runs, and the log it writes (a console link on its first line) is readable by its owner only', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const recipe = /```sh\n(# In CI: start it in the background[\s\S]*?)```/.exec(readme)?.[1];
    expect(recipe, 'the README has the recipe').toBeTruthy();
    const dir = tempDir('ci-recipe');
    const bin = shim(dir);
    const script = `set -e\numask 022\n${recipe}\necho "URL=$URL"\n`;
    const { stdout } = await promisify(execFile)('bash', ['-c', script], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, HOOKS_CONFIG_DIR: join(dir, 'config') }, timeout: 20_000 });
    expect(stdout).toMatch(/URL=http:\/\/127\.0\.0\.1:\d+/);
    expect(statSync(join(dir, 'server.log')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'server.log'), 'utf8').split('\n')[0]!).console_url).toMatch(/\?token=/);
  });
});
