import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { AuditReport } from '../audit/report.js';
import { ConnectError, UsageError } from '../errors.js';
import { send } from '../http/send.js';
import type { SyncTarget } from '../providers/sync/registry.js';
import { didYouMean } from '../suggest.js';
import { callHook } from './call.js';
import type { Forgery, HookAttempt, HookVerdict } from './contract.js';

export const SYNC_CHECK_IDS = ['answers_contract', 'refuses_unauthenticated', 'refuses_wrong_secret', 'refuses_stale', 'handles_retry', 'reports_errors', 'answers_in_time', 'https'] as const;
export type SyncCheckId = (typeof SYNC_CHECK_IDS)[number];

/** The audit report, of a hook type's checks. */
export interface SyncAuditReport extends AuditReport<SyncCheckId> {
  type: string;
}

interface Ctx {
  target: SyncTarget;
  url: URL;
  secret: string | undefined;
  http: Dispatcher;
  /** Calls as the platform calls (signed, deadline, retries) with a fresh sample, or `payload`. */
  call(payload?: unknown): Promise<{ attempts: HookAttempt[]; verdict: HookVerdict; payload: unknown }>;
  /** One request the platform never sends, within the deadline. */
  forged(f: Forgery): Promise<HookAttempt>;
}

interface Outcome {
  status: 'pass' | 'fail' | 'skip';
  detail: string;
  hint?: string;
  attempt?: HookAttempt | null;
}

interface SyncCheck {
  id: SyncCheckId;
  rule: string;
  required: boolean;
  hint(ctx: Ctx): string;
  run(ctx: Ctx): Promise<Outcome>;
}

const ok2xx = (a: HookAttempt) => a.status !== null && a.status >= 200 && a.status < 300;
const answered = (a: HookAttempt) => (a.status !== null ? String(a.status) : a.late ? 'no answer in time' : `no answer (${a.error})`);
const violations = (v: HookVerdict) => v.violations.map((x) => `[${x.code}] ${x.message}`).join('; ');
const platformOf = (ctx: Ctx) => ctx.target.platform.name;

function mustRefuse(kind: Forgery['kind']) {
  return async (ctx: Ctx): Promise<Outcome> => {
    const payload = ctx.target.contract.request.sample(new Date());
    const forgery = ctx.target.platform.auth.forgeries(payload, ctx.secret, { id: randomUUID(), now: new Date(), url: ctx.url }).find((f) => f.kind === kind);
    if (!forgery) return { status: 'skip', detail: `${platformOf(ctx)} calls carry no ${kind === 'stale' ? 'signed time' : 'credential'} to get wrong this way` };
    const a = await ctx.forged(forgery);
    if (a.status === null) return { status: 'fail', detail: `${forgery.what}: ${answered(a)}`, attempt: a };
    return ok2xx(a) ? { status: 'fail', detail: `answered ${a.status} to ${forgery.what}: it acts on calls that are not from ${platformOf(ctx)}`, attempt: a } : { status: 'pass', detail: `refused ${forgery.what} with ${a.status}`, attempt: a };
  };
}

/** Error answers each platform cannot read, by the violation its judge names. */
const UNREADABLE_ERRORS = new Set(['error_under_ignored_status', 'unexpected_status', 'error_not_https_error', 'status_not_200', 'malformed_answer', 'not_json_content_type', 'unsigned_answer', 'bad_signature']);

