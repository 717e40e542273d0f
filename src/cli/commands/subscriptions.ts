import type { Command } from 'commander';
import { summary } from './index.js';
import { UsageError } from '../../core/errors.js';
import { canPrompt, commaList, connectionOf, targetOption, withApiOptions, type ApiFlags } from '../flags.js';
import { integerOption } from '../options.js';
import { finish } from '../outcome.js';

interface CreateFlags extends ApiFlags {
  url?: URL;
  events?: string[];
  name?: string;
  description?: string;
  provider?: string;
  secret?: string;
  inactive?: boolean;
}

interface UpdateFlags extends ApiFlags {
  url?: URL;
  events?: string[];
  name?: string;
  description?: string;
}

const core = async () => (await import('../../core/api/subscriptions.js')).subscriptions;
const render = () => import('../render/subscriptions.js');

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
      .addOption(targetOption('--url <url>', 'receiver URL (3000/webhooks means http://localhost:3000/webhooks)'))
      .option('--events <list>', "comma-separated event types or patterns: '*', 'user.*', user.created", commaList)
      .option('--name <name>', 'a name for your own bookkeeping')
      .option('--description <text>', 'what it is for')
      .option('--provider <id>', "platform dialect (default: the API's)")
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
      const given = { url: flags.url?.href, events: flags.events, name: flags.name, provider: flags.provider };
      const answers = complete(given) ?? (canPrompt(flags) ? await (await import('../prompts/subscription.js')).askSubscription(connectionOf(flags), given) : missingFlags(given));
      const created = await (await core()).create(connectionOf(flags), {
        ...answers,
        ...(flags.description ? { description: flags.description } : {}),
        ...(flags.secret ? { secret: flags.secret } : {}),
        ...(flags.inactive ? { active: false } : {}),
      });
      (await render()).printCreated(created, Boolean(flags.json));
    });

  withApiOptions(group.command('list').description('All subscriptions with their last delivery status'))
    .addHelpText('after', '\nExamples:\n  $ hooks subs list\n  $ hooks subs list --json')
    .action(async (flags: ApiFlags) => (await render()).printList(await (await core()).list(connectionOf(flags)), Boolean(flags.json)));

  withApiOptions(group.command('get').description('One subscription in full').argument('<id>', 'subscription id'))
    .addHelpText('after', '\nExamples:\n  $ hooks subs get sub_01J…\n  $ hooks subs get sub_01J… --json')
    .action(async (id: string, flags: ApiFlags) => (await render()).printOne(await (await core()).get(connectionOf(flags), id), Boolean(flags.json)));

  withApiOptions(
    group
      .command('update')
      .description('Change the URL, events, name or description')
      .argument('<id>', 'subscription id')
      .addOption(targetOption('--url <url>', 'new receiver URL'))
      .option('--events <list>', 'new comma-separated event types or patterns', commaList)
      .option('--name <name>', 'new name')
      .option('--description <text>', 'new description'),
  )
    .addHelpText('after', "\nExamples:\n  $ hooks subs update sub_01J… --events 'user.*,session.*'\n  $ hooks subs update sub_01J… --url https://new.example.test/hooks --json")
    .action(async (id: string, flags: UpdateFlags) => {
      const changes = {
        ...(flags.url ? { url: flags.url.href } : {}),
        ...(flags.events ? { events: flags.events } : {}),
        ...(flags.name ? { name: flags.name } : {}),
        ...(flags.description !== undefined ? { description: flags.description } : {}),
      };
      (await render()).printOne(await (await core()).update(connectionOf(flags), id, changes), Boolean(flags.json), 'Updated');
    });

  for (const [verb, active] of [['enable', true], ['disable', false]] as const) {
    withApiOptions(
      group
        .command(verb)
        .description(active ? 'Start deliveries (asgardeo: runs the WebSub verification first)' : 'Pause deliveries (asgardeo: sends the unsubscribe request)')
        .argument('<id>', 'subscription id'),
    )
      .addHelpText('after', `\nExamples:\n  $ hooks subs ${verb} sub_01J…`)
      .action(async (id: string, flags: ApiFlags) => (await render()).printOne(await (await core()).update(connectionOf(flags), id, { active }), Boolean(flags.json), active ? 'Enabled' : 'Disabled'));
  }

  withApiOptions(group.command('delete').description('Delete a subscription and its delivery history').argument('<id>', 'subscription id').option('-y, --yes', 'do not ask for confirmation'))
    .addHelpText('after', '\nWithout --yes it asks on a terminal and refuses in scripts.\n\nExamples:\n  $ hooks subs delete sub_01J…\n  $ hooks subs delete sub_01J… --yes --json')
    .action(async (id: string, flags: ApiFlags & { yes?: boolean }) => {
      if (!flags.yes) await (await import('../prompts/subscription.js')).confirmDelete(connectionOf(flags), id, canPrompt(flags));
      (await render()).printDeleted(await (await core()).remove(connectionOf(flags), id), Boolean(flags.json));
    });

  withApiOptions(group.command('rotate-secret').description('Replace the signing secret; prints the new one once').argument('<id>', 'subscription id'))
    .addHelpText('after', "\nstandard and stripe subscriptions keep signing with the old secret too during the server's rotation grace.\n\nExamples:\n  $ hooks subs rotate-secret sub_01J…\n  $ hooks subs rotate-secret sub_01J… --json | jq -r .signing_secret")
    .action(async (id: string, flags: ApiFlags) => (await render()).printRotated(await (await core()).rotateSecret(connectionOf(flags), id), Boolean(flags.json)));

  withApiOptions(group.command('test').description("Send the platform's test event (or a sample of the first type the subscription receives) and show the attempt; exit 1 if it failed").argument('<id>', 'subscription id'))
    .addHelpText('after', '\nExamples:\n  $ hooks subs test sub_01J…')
    .action(async (id: string, flags: ApiFlags) => {
      const report = await (await core()).test(connectionOf(flags), id);
      (await render()).printAttempt(report, Boolean(flags.json));
      finish(report);
    });

  withApiOptions(
    group
      .command('deliveries')
      .description('The delivery feed: every attempt with time, event, status, duration and next retry')
      .argument('<id>', 'subscription id')
      .option('--limit <n>', 'how many deliveries (newest first, at most 100)', integerOption('--limit', 1), 20),
  )
    .addHelpText('after', '\nExamples:\n  $ hooks subs deliveries sub_01J…\n  $ hooks subs deliveries sub_01J… --limit 100 --json')
    .action(async (id: string, flags: ApiFlags & { limit: number }) => (await render()).printDeliveries(await (await core()).deliveries(connectionOf(flags), id, flags.limit), Boolean(flags.json)));

  withApiOptions(group.command('retry').description('Re-send a delivery now, as a new attempt; exit 1 if it failed').argument('<delivery-id>', 'delivery id (see deliveries)'))
    .addHelpText('after', '\nExamples:\n  $ hooks subs retry dlv_01J…')
    .action(async (id: string, flags: ApiFlags) => {
      const report = await (await core()).retry(connectionOf(flags), id);
      (await render()).printAttempt(report, Boolean(flags.json));
      finish(report);
    });
}

interface Given {
  url?: string;
  events?: string[];
  name?: string;
  provider?: string;
}

function complete(given: Given) {
  const { url, events, name, provider } = given;
  return url && events?.length && name ? { url, events, name, ...(provider ? { provider } : {}) } : null;
}

/** Not at a terminal nothing is asked: every value must come as a flag. */
function missingFlags(given: Given): never {
  const missing = [!given.url && '--url', !given.events?.length && '--events', !given.name && '--name'].filter(Boolean);
  throw new UsageError(`missing ${missing.join(', ')}`, "nothing is asked when not at a terminal: pass every flag, e.g. --url http://127.0.0.1:3000/webhooks --events '*' --name dev");
}
