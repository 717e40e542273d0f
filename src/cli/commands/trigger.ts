import type { Command } from 'commander';
import { summary } from './index.js';
import { Option } from '../commander.js';
import { canPrompt, connectionOf, secretOption, targetOption, timeoutOption, withApiOptions, type ApiFlags } from '../flags.js';
import { collect, durationOption, integerOption, numberOption } from '../options.js';
import { finish } from '../outcome.js';
import { withProject } from '../project.js';

interface TriggerFlags extends ApiFlags {
  provider?: string;
  data?: string;
  set: string[];
  edit?: boolean;
  wait: number;
  to?: URL;
  secret?: string;
  timeout: number;
  count?: number;
  batch?: number;
  concurrency?: number;
  rate?: number;
  list?: boolean;
}

export function registerTrigger(program: Command): void {
  withApiOptions(
    program
      .command('trigger')
      .description(summary('trigger'))
      .argument('[type]', 'event type, e.g. user.created (see --list)')
      .option('--provider <id>', "platform dialect (API mode default: the API's; --to default: standard)")
      .option('--data <json>', 'the whole data object: @file.json, - (stdin) or inline JSON')
      .addOption(new Option('--set <path=value>', 'change one field: data.user.email=a@b.c (JSON values parsed, strings otherwise; repeatable)').argParser(collect).default([], 'none'))
      .option('--edit', 'edit the data in $EDITOR first (terminal only)')
      .addOption(new Option('--wait <duration>', 'API mode: how long to wait for each first attempt').argParser(durationOption('--wait')).default(10_000, '10s'))
      .addOption(targetOption('--to <url>', 'skip the API: sign here and POST straight to this receiver (3000/webhooks means http://localhost:3000/webhooks)'))
      .addOption(secretOption('signing secret for --to'))
      .addOption(timeoutOption('--to: how long the receiver may take to answer'))
      .option('--count <n>', 'send this many (a load test), then print a summary', integerOption('--count', 1))
      .option('--batch <n>', '--to: this many events in each delivery, for platforms that batch (auth0)', integerOption('--batch', 1))
      .option('--concurrency <n>', 'sends in flight at once with --count (default 10)', integerOption('--concurrency', 1))
      .option('--rate <per-second>', 'at most this many sends a second with --count', numberOption('--rate', 0.001, 1_000_000))
      .option('--list', 'list the event types (of --provider, or of every provider)'),
  )
    .addHelpText(
      'after',
      `
Without --provider the event goes to every subscription that matches it, each in its own
provider's dialect; --provider sends it to that provider's subscriptions only. A hooks.json
in this directory or a parent can set provider, to, wait and timeout ("trigger": {…}).

Exit codes: 0 every first attempt succeeded, 1 one failed (by the provider's success rule) or
no subscription matched, 2 usage error (an unknown type says "did you mean"), 3 the API or
receiver is unreachable.

A synchronous hook (Okta inline hooks, Supabase Auth Hooks, Firebase blocking functions,
WorkOS Actions; --list shows them apart) is one call with --to: signed as the platform
signs it, awaited within its deadline, retried by its rule, and read as the platform reads
the answer. It prints what the platform would do (the token's claims, allow or deny, the
e-mail to send); exit 1 names each contract violation. --set paths start at the payload's
root (for Firebase, the token's claims). See docs/synchronous-hooks.md.

Examples:
  $ hooks trigger user.created                                   # through the local hooks server
  $ hooks trigger box.created --provider lmif --set data.boxId=box_42
  $ hooks trigger login.loginSuccess --provider asgardeo --data @login.json
  $ hooks trigger user.created --to localhost:3000/webhooks --secret "$SECRET" --provider ithbat
  $ hooks trigger user.created --to localhost:3000/webhooks --secret "$SECRET" --count 10000 --concurrency 50
  $ hooks trigger s --provider auth0 --to localhost:3000/logs --secret "$AUTH0_TOKEN" --batch 25
  $ hooks trigger --list --provider scalekit
  $ hooks trigger com.okta.oauth2.tokens.transform --to 3000/okta/token --secret "$OKTA_HOOK_AUTH"
  $ hooks trigger customize-access-token --provider supabase --to 3000/auth/token --secret "$SUPABASE_HOOK_SECRET"`,
    )
    .action(async (type: string | undefined, given: TriggerFlags, cmd: Command) => {
      const [{ trigger, eventTypes }, { syncHookRows }, render, { loadProjectFile }] = await Promise.all([import('../../core/trigger/trigger.js'), import('../../core/providers/sync/registry.js'), import('../render/trigger.js'), import('../../core/config/project.js')]);
      const project = loadProjectFile();
      const flags = project ? withProject(cmd, given, project.trigger) : given;
      if (flags.list) return render.printTypes(eventTypes(flags.provider), syncHookRows(flags.provider), Boolean(flags.json));
      const interactive = canPrompt(flags);
      const bar = flags.count !== undefined ? render.progressBar(Boolean(flags.json)) : undefined;
      const result = await trigger({
        type,
        provider: flags.provider,
        data: flags.data,
        stdin: flags.data === '-' ? await stdinText() : undefined,
        set: flags.set,
        edit: flags.edit ? async (data) => (await import('../editor.js')).editInEditor(data, interactive) : undefined,
        to: flags.to,
        secret: flags.secret,
        timeoutMs: flags.timeout,
        connection: connectionOf(flags),
        waitMs: flags.wait,
        count: flags.count,
        batch: flags.batch,
        concurrency: flags.concurrency,
        rate: flags.rate,
        onProgress: bar?.update,
      });
      bar?.done();
      render.printTrigger(result, Boolean(flags.json));
      finish(result);
    });
}

/** What is piped for `--data -`; a terminal on stdin is a usage error rather than a wait. */
async function stdinText(): Promise<string> {
  if (process.stdin.isTTY) {
    const { UsageError } = await import('../../core/errors.js');
    throw new UsageError('--data - reads stdin, but stdin is a terminal', 'pipe the JSON in, or use --data @file.json');
  }
  return (await (await import('../input.js')).readStdin()).toString('utf8');
}
