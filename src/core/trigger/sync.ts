import { Agent } from 'undici';
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
  if (!req.to) {
    throw new UsageError(`${contract.type} is a synchronous hook: ${platform.name} calls it and waits for the answer`, `call your receiver with --to, e.g. hooks trigger ${contract.type} --provider ${platform.id} --to localhost:3000/hooks${platform.auth.needsSecret ? ' --secret …' : ''}; hooks server runs the whole flow (see docs/synchronous-hooks.md)`);
  }
  if (req.count !== undefined || (req.batch ?? 1) > 1) throw new UsageError('--count and --batch are for event webhooks', `a synchronous hook is one call; hooks audit ${req.to.href} --provider ${platform.id} --type ${contract.type} measures its timing`);
  if (platform.auth.needsSecret) {
    if (!req.secret) throw new UsageError(`--to needs --secret (or HOOKS_SECRET) for ${platform.name}`, `${platform.auth.secretFormat}; the receiver checks the call with it`);
    const problem = platform.auth.validateSecret(req.secret);
    if (problem) throw new UsageError(`--secret cannot authenticate ${platform.name} calls: ${problem}`, `use ${platform.auth.secretFormat}`, 'invalid_secret');
  }
  // `data.` is a real key of Okta's payload: --set paths start at the payload's root.
  let payload = req.data !== undefined ? req.data : contract.request.sample(new Date());
  for (const assignment of req.set) payload = applySet(payload, `data.${assignment}`);
  if (req.edit) payload = await req.edit(payload);
  const http = new Agent({ connections: 1, keepAliveTimeout: 2000 });
  try {
    const { outcome } = await runSyncHook(http, target, { url: req.to, secret: req.secret, payload });
    const answered = outcome.attempts.some((a) => a.status !== null || a.late);
    const exitCode = !answered ? ExitCode.unreachable : outcome.verdict.violations.length > 0 ? ExitCode.failed : ExitCode.ok;
    return { outcome, exitCode };
  } finally {
    await http.close();
  }
}
