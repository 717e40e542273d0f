import type { Command } from 'commander';
import { summary } from './index.js';
import { Option } from '../commander.js';
import { jsonOption, limitsFrom, withLimitOptions, type LimitFlags } from '../flags.js';
import { durationOption, integerOption, numberOption, portOption } from '../options.js';
import { untilStopped } from '../signals.js';

interface ServerFlags extends LimitFlags {
  host: string;
  port: number;
  dataDir?: string;
  database?: string;
  provider?: string;
  timeScale: number;
  maxInFlight: number;
  maxPerSubscription: number;
  strictUrls?: boolean;
  token?: string;
  rotationGrace: number;
  console: boolean;
  consoleLink?: boolean;
  json?: boolean;
}

export function registerServer(program: Command): void {
  withLimitOptions(program.command('server'))
    .description(summary('server'))
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one and prints it)', portOption('--port'), 8787)
    .option('--data-dir <dir>', 'where the SQLite database lives (default: HOOKS_DATA_DIR, then the user data dir, e.g. ~/.local/share/hooks)')
    .addOption(new Option('--database <url>', 'a PostgreSQL database (postgres://user:password@host/db) that several hooks servers share instead of SQLite').env('HOOKS_DATABASE_URL'))
    .option('--provider <id>', 'provider of subscriptions and events that name none (default: standard, the platform-neutral dialect)')
    .option('--time-scale <factor>', 'multiply every retry delay and timeout (0.001 turns hours into seconds, for tests)', numberOption('--time-scale', 0.00001, 1000), 1)
    .option('--max-in-flight <n>', 'attempts in flight at once from this instance (0: it serves the API and sends nothing)', integerOption('--max-in-flight', 0, 10_000), 256)
    .option('--max-per-subscription <n>', 'attempts in flight at once to one subscription from this instance', integerOption('--max-per-subscription', 1, 1000), 32)
    .option('--strict-urls', 'refuse http, localhost, loopback, private and link-local receivers, as a public platform does')
    .addOption(new Option('--token <token>', 'API token to require (default: the stored one, or a new one)').env('HOOKS_SERVER_TOKEN'))
    .addOption(new Option('--rotation-grace <duration>', 'how long a rotated-out secret keeps signing beside the new one (standard, stripe)').argParser(durationOption('--rotation-grace')).default(86_400_000, '24h'))
    .option('--no-console', 'do not serve the web console at /console')
    .option('--console-link', 'print a fresh console link of the hooks server running on this machine and exit')
    .addOption(jsonOption('one JSON object a line: server.ready, delivery.attempted, …'))
    .addHelpText(
      'after',
      `
The API is under /api/v1 (GET /api/v1/openapi.json describes it). Every route but
/api/v1/healthz needs "Authorization: Bearer <token>"; the token is stored (0600)
in the user's config (server.json) so that the hooks CLI on this machine finds it.
The console (/console, 127.0.0.1 only) shows the subscriptions and their delivery feed, retries
a delivery, sends test events and emits any event of a catalog. Its printed link opens one
browser tab, once, within 10 minutes, and grants nothing else (the API refuses it);
--console-link prints a new one. Ctrl-C stops accepting, lets in-flight attempts end,
closes the database, exits 0.
With --database (or HOOKS_DATABASE_URL), every instance started with the same URL serves one
platform: subscriptions, events, deliveries, attempts, secrets and the API token live in
PostgreSQL, each delivery is sent by one instance, and an instance that dies leaves nothing
unsent. A second server on one SQLite data dir is refused (exit 2).

Examples:
  $ hooks server
  $ hooks server --port 0 --data-dir ./.hooks --json         # for CI: read the URL from the first line
  $ hooks server --provider lmif --time-scale 0.001         # LMIF's 34.6 h of retries in about 2 minutes
  $ hooks server --strict-urls                              # refuse what a public platform refuses
  $ hooks server --console-link                             # a new link to the running server's console
  $ hooks server --database postgres://hooks:…@db/hooks --host 0.0.0.0   # one of several instances of a team's platform`,
    )
    .action(async (flags: ServerFlags) => {
      if (flags.consoleLink) {
        const [{ consoleLink }, { resolveConnection }, { printConsoleLink }] = await Promise.all([import('../../core/ui-links.js'), import('../../core/api/connection.js'), import('../render/server-log.js')]);
        return printConsoleLink(await consoleLink(resolveConnection({})), Boolean(flags.json));
      }
      const [{ startServer }, { dataDir }, { DEFAULT_PROVIDER }, { ServerRenderer }] = await Promise.all([
        import('../../server/index.js'),
        import('../../core/config/paths.js'),
        import('../../core/providers/registry.js'),
        import('../render/server-log.js'),
      ]);
      const renderer = new ServerRenderer(Boolean(flags.json));
      const server = await startServer({
        host: flags.host,
        port: flags.port,
        dataDir: flags.dataDir ?? dataDir(),
        databaseUrl: flags.database,
        defaultProvider: flags.provider ?? DEFAULT_PROVIDER,
        strictUrls: Boolean(flags.strictUrls),
        timeScale: flags.timeScale,
        maxInFlight: flags.maxInFlight,
        maxPerSubscription: flags.maxPerSubscription,
        rotationGraceMs: flags.rotationGrace,
        token: flags.token,
        publish: true,
        limits: limitsFrom(flags),
        pages: flags.console ? (await import('../../inspector/console.js')).createConsole() : undefined,
        emit: (e) => renderer.render(e),
      });
      await untilStopped(() => server.close(5000));
    });
}
