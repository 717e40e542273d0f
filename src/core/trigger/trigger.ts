import { Pool } from 'undici';
import { ApiClient, ApiRequestError } from '../api/client.js';
import { resolveConnection, type ConnectionFlags } from '../api/connection.js';
import type { ApiEvent, Subscription } from '../api/types.js';
import { ExitCode, UsageError } from '../errors.js';
import { fitNotes } from '../fixtures/fit.js';
import type { ProviderProfile } from '../providers/profile.js';
import { DEFAULT_PROVIDER, getProvider, PROVIDERS } from '../providers/registry.js';
import { assertUsableSecret } from '../providers/secret-rule.js';
import { isSyncOnly, syncHookFor } from '../providers/sync/registry.js';
import type { SyncOutcome } from '../sync/run.js';
import { didYouMeanType, someOf } from '../suggest.js';
import { sendDirect, type DirectResult } from './direct.js';
import { runLoad, type LoadSummary, type Outcome } from './load.js';
import { applySet, envelopeKeysOf, parseDataArg } from './payload.js';
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

/** What a platform's event lacks or adds against its schema once --data, --set or --edit changed it. */
export interface TriggerNote {
  provider: string;
  type: string;
  notes: string[];
}

/** What was sent and how it went. */
type Sent =
  /** `existing`: when no subscription matched, the subscriptions there are, so the user sees why. */
  | { mode: 'api'; event: ApiEvent; existing: Subscription[] | null; exitCode: ExitCode }
  | { mode: 'direct'; result: DirectResult; url: URL; provider: string; type: string; exitCode: ExitCode }
  | { mode: 'load'; summary: LoadSummary; exitCode: ExitCode }
  /** A synchronous hook: one call and what the platform does with its answer. */
  | { mode: 'sync'; outcome: SyncOutcome; exitCode: ExitCode };

export type TriggerResult = Sent & {
  /** Said, never refused: the event is sent as asked and the exit code is the delivery's. */
  notes: TriggerNote[];
};

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
    return { mode: 'sync', notes: [], ...(await triggerSyncHook({ to: req.to, secret: req.secret, data, set: req.set, edit: req.edit, count: req.count, batch: req.batch, connection: req.connection }, hook)) };
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
    const profile = profileId ? knownType(getProvider(profileId), type) : null;
    if (profile && needsFixture) data = profile.catalog.sample(type);
    if (req.set.length > 0) {
      // What the envelope holds around the data is not --set's to change: said, not silently added to the data.
      const envelope = profile ? envelopeKeysOf(profile.catalog.build(type, { data }).body, data) : [];
      for (const assignment of req.set) data = applySet(data, assignment, envelope);
    }
    if (req.edit) data = await req.edit(data ?? {});
    if (req.batch !== undefined && req.batch > 1) {
      if (!req.to) throw new UsageError('--batch goes with --to', 'the emulator sends each event in its own delivery; with --to, hooks builds the batch itself');
      if (!getProvider(provider!).catalog.batches) {
        const batching = PROVIDERS.filter((p) => p.catalog.batches).map((p) => p.id);
        throw new UsageError(`${provider} sends one event a delivery: --batch does not apply`, `providers that batch: ${batching.join(', ')}`);
      }
    }
    // Only an event the user changed can stop fitting: a catalog's own events fit (tests check each one).
    const changed = req.data !== undefined || req.set.length > 0 || Boolean(req.edit);
    const notes = changed ? fitOf(type, data, provider) : [];
    const result = req.to ? await direct(req, req.to, getProvider(provider!), type, data) : await throughApi(req, client!, type, data, provider);
    return { ...result, notes };
  } finally {
    await client?.close();
  }
}

/**
 * How the event fits each platform that will send it: the one asked for,
 * else (the API fans out) every built-in platform whose catalog has the type.
 */
function fitOf(type: string, data: unknown, provider: string | undefined): TriggerNote[] {
  const profiles = provider ? [getProvider(provider)] : PROVIDERS.filter((p) => p.catalog.resolve(type) !== null);
  return profiles.flatMap((p) => {
    const resolved = p.catalog.resolve(type);
    if (resolved === null) return [];
    const body: unknown = JSON.parse(p.catalog.build(resolved, { data }).body.toString('utf8'));
    const notes = fitNotes(p.catalog, resolved, body) ?? [];
    return notes.length > 0 ? [{ provider: p.id, type: resolved, notes }] : [];
  });
}

function knownType(profile: ProviderProfile, type: string): ProviderProfile {
  if (profile.catalog.has(type)) return profile;
  const types = profile.catalog.types.map((t) => t.type);
  throw new UsageError(`unknown ${profile.id} event type "${type}"${didYouMeanType(type, types)}`, `known: ${someOf(types)}; hooks trigger --list --provider ${profile.id} lists them`, 'unknown_event_type');
}

async function direct(req: TriggerRequest, url: URL, profile: ProviderProfile, type: string, data: unknown): Promise<Sent> {
  assertUsableSecret(profile, req.secret!, '--secret', req.provider ? undefined : `--to defaults to ${DEFAULT_PROVIDER} when --provider is not given`);
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

async function throughApi(req: TriggerRequest, client: ApiClient, type: string, data: unknown, provider: string | undefined): Promise<Sent> {
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

async function load(req: TriggerRequest, send: () => Promise<Outcome>): Promise<Sent> {
  const summary = await runLoad({ count: req.count!, concurrency: req.concurrency ?? 10, rate: req.rate, send, onProgress: req.onProgress });
  return { mode: 'load', summary, exitCode: summary.failed > 0 ? ExitCode.failed : ExitCode.ok };
}
