import type { Dispatcher } from 'undici';
import { ConnectError, UsageError } from '../errors.js';
import { send, type SendResult } from '../http/send.js';
import { deliveryHeaders } from '../providers/outgoing.js';
import type { ProviderProfile } from '../providers/profile.js';
import { assertUsableSecret } from '../providers/secret-rule.js';
import { didYouMean } from '../suggest.js';
import { CHECKS, type AuditContext } from './checks.js';
import { CHECK_IDS, type AuditReport, type CheckId, type CheckResult } from './report.js';

export interface AuditRequest {
  url: URL;
  profile: ProviderProfile;
  secret: string;
  /** Only these checks; all when absent. */
  only?: readonly string[];
  /** How long one request may wait for its answer. */
  timeoutMs: number;
  http: Dispatcher;
}

/**
 * Grades a receiver the way its platform would see it: real deliveries in
 * the provider's dialect, judged only by status codes and timing. Checks run
 * one after the other (one request in flight), except `answers_in_time`
 * (5 at a time); redirects are never followed. A receiver that answers
 * nothing at all is a ConnectError (exit 3), not a list of failures.
 */
export async function runAudit(req: AuditRequest): Promise<AuditReport> {
  assertUsableSecret(req.profile, req.secret);
  const selected = selectChecks(req.only);
  let requests = 0;
  let answers = 0;
  let lastError: string | null = null;
  const count = (r: SendResult) => {
    requests++;
    if (r.status !== null || r.timedOut) answers++;
    else lastError = r.error;
    return r;
  };
  const { profile } = req;
  const ctx: AuditContext = {
    profile,
    url: req.url,
    post: async (body, headers) =>
      count(await send(req.http, { url: req.url, method: 'POST', headers, body, timeoutMs: req.timeoutMs, keep: 'excerpt' })),
    sign: (body, opts = {}) =>
      deliveryHeaders(profile, body, opts.secret ?? req.secret, { id: opts.id ?? profile.catalog.newId(), type: opts.type ?? profile.catalog.representative, attempt: 1, timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000) }),
    event: (opts = {}) => profile.catalog.build(opts.type ?? profile.catalog.representative, { as: opts.as, data: opts.data }),
    otherSecret: () => {
      let other = profile.newSecret();
      while (other === req.secret) other = profile.newSecret();
      return other;
    },
    handshake: async (h) => {
      const credentials = profile.scheme.sign(Buffer.alloc(0), req.secret, { id: profile.catalog.newId(), timestamp: Math.floor(Date.now() / 1000) });
      const v = await h.verify({ http: req.http, callback: req.url.href, mode: 'subscribe', events: ['*'], types: profile.catalog.types, timeoutMs: req.timeoutMs, credentials });
      requests += v.topics.length;
      answers += v.topics.filter((t) => t.status_code !== null).length;
      return v;
    },
    many: async (n, concurrency, one) => {
      const out: SendResult[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < n) {
          next++;
          out.push(await one());
        }
      }));
      return out;
    },
  };

  const checks: CheckResult[] = [];
  for (const check of selected) {
    const outcome = await check.run(ctx);
    if (requests > 0 && answers === 0) {
      throw new ConnectError(`cannot reach ${req.url.href}: ${lastError ?? 'no answer'}`, 'start the receiver, or check the URL (host, port and path)', 'receiver_unreachable');
    }
    const required = check.required(profile);
    const status = outcome.status === 'fail' && !required ? 'warn' : outcome.status;
    checks.push({
      id: check.id,
      status,
      required,
      rule: check.rule,
      detail: outcome.detail,
      hint: status === 'pass' || status === 'skip' ? null : (outcome.hint ?? check.hint(profile)),
      status_code: outcome.result?.status ?? null,
      latency_ms: outcome.result ? Math.round(outcome.result.durationMs * 10) / 10 : null,
    });
  }
  const tally = (s: string) => checks.filter((c) => c.status === s).length;
  return { url: req.url.href, provider: profile.id, checks, passed: tally('pass'), failed: tally('fail'), warned: tally('warn'), skipped: tally('skip'), requests };
}

/** The checks to run, in the catalog's order; an unknown id is a usage error with a suggestion. */
function selectChecks(only: readonly string[] | undefined) {
  if (!only || only.length === 0) return CHECKS;
  for (const id of only) {
    if (!(CHECK_IDS as readonly string[]).includes(id)) throw new UsageError(`--only: unknown check "${id}"${didYouMean(id, CHECK_IDS)}`, `checks: ${CHECK_IDS.join(', ')}`, 'unknown_check');
  }
  return CHECKS.filter((c) => only.includes(c.id as CheckId));
}
