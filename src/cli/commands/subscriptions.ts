import type { Command } from 'commander';
import { summary } from './index.js';
import { apiClient, canPrompt, withApiOptions, type ApiFlags } from '../api-options.js';
import { integerOption } from '../options.js';

interface CreateFlags extends ApiFlags {
  url?: string;
  events?: string;
  name?: string;
  description?: string;
  provider?: string;
  secret?: string;
  inactive?: boolean;
}

interface UpdateFlags extends ApiFlags {
  url?: string;
  events?: string;
  name?: string;
  description?: string;
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Runs an action with an API client that is always closed. */
async function withClient<T>(flags: ApiFlags, fn: (client: Awaited<ReturnType<typeof apiClient>>) => Promise<T>): Promise<T> {
  const client = await apiClient(flags);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

async function out() {
  return import('../render/subscriptions.js');
}

export function registerSubscriptions(program: Command): void {
  const group = program
    .command('subscriptions')
    .alias('subs')
    .description(summary('subscriptions'))
    .addHelpText(
      'after',
      `
Where it connects: --api-url/--token, then HOOKS_API_URL/HOOKS_API_TOKEN, then the
profile (--profile, HOOKS_PROFILE, or the active one), then the local hooks server.

Examples:
  $ hooks subs create --url http://127.0.0.1:3000/webhooks --events 'user.*' --name dev
  $ hooks subs list
  $ hooks subs deliveries sub_01J… --limit 50
  $ hooks subs list --json | jq -r '.[].id'`,
    );

  withApiOptions(
    group
      .command('create')
      .description('Create a subscription; prints its signing secret once')
      .option('--url <url>', 'receiver URL')
      .option('--events <list>', "comma-separated event types or patterns: '*', 'user.*', user.created")
      .option('--name <name>', 'a name for your own bookkeeping')
      .option('--description <text>', 'what it is for')
      .option('--provider <id>', 'platform dialect (default: the API\'s)')
      .option('--secret <secret>', 'use your own signing secret instead of a generated one')
      .option('--inactive', 'create it disabled'),
  )
    .addHelpText(
      'after',
      `
On a terminal, missing values are asked for (URL, provider, events from the API's
catalog, name). In scripts (no TTY, CI set, or --json) a missing flag is an error.

Examples:
  $ hooks subs create --url https://example.test/hooks --events '*' --name prod --provider ithbat
  $ hooks subs create                      # asks for everything
  $ hooks subs create --json --url http://127.0.0.1:3000 --events user.created --name ci | jq -r .signing_secret`,
    )
    .action(async (flags: CreateFlags) => {
      await withClient(flags, async (client) => {
        let { url, name, provider } = flags;
        let events = flags.events ? list(flags.events) : undefined;
        const missing = [!url && '--url', !events?.length && '--events', !name && '--name'].filter(Boolean) as string[];
        if (missing.length > 0) {
          if (!canPrompt(flags)) {
            const { UsageError } = await import('../../core/errors.js');
            throw new UsageError(`missing ${missing.join(', ')}`, "nothing is asked when not at a terminal: pass every flag, e.g. --url http://127.0.0.1:3000/webhooks --events '*' --name dev");
          }
          const { askSubscription } = await import('../prompts/subscription.js');
          ({ url, events, name, provider } = await askSubscription(client, { url, events, name, provider }));
        }
        const created = await client.createSubscription({
          name: name!,
          url: url!,
          events: events!,
          ...(flags.description ? { description: flags.description } : {}),
          ...(provider ? { provider } : {}),
          ...(flags.secret ? { secret: flags.secret } : {}),
          ...(flags.inactive ? { active: false } : {}),
        });
        (await out()).printCreated(created, Boolean(flags.json));
      });
    });

  withApiOptions(group.command('list').description('All subscriptions with their last delivery status'))
    .addHelpText('after', '\nExamples:\n  $ hooks subs list\n  $ hooks subs list --json')
    .action(async (flags: ApiFlags) => {
      await withClient(flags, async (client) => {
        const all = [];
        let cursor: string | undefined;
        do {
          const page = await client.listSubscriptions(100, cursor);
          all.push(...page.data);
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        (await out()).printList(all, Boolean(flags.json));
      });
    });

  withApiOptions(group.command('get').description('One subscription in full').argument('<id>', 'subscription id'))
    .addHelpText('after', '\nExamples:\n  $ hooks subs get sub_01J…\n  $ hooks subs get sub_01J… --json')
    .action(async (id: string, flags: ApiFlags) => {
      await withClient(flags, async (client) => (await out()).printOne(await client.getSubscription(id), Boolean(flags.json)));
    });

  withApiOptions(
    group
      .command('update')
      .description('Change the URL, events, name or description')
      .argument('<id>', 'subscription id')
      .option('--url <url>', 'new receiver URL')
      .option('--events <list>', 'new comma-separated event types or patterns')
      .option('--name <name>', 'new name')
      .option('--description <text>', 'new description'),
  )
    .addHelpText('after', "\nExamples:\n  $ hooks subs update sub_01J… --events 'user.*,session.*'\n  $ hooks subs update sub_01J… --url https://new.example.test/hooks --json")
    .action(async (id: string, flags: UpdateFlags) => {
      const changes = {
        ...(flags.url ? { url: flags.url } : {}),
        ...(flags.events ? { events: list(flags.events) } : {}),
        ...(flags.name ? { name: flags.name } : {}),
        ...(flags.description !== undefined ? { description: flags.description } : {}),
      };
      if (Object.keys(changes).length === 0) {
        const { UsageError } = await import('../../core/errors.js');
        throw new UsageError('nothing to update', 'pass at least one of --url, --events, --name, --description');
      }
      await withClient(flags, async (client) => (await out()).printOne(await client.updateSubscription(id, changes), Boolean(flags.json), 'Updated'));
    });

  for (const [verb, active] of [['enable', true], ['disable', false]] as const) {
    withApiOptions(
      group
        .command(verb)
        .description(active ? 'Start deliveries (asgardeo: runs the WebSub verification first)' : 'Pause deliveries (asgardeo: sends the unsubscribe request)')
        .argument('<id>', 'subscription id'),
    )
      .addHelpText('after', `\nExamples:\n  $ hooks subs ${verb} sub_01J…`)
      .action(async (id: string, flags: ApiFlags) => {
        await withClient(flags, async (client) => (await out()).printOne(await client.updateSubscription(id, { active }), Boolean(flags.json), active ? 'Enabled' : 'Disabled'));
      });
  }

  withApiOptions(group.command('delete').description('Delete a subscription and its delivery history').argument('<id>', 'subscription id').option('-y, --yes', 'do not ask for confirmation'))
    .addHelpText('after', '\nWithout --yes it asks on a terminal and refuses in scripts.\n\nExamples:\n  $ hooks subs delete sub_01J…\n  $ hooks subs delete sub_01J… --yes --json')
    .action(async (id: string, flags: ApiFlags & { yes?: boolean }) => {
      await withClient(flags, async (client) => {
        if (!flags.yes) {
          if (!canPrompt(flags)) {
            const { UsageError } = await import('../../core/errors.js');
            throw new UsageError(`refusing to delete ${id} without --yes`, 'nothing is asked when not at a terminal: add --yes');
          }
          const sub = await client.getSubscription(id);
          const { confirm } = await import('@inquirer/prompts');
          if (!(await confirm({ message: `Delete ${sub.id} "${sub.name}" (${sub.url}) and its delivery history?`, default: false }))) {
            process.stderr.write('Not deleted.\n');
            process.exitCode = 1;
            return;
          }
        }
        await client.deleteSubscription(id);
        (await out()).printDeleted(id, Boolean(flags.json));
      });
    });

  withApiOptions(group.command('rotate-secret').description('Replace the signing secret; prints the new one once').argument('<id>', 'subscription id'))
    .addHelpText('after', '\nstandard and stripe subscriptions keep signing with the old secret too during the server\'s rotation grace.\n\nExamples:\n  $ hooks subs rotate-secret sub_01J…\n  $ hooks subs rotate-secret sub_01J… --json | jq -r .signing_secret')
    .action(async (id: string, flags: ApiFlags) => {
      await withClient(flags, async (client) => (await out()).printRotated(await client.rotateSecret(id), Boolean(flags.json)));
    });

  withApiOptions(group.command('test').description('Send test.ping (data.test: true) and show the attempt; exit 1 if it failed').argument('<id>', 'subscription id'))
    .addHelpText('after', '\nExamples:\n  $ hooks subs test sub_01J…')
    .action(async (id: string, flags: ApiFlags) => {
      await withClient(flags, async (client) => {
        const result = await client.testSubscription(id);
        process.exitCode = (await out()).printAttemptResult(result.delivery, Boolean(flags.json), result) ? 0 : 1;
      });
    });

  withApiOptions(
    group
      .command('deliveries')
      .description('The delivery feed: every attempt with time, event, status, duration and next retry')
      .argument('<id>', 'subscription id')
      .option('--limit <n>', 'how many deliveries (newest first)', integerOption('--limit', 1), 20),
  )
    .addHelpText('after', '\nExamples:\n  $ hooks subs deliveries sub_01J…\n  $ hooks subs deliveries sub_01J… --limit 100 --json')
    .action(async (id: string, flags: ApiFlags & { limit: number }) => {
      await withClient(flags, async (client) => (await out()).printDeliveries((await client.deliveries(id, Math.min(flags.limit, 100))).data, Boolean(flags.json)));
    });

  withApiOptions(group.command('retry').description('Re-send a delivery now, as a new attempt; exit 1 if it failed').argument('<delivery-id>', 'delivery id (see deliveries)'))
    .addHelpText('after', '\nExamples:\n  $ hooks subs retry dlv_01J…')
    .action(async (id: string, flags: ApiFlags) => {
      await withClient(flags, async (client) => {
        const delivery = await client.retryDelivery(id);
        process.exitCode = (await out()).printAttemptResult(delivery, Boolean(flags.json), delivery) ? 0 : 1;
      });
    });
}