const CHECKS: readonly SyncCheck[] = [
  {
    id: 'answers_contract',
    rule: "a call the platform makes gets an answer it can use: the hook's answer schema, status and content type",
    required: true,
    hint: () => 'answer as the contract says (docs/synchronous-hooks.md, or hooks trigger TYPE --to URL shows what the platform makes of each answer)',
    async run(ctx) {
      const r = await ctx.call();
      const last = r.attempts.at(-1) ?? null;
      if (r.verdict.violations.length === 0) return { status: 'pass', detail: r.verdict.summary, attempt: last };
      return { status: 'fail', detail: violations(r.verdict), hint: `${ctx.target.platform.name} then: ${r.verdict.summary}`, attempt: last };
    },
  },
  { id: 'refuses_unauthenticated', rule: 'a call without the platform\'s credential is refused', required: true, hint: (ctx) => `check ${ctx.target.platform.auth.description} on every call, and refuse (401) what does not carry it`, run: mustRefuse('unauthenticated') },
  { id: 'refuses_wrong_secret', rule: 'a call signed or authenticated with another secret is refused', required: true, hint: (ctx) => `compare the credential with your secret (${ctx.target.platform.auth.secretFormat}) in constant time`, run: mustRefuse('wrong_secret') },
  { id: 'refuses_stale', rule: 'a call signed long ago is refused, so a captured call cannot be replayed', required: true, hint: () => "check the signed time (the platform's own library does)", run: mustRefuse('stale') },
  {
    id: 'handles_retry',
    rule: "the platform's retry of a call (the same payload again) is answered by the contract too",
    required: true,
    hint: () => 'answer a repeated call as the first one: do not fail it as a duplicate',
    async run(ctx) {
      if (ctx.target.contract.retry.attempts < 2) return { status: 'skip', detail: `${ctx.target.platform.name} does not retry ${ctx.target.contract.type}` };
      const first = await ctx.call();
      const again = await ctx.call(first.payload);
      const last = again.attempts.at(-1) ?? null;
      if (again.verdict.violations.length === 0) return { status: 'pass', detail: `the same payload again: ${again.verdict.summary}`, attempt: last };
      return { status: 'fail', detail: `the same payload again: ${violations(again.verdict)}`, attempt: last };
    },
  },
  {
    id: 'reports_errors',
    rule: 'an error is reported the way the platform reads errors (an error object it reads, not a status it ignores)',
    required: false,
    hint: () => 'report a failure in the answer shape the platform reads (docs/synchronous-hooks.md: Supabase reads {"error"} only on 200/202, Okta an error object on 200, Firebase an HttpsError body, WorkOS a signed Deny)',
    async run(ctx) {
      // A correctly signed call the receiver cannot process: the payload is {}.
      const r = await ctx.call({});
      const last = r.attempts.at(-1) ?? null;
      const unreadable = r.verdict.violations.filter((v) => UNREADABLE_ERRORS.has(v.code));
      if (unreadable.length > 0) return { status: 'fail', detail: `to a signed call with an empty payload: ${unreadable.map((v) => v.message).join('; ')}`, attempt: last };
      return { status: 'pass', detail: `to a signed call with an empty payload: ${r.verdict.summary}`, attempt: last };
    },
  },
  {
    id: 'answers_in_time',
    rule: "answer within the platform's deadline (p95 of 20 calls, 5 at a time)",
    required: true,
    hint: (ctx) => `answer within ${ctx.target.contract.deadline.ms / 1000} s; ${ctx.target.platform.name} ${ctx.target.contract.failure.what} otherwise`,
    async run(ctx) {
      const times: number[] = [];
      let late = 0;
      let last: HookAttempt | null = null;
      const limit = ctx.target.contract.deadline.ms;
      let next = 0;
      await Promise.all(
        Array.from({ length: 5 }, async () => {
          while (next < 20) {
            next++;
            const first = (await ctx.call()).attempts[0];
            if (!first) continue;
            last = first;
            if (first.late) late++;
            times.push(first.late ? limit : first.durationMs);
          }
        }),
      );
      times.sort((a, b) => a - b);
      const p95 = times[Math.ceil(0.95 * times.length) - 1] ?? limit;
      const detail = `p95 ${Math.round(p95)} ms over 20 calls, 5 at a time (${ctx.target.platform.name} waits ${limit / 1000} s)${late ? `; ${late} answered too late` : ''}`;
      return { status: p95 < limit && late === 0 ? 'pass' : 'fail', detail, attempt: last ? { ...(last as HookAttempt), durationMs: p95 } : null };
    },
  },
  {
    id: 'https',
    rule: 'platforms call hooks over HTTPS',
    required: false,
    hint: () => 'serve the hook over HTTPS (hooks listen gives a tunnel while you develop)',
    async run(ctx) {
      if (ctx.url.protocol === 'https:') return { status: 'pass', detail: 'the URL is https' };
      if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(ctx.url.hostname)) return { status: 'pass', detail: 'http on loopback: fine while developing; the platform needs an https URL' };
      return { status: 'fail', detail: `the URL is http on ${ctx.url.hostname}: the platform will refuse it` };
    },
  },
];

