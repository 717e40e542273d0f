import type { Dispatcher } from 'undici';
import type { SyncTarget } from '../providers/sync/registry.js';
import { callHook, type HookCall } from './call.js';
import type { HookAttempt, HookVerdict } from './contract.js';

/** A hook call and the platform's reading of it, as trigger, the audit and the emulator report it. */
export interface SyncOutcome {
  provider: string;
  type: string;
  name: string;
  url: string;
  attempts: AttemptView[];
  verdict: HookVerdict;
  contract: ContractView;
}

export interface AttemptView {
  attempt: number;
  status: number | null;
  latency_ms: number;
  error: string | null;
  late: boolean;
  content_type: string | null;
  /** The first 2 KB of the answer. */
  response_excerpt: string;
}

export interface ContractView {
  deadline_ms: number;
  deadline_per: 'attempt' | 'call';
  retry: string;
  fails: 'open' | 'closed';
  on_failure: string;
  configurable: string | null;
  auth: string;
}

export function contractView(target: SyncTarget): ContractView {
  const { contract, platform } = target;
  return {
    deadline_ms: contract.deadline.ms,
    deadline_per: contract.deadline.per,
    retry: contract.retry.description,
    fails: contract.failure.mode,
    on_failure: contract.failure.what,
    configurable: contract.failure.configurable ?? null,
    auth: platform.auth.description,
  };
}

export function attemptView(a: HookAttempt): AttemptView {
  const type = a.headers['content-type'];
  return {
    attempt: a.attempt,
    status: a.status,
    latency_ms: Math.round(a.durationMs * 10) / 10,
    error: a.error,
    late: a.late,
    content_type: Array.isArray(type) ? type.join(', ') : (type ?? null),
    response_excerpt: a.body.subarray(0, 2048).toString('utf8'),
  };
}

/** Calls the receiver as the platform would and reads its answer as the platform would. */
export async function runSyncHook(http: Dispatcher, target: SyncTarget, opts: { url: URL; secret: string | undefined; payload: unknown }): Promise<{ call: HookCall; verdict: HookVerdict; outcome: SyncOutcome }> {
  const call = await callHook(http, target.platform, target.contract, opts);
  const verdict = target.contract.judge({ payload: opts.payload, attempts: call.attempts, secret: opts.secret });
  const outcome: SyncOutcome = {
    provider: target.platform.id,
    type: target.contract.type,
    name: target.contract.name,
    url: opts.url.href,
    attempts: call.attempts.map(attemptView),
    verdict,
    contract: contractView(target),
  };
  return { call, verdict, outcome };
}
