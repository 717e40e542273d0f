import type { Command } from 'commander';
import { summary } from './index.js';
import { apiClient, canPrompt, withApiOptions, type ApiFlags } from '../api-options.js';
import { Option } from '../commander.js';
import { collect, durationOption, integerOption, numberOption } from '../options.js';

interface TriggerFlags extends ApiFlags {
  provider?: string;
  data?: string;
  set: string[];
  edit?: boolean;
  wait: number;
  to?: string;
  secret?: string;
  count?: number;
  concurrency: number;
  rate?: number;
  list?: boolean;
}

export function registerTrigger(program: Command): void {
  withApiOptions(
    program
      .command('trigger')
      .description(summary('trigger'))
      .argument('[type]', 'event type, e.g. user.created (see --list)')
      .option('--provider <id>', 'platform dialect (API mode default: the API\'s; --to default: standard)')
      .option('--data <json>', "the whole data object: @file.json, - (stdin) or inline JSON")
      .option('--set <path=value>', 'change one field: data.user.email=a@b.c (JSON values parsed, strings otherwise; repeatable)', collect, [])
      .option('--edit', 'edit the data in $EDITOR first (terminal only)')
      .option('--wait <duration>', 'API mode: how long to wait for each first attempt', durationOption('--wait'), 10_000)
      .option('--to <url>', 'skip the API: sign here and POST straight to this receiver')
      .addOption(new Option('--secret <secret>', 'signing secret for --to').env('HOOKS_SECRET'))
      .option('--count <n>', 'send this many (a load test), then print a summary', integerOption('--count', 1))
      .option('--concurrency <n>', 'sends in flight at once with --count', integerOption('--concurrency', 1), 10)
      .option('--rate <per-second>', 'at most this many sends a second with --count', numberOption('--rate', 0.001, 1_000_000))
      .option('--list', 'list the event types (of --provider, or of every provider)'),
  )
    .addHelpText(
      'after',
      `
Exit codes: 0 every first attempt succeeded, 1 one failed (by the provider's success rule),
2 usage error (an unknown type says "did you mean"), 3 the API or receiver is unreachable.

Examples:
  $ hooks trigger user.created                                   # through the local hooks server
  $ hooks trigger box.created --provider lmif --set data.boxId=box_42
  $ hooks trigger login.loginSuccess --provider asgardeo --data @login.json
  $ hooks trigger user.created --to http://localhost:3000/webhooks --secret "$SECRET" --provider ithbat
  $ hooks trigger user.created --to http://localhost:3000/webhooks --secret "$SECRET" --count 10000 --concurrency 50
  $ hooks trigger --list --provider scalekit`,
    )
    .action(async (type: string | undefined, flags: TriggerFlags) => {
      const [{ UsageError }, { PROVIDERS, getProvider }, render] = await Promise.all([
        import('../../core/errors.js'),
        import('../../core/providers/registry.js'),
        import('../render/trigger.js'),
      ]);
      if (flags.list) {
        const profiles = flags.provider ? [getProvider(flags.provider)] : PROVIDERS;
        return render.printTypes(profiles, Boolean(flags.json));
      }
      if (!type) throw new UsageError('which event type?', 'e.g. hooks trigger user.created (hooks trigger --list shows them)');
      if (flags.to && !flags.secret) throw new UsageError('--to needs --secret (or HOOKS_SECRET)', 'the receiver checks the signature with the same secret');
      if ((flags.rate || flags.concurrency !== 10) && !flags.count) throw new UsageError('--rate and --concurrency go with --count', 'e.g. --count 1000 --concurrency 20');

      const client = flags.to ? null : await apiClient(flags);
      try {
        const provider = flags.provider ?? (flags.to ? 'standard' : undefined);
        let data = await baseData(flags, UsageError);
        // --set and --edit change a fixture, so it is built here rather than by the API.
        const needsFixture = data === undefined && (flags.set.length > 0 || Boolean(flags.edit));
        const profileId = provider ?? (needsFixture ? (await client!.eventTypes()).provider : undefined);
        if (profileId) {
          const profile = getProvider(profileId);
          if (!profile.catalog.has(type)) {
            const { didYouMean } = await import('../../core/suggest.js');
            const types = profile.catalog.types.map((t) => t.type);
            throw new UsageError(`unknown ${profileId} event type "${type}"${didYouMean(type, types)}`, `known: ${types.join(', ')}`);
          }
          if (needsFixture) data = profile.catalog.sample(type);
        }
        for (const assignment of flags.set) data = (await import('../../core/trigger/payload.js')).applySet(data, assignment);
        if (flags.edit) data = await editData(data, UsageError);

        if (flags.to) {
          const { sendDirect } = await import('../../core/trigger/direct.js');
          const { Pool } = await import('undici');
          const url = parseUrl(flags.to, UsageError);
          const profile = getProvider(provider!);
          (await import('../../core/providers/secret-rule.js')).assertUsableSecret(profile, flags.secret!);
          const pool = new Pool(url.origin, { connections: Math.max(1, flags.concurrency), keepAliveTimeout: 10_000 });
          const send = () => sendDirect(pool, profile, { url, secret: flags.secret!, type, data, timeoutMs: flags.timeout ?? 30_000 });
          try {
            if (flags.count) {
              const summary = await load(flags, async () => {
                const r = await send();
                return { ok: r.ok, status: r.status, latencyMs: r.latencyMs, error: r.error };
              });
              render.printSummary(summary, Boolean(flags.json));
              process.exitCode = summary.failed > 0 ? 1 : 0;
            } else {
              const r = await send();
              render.printDirect(r, url, profile.id, type, Boolean(flags.json));
              process.exitCode = r.ok ? 0 : r.status === null ? 3 : 1;
            }
          } finally {
            await pool.close();
          }
          return;
        }

        const { ApiRequestError } = await import('../../core/api/client.js');
        const create = async () => {
          try {
            return await client!.createEvent({ type, ...(data !== undefined ? { data } : {}), ...(provider ? { provider } : {}) }, flags.wait);
          } catch (err) {
            // The API knows the catalog when no --provider was given: its refusal is a usage error here.
            if (err instanceof ApiRequestError && err.code === 'unknown_event_type') throw new UsageError(err.message, 'hooks trigger --list shows the types');
            throw err;
          }
        };
        if (flags.count) {
          const summary = await load(flags, async () => {
            const started = performance.now();
            const event = await create();
            const attempts = (event.deliveries ?? []).map((d) => d.attempts[0]);
            const ok = attempts.every((a) => a?.success);
            const failed = attempts.find((a) => !a?.success);
            return { ok, status: ok ? 200 : (failed?.status_code ?? null), latencyMs: performance.now() - started, error: ok ? null : (failed?.error ?? 'no attempt within --wait') };
          });
          render.printSummary(summary, Boolean(flags.json));
          process.exitCode = summary.failed > 0 ? 1 : 0;
          return;
        }
        const event = await create();
        process.exitCode = render.printEvent(event, Boolean(flags.json)) ? 0 : 1;
      } finally {
        await client?.close();
      }
    });
}

