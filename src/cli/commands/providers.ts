import type { Command } from 'commander';
import { summary } from './index.js';
import { jsonOption } from '../flags.js';

interface ProvidersFlags {
  json?: boolean;
  providerFile?: string;
  typescript?: boolean;
}

const registry = () => import('../../core/providers/registry.js');
const render = () => import('../render/providers.js');
const sync = () => Promise.all([import('../../core/providers/sync/registry.js'), import('../render/sync-platforms.js')]);

export function registerProviders(program: Command): void {
  const group = program
    .command('providers')
    .description(summary('providers'))
    .addHelpText('after', '\nExamples:\n  $ hooks providers list\n  $ hooks providers show asgardeo\n  $ hooks providers schema github issues.opened --typescript\n  $ hooks providers list --json | jq -r ".[].id"');

  group
    .command('list')
    .description('One line per provider: id, name, signature headers, number of event types and where they come from')
    .addOption(jsonOption('print an array of {id, name, source, headers, events, coverage: {types, sources}}'))
    .option('--provider-file <file>', 'include a custom profile (JSON)')
    .addHelpText('after', '\nExamples:\n  $ hooks providers list\n  $ hooks providers list --json')
    .action(async (flags: ProvidersFlags) => {
      (await render()).printProviderList((await registry()).allProviders(flags.providerFile), Boolean(flags.json));
      const [{ SYNC_PLATFORMS }, out] = await sync();
      if (!flags.json) out.printSyncPlatformList(SYNC_PLATFORMS);
    });

  group
    .command('show')
    .description('Everything about one provider: scheme, headers, events and their sources, retries, timeout, success rule')
    .argument('<id>', 'provider id (see "hooks providers list")')
    .addOption(jsonOption('print the profile as JSON'))
    .option('--provider-file <file>', 'include a custom profile (JSON)')
    .addHelpText('after', '\nExamples:\n  $ hooks providers show lmif\n  $ hooks providers show standard --json')
    .action(async (id: string, flags: ProvidersFlags) => {
      const [{ syncPlatform, isSyncOnly }, out] = await sync();
      const platform = syncPlatform(id);
      // Supabase and Firebase have hooks only; Okta and WorkOS show their hooks after their event profile.
      if (platform && isSyncOnly(id)) return out.printSyncPlatform(platform, Boolean(flags.json), true);
      const profile = (await registry()).getProvider(id, (await registry()).allProviders(flags.providerFile));
      if (flags.json && platform) return (await import('../render/output.js')).printJson({ ...(await render()).describeProfile(profile), synchronous_hooks: out.describeSyncPlatform(platform) });
      (await render()).printProfile(profile, Boolean(flags.json));
      if (platform) out.printSyncPlatform(platform, false, false);
    });
  group
    .command('schema')
    .description("The shape of one event type's delivery body: its JSON Schema, or TypeScript for a receiver written in TS")
    .argument('<id>', 'provider id (see "hooks providers list")')
    .argument('<type>', 'event type (see "hooks providers show ID")')
    .option('--typescript', 'print TypeScript declarations instead of the JSON Schema')
    .addOption(jsonOption('print {provider, type, description, source, schema} (and typescript with --typescript)'))
    .addHelpText(
      'after',
      `
The schema is the one hooks checks deliveries against (listen notes a body that does not
fit it). It is self-contained: only the definitions the type uses. Exit 1 when hooks knows
no schema for the type, 2 for an unknown provider or type.

Examples:
  $ hooks providers schema github issues.opened > issues-opened.schema.json
  $ hooks providers schema github push --typescript > src/github-push.ts
  $ hooks providers schema standard user.created --json | jq .schema.required`,
    )
    .action(async (id: string, type: string, flags: ProvidersFlags) => {
      const [{ getProvider }, { eventSchema }] = await Promise.all([registry(), import('../../core/schemas/event-schema.js')]);
      (await render()).printEventSchema(eventSchema(getProvider(id), type, { typescript: Boolean(flags.typescript) }), Boolean(flags.json));
    });
}
