import { patternsOf } from '../core/fixtures/catalog.js';
import type { ProviderProfile } from '../core/providers/profile.js';
import { PROVIDER_IDS } from '../core/providers/registry.js';
import { didYouMean } from '../core/suggest.js';
import { ApiError, invalid } from '../core/http/http-error.js';

export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).find((k) => !allowed.includes(k));
  if (unknown) throw invalid(unknown, `unknown field; allowed: ${allowed.join(', ')}`);
}

export function stringField(body: Record<string, unknown>, field: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
  const v = body[field];
  if (v === undefined || (v === null && !opts.required)) {
    if (opts.required) throw invalid(field, 'is required');
    return undefined;
  }
  if (typeof v !== 'string' || v.trim() === '') throw invalid(field, 'must be a non-empty string');
  if (opts.max && v.length > opts.max) throw invalid(field, `must be at most ${opts.max} characters`);
  return v;
}

export function booleanField(body: Record<string, unknown>, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw invalid(field, 'must be true or false');
  return v;
}

export function providerField(body: Record<string, unknown>, fallback: string): string {
  const v = body.provider;
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string' || !PROVIDER_IDS.includes(v)) throw invalid('provider', `unknown provider${typeof v === 'string' ? ` "${v}"${didYouMean(v, PROVIDER_IDS)}` : ''}; one of ${PROVIDER_IDS.join(', ')}`);
  return v;
}

/** `*`, `category.*` and exact types of the provider's catalog (seed 001); anything else is refused with the list. */
export function eventPatterns(value: unknown, profile: ProviderProfile): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw invalid('events', 'must be a non-empty array of event types or patterns ("*", "user.*", "user.created")');
  }
  const types = profile.catalog.types.map((t) => t.type);
  for (const pattern of value as string[]) {
    if (pattern === '*') continue;
    if (pattern.endsWith('.*')) {
      const prefix = pattern.slice(0, -1);
      if (!types.some((t) => t.startsWith(prefix))) {
        throw new ApiError(422, 'unknown_event_type', `no ${profile.id} event type matches "${pattern}"; patterns: ${patternsOf(profile.catalog.types).join(', ')}`, 'events');
      }
      continue;
    }
    if (!types.includes(pattern)) {
      throw new ApiError(422, 'unknown_event_type', `unknown ${profile.id} event type "${pattern}"${didYouMean(pattern, types)}${knownTypes(types)}`, 'events');
    }
  }
  return [...new Set(value as string[])];
}

export function limitParam(query: URLSearchParams, fallback = 20, max = 100): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw invalid('limit', `must be a whole number from 1 to ${max}`);
  return Number(raw);
}

/** The types an unknown one was checked against, while the list is short enough to read in a message. */
export function knownTypes(types: readonly string[]): string {
  return types.length <= 20 ? `; known: ${types.join(', ')}` : '';
}
