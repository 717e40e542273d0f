import type { Command } from 'commander';
import { summary } from './index.js';
import { Option } from '../commander.js';
import { durationOption, integerOption } from '../options.js';

interface StoreFlags {
  dataDir?: string;
  json?: boolean;
}

interface ListFlags extends StoreFlags {
  type?: string;
  status?: 'verified' | 'invalid' | 'unverified' | 'forwarded' | 'failed';
  since?: number;
  limit: number;
}

interface ReplayFlags extends ListFlags {
  all?: boolean;
  to?: string;
  resign?: boolean;
  secret?: string;
  timeout: number;
  insecure?: boolean;
}

const STATUSES = ['verified', 'invalid', 'unverified', 'forwarded', 'failed'];

async function openStore(flags: StoreFlags) {
  const [{ EventStore }, { dataDir }] = await Promise.all([import('../../core/store/event-store.js'), import('../../core/config/paths.js')]);
  return new EventStore(flags.dataDir ?? dataDir());
}

const filters = (cmd: Command) =>
  cmd
    .option('--type <pattern>', "event type or pattern: user.created, 'user.*'")
    .addOption(new Option('--status <status>', 'signature verdict or last forward outcome').choices(STATUSES))
    .option('--since <duration>', 'received within this long: 30m, 1h, 7d', durationOption('--since'));