async function load(flags: TriggerFlags, send: () => Promise<{ ok: boolean; status: number | null; latencyMs: number; error: string | null }>) {
  const { runLoad } = await import('../../core/trigger/load.js');
  const { progressBar } = await import('../render/trigger.js');
  const bar = process.stderr.isTTY && !flags.json ? progressBar() : undefined;
  const summary = await runLoad({ count: flags.count!, concurrency: flags.concurrency, rate: flags.rate, send: () => send(), onProgress: bar?.update });
  bar?.done();
  return summary;
}

async function baseData(flags: TriggerFlags, UsageError: typeof import('../../core/errors.js').UsageError): Promise<unknown> {
  if (flags.data === undefined) return undefined;
  const { parseDataArg } = await import('../../core/trigger/payload.js');
  if (flags.data === '-') {
    if (process.stdin.isTTY) throw new UsageError('--data - reads stdin, but stdin is a terminal', 'pipe the JSON in, or use --data @file.json');
    const { readStdin } = await import('../input.js');
    return parseDataArg('-', (await readStdin()).toString('utf8'));
  }
  return parseDataArg(flags.data);
}

async function editData(data: unknown, UsageError: typeof import('../../core/errors.js').UsageError): Promise<unknown> {
  if (!canPrompt({})) throw new UsageError('--edit needs a terminal', 'use --data or --set in scripts');
  const [{ mkdtempSync, writeFileSync, readFileSync, rmSync }, { tmpdir }, { join }, { spawnSync }, { parseDataArg }] = await Promise.all([
    import('node:fs'),
    import('node:os'),
    import('node:path'),
    import('node:child_process'),
    import('../../core/trigger/payload.js'),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'hooks-edit-'));
  const file = join(dir, 'data.json');
  try {
    writeFileSync(file, `${JSON.stringify(data ?? {}, null, 2)}\n`);
    const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
    const r = spawnSync(editor, [file], { stdio: 'inherit', shell: true });
    if (r.status !== 0) throw new UsageError(`${editor} exited ${r.status}: nothing sent`, 'save and quit the editor normally to send');
    return parseDataArg(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseUrl(text: string, UsageError: typeof import('../../core/errors.js').UsageError): URL {
  try {
    const url = new URL(/^https?:\/\//.test(text) ? text : `http://${text}`);
    return url;
  } catch {
    throw new UsageError(`--to "${text}" is not a URL`, 'e.g. --to http://localhost:3000/webhooks');
  }
}
