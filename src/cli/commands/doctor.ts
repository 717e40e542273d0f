import type { Command } from 'commander';
import { summary } from './index.js';
import { connectionOf, withApiOptions, type ApiFlags } from '../flags.js';
import { finish } from '../outcome.js';

export function registerDoctor(program: Command): void {
  withApiOptions(program.command('doctor').description(summary('doctor')), 'print {ok, checks: [{id, required, ok, detail, fix}]}')
    .addHelpText(
      'after',
      `
Checks Node's version, the config and store directories and their modes, the API with
the token the CLI would use, the tunnel binaries, and running hooks listen sessions.
Exit 0 only if every required check passes (the tunnel and the session are optional).

Examples:
  $ hooks doctor
  $ hooks doctor --api-url https://hooks.example.test
  $ hooks doctor --json | jq '.checks[] | select(.ok | not)'`,
    )
    .action(async (flags: ApiFlags) => {
      const [{ doctor }, { printDoctor }] = await Promise.all([import('../../core/doctor.js'), import('../render/doctor.js')]);
      const report = await doctor(connectionOf(flags));
      printDoctor(report, Boolean(flags.json));
      finish(report);
    });
}
