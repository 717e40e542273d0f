import { Pool } from 'undici';
import { ApiClient, ApiRequestError } from '../api/client.js';
import { resolveConnection, type ConnectionFlags } from '../api/connection.js';
import type { ApiEvent, Subscription } from '../api/types.js';
import { ExitCode, UsageError } from '../errors.js';
import type { ProviderProfile } from '../providers/profile.js';
import { DEFAULT_PROVIDER, getProvider, PROVIDERS } from '../providers/registry.js';
import { assertUsableSecret } from '../providers/secret-rule.js';
import { isSyncOnly, syncHookFor } from '../providers/sync/registry.js';
import type { SyncOutcome } from '../sync/run.js';
import { didYouMean } from '../suggest.js';
import { sendDirect, type DirectResult } from './direct.js';
import { runLoad, type LoadSummary, type Outcome } from './load.js';
import { applySet, parseDataArg } from './payload.js';
import { triggerSyncHook } from './sync.js';

export interface TriggerRequest {
  type: string | undefined;
  provider?: string;
  /** `--data` as given: @file.json, - (then `stdin` holds what was piped) or inline JSON. */
  data?: string;
  stdin?: string;
  /** `--set path=value`, applied in order to the data. */
  set: string[];
  /** Lets a person change the data before it is sent (the CLI opens $EDITOR). */
  edit?: (data: unknown) => Promise<unknown>;
  /** Skip the API: sign here and POST there. */
  to?: URL;
  secret?: string;
  /** How long the receiver of --to may take. */
  timeoutMs: number;
  connection: ConnectionFlags;
  /** API mode: how long to wait for each first attempt. */
  waitMs: number;
  count?: number;
  /** Events in each delivery, for platforms that batch (Auth0 log streams); with `to` only. */
  batch?: number;
  concurrency?: number;
  rate?: number;
  onProgress?: (done: number, total: number) => void;
}

export type TriggerResult =
  /** `existing`: when no subscription matched, the subscriptions there are, so the user sees why. */
  | { mode: 'api'; event: ApiEvent; existing: Subscription[] | null; exitCode: ExitCode }
  | { mode: 'direct'; result: DirectResult; url: URL; provider: string; type: string; exitCode: ExitCode }
  | { mode: 'load'; summary: LoadSummary; exitCode: ExitCode }
  /** A synchronous hook: one call and what the platform does with its answer. */
  | { mode: 'sync'; outcome: SyncOutcome; exitCode: ExitCode };

export interface EventTypeRow {
  provider: string;
  type: string;
  category: string;
  description: string;
}

/** `trigger --list`: the catalog of one provider, or of all. */
export function eventTypes(provider?: string): EventTypeRow[] {
  if (provider !== undefined && isSyncOnly(provider)) return [];
  const profiles = provider ? [getProvider(provider)] : PROVIDERS;
  return profiles.flatMap((p) => p.catalog.types.map((t) => ({ provider: p.id, type: t.type, category: t.category, description: t.description })));
}

/**
 * A synthetic event, realistic and correctly signed: through the API
 * (`POST /events`, which signs and delivers it) or straight to a receiver
 * (`to`), once or `count` times. Exit 1 when a first attempt fails by the
 * provider's success rule, 3 when a receiver does not answer.
 */
export async function trigger(req: TriggerRequest): Promise<TriggerResult> {
  if (!req.type) throw new UsageError('which event type?', 'e.g. hooks trigger user.created (hooks trigger --list shows them)');
  const hook = syncHookFor(req.type, req.provider);
  if (hook) {
    const data = req.data === undefined ? undefined : parseDataArg(req.data, req.stdin);
    return { mode: 'sync', ...(await triggerSyncHook({ to: req.to, secret: req.secret, data, set: req.set, edit: req.edit, count: req.count, batch: req.batch, connection: req.connection }, hook)) };
  }
  if (req.to && !req.secret) throw new UsageError('--to needs --secret (or HOOKS_SECRET)', 'the receiver checks the signature with the same secret');
  if ((req.rate !== undefined || req.concurrency !== undefined) && req.count === undefined) throw new UsageError('--rate and --concurrency go with --count', 'e.g. --count 1000 --concurrency 20');
  const type = req.type;
  const client = req.to ? null : new ApiClient(resolveConnection(req.connection));
  try {
    const provider = req.provider ?? (req.to ? DEFAULT_PROVIDER : undefined);
    let data = req.data === undefined ? undefined : parseDataArg(req.data, req.stdin);
    // --set and --edit change a fixture, so it is built here rather than by the API.
    const needsFixture = data === undefined && (req.set.length > 0 || Boolean(req.edit));
    const profileId = provider ?? (needsFixture ? (await client!.eventTypes()).provider : undefined);
    if (profileId) {
      const profile = knownType(getProvider(profileId), type);
      if (needsFixture) data = profile.catalog.sample(type);
    }
    for (const assignment of req.set) data = applySet(data, assignment);
    if (req.edit) data = await req.edit(data ?? {});
    if (req.batch !== undefined && req.batch > 1) {
      if (!req.to) throw new UsageError('--batch goes with --to', 'the emulator sends each event in its own delivery; with --to, hooks builds the batch itself');
      if (!getProvider(provider!).catalog.batches) {
        const batching = PROVIDERS.filter((p) => p.catalog.batches).map((p) => p.id);
        throw new UsageError(`${provider} sends one event a delivery: --batch does not apply`, `providers that batch: ${batching.join(', ')}`);
      }
    }
    return req.to ? await direct(req, req.to, getProvider(provider!), type, data) : await throughApi(req, client!, type, data, provider);
  } finally {
    await client?.close();
  }
}

