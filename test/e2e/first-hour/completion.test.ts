import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

/** Every command and subcommand, from the help itself. */
async function commandWords(): Promise<string[]> {
  const names = (help: string) => [...(help.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
  const top = names((await runCli(['--help'], { env: { HOOKS_RENDER_HELP: '1' } })).stdout);
  const subs = await Promise.all(top.map(async (c) => names((await runCli([c, '--help'])).stdout)));
  return [...top, ...subs.flat()];
}

describe.each(['bash', 'zsh', 'fish'] as const)('hooks completion %s', (shell) => {
  it('names every command and subcommand, provider ids and event types', async () => {
    const r = await runCli(['completion', shell]);
    expect(r.code).toBe(0);
    const words = await commandWords();
    expect(words.length).toBeGreaterThan(25);
    for (const word of words) expect(r.stdout, word).toContain(word);
    const flag = (f: string) => (shell === 'fish' ? `-l ${f}` : `--${f}`);
    for (const word of ['asgardeo', 'box.created', 'login.loginSuccess', flag('forward'), flag('api-timeout')]) expect(r.stdout).toContain(word);
    if (has(shell)) {
      const file = join(tempDir('completion'), `hooks.${shell}`);
      writeFileSync(file, r.stdout);
      expect(spawnSync(shell, ['-n', file]).status, `${shell} -n`).toBe(0);
    }
  });
});

describe('the bash script completes as a user types', () => {
  it('subcommands, flags, provider ids and event types', async () => {
    const script = join(tempDir('completion'), 'hooks.bash');
    writeFileSync(script, (await runCli(['completion', 'bash'])).stdout);
    const complete = (line: string[]) =>
      spawnSync('bash', ['-c', `source ${script}; COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _hooks; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).stdout.trim().split(' ');
    expect(complete(['hooks', 'subs', 'ro'])).toEqual(['rotate-secret']);
    expect(complete(['hooks', 'listen', '--provider', 'it'])).toEqual(['ithbat']);
    expect(complete(['hooks', 'listen', '--forward', '3000', '--tun'])).toEqual(['--tunnel']);
    expect(complete(['hooks', 'trigger', 'grace_period.s'])).toEqual(['grace_period.started']);
  });
});

it('refuses an unknown shell (exit 2)', async () => {
  const r = await runCli(['completion', 'powershell']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('use bash, zsh or fish');
});
