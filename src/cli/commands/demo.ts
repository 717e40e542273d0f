import type { Command } from 'commander';
import { summary } from './index.js';
import { jsonOption } from '../flags.js';
import { finish } from '../outcome.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(summary('demo'))
    .addOption(jsonOption('one JSON object a line per step'))
    .addHelpText('after', '\nExit 0 only if every step succeeded. Everything runs on loopback in a temporary directory that is removed afterwards.\n\nExamples:\n  $ npx hooks demo\n  $ hooks demo --json | jq -c .')
    .action(async (flags: { json?: boolean }) => {
      const [{ runDemo }, { DemoRenderer }] = await Promise.all([import('../../demo/demo.js'), import('../render/demo.js')]);
      const renderer = new DemoRenderer(Boolean(flags.json));
      finish(await runDemo((e) => renderer.render(e)));
    });
}
