import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

/** Every command's --help, as a user copies its examples. */
async function helps(): Promise<Array<[string, string]>> {
  const names = (help: string) => [...(help.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
  const out: Array<[string, string]> = [];
  for (const top of names((await runCli(['--help'], { env: { HOOKS_RENDER_HELP: '1' } })).stdout)) {
    const help = (await runCli([top, '--help'])).stdout;
    out.push([top, help]);
    for (const sub of names(help)) out.push([`${top} ${sub}`, (await runCli([top, sub, '--help'])).stdout]);
  }
  return out;
}

describe('help examples', () => {
  it('keep their line continuations: no example runs two lines together', { timeout: 120_000 }, async () => {
    const broken: string[] = [];
    for (const [command, help] of await helps()) {
      const lines = help.split('\n');
      lines.forEach((line, i) => {
        // A continuation eaten by a template literal leaves a run of spaces where the line break was.
        if (/^\s+\$ hooks /.test(line) && / {4,}--/.test(line.trim())) broken.push(`${command}: ${line.trim()}`);
        if (line.trimEnd().endsWith('\\') && !/^\s{4,}\S/.test(lines[i + 1] ?? '')) broken.push(`${command}: nothing continues "${line.trim()}"`);
      });
    }
    expect(broken).toEqual([]);
  });
});
