import type { Command } from 'commander';
import { summary } from './index.js';
import { jsonOption } from '../flags.js';

interface ProvidersFlags {
  json?: boolean;
  providerFile?: string;
}

const registry = () => import('../../core/providers/registry.js');
const render = () => import('../render/providers.js');

export function registerProviders(program: Command): void {
  const group = program
    .command('providers')
    .description(summary('providers'))
    .addHelpText('after', '\nExamples:\n  $ hooks providers list\n  $ hooks providers show asgardeo\n  $ hooks providers list --json | jq -r ".[].id"');

  group
    .command('list')
    .description('One line per provider: id, name, signature headers, number of event types')
    .addOption(jsonOption('print an array of {id, name, headers, events}'))
    .option('--provider-file <file>', 'include a custom profile (JSON)')
    .addHelpText('after', '\nExamples:\n  $ hooks providers list\n  $ hooks providers list --json')
    .action(async (flags: ProvidersFlags) => (await render()).printProviderList((await registry()).allProviders(flags.providerFile), Boolean(flags.json)));

  group
    .command('show')
    .description('Everything about one provider: scheme, headers, events, retries, timeout, success rule')
    .argument('<id>', 'provider id (see "hooks providers list")')
    .addOption(jsonOption('print the profile as JSON'))
    .option('--provider-file <file>', 'include a custom profile (JSON)')
    .addHelpText('after', '\nExamples:\n  $ hooks providers show lmif\n  $ hooks providers show standard --json')
    .action(async (id: string, flags: ProvidersFlags) => (await render()).printProfile((await registry()).getProvider(id, (await registry()).allProviders(flags.providerFile)), Boolean(flags.json)));
}
