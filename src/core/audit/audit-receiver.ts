import { Agent } from 'undici';
import { ApiClient, ApiRequestError } from '../api/client.js';
import { resolveConnection, type ConnectionFlags } from '../api/connection.js';
import { ConnectError, UsageError, type ExitCode } from '../errors.js';
import { allProviders, getProvider, PROVIDER_IDS } from '../providers/registry.js';
import { runAudit } from './audit.js';
import { auditExitCode, type AuditReport } from './report.js';
import { isSyncOnly, requireSyncHook } from '../providers/sync/registry.js';
import { runSyncAudit } from '../sync/audit.js';

export interface AuditReceiverRequest {
  url?: URL;
  provider?: string;
  secret?: string;
  /** Audit a subscription's receiver: URL, provider and secret come from the API, which runs the checks. */
  subscription?: string;
  /** A synchronous hook type: grade the receiver of that hook (core/sync/audit.ts). */
  type?: string;
  only?: string[];
  strict: boolean;
  timeoutMs: number;
  connection: ConnectionFlags;
  providerFile?: string;
}

/**
 * `hooks audit`: the checks run here against a URL with a given secret, or
 * on the API for one of its subscriptions (the secret never leaves it).
 */
export async function auditReceiver(req: AuditReceiverRequest): Promise<{ report: AuditReport<string>; exitCode: ExitCode }> {
  const report = req.type ? await syncHook(req, req.type) : req.subscription ? await throughApi(req, req.subscription) : await direct(req);
  return { report, exitCode: auditExitCode(report, req.strict) };
}

async function direct(req: AuditReceiverRequest): Promise<AuditReport> {
  if (!req.url) throw new UsageError('which receiver?', 'hooks audit URL --provider P --secret S, or hooks audit --subscription ID');
  if (!req.provider) throw new UsageError('--provider is needed: the audit speaks one platform\'s dialect', `one of: ${PROVIDER_IDS.join(', ')}`);
  if (isSyncOnly(req.provider)) throw new UsageError(`${req.provider} calls synchronous hooks only: which one?`, `add --type (hooks trigger --list --provider ${req.provider} shows them)`);
  if (!req.secret) throw new UsageError('--secret is needed (or HOOKS_SECRET): the receiver\'s signing secret', 'or audit a subscription of the API with --subscription ID, whose secret the API holds');
  const custom = req.providerFile ? allProviders(req.providerFile).slice(0, 1) : [];
  const profile = getProvider(req.provider, custom);
  // Five connections: the one check that sends in parallel (answers_in_time) sends five at a time.
  const http = new Agent({ connections: 5, keepAliveTimeout: 2000 });
  try {
    return await runAudit({ url: req.url, profile, secret: req.secret, only: req.only, timeoutMs: req.timeoutMs, http });
  } finally {
    await http.close();
  }
}

async function syncHook(req: AuditReceiverRequest, type: string): Promise<AuditReport<string>> {
  if (req.subscription) throw new UsageError('--type audits a synchronous hook at a URL', 'drop --subscription: hooks audit URL --provider P --type TYPE --secret S');
  if (!req.url) throw new UsageError('which receiver?', `hooks audit URL --type ${type} --secret S`);
  const target = requireSyncHook(type, req.provider);
  const http = new Agent({ connections: 5, keepAliveTimeout: 2000 });
  try {
    return await runSyncAudit({ url: req.url, target, secret: req.secret, only: req.only, http });
  } finally {
    await http.close();
  }
}

async function throughApi(req: AuditReceiverRequest, id: string): Promise<AuditReport> {
  if (req.url || req.secret || req.provider) {
    throw new UsageError('--subscription takes the URL, provider and secret from the API', 'drop the URL, --provider and --secret, or audit a URL without --subscription');
  }
  const client = new ApiClient(resolveConnection(req.connection));
  try {
    // About fifteen rounds of requests, each at most --timeout.
    return await client.auditSubscription(id, { ...(req.only ? { only: req.only } : {}), timeout_ms: req.timeoutMs }, 16 * req.timeoutMs);
  } catch (err) {
    if (err instanceof ApiRequestError && err.status === 502) throw new ConnectError(err.message, 'start the receiver, or point the subscription at it (hooks subs update ID --url …)', 'receiver_unreachable');
    if (err instanceof ApiRequestError && err.code === 'unknown_check') throw new UsageError(`--only: ${err.message}`, 'hooks audit --help lists the checks', 'unknown_check');
    throw err;
  } finally {
    await client.close();
  }
}