function knownType(profile: ProviderProfile, type: string): ProviderProfile {
  if (profile.catalog.has(type)) return profile;
  const types = profile.catalog.types.map((t) => t.type);
  throw new UsageError(`unknown ${profile.id} event type "${type}"${didYouMean(type, types)}`, `hooks trigger --list --provider ${profile.id} shows its ${types.length} types`, 'unknown_event_type');
}

async function direct(req: TriggerRequest, url: URL, profile: ProviderProfile, type: string, data: unknown): Promise<TriggerResult> {
  assertUsableSecret(profile, req.secret!);
  const pool = new Pool(url.origin, { connections: Math.max(1, req.concurrency ?? 1), keepAliveTimeout: 10_000 });
  const send = () => sendDirect(pool, profile, { url, secret: req.secret!, type, data, batch: req.batch, timeoutMs: req.timeoutMs });
  try {
    if (req.count !== undefined) return await load(req, async () => send());
    const result = await send();
    return { mode: 'direct', result, url, provider: profile.id, type, exitCode: result.ok ? ExitCode.ok : result.status === null ? ExitCode.unreachable : ExitCode.failed };
  } finally {
    await pool.close();
  }
}

async function throughApi(req: TriggerRequest, client: ApiClient, type: string, data: unknown, provider: string | undefined): Promise<TriggerResult> {
  const create = async () => {
    try {
      return await client.createEvent({ type, ...(data !== undefined ? { data } : {}), ...(provider ? { provider } : {}) }, req.waitMs);
    } catch (err) {
      // The API knows the catalog when no --provider was given: its refusal is a usage error here.
      if (err instanceof ApiRequestError && err.code === 'unknown_event_type') throw new UsageError(err.message, `hooks trigger --list${provider ? ` --provider ${provider}` : ''} shows the types`, 'unknown_event_type');
      throw err;
    }
  };
  if (req.count !== undefined) {
    return load(req, async () => {
      const started = performance.now();
      const event = await create();
      const failed = (event.deliveries ?? []).map((d) => d.attempts[0]).find((a) => !a?.success);
      const ok = (event.deliveries ?? []).length > 0 && (event.deliveries ?? []).every((d) => d.attempts[0]?.success);
      return { ok, status: ok ? 200 : (failed?.status_code ?? null), latencyMs: performance.now() - started, error: ok ? null : (event.deliveries ?? []).length === 0 ? 'no subscription matches' : (failed?.error ?? 'no attempt within --wait') };
    });
  }
  const event = await create();
  const deliveries = event.deliveries ?? [];
  // An event that reached nobody is a failure: a CI script must not pass on it.
  if (deliveries.length === 0) return { mode: 'api', event, existing: await client.allSubscriptions(), exitCode: ExitCode.failed };
  const ok = deliveries.every((d) => d.attempts[0]?.success);
  return { mode: 'api', event, existing: null, exitCode: ok ? ExitCode.ok : ExitCode.failed };
}

async function load(req: TriggerRequest, send: () => Promise<Outcome>): Promise<TriggerResult> {
  const summary = await runLoad({ count: req.count!, concurrency: req.concurrency ?? 10, rate: req.rate, send, onProgress: req.onProgress });
  return { mode: 'load', summary, exitCode: summary.failed > 0 ? ExitCode.failed : ExitCode.ok };
}
