import type { Command } from 'commander';
import { summary } from './index.js';

interface ProvidersFlags {
  json?: boolean;
  providerFile?: string;
}

export function registerProviders(program: Command): void {
  const group = program
    .command('providers')
    .description(summary('providers'))
    .addHelpText('after', '\nExamples:\n  $ hooks providers list\n  $ hooks providers show asgardeo\n  $ hooks providers list --json | jq -r ".[].id"');

  group
    .command('list')
    .description('One line per provider: id, name, signature headers, number of event types')
    .option('--json', 'print an array of {id, name, headers, events}')
    .option('--provider-file <file>', 'include a custom profile (JSON)')
    .addHelpText('after', '\nExamples:\n  $ hooks providers list\n  $ hooks providers list --json')
    .action(async (flags: ProvidersFlags) => {
      const { PROVIDERS } = await import('../../core/providers/registry.js');
      const custom = await customProfiles(flags.providerFile);
      const all = [...custom, ...PROVIDERS];
      if (flags.json) {
        const { printJson } = await import('../render/output.js');
        printJson(all.map((p) => ({ id: p.id, name: p.name, headers: p.scheme.headers, events: p.catalog.types.map((t) => t.type) })));
        return;
      }
      const { renderProviderList } = await import('../render/providers.js');
      process.stdout.write(renderProviderList(all));
    });

  group
    .command('show')
    .description('Everything about one provider: scheme, headers, events, retries, timeout, success rule')
    .argument('<id>', 'provider id (see "hooks providers list")')
    .option('--json', 'print the profile as JSON')
    .option('--provider-file <file>', 'include a custom profile (JSON)')
    .addHelpText('after', '\nExamples:\n  $ hooks providers show lmif\n  $ hooks providers show standard --json')
    .action(async (id: string, flags: ProvidersFlags) => {
      const { getProvider } = await import('../../core/providers/registry.js');
      const profile = getProvider(id, await customProfiles(flags.providerFile));
      const { describeProfile, renderProfile } = await import('../render/providers.js');
      if (flags.json) {
        const { printJson } = await import('../render/output.js');
        printJson(describeProfile(profile));
        return;
      }
      process.stdout.write(renderProfile(profile));
    });
}

async function customProfiles(file: string | undefined) {
  if (!file) return [];
  const { loadCustomProfile } = await import('../../core/providers/custom.js');
  return [loadCustomProfile(file)];
}