/**
 * `hooks audit URL --type TYPE`: grades a synchronous hook's receiver as its
 * platform would see it. Checks run one after the other, except
 * answers_in_time (5 calls at a time). A receiver that never answers at all
 * is a ConnectError (exit 3).
 */
export async function runSyncAudit(req: { url: URL; target: SyncTarget; secret: string | undefined; only?: readonly string[]; http: Dispatcher }): Promise<SyncAuditReport> {
  const { platform, contract } = req.target;
  if (platform.auth.needsSecret) {
    if (!req.secret) throw new UsageError(`--secret is needed (or HOOKS_SECRET): ${platform.auth.secretFormat}`, `the audit calls the hook as ${platform.name} does`);
    const problem = platform.auth.validateSecret(req.secret);
    if (problem) throw new UsageError(`--secret cannot authenticate ${platform.name} calls: ${problem}`, `use ${platform.auth.secretFormat}`, 'invalid_secret');
  }
  for (const id of req.only ?? []) {
    if (!(SYNC_CHECK_IDS as readonly string[]).includes(id)) throw new UsageError(`--only: unknown check "${id}"${didYouMean(id, SYNC_CHECK_IDS)}`, `checks of a synchronous hook: ${SYNC_CHECK_IDS.join(', ')}`, 'unknown_check');
  }
  let requests = 0;
  let answers = 0;
  let lastError: string | null = null;
  const count = (attempts: HookAttempt[]) => {
    for (const a of attempts) {
      requests++;
      if (a.status !== null || a.late) answers++;
      else lastError = a.error;
    }
  };
  const ctx: Ctx = {
    target: req.target,
    url: req.url,
    secret: req.secret,
    http: req.http,
    async call(given) {
      const payload = given ?? contract.request.sample(new Date());
      const c = await callHook(req.http, platform, contract, { url: req.url, secret: req.secret, payload });
      count(c.attempts);
      return { attempts: c.attempts, verdict: contract.judge({ payload, attempts: c.attempts, secret: req.secret }), payload };
    },
    async forged(f) {
      const r = await send(req.http, { url: req.url, headers: { ...(platform.userAgent ? { 'user-agent': platform.userAgent } : {}), ...f.headers }, body: f.body, timeoutMs: contract.deadline.ms, keep: 'excerpt' });
      const a: HookAttempt = { attempt: 1, sent: f.headers, status: r.status, headers: r.headers, body: r.body, durationMs: r.durationMs, error: r.error, late: r.timedOut };
      count([a]);
      return a;
    },
  };
  const checks: SyncAuditReport['checks'] = [];
  for (const check of CHECKS.filter((c) => !req.only?.length || req.only.includes(c.id))) {
    const outcome = await check.run(ctx);
    if (requests > 0 && answers === 0) throw new ConnectError(`cannot reach ${req.url.href}: ${lastError ?? 'no answer'}`, 'start the receiver, or check the URL (host, port and path)', 'receiver_unreachable');
    const status = outcome.status === 'fail' && !check.required ? 'warn' : outcome.status;
    const a = outcome.attempt ?? null;
    checks.push({
      id: check.id,
      status,
      required: check.required,
      rule: check.rule,
      detail: outcome.detail,
      hint: status === 'pass' || status === 'skip' ? null : (outcome.hint ?? check.hint(ctx)),
      status_code: a?.status ?? null,
      latency_ms: a ? Math.round(a.durationMs * 10) / 10 : null,
    });
  }
  const tally = (s: string) => checks.filter((c) => c.status === s).length;
  return { url: req.url.href, provider: platform.id, type: contract.type, checks, passed: tally('pass'), failed: tally('fail'), warned: tally('warn'), skipped: tally('skip'), requests };
}
