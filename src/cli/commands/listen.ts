import type { Command } from 'commander';
import { summary } from './index.js';
import { Option } from '../commander.js';
import { limitsFrom, withLimitOptions, type LimitFlags } from '../limit-options.js';
import { collect, durationOption, sizeOption } from '../options.js';

interface ListenFlags extends LimitFlags {
  forward: string[];
  route: string[];
  events: string;
  provider: string;
  providerFile?: string;
  secret?: string;
  tunnel: 'cloudflared' | 'none';
  publicUrl?: string;
  subscription?: string;
  subscribe: boolean;
  printSecret?: boolean;
  forwardInvalid?: boolean;
  timeout: number;
  maxBody: number;
  maxStoreSize?: number;
  maxStoreAge?: number;
  insecure?: boolean;
  dataDir?: string;
  apiUrl?: string;
  token?: string;
  profile?: string;
  json?: boolean;
}

export function registerListen(program: Command): void {
  withLimitOptions(program.command('listen'))
    .description(summary('listen'))
    .option('--forward <target>', 'where to forward: 3000, localhost:3000, localhost:3000/webhooks, http(s)://… (repeatable)', collect, [])
    .option('--route <pattern=target>', "send matching event types elsewhere, e.g. 'user.*=localhost:3001' (repeatable)", collect, [])
    .option('--events <list>', 'event types or patterns the session subscribes to', '*')
    .option('--provider <id>', 'provider to verify and subscribe as, or auto (detect from headers; subscribe with the API\'s default)', 'auto')
    .option('--provider-file <file>', 'a custom provider profile (JSON) to verify with')
    .addOption(new Option('--secret <secret>', 'signing secret to verify with (default: the session subscription\'s)').env('HOOKS_SECRET'))
    .addOption(new Option('--tunnel <kind>', 'public endpoint: a cloudflared quick tunnel, or none (the local receiver URL)').choices(['cloudflared', 'none']).default('cloudflared'))
    .option('--public-url <url>', 'use a tunnel you run yourself that reaches the local receiver')
    .option('--subscription <id>', 'point this existing subscription at the session (its URL is restored on exit)')
    .option('--no-subscribe', 'register no subscription (send deliveries to the printed URL yourself)')
    .option('--print-secret', "print the sessions' signing secret for --provider and exit (for scripts)")
    .option('--forward-invalid', 'forward deliveries with an invalid signature too (they are marked)')
    .option('--timeout <duration>', 'how long a target may take', durationOption('--timeout'), 30_000)
    .option('--max-body <size>', 'largest body accepted (413 above)', sizeOption('--max-body'), 10 * 1024 * 1024)
    .option('--max-store-size <size>', 'keep the store under this size, removing the oldest deliveries first (default 1gb, or hooks config)', sizeOption('--max-store-size'))
    .option('--max-store-age <duration>', 'remove deliveries older than this (default 30d, or hooks config)', durationOption('--max-store-age'))
    .option('--insecure', 'accept self-signed certificates on https targets')
    .option('--data-dir <dir>', 'where deliveries are stored (default: the user data dir)')
    .option('--api-url <url>', 'API for the session subscription (default: profile, then the local hooks server)')
    .addOption(new Option('--token <token>', 'API token (prefer HOOKS_API_TOKEN or hooks login)'))
    .addOption(new Option('--profile <name>', 'config profile').env('HOOKS_PROFILE'))
    .option('--json', 'one JSON object a line: ready, tunnel.url, delivery.received, delivery.verified, delivery.forwarded, delivery.failed, …')
    .addHelpText(
      'after',
      `
Each delivery is stored (hooks events reads it) before its answer is sent. The sender gets
the target's status and body (502 if the target is down, 504 on timeout). With a secret,
an invalid signature is answered 401 and not forwarded (unless --forward-invalid); without
one, deliveries are forwarded and marked unverified. WebSub GETs (hub.challenge) are
answered with exactly the challenge. Ctrl-C finishes forwards in flight and deletes the
session subscription; a second Ctrl-C exits at once.

Examples:
  $ hooks listen --forward localhost:3000/webhooks
  $ hooks listen --forward 3000 --tunnel none --provider ithbat       # with hooks server, no internet
  $ hooks listen --forward 3000 --route 'user.*=localhost:3001'       # users to another app
  $ hooks listen --forward 3000 --forward 4000                        # every delivery to both
  $ hooks listen --forward https://localhost:8443 --insecure          # self-signed local TLS
  $ hooks listen --forward 3000 --public-url https://my.ngrok.example --no-subscribe --secret "$S"
  $ hooks listen --forward 3000 --subscription sub_01J…               # borrow an existing subscription
  $ export ITHBAT_WEBHOOK_SECRET=$(hooks listen --print-secret --provider ithbat)
  $ hooks listen --forward 3000 --tunnel none --json | jq -c 'select(.type == "delivery.forwarded")'`,
    )
    .action(async (flags: ListenFlags) => {
      const [{ UsageError }, { parseTarget, parseRoute }, { getProvider }, { ListenRenderer }] = await Promise.all([
        import('../../core/errors.js'),
        import('../../core/relay/target.js'),
        import('../../core/providers/registry.js'),
        import('../render/listen-log.js'),
      ]);
      const custom = flags.providerFile ? [(await import('../../core/providers/custom.js')).loadCustomProfile(flags.providerFile)] : [];
      if (flags.provider !== 'auto') getProvider(flags.provider, custom);
      const api = async () => {
        const { ApiClient } = await import('../../core/api/client.js');
        const { resolveConnection } = await import('../../core/api/connection.js');
        return new ApiClient(resolveConnection({ apiUrl: flags.apiUrl, token: flags.token, profile: flags.profile }));
      };

      if (flags.printSecret) {
        const { listenSecret } = await import('../../core/config/listen-secrets.js');
        let provider = flags.provider;
        if (provider === 'auto') {
          const client = await api();
          try {
            provider = (await client.eventTypes()).provider;
          } finally {
            await client.close();
          }
        }
        const secret = listenSecret(provider);
        process.stdout.write(flags.json ? `${JSON.stringify({ provider, secret })}\n` : `${secret}\n`);
        return;
      }

      if (flags.forward.length === 0 && flags.route.length === 0) throw new UsageError('nothing to forward to', 'pass --forward localhost:3000 (your app), and/or --route PATTERN=TARGET');
      if (flags.subscription && !flags.subscribe) throw new UsageError('--subscription and --no-subscribe contradict each other', 'pick one');
      if (flags.publicUrl) {
        try {
          new URL(flags.publicUrl);
        } catch {
          throw new UsageError(`--public-url "${flags.publicUrl}" is not a URL`, 'e.g. https://my-tunnel.example.com');
        }
      }
      const forwards = flags.forward.map((f) => parseTarget(f));
      const routes = flags.route.map(parseRoute);
      const { ListenSession } = await import('../../core/relay/listen-session.js');
      const { dataDir } = await import('../../core/config/paths.js');
      const { resolveRetention } = await import('../../core/config/retention.js');
      const renderer = new ListenRenderer(Boolean(flags.json));
      const session = new ListenSession({
        forwards,
        routes,
        provider: flags.provider,
        custom,
        events: flags.events.split(',').map((s) => s.trim()).filter(Boolean),
        secret: flags.secret,
        tunnel: flags.tunnel,
        publicUrl: flags.publicUrl,
        subscribe: flags.subscribe,
        subscriptionId: flags.subscription,
        forwardInvalid: Boolean(flags.forwardInvalid),
        timeoutMs: flags.timeout,
        maxBodyBytes: flags.maxBody,
        limits: limitsFrom(flags),
        insecure: Boolean(flags.insecure),
        dataDir: flags.dataDir ?? dataDir(),
        retention: resolveRetention({ maxBytes: flags.maxStoreSize, maxAgeMs: flags.maxStoreAge }),
        api,
        emit: (e) => renderer.render(e),
      });
      await session.start();
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = () => {
          if (stopping) process.exit(130);
          stopping = true;
          session.stop(flags.timeout).then(resolve, (err: Error) => {
            renderer.render({ type: 'warning', message: `stopping failed: ${err.message}` });
            resolve();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
