import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { send } from '../http/send.js';
import type { HookAttempt, SyncHookContract, SyncPlatform } from './contract.js';

export interface HookCall {
  /** The request's bytes (of the first attempt; later ones carry the same payload). */
  body: Buffer;
  attempts: HookAttempt[];
}

/**
 * Calls a receiver as the platform calls its hook: the request signed as the
 * platform signs it (afresh for each attempt), each answer awaited within
 * the platform's deadline, and retried by its rule. Nothing is thrown: a
 * receiver that does not answer is an attempt with no status.
 */
export async function callHook(
  http: Dispatcher,
  platform: SyncPlatform,
  contract: SyncHookContract,
  opts: { url: URL; secret: string | undefined; payload: unknown; now?: () => Date },
): Promise<HookCall> {
  const now = opts.now ?? (() => new Date());
  const started = performance.now();
  const attempts: HookAttempt[] = [];
  let body: Buffer | null = null;
  for (let n = 1; n <= contract.retry.attempts; n++) {
    const left = contract.deadline.per === 'call' ? contract.deadline.ms - (performance.now() - started) : contract.deadline.ms;
    if (left <= 0) break;
    const signed = platform.auth.sign(opts.payload, opts.secret, { id: randomUUID(), now: now(), url: opts.url });
    body ??= signed.body;
    const headers = { ...(platform.userAgent ? { 'user-agent': platform.userAgent } : {}), ...signed.headers };
    const r = await send(http, { url: opts.url, headers, body: signed.body, timeoutMs: Math.ceil(left), keep: 'whole' });
    const attempt: HookAttempt = { attempt: n, sent: headers, status: r.status, headers: r.headers, body: r.body, durationMs: r.durationMs, error: r.timedOut ? `no answer within ${Math.round(left)} ms (the platform's deadline)` : r.error, late: r.timedOut };
    attempts.push(attempt);
    if (n === contract.retry.attempts) break;
    const delay = contract.retry.next(attempt);
    if (delay === null) break;
    // A delay that outlasts the call's deadline ends the call, as the platform's context would.
    if (contract.deadline.per === 'call' && performance.now() - started + delay >= contract.deadline.ms) break;
    if (delay > 0) await sleep(delay);
  }
  return { body: body ?? Buffer.alloc(0), attempts };
}
