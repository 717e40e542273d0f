import { UsageError } from '../../errors.js';
import { PROVIDER_IDS } from '../registry.js';
import { didYouMean } from '../../suggest.js';
import type { HeaderBag } from '../../signing/headers.js';
import type { SyncHookContract, SyncPlatform } from '../../sync/contract.js';
import { firebaseSync } from './firebase.js';
import { oktaSync } from './okta.js';
import { supabaseSync } from './supabase.js';
import { workosSync } from './workos.js';

/**
 * The platforms with synchronous hooks. Okta and WorkOS also send event
 * webhooks (their profiles in the registry); Supabase and Firebase have
 * only these hooks, so they are platforms here and not event providers.
 */
export const SYNC_PLATFORMS: readonly SyncPlatform[] = [oktaSync, supabaseSync, firebaseSync, workosSync];

export interface SyncTarget {
  platform: SyncPlatform;
  contract: SyncHookContract;
}

export function syncPlatform(id: string): SyncPlatform | null {
  return SYNC_PLATFORMS.find((p) => p.id === id) ?? null;
}

/** A platform with synchronous hooks only (no event webhooks): Supabase, Firebase. */
export function isSyncOnly(id: string): boolean {
  return syncPlatform(id) !== null && !PROVIDER_IDS.includes(id);
}

/**
 * The synchronous hook `trigger TYPE [--provider P]` means, or null for an
 * event type. Within a platform that has hooks only, anything else is a
 * usage error naming its hooks.
 */
export function syncHookFor(type: string, provider?: string): SyncTarget | null {
  return provider !== undefined && isSyncOnly(provider) ? requireSyncHook(type, provider) : findSyncHook(type, provider);
}

const named = (c: SyncHookContract, type: string) => c.type === type || (c.aliases ?? []).includes(type);

/**
 * The synchronous hook a type names (its own name or an alias), within
 * `provider` when given; null when the type is no synchronous hook there
 * (it may be an event type). Hook names are unique across platforms, so a
 * type alone finds its platform.
 */
export function findSyncHook(type: string, provider?: string): SyncTarget | null {
  for (const platform of SYNC_PLATFORMS) {
    if (provider !== undefined && platform.id !== provider) continue;
    const contract = platform.hooks.find((c) => named(c, type));
    if (contract) return { platform, contract };
  }
  return null;
}

/** Like findSyncHook, but a usage error (with a suggestion) when there is none. */
export function requireSyncHook(type: string, provider?: string): SyncTarget {
  const found = findSyncHook(type, provider);
  if (found) return found;
  const platforms = provider ? SYNC_PLATFORMS.filter((p) => p.id === provider) : SYNC_PLATFORMS;
  const names = platforms.flatMap((p) => p.hooks.map((h) => h.type));
  throw new UsageError(`"${type}" is not a synchronous hook${provider ? ` of ${provider}` : ''}${didYouMean(type, names)}`, `synchronous hooks: ${names.join(', ')} (hooks trigger --list)`, 'unknown_hook_type');
}

export interface SyncHookRow {
  provider: string;
  type: string;
  name: string;
  description: string;
  fails: 'open' | 'closed';
  deadline_ms: number;
}

/** `trigger --list`: the synchronous hooks of one platform, or of all. */
export function syncHookRows(provider?: string): SyncHookRow[] {
  return SYNC_PLATFORMS.filter((p) => provider === undefined || p.id === provider).flatMap((p) =>
    p.hooks.map((h) => ({ provider: p.id, type: h.type, name: h.name, description: h.description, fails: h.failure.mode, deadline_ms: h.deadline.ms })),
  );
}

/** Which synchronous hook a received request is, and the payload its judge reads; null for anything else. */
export function identifySyncHook(body: Uint8Array, headers: HeaderBag): (SyncTarget & { payload: unknown }) | null {
  if (body.length === 0 || body.length > 5_000_000) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return null;
  }
  for (const platform of SYNC_PLATFORMS) {
    const type = platform.identify(parsed, headers);
    if (type === null) continue;
    const contract = platform.hooks.find((c) => c.type === type)!;
    return { platform, contract, payload: platform.payloadOf ? platform.payloadOf(parsed) : parsed };
  }
  return null;
}
