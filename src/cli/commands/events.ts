import type { Command } from 'commander';
import { summary } from './index.js';
import { Option } from '../commander.js';
import { dataDirOption, jsonOption, secretOption, targetOption, timeoutOption } from '../flags.js';
import { durationOption, integerOption } from '../options.js';
import { finish } from '../outcome.js';
import { OUTCOMES, VERDICTS } from '../../core/store/verdicts.js';

type Status = (typeof VERDICTS)[number] | (typeof OUTCOMES)[number];

interface StoreFlags {
  dataDir?: string;
  json?: boolean;
}

interface FilterFlags extends StoreFlags {
  type?: string;
  status?: Status;
  since?: number;
  limit: number;
}

interface ReplayFlags extends FilterFlags {
  all?: boolean;
  to?: URL;
  resign?: boolean;
  secret?: string;
  sendSecretHeaders?: boolean;
  timeout: number;
  insecure?: boolean;
}

/** The inbox of --data-dir, opened for one call and closed; the flags --type, --status and --since are its filter as they are. */
const inbox = async () => (await import('../../core/inbox/inbox.js')).withInbox;
const render = () => import('../render/events.js');

const withFilters = (cmd: Command) =>
  cmd
    .option('--type <pattern>', "event type or pattern: user.created, 'user.*'")
    .addOption(new Option('--status <status>', 'signature verdict or last forward outcome').choices([...VERDICTS, ...OUTCOMES]))
    .option('--since <duration>', 'received within this long: 30m, 1h, 7d', durationOption('--since'));