export function registerEvents(program: Command): void {
  const group = program
    .command('events')
    .description(summary('events'))
    .addHelpText('after', "\nExamples:\n  $ hooks events list --since 1h\n  $ hooks events show rcv_01J… --raw > body.json\n  $ hooks events replay rcv_01J… --to localhost:4000\n  $ hooks events replay --all --type 'user.*' --since 1h --resign --secret \"$SECRET\"");

  filters(group.command('list').description('Newest first: id, time, provider, type, signature verdict, last forward status'))
    .option('--limit <n>', 'how many', integerOption('--limit', 1), 50)
    .option('--data-dir <dir>', 'the store (default: the user data dir)')
    .option('--json', 'print an array of deliveries (without bodies)')
    .addHelpText('after', "\nExamples:\n  $ hooks events list\n  $ hooks events list --status invalid --since 1d\n  $ hooks events list --type 'user.*' --limit 10 --json")
    .action(async (flags: ListFlags) => {
      const store = await openStore(flags);
      try {
        const rows = store.list({ typePattern: flags.type, status: flags.status, since: flags.since ? Date.now() - flags.since : undefined, limit: flags.limit });
        (await import('../render/events.js')).printList(rows, Boolean(flags.json));
      } finally {
        store.close();
      }
    });

  group
    .command('show')
    .description('One delivery: headers, body, signature verdict with hints, every forward and replay')
    .argument('<id>', 'delivery id (rcv_…)')
    .option('--raw', 'write the exact body bytes to stdout and nothing else')
    .option('--data-dir <dir>', 'the store (default: the user data dir)')
    .option('--json', 'print the delivery (body as base64 and, when it is text, as text) and its attempts')
    .addHelpText('after', '\nExamples:\n  $ hooks events show rcv_01J…\n  $ hooks events show rcv_01J… --raw | hooks verify --secret "$S" --header "X-Ithbat-Signature: …"')
    .action(async (id: string, flags: StoreFlags & { raw?: boolean }) => {
      const store = await openStore(flags);
      try {
        const d = store.get(id);
        if (!d) {
          const { OperationError } = await import('../../core/errors.js');
          throw new OperationError(`no stored delivery ${id}`, 'hooks events list shows the ids');
        }
        if (flags.raw) {
          if (d.body_truncated) {
            const { OperationError } = await import('../../core/errors.js');
            throw new OperationError(`only the first ${d.body.length} of the ${d.body_size} bytes of ${id} were kept (rejected deliveries are stored truncated)`, `hooks events show ${id} shows the kept part and the sha256 of the whole body`);
          }
          process.stdout.write(d.body);
          return;
        }
        (await import('../render/events.js')).printOne(d, store.attempts(id), Boolean(flags.json));
      } finally {
        store.close();
      }
    });

  filters(
    group
      .command('replay')
      .description('Re-send stored deliveries (the same bytes and headers); exit 1 if any failed')
      .argument('[ids...]', 'delivery ids (rcv_…)')
      .option('--all', 'every stored delivery matching --type/--since/--status')
      .option('--to <target>', 'send there instead of where the session forwarded it: 3000, localhost:3000/webhooks, a URL')
      .option('--resign', 'sign again with a fresh timestamp (standard and stripe refuse old ones)')
      .addOption(new Option('--secret <secret>', 'secret for --resign').env('HOOKS_SECRET'))
      .option('--limit <n>', 'at most this many with --all', integerOption('--limit', 1), 1000)
      .option('--timeout <duration>', 'how long a target may take', durationOption('--timeout'), 30_000)
      .option('--insecure', 'accept self-signed certificates on https targets')
      .option('--data-dir <dir>', 'the store (default: the user data dir)')
      .option('--json', 'one JSON object a line per replay'),
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
      const { UsageError } = await import('../../core/errors.js');
      if (ids.length === 0 && !flags.all) throw new UsageError('which deliveries?', 'pass ids, or --all with --type/--since/--status');
      if (ids.length > 0 && flags.all) throw new UsageError('ids and --all together', 'pick one');
      if (flags.resign && !flags.secret) throw new UsageError('--resign needs --secret (or HOOKS_SECRET)', 'the signing secret of the receiver');
      const [{ replay }, { Forwarder }, { parseTarget }, render] = await Promise.all([
        import('../../core/replay/replayer.js'),
        import('../../core/relay/forwarder.js'),
        import('../../core/relay/target.js'),
        import('../render/events.js'),
      ]);
      const target = flags.to ? parseTarget(flags.to, '--to') : undefined;
      const store = await openStore(flags);
      const forwarder = new Forwarder({ timeoutMs: flags.timeout, insecure: Boolean(flags.insecure), maxConcurrency: 16 });
      let failed = 0;
      try {
        const rows = flags.all
          ? store.list({ typePattern: flags.type, status: flags.status, since: flags.since ? Date.now() - flags.since : undefined, limit: flags.limit }).reverse()
          : ids.map((id) => store.get(id) ?? id);
        for (const row of rows) {
          if (typeof row === 'string') {
            failed++;
            render.printReplayMissing(row, Boolean(flags.json));
            continue;
          }
          const targets = target ? [target] : row.targets.map((t) => new URL(t));
          if (targets.length === 0) {
            failed++;
            render.printReplayMissing(row.id, Boolean(flags.json), 'it was never forwarded anywhere: pass --to');
            continue;
          }
          for (const r of await replay(store, forwarder, row, { targets, resignWith: flags.resign ? flags.secret : undefined })) {
            if (!r.ok) failed++;
            render.printReplay(row, r, Boolean(flags.json));
          }
        }
        if (rows.length === 0) process.stderr.write('nothing matches: hooks events list shows what is stored\n');
      } finally {
        await forwarder.close();
        store.close();
      }
      process.exitCode = failed > 0 ? 1 : 0;
    });

  group
    .command('delete')
    .description('Delete stored deliveries and their attempts')
    .argument('<ids...>', 'delivery ids')
    .option('--data-dir <dir>', 'the store (default: the user data dir)')
    .option('--json', 'print {deleted: n}')
    .addHelpText('after', '\nExamples:\n  $ hooks events delete rcv_01J… rcv_01K…')
    .action(async (ids: string[], flags: StoreFlags) => {
      const store = await openStore(flags);
      try {
        const n = store.remove(ids);
        if (flags.json) process.stdout.write(`${JSON.stringify({ deleted: n })}\n`);
        else process.stdout.write(`deleted ${n} of ${ids.length}\n`);
        process.exitCode = n === ids.length ? 0 : 1;
      } finally {
        store.close();
      }
    });

  group
    .command('prune')
    .description('Delete everything received before a given age')
    .requiredOption('--older-than <duration>', 'e.g. 30d, 12h', durationOption('--older-than'))
    .option('--data-dir <dir>', 'the store (default: the user data dir)')
    .option('--json', 'print {deleted: n}')
    .addHelpText('after', '\nExamples:\n  $ hooks events prune --older-than 30d')
    .action(async (flags: StoreFlags & { olderThan: number }) => {
      const store = await openStore(flags);
      try {
        const n = store.prune(Date.now() - flags.olderThan);
        if (flags.json) process.stdout.write(`${JSON.stringify({ deleted: n })}\n`);
        else process.stdout.write(`deleted ${n} deliveries received more than ${flags.olderThan / 86_400_000 >= 1 ? `${flags.olderThan / 86_400_000} days` : `${flags.olderThan / 1000} s`} ago\n`);
      } finally {
        store.close();
      }
    });
}
