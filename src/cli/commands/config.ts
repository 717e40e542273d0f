import type { Command } from 'commander';
import { summary } from './index.js';
import { Option } from '../commander.js';
import { jsonOption } from '../flags.js';
import { finish } from '../outcome.js';

const KEYS = 'api_url | token | active-profile | max-store-size | max-store-age';
const settings = () => import('../../core/config/settings.js');
const render = () => import('../render/config.js');

export function registerConfig(program: Command): void {
  const group = program
    .command('config')
    .description(summary('config'))
    .addHelpText(
      'after',
      `
Keys: api_url, token (per profile), active-profile, max-store-size and max-store-age (what
hooks listen keeps: default 1gb and 30d). The file is ~/.config/hooks/config.json (0600).

Examples:
  $ hooks config list
  $ hooks config set api_url https://hooks.example.test --profile staging
  $ printf %s "$TOKEN" | hooks config set token - --profile staging
  $ hooks config set active-profile staging
  $ hooks config set max-store-size 2gb
  $ hooks config unset token --profile staging`,
    );
  const profileOption = () => new Option('--profile <name>', 'profile (default: the active one, or "default")').env('HOOKS_PROFILE');

  group
    .command('list')
    .description('Every profile, the active one, the local hooks server and the store limits')
    .addOption(jsonOption('print as JSON'))
    .addHelpText('after', '\nExamples:\n  $ hooks config list\n  $ hooks config list --json')
    .action(async (flags: { json?: boolean }) => (await render()).printConfig((await settings()).configView(), Boolean(flags.json)));

  group
    .command('get')
    .description('One value (tokens masked); exit 1 when it is not set')
    .argument('<key>', KEYS)
    .addOption(profileOption())
    .addHelpText('after', '\nExamples:\n  $ hooks config get api_url\n  $ hooks config get token --profile ci')
    .action(async (key: string, flags: { profile?: string }) => {
      const result = (await settings()).getSetting(key, flags.profile);
      (await render()).printValue(result);
      finish(result);
    });

  group
    .command('set')
    .description('Set a value; "-" as the value reads it from stdin (for tokens)')
    .argument('<key>', KEYS)
    .argument('<value>', 'the value, or - for stdin')
    .addOption(profileOption())
    .addHelpText('after', '\nExamples:\n  $ hooks config set api_url http://127.0.0.1:8787\n  $ printf %s "$TOKEN" | hooks config set token -')
    .action(async (key: string, value: string, flags: { profile?: string }) => {
      const text = value === '-' ? (await (await import('../input.js')).readStdin()).toString('utf8').trim() : value;
      (await settings()).setSetting(key, text, flags.profile);
    });

  group
    .command('unset')
    .description('Remove a value (a profile with no values left is removed)')
    .argument('<key>', KEYS)
    .addOption(profileOption())
    .addHelpText('after', '\nExamples:\n  $ hooks config unset token --profile staging')
    .action(async (key: string, flags: { profile?: string }) => {
      (await settings()).unsetSetting(key, flags.profile);
    });
}