export function registerEvents(program: Command): void {
  const group = program
    .command('events')
    .description(summary('events'))
    .addHelpText('after', "\nExamples:\n  $ hooks events list --since 1h\n  $ hooks events show rcv_01J… --raw > body.json\n  $ hooks events replay rcv_01J… --to localhost:4000\n  $ hooks events replay --all --type 'user.*' --since 1h --resign --secret \"$SECRET\"");

  withFilters(group.command('list').description('Newest first: id, time, provider, type, signature verdict, last forward status'))
    .option('--limit <n>', 'how many', integerOption('--limit', 1), 50)
    .addOption(dataDirOption())
    .addOption(jsonOption('print an array of deliveries (without bodies)'))
    .addHelpText('after', "\nExamples:\n  $ hooks events list\n  $ hooks events list --status invalid --since 1d\n  $ hooks events list --type 'user.*' --limit 10 --json")
    .action(async (flags: FilterFlags) => (await render()).printList(await (await import('../../core/inbox/inbox.js')).listStored(flags.dataDir, flags, flags.limit), Boolean(flags.json)));

  group
    .command('show')
    .description('One delivery: headers, body, signature verdict with hints, every forward and replay')
    .argument('<id>', 'delivery id (rcv_…)')
    .option('--raw', 'write the exact body bytes to stdout and nothing else')
    .addOption(dataDirOption())
    .addOption(jsonOption('print the delivery (body as base64 and, when it is text, as text) and its attempts'))
    .addHelpText('after', '\nExamples:\n  $ hooks events show rcv_01J…\n  $ hooks events show rcv_01J… --raw | hooks verify --secret "$S" --header "X-Ithbat-Signature: …"')
    .action(async (id: string, flags: StoreFlags & { raw?: boolean }) => {
      if (flags.raw) return (await render()).printRaw(await (await inbox())(flags.dataDir, {}, (i) => i.body(id), 'read'));
      // The whole body: a script reads it exactly (as base64 too); headers that hold a secret are withheld.
      (await render()).printOne(await (await inbox())(flags.dataDir, {}, (i) => i.get(id, { bytes: null, alwaysBase64: true }), 'read'), Boolean(flags.json));
    });

  withFilters(
    group
      .command('replay')
      .description('Re-send stored deliveries (the same bytes and headers); exit 1 if any failed')
      .argument('[ids...]', 'delivery ids (rcv_…)')
      .option('--all', 'every stored delivery matching --type/--since/--status')
      .addOption(targetOption('--to <target>', 'send there instead of where the session forwarded it: 3000, localhost:3000/webhooks, a URL'))
      .option('--resign', 'sign again with a fresh timestamp (standard and stripe refuse old ones)')
      .addOption(secretOption('secret for --resign'))
      .option('--send-secret-headers', "with --to a target the delivery was never forwarded to: send the headers that hold a secret too (Okta's and Auth0's Authorization); left out otherwise")
      .option('--limit <n>', 'at most this many with --all', integerOption('--limit', 1), 1000)
      .addOption(timeoutOption('how long a target may take to answer'))
      .option('--insecure', 'accept self-signed certificates on https targets')
      .addOption(dataDirOption())
      .addOption(jsonOption('one JSON object a line per replay')),
  )
    .addHelpText(
      'after',
      `
Replay into a running hooks listen session's receiver with --to its local URL.

Examples:
  $ hooks events replay rcv_01J…
  $ hooks events replay rcv_01J… rcv_01K… --to localhost:4000/webhooks
  $ hooks events replay --all --status failed --since 1h
  $ hooks events replay rcv_01J… --resign --secret "$STANDARD_SECRET"`,
    )
    .action(async (ids: string[], flags: ReplayFlags) => {
      const [withInbox, { ReplayRenderer }] = await Promise.all([inbox(), render()]);
      const renderer = new ReplayRenderer(Boolean(flags.json));
      const batch = await withInbox(flags.dataDir, { timeoutMs: flags.timeout, insecure: Boolean(flags.insecure), hints: { sign: 'pass --secret S (or HOOKS_SECRET) with --resign', target: '--to' } }, (i) =>
        i.replayMany({ ids, all: Boolean(flags.all), filter: flags, limit: flags.limit, to: flags.to, resign: Boolean(flags.resign), secret: flags.secret, sendSecretHeaders: Boolean(flags.sendSecretHeaders) }, (e) => renderer.render(e)),
      );
      renderer.done(batch);
      finish(batch);
    });

  group
    .command('delete')
    .description('Delete stored deliveries and their attempts; exit 1 if some were not stored')
    .argument('<ids...>', 'delivery ids')
    .addOption(dataDirOption())
    .addOption(jsonOption('print {deleted: n}'))
    .addHelpText('after', '\nExamples:\n  $ hooks events delete rcv_01J… rcv_01K…')
    .action(async (ids: string[], flags: StoreFlags) => {
      const result = await (await inbox())(flags.dataDir, {}, (i) => i.remove(ids));
      (await render()).printDeleted(result, Boolean(flags.json));
      finish(result);
    });

  group
    .command('salvage')
    .description('Bring back what can be read of a damaged store into the store (hooks listen moves a damaged one aside)')
    .argument('<file>', 'the damaged store: events.db.damaged-… (listen names it when it moves it aside)')
    .addOption(dataDirOption())
    .addOption(jsonOption('print {from, into, deliveries, attempts, already, unreadable}'))
    .addHelpText('after', '\nRows on damaged pages are skipped and counted; deliveries the store already has are left as they are, so running it twice adds nothing.\n\nExamples:\n  $ hooks events salvage ~/.local/share/hooks/events.db.damaged-2026-01-31T10-00-00-000Z')
    .action(async (file: string, flags: StoreFlags) => {
      const { salvageStore } = await import('../../core/store/salvage.js');
      const { dataDir } = await import('../../core/config/paths.js');
      (await render()).printSalvaged(await salvageStore(file, flags.dataDir ?? dataDir()), Boolean(flags.json));
    });

  group
    .command('prune')
    .description('Delete everything received before a given age')
    .requiredOption('--older-than <duration>', 'e.g. 30d, 12h', durationOption('--older-than'))
    .addOption(dataDirOption())
    .addOption(jsonOption('print {deleted: n}'))
    .addHelpText('after', '\nhooks listen also keeps the store within --max-store-size and --max-store-age by itself.\n\nExamples:\n  $ hooks events prune --older-than 30d')
    .action(async (flags: StoreFlags & { olderThan: number }) => (await render()).printPruned(await (await inbox())(flags.dataDir, {}, (i) => i.prune(flags.olderThan)), Boolean(flags.json)));
}
