import type { Command } from 'commander';
import { summary } from './index.js';
import { parseTarget } from '../../core/http/target.js';
import { commaList, connectionOf, secretOption, withApiOptions, type ApiFlags } from '../flags.js';
import { Option } from '../commander.js';
import { durationOption } from '../options.js';
import { finish } from '../outcome.js';

interface AuditFlags extends ApiFlags {
  provider?: string;
  type?: string;
  secret?: string;
  subscription?: string;
  only?: string[];
  strict?: boolean;
  timeout: number;
  providerFile?: string;
}

export function registerAudit(program: Command): void {
  withApiOptions(
    program
      .command('audit')
      .description(summary('audit'))
      .argument('[url]', 'the receiver to grade: 3000/webhooks, localhost:3000/webhooks, https://…', (value: string) => parseTarget(value, 'URL'))
      .option('--provider <id>', 'the platform whose deliveries it receives (hooks providers list)')
      .option('--type <hook>', 'grade the receiver of this synchronous hook (hooks trigger --list shows them)')
      .addOption(secretOption("the receiver's signing secret"))
      .option('--subscription <id>', "audit this subscription's receiver: URL, provider and secret come from the API")
      .addOption(new Option('--only <ids>', 'run only these checks (comma list)').argParser(commaList))
      .option('--strict', 'warnings fail the audit too')
      .addOption(new Option('--timeout <duration>', 'how long each request may wait for an answer').argParser(durationOption('--timeout')).default(10_000, '10s'))
      .option('--provider-file <file>', 'a custom profile (JSON) for a platform hooks does not ship'),
    'print one JSON object: {url, provider, checks: [{id, status, required, detail, hint, status_code, latency_ms}], passed, failed, warned}',
  )
    .addHelpText(
      'after',
      `
Sends real deliveries in the platform's dialect and reads only the status codes and timing,
as the platform would. Checks, in order (required unless marked):
  accepts_valid              a correctly signed delivery gets 2xx (Ithbat: 200)
  rejects_wrong_secret       signed with another secret: refused
  rejects_tampered_body      the body changed after signing: refused (skipped for unsigned schemes)
  rejects_missing_signature  no signature header: refused
  rejects_stale_timestamp    signed outside the tolerance: refused (skipped without a timestamp)
  raw_body                   the same JSON in other bytes (whitespace, key order, \\u escapes): 2xx
  duplicate_ack              the same delivery twice: 2xx both times
  unknown_type_ack  (warn)   an event type the receiver cannot know: 2xx
  handshake                  WebSub (asgardeo) or the verification GET (okta), where there is one
  answers_in_time            20 deliveries, 5 at a time: p95 under the platform's timeout
  large_body        (warn)   a 1 MB delivery: 2xx
  https             (warn)   the URL is https, or loopback

At most 31 requests plus the handshake's, one at a time except answers_in_time. Redirects
are never followed.

With --type, the receiver of a synchronous hook (Okta inline hook, Supabase Auth Hook,
Firebase blocking function, WorkOS Action) is graded as its platform calls it:
  answers_contract           a real call gets an answer the platform can use
  refuses_unauthenticated    a call without the platform's credential: refused
  refuses_wrong_secret       a call signed with another secret: refused
  refuses_stale              a call signed 10 minutes ago: refused (where calls are timed)
  handles_retry              the platform's retry of a call: answered by the contract too
  reports_errors    (warn)   a failure reported in the shape the platform reads
  answers_in_time            20 calls, 5 at a time: p95 within the platform's deadline
  https             (warn)   the URL is https, or loopback

Exit codes: 0 every required check passed, 1 one failed (or, with --strict, warned),
2 usage error, 3 the receiver cannot be reached at all.

Examples:
  $ hooks audit localhost:3000/webhooks --provider ithbat --secret "$ITHBAT_SECRET"
  $ hooks audit https://app.example.com/hooks --provider clerk --secret "$CLERK_WEBHOOK_SECRET" --strict
  $ hooks audit --subscription sub_01J… --json          # the API runs it with the secret it holds
  $ hooks audit 3000/webhooks --provider standard --secret "$SECRET" --only raw_body,duplicate_ack
  $ hooks audit 3000/auth/token --provider supabase --type customize-access-token --secret "$SUPABASE_HOOK_SECRET"`,
    )
    .action(async (url: URL | undefined, flags: AuditFlags) => {
      const [{ auditReceiver }, { printAudit }] = await Promise.all([import('../../core/audit/audit-receiver.js'), import('../render/audit.js')]);
      const outcome = await auditReceiver({
        url,
        provider: flags.provider,
        secret: flags.secret,
        subscription: flags.subscription,
        type: flags.type,
        only: flags.only,
        strict: Boolean(flags.strict),
        timeoutMs: flags.timeout,
        connection: connectionOf(flags),
        providerFile: flags.providerFile,
      });
      printAudit(outcome.report, Boolean(flags.strict), Boolean(flags.json));
      finish(outcome);
    });
}
