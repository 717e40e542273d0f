import { Agent } from 'undici';
import { ApiClient } from '../api/client.js';
import { resolveConnection, type ConnectionFlags } from '../api/connection.js';
import { ExitCode, UsageError } from '../errors.js';
import type { SyncTarget } from '../providers/sync/registry.js';
import { runSyncHook, type SyncOutcome } from '../sync/run.js';
import { applySet } from './payload.js';

export interface SyncTriggerRequest {
  to?: URL;
  secret?: string;
  /** The whole payload, replacing the sample (for Firebase: the token's claims). */
  data?: unknown;
  /** `--set path=value` on the payload, paths from its root. */
  set: string[];
  edit?: (payload: unknown) => Promise<unknown>;
  count?: number;
  batch?: number;
  /** Without `to`: the hooks server whose registration of this hook runs the flow. */
  connection: ConnectionFlags;
}

/**
 * `hooks trigger TYPE --to URL` for a synchronous hook: one call, signed as
 * the platform signs it, its answer awaited within the platform's deadline
 * and retried by its rule, then read as the platform reads it. Exit 1 when
 * the answer breaks the contract (the violation is named), 3 when nothing
 * answers at all.
 */
export async function triggerSyncHook(req: SyncTriggerRequest, target: SyncTarget): Promise<{ outcome: SyncOutcome; exitCode: ExitCode }> {
  const { platform, contract } = target;
  if (req.count !== undefined || (req.batch ?? 1) > 1) throw new UsageError('--count and --batch are for event webhooks', `a synchronous hook is one call; hooks audit URL --provider ${platform.id} --type ${contract.type} measures its timing`);
  const changed = req.data !== undefined || req.set.length > 0 || Boolean(req.edit);
  if (!req.to) return viaEmulator(req, target, changed ? await payloadOf(req, target) : undefined);
  if (platform.auth.needsSecret) {
    if (!req.secret) throw new UsageError(`--to needs --secret (or HOOKS_SECRET) for ${platform.name}`, `${platform.auth.secretFormat}; the receiver checks the call with it`);
    const problem = platform.auth.validateSecret(req.secret);
    if (problem) throw new UsageError(`--secret cannot authenticate ${platform.name} calls: ${problem}`, `use ${platform.auth.secretFormat}`, 'invalid_secret');
  }
  const payload = await payloadOf(req, target);
  const http = new Agent({ connections: 1, keepAliveTimeout: 2000 });
  try {
    const { outcome } = await runSyncHook(http, target, { url: req.to, secret: req.secret, payload });
    return { outcome, exitCode: exitOf(outcome) };
  } finally {
    await http.close();
  }
}

/** The sample, or --data, with --set and --edit applied. */
async function payloadOf(req: SyncTriggerRequest, target: SyncTarget): Promise<unknown> {
  // `data.` is a real key of Okta's payload: --set paths start at the payload's root.
  let payload = req.data !== undefined ? req.data : target.contract.request.sample(new Date());
  for (const assignment of req.set) payload = applySet(payload, `data.${assignment}`);
  if (req.edit) payload = await req.edit(payload);
  return payload;
}

function exitOf(outcome: SyncOutcome): ExitCode {
  const answered = outcome.attempts.some((a) => a.status !== null || a.late);
  return !answered ? ExitCode.unreachable : outcome.verdict.violations.length > 0 ? ExitCode.failed : ExitCode.ok;
}

interface RunView extends Omit<SyncOutcome, 'verdict'> {
  proceeds: boolean;
  path: SyncOutcome['verdict']['path'];
  summary: string;
  reason: string | null;
  result: Record<string, unknown>;
  violations: SyncOutcome['verdict']['violations'];
}

/** No --to: the newest registration of this hook in hooks server runs the flow (POST /api/v1/hooks/{id}/run). */
async function viaEmulator(req: SyncTriggerRequest, target: SyncTarget, payload: unknown): Promise<{ outcome: SyncOutcome; exitCode: ExitCode }> {
  const { platform, contract } = target;
  const client = new ApiClient(resolveConnection(req.connection));
  try {
    const hooks = await client.request<{ data: Array<{ id: string; type: string }> }>('GET', '/hooks');
    const hook = hooks.data.find((h) => h.type === contract.type);
    if (!hook) {
      throw new UsageError(
        `no ${contract.type} hook is registered in hooks server`,
        `register one (POST /api/v1/hooks {"type": "${contract.type}", "url": …}, or the console's Synchronous hooks), or call a receiver directly: hooks trigger ${contract.type} --provider ${platform.id} --to URL${platform.auth.needsSecret ? ' --secret …' : ''}`,
        'no_hook',
      );
    }
    // The call, its retries and their deadline: 30 s covers every platform's.
    const run = await client.request<RunView>('POST', `/hooks/${hook.id}/run`, payload === undefined ? {} : { payload }, 30_000);
    const { proceeds, path, summary, reason, result, violations, ...rest } = run;
    const outcome: SyncOutcome = { provider: rest.provider, type: rest.type, name: rest.name, url: rest.url, attempts: rest.attempts, contract: rest.contract, verdict: { proceeds, path, summary, reason, result, violations } };
    return { outcome, exitCode: exitOf(outcome) };
  } finally {
    await client.close();
  }
}
