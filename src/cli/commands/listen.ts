import type { Command } from 'commander';
import { summary } from './index.js';
import { parseForward, parseRoute, type ProviderRoute, type Route } from '../../core/relay/routes.js';
import { Option } from '../commander.js';
import { commaList, connectionOf, dataDirOption, secretOption, targetOption, timeoutOption, withApiOptions, withLimitOptions } from '../flags.js';
import type { ListenFlags } from '../listen-options.js';
import { TUNNEL_KINDS } from '../../core/tunnel/tunnel.js';
import { durationOption, portOption, sizeOption } from '../options.js';
import { withProject } from '../project.js';
import { untilStopped } from '../signals.js';


export function registerListen(program: Command): void {
  withLimitOptions(
    withApiOptions(
      program
        .command('listen')
        .description(summary('listen'))
        .addOption(
          new Option('--forward <target>', "where to forward: 3000, localhost:3000, localhost:3000/webhooks, http(s)://… (repeatable); PROVIDER=TARGET: that provider's deliveries, with a subscription of its own")
            .argParser((value: string, previous: Array<URL | ProviderRoute> = []) => [...previous, parseForward(value)])
            .default([], 'none'),
        )
        .addOption(new Option('--route <pattern=target>', "send matching event types elsewhere, e.g. 'user.*=localhost:3001' (repeatable)").argParser((value: string, previous: Route[] = []) => [...previous, parseRoute(value)]).default([], 'none'))
        .option('--events <list>', 'event types or patterns the session subscribes to', commaList, ['*'])
        .option('--provider <id>', "provider to verify and subscribe as, or auto (detect from headers; subscribe with the API's default)", 'auto')
        .option('--provider-file <file>', 'a custom provider profile (JSON) to verify with')
        .addOption(secretOption("signing secret to verify with, for every provider; or PROVIDER=SECRET for one (repeatable; also HOOKS_SECRET_<PROVIDER>). Default: each provider's session secret").argParser((value: string, previous: string[] = []) => [...previous, value]))
        .addOption(new Option('--tunnel <kind>', 'public endpoint: cloudflared (quick, or named with --hostname), ngrok (NGROK_AUTHTOKEN), or none (the local URL)').choices([...TUNNEL_KINDS]).default('cloudflared'))
        .option('--hostname <host>', 'a cloudflared named tunnel: the hostname it serves, for a URL that never changes (token: CLOUDFLARED_TOKEN)')
        .option('--cloudflared-token <token>', 'the named tunnel\'s token (prefer CLOUDFLARED_TOKEN: argv is visible to other users)')
        .option('--domain <domain>', "ngrok: your account's static domain, for a URL that never changes")
        .addOption(targetOption('--public-url <url>', 'use a tunnel you run yourself that reaches the local receiver (probed, not restarted)'))
        .option('--port <port>', 'the local receiver\'s port on 127.0.0.1 (a named tunnel routes to a fixed one; default: any free port)', portOption('--port', 1))
        .option('--subscription <id>', 'point this existing subscription at the session (its URL is restored on exit)')
        .option('--no-catch-up', 'with --subscription: do not ask the platform to resend what failed while no session listened')
        .addOption(new Option('--probe-interval <duration>').argParser(durationOption('--probe-interval')).hideHelp())
        .addOption(new Option('--probe-timeout <duration>').argParser(durationOption('--probe-timeout')).hideHelp())
        .addOption(new Option('--probe-grace <duration>').argParser(durationOption('--probe-grace')).hideHelp())
        .addOption(new Option('--jump-threshold <duration>').argParser(durationOption('--jump-threshold')).hideHelp())
        .option('--no-subscribe', 'register no subscription (send deliveries to the printed URL yourself)')
        .option('--print-secret', "print the sessions' signing secret for --provider and exit (for scripts)")
        .option('--forward-unverified', 'forward deliveries that cannot be verified (no secret for their provider, no signature), marked unverified; invalid signatures still get 401')
        .option('--forward-invalid', 'forward deliveries with an invalid signature too (marked invalid), and those that cannot be verified')
        .addOption(timeoutOption('how long a target may take to answer (then 504)'))
        .addOption(new Option('--max-body <size>', 'largest body accepted (413 above)').argParser(sizeOption('--max-body')).default(10 * 1024 * 1024, '10mb'))
        .option('--max-store-size <size>', 'keep the store under this size, removing the oldest deliveries first (default 1gb, or hooks config)', sizeOption('--max-store-size'))
        .option('--max-store-age <duration>', 'remove deliveries older than this (default 30d, or hooks config)', durationOption('--max-store-age'))
        .option('--insecure', 'accept self-signed certificates on https targets')
        .option('--no-inspect', 'do not serve the web inspector')
        .option('--inspect-port <port>', 'where the web inspector listens (127.0.0.1; the next free port if taken)', portOption('--inspect-port'), 4040)
        .addOption(dataDirOption()),
      'one JSON object a line: listen.ready, tunnel.url, delivery.received, delivery.verified, delivery.forwarded, delivery.failed, …',
    ),
  )
    .addHelpText(
      'after',
      `
A hooks.json in this directory or a parent can hold the forward targets, routes, provider,
events, tunnel, hostname, domain, port and public URL ("listen": {…}); flags override it,
and the banner names it. Several providers in one block, "providers":
  {"<provider>": {"forward": "localhost:3000/webhooks/<provider>", "secret": "env:<VAR>"}, …}

Several providers in one session: --forward PROVIDER=TARGET (repeatable) sends the deliveries
read as that provider (by their signature headers) to its target, and the session subscribes
once for each provider named, with that provider's session secret; a plain --forward (and
--route) takes the rest, through a subscription as --provider (auto: the API's default). The
banner names each provider's secret and where it comes from.

The session probes its own public URL every 30 s and at once after the machine wakes: two
failed probes in a row restart the tunnel (with backoff), point the subscription at the new
URL, and print a line; deliveries that arrive meanwhile get 503 with Retry-After. With
--subscription, what the platform failed to deliver while no session listened is sent again
when the session starts and whenever the tunnel comes back ("caught up N deliveries").

Each delivery is stored (hooks events reads it) before its answer is sent. The sender gets
the target's status and body (502 if the target is down, 504 on timeout). Once the session
holds any secret, a delivery is forwarded only when it verifies with the secret of the
provider it is read as: an invalid signature gets 401 (unless --forward-invalid), and so
does a delivery with no signature or of a provider without a secret (unless
--forward-unverified). A session without any secret forwards everything, marked
unverified. A public key or a JWKS verifies only FusionAuth. WebSub GETs (hub.challenge) are
answered with exactly the challenge. Ctrl-C gives forwards in flight 5 s (then they are cut
off, stored as interrupted and answered 503) and deletes the session subscription; a second
Ctrl-C exits at once. --api-url and friends name the API
that holds the session subscription.

Examples:
  $ hooks listen --forward localhost:3000/webhooks
  $ hooks listen --forward 3000 --tunnel none --provider ithbat       # with hooks server, no internet
  $ hooks listen --forward 3000 --route 'user.*=localhost:3001'       # users to another app
  $ hooks listen --forward 3000 --forward 4000                        # every delivery to both
  $ hooks listen --forward ithbat=localhost:3000/webhooks/ithbat --forward github=localhost:3000/webhooks/github
  $ hooks listen --forward https://localhost:8443 --insecure          # self-signed local TLS
  $ hooks listen --forward 3000 --public-url https://my.ngrok.example --no-subscribe --secret "$S"
  $ hooks listen --forward 3000 --subscription sub_01J…               # borrow one; catch up what it missed
  $ CLOUDFLARED_TOKEN=… hooks listen --forward 3000 --hostname hooks.example.com --port 8787
  $ NGROK_AUTHTOKEN=… hooks listen --forward 3000 --tunnel ngrok --domain my-app.ngrok-free.app
  $ export ITHBAT_WEBHOOK_SECRET=$(hooks listen --print-secret --provider ithbat)
  $ hooks listen --forward 3000 --no-subscribe --secret ithbat="$ITHBAT_SECRET" --secret github="$GH_SECRET"
  $ hooks listen --forward 3000 --tunnel none --json | jq -c 'select(.type == "delivery.forwarded")'`,
    )
    .action(async (given: ListenFlags, cmd: Command) => {
      const [{ startListen, sessionSecret }, { ListenRenderer }, { loadProjectFile }, { listenOptions, givenSecretOrigin }] = await Promise.all([
        import('../../core/relay/listen-session.js'),
        import('../render/listen-log.js'),
        import('../../core/config/project.js'),
        import('../listen-options.js'),
      ]);
      const project = loadProjectFile();
      const flags = project ? withProject(cmd, given, project.listen, { forward: ['route'], secret: ['secrets'] }) : given;
      const renderer = new ListenRenderer(Boolean(flags.json));
      const secretFromEnv = cmd.getOptionValueSource('secret') === 'env';
      if (flags.printSecret) {
        const printed = await sessionSecret(flags.provider, connectionOf(flags));
        return renderer.printSecret(printed, givenSecretOrigin(flags, printed.provider, secretFromEnv));
      }
      const session = await startListen(await listenOptions(flags, project?.file ?? null, (e) => renderer.render(e), secretFromEnv));
      await untilStopped(
        () => session.stop(),
        () => {
          for (const left of session.abandon()) renderer.lastWords(left);
        },
      );
    });
}
